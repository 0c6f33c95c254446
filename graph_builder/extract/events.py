"""Event facts: contacts between named parties, and named events with their organisers, participants and place.

Each pattern is a small registered rule with an id, and every event carries the ids that made it:

- contact rules read a contact word ("met", "talks", "told", "phoned", "visited", "hearing", "a press
  conference") in the dependency parse and return its parties: "X told Y" (contact:verb-told), "X met Y"
  (contact:verb-object), "X spoke to Y" (contact:verb-with), "X and Y met" (contact:joint-subject), "talks
  between X and Y" (contact:noun-between), "X and Y held talks" (contact:noun-joint-subject), "at a meeting, X
  and Y agreed" (contact:noun-scene), "X was welcomed by Y" (contact:verb-passive), "an approach from Y"
  (contact:noun-from), "X held talks with Y" (contact:noun-with), "X visited Lisbon" (contact:visit-capital: the
  government of Portugal), "The two companies held talks" after a sentence naming them (contact:pair-before). A
  denied, planned or wished contact ("did not meet", "will meet", "hopes to meet") and an adjective ("so-called")
  are no contact.
- a named event is a capitalised phrase ending in an event word ("Delta Summit", named:capitalised-head), an
  EVENT entity (named:ner), a qualified election with a year or a country ("2001 general election",
  named:qualified-head), a name or year before a lower-case event word (named:named-modifier), one body's
  meeting ("the G7 meeting", named:body-meeting), a launch ("Acme launched the Zest Phone", named:launch) or a
  quoted name that "was organised/held" (named:quoted); participation rules then say who took part: "X won
  the Y" (subject-object), "X spoke at the Y" (subject-prep), "the Y, organised by X" (organised-by), "X's Y"
  (possessor), any other party of the sentence (same-sentence); later sentences that refer back to it ("at the
  awards", "the event"), name a winner or follow a sentence about it add participants (named:refers-back,
  named:later-doer, named:topic-subject), and so does whoever attends, plays or wins in the two sentences after
  it (named:nearby).
- in a sports story a country is its national side, not its government ("England beat Canada": the England
  national rugby union team, via national-side).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from spacy.tokens import Doc, Span, Token

from ..model import RoleFact, Status
from ..text import POSSESSIVE, data_rows
from .lexicon import Lexicon
from .mentions import ACRONYM, Mention, Mentions

#: Prepositions by which a doer takes part in a named event: "spoke at", "played in", "nominated for".
EVENT_PREPS = frozenset({"at", "in", "during", "to", "for", "from"})

#: Titles that name no post of their own, so they may stand for the holder of any post at a body.
GENERIC_TITLES = frozenset({"minister", "official", "leader", "boss", "chief", "head", "executive"})


def _verb_sets() -> dict[str, frozenset[str]]:
    sets: dict[str, set[str]] = {}
    for word, kind in data_rows("extract", "lexicons", "event_verbs.tsv"):
        sets.setdefault(kind, set()).add(word)
    return {kind: frozenset(words) for kind, words in sets.items()}


_VERBS = _verb_sets()
TAKE_PART_VERBS = _VERBS["take-part"] | _VERBS["speaker"]
SPEAKER_VERBS = _VERBS["speaker"]
ORGANISE_VERBS = _VERBS["organise"]
WIN_VERBS = _VERBS["win"]
WISH_VERBS = _VERBS["wish"]
#: Contacts with one party at a time ("phoned X and Y"); the others are one meeting of all named ("met X and Y").
EACH_WORDS = _VERBS["each"]
#: Words by which "the event", "the meeting" refer back to the named event the article is about.
REFER_WORDS = _VERBS["refer"]
TELL_WORDS = _VERBS["tell"]
#: Kinds of body one can address in person ("told the committee"); a newspaper told something was interviewed.
ADDRESSED_KINDS = frozenset({"government", "parliament", "party", "court"})
#: Verbs by which a doer launches a named thing: "launched Respect" is the event "Respect launch".
LAUNCH_WORDS = frozenset({"launch", "launches", "launched", "unveil", "unveils", "unveiled"})
#: "a press conference", "a news briefing": a contact of the speakers with each other, not a named event.
PRESS_HEADS = frozenset({"conference", "briefing"})
PRESS_WORDS = frozenset({"press", "news"})
#: Contact nouns that one named body's compound makes a named event: "the G7 meeting".
NAMED_CONTACTS = frozenset({"meeting", "meetings", "talks", "summit"})
QUOTES = frozenset({"'", "‘", "’", '"', "“", "”"})


@dataclass
class Party:
    """A person or an organisation taking part, with the token that names it and how it was found (by its name,
    or a he/she standing for it), which the event scorer weighs."""

    name: str
    label: str  # Person or Organisation
    at: int = -1
    via: str = "name"


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
    topic: bool = False  # the name is its sentence's subject: the next sentence may go on about it
    trigger: int = -1  # the contact word's token, or the named event's head
    how: dict[str, str] = field(default_factory=dict)  # participant -> the participation rule that attached it
    confidence: float = 0.7


class EventFinder:
    def __init__(
        self,
        doc: Doc,
        mentions: Mentions,
        lex: Lexicon,
        party_of: Callable[[Mention], Party | None],
        roles: Sequence[RoleFact] = (),
    ) -> None:
        self.doc = doc
        self.m = mentions
        self.lex = lex
        self.state_of = party_of  # Mention -> Party | None (resolves people and governments)
        # The article's posts: whom "the chairman" is, and which bodies a party works for.
        self.holders: dict[str, set[str]] = {}
        self.employers: dict[str, list[str]] = {}
        self.posts: list[tuple[str, str, str, int]] = []  # title word, holder, body, where the sentence starts
        for r in roles:
            if r.status != Status.CURRENT:
                continue  # a former post names no side the party is on now
            self.holders.setdefault(r.title.lower().split()[-1], set()).add(r.person)
            if r.organisation is not None:
                self.posts.append((r.title.lower().split()[-1], r.person, r.organisation, r.evidence.start))
            if r.organisation is not None and r.organisation not in self.employers.get(r.person, []):
                self.employers.setdefault(r.person, []).append(r.organisation)

    def party_of(self, ment: Mention) -> Party | None:
        """The party a mention names; in a sports story a country ("England", "the Dutch") is its national side,
        not its government: "England beat Canada in the Hill Cup" (party:national-side)."""
        country = self.lex.country(ment.text) if self.m.sport is not None and ment.label != "Person" else None
        if country is None:
            return self.state_of(ment)
        side = country.short if ment.text in country.adjectives else ment.text.removeprefix("the ")
        return Party(f"{side} national {self.m.sport} team", "Organisation", via="national-side")

    def events(self) -> list[FoundEvent]:
        """Every event of the article, sentence by sentence: named events, later sentences that add to one, and
        contacts."""
        out: list[FoundEvent] = []
        seen: Counter[str] = Counter()
        topic: FoundEvent | None = None
        recent: list[tuple[int, FoundEvent]] = []  # the named events of the sentences before, by sentence number
        for k, sent in enumerate(self.doc.sents):
            named = self.named(sent)
            passing = all(not e.participants and not e.organisers for e in named)
            if passing and seen:
                # Later winners and speakers take part in the event the sentence before was about, else in the
                # one the article is most about so far.
                counts = Counter({n: sum(c for m, c in seen.items() if same_event(n, m)) for n in seen})
                main = max(counts, key=lambda n: counts[n])
                first = topic or next(e for e in out if e.name == main)
                # A sentence naming another kind of event is about that one, not the main event.
                if all(e.type == first.type for e in named) and (part := self.later_part(first, sent, topic is first)):
                    out.append(part)
            if not named:
                out.extend(self.nearby(recent, k, sent, out))
            for ev in named:
                if ev.name:
                    seen[ev.name] += 1
            topic = next((e for e in named if e.topic), None)
            recent = [(n, e) for n, e in recent if k - n < NEAR_SENTENCES] + [(k, e) for e in named if e.name]
            out.extend(named)
            out.extend(self.meetings(sent))
        # "US People's Choice Awards" and "People's Choice Awards" are one event: the shortest name stands.
        names = {e.name for e in out if e.name}
        for ev in out:
            if ev.name:
                ev.name = min((n for n in names if same_event(n, ev.name)), key=len)
        return out

    def parties_in(self, start: int, end: int) -> list[tuple[int, Party]]:
        """Parties named between two tokens; "Japan's" before a title names the holder's side, not a party."""
        doc = self.doc
        out, seen = [], set()
        for i in range(start, end):
            ment = self.m.starting(i)
            if ment is None:
                continue
            after = ment.end + (1 if ment.end < len(doc) and doc[ment.end].text in POSSESSIVE else 0)
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
                out.append((i, replace(party, at=doc[i : ment.end].root.i)))
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
        """Contacts between named parties stated in a sentence: the first rule that fits a trigger word wins; the
        fallback rules (`FALLBACK_RULES`) read the trigger words no other rule fitted, after them."""
        found: list[FoundEvent] = []
        taken: set[frozenset[str]] = set()
        triggers = [t for t in sent if self.contact_type(t) and t.pos_ in {"VERB", "NOUN"} and self._happened(t)]
        read: set[int] = set()
        for fallback in (False, True):
            rules = [(rid, rule) for rid, rule in CONTACT_RULES if (rid in FALLBACK_RULES) == fallback]
            for tok in (t for t in triggers if t.i not in read):
                for rule_id, rule in rules:
                    contact = rule(self, tok)
                    if contact is None:
                        continue
                    read.add(tok.i)
                    found.extend(self._contacts(tok, contact, rule_id, taken))
                    break
        read_by_parse = [ev for ev in found if ev.rule.removeprefix("contact:") not in FALLBACK_RULES]
        return found + [e for ev in read_by_parse for e in self.employer_contacts(ev, taken)]

    def employer_contacts(self, ev: FoundEvent, taken: set[frozenset[str]]) -> list[FoundEvent]:
        """ "Tom Reed met Kestrel Bank chief executive Ann Pike": the bodies the article says a party works for
        meet the other parties too (Norvale and Pike, Kestrel Bank and Reed); proposals for the scorer. A
        body the other party works for too is that party's side (`sides`): two colleagues' meeting is no contact of
        their employer with either."""
        out = []
        for party in ev.participants:
            for org in self.employers.get(party.name, []):
                for other in ev.participants:
                    body = Party(org, "Organisation", -1, "employer")
                    names = frozenset(p.name for p in self.sides([body, other]))
                    if other is party or len(names) < 2 or names in taken:
                        continue
                    taken.add(names)
                    out.append(
                        FoundEvent(
                            None, ev.type, ev.sent, [body, other], rule=f"{ev.rule}+employer", trigger=ev.trigger
                        )
                    )
        return out

    def _contacts(self, tok: Token, contact: Contact, rule_id: str, taken: set[frozenset[str]]) -> list[FoundEvent]:
        """The contact events one rule read from a trigger word: one of all parties, or one of the doer with
        each other party ("phoned X and Y"), leaving out pairs the sentence already has."""
        etype = self.contact_type(tok) or "meeting"
        sides, joint = contact
        joint = joint or (tok.lower_ not in EACH_WORDS and rule_id not in FALLBACK_RULES)
        groups = [sides] if joint else [[sides[0], other] for other in sides[1:]]
        out = []
        for group in groups:
            group = self.sides(group)
            names = frozenset(p.name for p in group)
            if len(names) < 2 or names in taken:
                continue
            taken.add(names)
            ev = FoundEvent(None, etype, tok.sent, list(group), rule=f"contact:{rule_id}", trigger=tok.i)
            self.place_date(ev, tok.i + 1, tok.sent.end)
            out.append(ev)
        return out

    def sides(self, group: Sequence[Party]) -> list[Party]:
        """Bruno Salgado, president of the Coastal Union, held talks with both men: a body one of the other
        parties works for is that party's side, not another party of the contact."""

        return [p for p in group if not any(self.works_for(q.name, p.name) for q in group if q is not p)]

    def contact_type(self, tok: Token) -> str | None:
        """The contact a word names: a meeting word, or "press conference" ("a joint news conference with X")."""
        if tok.lower_ in PRESS_HEADS and any(c.lower_ in PRESS_WORDS for c in tok.children if c.i < tok.i):
            return "press conference"
        return self.lex.meeting_words.get(tok.lower_)

    def parties(self, tok: Token) -> list[Party]:
        """The parties a phrase names: "X", "X and Y", "his counterpart, X", "the presidents of X and Y"."""
        out: dict[str, Party] = {}
        for head in [tok, *_conjuncts(tok)]:
            ment = self.m.at(head.i)
            party = self.party_of(ment) if ment is not None else None
            if party is not None:
                out.setdefault(party.name, replace(party, at=head.i))
                continue
            if ment is None and (holder := self.title_holder(head)) is not None:
                out.setdefault(holder.name, holder)
                continue
            for child in head.children:
                if child.dep_ in {"appos", "compound"}:  # "his counterpart, X"; "X bosses"
                    targets = [child]
                elif child.dep_ == "prep" and child.lower_ == "of" and _is_title(self, head):
                    targets = [g for g in child.children if g.dep_ == "pobj"]
                else:
                    continue
                for target in targets:
                    for p in self.parties(target):
                        out.setdefault(p.name, p)
        return list(out.values())

    def title_holder(self, head: Token) -> Party | None:
        """ "met the chairman", "the minister told MPs": the one person the article names as holding that post
        now, where no name stands beside the title; "met the Kestrel chairman", "told the Irish minister": the
        one holder of that post at that body or the country's government that another sentence names (a
        generic title, "minister", "official", may stand for the holder of any post there: "the Irish
        ambassador" is no foreign secretary, "the Irish minister" may be)."""
        body = self.title_body(head)
        named = any(
            (c.dep_ in {"appos", "compound", "poss"} and c.i not in body[1]) or c.ent_type_ == "PERSON"
            for c in head.children
        )
        holders = self.holders.get(head.lower_, set())
        if body[0] is not None:  # a post read from this very sentence says nothing of whom the title stands for
            posts = [
                (word, person)
                for word, person, org, at in self.posts
                if at != head.sent.start_char and _same_body(org, body[0])
            ]
            holders = {p for word, p in posts if word == head.lower_}
            if not holders and head.lower_ in GENERIC_TITLES:  # "the Irish minister": the foreign secretary
                holders = {p for _, p in posts}
        if named or not _is_title(self, head) or len(holders) != 1 or not any(c.lower_ == "the" for c in head.children):
            return None
        return Party(next(iter(holders)), "Person", head.i, "title")

    def title_body(self, head: Token) -> tuple[str | None, set[int]]:
        """The body a word before a title names, with its tokens: "the Kestrel chairman" (Kestrel), "the British
        minister" (the Government of the United Kingdom)."""
        for child in (c for c in head.children if c.dep_ in {"amod", "compound"} and c.i < head.i):
            ment = self.m.at(child.i)
            if ment is not None and ment.label == "Organisation":
                return ment.text, {t.i for t in child.subtree}
            country = self.lex.country(child.text) if ment is None or ment.label != "Person" else None
            if country is not None and child.text in country.adjectives:
                return country.government, {child.i}
        return None, set()

    def works_for(self, person: str, body: str) -> bool:
        """Whether the article says a person holds a post at a body now."""
        return any(_same_body(org, body) for org in self.employers.get(person, ()))

    def subject_of(self, tok: Token) -> list[Party]:
        """Who does what a verb or a noun says: the verb's subject (through "agreed to", "who", "held talks"),
        the noun's possessor ("Blair's meeting"), the name a participle hangs on ("Ross, speaking at"), or a
        he/she named before."""
        node = tok
        for _ in range(4):
            for child in node.children:
                if child.dep_ not in {"nsubj", "nsubjpass", "poss"} or child.lower_ in {"its", "their", "our"}:
                    continue
                target = node.head if child.lower_ in {"who", "that"} and node.dep_ == "relcl" else child
                if target.lower_ in PERSONAL_PRONOUNS:
                    return [p] if (p := self.pronoun_subject(target)) else []
                return self.parties(target)
            if node.dep_ == "acl" and node.tag_ == "VBG" and (doers := self.parties(node.head)):
                return doers  # "Mr Ross, speaking at a news conference with Ms Hale": Ross does the speaking
            participle = node.dep_ == "advcl" and node.tag_ == "VBG"  # "speaking at X, Ross said": Ross speaks
            if (node.dep_ not in {"xcomp", "dobj", "pobj", "prep", "attr", "acl", "conj"} and not participle) or (
                node.head is node
            ):
                return []
            node = node.head
        return []

    @staticmethod
    def _happened(tok: Token) -> bool:
        """A contact that took place: not denied ("did not meet"), not only planned ("will meet", "hopes to
        meet"), not a "so-called" adjective."""
        if tok.dep_ == "amod" or (tok.i > 1 and tok.nbor(-1).text == "-"):
            return False  # "so-called", "long-called"
        node = tok
        for _ in range(3):
            if any(c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in FUTURE_AUX) for c in node.children):
                return False
            if node.dep_ not in {"xcomp", "dobj", "pobj", "prep", "conj"} or node.head is node:
                return True
            node = node.head
            if node.lower_ in WISH_VERBS:
                return False
        return True

    def pronoun_subject(self, pronoun: Token) -> Party | None:
        """ "He also spoke to X", "his talks with X": a he/she is the person named last as a subject, in the
        sentence before the pronoun or else in the sentences before."""
        for i in range(pronoun.i - 1, -1, -1):
            ment = self.m.ending(i)
            if ment is not None and ment.label == "Person" and self.doc[i].dep_ in {"nsubj", "nsubjpass"}:
                party = self.party_of(ment)
                return None if party is None else replace(party, at=pronoun.i, via="pronoun")
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
            etype: str | None = None
            rule = ""
            ment = self.m.starting(tok.i)
            if ment is not None and ment.label == "Event" and self._type_of(ment.start, ment.end):
                first = ment.start - 1 if ment.start > sent.start and _is_year(doc[ment.start - 1]) else ment.start
                name_span, etype, rule = self._trim(first, ment.end), self._type_of(ment.start, ment.end), "ner"
            elif low in self.lex.event_heads and tok.is_title and not tok.is_sent_start:
                start = tok.i
                while start - 1 >= sent.start and self._name_part(start - 1) and "\n" not in doc[start - 1].text:
                    if (before := self.m.at(start - 1)) is not None and before.label == "Person":
                        break
                    start -= 1
                start, _ = self._trim(start, tok.i + 1)
                if (
                    start < tok.i
                    or doc[tok.i].is_upper
                    or doc[tok.i].tag_ == "NNPS"  # "the Oscars"
                    or (
                        self.lex.event_heads[low] in SPORT_EVENTS and doc[tok.i - 1].lower_ == "the"
                    )  # "the Premiership"
                ):
                    name_span, etype, rule = (start, tok.i + 1), self.lex.event_heads[low], "capitalised-head"
            elif tok.is_lower and low in self.lex.qualified_heads and (span := self._qualified(tok, sent)):
                name_span, etype, rule = (
                    span,
                    self.lex.qualified_heads[low],
                    "qualified-head",
                )  # "2004 presidential election"
            elif tok.is_lower and tok.pos_ == "NOUN" and low in self.lex.event_heads and (span := self._modified(tok)):
                name_span, etype, rule = span, self.lex.event_heads[low], "named-modifier"  # "the Nato summit"
            elif tok.is_lower and tok.pos_ == "NOUN" and low in NAMED_CONTACTS and (span := self._body_meeting(tok)):
                name_span, etype, rule = span, "meeting", "body-meeting"  # "the G7 meeting", "Opec talks"
            elif low in LAUNCH_WORDS and tok.pos_ == "VERB" and self._happened(tok) and (span := self._launched(tok)):
                name_span, etype, rule = span, "launch", "launch"  # "Acme launched the Zest phone"
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
                    name_span, etype, rule = (tok.i + 1, end), self._type_of(tok.i + 1, end) or "conference", "quoted"
            if name_span is None:
                continue
            used.update(range(*name_span))
            name = " ".join(doc[name_span[0] : name_span[1]].text.split())
            ev = FoundEvent(
                name + " launch" if rule == "launch" else name, etype or "event", sent, rule=f"named:{rule}"
            )
            ev.topic = rule != "launch" and doc[name_span[0] : name_span[1]].root.dep_ in {"nsubj", "nsubjpass"}
            self._attach(ev, sent, name_span)
            if rule == "launch":
                self._launchers(ev, tok, name_span)
            found.append(ev)
        return found

    def _qualified(self, head: Token, sent: Span) -> tuple[int, int] | None:
        """ "2004 presidential election", "US presidential campaign": a qualifier and a year or a country make
        the name."""
        doc = self.doc
        start = head.i
        while start - 1 >= sent.start and doc[start - 1].lower_ in self.lex.event_qualifiers:
            start -= 1
        if start == head.i:
            return None
        qualified = start
        while start - 1 >= sent.start and (_is_year(doc[start - 1]) or self.lex.country(doc[start - 1].text)):
            start -= 1
        # "the general election" of a story is any election; "the 2001 general election" names one.
        return (start, head.i + 1) if start < qualified else None

    def _modified(self, head: Token) -> tuple[int, int] | None:
        """ "the Nato summit", "last year's European elections", "Acme's product launch", "the 2001 election": a
        name, a capitalised adjective or a year before a lower-case event word names the event."""
        mods = [
            c
            for c in head.children
            if c.i < head.i
            and c.dep_ in {"compound", "amod", "nummod", "poss", "nmod"}
            and (
                _is_year(c)
                or (
                    (c.is_title or c.is_upper) and c.ent_type_ not in {"DATE", "TIME", "PERSON"} and not c.is_sent_start
                )
            )
        ]
        if not mods:
            return None
        if self.lex.event_heads[head.lower_] != "election" and all(self.lex.country(m.text) for m in mods):
            return None  # "US film awards", "a Dutch league": a country's many events, not one
        start = min(m.left_edge.i for m in mods)
        while start < head.i and (self.doc[start].is_lower or self.doc[start].is_punct):
            start += 1  # "the", "last year's"
        return start, head.i + 1

    def _launched(self, verb: Token) -> tuple[int, int] | None:
        """ "launched Respect", "unveiled the Kestrel Pad mini": a named object, every word of it a name or a name's
        compound (not "launched an inquiry", "unveiled a new plan")."""
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is None or any(c.dep_ in {"amod", "nummod", "poss"} and c.i < obj.i for c in obj.children):
            return None
        words = [c for c in obj.children if c.dep_ == "compound" and c.i < obj.i] + [obj]
        if any(w.is_lower for w in words[:-1]) or (obj.is_lower and len(words) == 1) or obj.ent_type_ == "PERSON":
            return None
        return words[0].i, obj.i + 1

    def _launchers(self, ev: FoundEvent, verb: Token, span: tuple[int, int]) -> None:
        """Who launches takes part and organises; a named body launched ("launched Respect") takes part."""
        doers = self.subject_of(verb)
        ev.organisers.extend(d for d in doers if d.name not in {o.name for o in ev.organisers})
        ev.participants.extend(d for d in doers if d.name not in {p.name for p in ev.participants})
        launched = self.m.at(span[1] - 1)
        if launched is not None and (party := self.party_of(launched)) is not None:
            ev.participants.append(party)

    def _body_meeting(self, head: Token) -> tuple[int, int] | None:
        """ "the G7 meeting", "the Opec talks": a meeting of one named body, not of a country nor a person."""
        mods = [c for c in head.children if c.dep_ == "compound" and c.i < head.i and not c.is_lower]
        if not mods:
            return None
        start = head.i
        for mod in mods:
            ment = self.m.at(mod.i)
            if self.lex.country(mod.text) is not None:
                return None
            if ment is not None and ment.label == "Organisation":
                start = min(start, ment.start)
            elif ment is None and ACRONYM.match(mod.text):  # "G7", tagged as a product
                start = min(start, mod.i)
            else:
                return None
        return start, head.i + 1

    def _name_part(self, i: int) -> bool:
        """Words that can open an event's proper name: capitalised words, years, "People's"."""
        tok = self.doc[i]
        if tok.text in POSSESSIVE:
            return i > 0 and self.doc[i - 1].is_title and self.doc[i - 1].ent_type_ not in {"DATE", "GPE", "PERSON"}
        return tok.is_title or tok.is_upper or _is_year(tok)

    def _trim(self, start: int, end: int) -> tuple[int, int]:
        """Drop what precedes the name proper: "February's Oscars", "the 2004", a score."""
        doc = self.doc
        for i in range(end - 1, start, -1):
            if doc[i].text in POSSESSIVE and doc[i - 1].ent_type_ in {"DATE", "GPE", "PERSON", "NORP"}:
                start = i + 1
                break
        while start < end - 1 and (
            doc[start].is_lower or doc[start].is_punct or doc[start].text in POSSESSIVE or doc[start].lower_ == "the"
        ):
            start += 1
        return start, end

    def _type_of(self, start: int, end: int) -> str | None:
        for i in range(end - 1, start - 1, -1):
            etype = self.lex.event_heads.get(self.doc[i].lower_)
            if etype:
                return etype
        return None

    def _attach(self, ev: FoundEvent, sent: Span, span: tuple[int, int]) -> None:
        """Organisers and participants of a named event, each by the first participation rule that fits the
        party's place in the parse, and the event's place and date."""
        event_root = self.doc[span[0] : span[1]].root
        ev.trigger = event_root.i
        fired: list[str] = []
        for tok, party in self._sentence_parties(sent):
            if span[0] <= tok.i < span[1]:
                continue  # a word of the name itself
            for rule_id, rule in PART_RULES:
                how = rule(self, tok, event_root)
                if how is None:
                    continue
                (ev.organisers if how == "organiser" else ev.participants).append(party)
                ev.how.setdefault(party.name, rule_id)
                if how == "speaker":
                    ev.roles[party.name] = "speaker"
                if rule_id not in fired:
                    fired.append(rule_id)
                break
        ev.rule = "+".join([ev.rule, *fired])
        self.place_date(ev, span[1], sent.end)

    def _sentence_parties(self, sent: Span) -> list[tuple[Token, Party]]:
        """Each party a sentence names, by its head word, and the person each subject "he" or "she" stands for."""
        out = [(self.doc[i : self.m.at(i).end].root, p) for i, p in self.parties_in(sent.start, sent.end)]  # type: ignore[union-attr]
        for tok in sent:
            if tok.lower_ in {"he", "she"} and tok.dep_ in {"nsubj", "nsubjpass"}:
                party = self.pronoun_subject(tok)
                if party is not None and all(party.name != p.name for _, p in out):
                    out.append((tok, party))
        return out

    def _refers_to(self, tok: Token, ev: FoundEvent) -> bool:
        """ "at Sunday's awards" refers back to the awards; "the event", "this meeting" to any named event."""
        if self.lex.event_heads.get(tok.lower_) == ev.type:
            return True
        return tok.lower_ in REFER_WORDS and any(c.lower_ in {"the", "this", "that"} for c in tok.children)

    def nearby(
        self, recent: list[tuple[int, FoundEvent]], k: int, sent: Span, found: list[FoundEvent]
    ) -> list[FoundEvent]:
        """ "The Delta Forum opened in Porto. Ann Lee delivered the first address": in a sentence that names no
        event of its own, whoever does what takes part in an event (won, spoke, attended, played) is proposed as
        a participant of each event named in the `NEAR_SENTENCES` sentences before, unless already proposed for
        it (named:nearby); the event scorer weighs how far back the event was named."""
        out = []
        latest = {ev.name: (n, ev) for n, ev in recent}
        for name, (n, ev) in latest.items():
            had = {p.name for e in found if e.name == name for p in (*e.participants, *e.organisers)}
            part = FoundEvent(name, ev.type, sent, rule="named:nearby")
            for tok, party in self._sentence_parties(sent):
                if party.name in had or not any(v.lower_ in TAKE_PART_VERBS for v in _doer_verbs(tok)):
                    continue
                had.add(party.name)
                part.participants.append(party)
                part.how[party.name] = f"nearby-{k - n}"
            if part.participants:
                out.append(part)
        return out

    def later_part(self, ev: FoundEvent, sent: Span, topic: bool = False) -> FoundEvent | None:
        """ "Gibson won best actor at Sunday's awards", "Kerry lost the election": a later sentence that refers
        back to the named event by its event word alone names winners and speakers of it; right after a sentence
        about the event (`topic`), its subjects ("The Delta Forum opens today. Lee and Chan will speak")."""
        back = next((t for t in sent if t.is_lower and self._refers_to(t, ev)), None)
        part = FoundEvent(ev.name, ev.type, sent, rule="named:refers-back")
        if back is not None:
            self._attach(part, sent, (back.i, back.i + 1))
        else:  # "Roberts won her 10th crown", "Lee delivered a speech": winners and speakers after the name
            part.rule = "named:later-doer"
            for tok, party in self._sentence_parties(sent):
                verbs = {v.lower_ for v in _doer_verbs(tok)}
                if party.label == "Person" and verbs & (WIN_VERBS | SPEAKER_VERBS):
                    part.participants.append(party)
                    part.how.setdefault(party.name, "later-doer")
                    if verbs & SPEAKER_VERBS:
                        part.roles[party.name] = "speaker"
                elif (
                    topic and (head := _first_conjunct(tok)).dep_ in {"nsubj", "nsubjpass"} and head.head.dep_ == "ROOT"
                ):
                    part.participants.append(party)
                    part.how.setdefault(party.name, "topic-subject")
                    part.rule = "named:topic-subject"
        return part if part.participants else None


