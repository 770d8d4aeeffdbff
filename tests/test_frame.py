"""classify_frame: one result row per DataFrame row, index kept, errors as rows."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

import stancekit
from stancekit import InputError, StancekitError, classify_frame
from stancekit.frame import RESULT_COLUMNS

TEXTS = [
    "Spain does not recognise Kosovo's independence.",
    "Exports of citrus fruit rose sharply this season.",
    "We call on both sides to show restraint and return to talks.",
]


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"speech": [TEXTS[0], None, TEXTS[1], "  ", TEXTS[2]], "year": [2019, 2020, 2021, 2022, 2023]},
        index=pd.Index(["a", "b", "c", "d", "e"], name="id"),
    )


def test_columns_index_and_values_match_classify(frame, small_model):
    before = frame.copy()
    out = classify_frame(frame, "speech", small_model)
    pd.testing.assert_frame_equal(frame, before)  # the input is not changed
    assert list(out.columns) == list(RESULT_COLUMNS)
    assert out.index.equals(frame.index) and out.index.name == "id"
    expected = small_model.classify(TEXTS)
    good = out.loc[["a", "c", "e"]]
    assert good["label"].tolist() == [r.label for r in expected]
    assert good["scores"].tolist() == [r.scores for r in expected]
    assert good["confidence"].tolist() == [r.confidence for r in expected]
    assert good.loc["a", "state"] == "Serbia" and good.loc["a", "dispute"] == "kosovo"
    assert out["error"].isna().tolist() == [True, False, True, False, True]
    assert out.dtypes["confidence"] == np.float64 and out.dtypes["uncertain"] == np.dtype(bool)


def test_missing_and_empty_texts_become_error_rows(frame, small_model):
    out = classify_frame(frame, "speech", small_model)
    assert out.loc["b", "error"] == "missing text" and pd.isna(out.loc["b", "label"])
    assert out.loc["d", "error"] == "empty text" and np.isnan(out.loc["d", "confidence"])
    assert out.loc["b", "scores"] == {}


def test_prefix_and_join_onto_the_frame(frame, small_model):
    out = frame.join(classify_frame(frame, "speech", small_model, prefix="stance_"))
    assert [c for c in out.columns if c.startswith("stance_")] == [f"stance_{c}" for c in RESULT_COLUMNS]
    assert out["year"].tolist() == frame["year"].tolist()
    assert out.loc["a", "stance_label"] == small_model.predict(TEXTS[:1])[0]


def test_min_confidence_marks_uncertain_rows(frame, small_model):
    out = classify_frame(frame, "speech", small_model, min_confidence=1.0)
    assert out["uncertain"].tolist() == [True, False, True, False, True]


def test_a_series_duplicate_index_and_an_empty_frame(small_model):
    series = pd.Series(TEXTS + TEXTS[:1], index=[7, 7, 3, 1])
    out = classify_frame(series, model=small_model)
    assert out.index.tolist() == [7, 7, 3, 1]
    assert out["label"].iloc[0] == out["label"].iloc[3]
    empty = classify_frame(pd.DataFrame({"text": []}), model=small_model)
    assert list(empty.columns) == list(RESULT_COLUMNS) and len(empty) == 0


def test_default_model_is_the_shipped_one():
    out = classify_frame(pd.DataFrame({"text": TEXTS[:1]}))
    assert out["label"].tolist() == [stancekit.classify(TEXTS[:1])[0].label]


def test_bad_arguments_name_the_fix(frame, small_model):
    with pytest.raises(InputError, match=r"column 'text' is not in the DataFrame \(columns: 'speech', 'year'\)"):
        classify_frame(frame, model=small_model)
    with pytest.raises(InputError, match="takes a pandas DataFrame or Series, got list"):
        classify_frame(TEXTS, model=small_model)
    with pytest.raises(InputError, match="min_confidence"):
        classify_frame(frame, "speech", small_model, min_confidence=2)


def test_missing_pandas_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes `import pandas` fail
    with pytest.raises(StancekitError, match=r"pip install 'stancekit\[pandas\]'"):
        classify_frame(object())


def test_actor_column_reads_first_person_as_the_speaker(small_model):
    claim = "We will never give up a single inch of our territory."
    df = pd.DataFrame({"text": [claim] * 3, "who": ["Kosovo", "Serbia", np.nan]}, index=[7, 8, 9])
    out = classify_frame(df, model=small_model, actor_column="who")
    assert out.index.tolist() == [7, 8, 9]
    assert out.dispute.tolist()[:2] == ["kosovo", "kosovo"] and pd.isna(out.dispute[9])
    expected = stancekit.classify([claim] * 3, small_model, actors=["Kosovo", "Serbia", None])
    assert out.scores.tolist() == [r.scores for r in expected]
    assert out.scores[7] != out.scores[8]
    with pytest.raises(InputError, match="actor_column 'speaker'"):
        classify_frame(df, model=small_model, actor_column="speaker")
    with pytest.raises(InputError, match="a Series has none"):
        classify_frame(df["text"], model=small_model, actor_column="who")
