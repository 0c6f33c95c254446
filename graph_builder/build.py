"""The main job: sources in, every output written, merging with what an earlier build stored.

The index of the current generation (`generations.py`) lists the articles
already built: they are not extracted again, new articles are extracted and
their facts appended to the facts store as one new part, and the graph of all
the facts is written as a new generation, switched in whole. The graph is
assembled from what the previous generation kept (`assembly.py`): only the
articles new, gone or resolving anew are assembled again. Every
sink is written again, except the embedded store: it is the previous
generation's store file with the delta between the two graphs applied
(`delta.py`). Re-running on the same input therefore changes nothing, and when
nothing is new (no new article, same settings) the build stops after reading
the index. The order articles arrive in does not matter.

Extracted facts are appended to a journal as they come (synced every few
articles); a run killed mid-way keeps that work, and the next run folds the
journal into its new part.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from . import factstore, registry
from .collector import collector_paused
from .config import CURATION_FILE, Settings
from .errors import GraphBuilderError, InputError
from .facts import FILENAME as FACTS_FILE
from .facts import dump_line, iter_facts, iter_lines, write_facts
from .factstore import Entry, Index, Record
from .generations import Folder, Generation, Manifest, writer_lock
from .model import Article, ArticleFacts
from .version import __version__

if TYPE_CHECKING:  # networkx, like the readers of `ingest`, is imported where used: a build with nothing new needs
    import networkx as nx  # neither, and stops in well under a second

if TYPE_CHECKING:
    from .delta import Reach
    from .frames import Frames

log = logging.getLogger("graph_builder")
T = TypeVar("T")

#: What `build` writes besides the facts file.
BUILD_SINKS = ("store", "turtle", "html")
#: Sinks a build writes whole only up to `full_exports_max_articles` articles (`graph-builder export` writes them).
WHOLE_EXPORTS = ("turtle",)
#: Facts extracted by a run that has not yet written the facts file; folded in by the next run.
JOURNAL = ".facts.journal.jsonl"
#: Articles between syncs of the journal to disk.
JOURNAL_SYNC = 16
#: Settings that change what is read or how fast, not what a build of stored facts writes.
_NOT_OUTPUT = {
    "out_dir", "model", "workers", "batch_size", "dask_scheduler", "neo4j_uri", "neo4j_user", "neo4j_password",
    "neo4j_database", "neo4j_batch_size", "neo4j_retry_seconds", "progress", "progress_every", "max_article_chars",
    "json_fields", "wait", "neo4j_connect_timeout", "neo4j_transaction_timeout",
}  # fmt: skip


@dataclass
class Report:
    """What a run did, for the summary line and the exit status."""

    read: int = 0
    extracted: int = 0
    reused: int = 0
    skipped: list[InputError] = field(default_factory=list)
    ignored: dict[str, int] = field(default_factory=dict)  # files in folders left out for their type, by extension
    facts: dict[str, int] = field(default_factory=dict)
    outputs: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0
    #: The generation the run left current, and whether it was already current (nothing new to build).
    generation: int | None = None
    unchanged: bool = False

    @property
    def exit_code(self) -> int:
        """0 when every input was read, 4 when some were skipped (documented in the README)."""
        return 4 if self.skipped else 0

    def ignored_line(self) -> str:
        """How many files of other types the folders held, by extension: read nothing, said once."""
        kinds = ", ".join(f"{n} {ext}" for ext, n in sorted(self.ignored.items()))
        return f"ignored {sum(self.ignored.values())} file(s) of other types in folders: {kinds}"

    def summary(self) -> str:
        lines = [
            f"read {self.read} article(s): {self.extracted} extracted, {self.reused} unchanged; "
            f"skipped {len(self.skipped)} input(s)"
        ]
        if self.ignored:
            lines.append(self.ignored_line())
        if self.facts:
            lines.append("graph: " + ", ".join(f"{v} {k}" for k, v in self.facts.items()))
        for err in self.skipped:
            lines.append(f"  skipped {err}")
        if self.unchanged:
            lines.append(f"nothing new: the outputs of build {self.generation} are kept as they are")
        lines.append(f"done in {self.seconds:.1f}s")
        return "\n".join(lines)


def collect_articles(sources: Iterable[str | Article], settings: Settings, report: Report) -> Iterator[Article]:
    """Articles from the sources; each unreadable input is logged once and counted, the rest go on."""
    from .ingest import read_sources  # here, so commands that only read a build load no readers
    from .ingest.language import foreign

    for item in read_sources(sources, settings, report.ignored):
        if isinstance(item, Article) and len(item.text) > settings.max_article_chars:
            item = InputError(
                item.source or item.doc_id,
                f"article of {len(item.text):,} characters is longer than max_article_chars "
                f"({settings.max_article_chars:,}); raise it in graph_builder.toml to extract it "
                "(spaCy needs about 1 GB of memory per 100,000 characters)",
            )
        if isinstance(item, Article):
            item = foreign(item, settings.languages) or item
        if isinstance(item, InputError):
            log.warning("skipped %s", item)
            report.skipped.append(item)
        else:
            report.read += 1
            yield item


def progress(items: Iterable[T], enabled: bool, total: int | None = None, every: int = 500) -> Iterable[T]:
    """A progress bar on a terminal (done, rate, ETA); plain log lines every `every` articles otherwise."""
    if enabled and sys.stderr.isatty():
        from tqdm import tqdm

        bar: Iterable[T] = tqdm(items, total=total, unit="article", desc="extracting", file=sys.stderr)
        return bar

    def logged() -> Iterator[T]:
        start = time.perf_counter()
        for n, item in enumerate(items, 1):
            if n % max(1, every) == 0 or n == total:
                rate = n / max(time.perf_counter() - start, 1e-9)
                eta = f", ETA {(total - n) / rate:.0f}s" if total else ""
                log.info("extracted %d%s articles (%.1f/s%s)", n, f"/{total}" if total else "", rate, eta)
            yield item

    return logged()


def extract_facts(articles: Iterable[Article], settings: Settings) -> Iterator[ArticleFacts]:
    if settings.dask_scheduler:
        from .distributed import extract_on_dask

        yield from extract_on_dask(
            articles,
            settings.dask_scheduler,
            settings.model,
            settings.batch_size,
            settings.max_article_chars,
            settings.scoring,
        )
        return
    # collect_articles has already skipped what is longer than max_article_chars
    with registry.extractor()(
        settings.model, settings.workers, settings.batch_size, settings.max_article_chars, settings.scoring
    ) as extractor:
        yield from extractor.extract(articles)


@contextmanager
def resolution_frames(address: str | None) -> Iterator[Frames]:
    """The engine resolution maps and reduces on: the Dask cluster whose scheduler is at `address`, or pandas
    here. Both are imported only when a graph is built, so a build with nothing new loads neither."""
    from .frames import Frames

    if not address:
        yield Frames()
        return
    from .distributed import connect

    with connect(address) as client:
        yield Frames(client)


def fingerprint(settings: Settings, sinks: Iterable[str]) -> str:
    """What, besides the articles, decides a build's outputs: the version, the sinks, the settings that shape
    outputs, and the content of any file a setting names (such as a curation file)."""
    digest = hashlib.sha256(f"{__version__}|{sorted(sinks)}".encode())
    for f in fields(settings):
        if f.name in _NOT_OUTPUT:
            continue
        value = getattr(settings, f.name)
        digest.update(f"|{f.name}={value!r}".encode())
        if isinstance(value, Path) and value.is_file():
            digest.update(value.read_bytes())
    curation = settings.out_dir / CURATION_FILE
    if curation.is_file():  # corrections are applied at every build, so a new one makes the build new
        digest.update(b"|curation=" + curation.read_bytes())
    return digest.hexdigest()


@dataclass
class State:
    """A build folder as a writer finds it: the current generation, and facts not yet in any part."""

    folder: Folder
    current: Generation | None
    index: Index
    pending: dict[str, tuple[ArticleFacts, Record]]

    @property
    def ids(self) -> set[str]:
        return self.index.keys() | self.pending.keys()


def load_state(folder: Folder) -> State:
    """The current generation's index, with the facts a killed run journalled and those of a folder written
    before generations; damaged journal lines are left out (their articles are extracted again)."""
    current = folder.current()
    index = current.index if current is not None else {}
    pending: dict[str, tuple[ArticleFacts, Record]] = {}
    legacy = folder.legacy_facts() if current is None else None
    for path in (p for p in (legacy, folder.out / JOURNAL) if p is not None and p.exists()):
        errors: list[InputError] = []
        before = len(pending)
        for af, line in iter_lines(path, errors):
            if af.article.id not in index:
                pending[af.article.id] = (af, Record.of(af, line))
        if path.name == JOURNAL and len(pending) == before:  # a run killed after its switch: all in the build
            path.unlink()
            continue
        for err in errors:
            if path.name == JOURNAL:  # the last line of a killed run's journal may be cut short
                log.info("%s: an interrupted run's last record is incomplete; that article is extracted again", path)
            else:
                log.warning("%s; that article is extracted again when its source is given", err)
    return State(folder, current, index, pending)


def load_stored(state: State, damaged: dict[str, InputError]) -> dict[str, ArticleFacts]:
    """Every article's facts: those of the parts the index names, and the pending ones."""
    with collector_paused():
        stored = factstore.load(state.folder.out, state.index, damaged)
    stored.update((aid, af) for aid, (af, _) in state.pending.items())
    return stored


