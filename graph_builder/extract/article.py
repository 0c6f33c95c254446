"""From one parsed article to its facts: mentions, roles, events, each with the sentence that states it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from ..model import Article, ArticleFacts, Entity, EventFact, Evidence, RoleFact, Status
from ..text import GOVERNMENT_OF, HONORIFICS, POSSESSIVE
from ..titles import title_key, with_body_word
from .affiliations import Context, affiliations, membership
from .candidates import MEMBERSHIP, NATIONALITY_SECTORS, CandidateBuilder, Proposal, bucket, dep_distance
from .coreference import Coreference
from .event_scorer import EventScorer, decide_events, load_event_scorer
from .events import EventFinder, FoundEvent, Party
from .lexicon import Country, Lexicon
from .mentions import (
    ACRONYM,
    CONNECTORS,
    Mention,
    Mentions,
    acronym_of,
    houses_seating,
    in_subject,
    is_name_token,
    person_groups,
    plays,
    vote_labels,
)
from .roles import RoleFinder, RuleUnit, Title, rule_unit
from .scorer import Candidate, Scorer, decide, load_scorer
from .states import Stated, stated_governments
from .status import StatusReader

#: Sectors of titles a place's government employs: "chief minister of West Bengal", "mayor of Kestrel".
STATE_SECTORS = frozenset({"government", "local"})
#: What a leader's name names when it stands before them: "the Bush administration", "the Putin era".
RULED = frozenset({"administration", "government", "era", "regime", "presidency", "cabinet"})
#: Nouns for a country's government: "the government", "the Labour government", "the Bush administration".
GOVERNMENT_WORDS = frozenset({"government", "administration"})
HEAD_VERBS = frozenset({"heads", "headed", "leads", "led", "runs", "ran", "chairs", "chaired"})
#: Verbs that make their subject (or the agent of their passive) a body's founder: "X, who founded Y".
FOUND_VERBS = frozenset({"founded", "co-founded", "cofounded"})
#: The chain id of a status chosen over another statement's default one for the same post.
STATED_OVER_DEFAULT = "status:stated-over-default"
#: The chain id of a post stated both with and without a body word before its title ("club chairman").
BODY_WORD_FOLD = "title:body-word-fold"
#: How far (in tokens) from a title a person may stand to be proposed as its holder by proximity alone.
NEARBY = 15
#: Verbs joining a person and a title as their subject and object or complement, told apart as features.
LINK_VERBS = frozenset({"is", "was", "be", "become", "became", "named", "appointed", "elected", "unveil", "said"})


def evidence(article: Article, sent: Span) -> Evidence:
    text = sent.text.rstrip()
    return Evidence(article.id, sent.start_char, sent.start_char + len(text), text)


@dataclass(frozen=True)
class OrgName:
    """The organisation a naming unit gives a proposal: an entity name, or None for no organisation."""

    name: str | None


NamingFn = Callable[["ArticleExtractor", Proposal, "str | None"], "OrgName | None"]
#: The naming units in the order they are tried (see `ArticleExtractor._rule_org`).
NAMING_RULES: list[RuleUnit[NamingFn]] = []


def naming_rule(rule_id: str) -> Callable[[NamingFn], NamingFn]:
    """Register a naming unit under `rule_id`; its id joins the chain as `org:<id>`."""
    return rule_unit(NAMING_RULES, rule_id)


@dataclass(frozen=True)
class HeldBefore:
    """The title a holder unit last gave a holder in the sentence: the token after it (and its body), and
    that holder."""

    end: int
    person: Mention


@dataclass(frozen=True)
class Around:
    """What an orphan title (one no holder unit fits) has around it: its sentence, the sentence before,
    and the people its own sentence names."""

    sent: Span
    previous: Span | None
    people: list[Mention]


FollowFn = Callable[["ArticleExtractor", Title, HeldBefore], "Proposal | None"]
PairFn = Callable[["ArticleExtractor", Proposal, Title], "Mention | None"]
OrphanFn = Callable[["ArticleExtractor", Title, Around], Iterator[Proposal]]
PrecedeFn = Callable[["ArticleExtractor", Title, Proposal], "Proposal | None"]
#: Units for a title no holder unit fits that follows a held title in its sentence, tried in order.
FOLLOW_RULES: list[RuleUnit[FollowFn]] = []
#: Units that hand a held title to the first of two holders, and the next title to the second.
PAIR_RULES: list[RuleUnit[PairFn]] = []
#: Units that propose holders for an orphan title from the people around it, each one's in turn.
ORPHAN_RULES: list[RuleUnit[OrphanFn]] = []
#: Units that give a held title's earlier holder the same post ("X will succeed Y as president"), in order.
PRECEDE_RULES: list[RuleUnit[PrecedeFn]] = []


def follow_rule(rule_id: str) -> Callable[[FollowFn], FollowFn]:
    """Register a follow unit under `rule_id`; its id is the proposal's holder rule."""
    return rule_unit(FOLLOW_RULES, rule_id)


def pair_rule(rule_id: str) -> Callable[[PairFn], PairFn]:
    """Register a pairing unit under `rule_id`; its id becomes the first holder's rule."""
    return rule_unit(PAIR_RULES, rule_id)


def precede_rule(rule_id: str) -> Callable[[PrecedeFn], PrecedeFn]:
    """Register a unit that finds a held title's earlier holder under `rule_id`, its proposal's holder rule."""
    return rule_unit(PRECEDE_RULES, rule_id)


def orphan_rule(rule_id: str) -> Callable[[OrphanFn], OrphanFn]:
    """Register an orphan unit under `rule_id`; its id is the holder rule of what it proposes."""
    return rule_unit(ORPHAN_RULES, rule_id)


