"""Incremental graph assembly: a build refolds only what the articles it adds, removes or re-resolves touch.

A full assembly (`graph.build_graph`) folds every article's contribution (`graph.contribution`: ops on
one node or relationship each) in article-id order. A generation keeps what lets the next build
do the same work for the changed articles alone (`assembly.parquet` and `assembly-graph.marshal`,
beside its digests):

- every op of every article, keyed by the node or relationship it touches;
- each article's (label, name) look-ups and their signature (`graph.signature`: what they resolve to);
- the folded graph before `graph.finish` (nodes, relationships, sentence texts).

The next build resolves the corpus, then re-makes the contributions of the articles that are new or
whose signature changed, drops those of the articles gone, and refolds, from the stored ops of every
article, only the nodes and relationships those contributions touch: the same ops on the same keys in
the same order as a full fold, so the graph is the full build's, property for property
(tests/test_assembly.py). The entity nodes are the resolver's, replaced where they changed.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import sys
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .atomic import atomic_open
from .delta import Reach
from .graph import Contribution, Op, apply_op, contribution, entity_nodes, schema_digest, signature
from .model import ArticleFacts
from .resolve import Resolver
from .version import __version__

#: A generation's assembly state, beside its digests: the ops and articles, and the folded graph.
FILENAME = "assembly.parquet"
GRAPH_FILE = "assembly-graph.marshal"

#: One row per op (`what` "op") and per article (`what` "article": its signature in `kind`, look-ups in `payload`).
_SCHEMA = pa.schema(
    [
        ("what", pa.string()),
        ("article", pa.string()),
        ("seq", pa.int32()),
        ("key", pa.string()),
        ("kind", pa.string()),
        ("payload", pa.string()),
    ]
)
_SEP = "\x1f"
_ENTITY_LABELS = frozenset(["Person", "Organisation", "Place"])


#: Strings of a decoded op up to this length are interned (ids, span references, names, titles, property names);
#: longer ones (sentence texts) are left as they are.
_INTERN_MAX = 128


def _key(key: Any) -> str:
    return key if isinstance(key, str) else _SEP.join(key)


def _unkey(key: str) -> Any:
    """The node id or (source, target, type) of a stored key, interned: the graph's adjacency dicts then share
    one string per node id and type instead of keeping a copy per relationship."""
    return tuple(map(sys.intern, key.split(_SEP))) if _SEP in key else sys.intern(key)


def _interned(value: Any) -> Any:
    """A decoded op payload with its short strings interned: every relationship's property names, statuses,
    titles and article ids are then one string each across the graph, not one per relationship."""
    if isinstance(value, str):
        return sys.intern(value) if len(value) <= _INTERN_MAX else value
    if isinstance(value, list):
        return [_interned(v) for v in value]
    if isinstance(value, dict):
        return {sys.intern(k): _interned(v) for k, v in value.items()}
    return value


def _decode(payload: str) -> Any:
    return _interned(json.loads(payload))


@dataclass
class Assembly:
    """What one build keeps for the next one's assembly (see the module docstring)."""

    graph: nx.MultiDiGraph[str] = field(default_factory=lambda: nx.MultiDiGraph(sentences={}))
    ops: pa.Table = field(default_factory=lambda: _SCHEMA.empty_table())
    articles: dict[str, tuple[str, list[tuple[str, str]]]] = field(default_factory=dict)
    #: After `assemble` refolded from a previous state, what it refolded (`delta.Reach`: the nodes it added,
    #: changed or removed, the relationships, and around the sentences those cite, old and new), as
    #: `graph.finish_reach` wants it. None when unknown (nothing refolded yet): anything may have changed. Not
    #: written.
    touched: Reach | None = None


def _op_rows(article_id: str, ops: Iterable[Op]) -> dict[str, list[Any]]:
    rows: dict[str, list[Any]] = {name: [] for name in _SCHEMA.names}
    for seq, (kind, key, payload) in enumerate(ops):
        rows["what"].append("op")
        rows["article"].append(article_id)
        rows["seq"].append(seq)
        rows["key"].append(_key(key))
        rows["kind"].append(kind)
        rows["payload"].append(json.dumps(payload, ensure_ascii=False))
    return rows


def _table(rows: Iterable[dict[str, list[Any]]]) -> pa.Table:
    merged: dict[str, list[Any]] = {name: [] for name in _SCHEMA.names}
    for part in rows:
        for name in _SCHEMA.names:
            merged[name] += part[name]
    return pa.table(merged, schema=_SCHEMA)


def _ops_of(table: pa.Table) -> list[tuple[str, int, Op]]:
    """(article, seq, op) of each op row, payloads decoded."""
    cols = [table.column(c).to_pylist() for c in ("article", "seq", "key", "kind", "payload")]
    return [(a, s, (kind, _unkey(k), _decode(p))) for a, s, k, kind, p in zip(*cols, strict=True)]


