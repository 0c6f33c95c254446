"""Safety at the CLI on the real embedded store: ids from names, typed parameters, queries that cannot reach
files, query files never echoed, input bytes decoded without silent corruption."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from graph_builder.build import load_graph
from graph_builder.cli import main
from graph_builder.config import Settings
from graph_builder.errors import QueryError
from graph_builder.facts import write_facts
from graph_builder.graph import build_graph
from graph_builder.model import ArticleFacts
from graph_builder.sinks import store
from graph_builder.text import slug
from tests.factories import NAMES, chair_facts


def built(out: Path, facts: list[ArticleFacts]) -> Path:
    """A build folder with these facts and the real embedded store written from them."""
    write_facts(facts, out / "facts.jsonl")
    store.write(load_graph(Settings(out_dir=out)), out / store.FILENAME, Settings(out_dir=out))
    return out


def people(out: Path) -> dict[str, str]:
    graph = load_graph(Settings(out_dir=out))
    return {data["name"]: nid for nid, data in graph.nodes(data=True) if data["label"] == "Person"}


def test_ids_of_every_script_come_from_the_name_not_the_order(tmp_path: Path) -> None:
    one = people(built(tmp_path / "one", chair_facts(NAMES, "a")))
    # Another build: other articles, the names met in the opposite order, some missing, one more.
    two = people(built(tmp_path / "two", chair_facts(("Ivan Petrov", *NAMES[::-1][:4]), "b")))
    assert len(set(one.values())) == len(NAMES)  # no two people share an id
    assert all(one[name] == two[name] for name in two if name in one)
    assert one["Νίκος Καλλέργης"].startswith("person:nikos-kallergis-")  # readable, then a hash of the name
    assert one["Ольга Веснина"].startswith("person:olga-vesnina-")
    assert one["Digit 007"] == "person:digit-007"  # plain Latin ids are as they always were
    assert not any(nid.rsplit("-", 1)[-1].isdigit() and len(nid.rsplit("-", 1)[-1]) < 3 for nid in one.values())
    assert slug("Maria Lenz") == "maria-lenz" and slug("Jürgen Müller") == "jurgen-muller"
    # Two names with one transliteration still get two ids.
    assert slug("陳美玲") != slug("陈美玲")


def test_params_are_text_unless_typed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = built(tmp_path / "out", chair_facts(("Digit 007", "Ольга Веснина"), "a"))
    ask = "MATCH (p:Person) WHERE p.name ENDS WITH $suffix RETURN p.name AS name"
    assert main(["query", ask, "--param", "suffix=007", "--out", str(out), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"name": "Digit 007"}]
    sized = "MATCH (p:Person) WHERE size(p.name) > $n RETURN p.name AS name ORDER BY name"
    assert main(["query", sized, "--param", "n:int=9", "--out", str(out), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"name": "Ольга Веснина"}]
    assert main(["query", sized, "--param", "n:int=nine", "--out", str(out)]) == 1
    assert "--param n: 'nine' is not of type int" in capsys.readouterr().err
    assert main(["query", sized, "--param", "n:number=9", "--out", str(out)]) == 1
    assert "unknown type 'number'; use one of str, int, float, bool" in capsys.readouterr().err
    flag = "MATCH (p:Person) WHERE $flag OR p.name = 'none' RETURN count(p) AS n"
    assert main(["query", flag, "--param", "flag:bool=true", "--out", str(out), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"n": 2}]


REFUSED = [
    ("COPY (MATCH (p:Person) RETURN p.name) TO '{file}'", "COPY"),
    ("LOAD FROM '{passwd}' RETURN *", "LOAD FROM"),
    ('load from "{passwd}" return *', "LOAD from"),
    ("MATCH (n) RETURN count(n);\nCOPY Person FROM '{file}'", "COPY Person"),
    ("INSTALL httpfs", "INSTALL httpfs"),
    ("LOAD EXTENSION httpfs", "LOAD EXTENSION"),
    ("ATTACH '{file}' AS other (dbtype lbug)", "ATTACH"),
    ("EXPORT DATABASE '{dir}'", "EXPORT DATABASE"),
    ("IMPORT DATABASE '{dir}'", "IMPORT DATABASE"),
]


@pytest.fixture(scope="module")
def one_person(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(tmp_path_factory.mktemp("store"), chair_facts(("Digit 007",), "a"))


@pytest.mark.parametrize(("cypher", "clause"), REFUSED)
def test_read_only_queries_cannot_reach_files(
    cypher: str, clause: str, one_person: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "written.csv"
    text = cypher.format(file=target, passwd="/etc/passwd", dir=tmp_path / "dump")
    assert main(["query", text, "--out", str(one_person)]) == 1
    captured = capsys.readouterr()
    assert f"graph-builder: error: {clause} ... reads or writes files or loads code" in captured.err
    assert "root:" not in captured.out + captured.err
    assert not target.exists() and not (tmp_path / "dump").exists()
    with pytest.raises(QueryError, match="reads or writes files"):  # the Python API refuses it too
        store.run_query(one_person / store.FILENAME, text)


def test_keywords_inside_strings_and_names_stay_queryable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = chair_facts(("Copy Load", "LOAD FROM '/etc/passwd'"), "a")
    out = built(tmp_path / "out", facts)
    asks = [
        ("MATCH (p:Person {name: \"LOAD FROM '/etc/passwd'\"}) RETURN p.name AS copy", "copy"),
        ("MATCH (load:Person) WHERE load.name = 'Copy Load' RETURN load.name AS `INSTALL`", "INSTALL"),
        ("MATCH (p:Person) WHERE p.name STARTS WITH 'Copy' RETURN {attach: p.name} AS export", "export"),
        ("// COPY (MATCH (n) RETURN n) TO 'x.csv'\nMATCH (p:Person {name: 'Copy Load'}) RETURN p.name AS n", "n"),
    ]
    for cypher, column in asks:
        assert main(["query", cypher, "--out", str(out), "--format", "json"]) == 0, cypher
        assert len(json.loads(capsys.readouterr().out)) == 1, cypher
        assert column


def test_query_file_content_is_never_echoed(
    one_person: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = one_person
    secret = tmp_path / "secret.txt"
    secret.write_text("db_password = hunter2-not-cypher\n", encoding="utf-8")
    link = tmp_path / "innocent.cypher"
    link.symlink_to(secret)
    assert main(["query", str(link), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"query file {link}: the engine rejected the query" in err and "hunter2" not in err
    binary = tmp_path / "binary.cypher"
    binary.write_bytes(b"\xff\xfe\x00secret-bytes\x89")
    assert main(["query", str(binary), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"query file {binary} is not UTF-8 text" in err and "secret-bytes" not in err


STORY = (
    "Jürgen Müller, the chairman of Norvale Energy, met François Hollande in Paris on Monday. "
    "Müller said the talks went well.\n"
)


def test_bad_bytes_keep_the_rest_of_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    src = tmp_path / "src"
    src.mkdir()
    one_bad = STORY.encode("utf-8").replace(b"met", b"m\xe9t", 1)  # one byte that is not UTF-8
    (src / "utf8.txt").write_bytes(b"Talks in Paris\n" + one_bad)
    (src / "legacy.txt").write_bytes(("Talks in Paris again\n" + STORY.replace("Monday", "Tuesday")).encode("cp1252"))
    good = [
        json.dumps({"id": f"n{i}", "title": f"Story {i}", "text": STORY.replace("Monday", day)}, ensure_ascii=False)
        for i, day in enumerate(("Wednesday", "Thursday", "Friday"))
    ]
    lines = [good[0], '{"id": "x", "text": "a control \x01 byte"}', good[1], "{not json", good[2]]
    (src / "dump.jsonl").write_bytes("\n".join(lines).encode("utf-8") + b"\n" + b"\x00" * 300)
    assert main(["extract", str(src), "--workers", "1", "-q"]) == 4
    captured = capsys.readouterr()
    records = [json.loads(line) for line in captured.out.splitlines()]
    assert len(records) == 5  # both text files and the three good lines
    for rec in records:
        names = {p["name"] for p in rec["people"]}
        assert "François Hollande" in names and any("Müller" in n for n in names), rec
    assert "Fran\ufffdois" not in captured.out and "JĂĽrgen" not in captured.out
    assert any("utf8.txt: 1 byte sequence(s) not valid UTF-8 replaced" in r.getMessage() for r in caplog.records)
    err = captured.err
    assert f"{src / 'dump.jsonl'}:2: not valid JSON" in err
    assert f"{src / 'dump.jsonl'}:4: not valid JSON" in err
    assert f"{src / 'dump.jsonl'}:6: NUL bytes only" in err


def test_a_million_records_without_text_make_a_few_lines_of_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "empty.jsonl"
    src.write_text('{"id": "r", "title": "no text here"}\n' * 1_000_000, encoding="utf-8")
    assert main(["extract", str(src), "--workers", "1", "-q"]) == 4
    err = capsys.readouterr().err
    assert len(err) < 20_000
    assert "999,980 more bad record(s) not listed one by one" in err
    assert err.count("record has no article text") == 21


def test_graph_of_non_latin_names_in_store(tmp_path: Path) -> None:
    """The store holds one node per person, under the id the graph gives."""
    out = built(tmp_path / "out", chair_facts(NAMES, "a"))
    columns, rows = store.run_query(out / store.FILENAME, "MATCH (p:Person) RETURN p.id, p.name ORDER BY p.name")
    assert columns and sorted(r[1] for r in rows) == sorted(NAMES)
    graph = build_graph(chair_facts(NAMES, "a"))
    assert {r[0] for r in rows} == {n for n, d in graph.nodes(data=True) if d["label"] == "Person"}
