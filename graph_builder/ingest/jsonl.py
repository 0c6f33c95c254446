"""JSON and JSON Lines dumps of news APIs: one record an article, field names from the settings."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..config import DEFAULT_JSON_FIELDS
from ..errors import InputError
from ..model import Article
from .html import html_to_text, looks_like_markup
from .normalise import build_article

#: Keys under which an API response object keeps its list of articles.
LIST_KEYS = ("articles", "items", "data", "results", "records", "documents", "docs", "entries")

BAD_RECORDS_SHOWN = 20  # bad records of one file named one by one; the rest are counted

_JSON_TYPES = {int: "number", float: "number", str: "string", bool: "boolean", type(None): "null"}

Fields = Mapping[str, tuple[str, ...]]


def _names(fields: Fields, key: str) -> tuple[str, ...]:
    return tuple(fields.get(key) or DEFAULT_JSON_FIELDS[key])


def _field(record: Mapping[str, Any], name: str) -> Any:
    """A field by name, or by a dotted path into nested objects ("content.body")."""
    if name in record or "." not in name:
        return record.get(name)
    value: Any = record
    for part in name.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _value(record: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    """The first non-empty value among the field names."""
    for name in names:
        value = _field(record, name)
        if value is not None and value != "" and value != [] and value != {}:
            return value
    return None


def _as_text(value: Any) -> str | None:
    """Text of a field: a string, or a list of paragraph strings; HTML reduced to its text."""
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        value = "\n\n".join(value)
    if not isinstance(value, str):
        return None
    return html_to_text(value) if looks_like_markup(value) else value


def _as_label(value: Any) -> str | None:
    if isinstance(value, str | int) and not isinstance(value, bool):
        return str(value).strip() or None
    return None


def read_record(
    record: Any, *, source: str, fallback_id: str, fields: Fields, line: int | None = None, where: str = ""
) -> Article | InputError:
    """One JSON object as an article; `where` names the record for errors outside JSON Lines."""
    if not isinstance(record, dict):
        return InputError(source, f"{where}expected a JSON object (an article), found {type(record).__name__}", line)
    names = _names(fields, "text")
    raw = _value(record, names)
    if raw is None:
        return InputError(
            source,
            f"{where}record has no article text (looked for fields: {', '.join(names)}); "
            "set json_fields.text in graph_builder.toml if your field has another name",
            line,
        )
    text = _as_text(raw)
    if text is None:
        return InputError(source, f"{where}the text field holds {type(raw).__name__}, not a string", line)
    title = _as_label(_value(record, _names(fields, "title")))
    return build_article(
        text,
        doc_id=_as_label(_value(record, _names(fields, "id"))) or fallback_id,
        source=source,
        title=html_to_text(title) if title and looks_like_markup(title) else title,
        url=_as_label(_value(record, _names(fields, "url"))),
        published=_value(record, _names(fields, "published")),
        line=line,
    )


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Numbered lines split on `\\n` only: JSON strings may hold other line separators verbatim."""
    start, number = 0, 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        number += 1
        yield number, text[start:end]
        start = end + 1


def capped(items: Iterable[Article | InputError], source: str) -> Iterator[Article | InputError]:
    """Every article, but only the first `BAD_RECORDS_SHOWN` bad records of a file, then one count of the rest:
    a million records without text make one line of warning, not a million."""
    hidden, first = 0, None
    for item in items:
        if isinstance(item, InputError):
            hidden += 1
            if hidden <= BAD_RECORDS_SHOWN:
                yield item
                continue
            first = first or item
        else:
            yield item
    if first is not None:
        yield InputError(
            source,
            f"{hidden - BAD_RECORDS_SHOWN:,} more bad record(s) not listed one by one, "
            f"the first of them: {first.reason}",
            first.line,
        )


def _parsed(text: str, source: str, stem: str, fields: Fields) -> Iterator[Article | InputError]:
    for number, line in _lines(text):
        if not line.strip():
            continue
        if not line.strip("\x00\r\t "):
            yield InputError(source, "NUL bytes only (the tail of a file whose writing was cut short?)", number)
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:  # ValueError also covers over-long integers
            reason = getattr(exc, "msg", None) or str(exc) or "nested too deeply"
            yield InputError(source, f"not valid JSON ({reason}); each line must be one JSON object", number)
            continue
        yield read_record(record, source=source, fallback_id=f"{stem}-{number}", fields=fields, line=number)


def read_jsonl(text: str, *, source: str, stem: str, fields: Fields) -> Iterator[Article | InputError]:
    """One article a line; a bad line is reported with its number (up to a cap a file) and the rest are read."""
    yield from capped(_parsed(text, source, stem, fields), source)


def _records(data: Any) -> list[Any] | None:
    """The list of article records in a parsed document, or None when it holds none."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        return next((data[key] for key in LIST_KEYS if isinstance(data.get(key), list)), None)
    return None


def read_json(text: str, *, source: str, stem: str, fields: Fields) -> Iterator[Article | InputError]:
    """A JSON document: one article object, a list of them, or an object holding such a list."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # several objects one after another: JSON Lines under a .json name
            yield from read_jsonl(text, source=source, stem=stem, fields=fields)
        else:
            yield InputError(source, f"not valid JSON ({exc.msg} at column {exc.colno})", exc.lineno)
        return
    except (ValueError, RecursionError) as exc:
        yield InputError(source, f"not readable JSON ({exc or 'nested too deeply'})")
        return
    if isinstance(data, dict) and _value(data, _names(fields, "text")) is not None:
        yield read_record(data, source=source, fallback_id=stem, fields=fields)
        return
    records = _records(data)
    if records is None:
        kind = _JSON_TYPES.get(type(data), type(data).__name__)
        found = "an object without article text" if isinstance(data, dict) else f"a JSON {kind}"
        yield InputError(
            source,
            "expected an article object, a list of them, or an object with a list under one of "
            f"{', '.join(LIST_KEYS)}; found {found}",
        )
        return
    yield from capped(
        (
            read_record(record, source=source, fallback_id=f"{stem}-{index}", fields=fields, where=f"record {index}: ")
            for index, record in enumerate(records, 1)
        ),
        source,
    )
