"""The Cypher query library: `graph_builder/data/queries/NAME.cypher`, with engine-specific siblings.

Each file opens with a `//` comment block saying what it answers and which
parameters it takes. `NAME.<engine>.cypher` (engine `ladybug` or `neo4j`)
overrides `NAME.cypher` on that engine.
"""

from __future__ import annotations

import re
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

    @property
    def params(self) -> list[str]:
        body = "\n".join(line for line in self.text.splitlines() if not line.lstrip().startswith("//"))
        return sorted(set(_PARAM.findall(body)))

    @property
    def ordered(self) -> bool:
        return bool(re.search(r"\bORDER\s+BY\b", self.text, re.IGNORECASE))


def _read(path: Path, name: str) -> Query:
    text = path.read_text(encoding="utf-8")
    header = []
    for line in text.splitlines():
        if not line.lstrip().startswith("//"):
            break
        header.append(line.lstrip()[2:].strip())
    return Query(name, text, " ".join(h for h in header if h).strip())


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


def parse_params(pairs: list[str]) -> dict[str, object]:
    """`k=v` pairs; whole numbers become integers, everything else stays text."""
    params: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise QueryError(f"--param takes key=value, not {pair!r}")
        params[key] = int(value) if re.fullmatch(r"-?\d+", value) else value
    return params
