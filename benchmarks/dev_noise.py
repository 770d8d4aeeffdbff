"""How far dev's macro-F1 moves by chance: sampling noise and training noise. Reads dev, chooses nothing.

    python benchmarks/dev_noise.py [--corpus corpus/] [--shared ../shared] [--runs 5] [--drop 0.01]

Dev's 325 statements (152 General Debate sentences, 173 statements) decide whether issue 3's
target is met, so its figures need error bars. This script prints two:

- **sampling**: the 95% bootstrap interval of the shipped recipe's dev macro-F1 (2,000
  resamples of the statements), overall and per part, and per class overall;
- **training**: the shipped recipe (:mod:`recipe`, with the labelled archive lines since
  session 19; ``--no-lines`` for the recipe before) refitted ``--runs`` times, each time on
  the corpus less a random ``--drop`` share of its statements (1%: about 170), as a corpus
  round or a gazetteer change of that size perturbs it; the spread of dev macro-F1 over the
  refits (mean, standard deviation, range) and how many dev predictions differ from the full
  model's on average.

Dev is read with speakers, as ``stancekit evaluate`` does by default.
"""

from __future__ import annotations

import argparse

import numpy as np
from real_speech import macro
from recipe import LABELS, add_path_options, fold_models, shipped_setup
from sklearn.metrics import f1_score


def bootstrap_interval(
    y: np.ndarray, pred: np.ndarray, n: int = 2000, seed: int = 0, label: str | None = None
) -> tuple[float, float]:
    """The 2.5th and 97.5th percentiles of macro-F1 (or one label's F1) over resamples."""
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(n):
        idx = rng.integers(0, len(y), len(y))
        if label is None:
            values.append(macro(y[idx], pred[idx]))
        else:
            values.append(f1_score(y[idx], pred[idx], labels=[label], average="macro", zero_division=0))
    lo, hi = np.percentile(values, [2.5, 97.5])
    return float(lo), float(hi)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_path_options(ap)
    ap.add_argument("--runs", type=int, default=5, help="refits on perturbed corpora (default 5)")
    ap.add_argument("--drop", type=float, default=0.01, help="share of statements each refit leaves out")
    ap.add_argument(
        "--no-lines", action="store_true", help="the recipe before session 19, without the labelled archive lines"
    )
    args = ap.parse_args()
    s = shipped_setup(args, labelled_lines=not args.no_lines)
    y, speech = s.dev_y, s.dev_speech
    n = len(s.y)
    full, _ = next(fold_models(s.docs, s.y, s.everything, s.background, s.framed))
    base = full.predict(s.dev_docs)
    print(f"dev: {len(y)} statements ({speech.sum()} General Debate sentences), read with speakers")
    print(f"{'sampling (bootstrap 95%)':<30}{'macro-F1':>10}{'interval':>20}")
    for name, keep in (("all", np.ones(len(y), dtype=bool)), ("speech", speech), ("statements", ~speech)):
        lo, hi = bootstrap_interval(y[keep], base[keep])
        print(f"  {name:<28}{macro(y[keep], base[keep]):>10.3f}{f'[{lo:.3f}, {hi:.3f}]':>20}")
    for label in LABELS:
        lo, hi = bootstrap_interval(y, base, label=label)
        f1 = f1_score(y, base, labels=[label], average="macro")
        print(f"  {'F1 ' + label:<28}{f1:>10.3f}{f'[{lo:.3f}, {hi:.3f}]':>20}")
        lo, hi = bootstrap_interval(y[speech], base[speech], label=label)
        f1 = f1_score(y[speech], base[speech], labels=[label], average="macro")
        print(f"  {'F1 ' + label + ', speech':<28}{f1:>10.3f}{f'[{lo:.3f}, {hi:.3f}]':>20}")

    rng = np.random.default_rng(1)
    keep_n = n - round(args.drop * n)
    scores, changed = [], []
    for run in range(args.runs):
        train = np.sort(rng.choice(n, keep_n, replace=False))
        clf, _ = next(fold_models(s.docs, s.y, [(train, np.arange(0))], s.background, s.framed))
        pred = clf.predict(s.dev_docs)
        scores.append((macro(y, pred), macro(y[speech], pred[speech]), macro(y[~speech], pred[~speech])))
        changed.append(int((pred != base).sum()))
        print(
            f"refit {run}: {n - keep_n} statements left out; dev {scores[-1][0]:.3f}, speech {scores[-1][1]:.3f}, "
            f"statements {scores[-1][2]:.3f}; {changed[-1]} predictions differ",
            flush=True,
        )
    a = np.asarray(scores)
    print(f"training ({args.runs} refits, {args.drop:.0%} left out each)")
    for k, name in enumerate(("all", "speech", "statements")):
        print(
            f"  {name:<28}mean {a[:, k].mean():.3f}  sd {a[:, k].std(ddof=1):.3f}  range {a[:, k].min():.3f}-{a[:, k].max():.3f}"
        )
    print(f"  predictions that differ from the full model's: {np.mean(changed):.1f} of {len(y)} on average")


if __name__ == "__main__":
    main()
