"""One normal form for article text, so that ids are content hashes and offsets stay meaningful.

Page furniture ("ALSO READ" lists, "Share this article", tag labels) is
removed line by line from patterns kept as data in `boilerplate.txt`;
everything else in the text is kept as it is, apart from Unicode NFC,
newlines and blank lines.
"""

from __future__ import annotations

import hashlib
import re
import time
import unicodedata
from collections.abc import Sequence
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

from ..errors import InputError
from ..model import Article

_NEWLINES = re.compile(r"\r\n|[\r\u2028\u2029\x85\x0b\x0c]")
_BLANK_RUNS = re.compile(r"\n{3,}")
_KINDS = ("line", "list", "tag", "tail")
#: Longer lines are article prose, never page furniture: skip the pattern tests for them.
_MAX_BOILERPLATE_LINE = 200
_MAX_TAG_VALUE = 60
_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%Y/%m/%d", "%d.%m.%Y")


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Boilerplate patterns from the packaged data file, as (kind, compiled regex)."""
    text = resources.files(__package__).joinpath("boilerplate.txt").read_text(encoding="utf-8")
    patterns = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        kind, _, regex = line.partition(" ")
        if kind not in _KINDS or not regex.strip():
            raise ValueError(f"boilerplate.txt:{number}: expected 'KIND REGEX' with KIND one of {_KINDS}")
        patterns.append((kind, re.compile(regex.strip())))
    return tuple(patterns)


def looks_like_headline(line: str) -> bool:
    """A short line that does not end like a sentence: a title or a list of links' item."""
    text = line.strip()
    if not text or len(text) > 150 or len(text.split()) > 25:
        return False
    return text.rstrip("\"'”’)»")[-1:] not in (".", ",", ";", ":")


def _is_tag_value(line: str) -> bool:
    text = line.strip()
    return 0 < len(text) <= _MAX_TAG_VALUE and not text.endswith(".")


def _kind_of(line: str) -> str | None:
    if len(line) > _MAX_BOILERPLATE_LINE:
        return None
    for kind, pattern in _patterns():
        if kind != "tail" and pattern.fullmatch(line):
            return kind
    return None


def _cut_tail(line: str) -> str:
    """The line without a trailing credit ("... distractions. Author: A (jc) Editor: B")."""
    for kind, pattern in _patterns():
        if kind == "tail" and (m := pattern.search(line)) is not None:
            return line[: m.start()].rstrip()
    return line


def _drop_once(lines: Sequence[str]) -> list[str]:
    kept: list[str] = []
    i = 0
    while i < len(lines):
        kind = _kind_of(lines[i])
        i += 1
        if kind is None:
            kept.append(lines[i - 1])
        elif kind == "list":
            while i < len(lines) and looks_like_headline(lines[i]):
                i += 1
        elif kind == "tag" and i < len(lines) and _is_tag_value(lines[i]):
            i += 1
            while i < len(lines) and lines[i].startswith("- ") and _is_tag_value(lines[i]):
                i += 1
    return kept


def _drop_boilerplate(lines: list[str]) -> list[str]:
    """Drop page furniture until none is left, so that normalising twice changes nothing."""
    while True:
        kept = _drop_once(lines)
        if len(kept) == len(lines):
            return kept
        lines = kept


def normalise(text: str) -> str:
    """NFC, `\\n` newlines, no trailing spaces, no page boilerplate, at most one blank line in a row."""
    text = _NEWLINES.sub("\n", unicodedata.normalize("NFC", text))
    lines = _drop_boilerplate([_cut_tail(line.rstrip()) for line in text.split("\n")])
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")


def _digest(normalised: str) -> str:
    return hashlib.sha256(normalised.encode("utf-8", "surrogatepass")).hexdigest()


def article_id(text: str) -> str:
    """The id of an article: sha256 hex of its normalised text."""
    return _digest(normalise(text))


def _date_from_string(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    prefix = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})\b", text)
    if prefix:
        try:
            return date(*map(int, prefix.groups()))
        except ValueError:
            return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def iso_date(value: object) -> str | None:
    """`YYYY-MM-DD` for an ISO or RFC 2822 string, a parsed time tuple, a date or a Unix time; else None."""
    found: date | None = None
    if isinstance(value, datetime):
        found = value.date()
    elif isinstance(value, date):
        found = value
    elif isinstance(value, str):
        found = _date_from_string(value)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if abs(value) > 1e11 else value  # milliseconds, as JavaScript writes them
        try:
            found = datetime.fromtimestamp(seconds, tz=UTC).date()
        except (OverflowError, OSError, ValueError):
            found = None
    elif isinstance(value, time.struct_time | tuple) and len(value) >= 3:
        try:
            found = date(*(int(part) for part in value[:3]))
        except (TypeError, ValueError):
            found = None
    return found.isoformat() if found else None


def doc_id_from_url(value: str | None) -> str | None:
    """Readable id from the last path segment of a URL or URN (`.../big-news.html` -> `big-news`)."""
    if not value:
        return None
    parts = urlsplit(value.strip())
    path = parts.path if parts.scheme in ("http", "https", "") and parts.netloc else value
    segment = next((s for s in reversed(re.split(r"[/:?#]", path)) if s), "") or parts.netloc
    segment = re.sub(r"\.(s?html?|php|aspx?|jsp)$", "", segment, flags=re.IGNORECASE)
    return re.sub(r"[^\w.-]+", "-", segment).strip("-.") or None


def build_article(
    text: str,
    *,
    doc_id: str,
    source: str,
    title: str | None = None,
    url: str | None = None,
    published: object = None,
    title_from_first_line: bool = False,
    line: int | None = None,
) -> Article | InputError:
    """An Article from raw text, or the reason there is none.

    With `title_from_first_line`, a headline-like first line becomes the title
    when none is given; it stays in the text either way.
    """
    clean = normalise(text)
    if not clean.strip():
        return InputError(source, "no article text found (nothing left after removing page boilerplate)", line)
    if title_from_first_line and not title:
        first, _, rest = clean.partition("\n")
        if rest.strip() and looks_like_headline(first):
            title = first.strip().lstrip("#").strip()
    title = " ".join(unicodedata.normalize("NFC", title).split()) if title else None
    return Article(
        id=_digest(clean),
        doc_id=doc_id,
        text=clean,
        title=title or None,
        url=url.strip() if url and url.strip() else None,
        published=iso_date(published),
        source=source,
    )
