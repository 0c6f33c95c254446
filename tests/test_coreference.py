"""Whole answers for the coreference proposal units: a definite title that refers back to the person named
last, a plural title's list of names. A scorer with weights written here decides, so each row pins the exact
facts, their rule chains and which of the units' proposals the scorer keeps or drops."""

from __future__ import annotations

import dataclasses
import math

import pytest

from graph_builder.extract import Extractor
from graph_builder.extract.coreference import REFERRAL_RULES, singular
from graph_builder.extract.lexicon import lexicon
from graph_builder.ingest import article_id
from graph_builder.model import Article, Status
from tests.factories import DECIDER

#: The decisions' scorer, distrusting a referral unless its antecedent is two sentences back.
REFERRER = dataclasses.replace(
    DECIDER,
    weights={**DECIDER.weights, "holder:definite-antecedent": -3.0, "coref-distance:2": 2.5, "coref-distance:3": -2.0},
)
Row = tuple[str, str, str | None, Status, tuple[str, ...], float]


def p(z: float) -> float:
    return round(1 / (1 + math.exp(-z)), 3)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(workers=1, scorer=REFERRER)


def roles(extractor: Extractor, text: str) -> set[Row]:
    facts = extractor.extract_one(Article(article_id(text), "t", text))
    return {(r.person, r.title, r.organisation, r.status, r.rules, r.confidence) for r in facts.roles}


BEFORE = ("title:lexicon-head", "org:before-title:named-body", "org:same-sentence", "status:default")

ROWS: list[tuple[str, set[Row]]] = [
    # The person named last, two sentences back, holds the definite title; Maria Lenz, named before him,
    # is not proposed. 1 + 3 (from-rule) - 0.5 (same-sentence) - 3 (referral) + 2.5 (distance 2).
    (
        "Maria Lenz met Tomas Arden in Oslo on Monday. Shares rose after the results. "
        "The Norvale Energy chairman said costs would fall.",
        {("Tomas Arden", "chairman", "Norvale Energy", Status.CURRENT, ("holder:definite-antecedent", *BEFORE), p(3))},
    ),
    # Three sentences back: proposed, and dropped by the scorer (1 + 3 - 0.5 - 3 - 2 < 0).
    (
        "Tomas Arden flew to Oslo on Monday. Shares rose after the results. Analysts were pleased. "
        "The Norvale Energy chairman said costs would fall.",
        set(),
    ),
    # A post the holder rules already give the person is not proposed again by reference.
    (
        "Chairman Tomas Arden spoke in Oslo. Shares rose after the results. The chairman said costs would fall.",
        {
            (
                "Tomas Arden",
                "Chairman",
                None,
                Status.CURRENT,
                ("holder:pre-modifier", "title:lexicon-head", "org:none", "status:default"),
                p(1.5),
            )
        },
    ),
    # A plural title and a list of names: each name holds the title in the singular (1 + 3 - 0.5).
    (
        "Norvale Energy's outside directors are Ann Pike, Tom Reed and Lena Vogt.",
        {
            (name, "outside director", "Norvale Energy", Status.CURRENT, ("holder:plural-list", *BEFORE), p(3.5))
            for name in ("Ann Pike", "Tom Reed", "Lena Vogt")
        },
    ),
    # One name after a plural title is its object, not a list of holders.
    ("The directors met Ivo Brandt in Oslo.", set()),
]


@pytest.mark.parametrize(("text", "expected"), ROWS, ids=[r[0][:40] for r in ROWS])
def test_referral_rows(extractor: Extractor, text: str, expected: set[Row]) -> None:
    assert roles(extractor, text) == expected


def test_every_referral_unit_has_an_id_and_an_example() -> None:
    assert [u.id for u in REFERRAL_RULES] == ["definite-antecedent", "plural-list", "one-of"]
    assert all(len(u.example.split()) >= 8 for u in REFERRAL_RULES)


def test_singular_of_plural_titles() -> None:
    titles = lexicon().titles
    got = {w: singular(w, titles) for w in ("directors", "Presidents", "bosses", "analysts", "results", "is")}
    assert got == {
        "directors": "director",
        "Presidents": "President",
        "bosses": "boss",
        "analysts": "analyst",
        "results": None,
        "is": None,
    }
