"""The Python API: texts or sources in, a `KnowledgeGraph` with DataFrames, Cypher and writers out.

Everything here wraps the stages the command line runs (`build.build`, the
graph, the sinks); nothing is computed twice. With `out=None` a build works in
a private temporary folder, removed when the graph object goes, so nothing is
written to the user's folders.
"""

from __future__ import annotations

import html
import shutil
import tempfile
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from . import queries, registry
from .build import BUILD_SINKS, Report
from .build import build as build_sources
from .config import Settings
from .errors import ConfigError
from .graph import edges_of, nodes_of
from .ingest.url import is_url
from .model import Article, ArticleFacts

Source = str | Path | Article

#: Formats `KnowledgeGraph.to_rdf` writes, as `graph-builder export --format` names them.
RDF_FORMATS = ("turtle", "ntriples", "jsonld", "trig")


def _api_settings(settings: Settings | None, out: str | Path | None) -> Settings:
    """Library defaults: no progress bar, one process (a notebook's few texts do not pay a pool's start-up)."""
    base = settings if settings is not None else Settings(progress=False, workers=1)
    return base.with_overrides(out_dir=Path(out) if out is not None else None)


def _as_source(item: Source) -> str | Article:
    """A path, URL or Article as it is; any other string is the text of an article."""
    if isinstance(item, Article | Path):
        return item if isinstance(item, Article) else str(item)
    looks_like_path = not any(c.isspace() for c in item.strip()) and len(item) < 4096
    if is_url(item) or looks_like_path or Path(item).exists():
        return item
    return Article.from_text(item)


def build(
    sources_or_texts: Source | Iterable[Source], out: str | Path | None = None, settings: Settings | None = None
) -> KnowledgeGraph:
    """Build the knowledge graph of files, folders, feeds, URLs, `Article`s or article texts.

    A string with spaces in it that is not an existing path is read as an article's text.
    With `out`, every output (facts, store, Turtle, HTML) is written there, merging with an
    earlier build in that folder, as `graph-builder build` does; without it nothing is written
    outside a temporary folder. Inputs that cannot be read are listed in `.report.skipped`.
    """
    items = [sources_or_texts] if isinstance(sources_or_texts, str | Path | Article) else list(sources_or_texts)
    sources = [_as_source(item) for item in items]
    scratch = None if out is not None else Path(tempfile.mkdtemp(prefix="graph_builder-"))
    try:
        chosen = _api_settings(settings, out if out is not None else scratch)
        captured: list[nx.MultiDiGraph[str]] = []
        sinks = ("store",) if scratch is not None else BUILD_SINKS
        report = build_sources(sources, chosen, sinks=sinks, on_graph=captured.append)
    except BaseException:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        raise
    return KnowledgeGraph(captured[0], chosen, report, scratch)


def export(out: str | Path, format: str, path: str | Path | None = None, settings: Settings | None = None) -> Path:
    """Write the build in folder `out` as `format` (`facts`, or an RDF or other export format) to `path`
    (default: its usual name in `out`), as `graph-builder export` does; returns the file written."""
    from .exports import export as export_build

    return export_build(_api_settings(settings, out), format, Path(path) if path is not None else None)


def extract(
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    published: str | None = None,
    settings: Settings | None = None,
) -> ArticleFacts:
    """The facts of one article's text: people, organisations, roles and events, each with its sentence;
    `settings` chooses the pipeline, the scorer models and the least confidence kept."""
    from .extract.runner import Extractor  # loads spaCy: only when extraction is asked for

    chosen = settings if settings is not None else Settings()
    with Extractor(chosen.model, 1, scoring=chosen.scoring) as extractor:
        return extractor.extract_one(Article.from_text(text, title=title, url=url, published=published))


def _sentence(graph: nx.MultiDiGraph[str], span: str) -> dict[str, Any]:
    """The sentence behind one span reference, with its article's title, URL and date."""
    article_id = span.rsplit(":", 1)[0]
    article = graph.nodes.get(f"article:{article_id}", {})
    return {
        "sentence": graph.graph.get("sentences", {}).get(span),
        "article_title": article.get("title"),
        "url": article.get("url"),
        "date": article.get("published"),
        "article_id": article_id,
    }


