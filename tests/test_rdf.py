"""RDF export: every format round-trips, conforms to the shipped shapes, and keeps IRIs stable."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV

from graph_builder import registry
from graph_builder.config import Settings
from graph_builder.curation import append_record, apply_curation
from graph_builder.errors import ConfigError, ValidationError
from graph_builder.graph import build_graph, edges_of, nodes_of
from graph_builder.sinks.rdf import (
    GB,
    PREFIXES,
    Minter,
    date_literal,
    read_file,
    to_graph,
    validate_file,
    validate_graph,
    write_ntriples,
)
from tests.factories import HOSTILE_TITLE, aramaki_corpus

ORG, SDO = PREFIXES["org"], PREFIXES["schema"]

SINKS = {"turtle": "graph.ttl", "ntriples": "graph.nt", "jsonld": "graph.jsonld", "trig": "graph.trig"}
BASE = Settings().base_iri

COUNTS = {
    "Person": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a schema:Person }",
    "Organisation": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a org:Organization, schema:Organization }",
    "Membership": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a org:Membership ; org:member ?p ; org:role ?r }",
    "Event": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a schema:Event }",
    "Article": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a schema:NewsArticle }",
}


@pytest.fixture
def graph() -> nx.MultiDiGraph:
    return build_graph(aramaki_corpus())


def export(graph: nx.MultiDiGraph, sink: str, out: Path, settings: Settings | None = None) -> Path:
    path = out / SINKS[sink]
    registry.sink(sink)(graph, path, settings or Settings())
    return path


def count(rdf: Graph, query: str) -> int:
    return int(next(iter(rdf.query(query, initNs=PREFIXES)))[0])


def test_sinks_are_registered_with_their_file_names() -> None:
    assert {name: registry.filename(name) for name in SINKS} == SINKS


@pytest.mark.parametrize("sink", SINKS)
def test_export_round_trips_the_counts(graph: nx.MultiDiGraph, sink: str, tmp_path: Path) -> None:
    rdf = read_file(export(graph, sink, tmp_path))
    expected = {label: len(nodes_of(graph, label)) for label in ("Person", "Organisation", "Event", "Article")}
    expected["Membership"] = len(edges_of(graph, "HOLDS"))
    assert expected == {"Person": 3, "Organisation": 1, "Event": 2, "Article": 2, "Membership": 3}
    assert {name: count(rdf, q) for name, q in COUNTS.items()} == expected


@pytest.mark.parametrize("sink", SINKS)
def test_export_conforms_to_the_shapes(graph: nx.MultiDiGraph, sink: str, tmp_path: Path) -> None:
    assert validate_file(export(graph, sink, tmp_path)) == []


def test_membership_without_member_is_reported(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    rdf = read_file(export(graph, "turtle", tmp_path))
    membership = URIRef(f"{BASE}membership/kenji-aramaki/government-of-japan/minister-for-digital-affairs")
    assert (membership, ORG.member, None) in rdf
    rdf.remove((membership, ORG.member, None))
    broken = tmp_path / "broken.ttl"
    rdf.serialize(broken, format="turtle")
    problems = validate_file(broken)
    why = "a membership needs a member, one schema:Person"
    assert problems == [f"membership <{membership}>: has no org:member ({why})"]


def test_attendee_of_the_wrong_type_is_reported(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    rdf = read_file(export(graph, "ntriples", tmp_path))
    summit = URIRef(f"{BASE}event/g7-summit")
    rdf.add((summit, SDO.attendee, URIRef(f"{BASE}place/hiroshima")))
    broken = tmp_path / "broken.nt"
    rdf.serialize(broken, format="nt", encoding="utf-8")
    assert any(p.startswith(f"event <{summit}>: schema:attendee is <") for p in validate_file(broken))


def test_provenance_reaches_the_sentence(graph: nx.MultiDiGraph) -> None:
    rdf = to_graph(graph, BASE)
    rows = list(
        rdf.query(
            """SELECT ?article ?begin ?end ?sentence WHERE {
             ?m a org:Membership ; org:member ?p ; org:role/skos:prefLabel ?title ;
                prov:wasDerivedFrom ?article ; gb:evidence ?span .
             ?p schema:name "Sayaka Tsubaki" .
             ?span nif:referenceContext ?article ; nif:beginIndex ?begin ; nif:endIndex ?end ; nif:anchorOf ?sentence .
           }""",
            initNs=PREFIXES,
        )
    )
    assert len(rows) == 1
    article, begin, end, sentence = rows[0]
    text = aramaki_corpus()[1].article.text
    assert str(sentence) == text[int(begin) : int(end)]
    assert str(article) == f"{BASE}article/{aramaki_corpus()[1].article.id}"


def test_membership_interval_follows_status(graph: nx.MultiDiGraph) -> None:
    rdf = to_graph(graph, BASE)
    during = {
        str(p): (str(rel).rpartition("#")[2], str(d))
        for p, rel, d in rdf.query(
            """SELECT ?name ?rel ?date WHERE {
                 ?m org:member/schema:name ?name ; org:memberDuring ?i . ?i ?rel ?t . ?t time:inXSDDate ?date .
               }""",
            initNs=PREFIXES,
        )
    }
    # Aramaki: former as of the (undated) second article, so only the first article's date is known.
    assert during == {"Kenji Aramaki": ("inside", "2024-05-02"), "Antony Blinken": ("inside", "2024-05-02")}


def test_role_without_organisation_has_no_org_organization(graph: nx.MultiDiGraph) -> None:
    rdf = to_graph(graph, BASE)
    blinken = URIRef(f"{BASE}membership/antony-blinken/person/antony-blinken/secretary-of-state")
    assert (blinken, ORG.member, URIRef(f"{BASE}person/antony-blinken")) in rdf
    assert (blinken, ORG.organization, None) not in rdf


def test_iris_are_stable_between_runs(tmp_path: Path) -> None:
    first = export(build_graph(aramaki_corpus()), "ntriples", tmp_path / "one")
    second = export(build_graph(list(reversed(aramaki_corpus()))), "ntriples", tmp_path / "two")
    subjects = {s for s in read_file(first).subjects() if isinstance(s, URIRef)}
    assert subjects == {s for s in read_file(second).subjects() if isinstance(s, URIRef)}
    assert URIRef(f"{BASE}person/kenji-aramaki") in subjects
    assert URIRef(f"{BASE}role/government-of-japan/minister-for-digital-affairs") in subjects
    assert first.read_bytes() == second.read_bytes()


def test_base_iri_comes_from_settings(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = export(graph, "ntriples", tmp_path, Settings(base_iri="urn:kg:test"))
    assert URIRef("urn:kg:test/person/kenji-aramaki") in set(read_file(path).subjects())
    for bad in ("not an iri", "https://example.org/kg#"):
        with pytest.raises(ConfigError, match="absolute IRI"):
            export(graph, "ntriples", tmp_path, Settings(base_iri=bad))


@pytest.mark.parametrize("sink", SINKS)
def test_hostile_title_round_trips_as_a_literal(graph: nx.MultiDiGraph, sink: str, tmp_path: Path) -> None:
    rdf = read_file(export(graph, sink, tmp_path))
    assert set(rdf.objects(None, SDO.headline)) == {Literal("Aramaki meets Blinken"), Literal(HOSTILE_TITLE)}


def test_streamed_ntriples_equal_the_rdflib_graph(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    streamed = read_file(export(graph, "ntriples", tmp_path))
    built = to_graph(graph, BASE)
    assert len(streamed) == len(built) > 100
    assert isomorphic(streamed, built)


def test_export_replaces_the_file_whole(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "graph.nt"
    path.write_text("stale")
    write_ntriples(graph, path, Settings())
    assert "stale" not in path.read_text() and [p.name for p in tmp_path.iterdir()] == ["graph.nt"]


def test_dates_get_the_most_precise_type() -> None:
    kinds = {
        v: (date_literal(v).datatype or "").rpartition("#")[2]
        for v in ("2024-05-01", "2024-05-01T10:00:00Z", "2024-05", "2024", "2024-02-30", "last Monday")
    }
    assert kinds == {
        "2024-05-01": "date",
        "2024-05-01T10:00:00Z": "dateTime",
        "2024-05": "gYearMonth",
        "2024": "gYear",
        "2024-02-30": "",
        "last Monday": "",
    }


def test_unreadable_files_raise(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix broken")
    with pytest.raises(ValidationError, match="cannot read it as turtle"):
        validate_file(bad)
    with pytest.raises(ValidationError, match="cannot read"):
        validate_file(tmp_path / "missing.nt")
    with pytest.raises(ValidationError, match="suffix"):
        validate_file(tmp_path / "graph.xml")


def test_documented_queries_give_the_documented_output(graph: nx.MultiDiGraph) -> None:
    doc = (Path(__file__).parents[1] / "docs" / "rdf.md").read_text(encoding="utf-8")
    examples = re.findall(r"```sparql\n(.*?)```\s*```\n(.*?)```", doc, flags=re.S)
    assert len(examples) == 3
    rdf = to_graph(graph, BASE)
    for query, output in examples:
        documented = [[cell.strip() for cell in line.split("|")] for line in output.strip().splitlines()]
        rows = [["" if v is None else str(v) for v in row] for row in rdf.query(query)]
        assert rows == documented, query


def test_corrections_are_prov_activities_that_conform(tmp_path: Path) -> None:
    facts = aramaki_corpus()
    (fid, member) = next(
        (d["fact"], mint_membership(u, v)) for u, v, d in edges_of(build_graph(facts), "HOLDS") if "blinken" in u
    )
    append_record(tmp_path, {"op": "reject", "fact": fid, "note": "wrong post"})
    rdf = to_graph(apply_curation(facts, tmp_path), BASE)
    (activity,) = rdf.subjects(RDF.type, GB.Curation)
    assert (member, PROV.wasInvalidatedBy, activity) in rdf
    assert (member, RDF.type, ORG.Membership) not in rdf  # the rejected fact itself is gone
    assert rdf.value(activity, GB.operation) == Literal("reject")
    assert rdf.value(activity, RDFS.comment) == Literal("wrong post")
    assert validate_graph(rdf) == []
    rdf.set((activity, GB.operation, Literal("undo")))
    assert any("correction" in p and "gb:operation" in p for p in validate_graph(rdf))


def mint_membership(person: str, role: str) -> URIRef:
    return Minter(BASE).membership(person, role)
