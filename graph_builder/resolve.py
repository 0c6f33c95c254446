"""Cross-article entity resolution: one canonical entity, with a stable id, per real thing.

Entities meet by the folded key of their name. An organisation named only by an
alias in one article ("BA") joins the entity another article introduced with
that alias ("British Airways (BA)") when exactly one entity claims the alias.

Resolution runs as map -> reduce -> decide: pure per-article functions yield rows, group-bys on a
DataFrame engine (`frames.py`: pandas here, or a Dask cluster) reduce them to the corpus evidence,
and the decisions read those aggregates; every step is linear in the mentions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from typing import Any

import pandas as pd

from .frames import Frames
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


@lru_cache(maxsize=1 << 18)
def plain_key(name: str) -> str:
    """`name_key`, but a "+" stays a word: "Disney+" is not "Disney". Cached: a corpus names each entity
    many times, and folding a name is the costliest step of resolution."""
    return name_key(name.replace("+", " plus "))


@lru_cache(maxsize=1 << 18)
def entity_key(label: str, name: str) -> str:
    """The key two names of one entity share; organisations also lose a trailing legal form."""
    key = plain_key(name)
    if label == "Organisation":
        words = key.split()
        while len(words) > 1 and words[-1] in LEGAL_FORMS:
            words.pop()
        key = " ".join(words)
    return key


#: Kinds of body named after a place or region ("Baltic Ports Authority"): the place is not their short form.
PUBLIC_KINDS = frozenset(["government", "international"])
#: Words that only say what sort of body a name is: "Civic Renewal" is short for "Civic Renewal Party".
BODY_WORDS = frozenset(
    ["party", "group", "holdings", "company", "club", "union", "association", "movement", "alliance", "foundation"]
)


@dataclass
class Settled:
    """Each article's entities after type and short-form decisions, and how its names now resolve.

    `redirect` maps (article id, name) to the (label, name) of the entity of that article the name
    belongs to; `dropped` holds (article id, name) of names that are no entity at all.
    """

    facts: list[ArticleFacts]
    redirect: dict[tuple[str, str], tuple[str, str]]
    dropped: set[tuple[str, str]]


def _uses(af: ArticleFacts) -> dict[str, set[str]]:
    """How the article's facts use each name: as a person, an organisation, a party or a place."""
    uses: dict[str, set[str]] = defaultdict(set)
    for r in af.roles:
        uses[r.person].add("Person")
        if r.organisation:
            uses[r.organisation].add("Organisation")
    for e in af.events:
        for party in (*e.participants, *e.organisers):
            uses[party].add("party")
        if e.place:
            uses[e.place].add("Place")
    return uses


#: A row's position, which orders first appearances as the articles (sorted by id) name them: the article's
#: ordinal, then the entity's index in the article, then the alias's index in the entity.
_ENTITY_SHIFT, _ALIAS_SHIFT = 32, 12


def _pos(article: int, entity: int, alias: int = 0) -> int:
    return (article << _ENTITY_SHIFT) | (entity << _ALIAS_SHIFT) | alias


def _frame(columns: dict[str, list[Any]], ints: tuple[str, ...] = ("pos",)) -> pd.DataFrame:
    """The columns as a frame whose dtypes do not depend on the rows (an empty chunk gives the same schema)."""
    return pd.DataFrame(columns).astype({c: "int64" if c in ints else str for c in columns})


def evidence_rows(chunk: Sequence[tuple[int, ArticleFacts]]) -> pd.DataFrame:
    """The map of the corpus evidence, for (ordinal, facts) of articles: a "vote" row per entity (its name
    key, its label, how strongly the article says so), a "surname" row per ending of a person's name, an
    "event" row per named event. Pure: what an article yields depends on that article alone."""
    cols: dict[str, list[Any]] = {"table": [], "key": [], "label": [], "weight": [], "pos": []}

    def add(table: str, key: str, label: str = "", weight: int = 0, pos: int = 0) -> None:
        for col, value in zip(cols.values(), (table, key, label, weight, pos), strict=True):
            col.append(value)

    for a, af in chunk:
        counts, uses = dict(af.mentions), _uses(af)
        for i, ent in enumerate(af.entities):
            weight = max(1, counts.get(ent.name, 1)) + 2 * (ent.label in uses[ent.name])
            add("vote", plain_key(ent.name), ent.label, weight, _pos(a, i))
            if ent.label == "Person":
                for n in (ent.name, *ent.aliases):
                    words = name_key(n).split()
                    for k in range(1, len(words)):
                        add("surname", " ".join(words[k:]))
        for e in af.events:
            if e.name:
                add("event", plain_key(e.name))
    return _frame(cols, ("weight", "pos"))


