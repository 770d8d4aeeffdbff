"""Weighting the corpus toward real speech (covariate shift): measured, not adopted.

    python benchmarks/importance.py [--corpus corpus/] [--shared ../shared] [--pool 20000]

The model learns from authored statements and is read on real ones; on real General Debate
sentences labelled by us (:mod:`real_speech`) it scores far below cross-validation. A
standard answer to training and test text drawn from different distributions is importance
weighting: a domain classifier tells authored statements from real ones, and each training
statement is weighted by how real it looks, ``p(real | x) / p(authored | x)``, so the
classifier's loss approximates the loss on real text (Shimodaira, 2000; Bickel et al., 2007).
No label of real text is needed.

The real side is ``--pool`` of the archive's keyword sentences (``real_speech.KEYWORDS``: the
kind of sentence the audit draws from), leaving out those sharing a word 6-gram with dev, the
background's pool and the audit's lines. The domain classifier is a logistic regression on word
1-2-grams of the texts as the model reads them (names masked, so it tells register rather than
disputes); each statement's probability is out-of-fold (5 folds), so no statement is weighted
by a classifier that saw it. The ratio is clipped to [0.1, 10], raised to ``alpha`` (1: full
correction; 0.5: tempered) and scaled to mean 1, so the background keeps its share; a
statement's framed copy takes its weight. ``speech`` variants weight only statements whose
form is ``speech`` (scaled to mean 1 among them), the others keep 1.

It prints, per variant, the weights' spread (effective sample size), grouped 5-fold CV
macro-F1 per label, the audit with a paired bootstrap interval of the gain over the shipped
recipe, and dev (printed, never used to choose). The rule, set before the run, is the one for
every model change: adopt if grouped CV gains at least 0.005, or the audit at least 0.02 with
an interval above zero while CV loses no more than 0.003.

Measured on the round-34 corpus before the claimant role (session 18; repeat in a worktree of
commit a5bd5fc; the domain classifier tells the two sides apart
well: the median ratio is 0.094, 0.117 for speech statements):

    variant               ESS      CV   audit                gain [95%]     dev
    shipped             1.000  0.8634  0.5914                            0.7814
    all, alpha 0.5      0.733  0.8614  0.5860   -0.005 [-0.024, +0.013]  0.7775
    all, alpha 1        0.186  0.8577  0.5944   +0.003 [-0.025, +0.032]  0.7839
    speech, alpha 1     0.323  0.8590  0.5861   -0.005 [-0.027, +0.016]  0.7758

Every variant loses CV and none gains on the audit beyond its noise: not adopted. Weighting
toward the statements that look most like real keyword sentences shrinks the effective
corpus (ESS: the share of statements the weights are worth) without teaching the model what
it lacks on real speech.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from pathlib import Path

import numpy as np
from real_speech import KEYWORDS, gain_text, load_audit, macro
from recipe import (
    ACTOR_FIELD,
    LABELS,
    SHIPPED_BACKGROUND_WEIGHT,
    add_path_options,
    corpus_docs,
    dev_records,
    dev_texts,
    shipped_background,
    shipped_docs,
    ungd_path,
)
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from stancekit.background import in_pool
from stancekit.train import AnalyzedStanceClassifier, _with_extras, folds
from stancekit.wordvectors import overlap_filter

#: Variants: name, alpha, whether only speech statements are weighted.
VARIANTS = (("all, alpha 0.5", 0.5, False), ("all, alpha 1", 1.0, False), ("speech, alpha 1", 1.0, True))
CLIP = (0.1, 10.0)
SEED = 7


def real_pool(shared: Path, n: int, skip_lines: set[int]) -> list[str]:
    """``n`` random keyword sentences of the archive, none near dev, in the background pool or audited."""
    held = overlap_filter(dev_texts(shared))
    rows = []
    with gzip.open(ungd_path(shared), "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i in skip_lines:
                continue
            text = json.loads(line)["text"]
            if KEYWORDS.search(text) and not in_pool(text) and not held(text):
                rows.append(text)
    random.Random(SEED).shuffle(rows)
    return rows[:n]


def realness(docs: list[str], real_docs: list[str]) -> np.ndarray:
    """Out-of-fold ``p(real) / p(authored)`` of each of ``docs``, corrected for the two sides' sizes."""
    x_text = docs + real_docs
    d = np.r_[np.zeros(len(docs)), np.ones(len(real_docs))]
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=3, sublinear_tf=True)
    x = vec.fit_transform(x_text)
    cv = StratifiedKFold(5, shuffle=True, random_state=SEED)
    p = cross_val_predict(LogisticRegression(C=1.0, max_iter=2000), x, d, cv=cv, method="predict_proba")[:, 1]
    p = np.clip(p[: len(docs)], 1e-6, 1 - 1e-6)
    return p / (1 - p) * (len(docs) / len(real_docs))


