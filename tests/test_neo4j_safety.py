"""`graph-builder` against real Neo4j servers: secrets in URIs, every driver failure a clear exit-3 message,
timeouts on a paused server, no file access from read-only queries, non-Latin ids that never merge people."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import neo4j
import pytest

from devtools import neo4j_server as local_neo4j
from graph_builder.cli import main
from graph_builder.config import Settings
from graph_builder.facts import write_facts
from graph_builder.sinks.neo4j import run_query
from tests.factories import NAMES, chair_facts

pytestmark = [pytest.mark.neo4j, pytest.mark.e2e]

VERBS = ("build", "remove", "query", "load-neo4j", "export", "view")


@pytest.fixture
def facts_out(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    write_facts(chair_facts(NAMES[:2], "s"), out / "facts.jsonl")
    return out


def _clear_neo4j_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(var, raising=False)


def test_a_password_in_the_uri_is_never_shown(
    neo4j_db: Settings,
    facts_out: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # the driver's own logs too
    _clear_neo4j_env(monkeypatch)
    password = neo4j_db.neo4j_password or ""
    hostport = neo4j_db.neo4j_uri.partition("://")[2]
    wrong = "Wr0ng-" + password[::-1]
    out = str(facts_out)
    # The right password inside the URI works, and the summary shows the URI without it.
    monkeypatch.setenv("NEO4J_URI", f"bolt://neo4j:{password}@{hostport}")
    assert main(["-v", "load-neo4j", "--out", out]) == 0
    assert f"loaded into Neo4j at bolt://{hostport}: " in capsys.readouterr().err
    assert main(["-v", "query", "MATCH (p:Person) RETURN count(p) AS n", "--neo4j", "--out", out]) == 0
    assert main(["query", "MATCH (p:Person RETURN p", "--neo4j", "--out", out]) == 1  # a syntax error
    assert main(["query", "LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r", "--neo4j", "--out", out]) == 1
    statuses = {}
    for name, uri in {
        "wrong password": f"bolt://neo4j:{wrong}@{hostport}",
        "unreachable": f"bolt://neo4j:{wrong}@127.0.0.1:{local_neo4j.free_port()}",
        "not bolt": f"http://neo4j:{wrong}@{hostport}",
        "no scheme": f"neo4j:{wrong}@{hostport}",
        "odd characters": f"bolt://neo4j:{wrong}@@{hostport}",
    }.items():
        monkeypatch.setenv("NEO4J_URI", uri)
        statuses[name] = main(["-v", "load-neo4j", "--out", out])
        run_query("RETURN 1 AS one", {}, neo4j_db)  # a good login between bad ones: no rate limit here
        statuses[name + ", flag"] = main(["query", "roles", "--neo4j", uri, "--out", out])
        run_query("RETURN 1 AS one", {}, neo4j_db)
    assert statuses == {
        "wrong password": 3,
        "wrong password, flag": 3,
        "unreachable": 3,
        "unreachable, flag": 3,
        "not bolt": 2,
        "not bolt, flag": 2,
        "no scheme": 2,
        "no scheme, flag": 2,
        "odd characters": 3,
        "odd characters, flag": 3,
    }
    for verb in VERBS:
        with pytest.raises(SystemExit):
            main([verb, "--help"])
    printed = capsys.readouterr()
    assert "refused the user neo4j" in printed.err and "cannot reach Neo4j at bolt://127.0.0.1:" in printed.err
    assert "is not a Bolt URI" in printed.err and "Traceback" not in printed.err
    assert run_query("MATCH (n) RETURN count(n) AS n", {}, neo4j_db)[0]["n"] > 0  # the user is not locked out
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    written = "\n".join(p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file())
    for secret in (password, wrong):
        for where in (printed.out, printed.err, logged, caplog.text, written):
            assert secret not in where
    assert repr(Settings(neo4j_uri=f"bolt://neo4j:{wrong}@{hostport}")).count(wrong) == 0


def test_read_only_queries_cannot_load_files(neo4j_db: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    passwd = "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row LIMIT 3"
    env = {"NEO4J_URI": neo4j_db.neo4j_uri, "NEO4J_PASSWORD": neo4j_db.neo4j_password or ""}
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        assert main(["query", passwd, "--neo4j"]) == 1
        err = capsys.readouterr().err
        assert "LOAD CSV ... reads or writes files or loads code, which read-only queries on Neo4j" in err
        assert main(["query", "CALL apoc.load.json('file:///etc/passwd')", "--neo4j"]) == 1
        assert "CALL apoc.load.json ... reads or writes files" in capsys.readouterr().err
        # With --write the statement reaches the server, whose configuration refuses file URLs.
        assert main(["query", passwd, "--neo4j", "--write"]) == 1
        captured = capsys.readouterr()
        assert "Neo4j rejected the query" in captured.err and "root:" not in captured.out + captured.err
        named = "MATCH (p:Person) WHERE p.name = 'LOAD CSV FROM x' RETURN count(p) AS n"
        assert main(["query", named, "--neo4j", "--format", "csv"]) == 0
        assert capsys.readouterr().out.splitlines() == ["n", "0"]


def test_two_builds_with_non_latin_names_never_merge_people(
    neo4j_db: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEO4J_URI", neo4j_db.neo4j_uri)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_db.neo4j_password or "")
    # Each build holds different people, met in another order; before ids came from names alone,
    # the first non-Latin name of each build got the same id.
    write_facts(chair_facts(NAMES[:3], "a"), tmp_path / "a" / "facts.jsonl")
    write_facts(chair_facts(NAMES[3:][::-1], "b"), tmp_path / "b" / "facts.jsonl")
    assert main(["load-neo4j", "--out", str(tmp_path / "a")]) == 0
    assert main(["load-neo4j", "--out", str(tmp_path / "b")]) == 0
    people = run_query(
        "MATCH (p:Person)-[h:HOLDS]->(:Role) RETURN p.id AS id, p.name AS name, h.articles AS articles",
        {},
        neo4j_db,
    )
    assert sorted(p["name"] for p in people) == sorted(NAMES)
    assert len({p["id"] for p in people}) == len(NAMES)
    assert all(len(p["articles"]) == 1 for p in people)


# -- a server of its own: locked out, locked rows, paused -------------------------------------------------


@pytest.fixture(scope="module")
def spare(start_neo4j: Callable[..., local_neo4j.LocalServer]) -> Iterator[local_neo4j.LocalServer]:
    """A server these tests may lock out and pause without disturbing the others."""
    server = start_neo4j()
    yield server
    os.kill(server.pid, signal.SIGCONT)


def _quick(tmp_path: Path) -> Path:
    config = tmp_path / "quick.toml"
    config.write_text(
        "neo4j_connect_timeout = 2\nneo4j_transaction_timeout = 3\nneo4j_retry_seconds = 1\n", encoding="utf-8"
    )
    return config


@pytest.fixture
def spare_env(spare: local_neo4j.LocalServer, monkeypatch: pytest.MonkeyPatch) -> local_neo4j.LocalServer:
    """The spare server, named to the CLI through the environment only."""
    _clear_neo4j_env(monkeypatch)
    monkeypatch.setenv("NEO4J_URI", spare.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", spare.password)
    return spare


def test_failed_logins_rate_limited_are_a_clear_message(
    spare_env: local_neo4j.LocalServer,
    facts_out: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    spare = spare_env
    monkeypatch.setenv("NEO4J_PASSWORD", "not-" + spare.password)
    statuses = [main(["load-neo4j", "--out", str(facts_out)]) for _ in range(5)]
    err = capsys.readouterr().err
    assert statuses == [3] * 5 and "Traceback" not in err
    assert "refused the user neo4j: check NEO4J_USER/NEO4J_PASSWORD" in err
    assert f"Neo4j at {spare.uri} refuses the user neo4j for a while after too many failed logins" in err
    monkeypatch.setenv("NEO4J_PASSWORD", spare.password)
    deadline = time.monotonic() + 60
    while main(["load-neo4j", "--out", str(facts_out)]) != 0:  # the lock lifts after a few seconds
        assert time.monotonic() < deadline
        time.sleep(1)


def test_a_transaction_waiting_too_long_times_out(
    spare_env: local_neo4j.LocalServer, facts_out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spare = spare_env
    assert main(["load-neo4j", "--out", str(facts_out)]) == 0
    capsys.readouterr()
    with (
        neo4j.GraphDatabase.driver(spare.uri, auth=("neo4j", spare.password)) as driver,
        driver.session() as session,
        session.begin_transaction() as holder,
    ):
        holder.run("MATCH (o:Organisation) SET o.held = true").consume()  # holds the lock the load needs
        began = time.monotonic()
        assert main(["load-neo4j", "--out", str(facts_out), "--config", str(_quick(tmp_path))]) == 3
        waited = time.monotonic() - began
        holder.rollback()
    err = capsys.readouterr().err
    assert "did not answer in time: the load did not finish within neo4j_transaction_timeout (3 s)" in err, err
    assert "rerun the load once the server is back, it completes it without duplicates" in err
    assert waited < 60


def test_a_paused_server_times_out_with_a_message(
    spare: local_neo4j.LocalServer, facts_out: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "NEO4J_URI": spare.uri, "NEO4J_PASSWORD": spare.password}
    cli = [sys.executable, "-m", "graph_builder.cli"]
    quick = ["--config", str(_quick(tmp_path))]
    os.kill(spare.pid, signal.SIGSTOP)
    try:
        runs = [
            subprocess.run([*cli, *args, *quick], env=env, capture_output=True, text=True, timeout=300, check=False)
            for args in (["load-neo4j", "--out", str(facts_out)], ["query", "roles", "--neo4j"])
        ]
    finally:
        os.kill(spare.pid, signal.SIGCONT)
    for run in runs:
        assert run.returncode == 3, run.stderr
        assert f"graph-builder: error: Neo4j at {spare.uri} did not answer in time" in run.stderr
        assert "Traceback" not in run.stderr and spare.password not in run.stdout + run.stderr
    # Once it runs again, so does the load.
    assert subprocess.run([*cli, "load-neo4j", "--out", str(facts_out)], env=env, timeout=300).returncode == 0
