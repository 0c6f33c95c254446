"""Resolution and graph assembly on facts built by hand (no spaCy)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from graph_builder import queries
from graph_builder.config import Settings
from graph_builder.graph import build_graph, edges_of, nodes_of, role_id
from graph_builder.model import Article, ArticleFacts, Entity, EventFact, Evidence, RoleFact
from graph_builder.sinks import store


def facts(
    aid: str,
    published: str | None,
    *roles: tuple[str, str, str | None, str],
    entities: tuple[Entity, ...] = (),
    events: tuple[EventFact, ...] = (),
) -> ArticleFacts:
    art = Article(aid, f"doc-{aid}", "", title=f"Story {aid}", published=published)
    ev = Evidence(aid, 0, 10, f"sentence of {aid}")
    role_facts = tuple(RoleFact(p, t, o, s, ev, "test") for p, t, o, s in roles)
    return ArticleFacts(art, entities, role_facts, events, ())


LENZ = Entity("Maria Lenz", "Person", ("Lenz",))
NORVALE = Entity("Norvale Energy", "Organisation", ("NE",), "company")


def test_same_person_across_articles_is_one_node_with_merged_provenance() -> None:
    a = facts(
        "a1", "2025-03-01", ("Maria Lenz", "chief executive", "Norvale Energy", "current"), entities=(LENZ, NORVALE)
    )
    b = facts(
        "b2",
        "2025-04-01",
        ("Ms Lenz", "chief executive", "Norvale Energy", "former"),
        entities=(Entity("Ms Lenz", "Person"), NORVALE),
    )
    g = build_graph([a, b])
    assert [p["id"] for p in nodes_of(g, "Person")] == ["person:maria-lenz"]
    ((_, v, holds),) = edges_of(g, "HOLDS")
    assert v == role_id("chief executive", "org:norvale-energy")
    assert holds["articles"] == ["a1", "b2"]
    assert holds["first_reported"] == "2025-03-01" and holds["last_reported"] == "2025-04-01"
    assert holds["status"] == "former"  # the latest report decides
    assert g.graph["sentences"]["a1:0-10"] == "sentence of a1"


def test_order_of_articles_does_not_matter() -> None:
    a = facts(
        "a1", "2025-03-01", ("Maria Lenz", "chief executive", "Norvale Energy", "current"), entities=(LENZ, NORVALE)
    )
    b = facts(
        "b2",
        None,
        ("Tomas Arden", "chairman", "Norvale Energy", "current"),
        entities=(Entity("Tomas Arden", "Person"), NORVALE),
    )
    one, two = build_graph([a, b]), build_graph([b, a])
    assert sorted(one.nodes(data=True)) == sorted(two.nodes(data=True))
    assert sorted(one.edges(keys=True, data=True)) == sorted(two.edges(keys=True, data=True))


@pytest.mark.parametrize(
    ("first", "second", "status"),
    [
        ((None, "current"), (None, "former"), "former"),  # "will step down", then "the former finance chief"
        ((None, "former"), (None, "current"), "former"),  # whichever article is read first
        ((None, "future"), (None, "current"), "current"),  # "incoming", then in office
        ((None, "current"), (None, "future"), "current"),
        (("2025-03-01", "current"), (None, "former"), "current"),  # a dated report outweighs undated ones
        ((None, "former"), ("2025-03-01", "current"), "current"),
    ],
)
def test_status_of_a_post_reported_twice(
    first: tuple[str | None, str], second: tuple[str | None, str], status: str
) -> None:
    a, b = (
        facts(aid, date, ("Maria Lenz", "chief executive", "Norvale Energy", said), entities=(LENZ, NORVALE))
        for aid, (date, said) in (("a1", first), ("b2", second))
    )
    ((*_, holds),) = edges_of(build_graph([a, b]), "HOLDS")
    assert holds["status"] == status


def test_acronym_only_mention_joins_the_full_name() -> None:
    a = facts("a1", None, entities=(NORVALE,))
    b = facts(
        "b2",
        None,
        ("Tomas Arden", "chairman", "NE", "current"),
        entities=(Entity("Tomas Arden", "Person"), Entity("NE", "Organisation")),
    )
    g = build_graph([a, b])
    assert [o["name"] for o in nodes_of(g, "Organisation")] == ["Norvale Energy"]


def test_unattached_post_folds_into_the_named_one() -> None:
    a = facts("a1", None, ("Maria Lenz", "chief executive", "Norvale Energy", "current"), entities=(LENZ, NORVALE))
    b = facts("b2", None, ("Maria Lenz", "chief executive", None, "current"), entities=(LENZ,))
    g = build_graph([a, b])
    ((_, _, holds),) = edges_of(g, "HOLDS")
    assert holds["articles"] == ["a1", "b2"]
    assert len(nodes_of(g, "Role")) == 1


def test_event_edges_carry_provenance() -> None:
    ev = EventFact(
        None, "meeting", ("Maria Lenz", "Tomas Arden"), Evidence("a1", 5, 40, "They met."), "test", place="Lisbon"
    )
    a = facts("a1", None, entities=(LENZ, Entity("Tomas Arden", "Person"), Entity("Lisbon", "Place")), events=(ev,))
    g = build_graph([a])
    parts = edges_of(g, "PARTICIPATED_IN")
    assert {u for u, _, _ in parts} == {"person:maria-lenz", "person:tomas-arden"}
    assert all(d["spans"] == ["a1:5-40"] for _, _, d in parts)
    assert [v for _, v, _ in edges_of(g, "HELD_IN")] == ["place:lisbon"]
    assert {v for _, v, _ in edges_of(g, "MENTIONS")} >= {"event:" + parts[0][1].split(":", 1)[1]}


def test_legal_form_does_not_split_a_body() -> None:
    a = facts(
        "a1",
        None,
        ("Ray Dunmore", "chairman", "Harbour City FC", "current"),
        entities=(Entity("Ray Dunmore", "Person"), Entity("Harbour City FC", "Organisation")),
    )
    b = facts(
        "b2",
        None,
        ("Lucia Ferraro", "head coach", "Harbour City", "current"),
        entities=(Entity("Lucia Ferraro", "Person"), Entity("Harbour City", "Organisation")),
    )
    g = build_graph([a, b])
    (org,) = nodes_of(g, "Organisation")
    assert org["id"] == "org:harbour-city" and {org["name"], *org["aliases"]} == {"Harbour City FC", "Harbour City"}


def test_unattached_post_in_other_word_order_folds_too() -> None:
    kask = Entity("Aino Kask", "Person")
    gov = Entity("Government of Estonia", "Organisation", ("Estonia",), "government")
    a = facts(
        "a1",
        None,
        ("Aino Kask", "Minister for Trade and Industry", "Government of Estonia", "current"),
        entities=(kask, gov),
    )
    b = facts("b2", None, ("Aino Kask", "Trade and Industry Minister", None, "current"), entities=(kask,))
    g = build_graph([a, b])
    assert len(nodes_of(g, "Role")) == 1


def test_title_synonyms_name_one_post() -> None:
    from graph_builder.titles import title_key

    assert title_key("CEO") == title_key("chief executive") == title_key("former chief executive")
    assert role_id("ex-CEO", "org:norvale-energy") == role_id("chief executive", "org:norvale-energy")
    assert title_key("chief executive") != title_key("chief financial officer")


def test_bodies_sharing_a_full_name_alias_are_one() -> None:
    # Three articles name one party three ways; each lists the lexicon name among its aliases.
    spd = Entity("SPD", "Organisation", ("Social Democratic Party",), "party")
    social = Entity("Social Democrats", "Organisation", ("Social Democratic Party",), "party")
    full = Entity("Social Democratic Party", "Organisation", (), "party")
    wolff = Entity("Jana Wolff", "Person")
    g = build_graph(
        [
            facts("a1", None, ("Jana Wolff", "leader", "SPD", "current"), entities=(spd, wolff)),
            facts("b2", None, ("Jana Wolff", "leader", "Social Democrats", "current"), entities=(social, wolff)),
            facts("c3", None, entities=(full,)),
        ]
    )
    assert len(nodes_of(g, "Organisation")) == 1
    ((_, _, holds),) = edges_of(g, "HOLDS")
    assert holds["articles"] == ["a1", "b2"]


def test_a_club_is_not_merged_into_its_citys_government() -> None:
    city = Entity("Government of Harbour City", "Organisation", ("Harbour City",), "government")
    club = Entity("Harbour City FC", "Organisation", (), "club")
    g = build_graph(
        [
            facts(
                "a1",
                None,
                ("Jane Doe", "mayor", "Government of Harbour City", "current"),
                entities=(city, Entity("Jane Doe", "Person")),
            ),
            facts(
                "b2",
                None,
                ("John Smith", "manager", "Harbour City FC", "current"),
                entities=(club, Entity("John Smith", "Person")),
            ),
        ]
    )
    assert sorted(o["name"] for o in nodes_of(g, "Organisation")) == ["Government of Harbour City", "Harbour City FC"]


def test_strangers_with_one_title_and_no_organisation_are_not_linked(tmp_path: Path) -> None:
    """Two unrelated people, each reported only as "chief executive", share no post and no path."""
    a = facts("a1", None, ("Ada Quill", "chief executive", None, "current"), entities=(Entity("Ada Quill", "Person"),))
    b = facts("b2", None, ("Bo Strand", "CEO", None, "current"), entities=(Entity("Bo Strand", "Person"),))
    g = build_graph([a, b])
    posts = {v for _, v, _ in edges_of(g, "HOLDS")}
    assert posts == {
        role_id("chief executive", None, "person:ada-quill"),
        role_id("CEO", None, "person:bo-strand"),
    }
    assert len(posts) == 2
    walk = nx.Graph(
        (u, v) for u, v, k in g.edges(keys=True) if k in ("HOLDS", "ROLE_IN", "PARTICIPATED_IN", "ORGANISED")
    )
    assert not nx.has_path(walk, "person:ada-quill", "person:bo-strand")
    path = tmp_path / store.FILENAME
    store.write(g, path, Settings())
    for name in ("shortest_connection",):
        q = queries.get(name, "ladybug")
        assert store.run_query(path, q.text, {"a": "Ada Quill", "b": "Bo Strand"})[1] == []
    assert store.run_query(path, queries.get("contradictions", "ladybug").text)[1] == []
    most = dict(store.run_query(path, queries.get("most_connected", "ladybug").text)[1])
    assert most == {"Ada Quill": 1, "Bo Strand": 1}


def test_sentences_are_nodes_linked_to_their_article_and_facts(tmp_path: Path) -> None:
    ev = Evidence("a1", 0, 10, "sentence of a1")
    meet = EventFact(None, "meeting", ("Maria Lenz", "Tomas Arden"), Evidence("a1", 20, 40, "They met."), "test")
    tomas = Entity("Tomas Arden", "Person")
    a = facts(
        "a1",
        "2025-03-01",
        ("Maria Lenz", "chief executive", "Norvale Energy", "current"),
        entities=(LENZ, NORVALE, tomas),
        events=(meet,),
    )
    g = build_graph([a])
    sentence = g.nodes["a1:0-10"]
    assert (
        sentence["label"] == "Sentence"
        and sentence["text"] == ev.text
        and (sentence["start"], sentence["end"]) == (0, 10)
    )
    assert g.has_edge("a1:0-10", "article:a1", key="IN_ARTICLE")
    rid = role_id("chief executive", "org:norvale-energy")
    states = g.edges["a1:0-10", rid, "STATES"]
    assert states["holders"] == ["person:maria-lenz"] and states["facts"] == [
        g.edges["person:maria-lenz", rid, "HOLDS"]["fact"]
    ]
    path = tmp_path / store.FILENAME
    store.write(g, path, Settings())
    rows = store.run_query(
        path, queries.get("role_sentences", "ladybug").text, {"role": "chief executive, Norvale Energy"}
    )[1]
    assert rows == [["Maria Lenz", "current", "sentence of a1", "Story a1", None, "2025-03-01", 0, 10]]
    columns, about = store.run_query(path, queries.get("about", "ladybug").text, {"name": "Tomas Arden"})
    assert [dict(zip(columns, r, strict=True))["sentence"] for r in about] == ["They met."]


def test_fact_ids_do_not_change_when_unrelated_articles_are_added() -> None:
    a = facts("b5", None, ("Maria Lenz", "chief executive", "Norvale Energy", "current"), entities=(LENZ, NORVALE))
    other = facts(
        "a0",
        None,
        ("Tomas Arden", "chairman", "Harbour Club", "current"),
        entities=(Entity("Tomas Arden", "Person"), Entity("Harbour Club", "Organisation")),
    )
    alone = {d["fact"] for _, _, d in edges_of(build_graph([a]), "HOLDS")}
    both = {d["fact"] for _, _, d in edges_of(build_graph([a, other]), "HOLDS")}
    assert len(alone) == 1 and alone < both
