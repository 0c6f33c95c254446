"""The government a post is held in, stated elsewhere in the article than the title's own sentence.

News gives a head of government's country once ("German Chancellor Lena
Hartwig") and then the post alone ("Chancellor Hartwig said"), or gives a post
only a few countries have ("the chancellor") in a story that names one of
them. A title rule reads one sentence, so such a post gets no organisation,
or the government of another country its sentence names. Each unit here reads
the whole article and, for a government post whose own words name no body,
offers the government the article states for it: the candidate's chain says
which unit (`org:<id>`), a feature says how far away it was stated, and the
trained scorer weighs it against the other bodies offered. The country must
be named in the article; none is assumed.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from spacy.tokens import Doc

from ..text import GOVERNMENT_OF
from .candidates import MEMBERSHIP, Proposal, bucket
from .lexicon import Country, Lexicon
from .roles import RuleUnit, rule_unit

#: The title sector of posts in a government.
NATIONAL = "government"
#: Head words of posts in a country's own government, which the one country an article names can fill; an
#: envoy, a commissioner or a prosecutor may as well serve another country, a union or a state, and a
#: (vice-)chancellor a university (a government's chancellor is for `title-country`).
EXECUTIVE = frozenset(
    {"minister", "president", "premier", "secretary", "king", "queen", "emperor", "monarch", "dictator"}
    | {"taoiseach", "vice-president", "undersecretary", "under-secretary"}
)


@dataclass(frozen=True)
class Stated:
    """What the units read: each proposal with its holder's name and the body its own words named, the
    sector of each title, and the country mentions of the article (first token, country) in order."""

    doc: Doc
    lex: Lexicon
    proposals: Sequence[Proposal]
    holders: Sequence[str | None]
    named: Sequence[str | None]
    sectors: Sequence[str | None]
    countries: Sequence[tuple[int, Country]]

    def sentence(self, i: int) -> int:
        """The index of the sentence token i is in."""
        return bisect_right(self.starts, i) - 1

    @cached_property
    def starts(self) -> list[int]:
        """Where each sentence starts: read once per article, not at every `sentence` look-up."""
        return [s.start for s in self.doc.sents]

    def government(self, name: str | None) -> Country | None:
        """The country whose government `name` is ("Government of Mali"), if it is one."""
        if name is None or not name.startswith(GOVERNMENT_OF):
            return None
        return self.lex.country(name.removeprefix(GOVERNMENT_OF))


#: A unit: the country whose government the k-th proposal's post is in, and the tokens where the article
#: states it, or None.
StateFn = Callable[[Stated, int], tuple[Country, list[int]] | None]


#: The units, in the order they are tried; the first that finds a country decides.
STATE_RULES: list[RuleUnit[StateFn]] = []


def title_countries(lex: Lexicon, title: str) -> tuple[str, ...]:
    """The countries whose government alone has the title's post ("Chancellor" -> Germany, Austria)."""
    words = title.lower().replace("-", " ").split()
    for n in (4, 3, 2, 1):
        for i in range(len(words) - n, -1, -1):
            found = lex.title_countries.get(" ".join(words[i : i + n]))
            if found:
                return found
    return ()


@rule_unit(STATE_RULES, "holder-country")
def holder_country(s: Stated, k: int) -> tuple[Country, list[int]] | None:
    """German Foreign Minister Lena Brandt flew to Ankara on Monday. Deputy Chancellor Brandt met Turkish
    officials there: a government post whose words name no country is in the government the same holder's
    post is stated in elsewhere in the article."""
    holder = s.holders[k]
    found: dict[str, tuple[Country, list[int]]] = {}
    for j, other in enumerate(s.proposals):
        if j == k or s.holders[j] != holder or s.sectors[j] != NATIONAL:
            continue
        country = s.government(s.named[j])
        if country is not None:
            found.setdefault(country.name, (country, []))[1].append(other.start)
    return next(iter(found.values())) if len(found) == 1 else None


@rule_unit(STATE_RULES, "title-country")
def title_country(s: Stated, k: int) -> tuple[Country, list[int]] | None:
    """Chancellor Kurt Aldrich spoke in Vienna on Monday. Austria votes in May: a post only a few countries'
    governments have ("chancellor") is in the one of them the article names."""
    names = title_countries(s.lex, s.proposals[k].title)
    found = {c.name: c for _, c in s.countries if c.name in names}
    if len(found) != 1:
        return None
    (country,) = found.values()
    return country, [i for i, c in s.countries if c == country]


@rule_unit(STATE_RULES, "sole-country")
def sole_country(s: Stated, k: int) -> tuple[Country, list[int]] | None:
    """President Amadou Diallo spoke on Monday. The army of Mali has retaken the north: a post in a
    country's own government (a president, a minister) is in the government of the one country the article
    names."""
    found = {c.name: c for _, c in s.countries}
    if len(found) != 1 or s.doc[s.proposals[k].head].lower_ not in EXECUTIVE:
        return None
    (country,) = found.values()
    return country, [i for i, _ in s.countries]


def stated_governments(s: Stated) -> Iterator[tuple[int, str, Country, frozenset[str]]]:
    """For each government post whose own words name no body (and that is no seat in a house): its index,
    the id of the unit that found its country, the country, and how far from the post it is stated."""
    for k, p in enumerate(s.proposals):
        if s.named[k] is not None or s.sectors[k] != NATIONAL or p.title == MEMBERSHIP or s.holders[k] is None:
            continue
        if s.doc[p.head].lower_ in s.lex.houses:
            continue
        for unit in STATE_RULES:
            hit = unit.apply(s, k)
            if hit is None:
                continue
            country, at = hit
            here = s.sentence(p.start)
            distance = min(abs(s.sentence(i) - here) for i in at)
            yield k, unit.id, country, frozenset({f"state-distance:{bucket(distance, (0, 1, 3, 8))}"})
            break
