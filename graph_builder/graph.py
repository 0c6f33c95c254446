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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from .delta import Reach
from .frames import Frames
from .model import ArticleFacts, EventFact, Evidence, RoleFact, furthest_status
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


#: One step of assembling an article into the graph, touching one node or one relationship:
#: (kind, key, payload). Kinds: "node" (first article wins), "edge" (provenance and merged properties),
#: "count" (MENTIONS count added), "once" (MENTIONS count 1 unless counted), "reported" (a HOLDS report
#: date with its status), "status" (a HOLDS status, when no report is dated: the furthest stage stated).
#: A node's key is its id, a relationship's (source, target, type).
Op = tuple[str, Any, Any]
EdgeKey = tuple[str, str, str]


@dataclass
class Contribution:
    """What one article adds to the graph, as ops, and the (label, name) look-ups they were made from.

    The ops are a function of the article's facts and of what its look-ups resolve to (ids and those
    entities' names), so an article whose look-ups resolve as before contributes the same ops again."""

    ops: list[Op]
    lookups: list[tuple[str, str]]


def entity_nodes(resolver: Resolver) -> dict[str, dict[str, Any]]:
    """The node properties of every resolved entity, by id: the nodes assembly starts from."""
    nodes: dict[str, dict[str, Any]] = {}
    for canon in sorted(resolver.entities.values(), key=lambda c: c.id):
        props: dict[str, Any] = {"id": canon.id, "label": canon.label, "name": canon.name, "aliases": canon.aliases}
        if canon.label != "Person":
            props["kind"] = canon.kind
        nodes[canon.id] = props
    return nodes


def signature(article_id: str, lookups: Iterable[tuple[str, str]], resolver: Resolver) -> str:
    """A digest of what an article's look-ups resolve to: the same digest, the same contribution."""
    digest = hashlib.blake2b(digest_size=12)
    for label, name in lookups:
        eid = resolver.id_of(article_id, label, name)
        canon = resolver.entities.get(eid) if eid else None
        digest.update(f"{label}\x1f{name}\x1f{eid}\x1f{canon.name if canon else ''}\x1e".encode())
    return digest.hexdigest()


class _Article:
    """Turns one article's facts into its contribution, reading entity names from the resolver alone."""

    def __init__(self, af: ArticleFacts, resolver: Resolver) -> None:
        self.af, self.resolver = af, resolver
        self.ops: list[Op] = []
        self.lookups: dict[tuple[str, str], None] = {}
        self.posts: set[str] = set()

    def lookup(self, label: str, name: str) -> str | None:
        self.lookups[(label, name)] = None
        return self.resolver.id_of(self.af.article.id, label, name)

    def name_of(self, eid: str) -> str:
        return self.resolver.entities[eid].name

    def node(self, nid: str, label: str, name: str, **props: Any) -> None:
        self.ops.append(("node", nid, {"id": nid, "label": label, "name": name, **props}))

    def edge(self, u: str, v: str, rel: str, evidence: Evidence | None = None, **props: Any) -> EdgeKey:
        ev = None if evidence is None else (evidence.article_id, evidence.ref, evidence.text)
        self.ops.append(("edge", (u, v, rel), (ev, props)))
        return (u, v, rel)

    def contribution(self) -> Contribution:
        af, art = self.af, self.af.article
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
        for name, count in af.mentions:
            for label in ("Person", "Organisation", "Place"):
                eid = self.lookup(label, name)
                if eid is not None:
                    self.ops.append(("count", (aid, eid, "MENTIONS"), count))
                    break
        for ent in af.entities:  # an entity the article names hangs off it, even where no mention was counted
            eid = self.lookup(ent.label, ent.name)
            if eid is not None:
                self.ops.append(("once", (aid, eid, "MENTIONS"), None))
        for ent in af.entities:
            if ent.label == "Organisation" and ent.kind == "government":
                place = self.lookup("Place", ent.aliases[0]) if ent.aliases else None
                government = self.lookup("Organisation", ent.name) if place else None
                if place and government:
                    self.edge(government, place, "BASED_IN")
        for role in af.roles:
            self.role(role)
        for event in af.events:
            self.event(event)
        return Contribution(self.ops, list(self.lookups))

    def post(self, title: str, organisation_id: str | None, holder_id: str | None) -> str:
        rid, ops = post_ops(title, organisation_id, holder_id, self.name_of)
        if rid not in self.posts:
            self.posts.add(rid)
            self.ops.extend(ops)
        return rid

    def role(self, role: RoleFact) -> None:
        art = self.af.article
        pid = self.lookup("Person", role.person)
        if pid is None:
            return
        oid = self.lookup("Organisation", role.organisation) if role.organisation else None
        rid = self.post(role.title, oid, pid)
        self.ops.append(("once", (f"article:{art.id}", rid, "MENTIONS"), None))
        key = self.edge(
            pid, rid, "HOLDS", role.evidence, title=role.title, confidence=role.confidence, rules=[role.rule]
        )
        if art.published:
            self.ops.append(("reported", key, (art.published, str(role.status))))
        self.ops.append(("status", key, str(role.status)))  # the bare word: graph formats know no enums

    def event(self, event: EventFact) -> None:
        art = self.af.article

        def party(name: str) -> str | None:
            return self.lookup("Person", name) or self.lookup("Organisation", name)

        parties = sorted({p for p in map(party, event.participants) if p})
        if event.name:
            eid = f"event:{slug(event.name)}"
        else:
            basis = "|".join([*parties, event.date or art.id])
            eid = f"event:{event.type}-{hashlib.sha1(basis.encode()).hexdigest()[:12]}"
        name = event.name or f"{event.type.capitalize()}: " + ", ".join(self.name_of(p) for p in parties)
        self.node(eid, "Event", name, type=event.type, date=event.date, aliases=[])
        self.ops.append(("once", (f"article:{art.id}", eid, "MENTIONS"), None))
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
            plid = self.lookup("Place", event.place)
            if plid:
                self.edge(eid, plid, "HELD_IN")


