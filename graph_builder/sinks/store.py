"""The embedded Cypher store: a LadybugDB file rebuilt from the graph at every build.

Rows go in with `COPY ... FROM` a DataFrame per node label and per
(relationship type, source label, target label): bulk loading is three
orders of magnitude faster than MERGE per row for relationships, and a
rebuild from the (deduplicated) graph is simpler than patching. The new
store is written beside the old one and swapped in, so a crash mid-build
leaves the previous store intact.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
from pathlib import Path
from typing import Any

import ladybug as lb
import networkx as nx
import pandas as pd

from .. import registry
from ..children import die_with_parent
from ..config import Settings
from ..errors import QueryError, StoreError
from ..graph import EDGE_PROPERTIES, LABELS, NODE_PROPERTIES, RELATIONSHIPS
from ..queries import refuse_file_access

FILENAME = registry.filename("store")
_TYPES = {"str": "STRING", "list": "STRING[]", "float": "DOUBLE", "int": "INT64"}


def _schema() -> list[str]:
    stmts = []
    for label in LABELS:
        cols = "".join(f", `{k}` {_TYPES[t]}" for k, t in NODE_PROPERTIES[label].items())
        stmts.append(f"CREATE NODE TABLE {label}(id STRING, name STRING{cols}, PRIMARY KEY(id))")
    for rel, (sources, targets) in RELATIONSHIPS.items():
        pairs = ", ".join(f"FROM {s} TO {t}" for s in sources for t in targets)
        cols = "".join(f", `{k}` {_TYPES[t]}" for k, t in EDGE_PROPERTIES[rel].items())
        stmts.append(f"CREATE REL TABLE {rel}({pairs}{cols})")
    return stmts


def _frame(rows: list[dict[str, Any]], columns: list[str], types: dict[str, str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns)
    for col, t in types.items():
        if t == "list":
            df[col] = [v if isinstance(v, list) else [] for v in df[col]]
        elif t == "str":
            df[col] = df[col].astype(object).where(df[col].notna(), None)
    return df


def load(graph: nx.MultiDiGraph[str], conn: lb.Connection) -> dict[str, int]:
    """Create the schema and bulk-copy every node and relationship; returns rows per table."""
    counts: dict[str, int] = {}
    for stmt in _schema():
        conn.execute(stmt)
    label_of = {n: d["label"] for n, d in graph.nodes(data=True)}
    for label in LABELS:
        props = NODE_PROPERTIES[label]
        rows = [d for _, d in graph.nodes(data=True) if d["label"] == label]
        if rows:
            cols = ["id", "name", *props]
            conn.execute(f"COPY {label} FROM $df", {"df": _frame(rows, cols, {"name": "str", **props})})
        counts[label] = len(rows)
    for rel, (sources, targets) in RELATIONSHIPS.items():
        props = EDGE_PROPERTIES[rel]
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for u, v, key, d in graph.edges(keys=True, data=True):
            if key == rel:
                groups.setdefault((label_of[u], label_of[v]), []).append({"from": u, "to": v, **d})
        for (src, dst), rows in sorted(groups.items()):
            if src not in sources or dst not in targets:
                raise StoreError(f"{rel} from {src} to {dst} is not in the schema; the graph is malformed")
            df = _frame(rows, ["from", "to", *props], props)
            conn.execute(f"COPY {rel} FROM $df (from='{src}', to='{dst}')", {"df": df})
        counts[rel] = sum(len(r) for r in groups.values())
    return counts


def write(graph: nx.MultiDiGraph[str], path: Path, settings: Settings) -> None:
    tmp = path.with_name(f".{path.name}.new")
    _remove(tmp)
    failure = _load_apart(graph, tmp)
    if failure is not None:
        _remove(tmp)
        raise StoreError(f"could not write the embedded store {path}: {failure}")
    for stale in path.parent.glob(f"{path.name}.*"):  # the old store's write-ahead files do not fit the new one
        _remove(stale)
    if path.is_dir():
        _remove(path)
    os.replace(tmp, path)  # atomic: a reader, or a crash, finds the old store or the new one, never none
    for extra in tmp.parent.glob(f".{path.name}.new.*"):  # write-ahead files, if the engine left any
        extra.rename(path.with_name(path.name + extra.name.removeprefix(f".{path.name}.new")))


def _load_apart(graph: nx.MultiDiGraph[str], tmp: Path) -> str | None:
    """Load the store at `tmp` in a forked child and return why it failed, if it did.

    The engine ends the whole process when a write fails inside it (a full disk raises a C++
    exception that nothing catches), so it runs where that ends only the child: the build then
    reports the failure and leaves the previous generation as it was.
    """
    reader, writer = multiprocessing.get_context("fork").Pipe(duplex=False)

    def child() -> None:
        die_with_parent()  # a killed build takes its loader with it
        keep = writer.fileno()  # and the child holds none of the parent's files, the folder's lock among them
        os.closerange(3, keep)
        os.closerange(keep + 1, 1 << 16)
        try:
            db = lb.Database(str(tmp))
            conn = lb.Connection(db)
            load(graph, conn)
            conn.close()
            db.close()
            writer.send(None)
        except Exception as exc:
            writer.send(str(exc) or type(exc).__name__)

    proc = multiprocessing.get_context("fork").Process(target=child)
    proc.start()
    writer.close()
    try:
        message: str | None = reader.recv() if reader.poll(None) else "no answer"
    except EOFError:
        message = None
    proc.join()
    if proc.exitcode == 0:
        return message
    space = shutil.disk_usage(tmp.parent).free
    return message or f"the store engine stopped (exit {proc.exitcode}; {space:,} bytes free on its disk: is it full?)"


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    for extra in path.parent.glob(f"{path.name}.*"):
        _remove(extra) if extra.is_dir() else extra.unlink()


def run_query(path: Path, cypher: str, params: dict[str, Any] | None = None) -> tuple[list[str], list[list[Any]]]:
    """Run one Cypher statement read-only on the store; returns (columns, rows).

    Statements that reach files or extensions (`COPY`, `LOAD FROM`, `INSTALL`, `ATTACH`, ...) are refused
    before they run: a read-only database still lets them read and write the file system.
    """
    refuse_file_access(cypher, "ladybug")
    if not path.exists():
        raise StoreError(f"no embedded store at {path}: run `graph-builder build SOURCES --out {path.parent}` first")
    db = lb.Database(str(path), read_only=True)
    conn = lb.Connection(db)
    try:
        result = conn.execute(cypher, params or {})
        if isinstance(result, list):  # several statements: the engine answers each
            raise QueryError("give one Cypher statement at a time")
        columns = result.get_column_names()
        rows: list[list[Any]] = []
        while result.has_next():
            row = result.get_next()
            rows.append(row if isinstance(row, list) else list(row.values()))
        return columns, rows
    except RuntimeError as exc:
        raise QueryError(f"the embedded store rejected the query: {exc}") from exc
    finally:
        conn.close()
        db.close()
