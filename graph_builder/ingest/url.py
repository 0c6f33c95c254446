"""Article and feed URLs: fetch once with a timeout, then read the response like a file of its type."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from ..config import Settings
from ..errors import InputError
from ..model import Article
from ..version import __version__
from .files import read_data
from .normalise import doc_id_from_url

FETCH_TIMEOUT = 20.0  # seconds
MAX_BYTES = 50 * 1024 * 1024
_ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5"
_KINDS = {
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/rdf+xml": "feed",
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "text/plain": "text",
    "text/markdown": "text",
}


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def _fetch(url: str) -> tuple[bytes, str, str, str | None] | InputError:
    """Body, final URL, content type and declared charset of a page, or why it could not be had."""
    request = Request(url, headers={"User-Agent": f"graph_builder/{__version__}", "Accept": _ACCEPT})
    try:
        with urlopen(request, timeout=FETCH_TIMEOUT) as response:
            body = response.read(MAX_BYTES + 1)
            headers = response.headers
            final = response.geturl()
    except HTTPError as exc:
        return InputError(url, f"the server answered HTTP {exc.code} {exc.reason}; check the address")
    except URLError as exc:
        return InputError(url, f"cannot fetch ({exc.reason}); check the address and the network connection")
    except TimeoutError:
        return InputError(url, f"no answer within {FETCH_TIMEOUT:g} s; try again later")
    except (OSError, ValueError, http.client.HTTPException) as exc:
        return InputError(url, f"cannot fetch ({type(exc).__name__}: {exc}); check the address")
    if len(body) > MAX_BYTES:
        return InputError(url, f"the response is larger than {MAX_BYTES // 2**20} MB; download it and give the file")
    return body, final, headers.get_content_type(), headers.get_content_charset()


def read_url(url: str, settings: Settings) -> Iterator[Article | InputError]:
    """Articles at a URL: a feed's entries, or the main article of a page."""
    fetched = _fetch(url)
    if isinstance(fetched, InputError):
        yield fetched
        return
    body, final, content_type, charset = fetched
    kind = _KINDS.get(content_type, "html")
    stem = doc_id_from_url(final) or doc_id_from_url(url) or "page"
    yield from read_data(body, source=url, kind=kind, stem=stem, settings=settings, url=final, charset=charset)
