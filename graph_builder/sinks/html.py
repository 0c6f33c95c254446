"""Interactive HTML network view: one self-contained file that opens from disk.

The vis-network nodes, edges and options are plain dicts built in one pass
over the graph; the vis-network script we inline is the standalone build
shipped inside the `pyvis` package (vis-network is MIT/Apache-2.0, pyvis
BSD). The page template, script and style are ours. A graph bigger than the
overview bound opens on its most connected people and organisations (laid
out in Python, so the layout cost is bounded too); every other node travels
in the page and is reached by search, filters and focus. Every piece of
article text travels as JSON in a `<script type="application/json">` block
with `<`, `>` and `&` escaped, and the page script puts it into the DOM with
`textContent` only, so article text never becomes markup. The static header
is escaped with `html.escape`.
"""

from __future__ import annotations

import difflib
import hashlib
import heapq
import html
import json
import logging
import marshal
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from ..atomic import atomic_open
from ..config import Settings
from ..delta import Change, GraphDelta
from ..errors import ConfigError
from ..text import name_key
from .layout import spring_positions

#: Label -> (colour, vis-network shape). Colours from the Tableau 10 palette.
STYLE: dict[str, tuple[str, str]] = {
    "Person": ("#4e79a7", "dot"),
    "Organisation": ("#f28e2b", "hexagon"),
    "Role": ("#59a14f", "diamond"),
    "Event": ("#e15759", "star"),
    "Place": ("#b07aa1", "triangle"),
    "Article": ("#8c8c8c", "square"),
}
PLURAL = {
    "Person": "people",
    "Organisation": "organisations",
    "Role": "roles",
    "Event": "events",
    "Place": "places",
    "Article": "articles",
}
#: Short edge captions for relationships whose properties say nothing more.
CAPTION = {"ROLE_IN": "in", "ORGANISED": "organised", "HELD_IN": "held in", "BASED_IN": "based in", "MENTIONS": ""}
FOCUS_PREFERENCE = ("Person", "Organisation", "Event", "Place", "Role", "Article")
#: People and organisations the default view of a big graph opens on; the rest is reached by search and focus.
OVERVIEW = 150
#: Nodes a page carries at most (the overview's, then the best connected): search and focus reach these.
PAGE = 5000
#: Articles a page carries for its "passing mentions" switch at most, those mentioning most of the page first.
PASSING = 500
#: Articles the page's header lists at most, the latest first.
LISTED = 200
MAX_QUOTES = 5  # evidence sentences per edge tooltip
MAX_SOURCES = 8  # article titles per node tooltip
MIN_LABEL_PX = 11  # the page zooms in until the overview's smallest label is at least this big
PIXELS_PER_UNIT = 55  # layout units (about one edge length) to screen pixels
COLUMN_PX, ROW_PX = 150, 60  # grid of the unlinked nodes: about one label wide, two lines high
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
ASSETS = Path(__file__).parent
VIS_JS = resources.files("pyvis") / "lib" / "vis-9.1.2" / "vis-network.min.js"
log = logging.getLogger("graph_builder")
#: A generation's degrees of the drawable graph, beside its page: the next build patches them with its delta.
DEGREES = "graph-html-degrees.marshal"
_JSON_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def drawn_graph(
    graph: nx.MultiDiGraph[str],
    *,
    focus: str | None = None,
    depth: int = 1,
    min_degree: int = 0,
    max_nodes: int | None = None,
    articles: bool = False,
) -> nx.MultiDiGraph[str]:
    """The part of `graph` the view draws, so callers and tests can compare the page with it.

    Article nodes are left out unless `articles`; their titles show in tooltips.
    Nodes of labels the view has no style for (such as evidence sentences)
    are never drawn: they are provenance, not entities.
    Then: the `focus` node's neighbourhood within `depth` steps (stepping onto
    a Role post is free, so a person's organisations are one step away), nodes
    with fewer than `min_degree` relationships dropped, and at most
    `max_nodes` kept, the best connected first. The focus node always stays,
    and its id is kept in the result's `graph["focus"]`.
    """
    view, centre = _drawable(graph, focus, depth, min_degree, max_nodes, articles)
    drawn: nx.MultiDiGraph[str] = view.copy()
    if centre is not None:
        drawn.graph["focus"] = centre
    return drawn


