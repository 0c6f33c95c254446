"""Title normalisation: the key under which two spellings of one post meet.

Reads the qualifier lexicon the extraction rules read (`extract/lexicons/qualifiers.tsv`), so the words
that say whether a post is held now ("former", "incumbent", "one-time") are listed once, and the title
synonyms (`data/title_synonyms.tsv`). The files are read as package data, so importing this module loads
neither spaCy nor the graph.
"""

from __future__ import annotations

from collections.abc import Container
from functools import cache

from .text import data_rows, fold

#: Words that fill a post's name without naming it: "Minister for Trade" is "Trade Minister".
POST_FILLERS = frozenset({"for", "of", "and", "the"})


def _words(text: str) -> tuple[str, ...]:
    return tuple(fold(text.replace("-", " ")).split())


@cache
def qualifiers() -> frozenset[tuple[str, ...]]:
    """The status qualifiers of the lexicon, each as the words `title_key` sees ("one-time" -> one, time)."""
    return frozenset(_words(row[0]) for row in data_rows("extract", "lexicons", "qualifiers.tsv"))


@cache
def synonyms() -> dict[str, str]:
    return {row[0]: row[1] for row in data_rows("data", "title_synonyms.tsv")}


def title_key(title: str) -> str:
    """Normalised form of a title that names the post, not its holder's status: "ex-CEO" -> "chief executive"."""
    words = _words(title)
    longest = max(map(len, qualifiers()), default=0)
    kept: list[str] = []
    i = 0
    while i < len(words):
        span = next((n for n in range(longest, 0, -1) if words[i : i + n] in qualifiers()), 0)
        if span:
            i += span
        else:
            kept.append(words[i])
            i += 1
    key = " ".join(kept) or fold(title)
    return synonyms().get(key, key)


def same_post(a: str, b: str) -> bool:
    """ "Trade and Industry Minister" and "Minister for Trade and Industry" name one post."""
    return {w for w in a.split() if w not in POST_FILLERS} == {w for w in b.split() if w not in POST_FILLERS}


def with_body_word(short: str, long: str, body_words: Container[str]) -> bool:
    """ "club chairman" is "chairman" with a body word in front: one post, the longer title naming it more
    specifically (compared by `title_key`, so "former chairman" is "chairman" too)."""
    words = title_key(long).split()
    return len(words) > 1 and words[0] in body_words and title_key(" ".join(words[1:])) == title_key(short)
