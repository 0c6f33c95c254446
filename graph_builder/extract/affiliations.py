"""Affiliations a sentence states without a post, each found by a small named unit.

A unit reads one person mention in its sentence and returns the body the
words around it say the person belongs to, or None. Units run in the order of
`UNITS`; the first that finds a body names the fact's organisation rule
(`org:<id>`), so a membership can say which words made it. The proposals are
memberships (title `member`) that the trained scorer keeps or drops, as it
does every other role candidate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..model import Status
from ..text import POSSESSIVE
from .candidates import MEMBERSHIP, Proposal
from .lexicon import Lexicon
from .mentions import Mention, Mentions

#: Words that may stand between a holder's possessive and their party: "Wolff's conservative Christian Democrats".
PARTY_MODIFIERS = frozenset({"ADJ", "PUNCT", "CCONJ"})
#: How many words after a holder's possessive their party's name may end.
PARTY_REACH = 5
#: Verbs whose object, or object of "for", is the body their subject belongs to: "joined Ajax", "plays for Bayern".
SIDE_VERBS = frozenset({"joined", "joins", "plays", "played", "captains", "captained", "scored", "scores"})


@dataclass(frozen=True)
class Context:
    """What a unit may read: the parsed article, its mentions and the lexicon."""

    doc: Doc
    mentions: Mentions
    lex: Lexicon

    def party(self, m: Mention | None) -> Mention | None:
        """The mention, if it names a political party: by the lexicon, or by a party's word in its name."""
        if m is None or self.mentions.country(m) is not None:
            return None
        if m.text.lower() in self.lex.parties:
            return m  # "Christian Democrats", which the NER may take for a nationality
        words = {self.doc[k].lower_ for k in range(m.start, m.end)}
        kind = m.label == "Organisation" and any(self.lex.org_kinds.get(w) == "party" for w in words)
        return m if kind else None

    def party_words(self, j: int) -> str | None:
        """The lexicon party whose name or adjective ends at token j ("Social Democrats"), which the NER may
        have split or left untagged."""
        found = self.party_span(j)
        return found[1] if found is not None else None

    def party_span(self, j: int) -> tuple[int, str] | None:
        """Where the lexicon party's words that end at token j start, and the party."""
        for start in (j - 2, j - 1, j):
            if start >= 0 and self.doc[start].is_title:
                hit = self.lex.parties.get(self.doc[start : j + 1].text.lower())
                if hit is not None:
                    return start, hit[0]
        return None


Unit = Callable[[Context, Mention, Span], Mention | str | None]


def holder_possessive(ctx: Context, person: Mention, sent: Span) -> Mention | str | None:
    """A party owned by a person: "Chancellor Jana Wolff's conservative Christian Democrats (CDU) won"."""
    doc = ctx.doc
    k = person.end
    if k >= sent.end or doc[k].text not in POSSESSIVE:
        return None
    for j in range(k + 1, min(k + 1 + PARTY_REACH, sent.end)):
        if doc[j].pos_ in {"VERB", "AUX", "ADP"} or doc[j].text == ",":
            return None
        party = ctx.party(ctx.mentions.starting(j)) or ctx.party_words(j)
        if party is not None:
            return party
        if not (doc[j].pos_ in PARTY_MODIFIERS or doc[j].is_title):
            return None
    return None


def side_verb(ctx: Context, person: Mention, sent: Span) -> Mention | None:
    """A person and the body they joined or play for: "Ivo Brandt, who joined Norvale in 2019, scored",
    "Tomas Arden plays for Hallstadt FC"."""
    root = ctx.doc[person.start : person.end].root
    verb = root.head if root.dep_ == "nsubj" else None
    relative = next((c for c in root.children if c.dep_ == "relcl"), None)
    if relative is not None and any(c.dep_ == "nsubj" and c.lower_ == "who" for c in relative.children):
        verb = relative  # "X, who joined Z"
    if verb is None or verb.lower_ not in SIDE_VERBS:
        return None
    for child in verb.children:
        target = child
        if child.dep_ == "prep" and child.lower_ in {"for", "with"}:
            target = next((g for g in child.children if g.dep_ == "pobj"), child)
        elif child.dep_ != "dobj":
            continue
        body = ctx.mentions.at(target.i)
        if body is not None and body.label == "Organisation" and ctx.mentions.country(body) is None:
            return body
    return None


#: How many title words ("the recent president", "former president and industrialist") may stand between a
#: body's "of" and the person it names.
OF_REACH = 5
#: Nouns of "under the leadership of X".
LEADERSHIP = frozenset({"leadership", "stewardship", "chairmanship"})


def body_of_holder(ctx: Context, person: Mention, sent: Span) -> Mention | str | None:
    """A body of a person, past any title words: "the Tarnland People's Party (TPP) under the leadership of
    Omar Haddi won", "the TDF of former president Ivo Brandt"."""
    doc = ctx.doc
    k = person.start - 1
    while k > sent.start and doc[k].lower_ != "of" and person.start - k <= OF_REACH:
        if doc[k].pos_ not in {"ADJ", "NOUN", "CCONJ", "DET"} or ctx.mentions.at(k) is not None:
            return None
        k -= 1
    if k <= sent.start or doc[k].lower_ != "of":
        return None
    j = k - 1
    if doc[j].lower_ in LEADERSHIP and j - 2 >= sent.start and doc[j - 2 : j].text.lower() == "under the":
        j -= 3
    if j > sent.start and doc[j].text == ")":  # "the Pakistan People's Party (PPP)"
        j = next((b - 1 for b in range(j - 1, max(sent.start, j - 4), -1) if doc[b].text == "("), sent.start - 1)
    if j < sent.start:
        return None
    body = ctx.mentions.ending(j)
    if body is not None and body.label == "Organisation" and ctx.mentions.country(body) is None:
        return body
    return ctx.party_words(j)


