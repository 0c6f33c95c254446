"""The public Python API: what `import graph_builder` offers, the examples of docs/api.md, and the notebook."""

from __future__ import annotations

import ast
import doctest
import gc
import importlib
import json
import os
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

import graph_builder
from graph_builder import Article, KnowledgeGraph
from graph_builder.config import Settings
from graph_builder.ingest import read_sources
from graph_builder.sinks.neo4j import run_query

pytestmark = pytest.mark.e2e

DOCS = Path(__file__).resolve().parents[1] / "docs"
TEXTS = [
    "Edda Marsh, chief executive of Korvane Energy, met Norway's trade minister, Lars Velde, in Oslo on Monday.",
    "Korvane Energy chairman Piet Brandt said the company would build a new plant. "
    "Lars Velde, the trade minister, welcomed it.",
]


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return graph_builder.build(TEXTS)


def test_every_public_name_resolves_and_extract_stays_the_function() -> None:
    for name in graph_builder.__all__:
        assert getattr(graph_builder, name) is not None, name
    # The submodules of the same names, imported after the functions, leave the functions in place.
    assert importlib.import_module("graph_builder.extract.runner").Extractor is not None
    assert importlib.import_module("graph_builder.build").Report is not None
    for name in ("build", "extract"):
        fn = getattr(graph_builder, name)
        assert callable(fn) and (fn.__module__, fn.__name__) == ("graph_builder.api", name)


def test_build_without_out_writes_nothing_where_it_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    kg = graph_builder.build(TEXTS[:1])
    scratch = kg.report.outputs["store"].parent
    assert list(tmp_path.iterdir()) == []
    assert kg.query("MATCH (p:Person) RETURN count(p) AS n").loc[0, "n"] == 2
    del kg
    gc.collect()
    assert not scratch.exists()  # the temporary folder goes with the graph


def test_dataframes_carry_the_sentence_and_its_article(kg: KnowledgeGraph) -> None:
    roles = kg.roles()
    marsh = roles[roles.person == "Edda Marsh"].iloc[0]
    assert (marsh.title, marsh.organisation, marsh.status) == ("chief executive", "Korvane Energy", "current")
    assert marsh.sentence == TEXTS[0] and 0 < marsh.confidence <= 1
    assert marsh.article_id == Article.from_text(TEXTS[0]).id
    events = kg.events()
    # the meeting of her company with Velde is proposed too, but the shipped event scorer scores it under its threshold
    assert set(events.participant) == {"Edda Marsh", "Lars Velde"}
    assert set(events.sentence) == {TEXTS[0]}
    people = kg.people().set_index("name")
    assert people.loc["Lars Velde", "articles"] == 2
    assert "Korvane Energy" in set(kg.organisations().name)


def test_article_from_text_agrees_with_the_readers(tmp_path: Path) -> None:
    raw = "Quill opens mill\r\n\r\n\r\nAda Quill opened the Tarn mill on Friday.\r\n"
    (tmp_path / "quill.txt").write_text(raw, encoding="utf-8", newline="")
    read = next(a for a in read_sources([str(tmp_path / "quill.txt")], Settings()) if isinstance(a, Article))
    made = Article.from_text(raw, title="Quill opens mill")
    assert (made.id, made.text) == (read.id, read.text)
    assert made.text[made.text.index("Ada") :].startswith("Ada Quill opened")
    with pytest.raises(graph_builder.GraphBuilderError, match="no article text"):
        Article.from_text("   \n\n")


def test_writers_give_what_their_readers_read_back(kg: KnowledgeGraph, tmp_path: Path) -> None:
    ttl = Graph().parse(kg.to_rdf(tmp_path / "g.ttl", "turtle"))
    names = {str(o) for o in ttl.objects(predicate=None) if str(o) in {"Edda Marsh", "Lars Velde"}}
    assert names == {"Edda Marsh", "Lars Velde"}
    assert "Around Edda Marsh" in kg.view(tmp_path / "v.html", focus="Edda Marsh").read_text(encoding="utf-8")
    inline = kg._repr_html_()
    assert inline.startswith("<iframe srcdoc=") and "<script" not in inline  # the page is escaped into srcdoc
    with pytest.raises(graph_builder.GraphBuilderError, match="unknown RDF format"):
        kg.to_rdf(tmp_path / "g.x", "rdfxml")


def test_query_takes_library_names_and_parameters(kg: KnowledgeGraph) -> None:
    found = kg.query("person", name="marsh")
    assert ("role", "chief executive", "Korvane Energy") in set(
        zip(found.fact, found.what, found.with_whom, strict=True)
    )
    with pytest.raises(graph_builder.GraphBuilderError, match="needs name="):
        kg.query("person")


@pytest.mark.neo4j
def test_to_neo4j_loads_the_graph(kg: KnowledgeGraph, neo4j_db: Settings) -> None:
    counts = kg.to_neo4j(neo4j_db.neo4j_uri, password=neo4j_db.neo4j_password)
    assert counts["Person"] == 3
    rows = run_query("MATCH (p:Person) RETURN p.name AS name ORDER BY name", {}, neo4j_db)
    assert [r["name"] for r in rows] == ["Edda Marsh", "Lars Velde", "Piet Brandt"]


def test_docs_api_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = doctest.testfile(
        str(DOCS / "api.md"), module_relative=False, optionflags=doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    assert result.attempted >= 25
    assert result.failed == 0, "an example in docs/api.md no longer gives what it shows (see the output above)"


def _run_cells(path: Path) -> list[Any]:
    """Execute a notebook's code cells in order in one namespace, as a kernel would; returns each cell's value."""
    namespace: dict[str, Any] = {}
    values = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, str(path), "exec"), namespace)
        values.append(eval(compile(ast.Expression(last.value), str(path), "eval"), namespace) if last else None)
    return values


def test_quickstart_notebook_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    values = _run_cells(DOCS / "quickstart.ipynb")
    facts, roles, events, library, cypher, central, shown = values
    assert facts["Person"] == 3 and "Edda Marsh" in set(roles.person)
    assert set(events.participant) == {"Edda Marsh", "Lars Velde"}
    assert list(library.columns[:3]) == ["person", "title", "organisation"] and len(library) >= 2 and len(cypher) >= 2
    assert central[0][1] > 0
    assert isinstance(shown, KnowledgeGraph) and "iframe" in shown._repr_html_()
    assert os.listdir(tmp_path) == []
