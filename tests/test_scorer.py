"""The role scorer: its model file, its decisions, how it is fitted and labelled, and the train verb."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from spacy.tokens import Doc

from graph_builder.cli import main
from graph_builder.extract.article import ArticleExtractor
from graph_builder.extract.candidates import rank_of
from graph_builder.extract.lexicon import lexicon
from graph_builder.extract.nlp import load_pipeline
from graph_builder.extract.scorer import FEATURES_VERSION, Candidate, Scorer, ScorerModelError, decide, load_scorer
from graph_builder.extract.training import GoldDoc, fit, same_title
from graph_builder.ingest import article_id
from graph_builder.model import Article, Status


def candidate(
    group: int, org: str | None, *features: str, person: str = "Tomas Arden", title: str = "chairman"
) -> Candidate:
    doc = Doc(load_pipeline().vocab, words=["x"])
    return Candidate(group, person, title, org, Status.CURRENT, doc[0:1], ("holder:test",), frozenset(features))


def test_shipped_model_loads_and_is_current() -> None:
    scorer = load_scorer()
    assert scorer.weights and 0 < scorer.threshold < 1
    assert json.loads(scorer.to_json())["features_version"] == FEATURES_VERSION


def test_model_file_round_trip(tmp_path: Path) -> None:
    scorer = Scorer({"a": 1.5, "b": -0.25}, -0.5, 0.4, {"note": "x"})
    path = tmp_path / "m.json"
    scorer.save(path)
    back = load_scorer(str(path))
    assert back == scorer
    assert back.probability(["a", "unknown"]) == pytest.approx(1 / (1 + math.exp(-1.0)))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "cannot read"),
        ("{not json", "not a role scorer model"),
        ('{"features_version": 1, "bias": 0}', "not a role scorer model"),
        ('{"features_version": 999, "bias": 0, "threshold": 0.5, "weights": {}}', "features version 999"),
    ],
)
def test_bad_model_file_is_a_clear_error(tmp_path: Path, content: str | None, reason: str) -> None:
    path = tmp_path / "model.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ScorerModelError, match=reason) as err:
        load_scorer(str(path))
    assert str(path) in str(err.value)


def test_decide_keeps_the_best_candidate_per_mention_above_the_threshold() -> None:
    scorer = Scorer({"good": 2.0, "bad": -2.0}, 0.0, 0.5, {})
    cands = [candidate(0, None), candidate(0, "Norvale Energy", "good"), candidate(1, "Kestrel", "bad")]
    kept = decide(cands, scorer)
    assert [(c.group, c.organisation, round(p, 3)) for c, p in kept] == [(0, "Norvale Energy", 0.881)]


def test_fit_learns_which_features_mark_right_candidates() -> None:
    rows = [frozenset({"right", "x"})] * 20 + [frozenset({"wrong", "x"})] * 20 + [frozenset({"right"})] * 2
    labels = [1] * 18 + [0] * 2 + [0] * 18 + [1] * 2 + [1, 1]
    scorer = fit(rows, labels, l2=0.1)
    assert scorer.weights["right"] > 0 > scorer.weights["wrong"]
    assert scorer.probability(["right", "x"]) == pytest.approx(0.9, abs=0.08)


SIBLING = ("near-rank", "mention-rank", "sibling-", "options:", "none&")


def test_each_option_is_described_against_its_siblings() -> None:
    """Norvale is the nearer of the two bodies in the sentence and the one the title rules attached; Kestrel,
    farther, is the body the article names most; `none` knows the sentence names a body."""
    text = (
        "Norvale Energy chairman Tomas Arden met staff of Kestrel Securities on Monday. "
        "Kestrel Securities grew. Kestrel Securities hired."
    )
    ax = ArticleExtractor(load_pipeline()(text), Article(article_id(text), "t", text), lexicon())
    got = {c.organisation: {f for f in c.features if f.startswith(SIBLING)} for c in ax.candidates()}
    common = {"options:3", "sibling-in-sentence&here:True|True"}
    assert got == {
        None: {"none&in-sentence:True", "options:3", "sibling-from-rule&here:True|False"}
        | {"sibling-in-sentence&here:True|False"},
        "Norvale Energy": common
        | {"mention-rank:1", "near-rank:0", "near-rank&side:0|before", "sibling-from-rule&here:True|True"},
        "Kestrel Securities": common
        | {"mention-rank:0", "near-rank:1", "near-rank&side:1|after", "sibling-from-rule&here:True|False"},
    }


def test_a_holder_tied_to_a_government_elsewhere_marks_the_others() -> None:
    """Brandt's "deputy chancellor" offers the government her other post is stated in and the Austria the
    sentence names: the features say which of them the rules tie her to through another title."""
    text = (
        "Estonian Foreign Minister Lena Brandt flew to Austria on Monday. "
        "Austria's Chancellor Kurt Aldrich met Brandt, the deputy chancellor, in Vienna."
    )
    ax = ArticleExtractor(load_pipeline()(text), Article(article_id(text), "t", text), lexicon())
    got = {
        c.organisation: {f for f in c.features if f.startswith("holder-") and "tied" in f}
        for c in ax.candidates()
        if c.person == "Lena Brandt" and c.title == "deputy chancellor"
    }
    assert got == {
        None: {"holder-tied&here:True|False"},
        "Government of Estonia": {
            "holder-gov-tied&here:False|True",
            "holder-tied&here:False|True",
            "holder-tied&kind:True|government",
        },
        "Government of Austria": {
            "holder-gov-tied&here:True|False",
            "holder-tied&here:True|False",
            "holder-tied&kind:False|government",
        },
    }


@pytest.mark.parametrize(("value", "values", "rank"), [(3, [3, 1, 7], 1), (1, [3, 1, 7], 0), (7, [7, 7, 2], 1)])
def test_rank_counts_the_siblings_strictly_before(value: int, values: list[int], rank: int) -> None:
    assert rank_of(value, values) == rank


GOLD = {
    "doc_id": "d",
    "people": [{"name": "Tomas Arden", "aliases": ["Arden"]}, {"name": "Lena Vogt"}],
    "organisations": [{"name": "Norvale Energy", "aliases": ["Norvale"]}, {"name": "Government of Ostland"}],
    "roles": [
        {"person": "Tomas Arden", "title": "chairman", "organisation": "Norvale Energy", "status": "current"},
        {"person": "Lena Vogt", "title": "analyst", "organisation": None, "status": "current"},
        {
            "person": "Lena Vogt",
            "title": "Energy Minister",
            "organisation": "Ostland Energy Ministry",
            "organisation_alternatives": ["Government of Ostland"],
            "status": "current",
        },
    ],
}


@pytest.mark.parametrize(
    ("person", "title", "org", "label"),
    [
        ("Mr Arden", "former chairman", "Norvale", 1),  # aliases, honorifics, qualifiers fold away
        ("Tomas Arden", "chairman", None, 0),  # the gold names the body
        ("Tomas Arden", "chairman", "Kestrel", 0),
        ("Tomas Arden", "chief executive", "Norvale Energy", 0),
        ("Lena Vogt", "senior analyst", None, 1),
        ("Lena Vogt", "analyst", "Norvale Energy", 0),  # the gold names none: no guessing one
        ("Lena Vogt", "minister", "Government of Ostland", 1),  # an allowed alternative
    ],
)
def test_labels_follow_the_evaluation_conventions(person: str, title: str, org: str | None, label: int) -> None:
    assert GoldDoc.from_record(GOLD).label(candidate(0, org, person=person, title=title)) == label


def test_untitled_gold_labels_by_person_and_organisation() -> None:
    gold = GoldDoc.from_record({**GOLD, "role_titles_scored": False})
    assert gold.label(candidate(0, "Norvale", title="founder")) == 1
    assert gold.label(candidate(0, None)) is None


def test_titles_match_by_content_words() -> None:
    assert same_title("Minister for Coastal Development", "coastal development minister")
    assert not same_title("chairman", "chief executive")


ARTICLES = {
    "a1": "Shares rose at Norvale Energy. Norvale Energy chairman Tomas Arden said the outlook was good.",
    "a2": "Kestrel Securities hired staff. Kestrel Securities chief executive Ivo Brandt said so on Monday.",
    "a3": "Ostland's Energy Minister Hugo Laine met reporters. Analyst Lena Vogt of Brightwater Bank disagreed.",
    "a4": "Dundee Rovers manager Piet Maas praised his side. The striker Jan Kool scored twice.",
    "a5": "Maria Lenz, chief executive of Harbour Foods, resigned. Harbour Foods shares fell.",
}
ROLES = {
    "a1": [("Tomas Arden", "chairman", "Norvale Energy")],
    "a2": [("Ivo Brandt", "chief executive", "Kestrel Securities")],
    "a3": [("Hugo Laine", "Energy Minister", "Government of Ostland"), ("Lena Vogt", "analyst", "Brightwater Bank")],
    "a4": [("Piet Maas", "manager", "Dundee Rovers")],
    "a5": [("Maria Lenz", "chief executive", "Harbour Foods")],
}


@pytest.mark.e2e
def test_train_verb_fits_a_model_extraction_can_use(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    lines = []
    for doc_id, text in ARTICLES.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        roles = [{"person": p, "title": t, "organisation": o, "status": "current"} for p, t, o in ROLES[doc_id]]
        people = [{"name": p} for p, _, _ in ROLES[doc_id]]
        orgs = [{"name": o} for _, _, o in ROLES[doc_id]]
        lines.append(json.dumps({"doc_id": doc_id, "people": people, "organisations": orgs, "roles": roles}))
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    model = tmp_path / "scorer.json"
    cache = tmp_path / "cache"
    assert main(["train", str(gold), str(folder), "-o", str(model), "--cache", str(cache)]) == 0
    report = model.with_suffix(".report.txt").read_text(encoding="utf-8")
    assert "Brier score (cross-validated)" in report and "Reliability" in report
    assert list(cache.rglob("*.spacy"))  # parses cached for the next run
    scorer = load_scorer(str(model))
    assert scorer.meta["articles"] == 5 and scorer.weights
    out = tmp_path / "facts.jsonl"
    (tmp_path / "graph_builder.toml").write_text(f'scorer_model = "{model}"\n', encoding="utf-8")
    assert (
        main(
            [
                "extract",
                str(folder / "a1.txt"),
                "-o",
                str(out),
                "-q",
                "--explain",
                "--config",
                str(tmp_path / "graph_builder.toml"),
            ]
        )
        == 0
    )
    roles = json.loads(out.read_text(encoding="utf-8"))["roles"]
    assert [(r["person"], r["organisation"]) for r in roles] == [("Tomas Arden", "Norvale Energy")]
    assert roles[0]["rules"][0] == "holder:pre-modifier" and 0 < roles[0]["confidence"] <= 1
    capsys.readouterr()


def test_missing_gold_article_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"doc_id": "nowhere", "roles": []}) + "\n", encoding="utf-8")
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "other.txt").write_text("Some text here.", encoding="utf-8")
    code = main(["train", str(gold), str(tmp_path / "articles"), "-o", str(tmp_path / "m.json")])
    assert code != 0 and "nowhere" in capsys.readouterr().err
