"""Load the graph into Neo4j, and run Cypher there.

Writes are `UNWIND $rows ...` batches of `settings.neo4j_batch_size` rows, one statement per label and
per relationship type, each batch one managed transaction (retried by the driver on transient
failures), after uniqueness constraints on `id` make every look-up by id an index seek. The ids the
database already holds are looked up first: new nodes are CREATEd, and so are relationships with a
new node at either end (none can exist yet); only what is already stored is MERGEd and merged
property by property. Should another load create a node in between, its batch is merged instead.
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

import socket
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import neo4j
import networkx as nx
from neo4j import exceptions as driver_errors

from ..config import Settings, mask_uri
from ..errors import ConfigError, GraphBuilderError, Neo4jError, QueryError
from ..graph import EDGE_PROPERTIES, LABELS, NODE_PROPERTIES, RELATIONSHIPS
from ..queries import refuse_file_access
from .cypher import constraint_queries, stored_props

BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_LOOKUP_BATCH = 20_000  # node ids looked up per read transaction

#: How a relationship property combines with a stored value when both are set (default: the stored one stays).
_EDGE_MERGE = {
    "confidence": "CASE WHEN r.confidence >= row.confidence THEN r.confidence ELSE row.confidence END",
    "first_reported": "CASE WHEN r.first_reported <= row.first_reported THEN r.first_reported "
    "ELSE row.first_reported END",
    "last_reported": "CASE WHEN r.last_reported >= row.last_reported THEN r.last_reported ELSE row.last_reported END",
    # Decided on the stored last_reported, before it is updated: the status of the newest report wins.
    "status": "CASE WHEN row.last_reported IS NOT NULL AND (r.last_reported IS NULL "
    "OR row.last_reported >= r.last_reported) THEN row.status ELSE r.status END",
    "count": "row.count",
}


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


def node_query(label: str) -> str:
    props = _node_schema(label)
    return f"UNWIND $rows AS row MERGE (n:`{label}` {{id: row.id}}) {_set_clause('n', props)}RETURN count(*) AS written"


def edge_query(rel: str, source: str, target: str) -> str:
    return (
        f"UNWIND $rows AS row MATCH (a:`{source}` {{id: row.source}}) MATCH (b:`{target}` {{id: row.target}}) "
        f"MERGE (a)-[r:`{rel}`]->(b) {_set_clause('r', EDGE_PROPERTIES[rel])}RETURN count(*) AS written"
    )


def create_node_query(label: str) -> str:
    """For nodes the database does not hold yet: no look-up, no merging."""
    return f"UNWIND $rows AS row CREATE (n:`{label}`) SET n = row RETURN count(*) AS written"


def create_edge_query(rel: str, source: str, target: str) -> str:
    """For relationships between two nodes this load created: no such relationship can exist yet."""
    return (
        f"UNWIND $rows AS row MATCH (a:`{source}` {{id: row.source}}) MATCH (b:`{target}` {{id: row.target}}) "
        f"CREATE (a)-[r:`{rel}`]->(b) SET r = row.props RETURN count(*) AS written"
    )


@dataclass
class _Statement:
    """One statement over rows of one label, or of one relationship type between two labels."""

    name: str
    query: str
    rows: list[dict[str, Any]]
    fallback: str | None = None  # the merging query, should a concurrent load have created a node first


def _statements(graph: nx.MultiDiGraph[str], stored: set[str]) -> Iterator[_Statement]:
    """Nodes by label, then relationships by type and endpoint labels; CREATE for what is new, MERGE for the rest.

    `stored` holds the ids of the graph's nodes the database already has; a relationship is new when
    either end is not stored, as no relationship can reach a node that did not exist.
    """
    nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for nid, data in sorted(graph.nodes.items()):
        nodes[data["label"]].append({"id": nid, **stored_props(data, _node_schema(data["label"]))})
    for label in LABELS:
        fresh = [row for row in nodes[label] if row["id"] not in stored]
        if fresh:
            yield _Statement(label, create_node_query(label), fresh, node_query(label))
        if len(fresh) < len(nodes[label]):
            yield _Statement(label, node_query(label), [row for row in nodes[label] if row["id"] in stored])
    edges: dict[tuple[str, str, str], list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
    for u, v, rel, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        key = (rel, graph.nodes[u]["label"], graph.nodes[v]["label"])
        edges[key].append((u, v, stored_props(data, EDGE_PROPERTIES[rel])))
    for rel in RELATIONSHIPS:
        for (name, source, target), found in sorted(edges.items()):
            if name != rel:
                continue
            new = [{"source": u, "target": v, "props": p} for u, v, p in found if u not in stored or v not in stored]
            old = [{"source": u, "target": v, **p} for u, v, p in found if u in stored and v in stored]
            if new:
                yield _Statement(rel, create_edge_query(rel, source, target), new)
            if old:
                yield _Statement(rel, edge_query(rel, source, target), old)


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


def _write_batch(tx: neo4j.ManagedTransaction, query: str, rows: list[dict[str, Any]]) -> int:
    record = tx.run(query, rows=rows).single(strict=True)
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


def _stored_ids(session: neo4j.Session, graph: nx.MultiDiGraph[str], settings: Settings) -> set[str]:
    """Which of the graph's node ids the database holds, by index look-ups in large read transactions."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for nid, data in graph.nodes.items():
        by_label[data["label"]].append(nid)
    stored: set[str] = set()
    for label, ids in sorted(by_label.items()):
        query = f"UNWIND $ids AS id MATCH (n:`{label}` {{id: id}}) RETURN n.id AS id"
        for start in range(0, len(ids), _LOOKUP_BATCH):
            chunk = ids[start : start + _LOOKUP_BATCH]
            stored.update(session.execute_read(_found, query, chunk))
    return stored


