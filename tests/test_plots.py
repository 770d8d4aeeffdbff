"""Evaluation plots: reliability bins, the drawn figures, and `stancekit evaluate --plot`."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.image import imread

from stancekit import InputError, StancekitError
from stancekit.plots import (
    expected_calibration_error,
    plot_confusion,
    plot_evaluation,
    plot_reliability,
    reliability_bins,
)
from stancekit.train import predict_labelled

from .conftest import CORPUS, run_cli

LABELS = ["against", "favor", "none"]
GOLD = ["favor", "favor", "against", "none", "none", "favor"]
PRED = ["favor", "against", "against", "none", "favor", "favor"]
PROBA = np.array(
    [
        [0.1, 0.85, 0.05],
        [0.5, 0.45, 0.05],
        [0.95, 0.03, 0.02],
        [0.1, 0.1, 0.8],
        [0.2, 0.45, 0.35],
        [0.05, 0.9, 0.05],
    ]
)


def test_reliability_bins_by_hand():
    bins = reliability_bins([0.05, 0.15, 0.95, 1.0, 0.91], [False, True, True, True, False], n_bins=10)
    assert [(b.low, b.n) for b in bins] == [(0.0, 1), (0.1, 1), (0.9, 3)]  # 1.0 falls in the last bin
    last = bins[-1]
    assert last.confidence == pytest.approx((0.95 + 1.0 + 0.91) / 3) and last.accuracy == pytest.approx(2 / 3)
    ece = expected_calibration_error(bins)
    assert ece == pytest.approx((0.05 + 0.85 + 3 * abs(2 / 3 - last.confidence)) / 5)
    assert expected_calibration_error(reliability_bins([0.7] * 10, [True] * 7 + [False] * 3)) == pytest.approx(0)
    with pytest.raises(InputError, match=r"\[0, 1\]"):
        reliability_bins([1.5], [True])


def test_confusion_plot_shows_counts_and_row_shares():
    ax = plot_confusion(GOLD, PRED, LABELS)
    texts = [t.get_text() for t in ax.texts]
    # favor row: 1 -> against, 2 -> favor; cells read "count\nshare of the row"
    assert "1\n33%" in texts and "2\n67%" in texts and "1\n100%" in texts
    assert [t.get_text() for t in ax.get_xticklabels()] == LABELS
    assert [t.get_text() for t in ax.get_yticklabels()] == ["against (1)", "favor (3)", "none (2)"]
    np.testing.assert_allclose(ax.images[0].get_array()[1], [1 / 3, 2 / 3, 0])
    assert "n=6" in ax.get_title() and "accuracy 0.67" in ax.get_title()


def test_top_label_reliability_plot_has_a_curve_and_counts():
    ax = plot_reliability(GOLD, PROBA, LABELS, n_bins=5)
    curve = next(line for line in ax.get_lines() if line.get_label() == "top label")
    bins = reliability_bins(PROBA.max(axis=1), PROBA.argmax(axis=1) == [LABELS.index(g) for g in GOLD], n_bins=5)
    np.testing.assert_allclose(curve.get_xdata(), [b.confidence for b in bins])
    np.testing.assert_allclose(curve.get_ydata(), [b.accuracy for b in bins])
    twin = next(other for other in ax.figure.axes if other is not ax)
    assert sorted(int(p.get_height()) for p in twin.patches) == sorted(b.n for b in bins)
    assert f"ECE {expected_calibration_error(bins):.3f}" in ax.get_title()


def test_per_class_reliability_plot_has_one_curve_per_label():
    ax = plot_reliability(GOLD, PROBA, LABELS, per_class=True)
    names = [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("perfect")]
    assert [n.split()[0] for n in names] == LABELS


def test_plot_inputs_are_checked():
    with pytest.raises(InputError, match=r"proba has shape \(6, 2\), expected \(6, 3\)"):
        plot_reliability(GOLD, PROBA[:, :2], LABELS)
    with pytest.raises(InputError, match=r"\['neutral'\] are not among"):
        plot_confusion([*GOLD[:-1], "neutral"], PRED, LABELS)
    with pytest.raises(InputError, match="6 gold labels but 5 predictions"):
        plot_confusion(GOLD, PRED[:-1], LABELS)


def test_evaluation_figure_is_written(tmp_path):
    fig = plot_evaluation(GOLD, PRED, PROBA, LABELS, path=tmp_path / "e.png", title="test")
    assert isinstance(fig, Figure) and len(fig.axes) >= 3  # confusion, its colour bar, reliability (+ twin)
    image = imread(tmp_path / "e.png")
    assert image.shape[1] > image.shape[0] > 300  # side by side: wider than high
    with pytest.raises(StancekitError, match="cannot write the plot"):
        plot_evaluation(GOLD, PRED, PROBA, LABELS, path=tmp_path / "missing" / "e.png")


def test_missing_matplotlib_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(StancekitError, match=r"pip install 'stancekit\[plot\]'"):
        plot_evaluation(GOLD, PRED, PROBA, LABELS)


def test_predict_labelled_matches_evaluate(small_model):
    import stancekit

    data = CORPUS / "article.jsonl"
    p = predict_labelled(small_model, data)
    assert p.proba.shape == (len(p.gold), len(p.labels)) and p.labels == list(small_model.classes_)
    assert p.pred == small_model.predict([r.text for r in p.records])
    assert p.report().to_dict() == stancekit.evaluate(small_model, data).to_dict()


def test_cli_evaluate_plot(small_model_path, tmp_path):
    out = tmp_path / "evaluation.png"
    proc = run_cli("evaluate", str(CORPUS / "article.jsonl"), "--model", str(small_model_path), "--plot", str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"macro-F1" in proc.stdout and f"wrote {out}".encode() in proc.stderr
    assert imread(out).shape[1] > 1000
    bad = run_cli(
        "evaluate", str(CORPUS / "article.jsonl"), "--model", str(small_model_path), "--plot", "/nonexistent/x.png"
    )
    assert bad.returncode == 2 and b"cannot write the plot" in bad.stderr
