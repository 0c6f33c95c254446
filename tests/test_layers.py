"""Imports flow one way: CLI -> build/remove -> ingest, extract, graph, sinks -> model, text, lexicons.

The test reads every module of the package with `ast` (no import runs), resolves each import, also
those inside functions and under TYPE_CHECKING, to the module it names, and looks both ends up in
LAYERS: a module may import its own unit (the longest key of LAYERS it falls under) or a unit of a
lower layer, nothing else (two units of one layer do not import each other). It also fails on a
private name of another module (`from .x import _y`, `x._y`), and on a module the table does not
list, so a new module gets a layer before it gets callers.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "graph_builder"

#: Top-level packages of this repository that are not shipped: the product never imports them.
DEVELOPMENT = ("devtools", "tests")

#: Unit -> layer. A unit is a module or a package with all its modules; higher layers import lower ones.
LAYERS: dict[str, int] = {
    "graph_builder": 9,  # the package itself: the public names, loaded from the API on first use
    "graph_builder.api": 8,  # the Python API: build, extract, KnowledgeGraph
    "graph_builder.cli": 7,
    "graph_builder.review": 6,  # the curation commands: record a correction, rebuild, update Neo4j
    "graph_builder.explain": 5,  # `why`: an entity's facts with their sentences
    "graph_builder.remove": 6,
    "graph_builder.exports": 6,  # exports on demand: facts.jsonl and any sink's file, from the current build
    "graph_builder.build": 5,
    "graph_builder.distributed": 4,  # runs the extractor's batches on a Dask cluster
    "graph_builder.curation": 4,  # the curation file, applied to the graph of every build
    "graph_builder.assembly": 4,  # incremental graph assembly: refolds what changed, from a generation's state
    "graph_builder.extract.training": 4,  # fits the role scorer from gold files read by the readers
    "graph_builder.extract.event_training": 5,  # fits the event scorer with the role scorer's fit
    "graph_builder.sinks": 4,
    "graph_builder.sinks.store_loader": 1,  # the embedded store's loader process: runs a recorded script
    "graph_builder.graph": 3,
    "graph_builder.ingest": 3,
    "graph_builder.extract": 3,
    "graph_builder.queries": 3,
    "graph_builder.registry": 2,  # names sinks and extractors by string: it imports none of them
    "graph_builder.resolve": 2,
    "graph_builder.generations": 3,  # build folders: generations, the writer lock
    "graph_builder.factstore": 2,  # the Parquet facts parts and their index
    "graph_builder.delta": 2,  # what changed between two builds' graphs (GraphDelta), from stored digests
    "graph_builder.config": 1,
    "graph_builder.titles": 1,
    "graph_builder.frames": 1,  # map -> reduce on pandas here or dask.dataframe on a cluster
    "graph_builder.facts": 1,  # the facts codec (JSONL read and write), a core module
    "graph_builder.text": 0,
    "graph_builder.model": 0,
    "graph_builder.errors": 0,
    "graph_builder.atomic": 0,
    "graph_builder.collector": 0,  # pauses the cyclic garbage collector while a build or a load makes its rows
    "graph_builder.version": 0,
    "graph_builder.children": 0,  # child processes that end with their parent
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def unit(module: str) -> str | None:
    """The LAYERS key `module` falls under; the bare package name matches only itself."""
    parts = module.split(".")
    while parts:
        name = ".".join(parts)
        if name in LAYERS and (len(parts) > 1 or name == module):
            return name
        parts.pop()
    return None


@dataclass(frozen=True)
class Import:
    source: str
    target: str  # the module imported, or the module a name is taken from
    name: str | None  # the name taken with `from target import name`, else None
    line: int


def _is_package(module: str) -> bool:
    return MODULES.get(module, Path()).name == "__init__.py"


def _tree(module: str) -> ast.Module:
    return ast.parse(MODULES[module].read_text(encoding="utf-8"))


def imports(module: str, tree: ast.Module) -> list[Import]:
    """Every import of a package module in `module`, wherever in the file it stands."""
    package = module if _is_package(module) else module.rpartition(".")[0]
    found: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(module, a.name, None, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            for a in node.names:
                if f"{target}.{a.name}" in MODULES:  # `from . import registry` imports a module
                    found.append(Import(module, f"{target}.{a.name}", None, node.lineno))
                else:
                    found.append(Import(module, target, a.name, node.lineno))
    return [i for i in found if i.target.split(".")[0] in {"graph_builder", *DEVELOPMENT}]


def private_attributes(module: str, tree: ast.Module) -> list[str]:
    """`alias._name`, where `alias` is a package module imported into `module` by `from ... import`."""
    modules = {i.target.rpartition(".")[2] for i in imports(module, tree) if i.name is None}
    aliases = {
        a.asname or a.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for a in node.names
        if a.name in modules
    }
    return [
        f"{MODULES[module].relative_to(ROOT)}:{node.lineno}: uses the private name {node.value.id}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in aliases
        and _private(node.attr)
    ]


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


#: The one upward import the package makes, inside a method, with why. Keep this table short.
UPWARD_ALLOWED = {
    # `Article.from_text` normalises a string exactly as the readers do, so ids and offsets agree;
    # the import sits inside the method, so loading the model loads nothing else of ours.
    ("graph_builder.model", "graph_builder.ingest.normalise"),
}


def violations(module: str, tree: ast.Module) -> list[str]:
    where = MODULES[module].relative_to(ROOT)
    own = unit(module)
    if own is None:
        return [f"{where}: {module} has no layer; add it to LAYERS in tests/test_layers.py"]
    found = []
    for imp in imports(module, tree):
        other = unit(imp.target)
        if imp.target.split(".")[0] in DEVELOPMENT:
            found.append(f"{where}:{imp.line}: imports {imp.target}, development code the package does not ship")
        elif other is None:
            found.append(f"{where}:{imp.line}: imports {imp.target}, which has no layer in LAYERS")
        elif other != own and LAYERS[other] >= LAYERS[own] and (module, imp.target) not in UPWARD_ALLOWED:
            found.append(
                f"{where}:{imp.line}: {own} (layer {LAYERS[own]}) imports {imp.target} (layer {LAYERS[other]})"
            )
        if imp.name is not None and _private(imp.name) and imp.target != module:
            found.append(f"{where}:{imp.line}: imports the private name {imp.name} of {imp.target}")
    return found + private_attributes(module, tree)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_flow_down_and_leave_private_names_alone(module: str) -> None:
    assert violations(module, _tree(module)) == []


def test_the_checker_finds_upward_and_private_imports() -> None:
    """Read as if it were text.py (layer 0): each of these lines breaks a rule, and each is reported."""
    source = """
