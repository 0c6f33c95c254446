"""What changed between two builds' graphs: the rows a sink that takes a delta applies, and nothing else.

A build keeps a digest of every node and relationship it wrote (`graph-digests.parquet` in its
generation: id, label and an 8-byte digest of the properties per node; source, target, type, both
ends' labels and a digest per relationship). The next build compares its graph with those digests
and hands each delta-taking sink (the embedded store, Neo4j) a `GraphDelta`: the nodes and
relationships that are new, those whose properties changed (with all their properties, so a sink
can replace them whole), and the keys of those that are gone. Relationships are keyed by
(source id, target id, type): the graph holds at most one relationship of a type between two nodes.

Comparing digests costs one pass over the new graph and none over the old one, so it needs no copy
of the previous graph in memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .atomic import atomic_open

if TYPE_CHECKING:
    import networkx as nx

#: A generation's digests of its graph, beside its index.
DIGESTS = "graph-digests.parquet"

#: One row per node (its id in `source`, its label in `source_label`, `type` empty) or relationship.
_SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("target", pa.string()),
        ("type", pa.string()),
        ("source_label", pa.string()),
        ("target_label", pa.string()),
        ("digest", pa.binary(8)),
    ]
)


class NodeKey(NamedTuple):
    """A node as a delta names one that is gone: its id and the label (table) it was stored under."""

    id: str
    label: str


class RelKey(NamedTuple):
    """A relationship as a delta names one that is gone: its ends with their labels, and its type. A named
    tuple, not a dataclass: a build makes and hashes one per relationship, and a tuple does both in C."""

    source: str
    target: str
    type: str
    source_label: str
    target_label: str


@dataclass(frozen=True)
class Node:
    """A node to write: every property the graph holds for it (`id`, `label` and `name` among them)."""

    key: NodeKey
    props: dict[str, Any]


@dataclass(frozen=True)
class Rel:
    """A relationship to write, with every property the graph holds for it (`type` among them)."""

    key: RelKey
    props: dict[str, Any]


@dataclass
class GraphDelta:
    """The change from one build's graph to the next: what a sink must add, replace and delete.

    `changed_*` rows carry all their properties, not only the changed ones: a sink replaces them whole.
    Removed nodes' relationships are listed in `removed_relationships` too, so a sink that deletes
    relationships before nodes never meets a dangling one.
    """

    added_nodes: list[Node] = field(default_factory=list)
    changed_nodes: list[Node] = field(default_factory=list)
    removed_nodes: list[NodeKey] = field(default_factory=list)
    added_relationships: list[Rel] = field(default_factory=list)
    changed_relationships: list[Rel] = field(default_factory=list)
    removed_relationships: list[RelKey] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(self.counts().values())

    def counts(self) -> dict[str, int]:
        """Rows of each kind, for logs and the bench."""
        return {
            "added_nodes": len(self.added_nodes),
            "changed_nodes": len(self.changed_nodes),
            "removed_nodes": len(self.removed_nodes),
            "added_relationships": len(self.added_relationships),
            "changed_relationships": len(self.changed_relationships),
            "removed_relationships": len(self.removed_relationships),
        }


@dataclass
class Digests:
    """A graph's digests: node id -> (label, digest), relationship key -> digest."""

    nodes: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    relationships: dict[RelKey, bytes] = field(default_factory=dict)


@dataclass
class Reach:
    """What may differ between a graph and the one a build's digests were made of: the nodes whose properties may
    have changed, the relationships (source, target, type) that may have, and the nodes any of whose
    relationships may have come, gone or changed (`around`). Every other node and relationship is as it was."""

    nodes: set[str] = field(default_factory=set)
    relationships: set[tuple[str, str, str]] = field(default_factory=set)
    around: set[str] = field(default_factory=set)


