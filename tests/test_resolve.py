"""Type-consistent resolution on facts built by hand: one name is one entity of one type."""

from __future__ import annotations

import networkx as nx

from graph_builder.graph import build_graph, edges_of, nodes_of
from graph_builder.model import Article, ArticleFacts, Entity, EventFact, Evidence, RoleFact


def art(
    aid: str,
    *entities: Entity,
    roles: tuple[tuple[str, str, str | None], ...] = (),
    events: tuple[EventFact, ...] = (),
    mentions: tuple[tuple[str, int], ...] = (),
) -> ArticleFacts:
    ev = Evidence(aid, 0, 10, f"sentence of {aid}")
    return ArticleFacts(
        Article(aid, f"doc-{aid}", ""),
        entities,
        tuple(RoleFact(p, t, o, "current", ev, "test") for p, t, o in roles),
        events,
        mentions,
    )


def names(graph: nx.MultiDiGraph, label: str) -> list[str]:
    return sorted(n["name"] for n in nodes_of(graph, label))


ENERGY = Entity("Norvale Energy", "Organisation", (), "company")
LENZ = Entity("Maria Lenz", "Person")


def test_short_form_of_a_company_joins_it_whatever_label_it_was_given() -> None:
    g = build_graph(
        [
            art(
                "a1",
                ENERGY,
                LENZ,
                Entity("Norvale", "Person"),
                roles=(("Maria Lenz", "chief executive", "Norvale Energy"),),
            ),
            art("b2", ENERGY, Entity("Norvale", "Place"), mentions=(("Norvale", 1),)),
            art("c3", ENERGY, Entity("Norvale", "Organisation")),
        ]
    )
    assert names(g, "Organisation") == ["Norvale Energy"]
    assert names(g, "Person") == ["Maria Lenz"] and names(g, "Place") == []
    (org,) = nodes_of(g, "Organisation")
    assert org["aliases"] == ["Norvale"]
    assert {v for u, v, k in g.edges(keys=True) if u == "article:b2" and k == "MENTIONS"} == {"org:norvale-energy"}


def test_a_place_that_stands_alone_is_not_a_public_bodys_short_form() -> None:
    council = Entity("Atlantic Maritime Council", "Organisation", (), "international")
    brand = Entity("Atlantic Shipping", "Organisation", (), "company")
    g = build_graph([art("a1", council, brand, Entity("Atlantic", "Place")), art("b2", Entity("Atlantic", "Place"))])
    assert names(g, "Place") == ["Atlantic"]


def test_disney_is_not_renamed_disney_plus() -> None:
    disney = Entity("Disney", "Organisation", (), "company")
    plus = Entity("Disney+", "Organisation")
    g = build_graph([art("a1", disney, plus, mentions=(("Disney", 3), ("Disney+", 5))), art("b2", disney)])
    assert names(g, "Organisation") == ["Disney", "Disney+"]


def test_capitalised_dateline_is_the_place() -> None:
    g = build_graph(
        [
            art("a1", Entity("OSLO", "Organisation"), Entity("Oslo", "Place"), mentions=(("OSLO", 1), ("Oslo", 2))),
            art("b2", Entity("Oslo", "Place")),
        ]
    )
    assert names(g, "Organisation") == [] and names(g, "Place") == ["Oslo"]
    assert nodes_of(g, "Place")[0]["aliases"] == ["OSLO"]


def test_one_name_one_type_by_the_votes_of_its_mentions() -> None:
    club = Entity("Ribeira Alta", "Organisation")
    g = build_graph(
        [
            art("a1", club, Entity("Tiago Sequeira", "Person"), roles=(("Tiago Sequeira", "captain", "Ribeira Alta"),)),
            art("b2", Entity("Ribeira Alta", "Person"), mentions=(("Ribeira Alta", 1),)),
        ]
    )
    assert names(g, "Organisation") == ["Ribeira Alta"] and names(g, "Person") == ["Tiago Sequeira"]


