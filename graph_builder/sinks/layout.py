"""Force-directed positions for graphs too big to lay out in the browser.

vis-network's physics needs tens of seconds to settle a few thousand nodes,
and networkx's spring layout is quadratic without scipy. This is
Fruchterman-Reingold with the grid trick from their paper: nodes repel only
neighbours within two ideal edge lengths, found by bucketing positions into
cells, so each step is linear in nodes plus edges. Long-range repulsion comes
from the centroids of a coarse grid (a one-level Barnes-Hut), which spreads
the graph out; a weak pull to the centre keeps components together.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]
Index = npt.NDArray[np.int64]

#: Weight of the coarse long-range repulsion against the exact short-range one.
FAR_FIELD = 0.2

#: Cell offsets covering each neighbouring cell pair once.
_HALF_NEIGHBOURHOOD = ((0, 0), (1, -1), (1, 0), (1, 1), (0, 1))


def _close_pairs(pos: Array, radius: float) -> tuple[Index, Index]:
    """Index pairs (i, j), i != j, of points closer than `radius`, each pair once."""
    cells = np.floor(pos / radius).astype(np.int64)
    cells -= cells.min(axis=0) - 1
    width = int(cells[:, 1].max()) + 2
    keys = cells[:, 0] * width + cells[:, 1]
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    firsts: list[Index] = []
    seconds: list[Index] = []
    for dx, dy in _HALF_NEIGHBOURHOOD:
        target = keys + dx * width + dy
        start = np.searchsorted(sorted_keys, target, "left")
        counts = np.searchsorted(sorted_keys, target, "right") - start
        total = int(counts.sum())
        if not total:
            continue
        first = np.repeat(np.arange(len(pos)), counts)
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        second = order[np.repeat(start, counts) + offsets]
        keep = first < second if (dx, dy) == (0, 0) else first != second
        firsts.append(first[keep])
        seconds.append(second[keep])
    if not firsts:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    i, j = np.concatenate(firsts), np.concatenate(seconds)
    near = ((pos[i] - pos[j]) ** 2).sum(axis=1) < radius * radius
    return i[near], j[near]


def _accumulate(forces: Array, index: Index, n: int) -> Array:
    return np.stack([np.bincount(index, forces[:, 0], n), np.bincount(index, forces[:, 1], n)], axis=1)


def _far_push(pos: Array, strength: float, grid: int = 12) -> Array:
    """Repulsion from the whole graph, approximated by the centroids of a coarse grid of cells."""
    low, high = pos.min(axis=0), pos.max(axis=0)
    size = np.maximum((high - low) / grid, 1e-9)
    cells = np.minimum(((pos - low) / size).astype(np.int64), grid - 1)
    key = cells[:, 0] * grid + cells[:, 1]
    mass = np.bincount(key, minlength=grid * grid).astype(np.float64)
    filled = mass > 0
    cx, cy = (_accumulate(pos, key, grid * grid)[filled] / mass[filled, None]).T
    dx, dy = pos[:, :1] - cx, pos[:, 1:] - cy
    weight = mass[filled] * strength / np.maximum(dx * dx + dy * dy, float((size**2).sum()))
    return np.stack([(dx * weight).sum(axis=1), (dy * weight).sum(axis=1)], axis=1)


def spring_positions(n: int, edges: Index, *, iterations: int = 50, seed: int = 7) -> Array:
    """Positions (n x 2, ideal edge length 1) for `n` nodes joined by `edges` (m x 2 indices)."""
    rng = np.random.default_rng(seed)
    side = max(float(np.sqrt(n)), 1.0)
    pos = (rng.random((n, 2)) - 0.5) * side
    if n < 2:
        return pos
    temperature = side / 8
    for _ in range(iterations):
        i, j = _close_pairs(pos, 2.0)
        delta = pos[i] - pos[j]
        push = delta / np.maximum((delta**2).sum(axis=1), 1e-4)[:, None]
        disp = _accumulate(push, i, n) - _accumulate(push, j, n) + _far_push(pos, FAR_FIELD)
        if len(edges):
            delta = pos[edges[:, 0]] - pos[edges[:, 1]]
            pull = delta * np.sqrt((delta**2).sum(axis=1))[:, None]
            disp += _accumulate(pull, edges[:, 1], n) - _accumulate(pull, edges[:, 0], n)
        disp -= pos * (0.5 / side)
        length = np.maximum(np.sqrt((disp**2).sum(axis=1)), 1e-9)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature = max(temperature * 0.94, 0.02)
    centred: npt.NDArray[np.float64] = pos - pos.mean(axis=0)
    return centred
