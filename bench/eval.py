"""Score the extractor on the shared evaluation sets, honestly: each set by a scorer trained without it.

`make eval` prints one score.py table per set, every figure from a role scorer
and an event scorer that never saw that set's articles:

- train, bbc-dev and seed: 5-fold cross-validation by article over the three
  pooled (fixed seed), each article decided by the model of the folds it is
  not in; "train+bbc-dev" is the pooled table of the two, and "train, DW half"
  the Deutsche Welle articles of train alone (no rule was tuned on them);
- dwie-dev: decided by a model trained on all of train, bbc-dev and seed.

`--in-sample` adds the tables of one model trained on everything it scores,
labelled as such (what a tuned-on figure looks like, for comparison). spaCy
parses are cached under `--cache` (default .cache/parses), so a second run
takes a fraction of the first.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from graph_builder.extract.event_scorer import EventScorer
from graph_builder.extract.event_training import article_cases, train_events
from graph_builder.extract.lexicon import lexicon
from graph_builder.extract.nlp import load_pipeline
from graph_builder.extract.scorer import Scorer
from graph_builder.extract.training import Example, folds, load_examples, reliability, train
from graph_builder.facts import dump_line

SETS = {
    "seed": ("eval/articles/india-japan-ties.txt", "eval/gold/seed.jsonl"),
    "bbc-dev": ("eval/bbc/articles", "eval/gold/bbc-dev.jsonl"),
    "train": ("eval/train/articles", "eval/train/gold.jsonl"),
    "dwie-dev": ("eval/dwie-dev/articles", "eval/dwie-dev/gold.jsonl"),
}
CV_SETS = ("train", "bbc-dev", "seed")
HELD_OUT = ("dwie-dev",)
FOLDS = 5
SEED = 12


#: A role scorer and an event scorer, fitted together on the same articles.
Models = tuple[Scorer, EventScorer]


def fit_models(examples: Sequence[Example], meta: dict[str, object]) -> Models:
    """The role scorer of the examples, and the event scorer of the events proposed under it."""
    scorer = train(examples, meta)
    return scorer, train_events(article_cases(examples, lexicon(), scorer), SEED, meta)


def write_facts(path: Path, decided: Sequence[tuple[Example, Models]]) -> None:
    lex = lexicon()
    with path.open("w", encoding="utf-8") as out:
        for ex, (scorer, events) in decided:
            out.write(dump_line(ex.facts(lex, scorer, events), explain=False))


def lines_of(path: Path, prefix: str) -> str:
    """The records of a facts or gold file whose article id starts with `prefix`."""
    rows = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return "".join(line + "\n" for line in rows if str(json.loads(line)["doc_id"]).startswith(prefix))


def score(scorer_py: Path, gold: Sequence[Path], system: Path, tmp: Path, label: str) -> int:
    """Print score.py's table for the union of the gold files against the system file."""
    joined = tmp / f"{label}.gold.jsonl"
    joined.write_text("".join(p.read_text(encoding="utf-8") for p in gold), encoding="utf-8")
    print(f"\n== {label}", flush=True)
    return subprocess.run([sys.executable, str(scorer_py), str(joined), str(system)]).returncode


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=Path("../shared"), help="folder holding eval/")
    ap.add_argument("--cache", type=Path, default=Path(".cache/parses"), help="parsed-article cache")
    ap.add_argument("--model", help="spaCy pipeline (default: the installed English model)")
    ap.add_argument("--in-sample", action="store_true", help="also print figures of a model trained on all")
    ap.add_argument("--keep", type=Path, help="also write each set's facts JSONL into this folder, to read misses")
    args = ap.parse_args()
    scorer_py = args.shared / "eval" / "score.py"
    if not scorer_py.exists():
        print(f"no scorer at {scorer_py}: pass --shared DIR (the folder with eval/)", file=sys.stderr)
        return 2
    nlp, lex = load_pipeline(args.model), lexicon()
    sets = {
        name: load_examples(args.shared / gold, [str(args.shared / source)], nlp, lex, args.cache)
        for name, (source, gold) in SETS.items()
    }
    gold = {name: args.shared / g for name, (_, g) in SETS.items()}
    pooled = [ex for name in CV_SETS for ex in sets[name]]
    decided: dict[int, Models] = {}
    for k, test in enumerate(folds(pooled, FOLDS, SEED)):
        held = set(test)
        models = fit_models([ex for i, ex in enumerate(pooled) if i not in held], {"fold": k})
        for i in test:
            decided[id(pooled[i])] = models
        scorer, events = models
        _, brier = reliability([(pooled[i], scorer) for i in test])
        print(
            f"fold {k}: {len(test)} articles, threshold {scorer.threshold}, Brier {brier:.3f}; event thresholds "
            f"contact {events.contact.threshold}, participant {events.participant.threshold}",
            flush=True,
        )
    full = fit_models(pooled, {"sets": list(CV_SETS)})
    status = 0
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for name in CV_SETS:
            system = tmp / f"{name}.jsonl"
            write_facts(system, [(ex, decided[id(ex)]) for ex in sets[name]])
            status |= score(scorer_py, [gold[name]], system, tmp, f"{name} (5-fold cross-validated)")
        both = tmp / "train+bbc-dev.jsonl"
        both.write_text((tmp / "train.jsonl").read_text() + (tmp / "bbc-dev.jsonl").read_text(), encoding="utf-8")
        status |= score(scorer_py, [gold["train"], gold["bbc-dev"]], both, tmp, "train+bbc-dev (cross-validated)")
        # The Deutsche Welle half of train, which no rule was tuned on, on its own.
        dw_gold, dw_system = tmp / "train-dw.gold.jsonl", tmp / "train-dw.jsonl"
        dw_gold.write_text(lines_of(gold["train"], "dw"), encoding="utf-8")
        dw_system.write_text(lines_of(tmp / "train.jsonl", "dw"), encoding="utf-8")
        status |= score(scorer_py, [dw_gold], dw_system, tmp, "train, DW half (cross-validated)")
        for name in HELD_OUT:
            system = tmp / f"{name}.jsonl"
            write_facts(system, [(ex, full) for ex in sets[name]])
            status |= score(scorer_py, [gold[name]], system, tmp, f"{name} (model trained on {', '.join(CV_SETS)})")
        if args.in_sample:
            for name in CV_SETS:
                system = tmp / f"{name}.in-sample.jsonl"
                write_facts(system, [(ex, full) for ex in sets[name]])
                status |= score(scorer_py, [gold[name]], system, tmp, f"{name} (IN-SAMPLE: trained on it)")
        if args.keep is not None:
            args.keep.mkdir(parents=True, exist_ok=True)
            for system in tmp.glob("*.jsonl"):
                shutil.copy(system, args.keep / system.name)
    table, brier = reliability([(ex, decided[id(ex)][0]) for ex in pooled])
    print("\nReliability of the cross-validated decisions (each title mention's best candidate):")
    print("\n".join(table))
    print(f"Brier score: {brier:.3f}")
    return status


if __name__ == "__main__":
    sys.exit(main())
