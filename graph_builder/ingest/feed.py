"""RSS and Atom feeds via feedparser: each entry an article, a broken feed reported after its entries."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import feedparser

from ..errors import InputError
from ..model import Article
from .html import html_to_text
from .normalise import build_article, doc_id_from_url

_FEED_START = re.compile(
    rb"\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<(?:rss|feed|rdf:RDF)[\s>/]", re.DOTALL | re.IGNORECASE
)
_BOMS = (b"\xef\xbb\xbf",)
#: feedparser flags these as `bozo` although the entries are complete.
_HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType, feedparser.UndeclaredNamespace)


def looks_like_feed(data: bytes) -> bool:
    """True when the document's first element is an RSS, Atom or RSS 1.0 (RDF) root."""
    head = data[:4096]
    for bom in _BOMS:
        head = head.removeprefix(bom)
    return _FEED_START.match(head) is not None


def _entry_text(entry: Any) -> str:
    """The fullest text an entry carries: its longest content, else its summary, as plain text."""
    contents = [c.get("value") or "" for c in entry.get("content") or ()]
    raw = max(contents, key=len, default="") or entry.get("summary") or entry.get("description") or ""
    return html_to_text(raw) if isinstance(raw, str) else ""


def _entry_date(entry: Any) -> Any:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        if entry.get(key):
            return entry[key]
    return entry.get("published") or entry.get("updated")


def read_feed(data: bytes, *, source: str, stem: str) -> Iterator[Article | InputError]:
    """Articles of a feed's entries; a malformed or truncated feed adds one InputError after them."""
    parsed = feedparser.parse(data)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, _HARMLESS):
        problem = None
    entries = parsed.get("entries") or []
    if not entries:
        if not parsed.get("version"):
            detail = f" ({problem})" if problem else ""
            yield InputError(source, f"not an RSS or Atom feed{detail}; check the file or address")
        elif problem:
            yield InputError(source, f"feed is malformed or truncated ({problem}); no entry could be read")
        else:
            yield InputError(source, "feed has no entries")
        return
    for number, entry in enumerate(entries, 1):
        title = entry.get("title") or None
        text = _entry_text(entry)
        if not text.strip():
            name = f" ({title})" if title else ""
            yield InputError(source, f"feed entry {number}{name} has no text (no content, summary or description)")
            continue
        yield build_article(
            text,
            doc_id=doc_id_from_url(entry.get("id") or entry.get("link")) or f"{stem}-{number}",
            source=source,
            title=html_to_text(title) if title else None,
            url=entry.get("link"),
            published=_entry_date(entry),
        )
    if problem:
        line = problem.getLineNumber() if hasattr(problem, "getLineNumber") else None
        yield InputError(
            source,
            f"feed is malformed or truncated ({problem}); the {len(entries)} entries before the break were read",
            line,
        )
