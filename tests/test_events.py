"""Event rules on small articles written here: each pins the whole set of events, rule ids included, so that a
pattern that over-generates fails as surely as one that misses."""

from __future__ import annotations

import pytest

from graph_builder.extract import Extractor
from graph_builder.extract.events import CONTACT_RULES, PART_RULES
from graph_builder.ingest import article_id
from graph_builder.model import Article, ArticleFacts

#: (name, type, participants, organisers, rule) of one event statement.
Row = tuple[str | None, str, frozenset[str], frozenset[str], str]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(workers=1)


def events(extractor: Extractor, text: str) -> set[Row]:
    facts: ArticleFacts = extractor.extract_one(Article(article_id(text), "t", text))
    return {(e.name, e.type, frozenset(e.participants), frozenset(e.organisers), e.rule) for e in facts.events}


def meeting(a: str, b: str, rule: str, kind: str = "meeting") -> Row:
    return (None, kind, frozenset({a, b}), frozenset(), f"contact:{rule}")


def named(name: str, kind: str, rule: str, participants: set[str] = set(), organisers: set[str] = set()) -> Row:  # noqa: B006
    return (name, kind, frozenset(participants), frozenset(organisers), rule)


#: (case, text, doer, other party, rule, type) of the sentences that state one two-party contact.
PAIRS: list[tuple[str, str, str, str, str, str]] = [
    (
        "verb-object",
        "Trade minister Aino Kask met Henrik Saar in Tallinn on Tuesday.",
        "Aino Kask",
        "Henrik Saar",
        "verb-object",
        "meeting",
    ),
    (
        "a purpose clause keeps the meeting",
        "Tom Vale has met Sarah Wilson to talk about the harbour plan.",
        "Tom Vale",
        "Sarah Wilson",
        "verb-object",
        "meeting",
    ),
    (
        "verb-with",
        "On Monday the minister, Sarah Wilson, spoke to David Brown by phone.",
        "Sarah Wilson",
        "David Brown",
        "verb-with",
        "meeting",
    ),
    (
        "joint-subject",
        "Last week Sarah Wilson and David Brown met in Lisbon.",
        "Sarah Wilson",
        "David Brown",
        "joint-subject",
        "meeting",
    ),
    (
        "noun-between",
        "Shares fell on Friday after talks between Sarah Wilson and David Brown broke down.",
        "Sarah Wilson",
        "David Brown",
        "noun-between",
        "meeting",
    ),
    (
        "noun-with and a he subject",
        "Tom Vale arrived in Oslo on Monday. He held talks with Ingrid Berg about fishing quotas.",
        "Tom Vale",
        "Ingrid Berg",
        "noun-with",
        "meeting",
    ),
    (
        "hearing before a committee",
        "On Thursday Sarah Wilson testified before the Harbour Safety Committee.",
        "Sarah Wilson",
        "Harbour Safety Committee",
        "verb-with",
        "hearing",
    ),
    (
        "verb-told: telling a person",
        "Tom Vale told Sarah Wilson on Monday that he would resign.",
        "Tom Vale",
        "Sarah Wilson",
        "verb-told",
        "meeting",
    ),
    (
        "verb-told: telling a committee",
        "Sarah Wilson told the Harbour Safety Committee that the port was safe.",
        "Sarah Wilson",
        "Harbour Safety Committee",
        "verb-told",
        "meeting",
    ),
    (
        "noun-joint-subject",
        "Ann Lee and Bo Chan held talks in Rome on Monday.",
        "Ann Lee",
        "Bo Chan",
        "noun-joint-subject",
        "meeting",
    ),
    (
        "noun-scene",
        "At a meeting in Rome on Monday, Ann Lee and Bo Chan agreed a new fishing deal.",
        "Ann Lee",
        "Bo Chan",
        "noun-scene",
        "meeting",
    ),
    (
        "verb-passive",
        "On Friday Tom Vale was welcomed by Sarah Wilson in Ghent.",
        "Tom Vale",
        "Sarah Wilson",
        "verb-passive",
        "meeting",
    ),
    (
        "noun-from: an approach",
        "Tom Vale has turned down an approach from Sarah Wilson.",
        "Tom Vale",
        "Sarah Wilson",
        "noun-from",
        "approach",
    ),
    (
        "a joint press conference of the speakers",
        "Ann Lee and Bo Chan told a joint press conference in Oslo that the deal was done.",
        "Ann Lee",
        "Bo Chan",
        "noun-joint-subject",
        "press conference",
    ),
    (
        "a joint press conference",
        "Tom Vale spoke at a joint news conference with Ingrid Berg on Friday.",
        "Tom Vale",
        "Ingrid Berg",
        "verb-with",
        "meeting",
    ),
    (
        "in talks with",
        "Sarah Wilson said on Monday that Tom Vale had been in talks with David Brown for weeks.",
        "Tom Vale",
        "David Brown",
        "noun-with",
        "meeting",
    ),
    (
        "discussed with",
        "Last week Sarah Wilson discussed the harbour plan with David Brown.",
        "Sarah Wilson",
        "David Brown",
        "verb-with",
        "talks",
    ),
]

