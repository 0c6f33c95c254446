"""Builders shared by the tests (and the HTML benchmark): articles, evidence, small corpora, output readers.

Test modules import from here, never from one another, so each runs alone and under
`--import-mode=importlib`. Every name and organisation is invented.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Graph
from rdflib.compare import to_isomorphic

from graph_builder.build import JOURNAL
from graph_builder.cli import main
from graph_builder.config import Settings
from graph_builder.extract.scorer import Scorer
from graph_builder.facts import dump_line
from graph_builder.model import Article, ArticleFacts, Entity, EventFact, Evidence, RoleFact, Status

#: A name that would be Cypher if it were spliced into a query.
HOSTILE = "Eve'}) DETACH DELETE n //"
#: An article title that would be markup or break a literal if it were not escaped.
HOSTILE_TITLE = 'Aramaki: "we will act" <script>alert(1)</script>\nSecond line \\ end'

Dump = tuple[list[dict[str, Any]], list[dict[str, Any]]]

#: Prefers the organisation the title rules chose, then none; distrusts bodies offered only by the
#: article, the paragraph or another statement, and holders found by proximity alone.
DECIDER = Scorer(
    {
        "org:from-rule": 3.0,
        "org:none": 0.5,
        "org:in-article": -1.0,
        "org:same-paragraph": -1.0,
        "org:same-sentence": -0.5,
        "org:stated-elsewhere": -1.0,
        "org:main-company": -1.0,
        "holder:nearby": -3.0,
        "holder:previous-sentence": -3.0,
    },
    bias=1.0,
    threshold=0.5,
    meta={},
)


# --- articles and evidence -------------------------------------------------------------------------------------


def article(
    text: str,
    doc_id: str,
    *,
    id: str | None = None,
    title: str | None = None,
    published: str | None = None,
    url: str | None = None,
    source: str | None = None,
) -> Article:
    """An article as the readers make one; its id is the text's hash unless given."""
    return Article(
        id=id or hashlib.sha256(text.encode()).hexdigest(),
        doc_id=doc_id,
        text=text,
        title=title,
        url=url,
        published=published,
        source=source,
    )


def evidence(art: Article, sentence: str) -> Evidence:
    """The span of `sentence` in `art`."""
    start = art.text.index(sentence)
    return Evidence(art.id, start, start + len(sentence), sentence)


def sentences_article(
    n: int, title: str, published: str, sentences: Sequence[str], source: str | None = None
) -> tuple[Article, list[Evidence]]:
    """Article number `n` made of `sentences`, with the span of each sentence in order."""
    art = article(" ".join(sentences), f"doc-{n}", id=f"{n:064x}", title=title, published=published, source=source)
    spans, start = [], 0
    for s in sentences:
        spans.append(Evidence(art.id, start, start + len(s), s))
        start += len(s) + 1
    return art, spans


def loaded_article(aid: str, text: str, published: str | None) -> Article:
    return article(text, f"doc-{aid}", id=aid, title=f"Title {aid}", url=f"https://e.x/{aid}", published=published)


def _reported(text: str, doc_id: str, title: str | None, published: str | None) -> Article:
    return article(text, doc_id, title=title, published=published, url=f"https://news.example.com/{doc_id}?a=1&b=2")


# --- corpora of facts ------------------------------------------------------------------------------------------

MINISTER = "Minister for Digital Affairs"


def minister(
    person: str, status: str, ev: Evidence, rule: str, confidence: float = 0.8, title: str = MINISTER
) -> RoleFact:
    """`person` as the Government of Japan's digital affairs minister, as one sentence states it."""
    return RoleFact(person, title, "Government of Japan", Status(status), ev, rule, confidence)


def g7_summit(
    participant: str,
    ev: Evidence,
    rule: str,
    *,
    role: str | None = None,
    place: str | None = None,
    confidence: float = 0.7,
) -> EventFact:
    """`participant` at the G7 Summit, as one sentence states it."""
    roles = ((participant, role),) if role else ()
    return EventFact("G7 Summit", "summit", (participant,), ev, rule, place=place, roles=roles, confidence=confidence)


