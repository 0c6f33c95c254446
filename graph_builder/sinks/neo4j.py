"""Load the graph into Neo4j, and run Cypher there.

Writes are `UNWIND $rows ...` batches of `settings.neo4j_batch_size` rows, one statement per label and
per relationship type, each batch one managed transaction (retried by the driver on transient
failures), after uniqueness constraints on `id` make every look-up by id an index seek. The ids the
database already holds are looked up first: new nodes are CREATEd, and so are relationships with a
new node at either end (none can exist yet); only what is already stored is MERGEd and merged
property by property. Should another load create a node in between, its batch is merged instead.
`_WRITERS` sessions write batches at once, in an order that cannot deadlock (see `_batches`): each
label's nodes as soon as its rows are made, then the relationship statements one after another: two at
once deadlocked, since creating a relationship locks relationships already in its nodes' chains.
A build's load (`load_build`) sends only its delta against what its folder last loaded there.
Loading is idempotent and additive: properties that accumulate
evidence are merged with what the database already holds, so loading article set A and then B gives
the same database as loading A+B at once, and loading the same build twice changes nothing:

- lists (`aliases`, `articles`, `spans`, `rules`): sorted union, no duplicates;
- `confidence`: the maximum; `first_reported`: the minimum; `last_reported`: the maximum;
- `status` (HOLDS): the one reported latest, i.e. with the newest `last_reported`;
- `count` (MENTIONS): the graph's value; a MENTIONS edge belongs to one article, so loading its
  article again restates the same count rather than adding to it;
- descriptive strings of a relationship (`title`, `as`): the first value loaded is kept;
- node strings (`name`, `kind`, ...): the latest load wins.

None is never written, so a later load that lacks a value keeps the stored one. Query text is
generated from the schema in `graph.py`; only label and type names, which come from that schema,
are spliced into Cypher, and every value travels as a parameter.
"""

from __future__ import annotations

import hashlib
import json
import logging
import operator
import socket
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import zip_longest
from pathlib import Path
from typing import Any

import neo4j
import networkx as nx
from neo4j import exceptions as driver_errors

from ..atomic import atomic_open
from ..collector import collector_paused
from ..config import Settings, mask_uri
from ..delta import Change, Digests, GraphDelta, diff, file_sha, read_digests, write_digests
from ..errors import ConfigError, GraphBuilderError, Neo4jError, QueryError
from ..graph import EDGE_PROPERTIES, LABELS, NODE_PROPERTIES, RELATIONSHIPS, schema_digest
from ..model import STAGES
from ..queries import refuse_file_access
from .cypher import constraint_queries, stored_props

log = logging.getLogger("graph_builder")

BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_LOOKUP_BATCH = 20_000  # node ids looked up per read transaction
_WRITERS = 2  # sessions writing at once: the server may use a core for each
#: Keep a cached plan even when the store's statistics have moved (as they do over a load into an empty
#: database): replanning these index-seek statements finds the same plan, at a cost of up to a second each.
_PLAN = "CYPHER replan=skip "


def _stage(var: str) -> str:
    """Cypher for how far along its life the post `var` states is (see model.STAGES)."""
    return "CASE " + f"{var}.status " + " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(STAGES)) + " END"


#: How a relationship property combines with a stored value when both are set (default: the stored one stays).
_EDGE_MERGE = {
    "confidence": "CASE WHEN r.confidence >= row.confidence THEN r.confidence ELSE row.confidence END",
    "first_reported": "CASE WHEN r.first_reported <= row.first_reported THEN r.first_reported "
    "ELSE row.first_reported END",
    "last_reported": "CASE WHEN r.last_reported >= row.last_reported THEN r.last_reported ELSE row.last_reported END",
    # Decided on the stored last_reported, before it is updated: the status of the newest report wins;
    # with no report dated on either side, the stage further along (model.furthest_status).
    "status": "CASE WHEN r.status IS NULL OR row.last_reported IS NOT NULL AND (r.last_reported IS NULL "
    "OR row.last_reported >= r.last_reported) OR row.last_reported IS NULL AND r.last_reported IS NULL "
    f"AND {_stage('row')} > {_stage('r')} THEN row.status ELSE r.status END",
    "count": "row.count",
}
#: Relationship scalars merged across loads (the count is restated, not merged).
_MERGED = tuple(k for k in _EDGE_MERGE if k != "count")


def _union(var: str, key: str) -> str:
    # Rows arrive sorted and deduplicated (see stored_props), so only a list meeting a stored one needs merging.
    return (
        f"CASE WHEN row.`{key}` IS NULL THEN {var}.`{key}` WHEN {var}.`{key}` IS NULL THEN row.`{key}` "
        f"ELSE COLLECT {{ UNWIND {var}.`{key}` + row.`{key}` AS x RETURN DISTINCT x ORDER BY x }} END"
    )


