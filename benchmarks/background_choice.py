"""The figures behind the shipped background's size and weight (no dev figure is read).

    python benchmarks/background_choice.py --reference MODEL [--sizes 2000 5000 10000]
        [--weights 1 0.5 0.25]

For each background size and weight (2,000 plain UN General Debate sentences at weights 1,
0.5 and 0.25, then larger sizes at weight 1), prints:

- grouped cross-validated macro-F1 on the corpus, the background in training folds only;
- ``plain``: the share of the plain sentences of the ``real_register.py`` sample (20,000
  random General Debate sentences outside the background pool and dev) given a stance;
- ``changed``: the share of the sample's other sentences whose label differs from the
  ``--reference`` model's (a model trained without background): side effects of data meant
  for plain text.

The rules (``benchmarks/README.md``, "Quality, round by round"): size, the smallest bringing ``plain`` below 1% with CV within
0.003 of the reference configuration; weight, among those meeting the same conditions, the
fewest ``changed``.
"""

from __future__ import annotations

import argparse

import numpy as np
from real_register import sample_sentences
from recipe import ROOT, shipped_background

import stancekit
from stancekit.background import is_plain
from stancekit.preprocess import Preprocessor
from stancekit.train import (
    AnalyzedStanceClassifier,
    _analyzed,
    _split_params,
    _with_extras,
    cross_validate,
    load_training_data,
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reference", required=True, help="a model trained without background (e.g. commit a6ae8c5's)")
    ap.add_argument("--sizes", nargs="+", type=int, default=[2000, 5000, 10000])
    ap.add_argument("--weights", nargs="+", type=float, default=[1.0, 0.5, 0.25])
    args = ap.parse_args()
    pre, post = _split_params({})
    records, _ = load_training_data([ROOT / "corpus"])
    docs = _analyzed(records, pre)
    y = np.asarray([r.label for r in records], dtype=object)
    sample = sample_sentences(20_000, 1)
    analyses = list(Preprocessor(**pre).analyze(sample))
    sample_docs = [a.text for a in analyses]
    plain = np.asarray([is_plain(a) for a in analyses])
    reference = np.asarray(stancekit.load(args.reference).predict(sample))
    base = cross_validate(records, docs=docs)["report"].macro_f1
    print(f"corpus {len(records)}; sample {len(sample)} ({plain.sum()} plain); CV without background {base:.4f}")
    header = f"{'size':>6}{'weight':>8}{'CV':>8}{'plain':>8}{'changed':>9}"
    print(header)
    print("-" * len(header))
    runs = [(args.sizes[0], w) for w in args.weights] + [(n, 1.0) for n in args.sizes[1:]]
    drawn: dict[int, stancekit.Background] = {}
    for n, weight in runs:
        if n not in drawn:
            drawn[n] = shipped_background(pre, n=n)
        background = (drawn[n].docs, "none", weight)
        cv = cross_validate(records, docs=docs, background=background)["report"].macro_f1
        fit_docs, fit_y, fit_w, _, _ = _with_extras(docs, y, [], background, None)
        pred = np.asarray(
            AnalyzedStanceClassifier(**post).fit(fit_docs, fit_y, sample_weight=fit_w).predict(sample_docs)
        )
        over = float(np.mean(pred[plain] != "none"))
        changed = float(np.mean(pred[~plain] != reference[~plain]))
        print(f"{n:>6}{weight:>8.2f}{cv:>8.4f}{over:>8.4f}{changed:>9.4f}", flush=True)


if __name__ == "__main__":
    main()
