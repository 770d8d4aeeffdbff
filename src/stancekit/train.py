"""Training, cross-validation and evaluation; the figures that go into model cards."""

from __future__ import annotations

import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import GroupKFold, StratifiedKFold

from .classifier import StanceClassifier
from .corpus import Record, _norm, corpus_digest, read_records
from .errors import CorpusError, InputError
from .labels import check_labels
from .model import StanceModel

__all__ = ["Report", "cross_validate", "evaluate", "load_training_data", "score", "train"]

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
    """

    macro_f1: float
    accuracy: float
    n: int
    per_class: dict[str, dict[str, float]]
    labels: list[str]
    confusion: list[list[int]]
    parts: dict[str, Report] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["parts"] = {k: v.to_dict() for k, v in self.parts.items()}
        return d

    def format(self) -> str:
        """A plain-text table of the figures."""
        lines = [f"statements: {self.n}   macro-F1: {self.macro_f1:.3f}   accuracy: {self.accuracy:.3f}", ""]
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
            lines.append(f"\n[{name}] n={part.n} macro-F1 {part.macro_f1:.3f}  ({per})")
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


def load_training_data(
    sources: Iterable[Source] | Source, *, labels: Iterable[str] | None = None
) -> tuple[list[Record], list[str]]:
    """Read corpora and records into de-duplicated records.

    Exact duplicates (same text up to case and punctuation, same label) are merged;
    the same text with different labels is an error naming both places.

    Returns
    -------
    (records, notes)
        The records and human-readable notes on what was merged.
    """
    if isinstance(sources, (str, Path, Mapping, Record)):
        sources = [sources]
    scheme = list(labels) if labels is not None else None
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
    if conflicts:
        raise CorpusError(
            f"{len(conflicts)} statement(s) appear with conflicting labels: "
            + "; ".join(conflicts[:5])
            + ("; ..." if len(conflicts) > 5 else "")
            + ". Decide one label for each."
        )
    if not merged:
        raise CorpusError("no training statements found in the given sources")
    return list(merged.values()), notes


def _groups(records: list[Record]) -> np.ndarray:
    """Dispute of each record; records without one are spread over pseudo-groups."""
    out = []
    for r in records:
        d = r.data.get("dispute")
        out.append(str(d) if d else f"_general{zlib.crc32(r.text.encode()) % 7}")
    return np.asarray(out)


def cross_validate(
    records: list[Record], *, n_splits: int = 5, group_by_dispute: bool = True, **params: Any
) -> dict[str, Any]:
    """Out-of-fold predictions and figures.

    With ``group_by_dispute`` (and disputes present), folds never split a dispute, so the
    score reflects disputes the model has not seen.

    Returns
    -------
    dict
        ``report`` (:class:`Report`), ``predictions`` (list), ``scheme`` (how folds were made).
    """
    texts = [r.text for r in records]
    y = np.asarray([r.label for r in records], dtype=object)
    groups = _groups(records)
    has_disputes = any(r.data.get("dispute") for r in records)
    if group_by_dispute and has_disputes and len(set(groups)) >= n_splits:
        splits = GroupKFold(n_splits=n_splits).split(texts, y, groups)
        scheme = f"GroupKFold({n_splits}) by dispute"
    else:
        k = int(min(n_splits, Counter(y.tolist()).most_common()[-1][1]))
        if k < 2:
            raise InputError("cross-validation needs at least two statements of every label")
        splits = StratifiedKFold(n_splits=k, shuffle=True, random_state=params.get("random_state", 0)).split(texts, y)
        scheme = f"StratifiedKFold({k})"
    pred = np.empty(len(texts), dtype=object)
    for train_idx, test_idx in splits:
        clf = StanceClassifier(**params).fit([texts[i] for i in train_idx], y[train_idx])
        pred[test_idx] = clf.predict([texts[i] for i in test_idx])
    labels = sorted(set(y.tolist()))
    return {"report": score(y.tolist(), pred.tolist(), labels), "predictions": pred.tolist(), "scheme": scheme}


def evaluate(
    model: StanceModel | StanceClassifier,
    data: Iterable[Source] | Source,
    *,
    parts: str | Callable[[Record], str | None] | None = None,
) -> Report:
    """Score a model on labelled data (corpus files or records).

    Parameters
    ----------
    model : StanceModel or StanceClassifier
    data : path(s) or records with ``text`` and ``label``
    parts : str or callable, optional
        A field name (e.g. ``"form"``) or a function of a record giving the part it
        belongs to; the report then also has figures per part.

    Returns
    -------
    Report
    """
    estimator = model.estimator if isinstance(model, StanceModel) else model
    records, _ = load_training_data(data)
    classes = [str(c) for c in estimator.classes_]
    unknown = sorted({r.label for r in records} - set(classes))
    if unknown:
        raise InputError(
            f"evaluation labels {unknown} are not among the model's labels {classes}; "
            "evaluate with data in the model's label scheme"
        )
    pred = [str(p) for p in estimator.predict([r.text for r in records])]
    gold = [r.label for r in records]
    report = score(gold, pred, classes)
    if parts is not None:
        key = (lambda r: r.data.get(parts)) if isinstance(parts, str) else parts
        names = [key(r) for r in records]
        for name in sorted({n for n in names if n is not None}, key=str):
            idx = [i for i, n in enumerate(names) if n == name]
            report.parts[str(name)] = score([gold[i] for i in idx], [pred[i] for i in idx], classes)
    return report


def speech_or_statement(record: Record) -> str:
    """Part of the dev set: ``speech`` (UN General Debate) or ``statements`` (the rest)."""
    return "speech" if record.data.get("form") == "speech" else "statements"


def train(
    sources: Iterable[Source] | Source,
    *,
    labels: Iterable[str] | None = None,
    cv: int = 5,
    eval_data: Iterable[Source] | Source | None = None,
    **params: Any,
) -> StanceModel:
    """Train a model on corpora (paths) or records.

    Parameters
    ----------
    sources : path(s) to JSONL/CSV corpora or directories, or dict records
        Each statement needs ``text`` and ``label``; ``dispute`` (if present) is used to
        group cross-validation folds.
    labels : iterable of str, optional
        The label scheme; by default, whatever labels the corpus uses.
    cv : int, default=5
        Cross-validation folds for the model card (0 to skip).
    eval_data : path(s) or records, optional
        Held-out labelled data scored into the model card. Statements that also appear
        in the training data are an error.
    **params
        Parameters of :class:`StanceClassifier` (``C``, ``ngram_range``, ...).

    Returns
    -------
    StanceModel
        Fitted, with a model card.
    """
    t0 = time.time()
    records, notes = load_training_data(sources, labels=labels)
    texts = [r.text for r in records]
    y = [r.label for r in records]
    estimator = StanceClassifier(**params).fit(texts, y)
    counts = Counter(y)
    card: dict[str, Any] = {
        "labels": [str(c) for c in estimator.classes_],
        "corpus": {
            "paths": sorted({r.path for r in records}),
            "digest": corpus_digest(records),
            "n": len(records),
            "by_label": dict(sorted(counts.items())),
            "by_dispute": dict(Counter(str(r.data.get("dispute")) for r in records).most_common()),
            "merged_duplicates": len(notes),
        },
        "params": {k: (list(v) if isinstance(v, tuple) else v) for k, v in estimator.get_params().items()},
        "train_seconds": None,
    }
    if cv and cv > 1:
        result = cross_validate(records, n_splits=cv, **params)
        card["cv"] = {"scheme": result["scheme"], **_summary(result["report"])}
    if eval_data is not None:
        eval_records, _ = load_training_data(eval_data)
        seen = {_norm(t) for t in texts}
        overlap = [r.where for r in eval_records if _norm(r.text) in seen]
        if overlap:
            raise InputError(
                f"{len(overlap)} evaluation statement(s) also appear in the training data "
                f"(first: {overlap[0]}); remove them from one side, or the figures are void"
            )
        report = evaluate(estimator, eval_records, parts=speech_or_statement)
        card["eval"] = {"paths": sorted({r.path for r in eval_records}), **_summary(report)}
    card["train_seconds"] = round(time.time() - t0, 1)
    return StanceModel(estimator, card)


def _summary(report: Report) -> dict[str, Any]:
    out: dict[str, Any] = {
        "n": report.n,
        "macro_f1": report.macro_f1,
        "per_class_f1": {k: v["f1"] for k, v in report.per_class.items()},
        "confusion": {"labels": report.labels, "matrix": report.confusion},
    }
    if report.parts:
        out["parts"] = {
            k: {"n": p.n, "macro_f1": p.macro_f1, "per_class_f1": {c: m["f1"] for c, m in p.per_class.items()}}
            for k, p in report.parts.items()
        }
    return out
