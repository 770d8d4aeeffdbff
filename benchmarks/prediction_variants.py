"""Role tokens without word vectors, clause pooling, no articles, governed status words: tried,
not adopted.

    python benchmarks/prediction_variants.py [--corpus corpus/] [--shared ../shared]

Two ideas from reading the shipped model on real General Debate sentences, against the
shipped recipe (:mod:`recipe`: statements read with their speakers, framed copies, the
background), by grouped 5-fold CV:

- ``role tokens without vectors``: the statement-mean word vector of a short sentence is
  mostly the vector of its role tokens (``STATE``, ``ENTITY``, ``COUNTRY``), so the presence of
  the entity alone pulls toward ``against`` ("ENTITY [vectors]" is the top weight for a South
  Sudanese road-building sentence read ``against``). The variant gives those tokens (and their
  ``not_`` forms) a zero vector, which removes them from every vector block (the blocks are
  unit-length means, so a zero vector counts for nothing) while the n-grams keep them.
- ``clause pooling``: a long statement whose stance is one clause among others may be
  diluted in a whole-text reading. Statements with two or more parts of at least four words
  (split after ``.!?;`` before a capital, and at ``;``) are also read part by part, and the
  whole text's probabilities are mixed with the mean of the parts' or with the part that
  leans most away from ``none``, at weight ``a``.
- ``without articles``: "the", "a" and "an" removed from the feature tokens (training,
  background, copies and prediction alike), so that trigrams reach one word further
  ("recognize their sovereignty over ENTITY" rather than "... over the ENTITY").
- ``governed status words``: whose status a status word is about, as extra tokens: a status
  word followed by a preposition and (past articles, possessives, "so-called") a role gives
  ``sovereignty_over>ENTITY``, a role just before it gives ``ENTITY<sovereignty`` ("Kosovo's
  sovereignty"), so "sovereignty over Kosovo" and "the sovereignty of Kosovo" differ.

The rule is the one for every model change: adopt if grouped CV macro-F1 gains at least 0.005.
Dev (with speakers) is printed, never used to choose.
"""

from __future__ import annotations

import argparse
import re

import numpy as np
from recipe import SHIPPED_BACKGROUND_WEIGHT, add_path_options, fold_models, shipped_setup
from sklearn.metrics import f1_score

from stancekit.preprocess import ROLE_TOKENS, STATUS_CUES
from stancekit.wordvectors import load_vectors

ROLES = (*ROLE_TOKENS, *("not_" + r for r in ROLE_TOKENS))
ARTICLES = frozenset({"the", "a", "an", "not_the", "not_a", "not_an"})
GOVERNED_SKIP = frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "so-called", "self-proclaim", "of"})
GOVERNED_PREPOSITIONS = frozenset({"over", "of", "for", "to", "with", "in"})


def governed(doc: str) -> str:
    """``doc`` with a token for each status word whose party is named next to it."""
    raw = doc.split()
    tokens = [t.removeprefix("not_") for t in raw]
    extra = []
    for i, word in enumerate(tokens):
        if word not in STATUS_CUES:
            continue
        neg = "not_" if raw[i].startswith("not_") else ""
        if i + 1 < len(tokens) and tokens[i + 1] in GOVERNED_PREPOSITIONS:
            j = i + 2
            while j < min(len(tokens), i + 5) and tokens[j] in GOVERNED_SKIP:
                j += 1
            if j < len(tokens) and tokens[j] in ROLE_TOKENS:
                extra.append(f"{neg}{word}_{tokens[i + 1]}>{tokens[j]}")
        k = i - 2 if i >= 1 and tokens[i - 1] in ("'s", "\u2019s", "'") else i - 1
        if k >= 0 and tokens[k] in ROLE_TOKENS:
            extra.append(f"{tokens[k]}<{neg}{word}")
    return " ".join([doc, *extra]) if extra else doc


PARTS = re.compile(r"(?<=[.!?;])\s+(?=[A-Z\"\u201c\u2018'(])|;\s+")


