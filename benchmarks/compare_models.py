"""Compare candidate feature sets and classifiers for the default model.

Selection is by cross-validation on the corpus, grouped by dispute (folds never split a
dispute, so the score is for disputes the model has not seen). The dev set is reported
alongside for information only; it is never used to choose.

    python benchmarks/compare_models.py [--dev ../shared/eval/dev.jsonl] [--quick]

Prints a table: candidate, CV macro-F1, dev macro-F1 (all / speech / statements),
and prediction speed in statements per second.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import stancekit
from stancekit.train import cross_validate, evaluate, load_training_data, speech_or_statement

ROOT = Path(__file__).resolve().parents[1]

CANDIDATES: dict[str, dict] = {
    "surface lemmas 1-3 (no masking/negation/cues)": {
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
    "+ vectors near STATE and near ENTITY, ±3 (default)": {},
    "  default, window ±2": {"vector_window": 2},
    "  default, window ±5": {"vector_window": 5},
    "  default, vector weight 0.25": {"vector_weight": 0.25},
    "  default, vector weight 1": {"vector_weight": 1.0},
    "  default, word 1-2": {"ngram_range": (1, 2)},
    "  default + char_wb 3-5": {"char_ngrams": (3, 5)},
    "  default, C=1": {"C": 1.0},
    "  default, C=3": {"C": 3.0},
    "  default, C=30": {"C": 30.0},
    "  default, linear SVM sigmoid-calibrated (C=0.3)": {"loss": "svm", "C": 0.3},
    "  default, no class weights": {"class_weight": None},
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    ap.add_argument("--dev", default=str(ROOT.parent / "shared" / "eval" / "dev.jsonl"))
    ap.add_argument("--only", nargs="*", help="run only candidates whose name contains one of these")
    args = ap.parse_args()
    records, _ = load_training_data([args.corpus])
    dev = Path(args.dev)
    dev_records = load_training_data([dev])[0] if dev.exists() else None
    print(f"corpus: {len(records)} statements; dev: {len(dev_records) if dev_records else 'not found'}")
    header = f"{'candidate':<48}{'CV':>7}{'dev':>7}{'speech':>8}{'stmts':>7}{'pred/s':>9}"
    print(header)
    print("-" * len(header))
    for name, params in CANDIDATES.items():
        if args.only and not any(o in name for o in args.only):
            continue
        cv = cross_validate(records, n_splits=5, **params)["report"].macro_f1
        clf = stancekit.StanceClassifier(**params).fit([r.text for r in records], [r.label for r in records])
        dev_all = sp = st = float("nan")
        rate = float("nan")
        if dev_records:
            rep = evaluate(clf, dev_records, parts=speech_or_statement)
            dev_all, sp, st = rep.macro_f1, rep.parts["speech"].macro_f1, rep.parts["statements"].macro_f1
            texts = [r.text for r in dev_records] * 4
            t0 = time.perf_counter()
            clf.predict_proba(texts)
            rate = len(texts) / (time.perf_counter() - t0)
        print(f"{name:<48}{cv:>7.3f}{dev_all:>7.3f}{sp:>8.3f}{st:>7.3f}{rate:>9.0f}", flush=True)


if __name__ == "__main__":
    main()
