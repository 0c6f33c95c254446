"""What a build costs as the corpus grows, from stored facts: full build, rebuild with nothing new, 1% more.

For each size, a synthetic corpus (bench/synthetic.py) is written as a JSONL source file and its
facts are laid in the out folder as an interrupted run's journal, so the build finds every article
already extracted (no model runs; extraction scales on its own, see bench/extraction.py). Then,
each the real `graph-builder build` in a subprocess, timed with its peak RSS (bench/build_scale.py):

- full build from facts: reads the sources, finds every article extracted, and writes the facts
  store, the embedded store, Turtle and HTML as the folder's first generation;
- rebuild with nothing new: the same command again;
- 1% more: a second source file of 1% new articles, whose facts are journalled the same way.

Growth exponents are log(cost ratio) / log(size ratio) between successive sizes. Targets: a
rebuild with nothing new under 2 s at every size; 1% more under 5% of the full build at the largest
size; the full build's exponent at most 1.1, and its peak RSS under 4 GB at 100,000 articles.

    python bench/scale.py                        # 10,000, 30,000 and 100,000 articles
    python bench/scale.py --sizes 2000,8000
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import resource
import tempfile
from pathlib import Path

from build_scale import run
from corpus import machine
from synthetic import synthetic_facts

from graph_builder.build import JOURNAL
from graph_builder.facts import dump_line
from graph_builder.ingest.normalise import article_id
from graph_builder.model import ArticleFacts

TARGET_NOTHING_NEW_S = 2.0
TARGET_ADD_SHARE = 0.05
TARGET_EXPONENT = 1.1
TARGET_RSS_GB = 4.0


def write_sources(facts: list[ArticleFacts], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for af in facts:
            a = af.article
            fh.write(json.dumps({"id": a.doc_id, "title": a.title, "url": a.url, "published": a.published,
                                 "text": a.text}) + "\n")  # fmt: skip


def journal(facts: list[ArticleFacts], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with open(out / JOURNAL, "a", encoding="utf-8") as fh:
        fh.writelines(dump_line(af) for af in facts)


def timed(args: list[str]) -> tuple[float, float, float, float, str]:
    """(wall seconds, CPU seconds of the process and its workers, peak RSS and peak PSS in GB, stderr) of one
    command. The summed RSS counts the pages the store's forked loader shares with the build twice; PSS once.

    CPU time is what the exponents use: on a machine shared with other work, wall time mostly
    measures the others."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, rss, pss, log = run(args)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu, rss, pss, log


def exponent(small: tuple[float, float], large: tuple[float, float]) -> float:
    return math.log(large[1] / small[1]) / math.log(large[0] / small[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,30000,100000", help="corpus sizes, comma-separated")
    parser.add_argument("--full-only", action="store_true", help="the full build alone at each size")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {machine()}")
    rows: list[dict[str, float]] = []
    for size in sizes:
        corpus = synthetic_facts(size + size // 100)
        base, extra = corpus[:size], corpus[size:]
        sample = base[0].article
        assert article_id(sample.text) == sample.id, "synthetic ids must be the ids build gives their text"
        with tempfile.TemporaryDirectory(prefix="gb-scale-") as tmp:
            work = Path(tmp)
            out, first, more = work / "out", work / "base.jsonl", work / "more.jsonl"
            write_sources(base, first)
            write_sources(extra, more)
            journal(base, out)
            full_w, full_s, full_rss, full_pss, log = timed(
                ["build", str(first), "--out", str(out), "-q", "--workers", "1"]
            )
            assert f"read {size} article(s)" in log, log[-500:]
            print(f"{size:>7,} articles: full build {full_s:.1f} CPU s / {full_w:.1f} wall s / peak RSS "
                  f"{full_rss:.2f} GB (PSS {full_pss:.2f}); nothing new and +1% next", flush=True)  # fmt: skip
            if args.full_only:
                rows.append({"size": size, "full": full_s, "full_rss": full_rss, "full_pss": full_pss})
                continue
            again_w, again_s, again_rss, _, log = timed(["build", str(first), "--out", str(out), "-q"])
            assert "nothing new" in log, log[-500:]
            journal(extra, out)
            add_w, add_s, add_rss, _, log = timed(
                ["build", str(first), str(more), "--out", str(out), "-q", "--workers", "1"]
            )
            assert f"read {size + len(extra)} article(s)" in log, log[-500:]
        rows.append({"size": size, "full": full_s, "full_rss": full_rss, "again": again_s, "again_wall": again_w,
                     "add": add_s})  # fmt: skip
        print(
            f"{size:>7,} articles (CPU s / wall s / peak RSS): full build {full_s:.1f} / {full_w:.1f} / "
            f"{full_rss:.2f} GB (PSS {full_pss:.2f});  "
            f"nothing new {again_s:.2f} / {again_w:.2f} / {again_rss:.2f} GB;  "
            f"+1% ({len(extra):,}) {add_s:.1f} / {add_w:.1f} / {add_rss:.2f} GB = {add_s / full_s:.0%} of the full",
            flush=True,
        )
    for small, large in itertools.pairwise(rows):
        n = (small["size"], large["size"])
        print(
            f"growth {n[0]:,} -> {n[1]:,}: full build CPU time exponent "
            f"{exponent((n[0], small['full']), (n[1], large['full'])):.2f}, peak RSS exponent "
            f"{exponent((n[0], small['full_rss']), (n[1], large['full_rss'])):.2f}"
        )
    last = rows[-1]
    if args.full_only:
        print(f"target: full build peak RSS < {TARGET_RSS_GB} GB at {last['size']:,.0f}: "
              f"{'met' if last['full_rss'] < TARGET_RSS_GB else 'NOT met'}")  # fmt: skip
        return
    linear = all(
        exponent((a["size"], a["full"]), (b["size"], b["full"])) <= TARGET_EXPONENT for a, b in itertools.pairwise(rows)
    )
    print(f"targets: nothing new < {TARGET_NOTHING_NEW_S} s at every size: "
          f"{'met' if all(r['again_wall'] < TARGET_NOTHING_NEW_S for r in rows) else 'NOT met'} (wall); "
          f"+1% < {TARGET_ADD_SHARE:.0%} of full at {last['size']:,.0f}: "
          f"{'met' if last['add'] < TARGET_ADD_SHARE * last['full'] else 'NOT met'}; "
          f"full build exponent <= {TARGET_EXPONENT}: "
          f"{'met' if linear else 'NOT met'}; "
          f"full build peak RSS < {TARGET_RSS_GB} GB at {last['size']:,.0f}: "
          f"{'met' if last['full_rss'] < TARGET_RSS_GB else 'NOT met'}")  # fmt: skip


if __name__ == "__main__":
    main()
