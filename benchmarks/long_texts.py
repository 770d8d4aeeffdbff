"""Long statements: read whole, or by the sentence that takes a stance. Dev-free.

    python benchmarks/long_texts.py [MODEL] [--shared ../shared]

The corpus's statements are short (99% under 63 words), as are dev's, but users classify press
releases and speech paragraphs in which one sentence takes a stance among others that take
none. Read whole, such a text's stance is diluted: its n-grams weigh less in a longer TF-IDF
row and its words less in the word-vector means. With
:attr:`~stancekit.StanceClassifier.long_text_words` (80 words), a longer statement of two or
more sentences takes the probabilities of its sentence leaning most away from ``none`` when
that sentence's own label is not ``none``, and is read whole otherwise.

It first prints how many corpus and dev statements the reading touches (only their lengths
and sentences are read). Built from real text we labelled (:mod:`real_speech`'s audit) and random real General Debate
sentences (:func:`real_register.sample_sentences`, none sharing a 6-gram with dev), it prints
for the model read whole and read by its sentences:

- the audit sentences as they are (none is over 80 words: nothing should change);
- each audit sentence with 1, 3 or 6 *plain* real sentences (no party named, no stance word)
  before it, on both sides of it (with one: after it) or after it, labelled as the sentence (the
  plain ones take no stance);
- paragraphs of 4 to 8 plain sentences (label ``none``): the share read with a stance, which
  only over-reading raises;
- paragraphs of 4 to 8 random real sentences: the share read with a stance, beside the
  share of single sentences read with one (what reading by sentences implies for a
  paragraph);
- the time to predict 3,000 paragraphs of six random sentences (best of two): the price of
  reading each sentence too.

The rule, set before the first run: adopt if the filler settings gain at least 0.05 macro-F1
on average, plain paragraphs read with a stance stay under 10%, and the audit as it is loses
no more than 0.005.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from real_register import sample_sentences
from real_speech import load_audit, macro
from recipe import ROOT, SHARED, dev_texts

import stancekit
from stancekit.background import is_plain
from stancekit.corpus import read_records
from stancekit.preprocess import Preprocessor


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", nargs="?", default=None, help="model file (default: the shipped one)")
    ap.add_argument("--shared", default=str(SHARED), help="the shared/ directory (UN archive)")
    args = ap.parse_args()
    model = stancekit.load(args.model) if args.model else stancekit.load()
    est = model.estimator
    parts_limit = est.long_text_words
    audit = load_audit(shared=Path(args.shared))
    sample = sample_sentences(3000, 7)
    plain = [t for t, a in zip(sample, Preprocessor().analyze(sample), strict=True) if is_plain(a)]
    rng = np.random.default_rng(0)
    none = "none"

    def both(texts: list[str], actors: list[str | None] | None) -> tuple[np.ndarray, np.ndarray]:
        try:
            est.long_text_words = None
            whole = np.asarray(model.predict(texts, actors=actors))
        finally:
            est.long_text_words = parts_limit
        return whole, np.asarray(model.predict(texts, actors=actors))

    print(f"reading by sentences above {parts_limit} words; {len(plain)} plain filler sentences")
    corpus = [r.text for r in read_records([ROOT / "corpus"])]
    dev = dev_texts(Path(args.shared))  # lengths only: which statements the reading touches
    for name, texts in (("corpus", corpus), ("dev", dev)):
        touched = sum(bool(a.parts) for a in est.analyze(texts))
        print(
            f"{name}: {touched} of {len(texts)} statements read by sentences (longest {max(len(t.split()) for t in texts)} words)"
        )
    print(f"{'texts':<44}{'whole':>8}{'by sentence':>13}")
    whole, parts = both(audit.texts, audit.countries)
    print(f"{'audit sentences as they are':<44}{macro(audit.y, whole):>8.3f}{macro(audit.y, parts):>13.3f}")
    gains = []
    for k in (1, 3, 6):
        for where in ("before", "on both sides", "after"):
            texts = []
            for t in audit.texts:
                fill = list(rng.choice(plain, k, replace=False))
                at = {"before": k, "on both sides": k // 2, "after": 0}[where]
                texts.append(" ".join([*fill[:at], t, *fill[at:]]))
            whole, parts = both(texts, audit.countries)
            gains.append(macro(audit.y, parts) - macro(audit.y, whole))
            name = f"audit + {k} plain sentence{'s' if k > 1 else ''} {where}"
            print(f"{name:<44}{macro(audit.y, whole):>8.3f}{macro(audit.y, parts):>13.3f}")
    print(f"{'mean gain over the nine settings':<44}{np.mean(gains):>+21.3f}")
    for name, pool in (
        ("plain paragraphs (4-8), with a stance", plain),
        ("random paragraphs (4-8), with a stance", sample),
    ):
        docs = [" ".join(rng.choice(pool, int(rng.integers(4, 9)), replace=False)) for _ in range(1000)]
        whole, parts = both(docs, None)
        print(f"{name:<44}{np.mean(whole != none):>8.3f}{np.mean(parts != none):>13.3f}")
    single = np.asarray(model.predict(sample))
    print(f"{'single random sentences, with a stance':<44}{np.mean(single != none):>8.3f}")
    docs = [" ".join(rng.choice(sample, 6, replace=False)) for _ in range(3000)]
    seconds = {}
    for limit in (None, parts_limit) * 2:  # best of two, alternating
        est.long_text_words = limit
        start = time.perf_counter()
        model.predict(docs)
        seconds[limit] = min(seconds.get(limit, np.inf), time.perf_counter() - start)
    est.long_text_words = parts_limit
    print(f"{'3,000 paragraphs of 6 random sentences, s':<44}{seconds[None]:>8.2f}{seconds[parts_limit]:>13.2f}")


if __name__ == "__main__":
    main()