#: How many sentences after one that names an event the nearby rule reads for its participants.
NEAR_SENTENCES = 2
PERSONAL_PRONOUNS = frozenset({"he", "she", "his", "her"})
FUTURE_AUX = frozenset({"will", "would", "could", "might", "may", "shall", "should", "'ll", "to"})
#: Contacts with a guest: the object is a person or a state, never a place ("visited Peru") nor a thing.
GUEST_WORDS = frozenset(
    {"visit", "visits", "visited", "visiting", "host", "hosted", "hosts", "hosting", "welcome", "welcomed", "welcomes"}
    | {"accompanied"}
)
#: Entity types of the tagger that name places.
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
#: Prepositions that set a scene: what the doers did "at", "during" or "after" a meeting they had together.
SCENE_PREPS = frozenset({"at", "during", "after"})
#: Prepositions that take the other party of a contact: "met with X", "spoke to X", "testified before X".
TO_PARTY = frozenset({"with", "to", "before"})
#: A contact rule reads a trigger word and returns the parties (the doer first) and whether the contact is joint
#: (one meeting of all) or one contact of the doer with each other party.
Contact = tuple[list[Party], bool]
ContactRule = Callable[[EventFinder, Token], Contact | None]
CONTACT_RULES: list[tuple[str, ContactRule]] = []
Rule = TypeVar("Rule")


