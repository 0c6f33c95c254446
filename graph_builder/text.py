"""Name folding shared by resolution and the sinks: one definition of "the same name"."""

from __future__ import annotations

import re
import unicodedata

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


def slug(text: str) -> str:
    """URL- and IRI-safe form of a key: `Minoru Kiuchi` -> `minoru-kiuchi`."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"
