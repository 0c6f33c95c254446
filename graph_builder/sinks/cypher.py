"""Cypher helpers shared by the Neo4j loader and the neo4j-admin import files: one set of value rules."""

from __future__ import annotations

from typing import Any

from ..graph import LABELS


def constraint_queries() -> list[str]:
    return [
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:`{label}`) REQUIRE n.id IS UNIQUE"
        for label in LABELS
    ]


def cypher_order(text: str) -> bytes:
    """Sort key matching Cypher's ORDER BY on strings (UTF-16 code units, as Java compares them)."""
    return text.encode("utf-16-be")


def stored_props(data: dict[str, Any], schema: dict[str, str]) -> dict[str, Any]:
    """The non-None properties of `schema`, lists sorted and deduplicated the way the database keeps them."""
    out: dict[str, Any] = {}
    for key, kind in schema.items():
        value = data.get(key)
        if value is not None:
            if kind != "list":
                out[key] = value
            else:  # most lists hold one item: no sorting to do
                out[key] = list(value) if len(value) < 2 else sorted(set(value), key=cypher_order)
    return out
