"""Builds that take a delta: the store patched from the previous build holds what a whole reload holds."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_builder.build import Report, build, load_graph, write_outputs
from graph_builder.config import Settings
from graph_builder.delta import DIGESTS, Digests, diff, file_sha, read_digests, write_digests
from graph_builder.graph import build_graph, schema_digest
from graph_builder.model import ArticleFacts
from graph_builder.remove import remove
from graph_builder.sinks.html import DEGREES, drawable_degrees, read_degrees
from tests.factories import aramaki_corpus, chair_facts, facts_a, facts_b, journal, many_facts, page_data, store_dump

#: Articles that share people, posts and bodies, so adding or removing one changes nodes the others made.
POOL: list[ArticleFacts] = [*aramaki_corpus(), facts_a(), facts_b(), *many_facts(3), *chair_facts(("Ilse Varga",), "c")]


def test_diff_names_what_changed_and_nothing_else(tmp_path: Path) -> None:
    old = build_graph(POOL[:3])
    new = build_graph(POOL[:4])
    path = tmp_path / DIGESTS
    first, digests = diff(Digests(), old)
    assert len(first.added_nodes) == old.number_of_nodes() and len(first.added_relationships) == old.number_of_edges()
    write_digests(digests, path, schema_digest())
    stored = read_digests(path, schema_digest())
    assert stored == digests
    assert read_digests(path, "another schema") is None  # sinks reload whole under another schema
    assert not diff(stored, old)[0]
    delta = diff(stored, new)[0]
    assert {n.key.id for n in delta.added_nodes} == set(new) - set(old)
    assert {n.key.id for n in delta.changed_nodes} == {n for n in set(new) & set(old) if new.nodes[n] != old.nodes[n]}
    back = diff(diff(Digests(), new)[1], old)[0]
    assert {k.id for k in back.removed_nodes} == set(new) - set(old)
    gone = {(k.source, k.target, k.type) for k in back.removed_relationships}
    assert gone == set(new.edges(keys=True)) - set(old.edges(keys=True))


def _write(facts: list[ArticleFacts], folder: Path, previous: Path | None, out: Path) -> None:
    folder.mkdir()
    write_outputs(facts, Settings(out_dir=out), ["store"], Report(), folder, previous)


@settings(max_examples=4, deadline=None)
@given(st.lists(st.sets(st.integers(0, len(POOL) - 1)), min_size=1, max_size=3))
def test_patched_store_equals_a_whole_reload(tmp_path_factory: pytest.TempPathFactory, steps: list[set[int]]) -> None:
    """Over random sequences of builds (articles added and removed), every patched store equals a fresh load."""
    work = tmp_path_factory.mktemp("delta")
    previous: Path | None = None
    for n, chosen in enumerate([set(), *steps]):
        facts = [POOL[i] for i in sorted(chosen)]
        patched, whole = work / f"patched{n}", work / f"whole{n}"
        _write(facts, patched, previous, work)
        _write(facts, whole, None, work)
        assert store_dump(patched) == store_dump(whole)
        previous = patched


def test_builds_and_removals_patch_the_store_to_what_a_fresh_build_holds(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    journal(POOL[:4], out)
    build([], Settings(out_dir=out))
    journal(POOL[4:], out)
    caplog.set_level(logging.DEBUG, logger="graph_builder")
    report = build([], Settings(out_dir=out))
    assert "store delta: {'added_nodes'" in caplog.text  # patched, not reloaded
    journal(POOL, fresh)
    build([], Settings(out_dir=fresh))
    assert report.generation == 2 and store_dump(out) == store_dump(fresh)
    remove([POOL[0].article.doc_id], Settings(out_dir=out))
    shutil.rmtree(fresh)
    journal(POOL[1:], fresh)
    build([], Settings(out_dir=fresh))
    assert store_dump(out) == store_dump(fresh)


def test_the_html_view_ranks_by_degrees_patched_from_the_delta(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The page of a build that adds and removes articles ranks by the last build's degrees patched with the
    delta: the degrees it keeps are those of its whole graph, and the page carries what a fresh build's does."""
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    settings = Settings(out_dir=out)
    caplog.set_level(logging.DEBUG, logger="graph_builder")
    journal(POOL[:4], out)
    build([], settings, sinks=("html",))
    assert "html: degrees patched" not in caplog.text  # the first build counts them whole
    journal(POOL[4:], out)
    build([], settings, sinks=("html",))
    assert "html: degrees patched from the delta" in caplog.text
    kept = read_degrees(out / "current" / DEGREES)
    assert kept is not None and kept[0] == file_sha(out / "current" / DIGESTS)
    assert kept[1:] == drawable_degrees(load_graph(settings))
    journal(POOL, fresh)
    build([], Settings(out_dir=fresh), sinks=("html",))
    page, whole = page_data(out / "graph.html"), page_data(fresh / "graph.html")
    assert {n["id"] for n in page["nodes"]} == {n["id"] for n in whole["nodes"]}
    assert page["legend"] == whole["legend"] and sorted(page["index"]) == sorted(whole["index"])
    caplog.clear()
    remove([POOL[0].article.doc_id], settings)  # a removal patches them too
    assert "html: degrees patched from the delta" in caplog.text
    kept = read_degrees(out / "current" / DEGREES)
    assert kept is not None and kept[1:] == drawable_degrees(load_graph(settings))
