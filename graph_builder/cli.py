"""The `graph-builder` command: one verb per job, each with `--help` and an example."""

from __future__ import annotations

import argparse
import csv
import getpass
import io
import json
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import queries, registry
from .config import Settings, load_settings, mask_uri
from .errors import ConfigError, GraphBuilderError, QueryError
from .version import __version__

log = logging.getLogger("graph_builder")

#: Widest table cell `query` prints; longer values end in `…` (use --format json or csv for whole values).
MAX_CELL = 60
#: What `view` writes without `-o`: never the build's own graph.html.
VIEW_FILE = "view.html"


def _settings(args: argparse.Namespace) -> Settings:
    settings = load_settings(getattr(args, "config", None))
    return settings.with_overrides(
        out_dir=getattr(args, "out", None),
        model=getattr(args, "model", None),
        workers=getattr(args, "workers", None),
        dask_scheduler=getattr(args, "dask", None),
        base_iri=getattr(args, "base_iri", None),
        neo4j_uri=getattr(args, "neo4j_uri", None) or None,
        neo4j_batch_size=getattr(args, "batch_size", None),
        progress=False if getattr(args, "quiet", False) else None,
        wait=True if getattr(args, "wait", False) else None,
        min_confidence=getattr(args, "min_confidence", None),
        scorer_model=getattr(args, "scorer_model", None),
        event_scorer_model=getattr(args, "event_scorer_model", None),
        full_exports_max_articles=getattr(args, "full_exports", None),
    )


def _neo4j_settings(settings: Settings) -> Settings:
    """Ask for the password on a terminal when the environment does not give one."""
    if settings.neo4j_password is None:
        if not sys.stdin.isatty():
            raise ConfigError("set NEO4J_PASSWORD (and NEO4J_URI, NEO4J_USER, NEO4J_DATABASE) to use Neo4j")
        settings = settings.with_overrides(
            neo4j_password=getpass.getpass(f"Neo4j password for {settings.neo4j_user}: ")
        )
    return settings


# -- verbs --------------------------------------------------------------------------------------
def cmd_build(args: argparse.Namespace) -> int:
    """Read sources, extract facts, and write every output into the out folder.

    Example: graph-builder build data/ feeds/news.xml https://example.org/story --out out/
    """
    from .build import build

    settings = _settings(args)
    on_graph = None
    if args.neo4j is not None:
        from .sinks import neo4j

        neo = _neo4j_settings(settings)

        def on_graph(graph: Any) -> None:
            from .review import withdraw_from_neo4j

            counts = neo4j.load_build(graph, neo, settings.out_dir)  # what changed since this folder's last load
            log.info("loaded into Neo4j at %s: %s", mask_uri(neo.neo4j_uri), counts)
            withdraw_from_neo4j(graph, settings, neo)

    report = build(args.sources, settings, on_graph=on_graph)
    print(report.summary(), file=sys.stderr)
    for name, path in report.outputs.items():
        print(f"{name:>8}: {path}", file=sys.stderr)
    return report.exit_code


def cmd_remove(args: argparse.Namespace) -> int:
    """Take articles out of a build: facts only they state go, facts others also state keep those others.

    Example: graph-builder remove data/old-story.txt 3f2a9c41 --out out/ --neo4j
    """
    from .remove import remove

    settings = _settings(args)
    neo = _neo4j_settings(settings) if args.neo4j is not None else None
    result = remove(args.targets, settings, neo)
    print(result.summary(), file=sys.stderr)
    return 0


def cmd_why(args: argparse.Namespace) -> int:
    """Show every fact about a person, organisation or place, with its sentences, articles, rules and
    confidence.

    Example: graph-builder why 'Henrik Saar'
    """
    from .build import load_graph
    from .explain import explain, render

    graph = load_graph(_settings(args))
    nid, statements = explain(graph, args.name)
    if args.format == "json":
        print(json.dumps([s.as_dict() for s in statements], ensure_ascii=False, indent=1))
    else:
        print(render(graph, nid, statements))
    return 0


