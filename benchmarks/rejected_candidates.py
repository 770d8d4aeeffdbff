"""Candidates tried for the default model and not adopted, by grouped cross-validation.

    python benchmarks/rejected_candidates.py [--corpus corpus] [--only selftrain anchors]

Prints the grouped-by-dispute CV macro-F1 of the shipped configuration beside:

- **self-training**: in each fold, the fold's model labels the real UN General Debate
  keyword sentences (those sharing a word 6-gram with dev are left out), and the most
  confident predictions of each label (threshold, cap per label) are added to the fold's
  training data before refitting. Tested because it would bring real speech register into
  training without annotation.
- **more vector windows**: a block of word vectors near first-person words (we, our, us,
  my, I), one near status cues (``CUE_status``) and one near ``CLAIMANT`` (session 18),
  beside the blocks near STATE and ENTITY.
- **frequency-weighted means**: each word's vector scaled by ``a / (a + p(w))`` (smooth
  inverse frequency, with ``p`` from the vocabulary's frequency rank by Zipf's law), so that
  "the" and "of" weigh less in the means; and the 50 most frequent words left out.

The rule fixed beforehand: adopt a candidate if it adds at least 0.005 to CV. Dev is not
read except to keep its sentences out of the self-training pool.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from collections import Counter

import numpy as np
from recipe import ROOT, SHARED, dev_texts

import stancekit.classifier as classifier_module
from stancekit.preprocess import Preprocessor
from stancekit.train import (
    AnalyzedStanceClassifier,
    _split_params,
    cross_validate,
    folds,
    load_training_data,
    score,
)
from stancekit.wordvectors import WordVectors, load_vectors, overlap_filter

FIRST_PERSON = ("we", "our", "us", "my", "i")


def self_training(records, docs, pool_docs, threshold: float, cap: int) -> float:
    """Grouped CV macro-F1 with confident pseudo-labels of ``pool_docs`` added per fold."""
    y = np.asarray([r.label for r in records], dtype=object)
    pred = np.empty(len(records), dtype=object)
    for train_idx, test_idx in folds(records, n_splits=5)[0]:
        base = AnalyzedStanceClassifier().fit([docs[i] for i in train_idx], y[train_idx])
        proba = base.predict_proba(pool_docs)
        label, conf = base.classes_[proba.argmax(1)], proba.max(1)
        extra_docs, extra_y = [], []
        for c in base.classes_:
            idx = np.where((label == c) & (conf >= threshold))[0]
            idx = idx[np.argsort(-conf[idx])][:cap]
            extra_docs += [pool_docs[i] for i in idx]
            extra_y += [c] * len(idx)
        print(f"    fold adds {dict(sorted(Counter(extra_y).items()))}", flush=True)
        clf = AnalyzedStanceClassifier().fit(
            [docs[i] for i in train_idx] + extra_docs, np.concatenate([y[train_idx], np.asarray(extra_y, dtype=object)])
        )
        pred[test_idx] = clf.predict([docs[i] for i in test_idx])
    return score(y.tolist(), pred.tolist(), sorted(set(y.tolist()))).macro_f1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    ap.add_argument(
        "--only", nargs="*", choices=["selftrain", "anchors", "weights"], default=["selftrain", "anchors", "weights"]
    )
    args = ap.parse_args()
    records, _ = load_training_data([args.corpus])
    pre = Preprocessor(**_split_params({})[0])  # the shipped model's preprocessing, as training builds it
    docs = [a.text for a in pre.analyze([r.text for r in records])]
    print(f"corpus: {len(records)} statements")
    base = cross_validate(records, docs=docs)["report"].macro_f1
    print(f"{'shipped configuration':<58}{base:>7.3f}", flush=True)

    if "anchors" in args.only:
        shipped = classifier_module._ANCHORS
        try:
            for name, extra in (
                ("+ vectors near first-person words", (FIRST_PERSON,)),
                ("+ vectors near status cues", ("CUE_status",)),
                ("+ both", (FIRST_PERSON, "CUE_status")),
                ("+ vectors near CLAIMANT", ("CLAIMANT",)),
            ):
                classifier_module._ANCHORS = shipped + extra  # experiment only: the blocks the model averages
                cv = cross_validate(records, docs=docs)["report"].macro_f1
                print(f"{name:<58}{cv:>7.3f}", flush=True)
        finally:
            classifier_module._ANCHORS = shipped

    if "weights" in args.only:
        shipped_vectors = load_vectors("ungd")
        n = len(shipped_vectors)
        p = 1.0 / (np.arange(1, n + 1) * (np.log(n) + 0.5772))  # Zipf: the vocabulary is in frequency order
        for name, weight in (
            ("+ frequency-weighted vector means, a=1e-3", 1e-3 / (1e-3 + p)),
            ("+ frequency-weighted vector means, a=1e-4", 1e-4 / (1e-4 + p)),
            ("+ vector means without the 50 most frequent words", (np.arange(n) >= 50).astype(float)),
        ):
            weighted = WordVectors(shipped_vectors.words, (shipped_vectors.matrix * weight[:, None]).astype(np.float32))
            cv = cross_validate(records, docs=docs, vectors=weighted)["report"].macro_f1
            print(f"{name:<58}{cv:>7.3f}", flush=True)

    if "selftrain" in args.only:
        held_out = overlap_filter(dev_texts())
        path = SHARED / "data" / "ungd" / "keyword-sentences.jsonl"
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as fh:
            pool = [json.loads(line)["text"] for line in fh]
        random.Random(0).shuffle(pool)
        pool = [t for t in pool if not held_out(t)]
        pool_docs = [a.text for a in pre.analyze(pool)]
        print(f"self-training pool: {len(pool)} UN sentences (dev-overlapping ones left out)")
        for threshold, cap in ((0.9, 1500), (0.97, 300)):
            cv = self_training(records, docs, pool_docs, threshold, cap)
            print(f"{f'+ self-training, confidence >= {threshold}, <= {cap} per label':<58}{cv:>7.3f}", flush=True)


if __name__ == "__main__":
    main()
