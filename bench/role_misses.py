"""Where role recall is lost: each gold role of a training gold file the extractor misses, with a reason.

A development aid, not shipped. Reasons, in the order they are tested:

- no-person: the article's people (as the extractor resolves them) do not include the gold person;
- no-candidate: the person is known but no rule proposed any role for them;
- no-title: candidates for the person exist, none with the gold title;
- no-org: the person and title are proposed, never with an accepted organisation;
- scorer: a right candidate exists but another (or none) was kept;
- status: the right fact was kept with the wrong status.

Decisions come from 5-fold cross-validation over the file's own articles. Use it on training gold only.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from graph_builder.extract.lexicon import lexicon
from graph_builder.extract.nlp import load_pipeline
from graph_builder.extract.scorer import Scorer
from graph_builder.extract.training import Example, fold, folds, load_examples, same_title, train


def sentence_of(ex: Example, person: str, title: str | None) -> str:
    """The first sentence naming the person's last name and a word of the title, else the last name."""
    surname = person.split()[-1].lower()
    words = {w for w in (title or "").lower().split() if len(w) > 2}
    fallback = ""
    for sent in ex.doc.sents:
        low = sent.text.lower()
        if surname in low:
            if any(w in low for w in words):
                return " ".join(sent.text.split())
            fallback = fallback or " ".join(sent.text.split())
    return fallback


def reasons(ex: Example, scorer: Scorer) -> list[tuple[str, dict[str, object], str]]:
    gold = ex.gold
    assert gold is not None
    facts = ex.facts(lexicon(), scorer)
    known = {gold.people.get(fold(e.name)) for e in facts.entities if e.label == "Person"}
    for e in facts.entities:
        if e.label == "Person":
            known |= {gold.people.get(fold(a)) for a in e.aliases}
    out = []
    for role in gold.roles:
        person, title = role["person"], role.get("title")
        mine = [c for c in ex.candidates if gold.people.get(fold(c.person)) == person]
        titled = [c for c in mine if same_title(title, c.title)]
        right = [
            c
            for c in titled
            if (role.get("organisation") is None and c.organisation is None)
            or (c.organisation is not None and gold.org_accepted(role, c.organisation))
        ]
        kept = [
            r
            for r in facts.roles
            if gold.people.get(fold(r.person)) == person
            and same_title(title, r.title)
            and (
                (role.get("organisation") is None and r.organisation is None)
                or (r.organisation is not None and gold.org_accepted(role, r.organisation))
            )
        ]
        if kept and any(r.status.value == role.get("status", "current") for r in kept):
            continue
        if kept:
            why = "status"
        elif person not in known:
            why = "no-person"
        elif not mine:
            why = "no-candidate"
        elif not titled:
            why = "no-title"
        elif not right:
            why = "no-org"
        else:
            why = "scorer"
        seen = titled[0] if titled else (mine[0] if mine else None)
        if why == "scorer":
            seen = max(right, key=lambda c: scorer.probability(c.features))
            rivals = [c for c in ex.candidates if c.group == seen.group]
            best = max(rivals, key=lambda c: scorer.probability(c.features))
            why = f"scorer-{'below' if best is seen else 'beaten'}"
            if best is not seen:
                seen = best
        detail = (
            f"[{seen.title} | {seen.organisation} | {' '.join(seen.rules)} | {scorer.probability(seen.features):.2f}"
            f" of {scorer.threshold}]"
            if seen
            else ""
        )
        out.append((why, role, detail or sentence_of(ex, person, title)))
        if seen is not None:
            out[-1] = (why, role, f"{detail} {' '.join(seen.sent.text.split())}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", type=Path)
    ap.add_argument("articles")
    ap.add_argument("--cache", type=Path, default=Path(".cache/parses"))
    ap.add_argument("--only", help="print the misses of this reason only")
    args = ap.parse_args()
    nlp, lex = load_pipeline(None), lexicon()
    pooled = load_examples(args.gold, [args.articles], nlp, lex, args.cache)
    tally: Counter[str] = Counter()
    total = 0
    for test in folds(pooled, 5, 12):
        held = set(test)
        scorer = train([ex for i, ex in enumerate(pooled) if i not in held])
        for i in test:
            ex = pooled[i]
            total += len(ex.gold.roles) if ex.gold else 0
            for why, role, where in reasons(ex, scorer):
                tally[why] += 1
                if args.only in {None, why}:
                    org = role.get("organisation")
                    print(f"{why:<13}{ex.article.doc_id}: {role['person']} | {role.get('title')} | {org}")
                    print(f"{'':<13}{where}")
    print(f"\n{sum(tally.values())} of {total} gold roles missed:", file=sys.stderr)
    for why, n in tally.most_common():
        print(f"  {why:<13}{n}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