def _curate(args: argparse.Namespace, rec: dict[str, Any]) -> int:
    from .review import curate

    settings = _settings(args)
    neo = _neo4j_settings(settings) if args.neo4j is not None else None
    if args.note:
        rec["note"] = args.note
    print(curate(rec, settings, neo).summary(), file=sys.stderr)
    return 0


def cmd_reject(args: argparse.Namespace) -> int:
    """Mark a fact (or an entity, with its facts) as wrong; every later build leaves it out.

    Example: graph-builder reject role-3f2a9c41d0 --note 'she left in 2023'
    """
    from .graph import FACT_PREFIX

    is_fact = any(args.target.startswith(prefix + "-") for prefix in FACT_PREFIX.values())
    return _curate(args, {"op": "reject", "fact" if is_fact else "entity": args.target})


def cmd_accept(args: argparse.Namespace) -> int:
    """Confirm a fact (confidence 1.0); undoes an earlier reject of it.

    Example: graph-builder accept role-3f2a9c41d0
    """
    return _curate(args, {"op": "accept", "fact": args.fact})


def cmd_correct(args: argparse.Namespace) -> int:
    """Correct a post's organisation, status or title; or say two entities are one (--merge) or one is two
    (--split).

    Example: graph-builder correct role-3f2a9c41d0 --organisation 'Norvale Energy' --status former
    """
    if args.merge:
        return _curate(args, {"op": "merge", "entities": args.merge})
    if args.split:
        return _curate(args, {"op": "split", "entity": args.split[0], "names": args.split[1:]})
    if not args.fact:
        raise ConfigError("name a fact to correct (see `graph-builder why NAME`), or use --merge or --split")
    rec: dict[str, Any] = {"op": "correct", "fact": args.fact}
    if args.organisation is not None:
        rec["organisation"] = args.organisation or None
    for key in ("status", "title"):
        if getattr(args, key):
            rec[key] = getattr(args, key)
    return _curate(args, rec)


def cmd_extract(args: argparse.Namespace) -> int:
    """Extract facts and print them as JSONL (the eval format).

    Example: graph-builder extract article.txt -o facts.jsonl
    """
    from .build import Report, collect_articles, extract_facts, progress
    from .facts import dump_line

    settings = _settings(args)
    report = Report()
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    try:
        for af in progress(
            extract_facts(collect_articles(args.sources, settings, report), settings),
            settings.progress and args.output is not None,
        ):
            out.write(dump_line(af, explain=args.explain))
            if args.explain:
                for role in af.roles:
                    print(
                        f"# {af.article.doc_id} role [{' > '.join(role.rules) or role.rule}] p={role.confidence} "
                        f"{role.person} | {role.title} | {role.organisation} | {role.status} <- {role.evidence.text!r}",
                        file=sys.stderr,
                    )
                for ev in af.events:
                    print(
                        f"# {af.article.doc_id} event [{ev.rule}] {ev.name or ev.type}: "
                        f"{', '.join(ev.participants)} <- {ev.evidence.text!r}",
                        file=sys.stderr,
                    )
    finally:
        if args.output:
            out.close()
    for err in report.skipped:
        print(f"skipped {err}", file=sys.stderr)
    if report.ignored:
        print(report.ignored_line(), file=sys.stderr)
    return 4 if report.skipped else 0


