"""The HTML view: what it draws, that article text stays text, that it works offline, in Chromium too."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from devtools.browser import CHROMIUM, READABILITY_JS, inspect_page
from graph_builder import registry
from graph_builder.config import Settings
from graph_builder.errors import ConfigError
from graph_builder.graph import build_graph
from graph_builder.model import ArticleFacts, Entity, EventFact, RoleFact
from graph_builder.sinks.html import PASSING, _passing, drawn_graph, overview, page_nodes, script_json, write
from graph_builder.sinks.layout import _close_pairs, spring_positions
from tests.factories import page_data, sentences_article

SCRIPT = "<script>window.__pwned = true</script>"
IMG = '<img src=x onerror="window.__pwned = true">'
EVIL_ORG = "Acme <b>Robotics</b>"


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    a1, (s1, s2) = sentences_article(
        1,
        f"Board shake-up {SCRIPT}",
        "2024-01-05",
        [
            f"Ada Lovelace was named Chief Executive of Analytical Engines Ltd {IMG}.",
            f"She previously chaired {EVIL_ORG}.",
        ],
    )
    a2, (t1, t2) = sentences_article(
        2,
        "Engines summit in London",
        "2024-03-01",
        [
            "Ada Lovelace and Charles Babbage spoke at the Difference Summit in London.",
            "Babbage is the former Chair of the Royal Society.",
        ],
    )
    return build_graph(
        [
            ArticleFacts(
                article=a1,
                entities=(
                    Entity("Ada Lovelace", "Person", ("Countess of Lovelace",)),
                    Entity("Analytical Engines Ltd", "Organisation", kind="company"),
                    Entity(EVIL_ORG, "Organisation", kind="company"),
                ),
                roles=(
                    RoleFact("Ada Lovelace", "Chief Executive", "Analytical Engines Ltd", "current", s1, "named-as"),
                    RoleFact("Ada Lovelace", "Chair", EVIL_ORG, "former", s2, "previously"),
                ),
                mentions=(("Ada Lovelace", 2),),
            ),
            ArticleFacts(
                article=a2,
                entities=(
                    Entity("Ada Lovelace", "Person"),
                    Entity("Charles Babbage", "Person"),
                    Entity("Royal Society", "Organisation", kind="association"),
                    Entity("London", "Place"),
                ),
                roles=(RoleFact("Charles Babbage", "Chair", "Royal Society", "former", t2, "former-title"),),
                events=(
                    EventFact(
                        "Difference Summit",
                        "conference",
                        ("Ada Lovelace", "Charles Babbage"),
                        t1,
                        "spoke-at",
                        place="London",
                        date="2024-03-01",
                        roles=(("Ada Lovelace", "speaker"),),
                    ),
                ),
            ),
        ]
    )


def test_registered_as_html_sink() -> None:
    assert registry.sink("html") is write
    assert registry.filename("html") == "graph.html"


def test_article_text_cannot_become_markup(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "graph.html"
    write(graph, path, Settings())
    page = path.read_text()
    for payload in (SCRIPT, IMG, "<b>Robotics</b>", "<script>window.__pwned"):
        assert payload not in page
    assert "Board shake-up &lt;script&gt;window.__pwned = true&lt;/script&gt;" in page  # header, escaped
    data = page_data(path)  # the text arrives intact, to be shown as text
    assert any(SCRIPT in source for n in data["nodes"] for source in n["tip"]["list"])
    assert any(IMG in quote for e in data["edges"] for quote, _ in e["tip"].get("quotes", []))


def test_script_json_cannot_close_the_script_element() -> None:
    text = script_json({"s": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"s": "</script><!-- & \u2028"}


def test_page_holds_the_drawn_graph(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "graph.html"
    write(graph, path, Settings())
    data, drawn = page_data(path), drawn_graph(graph)
    assert {n["id"] for n in data["nodes"]} == set(drawn)
    assert len(data["edges"]) == drawn.number_of_edges() == 9
    assert not any(n["entity"] == "Article" for n in data["nodes"])
    assert {item["label"]: item["count"] for item in data["legend"]} == {
        "Person": 2,
        "Organisation": 3,
        "Role": 3,
        "Event": 1,
        "Place": 1,
    }
    assert "2 people · 3 organisations · 3 roles · 1 event · 1 place · 9 relationships" in path.read_text()
    assert data["dates"] == ["2024-01-05", "2024-03-01"]


def test_tooltips_carry_titles_dates_and_evidence(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "graph.html"
    write(graph, path, Settings())
    data = page_data(path)
    edges = {e["id"]: e for e in data["edges"]}
    holds = edges["person:ada-lovelace|HOLDS|role:analytical-engines/chief-executive"]
    assert holds["label"] == "current"  # the post beside it carries the title
    post = next(n for n in data["nodes"] if n["id"] == "role:analytical-engines/chief-executive")
    assert (post["label"], post["aliases"]) == ("Chief Executive", ["Chief Executive, Analytical Engines Ltd"])
    assert ["First reported", "2024-01-05"] in holds["tip"]["rows"]
    [(sentence, source)] = holds["tip"]["quotes"]
    assert sentence.startswith("Ada Lovelace was named") and source.startswith("Board shake-up")
    assert edges["person:ada-lovelace|PARTICIPATED_IN|event:difference-summit"]["label"] == "speaker"
    ada = next(n for n in data["nodes"] if n["id"] == "person:ada-lovelace")
    assert ["Also known as", "Countess of Lovelace"] in ada["tip"]["rows"]
    assert len(ada["tip"]["list"]) == 2  # both articles report her


def test_articles_drawn_on_request(graph: nx.MultiDiGraph) -> None:
    drawn = drawn_graph(graph, articles=True)
    assert drawn.number_of_nodes() == sum(d["label"] != "Sentence" for _, d in graph.nodes(data=True))


def test_focus_by_name_steps_over_roles(graph: nx.MultiDiGraph) -> None:
    around = drawn_graph(graph, focus="ADA lovelace", depth=1)
    assert set(around) == {
        "person:ada-lovelace",
        "role:analytical-engines/chief-executive",
        "org:analytical-engines",
        "role:acme-b-robotics-b/chair",
        "org:acme-b-robotics-b",
        "event:difference-summit",
    }
    assert around.graph["focus"] == "person:ada-lovelace"
    assert set(drawn_graph(graph, focus="Countess of Lovelace", depth=0)) == {
        "person:ada-lovelace",
        "role:analytical-engines/chief-executive",
        "role:acme-b-robotics-b/chair",
    }
    assert "person:charles-babbage" in drawn_graph(graph, focus="person:ada-lovelace", depth=2)


def test_unknown_focus_lists_close_matches(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "graph.html"
    path.write_text("previous view")
    with pytest.raises(ConfigError, match=r"Ada Lovelace \(person:ada-lovelace\)"):
        write(graph, path, Settings(), focus="Ada Lovelance")
    assert path.read_text() == "previous view"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_min_degree_and_max_nodes(graph: nx.MultiDiGraph) -> None:
    full = drawn_graph(graph)
    busy = drawn_graph(graph, min_degree=3)
    assert set(busy) == {n for n, k in full.degree() if k >= 3} and busy.number_of_nodes() < full.number_of_nodes()
    top = drawn_graph(graph, max_nodes=3)
    assert top.number_of_nodes() == 3
    assert min(full.degree(n) for n in top) >= max(k for n, k in full.degree() if n not in top)
    with pytest.raises(ConfigError):
        drawn_graph(graph, max_nodes=0)


def test_page_needs_no_network(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "graph.html"
    write(graph, path, Settings())
    page = path.read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"""url\(\s*["']?\s*(https?:)?//|@import|<link\b""", page, re.I)
    assert "vis-network" in page and "new vis.Network" in page


def test_big_graphs_get_fixed_positions(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "graph.html"
    write(graph, path, Settings(html_physics_threshold=3))
    data = page_data(path)
    assert data["options"]["physics"]["enabled"] is False and not data["physics"]
    points = {(n["x"], n["y"]) for n in data["nodes"]}
    assert len(points) == len(data["nodes"])


def test_close_pairs_match_brute_force() -> None:
    pos = np.random.default_rng(3).random((400, 2)) * 12
    i, j = _close_pairs(pos, 1.0)
    found = {tuple(sorted(p)) for p in zip(i.tolist(), j.tolist(), strict=True)}
    dist = np.linalg.norm(pos[:, None] - pos[None], axis=2)
    expected = {(a, b) for a in range(400) for b in range(a + 1, 400) if dist[a, b] < 1.0}
    assert found == expected and len(i) == len(found)


def test_spring_positions_spread_nodes_and_keep_edges_short() -> None:
    tree = nx.random_labeled_tree(600, seed=2)
    edges = np.array(list(tree.edges()))
    pos = spring_positions(600, edges)
    assert np.isfinite(pos).all()
    edge_length = np.linalg.norm(pos[edges[:, 0]] - pos[edges[:, 1]], axis=1).mean()
    random_pair = np.linalg.norm(pos[:300] - pos[300:], axis=1).mean()
    assert edge_length * 3 < random_pair
    assert len(_close_pairs(pos, 0.05)[0]) < 10


# Outside CI a machine without Chromium skips; in CI (CI=true) the test runs and fails loudly.
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists() and os.environ.get("CI") != "true", reason=f"no Chromium at {CHROMIUM}; run `make browser`"
)


@pytest.mark.browser
@pytest.mark.e2e
@needs_chromium
@pytest.mark.parametrize(
    ("threshold", "hover", "payload"),
    [
        (400, "person:ada-lovelace|HOLDS|role:analytical-engines/chief-executive", IMG),
        (3, "person:ada-lovelace", SCRIPT),
    ],
    ids=["physics-edge-tooltip", "fixed-layout-node-tooltip"],
)
def test_chromium_draws_the_graph_offline_and_safely(
    graph: nx.MultiDiGraph, tmp_path: Path, threshold: int, hover: str, payload: str
) -> None:
    path = tmp_path / "graph.html"
    write(graph, path, Settings(html_physics_threshold=threshold))
    drawn = drawn_graph(graph)
    report = inspect_page(
        path,
        hover=hover,
        script="""
        const box = [...document.querySelectorAll('#types input')].find((b) => b.value === 'Person');
        box.click();
        const withoutPeople = graphView.nodeView.length;
        box.click();
        const org = document.getElementById('org');
        org.value = 'org:royal-society';
        org.dispatchEvent(new Event('change'));
        return {withoutPeople, aroundRoyalSociety: graphView.nodeView.getIds().sort(),
                injected: document.querySelectorAll('#tip img, #tip script, #tip b, #bar script').length};
    """,
    )
    assert report.outside_requests == []
    assert report.errors == []
    mentions = _passing(graph, drawn)  # in the page too, for the switch that shows them
    assert (report.nodes, report.edges) == (
        drawn.number_of_nodes() + len(set(mentions) - set(drawn)),
        drawn.number_of_edges() + mentions.number_of_edges(),
    )
    assert not report.pwned
    assert payload in report.tip and "Chief Executive" in report.tip  # shown as text, not run
    assert report.result == {
        "withoutPeople": drawn.number_of_nodes() - 2,
        "aroundRoyalSociety": ["org:royal-society", "person:charles-babbage", "role:royal-society/chair"],
        "injected": 0,
    }


FIRST = ["Ilse", "Tomas", "Rana", "Oskar", "Mira", "Joran", "Veli", "Ansa", "Kaito", "Lumi", "Piet", "Sanne"]
LAST = ["Varga", "Holm", "Aaltonen", "Brink", "Castell", "Dunmore", "Eskola", "Frey", "Gallo", "Chairetti"]


def _big_facts(articles: int) -> list[ArticleFacts]:
    """Invented articles over a few thousand people and organisations, a few of them in most articles."""
    people = [f"{a} {b}{i}" for i, (a, b) in enumerate((a, b) for a in FIRST for b in LAST for _ in range(20))]
    orgs = [f"Vantor{i} Holdings" for i in range(articles // 2)]
    out = []
    for n in range(articles):
        star, org = people[n % 12], orgs[n % 25]  # a few people and organisations in many articles
        who, where = people[(n * 7) % len(people)], orgs[(n * 3) % len(orgs)]
        article, (s1, s2) = sentences_article(
            1000 + n,
            f"Story {n}",
            f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}",
            [f"{who} was named Chair of {where}.", f"{star}, the Director of {org}, met {who}."],
        )
        out.append(
            ArticleFacts(
                article=article,
                entities=(
                    Entity(who, "Person"),
                    Entity(star, "Person"),
                    Entity(where, "Organisation", kind="company"),
                    Entity(org, "Organisation", kind="company"),
                ),
                roles=(
                    RoleFact(who, "Chair", where, "current", s1, "named-as"),
                    RoleFact(star, "Director", org, "current", s2, "appositive"),
                ),
                events=(EventFact(None, "meeting", (star, who), s2, "met"),),
            )
        )
    return out


@pytest.fixture(scope="module")
def big_graph() -> nx.MultiDiGraph:
    return build_graph(_big_facts(1500))


def test_big_graph_opens_on_a_bounded_overview(big_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "graph.html"
    write(big_graph, path, Settings(), overview_size=120)
    data, drawn = page_data(path), drawn_graph(big_graph)
    assert drawn.number_of_nodes() > 3000
    # Every node is in the page, for search and focus; only the overview's come with tooltips.
    core = {n["id"] for n in data["nodes"] if n["core"]}
    assert core == overview(drawn, 120) == {n["id"] for n in data["nodes"]}
    rows = data["index"][: len(data["index"]) - data["passing"]]
    assert {row[0] for row in rows} == set(drawn) - core
    assert len(data["edges"]) + len(data["links"]) == drawn.number_of_edges() + _passing(big_graph, drawn).size()
    full = tmp_path / "full.html"
    write(big_graph, full, Settings(), overview_size=120, full=True)
    whole = page_data(full)
    assert {n["id"] for n in whole["nodes"]} == set(drawn) and len(whole["index"]) == whole["passing"]
    assert path.stat().st_size * 2 < full.stat().st_size
    people_orgs = [n for n in core if drawn.nodes[n]["label"] in ("Person", "Organisation")]
    assert len(people_orgs) == 120
    cut = min(drawn.degree(n) for n in people_orgs)
    assert all(
        k <= cut for n, k in drawn.degree() if n not in core and drawn.nodes[n]["label"] in ("Person", "Organisation")
    )
    assert {drawn.nodes[n]["label"] for n in core - set(people_orgs)} == {"Role"}
    assert all("x" in n for n in data["nodes"] if n["core"]) and not any(
        "x" in n for n in data["nodes"] if not n["core"]
    )


def test_page_of_a_big_graph_is_bounded(big_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = tmp_path / "graph.html"
    write(big_graph, path, Settings(), overview_size=120, page_size=1000)
    data, drawn = page_data(path), drawn_graph(big_graph)
    core = overview(drawn, 120)
    page = page_nodes(drawn, core, 1000)
    # The page carries the overview and the best connected of the rest, 1,000 nodes in all, and says how many
    # it left out; its counts are the whole graph's.
    assert len(page) == 1000 and core < page
    rows = data["index"][: len(data["index"]) - data["passing"]]
    assert {n["id"] for n in data["nodes"]} == core and {row[0] for row in rows} == page - core
    cut = min(drawn.degree(n) for n in page - core)
    assert all(k <= cut for n, k in drawn.degree() if n not in page)
    assert data["omitted"] == drawn.number_of_nodes() - 1000
    labels = {item["label"]: item["count"] for item in data["legend"]}
    assert labels == {label: sum(d == label for _, d in drawn.nodes(data="label")) for label in labels}
    assert f"· {drawn.number_of_edges()} relationships" in path.read_text()
    assert data["passing"] == PASSING < len(_passing(big_graph, drawn.subgraph(page)))
    # The page of a graph twice as big is no bigger: it grows with the bound, not with the corpus.
    bigger = tmp_path / "bigger.html"
    write(build_graph(_big_facts(3000)), bigger, Settings(), overview_size=120, page_size=1000)
    assert bigger.stat().st_size < 1.1 * path.stat().st_size
    assert page_data(bigger)["omitted"] > 2 * data["omitted"]


def test_view_skips_labels_it_does_not_draw(graph: nx.MultiDiGraph) -> None:
    g = graph.copy()
    g.add_node("sentence:1", id="sentence:1", label="Sentence", name="Ada Lovelace was named ...")
    g.add_edge("sentence:1", "person:ada-lovelace", "SUPPORTS")
    assert "sentence:1" not in drawn_graph(g) and "sentence:1" not in drawn_graph(g, articles=True)
    assert set(drawn_graph(g)) == set(drawn_graph(graph))


@pytest.mark.browser
@pytest.mark.e2e
@needs_chromium
def test_chromium_overview_labels_are_readable_and_search_reaches_the_rest(
    big_graph: nx.MultiDiGraph, tmp_path: Path
) -> None:
    path = tmp_path / "graph.html"
    write(big_graph, path, Settings())
    drawn = drawn_graph(big_graph)
    core = overview(drawn)
    hidden = max((n for n in drawn if n not in core and drawn.nodes[n]["label"] == "Person"), key=drawn.degree)
    name = drawn.nodes[hidden]["name"]
    report = inspect_page(
        path,
        script="""
        const net = graphView.network;
        const opening = (() => { READABILITY })();
        const entities = (ids) => ids.map((id) => graphView.nodes.get(id).entity);
        const search = document.getElementById('search');
        search.value = 'chair';
        search.dispatchEvent(new Event('input'));
        const suggested = entities([...document.querySelectorAll('#results button')].map((b) => b.dataset.id));
        const directors = entities(graphView.ranked('director'));
        search.value = NAME;
        search.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'}));
        return new Promise((done) => setTimeout(() => done({
          shown: opening.shown, smallestPx: opening.smallestLabelPx, suggested, directors,
          found: graphView.nodeView.get(ID) !== null, selected: net.getSelectedNodes(),
          around: graphView.nodeView.getIds().sort(), tip: graphView.nodes.get(ID).tip,
          detail: document.getElementById('detail').textContent,
        }), 3000));
        """.replace("READABILITY", READABILITY_JS)
        .replace("NAME", json.dumps(name))
        .replace("ID", json.dumps(hidden)),
    )
    assert report.errors == [] and report.outside_requests == []
    articles = sum(d["label"] == "Article" for _, d in big_graph.nodes(data=True))
    assert report.nodes == drawn.number_of_nodes() + articles
    result = report.result
    assert isinstance(result, dict)
    assert result["shown"] == len(core) < drawn.number_of_nodes() / 5
    assert result["smallestPx"] >= 11
    # 'chair' starts the posts' names ("Chair, Vantor3 Holdings") but only a word of people's ("Ilse Chairetti9"):
    # people still come first. 'director' names only posts.
    assert result["suggested"] == ["Person"] * 10
    assert result["directors"] and set(result["directors"]) == {"Role"}
    assert result["found"] and result["selected"] == [hidden]
    # Focus drew its neighbourhood (its posts, their organisations), from the page's compact index.
    near = {v for _, v in big_graph.out_edges(hidden)} | {
        big_graph.nodes[v].get("organisation") for _, v in big_graph.out_edges(hidden)
    }
    assert near - {None} <= set(result["around"]) and hidden in result["around"]
    assert result["tip"] is None and "--full" in result["detail"]  # outside the overview: no tooltip in the page


@pytest.mark.browser
@pytest.mark.e2e
@needs_chromium
def test_chromium_bounded_page_finds_what_it_carries_and_names_the_command_for_the_rest(
    big_graph: nx.MultiDiGraph, tmp_path: Path
) -> None:
    path = tmp_path / "graph.html"
    write(big_graph, path, Settings(), page_size=1000)
    drawn = drawn_graph(big_graph)
    core = overview(drawn)
    page = page_nodes(drawn, core, 1000)
    named = sorted((n for n in drawn if drawn.nodes[n]["label"] != "Role"), key=lambda n: (-drawn.degree(n), n))
    carried = next(n for n in named if n in page - core)
    left = next(n for n in reversed(named) if n not in page)
    report = inspect_page(
        path,
        script="""
        const search = document.getElementById('search');
        const find = (name) => {
          search.value = name;
          search.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'}));
          return document.getElementById('status').textContent;
        };
        const missing = graphView.ranked(LEFT, 10000);
        find(CARRIED);
        return new Promise((done) => setTimeout(() => done({
          missing, found: graphView.nodeView.get(ID) !== null, selected: graphView.network.getSelectedNodes(),
          detail: document.getElementById('detail').textContent,
        }), 3000));
        """.replace("LEFT", json.dumps(drawn.nodes[left]["name"]))
        .replace("CARRIED", json.dumps(drawn.nodes[carried]["name"]))
        .replace("ID", json.dumps(carried)),
    )
    assert report.errors == [] and report.outside_requests == []
    assert report.nodes == 1000 + PASSING
    result = report.result
    assert isinstance(result, dict)
    assert left not in result["missing"] and set(result["missing"]) <= page  # search holds only what the page does
    assert result["found"] and result["selected"] == [carried]
    omitted = f"{drawn.number_of_nodes() - 1000:,}"
    assert f"the other {omitted} are drawn by `graph-builder view --focus NAME`" in result["detail"]


@pytest.mark.browser
@pytest.mark.e2e
@needs_chromium
def test_chromium_switch_shows_entities_named_in_passing_hanging_off_their_articles(
    graph: nx.MultiDiGraph, tmp_path: Path
) -> None:
    a3, _ = sentences_article(3, "Letters", "2024-04-02", ["Mary Somerville wrote to the editor."])
    passing = ArticleFacts(a3, (Entity("Mary Somerville", "Person"),), mentions=(("Mary Somerville", 1),))
    g = nx.compose(graph, build_graph([passing]))
    path = tmp_path / "graph.html"
    write(g, path, Settings())
    report = inspect_page(
        path,
        script="""
        const shown = () => graphView.nodeView.getIds().sort();
        const lines = () => graphView.edgeView.get().filter((e) => e.rel === 'MENTIONS').map((e) => [e.from, e.to]);
        const before = {nodes: shown(), mentions: lines()};
        document.getElementById('mentions').click();
        const on = {nodes: shown(), mentions: lines(), tip: graphView.nodes.get('person:mary-somerville').tip};
        graphView.showMentions(false);
        return {before, on, off: shown(), visible: !document.getElementById('passing').hidden};
        """,
    )
    assert report.errors == [] and report.outside_requests == []
    result = report.result
    assert isinstance(result, dict) and result["visible"]
    articles = sorted(n for n, d in g.nodes(data=True) if d["label"] == "Article")
    assert result["before"]["mentions"] == [] and not set(articles) & set(result["before"]["nodes"])
    assert "person:mary-somerville" in result["before"]["nodes"]  # drawn, but with no line to anything
    assert sorted(result["on"]["nodes"]) == sorted([*result["before"]["nodes"], *articles])
    assert [f"article:{a3.id}", "person:mary-somerville"] in result["on"]["mentions"]
    assert result["off"] == result["before"]["nodes"]
