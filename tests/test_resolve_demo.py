"""The demo graph holds exactly the people, organisations and places the README lists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph_builder.build import build, load_graph
from graph_builder.config import Settings
from graph_builder.graph import nodes_of

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
LISTS = {"People": "Person", "Organisations": "Organisation", "Places": "Place"}


def readme_lists() -> dict[str, list[str]]:
    """The README's `**People (N):** a, b, c.` lines, by label; N must be the list's length."""
    found = {}
    for heading, count, body in re.findall(
        r"^\*\*(\w+) \((\d+)\):\*\* (.+)\.$", (ROOT / "README.md").read_text(), re.M
    ):
        if heading in LISTS:
            names = body.split(", ")
            assert len(names) == int(count), f"README says {count} {heading.lower()} but lists {len(names)}"
            found[LISTS[heading]] = names
    assert set(found) == set(LISTS.values()), "the README lacks a demo entity list"
    return found


def test_demo_entities_are_those_the_readme_lists(tmp_path: Path) -> None:
    settings = Settings(out_dir=tmp_path, workers=1, progress=False)
    assert not build([str(ROOT / "data")], settings).skipped
    graph = load_graph(settings)
    for label, names in readme_lists().items():
        assert sorted(n["name"] for n in nodes_of(graph, label)) == sorted(names), label
    # Every entity either takes part in a fact or hangs off an article that names it in passing.
    for nid, data in graph.nodes(data=True):
        if data["label"] in LISTS.values():
            assert graph.degree(nid) > 0, data["name"]
