"""Paths and the shipped training recipe, shared by the benchmark scripts.

The shipped model is trained with::

    stancekit train corpus/ -o models/default.skmodel --eval ../shared/eval/dev.jsonl \\
        --background ../shared/data/ungd/sentences.jsonl.gz --background-weight 0.375 --frames 0.5 \\
        --labelled-lines corpus/ungd_labels.json --labelled-lines-weight 2

(a framed copy of every statement at weight 0.5, the variant ``benchmarks/frames.py``'s rule
picks on the current corpus; the background's weight is 0.25 per unit of statement weight,
scaled by 1 + 0.5 for the copies: :data:`SHIPPED_BACKGROUND_WEIGHT`; trained on the text
alone and read with speakers at prediction, as ``stancekit`` reads any input with an
``actor`` field. Rounds 15 to 32 trained with speakers too (``--actor-field actor``),
until ``benchmarks/speakers.py`` showed no gain from it: :data:`TRAIN_WITH_SPEAKERS`; since
session 19 with the real General Debate sentences of ``corpus/ungd_labels.json``, at weight 4
until session 27, when ``benchmarks/real_labels.py``'s rule, re-run on the round-52 corpus,
chose 2: :data:`LABELLED_LINES`, :data:`LABELLED_LINES_WEIGHT`). :func:`shipped_setup` leaves those
lines out unless asked (``labelled_lines=True``): the candidate tables of earlier sessions
compare recipes on the corpus, and the lines would join every one of their training folds alike.
Benchmarks that
rebuild it in pieces (cross-validation with the background, per-dispute scores, candidate
tables) take the background from :func:`shipped_background`, so they draw exactly what
``stancekit train`` draws; those written before the framed copies use the background at
:data:`BACKGROUND_WEIGHT` without copies (the recipe of their time).
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import f1_score

from stancekit.archive_labels import LabelledLines, read_labelled_lines
from stancekit.background import Background, background_sentences
from stancekit.corpus import Record
from stancekit.preprocess import Preprocessor
from stancekit.train import (
    AnalyzedStanceClassifier,
    _split_params,
    _with_extras,
    folds,
    join_extras,
    load_training_data,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
#: Background sentences of the shipped model, and their weight per unit of statement weight.
BACKGROUND_N = 2000
BACKGROUND_WEIGHT = 0.25
#: Framed copies of the shipped model: their weight, and the forms that get none.
FRAMES_WEIGHT = 0.5
FRAMES_EXCEPT: tuple[str, ...] = ()
#: The background weight of the shipped command: 0.25 x (1 + 0.5).
SHIPPED_BACKGROUND_WEIGHT = BACKGROUND_WEIGHT * (1 + FRAMES_WEIGHT)
#: Real General Debate sentences labelled by reference (session 19; ``corpus/ungd_labels.json``,
#: ``benchmarks/real_labels.py``) and each one's sample weight, chosen among 1, 2 and 4 by
#: cross-validation over the lines themselves (4 from session 19, 2 since session 27).
LABELLED_LINES = ROOT / "corpus" / "ungd_labels.json"
LABELLED_LINES_WEIGHT = 2.0
#: The field statements take their speaker from (read at prediction, and in training when
#: :data:`TRAIN_WITH_SPEAKERS`).
ACTOR_FIELD = "actor"
#: Whether the shipped model reads the speakers of its training statements (rounds 15 to 32)
#: or trains on the text alone (since round 33, when the gain fell below zero).
TRAIN_WITH_SPEAKERS = False


def dev_path(shared: Path = SHARED) -> Path:
    """The held-out dev set."""
    return shared / "eval" / "dev.jsonl"


def ungd_path(shared: Path = SHARED) -> Path:
    """The unlabelled UN General Debate archive."""
    return shared / "data" / "ungd" / "sentences.jsonl.gz"


def dev_records(shared: Path = SHARED) -> list[dict[str, Any]]:
    """The dev statements, as records (text, label, actor, form, ...)."""
    with dev_path(shared).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def dev_texts(shared: Path = SHARED) -> list[str]:
    """The dev statements' texts (to keep them out of anything drawn from the archive)."""
    return [r["text"] for r in dev_records(shared)]


def add_path_options(ap: argparse.ArgumentParser) -> None:
    """``--corpus`` (default: the shipped corpus) and ``--shared`` (the dev set and UN archive)."""
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    ap.add_argument("--shared", default=str(SHARED), help="the shared/ directory (dev set and UN archive)")


