"""Curation: reject, accept, correct, merge and split, kept in the build folder and applied at every build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
from rdflib import URIRef
from rdflib.namespace import PROV

from graph_builder.build import build, load_graph
from graph_builder.cli import main
from graph_builder.config import Settings
from graph_builder.curation import FILENAME, append_record, apply_curation, curate_facts, read_curation
from graph_builder.errors import ConfigError
from graph_builder.graph import edges_of, nodes_of
from graph_builder.model import Article, ArticleFacts, Entity, Evidence, RoleFact
from graph_builder.review import curate, withdraw_from_neo4j
from graph_builder.sinks import neo4j
from graph_builder.sinks.gold import gold_records
from graph_builder.sinks.rdf import read_file, validate_file
from graph_builder.sinks.store import run_query
from tests.factories import ONE, TWO, facts
from tests.factories import write_article as write


def article(aid: str, *roles: tuple[str, str, str | None], entities: tuple[Entity, ...]) -> ArticleFacts:
    art = Article(aid, f"doc-{aid}", "", title=f"Story {aid}", published="2025-03-01")
    ev = Evidence(aid, 0, 20, f"the sentence of {aid}")
    return ArticleFacts(art, entities, tuple(RoleFact(p, t, o, "current", ev, "test") for p, t, o in roles))


LENZ, ARDEN = Entity("Maria Lenz", "Person"), Entity("Tomas Arden", "Person")
NORVALE = Entity("Norvale Energy", "Organisation", (), "company")
HARBOUR = Entity("Harbour Club", "Organisation", (), "club")
FACTS = [
    article("a1", ("Maria Lenz", "chief executive", "Norvale Energy"), entities=(LENZ, NORVALE)),
    article("b2", ("Tomas Arden", "chairman", "Norvale Energy"), entities=(ARDEN, NORVALE)),
    article("c3", ("M. Lenz", "treasurer", "Harbour Club"), entities=(Entity("M. Lenz", "Person"), HARBOUR)),
]


def fact_of(graph: nx.MultiDiGraph, person: str) -> str:
    (fid,) = [d["fact"] for u, _, d in edges_of(graph, "HOLDS") if u == person]
    return fid


def curated(tmp_path: Path, *records: dict[str, object]) -> nx.MultiDiGraph:
    for rec in records:
        append_record(tmp_path, dict(rec))
    return apply_curation(FACTS, tmp_path)


def test_reject_removes_the_fact_and_its_now_empty_post(tmp_path: Path) -> None:
    fid = fact_of(apply_curation(FACTS, tmp_path), "person:tomas-arden")
    g = curated(tmp_path, {"op": "reject", "fact": fid})
    assert [u for u, _, _ in edges_of(g, "HOLDS")] == ["person:m-lenz", "person:maria-lenz"]
    assert "role:norvale-energy/chair" not in g
    (rec,) = g.graph["curation"]
    assert rec["affects"]["invalidated"] == [("person:tomas-arden", "role:norvale-energy/chair", "HOLDS")]


def test_accept_after_reject_restores_the_fact_with_full_confidence(tmp_path: Path) -> None:
    fid = fact_of(apply_curation(FACTS, tmp_path), "person:tomas-arden")
    g = curated(tmp_path, {"op": "reject", "fact": fid}, {"op": "accept", "fact": fid})
    holds = {u: d for u, _, d in edges_of(g, "HOLDS")}
    assert holds["person:tomas-arden"]["confidence"] == 1.0 and holds["person:tomas-arden"]["curation"]


def test_correct_moves_a_post_to_another_organisation_and_sets_its_status(tmp_path: Path) -> None:
    fid = fact_of(apply_curation(FACTS, tmp_path), "person:tomas-arden")
    g = curated(tmp_path, {"op": "correct", "fact": fid, "organisation": "Harbour Club", "status": "former"})
    ((_, post, holds),) = [e for e in edges_of(g, "HOLDS") if e[0] == "person:tomas-arden"]
    assert post == "role:harbour-club/chair" and holds["status"] == "former"
    assert holds["articles"] == ["b2"] and holds["fact"] != fid
    assert g.has_edge(post, "org:harbour-club", key="ROLE_IN")
    # The sentence now states the corrected post, not the old one.
    assert g.has_edge("b2:0-20", post, key="STATES") and "role:norvale-energy/chair" not in g


def test_merge_makes_two_entities_one_and_split_makes_one_two(tmp_path: Path) -> None:
    g = curated(tmp_path, {"op": "merge", "entities": ["person:maria-lenz", "person:m-lenz"]})
    (lenz,) = [p for p in nodes_of(g, "Person") if p["id"] == "person:maria-lenz"]
    assert "M. Lenz" in lenz["aliases"] and "person:m-lenz" not in g
    assert {v for u, v, _ in edges_of(g, "HOLDS") if u == "person:maria-lenz"} == {
        "role:norvale-energy/chief-executive",
        "role:harbour-club/treasurer",
    }
    path = tmp_path / FILENAME
    path.unlink()
    # Without curation "Lenz" joins Maria Lenz (the only Lenz); a split keeps it apart.
    lenz_only = article("d4", ("Lenz", "adviser", "Harbour Club"), entities=(Entity("Lenz", "Person"), HARBOUR))
    assert "person:lenz" not in apply_curation([*FACTS[:2], lenz_only], tmp_path)
    append_record(tmp_path, {"op": "split", "entity": "person:maria-lenz", "names": ["Lenz"]})
    g = apply_curation([*FACTS[:2], lenz_only], tmp_path)
    split = [p for p in nodes_of(g, "Person") if p["name"] == "Lenz"]
    assert len(split) == 1 and split[0]["id"] != "person:maria-lenz"
    assert {u for u, v, _ in edges_of(g, "HOLDS") if v == "role:harbour-club/adviser"} == {split[0]["id"]}


@pytest.mark.parametrize("order", [("current", "former"), ("former", "current")])
def test_merged_undated_statements_of_one_post_keep_the_later_stage(tmp_path: Path, order: tuple[str, str]) -> None:
    def undated(aid: str, person: str, status: str) -> ArticleFacts:
        ev = Evidence(aid, 0, 20, f"the sentence of {aid}")
        role = RoleFact(person, "chief executive", "Norvale Energy", status, ev, "test")
        return ArticleFacts(Article(aid, f"doc-{aid}", ""), (Entity(person, "Person"), NORVALE), (role,))

    two = [undated("a1", "Maria Lenz", order[0]), undated("b2", "M. Lenz", order[1])]
    append_record(tmp_path, {"op": "merge", "entities": ["person:maria-lenz", "person:m-lenz"]})
    ((person, _, holds),) = edges_of(apply_curation(two, tmp_path), "HOLDS")
    assert (person, holds["status"], holds["articles"]) == ("person:maria-lenz", "former", ["a1", "b2"])


def test_a_record_for_a_fact_the_build_lacks_is_kept_and_skipped(tmp_path: Path) -> None:
    g = curated(tmp_path, {"op": "reject", "fact": "role-0000000000"})
    assert len(edges_of(g, "HOLDS")) == 3
    assert len(read_curation(tmp_path).records) == 1


def test_damaged_curation_line_is_named_and_skipped(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / FILENAME).write_text('{"op": "reject"\n{"op": "explode"}\n', encoding="utf-8")
    assert read_curation(tmp_path).records == []
    assert f"{tmp_path / FILENAME}:1" in caplog.text and f"{tmp_path / FILENAME}:2" in caplog.text


def test_gold_export_holds_the_curated_facts(tmp_path: Path) -> None:
    fid = fact_of(apply_curation(FACTS, tmp_path), "person:maria-lenz")
    g = curated(tmp_path, {"op": "correct", "fact": fid, "status": "former"})
    gold = {r["doc_id"]: r for r in gold_records(g)}
    assert gold["doc-a1"]["roles"] == [
        {"person": "Maria Lenz", "title": "chief executive", "organisation": "Norvale Energy", "status": "former"}
    ]
    assert [p["name"] for p in gold["doc-a1"]["people"]] == ["Maria Lenz"]


def test_curated_facts_of_each_article_follow_every_kind_of_record(tmp_path: Path) -> None:
    g = apply_curation(FACTS, tmp_path)
    arden, lenz = fact_of(g, "person:tomas-arden"), fact_of(g, "person:maria-lenz")
    assert curate_facts(FACTS, tmp_path) is FACTS  # no curation: the facts as extracted
    for rec in (
        {"op": "reject", "fact": arden},
        {"op": "correct", "fact": lenz, "organisation": "Harbour Club", "status": "former", "title": "chair"},
        {"op": "merge", "entities": ["person:maria-lenz", "person:m-lenz"]},
        {"op": "accept", "fact": fact_of(g, "person:m-lenz")},
    ):
        append_record(tmp_path, rec)
    a1, b2, c3 = curate_facts(FACTS, tmp_path)
    assert b2.roles == () and [e.name for e in b2.entities] == ["Tomas Arden", "Norvale Energy"]
    ((person, title, org, status),) = [(r.person, r.title, r.organisation, r.status) for r in a1.roles]
    assert (person, title, org, status) == ("Maria Lenz", "chair", "Harbour Club", "former")
    ((treasurer),) = c3.roles
    assert (treasurer.person, treasurer.confidence) == ("Maria Lenz", 1.0)
    assert [(e.name, e.aliases) for e in c3.entities if e.label == "Person"] == [("Maria Lenz", ("M. Lenz",))]
    append_record(tmp_path, {"op": "reject", "entity": "org:harbour-club"})
    a1, _, c3 = curate_facts(FACTS, tmp_path)
    assert a1.roles == c3.roles == () and "Harbour Club" not in {e.name for e in c3.entities}


def _holders(out: Path) -> set[tuple[str, str, str]]:
    rows = run_query(
        out / "graph.lbdb",
        "MATCH (p:Person)-[h:HOLDS]->(r:Role) OPTIONAL MATCH (r)-[:ROLE_IN]->(o:Organisation) "
        "RETURN p.name, r.title, coalesce(o.name, '')",
    )[1]
    return {(str(r[0]), str(r[1]), str(r[2])) for r in rows}


@pytest.mark.e2e
@pytest.mark.neo4j
def test_curation_survives_incremental_and_full_rebuilds_and_reaches_every_sink(
    tmp_path: Path, neo4j_db: Settings
) -> None:
    out = tmp_path / "out"
    settings = Settings(out_dir=out, workers=1, progress=False)
    one = write(tmp_path / "src", "one.txt", ONE)
    neo = neo4j_db.with_overrides(out_dir=out)
    build([str(one)], settings, on_graph=lambda g: neo4j.load_graph(g, neo))
    graph = load_graph(settings)
    chair = next(d["fact"] for u, v, d in edges_of(graph, "HOLDS") if u == "person:tomas-arden")
    lenz = next(d["fact"] for u, v, d in edges_of(graph, "HOLDS") if u == "person:maria-lenz")
    assert ("Tomas Arden", "chairman", "Norvale Energy") in _holders(out)

    curate({"op": "reject", "fact": chair, "note": "not the chairman"}, settings, neo)
    curate({"op": "correct", "fact": lenz, "status": "former"}, settings, neo)
    with pytest.raises(ConfigError, match="no fact"):
        curate({"op": "reject", "fact": "role-ffffffffff"}, settings)

    def check() -> None:
        assert ("Tomas Arden", "chairman", "Norvale Energy") not in _holders(out)
        status = run_query(out / "graph.lbdb", "MATCH (:Person {name: 'Maria Lenz'})-[h:HOLDS]->() RETURN h.status")
        assert status[1] == [["former"]]
        served = neo4j.run_query(
            "MATCH (p:Person)-[h:HOLDS]->(:Role) RETURN p.name AS name, h.status AS status", {}, neo
        )
        stored = run_query(out / "graph.lbdb", "MATCH (p:Person)-[h:HOLDS]->(:Role) RETURN p.name, h.status")[1]
        assert {(r["name"], r["status"]) for r in served} == {(str(n), str(s)) for n, s in stored}
        assert ("Maria Lenz", "former") in {(r["name"], r["status"]) for r in served}
        assert "Tomas Arden" not in {r["name"] for r in served}
        rdf = read_file(out / "graph.ttl")
        invalidated = set(rdf.subjects(PROV.wasInvalidatedBy, None))
        assert URIRef(f"{settings.base_iri}membership/tomas-arden/norvale-energy/chair") in invalidated
        assert validate_file(out / "graph.ttl") == []
        assert "Tomas Arden" not in (out / "graph.html").read_text(encoding="utf-8").split("chairman")[0][-200:]
        roles = {(r["person"], r["title"], r["organisation"], r["status"]) for rec in facts(out) for r in rec["roles"]}
        assert not any(person in ("Tomas Arden", "Mr Arden") and title == "chairman" for person, title, _, _ in roles)
        assert {s for p, _, _, s in roles if p == "Maria Lenz"} == {"former"}

    check()
    # An incremental build with a new article keeps the corrections.
    two = write(tmp_path / "src2", "two.txt", TWO)
    report = build([str(one), str(two)], settings, on_graph=lambda g: neo4j.load_graph(g, neo))
    assert report.extracted == 1
    check()
    # A full rebuild from scratch, with only the curation file kept, too.
    keep = (out / FILENAME).read_text(encoding="utf-8")
    shutil.rmtree(out)
    out.mkdir()
    (out / FILENAME).write_text(keep, encoding="utf-8")
    neo4j.run_query("MATCH (n) DETACH DELETE n", {}, neo, write=True)
    build([str(one), str(two)], settings, on_graph=lambda g: neo4j.load_graph(g, neo))
    check()
    assert [json.loads(line)["op"] for line in keep.splitlines()] == ["reject", "correct"]
    # A correction made without --neo4j reaches Neo4j with the next load, though loading is additive.
    curate({"op": "reject", "entity": "Ines Carvalho"}, settings)
    graph = load_graph(settings)
    neo4j.load_graph(graph, neo)
    withdraw_from_neo4j(graph, settings, neo)
    check()
    assert not neo4j.run_query("MATCH (p:Person {name: 'Ines Carvalho'}) RETURN p.id AS id", {}, neo)
    assert "Ines Carvalho" not in {p["name"] for rec in facts(out) for p in rec["people"]}


@pytest.mark.e2e
def test_cli_verbs_why_reject_and_gold_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    one = write(tmp_path / "src", "one.txt", ONE)
    assert main(["build", str(one), "--out", str(out), "-q"]) == 0
    capsys.readouterr()
    assert main(["why", "Tomas Arden", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "holds chairman, Norvale Energy" in text and "Norvale Energy chairman Tomas Arden said" in text
    fid = text.split("holds chairman")[0].split()[-3]
    assert fid.startswith("role-")
    assert main(["reject", fid, "--out", str(out)]) == 0
    assert main(["why", "Tomas Arden", "--out", str(out), "--format", "json"]) == 0
    assert all(s["fact"] != fid for s in json.loads(capsys.readouterr().out))
    assert main(["export", "--format", "gold", "--out", str(out), "-o", str(tmp_path / "gold.jsonl")]) == 0
    (rec,) = [json.loads(line) for line in (tmp_path / "gold.jsonl").read_text().splitlines()]
    assert rec["doc_id"] == "one" and all(r["person"] != "Tomas Arden" for r in rec["roles"])
    assert main(["reject", "role-0123456789", "--out", str(out)]) == 2
