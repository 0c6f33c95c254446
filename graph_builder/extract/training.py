"""Fitting the role scorer from gold facts: labelled candidates, a logistic model, a calibration report.

Gold is in the facts format of the evaluation README (one JSON object per
article: people, organisations, roles). A candidate is labelled right when a
gold role matches it under the same conventions the evaluation uses: the
person by name or alias, the title by its content words (equal, one inside
the other, or half shared), the organisation by name, alias or allowed
alternative. A gold role with no organisation is matched only by a candidate
with none, so that the scorer learns not to guess a body. Gold whose roles
carry no titles (`role_titles_scored: false`) labels by person and
organisation alone, and so does a membership (an affiliation stated without a post, "Franz
Holler (SPD)"), whatever the gold.

spaCy parses are the slow part, so they are cached as DocBin files keyed by
the article's content hash, the pipeline and the spaCy version.
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from ..config import Settings
from ..errors import InputError
from ..ingest import read_sources
from ..model import Article, ArticleFacts
from .article import ArticleExtractor
from .candidates import MEMBERSHIP
from .event_scorer import EventScorer
from .events import FoundEvent
from .lexicon import Lexicon
from .scorer import FEATURES_VERSION, Candidate, Scorer, decide

STOP = frozenset({"the", "a", "an", "of", "for", "to", "and", "in", "on", "at", "s", "'s"})
TITLE_QUALIFIERS = frozenset(
    {"former", "current", "then", "incumbent", "outgoing", "incoming", "acting", "interim", "new", "ex", "late"}
    | {"erstwhile"}
)
NAME_HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "dr", "sir", "dame", "lord", "lady", "prof", "professor", "shri", "smt", "sen", "rep"}
    | {"gen", "col", "capt", "rev", "hon"}
)
#: Features seen in fewer training candidates than this carry no weight.
MIN_COUNT = 2
#: Strength of the L2 penalty on the weights.
L2 = 3.0


def fold(text: str | None, honorifics: bool = True) -> str:
    """Case-, accent- and punctuation-folded form of a name (honorifics dropped) or a title (kept)."""
    if not text:
        return ""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"['\u2019]s\b", "", text.lower().replace("&", " and "))
    words = re.sub(r"[^\w\s]", " ", text).split()
    return " ".join(w for w in words if not (honorifics and w in NAME_HONORIFICS) and w != "the")


def title_words(title: str | None) -> frozenset[str]:
    return frozenset(w for w in fold(title, honorifics=False).split() if w not in STOP and w not in TITLE_QUALIFIERS)


def same_title(gold: str | None, system: str | None) -> bool:
    g, s = title_words(gold), title_words(system)
    if not g or not s:
        return False
    return g <= s or s <= g or len(g & s) / len(g | s) >= 0.5


@dataclass
class GoldDoc:
    """One article's gold facts, with name lookups that fold case, accents and honorifics."""

    doc_id: str
    roles: list[dict[str, Any]]
    titled: bool
    people: dict[str, str] = field(default_factory=dict)
    orgs: dict[str, str] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_record(cls, rec: dict[str, Any]) -> GoldDoc:
        gold = cls(str(rec["doc_id"]), list(rec.get("roles", [])), bool(rec.get("role_titles_scored", True)))
        gold.events = list(rec.get("events", []))
        for key, names in (("people", gold.people), ("organisations", gold.orgs)):
            for e in rec.get(key, []):
                name = e["name"] if isinstance(e, dict) else e
                for alias in [name, *(e.get("aliases", []) if isinstance(e, dict) else [])]:
                    names.setdefault(fold(alias), name)
        return gold

    def org_accepted(self, role: dict[str, Any], org: str | None) -> bool:
        allowed = [role["organisation"], *role.get("organisation_alternatives", [])]
        return self.orgs.get(fold(org)) in allowed or fold(org) in {fold(a) for a in allowed}

    def label(self, c: Candidate) -> int | None:
        """1 when a gold role matches the candidate, 0 when none does; None when the gold cannot say (an
        untitled gold and a candidate with no organisation)."""
        person = self.people.get(fold(c.person))
        if not self.titled and c.organisation is None:
            return None
        # A membership claims an affiliation, not a post: right when the person holds any post in the body.
        by_title = self.titled and c.title != MEMBERSHIP
        for role in self.roles:
            if person is None or role["person"] != person:
                continue
            if by_title and not same_title(role.get("title"), c.title):
                continue
            gold_org = role.get("organisation")
            if gold_org is None and by_title and c.organisation is None:
                return 1
            if gold_org is not None and c.organisation is not None and self.org_accepted(role, c.organisation):
                return 1
        return 0