@dataclass
class Change:
    """A build's delta, handed to every sink that takes one so none diffs again: the delta from the digests
    whose file had sha256 `base` to `digests`. With no `base` (no digests before) the delta and the digests are
    empty: every sink then loads the graph whole, and none reads them."""

    delta: GraphDelta
    digests: Digests
    base: str | None
    #: The generation whose digests are `base`, the generation being written, and the sha256 of the digests
    #: written there: a sink keeping state of its own beside them (the HTML view's degrees) patches the
    #: previous generation's state with `delta` when that state was made from the `base` digests.
    previous: Path | None = None
    folder: Path | None = None
    sha: str | None = None


def file_sha(path: Path) -> str | None:
    """The sha256 of a digests file, to tell whether two were written from the same digests; None if absent."""
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


def _digest(props: dict[str, Any]) -> bytes:
    # repr of the sorted items: the graph's values are str, int, float, None and lists of str
    return hashlib.blake2b(repr(sorted(props.items())).encode(), digest_size=8).digest()


def _rels(graph: nx.MultiDiGraph[str]) -> Iterator[tuple[RelKey, dict[str, Any]]]:
    nodes = graph.nodes
    for u, v, rel, data in graph.edges(keys=True, data=True):
        yield RelKey(u, v, rel, nodes[u]["label"], nodes[v]["label"]), data


def digests_of(graph: nx.MultiDiGraph[str]) -> Digests:
    """The digests of every node and relationship of `graph`, in graph order (as `diff` from no digests makes
    them)."""
    return Digests(
        {n: (d["label"], _digest(d)) for n, d in graph.nodes(data=True)},
        {key: _digest(d) for key, d in _rels(graph)},
    )


def diff(old: Digests, graph: nx.MultiDiGraph[str], reach: Reach | None = None) -> tuple[GraphDelta, Digests]:
    """The delta from the graph `old` digests to `graph`, and `graph`'s own digests (for the next build).

    With the `reach` of a build (`graph.finish_reach`), only what it names, the nodes `old` lacks or holds under
    another label, and those nodes' relationships are compared; every other node and relationship keeps its
    old digest. The result is the same, in another order."""
    if reach is not None:
        return _diff_reach(old, graph, reach)
    delta, new = GraphDelta(), Digests()
    for n, data in graph.nodes(data=True):
        _compare_node(old, n, data, delta, new)
    for key, data in _rels(graph):
        _compare_rel(old, key, data, delta, new)
    delta.removed_nodes += [NodeKey(n, label) for n, (label, _) in old.nodes.items() if n not in new.nodes]
    gone = {k.id for k in delta.removed_nodes}  # relabelled nodes among them
    delta.removed_relationships = [
        k for k in old.relationships if k not in new.relationships or k.source in gone or k.target in gone
    ]
    return delta, new


def _compare_node(old: Digests, n: str, data: dict[str, Any], delta: GraphDelta, new: Digests) -> None:
    """Digest node `n` into `new` and put it in `delta` as added, relabelled or changed since `old`."""
    label, digest = data["label"], _digest(data)
    new.nodes[n] = (label, digest)
    before = old.nodes.get(n)
    if before is None:
        delta.added_nodes.append(Node(NodeKey(n, label), data))
    elif before[0] != label:  # stored under another label: a sink deletes it there and adds it here
        delta.removed_nodes.append(NodeKey(n, before[0]))
        delta.added_nodes.append(Node(NodeKey(n, label), data))
    elif before[1] != digest:
        delta.changed_nodes.append(Node(NodeKey(n, label), data))


def _compare_rel(old: Digests, key: RelKey, data: dict[str, Any], delta: GraphDelta, new: Digests) -> None:
    """Digest relationship `key` into `new` and put it in `delta` as added or changed since `old`."""
    digest = _digest(data)
    new.relationships[key] = digest
    before = old.relationships.get(key)
    if before is None:
        delta.added_relationships.append(Rel(key, data))
    elif before != digest:
        delta.changed_relationships.append(Rel(key, data))


