"""A faster ``TfidfVectorizer.transform`` for feature tokens, with identical output.

scikit-learn's word analyzer builds every n-gram of a document as a string and looks it
up in the vocabulary, catching a ``KeyError`` for each one it does not know. With
``ngram_range=(1, 3)`` that is three strings and three lookups per token, most of them
misses on text unlike the training corpus.

When the vocabulary is closed under prefixes (every n-gram's first ``n - 1`` tokens are
in it too) the n-grams starting at a token can be grown one token at a time and
abandoned at the first miss. That holds for a vocabulary learned by ``fit`` with
``min_n == 1`` and pruned only by ``min_df`` (a prefix occurs in every document its
n-gram occurs in), which is how :class:`~stancekit.classifier.StanceClassifier` builds
its vectorizer. The counts are then assembled exactly as scikit-learn assembles them and
handed to the fitted TF-IDF transformer, so the result is the same matrix. Any other
vectorizer falls back to its own ``transform``.
"""

from __future__ import annotations

import copy
import threading
import weakref
from array import array
from collections.abc import Sequence
from itertools import repeat
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

__all__ = ["pickle_friendly", "supports_fast_transform", "transform_texts", "transform_tokens"]


def supports_fast_transform(vectorizer: Any) -> bool:
    """Whether :func:`transform_texts` can take the fast path for ``vectorizer``.

    True for a fitted plain :class:`~sklearn.feature_extraction.text.TfidfVectorizer`
    over whitespace-separated tokens (``token_pattern=r"\\S+"``, no lower-casing, accent
    stripping, stop words, custom analyzer/tokenizer/preprocessor, fixed vocabulary,
    ``max_features`` or ``max_df`` pruning) with ``ngram_range`` starting at 1.
    """
    v = vectorizer
    return (
        type(v) is TfidfVectorizer
        and hasattr(v, "vocabulary_")
        and hasattr(v, "_tfidf")
        and v.analyzer == "word"
        and v.token_pattern == r"\S+"
        and v.input == "content"
        and v.tokenizer is None
        and v.preprocessor is None
        and not v.lowercase
        and v.strip_accents is None
        and v.stop_words is None
        and v.vocabulary is None
        and v.max_features is None
        and isinstance(v.max_df, float)
        and v.max_df >= 1.0
        and int(v.ngram_range[0]) == 1
    )


def transform_texts(vectorizer: Any, texts: Sequence[str]) -> Any:
    """``vectorizer.transform(texts)``, faster for the vectorizers stancekit fits.

    Parameters
    ----------
    vectorizer : fitted scikit-learn text vectorizer
        Typically ``StanceClassifier.vectorizer_``.
    texts : sequence of str
        Space-separated feature tokens, one string per statement.

    Returns
    -------
    sparse matrix of shape (len(texts), n_features)
        The same matrix ``vectorizer.transform(texts)`` returns.
    """
    if not supports_fast_transform(vectorizer):
        return vectorizer.transform(texts)
    # str.split() splits on exactly the characters r"\S+" does not match.
    return _tfidf(vectorizer, [text.split() for text in texts])


def transform_tokens(vectorizer: Any, docs: Sequence[Sequence[str]]) -> Any:
    """:func:`transform_texts` of ``" ".join(tokens)`` for each token list, without the join.

    Parameters
    ----------
    vectorizer : fitted scikit-learn text vectorizer
    docs : sequence of sequences of str
        Feature tokens (without whitespace), one sequence per statement.

    Returns
    -------
    sparse matrix of shape (len(docs), n_features)
    """
    if not supports_fast_transform(vectorizer):
        return vectorizer.transform([" ".join(tokens) for tokens in docs])
    return _tfidf(vectorizer, docs)


def _tfidf(vectorizer: TfidfVectorizer, docs: Sequence[Sequence[str]]) -> Any:
    counts = _count_matrix(vectorizer, docs)
    if vectorizer.binary:
        counts.data.fill(1)
    return vectorizer._tfidf.transform(counts, copy=False)