def cmd_train(args: argparse.Namespace) -> int:
    """Fit the role scorer (and with --events, the event scorer) from gold facts (the eval format) and the
    articles they annotate.

    Example: graph-builder train gold.jsonl articles/ -o my_scorer.json --events my_events.json
    """
    from .extract.event_training import article_cases, event_report, train_events
    from .extract.lexicon import lexicon
    from .extract.nlp import load_pipeline
    from .extract.training import fit_with_report, load_examples

    settings = _settings(args)
    lex = lexicon()
    examples = load_examples(Path(args.gold), args.sources, load_pipeline(settings.model), lex, args.cache)
    meta: dict[str, object] = {"gold": Path(args.gold).name}
    scorer, report = fit_with_report(examples, meta=meta)
    scorer.save(Path(args.output))
    report_path = Path(args.report) if args.report else Path(args.output).with_suffix(".report.txt")
    report_path.write_text("\n".join(report) + "\n", encoding="utf-8")
    print("\n".join(report))
    print(f"model written to {args.output}, report to {report_path}")
    if args.events:
        cases = article_cases(examples, lex, scorer)
        train_events(cases, meta={**meta, "articles": len(cases)}).save(Path(args.events))
        events_report = Path(args.events_report) if args.events_report else Path(args.events).with_suffix(".report.txt")
        events_report.write_text("\n".join(event_report(cases)) + "\n", encoding="utf-8")
        print(f"event model written to {args.events}, report to {events_report}")
    print(use_line(Path(args.output), Path(args.events) if args.events else None))
    return 0


def use_line(role_model: Path, event_model: Path | None) -> str:
    """How to build with the models just written: nothing to set where they replaced the shipped files."""
    from .extract.event_scorer import EVENT_MODEL_RESOURCE
    from .extract.scorer import MODEL_RESOURCE, shipped_model

    settings = [
        f"{key} = {str(path)!r}"
        for key, path, resource in (
            ("scorer_model", role_model, MODEL_RESOURCE),
            ("event_scorer_model", event_model, EVENT_MODEL_RESOURCE),
        )
        if path is not None and path.resolve() != shipped_model(resource)
    ]
    if not settings:
        return "the shipped models were rewritten: every build now uses them"
    flags = "--scorer-model / --event-scorer-model"
    return f"use it: set {' and '.join(settings)} in graph_builder.toml (or pass {flags} to build)"