def _registry(table: list[tuple[str, Rule]]) -> Callable[[str], Callable[[Rule], Rule]]:
    """A decorator that files each rule in `table` under its id, in the order of definition: the first rule
    that fits wins, and the id goes into the facts it makes."""

    def rule_id(name: str) -> Callable[[Rule], Rule]:
        def register(rule: Rule) -> Rule:
            table.append((name, rule))
            return rule

        return register

    return rule_id


contact_rule = _registry(CONTACT_RULES)


def _same_body(org: str, body: str) -> bool:
    """ "Norvale" for "Norvale Energy": a name or a short form the article uses of it."""
    return org == body or org.startswith(f"{body} ")


def _is_year(tok: Token) -> bool:
    return tok.like_num and len(tok.text) == 4


def _conjuncts(tok: Token) -> list[Token]:
    """ "X, Y and Z": the words joined to X by "and" or commas."""
    out: list[Token] = []
    todo = [tok]
    while todo:
        for child in todo.pop().children:
            if child.dep_ == "conj":
                out.append(child)
                todo.append(child)
    return out


def _first_conjunct(tok: Token) -> Token:
    """ "X" of "X, Y and Z", where the parse hangs the others."""
    while tok.dep_ == "conj":
        tok = tok.head
    return tok


def _is_title(finder: EventFinder, tok: Token) -> bool:
    return tok.lower_ in finder.lex.titles or tok.lower_.removesuffix("s") in finder.lex.titles