def _votes(frame: Any) -> Any:
    """Per name key and label: the weight of the votes, and where the label was first given to the key."""
    return frame[frame["table"] == "vote"].groupby(["key", "label"]).agg({"weight": "sum", "pos": "min"})


def _key_sets(frame: Any) -> Any:
    """The distinct keys of each set table ("surname", "event")."""
    return frame[frame["table"] != "vote"].groupby(["table", "key"]).agg({"pos": "min"})


@dataclass
class Evidence:
    """The corpus evidence the per-article decisions read: the aggregates of `evidence_rows`."""

    #: name key -> label -> (weight of its votes, position of the first vote).
    votes: dict[str, dict[str, tuple[int, int]]]
    surnames: set[str]
    events: set[str]

    @classmethod
    def of(cls, ordered: list[ArticleFacts], frames: Frames) -> Evidence:
        votes_frame, sets = frames.reduce(list(enumerate(ordered)), evidence_rows, _votes, _key_sets)
        votes: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
        for key, label, weight, pos in zip(
            votes_frame["key"], votes_frame["label"], votes_frame["weight"], votes_frame["pos"], strict=True
        ):
            votes[key][label] = (int(weight), int(pos))
        keys: dict[str, set[str]] = {"surname": set(), "event": set()}
        for table, key in zip(sets["table"], sets["key"], strict=True):
            keys[table].add(key)
        return cls(votes, keys["surname"], keys["event"])

    def label(self, key: str, own: str) -> str:
        """The label most votes give the key; a tie goes to `own`, else to the label the key was first given."""
        votes = self.votes[key]
        best = max(weight for weight, _ in votes.values())
        if votes[own][0] == best:
            return own
        return min((first, label) for label, (weight, first) in votes.items() if weight == best)[1]


def settle(ordered: list[ArticleFacts], frames: Frames | None = None) -> Settled:
    """Decide, from the evidence of the whole corpus, what each name of each article (sorted by id) is.

    - A name no fact uses that is a named event's name ("Atlantic Maritime Summit") or part of a title
      stated in the article ("Logistics" in "Minister for Transport and Logistics") is no entity.
    - One name is one type: the label most of its mentions (and the facts using it) give it, so the
      dateline "OSLO" is the place Oslo and "Ribeira Alta" is the club it mostly is.
    - A short form joins the fuller entity of the same article it abbreviates: "Norvale" the company
      "Norvale Energy" (a place only when it never stands alone), "Civic Renewal" the "Civic Renewal
      Party", a surname ("Salgado", "van Dorn") the one person of the article bearing it.
    - A one-word "person" that no fact names and that is nobody's surname ("Turnout") is no person.

    The evidence is reduced on `frames` (default pandas in this process); the decisions read it per article.
    """
    evidence = Evidence.of(ordered, frames or Frames())
    redirect: dict[tuple[str, str], tuple[str, str]] = {}
    dropped: set[tuple[str, str]] = set()
    typed: list[list[Entity]] = []
    for af in ordered:
        aid, uses = af.article.id, _uses(af)
        titles = [f" {name_key(r.title)} " for r in af.roles]
        chosen: dict[tuple[str, str], Entity] = {}
        for ent in af.entities:
            key = plain_key(ent.name)
            if not uses[ent.name] and (key in evidence.events or any(f" {key} " in t for t in titles)):
                dropped.add((aid, ent.name))
                continue
            label = evidence.label(key, ent.label)
            if label != ent.label:
                redirect[(aid, ent.name)] = (label, ent.name)
                ent = Entity(ent.name, label, ent.aliases, None)
            seen = chosen.get((label, ent.name))
            chosen[(label, ent.name)] = (
                Entity(ent.name, label, tuple(dict.fromkeys((*seen.aliases, *ent.aliases))), seen.kind or ent.kind)
                if seen
                else ent
            )
        typed.append(list(chosen.values()))
    alone = {
        plain_key(p.name)
        for ents in typed
        for p in ents
        if p.label == "Place" and not _bodies_starting(ents, plain_key(p.name))
    }
    out = []
    for af, ents in zip(ordered, typed, strict=True):
        aid, uses = af.article.id, _uses(af)
        aliases: dict[int, list[str]] = defaultdict(list)
        gone: set[int] = set()
        for i, ent in enumerate(ents):
            j = _fuller(ents, i, alone, bool(uses[ent.name]))
            if j is not None:
                redirect[(aid, ent.name)] = (ents[j].label, ents[j].name)
                aliases[j].append(ent.name)
                gone.add(i)
            elif (
                ent.label == "Person"
                and " " not in plain_key(ent.name)
                and not uses[ent.name]
                and plain_key(ent.name) not in evidence.surnames
            ):
                dropped.add((aid, ent.name))
                gone.add(i)
        kept = tuple(
            Entity(e.name, e.label, tuple(dict.fromkeys((*e.aliases, *aliases[i]))), e.kind)
            for i, e in enumerate(ents)
            if i not in gone
        )
        out.append(replace(af, entities=kept))
    return Settled(out, redirect, dropped)


