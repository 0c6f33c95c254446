"""The knowledge graph as a networkx MultiDiGraph, with the schema docs/schema.md describes.

Nodes are keyed by their stable id and carry `label` plus the label's
properties. Edges are keyed by their relationship type, so there is one edge
of a type between two nodes, whose provenance lists (`articles`, `spans`)
grow as more articles state the same fact. `G.graph["sentences"]` maps each
span reference to its sentence text, for sinks that show or export evidence.

Evidence is part of the graph too, so Cypher can follow a fact to its words:
each sentence is a `Sentence` node whose id is its span reference (the strings
in `spans`), `IN_ARTICLE` its article, and `STATES` the posts and events it
supports, with the ids of the holders or parties it names and of the facts.

Every fact (a HOLDS, PARTICIPATED_IN or ORGANISED edge) has a `fact` id made
from its ends alone, so adding unrelated articles never changes it and a
curation record can name it across builds.

The graph is a pure function of the extracted facts: facts are read in
article-id order, so building from A+B or from B+A gives the same graph.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

import networkx as nx

from .frames import Frames
from .model import ArticleFacts, EventFact, Evidence, RoleFact
from .resolve import Resolver
from .text import slug
from .titles import same_post, title_key

LABELS = ("Person", "Organisation", "Role", "Event", "Place", "Article", "Sentence")

#: Relationship type -> (allowed source labels, allowed target labels).
RELATIONSHIPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "HOLDS": (("Person",), ("Role",)),
    "ROLE_IN": (("Role",), ("Organisation",)),
    "PARTICIPATED_IN": (("Person", "Organisation"), ("Event",)),
    "ORGANISED": (("Organisation", "Person"), ("Event",)),
    "HELD_IN": (("Event",), ("Place",)),
    "BASED_IN": (("Organisation",), ("Place",)),
    "MENTIONS": (("Article",), ("Person", "Organisation", "Role", "Event", "Place")),
    "IN_ARTICLE": (("Sentence",), ("Article",)),
    "STATES": (("Sentence",), ("Role", "Event")),
}

#: Relationships that are facts: each carries provenance and a stable `fact` id.
FACT_RELATIONSHIPS = ("HOLDS", "PARTICIPATED_IN", "ORGANISED")
#: How each kind of fact's id starts, so a reader of `reject role-3f2a9c41d0` knows what is rejected.
FACT_PREFIX = {"HOLDS": "role", "PARTICIPATED_IN": "took-part", "ORGANISED": "organised"}

#: Properties each label carries besides `id`, `label` and `name`, with their types.
NODE_PROPERTIES: dict[str, dict[str, str]] = {
    "Person": {"aliases": "list"},
    "Organisation": {"aliases": "list", "kind": "str"},
    "Role": {"title": "str", "key": "str", "organisation": "str", "holder": "str"},
    "Event": {"type": "str", "date": "str", "aliases": "list"},
    "Place": {"kind": "str", "aliases": "list"},
    "Article": {"title": "str", "url": "str", "published": "str", "source": "str", "doc_id": "str"},
    "Sentence": {"text": "str", "start": "int", "end": "int", "article": "str"},
}

PROVENANCE = {
    "fact": "str",
    "articles": "list",
    "spans": "list",
    "confidence": "float",
    "rules": "list",
    "curation": "list",
}

#: Properties each relationship type carries, with their types.
EDGE_PROPERTIES: dict[str, dict[str, str]] = {
    "HOLDS": {"status": "str", "title": "str", "first_reported": "str", "last_reported": "str", **PROVENANCE},
    "ROLE_IN": {},
    "PARTICIPATED_IN": {"as": "str", **PROVENANCE},
    "ORGANISED": dict(PROVENANCE),
    "HELD_IN": {},
    "BASED_IN": {},
    "MENTIONS": {"count": "int"},
    "IN_ARTICLE": {},
    "STATES": {"holders": "list", "facts": "list"},
}


def schema_digest() -> str:
    """A digest of the schema above: a sink patched from a build under another schema is reloaded instead."""
    shape = repr((LABELS, RELATIONSHIPS, NODE_PROPERTIES, EDGE_PROPERTIES))
    return hashlib.sha256(shape.encode()).hexdigest()[:16]


def role_id(title: str, organisation_id: str | None, holder_id: str | None = None) -> str:
    """A post is a title in an organisation; a title with no known organisation is its holder's alone,
    so two strangers both called "chief executive" never share a node (nor a path through it)."""
    if organisation_id:
        where = organisation_id.split(":", 1)[1]
    elif holder_id:
        where = "person/" + holder_id.split(":", 1)[1]
    else:
        raise ValueError("a post with no organisation belongs to its holder: give holder_id")
    return f"role:{where}/{slug(title_key(title))}"


def fact_id(rel: str, source: str, target: str) -> str:
    """A fact's id, from what it links: the same in every build that states it, whatever else is added."""
    digest = hashlib.sha1(f"{source}|{rel}|{target}".encode()).hexdigest()[:10]
    return f"{FACT_PREFIX[rel]}-{digest}"


