"""Incremental assembly equals a full `build_graph`: random add/remove sequences over articles whose
names resolve differently as the corpus around them changes (a surname alone, a short form, a name
typed two ways), with each step's state written to Parquet and read back as a build would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_builder.assembly import (
    FILENAME,
    GRAPH_FILE,
    Assembly,
    _assemble_all,
    _graph_blob,
    _graph_of,
    assemble,
    read_assembly,
    write_assembly,
)
from graph_builder.delta import Digests, GraphDelta, NodeKey, RelKey, diff, digests_of
from graph_builder.graph import build_graph, finish, finish_reach
from graph_builder.model import ArticleFacts, Entity, EventFact, RoleFact, Status
from graph_builder.resolve import Resolver
from graph_builder.sinks.html import drawable_degrees, patch_degrees
from tests.factories import aramaki_corpus, evidence, facts_a, facts_b, loaded_article

PEOPLE = ("Ana Lima", "Lima", "Bo Chen", "Chen", "Cara Vance")
ORGS = ("Acme Group", "Acme", "Borealis Bank")
PLACES = ("Lisbon", "Acme")  # "Acme" a place in some articles, a body in others: the vote decides
TITLES = ("Chair", "Chief Executive", "Director")


@st.composite
def articles(draw: st.DrawFn, n: int) -> ArticleFacts:
    """A small article: people holding posts (some with no organisation), a meeting, a named forum."""
    people = draw(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=3, unique=True))
    orgs = draw(st.lists(st.sampled_from(ORGS), max_size=2, unique=True))
    place = draw(st.sampled_from(PLACES))
    sentences = [f"{p} spoke in {place} on day {n}." for p in people]
    published = draw(st.sampled_from([None, "2025-01-02", "2025-03-04", "2025-03-04"]))
    art = loaded_article(f"art-{n:03d}", " ".join(sentences), published)
    roles = tuple(
        RoleFact(
            p,
            draw(st.sampled_from(TITLES)),
            draw(st.sampled_from([None, *orgs])),
            draw(st.sampled_from([Status.CURRENT, Status.FORMER])),
            evidence(art, s),
            draw(st.sampled_from(["appositive", "copula"])),
            draw(st.sampled_from([0.4, 0.8])),
        )
        for p, s in zip(people, sentences, strict=True)
        if draw(st.booleans())
    )
    events = []
    if len(people) > 1 and draw(st.booleans()):
        events.append(EventFact(None, "meeting", tuple(people[:2]), evidence(art, sentences[0]), "met", place=place))
    if draw(st.booleans()):
        events.append(
            EventFact(
                "Harbour Forum",
                "conference",
                (people[-1],),
                evidence(art, sentences[-1]),
                "spoke-at",
                organisers=tuple(orgs[:1]),
                roles=((people[-1], "speaker"),),
            )
        )
    entities = (
        *(Entity(p, "Person") for p in people),
        *(Entity(o, "Organisation", kind="company") for o in orgs),
        Entity(place, "Place", kind="city"),
    )
    mentions = tuple((e.name, draw(st.integers(1, 3))) for e in entities)
    return ArticleFacts(art, entities, roles, tuple(events), mentions)


def _dump(g: nx.MultiDiGraph[str]) -> tuple[dict[str, Any], dict[tuple[str, str, str], Any], dict[str, str]]:
    return (
        {n: dict(d) for n, d in g.nodes.items()},
        {(u, v, k): dict(d) for u, v, k, d in g.edges(keys=True, data=True)},
        dict(g.graph["sentences"]),
    )


def _delta_rows(delta: GraphDelta) -> dict[str, set[Any]]:
    """Each list of a delta as a set of (key, properties) rows: the order a diff finds them in is free."""
    return {
        name: {(r, None) if isinstance(r, NodeKey | RelKey) else (r.key, repr(sorted(r.props.items()))) for r in rows}
        for name, rows in vars(delta).items()
    }


def _step(facts: list[ArticleFacts], previous: Assembly | None, path: Path) -> Assembly:
    """One build's assembly from the state the previous build wrote, then written for the next one; the delta
    from the previous graph's digests, comparing only what the refold reached, is the delta comparing all."""
    last = finish(_graph_of(_graph_blob(previous.graph))) if previous is not None else None
    old = digests_of(last) if last is not None else Digests()
    before = drawable_degrees(last) if last is not None else ({}, {})
    state = assemble({af.article.id: af for af in facts}, Resolver(facts), previous)
    write_assembly(state, path)
    reach = finish_reach(state.graph, state.touched) if state.touched is not None else None
    assert (reach is None) == (previous is None)
    graph = finish(state.graph)
    full = build_graph(facts)
    assert _dump(graph) == _dump(full)
    delta, after = diff(old, graph, reach)
    whole_delta, whole_after = diff(old, full)
    assert after == whole_after
    assert _delta_rows(delta) == _delta_rows(whole_delta)
    # the HTML view's degrees of the previous graph, patched with the delta, are those of the new graph
    assert patch_degrees(*before, delta) == drawable_degrees(full)
    back = read_assembly(path)
    assert back is not None
    return back


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pool=st.integers(6, 12).flatmap(lambda n: st.tuples(*(articles(i) for i in range(n)))),
    steps=st.lists(st.sets(st.integers(0, 11), min_size=0, max_size=12), min_size=2, max_size=5),
)
def test_random_add_remove_sequences_assemble_as_a_full_build(
    pool: tuple[ArticleFacts, ...], steps: list[set[int]], tmp_path: Path
) -> None:
    state = None
    for chosen in steps:
        facts = [pool[i] for i in sorted(chosen) if i < len(pool)]
        state = _step(facts, state, tmp_path / FILENAME)


