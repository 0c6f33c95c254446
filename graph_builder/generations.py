"""Build generations: one writer per output folder, and outputs that change together or not at all.

    out/
      generations/writer.lock     the writers' lock (flock: the kernel releases it when a writer dies)
      generations/000007/         one build's outputs: index.parquet, manifest.json, facts.jsonl, graph.lbdb, ...
      facts/part-000007.parquet   the facts store's parts (append-only, shared by generations)
      current -> generations/000007
      graph.lbdb -> current/graph.lbdb, graph.ttl, graph.html, facts.jsonl (the same way)

A writer (`build`, `remove`, `load-neo4j`, anything else that changes the
folder) holds the lock, builds the next generation in a hidden folder,
renames it into place and then switches `current` with one atomic rename.
Until that rename the previous generation is the build, whole; a writer that
dies leaves only hidden temporaries and unreferenced parts, which the next
writer deletes. The generation before the current one is kept for readers
still inside it; older ones are pruned. A folder written before generations
existed (plain `facts.jsonl`, `graph.lbdb`, ...) is read as it is and turned
into generation 1 by its next writer.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import atomic_open
from .errors import FolderBusyError, GraphBuilderError
from .factstore import INDEX, PARTS, Index, read_index

log = logging.getLogger("graph_builder")

GENERATIONS = "generations"
CURRENT = "current"
LOCK = "writer.lock"
MANIFEST = "manifest.json"


@contextmanager
def writer_lock(out_dir: Path, command: str, wait: bool = False) -> Iterator[None]:
    """Hold the folder's writer lock for the block; a second writer fails at once, or waits with `wait`."""
    path = out_dir / GENERATIONS / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another command"
            if not wait:
                raise FolderBusyError(
                    f"{out_dir} is being written by {holder}; run this again when it has finished, "
                    "or pass --wait to wait for it"
                ) from None
            log.warning("waiting for %s to finish writing %s", holder, out_dir)
            fcntl.flock(fd, fcntl.LOCK_EX)
        try:  # who holds the lock, for the message a second writer gets; a full disk only loses the note
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"graph-builder {command} (pid {os.getpid()})".encode(), 0)
        except OSError:
            pass
        yield
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Manifest:
    """What a generation is: its number, what it was built from, and what it holds."""

    number: int
    fingerprint: str
    parts: dict[str, str]  # part name -> its sha256
    outputs: dict[str, str]  # output -> its file name in the generation and the folder ("turtle": "graph.ttl")
    files: dict[str, list[int]] = field(default_factory=dict)  # source file read whole -> [size, mtime_ns, inode]
    counts: dict[str, int] = field(default_factory=dict)  # nodes per label and relationships, for the summary

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "fingerprint": self.fingerprint,
            "parts": self.parts,
            "outputs": self.outputs,
            "files": self.files,
            "counts": self.counts,
        }


@dataclass(frozen=True)
class Generation:
    path: Path
    manifest: Manifest

    @property
    def index(self) -> Index:
        return read_index(self.path / INDEX)


def _number(name: str) -> int | None:
    return int(name) if name.isdigit() else None


