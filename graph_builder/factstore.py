"""The facts store: append-only Parquet parts, one per build, and an index of the articles a build holds.

A build writes the records of the articles it extracted into one new part
(`facts/part-NNNNNN.parquet`); parts are never rewritten, so a build costs
what it adds. Which articles a build holds, and in which part each one's
record lives, is the generation's index (`index.parquet`: id, doc_id, source,
part), which is small and answers "is this article new?" without reading the
facts themselves. Both are plain Parquet, readable by pandas, DuckDB, Polars
or Spark (`SELECT * FROM 'out/facts/*.parquet'`); the `record` column holds
each article's facts in the `facts.jsonl` format. Pages carry checksums, so a
damaged page is found when read, not silently decoded.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .atomic import atomic_open
from .errors import InputError
from .facts import from_record
from .model import ArticleFacts

#: Folder of the parts, beside the generations.
PARTS = "facts"
#: A generation's index of its articles.
INDEX = "index.parquet"
#: Once a build's index spans more parts than this, its new part holds every live record (compaction).
MAX_PARTS = 32

_PART_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("doc_id", pa.string()),
        ("title", pa.string()),
        ("url", pa.string()),
        ("published", pa.string()),
        ("source", pa.string()),
        ("record", pa.string()),
    ]
)
_INDEX_SCHEMA = pa.schema(
    [("id", pa.string()), ("doc_id", pa.string()), ("source", pa.string()), ("part", pa.string())]
)


@dataclass(frozen=True)
class Entry:
    """Where one article of a build is kept, and what names it in messages."""

    doc_id: str
    source: str | None
    part: str


@dataclass(frozen=True)
class Record:
    """One article's facts as stored: the JSON line and the article's metadata beside it."""

    id: str
    doc_id: str
    source: str | None
    line: str

    @classmethod
    def of(cls, af: ArticleFacts, line: str) -> Record:
        return cls(af.article.id, af.article.doc_id, af.article.source, line.rstrip("\n"))


Index = dict[str, Entry]


def part_name(number: int) -> str:
    return f"part-{number:06d}.parquet"


def _write_table(table: pa.Table, path: Path) -> None:
    with atomic_open(path, "wb") as fh:
        pq.write_table(table, fh, compression="zstd", write_page_checksum=True)


def write_part(out_dir: Path, name: str, records: Iterable[Record]) -> Path:
    """Write one part whole (a crash leaves none, or a whole one no index names yet)."""
    rows = sorted(records, key=lambda r: (r.doc_id, r.id))
    meta = [json.loads(r.line).get("article", {}) for r in rows]
    table = pa.table(
        {
            "id": [r.id for r in rows],
            "doc_id": [r.doc_id for r in rows],
            "title": [m.get("title") for m in meta],
            "url": [m.get("url") for m in meta],
            "published": [m.get("published") for m in meta],
            "source": [r.source for r in rows],
            "record": [r.line for r in rows],
        },
        schema=_PART_SCHEMA,
    )
    path = out_dir / PARTS / name
    _write_table(table, path)
    return path


def write_index(index: Index, path: Path) -> None:
    ids = sorted(index)
    table = pa.table(
        {
            "id": ids,
            "doc_id": [index[i].doc_id for i in ids],
            "source": [index[i].source for i in ids],
            "part": [index[i].part for i in ids],
        },
        schema=_INDEX_SCHEMA,
    )
    _write_table(table, path)


def read_index(path: Path) -> Index:
    table = pq.ParquetFile(path, page_checksum_verification=True).read()
    cols = [table.column(c).to_pylist() for c in ("id", "doc_id", "source", "part")]
    return {i: Entry(d, s, p) for i, d, s, p in zip(*cols, strict=True)}


def _live(out_dir: Path, index: Index, columns: list[str]) -> Iterator[tuple[str, pa.Table | Exception]]:
    """Each part the index names, read and cut to the articles the index takes from it; or why it is unreadable."""
    wanted: dict[str, list[str]] = {}
    for aid, entry in index.items():
        wanted.setdefault(entry.part, []).append(aid)
    for part, ids in sorted(wanted.items()):
        try:
            table = pq.read_table(out_dir / PARTS / part, columns=columns, page_checksum_verification=True)
        except (OSError, pa.ArrowException) as exc:
            yield part, exc
            continue
        yield part, table.filter(pc.is_in(table.column("id"), value_set=pa.array(ids, pa.string())))


def _strings(table: pa.Table, column: str) -> list[str]:
    return [str(v) for v in table.column(column).to_pylist()]


def load(out_dir: Path, index: Index, damaged: dict[str, InputError]) -> dict[str, ArticleFacts]:
    """The facts of every article in `index`; an article whose record cannot be read goes into `damaged`."""
    facts: dict[str, ArticleFacts] = {}
    for part, table in _live(out_dir, index, ["id", "record"]):
        where = str(out_dir / PARTS / part)
        if isinstance(table, Exception):
            for aid, entry in index.items():
                if entry.part == part:
                    damaged[aid] = InputError(where, f"unreadable part ({table})")
            continue
        for aid, line in zip(_strings(table, "id"), _strings(table, "record"), strict=True):
            try:
                facts[aid] = from_record(json.loads(line))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                damaged[aid] = InputError(where, f"damaged facts record ({exc})")
    for aid, entry in index.items():  # named by the index but not in its part
        if aid not in facts and aid not in damaged:
            damaged[aid] = InputError(str(out_dir / PARTS / entry.part), "facts record missing from its part")
    return facts


def records(out_dir: Path, index: Index) -> Iterator[Record]:
    """The stored records of the articles in `index`, as written (for compaction); unreadable ones left out."""
    for _, table in _live(out_dir, index, ["id", "doc_id", "source", "record"]):
        if isinstance(table, Exception):
            continue
        yield from (
            Record(*row)
            for row in zip(*(table.column(c).to_pylist() for c in ("id", "doc_id", "source", "record")), strict=True)
        )


def export_jsonl(out_dir: Path, index: Index, path: Path) -> None:
    """Write the records of `index` as `facts.jsonl`, sorted by document id, without decoding them."""
    tables = [t for _, t in _live(out_dir, index, ["id", "doc_id", "record"]) if not isinstance(t, Exception)]
    with atomic_open(path) as fh:
        if not tables:
            return
        table = pa.concat_tables(tables).sort_by([("doc_id", "ascending"), ("id", "ascending")])
        for batch in table.to_batches(max_chunksize=4096):
            fh.writelines(f"{line}\n" for line in batch.column("record").to_pylist())


def digest(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def part_digests(out_dir: Path, index: Index) -> dict[str, str]:
    """The sha256 of each part the index names: what a generation records to notice, without decoding anything,
    a part since damaged or gone."""
    return {p: digest(out_dir / PARTS / p) for p in sorted({e.part for e in index.values()})}
