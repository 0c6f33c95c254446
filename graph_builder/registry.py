"""The pluggable parts, sinks (exporters) and extractors, declared by name and imported only when used.

Each entry names its kind, its name and where it lives ("module:attribute"), plus what callers need
before running it (a sink's default file name), so listing the parts, or choosing a file name, imports
none of them, and `graph-builder export --format ntriples` loads rdflib but not the Neo4j driver,
pandas, LadybugDB or pyvis. The built-in parts are declared at the end of this module; another
package adds its own through an entry point in the group `graph_builder.sinks` or
`graph_builder.extractors` (the value is "module:attribute"; a sink's default file name is the
object's `filename` attribute, else `graph.NAME`). A built-in name wins over an entry point's.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Literal, Protocol, Self, cast

from .errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path
    from types import TracebackType

    import networkx as nx

    from .config import Scoring, Settings
    from .model import Article, ArticleFacts

Kind = Literal["sink", "extractor"]
KINDS: tuple[Kind, ...] = ("sink", "extractor")
#: Entry-point group of each kind, for parts shipped by other packages.
GROUPS: dict[Kind, str] = {"sink": "graph_builder.sinks", "extractor": "graph_builder.extractors"}
#: The extractor `build` runs.
DEFAULT_EXTRACTOR = "rules"


class Sink(Protocol):
    """Writes the whole graph to `path`, replacing what was there only once the new output is complete."""

    def __call__(self, graph: nx.MultiDiGraph[str], path: Path, settings: Settings, /) -> None: ...


class Extractor(Protocol):
    """Turns articles into their facts, in the order they came; a context manager, so workers it starts end."""

    def extract(self, articles: Iterable[Article]) -> Iterator[ArticleFacts]: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None, /
    ) -> None: ...


class ExtractorFactory(Protocol):
    """What an extractor entry names: called with the model, worker count, batch size, longest article and the
    scorer models with the least confidence kept."""

    def __call__(
        self, model: str | None, workers: int, batch_size: int, max_length: int | None, scoring: Scoring, /
    ) -> Extractor: ...


@dataclass(frozen=True)
class Entry:
    """One part: where it lives, and what is known of it without importing it."""

    kind: Kind
    name: str
    target: str  # "package.module:attribute"
    filename: str | None = None  # a sink's default file (or folder) in the out folder, if known unimported
    export: bool = True  # a sink `graph-builder export` offers (the store is written by `build` alone)

    def load(self) -> object:
        """Import the part's module and return the part; a broken entry is a ConfigError naming it."""
        module, _, attribute = self.target.partition(":")
        try:
            obj: object = importlib.import_module(module)
            for part in attribute.split("."):
                obj = getattr(obj, part)
        except (ImportError, AttributeError) as exc:
            raise ConfigError(f"{self.kind} {self.name!r}: cannot load {self.target}: {exc}") from exc
        if not callable(obj):
            raise ConfigError(f"{self.kind} {self.name!r}: {self.target} is not callable")
        return obj


_ENTRIES: dict[Kind, dict[str, Entry]] = {kind: {} for kind in KINDS}
_plugins_read: set[Kind] = set()


def register(kind: Kind, name: str, target: str, *, filename: str | None = None, export: bool = True) -> Entry:
    """Declare the part `name` of `kind`, found at `target` ("module:attribute") when first used."""
    if ":" not in target:
        raise ConfigError(f"{kind} {name!r}: target {target!r} is not of the form 'module:attribute'")
    entry = Entry(kind, name, target, filename, export)
    _ENTRIES[kind][name] = entry
    return entry


def _read_plugins(kind: Kind) -> None:
    """Add the entry points of other installed packages, once, importing none of them."""
    if kind in _plugins_read:
        return
    _plugins_read.add(kind)
    for point in entry_points(group=GROUPS[kind]):
        if point.name not in _ENTRIES[kind]:
            register(kind, point.name, point.value)


def entry(kind: Kind, name: str) -> Entry:
    if name not in _ENTRIES[kind]:
        _read_plugins(kind)
    try:
        return _ENTRIES[kind][name]
    except KeyError:
        raise ConfigError(f"no {kind} called {name!r}; known: {', '.join(names(kind))}") from None


def names(kind: Kind, *, export: bool = False) -> list[str]:
    """Every part of `kind`, sorted; with `export`, only the sinks `graph-builder export` offers."""
    _read_plugins(kind)
    return sorted(name for name, e in _ENTRIES[kind].items() if e.export or not export)


def sink(name: str) -> Sink:
    return cast("Sink", entry("sink", name).load())


def filename(name: str) -> str:
    """The default file (or folder) of the sink `name` in the out folder; another package's sink says it
    in its `filename` attribute (which takes an import), else it is `graph.NAME`."""
    e = entry("sink", name)
    return e.filename or str(getattr(e.load(), "filename", f"graph.{name}"))


def extractor(name: str = DEFAULT_EXTRACTOR) -> ExtractorFactory:
    return cast("ExtractorFactory", entry("extractor", name).load())


register("sink", "store", "graph_builder.sinks.store:write", filename="graph.lbdb", export=False)
register("sink", "turtle", "graph_builder.sinks.rdf:write_turtle", filename="graph.ttl")
register("sink", "ntriples", "graph_builder.sinks.rdf:write_ntriples", filename="graph.nt")
register("sink", "jsonld", "graph_builder.sinks.rdf:write_jsonld", filename="graph.jsonld")
register("sink", "trig", "graph_builder.sinks.rdf:write_trig", filename="graph.trig")
register("sink", "graphml", "graph_builder.sinks.graphml:write", filename="graph.graphml")
register("sink", "html", "graph_builder.sinks.html:write", filename="graph.html")
register("sink", "gold", "graph_builder.sinks.gold:write_gold", filename="gold.jsonl")
register("sink", "neo4j-admin", "graph_builder.sinks.neo4j_admin:write", filename="neo4j-admin")
register("extractor", DEFAULT_EXTRACTOR, "graph_builder.extract.runner:Extractor")
