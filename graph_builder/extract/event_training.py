"""Fitting the event scorer from gold facts: labelled contact and participant proposals, the role scorer's fit.

A contact proposal is right when one of its pairs of parties is a pair of an unnamed gold event (who met whom);
a participant of a named event is right when the gold event of that name (by the evaluation's name match) lists
it. Names are resolved through the gold's people and organisations and their aliases, as the evaluation does.

The probability each model gives is calibrated (Platt) on out-of-fold scores, and its threshold is the one whose
neighbourhood keeps the best F1 of the kept pairs or participants on those out-of-fold scores: both are decided by
articles the fitted weights did not see.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import combinations

import numpy as np

from .event_scorer import EVENT_FEATURES_VERSION, EventScorer, contact_features, part_features
from .events import FoundEvent
from .lexicon import Lexicon
from .scorer import Scorer
from .training import Example, GoldDoc, fit, fold, platt, reliability_table, same_title

#: Strength of the L2 penalty on the event weights: few examples, so a firmer pull to zero than the roles'.
EVENT_L2 = 10.0
INNER_FOLDS = 5


@dataclass(frozen=True)
class Case:
    """One proposal of one article: its features, its label and the scored units it would add if kept."""

    doc: str
    features: frozenset[str]
    label: int
    keys: frozenset[tuple[str, str]]


@dataclass
class ArticleCases:
    """An article's labelled proposals of each kind, and the gold units they are scored against."""

    contacts: list[Case]
    parts: list[Case]
    gold_pairs: set[tuple[str, str, str]]
    gold_parts: set[tuple[str, str, str]]


def _resolver(gold: GoldDoc) -> dict[str, str]:
    return {**gold.orgs, **gold.people}


def label_events(doc_id: str, events: Sequence[FoundEvent], gold: GoldDoc, lex: Lexicon) -> ArticleCases:
    """The article's proposals labelled against its gold."""
    names = _resolver(gold)

    def resolve(name: str) -> str:
        return names.get(fold(name), "?" + fold(name))

    named_gold = [e for e in gold.events if e.get("name")]
    gold_pairs = {
        (doc_id, *pair)
        for e in gold.events
        if not e.get("name")
        for pair in combinations(sorted({resolve(p) for p in e.get("participants", [])}), 2)
    }
    gold_parts = {(doc_id, str(k), resolve(p)) for k, e in enumerate(named_gold) for p in e.get("participants", [])}
    out = ArticleCases([], [], gold_pairs, gold_parts)
    for ev in events:
        if ev.name is None:
            pairs = frozenset(combinations(sorted({resolve(p.name) for p in ev.participants}), 2))
            label = int(any((doc_id, *pair) in gold_pairs for pair in pairs))
            out.contacts.append(Case(doc_id, contact_features(ev, lex), label, pairs))
            continue
        match = next(
            (
                str(k)
                for k, g in enumerate(named_gold)
                if any(same_title(n, ev.name) for n in [g["name"], *g.get("aliases", [])])
            ),
            "?" + ev.name,
        )
        for party in ev.participants:
            key = (match, resolve(party.name))
            out.parts.append(
                Case(doc_id, part_features(ev, party, lex), int((doc_id, *key) in gold_parts), frozenset({key}))
            )
    return out


def article_cases(examples: Sequence[Example], lex: Lexicon, scorer: Scorer) -> list[ArticleCases]:
    """The labelled event proposals of each gold article (roles decided by `scorer`, which names governments)."""
    return [
        label_events(ex.article.doc_id, ex.proposed_events(lex, scorer), ex.gold, lex)
        for ex in examples
        if ex.gold is not None
    ]


def _f1(picks: Sequence[tuple[float, Case]], gold: set[tuple[str, str, str]], threshold: float) -> float:
    kept = {(c.doc, *k) for p, c in picks if p >= threshold for k in c.keys}
    tp = len(kept & gold)
    return 2 * tp / (len(kept) + len(gold)) if tp else 0.0


#: The thresholds tried, and how many steps either side of one its F1 is averaged over.
THRESHOLDS = [round(float(t), 3) for t in np.arange(0.05, 0.96, 0.025)]
THRESHOLD_WINDOW = 2


def _steady_best(picks: Sequence[tuple[float, Case]], gold: set[tuple[str, str, str]]) -> float:
    """The threshold whose neighbourhood keeps the best F1 on average: on a few hundred out-of-fold scores the
    single best point is often a spike one or two proposals make, which the next articles do not repeat."""
    f1s = [_f1(picks, gold, t) for t in THRESHOLDS]
    w = THRESHOLD_WINDOW
    steady = [sum(f1s[max(0, i - w) : i + w + 1]) / len(f1s[max(0, i - w) : i + w + 1]) for i in range(len(f1s))]
    return THRESHOLDS[max(range(len(f1s)), key=lambda i: (steady[i], -i))]


