"""Event figures on one half of the shared training gold, and on the tuning half why each gold event was missed.

    python bench/events_dev.py --half bbc --misses     # BBC articles of train + bbc-dev: figures and reasons
    python bench/events_dev.py --half dw               # the held-out Deutsche Welle half: figures only

Rules are tuned on the BBC half; the DW half is only ever scored as a whole (its gold is never listed), so its
figures say how the rules carry to articles they were not fitted on. A miss is one of: no event found (no
system named event matches the gold name), participant not a recognised entity (the article's entities hold
no name the gold resolves to it), event found but participant not attached, or for a who-met-whom pair,
no contact event holding either party.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

from graph_builder.extract.event_training import label_events
from graph_builder.extract.lexicon import lexicon
from graph_builder.extract.nlp import load_pipeline
from graph_builder.extract.scorer import load_scorer
from graph_builder.extract.training import Example, load_examples
from graph_builder.facts import dump_line

KINDS = ("named_events", "event_participants", "event_pairs")


def score_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def half(args: argparse.Namespace) -> list[Example]:
    nlp, lex = load_pipeline(), lexicon()
    ev = args.shared / "eval"
    train = load_examples(ev / "train/gold.jsonl", [str(ev / "train/articles")], nlp, lex, args.cache)
    if args.half != "bbc":
        return [x for x in train if args.half == "train" or x.article.doc_id.startswith("dw")]
    dev = load_examples(ev / "gold/bbc-dev.jsonl", [str(ev / "bbc/articles")], nlp, lex, args.cache)
    return [x for x in train if x.article.doc_id.startswith("bbc")] + dev


def sentences_with(text: str, names: list[str], score: ModuleType) -> list[str]:
    """Sentences of the article that name every one of the name groups (each a list of aliases)."""
    out = []
    for sent in re.split(r"(?<=[.!?\"])\s+|\n+", text):
        folded = " " + score.norm(sent) + " "
        if all(any(f" {score.norm(a)} " in folded for a in group) for group in names):
            out.append(" ".join(sent.split()))
    return out


def aliases(gold: dict[str, Any], name: str) -> list[str]:
    for e in gold.get("people", []) + gold.get("organisations", []):
        if isinstance(e, dict) and e["name"] == name:
            return [name, *e.get("aliases", [])]
    return [name]


def misses(gold: dict[str, Any], system: dict[str, Any], text: str, score: ModuleType) -> list[str]:
    anyname = score.Names(gold.get("people", []) + gold.get("organisations", []))
    known = {
        anyname.find(e["name"] if isinstance(e, dict) else e)
        for k in ("people", "organisations")
        for e in system.get(k, [])
    } - {None}
    for e in system.get("people", []) + system.get("organisations", []):
        for a in e.get("aliases", []) if isinstance(e, dict) else []:
            known.add(anyname.find(a))
    out: list[str] = []
    sys_named = [e for e in system.get("events", []) if e.get("name")]
    for ge in (e for e in gold.get("events", []) if e.get("name")):
        names = [ge["name"], *ge.get("aliases", [])]
        hit = next((se for se in sys_named if any(score.titles_match(n, se["name"]) for n in names)), None)
        got = {anyname.find(p) or p for p in (hit or {}).get("participants", [])}
        for p in ge.get("participants", []):
            if p in got:
                continue
            why = (
                "no event found"
                if hit is None
                else "not a recognised entity"
                if p not in known
                else "participant not attached"
            )
            sents = sentences_with(text, [aliases(gold, p)], score)
            out.append(f"  NAMED {ge['name']!r} / {p!r}: {why}" + "".join(f"\n      | {s}" for s in sents[:3]))
    contacts = [e for e in system.get("events", []) if not e.get("name")]
    in_contact = {anyname.find(p) or p for e in contacts for p in e.get("participants", [])}
    got_pairs = {
        frozenset({anyname.find(a) or a, anyname.find(b) or b})
        for e in contacts
        for a in e.get("participants", [])
        for b in e.get("participants", [])
        if a != b
    }
    for ge in (e for e in gold.get("events", []) if not e.get("name")):
        parts = sorted(set(ge.get("participants", [])))
        for i, a in enumerate(parts):
            for b in parts[i + 1 :]:
                if frozenset({a, b}) in got_pairs:
                    continue
                why = (
                    "not a recognised entity"
                    if a not in known or b not in known
                    else "no contact event with either"
                    if a not in in_contact and b not in in_contact
                    else "pair not joined"
                )
                sents = sentences_with(text, [aliases(gold, a), aliases(gold, b)], score)
                out.append(f"  PAIR {ge['type']} {a!r} + {b!r}: {why}" + "".join(f"\n      | {s}" for s in sents[:2]))
    for se in sys_named:
        ge = next(
            (
                g
                for g in gold.get("events", [])
                if g.get("name") and any(score.titles_match(n, se["name"]) for n in [g["name"], *g.get("aliases", [])])
            ),
            None,
        )
        wrong = [
            p for p in se.get("participants", []) if ge is None or (anyname.find(p) or p) not in ge["participants"]
        ]
        if wrong:
            out.append(f"  FP named {se['name']!r}{'' if ge else ' (no such gold event)'}: {wrong}")
    for se in system.get("events", []):  # false positives, briefly
        if not se.get("name"):
            ps = sorted({anyname.find(p) or "?" + p for p in se["participants"]})
            gold_pairs = {frozenset(ge.get("participants", [])) for ge in gold.get("events", []) if not ge.get("name")}
            if not any(set(ps[:2]) <= g for g in gold_pairs):
                out.append(f"  FP contact {ps}: {se['evidence']['sentence'][:160]}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--cache", type=Path, default=Path(".cache/parses"))
    ap.add_argument("--half", choices=("bbc", "dw", "train"), default="bbc", help="train: all 100 train articles")
    ap.add_argument("--misses", action="store_true", help="list each missed gold event (tuning half only)")
    ap.add_argument("--reasons", action="store_true", help="count the misses by reason (either half: no items)")
    ap.add_argument(
        "--proposals",
        action="store_true",
        help="how many gold pairs and participants any proposal holds, before the event scorer decides "
        "(with --misses: the gold pairs no proposal holds, and the proposals that hold no gold pair)",
    )
    args = ap.parse_args()
    if args.misses and args.half != "bbc":
        print("misses are listed for the tuning half only", file=sys.stderr)
        return 2
    score_py = args.shared / "eval" / "score.py"
    score = score_module(score_py)
    examples = half(args)
    lex, scorer = lexicon(), load_scorer()
    with tempfile.TemporaryDirectory() as tmpdir:
        gold_f, sys_f = Path(tmpdir) / "gold.jsonl", Path(tmpdir) / "sys.jsonl"
        golds: dict[str, dict[str, Any]] = {}
        for path in (args.shared / "eval/train/gold.jsonl", args.shared / "eval/gold/bbc-dev.jsonl"):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    rec = json.loads(line)
                    golds[str(rec["doc_id"])] = rec
        reasons: Counter[str] = Counter()
        if args.proposals:
            return proposals(examples, golds, args.misses, score)
        with gold_f.open("w") as g, sys_f.open("w") as s:
            for ex in examples:
                g.write(json.dumps(golds[ex.article.doc_id]) + "\n")
                line = dump_line(ex.facts(lex, scorer), explain=False)
                s.write(line)
                if args.misses or args.reasons:
                    found = misses(golds[ex.article.doc_id], json.loads(line), ex.article.text, score)
                    reasons.update(
                        f.split("\n")[0].split(": ")[-1] if not f.startswith("  FP") else f.split()[1] + " FP"
                        for f in found
                    )
                    if found and args.misses:
                        print(f"== {ex.article.doc_id}\n" + "\n".join(found))
        res = json.loads(
            subprocess.run(
                [sys.executable, str(score_py), str(gold_f), str(sys_f), "--json"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split("\nroles")[0]
        )
    print(f"\n{args.half} half, {len(examples)} articles")
    for reason, n in sorted(reasons.items()):
        print(f"  {n:4d}  {reason}")
    for k in KINDS:
        r = res[k]
        print(f"{k:<20} P {r['p']:.3f} R {r['r']:.3f} F1 {r['f1']:.3f}  tp {r['tp']} fp {r['fp']} fn {r['fn']}")
    return 0


def proposals(examples: list[Example], golds: dict[str, dict[str, Any]], listing: bool, score: ModuleType) -> int:
    """Proposal recall: the gold pairs and participants some proposal holds, whatever the scorer would keep."""
    lex, scorer = lexicon(), load_scorer()
    held = {"pairs": [0, 0, 0], "participants": [0, 0, 0]}  # held, gold, proposed units
    by_rule: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for ex in examples:
        assert ex.gold is not None
        events = ex.proposed_events(lex, scorer)
        cases = label_events(ex.article.doc_id, events, ex.gold, lex)
        doc = ex.article.doc_id
        wrong_parts: list[str] = []
        got = {(doc, *k) for c in cases.contacts for k in c.keys}
        parts = {(doc, *k) for c in cases.parts for k in c.keys}
        for kind, gold, mine in (("pairs", cases.gold_pairs, got), ("participants", cases.gold_parts, parts)):
            held[kind][0] += len(gold & mine)
            held[kind][1] += len(gold)
            held[kind][2] += len(mine)
        named_parts = [(e, p) for e in events if e.name is not None for p in e.participants]
        for (ev, party), case in zip(named_parts, cases.parts, strict=True):
            how = f"{ev.rule.split('+')[0]} / {ev.how.get(party.name, 'launch')}"
            by_rule[how] += 1
            right[how] += case.label
            if listing and not case.label:
                wrong_parts.append(
                    f"  WRONG PART {how} {ev.name!r} / {party.name!r}: {' '.join(ev.sent.text.split())[:140]}"
                )
        contacts = [e for e in events if e.name is None]
        for ev, case in zip(contacts, cases.contacts, strict=True):
            by_rule[ev.rule] += 1
            right[ev.rule] += case.label
        if not listing:
            continue
        lines = wrong_parts
        for pair in sorted(cases.gold_pairs - got):
            sents = sentences_with(ex.article.text, [aliases(golds[doc], n) for n in pair[1:]], score)
            lines.append(f"  MISSED {pair[1]!r} + {pair[2]!r}" + "".join(f"\n      | {s}" for s in sents[:2]))
        for ev, case in zip(contacts, cases.contacts, strict=True):
            if not case.label:
                names = [p.name for p in ev.participants]
                lines.append(f"  WRONG {ev.rule} {names}: {' '.join(ev.sent.text.split())[:160]}")
        if lines:
            print(f"== {doc}\n" + "\n".join(lines))
    for kind, (tp, gold, mine) in held.items():
        print(f"{kind}: proposals hold {tp} of {gold} gold ({tp / max(gold, 1):.2f}); {mine} proposed")
    for rule, n in by_rule.most_common():
        print(f"  {rule:<40} {right[rule]:4d} right of {n:4d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
