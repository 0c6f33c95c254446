"""Event facts: meetings between parties, and named events with their organisers, participants and place.

A meeting trigger ("met", "held talks with", "discussions with", "visited")
joins the party before it to the parties after it in the same sentence. A
named event is a capitalised phrase ending in an event word ("Scottish Cup",
"Atlantic Maritime Summit"), an EVENT entity, or a quoted name that "was
organised/held/hosted"; people who speak or attend in that sentence or the
next take part in it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .lexicon import Lexicon
from .mentions import Mention, Mentions

VISITS = frozenset({"visited", "visit", "visits"})
BILATERAL = frozenset({"spoke", "called", "phoned"}) | VISITS
#: Meeting words that name a meeting only with the other party: "talks with X", not "in talks to buy".
NEEDS_WITH = frozenset({"talks", "discussions", "discussed", "negotiations", "meeting", "meetings"})
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
        "lost",
        "contested",
        "stood",
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
    def __init__(self, doc: Doc, mentions: Mentions, lex: Lexicon, party_of: Callable[[Mention], Party | None]) -> None:
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
            after = ment.end + (1 if ment.end < len(doc) and doc[ment.end].text in {"'s", "’s"} else 0)
            title_at = next((k for k in range(after, min(after + 5, end)) if doc[k].lower_ in self.lex.titles), None)
            if (
                ment.label != "Person"
                and title_at is not None
                and any(
                    (h := self.m.starting(k)) is not None and h.label == "Person"
                    for k in range(title_at, min(title_at + 8, end))
                )
            ):
                continue  # "Japan's Minister X", "US President X": the holder is the party
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
            if tok.lower_ == "called":
                nxt = doc[tok.i + 1] if tok.i + 1 < sent.end else None
                if nxt is None or nxt.lower_ in {"for", "on", "off", "it", "a", "the"}:
                    continue
            if tok.lower_ == "spoke" and not any(t.lower_ in {"to", "with"} for t in doc[tok.i + 1 : tok.i + 5]):
                continue  # "spoke to/with X" (also "spoke on the telephone to X"), not "spoke of"
            if tok.lower_ in NEEDS_WITH and not any(
                t.lower_ in {"with", "between"} for t in doc[tok.i + 1 : tok.i + 6]
            ):
                continue  # "talks with X" is a meeting; "in talks to buy" and "discussed the plans" are not
            left = self.parties_in(sent.start, tok.i)
            right = self.parties_in(tok.i + 1, sent.end)
            subj = self._subject_party(tok) or (left[-1][1] if left else self.pronoun_subject(tok))
            if subj is None or not right:
                continue
            others = self._coordinated([(i, p) for i, p in right if p.name != subj.name])
            if tok.lower_ in VISITS:
                # "Straw visited Indonesia": a trip to a place, not a meeting with its government.
                places = {p.name for i, p in right if (at := self.m.at(i)) is not None and at.label == "Place"}
                others = [p for p in others if p.name not in places]
            if not others:
                continue
            # A call or a visit is one contact with each party named; talks and meetings are joint.
            groups = [[o] for o in others] if tok.lower_ in BILATERAL else [others]
            for group in groups:
                ev = FoundEvent(None, etype, sent, [subj, *group], rule=f"meeting:{tok.lower_}")
                self.place_date(ev, tok.i + 1, sent.end)
                found.append(ev)
            break
        return found

    def _coordinated(self, parties: list[tuple[int, Party]]) -> list[Party]:
        """The first party after a trigger and those joined to it by "and" or commas ("met X and Y")."""
        if not parties:
            return []
        out = [parties[0][1]]
        end = self._end(parties[0][0])
        for i, party in parties[1:]:
            between = {t.lower_ for t in self.doc[end:i]}
            # "X, and the presidents of Sri Lanka and Indonesia": plural titles join the list too.
            joining = {"and", ",", "the", "&", "of"} | {w for w in between if w.rstrip("s") in self.lex.titles}
            if not between or not between <= joining:
                break
            out.append(party)
            end = self._end(i)
        return out

    def _end(self, i: int) -> int:
        """Where the mention of a party found at token `i` ends (parties are always mentions)."""
        ment = self.m.at(i)
        return ment.end if ment is not None else i + 1

    def pronoun_subject(self, trigger: Token) -> Party | None:
        """ "He also spoke to X": a he/she subject is the person the article last named as a subject."""
        verb = trigger if trigger.pos_ == "VERB" else trigger.head
        if not any(c.dep_ == "nsubj" and c.lower_ in {"he", "she"} for c in verb.children):
            return None
        for i in range(trigger.sent.start - 1, -1, -1):
            ment = self.m.ending(i)
            if ment is not None and ment.label == "Person" and self.doc[i].dep_ in {"nsubj", "nsubjpass"}:
                return self.party_of(ment)
        return None

    def _subject_party(self, trigger: Token) -> Party | None:
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
            if ment is not None and ment.label == "Event" and self._type_of(ment.start, ment.end):
                name_span, etype = self._trim(ment.start, ment.end), self._type_of(ment.start, ment.end)
            elif low in self.lex.event_heads and tok.is_title and not tok.is_sent_start:
                start = tok.i
                while start - 1 >= sent.start and self._name_part(start - 1) and "\n" not in doc[start - 1].text:
                    if (prev := self.m.at(start - 1)) is not None and prev.label == "Person":
                        break
                    start -= 1
                start, _ = self._trim(start, tok.i + 1)
                if start < tok.i or doc[tok.i].is_upper or doc[tok.i].tag_ == "NNPS":  # "the Oscars"
                    name_span, etype = (start, tok.i + 1), self.lex.event_heads[low]
            elif tok.is_lower and low in self.lex.qualified_heads and (span := self._qualified(tok, sent)):
                name_span, etype = span, self.lex.qualified_heads[low]  # "the 2004 presidential campaign"
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

    def _qualified(self, head: Token, sent: Span) -> tuple[int, int] | None:
        """ "presidential election", "2004 US presidential campaign": a qualifier makes the name."""
        doc = self.doc
        start = head.i
        while start - 1 >= sent.start and doc[start - 1].lower_ in self.lex.event_qualifiers:
            start -= 1
        if start == head.i:
            return None
        while start - 1 >= sent.start and (
            (doc[start - 1].like_num and len(doc[start - 1].text) == 4) or self.lex.country(doc[start - 1].text)
        ):
            start -= 1
        return start, head.i + 1

    def _name_part(self, i: int) -> bool:
        """Words that can open an event's proper name: capitalised words, years, "People's"."""
        tok = self.doc[i]
        if tok.text in {"'s", "’s"}:
            return i > 0 and self.doc[i - 1].is_title and self.doc[i - 1].ent_type_ not in {"DATE", "GPE", "PERSON"}
        return tok.is_title or tok.is_upper or (tok.like_num and len(tok.text) == 4)

    def _trim(self, start: int, end: int) -> tuple[int, int]:
        """Drop what precedes the name proper: "February's Oscars", "the 2004", a score."""
        doc = self.doc
        for i in range(end - 1, start, -1):
            if doc[i].text in {"'s", "’s"} and doc[i - 1].ent_type_ in {"DATE", "GPE", "PERSON", "NORP"}:
                start = i + 1
                break
        while start < end - 1 and (doc[start].is_lower or doc[start].is_punct or doc[start].text in {"'s", "’s"}):
            start += 1
        return start, end

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
            if span[0] - 1 <= i < span[1] or (party.name.startswith("Government of") and doc[i].dep_ != "nsubj"):
                continue  # inside the name, its modifier ("US People's Choice Awards"), or "the US public"
            before = doc[i - 1].lower_ if i > sent.start else ""
            before2 = doc[i - 2].lower_ if i - 1 > sent.start else ""
            if organised and (
                before == "by"
                or ((before == "at" or (before == "the" and before2 == "at")) and party.label == "Organisation")
            ):
                ev.organisers.append(party)
            elif (verb := self._takes_part(i, sent)) is not None and self._governs(verb, doc[span[0] : span[1]].root):
                ev.participants.append(party)
                if any(doc[k].lower_ in SPEAKER_VERBS for k in range(i, sent.end)):
                    ev.roles[party.name] = "speaker"
        self.place_date(ev, span[1], sent.end)

    def _takes_part(self, i: int, sent: Span) -> Token | None:
        """The verb by which the party at token i takes part ("won", "spoke", "hosted"), if any."""
        tok = self.doc[i]
        if tok.dep_ == "nsubj" and tok.head.lower_ in ORGANISE_VERBS:
            return tok.head
        head = tok.head
        for _ in range(5):
            if head.lower_ in TAKE_PART_VERBS:
                return head
            if head.head is head:
                break
            head = head.head
        return None

    @staticmethod
    def _governs(verb: Token, event_root: Token, hops: int = 3) -> bool:
        """Whether the event is where the verb happened ("won ... at the X Awards"), not a passing mention
        ("snubbed in the run-up to the Oscars")."""
        for start, target in ((event_root, verb), (verb, event_root)):  # "won at X"; "X, in which Y lost"
            node = start
            for _ in range(hops):
                if node.head is node:
                    break
                node = node.head
                if node == target:
                    return True
        return False

    def later_part(self, ev: FoundEvent, sent: Span) -> FoundEvent | None:
        """A later sentence's winners, speakers and players take part in the named event before it."""
        # "... at Sunday's awards in LA": the event word alone refers back to the named event.
        refers_back = any(
            t.is_lower
            and self.lex.event_heads.get(t.lower_) == ev.type
            and t.dep_ == "pobj"
            and t.head.lower_ in {"at", "during"}
            for t in sent
        )
        if not refers_back and not any(t.lower_ in TAKE_PART_VERBS for t in sent):
            return None
        part = FoundEvent(ev.name, ev.type, sent, rule="named-event:later")
        for i, party in self.parties_in(sent.start, sent.end):
            if party.name.startswith("Government of") and self.doc[i].dep_ != "nsubj":
                continue  # "US film awards": a country as modifier is not a party
            root = self.doc[i : self._end(i)].root
            subject = root.dep_ in {"nsubj", "nsubjpass"}
            if (refers_back and subject) or (root.dep_ not in {"dobj", "attr"} and self._takes_part(root.i, sent)):
                part.participants.append(party)
                if any(t.lower_ in SPEAKER_VERBS for t in sent):
                    part.roles[party.name] = "speaker"
        return part if part.participants else None
