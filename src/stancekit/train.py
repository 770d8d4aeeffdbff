"""Training, cross-validation and evaluation; the figures that go into model cards."""

from __future__ import annotations

import os
import time
import warnings
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import GridSearchCV, GroupKFold, StratifiedKFold

from .archive_labels import LabelledLines, read_labelled_lines
from .card import sources_summary
from .classifier import StanceClassifier
from .corpus import Record, _norm, corpus_digest, near_duplicates, read_records
from .errors import CorpusError, InputError
from .io import DEFAULT_ACTOR_FIELD, actor_value
from .labels import check_labels
from .model import StanceModel, versions
from .preprocess import PREPROCESS_PARAMS, Preprocessor
from .wordvectors import DEFAULT_VECTORS, WordVectors, overlap_filter

__all__ = [
    "Predictions",
    "Report",
    "cross_validate",
    "evaluate",
    "load_training_data",
    "predict_labelled",
    "score",
    "train",
]

Source = str | Path | Mapping[str, Any] | Record


@dataclass
class Report:
    """Quality figures of predictions against gold labels.

    Attributes
    ----------
    macro_f1 : float
    accuracy : float
    n : int
        Number of statements scored.
    per_class : dict
        ``{label: {"precision", "recall", "f1", "support"}}``.
    labels : list of str
        Order of the confusion matrix rows (gold) and columns (predicted).
    confusion : list of list of int
    parts : dict of str to Report
        The same figures for subsets (e.g. by ``form``).
    mean_confidence, ece : float or None
        Where probabilities were given (:meth:`Predictions.report`): the mean probability of
        the predicted label, and the expected calibration error, the gap between confidence
        and accuracy averaged over ten confidence bins weighted by their size
        (:func:`stancekit.plots.expected_calibration_error`; 0 is perfect). A mean confidence
        above the accuracy means the model is surer than it is right.
    """

    macro_f1: float
    accuracy: float
    n: int
    per_class: dict[str, dict[str, float]]
    labels: list[str]
    confusion: list[list[int]]
    parts: dict[str, Report] = field(default_factory=dict)
    mean_confidence: float | None = None
    ece: float | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["parts"] = {k: v.to_dict() for k, v in self.parts.items()}
        return d

    def format(self) -> str:
        """A plain-text table of the figures."""
        lines = [f"statements: {self.n}   macro-F1: {self.macro_f1:.3f}   accuracy: {self.accuracy:.3f}"]
        if self.ece is not None and self.mean_confidence is not None:
            lines.append(f"calibration: mean confidence {self.mean_confidence:.3f}   ECE {self.ece:.3f} (10 bins)")
        lines.append("")
        lines.append(f"{'label':<12}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}")
        for label, m in self.per_class.items():
            lines.append(
                f"{label:<12}{m['precision']:>10.3f}{m['recall']:>10.3f}{m['f1']:>10.3f}{int(m['support']):>10d}"
            )
        lines += [
            "",
            "confusion (rows gold, columns predicted):",
            " " * 12 + "".join(f"{c[:9]:>10}" for c in self.labels),
        ]
        for label, row in zip(self.labels, self.confusion, strict=True):
            lines.append(f"{label:<12}" + "".join(f"{v:>10d}" for v in row))
        for name, part in self.parts.items():
            per = "  ".join(f"{k} {m['f1']:.3f}" for k, m in part.per_class.items())
            ece = "" if part.ece is None else f"  ECE {part.ece:.3f}"
            lines.append(f"\n[{name}] n={part.n} macro-F1 {part.macro_f1:.3f}  ({per}){ece}")
        return "\n".join(lines)


def score(gold: list[str], pred: list[str], labels: list[str] | None = None) -> Report:
    """Compute a :class:`Report` from gold and predicted labels."""
    labels = list(labels) if labels is not None else sorted(set(gold) | set(pred))
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    present = [lab for lab in labels if lab in set(gold)]
    macro = float(f1_score(gold, pred, labels=present, average="macro", zero_division=0)) if gold else 0.0
    cm = confusion_matrix(gold, pred, labels=labels) if gold else np.zeros((len(labels), len(labels)), int)
    return Report(
        macro_f1=round(macro, 4),
        accuracy=round(float(np.mean([g == q for g, q in zip(gold, pred, strict=True)])) if gold else 0.0, 4),
        n=len(gold),
        per_class={
            lab: {
                "precision": round(float(p[i]), 4),
                "recall": round(float(r[i]), 4),
                "f1": round(float(f[i]), 4),
                "support": int(s[i]),
            }
            for i, lab in enumerate(labels)
        },
        labels=labels,
        confusion=cm.tolist(),
    )


def _read_sources(sources: Iterable[Source] | Source, scheme: list[str] | None) -> list[Record]:
    """All records of the sources, as read (no merging)."""
    if isinstance(sources, (str, Path, Mapping, Record)):
        sources = [sources]
    records: list[Record] = []
    paths: list[str | Path] = []
    for i, src in enumerate(sources):
        if isinstance(src, (str, Path)):
            paths.append(src)
        elif isinstance(src, Record):
            records.append(src)
        elif isinstance(src, Mapping):
            if "text" not in src or "label" not in src:
                raise InputError(f"record {i} has no 'text' or no 'label' field: {dict(src)!r:.120}")
            check_labels([src["label"]], scheme)
            records.append(Record(dict(src), "<records>", i + 1))
        else:
            raise InputError(f"source {i} is a {type(src).__name__}; give corpus paths or dict records")
    if paths:
        records.extend(read_records(paths, labels=scheme))
    return records


