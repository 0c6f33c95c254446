"""Peak memory of exporting N-Triples, against building the graph alone.

Each measurement runs in its own subprocess, which reports its own peak RSS,
so one run cannot inflate the other. The baseline is loading the facts and
building the graph; the export run does the same and then streams graph.nt.
A third run builds the same export as one in-memory rdflib graph (as JSON-LD
and TriG are written), to show what streaming saves. Target: export/baseline
below 1.5x.

    python bench/rdf_memory.py                     # synthetic corpus, 2,000 articles
    python bench/rdf_memory.py --articles 5000
    python bench/rdf_memory.py --facts out/facts.jsonl
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synthetic import load_facts

from graph_builder.config import Settings
from graph_builder.graph import build_graph

MODES = ("build", "ntriples", "rdflib-graph")
TARGET = 1.5


def child(mode: str, facts_file: Path | None, articles: int, out: Path) -> dict[str, Any]:
    """One measurement, in this process; returns its figures."""
    start = time.perf_counter()
    graph = build_graph(load_facts(facts_file, articles))
    figures: dict[str, Any] = {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    if mode == "ntriples":
        from graph_builder.sinks.rdf import write_ntriples

        write_ntriples(graph, out, Settings())
        figures["bytes"] = out.stat().st_size
    elif mode == "rdflib-graph":
        from graph_builder.sinks.rdf import to_graph

        figures["triples"] = len(to_graph(graph, Settings().base_iri))
    figures["seconds"] = round(time.perf_counter() - start, 2)
    figures["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux
    return figures


def measure(mode: str, args: argparse.Namespace, out: Path) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", mode, "--articles", str(args.articles), "--out", str(out)]
    if args.facts:
        cmd += ["--facts", str(args.facts)]
    done = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facts", type=Path, help="facts JSONL file to build the graph from (default: synthetic)")
    parser.add_argument("--articles", type=int, default=2000, help="synthetic corpus size")
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.facts, args.articles, args.out)))
        return 0
    source = str(args.facts) if args.facts else f"synthetic, {args.articles} articles"
    with tempfile.TemporaryDirectory() as tmp:
        results = {mode: measure(mode, args, Path(tmp) / "graph.nt") for mode in MODES}
    base = float(results["build"]["peak_mb"])
    print(f"corpus: {source}; graph: {results['build']['nodes']} nodes, {results['build']['edges']} edges")
    for mode, r in results.items():
        extra = f", {int(r['bytes']) / 1e6:.1f} MB written" if "bytes" in r else ""
        extra += f", {r['triples']} triples in memory" if "triples" in r else ""
        print(
            f"{mode:>13}: peak RSS {r['peak_mb']:>7} MB  ({float(r['peak_mb']) / base:.2f}x)  {r['seconds']} s{extra}"
        )
    ratio = float(results["ntriples"]["peak_mb"]) / base
    print(f"N-Triples export / build alone: {ratio:.2f}x (target < {TARGET}x): {'ok' if ratio < TARGET else 'OVER'}")
    return 0 if ratio < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
