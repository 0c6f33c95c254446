"""The curation commands (`reject`, `accept`, `correct`): record a correction in the build folder, then
write a new generation with it, and update Neo4j when asked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .config import Settings
from .curation import FILENAME, append_record, check_record, find_entity, read_curation
from .errors import ConfigError
from .graph import FACT_RELATIONSHIPS, build_graph


@dataclass
class Outcome:
    """What one curation command recorded and what the rebuilt graph holds."""

    record: dict[str, Any]
    facts: dict[str, int] = field(default_factory=dict)
    neo4j: dict[str, int] | None = None

    def summary(self) -> str:
        lines = [f"recorded {self.record['id']} ({self.record['op']}) in {FILENAME}"]
        if self.facts:
            lines.append("graph: " + ", ".join(f"{v} {k}" for k, v in self.facts.items()))
        if self.neo4j is not None:
            lines.append("Neo4j: " + ", ".join(f"{v} {k}" for k, v in self.neo4j.items()))
        return "\n".join(lines)


def curate(rec: dict[str, Any], settings: Settings, neo4j: Settings | None = None) -> Outcome:
    """Record one correction in the build folder and write a new generation of every output (and Neo4j, when
    given) with it.

    The fact or entities it names must be in the curated graph as it stands; entity names are stored
    as ids, so the record means the same entity in later builds.
    """
    from .build import build, load_graph
    from .generations import writer_lock

    out = settings.out_dir
    check_record(rec)
    before = load_graph(settings)
    facts = {d["fact"]: (u, v, k) for u, v, k, d in before.edges(keys=True, data=True) if k in FACT_RELATIONSHIPS}
    if rec.get("fact") and rec["fact"] not in facts:
        raise ConfigError(f"no fact {rec['fact']!r} in the build in {out}; `graph-builder why NAME` lists fact ids")
    if rec["op"] == "correct" and facts[rec["fact"]][2] != "HOLDS":
        raise ConfigError("only a post held (a fact id starting role-) can be corrected; reject other facts")
    if rec.get("entity"):
        rec = {**rec, "entity": find_entity(before, rec["entity"])}
    if rec.get("entities"):
        rec = {**rec, "entities": [find_entity(before, e) for e in rec["entities"]]}
    with writer_lock(out, "curation", settings.wait):
        rec = append_record(out, rec)
    graphs: list[nx.MultiDiGraph[str]] = []
    report = build([], settings, on_graph=graphs.append)  # the curation file is part of the build's fingerprint
    outcome = Outcome(rec, report.facts)
    if neo4j is not None:
        from .sinks.neo4j import update_graph

        outcome.neo4j = update_graph(before, graphs[0], neo4j)
    return outcome


def withdraw_from_neo4j(graph: nx.MultiDiGraph[str], settings: Settings, neo4j: Settings) -> dict[str, int]:
    """Take out of Neo4j what the curation file took out of `graph`, the graph of the build in
    `settings.out_dir`: a database loaded before a correction (or by a build that had not yet
    seen it) still holds the uncorrected facts, and loading is additive."""
    if not graph.graph.get("curation"):
        return {}
    from .build import load_facts
    from .sinks.neo4j import update_graph

    raw = build_graph(load_facts(settings), apart=read_curation(settings.out_dir).splits())
    return update_graph(raw, graph, neo4j)