def _drawable(
    graph: nx.MultiDiGraph[str],
    focus: str | None,
    depth: int,
    min_degree: int,
    max_nodes: int | None,
    articles: bool,
) -> tuple[nx.MultiDiGraph[str], str | None]:
    """`drawn_graph` as a view of `graph` (nothing copied: the page may keep only part of it), and its focus."""
    if depth < 0 or min_degree < 0 or (max_nodes is not None and max_nodes < 1):
        raise ConfigError("depth and min_degree must be 0 or more, and max_nodes 1 or more")
    keep = [n for n, d in graph.nodes(data=True) if d.get("label") in STYLE and (articles or d["label"] != "Article")]
    drawn: nx.MultiDiGraph[str] = graph.subgraph(keep)
    centre = None
    if focus is not None:
        centre = find_node(drawn, focus)
        drawn = graph.subgraph(_neighbourhood(drawn, centre, depth))
    if min_degree:
        drawn = graph.subgraph([n for n, k in drawn.degree() if k >= min_degree or n == centre])
    if max_nodes is not None and drawn.number_of_nodes() > max_nodes:
        ranked = sorted(drawn.degree(), key=lambda nk: (nk[0] != centre, -nk[1], nk[0]))
        drawn = graph.subgraph([n for n, _ in ranked[:max_nodes]])
    return drawn, centre


def page_nodes(
    drawn: nx.MultiDiGraph[str], core: set[str], size: int = PAGE, degree: Mapping[str, int] | None = None
) -> set[str]:
    """The nodes a page carries: the overview's `core`, then the best connected of the rest up to `size` in all
    (0: every node). The others are left to `graph-builder view --focus`, so the page, and the time to write
    it, stay bounded however big the graph grows. `degree`: each node's relationships in `drawn`, if known."""
    if size < 0:
        raise ConfigError("the page size must be 0 (no bound) or more")
    if not size or drawn.number_of_nodes() <= size:
        return set(drawn)
    degrees = degree.items() if degree is not None else drawn.degree()
    ranked = heapq.nsmallest(max(size - len(core), 0), ((-k, n) for n, k in degrees if n not in core))
    return core | {n for _, n in ranked}


def _degrees(graph: nx.MultiDiGraph[str], nodes: set[str]) -> dict[str, int]:
    """Each of `nodes`' relationships among `nodes`: its degree in `graph.subgraph(nodes)`, in one pass over their
    out-edges (a subgraph view's own degree filters every neighbour again, many times slower)."""
    degree = dict.fromkeys(nodes, 0)
    for u, v in graph.out_edges(nodes):
        if v in degree:
            degree[u] += 1
            degree[v] += 1
    return degree


def _drawable_label(label: str) -> bool:
    """Whether the default page draws nodes of `label` (no articles, no evidence sentences)."""
    return label in STYLE and label != "Article"


def drawable_degrees(graph: nx.MultiDiGraph[str]) -> tuple[dict[str, int], dict[str, int]]:
    """Each drawable node's relationships among the drawable nodes, and how many nodes of each label there are:
    what the default page ranks, counted over the whole graph."""
    degree = _degrees(graph, {n for n, d in graph.nodes(data=True) if _drawable_label(d["label"])})
    return degree, dict(Counter(graph.nodes[n]["label"] for n in degree))