def _ordered(g: nx.MultiDiGraph[str]) -> tuple[list[Any], ...]:
    """A graph as its sinks iterate it: nodes, relationships out and in, each in networkx's order."""
    return (
        list(g.nodes(data=True)),
        list(g.edges(keys=True, data=True)),
        list(g.in_edges(keys=True, data=True)),
        [dict(g.graph)],
    )


@settings(max_examples=30, deadline=None)
@given(
    pool=st.integers(1, 12).flatmap(lambda n: st.tuples(*(articles(i) for i in range(n)))),
    batch=st.integers(1, 4),
)
def test_a_corpus_folded_one_article_at_a_time_is_the_fold_of_an_empty_state(
    pool: tuple[ArticleFacts, ...], batch: int
) -> None:
    """A first build folds article by article, never holding every op; its state is, in every order a sink
    or the next build reads, what the general fold of an empty state makes."""
    facts = {af.article.id: af for af in pool}
    streamed = _assemble_all(facts, Resolver(pool), batch)
    general = assemble(facts, Resolver(pool), Assembly())
    assert _ordered(streamed.graph) == _ordered(general.graph)
    assert streamed.ops.equals(general.ops)
    assert streamed.articles == general.articles
    assert _ordered(finish(streamed.graph)) == _ordered(finish(general.graph))


def test_a_surname_resolving_anew_re_assembles_the_articles_that_use_it(tmp_path: Path) -> None:
    """ "Aramaki" alone is a person of its own until an article names Kenji Aramaki; then it is him, and the
    article that says "Aramaki" is re-assembled though it did not change; taking that article out again
    leaves the graph a full build of the rest gives."""
    one, two = aramaki_corpus()
    a, b = facts_a(), facts_b()
    state = _step([two], None, tmp_path / FILENAME)
    assert "person:aramaki" in state.graph
    state = _step([two, a, b], state, tmp_path / FILENAME)
    assert "person:aramaki" not in state.graph
    state = _step([one, two, b], state, tmp_path / FILENAME)
    state = _step([two], state, tmp_path / FILENAME)
    assert "person:aramaki" in state.graph


def test_state_of_another_version_is_not_read(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    path = tmp_path / FILENAME
    write_assembly(_step([facts_a()], None, path), path)
    table = pq.read_table(path)
    pq.write_table(table.replace_schema_metadata({"stamp": "0|other"}), path)
    assert read_assembly(path) is None
    assert read_assembly(tmp_path / "missing.parquet") is None


def test_a_graph_blob_not_the_one_its_state_names_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / FILENAME
    write_assembly(_step([facts_a(), facts_b()], None, path), path)
    blob = (tmp_path / GRAPH_FILE).read_bytes()
    (tmp_path / GRAPH_FILE).write_bytes(blob[:-1] + bytes([blob[-1] ^ 1]))
    assert read_assembly(path) is None
    (tmp_path / GRAPH_FILE).unlink()
    assert read_assembly(path) is None


@pytest.mark.parametrize("changed", [set(), {"a1"}])
def test_an_article_extracted_again_is_re_assembled(tmp_path: Path, changed: set[str]) -> None:
    a, b = facts_a(), facts_b()
    state = _step([a, b], None, tmp_path / FILENAME)
    again = assemble({af.article.id: af for af in (a, b)}, Resolver([a, b]), state, changed)
    assert _dump(finish(again.graph)) == _dump(build_graph([a, b]))


def _chair(n: int, org: str | None) -> ArticleFacts:
    """Ana Lima as chair, of `org` or of no organisation named."""
    sentence = f"Ana Lima, the chair, spoke on day {n}."
    art = loaded_article(f"chair-{n}", sentence, "2025-01-02")
    orgs = (Entity(org, "Organisation", kind="company"),) if org else ()
    role = RoleFact("Ana Lima", "Chair", org, Status.CURRENT, evidence(art, sentence), "appositive", 0.8)
    return ArticleFacts(art, (Entity("Ana Lima", "Person"), *orgs), (role,), (), (("Ana Lima", 1),))


def test_a_post_that_stops_folding_into_another_takes_its_mentions_back(tmp_path: Path) -> None:
    """The unattached chair of article 1 folds into Ana Lima's one attached chair (Acme Group), and its mention
    with it; once article 3 makes her chair of a second body it stands apart again, and article 1's mention of
    the Acme chair goes, though neither article 1 nor that post was refolded: the reach of the refold covers
    them (through their holder), so comparing only that reach still finds the mention gone."""
    first = [_chair(1, None), _chair(2, "Acme Group")]
    state = _step(first, None, tmp_path / FILENAME)
    folded = finish(_graph_of(_graph_blob(state.graph)))
    acme = next(n for n, d in folded.nodes.items() if d["label"] == "Role" and d.get("organisation"))
    assert folded.has_edge("article:chair-1", acme, key="MENTIONS")
    state = _step([*first, _chair(3, "Borealis Bank")], state, tmp_path / FILENAME)
    assert not finish(_graph_of(_graph_blob(state.graph))).has_edge("article:chair-1", acme, key="MENTIONS")
