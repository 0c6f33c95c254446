"""Affiliations stated without a post: the exact facts the affiliation units make of small invented
Deutsche Welle-style stories, their rule chains, and how training labels a membership."""

from __future__ import annotations

import pytest

from graph_builder.extract import Extractor
from graph_builder.extract.affiliations import UNITS
from graph_builder.extract.candidates import MEMBERSHIP
from graph_builder.extract.scorer import Candidate, Scorer
from graph_builder.extract.training import GoldDoc
from graph_builder.ingest import article_id
from graph_builder.model import Article, ArticleFacts, Status

#: Keeps a membership by its own rule and a titled post named with its body; no body the article merely offers.
DECIDER = Scorer(
    {"org:from-rule": 3.0, "org:none": 0.5, "org:in-article": -4.0, "org:same-paragraph": -4.0},
    bias=-1.0,
    threshold=0.5,
    meta={},
)
MEMBER_CHAIN = ("holder:membership", "title:membership")
CUR = Status.CURRENT


def member(person: str, org: str, unit: str) -> tuple[str, str, str, tuple[str, ...]]:
    """The membership fact an affiliation unit makes, its body also named in the same sentence."""
    return (person, MEMBERSHIP, org, (*MEMBER_CHAIN, f"org:{unit}", "org:same-sentence", "status:default"))


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(workers=1, scorer=DECIDER)


def facts(extractor: Extractor, text: str) -> ArticleFacts:
    return extractor.extract_one(Article(article_id(text), "t", text))


def roles_of(extractor: Extractor, headline: str, *sentences: str) -> set[tuple[object, ...]]:
    """Person, title, organisation and chain of each role fact of a story with this headline and body."""
    text = f"{headline}\n\n{' '.join(sentences)}"
    return {(r.person, r.title, r.organisation, r.rules) for r in facts(extractor, text).roles}


def test_a_holders_party_is_a_membership_and_one_organisation(extractor: Extractor) -> None:
    text = (
        "Coalition talks stall in Berlin\n\n"
        "Chancellor Karin Albers's conservative Christian Democrats (CDU) won the most seats on Sunday. "
        "The CDU wants a new coalition by May."
    )
    got = facts(extractor, text)
    assert {(r.person, r.title, r.organisation, r.status, r.rules) for r in got.roles} == {
        (
            "Karin Albers",
            MEMBERSHIP,
            "CDU",
            CUR,
            (*MEMBER_CHAIN, "org:member:holder-possessive", "org:same-sentence", "status:default"),
        ),
    }
    # The party's lexicon name stands for its acronym; it is no second organisation.
    assert {e.name for e in got.entities if e.label == "Organisation"} == {"CDU"}


def test_a_player_of_the_club_he_joined_or_plays_for(extractor: Extractor) -> None:
    assert roles_of(
        extractor,
        "Hallstadt FC beat Borussia Kremmen",
        "Hallstadt FC beat Borussia Kremmen in the Bundesliga on Saturday.",
        "Jonas Weidel plays for Hallstadt FC, and the Bundesliga season has ten matches left.",
        "Tobias Renk joined Borussia Kremmen in 2008.",
    ) == {
        member("Jonas Weidel", "Hallstadt FC", "member:side-verb"),
        member("Tobias Renk", "Borussia Kremmen", "member:side-verb"),
    }


def test_a_team_in_the_possessive_before_its_player_or_its_list_of_players(extractor: Extractor) -> None:
    assert roles_of(
        extractor,
        "Hallstadt FC beat Borussia Kremmen",
        "Borussia Kremmen lost a football match to Hallstadt FC in the Bundesliga on Saturday.",
        "Borussia Kremmen's young Jonas Weidel equalised before half-time, and the league leaders' coach praised "
        "the football they played.",
        "Borussia Kremmen's Tobias Renk, Ann Pike and Dean Mallory returned to the side.",
    ) == {
        member("Jonas Weidel", "Borussia Kremmen", "member:possessive-team"),
        # the name right after the possessive is the membership unit's; the rest of the list is this unit's
        member("Tobias Renk", "Borussia Kremmen", "membership"),
        member("Ann Pike", "Borussia Kremmen", "member:possessive-team"),
        member("Dean Mallory", "Borussia Kremmen", "member:possessive-team"),
    }


def test_a_body_of_a_person_past_their_title_words(extractor: Extractor) -> None:
    assert roles_of(
        extractor,
        "Polls open in Lanvia",
        "The Lanvian People's Party (LPP) under the leadership of Omar Haddi won in 2008.",
        "Voters now favour the Union League of former banker Sara Quist.",
    ) == {
        member("Omar Haddi", "Lanvian People's Party", "member:body-of-holder"),
        member("Sara Quist", "Union League", "member:body-of-holder"),
    }


def test_a_party_in_the_words_that_describe_a_person(extractor: Extractor) -> None:
    post = ("title:lexicon-head", "org:same-sentence", "status:default")
    assert roles_of(
        extractor,
        "Asylum debate in the Bundestag",
        "Petra Lorenz is a Christian Democrat member of the Bundestag.",
        "Omar Tessin, a Left party MP, urged ministers to act.",
    ) == {
        ("Petra Lorenz", "member", "Bundestag", ("holder:verb", *post[:1], "org:of-name-run", *post[1:])),
        # the article's words name the party ("Christian Democrat"); the lexicon's name is an alias
        member("Petra Lorenz", "Christian Democrat", "member:party-in-description"),
        ("Omar Tessin", "MP", "Left party", ("holder:nearby", *post[:1], "org:before-title:party", *post[1:])),
    }


def test_no_affiliation_without_its_words(extractor: Extractor) -> None:
    text = (
        "Budget vote delayed\n\n"
        "Karin Albers's decision surprised the Christian Democrats. Jonas Weidel visited Hallstadt FC on Monday."
    )
    assert facts(extractor, text).roles == ()


def test_every_affiliation_unit_has_an_id_and_an_example() -> None:
    ids = [rule for rule, _ in UNITS]
    assert ids == [
        "member:holder-possessive",
        "member:side-verb",
        "member:body-of-holder",
        "member:party-in-description",
        "member:possessive-team",
    ]
    for rule, unit in UNITS:
        assert unit.__doc__ is not None and unit.__doc__.count('"') >= 2, rule


def test_a_membership_is_labelled_by_affiliation_a_post_by_its_title() -> None:
    gold = GoldDoc.from_record(
        {
            "doc_id": "d",
            "people": [{"name": "Karin Albers", "aliases": ["Albers"]}],
            "organisations": [{"name": "Christian Democratic Union", "aliases": ["CDU"]}],
            "roles": [{"person": "Karin Albers", "title": "leader", "organisation": "Christian Democratic Union"}],
        }
    )

    def label(title: str, org: str | None) -> int | None:
        return gold.label(Candidate(0, "Albers", title, org, CUR, None, (), frozenset()))  # type: ignore[arg-type]

    assert [label(MEMBERSHIP, "CDU"), label(MEMBERSHIP, None), label("treasurer", "CDU"), label("leader", "CDU")] == [
        1,
        0,
        0,
        1,
    ]


def test_a_possessive_body_outside_a_sports_story_has_no_players(extractor: Extractor) -> None:
    """ "Kestrel Bank's critic Ivo Brandt": a possessive before a describing noun, in a story about no sport."""
    assert roles_of(extractor, "Kestrel Bank", "Kestrel Bank's critic Ivo Brandt spoke on Monday.") == set()