def post_ops(
    title: str, organisation_id: str | None, holder_id: str | None, name_of: Callable[[str], str]
) -> tuple[str, list[Op]]:
    """The id of the Role node of a title in an organisation (or, with none, of its holder alone), and the ops
    that add it with its ROLE_IN; `name_of` gives an entity's name by id."""
    rid = role_id(title, organisation_id, holder_id)
    name = (
        f"{title}, {name_of(organisation_id)}"
        if organisation_id
        else f"{title} ({name_of(str(holder_id))})"  # role_id refused a post with neither
    )
    props = {
        "id": rid,
        "label": "Role",
        "name": name,
        "title": title,
        "key": title_key(title),
        "organisation": organisation_id,
        "holder": None if organisation_id else holder_id,
    }
    ops: list[Op] = [("node", rid, props)]
    if organisation_id:
        ops.append(("edge", (rid, organisation_id, "ROLE_IN"), (None, {})))
    return rid, ops


def add_post(g: nx.MultiDiGraph[str], title: str, organisation_id: str | None, holder_id: str | None) -> str:
    """The Role node of a title in an organisation (or, with none, of its holder alone), added with its
    ROLE_IN when missing; returns its id."""
    rid = role_id(title, organisation_id, holder_id)
    if rid not in g:
        for op in post_ops(title, organisation_id, holder_id, lambda eid: str(g.nodes[eid]["name"]))[1]:
            apply_op(g, op)
    return rid


def contribution(af: ArticleFacts, resolver: Resolver) -> Contribution:
    """What `af` adds to the graph, given how the corpus resolves its names."""
    return _Article(af, resolver).contribution()


def apply_op(g: nx.MultiDiGraph[str], op: Op) -> None:
    """Fold one op into `g`; ops on one key are applied in article-id order, as a full build reads them."""
    kind, key, payload = op
    if kind == "node":
        if key not in g:
            g.add_node(key, **payload)
        return
    u, v, rel = key
    if not g.has_edge(u, v, key=rel):
        g.add_edge(u, v, key=rel, type=rel)
        if rel in FACT_RELATIONSHIPS:
            g.edges[u, v, rel]["fact"] = fact_id(rel, u, v)
    data = g.edges[u, v, rel]
    if kind == "count":
        data["count"] = data.get("count", 0) + payload
    elif kind == "once":
        data.setdefault("count", 1)
    elif kind == "status":
        if "last_reported" not in data:  # a dated report's status stands; see furthest_status
            data["status"] = furthest_status(data.get("status"), payload)
    elif kind == "reported":
        date, status = payload
        data["first_reported"] = min(filter(None, [data.get("first_reported"), date]))
        if date >= (data.get("last_reported") or ""):
            data["last_reported"] = date
            data["status"] = status
    else:
        evidence, props = payload
        if evidence is not None:
            article_id, ref, text = evidence
            data["articles"] = sorted({*data.get("articles", []), article_id})
            data["spans"] = sorted({*data.get("spans", []), ref})
            g.graph["sentences"][ref] = text
        for name, value in props.items():
            if name == "confidence":
                data[name] = max(value, data.get(name, 0.0))
            elif name == "rules":
                data[name] = sorted({*data.get(name, []), *value})
            elif value is not None:
                data.setdefault(name, value)


def drop_unattached_duplicates(g: nx.MultiDiGraph[str]) -> None:
    """A post reported without its organisation is the same post another article names with one.

    When a person holds "chief executive" unattached (a post of their own) and
    "chief executive" of exactly one organisation elsewhere, the unattached
    edge's provenance joins the attached one and the personal post goes.
    """
    for rid, data in list(g.nodes.items()):
        if data["label"] != "Role" or data.get("organisation"):
            continue
        pid = data["holder"]
        attached = [
            v
            for v in g.successors(pid)
            if g.has_edge(pid, v, key="HOLDS")
            and g.nodes[v].get("organisation")
            and same_post(g.nodes[v].get("key") or "", data["key"])
        ]
        if len(attached) != 1:
            continue
        loose = g.edges[pid, rid, "HOLDS"]
        kept = g.edges[pid, attached[0], "HOLDS"]
        for key in ("articles", "spans", "rules"):
            kept[key] = sorted({*kept.get(key, []), *loose.get(key, [])})
        kept["confidence"] = max(kept.get("confidence", 0.0), loose.get("confidence", 0.0))
        for aid, _, rel in list(g.in_edges(rid, keys=True)):
            if rel == "MENTIONS":
                apply_op(g, ("once", (aid, attached[0], "MENTIONS"), None))
        g.remove_node(rid)


