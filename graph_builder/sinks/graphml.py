"""GraphML, for Gephi, Cytoscape and yEd: the property graph with list properties as JSON text."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from ..atomic import atomic_open
from ..config import Settings


def _scalar(value: object) -> object:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value


def write(graph: nx.MultiDiGraph[str], path: Path, settings: Settings) -> None:
    flat: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **{k: _scalar(v) for k, v in data.items() if v is not None})
    for u, v, key, data in graph.edges(keys=True, data=True):
        flat.add_edge(u, v, key=key, **{k: _scalar(x) for k, x in data.items() if x is not None})
    with atomic_open(path, "wb") as fh:
        nx.write_graphml(flat, fh)
