"""Holders a title's own sentence does not name: a definite title that refers back, a plural title's list.

News names a person once and then refers back by the post alone ("Tony Blair
... the prime minister said"), or gives one plural title to a list of people
("the former directors are James Allen, Judith Areen and Carl Aycock"). The
rules in roles.py look for a holder next to the title, so these posts get no
proposal, or only a wrong one. Each unit here proposes holders for them; the
features it attaches (how far back the antecedent is, whether it was a
subject, how often the article names it, how long the list is, ...) let the
trained scorer decide, and the unit's id opens the fact's rule chain
(`holder:<id>`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from .candidates import bucket
from .lexicon import Lexicon
from .mentions import SPEECH_VERBS, Mention, Mentions, in_subject
from .roles import COPULAS, RoleFinder, Title

#: How many sentences back a definite title may find the person it refers to (the one named last).
WINDOW = 3
#: Words between a plural title and its list of holders: "the directors are X, Y", "Presidents X and Y".
LIST_OPENERS = frozenset({",", ":", "are", "were", "include", "included", "including", "namely", "-", "–"})


@dataclass(frozen=True)
class Referral:
    """A holder one unit found for a title: who, which unit, the title's text as the fact gives it, and
    the features that say how the two are joined."""

    person: Mention
    title: Title
    rule: str
    text: str
    link: frozenset[str]


ReferralFn = Callable[["Coreference", Title, Span], Iterator[Referral]]


@dataclass(frozen=True)
class ReferralUnit:
    """A coreference proposal unit: its id (the fact's chain names it `holder:<id>`), (its docstring) an
    example sentence, and what it does."""

    id: str
    example: str
    apply: ReferralFn


#: The coreference units, in the order they are tried on each title with no holder in its sentence.
REFERRAL_RULES: list[ReferralUnit] = []


def referral_rule(rule_id: str) -> Callable[[ReferralFn], ReferralFn]:
    """Register a coreference unit under `rule_id`."""

    def register(fn: ReferralFn) -> ReferralFn:
        if any(u.id == rule_id for u in REFERRAL_RULES):
            raise ValueError(f"referral rule {rule_id} registered twice")
        REFERRAL_RULES.append(ReferralUnit(rule_id, " ".join((fn.__doc__ or "").split()), fn))
        return fn

    return register


def singular(word: str, titles: dict[str, str | None]) -> str | None:
    """The title word a plural is of ("directors" -> "director", "Presidents" -> "President"), if any."""
    low = word.lower()
    for cut in (1, 2):  # "directors", "bosses"
        if len(low) > cut + 2 and low.endswith("s") and low[:-cut] in titles:
            return word[:-cut]
    return None


class Coreference:
    """The article's people in order of mention, for titles to refer back to."""

    def __init__(self, doc: Doc, mentions: Mentions, roles: RoleFinder, lex: Lexicon) -> None:
        self.doc = doc
        self.m = mentions
        self.roles = roles
        self.lex = lex
        self.sents = list(doc.sents)
        self.starts = [s.start for s in self.sents]

    def referrals(self, orphans: list[Title], sent: Span) -> Iterator[Referral]:
        """Every unit's holders for the titles of `sent` no rule found a holder for, and for its plural
        titles, which the holder rules leave out."""
        for t in [*orphans, *self.plural_titles(sent)]:
            for unit in REFERRAL_RULES:
                yield from unit.apply(self, t, sent)

    def plural_titles(self, sent: Span) -> Iterator[Title]:
        """The plural title phrases of a sentence ("outside directors", "Presidents"), which the holder
        rules leave out."""
        for tok in sent:
            if tok.tag_ in {"NNS", "NNPS"} and singular(tok.text, self.lex.titles) is not None:
                ment = self.m.at(tok.i)
                if ment is not None and ment.label in {"Person", "Organisation"}:
                    continue
                t = self.roles.title_at(tok.i, sent)
                if t is not None:
                    yield t

    def _people(self) -> list[Mention]:
        return [m for m in self.m.all() if m.label == "Person"]

    def _salience(self, surname: str) -> int:
        """How many people the article names more often than the one with this surname (0: the most)."""
        counts: dict[str, int] = {}
        for m in self._people():
            counts[m.text.split()[-1]] = counts.get(m.text.split()[-1], 0) + 1
        return sum(1 for n in counts.values() if n > counts.get(surname, 0))

    def _definite(self, t: Title) -> bool:
        head = self.doc[t.head]
        return any((c.dep_ == "det" and c.lower_ == "the") or c.dep_ == "poss" for c in head.children)

    @referral_rule("definite-antecedent")
    def _definite_antecedent(self, t: Title, sent: Span) -> Iterator[Referral]:
        """Tony Blair flew to Brussels. "The rest of the world should listen," the prime minister said: a
        definite title with no holder in its sentence is proposed for the person named last before it."""
        doc = self.doc
        if doc[t.head].tag_ in {"NNS", "NNPS"} or not self._definite(t):
            return
        index = bisect_right(self.starts, sent.start) - 1
        people = self._people()
        earlier = [m for m in people if self.starts[max(0, index - WINDOW)] <= m.start < sent.start]
        if not earlier:
            return
        person = earlier[-1]
        distance = index - (bisect_right(self.starts, person.start) - 1)
        in_sentence = sum(1 for m in people if sent.start <= m.start < sent.end)
        speaks = t.end < sent.end and doc[t.end].lower_ in SPEECH_VERBS
        yield Referral(
            person,
            t,
            "definite-antecedent",
            t.text(doc),
            frozenset(
                {
                    f"coref-distance:{bucket(distance, (1, 2, 3))}",
                    f"coref-subject:{in_subject(doc[person.start : person.end].root)}",
                    f"coref-sentence-people:{bucket(in_sentence, (0, 1))}",
                    f"coref-speaks:{speaks}",
                    f"coref-title-subject:{in_subject(doc[t.head])}",
                    f"coref-salience:{bucket(self._salience(person.text.split()[-1]), (0, 1))}",
                }
            ),
        )

    @referral_rule("plural-list")
    def _plural_list(self, t: Title, sent: Span) -> Iterator[Referral]:
        """Norvale Energy's outside directors are Ann Pike, Tom Reed and Lena Vogt: a plural title, then (past
        a comma or a verb such as "are") a list of two or more names, gives each name the title in the
        singular."""
        doc = self.doc
        head = doc[t.head]
        word = singular(head.text, self.lex.titles) if head.tag_ in {"NNS", "NNPS"} else None
        if word is None:
            return
        before, _, rest = t.text(doc).rpartition(head.text)
        text = f"{before}{word}{rest}"
        i = t.end
        while i < sent.end and (doc[i].lower_ in LIST_OPENERS or doc[i].is_quote):
            i += 1
        starts: list[int] = []
        while i < sent.end and (end := self._name_at(i)) is not None:
            starts.append(i)
            i = end + (1 if end < sent.end and doc[end].text == "," else 0)
            if i < sent.end and doc[i].lower_ == "and":
                i += 1
            elif doc[i - 1].text != ",":
                break
        if len(starts) < 2:
            return  # one name after a plural is rather its object or a caption
        people = [p for k in starts if (p := self.roles.person_after(k, sent)) is not None]
        for k, person in enumerate(people):
            yield Referral(
                person,
                t,
                "plural-list",
                text,
                frozenset({f"plural-size:{bucket(len(people), (2, 4))}", f"plural-first:{k == 0}"}),
            )

    @referral_rule("one-of")
    def _one_of(self, t: Title, sent: Span) -> Iterator[Referral]:
        """Ivo Brandt was one of the founders of the Kestrel group: the person who is "one of" a plural
        title's holders (the subject of a copula, or the name that "one of ..." stands beside) holds the
        title in the singular."""
        doc = self.doc
        head = doc[t.head]
        word = singular(head.text, self.lex.titles) if head.tag_ in {"NNS", "NNPS"} else None
        of = head.head
        one = of.head
        if word is None or of.lower_ != "of" or one.lower_ != "one" or head.dep_ != "pobj":
            return
        person: Mention | None = None
        verb = one.head
        for _ in range(2):  # "X was until recently one of ...", parsed as the object of "until"
            if verb.pos_ in {"AUX", "VERB"} or verb.head.i == verb.i:
                break
            verb = verb.head
        if one.dep_ == "appos":
            person = self._person(one.head.i)  # "Damien Hockney, one of the party's two members"
        elif verb.lower_ in COPULAS and one.dep_ != "nsubj":
            # "X was one of the founders"
            person = next((m for c in verb.children if c.dep_ == "nsubj" and (m := self._person(c.i))), None)
        if person is None and t.end < sent.end and doc[t.end].text == ",":
            person = self.roles.person_after(t.end, sent)  # "one of the party's two members, Damien Hockney"
        if person is None:
            return
        before, _, rest = t.text(doc).rpartition(head.text)
        yield Referral(person, t, "one-of", f"{before}{word}{rest}", frozenset({f"one-of:{one.dep_}"}))

    def _person(self, i: int) -> Mention | None:
        """The person named at token i (see `RoleFinder.named_person`)."""
        return self.roles.named_person(i)

    def _name_at(self, i: int) -> int | None:
        """Where a person's name starting at token i ends, without recording it as a mention."""
        ment = self.m.starting(i)
        if ment is not None:
            return ment.end if ment.label == "Person" else None
        run = self.m.name_run(i)
        if run is None or self.m.at(run[1] - 1) is not None or run[1] - run[0] < 2:
            return None
        return run[1]
