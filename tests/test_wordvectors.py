"""Word vectors: building, features, persistence by reference, and their use in the classifier."""

from __future__ import annotations

import pickle
import random

import numpy as np
import pytest
import scipy.sparse as sp

from stancekit import InputError, ModelError, StanceClassifier
from stancekit.wordvectors import WordVectors, build_vectors, load_vectors, overlap_filter

from .conftest import run_cli


def _toy_sentences(n: int = 3000, seed: int = 0) -> list[list[str]]:
    """Two families of words that share contexts only within the family."""
    rng = random.Random(seed)
    trade = ["embargo", "sanction", "tariff", "quota"]
    land = ["secession", "partition", "annexation", "dismemberment"]
    out = []
    for _ in range(n):
        if rng.random() < 0.5:
            out.append(["impose", rng.choice(trade), "on", "export", "of", "good", rng.choice(["oil", "grain"])])
        else:
            out.append(
                ["condemn", "the", rng.choice(land), "of", "STATE", "territory", rng.choice(["border", "unity"])]
            )
    return out


@pytest.fixture(scope="module")
def toy() -> WordVectors:
    return build_vectors(_toy_sentences(), dim=4, min_count=5)


def test_build_puts_words_with_shared_contexts_together(toy):
    sim = toy.matrix @ toy.matrix.T
    i = toy.index
    assert sim[i["embargo"], i["sanction"]] > sim[i["embargo"], i["secession"]] + 0.5
    assert sim[i["secession"], i["annexation"]] > sim[i["secession"], i["tariff"]] + 0.5
    assert toy.most_similar("embargo", top=3)[0][0] in {"sanction", "tariff", "quota"}
    np.testing.assert_allclose(np.linalg.norm(toy.matrix, axis=1), 1.0, rtol=1e-5)


def test_build_refuses_too_few_words():
    with pytest.raises(InputError, match="too few for 50 dimensions"):
        build_vectors([["a", "b", "c"]] * 20, dim=50, min_count=1)


def test_transform_is_the_unit_mean_of_known_tokens(toy):
    got = toy.transform([["embargo", "unknown-word", "oil"], ["nothing", "known"], []])
    want = toy.matrix[toy.index["embargo"]] + toy.matrix[toy.index["oil"]]
    np.testing.assert_allclose(got[0], want / np.linalg.norm(want), rtol=1e-5)
    assert not got[1].any() and not got[2].any()
    assert got.shape == (3, toy.dim) and got.dtype == np.float32


def test_features_add_one_block_per_anchor_from_its_window(toy):
    tokens = [
        ["impose", "embargo", "on", "STATE", "export", "of", "oil", "grain", "unity"],
        ["condemn", "the", "secession", "of", "not_STATE", "territory"],
        ["impose", "tariff"],
    ]
    got = toy.features(tokens, anchors=("STATE", "ENTITY"), window=2)
    d = toy.dim
    assert got.shape == (3, 3 * d)
    np.testing.assert_allclose(got[:, :d], toy.transform(tokens))
    near = [["embargo", "on", "STATE", "export", "of"], ["secession", "of", "not_STATE", "territory"], []]
    np.testing.assert_allclose(got[:, d : 2 * d], toy.transform(near), rtol=1e-6)
    assert not got[:, 2 * d :].any()  # no ENTITY anywhere: a zero block
    assert not got[2, d:].any()
    np.testing.assert_allclose(toy.features(tokens), toy.transform(tokens))


def test_an_anchor_group_makes_one_block_for_all_its_tokens(toy):
    tokens = [["impose", "embargo", "on", "STATE", "export", "of", "oil", "ENTITY", "unity"], ["impose", "tariff"]]
    got = toy.features(tokens, anchors=(("STATE", "ENTITY"),), window=1)
    near = [["on", "STATE", "export", "oil", "ENTITY", "unity"], []]
    np.testing.assert_allclose(got[:, toy.dim :], toy.transform(near), rtol=1e-6)
    np.testing.assert_allclose(got[:, : toy.dim], toy.features(tokens)[:, : toy.dim])
    from stancekit.wordvectors import window_tokens

    assert window_tokens(tokens[0], ("STATE", "ENTITY"), 1) == near[0]


def test_save_load_round_trip_and_pickle_by_reference(toy, tmp_path):
    path = tmp_path / "toy.npz"
    digest = toy.save(path)
    loaded = load_vectors(path)
    assert loaded.words == toy.words and loaded.digest == digest and loaded.source == str(path)
    np.testing.assert_allclose(loaded.matrix, toy.matrix, atol=2e-3)  # stored as float16
    blob = pickle.dumps(loaded)
    assert len(blob) < 500  # a reference, not the matrix
    assert pickle.loads(blob) is loaded  # resolved through the cache
    assert len(pickle.dumps(toy)) > toy.matrix.nbytes  # built in memory: pickled whole


