"""The facts codec: one JSON record per article, in the format `../shared/eval/README.md` describes.

Each record also carries what the graph needs to be rebuilt without
re-extracting (article metadata, evidence spans and sentences, rules,
confidences, mention counts). The facts store (`factstore.py`) keeps these
records, the extraction journal and the `facts.jsonl` export are lines of them.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .atomic import atomic_open
from .errors import InputError
from .model import Article, ArticleFacts, Entity, EventFact, Evidence, RoleFact, Status

FILENAME = "facts.jsonl"
_KEYS = {"Person": "people", "Organisation": "organisations", "Place": "places"}
_PART_KEYS = ("participants", "organisers", "place", "date", "roles", "rule", "confidence", "evidence")


def _evidence(ev: Evidence) -> dict[str, Any]:
    return {"start": ev.start, "end": ev.end, "sentence": ev.text}


def to_record(af: ArticleFacts, explain: bool = True) -> dict[str, Any]:
    """The facts of one article as a JSON-ready dict, with the article's title, URL and date and each fact's
    sentence; `explain` adds rules, confidences, ids and mention counts (what a rebuild needs)."""
    art = af.article
    rec: dict[str, Any] = {"doc_id": art.doc_id}
    if not explain:
        rec.update(title=art.title, url=art.url, published=art.published)
    for label, key in _KEYS.items():
        rec[key] = [
            {"name": e.name, "aliases": list(e.aliases), **({"kind": e.kind} if e.kind else {})}
            for e in af.entities
            if e.label == label
        ]
    rec["roles"] = []
    for r in af.roles:
        row: dict[str, Any] = {"person": r.person, "title": r.title, "organisation": r.organisation, "status": r.status}
        if explain:
            row.update(rule=r.rule, rules=list(r.rules), confidence=r.confidence)
        row["evidence"] = _evidence(r.evidence)
        rec["roles"].append(row)
    rec["events"] = []
    named: dict[str, dict[str, Any]] = {}
    for e in af.events:
        row = {
            "name": e.name,
            "type": e.type,
            "participants": list(e.participants),
            "organisers": list(e.organisers),
            "place": e.place,
            "date": e.date,
        }
        if explain:
            row.update(roles=dict(e.roles), rule=e.rule, confidence=e.confidence)
        row["evidence"] = _evidence(e.evidence)
        # A named event stated in several sentences is one event: one record, each statement kept in `parts`.
        first = named.get(e.name) if e.name else None
        if first is None:
            if e.name:
                named[e.name] = row
            rec["events"].append(row)
            continue
        if explain and "parts" not in first:
            first["parts"] = [{k: copy.deepcopy(first[k]) for k in _PART_KEYS}]
        for key in ("participants", "organisers"):
            first[key] += [p for p in row[key] if p not in first[key]]
        first["place"] = first["place"] or row["place"]
        first["date"] = first["date"] or row["date"]
        if explain:
            first["parts"].append({k: row[k] for k in _PART_KEYS})
    if explain:
        rec["article"] = {
            "id": art.id,
            "title": art.title,
            "url": art.url,
            "published": art.published,
            "source": art.source,
        }
        rec["mentions"] = dict(af.mentions)
    return rec


def from_record(rec: dict[str, Any]) -> ArticleFacts:
    """Inverse of `to_record(explain=True)`; the article text is not kept, only its evidence sentences."""
    meta = rec["article"]
    art = Article(
        id=meta["id"],
        doc_id=rec["doc_id"],
        text="",
        title=meta.get("title"),
        url=meta.get("url"),
        published=meta.get("published"),
        source=meta.get("source"),
    )

    def ev(d: dict[str, Any]) -> Evidence:
        return Evidence(art.id, d["start"], d["end"], d["sentence"])

    entities = tuple(
        Entity(e["name"], label, tuple(e.get("aliases", ())), e.get("kind"))
        for label, key in _KEYS.items()
        for e in rec.get(key, [])
    )
    roles = tuple(
        RoleFact(
            r["person"],
            r["title"],
            r.get("organisation"),
            Status(r["status"]),
            ev(r["evidence"]),
            r["rule"],
            r["confidence"],
            tuple(r.get("rules", ())),
        )
        for r in rec.get("roles", [])
    )

    def event(e: dict[str, Any]) -> EventFact:
        return EventFact(
            name=e.get("name"),
            type=e["type"],
            participants=tuple(e["participants"]),
            evidence=ev(e["evidence"]),
            rule=e["rule"],
            organisers=tuple(e.get("organisers", ())),
            place=e.get("place"),
            date=e.get("date"),
            roles=tuple(sorted(e.get("roles", {}).items())),
            confidence=e["confidence"],
        )

    events: list[EventFact] = []
    for e in rec.get("events", []):
        parts = e.get("parts") or [e]  # a named event stated in several sentences: one statement a part
        events.extend(event({"name": e.get("name"), "type": e["type"], **part}) for part in parts)
    return ArticleFacts(art, entities, roles, tuple(events), tuple(sorted(rec.get("mentions", {}).items())))


def read_facts(path: Path) -> list[ArticleFacts]:
    """Load a facts file written by `write_facts`; a damaged line is reported and skipped."""
    return list(iter_facts(path))


def iter_facts(path: Path, errors: list[InputError] | None = None) -> Iterator[ArticleFacts]:
    for af, _ in iter_lines(path, errors):
        yield af


def iter_lines(path: Path, errors: list[InputError] | None = None) -> Iterator[tuple[ArticleFacts, str]]:
    """Each record of a facts file with its line as written; a damaged line raises, or goes into `errors`."""
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
                yield from_record(json.loads(line)), line
            except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                if errors is None:
                    raise InputError(str(path), f"damaged facts record ({exc}); rebuild or remove the line", n) from exc
                errors.append(InputError(str(path), f"damaged facts record ({exc})", n))


def dump_line(af: ArticleFacts, explain: bool = True) -> str:
    return json.dumps(to_record(af, explain), ensure_ascii=False, sort_keys=False) + "\n"


def write_facts(facts: Iterable[ArticleFacts], path: Path) -> None:
    """Write atomically: a reader (or a crash) never sees half a file."""
    with atomic_open(path) as fh:
        for af in sorted(facts, key=lambda f: (f.article.doc_id, f.article.id)):
            fh.write(dump_line(af))
