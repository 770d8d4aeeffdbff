"""Attribution frames: framed copies of training statements, and their place in training."""

from __future__ import annotations

import numpy as np
import pytest

import stancekit
from stancekit import InputError
from stancekit.frames import FRAMES, frame, framed_copies
from stancekit.train import _with_extras


def test_frame_placeholders():
    text = "The vote has no legal effect."
    assert frame(text, '"{q}," the spokesperson said.') == '"The vote has no legal effect," the spokesperson said.'
    assert frame(text, "Officials said {r}") == "Officials said the vote has no legal effect."
    # Names keep their capital (the gazetteer matches them as written).
    assert frame("Spain will not recognise it.", "Officials said {r}") == "Officials said Spain will not recognise it."
    assert frame(text, 'He said: "{s}"') == 'He said: "The vote has no legal effect."'


def test_framed_copies_are_stable_and_use_many_frames():
    texts = [f"Statement number {i} on the border question." for i in range(200)]
    copies = framed_copies(texts)
    assert copies == framed_copies(list(texts)) and len(copies) == len(texts)
    assert all(t.rstrip(".").lower().split(" ", 1)[1] in c.lower() for t, c in zip(texts, copies, strict=True))
    used = {next(f for f in FRAMES if frame(t, f) == c) for t, c in zip(texts, copies, strict=True)}
    assert len(used) > len(FRAMES) // 2
    with pytest.raises(InputError, match="frames is empty"):
        framed_copies(texts, frames=())


def test_copies_join_only_the_training_folds_of_their_statement():
    docs, y = ["a", "b", "c", "d"], np.asarray(["x", "y", "x", "y"], dtype=object)
    splits = [(np.array([0, 1]), np.array([2, 3])), (np.array([2, 3]), np.array([0, 1]))]
    all_docs, all_y, w, folds, mask = _with_extras(
        docs, y, splits, (["bg"], "x", 0.25), (["A", "B", "C", "D"], 0.5, None)
    )
    assert all_docs == ["a", "b", "c", "d", "A", "B", "C", "D", "bg"]
    assert all_y.tolist() == ["x", "y", "x", "y", "x", "y", "x", "y", "x"]
    assert w.tolist() == [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25]
    assert [all_docs[i] for i in folds[0][0]] == ["a", "b", "A", "B", "bg"]
    assert [all_docs[i] for i in folds[1][0]] == ["c", "d", "C", "D", "bg"]
    assert [f[1].tolist() for f in folds] == [[2, 3], [0, 1]]  # scored: statements only
    assert mask.tolist() == [True] * 4 + [False] * 4 + [True]  # copies are not documents for min_df
    _, _, w, _, mask = _with_extras(docs, y, splits, None, None)
    assert w is None and mask is None


def test_copies_of_some_statements_follow_their_statement():
    docs, y = ["a", "b", "c", "d"], np.asarray(["x", "y", "x", "y"], dtype=object)
    splits = [(np.array([0, 1]), np.array([2, 3])), (np.array([2, 3]), np.array([0, 1]))]
    all_docs, all_y, w, folds, mask = _with_extras(docs, y, splits, None, (["D", "A"], 1.0, [3, 0]))
    assert all_docs == ["a", "b", "c", "d", "D", "A"]
    assert all_y.tolist() == ["x", "y", "x", "y", "y", "x"]  # each copy has its statement's label
    assert w is None  # every document weighs 1
    assert [all_docs[i] for i in folds[0][0]] == ["a", "b", "A"]
    assert [all_docs[i] for i in folds[1][0]] == ["c", "d", "D"]
    assert mask.tolist() == [True] * 4 + [False] * 2
    with pytest.raises(ValueError, match="2 framed copies for 1 statement indices"):
        _with_extras(docs, y, splits, None, (["D", "A"], 1.0, [3]))
    with pytest.raises(ValueError, match="among 4 statements"):
        _with_extras(docs, y, splits, None, (["D"], 1.0, [4]))


def test_train_with_frames_records_them_and_refuses_bad_weights(small_records):
    model = stancekit.train(small_records, cv=2, frames=0.5)
    card = {"templates": len(FRAMES), "weight": 0.5, "copies": len(small_records), "except_forms": []}
    assert model.card["frames"] == card
    plain = stancekit.train(small_records, cv=0)
    assert "frames" not in plain.card
    # The copies repeat their statement's n-grams; they must not let every n-gram pass min_df.
    assert model.estimator.vectorizer_.vocabulary_ == plain.estimator.vectorizer_.vocabulary_
    texts = [r["text"] for r in small_records[:40]]
    assert model.predict(texts) != plain.predict(texts) or not np.allclose(
        model.predict_proba(texts), plain.predict_proba(texts)
    )
    for bad in (0, -1.0):
        with pytest.raises(InputError, match="frames must be a positive weight"):
            stancekit.train(small_records, cv=0, frames=bad)


def test_cli_train_frames_option_and_card_lines(tmp_path, capsys, small_records):
    from .test_train import _cli, _write

    corpus = _write(tmp_path / "c.jsonl", small_records)
    out_path = tmp_path / "m.skmodel"
    code, out, err = _cli(capsys, "train", corpus, "-o", out_path, "--cv", "0", "--frames", "1")
    assert code == 0, err
    line = f"{len(small_records)} statements wrapped in one of {len(FRAMES)} attribution frames (weight 1)"
    assert f"plus framed copies: {line}" in out
    code, out, err = _cli(capsys, "info", "--model", out_path)
    assert code == 0 and f"framed copies: {line}" in out


def test_frames_except_leaves_out_a_form(small_records):
    records = [dict(r, form="speech" if i % 3 == 0 else "ministry") for i, r in enumerate(small_records)]
    n_speech = sum(r["form"] == "speech" for r in records)
    model = stancekit.train(records, cv=2, frames=1.0, frames_except=["speech"])
    assert model.card["frames"]["copies"] == len(records) - n_speech
    assert model.card["frames"]["except_forms"] == ["speech"]
    everything = stancekit.train(records, cv=0, frames=1.0)
    texts = [r["text"] for r in records[:60]]
    assert not np.allclose(model.predict_proba(texts), everything.predict_proba(texts))
    with pytest.raises(InputError, match=r"form\(s\) \['speach'\] that no statement has.*'ministry', 'speech'"):
        stancekit.train(records, cv=0, frames=1.0, frames_except=["speach"])
    with pytest.raises(InputError, match="needs frames="):
        stancekit.train(records, cv=0, frames_except=["speech"])


def test_cli_frames_except(tmp_path, capsys, small_records):
    from .test_train import _cli, _write

    records = [dict(r, form="speech" if i % 2 else "news") for i, r in enumerate(small_records)]
    corpus = _write(tmp_path / "c.jsonl", records)
    out_path = tmp_path / "m.skmodel"
    args = ("train", corpus, "-o", out_path, "--cv", "0", "--frames", "1", "--frames-except", "speech")
    code, out, err = _cli(capsys, *args)
    assert code == 0, err
    n = sum(r["form"] == "news" for r in records)
    assert f"{n} statements wrapped in one of {len(FRAMES)} attribution frames (weight 1); none of form speech" in out
    code, out, err = _cli(capsys, "train", corpus, "-o", out_path, "--cv", "0", "--frames", "1", "--frames-except", "x")
    assert code != 0 and "--frames-except names form(s) ['x']" in err and "Traceback" not in err
