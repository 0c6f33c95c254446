"""Extraction memory stays bounded by the docs a model runs over at once, not by `batch_size`.

spaCy's layers hold about 16 KB per token of the docs they run over together, so a
64-article batch once peaked at 450 MB per process; the extractor caps each model at
`MODEL_BATCH` docs. Measured with tracemalloc (NumPy reports its arrays to it), so the
bound does not depend on the machine or its load.
"""

from __future__ import annotations

import tracemalloc
from dataclasses import replace
from pathlib import Path

from graph_builder.config import Settings
from graph_builder.extract.runner import MODEL_BATCH, Extractor
from graph_builder.ingest import read_sources
from graph_builder.model import Article

DATA = Path(__file__).resolve().parents[1] / "data"


def test_a_64_article_batch_peaks_far_below_its_docs_run_at_once() -> None:
    articles = [a for a in read_sources([str(DATA)], Settings()) if isinstance(a, Article)]
    batch = [replace(a, id=f"{a.id}-{n}") for n in range(64 // len(articles) + 1) for a in articles][:64]
    extractor = Extractor(workers=1, batch_size=64)
    extractor.nlp("warm up")  # the first call allocates the models' lazily built tables
    tokens = sum(len(extractor.nlp.make_doc(a.text)) for a in batch)
    tracemalloc.start()
    try:
        facts = list(extractor.extract(batch))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(facts) == 64
    # Run at once, the 64 docs would take about 16 KB per token of all of them (270 MB here, 40 MB capped).
    assert peak < 16_000 * tokens / 3, f"peak {peak / 2**20:.0f} MB for models run over {MODEL_BATCH} docs"
