"""Delta loads into a real Neo4j server: a build sends what changed since the folder's last load, and the
database then holds exactly what a full load of the build gives."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from graph_builder.build import build as build_facts
from graph_builder.build import load_graph as build_graph_of
from graph_builder.cli import main
from graph_builder.config import Settings
from graph_builder.graph import LABELS, RELATIONSHIPS, build_graph
from graph_builder.sinks.neo4j import load_build, load_graph, run_query
from tests.factories import ONE, TWO, dump, expected, journal, many_facts
from tests.factories import cli_build as build
from tests.factories import write_file as write

pytestmark = pytest.mark.neo4j

THREE = """Ports authority meets Norvale

OSLO, March 5 (Wire) - Lena Okafor, chief executive of Baltic Ports Authority, met Tomas Arden in Oslo.
"""


def _empty(settings: Settings) -> None:
    run_query("MATCH (n) DETACH DELETE n", {}, settings, write=True)


def test_a_delta_sends_only_what_changed_and_equals_a_full_load(neo4j_db: Settings, tmp_path: Path) -> None:
    corpus = many_facts(24)
    before, after = build_graph(corpus[:20]), build_graph(corpus[1:21])  # one article gone, one added
    first = load_build(before, neo4j_db, tmp_path)
    assert sum(first[k] for k in (*LABELS, *RELATIONSHIPS)) == before.number_of_nodes() + before.number_of_edges()
    counts = load_build(after, neo4j_db, tmp_path)
    sent = sum(counts[k] for k in (*LABELS, *RELATIONSHIPS))
    assert 0 < sent < (after.number_of_nodes() + after.number_of_edges()) / 4
    assert counts["deleted"] > 0  # what the removed article alone supported
    assert dump(neo4j_db) == expected(after)
    again = load_build(after, neo4j_db, tmp_path)
    assert sum(again.values()) == 0  # nothing changed since the last load: nothing is sent
    _empty(neo4j_db)
    load_graph(after, neo4j_db)
    assert dump(neo4j_db) == expected(after)


def test_a_build_hands_its_delta_to_the_load(
    neo4j_db: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A build loaded into the database that holds the build before sends the delta it computed for its store
    (no second diff), and leaves the database as a full load of the build does."""
    out = tmp_path / "out"
    corpus = many_facts(12)
    settings = Settings(out_dir=out)
    journal(corpus[:8], out)
    graphs: list[Any] = []

    def load(graph: Any) -> None:
        graphs.append(graph)
        load_build(graph, neo4j_db, out)

    build_facts([], settings, on_graph=load)
    journal(corpus[8:], out)
    caplog.set_level(logging.DEBUG, logger="graph_builder")
    build_facts([], settings, on_graph=load)
    assert [r.message.split(" (")[0] for r in caplog.records if r.message.startswith("neo4j:")] == [
        "neo4j: sending the delta the build computed"
    ]
    assert "change" not in graphs[1].graph  # handed to the sinks, not kept on the graph the build returns
    assert dump(neo4j_db) == expected(build_graph(corpus))


def test_an_emptied_database_is_loaded_whole(neo4j_db: Settings, tmp_path: Path) -> None:
    graph = build_graph(many_facts(6))
    load_build(graph, neo4j_db, tmp_path)
    _empty(neo4j_db)
    load_build(graph, neo4j_db, tmp_path)
    assert dump(neo4j_db) == expected(graph)


@pytest.mark.e2e
def test_build_with_one_article_added_and_one_removed(
    neo4j_db: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in (("URI", neo4j_db.neo4j_uri), ("USER", neo4j_db.neo4j_user)):
        monkeypatch.setenv(f"NEO4J_{name}", value)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_db.neo4j_password or "")
    src, out = tmp_path / "src", tmp_path / "out"
    write(src / "one.txt", ONE)
    two = write(src / "two.txt", TWO)
    assert build(src, "--out", out, "--neo4j") == 0
    assert main(["remove", str(two), "--out", str(out)]) == 0  # Neo4j not told: the next build's delta removes it
    two.unlink()
    write(src / "three.txt", THREE)
    assert build(src, "--out", out, "--neo4j") == 0
    graph = build_graph_of(Settings(out_dir=out))
    assert run_query("MATCH (p:Person {name: 'Aino Kask'}) RETURN p", {}, neo4j_db) == []  # only two named her
    assert run_query("MATCH (p:Person {name: 'Lena Okafor'}) RETURN p.id AS id", {}, neo4j_db)
    assert dump(neo4j_db) == expected(graph)
