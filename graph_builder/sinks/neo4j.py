"""Load the graph into Neo4j, and run Cypher there.

Writes are `UNWIND $rows ... MERGE` batches of `settings.neo4j_batch_size` rows, each batch one managed
transaction (retried by the driver on transient failures), after uniqueness constraints on `id`
make every MERGE an index look-up. Loading is idempotent and additive: properties that accumulate
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

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import neo4j
import networkx as nx
from neo4j import exceptions as driver_errors

from ..config import Settings
from ..errors import ConfigError, Neo4jError, QueryError
from ..graph import EDGE_PROPERTIES, LABELS, NODE_PROPERTIES, RELATIONSHIPS

BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

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
    # Rows arrive sorted and deduplicated (see _props), so only a list meeting a stored one needs merging.
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


def constraint_queries() -> list[str]:
    return [
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:`{label}`) REQUIRE n.id IS UNIQUE"
        for label in LABELS
    ]


def _cypher_order(text: str) -> bytes:
    """Sort key matching Cypher's ORDER BY on strings (UTF-16 code units, as Java compares them)."""
    return text.encode("utf-16-be")


def _props(data: dict[str, Any], schema: dict[str, str]) -> dict[str, Any]:
    """The non-None properties of `schema`, lists sorted and deduplicated the way the database keeps them."""
    out: dict[str, Any] = {}
    for key, kind in schema.items():
        value = data.get(key)
        if value is not None:
            out[key] = sorted(set(value), key=_cypher_order) if kind == "list" else value
    return out


def _rows(graph: nx.MultiDiGraph[str]) -> Iterator[tuple[str, str, list[dict[str, Any]]]]:
    """(label or type, query, rows): nodes by label, then relationships by type and endpoint labels."""
    nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for nid, data in sorted(graph.nodes.items()):
        nodes[data["label"]].append({"id": nid, **_props(data, _node_schema(data["label"]))})
    for label in LABELS:
        if nodes[label]:
            yield label, node_query(label), nodes[label]
    edges: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for u, v, rel, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        row = {"source": u, "target": v, **_props(data, EDGE_PROPERTIES[rel])}
        edges[(rel, graph.nodes[u]["label"], graph.nodes[v]["label"])].append(row)
    for rel in RELATIONSHIPS:
        for (name, source, target), rows in sorted(edges.items()):
            if name == rel:
                yield rel, edge_query(rel, source, target), rows


@contextmanager
def _driver(settings: Settings) -> Iterator[neo4j.Driver]:
    """A connected driver, with connection and credential failures turned into messages that say what to do."""
    scheme = settings.neo4j_uri.partition("://")[0]
    if scheme not in BOLT_SCHEMES:
        raise ConfigError(
            f"NEO4J_URI {settings.neo4j_uri!r} is not a Bolt URI; use e.g. bolt://localhost:7687 "
            f"(schemes: {', '.join(BOLT_SCHEMES)})"
        )
    auth = (settings.neo4j_user, settings.neo4j_password) if settings.neo4j_password is not None else None
    try:
        # Server notifications off: the driver logs each as a raw record dump (e.g. "relationship type
        # ORGANISED does not exist" for a library query on a graph without one), which reads as an error.
        driver = neo4j.GraphDatabase.driver(
            settings.neo4j_uri,
            auth=auth,
            max_transaction_retry_time=settings.neo4j_retry_seconds,
            notifications_min_severity="OFF",
        )
    except (ValueError, driver_errors.ConfigurationError) as exc:
        raise ConfigError(f"NEO4J_URI {settings.neo4j_uri!r} is not usable: {exc}") from None
    try:
        driver.verify_connectivity()
    except driver_errors.AuthError:
        driver.close()
        raise Neo4jError(
            f"Neo4j at {settings.neo4j_uri} refused the user {settings.neo4j_user}: check NEO4J_USER/NEO4J_PASSWORD"
        ) from None
    except (driver_errors.ServiceUnavailable, driver_errors.SessionExpired, OSError):
        driver.close()
        raise Neo4jError(
            f"cannot reach Neo4j at {settings.neo4j_uri}: is it running? `make neo4j` starts a local one"
        ) from None
    try:
        yield driver
    finally:
        driver.close()


def _write_batch(tx: neo4j.ManagedTransaction, query: str, rows: list[dict[str, Any]]) -> int:
    record = tx.run(query, rows=rows).single(strict=True)
    return int(record["written"])


