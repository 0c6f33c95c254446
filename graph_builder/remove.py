"""Taking articles out of a build: their facts go, facts other articles also state stay.

Removal writes a new generation whose index lacks the articles (the facts
store's parts are not touched) and whose outputs are rebuilt from what
remains, as `build` would have written them without those articles. Neo4j,
which is loaded additively and may hold more than one build, is changed in
place (`sinks.neo4j.update_graph`) before the local files, so a failed removal
leaves the build as it was and a rerun completes it. Removing an article that
is not (or no longer) in the build changes nothing and succeeds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .build import (
    BUILD_SINKS,
    JOURNAL,
    Plan,
    Report,
    fingerprint,
    left_out,
    load_state,
    load_stored,
    write_generation,
)
from .config import Settings
from .errors import ConfigError, GraphBuilderError, InputError
from .generations import Folder, writer_lock
from .ingest import read_sources
from .model import Article, ArticleFacts

log = logging.getLogger("graph_builder")

#: An article id given by a prefix must give at least this many hex digits.
MIN_PREFIX = 8


@dataclass
class Removal:
    """What a removal did, for the summary."""

    removed: list[ArticleFacts] = field(default_factory=list)
    kept: int = 0
    build: Report = field(default_factory=Report)
    neo4j: dict[str, int] | None = None

    def summary(self) -> str:
        lines = [f"removed {len(self.removed)} article(s), {self.kept} left"]
        lines += [
            f"  removed {af.article.id} {af.article.doc_id}"
            + (f" ({af.article.source})" if af.article.source and af.article.source != af.article.doc_id else "")
            for af in self.removed
        ]
        if self.build.facts:
            lines.append("graph: " + ", ".join(f"{v} {k}" for k, v in self.build.facts.items()))
        if self.neo4j is not None:
            lines.append("Neo4j: " + ", ".join(f"{v} {k}" for k, v in self.neo4j.items()))
        lines.append(f"done in {self.build.seconds:.1f}s")
        return "\n".join(lines)


def article_ids(target: str, stored: dict[str, ArticleFacts], settings: Settings) -> set[str]:
    """The ids of the build's articles `target` names: an id (or a unique prefix of one), a doc_id (the id
    the facts and RDF show, e.g. `05_bpa_appoints_saar`), the path or URL it was read from, or a file or
    folder whose articles are read again to learn their content ids."""
    key = target.removeprefix("article:")
    if key in stored:
        return {key}
    named = {aid for aid, af in stored.items() if target in (af.article.doc_id, af.article.source, af.article.url)}
    if not named and Path(target).exists():
        resolved = str(Path(target).resolve())
        named = {aid for aid, af in stored.items() if af.article.source and _resolved(af.article.source) == resolved}
    if named:
        return named
    is_id = len(key) >= MIN_PREFIX and all(c in "0123456789abcdef" for c in key)
    if is_id:
        matches = {aid for aid in stored if aid.startswith(key)}
        if len(matches) > 1:
            raise ConfigError(f"{target!r} is the start of {len(matches)} article ids; give more of it")
        if matches:
            return matches
    if is_id and not Path(target).exists():
        log.warning("%s: no article of the build in %s has this id (removed already?); nothing to do", target,
                    settings.out_dir)  # fmt: skip
        return set()
    if not Path(target).exists():
        raise ConfigError(
            f"{target!r} is neither an article id, doc_id, source path or URL of the build in {settings.out_dir} "
            "nor a file or folder; "
            '`graph-builder query "MATCH (a:Article) RETURN a.id, a.doc_id, a.source, a.title"` lists its articles'
        )
    read = {item.id for item in read_sources([target], settings) if isinstance(item, Article)}
    found = read & stored.keys()
    if not found:
        log.warning(
            "%s: none of its %d article(s) is in the build (changed since? remove it by article id)", target, len(read)
        )
    return found


def _resolved(source: str) -> str:
    """A stored source path as an absolute path (a URL stays as it is), to compare with what the user typed."""
    return source if "://" in source else str(Path(source).resolve())


def remove(targets: Iterable[str], settings: Settings, neo4j: Settings | None = None) -> Removal:
    """Drop the articles `targets` name from the build in `settings.out_dir` (and from Neo4j, when given)."""
    start = time.perf_counter()
    out = settings.out_dir
    folder = Folder(out)
    if not folder.has_build():
        raise GraphBuilderError(f"no build in {out}: nothing to remove from")
    with writer_lock(out, "remove", settings.wait):
        folder.clean()
        state = load_state(folder)
        damaged: dict[str, InputError] = {}
        stored = load_stored(state, damaged)
        ids: set[str] = set()
        for target in targets:
            ids |= article_ids(target, stored, settings)
        result = Removal(removed=[stored[aid] for aid in sorted(ids) if aid in stored], kept=len(state.ids - ids))
        if not ids and not state.pending:
            result.build.seconds = time.perf_counter() - start
            return result
        kept = {aid: af for aid, af in stored.items() if aid not in ids}
        if neo4j is not None:
            from .curation import apply_curation
            from .sinks.neo4j import update_graph

            result.neo4j = update_graph(apply_curation(stored.values(), out), apply_curation(kept.values(), out), neo4j)
        gone = ids | left_out(damaged)
        index = {aid: e for aid, e in state.index.items() if aid not in gone}
        new = {aid: rec for aid, (_, rec) in state.pending.items() if aid not in ids}
        plan = Plan(index, new, kept, fingerprint(settings, BUILD_SINKS))
        write_generation(folder, plan, settings, BUILD_SINKS, result.build)
        (out / JOURNAL).unlink(missing_ok=True)  # folded into the generation just switched in
    result.build.seconds = time.perf_counter() - start
    return result
