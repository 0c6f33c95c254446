"""The Cypher query library: `graph_builder/data/queries/NAME.cypher`, with engine-specific siblings.

Each file opens with a `//` comment block saying what it answers and which
parameters it takes. `NAME.<engine>.cypher` (engine `ladybug` or `neo4j`)
overrides `NAME.cypher` on that engine.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import QueryError

ENGINES = ("ladybug", "neo4j")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def library_dir() -> Path:
    """A project's own `./queries` folder when there is one, else the library shipped in the package."""
    local = Path.cwd() / "queries"
    if local.is_dir():
        return local
    packaged = Path(str(resources.files("graph_builder").joinpath("data", "queries")))
    if packaged.is_dir():
        return packaged
    raise QueryError("no query library found in the installed package; reinstall graph_builder, or pass a .cypher file")


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    description: str
    path: Path | None = None  # the file it was read from; None for Cypher given as text

    @property
    def params(self) -> list[str]:
        body = "\n".join(line for line in self.text.splitlines() if not line.lstrip().startswith("//"))
        return sorted(set(_PARAM.findall(body)))

    @property
    def ordered(self) -> bool:
        return bool(re.search(r"\bORDER\s+BY\b", self.text, re.IGNORECASE))


def _read(path: Path, name: str) -> Query:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:  # the content is never quoted: the file may be anything
        reason = "is not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else f"cannot be read ({exc.strerror})"
        raise QueryError(f"query file {path} {reason}; a query file holds Cypher") from None
    header = []
    for line in text.splitlines():
        if not line.lstrip().startswith("//"):
            break
        header.append(line.lstrip()[2:].strip())
    return Query(name, text, " ".join(h for h in header if h).strip(), path)


_POSITION = re.compile(r"line[: ]+(\d+)\D{1,12}(?:column|offset)[: ]+(\d+)", re.IGNORECASE)


def without_text(query: Query, error: QueryError) -> QueryError:
    """The engine's complaint about a query read from a file, without the text it quotes (only where it is)."""
    if query.path is None:
        return error
    found = _POSITION.search(str(error))
    where = f" at line {found[1]}, column {found[2]}" if found else ""
    return QueryError(f"query file {query.path}: the engine rejected the query{where} (the file's text is not shown)")


def names(directory: Path | None = None) -> list[str]:
    directory = directory or library_dir()
    return sorted(p.name.removesuffix(".cypher") for p in directory.glob("*.cypher") if p.name.count(".") == 1)


def get(name_or_text: str, engine: str, directory: Path | None = None) -> Query:
    """A library query by name, a .cypher file by path, or literal Cypher text."""
    if name_or_text.endswith(".cypher") and Path(name_or_text).is_file():
        path = Path(name_or_text)
        override = path.with_name(f"{path.stem}.{engine}.cypher")
        return _read(override if override.is_file() else path, path.stem)
    if re.fullmatch(r"[A-Za-z0-9_\-]+", name_or_text):
        directory = directory or library_dir()
        for path in (directory / f"{name_or_text}.{engine}.cypher", directory / f"{name_or_text}.cypher"):
            if path.is_file():
                return _read(path, name_or_text)
        known = ", ".join(names(directory))
        raise QueryError(f"no query called {name_or_text!r} in {directory}; known queries: {known}")
    return Query("inline", name_or_text, "")


#: How `--param name:TYPE=value` reads its value; a parameter without a type is text.
_BOOLS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def _bool(value: str) -> bool:
    if value.lower() not in _BOOLS:
        raise ValueError(value)
    return _BOOLS[value.lower()]


PARAM_TYPES: dict[str, Callable[[str], object]] = {"str": str, "int": int, "float": float, "bool": _bool}


#: Strings, quoted names and comments: what a keyword check must not look inside.
_OPAQUE = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`(?:[^`]|``)*`|//[^\n]*|/\*.*?(?:\*/|$)", re.DOTALL)
_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\S")
#: Clauses that read or write files, or change what the engine can reach; by engine.
_FILE_CLAUSES = {
    "ladybug": ("COPY", "LOAD", "INSTALL", "UNINSTALL", "ATTACH", "DETACH", "EXPORT", "IMPORT", "USE"),
    "neo4j": ("LOAD",),
}
#: Neo4j procedures (APOC) that read or write files or URLs.
_FILE_PROCEDURES = ("apoc.load.", "apoc.import.", "apoc.export.", "apoc.cypher.runfile", "apoc.log.")


def _words(cypher: str) -> list[str]:
    """The statement's tokens with strings, `quoted` names and comments blanked out."""
    return _TOKEN.findall(_OPAQUE.sub(" ' ", cypher))


def file_access(cypher: str, engine: str) -> str | None:
    """The clause of `cypher` that would reach the file system or an extension (e.g. `LOAD CSV`), or None.

    A parse-level check: a keyword counts only where it can start a clause, not inside a string or a
    quoted name, as a property (`n.load`), a variable (`load.name`), a label, a map key or a parameter, nor after `AS`.
    """
    tokens = _words(cypher)
    for i, token in enumerate(tokens):
        word = token.upper()
        before = tokens[i - 1].upper() if i else ""
        after = tokens[i + 1].upper() if i + 1 < len(tokens) else ""
        if before in {".", ":", "$", "AS"} or after in {":", "."}:
            continue
        if word == "DETACH" and after == "DELETE":
            continue
        if word in _FILE_CLAUSES[engine]:
            return f"{word} {tokens[i + 1]}" if after.isidentifier() else word
        if engine == "neo4j" and word == "CALL":
            name = "".join(tokens[i + 1 : i + 8]).lower()
            if name.startswith(_FILE_PROCEDURES):
                return f"CALL {name.partition('(')[0]}"
    return None


def refuse_file_access(cypher: str, engine: str) -> None:
    """Raise a QueryError when a read-only query would touch files (see `file_access`)."""
    clause = file_access(cypher, engine)
    if clause is not None:
        where = "the embedded store" if engine == "ladybug" else "Neo4j (without --write)"
        raise QueryError(
            f"{clause} ... reads or writes files or loads code, which read-only queries on {where} may not do; "
            "query the graph with MATCH ... RETURN, and use `graph-builder export` for files"
        )


def parse_params(pairs: list[str]) -> dict[str, object]:
    """`name=value` pairs as text (`007` stays `"007"`); `name:int=5`, `name:float=0.5`, `name:bool=true` and
    `name:str=x` say the type, so a value never changes type by the way it looks."""
    params: dict[str, object] = {}
    for pair in pairs:
        spec, sep, value = pair.partition("=")
        key, _, kind = spec.partition(":")
        if not sep or not key:
            raise QueryError(f"--param takes name=value or name:TYPE=value, not {pair!r}")
        kind = kind or "str"
        if kind not in PARAM_TYPES:
            raise QueryError(f"--param {key}: unknown type {kind!r}; use one of {', '.join(PARAM_TYPES)}")
        try:
            params[key] = PARAM_TYPES[kind](value)
        except ValueError:
            raise QueryError(f"--param {key}: {value!r} is not of type {kind}") from None
    return params
