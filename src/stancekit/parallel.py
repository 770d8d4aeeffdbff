"""Classify rows with several worker processes, keeping input order and bounded memory.

Each worker gets the model once, through the pool initializer (inherited for free where
processes are forked, pickled once per worker otherwise: the spaCy pipeline is not
pickled but rebuilt in the worker). Rows go to the workers in chunks; at most
``max_pending`` chunks are in flight at any time, and results are taken back in the
order the chunks were sent, so the output order is the input order and memory does not
grow with the size of the input.
"""

from __future__ import annotations

import multiprocessing as mp
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from .batch import DEFAULT_CHUNK_SIZE, chunked, classify_chunk
from .io import DEFAULT_ACTOR_FIELD, InputRow
from .model import StanceModel

__all__ = ["classify_rows_parallel"]

_worker: dict[str, Any] = {}


def _init_worker(model: StanceModel, min_confidence: float | None, actor_field: str | None) -> None:
    # Ctrl-C reaches the whole process group: the parent handles it and stops the pool,
    # with SIGTERM, which must end a worker quietly (not run a handler forked from the parent).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _worker["model"] = model
    _worker["min_confidence"] = min_confidence
    _worker["actor_field"] = actor_field


def _classify_in_worker(rows: list[InputRow]) -> list[dict[str, Any]]:
    return classify_chunk(rows, _worker["model"], _worker["min_confidence"], _worker["actor_field"])


def _context() -> Any:
    methods = mp.get_all_start_methods()
    return mp.get_context("fork" if "fork" in methods else "spawn")


def classify_rows_parallel(
    rows: Iterable[InputRow],
    model: StanceModel,
    *,
    jobs: int = 2,
    min_confidence: float | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    max_pending: int | None = None,
    actor_field: str | None = DEFAULT_ACTOR_FIELD,
) -> Iterator[tuple[InputRow, dict[str, Any]]]:
    """Classify rows in ``jobs`` worker processes; yield ``(input row, output row)`` in input order.

    Parameters
    ----------
    rows : iterable of InputRow
        Read lazily, ``chunk_size`` at a time.
    model : StanceModel
        Handed to each worker once.
    jobs : int, default=2
        Worker processes.
    min_confidence : float, optional
        As for :func:`stancekit.batch.classify_rows`.
    chunk_size : int, default=2000
        Rows per task.
    max_pending : int, optional
        Chunks in flight at most (default ``2 * jobs``).
    actor_field : str or None, default="actor"
        As for :func:`stancekit.batch.classify_chunk`.

    Yields
    ------
    (InputRow, dict)
        Each input row with its output row.

    Notes
    -----
    Closing the generator early (or an exception in the consumer, such as
    ``KeyboardInterrupt``) terminates the workers.
    """
    limit = max_pending or 2 * jobs
    pool = _context().Pool(jobs, initializer=_init_worker, initargs=(model, min_confidence, actor_field))
    pending: deque[tuple[list[InputRow], Any]] = deque()
    finished = False
    try:
        for chunk in chunked(rows, chunk_size):
            pending.append((chunk, pool.apply_async(_classify_in_worker, (chunk,))))
            while len(pending) >= limit:
                sent, result = pending.popleft()
                yield from zip(sent, result.get(), strict=True)
        while pending:
            sent, result = pending.popleft()
            yield from zip(sent, result.get(), strict=True)
        pool.close()
        pool.join()
        finished = True
    finally:
        if not finished:
            pool.terminate()
            pool.join()