def _pobjs(tok: Token, preps: frozenset[str]) -> list[Token]:
    return [g for c in tok.children if c.dep_ == "prep" and c.lower_ in preps for g in c.children if g.dep_ == "pobj"]


def _with_subject(finder: EventFinder, tok: Token, others: list[Token]) -> Contact | None:
    """The doer of a trigger word with the parties the given phrases name."""
    doers = finder.subject_of(tok)
    named = [p for o in others for p in finder.parties(o) if p.name not in {d.name for d in doers}]
    if not doers or not named:
        return None
    return [doers[0], *named], False


@contact_rule("verb-told")
def verb_told(finder: EventFinder, tok: Token) -> Contact | None:
    """ "Ann Lee told Bo Chan she would stay", "Lee told the Harbour Committee on Monday that ..."; telling a
    newspaper is an interview, not a contact."""
    if tok.lower_ not in TELL_WORDS or tok.pos_ != "VERB":
        return None
    objects = [c for c in tok.children if c.dep_ in {"dobj", "dative"}]
    contact = _with_subject(finder, tok, objects)
    if contact is None:
        return None
    doer, *others = contact[0]
    others = [p for p in others if p.label == "Person" or _kind(finder, p.name) in ADDRESSED_KINDS]
    return ([doer, *others], False) if others else None