def journal_extraction(facts: Iterable[ArticleFacts], out_dir: Path) -> Iterator[tuple[ArticleFacts, str]]:
    """Pass facts through with their record line, appending each to the journal (a killed process loses none)
    and syncing it to disk every few articles (a power cut loses a few)."""
    try:
        with open(out_dir / JOURNAL, "a", encoding="utf-8") as journal:
            for n, af in enumerate(facts, 1):
                line = dump_line(af)
                journal.write(line)
                journal.flush()
                if n % JOURNAL_SYNC == 0:
                    os.fsync(journal.fileno())
                yield af, line
            os.fsync(journal.fileno())
    except OSError as exc:
        raise GraphBuilderError(
            f"could not journal the extracted facts in {out_dir} ({exc.strerror or exc}); the previous build there "
            "is whole and unchanged, and what was journalled is kept: make room and run the same command again"
        ) from exc


def _file_key(source: str | Article) -> tuple[str, list[int]] | None:
    """A local file source by absolute path, with what tells that it changed (size, mtime, inode)."""
    if isinstance(source, Article):  # made in Python: always read
        return None
    try:
        st = os.stat(source)
    except (OSError, ValueError):
        return None
    if not os.path.isfile(source):
        return None
    return os.path.abspath(source), [st.st_size, st.st_mtime_ns, st.st_ino]