def _merged(var: str, key: str, kind: str) -> str:
    """Cypher for the value `key` takes when a row meets the stored entity `var`."""
    if kind == "list":
        return _union(var, key)
    if var == "n":
        return f"coalesce(row.`{key}`, n.`{key}`)"
    rule = _EDGE_MERGE.get(key, f"r.`{key}`")
    # Comparisons with NULL are NULL; whichever side is missing, the other one stands.
    return f"CASE WHEN row.`{key}` IS NULL THEN r.`{key}` WHEN r.`{key}` IS NULL THEN row.`{key}` ELSE {rule} END"


def _set_clause(var: str, props: dict[str, str]) -> str:
    if not props:
        return ""
    keys = sorted(props)
    values = ", ".join(f"{_merged(var, k, props[k])} AS v{i}" for i, k in enumerate(keys))
    sets = ", ".join(f"{var}.`{k}` = v{i}" for i, k in enumerate(keys))
    # Every merged value is computed from the stored state first, then all are written together.
    return f"WITH {var}, row, {values} SET {sets} "


def _node_schema(label: str) -> dict[str, str]:
    return {"name": "str", **NODE_PROPERTIES[label]}


def _rows_query(body: str) -> str:
    """A statement over the batch `$rows`, returning how many rows it wrote."""
    return f"{_PLAN}UNWIND $rows AS row {body} RETURN count(*) AS written"


def _ends(source: str, target: str) -> str:
    """Both ends of a relationship row, found by their key-constrained ids."""
    return f"MATCH (a:`{source}` {{id: row.source}}) MATCH (b:`{target}` {{id: row.target}})"


def node_query(label: str) -> str:
    return _rows_query(f"MERGE (n:`{label}` {{id: row.id}}) {_set_clause('n', _node_schema(label))}")


def edge_query(rel: str, source: str, target: str) -> str:
    return _rows_query(f"{_ends(source, target)} MERGE (a)-[r:`{rel}`]->(b) {_set_clause('r', EDGE_PROPERTIES[rel])}")


def create_node_query(label: str) -> str:
    """For nodes the database does not hold yet: no look-up, no merging."""
    return _rows_query(f"CREATE (n:`{label}`) SET n = row")


def create_edge_query(rel: str, source: str, target: str) -> str:
    """For relationships between two nodes this load created: no such relationship can exist yet."""
    return _rows_query(f"{_ends(source, target)} CREATE (a)-[r:`{rel}`]->(b) SET r = row.props")


@dataclass
class _Statement:
    """One statement over rows of one label, or of one relationship type between two labels."""

    name: str
    query: str
    rows: list[dict[str, Any]]
    fallback: str | None = None  # the merging query, should a concurrent load have created a node first
    relationships: bool = False  # rows are relationships: (source, target, ...), in that order


#: A node as the loader takes it: (id, label, properties);
#: a relationship: (source, target, type, source label, target label, properties).
NodeRow = tuple[str, str, dict[str, Any]]
EdgeRow = tuple[str, str, str, str, str, dict[str, Any]]


def _graph_nodes(graph: nx.MultiDiGraph[str]) -> list[NodeRow]:
    return [(nid, data["label"], data) for nid, data in graph.nodes(data=True)]


def _graph_edges(graph: nx.MultiDiGraph[str]) -> list[EdgeRow]:
    labels = {nid: data["label"] for nid, data in graph.nodes(data=True)}
    return [
        (u, v, rel, labels[u], labels[v], data)
        # the adjacency's own dicts: its views, and the edge views, cost more than the rows
        for u, targets in graph.adjacency()
        for v, keyed in targets.items()
        for rel, data in keyed.items()
    ]


_first = operator.itemgetter(0)
_ends_of = operator.itemgetter(0, 1)
_row_ends = operator.itemgetter("source", "target")
_by_target = operator.itemgetter("target")
_by_id = operator.itemgetter("id")


def _node_statements(nodes: Iterable[NodeRow], stored: set[str]) -> Iterator[_Statement]:
    """Nodes by label, one label at a time (its batches can be written while the next one's rows are made):
    CREATE for what the database does not hold, MERGE for the rest."""
    by_label: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for nid, label, data in nodes:
        by_label[label].append((nid, data))
    for label in LABELS:
        schema = _node_schema(label)
        rows = [{"id": nid, **stored_props(data, schema)} for nid, data in sorted(by_label[label], key=_first)]
        fresh = [row for row in rows if row["id"] not in stored]
        if fresh:
            yield _Statement(label, create_node_query(label), fresh, node_query(label))
        if len(fresh) < len(rows):
            old = [row for row in rows if row["id"] in stored]
            yield _Statement(label, node_query(label), old)


