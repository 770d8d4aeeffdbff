"""Classify with Dask: DataFrames and Bags partition by partition, or a file on a cluster.

Needs the ``dask`` extra (``pip install "stancekit[dask]"``); Dask is imported only when
one of these functions is called.

The model reaches each worker once, as in dask-ml's ``ParallelPostFit``: a model object
is put in the task graph as a single ``dask.delayed`` value (or scattered, for
:func:`classify_rows_on_cluster`), which every task of a worker shares; with
``model=None`` only the name travels and each worker process loads the shipped default
model once (:func:`stancekit.results.default_model`). The spaCy pipeline is never
shipped: each worker process builds its own once. Workers need stancekit installed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .batch import DEFAULT_CHUNK_SIZE, chunked, classify_chunk
from .errors import InputError, StancekitError
from .frame import RESULT_COLUMNS, classify_frame
from .io import DEFAULT_ACTOR_FIELD, InputRow
from .model import StanceModel
from .results import iter_classify

__all__ = ["classify_bag", "classify_dataframe", "classify_rows_on_cluster"]


def _require_dask() -> Any:
    try:
        import dask
    except ImportError:
        raise StancekitError(
            "this needs Dask, which is not installed; install it with `pip install 'stancekit[dask]'`"
        ) from None
    return dask


def _model_arg(model: StanceModel | str | Path | None) -> Any:
    """What to put in the graph for ``model``: None, or one delayed model object."""
    dask = _require_dask()
    if model is None:
        return None
    if not isinstance(model, StanceModel):
        from .model import load

        # Loaded here, not on the workers: the path need not exist on their machines.
        model = load(model)
    return dask.delayed(model, pure=True)


def _classify_partition(
    part: Any,
    column: str,
    model: StanceModel | None,
    prefix: str,
    min_confidence: float | None,
    actor_column: str | None = None,
) -> Any:
    import pandas as pd

    result = classify_frame(
        part, column, model, prefix=prefix, min_confidence=min_confidence, actor_column=actor_column
    )
    return pd.concat([part, result], axis=1)


def classify_dataframe(
    ddf: Any,
    column: str = "text",
    model: StanceModel | str | Path | None = None,
    *,
    prefix: str = "",
    min_confidence: float | None = None,
    actor_column: str | None = None,
) -> Any:
    """Classify one column of a Dask DataFrame, partition by partition.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        The statements are in ``ddf[column]``.
    column : str, default="text"
        The column holding the statements.
    model : StanceModel, str or Path, optional
        A model, or a model file/name (loaded here and shipped to the workers once);
        None: every worker loads the shipped default model once.
    prefix : str, default=""
        Put before the new column names; needed when ``ddf`` already has one of them
        (a gold ``label`` column, say).
    min_confidence : float, optional
        Rows below this confidence get ``uncertain=True``.
    actor_column : str, optional
        A column naming who speaks (see :func:`stancekit.classify_frame`).

    Returns
    -------
    dask.dataframe.DataFrame
        Lazy: ``ddf``'s columns followed by ``label``, ``confidence``, ``scores``,
        ``state``, ``entity``, ``dispute``, ``deciding_sentence``, ``uncertain``, ``warning`` and ``error`` (each with
        ``prefix``), with ``ddf``'s index and partitions. Values are as
        :func:`stancekit.classify_frame` gives them.

    Raises
    ------
    InputError
        If ``column`` is missing or a new column name is already taken.
    StancekitError
        If Dask is not installed.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> from stancekit.dask import classify_dataframe
    >>> ddf = dd.read_json("keyword-sentences.jsonl", lines=True, blocksize=2**24)  # doctest: +SKIP
    >>> classify_dataframe(ddf).groupby("label").size().compute()  # doctest: +SKIP
    """
    _require_dask()
    import pandas as pd

    if column not in ddf.columns:
        shown = ", ".join(map(repr, list(ddf.columns)[:20]))
        raise InputError(f"column {column!r} is not in the DataFrame (columns: {shown}); pass column=NAME")
    if actor_column is not None and actor_column not in ddf.columns:
        shown = ", ".join(map(repr, list(ddf.columns)[:20]))
        raise InputError(f"actor_column {actor_column!r} is not in the DataFrame (columns: {shown}); pass a column")
    new = [prefix + c for c in RESULT_COLUMNS]
    taken = [c for c in new if c in ddf.columns]
    if taken:
        raise InputError(
            f"the DataFrame already has column(s) {', '.join(map(repr, taken))}; pass prefix='stance_' (or another)"
        )
    meta = ddf._meta
    result_meta = classify_frame(pd.DataFrame({column: pd.Series([], dtype=object)}), column, prefix=prefix)
    meta = pd.concat([meta, result_meta.set_axis(meta.index[:0])], axis=1)
    return ddf.map_partitions(
        _classify_partition,
        column,
        _model_arg(model),
        prefix,
        min_confidence,
        actor_column,
        meta=meta,
        align_dataframes=False,
    )


def _classify_items(
    items: Iterable[Any], model: StanceModel | None, text_key: str, min_confidence: float | None
) -> list[dict[str, Any]]:
    items = list(items)
    texts = [item.get(text_key) if isinstance(item, dict) else item for item in items]
    out = []
    for item, result in zip(items, iter_classify(texts, model, min_confidence=min_confidence), strict=True):
        row = dict(item) if isinstance(item, dict) else {text_key: item}
        row.update(result.to_dict())
        out.append(row)
    return out


def classify_bag(
    bag: Any,
    model: StanceModel | str | Path | None = None,
    *,
    text_key: str = "text",
    min_confidence: float | None = None,
) -> Any:
    """Classify the statements of a Dask Bag, partition by partition.

    Parameters
    ----------
    bag : dask.bag.Bag
        Of strings, or of dicts holding the statement under ``text_key``.
    model : StanceModel, str or Path, optional
        As for :func:`classify_dataframe`.
    text_key : str, default="text"
        The key of the statement in dict items (and of the text in the output for strings).
    min_confidence : float, optional
        Rows below this confidence get ``uncertain=True``.

    Returns
    -------
    dask.bag.Bag
        Lazy: one dict per item, in order: the item's own keys (or ``{text_key: item}``)
        updated with ``label``, ``confidence``, ``scores``, ``state``, ``entity``,
        ``dispute``, ``deciding_sentence``, ``uncertain``, ``warning`` and ``error``.

    Examples
    --------
    >>> import dask.bag as db
    >>> from stancekit.dask import classify_bag
    >>> classify_bag(db.from_sequence(["We recognise Kosovo."])).compute()  # doctest: +SKIP
    """
    _require_dask()
    return bag.map_partitions(_classify_items, _model_arg(model), text_key, min_confidence)


def classify_rows_on_cluster(
    rows: Iterable[InputRow],
    model: StanceModel,
    address: str,
    *,
    min_confidence: float | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    max_pending: int | None = None,
    timeout: float = 30.0,
    actor_field: str | None = DEFAULT_ACTOR_FIELD,
) -> Iterator[tuple[InputRow, dict[str, Any]]]:
    """Classify rows on a running Dask cluster; yield ``(input row, output row)`` in input order.

    Rows are read here, sent in chunks of ``chunk_size`` (at most ``max_pending`` chunks
    in flight, default twice the cluster's threads) and the results taken back in
    order. The model is scattered to every worker once.

    Parameters
    ----------
    rows : iterable of InputRow
    model : StanceModel
    address : str
        The scheduler, e.g. ``tcp://10.0.0.5:8786``.
    min_confidence : float, optional
    chunk_size : int, default=2000
    max_pending : int, optional
    timeout : float, default=30
        Seconds to wait for the scheduler.
    actor_field : str or None, default="actor"
        As for :func:`stancekit.batch.classify_chunk`.

    Raises
    ------
    StancekitError
        If Dask is not installed or the scheduler cannot be reached.
    """
    _require_dask()
    try:
        from distributed import Client
    except ImportError:
        raise StancekitError(
            "--scheduler needs dask.distributed, which is not installed; install it with `pip install 'stancekit[dask]'`"
        ) from None
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise StancekitError(
            f"cannot connect to the Dask scheduler at {address!r}: {exc}; check the address (tcp://HOST:PORT) "
            "and that the scheduler is running"
        ) from None
    pending: deque[tuple[list[InputRow], Any]] = deque()
    try:
        limit = max_pending or max(2, 2 * sum(client.nthreads().values()))
        model_future = client.scatter(model, broadcast=True, hash=False)
        for chunk in chunked(rows, chunk_size):
            future = client.submit(classify_chunk, chunk, model_future, min_confidence, actor_field, pure=False)
            pending.append((chunk, future))
            while len(pending) >= limit:
                sent, future = pending.popleft()
                yield from zip(sent, future.result(), strict=True)
                future.release()
        while pending:
            sent, future = pending.popleft()
            yield from zip(sent, future.result(), strict=True)
            future.release()
    finally:
        for _, future in pending:
            future.cancel()
        client.close()
