"""Proposals of role facts, each with every organisation it could be held in, as scorer candidates.

A `Proposal` is what a holder rule found: a person, a title mention, the
organisation the title rules attached (if any) and a status, with the rule id
of each choice. `propose` turns each into competing `Candidate`s: that
organisation, none, every body the sentence names, the bodies of the
paragraph, the same person's organisation for that title stated elsewhere,
and the article's main company for a company title. Features say where each
body stands and what kind it is; the scorer decides.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..model import Status
from ..text import POSSESSIVE
from .lexicon import Country, Lexicon
from .mentions import Mention
from .scorer import Candidate

#: Sectors of titles a country's government does not employ: "British journalist", "Syria expert".
NATIONALITY_SECTORS = frozenset({"media", "company", "club", "university", "profession", "association", "local"})
PREPOSITIONS = frozenset({"of", "at", "for", "with", "from", "in", "to", "by", "'s", "’s"})
#: The title of an affiliation stated without a post ("Franz Holler (SPD)"): it claims that the person
#: belongs to the body, not that they hold a post named so.
MEMBERSHIP = "member"


@dataclass
class Proposal:
    """A holder found for a title mention, before any organisation is decided."""

    person: Mention
    title: str
    org: Mention | str | None
    status: Status
    sent: Span
    rule: str  # the holder rule
    head: int  # token of the title's head word (or the verb, for "X heads Z")
    start: int  # first token of the title mention
    end: int  # token after it
    title_rule: str = "title:lexicon-head"
    org_rule: str = "org:none"
    status_rule: str = "status:default"
    link: frozenset[str] = frozenset()  # how a holder found by proximity is joined to the title
    #: Every feature also conjoined with the holder rule, so that a rule with many wrong proposals (a
    #: coreference guess) learns weights of its own instead of moving those of the others.
    own_features: bool = False


@dataclass
class Option:
    """One organisation a proposal could be held in, and why it was offered."""

    name: str | None
    features: set[str] = field(default_factory=set)
    rules: list[str] = field(default_factory=list)
    #: Tokens between the title and this body's nearest mention in the sentence, and on which side; None
    #: when the sentence does not name it.
    distance: int | None = None
    side: str | None = None
    mentions: int = 0  # how often the article names the body
    from_rule: bool = False  # the title rules attached this body


def bucket(n: int, edges: tuple[int, ...] = (0, 1, 2, 4, 8, 16)) -> str:
    """A count or distance as a coarse class, so a linear model can weigh it."""
    for edge in edges:
        if n <= edge:
            return str(edge)
    return f">{edges[-1]}"


def rank_of(value: int, values: list[int]) -> int:
    """How many of `values` are strictly below `value`: 0 for the least, ties share a rank."""
    return sum(1 for v in values if v < value)


def sibling_features(options: list[Option]) -> list[set[str]]:
    """Features of each option relative to the others of its group, which alone it cannot show: a body
    named in the sentence beats one of the paragraph only when no nearer one competes.

    "Norvale chairman Tomas Arden met Kestrel staff": Norvale is the nearest of two bodies in the sentence
    (`near-rank:0`), Kestrel the second (`near-rank:1`), and `none` sees that the sentence names a body.
    """
    near = [o.distance for o in options if o.distance is not None]
    counts = [-o.mentions for o in options if o.name is not None]
    any_rule = any(o.from_rule for o in options)
    out = []
    for o in options:
        here = o.distance is not None
        others_here = len(near) - here > 0
        feats = {
            f"sibling-in-sentence&here:{others_here}|{here}",
            f"sibling-from-rule&here:{any_rule}|{o.from_rule}",
            f"options:{bucket(len(options), (2, 3, 5, 8))}",
        }
        if o.distance is not None:
            rank = bucket(rank_of(o.distance, near), (0, 1, 2))
            feats |= {f"near-rank:{rank}", f"near-rank&side:{rank}|{o.side}"}
        if o.name is None:
            feats.add(f"none&in-sentence:{bool(near)}")
        else:
            feats.add(f"mention-rank:{bucket(rank_of(-o.mentions, counts), (0, 1, 2))}")
        out.append(feats)
    return out


def family(rule_id: str) -> str:
    """The family a unit's id names before a second colon ("org:before-title:country-name"): the scorer
    weighs the family, the chain names the unit."""
    return ":".join(rule_id.split(":")[:2])


def dep_distance(a: Token, b: Token) -> int:
    """Edges between two tokens of one parse tree; 99 when they are in different trees."""
    up_a = [a, *a.ancestors]
    depth = {t.i: k for k, t in enumerate(up_a)}
    for k, t in enumerate([b, *b.ancestors]):
        if t.i in depth:
            return depth[t.i] + k
    return 99


def paragraph_spans(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of the paragraphs: text between line breaks."""
    spans, start = [], 0
    for tok in doc:
        if "\n" in tok.text or "\n" in tok.whitespace_:
            if tok.i + 1 > start:
                spans.append((start, tok.i + 1))
            start = tok.i + 1
    if start < len(doc):
        spans.append((start, len(doc)))
    return spans