def _kind(finder: EventFinder, name: str) -> str | None:
    """The kind of body an organisation's name says it is ("Harbour Committee": government), by its last telling
    word."""
    for word in reversed(name.lower().split()):
        if (kind := finder.lex.org_kinds.get(word.strip(".,"))) is not None:
            return kind
    return None


#: Capital cities by the country whose government a visitor to them calls on: "visited Beijing".
CAPITALS = {capital: country for capital, country in data_rows("extract", "lexicons", "capitals.tsv")}
#: Words of a journey, a contact only where it goes to a capital ("a trip to Moscow"), or to a state by noun-with.
TRIP_WORDS = frozenset({"trip", "trips"})
#: The words of a visit (not of hosting or welcoming a guest).
VISIT_WORDS = frozenset({"visit", "visits", "visited", "visiting"}) | TRIP_WORDS


@contact_rule("visit-capital")
def visit_capital(finder: EventFinder, tok: Token) -> Contact | None:
    """ "Ann Lee visited Lisbon", "Lee began a visit to Lisbon", "Mr Ross, visiting Lisbon, said", "during a trip to
    Lisbon": a visit to a capital calls on its country's government (the `capitals.tsv` lexicon); a visit to any
    other town is a trip."""
    if tok.lower_ not in VISIT_WORDS:
        return None
    heads = [c for c in tok.children if c.dep_ == "dobj"] if tok.pos_ == "VERB" else _pobjs(tok, frozenset({"to"}))
    states: list[Party] = []
    for head in (h for o in heads for h in (o, *_conjuncts(o))):
        ment = finder.m.at(head.i)
        country = finder.lex.country(CAPITALS.get(ment.text if ment is not None else head.text, ""))
        if country is not None and country.government not in {p.name for p in states}:
            states.append(Party(country.government, "Organisation", head.i, "capital"))
    doers = finder.subject_of(tok) if states else []
    return ([doers[0], *states], False) if doers else None


