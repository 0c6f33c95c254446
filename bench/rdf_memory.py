"""Peak memory of exporting N-Triples, against building the graph alone.

Each measurement runs in its own subprocess, which reports its own peak RSS,
so one run cannot inflate the other. The baseline is loading the facts and
building the graph; the export run does the same and then streams graph.nt.
A third run builds the same export as one in-memory rdflib graph (the way
Turtle is written), to show what streaming saves. Target: export/baseline
below 1.5x.

    python bench/rdf_memory.py                     # synthetic corpus, 2,000 articles
    python bench/rdf_memory.py --articles 5000
    python bench/rdf_memory.py --facts out/facts.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph_builder.config import Settings
from graph_builder.graph import build_graph
from graph_builder.model import Article, ArticleFacts, Entity, EventFact, Evidence, RoleFact

MODES = ("build", "ntriples", "rdflib-graph")
TARGET = 1.5

SYLLABLES = "ka ri no ma shi ta ro be la vin dor es an mi ko su te ha ne yo ul gar pet son"
TITLES = [
    "Minister for Finance",
    "Chief Executive",
    "Chair",
    "Foreign Minister",
    "President",
    "Governor",
    "Chief Financial Officer",
    "Secretary-General",
    "Director",
    "Ambassador",
    "Spokesperson",
    "Mayor",
]
EVENT_TYPES = ["meeting", "summit", "conference", "election", "ipo", "launch"]


def _name(rng: random.Random, words: int) -> str:
    return " ".join(
        "".join(rng.choice(SYLLABLES.split()) for _ in range(rng.randint(2, 3))).title() for _ in range(words)
    )


def synthetic_facts(articles: int, seed: int = 7) -> list[ArticleFacts]:
    """A corpus shaped like news: 10 entities, 5 roles and 2 events an article, drawn from shared pools
    so that resolution merges the same people and organisations across articles."""
    rng = random.Random(seed)
    people = sorted({_name(rng, 2) for _ in range(articles * 2)})
    orgs = sorted(
        {
            _name(rng, 2) + " " + rng.choice(["Group", "Ministry", "Party", "Bank", "University"])
            for _ in range(articles // 3)
        }
    )
    places = sorted({_name(rng, 1) for _ in range(max(articles // 10, 10))})
    events = sorted({_name(rng, 1) + " " + rng.choice(["Summit", "Forum", "Conference"]) for _ in range(articles // 4)})
    out = []
    for n in range(articles):
        ps, os_, pl = rng.sample(people, 5), rng.sample(orgs, 3), rng.sample(places, 2)
        sentences, roles, evs = [], [], []
        for i in range(5):
            title, org = rng.choice(TITLES), os_[i % 3] if i < 4 else None
            where = f" of {org}" if org else ""
            sentences.append(
                (
                    f"{ps[i]}, the {title}{where}, said on Tuesday that the plan would go ahead "
                    f"despite objections raised by several members.",
                    ("role", ps[i], title, org),
                )
            )
        for i in range(2):
            named = rng.choice(events) if i == 0 else None
            parties = (ps[i], ps[i + 2], os_[i])
            sentences.append(
                (
                    f"{parties[0]} met {parties[1]} and officials of {parties[2]} in {pl[i]} "
                    f"to discuss trade, security and investment.",
                    ("event", named, parties, pl[i]),
                )
            )
        text, spans = "", []
        for sentence, fact in sentences:
            start = len(text)
            text += sentence + " "
            spans.append((start, start + len(sentence), sentence, fact))
        text += "Filler paragraph. " * 80
        art = Article(
            id=hashlib.sha256(text.encode()).hexdigest(),
            doc_id=f"doc-{n:05d}",
            text=text,
            title=f"{ps[0]} and {ps[1]} on the {rng.choice(TITLES).lower()} race",
            url=f"https://news.example.com/{n}",
            published=f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}",
        )
        for start, end, sentence, fact in spans:
            ev = Evidence(art.id, start, end, sentence)
            if fact[0] == "role":
                roles.append(RoleFact(fact[1], fact[2], fact[3], rng.choice(["current", "former"]), ev, "appositive"))
            else:
                evs.append(
                    EventFact(
                        fact[1],
                        rng.choice(EVENT_TYPES),
                        fact[2][:2],
                        ev,
                        "met",
                        organisers=(fact[2][2],),
                        place=fact[3],
                        date=art.published,
                    )
                )
        entities = (
            *(Entity(p, "Person") for p in ps),
            *(Entity(o, "Organisation", kind="company") for o in os_),
            *(Entity(p, "Place", kind="city") for p in pl),
        )
        out.append(ArticleFacts(art, entities, tuple(roles), tuple(evs), tuple((e.name, 1) for e in entities)))
    return out


def load_facts(facts_file: Path | None, articles: int) -> list[ArticleFacts]:
    if facts_file is None:
        return synthetic_facts(articles)
    try:
        from graph_builder.sinks.facts import read_facts
    except ImportError:
        print("graph_builder.sinks.facts.read_facts is not available; using the synthetic corpus", file=sys.stderr)
        return synthetic_facts(articles)
    return read_facts(facts_file)


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
