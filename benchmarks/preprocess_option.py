"""A boolean preprocessing option, off and on, in the shipped recipe: CV, audit and dev.

    python benchmarks/preprocess_option.py OPTION [--corpus corpus/] [--shared ../shared]

``OPTION`` is a boolean parameter of :class:`stancekit.preprocess.Preprocessor` (``claimants``;
``name_styles`` existed at commit db30991, where ``git worktree add /tmp/styles db30991`` and
this script with ``name_styles`` repeat its figures: CV 0.8668 -> 0.8704, audit -0.002
[-0.017, +0.013], under the bar, so the option was removed). For the shipped recipe
(:mod:`recipe`) with the option off and on it prints: how many corpus statements change tokens, grouped 5-fold CV macro-F1 per label and on the
changed statements, the audit of real General Debate sentences (:mod:`real_speech`) with a
paired bootstrap interval of the gain, and dev (printed, never used to choose); then the
share of out-of-fold favor/against confusions on the disputes with a claimant
(:data:`stancekit.disputes.CLAIMANTS`) and on the others, and how many audit sentences and
dev statements change tokens and labels (and how many changed dev labels are on statements
whose tokens changed: the rest is retraining noise). The rule for every model change:
adopt if grouped CV gains at least 0.005, or the audit at least 0.02 with an interval above
zero while CV loses no more than 0.003. The background is drawn once and read by both.
"""

from __future__ import annotations

import argparse

import numpy as np
from real_speech import gain_text, load_audit, macro
from recipe import (
    ACTOR_FIELD,
    LABELS,
    SHIPPED_BACKGROUND_WEIGHT,
    add_path_options,
    corpus_docs,
    cross_predict,
    dev_records,
    shipped_background,
    shipped_docs,
)
from sklearn.metrics import f1_score

from stancekit.disputes import CLAIMANTS
from stancekit.preprocess import Preprocessor
from stancekit.train import folds


def compare_option(option: str, args: argparse.Namespace) -> None:
    """Print the table for the preprocessing ``option`` off and on (``args``: :func:`add_path_options`')."""
    shared, pre, _, records = corpus_docs(args)
    audit = load_audit(shared=shared)
    dev = dev_records(shared)
    dev_y = np.asarray([r["label"] for r in dev])
    y = np.asarray([r.label for r in records], dtype=object)
    splits, scheme = folds(records)
    everything = [*splits, (np.arange(len(y)), np.arange(0))]
    bg = shipped_background(pre, shared=shared)  # one draw for both recipes
    print(f"{len(y)} statements, {scheme}")
    print(
        f"{option:<12}{'changed':>8}{'CV':>8}"
        + "".join(f"{k:>9}" for k in LABELS)
        + f"{'CV chg':>8}{'audit':>8}{'gain [95%]':>26}{'dev':>8}"
    )
    disputes = np.array([r.data.get("dispute") for r in records], dtype=object)
    claimed = np.isin(disputes, list(CLAIMANTS))
    flips, d_changed = {}, None
    base_read, base_audit, base_dev, changed = None, None, None, None
    for name, on in (("off", False), (option, True)):
        p = Preprocessor(**{**pre, option: on})
        docs, framed, _, read = shipped_docs(shared, pre, p, records, bg)
        background = ([a.text for a in p.analyze(bg.texts)], "none", SHIPPED_BACKGROUND_WEIGHT)
        a_docs = [a.text for a in p.analyze(audit.texts, actors=audit.countries)]
        d_docs = [a.text for a in p.analyze([r["text"] for r in dev], actors=[r.get(ACTOR_FIELD) for r in dev])]
        if base_read is None:
            base_read, base_audit_docs, base_dev_docs = read, a_docs, d_docs
        changed = np.array([a != b for a, b in zip(read, base_read, strict=True)])
        n_audit = sum(a != b for a, b in zip(a_docs, base_audit_docs, strict=True))
        d_changed = np.array([a != b for a, b in zip(d_docs, base_dev_docs, strict=True)])
        n_dev = int(d_changed.sum())
        pred, full = cross_predict(docs, y, everything, background, framed, read)
        if not on:
            base_pred = pred
        confused = ((y == "favor") & (pred == "against")) | ((y == "against") & (pred == "favor"))
        flips[name] = (confused[claimed].mean(), confused[~claimed].mean())
        per = f1_score(y, pred, average=None, labels=list(LABELS))
        a_pred, d_pred = full.predict(a_docs), full.predict(d_docs)
        base_audit = a_pred if base_audit is None else base_audit
        base_dev = d_pred if base_dev is None else base_dev
        gain = "" if base_audit is a_pred else gain_text(audit.y, base_audit, a_pred)
        print(
            f"{name:<12}{changed.sum():>8}{macro(y, pred):>8.4f}"
            + "".join(f"{v:>9.3f}" for v in per)
            + f"{macro(y[changed], pred[changed]) if changed.any() else float('nan'):>8.4f}"
            + f"{macro(audit.y, a_pred):>8.4f}{gain:>26}{macro(dev_y, d_pred):>8.4f}",
            flush=True,
        )
    assert changed is not None and d_changed is not None
    moved = d_pred != base_dev
    print(
        "out-of-fold favor/against confusions, share of the statements about the disputes with a claimant "
        f"({claimed.sum()}) and about the others: " + "; ".join(f"{k} {a:.1%} / {b:.1%}" for k, (a, b) in flips.items())
    )
    print(
        f"{option} change the tokens of {changed.sum()} corpus statements, {n_audit} audit sentences and "
        f"{n_dev} dev statements; on the changed statements the recipe without it reads "
        f"{macro(y[changed], base_pred[changed]):.4f}; audit labels changed {int((a_pred != base_audit).sum())}, "
        f"dev labels changed {int(moved.sum())}, {int((moved & d_changed).sum())} of them on dev statements "
        "whose tokens changed"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("option", help="a boolean Preprocessor option, e.g. claimants")
    add_path_options(ap)
    args = ap.parse_args()
    compare_option(args.option, args)


if __name__ == "__main__":
    main()