#: Verbs that say what a person is: "X is a Christian Democrat member of the Bundestag".
COPULAS = frozenset({"is", "was", "remains", "became", "becomes"})


def party_in_description(ctx: Context, person: Mention, sent: Span) -> Mention | str | None:
    """A party in the words that describe a person, whatever body their post is in: "Axel Frey is a
    Christian Democrat member of the Bundestag", "Sevim Tarkan, a Left party MP, said so"."""
    doc = ctx.doc
    root = doc[person.start : person.end].root
    nouns = [c for c in root.children if c.dep_ == "appos" and c.i >= person.end]
    if root.dep_ == "nsubj" and root.head.lower_ in COPULAS:
        nouns += [c for c in root.head.children if c.dep_ == "attr" and c.i > root.i]
    for noun in nouns:
        if noun.pos_ != "NOUN" and noun.lower_ not in ctx.lex.titles:
            continue
        for j in range(max(noun.left_edge.i, sent.start), noun.i):
            # the lexicon's longer name first: "Christian Democrat", not the "Democrat" the NER split off; the
            # article's own words name the body, the lexicon's name is its alias
            words = ctx.party_span(j)
            if words is not None:
                return ctx.mentions.force(words[0], j + 1, "Organisation")
            party = ctx.party(ctx.mentions.starting(j))
            if party is not None:
                return party
    return None


#: How many describing words ("young", "in-form") may stand between a team's possessive and its player.
TEAM_REACH = 3


def describes(ctx: Context, tok: Token) -> bool:
    """A lower-case adjective that is no title ("young", "in-form"; not "striker", which the title units
    read, nor a noun: "Kestrel Bank's critic Ivo Brandt" describes no player)."""
    return tok.is_lower and tok.pos_ == "ADJ" and tok.lower_ not in ctx.lex.titles


def possessive_team(ctx: Context, person: Mention, sent: Span) -> Mention | None:
    """A team's possessive before its player, past describing words or at the head of a list of names:
    "Norvale's young Tomas Arden equalised", "Norvale's Arden, Pike and Reed returned" (but "Norvale's new
    Arden engine" is a thing)."""
    doc = ctx.doc
    if ctx.mentions.sport is None:
        return None  # a team's players are a sports story's: "Kestrel Bank's critic Ivo Brandt" is no member
    if person.end < sent.end and doc[person.end].is_lower and doc[person.end].pos_ == "NOUN":
        return None  # "Norvale's restored Tarrow mill": a name that describes a thing, not a player
    lead = person
    while lead.start - 2 >= sent.start and doc[lead.start - 1].lower_ in {",", "and"}:
        k = lead.start - 2 if doc[lead.start - 2].text != "," else lead.start - 3  # ", and"
        before = ctx.mentions.ending(k) if k >= sent.start else None
        if before is None or before.label != "Person":
            break
        lead = before  # "Pike" in "Arden, Pike and Reed": the list's first name
    k = lead.start - 1
    while k >= sent.start and lead.start - k <= TEAM_REACH and describes(ctx, doc[k]):
        k -= 1
    if k - 1 < sent.start or doc[k].text not in POSSESSIVE:
        return None
    if lead is person and k == person.start - 1:
        return None  # "Norvale's Tomas Arden": the membership unit's own case
    return team_ending(ctx, k - 1, sent)


def team_ending(ctx: Context, j: int, sent: Span) -> Mention | None:
    """The body whose name ends at token j, as the NER tagged it there or as the article names a body
    elsewhere ("Norvale" tagged a person here, or not at all): never a country."""
    bodies = {m.text for m in ctx.mentions.all() if m.label == "Organisation"}
    named = ctx.mentions.ending(j)
    if named is None:
        named = next(
            (
                m
                for n in range(1, 5)
                if j - n + 1 >= sent.start and ctx.doc[j - n + 1 : j + 1].text in bodies
                for m in [ctx.mentions.force(j - n + 1, j + 1, "Organisation")]
            ),
            None,
        )
    if named is None or ctx.mentions.country(named) is not None:
        return None
    if named.label != "Organisation" and named.text not in bodies:
        return None
    return ctx.mentions.force(named.start, named.end, "Organisation")


#: The units, in the order they are tried; each id is its organisation rule, `org:<id>`.
UNITS: tuple[tuple[str, Unit], ...] = (
    ("member:holder-possessive", holder_possessive),
    ("member:side-verb", side_verb),
    ("member:body-of-holder", body_of_holder),
    ("member:party-in-description", party_in_description),
    ("member:possessive-team", possessive_team),
)


def membership(person: Mention, body: Mention | str, sent: Span, org_rule: str) -> Proposal:
    """The proposal that `person` belongs to `body`, as the sentence states it without a post."""
    return Proposal(
        person,
        MEMBERSHIP,
        body,
        Status.CURRENT,
        sent,
        "membership",
        person.start,
        person.start,
        person.end,
        "title:membership",
        org_rule,
    )


def affiliations(ctx: Context, sent: Span) -> Iterator[Proposal]:
    """A membership proposal for each person of the sentence that a unit ties to a body."""
    for i in range(sent.start, sent.end):
        person = ctx.mentions.starting(i)
        if person is None or person.label != "Person":
            continue
        body = next(((rule, b) for rule, unit in UNITS if (b := unit(ctx, person, sent)) is not None), None)
        if body is not None:
            yield membership(person, body[1], sent, f"org:{body[0]}")