def _edge_statements(edges: Iterable[EdgeRow], stored: set[str]) -> list[_Statement]:
    """Relationships by type and endpoint labels, rows in (source, target) order; CREATE for those with a
    node the database did not hold at either end (none can exist yet), MERGE for the rest."""
    grouped: dict[tuple[str, str, str], list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
    for u, v, rel, source, target, data in edges:
        grouped[(rel, source, target)].append((u, v, stored_props(data, EDGE_PROPERTIES[rel])))
    out: list[_Statement] = []
    order = {rel: i for i, rel in enumerate(RELATIONSHIPS)}
    for (rel, source, target), found in sorted(grouped.items(), key=lambda item: (order[item[0][0]], item[0])):
        found.sort(key=_ends_of)
        new = [{"source": u, "target": v, "props": p} for u, v, p in found if u not in stored or v not in stored]
        old = [{"source": u, "target": v, **p} for u, v, p in found if u in stored and v in stored]
        if new:
            out.append(_Statement(rel, create_edge_query(rel, source, target), new, relationships=True))
        if old:
            out.append(_Statement(rel, edge_query(rel, source, target), old, relationships=True))
    return out


def _batches(statement: _Statement, size: int) -> list[list[dict[str, Any]]]:
    """The statement's rows in batches of about `size` that may be written at the same time without deadlocks.

    Nodes: any split. Relationships: all rows of one source node in one batch (a batch may exceed `size` by
    one node's relationships), each batch in target order. Concurrent batches then share no source, and
    every transaction locks the targets it shares with another in the same (ascending) order, so no two
    can wait on each other. No relationship type links two nodes of one label, so a node is never a
    source in one batch and a target in another of the same statement.
    """
    rows = statement.rows
    if not statement.relationships:
        return [rows[start : start + size] for start in range(0, len(rows), size)]
    out: list[list[dict[str, Any]]] = []
    start = 0
    while start < len(rows):  # rows come in (source, target) order
        end = start + size
        while end < len(rows) and rows[end]["source"] == rows[end - 1]["source"]:
            end += 1
        out.append(sorted(rows[start:end], key=_by_target))
        start = end
    return out


def _timed_out(exc: BaseException) -> bool:
    """Whether a socket timeout is behind a driver error (the driver reports one as a lost connection)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, TimeoutError) or "timed out" in str(seen).lower():  # the driver's deadline errors
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _translated(exc: Exception, settings: Settings, job: str) -> GraphBuilderError:
    """The driver's error as ours, with the exit status the README documents and what to do about it."""
    where = f"Neo4j at {mask_uri(settings.neo4j_uri)}"
    code = getattr(exc, "code", None) or ""
    rerun = f"rerun the {job} once the server is back"
    if job != "query":
        rerun += ", it completes it without duplicates"
    partial = "" if job == "query" else "the database may hold part of the change; "
    if code == "Neo.ClientError.Security.AuthenticationRateLimit":
        return Neo4jError(
            f"{where} refuses the user {settings.neo4j_user} for a while after too many failed logins: "
            "wait a few seconds, then check NEO4J_USER/NEO4J_PASSWORD"
        )
    if isinstance(exc, driver_errors.AuthError) or code.startswith("Neo.ClientError.Security."):
        return Neo4jError(f"{where} refused the user {settings.neo4j_user}: check NEO4J_USER/NEO4J_PASSWORD")
    # A transaction past its timeout while waiting for a lock is reported as its lock client stopped.
    stopped = code.endswith((".LockClientStopped", ".Terminated"))
    if "TransactionTimedOut" in code or stopped or _timed_out(exc):
        limit = (
            f"no connection within neo4j_connect_timeout ({settings.neo4j_connect_timeout:g} s)"
            if job == "connect"
            else f"the {job} did not finish within neo4j_transaction_timeout ({settings.neo4j_transaction_timeout:g} s)"
            + (" or was stopped on the server" if stopped else "")
        )
        then = "retry once it answers" if job == "connect" else f"{partial}{rerun}"
        return Neo4jError(
            f"{where} did not answer in time: {limit}. Is the server overloaded or paused? "
            f"{then}, or raise the timeout in graph_builder.toml or NEO4J_"
            f"{'CONNECT' if job == 'connect' else 'TRANSACTION'}_TIMEOUT"
        )
    if isinstance(exc, driver_errors.TransientError):
        return Neo4jError(
            f"{where} kept failing with a transient error for {settings.neo4j_retry_seconds:g} s of retries "
            f"({exc.code}): {partial}{rerun}"
        )
    if isinstance(exc, driver_errors.ClientError) and job == "query":
        if code == "Neo.ClientError.Statement.AccessMode":
            return QueryError(
                "the query writes to the database, but queries run read-only unless asked to write "
                "(`graph-builder query --write`, or run_query(..., write=True))"
            )
        return QueryError(f"Neo4j rejected the query: {exc.message} ({code})")
    if isinstance(exc, driver_errors.Neo4jError):
        return Neo4jError(f"{where} rejected the {job}: {exc.message} ({code})")
    if isinstance(exc, driver_errors.ConfigurationError | ValueError):
        return ConfigError(f"NEO4J_URI {mask_uri(settings.neo4j_uri)!r} is not usable: {exc}")
    # ServiceUnavailable, SessionExpired, IncompleteCommit, a lost socket, ...: the server went away.
    if job == "connect":
        return Neo4jError(f"cannot reach {where}: is it running? `make neo4j` starts a local one")
    if job == "query":
        return Neo4jError(f"lost the connection to {where} while querying; check the server and rerun the query")
    return Neo4jError(f"the {job} into {where} was interrupted ({type(exc).__name__}): {partial}{rerun}")


@contextmanager
def _socket_timeout(seconds: float) -> Iterator[None]:
    """Sockets opened meanwhile give up reading after `seconds` of silence.

    The driver keeps the default timeout of each new socket once connected and has no read timeout
    of its own, so a paused server would hold a read forever; this bounds it.
    """
    before = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(before)


@contextmanager
def _driver(settings: Settings, job: str) -> Iterator[neo4j.Driver]:
    """A connected driver whose every failure becomes a GraphBuilderError saying what to do.

    Connecting is bounded by `neo4j_connect_timeout`; each transaction by `neo4j_transaction_timeout` on the
    server, and on the wire by the same plus the connect timeout (a server that says nothing for that long is gone).
    """
    scheme = settings.neo4j_uri.partition("://")[0]
    if scheme not in BOLT_SCHEMES:
        raise ConfigError(
            f"NEO4J_URI {mask_uri(settings.neo4j_uri)!r} is not a Bolt URI; use e.g. bolt://localhost:7687 "
            f"(schemes: {', '.join(BOLT_SCHEMES)})"
        )
    auth = (settings.neo4j_user, settings.neo4j_password) if settings.neo4j_password is not None else None
    stage = "connect"
    try:
        # Server notifications off: the driver logs each as a raw record dump (e.g. "relationship type
        # ORGANISED does not exist" for a library query on a graph without one), which reads as an error.
        with (
            _socket_timeout(settings.neo4j_transaction_timeout + settings.neo4j_connect_timeout),
            neo4j.GraphDatabase.driver(
                settings.neo4j_uri,
                auth=auth,
                max_transaction_retry_time=settings.neo4j_retry_seconds,
                connection_timeout=settings.neo4j_connect_timeout,
                connection_acquisition_timeout=settings.neo4j_connect_timeout + settings.neo4j_transaction_timeout,
                notifications_min_severity="OFF",
            ) as driver,
        ):
            driver.verify_connectivity()
            stage = job
            yield driver
    except (driver_errors.Neo4jError, driver_errors.DriverError, OSError) as exc:
        raise _translated(exc, settings, stage) from None
    except ValueError as exc:  # the driver's word for a URI it cannot use
        if stage != "connect":
            raise
        raise _translated(exc, settings, stage) from None


class _Batch(list[Any]):
    """A parameter list with a short repr: the driver formats every statement's parameters for its debug
    log before it knows whether that log is on, a quarter of the client's CPU for a load's rows."""

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


def _write_batch(tx: neo4j.ManagedTransaction, query: str, rows: list[dict[str, Any]]) -> int:
    record = tx.run(query, rows=_Batch(rows)).single(strict=True)
    return int(record["written"])


@contextmanager
def _writing(settings: Settings, job: str = "load") -> Iterator[neo4j.Session]:
    """A session for batched writes; a failure mid-way says the rerun completes the change."""
    with _driver(settings, job) as driver, driver.session(database=settings.neo4j_database) as session:
        yield session


def _write_batches(
    session: neo4j.Session, query: str, rows: list[dict[str, Any]], size: int, settings: Settings
) -> int:
    work = neo4j.unit_of_work(timeout=settings.neo4j_transaction_timeout)(_write_batch)
    return sum(session.execute_write(work, query, rows[start : start + size]) for start in range(0, len(rows), size))


def _stored_ids(session: neo4j.Session, nodes: Iterable[NodeRow]) -> set[str]:
    """Which of these node ids the database holds, by index look-ups in large read transactions.

    A label the database holds no node of (a first load) is skipped: its count comes from the count store.
    """
    by_label: dict[str, list[str]] = defaultdict(list)
    for nid, label, _ in nodes:
        by_label[label].append(nid)
    stored: set[str] = set()
    for label, ids in sorted(by_label.items()):
        if not session.execute_read(_found, f"MATCH (n:`{label}`) RETURN count(n) AS id", [])[0]:
            continue
        query = f"{_PLAN}UNWIND $ids AS id MATCH (n:`{label}` {{id: id}}) RETURN n.id AS id"
        for start in range(0, len(ids), _LOOKUP_BATCH):
            chunk = ids[start : start + _LOOKUP_BATCH]
            stored.update(session.execute_read(_found, query, chunk))
    return stored


def _found(tx: neo4j.ManagedTransaction, query: str, ids: list[str]) -> list[Any]:
    return [record["id"] for record in tx.run(query, ids=_Batch(ids))]


def _write_one(driver: neo4j.Driver, query: str, rows: list[dict[str, Any]], settings: Settings) -> int:
    """One batch in its own session (sessions are not shared between threads), as one managed transaction."""
    work = neo4j.unit_of_work(timeout=settings.neo4j_transaction_timeout)(_write_batch)
    with driver.session(database=settings.neo4j_database) as session:
        return int(session.execute_write(work, query, rows))


@dataclass
class _Writing:
    """Batches handed to the writers: (index of the statement, the batch being written)."""

    driver: neo4j.Driver
    pool: ThreadPoolExecutor
    size: int
    settings: Settings
    statements: list[_Statement] = field(default_factory=list)
    futures: list[tuple[int, Future[int]]] = field(default_factory=list)

    def submit(self, statements: Iterable[_Statement]) -> None:
        """Start writing all batches of `statements` (which must not touch one node in two orders: one
        statement, or node statements of different labels), taking turns between the statements so
        that the writers work on different ones rather than on batches that meet at their targets."""
        first = len(self.statements)
        self.statements.extend(statements)
        batches = [_batches(stmt, self.size) for stmt in self.statements[first:]]
        for turn in zip_longest(*batches):
            for i, batch in enumerate(turn, first):
                if batch is not None:
                    query = self.statements[i].query
                    self.futures.append((i, self.pool.submit(_write_one, self.driver, query, batch, self.settings)))

    def written(self) -> list[int]:
        """Rows written by each statement, once all are done. At the first failure the batches not yet begun
        are dropped and those running are waited for, so none is still writing when the error is raised."""
        futures = [f for _, f in self.futures]
        done, _ = wait(futures, return_when=FIRST_EXCEPTION)
        if any(f.exception() is not None for f in done):
            for future in futures:
                future.cancel()
            wait(futures)
        out = [0] * len(self.statements)
        for i, future in self.futures:
            if not future.cancelled():
                out[i] += future.result()
        return out


def _write_all(writers: _Writers, statements: Iterable[_Statement]) -> list[int]:
    """Rows written by each statement, all batches of all `statements` at once."""
    writing = writers.writing()
    writing.submit(statements)
    return writing.written()


def _write_relationships(writers: _Writers, statements: list[_Statement], counts: dict[str, int]) -> None:
    """Write relationship statements one after another (see the module docstring: two at once deadlock),
    adding the rows written to `counts`."""
    for stmt in statements:
        counts[stmt.name] += _write_all(writers, [stmt])[0]


def _load(writers: _Writers, nodes: list[NodeRow], edges: list[EdgeRow]) -> dict[str, int]:
    """Write nodes and relationships with the merge rules above; rows written per label and relationship type.

    Each label's batches are written as soon as its rows are made, all labels at once, and the
    relationship rows are made meanwhile; then the relationship statements, one at a time.
    """
    counts = dict.fromkeys((*LABELS, *RELATIONSHIPS), 0)
    settings = writers.settings
    with writers.driver.session(database=settings.neo4j_database) as session:
        for statement in constraint_queries():
            session.run(neo4j.Query(statement, timeout=settings.neo4j_transaction_timeout)).consume()
        stored = _stored_ids(session, nodes)
    writing = writers.writing()
    with collector_paused():
        for stmt in _node_statements(nodes, stored):
            writing.submit([stmt])
        edge_statements = _edge_statements(edges, stored)
    statements = writing.statements
    try:
        written = writing.written()
    except driver_errors.ConstraintError:
        # Another load created some of these nodes since they were looked up: merge them all instead
        # (idempotent), and count them as stored, so their relationships are merged too.
        stored.update(row["id"] for stmt in statements for row in stmt.rows)
        statements = [replace(stmt, query=stmt.fallback or stmt.query) for stmt in statements]
        written = _write_all(writers, statements)
        with collector_paused():
            edge_statements = _edge_statements(edges, stored)
    for stmt, n in zip(statements, written, strict=True):
        counts[stmt.name] += n
    _write_relationships(writers, edge_statements, counts)
    return counts


@dataclass(frozen=True)
class _Writers:
    """`_WRITERS` threads writing batches, each in a session of its own, over one driver."""

    driver: neo4j.Driver
    pool: ThreadPoolExecutor
    settings: Settings

    def writing(self) -> _Writing:
        return _Writing(self.driver, self.pool, max(1, self.settings.neo4j_batch_size), self.settings)


@contextmanager
def _writers(settings: Settings, job: str = "load") -> Iterator[_Writers]:
    with _driver(settings, job) as driver, ThreadPoolExecutor(_WRITERS, thread_name_prefix="neo4j-load") as pool:
        yield _Writers(driver, pool, settings)


def load_graph(graph: nx.MultiDiGraph[str], settings: Settings) -> dict[str, int]:
    """Write the graph into the configured database; returns rows written per label and relationship type."""
    with _writers(settings) as writers:
        return _load(writers, _graph_nodes(graph), _graph_edges(graph))


# -- loading what changed -----------------------------------------------------------------------

#: Where a folder keeps, per database, the digests of the graph it last loaded there.
LOADED = "neo4j"


def _loaded_path(settings: Settings, out_dir: Path) -> Path:
    """The digests file of the graph `out_dir` last loaded into the configured database (no secret in its name)."""
    target = f"{mask_uri(settings.neo4j_uri)}|{settings.neo4j_database}"
    return out_dir / LOADED / f"{hashlib.sha256(target.encode()).hexdigest()[:16]}.parquet"


def replace_node_query(label: str) -> str:
    """A node whose properties changed: the build's properties replace the stored ones whole."""
    return _rows_query(f"MERGE (n:`{label}` {{id: row.id}}) SET n = row")


def replace_edge_query(rel: str, source: str, target: str) -> str:
    return _rows_query(f"{_ends(source, target)} MERGE (a)-[r:`{rel}`]->(b) SET r = row.props")


def delete_node_query(label: str) -> str:
    return _rows_query(f"MATCH (n:`{label}` {{id: row.id}}) DETACH DELETE n")


def delete_edge_query(rel: str, source: str, target: str) -> str:
    return _rows_query(f"MATCH (:`{source}` {{id: row.source}})-[r:`{rel}`]->(:`{target}` {{id: row.target}}) DELETE r")


def _delta_statements(delta: GraphDelta) -> tuple[list[_Statement], list[_Statement], list[_Statement]]:
    """(deletions, replaced nodes, replaced relationships) of a delta, one statement per label or type."""
    gone_edges: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for key in delta.removed_relationships:
        gone_edges[(key.type, key.source_label, key.target_label)].append({"source": key.source, "target": key.target})
    gone_nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node in delta.removed_nodes:
        gone_nodes[node.label].append({"id": node.id})
    nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for n in sorted(delta.changed_nodes, key=lambda n: n.key.id):
        nodes[n.key.label].append({"id": n.key.id, **stored_props(n.props, _node_schema(n.key.label))})
    edges: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for e in sorted(delta.changed_relationships, key=lambda e: (e.key.source, e.key.target)):
        k = e.key
        props = stored_props(e.props, EDGE_PROPERTIES[k.type])
        edges[(k.type, k.source_label, k.target_label)].append({"source": k.source, "target": k.target, "props": props})
    deletions = [
        _Statement(key[0], delete_edge_query(*key), sorted(rows, key=_row_ends), None, True)
        for key, rows in sorted(gone_edges.items())
    ]
    deletions += [_Statement(label, delete_node_query(label), rows) for label, rows in sorted(gone_nodes.items())]
    return (
        deletions,
        [
            _Statement(label, replace_node_query(label), sorted(rows, key=_by_id))
            for label, rows in sorted(nodes.items())
        ],
        [_Statement(key[0], replace_edge_query(*key), rows, relationships=True) for key, rows in sorted(edges.items())],
    )


def load_delta(delta: GraphDelta, settings: Settings, whole: nx.MultiDiGraph[str] | None = None) -> dict[str, int]:
    """Apply a build's delta: delete what is gone, replace what changed whole, add what is new (with the merge
    rules, should the database hold it already); with `whole`, the deletions and then all of that graph, merged.
    Applying it again changes nothing, so a rerun after a failure completes it. Returns rows written per label
    and relationship type, and rows deleted."""
    deletions, nodes, edges = _delta_statements(delta)
    with _writers(settings) as writers:
        # One at a time: deleting a node deletes relationships of any type, and of the labels at their other ends.
        deleted = sum(_write_all(writers, [stmt])[0] for stmt in deletions)
        if whole is not None:
            return {**_load(writers, _graph_nodes(whole), _graph_edges(whole)), "deleted": deleted}
        added = [
            (r.key.source, r.key.target, r.key.type, r.key.source_label, r.key.target_label, r.props)
            for r in delta.added_relationships
        ]
        counts = _load(writers, [(n.key.id, n.key.label, n.props) for n in delta.added_nodes], added)
        for stmt, n in zip(nodes, _write_all(writers, nodes), strict=True):
            counts[stmt.name] += n
        _write_relationships(writers, edges, counts)
    return {**counts, "deleted": deleted}


def load_build(graph: nx.MultiDiGraph[str], settings: Settings, out_dir: Path, whole: bool = False) -> dict[str, int]:
    """Bring the database to the build's `graph`, sending only what changed since `out_dir` last loaded it
    (with `whole`, all of it, merged with what the database holds, as `load_graph` does).

    The folder keeps, per database (`neo4j/` in the folder), the digests of the graph it last loaded there
    and how many nodes and relationships the database held just after; the delta against those digests
    is what is sent. When the database holds other numbers now, something else wrote to it since (a
    removal, a correction, another folder's load, or it was emptied): what the folder removed since is
    deleted and the graph loaded whole, merged. Without digests (a first load, another schema) the graph
    is loaded whole. The record is replaced only after the load succeeded, so a failed one is sent again.
    """
    path = _loaded_path(settings, out_dir)
    schema = schema_digest()
    change = graph.graph.get("change")
    if isinstance(change, Change) and change.base is not None and change.base == file_sha(path):
        # this database holds the build before: the delta the build computed for its store is this load's too
        log.debug("neo4j: sending the delta the build computed (%s)", change.delta.counts())
        delta, after, known = change.delta, change.digests, True
    else:
        before = read_digests(path, schema)
        delta, after = diff(before or Digests(), graph)
        known = before is not None
    if not known or whole:
        counts = load_graph(graph, settings)
    else:
        untouched = _sizes(settings) == _recorded_sizes(path)
        counts = load_delta(delta, settings, None if untouched else graph)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_digests(after, path, schema)
    with atomic_open(path.with_suffix(".json"), "w") as fh:
        json.dump(_sizes(settings), fh)
    return counts


def _sizes(settings: Settings) -> dict[str, int]:
    """The numbers of nodes and of relationships in the database (from its count store: no scan)."""
    nodes = run_query("MATCH (n) RETURN count(n) AS n", {}, settings)[0]["n"]
    rels = run_query("MATCH ()-[r]->() RETURN count(r) AS n", {}, settings)[0]["n"]
    return {"nodes": int(nodes), "relationships": int(rels)}


def _recorded_sizes(path: Path) -> dict[str, int] | None:
    try:
        with path.with_suffix(".json").open(encoding="utf-8") as fh:
            sizes = json.load(fh)
    except (OSError, ValueError):
        return None
    return sizes if isinstance(sizes, dict) else None


# -- taking facts away ---------------------------------------------------------------------------


def _change(
    before: dict[str, Any], after: dict[str, Any] | None, schema: dict[str, str], merged: Iterable[str] = ()
) -> dict[str, Any] | None:
    """How one node or relationship of the old graph changes (None: it does not).

    `drop` holds, per list property, the items only the old graph had; `set` the scalars that changed.
    Of something the new graph lacks, the `merged` scalars are cleared: should another load's articles
    keep it, the maximum or minimum taken with the old graph's value is no longer known, and that load,
    run again, sets them afresh (the merge rules take a missing value as absent).
    """
    old = stored_props(before, schema)
    new = stored_props(after or {}, schema)
    if after is not None and old == new:
        return None
    lists = [k for k, kind in schema.items() if kind == "list"]
    return {
        "gone": after is None,
        "drop": {k: sorted(set(old.get(k, [])) - set(new.get(k, []))) for k in lists},
        "set": {k: None for k in merged if k in schema}
        if after is None
        else {k: new.get(k) for k in schema if k not in lists and old.get(k) != new.get(k)},
    }


def _drop_lists(var: str, schema: dict[str, str]) -> str:
    return "".join(
        f"SET {var}.`{k}` = [x IN {var}.`{k}` WHERE NOT x IN row.drop.`{k}`] "
        for k, kind in sorted(schema.items())
        if kind == "list"
    )


def shrink_node_query(label: str) -> str:
    """Take away what the old graph alone said of nodes; delete those left with no evidence and no mention."""
    return (
        f"{_PLAN}UNWIND $rows AS row MATCH (n:`{label}` {{id: row.id}}) "
        f"SET n += row.set {_drop_lists('n', _node_schema(label))}"
        "WITH n, row WHERE row.gone AND NOT EXISTS { MATCH (n)-[r]-() WHERE size(coalesce(r.articles, [])) > 0 } "
        "AND NOT EXISTS { MATCH (:Article)-[:MENTIONS]->(n) } DETACH DELETE n RETURN count(*) AS written"
    )


def shrink_edge_query(rel: str, source: str, target: str) -> str:
    """Take away what the old graph alone said of relationships; delete those left with no article."""
    return (
        f"{_PLAN}UNWIND $rows AS row "
        f"MATCH (:`{source}` {{id: row.source}})-[r:`{rel}`]->(:`{target}` {{id: row.target}}) "
        f"SET r += row.set {_drop_lists('r', EDGE_PROPERTIES[rel])}"
        "WITH r, row WHERE row.gone AND size(coalesce(r.articles, [])) = 0 DELETE r RETURN count(*) AS written"
    )


def update_graph(old: nx.MultiDiGraph[str], new: nx.MultiDiGraph[str], settings: Settings) -> dict[str, int]:
    """Bring a database loaded with `old` to `new` (e.g. `new` lacks some articles) without reloading it.

    What only `old` stated is taken away: list items (article ids, spans, aliases) `new` lacks are
    dropped, so what other loads added stays; a relationship left with no article, and a node left
    with no evidenced relationship and no mention, are deleted; changed scalars take `new`'s value;
    then what `new` adds or changes is merged in by the loader. Running it again changes nothing,
    so a rerun after a failure completes it. Returns relationships and nodes deleted.
    """
    size = max(1, settings.neo4j_batch_size)
    edges: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for u, v, rel, data in sorted(old.edges(keys=True, data=True), key=lambda e: e[:3]):
        after = new.edges[u, v, rel] if new.has_edge(u, v, key=rel) else None
        change = _change(data, after, EDGE_PROPERTIES[rel], _MERGED)
        if change is not None:
            edges[(rel, old.nodes[u]["label"], old.nodes[v]["label"])].append({"source": u, "target": v, **change})
    nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for nid, data in sorted(old.nodes.items()):
        change = _change(data, new.nodes[nid] if nid in new else None, _node_schema(data["label"]))
        if change is not None:
            nodes[data["label"]].append({"id": nid, **change})
    counts = {"relationships deleted": 0, "nodes deleted": 0}
    with _writing(settings, "removal") as session:
        for (rel, source, target), rows in sorted(edges.items()):
            counts["relationships deleted"] += _write_batches(
                session, shrink_edge_query(rel, source, target), rows, size, settings
            )
        for label, rows in sorted(nodes.items()):
            counts["nodes deleted"] += _write_batches(session, shrink_node_query(label), rows, size, settings)
    added = [
        (u, v, rel)
        for u, v, rel, data in new.edges(keys=True, data=True)
        if not old.has_edge(u, v, key=rel) or _change(old.edges[u, v, rel], data, EDGE_PROPERTIES[rel])
    ]
    grown = new.edge_subgraph(added).copy()  # type: ignore[arg-type]  # the stubs know no (u, v, key) edges
    for nid, data in new.nodes(data=True):
        if nid not in old or _change(old.nodes[nid], data, _node_schema(data["label"])):
            grown.add_node(nid, **data)
    if grown.number_of_nodes():
        load_graph(grown, settings)
    return counts


def run_query(cypher: str, params: dict[str, Any], settings: Settings, write: bool = False) -> list[dict[str, Any]]:
    """Run one Cypher statement with `params` as parameters; read-only (and without file access) unless `write`."""
    if not write:
        refuse_file_access(cypher, "neo4j")
    routing = neo4j.RoutingControl.WRITE if write else neo4j.RoutingControl.READ
    query = neo4j.Query(cypher, timeout=settings.neo4j_transaction_timeout)
    with _driver(settings, "query") as driver:
        records, _, _ = driver.execute_query(query, params, routing_=routing, database_=settings.neo4j_database)
    return [record.data() for record in records]
