"""HTML view: time to write the file and for headless Chromium to draw it; the docs screenshot.

    .venv/bin/python bench/html_view.py                      # 500 and 5,000 drawn nodes
    .venv/bin/python bench/html_view.py --sizes 500 --keep /tmp/views
    .venv/bin/python bench/html_view.py --screenshot docs/graph.png
    .venv/bin/python -m devtools.browser out/graph.html docs/graph.png   # any written view

Graphs are built the way the pipeline builds them: hand-made ArticleFacts
through `build_graph`. Ratios are against the 500-node run of the same
invocation.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # devtools and the tests' shared builders

from devtools.browser import inspect_page
from graph_builder.config import Settings
from graph_builder.graph import build_graph
from graph_builder.model import ArticleFacts, Entity, EventFact, RoleFact
from graph_builder.sinks.html import drawn_graph, write
from tests.factories import sentences_article

SYLLABLES = [
    *("ka", "ki", "ko", "sa", "shi", "ta", "to", "na", "no", "ha", "mi", "mo", "ra", "ri"),
    *("ro", "ya", "yu", "wa", "ben", "dor", "fen", "gal", "han", "lor", "mar", "nel", "por", "sun"),
]
TITLES = [
    "Chief Executive",
    "Chair",
    "Finance Minister",
    "Director",
    "Spokesperson",
    "Secretary General",
    "Chief Financial Officer",
    "Ambassador",
    "President",
    "Head of Research",
]
EVENTS = ["meeting", "conference", "summit", "launch", "election"]
TOOLTIP_EDGE = "person:minoru-kiuchi|HOLDS|role:government-of-japan/minister-for-economic-security"
AS = ["speaker", "attendee", "host", "participant"]


def _word(i: int) -> str:
    parts = []
    while True:
        i, r = divmod(i, len(SYLLABLES))
        parts.append(SYLLABLES[r])
        if i == 0:
            break
    return "".join(parts).capitalize()


def synthetic_facts(articles: int, seed: int = 1) -> list[ArticleFacts]:
    """Articles about a pool of people and organisations, sized so resolution links them across articles."""
    rng = random.Random(seed)
    people = [f"{_word(i)} {_word(i + 7919)}" for i in range(articles)]
    orgs = [
        f"{_word(i + 104729)} {rng.choice(['Holdings', 'Bank', 'Ministry', 'Party', 'University'])}"
        for i in range(max(articles // 3, 2))
    ]
    places = [_word(i + 15485863) for i in range(max(articles // 20, 2))]
    facts = []
    for n in range(articles):
        who = rng.sample(people, 3)
        org, other = rng.sample(orgs, 2)
        place = rng.choice(places)
        title = rng.choice(TITLES)
        event = f"{_word(n + 3571)} {rng.choice(EVENTS).capitalize()}"
        date = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        article, (s1, s2, s3) = sentences_article(
            n,
            f"{who[0]} named {title} of {org}",
            date,
            [
                f"{who[0]} was named {title} of {org}.",
                f"{who[0]}, {who[1]} and {other} attended the {event} in {place}.",
                f"{who[2]} is the former {title} of {other}.",
            ],
            source=f"news/doc-{n}.txt",
        )
        facts.append(
            ArticleFacts(
                article=article,
                entities=(
                    *(Entity(p, "Person") for p in who),
                    Entity(org, "Organisation", kind="company"),
                    Entity(other, "Organisation", kind="company"),
                    Entity(place, "Place", kind="city"),
                ),
                roles=(
                    RoleFact(who[0], title, org, "current", s1, "bench"),
                    RoleFact(who[2], title, other, "former", s3, "bench"),
                ),
                events=(
                    EventFact(
                        event,
                        rng.choice(EVENTS),
                        (who[0], who[1], other),
                        s2,
                        "bench",
                        place=place,
                        date=date,
                        roles=((who[0], rng.choice(AS)),),
                    ),
                ),
                mentions=tuple((p, 1) for p in who),
            )
        )
    return facts


def sample_facts() -> list[ArticleFacts]:
    """A small realistic corpus: Japanese economic-security news, for the docs screenshot."""
    gov, meti, us = "Government of Japan", "Ministry of Economy, Trade and Industry", "US Department of Commerce"
    a1, (s1, s2, s3) = sentences_article(
        1,
        "Takaichi names Kiuchi economic security minister",
        "2025-10-21",
        [
            "Prime Minister Sanae Takaichi appointed Minoru Kiuchi as Minister for Economic Security.",
            "Ryosei Akazawa becomes Minister of Economy, Trade and Industry in the Government of Japan.",
            "Kiuchi previously served as a State Minister for the Environment.",
        ],
        source="news/doc-1.txt",
    )
    a2, (t1, t2) = sentences_article(
        2,
        "Kiuchi and Lutnick discuss chip supply chains in Tokyo",
        "2025-10-28",
        [
            "Minoru Kiuchi met US Commerce Secretary Howard Lutnick in Tokyo on Tuesday.",
            "Lutnick, who heads the US Department of Commerce, praised Japan's export controls.",
        ],
        source="news/doc-2.txt",
    )
    a3, (u1, _, u3) = sentences_article(
        3,
        "Rapidus to showcase 2nm chips at Semicon Japan",
        "2025-11-05",
        [
            "Rapidus President Atsuyoshi Koike will speak at Semicon Japan 2025 in Tokyo in December.",
            "The conference is organised by SEMI and supported by the Ministry of Economy, Trade and Industry.",
            "Minoru Kiuchi and TSMC executives are expected to attend Semicon Japan 2025.",
        ],
        source="news/doc-3.txt",
    )
    people = lambda *names: tuple(Entity(n, "Person") for n in names)  # noqa: E731
    return [
        ArticleFacts(
            article=a1,
            entities=(
                *people("Sanae Takaichi", "Minoru Kiuchi", "Ryosei Akazawa"),
                Entity(gov, "Organisation", kind="government"),
                Entity(meti, "Organisation", ("METI",), "government"),
            ),
            roles=(
                RoleFact("Sanae Takaichi", "Prime Minister", gov, "current", s1, "title-before-name"),
                RoleFact("Minoru Kiuchi", "Minister for Economic Security", gov, "current", s1, "appointed-as"),
                RoleFact("Ryosei Akazawa", "Minister of Economy, Trade and Industry", gov, "current", s2, "becomes"),
                RoleFact("Minoru Kiuchi", "State Minister for the Environment", gov, "former", s3, "served-as"),
            ),
            mentions=(("Minoru Kiuchi", 3), ("Sanae Takaichi", 1)),
        ),
        ArticleFacts(
            article=a2,
            entities=(
                *people("Minoru Kiuchi", "Howard Lutnick"),
                Entity(us, "Organisation", kind="government"),
                Entity("Tokyo", "Place", kind="city"),
            ),
            roles=(RoleFact("Howard Lutnick", "Commerce Secretary", us, "current", t2, "appositive"),),
            events=(
                EventFact(
                    None, "meeting", ("Minoru Kiuchi", "Howard Lutnick"), t1, "met", place="Tokyo", date="2025-10-28"
                ),
            ),
            mentions=(("Howard Lutnick", 2),),
        ),
        ArticleFacts(
            article=a3,
            entities=(
                *people("Atsuyoshi Koike", "Minoru Kiuchi"),
                Entity("Rapidus", "Organisation", kind="company"),
                Entity("TSMC", "Organisation", kind="company"),
                Entity("SEMI", "Organisation", kind="association"),
                Entity(meti, "Organisation", ("METI",), "government"),
                Entity("Tokyo", "Place", kind="city"),
            ),
            roles=(RoleFact("Atsuyoshi Koike", "President", "Rapidus", "current", u1, "org-title-name"),),
            events=(
                EventFact(
                    "Semicon Japan 2025",
                    "conference",
                    ("Atsuyoshi Koike", "Minoru Kiuchi", "TSMC"),
                    u3,
                    "attend",
                    organisers=("SEMI", meti),
                    place="Tokyo",
                    date="2025-12",
                    roles=(("Atsuyoshi Koike", "speaker"), ("Minoru Kiuchi", "attendee"), ("TSMC", "attendee")),
                ),
            ),
        ),
    ]


def screenshot(png: Path) -> None:
    """Draw the sample corpus and save the page, with one tooltip open, as `png`."""
    graph = build_graph(sample_facts())
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "graph.html"
        write(graph, page, Settings())
        report = inspect_page(page, screenshot=png, hover=TOOLTIP_EDGE, viewport=(1440, 900))
    print(f"{png}: {report.nodes} nodes, {report.edges} edges, errors: {report.errors or 'none'}")


def measure(articles: int, out: Path) -> dict[str, float]:
    graph = build_graph(synthetic_facts(articles))
    drawn = drawn_graph(graph)
    path = out / f"graph-{articles}.html"
    start = time.perf_counter()
    write(graph, path, Settings())
    seconds = time.perf_counter() - start
    report = inspect_page(path)
    if report.errors or report.outside_requests or report.nodes != drawn.number_of_nodes():
        sys.exit(f"bad page {path}: {report}")
    return {
        "nodes": drawn.number_of_nodes(),
        "edges": drawn.number_of_edges(),
        "write_s": seconds,
        "mb": path.stat().st_size / 1e6,
        "ready_s": report.ready_ms / 1000,
        "wall_s": report.wall_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000], help="drawn nodes wanted")
    parser.add_argument("--keep", type=Path, help="write the pages here instead of a temporary folder")
    parser.add_argument("--screenshot", type=Path, help="only save the sample view as this PNG")
    args = parser.parse_args()
    if args.screenshot:
        screenshot(args.screenshot)
        return
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp)
        rows = []
        for size in args.sizes:
            # About 3.85 drawn nodes per synthetic article (people, events, roles, a share of orgs/places).
            rows.append(measure(round(size / 3.85), out))
        base = rows[0]
        print(f"{'nodes':>6} {'edges':>6} {'MB':>5} {'write s':>8} {'draw s':>7} {'load s':>7} {'write x':>8}")
        for r in rows:
            print(
                f"{r['nodes']:>6} {r['edges']:>6} {r['mb']:>5.1f} {r['write_s']:>8.2f} {r['ready_s']:>7.2f} "
                f"{r['wall_s']:>7.2f} {r['write_s'] / base['write_s']:>8.1f}"
            )


if __name__ == "__main__":
    main()
