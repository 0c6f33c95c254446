"""The trained scorer that decides which proposed role facts to keep, and with which organisation.

The rules propose generously: each titled person with every organisation the
sentence, the paragraph or the article offers, and with none. Each proposal
is a `Candidate` carrying binary features (the rule ids that fired, where the
organisation stands, what kind of body it is, what sector the title is in).
A logistic model over those features gives each candidate a probability; per
title mention the most probable candidate is kept when it reaches the
model's threshold, and that probability is the fact's confidence.

The model is a JSON file of one weight per feature name, so it can be read,
diffed and retrained (`graph-builder train`); the one shipped in
`graph_builder/data/role_scorer.json` is fitted on the shared evaluation gold
by `make train`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from spacy.tokens import Span

from ..errors import GraphBuilderError
from ..model import Status

#: Bumped when the feature names change, so an old model file is refused instead of silently misread.
FEATURES_VERSION = 2
MODEL_RESOURCE = "role_scorer.json"


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


@dataclass(frozen=True)
class Scorer:
    """Logistic weights by feature name, a bias, and the probability a candidate needs to be kept.

    `scale` and `shift` recalibrate the score of the candidate kept per title mention (the best of its
    group is likelier right than a candidate drawn at random, which the weights were fitted on).
    """

    weights: dict[str, float]
    bias: float
    threshold: float
    meta: dict[str, object]
    scale: float = 1.0
    shift: float = 0.0

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


def decide(candidates: list[Candidate], scorer: Scorer) -> list[tuple[Candidate, float]]:
    """The best candidate of each group with its probability, where it reaches the threshold."""
    best: dict[int, tuple[Candidate, float]] = {}
    for c in candidates:
        p = scorer.probability(c.features)
        if c.group not in best or p > best[c.group][1]:
            best[c.group] = (c, p)
    return [(c, p) for c, p in best.values() if p >= scorer.threshold]
