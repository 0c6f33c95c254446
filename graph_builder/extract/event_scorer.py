"""The trained scorer that decides which proposed contacts and named-event participants to keep.

The event rules (`events.py`) propose generously: every contact word with the parties the parse gives it, every
party a named event's sentence names. Each contact event, and each (named event, participant) pair, gets binary
features (the rule ids that fired, the trigger word, the parties' kinds, how far apart they stand, whether a
he/she stood for one, whether the sentence is a headline or a quote); two logistic models, fitted by the role
scorer's `fit` (`graph-builder train`), give each its probability. A contact below its model's threshold is
dropped, and so is a participant below the other's; what is kept carries its probability as `confidence` (a
named event's statement, the least of its kept participants').

The model file is JSON, one role-scorer-shaped model per kind; the one shipped in
`graph_builder/data/event_scorer.json` is fitted on the shared evaluation gold by `make train`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .candidates import bucket, dep_distance
from .events import FoundEvent, Party
from .lexicon import Lexicon
from .scorer import Scorer, ScorerModelError, model_text

#: Bumped when the feature names change, so an old model file is refused instead of silently misread.
EVENT_FEATURES_VERSION = 1
EVENT_MODEL_RESOURCE = "event_scorer.json"
KINDS = ("contact", "participant")
SENTENCE_ENDS = (".", '"', "\u201d", "?", "!")
#: Rules of statements that only add participants to a named event stated before.
LATER_RULES = ("named:refers-back", "named:later-doer", "named:topic-subject")


@dataclass(frozen=True)
class EventScorer:
    """One model for contact events, one for participants of named events."""

    contact: Scorer
    participant: Scorer

    def to_json(self) -> str:
        data = {
            "features_version": EVENT_FEATURES_VERSION,
            **{k: json.loads(getattr(self, k).to_json(EVENT_FEATURES_VERSION)) for k in KINDS},
        }
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def from_json(cls, text: str, source: str) -> EventScorer:
        try:
            data = json.loads(text)
            parts = [json.dumps(data[k]) for k in KINDS]
        except (ValueError, KeyError, TypeError) as exc:
            raise ScorerModelError(f"{source}: not an event scorer model ({type(exc).__name__}: {exc})") from None
        contact, participant = (Scorer.from_json(p, source, EVENT_FEATURES_VERSION, "event") for p in parts)
        return cls(contact, participant)


@cache
def load_event_scorer(path: str | None = None) -> EventScorer:
    """The model at `path`, else the one shipped in the package."""
    return EventScorer.from_json(*model_text(path, EVENT_MODEL_RESOURCE, "event scorer"))


def _kind(lex: Lexicon, party: Party) -> str:
    """A person, a government, or the kind of body an organisation's last telling word says it is."""
    if party.label == "Person":
        return "person"
    if party.name.startswith("Government of "):
        return "government"
    for word in reversed(party.name.lower().split()):
        if (kind := lex.org_kinds.get(word.strip(".,"))) is not None:
            return kind
    return "organisation"


def _setting(ev: FoundEvent) -> set[str]:
    """Where the statement stands: a headline (no full stop, or the article's first line), inside a quote."""
    sent = ev.sent
    text = sent.text.strip()
    quoted = any(t.text in {'"', "“", "”"} for t in sent)
    headline = not text.endswith(SENTENCE_ENDS) or sent.start == 0
    return {f"headline:{headline}", f"quoted:{quoted}"}


def contact_features(ev: FoundEvent, lex: Lexicon) -> frozenset[str]:
    """Features of one contact event: its rule, its trigger word and the kinds and places of its parties."""
    doc = ev.sent.doc
    trigger = doc[ev.trigger] if 0 <= ev.trigger < len(doc) else ev.sent.root
    kinds = sorted(_kind(lex, p) for p in ev.participants)
    spots = [p.at for p in ev.participants if p.at >= 0]
    spread = max(spots) - min(spots) if len(spots) > 1 else 0
    rule = ev.rule
    out = {
        rule,
        f"type:{ev.type}",
        f"trigger:{trigger.lower_}",
        f"tag:{trigger.tag_}",
        f"kinds:{'|'.join(kinds[:3])}",
        f"parties:{bucket(len(ev.participants), (2, 3))}",
        f"spread:{bucket(spread)}",
        f"rule&kinds:{rule}|{'|'.join(kinds[:2])}",
        f"trigger&rule:{trigger.lower_}|{rule}",
        *(f"kind:{k}" for k in kinds),
        *(f"via:{p.via}" for p in ev.participants),
        *_setting(ev),
    }
    if spots:
        out.add(f"trigger-gap:{bucket(min(abs(ev.trigger - s) for s in spots))}")
        edges = sorted(dep_distance(trigger, doc[s]) for s in spots)
        out |= {
            f"dep-near:{bucket(edges[0])}",
            f"dep-far:{bucket(edges[-1])}",
            f"rule&dep-far:{rule}|{bucket(edges[-1])}",
        }
    return frozenset(out)


def part_features(ev: FoundEvent, party: Party, lex: Lexicon) -> frozenset[str]:
    """Features of one participant of a named event: the rule that attached it, the event's rule and type, the
    party's kind and how far it stands from the event's name."""
    how = ev.how.get(party.name, "launch")
    event_rule = ev.rule.split("+")[0]
    kind = _kind(lex, party)
    gap = abs(ev.trigger - party.at) if ev.trigger >= 0 and party.at >= 0 else -1
    others = len(ev.participants)
    words = (ev.name or "").split()
    return frozenset(
        {
            f"name-capitalised:{all(w[:1].isupper() or w.isdigit() for w in words)}",
            f"name-year:{any(w.isdigit() for w in words)}",
            f"name-words:{bucket(len(words), (1, 2, 3))}",
            f"part:{how}",
            event_rule,
            f"type:{ev.type}",
            f"kind:{kind}",
            f"via:{party.via}",
            f"gap:{bucket(gap) if gap >= 0 else 'none'}",
            f"side:{'before' if party.at < ev.trigger else 'after'}",
            f"others:{bucket(others, (1, 2, 4))}",
            f"part&kind:{how}|{kind}",
            f"part&type:{how}|{ev.type}",
            f"type&kind:{ev.type}|{kind}",
            f"speaker:{party.name in ev.roles}",
            *_setting(ev),
        }
    )


def decide_events(events: list[FoundEvent], scorer: EventScorer, lex: Lexicon) -> list[FoundEvent]:
    """The events the scorer keeps: contacts that reach their threshold, named events with the participants
    that reach theirs (a later statement left with no one is dropped)."""
    kept: list[FoundEvent] = []
    for ev in events:
        if ev.name is None:
            p = scorer.contact.probability(contact_features(ev, lex))
            if p >= scorer.contact.threshold:
                ev.confidence = round(p, 4)
                kept.append(ev)
            continue
        chances = {
            party.name: scorer.participant.probability(part_features(ev, party, lex)) for party in ev.participants
        }
        stays = [party for party in ev.participants if chances[party.name] >= scorer.participant.threshold]
        if ev.participants and not stays and ev.rule.startswith(LATER_RULES):
            continue  # a later sentence stated only whom it added
        ev.participants = stays
        ev.roles = {name: how for name, how in ev.roles.items() if name in {p.name for p in stays}}
        if stays:
            ev.confidence = round(min(chances[p.name] for p in stays), 4)
        kept.append(ev)
    return kept