def assemble(
    facts: Mapping[str, ArticleFacts], resolver: Resolver, previous: Assembly | None, changed: Collection[str] = ()
) -> Assembly:
    """The folded graph of `facts` (before `graph.finish`), refolding from `previous` only what changed.

    `changed` names articles whose facts were written anew in this build (extracted again): they are
    re-assembled even when their look-ups resolve as before. `previous` is updated in place.
    """
    if previous is None:
        return _assemble_all(facts, resolver)
    state = previous
    g = state.graph
    touched: dict[str, Contribution] = {}
    signatures: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for aid in sorted(facts):
        old = state.articles.get(aid)
        if old is not None and aid not in changed and signature(aid, old[1], resolver) == old[0]:
            signatures[aid] = old
            continue
        touched[aid] = made = contribution(facts[aid], resolver)
        signatures[aid] = (signature(aid, made.lookups, resolver), made.lookups)
    stale = pa.array(sorted(touched.keys() | (state.articles.keys() - facts.keys())), pa.string())
    of_stale = pc.is_in(state.ops.column("article"), value_set=stale)
    stale_ops = state.ops.filter(of_stale)
    kept_ops = state.ops.filter(pc.invert(of_stale))
    new_ops = _table(_op_rows(aid, made.ops) for aid, made in touched.items())
    keys = sorted(set(stale_ops.column("key").to_pylist()) | set(new_ops.column("key").to_pylist()))
    stale_edges = [op for *_, op in _ops_of(stale_ops.filter(pc.equal(stale_ops.column("kind"), "edge")))]
    for _, _, payload in stale_edges:
        if payload[0] is not None:  # the sentence of a fact an article gone or re-assembled stated
            g.graph["sentences"].pop(payload[0][1], None)
    entities = _set_entities(g, entity_nodes(resolver))
    refold = kept_ops.filter(pc.is_in(kept_ops.column("key"), value_set=pa.array(keys, pa.string())))
    ops = sorted([*_ops_of(refold), *_ops_of(new_ops)], key=lambda r: (r[0], r[1]))
    reach = _touched(keys, [*(op for *_, op in ops), *stale_edges], entities) if previous is not None else None
    firsts: dict[str, dict[str, Any]] = {}
    for key in keys:
        if _SEP in key:
            u, v, rel = _unkey(key)
            if g.has_edge(u, v, key=rel):
                g.remove_edge(u, v, key=rel)
    for _, _, op in ops:
        if op[0] == "node":
            firsts.setdefault(op[1], op[2])
        else:
            apply_op(g, op)
    for key in keys:
        if _SEP in key:
            continue
        if key not in firsts:
            if key in g:
                g.remove_node(key)
        elif key in g:
            g.nodes[key].clear()
            g.nodes[key].update(firsts[key])
        else:
            g.add_node(key, **firsts[key])
    state.ops = pa.concat_tables([kept_ops, new_ops])
    state.articles = signatures
    state.touched = reach
    return state


#: Articles whose op rows become one record batch of the ops table while a whole corpus is folded.
_BATCH_ARTICLES = 1000


def _assemble_all(facts: Mapping[str, ArticleFacts], resolver: Resolver, batch: int = _BATCH_ARTICLES) -> Assembly:
    """The folded graph of every article, with no state to start from: what `assemble` makes of an empty
    state, folded one article at a time (each article's ops are made, kept as rows, decoded from those rows
    and applied before the next article's are made), so that the ops of the corpus are never held in memory
    but as the rows of the ops table. The ops on each key come in the order of the general fold (article id,
    then sequence); nodes get their first op's properties after every relationship is folded, in key order."""
    state = Assembly()
    g = state.graph
    _set_entities(g, entity_nodes(resolver))
    firsts: dict[str, dict[str, Any]] = {}
    batches: list[pa.RecordBatch] = []
    rows: dict[str, list[Any]] = {name: [] for name in _SCHEMA.names}
    for n, aid in enumerate(sorted(facts), 1):
        made = contribution(facts[aid], resolver)
        state.articles[aid] = (signature(aid, made.lookups, resolver), made.lookups)
        mine = _op_rows(aid, made.ops)
        del made
        for key, kind, payload in zip(mine["key"], mine["kind"], mine["payload"], strict=True):
            op = (kind, _unkey(key), _decode(payload))
            if kind == "node":
                firsts.setdefault(key, op[2])
            else:
                apply_op(g, op)
        for name in _SCHEMA.names:
            rows[name] += mine[name]
        if n % batch == 0:
            batches.append(pa.RecordBatch.from_pydict(rows, schema=_SCHEMA))
            rows = {name: [] for name in _SCHEMA.names}
    batches.append(pa.RecordBatch.from_pydict(rows, schema=_SCHEMA))
    for key in sorted(firsts):
        props = firsts.pop(key)
        if key in g:
            g.nodes[key].clear()
            g.nodes[key].update(props)
        else:
            g.add_node(key, **props)
    state.ops = pa.Table.from_batches(batches, schema=_SCHEMA)
    return state


