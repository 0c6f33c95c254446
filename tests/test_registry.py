"""The registry: parts named without importing them, loaded when used, the CLI's choices, other packages' parts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from rdflib import Graph

from graph_builder import registry
from graph_builder.cli import parser
from graph_builder.config import Settings
from graph_builder.errors import ConfigError
from graph_builder.extract.runner import Extractor
from graph_builder.facts import write_facts
from graph_builder.graph import build_graph
from graph_builder.sinks.rdf import write_ntriples
from tests.factories import aramaki_corpus

#: Libraries an N-Triples export has no use for. (numpy and pandas are not among them: the facts store
#: is Parquet, read with pyarrow, which loads numpy, and resolution runs on pandas frames.)
UNUSED_BY_NTRIPLES = {"neo4j", "ladybug", "pyvis", "spacy", "trafilatura", "feedparser"}


def python(code: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_every_built_in_part_loads() -> None:
    for name in registry.names("sink"):
        assert callable(registry.sink(name)), name
        assert registry.filename(name), name
    assert registry.sink("ntriples") is write_ntriples
    assert registry.names("extractor") == ["rules"]
    assert registry.extractor() is Extractor
    # What the entries name meets the protocols: mypy checks these two assignments.
    sink: registry.Sink = write_ntriples
    factory: registry.ExtractorFactory = Extractor
    assert sink and factory


def test_export_choices_are_the_registry_s() -> None:
    offered = registry.names("sink", export=True)
    assert "ntriples" in offered and "neo4j-admin" in offered and "store" not in offered
    for name in offered:
        assert parser().parse_args(["export", "--format", name]).format == name
    with pytest.raises(SystemExit):
        parser().parse_args(["export", "--format", "store"])


def test_unknown_part_names_the_known_ones() -> None:
    with pytest.raises(ConfigError, match=r"no sink called 'nope'; known: .*ntriples.*turtle"):
        registry.sink("nope")
    with pytest.raises(ConfigError, match=r"no extractor called 'nope'; known: rules"):
        registry.extractor("nope")


def test_a_broken_entry_is_a_config_error_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry._ENTRIES, "sink", dict(registry._ENTRIES["sink"]))
    registry.register("sink", "gone", "graph_builder.sinks.no_such_module:write")
    with pytest.raises(ConfigError, match=r"sink 'gone': cannot load graph_builder\.sinks\.no_such_module:write"):
        registry.sink("gone")
    registry.register("sink", "constant", "graph_builder.registry:DEFAULT_EXTRACTOR")
    with pytest.raises(ConfigError, match="is not callable"):
        registry.sink("constant")
    with pytest.raises(ConfigError, match="not of the form 'module:attribute'"):
        registry.register("sink", "bad", "graph_builder.sinks.rdf")


def test_naming_parts_imports_none_of_them() -> None:
    result = python(
        """
        import json, sys
        from graph_builder import registry
        registry.names("sink"), registry.filename("html"), registry.entry("extractor", "rules")
        print(json.dumps(sorted(sys.modules)))
        """
    )
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout))
    assert not {m for m in loaded if m.startswith(("graph_builder.sinks", "graph_builder.extract"))}
    assert not loaded & {"networkx", "rdflib", "pandas", *UNUSED_BY_NTRIPLES}


def test_ntriples_export_imports_only_what_it_uses(tmp_path: Path) -> None:
    """`graph-builder export --format ntriples`, in a fresh interpreter: the file is right, and the
    Neo4j driver, LadybugDB, pyvis, spaCy and the article readers were never imported."""
    out = tmp_path / "out"
    out.mkdir()
    write_facts(aramaki_corpus(), out / "facts.jsonl")
    result = python(
        """
        import json, sys
        from graph_builder.cli import main
        code = main(["export", "--format", "ntriples", "--out", sys.argv[1]])
        print(json.dumps([code, sorted(sys.modules)]))
        """,
        str(out),
    )
    assert result.returncode == 0, result.stderr
    code, modules = json.loads(result.stdout)
    assert code == 0
    top = {m.split(".")[0] for m in modules}
    assert top & UNUSED_BY_NTRIPLES == set()
    assert "graph_builder.sinks.rdf" in modules
    exported = Graph().parse(out / "graph.nt", format="nt")
    expected = Graph()
    write_ntriples(build_graph(aramaki_corpus()), tmp_path / "direct.nt", Settings())
    expected.parse(tmp_path / "direct.nt", format="nt")
    assert len(exported) == len(expected) > 0


def test_a_sink_from_another_package_through_its_entry_point(tmp_path: Path) -> None:
    """An installed package's entry point (here a dist-info folder on the path) adds a sink the CLI offers."""
    plugins = tmp_path / "site"
    info = plugins / "acme_count-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-count\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[graph_builder.sinks]\nnodecount = acme_count:write\n", encoding="utf-8")
    (plugins / "acme_count.py").write_text(
        textwrap.dedent(
            """
            def write(graph, path, settings):
                path.write_text(str(graph.number_of_nodes()), encoding="utf-8")

            write.filename = "nodes.txt"
            """
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    out.mkdir()
    write_facts(aramaki_corpus(), out / "facts.jsonl")
    result = python(
        """
        import sys
        from graph_builder.cli import main
        sys.exit(main(["export", "--format", "nodecount", "--out", sys.argv[1]]))
        """,
        str(out),
        env={"PYTHONPATH": os.pathsep.join([str(plugins), os.environ.get("PYTHONPATH", "")])},
    )
    assert result.returncode == 0, result.stderr
    assert (out / "nodes.txt").read_text(encoding="utf-8") == str(build_graph(aramaki_corpus()).number_of_nodes())
    listed = python(
        """
        import sys
        from graph_builder import registry
        print(registry.names("sink", export=True), "acme_count" in sys.modules)
        """,
        env={"PYTHONPATH": os.pathsep.join([str(plugins), os.environ.get("PYTHONPATH", "")])},
    )
    assert listed.stdout.split("] ")[1].strip() == "False"  # listed, not imported
    assert "'nodecount'" in listed.stdout
