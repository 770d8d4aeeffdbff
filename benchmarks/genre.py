"""Telling the model the genre (a General Debate speech sentence or not): grouped CV, real speech.

    python benchmarks/genre.py [--corpus corpus/] [--shared ../shared] [--C 10] [--only NAME ...]
    python benchmarks/genre.py --register 0.375 0.25 0.125

Speech sentences and statements by governments and bodies differ in what their words
mean: a speech's "we support the territorial integrity of all States" can be a formula, a
ministry's is a position. The shipped model reads both alike. Candidates, each on the
shipped recipe (grouped 5-fold CV; background and framed copies in training folds only;
:mod:`recipe`). The genre of a statement is its ``form`` field (``speech`` or anything
else); the background sentences are speech; a framed copy has its statement's genre.

- ``shipped``: no genre;
- ``genre token``: one ``GENRE_speech`` / ``GENRE_other`` token, a prior per genre;
- ``augmented``: the n-gram features once as they are and once in a block for the
  statement's genre (Daumé III, "Frustratingly easy domain adaptation", 2007), so a word can
  weigh differently in speeches and statements while sharing what both have in common. The
  genre is given, as a ``form`` field would give it at prediction;
- ``augmented, inferred``: the same, but at prediction the genre is inferred from the text
  by a logistic regression on the same n-grams (trained in each fold on the statements'
  forms, copies as statements, background as speech), its probability splitting each row
  between the two blocks, for input with no ``form`` field.

Columns: CV macro-F1 and per label, CV macro-F1 on each genre, the genre model's CV accuracy
(inferred only), and dev macro-F1 overall and on its two parts. Dev is printed, never used to
choose.

``--register W ...`` instead trains ``augmented`` on every statement with the background at
each weight ``W`` and prints, on the 20,000 random real General Debate sentences of
``real_register.py`` (read with their speakers, genre speech), the shares its check reads:
the share with a stance, among plain sentences, and the share ``none`` among sentences with a
strong status phrase; the shipped recipe first.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from real_register import STRONG, sample_sentences
from recipe import LABELS, BackgroundDocs, Setup, Split, add_path_options, shipped_setup
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from stancekit.background import is_plain
from stancekit.classifier import StanceClassifier
from stancekit.train import AnalyzedStanceClassifier, _with_extras

CANDIDATES = ("shipped", "genre token", "augmented", "augmented, inferred")


class Plain:
    """The shipped classifier on the documents as they are, or with a genre token in front."""

    def __init__(self, C: float = 10.0, token: bool = False):
        self.C, self.token = C, token

    def _docs(self, docs: list[str], speech: np.ndarray) -> list[str]:
        if not self.token:
            return list(docs)
        return [f"GENRE_{'speech' if x else 'other'} {d}" for d, x in zip(docs, speech, strict=True)]

    def fit(self, t: Training) -> Plain:
        self.clf = AnalyzedStanceClassifier(C=self.C)
        self.clf.fit(self._docs(t.docs, t.genre), t.y, sample_weight=t.weight, vocab_mask=t.mask)
        return self

    def predict(self, docs: list[str], speech: np.ndarray) -> np.ndarray:
        return self.clf.predict(self._docs(docs, speech))


class Augmented:
    """Logistic regression on the shipped features plus one n-gram block per genre.

    ``fit`` takes each document's share of speech (1 speech, 0 other); ``predict`` takes it
    too, or infers it from the text when ``infer`` is set.
    """

    def __init__(self, C: float = 10.0, infer: bool = False):
        self.C, self.infer = C, infer

    def _matrix(self, docs: list[str], speech: np.ndarray) -> sp.csr_matrix:
        ngrams = self.vectorizer.transform(docs)
        dense = self.template._vector_features([d.split() for d in docs])
        p = np.asarray(speech, dtype=np.float32)[:, None]
        blocks = [ngrams, ngrams.multiply(p).tocsr(), ngrams.multiply(1 - p).tocsr(), sp.csr_matrix(dense)]
        return sp.hstack(blocks, format="csr")

    def fit(self, t: Training) -> Augmented:
        self.template = StanceClassifier(C=self.C)
        self.template.vectors_ = self.template._make_vectors()
        self.vectorizer = self.template._make_vectorizer()
        self.vectorizer.fit([d for d, keep in zip(t.docs, t.mask, strict=True) if keep])
        if self.infer:
            ngrams = self.vectorizer.transform(t.docs)
            self.genre = LogisticRegression(C=self.C, max_iter=5000).fit(ngrams, t.genre_y)
        self.clf = LogisticRegression(C=self.C, class_weight="balanced", max_iter=5000)
        self.clf.fit(self._matrix(t.docs, t.genre), t.y, sample_weight=t.weight)
        return self

    def speech_share(self, docs: list[str]) -> np.ndarray:
        return self.genre.predict_proba(self.vectorizer.transform(docs))[:, 1]

    def predict(self, docs: list[str], speech: np.ndarray) -> np.ndarray:
        share = self.speech_share(docs) if self.infer else speech
        return self.clf.predict(self._matrix(docs, share))


@dataclass
class Training:
    """Training documents (statements, framed copies, background) with their labels, weights,
    vocabulary mask and genre: as the stance model reads it (``genre``: a copy has its
    statement's) and as the genre model learns it (``genre_y``: a copy is a statement)."""

    docs: list[str]
    y: np.ndarray
    weight: np.ndarray
    mask: np.ndarray
    genre: np.ndarray
    genre_y: np.ndarray

    def take(self, idx: np.ndarray) -> Training:
        """The documents at ``idx``."""
        return Training(
            [self.docs[i] for i in idx],
            self.y[idx],
            self.weight[idx],
            self.mask[idx],
            self.genre[idx],
            self.genre_y[idx],
        )


def training_docs(
    s: Setup, splits: list[Split], background: BackgroundDocs | None = None
) -> tuple[Training, list[Split], np.ndarray]:
    """The training documents, the folds over them (:func:`stancekit.train._with_extras`),
    and the genre of each statement (1 speech, 0 other)."""
    speech = np.asarray([str(r.data.get("form")) == "speech" for r in s.records], dtype=float)
    _, _, of = s.framed
    bg = background or s.background
    docs, y, w, fold, mask = _with_extras(s.docs, s.y, splits, bg, s.framed)
    ones = np.ones(len(bg[0]))
    genre = np.concatenate([speech, speech[np.asarray(of, dtype=int)], ones])
    genre_y = np.concatenate([speech, np.zeros(len(of)), ones])
    return Training(docs, y, w, mask, genre, genre_y), fold, speech


def candidate(name: str, C: float) -> Plain | Augmented:
    """The unfitted model of the candidate called ``name`` (one of :data:`CANDIDATES`)."""
    if name in ("shipped", "genre token"):
        return Plain(C, token=name == "genre token")
    return Augmented(C, infer=name.endswith("inferred"))


def cv_table(s: Setup, C: float, only: list[str] | None) -> None:
    training, fold, speech = training_docs(s, s.splits + s.everything)
    is_speech, dev_speech, dy = speech > 0.5, s.dev_speech, s.dev_y

    def f1(g: np.ndarray, q: np.ndarray) -> float:
        return float(f1_score(g, q, average="macro"))

    print(
        f"{'candidate (C=' + format(C, 'g') + ')':<26}{'CV':>8}{'favor':>7}{'against':>8}{'neutral':>8}{'none':>7}"
        f"{'CV speech':>10}{'CV other':>9}{'genre acc':>10}{'dev':>7}{'speech':>8}{'statements':>11}"
    )
    for name in CANDIDATES:
        if only and name not in only:
            continue
        pred, acc = np.empty(len(s.y), dtype=object), []
        for tr, te in fold:
            m = candidate(name, C).fit(training.take(tr))
            if len(te):
                test_docs = [s.read[i] for i in te]
                pred[te] = m.predict(test_docs, speech[te])
                if isinstance(m, Augmented) and m.infer:
                    acc.append(float(np.mean((m.speech_share(test_docs) > 0.5) == is_speech[te])))
        dp = m.predict(s.dev_docs, dev_speech.astype(float))
        per = f1_score(s.y, pred, average=None, labels=list(LABELS))
        print(
            f"{name:<26}{f1(s.y, pred):>8.4f}"
            + "".join(f"{v:>{n}.3f}" for v, n in zip(per, (7, 8, 8, 7), strict=True))
            + f"{f1(s.y[is_speech], pred[is_speech]):>10.4f}{f1(s.y[~is_speech], pred[~is_speech]):>9.4f}"
            + (f"{np.mean(acc):>10.3f}" if acc else f"{'':>10}")
            + f"{f1(dy, dp):>7.3f}{f1(dy[dev_speech], dp[dev_speech]):>8.3f}"
            f"{f1(dy[~dev_speech], dp[~dev_speech]):>11.3f}",
            flush=True,
        )


def register(s: Setup, weights: list[float]) -> None:
    countries: list[str | None] = []
    sample = sample_sentences(20_000, 1, speakers=countries)
    docs = [a.text for a in s.preprocessor.analyze(sample, actors=countries)]
    plain = np.asarray([is_plain(a) for a in s.preprocessor.analyze(sample)])
    strong = np.asarray([bool(STRONG.search(t)) for t in sample])
    print(f"{len(sample)} real General Debate sentences, {plain.sum()} plain, {strong.sum()} with a strong phrase")
    print(f"{'model, background weight':<34}{'stance':>8}{'plain':>7}{'strong none':>12}")

    def row(name: str, pred: np.ndarray) -> None:
        print(
            f"{name:<34}{np.mean(pred != 'none'):>8.3f}{np.mean(pred[plain] != 'none'):>7.3f}"
            f"{np.mean(pred[strong] == 'none'):>12.3f}",
            flush=True,
        )

    as_speech = np.ones(len(docs))
    training, ((tr, _),), _ = training_docs(s, s.everything)
    row(f"shipped recipe, {s.background[2]:g}", Plain().fit(training.take(tr)).predict(docs, as_speech))
    bg_docs, label, _ = s.background
    for weight in weights:
        training, ((tr, _),), _ = training_docs(s, s.everything, (bg_docs, label, weight))
        row(f"augmented, read as speech, {weight:g}", Augmented().fit(training.take(tr)).predict(docs, as_speech))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_path_options(ap)
    ap.add_argument("--C", type=float, default=10.0, help="the regularisation of every candidate")
    ap.add_argument("--only", nargs="+", choices=CANDIDATES, help="the candidates to run (default: all)")
    ap.add_argument("--register", type=float, nargs="+", metavar="W", help="the real-speech check at these weights")
    args = ap.parse_args()
    s = shipped_setup(args)
    print(f"{len(s.y)} statements, {s.scheme}; dev {len(s.dev)} ({s.dev_speech.sum()} speech)")
    if args.register:
        register(s, args.register)
    else:
        cv_table(s, args.C, args.only)


if __name__ == "__main__":
    main()
