"""Embedded store (LadybugDB) load: the bulk `COPY ... FROM` path against one MERGE per row, in the same run.

The graph is built from the BBC corpus's facts (extracted once into bench/results/ and
reused). The bulk path is the store sink itself (the rows recorded as Parquet and copied in by its loader
process, whose start is counted). The baseline writes the same rows
into the same schema one statement at a time: every node with `MERGE`, then relationships
with `MATCH`+`MERGE`; relationships are that slow (40,000 take minutes), so the
baseline times a sample of them and the full baseline time is estimated from its rate.

    python bench/store_load.py                         # the whole corpus's graph, 2,000 relationships sampled
    python bench/store_load.py --limit 300 --sample 500
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

import ladybug as lb
import networkx as nx
from corpus import add_corpus_args, corpus_facts, machine

from graph_builder.config import Settings
from graph_builder.graph import EDGE_PROPERTIES, NODE_PROPERTIES, build_graph
from graph_builder.sinks.store import write


def connect(path: Path) -> lb.Connection:
    return lb.Connection(lb.Database(str(path)))


def settable(data: dict[str, Any], props: dict[str, str]) -> dict[str, Any]:
    return {k: data[k] for k in props if data.get(k) is not None}


def merge_rows(graph: nx.MultiDiGraph, path: Path, sample: int) -> tuple[int, float, int, float]:
    """(nodes, seconds, relationships, seconds), one MERGE statement per row."""
    write(nx.MultiDiGraph(), path, Settings())  # the schema alone
    conn = connect(path)
    start = time.perf_counter()
    for nid, data in graph.nodes(data=True):
        props = settable(data, {"name": "str", **NODE_PROPERTIES[data["label"]]})
        sets = ", ".join(f"n.`{k}` = ${k}" for k in props)
        conn.execute(f"MERGE (n:{data['label']} {{id: $id}})" + (f" SET {sets}" if sets else ""), {"id": nid, **props})
    node_s = time.perf_counter() - start
    edges = list(graph.edges(keys=True, data=True))[:sample]
    start = time.perf_counter()
    for u, v, rel, data in edges:
        props = settable(data, EDGE_PROPERTIES[rel])
        sets = ", ".join(f"r.`{k}` = $p_{k}" for k in props)
        conn.execute(
            f"MATCH (a:{graph.nodes[u]['label']} {{id: $u}}), (b:{graph.nodes[v]['label']} {{id: $v}}) "
            f"MERGE (a)-[r:{rel}]->(b)" + (f" SET {sets}" if sets else ""),
            {"u": u, "v": v, **{f"p_{k}": x for k, x in props.items()}},
        )
    return graph.number_of_nodes(), node_s, len(edges), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_corpus_args(parser)
    parser.add_argument("--sample", type=int, default=2000, help="relationships the MERGE baseline writes")
    args = parser.parse_args()
    graph = build_graph(corpus_facts(args.corpus, args.limit))
    nodes, rels = graph.number_of_nodes(), graph.number_of_edges()
    print(f"machine: {machine()}")
    print(f"graph of {args.corpus.name}{f' (first {args.limit})' if args.limit else ''}: {nodes} nodes, {rels} rels")
    with tempfile.TemporaryDirectory(prefix="gb-store-") as tmp:
        start = time.perf_counter()
        write(graph, Path(tmp) / "bulk.lbdb", Settings())
        bulk_s = time.perf_counter() - start
        n, node_s, m, rel_s = merge_rows(graph, Path(tmp) / "merge.lbdb", args.sample)
    merge_s = node_s + rel_s * rels / max(m, 1)
    print(f"bulk COPY FROM:       {bulk_s:8.2f} s  {(nodes + rels) / bulk_s:10.0f} rows/s (all rows)")
    print(f"MERGE per row, nodes: {node_s:8.2f} s  {n / node_s:10.0f} rows/s ({n} nodes)")
    print(f"MERGE per row, rels:  {rel_s:8.2f} s  {m / rel_s:10.0f} rows/s ({m} of {rels} relationships)")
    print(f"MERGE per row, all rows (estimated): {merge_s:8.1f} s; bulk is {merge_s / bulk_s:.0f}x faster")


if __name__ == "__main__":
    main()
