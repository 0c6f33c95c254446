"""Neo4j load throughput: batched UNWIND/MERGE against one transaction per row, in the same run.

Both loads write with the same Cypher into an emptied database (all data deleted first), after
warm-up loads (the whole graph batched until the server's CPU for a load stops falling, merged once,
and a slice of it a row at a time) so that neither pays alone for query planning and the server's JIT
compilation; the baseline only sets the
batch size to one row, so each node and each relationship is its own transaction. Its cost per
row does not depend on the graph's size, so it loads the graph of the first articles (at least
--baseline-rows rows) rather than the whole one, which would take it many minutes. The batched
load is measured at several batch sizes, and repeated on the loaded database, where every row
meets a stored one and its lists are merged (and must change no count). Last, a build adding
the last 1% of the articles is loaded as a delta. Prints rows/s, the ratio and the load
average, and checks that all loads left the numbers of nodes and relationships the graph has.

The graph comes from the BBC news corpus (`../shared/corpora/bbc_news.jsonl`) through the real
pipeline when that corpus is on the machine (extracting all 2,225 articles takes a few minutes on
2 cores; the facts are kept in bench/results/ for the next run), else from a synthetic
news-shaped corpus.

    python bench/neo4j_load.py                        # BBC corpus if present, else synthetic; local server
    python bench/neo4j_load.py --bbc --limit 300      # the first 300 BBC articles
    python bench/neo4j_load.py --corpus news.jsonl    # another JSONL corpus
    python bench/neo4j_load.py --synthetic --articles 500
    python bench/neo4j_load.py --facts out/facts.jsonl
    NEO4J_URI=bolt://... NEO4J_PASSWORD=... python bench/neo4j_load.py   # WIPES that database

Without NEO4J_URI it starts the local server from scripts/neo4j (run `make neo4j-jars` first).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import secrets
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import neo4j
import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import CORPUS, add_corpus_args, corpus_facts, load, machine
from synthetic import load_facts

from devtools import neo4j_server
from graph_builder.config import Settings
from graph_builder.graph import build_graph
from graph_builder.model import ArticleFacts
from graph_builder.sinks import neo4j_admin
from graph_builder.sinks.cypher import constraint_queries
from graph_builder.sinks.neo4j import load_build, load_graph, run_query


def empty_database(settings: Settings) -> None:
    """Delete all data. Constraints stay: dropping them would also throw away the warmed-up query plans."""
    auth = (settings.neo4j_user, settings.neo4j_password or "")
    with neo4j.GraphDatabase.driver(settings.neo4j_uri, auth=auth) as driver, driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()


def cpu_seconds(pid: int | None) -> float:
    """CPU time (user + system) the process `pid` has used so far; 0 without one (a remote server)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_load(
    graph: nx.MultiDiGraph, settings: Settings, server: int | None = None
) -> tuple[float, tuple[int, int], tuple[float, float]]:
    """(wall seconds, (nodes, relationships) after, (client CPU s, server CPU s)) of a load into an emptied database."""
    empty_database(settings)
    start, client, served = time.perf_counter(), time.process_time(), cpu_seconds(server)
    load_graph(graph, settings)
    seconds = time.perf_counter() - start
    cpu = (time.process_time() - client, cpu_seconds(server) - served)
    counts = run_query(
        "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r", {}, settings
    )
    return seconds, (counts[0]["n"], counts[0]["r"]), cpu


def warm_up(graph: nx.MultiDiGraph, settings: Settings, server: int | None, most: int) -> None:
    """Load the graph until the server's CPU for a load stops falling (by 10%), at most `most` times.

    The server's JIT compiles the loader's code paths over several loads: the first load of a fresh
    server costs it about eight times the CPU of a warm one, the second three to four times, so fewer warm-ups
    would bill compilation to the loads measured. Without the server's process (a remote server): `most` loads.
    """
    rows = graph.number_of_nodes() + graph.number_of_edges()
    costs: list[float] = []
    for _ in range(most):
        seconds, _, (client, served) = timed_load(graph, settings, server)
        costs.append(served)
        print(
            f"warm-up load: {seconds:8.2f} s  {rows / seconds:10.0f} rows/s  "
            f"(CPU: client {client:.2f} s, server {served:.2f} s)"
        )
        if server is not None and len(costs) >= 3 and costs[-1] > 0.9 * min(costs[:-1]):
            return


