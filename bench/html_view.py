"""HTML view: cost to write the file and for headless Chromium to draw it, as ratios; the docs screenshot.

    .venv/bin/python bench/html_view.py                      # 500, 5,000 and 50,000 nodes
    .venv/bin/python bench/html_view.py --sizes 500 --keep /tmp/views
    .venv/bin/python bench/html_view.py --screenshot docs/graph.png
    .venv/bin/python -m devtools.browser out/graph.html docs/graph.png   # any written view

Graphs are built the way the pipeline builds them: the synthetic corpus of
bench/synthetic.py through `build_graph`. Each size is measured against
baselines taken in the same run on the same graph: writing the view against
one linear pass that serialises every node and edge property to JSON, and
the page's drawing against the browser's own `JSON.parse` of the page data.
Constant ratios across sizes mean linear cost; the exponent column is the
growth of the write time against the node count from the previous size.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
from synthetic import synthetic_facts

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # devtools and the tests' shared builders

from devtools.browser import inspect_page
from graph_builder.config import Settings
from graph_builder.graph import build_graph
from graph_builder.model import ArticleFacts, Entity, EventFact, RoleFact
from graph_builder.sinks.html import drawn_graph, write
from tests.factories import sentences_article

TOOLTIP_EDGE = "person:kenji-aramaki|HOLDS|role:government-of-japan/minister-for-digital-affairs"


def sample_facts() -> list[ArticleFacts]:
    """A small realistic corpus: Japanese technology-policy news, for the docs screenshot."""
    gov, meti, us = "Government of Japan", "Ministry of Economy, Trade and Industry", "US Department of Commerce"
    a1, (s1, s2, s3) = sentences_article(
        1,
        "Hinata names Aramaki digital affairs minister",
        "2025-10-21",
        [
            "Prime Minister Taro Hinata appointed Kenji Aramaki as Minister for Digital Affairs.",
            "Ryosei Akazawa becomes Minister of Economy, Trade and Industry in the Government of Japan.",
            "Aramaki previously served as a State Minister for the Environment.",
        ],
        source="news/doc-1.txt",
    )
    a2, (t1, t2) = sentences_article(
        2,
        "Aramaki and Lutnick discuss chip supply chains in Tokyo",
        "2025-10-28",
        [
            "Kenji Aramaki met US Commerce Secretary Howard Lutnick in Tokyo on Tuesday.",
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
            "Kenji Aramaki and TSMC executives are expected to attend Semicon Japan 2025.",
        ],
        source="news/doc-3.txt",
    )

    def people(*names: str) -> tuple[Entity, ...]:
        return tuple(Entity(n, "Person") for n in names)

    return [
        ArticleFacts(
            article=a1,
            entities=(
                *people("Taro Hinata", "Kenji Aramaki", "Ryosei Akazawa"),
                Entity(gov, "Organisation", kind="government"),
                Entity(meti, "Organisation", ("METI",), "government"),
            ),
            roles=(
                RoleFact("Taro Hinata", "Prime Minister", gov, "current", s1, "title-before-name"),
                RoleFact("Kenji Aramaki", "Minister for Digital Affairs", gov, "current", s1, "appointed-as"),
                RoleFact("Ryosei Akazawa", "Minister of Economy, Trade and Industry", gov, "current", s2, "becomes"),
                RoleFact("Kenji Aramaki", "State Minister for the Environment", gov, "former", s3, "served-as"),
            ),
            mentions=(("Kenji Aramaki", 3), ("Taro Hinata", 1)),
        ),
        ArticleFacts(
            article=a2,
            entities=(
                *people("Kenji Aramaki", "Howard Lutnick"),
                Entity(us, "Organisation", kind="government"),
                Entity("Tokyo", "Place", kind="city"),
            ),
            roles=(RoleFact("Howard Lutnick", "Commerce Secretary", us, "current", t2, "appositive"),),
            events=(
                EventFact(
                    None, "meeting", ("Kenji Aramaki", "Howard Lutnick"), t1, "met", place="Tokyo", date="2025-10-28"
                ),
            ),
            mentions=(("Howard Lutnick", 2),),
        ),
        ArticleFacts(
            article=a3,
            entities=(
                *people("Atsuyoshi Koike", "Kenji Aramaki"),
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
                    ("Atsuyoshi Koike", "Kenji Aramaki", "TSMC"),
                    u3,
                    "attend",
                    organisers=("SEMI", meti),
                    place="Tokyo",
                    date="2025-12",
                    roles=(("Atsuyoshi Koike", "speaker"), ("Kenji Aramaki", "attendee"), ("TSMC", "attendee")),
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


def linear_pass(graph: nx.MultiDiGraph) -> float:
    """Seconds to serialise every node and edge property once: the cost floor of any view of the whole graph."""
    start = time.perf_counter()
    for _, d in graph.nodes(data=True):
        json.dumps(d, default=str)
    for _, _, d in graph.edges(data=True):
        json.dumps(d, default=str)
    return time.perf_counter() - start


def measure(articles: int, out: Path) -> dict[str, float]:
    graph = build_graph(synthetic_facts(articles))
    drawn = drawn_graph(graph)
    path = out / f"graph-{articles}.html"
    before = linear_pass(graph)
    start = time.perf_counter()
    write(graph, path, Settings())
    seconds = time.perf_counter() - start
    baseline = (before + linear_pass(graph)) / 2  # either side of the write, so a shared machine's drift evens out
    report = inspect_page(
        path, script="return {parseMs: graphView.parseMs, shown: graphView.nodeView.length}", timeout_s=900
    )
    articles_in_page = sum(d["label"] == "Article" for _, d in graph.nodes(data=True))  # for the mentions switch
    if report.errors or report.outside_requests or report.nodes != drawn.number_of_nodes() + articles_in_page:
        sys.exit(f"bad page {path}: {report}")
    assert isinstance(report.result, dict)
    return {
        "nodes": drawn.number_of_nodes(),
        "edges": drawn.number_of_edges(),
        "shown": report.result["shown"],
        "mb": path.stat().st_size / 1e6,
        "pass_s": baseline,
        "write_s": seconds,
        "parse_s": report.result["parseMs"] / 1000,
        "draw_s": report.ready_ms / 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000, 50000], help="drawn nodes wanted")
    parser.add_argument("--keep", type=Path, help="write the pages here instead of a temporary folder")
    parser.add_argument("--screenshot", type=Path, help="only save the sample view as this PNG")
    args = parser.parse_args()
    if args.screenshot:
        screenshot(args.screenshot)
        return
    print(
        f"{'nodes':>6} {'edges':>7} {'shown':>5} {'MB':>6} {'pass s':>7} {'write s':>8} {'write/pass':>10} "
        f"{'exponent':>8} {'parse s':>7} {'draw s':>7} {'draw/parse':>10}",
        flush=True,
    )
    previous = None
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            # About 6 drawn nodes per synthetic article (people, posts, events, a share of organisations and places).
            r = measure(max(round(size / 6), 2), args.keep or Path(tmp))
            growth = (
                f"{math.log(r['write_s'] / previous['write_s']) / math.log(r['nodes'] / previous['nodes']):>8.2f}"
                if previous
                else f"{'':>8}"
            )
            print(
                f"{r['nodes']:>6} {r['edges']:>7} {r['shown']:>5} {r['mb']:>6.1f} {r['pass_s']:>7.2f} "
                f"{r['write_s']:>8.2f} {r['write_s'] / r['pass_s']:>10.1f} {growth} {r['parse_s']:>7.2f} "
                f"{r['draw_s']:>7.2f} {r['draw_s'] / r['parse_s']:>10.1f}",
                flush=True,
            )
            previous = r


if __name__ == "__main__":
    main()