def patch_degrees(
    degree: dict[str, int], counts: dict[str, int], delta: GraphDelta
) -> tuple[dict[str, int], dict[str, int]] | None:
    """`drawable_degrees` of a graph, made those of the graph `delta` leads to (in place): the cost is the
    delta's, not the graph's. None when they do not fit the delta (a node it adds is there already, one it
    removes or links is missing, or a removed node keeps relationships): the caller counts them whole."""
    try:
        for k in delta.removed_relationships:
            if _drawable_label(k.source_label) and _drawable_label(k.target_label):
                degree[k.source] -= 1
                degree[k.target] -= 1
        for n in delta.removed_nodes:
            if _drawable_label(n.label):
                if degree.pop(n.id) != 0:
                    return None
                counts[n.label] -= 1
        for node in delta.added_nodes:
            if _drawable_label(node.key.label):
                if node.key.id in degree:
                    return None
                degree[node.key.id] = 0
                counts[node.key.label] = counts.get(node.key.label, 0) + 1
        for r in delta.added_relationships:
            if _drawable_label(r.key.source_label) and _drawable_label(r.key.target_label):
                degree[r.key.source] += 1
                degree[r.key.target] += 1
    except KeyError:
        return None
    return degree, {label: n for label, n in counts.items() if n}


def _patched(change: Change) -> tuple[dict[str, int], dict[str, int]] | None:
    """The degrees the previous generation kept, patched with the build's delta; None when that generation
    kept none made from the digests the delta starts at."""
    kept = read_degrees(change.previous / DEGREES) if change.previous is not None else None
    if kept is None or change.base is None or kept[0] != change.base:
        return None
    return patch_degrees(kept[1], kept[2], change.delta)


