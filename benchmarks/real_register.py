"""How often models take a stance on random real UN General Debate sentences.

    python benchmarks/real_register.py [MODEL ...] [--n 20000] [--seed 1] [--show LABEL:K]

Draws a fixed random sample of the 1,065,877 unlabelled General Debate sentences (leaving
out any that share a word 6-gram with the dev set, the pool background sentences are
drawn from, :func:`stancekit.background.in_pool`, and the lines ``corpus/ungd_labels.json``
labels (since session 19: of the 20,000 sentences of seed 1 they took out 43, 23 of the 292
with a strong status phrase, so older figures repeat only roughly), so no sentence a model
trained on is counted) and prints, for each model (default: the
shipped one), the share of sentences it labels ``favor``, ``against``, ``neutral`` and
``none``. Most sentences of a real speech are about development, disarmament, the economy or
the Organization itself, so the stance shares are mostly over-reading: a dev-free check on the
genre where authored training text differs most from real text. It has no labels, so it is a
diagnostic, not a score; a lower stance share is only better if cross-validation holds.

The column ``plain`` is the stance share among the sentences that name no party and use no
stance-bearing word (:func:`stancekit.background.is_plain`, about 45% of the sample): nearly all
of those stances are over-reading. The last column, ``strong none``, looks the other way: the
share labelled ``none`` among the sentences with a strong status phrase (:data:`STRONG`, about
1.5% of the sample: "territorial integrity", "self-determination", "annexation", ...). Some of
those are rightly ``none`` ("the so-called peace offensives"), most are not, so a rise there is
under-reading.

``--speakers`` reads each sentence with its speaking state (the archive's ``country`` code), as
``stancekit classify`` does with an ``actor`` field: each model then gets a second row, so the
effect of reading "we" and "our" as the speaker on real speeches shows beside the text alone.

``--show neutral:20`` also prints the 20 sentences the first model labels ``neutral`` most
confidently, to see what kind of language it over-reads (for writing new, different training
statements: never copy these sentences into the corpus).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re

import numpy as np
from recipe import ROOT, dev_texts, ungd_path

import stancekit
from stancekit.background import in_pool, is_plain
from stancekit.preprocess import Preprocessor
from stancekit.wordvectors import overlap_filter

#: Phrases that nearly always address a territory's status (with a few other senses).
STRONG = re.compile(
    r"territorial integrity|self-determination|recogni[sz]\w* (the )?(independence|sovereignty)|annex|secession"
    r"|so-called|occupied territor|sovereignty over",
    re.IGNORECASE,
)


def labelled_lines() -> set[int]:
    """The archive lines (1-based) of ``corpus/ungd_labels.json``, which models since session 19 train on."""
    path = ROOT / "corpus" / "ungd_labels.json"
    return {r["line"] for r in json.loads(path.read_text(encoding="utf-8"))["rows"]} if path.exists() else set()


def sample_sentences(n: int, seed: int, *, speakers: list[str | None] | None = None) -> list[str]:
    """``n`` sentences drawn at random (fixed by ``seed``), none overlapping dev or in the background pool.

    If ``speakers`` is a list, the speaking state's code of each sentence is appended to it.
    """
    held_out = overlap_filter(dev_texts())
    with gzip.open(ungd_path(), "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    labelled = labelled_lines()
    rng = random.Random(seed)
    out: list[str] = []
    for i in rng.sample(range(len(rows)), len(rows)):
        text = rows[i]["text"]
        if not in_pool(text) and not held_out(text) and i + 1 not in labelled:
            out.append(text)
            if speakers is not None:
                speakers.append(rows[i].get("country"))
            if len(out) == n:
                break
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="*", help="model files or names (default: the shipped model)")
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", help="LABEL:K, the K sentences the first model gives LABEL most confidently")
    ap.add_argument("--speakers", action="store_true", help="also read each sentence with its speaking state")
    args = ap.parse_args()
    countries: list[str | None] = []
    sample = sample_sentences(args.n, args.seed, speakers=countries)
    print(f"{len(sample)} random General Debate sentences (seed {args.seed}), dev-overlapping ones left out")
    plain = np.asarray([is_plain(a) for a in Preprocessor().analyze(sample)])
    print(f"{plain.sum()} of them plain (no party named, no stance-bearing word)")
    strong = np.asarray([bool(STRONG.search(t)) for t in sample])
    print(f"{strong.sum()} with a strong status phrase")
    header = (
        f"{'model':<40}{'favor':>8}{'against':>9}{'neutral':>9}{'none':>8}{'stance':>8}{'plain':>7}{'strong none':>12}"
    )
    print(header)
    print("-" * len(header))
    first = None
    runs = [
        (name, read)
        for name in args.models or [None]
        for read in ((None, "with speakers") if args.speakers else (None,))
    ]
    for name, read in runs:
        model = stancekit.load(name) if name else stancekit.load()
        proba = model.predict_proba(sample, countries if read else None)
        classes = [str(c) for c in model.classes_]
        pred = np.asarray(classes)[proba.argmax(axis=1)]
        share = {c: float(np.mean(pred == c)) for c in classes}
        stance = 1.0 - share.get("none", 0.0)
        row = "".join(
            f"{share.get(c, float('nan')):>{w}.3f}"
            for c, w in (("favor", 8), ("against", 9), ("neutral", 9), ("none", 8))
        )
        plain_stance = float(np.mean(pred[plain] != "none")) if plain.any() else float("nan")
        strong_none = float(np.mean(pred[strong] == "none")) if strong.any() else float("nan")
        title = (name or "shipped model") + (f", {read}" if read else "")
        print(f"{title:<40}{row}{stance:>8.3f}{plain_stance:>7.3f}{strong_none:>12.3f}", flush=True)
        if first is None:
            first = (proba, classes, pred)
    if args.show and first is not None:
        label, _, k = args.show.partition(":")
        proba, classes, pred = first
        j = classes.index(label)
        order = [i for i in np.argsort(-proba[:, j]) if pred[i] == label][: int(k or 20)]
        for i in order:
            print(f"{proba[i, j]:.2f}  {sample[i][:160]}")


if __name__ == "__main__":
    main()