class ArticleExtractor:
    """Runs the rule layer over one spaCy Doc. One instance per article; no state survives it."""

    def __init__(self, doc: Doc, article: Article, lex: Lexicon) -> None:
        self.doc = doc
        self.article = article
        self.lex = lex
        self.mentions = Mentions(doc, lex)
        self.roles = RoleFinder(doc, self.mentions, lex)
        self.context = Context(doc, self.mentions, lex)
        self.coref = Coreference(doc, self.mentions, self.roles, lex)
        self.inferred: dict[str, tuple[tuple[str, ...], str]] = {}  # organisation -> (aliases, kind)
        #: Inferred organisations a candidate may name; they become entities when a kept fact names them.
        self.offered: dict[str, tuple[tuple[str, ...], str]] = {}

    # -- roles ---------------------------------------------------------------------------------
    def find_roles(self) -> list[Proposal]:
        found: list[Proposal] = []
        previous: Span | None = None
        for sent in self.doc.sents:
            last: HeldBefore | None = None  # where the last held title phrase ended, and its holder
            last_hit: Proposal | None = None
            orphans: list[Title] = []
            held: list[Title] = []  # titles a holder unit took
            for tok in sent:
                if self.roles.is_head(tok.i):
                    title = self.roles.title_at(tok.i, sent)
                    if title is not None and self._plausible_title(title):
                        hit = self._holder(title, sent) or self._followed(title, last)
                        if hit is not None:
                            self._shared_org(hit, title, last_hit)
                            second = self._paired(hit, title)
                            found.append(hit)
                            found.extend(self._preceded(title, hit))
                            held.append(title)
                            last_hit = hit
                            last = HeldBefore(max(title.end, title.org.end if title.org else 0), hit.person)
                            if second is not None:
                                last = HeldBefore(title.end, second)
                        else:
                            orphans.append(title)
                elif tok.lower_ in HEAD_VERBS:
                    hit = self._who_heads(tok, sent)
                    if hit is not None:
                        found.append(hit)
                elif tok.lower_ in FOUND_VERBS:
                    found.extend(self._founders(tok, sent))
            # "Head coach Lucia Ferraro": "Head" alone is no title when a held title spans it
            orphans = [o for o in orphans if not any(h.start <= o.start and o.end <= h.end for h in held)]
            found.extend(self._memberships(sent))
            found.extend(affiliations(self.context, sent))
            found.extend(self._nearby(orphans, sent, previous))
            found.extend(self._referred(orphans, sent, found))
            previous = sent
        return found

    def _plausible_title(self, t: Title) -> bool:
        """Not a plural ("ministers said") nor a figure of speech ("a major player")."""
        doc = self.doc
        if doc[t.head].tag_ in {"NNS", "NNPS"} and not t.text(doc)[:1].isupper():
            return False
        return not (doc[t.head].lower_ == "player" and any(doc[k].pos_ == "ADJ" for k in range(t.start, t.head)))

    def _nearby(self, orphans: list[Title], sent: Span, previous: Span | None) -> Iterator[Proposal]:
        """Holders the orphan units (`ORPHAN_RULES`) propose for each title no holder unit fits."""
        if not orphans:
            return
        around = Around(sent, previous, self._people_in(sent))
        for t in orphans:
            if self._unnamed(t):
                continue
            for unit in ORPHAN_RULES:
                yield from unit.apply(self, t, around)

    # -- orphan units: each proposes holders for a title no holder unit fits; the scorer weighs them.
    @orphan_rule("nearby")
    def _same_sentence_person(self, t: Title, a: Around) -> Iterator[Proposal]:
        """Norvale will present Tomas Arden as their new coach on Friday: each person named within a
        few words of the title in its sentence, with how the parse joins them."""
        for person in a.people:
            if t.start <= person.start < t.end or abs(person.start - t.head) > NEARBY:
                continue
            p = self._proposal(person, t, t.org or t.org_name, a.sent, "nearby")
            p.link = self._link(person, t)
            yield p

    @orphan_rule("previous-sentence")
    def _previous_sentence_person(self, t: Title, a: Around) -> Iterator[Proposal]:
        """Mr Arden spoke to the board. The chairman said costs would fall: "the" title of a sentence that
        names no one, with each person the sentence before names."""
        if a.people or a.previous is None or self.doc[t.start - 1].lower_ != "the":
            return
        for person in self._people_in(a.previous):
            p = self._proposal(person, t, t.org or t.org_name, a.sent, "previous-sentence")
            p.link = frozenset({f"prev-people:{bucket(len(a.people), (1, 2))}"})
            yield p

    def _unnamed(self, t: Title) -> bool:
        """ "Saar met Kask, a BPA spokeswoman said": a title with an indefinite article that does what the
        sentence says stands for a person the text does not name, none of those around it."""
        head = self.doc[t.head]
        return head.dep_ in {"nsubj", "nsubjpass"} and any(
            c.dep_ == "det" and c.lower_ in {"a", "an"} for c in head.children
        )

    def _referred(self, orphans: list[Title], sent: Span, found: list[Proposal]) -> Iterator[Proposal]:
        """Holders the coreference units find outside the title's sentence, or in a plural title's list
        (coreference.py); one another rule already proposed for the same title is not proposed twice."""
        taken = {(p.person.start, p.head, p.title) for p in found if p.sent.start == sent.start}
        for r in list(self.coref.referrals(orphans, sent)):
            if (r.person.start, r.title.head, r.text) in taken:
                continue
            p = self._proposal(r.person, r.title, r.title.org or r.title.org_name, sent, r.rule)
            p.title, p.link, p.own_features = r.text, r.link, True
            yield p

    def _people_in(self, sent: Span) -> list[Mention]:
        return [m for m in self.mentions.all() if m.label == "Person" and sent.start <= m.start < sent.end]

    def _is_person(self, i: int) -> bool:
        m = self.mentions.at(i)
        return m is not None and m.label == "Person"

    def _link(self, person: Mention, t: Title) -> frozenset[str]:
        """How a person and a title in one sentence are joined: in the parse, by punctuation, by distance."""
        doc = self.doc
        root, head = doc[person.start : person.end].root, doc[t.head]
        lo, hi = (person.end, t.start) if person.start < t.start else (t.end, person.start)
        between = doc[lo:hi] if hi > lo else doc[lo:lo]
        feats = {
            f"link-side:{'before' if person.start < t.start else 'after'}",
            f"link-gap:{bucket(len(between))}",
            f"link-dep:{bucket(dep_distance(root, head))}",
            f"link-comma:{any(tok.text == ',' for tok in between)}",
            f"link-verb:{any(tok.pos_ in {'VERB', 'AUX'} for tok in between)}",
            f"link-person-between:{any(self._is_person(tok.i) for tok in between)}",
        }
        if root.head.i == head.i:
            feats.add(f"link-rel:title-governs-{root.dep_}")
        elif head.head.i == root.i:
            feats.add(f"link-rel:person-governs-{head.dep_}")
        elif root.head.i == head.head.i:
            feats.add(f"link-rel:siblings-{root.dep_}-{head.dep_}")
            feats.add(f"link-verb-word:{root.head.lower_ if root.head.lower_ in LINK_VERBS else 'other'}")
        elif head.head.head.i == root.head.i:
            feats.add(f"link-rel:via-{head.head.lower_ if head.head.pos_ == 'ADP' else 'other'}-{root.dep_}")
        return frozenset(feats)

    def _proposal(self, person: Mention, t: Title, org: Mention | str | None, sent: Span, rule: str) -> Proposal:
        return Proposal(
            person,
            t.text(self.doc),
            org,
            t.status,
            sent,
            rule,
            t.head,
            t.start,
            t.end,
            org_rule=t.org_rule if org is not None else "org:none",
            status_rule=t.status_rule,
        )

    def _followed(self, t: Title, last: HeldBefore | None) -> Proposal | None:
        """The holder the first follow unit (`FOLLOW_RULES`) finds for a title after a held one."""
        if last is None:
            return None
        for unit in FOLLOW_RULES:
            if (hit := unit.apply(self, t, last)) is not None:
                return hit
        return None

    @follow_rule("chained")
    def _chained(self, t: Title, last: HeldBefore) -> Proposal | None:
        """ "co-director of the Harbour Media Project and a fellow of the Kestrel Academy": a title joined
        by "and" right after another holds the same person."""
        doc = self.doc
        k = t.start - 1
        skip = {"a", "an", "the", "also", "-"}
        while k > last.end and (doc[k].lower_ in skip or doc[k].lower_ in self.lex.qualifiers or is_name_token(doc[k])):
            k -= 1  # "... and a former Norvale finance chief": its qualifier and body come first
        if k != last.end or doc[k].lower_ != "and":
            return None
        org: Mention | str | None = t.org or t.org_name
        return self._proposal(last.person, t, org, doc[t.start].sent, "chained")

    def _preceded(self, t: Title, hit: Proposal) -> Iterator[Proposal]:
        """The earlier holders the precede units (`PRECEDE_RULES`) find for a held title."""
        for unit in PRECEDE_RULES:
            if (earlier := unit.apply(self, t, hit)) is not None:
                yield earlier

    @precede_rule("predecessor")
    def _predecessor(self, t: Title, hit: Proposal) -> Proposal | None:
        """Tom Reed has replaced Ann Pike as chief executive of Norvale: the person replaced held the post
        before, in the same body."""
        earlier = self.roles.predecessor(t)
        if earlier is None or earlier.start == hit.person.start:
            return None
        p = self._proposal(earlier, t, hit.org, hit.sent, "predecessor")
        p.org_rule = hit.org_rule
        p.status, p.status_rule = Status.FORMER, "status:replaced"
        return p

    def _paired(self, hit: Proposal, t: Title) -> Mention | None:
        """The second holder the first pairing unit (`PAIR_RULES`) finds, for the title after this one."""
        for unit in PAIR_RULES:
            if (second := unit.apply(self, hit, t)) is not None:
                hit.rule = unit.id
                return second
        return None

    @pair_rule("appositive-pair")
    def _paired_holders(self, hit: Proposal, t: Title) -> Mention | None:
        """ "Tom Reed and Ann Pike, the chairman and chief executive of Norvale": two holders, two titles, in
        order. The first title goes to the first holder; the second holder is returned for the title after
        "and"."""
        doc = self.doc
        if hit.rule != "appositive" or t.end >= len(doc) or doc[t.end].lower_ != "and":
            return None
        second = hit.person
        if second.start < 2 or doc[second.start - 1].lower_ != "and":
            return None
        first = self.mentions.ending(second.start - 2)
        if first is None or first.label != "Person":
            return None
        hit.person = first
        return second

    def _shared_org(self, hit: Proposal, t: Title, before: Proposal | None) -> None:
        """ "Vantor's chief executive Lena Marsh and chief operating officer Tom Reed": a titled holder
        joined by "and" or a comma to the one before takes that one's organisation when it names none."""
        if before is None or hit.org is not None or before.org is None or hit.rule != "pre-modifier":
            return
        doc = self.doc
        k = t.start - 1
        while k > before.person.end and (
            doc[k].lower_ in {"its", "their", "the"} or doc[k].lower_ in self.lex.qualifiers
        ):
            k -= 1
        if k == before.person.end and doc[k].lower_ in {"and", ","}:
            hit.org, hit.org_rule = before.org, "org:shared-with-previous-title"

    def _memberships(self, sent: Span) -> Iterator[Proposal]:
        """Affiliations stated without a title: "Jana Wolff (SPD)", "Norvale's Tomas Arden",
        "Christian Democrat Ivo Brandt". Recorded as membership ("member")."""
        doc = self.doc
        for i in range(sent.start, sent.end):
            person = self.mentions.starting(i)
            if person is None or person.label != "Person":
                continue
            body: Mention | str | None = None
            end = person.end
            close = next((k for k in range(end + 2, min(end + 9, sent.end)) if doc[k].text == ")"), None)
            if end < sent.end and doc[end].text == "(" and close is not None and doc[end + 1].lower_ in {"of", "from"}:
                body = self._body_after(end + 1, sent)  # "Ann Pike (of the Green Party)"
            elif end < sent.end and doc[end].text == "(" and close is not None:
                inside = self.mentions.starting(end + 1)
                body = self.roles.party_at(close - 1) if close == end + 2 else None
                body = body or (inside if inside is not None and inside.end == close else None)
            if body is None:
                body = self._body_after(end, sent)
            before = i - 1
            if body is None and before >= sent.start:
                if doc[before].text in POSSESSIVE:
                    body = self.mentions.ending(before - 1)
                else:
                    body = self.roles.party_at(before)
            if isinstance(body, Mention) and (body.label != "Organisation" or self.mentions.country(body)):
                body = None
            if body is not None:
                yield membership(person, body, sent, "org:membership")

    def _body_after(self, end: int, sent: Span) -> Mention | None:
        """ "Ann Pike of the Society for Harbour History", "Tom Reed from the Kestrel Dockers union", "Ivo
        Brandt, of the trade-critical network Fairlink", "Lena Marsh, of the Tarn-based Kestrel Society": the
        body a person speaks for."""
        doc = self.doc
        k = end + (1 if end < sent.end and doc[end].text == "," else 0)
        if k + 1 >= sent.end or doc[k].lower_ not in {"of", "from"}:
            return None
        k += 1 + (doc[k + 1].lower_ == "the")
        if k >= sent.end:
            return None
        k = self.roles.past_based(k, sent)  # "of the Larkport-based Kestrel Society": the body after the place
        body = self.mentions.starting(k)
        if body is None and doc[k].is_lower:
            body = self.roles.described_body(k, sent)
        elif body is None and (run := self.mentions.name_run(k)) is not None and self.roles.kind_word_at(run[1], sent):
            body = self.mentions.force(*run, "Organisation")  # "the Filt Cgil union"
        return body

    def _holder(self, t: Title, sent: Span) -> Proposal | None:
        """The title's holder (see the holder units, `HOLDER_RULES`), with the organisation the title rules
        or the words after the holder name."""
        found = self.roles.holder(t, sent)
        if found is None:
            return None
        person, rule = found
        org: Mention | str | None = t.org or t.org_name
        if org is None:
            org = self.roles.org_after(person.end, sent) if rule == "pre-modifier" else None
        verb_org = self.roles.appointer(t) if org is None and rule == "verb" else None
        org = org or verb_org
        proposal = self._proposal(person, t, org, sent, rule)
        if verb_org is not None:
            proposal.org_rule = "org:verb-subject"  # "Norvale Energy appointed Tom Reed chief executive"
        if rule == "verb" and self.roles.left_post(t) and proposal.status == Status.CURRENT:
            proposal.status, proposal.status_rule = Status.FORMER, "status:leaving-verb"  # "resigned as leader"
        if org is not None and t.org is None and t.org_name is None and verb_org is None:
            proposal.org_rule = "org:after-holder"  # "analyst Ann Pike of Kestrel Hale Securities"
        if org is None and rule == "pre-modifier" and (side := self.roles.team_of_side(t, person.end, sent)):
            proposal.org, proposal.org_rule = side, "org:team-of-side"  # "Coach Tomas Arden's side"
        return proposal

    def _who_heads(self, tok: Token, sent: Span) -> Proposal | None:
        """ "X, who heads Z" / "X heads Z": the title is the verb's noun, the organisation its object."""
        doc = self.doc
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        if obj is None:
            return None
        org = self.mentions.at(obj.i) or self._kind_phrase(obj)
        if org is None or org.label != "Organisation":
            return None
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        person = None
        if subj is not None and subj.lower_ == "who" and subj.i >= 2 and doc[subj.i - 1].text == ",":
            person = self.mentions.ending(subj.i - 2)
        elif subj is not None:
            person = self.mentions.at(subj.i)
        if person is None or person.label != "Person":
            return None
        past = tok.lower_ in {"headed", "led", "ran", "chaired"}
        title = {"chairs": "chair", "chaired": "chair"}.get(tok.lower_, "head")
        return Proposal(
            person,
            title,
            org,
            Status.FORMER if past else Status.CURRENT,
            sent,
            "who-heads",
            tok.i,
            tok.i,
            tok.i + 1,
            "title:head-verb",
            "org:verb-object",
            "status:past-verb" if past else "status:present-verb",
        )

    def _founders(self, tok: Token, sent: Span) -> Iterator[Proposal]:
        """ "Ivo Brandt, who founded the Kestrel Party", "Kestrel Records was founded by Ivo Brandt and Ann
        Pike", "Kestrel Records, which she founded with Tom Reed": the founders of a named body hold
        "founder" in it (a founder stays current); the name founded is a body even where the NER took it for
        a person's."""
        doc = self.doc
        children = list(tok.children)
        body: Mention | None = None
        people: list[Mention] = []
        org_rule = "org:verb-object"
        if (obj := next((c for c in children if c.dep_ == "dobj"), None)) is not None:
            relative = obj.lower_ in {"which", "that"} and tok.dep_ == "relcl"
            body = self.mentions.at(tok.head.i if relative else obj.i) or self._kind_phrase(obj)
            subj = next((c for c in children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.lower_ == "who" and subj.i >= 2 and doc[subj.i - 1].text == ",":
                people = [m for m in [self.mentions.ending(subj.i - 2)] if m is not None]
            elif subj is not None and relative and subj.lower_ in {"he", "she"}:
                people = [m for m in [self._clause_subject(tok.head)] if m is not None]
            elif subj is not None:
                people = [m for m in [self.mentions.at(subj.i)] if m is not None]
            for prep in (c for c in children if c.dep_ == "prep" and c.lower_ == "with"):
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    people.extend(m for k in (pobj, *pobj.conjuncts) if (m := self.mentions.at(k.i)) is not None)
        elif (subj := next((c for c in children if c.dep_ == "nsubjpass"), None)) is not None:
            body, org_rule = self.mentions.at(subj.i), "org:passive-subject"
            for agent in (c for c in children if c.dep_ == "agent"):
                for pobj in (c for c in agent.children if c.dep_ == "pobj"):
                    for k in (pobj, *pobj.conjuncts):
                        if (m := self.mentions.at(k.i)) is not None:
                            people.append(m)
        if body is not None and body.label == "Person" and not any(m.start == body.start for m in people):
            body = self.mentions.force(body.start, body.end, "Organisation")  # what is founded is no person
        if body is None or body.label != "Organisation" or self.mentions.country(body) is not None:
            return
        for person in people:
            if person.label != "Person":
                continue
            yield Proposal(
                person,
                "founder",
                body,
                Status.CURRENT,
                sent,
                "founded",
                tok.i,
                tok.i,
                tok.i + 1,
                "title:found-verb",
                org_rule,
                "status:default",
            )

    def _clause_subject(self, tok: Token) -> Mention | None:
        """The person subject of the clause a word stands in, up to three verbs up: "Ann Pike will keep
        running Kestrel Records, which she founded" (the one "she" stands for)."""
        for _ in range(3):
            if tok.head.i == tok.i:
                break
            tok = tok.head
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is not None:
                m = self.mentions.at(subj.i)
                return m if m is not None and m.label == "Person" else None
        return None

    def _kind_phrase(self, noun: Token) -> Mention | None:
        """ "who chairs the Commons transport committee": a body's kind word and the words before it that
        name which one, when one of them is capitalised."""
        if not self.lex.org_kinds.get(noun.lower_):
            return None
        left = [t for t in noun.lefts if t.dep_ in {"compound", "amod", "poss"}]
        if not left:
            return None
        start = min(t.left_edge.i for t in left)
        while start < noun.i and self.doc[start].lower_ in {"the", "a", "an"}:
            start += 1
        if not any(self.doc[k].is_title for k in range(start, noun.i)):
            return None
        return self.mentions.force(start, noun.i + 1, "Organisation")

    # -- entities ------------------------------------------------------------------------------
    def party_of(self, ment: Mention, into: dict[str, tuple[tuple[str, ...], str]] | None = None) -> Party | None:
        """The person or organisation a mention names; a country acting as a state joins `into` (default:
        the article's inferred organisations) as its government."""
        label = self.labels.get(ment.text, ment.label)
        if label == "Person":
            return Party(self.people.get(ment.text, ment.text), "Person")
        country = self.lex.country(ment.text)
        if country is not None and label in {"Place", "Organisation", "Norp"}:
            if ment.label == "Norp":
                return None
            (self.inferred if into is None else into)[country.government] = ((country.short,), "government")
            return Party(country.government, "Organisation")
        if label == "Organisation" and ment.text in self.org_names:
            return Party(self.org_names[ment.text], "Organisation")
        return None

    def _organisations(self, all_mentions: list[Mention]) -> dict[str, str]:
        """Surface form -> canonical name of every named organisation, acronyms folded into full names."""
        surnames = {word for full in self.people.values() if " " in full for word in full.split()}
        names = [
            m.text
            for m in all_mentions
            if self.labels.get(m.text) == "Organisation"
            and self.lex.country(m.text) is None
            and not (self.roles._portfolio_org(m) and not self._stands_alone(m))
            and len(m.text) > 1
            and not self.mentions.names_no_one(m)
            and m.text.lower() not in self.lex.event_heads
            and m.text not in surnames  # "McCall", "Dr Khoo" tagged ORG once, a person everywhere else
        ]
        canon = {n: n for n in names}
        # Parties by any of their names: "Labour", "the Tories", "Lib Dems". A party goes by the fullest
        # name this article gives it, an acronym ("SPD") or several words ("Christian Democrats"), else
        # by its lexicon name ("Tory" is an adjective); the lexicon name joins the aliases, so that
        # articles naming it differently meet in one entity.
        home = self._home_country()
        forms: dict[str, list[str]] = {}
        for m in all_mentions:
            party = self.lex.parties.get(m.text.lower())
            if party is None or m.label not in {"Organisation", "Norp", "Person"}:
                continue
            if party[1] and home is not None and self.lex.country(party[1]) != home:
                canon.pop(m.text, None)  # "Democratic" in a British story is not the US party
                continue
            forms.setdefault(party[0], []).append(m.text)
        for lexicon_name, written in forms.items():
            names = [w for w in written if " " in w or ACRONYM.match(w)] or [lexicon_name]
            name = max(names, key=lambda w: (len(w), w))
            for surface in (*written, lexicon_name):
                canon[surface] = name
        # A party's lexicon name that stands for its acronym ("Christian Democratic Union" for "CDU") owns no
        # acronym: it already goes by it.
        full = [n for n in canon if not ACRONYM.match(n) and canon[n] == n]
        for m in all_mentions:
            # "Baltic Ports Authority (BPA)"
            if (
                m.text in canon
                and m.end + 2 < len(self.doc)
                and self.doc[m.end].text == "("
                and self.doc[m.end + 2].text == ")"
            ):
                short = self.doc[m.end + 1].text
                if ACRONYM.match(short):
                    canon[short] = m.text
        for n in list(canon):
            if ACRONYM.match(n) and canon[n] == n:
                owners = [f for f in full if acronym_of(f) == n.replace(".", "")]
                if len(owners) == 1:
                    canon[n] = owners[0]
        return canon

    def _stands_alone(self, m: Mention) -> bool:
        """ "the Treasury said": a portfolio word named as a body, not inside a title ("Treasury minister")."""
        doc = self.doc
        if m.start == 0 or doc[m.start - 1].lower_ != "the" or m.end >= len(doc):
            return False
        after = doc[m.end]
        return not self.roles.is_head(after.i) and after.lower_ not in self.lex.portfolios

    def main_company(self) -> str | None:
        counts = Counter(
            name
            for m in self.mentions.all()
            if m.text in self.org_names
            and self.labels.get(m.text) == "Organisation"
            and (name := self.org_names[m.text]).lower() not in self.lex.parties
            and name.split()[-1].lower() not in self.lex.event_heads  # "Champions League" employs no one
        )
        ranked = counts.most_common(2)
        if ranked and ranked[0][1] >= 3 and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
            return ranked[0][0]
        return None

    # -- everything ----------------------------------------------------------------------------
    def _names_body(self, i: int) -> bool:
        """Whether token `i` is part of a name the mentions take for an organisation's."""
        return (m := self.mentions.at(i)) is not None and m.label == "Organisation"

    def candidates(self) -> list[Candidate]:
        """Every role fact the rules propose, each with its competing organisations (see candidates.py)."""
        proposals = self.find_roles()
        StatusReader(self.doc, self.lex, self._names_body).settle(proposals)
        all_mentions = self.mentions.all()
        self.labels = vote_labels(all_mentions)
        surnames = self._surnames_are_people(all_mentions)
        self.people = self._people(all_mentions, {p.person.text for p in proposals})
        for text in surnames - self.people.keys():
            fulls = {full for full in self.people.values() if full.split()[-1] == text}
            if len(fulls) == 1:
                self.people[text] = fulls.pop()
        self.org_names = self._organisations(all_mentions)
        firm = self.main_company()
        named = [self._rule_org(p, firm) for p in proposals]
        self._carry_governments(proposals, named, all_mentions)
        stated = [(self.people.get(p.person.text), oname) for p, (oname, _unit) in zip(proposals, named, strict=True)]
        known: dict[tuple[str, str], set[str]] = {}
        for p, (pname, oname) in zip(proposals, stated, strict=True):
            if pname is not None and oname is not None:
                known.setdefault((pname, title_key(p.title)), set()).add(oname)
        ties: dict[str, dict[str, int]] = {}
        for pname, oname in stated:
            if pname is not None and oname is not None:
                ties.setdefault(pname, {}).setdefault(oname, 0)
                ties[pname][oname] += 1
        for p in proposals:
            if (house := self.lex.houses.get(self.doc[p.head].lower_)) is not None:
                self.offered.setdefault(house[0], ((), "parliament"))
        builder = CandidateBuilder(
            self.doc,
            self.lex,
            all_mentions,
            self._body_of,
            self._sector,
            self._kind,
            firm,
            self.people,
            self._home_country(),
            ties,
        )
        # Posts the holder rules give each person; a referral (coreference.py) is not one of them.
        said = Counter(
            (pname, title_key(p.title)) for p, (pname, _) in zip(proposals, stated, strict=True) if not p.own_features
        )
        out: list[Candidate] = []
        for group, (p, (pname, oname), (_, unit)) in enumerate(zip(proposals, stated, named, strict=True)):
            if pname is None:
                continue
            elsewhere = known.get((pname, title_key(p.title)), set()) - {oname}
            repeats = said[(pname, title_key(p.title))] - (not p.own_features)
            if p.own_features and repeats:
                continue  # a referral adds nothing to a post the person is given elsewhere, but a rival organisation
            for c in builder.candidates(group, p, pname, oname, elsewhere, repeats):
                if unit is not None and c.organisation == oname:
                    # the naming unit follows the unit that found the organisation in the chain
                    at = c.rules.index(p.org_rule) + 1 if p.org_rule in c.rules else len(c.rules) - 1
                    c.rules = (*c.rules[:at], f"org:{unit}", *c.rules[at:])
                out.append(c)
        return out

    def _carry_governments(
        self, proposals: list[Proposal], named: list[tuple[str | None, str | None]], all_mentions: list[Mention]
    ) -> None:
        """Give each government post whose words name no body the government the article states for it
        elsewhere (states.py): the proposal's organisation rule becomes the unit's id."""
        sectors = [self._sector(p.title) for p in proposals]
        # "British journalist X": a nationality of a post no government employs states no government
        nationality = {
            i
            for p, sector in zip(proposals, sectors, strict=True)
            if sector != "government"
            for i in range(p.start - 1, p.end)
        }
        countries = [
            (m.start, c)
            for m in all_mentions
            if (m.label in {"Place", "Norp", "Organisation"} or m.text not in self.people)
            and m.end - 1 not in nationality
            and (c := self.lex.country(m.text)) is not None
        ]
        holders = [self.people.get(p.person.text) for p in proposals]
        stated = Stated(self.doc, self.lex, proposals, holders, [oname for oname, _ in named], sectors, countries)
        for k, unit, country, link in list(stated_governments(stated)):
            p = proposals[k]
            proposals[k] = replace(p, org=country.government, org_rule=f"org:{unit}", link=p.link | link)
            self.offered[country.government] = ((country.short,), "government")
            named[k] = (country.government, None)

    def _rule_org(self, p: Proposal, firm: str | None) -> tuple[str | None, str | None]:
        """The organisation the title rules attached to a proposal, as an entity name, and the id of the
        naming unit that made it another than the one the words name (None when none did)."""
        for unit in NAMING_RULES:
            named = unit.apply(self, p, firm)
            if named is not None:
                return named.name, unit.id
        return self._named(p), None

    # -- naming rule units: each may turn what the title rules found into another organisation (or none);
    # -- the first that applies decides, and its id joins the chain after the unit that found it.
    @naming_rule("region-government")
    def _region_government(self, p: Proposal, firm: str | None) -> OrgName | None:
        """Priya Nandakumar, chief minister of West Bengal, said so: a region's public office is in its
        government."""
        org = p.org
        if not isinstance(org, Mention) or self.labels.get(org.text) != "Place":
            return None
        if self._sector(p.title) not in STATE_SECTORS or self.party_of(org, self.offered) is not None:
            return None
        name = f"{GOVERNMENT_OF}{org.text}"
        self.offered[name] = ((org.text,), "government")
        return OrgName(name)

    @naming_rule("country-government")
    def _country_government(self, p: Proposal, firm: str | None) -> OrgName | None:
        """Yuki Tanabe, the prime minister of Japan, said so: a country that employs a title is its
        government."""
        org = p.org
        if not isinstance(org, Mention) or self.lex.country(org.text) is None:
            return None
        party = self.party_of(org, self.offered)
        return OrgName(party.name) if party is not None and party.name.startswith(GOVERNMENT_OF) else None

    @naming_rule("firm-is-main-company")
    def _firm_is_main_company(self, p: Proposal, firm: str | None) -> OrgName | None:
        """The firm's chairman Tomas Arden said so: "the firm" is the company the article is about."""
        return OrgName(firm) if p.org == "@firm" and firm is not None else None

    @naming_rule("national-side")
    def _national_side(self, p: Proposal, firm: str | None) -> OrgName | None:
        """England's new rugby captain Tom Hale led the side out: in a sports story a country's name before a
        player's, a captain's or a coach's title names its national side, not its government (a nationality,
        "their Brazilian defender", names neither)."""
        sport, org = self.mentions.sport, p.org
        if sport is None or org is None or self._sector(p.title) != "club":
            return None
        if isinstance(org, Mention):
            country, said = self.lex.country(org.text), [org.text]
        elif org.startswith(GOVERNMENT_OF):
            country = self.lex.country(org.removeprefix(GOVERNMENT_OF))
            said = [self.doc[k].text for k in range(max(p.sent.start, p.start - 3), p.start)]
        else:
            return None
        if country is None:
            return None
        # "England" is a side of its own, which the lexicon files under the United Kingdom
        word = next((w for w in reversed(said) if self.lex.country(w) == country), None)
        if word is None or word in country.adjectives:
            return None  # "their Brazilian defender": a nationality, the club's player
        side = word.removeprefix("the ")
        name = f"{side} national {sport} team"
        self.offered[name] = ((side,), "team")
        return OrgName(name)

    @naming_rule("nationality-not-post")
    def _nationality_not_post(self, p: Proposal, firm: str | None) -> OrgName | None:
        """British journalist Callum Reyes wrote it: a nationality before a title no government employs
        is no post in that government."""
        org = p.org
        if isinstance(org, str) and org.startswith(GOVERNMENT_OF) and self._sector(p.title) in NATIONALITY_SECTORS:
            return OrgName(None)
        return None

    def _named(self, p: Proposal) -> str | None:
        """The entity name of the organisation the title rules attached, as the words name it."""
        org = p.org
        if isinstance(org, Mention):
            party = self.party_of(org, self.offered)
            return party.name if party else None
        if org is None or org == "@firm":
            return None
        if org.startswith(GOVERNMENT_OF):
            country = self.lex.country(org.removeprefix(GOVERNMENT_OF))
            if country is not None:
                self.offered[org] = ((country.short,), "government")
        elif org in self.org_names:
            return self.org_names[org]
        else:
            self.offered[org] = ((), "party")
        return org

    def _body_of(self, m: Mention) -> tuple[str, str] | None:
        """The organisation a mention names, and how: a named body, a country acting as a state, or a
        nationality ("the Italian minister")."""
        label = self.labels.get(m.text, m.label)
        if label == "Person":
            return None
        country = self.lex.country(m.text)
        if country is not None and label in {"Place", "Organisation", "Norp"}:
            self.offered[country.government] = ((country.short,), "government")
            return country.government, "norp" if m.label == "Norp" else "country"
        if label == "Organisation" and m.text in self.org_names:
            return self.org_names[m.text], "named"
        return None

    def _kind(self, name: str) -> str | None:
        if name in self.offered:
            return self.offered[name][1]
        return self._org_kind(name)

    def run(self, scorer: Scorer | None = None, event_scorer: EventScorer | None = None) -> ArticleFacts:
        """The article's facts, role facts decided by `scorer` and events by `event_scorer` (default: the models
        shipped in the package)."""
        return self.decide(self.candidates(), scorer or load_scorer(), event_scorer or load_event_scorer())

    def decide(
        self, candidates: list[Candidate], scorer: Scorer, event_scorer: EventScorer | None = None
    ) -> ArticleFacts:
        """The facts, keeping the candidates the scorers accept (`candidates` must have run first; the event
        scorer shipped in the package unless one is given)."""
        roles = self.decide_roles(candidates, scorer)
        events = self.find_events(event_scorer or load_event_scorer(), roles)
        return self._facts(self.mentions.all(), roles, events)

    def decide_roles(self, candidates: list[Candidate], scorer: Scorer) -> list[RoleFact]:
        """The role facts the scorer accepts, and the governments of the countries that act; events come after,
        since a country a kept role or an acting state names is a party of them."""
        roles = self._settle(decide(candidates, scorer))
        for r in roles:
            if r.organisation in self.offered and r.organisation not in self.org_names.values():
                self.inferred[r.organisation] = self.offered[r.organisation]
        self._acting_states(self.mentions.all())
        return roles

    def _settle(self, chosen: list[tuple[Candidate, float]]) -> list[RoleFact]:
        """One fact per person, post and organisation, and none that another makes redundant."""
        settled: dict[tuple[str, str, str | None], RoleFact] = {}
        for c, p in chosen:
            r = RoleFact(
                c.person,
                c.title,
                c.organisation,
                c.status,
                evidence(self.article, c.sent),
                c.rules[0].removeprefix("holder:"),
                round(p, 3),
                c.rules,
            )
            key = (r.person, title_key(r.title), r.organisation)
            if key not in settled:
                settled[key] = r
            elif settled[key].status == Status.CURRENT and r.status != Status.CURRENT:
                # "X, the former chairman" beside "chairman X": the stated status wins, and says so
                settled[key] = replace(r, rules=(*r.rules, STATED_OVER_DEFAULT))
        # Membership adds nothing when the same person holds a titled post in that body.
        titled = {(p, o) for p, t, o in settled if t != MEMBERSHIP}
        settled = {k: r for k, r in settled.items() if k[1] != MEMBERSHIP or (k[0], k[2]) not in titled}
        # A title with no organisation adds nothing when the same person holds it somewhere named.
        return self._fold_body_words(
            [
                r
                for (p, t, o), r in settled.items()
                if o is not None or not any(p2 == p and t2 == t and o2 for p2, t2, o2 in settled)
            ]
        )

    def _fold_body_words(self, roles: list[RoleFact]) -> list[RoleFact]:
        """ "Chairman Ray Dunmore spoke. Ray Dunmore, the club chairman, agreed": one person's "chairman" and
        "club chairman" in the same organisation are one post, kept under the more specific title; a status
        the folded statement states wins over the kept one's default, and says so."""
        into = {
            k: next(
                (
                    n
                    for n, o in enumerate(roles)
                    if o.person == r.person
                    and o.organisation == r.organisation
                    and with_body_word(r.title, o.title, self.lex.org_kinds)
                ),
                None,
            )
            for k, r in enumerate(roles)
        }
        out: list[RoleFact] = []
        for n, r in enumerate(roles):
            if into[n] is not None:
                continue
            folded = [roles[k] for k, target in into.items() if target == n]
            if not folded:
                out.append(r)
                continue
            rules = (*r.rules, BODY_WORD_FOLD)
            stated = next((f.status for f in folded if f.status != Status.CURRENT), None)
            if r.status == Status.CURRENT and stated is not None:
                r, rules = replace(r, status=stated), (*rules, STATED_OVER_DEFAULT)
            out.append(replace(r, rules=rules))
        return out

    def _acting_states(self, all_mentions: list[Mention]) -> None:
        """A country that acts ("Germany proposed a freeze") and "the government" of the article's home
        country are the organisation "Government of X"."""
        doc = self.doc
        sport = self.mentions.sport
        for m in all_mentions:
            country = self.lex.country(m.text) if m.label != "Person" else None
            if country is None:
                continue
            root = doc[m.start : m.end].root
            if sport is not None and plays(root):
                # "England beat Canada": in a sports story a country that plays is its national side
                side = country.short if m.text in country.adjectives else m.text.removeprefix("the ")  # "England"
                self.inferred.setdefault(f"{side} national {sport} team", ((side,), "team"))
            elif sport is None and in_subject(root):
                self.inferred.setdefault(country.government, ((country.short,), "government"))
        home = self._home_country()
        for house in houses_seating(doc, self.lex, home):
            self.inferred.setdefault(house, ((), "parliament"))
        for tok in doc[1:]:
            if tok.lower_ not in GOVERNMENT_WORDS:
                continue
            before = doc[tok.i - 1]
            named = self.lex.country(before.text) if before.text[:1].isupper() else None
            if named is not None:  # "the British government", "the Chinese administration"
                self.inferred.setdefault(named.government, ((named.short,), "government"))
            elif home is not None and (
                before.lower_ == "the" or before.text in POSSESSIVE or before.lower_ in self.lex.parties
            ):  # "the government", "John Major's government", "the Labour government"
                self.inferred.setdefault(home.government, ((home.short,), "government"))

    def _sector(self, title: str) -> str | None:
        words = title.lower().replace("-", " ").split()
        for n in (3, 2, 1):
            for i in range(len(words) - n, -1, -1):
                sector = self.lex.titles.get(" ".join(words[i : i + n]))
                if sector:
                    return sector
        return None

    def _home_country(self) -> Country | None:
        """The country the article is most about: named countries, their governments and parties."""
        votes: Counter[str] = Counter()
        for m in self.mentions.all():
            country = self.lex.country(m.text) if m.label in {"Place", "Norp", "Organisation"} else None
            if country is not None:
                votes[country.name] += 1
            party = self.lex.parties.get(m.text.lower())
            if party and party[1]:
                votes[party[1]] += 2
        for name in self.inferred:
            country = self.lex.country(name.removeprefix(GOVERNMENT_OF))
            if country is not None:
                votes[country.name] += 1
        ranked = votes.most_common(2)
        if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
            return None
        return self.lex.country(ranked[0][0])

    def _surnames_are_people(self, all_mentions: list[Mention]) -> set[str]:
        """ "Rinus Vale ... Vale led the side": a lone word the NER tags a body more often than a person is the
        surname of a person the article names in full (no body goes by it: see `_organisations`); the words
        relabelled, each the person's once the people are known."""
        surnames = {m.text.split()[-1] for m in all_mentions if self.labels.get(m.text) == "Person" and " " in m.text}
        relabelled = {text for text, label in self.labels.items() if label == "Organisation" and text in surnames}
        self.labels.update(dict.fromkeys(relabelled, "Person"))
        return relabelled

    def _people(self, all_mentions: list[Mention], holders: set[str]) -> dict[str, str]:
        """Surface form -> full name of each person; a lone one-word name needs evidence to count.

        "Grace" or "Torbay" tagged PERSON once, never with a first name, an
        honorific or a title, is more often a place, a show or a company; one
        that holds a title ("Syrian President Assad") is a person.
        """
        candidates = [
            m
            for m in all_mentions
            if self.labels.get(m.text) == "Person"
            and self._plausible_person(m)
            and not (self._named_by_city(m) and m.text not in holders)
        ]
        groups = person_groups(candidates, self.doc)
        seen = Counter(m.text for m in candidates)
        vouched = {
            m.text
            for m in candidates
            if m.forced or m.text in holders or self._after_honorific(m) or seen[m.text] > 1 or self._acts(m)
        }
        return {
            surface: full
            for surface, full in groups.items()
            if " " in full
            or (
                full.lower() not in self.mentions.common_words  # "Cures" where the article also writes "cures"
                and (full in vouched or any(s in vouched for s, f in groups.items() if f == full))
            )
        }

    def _named_by_city(self, m: Mention) -> bool:
        """ "Sporting Norvale": a club named by a city the article names alone, unless the name holds a title
        ("ECFU president Bruno Salgado", with "Salgado" once tagged as a place)."""
        words = m.text.split()
        return len(words) > 1 and not m.forced and self.labels.get(words[-1]) == "Place"

    def _acts(self, m: Mention) -> bool:
        """A lone name that does or owns something ("Maharak was ousted", "Corvell's fate") or is described
        ("Renato, a pensioner"): what people do in news, more than places or shows."""
        root = self.doc[m.start : m.end].root
        return (
            root.dep_ in {"nsubj", "nsubjpass", "poss"}
            or any(c.dep_ == "appos" for c in root.children)
            or (root.dep_ == "compound" and root.head.lower_ in RULED)  # "the Halvorsen administration"
        )

    def _after_honorific(self, m: Mention) -> bool:
        return m.start > 0 and self.doc[m.start - 1].lower_.rstrip(".") in HONORIFICS

    def _plausible_person(self, m: Mention) -> bool:
        text = m.text
        if self.lex.country(text) is not None or not any(c.isalpha() for c in text):
            return False
        if text.lower() in self.lex.parties or text.lower().startswith("ex-"):
            return False
        words = text.split()
        if words[0].lower() in self.lex.name_articles or any(self.lex.org_kinds.get(w.lower()) for w in words):
            return False  # "Der Abendfalke", "Kestrel Gazette": a paper or a body, whatever the NER said
        if len(words) == 1 and (
            self.doc[m.start].tag_ == "NNPS" or ACRONYM.match(text) or (m.start > 0 and self.doc[m.start - 1].like_num)
        ):
            return False  # "Greeks", "States", "HU", "35 million Euros"
        given = self.doc[m.start].pos_ == "PROPN" and self.lex.country(words[0]) is None  # "Oona King"
        if any(w.lower() in self.lex.titles and w[0].islower() for w in words) or (
            len(words) > 1
            and not given
            and (words[-1].lower() in self.lex.titles or words[-1].lower() in self.lex.occupations)
        ):
            return False  # "Azerbaijani President", "Best Footballer"
        last = self.doc[m.end - 1]
        if len(words) > 1 and last.ent_type_ == "NORP":
            return False  # "Ottoman Turks"
        if self._described_as_body(m):
            return False
        if len(words) > 1 and (
            (last.tag_ == "NNPS" and last.lower_ in self.mentions.common_words)
            or (ACRONYM.match(last.text) and not re.fullmatch(r"[IVX]+|[A-Z]\.", last.text))
            or len(last.text) == 1
        ):
            return False  # "Backward Classes", "Norvale UTC", "Kestrel B" (but "Clement XIX", "Tariq M.")
        if any(self.doc[k].text in POSSESSIVE for k in range(m.start, m.end - 1)):
            return False  # "Magazin's Facebook"
        return all(w[:1].isupper() or w.lower().split("-")[0] in CONNECTORS for w in words) and not re.search(
            r"\d", text
        )  # "Ard van der Steur", "Bashir al-Assad"

    def _described_as_body(self, m: Mention) -> bool:
        """ "magazine Kestrel Hebdo", "its fuel supplier, Enix", "an Oscar", "Franco-German": a name that a
        body's noun or an indefinite article introduces, or the first half of a compound, is no person's."""
        doc = self.doc
        if self.mentions.introduced_as_body(m):
            return True
        if m.start > 0 and doc[m.start - 1].lower_ in {"a", "an"}:
            return True
        compound = m.end + 1 < len(doc) and doc[m.end].text == "-" and doc[m.end + 1].is_title
        return compound and not doc[m.end - 1].whitespace_

    def find_events(self, scorer: EventScorer | None, roles: Sequence[RoleFact] = ()) -> list[FoundEvent]:
        """The article's events, those `scorer` keeps (all the rules propose, without one); a country's
        government becomes an organisation only when a kept event names it, not whenever the finder weighed the
        country as a party."""
        weighed: dict[str, tuple[tuple[str, ...], str]] = {}
        out = EventFinder(self.doc, self.mentions, self.lex, lambda m: self.party_of(m, weighed), roles).events()
        if scorer is not None:
            out = decide_events(out, scorer, self.lex)
        for ev in out:
            for party in (*ev.participants, *ev.organisers):
                if party.name in weighed:
                    self.inferred.setdefault(party.name, weighed[party.name])
                elif party.via == "capital":  # "visited Beijing": the government of China, also known as "China"
                    country = self.lex.country(party.name.removeprefix("Government of "))
                    if country is not None:
                        self.inferred.setdefault(party.name, ((country.short,), "government"))
                elif party.via == "national-side":  # "England national rugby union team", also known as "England"
                    self.inferred.setdefault(party.name, ((party.name.split(" national ")[0],), "team"))
        return out

    def _facts(self, all_mentions: list[Mention], roles: list[RoleFact], events: list[FoundEvent]) -> ArticleFacts:
        people: dict[str, set[str]] = {}
        for surface, canon in self.people.items():
            people.setdefault(canon, set())
            if surface != canon:
                people[canon].add(surface)
        orgs: dict[str, set[str]] = {}
        for surface, canon in self.org_names.items():
            orgs.setdefault(canon, set())
            if surface != canon:
                orgs[canon].add(surface)
        entities = [Entity(n, "Person", tuple(sorted(a))) for n, a in sorted(people.items())]
        entities += [Entity(n, "Organisation", tuple(sorted(a)), self._org_kind(n)) for n, a in sorted(orgs.items())]
        entities += [
            Entity(name, "Organisation", aliases, kind)
            for name, (aliases, kind) in sorted(self.inferred.items())
            if name not in orgs
        ]
        places = sorted({m.text for m in all_mentions if self.labels.get(m.text) == "Place"})
        entities += [Entity(p, "Place", (), "country" if self.lex.country(p) else None) for p in places]
        for ev in events:
            if ev.place and ev.place not in places:
                entities.append(Entity(ev.place, "Place"))
                places.append(ev.place)
        counts: Counter[str] = Counter()
        for m in all_mentions:
            label = self.labels.get(m.text)
            if label == "Person" and m.text in self.people:
                counts[self.people[m.text]] += 1
            elif label == "Organisation" and m.text in self.org_names:
                counts[self.org_names[m.text]] += 1
            elif label == "Place":
                counts[m.text] += 1
        event_facts = [
            EventFact(
                name=ev.name,
                type=ev.type,
                participants=tuple(dict.fromkeys(p.name for p in ev.participants)),
                organisers=tuple(dict.fromkeys(p.name for p in ev.organisers)),
                place=ev.place,
                date=ev.date,
                roles=tuple(sorted(ev.roles.items())),
                evidence=evidence(self.article, ev.sent),
                rule=ev.rule,
                confidence=ev.confidence,
            )
            for ev in events
        ]
        return ArticleFacts(
            self.article, tuple(entities), tuple(roles), tuple(event_facts), tuple(sorted(counts.items()))
        )

    def _org_kind(self, name: str) -> str | None:
        for word in reversed(re.split(r"[\s\-]+", name.lower())):
            kind = self.lex.org_kinds.get(word.strip(".,"))
            if kind:
                return kind
        return None
