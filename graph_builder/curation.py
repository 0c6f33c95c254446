"""Corrections a user makes to the graph, kept in the build folder and applied at every build.

`curation.jsonl` holds one JSON record a line, appended by `graph-builder reject`, `accept` and
`correct`; it is plain text, so it diffs and can live in git. Each build resolves the entities
(keeping apart the names a `split` names), then applies the records in file order to the graph,
so every sink written from that graph (store, Neo4j, RDF, HTML, gold export) shows the curated
facts, and a record naming a fact the build no longer has is skipped with a warning and kept.
`curate_facts` carries the same records back to each article's facts, for `facts.jsonl`.

Records (`id` and `at` are added when written):

- `{"op": "reject", "fact": FACT_ID}` or `{"op": "reject", "entity": ENTITY_ID}`: the fact, or the
  entity with all its facts, is not in the graph;
- `{"op": "accept", "fact": FACT_ID}`: the fact is confirmed (confidence 1.0); it undoes an earlier
  reject of the same fact;
- `{"op": "correct", "fact": FACT_ID, "organisation": NAME|null, "status": S, "title": T}`: a post's
  organisation, status or title as it should be (any of the three);
- `{"op": "merge", "entities": [KEEP_ID, OTHER_ID]}`: two entities that are one;
- `{"op": "split", "entity": ENTITY_ID, "names": [NAME, ...]}`: the mentions by these names are
  another entity.

Fact ids come from what a fact links (`graph.fact_id`), so they stay put when articles are added.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx

from .config import CURATION_FILE
from .errors import ConfigError, InputError
from .frames import Frames
from .graph import FACT_RELATIONSHIPS, add_post, build_graph, fact_id, link_evidence
from .model import ArticleFacts, RoleFact, Status, furthest_status
from .text import name_key, slug
from .titles import title_key

FILENAME = CURATION_FILE  # the name tests and commands know it by

log = logging.getLogger("graph_builder")

OPS = ("reject", "accept", "correct", "merge", "split")
#: What a `correct` record may set on a post held.
CORRECTABLE = ("organisation", "status", "title")

Edge = tuple[str, str, str]  # (source id, target id, relationship type)


@dataclass
class Curation:
    """The records of one build folder's curation file, in the order they were made."""

    records: list[dict[str, Any]] = field(default_factory=list)

    def splits(self) -> dict[tuple[str, str], str]:
        """(label, name key) -> the entity id the name is split from, for the resolver."""
        label_of = {"person": "Person", "org": "Organisation", "place": "Place"}
        apart: dict[tuple[str, str], str] = {}
        for rec in self.records:
            if rec["op"] == "split":
                label = label_of.get(rec["entity"].split(":", 1)[0])
                if label:
                    apart.update({(label, name_key(n)): rec["entity"] for n in rec["names"]})
        return apart


def path_of(out_dir: Path) -> Path:
    return out_dir / FILENAME


def read_curation(out_dir: Path) -> Curation:
    """The curation file of a build folder (empty when there is none); a damaged line is named and skipped."""
    path = path_of(out_dir)
    if not path.exists():
        return Curation()
    records = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                records.append(check_record(json.loads(line)))
            except (json.JSONDecodeError, ConfigError) as exc:
                log.warning("%s", InputError(str(path), f"curation record skipped: {exc}", n))
    return Curation(records)


def check_record(rec: Any) -> dict[str, Any]:
    """The record if it is one `apply` understands; ConfigError saying what is wrong otherwise."""
    if not isinstance(rec, dict) or rec.get("op") not in OPS:
        raise ConfigError(f"a curation record is an object whose op is one of {', '.join(OPS)}")
    op = rec["op"]
    if op in ("reject", "accept") and not isinstance(rec.get("fact") or rec.get("entity"), str):
        raise ConfigError(f"a {op} record names a fact (or, for reject, an entity)")
    if op == "correct":
        if not isinstance(rec.get("fact"), str) or not any(k in rec for k in CORRECTABLE):
            raise ConfigError(f"a correct record names a fact and one of {', '.join(CORRECTABLE)}")
        if "status" in rec and rec["status"] not in set(Status):
            raise ConfigError(f"status must be one of {', '.join(Status)}, not {rec['status']!r}")
    if op == "merge" and not (isinstance(rec.get("entities"), list) and len(rec["entities"]) == 2):
        raise ConfigError("a merge record names two entities: the one to keep, then the one that is the same")
    if op == "split" and not (isinstance(rec.get("entity"), str) and rec.get("names")):
        raise ConfigError("a split record names an entity and the names that belong to another one")
    return rec