def _out_of_fold(cases: Sequence[Case], seed: int) -> list[float]:
    """Each case's raw score by a model fitted on the articles of the other inner folds."""
    docs = sorted({c.doc for c in cases})
    random.Random(seed).shuffle(docs)
    fold_of = {d: k % INNER_FOLDS for k, d in enumerate(docs)}
    scores = [0.0] * len(cases)
    for k in range(INNER_FOLDS):
        train = [c for c in cases if fold_of[c.doc] != k]
        if not train:
            continue
        model = fit([c.features for c in train], [c.label for c in train], EVENT_L2)
        for i, c in enumerate(cases):
            if fold_of[c.doc] == k:
                scores[i] = model.score(c.features)
    return scores


def train_kind(cases: Sequence[Case], gold: set[tuple[str, str, str]], seed: int, meta: dict[str, object]) -> Scorer:
    """One kind's model: weights fitted on every case, calibration and threshold from out-of-fold scores."""
    if len({c.label for c in cases}) < 2:
        return Scorer({}, 0.0, 0.0, {**meta, "cases": len(cases), "features_version": EVENT_FEATURES_VERSION})
    oof = _out_of_fold(cases, seed)
    scale, shift = platt([(z, float(c.label)) for z, c in zip(oof, cases, strict=True)])
    probs = [1.0 / (1.0 + np.exp(-np.clip(scale * z + shift, -30, 30))) for z in oof]
    picks = list(zip((float(p) for p in probs), cases, strict=True))
    threshold = _steady_best(picks, gold)
    full = fit([c.features for c in cases], [c.label for c in cases], EVENT_L2)
    extra = {"cases": len(cases), "features_version": EVENT_FEATURES_VERSION}
    return replace(full, threshold=round(float(threshold), 3), meta={**meta, **extra}, scale=scale, shift=shift)


def train_events(cases: Sequence[ArticleCases], seed: int = 12, meta: dict[str, object] | None = None) -> EventScorer:
    """The event scorer fitted on the labelled proposals of the given articles."""
    base = dict(meta or {})
    contact = train_kind(
        [c for a in cases for c in a.contacts],
        {g for a in cases for g in a.gold_pairs},
        seed,
        {**base, "kind": "contact"},
    )
    participant = train_kind(
        [c for a in cases for c in a.parts],
        {g for a in cases for g in a.gold_parts},
        seed,
        {**base, "kind": "participant"},
    )
    return EventScorer(contact, participant)


def event_report(cases: Sequence[ArticleCases], k: int = 5, seed: int = 12) -> list[str]:
    """Cross-validated reliability, Brier score and F1 of each kind: each article decided by a model fitted on
    the folds it is not in."""
    order = list(range(len(cases)))
    random.Random(seed).shuffle(order)
    judged: dict[str, list[tuple[float, bool, Case]]] = {"contact": [], "participant": []}
    for n in range(k):
        held = set(order[n::k])
        model = train_events([a for i, a in enumerate(cases) if i not in held], seed, {"fold": n})
        for i in held:
            for kind, scorer, proposals in (
                ("contact", model.contact, cases[i].contacts),
                ("participant", model.participant, cases[i].parts),
            ):
                for c in proposals:
                    p = scorer.probability(c.features)
                    judged[kind].append((p, p >= scorer.threshold, c))
    full = train_events(cases, seed)
    lines = [f"Event scorer: {len(cases)} articles, {k}-fold cross-validation by article (seed {seed})"]
    for kind, final in (("contact", full.contact), ("participant", full.participant)):
        gold = {g for a in cases for g in (a.gold_pairs if kind == "contact" else a.gold_parts)}
        table, brier = reliability_table([(p, c.label) for p, _, c in judged[kind]])
        every = _f1([(1.0, c) for _, _, c in judged[kind]], gold, 0.5)
        kept = _f1([(float(keep), c) for _, keep, c in judged[kind]], gold, 0.5)
        lines += [
            "",
            f"{kind}: {len(judged[kind])} proposals; F1 of all proposed {every:.3f}, of those kept {kept:.3f}",
            *table,
            f"Brier score (cross-validated): {brier:.4f}",
        ]
        ranked = sorted(final.weights.items(), key=lambda kv: -abs(kv[1]))
        lines += [f"Threshold {final.threshold}; bias {final.bias}; {len(final.weights)} weights, the largest:"]
        lines += [f"  {w:+.3f}  {f}" for f, w in ranked[:15]]
    return lines
