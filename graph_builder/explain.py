"""`graph-builder why NAME`: every fact the graph holds about one entity, each with its evidence.

A journalist checking a fact wants the sentence, where it was published and how sure the
extractor was; the fact id printed with it is what `reject`, `accept` and `correct` take.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from .curation import find_entity
from .graph import FACT_RELATIONSHIPS
from .sinks.rdf import parse_span


@dataclass(frozen=True)
class Quote:
    """One sentence that states a fact, and the article it is from."""

    sentence: str
    article: str | None
    url: str | None
    published: str | None
    doc_id: str | None
    start: int
    end: int


@dataclass
class Statement:
    """One fact about the entity: what it says, how it was found, and the sentences behind it."""

    fact: str
    subject: str
    relation: str
    object: str
    detail: str | None
    confidence: float | None
    rules: list[str]
    curation: list[str]
    quotes: list[Quote] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_VERB = {"HOLDS": "holds", "PARTICIPATED_IN": "took part in", "ORGANISED": "organised"}


def explain(graph: nx.MultiDiGraph[str], query: str) -> tuple[str, list[Statement]]:
    """The entity `query` names and the facts about it: its own, and for an organisation those of its
    posts, for a place those of the events held there."""
    nid = find_entity(graph, query, ("Person", "Organisation", "Place", "Event"))
    edges: list[tuple[str, str, str]] = []
    for u, v, rel in [*graph.out_edges(nid, keys=True), *graph.in_edges(nid, keys=True)]:
        if rel in FACT_RELATIONSHIPS:
            edges.append((u, v, rel))
        elif rel == "ROLE_IN":  # an organisation: who holds its posts
            edges += [(p, u, k) for p, _, k in graph.in_edges(u, keys=True) if k == "HOLDS"]
        elif rel == "HELD_IN":  # a place: who took part in what was held there
            edges += [(p, u, k) for p, _, k in graph.in_edges(u, keys=True) if k in FACT_RELATIONSHIPS]
    statements = [_statement(graph, *e) for e in sorted(set(edges))]
    return nid, sorted(statements, key=lambda s: (s.relation, s.object, s.subject))


def _statement(graph: nx.MultiDiGraph[str], u: str, v: str, rel: str) -> Statement:
    d = graph.edges[u, v, rel]
    detail = d.get("status") if rel == "HOLDS" else d.get("as")
    dates = [x for x in (d.get("first_reported"), d.get("last_reported")) if x]
    if dates:
        detail = f"{detail}, reported {' to '.join(dict.fromkeys(dates))}"
    quotes = []
    for ref in d.get("spans", []):
        article_id, start, end = parse_span(ref)
        art = graph.nodes.get(f"article:{article_id}", {})
        text = graph.nodes[ref]["text"] if ref in graph else graph.graph.get("sentences", {}).get(ref, "")
        quotes.append(
            Quote(text, art.get("title"), art.get("url"), art.get("published"), art.get("doc_id"), start, end)
        )
    quotes.sort(key=lambda q: (q.published or "", q.doc_id or "", q.start))
    return Statement(
        fact=d.get("fact", ""),
        subject=graph.nodes[u]["name"],
        relation=_VERB[rel],
        object=graph.nodes[v]["name"],
        detail=detail,
        confidence=d.get("confidence"),
        rules=list(d.get("rules", [])),
        curation=list(d.get("curation", [])),
        quotes=quotes,
    )


def render(graph: nx.MultiDiGraph[str], nid: str, statements: list[Statement]) -> str:
    """The statements as text for a terminal."""
    node = graph.nodes[nid]
    aliases = [a for a in node.get("aliases") or [] if a != node["name"]]
    lines = [f"{node['name']} ({nid}), {node['label']}" + (f"; also: {', '.join(aliases)}" if aliases else "")]
    if not statements:
        lines.append("  no facts; only mentioned")
    for s in statements:
        lines.append("")
        lines.append(f"  {s.fact}  {s.subject} {s.relation} {s.object}" + (f" ({s.detail})" if s.detail else ""))
        how = [f"confidence {s.confidence:.2f}" if s.confidence is not None else "", "rules: " + ", ".join(s.rules)]
        if s.curation:
            how.append("curated: " + ", ".join(s.curation))
        lines.append("    " + "; ".join(filter(None, how)))
        for q in s.quotes:
            lines.append(f'    "{q.sentence}"')
            where = ", ".join(filter(None, [q.article, q.published, q.url]))
            lines.append(f"      {where} [{q.doc_id}, characters {q.start}-{q.end}]")
    return "\n".join(lines)
