"""Batch classification of statement files: rows in, one result row per input row out.

:func:`classify_rows` classifies a stream of :class:`~stancekit.io.InputRow` in this
process; :func:`classify_files` runs a whole job, file(s) to file, with a choice of
where the work happens (this process, ``jobs`` worker processes, or a Dask cluster),
a progress line, and resumption of an interrupted run. Whatever the backend, output
rows come out in input order, and chunks of rows (not the whole input) are held in
memory.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from .errors import InputError
from .io import DEFAULT_ACTOR_FIELD, DEFAULT_MAX_CHARS, InputReader, InputRow, RowWriter, _cell, actor_value
from .model import StanceModel
from .progress import Progress
from .results import RESULT_KEYS, _classify_batch

__all__ = ["RESULT_FIELDS", "Summary", "classify_chunk", "classify_files", "classify_rows", "output_row"]

#: Fields added to every output row.
RESULT_FIELDS = tuple(k for k in RESULT_KEYS if k != "uncertain")  # uncertain: with --min-confidence
#: Rows handed to a worker process or Dask task at once.
DEFAULT_CHUNK_SIZE = 2000


@dataclass
class Summary:
    """What a batch run did: rows written, rows with errors or warnings, time taken.

    ``rows``, ``errors`` and ``warnings`` include the ``resumed`` rows found in a partial
    output; the rate counts only the rows classified by this run. ``warnings`` counts rows
    classified with a ``warning`` (see :class:`stancekit.Result`), ``warned`` keeps the
    first few of them as examples.
    """

    rows: int = 0
    errors: int = 0
    seconds: float = 0.0
    examples: list[str] = field(default_factory=list)
    resumed: int = 0
    warnings: int = 0
    warned: list[str] = field(default_factory=list)

    def line(self) -> str:
        rate = (self.rows - self.resumed) / self.seconds if self.seconds > 0 else 0.0
        resumed = f" ({self.resumed} resumed)" if self.resumed else ""
        shown = f"{rate:,.0f}" if rate >= 10 else f"{rate:.1f}"  # one row in 2 s is 0.5 rows/s, not 0
        return f"{self.rows} rows{resumed}, {self.errors} errors, {self.seconds:.1f}s ({shown} rows/s)"

    def add(self, row: InputRow, out: dict[str, Any]) -> None:
        """Count one output row (and keep the first few errors as examples)."""
        self.rows += 1
        error = out.get("error")
        if error:
            self.errors += 1
            if len(self.examples) < 5:
                self.examples.append(f"{row.source}:{row.line}: {error}")
        elif out.get("warning"):
            self.warnings += 1
            if len(self.warned) < 5:
                self.warned.append(f"{row.source}:{row.line}: {out['warning']}")


def output_row(row: InputRow, result: dict[str, Any], min_confidence: float | None) -> dict[str, Any]:
    """The output row for an input row: its fields, then the result fields."""
    out: dict[str, Any] = {}
    for k, v in row.fields.items():
        # Input fields that clash with result fields are kept under an input_ prefix.
        out[f"input_{k}" if k in RESULT_FIELDS or k == "uncertain" else k] = v
    for k in RESULT_FIELDS:
        out[k] = result.get(k)
    if min_confidence is not None:
        out["uncertain"] = result.get("uncertain", False)
    return out


def classify_chunk(
    rows: Sequence[InputRow],
    model: StanceModel,
    min_confidence: float | None,
    actor_field: str | None = DEFAULT_ACTOR_FIELD,
) -> list[dict[str, Any]]:
    """Output rows for a list of input rows, in order (the unit of work of every backend).

    Rows that carry an error are passed through with ``label: None`` and their error.
    A row's ``actor_field`` (when it holds a string) names who speaks; see
    :func:`stancekit.classify`.
    """
    good = [r for r in rows if r.error is None]
    actors = None
    if actor_field:
        actors = [actor_value(r.fields.get(actor_field)) for r in good]
        if not any(actors):
            actors = None
    results = iter(_classify_batch([r.text for r in good], model, min_confidence, actors))
    out = []
    for r in rows:
        res = next(results).to_dict() if r.error is None else {"error": r.error}
        out.append(output_row(r, res, min_confidence))
    return out


def chunked(rows: Iterable[InputRow], size: int) -> Iterator[list[InputRow]]:
    """Lists of at most ``size`` consecutive rows."""
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def classify_rows(
    rows: Iterable[InputRow],
    model: StanceModel,
    *,
    min_confidence: float | None = None,
    batch_size: int = 1024,
    summary: Summary | None = None,
    actor_field: str | None = DEFAULT_ACTOR_FIELD,
) -> Iterator[dict[str, Any]]:
    """Classify input rows in batches, yielding one output row per input row, in order.

    Rows that carry an error are passed through with ``label: None`` and their error.
    ``summary`` (if given) is updated as rows go by. ``actor_field``: see :func:`classify_chunk`.
    """
    summary = summary if summary is not None else Summary()
    t0 = time.perf_counter()
    for chunk in chunked(rows, batch_size):
        for r, out in zip(chunk, classify_chunk(chunk, model, min_confidence, actor_field), strict=True):
            summary.add(r, out)
            yield out
        summary.seconds = time.perf_counter() - t0


def _pairs_local(
    rows: Iterable[InputRow],
    model: StanceModel,
    min_confidence: float | None,
    batch_size: int,
    actor_field: str | None = DEFAULT_ACTOR_FIELD,
) -> Iterator[tuple[InputRow, dict[str, Any]]]:
    for chunk in chunked(rows, batch_size):
        yield from zip(chunk, classify_chunk(chunk, model, min_confidence, actor_field), strict=True)


def _check_resume_matches(last_input: InputRow, last_written: dict[str, Any] | None, fmt: str, n: int) -> None:
    """Refuse to resume when the partial output's last row is not from this input row."""
    if last_written is None:
        return
    expected = output_row(last_input, {}, None)
    for key in (k for k in expected if k not in RESULT_FIELDS):
        want, got = expected[key], last_written.get(key)
        if (want != got) if fmt == "jsonl" else (_cell(want) != got):
            raise InputError(
                f"cannot resume: row {n} of the partial output has {key}={got!r} but input row {n} "
                f"({last_input.source}:{last_input.line}) has {want!r}; the input changed since the "
                "interrupted run. Delete the partial file or run without --resume"
            )


