"""Shared fixtures.

Neo4j: one real server for the whole session, started from the Maven Central jars on a free port
with a throwaway data folder and password, unless NEO4J_URI points at a server to use instead
(with NEO4J_USER / NEO4J_PASSWORD). Tests wipe that database, so never point it at one you keep.
Where no server can be started the Neo4j tests are skipped, or fail when CI=true.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devtools import neo4j_server as local_neo4j
from graph_builder.config import Settings
from graph_builder.errors import Neo4jError
from graph_builder.sinks.neo4j import run_query

_startup: list[str] = []


@pytest.fixture(scope="session")
def start_neo4j(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., local_neo4j.LocalServer]]:
    """Starts local servers on demand, each on a free port with a new password, in a new data folder
    or in `home` to restart one; stops them all at the end."""
    started: list[local_neo4j.LocalServer] = []

    def start(home: Path | None = None) -> local_neo4j.LocalServer:
        home = home or tmp_path_factory.mktemp("neo4j")
        try:
            server = local_neo4j.start(home, local_neo4j.free_port(), secrets.token_urlsafe(18))
        except Neo4jError as exc:
            reason = f"no Neo4j server for the tests: {exc}"
            if os.environ.get("CI") == "true":
                pytest.fail(reason)
            pytest.skip(reason)
        started.append(server)
        _startup.append(f"Neo4j test server started in {server.startup_seconds:.1f} s at {server.uri}")
        return server

    yield start
    for server in started:
        local_neo4j.stop(server.home)


@pytest.fixture(scope="session")
def neo4j_server(start_neo4j: Callable[..., local_neo4j.LocalServer]) -> Settings:
    """Connection settings of the session's Neo4j server."""
    env = os.environ
    if env.get("NEO4J_URI"):
        return Settings(
            neo4j_uri=env["NEO4J_URI"],
            neo4j_user=env.get("NEO4J_USER") or "neo4j",
            neo4j_password=env.get("NEO4J_PASSWORD"),
            neo4j_database=env.get("NEO4J_DATABASE") or "neo4j",
        )
    server = start_neo4j()
    return Settings(neo4j_uri=server.uri, neo4j_password=server.password)


@pytest.fixture
def neo4j_db(neo4j_server: Settings) -> Settings:
    """The session's server with an empty database (constraints kept)."""
    run_query("MATCH (n) DETACH DELETE n", {}, neo4j_server, write=True)
    return neo4j_server


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for line in _startup:
        terminalreporter.write_line(line)