def _merge(records: list[Record], near_threshold: float | None) -> tuple[list[Record], list[str]]:
    """Merge exact and near-duplicates that agree; raise on those that conflict."""
    merged: dict[str, Record] = {}
    notes: list[str] = []
    conflicts: list[str] = []
    for r in records:
        key = _norm(r.text)
        first = merged.get(key)
        if first is None:
            merged[key] = r
        elif first.label == r.label:
            notes.append(f"merged duplicate {r.where} into {first.where}")
        else:
            conflicts.append(f"{first.where} says {first.label!r}, {r.where} says {r.label!r}")
    kept = list(merged.values())
    if near_threshold is not None and len(kept) > 1:
        drop: set[int] = set()
        root = list(range(len(kept)))  # union-find: each near-duplicate points to the first of its group

        def find(i: int) -> int:
            while root[i] != i:
                root[i] = root[root[i]]
                i = root[i]
            return i

        for i, j, share in near_duplicates([r.text for r in kept], threshold=near_threshold):
            a, b = kept[i], kept[j]
            if a.label != b.label:
                conflicts.append(
                    f"{a.where} says {a.label!r}, {b.where} says {b.label!r} "
                    f"(near-duplicates: {share:.0%} of 5-grams shared)"
                )
                continue
            ri, rj = find(i), find(j)
            if ri != rj:
                first_, later = min(ri, rj), max(ri, rj)
                root[later] = first_
            drop.add(j)
            notes.append(f"merged near-duplicate {b.where} into {kept[find(j)].where} ({share:.0%} of 5-grams shared)")
        kept = [r for k, r in enumerate(kept) if k not in drop]
    if conflicts:
        raise CorpusError(
            f"{len(conflicts)} statement(s) appear with conflicting labels: "
            + "; ".join(conflicts[:5])
            + ("; ..." if len(conflicts) > 5 else "")
            + ". Decide one label for each (or remove one of the pair); if near-duplicates with different "
            "labels are deliberate minimal pairs, turn the near-duplicate check off (near_threshold=None, "
            "--near-duplicates 0)."
        )
    if not kept:
        raise CorpusError("no training statements found in the given sources")
    return kept, notes


def load_training_data(
    sources: Iterable[Source] | Source,
    *,
    labels: Iterable[str] | None = None,
    near_threshold: float | None = None,
) -> tuple[list[Record], list[str]]:
    """Read corpora and records into de-duplicated records.

    Exact duplicates (same text up to case and punctuation, same label) are merged;
    the same text with different labels is an error naming both places. With
    ``near_threshold``, near-duplicates (more than that share of the shorter text's
    word 5-grams in common, :func:`~stancekit.corpus.near_duplicates`) are treated
    the same way: merged into the first when their labels agree, an error naming both
    places when they do not.

    Parameters
    ----------
    sources : path(s) to corpora or directories, or dict records
    labels : iterable of str, optional
        The label scheme; records with other labels are an error.
    near_threshold : float, optional
        Share of shared 5-grams above which two statements are near-duplicates (0.5 in
        :func:`train`); None to merge exact duplicates only.

    Returns
    -------
    (records, notes)
        The records and human-readable notes on what was merged.

    Raises
    ------
    CorpusError
        On conflicting labels, or when no statements are found.
    """
    scheme = list(labels) if labels is not None else None
    return _merge(_read_sources(sources, scheme), near_threshold)


def find_overlap(
    train_records: list[Record], eval_records: list[Record], *, near_threshold: float | None = 0.5
) -> list[tuple[Record, Record, float]]:
    """Evaluation statements that also appear in the training data, exactly or nearly.

    Parameters
    ----------
    train_records, eval_records : list of Record
    near_threshold : float, optional
        As in :func:`load_training_data`; None to look for exact duplicates only.

    Returns
    -------
    list of (eval_record, train_record, share)
        ``share`` is the share of the shorter statement's 5-grams found in the other
        (1.0 for exact duplicates, up to case and punctuation), in the order of
        ``eval_records``.
    """
    seen = {_norm(r.text): r for r in train_records}
    found: dict[int, tuple[Record, Record, float]] = {}
    for k, r in enumerate(eval_records):
        hit = seen.get(_norm(r.text))
        if hit is not None:
            found[k] = (r, hit, 1.0)
    if near_threshold is not None:
        n = len(train_records)
        texts = [r.text for r in train_records] + [r.text for r in eval_records]
        for i, j, share in near_duplicates(texts, threshold=near_threshold):
            if i < n <= j and (j - n) not in found:
                found[j - n] = (eval_records[j - n], train_records[i], share)
    return [found[k] for k in sorted(found)]


def _groups(records: list[Record]) -> np.ndarray:
    """Dispute of each record; records without one are spread over pseudo-groups."""
    out = []
    for r in records:
        d = r.data.get("dispute")
        out.append(str(d) if d else f"_general{zlib.crc32(r.text.encode()) % 7}")
    return np.asarray(out)


def folds(
    records: list[Record], *, n_splits: int = 5, group_by_dispute: bool = True, random_state: int = 0
) -> tuple[list[tuple[np.ndarray, np.ndarray]], str]:
    """The cross-validation folds used for model cards and parameter search.

    With ``group_by_dispute`` (and at least ``n_splits`` disputes), folds never split a
    dispute (:class:`~sklearn.model_selection.GroupKFold`), so scores are for disputes
    the model has not seen; otherwise the folds are stratified by label and shuffled
    with ``random_state``.

    Returns
    -------
    (splits, scheme)
        ``(train_indices, test_indices)`` pairs and a description of how they were made.
    """
    if n_splits < 2:
        raise InputError(f"cross-validation needs at least 2 folds, got {n_splits}; use cv=0 to skip it")
    y = np.asarray([r.label for r in records], dtype=object)
    groups = _groups(records)
    has_disputes = any(r.data.get("dispute") for r in records)
    dummy = np.zeros(len(records))
    if group_by_dispute and has_disputes and len(set(groups)) >= n_splits:
        return list(GroupKFold(n_splits=n_splits).split(dummy, y, groups)), f"GroupKFold({n_splits}) by dispute"
    k = int(min(n_splits, Counter(y.tolist()).most_common()[-1][1]))
    if k < 2:
        raise InputError("cross-validation needs at least two statements of every label; add some, or use cv=0")
    skf = StratifiedKFold(n_splits=k, shuffle=True, random_state=random_state)
    return list(skf.split(dummy, y)), f"StratifiedKFold({k})"