@contextmanager
def _writing(settings: Settings, job: str = "load") -> Iterator[neo4j.Session]:
    """A session for batched writes, with failures mid-way turned into messages that say to rerun."""
    with _driver(settings) as driver, driver.session(database=settings.neo4j_database) as session:
        try:
            yield session
        except (driver_errors.ServiceUnavailable, driver_errors.SessionExpired) as exc:
            raise Neo4jError(
                f"the {job} into Neo4j at {settings.neo4j_uri} was interrupted ({type(exc).__name__}): "
                f"the database holds part of the change; rerun the {job} once the server is back, "
                "it completes it without duplicates"
            ) from None
        except driver_errors.AuthError:
            raise Neo4jError(
                f"Neo4j at {settings.neo4j_uri} refused the user {settings.neo4j_user} "
                f"during the {job}: check NEO4J_USER/NEO4J_PASSWORD"
            ) from None
        except driver_errors.Neo4jError as exc:
            raise Neo4jError(f"Neo4j at {settings.neo4j_uri} rejected the {job}: {exc.message} ({exc.code})") from None


def _write_batches(session: neo4j.Session, query: str, rows: list[dict[str, Any]], size: int) -> int:
    return sum(
        session.execute_write(_write_batch, query, rows[start : start + size]) for start in range(0, len(rows), size)
    )


def load_graph(graph: nx.MultiDiGraph[str], settings: Settings) -> dict[str, int]:
    """MERGE the graph into the configured database; returns rows written per label and relationship type."""
    counts = dict.fromkeys((*LABELS, *RELATIONSHIPS), 0)
    size = max(1, settings.neo4j_batch_size)
    with _writing(settings) as session:
        for statement in constraint_queries():
            session.run(statement).consume()
        for name, query, rows in _rows(graph):
            counts[name] += _write_batches(session, query, rows, size)
    return counts


# -- taking facts away ---------------------------------------------------------------------------


def _change(before: dict[str, Any], after: dict[str, Any] | None, schema: dict[str, str]) -> dict[str, Any] | None:
    """How one node or relationship of the old graph changes (None: it does not).

    `drop` holds, per list property, the items only the old graph had; `set` the scalars that changed.
    """
    old = _props(before, schema)
    new = _props(after or {}, schema)
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
                session, shrink_edge_query(rel, source, target), rows, size
            )
        for label, rows in sorted(nodes.items()):
            counts["nodes deleted"] += _write_batches(session, shrink_node_query(label), rows, size)
    added = [
        (u, v, rel)
        for u, v, rel, data in new.edges(keys=True, data=True)
        if not old.has_edge(u, v, key=rel) or _change(old.edges[u, v, rel], data, EDGE_PROPERTIES[rel])
    ]
    grown = new.edge_subgraph(added).copy()  # type: ignore[arg-type]  # the stubs know only (u, v) pairs, not (u, v, key)
    for nid, data in new.nodes(data=True):
        if nid not in old or _change(old.nodes[nid], data, _node_schema(data["label"])):
            grown.add_node(nid, **data)
    if grown.number_of_nodes():
        load_graph(grown, settings)
    return counts


def run_query(cypher: str, params: dict[str, Any], settings: Settings, write: bool = False) -> list[dict[str, Any]]:
    """Run one Cypher statement with `params` as parameters; read-only unless `write` is set."""
    routing = neo4j.RoutingControl.WRITE if write else neo4j.RoutingControl.READ
    with _driver(settings) as driver:
        try:
            records, _, _ = driver.execute_query(cypher, params, routing_=routing, database_=settings.neo4j_database)
        except driver_errors.ClientError as exc:
            if exc.code == "Neo.ClientError.Statement.AccessMode":
                raise QueryError(
                    "the query writes to the database, but queries run read-only unless asked to write "
                    "(`graph-builder query --write`, or run_query(..., write=True))"
                ) from None
            raise QueryError(f"Neo4j rejected the query: {exc.message} ({exc.code})") from None
        except (driver_errors.ServiceUnavailable, driver_errors.SessionExpired):
            raise Neo4jError(
                f"lost the connection to Neo4j at {settings.neo4j_uri} while querying; "
                "check the server and rerun the query"
            ) from None
        except driver_errors.Neo4jError as exc:
            raise QueryError(f"the query failed on Neo4j: {exc.message} ({exc.code})") from None
    return [record.data() for record in records]
