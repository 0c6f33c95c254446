"""RDF updates per build: the previous build's Turtle with this build's update applied is this build's Turtle."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph

from graph_builder.api import export
from graph_builder.build import Report, build, write_outputs
from graph_builder.config import Settings
from graph_builder.curation import append_record, curate_facts
from graph_builder.exports import export as export_build
from graph_builder.facts import dump_line
from graph_builder.graph import build_graph, fact_id
from graph_builder.model import ArticleFacts
from graph_builder.remove import remove
from graph_builder.sinks import rdf_delta
from graph_builder.sinks.rdf import read_file, to_graph, validate_graph
from tests.factories import aramaki_corpus, chair_facts, facts_a, facts_b, journal, many_facts

#: Articles that share people, posts and bodies, so adding or removing one changes nodes the others made.
POOL: list[ArticleFacts] = [*aramaki_corpus(), facts_a(), facts_b(), *many_facts(3), *chair_facts(("Ilse Varga",), "c")]


def _applied(before: Graph, update: Path) -> set[tuple[object, object, object]]:
    after = Graph()
    for triple in before:
        after.add(triple)
    after.update(update.read_text(encoding="utf-8"))
    return set(after)


@settings(max_examples=6, deadline=None)
@given(st.lists(st.sets(st.integers(0, len(POOL) - 1)), min_size=1, max_size=4))
def test_each_update_turns_the_previous_export_into_the_next(
    tmp_path_factory: pytest.TempPathFactory, steps: list[set[int]]
) -> None:
    """Over random sequences of builds (articles added and removed), every update applied to the previous
    export gives the whole export of the new graph, statement for statement."""
    work = tmp_path_factory.mktemp("rdf")
    config = Settings(out_dir=work)
    previous: Path | None = None
    exported = Graph()
    for n, chosen in enumerate([set(), *steps], 1):
        folder = work / f"g{n}"
        folder.mkdir()
        graph = write_outputs([POOL[i] for i in sorted(chosen)], config, [], Report(), folder, previous)
        change = graph.graph["change"]
        path = rdf_delta.write(graph, change.delta if change.base else None, work, n, config)
        head = rdf_delta.read_header(path)
        assert head is not None and head["after"] == (None if n == 1 else n - 1)
        whole = to_graph(graph, config.base_iri)
        assert _applied(exported, path) == set(whole)
        exported, previous = whole, folder


def test_builds_removals_and_corrections_each_write_an_update(tmp_path: Path) -> None:
    """Every generation writes `rdf/NNNNNN.ru`; replayed from an empty store, they give the current Turtle,
    which conforms to the shapes. A correction changes provenance links everywhere: its update is whole."""
    out = tmp_path / "out"
    config = Settings(out_dir=out)
    journal(POOL[:4], out)
    build([], config)
    journal(POOL[4:], out)
    build([], config)
    remove([POOL[0].article.id], config)
    holds = build_graph(POOL[1:])
    post = next((u, v) for u, v, r in holds.edges(keys=True) if r == "HOLDS")
    append_record(out, {"op": "reject", "fact": fact_id("HOLDS", *post)})
    report = build([], config)
    assert report.generation == 4
    updates = sorted((out / rdf_delta.FOLDER).iterdir())
    assert [p.name for p in updates] == ["000001.ru", "000002.ru", "000003.ru", "000004.ru"]
    assert [json.loads(p.read_text().splitlines()[0].split(" ", 4)[4])["after"] for p in updates] == [None, 1, 2, None]
    assert report.outputs["rdf-delta"] == out / "rdf" / "000004.ru"
    replayed = _applied_all(updates)
    current = read_file(out / "graph.ttl")
    assert replayed == set(current)
    assert validate_graph(current) == []


def _applied_all(updates: list[Path]) -> set[tuple[object, object, object]]:
    state = Graph()
    for path in updates:
        triples = _applied(state, path)
        state = Graph()
        for t in triples:
            state.add(t)  # type: ignore[arg-type]
    return set(state)


def test_a_big_build_leaves_the_whole_files_to_export(tmp_path: Path) -> None:
    """Past `full_exports_max_articles` a build writes neither facts.jsonl nor graph.ttl (their links go), only
    its update; `export` writes both on demand, equal to what a small build writes."""
    out, small = tmp_path / "out", tmp_path / "small"
    journal(POOL[:2], out)
    build([], Settings(out_dir=out, full_exports_max_articles=3))
    assert (out / "graph.ttl").is_file() and (out / "facts.jsonl").is_file()
    journal(POOL[2:], out)
    report = build([], Settings(out_dir=out, full_exports_max_articles=3))
    assert sorted(report.outputs) == ["html", "rdf-delta", "store"]
    assert not (out / "graph.ttl").exists() and not (out / "graph.ttl").is_symlink()
    assert not (out / "facts.jsonl").is_symlink()
    journal(POOL, small)
    build([], Settings(out_dir=small))
    config = Settings(out_dir=out)
    assert export(out, "facts", tmp_path / "facts.jsonl") == tmp_path / "facts.jsonl"
    assert (tmp_path / "facts.jsonl").read_text() == (small / "facts.jsonl").read_text()
    assert export_build(config, "turtle") == out / "graph.ttl"
    assert set(read_file(out / "graph.ttl")) == set(read_file(small / "graph.ttl"))
    assert set(read_file(out / "graph.ttl")) == _applied_all(sorted((out / rdf_delta.FOLDER).iterdir()))


def test_a_curated_export_of_facts_says_what_the_curated_build_wrote(tmp_path: Path) -> None:
    """`export --format facts` of a curated build equals the facts.jsonl that build wrote (one resolution)."""
    out = tmp_path / "out"
    journal(POOL, out)
    build([], Settings(out_dir=out))
    graph = build_graph(POOL)
    post = next((u, v) for u, v, r in graph.edges(keys=True) if r == "HOLDS")
    append_record(out, {"op": "reject", "fact": fact_id("HOLDS", *post)})
    build([], Settings(out_dir=out))
    written = (out / "facts.jsonl").read_text()
    curated = sorted(curate_facts(POOL, out), key=lambda af: (af.article.doc_id, af.article.id))
    assert written == "".join(dump_line(af) for af in curated)
    assert written != "".join(dump_line(af) for af in sorted(POOL, key=lambda af: (af.article.doc_id, af.article.id)))
    assert export(out, "facts", tmp_path / "again.jsonl").read_text() == written