def add_post(g: nx.MultiDiGraph[str], title: str, organisation_id: str | None, holder_id: str | None) -> str:
    """The Role node of a title in an organisation (or, with none, of its holder alone), added with its
    ROLE_IN when missing; returns its id."""
    rid = role_id(title, organisation_id, holder_id)
    if rid not in g:
        name = (
            f"{title}, {g.nodes[organisation_id]['name']}"
            if organisation_id
            else f"{title} ({g.nodes[str(holder_id)]['name']})"  # role_id refused a post with neither
        )
        g.add_node(
            rid,
            id=rid,
            label="Role",
            name=name,
            title=title,
            key=title_key(title),
            organisation=organisation_id,
            holder=None if organisation_id else holder_id,
        )
        if organisation_id:
            g.add_edge(rid, organisation_id, key="ROLE_IN", type="ROLE_IN")
    return rid


class _Builder:
    def __init__(
        self, facts: list[ArticleFacts], apart: dict[tuple[str, str], str] | None = None, frames: Frames | None = None
    ) -> None:
        self.facts = sorted(facts, key=lambda f: f.article.id)
        self.resolver = Resolver(self.facts, apart, frames)
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
        link_evidence(self.g)
        return self.g

    def _drop_unattached_duplicates(self) -> None:
        """A post reported without its organisation is the same post another article names with one.

        When a person holds "chief executive" unattached (a post of their own) and
        "chief executive" of exactly one organisation elsewhere, the unattached
        edge's provenance joins the attached one and the personal post goes.
        """
        for rid, data in list(self.g.nodes.items()):
            if data["label"] != "Role" or data.get("organisation"):
                continue
            pid = data["holder"]
            attached = [
                v
                for v in self.g.successors(pid)
                if self.g.has_edge(pid, v, key="HOLDS")
                and self.g.nodes[v].get("organisation")
                and same_post(self.g.nodes[v].get("key") or "", data["key"])
            ]
            if len(attached) != 1:
                continue
            loose = self.g.edges[pid, rid, "HOLDS"]
            kept = self.g.edges[pid, attached[0], "HOLDS"]
            for key in ("articles", "spans", "rules"):
                kept[key] = sorted({*kept.get(key, []), *loose.get(key, [])})
            kept["confidence"] = max(kept.get("confidence", 0.0), loose.get("confidence", 0.0))
            for aid, _, rel in list(self.g.in_edges(rid, keys=True)):
                if rel == "MENTIONS":
                    self.edge(aid, attached[0], "MENTIONS").setdefault("count", 1)
            self.g.remove_node(rid)

    def node(self, nid: str, label: str, name: str, **props: Any) -> None:
        if nid not in self.g:
            self.g.add_node(nid, id=nid, label=label, name=name, **props)

    def edge(self, u: str, v: str, rel: str, evidence: Evidence | None = None, **props: Any) -> dict[str, Any]:
        if not self.g.has_edge(u, v, key=rel):
            self.g.add_edge(u, v, key=rel, type=rel)
            if rel in FACT_RELATIONSHIPS:
                self.g.edges[u, v, rel]["fact"] = fact_id(rel, u, v)
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
        for ent in af.entities:  # an entity the article names hangs off it, even where no mention was counted
            eid = lookup(art.id, ent.label, ent.name)
            if eid is not None:
                self.edge(aid, eid, "MENTIONS").setdefault("count", 1)
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
        rid = add_post(self.g, role.title, oid, pid)
        self.edge(f"article:{art.id}", rid, "MENTIONS").setdefault("count", 1)
        data = self.edge(
            pid,
            rid,
            "HOLDS",
            role.evidence,
            title=role.title,
            confidence=role.confidence,
            rules=[role.rule],
        )
        date = art.published
        if date:
            data["first_reported"] = min(filter(None, [data.get("first_reported"), date]))
            if date >= (data.get("last_reported") or ""):
                data["last_reported"] = date
                data["status"] = str(role.status)  # the bare word: graph formats know no enums
        data.setdefault("status", str(role.status))

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