def read_gold(path: Path) -> dict[str, GoldDoc]:
    docs: dict[str, GoldDoc] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(str(path), f"cannot read gold facts: {exc.strerror or exc}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            gold = GoldDoc.from_record(json.loads(line))
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{path}:{n}", f"not a gold facts record ({type(exc).__name__}: {exc})") from None
        docs[gold.doc_id] = gold
    return docs


def parse_cached(nlp: Language, articles: Sequence[Article], cache: Path | None) -> list[Doc]:
    """Parsed docs of the articles, read from `cache` where an earlier run left them."""
    tag = f"{nlp.meta.get('name', 'model')}-{nlp.meta.get('version', '')}-{spacy.about.__version__}"
    folder = cache / tag if cache else None
    docs: dict[int, Doc] = {}
    todo: list[int] = []
    for k, art in enumerate(articles):
        path = folder / f"{art.id}.spacy" if folder else None
        if path is not None and path.exists():
            docs[k] = next(iter(DocBin().from_disk(path).get_docs(nlp.vocab)))
        else:
            todo.append(k)
    for k, doc in zip(todo, nlp.pipe(articles[k].text for k in todo), strict=True):
        docs[k] = doc
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            DocBin(docs=[doc]).to_disk(folder / f"{articles[k].id}.spacy")
    return [docs[k] for k in range(len(articles))]


def gold_articles(gold: dict[str, GoldDoc], sources: Sequence[str]) -> list[Article]:
    """The articles of `sources` that the gold annotates, in the order read; an unreadable one is an error."""
    found: list[Article] = []
    for item in read_sources(sources, Settings()):
        if isinstance(item, InputError):
            raise item
        if item.doc_id in gold:
            found.append(item)
    missing = sorted(set(gold) - {a.doc_id for a in found})
    if missing:
        shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise InputError(", ".join(sources), f"no article for {len(missing)} gold record(s): {shown}")
    return found


@dataclass
class Example:
    """One article ready to learn from or to decide: its doc, gold and labelled candidates."""

    article: Article
    doc: Doc
    gold: GoldDoc | None
    candidates: list[Candidate]
    labels: list[int | None]

    def facts(self, lex: Lexicon, scorer: Scorer, event_scorer: EventScorer | None = None) -> ArticleFacts:
        """The article's facts under `scorer` and `event_scorer` (default: the shipped one), from a fresh rule
        pass over the cached parse."""
        ax = ArticleExtractor(self.doc, self.article, lex)
        return ax.decide(ax.candidates(), scorer, event_scorer)

    def proposed_events(self, lex: Lexicon, scorer: Scorer) -> list[FoundEvent]:
        """Every event the rules propose for the article, before the event scorer decides."""
        ax = ArticleExtractor(self.doc, self.article, lex)
        return ax.find_events(None, ax.decide_roles(ax.candidates(), scorer))


def examples(docs: Iterable[tuple[Article, Doc]], gold: dict[str, GoldDoc], lex: Lexicon) -> Iterator[Example]:
    """Each article with its candidates, labelled against its gold."""
    for article, doc in docs:
        g = gold.get(article.doc_id)
        cands = ArticleExtractor(doc, article, lex).candidates()
        yield Example(article, doc, g, cands, [g.label(c) if g else None for c in cands])


def fit(
    rows: Sequence[frozenset[str]], labels: Sequence[int], l2: float = L2, meta: dict[str, object] | None = None
) -> Scorer:
    """L2-penalised logistic regression by Newton's method: deterministic, no tuning of step sizes."""
    counts: dict[str, int] = {}
    for row in rows:
        for f in row:
            counts[f] = counts.get(f, 0) + 1
    names = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {f: k for k, f in enumerate(names)}
    x = np.zeros((len(rows), len(names) + 1))
    x[:, -1] = 1.0  # bias, not penalised
    for r, row in enumerate(rows):
        for f in row:
            if f in index:
                x[r, index[f]] = 1.0
    y = np.asarray(labels, dtype=float)
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-7:
            break
    weights = {f: round(float(w[k]), 5) for f, k in index.items() if abs(w[k]) >= 1e-5}
    return Scorer(weights, round(float(w[-1]), 5), 0.5, dict(meta or {}))


def best_threshold(train: Sequence[Example], scorer: Scorer) -> float:
    """The threshold that maximises the F1 of the kept best-per-group candidates on the training articles."""
    picks = [(scorer.probability(c.features), y) for ex in train for c, y in _best_per_group(ex, scorer)]
    positives = sum(len(ex.gold.roles) for ex in train if ex.gold)
    best, best_f1 = 0.5, -1.0
    for t in np.arange(0.05, 0.96, 0.025):
        tp = sum(1 for p, y in picks if p >= t and y)
        fp = sum(1 for p, y in picks if p >= t and not y)
        f1 = 2 * tp / (2 * tp + fp + max(positives - tp, 0)) if tp else 0.0
        if f1 > best_f1:
            best, best_f1 = float(t), f1
    return round(best, 3)


def load_examples(
    gold_path: Path, sources: Sequence[str], nlp: Language, lex: Lexicon, cache: Path | None
) -> list[Example]:
    """The labelled examples of one gold file and the articles it annotates."""
    gold = read_gold(gold_path)
    articles = gold_articles(gold, sources)
    return list(examples(zip(articles, parse_cached(nlp, articles, cache), strict=True), gold, lex))


def calibrate(examples: Sequence[Example], scorer: Scorer) -> Scorer:
    """Platt scaling of each group's best score against whether it was right, on the training articles."""
    points = [(scorer.score(c.features), float(y)) for ex in examples for c, y in _best_per_group(ex, scorer)]
    scale, shift = platt(points)
    return Scorer(scorer.weights, scorer.bias, scorer.threshold, scorer.meta, scale, shift)


def platt(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """The scale and shift that map raw scores to calibrated probabilities of their labels (identity when all
    labels agree)."""
    if len({y for _, y in points}) < 2:
        return 1.0, 0.0
    z = np.array([[p, 1.0] for p, _ in points])
    y = np.array([t for _, t in points])
    ab = np.array([1.0, 0.0])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ ab, -30, 30)))
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.eye(2) * 1e-3
        step = np.linalg.solve(hess, z.T @ (p - y) + 1e-3 * ab)
        ab -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return round(float(ab[0]), 5), round(float(ab[1]), 5)


