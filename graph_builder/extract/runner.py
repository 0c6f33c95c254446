"""Running extraction over many articles: batched through spaCy, on one process or a pool of them.

Extraction of one article depends on that article alone, so batches of
articles go to worker processes, each with its own pipeline, and only their
facts come back: the parent neither parses nor holds a model, and the
workers' results are small. (spaCy's own `n_process` sends whole Docs back to
the parent, which then runs the rules alone; on two cores, over the whole
BBC corpus, that scaled 1.64x against the pool's 1.79x.) Facts come back in the order the articles
went in, so a run over the same sources writes the same files.

Memory: while spaCy's models run, their layers hold about 16 KB per token of
the docs they run over at once, 450 MB for a batch of 64 news articles; each
model therefore runs over at most `MODEL_BATCH` docs at a time, which costs
no speed, while `batch_size` articles still travel to a worker together.
"""

from __future__ import annotations

import concurrent.futures as cf
import gc
import logging
import multiprocessing
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import cached_property
from itertools import chain, islice

from spacy.language import Language
from spacy.tokens import Doc

from .. import registry
from ..children import die_with_parent
from ..config import DEFAULT_SCORING, Scoring
from ..errors import WorkerError
from ..model import Article, ArticleFacts
from .article import ArticleExtractor
from .event_scorer import load_event_scorer
from .lexicon import lexicon
from .nlp import load_pipeline
from .scorer import Scorer, load_scorer

#: Docs each pipeline component runs its model over at once (see the module docstring).
MODEL_BATCH = 8
#: Batches in flight per worker: enough to keep every worker busy while results travel back.
WINDOW_PER_WORKER = 2

log = logging.getLogger(__name__)


class Extractor:
    """The default extractor: spaCy + the rule layer."""

    def __init__(
        self,
        model: str | None = None,
        workers: int = 1,
        batch_size: int = 64,
        max_length: int | None = None,
        scoring: Scoring = DEFAULT_SCORING,
        scorer: Scorer | None = None,
    ) -> None:
        """`scorer` (else the model file `scoring.scorer_model`, else the shipped model) decides the role facts,
        and the model file `scoring.event_scorer_model` (else the shipped one) the events; a given `scorer` is
        used in this process only, as worker processes load theirs from its file."""
        self.model = model
        self.max_length = max_length
        self.scoring = scoring
        self.scorer = scorer or load_scorer(scoring.scorer_model)  # fails here, before any parsing, if bad
        self.event_scorer = load_event_scorer(scoring.event_scorer_model)
        self.workers = max(1, workers or (os.cpu_count() or 1))
        self.batch_size = batch_size
        self.lex = lexicon()

    @cached_property
    def nlp(self) -> Language:
        """The pipeline, loaded on first use: a parent whose workers do the parsing never needs it."""
        nlp = load_pipeline(self.model)
        if self.max_length is not None:  # spaCy refuses texts longer than nlp.max_length
            nlp.max_length = max(nlp.max_length, self.max_length + 1)
        return nlp

    def extract_one(self, article: Article) -> ArticleFacts:
        return self._facts(self.nlp(article.text), article)

    def _facts(self, doc: Doc, article: Article) -> ArticleFacts:
        """The article's facts, role and event facts below `min_confidence` left out."""
        facts = ArticleExtractor(doc, article, self.lex).run(self.scorer, self.event_scorer)
        least = self.scoring.min_confidence
        if least > 0:
            facts = replace(
                facts,
                roles=tuple(r for r in facts.roles if r.confidence >= least),
                events=tuple(e for e in facts.events if e.confidence >= least),
            )
        return facts

    def extract(self, articles: Iterable[Article]) -> Iterator[ArticleFacts]:
        it = iter(articles)
        first = list(islice(it, self.batch_size))
        if self.workers == 1 or len(first) < self.batch_size:
            # One worker, or less than a batch to do: a pool would only add its start-up.
            yield from self._extract_here(chain(first, it))
            return
        yield from extract_in_order(
            self._pool,
            chain(first, it),
            self.batch_size,
            WINDOW_PER_WORKER * self.workers,
            self.model,
            self.max_length,
            self.scoring,
        )

    @cached_property
    def _pool(self) -> cf.ProcessPoolExecutor:
        """The worker processes, started on first need and kept for later calls until `close`."""
        # Forking is cheap (the parent holds no model) and safe on Linux; elsewhere a fresh interpreter.
        context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        gc.freeze()  # the parent's objects stay shared with the forked workers instead of being copied
        return cf.ProcessPoolExecutor(self.workers, mp_context=context, initializer=die_with_parent)

    def close(self, now: bool = False) -> None:
        """Stop the workers; `now` also stops the batches they are working on (on an error or interrupt)."""
        pool = self.__dict__.pop("_pool", None)
        if pool is None:
            return
        if now:
            for process in list(getattr(pool, "_processes", {}).values()):
                process.terminate()
        pool.shutdown(wait=not now, cancel_futures=True)
        gc.unfreeze()

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.close(now=kind is not None)

    def _extract_here(self, articles: Iterable[Article]) -> Iterator[ArticleFacts]:
        per_model = {"batch_size": min(self.batch_size, MODEL_BATCH)}
        docs = self.nlp.pipe(
            ((a.text, a) for a in articles),
            as_tuples=True,
            batch_size=self.batch_size,
            component_cfg=dict.fromkeys(self.nlp.pipe_names, per_model),
        )
        for doc, article in docs:
            try:
                yield self._facts(doc, article)
            except Exception as exc:  # one article's failure must not cost the batch
                log.warning("%s: extraction failed (%s: %s); article skipped", article.source, type(exc).__name__, exc)


#: One extractor per worker process, made by the first batch that reaches it.
_worker: dict[tuple[str | None, int, int | None, Scoring], registry.Extractor] = {}


def extract_batch(
    articles: list[Article],
    model: str | None = None,
    batch_size: int = 64,
    max_length: int | None = None,
    scoring: Scoring = DEFAULT_SCORING,
) -> list[ArticleFacts]:
    """The facts of a batch of articles; runs on a worker, so it depends on nothing but its arguments."""
    key = (model, batch_size, max_length, scoring)
    if key not in _worker:
        _worker[key] = registry.extractor()(model, 1, batch_size, max_length, scoring)
    return list(_worker[key].extract(articles))


def batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(articles)
    while batch := list(islice(it, size)):
        yield batch


def extract_in_order(
    executor: cf.Executor,
    articles: Iterable[Article],
    batch_size: int = 64,
    window: int = 4,
    model: str | None = None,
    max_length: int | None = None,
    scoring: Scoring = DEFAULT_SCORING,
) -> Iterator[ArticleFacts]:
    """Run `extract_batch` on `executor` with at most `window` batches in flight, yielding facts in the
    order the articles came, so that neither side holds the whole corpus and runs are reproducible."""
    pending: list[cf.Future[list[ArticleFacts]]] = []
    try:
        for batch in batches(articles, batch_size):
            pending.append(executor.submit(extract_batch, batch, model, batch_size, max_length, scoring))
            if len(pending) >= window:
                yield from pending.pop(0).result()
        while pending:
            yield from pending.pop(0).result()
    except cf.BrokenExecutor:
        raise WorkerError(
            "an extraction worker died (out of memory?); lower `workers` or `batch_size` and run again: "
            "the facts extracted so far are kept, and the next run extracts only the rest"
        ) from None
    finally:
        for future in pending:
            future.cancel()