class Folder:
    """The output folder of a build, as its writers and readers see it."""

    def __init__(self, out_dir: Path) -> None:
        self.out = out_dir
        self.generations = out_dir / GENERATIONS

    def current(self) -> Generation | None:
        """The build readers see now (None: no build, or one written before generations)."""
        link = self.out / CURRENT
        if not link.is_symlink():
            return None
        path = self.out / os.readlink(link)
        try:
            data = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise GraphBuilderError(f"{path}: the current build's manifest cannot be read ({exc})") from exc
        return Generation(path, Manifest(**data))

    def legacy_facts(self) -> Path | None:
        """The facts file of a folder written before generations, if this is one."""
        path = self.out / "facts.jsonl"
        return path if path.is_file() and not path.is_symlink() else None

    def has_build(self) -> bool:
        return self.current() is not None or self.legacy_facts() is not None

    def clean(self) -> None:
        """Delete what writers that died left: temporaries, generations never switched in, parts no generation uses.

        Call with the writer lock held.
        """
        for stale in self.out.glob(".*.tmp"):
            _delete(stale)
        current = self.current()
        keep = self._kept(current)
        if self.generations.is_dir():
            for entry in self.generations.iterdir():
                number = _number(entry.name)
                if entry.name.startswith(".") and entry.name.endswith(".tmp"):
                    _delete(entry)
                elif number is not None and entry not in keep:
                    _delete(entry)  # written whole but never switched in, or too old
        used = {p for g in keep for p in _manifest_parts(g)}
        parts = self.out / PARTS
        if parts.is_dir():
            for part in parts.iterdir():
                if part.name not in used:
                    _delete(part)

    def _kept(self, current: Generation | None) -> list[Path]:
        """The current generation and the one before it, which readers may still be in."""
        if current is None or not self.generations.is_dir():
            return []
        number = current.manifest.number
        older = [
            e for e in self.generations.iterdir() if (n := _number(e.name)) is not None and n < number and e.is_dir()
        ]
        previous = max(older, key=lambda e: int(e.name), default=None)
        return [current.path] + ([previous] if previous is not None else [])

    def next_number(self) -> int:
        current = self.current()
        return current.manifest.number + 1 if current is not None else 1

    def staging(self, number: int) -> Path:
        """An empty hidden folder for generation `number` to be written into."""
        path = self.generations / f".{number:06d}.tmp"
        _delete(path)
        path.mkdir(parents=True)
        return path

    def switch(self, staged: Path, manifest: Manifest) -> Generation:
        """Make the staged generation the build: rename it into place, then point `current` at it atomically."""
        with atomic_open(staged / MANIFEST) as fh:
            json.dump(manifest.to_json(), fh, indent=1, sort_keys=True)
        _sync(staged)
        final = self.generations / f"{manifest.number:06d}"
        _delete(final)
        os.rename(staged, final)
        _sync(self.generations)
        tmp = self.out / f".{CURRENT}.tmp"
        tmp.unlink(missing_ok=True)
        os.symlink(os.path.relpath(final, self.out), tmp)
        os.replace(tmp, self.out / CURRENT)
        _sync(self.out)
        generation = Generation(final, manifest)
        self.link(generation)
        self.clean()
        return generation

    def link(self, generation: Generation) -> None:
        """Give each output of the current generation its user-facing name in the folder (`out/graph.ttl`)."""
        # Only what the manifest names as an output: not the generation's bookkeeping, its state for the next
        # build, temporaries, or a file's companions (a store's write-ahead file).
        names = {e.name for e in generation.path.iterdir()}
        outputs = {Path(p).parts[0] for p in generation.manifest.outputs.values()}
        for name in sorted(names & outputs):
            target = Path(CURRENT) / name
            user = self.out / name
            if user.is_symlink() and Path(os.readlink(user)) == target:
                continue
            if user.is_dir() and not user.is_symlink():  # a store written before generations
                aside = self.out / f".{name}.old.tmp"
                os.rename(user, aside)
            tmp = self.out / f".{name}.link.tmp"
            tmp.unlink(missing_ok=True)
            os.symlink(target, tmp)
            os.replace(tmp, user)
        for old in self.out.glob(".*.old.tmp"):
            _delete(old)
        for wal in [*self.out.glob("graph.lbdb.*"), *self.out.glob(".graph.lbdb.new*")]:
            _delete(wal)  # write-ahead and temporary files of a store written before generations
        _sync(self.out)


def _manifest_parts(path: Path) -> list[str]:
    try:
        return list(json.loads((path / MANIFEST).read_text(encoding="utf-8"))["parts"])
    except (OSError, ValueError, KeyError):
        return []


def _delete(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _sync(folder: Path) -> None:
    """Make a rename inside `folder` durable (a power cut after it keeps it)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