def _bodies_starting(ents: list[Entity], key: str) -> list[int]:
    """Indexes of the non-public organisations whose name starts with the words of `key`."""
    return [
        j
        for j, o in enumerate(ents)
        if o.label == "Organisation"
        and o.kind not in PUBLIC_KINDS
        and entity_key(o.label, o.name).startswith(key + " ")
    ]


def _fuller(ents: list[Entity], i: int, alone: set[str], used: bool) -> int | None:
    """The index of the one entity of the article that `ents[i]` is a short form of, if any."""
    ent = ents[i]
    key = plain_key(ent.name)
    one_word = " " not in key
    bodies = [j for j in _bodies_starting(ents, key) if j != i]
    if ent.label == "Organisation":
        bodies = [j for j in bodies if set(entity_key("Organisation", ents[j].name)[len(key) :].split()) <= BODY_WORDS]
    elif ent.label == "Person":
        bodies = bodies if one_word and not used else []
    else:
        bodies = bodies if ent.kind is None and key not in alone and not used else []
    if len(bodies) == 1:
        return bodies[0]
    surname = ent.label == "Person" and (one_word or ent.name[:1].islower())
    stray = ent.label != "Person" and ent.kind is None and one_word and not used
    if surname or stray:
        people = [
            j for j, p in enumerate(ents) if p.label == "Person" and j != i and name_key(p.name).endswith(" " + key)
        ]
        if len(people) == 1:
            return people[0]
    return None


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


def claim_key(label: str, name: str, apart: dict[tuple[str, str], str]) -> str:
    """The key a name claims its entity by; a name a user split off has its own, which no other name folds to."""
    key = entity_key(label, name)
    return "\x00" + key if apart and (label, name_key(name)) in apart else key


def claim_rows(apart: dict[tuple[str, str], str], chunk: Sequence[tuple[int, ArticleFacts]]) -> pd.DataFrame:
    """The map of the entities' names, for (ordinal, settled facts) of articles: a "name" row per entity (the
    key it claims, its name and kind), an "alias" row per alias (the key the alias names, whether it counts
    as a name of the entity or was split off). Pure, like `evidence_rows`."""
    cols: dict[str, list[Any]] = {k: [] for k in ("table", "label", "ckey", "name", "kind", "akey", "kept", "pos")}

    def add(table: str, ent: Entity, ckey: str, name: str, kind: str, akey: str, kept: int, pos: int) -> None:
        for col, value in zip(cols.values(), (table, ent.label, ckey, name, kind, akey, kept, pos), strict=True):
            col.append(value)

    for a, af in chunk:
        for i, ent in enumerate(af.entities):
            ckey = claim_key(ent.label, ent.name, apart)
            add("name", ent, ckey, ent.name, ent.kind or "", "", 1, _pos(a, i))
            for k, alias in enumerate(ent.aliases):
                kept = int(not apart or (ent.label, name_key(alias)) not in apart)
                add("alias", ent, ckey, alias, "", entity_key(ent.label, alias), kept, _pos(a, i, k))
    frame = _frame(cols, ("kept", "pos"))
    frame["one"] = 1  # summed into how often a name or kind claims a key
    return frame


