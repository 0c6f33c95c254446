"""Bytes to text and paths to readers: encodings, directory walks, dispatch on file type."""

from __future__ import annotations

import codecs
import errno
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import charset_normalizer

from ..config import Settings
from ..errors import InputError
from ..model import Article
from .feed import looks_like_feed, read_feed
from .html import read_html
from .jsonl import read_json, read_jsonl
from .text import read_text

#: Reader for each file extension; files with other extensions are skipped in directories.
EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = bytes(set(range(32)) - set(b"\t\n\v\f\r\x1b"))
_NOT_CONTROL = bytes(set(range(256)) - set(_CONTROL))
_SAMPLE = 8192
_LINES_SHOWN = 10  # lines named in a warning about replaced bytes
log = logging.getLogger(__name__)
_SNIFF = 4096


def _looks_binary(data: bytes) -> bool:
    """NUL bytes anywhere, or more than 5% control bytes at the start."""
    if b"\x00" in data:
        return True
    sample = data[:_SAMPLE]
    return len(sample.translate(None, _NOT_CONTROL)) > 0.05 * len(sample)


def _legacy_encoding(data: bytes) -> str | None:
    """The legacy encoding that reads the bytes as text; Windows-1252 wins ties, as news text is mostly Western."""
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    if any(m.chaos <= best.chaos and "cp1252" in m.could_be_from_charset for m in matches):
        return "cp1252"
    return best.encoding


def _utf8_with_replacements(data: bytes, source: str) -> str:
    """UTF-8 with each undecodable byte sequence replaced by U+FFFD, named in a warning with a count."""
    text = data.decode("utf-8", errors="replace")
    marks = [i for i, c in enumerate(text) if c == "\ufffd"]
    lines = sorted({text.count("\n", 0, i) + 1 for i in marks})
    shown = ", ".join(map(str, lines[:_LINES_SHOWN])) + (", ..." if len(lines) > _LINES_SHOWN else "")
    log.warning(
        "%s: %d byte sequence(s) not valid UTF-8 replaced by U+FFFD (line %s); the rest is read as UTF-8",
        source,
        len(marks) - data.count(b"\xef\xbf\xbd"),
        shown,
    )
    return text


def _mostly_utf8(data: bytes) -> bool:
    """More valid multi-byte UTF-8 characters than invalid sequences: UTF-8 with damage, not a legacy codec."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    good = sum(1 for c in text if ord(c) > 127) - text.count("\ufffd")
    return good >= bad


def decode(data: bytes, source: str, charset: str | None = None, lines: bool = False) -> str | InputError:
    """Text of a file: by byte-order mark, else UTF-8, else the charset a server declared, else a legacy codec.

    A legacy codec is used only when the whole file decodes cleanly in it and the file is not UTF-8 with a
    few bad bytes; those are replaced instead (and named). With `lines` (JSON Lines, judged line by line),
    NUL and control bytes do not reject the file: the lines holding them are rejected when parsed.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return InputError(source, f"starts with a {codec} byte-order mark but is not valid {codec}")
    if not lines and _looks_binary(data):
        return InputError(source, "looks binary (NUL or control bytes), not text; give text, HTML, JSON or a feed")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return _utf8_with_replacements(data, source)
    for legacy in (charset, _legacy_encoding(data)):
        if legacy:
            try:
                return data.decode(legacy)
            except (UnicodeDecodeError, LookupError):
                continue
    return InputError(source, "is not valid UTF-8 and no other text encoding fits; re-save it as UTF-8")


def read_data(
    data: bytes,
    *,
    source: str,
    kind: str,
    stem: str,
    settings: Settings,
    url: str | None = None,
    charset: str | None = None,
) -> Iterator[Article | InputError]:
    """Articles in the bytes of one source; a document that is a feed is read as one whatever its name."""
    if not data.strip():
        yield InputError(source, "empty file: there is no text to read")
        return
    if kind == "feed" or looks_like_feed(data):
        yield from read_feed(data, source=source, stem=stem)
        return
    text = decode(data, source, charset, lines=kind == "jsonl")
    if isinstance(text, InputError):
        yield text
    elif kind == "html":
        yield read_html(text, source=source, doc_id=stem, url=url)
    elif kind == "json":
        yield from read_json(text, source=source, stem=stem, fields=settings.json_fields)
    elif kind == "jsonl":
        yield from read_jsonl(text, source=source, stem=stem, fields=settings.json_fields)
    else:
        yield read_text(text, source=source, doc_id=stem)


def _unsupported(path: Path) -> InputError:
    kinds = ", ".join(sorted(EXTENSIONS))
    return InputError(str(path), f"unsupported file type {path.suffix or '(no extension)'!r}; give one of {kinds}")


def read_file(path: Path, settings: Settings) -> Iterator[Article | InputError]:
    """Articles in one file; a file of unknown type is read only when its content is a feed."""
    source = str(path)
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            yield InputError(source, "not a regular file (a FIFO, socket or device); give a file or a directory")
            return
        kind = EXTENSIONS.get(path.suffix.lower())
        with path.open("rb") as handle:
            if kind is None and not looks_like_feed(handle.read(_SNIFF)):
                yield _unsupported(path)
                return
            handle.seek(0)
            data = handle.read()
    except PermissionError:
        yield InputError(source, "permission denied; make the file readable for this user")
        return
    except OSError as exc:
        yield InputError(source, f"cannot read the file ({exc.strerror or exc}); check it exists and is readable")
        return
    yield from read_data(data, source=source, kind=kind or "feed", stem=path.stem, settings=settings)


def _broken_link(path: Path) -> InputError:
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return InputError(str(path), "symbolic link loop: following it leads back to a link; fix or remove it")
    return InputError(str(path), "broken symbolic link: its target does not exist")


class Walker:
    """Expands sources into files, never entering one real directory twice (so symlink loops end)."""

    def __init__(self, ignored: dict[str, int] | None = None) -> None:
        self._seen: set[str] = set()
        #: Files left out of directories for their type, counted by extension, for the run's summary.
        self.ignored: dict[str, int] = {} if ignored is None else ignored

    def files(self, source: str) -> Iterator[Path | InputError]:
        """The given file, or the readable-looking files under a directory in sorted order."""
        path = Path(source)
        if path.is_dir():
            yield from self._walk(path)
        elif path.is_symlink() and not path.exists():
            yield _broken_link(path)
        elif not path.exists():
            yield InputError(source, "no such file or directory; check the path")
        else:
            yield path

    def _walk(self, directory: Path) -> Iterator[Path | InputError]:
        real = os.path.realpath(directory)
        if real in self._seen:
            return
        self._seen.add(real)
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            yield InputError(str(directory), f"cannot list the directory ({exc.strerror or exc}); check permissions")
            return
        for entry in entries:
            path = Path(entry.path)
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                yield from self._walk(path)
            elif path.suffix.lower() not in EXTENSIONS:
                kind = path.suffix.lower() or "(no extension)"
                self.ignored[kind] = self.ignored.get(kind, 0) + 1
            elif entry.is_symlink() and not path.exists():
                yield _broken_link(path)
            else:
                yield path
