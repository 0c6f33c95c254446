"""Name folding shared by resolution and the sinks: one definition of "the same name"."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from importlib import resources

from anyascii import anyascii

#: Tokens that make the name before them a possessive: "Norvale's", "Norvale’s", "the Lenzes'".
POSSESSIVE = frozenset({"'s", "’s", "'"})
#: How the name of a country's or region's government starts: "Government of Japan".
GOVERNMENT_OF = "Government of "

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


_POSSESSIVE_S = re.compile("(?:" + "|".join(sorted(re.escape(p) for p in POSSESSIVE if p.endswith("s"))) + r")\b")


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation-free form of a name."""
    if not text.isascii():  # ASCII has no accents to strip: most names skip the per-letter pass
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower().replace("&", " and ")
    text = _POSSESSIVE_S.sub("", text)
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
    """URL- and IRI-safe form of a key, a function of the name alone: `Kenji Aramaki` -> `kenji-aramaki`.

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


def data_rows(*path: str) -> list[list[str]]:
    """The rows of a tab-separated data file shipped in the package (`#` starts a comment line), cells stripped."""
    text = resources.files("graph_builder").joinpath(*path).read_text(encoding="utf-8")
    return [
        [cell.strip() for cell in line.split("\t")]
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    ]
