"""Comparing two models on the same labelled data."""

from __future__ import annotations

import json

import pytest

import stancekit
from stancekit import InputError
from stancekit.compare import compare

from .conftest import corpus_records


@pytest.fixture(scope="module")
def held_out(small_records) -> list[dict]:
    """Statements the small models were not trained on (the next 30 per label)."""
    seen = {r["text"] for r in small_records}
    return [r for r in corpus_records(limit_per_label=90) if r["text"] not in seen]


@pytest.fixture(scope="module")
def weak_model(small_records):
    return stancekit.train(small_records[::4], cv=0, C=0.05)


def test_compare_side_by_side_and_changed(small_model, weak_model, held_out):
    result = compare(weak_model, small_model, held_out)
    assert result.n == len(held_out)
    assert result.labels == sorted(stancekit.DEFAULT_LABELS)
    assert result.report_a.macro_f1 == stancekit.evaluate(weak_model, held_out).macro_f1
    assert result.report_b.macro_f1 == stancekit.evaluate(small_model, held_out).macro_f1
    texts, actors = [r["text"] for r in held_out], [r.get("actor") for r in held_out]
    pa, pb = weak_model.predict(texts, actors), small_model.predict(texts, actors)
    assert len(result.changed) == sum(a != b for a, b in zip(pa, pb, strict=True)) > 0
    by_text = {r["text"]: r for r in held_out}
    for row in result.changed:
        assert row["a"] != row["b"] and row["gold"] == by_text[row["text"]]["label"]
        assert row["change"] == (
            "fixed" if row["b"] == row["gold"] else "broken" if row["a"] == row["gold"] else "both wrong"
        )
        assert row["where"].startswith("<records>:")
    counts = result.counts()
    assert sum(counts.values()) == len(result.changed)
    # Fixed minus broken is the difference in correct predictions.
    correct = [sum(p == r["label"] for p, r in zip(pred, held_out, strict=True)) for pred in (pa, pb)]
    assert counts["fixed"] - counts["broken"] == correct[1] - correct[0]
    text = result.format(show=2)
    assert "macro-F1" in text and "F1 A" in text and f"changed predictions: {len(result.changed)}" in text
    assert json.loads(json.dumps(result.to_dict()))["changed_counts"] == counts


def test_compare_same_model_changes_nothing(small_model, held_out):
    result = compare(small_model, small_model, held_out[:20])
    assert result.changed == [] and result.report_a.to_dict() == result.report_b.to_dict()


def test_compare_refuses_labels_a_model_does_not_know(small_model, held_out):
    two = stancekit.train(
        [dict(r, label="pro") for r in held_out[:20]] + [dict(r, label="con") for r in held_out[20:40]], cv=0
    )
    with pytest.raises(InputError, match="not among the model's labels"):
        compare(small_model, two, held_out[:10])


def test_cli_compare_json_and_changed_file(tmp_path, small_model_path, weak_model, held_out, capsys):
    from stancekit.cli import main

    weak = weak_model.save(tmp_path / "weak.skmodel")
    data = tmp_path / "held.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in held_out), encoding="utf-8")
    out_file = tmp_path / "changed.jsonl"
    code = main(["compare", str(weak), str(small_model_path), str(data), "--json", "-o", str(out_file)])
    out, err = capsys.readouterr()
    assert code == 0, err
    report = json.loads(out)
    rows = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert rows == report["changed"] and rows
    assert rows[0]["where"].startswith(f"{data}:") and {"gold", "a", "b", "text", "id"} <= set(rows[0])
    assert set(report["metrics"]["a"]["per_class"]) == set(stancekit.DEFAULT_LABELS)
    code = main(["compare", str(weak), str(small_model_path), str(data)])
    out, _ = capsys.readouterr()
    assert code == 0 and f"A: {weak}" in out and "dF1" in out