def classify_files(
    inputs: Sequence[str],
    output: str | None = None,
    *,
    model: StanceModel | str | Path | None = None,
    fmt: str | None = None,
    text_field: str | None = None,
    actor_field: str | None = DEFAULT_ACTOR_FIELD,
    encoding: str = "utf-8",
    max_chars: int = DEFAULT_MAX_CHARS,
    min_confidence: float | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    resume: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Classify statement files into one output file, one output row per input row.

    Parameters
    ----------
    inputs : sequence of str
        Input files (``.txt``, ``.csv``, ``.tsv``, ``.jsonl``, optionally ``.gz``; ``-``
        for standard input), read in order.
    output : str, optional
        Output file (``.jsonl``, ``.csv``, ``.tsv``, optionally ``.gz``); standard output
        (JSONL) when None or ``-``. Written to a temporary file renamed on success.
    model : StanceModel, str or Path, optional
        A model, or a model file or name for :func:`stancekit.load`; default the shipped model.
    fmt, text_field, encoding, max_chars
        Input options, as for :func:`stancekit.io.read_rows`.
    actor_field : str or None, default="actor"
        The field or column naming who speaks (a government, body or three-letter
        code), used where a row has it: first-person words then read as the speaker
        (see :func:`stancekit.classify`). None to ignore it.
    min_confidence : float, optional
        Add ``uncertain`` to each row, true below this confidence.
    jobs : int, default=1
        Worker processes; each loads the model once. Output order is input order.
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``) to run the classification on;
        rows are still read and written here. Needs the ``dask`` extra.
    chunk_size : int, default=2000
        Rows per task for ``jobs > 1`` and ``scheduler``.
    resume : bool, default=False
        Keep the partial output (``.OUT.part``) if the run is interrupted, and continue
        one left by an earlier interrupted run: its complete rows are kept, that many
        input rows are skipped.
    progress : Progress, optional
        Progress line to update (it decides itself whether to show anything).

    Returns
    -------
    Summary

    Raises
    ------
    InputError
        For problems with the whole run (missing input, bad option, a partial output
        that does not match the input).
    ModelError
        If the model cannot be loaded.
    """
    from .model import load

    if jobs < 1:
        raise InputError(f"jobs={jobs} must be at least 1")
    if chunk_size < 1:
        raise InputError(f"chunk_size={chunk_size} must be at least 1")
    if resume and output in (None, "-"):
        raise InputError("cannot resume standard output; give an output file with -o OUT")
    reader = InputReader(inputs, fmt=fmt, text_field=text_field, encoding=encoding, max_chars=max_chars)
    reader.check()  # whole-run problems first, before any output is written
    if not isinstance(model, StanceModel):
        model = load(model)
    writer = RowWriter(output or "-", resume=resume)
    summary = Summary(rows=writer.resumed_rows, errors=writer.resumed_errors, resumed=writer.resumed_rows)
    progress = progress if progress is not None else Progress(enabled=False)
    progress.total = reader.size
    t0 = time.perf_counter()
    try:
        rows: Iterator[InputRow] = iter(reader)
        if writer.resumed_rows:
            skipped = sum(1 for _ in islice(rows, writer.resumed_rows - 1))
            last = next(rows, None)
            if last is None:
                raise InputError(
                    f"cannot resume: the partial output has {writer.resumed_rows} rows but the input only "
                    f"{skipped}; the input changed since the interrupted run. Delete the partial file "
                    "or run without --resume"
                )
            _check_resume_matches(last, writer.resumed_last, writer.fmt, writer.resumed_rows)
        progress.start(summary.rows, reader.position())
        if scheduler:
            from .dask import classify_rows_on_cluster

            pairs = classify_rows_on_cluster(
                rows, model, scheduler, min_confidence=min_confidence, chunk_size=chunk_size, actor_field=actor_field
            )
        elif jobs > 1:
            from .parallel import classify_rows_parallel

            pairs = classify_rows_parallel(
                rows, model, jobs=jobs, min_confidence=min_confidence, chunk_size=chunk_size, actor_field=actor_field
            )
        else:
            pairs = _pairs_local(rows, model, min_confidence, batch_size=1024, actor_field=actor_field)
        try:
            for row, out in pairs:
                writer.write(out)
                summary.add(row, out)
                if not summary.rows & 255:
                    progress.update(summary.rows, reader.position())
        finally:
            close = getattr(pairs, "close", None)
            if close is not None:
                close()  # stop worker processes / release cluster futures now
        progress.update(summary.rows, reader.position(), force=True)
    except BaseException:
        progress.close()
        writer.abort()
        raise
    progress.close()
    writer.commit()
    summary.seconds = time.perf_counter() - t0
    return summary
