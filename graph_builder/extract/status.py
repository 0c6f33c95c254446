"""Whether a post is held now, from the verb its holder is the subject or object of.

The title phrase says "former" or "incoming" when the writer does; news as
often says it with the verb of the sentence: "Norvale manager Tomas Arden
has resigned" (he no longer is), "the board ousted chairman Ivo Brandt"
(nor is he), "Tom Reed will succeed Ann Pike as president" (Reed is not
yet, and Pike still is). Each unit here reads the verb that governs the
holder of a proposal whose status nothing in its title stated, and sets it
with the unit's id in the fact's chain (`status:<id>`). The verbs are the
rows of `lexicons/status_words.tsv`. A verb that is negated, hedged by a
modal ("could resign") or a condition ("if she resigns") changes nothing;
one under "will" or "is to" tells of a change to come.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from spacy.tokens import Doc, Token

from ..model import Status
from .candidates import Proposal
from .lexicon import Lexicon
from .roles import RuleUnit, rule_unit

VERB_POS = frozenset({"VERB", "AUX"})
ROLES = {"nsubj": "subject", "nsubjpass": "passive-subject", "dobj": "object"}
#: Words that make a verb's statement a condition, not a fact: "if she resigns".
CONDITIONS = frozenset({"if", "unless", "whether"})


class Verb(NamedTuple):
    """The verb that governs a holder, and what the units read of it."""

    token: Token
    role: str  # the holder is its "subject", "passive-subject" or "object"
    sets: frozenset[str]  # the verb's sets in the lexicon: "leave", "remove", "take"
    later: bool  # it tells of a change still to come ("will succeed", "is to become")
    joins: bool  # it joins holder and title ("will become chief executive"), not a holder already titled
    done: bool  # it has what it needs to mean it: its particle ("stepped down"), a body or post it leaves


StatusFn = Callable[[Proposal, Verb], Status | None]
#: The status units, tried in order on each proposal whose status nothing in its title stated.
STATUS_RULES: list[RuleUnit[StatusFn]] = []


def status_rule(rule_id: str) -> Callable[[StatusFn], StatusFn]:
    """Register a status unit under `status:<rule_id>`, the id the fact's chain names it by."""
    return rule_unit(STATUS_RULES, f"status:{rule_id}")


@status_rule("left-post")
def left_post(p: Proposal, v: Verb) -> Status | None:
    """Norvale manager Tomas Arden has resigned; Kestrel finance director Ann Pike has left the bank."""
    if p.status_rule == "status:default" and v.role == "subject" and "leave" in v.sets and v.done and not v.later:
        return Status.FORMER
    return None


@status_rule("removed-from-post")
def removed_from_post(p: Proposal, v: Verb) -> Status | None:
    """The board ousted chairman Ivo Brandt; Coach Bruno Lindqvist was sacked."""
    if p.status_rule == "status:default" and v.role != "subject" and "remove" in v.sets and v.done and not v.later:
        return Status.FORMER
    return None


@status_rule("post-to-come")
def post_to_come(p: Proposal, v: Verb) -> Status | None:
    """Tom Reed will succeed Ann Pike as president; Ann Pike is to become chief executive."""
    if p.status_rule == "status:default" and v.joins and v.later and "take" in v.sets and v.done:
        return Status.FUTURE
    return None


@status_rule("held-until-replaced")
def held_until_replaced(p: Proposal, v: Verb) -> Status | None:
    """Tom Reed will succeed Ann Pike as president next year: Ann Pike holds the post until then."""
    return Status.CURRENT if p.status_rule == "status:replaced" and v.later and v.role == "object" else None