from .graph import LABELS
from .sinks import neo4j
from .sinks.neo4j import _props

def later():
    from .build import build
    return neo4j._driver
"""
    found = violations("graph_builder.text", ast.parse(source))
    assert [v.split(": ", 1)[1] for v in found] == [
        "graph_builder.text (layer 0) imports graph_builder.graph (layer 3)",
        "graph_builder.text (layer 0) imports graph_builder.sinks.neo4j (layer 4)",
        "graph_builder.text (layer 0) imports graph_builder.sinks.neo4j (layer 4)",
        "imports the private name _props of graph_builder.sinks.neo4j",
        "graph_builder.text (layer 0) imports graph_builder.build (layer 5)",
        "uses the private name neo4j._driver",
    ]
    assert violations("graph_builder.cli", ast.parse("from . import registry, errors\nfrom .sinks import rdf")) == []
    assert violations("graph_builder.sinks.neo4j", ast.parse("from devtools.neo4j_server import start")) == [
        "graph_builder/sinks/neo4j.py:1: imports devtools.neo4j_server, development code the package does not ship"
    ]
    assert unit("graph_builder.sinks.rdf") == "graph_builder.sinks"
    assert unit("graph_builder.nowhere") is None


def test_the_table_names_no_module_that_is_gone() -> None:
    """A row for a module that no longer exists would hide a mistake in the table."""
    units = {unit(m) for m in MODULES}
    assert sorted(set(LAYERS) - units - {"graph_builder.facts"}) == []


def test_no_test_module_imports_another() -> None:
    """Shared builders live in tests/factories.py; a test module importing another breaks importlib mode."""
    tests = {p.stem for p in (ROOT / "tests").glob("*.py")} - {"factories"}
    found = []
    for path in sorted((ROOT / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                found += [f"{path.name}:{node.lineno}: {n}" for n in names if n.split(".")[-1] in tests]
    assert found == []
