"""A one-layer network (``loss="mlp"``) against logistic regression on the shipped features.

    python benchmarks/network.py [--corpus corpus/] [--shared ../shared] [--seeds 0 1]
        [--blend-weights W ...] [--no-parts]

The remaining cross-validation errors are compositional: whose sovereignty a phrase is
about, a status word with and without a negation or a name beside it. A linear model adds
its features up; a network with one layer of ReLU units (:data:`stancekit.classifier.MLP_HIDDEN`)
over the same features can weigh a word by its company. Both are trained on the shipped
recipe (:mod:`recipe`: statements read with their speakers, framed copies, the background)
and scored by grouped 5-fold CV; the network once per seed, since its start is random.

The rule is the one for every model change: adopt if grouped CV macro-F1 gains at least
0.005 (for the network, at every seed). Dev (with speakers) is printed, never used to choose.
Prediction speed is for the model trained on every statement, over the corpus's analysed
statements (no spaCy), so it compares the classifiers alone.

``--blend-weights`` adds, at each seed, the shipped option ``loss="logistic+mlp"`` (the
log-probability mean, as one model) trained with the background at each given weight instead
of the shipped one, for the background-weight check of the mean (``benchmarks/README.md``); ``--no-parts``
leaves out the network alone and the two means computed from it.
"""

from __future__ import annotations

import argparse
import dataclasses
import time

import numpy as np
from recipe import SCORE_HEADER, Setup, add_path_options, fold_models, score_row, shipped_setup
from scipy.special import softmax


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_path_options(ap)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1], help="network seeds (default 0 1)")
    ap.add_argument("--blend-weights", type=float, nargs="*", default=[], help="background weights for logistic+mlp")
    ap.add_argument("--no-parts", action="store_true", help="skip the network alone and the computed means")
    args = ap.parse_args()
    s = shipped_setup(args)
    print(f"{len(s.records)} statements, {s.scheme}")
    print(f"{SCORE_HEADER}{'pred/s':>9}{'fit s':>7}")
    classes = np.asarray([])

    def row(name: str, proba: np.ndarray, dev_proba: np.ndarray, speed: str = "", fit: str = "") -> None:
        pred, dp = classes[proba.argmax(axis=1)], classes[dev_proba.argmax(axis=1)]
        print(f"{score_row(name, s.y, pred, s.dev_y, dp, s.dev_speech)}{speed:>9}{fit:>7}", flush=True)

    def run(params: dict, setup: Setup = s) -> tuple[np.ndarray, np.ndarray, str, str]:
        """Out-of-fold probabilities, dev probabilities, predictions/s, mean fit seconds."""
        nonlocal classes
        proba = None
        fit_times = []
        start = time.perf_counter()
        folds = s.splits + s.everything
        for clf, test_idx in fold_models(s.docs, s.y, folds, setup.background, s.framed, params):
            fit_times.append(time.perf_counter() - start)
            classes = np.asarray(clf.classes_)
            if proba is None:
                proba = np.zeros((len(s.y), len(classes)))
            if len(test_idx):
                proba[test_idx] = clf.predict_proba([s.read[i] for i in test_idx])
            start = time.perf_counter()
        t = time.perf_counter()
        clf.predict_proba(s.read)
        speed = len(s.read) / (time.perf_counter() - t)
        return proba, clf.predict_proba(s.dev_docs), f"{speed:.0f}", f"{np.mean(fit_times):.0f}"

    linear = run({})
    row("logistic regression (shipped)", *linear)
    for seed in args.seeds:
        for weight in args.blend_weights:
            docs, label, _ = s.background
            setup = dataclasses.replace(s, background=(docs, label, weight))
            row(
                f"logistic+mlp, background {weight:g}, seed {seed}",
                *run({"loss": "logistic+mlp", "random_state": seed}, setup),
            )
        if args.no_parts:
            continue
        network = run({"loss": "mlp", "random_state": seed})
        row(f"network, seed {seed}", *network)
        # Two ways to combine them: the mean of the probabilities, and the mean of the
        # log-probabilities (softmax of the mean scores, which ``explain`` could still split).
        pairs = list(zip(linear[:2], network[:2], strict=True))
        row(f"mean of both (probabilities), seed {seed}", *((a + b) / 2 for a, b in pairs))
        row(
            f"mean of both (log-probabilities), seed {seed}",
            *(softmax((np.log(a) + np.log(b)) / 2, axis=1) for a, b in pairs),
        )


if __name__ == "__main__":
    main()
