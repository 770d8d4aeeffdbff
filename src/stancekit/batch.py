"""Batch classification of statement files: rows in, one result row per input row out."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from .io import InputRow
from .model import StanceModel
from .results import _classify_batch

__all__ = ["RESULT_FIELDS", "Summary", "classify_rows"]

#: Fields added to every output row.
RESULT_FIELDS = ("label", "confidence", "scores", "state", "entity", "dispute", "error")


@dataclass
class Summary:
    """What a batch run did: rows written, rows with errors, time taken."""

    rows: int = 0
    errors: int = 0
    seconds: float = 0.0
    examples: list[str] = field(default_factory=list)

    def line(self) -> str:
        rate = self.rows / self.seconds if self.seconds > 0 else 0.0
        return f"{self.rows} rows, {self.errors} errors, {self.seconds:.1f}s ({rate:,.0f} rows/s)"


def _output_row(row: InputRow, result: dict[str, Any], min_confidence: float | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in row.fields.items():
        # Input fields that clash with result fields are kept under an input_ prefix.
        out[f"input_{k}" if k in RESULT_FIELDS or k == "uncertain" else k] = v
    for k in RESULT_FIELDS:
        out[k] = result.get(k)
    if min_confidence is not None:
        out["uncertain"] = result.get("uncertain", False)
    return out


def classify_rows(
    rows: Iterable[InputRow],
    model: StanceModel,
    *,
    min_confidence: float | None = None,
    batch_size: int = 1024,
    summary: Summary | None = None,
) -> Iterator[dict[str, Any]]:
    """Classify input rows in batches, yielding one output row per input row, in order.

    Rows that carry an error are passed through with ``label: None`` and their error.
    ``summary`` (if given) is updated as rows go by.
    """
    summary = summary if summary is not None else Summary()
    t0 = time.perf_counter()
    it = iter(rows)
    while True:
        batch = list(islice(it, batch_size))
        if not batch:
            break
        good = [r for r in batch if r.error is None]
        results = iter(_classify_batch([r.text for r in good], model, min_confidence))
        for r in batch:
            res = next(results).to_dict() if r.error is None else {"error": r.error}
            if res.get("error"):
                summary.errors += 1
                if len(summary.examples) < 5:
                    summary.examples.append(f"{r.source}:{r.line}: {res['error']}")
            summary.rows += 1
            yield _output_row(r, res, min_confidence)
        summary.seconds = time.perf_counter() - t0
