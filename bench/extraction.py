"""Extraction throughput against bare spaCy, and how it scales with worker processes.

The baseline is what a user gets for free: `spacy.load(MODEL)` with every component and
`nlp.pipe` over the same texts, on one process. Our extractor runs the same model without
the components the rules never read, then the rule layer; its time is split into the two so
that the rule layer's share, and its cost per word on short and on long articles (equal when
it is linear in the text), are visible. Then the same extraction on N workers: the
`Extractor`'s process pool (whole batches go to workers, facts come back; the code Dask runs
too), and, for comparison, spaCy's own `n_process` with the rules in the parent.
The runs take turns on slices of the corpus, each going first once, so that other work on
the machine slows them alike; one-process runs also report CPU time, which such load barely
touches. Targets: ours/bare >= 0.9 on one process; 2 workers >= 1.7x one process.

    python bench/extraction.py                    # the whole BBC corpus, 1 and 2 workers
    python bench/extraction.py --limit 300 --workers 2
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from collections.abc import Callable, Iterable, Iterator

import spacy
from corpus import add_corpus_args, load, machine, read_articles, word_count

from graph_builder.extract.article import ArticleExtractor
from graph_builder.extract.lexicon import lexicon
from graph_builder.extract.nlp import MODEL_CANDIDATES, load_pipeline
from graph_builder.extract.runner import Extractor
from graph_builder.model import Article, ArticleFacts

TARGET_RATIO = 0.9
TARGET_SCALING = 1.7


def installed_model(name: str | None) -> str:
    for candidate in [name] if name else MODEL_CANDIDATES:
        if spacy.util.is_package(candidate):
            return candidate
    raise SystemExit(f"no spaCy model {name or MODEL_CANDIDATES} installed: run `make install`")


class Clock:
    """Wall and CPU seconds of one way of extracting, summed over the rounds."""

    def __init__(self, name: str) -> None:
        self.name, self.wall, self.cpu = name, 0.0, 0.0

    def run(self, work: Callable[[], Iterable[object]]) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in work():
            pass
        self.wall += time.perf_counter() - wall
        self.cpu += time.process_time() - cpu


class RuleLayer:
    """Our extraction on one process, with the rule layer's own time and its cost per word of each article."""

    def __init__(self, model: str, batch_size: int) -> None:
        self.nlp, self.lex, self.batch_size = load_pipeline(model), lexicon(), batch_size
        self.timing = False  # on while the one-process run is being timed
        self.seconds = 0.0
        self.per_word: list[tuple[int, float]] = []

    def extract(self, articles: list[Article], n_process: int = 1) -> Iterator[ArticleFacts]:
        pairs = ((a.text, a) for a in articles)
        docs = self.nlp.pipe(pairs, as_tuples=True, batch_size=self.batch_size, n_process=n_process)
        for doc, article in docs:
            began = time.perf_counter()
            facts = ArticleExtractor(doc, article, self.lex).run()
            spent = time.perf_counter() - began
            if self.timing:
                self.seconds += spent
                self.per_word.append((len(article.text.split()), spent / max(len(article.text.split()), 1)))
            yield facts


def spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i
    return total


def machine_ceiling(workers: int, n: int = 20_000_000) -> float:
    """How much faster `workers` processes of pure CPU work finish than one: what any extraction can reach here."""
    fork = multiprocessing.get_context("fork")  # the child starts at once, with nothing to import
    times = []
    for count in (1, workers):
        start = time.perf_counter()
        procs = [fork.Process(target=spin, args=(n,)) for _ in range(count)]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join()
        times.append(time.perf_counter() - start)
    return workers * times[0] / times[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_corpus_args(parser)
    parser.add_argument("--model", help="spaCy model (default: the installed English model)")
    parser.add_argument("--workers", type=int, default=2, help="workers for the scaling runs (default 2)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=4, help="slices of the corpus the runs take turns on")
    args = parser.parse_args()
    model = installed_model(args.model)
    articles = read_articles(args.corpus, args.limit)
    words = word_count(articles)
    n = args.workers
    print(f"machine: {machine()}")
    print(f"corpus: {args.corpus.name}, {len(articles)} unique articles, {words:,} words; model {model}")

    bare = spacy.load(model)
    ours = RuleLayer(model, args.batch_size)
    with Extractor(model, n, args.batch_size) as parallel:
        clocks = {
            "bare": Clock(f"bare spaCy nlp.pipe ({len(bare.pipe_names)} components)"),
            "ours": Clock("graph_builder, 1 process"),
            "n_process": Clock(f"spaCy n_process, rules in the parent, {n} workers"),
            "pool": Clock(f"graph_builder, {n} workers (process pool)"),
        }
        runs: dict[str, Callable[[list[Article]], Iterable[object]]] = {
            "bare": lambda part: bare.pipe([a.text for a in part], batch_size=args.batch_size),
            "ours": ours.extract,
            "n_process": lambda part: ours.extract(part, n_process=n),
            "pool": parallel.extract,
        }
        for run in runs.values():  # warm-up: models loaded, workers started
            for _ in run(articles[: 2 * n]):
                pass
        size = -(-len(articles) // args.rounds)
        for i in range(args.rounds):
            part = articles[i * size : (i + 1) * size]
            order = list(runs)[i % len(runs) :] + list(runs)[: i % len(runs)]  # each run goes first once
            for key in order:
                if key == "ours":
                    ours.timing = True  # the rule layer's share is of the one-process run alone
                clocks[key].run(lambda key=key, part=part: runs[key](part))
                ours.timing = False

    def line(clock: Clock, extra: str = "") -> None:
        print(
            f"{clock.name:<44} {clock.wall:7.1f} s {words / clock.wall:8.0f} words/s "
            f"{len(articles) / clock.wall:6.1f} articles/s{extra}"
        )

    base, one = clocks["bare"], clocks["ours"]
    line(base, f"   CPU {base.cpu:.1f} s")
    line(one, f"   CPU {one.cpu:.1f} s")
    print(
        f"  ratio to bare spaCy: {base.wall / one.wall:.2f} by wall time, {base.cpu / one.cpu:.2f} by CPU time "
        f"(target >= {TARGET_RATIO})"
    )
    per_word = [p for _, p in sorted(ours.per_word)]
    quarter = max(1, len(per_word) // 4)
    print(
        f"  rule layer: {ours.seconds:.1f} s ({ours.seconds / one.wall:.0%} of one process); per word "
        f"{sum(per_word[:quarter]) / quarter * 1e6:.1f} us on the shortest quarter of articles, "
        f"{sum(per_word[-quarter:]) / quarter * 1e6:.1f} us on the longest (equal when linear in the text)"
    )
    for key in ("n_process", "pool"):
        line(clocks[key], f"   {one.wall / clocks[key].wall:.2f}x one process (target >= {TARGET_SCALING} at 2)")
    print(f"  the machine's ceiling: {n} processes of pure CPU work finish {machine_ceiling(n):.2f}x faster than one")

    print(f"load average at end: {load()}")


if __name__ == "__main__":
    main()