def _touched(keys: Iterable[str], ops: Iterable[Op], entities: set[str]) -> Reach:
    """What a refold may have changed: the nodes refolded and the entities the resolver changed, the
    relationships refolded, and around the sentences the refolded relationships' `ops` (old and new) cite."""
    reach = Reach(set(entities))
    for key in keys:
        if _SEP in key:
            reach.relationships.add(_unkey(key))
        else:
            reach.nodes.add(key)
    for kind, _, payload in ops:
        if kind == "edge" and payload[0] is not None:
            reach.around.add(payload[0][1])
    reach.nodes |= reach.around
    return reach


def _set_entities(g: nx.MultiDiGraph[str], nodes: dict[str, dict[str, Any]]) -> set[str]:
    """Make the graph's entity nodes the resolver's: changed ones replaced, new ones added, gone ones removed
    (their relationships came from articles whose signatures changed with them, so those are refolded).
    Returns the ids of the entities added, changed or removed."""
    gone = [n for n, d in g.nodes.items() if d.get("label") in _ENTITY_LABELS and n not in nodes]
    g.remove_nodes_from(gone)
    changed = set(gone)
    for nid, props in nodes.items():
        if nid not in g:
            g.add_node(nid, **props)
            changed.add(nid)
        elif g.nodes[nid] != props:
            g.nodes[nid].clear()
            g.nodes[nid].update(props)
            changed.add(nid)
    return changed


def _graph_blob(g: nx.MultiDiGraph[str]) -> bytes:
    """The folded graph as one marshal blob of the four dicts networkx keeps a MultiDiGraph in (with the
    relationship property dicts shared between successors and predecessors, as marshal keeps them):
    restoring it is one load at C speed, not an `add_edge` per relationship. marshal, unlike pickle, runs no
    code when loading; the blob's digest is checked before it is."""
    kept = vars(g)
    return marshal.dumps((g.graph, kept["_node"], kept["_succ"], kept["_pred"]), 4)


def _graph_of(blob: bytes) -> nx.MultiDiGraph[str]:
    graph, node, succ, pred = marshal.loads(blob)
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    g.graph.update(graph)
    vars(g).update(_node=node, _adj=succ, _succ=succ, _pred=pred)  # a fresh graph: no view cached yet
    return g


def _stamp() -> str:
    return f"{__version__}|{schema_digest()}|{sys.version_info[0]}.{sys.version_info[1]}"


def _digest(blob: bytes) -> str:
    return hashlib.blake2b(blob, digest_size=16).hexdigest()


def write_assembly(state: Assembly, path: Path) -> None:
    """Write `state` to `path` (Parquet: ops and articles) and `GRAPH_FILE` beside it, each replaced only once
    written whole; the Parquet file names the graph blob's digest, so a mismatched pair is never read."""
    blob = _graph_blob(state.graph)
    with atomic_open(path.with_name(GRAPH_FILE), "wb") as fh:
        fh.write(blob)
    articles = sorted(state.articles.items())
    rows = {
        "what": ["article"] * len(articles),
        "article": [a for a, _ in articles],
        "seq": [0] * len(articles),
        "key": [""] * len(articles),
        "kind": [sig for _, (sig, _) in articles],
        "payload": [json.dumps(lookups, ensure_ascii=False) for _, (_, lookups) in articles],
    }
    table = pa.concat_tables([state.ops, pa.table(rows, schema=_SCHEMA)])
    meta = {"stamp": _stamp(), "graph": _digest(blob)}
    with atomic_open(path, "wb") as fh:
        pq.write_table(table.replace_schema_metadata(meta), fh, compression="zstd", write_page_checksum=True)


def read_assembly(path: Path) -> Assembly | None:
    """The state a generation kept, or None when it has none, it was made by another version, schema or
    Python, or it cannot be read whole: the build then assembles every article."""
    try:
        table = pq.read_table(path, page_checksum_verification=True)
        blob = path.with_name(GRAPH_FILE).read_bytes()
    except (OSError, pa.ArrowException):
        return None
    meta = table.schema.metadata or {}
    if meta.get(b"stamp") != _stamp().encode() or meta.get(b"graph") != _digest(blob).encode():
        return None
    what = table.column("what")
    state = Assembly(graph=_graph_of(blob), ops=table.filter(pc.equal(what, "op")).replace_schema_metadata(None))
    rest = table.filter(pc.equal(what, "article")).to_pydict()
    for article, sig, payload in zip(rest["article"], rest["kind"], rest["payload"], strict=True):
        state.articles[article] = (sig, [(label, name) for label, name in json.loads(payload)])
    return state
