"""End-to-end `build` against extraction alone, its peak memory as the corpus grows, and incremental runs.

Every run is the real command (`graph-builder build` / `graph-builder extract`) in a
subprocess; memory is the peak of the summed RSS of that process and its worker processes
(and of their PSS, which counts pages the forked workers share once), sampled every 100 ms.
The baseline is `extract` over the same articles with the same workers: ingest and
extraction with no resolution, graph or sinks. Targets: build <= 1.3x extraction
alone on the whole corpus; peak RSS under 1.5 GB, growing sub-linearly with the corpus (runs at
25%, 50% and 100%). Then: a second build over the same sources (extracts nothing), and a build of
the whole corpus into the 50% build's folder (extracts only the new half).

    python bench/build_scale.py                 # the whole BBC corpus
    python bench/build_scale.py --limit 400 --workers 1
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from corpus import add_corpus_args, load, machine

GRAPH_BUILDER = Path(sys.executable).with_name("graph-builder")
FRACTIONS = (0.25, 0.5, 1.0)
TARGET_OVERHEAD = 1.3
TARGET_RSS_GB = 1.5


def run(args: list[str]) -> tuple[float, float, float, str]:
    """(seconds, peak RSS and peak PSS of the process tree in GB, stderr) of one graph-builder command.

    RSS counts pages shared by forked workers once per process; PSS splits them among the sharers,
    so their sum is the memory the tree really takes.
    """
    start = time.perf_counter()
    proc = subprocess.Popen([str(GRAPH_BUILDER), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    root = psutil.Process(proc.pid)
    rss = pss = 0
    while proc.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            full = [p.memory_full_info() for p in tree]
            rss, pss = max(rss, sum(m.rss for m in full)), max(pss, sum(m.pss for m in full))
        except psutil.Error:
            pass
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    stderr = proc.stderr.read() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"graph-builder {' '.join(args)} failed ({proc.returncode}):\n{stderr[-2000:]}")
    return seconds, rss / 2**30, pss / 2**30, stderr


def extracted(stderr: str) -> str:
    found = re.search(r"read \d+ article\(s\): \d+ extracted, \d+ unchanged", stderr)
    return found.group(0) if found else "(no summary)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_corpus_args(parser)
    parser.add_argument("--workers", type=int, help="extraction workers (default: build's own, one per core)")
    args = parser.parse_args()
    lines = args.corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = lines[: args.limit] if args.limit else lines
    workers = ["--workers", str(args.workers)] if args.workers else []
    print(f"machine: {machine()}")
    print(f"corpus: {args.corpus.name}, {len(lines)} articles; workers: {args.workers or 'one per core'}")
    with tempfile.TemporaryDirectory(prefix="gb-bench-") as tmp:
        work = Path(tmp)
        sources: dict[float, Path] = {}
        for fraction in FRACTIONS:
            sources[fraction] = work / f"corpus-{fraction:.0%}.jsonl"
            sources[fraction].write_text("".join(lines[: round(len(lines) * fraction)]), encoding="utf-8")

        peaks = []
        for fraction in FRACTIONS:
            out = work / f"out-{fraction:.0%}"
            seconds, rss, pss, _ = run(["build", str(sources[fraction]), "--out", str(out), "-q", *workers])
            peaks.append(rss)
            print(
                f"build {fraction:>4.0%} of the corpus:       {seconds:7.1f} s   peak RSS {rss:.2f} GB (PSS {pss:.2f})"
            )
        print(
            f"peak RSS growth: x{peaks[1] / peaks[0]:.2f} for 2x the articles, x{peaks[2] / peaks[0]:.2f} for 4x "
            f"(sub-linear when below 2 and 4; target under {TARGET_RSS_GB} GB)"
        )
        whole = sources[1.0]
        build_s = seconds
        extract_s, extract_rss, _, _ = run(["extract", str(whole), "-o", str(work / "facts.jsonl"), "-q", *workers])
        print(f"extract alone, whole corpus:   {extract_s:7.1f} s   peak RSS {extract_rss:.2f} GB")
        print(f"build / extraction alone: {build_s / extract_s:.2f} (target <= {TARGET_OVERHEAD})")

        again_s, _, _, stderr = run(["build", str(whole), "--out", str(work / "out-100%"), "-q", *workers])
        print(f"second build, same sources:    {again_s:7.1f} s   {extracted(stderr)}")
        grow_s, _, _, stderr = run(["build", str(whole), "--out", str(work / "out-50%"), "-q", *workers])
        print(f"build of 100% over the 50% build: {grow_s:4.1f} s   {extracted(stderr)}")

    print(f"load average at end: {load()}")


if __name__ == "__main__":
    main()
