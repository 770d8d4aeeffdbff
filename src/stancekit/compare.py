"""Compare two models on the same labelled data: figures side by side, changed predictions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import StanceModel, load
from .train import Report, Source, _read_sources, predict_labelled, score

__all__ = ["Comparison", "compare"]


@dataclass
class Comparison:
    """Two models scored on the same labelled statements.

    Attributes
    ----------
    name_a, name_b : str
        What the models are (path or name).
    n : int
        Statements scored.
    labels : list of str
        The labels reported (gold labels and both models' labels).
    report_a, report_b : Report
        Each model's figures, over ``labels``.
    changed : list of dict
        The statements whose predicted label differs between the models, in data
        order: ``where`` (file:line), ``id``, ``text``, ``gold``, ``a`` and ``b`` (the
        predictions), ``a_confidence``, ``b_confidence`` and ``change``: ``"fixed"``
        (B right, A wrong), ``"broken"`` (A right, B wrong) or ``"both wrong"``.
    """

    name_a: str
    name_b: str
    n: int
    labels: list[str]
    report_a: Report
    report_b: Report
    changed: list[dict[str, Any]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many changed statements were fixed, broken, or wrong both times."""
        c = Counter(row["change"] for row in self.changed)
        return {k: c.get(k, 0) for k in ("fixed", "broken", "both wrong")}

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain JSON-serialisable data."""
        return {
            "a": self.name_a,
            "b": self.name_b,
            "n": self.n,
            "labels": self.labels,
            "metrics": {"a": self.report_a.to_dict(), "b": self.report_b.to_dict()},
            "changed_counts": self.counts(),
            "changed": self.changed,
        }

    def format(self, *, show: int = 10) -> str:
        """A plain-text side-by-side table and the first ``show`` changed statements."""
        a, b = self.report_a, self.report_b
        lines = [f"A: {self.name_a}", f"B: {self.name_b}", f"statements: {self.n}", ""]
        lines.append(f"{'':<12}{'A':>8}{'B':>8}{'B-A':>8}")
        for key, title in (("macro_f1", "macro-F1"), ("accuracy", "accuracy")):
            va, vb = getattr(a, key), getattr(b, key)
            lines.append(f"{title:<12}{va:>8.3f}{vb:>8.3f}{vb - va:>+8.3f}")
        lines += ["", f"{'label':<12}{'P A':>7}{'P B':>7}{'R A':>7}{'R B':>7}{'F1 A':>7}{'F1 B':>7}{'dF1':>7}{'n':>6}"]
        for label in self.labels:
            ma, mb = a.per_class[label], b.per_class[label]
            lines.append(
                f"{label:<12}{ma['precision']:>7.3f}{mb['precision']:>7.3f}{ma['recall']:>7.3f}{mb['recall']:>7.3f}"
                f"{ma['f1']:>7.3f}{mb['f1']:>7.3f}{mb['f1'] - ma['f1']:>+7.3f}{int(ma['support']):>6d}"
            )
        c = self.counts()
        lines += [
            "",
            f"changed predictions: {len(self.changed)} "
            f"(fixed {c['fixed']}, broken {c['broken']}, both wrong {c['both wrong']})",
        ]
        for row in self.changed[:show]:
            text = row["text"] if len(row["text"]) <= 100 else row["text"][:97] + "..."
            lines.append(
                f"  {row['where']}  gold {row['gold']}  A {row['a']} -> B {row['b']}  [{row['change']}]  {text}"
            )
        if len(self.changed) > show:
            lines.append(f"  ... {len(self.changed) - show} more (--json or -o FILE for all)")
        return "\n".join(lines)


def _as_model(model: StanceModel | str | Path | None) -> tuple[StanceModel, str]:
    if isinstance(model, StanceModel):
        return model, str(model.path) if model.path else "model"
    loaded = load(model)
    return loaded, str(model) if model is not None else "default"


def compare(
    model_a: StanceModel | str | Path | None,
    model_b: StanceModel | str | Path | None,
    data: Iterable[Source] | Source,
    *,
    names: tuple[str, str] | None = None,
) -> Comparison:
    """Score two models on the same labelled data and list the predictions that changed.

    Parameters
    ----------
    model_a, model_b : StanceModel, or a model path or name (None: the shipped model)
        Usually A is the reference (e.g. ``"default"``) and B the retrained model.
    data : path(s) to corpora, or records with ``text`` and ``label``
        Held-out statements: neither model should have been trained on them, or the
        figures of the one that was are inflated.
    names : (str, str), optional
        What to call the models in the output (default: their paths or names).

    Returns
    -------
    Comparison

    Raises
    ------
    InputError
        If the data uses labels one of the models does not know.

    Examples
    --------
    >>> cmp = compare("default", "extended.skmodel", "held-out.jsonl")  # doctest: +SKIP
    >>> print(cmp.format())  # doctest: +SKIP
    """
    a, name_a = _as_model(model_a)
    b, name_b = _as_model(model_b)
    if names is not None:
        name_a, name_b = names
    records = _read_sources(data, None)
    pa = predict_labelled(a, records)
    pb = predict_labelled(b, records)
    gold = pa.gold
    labels = sorted(set(gold) | set(pa.labels) | set(pb.labels))
    changed = []
    for k, r in enumerate(records):
        la, lb = pa.pred[k], pb.pred[k]
        if la == lb:
            continue
        change = "fixed" if lb == gold[k] else "broken" if la == gold[k] else "both wrong"
        changed.append(
            {
                "where": r.where,
                "id": r.data.get("id"),
                "text": r.text,
                "gold": gold[k],
                "a": la,
                "b": lb,
                "a_confidence": round(float(pa.proba[k].max()), 4),
                "b_confidence": round(float(pb.proba[k].max()), 4),
                "change": change,
            }
        )
    return Comparison(
        name_a=name_a,
        name_b=name_b,
        n=len(records),
        labels=labels,
        report_a=score(gold, pa.pred, labels),
        report_b=score(gold, pb.pred, labels),
        changed=changed,
    )