def aramaki_corpus() -> list[ArticleFacts]:
    """Two articles: roles with and without organisation and dates, a meeting and a named summit."""
    s1 = "Digital Affairs Minister Kenji Aramaki met US Secretary of State Antony Blinken in Tokyo."
    s2 = "The Government of Japan hosted the talks."
    a1 = _reported(f"{s1} {s2}", "aramaki-blinken", "Aramaki meets Blinken", "2024-05-02")
    s3 = "Aramaki, the former Minister for Digital Affairs, spoke at the G7 Summit in Hiroshima."
    s4 = "Sayaka Tsubaki is the Minister for Digital Affairs in the Government of Japan."
    a2 = _reported(f"{s3} {s4}", "g7-summit", HOSTILE_TITLE, None)
    japan = Entity("Government of Japan", "Organisation", ("Japan",), "government")
    return [
        ArticleFacts(
            a1,
            entities=(
                Entity("Kenji Aramaki", "Person", ("Aramaki",)),
                Entity("Antony Blinken", "Person"),
                japan,
                Entity("Japan", "Place", kind="country"),
                Entity("Tokyo", "Place", kind="city"),
            ),
            roles=(
                minister("Kenji Aramaki", "current", evidence(a1, s1), "title-before-name"),
                RoleFact(
                    "Antony Blinken", "Secretary of State", None, "current", evidence(a1, s1), "title-before-name"
                ),
            ),
            events=(
                EventFact(
                    None,
                    "meeting",
                    ("Kenji Aramaki", "Antony Blinken"),
                    evidence(a1, s1),
                    "met",
                    organisers=("Government of Japan",),
                    place="Tokyo",
                    date="2024-05-01",
                ),
            ),
            mentions=(("Kenji Aramaki", 1), ("Antony Blinken", 1), ("Government of Japan", 1), ("Tokyo", 1)),
        ),
        ArticleFacts(
            a2,
            entities=(
                Entity("Aramaki", "Person"),
                Entity("Sayaka Tsubaki", "Person"),
                japan,
                Entity("Hiroshima", "Place", kind="city"),
            ),
            roles=(
                minister("Aramaki", "former", evidence(a2, s3), "appositive", title=f"former {MINISTER}"),
                minister("Sayaka Tsubaki", "current", evidence(a2, s4), "copula"),
            ),
            events=(g7_summit("Aramaki", evidence(a2, s3), "named-event", role="speaker", place="Hiroshima"),),
            mentions=(("Aramaki", 1), ("Sayaka Tsubaki", 1), ("Hiroshima", 1)),
        ),
    ]


def facts_a() -> ArticleFacts:
    s1 = "Minister for Digital Affairs Kenji Aramaki met Antony Blinken in Tokyo."
    s2 = "Aramaki will attend the G7 Summit in Hiroshima."
    art = loaded_article("a1", f"{s1} {s2}", "2025-01-10")
    return ArticleFacts(
        article=art,
        entities=(
            Entity("Kenji Aramaki", "Person", ("Aramaki", "Ａｒａｍａｋｉ")),
            Entity("Antony Blinken", "Person"),
            Entity("Government of Japan", "Organisation", ("Japan",), "government"),
            Entity("Tokyo", "Place", kind="city"),
            Entity("Hiroshima", "Place", kind="city"),
            Entity("Japan", "Place", kind="country"),
        ),
        roles=(minister("Kenji Aramaki", "current", evidence(art, s1), "title-before-name"),),
        events=(
            EventFact(
                None,
                "meeting",
                ("Kenji Aramaki", "Antony Blinken"),
                evidence(art, s1),
                "met",
                place="Tokyo",
                date="2025-01-09",
            ),
            g7_summit("Kenji Aramaki", evidence(art, s2), "attend", role="attendee", place="Hiroshima"),
        ),
        mentions=(("Kenji Aramaki", 2), ("Antony Blinken", 1), ("Tokyo", 1)),
    )


def facts_b() -> ArticleFacts:
    s1 = "Former Minister for Digital Affairs Kenji Aramaki spoke at the G7 Summit."
    s2 = f"{HOSTILE} also attended the G7 Summit."
    art = loaded_article("b2", f"{s1} {s2}", "2025-03-01")
    return ArticleFacts(
        article=art,
        entities=(
            Entity("Kenji Aramaki", "Person", ("K. Aramaki", "🗾 Aramaki")),
            Entity(HOSTILE, "Person"),
            Entity("Government of Japan", "Organisation", (), "government"),
        ),
        roles=(minister("Kenji Aramaki", "former", evidence(art, s1), "former-title", 0.9),),
        events=(
            g7_summit("Kenji Aramaki", evidence(art, s1), "spoke-at", role="attendee", confidence=0.6),
            g7_summit(HOSTILE, evidence(art, s2), "attend"),
        ),
        mentions=(("Kenji Aramaki", 1), (HOSTILE, 1)),
    )


def many_facts(n: int) -> list[ArticleFacts]:
    """n one-sentence articles, each naming a different person in the same post."""
    out = []
    for i in range(n):
        sentence = f"Person {i} is the Chair of Acme Group."
        art = loaded_article(f"art{i:04d}", sentence, f"2025-01-{1 + i % 28:02d}")
        out.append(
            ArticleFacts(
                article=art,
                entities=(Entity(f"Person {i}", "Person"), Entity("Acme Group", "Organisation", kind="company")),
                roles=(
                    RoleFact(f"Person {i}", "Chair", "Acme Group", "current", evidence(art, sentence), "appositive"),
                ),
                mentions=((f"Person {i}", 1), ("Acme Group", 1)),
            )
        )
    return out