def facts_of(args: argparse.Namespace) -> tuple[str, list[ArticleFacts]]:
    """(what the corpus is, its facts): a facts file, the synthetic corpus, or the BBC corpus (or --corpus)
    through the pipeline; without a flag, BBC when it is on the machine and synthetic otherwise."""
    if args.facts:
        return str(args.facts), load_facts(args.facts, 0)
    if args.synthetic or (args.corpus == CORPUS and not CORPUS.exists() and not args.bbc):
        return f"synthetic, {args.articles} articles", load_facts(None, args.articles)
    if not args.corpus.exists():
        raise SystemExit(f"no corpus at {args.corpus}: pass --corpus PATH to a JSONL file of articles")
    facts = corpus_facts(args.corpus, args.limit)
    return f"{args.corpus}, {len(facts)} articles", facts


def run(
    args: argparse.Namespace, source: str, facts: list[ArticleFacts], settings: Settings, server: int | None = None
) -> float:
    """The online loads (Bolt, into a running server); returns the batched load's rows/s."""
    graph = build_graph(facts)
    rows = graph.number_of_nodes() + graph.number_of_edges()
    print(f"corpus: {source}; graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} relationships")
    warm_up(graph, replace(settings, neo4j_batch_size=args.batch_size), server, args.warm_ups)
    load_graph(graph, replace(settings, neo4j_batch_size=args.batch_size))  # the merging statements too
    timed_load(build_graph(facts[:50]), replace(settings, neo4j_batch_size=1))
    sizes = sorted({args.batch_size, *args.batch_sizes})
    loads = {size: timed_load(graph, replace(settings, neo4j_batch_size=size), server) for size in sizes}
    for size, (seconds, _, (client, served)) in loads.items():
        print(
            f"batched ({size:>6} rows a transaction): {seconds:8.2f} s  {rows / seconds:10.0f} rows/s  "
            f"(CPU: client {client:.2f} s"
            + (f", server {served:.2f} s" if server else "")
            + f"; {1e6 * (client + served) / rows:.0f} µs a row, {rows / (client + served):.0f} rows per CPU second)"
        )
    batched_s, batched_counts, _ = loads[args.batch_size]
    start = time.perf_counter()
    load_graph(graph, replace(settings, neo4j_batch_size=args.batch_size))
    again_s = time.perf_counter() - start
    print(f"batched, again (every row merges):   {again_s:8.2f} s  {rows / again_s:10.0f} rows/s")
    if run_query("MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r", {}, settings)[
        0
    ] != {"n": batched_counts[0], "r": batched_counts[1]}:
        raise SystemExit("loading the same graph again changed the number of nodes or relationships")
    # One transaction a row costs the same per row at any size, so it is timed on the first articles' graph.
    small = baseline_graph(facts, args.baseline_rows)
    small_rows = small.number_of_nodes() + small.number_of_edges()
    single_s, single_counts, _ = timed_load(small, replace(settings, neo4j_batch_size=1))
    per_row = small_rows / single_s
    batched = rows / batched_s
    print(f"one transaction a row ({small_rows} rows): {single_s:8.2f} s  {per_row:10.0f} rows/s")
    print(f"batched ({args.batch_size} rows) / one-per-row throughput: {batched / per_row:.1f}x")
    timed_delta(facts, replace(settings, neo4j_batch_size=args.batch_size))
    print(f"load average at the end: {load()}")
    if any(counts != (graph.number_of_nodes(), graph.number_of_edges()) for _, counts, _ in loads.values()) or (
        single_counts != (small.number_of_nodes(), small.number_of_edges())
    ):
        raise SystemExit(f"loads disagree: batched {[c for _, c, _ in loads.values()]}, one-per-row {single_counts}")
    return batched


