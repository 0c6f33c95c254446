"""Shared fixtures.

Neo4j: one real server for the whole session, started from the Maven Central jars on a free port
with a throwaway data folder and password, unless NEO4J_URI points at a server to use instead
(with NEO4J_USER / NEO4J_PASSWORD). Tests wipe that database, so never point it at one you keep.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest

from graph_builder.config import Settings
from graph_builder.errors import Neo4jError
from graph_builder.sinks import neo4j_server as local_neo4j
from graph_builder.sinks.neo4j import run_query

_startup: list[str] = []


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Connection settings of the session's Neo4j server."""
    env = os.environ
    if env.get("NEO4J_URI"):
        yield Settings(
            neo4j_uri=env["NEO4J_URI"],
            neo4j_user=env.get("NEO4J_USER") or "neo4j",
            neo4j_password=env.get("NEO4J_PASSWORD"),
            neo4j_database=env.get("NEO4J_DATABASE") or "neo4j",
        )
        return
    password = secrets.token_urlsafe(18)
    try:
        server = local_neo4j.start(tmp_path_factory.mktemp("neo4j"), local_neo4j.free_port(), password)
    except Neo4jError as exc:
        reason = f"no Neo4j server for the tests: {exc}"
        if env.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    _startup.append(f"Neo4j test server started in {server.startup_seconds:.1f} s at {server.uri}")
    try:
        yield Settings(neo4j_uri=server.uri, neo4j_password=password)
    finally:
        local_neo4j.stop(server.home)


@pytest.fixture
def neo4j_db(neo4j_server: Settings) -> Settings:
    """The session's server with an empty database (constraints kept)."""
    run_query("MATCH (n) DETACH DELETE n", {}, neo4j_server, write=True)
    return neo4j_server


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for line in _startup:
        terminalreporter.write_line(line)
