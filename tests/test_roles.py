"""Role rule units, one row each: an invented sentence and the exact role facts it gives, chains included.

The scorer is the fixed `DECIDER` of test_extract_decisions, so a row moves only when the rules do.
"""

from __future__ import annotations

import pytest

from graph_builder.extract import Extractor
from graph_builder.extract.article import ArticleExtractor
from graph_builder.extract.lexicon import lexicon
from graph_builder.extract.nlp import load_pipeline
from graph_builder.extract.roles import COMPLEMENT_RULES
from graph_builder.ingest import article_id
from graph_builder.model import Article, Status

from .test_extract_decisions import DECIDER

CUR, FORMER = Status.CURRENT, Status.FORMER
LEX = ("title:lexicon-head",)
SAME = "org:same-sentence"


def chain(holder: str, org: tuple[str, ...], status: str = "status:default") -> tuple[str, ...]:
    return (f"holder:{holder}", *LEX, *org, status)


ROWS = [
    (
        "Ivo Brandt remains chief executive of Kestrel Securities.",
        {("Ivo Brandt", "chief executive", "Kestrel Securities", CUR, chain("verb", ("org:of-named-body", SAME)))},
    ),
    (
        "Kim Berg, deputy editor of UK magazine Pixel Weekly, wrote it.",
        {
            (
                "Kim Berg",
                "deputy editor",
                "Pixel Weekly",
                CUR,
                chain("appositive", ("org:of-country-descriptor-name", SAME)),
            )
        },
    ),
    (
        "Omar Sy, president of Rwanda's Green Party, spoke.",
        {("Omar Sy", "president", "Green Party", CUR, chain("appositive", ("org:of-place-possessive", SAME)))},
    ),
    (
        "Lea Frey, political editor of the Athens newspaper To Vima, wrote it.",
        {("Lea Frey", "political editor", "To Vima", CUR, chain("appositive", ("org:of-place-described-body", SAME)))},
    ),
    (
        "Dr Jon Pratt, director of foreign exchange at Kestrel Bank and Trust, said rates would rise.",
        {
            (
                "Jon Pratt",
                "director of foreign exchange",
                "Kestrel Bank and Trust",
                CUR,
                chain("appositive", ("org:of-named-body", SAME)),
            )
        },
    ),
    (
        "Lars Nyberg, leader of the opposition Green Party, spoke.",
        {("Lars Nyberg", "leader", "Green Party", CUR, chain("appositive", ("org:of-described-body", SAME)))},
    ),
    (
        "Tom Lee, the minister for Economic Security, agreed.",
        {("Tom Lee", "minister for Economic Security", None, CUR, chain("appositive", ("org:none",)))},
    ),
    # A second title joined by "and" takes the organisation of the first.
    (
        "Norvale Energy's chief executive Lena Marsh and chief operating officer Tom Reed were fined.",
        {
            ("Lena Marsh", "chief executive", "Norvale Energy", CUR, chain("pre-modifier", ("org:before-title", SAME))),
            (
                "Tom Reed",
                "chief operating officer",
                "Norvale Energy",
                CUR,
                chain("pre-modifier", ("org:shared-with-previous-title", SAME)),
            ),
        },
    ),
    # "resigned as": holder and title joined through "as", the post ended.
    (
        "Later Tom Gale resigned as Labour leader.",
        {
            (
                "Tom Gale",
                "leader",
                "Labour Party",
                FORMER,
                chain("verb", ("org:before-title", SAME), "status:leaving-verb"),
            )
        },
    ),
    # "who chairs" + a body named by its kind word.
    (
        "Sir Archy Bellamy, who chairs the Commons transport committee, said so.",
        {
            (
                "Archy Bellamy",
                "chair",
                "Commons transport committee",
                CUR,
                ("holder:who-heads", "title:head-verb", "org:verb-object", SAME, "status:present-verb"),
            )
        },
    ),
    # A person doing what the sentence says, after a field, holds the title; no body.
    (
        "Director of television Jana Pellow said the changes were good.",
        {("Jana Pellow", "Director of television", None, CUR, chain("pre-modifier", ("org:none",)))},
    ),
    # The last word of a two-word title the tagger reads as an adjective still heads it.
    (
        "The probe centred on five officials, including chief executive Joachim Harbeck, they added.",
        {("Joachim Harbeck", "chief executive", None, CUR, chain("pre-modifier", ("org:none",)))},
    ),
    # Two holders and two titles, in order.
    (
        "Tom Reed and Ann Pike, the chairman and chief executive of Norvale Energy, said profits rose.",
        {
            ("Tom Reed", "chairman", "Norvale Energy", CUR, chain("appositive-pair", ("org:next-title", SAME))),
            ("Ann Pike", "chief executive", "Norvale Energy", CUR, chain("chained", ("org:of-named-body", SAME))),
        },
    ),
    # The object of an appointing verb holds the title after it, in the body that is its subject.
    (
        "Norvale Energy appointed Tom Reed chief executive in May.",
        {("Tom Reed", "chief executive", "Norvale Energy", CUR, chain("verb", ("org:verb-subject", SAME)))},
    ),
    # Portfolio words are the title's, not a body.
    (
        "Former Social Affairs minister Ana Berova was set free.",
        {
            (
                "Ana Berova",
                "Social Affairs minister",
                None,
                FORMER,
                chain("pre-modifier", ("org:none",), "status:qualifier-former"),
            )
        },
    ),
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(workers=1, scorer=DECIDER)


@pytest.mark.parametrize(("text", "expected"), ROWS, ids=[r[0][:40] for r in ROWS])
def test_rule_unit_rows(extractor: Extractor, text: str, expected: set[tuple[object, ...]]) -> None:
    roles = extractor.extract_one(Article(article_id(text), "t", text)).roles
    assert {(r.person, r.title, r.organisation, r.status, r.rules) for r in roles} == expected


def test_every_complement_unit_has_an_id_an_example_and_its_words() -> None:
    ids = [u.id for u in COMPLEMENT_RULES]
    assert len(ids) == len(set(ids)) >= 10
    for unit in COMPLEMENT_RULES:
        assert unit.words and len(unit.example.split()) >= 5, unit.id


def test_a_members_title_offers_its_house() -> None:
    text = "Labour MP Jane Doyle spoke. Britain votes in May."
    ax = ArticleExtractor(load_pipeline()(text), Article(article_id(text), "t", text), lexicon())
    house = [c for c in ax.candidates() if c.organisation == "House of Commons"]
    assert [(c.person, c.title, c.rules) for c in house] == [
        ("Jane Doyle", "MP", ("holder:pre-modifier", *LEX, "org:house-of-title", "status:default"))
    ]
    assert "house-home:True" in house[0].features
