"""Print the people and organisations the extractor gets wrong on a gold set, with the sentences they come from.

A development aid for tuning the entity rules: for each article, the false positives (names the extractor
reports that no gold entity or alias matches) and the false negatives (gold entities it missed), each with
the first sentence of the article that contains it. Tune on `train` only; bbc-dev and dwie-dev are held out.

    .venv/bin/python bench/entity_errors.py --shared ../shared --set train [--kind organisations] [--summary]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from graph_builder.extract.lexicon import lexicon
from graph_builder.extract.nlp import load_pipeline
from graph_builder.extract.scorer import load_scorer
from graph_builder.extract.training import fold, load_examples

SETS = {
    "train": ("eval/train/articles", "eval/train/gold.jsonl"),
    "bbc-dev": ("eval/bbc/articles", "eval/gold/bbc-dev.jsonl"),
    "seed": ("eval/articles/india-japan-ties.txt", "eval/gold/seed.jsonl"),
}
KINDS = {"people": "Person", "organisations": "Organisation"}


def sentence_of(text: str, name: str) -> str:
    """The first line-or-sentence of `text` holding `name`, shortened."""
    k = text.find(name)
    if k < 0:
        return "-"
    lo = max(text.rfind(". ", 0, k), text.rfind("\n", 0, k)) + 1
    hi_dot, hi_nl = text.find(". ", k), text.find("\n", k)
    hi = min(h for h in (hi_dot, hi_nl, len(text)) if h >= 0)
    return re.sub(r"\s+", " ", text[lo:hi].strip())[:200]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--set", default="train", choices=sorted(SETS))
    ap.add_argument("--kind", choices=sorted(KINDS), action="append")
    ap.add_argument("--cache", type=Path, default=Path(".cache/parses"))
    ap.add_argument("--summary", action="store_true", help="only the totals per kind")
    args = ap.parse_args()

    source, gold_path = SETS[args.set]
    nlp, lex, scorer = load_pipeline(), lexicon(), load_scorer()
    examples = load_examples(args.shared / gold_path, [str(args.shared / source)], nlp, lex, args.cache)
    records = {
        str(r["doc_id"]): r
        for r in map(json.loads, (args.shared / gold_path).read_text(encoding="utf-8").splitlines())
        if r
    }
    kinds = args.kind or sorted(KINDS)
    totals = {k: Counter[str]() for k in kinds}
    for ex in examples:
        facts = ex.facts(lex, scorer)
        rec = records[ex.article.doc_id]
        lines: list[str] = []
        for kind in kinds:
            gold: dict[str, str] = {}
            for e in rec.get(kind, []):
                for alias in [e["name"], *e.get("aliases", [])]:
                    gold.setdefault(fold(alias), e["name"])
            found = [e.name for e in facts.entities if e.label == KINDS[kind]]
            hit = {gold[fold(n)] for n in found if fold(n) in gold}
            fps = sorted({n for n in found if fold(n) not in gold})
            fns = sorted({e["name"] for e in rec.get(kind, [])} - hit)
            totals[kind].update(tp=len(hit), fp=len(fps), fn=len(fns))
            for tag, names in (("FP", fps), ("FN", fns)):
                for n in names:
                    shown = n.removeprefix("Government of ") if n.startswith("Government of ") else n
                    lines.append(f"  {kind[:3]} {tag} {n!r}: {sentence_of(ex.article.text, shown)}")
        if lines and not args.summary:
            print(f"== {ex.article.doc_id}")
            print("\n".join(lines))
    for kind, c in totals.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{kind}: P {p:.3f} R {r:.3f} F1 {f:.3f}  (tp {c['tp']} fp {c['fp']} fn {c['fn']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
