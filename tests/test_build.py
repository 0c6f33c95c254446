"""`graph-builder` end to end on articles written here: build, query, rebuild, merge, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph_builder import queries
from graph_builder.cli import main
from graph_builder.sinks.store import run_query
from tests.factories import ONE, TWO
from tests.factories import write_article as write

pytestmark = pytest.mark.e2e


def store_rows(out: Path, cypher: str) -> list[list[object]]:
    return sorted(run_query(out / "graph.lbdb", cypher)[1], key=repr)


def snapshot(out: Path) -> tuple[str, list[list[object]], list[list[object]]]:
    return (
        (out / "facts.jsonl").read_text(),
        store_rows(out, "MATCH (n) RETURN n.id, n.name"),
        store_rows(out, "MATCH (a)-[r:HOLDS]->(b) RETURN a.id, b.id, r.articles, r.spans, r.status"),
    )


def test_build_writes_every_output_and_queries_answer(tmp_path: Path) -> None:
    src = tmp_path / "src"
    write(src, "one.txt", ONE)
    write(src, "two.txt", TWO)
    out = tmp_path / "out"
    assert main(["build", str(src), "--out", str(out), "-q"]) == 0
    for name in ("facts.jsonl", "graph.lbdb", "graph.ttl", "graph.html"):
        assert (out / name).exists(), name
    holders = store_rows(
        out, "MATCH (p:Person)-[:HOLDS]->(r:Role)-[:ROLE_IN]->(o:Organisation) RETURN p.name, r.title, o.name"
    )
    assert ["Tomas Arden", "chairman", "Norvale Energy"] in holders
    assert ["Ines Carvalho", "foreign minister", "Government of Portugal"] in holders
    # "Mr Arden" in the second article is the same person as "Tomas Arden" in the first.
    (arden,) = store_rows(out, "MATCH (p:Person {name: 'Tomas Arden'})-[h:HOLDS]->() RETURN h.articles")
    assert len(arden[0]) == 2


def test_rebuild_changes_nothing_and_merges_in_any_order(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write(a, "one.txt", ONE)
    write(b, "two.txt", TWO)
    both = tmp_path / "both"
    assert main(["build", str(a), str(b), "--out", str(both), "-q"]) == 0
    first = snapshot(both)
    assert main(["build", str(a), str(b), "--out", str(both), "-q"]) == 0
    assert snapshot(both) == first
    stepwise = tmp_path / "stepwise"
    assert main(["build", str(b), "--out", str(stepwise), "-q"]) == 0
    assert main(["build", str(a), "--out", str(stepwise), "-q"]) == 0
    assert snapshot(stepwise)[1:] == first[1:]


def test_bad_inputs_are_reported_and_the_rest_is_built(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "src"
    write(src, "good.txt", ONE)
    write(src, "empty.txt", "")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 200)
    (src / "bad.jsonl").write_text(json.dumps({"title": "T", "text": TWO}) + "\n{not json\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(src), "--out", str(out), "-q"]) == 4
    err = capsys.readouterr().err
    assert "empty.txt" in err and "binary.txt" in err and "bad.jsonl:2" in err
    facts = [json.loads(line) for line in (out / "facts.jsonl").read_text().splitlines()]
    assert len(facts) == 2


def test_extract_prints_eval_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "story-1.txt", ONE)
    assert main(["extract", str(path)]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert rec["doc_id"] == "story-1"
    assert {"people", "organisations", "roles", "events"} <= rec.keys()
    assert {"person": "Tomas Arden", "title": "chairman", "organisation": "Norvale Energy"}.items() <= next(
        r for r in rec["roles"] if r["person"] == "Tomas Arden"
    ).items()


def test_every_library_query_answers_on_the_demo_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    data = Path(__file__).resolve().parent.parent / "data"
    assert main(["build", str(data), "--out", str(out), "-q"]) == 0
    params = {
        "organisation": "Norvale Energy",
        "name": "Henrik Saar",
        "date": "2030-01-01",
        "a": "Maria Lenz",
        "b": "Tomas Arden",
    }
    per_query = {
        "organisation_events": {"organisation": "Atlantic Maritime Council"},
        "role_sentences": {"role": "chief executive, Norvale Energy"},
    }
    for name in queries.names():
        q = queries.get(name, "ladybug")
        capsys.readouterr()
        args = ["query", name, "--out", str(out), "--format", "json"]
        for p in q.params:
            args += ["--param", f"{p}={per_query.get(name, params)[p]}"]
        assert main(args) == 0, name
        rows = json.loads(capsys.readouterr().out)
        assert rows, f"query {name} gave no rows on the demo data"


def test_query_parameters_are_data_not_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path / "src", "one.txt", ONE)
    out = tmp_path / "out"
    assert main(["build", str(src), "--out", str(out), "-q"]) == 0
    before = store_rows(out, "MATCH (n) RETURN count(n)")
    evil = "x'}) DETACH DELETE n //"
    assert main(["query", "person", "--param", f"name={evil}", "--out", str(out), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert store_rows(out, "MATCH (n) RETURN count(n)") == before


def test_export_formats_and_validate(tmp_path: Path) -> None:
    import networkx as nx

    src = write(tmp_path / "src", "one.txt", ONE)
    out = tmp_path / "out"
    assert main(["build", str(src), "--out", str(out), "-q"]) == 0
    for fmt, name in (("graphml", "graph.graphml"), ("ntriples", "graph.nt"), ("jsonld", "graph.jsonld")):
        assert main(["export", "--format", fmt, "--out", str(out)]) == 0
        assert (out / name).stat().st_size > 0
    stored = store_rows(out, "MATCH (n) RETURN count(n)")[0][0]
    assert nx.read_graphml(out / "graph.graphml").number_of_nodes() == stored
    assert main(["validate", str(out / "graph.nt")]) == 0
