"""Word-dropout and cue-ablated training copies: tried, not adopted.

    python benchmarks/augment.py [--corpus corpus/] [--shared ../shared]

The dev errors are often one strong cue read out of its context ("recognise" in a refusal,
"respect" in an endorsement of an annexation). A common remedy is to train on copies that
lack some of the cues, so that the model has to learn the context as well. Against the shipped
recipe (statements read with their speakers, a framed copy of each at weight 0.5, the 2,000
background sentences; :mod:`recipe`), the script adds a second copy of every statement, at the
framed copies' weight and in the training folds that hold the statement only:

- ``dropout``: each feature token dropped with probability 0.25 (seed 0); the background at
  the shipped weight, and scaled for the extra copies (0.25 x (1 + 0.5 + 0.5));
- ``cue-ablated``: the words of the cue lexicon (:data:`stancekit.lexicon.CUES`), their cue
  tokens and the cue-role tokens removed.

The rule is the one for every model change: adopt if grouped 5-fold CV macro-F1 gains at
least 0.005. Dev (with speakers) is printed, never used to choose.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from recipe import (
    BACKGROUND_WEIGHT,
    FRAMES_WEIGHT,
    SCORE_HEADER,
    SHIPPED_BACKGROUND_WEIGHT,
    add_path_options,
    cross_predict,
    score_row,
    shipped_setup,
)

from stancekit.lexicon import CUES

_CUE_WORDS = frozenset(CUES) | {"not_" + w for w in CUES}


def dropped(doc: str, p: float, rng: np.random.Generator) -> str:
    """``doc`` with each token dropped with probability ``p`` (never all of them)."""
    tokens = doc.split()
    return " ".join([t for t in tokens if rng.random() >= p] or tokens)


def cue_ablated(doc: str) -> str:
    """``doc`` without lexicon cue words, cue tokens and cue-role tokens (never empty)."""
    tokens = doc.split()
    keep = [t for t in tokens if t not in _CUE_WORDS and not t.startswith(("CUE_", "not_CUE_")) and "@" not in t]
    return " ".join(keep or tokens)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_path_options(ap)
    args = ap.parse_args()
    s = shipped_setup(args)
    records, docs, y, splits, everything, dev_docs = s.records, s.docs, s.y, s.splits, s.everything, s.dev_docs
    (copies, _, copied), bg_docs = s.framed, s.background[0]
    dy, speech = s.dev_y, s.dev_speech
    rng = np.random.default_rng(0)
    print(f"{len(records)} statements, {s.scheme}")
    print(f"{SCORE_HEADER}{'time':>7}")

    def run(name: str, extra: list[str], bg_weight: float) -> None:
        t0 = time.perf_counter()
        of = list(copied) + (list(range(len(y))) if extra else [])
        pred, clf = cross_predict(
            docs, y, splits + everything, (bg_docs, "none", bg_weight), (copies + extra, FRAMES_WEIGHT, of), s.read
        )
        dp = clf.predict(dev_docs)  # the last fold trains on every statement
        print(f"{score_row(name, y, pred, dy, dp, speech)}{time.perf_counter() - t0:>6.0f}s", flush=True)

    scaled = BACKGROUND_WEIGHT * (1 + 2 * FRAMES_WEIGHT)
    run("shipped recipe", [], SHIPPED_BACKGROUND_WEIGHT)
    drop = [dropped(d, 0.25, rng) for d in docs]
    run(f"+ dropout 0.25 copies, background {SHIPPED_BACKGROUND_WEIGHT}", drop, SHIPPED_BACKGROUND_WEIGHT)
    run(f"+ dropout 0.25 copies, background {scaled}", drop, scaled)
    run(f"+ cue-ablated copies, background {scaled}", [cue_ablated(d) for d in docs], scaled)


if __name__ == "__main__":
    main()
