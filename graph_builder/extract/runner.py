"""Running extraction over many articles: batched through spaCy, optionally on several processes.

Extraction of one article depends on that article alone, so it parallelises
with spaCy's own `n_process`; Docs are dropped as soon as their facts are
taken, so memory holds one batch at a time.

Memory: while spaCy's models run, their layers hold about 16 KB per token of
the docs they run over at once, 450 MB for a batch of 64 news articles; each
model therefore runs over at most `MODEL_BATCH` docs at a time, which costs
no speed, while `batch_size` articles still travel to a worker together.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from ..model import Article, ArticleFacts
from ..registry import register
from .article import ArticleExtractor
from .lexicon import lexicon
from .nlp import load_pipeline

#: Docs each pipeline component runs its model over at once (see the module docstring).
MODEL_BATCH = 8


@register("extractor", "rules")
class Extractor:
    """The default extractor: spaCy + the rule layer."""

    def __init__(
        self, model: str | None = None, workers: int = 1, batch_size: int = 64, max_length: int | None = None
    ) -> None:
        self.nlp = load_pipeline(model)
        if max_length is not None:  # spaCy refuses texts longer than nlp.max_length
            self.nlp.max_length = max(self.nlp.max_length, max_length + 1)
        self.workers = max(1, workers or (os.cpu_count() or 1))
        self.batch_size = batch_size
        self.lex = lexicon()

    def extract_one(self, article: Article) -> ArticleFacts:
        return ArticleExtractor(self.nlp(article.text), article, self.lex).run()

    def extract(self, articles: Iterable[Article]) -> Iterator[ArticleFacts]:
        pairs = ((a.text, a) for a in articles)
        n_process = self.workers if self.workers > 1 else 1
        per_model = {"batch_size": min(self.batch_size, MODEL_BATCH)}
        docs = self.nlp.pipe(
            pairs,
            as_tuples=True,
            batch_size=self.batch_size,
            n_process=n_process,
            component_cfg=dict.fromkeys(self.nlp.pipe_names, per_model),
        )
        for doc, article in docs:
            yield ArticleExtractor(doc, article, self.lex).run()
