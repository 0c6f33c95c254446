"""The embedded Cypher store: a LadybugDB file per build generation, loaded whole once and then patched.

Rows go in with `COPY ... FROM` an Arrow table per node label and per
(relationship type, source label, target label): bulk loading is three
orders of magnitude faster than MERGE per row for relationships. The build
records each write as a script (rows as Parquet files, statements as JSON
lines) and a loader process of its own runs it (`store_loader.py`). The first
build loads the whole graph; a later one copies the previous generation's
store file and applies the delta between the two graphs (`delta.py`): new
rows copied in bulk, changed and removed ones updated or deleted in batches.
Either way the new store is written beside the old one and swapped in, so a
crash mid-build leaves the previous store intact.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import ladybug as lb
import networkx as nx
import pyarrow as pa
import pyarrow.parquet as pq

from .. import registry
from ..config import Settings
from ..delta import GraphDelta
from ..errors import QueryError, StoreError
from ..graph import EDGE_PROPERTIES, LABELS, NODE_PROPERTIES, RELATIONSHIPS
from ..queries import refuse_file_access
from .store_loader import FAILURE, STEPS

FILENAME = registry.filename("store")
#: Rows per statement when deleting or updating rows of a delta.
BATCH = 5000
#: Rows per row group of a bulk copy's Parquet file: the loader copies one group at a time.
CHUNK = 50_000
#: One row of a bulk copy: the values of its first columns (a relationship's two ends; none for a node), and
#: its properties.
Row = tuple[tuple[str, ...], Mapping[str, Any]]
_ARROW = {"str": pa.string(), "list": pa.list_(pa.string()), "float": pa.float64(), "int": pa.int64()}
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


class Script:
    """The statements of one store write, recorded by the build for the loader process to run
    (`store_loader.py`): each bulk copy's rows as a Parquet file in `folder`, in row groups of `CHUNK`, and
    every statement as a line of the script, in order."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.copies = 0
        self._steps = open(folder / STEPS, "w", encoding="utf-8")  # noqa: SIM115 (closed by `close`)

    def execute(self, cypher: str, params: dict[str, Any] | None = None) -> None:
        self._steps.write(json.dumps({"cypher": cypher, "params": params or {}}) + "\n")

    def copy(self, cypher: str, rows: list[Row], columns: dict[str, str]) -> None:
        """A `COPY ... FROM $df` of `rows`, with `columns` (name -> type, as in NODE_PROPERTIES) in that order:
        the first columns take the values each row gives in its tuple, the others are looked up in its properties
        (so a relationship's row is its two ends and the graph's own property dict, not a new dict)."""
        self.copies += 1
        name = f"{self.copies:05d}.parquet"
        schema = pa.schema([(col, _ARROW[t]) for col, t in columns.items()])
        with pq.ParquetWriter(self.folder / name, schema) as writer:
            for i in range(0, len(rows), CHUNK):
                chunk = rows[i : i + CHUNK]
                fixed = len(chunk[0][0])
                arrays = [
                    pa.array(
                        [r[0][n] for r in chunk] if n < fixed else [_value(r[1].get(c), t) for r in chunk],
                        type=_ARROW[t],
                    )
                    for n, (c, t) in enumerate(columns.items())
                ]
                writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
        self._steps.write(json.dumps({"cypher": cypher, "rows": name}) + "\n")

    def close(self) -> None:
        self._steps.close()


def _value(v: Any, t: str) -> Any:
    """A property as its column types it: a list for a list (empty when missing), None for a missing value."""
    if t == "list":
        return v if isinstance(v, list) else []
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return str(v) if t == "str" and not isinstance(v, str) else v


def load(graph: nx.MultiDiGraph[str], conn: Script) -> dict[str, int]:
    """Create the schema and bulk-copy every node and relationship; returns rows per table."""
    for stmt in _schema():
        conn.execute(stmt)
    counts = _copy_nodes(conn, (d for _, d in graph.nodes(data=True)))
    label_of: dict[str, str] = {n: d["label"] for n, d in graph.nodes(data=True)}
    rels = ((rel, label_of[u], label_of[v], (u, v), d) for u, v, rel, d in graph.edges(keys=True, data=True))
    counts.update(_copy_rels(conn, rels))
    return counts


