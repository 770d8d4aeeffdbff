"""Grouped cross-validation of the shipped recipe, per dispute and on chosen entities.

    python benchmarks/dispute_cv.py [--entities NAME ...] [--corpus corpus/]

Runs the 5-fold cross-validation the model card reports (folds grouped by dispute, the
2,000 background sentences at weight 0.25 in training folds only) and prints macro-F1 and
accuracy of the out-of-fold predictions for each dispute, and, with ``--entities``, for the
statements whose ``entity`` field is one of the names given (the same statements whatever
the registry knows, so two versions of stancekit can be compared on them: run this script
with ``PYTHONPATH=src`` in a worktree of the other commit, this script and ``recipe.py``
copied into its ``benchmarks/``, and ``--shared`` pointing at ``shared/``).
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

import numpy as np
from recipe import BACKGROUND_WEIGHT, add_path_options, shipped_background
from sklearn.metrics import f1_score

from stancekit.train import _analyzed, _split_params, cross_validate, load_training_data


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_path_options(ap)
    ap.add_argument("--entities", nargs="*", default=[], help="report the statements about these entities together")
    args = ap.parse_args()
    shared = Path(args.shared)
    pre, _ = _split_params({})
    records, _ = load_training_data([args.corpus])
    bg = shipped_background(pre, shared=shared)
    result = cross_validate(records, docs=_analyzed(records, pre), background=(bg.docs, "none", BACKGROUND_WEIGHT))
    y = np.asarray([r.label for r in records])
    pred = np.asarray(result["predictions"])
    print(f"{len(records)} statements; {result['scheme']}; macro-F1 {result['report'].macro_f1:.4f}")
    groups: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        groups[str(r.data.get("dispute") or "(none)")].append(i)
    if args.entities:
        wanted = set(args.entities)
        groups["[--entities]"] = [i for i, r in enumerate(records) if r.data.get("entity") in wanted]
    print(f"{'dispute':<22}{'n':>6}{'macro-F1':>10}{'accuracy':>10}")
    for name, idx in sorted(groups.items()):
        if idx:
            f1 = f1_score(y[idx], pred[idx], average="macro")
            print(f"{name:<22}{len(idx):>6}{f1:>10.3f}{np.mean(y[idx] == pred[idx]):>10.3f}")


if __name__ == "__main__":
    main()
