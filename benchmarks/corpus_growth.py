"""Does a corpus round help on the statements that were there before it? Dev-free.

    python benchmarks/corpus_growth.py --before OLD_CORPUS_DIR [--corpus corpus/] [--shared ../shared]

Grouped cross-validation over a grown corpus also scores the new rows, which may be easier or
harder than the old ones, so its change mixes two things. This script runs the shipped recipe
(:mod:`recipe`: a framed copy of each statement, the background, statements read with their speakers)
in grouped 5-fold cross-validation on ``--corpus`` and prints macro-F1 on all statements and
on the statements whose ``id`` is also in ``--before`` (split into speech sentences and the
rest). Run it with ``--corpus`` set to the old corpus too: the old rows' score then compares
like with like, each time held out by dispute. An older corpus comes from a worktree, e.g.
``git worktree add /tmp/r15 3372858`` and ``--before /tmp/r15/corpus``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from recipe import LABELS, SHIPPED_BACKGROUND_WEIGHT, add_path_options, corpus_docs, cross_predict, shipped_docs
from sklearn.metrics import f1_score

from stancekit.train import folds


def corpus_ids(root: str) -> set[str]:
    """The ``id`` of every record in the JSONL files under ``root``."""
    ids = set()
    for path in Path(root).rglob("*.jsonl"):
        with path.open(encoding="utf-8") as fh:
            ids.update(json.loads(line).get("id") for line in fh if line.strip())
    return ids


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_path_options(ap)
    ap.add_argument("--before", required=True, help="the corpus directory before the round")
    args = ap.parse_args()
    shared, pre, p, records = corpus_docs(args)
    docs, framed, bg_docs, read = shipped_docs(shared, pre, p, records)
    y = np.asarray([r.label for r in records], dtype=object)
    splits, scheme = folds(records)
    pred, _ = cross_predict(docs, y, splits, (bg_docs, "none", SHIPPED_BACKGROUND_WEIGHT), framed, read)
    before = corpus_ids(args.before)
    old = np.array([r.data.get("id") in before for r in records])
    speech = np.array([r.data.get("form") == "speech" for r in records])
    print(f"{args.corpus}: {len(y)} statements, {scheme}; {old.sum()} of them in {args.before}")
    for name, keep in (
        ("all statements", np.ones(len(y), dtype=bool)),
        ("statements of the earlier corpus", old),
        ("  speech sentences", old & speech),
        ("  the rest", old & ~speech),
    ):
        print(f"{name:<36}{keep.sum():>7}{f1_score(y[keep], pred[keep], average='macro'):>9.4f}")
    per = f1_score(y, pred, average=None, labels=list(LABELS))
    print("per label, all statements: " + "  ".join(f"{k} {v:.3f}" for k, v in zip(LABELS, per, strict=True)))


if __name__ == "__main__":
    main()
