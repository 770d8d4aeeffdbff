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

**Folds** (session 26): :class:`~sklearn.model_selection.GroupKFold` deals disputes to folds
by their sizes, so a round that adds rows to some disputes re-deals them, and the earlier
statements are then held out with other disputes beside them, which moves their score by
itself (round 47's: 0.8590 dealt afresh, 0.8637 with ``--keep-folds``). ``--keep-folds`` deals the folds
from the ``--before`` corpus instead, and each dispute of the grown corpus keeps its fold there
(a dispute new to the grown corpus joins the fold with the fewest rows); the before corpus
scored alone gets the same folds either way. Without it the grown corpus is dealt afresh, as
rounds 36 to 48 were measured (and the figures of ``benchmarks/README.md``'s history were), so that their
commands still reproduce them; rounds from 49 on use ``--keep-folds``.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np
from recipe import LABELS, SHIPPED_BACKGROUND_WEIGHT, add_path_options, corpus_docs, cross_predict, shipped_docs
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold

from stancekit.train import _groups, folds, load_training_data


def corpus_ids(root: str) -> set[str]:
    """The ``id`` of every record in the JSONL files under ``root``."""
    ids = set()
    for path in Path(root).rglob("*.jsonl"):
        with path.open(encoding="utf-8") as fh:
            ids.update(json.loads(line).get("id") for line in fh if line.strip())
    return ids


def dispute_groups(root: str) -> dict[str, int]:
    """Rows per group of the corpus under ``root``, grouped as :func:`stancekit.train.folds` groups them."""
    records, _ = load_training_data([root], near_threshold=0.5)
    return dict(Counter(_groups(records).tolist()))


def fixed_folds(groups: np.ndarray, before: dict[str, int], n_splits: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    """Folds dealt by GroupKFold from the ``before`` corpus's groups; groups new since then join the smallest fold."""
    names = sorted(before)
    rows = np.repeat(names, [before[g] for g in names])
    fold_of, load = {}, [0] * n_splits
    for k, (_, test) in enumerate(GroupKFold(n_splits=n_splits).split(rows, groups=rows)):
        for g in set(rows[test]):
            fold_of[g] = k
        load[k] = len(test)
    for g in sorted(set(groups) - set(fold_of)):
        k = int(np.argmin(load))
        fold_of[g] = k
        load[k] += int((groups == g).sum())
    assigned = np.array([fold_of[g] for g in groups])
    idx = np.arange(len(groups))
    return [(idx[assigned != k], idx[assigned == k]) for k in range(n_splits)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_path_options(ap)
    ap.add_argument("--before", required=True, help="the corpus directory before the round")
    ap.add_argument(
        "--keep-folds", action="store_true", help="deal the folds from --before's disputes (rounds from 49 on)"
    )
    args = ap.parse_args()
    shared, pre, p, records = corpus_docs(args)
    docs, framed, bg_docs, read = shipped_docs(shared, pre, p, records)
    y = np.asarray([r.label for r in records], dtype=object)
    if args.keep_folds:
        splits = fixed_folds(_groups(records), dispute_groups(args.before))
        scheme = f"GroupKFold(5) by dispute, dealt from {args.before}"
    else:
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