def candidate_args(doc: str | None) -> argparse.Namespace:
    """The command line of a candidate script: :func:`add_path_options` and ``--jobs``, with
    ``doc`` (the script's docstring) as its help."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_path_options(ap)
    ap.add_argument("--jobs", type=int, default=2, help="models fitted at once (default 2)")
    return ap.parse_args()


def shipped_background(pre: dict[str, Any], n: int = BACKGROUND_N, shared: Path = SHARED) -> Background:
    """The background ``stancekit train --background`` draws for preprocessing ``pre`` (dev left out)."""
    return background_sentences(ungd_path(shared), n=n, exclude=dev_texts(shared), preprocessor=Preprocessor(**pre))


def corpus_docs(args: argparse.Namespace) -> tuple[Path, dict[str, Any], Preprocessor, list[Record]]:
    """From ``add_path_options``' arguments: the shared directory, the default preprocessing
    parameters, a preprocessor with them, and the corpus records as training reads them."""
    pre, _ = _split_params({})
    records, _ = load_training_data([args.corpus], near_threshold=0.5)
    return Path(args.shared), pre, Preprocessor(**pre), records


def background_speakers(shared: Path, texts: list[str]) -> list[str | None]:
    """The speaking country of each background sentence, from the archive (None if not found)."""
    wanted, where = set(texts), {}
    with gzip.open(ungd_path(shared), "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row.get("text") in wanted:
                where[row["text"]] = row.get("country")
    return [where.get(t) for t in texts]


def shipped_docs(
    shared: Path,
    pre: dict[str, Any],
    p: Preprocessor,
    records: list[Record],
    bg: Background | None = None,
    speakers: bool = TRAIN_WITH_SPEAKERS,
) -> tuple[list[str], tuple[list[str], float, list[int]], list[str], list[str]]:
    """The shipped recipe's documents: the statements as trained on, their framed copies as
    ``(copies, weight, index of each copy's statement)`` (statements whose form is in
    :data:`FRAMES_EXCEPT` get none), the background sentences, and the statements as a
    model reads them (with their speakers; the same list when training reads them too).
    ``bg``: the background already drawn by :func:`shipped_background` (it does not depend on
    the records), so that a script building two corpora's documents reads the archive once.
    ``speakers``: whether training reads the speakers too (default: the shipped recipe's
    :data:`TRAIN_WITH_SPEAKERS`); statements, copies and background are then read with them."""
    from stancekit.frames import framed_copies

    texts = [r.text for r in records]
    actors = [r.data.get(ACTOR_FIELD) for r in records]
    read = [a.text for a in p.analyze(texts, actors=actors)]
    of = [i for i, r in enumerate(records) if str(r.data.get("form")) not in FRAMES_EXCEPT]
    bg = shipped_background(pre, shared=shared) if bg is None else bg
    if speakers:
        docs = read
        copies = [a.text for a in p.analyze(framed_copies([texts[i] for i in of]), actors=[actors[i] for i in of])]
        bg_docs = [a.text for a in p.analyze(bg.texts, actors=background_speakers(shared, bg.texts))]
    else:
        docs = [a.text for a in p.analyze(texts)]
        copies = [a.text for a in p.analyze(framed_copies([texts[i] for i in of]))]
        bg_docs = bg.docs
    return docs, (copies, FRAMES_WEIGHT, of), bg_docs, read


#: A train/test split of statement indices; the background as ``(docs, label, weight)``; the
#: framed copies as ``(docs, weight, index of each copy's statement)``.
Split = tuple[np.ndarray, np.ndarray]
BackgroundDocs = tuple[list[str], str, float]
FramedDocs = tuple[list[str], float, list[int]]


def fold_models(
    docs: list[str],
    y: np.ndarray,
    splits: list[Split],
    background: BackgroundDocs,
    framed: FramedDocs,
    params: dict[str, Any] | None = None,
) -> Iterator[tuple[AnalyzedStanceClassifier, np.ndarray]]:
    """For each split, the model trained on its training statements (with the background and
    the framed copies of those statements, as :func:`stancekit.train.train` adds them) and the
    indices of its test statements in ``docs``. ``params`` go to the classifier."""
    if not splits:
        raise ValueError("fold_models needs at least one split")
    all_docs, all_y, w, fold, mask = _with_extras(docs, y, splits, background, framed)
    for train_idx, test_idx in fold:
        clf = AnalyzedStanceClassifier(**(params or {})).fit(
            [all_docs[i] for i in train_idx], all_y[train_idx], sample_weight=w[train_idx], vocab_mask=mask[train_idx]
        )
        yield clf, test_idx


def cross_predict(
    docs: list[str],
    y: np.ndarray,
    splits: list[Split],
    background: BackgroundDocs,
    framed: FramedDocs,
    read: list[str] | None = None,
) -> tuple[np.ndarray, AnalyzedStanceClassifier]:
    """Out-of-fold predictions of the statements (see :func:`fold_models`; trained on
    ``docs``, predicting ``read``, the statements as a model reads them, or ``docs`` when
    None) and the model of the last split (give a last split with no test rows to get a model
    trained on every statement)."""
    proba, clf = cross_proba(docs, y, splits, background, framed, read)
    pred = np.empty(len(y), dtype=object)
    done = ~np.isnan(proba[:, 0])
    pred[done] = clf.classes_[proba[done].argmax(1)]
    return pred, clf


def cross_proba(
    docs: list[str],
    y: np.ndarray,
    splits: list[Split],
    background: BackgroundDocs,
    framed: FramedDocs,
    read: list[str] | None = None,
) -> tuple[np.ndarray, AnalyzedStanceClassifier]:
    """As :func:`cross_predict`, with the out-of-fold class probabilities (columns in the
    models' ``classes_`` order; NaN for statements no split tests) in place of labels."""
    read = docs if read is None else read
    proba = np.full((len(y), len(np.unique(y))), np.nan)
    for clf, test_idx in fold_models(docs, y, splits, background, framed):
        if len(test_idx):
            proba[test_idx] = clf.predict_proba([read[i] for i in test_idx])
    return proba, clf


#: The default labels, in the column order of :func:`score_row`.
LABELS = ("favor", "against", "neutral", "none")


@dataclass
class Setup:
    """The shipped recipe's pieces for a candidate table: the corpus as trained on (``docs``)
    and as read with speakers (``read``, for out-of-fold predictions), its labels and grouped
    folds, the framed copies and the background, and the dev set read with speakers (printed
    in tables, never used to choose)."""

    records: list[Record]
    preprocessor: Preprocessor
    docs: list[str]
    framed: FramedDocs
    background: BackgroundDocs
    y: np.ndarray
    splits: list[Split]
    scheme: str
    dev: list[dict[str, Any]]
    dev_docs: list[str]
    read: list[str]

    @property
    def everything(self) -> list[Split]:
        """One more split that trains on every statement and scores none (for dev)."""
        return [(np.arange(len(self.y)), np.arange(0))]

    @property
    def dev_y(self) -> np.ndarray:
        return np.asarray([r["label"] for r in self.dev])

    @property
    def dev_speech(self) -> np.ndarray:
        return np.asarray([r.get("form") == "speech" for r in self.dev])


def shipped_setup(args: argparse.Namespace, labelled_lines: bool = False) -> Setup:
    """:class:`Setup` for the corpus and shared directory of :func:`add_path_options`; with
    ``labelled_lines``, the labelled archive lines join the background as the shipped recipe
    trains on them (:func:`with_labelled_lines`)."""
    shared, pre, p, records = corpus_docs(args)
    docs, framed, bg_docs, read = shipped_docs(shared, pre, p, records)
    splits, scheme = folds(records)
    dev = dev_records(shared)
    dev_docs = [a.text for a in p.analyze([r["text"] for r in dev], actors=[r.get("actor") for r in dev])]
    y = np.asarray([r.label for r in records], dtype=object)
    s = Setup(
        records, p, docs, framed, (bg_docs, "none", SHIPPED_BACKGROUND_WEIGHT), y, splits, scheme, dev, dev_docs, read
    )
    if not labelled_lines:
        return s
    line_docs, line_y, _ = labelled_lines_docs(p, shared)
    return with_labelled_lines(s, line_docs, line_y)


def labelled_lines_docs(
    p: Preprocessor, shared: Path = SHARED, path: Path = LABELLED_LINES
) -> tuple[list[str], np.ndarray, LabelledLines]:
    """The labelled archive lines as trained on (text alone, as the shipped recipe trains),
    their labels, and the lines themselves (texts, speakers)."""
    lines = read_labelled_lines(path, ungd_path(shared), labels=set(LABELS))
    return [a.text for a in p.analyze(lines.texts)], np.asarray(lines.labels, dtype=object), lines


def with_labelled_lines(s: Setup, docs: list[str], y: np.ndarray, weight: float = LABELLED_LINES_WEIGHT) -> Setup:
    """``s`` with the labelled lines (``docs``, ``y``) beside its background at ``weight``: in
    every training fold and the final fit, never scored, as ``stancekit train --labelled-lines``
    adds them."""
    return replace(s, background=join_extras(s.background, (docs, list(y), weight)))


def score_row(
    name: str, y: np.ndarray, pred: np.ndarray, dev_y: np.ndarray, dev_pred: np.ndarray, speech: np.ndarray
) -> str:
    """A table row: CV macro-F1 and per-label F1, then dev macro-F1 overall, speech, statements."""

    def f1(g: np.ndarray, q: np.ndarray) -> float:
        return float(f1_score(g, q, average="macro"))

    per = f1_score(y, pred, average=None, labels=list(LABELS))
    return (
        f"{name:<44}{f1(y, pred):>8.4f}"
        + "".join(f"{v:>{n}.3f}" for v, n in zip(per, (7, 8, 8, 7), strict=True))
        + f"{f1(dev_y, dev_pred):>7.3f}{f1(dev_y[speech], dev_pred[speech]):>8.3f}"
        f"{f1(dev_y[~speech], dev_pred[~speech]):>11.3f}"
    )


#: The header of :func:`score_row`'s columns.
SCORE_HEADER = (
    f"{'candidate':<44}{'CV':>8}{'favor':>7}{'against':>8}{'neutral':>8}{'none':>7}"
    f"{'dev':>7}{'speech':>8}{'statements':>11}"
)