@dataclass(eq=False)
class KnowledgeGraph:
    """A built graph: DataFrames of its people, organisations, roles and events, Cypher, and writers.

    `report` says what the build read, extracted and skipped; `settings` are the ones it ran with.
    """

    graph: nx.MultiDiGraph[str]
    settings: Settings
    report: Report = field(repr=False)
    _scratch: Path | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self._scratch is not None:
            weakref.finalize(self, shutil.rmtree, self._scratch, True)

    def __repr__(self) -> str:
        counts = ", ".join(f"{v} {k}" for k, v in self.report.facts.items())
        return f"KnowledgeGraph({counts})"

    def networkx(self) -> nx.MultiDiGraph[str]:
        """The property graph itself (docs/schema.md): nodes keyed by stable id, edges keyed by type."""
        return self.graph

    def _entities(self, label: str, columns: list[str]) -> pd.DataFrame:
        mentioned: dict[str, set[str]] = {}
        for article, entity, _ in edges_of(self.graph, "MENTIONS"):
            mentioned.setdefault(entity, set()).add(article)
        rows = [
            {
                **{c: d.get(c) for c in columns},
                "articles": len(mentioned.get(d["id"], ())),
            }
            for d in nodes_of(self.graph, label)
        ]
        return pd.DataFrame(rows, columns=[*columns, "articles"])

    def people(self) -> pd.DataFrame:
        """One row a person: id, name, aliases and the number of articles that mention them."""
        return self._entities("Person", ["id", "name", "aliases"])

    def organisations(self) -> pd.DataFrame:
        """One row an organisation: id, name, aliases, kind and the number of articles that mention it."""
        return self._entities("Organisation", ["id", "name", "aliases", "kind"])

    def roles(self) -> pd.DataFrame:
        """One row per post held and sentence stating it, with the article's title, URL and date."""
        rows: list[dict[str, Any]] = []
        for person, role, data in edges_of(self.graph, "HOLDS"):
            post = self.graph.nodes[role]
            organisation = post.get("organisation")
            fact = {
                "person": self.graph.nodes[person]["name"],
                "title": data.get("title") or post.get("title"),
                "organisation": self.graph.nodes[organisation]["name"] if organisation else None,
                "status": data.get("status"),
                "confidence": data.get("confidence"),
            }
            rows.extend({**fact, **_sentence(self.graph, span)} for span in data.get("spans", []))
        return pd.DataFrame(rows, columns=[*_ROLE_COLUMNS, *_SENTENCE_COLUMNS])

    def events(self) -> pd.DataFrame:
        """One row per event party and sentence stating it, with the article's title, URL and date."""
        rows: list[dict[str, Any]] = []
        for party, event, data in edges_of(self.graph, "PARTICIPATED_IN"):
            node = self.graph.nodes[event]
            fact = {
                "event": node["name"],
                "type": node.get("type"),
                "event_date": node.get("date"),
                "participant": self.graph.nodes[party]["name"],
                "as": data.get("as"),
                "confidence": data.get("confidence"),
            }
            rows.extend({**fact, **_sentence(self.graph, span)} for span in data.get("spans", []))
        return pd.DataFrame(rows, columns=[*_EVENT_COLUMNS, *_SENTENCE_COLUMNS])

    def query(self, cypher: str, **params: Any) -> pd.DataFrame:
        """Run a library query by name (`"roles"`, `"person"`…) or Cypher text, read-only, on the embedded store."""
        from .sinks.store import run_query

        store = self.report.outputs.get("store")
        if store is None:
            raise ConfigError("this graph was built without the embedded store; build it with the store sink")
        q = queries.get(cypher, "ladybug")
        missing = [p for p in q.params if p not in params]
        if missing:
            raise ConfigError(f"query {q.name} needs {', '.join(p + '=...' for p in missing)}")
        columns, rows = run_query(store, q.text, params)
        return pd.DataFrame(rows, columns=columns)

    def to_neo4j(
        self,
        uri: str,
        *,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        batch_size: int | None = None,
    ) -> dict[str, int]:
        """MERGE the graph into a Neo4j server (idempotent); returns rows written per label and type.

        The password defaults to NEO4J_PASSWORD, as everywhere else.
        """
        import os

        from .sinks import neo4j

        neo = self.settings.with_overrides(
            neo4j_uri=uri,
            neo4j_user=user,
            neo4j_password=password if password is not None else os.environ.get("NEO4J_PASSWORD"),
            neo4j_database=database,
            neo4j_batch_size=batch_size,
        )
        if neo.neo4j_password is None:
            raise ConfigError("pass password= or set NEO4J_PASSWORD to load into Neo4j")
        return neo4j.load_graph(self.graph, neo)

    def to_rdf(self, path: str | Path, format: str = "turtle") -> Path:
        """Write RDF (turtle, ntriples, jsonld or trig) to `path`; returns the path."""
        if format not in RDF_FORMATS:
            raise ConfigError(f"unknown RDF format {format!r}; use one of {', '.join(RDF_FORMATS)}")
        registry.sink(format)(self.graph, Path(path), self.settings)
        return Path(path)

    def view(
        self,
        path: str | Path,
        *,
        focus: str | None = None,
        depth: int = 1,
        max_nodes: int | None = None,
        full: bool = False,
    ) -> Path:
        """Write the interactive HTML view (or one node's neighbourhood) to `path`; returns the path. A big graph's
        page carries the tooltips of its overview only, unless `full`."""
        from .sinks.html import write

        write(self.graph, Path(path), self.settings, focus=focus, depth=depth, max_nodes=max_nodes, full=full)
        return Path(path)

    def _repr_html_(self) -> str:
        """The HTML view inline in Jupyter, sandboxed in an iframe so its script and styles stay its own."""
        with tempfile.TemporaryDirectory(prefix="graph_builder-view-") as tmp:
            page = self.view(Path(tmp) / "view.html").read_text(encoding="utf-8")
        return (
            f'<iframe srcdoc="{html.escape(page, quote=True)}" style="width:100%;height:600px;border:0" '
            'sandbox="allow-scripts"></iframe>'
        )


_ROLE_COLUMNS = ["person", "title", "organisation", "status", "confidence"]
_EVENT_COLUMNS = ["event", "type", "event_date", "participant", "as", "confidence"]
_SENTENCE_COLUMNS = ["sentence", "article_title", "url", "date", "article_id"]