def test_unpickling_against_changed_vectors_is_refused(toy, tmp_path):
    path = tmp_path / "toy.npz"
    toy.save(path)
    blob = pickle.dumps(load_vectors(path))
    WordVectors(toy.words, toy.matrix[:, ::-1]).save(path)
    with pytest.raises(ModelError, match="SHA-256"):
        pickle.loads(blob)
    path.unlink()
    with pytest.raises(ModelError, match="cannot be loaded"):
        pickle.loads(blob)


def test_load_names_the_file_and_the_fix(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip file")
    with pytest.raises(InputError, match=r"bad\.npz is not a word-vector file"):
        load_vectors(bad)
    with pytest.raises(InputError, match="stancekit vectors build"):
        load_vectors(tmp_path / "missing.npz")


def test_shipped_vectors_cover_the_feature_vocabulary():
    vectors = load_vectors()
    assert len(vectors) > 10_000 and vectors.dim == 200
    for token in ("sovereignty", "recognize", "not_recognize", "STATE", "ENTITY", "embargo"):
        assert token in vectors.index, token
    near = {w for w, _ in vectors.most_similar("embargo", top=10)}
    assert near & {"sanction", "blockade", "coercive"}


def test_overlap_filter_matches_shared_six_grams_and_short_equal_texts():
    overlaps = overlap_filter(["The people of the island must decide their own future freely.", "Thank you."])
    assert overlaps("We agree: the people of the island must decide, and soon.")
    assert overlaps("thank you")
    assert not overlaps("The people of the island voted for a new parliament.")
    assert not overlaps("Thank you, Mr. President.")


def test_classifier_probabilities_equal_the_stacked_estimator(small_records):
    X = [r["text"] for r in small_records]
    for labels in (
        [r["label"] for r in small_records],
        ["none" if r["label"] == "none" else "x" for r in small_records],
    ):
        clf = StanceClassifier(C=5.0).fit(X, labels)
        assert clf.vectors_ is load_vectors()
        analyses = clf.analyze(X[:40])
        tokens = [a.tokens for a in analyses]
        dense = clf.vectors_.features(tokens, anchors=("STATE", "ENTITY"), window=3) * 0.5
        stacked = sp.hstack([clf.vectorizer_.transform([a.text for a in analyses]), dense], format="csr")
        np.testing.assert_allclose(clf.predict_proba(X[:40]), clf.estimator_.predict_proba(stacked), atol=1e-5)


def test_vectors_change_the_model_and_none_turns_them_off(small_records):
    X, y = [r["text"] for r in small_records], [r["label"] for r in small_records]
    plain = StanceClassifier(vectors=None).fit(X, y)
    assert plain.vectors_ is None
    assert plain.estimator_.coef_.shape[1] == len(plain.vectorizer_.vocabulary_)
    with_vectors = StanceClassifier().fit(X, y)
    assert with_vectors.estimator_.coef_.shape[1] == len(with_vectors.vectorizer_.vocabulary_) + 3 * 200
    mean_only = StanceClassifier(vector_window=None).fit(X, y)
    assert mean_only.estimator_.coef_.shape[1] == len(mean_only.vectorizer_.vocabulary_) + 200
    assert not np.allclose(plain.predict_proba(X[:20]), with_vectors.predict_proba(X[:20]))
    with pytest.raises(ValueError, match="vectors=3 is not supported"):
        StanceClassifier(vectors=3).fit(X, y)


def test_explain_splits_each_vector_block_into_word_shares(small_records):
    X, y = [r["text"] for r in small_records], [r["label"] for r in small_records]
    clf = StanceClassifier().fit(X, y)
    text = "Serbia will not recognise the unilateral declaration of independence of Kosovo."
    exp = clf.explain(text, top=10_000)
    shares = dict(exp["for"] + exp["against"])
    (analysis,) = clf.analyze([text])
    _, coef = clf.feature_weights()
    k = list(clf.classes_).index(exp["label"])
    rel = coef[k] - np.delete(coef, k, axis=0).mean(axis=0)
    n = len(clf.vectorizer_.vocabulary_)
    dense = clf._vector_features([analysis.tokens])[0]
    for b, block in enumerate(["vectors", "vectors near STATE", "vectors near ENTITY"]):
        block_share = float(dense[b * 200 : (b + 1) * 200] @ rel[n + b * 200 : n + (b + 1) * 200])
        words = {f: w for f, w in shares.items() if f.endswith(f" [{block}]")}
        assert words, block
        assert sum(words.values()) == pytest.approx(block_share, abs=5e-3)  # shares rounded to 4 places
    assert "ENTITY [vectors near ENTITY]" in shares and "STATE [vectors near STATE]" in shares
    plain = StanceClassifier(vectors=None).fit(X, y).explain(text, top=10_000)
    assert not [f for f, _ in plain["for"] + plain["against"] if "[vectors" in f]


def test_window_tokens_is_what_features_averages(toy):
    from stancekit.wordvectors import window_tokens

    tokens = [["impose", "STATE", "embargo", "on", "oil", "not_STATE", "grain", "unity", "border", "territory"]]
    got = toy.features(tokens, anchors=("STATE",), window=1)[:, toy.dim :]
    assert window_tokens(tokens[0], "STATE", 1) == ["impose", "STATE", "embargo", "oil", "not_STATE", "grain"]
    np.testing.assert_allclose(got, toy.transform([window_tokens(tokens[0], "STATE", 1)]), rtol=1e-6)


def test_models_pickled_before_vectors_load_as_ngram_models(small_records):
    X, y = [r["text"] for r in small_records], [r["label"] for r in small_records]
    clf = StanceClassifier(vectors=None).fit(X, y)
    state = dict(clf.__dict__)
    for key in ("vectors", "vector_weight", "vectors_"):
        state.pop(key)
    old = StanceClassifier.__new__(StanceClassifier)
    old.__setstate__(state)
    assert old.get_params()["vectors"] is None
    np.testing.assert_allclose(old.predict_proba(X[:10]), clf.predict_proba(X[:10]))


def test_cli_vectors_build_excludes_held_out_and_counts_bad_rows(tmp_path):
    sentences = [" ".join(s) + "." for s in _toy_sentences(600, seed=1)]
    src = tmp_path / "sentences.txt"
    src.write_text("\n".join(sentences) + "\n", encoding="utf-8")
    held = tmp_path / "held.jsonl"
    held.write_text('{"text": "' + sentences[0] + '"}\n', encoding="utf-8")
    out = tmp_path / "v.npz"
    proc = run_cli(
        "vectors", "build", str(src), "--exclude", str(held), "-o", str(out), "--dim", "4", "--min-count", "3"
    )
    assert proc.returncode == 0, proc.stderr
    left_out = sum(map(overlap_filter([sentences[0]]), sentences))
    assert 1 <= left_out < 600
    assert f"learnt from {600 - left_out:,} sentences, {left_out:,} left out" in proc.stdout.decode()
    assert load_vectors(out).dim == 4


def test_probabilities_do_not_depend_on_the_batch(small_records):
    X, y = [r["text"] for r in small_records], [r["label"] for r in small_records]
    clf = StanceClassifier().fit(X, y)
    X = (X * 20)[:3000]  # large enough for BLAS to block the rows differently
    whole = clf.predict_proba(X)
    pieces = np.vstack([clf.predict_proba(X[i : i + 7]) for i in range(0, len(X), 7)])
    assert np.array_equal(whole, pieces)  # bit for bit: batch output must not depend on chunking


def test_cli_vectors_build_reports_bad_input_without_traceback(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    proc = run_cli("vectors", "build", str(empty), "-o", str(tmp_path / "v.npz"))
    assert proc.returncode == 2 and b"too few for 200 dimensions" in proc.stderr
    missing_dir = tmp_path / "nowhere" / "v.npz"
    proc = run_cli("vectors", "build", str(empty), "-o", str(missing_dir))
    assert proc.returncode == 2 and b"nowhere does not exist" in proc.stderr
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"impose embargo on oil\n\xff\xfe broken\nimpose tariff on grain\n")
    proc = run_cli("vectors", "build", str(bad), "-o", str(tmp_path / "b.npz"), "--dim", "1", "--min-count", "1")
    assert proc.returncode == 1  # written, but a row was unreadable
    assert (
        f"{bad}:2:".encode() in proc.stderr and b"2 sentences, 0 left out (--exclude), 1 unreadable rows" in proc.stdout
    )
    assert b"Traceback" not in proc.stderr


def test_cli_vectors_build_refuses_an_unreadable_exclude_row(tmp_path):
    src = tmp_path / "s.txt"
    src.write_text("impose embargo on oil\nimpose tariff on grain\n", encoding="utf-8")
    held = tmp_path / "held.jsonl"
    held.write_text('{"text": "impose embargo on oil"}\n\n{"text": broken\n', encoding="utf-8")
    proc = run_cli("vectors", "build", str(src), "--exclude", str(held), "-o", str(tmp_path / "v.npz"))
    assert proc.returncode == 2
    assert f"{held}:3:".encode() in proc.stderr and b"--exclude row" in proc.stderr
    assert not (tmp_path / "v.npz").exists()
