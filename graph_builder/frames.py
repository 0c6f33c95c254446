"""Map -> reduce on a DataFrame engine: pandas in this process, dask.dataframe on a Dask cluster.

A pure function turns a chunk of items into a pandas DataFrame of rows (the map); group-by
operations over all the rows give the aggregates (the reduce). Locally the chunks' frames are
concatenated and reduced by pandas; given a Dask client, each chunk is one partition mapped on
a worker and the group-bys run on the cluster, so only the aggregates come back to the caller.
The reductions are written once, against the API pandas and dask.dataframe share, so both
engines give the same tables.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

if TYPE_CHECKING:
    from distributed import Client

T = TypeVar("T")
#: A reduction: a DataFrame (pandas, or dask.dataframe with the same columns) to a smaller one.
Reduction = Callable[[Any], Any]
#: Items per chunk: one partition of the Dask frame, small enough that a worker holds a few at once.
CHUNK = 2000


class Frames:
    """The engine that runs maps and reductions: pandas here, or the Dask cluster of `client`."""

    def __init__(self, client: Client | None = None, chunk: int = CHUNK) -> None:
        self.client = client
        self.chunk = chunk

    def reduce(
        self, items: Sequence[T], rows: Callable[[Sequence[T]], pd.DataFrame], *reductions: Reduction
    ) -> list[pd.DataFrame]:
        """Each reduction of the rows `rows` makes of `items`, as pandas frames with a plain index.

        `rows` must give a frame with the same columns and dtypes for any chunk, the empty one too
        (Dask takes it as the frame's schema)."""
        chunks = [items[i : i + self.chunk] for i in range(0, len(items), self.chunk)]
        if self.client is None:
            frame = pd.concat([rows(c) for c in chunks], ignore_index=True) if chunks else rows([])
            return [reduction(frame).reset_index() for reduction in reductions]
        import dask.dataframe as dd

        # Chunks are scattered to the workers, not embedded in the task graph, under keys of their own
        # (hash=False, pure=False): hashing a corpus costs more than mapping it, and two calls with equal
        # chunks must not share keys, or releasing one call's data loses the other's.
        scattered = self.client.scatter(chunks or [items[:0]], hash=False)  # type: ignore[no-untyped-call]
        parts = self.client.map(rows, scattered, pure=False)
        frame = dd.from_delayed(parts, meta=rows([]), verify_meta=False)
        done = self.client.compute([reduction(frame) for reduction in reductions], sync=True)  # type: ignore[no-untyped-call]
        return [pd.DataFrame(part).reset_index() for part in done]
