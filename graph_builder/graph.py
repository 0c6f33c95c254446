"""The knowledge graph as a networkx MultiDiGraph, following DESIGN.md §3.

Nodes are keyed by their stable id and carry `label` plus the label's
properties. Edges are keyed by their relationship type, so there is one edge
of a type between two nodes, whose provenance lists (`articles`, `spans`)
grow as more articles state the same fact. `G.graph["sentences"]` maps each
span reference to its sentence text, for sinks that show or export evidence.

The graph is a pure function of the extracted facts: facts are read in
article-id order, so building from A+B or from B+A gives the same graph.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

import networkx as nx

from .model import ArticleFacts, EventFact, Evidence, RoleFact
from .resolve import Resolver
from .text import fold, slug

LABELS = ("Person", "Organisation", "Role", "Event", "Place", "Article")

#: Relationship type -> (allowed source labels, allowed target labels).
RELATIONSHIPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "HOLDS": (("Person",), ("Role",)),
    "ROLE_IN": (("Role",), ("Organisation",)),
    "PARTICIPATED_IN": (("Person", "Organisation"), ("Event",)),
    "ORGANISED": (("Organisation", "Person"), ("Event",)),
    "HELD_IN": (("Event",), ("Place",)),
    "BASED_IN": (("Organisation",), ("Place",)),
    "MENTIONS": (("Article",), ("Person", "Organisation", "Role", "Event", "Place")),
}

#: Properties each label carries besides `id`, `label` and `name`, with their types.
NODE_PROPERTIES: dict[str, dict[str, str]] = {
    "Person": {"aliases": "list"},
    "Organisation": {"aliases": "list", "kind": "str"},
    "Role": {"title": "str", "key": "str", "organisation": "str"},
    "Event": {"type": "str", "date": "str", "aliases": "list"},
    "Place": {"kind": "str", "aliases": "list"},
    "Article": {"title": "str", "url": "str", "published": "str", "source": "str", "doc_id": "str"},
}

PROVENANCE = {"articles": "list", "spans": "list", "confidence": "float", "rules": "list"}

#: Properties each relationship type carries, with their types.
EDGE_PROPERTIES: dict[str, dict[str, str]] = {
    "HOLDS": {"status": "str", "title": "str", "first_reported": "str", "last_reported": "str", **PROVENANCE},
    "ROLE_IN": {},
    "PARTICIPATED_IN": {"as": "str", **PROVENANCE},
    "ORGANISED": dict(PROVENANCE),
    "HELD_IN": {},
    "BASED_IN": {},
    "MENTIONS": {"count": "int"},
}

QUALIFIER_WORDS = frozenset(
    [
        "former",
        "ex",
        "then",
        "late",
        "acting",
        "interim",
        "incoming",
        "outgoing",
        "elect",
        "designate",
        "new",
        "current",
    ]
)


@cache
def _synonyms() -> dict[str, str]:
    text = resources.files("graph_builder").joinpath("data", "title_synonyms.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return {left.strip(): right.strip() for left, right in rows}


def title_key(title: str) -> str:
    """Normalised form of a title that names the post, not its holder's status: "ex-CEO" -> "chief executive"."""
    words = [w for w in fold(title.replace("-", " ")).split() if w not in QUALIFIER_WORDS]
    key = " ".join(words) or fold(title)
    return _synonyms().get(key, key)


def same_post(a: str, b: str) -> bool:
    """ "Trade and Industry Minister" and "Minister for Trade and Industry" name one post."""
    filler = {"for", "of", "and", "the"}
    return {w for w in a.split() if w not in filler} == {w for w in b.split() if w not in filler}


def role_id(title: str, organisation_id: str | None) -> str:
    where = organisation_id.split(":", 1)[1] if organisation_id else "unattached"
    return f"role:{where}/{slug(title_key(title))}"


