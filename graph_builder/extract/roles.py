"""Role facts: a person, the title they hold, the organisation it is in, and whether they hold it now.

A title phrase grows around a head word from the lexicon ("minister",
"chief executive", "striker"): modifiers to its left ("Defence", "aviation",
"shadow"), complements to its right ("for Digital Affairs", "to Japan",
"(West)"). What stands just outside the phrase says who holds it and where:

    parenthetical  Henrik Saar (chief executive, Baltic Ports Authority)
    pre-modifier   Tarnland's former Defence Minister Ivo Brandt
                   Norvale chairman Tom Reed | aviation analyst Ann Pike of Kestrel Bank
    appositive     Lena Marsh, Vantor's chief executive | X, the Y of Z
    copula/verb    X is the Y of Z | X was appointed/named/elected Y of Z
    head verb      X, who heads Z

Each pattern is a rule unit (`RuleUnit`): a method registered with an id, the
words it reads and an example sentence (its docstring), a few token
comparisons around the head, so the layer stays linear in the text. Units of
one kind are tried in order and the first that applies decides: the holder
units (`HOLDER_RULES`, the fact's `holder:<id>`), the left-modifier units that
read the words before a title (`LEFT_RULES`, `org:before-title:<id>`) and the
complement units that read what follows it (`COMPLEMENT_RULES`, `org:<id>`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from spacy.tokens import Doc, Span, Token

from ..model import Status
from ..text import HONORIFICS, POSSESSIVE
from .lexicon import Lexicon
from .mentions import ACRONYM, SPEECH_VERBS, Mention, Mentions, clean_span, is_name_token

APPOINT_VERBS = frozenset(
    [
        "appoint",
        "appointed",
        "appoints",
        "named",
        "name",
        "names",
        "elected",
        "elect",
        "elects",
        "promoted",
        "made",
        "chosen",
        "nominated",
        "installed",
        "hired",
        "sworn",
        "become",
        "became",
        "becomes",
    ]
)
#: Forms of the verbs that join a holder to a title ("X is / remains / became the chairman"); the
#: pipeline runs without a lemmatizer, so the forms are listed.
COPULAS = frozenset(
    {"be", "is", "are", "was", "were", "been", "being", "'s", "’s", "remain", "remains", "remained", "remaining"}
    | {"become", "becomes", "became", "becoming", "stay", "stays", "stayed", "serve", "serves", "served"}
)
#: Verbs that join a holder to a title through "as" ("X resigned as Labour leader", "Y works as an adviser"),
#: besides the appointing verbs and copulas; those that end a post make it a former one.
AS_VERBS = frozenset({"works", "worked", "joined", "joins", "returned", "returns", "continues", "continued"})
#: Verbs by which one person takes over another's post "as" a title ("X will succeed Y as president"): the
#: subject holds it, the object held it before.
SUCCESSION_VERBS = frozenset(
    {"succeed", "succeeds", "succeeded", "succeeding", "replace", "replaces", "replaced", "replacing"}
)
#: Spaced dashes that set off an appositive title as a comma does: "Tom Reed - Norvale's chairman - said".
DASHES = frozenset({"-", "–", "—"})
#: Words before "as" that make it no title's adjunct: "such as", "as well as", "so as to".
NOT_ADJUNCT_AS = frozenset({"such", "well", "so", "just", "same"})
LEAVING_VERBS = frozenset(
    {"resigned", "resigns", "quit", "quits", "retired", "retires", "stepped", "steps", "sacked", "ousted", "fired"}
)
#: Kinds of body a word after a name makes a body of its own: "EU parliament" (but "VW board" is VW's).
PUBLIC_BODY_KINDS = frozenset({"government", "parliament", "court"})
LEFT_MODIFIER_POS = frozenset({"NOUN", "PROPN", "ADJ"})
STOP_MODIFIERS = frozenset({"who", "which", "that", "its", "his", "her", "their", "our", "my", "the", "a", "an"})
#: Entity types of a word that ends a title on its left: "Japanese minister", "2004 chairman".
STOP_ENTITY_TYPES = frozenset({"NORP", "GPE", "DATE", "CARDINAL", "MONEY", "PERCENT"})
FIRM_WORDS = frozenset(
    [
        "firm",
        "company",
        "group",
        "airline",
        "carrier",
        "bank",
        "club",
        "party",
        "government",
        "ministry",
        "side",
        "team",
    ]
)


@dataclass(frozen=True)
class Slot:
    """Where a complement starts: its first word ("of"), the token after it, the token after any "the"
    (`k`), and the mention starting there."""

    word: str
    after: int
    k: int
    ment: Mention | None


F = TypeVar("F", bound=Callable[..., object])


@dataclass(frozen=True)
class RuleUnit(Generic[F]):
    """A pattern with the id a fact's chain names it by, the words it reads (for a complement unit, the
    words it follows), and (its docstring) an example sentence."""

    id: str
    words: frozenset[str]
    example: str
    apply: F


def rule_unit(registry: list[RuleUnit[F]], rule_id: str, *words: str) -> Callable[[F], F]:
    """Register a unit under `rule_id` at the end of `registry`: units are tried in the order written."""

    def register(fn: F) -> F:
        if any(u.id == rule_id for u in registry):
            raise ValueError(f"rule {rule_id} registered twice")
        registry.append(RuleUnit(rule_id, frozenset(words), " ".join((fn.__doc__ or "").split()), fn))
        return fn

    return register


ComplementFn = Callable[["RoleFinder", "Title", Span, Slot], bool]
HolderFn = Callable[["RoleFinder", "Title", Span], "Mention | None"]
LeftFn = Callable[["RoleFinder", "Title", "Left"], bool]

#: The complement units in the order they are tried; the first that applies decides.
COMPLEMENT_RULES: list[RuleUnit[ComplementFn]] = []
#: The holder units in the order they are tried; the first that finds a person holds the title.
HOLDER_RULES: list[RuleUnit[HolderFn]] = []
#: The left-modifier units (what stands just before a title names its body), tried in order.
LEFT_RULES: list[RuleUnit[LeftFn]] = []


def complement_rule(rule_id: str, *words: str) -> Callable[[ComplementFn], ComplementFn]:
    """Register a complement unit under `rule_id`, tried after any of `words`."""
    return rule_unit(COMPLEMENT_RULES, rule_id, *words)


def holder_rule(rule_id: str) -> Callable[[HolderFn], HolderFn]:
    """Register a holder unit under `rule_id`; its id is the fact's `rule` and leads its chain."""
    return rule_unit(HOLDER_RULES, rule_id)


def left_rule(rule_id: str, *words: str) -> Callable[[LeftFn], LeftFn]:
    """Register a left-modifier unit under `rule_id`; `words` says what it reads ("title": the title's
    own first word, "before": the word before it, which must be in the sentence)."""
    return rule_unit(LEFT_RULES, rule_id, *words)


@dataclass(frozen=True)
class Left:
    """What stands before a title: the last word before it past any article (`j`, past a possessive
    too, `possessive` saying so), the mention ending there (`named`; `ment` only inside the sentence),
    and the sentence."""

    j: int
    possessive: bool
    named: Mention | None
    ment: Mention | None
    sent: Span


@dataclass
class Title:
    start: int
    end: int  # exclusive
    head: int
    status: Status
    org: Mention | None = None
    org_name: str | None = None  # set when the organisation is inferred (a government)
    org_rule: str = "org:none"  # the rule id that chose `org` or `org_name`
    status_rule: str = "status:default"

    def text(self, doc: Doc) -> str:
        return " ".join(doc[self.start : self.end].text.split())


