"""Training from corpora and records; cross-validation; evaluation."""

from __future__ import annotations

import json

import pytest

import stancekit
from stancekit import CorpusError, InputError
from stancekit.train import score


def test_train_from_paths_builds_card(tmp_path, small_records):
    p = tmp_path / "c.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in small_records) + "\n", encoding="utf-8")
    model = stancekit.train([p], cv=3)
    card = model.card
    assert card["corpus"]["n"] == len(small_records)
    assert card["corpus"]["paths"] == [str(p)] and len(card["corpus"]["digest"]) == 64
    assert "dispute" in card["cv"]["scheme"] and 0 < card["cv"]["macro_f1"] <= 1
    assert card["params"]["C"] == 10.0


def test_same_inputs_same_predictions(small_records):
    a = stancekit.train(small_records, cv=0)
    b = stancekit.train(list(reversed(small_records)), cv=0)
    texts = [r["text"] for r in small_records[:30]]
    assert a.predict(texts) == b.predict(texts)


def test_duplicates_merged_and_conflicts_reported(small_records):
    dup = dict(small_records[0])
    model = stancekit.train([*small_records, dup], cv=0)
    assert model.card["corpus"]["merged_duplicates"] == 1
    clash = dict(small_records[0], label="none" if small_records[0]["label"] != "none" else "favor")
    with pytest.raises(CorpusError, match="conflicting labels"):
        stancekit.train([*small_records, clash], cv=0)


def test_eval_overlap_with_training_is_refused(small_records):
    with pytest.raises(InputError, match="also appear in the training data"):
        stancekit.train(small_records, cv=0, eval_data=small_records[:3])


def test_label_scheme_enforced(small_records):
    with pytest.raises(stancekit.LabelError):
        stancekit.train([{"text": "x y", "label": "maybe"}, *small_records], labels=stancekit.DEFAULT_LABELS, cv=0)


def test_evaluate_parts_and_unknown_labels(small_model, small_records):
    report = stancekit.evaluate(small_model, small_records[:50], parts="dispute")
    assert report.n == 50 and report.parts
    assert sum(p.n for p in report.parts.values()) <= 50
    with pytest.raises(InputError, match="not among the model's labels"):
        stancekit.evaluate(small_model, [{"text": "a b c", "label": "pro"}])


def test_score_figures():
    r = score(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    assert r.accuracy == 0.75 and r.confusion == [[1, 1], [0, 2]]
    assert r.per_class["a"]["recall"] == 0.5 and r.per_class["b"]["precision"] == pytest.approx(0.6667, abs=1e-3)