def _print_rows(columns: list[str], rows: list[list[Any]], fmt: str) -> None:
    if fmt == "json":
        print(json.dumps([dict(zip(columns, r, strict=True)) for r in rows], ensure_ascii=False, indent=1, default=str))
        return
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(columns)
        writer.writerows(
            [[json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v for v in r] for r in rows]
        )
        print(buf.getvalue(), end="")
        return
    cells = [[_cell(v) for v in r] for r in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    widths = [min(w, MAX_CELL) for w in widths]
    print("  ".join(_fit(c, w) for c, w in zip(columns, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in cells:
        print("  ".join(_fit(v, w) for v, w in zip(r, widths, strict=True)))
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", file=sys.stderr)


def _fit(text: str, width: int) -> str:
    """The cell padded to `width`; a longer one is cut and ends in `…`, so a cut never passes for the value."""
    return (text if len(text) <= width else text[: width - 1] + "…").ljust(width)


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return ", ".join(_cell(x) for x in v)
    return str(v)


def cmd_query(args: argparse.Namespace) -> int:
    """Run a library query, a .cypher file or Cypher text on the last build.

    Example: graph-builder query person --param name='Maria Lenz' --format json
    """
    settings = _settings(args)
    if args.list:
        for name in queries.names():
            q = queries.get(name, "ladybug")
            takes = f"  params: {', '.join('$' + p for p in q.params)}" if q.params else ""
            print(f"{name:<24}{q.description}{takes}")
        return 0
    if not args.query:
        raise ConfigError("name a query (see `graph-builder query --list`), a .cypher file, or Cypher text")
    params = queries.parse_params(args.param)
    engine = "neo4j" if args.neo4j is not None else "ladybug"
    q = queries.get(args.query, engine)
    missing = [p for p in q.params if p not in params]
    if missing:
        raise ConfigError(f"query {q.name} needs {', '.join('--param ' + p + '=...' for p in missing)}")
    try:
        if engine == "neo4j":
            from .sinks import neo4j

            records = neo4j.run_query(q.text, params, _neo4j_settings(settings), write=args.write)
            columns = list(records[0].keys()) if records else []
            rows = [list(r.values()) for r in records]
        else:
            from .sinks.store import FILENAME, run_query

            if args.write:
                raise ConfigError("the embedded store is rebuilt from the facts at every build; write to Neo4j instead")
            columns, rows = run_query(settings.out_dir / FILENAME, q.text, params)
    except QueryError as exc:
        raise queries.without_text(q, exc) from None
    _print_rows(columns, rows, args.format)
    return 0


def cmd_view(args: argparse.Namespace) -> int:
    """Draw the graph (or one entity's neighbourhood) as a self-contained HTML page.

    Example: graph-builder view --focus 'Maria Lenz' --depth 2 -o lenz.html
    """
    from .build import load_graph
    from .sinks.html import OVERVIEW, write

    settings = _settings(args)
    graph = load_graph(settings)
    output = Path(args.output) if args.output else settings.out_dir / VIEW_FILE
    write(
        graph,
        output,
        settings,
        focus=args.focus,
        depth=args.depth,
        min_degree=args.min_degree,
        max_nodes=args.max_nodes,
        articles=args.articles,
        overview_size=OVERVIEW if args.overview is None else args.overview,
        full=args.full,
    )
    print(f"wrote {output}", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export the last build in another format, or as `facts.jsonl` (`--format facts`).

    Example: graph-builder export --format jsonld -o graph.jsonld
    """
    from .exports import export

    output = export(_settings(args), args.format, Path(args.output) if args.output else None)
    print(f"wrote {output}", file=sys.stderr)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Check an RDF export against the shipped SHACL shapes.

    Example: graph-builder validate out/graph.ttl
    """
    from .sinks.rdf import validate_file

    problems = validate_file(Path(args.file))
    for p in problems:
        print(p)
    print(f"{args.file}: {'conforms' if not problems else f'{len(problems)} violation(s)'}", file=sys.stderr)
    return 1 if problems else 0


def cmd_load_neo4j(args: argparse.Namespace) -> int:
    """Load the last build into Neo4j (batched, idempotent).

    Example: NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=... graph-builder load-neo4j --out out/
    """
    from .build import load_graph
    from .generations import Folder, writer_lock
    from .review import withdraw_from_neo4j
    from .sinks import neo4j

    settings = _neo4j_settings(_settings(args))
    if not Folder(settings.out_dir).has_build():
        load_graph(settings)  # says there is no build, and how to make one
    with writer_lock(settings.out_dir, "load-neo4j", settings.wait):
        graph = load_graph(settings)
        counts = neo4j.load_build(graph, settings, settings.out_dir, whole=True)
        withdraw_from_neo4j(graph, settings, settings)
    print(
        f"loaded into Neo4j at {mask_uri(settings.neo4j_uri)}: " + ", ".join(f"{v} {k}" for k, v in counts.items()),
        file=sys.stderr,
    )
    return 0


# -- parser -------------------------------------------------------------------------------------
def _common(p: argparse.ArgumentParser, out: bool = True, writes: bool = False) -> None:
    if out:
        p.add_argument("--out", type=Path, help="output folder of the build (default: out/)")
    if writes:
        p.add_argument(
            "--wait",
            action="store_true",
            help="if another command is writing the out folder, wait for it (default: fail)",
        )
    p.add_argument("--config", type=Path, help="settings file (default: ./graph_builder.toml if present)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def _scorer_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--scorer-model",
        dest="scorer_model",
        metavar="FILE",
        help="role scorer written by `graph-builder train` (default: the shipped one)",
    )
    p.add_argument(
        "--event-scorer-model",
        dest="event_scorer_model",
        metavar="FILE",
        help="event scorer written by `graph-builder train --events` (default: the shipped one)",
    )


def _neo4j_flag(p: argparse.ArgumentParser, help: str) -> None:
    p.add_argument("--neo4j", nargs="?", const="", default=None, metavar="URI", help=help)


def _curation_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--note", help="why, in a few words (kept in the curation file and the RDF provenance)")
    _neo4j_flag(p, "also bring Neo4j up to date (URI, else NEO4J_URI)")
    _common(p)


def _verb(sub: Any, fn: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    """The sub-command `fn` runs (`cmd_load_neo4j`: `load-neo4j`), its help and example read from `fn`'s docstring,
    so what a verb says it does stands beside the code that does it."""
    summary, _, example = (fn.__doc__ or "").partition("Example:")
    help = " ".join(summary.split())
    p: argparse.ArgumentParser = sub.add_parser(
        fn.__name__.removeprefix("cmd_").replace("_", "-"),
        help=help,
        description=help,
        epilog=f"example:\n  {example.strip()}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(fn=fn)
    return p


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="graph-builder",
        description="News articles in; a knowledge graph of people, "
        "roles, organisations and events out, every fact traceable to its sentence.",
    )
    top.add_argument("--version", action="version", version=f"graph-builder {__version__}")
    top.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = top.add_subparsers(dest="verb", required=True, metavar="VERB")

    p = _verb(sub, cmd_build)
    p.add_argument("sources", nargs="+", help="files, folders, JSON/JSONL, RSS/Atom feeds or article URLs")
    p.add_argument("--model", help="spaCy pipeline to load (default: the installed English model)")
    p.add_argument("--workers", type=int, help="extraction processes (default: one per core)")
    p.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="extract, and map and reduce resolution's evidence, on the Dask cluster whose scheduler is at "
        "ADDRESS (e.g. tcp://10.0.0.5:8786); resolution's decisions and the outputs stay on this machine",
    )
    p.add_argument("--base-iri", dest="base_iri", help="base IRI for RDF identifiers")
    p.add_argument(
        "--min-confidence",
        dest="min_confidence",
        type=float,
        help="leave out role and event facts the scorers give a lower probability (0-1; default 0)",
    )
    _scorer_flags(p)
    p.add_argument(
        "--full-exports-max-articles",
        dest="full_exports",
        type=int,
        metavar="N",
        help="write facts.jsonl and graph.ttl whole only for a build of at most N articles (default 5000); "
        "every build writes its RDF update rdf/NNNNNN.ru, and `export` writes the whole files on demand",
    )
    _neo4j_flag(p, "also load the graph into Neo4j (URI, else NEO4J_URI)")
    _common(p, writes=True)

    p = _verb(sub, cmd_remove)
    p.add_argument(
        "targets",
        nargs="+",
        metavar="ARTICLE",
        help="article id (or its first 8+ digits), doc_id, source path or URL, or a file or folder of articles",
    )
    _neo4j_flag(p, "also remove them from Neo4j (URI, else NEO4J_URI)")
    _common(p, writes=True)

    p = _verb(sub, cmd_why)
    p.add_argument("name", help="the entity's name, an alias, or its id")
    p.add_argument("--format", choices=("text", "json"), default="text")
    _common(p)

    p = _verb(sub, cmd_reject)
    p.add_argument("target", metavar="FACT|ENTITY", help="a fact id (from `why`), or an entity's name or id")
    _curation_flags(p)

    p = _verb(sub, cmd_accept)
    p.add_argument("fact", help="a fact id (from `why`)")
    _curation_flags(p)

    p = _verb(sub, cmd_correct)
    p.add_argument("fact", nargs="?", help="a fact id of a post held (from `why`)")
    p.add_argument("--organisation", help="the organisation the post is in ('' for none)")
    p.add_argument("--status", choices=("current", "former", "future"))
    p.add_argument("--title", help="the post's title as it should read")
    p.add_argument("--merge", nargs=2, metavar=("KEEP", "OTHER"), help="two entities that are one; KEEP stays")
    p.add_argument(
        "--split", nargs="+", metavar="ENTITY NAME", help="ENTITY's mentions by these NAMEs are another entity"
    )
    _curation_flags(p)

    p = _verb(sub, cmd_extract)
    p.add_argument("sources", nargs="+")
    p.add_argument("-o", "--output", help="write to this file instead of standard output")
    p.add_argument(
        "--explain",
        action="store_true",
        help="add each fact's rule and confidence to the output, and list them with their sentences on stderr",
    )
    p.add_argument("--model")
    p.add_argument("--workers", type=int)
    _scorer_flags(p)
    _common(p, out=False)

    p = _verb(sub, cmd_train)
    p.add_argument("gold", help="gold facts JSONL, one record per article (see the eval README)")
    p.add_argument("sources", nargs="+", help="files or folders holding the articles the gold annotates")
    p.add_argument("-o", "--output", required=True, help="model file to write (JSON)")
    p.add_argument("--report", help="training report file (default: beside the model, .report.txt)")
    p.add_argument("--events", metavar="FILE", help="also fit the event scorer and write it here (JSON)")
    p.add_argument("--events-report", help="event training report file (default: beside the event model)")
    p.add_argument("--cache", type=Path, default=Path(".cache/parses"), help="parsed-article cache folder")
    p.add_argument("--model", help="spaCy pipeline to parse with (default: the installed English model)")
    _common(p, out=False)

    p = _verb(sub, cmd_query)
    p.add_argument("query", nargs="?", help="query name (see --list), .cypher file, or Cypher text")
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME[:TYPE]=VALUE",
        help="query parameter (repeatable); text unless TYPE says int, float, bool or str: --param limit:int=5",
    )
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument("--list", action="store_true", help="list the library's queries")
    _neo4j_flag(p, "run on Neo4j instead")
    p.add_argument("--write", action="store_true", help="allow the query to write (Neo4j only)")
    _common(p)

    p = _verb(sub, cmd_view)
    p.add_argument("-o", "--output", help=f"HTML file (default: OUT/{VIEW_FILE}; the build's graph.html stays)")
    p.add_argument("--focus", help="name or id of a person or organisation")
    p.add_argument("--depth", type=int, default=1, help="hops around --focus (default 1)")
    p.add_argument("--min-degree", dest="min_degree", type=int, default=0, help="hide nodes with fewer links")
    p.add_argument("--max-nodes", dest="max_nodes", type=int, help="keep only the best-connected nodes")
    p.add_argument("--articles", action="store_true", help="draw the articles too (default: only in tooltips)")
    p.add_argument(
        "--overview",
        type=int,
        help="how many people and organisations a big graph opens on (default 150; 0: all); the rest by search",
    )
    p.add_argument(
        "--full", action="store_true", help="give every node its tooltip, not only the overview's (a bigger page)"
    )
    _common(p)

    p = _verb(sub, cmd_export)
    p.add_argument("--format", required=True, choices=[*registry.names("sink", export=True), "facts"])
    p.add_argument("-o", "--output", help="file or folder to write (default: in the out folder)")
    p.add_argument("--base-iri", dest="base_iri", help="base IRI for RDF identifiers")
    _common(p)

    p = _verb(sub, cmd_validate)
    p.add_argument("file")
    _common(p, out=False)

    p = _verb(sub, cmd_load_neo4j)
    p.add_argument("--neo4j", dest="neo4j_uri", metavar="URI", help="server (default: NEO4J_URI)")
    p.add_argument("--batch-size", dest="batch_size", type=int, help="rows per transaction (default 5000)")
    _common(p, writes=True)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format="%(levelname)s: %(message)s")
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    if getattr(args, "neo4j", None):
        args.neo4j_uri = args.neo4j
    # A terminated run unwinds like an interrupted one: workers stop, journalled facts stay.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        code: int = args.fn(args)
        return code
    except GraphBuilderError as exc:
        print(f"graph-builder: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("graph-builder: interrupted; outputs already written are intact", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`query ... | head -1`): stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the exit's flush must not fail again
        return 128 + signal.SIGPIPE


if __name__ == "__main__":
    sys.exit(main())