def link_evidence(g: nx.MultiDiGraph[str]) -> None:
    """(Re)make the Sentence nodes and their IN_ARTICLE and STATES edges from the facts' `spans`.

    Called after any change to the facts (building, curating), so a sentence is linked to exactly the
    facts that cite it; a sentence no fact cites any more goes.
    """
    g.remove_nodes_from([n for n, d in g.nodes(data=True) if d["label"] == "Sentence"])
    sentences: dict[str, str] = g.graph.setdefault("sentences", {})
    for u, v, rel, data in sorted(g.edges(keys=True, data=True), key=lambda e: e[:3]):
        if rel not in FACT_RELATIONSHIPS:
            continue
        target = v  # the post or event the sentence speaks of; the holder or party is named on the edge
        for ref in data.get("spans", ()):
            if ref not in g:
                article_id, _, offsets = ref.rpartition(":")
                start, _, end = offsets.partition("-")
                text = sentences.get(ref, "")
                g.add_node(
                    ref,
                    id=ref,
                    label="Sentence",
                    name=text,
                    text=text,
                    start=int(start),
                    end=int(end),
                    article=article_id,
                )
                if f"article:{article_id}" in g:
                    g.add_edge(ref, f"article:{article_id}", key="IN_ARTICLE", type="IN_ARTICLE")
            if not g.has_edge(ref, target, key="STATES"):
                g.add_edge(ref, target, key="STATES", type="STATES", holders=[], facts=[])
            states = g.edges[ref, target, "STATES"]
            states["holders"] = sorted({*states["holders"], u})
            states["facts"] = sorted({*states["facts"], data["fact"]})


def build_graph(
    facts: Iterable[ArticleFacts], apart: dict[tuple[str, str], str] | None = None, frames: Frames | None = None
) -> nx.MultiDiGraph[str]:
    """Resolve entities across the articles and assemble the property graph.

    `apart` holds the (label, name key) pairs a user split off an entity (see `curation`).
    """
    return _Builder(list(facts), apart, frames).build()


def nodes_of(g: nx.MultiDiGraph[str], label: str) -> list[dict[str, Any]]:
    """Node property dicts of one label, in id order."""
    return [d for _, d in sorted(g.nodes.items()) if d["label"] == label]


def edges_of(g: nx.MultiDiGraph[str], rel: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(source id, target id, properties) of one relationship type, in a stable order."""
    return sorted(((u, v, d) for u, v, k, d in g.edges(keys=True, data=True) if k == rel), key=lambda e: e[:2])