# --- reading outputs back ----------------------------------------------------------------------------------------


def dump(settings: Settings) -> Dump:
    """Every node and relationship in the Neo4j database, in a fixed order."""
    from graph_builder.sinks.neo4j import run_query as neo4j_query

    nodes = neo4j_query("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props ORDER BY n.id", {}, settings)
    rels = neo4j_query(
        "MATCH (a)-[r]->(b) RETURN a.id AS source, type(r) AS type, b.id AS target, properties(r) AS props "
        "ORDER BY source, type, target",
        {},
        settings,
    )
    return nodes, rels


def _stored(props: dict[str, Any], skip: str) -> dict[str, Any]:
    """Properties as the database keeps them: no None, lists in Cypher's string order (UTF-16 code units)."""
    return {
        k: sorted(v, key=lambda s: s.encode("utf-16-be")) if isinstance(v, list) else v
        for k, v in props.items()
        if k != skip and v is not None
    }


def expected(graph: nx.MultiDiGraph) -> Dump:
    """What the database must hold after loading `graph` alone."""
    nodes = [{"labels": [d["label"]], "props": _stored(d, "label")} for _, d in sorted(graph.nodes(data=True))]
    rels = [
        {"source": u, "type": k, "target": v, "props": _stored(d, "type")}
        for u, v, k, d in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1]))
    ]
    return nodes, rels


def facts(out: Path) -> list[dict[str, Any]]:
    """Every line of the facts file, each of which must parse."""
    return [json.loads(line) for line in (out / "facts.jsonl").read_text(encoding="utf-8").splitlines()]


def store_dump(out: Path) -> tuple[list[Any], list[Any]]:
    """Every node and relationship of the embedded store with all properties, engine-internal ids left out."""
    from graph_builder.sinks.store import run_query as store_query

    internal = {"_ID", "_SRC", "_DST"}

    def rows(cypher: str) -> list[Any]:
        found = store_query(out / "graph.lbdb", cypher)[1]
        return sorted(([v if not isinstance(v, dict) else {k: x for k, x in v.items() if k not in internal}
                        for v in row] for row in found), key=repr)  # fmt: skip

    return rows("MATCH (n) RETURN n"), rows("MATCH (a)-[r]->(b) RETURN a.id, b.id, r")


def rdf(out: Path) -> Any:
    return to_isomorphic(Graph().parse(out / "graph.ttl"))


def cli_build(*args: str | Path) -> int:
    """`graph-builder build ARGS` on one worker, quietly."""
    return main(["build", *map(str, args), "--workers", "1", "-q"])


# --- articles as files -----------------------------------------------------------------------------------------


ONE = """Norvale names new chairman

LISBON, March 3 (Wire) - Norvale Energy chairman Tomas Arden said on Monday the company would expand.
Maria Lenz, chief executive of Norvale Energy, met Portugal's foreign minister, Ines Carvalho, in Lisbon.
"""
TWO = """Carvalho hosts Baltic talks

Portugal's foreign minister, Ines Carvalho, held talks with Estonia's Minister for Trade and Industry, Aino Kask.
Mr Arden, Norvale Energy's chairman, welcomed the talks.
"""


def write_article(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def write_file(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


#: Invented people in four scripts, each the chair of an invented body.
NAMES = ("Νίκος Καλλέργης", "Ольга Веснина", "سليم حداد", "陳美玲", "李明", "Digit 007")


def chair_facts(names: tuple[str, ...], prefix: str) -> list[ArticleFacts]:
    out = []
    for i, name in enumerate(names):
        sentence = f"{name} is the Chair of Orvik Trust."
        art = loaded_article(f"{prefix}{i:03d}", sentence, "2025-02-01")
        out.append(
            ArticleFacts(
                article=art,
                entities=(Entity(name, "Person"), Entity("Orvik Trust", "Organisation", kind="company")),
                roles=(RoleFact(name, "Chair", "Orvik Trust", "current", evidence(art, sentence), "appositive"),),
                mentions=((name, 1), ("Orvik Trust", 1)),
            )
        )
    return out


def journal(facts: list[ArticleFacts], out: Path) -> None:
    """Lay facts in the folder as an interrupted run's journal: the next build takes them without extracting."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / JOURNAL, "a", encoding="utf-8") as fh:
        fh.writelines(dump_line(af) for af in facts)


def page_data(path: Path) -> dict[str, Any]:
    """The graph data an HTML page carries."""
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', path.read_text(), re.S)
    assert match
    data: dict[str, Any] = json.loads(match.group(1))
    return data