def unchanged_files(
    sources: list[str | Article], current: Generation | None
) -> tuple[list[str | Article], dict[str, list[int]]]:
    """The sources still to read, and the file sources the current build read whole and that have not changed
    since (path -> [size, mtime_ns, inode, articles]): those need no reading again."""
    known = current.manifest.files if current is not None else {}
    rest: list[str | Article] = []
    unchanged: dict[str, list[int]] = {}
    for source in sources:
        key = _file_key(source)
        if key is not None and known.get(key[0], [])[:3] == key[1]:
            unchanged[key[0]] = known[key[0]]
        else:
            rest.append(source)
    return rest, unchanged


def build(
    sources: Iterable[str | Article],
    settings: Settings,
    sinks: Iterable[str] = BUILD_SINKS,
    on_graph: Callable[[nx.MultiDiGraph[str]], None] | None = None,
) -> Report:
    """Ingest, extract what is new, rebuild the graph from all facts, and write every sink as a new generation."""
    start = time.perf_counter()
    report = Report()
    out = settings.out_dir
    sinks = tuple(sinks)
    out.mkdir(parents=True, exist_ok=True)
    folder = Folder(out)
    with writer_lock(out, "build", settings.wait):
        folder.clean()
        state = load_state(folder)
        sources = [s if isinstance(s, Article) else str(s) for s in sources]
        print_ = fingerprint(settings, sinks)
        rest, files = unchanged_files(sources, state.current)
        report.read = report.reused = sum(f[3] for f in files.values())
        fresh, per_file = _classify(collect_articles(rest, settings, report) if rest else (), state, report)
        current = state.current
        nothing_new = not fresh and not state.pending and on_graph is None
        if current is not None and nothing_new and current.manifest.fingerprint == print_ and _intact(current):
            folder.link(current)
            report.facts, report.generation = dict(current.manifest.counts), current.manifest.number
            report.unchanged, report.outputs = True, _outputs(current)
            report.seconds = time.perf_counter() - start
            return report
        damaged: dict[str, InputError] = {}
        stored = load_stored(state, damaged)
        if damaged:
            again = _refetch(sources, settings, damaged)
            fresh += again
            report.reused -= len(again)  # counted as unchanged when read, extracted after all
            files = {}  # some sources must be read again to find the damaged articles' text
        new: dict[str, Record] = {aid: rec for aid, (_, rec) in state.pending.items()}
        if fresh:
            extracted = journal_extraction(extract_facts(fresh, settings), out)
            for af, line in progress(extracted, settings.progress, len(fresh), settings.progress_every):
                stored[af.article.id] = af
                new[af.article.id] = Record.of(af, line)
                damaged.pop(af.article.id, None)
                report.extracted += 1
        files.update(_read_whole(rest, per_file, report))
        gone = left_out(damaged)
        index = {aid: e for aid, e in state.index.items() if aid not in new and aid not in gone}
        plan = Plan(index, new, stored, print_, files)
        del new, stored  # the plan holds them, and lets each go once the next stage has it
        state.pending.clear()
        graph = write_generation(folder, plan, settings, sinks, report)
        if on_graph is not None:
            on_graph(graph)
        graph.graph.pop("change", None)  # the delta served the sinks; the graph handed back does not keep it
        (out / JOURNAL).unlink(missing_ok=True)  # folded into the generation just switched in
    report.seconds = time.perf_counter() - start
    return report