class RoleFinder:
    def __init__(self, doc: Doc, mentions: Mentions, lex: Lexicon) -> None:
        self.doc = doc
        self.m = mentions
        self.lex = lex
        # "Norvale chairman" after "Norvale Energy": the short form of a body the article names in full.
        firsts: dict[str, set[str]] = {}
        for m in mentions.all():
            if m.label == "Organisation" and " " in m.text:
                words = m.text.split()
                firsts.setdefault(words[0], set()).add(m.text)
                if not lex.org_kinds.get(words[-1].lower()):  # "United" for "Dundee United", not "Bank"
                    firsts.setdefault(words[-1], set()).add(m.text)
        self.short_orgs = {
            w: names.pop()
            for w, names in firsts.items()
            if len(names) == 1
            and w.lower() not in lex.portfolios
            and w.lower() not in lex.titles
            and not lex.country(w)
        }
        # "Wolves keeper Tom Reed", where the article elsewhere names "Wolves" as a body: a one-word name
        self.one_word_bodies = {
            m.text for m in mentions.all() if m.label == "Organisation" and " " not in m.text and m.text[:1].isupper()
        }

    # -- title phrases -------------------------------------------------------------------------
    def is_head(self, i: int) -> bool:
        tok = self.doc[i]
        if tok.lower_ not in self.lex.titles:
            return False
        if tok.pos_ not in {"NOUN", "PROPN"} and not self._position_before_name(tok):
            return False
        ment = self.m.at(i)
        return ment is None or ment.label not in {"Person", "Organisation"} or self._portfolio_org(ment)

    def _position_before_name(self, tok: Token) -> bool:
        """A playing position the tagger took for a verb ("Spain midfielder Andres Iniesta"), or the last
        word of a two-word title it took for an adjective ("including chief executive Joachim Harbeck"):
        right before a name it is a title."""
        nxt = tok.i + 1
        if nxt >= len(self.doc) or not (self.doc[nxt].pos_ == "PROPN" and self.doc[nxt].is_title):
            return False
        if self.lex.titles.get(tok.lower_) == "club" and tok.lower_ not in {"coach", "captain"}:
            return True
        return tok.i > 0 and f"{self.doc[tok.i - 1].lower_} {tok.lower_}" in self.lex.titles

    def _portfolio_org(self, ment: Mention) -> bool:
        """An ORG mention that is really part of a title ("Defence" in "Defence Minister")."""
        words = [self.doc[j].lower_ for j in range(ment.start, ment.end)]
        return all(w in self.lex.portfolios or w in self.lex.titles or w in {"and", "&", ",", "of"} for w in words)

    def title_at(self, head: int, sent: Span) -> Title | None:
        """The title phrase around a head word: its modifiers to the left, its qualifiers and complements to
        the right, and the body the words before it name; None when the head belongs to a later one."""
        if self._belongs_to_next_head(head, sent):
            return None
        start, j, status, status_rule = self._left_edge(head, sent)
        end, status, status_rule = self._right_edge(head, sent, status, status_rule)
        title = Title(start, end, head, status, status_rule=status_rule)
        self._complements(title, sent)
        last = self.doc[title.end - 1].lower_
        if title.end > end and last in {"elect", "designate"}:
            title.status, title.status_rule = Status.FUTURE, f"status:qualifier-{last}"
        self._left_org(title, j, sent)
        return title

    def _belongs_to_next_head(self, head: int, sent: Span) -> bool:
        """ "chief executive", "Deputy Prime Minister": a head followed by another head word is that one's."""
        doc = self.doc
        k = head + 1
        while k < sent.end and k - head <= 3 and doc[k].is_title == doc[head].is_title and not doc[k].is_punct:
            if self.is_head(k):
                return True
            if not (doc[k].lower_ in self.lex.portfolios or (doc[k].is_title and self.m.at(k) is None)):
                return False
            k += 1
        return False

    def _left_edge(self, head: int, sent: Span) -> tuple[int, int, Status, str]:
        """ "former Social Affairs minister": where the title starts, the last word before it the modifiers
        left (`j`), and the status a qualifier among them states."""
        doc, lex = self.doc, self.lex
        start, status, status_rule = head, Status.CURRENT, "status:default"
        j = head - 1
        while j >= sent.start and head - j <= 5:
            low = doc[j].lower_
            if low in lex.qualifiers and status == Status.CURRENT:
                status, status_rule = Status(lex.qualifiers[low]), f"status:qualifier-{low}"
            if (past := self._past_qualifier(j, sent)) != j:
                j = past
                continue
            ment = self.m.at(j)
            if ment is not None and ment.label == "Organisation" and self._split_portfolio(ment, j, head):
                continue  # "EU Energy Commissioner": the body, then the portfolio
            if not self._modifier(j, head, ment):
                break
            start = j
            j -= 1
        if start == head and j >= sent.start and doc[j].text == "-" and doc[j - 1].lower_ == "co":
            start = j - 1
        return start, j, status, status_rule

    def _past_qualifier(self, j: int, sent: Span) -> int:
        """ "ex-chairman", "former - minister": the word before a qualifier at `j` (and its hyphen), or before
        a hyphen that follows one; `j` itself when it is neither."""
        doc, qualifiers = self.doc, self.lex.qualifiers
        if doc[j].lower_ in qualifiers:
            return j - 2 if j - 1 >= sent.start and doc[j - 1].text == "-" else j - 1
        if doc[j].text == "-" and j - 1 >= sent.start and doc[j - 1].lower_ in qualifiers:
            return j - 1
        return j

    def _modifier(self, j: int, head: int, ment: Mention | None) -> bool:
        """ "Social Affairs minister", "aviation analyst": a word that extends the title to its left."""
        doc, tok = self.doc, self.doc[j]
        low = tok.lower_
        if self._stops_title(tok, ment):
            return False
        if tok.tag_ == "NNS" and low not in self.lex.portfolios:
            return False  # "BPA names ex-Norvale finance chief": a headline verb, not a modifier
        joins_portfolios = low in {"and", "&"} and tok.i + 1 <= head and doc[j + 1].is_title and doc[j - 1].is_title
        if not (tok.pos_ in LEFT_MODIFIER_POS or tok.text == "-" or low in self.lex.portfolios or joins_portfolios):
            return False
        return not (tok.is_sent_start and not tok.is_title)

    def _stops_title(self, tok: Token, ment: Mention | None) -> bool:
        """ "Dundee United manager", "ICTY prosecutor", "the minister": a word that names something else, or
        an article or pronoun, ends the title on its left."""
        lex, low = self.lex, tok.lower_
        if ment is not None and ment.label != "Event" and not self._portfolio_org(ment):
            return True
        if low in STOP_MODIFIERS or tok.ent_type_ in STOP_ENTITY_TYPES:
            return True
        own = low in lex.portfolios or low in lex.titles
        if ACRONYM.match(tok.text) and not own:
            return True  # "ICTY prosecutor": a body's acronym, not a modifier
        if tok.pos_ == "PROPN" and tok.is_title and not own:
            return True  # "Dundee United manager", "Telegraph journalist": a name, not part of the title
        if tok.is_title and tok.text in self.one_word_bodies and not own:
            return True  # "Wolves keeper", the NER having missed the body the article names elsewhere
        return lex.country(tok.text) is not None or self.party_at(tok.i) is not None or tok.text in self.short_orgs

    def _right_edge(self, head: int, sent: Span, status: Status, status_rule: str) -> tuple[int, Status, str]:
        """ "secretary-general", "president-elect", "minister designate": where the title ends, with the status
        a qualifier fused on the right states (else the one given)."""
        doc, lex = self.doc, self.lex
        end = head + 1
        if end + 1 < sent.end and doc[end].text == "-" and f"{doc[head].lower_}-{doc[end + 1].lower_}" in lex.titles:
            end += 2  # "secretary-general": a hyphenated title of the lexicon
        if end + 1 < sent.end and doc[end].text == "-" and doc[end + 1].lower_ in lex.qualifiers:
            word = doc[end + 1].lower_
            return end + 2, Status(lex.qualifiers[word]), f"status:qualifier-{word}"
        if end < sent.end and doc[end].lower_ in {"elect", "designate"}:
            return end + 1, Status.FUTURE, f"status:qualifier-{doc[end].lower_}"
        return end, status, status_rule

    def _split_portfolio(self, ment: Mention, j: int, head: int) -> bool:
        """Cut the portfolio words off the end of a body's name that ends at j before a government title:
        "EU" + "Energy Commissioner" (but "Norvale Energy chairman" is a company's)."""
        if ment.end != j + 1 or self.lex.titles.get(self.doc[head].lower_) != "government":
            return False
        k = ment.end
        while k > ment.start and self.doc[k - 1].lower_ in self.lex.portfolios:
            k -= 1
        start, end = clean_span(self.doc, ment.start, k)
        if end <= start or k == ment.end:
            return False  # "The Energy Minister": nothing but an article before the portfolio
        self.m.force(start, end, "Organisation")
        self.short_orgs = {w: name for w, name in self.short_orgs.items() if name != ment.text}
        return True

    def _complements(self, t: Title, sent: Span) -> None:
        """What follows the title phrase: a bracket, then the first complement rule unit that applies."""
        doc = self.doc
        i = t.end
        if i < sent.end and doc[i].text == "(":
            close = next((k for k in range(i + 1, min(i + 6, sent.end)) if doc[k].text == ")"), None)
            if close is not None:
                t.end = i = close + 1
        if i + 1 >= sent.end:
            return
        word = doc[i].lower_
        k = i + 1
        if word in {"of", "at", "with"}:
            k += 1 if doc[k].lower_ == "the" else 0
            if k >= sent.end:
                return  # "chairman of the" at the end of a truncated text
        slot = Slot(word, i + 1, k, self.m.starting(k))
        for unit in COMPLEMENT_RULES:
            if word in unit.words and unit.apply(self, t, sent, slot):
                if t.org is not None or t.org_name is not None:
                    t.org_rule = t.org_rule if t.org_rule != "org:none" else f"org:{unit.id}"
                return

    # -- complement rule units: each is tried in order on what follows a title; the first that applies
    # -- decides, and its id joins the fact's chain as `org:<id>` when it names the organisation.
    @complement_rule("next-title", "and")
    def _next_title(self, t: Title, sent: Span, s: Slot) -> bool:
        """President and chief executive of Kestrel Optics: the body of the second title is the first's too
        (but an activist or an expert is one on their own)."""
        if self.lex.titles.get(self.doc[t.head].lower_) == "profession":
            return True
        for k in range(s.after, min(s.after + 4, sent.end)):
            second = self.title_at(k, sent) if self.is_head(k) else None
            if second is not None:
                t.org, t.org_name = second.org, second.org_name
                return True
        return True

    @complement_rule("of-place-based-body", "of", "at", "with")
    def _place_based_body(self, t: Title, sent: Span, s: Slot) -> bool:
        """Research director at the Larkport-based policy institute Kestrel Forum: where the body is based is no body;
        the body is named after it."""
        doc = self.doc
        k = j = self.past_based(s.k, sent)
        if k == s.k:
            return False
        while j < sent.end and j - k < 4 and doc[j].is_lower and doc[j].pos_ in {"NOUN", "ADJ"}:
            if doc[j].lower_ in self.lex.titles or doc[j].lower_ in self.lex.occupations:
                return False  # "the Larkport-based lawyer Tomas Arden", "singer": a person's description
            j += 1  # "the Larkport-based policy institute X"
        body = self.m.starting(j)
        run = (body.start, body.end) if body is not None else self.m.name_run(j)
        if run is None or (body is not None and self.m.country(body) is not None):
            return False
        t.org = self.m.force(run[0], run[1], "Organisation")
        return True

    def past_based(self, k: int, sent: Span) -> int:
        """The token after "Larkport-based" when a name and "-based" start at k, else k."""
        doc = self.doc
        j = k
        while j < sent.end and j - k < 3 and is_name_token(doc[j]):
            j += 1
        if j == k or j + 2 >= sent.end or doc[j].text != "-" or doc[j + 1].lower_ != "based":
            return k
        return j + 2

    @complement_rule("of-country-descriptor-name", "of", "at", "with")
    def _country_descriptor_name(self, t: Title, sent: Span, s: Slot) -> bool:
        """Sports editor of UK journal Pixel Weekly: the body is the name after the descriptor."""
        doc, ment = self.doc, s.ment
        if ment is None or not self.m.country(ment) or ment.end + 1 >= sent.end or not doc[ment.end].is_lower:
            return False
        run = self.m.name_run(ment.end + 1)
        if doc[ment.end].pos_ != "NOUN" or run is None:
            return False
        t.org = self.m.force(run[0], run[1], "Organisation")
        return True

    @complement_rule("of-place-possessive", "of", "at", "with")
    def _place_possessive(self, t: Title, sent: Span, s: Slot) -> bool:
        """President of Ghana's Green Party, director of Prague's Kestrel Museum: the body after."""
        ment = s.ment
        if not (
            ment is not None
            and ment.label in {"Place", "Norp"}
            and ment.end + 1 < sent.end
            and self.doc[ment.end].text in POSSESSIVE
        ):
            return False
        body = self.m.starting(ment.end + 1)
        run = (body.start, body.end) if body is not None else self.m.name_run(ment.end + 1)
        if run is None or (body is not None and body.label not in {"Organisation", "Place", "Norp"}):
            return False
        t.org = self.m.force(run[0], run[1], "Organisation")
        return True

    @complement_rule("of-portfolio-then-holder", "of", "at", "with")
    def _portfolio_then_holder(self, t: Title, sent: Span, s: Slot) -> bool:
        """Secretary of State Daniel Brayza, which the NER reads as "State Daniel Brayza": portfolio, then
        holder."""
        ment, k = s.ment, s.k
        if not (
            ment is not None
            and ment.label == "Organisation"
            and ment.end - ment.start > 2
            and self._is_portfolio(k)
            and self.m.personal_shape(Mention(k + 1, ment.end, "Organisation", ""))
        ):
            return False
        t.end = k + 1
        self.m.force(k + 1, ment.end, "Person")
        return True

    @complement_rule("of-place-described-body", "of", "at", "with")
    def _place_described_body(self, t: Title, sent: Span, s: Slot) -> bool:
        """Sports editor of the Athens newspaper Nea Ora: a city in the descriptor, then the body."""
        ment, doc = s.ment, self.doc
        if not (
            ment is not None
            and ment.label == "Place"
            and ment.end < sent.end
            and doc[ment.end].is_lower
            and doc[ment.end].pos_ == "NOUN"
            and (body := self.described_body(s.k, sent)) is not None
        ):
            return False
        t.org = body
        return True

    @complement_rule("of-named-body", "of", "at", "with")
    def _named_body(self, t: Title, sent: Span, s: Slot) -> bool:
        """Chief executive of Kestrel Securities: a named body; of two ("director of the American Institute
        at the University") the first, unless a field comes first ("professor of Physics at Tarn
        University")."""
        ment, doc = s.ment, self.doc
        if ment is None or ment.label not in {"Organisation", "Place"} or self._portfolio_org(ment):
            return False
        kind = any(self.lex.org_kinds.get(doc[k].lower_) for k in range(ment.start, ment.end))
        if kind or not (s.word == "of" and self._field_then_body(t, ment.end, sent)):
            t.org = ment
        return True

    @complement_rule("of-name-run", "of", "at", "with")
    def _name_run(self, t: Title, sent: Span, s: Slot) -> bool:
        """Chairman of Harbour City FC, managing director of Douglas-Westwood: capitalised words the NER
        left untagged (or took for a person's) name the body."""
        ment, k, doc = s.ment, s.k, self.doc
        run = self.m.name_run(k)
        if ment is not None and ment.label == "Person" and self.lex.titles.get(doc[t.head].lower_):
            run, ment = (ment.start, ment.end), None
        if not (
            s.word in {"of", "at"}
            and run is not None
            and (ment is None or ment.label != "Person")
            and self.lex.country(doc[k].text) is None
            and not self._is_portfolio(k)
        ):
            return False
        if not (s.word == "of" and self._field_then_body(t, run[1], sent)):
            t.org = self.m.force(run[0], run[1], "Organisation")
        return True

    @complement_rule("of-described-body", "of", "at", "with")
    def _described_body(self, t: Title, sent: Span, s: Slot) -> bool:
        """Leader of the opposition Green Party, journalist at the local daily Kestrel Gazette."""
        if not self.doc[s.k].is_lower or (body := self.described_body(s.k, sent)) is None:
            return False
        t.org = body
        return True

    @complement_rule("of-field", "of", "at", "with")
    def _field(self, t: Title, sent: Span, s: Slot) -> bool:
        """Director of bond trading at Kestrel Bank, managing director of energy consultants Hale-Westby:
        the field joins the title, and the body follows it."""
        doc, nxt = self.doc, s.after
        if s.word != "of" or not (doc[nxt].is_lower or self._is_portfolio(nxt)):
            return True
        if self._noun_run(nxt, sent) == nxt:
            return True  # "director of the ...": no field follows, so nothing joins the title
        t.end = self._noun_run(nxt, sent)
        if t.end < sent.end and doc[t.end].lower_ == "for":
            t.end = self._for_run(t.end + 1, sent)
        if t.end + 1 < sent.end and doc[t.end].lower_ in {"at", "of"}:
            self._complements(t, sent)
        elif (
            doc[t.end - 1].is_lower
            and doc[t.end - 1].pos_ == "NOUN"
            and (run := self.m.name_run(t.end)) is not None
            and self._names_body(*run, described=True)
            and not self._holder_not_body(nxt, t.end)
        ):
            t.org = self.m.force(*run, "Organisation")
        return True

    @complement_rule("on-topic-then-body", "on")
    def _topic_then_body(self, t: Title, sent: Span, s: Slot) -> bool:
        """An expert on Japan-Korea trade at Osaka's Kestrel University: the topic, then the body."""
        doc, nxt = self.doc, s.after
        k = nxt
        while k < sent.end and k - nxt < 6 and (doc[k].pos_ in {"NOUN", "ADJ", "PROPN"} or doc[k].text == "-"):
            k += 1
        if k > nxt and k + 1 < sent.end and doc[k].lower_ in {"at", "of"}:
            end = t.end
            t.end = k
            self._complements(t, sent)
            t.end = end
        return True

    @complement_rule("for-portfolio", "for", "to")
    def _portfolio_after(self, t: Title, sent: Span, s: Slot) -> bool:
        """Minister for Digital Affairs, ambassador to Japan: the portfolio or the posting joins the
        title (a "to" only after an envoy's title)."""
        if s.word == "to" and self.doc[t.head].lower_ not in {"ambassador", "envoy", "adviser", "advisor"}:
            return True
        t.end = self._for_run(s.after, sent)
        return True

    @complement_rule("bracketed-body", ",")
    def _bracketed_body(self, t: Title, sent: Span, s: Slot) -> bool:
        """Speakers included Henrik Saar (chief executive, Baltic Ports Authority): in brackets, the body
        named after the title's comma, up to the closing bracket."""
        ment = s.ment
        if self.bracket_before(t, sent) is None or (ment is not None and ment.label != "Organisation"):
            return False
        run = (ment.start, ment.end) if ment is not None else self.m.name_run(s.k)
        if run is None or run[1] >= sent.end or self.doc[run[1]].text != ")" or self.lex.country(self.doc[s.k].text):
            return False
        t.org = ment if ment is not None else self.m.force(run[0], run[1], "Organisation")
        return True

    def _field_then_body(self, t: Title, end: int, sent: Span) -> bool:
        """ "professor of Maritime Law at Northgate University": the field joins the title
        and the body is the one after "at"."""
        if end + 1 >= sent.end or self.doc[end].lower_ != "at":
            return False
        before = t.end
        t.end = end
        self._complements(t, sent)
        if t.org is None:
            t.end = before
        return t.org is not None

    def _is_portfolio(self, i: int) -> bool:
        return self.doc[i].lower_ in self.lex.portfolios

    def kind_word_at(self, i: int, sent: Span) -> bool:
        """Whether a lower-case word saying what kind of body the name before it is stands at i: "union"."""
        return i < sent.end and self.doc[i].is_lower and bool(self.lex.org_kinds.get(self.doc[i].lower_))

    def described_body(self, i: int, sent: Span) -> Mention | None:
        """The body named after a lowercase descriptor starting at i: "the trade-critical network
        Fairlink", "the regional English-language weekly Kestrel Gazette", "the centrist Tarnland People's Party"."""
        doc = self.doc
        j = i
        while j < sent.end and j - i < 6:
            tok = doc[j]
            ment = self.m.at(j)
            if ment is not None and ment.label == "Organisation" and j > i:
                if self.m.country(ment) is not None or self._portfolio_org(ment):
                    return None
                # "director of television Jana Pellow": a field, then the holder the NER took for a body
                return ment if self._described(i, j) or not self._looks_personal(ment) else None
            if ment is not None and ment.label == "Place" and self.m.country(ment) is None:
                if self.kind_word_at(ment.end, sent):
                    return self.m.force(ment.start, ment.end, "Organisation")  # "the Milla group"
                j = ment.end  # "the Athens newspaper Nea Ora": a city in the descriptor
                continue
            if (tok.is_lower and (tok.pos_ in {"ADJ", "NOUN", "ADV"} or tok.tag_ in {"VBN", "VBG"})) or (
                tok.text == "-" and j > i
            ):
                j += 1
            elif ment is not None and ment.label == "Norp" and j > i and ment.text.lower() in self.lex.parties:
                return self.m.force(ment.start, ment.end, "Organisation")  # "the center-left Social Democrats"
            elif tok.ent_type_ in {"NORP", "LANGUAGE"} and (ment is None or ment.label == "Norp"):
                j = ment.end if ment is not None else j + 1
            else:
                break
        while j < sent.end and doc[j].is_quote:
            j += 1  # 'the Athens newspaper "Nea Ora"'
        if j == i or j >= sent.end:
            return None
        body = self.m.name_run(j)
        if body is None or not self._names_body(*body, described=True):
            return None
        if self._holder_not_body(i, j):
            return None
        return self.m.force(body[0], self.m.extend_name(body[1]), "Organisation")  # "... Green Party of Rwanda"

    def _holder_not_body(self, start: int, name: int) -> bool:
        """ "director of television Jana Pellow said": a person's name that does what the sentence says,
        after words that describe no body, is the holder of the title, not its organisation."""
        held = self.m.at(name)
        if held is None or held.label != "Person" or self._described(start, name):
            return False
        return self.doc[held.start : held.end].root.dep_ in {"nsubj", "nsubjpass"}

    def _described(self, start: int, end: int) -> bool:
        """Whether the words start..end hold a noun saying the name after them is a body's: "newspaper"."""
        words = [self.doc[k].lower_ for k in range(start, end)]
        return any(w in self.lex.descriptors or self.lex.org_kinds.get(w) for w in words)

    def _noun_run(self, i: int, sent: Span) -> int:
        doc = self.doc
        while i < sent.end and (
            (doc[i].pos_ in {"NOUN", "ADJ", "PROPN"} and ((m := self.m.at(i)) is None or self._portfolio_org(m)))
            or doc[i].lower_ in {"and"}
            or (doc[i].text == "-" and i + 1 < sent.end and doc[i + 1].is_lower and not doc[i - 1].whitespace_)
            or (doc[i].is_lower and doc[i - 1].text == "-")  # "ship-building"
        ):
            i += 1
        return i

    def _for_run(self, i: int, sent: Span) -> int:
        """The complement of "Minister for ...": capitalised words, '&', and lists that end in 'and'/'&'."""
        doc = self.doc
        start = i
        while i < sent.end:
            tok = doc[i]
            ment = self.m.at(i)
            if ment is not None and ment.label == "Person" and not self._portfolio_org(ment):
                break
            if self.is_head(i) or (self.lex.country(tok.text) and i + 1 < sent.end and self._is_portfolio(i + 1)):
                break  # "spokesman for Polish Prime Minister Tom Reed": another title, not a portfolio
            if tok.text in {"&", "and"} and i + 1 < sent.end and doc[i + 1].is_title:
                i += 1
                continue
            if tok.text == ",":
                ahead = [doc[k].text for k in range(i + 1, min(i + 5, sent.end))]
                nxt_ment = self.m.at(i + 1) if i + 1 < sent.end else None
                if (
                    ("&" in ahead or "and" in ahead)
                    and i + 1 < sent.end
                    and doc[i + 1].is_title
                    and (nxt_ment is None or nxt_ment.label != "Person")
                ):
                    i += 1
                    continue
                break
            if tok.is_title or tok.is_upper or (tok.pos_ in {"NOUN", "ADJ"} and i > start and doc[i - 1].is_lower):
                i += 1
                continue
            if tok.pos_ in {"NOUN", "ADJ"} and i == start:
                i += 1
                continue
            break
        return i if i > start else start - 1

    def _left_org(self, t: Title, j: int, sent: Span) -> None:
        """The organisation named just before the title, and a qualifier before that: "former BA chairman"."""
        had = t.org is not None or t.org_name is not None
        unit = self._body_before(t, j, sent)
        if not had and unit is not None and (t.org is not None or t.org_name is not None):
            t.org_rule = f"org:before-title:{unit}"
        left = t.org.start if t.org is not None and t.org.end <= t.start else j
        if t.org_name is not None and (named := self.m.ending(j)) is not None:
            left = named.start  # "Former Haitian dictator"
        self._status_before(t, left, sent)

    def _body_before(self, t: Title, j: int, sent: Span) -> str | None:
        """The first left-modifier unit that decides what the words before the title name; its id."""
        doc = self.doc
        while j >= sent.start and doc[j].lower_ in {"the", "a", "an"}:
            j -= 1
        inside = j >= sent.start
        possessive = inside and doc[j].text in POSSESSIVE
        if possessive:
            j -= 1
        left = Left(j, possessive, self.m.ending(j), self.m.ending(j) if j >= sent.start else None, sent)
        for unit in LEFT_RULES:
            if (inside or "before" not in unit.words) and unit.apply(self, t, left):
                return unit.id
        return None

    # -- left-modifier rule units: each is tried in order on the words before a title; the first that
    # -- applies decides, and its id joins the fact's chain as `org:before-title:<id>`.
    @left_rule("public-body-word", "title")
    def _public_body_word(self, t: Title, s: Left) -> bool:
        """EU parliament president Ana Berova opened the session: a public body's kind word after a name
        is the body's, not the title's."""
        first = self.doc[t.start]
        if not (t.start < t.head and first.is_lower and self.lex.org_kinds.get(first.lower_) in PUBLIC_BODY_KINDS):
            return False
        body = self.m.ending(t.start - 1)
        if body is None or body.label != "Organisation" or self.m.country(body) is not None:
            return False
        t.org = self.m.force(body.start, t.start + 1, "Organisation")
        t.start += 1
        return True

    @left_rule("nationality-then-owner", "before")
    def _nationality_then_owner(self, t: Title, s: Left) -> bool:
        """Norvale will start without their Danish goalkeeper Tomas Arden: a nationality before a player's title
        says where the player is from; the owner before it ("their", "Norvale's") is the club."""
        doc = self.doc
        if s.possessive or self.lex.titles.get(doc[t.head].lower_) != "club":
            return False
        start = s.named.start if s.named is not None else s.j
        country = self.lex.country(doc[start : s.j + 1].text)
        if country is None or doc[start : s.j + 1].text not in country.adjectives or start - 1 < s.sent.start:
            return False
        owner: Mention | None = None
        before = doc[start - 1]
        if before.lower_ in {"its", "their"}:
            owner = self._subject_body(t, before.lower_)
        elif before.text in POSSESSIVE and (named := self.m.ending(start - 2)) is not None:
            owner = named if named.label == "Organisation" and self.m.country(named) is None else None
        if owner is None:
            return False
        t.org = owner
        return True

    @left_rule("country-name", "before")
    def _country_name(self, t: Title, s: Left) -> bool:
        """South African President Sipho Ndlovu spoke: a country's name or adjective names its
        government, before any body named "African ..."."""
        if s.named is None or (country := self.m.country(s.named)) is None:
            return False
        t.org_name = country.government
        return True

    @left_rule("party", "before")
    def _party(self, t: Title, s: Left) -> bool:
        """Tory leader Jane Doyle said so: a party's name names the party."""
        party = self.party_at(s.j)
        if party is None:
            return False
        t.org_name = party
        return True

    @left_rule("short-name", "before")
    def _short_name(self, t: Title, s: Left) -> bool:
        """Norvale chairman Tomas Arden, after "Norvale Energy": the short form of a body the article names
        in full."""
        name = self.short_orgs.get(self.doc[s.j].text)
        if name is None:
            return False
        t.org_name = name
        return True

    @left_rule("name-run", "before")
    def _name_run_before(self, t: Title, s: Left) -> bool:
        """The deal was agreed, said Tarnwick chief executive Andrew Holt: capitalised words the NER left
        untagged name the body."""
        if s.ment is not None:
            return False
        doc, k = self.doc, s.j
        while k >= s.sent.start and s.j - k < 5 and is_name_token(doc[k]):
            k -= 1
        if k == s.j or not self._names_body(k + 1, s.j + 1):
            return False
        t.org = self.m.force(k + 1, s.j + 1, "Organisation")
        return True

    @left_rule("its-antecedent", "before")
    def _its_antecedent(self, t: Title, s: Left) -> bool:
        """Regulators fined Kestrel Home and its former chief executive Tom Reed: the name right before
        ", its" or "and its" is the body "its" refers to, whatever label the NER gave it (a person is never
        "its")."""
        doc, j = self.doc, s.j
        if s.ment is not None or doc[j].lower_ != "its" or j - 2 < s.sent.start or doc[j - 1].text not in {",", "and"}:
            return False
        named = self.m.ending(j - 2)
        if named is None or named.label not in {"Organisation", "Person"} or self.m.country(named) is not None:
            return False
        if named.label == "Person" and named.start > s.sent.start and self.is_head(named.start - 1):
            return False  # "its chief executive Tom Reed and its finance director": a holder, not the body
        t.org = self.m.force(named.start, named.end, "Organisation")
        return True

    @left_rule("pronoun-subject", "before")
    def _pronoun_subject(self, t: Title, s: Left) -> bool:
        """Kestrel Home has fallen out with its chief executive Lillian Wong: "its" (a club's "their") is the
        clause's subject, when that is a body."""
        word = self.doc[s.j].lower_
        owner = self._subject_body(t, word) if s.ment is None and word in {"its", "their"} else None
        if owner is None:
            return False
        t.org = owner
        return True

    @left_rule("country-word", "before")
    def _country_word(self, t: Title, s: Left) -> bool:
        """Lithuanian president Rasa Vilkaite spoke: a country word the NER left untagged names its
        government."""
        country = self.lex.country(self.doc[s.j].text) if s.ment is None and s.j >= s.sent.start else None
        if country is None:
            return False
        t.org_name = country.government
        return True

    @left_rule("party-anaphor", "before")
    def _party_anaphor(self, t: Title, s: Left) -> bool:
        """Tory leader Jane Doyle spoke; Ann Reid, the party's shadow business secretary, agreed: "the
        party's" is the political party the article last named before it."""
        doc = self.doc
        if not (s.possessive and s.ment is None and doc[s.j].lower_ == "party" and s.j > s.sent.start):
            return False
        if doc[s.j - 1].lower_ != "the":
            return False
        for m in sorted((m for m in self.m.all() if m.end < s.j), key=lambda m: -m.start):
            party = self.party_at(m.end - 1) or (m.text if self._party_name(m) else None)
            if party is not None:
                t.org_name = party
                return True
        return False

    def _party_name(self, m: Mention) -> bool:
        """A body whose name says it is a party: "Civic Renewal Party"."""
        return m.label == "Organisation" and self.lex.org_kinds.get(self.doc[m.end - 1].lower_) == "party"

    @left_rule("firm-word", "before")
    def _firm_word(self, t: Title, s: Left) -> bool:
        """The firm's chairman Tomas Arden said so: "the firm's", "its" name the article's main company."""
        doc, j = self.doc, s.j
        if s.ment is not None or j < s.sent.start:
            return False
        if not ((doc[j].lower_ in FIRM_WORDS and doc[j + 1].text in POSSESSIVE) or doc[j].lower_ == "its"):
            return False
        t.org_name = "@firm"
        return True

    @left_rule("country-anaphor", "before")
    def _country_anaphor(self, t: Title, s: Left) -> bool:
        """Estonia will pay, the country's Minister for Trade and Industry, Aino Kask, said: "the country's"
        is the country last named, in the sentence or the one before."""
        doc = self.doc
        if not (s.possessive and s.ment is None and doc[s.j].lower_ == "country" and s.j > s.sent.start):
            return False
        if doc[s.j - 1].lower_ != "the":
            return False
        first = doc[s.sent.start - 1].sent.start if s.sent.start > 0 else s.sent.start
        named = [m for m in self.m.all() if first <= m.start and m.end < s.j and self.m.country(m) is not None]
        if not named:
            return False
        country = self.m.country(max(named, key=lambda m: m.start))
        t.org_name = country.government if country is not None else None
        return t.org_name is not None

    @left_rule("country-mention", "before")
    def _country_mention(self, t: Title, s: Left) -> bool:
        """Kazakh President Aidos Sarsen arrived, with "Kazakh" tagged a person: a mention that names
        a country, whatever label the NER gave it, names its government."""
        if s.ment is None or (country := self.lex.country(s.ment.text)) is None:
            return False
        t.org_name = country.government
        return True

    @left_rule("company-tagged-person", "before")
    def _company_tagged_person(self, t: Title, s: Left) -> bool:
        """Kestrel Home's chief executive Lillian Wong resigned: a company title's possessor or modifier is a
        company, whatever the NER said (but "Norvale appointed Tom Reed chief executive": a full name with
        no possessive and no holder after the title is rather the holder)."""
        doc, ment = self.doc, s.ment
        if ment is None or ment.label != "Person":
            return False
        sector = self.lex.titles.get(doc[t.head].lower_)
        holder_after = t.end < s.sent.end and is_name_token(doc[t.end])
        if sector in {"company", "club", "media"} and (s.possessive or ment.end - ment.start == 1 or holder_after):
            t.org = self.m.force(ment.start, ment.end, "Organisation")
        return True

    @left_rule("subject-of-expertise", "before")
    def _subject_of_expertise(self, t: Title, s: Left) -> bool:
        """Africa expert Ruth Adeyemi said so: the place is what the expertise is about, not an employer."""
        profession = self.lex.titles.get(self.doc[t.head].lower_) == "profession"
        return profession and s.ment is not None and s.ment.label == "Place"

    @left_rule("named-body", "before")
    def _named_body_before(self, t: Title, s: Left) -> bool:
        """Harbour City manager Dean Mallory left: a place-like name right before a title is the body it
        names, with any capitalised words the NER cut from its front."""
        ment, doc = s.ment, self.doc
        if ment is None or ment.label not in {"Organisation", "Place"}:
            return False
        start = ment.start
        while (
            start - 1 >= s.sent.start
            and is_name_token(doc[start - 1])
            and self.m.at(start - 1) is None
            and start - 1 not in self.m.openers
            and doc[start - 1].lower_ not in self.lex.qualifiers
        ):
            start -= 1
        if start - 1 >= s.sent.start and (m := self.m.ending(start - 1)) is not None and m.label == "Place":
            start = m.start
        if start == ment.start and ment.label == "Organisation":
            t.org = ment
        else:
            t.org = self.m.force(start, ment.end, "Organisation")
        return True

    def _status_before(self, t: Title, start: int, sent: Span) -> None:
        """A qualifier before the body that stands before the title qualifies the title: "ex-Yukos boss"."""
        doc = self.doc
        before = start - 1
        while before >= sent.start and doc[before].text == "-":
            before -= 1
        if before >= sent.start and doc[before].lower_ in self.lex.qualifiers and t.status == Status.CURRENT:
            t.status = Status(self.lex.qualifiers[doc[before].lower_])
            t.status_rule = f"status:qualifier-{doc[before].lower_}-before-body"

    def _names_body(self, start: int, end: int, described: bool = False) -> bool:
        """Whether capitalised words name the body a title is in, not a person or a country.

        `described`: a descriptor noun stands before them ("oil analysts Douglas-Westwood"), which
        outweighs a PERSON label from the NER.
        """
        doc = self.doc
        if any(self.lex.org_kinds.get(doc[i].lower_) for i in range(start, end)):
            return True
        if not described and any((m := self.m.at(i)) is not None and m.label == "Person" for i in range(start, end)):
            return False
        if self.lex.country(doc[start:end].text) is not None or doc[start:end].text.lower() in self.lex.qualifiers:
            return False
        first = doc[start]
        return not (
            end - start == 1
            and first.is_sent_start
            and first.pos_ != "PROPN"
            and not ACRONYM.match(first.text)
            and not any(m.label == "Organisation" and m.text == first.text for m in self.m.all())
            # "Wolves chairman", where the article elsewhere names "Wolves" as a body
        )

    def _subject_body(self, t: Title, pronoun: str) -> Mention | None:
        """The subject of the clause a title sits in, when it is a body: what "its" (or a club's "their")
        refers to. A clause with no such subject ("setting up their striker"; "Norvale said Arden would stay on
        as its chairman", whose subject holds the post) takes the subject of the clause it depends on."""
        verb = self.doc[t.head]
        for _ in range(4):
            if verb.pos_ in {"VERB", "AUX"}:
                break
            verb = verb.head
        labels = {"Organisation"}
        after = self.m.at(t.end)
        if pronoun == "its" and after is not None and after.label == "Person":
            # "Kestrel Home has fallen out with its chief executive Lillian Wong": the holder is named
            # after the title, so a subject the NER took for a person is the body
            labels.add("Person")
        for _ in range(3):
            for child in verb.children:
                if child.dep_ in {"nsubj", "nsubjpass"}:
                    ment = self.m.at(child.i)
                    if ment is not None and ment.label in labels and self.m.country(ment) is None:
                        return self.m.force(ment.start, ment.end, "Organisation")
            if verb.dep_ not in {"advcl", "xcomp", "conj", "ccomp"}:
                break
            verb = verb.head
        return None

    def party_at(self, j: int) -> str | None:
        """The political party a word (or the two words ending at j) names: "Tory", "Lib Dem"."""
        doc = self.doc
        if j < 0:
            return None
        for start in (j - 1, j):
            if start >= 0 and start <= j:
                hit = self.lex.parties.get(doc[start : j + 1].text.lower())
                if hit is not None and doc[start].is_title:
                    return hit[0]
        return None

    # -- holders -------------------------------------------------------------------------------
    def holder(self, t: Title, sent: Span) -> tuple[Mention, str] | None:
        """The person the first holder unit that applies finds for the title, and that unit's id."""
        for unit in HOLDER_RULES:
            person = unit.apply(self, t, sent)
            if person is not None:
                return person, unit.id
        return None

    # -- holder rule units: each is tried in order on a title phrase; the first that finds a person
    # -- decides, and its id is the fact's `rule`, the `holder:<id>` that leads its chain.
    @holder_rule("parenthetical")
    def _parenthetical(self, t: Title, sent: Span) -> Mention | None:
        """Speakers included Henrik Saar (chief executive, Baltic Ports Authority): a description in
        brackets belongs to the name just before them."""
        opening = self.bracket_before(t, sent)
        if opening is None:
            return None
        ment = self.m.ending(opening - 1)
        return ment if ment is not None and ment.label == "Person" else None

    @holder_rule("pre-modifier")
    def _pre_modifier(self, t: Title, sent: Span) -> Mention | None:
        """Harbour City manager Dean Mallory said the club would grow: the name right after the title."""
        return self.person_after(t.end, sent) if not (t.org and t.org.start >= t.end) else None

    @holder_rule("appositive")
    def _appositive(self, t: Title, sent: Span) -> Mention | None:
        """Lena Marsh, Vantor's chief executive, said so: the name before the comma."""
        return self.person_before(t, sent)

    @holder_rule("dash-appositive")
    def _dash_appositive(self, t: Title, sent: Span) -> Mention | None:
        """Tom Reed - another Norvale board member - was not re-elected: the name before a spaced dash that
        opens a title."""
        return self.person_before(t, sent, DASHES)

    @holder_rule("title-first")
    def _title_first(self, t: Title, sent: Span) -> Mention | None:
        """The head of the Kestrel think tank in Tallinn, Ivo Brandt, said so: the holder after the title and
        its body, past a few words of setting ("Spain's finance minister at the time, Salvo Bertani")."""
        doc = self.doc
        left_body = t.org_name is not None or (t.org is not None and t.org.end <= t.start)
        opener = t.start - 1
        while opener > sent.start and doc[opener].pos_ == "ADJ":
            opener -= 1  # "the new president of the European Parliament, Ann Pike"
        if not (t.start > sent.start and (doc[opener].lower_ in {"the", "a", ","} or left_body)):
            return None
        after = t.org.end if t.org is not None and t.org.start >= t.end else t.end
        limit = 8 if after > t.end else 4
        comma = next((k for k in range(after, min(after + limit, sent.end)) if doc[k].text == ","), None)
        if comma is None or any(doc[k].pos_ in {"VERB", "AUX"} for k in range(after, comma)):
            return None
        return self.person_after(comma, sent)

    @holder_rule("verb")
    def _verb(self, t: Title, sent: Span) -> Mention | None:
        """Ivo Brandt was appointed chief executive of Kestrel Securities: the subject of the verb that
        joins holder and title."""
        return self.person_by_verb(t)

    @holder_rule("as-adjunct")
    def _as_adjunct(self, t: Title, sent: Span) -> Mention | None:
        """As finance minister in the 1990s, Ivo Brandt kept an open mind: the subject of the verb an "as"
        phrase qualifies, or its object when that is a person ("Norvale hired Tom Reed as coach")."""
        verb = self.as_verb(t)
        if verb is None:
            return None
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is not None and verb.lower_ not in SUCCESSION_VERBS:
            if obj.pos_ == "PRON":
                return None  # "saw him as a leader": the object's post, not the subject's
            if (ment := self.m.at(obj.i)) is not None and ment.label == "Person":
                return ment
        subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        return self.named_person(subject.i) if subject is not None else None

    def named_person(self, i: int) -> Mention | None:
        """The person named at token i in a holder's slot: a person mention, a name shaped like a person's
        the NER took for a body ("As minister, Ivo Brandt kept ..."), or a name the article gives a person
        elsewhere ("Brandt", tagged as nothing or as a nationality here)."""
        ment = self.m.at(i)
        if ment is not None and (ment.label == "Person" or self.m.country(ment) is not None):
            return ment if ment.label == "Person" else None
        if ment is not None and self._looks_personal(ment):
            return self.m.force(ment.start, ment.end, "Person")
        start, end = (ment.start, ment.end) if ment is not None else (i, i + 1)
        if not self.doc[end - 1].is_title or self.doc[end - 1].pos_ != "PROPN":
            return None
        last = self.doc[end - 1].text
        if any(m.label == "Person" and m.text.split()[-1] == last for m in self.m.all()):
            return self.m.force(start, end, "Person")
        return None

    def as_verb(self, t: Title) -> Token | None:
        """The verb a title's "as" phrase qualifies ("kept" in "As finance minister, X kept ..."), if any."""
        doc = self.doc
        prep = doc[t.head].head
        if doc[t.head].dep_ != "pobj" or prep.lower_ != "as" or prep.i == t.head:
            return None
        if prep.i > 0 and doc[prep.i - 1].lower_ in NOT_ADJUNCT_AS:
            return None
        verb = prep.head
        return verb if verb.pos_ in {"VERB", "AUX"} and verb.i != prep.i else None

    def predecessor(self, t: Title) -> Mention | None:
        """ "Tom Reed will succeed Ann Pike as president": the person whose post the holder takes over."""
        verb = self.as_verb(t)
        if verb is None or verb.lower_ not in SUCCESSION_VERBS:
            return None
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        ment = self.m.at(obj.i) if obj is not None else None
        return ment if ment is not None and ment.label == "Person" else None

    def bracket_before(self, t: Title, sent: Span) -> int | None:
        """The opening bracket a title phrase (with the body or country before it) starts right after:
        "(Estonian Minister for Trade and Industry)"; none when the bracket closes first."""
        doc = self.doc
        k = self._before_body(t, sent)  # "(Estonian Minister ...)"
        while k >= sent.start and (doc[k].lower_ in {"the", "a", "an", "-"} or doc[k].lower_ in self.lex.qualifiers):
            k -= 1
        return k if k > sent.start and doc[k].text == "(" else None

    def person_after(self, i: int, sent: Span) -> Mention | None:
        doc = self.doc
        while i < sent.end and (doc[i].text == "," or doc[i].is_quote):
            i += 1  # 'the head of the "Kestrelschutz," Ivo Brandt'
        while i < sent.end and doc[i].lower_.rstrip(".") in {"mr", "mrs", "ms", "dr", "sir", "dame", "lord", "lady"}:
            i += 1
        if i >= sent.end:
            return None
        ment = self.m.starting(i)
        if ment is not None and ment.label == "Person":
            return ment
        run = self.m.name_run(i)
        if run is None:
            return None
        # Evidence beats the NER: a name in the holder slot of a title is a person.
        if ment is not None and (
            self.m.country(ment)
            or (
                ment.label == "Organisation"
                and (
                    ment.end - ment.start == 1
                    or any(self.lex.org_kinds.get(doc[k].lower_) for k in range(ment.start, ment.end))
                )
            )
        ):
            return None
        if any(self.lex.country(doc[k].text) for k in range(*run)):
            return None
        if run[1] - run[0] == 1 and ment is None and (doc[run[0]].pos_ != "PROPN" or ACRONYM.match(doc[run[0]].text)):
            return None  # "chief ICTY prosecutor": an acronym names a body, not the holder
        return self.m.force(run[0], run[1], "Person")

    def person_before(self, t: Title, sent: Span, marks: frozenset[str] = frozenset({","})) -> Mention | None:
        """The appositive holder: "Lena Marsh, Vantor's chief executive" (`marks`: what may stand between)."""
        j = self._appositive_comma(t, sent, marks)
        if j is None:
            return None
        ment = self.m.ending(j - 1)
        if ment is not None and ment.label == "Person":
            return ment
        if ment is not None and self._looks_personal(ment):
            return self.m.force(ment.start, ment.end, "Person")  # "Ludovic Brannt, the president of ...", tagged ORG
        return self._untagged_holder(j, ment, sent)

    def _appositive_comma(self, t: Title, sent: Span, marks: frozenset[str] = frozenset({","})) -> int | None:
        """The comma before a title (past its body, articles, possessives, qualifiers and a few lower-case
        words it left outside) that an appositive holder stands before."""
        doc = self.doc
        j = self._before_body(t, sent)  # "Rosa Vidal, a Chad expert at the Harbour Rights Commission"
        while j >= sent.start and self._skipped_before(j, sent) and not (doc[j].text in marks and doc[j].whitespace_):
            j -= 1
            if j >= sent.start and (m := self.m.ending(j)) is not None and m.label != "Person":
                j = m.start - 1
        j = self._past_left_outside(j, sent)
        if j < sent.start or doc[j].text not in marks:
            return None
        return j if doc[j].text == "," or (doc[j].whitespace_ and doc[j - 1].whitespace_) else None

    def _before_body(self, t: Title, sent: Span) -> int:
        """The word before a title and the body (or a place, a country) named just before it."""
        k = t.start - 1
        if t.org is not None and t.org.end <= t.start:
            return t.org.start - 1
        if k >= sent.start and (m := self.m.ending(k)) is not None and m.label != "Person":
            return m.start - 1
        return k

    def _past_left_outside(self, j: int, sent: Span) -> int:
        """ "Ivo Brandt, human rights activist": the comma before up to three lower-case words the title
        left outside, else `j`."""
        doc = self.doc
        lowered = j
        while (
            lowered >= sent.start and j - lowered < 3 and doc[lowered].is_lower and doc[lowered].pos_ in {"ADJ", "NOUN"}
        ):
            lowered -= 1
        return lowered if lowered >= sent.start and doc[lowered].text == "," else j

    def _skipped_before(self, j: int, sent: Span) -> bool:
        """ "the", "its", "now", "former", "-", "the party's": a word between an appositive's comma and its
        title."""
        doc = self.doc
        return (
            doc[j].lower_ in {"the", "a", "an", "another", "its", "now", "currently", "also"}
            or doc[j].text in POSSESSIVE
            or (doc[j].is_lower and j + 1 < sent.end and doc[j + 1].text in POSSESSIVE)  # "the party's"
            or doc[j].lower_ in self.lex.qualifiers
            or doc[j].text == "-"
        )

    def _untagged_holder(self, j: int, ment: Mention | None, sent: Span) -> Mention | None:
        """A name before an appositive's comma the NER did not tag as a person, made one on evidence."""
        doc = self.doc
        # "Mr Arden, Norvale's chairman": an honorific before a capitalised name is evidence enough.
        k = j - 1
        while k >= sent.start and j - k <= 4 and is_name_token(doc[k]) and doc[k].lower_.rstrip(".") not in HONORIFICS:
            k -= 1
        honorific = k >= sent.start and doc[k].lower_.rstrip(".") in HONORIFICS
        if k < j - 1 and honorific and (ment is None or ment.start > k):
            return self.m.force(k + 1, j, "Person")
        if ment is None and self._standalone_name(k, j, sent):
            return self.m.force(k + 1, j, "Person")
        return None

    def _standalone_name(self, k: int, j: int, sent: Span) -> bool:
        """'"We will rebuild," Rani Chatterji, chief minister of West Bengal, said': capitalised words the NER
        missed, standing alone between punctuation or a speech verb (at `k`) and the appositive's comma."""
        doc = self.doc
        opens = k < sent.start or doc[k].is_punct or doc[k].lower_ in SPEECH_VERBS
        names = [doc[i] for i in range(k + 1, j)]
        return (
            opens
            and len(names) >= 2
            and all(w.pos_ == "PROPN" and w.is_title and self.m.at(w.i) is None for w in names)
            and not any(self.lex.org_kinds.get(w.lower_) or self.lex.country(w.text) for w in names)
        )

    def _looks_personal(self, ment: Mention) -> bool:
        """A body or place mention that could as well be a person's name; in a holder slot it is one."""
        return self.m.personal_shape(ment) and self.party_at(ment.end - 1) is None

    def person_by_verb(self, t: Title) -> Mention | None:
        """ "X was appointed chairman", "X is the chief executive": the subject of the governing verb."""
        head = self.doc[t.head]
        verb = head.head
        if head.dep_ in {"pobj"} and verb.lower_ == "as":
            verb = verb.head
        if head.dep_ not in {"attr", "oprd", "pobj", "dobj", "xcomp", "appos"} and verb.lower_ != "as":
            return None
        if verb.lower_ not in APPOINT_VERBS | COPULAS | (AS_VERBS | LEAVING_VERBS if head.dep_ == "pobj" else set()):
            return None
        named = self.m.ending(t.start - 1)
        if verb.lower_ in APPOINT_VERBS and named is not None and named.label == "Person" and named.start > verb.i:
            return named  # "Norvale appointed Tom Reed chief executive": the verb's object holds the title
        for child in verb.children:
            if child.dep_ in {"nsubj", "nsubjpass", "dobj"} and child.i != t.head:
                ment = self.m.at(child.i)
                if ment is not None and ment.label == "Person":
                    return ment
                if ment is not None and t.org is not None and self._looks_personal(ment):
                    return self.m.force(ment.start, ment.end, "Person")  # "Ivo Brandt is director of X", tagged ORG
        return None

    def appointer(self, t: Title) -> Mention | None:
        """ "Norvale Energy appointed Tom Reed chief executive": the body that is the appointing verb's subject."""
        head = self.doc[t.head]
        verb = head.head.head if head.dep_ == "pobj" and head.head.lower_ == "as" else head.head
        if verb.lower_ not in APPOINT_VERBS - {"become", "became", "becomes"}:
            return None
        for child in verb.children:
            if child.dep_ == "nsubj" and (ment := self.m.at(child.i)) is not None and ment.label == "Organisation":
                return ment if self.m.country(ment) is None else None
        return None

    def left_post(self, t: Title) -> bool:
        """ "X resigned as Labour leader": the verb that joins holder and title ends the post."""
        head = self.doc[t.head]
        return head.dep_ == "pobj" and head.head.lower_ == "as" and head.head.head.lower_ in LEAVING_VERBS

    def team_of_side(self, t: Title, i: int, sent: Span) -> Mention | None:
        """Norvale beat Kestrel 2-0. Coach Tomas Arden's side moved to third: a club title's holder whose
        side the sentence names (the holder's possessive ending at i) leads the team the sentence before
        is about, its subject."""
        doc = self.doc
        if self.lex.titles.get(doc[t.head].lower_) != "club" or sent.start == 0 or i + 1 >= sent.end:
            return None
        if doc[i].text not in POSSESSIVE or doc[i + 1].lower_ not in self.lex.team_words:
            return None
        before = doc[sent.start - 1].sent
        for tok in before:
            if tok.dep_ in {"nsubj", "nsubjpass"} and tok.head.i == before.root.i:
                ment = self.m.at(tok.i)
                if ment is None:
                    continue  # "Last year's champions Norvale": the name beside the noun
                if self.m.country(ment) is not None:
                    return None
                if ment.label == "Organisation" or ment.text in self.one_word_bodies:
                    return self.m.force(ment.start, ment.end, "Organisation")
        return None

    def org_after(self, i: int, sent: Span) -> Mention | None:
        """ "analyst Ann Pike of Kestrel Hale Securities": the organisation after the holder."""
        doc = self.doc
        if i < sent.end and doc[i].text in POSSESSIVE:
            i += 1
        if i + 1 < sent.end and doc[i].lower_ in {"of", "at", "from"}:
            k = i + 1 + (1 if doc[i + 1].lower_ == "the" else 0)
            ment = self.m.starting(k)
            if ment is not None and ment.label in {"Organisation", "Place"}:
                return ment
            # "analyst Ann Pike of Kestrel Hale Securities": whatever the NER says, a body.
            run = self.m.name_run(k)
            if run is not None and (ment is None or ment.label == "Person") and not self.lex.country(doc[k].text):
                return self.m.force(run[0], run[1], "Organisation")
        return None