def append_record(out_dir: Path, rec: dict[str, Any]) -> dict[str, Any]:
    """Add one record to the curation file, with its time and an id made from its content."""
    check_record(rec)
    rec = {"at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), **rec}
    body = json.dumps(rec, ensure_ascii=False, sort_keys=True)
    rec = {"id": "c-" + hashlib.sha1(body.encode()).hexdigest()[:10], **rec}
    with open(path_of(out_dir), "a", encoding="utf-8") as fh:
        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return rec


def apply_curation(facts: Iterable[ArticleFacts], out_dir: Path, frames: Frames | None = None) -> nx.MultiDiGraph[str]:
    """The graph of `facts` with the curation file of `out_dir` applied: what every sink writes. Resolution
    runs on `frames` (default pandas in this process)."""
    return curate(list(facts), out_dir, frames=frames)[0]


def curate(
    facts: list[ArticleFacts], out_dir: Path, carry_back: bool = False, frames: Frames | None = None
) -> tuple[nx.MultiDiGraph[str], list[ArticleFacts]]:
    """The curated graph of `facts` and, with `carry_back`, each article's facts as that graph states them
    (see `curate_facts`), from one resolution: a build writing `facts.jsonl` resolves once, not twice.
    Without curation records, or without `carry_back`, the facts come back as they are."""
    curation = read_curation(out_dir)
    graph = build_graph(facts, apart=curation.splits(), frames=frames)
    stated = _Statements(graph) if carry_back and curation.records else None  # taken before the records apply
    curator = _Curator(graph)
    curator.apply(curation.records)
    return graph, facts if stated is None else [stated.curated(af, curator) for af in facts]


def curate_facts(facts: list[ArticleFacts], out_dir: Path) -> list[ArticleFacts]:
    """Each article's facts as the curated graph states them: rejected facts and entities gone, corrected
    posts with their new organisation, title or status, merged entities under the name kept, accepted facts
    at confidence 1.0. Without curation records, the facts as they are."""
    return curate(facts, out_dir, carry_back=True)[1]


def find_entity(
    graph: nx.MultiDiGraph[str], query: str, labels: Iterable[str] = ("Person", "Organisation", "Place")
) -> str:
    """The id of the entity a user means by an id, name or alias; ConfigError when none or several match."""
    wanted = set(labels)
    if query in graph and graph.nodes[query]["label"] in wanted:
        return str(query)
    key = name_key(query)
    found = sorted(
        n
        for n, d in graph.nodes(data=True)
        if d["label"] in wanted and key in {name_key(x) for x in [d["name"], *(d.get("aliases") or [])]}
    )
    named = [n for n in found if name_key(graph.nodes[n]["name"]) == key]
    if len(named) == 1 or len(found) == 1:
        return str((named or found)[0])
    if not found:
        raise ConfigError(f"no {' or '.join(sorted(wanted)).lower()} called {query!r} in the build")
    raise ConfigError(f"{query!r} names several entities ({', '.join(found)}); give the id")


class _Curator:
    """Applies records to one graph, following facts whose ids change when a record moves them."""

    def __init__(self, graph: nx.MultiDiGraph[str]) -> None:
        self.g = graph
        self.facts: dict[str, Edge] = {
            d["fact"]: (u, v, rel) for u, v, rel, d in graph.edges(keys=True, data=True) if rel in FACT_RELATIONSHIPS
        }
        self.moved: dict[str, str] = {}  # old fact id -> its id after a correction or merge
        self.changes: dict[str, dict[str, Any]] = {}  # fact id a correction made -> the fields it set
        self.accepted: set[str] = set()
        self.merged: dict[str, str] = {}  # entity merged into another -> the one kept
        self.gone: set[str] = set()  # entities rejected
        graph.graph["curation"] = []

    def apply(self, records: list[dict[str, Any]]) -> None:
        settled = _last_word(records)
        for rec in records:
            if rec["op"] in ("reject", "accept") and rec.get("fact") and settled[rec["fact"]] is not rec:
                continue  # a later accept or reject of the same fact decides
            done = getattr(self, rec["op"])(rec)
            if done is None:
                log.warning(
                    "curation record %s (%s): %s is not in this build; the record is kept for later builds",
                    rec.get("id", "?"),
                    rec["op"],
                    rec.get("fact") or rec.get("entity") or rec.get("entities"),
                )
                continue
            self.g.graph["curation"].append({**rec, "affects": done})
        link_evidence(self.g)

    def _fact(self, fid: str) -> Edge | None:
        return self.facts.get(self.chain(fid)[-1])

    def chain(self, fid: str) -> list[str]:
        """The ids one fact has had, from `fid` to its id now."""
        ids = [fid]
        while ids[-1] in self.moved:
            ids.append(self.moved[ids[-1]])
        return ids

    def _entity(self, ref: str) -> str | None:
        try:
            return find_entity(self.g, ref)
        except ConfigError:
            return None

    def reject(self, rec: dict[str, Any]) -> dict[str, list[Edge]] | None:
        if rec.get("fact"):
            edge = self._fact(rec["fact"])
            if edge is None:
                return None
            self._drop_edge(edge)
            return {"invalidated": [edge]}
        nid = self._entity(rec["entity"])
        if nid is None:
            return None
        posts = [u for u, _, k in self.g.in_edges(nid, keys=True) if k == "ROLE_IN"]  # an organisation's posts
        gone = [
            edge
            for n in [nid, *posts]
            for edge in [*self.g.in_edges(n, keys=True), *self.g.out_edges(n, keys=True)]
            if edge[2] in FACT_RELATIONSHIPS
        ]
        for edge in gone:
            if self.g.has_edge(*edge):
                self._drop_edge(edge)
        if nid in self.g:
            self.g.remove_node(nid)
        self.gone.add(nid)
        return {"invalidated": gone}

    def accept(self, rec: dict[str, Any]) -> dict[str, list[Edge]] | None:
        edge = self._fact(rec["fact"])
        if edge is None:
            return None
        data = self.g.edges[edge]
        data["confidence"] = 1.0
        data["curation"] = sorted({*data.get("curation", []), rec.get("id", "")} - {""})
        self.accepted.add(data["fact"])
        return {"confirmed": [edge]}

    def correct(self, rec: dict[str, Any]) -> dict[str, list[Edge]] | None:
        edge = self._fact(rec["fact"])
        if edge is None or edge[2] != "HOLDS":
            return None
        pid, rid, _ = edge
        data = dict(self.g.edges[edge])
        if "status" in rec:
            data["status"] = rec["status"]
        post = self.g.nodes[rid]
        title = rec.get("title") or data.get("title") or post["title"]
        oid = post.get("organisation")
        if "organisation" in rec:
            oid = self._organisation(rec["organisation"]) if rec["organisation"] else None
        data["title"] = title
        data["curation"] = sorted({*data.get("curation", []), rec.get("id", "")} - {""})
        target = add_post(self.g, title, oid, pid)
        self._drop_edge(edge, keep_post=target == rid)
        revised = self._add_edge(pid, target, "HOLDS", data)
        fid = self.g.edges[revised]["fact"]
        self.changes[fid] = {**self.changes.get(fid, {}), **{k: rec[k] for k in ("status", "title") if k in rec}}
        return {"revised": [revised], "was": [edge]}

    def merge(self, rec: dict[str, Any]) -> dict[str, list[Edge]] | None:
        keep, other = (self._entity(ref) for ref in rec["entities"])
        if keep is None or other is None or keep == other:
            return None
        if self.g.nodes[keep]["label"] != self.g.nodes[other]["label"]:
            log.warning("curation record %s: %s and %s are of different kinds; not merged", rec.get("id"), keep, other)
            return None
        k, o = self.g.nodes[keep], self.g.nodes[other]
        k["aliases"] = sorted({*(k.get("aliases") or []), o["name"], *(o.get("aliases") or [])} - {k["name"]})
        # Posts in the other organisation, and posts the other person held alone, become posts of `keep`.
        posts = {
            u: add_post(self.g, self.g.nodes[u]["title"], keep, None)
            for u, _, r in self.g.in_edges(other, keys=True)
            if r == "ROLE_IN"
        }
        posts.update(
            {
                v: add_post(self.g, self.g.nodes[v]["title"], None, keep)
                for _, v, r in self.g.out_edges(other, keys=True)
                if r == "HOLDS" and self.g.nodes[v].get("holder") == other
            }
        )
        moved = []
        for u, v, rel, data in [
            *self.g.in_edges(other, keys=True, data=True),
            *self.g.out_edges(other, keys=True, data=True),
        ]:
            if u in posts or v in posts:
                continue
            self._drop_edge((u, v, rel), keep_post=True)
            moved.append(self._add_edge(keep if u == other else u, keep if v == other else v, rel, data))
        for old, new in posts.items():
            moved += self._move_post(old, new)
        self.g.remove_node(other)
        self.merged[other] = keep
        return {"revised": [e for e in moved if e[2] in FACT_RELATIONSHIPS]}

    def split(self, rec: dict[str, Any]) -> dict[str, list[Edge]] | None:
        # Done by the resolver before the graph was built; recorded here for the provenance export.
        return {"revised": []} if rec["entity"] in self.g else None

    # -- editing helpers ------------------------------------------------------------------------
    def _organisation(self, ref: str) -> str:
        """The organisation a correction names: an existing one, else a new node of that name."""
        found = self._entity_of(ref, "Organisation")
        if found:
            return found
        oid = f"org:{slug(name_key(ref))}"
        self.g.add_node(oid, id=oid, label="Organisation", name=ref, aliases=[], kind=None)
        return oid

    def _entity_of(self, ref: str, label: str) -> str | None:
        try:
            return find_entity(self.g, ref, (label,))
        except ConfigError:
            return None

    def _move_post(self, old: str, new: str) -> list[Edge]:
        """Move who holds (and which articles mention) one post to another, and drop the old one."""
        moved = []
        for u, _, rel, data in list(self.g.in_edges(old, keys=True, data=True)):
            if rel in ("HOLDS", "MENTIONS"):
                self._drop_edge((u, old, rel), keep_post=True)
                moved.append(self._add_edge(u, new, rel, data))
        self.g.remove_node(old)
        return moved

    def _add_edge(self, u: str, v: str, rel: str, data: dict[str, Any]) -> Edge:
        """Put a fact (or any relationship) between u and v, joining the provenance of one already there."""
        data = dict(data)
        old_fact = data.get("fact")
        if self.g.has_edge(u, v, key=rel):
            data = _joined(self.g.edges[u, v, rel], data)
            self.g.remove_edge(u, v, key=rel)
        if rel in FACT_RELATIONSHIPS:
            data["fact"] = fact_id(rel, u, v)
            self.facts[data["fact"]] = (u, v, rel)
            if old_fact and old_fact != data["fact"]:
                self.moved[old_fact] = data["fact"]
        data["type"] = rel
        self.g.add_edge(u, v, key=rel, **data)
        return (u, v, rel)

    def _drop_edge(self, edge: Edge, keep_post: bool = False) -> None:
        u, v, rel = edge
        fid = self.g.edges[edge].get("fact")
        self.g.remove_edge(u, v, key=rel)
        if fid is not None:
            self.facts.pop(fid, None)
        if not keep_post:
            self._drop_orphan_posts([v])

    def _drop_orphan_posts(self, nodes: list[str]) -> None:
        """A post nobody holds any more goes, with its ROLE_IN and mentions."""
        for n in nodes:
            if (
                n in self.g
                and self.g.nodes[n]["label"] == "Role"
                and not any(k == "HOLDS" for _, _, k in self.g.in_edges(n, keys=True))
            ):
                self.g.remove_node(n)


class _Statements:
    """Which fact of a graph each statement of an article made, found by its sentence and its holder or party,
    so the fate curation gave the fact can be carried back to the statement."""

    def __init__(self, graph: nx.MultiDiGraph[str]) -> None:
        self.g = graph
        self.by_span: dict[tuple[str, str], list[tuple[str, Edge]]] = {}
        for u, v, rel, d in graph.edges(keys=True, data=True):
            for ref in d.get("spans", ()) if rel in FACT_RELATIONSHIPS else ():
                self.by_span.setdefault((ref, rel), []).append((d["fact"], (u, v, rel)))
        self.keys = {n: {name_key(x) for x in [d["name"], *(d.get("aliases") or [])]} for n, d in graph.nodes.items()}
        self.post_key = {n: d.get("key") for n, d in graph.nodes.items() if d["label"] == "Role"}
        self.post_org = {n: d.get("organisation") for n, d in graph.nodes.items() if d["label"] == "Role"}
        self.named: dict[str, dict[tuple[str, str], str]] = {}  # article id -> (label, name key) -> entity
        for u, v, rel in graph.edges(keys=True):
            if rel == "MENTIONS" and graph.nodes[v]["label"] in ("Person", "Organisation", "Place"):
                names = self.named.setdefault(u.split(":", 1)[1], {})
                names.update({(graph.nodes[v]["label"], k): v for k in self.keys[v]})

    def fact(self, rel: str, ref: str, name: str, title: str | None = None) -> tuple[str, Edge] | None:
        """The fact of type `rel` that sentence `ref` states of the holder or party called `name`."""
        found = [(f, e) for f, e in self.by_span.get((ref, rel), []) if name_key(name) in self.keys[e[0]]]
        if title is not None and len(found) > 1:
            found = [(f, e) for f, e in found if self.post_key[e[1]] == title_key(title)] or found
        return min(found) if found else None

    def curated(self, af: ArticleFacts, cur: _Curator) -> ArticleFacts:
        """The article's facts after the curator's records."""
        aid, g = af.article.id, cur.g
        named = self.named.get(aid, {})

        def fate(name: str, labels: Iterable[str] = ("Person", "Organisation", "Place")) -> str | None:
            """The name the entity called `name` has now (the kept one's, after a merge); None when rejected."""
            was = next((named[(label, name_key(name))] for label in labels if (label, name_key(name)) in named), None)
            nid = was
            while nid in cur.merged:
                nid = cur.merged[nid]
            if nid is None or nid == was:
                return None if nid in cur.gone else name
            return None if nid in cur.gone else str(g.nodes[nid]["name"])

        def party(rel: str, ref: str, name: str) -> str | None:
            found = self.fact(rel, ref, name)
            if found is None:
                return name  # the statement made no fact of the graph: curation cannot have touched it
            now = cur._fact(found[0])
            return None if now is None else (name if now[0] == found[1][0] else str(g.nodes[now[0]]["name"]))

        roles = [r for r in (self._role(r, cur) for r in af.roles) if r is not None]
        events = []
        for e in af.events:
            ref = e.evidence.ref
            who = {p: party("PARTICIPATED_IN", ref, p) for p in e.participants}
            by = {o: party("ORGANISED", ref, o) for o in e.organisers}
            if (e.participants or e.organisers) and not any(who.values()) and not any(by.values()):
                continue
            place = fate(e.place, ["Place"]) if e.place else None
            events.append(
                replace(
                    e,
                    participants=tuple(n for n in who.values() if n),
                    organisers=tuple(n for n in by.values() if n),
                    place=place,
                    roles=tuple((n, r) for p, r in e.roles if (n := who.get(p))),
                )
            )
        entities = []
        for ent in af.entities:
            now = fate(ent.name, [ent.label])
            if now is not None:
                aliases = ent.aliases if now == ent.name else tuple(dict.fromkeys((*ent.aliases, ent.name)))
                entities.append(replace(ent, name=now, aliases=aliases))
        mentions: dict[str, int] = {}
        for n, c in af.mentions:
            now = fate(n)
            if now is not None:
                mentions[now] = mentions.get(now, 0) + c
        return replace(
            af,
            entities=tuple(entities),
            roles=tuple(roles),
            events=tuple(events),
            mentions=tuple(sorted(mentions.items())),
        )

    def _role(self, r: RoleFact, cur: _Curator) -> RoleFact | None:
        found = self.fact("HOLDS", r.evidence.ref, r.person, r.title)
        if found is None:
            return r
        chain = cur.chain(found[0])
        now = cur.facts.get(chain[-1])
        if now is None:
            return None
        g, (pid, was, _) = cur.g, found[1]
        changes: dict[str, Any] = {}
        for fid in chain:
            changes.update(cur.changes.get(fid, {}))
        org = g.nodes[now[1]].get("organisation")
        return replace(
            r,
            person=r.person if now[0] == pid else g.nodes[now[0]]["name"],
            organisation=r.organisation if org == self.post_org[was] else (g.nodes[org]["name"] if org else None),
            title=changes.get("title", r.title),
            status=Status(changes.get("status", r.status)),
            confidence=1.0 if cur.accepted & set(chain) else r.confidence,
        )


def _joined(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Two statements of one fact as one: lists joined, the higher confidence, the span of report dates
    (undated, the status further along)."""
    out = {**b, **a}
    for key in set(a) | set(b):
        x, y = a.get(key), b.get(key)
        if isinstance(x, list) or isinstance(y, list):
            out[key] = sorted({*(x or []), *(y or [])})
    if "confidence" in a or "confidence" in b:
        out["confidence"] = max(a.get("confidence", 0.0), b.get("confidence", 0.0))
    if "count" in a or "count" in b:
        out["count"] = a.get("count", 0) + b.get("count", 0)
    firsts = [d["first_reported"] for d in (a, b) if d.get("first_reported")]
    if firsts:
        out["first_reported"] = min(firsts)
    lasts = sorted((d["last_reported"], d.get("status")) for d in (a, b) if d.get("last_reported"))
    if lasts:
        out["last_reported"], out["status"] = lasts[-1][0], lasts[-1][1] or out.get("status")
    elif a.get("status") and b.get("status"):
        out["status"] = furthest_status(b["status"], a["status"])
    return out


def _last_word(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per fact, the last accept or reject of it: the one that stands."""
    return {rec["fact"]: rec for rec in records if rec["op"] in ("reject", "accept") and rec.get("fact")}


def applied(graph: nx.MultiDiGraph[str]) -> Iterator[dict[str, Any]]:
    """The curation records the graph was built with, each with the relationships it affected."""
    yield from graph.graph.get("curation", [])
