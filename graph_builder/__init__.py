"""graph_builder: news articles in, a knowledge graph of people, roles, organisations and events out.

    import graph_builder
    kg = graph_builder.build(["Ada Quill, chief executive of Korvane Mills, met Tomas Ferro in Lisbon."])
    kg.roles()

`build` and `extract` are the entry points; see docs/api.md. Names load on first use, so the
command line starts without pandas or spaCy.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:
    from .api import RDF_FORMATS, KnowledgeGraph, build, export, extract
    from .config import Settings, load_settings
    from .errors import GraphBuilderError
    from .model import Article, ArticleFacts, Entity, EventFact, Evidence, RoleFact

#: Public name -> the module that defines it.
_WHERE = {
    "RDF_FORMATS": "api",
    "KnowledgeGraph": "api",
    "build": "api",
    "export": "api",
    "extract": "api",
    "Settings": "config",
    "load_settings": "config",
    "GraphBuilderError": "errors",
    "Article": "model",
    "ArticleFacts": "model",
    "Entity": "model",
    "EventFact": "model",
    "Evidence": "model",
    "RoleFact": "model",
}

__all__ = [
    "RDF_FORMATS",
    "Article",
    "ArticleFacts",
    "Entity",
    "EventFact",
    "Evidence",
    "GraphBuilderError",
    "KnowledgeGraph",
    "RoleFact",
    "Settings",
    "__version__",
    "build",
    "export",
    "extract",
    "load_settings",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'graph_builder' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


#: Public functions named like a submodule (`graph_builder.build` the function, `graph_builder/build.py`).
_SHADOWED = frozenset({"build", "extract"})


class _Package(types.ModuleType):
    """`graph_builder.build` and `graph_builder.extract` are the functions: importing the submodules of the
    same names (which the import system binds on their parent) must not hide them. The submodules stay
    importable by their dotted names (`from graph_builder.build import Report`)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
