"""The word lists the rules read, loaded once from the data files beside this module."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..text import GOVERNMENT_OF


def _rows(name: str) -> list[list[str]]:
    text = resources.files(__package__).joinpath("lexicons", name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append([cell.strip() for cell in line.split("\t")])
    return rows


@dataclass(frozen=True)
class Country:
    name: str  # as in "Government of the United Kingdom"
    short: str  # without the article: "United Kingdom"
    adjectives: tuple[str, ...]
    other_names: tuple[str, ...]

    @property
    def government(self) -> str:
        return f"{GOVERNMENT_OF}{self.name}"


@dataclass(frozen=True)
class Lexicon:
    titles: dict[str, str | None]  # head word (lower) -> sector
    title_countries: dict[str, tuple[str, ...]]  # head word (lower) -> the countries whose post it names
    houses: dict[str, tuple[str, str]]  # member's title (lower) -> (the house it names, its country or "")
    qualifiers: dict[str, str]  # word -> status
    portfolios: frozenset[str]
    countries: dict[str, Country]  # any lower-cased name or adjective -> country
    meeting_words: dict[str, str]
    event_heads: dict[str, str]  # head word -> event type
    event_qualifiers: dict[str, str]  # "presidential" -> election: makes a lower-case event a named one
    qualified_heads: dict[str, str]  # heads that a qualifier names: "election", "campaign"
    org_kinds: dict[str, str]  # word in an organisation name -> kind
    parties: dict[str, tuple[str, str]]  # lower-cased name or adjective -> (party, country name)
    occupations: frozenset[str]
    name_articles: frozenset[str]
    descriptors: frozenset[str]  # nouns that describe a body before its name: "magazine", "supplier"
    products: frozenset[str]  # nouns of made things a name stands before: "the Heron drone"
    works: frozenset[str]  # nouns of works a name stands after: "drama Vera Drake"
    not_names: frozenset[str]  # capitalised words naming no one: "GMT", "TV", "Friday"
    agencies: frozenset[str]  # news agencies, lower-cased: "dpa", "afp"
    person_nouns: frozenset[str]  # nouns in apposition that make a name a person's: "man", "son-in-law"
    place_nouns: frozenset[str]  # "banks", "shores": "of the" + a name after one is a place
    sports: dict[str, str]  # word of a team sport (lower) -> the sport as a national side's name spells it
    team_words: frozenset[str]  # "side", "squad": what a coach's possessive stands before for their team
    status_words: dict[str, frozenset[str]]  # verb form (lower) -> its sets in status_words.tsv: "left" -> leave
    status_particles: dict[str, frozenset[str]]  # verb form -> the particles it needs: "stepped" -> down, aside

    def country(self, text: str) -> Country | None:
        return self.countries.get(text.lower().removeprefix("the ").strip())


@cache
def lexicon() -> Lexicon:
    titles: dict[str, str | None] = {}
    title_countries: dict[str, tuple[str, ...]] = {}
    for row in _rows("titles.txt"):
        titles[row[0].lower()] = row[1] if len(row) > 1 and row[1] else None
        if len(row) > 2 and row[2]:
            title_countries[row[0].lower()] = tuple(c.strip() for c in row[2].split(","))
    countries: dict[str, Country] = {}
    for row in _rows("countries.tsv"):
        row += [""] * (3 - len(row))
        name = row[0]
        country = Country(
            name=name,
            short=name.removeprefix("the "),
            adjectives=tuple(a for a in row[1].split(",") if a),
            other_names=tuple(a for a in row[2].split(",") if a),
        )
        for key in (country.short, *country.adjectives, *country.other_names):
            countries.setdefault(key.lower(), country)
    meeting: dict[str, str] = {}
    named: dict[str, str] = {}
    qualifiers: dict[str, str] = {}
    qualified: dict[str, str] = {}
    for word, kind, etype in _rows("events.tsv"):
        {"meeting": meeting, "named": named, "qualifier": qualifiers, "qualified-head": qualified}[kind][word] = etype
    status_words: dict[str, frozenset[str]] = {}
    for row in _rows("status_words.tsv"):
        status_words[row[0]] = status_words.get(row[0], frozenset()) | {row[1]}
    return Lexicon(
        titles=titles,
        title_countries=title_countries,
        qualifiers={w: s for w, s in _rows("qualifiers.tsv")},
        portfolios=frozenset(r[0] for r in _rows("portfolios.txt")),
        countries=countries,
        meeting_words=meeting,
        event_heads=named,
        event_qualifiers=qualifiers,
        qualified_heads={**qualified, **{w: t for w, t in named.items() if t == "election"}},
        org_kinds={w: k for w, k in _rows("org_suffixes.tsv")},
        occupations=frozenset(r[0] for r in _rows("occupations.txt")),
        name_articles=frozenset(r[0] for r in _rows("name_articles.txt")),
        descriptors=frozenset(r[0] for r in _rows("descriptors.txt")),
        products=frozenset(w for w, where in _rows("products.tsv") if where == "before"),
        works=frozenset(w for w, where in _rows("products.tsv") if where == "after"),
        not_names=frozenset(r[0] for r in _rows("not_names.txt")),
        agencies=frozenset(r[0] for r in _rows("agencies.txt")),
        person_nouns=frozenset(r[0] for r in _rows("person_nouns.txt")),
        place_nouns=frozenset(r[0] for r in _rows("place_nouns.txt")),
        sports={w: sport for w, sport in _rows("sports.tsv")},
        team_words=frozenset(r[0] for r in _rows("team_words.txt")),
        status_words=status_words,
        status_particles={r[0]: frozenset(r[2].split(",")) for r in _rows("status_words.tsv") if len(r) > 2},
        houses={row[0]: (row[2], row[1]) for row in _rows("houses.tsv")},
        parties={
            alias.lower(): (row[0], row[2] if len(row) > 2 else "")
            for row in _rows("parties.tsv")
            for alias in row[1].split(",")
        },
    )
