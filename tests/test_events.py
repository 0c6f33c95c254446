"""Event rules on small articles written here: each pins the whole set of events, rule ids included, so that a
pattern that over-generates fails as surely as one that misses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph_builder.extract import Extractor
from graph_builder.extract.article import ArticleExtractor
from graph_builder.extract.event_scorer import EventScorer, load_event_scorer
from graph_builder.extract.event_training import Case, _steady_best, label_events
from graph_builder.extract.events import CONTACT_RULES, PART_RULES
from graph_builder.extract.lexicon import lexicon
from graph_builder.extract.nlp import load_pipeline
from graph_builder.extract.scorer import Scorer, ScorerModelError, load_scorer
from graph_builder.extract.training import GoldDoc
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
        "Tom Vale rejected an approach from Sarah Wilson last week.",
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
    ("favouring talks is no talks", "Tom Vale and Sarah Wilson want a quick return to talks.", set()),
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
        "same-sentence: a person the tagger took for a place still takes part",
        "Prime Minister Tom Vale and South African President Kobus Ndlovu are among the leaders attending the "
        "Delta Summit.",
        {named("Delta Summit", "summit", "named:capitalised-head+same-sentence", {"Tom Vale", "Kobus Ndlovu"})},
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
        "in a sports story a country at a tournament is its national side, not its government",
        "Rugby coach Tom Vale picked his side for the Hill Cup. England beat Canada in the Hill Cup on Saturday, "
        "and the rugby league title is next.",
        {
            named("Hill Cup", "tournament", "named:ner+subject-prep", {"Tom Vale"}),
            named(
                "Hill Cup",
                "tournament",
                "named:ner+subject-prep+same-sentence",
                {"England national rugby union team", "Canada national rugby union team"},
            ),
        },
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
        "nearby: who attends in the sentences after the event's takes part; who is only with them does not",
        "Tom Vale spoke at the Delta Forum on Monday. Prices rose. Ann Lee attended with Bo Chan.",
        {
            named("Delta Forum", "conference", "named:capitalised-head+subject-prep", {"Tom Vale"}),
            named("Delta Forum", "conference", "named:nearby", {"Ann Lee"}),
        },
    ),
    (
        "nearby: a sentence naming an event of its own is about that one",
        "Tom Vale spoke at the Delta Forum on Monday. Ann Lee attended the Bay Expo.",
        {
            named("Delta Forum", "conference", "named:capitalised-head+subject-prep", {"Tom Vale"}),
            named("Bay Expo", "conference", "named:capitalised-head+subject-object", {"Ann Lee"}),
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


def proposals(text: str) -> set[tuple[frozenset[str], str]]:
    """Every contact the rules propose for a text, before the event scorer decides: (parties, rule)."""
    ax = ArticleExtractor(load_pipeline()(text), Article(article_id(text), "t", text), lexicon())
    found = ax.find_events(None, ax.decide_roles(ax.candidates(), load_scorer()))
    return {(frozenset(p.name for p in e.participants), e.rule) for e in found if e.name is None}


#: (case, text, every contact proposed) of the proposals the scorer weighs.
PROPOSALS: list[tuple[str, str, set[tuple[frozenset[str], str]]]] = [
    (
        "employer: the body a party heads meets the other party",
        "Ann Lee met Harbor Bank chief executive Bo Chan amid rumours of a bid.",
        {
            (frozenset({"Ann Lee", "Bo Chan"}), "contact:verb-object"),
            (frozenset({"Ann Lee", "Harbor Bank"}), "contact:verb-object+employer"),
        },
    ),
    (
        "a title stands for the one person the article says holds it",
        "Tom Vale is the chairman of Acme Foods. On Monday Sarah Wilson met the chairman in Oslo.",
        {
            (frozenset({"Sarah Wilson", "Tom Vale"}), "contact:verb-object"),
            (frozenset({"Sarah Wilson", "Acme Foods"}), "contact:verb-object+employer"),
        },
    ),
    (
        "a body's title stands for the one holder of it at that body another sentence names",
        "Tom Vale is the chairman of Kestrel Bank. Ann Lee is the chairman of Acme Foods. On Monday Sarah Wilson "
        "met the Kestrel Bank chairman.",
        {
            (frozenset({"Sarah Wilson", "Tom Vale"}), "contact:verb-object"),
            (frozenset({"Sarah Wilson", "Kestrel Bank"}), "contact:verb-object+employer"),
        },
    ),
    (
        "a country's title stands for the one person holding a post in its government",
        "Sarah Wilson is the Irish foreign secretary. Ann Lee is the Spanish trade minister. Tom Vale told the "
        "Irish minister that the ferry link would reopen.",
        {(frozenset({"Sarah Wilson", "Tom Vale"}), "contact:verb-told")},
    ),
    (
        "a participle's doer is the subject of the clause it hangs on",
        "Sarah Wilson, speaking at a joint news conference with Tom Vale, stressed the point.",
        {(frozenset({"Sarah Wilson", "Tom Vale"}), "contact:verb-with")},
    ),
    (
        "sentence-parties: the doer with each party near a contact word no parse rule read",
        "Tom Vale met Ann Lee on Monday. Later the chairman of Acme Foods, Bo Chan, said he had phoned her.",
        {
            (frozenset({"Tom Vale", "Ann Lee"}), "contact:verb-object"),
            (frozenset({"Tom Vale", "Acme Foods"}), "contact:sentence-parties"),
            (frozenset({"Tom Vale", "Bo Chan"}), "contact:sentence-parties"),
        },
    ),
    (
        "a body a party works for is that party's side, not another party",
        "Bo Chan, president of the Harbor Football Union, held talks with both men in Porto on Wednesday.",
        set(),
    ),
    (
        "a country after a place's preposition is where the contact is, not a party to it",
        "The launch was hosted by Acme Foods, which will trial drones at ports in Estonia and Latvia.",
        set(),
    ),
    (
        "employer: a body both parties work for meets neither of them",
        "Acme Foods chief executive Tom Vale met Acme Foods chairman Bo Chan in Oslo on Monday.",
        {(frozenset({"Tom Vale", "Bo Chan"}), "contact:verb-object")},
    ),
    (
        "a former post names no side: the body a party left does not meet the other party",
        "Ann Lee met Bo Chan, the former chief executive of Harbor Bank, in Oslo.",
        {(frozenset({"Ann Lee", "Bo Chan"}), "contact:verb-object")},
    ),
    (
        "telling is a contact word",
        "Sarah Wilson was quoted as telling David Brown that the plan had failed.",
        {(frozenset({"Sarah Wilson", "David Brown"}), "contact:sentence-parties")},
    ),
    (
        "sentence-parties leaves two doers joined by 'and' to the joint rules",
        "Tom Vale and Sarah Wilson want a quick return to talks.",
        set(),
    ),
    (
        "visit-capital: a visit to a capital calls on its country's government",
        "Tom Vale began a two-day visit to Lisbon on Monday.",
        {(frozenset({"Tom Vale", "Government of Portugal"}), "contact:visit-capital")},
    ),
    (
        "visit-capital: each capital visited is one contact",
        "Sarah Wilson visited Lisbon and Madrid last week.",
        {
            (frozenset({"Sarah Wilson", "Government of Portugal"}), "contact:visit-capital"),
            (frozenset({"Sarah Wilson", "Government of Spain"}), "contact:visit-capital"),
        },
    ),
    (
        "visit-capital: a trip to a capital",
        "Ann Lee discussed the plan during a trip to Madrid last year.",
        {(frozenset({"Ann Lee", "Government of Spain"}), "contact:visit-capital")},
    ),
    (
        "a trip to a town is no contact",
        "Tom Vale made a trip to Leeds in May.",
        set(),
    ),
    (
        "pair-before: the two companies are the two the sentences before name most",
        "Acme Foods rejected an offer from Bolt Ltd on Monday. The two companies held talks last week.",
        {(frozenset({"Acme Foods", "Bolt Ltd"}), "contact:pair-before")},
    ),
    (
        "pair-before: they met, after a call stated before",
        "Ann Lee phoned Bo Chan on Friday. The two men met in Oslo on Monday.",
        {
            (frozenset({"Ann Lee", "Bo Chan"}), "contact:verb-object"),
            (frozenset({"Ann Lee", "Bo Chan"}), "contact:pair-before"),
        },
    ),
    (
        "pair-before: the two sentences before, no further",
        "Ann Lee flew to Oslo on Monday to see Bo Chan. The weather was cold. It snowed all week. The two leaders "
        "talked for an hour on Friday.",
        set(),
    ),
    (
        "sentence-parties: telling a news agency is no contact",
        "Tom Vale told Reuters on Monday that he had phoned the bank.",
        set(),
    ),
    (
        "pair-before: welcoming a move is no meeting of the two",
        "Acme Foods rejected an offer from Bolt Ltd on Monday. They welcomed the move.",
        set(),
    ),
]


@pytest.mark.parametrize(("case", "text", "expected"), PROPOSALS, ids=[c[0] for c in PROPOSALS])
def test_contact_proposals(case: str, text: str, expected: set[tuple[frozenset[str], str]]) -> None:
    assert proposals(text) == expected


def _scorer(weights: dict[str, float], threshold: float = 0.5) -> Scorer:
    return Scorer(weights, 0.0, threshold, {})


def test_the_event_threshold_is_the_steadiest_best_not_a_spike() -> None:
    """Two right pairs at 0.2 beside four wrong ones at 0.175 make F1 spike at 0.2 alone; the threshold is where
    F1 stays high around it."""

    def case(p: float, key: str, right: bool) -> tuple[float, Case]:
        return p, Case("d", frozenset(), int(right), frozenset({(key, "x")}))

    gold = {("d", f"g{i}", "x") for i in range(8)}
    picks = [case(0.9, f"g{i}", True) for i in range(4)] + [case(0.5, "g4", True), case(0.5, "g5", True)]
    picks += [case(0.475, "w0", False), case(0.45, "w1", False), case(0.2, "g6", True), case(0.2, "g7", True)]
    picks += [case(0.175, f"w{i}", False) for i in range(2, 6)]
    assert _steady_best(picks, gold) == 0.45


def test_the_event_scorer_keeps_what_reaches_its_threshold() -> None:
    """A model that weighs down the fallback rule drops its proposals; what is kept carries its probability."""
    text = "Tom Vale met Ann Lee on Monday. Later the chairman of Acme Foods, Bo Chan, said he had phoned her."
    ax = ArticleExtractor(load_pipeline()(text), Article(article_id(text), "t", text), lexicon())
    roles = ax.decide_roles(ax.candidates(), load_scorer())
    judge = EventScorer(_scorer({"contact:sentence-parties": -3.0, "contact:verb-object": 1.0}), _scorer({}))
    kept = ax.find_events(judge, roles)
    assert {(frozenset(p.name for p in e.participants), e.rule, round(e.confidence, 3)) for e in kept} == {
        (frozenset({"Tom Vale", "Ann Lee"}), "contact:verb-object", 0.731)
    }


def test_the_event_scorer_drops_participants_below_its_threshold() -> None:
    text = "The Delta Forum opened in Porto on Monday. Ann Lee and Bo Chan spoke at the event."
    ax = ArticleExtractor(load_pipeline()(text), Article(article_id(text), "t", text), lexicon())
    judge = EventScorer(_scorer({}), _scorer({"part:subject-prep": -2.0}))
    kept = ax.find_events(judge, ax.decide_roles(ax.candidates(), load_scorer()))
    # the later statement named only participants the model refuses, so it goes; the event itself stays
    assert {(e.name, e.rule, frozenset(p.name for p in e.participants)) for e in kept} == {
        ("Delta Forum", "named:capitalised-head", frozenset())
    }


def test_event_model_file_round_trips_and_refuses_other_features(tmp_path: Path) -> None:
    model = EventScorer(_scorer({"contact:verb-object": 1.25}, 0.3), _scorer({"kind:person": -0.5}, 0.4))
    path = tmp_path / "events.json"
    model.save(path)
    assert load_event_scorer(str(path)) == model
    data = json.loads(path.read_text())
    data["contact"]["features_version"] = 0
    path.write_text(json.dumps(data))
    with pytest.raises(ScorerModelError, match="retrain it"):
        EventScorer.from_json(path.read_text(), str(path))
    with pytest.raises(ScorerModelError, match="not an event scorer model"):
        EventScorer.from_json("{}", "x.json")


def test_proposals_are_labelled_by_the_gold_pairs_and_participants() -> None:
    text = (
        "Tom Vale met Ann Lee on Monday. Later the chairman of Acme Foods, Bo Chan, said he had phoned her. "
        "Ann Lee and Bo Chan spoke at the Delta Forum."
    )
    ax = ArticleExtractor(load_pipeline()(text), Article(article_id(text), "t", text), lexicon())
    found = ax.find_events(None, ax.decide_roles(ax.candidates(), load_scorer()))
    gold = GoldDoc.from_record(
        {
            "doc_id": "d",
            "people": [{"name": "Tom Vale", "aliases": ["Vale"]}, "Ann Lee", "Bo Chan"],
            "organisations": ["Acme Foods"],
            "events": [
                {"name": None, "type": "meeting", "participants": ["Tom Vale", "Ann Lee"]},
                {"name": None, "type": "phone call", "participants": ["Bo Chan", "Tom Vale"]},
                {"name": "Delta Forum", "type": "conference", "participants": ["Ann Lee"]},
            ],
        }
    )
    cases = label_events("d", found, gold, lexicon())
    assert {(c.keys, c.label) for c in cases.contacts} == {
        (frozenset({("Ann Lee", "Tom Vale")}), 1),
        (frozenset({("Bo Chan", "Tom Vale")}), 1),
        (frozenset({("Acme Foods", "Tom Vale")}), 0),
    }
    assert {(c.keys, c.label) for c in cases.parts} == {
        (frozenset({("0", "Ann Lee")}), 1),
        (frozenset({("0", "Bo Chan")}), 0),
    }


def _contacts_of(out: Path) -> set[tuple[frozenset[str], str]]:
    events = json.loads(out.read_text(encoding="utf-8"))["events"]
    return {(frozenset(e["participants"]), e["rule"]) for e in events if e["name"] is None}


def test_a_build_uses_the_event_model_it_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--event-scorer-model`, `event_scorer_model` in graph_builder.toml and its environment variable all choose
    the model that decides the events; a bad file is an error naming it before anything is read."""
    from graph_builder.cli import main

    article = tmp_path / "a1.txt"
    article.write_text(
        "Harbour news\n\nTom Vale met Ann Lee on Monday. Later the chairman of Acme Foods, Bo Chan, said he had "
        "phoned her.\n",
        encoding="utf-8",
    )
    fallback_only = tmp_path / "fallback.json"
    EventScorer(_scorer({"contact:sentence-parties": 3.0, "contact:verb-object": -3.0}), _scorer({})).save(
        fallback_only
    )
    parse_only = tmp_path / "parse.json"
    EventScorer(_scorer({"contact:sentence-parties": -3.0, "contact:verb-object": 3.0}), _scorer({})).save(parse_only)
    out = tmp_path / "facts.jsonl"
    base = ["extract", str(article), "-o", str(out), "-q", "--explain"]
    assert main([*base, "--event-scorer-model", str(fallback_only)]) == 0
    assert _contacts_of(out) == {
        (frozenset({"Tom Vale", "Acme Foods"}), "contact:sentence-parties"),
        (frozenset({"Tom Vale", "Bo Chan"}), "contact:sentence-parties"),
    }
    config = tmp_path / "graph_builder.toml"
    config.write_text(f'event_scorer_model = "{parse_only}"\n', encoding="utf-8")
    assert main([*base, "--config", str(config)]) == 0
    assert _contacts_of(out) == {(frozenset({"Tom Vale", "Ann Lee"}), "contact:verb-object")}
    monkeypatch.setenv("GRAPH_BUILDER_EVENT_SCORER_MODEL", str(fallback_only))
    assert main(base) == 0
    assert _contacts_of(out) == {
        (frozenset({"Tom Vale", "Acme Foods"}), "contact:sentence-parties"),
        (frozenset({"Tom Vale", "Bo Chan"}), "contact:sentence-parties"),
    }
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    capsys.readouterr()
    assert main([*base, "--event-scorer-model", str(bad)]) != 0
    assert f"{bad}: not an event scorer model" in capsys.readouterr().err


def test_train_says_how_to_use_the_models_it_wrote(tmp_path: Path) -> None:
    import graph_builder
    from graph_builder.cli import use_line

    shipped = Path(graph_builder.__file__).parent / "data"
    assert use_line(shipped / "role_scorer.json", shipped / "event_scorer.json") == (
        "the shipped models were rewritten: every build now uses them"
    )
    mine = tmp_path / "mine.json"
    assert use_line(mine, None) == (
        f"use it: set scorer_model = {str(mine)!r} in graph_builder.toml "
        "(or pass --scorer-model / --event-scorer-model to build)"
    )
    assert use_line(shipped / "role_scorer.json", mine) == (
        f"use it: set event_scorer_model = {str(mine)!r} in graph_builder.toml "
        "(or pass --scorer-model / --event-scorer-model to build)"
    )
    beside = shipped / "newsroom.json"  # in the package's folder, but not the file builds read
    assert use_line(beside, None) == (
        f"use it: set scorer_model = {str(beside)!r} in graph_builder.toml "
        "(or pass --scorer-model / --event-scorer-model to build)"
    )