class StatusReader:
    """Finds the verb governing each proposal's holder and lets the status units read it."""

    def __init__(self, doc: Doc, lex: Lexicon, is_body: Callable[[int], bool]) -> None:
        self.doc = doc
        self.lex = lex
        self.is_body = is_body  # whether a token is part of an organisation's name

    def settle(self, proposals: list[Proposal]) -> None:
        """Give each proposal the status the verb governing its holder tells, where a unit reads one, with
        the unit's id in place of the default's (or the predecessor's)."""
        for p in proposals:
            if p.status_rule not in {"status:default", "status:replaced"}:
                continue
            v = self.holder_verb(p)
            if v is None or self.hedged(v.token):
                continue
            for unit in STATUS_RULES:
                if (status := unit.apply(p, v)) is not None:
                    p.status, p.status_rule = status, unit.id
                    break

    def holder_verb(self, p: Proposal) -> Verb | None:
        """The verb the holder hangs from: as subject or object, when the title is part of the holder's
        noun phrase ("Norvale manager Tomas Arden", "X, the chairman,"); as subject, when a verb or "as"
        joins holder and title ("will become chief executive", "will succeed Y as president"); as object,
        for the holder a successor replaces ("will succeed Ann Pike as president")."""
        inside = range(p.person.start, p.person.end)
        tok = self.doc[p.head]
        while tok.i not in inside and tok.head.i != tok.i and tok.pos_ not in VERB_POS:
            tok = tok.head
        if tok.i in inside:
            while tok.dep_ in {"compound", "flat", "appos"} and tok.head.i != tok.i:
                tok = tok.head
            if tok.dep_ == "conj" and tok.head.dep_ in ROLES:
                tok = tok.head  # "Tom Reed and Kestrel finance director Ann Pike resigned"
            if tok.dep_ in ROLES and tok.head.pos_ in VERB_POS:
                return self.verb(tok.head, ROLES[tok.dep_], joins=False)
            return None
        if tok.pos_ not in VERB_POS:
            return None
        if p.rule == "predecessor" and any(c.dep_ == "dobj" and c.i in inside for c in tok.children):
            return self.verb(tok, "object", joins=True)
        subjects = [c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if tok.dep_ == "xcomp" and not subjects:
            subjects = [c for c in tok.head.children if c.dep_ == "nsubj"]
        if p.rule in {"verb", "as-adjunct", "nearby"} and any(s.i in inside for s in subjects):
            return self.verb(tok, "subject", joins=True)
        return None

    def verb(self, tok: Token, role: str, joins: bool) -> Verb:
        sets = self.lex.status_words.get(tok.lower_, frozenset())
        return Verb(tok, role, sets, self.later(tok), joins, self.done(tok, sets))

    def later(self, verb: Token) -> bool:
        """ "will succeed", "is to become", "is set to replace": the verb tells of a change not yet made;
        "declined to become", "hopes to become", "was named" tell of none."""
        words = self.lex.status_words
        if any(c.dep_ == "aux" and "will" in words.get(c.lower_, ()) for c in verb.children):
            return True
        if verb.dep_ == "xcomp" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
            head = verb.head  # "is to become"; "is set to take over", "is expected to join"
            present = head.lower_ in {"is", "are"} or any(c.lower_ in {"is", "are"} for c in head.children)
            return "be-to" in words.get(head.lower_, ()) and present
        return False

    def done(self, verb: Token, sets: frozenset[str]) -> bool:
        """A verb that needs a particle ("stepped down") has it; one that leaves leaves a body or a post
        ("left the bank", not "left the meeting"), and "left" must leave something."""
        need = self.lex.status_particles.get(verb.lower_)
        if need is not None and not any(c.dep_ in {"prt", "advmod"} and c.lower_ in need for c in verb.children):
            return False
        if "leave" in sets:
            objects = [c for c in verb.children if c.dep_ == "dobj"]
            if verb.lower_ in {"leave", "leaves", "left"} and not objects:
                return False
            return all(self.is_body(o.i) or "post" in self.lex.status_words.get(o.lower_, ()) for o in objects)
        return True

    def hedged(self, verb: Token) -> bool:
        """ "did not resign", "could resign", "if she resigns": no change the sentence asserts."""
        words = self.lex.status_words
        for c in verb.children:
            if c.dep_ == "neg" or (c.dep_ == "mark" and c.lower_ in CONDITIONS):
                return True
            if c.dep_ == "aux" and c.tag_ == "MD" and "will" not in words.get(c.lower_, ()):
                return True
        return False