def timed_import(facts: list[ArticleFacts], password: str, online: float) -> None:
    """The first load of an empty database the offline way: export, `neo4j-admin database import full`, then
    a server started on the imported store (key constraints created, counts checked). Timed from the graph
    to a server answering queries, so its rows/s include two JVM starts; the online figures stay separate."""
    graph = build_graph(facts)
    rows = graph.number_of_nodes() + graph.number_of_edges()
    with tempfile.TemporaryDirectory(prefix="neo4j-import-") as tmp:
        home, export = Path(tmp) / "home", Path(tmp) / "export"
        start = time.perf_counter()
        neo4j_admin.write(graph, export, Settings())
        exported = time.perf_counter()
        neo4j_server.bulk_import(home, export)
        imported = time.perf_counter()
        server = neo4j_server.start(home, neo4j_server.free_port(), password)
        try:
            settings = Settings(neo4j_uri=server.uri, neo4j_password=password)
            for statement in constraint_queries():
                run_query(statement, {}, settings, write=True)
            seconds = time.perf_counter() - start
            counts = run_query(
                "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r", {}, settings
            )[0]
        finally:
            neo4j_server.stop(server.home)
    print(
        f"bulk import into an empty database (server stopped): {seconds:8.2f} s  {rows / seconds:10.0f} rows/s "
        f"(export {exported - start:.2f} s, neo4j-admin import {imported - exported:.2f} s, server start and "
        f"constraints {seconds - (imported - start):.2f} s); {rows / seconds / online:.1f}x the batched online load"
    )
    if (counts["n"], counts["r"]) != (graph.number_of_nodes(), graph.number_of_edges()):
        raise SystemExit(f"the import holds {counts}, the graph {graph.number_of_nodes()}/{graph.number_of_edges()}")


def baseline_graph(facts: list[ArticleFacts], rows: int) -> nx.MultiDiGraph:
    """The graph of the first 8, 16, 32, ... articles, the first with at least `rows` rows (or of all of them)."""
    n = 8
    while True:
        g = build_graph(facts[:n])
        if g.number_of_nodes() + g.number_of_edges() >= rows or n >= len(facts):
            return g
        n *= 2


def timed_delta(facts: list[ArticleFacts], settings: Settings) -> None:
    """A build that adds the last 1% of the articles: the delta against the folder's last load is all it sends."""
    empty_database(settings)
    step = max(1, len(facts) // 100)
    keep = len(facts) - step
    with tempfile.TemporaryDirectory(prefix="neo4j-delta-") as out:
        load_build(build_graph(facts[: keep - step]), settings, Path(out))
        load_build(build_graph(facts[:keep]), settings, Path(out))  # warm-up: plans the delta's statements
        graph = build_graph(facts)
        start = time.perf_counter()
        counts = load_build(graph, settings, Path(out))
        seconds = time.perf_counter() - start
    sent = sum(counts.values())
    whole = graph.number_of_nodes() + graph.number_of_edges()
    print(f"delta adding {len(facts) - keep} articles: {sent} of {whole} rows sent, {seconds:8.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--bbc", action="store_true", help="the BBC corpus (or --corpus) and no synthetic fallback")
    which.add_argument("--synthetic", action="store_true", help="the synthetic corpus (default without BBC)")
    which.add_argument("--facts", type=Path, help="facts JSONL file of a build")
    add_corpus_args(parser)
    parser.add_argument("--articles", type=int, default=2000, help="synthetic corpus size")
    parser.add_argument("--baseline-rows", type=int, default=3000, help="rows loaded one transaction each")
    parser.add_argument("--batch-size", type=int, default=Settings().neo4j_batch_size, help="the size compared")
    parser.add_argument(
        "--batch-sizes",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[2000, 20000],
        help="other batch sizes measured alongside (comma-separated)",
    )
    parser.add_argument("--warm-ups", type=int, default=8, help="most warm-up loads before the ones measured")
    parser.add_argument("--no-import", action="store_true", help="skip the bulk import (local server only)")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    # The driver's PackStream encoder uses its Rust extension whenever the extension is importable.
    rust = "in use" if importlib.util.find_spec("neo4j._rust") else "not installed (pip install neo4j-rust-ext)"
    print(f"driver: neo4j {neo4j.__version__}, Rust extension {rust}")
    source, facts = facts_of(args)  # before the server starts: extraction needs both cores
    env = os.environ
    if env.get("NEO4J_URI"):
        settings = Settings(
            neo4j_uri=env["NEO4J_URI"],
            neo4j_user=env.get("NEO4J_USER") or "neo4j",
            neo4j_password=env.get("NEO4J_PASSWORD"),
        )
        run(args, source, facts, settings)
        return 0
    password = secrets.token_urlsafe(18)
    with tempfile.TemporaryDirectory(prefix="neo4j-bench-") as home:
        server = neo4j_server.start(Path(home), neo4j_server.free_port(), password)
        print(f"local Neo4j server started in {server.startup_seconds:.1f} s")
        try:
            online = run(args, source, facts, Settings(neo4j_uri=server.uri, neo4j_password=password), server.pid)
        finally:
            neo4j_server.stop(server.home)
    if not args.no_import:
        timed_import(facts, password, online)
    return 0


if __name__ == "__main__":
    sys.exit(main())
