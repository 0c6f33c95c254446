"""One small registry for the pluggable parts: sinks (exporters) and extractors.

A module registers a part by decorating it; adding an exporter touches no
other module. Parts live in the `sinks` and `extract` packages, imported on
first look-up.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import TypeVar

from .errors import ConfigError

F = TypeVar("F", bound=Callable[..., object])

_PARTS: dict[str, dict[str, Callable[..., object]]] = {"sink": {}, "extractor": {}}
_META: dict[tuple[str, str], dict[str, object]] = {}
_PACKAGES = {"sink": "graph_builder.sinks", "extractor": "graph_builder.extract"}
_loaded: set[str] = set()


def register(kind: str, name: str, **meta: object) -> Callable[[F], F]:
    """Decorator: make `fn` available as the `kind` called `name`.

    `meta` holds facts about the part that callers need before running it,
    such as a sink's default file name (`filename="graph.ttl"`).
    """

    def deco(fn: F) -> F:
        _PARTS[kind][name] = fn
        _META[(kind, name)] = meta
        return fn

    return deco


def _load(kind: str) -> None:
    if kind in _loaded:
        return
    package = importlib.import_module(_PACKAGES[kind])
    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{info.name}")
    _loaded.add(kind)


def get(kind: str, name: str) -> Callable[..., object]:
    _load(kind)
    try:
        return _PARTS[kind][name]
    except KeyError:
        known = ", ".join(sorted(_PARTS[kind])) or "none"
        raise ConfigError(f"no {kind} called {name!r}; known: {known}") from None


def names(kind: str) -> list[str]:
    _load(kind)
    return sorted(_PARTS[kind])


def meta(kind: str, name: str) -> dict[str, object]:
    get(kind, name)
    return _META[(kind, name)]
