"""Typed records that flow between the stages.

The model imports nothing else from the package: every stage depends on it,
it depends on no stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum


class Status(StrEnum):
    """Whether a post is held now; a `str`, so records and JSON carry the bare word."""

    CURRENT = "current"
    FORMER = "former"
    FUTURE = "future"


#: The stages a post passes through, in order: announced, held, left.
STAGES = (Status.FUTURE, Status.CURRENT, Status.FORMER)


def furthest_status(stored: str | None, stated: str) -> str:
    """Of two undated reports of one post, the one further along its life.

    Without dates the articles' order says nothing, but a post announced is held later and a post held
    is left later: "will step down as finance chief" and "the former finance chief" make a former post,
    in whichever order they are read.
    """
    return stated if stored is None or STAGES.index(Status(stated)) > STAGES.index(Status(stored)) else stored


@dataclass(frozen=True)
class Article:
    """One news article as ingested.

    `id` is the sha256 of the normalised text, so the same article read from
    two files is one article; `doc_id` is the human name of its source (file
    stem or the record's own id) used in the facts export.
    """

    id: str
    doc_id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) when known
    source: str | None = None  # path or URL it was read from

    @classmethod
    def from_text(
        cls,
        text: str,
        *,
        title: str | None = None,
        url: str | None = None,
        published: str | None = None,
        doc_id: str | None = None,
        source: str = "<text>",
    ) -> Article:
        """The one right way to make an article from a string: the text is normalised as every reader
        normalises it, and the id is the hash of that normalised text (so offsets and ids agree).

        Raises InputError when nothing is left of the text once page boilerplate is removed.
        """
        from .ingest.normalise import build_article  # the model imports no stage at module level

        article = build_article(text, doc_id=doc_id or "", source=source, title=title, url=url, published=published)
        if not isinstance(article, Article):
            raise article
        return article if doc_id else replace(article, doc_id=article.id[:12])


@dataclass(frozen=True)
class Evidence:
    """The sentence that states a fact: character offsets into the article text."""

    article_id: str
    start: int
    end: int
    text: str

    @property
    def ref(self) -> str:
        return f"{self.article_id}:{self.start}-{self.end}"


@dataclass(frozen=True)
class Entity:
    """A person, organisation or place named in one article, after coreference."""

    name: str
    label: str  # "Person", "Organisation" or "Place"
    aliases: tuple[str, ...] = ()
    kind: str | None = None  # organisation or place kind (government, company, city, ...)


@dataclass(frozen=True)
class RoleFact:
    """A person holding a titled post, as one sentence states it.

    `rule` names the pattern that found the holder; `rules` is the whole chain of rule ids that chose
    the holder, the title, the organisation and the status, in that order. `confidence` is the
    trained scorer's probability that the fact is right.
    """

    person: str
    title: str
    organisation: str | None
    status: Status
    evidence: Evidence
    rule: str
    confidence: float = 0.8
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventFact:
    """A meeting or a named event with its parties, as one sentence states it.

    `roles` maps a participant's name to how it took part (speaker, host, ...).
    """

    name: str | None
    type: str
    participants: tuple[str, ...]
    evidence: Evidence
    rule: str
    organisers: tuple[str, ...] = ()
    place: str | None = None
    date: str | None = None
    roles: tuple[tuple[str, str], ...] = ()
    confidence: float = 0.7


@dataclass(frozen=True)
class ArticleFacts:
    """Everything extraction found in one article; names refer to `entities`."""

    article: Article
    entities: tuple[Entity, ...] = ()
    roles: tuple[RoleFact, ...] = ()
    events: tuple[EventFact, ...] = ()
    mentions: tuple[tuple[str, int], ...] = field(default=())  # (entity name, count)