def read_degrees(path: Path) -> tuple[str, dict[str, int], dict[str, int]] | None:
    """(the sha256 of the digests they were made with, degrees, label counts) kept in `path`, or None when it is
    missing or not whole (its digest is checked before the marshal blob is loaded)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    digest, blob = raw[:16], raw[16:]
    if hashlib.blake2b(blob, digest_size=16).digest() != digest:
        return None
    try:
        stamp, degree, counts = marshal.loads(blob)
    except (ValueError, EOFError, TypeError):
        return None
    return str(stamp), dict(degree), dict(counts)


def _write_degrees(path: Path, stamp: str, degree: dict[str, int], counts: Mapping[str, int]) -> None:
    # sorted, so that the same graph writes the same bytes whatever the hash seed
    blob = marshal.dumps((stamp, dict(sorted(degree.items())), dict(sorted(counts.items()))), 4)
    with atomic_open(path, "wb") as fh:
        fh.write(hashlib.blake2b(blob, digest_size=16).digest() + blob)


def overview(
    drawn: nx.MultiDiGraph[str],
    size: int = OVERVIEW,
    focus: str | None = None,
    degree: Mapping[str, int] | None = None,
) -> set[str]:
    """The nodes the page opens on: all of a small graph; else the `size` best-connected people and organisations.

    Posts join them when they link a kept holder to a kept organisation or
    two kept holders; events, places and the rest wait for a focus (their long
    names would bury the labels). The focus node always stays.
    `size` 0 means no bound. The cost is one pass over the graph and a sort of
    its people and organisations (`degree`: each node's relationships in
    `drawn`, if known); the layout then sees only the overview.
    """
    if size < 0:
        raise ConfigError("the overview size must be 0 (no bound) or more")
    if not size or drawn.number_of_nodes() <= size:
        return set(drawn)
    labels = drawn.nodes(data="label")
    degrees = degree.items() if degree is not None else drawn.degree()
    ranked = heapq.nsmallest(size, ((-k, n) for n, k in degrees if labels[n] in ("Person", "Organisation")))
    kept = {n for _, n in ranked}
    core = set(kept)
    # a post can join only through a kept holder or a kept organisation: only the posts next to them are read
    posts = {v for n in kept for v in drawn.succ[n] if labels[v] == "Role"}
    posts |= {u for n in kept for u in drawn.pred[n] if labels[u] == "Role"}
    for nid in posts:
        holders = sum(p in kept for p in drawn.predecessors(nid))
        if holders >= 2 or (holders and drawn.nodes[nid].get("organisation") in kept):
            core.add(nid)
    centre = focus or drawn.graph.get("focus")
    if centre:
        core.add(centre)
    return core


def find_node(graph: nx.MultiDiGraph[str], query: str) -> str:
    """The node a user means by an id, a name or an alias (case- and accent-insensitive)."""
    if query in graph:
        return query
    names: dict[str, set[str]] = {}
    for nid, d in graph.nodes(data=True):
        for name in [d.get("name") or "", *(d.get("aliases") or [])]:
            names.setdefault(name_key(name), set()).add(nid)
    found = names.get(name_key(query), set())
    if not found:
        close = difflib.get_close_matches(name_key(query), list(names), n=5, cutoff=0.6)
        hint = (
            "; close matches: "
            + ", ".join(f"{graph.nodes[n]['name']} ({n})" for key in close for n in sorted(names[key]))
            if close
            else ""
        )
        raise ConfigError(
            f"focus {query!r}: no node has that id, name or alias{hint}. "
            "Give a node id such as person:kenji-aramaki, or a name from the graph."
        )
    rank = {label: i for i, label in enumerate(FOCUS_PREFERENCE)}
    best = min(rank[graph.nodes[n]["label"]] for n in found)
    chosen = sorted(n for n in found if rank[graph.nodes[n]["label"]] == best)
    if len(chosen) > 1:
        raise ConfigError(f"focus {query!r} names several nodes: {', '.join(chosen)}; give one of these ids")
    return chosen[0]


def _neighbourhood(graph: nx.MultiDiGraph[str], centre: str, depth: int) -> set[str]:
    def step(_u: str, v: str, _d: object) -> int:
        return 0 if graph.nodes[v]["label"] == "Role" else 1

    reach = nx.single_source_dijkstra_path_length(graph.to_undirected(as_view=True), centre, cutoff=depth, weight=step)
    return set(reach)


def _span(dates: Iterable[str | None]) -> list[str] | None:
    """[first day, last day] covered by ISO dates or partial dates (2024, 2024-03), ignoring others."""
    known = sorted(d[:10] for d in dates if d and DATE.fullmatch(d[:10]))
    if not known:
        return None
    first, last = known[0], known[-1]
    return [first + "-01-01"[len(first) - 4 :], last + "-12-31"[len(last) - 4 :]]


def _merge(spans: Iterable[list[str] | None]) -> list[str] | None:
    known = [s for s in spans if s]
    return [min(s[0] for s in known), max(s[1] for s in known)] if known else None


class _View:
    """Tooltips, captions and date spans, read from the full graph (articles and sentences included)."""

    def __init__(self, graph: nx.MultiDiGraph[str]) -> None:
        self.graph = graph
        self.sentences: dict[str, str] = graph.graph.get("sentences", {})

    def article(self, article_id: str) -> dict[str, Any]:
        return self.graph.nodes.get(f"article:{article_id}") or {}

    def source(self, article_id: str) -> str:
        d = self.article(article_id)
        title = d.get("name") or article_id[:12]
        return f"{title} ({d['published']})" if d.get("published") else title

    def edge_span(self, u: str, v: str, rel: str, d: dict[str, Any]) -> list[str] | None:
        g = self.graph
        if rel == "HOLDS":
            return _span([d.get("first_reported"), d.get("last_reported")])
        if rel == "HELD_IN":
            return _span([g.nodes[u].get("date")])
        if rel == "MENTIONS":
            return _span([g.nodes[u].get("published")])
        if rel in ("PARTICIPATED_IN", "ORGANISED"):
            return _span([g.nodes[v].get("date")]) or _span(self.article(a).get("published") for a in d["articles"])
        return None

    def caption(self, rel: str, d: dict[str, Any]) -> str:
        if rel == "HOLDS":
            return f"{d.get('title', '')} ({d['status']})" if d.get("status") else d.get("title", "")
        if rel == "PARTICIPATED_IN":
            return d.get("as") or "participant"
        return CAPTION.get(rel, rel.lower())

    def holding(self, v: str, d: dict[str, Any]) -> str:
        """One post held, as a line: title, organisation, status and reporting dates."""
        org = self.graph.nodes[v].get("organisation")
        where = f", {self.graph.nodes[org]['name']}" if org is not None and org in self.graph else ""
        dates = " to ".join(dict.fromkeys(filter(None, [d.get("first_reported"), d.get("last_reported")])))
        detail = ", ".join(filter(None, [d.get("status"), f"reported {dates}" if dates else ""]))
        return f"{d.get('title') or self.graph.nodes[v]['name']}{where}" + (f" ({detail})" if detail else "")

    def node_tip(self, nid: str) -> dict[str, Any]:
        g, d = self.graph, self.graph.nodes[nid]
        label = d["label"]
        rows: list[list[str]] = []
        aliases = [a for a in d.get("aliases") or [] if a != d["name"]]
        if aliases:
            rows.append(["Also known as", ", ".join(aliases)])
        if label == "Role":
            rows.append(["Title", d.get("title") or ""])
            if d.get("organisation") in g:
                rows.append(["Organisation", g.nodes[d["organisation"]]["name"]])
        for key in ("date", "published", "url", "source"):
            if d.get(key):
                rows.append([key.capitalize(), str(d[key])])
        for _, v, rel, e in g.out_edges(nid, keys=True, data=True) if label == "Person" else ():
            if rel == "HOLDS":
                rows.append(["Holds", self.holding(v, e)])
        for u, _, rel, e in g.in_edges(nid, keys=True, data=True) if label == "Role" else ():
            if rel == "HOLDS":
                rows.append(["Held by", f"{g.nodes[u]['name']} ({e.get('status', 'unknown')})"])
        rows.append(["Id", nid])
        articles = {u.split(":", 1)[1] for u, _, rel in g.in_edges(nid, keys=True) if rel == "MENTIONS"}
        for _, _, e in g.edges(nid, data=True):
            articles.update(e.get("articles", []))
        sources = sorted(self.source(a) for a in articles)
        return {
            "head": d["name"],
            "sub": " · ".join(filter(None, [label, d.get("kind") or d.get("type")])),
            "rows": rows,
            "listHead": "Reported in" if sources else "",
            "list": sources[:MAX_SOURCES],
            "more": max(len(sources) - MAX_SOURCES, 0),
        }

    def edge_tip(self, u: str, v: str, rel: str, d: dict[str, Any]) -> dict[str, Any]:
        g = self.graph
        fields = [
            ("title", "Title"),
            ("status", "Status"),
            ("first_reported", "First reported"),
            ("last_reported", "Last reported"),
            ("as", "Took part as"),
            ("count", "Mentions"),
        ]
        rows = [[name, str(d[key])] for key, name in fields if d.get(key) is not None]
        if d.get("confidence") is not None:
            rows.append(["Confidence", f"{d['confidence']:.2f}"])
        if d.get("rules"):
            rows.append(["Found by", ", ".join(d["rules"])])
        spans = d.get("spans", [])
        quotes = [[self.sentences.get(ref, ""), self.source(ref.rsplit(":", 1)[0])] for ref in spans[:MAX_QUOTES]]
        return {
            "head": f"{g.nodes[u]['name']} → {g.nodes[v]['name']}",
            "sub": rel,
            "rows": rows,
            "quotes": quotes,
            "more": max(len(spans) - MAX_QUOTES, 0),
        }


def _positions(drawn: nx.MultiDiGraph[str], core: set[str]) -> dict[str, tuple[float, float]]:
    """Positions of the `core` nodes: force-directed for those linked to each other; the others in rows
    below, the best connected (in all of `drawn`) first.

    Left to the forces, unlinked nodes drift to the rim, and fitting the rim
    shrinks every label.
    """
    sub = drawn.subgraph(core)
    pairs_by_id = {(u, v) for u, v in sub.edges() if u != v}
    linked = sorted({n for pair in pairs_by_id for n in pair})
    index = {n: i for i, n in enumerate(linked)}
    pairs = {tuple(sorted((index[u], index[v]))) for u, v in pairs_by_id}
    edges = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
    pos = spring_positions(len(linked), edges) * PIXELS_PER_UNIT
    placed = {n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in zip(linked, pos, strict=True)}
    lone = sorted(core - set(placed), key=lambda n: (-drawn.degree(n), n))
    if lone:
        left, right = (pos[:, 0].min(), pos[:, 0].max()) if len(pos) else (0.0, 0.0)
        top = (pos[:, 1].max() if len(pos) else 0.0) + ROW_PX
        per_row = max(int((right - left) // COLUMN_PX) + 1, int(np.sqrt(len(lone))))
        for i, n in enumerate(lone):
            row, column = divmod(i, per_row)
            placed[n] = (round(float(left + column * COLUMN_PX), 1), round(float(top + row * ROW_PX), 1))
    return placed


def _options(size: int, physics: bool) -> dict[str, Any]:
    return {
        "nodes": {
            "borderWidth": 1,
            "widthConstraint": {"maximum": 180},
            "font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 4, "strokeColor": "#ffffff"},
            "scaling": {"min": 10, "max": 36, "label": {"enabled": True, "min": 13, "max": 20, "drawThreshold": 6}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "width": 1,
            "color": {"color": "#a0a8b0", "highlight": "#333333", "hover": "#555555"},
            "font": {"size": 10, "color": "#555555", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "smooth": {"type": "continuous"} if physics else False,
        },
        "interaction": {
            "hover": True,
            "keyboard": True,
            "hideEdgesOnDrag": not physics,
            "hideEdgesOnZoom": not physics,
        },
        "layout": {"improvedLayout": size <= 150, "randomSeed": 7},
        # Kept when off: the page turns it on to settle a neighbourhood drawn around a focus.
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "stabilization": {"iterations": 400, "fit": True},
            "forceAtlas2Based": {
                "gravitationalConstant": -120,
                "centralGravity": 0.02,
                "springLength": 110,
                "avoidOverlap": 0.5,
            },
        },
    }


def _titled(drawn: nx.MultiDiGraph[str], nid: str) -> bool:
    """A post drawn beside its organisation is labelled with its title alone (search still finds its full
    name), and the lines to its holders with their status alone."""
    d = drawn.nodes[nid]
    return d["label"] == "Role" and bool(d.get("title")) and d.get("organisation") in drawn


def _passing(graph: nx.MultiDiGraph[str], drawn: nx.MultiDiGraph[str], most: int | None = None) -> nx.MultiDiGraph[str]:
    """The articles and their MENTIONS of drawn nodes, which the page shows on demand: an entity named only in
    passing has no other line, and hangs off its articles by these. With `most`, only that many articles, those
    mentioning most drawn nodes first."""
    found: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for v in drawn:
        for u, keyed in graph.pred[v].items():
            if "MENTIONS" in keyed and u not in drawn:
                found.setdefault(u, []).append((v, keyed["MENTIONS"]))
    if most is not None and len(found) > most:
        kept = sorted(found, key=lambda a: (-len(found[a]), a))[:most]
        found = {a: found[a] for a in sorted(kept)}
    mentions: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for u, named in found.items():
        mentions.add_node(u, **graph.nodes[u])
        for v, d in named:
            mentions.add_edge(u, v, key="MENTIONS", **d)
    return mentions


def network_data(
    graph: nx.MultiDiGraph[str],
    drawn: nx.MultiDiGraph[str],
    settings: Settings,
    core: set[str] | None = None,
    full: bool = False,
) -> dict[str, Any]:
    """Everything the page script needs: vis nodes, edges and options, the overview, legend, filter choices.

    One pass over `drawn`'s nodes and edges; only the `core` nodes the page
    opens on (default: all) get positions, so layout cost is bounded by them.
    Only the core (every node, when `full`) carries its tooltip: the other nodes
    and lines travel as a compact index (`index`, `links`: name, type, links,
    dates) that search, filters and focus need, so the page of a big graph stays
    small. Articles not drawn, and their MENTIONS, travel the same way
    (`mentions` true on them), shown by the page's "passing mentions" switch.
    """
    view = _View(graph)
    core = set(drawn) if core is None else core
    detailed = set(drawn) if full else core
    # The browser lays out only a graph it draws whole; an overview's other nodes come in by focus later.
    physics = len(core) == drawn.number_of_nodes() <= settings.html_physics_threshold
    fixed = {} if physics else _positions(drawn, core)
    passing = _passing(graph, drawn, PASSING if drawn.graph.get("omitted") else None)
    articles = [n for n in passing if n not in drawn]
    order = {
        n: i for i, n in enumerate([*(n for n in drawn if n in detailed), *(n for n in drawn if n not in detailed)])
    }
    order.update({n: i for i, n in enumerate(articles, len(order))})
    edge_spans: dict[str, list[list[str] | None]] = {}
    edges, links = [], []
    for layer in (drawn, passing):
        for u, v, rel, d in layer.edges(keys=True, data=True):
            span = view.edge_span(u, v, rel, d)
            if layer is drawn:  # a passing mention does not date the entity
                edge_spans.setdefault(u, []).append(span)
                edge_spans.setdefault(v, []).append(span)
            label = d.get("status", "") if rel == "HOLDS" and _titled(drawn, v) else view.caption(rel, d)
            if u in detailed and v in detailed and layer is drawn:
                edge = {"from": u, "to": v, "id": f"{u}|{rel}|{v}", "label": label, "rel": rel, "span": span}
                edges.append({**edge, "tip": view.edge_tip(u, v, rel, d)})
            else:
                links.append([order[u], order[v], rel, label, span])
    nodes, index = [], []
    every: list[tuple[str, dict[str, Any]]] = [(n, drawn.nodes[n]) for n in drawn]
    every += [(a, passing.nodes[a]) for a in articles]
    for nid, d in every:
        short = nid in drawn and _titled(drawn, nid)
        label = d["title"] if short else d["name"]
        aliases = [d["name"]] if short else list(d.get("aliases") or [])
        span = _span([d.get("date") or d.get("published")]) or _merge(edge_spans.get(nid, []))
        if nid not in detailed:
            index.append([nid, label, d["label"], (drawn if nid in drawn else passing).degree(nid), aliases, span])
            continue
        colour, shape = STYLE[d["label"]]
        node = {
            "id": nid,
            "label": label,
            "shape": shape,
            "color": colour,
            "value": drawn.degree(nid),
            "entity": d["label"],
            "aliases": aliases,
            "tip": view.node_tip(nid),
            "span": span,
            "core": nid in core,
        }
        if nid in fixed:
            node["x"], node["y"] = fixed[nid]
        nodes.append(node)
    index.sort(key=lambda row: order[row[0]])
    counts = drawn.graph.get("counts") or Counter(d["label"] for _, d in drawn.nodes(data=True))
    dated = [n["span"] for n in nodes if n["span"]] + [row[5] for row in index[: len(index) - len(articles)] if row[5]]
    return {
        "nodes": nodes,
        "edges": edges,
        "index": index,
        "links": links,
        "passing": len(articles),
        "style": STYLE,
        "options": _options(len(core), physics),
        "physics": physics,
        "legend": [
            {
                "label": label,
                "plural": PLURAL[label],
                "colour": STYLE[label][0],
                "shape": STYLE[label][1],
                "count": counts[label],
            }
            for label in STYLE
            if counts[label]
        ],
        "organisations": sorted(
            [d["name"], n] for n, d in drawn.nodes(data=True) if n in core and d["label"] == "Organisation"
        ),
        "dates": _merge(dated),
        "minLabelPx": MIN_LABEL_PX,
        "omitted": drawn.graph.get("omitted", 0),
    }


def script_json(value: object) -> str:
    """JSON safe inside an HTML `<script>` element: no `</script>`, comment or entity can open in it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in _JSON_ESCAPES:  # str.replace is many times faster than str.translate on megabytes
        text = text.replace(char, escape)
    return text


