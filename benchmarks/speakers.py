"""Reading first-person words as the speaker: what it changes, in cross-validation and on dev.

    python benchmarks/speakers.py [--corpus corpus/] [--shared ../shared]

"We will defend our territorial integrity" is `favor` from Belgrade and `against` from
Pristina. Given who speaks (the ``actor`` field of corpus and dev records), stancekit
replaces first-person words by the speaker's role token (``STATE``, ``ENTITY``,
``COUNTRY``; :func:`stancekit.preprocess.speaker_role`). The table compares, for the shipped
recipe (grouped 5-fold CV; the 2,000 background sentences and the framed copies of the
statements, in training folds only; :mod:`recipe`):

- a model trained on the text alone, reading the text alone, and the same model reading
  speakers at prediction time only (what stancekit does when an ``actor`` field is there;
  the shipped model until round 15, and again since round 33);
- a model trained with speakers too (corpus and background read with their speakers;
  ``stancekit train --actor-field actor``, the shipped model of rounds 15 to 32), read with and
  without them.

Columns: CV macro-F1 over all statements, CV macro-F1 on the statements whose tokens the
speaker changes (first-person words and a speaker the gazetteer knows), dev macro-F1 and
its two parts. Dev is printed, never used to choose. Last, the prediction speed on the dev
texts with and without speakers (same model, same run).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from recipe import (
    FRAMES_WEIGHT,
    SHIPPED_BACKGROUND_WEIGHT,
    TRAIN_WITH_SPEAKERS,
    add_path_options,
    corpus_docs,
    dev_records,
    shipped_background,
    shipped_docs,
)
from sklearn.metrics import f1_score

from stancekit.train import AnalyzedStanceClassifier, _with_extras, folds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_path_options(ap)
    args = ap.parse_args()
    shared, pre, p, records = corpus_docs(args)
    bg = shipped_background(pre, shared=shared)  # one draw for both recipes
    plain, (copies_plain, _, of), bg_plain, spoken = shipped_docs(shared, pre, p, records, bg, speakers=False)
    _, (copies_spoken, _, _), bg_spoken, _ = shipped_docs(shared, pre, p, records, bg, speakers=True)
    changed = np.array([a != b for a, b in zip(plain, spoken, strict=True)])
    dev = dev_records(shared)
    dev_texts = [r["text"] for r in dev]
    dev_plain = [a.text for a in p.analyze(dev_texts)]
    dev_spoken = [a.text for a in p.analyze(dev_texts, actors=[r.get("actor") for r in dev])]
    dy = np.asarray([r["label"] for r in dev])
    speech = np.asarray([r.get("form") == "speech" for r in dev])
    y = np.asarray([r.label for r in records], dtype=object)
    splits, scheme = folds(records)
    print(f"{len(records)} statements, {scheme}; the speaker changes the tokens of {changed.sum()}")
    print(f"dev: {len(dev)} statements; the speaker changes the tokens of "
          f"{sum(a != b for a, b in zip(dev_plain, dev_spoken, strict=True))}")  # fmt: skip

    def fit(
        docs: list[str], copies: list[str], bg_docs: list[str], idx: np.ndarray | None = None
    ) -> AnalyzedStanceClassifier:
        train_idx = np.arange(len(docs)) if idx is None else idx
        all_docs, all_y, w, fold, mask = _with_extras(
            docs,
            y,
            [(train_idx, train_idx)],
            (bg_docs, "none", SHIPPED_BACKGROUND_WEIGHT),
            (copies, FRAMES_WEIGHT, of),
        )
        keep = fold[0][0]
        return AnalyzedStanceClassifier().fit(
            [all_docs[i] for i in keep], all_y[keep], sample_weight=w[keep], vocab_mask=mask[keep]
        )

    def f1(gold: np.ndarray, pred: np.ndarray) -> float:
        return float(f1_score(gold, pred, average="macro"))

    print(f"{'model / read':<44}{'CV':>8}{'CV spoken':>11}{'dev':>8}{'speech':>8}{'statements':>12}")
    for name, train_docs, copies, bg_docs in (
        ("text-only training" + ("" if TRAIN_WITH_SPEAKERS else " (shipped)"), plain, copies_plain, bg_plain),
        ("trained with speakers" + (" (shipped)" if TRAIN_WITH_SPEAKERS else ""), spoken, copies_spoken, bg_spoken),
    ):
        preds = {"text alone": np.empty(len(y), dtype=object), "with speakers": np.empty(len(y), dtype=object)}
        for train_idx, test_idx in splits:
            clf = fit(train_docs, copies, bg_docs, train_idx)
            preds["text alone"][test_idx] = clf.predict([plain[i] for i in test_idx])
            preds["with speakers"][test_idx] = clf.predict([spoken[i] for i in test_idx])
        final = fit(train_docs, copies, bg_docs)
        for read, dev_docs in (("text alone", dev_plain), ("with speakers", dev_spoken)):
            pred, dp = preds[read], final.predict(dev_docs)
            print(
                f"{name + ', ' + read:<50}{f1(y, pred):>8.4f}{f1(y[changed], pred[changed]):>11.4f}"
                f"{f1(dy, dp):>8.4f}{f1(dy[speech], dp[speech]):>8.4f}{f1(dy[~speech], dp[~speech]):>12.4f}"
            )
    import stancekit

    model = stancekit.load()
    actors = [r.get("actor") for r in dev]
    reps = 20
    for label, kw in (("text alone", {}), ("with speakers", {"actors": actors})):
        model.predict_proba(dev_texts, **kw)  # warm caches
        t0 = time.perf_counter()
        for _ in range(reps):
            model.predict_proba(dev_texts, **kw)
        rate = reps * len(dev_texts) / (time.perf_counter() - t0)
        print(f"prediction speed, {label}: {rate:,.0f} statements/s")


if __name__ == "__main__":
    main()
