"""`export --format neo4j-admin` imported by the real `neo4j-admin database import full`, then read back."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from devtools import neo4j_server
from graph_builder import registry
from graph_builder.config import Settings
from graph_builder.graph import build_graph
from graph_builder.sinks.neo4j import run_query
from graph_builder.sinks.neo4j_admin import node_file
from tests.factories import HOSTILE, dump, expected, facts_a, facts_b

pytestmark = [pytest.mark.neo4j, pytest.mark.e2e]

LIB = neo4j_server.SCRIPTS / "lib"


def without_empty_lists(dumped: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> Any:
    """The importer stores no property for an empty list, where MERGE stores `[]`."""
    return [[{**row, "props": {k: v for k, v in row["props"].items() if v != []}} for row in rows] for rows in dumped]


def admin_tool(folder: Path) -> Path:
    """A `neo4j-admin` command made of the Maven Central jars the test server runs on."""
    script = folder / "neo4j-admin"
    script.write_text(f'#!/bin/sh\nexec {shlex.join(neo4j_server.admin_command())} "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    return script


def import_script(export: Path, home: Path, tmp_path: Path) -> None:
    """The export's own import.sh, as a user runs it."""
    (home / "conf").mkdir(parents=True)
    (home / "conf" / "neo4j.conf").write_text("", encoding="utf-8")
    env = {
        **os.environ,
        "NEO4J_HOME": str(home),
        "NEO4J_CONF": str(home / "conf"),
        "NEO4J_ADMIN": str(admin_tool(tmp_path)),
    }
    done = subprocess.run(
        [str(export / "import.sh")], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "IMPORT DONE" in done.stdout + done.stderr


def bulk_import(export: Path, home: Path, tmp_path: Path) -> None:
    """The development server's importer (what `make bench-neo4j` times)."""
    neo4j_server.bulk_import(home, export)


@pytest.mark.parametrize("run_import", [import_script, bulk_import])
def test_export_imports_into_a_new_database(
    tmp_path: Path, start_neo4j: Callable[..., neo4j_server.LocalServer], run_import: Callable[[Path, Path, Path], None]
) -> None:
    if shutil.which("java") is None or not any(LIB.glob("neo4j-import-tool-*.jar")):
        pytest.skip("needs a JDK and the Neo4j jars (`make neo4j-jars`)")
    graph: nx.MultiDiGraph = build_graph([facts_a(), facts_b()])
    export = tmp_path / "export" / "neo4j-admin"
    registry.sink("neo4j-admin")(graph, export, Settings())
    assert (export / node_file("Person")).read_text(encoding="utf-8").count("\n") == 1 + 3
    home = tmp_path / "home"
    run_import(export, home, tmp_path)

    server = start_neo4j(home)
    settings = Settings(neo4j_uri=server.uri, neo4j_password=server.password)
    for statement in (export / "constraints.cypher").read_text(encoding="utf-8").split(";\n"):
        if statement.strip():
            run_query(statement, {}, settings, write=True)
    counts = run_query("MATCH (n) RETURN count(n) AS n", {}, settings)[0]["n"]
    rels = run_query("MATCH ()-[r]->() RETURN count(r) AS r", {}, settings)[0]["r"]
    assert (counts, rels) == (graph.number_of_nodes(), graph.number_of_edges())
    assert without_empty_lists(dump(settings)) == without_empty_lists(expected(graph))
    hostile = run_query("MATCH (p:Person {name: $name}) RETURN p.id AS id", {"name": HOSTILE}, settings)
    assert len(hostile) == 1
