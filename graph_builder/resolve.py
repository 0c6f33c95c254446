"""Cross-article entity resolution: one canonical entity, with a stable id, per real thing.

Entities meet by the folded key of their name. An organisation named only by an
alias in one article ("BA") joins the entity another article introduced with
that alias ("British Airways (BA)") when exactly one entity claims the alias.
Every step is a dictionary look-up, so resolution is linear in the mentions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .model import ArticleFacts, Entity
from .text import name_key, slug

ID_PREFIX = {"Person": "person", "Organisation": "org", "Place": "place"}
#: Trailing words that say what legal form a body has, not which body it is: "Harbour City FC" = "Harbour City".
LEGAL_FORMS = frozenset(
    [
        "fc",
        "afc",
        "cf",
        "sc",
        "plc",
        "ltd",
        "limited",
        "inc",
        "incorporated",
        "llc",
        "corp",
        "corporation",
        "co",
        "ag",
        "sa",
        "gmbh",
        "nv",
        "bv",
    ]
)


def entity_key(label: str, name: str) -> str:
    """The key two names of one entity share; organisations also lose a trailing legal form."""
    key = name_key(name)
    if label == "Organisation":
        words = key.split()
        while len(words) > 1 and words[-1] in LEGAL_FORMS:
            words.pop()
        key = " ".join(words)
    return key


@dataclass
class Canonical:
    """One resolved entity with every name the articles used for it."""

    id: str
    label: str
    names: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)

    @property
    def name(self) -> str:
        # The name used most often; on a tie the longest, then the first alphabetically.
        return min(self.names, key=lambda n: (-self.names[n], -len(n), n))

    @property
    def aliases(self) -> list[str]:
        return sorted(n for n in self.names if n != self.name)

    @property
    def kind(self) -> str | None:
        return self.kinds.most_common(1)[0][0] if self.kinds else None


def same_kind(a: Canonical, b: Canonical) -> bool:
    """Whether two bodies may be one: "Harbour City FC" (a club) is not the city's government."""
    return a.kind is None or b.kind is None or a.kind == b.kind


class Resolver:
    """Maps (article, label, name) to canonical entities across a corpus."""

    def __init__(self, facts: Iterable[ArticleFacts]) -> None:
        self.entities: dict[str, Canonical] = {}
        self._by_key: dict[tuple[str, str], str] = {}
        self._local: dict[tuple[str, str, str], str] = {}
        self._folded: dict[str, str] = {}  # id of an entity folded into another -> that entity's id
        ordered = sorted(facts, key=lambda f: f.article.id)
        # Full names first, so alias-only mentions find the entity they abbreviate.
        for af in ordered:
            for ent in af.entities:
                self._claim(ent, af.article.id)
        alias_owners: dict[tuple[str, str], set[str]] = defaultdict(set)
        for (label, key), eid in self._by_key.items():
            alias_owners[(label, key)].add(eid)
        for af in ordered:
            for ent in af.entities:
                for alias in ent.aliases:
                    alias_owners[(ent.label, entity_key(ent.label, alias))].add(
                        self._local[(af.article.id, ent.label, ent.name)]
                    )
        for af in ordered:
            for ent in af.entities:
                eid = self._local[(af.article.id, ent.label, ent.name)]
                for alias in ent.aliases:
                    alias_key = (ent.label, entity_key(ent.label, alias))
                    if len(alias_owners[alias_key]) == 1:
                        self._by_key.setdefault(alias_key, eid)
                    self.entities[eid].names[alias] += 0  # remembered as an alias
        self._merge_alias_only(alias_owners)
        self._merge_surnames()

    def _claim(self, ent: Entity, article_id: str) -> None:
        key = (ent.label, entity_key(ent.label, ent.name))
        eid = self._by_key.get(key)
        if eid is None:
            eid = base = f"{ID_PREFIX[ent.label]}:{slug(key[1] or ent.name)}"
            n = 2
            while eid in self.entities:  # two keys with one slug: rare, kept apart
                eid, n = f"{base}-{n}", n + 1
            self.entities[eid] = Canonical(eid, ent.label)
            self._by_key[key] = eid
        canon = self.entities[eid]
        canon.names[ent.name] += 1
        if ent.kind:
            canon.kinds[ent.kind] += 1
        self._local[(article_id, ent.label, ent.name)] = eid

    def _merge_alias_only(self, alias_owners: dict[tuple[str, str], set[str]]) -> None:
        """Fold an entity known only by another entity's unique alias into that entity, and bodies that
        share a full-name alias into one ("SPD" and "Social Democrats", both "Social Democratic Party")."""
        for (label, key), owners in alias_owners.items():
            live = sorted({self._current(o) for o in owners})
            if label == "Organisation" and " " in key and len(live) > 1:
                # A several-word alias names one body; an acronym like "BA" may name several.
                full = self.entities[live[0]]
                for other in live[1:]:
                    if same_kind(self.entities[other], full):
                        self._fold(self.entities[other], full)
                continue
            if len(live) != 2:
                continue
            ca, cb = (self.entities[e] for e in live)
            # The entity whose every name is this alias is the abbreviation of the other.
            for short, full in ((ca, cb), (cb, ca)):
                if {entity_key(label, n) for n in short.names} == {key} and same_kind(short, full):
                    self._fold(short, full)
                    break

    def _current(self, eid: str) -> str:
        while eid in self._folded:
            eid = self._folded[eid]
        return eid

    def _merge_surnames(self) -> None:
        """A person known in some article only by surname ("Mr Arden") is the one person of that surname."""
        by_last: dict[str, set[str]] = defaultdict(set)
        for canon in self.entities.values():
            if canon.label == "Person":
                for n in canon.names:
                    words = name_key(n).split()
                    if len(words) > 1:
                        by_last[words[-1]].add(canon.id)
        for short in [c for c in self.entities.values() if c.label == "Person"]:
            keys = {name_key(n) for n in short.names}
            if len(keys) != 1 or " " in next(iter(keys)):
                continue
            owners = by_last.get(next(iter(keys)), set()) - {short.id}
            if len(owners) == 1:
                self._fold(short, self.entities[owners.pop()])

    def _fold(self, short: Canonical, full: Canonical) -> None:
        full.names.update(short.names)
        full.kinds.update(short.kinds)
        del self.entities[short.id]
        self._folded[short.id] = full.id  # look-ups follow it, so a fold costs the same at any corpus size

    def id_of(self, article_id: str, label: str, name: str) -> str | None:
        """The canonical id of a name used in one article, or None if it is not an entity there."""
        eid = self._local.get((article_id, label, name))
        if eid is None:
            eid = self._by_key.get((label, entity_key(label, name)))
        return None if eid is None else self._current(eid)
