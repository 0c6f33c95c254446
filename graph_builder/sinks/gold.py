"""The curated graph in the shared gold facts format, one line per article.

Unlike `facts.jsonl` (each article's own names and statements, with curation applied), this is
what the graph says after resolution and curation: canonical names, rejected facts gone,
corrections made. A newsroom can score the extractor against it, or train the scorer on its own
corrections.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import networkx as nx

from ..atomic import atomic_open
from ..config import Settings

FILENAME = "gold.jsonl"
#: Ids the graph gives meetings without a proper name ("event:meeting-3f2a9c41d0e1"): their gold name is null.
_UNNAMED_EVENT = re.compile(r"event:[a-z_]+-[0-9a-f]{12}")


def gold_records(graph: nx.MultiDiGraph[str]) -> list[dict[str, Any]]:
    """One gold record per article, with the entities, posts and events the graph states from it."""
    records: dict[str, dict[str, Any]] = {}
    names: dict[str, dict[str, set[str]]] = {}
    for nid, d in sorted(graph.nodes.items()):
        if d["label"] == "Article":
            records[nid.split(":", 1)[1]] = {
                "doc_id": d.get("doc_id"),
                "people": [],
                "organisations": [],
                "roles": [],
                "events": {},
            }
            names[nid.split(":", 1)[1]] = {"Person": set(), "Organisation": set()}

    def entity(aid: str, nid: str) -> None:
        label = graph.nodes[nid]["label"]
        if label in ("Person", "Organisation") and aid in names:
            names[aid][label].add(nid)

    for u, v, rel, d in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        if rel == "MENTIONS" and u.startswith("article:"):
            entity(u.split(":", 1)[1], v)
            continue
        for aid in d.get("articles", ()):
            if aid not in records:
                continue
            entity(aid, u)
            if rel == "HOLDS":
                org = graph.nodes[v].get("organisation")
                if org:
                    entity(aid, org)
                records[aid]["roles"].append(
                    {
                        "person": graph.nodes[u]["name"],
                        "title": d.get("title") or graph.nodes[v]["title"],
                        "organisation": graph.nodes[org]["name"] if org else None,
                        "status": d.get("status"),
                    }
                )
            elif rel in ("PARTICIPATED_IN", "ORGANISED"):
                ev = graph.nodes[v]
                place = next(
                    (graph.nodes[p]["name"] for _, p, k in graph.out_edges(v, keys=True) if k == "HELD_IN"), None
                )
                row = records[aid]["events"].setdefault(
                    v,
                    {
                        "name": None if _UNNAMED_EVENT.fullmatch(v) else ev["name"],
                        "type": ev.get("type"),
                        "participants": [],
                        "organisers": [],
                        "place": place,
                    },
                )
                row["participants" if rel == "PARTICIPATED_IN" else "organisers"].append(graph.nodes[u]["name"])
    out = []
    for aid, rec in records.items():
        for label, key in (("Person", "people"), ("Organisation", "organisations")):
            rec[key] = [
                {"name": graph.nodes[n]["name"], "aliases": list(graph.nodes[n].get("aliases") or [])}
                for n in sorted(names[aid][label], key=lambda n: graph.nodes[n]["name"])
            ]
        rec["events"] = list(rec["events"].values())
        out.append(rec)
    return sorted(out, key=lambda r: (r["doc_id"] or "", r["doc_id"] is None))


def write_gold(graph: nx.MultiDiGraph[str], path: Path, settings: Settings) -> None:
    with atomic_open(path) as out:
        for rec in gold_records(graph):
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
