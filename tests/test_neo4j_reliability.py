"""`graph-builder` with a real Neo4j server: re-runs, removal, a server stopped mid-load, secrets, read-only queries."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from devtools import neo4j_server as local_neo4j
from graph_builder.build import load_graph
from graph_builder.cli import main
from graph_builder.config import Settings
from graph_builder.facts import write_facts
from graph_builder.sinks.neo4j import run_query
from tests.factories import HOSTILE, ONE, TWO, dump, expected, facts, many_facts, rdf, store_dump
from tests.factories import cli_build as build
from tests.factories import write_file as write

pytestmark = [pytest.mark.neo4j, pytest.mark.e2e]


@pytest.fixture
def neo4j_env(neo4j_db: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The test server's empty database, named to the CLI through the environment only."""
    monkeypatch.setenv("NEO4J_URI", neo4j_db.neo4j_uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_db.neo4j_user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_db.neo4j_password or "")
    monkeypatch.setenv("NEO4J_DATABASE", neo4j_db.neo4j_database)
    return neo4j_db


def test_rebuild_twice_changes_nothing_anywhere(neo4j_env: Settings, tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write(src / "one.txt", ONE)
    write(src / "two.txt", TWO)
    assert build(src, "--out", out, "--neo4j") == 0
    first = (facts(out), store_dump(out), rdf(out), dump(neo4j_env))
    assert first[3] == expected(load_graph(Settings(out_dir=out)))
    assert build(src, "--out", out, "--neo4j") == 0
    assert (facts(out), store_dump(out), rdf(out), dump(neo4j_env)) == first


def test_remove_from_neo4j_keeps_shared_facts_and_readding_restores(neo4j_env: Settings, tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    write(src / "one.txt", ONE)
    two = write(src / "two.txt", TWO)
    assert build(src, "--out", out, "--neo4j") == 0
    full = dump(neo4j_env)
    ids = {rec["doc_id"]: rec["article"]["id"] for rec in facts(out)}

    assert main(["remove", str(two), "--out", str(out), "--neo4j"]) == 0
    held = run_query(
        "MATCH (:Person {name: $name})-[h:HOLDS]->(:Role {title: 'chairman'}) RETURN h.articles AS a, h.spans AS s",
        {"name": "Tomas Arden"},
        neo4j_env,
    )
    assert [r["a"] for r in held] == [[ids["one"]]]  # stated by both: kept, with one article left
    assert all(s.startswith(ids["one"] + ":") for s in held[0]["s"])
    assert run_query("MATCH (p:Person {name: 'Aino Kask'}) RETURN p", {}, neo4j_env) == []  # stated by two only
    assert run_query("MATCH (a:Article {id: $id}) RETURN a", {"id": f"article:{ids['two']}"}, neo4j_env) == []
    # Exactly what loading the remaining build into an empty database gives.
    assert dump(neo4j_env) == expected(load_graph(Settings(out_dir=out)))

    assert build(src, "--out", out, "--neo4j") == 0
    assert dump(neo4j_env) == full


def test_remove_keeps_the_evidence_of_another_build(neo4j_env: Settings, tmp_path: Path) -> None:
    """Neo4j may hold several builds: removing one build's article keeps every article of the other in the
    provenance lists, and reloading the other build restores what the two stated alike (aliases, links)."""
    write(tmp_path / "a" / "one.txt", ONE)
    write(tmp_path / "b" / "two.txt", TWO)
    assert build(tmp_path / "b", "--out", tmp_path / "out-b", "--neo4j") == 0
    only_b = dump(neo4j_env)
    assert build(tmp_path / "a", "--out", tmp_path / "out-a", "--neo4j") == 0
    assert main(["remove", str(tmp_path / "a"), "--out", str(tmp_path / "out-a"), "--neo4j"]) == 0

    def evidence(rels: list[dict[str, Any]]) -> list[tuple[str, str, str, list[str], list[str]]]:
        return [
            (r["source"], r["type"], r["target"], r["props"]["articles"], r["props"]["spans"])
            for r in rels
            if "articles" in r["props"]
        ]

    assert evidence(dump(neo4j_env)[1]) == evidence(only_b[1])
    assert main(["load-neo4j", "--out", str(tmp_path / "out-b")]) == 0
    assert dump(neo4j_env) == only_b


def test_load_cli_with_server_stopped_mid_load_then_rerun(
    start_neo4j: Callable[..., local_neo4j.LocalServer],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = start_neo4j()
    out = tmp_path / "out"
    write_facts(many_facts(300), out / "facts.jsonl")
    graph = load_graph(Settings(out_dir=out))
    monkeypatch.setenv("NEO4J_URI", server.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", server.password)
    settings = Settings(neo4j_uri=server.uri, neo4j_password=server.password)

    def stop_once_loading() -> None:
        while run_query("MATCH (n) RETURN count(n) AS n", {}, settings)[0]["n"] < 50:
            time.sleep(0.05)
        local_neo4j.stop(server.home)  # a clean shutdown, as an operator would do it

    stopper = threading.Thread(target=stop_once_loading)
    stopper.start()
    write(tmp_path / "quick.toml", "neo4j_retry_seconds = 2\n")  # give up soon rather than retry for 30 s
    status = main(["load-neo4j", "--out", str(out), "--batch-size", "1", "--config", str(tmp_path / "quick.toml")])
    stopper.join()
    err = capsys.readouterr().err
    assert status == 3
    assert f"graph-builder: error: the load into Neo4j at {server.uri} was interrupted" in err
    assert "rerun the load once the server is back, it completes it without duplicates" in err

    again = start_neo4j(server.home)
    monkeypatch.setenv("NEO4J_URI", again.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", again.password)
    assert main(["load-neo4j", "--out", str(out)]) == 0
    assert dump(Settings(neo4j_uri=again.uri, neo4j_password=again.password)) == expected(graph)


def test_password_is_never_printed_or_logged(
    neo4j_env: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, the Neo4j driver's included
    password = neo4j_env.neo4j_password
    assert password
    src, out = tmp_path / "src", tmp_path / "out"
    write(src / "one.txt", ONE)
    assert main(["-v", "build", str(src), "--out", str(out), "--workers", "1", "--neo4j"]) == 0
    assert main(["-v", "load-neo4j", "--out", str(out)]) == 0
    assert main(["-v", "query", "roles", "--neo4j", "--out", str(out)]) == 0
    wrong = "wrong-" + password[::-1]
    monkeypatch.setenv("NEO4J_PASSWORD", wrong)
    assert main(["-v", "load-neo4j", "--out", str(out)]) == 3
    assert main(["-v", "build", str(src), "--out", str(out), "--neo4j"]) == 3
    printed = capsys.readouterr()
    assert "refused the user neo4j" in printed.err and "check NEO4J_USER/NEO4J_PASSWORD" in printed.err
    assert any(r.name.startswith("neo4j") for r in caplog.records)  # the driver's own logs were captured too
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    written = "\n".join(p.read_text(errors="replace") for p in out.iterdir() if p.is_file())
    for secret in (password, wrong):
        for where in (printed.out, printed.err, logged, caplog.text, written):
            assert secret not in where


def test_queries_are_read_only_and_values_are_parameters(
    neo4j_env: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Neo4j Community has no roles, so a read-only database user cannot be made there; what the product
    controls is that `query` opens read transactions unless `--write` is given."""
    src, out = tmp_path / "src", tmp_path / "out"
    write(src / "one.txt", ONE)
    assert build(src, "--out", out, "--neo4j") == 0
    before = dump(neo4j_env)
    capsys.readouterr()
    assert main(["query", "MATCH (n) DETACH DELETE n", "--neo4j"]) == 1
    assert "queries run read-only unless asked to write (`graph-builder query --write`" in capsys.readouterr().err
    assert main(["query", "person", "--param", f"name={HOSTILE}", "--neo4j", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert dump(neo4j_env) == before
    assert main(["query", "MATCH (a:Article) SET a.checked = true", "--neo4j", "--write"]) == 0
    assert run_query("MATCH (a:Article) RETURN a.checked AS c", {}, neo4j_env) == [{"c": True}]
