"""CSV files for `neo4j-admin database import full`: the fastest way to put a big graph into a new Neo4j.

A folder with one node file per label and one relationship file per type, with the header
types the importer reads (`id:ID`, `:LABEL`, `aliases:string[]`, `confidence:double`,
`:START_ID`, `:END_ID`, `:TYPE`), the import command as `import.sh`, and the key
constraints as `constraints.cypher` (the importer creates none). Node ids are unique across
labels, so one id space serves every file. The folder is written beside its destination and
renamed into place, so a reader never sees half an export.

    graph-builder export --format neo4j-admin -o out/neo4j-admin
    NEO4J_HOME=/path/to/neo4j out/neo4j-admin/import.sh neo4j   # the server must be stopped
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import networkx as nx

from ..config import Settings
from ..graph import EDGE_PROPERTIES, LABELS, NODE_PROPERTIES, RELATIONSHIPS
from .cypher import constraint_queries, stored_props  # the loader's own value rules

#: Between the elements of a list value; a character no name or span contains.
ARRAY_DELIMITER = "\x1f"
_HEADER_TYPES = {"str": "", "list": ":string[]", "float": ":double", "int": ":long"}


def node_file(label: str) -> str:
    return f"nodes-{label}.csv"


def relationship_file(rel: str) -> str:
    return f"relationships-{rel}.csv"


def _header(props: dict[str, str]) -> list[str]:
    return [f"{key}{_HEADER_TYPES[kind]}" for key, kind in props.items()]


def _one_line(value: Any) -> Any:
    """Line breaks become spaces, so the importer can split the files on lines and parse them in parallel."""
    if isinstance(value, str):
        return value.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return value


def _row(data: dict[str, Any], props: dict[str, str]) -> list[Any]:
    """CSV cells in the order of `props`, values as the Cypher loader stores them (lists sorted and
    deduplicated) with lists joined by the array delimiter; missing values and empty lists stay empty."""
    stored = stored_props(data, props)
    cells = []
    for key, kind in props.items():
        value = stored.get(key)
        if kind == "list" and value is not None:
            value = ARRAY_DELIMITER.join(_one_line(str(v)).replace(ARRAY_DELIMITER, " ") for v in value) or None
        cells.append(_one_line(value))
    return cells


def import_arguments(folder: Path, database: str = "neo4j", base: str | None = None) -> list[str]:
    """The arguments after `neo4j-admin` that import the files in `folder` into a new `database`;
    `base`, when given, stands for the folder in the file paths."""
    where = base or str(folder)
    nodes = [f"--nodes={where}/{node_file(label)}" for label in LABELS if (folder / node_file(label)).exists()]
    rels = [
        f"--relationships={where}/{relationship_file(rel)}"
        for rel in RELATIONSHIPS
        if (folder / relationship_file(rel)).exists()
    ]
    return ["database", "import", "full", database, "--id-type=string", "--array-delimiter=U+001F", *nodes, *rels]


def _write_files(graph: nx.MultiDiGraph[str], folder: Path) -> None:
    with ExitStack() as stack:
        writers: dict[str, Any] = {}

        def writer(name: str, header: list[str]) -> Any:
            if name not in writers:
                out = stack.enter_context(open(folder / name, "w", encoding="utf-8", newline=""))
                writers[name] = csv.writer(out, lineterminator="\n")
                writers[name].writerow(header)
            return writers[name]

        for nid, data in sorted(graph.nodes.items()):
            label = data["label"]
            props = {"name": "str", **NODE_PROPERTIES[label]}
            writer(node_file(label), ["id:ID", ":LABEL", *_header(props)]).writerow([nid, label, *_row(data, props)])
        for u, v, rel, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
            props = EDGE_PROPERTIES[rel]
            header = [":START_ID", ":END_ID", ":TYPE", *_header(props)]
            writer(relationship_file(rel), header).writerow([u, v, rel, *_row(data, props)])


def _script(folder: Path) -> str:
    args = " ".join(f'"{a}"' for a in import_arguments(folder, "$db", base="$here"))
    return f"""#!/bin/sh
# Imports this folder into a new Neo4j database (default: neo4j) while the server is stopped;
# then start the server and create the key constraints: cypher-shell -f constraints.cypher
# Append --overwrite-destination to replace an existing database.
set -e
here=$(cd "$(dirname "$0")" && pwd)
db=${{1:-neo4j}}
if [ $# -gt 0 ]; then shift; fi
exec "${{NEO4J_ADMIN:-neo4j-admin}}" {args} "$@"
"""


def write(graph: nx.MultiDiGraph[str], path: Path, settings: Settings) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
    try:
        _write_files(graph, tmp)
        (tmp / "constraints.cypher").write_text("".join(q + ";\n" for q in constraint_queries()), encoding="utf-8")
        script = tmp / "import.sh"
        script.write_text(_script(tmp), encoding="utf-8")
        script.chmod(0o755)
        old = path.with_name(f".{path.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if path.exists():
            path.rename(old)
        tmp.rename(path)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