class _PackedVocabulary:
    """A vocabulary that pickles as one string of its terms, in feature order.

    It unpickles as the plain ``dict`` it was made from: its ``__reduce__`` names
    :func:`_unpack_vocabulary`, so nothing else needs to know it existed.
    """

    __slots__ = ("terms",)

    def __init__(self, terms: str):
        self.terms = terms

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return _unpack_vocabulary, (self.terms,)


def _unpack_vocabulary(terms: str) -> dict[str, int]:
    """The vocabulary ``{term: index}`` of terms joined by newlines in index order."""
    keys = terms.split("\n")
    return dict(zip(keys, range(len(keys)), strict=True))


def pickle_friendly(vectorizer: Any) -> Any:
    """``vectorizer``, or a copy of it whose vocabulary pickles as one string.

    joblib unpickles with Python's pure-Python unpickler (to read numpy arrays in place),
    which reads a dict of 100,000 n-grams about eight times slower than the same n-grams
    as one string split on load; that is most of the time a model takes to load. Only a
    fitted :class:`~sklearn.feature_extraction.text.TfidfVectorizer` whose indices are
    ``0 .. n - 1`` and whose terms hold no newline is packed (any other is returned as
    is); the copy is shallow, the original is left untouched, and the unpickled
    vectorizer has an equal vocabulary (its indices as Python ints).

    Parameters
    ----------
    vectorizer : object
        A fitted vectorizer (or anything else, returned unchanged).

    Returns
    -------
    object
        What to pickle in its place.
    """
    vocabulary = getattr(vectorizer, "vocabulary_", None)
    if type(vectorizer) is not TfidfVectorizer or type(vocabulary) is not dict or not vocabulary:
        return vectorizer
    terms = [""] * len(vocabulary)
    for term, i in vocabulary.items():
        ok = isinstance(term, str) and term and "\n" not in term and isinstance(i, (int, np.integer))
        if not ok or not 0 <= i < len(terms) or terms[i]:
            return vectorizer
        terms[i] = term
    packed = copy.copy(vectorizer)
    packed.vocabulary_ = _PackedVocabulary("\n".join(terms))
    return packed


class _NgramIndex:
    """The vocabulary's n-grams as integer keys over unigram ranks, sorted for lookup."""

    def __init__(self, vocabulary: dict[str, int], max_n: int):
        unigrams = sorted(g for g in vocabulary if " " not in g)
        self.rank = {g: r for r, g in enumerate(unigrams)}
        self.base = len(unigrams) + 1
        self.unigram_features = np.asarray([vocabulary[g] for g in unigrams], dtype=np.int64)
        by_n: dict[int, tuple[list[int], list[int]]] = {n: ([], []) for n in range(2, max_n + 1)}
        for gram, feature in vocabulary.items():
            parts = gram.split(" ")
            if len(parts) < 2:
                continue
            key = 0
            for part in parts:
                key = key * self.base + self.rank[part]
            keys, features = by_n[len(parts)]
            keys.append(key)
            features.append(feature)
        self.keys: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for n, (keys, features) in by_n.items():
            k = np.asarray(keys, dtype=np.int64)
            order = np.argsort(k)
            self.keys[n] = (k[order], np.asarray(features, dtype=np.int64)[order])


_indexes: weakref.WeakKeyDictionary[Any, _NgramIndex] = weakref.WeakKeyDictionary()
_indexes_lock = threading.Lock()


def _index(vectorizer: TfidfVectorizer) -> _NgramIndex | None:
    """The n-gram index of a fitted vectorizer (built once), or None if keys would overflow."""
    max_n = int(vectorizer.ngram_range[1])
    with _indexes_lock:
        index = _indexes.get(vectorizer)
        if index is None:
            n_unigrams = sum(1 for g in vectorizer.vocabulary_ if " " not in g)
            if (n_unigrams + 1) ** max_n >= 2**62:
                return None
            index = _NgramIndex(vectorizer.vocabulary_, max_n)
            _indexes[vectorizer] = index
        return index


