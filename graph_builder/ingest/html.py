"""HTML in: the main article text of a page via trafilatura, or plain text of an HTML fragment."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import trafilatura

from ..errors import InputError
from ..model import Article
from .normalise import build_article

_BLOCKS = frozenset(
    (
        *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure"),
        *("footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre"),
        *("section", "table", "td", "th", "tr", "ul"),
    )
)
_HIDDEN = frozenset(("script", "style", "template", "noscript"))
_MARKUP = re.compile(
    r"</?(p|br|div|span|a|b|i|em|strong|li|ul|ol|h[1-6]|blockquote|figure|img|section|article|table)\b[^>]*>",
    re.IGNORECASE,
)

_SENTENCE_END = re.compile(r"[.!?][\"'”’)»]*\s*$")


class _TextCollector(HTMLParser):
    """Text of a fragment with one line per block element; scripts and styles left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def looks_like_markup(text: str) -> bool:
    """True when a text field carries HTML tags (as news APIs and feeds often do)."""
    return _MARKUP.search(text) is not None


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment such as a feed summary: one line per paragraph."""
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _has_prose(text: str) -> bool:
    """At least one sentence: extraction falls back to menus and link lists on pages without an article."""
    return any(len(line.split()) >= 4 and _SENTENCE_END.search(line) for line in text.split("\n"))


def read_html(page: str, *, source: str, doc_id: str, url: str | None = None) -> Article | InputError:
    """The article of a web page: main text, title, date and canonical URL, boilerplate left behind."""
    try:
        doc = trafilatura.bare_extraction(page, url=url, with_metadata=True, include_comments=False)
    except Exception as exc:  # trafilatura and lxml raise assorted errors on malformed pages
        return InputError(source, f"HTML could not be parsed ({type(exc).__name__}: {exc}); check it is a web page")
    text = getattr(doc, "text", None)
    if not text or not _has_prose(text):
        return InputError(source, "no article text found: the page has no main article body")
    return build_article(
        text,
        doc_id=doc_id,
        source=source,
        title=getattr(doc, "title", None),
        url=getattr(doc, "url", None) or url,
        published=getattr(doc, "date", None),
    )
