"""Every query of the library gives the same answer on the embedded store and on Neo4j, over one graph.

The graph is built from the demo articles in `data/` by the real pipeline; the same graph is written
to the embedded store (by the build) and loaded into Neo4j. Parameters are picked from the graph so
that every query has a non-empty answer whatever the extraction finds, so parity cannot pass by both
engines answering nothing; the issue's queries are also checked against the networkx graph, so it
cannot pass by both answering wrongly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph_builder import queries
from graph_builder.build import build, load_graph
from graph_builder.config import Settings
from graph_builder.graph import build_graph
from graph_builder.model import Article, ArticleFacts, Entity, Evidence, RoleFact
from graph_builder.sinks import neo4j, store

pytestmark = [pytest.mark.neo4j, pytest.mark.e2e]

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "graph_builder" / "data" / "queries"
#: The relationship types `shortest_connection` walks, in either direction.
PATH_TYPES = ("HOLDS", "ROLE_IN", "PARTICIPATED_IN", "ORGANISED")

Row = tuple[Any, ...]
Answer = tuple[list[str], list[Row]]


@dataclass(frozen=True)
class Demo:
    graph: nx.MultiDiGraph
    store: Path
    neo4j: Settings


@pytest.fixture(scope="module")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[nx.MultiDiGraph, Path]:
    """The demo data built once: the graph, and the embedded store the build wrote."""
    settings = Settings(out_dir=tmp_path_factory.mktemp("parity"), workers=1, progress=False)
    report = build([str(ROOT / "data")], settings)
    assert not report.skipped
    return load_graph(settings), settings.out_dir / store.FILENAME


@pytest.fixture
def demo(demo_build: tuple[nx.MultiDiGraph, Path], neo4j_db: Settings) -> Demo:
    """The demo graph in both engines. Neo4j is reloaded for each test (a fraction of a second), so a test
    that loads another graph into the session's server cannot leave the next one a different database."""
    graph, path = demo_build
    neo4j.load_graph(graph, neo4j_db)
    return Demo(graph, path, neo4j_db)


