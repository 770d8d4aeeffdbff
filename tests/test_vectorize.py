"""The fast TF-IDF transform gives exactly scikit-learn's matrix."""

from __future__ import annotations

import json
from itertools import islice

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

import stancekit
from stancekit.vectorize import _count_matrix_loop, supports_fast_transform, transform_texts, transform_tokens

from .conftest import UNGD


def _same(a, b) -> None:
    assert a.shape == b.shape and a.dtype == b.dtype and type(a) is type(b)
    assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)


@pytest.fixture(scope="module")
def feature_texts():
    model = stancekit.load()
    with open(UNGD / "keyword-sentences.jsonl", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in islice(fh, 1500)]
    return [a.text for a in model.estimator.analyze(texts)]


@pytest.mark.parametrize("which", ["default", "small"])
def test_fast_transform_equals_sklearn_on_real_statements(feature_texts, small_model, which):
    vec = (stancekit.load() if which == "default" else small_model).estimator.vectorizer_
    assert supports_fast_transform(vec)
    docs = [*feature_texts, "", "STATE", "not_recognize ENTITY ENTITY", "unknownword another"]
    _same(transform_texts(vec, docs), vec.transform(docs))
    _same(transform_tokens(vec, [d.split() for d in docs]), vec.transform(docs))
    counts = _count_matrix_loop(vec, [d.split() for d in docs])  # the fallback for huge vocabularies
    _same(vec._tfidf.transform(counts), vec.transform(docs))


WORDS = st.sampled_from(["a", "b", "c", "d", "not_b", "STATE", "zz"])


@settings(max_examples=60, deadline=None)
@given(
    train=st.lists(st.lists(WORDS, min_size=1, max_size=8).map(" ".join), min_size=2, max_size=12),
    docs=st.lists(st.lists(WORDS, max_size=10).map(" ".join), min_size=1, max_size=8),
    ngram_max=st.integers(1, 4),
    min_df=st.integers(1, 2),
    binary=st.booleans(),
)
def test_fast_transform_equals_sklearn_for_any_ngram_range(train, docs, ngram_max, min_df, binary):
    vec = TfidfVectorizer(
        token_pattern=r"\S+", lowercase=False, ngram_range=(1, ngram_max), min_df=min_df, binary=binary
    )
    try:
        vec.fit(train)
    except ValueError:  # nothing left after min_df
        return
    assert supports_fast_transform(vec)
    _same(transform_texts(vec, docs), vec.transform(docs))


def test_other_vectorizers_fall_back_to_their_own_transform():
    texts = ["aa bb cc", "bb cc dd", "aa dd"]
    for vec in (
        TfidfVectorizer(ngram_range=(2, 3), token_pattern=r"\S+"),
        TfidfVectorizer(max_features=2),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3)),
    ):
        vec.fit(texts)
        assert not supports_fast_transform(vec)
        _same(transform_texts(vec, texts), vec.transform(texts))
        _same(transform_tokens(vec, [t.split() for t in texts]), vec.transform(texts))


def test_pickle_friendly_vocabulary_round_trips_and_leaves_the_original_alone() -> None:
    import io
    import pickle

    import joblib

    from stancekit.vectorize import pickle_friendly

    docs = ["STATE sovereignty be respect", "not_recognize the ENTITY", "the ENTITY sovereignty"] * 2
    vec = TfidfVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=(1, 3), min_df=2).fit(docs)
    before = dict(vec.vocabulary_)
    packed = pickle_friendly(vec)
    assert packed is not vec and vec.vocabulary_ == before  # a copy; the original keeps its dict
    buf = io.BytesIO()
    joblib.dump(packed, buf)
    for loaded in (joblib.load(io.BytesIO(buf.getvalue())), pickle.loads(pickle.dumps(packed))):
        assert type(loaded.vocabulary_) is dict and loaded.vocabulary_ == before
        _same(loaded.transform(docs), vec.transform(docs))


def test_pickle_friendly_leaves_unpackable_vectorizers_as_they_are() -> None:
    from stancekit.vectorize import pickle_friendly

    unfitted = TfidfVectorizer()
    assert pickle_friendly(unfitted) is unfitted
    odd = TfidfVectorizer().fit(["aa bb", "bb cc"])
    odd.vocabulary_ = {"aa\nbb": 0, "cc": 1}  # a term with a newline cannot be joined by newlines
    assert pickle_friendly(odd) is odd
    gap = TfidfVectorizer().fit(["aa bb", "bb cc"])
    gap.vocabulary_ = {"aa": 0, "bb": 2}  # indices not 0 .. n - 1
    assert pickle_friendly(gap) is gap
    assert pickle_friendly("not a vectorizer") == "not a vectorizer"
