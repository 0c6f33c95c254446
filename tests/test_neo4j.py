"""Neo4j loader against a real server: exact contents, idempotence, incremental loads, safety, errors."""

from __future__ import annotations

import os
import signal
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import replace

import pytest

from devtools.neo4j_server import LocalServer, free_port
from graph_builder.config import Settings
from graph_builder.errors import ConfigError, Neo4jError, QueryError
from graph_builder.graph import LABELS, RELATIONSHIPS, build_graph
from graph_builder.sinks.neo4j import load_graph, run_query
from tests.factories import HOSTILE, dump, expected, facts_a, facts_b, many_facts

pytestmark = pytest.mark.neo4j


def test_load_writes_exactly_the_graph(neo4j_db: Settings) -> None:
    graph = build_graph([facts_a(), facts_b()])
    counts = load_graph(graph, neo4j_db)
    assert sum(counts[label] for label in LABELS) == graph.number_of_nodes()
    assert sum(counts[rel] for rel in RELATIONSHIPS) == graph.number_of_edges()
    assert counts["Person"] == 3 and counts["HOLDS"] == 1
    assert dump(neo4j_db) == expected(graph)
    holds = run_query(
        "MATCH (:Person {id: $p})-[h:HOLDS]->(r:Role) RETURN properties(h) AS h, r.title AS title",
        {"p": "person:kenji-aramaki"},
        neo4j_db,
    )
    assert holds[0]["title"] == "Minister for Digital Affairs"
    assert holds[0]["h"]["status"] == "former"
    assert holds[0]["h"]["first_reported"] == "2025-01-10" and holds[0]["h"]["last_reported"] == "2025-03-01"
    assert holds[0]["h"]["articles"] == ["a1", "b2"]


def test_small_batches_write_the_same(neo4j_db: Settings) -> None:
    graph = build_graph([facts_a(), facts_b()])
    load_graph(graph, replace(neo4j_db, neo4j_batch_size=2))
    assert dump(neo4j_db) == expected(graph)


def test_loading_twice_changes_nothing(neo4j_db: Settings) -> None:
    graph = build_graph([facts_a(), facts_b()])
    first = load_graph(graph, neo4j_db)
    once = dump(neo4j_db)
    assert load_graph(graph, neo4j_db) == first
    assert dump(neo4j_db) == once


@pytest.mark.parametrize("dated", [True, False])
@pytest.mark.parametrize("order", ["ab", "ba"])
def test_incremental_loads_equal_one_load(neo4j_db: Settings, order: str, dated: bool) -> None:
    parts = {"a": facts_a(), "b": facts_b()}
    if not dated:  # "current" in one, "former" in the other, and no date to order them
        parts = {k: replace(af, article=replace(af.article, published=None)) for k, af in parts.items()}
    load_graph(build_graph([parts["a"], parts["b"]]), neo4j_db)
    together = dump(neo4j_db)
    holds = run_query("MATCH ()-[h:HOLDS]->() RETURN h.status AS status", {}, neo4j_db)
    assert holds == [{"status": "former"}]
    run_query("MATCH (n) DETACH DELETE n", {}, neo4j_db, write=True)
    for key in order:
        load_graph(build_graph([parts[key]]), neo4j_db)
    assert dump(neo4j_db) == together


def test_key_constraints_exist(neo4j_db: Settings) -> None:
    load_graph(build_graph([facts_a()]), neo4j_db)
    rows = run_query("SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties", {}, neo4j_db)
    unique = {r["labelsOrTypes"][0] for r in rows if r["type"] == "UNIQUENESS" and r["properties"] == ["id"]}
    assert unique >= set(LABELS)
    with pytest.raises(QueryError, match="already exists"):
        run_query("CREATE (:Person {id: 'person:kenji-aramaki'})", {}, neo4j_db, write=True)


def test_hostile_name_is_data(neo4j_db: Settings) -> None:
    graph = build_graph([facts_b()])
    load_graph(graph, neo4j_db)
    rows = run_query("MATCH (p:Person {name: $name}) RETURN p.id AS id", {"name": HOSTILE}, neo4j_db)
    assert len(rows) == 1
    assert run_query("MATCH (n) RETURN count(n) AS n", {}, neo4j_db) == [{"n": graph.number_of_nodes()}]


def test_read_query_refuses_to_write(neo4j_db: Settings) -> None:
    with pytest.raises(QueryError, match="writes to the database"):
        run_query("CREATE (:Person {id: 'x'})", {}, neo4j_db)
    assert run_query("MATCH (n) RETURN count(n) AS n", {}, neo4j_db) == [{"n": 0}]
    run_query("CREATE (:Person {id: $id})", {"id": "x"}, neo4j_db, write=True)
    assert run_query("MATCH (n) RETURN count(n) AS n", {}, neo4j_db) == [{"n": 1}]


def test_wrong_password_is_named_without_the_password(neo4j_server: Settings) -> None:
    secret = "not-the-password-4711"
    with pytest.raises(Neo4jError) as info:
        load_graph(build_graph([facts_a()]), replace(neo4j_server, neo4j_password=secret))
    message = str(info.value)
    assert f"refused the user {neo4j_server.neo4j_user}" in message
    assert "NEO4J_PASSWORD" in message
    assert secret not in "".join(traceback.format_exception(info.value))


def test_unreachable_server_says_how_to_start_one() -> None:
    settings = Settings(neo4j_uri=f"bolt://127.0.0.1:{free_port()}", neo4j_password="whatever-123")
    with pytest.raises(
        Neo4jError, match=r"cannot reach Neo4j at bolt://127\.0\.0\.1:\d+: is it running\? `make neo4j`"
    ):
        run_query("RETURN 1", {}, settings)


def test_bad_query_is_a_query_error(neo4j_db: Settings) -> None:
    with pytest.raises(QueryError, match="Neo4j rejected the query"):
        run_query("MATCH (n RETURN n", {}, neo4j_db)


@pytest.mark.e2e
def test_interrupted_load_says_rerun_and_rerun_completes(start_neo4j: Callable[..., LocalServer]) -> None:
    server = start_neo4j()
    settings = Settings(neo4j_uri=server.uri, neo4j_password=server.password, neo4j_batch_size=1)
    graph = build_graph(many_facts(400))

    def kill_once_loading() -> None:
        while run_query("MATCH (n) RETURN count(n) AS n", {}, settings)[0]["n"] < 50:
            time.sleep(0.05)
        os.kill(server.pid, signal.SIGKILL)

    killer = threading.Thread(target=kill_once_loading)
    killer.start()
    with pytest.raises(Neo4jError, match=r"was interrupted.*rerun the load.*without duplicates"):
        load_graph(graph, settings)
    killer.join()

    partial = start_neo4j(server.home)  # the same data, as the killed server left it
    settings = Settings(neo4j_uri=partial.uri, neo4j_password=partial.password)
    assert 0 < run_query("MATCH (n) RETURN count(n) AS n", {}, settings)[0]["n"] < graph.number_of_nodes()
    load_graph(graph, settings)
    assert dump(settings) == expected(graph)


@pytest.mark.parametrize("uri", ["http://localhost:7474", "localhost:7687"])
def test_non_bolt_uri_is_a_config_error(uri: str) -> None:
    with pytest.raises(ConfigError, match=r"not a Bolt URI; use e\.g\. bolt://localhost:7687"):
        run_query("RETURN 1", {}, Settings(neo4j_uri=uri))
