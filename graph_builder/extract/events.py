"""Event facts: meetings between parties, and named events with their organisers, participants and place.

A meeting trigger ("met", "held talks with", "discussions with", "visited")
joins the party before it to the parties after it in the same sentence. A
named event is a capitalised phrase ending in an event word ("Scottish Cup",
"Atlantic Maritime Summit"), an EVENT entity, or a quoted name that "was
organised/held/hosted"; people who speak or attend in that sentence or the
next take part in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from .lexicon import Lexicon
from .mentions import Mentions

ORGANISE_VERBS = frozenset(
    ["organised", "organized", "hosted", "host", "hosts", "staged", "convened", "sponsored", "arranged"]
)
TAKE_PART_VERBS = frozenset(
    [
        "spoke",
        "speaks",
        "addressed",
        "address",
        "delivered",
        "attended",
        "attend",
        "attends",
        "presented",
        "took",
        "joined",
        "opened",
        "won",
        "wins",
        "played",
        "plays",
        "competed",
        "unveiled",
        "launched",
        "announced",
    ]
)
SPEAKER_VERBS = frozenset(["spoke", "speaks", "addressed", "address", "delivered", "presented", "opened"])
QUOTES = frozenset({"'", "‘", "’", '"', "“", "”"})


@dataclass
class Party:
    name: str
    label: str  # Person or Organisation


@dataclass
class FoundEvent:
    name: str | None
    type: str
    sent: Span
    participants: list[Party] = field(default_factory=list)
    organisers: list[Party] = field(default_factory=list)
    place: str | None = None
    date: str | None = None
    roles: dict[str, str] = field(default_factory=dict)
    rule: str = ""


class EventFinder:
    def __init__(self, doc: Doc, mentions: Mentions, lex: Lexicon, party_of) -> None:
        self.doc = doc
        self.m = mentions
        self.lex = lex
        self.party_of = party_of  # Mention -> Party | None (resolves people and governments)

    def parties_in(self, start: int, end: int) -> list[tuple[int, Party]]:
        """Parties named between two tokens; "Japan's" before a title names the holder's side, not a party."""
        doc = self.doc
        out, seen = [], set()
        for i in range(start, end):
            ment = self.m.starting(i)
            if ment is None:
                continue
            if (
                ment.label != "Person"
                and ment.end + 1 < len(doc)
                and doc[ment.end].text in {"'s", "’s"}
                and any(doc[k].lower_ in self.lex.titles for k in range(ment.end + 1, min(ment.end + 6, end)))
            ):
                continue
            party = self.party_of(ment)
            if party is not None and party.name not in seen:
                seen.add(party.name)
                out.append((i, party))
        return out

    def place_date(self, ev: FoundEvent, start: int, end: int) -> None:
        doc = self.doc
        for i in range(start, end):
            ment = self.m.starting(i)
            if (
                ev.place is None
                and ment is not None
                and ment.label == "Place"
                and i > 0
                and doc[i - 1].lower_ in {"in", "at"}
            ):
                ev.place = ment.text
            if ev.date is None and doc[i].ent_type_ == "DATE" and doc[i].ent_iob_ == "B":
                ent = next(e for e in doc.ents if e.start == i)
                ev.date = ent.text

    def meetings(self, sent: Span) -> list[FoundEvent]:
        doc = self.doc
        found = []
        for tok in sent:
            etype = self.lex.meeting_words.get(tok.lower_)
            if etype is None or tok.pos_ not in {"VERB", "NOUN"}:
                continue
            if tok.lower_ in {"called", "spoke"}:
                nxt = doc[tok.i + 1] if tok.i + 1 < sent.end else None
                if (
                    nxt is None
                    or nxt.lower_ in {"for", "on", "off", "it", "a", "the"}
                    or (nxt.lower_ != "to" and tok.lower_ == "spoke")
                ):
                    continue
            left = self.parties_in(sent.start, tok.i)
            right = self.parties_in(tok.i + 1, sent.end)
            if not left or not right:
                continue
            subj = self._subject_party(tok) or left[-1][1]
            others = self._coordinated([(i, p) for i, p in right if p.name != subj.name])
            if not others:
                continue
            ev = FoundEvent(None, etype, sent, [subj, *others], rule=f"meeting:{tok.lower_}")
            self.place_date(ev, tok.i + 1, sent.end)
            found.append(ev)
            break
        return found

    def _coordinated(self, parties: list[tuple[int, Party]]) -> list[Party]:
        """The first party after a trigger and those joined to it by "and" or commas ("met X and Y")."""
        if not parties:
            return []
        out = [parties[0][1]]
        end = self.m.at(parties[0][0]).end
        for i, party in parties[1:]:
            between = {t.lower_ for t in self.doc[end:i]}
            if not between or not between <= {"and", ",", "the", "&"}:
                break
            out.append(party)
            end = self.m.at(i).end
        return out

    def _subject_party(self, trigger) -> Party | None:
        verb = trigger if trigger.pos_ == "VERB" else trigger.head
        for _ in range(3):
            for child in verb.children:
                if child.dep_ in {"nsubj", "nsubjpass", "poss"}:
                    ment = self.m.at(child.i)
                    if ment is not None and (p := self.party_of(ment)):
                        return p
            if verb.head is verb:
                break
            verb = verb.head
        return None

    def named(self, sent: Span) -> list[FoundEvent]:
        doc = self.doc
        found: list[FoundEvent] = []
        used: set[int] = set()
        for tok in sent:
            if tok.i in used:
                continue
            low = tok.lower_
            name_span: tuple[int, int] | None = None
            etype = None
            ment = self.m.starting(tok.i)
            if ment is not None and ment.label == "Event":
                name_span, etype = (ment.start, ment.end), self._type_of(ment.start, ment.end) or "event"
            elif low in self.lex.event_heads and tok.is_title and not tok.is_sent_start:
                start = tok.i
                while (
                    start - 1 >= sent.start
                    and (doc[start - 1].is_title or doc[start - 1].like_num or doc[start - 1].text in {"'s", "-"})
                    and "\n" not in doc[start - 1].text
                ):
                    if self.m.at(start - 1) is not None and self.m.at(start - 1).label == "Person":
                        break
                    start -= 1
                if start < tok.i:
                    name_span, etype = (start, tok.i + 1), self.lex.event_heads[low]
            elif tok.text in QUOTES:
                close = next((k for k in range(tok.i + 2, min(tok.i + 16, sent.end)) if doc[k].text in QUOTES), None)
                if (
                    close is not None
                    and close + 2 < sent.end
                    and any(
                        doc[k].lower_ in ORGANISE_VERBS | {"held"} for k in range(close + 1, min(close + 4, sent.end))
                    )
                ):
                    end = close
                    while end > tok.i + 1 and doc[end - 1].is_punct:
                        end -= 1
                    name_span, etype = (tok.i + 1, end), self._type_of(tok.i + 1, end) or "conference"
            if name_span is None:
                continue
            used.update(range(*name_span))
            name = " ".join(doc[name_span[0] : name_span[1]].text.split())
            ev = FoundEvent(name, etype or "event", sent, rule="named-event")
            self._attach(ev, sent, name_span)
            found.append(ev)
        return found

    def _type_of(self, start: int, end: int) -> str | None:
        for i in range(end - 1, start - 1, -1):
            etype = self.lex.event_heads.get(self.doc[i].lower_)
            if etype:
                return etype
        return None

    def _attach(self, ev: FoundEvent, sent: Span, span: tuple[int, int]) -> None:
        """Organisers, participants and place of a named event, from its sentence."""
        doc = self.doc
        organised = any(doc[i].lower_ in ORGANISE_VERBS for i in range(sent.start, sent.end))
        for i, party in self.parties_in(sent.start, sent.end):
            if span[0] <= i < span[1]:
                continue
            before = doc[i - 1].lower_ if i > sent.start else ""
            before2 = doc[i - 2].lower_ if i - 1 > sent.start else ""
            if organised and (
                before == "by"
                or ((before == "at" or (before == "the" and before2 == "at")) and party.label == "Organisation")
            ):
                ev.organisers.append(party)
            elif self._takes_part(i, sent):
                ev.participants.append(party)
                if any(doc[k].lower_ in SPEAKER_VERBS for k in range(i, sent.end)):
                    ev.roles[party.name] = "speaker"
        self.place_date(ev, span[1], sent.end)

    def _takes_part(self, i: int, sent: Span) -> bool:
        tok = self.doc[i]
        if tok.dep_ == "nsubj" and tok.head.lower_ in ORGANISE_VERBS:
            return True
        head = tok.head
        for _ in range(5):
            if head.lower_ in TAKE_PART_VERBS:
                return True
            if head.head is head:
                break
            head = head.head
        return False

    def speakers_for(self, ev: FoundEvent, sent: Span) -> None:
        """People who "delivered addresses" in the sentence after a named event take part in it."""
        if not any(t.lower_ in SPEAKER_VERBS for t in sent):
            return
        for i, party in self.parties_in(sent.start, sent.end):
            if party.label == "Person" and self._takes_part(i, sent) and party not in ev.participants:
                ev.participants.append(party)
                ev.roles[party.name] = "speaker"