def _classify(articles: Iterable[Article], state: State, report: Report) -> tuple[list[Article], dict[str, int]]:
    """The articles to extract (not in the build yet), and how many articles each source gave."""
    fresh: list[Article] = []
    seen: set[str] = set()
    per_source: dict[str, int] = {}
    known = state.ids
    for article in articles:
        if article.source:
            per_source[os.path.abspath(article.source)] = per_source.get(os.path.abspath(article.source), 0) + 1
        if article.id in known:
            report.reused += 1
        elif article.id not in seen:
            fresh.append(article)
        seen.add(article.id)
    return fresh, per_source


def left_out(damaged: dict[str, InputError]) -> set[str]:
    """Say which damaged articles leave the build (a later build given their sources extracts them anew)."""
    for aid, err in damaged.items():
        log.warning("%s: the facts of article %s cannot be read (%s); it is left out of this build, and "
                    "extracted again when its source is given", err.source, aid[:12], err.reason)  # fmt: skip
    return set(damaged)


def _intact(generation: Generation) -> bool:
    """Whether every part the generation reads is there as it was written (hashed, not decoded: a few ms)."""
    parts = generation.path.parent.parent / factstore.PARTS
    try:
        return all(factstore.digest(parts / name) == sha for name, sha in generation.manifest.parts.items())
    except OSError:
        return False