def _diff_reach(old: Digests, graph: nx.MultiDiGraph[str], reach: Reach) -> tuple[GraphDelta, Digests]:
    delta, new = GraphDelta(), Digests()
    nodes = graph.nodes
    around = set(reach.around)
    for n, data in nodes.items():
        before = old.nodes.get(n)
        if before is not None and before[0] == data["label"] and n not in reach.nodes and n not in around:
            new.nodes[n] = before
            continue
        if before is None or before[0] != data["label"]:
            around.add(n)  # new, or stored under another label: every relationship of it is new too
        _compare_node(old, n, data, delta, new)
    delta.removed_nodes += [NodeKey(n, label) for n, (label, _) in old.nodes.items() if n not in nodes]
    gone = {k.id for k in delta.removed_nodes}
    around |= gone
    rels = reach.relationships

    def reached(k: RelKey) -> bool:
        return k.source in around or k.target in around or (k.source, k.target, k.type) in rels

    candidates: list[RelKey] = []  # the old relationships the build reached: only these may be gone
    for key, digest in old.relationships.items():
        if reached(key):
            candidates.append(key)
        else:
            new.relationships[key] = digest
    succ, pred = graph.succ, graph.pred
    ends = {(n, v) for n in around if n in nodes for v in succ[n]}
    ends |= {(u, n) for n in around if n in nodes for u in pred[n]}
    ends |= {(u, v) for u, v, _ in rels if u in nodes and v in succ[u]}
    for u, v in sorted(ends):  # in key order, so that the delta and its files do not vary with the hash seed
        for rel, data in succ[u][v].items():
            _compare_rel(old, RelKey(u, v, rel, nodes[u]["label"], nodes[v]["label"]), data, delta, new)
    delta.removed_relationships = [
        k for k in candidates if k not in new.relationships or k.source in gone or k.target in gone
    ]
    return delta, new


def write_digests(d: Digests, path: Path, schema: str) -> None:
    """Write `d` to `path` (Parquet), replacing it only once written whole; `schema` names the graph schema the
    digests were made under (a build under another schema reloads its sinks whole)."""
    # columns by transposing the key tuples in C, not by a pass over the keys per column
    sources, targets, types, source_labels, target_labels = (
        list(column) for column in (zip(*d.relationships, strict=True) if d.relationships else ((),) * 5)
    )
    labels, node_digests = (list(c) for c in (zip(*d.nodes.values(), strict=True) if d.nodes else ((), ())))
    blank = [""] * len(d.nodes)
    table = pa.table(
        {
            "source": [*d.nodes, *sources],
            "target": [*blank, *targets],
            "type": [*blank, *types],
            "source_label": [*labels, *source_labels],
            "target_label": [*blank, *target_labels],
            "digest": [*node_digests, *d.relationships.values()],
        },
        schema=_SCHEMA.with_metadata({"graph_schema": schema}),
    )
    with atomic_open(path, "wb") as fh:
        pq.write_table(table, fh, compression="zstd", write_page_checksum=True)


def read_digests(path: Path, schema: str) -> Digests | None:
    """The digests a generation wrote under graph schema `schema`, or None when it has none, they were made under
    another schema or they cannot be read: sinks then load the graph whole."""
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException):
        return None
    if (table.schema.metadata or {}).get(b"graph_schema") != schema.encode():
        return None
    is_node = pc.equal(table.column("type"), "")
    nodes = table.filter(is_node)
    rels = table.filter(pc.invert(is_node))
    out = Digests()
    labels = zip(nodes.column("source_label").to_pylist(), nodes.column("digest").to_pylist(), strict=True)
    out.nodes = dict(zip(nodes.column("source").to_pylist(), labels, strict=True))
    keys = map(RelKey, *(rels.column(c).to_pylist() for c in _SCHEMA.names[:5]))
    out.relationships = dict(zip(keys, rels.column("digest").to_pylist(), strict=True))
    return out
