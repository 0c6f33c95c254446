"""Whether a post is held now, from the verb its holder is the subject or object of.

The title phrase says "former" or "incoming" when the writer does; news as
often says it with the verb of the sentence: "Norvale manager Tomas Arden
has resigned" (he no longer is), "the board ousted chairman Ivo Brandt"
(nor is he), "Tom Reed will succeed Ann Pike as president" (Reed is not
yet, and Pike still is). Each unit here reads the verb that governs the
holder of a proposal whose status nothing in its title stated, and sets it
with the unit's id in the fact's chain (`status:<id>`). A negated verb
changes nothing; one under "will" or "is to" tells of a change to come.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from spacy.tokens import Doc, Token

from ..model import Status
from .candidates import Proposal
from .roles import RuleUnit, rule_unit

#: Verbs whose subject leaves a post ("resigned", "stepped down", "has left the bank").
LEAVING = frozenset(
    {"resign", "resigns", "resigned", "quit", "quits", "retire", "retires", "retired", "step", "steps", "stepped"}
    | {"leave", "leaves", "left"}
)
#: Verbs whose object is put out of a post ("the board ousted chairman X"), or whose passive subject is
#: ("Coach X was sacked").
REMOVING = frozenset(
    {"oust", "ousts", "ousted", "sack", "sacks", "sacked", "fire", "fires", "fired", "dismiss", "dismisses"}
    | {"dismissed", "depose", "deposes", "deposed", "topple", "topples", "toppled", "replace", "replaces"}
    | {"replaced", "vote", "voted"}
)
#: Forms of verbs that mean it only with a particle: "stepped down", "voted out".
PARTICLES = {
    **dict.fromkeys(("step", "steps", "stepped"), frozenset({"down", "aside"})),
    **dict.fromkeys(("vote", "votes", "voted"), frozenset({"out"})),
}
#: Verbs by which a holder takes a post: under "will" or "is to", the post is one to come.
TAKING = frozenset(
    {"become", "succeed", "replace", "take", "join", "appoint", "appointed", "name", "named", "elect", "elected"}
)
#: Words before a verb that make what it tells a change still to come ("will", "is to", "is set to").
TO_COME = frozenset({"will", "shall", "'ll", "to"})
VERB_POS = frozenset({"VERB", "AUX"})
ROLES = {"nsubj": "subject", "nsubjpass": "passive-subject", "dobj": "object"}


class Verb(NamedTuple):
    """The verb that governs a holder, how the holder stands to it, and whether it tells of a change still
    to come ("will succeed", "is to become")."""

    token: Token
    role: str  # "subject", "passive-subject" or "object"
    later: bool


StatusFn = Callable[[Proposal, Verb], Status | None]
#: The status units, tried in order on each proposal whose status nothing in its title stated.
STATUS_RULES: list[RuleUnit[StatusFn]] = []


def status_rule(rule_id: str) -> Callable[[StatusFn], StatusFn]:
    return rule_unit(STATUS_RULES, f"status:{rule_id}")


def has_particle(verb: Token) -> bool:
    """A verb that needs a particle ("stepped down") has it; "left" needs what was left ("left the bank")."""
    need = PARTICLES.get(verb.lower_)
    if need is not None:
        return any(c.dep_ in {"prt", "advmod"} and c.lower_ in need for c in verb.children)
    if verb.lower_ in {"leave", "leaves", "left"}:
        return any(c.dep_ == "dobj" for c in verb.children)
    return True


@status_rule("left-post")
def left_post(p: Proposal, v: Verb) -> Status | None:
    """Norvale manager Tomas Arden has resigned; Kestrel finance director Ann Pike has left the bank."""
    if p.status_rule == "status:default" and not v.later and v.role == "subject" and v.token.lower_ in LEAVING:
        return Status.FORMER if has_particle(v.token) else None
    return None


@status_rule("removed-from-post")
def removed_from_post(p: Proposal, v: Verb) -> Status | None:
    """The board ousted chairman Ivo Brandt; Coach Bruno Lindqvist was sacked."""
    if p.status_rule == "status:default" and not v.later and v.role != "subject" and v.token.lower_ in REMOVING:
        return Status.FORMER if has_particle(v.token) else None
    return None


@status_rule("post-to-come")
def post_to_come(p: Proposal, v: Verb) -> Status | None:
    """Tom Reed will succeed Ann Pike as president; Ann Pike is to become chief executive."""
    taking = v.token.lower_ in TAKING or (v.token.dep_ == "xcomp" and v.token.head.lower_ in TAKING)
    if p.status_rule == "status:default" and v.later and v.role == "subject" and taking:
        return Status.FUTURE
    return None


@status_rule("held-until-replaced")
def held_until_replaced(p: Proposal, v: Verb) -> Status | None:
    """Tom Reed will succeed Ann Pike as president next year: Ann Pike holds the post until then."""
    return Status.CURRENT if p.status_rule == "status:replaced" and v.later and v.role == "object" else None


def settle_status(doc: Doc, proposals: list[Proposal]) -> None:
    """Give each proposal the status the verb governing its holder tells, where a unit reads one, with the
    unit's id in place of the default's (or the predecessor's)."""
    for p in proposals:
        if p.status_rule not in {"status:default", "status:replaced"}:
            continue
        v = holder_verb(doc, p)
        if v is None or any(c.dep_ == "neg" for c in v.token.children):
            continue
        for unit in STATUS_RULES:
            if (status := unit.apply(p, v)) is not None:
                p.status, p.status_rule = status, unit.id
                break


def later(verb: Token) -> bool:
    """ "will succeed", "is to become", "is set to replace": the verb tells of a change not yet made."""
    if verb.dep_ == "xcomp" and verb.head.pos_ in VERB_POS and later(verb.head):
        return True
    return any(c.dep_ in {"aux", "auxpass"} and c.lower_ in TO_COME for c in verb.children)


def holder_verb(doc: Doc, p: Proposal) -> Verb | None:
    """The verb the holder hangs from: as subject or object, when the title is part of the holder's noun
    phrase ("Norvale manager Tomas Arden", "X, the chairman,"); as subject, when a verb or "as" joins
    holder and title ("will become chief executive", "will succeed Y as president"); as object, for the
    holder a successor replaces ("will succeed Ann Pike as president")."""
    inside = range(p.person.start, p.person.end)
    tok = doc[p.head]
    while tok.i not in inside and tok.head.i != tok.i and tok.pos_ not in VERB_POS:
        tok = tok.head
    if tok.i in inside:
        while tok.dep_ in {"compound", "flat", "appos"} and tok.head.i != tok.i:
            tok = tok.head
        if tok.dep_ == "conj" and tok.head.dep_ in ROLES:
            tok = tok.head  # "Tom Reed and finance director Ann Pike have left"
        if tok.dep_ in ROLES and tok.head.pos_ in VERB_POS:
            return Verb(tok.head, ROLES[tok.dep_], later(tok.head))
        return None
    if tok.pos_ not in VERB_POS:
        return None
    if p.rule == "predecessor" and any(c.dep_ == "dobj" and c.i in inside for c in tok.children):
        return Verb(tok, "object", later(tok))  # "will succeed Ann Pike as president"
    subjects = [c for c in tok.children if c.dep_ == "nsubj"]
    if tok.dep_ == "xcomp" and not subjects:
        subjects = [c for c in tok.head.children if c.dep_ == "nsubj"]
    if p.rule in {"verb", "as-adjunct", "nearby"} and any(s.i in inside for s in subjects):
        return Verb(tok, "subject", later(tok))
    return None
