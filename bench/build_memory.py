"""Where a full build's memory goes: the build process's RSS sampled with its call stack, by stage.

A synthetic corpus (bench/synthetic.py) is laid out as bench/scale.py lays it (sources plus an
interrupted run's journal, so nothing is extracted), then `graph-builder build` runs in a child
process that samples its own RSS every 20 ms beside the innermost package function on its main
thread's stack. The report gives, for each such function, the peak RSS while it ran, so the stage
at the top is where the build peaks, and how the peak grows between sizes (bytes per article).
The embedded store's loader, a process of its own, is sampled apart, and with the build at the same
sample ("both at once": what `bench/scale.py`'s summed RSS reads, sampled five times as often).

With `--tracemalloc`, the child also takes a tracemalloc snapshot at the peak of the graph stage
and prints the lines holding most memory (slow: about three times the build's time).

    python bench/build_memory.py --sizes 2000,5000
    python bench/build_memory.py --sizes 2000 --tracemalloc
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from corpus import machine

PACKAGE = os.sep + "graph_builder" + os.sep


def _rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _names(frame: object) -> list[str]:
    """The package functions on a stack, innermost first."""
    names: list[str] = []
    f = frame
    while f is not None:
        code = f.f_code  # type: ignore[attr-defined]
        if PACKAGE in code.co_filename:
            names.append(f"{Path(code.co_filename).stem}.{code.co_name}")
        f = f.f_back  # type: ignore[attr-defined]
    return names


def _where(names: list[str]) -> str:
    """The innermost package function and the package functions above it (at most three)."""
    return " < ".join(names[:3]) or "(outside the package)"


_OUTER = {"cli.main", "cli.cmd_build", "build.build", "build.write_generation", "build._write_generation"}


def _stage(names: list[str], depth: int = 3) -> str:
    """The outermost package functions of a stack below the build's own: which stage of the build runs."""
    outer = [n for n in reversed(names) if n not in _OUTER]
    return " > ".join(outer[:depth])


def child(folder: Path, trace: bool) -> None:
    """Run the build in this process with a sampler thread; print the peaks as one JSON line."""
    from graph_builder.cli import main

    main_id = threading.get_ident()
    peaks: dict[str, int] = {}
    timeline: list[tuple[float, int, str]] = []
    loader = [0]
    together = [0]  # the build and its loader at the same sample: what the machine must hold at once
    done = threading.Event()
    snapshot: list[object] = []

    def sample() -> None:
        import psutil

        me = psutil.Process()
        while not done.is_set():
            frame = sys._current_frames().get(main_id)
            names = _names(frame) if frame is not None else []
            where, stage = _where(names), _stage(names)
            rss = _rss()
            if not timeline or timeline[-1][2] != stage:
                timeline.append((time.perf_counter(), rss, stage))
            if rss > peaks.get(where, 0):
                peaks[where] = rss
            with contextlib.suppress(psutil.Error):
                children = sum(c.memory_info().rss for c in me.children(recursive=True))
                loader[0] = max(loader[0], children)
                together[0] = max(together[0], rss + children)
            time.sleep(0.02)

    if trace:
        import tracemalloc

        tracemalloc.start(1)
        import graph_builder.graph as graph

        finish = graph.finish

        def traced(g):  # type: ignore[no-untyped-def]
            out = finish(g)
            snapshot.append(tracemalloc.take_snapshot())
            return out

        graph.finish = traced  # the build reads it through the module at call time
    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    code = main(["build", str(folder / "base.jsonl"), "--out", str(folder / "out"), "-q", "--workers", "1"])
    done.set()
    thread.join()
    if snapshot:
        stats = snapshot[0].statistics("lineno")  # type: ignore[attr-defined]
        total = sum(s.size for s in stats)
        print(f"tracemalloc at the end of graph.finish: {total / 2**20:.0f} MiB traced", file=sys.stderr)
        for s in stats[:25]:
            print(f"  {s.size / 2**20:8.1f} MiB {s.count:>9,} blocks  {s.traceback}", file=sys.stderr)
    if trace or os.environ.get("TIMELINE"):
        start = timeline[0][0] if timeline else 0.0
        for t, rss, stage in timeline:
            if t - start > 0:
                print(f"  {t - start:7.2f} s {rss / 2**20:7.0f} MB  {stage}", file=sys.stderr)
    print(json.dumps({"code": code, "peaks": peaks, "loader": loader[0], "together": together[0]}))


def measure(size: int, trace: bool) -> dict[str, object]:
    from scale import journal, write_sources
    from synthetic import synthetic_facts

    corpus = synthetic_facts(size)
    with tempfile.TemporaryDirectory(prefix="gb-memory-") as tmp:
        folder = Path(tmp)
        write_sources(corpus, folder / "base.jsonl")
        journal(corpus, folder / "out")
        del corpus
        args = [sys.executable, __file__, "--child", str(folder), *(["--tracemalloc"] if trace else [])]
        done = subprocess.run(args, capture_output=True, text=True, check=False)
        sys.stderr.write(done.stderr[-20000:] if trace or os.environ.get("TIMELINE") else "")
        if done.returncode != 0:
            raise SystemExit(f"build of {size} articles failed:\n{done.stderr[-3000:]}")
        result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2000,5000", help="corpus sizes, comma-separated")
    parser.add_argument("--tracemalloc", action="store_true", help="also print the lines holding most memory")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--top", type=int, default=12, help="stages to print per size")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.tracemalloc)
        return
    print(f"machine: {machine()}")
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {size: measure(size, args.tracemalloc) for size in sizes}
    for size, result in results.items():
        peaks: dict[str, int] = result["peaks"]  # type: ignore[assignment]
        top = max(peaks.values())
        print(f"{size:,} articles: build process peak {top / 2**30:.2f} GB ({top / size / 1024:.0f} KB an article); "
              f"store loader peak {int(result['loader']) / 2**30:.2f} GB; "  # type: ignore[call-overload]
              f"both at once {int(result['together']) / 2**30:.2f} GB")  # type: ignore[call-overload]  # fmt: skip
        for where, rss in sorted(peaks.items(), key=lambda kv: -kv[1])[: args.top]:
            print(f"  {rss / 2**20:7.0f} MB  {where}")
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        a = max(results[small]["peaks"].values())  # type: ignore[attr-defined]
        b = max(results[large]["peaks"].values())  # type: ignore[attr-defined]
        print(f"growth {small:,} -> {large:,}: {(b - a) / (large - small) / 1024:.0f} KB an article at the peak")


if __name__ == "__main__":
    main()