def _count_matrix(vectorizer: TfidfVectorizer, docs: Sequence[Sequence[str]]) -> Any:
    """Term counts, as ``CountVectorizer._count_vocab`` builds them, computed with numpy.

    Every token becomes its unigram rank (``-1`` if unknown: a token that is not a
    unigram of the vocabulary is in none of its n-grams); the n-gram starting at each
    position becomes an integer key over those ranks, looked up by binary search.
    """
    index = _index(vectorizer)
    if index is None:
        return _count_matrix_loop(vectorizer, docs)
    lengths = [len(toks) for toks in docs]
    tokens = [t for toks in docs for t in toks]
    n_docs = len(lengths)
    total = len(tokens)
    ranks = np.fromiter(map(index.rank.get, tokens, repeat(-1, total)), dtype=np.int64, count=total)
    lens = np.asarray(lengths, dtype=np.int64)
    doc = np.repeat(np.arange(n_docs, dtype=np.int64), lens)
    starts = np.cumsum(lens) - lens
    remaining = lens[doc] - (np.arange(total, dtype=np.int64) - starts[doc])  # tokens left in the doc
    known = ranks >= 0
    rows = [doc[known]]
    cols = [index.unigram_features[ranks[known]]]
    key = ranks.copy()
    ok = known.copy()
    for n, (keys, features) in index.keys.items():
        m = total - n + 1
        if m <= 0 or len(keys) == 0:
            break
        key = key[:m] * index.base + ranks[n - 1 : n - 1 + m]
        ok = ok[:m] & known[n - 1 : n - 1 + m] & (remaining[:m] >= n)
        pos = np.flatnonzero(ok)
        where = np.searchsorted(keys, key[pos])
        where[where == len(keys)] = 0
        hit = keys[where] == key[pos]
        rows.append(doc[pos[hit]])
        cols.append(features[where[hit]])
        ok[pos[~hit]] = False  # the longer n-grams starting here are not in the vocabulary either
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    counts = sp.coo_array((np.ones(len(r), dtype=np.intc), (r, c)), shape=(n_docs, len(vectorizer.vocabulary_))).tocsr()
    counts.sum_duplicates()
    index_dtype = np.int64 if counts.nnz > np.iinfo(np.int32).max else np.int32
    matrix = sp.csr_array(
        (counts.data, counts.indices.astype(index_dtype), counts.indptr.astype(index_dtype)),
        shape=counts.shape,
        dtype=vectorizer.dtype,
    )
    matrix.sort_indices()
    return _align(matrix)


def _count_matrix_loop(vectorizer: TfidfVectorizer, docs: Sequence[Sequence[str]]) -> Any:
    """Term counts, growing n-grams one token at a time (for very large vocabularies)."""
    get = vectorizer.vocabulary_.get
    max_n = int(vectorizer.ngram_range[1])
    j_indices: list[int] = []
    values = array("i")
    indptr = [0]
    for tokens in docs:
        n = len(tokens)
        counter: dict[int, int] = {}
        for i in range(n):
            gram = tokens[i]
            idx = get(gram)
            k = 1
            while idx is not None:
                counter[idx] = counter.get(idx, 0) + 1
                if k == max_n or i + k >= n:
                    break
                gram = gram + " " + tokens[i + k]
                idx = get(gram)
                k += 1
        j_indices.extend(counter.keys())
        values.extend(counter.values())
        indptr.append(len(j_indices))
    index_dtype = np.int64 if indptr[-1] > np.iinfo(np.int32).max else np.int32
    matrix = sp.csr_array(
        (
            np.frombuffer(values, dtype=np.intc),
            np.asarray(j_indices, dtype=index_dtype),
            np.asarray(indptr, dtype=index_dtype),
        ),
        shape=(len(indptr) - 1, len(vectorizer.vocabulary_)),
        dtype=vectorizer.dtype,
    )
    matrix.sort_indices()
    return _align(matrix)


def _align(matrix: Any) -> Any:
    try:  # scikit-learn returns the sparse container type it is configured for
        from sklearn.utils._sparse import _align_api_if_sparse

        return _align_api_if_sparse(matrix)
    except ImportError:  # pragma: no cover - other scikit-learn versions
        return matrix