def _refetch(sources: list[str | Article], settings: Settings, damaged: dict[str, InputError]) -> list[Article]:
    """The damaged articles whose sources this run was given, read again to be extracted anew."""
    from .ingest import read_sources

    again = [a for a in read_sources(sources, settings) if isinstance(a, Article) and a.id in damaged]
    for article in again:
        err = damaged[article.id]
        log.warning("%s: the facts of article %s cannot be read (%s); extracting it again from %s",
                    err.source, article.id[:12], err.reason, article.source or article.doc_id)  # fmt: skip
    return again


def _read_whole(sources: list[str | Article], per_file: dict[str, int], report: Report) -> dict[str, list[int]]:
    """The file sources read in this run with no input skipped, to be left unread by the next build if unchanged."""
    bad = {os.path.abspath(err.source) for err in report.skipped}
    files: dict[str, list[int]] = {}
    for source in sources:
        key = _file_key(source)
        if key is not None and key[0] not in bad:
            files[key[0]] = [*key[1], per_file.get(key[0], 0)]
    return files


def _outputs(generation: Generation) -> dict[str, Path]:
    """The user-facing path of each output of a generation (`out/graph.ttl`, resolving through `current`)."""
    out = generation.path.parent.parent
    return {name: out / filename for name, filename in generation.manifest.outputs.items()}


@dataclass
class Plan:
    """What the next generation holds: the index kept from the current one, the records to append as its part,
    the facts of every article, and what the build was made from.

    Writing the generation empties `new` once the part holds its records, and `facts` once the graph is
    assembled, so that neither stays in memory beside the graph while the sinks run."""

    index: Index
    new: dict[str, Record]
    facts: dict[str, ArticleFacts]
    fingerprint: str
    files: dict[str, list[int]] = field(default_factory=dict)


def write_generation(
    folder: Folder, plan: Plan, settings: Settings, sinks: Iterable[str], report: Report
) -> nx.MultiDiGraph[str]:
    """Write the next generation (facts part, index, every output) beside the current one and switch it in;
    on any failure (a full disk included) the current generation stays the build, untouched."""
    number = folder.next_number()
    try:
        with collector_paused():
            return _write_generation(folder, folder.staging(number), number, plan, settings, sinks, report)
    except OSError as exc:
        raise GraphBuilderError(
            f"could not write the new build into {folder.out} ({exc.strerror or exc}); the previous build there is "
            "whole and unchanged: make room (or fix the folder's permissions) and run the same command again"
        ) from exc
    finally:
        folder.clean()  # what this run staged but did not switch in


def _write_generation(
    folder: Folder, staged: Path, number: int, plan: Plan, settings: Settings, sinks: Iterable[str], report: Report
) -> nx.MultiDiGraph[str]:
    index, new = dict(plan.index), plan.new
    if len({e.part for e in index.values()}) >= factstore.MAX_PARTS:  # compact: one part with every live record
        new = {**{r.id: r for r in factstore.records(folder.out, index)}, **new}
        index = {}
    if new:
        part = factstore.part_name(number)
        factstore.write_part(folder.out, part, new.values())
        index.update((r.id, Entry(r.doc_id, r.source, part)) for r in new.values())
    factstore.write_index(index, staged / factstore.INDEX)
    changed = set(plan.new)
    del new
    plan.new.clear()  # the part holds the records' lines now
    facts = [plan.facts[aid] for aid in index if aid in plan.facts]
    plan.facts.clear()  # `facts` holds them, until the graph does (`write_outputs` empties it)
    previous = folder.current()
    whole = len(index) <= settings.full_exports_max_articles
    sinks = tuple(s for s in sinks if whole or s not in WHOLE_EXPORTS)
    before = previous.path if previous is not None else None
    graph = write_outputs(facts, settings, sinks, report, staged, before, changed, carry_back=whole, release=True)
    outputs = _write_exports(folder, staged, number, index, graph, settings, whole)
    outputs.update((s, registry.filename(s)) for s in sinks)
    parts = factstore.part_digests(folder.out, index)
    manifest = Manifest(number, plan.fingerprint, parts, outputs, plan.files, report.facts)
    generation = folder.switch(staged, manifest)
    report.generation = number
    report.outputs = _outputs(generation)
    return graph