def _best_per_group(ex: Example, scorer: Scorer) -> list[tuple[Candidate, int]]:
    best: dict[int, tuple[float, Candidate, int]] = {}
    for c, y in zip(ex.candidates, ex.labels, strict=True):
        if y is None:
            continue
        z = scorer.score(c.features)
        if c.group not in best or z > best[c.group][0]:
            best[c.group] = (z, c, y)
    return [(c, y) for _, c, y in best.values()]


def train(examples: Sequence[Example], meta: dict[str, object] | None = None, l2: float = L2) -> Scorer:
    rows = [c.features for ex in examples for c, y in zip(ex.candidates, ex.labels, strict=True) if y is not None]
    labels = [y for ex in examples for y in ex.labels if y is not None]
    scorer = fit(rows, labels, l2, {**(meta or {}), "features_version": FEATURES_VERSION, "candidates": len(rows)})
    scorer = calibrate(examples, scorer)
    return Scorer(
        scorer.weights, scorer.bias, best_threshold(examples, scorer), scorer.meta, scorer.scale, scorer.shift
    )


def folds(items: Sequence[Example], k: int, seed: int) -> list[list[int]]:
    """Indices of `k` folds by article, shuffled with a fixed seed."""
    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    return [order[i::k] for i in range(k)]


def reliability(judged: Sequence[tuple[Example, Scorer]], bins: int = 10) -> tuple[list[str], float]:
    """Rows of a reliability table (each title mention's best candidate, by predicted probability: mean
    prediction against how often it was right) and their Brier score; each article by its own scorer."""
    points: list[tuple[float, int]] = []
    for ex, scorer in judged:
        label = {id(c): y for c, y in zip(ex.candidates, ex.labels, strict=True)}
        every = dataclasses.replace(scorer, threshold=0.0)  # each group's best, kept or not
        for c, p in decide(ex.candidates, every):
            y = label[id(c)]
            if y is not None:
                points.append((p, y))
    return reliability_table(points, bins)


def reliability_table(points: Sequence[tuple[float, int]], bins: int = 10) -> tuple[list[str], float]:
    """Rows of a reliability table of (predicted probability, label) points, and their Brier score."""
    rows = [f"{'probability':<13}{'n':>6}{'mean p':>9}{'right':>8}"]
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(p, y) for p, y in points if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if inside:
            mean = sum(p for p, _ in inside) / len(inside)
            right = sum(y for _, y in inside) / len(inside)
            rows.append(f"{lo:.1f}-{hi:.1f}{'':<6}{len(inside):>6}{mean:>9.3f}{right:>8.3f}")
    brier = sum((p - y) ** 2 for p, y in points) / len(points) if points else 0.0
    return rows, brier


def fit_with_report(
    examples: Sequence[Example], k: int = 5, seed: int = 12, meta: dict[str, object] | None = None
) -> tuple[Scorer, list[str]]:
    """The scorer fitted on every example, and a report whose reliability table and Brier score come from
    `k`-fold cross-validation by article (each article judged by a model that did not see it)."""
    judged: list[tuple[Example, Scorer]] = []
    lines = [f"Role scorer: {len(examples)} articles, {k}-fold cross-validation by article (seed {seed})"]
    if len(examples) >= k:
        for n, test in enumerate(folds(examples, k, seed)):
            held = set(test)
            scorer = train([ex for i, ex in enumerate(examples) if i not in held], {"fold": n})
            judged.extend((examples[i], scorer) for i in test)
        table, brier = reliability(judged)
        lines += ["", "Reliability (cross-validated; each title mention's best candidate):", *table]
        lines.append(f"Brier score (cross-validated): {brier:.4f}")
    full = train(examples, {**(meta or {}), "articles": len(examples), "seed": seed})
    table, brier = reliability([(ex, full) for ex in examples])
    lines += ["", "Reliability (IN-SAMPLE: the final model on its own training articles):", *table]
    lines.append(f"Brier score (in-sample): {brier:.4f}")
    ranked = sorted(full.weights.items(), key=lambda kv: -abs(kv[1]))
    lines += ["", f"Threshold {full.threshold}; bias {full.bias}; {len(full.weights)} weights, the largest:"]
    lines += [f"  {w:+.3f}  {f}" for f, w in ranked[:25]]
    return full, lines
