"""A synthetic news-shaped corpus for the benchmarks: facts made up in Python, no model, no data.

Shared by bench/rdf_memory.py, bench/neo4j_load.py and bench/scale.py. It imports only the model,
so that bench/rdf_memory.py, which measures peak memory, does not count the pipeline's imports.
The texts are already in normal form, so an article's id is the one `build` gives the same text
read as a source (bench/scale.py checks that).
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from graph_builder.facts import read_facts
from graph_builder.model import Article, ArticleFacts, Entity, EventFact, Evidence, RoleFact

SYLLABLES = "ka ri no ma shi ta ro be la vin dor es an mi ko su te ha ne yo ul gar pet son"
TITLES = [
    "Minister for Finance",
    "Chief Executive",
    "Chair",
    "Foreign Minister",
    "President",
    "Governor",
    "Chief Financial Officer",
    "Secretary-General",
    "Director",
    "Ambassador",
    "Spokesperson",
    "Mayor",
]
EVENT_TYPES = ["meeting", "summit", "conference", "election", "ipo", "launch"]


def _name(rng: random.Random, words: int) -> str:
    return " ".join(
        "".join(rng.choice(SYLLABLES.split()) for _ in range(rng.randint(2, 3))).title() for _ in range(words)
    )


def synthetic_facts(articles: int, seed: int = 7) -> list[ArticleFacts]:
    """A corpus shaped like news: 10 entities, 5 roles and 2 events an article, drawn from shared pools
    so that resolution merges the same people and organisations across articles."""
    rng = random.Random(seed)
    people = sorted({_name(rng, 2) for _ in range(articles * 2)})
    orgs = sorted(
        {
            _name(rng, 2) + " " + rng.choice(["Group", "Ministry", "Party", "Bank", "University"])
            for _ in range(articles // 3)
        }
    )
    places = sorted({_name(rng, 1) for _ in range(max(articles // 10, 10))})
    events = sorted({_name(rng, 1) + " " + rng.choice(["Summit", "Forum", "Conference"]) for _ in range(articles // 4)})
    out = []
    for n in range(articles):
        ps, os_, pl = rng.sample(people, 5), rng.sample(orgs, 3), rng.sample(places, 2)
        sentences, roles, evs = [], [], []
        for i in range(5):
            title, org = rng.choice(TITLES), os_[i % 3] if i < 4 else None
            where = f" of {org}" if org else ""
            sentences.append(
                (
                    f"{ps[i]}, the {title}{where}, said on Tuesday that the plan would go ahead "
                    f"despite objections raised by several members.",
                    ("role", ps[i], title, org),
                )
            )
        for i in range(2):
            named = rng.choice(events) if i == 0 else None
            parties = (ps[i], ps[i + 2], os_[i])
            sentences.append(
                (
                    f"{parties[0]} met {parties[1]} and officials of {parties[2]} in {pl[i]} "
                    f"to discuss trade, security and investment.",
                    ("event", named, parties, pl[i]),
                )
            )
        text, spans = "", []
        for sentence, fact in sentences:
            start = len(text)
            text += sentence + " "
            spans.append((start, start + len(sentence), sentence, fact))
        text += "Filler paragraph. " * 79 + "Filler paragraph."
        art = Article(
            id=hashlib.sha256(text.encode()).hexdigest(),
            doc_id=f"doc-{n:05d}",
            text=text,
            title=f"{ps[0]} and {ps[1]} on the {rng.choice(TITLES).lower()} race",
            url=f"https://news.example.com/{n}",
            published=f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}",
        )
        for start, end, sentence, fact in spans:
            ev = Evidence(art.id, start, end, sentence)
            if fact[0] == "role":
                roles.append(RoleFact(fact[1], fact[2], fact[3], rng.choice(["current", "former"]), ev, "appositive"))
            else:
                evs.append(
                    EventFact(
                        fact[1],
                        rng.choice(EVENT_TYPES),
                        fact[2][:2],
                        ev,
                        "met",
                        organisers=(fact[2][2],),
                        place=fact[3],
                        date=art.published,
                    )
                )
        entities = (
            *(Entity(p, "Person") for p in ps),
            *(Entity(o, "Organisation", kind="company") for o in os_),
            *(Entity(p, "Place", kind="city") for p in pl),
        )
        out.append(ArticleFacts(art, entities, tuple(roles), tuple(evs), tuple((e.name, 1) for e in entities)))
    return out


def load_facts(facts_file: Path | None, articles: int) -> list[ArticleFacts]:
    """The facts of a build's facts file, or else a synthetic corpus of `articles` articles."""
    return read_facts(facts_file) if facts_file else synthetic_facts(articles)