def _write_exports(
    folder: Folder,
    staged: Path,
    number: int,
    index: Index,
    graph: nx.MultiDiGraph[str],
    settings: Settings,
    whole: bool,
) -> dict[str, str]:
    """The exports a build keeps beside its sinks: the RDF update from the build before (always; its cost is
    what changed), and, for a build of at most `full_exports_max_articles` articles, `facts.jsonl` (written
    once; a curated build's says what its graph says). Bigger builds leave `facts.jsonl` and the whole
    Turtle to `graph-builder export`. Returns output name -> file, relative to the build folder's top."""
    from .sinks import rdf_delta

    change = graph.graph.get("change")
    delta = change.delta if change is not None and change.base is not None else None
    turtle = staged / registry.filename("turtle")
    path = rdf_delta.write(graph, delta, folder.out, number, settings, turtle)
    outputs = {"rdf-delta": str(path.relative_to(folder.out))}
    if whole:
        export_facts(folder.out, index, graph.graph.pop("curated_facts", None), staged / FACTS_FILE)
        outputs["facts"] = FACTS_FILE
    else:
        for name in (FACTS_FILE, *(registry.filename(s) for s in WHOLE_EXPORTS)):
            if (folder.out / name).is_symlink():  # a link to the export an earlier, smaller build wrote
                (folder.out / name).unlink()
    return outputs


def export_facts(out_dir: Path, index: Index, curated: list[ArticleFacts] | None, path: Path) -> None:
    """`facts.jsonl` of the build whose facts `index` names: the stored records as they are (streamed, not
    decoded), or, when corrections shaped its graph, the `curated` facts (as that graph states them)."""
    if curated is None:
        factstore.export_jsonl(out_dir, index, path)
    else:
        write_facts(curated, path)


def write_outputs(
    facts: list[ArticleFacts],
    settings: Settings,
    sinks: Iterable[str],
    report: Report,
    folder: Path,
    previous: Path | None = None,
    changed: Collection[str] = (),
    carry_back: bool = False,
    release: bool = False,
) -> nx.MultiDiGraph[str]:
    """Build the graph of `facts` and write each sink's file into `folder` (a generation being staged).

    With `release`, `facts` is emptied once the graph is assembled: the sinks read the graph alone, and the
    facts of every article would otherwise stay in memory beside it.

    With the `previous` generation's folder, the graph is assembled from what that generation kept, for the
    articles that changed (`changed`: extracted in this run), and the embedded store is that generation's
    store with the delta between the two graphs applied, not a reload of every row. The delta stays on the
    graph (`graph.graph["change"]`) for the other sinks that take one (the RDF update, Neo4j); with
    `carry_back` and corrections, so do the curated facts (`graph.graph["curated_facts"]`, for `facts.jsonl`)."""
    from .delta import DIGESTS, Change, Digests, GraphDelta, diff, digests_of, file_sha, read_digests, write_digests
    from .graph import schema_digest

    with resolution_frames(settings.dask_scheduler) as frames:  # the Dask cluster extraction ran on, if any
        graph, curated, touched = assemble_graph(facts, settings, folder, previous, changed, frames, carry_back)
    if curated is not facts:
        graph.graph["curated_facts"] = curated
    del curated
    if release:
        facts.clear()
    schema = schema_digest()
    old = read_digests(previous / DIGESTS, schema) if previous is not None else None
    # with no digests before, every sink loads the graph whole and none reads a delta: adding every node and
    # relationship to one would hold a row object per relationship for nothing (9 KB an article)
    delta, digests = diff(old, graph, touched) if old is not None else (GraphDelta(), digests_of(graph))
    labels: dict[str, int] = {}
    for label, _ in digests.nodes.values():  # the digests name every node and relationship, in graph order
        labels[label] = labels.get(label, 0) + 1
    report.facts = {**labels, "relationships": len(digests.relationships)}
    write_digests(digests, folder / DIGESTS, schema)
    patch = old is not None and previous is not None  # the sinks take the delta from the previous digests
    del old  # compared: the sinks read the delta, not the previous digests
    base = file_sha(previous / DIGESTS) if patch and previous is not None else None
    if base is None:  # no sink reads the digests of a delta from nothing: let them go before the store loads
        digests = Digests()
    graph.graph["change"] = Change(delta, digests, base, previous, folder, file_sha(folder / DIGESTS))
    del digests
    for name in sinks:
        path = folder / registry.filename(name)
        log.debug("writing %s", path)
        if name == "store" and patch and previous is not None and (previous / path.name).is_file():
            from .sinks.store import write_delta

            log.debug("store delta: %s", delta.counts())
            write_delta(delta, previous / path.name, path)
        else:
            registry.sink(name)(graph, path, settings)
    return graph