def _inline_script(source: str) -> str:
    if re.search(r"</script|<!--", source, re.IGNORECASE):
        raise ValueError("script source would end the <script> element early")
    return source


def _sources_html(graph: nx.MultiDiGraph[str]) -> str:
    articles = sorted(
        (d.get("published") or "", d["name"], d.get("url") or d.get("source") or "")
        for _, d in graph.nodes(data=True)
        if d["label"] == "Article"
    )
    if not articles:
        return "<span>no articles</span>"
    items = "".join(
        f"<li>{html.escape(title)}"
        + (f" <span class=muted>{html.escape(date)}</span>" if date else "")
        + (f" <span class=muted>{html.escape(where)}</span>" if where else "")
        + "</li>"
        for date, title, where in (articles if len(articles) <= LISTED else articles[-LISTED:])
    )
    if len(articles) > LISTED:  # the latest; a page listing every article would grow with the corpus
        items += f"<li class=muted>and {len(articles) - LISTED:,} earlier articles</li>"
    noun = "article" if len(articles) == 1 else "articles"
    return f"<details><summary>from {len(articles)} {noun}</summary><ol>{items}</ol></details>"


def render(
    graph: nx.MultiDiGraph[str],
    drawn: nx.MultiDiGraph[str],
    settings: Settings,
    heading: str,
    core: set[str] | None = None,
    full: bool = False,
) -> str:
    """The complete page for `drawn`, opening on `core` (default: all of it), with tooltips drawn from `graph`
    for the core (for every node when `full`)."""
    data = network_data(graph, drawn, settings, core, full)
    counts = " · ".join(
        f"{item['count']} {item['plural'] if item['count'] != 1 else item['label'].lower()}" for item in data["legend"]
    )
    edges = drawn.graph["relationships"] if "relationships" in drawn.graph else drawn.number_of_edges()
    counts = f"{counts} · {edges} relationships" if counts else "empty graph"
    parts = {
        "title": html.escape(heading),
        "heading": html.escape(heading),
        "counts": html.escape(counts),
        "sources": _sources_html(graph),
        "css": (ASSETS / "view.css").read_text(encoding="utf-8"),
        "data": script_json(data),
        "vis_js": _inline_script(VIS_JS.read_text(encoding="utf-8")),
        "view_js": _inline_script((ASSETS / "view.js").read_text(encoding="utf-8")),
    }
    template = (ASSETS / "view.html").read_text(encoding="utf-8")
    return re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m.group(1)], template)


