"""The trained scorer that decides which proposed role facts to keep, and with which organisation.

The rules propose generously: each titled person with every organisation the
sentence, the paragraph or the article offers, and with none. Each proposal
is a `Candidate` carrying binary features (the rule ids that fired, where the
organisation stands, what kind of body it is, what sector the title is in).
A logistic model over those features gives each candidate a probability; per
title mention the most probable candidate is kept when it reaches the
model's threshold, and that probability is the fact's confidence. Another
candidate of the same mention is kept beside it when it reaches the model's
`also_threshold` and its organisation is one a person can hold the same post
in at once ("chairman of Norvale Energy and Kestrel Securities"), never a
second government or club, nor a body inside or around the kept one.

The model is a JSON file of one weight per feature name, so it can be read,
diffed and retrained (`graph-builder train`); the one shipped in
`graph_builder/data/role_scorer.json` is fitted on the shared evaluation gold
by `make train`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path

from spacy.tokens import Span

from ..errors import GraphBuilderError
from ..model import Status

#: Bumped when the feature names change, so an old model file is refused instead of silently misread.
FEATURES_VERSION = 1
MODEL_RESOURCE = "role_scorer.json"
#: An `also_threshold` no probability reaches: one candidate per title mention.
NEVER = 1.01
#: The decision step that keeps a second organisation of a title mention, as it joins the fact's chain.
ALSO_KEPT = "decide:also-organisation"
#: Kinds of body in which one title is held in one at a time: two governments, clubs or teams under one
#: mention of a title are one right and one wrong, not two posts.
ONE_AT_A_TIME = frozenset({"government", "club", "team", "parliament", "party", "court", "military", "league"})


class ScorerModelError(GraphBuilderError):
    """The scorer model file is missing, unreadable, or made for other features."""


@dataclass
class Candidate:
    """One proposed role fact. Candidates of one `group` (a title mention and its holder) compete."""

    group: int
    person: str
    title: str
    organisation: str | None
    status: Status
    sent: Span
    rules: tuple[str, ...]
    features: frozenset[str]
    kind: str | None = None  # what kind of body the organisation is ("company", "government"), when known


@dataclass(frozen=True)
class Scorer:
    """Logistic weights by feature name, a bias, and the probability a candidate needs to be kept.

    `scale` and `shift` recalibrate the score of the candidate kept per title mention (the best of its
    group is likelier right than a candidate drawn at random, which the weights were fitted on).
    `also_threshold` is the probability another candidate of a mention needs to be kept beside the best
    (above 1: never).
    """

    weights: dict[str, float]
    bias: float
    threshold: float
    meta: dict[str, object]
    scale: float = 1.0
    shift: float = 0.0
    also_threshold: float = NEVER

    def score(self, features: Iterable[str]) -> float:
        # fsum is exact, so the score does not depend on the (hash-seeded) order of a set of features
        return math.fsum([self.bias, *(self.weights.get(f, 0.0) for f in features)])

    def probability(self, features: Iterable[str]) -> float:
        z = self.scale * self.score(features) + self.shift
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self, version: int = FEATURES_VERSION) -> str:
        data = {
            "features_version": version,
            "bias": self.bias,
            "threshold": self.threshold,
            "scale": self.scale,
            "shift": self.shift,
            "also_threshold": self.also_threshold,
            "meta": self.meta,
            "weights": dict(sorted(self.weights.items())),
        }
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def from_json(cls, text: str, source: str, expected: int = FEATURES_VERSION, what: str = "role") -> Scorer:
        try:
            data = json.loads(text)
            version = data["features_version"]
            weights = {str(k): float(v) for k, v in data["weights"].items()}
            scorer = cls(
                weights,
                float(data["bias"]),
                float(data["threshold"]),
                dict(data.get("meta", {})),
                float(data.get("scale", 1.0)),
                float(data.get("shift", 0.0)),
                float(data.get("also_threshold", NEVER)),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ScorerModelError(f"{source}: not a {what} scorer model ({type(exc).__name__}: {exc})") from None
        if version != expected:
            raise ScorerModelError(
                f"{source}: model made for features version {version}, this build uses {expected}; "
                "retrain it with `graph-builder train`"
            )
        return scorer


def shipped_model(resource: str) -> Path:
    """Where the package's own model file `resource` is: `graph-builder train` may have just rewritten it."""
    return Path(str(resources.files("graph_builder").joinpath("data", resource))).resolve()


def model_text(path: str | None, resource: str, what: str) -> tuple[str, str]:
    """The JSON of the model file at `path`, else of the package's `resource`, and where it came from."""
    if path is not None:
        try:
            return Path(path).read_text(encoding="utf-8"), path
        except OSError as exc:
            raise ScorerModelError(f"{path}: cannot read the {what} model: {exc.strerror or exc}") from None
    source = f"graph_builder/data/{resource}"
    try:
        return resources.files("graph_builder").joinpath("data", resource).read_text(encoding="utf-8"), source
    except OSError:
        raise ScorerModelError(f"{source} is missing from the installed package; run `make train`") from None


@cache
def load_scorer(path: str | None = None) -> Scorer:
    """The model at `path`, else the one shipped in the package."""
    return Scorer.from_json(*model_text(path, MODEL_RESOURCE, "scorer"))


def name_words(name: str) -> frozenset[str]:
    return frozenset(w for w in name.lower().replace("-", " ").split() if w not in {"the", "of", "and", "&"})


def held_together(kept: Candidate, other: Candidate) -> bool:
    """Whether one person can hold one title in both organisations at once: "chairman of Norvale Energy and
    Kestrel Securities", not "minister" of two governments, nor in Fiat and Fiat Auto (one inside the other)."""
    a, b = kept.organisation, other.organisation
    if a is None or b is None or a == b:
        return False
    if kept.kind == other.kind and kept.kind in ONE_AT_A_TIME:
        return False
    wa, wb = name_words(a), name_words(b)
    return not (wa <= wb or wb <= wa)


def decide(candidates: list[Candidate], scorer: Scorer) -> list[tuple[Candidate, float]]:
    """The best candidate of each group with its probability, where it reaches the threshold; then
    `also_organisation`'s second ones."""
    best: dict[int, tuple[Candidate, float]] = {}
    scored = [(c, scorer.probability(c.features)) for c in candidates]
    for c, p in scored:
        if c.group not in best or p > best[c.group][1]:
            best[c.group] = (c, p)
    kept = [(c, p) for c, p in best.values() if p >= scorer.threshold]
    return kept + also_organisation(kept, scored, scorer.also_threshold)


def also_organisation(
    kept: list[tuple[Candidate, float]], scored: list[tuple[Candidate, float]], threshold: float
) -> list[tuple[Candidate, float]]:
    """Mark Pell, chairman of Norvale Energy and of Kestrel Securities, spoke: a candidate of a kept title
    mention whose probability also reaches `threshold`, in a body the post can be held in beside the kept
    ones (`held_together`), is kept too, its chain ending in `ALSO_KEPT`."""
    by_group: dict[int, list[Candidate]] = {c.group: [c] for c, _ in kept}
    out: list[tuple[Candidate, float]] = []
    for c, p in sorted(scored, key=lambda cp: -cp[1]):
        same = by_group.get(c.group)
        if p < threshold or same is None or not all(held_together(k, c) for k in same):
            continue
        same.append(c)
        out.append((replace(c, rules=(*c.rules, ALSO_KEPT)), p))
    return out
