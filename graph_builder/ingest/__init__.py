"""Ingest: files, directories, JSON/JSONL dumps, RSS/Atom feeds and URLs in; `Article` records out.

A source that cannot be read yields an `InputError` and reading goes on, so
one bad file never stops a batch. The same article (same normalised text,
hence same id) read twice, under two names or from two sources, is yielded
once: the first time it is met.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from ..config import Settings
from ..errors import InputError
from ..model import Article
from .files import Walker, read_file
from .normalise import article_id, normalise
from .url import is_url, read_url

__all__ = ["article_id", "normalise", "read_sources"]

log = logging.getLogger(__name__)


def _read_one(source: str, walker: Walker, settings: Settings) -> Iterator[Article | InputError]:
    if is_url(source):
        yield from read_url(source, settings)
        return
    for item in walker.files(source):
        if isinstance(item, InputError):
            yield item
        else:
            yield from read_file(item, settings)


def read_sources(
    sources: Iterable[str | Article], settings: Settings, ignored: dict[str, int] | None = None
) -> Iterator[Article | InputError]:
    """Yield articles from files, directories (recursive), JSON/JSONL, feeds and URLs, in a stable order;
    yield (do not raise) an InputError for each source/line that cannot be read, and go on.

    Order: sources as given; inside a directory, entries sorted by name,
    hidden ones skipped, files of other types counted in `ignored` by extension. Duplicate articles after
    the first are dropped.
    """
    walker = Walker(ignored)
    seen: set[str] = set()
    for source in sources:
        # An Article made in Python (`Article.from_text`) goes through as it is.
        items = iter([source]) if isinstance(source, Article) else _read_one(str(source), walker, settings)
        for item in items:
            if isinstance(item, Article):
                if item.id in seen:
                    log.info("%s: same text as an article read before; skipped", item.source)
                    continue
                seen.add(item.id)
            yield item
