"""Compare candidate feature sets and classifiers for the default model.

Selection is by cross-validation on the corpus, grouped by dispute (folds never split a
dispute, so the score is for disputes the model has not seen). The dev set is reported
alongside for information only; it is never used to choose.

    python benchmarks/compare_models.py [--dev ../shared/eval/dev.jsonl] [--quick]

Prints a table: candidate, CV macro-F1, dev macro-F1 (all / speech / statements),
and prediction speed in statements per second. The first row reads surface forms: lower-cased
words as scikit-learn's own ``TfidfVectorizer`` splits them, no spaCy, no lemmas, in the same
folds and with the same classifier (logistic regression, C = 10, balanced classes); the second,
lemmas with nothing else of the pipeline. Lemmas cannot be switched off inside the pipeline,
whose negation scopes and cue lexicon are written in lemmas, so this pair is the comparison
of the two. Background candidates draw their plain
UN General Debate sentences as ``stancekit train --background`` does (dev-overlapping ones
left out) and add them to training folds only.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import numpy as np
from recipe import BACKGROUND_N, BACKGROUND_WEIGHT, ROOT, dev_path, shipped_background

import stancekit
from stancekit.train import _split_params, cross_validate, evaluate, folds, load_training_data, speech_or_statement

#: The shipped model's background (2,000 plain UN General Debate sentences at weight 0.25).
BG = {"background": BACKGROUND_N, "background_weight": BACKGROUND_WEIGHT}

CANDIDATES: dict[str, dict] = {
    "surface words 1-3 (scikit-learn's tokenizer, no spaCy)": {"surface": True},
    "lemmas 1-3 (no masking/negation/cues)": {
        "mask_names": False,
        "negation": False,
        "cues": False,
        "ngram_range": (1, 3),
        "min_df": 1,
        "vectors": None,
    },
    "+ negation scope": {"mask_names": False, "cues": False, "ngram_range": (1, 3), "min_df": 1, "vectors": None},
    "+ role-masked names": {"cues": False, "ngram_range": (1, 3), "min_df": 1, "vectors": None},
    "+ min_df=2": {"cues": False, "vectors": None},
    "+ cue lexicon and cue@role": {"vectors": None},
    "+ UNGD word vectors, statement mean": {"vector_window": None},
    "+ vectors near STATE and near ENTITY, ±3": {},
    "+ 2,000 plain UNGD sentences as none, weight 0.25 (default)": BG,
    "  default, background weight 0.5": {**BG, "background_weight": 0.5},
    "  default, background weight 1": {**BG, "background_weight": 1.0},
    "  default, 5,000 background sentences, weight 1": {"background": 5000},
    "  default, 10,000 background sentences, weight 1": {"background": 10000},
    "  default, window ±2": {**BG, "vector_window": 2},
    "  default, window ±5": {**BG, "vector_window": 5},
    "  default, vector weight 0.25": {**BG, "vector_weight": 0.25},
    "  default, vector weight 1": {**BG, "vector_weight": 1.0},
    "  default, word 1-2": {**BG, "ngram_range": (1, 2)},
    "  default + char_wb 3-5": {**BG, "char_ngrams": (3, 5)},
    "  default, C=1": {**BG, "C": 1.0},
    "  default, C=3": {**BG, "C": 3.0},
    "  default, C=30": {**BG, "C": 30.0},
    "  default, linear SVM sigmoid-calibrated (C=0.3)": {**BG, "loss": "svm", "C": 0.3},
    "  default, no class weights": {**BG, "class_weight": None},
}


def surface_model() -> Any:
    """Surface-form n-grams: scikit-learn's tokenizer on lower-cased text, the shipped classifier."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True, dtype=np.float32),
        LogisticRegression(C=10.0, class_weight="balanced", max_iter=5000, random_state=0),
    )


def surface_row(name: str, records: list, dev_records: list | None) -> str:
    """The table row of :func:`surface_model`: grouped CV in the folds of the other rows, dev, speed."""
    from sklearn.metrics import f1_score

    texts = np.asarray([r.text for r in records], dtype=object)
    y = np.asarray([r.label for r in records], dtype=object)
    pred = np.empty(len(y), dtype=object)
    for train_idx, test_idx in folds(records)[0]:
        pred[test_idx] = surface_model().fit(texts[train_idx], y[train_idx]).predict(texts[test_idx])
    cv = f1_score(y, pred, average="macro")
    dev_all = sp = st = rate = float("nan")
    if dev_records:
        clf = surface_model().fit(texts, y)
        dy = np.asarray([r.label for r in dev_records], dtype=object)
        dx = [r.text for r in dev_records]
        speech = np.asarray([speech_or_statement(r) == "speech" for r in dev_records])
        dp = clf.predict(dx)
        dev_all = f1_score(dy, dp, average="macro")
        sp = f1_score(dy[speech], dp[speech], average="macro")
        st = f1_score(dy[~speech], dp[~speech], average="macro")
        t0 = time.perf_counter()
        clf.predict_proba(dx * 4)
        rate = 4 * len(dx) / (time.perf_counter() - t0)
    return f"{name:<62}{cv:>7.3f}{dev_all:>7.3f}{sp:>8.3f}{st:>7.3f}{rate:>9.0f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    ap.add_argument("--dev", default=str(dev_path()))
    ap.add_argument("--only", nargs="*", help="run only candidates whose name contains one of these")
    args = ap.parse_args()
    records, _ = load_training_data([args.corpus])
    dev = Path(args.dev)
    dev_records = load_training_data([dev])[0] if dev.exists() else None
    print(f"corpus: {len(records)} statements; dev: {len(dev_records) if dev_records else 'not found'}")
    header = f"{'candidate':<62}{'CV':>7}{'dev':>7}{'speech':>8}{'stmts':>7}{'pred/s':>9}"
    print(header)
    print("-" * len(header))
    drawn: dict[tuple, stancekit.Background] = {}
    for name, params in CANDIDATES.items():
        if args.only and not any(o in name for o in args.only):
            continue
        params = dict(params)
        if params.pop("surface", False):
            print(surface_row(name, records, dev_records), flush=True)
            continue
        n_background = params.pop("background", 0)
        weight = params.pop("background_weight", 1.0)
        texts, labels, background = [r.text for r in records], [r.label for r in records], None
        weights = None
        if n_background:  # as stancekit.train(..., background=UNGD) draws them
            pre = _split_params(params)[0]
            key = (n_background, tuple(sorted(pre.items())))
            if key not in drawn:
                drawn[key] = shipped_background(pre, n=n_background)
            bg = drawn[key]
            background = (bg.docs, "none", weight)
            texts, labels = texts + bg.texts, labels + ["none"] * len(bg.texts)
            weights = [1.0] * len(records) + [weight] * len(bg.texts)
        cv = cross_validate(records, n_splits=5, background=background, **params)["report"].macro_f1
        clf = stancekit.StanceClassifier(**params).fit(texts, labels, sample_weight=weights)
        dev_all = sp = st = float("nan")
        rate = float("nan")
        if dev_records:
            rep = evaluate(clf, dev_records, parts=speech_or_statement)
            dev_all, sp, st = rep.macro_f1, rep.parts["speech"].macro_f1, rep.parts["statements"].macro_f1
            texts = [r.text for r in dev_records] * 4
            t0 = time.perf_counter()
            clf.predict_proba(texts)
            rate = len(texts) / (time.perf_counter() - t0)
        print(f"{name:<62}{cv:>7.3f}{dev_all:>7.3f}{sp:>8.3f}{st:>7.3f}{rate:>9.0f}", flush=True)


if __name__ == "__main__":
    main()