def _names(frame: Any) -> Any:
    """Per claimed key: how often each name claims it, and where each first does."""
    return frame[frame["table"] == "name"].groupby(["label", "ckey", "name"]).agg({"one": "sum", "pos": "min"})


def _kinds(frame: Any) -> Any:
    """Per claimed key: how often each kind is given to it, and where each first is."""
    named = frame[(frame["table"] == "name") & (frame["kind"] != "")]
    return named.groupby(["label", "ckey", "kind"]).agg({"one": "sum", "pos": "min"})


def _owners(frame: Any) -> Any:
    """Per alias key: the claimed keys of the entities using the alias, and where each first does."""
    return frame[frame["table"] == "alias"].groupby(["label", "akey", "ckey"]).agg({"pos": "min"})


def _alias_names(frame: Any) -> Any:
    """The aliases that are names of the entity of their claimed key (not split off by a user)."""
    kept = frame[(frame["table"] == "alias") & (frame["kept"] == 1)]
    return kept.groupby(["label", "ckey", "name", "akey"]).agg({"pos": "min"})


def _sorted_rows(frame: pd.DataFrame, *columns: str) -> list[tuple[Any, ...]]:
    """The frame's rows as tuples of `columns`, by position (first appearance) when it has one."""
    if "pos" in frame.columns:
        frame = frame.sort_values("pos", kind="stable")
    return list(zip(*(frame[c].tolist() for c in columns), strict=True))