def _copy_nodes(conn: Script, nodes: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Bulk-copy nodes (property dicts with `label`) into their tables; returns rows per label."""
    by_label: dict[str, list[Row]] = {label: [] for label in LABELS}
    for d in nodes:
        by_label[d["label"]].append(((), d))
    for label, rows in by_label.items():
        if rows:
            conn.copy(f"COPY {label} FROM $df", rows, {"id": "str", "name": "str", **NODE_PROPERTIES[label]})
    return {label: len(rows) for label, rows in by_label.items()}


def _copy_rels(conn: Script, rels: Iterable[tuple[str, str, str, tuple[str, str], dict[str, Any]]]) -> dict[str, int]:
    """Bulk-copy relationships, given as (type, source label, target label, (source, target), properties), one
    COPY per (type, source label, target label); returns rows per type."""
    groups: dict[tuple[str, str, str], list[Row]] = {}
    for rel, src, dst, ends, props in rels:
        groups.setdefault((rel, src, dst), []).append((ends, props))
    counts = dict.fromkeys(RELATIONSHIPS, 0)
    for (rel, src, dst), rows in sorted(groups.items()):
        sources, targets = RELATIONSHIPS[rel]
        if src not in sources or dst not in targets:
            raise StoreError(f"{rel} from {src} to {dst} is not in the schema; the graph is malformed")
        columns = {"from": "str", "to": "str", **EDGE_PROPERTIES[rel]}
        conn.copy(f"COPY {rel} FROM $df (from='{src}', to='{dst}')", rows, columns)
        counts[rel] += len(rows)
    return counts


def apply(delta: GraphDelta, conn: Script) -> None:
    """Change a store holding the previous build's graph into the next one's: relationships that are gone or
    changed are deleted, nodes that are gone deleted, changed nodes updated in place (their relationships
    stay), and new nodes and the new or changed relationships bulk-copied, in batches of `BATCH` rows."""
    doomed: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    for k in [*delta.removed_relationships, *(r.key for r in delta.changed_relationships)]:
        doomed.setdefault((k.type, k.source_label, k.target_label), []).append({"s": k.source, "t": k.target})
    for (rel, src, dst), pairs in sorted(doomed.items()):
        _batched(
            conn, f"UNWIND $rows AS r MATCH (a:{src} {{id: r.s}})-[e:{rel}]->(b:{dst} {{id: r.t}}) DELETE e", pairs
        )
    gone: dict[str, list[str]] = {}
    for n in delta.removed_nodes:
        gone.setdefault(n.label, []).append(n.id)
    for label, ids in sorted(gone.items()):
        _batched(conn, f"UNWIND $rows AS r MATCH (n:{label} {{id: r}}) DETACH DELETE n", ids)
    changed: dict[str, list[dict[str, Any]]] = {}
    for node in delta.changed_nodes:
        changed.setdefault(node.key.label, []).append(
            _params(node.props, {"name": "str", **NODE_PROPERTIES[node.key.label]})
        )
    for label, rows in sorted(changed.items()):
        sets = ", ".join(f"n.`{k}` = r.`{k}`" for k in ["name", *NODE_PROPERTIES[label]])
        _batched(conn, f"UNWIND $rows AS r MATCH (n:{label} {{id: r.id}}) SET {sets}", rows)
    _copy_nodes(conn, (n.props for n in delta.added_nodes))
    written = [*delta.added_relationships, *delta.changed_relationships]
    _copy_rels(
        conn,
        ((r.key.type, r.key.source_label, r.key.target_label, (r.key.source, r.key.target), r.props) for r in written),
    )


def _params(props: dict[str, Any], types: dict[str, str]) -> dict[str, Any]:
    """A node's properties as query parameters, typed as a bulk copy types them."""
    return {"id": props["id"], **{k: _value(props.get(k), t) for k, t in types.items()}}


def _batched(conn: Script, cypher: str, rows: list[Any]) -> None:
    for i in range(0, len(rows), BATCH):
        conn.execute(cypher, {"rows": rows[i : i + BATCH]})


def write(graph: nx.MultiDiGraph[str], path: Path, settings: Settings) -> None:
    """Write the whole graph as a new store at `path` (the sink `build` runs when it has no delta to apply)."""
    _write_apart(path, lambda script: load(graph, script))


def write_delta(delta: GraphDelta, previous: Path, path: Path) -> None:
    """Write the next build's store at `path` as a copy of the previous build's store (`previous`) with `delta`
    applied: the copy is a file copy, far cheaper than loading every row again, and the previous store stays
    whole for its readers (and for a build that fails half-way)."""
    _write_apart(path, lambda script: apply(delta, script), previous)


def _write_apart(path: Path, job: Callable[[Script], object], previous: Path | None = None) -> None:
    """Record `job` as a script, run it on a new store beside `path` (a copy of `previous`, if given) in the
    loader process, and move the new store into place."""
    tmp = path.with_name(f".{path.name}.new")
    _remove(tmp)
    if previous is not None:
        shutil.copyfile(previous, tmp)
        for extra in previous.parent.glob(f"{previous.name}.*"):  # a write-ahead file, if the engine left one
            shutil.copyfile(extra, tmp.with_name(tmp.name + extra.name.removeprefix(previous.name)))
    with tempfile.TemporaryDirectory(prefix=f".{path.name}-script-", dir=path.parent) as folder:
        script = Script(Path(folder))
        try:
            job(script)
        finally:
            script.close()
        failure = _run_apart(tmp, Path(folder))
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


def _run_apart(tmp: Path, script: Path) -> str | None:
    """Run the script in `script` on the store at `tmp` in the loader process; return why it failed, if it did.

    The loader is a new interpreter, not a fork of the build: it shares none of the build's pages (a fork's
    copy-on-write touches them and its RSS counts them again) and inherits none of its files (the folder's
    lock among them).
    """
    _give_back_freed()
    home = str(Path(__file__).resolve().parents[2])  # where this package is imported from, for the loader too
    path = os.pathsep.join(filter(None, [home, os.environ.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "graph_builder.sinks.store_loader", str(tmp), str(script)],
        env={**os.environ, "PYTHONPATH": path},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode == 0:
        return None
    failure = script / FAILURE
    if failure.is_file():
        return failure.read_text(encoding="utf-8")
    space = shutil.disk_usage(tmp.parent).free
    tail = done.stderr.strip().splitlines()[-1:] or [""]
    detail = f": {tail[0]}" if tail[0] else ""
    return f"the store engine stopped (exit {done.returncode}{detail}; {space:,} bytes free on its disk: is it full?)"


def _give_back_freed() -> None:
    """Hand the memory the build has freed (the rows just written among it) back to the system before the loader
    runs beside it: the C allocator and Arrow's pool keep freed pages for reuse, so the build's RSS would count
    them through the whole load."""
    pa.default_memory_pool().release_unused()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc: its allocator gives pages back on its own terms
        return
    trim(0)


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
