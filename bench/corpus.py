"""What the scale benchmarks share: the BBC corpus (or a slice of it), and the machine they ran on.

The corpus is `../shared/corpora/bbc_news.jsonl` beside the checkout (2,225 articles,
854k words); `--limit N` takes its first N articles.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph_builder.build import build, load_facts
from graph_builder.config import Settings
from graph_builder.ingest import read_sources
from graph_builder.model import Article, ArticleFacts

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "bbc_news.jsonl"
RESULTS = Path(__file__).resolve().parent / "results"


def add_corpus_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", type=Path, default=CORPUS, help=f"JSONL articles (default: {CORPUS})")
    parser.add_argument("--limit", type=int, help="only the first N articles")


def read_articles(corpus: Path, limit: int | None = None) -> list[Article]:
    if not corpus.exists():
        raise SystemExit(f"no corpus at {corpus}: pass --corpus PATH to a JSONL file of articles")
    articles = [a for a in read_sources([str(corpus)], Settings()) if isinstance(a, Article)]
    return articles[:limit] if limit else articles


def word_count(articles: list[Article]) -> int:
    return sum(len(a.text.split()) for a in articles)


def machine() -> str:
    """Cores, memory and the load when the run began (other work on the machine slows every figure)."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {memory:.0f} GB; load average at start {load()}"


def load() -> str:
    """The 1, 5 and 15 minute load averages: above the core count, other work shared the cores with the run."""
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def corpus_facts(corpus: Path, limit: int | None = None) -> list[ArticleFacts]:
    """The facts of the corpus (its first `limit` lines), from an incremental build kept in bench/results/.

    Only articles that build has not seen are extracted; delete bench/results/ to extract again
    after the rules change.
    """
    out = RESULTS / f"{corpus.stem}-{limit or 'all'}"
    out.mkdir(parents=True, exist_ok=True)
    source = corpus
    if limit:
        source = out / "source.jsonl"
        lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)[:limit]
        source.write_text("".join(lines), encoding="utf-8")
    build([str(source)], Settings(out_dir=out, progress=False), sinks=())
    return load_facts(Settings(out_dir=out))
