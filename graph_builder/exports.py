"""Exports on demand: any sink's file, or `facts.jsonl`, written from the build a folder holds now.

A build writes `facts.jsonl` and the whole Turtle itself only up to `full_exports_max_articles`
articles (bigger builds write their RDF update, `rdf/NNNNNN.ru`, which costs what changed); this
writes them, and every other export format, whenever they are wanted. `facts.jsonl` is streamed
from the stored records without decoding them, unless corrections shaped the graph.
"""

from __future__ import annotations

from pathlib import Path

from . import registry
from .build import export_facts, load_facts, load_graph
from .config import Settings
from .facts import FILENAME as FACTS_FILE
from .generations import Folder

#: The export that is not a sink of the graph: every article's facts, one JSON line each.
FACTS = "facts"


def formats() -> list[str]:
    """Every format `export` writes, sorted."""
    return sorted([FACTS, *registry.names("sink", export=True)])


def export(settings: Settings, format: str, output: Path | None = None) -> Path:
    """Write the build in `settings.out_dir` as `format` to `output` (default: its usual name in the folder)."""
    if format == FACTS:
        path = output or settings.out_dir / FACTS_FILE
        from .curation import curate_facts, read_curation

        current = Folder(settings.out_dir).current()
        if current is not None and not read_curation(settings.out_dir).records:
            export_facts(settings.out_dir, current.index, None, path)
        else:
            export_facts(settings.out_dir, {}, curate_facts(load_facts(settings), settings.out_dir), path)
        return path
    path = output or settings.out_dir / registry.filename(format)
    registry.sink(format)(load_graph(settings), path, settings)
    return path