#: Extra training documents for every training fold, never scored: (feature-token docs, their
#: label or one label each, their sample weight or one weight each): the background
#: sentences, and labelled archive lines (:mod:`stancekit.archive_labels`).
BackgroundDocs = tuple[Sequence[str], str | Sequence[str], float | Sequence[float]]
#: Framed copies of statements (:mod:`stancekit.frames`): (feature-token docs, sample weight,
#: the index of each copy's statement, or None when there is one copy per statement in order).
FramedDocs = tuple[Sequence[str], float, Sequence[int] | None]

#: Parameters of :class:`StanceClassifier` that act after preprocessing.
FEATURE_PARAMS = (
    "ngram_range",
    "min_df",
    "char_ngrams",
    "vectors",
    "vector_weight",
    "vector_window",
    "loss",
    "C",
    "class_weight",
    "random_state",
)
_PREPROCESS_PARAMS = PREPROCESS_PARAMS
#: The grid ``--search`` explores by default.
DEFAULT_GRID: dict[str, list[Any]] = {"C": [1.0, 3.0, 10.0, 30.0], "ngram_range": [(1, 2), (1, 3)], "min_df": [1, 2]}


class AnalyzedStanceClassifier(ClassifierMixin, BaseEstimator):
    """:class:`StanceClassifier` after preprocessing: fits on feature-token strings.

    Cross-validation and parameter search run spaCy preprocessing once for all
    statements (it learns nothing from the data), then fit this estimator on the
    feature tokens (:attr:`Analysis.text <stancekit.preprocess.Analysis.text>`) of each
    fold. Its predictions are exactly those of a :class:`StanceClassifier` with the same
    parameters fitted on the raw statements.

    Parameters
    ----------
    ngram_range, min_df, char_ngrams, vectors, vector_weight, vector_window, loss, C, class_weight, random_state
        As in :class:`StanceClassifier`.
    """

    def __init__(
        self,
        *,
        ngram_range: tuple[int, int] = (1, 3),
        min_df: int = 2,
        char_ngrams: tuple[int, int] | None = None,
        vectors: Any = DEFAULT_VECTORS,
        vector_weight: float = 0.5,
        vector_window: int | None = 3,
        loss: str = "logistic",
        C: float = 10.0,
        class_weight: Any = "balanced",
        random_state: int = 0,
    ):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.char_ngrams = char_ngrams
        self.vectors = vectors
        self.vector_weight = vector_weight
        self.vector_window = vector_window
        self.loss = loss
        self.C = C
        self.class_weight = class_weight
        self.random_state = random_state

    def fit(self, X: list[str], y: Any, sample_weight: Any = None, vocab_mask: Any = None) -> AnalyzedStanceClassifier:
        """Fit on feature-token strings ``X`` with labels ``y``.

        ``sample_weight`` and ``vocab_mask`` (the documents the vocabulary is learnt from)
        are optional, one value per document.
        """
        template = StanceClassifier(**self.get_params())
        labels = np.asarray(y, dtype=object)
        if len(set(labels.tolist())) < 2:
            raise InputError(f"need at least two distinct labels to train, got {sorted(set(labels.tolist()))}")
        template._fit_features(list(X), labels, sample_weight, vocab_mask)
        self.fitted_ = template
        self.vectorizer_, self.vectors_, self.estimator_ = template.vectorizer_, template.vectors_, template.estimator_
        self.classes_ = template.classes_
        return self

    def predict_proba(self, X: list[str]) -> np.ndarray:
        """Class probabilities, columns in ``classes_`` order."""
        return self.fitted_._proba_tokens([d.split() for d in X])

    def predict(self, X: list[str]) -> np.ndarray:
        """The most probable label of each statement."""
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


