"""Background sentences: the plainness rule, drawing from an archive, training with them."""

from __future__ import annotations

import gzip
import json

import numpy as np
import pytest

import stancekit
from stancekit import InputError
from stancekit.background import background_sentences, in_pool, is_plain
from stancekit.preprocess import Preprocessor

from .conftest import run_cli

PLAIN = [
    "We thank the President for the able way in which he has guided our work this year.",
    "Our schools now reach every child in the countryside, and literacy has doubled.",
    "The budget of the Organization must be managed with care and transparency.",
    "Small farmers need credit, roads and fair prices for what they grow.",
    "My delegation looks forward to the report of the Committee on its next session.",
    "The rise of the oceans is a threat to the very existence of low-lying islands.",
    "We are proud of the women who lead our ministries and our courts.",
    "Young people want jobs, not speeches, and they want them now.",
]
NOT_PLAIN = [
    "Spain does not recognise the independence of Kosovo.",  # names, status words
    "We call for dialogue between the two sides.",  # dialogue cue
    "We condemn this act in the strongest terms.",  # condemnation cue
    "The war has gone on for far too long.",  # guard word
    "Interference in the internal affairs of others is never acceptable.",  # guard word
]


def _analyses(texts):
    return list(Preprocessor().analyze(texts))


def test_plain_rule_accepts_plain_sentences_and_rejects_stance_bearing_ones():
    assert all(is_plain(a) for a in _analyses(PLAIN))
    assert not any(is_plain(a) for a in _analyses(NOT_PLAIN))


def test_rule_looks_through_negation_marks():
    # "not_" prefixes must not hide a status word from the rule.
    a = _analyses(["It does not accept the annexation."])[0]
    assert any(t.startswith("not_") for t in a.tokens) and not is_plain(a)


def test_pool_is_a_fixed_share():
    texts = [f"sentence number {i} of a long archive" for i in range(5000)]
    share = np.mean([in_pool(t) for t in texts])
    assert 0.07 < share < 0.13
    assert all(in_pool(t, pool=1) for t in texts[:50])


@pytest.fixture
def archive(tmp_path):
    path = tmp_path / "archive.jsonl"
    rows = [json.dumps({"text": t}) for t in PLAIN + NOT_PLAIN]
    rows.insert(3, "{not json")
    rows.insert(5, "")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_draws_only_plain_sentences_and_accounts_for_every_row(archive):
    bg = background_sentences(archive, n=5, pool=1)
    assert len(bg.texts) == len(bg.docs) == 5 and set(bg.texts) <= set(PLAIN)
    assert bg.rows == len(PLAIN) + len(NOT_PLAIN) + 2
    assert bg.unreadable == 1 and bg.examples[0].startswith(f"{archive}:4:")
    assert bg.eligible == len(PLAIN) + len(NOT_PLAIN)


def test_same_seed_same_sentences_and_fewer_when_the_pool_runs_out(archive):
    a = background_sentences(archive, n=4, pool=1, seed=3)
    b = background_sentences(archive, n=4, pool=1, seed=3)
    assert a.texts == b.texts
    orders = {tuple(background_sentences(archive, n=len(PLAIN), pool=1, seed=s).texts) for s in range(6)}
    assert len(orders) > 1
    everything = background_sentences(archive, n=100, pool=1)
    assert sorted(everything.texts) == sorted(PLAIN) and everything.examined == everything.eligible


def test_held_out_texts_are_left_out(archive):
    bg = background_sentences(archive, n=100, pool=1, exclude=["thank the President for the able way in which"])
    assert bg.held_out == 1 and PLAIN[0] not in bg.texts and len(bg.texts) == len(PLAIN) - 1


def test_gzipped_archive_and_bad_arguments(tmp_path, archive):
    gz = tmp_path / "archive.txt.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(PLAIN) + "\n")
    assert sorted(background_sentences(gz, n=100, pool=1).texts) == sorted(PLAIN)
    with pytest.raises(InputError, match="at least 1"):
        background_sentences(archive, n=0)
    with pytest.raises(InputError, match="no such file"):
        background_sentences(tmp_path / "missing.jsonl")


def test_training_adds_background_to_training_only(tmp_path, small_records):
    path = tmp_path / "plain.txt"
    path.write_text("\n".join(PLAIN) + "\n", encoding="utf-8")
    plain_model = stancekit.train(small_records, cv=3, background=path, background_n=6, background_pool=1)
    card = plain_model.card["background"]
    assert card["n"] == 6 and card["label"] == "none" and card["sources"] == [str(path)]
    # Never scored: cross-validation still covers exactly the corpus statements.
    assert plain_model.card["cv"]["n"] == len(small_records)
    assert sum(row["support"] for row in plain_model.card["cv"]["per_class"].values()) == len(small_records)
    base = stancekit.train(small_records, cv=0)
    probe = ["Our farmers need roads and fair prices, and our young people need jobs."]
    none = list(base.classes_).index("none")
    assert plain_model.predict_proba(probe)[0][none] > base.predict_proba(probe)[0][none]


