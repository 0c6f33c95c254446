"""Score the extractor on the shared evaluation sets: `make eval` prints one score.py table per set."""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

SETS = {
    "seed": ("eval/articles/india-japan-ties.txt", "eval/gold/seed.jsonl"),
    "bbc-dev": ("eval/bbc/articles", "eval/gold/bbc-dev.jsonl"),
    "dwie-dev": ("eval/dwie-dev/articles", "eval/dwie-dev/gold.jsonl"),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=Path("../shared"), help="folder holding eval/")
    ap.add_argument("--sets", nargs="*", default=list(SETS))
    args = ap.parse_args()
    scorer = args.shared / "eval" / "score.py"
    if not scorer.exists():
        print(f"no scorer at {scorer}: pass --shared DIR (the folder with eval/)", file=sys.stderr)
        return 2
    tool = Path(sys.executable).with_name("graph-builder")
    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sets:
            source, gold = (args.shared / p for p in SETS[name])
            out = Path(tmp) / f"{name}.jsonl"
            subprocess.run([str(tool), "extract", str(source), "-o", str(out), "-q"], check=True)
            print(f"\n== {name} ({gold})", flush=True)
            status |= subprocess.run([sys.executable, str(scorer), str(gold), str(out)]).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