def normal(value: Any) -> Any:
    """Hashable, engine-neutral values: numbers as floats (an INT64 count equals a Java long), lists as
    tuples in their order (provenance lists are stored sorted on both engines; paths are ordered)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return round(float(value), 9)
    if isinstance(value, list | tuple):
        return tuple(normal(v) for v in value)
    return value


def on_store(path: Path, cypher: str, params: dict[str, Any]) -> Answer:
    columns, rows = store.run_query(path, cypher, params)
    return columns, [tuple(normal(v) for v in row) for row in rows]


def on_neo4j(settings: Settings, cypher: str, params: dict[str, Any]) -> Answer:
    records = neo4j.run_query(cypher, params, settings)
    columns = list(records[0]) if records else []
    return columns, [tuple(normal(r[c]) for c in columns) for r in records]


def answers(store_path: Path, settings: Settings, name: str, params: dict[str, Any]) -> tuple[Answer, Answer]:
    """(embedded answer, Neo4j answer) of one library query, each engine running its own file."""
    embedded, server = queries.get(name, "ladybug", LIBRARY), queries.get(name, "neo4j", LIBRARY)
    assert embedded.params == server.params == sorted(params), f"{name}: give it exactly {embedded.params}"
    assert embedded.ordered == server.ordered, f"{name}: one engine's file sorts, the other's does not"
    return on_store(store_path, embedded.text, params), on_neo4j(settings, server.text, params)


# Parameters, picked from the graph.


def _holds(graph: nx.MultiDiGraph) -> list[tuple[str, str, dict[str, Any]]]:
    return sorted(((u, v, d) for u, v, k, d in graph.edges(keys=True, data=True) if k == "HOLDS"), key=lambda e: e[:2])


def _name(graph: nx.MultiDiGraph, node: str | None) -> str | None:
    return graph.nodes[node]["name"] if node else None


def organisations_of(graph: nx.MultiDiGraph, person: str) -> set[str]:
    """Ids of the organisations in which `person` holds or held a post."""
    return {graph.nodes[r]["organisation"] for p, r, _ in _holds(graph) if p == person} - {None}


def dated_person(graph: nx.MultiDiGraph) -> tuple[str, str]:
    """The person with the most posts among those with a dated report, and their earliest first report."""
    holds = _holds(graph)
    dated = {p for p, _, d in holds if d.get("first_reported")}
    assert dated, "the demo graph has no dated post: roles_as_of cannot be checked"
    person = min(dated, key=lambda p: (-sum(1 for q, _, _ in holds if q == p), p))
    first = min(d["first_reported"] for p, _, d in holds if p == person and d.get("first_reported"))
    return person, first


def path_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """The undirected graph `shortest_connection` searches: articles and places left out."""
    walk = nx.Graph()
    walk.add_edges_from((u, v) for u, v, k in graph.edges(keys=True) if k in PATH_TYPES)
    return walk


def tied_pair(graph: nx.MultiDiGraph) -> tuple[str, str]:
    """Two people joined by the most shortest paths of equal length (within 8 hops), so the engines may
    well pick different ones; the longer connection among equals."""
    walk = path_graph(graph)
    people = sorted(n for n, d in graph.nodes(data=True) if d["label"] == "Person" and n in walk)
    pairs = [
        (sum(1 for _ in nx.all_shortest_paths(walk, a, b)), hops, a, b)
        for a in people
        for b, hops in nx.single_source_shortest_path_length(walk, a, cutoff=8).items()
        if a < b and graph.nodes[b]["label"] == "Person"
    ]
    assert pairs, "no two people are connected in the demo graph"
    _, _, a, b = min(pairs, key=lambda t: (-t[0], -t[1], t[2], t[3]))
    return a, b


def sharing_pair(graph: nx.MultiDiGraph) -> tuple[str, str]:
    """The first two people (by id) who hold posts in a common organisation."""
    people = sorted({p for p, _, _ in _holds(graph)})
    for a, b in combinations(people, 2):
        if organisations_of(graph, a) & organisations_of(graph, b):
            return a, b
    raise AssertionError("no two people share an organisation in the demo graph")


def busiest(graph: nx.MultiDiGraph, score: Callable[[str], int]) -> str | None:
    """The name of the organisation scoring highest (the first by id among equals)."""
    orgs = sorted(n for n, d in graph.nodes(data=True) if d["label"] == "Organisation")
    return _name(graph, max(orgs, key=score))


def parameters(graph: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    """Parameters per query that give non-empty answers on this graph."""
    person, first = dated_person(graph)
    tie_a, tie_b = tied_pair(graph)
    share_a, share_b = sharing_pair(graph)
    holds = _holds(graph)

    def holders(org: str) -> int:
        return sum(1 for _, r, _ in holds if graph.nodes[r].get("organisation") == org)

    def events(org: str) -> int:
        return sum(1 for *_, k in graph.out_edges(org, keys=True) if k in ("PARTICIPATED_IN", "ORGANISED"))

    return {
        "organisation_people": {"organisation": busiest(graph, holders)},
        "organisation_events": {"organisation": busiest(graph, events)},
        "person": {"name": _name(graph, person)},
        "roles_as_of": {"name": _name(graph, person), "date": first},
        "shared_organisations": {"a": _name(graph, share_a), "b": _name(graph, share_b)},
        "shortest_connection": {"a": tie_a, "b": tie_b},
        "about": {"name": _name(graph, person)},
        "role_sentences": {"role": _name(graph, max(holds, key=lambda h: (len(h[2]["spans"]), h[1]))[1])},
    }


# Queries whose engines may legitimately answer differently, and what is checked instead.


def check_shortest(graph: nx.MultiDiGraph, params: dict[str, Any], embedded: Answer, server: Answer) -> None:
    """Several shortest paths may tie, and each engine may return a different one: both must have the
    true shortest length, and each must be a real path of that length between the two people."""
    assert embedded[0] == server[0] == ["hops", "through"]
    assert len(embedded[1]) == len(server[1]) == 1
    walk = path_graph(graph)
    hops = nx.shortest_path_length(walk, params["a"], params["b"])
    for answer in (embedded, server):
        found, through = answer[1][0]
        assert found == hops and len(through) == hops + 1
        assert is_path(graph, walk, params["a"], params["b"], list(through)), through


CHECKS: dict[str, Callable[[nx.MultiDiGraph, dict[str, Any], Answer, Answer], None]] = {
    "shortest_connection": check_shortest,
}


def is_path(graph: nx.MultiDiGraph, walk: nx.Graph, a: str, b: str, names: list[str]) -> bool:
    """Whether some walk from `a` to `b` in `walk` passes nodes bearing exactly `names`, in order."""
    reached = {a} if names and graph.nodes[a]["name"] == names[0] else set()
    for name in names[1:]:
        reached = {n for r in reached for n in walk[r] if graph.nodes[n]["name"] == name}
    return b in reached


# The tests.


@pytest.mark.parametrize("name", queries.names(LIBRARY))
def test_query_answers_the_same_on_both_engines(name: str, demo: Demo, caplog: pytest.LogCaptureFixture) -> None:
    params = parameters(demo.graph).get(name, {})
    with caplog.at_level(logging.DEBUG, logger="neo4j.notifications"):
        embedded, server = answers(demo.store, demo.neo4j, name, params)
    # No server notices dumped on users (e.g. "relationship type ORGANISED does not exist" on a graph without one).
    assert not caplog.records, [r.getMessage()[:120] for r in caplog.records]
    assert embedded[1], f"{name} answers nothing on the demo graph with {params}: parity would be trivial"
    if name in CHECKS:
        CHECKS[name](demo.graph, params, embedded, server)
        return
    assert embedded[0] == server[0]
    if queries.get(name, "ladybug", LIBRARY).ordered:
        assert embedded[1] == server[1]
    else:
        assert sorted(embedded[1], key=repr) == sorted(server[1], key=repr)


def test_roles_as_of_lists_the_posts_reported_by_the_date(demo: Demo) -> None:
    person, first = dated_person(demo.graph)
    day_before = (date.fromisoformat(first) - timedelta(days=1)).isoformat()
    seen = {}
    for when in (day_before, first):
        params = {"name": _name(demo.graph, person), "date": when}
        embedded, server = answers(demo.store, demo.neo4j, "roles_as_of", params)
        assert embedded == server
        expected = {
            (d["title"], _name(demo.graph, demo.graph.nodes[r].get("organisation")), d["status"])
            for p, r, d in _holds(demo.graph)
            if p == person and (d.get("first_reported") is None or d["first_reported"] <= when)
        }
        assert {row[:3] for row in embedded[1]} == expected
        seen[when] = expected
    assert seen[day_before] < seen[first], "the post first reported on the date is missing the day before"


def test_shared_organisations_are_those_both_people_hold_posts_in(demo: Demo) -> None:
    a, b = sharing_pair(demo.graph)
    params = {"a": _name(demo.graph, a), "b": b}  # a name and an id both identify a person
    embedded, server = answers(demo.store, demo.neo4j, "shared_organisations", params)
    assert embedded == server
    shared = organisations_of(demo.graph, a) & organisations_of(demo.graph, b)
    assert embedded[1] == [(name,) for name in sorted({_name(demo.graph, o) for o in shared})]


def _report(person: str, title: str, status: str, published: str | None) -> ArticleFacts:
    text = f"{person}, {title} of Harbour Club, spoke to reporters."
    article = Article(id=f"{person}|{title}|{published}", doc_id=person, text=text, published=published)
    evidence = Evidence(article.id, 0, len(text), text)
    return ArticleFacts(
        article,
        (Entity(person, "Person"), Entity("Harbour Club", "Organisation", kind="club")),
        (RoleFact(person, title, "Harbour Club", status, evidence, "appositive"),),
    )


def test_contradictions_are_holders_reported_at_once(tmp_path: Path, neo4j_db: Settings) -> None:
    """Successive holders are not a contradiction; overlapping or undated reports are."""
    graph = build_graph(
        [
            _report("Anna Alder", "chairman", "current", "2025-01-01"),
            _report("Anna Alder", "chairman", "current", "2025-02-01"),
            _report("Bruno Birch", "chairman", "current", "2025-03-01"),  # after Alder's last report
            _report("Dora Dahl", "chairman", "current", "2025-01-15"),  # within Alder's reports
            _report("Emil Eck", "chairman", "former", "2025-01-20"),  # not a current holder
            _report("Fay Fenn", "treasurer", "current", None),  # undated: overlaps anything
            _report("Gus Grove", "treasurer", "current", "2025-05-01"),
        ]
    )
    path = tmp_path / store.FILENAME
    store.write(graph, path, Settings())
    neo4j.load_graph(graph, neo4j_db)
    embedded, server = answers(path, neo4j_db, "contradictions", {})
    assert embedded == server
    assert [row[:3] for row in embedded[1]] == [
        ("chairman, Harbour Club", "Anna Alder", "Dora Dahl"),
        ("treasurer, Harbour Club", "Fay Fenn", "Gus Grove"),
    ]


def test_every_query_opens_with_a_description_of_its_parameters() -> None:
    for name in queries.names(LIBRARY):
        for engine in queries.ENGINES:
            query = queries.get(name, engine, LIBRARY)
            assert query.description, f"{name} ({engine}) has no opening comment"
            for param in query.params:
                assert f"${param}" in query.description, f"{name} ({engine}) does not describe ${param}"
            if not query.params:
                assert "Parameters: none." in query.description, name