def test_background_label_must_belong_to_the_scheme(tmp_path, small_records):
    path = tmp_path / "plain.txt"
    path.write_text("\n".join(PLAIN) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="background_label 'neither'"):
        stancekit.train(small_records, cv=0, background=path, background_label="neither")
    outside = tmp_path / "outside.txt"  # no row in the default pool (1 in 10)
    outside.write_text("\n".join(t for t in PLAIN if not in_pool(t)) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="no usable background sentence"):
        stancekit.train(small_records, cv=0, background=outside)
    garbled = tmp_path / "garbled.txt"  # the only row cannot be decoded: the error names it
    garbled.write_bytes(b"a sentence with \xff\xfe bytes that are not UTF-8 at all\n")
    with pytest.raises(InputError, match=f"1 unreadable: {garbled}:1: "):
        stancekit.train(small_records, cv=0, background=garbled, background_pool=1)
    latin = tmp_path / "latin.txt"
    latin.write_bytes(PLAIN[0].replace("able", "ablé").encode("latin-1") + b"\n")
    model = stancekit.train(small_records, cv=0, background=latin, background_pool=1, background_encoding="latin-1")
    assert model.card["background"]["n"] == 1 and model.card["background"]["unreadable"] == 0


def test_cli_train_with_background_reports_it(tmp_path, small_records):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in small_records) + "\n", encoding="utf-8")
    archive = tmp_path / "plain.txt"
    archive.write_text("\n".join(PLAIN) + "\n", encoding="utf-8")
    out = tmp_path / "m.skmodel"
    args = ["train", str(corpus), "-o", str(out), "--cv", "0", "--background", str(archive), "--background-n", "3"]
    args += ["--background-pool", "1"]
    proc = run_cli(*args)
    assert proc.returncode == 0, proc.stderr.decode()
    n = stancekit.load(out).card["background"]["n"]
    assert f"plus background: {n} plain sentences as 'none' (weight 1) from {archive}" in proc.stdout.decode()
    proc = run_cli("info", "--model", str(out))
    assert proc.returncode == 0 and f"background: {n} plain sentences" in proc.stdout.decode()
    bad = run_cli("train", str(corpus), "-o", str(out), "--background", str(tmp_path / "missing.txt"))
    assert bad.returncode != 0 and "missing.txt" in bad.stderr.decode() and "Traceback" not in bad.stderr.decode()


def test_background_weight_is_recorded_and_moves_the_model(tmp_path, small_records):
    path = tmp_path / "plain.txt"
    path.write_text("\n".join(PLAIN) + "\n", encoding="utf-8")
    probe = ["Our farmers need roads and fair prices, and our young people need jobs."]
    kw = {"cv": 0, "background": path, "background_n": 8, "background_pool": 1}
    light = stancekit.train(small_records, background_weight=0.1, **kw)
    heavy = stancekit.train(small_records, background_weight=3.0, **kw)
    assert light.card["background"]["weight"] == 0.1 and heavy.card["background"]["weight"] == 3.0
    none = list(light.classes_).index("none")
    assert heavy.predict_proba(probe)[0][none] > light.predict_proba(probe)[0][none]
    with pytest.raises(InputError, match="background_weight must be positive"):
        stancekit.train(small_records, background_weight=0, **kw)


def test_classifier_sample_weight_is_checked(small_records):
    texts = [r["text"] for r in small_records]
    labels = [r["label"] for r in small_records]
    with pytest.raises(InputError, match="one finite, non-negative weight per statement"):
        stancekit.StanceClassifier(vectors=None).fit(texts, labels, sample_weight=[1.0] * (len(texts) - 1))
    with pytest.raises(InputError, match="non-negative"):
        stancekit.StanceClassifier(vectors=None).fit(texts, labels, sample_weight=[-1.0] * len(texts))


def test_search_and_cross_validation_see_the_background_in_training_folds_only(tmp_path, small_records):
    path = tmp_path / "plain.txt"
    path.write_text("\n".join(PLAIN) + "\n", encoding="utf-8")
    model = stancekit.train(
        small_records,
        cv=2,
        search_grid={"C": [1.0, 10.0]},
        background=path,
        background_pool=1,
        background_weight=0.5,
    )
    assert model.card["search"]["n_candidates"] == 2 and model.card["cv"]["n"] == len(small_records)
    assert model.card["background"]["weight"] == 0.5
