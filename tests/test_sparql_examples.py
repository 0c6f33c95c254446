"""The SPARQL examples the README shows run with rdflib on the demo export and answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from graph_builder.build import build
from graph_builder.config import Settings

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    out = tmp_path_factory.mktemp("demo")
    build([str(ROOT / "data")], Settings(out_dir=out, workers=1, progress=False))
    return Graph().parse(out / "graph.ttl")


@pytest.mark.parametrize("name", ["roles", "events", "provenance"])
def test_readme_query_answers_on_the_demo_export(export: Graph, name: str) -> None:
    query = (ROOT / "graph_builder" / "data" / "queries" / "sparql" / f"{name}.rq").read_text(encoding="utf-8")
    assert f"graph_builder/data/queries/sparql/{name}.rq" in (ROOT / "README.md").read_text(encoding="utf-8")
    rows = list(export.query(query))
    assert rows, f"{name}.rq gave no rows on the demo export"
    if name == "provenance":
        # Every span's offsets and sentence agree with what the facts say.
        assert all(int(end) > int(begin) for _, begin, end, _ in rows)
        assert all("Henrik Saar" in str(sentence) or "Saar" in str(sentence) for *_, sentence in rows)
