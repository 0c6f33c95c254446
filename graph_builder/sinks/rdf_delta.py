"""RDF as one SPARQL Update per build: what changed in the export since the build before, not all of it.

Each build writes `rdf/NNNNNN.ru` in its folder (NNNNNN: the build's number). Applied in order to a
store that holds the previous build's export (`graph.ttl`, or the default graph of a SPARQL server),
it leaves exactly this build's export there. A file holds, in this order:

- a first comment line `# graph-builder rdf delta {...}` saying which build it is and what it
  depends on (base IRI, version, corrections);
- `DELETE WHERE { <s> ?p ?o }` for every subject whose statements changed, and `DELETE DATA` of
  the single statements a changed relationship made about a subject that stays (an event's
  attendee, a place's location, an article's mention);
- `INSERT DATA` of every statement those subjects and relationships have now.

The statements to touch come from the graph delta the build computed for its sinks (`delta.py`),
so a build that changed a few nodes writes a file of a few lines. When there is no previous
build to start from, or the base IRI, the version or the corrections changed (each changes many
IRIs or provenance links at once), the file starts with `CLEAR ALL` and inserts the whole export.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import networkx as nx
from rdflib import RDF, URIRef
from rdflib.term import Node

from ..atomic import atomic_open
from ..config import Settings
from ..delta import GraphDelta, RelKey
from ..version import __version__
from .rdf import (
    PREFIXES,
    Minter,
    curation_quads,
    edge_quads,
    fact_subjects,
    node_quads,
    node_subject,
    quads,
    turtle_term,
)

#: The folder of a build folder that holds the per-build update files.
FOLDER = "rdf"
SUFFIX = ".ru"
_HEADER = "# graph-builder rdf delta "
#: Relationship types whose one direct statement has their source node for subject, and their target.
_FROM_SOURCE = ("HELD_IN", "BASED_IN", "MENTIONS")
_FROM_TARGET = ("PARTICIPATED_IN", "ORGANISED")
_ABOUT_NODE = (*_FROM_SOURCE, *_FROM_TARGET)

Triple = tuple[URIRef, URIRef, Node]


def path_of(out_dir: Path, number: int) -> Path:
    """The update file of build `number` in build folder `out_dir`."""
    return out_dir / FOLDER / f"{number:06d}{SUFFIX}"


def basis(graph: nx.MultiDiGraph[str], settings: Settings) -> dict[str, Any]:
    """What, besides the graph delta, decides the export: two builds with another basis differ in many IRIs
    or provenance links at once, so the update between them replaces everything."""
    corrections = json.dumps(graph.graph.get("curation", []), sort_keys=True, default=str)
    return {
        "base_iri": settings.base_iri,
        "version": __version__,
        "curation": hashlib.sha256(corrections.encode()).hexdigest()[:16],
    }


def read_header(path: Path) -> dict[str, Any] | None:
    """The header of an update file, or None when there is none or it cannot be read."""
    try:
        with path.open(encoding="utf-8") as fh:
            line = fh.readline()
        head = json.loads(line[len(_HEADER) :]) if line.startswith(_HEADER) else None
    except (OSError, ValueError):
        return None
    return head if isinstance(head, dict) else None


def write(
    graph: nx.MultiDiGraph[str],
    delta: GraphDelta | None,
    out_dir: Path,
    number: int,
    settings: Settings,
    turtle: Path | None = None,
) -> Path:
    """Write build `number`'s update file: the change since build `number - 1` when `delta` (the graph delta
    between the two) is given and both were made on the same basis, the whole export otherwise (copied from
    the build's `turtle` file when it wrote one: Turtle's statements are valid SPARQL triples)."""
    folder = out_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob(f"*{SUFFIX}"):  # left by a run that never switched its build in
        if stale.stem.isdigit() and int(stale.stem) >= number:
            stale.unlink()
    head = {"build": number, **basis(graph, settings)}
    before = read_header(path_of(out_dir, number - 1)) if delta is not None else None
    whole = before is None or {k: before.get(k) for k in head if k != "build"} != {
        k: v for k, v in head.items() if k != "build"
    }
    head["after"] = None if whole else number - 1
    path = path_of(out_dir, number)
    with atomic_open(path) as out:
        out.write(_HEADER + json.dumps(head, sort_keys=True) + "\n")
        for prefix, ns in PREFIXES.items():
            out.write(f"PREFIX {prefix}: <{ns}>\n")
        if whole or delta is None:
            out.write("CLEAR DEFAULT ;\n")
            if turtle is not None and turtle.is_file():
                out.write("INSERT DATA {\n")
                with turtle.open(encoding="utf-8") as whole_export:
                    out.writelines(line for line in whole_export if not line.startswith("@prefix "))
                out.write("} ;\n")
            else:
                _block(out, "INSERT DATA", ((s, p, o) for s, p, o, _ in quads(graph, settings.base_iri)))
        else:
            cleared, dropped, inserted = changes(graph, delta, Minter(settings.base_iri))
            for subject in sorted(cleared):
                out.write(f"DELETE WHERE {{ {turtle_term(subject)} ?p ?o }} ;\n")
            _block(out, "DELETE DATA", sorted(dropped))
            _block(out, "INSERT DATA", inserted)
    return path


def _block(out: IO[str], verb: str, triples: Iterable[Triple]) -> None:
    """One `DELETE DATA` or `INSERT DATA` operation (an empty one is valid SPARQL, and says nothing changed)."""
    out.write(f"{verb} {{\n")
    for s, p, o in triples:
        verb_term = "a" if p == RDF.type else turtle_term(p)
        out.write(f"  {turtle_term(s)} {verb_term} {turtle_term(o)} .\n")
    out.write("} ;\n")


def changes(
    graph: nx.MultiDiGraph[str], delta: GraphDelta, mint: Minter
) -> tuple[set[URIRef], set[Triple], list[Triple]]:
    """The subjects whose statements are replaced whole, the single statements about other nodes to delete, and
    every statement to insert, for the graph `delta` led to."""
    cleared: set[URIRef] = set()
    dropped: set[Triple] = set()
    rels: set[tuple[str, str, str]] = set()
    nodes = [n.key for n in delta.added_nodes + delta.changed_nodes] + delta.removed_nodes
    for key in nodes:
        cleared.add(node_subject(mint, key.id, key.label))
        if key.label == "Role" and key.id in graph:  # a membership names its post's organisation
            rels.update((u, v, r) for u, v, r in graph.in_edges(key.id, keys=True) if r == "HOLDS")
    keys: list[RelKey] = [r.key for r in delta.added_relationships + delta.changed_relationships]
    rels.update((k.source, k.target, k.type) for k in [*keys, *delta.removed_relationships])
    for u, v, rel in rels:
        own = fact_subjects(mint, rel, u, v)
        cleared.update(own)
        if rel in _ABOUT_NODE:
            dropped.update((s, p, o) for s, p, o, _ in edge_quads(mint, graph, u, v, rel, {}) if s not in own)
    inserted: dict[Triple, None] = {}
    for s, p, o, _ in _now(graph, mint, nodes, sorted(rels), cleared):  # sorted: the same bytes whatever the hash seed
        inserted.setdefault((s, p, o))
    return cleared, dropped, list(inserted)


def _now(
    graph: nx.MultiDiGraph[str],
    mint: Minter,
    nodes: Iterable[Any],
    rels: Iterable[tuple[str, str, str]],
    cleared: set[URIRef],
) -> Iterator[tuple[URIRef, URIRef, Node, URIRef]]:
    """The statements the touched nodes and relationships make in `graph`, with the statements about a
    touched node that its untouched relationships make and the corrections' links to a cleared fact."""
    for key in nodes:
        if key.id not in graph or graph.nodes[key.id]["label"] != key.label:
            continue
        yield from node_quads(mint, key.id, graph.nodes[key.id])
        subject = node_subject(mint, key.id, key.label)
        outgoing = (e for e in graph.out_edges(key.id, keys=True, data=True) if e[2] in _FROM_SOURCE)
        incoming = (e for e in graph.in_edges(key.id, keys=True, data=True) if e[2] in _FROM_TARGET)
        for u, v, rel, data in (*outgoing, *incoming):
            yield from (q for q in edge_quads(mint, graph, u, v, rel, data) if q[0] == subject)
    for u, v, rel in rels:
        if graph.has_edge(u, v, rel):
            yield from edge_quads(mint, graph, u, v, rel, graph.edges[u, v, rel])
    yield from (q for q in curation_quads(mint, graph) if q[0] in cleared)
