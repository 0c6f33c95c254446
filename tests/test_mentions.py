"""Who and what an article names: the exact people, organisations and places of small articles written here.

Each case pins the whole answer, so a rule that starts to over-generate (a drone as a company, a club's
country as a government, editors' initials as a body) fails here. The scorer keeps no role, so every
entity below comes from the names themselves, not from a post someone holds.
"""

from __future__ import annotations

import pytest

from graph_builder.extract import Extractor
from graph_builder.extract.scorer import Scorer
from graph_builder.ingest import article_id
from graph_builder.model import Article

#: A scorer that keeps no role: the entities are those the mentions give.
NO_ROLES = Scorer({}, bias=-10.0, threshold=0.5, meta={})

Names = tuple[set[str], set[str], set[str]]

CASES: list[tuple[str, str, Names]] = [
    (
        "a product's noun after the name: a drone, not a company",
        "Kestrel Dynamics unveiled its Osprey survey drone in Bergen on Monday. The Osprey had been designed "
        "for offshore work, said Lina Okafor, chief executive of Kestrel Dynamics.",
        ({"Lina Okafor"}, {"Kestrel Dynamics"}, {"Bergen"}),
    ),
    (
        "a department's name the NER cuts at 'and'",
        "A spokesman for the Department for Harbours and Fisheries said the plan was fully costed.",
        (set(), {"Department for Harbours and Fisheries"}, set()),
    ),
    (
        "two bodies joined by 'and' stay two; a body's word completes an untagged name",
        "Talks between Norvik Steel and Brandholt Mining collapsed on Tuesday.",
        (set(), {"Norvik Steel", "Brandholt Mining"}, set()),
    ),
    (
        "the banks of a river",
        "Delegates met at a hotel on the banks of the Vessa, where Tomas Rell spoke.",
        ({"Tomas Rell"}, set(), {"Vessa"}),
    ),
    (
        "a club of a country: no government, and the country is not part of the club's name",
        "Harbour Town FC will play FC Skarvik of Denmark in the final in Lisbon on May 3.",
        (set(), {"Harbour Town FC", "FC Skarvik"}, {"Denmark", "Lisbon"}),
    ),
    (
        "a wire credit: agencies, not the editors' initials",
        "Ports in the north reopened on Monday.\n\nabc / xy (AFP, dpa, Reuters)",
        (set(), {"AFP", "dpa", "Reuters"}, set()),
    ),
    (
        "in a sports story a country that plays is its national side",
        "England beat Canada 30-10 in the rugby Test on Saturday. England coach Mark Dorran said the rugby "
        "World Cup was the aim, and the captain agreed.",
        (
            {"Mark Dorran"},
            {"England national rugby union team", "Canada national rugby union team"},
            {"England", "Canada"},
        ),
    ),
    (
        "countries that act together are governments",
        "Estonia, Latvia and Finland want the fund capped at one billion euros.",
        (
            set(),
            {"Government of Estonia", "Government of Latvia", "Government of Finland"},
            {"Estonia", "Latvia", "Finland"},
        ),
    ),
    (
        "times and days name no one",
        "Voting closes at 1500 GMT on Friday, officials said.",
        (set(), set(), set()),
    ),
    (
        "the party word is not part of a person's name",
        "Conservative Alun Pryce said the rebate was a crucial test.",
        ({"Alun Pryce"}, set(), set()),
    ),
    (
        "a city of",
        "The Brazilian city of Porto Velho will host the rival forum.",
        (set(), set(), {"Porto Velho"}),
    ),
    (
        "a name ending in an event's word is an event's",
        "Norvik Steel chairman Ivo Brandt spoke at the Adam Keller Lecture in Oslo.",
        ({"Ivo Brandt"}, {"Norvik Steel"}, {"Oslo"}),
    ),
    (
        "a capitalised 'New' that is part of the name",
        "The New York Times reported that Stellan Voss would stand down.",
        ({"Stellan Voss"}, {"New York Times"}, set()),
    ),
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(workers=1, scorer=NO_ROLES)


@pytest.mark.parametrize(("case", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_entities_of_an_article(extractor: Extractor, case: str, text: str, expected: Names) -> None:
    facts = extractor.extract_one(Article(article_id(text), "t", text))
    found = tuple({e.name for e in facts.entities if e.label == label} for label in ("Person", "Organisation", "Place"))
    assert found == expected, case


def test_a_national_side_is_a_team_named_as_written(extractor: Extractor) -> None:
    text = "England beat Canada 30-10 in the rugby Test on Saturday. The rugby coach said the Cup was the aim."
    facts = extractor.extract_one(Article(article_id(text), "t", text))
    sides = {e.name: (e.kind, e.aliases) for e in facts.entities if e.label == "Organisation"}
    assert sides == {
        "England national rugby union team": ("team", ("England",)),
        "Canada national rugby union team": ("team", ("Canada",)),
    }


def test_a_title_before_a_name_is_cut_from_the_body_the_ner_ran_into_it() -> None:
    """ "Labour MP" + "Oona Kerr", tagged as one body "pro-war Labour MP": the title is no part of its name."""
    from spacy.tokens import Span

    from graph_builder.extract.lexicon import lexicon
    from graph_builder.extract.mentions import Mentions
    from graph_builder.extract.nlp import load_pipeline

    doc = load_pipeline()("Glen Hale will stand against pro-war Labour MP Oona Kerr.")
    words = [t.text for t in doc]
    org, person = words.index("pro"), words.index("Oona")
    doc.ents = [Span(doc, 0, 2, "PERSON"), Span(doc, org, person, "ORG"), Span(doc, person, person + 2, "PERSON")]
    found = {(m.text, m.label) for m in Mentions(doc, lexicon()).all()}
    assert ("Labour MP", "Organisation") not in found and ("pro-war Labour MP", "Organisation") not in found
    assert {("Glen Hale", "Person"), ("Oona Kerr", "Person")} <= found
    assert not any(m.endswith("MP") for m, _ in found)
