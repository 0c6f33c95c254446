"""The same articles give the same bytes: a build and the build that adds to it do not vary with Python's
hash seed, so a re-run or a second machine can be compared file by file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

DATA = Path(__file__).resolve().parents[1] / "data"
#: Files a build writes that are not its output: the embedded store's own pages and the writer's lock.
NOT_OUTPUT = {".lbdb", ".lock"}


def _build_twice(root: Path, seed: str) -> Path:
    """Build the first half of the sample articles, then add the rest, under hash seed `seed` (from the same
    source folder each time: facts name their files)."""
    src, out = root / "src", root / f"out-{seed}"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir()
    articles = sorted(DATA.glob("*.txt"))
    env = {**os.environ, "PYTHONHASHSEED": seed}
    for batch in (articles[:6], articles[6:]):
        for path in batch:
            shutil.copy(path, src / path.name)
        cli = [sys.executable, "-m", "graph_builder.cli", "build", str(src), "--out", str(out), "--workers", "1"]
        proc = subprocess.run([*cli, "-q"], env=env, capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stderr
    return out


def _files(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.suffix not in NOT_OUTPUT
    }


def test_outputs_do_not_vary_with_the_hash_seed(tmp_path: Path) -> None:
    first, second = _files(_build_twice(tmp_path, "1")), _files(_build_twice(tmp_path, "2"))
    assert sorted(first) == sorted(second)
    assert "rdf/000002.ru" in first  # the second build wrote a delta, the part that used to vary
    assert [name for name in first if first[name] != second[name]] == []