def test_surname_joins_the_full_name_of_its_article() -> None:
    pieter = Entity("Pieter van Dorn", "Person")
    g = build_graph(
        [
            art("a1", pieter, Entity("van Dorn", "Person")),
            art("b2", Entity("Bruno Salgado", "Person"), Entity("Salgado", "Place")),
            art("c3", Entity("Ana Salgado", "Person")),
        ]
    )
    assert names(g, "Person") == ["Ana Salgado", "Bruno Salgado", "Pieter van Dorn"]
    assert names(g, "Place") == []
    bruno = next(p for p in nodes_of(g, "Person") if p["name"] == "Bruno Salgado")
    assert bruno["aliases"] == ["Salgado"]


def test_surname_alone_across_articles_joins_the_only_candidate() -> None:
    g = build_graph([art("a1", Entity("Pieter van Dorn", "Person")), art("b2", Entity("van Dorn", "Person"))])
    assert names(g, "Person") == ["Pieter van Dorn"]


def test_words_that_are_no_entity_are_dropped() -> None:
    summit = EventFact("Atlantic Maritime Summit", "summit", ("Maria Lenz",), Evidence("a1", 0, 10, "s"), "test")
    g = build_graph(
        [
            art(
                "a1",
                LENZ,
                Entity("Atlantic Maritime Summit", "Organisation"),
                Entity("Turnout", "Person"),
                Entity("Logistics", "Place"),
                Entity("Government of Latvia", "Organisation", ("Latvia",), "government"),
                roles=(("Maria Lenz", "Minister for Transport and Logistics", "Government of Latvia"),),
                events=(summit,),
                mentions=(("Turnout", 1), ("Logistics", 1)),
            )
        ]
    )
    assert names(g, "Organisation") == ["Government of Latvia"]
    assert names(g, "Person") == ["Maria Lenz"] and names(g, "Place") == []
    assert [d["name"] for d in nodes_of(g, "Event")] == ["Atlantic Maritime Summit"]


def test_a_one_word_person_that_is_someones_surname_stays() -> None:
    g = build_graph(
        [
            art("a1", Entity("Tomas Arden", "Person"), Entity("Maria Arden", "Person")),
            art("b2", Entity("Arden", "Person"), roles=(("Arden", "chairman", None),)),
        ]
    )
    assert "Arden" in names(g, "Person")
    assert [u for u, _, _ in edges_of(g, "HOLDS")] == ["person:arden"]


def test_a_short_form_across_articles_joins_the_only_longer_name_it_abbreviates() -> None:
    g = build_graph(
        [
            art("a1", ENERGY, LENZ, roles=(("Maria Lenz", "chief executive", "Norvale Energy"),)),
            art(
                "b2",
                Entity("Norvale", "Organisation"),
                Entity("Tomas Arden", "Person"),
                roles=(("Tomas Arden", "chairman", "Norvale"),),
            ),
        ]
    )
    assert names(g, "Organisation") == ["Norvale Energy"]
    assert nodes_of(g, "Organisation")[0]["aliases"] == ["Norvale"]
    assert {v for _, v, _ in edges_of(g, "ROLE_IN")} == {"org:norvale-energy"}


def test_a_short_form_with_two_longer_candidates_or_of_another_type_stays_apart() -> None:
    shipping = Entity("Norvale Shipping", "Organisation", (), "company")
    g = build_graph(
        [
            art("a1", ENERGY, shipping),
            art("b2", Entity("Norvale", "Organisation"), mentions=(("Norvale", 2),)),
            art("c3", Entity("Veltrane", "Place"), mentions=(("Veltrane", 1),)),
            art("d4", Entity("Veltrane Robotics", "Organisation", (), "company")),
        ]
    )
    assert names(g, "Organisation") == ["Norvale", "Norvale Energy", "Norvale Shipping", "Veltrane Robotics"]
    assert names(g, "Place") == ["Veltrane"]