def finish_reach(g: nx.MultiDiGraph[str], refolded: Reach) -> Reach:
    """What `finish` may make differ from the last build's graph, given the folded graph `g` (before `finish`)
    and the `refolded` reach of assembly (nodes whose folded properties changed, relationships refolded, and
    around the sentences their facts cite): besides those, around every holder of a post among them or at an
    end of a relationship refolded, and every post of those holders, each relationship (a post held without
    its organisation may fold into another post of its holder, taking its provenance and mentions along).
    Anything else comes out of `finish` as it did."""
    reach = Reach(set(refolded.nodes), set(refolded.relationships), set(refolded.around))
    ends = reach.nodes | {n for u, v, _ in reach.relationships for n in (u, v)}
    labels, pred, succ = g.nodes, g.pred, g.succ
    holders = {n for n in ends if n in g and labels[n]["label"] == "Person"}
    for n in ends:
        if n in g and labels[n]["label"] == "Role":
            holders.update(p for p, rels in pred[n].items() if "HOLDS" in rels)
    reach.around |= holders
    for p in holders:
        for v, rels in succ[p].items():
            if "HOLDS" in rels:
                reach.around.add(v)
                reach.around.update(rels["HOLDS"].get("spans", ()))
    return reach


def finish(g: nx.MultiDiGraph[str]) -> nx.MultiDiGraph[str]:
    """The graph of folded contributions made whole: personal duplicates of posts merged, evidence linked."""
    drop_unattached_duplicates(g)
    link_evidence(g)
    return g


def link_evidence(g: nx.MultiDiGraph[str]) -> None:
    """(Re)make the Sentence nodes and their IN_ARTICLE and STATES edges from the facts' `spans`.

    Called after any change to the facts (building, curating), so a sentence is linked to exactly the
    facts that cite it; a sentence no fact cites any more goes.
    """
    g.remove_nodes_from([n for n, d in g.nodes(data=True) if d["label"] == "Sentence"])
    sentences: dict[str, str] = g.graph.setdefault("sentences", {})
    facts = sorted(
        ((u, v, rel, data) for u, v, rel, data in g.edges(keys=True, data=True) if rel in FACT_RELATIONSHIPS),
        key=lambda e: e[:3],
    )
    # (sentence, the post or event it speaks of) -> the holders or parties it names, and the facts' ids;
    # gathered first, so each STATES edge's lists are sorted once, not once per fact citing it
    states: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for u, v, _, data in facts:
        for ref in data.get("spans", ()):
            holders, ids = states.setdefault((ref, v), (set(), set()))
            holders.add(u)
            ids.add(data["fact"])
    for (ref, target), (holders, ids) in states.items():
        if ref not in g:
            article_id, _, offsets = ref.rpartition(":")
            start, _, end = offsets.partition("-")
            text = sentences.get(ref, "")
            g.add_node(
                ref, id=ref, label="Sentence", name=text, text=text, start=int(start), end=int(end), article=article_id
            )
            if f"article:{article_id}" in g:
                g.add_edge(ref, f"article:{article_id}", key="IN_ARTICLE", type="IN_ARTICLE")
        g.add_edge(ref, target, key="STATES", type="STATES", holders=sorted(holders), facts=sorted(ids))


def build_graph(
    facts: Iterable[ArticleFacts], apart: dict[tuple[str, str], str] | None = None, frames: Frames | None = None
) -> nx.MultiDiGraph[str]:
    """Resolve entities across the articles and assemble the property graph.

    `apart` holds the (label, name key) pairs a user split off an entity (see `curation`).
    """
    facts = sorted(facts, key=lambda f: f.article.id)
    resolver = Resolver(facts, apart, frames)
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph(sentences={})
    for nid, props in entity_nodes(resolver).items():
        g.add_node(nid, **props)
    for af in facts:
        for op in contribution(af, resolver).ops:
            apply_op(g, op)
    return finish(g)


def nodes_of(g: nx.MultiDiGraph[str], label: str) -> list[dict[str, Any]]:
    """Node property dicts of one label, in id order."""
    return [d for _, d in sorted(g.nodes.items()) if d["label"] == label]


def edges_of(g: nx.MultiDiGraph[str], rel: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(source id, target id, properties) of one relationship type, in a stable order."""
    return sorted(((u, v, d) for u, v, k, d in g.edges(keys=True, data=True) if k == rel), key=lambda e: e[:2])