@contact_rule("verb-object")
def verb_object(finder: EventFinder, tok: Token) -> Contact | None:
    """ "Blair met Bush on Tuesday", "She phoned the chairman, Tom Reed", "He visited China"."""
    if tok.pos_ != "VERB" or tok.lower_ in TELL_WORDS or _names_something(tok):
        return None  # whom one may tell in person is verb-told's to say
    objects = [c for c in tok.children if c.dep_ == "dobj"]
    if tok.lower_ in GUEST_WORDS:  # "Lee visited Peru": a trip to a place, not a meeting with its government
        listed = [*objects, *(c for o in objects for c in _conjuncts(o))]
        if any(
            ((m := finder.m.at(o.i)) is not None and m.label == "Place") or o.ent_type_ in PLACE_TYPES for o in listed
        ):
            return None  # a tour of places, even where the tagger took one town for a person
    contact = _with_subject(finder, tok, objects)
    if contact is None or tok.lower_ not in GUEST_WORDS:
        return contact
    # "She visits Leeds and Bath", "Lee welcomed the move": a guest is a person or a state, not a town or a plan.
    doer, *others = contact[0]
    others = [p for p in others if p.label == "Person" or _kind(finder, p.name) == "government"]
    return ([doer, *others], contact[1]) if others else None


def _names_something(verb: Token, clauses: frozenset[str] = frozenset({"ccomp", "attr"})) -> bool:
    """ "called him a liar": the verb says what, not whom one met (but "met X to talk about Y" is a meeting);
    with `clauses` (by default), also a clause or an attribute after it ("called it off")."""
    return any(c.dep_ in {"oprd", *clauses} or (c.dep_ == "xcomp" and c.pos_ != "VERB") for c in verb.children)


