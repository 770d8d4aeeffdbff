"""Active learning: the unlabelled statements most worth annotating next.

Uncertainty sampling picks the statements the model is least sure about, where a
label teaches it the most; on its own it picks many near-identical statements (the
same boilerplate sentence from ten speeches). :func:`suggest` therefore keeps the
``pool_factor * n`` most uncertain statements, then takes them in order of uncertainty,
skipping any whose TF-IDF vector (the model's own features) is too close (cosine) to
one already taken.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.preprocessing import normalize

from .corpus import _norm, near_duplicates, read_records
from .errors import InputError
from .io import InputRow
from .model import StanceModel
from .results import default_model

__all__ = ["STRATEGIES", "SuggestSummary", "suggest", "uncertainty"]

STRATEGIES = ("margin", "entropy")


def uncertainty(proba: np.ndarray, strategy: str = "margin") -> np.ndarray:
    """How unsure the model is about each statement: higher means more unsure.

    Parameters
    ----------
    proba : ndarray of shape (n, n_labels)
        Class probabilities.
    strategy : {"margin", "entropy"}
        ``margin``: 1 minus the gap between the two most probable labels;
        ``entropy``: the entropy of the probabilities, divided by its maximum ``log(n_labels)``.

    Returns
    -------
    ndarray of shape (n,)
        Values between 0 (sure) and 1 (as unsure as can be).
    """
    if strategy not in STRATEGIES:
        raise InputError(f"strategy {strategy!r} is not known; use one of {', '.join(STRATEGIES)}")
    proba = np.asarray(proba, dtype=float)
    if proba.shape[0] == 0:
        return np.zeros(0)
    if strategy == "margin":
        top2 = np.sort(proba, axis=1)[:, -2:]
        return 1.0 - (top2[:, 1] - top2[:, 0])
    p = np.clip(proba, 1e-12, 1.0)
    return -(p * np.log(p)).sum(axis=1) / np.log(proba.shape[1])


@dataclass
class SuggestSummary:
    """What :func:`suggest` looked at."""

    rows: int = 0
    errors: int = 0
    duplicates: int = 0
    excluded: int = 0
    candidates: int = 0
    skipped_similar: int = 0
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.rows} pool rows ({self.errors} unreadable, {self.duplicates} repeated, "
            f"{self.excluded} already annotated); {self.candidates} most uncertain considered, "
            f"{self.skipped_similar} skipped as too similar to one picked"
        )


def _rows(pool: Iterable[InputRow] | Iterable[str]) -> Iterator[InputRow]:
    for k, item in enumerate(pool, start=1):
        if isinstance(item, InputRow):
            yield item
        else:
            yield InputRow(k, {"text": item}, item if isinstance(item, str) else None, None, "<pool>")


def suggest(
    pool: Iterable[InputRow] | Iterable[str],
    model: StanceModel | None = None,
    *,
    n: int = 20,
    strategy: str = "margin",
    pool_factor: int = 5,
    max_similarity: float = 0.5,
    exclude: Iterable[str | Path] | None = None,
    batch_size: int = 1024,
    summary: SuggestSummary | None = None,
) -> list[dict[str, Any]]:
    """The ``n`` unlabelled statements most worth annotating next.

    Parameters
    ----------
    pool : iterable of InputRow (from :func:`stancekit.io.read_rows`) or of str
        Unlabelled statements; streamed, only the most uncertain are kept in memory.
    model : StanceModel, optional
        The model to improve (the shipped model when None).
    n : int, default=20
        How many statements to suggest.
    strategy : {"margin", "entropy"}, default="margin"
        Uncertainty measure (see :func:`uncertainty`).
    pool_factor : int, default=5
        The ``pool_factor * n`` most uncertain statements are the candidates.
    max_similarity : float, default=0.5
        A candidate whose cosine similarity (TF-IDF, the model's features) to a
        statement already picked exceeds this is skipped; 1.0 turns diversity off.
    exclude : paths to corpora, optional
        Already annotated statements: pool statements equal to one (up to case and
        punctuation) or near-duplicates of one are not suggested.
    batch_size : int, default=1024
    summary : SuggestSummary, optional
        Filled in with counts of what was read and skipped.

    Returns
    -------
    list of dict
        In order of pick, ready for annotation: ``id`` (the input's, else
        ``file:line``), ``text``, an empty ``label`` to fill in, ``model_label``,
        ``model_scores``, ``uncertainty``, ``rank``, ``source`` (file:line), then the
        input's other fields (those named like the fields above get an ``input_``
        prefix).

    Examples
    --------
    >>> from stancekit.io import read_rows
    >>> picks = suggest(read_rows("pool.jsonl"), n=50)  # doctest: +SKIP
    """
    if n < 1:
        raise InputError(f"n={n} statements to suggest; ask for at least 1")
    if pool_factor < 1:
        raise InputError(f"pool_factor={pool_factor}; use 1 or more")
    if not 0.0 < max_similarity <= 1.0:
        raise InputError(f"max_similarity={max_similarity} is not in (0, 1]; use e.g. 0.5 (1.0: no diversity)")
    uncertainty(np.zeros((0, 2)), strategy)  # check the strategy before reading anything
    model = model if model is not None else default_model()
    summary = summary if summary is not None else SuggestSummary()
    estimator = model.estimator
    classes = [str(c) for c in estimator.classes_]
    known: set[str] = set()
    exclude_records = read_records(exclude) if exclude else []
    annotated = {_norm(r.text) for r in exclude_records}

    keep = pool_factor * n
    heap: list[tuple[float, int, InputRow, np.ndarray, str]] = []  # min-heap on uncertainty: the most uncertain stay
    batch: list[InputRow] = []
    seq = 0

    def flush() -> None:
        nonlocal seq
        analyses = estimator.analyze([r.text for r in batch])
        proba = estimator.predict_proba_analyzed(analyses)
        for row, a, p, u in zip(batch, analyses, proba, uncertainty(proba, strategy), strict=True):
            seq += 1
            item = (float(u), -seq, row, p, a.text)  # ties: earlier rows win
            if len(heap) < keep:
                heapq.heappush(heap, item)
            elif item[:2] > heap[0][:2]:
                heapq.heapreplace(heap, item)
        batch.clear()

    for row in _rows(pool):
        summary.rows += 1
        if row.error is not None or not row.text or not row.text.strip():
            summary.errors += 1
            continue
        key = _norm(row.text)
        if key in known:
            summary.duplicates += 1
            continue
        known.add(key)
        if key in annotated:
            summary.excluded += 1
            continue
        batch.append(row)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    candidates = sorted(heap, key=lambda it: (-it[0], -it[1]))
    if exclude_records and candidates:
        m = len(exclude_records)
        pairs = near_duplicates([r.text for r in exclude_records] + [c[2].text or "" for c in candidates])
        near = {j - m for i, j, _ in pairs if i < m <= j}
        summary.excluded += len(near)
        candidates = [c for k, c in enumerate(candidates) if k not in near]
    summary.candidates = len(candidates)
    if not candidates:
        summary.notes.append("no statement to suggest: the pool is empty or everything in it is excluded")
        return []
    vectors = normalize(estimator.vectorizer_.transform([c[4] for c in candidates]))
    picked: list[int] = []
    for k in range(len(candidates)):
        if len(picked) >= n:
            break
        if picked and max_similarity < 1.0:
            sim = (vectors[picked] @ vectors[k].T).toarray().ravel()
            if sim.max() > max_similarity:
                summary.skipped_similar += 1
                continue
        picked.append(k)
    if len(picked) < n:
        summary.notes.append(
            f"only {len(picked)} of {n} statements are distinct enough; raise max_similarity or pool_factor for more"
        )
    return [_suggestion(candidates[k], rank, classes, strategy) for rank, k in enumerate(picked, start=1)]


_OWN_FIELDS = ("id", "text", "label", "model_label", "model_scores", "uncertainty", "strategy", "rank", "source")


def _suggestion(
    candidate: tuple[float, int, InputRow, np.ndarray, str], rank: int, classes: list[str], strategy: str
) -> dict[str, Any]:
    u, _, row, p, _ = candidate
    j = int(np.argmax(p))
    where = f"{row.source}:{row.line}"
    out: dict[str, Any] = {
        "id": row.fields.get("id", f"{Path(row.source).name}:{row.line}"),
        "text": row.text,
        "label": "",
        "model_label": classes[j],
        "model_scores": {c: round(float(x), 4) for c, x in zip(classes, p, strict=True)},
        "uncertainty": round(u, 4),
        "strategy": strategy,
        "rank": rank,
        "source": where,
    }
    for k, v in row.fields.items():
        if k in ("id", "text"):
            continue
        out[f"input_{k}" if k in _OWN_FIELDS else k] = v
    return out
