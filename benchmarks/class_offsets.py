"""Per-class offsets on the decision rule, chosen by grouped cross-validation: tried, not adopted.

    python benchmarks/class_offsets.py [--corpus corpus/] [--shared ../shared] [--step 0.1]

The shipped model predicts the label of highest probability. A model trained on authored
statements may lean toward or away from a label in a way a shift of each class's log
probability corrects: ``argmax(log p + b)`` with ``b`` one offset per label (``none``'s held
at 0; the others on a grid from -1 to 1). The offsets are chosen to maximise macro-F1 on the
shipped recipe's out-of-fold probabilities (:mod:`recipe`; grouped 5-fold CV, statements
read with their speakers), nested so that the score is honest: for each fold, the offsets that
do best on the other four folds' predictions are applied to it.

It prints the out-of-fold macro-F1 without and with the nested offsets, the offsets chosen on
each fold and on the whole corpus, and, for the offsets chosen on the whole corpus applied to
the shipped recipe's model, the audit of real General Debate sentences labelled by us
(:mod:`real_speech`, with a paired bootstrap interval) and dev (printed, never used to choose).

The rule, the one for every change to the model: adopt if grouped CV gains at least 0.005,
or if the audit gains at least 0.02 with an interval above zero while CV loses no more than
0.003.
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import numpy as np
from real_speech import bootstrap_gain, load_audit, macro
from recipe import LABELS, add_path_options, cross_proba, fold_models, shipped_setup
from sklearn.metrics import f1_score


def fast_macro(y: np.ndarray, pred: np.ndarray, k: int) -> float:
    """Macro-F1 of integer labels ``0..k-1`` (every label counted, as ``f1_score(labels=...)``)."""
    cm = np.bincount(y * k + pred, minlength=k * k).reshape(k, k)
    tp = np.diag(cm)
    return float(np.mean(2 * tp / np.maximum(cm.sum(0) + cm.sum(1), 1)))


def best_offsets(logp: np.ndarray, y: np.ndarray, grid: np.ndarray, fixed: int) -> tuple[np.ndarray, float]:
    """The offsets (one per column, column ``fixed`` at 0) that maximise macro-F1, and that score."""
    k = logp.shape[1]
    best, score = np.zeros(k), fast_macro(y, logp.argmax(1), k)
    for free in itertools.product(grid, repeat=k - 1):
        b = np.insert(np.asarray(free), fixed, 0.0)
        s = fast_macro(y, (logp + b).argmax(1), k)
        if s > score + 1e-12:
            best, score = b, s
    return best, score


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_path_options(ap)
    ap.add_argument("--step", type=float, default=0.1, help="grid step of the offsets (default 0.1)")
    args = ap.parse_args()
    s = shipped_setup(args)
    proba, clf = cross_proba(s.docs, s.y, s.splits, s.background, s.framed, s.read)
    classes = [str(c) for c in clf.classes_]
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[v] for v in s.y])
    logp = np.log(np.clip(proba, 1e-9, 1))
    grid = np.round(np.arange(-1.0, 1.0 + args.step / 2, args.step), 6)
    fixed = index["none"] if "none" in index else len(classes) - 1
    print(f"{len(y)} statements, {s.scheme}; offsets in {', '.join(classes)} order, {classes[fixed]} held at 0")
    nested = np.empty(len(y), dtype=int)
    for k, (_, test_idx) in enumerate(s.splits):
        train = np.ones(len(y), dtype=bool)
        train[test_idx] = False
        b, inside = best_offsets(logp[train], y[train], grid, fixed)
        nested[test_idx] = (logp[test_idx] + b).argmax(1)
        print(f"fold {k}: offsets {np.round(b, 2).tolist()}, macro-F1 on the other folds {inside:.4f}")
    base = fast_macro(y, logp.argmax(1), len(classes))
    print(f"{'out-of-fold macro-F1, highest probability':<52}{base:.4f}")
    print(f"{'out-of-fold macro-F1, nested offsets':<52}{fast_macro(y, nested, len(classes)):.4f}")
    whole, _ = best_offsets(logp, y, grid, fixed)
    print(f"offsets chosen on the whole corpus: {np.round(whole, 2).tolist()}")

    full, _ = next(fold_models(s.docs, s.y, s.everything, s.background, s.framed))
    audit = load_audit(shared=Path(args.shared))
    audit_docs = [a.text for a in s.preprocessor.analyze(audit.texts, actors=audit.countries)]
    names = np.asarray(classes, dtype=object)
    for name, docs, gold in (
        ("audit (575 real GD sentences)", audit_docs, audit.y),
        ("dev (printed only)", s.dev_docs, s.dev_y),
    ):
        lp = np.log(np.clip(full.predict_proba(docs), 1e-9, 1))
        plain, shifted = names[lp.argmax(1)], names[(lp + whole).argmax(1)]
        lo, hi = bootstrap_gain(gold, plain, shifted)
        per = f1_score(gold, shifted, average=None, labels=list(LABELS))
        print(
            f"{name:<32} {macro(gold, plain):.4f} -> {macro(gold, shifted):.4f} [{lo:+.3f}, {hi:+.3f}]  "
            + " ".join(f"{k} {v:.3f}" for k, v in zip(LABELS, per, strict=True))
        )


if __name__ == "__main__":
    main()