def _found(tx: neo4j.ManagedTransaction, query: str, ids: list[str]) -> list[str]:
    return [record["id"] for record in tx.run(query, ids=ids)]


def _write_statement(
    session: neo4j.Session, statement: _Statement, size: int, settings: Settings, stored: set[str]
) -> int:
    try:
        return _write_batches(session, statement.query, statement.rows, size, settings)
    except driver_errors.ConstraintError:
        if statement.fallback is None:
            raise
        # Another load created some of these nodes since they were looked up: merge them instead (idempotent),
        # and count them as stored, so their relationships are merged too.
        stored.update(row["id"] for row in statement.rows)
        return _write_batches(session, statement.fallback, statement.rows, size, settings)


def load_graph(graph: nx.MultiDiGraph[str], settings: Settings) -> dict[str, int]:
    """Write the graph into the configured database; returns rows written per label and relationship type."""
    counts = dict.fromkeys((*LABELS, *RELATIONSHIPS), 0)
    size = max(1, settings.neo4j_batch_size)
    with _writing(settings) as session:
        for statement in constraint_queries():
            session.run(neo4j.Query(statement, timeout=settings.neo4j_transaction_timeout)).consume()
        stored = _stored_ids(session, graph, settings)
        for stmt in _statements(graph, stored):  # lazily: a node statement may add to `stored`
            counts[stmt.name] += _write_statement(session, stmt, size, settings, stored)
    return counts


# -- taking facts away ---------------------------------------------------------------------------


def _change(before: dict[str, Any], after: dict[str, Any] | None, schema: dict[str, str]) -> dict[str, Any] | None:
    """How one node or relationship of the old graph changes (None: it does not).

    `drop` holds, per list property, the items only the old graph had; `set` the scalars that changed.
    """
    old = stored_props(before, schema)
    new = stored_props(after or {}, schema)
    if after is not None and old == new:
        return None
    lists = [k for k, kind in schema.items() if kind == "list"]
    return {
        "gone": after is None,
        "drop": {k: sorted(set(old.get(k, [])) - set(new.get(k, []))) for k in lists},
        "set": {} if after is None else {k: new.get(k) for k in schema if k not in lists and old.get(k) != new.get(k)},
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
        f"UNWIND $rows AS row MATCH (n:`{label}` {{id: row.id}}) "
        f"SET n += row.set {_drop_lists('n', _node_schema(label))}"
        "WITH n, row WHERE row.gone AND NOT EXISTS { MATCH (n)-[r]-() WHERE size(coalesce(r.articles, [])) > 0 } "
        "AND NOT EXISTS { MATCH (:Article)-[:MENTIONS]->(n) } DETACH DELETE n RETURN count(*) AS written"
    )


def shrink_edge_query(rel: str, source: str, target: str) -> str:
    """Take away what the old graph alone said of relationships; delete those left with no article."""
    return (
        f"UNWIND $rows AS row MATCH (:`{source}` {{id: row.source}})-[r:`{rel}`]->(:`{target}` {{id: row.target}}) "
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
        change = _change(data, after, EDGE_PROPERTIES[rel])
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