def write(
    graph: nx.MultiDiGraph[str],
    path: Path,
    settings: Settings,
    *,
    focus: str | None = None,
    depth: int = 1,
    min_degree: int = 0,
    max_nodes: int | None = None,
    articles: bool = False,
    overview_size: int = OVERVIEW,
    full: bool = False,
    page_size: int = PAGE,
) -> None:
    """Write the interactive view of `graph` (or of one node's neighbourhood) to `path`.

    The page opens on `overview(drawn, overview_size)`; the rest of the drawn
    graph, up to `page_size` nodes in all (`page_nodes`; every node when `full`),
    is in the page as a compact index, reached by search, the filters and focus,
    and with its tooltips too when `full`.
    """
    whole, centre = _drawable(graph, focus, depth, min_degree, max_nodes, articles)
    change = graph.graph.get("change")
    default = focus is None and not min_degree and max_nodes is None and not articles
    build = isinstance(change, Change) and change.folder == Path(path).parent and default
    known = _patched(change) if build and isinstance(change, Change) else None
    if known is None:
        degree = _degrees(graph, set(whole))
        counts: Mapping[str, int] = Counter(graph.nodes[n]["label"] for n in degree)
    else:
        log.debug("html: degrees patched from the delta")
        degree, counts = known
    if build and isinstance(change, Change) and change.sha is not None:  # for the next build to patch
        _write_degrees(Path(path).parent / DEGREES, change.sha, degree, counts)
    core = overview(whole, overview_size, centre, degree)
    page = page_nodes(whole, core, 0 if full else page_size, degree)
    drawn: nx.MultiDiGraph[str] = graph.subgraph(page).copy()
    if centre is not None:
        drawn.graph["focus"] = centre
    if len(page) < len(degree):  # the page's counts and note speak of the whole drawn graph
        drawn.graph["omitted"] = len(degree) - len(page)
        drawn.graph["counts"] = Counter(counts)
        drawn.graph["relationships"] = sum(degree.values()) // 2
    heading = f"Around {graph.nodes[centre]['name']} (depth {depth})" if centre else "Knowledge graph"
    with atomic_open(Path(path)) as out:
        out.write(render(graph, drawn, settings, heading, core, full))