def weights(ratio: np.ndarray, alpha: float, only: np.ndarray | None) -> np.ndarray:
    """Statement weights from density ratios: clipped, tempered by ``alpha``, mean 1 (within ``only``)."""
    w = np.clip(ratio, *CLIP) ** alpha
    if only is None:
        return w / w.mean()
    out = np.ones(len(w))
    out[only] = w[only] / w[only].mean()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_path_options(ap)
    ap.add_argument("--pool", type=int, default=20000, help="real keyword sentences for the domain classifier")
    args = ap.parse_args()
    shared, pre, p, records = corpus_docs(args)
    audit = load_audit(shared=shared)
    audit_lines = {
        json.loads(line)["line"] for line in Path(__file__).with_name("data").joinpath("ungd_audit.jsonl").open()
    }
    dev = dev_records(shared)
    dev_y = np.asarray([r["label"] for r in dev])
    docs, framed, bg_docs, read = shipped_docs(shared, pre, p, records, shipped_background(pre, shared=shared))
    background = (bg_docs, "none", SHIPPED_BACKGROUND_WEIGHT)
    real_docs = [a.text for a in p.analyze(real_pool(shared, args.pool, audit_lines))]
    ratio = realness(docs, real_docs)
    speech = np.array([r.data.get("form") == "speech" for r in records])
    print(
        f"{len(docs)} statements ({speech.sum()} speech), {len(real_docs)} real keyword sentences; "
        f"p(real)/p(authored): median {np.median(ratio):.3f}, speech {np.median(ratio[speech]):.3f}, "
        f"other {np.median(ratio[~speech]):.3f}"
    )
    y = np.asarray([r.label for r in records], dtype=object)
    splits, scheme = folds(records)
    everything = [*splits, (np.arange(len(y)), np.arange(0))]
    all_docs, all_y, w0, fold, mask = _with_extras(docs, y, everything, background, framed)
    n, of = len(docs), np.asarray(framed[2], dtype=int)
    audit_docs = [a.text for a in p.analyze(audit.texts, actors=audit.countries)]
    dev_docs = [a.text for a in p.analyze([r["text"] for r in dev], actors=[r.get(ACTOR_FIELD) for r in dev])]
    print(f"{scheme}\n{'variant':<18}{'ESS':>7}{'CV':>8}" + "".join(f"{k:>9}" for k in LABELS), end="")
    print(f"{'audit':>8}{'gain [95%]':>26}{'dev':>8}{'speech':>8}")
    base_audit = None
    for name, alpha, only_speech in (("shipped", 0.0, False), *VARIANTS):
        sw = weights(ratio, alpha, speech if only_speech else None)
        w = np.ones(len(all_docs)) if w0 is None else w0.copy()
        w[:n] *= sw
        w[n : n + len(of)] *= sw[of]
        pred = np.empty(n, dtype=object)
        for train_idx, test_idx in fold:
            clf = AnalyzedStanceClassifier().fit(
                [all_docs[i] for i in train_idx],
                all_y[train_idx],
                sample_weight=w[train_idx],
                vocab_mask=mask[train_idx],
            )
            if len(test_idx):
                pred[test_idx] = clf.predict([read[i] for i in test_idx])
        a_pred, d_pred = clf.predict(audit_docs), clf.predict(dev_docs)
        base_audit = a_pred if base_audit is None else base_audit
        gain = "" if base_audit is a_pred else gain_text(audit.y, base_audit, a_pred)
        per = f1_score(y, pred, average=None, labels=list(LABELS))
        sp = np.array([r.get("form") == "speech" for r in dev])
        print(
            f"{name:<18}{sw.sum() ** 2 / (sw**2).sum() / n:>7.3f}{macro(y, pred):>8.4f}"
            + "".join(f"{v:>9.3f}" for v in per)
            + f"{macro(audit.y, a_pred):>8.4f}{gain:>26}{macro(dev_y, d_pred):>8.4f}{macro(dev_y[sp], d_pred[sp]):>8.4f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
