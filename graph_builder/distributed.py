"""Extraction on other processes or machines: batches of articles go out, their facts come back.

Extraction of one article depends on that article alone, so a batch can run wherever the
package and the spaCy model are installed: on the workers of a Dask cluster
(`graph-builder build --dask tcp://scheduler:8786`) or on any `concurrent.futures` executor.
Each worker loads the pipeline once and keeps it. At most `window` batches are in flight, so
neither the client nor the cluster holds the whole corpus at once; facts come back as batches
finish, in no particular order, which does not matter because the graph is built from facts
sorted by article id. Resolution and the sinks then run on the client, which sees the whole
corpus.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import islice
from typing import TYPE_CHECKING, Any

from . import registry
from .errors import ClusterError, ConfigError
from .model import Article, ArticleFacts

if TYPE_CHECKING:
    from distributed import Client

#: Batches in flight per worker thread: enough to keep every worker busy while results travel back.
WINDOW_PER_THREAD = 2


@cache
def _extractor(model: str | None, batch_size: int) -> Any:
    """One extractor per worker process, loaded by the first batch that reaches it."""
    return registry.get("extractor", "rules")(model, 1, batch_size)


def extract_batch(articles: list[Article], model: str | None = None, batch_size: int = 64) -> list[ArticleFacts]:
    """The facts of a batch of articles; runs on a worker, so it depends on nothing but its arguments."""
    return list(_extractor(model, batch_size).extract(articles))


def batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(articles)
    while batch := list(islice(it, size)):
        yield batch


def extract_with(
    executor: cf.Executor,
    articles: Iterable[Article],
    model: str | None = None,
    batch_size: int = 64,
    window: int = 4,
) -> Iterator[ArticleFacts]:
    """Run `extract_batch` on `executor` over the articles, keeping at most `window` batches in flight."""
    pending: set[cf.Future[list[ArticleFacts]]] = set()
    try:
        for batch in batches(articles, batch_size):
            pending.add(executor.submit(extract_batch, batch, model, batch_size))
            if len(pending) >= window:
                done, pending = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                for future in done:
                    yield from future.result()
        for future in cf.as_completed(pending):
            yield from future.result()
    finally:
        for future in pending:
            future.cancel()


def connect(address: str) -> Client:
    """A client of the Dask scheduler at `address`, with errors that say what to do."""
    try:
        from distributed import Client
    except ImportError:
        raise ConfigError("--dask needs Dask: pip install 'graph_builder[dask]'") from None
    try:
        return Client(address)  # waits `distributed.comm.timeouts.connect` of the Dask config
    except (OSError, TimeoutError) as exc:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address} ({exc}): is it running? "
            "Start one with `dask scheduler` and workers with `dask worker ADDRESS`"
        ) from None


def extract_on_dask(
    articles: Iterable[Article], client: Client | str, model: str | None = None, batch_size: int = 64
) -> Iterator[ArticleFacts]:
    """Extraction on the workers of a Dask cluster; `client` is a connected Client or a scheduler address.

    Every worker needs graph_builder and the spaCy model installed.
    """
    own = isinstance(client, str)
    dask = connect(client) if isinstance(client, str) else client
    try:
        threads = sum(dask.nthreads().values()) or 1
        with dask.get_executor() as executor:
            yield from extract_with(executor, articles, model, batch_size, WINDOW_PER_THREAD * threads)
    finally:
        if own:
            dask.close()
