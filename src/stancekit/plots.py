"""Evaluation figures: a confusion matrix and a reliability diagram.

matplotlib is optional (``pip install "stancekit[plot]"``) and imported only when a
plot is drawn. Figures are drawn on a :class:`matplotlib.figure.Figure` with the Agg
canvas, without pyplot, so nothing changes the backend of the calling program; in a
notebook, pass ``ax=`` from ``plt.subplots`` to draw into your own figure.

The same figure from the command line::

    stancekit evaluate DATA --model MODEL --plot evaluation.png
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .errors import InputError, StancekitError

__all__ = [
    "ReliabilityBin",
    "expected_calibration_error",
    "plot_confusion",
    "plot_evaluation",
    "plot_reliability",
    "reliability_bins",
]


def _matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise StancekitError(
            "plots need matplotlib, which is not installed; install it with `pip install 'stancekit[plot]'`"
        ) from None
    return matplotlib


@dataclass(frozen=True)
class ReliabilityBin:
    """Statements whose predicted probability falls in ``[low, high)``.

    Attributes
    ----------
    low, high : float
        The bin's edges (the last bin includes 1.0).
    n : int
        Statements in the bin.
    confidence : float
        Their mean predicted probability.
    accuracy : float
        The fraction of them for which the prediction is right.
    """

    low: float
    high: float
    n: int
    confidence: float
    accuracy: float


def reliability_bins(confidence: Sequence[float], correct: Sequence[bool], *, n_bins: int = 10) -> list[ReliabilityBin]:
    """Group predictions by probability into equal-width bins (empty bins left out).

    Parameters
    ----------
    confidence : sequence of float
        The probability given to each prediction, in [0, 1].
    correct : sequence of bool
        Whether each prediction is right.
    n_bins : int, default=10
        Number of equal-width bins over [0, 1].

    Returns
    -------
    list of ReliabilityBin
    """
    conf = np.asarray(confidence, dtype=float)
    hit = np.asarray(correct, dtype=bool)
    if conf.shape != hit.shape or conf.ndim != 1:
        raise InputError(f"confidence and correct must be 1-D and of one length, got {conf.shape} and {hit.shape}")
    if n_bins < 1:
        raise InputError(f"n_bins={n_bins} must be at least 1")
    if conf.size and (conf.min() < 0 or conf.max() > 1):
        raise InputError("probabilities must lie in [0, 1]; pass predict_proba output, not decision scores")
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    which = np.clip(np.digitize(conf, edges[1:-1], right=False), 0, n_bins - 1)
    out = []
    for b in range(n_bins):
        mask = which == b
        if mask.any():
            out.append(
                ReliabilityBin(
                    float(edges[b]),
                    float(edges[b + 1]),
                    int(mask.sum()),
                    float(conf[mask].mean()),
                    float(hit[mask].mean()),
                )
            )
    return out


def expected_calibration_error(bins: Sequence[ReliabilityBin]) -> float:
    """Mean gap between accuracy and confidence, weighted by bin size (0 is perfect)."""
    total = sum(b.n for b in bins)
    return float(sum(b.n * abs(b.accuracy - b.confidence) for b in bins) / total) if total else 0.0


def _check(gold: Sequence[str], labels: Sequence[str], proba: Any = None, pred: Any = None) -> None:
    unknown = sorted(set(gold) - set(labels)) + (sorted(set(pred) - set(labels)) if pred is not None else [])
    if unknown:
        raise InputError(f"labels {sorted(set(unknown))} are not among {list(labels)}; pass the model's labels")
    if pred is not None and len(pred) != len(gold):
        raise InputError(f"got {len(gold)} gold labels but {len(pred)} predictions")
    if proba is not None and np.shape(proba) != (len(gold), len(labels)):
        raise InputError(
            f"proba has shape {np.shape(proba)}, expected ({len(gold)}, {len(labels)}): "
            "one row per statement, one column per label in `labels` order"
        )


def _new_axes(ax: Any, size: tuple[float, float]) -> Any:
    if ax is not None:
        return ax
    _matplotlib()
    from matplotlib.figure import Figure

    return Figure(figsize=size, layout="constrained").add_subplot()


def plot_confusion(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str], *, ax: Any = None) -> Any:
    """Draw a confusion matrix: rows gold, columns predicted.

    Cells are shaded by the share of their row (recall along the diagonal) and show
    the count and that share.

    Parameters
    ----------
    gold, pred : sequence of str
        Gold and predicted labels.
    labels : sequence of str
        Row/column order.
    ax : matplotlib Axes, optional
        Where to draw; a new figure's axes by default.

    Returns
    -------
    matplotlib.axes.Axes
    """
    from sklearn.metrics import confusion_matrix

    labels = [str(x) for x in labels]
    _check(gold, labels, pred=pred)
    ax = _new_axes(ax, (5.5, 4.5))
    counts = confusion_matrix(list(gold), list(pred), labels=labels) if len(gold) else np.zeros((len(labels),) * 2, int)
    rows = counts.sum(axis=1, keepdims=True)
    share = np.divide(counts, rows, out=np.zeros(counts.shape, dtype=float), where=rows > 0)
    image = ax.imshow(share, cmap="Blues", vmin=0.0, vmax=1.0)
    for i in range(len(labels)):
        for j in range(len(labels)):
            ax.text(
                j,
                i,
                f"{counts[i, j]}\n{share[i, j]:.0%}",
                ha="center",
                va="center",
                fontsize=9,
                color="white" if share[i, j] > 0.6 else "black",
            )
    ax.set_xticks(range(len(labels)), labels)
    ax.set_yticks(range(len(labels)), [f"{lab} ({int(n)})" for lab, n in zip(labels, rows[:, 0], strict=True)])
    ax.set_xlabel("predicted label")
    ax.set_ylabel("gold label (statements)")
    accuracy = np.trace(counts) / counts.sum() if counts.sum() else 0.0
    ax.set_title(f"Confusion matrix, n={int(counts.sum())}, accuracy {accuracy:.2f}")
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="share of gold row")
    return ax


def plot_reliability(
    gold: Sequence[str],
    proba: Any,
    labels: Sequence[str],
    *,
    ax: Any = None,
    n_bins: int = 10,
    per_class: bool = False,
) -> Any:
    """Draw a reliability diagram: predicted probability against observed frequency.

    By default for the top label: each statement's highest probability against
    whether that label is right, with the number of statements per bin as bars (right
    axis) and the expected calibration error (ECE) in the title. With ``per_class``,
    one curve per label (probability of the label against how often it is the gold
    one), marker area growing with the bin's count.

    Parameters
    ----------
    gold : sequence of str
        Gold labels.
    proba : array-like of shape (n, n_labels)
        Predicted probabilities, columns in ``labels`` order.
    labels : sequence of str
        The labels of ``proba``'s columns.
    ax : matplotlib Axes, optional
        Where to draw; a new figure's axes by default.
    n_bins : int, default=10
        Equal-width probability bins over [0, 1].
    per_class : bool, default=False
        One curve per label instead of the top label.

    Returns
    -------
    matplotlib.axes.Axes
    """
    labels = [str(x) for x in labels]
    proba = np.asarray(proba, dtype=float)
    _check(gold, labels, proba=proba)
    ax = _new_axes(ax, (5.5, 4.5))
    gold_idx = np.asarray([labels.index(g) for g in gold], dtype=int)
    ax.plot([0, 1], [0, 1], linestyle="--", color="0.5", linewidth=1, label="perfect calibration")
    if not per_class:
        top = proba.argmax(axis=1) if len(gold) else np.zeros(0, int)
        conf = proba.max(axis=1) if len(gold) else np.zeros(0)
        bins = reliability_bins(conf, top == gold_idx, n_bins=n_bins)
        counts = ax.twinx()
        counts.bar(
            [(b.low + b.high) / 2 for b in bins],
            [b.n for b in bins],
            width=1.0 / n_bins * 0.9,
            color="0.85",
            edgecolor="0.6",
            zorder=0,
        )
        for b in bins:
            counts.text((b.low + b.high) / 2, b.n, str(b.n), ha="center", va="bottom", fontsize=8, color="0.35")
        counts.set_ylim(0, max([b.n for b in bins], default=1) * 3.2)  # bars in the lower third
        counts.set_ylabel("statements per bin", color="0.35")
        counts.tick_params(axis="y", colors="0.35")
        ax.set_zorder(counts.get_zorder() + 1)
        ax.patch.set_visible(False)
        ax.plot(
            [b.confidence for b in bins],
            [b.accuracy for b in bins],
            marker="o",
            color="tab:blue",
            label="top label",
        )
        ax.set_xlabel("confidence (highest predicted probability)")
        ax.set_ylabel("accuracy (share right)")
        ece = expected_calibration_error(bins)
        ax.set_title(f"Reliability (top label), n={len(gold)}, ECE {ece:.3f}")
    else:
        per_label = [reliability_bins(proba[:, k], gold_idx == k, n_bins=n_bins) for k in range(len(labels))]
        biggest = max([b.n for bins in per_label for b in bins], default=1)
        for k, (label, bins) in enumerate(zip(labels, per_label, strict=True)):
            ax.plot(
                [b.confidence for b in bins],
                [b.accuracy for b in bins],
                color=f"C{k}",
                linewidth=1,
                marker="o",
                markersize=4,
                label=f"{label} (ECE {expected_calibration_error(bins):.3f})",
            )
            ax.scatter(
                [b.confidence for b in bins],
                [b.accuracy for b in bins],
                s=[6 + 240 * b.n / biggest for b in bins],
                color=f"C{k}",
                alpha=0.6,
            )
        ax.set_xlabel("predicted probability of the label")
        ax.set_ylabel("share of statements with that gold label")
        ax.set_title(f"Reliability per label, n={len(gold)}\n(marker area proportional to statements in the bin)")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return ax


def plot_evaluation(
    gold: Sequence[str],
    pred: Sequence[str],
    proba: Any,
    labels: Sequence[str],
    *,
    path: str | Path | None = None,
    title: str | None = None,
    n_bins: int = 10,
) -> Any:
    """The confusion matrix and the top-label reliability diagram, side by side.

    Parameters
    ----------
    gold, pred : sequence of str
        Gold and predicted labels.
    proba : array-like of shape (n, n_labels)
        Predicted probabilities, columns in ``labels`` order.
    labels : sequence of str
        The model's labels.
    path : str or Path, optional
        Save the figure there (format from the suffix, e.g. ``.png``, ``.svg``, ``.pdf``).
    title : str, optional
        A title over both panels (e.g. the data and model evaluated).
    n_bins : int, default=10
        Bins of the reliability diagram.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from stancekit.train import predict_labelled
    >>> p = predict_labelled(model, "corpus/article.jsonl")  # doctest: +SKIP
    >>> plot_evaluation(p.gold, p.pred, p.proba, p.labels, path="evaluation.png")  # doctest: +SKIP
    """
    _matplotlib()
    from matplotlib.figure import Figure

    fig = Figure(figsize=(12, 5), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[1, 1.1])
    plot_confusion(gold, pred, labels, ax=left)
    plot_reliability(gold, proba, labels, ax=right, n_bins=n_bins)
    if title:
        fig.suptitle(title)
    if path is not None:
        path = Path(path)
        try:
            fig.savefig(path, dpi=110)
        except (OSError, ValueError) as exc:
            raise StancekitError(
                f"cannot write the plot to {path}: {exc}; check the directory exists and the suffix "
                "is an image format (.png, .svg, .pdf)"
            ) from exc
    return fig