def _other_side(tok: Token) -> list[Token]:
    """The phrases naming the other party of a contact word: "met with X", "spoke on the phone to X", "is in
    talks with X", "held talks in Rome with X"."""
    nodes = [tok, *(g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj")]
    nodes += [c for c in tok.children if c.dep_ == "dobj"]  # "discussed the plan with X"
    if tok.dep_ == "dobj" or (tok.dep_ == "pobj" and tok.head.lower_ == "in"):
        nodes.append(tok.head if tok.dep_ == "dobj" else tok.head.head)
    return [g for node in nodes for g in _pobjs(node, TO_PARTY)]


@contact_rule("verb-with")
def verb_with(finder: EventFinder, tok: Token) -> Contact | None:
    """ "Ann Lee met with Bo Chan", "Mr Ross spoke on the phone to Ms Hale", "Ford testified before Congress"."""
    return _with_subject(finder, tok, _other_side(tok)) if tok.pos_ == "VERB" else None


@contact_rule("joint-subject")
def joint_subject(finder: EventFinder, tok: Token) -> Contact | None:
    """ "Ann Lee and Bo Chan met in Rome": the doers meet each other."""
    if (
        tok.pos_ != "VERB"
        or finder.lex.meeting_words.get(tok.lower_) not in {"meeting", "talks"}
        or tok.lower_ in GUEST_WORDS | TELL_WORDS | SPEAKER_VERBS
    ):
        return None  # "Lee and Chan welcomed the move", "Lee and Chan spoke at the forum": no meeting of the two
    subjects = [p for c in tok.children if c.dep_ == "nsubj" for p in finder.parties(c)]
    return (subjects, True) if len(subjects) > 1 else None


@contact_rule("noun-between")
def noun_between(finder: EventFinder, tok: Token) -> Contact | None:
    """ "Talks between Acme and Bolt Ltd broke down"."""
    if tok.pos_ != "NOUN":
        return None
    sides = [p for o in _pobjs(tok, frozenset({"between"})) for p in finder.parties(o)]
    return (sides, True) if len(sides) > 1 else None


@contact_rule("noun-with")
def noun_with(finder: EventFinder, tok: Token) -> Contact | None:
    """ "Acme held talks with Bolt Ltd", "Lee's meeting with Chan", "Ross has been in talks with Hale", "his visit
    to Peru"."""
    return _with_subject(finder, tok, _other_side(tok)) if tok.pos_ == "NOUN" else None


@contact_rule("noun-joint-subject")
def noun_joint_subject(finder: EventFinder, tok: Token) -> Contact | None:
    """ "Ann Lee and Bo Chan held talks in Rome", "Lee and Chan had a meeting": the doers meet each other."""
    if tok.pos_ != "NOUN" or tok.dep_ != "dobj" or _pobjs(tok, TO_PARTY | {"between", "from"}):
        return None  # "Spain and Norway want a quick return to talks": no talks held
    doers = finder.subject_of(tok)
    return (doers, True) if len(doers) > 1 else None


#: Words that stand for two parties named just before: "they", "the two companies" (`pair_words.tsv`).
PAIR_WORDS = {word: kind for word, kind in data_rows("extract", "lexicons", "pair_words.tsv")}
#: Words that make a plural noun two parties: "the two companies", "both men".
TWO_WORDS = frozenset({"two", "both"})
#: How many sentences before its own the pair-before rule reads for the two parties.
PAIR_SENTENCES = 2
#: Words that stand for two parties alone.
PAIR_ALONE = frozenset({"they", "both", "pair"})


def _pair_kind(subject: Token) -> str | None:
    """The kind of party a subject says two of ("the two companies": Organisation), or None if it says none."""
    kind = PAIR_WORDS.get(subject.lower_)
    if kind is None:
        return None
    if subject.lower_ in PAIR_ALONE or any(c.lower_ in TWO_WORDS for c in subject.children):
        return kind
    return None


@contact_rule("pair-before")
def pair_before(finder: EventFinder, tok: Token) -> Contact | None:
    """ "Acme rejected an offer from Bolt Ltd. The two companies then held talks", "Lee phoned Chan. They met on
    Monday": a subject that stands for two parties meets the two the sentences before name, when they name just
    two of its kind."""
    node = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ == "of" else tok  # "held four days of talks"
    verb = tok if tok.pos_ == "VERB" else node.head if node.dep_ == "dobj" else None
    if verb is None or finder.lex.meeting_words.get(tok.lower_) not in {"meeting", "talks"}:
        return None
    if tok.lower_ in GUEST_WORDS | TELL_WORDS | SPEAKER_VERBS | EACH_WORDS:
        return None  # "They welcomed the move", "they told reporters", "what they call": no meeting of the two
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    kind = _pair_kind(subject) if subject is not None else None
    if subject is None or kind is None:
        return None
    sents = list(finder.doc.sents)
    k = next(n for n, sent in enumerate(sents) if sent.start == tok.sent.start)
    start = sents[max(0, k - PAIR_SENTENCES)].start
    counts: Counter[str] = Counter()
    first: dict[str, Party] = {}
    for i in range(start, subject.left_edge.i):
        ment = finder.m.starting(i)
        party = finder.party_of(ment) if ment is not None else None
        if party is not None and kind in {"any", party.label} and not _press(finder, party):
            counts[party.name] += 1
            first.setdefault(party.name, replace(party, at=i))
    # the two named most often, the earlier first among as often named
    ranked = sorted(counts, key=lambda name: (-counts[name], first[name].at))
    return ([first[name] for name in ranked[:2]], True) if len(ranked) > 1 else None


@contact_rule("noun-scene")
def noun_scene(finder: EventFinder, tok: Token) -> Contact | None:
    """ "At a meeting in Rome, Ann Lee and Bo Chan agreed a deal", "After talks, Lee and Chan signed it": the doers of
    what was done at the contact met each other."""
    if tok.pos_ != "NOUN" or tok.dep_ != "pobj" or tok.head.lower_ not in SCENE_PREPS or _pobjs(tok, TO_PARTY):
        return None
    verb = tok.head.head
    doers = [p for c in verb.children if c.dep_ == "nsubj" for p in finder.parties(c)]
    return (doers, True) if len(doers) > 1 else None


@contact_rule("verb-passive")
def verb_passive(finder: EventFinder, tok: Token) -> Contact | None:
    """ "Ann Lee was welcomed by Bo Chan", "Lee was accompanied by Chan and Reed"."""
    if tok.pos_ != "VERB" or tok.lower_ in TELL_WORDS or not any(c.dep_ == "nsubjpass" for c in tok.children):
        return None  # "she does what she is told by Lee": an order, not a contact
    agents = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    return _with_subject(finder, tok, agents)


@contact_rule("noun-from")
def noun_from(finder: EventFinder, tok: Token) -> Contact | None:
    """ "Tom Reed rejected an approach from Acme", "Lee received a call from Chan"."""
    return _with_subject(finder, tok, _pobjs(tok, frozenset({"from"}))) if tok.pos_ == "NOUN" else None


#: How far from its contact word (in tokens) a party may stand for the sentence-parties rule to propose it.
NEAR_TRIGGER = 40
#: Clauses under a contact word: what they name is what the contact is about, not a party to it.
CLAUSES = frozenset({"xcomp", "acl", "relcl", "ccomp", "advcl"})
#: Contact rules that read what the others leave: they run on a sentence's trigger words after every other rule.
FALLBACK_RULES = frozenset({"sentence-parties"})


@contact_rule("sentence-parties")
def sentence_parties(finder: EventFinder, tok: Token) -> Contact | None:
    """ "Tom Reed met Kestrel Bank chief executive Ann Pike amid rumours", "Mr Vale, appearing at a joint news
    conference with Bo Chan": when no rule reads the parse, the doer (or the party nearest the contact word)
    with the other parties named near it; a proposal the event scorer weighs, not a fact by itself."""
    if (tok.pos_ == "VERB" and _names_something(tok, frozenset())) or tok.lower_ in TRIP_WORDS:
        return None  # a trip no parse rule read went to a place
    sent = tok.sent
    near = [
        (i, p)
        for i, p in finder.parties_in(max(sent.start, tok.i - NEAR_TRIGGER), min(sent.end, tok.i + NEAR_TRIGGER + 1))
        if i != tok.i and not _press(finder, p)
    ]
    doers = finder.subject_of(tok)
    first = doers[0] if doers else min(near, key=lambda x: abs(x[0] - tok.i))[1] if near else None
    if first is None:
        return None
    doc = finder.doc
    # "Lee and Chan welcomed the move": two doers joined by "and" meet only where the joint rules say so
    joined = {_first_conjunct(doc[first.at]).i} if first.at >= 0 else set()
    # "in talks to buy the Kestrel refinery from Bolt": what a clause under the contact word names is its topic
    topic = {t.i for c in tok.children if c.dep_ in CLAUSES for t in c.subtree}
    # "trial drones at ports in Estonia": a country after a place's preposition is where, not who; "Lee visits
    # Leeds": a town visited is a place, whatever the mentions made of it (a country visited is its government)
    others = [
        p
        for _, p in near
        if p.name != first.name
        and _first_conjunct(doc[p.at]).i not in joined
        and p.at not in topic
        and not (p.label != "Person" and _located(doc[p.at]))
        and not (tok.lower_ in GUEST_WORDS and _town(finder, doc[p.at]))
    ]
    return ([first, *others], False) if others else None


def _press(finder: EventFinder, party: Party) -> bool:
    """A newspaper, broadcaster or news agency: "told Reuters", "BBC correspondents said" is reporting, not a
    contact (interviews are no events)."""
    return _kind(finder, party.name) == "media" or party.name.lower() in finder.lex.agencies


def _town(finder: EventFinder, tok: Token) -> bool:
    """A place the tagger names that is no country: "Leeds", "Torbay"."""
    ment = finder.m.at(tok.i)
    return tok.ent_type_ in PLACE_TYPES and finder.lex.country(tok.text if ment is None else ment.text) is None


#: A participation rule reads a party's head word and the named event's head word, and says how the party
#: takes part ("participant", "speaker", "organiser"), or None.
PartRule = Callable[[EventFinder, Token, Token], str | None]
PART_RULES: list[tuple[str, PartRule]] = []
part_rule = _registry(PART_RULES)


def _doer_verbs(tok: Token) -> list[Token]:
    """The verbs whose subject a party is: "X won", "X and Y won", "X, who won", "X won and spoke", "X's film
    won"."""
    if tok.dep_ == "poss":
        tok = tok.head
    tok = _first_conjunct(tok)
    if tok.dep_ == "pobj" and tok.head.lower_ in {"including", "like"}:  # "guests including X and Y spoke"
        tok = _first_conjunct(tok.head.head)
    verbs = [tok.head] if tok.dep_ in {"nsubj", "nsubjpass"} else []
    verbs += [c for c in tok.children if c.dep_ == "relcl" and any(g.lower_ in {"who", "that"} for g in c.children)]
    # "X won and spoke" shares X; "X won the Y, and Z won the W" does not
    chain = [v for verb in verbs for v in (verb, *(c for c in _conjuncts(verb) if not _has_subject(c)))]
    for verb in chain:  # "X failed to win the Y", "X was expected to attend the Y": X does the verb after "to"
        chain.extend(c for c in verb.children if c.dep_ == "xcomp" and c not in chain)
    return chain if any(v.lower_ in TAKE_PART_VERBS | ORGANISE_VERBS for v in chain) else []


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children)


def _how(verb: Token) -> str:
    if verb.lower_ in ORGANISE_VERBS:
        return "organiser"
    return "speaker" if verb.lower_ in SPEAKER_VERBS else "participant"


@part_rule("subject-object")
def subject_object(finder: EventFinder, party: Token, event: Token) -> str | None:
    """ "Kim Lo won the Hill Cup", "Ann Lee will attend the Delta Forum", "Acme hosted the Delta Expo"."""
    for verb in _doer_verbs(party):
        if any(event == o or event in _conjuncts(o) for o in verb.children if o.dep_ == "dobj"):
            return _how(verb)
    return None


@part_rule("subject-prep")
def subject_prep(finder: EventFinder, party: Token, event: Token) -> str | None:
    """ "Ann Lee spoke at the Delta Summit", "Kim Lo won gold at the 1996 Olympics", "She was nominated for the
    Hill Prize"."""
    for verb in _doer_verbs(party):
        for head in (verb, *(c for c in verb.children if c.dep_ == "dobj")):
            for prep in head.children:
                if prep.dep_ != "prep" or prep.lower_ not in EVENT_PREPS:
                    continue
                if any(event == o or event in _conjuncts(o) for o in prep.children if o.dep_ == "pobj"):
                    return _how(verb)
    return None


@part_rule("organised-by")
def organised_by(finder: EventFinder, party: Token, event: Token) -> str | None:
    """ "the Delta Forum, organised by Acme", "the Delta Forum, a meeting organised by Acme", "A forum, 'Delta
    Talks', was organised at the Lisbon Institute"."""
    prep = party.head
    if party.dep_ != "pobj" or prep.lower_ not in {"by", "at"} or prep.head.lower_ not in ORGANISE_VERBS | {"held"}:
        return None
    if prep.lower_ == "at" and (m := finder.m.at(party.i)) is not None and m.label != "Organisation":
        return None  # "held at Lisbon" is a place
    verb = prep.head
    # The verb hangs on the event or on the phrase in apposition to it ("the Y, a meeting organised by X").
    event_phrase = {event, *(c for c in event.children if c.dep_ == "appos")} | (
        {event.head} if event.dep_ == "appos" else set()
    )
    return "organiser" if event_phrase & {verb.head, *verb.children} else None


@part_rule("possessor")
def possessor(finder: EventFinder, party: Token, event: Token) -> str | None:
    """ "Acme's Delta Festival", "Labour's spring conference": the possessor holds the event."""
    return "organiser" if party.dep_ == "poss" and party.head == event else None


#: Event types whose one capitalised word after "the" is a name: "the Premiership", "the Championship".
SPORT_EVENTS = frozenset({"league", "tournament"})
#: Events a country takes part in as a state; at a tournament or a festival "Germany" is a team or a place.
STATE_EVENTS = frozenset({"summit", "conference", "election", "meeting", "talks", "ceremony"})


#: Prepositions that make the country after them a place: "ports in Estonia, Latvia and Lithuania".
PLACE_PREPOSITIONS = frozenset({"in", "across", "throughout", "around", "near", "from", "to", "into", "within"})


def _located(tok: Token) -> bool:
    """The token, or the first of the list it ends ("in Estonia, Latvia and Lithuania"), follows a place's
    preposition."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ == "pobj" and tok.head.lower_ in PLACE_PREPOSITIONS


@part_rule("same-sentence")
def same_sentence(finder: EventFinder, party: Token, event: Token) -> str | None:
    """ "At the Delta Forum, Ann Lee and Acme announced a deal": a party the event's sentence names takes part."""
    etype = finder.lex.event_heads.get(event.lower_) or finder.lex.meeting_words.get(event.lower_)
    ment = finder.m.at(party.i)
    if (
        ment is not None
        and finder.lex.country(ment.text) is not None
        and (_located(party) or (etype not in STATE_EVENTS and finder.m.sport is None))
    ):
        return None  # "at the Hill Cup in Portugal"; at a festival "Germany" is a place (a team in a sports story)
    if (
        ment is not None
        and ment.label != "Person"
        and finder.lex.country(ment.text) is None
        and party.ent_type_ in PLACE_TYPES
    ):
        return None  # "a centre on the banks of the Tagus": a place, whatever the mentions made of it (not a person)
    if ment is not None and _kind(finder, ment.text) == "media":
        return None  # "Lee told BBC Wales before the election": the press reports an event, it takes no part
    far = abs(event.i - party.i)
    if any(
        t.i != event.i and not t.is_lower and t.lower_ in finder.lex.event_heads and abs(t.i - party.i) < far
        for t in event.sent
    ):
        return None  # "Lee won the Hill Open and, with Chan, the Bay Cup": Chan played in the Bay Cup only
    return "participant"


def same_event(a: str, b: str) -> bool:
    """One name ends with the other, word for word, and both name the same years ("1998 World Cup" is not the
    "World Cup" of 2002)."""
    x, y = sorted((a.lower().split(), b.lower().split()), key=len)
    return y[len(y) - len(x) :] == x and {w for w in x if w.isdigit()} == {w for w in y if w.isdigit()}