class Resolver:
    """Maps (article, label, name) to canonical entities across a corpus.

    Resolution runs as map -> reduce -> decide: pure per-article functions (`evidence_rows`, `claim_rows`)
    yield rows, group-bys on `frames` (pandas here by default, or a Dask cluster) reduce them to the corpus
    evidence, and the decisions (`settle`, then the folds of entities) read those aggregates.
    """

    def __init__(
        self,
        facts: Iterable[ArticleFacts],
        apart: dict[tuple[str, str], str] | None = None,
        frames: Frames | None = None,
    ) -> None:
        # (label, name key) of names a user split off an entity: they form an entity of their own.
        self._apart = apart or {}
        self._apart_ids: set[str] = set()
        self.entities: dict[str, Canonical] = {}
        self._by_key: dict[tuple[str, str], str] = {}
        self._local: dict[tuple[str, str, str], str] = {}
        self._folded: dict[str, str] = {}  # id of an entity folded into another -> that entity's id
        frames = frames or Frames()
        settled = settle(sorted(facts, key=lambda f: f.article.id), frames)
        self._redirect, self._dropped = settled.redirect, settled.dropped
        ordered = settled.facts
        names, kinds, owners, alias_names = frames.reduce(
            list(enumerate(ordered)), partial(claim_rows, self._apart), _names, _kinds, _owners, _alias_names
        )
        # Entities in the order the articles first name them, so ids and folds never depend on the engine.
        first: dict[tuple[str, str], tuple[int, str]] = {}
        for label, ckey, name, pos in _sorted_rows(names, "label", "ckey", "name", "pos"):
            first.setdefault((label, ckey), (pos, name))
        for (label, ckey), (_, name) in first.items():
            self._create(label, ckey, name)
        for label, ckey, name, n in _sorted_rows(names, "label", "ckey", "name", "one"):
            self.entities[self._by_key[(label, ckey)]].names[name] = n
        for label, ckey, kind, n in _sorted_rows(kinds, "label", "ckey", "kind", "one"):
            self.entities[self._by_key[(label, ckey)]].kinds[kind] = n
        for af in ordered:
            for ent in af.entities:
                claimed = (ent.label, claim_key(ent.label, ent.name, self._apart))
                self._local[(af.article.id, ent.label, ent.name)] = self._by_key[claimed]
        alias_owners: dict[tuple[str, str], set[str]] = {key: {eid} for key, eid in self._by_key.items()}
        for label, akey, ckey in _sorted_rows(owners, "label", "akey", "ckey"):
            alias_owners.setdefault((label, akey), set()).add(self._by_key[(label, ckey)])
        # Full names first, so alias-only mentions find the entity they abbreviate.
        for label, ckey, alias, akey in _sorted_rows(alias_names, "label", "ckey", "name", "akey"):
            eid = self._by_key[(label, ckey)]
            if len(alias_owners[(label, akey)]) == 1:
                self._by_key.setdefault((label, akey), eid)
            self.entities[eid].names[alias] += 0  # remembered as an alias
        self._merge_alias_only(alias_owners)
        self._merge_surnames()
        self._merge_short_forms()

    def _create(self, label: str, ckey: str, name: str) -> None:
        """The entity of a claimed key, with an id that is a function of the key alone (slugs of distinct keys
        differ), never of the order names arrive in; a name split off by curation takes the next free suffix."""
        split_from = ckey.startswith("\x00")
        base = f"{ID_PREFIX[label]}:{slug(ckey.lstrip(chr(0)) or name)}"
        eid, n = (f"{base}-2", 3) if split_from else (base, 2)
        while eid in self.entities:  # two keys with one slug: rare, kept apart
            eid, n = f"{base}-{n}", n + 1
        self.entities[eid] = Canonical(eid, label)
        self._by_key[(label, ckey)] = eid
        if split_from:
            self._apart_ids.add(eid)

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
                    for i in range(1, len(words)):  # "Dorn" and "van Dorn" of "Pieter van Dorn"
                        by_last[" ".join(words[i:])].add(canon.id)
        for short in [c for c in self.entities.values() if c.label == "Person"]:
            keys = {name_key(n) for n in short.names}
            # A surname alone is one word, or several after a lower-case particle ("van Dorn").
            if len(keys) != 1 or (" " in next(iter(keys)) and not all(n[:1].islower() for n in short.names)):
                continue
            owners = by_last.get(next(iter(keys)), set()) - {short.id}
            if len(owners) == 1:
                self._fold(short, self.entities[owners.pop()])

    def _merge_short_forms(self) -> None:
        """An organisation known only by a short form ("Norvale", in articles that never name the longer one) is
        the one organisation whose name starts with those words ("Norvale Energy"); with two such candidates
        ("Norvale Energy", "Norvale Shipping"), or only a government or international body, it stays apart."""
        bodies = [c for c in self.entities.values() if c.label == "Organisation"]
        starts: dict[str, set[str]] = defaultdict(set)
        for canon in bodies:
            for n in (n for n in canon.names if plain_key(n) == name_key(n)):  # "Disney+" is no long form of "Disney"
                words = entity_key(canon.label, n).split()
                for i in range(1, len(words)):
                    starts[" ".join(words[:i])].add(canon.id)
        for short in bodies:
            keys = {entity_key(short.label, n) for n in short.names}
            if short.id not in self.entities or len(keys) != 1:
                continue
            owners = {self._current(o) for o in starts.get(keys.pop(), set())} - {short.id}
            if len(owners) == 1:
                full = self.entities[owners.pop()]
                if full.kind not in PUBLIC_KINDS and same_kind(short, full):
                    self._fold(short, full)

    def _fold(self, short: Canonical, full: Canonical) -> None:
        if short.id in self._apart_ids or full.id in self._apart_ids:
            return  # a user said these are two
        full.names.update(short.names)
        full.kinds.update(short.kinds)
        del self.entities[short.id]
        self._folded[short.id] = full.id  # look-ups follow it, so a fold costs the same at any corpus size

    def id_of(self, article_id: str, label: str, name: str) -> str | None:
        """The canonical id of a name used in one article, or None if it is not an entity of that label there."""
        if (article_id, name) in self._dropped:
            return None
        if (article_id, name) in self._redirect:
            target_label, name = self._redirect[(article_id, name)]
            if target_label != label:
                return None
        eid = self._local.get((article_id, label, name))
        if eid is None:
            eid = self._by_key.get((label, entity_key(label, name)))
        return None if eid is None else self._current(eid)
