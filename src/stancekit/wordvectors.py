"""Word vectors learnt from real, unlabelled text, for sentence-mean features.

An authored corpus of a few thousand statements cannot show the classifier every way real
speeches put a thing. Word vectors learnt from a large body of real text in the same
register carry what the corpus lacks: that "embargo" sits near "sanction" and "coercive",
"dismemberment" near "secession", "not_acknowledge" near "not_recognize". A statement's
features then include the mean of its words' vectors beside its TF-IDF n-grams, and the
means of the words near the state concerned and near the entity
(:meth:`WordVectors.features`), so that what is said of each party stays apart.

The vectors are built without a neural network: positive pointwise mutual information of
word co-occurrences in a window, reduced by a truncated SVD (Levy, Goldberg and Dagan
2015, "Improving Distributional Similarity with Lessons Learned from Word Embeddings").
Words are stancekit's feature tokens (lemmas, role tokens such as ``STATE``, ``not_``
marks), so they match what the classifier sees.

stancekit ships ``ungd`` vectors, learnt from the 1,043,457 sentences of the UN General
Debate corpus (1946-2022, CC0) that share no word 6-gram with the held-out dev set
(``stancekit vectors build``; see the README). A model refers to its vectors by source and
SHA-256 rather than carrying them, and refuses to load against different ones.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from .errors import InputError, ModelError

__all__ = ["DEFAULT_VECTORS", "WordVectors", "build_vectors", "load_vectors", "overlap_filter", "window_tokens"]

#: The name of the shipped vectors.
DEFAULT_VECTORS = "ungd"
_DATA = Path(__file__).resolve().parent / "data"


def _resolve(source: str | os.PathLike[str]) -> Path:
    if str(source) == DEFAULT_VECTORS:
        return _DATA / f"{DEFAULT_VECTORS}-vectors.npz"
    return Path(source)


class WordVectors:
    """A vocabulary and one unit-length vector per word.

    Parameters
    ----------
    words : sequence of str
        The vocabulary (feature tokens), without duplicates.
    matrix : array of shape (len(words), dim)
        One vector per word; rows are scaled to unit length.
    source : str, default=""
        Where the vectors were loaded from (``"ungd"`` or a path); empty for vectors
        built in memory.
    digest : str, default=""
        SHA-256 of the file they were loaded from.

    Notes
    -----
    Vectors loaded from a file pickle as a reference (source and digest) and are
    reloaded, and checked, when a model is loaded; vectors built in memory pickle whole.
    """

    def __init__(self, words: Sequence[str], matrix: Any, *, source: str = "", digest: str = ""):
        words = [str(w) for w in words]
        matrix = np.asarray(matrix, dtype=np.float32)
        if matrix.ndim != 2 or matrix.shape[0] != len(words):
            raise InputError(
                f"word vectors need one row per word: got {len(words)} words and a matrix of shape "
                f"{matrix.shape}; give a (n_words, dim) matrix"
            )
        if len(set(words)) != len(words):
            dup = next(w for w, n in Counter(words).items() if n > 1)
            raise InputError(f"word {dup!r} appears more than once in the vocabulary; give each word once")
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        self.words = words
        self.matrix = matrix / np.where(norms > 0, norms, 1.0)
        self.index = {w: i for i, w in enumerate(words)}
        self.source = str(source)
        self.digest = digest

    @property
    def dim(self) -> int:
        """The number of dimensions."""
        return int(self.matrix.shape[1])

    def __len__(self) -> int:
        return len(self.words)

    def __repr__(self) -> str:
        where = f", source={self.source!r}" if self.source else ""
        return f"WordVectors({len(self)} words, dim={self.dim}{where})"

    def transform(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """The unit-length mean vector of each statement's known tokens.

        Parameters
        ----------
        token_lists : sequence of sequences of str
            Feature tokens of each statement (unknown tokens are skipped).

        Returns
        -------
        ndarray of shape (len(token_lists), dim), float32
            A zero row for a statement with no known token.
        """
        return self.features(token_lists)

    def features(
        self,
        token_lists: Sequence[Sequence[str]],
        *,
        anchors: Sequence[str | Sequence[str]] = (),
        window: int = 3,
    ) -> np.ndarray:
        """The statement mean, then one mean per anchor over the tokens near it.

        Parameters
        ----------
        token_lists : sequence of sequences of str
            Feature tokens of each statement.
        anchors : sequence of str or of sequences of str, default=()
            Tokens to centre windows on, one block each, e.g. ``("STATE", "ENTITY")``;
            ``not_<anchor>`` counts as the anchor. An anchor given as a sequence of
            tokens, e.g. ``("we", "our", "us")``, makes one block for all of them.
        window : int, default=3
            Tokens taken on each side of every occurrence of an anchor.

        Returns
        -------
        ndarray of shape (len(token_lists), dim * (1 + len(anchors))), float32
            :meth:`transform` of the statements, then, per anchor, :meth:`transform` of
            the tokens within ``window`` of it (a zero block where it does not occur).
        """
        index, unknown = self.index, len(self.words)  # unknown words index a zero row
        n, k = len(token_lists), 1 + len(anchors)
        lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=n)
        # Block 0, every token: one lookup pass over all statements at once.
        flat_ids = list(map(index.get, chain.from_iterable(token_lists), repeat(unknown)))
        blocks = [np.asarray(flat_ids, dtype=np.int64)]
        sizes = [lengths]
        block_of = {name: b for b, anchor in enumerate(anchors) for name in _anchor_names(anchor)}
        near_ids: list[list[int]] = [[] for _ in anchors]
        near_sizes = [np.zeros(n, dtype=np.int64) for _ in anchors]
        names = block_of.keys()
        start = 0
        for d, tokens in enumerate(token_lists):
            size = len(tokens)
            if block_of and not names.isdisjoint(tokens):
                near: list[set[int]] = [set() for _ in anchors]
                for j in [j for j, t in enumerate(tokens) if t in block_of]:
                    near[block_of[tokens[j]]].update(range(max(0, j - window), min(size, j + window + 1)))
                for b, positions in enumerate(near):
                    near_ids[b].extend([flat_ids[start + j] for j in sorted(positions)])
                    near_sizes[b][d] = len(positions)
            start += size
        blocks += [np.asarray(block, dtype=np.int64) for block in near_ids]
        sizes += near_sizes
        # All blocks as the rows of one sparse matrix, so one product computes every mean.
        flat = np.concatenate(blocks)
        indptr = np.concatenate([[0], np.cumsum(np.concatenate(sizes))])
        counts = sp.csr_matrix((np.ones(len(flat), dtype=np.float32), flat, indptr), shape=(k * n, unknown + 1))
        out = np.asarray(counts @ self._padded(), dtype=np.float32)
        norms = np.sqrt(np.einsum("ij,ij->i", out, out))[:, None]
        out /= np.where(norms > 0, norms, np.float32(1.0))
        return out.reshape(k, n, self.dim).transpose(1, 0, 2).reshape(n, k * self.dim)

    def _padded(self) -> np.ndarray:
        """The matrix with a zero row appended, for words outside the vocabulary."""
        padded = getattr(self, "_padded_matrix", None)
        if padded is None:
            padded = np.vstack([self.matrix, np.zeros((1, self.dim), dtype=np.float32)])
            self._padded_matrix = padded
        return padded

    def most_similar(self, word: str, top: int = 10) -> list[tuple[str, float]]:
        """The ``top`` words closest to ``word`` by cosine similarity."""
        if word not in self.index:
            raise InputError(
                f"{word!r} is not in the vocabulary of {len(self)} words; try its lemma (e.g. 'recognize')"
            )
        sims = self.matrix @ self.matrix[self.index[word]]
        order = np.argsort(-sims)
        return [(self.words[i], round(float(sims[i]), 4)) for i in order[: top + 1] if self.words[i] != word][:top]

    def save(self, path: str | os.PathLike[str]) -> str:
        """Write the vectors to ``path`` (``.npz``, float16) atomically; return the SHA-256."""
        buf = io.BytesIO()
        np.savez(buf, words=np.asarray("\n".join(self.words)), vectors=self.matrix.astype(np.float16))
        data = buf.getvalue()
        path = Path(path)
        fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return hashlib.sha256(data).hexdigest()

    def __reduce__(self) -> tuple[Any, ...]:
        if self.source and self.digest:
            return (_restore, (self.source, self.digest))
        return (WordVectors, (self.words, self.matrix))


def _anchor_names(anchor: str | Sequence[str]) -> frozenset[str]:
    """The tokens that count as ``anchor``: it (or each token of a group) and its ``not_`` form."""
    group = (anchor,) if isinstance(anchor, str) else tuple(anchor)
    return frozenset(name for a in group for name in (a, f"not_{a}"))


def window_tokens(tokens: Sequence[str], anchor: str | Sequence[str], window: int) -> list[str]:
    """The tokens within ``window`` of ``anchor`` (or ``not_<anchor>``), in order.

    The plain statement of what :meth:`WordVectors.features` averages for an anchor's
    block (which computes it faster, on word ids). ``anchor`` may be a group of tokens,
    as in :meth:`WordVectors.features`.
    """
    names = _anchor_names(anchor)
    keep: set[int] = set()
    for j, t in enumerate(tokens):
        if t in names:
            keep.update(range(max(0, j - window), min(len(tokens), j + window + 1)))
    return [tokens[j] for j in sorted(keep)]


def load_vectors(source: str | os.PathLike[str] = DEFAULT_VECTORS) -> WordVectors:
    """Load word vectors: ``"ungd"`` (shipped) or a ``.npz`` written by :meth:`WordVectors.save`.

    Loaded vectors are cached per file and shared, so treat them as read-only.
    """
    path = _resolve(source)
    try:
        st = path.stat()
    except OSError as exc:
        raise InputError(
            f"cannot read word vectors {str(source)!r} ({path}): {exc.strerror or exc}; "
            f"use {DEFAULT_VECTORS!r} for the shipped ones, or build some with `stancekit vectors build`"
        ) from None
    return _load_file(str(path), str(source), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=4)
def _load_file(path: str, source: str, _mtime: int, _size: int) -> WordVectors:
    data = Path(path).read_bytes()
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            words = str(npz["words"]).split("\n")
            matrix = npz["vectors"]
    except Exception as exc:
        raise InputError(
            f"{path} is not a word-vector file ({type(exc).__name__}: {exc}); expected a .npz with "
            "'words' and 'vectors', as written by `stancekit vectors build`"
        ) from None
    return WordVectors(words, matrix, source=source, digest=hashlib.sha256(data).hexdigest())


def _restore(source: str, digest: str) -> WordVectors:
    try:
        vectors = load_vectors(source)
    except InputError as exc:
        raise ModelError(f"the model was trained with word vectors {source!r}, which cannot be loaded: {exc}") from None
    if vectors.digest != digest:
        raise ModelError(
            f"the model was trained with word vectors {source!r} of SHA-256 {digest[:12]}..., but those found "
            f"have {vectors.digest[:12]}...; use the stancekit version the model was trained with, or retrain it"
        )
    return vectors


def build_vectors(
    token_lists: Iterable[Sequence[str]],
    *,
    dim: int = 200,
    min_count: int = 10,
    max_words: int = 60_000,
    window: int = 5,
    random_state: int = 0,
    progress: Callable[[str], None] | None = None,
) -> WordVectors:
    """Learn word vectors from tokenized sentences (PPMI and truncated SVD).

    Parameters
    ----------
    token_lists : iterable of sequences of str
        Sentences as feature tokens, e.g. ``a.tokens`` of
        :meth:`Preprocessor.analyze <stancekit.preprocess.Preprocessor.analyze>` with
        ``cues=False``.
    dim : int, default=200
        Dimensions kept.
    min_count : int, default=10
        Words seen fewer times are left out.
    max_words : int, default=60000
        At most this many of the most frequent words.
    window : int, default=5
        Co-occurrence window on each side; a pair ``d`` tokens apart counts ``1/d``.
    random_state : int, default=0
        Seed of the randomized SVD.
    progress : callable, optional
        Called with a line of text as the work advances.

    Returns
    -------
    WordVectors
        Word ``w`` gets ``U[w] * sqrt(S)`` of the SVD of the PPMI matrix (context
        frequencies smoothed with exponent 0.75).
    """
    from sklearn.utils.extmath import randomized_svd

    say = progress or (lambda _msg: None)
    t0 = time.time()
    sentences = [list(t) for t in token_lists]
    counts = Counter(t for s in sentences for t in s)
    words = [w for w, c in counts.most_common(max_words) if c >= min_count]
    if len(words) <= dim:
        raise InputError(
            f"only {len(words)} words occur at least {min_count} times, too few for {dim} dimensions; "
            "give more sentences, or lower min_count or dim"
        )
    index = {w: i for i, w in enumerate(words)}
    n = len(words)
    cooc = sp.csr_matrix((n, n), dtype=np.float64)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []

    def flush() -> None:
        nonlocal cooc
        if rows:
            r, c, v = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
            cooc = cooc + sp.csr_matrix((v, (r, c)), shape=(n, n))
            rows.clear(), cols.clear(), vals.clear()

    for k, s in enumerate(sentences, 1):
        ids = np.fromiter((index.get(t, -1) for t in s), dtype=np.int64)
        ids = ids[ids >= 0]
        for d in range(1, min(window, len(ids) - 1) + 1):
            a, b = ids[:-d], ids[d:]
            w = np.full(len(a), 1.0 / d)
            rows += [a, b]
            cols += [b, a]
            vals += [w, w]
        if k % 100_000 == 0:
            flush()
            say(f"{k:,} sentences counted ({time.time() - t0:.0f} s)")
    flush()
    total = cooc.sum()
    if total == 0:
        raise InputError("no two known words ever occur together; give longer or more sentences")
    row_p = np.asarray(cooc.sum(axis=1)).ravel() / total
    ctx = np.asarray(cooc.sum(axis=0)).ravel() ** 0.75
    ctx_p = ctx / ctx.sum()
    coo = cooc.tocoo()
    with np.errstate(divide="ignore"):
        pmi = np.log(coo.data / total / row_p[coo.row] / ctx_p[coo.col])
    keep = pmi > 0
    ppmi = sp.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=(n, n))
    say(f"PPMI matrix {n:,} x {n:,}, {ppmi.nnz:,} non-zero; SVD to {dim} dimensions")
    u, s, _ = randomized_svd(ppmi, dim, n_iter=5, random_state=random_state)
    return WordVectors(words, u * np.sqrt(s))


def _word_ngrams(text: str, n: int) -> set[str]:
    words = "".join(c if c.isalnum() else " " for c in text.lower()).split()
    if len(words) < n:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def overlap_filter(held_out: Iterable[str], n: int = 6) -> Callable[[str], bool]:
    """A test that is true for texts sharing a word ``n``-gram with any ``held_out`` text.

    Used to keep held-out evaluation statements (and anything quoting them) out of the
    sentences vectors are learnt from. Texts shorter than ``n`` words match only when
    they are equal, after lower-casing and dropping punctuation.
    """
    grams: set[str] = set()
    for text in held_out:
        grams |= _word_ngrams(text, n)

    def overlaps(text: str) -> bool:
        return not grams.isdisjoint(_word_ngrams(text, n))

    return overlaps