class _Builder:
    def __init__(self, facts: list[ArticleFacts]) -> None:
        self.facts = sorted(facts, key=lambda f: f.article.id)
        self.resolver = Resolver(self.facts)
        self.g: nx.MultiDiGraph[str] = nx.MultiDiGraph(sentences={})

    def build(self) -> nx.MultiDiGraph[str]:
        for canon in sorted(self.resolver.entities.values(), key=lambda c: c.id):
            props: dict[str, Any] = {"aliases": canon.aliases}
            if canon.label != "Person":
                props["kind"] = canon.kind
            self.node(canon.id, canon.label, canon.name, **props)
        for af in self.facts:
            self.article(af)
        self._drop_unattached_duplicates()
        return self.g

    def _drop_unattached_duplicates(self) -> None:
        """A post reported without its organisation is the same post another article names with one.

        When a person holds "chief executive" unattached and "chief executive" of
        some organisation elsewhere, the unattached edge's provenance joins the
        attached one and the unattached post goes, unless someone else holds it.
        """
        for rid, data in list(self.g.nodes.items()):
            if data["label"] != "Role" or data.get("organisation"):
                continue
            for pid in list(self.g.predecessors(rid)):
                if not self.g.has_edge(pid, rid, key="HOLDS"):
                    continue
                attached = [
                    v
                    for v in self.g.successors(pid)
                    if self.g.has_edge(pid, v, key="HOLDS")
                    and v != rid
                    and same_post(self.g.nodes[v].get("key") or "", data["key"])
                    and self.g.nodes[v].get("organisation")
                ]
                if len(attached) != 1:
                    continue
                loose = self.g.edges[pid, rid, "HOLDS"]
                kept = self.g.edges[pid, attached[0], "HOLDS"]
                for key in ("articles", "spans", "rules"):
                    kept[key] = sorted({*kept.get(key, []), *loose.get(key, [])})
                self.g.remove_edge(pid, rid, key="HOLDS")
            if not any(k == "HOLDS" for _, _, k in self.g.in_edges(rid, keys=True)):
                self.g.remove_node(rid)

    def node(self, nid: str, label: str, name: str, **props: Any) -> None:
        if nid not in self.g:
            self.g.add_node(nid, id=nid, label=label, name=name, **props)

    def edge(self, u: str, v: str, rel: str, evidence: Evidence | None = None, **props: Any) -> dict[str, Any]:
        if not self.g.has_edge(u, v, key=rel):
            self.g.add_edge(u, v, key=rel, type=rel)
        data = self.g.edges[u, v, rel]
        if evidence is not None:
            data["articles"] = sorted({*data.get("articles", []), evidence.article_id})
            data["spans"] = sorted({*data.get("spans", []), evidence.ref})
            self.g.graph["sentences"][evidence.ref] = evidence.text
        for key, value in props.items():
            if key == "confidence":
                data[key] = max(value, data.get(key, 0.0))
            elif key == "rules":
                data[key] = sorted({*data.get(key, []), *value})
            elif value is not None:
                data.setdefault(key, value)
        return data

    def article(self, af: ArticleFacts) -> None:
        art = af.article
        aid = f"article:{art.id}"
        self.node(
            aid,
            "Article",
            art.title or art.doc_id,
            title=art.title,
            url=art.url,
            published=art.published,
            source=art.source,
            doc_id=art.doc_id,
        )
        lookup = self.resolver.id_of
        for name, count in af.mentions:
            for label in ("Person", "Organisation", "Place"):
                eid = lookup(art.id, label, name)
                if eid is not None:
                    data = self.edge(aid, eid, "MENTIONS")
                    data["count"] = data.get("count", 0) + count
                    break
        for ent in af.entities:
            if ent.label == "Organisation" and ent.kind == "government":
                place = lookup(art.id, "Place", ent.aliases[0]) if ent.aliases else None
                if place:
                    self.edge(lookup(art.id, "Organisation", ent.name) or "", place, "BASED_IN")
        for role in af.roles:
            self.role(af, role)
        for event in af.events:
            self.event(af, event)

    def role(self, af: ArticleFacts, role: RoleFact) -> None:
        art = af.article
        pid = self.resolver.id_of(art.id, "Person", role.person)
        if pid is None:
            return
        oid = self.resolver.id_of(art.id, "Organisation", role.organisation) if role.organisation else None
        rid = role_id(role.title, oid)
        org_name = self.g.nodes[oid]["name"] if oid else None
        self.node(
            rid,
            "Role",
            f"{role.title}, {org_name}" if org_name else role.title,
            title=role.title,
            key=title_key(role.title),
            organisation=oid,
        )
        if oid:
            self.edge(rid, oid, "ROLE_IN")
        self.edge(f"article:{art.id}", rid, "MENTIONS").setdefault("count", 1)
        data = self.edge(
            pid, rid, "HOLDS", role.evidence, title=role.title, confidence=role.confidence, rules=[role.rule]
        )
        date = art.published
        if date:
            data["first_reported"] = min(filter(None, [data.get("first_reported"), date]))
            if date >= (data.get("last_reported") or ""):
                data["last_reported"] = date
                data["status"] = role.status
        data.setdefault("status", role.status)

    def event(self, af: ArticleFacts, event: EventFact) -> None:
        art = af.article
        lookup = self.resolver.id_of

        def party(name: str) -> str | None:
            return lookup(art.id, "Person", name) or lookup(art.id, "Organisation", name)

        parties = sorted({p for p in map(party, event.participants) if p})
        if event.name:
            eid = f"event:{slug(event.name)}"
        else:
            basis = "|".join([*parties, event.date or art.id])
            eid = f"event:{event.type}-{hashlib.sha1(basis.encode()).hexdigest()[:12]}"
        name = event.name or f"{event.type.capitalize()}: " + ", ".join(self.g.nodes[p]["name"] for p in parties)
        self.node(eid, "Event", name, type=event.type, date=event.date, aliases=[])
        self.edge(f"article:{art.id}", eid, "MENTIONS").setdefault("count", 1)
        roles = dict(event.roles)
        for pname in event.participants:
            pid = party(pname)
            if pid:
                self.edge(
                    pid,
                    eid,
                    "PARTICIPATED_IN",
                    event.evidence,
                    confidence=event.confidence,
                    rules=[event.rule],
                    **{"as": roles.get(pname, "participant")},
                )
        for oname in event.organisers:
            oid = party(oname)
            if oid:
                self.edge(oid, eid, "ORGANISED", event.evidence, confidence=event.confidence, rules=[event.rule])
        if event.place:
            plid = lookup(art.id, "Place", event.place)
            if plid:
                self.edge(eid, plid, "HELD_IN")


def build_graph(facts: Iterable[ArticleFacts]) -> nx.MultiDiGraph[str]:
    """Resolve entities across the articles and assemble the property graph."""
    return _Builder(list(facts)).build()


def nodes_of(g: nx.MultiDiGraph[str], label: str) -> list[dict[str, Any]]:
    """Node property dicts of one label, in id order."""
    return [d for _, d in sorted(g.nodes.items()) if d["label"] == label]


def edges_of(g: nx.MultiDiGraph[str], rel: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(source id, target id, properties) of one relationship type, in a stable order."""
    return sorted(((u, v, d) for u, v, k, d in g.edges(keys=True, data=True) if k == rel), key=lambda e: e[:2])
