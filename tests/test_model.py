"""Saving and loading models: round trip, integrity and version checks."""

from __future__ import annotations

import json

import numpy as np
import pytest

import stancekit
from stancekit import ModelError, ModelIntegrityError, ModelVersionError
from stancekit.model import MAGIC, read_header

TEXTS = [
    "The Republic of Cyprus rejects any proposal for two states on the island.",
    "Exports of citrus fruit rose sharply this season.",
    "We call on both sides to show restraint and return to talks.",
    "We recognise the independence of the Republic of Abkhazia.",
]


def test_round_trip_predicts_identically(small_model, tmp_path):
    path = small_model.save(tmp_path / "m.skmodel")
    again = stancekit.load(path)
    assert again.predict(TEXTS) == small_model.predict(TEXTS)
    np.testing.assert_array_equal(again.predict_proba(TEXTS), small_model.predict_proba(TEXTS))
    assert again.card["sha256"] == small_model.card["sha256"]
    assert list(again.classes_) == list(small_model.classes_)


def test_save_is_atomic_and_leaves_no_temp_files(small_model, tmp_path):
    small_model.save(tmp_path / "m.skmodel")
    small_model.save(tmp_path / "m.skmodel")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.skmodel"]


def test_tampered_model_is_refused(small_model_path, tmp_path):
    data = bytearray(small_model_path.read_bytes())
    data[-100] ^= 0xFF
    bad = tmp_path / "tampered.skmodel"
    bad.write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match="changed since it was saved"):
        stancekit.load(bad)


def test_truncated_model_is_refused(small_model_path, tmp_path):
    bad = tmp_path / "truncated.skmodel"
    bad.write_bytes(small_model_path.read_bytes()[:-500])
    with pytest.raises(ModelIntegrityError, match="truncated"):
        stancekit.load(bad)


def test_foreign_file_is_refused(tmp_path):
    import joblib

    foreign = tmp_path / "foreign.joblib"
    joblib.dump({"not": "a model"}, foreign)
    with pytest.raises(ModelError, match="not a stancekit model"):
        stancekit.load(foreign)
    with pytest.raises(ModelError, match="does not exist"):
        stancekit.load(tmp_path / "missing.skmodel")


def _rewrite_header(src, dst, **changes):
    header, offset = read_header(src)
    header.update(changes)
    payload = src.read_bytes()[offset:]
    dst.write_bytes(MAGIC + b" 1\n" + json.dumps(header).encode() + b"\n" + payload)


def test_incompatible_sklearn_version_is_refused_naming_both(small_model_path, tmp_path):
    import sklearn

    bad = tmp_path / "old.skmodel"
    _rewrite_header(small_model_path, bad, sklearn_version="0.24.2")
    with pytest.raises(ModelVersionError) as exc:
        stancekit.load(bad)
    assert "0.24.2" in str(exc.value) and sklearn.__version__ in str(exc.value)


def test_newer_stancekit_version_is_refused(small_model_path, tmp_path):
    bad = tmp_path / "future.skmodel"
    _rewrite_header(small_model_path, bad, stancekit_version="9.0.0")
    with pytest.raises(ModelVersionError, match=r"9\.0\.0"):
        stancekit.load(bad)


def test_named_models_resolve():
    assert "default" in stancekit.list_models()
    assert stancekit.load("default").card["sha256"] == stancekit.load().card["sha256"]
    with pytest.raises(ModelError, match="named models"):
        stancekit.load("no-such-model")


def test_bytes_round_trip_keeps_the_integrity_checks(small_model, small_model_path):
    from stancekit.model import from_bytes

    data = small_model.to_bytes()
    assert data.startswith(MAGIC)
    again = from_bytes(data)
    np.testing.assert_array_equal(again.predict_proba(TEXTS), small_model.predict_proba(TEXTS))
    assert from_bytes(small_model_path.read_bytes()).predict(TEXTS) == small_model.predict(TEXTS)
    tampered = bytearray(data)
    tampered[-10] ^= 0xFF
    with pytest.raises(ModelIntegrityError, match="<bytes> has changed since it was saved"):
        from_bytes(bytes(tampered))
    with pytest.raises(ModelIntegrityError, match="truncated"):
        from_bytes(data[:-5])
    with pytest.raises(ModelError, match="not a stancekit model"):
        from_bytes(b"PK\x03\x04 something else")