CASES: list[tuple[str, str, set[Row]]] = [
    *((case, text, {meeting(a, b, rule, kind)}) for case, text, a, b, rule, kind in PAIRS),
    (
        "verb-object is one meeting of everyone it names",
        "Tom Vale met Sarah Wilson and David Brown in Ghent.",
        {(None, "meeting", frozenset({"Tom Vale", "Sarah Wilson", "David Brown"}), frozenset(), "contact:verb-object")},
    ),
    (
        "calls are one contact with each party",
        "John Carter phoned Mary Jones and Sarah Wilson on Monday.",
        {meeting("John Carter", "Mary Jones", "verb-object"), meeting("John Carter", "Sarah Wilson", "verb-object")},
    ),
    ("telling a newspaper is an interview", "Sarah Wilson told the Kestrel Times that she would stay.", set()),
    ("a tour of towns is no meeting", "This week Tom Vale visits Leeds, Bath and Derby.", set()),
    ("what the two welcomed is no meeting", "Tom Vale and Sarah Wilson welcomed the move.", set()),
    ("favouring talks is no talks", "Tom Vale and Sarah Wilson favour an early start to talks.", set()),
    ("planned meetings are not events", "Tom Vale will meet Sarah Wilson next week.", set()),
    ("wished meetings are not events", "Tom Vale hopes to meet Sarah Wilson in the spring.", set()),
    ("denied meetings are not events", "Tom Vale did not meet Sarah Wilson during the visit.", set()),
    (
        "so-called is no call",
        "Sarah Wilson criticised the so-called David Brown plan on Monday.",
        set(),
    ),
    (
        "a win over a country is no meeting",
        "Kestrel Rovers celebrated a win over Portugal in the qualifier.",
        set(),
    ),
    (
        "calling someone something is no call",
        "Tom Vale called Sarah Wilson a liar on Tuesday.",
        set(),
    ),
    (
        "subject-prep: a speaker at a named summit",
        "On Monday Sarah Wilson spoke at the Delta Summit in Geneva.",
        {named("Delta Summit", "summit", "named:capitalised-head+subject-prep", {"Sarah Wilson"})},
    ),
    (
        "subject-object: winners of a tournament",
        "Kestrel Rovers won the Hill Cup in May.",
        {named("Hill Cup", "tournament", "named:ner+subject-object", {"Kestrel Rovers"})},
    ),
    (
        "subject-object: will attend",
        "Tom Vale will attend the Delta Forum.",
        {named("Delta Forum", "conference", "named:capitalised-head+subject-object", {"Tom Vale"})},
    ),
    (
        "organised-by, through the phrase in apposition",
        "Leaders gathered in Porto on Monday for the Delta Forum, a two-day meeting organised by the Kestrel "
        "Maritime Council.",
        {
            named(
                "Delta Forum",
                "conference",
                "named:capitalised-head+organised-by",
                organisers={"Kestrel Maritime Council"},
            )
        },
    ),
    (
        "named-modifier: a year names an election; the loser and the winner take part",
        "David Brown lost the 1987 election to Sarah Wilson.",
        {
            named(
                "1987 election",
                "election",
                "named:named-modifier+subject-object+same-sentence",
                {"David Brown", "Sarah Wilson"},
            )
        },
    ),
    (
        "same-sentence: a party the event's sentence names takes part",
        "Sarah Wilson praised Kestrel Rovers after the Hill Cup final in May.",
        {
            named(
                "Hill Cup",
                "tournament",
                "named:capitalised-head+same-sentence",
                {"Sarah Wilson", "Kestrel Rovers"},
            )
        },
    ),
    (
        "same-sentence: a party goes to the nearest of two named events",
        "Tom Vale won the Hill Open in May, and Sarah Wilson won the Bay Cup.",
        {
            named("Hill Open", "tournament", "named:ner+subject-object", {"Tom Vale"}),
            named("Bay Cup", "tournament", "named:ner+subject-object", {"Sarah Wilson"}),
        },
    ),
    (
        "same-sentence: the press reports an event, it takes no part",
        "Sarah Wilson told the Kestrel Times about the Hill Cup on Monday.",
        {named("Hill Cup", "tournament", "named:ner+same-sentence", {"Sarah Wilson"})},
    ),
    (
        "body-meeting: one named body's meeting",
        "Tom Vale will attend the Kestrel Council meeting in Ghent on Friday.",
        {named("Kestrel Council meeting", "meeting", "named:body-meeting+subject-object", {"Tom Vale"})},
    ),
    (
        "launch: a named thing launched",
        "Acme Corp launched the Zest Phone in Oslo on Tuesday.",
        {
            named(
                "Zest Phone launch",
                "launch",
                "named:launch+subject-object",
                {"Acme Corp", "Zest Phone"},
                organisers={"Acme Corp"},
            )
        },
    ),
    ("launching an inquiry is no named event", "Acme Corp launched an inquiry into the fire.", set()),
    (
        "the Premiership: one capitalised word after the",
        "Kestrel Rovers are third in the Premiership.",
        {named("Premiership", "league", "named:capitalised-head+same-sentence", {"Kestrel Rovers"})},
    ),
    (
        "a country at a tournament is a team, not its government",
        "Kestrel Rovers beat Portugal in the Hill Cup.",
        {named("Hill Cup", "tournament", "named:ner+subject-prep", {"Kestrel Rovers"})},
    ),
    (
        "an election with no year or country is any election",
        "David Brown said the general election would be close.",
        set(),
    ),
    (
        "refers-back: the event, in a later sentence",
        "The Delta Forum opened in Porto on Monday. Ann Lee and Bo Chan spoke at the event.",
        {
            named("Delta Forum", "conference", "named:capitalised-head"),
            named("Delta Forum", "conference", "named:refers-back+subject-prep", {"Ann Lee", "Bo Chan"}),
        },
    ),
    (
        "later-doer: every guest listed after 'including' speaks",
        "The Delta Forum opened in Porto on Monday. Guests including Ann Lee and Bo Chan delivered speeches.",
        {
            named("Delta Forum", "conference", "named:capitalised-head"),
            named("Delta Forum", "conference", "named:later-doer", {"Ann Lee", "Bo Chan"}),
        },
    ),
    (
        "topic-subject: the sentence after one about the event",
        "The Delta Forum opens in Porto today. Ann Lee and Bo Chan are the guests.",
        {
            named("Delta Forum", "conference", "named:capitalised-head"),
            named("Delta Forum", "conference", "named:topic-subject", {"Ann Lee", "Bo Chan"}),
        },
    ),
    (
        "a country's many events are no one event",
        "Sarah Wilson was snubbed at US film awards last year.",
        set(),
    ),
]


@pytest.mark.parametrize(("case", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_events_of_an_article(extractor: Extractor, case: str, text: str, expected: set[Row]) -> None:
    assert events(extractor, text) == expected


def test_every_rule_has_an_example() -> None:
    """A rule without an example sentence in its docstring cannot be checked by a reader."""
    for rule_id, rule in [*CONTACT_RULES, *PART_RULES]:
        assert rule.__doc__ and '"' in rule.__doc__, rule_id
    assert len({r for r, _ in CONTACT_RULES}) == len(CONTACT_RULES)
    assert len({r for r, _ in PART_RULES}) == len(PART_RULES)
