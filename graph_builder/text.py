"""Name folding shared by resolution and the sinks: one definition of "the same name"."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from anyascii import anyascii

HONORIFICS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "sir",
        "dame",
        "lord",
        "lady",
        "prof",
        "professor",
        "shri",
        "smt",
        "sen",
        "rep",
        "gen",
        "col",
        "capt",
        "rev",
        "hon",
        "frau",
        "herr",
        "mme",
        "mlle",
        "father",
        "count",
        "countess",
        "baron",
        "baroness",
        "duke",
        "duchess",
        "earl",
    ]
)


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation-free form of a name."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower().replace("&", " and ")
    text = re.sub(r"['\u2019]s\b", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def name_key(name: str) -> str:
    """Key under which two spellings of one name meet: folded, no honorifics, no "the"."""
    words = fold(name).split()
    while words and (words[0] in HONORIFICS or words[0] == "the"):
        words = words[1:]
    return " ".join(words)


def _ascii(folded: str) -> str:
    """Letters of other scripts transliterated (Τσίπρας -> tsipras); Latin letters as `fold` left them."""
    return "".join(
        c if c.isascii() or "LATIN" in unicodedata.name(c, "") else re.sub(r"[^a-z0-9]", "", anyascii(c).lower())
        for c in folded
    )


def slug(text: str) -> str:
    """URL- and IRI-safe form of a key, a function of the name alone: `Minoru Kiuchi` -> `minoru-kiuchi`.

    Where the readable part loses something (another script transliterated, a letter dropped), a short
    hash of the folded name follows it, so two names never share a slug whatever order they arrive in:
    `Τσίπρας` -> `tsipras-` + 10 hex digits, apart from the Latin `Tsipras`.
    """
    folded = fold(text)
    readable = re.sub(r"[^a-z0-9]+", "-", _ascii(folded)).strip("-")
    if readable and readable.replace("-", " ") == folded:
        return readable
    digest = hashlib.sha1(folded.encode("utf-8")).hexdigest()[:10]
    return f"{readable}-{digest}" if readable else digest