def parts_of(text: str) -> list[str]:
    """The parts of a statement of at least four words (fewer than two: no split)."""
    parts = [s for s in PARTS.split(text) if len(s.split()) >= 4]
    return parts if len(parts) >= 2 else []


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_path_options(ap)
    args = ap.parse_args()
    s = shipped_setup(args)
    records, p, docs, framed, y, splits, scheme = s.records, s.preprocessor, s.docs, s.framed, s.y, s.splits, s.scheme
    everything, background, dev, dev_docs = s.everything, s.background, s.dev, s.dev_docs
    bg_docs = background[0]
    dev_owner, dev_texts = [], []
    for j, r in enumerate(dev):
        for part in parts_of(r["text"]):
            dev_owner.append(j)
            dev_texts.append(part)
    dev_owner_arr = np.asarray(dev_owner, dtype=np.int64)
    dev_part_docs = [a.text for a in p.analyze(dev_texts, actors=[dev[j].get("actor") for j in dev_owner])]
    dy, speech = s.dev_y, s.dev_speech
    # The parts of multi-part statements, analysed with their statement's speaker.
    owner, texts = [], []
    for i, r in enumerate(records):
        for part in parts_of(r.text):
            owner.append(i)
            texts.append(part)
    owner_arr = np.asarray(owner, dtype=np.int64)
    part_docs = [a.text for a in p.analyze(texts, actors=[records[i].data.get("actor") for i in owner])]
    multi = np.zeros(len(y), dtype=bool)
    multi[owner_arr] = True
    print(f"{len(records)} statements, {scheme}; {multi.sum()} of them in two or more parts ({len(texts)} parts)")
    print(f"{'candidate':<44}{'CV':>8}{'CV, multi-part':>16}{'dev':>7}{'speech':>8}{'statements':>11}")

    def f1(g: np.ndarray, q: np.ndarray) -> float:
        return float(f1_score(g, q, average="macro"))

    def report(name: str, proba: np.ndarray, classes: np.ndarray, dev_proba: np.ndarray) -> None:
        pred, dp = classes[proba.argmax(axis=1)], classes[dev_proba.argmax(axis=1)]
        print(
            f"{name:<44}{f1(y, pred):>8.4f}{f1(y[multi], pred[multi]):>16.4f}"
            f"{f1(dy, dp):>7.3f}{f1(dy[speech], dp[speech]):>8.3f}{f1(dy[~speech], dp[~speech]):>11.3f}",
            flush=True,
        )

    def cross(
        with_parts: bool, docs: list[str] = docs, extras: tuple = (background, framed), dev_in: list[str] = dev_docs
    ) -> tuple[np.ndarray, ...]:
        """Out-of-fold probabilities of the statements and their parts, the classes, and the
        probabilities of the model trained on every statement for dev and its parts."""
        proba = part_proba = classes = dev_proba = dev_part_proba = None
        for clf, test_idx in fold_models(docs, y, splits + everything, *extras):
            if classes is None:
                classes = np.asarray(clf.classes_)
                proba, part_proba = np.zeros((len(y), len(classes))), np.zeros((len(texts), len(classes)))
            if not len(test_idx):  # the last split trains on every statement
                dev_proba = clf.predict_proba(dev_in)
                dev_part_proba = clf.predict_proba(dev_part_docs) if with_parts and dev_part_docs else None
                continue
            proba[test_idx] = clf.predict_proba([s.read[i] for i in test_idx])
            if with_parts:
                sel = np.flatnonzero(np.isin(owner_arr, test_idx))
                if len(sel):
                    part_proba[sel] = clf.predict_proba([part_docs[k] for k in sel])
        return proba, part_proba, classes, dev_proba, dev_part_proba

    def pooled(
        proba: np.ndarray, parts: np.ndarray | None, owners: np.ndarray, a: float, how: str, none: int
    ) -> np.ndarray:
        """``proba`` with each multi-part row mixed with its parts' reading at weight ``a``."""
        if parts is None:
            return proba
        mixed = proba.copy()
        for i in np.unique(owners):
            ps = parts[owners == i]
            pick = ps.mean(axis=0) if how == "mean of parts" else ps[(1 - ps[:, none]).argmax()]
            mixed[i] = (1 - a) * proba[i] + a * pick
        return mixed

    proba, part_proba, classes, dev_proba, dev_part_proba = cross(with_parts=True)
    report("shipped recipe", proba, classes, dev_proba)
    none = list(classes).index("none")
    for a in (0.25, 0.5):
        for how in ("mean of parts", "most-stanced part"):
            report(
                f"clause pooling, {how}, a={a}",
                pooled(proba, part_proba, owner_arr, a, how, none),
                classes,
                pooled(dev_proba, dev_part_proba, dev_owner_arr, a, how, none),
            )

    def bare(doc: str) -> str:
        return " ".join([t for t in doc.split() if t not in ARTICLES] or doc.split())

    copies, weight, of = framed
    for name, change in (("without articles", bare), ("governed status words", governed)):
        extras = (
            ([change(d) for d in bg_docs], "none", SHIPPED_BACKGROUND_WEIGHT),
            ([change(d) for d in copies], weight, of),
        )
        changed_docs, changed_dev = [change(d) for d in docs], [change(d) for d in dev_docs]
        proba, _, classes, dev_proba, _ = cross(with_parts=False, docs=changed_docs, extras=extras, dev_in=changed_dev)
        report(name, proba, classes, dev_proba)

    vectors = load_vectors()
    saved = vectors.matrix
    try:
        zeroed = saved.copy()
        for token in ROLES:
            if token in vectors.index:
                zeroed[vectors.index[token]] = 0
        vectors.matrix = zeroed
        vectors.__dict__.pop("_padded_matrix", None)
        proba, _, classes, dev_proba, _ = cross(with_parts=False)
        report("role tokens without vectors", proba, classes, dev_proba)
    finally:
        vectors.matrix = saved
        vectors.__dict__.pop("_padded_matrix", None)


if __name__ == "__main__":
    main()
