"""Cross-article resolution cost as the number of entities grows: it must stay linear (no all-pairs step).

With `--synthetic SIZES`, resolution runs instead over synthetic corpora (`synthetic.py`) of those
sizes, each in a fresh process so its peak RSS is its own, and prints time, time per mention and
peak RSS as ratios to the smallest size; with `--dask WORKERS` each size is also resolved on a
local Dask cluster of that many worker processes (the same map and reduce, run as dask.dataframe)
and the entities are checked equal to the local result.

Resolution runs over the BBC corpus's facts (extracted once into bench/results/) at a quarter, a
half and all of the articles, then over 2x, 4x and 8x the corpus made of renamed copies (every
word of every name gets a per-copy suffix, so each copy adds as many new entities as the corpus
holds, with the same surnames and acronyms to merge). The
baseline is the smallest run: time per entity mention should stay flat as the input grows, and an
all-pairs comparison would make it grow with the entity count.

    python bench/resolution.py
    python bench/resolution.py --limit 500 --copies 4
    python bench/resolution.py --synthetic 1000,10000 --dask 2
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

from corpus import add_corpus_args, corpus_facts, machine
from synthetic import synthetic_facts

from graph_builder.frames import Frames
from graph_builder.model import ArticleFacts
from graph_builder.resolve import Resolver

SUFFIXES = ["Ab", "Cd", "Ef", "Gh", "Ij", "Kl", "Mn", "Op", "Qr", "St", "Uv", "Wx", "Yz"]


def renamed(facts: list[ArticleFacts], copy: int) -> list[ArticleFacts]:
    """A copy of the facts whose every name and article id is new, so resolution sees new entities."""
    tag = SUFFIXES[copy % len(SUFFIXES)] + SUFFIXES[copy // len(SUFFIXES)].lower()

    def name(n: str) -> str:
        return " ".join(word + tag for word in n.split())

    out = []
    for af in facts:
        article = replace(af.article, id=f"{af.article.id}-{copy}")
        entities = tuple(replace(e, name=name(e.name), aliases=tuple(map(name, e.aliases))) for e in af.entities)
        out.append(replace(af, article=article, entities=entities, roles=(), events=(), mentions=()))
    return out


def rss_mb() -> float:
    """This process's resident memory now, in MB."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 1e6


def resolve_synthetic(size: int, workers: int) -> dict[str, float]:
    """Resolve a synthetic corpus of `size` articles here (and on `workers` Dask workers when > 0)."""
    facts = synthetic_facts(size)
    before = rss_mb()
    start = time.perf_counter()
    resolver = Resolver(facts)
    out = {
        "mentions": sum(len(af.entities) for af in facts),
        "entities": len(resolver.entities),
        "seconds": time.perf_counter() - start,
        "facts_mb": before,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3,
    }
    if workers:
        from distributed import Client, LocalCluster

        with (
            LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as cluster,
            Client(cluster) as client,
        ):
            start = time.perf_counter()
            on_dask = Resolver(facts, frames=Frames(client))
            out["dask_seconds"] = time.perf_counter() - start
        same = {e.id: e.names for e in on_dask.entities.values()} == {e.id: e.names for e in resolver.entities.values()}
        if not same:
            raise SystemExit(f"{size} articles: the Dask cluster resolved other entities than pandas here")
    return out


def synthetic_runs(sizes: list[int], workers: int) -> None:
    """Each size in a fresh process (its peak RSS its own), as ratios to the smallest."""
    base: dict[str, float] = {}
    ctx = multiprocessing.get_context("spawn")
    for size in sizes:
        with ProcessPoolExecutor(1, mp_context=ctx) as pool:  # not daemonic: it may start a Dask cluster
            run = pool.submit(resolve_synthetic, size, workers).result()
        per = run["seconds"] / run["mentions"] * 1e6
        grown = run["peak_mb"] - run["facts_mb"]
        base = base or {"size": size, "per": per, "grown": grown, "seconds": run["seconds"]}
        line = (
            f"{size:7} articles {run['mentions']:8.0f} mentions -> {run['entities']:7.0f} entities "
            f"{run['seconds']:7.2f} s (x{run['seconds'] / base['seconds']:.1f} for x{size / base['size']:.0f} "
            f"the articles) {per:5.1f} us/mention (x{per / base['per']:.2f}); peak RSS {run['peak_mb']:6.0f} MB, "
            f"{grown:5.0f} MB over the facts (x{grown / base['grown']:.1f})"
        )
        if "dask_seconds" in run:
            line += (
                f"; {workers} Dask workers {run['dask_seconds']:.2f} s (x{run['dask_seconds'] / run['seconds']:.1f})"
            )
        print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_corpus_args(parser)
    parser.add_argument("--copies", type=int, default=8, help="largest multiple of the corpus (default 8)")
    parser.add_argument("--synthetic", help="comma-separated sizes of synthetic corpora, instead of the BBC corpus")
    parser.add_argument("--dask", type=int, default=0, metavar="WORKERS", help="also resolve on a local Dask cluster")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    if args.synthetic:
        synthetic_runs([int(n) for n in args.synthetic.split(",")], args.dask)
        return
    facts = sorted(corpus_facts(args.corpus, args.limit), key=lambda f: f.article.id)
    runs: list[tuple[str, list[ArticleFacts]]] = [
        (f"{share:.0%} of the corpus", facts[: round(len(facts) * share)]) for share in (0.25, 0.5, 1.0)
    ]
    copies = 2
    while copies <= args.copies:
        runs.append(
            (f"{copies}x the corpus", [af for c in range(copies) for af in (renamed(facts, c) if c else facts)])
        )
        copies *= 2
    base = None
    for name, part in runs:
        mentions = sum(len(af.entities) for af in part)
        start = time.perf_counter()
        resolver = Resolver(part)
        seconds = time.perf_counter() - start
        per = seconds / max(mentions, 1) * 1e6
        base = base or per
        print(
            f"{name:<20} {len(part):6} articles {mentions:8} mentions -> {len(resolver.entities):7} entities "
            f"{seconds:7.2f} s  {per:6.1f} us/mention (x{per / base:.2f} the smallest run)"
        )


if __name__ == "__main__":
    main()
