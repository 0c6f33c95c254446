"""Incremental builds: the facts file is the manifest, so only articles it lacks are extracted."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_builder.build import build
from graph_builder.config import Settings
from tests.factories import ONE, TWO
from tests.factories import write_article as write

pytestmark = pytest.mark.e2e


def test_second_build_extracts_nothing_and_new_articles_only_themselves(tmp_path: Path) -> None:
    settings = Settings(out_dir=tmp_path / "out", workers=1, progress=False)
    first = write(tmp_path / "a", "one.txt", ONE)
    report = build([str(first)], settings)
    assert (report.read, report.extracted, report.reused) == (1, 1, 0)
    facts = (tmp_path / "out" / "facts.jsonl").read_text()

    again = build([str(first)], settings)
    assert (again.read, again.extracted, again.reused) == (1, 0, 1)
    assert (tmp_path / "out" / "facts.jsonl").read_text() == facts

    second = write(tmp_path / "b", "two.txt", TWO)
    grown = build([str(first), str(second)], settings)
    assert (grown.read, grown.extracted, grown.reused) == (2, 1, 1)
    assert grown.facts["Article"] == 2