class CandidateBuilder:
    """Candidates of one article, given its resolved names (see `ArticleExtractor`)."""

    def __init__(
        self,
        doc: Doc,
        lex: Lexicon,
        mentions: list[Mention],
        org_of: Callable[[Mention], tuple[str, str] | None],
        sector_of: Callable[[str], str | None],
        kind_of: Callable[[str], str | None],
        main_company: str | None,
        people: dict[str, str],
        home: Country | None = None,
        ties: dict[str, dict[str, int]] | None = None,
    ) -> None:
        self.doc = doc
        self.home = home
        #: Per person, how many proposals' rules attach each body: "German Chancellor Lena Brandt" ties
        #: Brandt to the Government of Germany for every other title of hers.
        self.ties = ties or {}
        self.lex = lex
        self.org_of = org_of
        self.sector_of = sector_of
        self.kind_of = kind_of
        self.main_company = main_company
        self.bodies = sorted(
            ((m, named) for m in mentions if (named := org_of(m)) is not None), key=lambda x: x[0].start
        )
        self.starts = [m.start for m, _ in self.bodies]
        self.paragraphs = paragraph_spans(doc)
        self.counts: dict[str, int] = {}
        for _, (body, _src) in self.bodies:
            self.counts[body] = self.counts.get(body, 0) + 1
        ranked = sorted(self.counts, key=lambda n: -self.counts[n])
        self.rank = {name: k for k, name in enumerate(ranked)}
        # Sentences naming each person and each body: a body named beside the person elsewhere is theirs.
        self.sentences: dict[str, set[int]] = {}
        for m in mentions:
            name: str | None = people.get(m.text) if m.label == "Person" else None
            if name is None and (named := org_of(m)) is not None:
                name = named[0]
            if name is not None:
                self.sentences.setdefault(name, set()).add(doc[m.start].sent.start)

    def _bodies_in(self, start: int, end: int) -> Iterator[tuple[Mention, tuple[str, str]]]:
        for k in range(bisect_left(self.starts, start), len(self.bodies)):
            m, named = self.bodies[k]
            if m.start >= end:
                return
            yield m, named

    def _paragraph(self, sent: Span) -> tuple[int, int]:
        for start, end in self.paragraphs:
            if start <= sent.start < end:
                return start, max(end, sent.end)
        return sent.start, sent.end

    def options(self, p: Proposal, rule_org: str | None, known: set[str]) -> list[Option]:
        """Every organisation the proposal could be held in, with the features of its position."""
        by_name: dict[str | None, Option] = {None: Option(None, {"org:none"})}

        def offer(name: str | None, rule: str, *features: str) -> Option:
            opt = by_name.setdefault(name, Option(name))
            opt.features.add(family(rule))
            opt.features.update(features)
            if rule not in opt.rules:
                opt.rules.append(rule)
            return opt

        if rule_org is not None:
            offer(rule_org, p.org_rule, "org:from-rule").from_rule = True
        head = self.doc[p.head]
        sent = p.sent
        person = p.person
        in_sentence = 0
        for m, (name, source) in self._bodies_in(sent.start, sent.end):
            if m.start < person.end and m.end > person.start:
                continue  # the holder's own name
            in_sentence += 1
            if m.end <= p.start:
                gap, side = p.start - m.end, "before"
            elif m.start >= p.end:
                gap, side = m.start - p.end, "after"
            else:
                gap, side = 0, "inside"
            prev = self.doc[m.start - 1].lower_ if m.start > sent.start else "^"
            nxt = self.doc[m.end].lower_ if m.end < sent.end else "$"
            root = self.doc[m.start : m.end].root
            opt = offer(
                name,
                "org:same-sentence",
                f"side&gap:{side}|{bucket(gap)}",
                f"prev&kind:{prev if prev in PREPOSITIONS else 'other'}|{self.kind_of(name)}",
                f"side:{side}",
                f"gap:{bucket(gap)}",
                f"dep:{bucket(dep_distance(head, root))}",
                f"prev:{prev if prev in PREPOSITIONS else 'other'}",
                f"next-poss:{nxt in POSSESSIVE}",
                f"source:{source}",
                f"holder-side:{'before' if m.start < person.start else 'after'}",
            )
            if opt.distance is None or gap < opt.distance:
                opt.distance, opt.side = gap, side
        para = self._paragraph(sent)
        for m, (name, source) in self._bodies_in(para[0], para[1]):
            if sent.start <= m.start < sent.end or name in by_name:
                continue
            offer(
                name,
                "org:same-paragraph",
                f"source:{source}",
                f"para-side:{'before' if m.start < sent.start else 'after'}",
            )
        for name in sorted(known):
            offer(name, "org:stated-elsewhere")
        for name, count in self.counts.items():
            if name not in by_name:
                offer(name, "org:in-article", f"article-mentions:{bucket(count, (1, 2, 4, 8))}")
        sector = self.sector_of(p.title)
        if self.main_company and sector in {"company", "club"}:
            offer(self.main_company, "org:main-company")
        if (house := self.lex.houses.get(head.lower_)) is not None:
            # "Labour MP Jane Doyle": a member's title names its house; whether the house is the one of
            # the article's country is for the scorer to weigh.
            home = "none" if self.home is None or not house[1] else str(self.lex.country(house[1]) == self.home)
            offer(house[0], "org:house-of-title", f"house-home:{home}")
        options = list(by_name.values())
        for opt in options:
            opt.features.add(f"n-in-sentence:{bucket(in_sentence)}")
            opt.mentions = self.counts.get(opt.name, 0) if opt.name is not None else 0
        for opt, feats in zip(options, sibling_features(options), strict=True):
            opt.features |= feats
        return options

    def candidates(
        self, group: int, p: Proposal, pname: str, rule_org: str | None, known: set[str], repeats: int = 0
    ) -> list[Candidate]:
        """The proposal's candidates; `repeats`: how many other proposals give this person this title, which
        makes a title found by proximity or coreference likelier theirs."""
        sector = self.sector_of(p.title) or "none"
        words = p.title.lower().split()
        base = {
            f"holder:{p.rule}",
            p.title_rule,
            p.status_rule,
            f"status:{p.status.value}",
            f"sector:{sector}",
            f"head:{self.doc[p.head].lower_}",
            f"title-words:{bucket(len(words), (1, 2, 3))}",
            f"title-cap:{p.title[:1].isupper()}",
            f"holder-words:{bucket(len(pname.split()), (1, 2))}",
            *p.link,
            f"title-repeats&holder:{bucket(repeats, (0, 1))}|{p.rule}",
        }
        out = []
        for opt in self.options(p, rule_org, known):
            kind = self.kind_of(opt.name) if opt.name else "none"
            conj = {f"kind:{kind}", f"kind&sector:{kind}|{sector}", f"sector&none:{sector}|{opt.name is None}"}
            if rule_org is not None and opt.name != rule_org:
                # "the party's shadow business secretary": the title's own words name another body
                conj.add(f"words-name-another&kind:{kind}")
            if opt.name is not None and opt.name.startswith("Government of ") and sector in NATIONALITY_SECTORS:
                conj.add("nationality-only")
            if opt.name is not None and opt.name.startswith("Government of ") and self.home is not None:
                # "Chancellor X" in a British story is likelier British than of a country named in passing
                conj.add(f"gov-home&sector:{opt.name == self.home.government}|{sector}")
            if opt.name is not None and self.counts.get(opt.name, 0):
                conj.add(f"org-mentions:{bucket(self.counts[opt.name], (1, 2, 4))}")
                conj.add(f"org-rank:{bucket(self.rank[opt.name], (0, 1, 3))}")
            conj |= self._tie_features(pname, rule_org, opt.name, kind)
            if opt.name is not None:
                together = self.sentences.get(opt.name, set()) & self.sentences.get(pname, set())
                conj.add(f"beside-person:{bucket(len(together), (0, 1, 2))}")
                conj.add(f"beside-person&kind:{bucket(len(together), (0, 1, 2))}|{kind}")
            for f in list(opt.features):
                if f.startswith("org:"):
                    conj.add(f"{f}&sector:{sector}")
                    conj.add(f"{f}&holder:{p.rule}")
            rules = (f"holder:{p.rule}", p.title_rule, *(opt.rules or ["org:none"]), p.status_rule)
            features = base | opt.features | conj
            if p.own_features:
                features |= {f"{p.rule}|{f}" for f in features}
            out.append(Candidate(group, pname, p.title, opt.name, p.status, p.sent, rules, frozenset(features)))
        return out

    def _tie_features(self, pname: str, own: str | None, name: str | None, kind: str | None) -> set[str]:
        """Whether the rules tie the holder to this body, or to another, through another title: "Chancellor
        Brown" is not of the Germany the article names when he is "British Chancellor" elsewhere. `own`: the
        body this proposal itself counted in the ties."""
        tied = dict(self.ties.get(pname, {}))
        if own is not None and tied.get(own, 0) > 0:
            tied[own] -= 1
        others = {n for n, k in tied.items() if k > 0}
        govs = {n for n in others if n.startswith("Government of ")}
        out = {f"holder-tied&here:{bool(others - {name})}|{name in others}"}
        if name is not None and name.startswith("Government of "):
            out.add(f"holder-gov-tied&here:{bool(govs - {name})}|{name in govs}")
        if name is not None and kind is not None:
            out.add(f"holder-tied&kind:{name in others}|{kind}")
        return out