def _split_params(params: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check parameters and split them into preprocessing and feature/classifier ones."""
    known = set(StanceClassifier().get_params())
    unknown = sorted(set(params) - known)
    if unknown:
        raise InputError(f"unknown parameter(s) {unknown} of StanceClassifier; use some of {sorted(known)}")
    full = StanceClassifier(**params).get_params()
    pre = {k: v for k, v in full.items() if k in _PREPROCESS_PARAMS}
    post = {k: v for k, v in full.items() if k in FEATURE_PARAMS}
    return pre, post


def _speakers(records: Sequence[Record], actor_field: str | None) -> list[str | None] | None:
    """Each record's speaker from ``actor_field`` (None where it has none), or None for text alone.

    A field that no record fills is an error: a misspelt field would train on text alone.
    """
    if actor_field is None:
        return None
    actors = [actor_value(r.data.get(actor_field)) for r in records]
    if all(a is None for a in actors):
        fields = sorted({k for r in records for k in r.data})
        raise InputError(
            f"actor_field / --actor-field {actor_field!r} names no statement's speaker; the corpora's fields "
            f"are {fields}: give one of these, or leave it out to train on the text alone"
        )
    return actors


def _analyzed(records: list[Record], pre: Mapping[str, Any], actors: Sequence[str | None] | None = None) -> list[str]:
    return [a.text for a in Preprocessor(**pre).analyze([r.text for r in records], actors=actors)]


def _framed_docs(
    records: list[Record],
    pre: Mapping[str, Any],
    frames: float | None,
    frames_except: Iterable[str],
    actors: Sequence[str | None] | None,
) -> tuple[FramedDocs | None, list[str]]:
    """The preprocessed framed copies :func:`train` adds (see ``frames``), and the forms left out."""
    if frames is None:
        if frames_except:
            raise InputError(f"frames_except={frames_except!r} needs frames= / --frames (the copies' weight, e.g. 1.0)")
        return None, []
    if not frames > 0:
        raise InputError(f"frames must be a positive weight, got {frames}; leave it out for no framed copies")
    from .frames import framed_copies

    skip = {str(f) for f in ([frames_except] if isinstance(frames_except, str) else frames_except)}
    forms = Counter(str(r.data.get("form")) for r in records)
    if unknown := sorted(skip - set(forms)):
        raise InputError(
            f"frames_except / --frames-except names form(s) {unknown} that no statement has; the corpus forms are "
            f"{sorted(forms)}: give some of these, or leave frames_except out to frame every statement"
        )
    of = [i for i, r in enumerate(records) if str(r.data.get("form")) not in skip]
    copies = Preprocessor(**pre).analyze(
        framed_copies([records[i].text for i in of]), actors=None if actors is None else [actors[i] for i in of]
    )
    return ([a.text for a in copies], float(frames), of), sorted(skip)


def cross_validate(
    records: list[Record],
    *,
    n_splits: int = 5,
    group_by_dispute: bool = True,
    docs: list[str] | None = None,
    background: BackgroundDocs | None = None,
    framed: FramedDocs | None = None,
    **params: Any,
) -> dict[str, Any]:
    """Out-of-fold predictions and figures.

    With ``group_by_dispute`` (and disputes present), folds never split a dispute, so the
    score reflects disputes the model has not seen (see :func:`folds`). Statements are
    preprocessed once, not once per fold.

    Parameters
    ----------
    records : list of Record
    n_splits : int, default=5
    group_by_dispute : bool, default=True
    docs : list of str, optional
        The statements already preprocessed (feature tokens), to skip preprocessing.
    background : (docs, label, weight), optional
        Preprocessed background sentences (:func:`~stancekit.background.background_sentences`),
        their label and sample weight, added to every training fold and never scored.
    framed : (docs, weight, of), optional
        Preprocessed framed copies of statements (:func:`~stancekit.frames.framed_copies`),
        their sample weight, and the index of each copy's statement in ``records`` (None:
        one copy per statement, in order): each copy joins the training folds that hold
        its statement, with its label, and is never scored.
    **params
        Parameters of :class:`StanceClassifier`.

    Returns
    -------
    dict
        ``report`` (:class:`Report`), ``predictions`` (list), ``scheme`` (how folds were made).
    """
    pre, post = _split_params(params)
    splits, scheme = folds(
        records, n_splits=n_splits, group_by_dispute=group_by_dispute, random_state=params.get("random_state", 0)
    )
    docs = docs if docs is not None else _analyzed(records, pre)
    y = np.asarray([r.label for r in records], dtype=object)
    labels = sorted(set(y.tolist()))
    all_docs, all_y, weights, splits, vocab_mask = _with_extras(docs, y, splits, background, framed)
    pred = np.empty(len(records), dtype=object)
    for train_idx, test_idx in splits:
        fold_weights = None if weights is None else weights[train_idx]
        clf = AnalyzedStanceClassifier(**post).fit(
            [all_docs[i] for i in train_idx],
            all_y[train_idx],
            sample_weight=fold_weights,
            vocab_mask=None if vocab_mask is None else vocab_mask[train_idx],
        )
        pred[test_idx] = clf.predict([all_docs[i] for i in test_idx])
    return {"report": score(y.tolist(), pred.tolist(), labels), "predictions": pred.tolist(), "scheme": scheme}


def _with_extras(
    docs: list[str],
    y: np.ndarray,
    splits: list[tuple[np.ndarray, np.ndarray]],
    background: BackgroundDocs | None,
    framed: FramedDocs | None,
) -> tuple[list[str], np.ndarray, np.ndarray | None, list[tuple[np.ndarray, np.ndarray]], np.ndarray | None]:
    """Documents, labels, weights, folds and vocabulary mask with the extra training documents.

    The background joins every training fold; a framed copy of statement ``i`` joins the
    training folds that hold statement ``i`` (never a fold that scores it). Neither is
    ever scored. Weights are None when every document weighs 1; the mask (False for the
    copies, which must not count as documents for ``min_df``) is None without copies.
    """
    all_docs, all_y = list(docs), [y]
    weights = [np.ones(len(docs))]
    n = len(docs)
    copies_at = np.arange(0)
    of = np.arange(0)
    if framed is not None and len(framed[0]):
        copies, fw, index = framed
        of = np.arange(n) if index is None else np.asarray(index, dtype=int)
        if len(copies) != len(of) or (len(of) and (of.min() < 0 or of.max() >= n)):
            raise ValueError(f"got {len(copies)} framed copies for {len(of)} statement indices among {n} statements")
        copies_at = np.arange(len(all_docs), len(all_docs) + len(of))
        all_docs += list(copies)
        all_y.append(y[of])
        weights.append(np.full(len(of), float(fw)))
    extra = np.arange(0)
    if background and len(background[0]):
        bg_docs, label, bw = background
        extra = np.arange(len(all_docs), len(all_docs) + len(bg_docs))
        all_docs += list(bg_docs)
        if isinstance(label, str):
            all_y.append(np.full(len(bg_docs), label, dtype=object))
        else:
            all_y.append(np.asarray(list(label), dtype=object))
        weights.append(np.broadcast_to(np.asarray(bw, dtype=float), (len(bg_docs),)).copy())
    w = np.concatenate(weights)

    def held(tr: np.ndarray) -> np.ndarray:
        member = np.zeros(n, dtype=bool)
        member[tr] = True
        return copies_at[member[of]]

    folds_out = [(np.concatenate([tr, held(tr), extra]).astype(int), te) for tr, te in splits]
    mask = None
    if len(copies_at):
        mask = np.ones(len(all_docs), dtype=bool)
        mask[copies_at] = False
    return all_docs, np.concatenate(all_y), (None if np.all(w == 1) else w), folds_out, mask


def search(
    records: list[Record],
    *,
    grid: Mapping[str, Iterable[Any]] | None = None,
    n_splits: int = 5,
    group_by_dispute: bool = True,
    docs: list[str] | None = None,
    background: BackgroundDocs | None = None,
    framed: FramedDocs | None = None,
    **params: Any,
) -> dict[str, Any]:
    """Tune parameters with :class:`~sklearn.model_selection.GridSearchCV` on the card's folds.

    The folds are those of :func:`cross_validate` (grouped by dispute when possible) and
    the score is macro-F1. Statements are preprocessed once, so the grid covers the
    parameters that act after preprocessing (:data:`FEATURE_PARAMS`).

    Parameters
    ----------
    records : list of Record
    grid : dict of str to list, optional
        Candidate values per parameter; default :data:`DEFAULT_GRID`.
    n_splits : int, default=5
    group_by_dispute : bool, default=True
    docs : list of str, optional
        The statements already preprocessed, to skip preprocessing.
    background : (docs, label, weight), optional
        As in :func:`cross_validate`: added to every training fold, never scored.
    framed : (docs, weight, of), optional
        As in :func:`cross_validate`.
    **params
        Fixed parameters of :class:`StanceClassifier`.

    Returns
    -------
    dict
        ``grid``, ``best_params``, ``best_score`` (mean macro-F1 over folds), ``scheme``,
        ``n_candidates`` and ``results`` (params, mean and std of each candidate).
    """
    grid = {k: [_param_value(k, x) for x in v] for k, v in (grid if grid is not None else DEFAULT_GRID).items()}
    bad = sorted(set(grid) - set(FEATURE_PARAMS))
    if bad:
        raise InputError(
            f"cannot search over {bad}: the search covers parameters after preprocessing, {list(FEATURE_PARAMS)}"
        )
    if not grid or any(not v for v in grid.values()):
        raise InputError(f"the search grid {grid} is empty; give at least one value per parameter")
    pre, post = _split_params(params)
    fixed = {k: v for k, v in post.items() if k not in grid}
    splits, scheme = folds(
        records, n_splits=n_splits, group_by_dispute=group_by_dispute, random_state=params.get("random_state", 0)
    )
    docs = docs if docs is not None else _analyzed(records, pre)
    y = np.asarray([r.label for r in records], dtype=object)
    all_docs, all_y, weights, splits, vocab_mask = _with_extras(docs, y, splits, background, framed)
    gs = GridSearchCV(
        AnalyzedStanceClassifier(**fixed), grid, scoring="f1_macro", cv=splits, refit=False, error_score="raise"
    )
    fit_params = {} if weights is None else {"sample_weight": weights}
    if vocab_mask is not None:
        fit_params["vocab_mask"] = vocab_mask
    gs.fit(all_docs, all_y, **fit_params)
    res = gs.cv_results_
    return {
        "grid": {k: [_jsonable(x) for x in v] for k, v in grid.items()},
        "best_params": {k: _jsonable(v) for k, v in gs.best_params_.items()},
        "best_score": round(float(gs.best_score_), 4),
        "scheme": scheme,
        "n_candidates": len(res["params"]),
        "results": [
            {"params": {k: _jsonable(v) for k, v in p.items()}, "mean": round(float(m), 4), "std": round(float(s), 4)}
            for p, m, s in zip(res["params"], res["mean_test_score"], res["std_test_score"], strict=True)
        ],
    }


def _jsonable(v: Any) -> Any:
    if isinstance(v, WordVectors):
        return v.source or repr(v)
    if isinstance(v, os.PathLike):
        return os.fspath(v)
    return list(v) if isinstance(v, tuple) else v


@dataclass
class Predictions:
    """A model's predictions on labelled data: what :func:`evaluate` scores and plots draw.

    Attributes
    ----------
    records : list of Record
        The labelled statements, de-duplicated as for training.
    gold, pred : list of str
        Gold and predicted label of each record.
    proba : ndarray of shape (n, n_labels)
        Class probabilities, columns in ``labels`` order.
    labels : list of str
        The model's labels.
    """

    records: list[Record]
    gold: list[str]
    pred: list[str]
    proba: np.ndarray
    labels: list[str]

    def report(self, parts: str | Callable[[Record], str | None] | None = None) -> Report:
        """Score the predictions; see :func:`evaluate` for ``parts``."""
        report = self._calibrated(score(self.gold, self.pred, self.labels), slice(None))
        if parts is not None:
            key = (lambda r: r.data.get(parts)) if isinstance(parts, str) else parts
            names = [key(r) for r in self.records]
            for name in sorted({n for n in names if n is not None}, key=str):
                idx = [i for i, n in enumerate(names) if n == name]
                part = score([self.gold[i] for i in idx], [self.pred[i] for i in idx], self.labels)
                report.parts[str(name)] = self._calibrated(part, idx)
        return report

    def _calibrated(self, report: Report, rows: slice | list[int]) -> Report:
        """``report`` with the calibration figures of the predictions at ``rows``."""
        from .plots import expected_calibration_error, reliability_bins

        proba = np.asarray(self.proba)[rows]
        if not len(proba):
            return report
        confidence = proba.max(axis=1)
        correct = np.asarray(self.gold, dtype=object)[rows] == np.asarray(self.pred, dtype=object)[rows]
        report.mean_confidence = round(float(confidence.mean()), 4)
        report.ece = round(expected_calibration_error(reliability_bins(confidence, correct)), 4)
        return report


def predict_labelled(
    model: StanceModel | StanceClassifier,
    data: Iterable[Source] | Source,
    *,
    actor_field: str | None = DEFAULT_ACTOR_FIELD,
) -> Predictions:
    """Predict labels and probabilities for labelled data (corpus files or records).

    Parameters
    ----------
    model : StanceModel or StanceClassifier
    data : path(s) or records with ``text`` and ``label``
    actor_field : str or None, default="actor"
        The record field naming who speaks, used where a record has it (first-person
        words then read as the speaker; see :func:`stancekit.classify`). None to read
        the text alone.

    Returns
    -------
    Predictions

    Raises
    ------
    InputError
        If the data uses labels the model does not know.
    """
    estimator = model.estimator if isinstance(model, StanceModel) else model
    # Every record is scored as read: the same text may be labelled differently for
    # different speakers, and a repeated statement counts as often as it occurs.
    records = _read_sources(data, None)
    if not records:
        raise CorpusError("no labelled statements to evaluate; give a non-empty file or records")
    classes = [str(c) for c in estimator.classes_]
    unknown = sorted({r.label for r in records} - set(classes))
    if unknown:
        raise InputError(
            f"evaluation labels {unknown} are not among the model's labels {classes}; "
            "evaluate with data in the model's label scheme"
        )
    actors = [actor_value(r.data.get(actor_field)) for r in records] if actor_field else None
    proba = estimator.predict_proba([r.text for r in records], actors if actors and any(actors) else None)
    pred = [classes[j] for j in proba.argmax(axis=1)] if len(proba) else []
    return Predictions(records, [r.label for r in records], pred, proba, classes)


def evaluate(
    model: StanceModel | StanceClassifier,
    data: Iterable[Source] | Source,
    *,
    parts: str | Callable[[Record], str | None] | None = None,
    actor_field: str | None = DEFAULT_ACTOR_FIELD,
) -> Report:
    """Score a model on labelled data (corpus files or records).

    Parameters
    ----------
    model : StanceModel or StanceClassifier
    data : path(s) or records with ``text`` and ``label``
    parts : str or callable, optional
        A field name (e.g. ``"form"``) or a function of a record giving the part it
        belongs to; the report then also has figures per part.
    actor_field : str or None, default="actor"
        The field naming who speaks, used where a record has it; None for the text alone.

    Returns
    -------
    Report
    """
    return predict_labelled(model, data, actor_field=actor_field).report(parts)


def speech_or_statement(record: Record) -> str:
    """Part of the dev set: ``speech`` (UN General Debate) or ``statements`` (the rest)."""
    return "speech" if record.data.get("form") == "speech" else "statements"


def train(
    sources: Iterable[Source] | Source,
    *,
    labels: Iterable[str] | None = None,
    cv: int = 5,
    eval_data: Iterable[Source] | Source | None = None,
    near_threshold: float | None = 0.5,
    allow_overlap: bool = False,
    search_grid: Mapping[str, Iterable[Any]] | bool | None = None,
    background: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
    background_n: int = 2000,
    background_label: str = "none",
    background_pool: int = 10,
    background_weight: float = 1.0,
    background_encoding: str = "utf-8",
    frames: float | None = None,
    frames_except: Iterable[str] = (),
    actor_field: str | None = None,
    labelled_lines: str | os.PathLike[str] | None = None,
    labelled_lines_weight: float = 1.0,
    **params: Any,
) -> StanceModel:
    """Train a model on corpora (paths) or records.

    Parameters
    ----------
    sources : path(s) to JSONL/CSV corpora or directories, or dict records
        Each statement needs ``text`` and ``label``; ``dispute`` (if present) is used to
        group cross-validation folds.
    labels : iterable of str, optional
        The label scheme, e.g. ``["pro", "con"]``; by default, whatever labels the
        corpora use. Every label of the scheme needs training statements.
    cv : int, default=5
        Cross-validation folds for the model card (0 to skip).
    eval_data : path(s) or records, optional
        Held-out labelled data scored into the model card. Statements that also appear
        in the training data, exactly or as near-duplicates, are an error.
    near_threshold : float or None, default=0.5
        Statements sharing more than this share of 5-grams are near-duplicates: merged
        when their labels agree, an error when they do not (see
        :func:`load_training_data`); also used for the evaluation overlap check. None
        to look for exact duplicates only.
    allow_overlap : bool, default=False
        Score ``eval_data`` even when it overlaps the training data, with a warning
        (:class:`UserWarning`) and the overlap recorded in the card.
    search_grid : dict or True, optional
        Tune parameters first with :func:`search` (True: :data:`DEFAULT_GRID`); the
        best ones are used and the grid, scores and best parameters go into the card.
    background : path(s), optional
        An unlabelled archive of real sentences (text, JSONL or CSV, optionally gzipped).
        ``background_n`` plain sentences from it (no party named, no stance-bearing word;
        :func:`~stancekit.background.background_sentences`) join the training data as
        ``background_label``: in the final model and in every cross-validation training
        fold, never among the statements scored. Sentences sharing a word 6-gram with
        ``eval_data`` are left out. The card records the archive, the rule and a digest.
    background_n : int, default=2000
    background_label : str, default="none"
        Must be a label of the scheme.
    background_pool : int, default=10
        Only one archive row in ``background_pool`` is eligible (by a hash of its text,
        :func:`~stancekit.background.in_pool`), so the rest stays unseen for checks on
        real text; 1 makes every row eligible (small archives).
    background_weight : float, default=1.0
        Sample weight of each background sentence (corpus statements weigh 1).
    background_encoding : str, default="utf-8"
        Encoding of the archive; rows that cannot be decoded are skipped and counted.
    frames : float, optional
        Add one copy of every statement wrapped in an attribution frame ('"...," the
        spokesperson said'; :mod:`stancekit.frames`), with its label and this sample weight,
        so that quoting and reporting do not read as cues. Copies join the final fit and
        the cross-validation training folds holding their statement; none is scored.
    frames_except : iterable of str, default=()
        Values of the statements' ``form`` field whose statements get no framed copy,
        e.g. ``["speech"]``: sentences of speeches are not quoted or reported. A value
        that no statement has is an error (a misspelling would frame everything).
    actor_field : str, optional
        Read the training statements (and their framed copies) with their speaker, the
        value of this field (e.g. ``"actor"``): first-person words then take the speaker's
        role, as they do at prediction. Cross-validation then scores statements read
        with their speakers too. None (the default) trains on the text alone; a field no
        statement has is an error.
    labelled_lines : path, optional
        Real sentences labelled by reference: a JSON file of lines of the ``background``
        archive (one file) with their labels and a SHA-1 prefix of each text
        (:mod:`stancekit.archive_labels`); the texts are read from the archive and checked.
        They join the final fit and every cross-validation training fold (as the
        background does), never the statements scored; read with their speakers (the
        rows' ``country``) when ``actor_field`` is given. A line sharing a word 6-gram
        with ``eval_data`` is an error (unless ``allow_overlap``).
    labelled_lines_weight : float, default=1.0
        Sample weight of each labelled line.
    **params
        Parameters of :class:`StanceClassifier` (``C``, ``ngram_range``, ``random_state``
        (the seed), ...).

    Returns
    -------
    StanceModel
        Fitted, with a model card.

    Examples
    --------
    >>> model = stancekit.train(["corpus/", "my-disputes.jsonl"], cv=5)  # doctest: +SKIP
    >>> model.save("extended.skmodel")  # doctest: +SKIP
    """
    t0 = time.time()
    scheme = list(labels) if labels is not None else None
    read = _read_sources(sources, scheme)
    records, notes = _merge(read, near_threshold)
    y = [r.label for r in records]
    counts = Counter(y)
    if scheme is not None:
        missing = [lab for lab in scheme if lab not in counts]
        if missing:
            raise InputError(
                f"label(s) {missing} of the scheme {scheme} have no training statements; "
                "add statements with those labels or drop them from the scheme (--labels)"
            )
    pre, _ = _split_params(params)
    eval_records: list[Record] = []
    eval_read: list[Record] = []
    overlap: list[tuple[Record, Record, float]] = []
    if eval_data is not None:  # checked before the long part, so a refusal comes at once
        eval_read = _read_sources(eval_data, None)
        eval_records, _ = _merge(eval_read, None)
        overlap = find_overlap(records, eval_records, near_threshold=near_threshold)
        if overlap:
            examples = [_overlap_note(e, t, share) for e, t, share in overlap[:5]]
            message = (
                f"{len(overlap)} evaluation statement(s) also appear in the training data, exactly or as "
                f"near-duplicates: {'; '.join(examples)}{'; ...' if len(overlap) > 5 else ''}"
            )
            if not allow_overlap:
                raise InputError(
                    message + ". Remove them from one side, or the figures are void "
                    "(allow_overlap=True / --allow-overlap scores them anyway, with a warning)"
                )
            warnings.warn(message + "; the evaluation figures are inflated", UserWarning, stacklevel=2)
    background_docs: BackgroundDocs | None = None
    if background is not None:
        if not background_weight > 0:
            raise InputError(f"background_weight must be positive, got {background_weight}; leave the background out")
        if background_label not in counts:
            raise InputError(
                f"background_label {background_label!r} is not a label of the training data {sorted(counts)}; "
                "pass the label that means 'no stance' in your scheme (--background-label)"
            )
        from .background import background_sentences

        bg = background_sentences(
            background,
            n=background_n,
            seed=params.get("random_state", 0),
            exclude=[r.text for r in eval_records],
            pool=background_pool,
            preprocessor=Preprocessor(**pre),
            encoding=background_encoding,
        )
        if not bg.texts:
            unreadable = (
                f", {bg.unreadable} unreadable: {'; '.join(bg.examples)}; for another encoding, "
                "background_encoding= / --background-encoding"
                if bg.unreadable
                else ""
            )
            raise InputError(
                f"no usable background sentence in {bg.sources} ({bg.rows} rows, {bg.eligible} in the pool"
                f"{unreadable}); give a larger archive of plain sentences, or leave --background out"
            )
        background_docs = (bg.docs, background_label, background_weight)
    lines, lines_overlap = None, 0
    if labelled_lines is not None:
        lines, lines_overlap, background_docs = _with_labelled_lines(
            labelled_lines,
            labelled_lines_weight,
            background,
            background_docs,
            scheme or sorted(counts),
            eval_records,
            allow_overlap,
            pre,
            actor_field,
            background_encoding,
        )
    actors = _speakers(records, actor_field)
    docs = _analyzed(records, pre, actors)
    framed_docs, except_forms = _framed_docs(records, pre, frames, frames_except, actors)
    card: dict[str, Any] = {
        "scheme": {"labels": scheme or sorted(counts), "from": "given" if scheme is not None else "corpora"},
        "corpus": {
            "files": sources_summary(read),
            "paths": sorted({r.path for r in records}),
            "digest": corpus_digest(records),
            "n": len(records),
            "by_label": dict(sorted(counts.items())),
            "by_dispute": dict(Counter(str(r.data.get("dispute")) for r in records).most_common()),
            "merged_duplicates": sum(1 for n in notes if n.startswith("merged duplicate")),
            "merged_near_duplicates": sum(1 for n in notes if n.startswith("merged near-duplicate")),
            "near_duplicate_threshold": near_threshold,
        },
    }
    if search_grid:
        grid = None if search_grid is True else search_grid
        result = search(
            records,
            grid=grid,
            n_splits=cv if cv and cv > 1 else 5,
            docs=docs,
            background=background_docs,
            framed=framed_docs,
            **params,
        )
        card["search"] = dict(result)
        params = {**params, **{k: _param_value(k, v) for k, v in result["best_params"].items()}}
    _, post = _split_params(params)
    estimator = StanceClassifier(**params)
    estimator.preprocessor_ = Preprocessor(**pre)
    fit_docs, fit_y, fit_w, _, fit_mask = _with_extras(
        docs, np.asarray(y, dtype=object), [], background_docs, framed_docs
    )
    fitted = AnalyzedStanceClassifier(**post).fit(fit_docs, fit_y, sample_weight=fit_w, vocab_mask=fit_mask)
    estimator.vectorizer_, estimator.vectors_, estimator.estimator_, estimator.classes_ = (
        fitted.vectorizer_,
        fitted.vectors_,
        fitted.estimator_,
        fitted.classes_,
    )
    if background_docs is not None:
        card["background"] = bg.summary(
            background_label, background_weight, params.get("random_state", 0), background_pool
        )
    if lines is not None:
        card["labelled_lines"] = lines.summary(labelled_lines_weight)
        if lines_overlap:
            card["labelled_lines"]["eval_overlap"] = lines_overlap
    if actors is not None:
        card["speakers"] = {"field": actor_field, "statements": sum(a is not None for a in actors)}
    if framed_docs is not None:
        from .frames import FRAMES

        card["frames"] = {
            "templates": len(FRAMES),
            "weight": framed_docs[1],
            "copies": len(framed_docs[0]),
            "except_forms": except_forms,
        }
    card["labels"] = [str(c) for c in estimator.classes_]
    card["params"] = {k: _jsonable(v) for k, v in estimator.get_params().items()}
    card["seed"] = estimator.random_state
    if estimator.vectors_ is not None:
        v = estimator.vectors_
        card["vectors"] = {"source": v.source or "in memory", "sha256": v.digest or None, "words": len(v), "dim": v.dim}
    if cv and cv > 1:
        result = cross_validate(
            records, n_splits=cv, docs=docs, background=background_docs, framed=framed_docs, **params
        )
        card["cv"] = {"scheme": result["scheme"], **_summary(result["report"])}
        if search_grid:
            card["cv"]["note"] = "parameters were chosen on these folds, so this score is optimistic"
    if eval_data is not None:
        report = evaluate(estimator, eval_records, parts=speech_or_statement)
        card["eval"] = {
            "paths": sorted({r.path for r in eval_records}),
            "files": sources_summary(eval_read),
            "speakers": f"first-person words read as the record's {DEFAULT_ACTOR_FIELD!r} where it names one",
            **_summary(report),
        }
        text_only = evaluate(estimator, eval_records, parts=speech_or_statement, actor_field=None)
        card["eval"]["text_only"] = _summary(text_only)
        if overlap:
            card["eval"]["overlap"] = {"n": len(overlap), "examples": [_overlap_note(*o) for o in overlap[:20]]}
    card["versions"] = versions()
    card["train_seconds"] = round(time.time() - t0, 1)
    return StanceModel(estimator, card)


def _with_labelled_lines(
    path: str | os.PathLike[str],
    weight: float,
    archive: Any,
    background_docs: BackgroundDocs | None,
    scheme: list[str],
    eval_records: list[Record],
    allow_overlap: bool,
    pre: dict[str, Any],
    actor_field: str | None,
    encoding: str,
) -> tuple[LabelledLines, int, BackgroundDocs]:
    """Read the labelled lines of ``path`` and add them to the extra training documents;
    also the number of lines that overlap the evaluation data (0 unless ``allow_overlap``)."""
    if not weight > 0:
        raise InputError(f"labelled_lines_weight must be positive, got {weight}; leave the labelled lines out")
    if isinstance(archive, (list, tuple)) and len(archive) == 1:
        archive = archive[0]
    if archive is None or not isinstance(archive, (str, os.PathLike)):
        raise InputError(
            f"labelled lines name lines of one archive: give it as the background (one file), got {archive!r} "
            "(--background FILE)"
        )
    lines = read_labelled_lines(path, archive, labels=set(scheme), encoding=encoding)
    hits: list[str] = []
    if eval_records:
        held = overlap_filter([r.text for r in eval_records])
        hits = [f"{archive}:{line}" for line, text in zip(lines.lines, lines.texts, strict=True) if held(text)]
        if hits:
            message = (
                f"{len(hits)} labelled line(s) of {os.fspath(path)} share a word 6-gram with the evaluation data: "
                f"{', '.join(hits[:5])}{', ...' if len(hits) > 5 else ''}"
            )
            if not allow_overlap:
                raise InputError(message + "; remove them from the labelled lines, or the figures are void")
            warnings.warn(message + "; the evaluation figures are inflated", UserWarning, stacklevel=3)
    speakers = lines.speakers if actor_field is not None else None
    docs = [a.text for a in Preprocessor(**pre).analyze(lines.texts, actors=speakers)]
    return lines, len(hits), join_extras(background_docs, (docs, lines.labels, weight))


def join_extras(first: BackgroundDocs | None, second: BackgroundDocs) -> BackgroundDocs:
    """Two sets of extra training documents as one (docs, one label each, one weight each).

    Parameters
    ----------
    first : (docs, label(s), weight(s)) or None
        E.g. the background sentences; None for none.
    second : (docs, label(s), weight(s))
        E.g. labelled archive lines.

    Returns
    -------
    tuple
        ``first``'s documents then ``second``'s, with a label and a weight per document.
    """
    docs: list[str] = []
    labels: list[str] = []
    weights: list[np.ndarray] = []
    for part in (first, second):
        if part is None:
            continue
        part_docs, label, weight = part
        n = len(part_docs)
        docs += list(part_docs)
        labels += [label] * n if isinstance(label, str) else list(label)
        weights.append(np.broadcast_to(np.asarray(weight, dtype=float), (n,)))
    return docs, labels, np.concatenate(weights) if weights else np.zeros(0)


def _overlap_note(eval_record: Record, train_record: Record, share: float) -> str:
    same = _norm(eval_record.text) == _norm(train_record.text)
    kind = "same text" if same else f"near-duplicate, {share:.0%} of 5-grams"
    return f"{eval_record.where} = {train_record.where} ({kind})"


def _param_value(name: str, value: Any) -> Any:
    """A parameter value from JSON (lists back to tuples for ranges)."""
    return tuple(value) if name in ("ngram_range", "char_ngrams") and isinstance(value, list) else value


def _summary(report: Report) -> dict[str, Any]:
    out: dict[str, Any] = {
        "n": report.n,
        "macro_f1": report.macro_f1,
        "accuracy": report.accuracy,
        "per_class_f1": {k: v["f1"] for k, v in report.per_class.items()},
        "per_class": report.per_class,
        "confusion": {"labels": report.labels, "matrix": report.confusion},
    }
    if report.parts:
        out["parts"] = {
            k: {"n": p.n, "macro_f1": p.macro_f1, "per_class_f1": {c: m["f1"] for c, m in p.per_class.items()}}
            for k, p in report.parts.items()
        }
    return out
