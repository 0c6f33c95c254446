"""The main job: sources in, every output written, merging with what an earlier build stored.

The facts file in the output folder is the manifest: articles already in it
are not extracted again, new articles are extracted and merged, and the
graph and every sink are rebuilt from all the facts. Re-running on the same
input therefore changes nothing, and the order articles arrive in does not
matter.

Extracted facts are appended to a journal as they come (synced every few
articles); a run killed mid-way keeps that work, and the next run folds the
journal into the facts file.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

import networkx as nx

from . import registry
from .config import Settings
from .errors import GraphBuilderError, InputError
from .graph import build_graph
from .ingest import read_sources
from .model import Article, ArticleFacts
from .sinks.facts import FILENAME as FACTS_FILE
from .sinks.facts import dump_line, iter_facts, write_facts

if TYPE_CHECKING:
    from .extract.runner import Extractor

log = logging.getLogger("graph_builder")

#: What `build` writes besides the facts file.
BUILD_SINKS = ("store", "turtle", "html")
#: Facts extracted by a run that has not yet written the facts file; folded in by the next run.
JOURNAL = ".facts.journal.jsonl"
#: Articles between syncs of the journal to disk.
JOURNAL_SYNC = 16


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
        lines.append(f"done in {self.seconds:.1f}s")
        return "\n".join(lines)


def collect_articles(sources: Iterable[str | Article], settings: Settings, report: Report) -> Iterator[Article]:
    """Articles from the sources; each unreadable input is logged once and counted, the rest go on."""
    for item in read_sources(sources, settings, report.ignored):
        if isinstance(item, Article) and len(item.text) > settings.max_article_chars:
            item = InputError(
                item.source or item.doc_id,
                f"article of {len(item.text):,} characters is longer than max_article_chars "
                f"({settings.max_article_chars:,}); raise it in graph_builder.toml to extract it "
                "(spaCy needs about 1 GB of memory per 100,000 characters)",
            )
        if isinstance(item, InputError):
            log.warning("skipped %s", item)
            report.skipped.append(item)
        else:
            report.read += 1
            yield item


def progress(
    items: Iterable[ArticleFacts], enabled: bool, total: int | None = None, every: int = 500
) -> Iterable[ArticleFacts]:
    """A progress bar on a terminal (done, rate, ETA); plain log lines every `every` articles otherwise."""
    if enabled and sys.stderr.isatty():
        from tqdm import tqdm

        bar: Iterable[ArticleFacts] = tqdm(items, total=total, unit="article", desc="extracting", file=sys.stderr)
        return bar

    def logged() -> Iterator[ArticleFacts]:
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
            articles, settings.dask_scheduler, settings.model, settings.batch_size, settings.max_article_chars
        )
        return
    # collect_articles has already skipped what is longer than max_article_chars
    make = cast("type[Extractor]", registry.get("extractor", "rules"))
    with make(
        settings.model, settings.workers, settings.batch_size, max_length=settings.max_article_chars
    ) as extractor:
        yield from extractor.extract(articles)


def load_manifest(out_dir: Path, report: Report | None = None) -> dict[str, ArticleFacts]:
    """The facts of earlier builds, with what a killed run had journalled; damaged lines are left out."""
    stored: dict[str, ArticleFacts] = {}
    for name in (FACTS_FILE, JOURNAL):
        path = out_dir / name
        if not path.exists():
            continue
        errors: list[InputError] = []
        stored.update((af.article.id, af) for af in iter_facts(path, errors))
        for err in errors:
            if name == JOURNAL:  # the last line of a killed run's journal may be cut short
                log.info("%s: an interrupted run's last record is incomplete; that article is extracted again", path)
            else:
                log.warning("%s", err)
    return stored


def journal_extraction(facts: Iterable[ArticleFacts], out_dir: Path) -> Iterator[ArticleFacts]:
    """Pass facts through, appending each to the journal (a killed process loses none) and syncing it
    to disk every few articles (a power cut loses a few)."""
    with open(out_dir / JOURNAL, "a", encoding="utf-8") as journal:
        for n, af in enumerate(facts, 1):
            journal.write(dump_line(af))
            journal.flush()
            if n % JOURNAL_SYNC == 0:
                os.fsync(journal.fileno())
            yield af
        os.fsync(journal.fileno())


def build(
    sources: Iterable[str | Article],
    settings: Settings,
    sinks: Iterable[str] = BUILD_SINKS,
    on_graph: Callable[[nx.MultiDiGraph[str]], None] | None = None,
) -> Report:
    """Ingest, extract what is new, rebuild the graph from all facts, and write every sink."""
    start = time.perf_counter()
    report = Report()
    out = settings.out_dir
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(".*.tmp"):  # temporary files of a run killed mid-write; never the outputs themselves
        stale.unlink(missing_ok=True)
    stored = load_manifest(out, report)
    fresh: list[Article] = []
    seen: set[str] = set()
    for article in collect_articles(sources, settings, report):
        if article.id in stored:
            report.reused += 1
        elif article.id not in seen:
            seen.add(article.id)
            fresh.append(article)
    journalled = (out / JOURNAL).exists()
    if fresh:
        extracted = journal_extraction(extract_facts(fresh, settings), out)
        for af in progress(extracted, settings.progress, len(fresh), settings.progress_every):
            stored[af.article.id] = af
            report.extracted += 1
    if report.extracted or journalled or not (out / FACTS_FILE).exists():
        write_facts(stored.values(), out / FACTS_FILE)
        (out / JOURNAL).unlink(missing_ok=True)
    report.outputs["facts"] = out / FACTS_FILE
    graph = write_outputs(list(stored.values()), settings, sinks, report)
    if on_graph is not None:
        on_graph(graph)
    report.seconds = time.perf_counter() - start
    return report


def write_outputs(
    facts: list[ArticleFacts], settings: Settings, sinks: Iterable[str], report: Report
) -> nx.MultiDiGraph[str]:
    graph = build_graph(facts)
    labels: dict[str, int] = {}
    for _, d in graph.nodes(data=True):
        labels[d["label"]] = labels.get(d["label"], 0) + 1
    report.facts = {**labels, "relationships": graph.number_of_edges()}
    for name in sinks:
        path = settings.out_dir / str(registry.meta("sink", name)["filename"])
        log.debug("writing %s", path)
        registry.get("sink", name)(graph, path, settings)
        report.outputs[name] = path
    return graph


def load_graph(settings: Settings) -> nx.MultiDiGraph[str]:
    """The graph of the last build in `settings.out_dir`, rebuilt from its facts file."""
    path = settings.out_dir / FACTS_FILE
    if not path.exists():
        raise GraphBuilderError(
            f"no build in {settings.out_dir}: run `graph-builder build SOURCES --out {settings.out_dir}` first"
        )
    return build_graph(load_manifest(settings.out_dir).values())
