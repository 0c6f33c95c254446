"""Plain text and Markdown: the whole file is one article, a headline-like first line its title."""

from __future__ import annotations

from ..errors import InputError
from ..model import Article
from .normalise import build_article


def read_text(text: str, *, source: str, doc_id: str) -> Article | InputError:
    """One article; the title line stays in the text so offsets cover what the reader sees."""
    return build_article(text, doc_id=doc_id, source=source, title_from_first_line=True)