def assemble_graph(
    facts: list[ArticleFacts],
    settings: Settings,
    folder: Path,
    previous: Path | None,
    changed: Collection[str],
    frames: Frames | None = None,
    carry_back: bool = False,
) -> tuple[nx.MultiDiGraph[str], list[ArticleFacts], Reach | None]:
    """The curated graph of `facts` (and the facts as it states them, see `curation.curate`), keeping in
    `folder` what the next build needs to assemble only what it changes, and the nodes that may differ from
    the `previous` generation's graph (`graph.finish_reach`; None: anything may).

    Incremental assembly (`assembly.py`) covers builds with no curation records. A curated build is assembled
    whole: a merge, split or removal can move any fact, so its graph is `curate` of every article,
    and it keeps no assembly state (the build after it assembles whole too)."""
    from .assembly import FILENAME, assemble, read_assembly, write_assembly
    from .curation import curate, read_curation
    from .graph import finish, finish_reach
    from .resolve import Resolver

    if read_curation(settings.out_dir).records:
        return (*curate(facts, settings.out_dir, carry_back, frames), None)
    ordered = sorted(facts, key=lambda f: f.article.id)
    before = read_assembly(previous / FILENAME) if previous is not None else None
    state = assemble({af.article.id: af for af in ordered}, Resolver(ordered, frames=frames), before, changed)
    write_assembly(state, folder / FILENAME)
    touched = finish_reach(state.graph, state.touched) if state.touched is not None else None
    graph = finish(state.graph)
    graph.graph["curation"] = []  # no record applied, as `apply_curation` says of an uncurated build
    return graph, facts, touched


def load_facts(settings: Settings) -> list[ArticleFacts]:
    """The facts of the build readers see in `settings.out_dir` (its current generation, or the facts file of a
    folder written before generations); damaged records are named and left out."""
    folder = Folder(settings.out_dir)
    current = folder.current()
    if current is not None:
        damaged: dict[str, InputError] = {}
        facts = factstore.load(folder.out, current.index, damaged)
        for aid, err in damaged.items():
            log.warning("%s: the facts of article %s cannot be read (%s); left out", err.source, aid[:12], err.reason)
        return list(facts.values())
    legacy = folder.legacy_facts()
    if legacy is None:
        raise GraphBuilderError(
            f"no build in {settings.out_dir}: run `graph-builder build SOURCES --out {settings.out_dir}` first"
        )
    return list(iter_facts(legacy, []))


def load_graph(settings: Settings) -> nx.MultiDiGraph[str]:
    """The graph of the last build in `settings.out_dir`, rebuilt from its facts."""
    from .curation import apply_curation

    return apply_curation(load_facts(settings), settings.out_dir)
