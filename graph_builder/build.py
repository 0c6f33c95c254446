"""The main job: sources in, every output written, merging with what an earlier build stored.

The facts file in the output folder is the manifest: articles already in it
are not extracted again, new articles are extracted and merged, and the
graph and every sink are rebuilt from all the facts. Re-running on the same
input therefore changes nothing, and the order articles arrive in does not
matter.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from . import registry
from .config import Settings
from .errors import GraphBuilderError, InputError
from .graph import build_graph
from .ingest import read_sources
from .model import Article, ArticleFacts
from .sinks.facts import FILENAME as FACTS_FILE
from .sinks.facts import iter_facts, write_facts

log = logging.getLogger("graph_builder")

#: What `build` writes besides the facts file.
BUILD_SINKS = ("store", "turtle", "html")


@dataclass
class Report:
    """What a run did, for the summary line and the exit status."""

    read: int = 0
    extracted: int = 0
    reused: int = 0
    skipped: list[InputError] = field(default_factory=list)
    facts: dict[str, int] = field(default_factory=dict)
    outputs: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """0 when every input was read, 4 when some were skipped (documented in the README)."""
        return 4 if self.skipped else 0

    def summary(self) -> str:
        lines = [
            f"read {self.read} article(s): {self.extracted} extracted, {self.reused} unchanged; "
            f"skipped {len(self.skipped)} input(s)"
        ]
        if self.facts:
            lines.append("graph: " + ", ".join(f"{v} {k}" for k, v in self.facts.items()))
        for err in self.skipped:
            lines.append(f"  skipped {err}")
        lines.append(f"done in {self.seconds:.1f}s")
        return "\n".join(lines)


def collect_articles(sources: Iterable[str], settings: Settings, report: Report) -> Iterator[Article]:
    """Articles from the sources; each unreadable input is logged once and counted, the rest go on."""
    for item in read_sources(sources, settings):
        if isinstance(item, InputError):
            log.warning("skipped %s", item)
            report.skipped.append(item)
        else:
            report.read += 1
            yield item


def progress(items: Iterable[ArticleFacts], enabled: bool, total: int | None = None) -> Iterable[ArticleFacts]:
    """A progress bar on a terminal; plain log lines every 500 articles otherwise."""
    if enabled and sys.stderr.isatty():
        from tqdm import tqdm

        return tqdm(items, total=total, unit="article", desc="extracting", file=sys.stderr)

    def logged() -> Iterator[ArticleFacts]:
        start = time.perf_counter()
        for n, item in enumerate(items, 1):
            if n % 500 == 0:
                rate = n / max(time.perf_counter() - start, 1e-9)
                log.info("extracted %d articles (%.0f/s)", n, rate)
            yield item

    return logged()


def extract_facts(articles: Iterable[Article], settings: Settings) -> Iterator[ArticleFacts]:
    extractor = registry.get("extractor", "rules")(settings.model, settings.workers, settings.batch_size)
    yield from extractor.extract(articles)  # type: ignore[attr-defined]


def load_manifest(out_dir: Path, report: Report | None = None) -> dict[str, ArticleFacts]:
    path = out_dir / FACTS_FILE
    if not path.exists():
        return {}
    errors: list[InputError] = []
    stored = {af.article.id: af for af in iter_facts(path, errors)}
    for err in errors:
        log.warning("%s", err)
    return stored


def build(
    sources: Iterable[str],
    settings: Settings,
    sinks: Iterable[str] = BUILD_SINKS,
    on_graph: Callable[[nx.MultiDiGraph], None] | None = None,
) -> Report:
    """Ingest, extract what is new, rebuild the graph from all facts, and write every sink."""
    start = time.perf_counter()
    report = Report()
    out = settings.out_dir
    out.mkdir(parents=True, exist_ok=True)
    stored = load_manifest(out, report)
    fresh: list[Article] = []
    seen: set[str] = set()
    for article in collect_articles(sources, settings, report):
        if article.id in stored:
            report.reused += 1
        elif article.id not in seen:
            seen.add(article.id)
            fresh.append(article)
    for af in progress(extract_facts(fresh, settings), settings.progress, len(fresh)):
        stored[af.article.id] = af
        report.extracted += 1
    if report.extracted or not (out / FACTS_FILE).exists():
        write_facts(stored.values(), out / FACTS_FILE)
    report.outputs["facts"] = out / FACTS_FILE
    graph = write_outputs(list(stored.values()), settings, sinks, report)
    if on_graph is not None:
        on_graph(graph)
    report.seconds = time.perf_counter() - start
    return report


def write_outputs(
    facts: list[ArticleFacts], settings: Settings, sinks: Iterable[str], report: Report
) -> nx.MultiDiGraph:
    graph = build_graph(facts)
    labels: dict[str, int] = {}
    for _, d in graph.nodes(data=True):
        labels[d["label"]] = labels.get(d["label"], 0) + 1
    report.facts = {**labels, "relationships": graph.number_of_edges()}
    for name in sinks:
        path = settings.out_dir / str(registry.meta("sink", name)["filename"])
        registry.get("sink", name)(graph, path, settings)
        report.outputs[name] = path
    return graph


def load_graph(settings: Settings) -> nx.MultiDiGraph:
    """The graph of the last build in `settings.out_dir`, rebuilt from its facts file."""
    path = settings.out_dir / FACTS_FILE
    if not path.exists():
        raise GraphBuilderError(
            f"no build in {settings.out_dir}: run `graph-builder build SOURCES --out {settings.out_dir}` first"
        )
    return build_graph(load_manifest(settings.out_dir).values())
