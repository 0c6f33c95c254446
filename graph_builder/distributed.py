"""Extraction on other machines: batches of articles go to a Dask cluster, their facts come back.

Extraction of one article depends on that article alone, so a batch can run wherever the
package and the spaCy model are installed: on the workers of a Dask cluster
(`graph-builder build --dask tcp://scheduler:8786`), through the same batch code the local
process pool runs (`graph_builder.extract.runner`). Each worker loads the pipeline once and
keeps it. At most a few batches per worker thread are in flight, so neither the client nor the
cluster holds the whole corpus at once, and facts come back in the order the articles went out.
Resolution then maps and reduces its rows on the same cluster (`frames.py`); its decisions, graph
assembly and the sinks run on the client, which sees the whole corpus.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .config import DEFAULT_SCORING, Scoring
from .errors import ClusterError, ConfigError
from .extract.event_scorer import load_event_scorer
from .extract.runner import WINDOW_PER_WORKER, extract_in_order
from .extract.scorer import load_scorer
from .model import Article, ArticleFacts

if TYPE_CHECKING:
    from distributed import Client


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
    articles: Iterable[Article],
    client: Client | str,
    model: str | None = None,
    batch_size: int = 64,
    max_length: int | None = None,
    scoring: Scoring = DEFAULT_SCORING,
) -> Iterator[ArticleFacts]:
    """Extraction on the workers of a Dask cluster; `client` is a connected Client or a scheduler address.

    Every worker needs graph_builder and the spaCy model installed, and the scorer files `scoring` names
    (default the shipped ones) at the same paths; they are read here first, so a bad file fails early.
    """
    load_scorer(scoring.scorer_model)
    load_event_scorer(scoring.event_scorer_model)
    own = isinstance(client, str)
    dask = connect(client) if isinstance(client, str) else client
    try:
        threads = sum(dask.nthreads().values()) or 1
        with dask.get_executor() as executor:
            window = WINDOW_PER_WORKER * threads
            yield from extract_in_order(executor, articles, batch_size, window, model, max_length, scoring)
    finally:
        if own:
            dask.close()
