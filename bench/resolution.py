"""Cross-article resolution cost as the number of entities grows: it must stay linear (no all-pairs step).

Resolution runs over the BBC corpus's facts (extracted once into bench/results/) at a quarter, a
half and all of the articles, then over 2x, 4x and 8x the corpus made of renamed copies (every
word of every name gets a per-copy suffix, so each copy adds as many new entities as the corpus
holds, with the same surnames and acronyms to merge). The
baseline is the smallest run: time per entity mention should stay flat as the input grows, and an
all-pairs comparison would make it grow with the entity count.

    python bench/resolution.py
    python bench/resolution.py --limit 500 --copies 4
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

from corpus import add_corpus_args, corpus_facts, machine

from graph_builder.model import ArticleFacts
from graph_builder.resolve import Resolver

SUFFIXES = ["Ab", "Cd", "Ef", "Gh", "Ij", "Kl", "Mn", "Op", "Qr", "St", "Uv", "Wx", "Yz"]


def renamed(facts: list[ArticleFacts], copy: int) -> list[ArticleFacts]:
    """A copy of the facts whose every name and article id is new, so resolution sees new entities."""
    tag = SUFFIXES[copy % len(SUFFIXES)] + SUFFIXES[copy // len(SUFFIXES)].lower()

    def name(n: str) -> str:
        return " ".join(word + tag for word in n.split())

    out = []
    for af in facts:
        article = replace(af.article, id=f"{af.article.id}-{copy}")
        entities = tuple(replace(e, name=name(e.name), aliases=tuple(map(name, e.aliases))) for e in af.entities)
        out.append(replace(af, article=article, entities=entities, roles=(), events=(), mentions=()))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_corpus_args(parser)
    parser.add_argument("--copies", type=int, default=8, help="largest multiple of the corpus (default 8)")
    args = parser.parse_args()
    facts = sorted(corpus_facts(args.corpus, args.limit), key=lambda f: f.article.id)
    print(f"machine: {machine()}")
    runs: list[tuple[str, list[ArticleFacts]]] = [
        (f"{share:.0%} of the corpus", facts[: round(len(facts) * share)]) for share in (0.25, 0.5, 1.0)
    ]
    copies = 2
    while copies <= args.copies:
        runs.append(
            (f"{copies}x the corpus", [af for c in range(copies) for af in (renamed(facts, c) if c else facts)])
        )
        copies *= 2
    base = None
    for name, part in runs:
        mentions = sum(len(af.entities) for af in part)
        start = time.perf_counter()
        resolver = Resolver(part)
        seconds = time.perf_counter() - start
        per = seconds / max(mentions, 1) * 1e6
        base = base or per
        print(
            f"{name:<20} {len(part):6} articles {mentions:8} mentions -> {len(resolver.entities):7} entities "
            f"{seconds:7.2f} s  {per:6.1f} us/mention (x{per / base:.2f} the smallest run)"
        )


if __name__ == "__main__":
    main()
