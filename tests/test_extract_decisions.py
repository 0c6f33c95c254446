"""Whole answers: the exact set of role facts for small articles, rule chains and confidences included.

A scorer with weights written here decides, so the expected facts do not move when the shipped model is
retrained, and any fact an over-generating change adds (a membership beside a titled post, an
organisation-less repeat, a past "headed" reported as current) makes the set differ.
"""

from __future__ import annotations

import dataclasses
import math

import pytest

from graph_builder.extract import Extractor
from graph_builder.extract.article import ArticleExtractor
from graph_builder.extract.lexicon import lexicon
from graph_builder.extract.nlp import load_pipeline
from graph_builder.extract.scorer import Scorer
from graph_builder.ingest import article_id
from graph_builder.model import Article, ArticleFacts, Status

#: Prefers the organisation the title rules chose, then none; distrusts bodies offered only by the
#: article, the paragraph or another statement, and holders found by proximity alone.
DECIDER = Scorer(
    {
        "org:from-rule": 3.0,
        "org:none": 0.5,
        "org:in-article": -1.0,
        "org:same-paragraph": -1.0,
        "org:same-sentence": -0.5,
        "org:stated-elsewhere": -1.0,
        "org:main-company": -1.0,
        "holder:nearby": -3.0,
        "holder:previous-sentence": -3.0,
    },
    bias=1.0,
    threshold=0.5,
    meta={},
)

NEWS = (
    "Shares rose after Norvale Energy reported results. Norvale Energy chairman Tomas Arden said the outlook "
    "was good. Chairman Tomas Arden also said costs would fall. Maria Lenz, who headed Norvale Energy, "
    "disagreed. Ivo Brandt remains chief executive of Kestrel Securities. Lena Vogt (Norvale Energy) agreed. "
    "Norvale Energy director Lena Vogt said so too."
)


def p(z: float) -> float:
    return round(1 / (1 + math.exp(-z)), 3)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(workers=1, scorer=DECIDER)


def facts(extractor: Extractor, text: str) -> ArticleFacts:
    return extractor.extract_one(Article(article_id(text), "t", text))


def test_exact_role_facts_with_chains_and_confidences(extractor: Extractor) -> None:
    got = {(r.person, r.title, r.organisation, r.status, r.rules, r.confidence) for r in facts(extractor, NEWS).roles}
    company = ("org:before-title", "org:same-sentence", "org:main-company")
    assert got == {
        # from-rule + same-sentence + main-company: 1 + 3 - 0.5 - 1; the second, organisation-less
        # statement of the same post adds nothing.
        (
            "Tomas Arden",
            "chairman",
            "Norvale Energy",
            Status.CURRENT,
            ("holder:pre-modifier", "title:lexicon-head", *company, "status:default"),
            p(2.5),
        ),
        # "headed": a post held before.
        (
            "Maria Lenz",
            "head",
            "Norvale Energy",
            Status.FORMER,
            ("holder:who-heads", "title:head-verb", "org:verb-object", "org:same-sentence", "status:past-verb"),
            p(3.5),
        ),
        # "remains" joins holder and title like "is".
        (
            "Ivo Brandt",
            "chief executive",
            "Kestrel Securities",
            Status.CURRENT,
            ("holder:verb", "title:lexicon-head", "org:of-named-body", "org:same-sentence", "status:default"),
            p(3.5),
        ),
        # The titled post in Norvale Energy; her membership of it adds nothing.
        (
            "Lena Vogt",
            "director",
            "Norvale Energy",
            Status.CURRENT,
            ("holder:pre-modifier", "title:lexicon-head", *company, "status:default"),
            p(2.5),
        ),
    }


def test_every_candidate_is_offered_and_the_best_per_mention_kept() -> None:
    text = "Shares rose after Norvale Energy reported results. Chairman Tomas Arden said costs would fall."
    ax = ArticleExtractor(load_pipeline()(text), Article(article_id(text), "t", text), lexicon())
    cands = ax.candidates()
    assert {(c.person, c.title, c.organisation) for c in cands} == {
        ("Tomas Arden", "Chairman", None),
        ("Tomas Arden", "Chairman", "Norvale Energy"),
    }
    offered = next(c for c in cands if c.organisation == "Norvale Energy")
    assert offered.rules == ("holder:pre-modifier", "title:lexicon-head", "org:same-paragraph", "status:default")
    decided = ax.decide(cands, DECIDER)
    assert [(r.person, r.title, r.organisation) for r in decided.roles] == [("Tomas Arden", "Chairman", None)]


def test_nothing_kept_below_the_threshold(extractor: Extractor) -> None:
    strict = dataclasses.replace(DECIDER, threshold=0.99)
    assert Extractor(workers=1, scorer=strict).extract_one(Article(article_id(NEWS), "t", NEWS)).roles == ()


def test_min_confidence_leaves_out_less_certain_facts() -> None:
    kept = Extractor(workers=1, scorer=DECIDER, min_confidence=p(3.0)).extract_one(Article(article_id(NEWS), "t", NEWS))
    assert {(r.person, r.confidence) for r in kept.roles} == {("Maria Lenz", p(3.5)), ("Ivo Brandt", p(3.5))}


def test_nationality_alone_is_no_post_and_no_default_government(extractor: Extractor) -> None:
    text = "British journalist Duncan Camber wrote the report. Later, the minister Hugo Laine denied it."
    got = {(r.person, r.title, r.organisation) for r in facts(extractor, text).roles}
    assert got == {("Duncan Camber", "journalist", None), ("Hugo Laine", "minister", None)}
