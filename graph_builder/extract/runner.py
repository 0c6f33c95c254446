"""Running extraction over many articles: batched through spaCy, optionally on several processes.

Extraction of one article depends on that article alone, so it parallelises
with spaCy's own `n_process`; Docs are dropped as soon as their facts are
taken, so memory holds one batch at a time.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from ..model import Article, ArticleFacts
from ..registry import register
from .article import ArticleExtractor
from .lexicon import lexicon
from .nlp import load_pipeline


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
        for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.batch_size, n_process=n_process):
            yield ArticleExtractor(doc, article, self.lex).run()
