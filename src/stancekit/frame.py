"""``classify_frame``: classify a pandas column, one result row per input row.

pandas is an optional dependency (``pip install "stancekit[pandas]"``), imported only
when :func:`classify_frame` is called.
"""

from __future__ import annotations

from typing import Any

from .errors import InputError, StancekitError
from .model import StanceModel
from .results import RESULT_KEYS, Result, iter_classify

__all__ = ["RESULT_COLUMNS", "classify_frame"]

#: The columns of :func:`classify_frame`'s output, before ``prefix``.
RESULT_COLUMNS = RESULT_KEYS


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise StancekitError(
            "classify_frame needs pandas, which is not installed; install it with `pip install 'stancekit[pandas]'`"
        ) from None
    return pandas


def classify_frame(
    df: Any,
    column: str = "text",
    model: StanceModel | None = None,
    *,
    prefix: str = "",
    min_confidence: float | None = None,
    batch_size: int = 1024,
    actor_column: str | None = None,
) -> Any:
    """Classify the statements in one column of a DataFrame.

    Parameters
    ----------
    df : pandas.DataFrame or pandas.Series
        The statements: ``df[column]``, or the Series itself.
    column : str, default="text"
        The column holding the statements (ignored for a Series).
    model : StanceModel, optional
        A model from :func:`stancekit.load` or :func:`stancekit.train`; the shipped default
        when None.
    prefix : str, default=""
        Put before every output column name, e.g. ``"stance_"`` to join the result onto
        ``df`` without name clashes.
    min_confidence : float, optional
        Rows whose confidence is below this get ``uncertain=True``.
    batch_size : int, default=1024
        Statements classified at once.
    actor_column : str, optional
        A column naming who speaks (a government, body or three-letter code; missing
        values are read as unknown): first-person words then read as the speaker, as in
        :func:`stancekit.classify`.

    Returns
    -------
    pandas.DataFrame
        A new frame with ``df``'s index and the columns ``label``, ``confidence``,
        ``scores`` (dict of label to probability), ``state``, ``entity``, ``dispute``,
        ``uncertain``, ``warning`` and ``error`` (each with ``prefix``). Rows whose text is missing,
        empty or not a string get a missing ``label`` and an ``error``; missing values are
        pandas' own for the column's dtype (``NaN``, as ``pd.isna`` sees them). ``df`` is
        not changed.

    Raises
    ------
    InputError
        If ``column`` or ``actor_column`` is not in ``df``, or ``df`` is neither a
        DataFrame nor a Series (``actor_column`` needs a DataFrame).
    StancekitError
        If pandas is not installed.

    Examples
    --------
    >>> import pandas as pd, stancekit
    >>> df = pd.DataFrame({"text": ["Spain does not recognise Kosovo's independence."]})
    >>> df.join(stancekit.classify_frame(df, prefix="stance_"))  # doctest: +SKIP
    """
    pd = _pandas()
    if isinstance(df, pd.Series):
        texts = df
    elif isinstance(df, pd.DataFrame):
        if column not in df.columns:
            shown = ", ".join(map(repr, list(df.columns)[:20]))
            raise InputError(f"column {column!r} is not in the DataFrame (columns: {shown}); pass column=NAME")
        texts = df[column]
        if isinstance(texts, pd.DataFrame):
            raise InputError(f"the DataFrame has {texts.shape[1]} columns named {column!r}; rename them apart")
    else:
        raise InputError(f"classify_frame takes a pandas DataFrame or Series, got {type(df).__name__}")
    actors = None
    if actor_column is not None:
        if not isinstance(df, pd.DataFrame) or actor_column not in df.columns:
            shown = ", ".join(map(repr, list(getattr(df, "columns", []))[:20])) or "(a Series has none)"
            raise InputError(
                f"actor_column {actor_column!r} is not a column of the DataFrame (columns: {shown}); "
                "pass a DataFrame with that column, or actor_column=None"
            )
        actors = [None if m else a for a, m in zip(df[actor_column].tolist(), pd.isna(df[actor_column]), strict=True)]
    values = texts.tolist()
    missing = pd.isna(texts).tolist()
    rows = []
    results = iter_classify(
        [None if m else v for v, m in zip(values, missing, strict=True)],
        model,
        min_confidence=min_confidence,
        batch_size=batch_size,
        actors=actors,
    )
    for result, is_missing in zip(results, missing, strict=True):
        if is_missing:
            result = Result(label=None, confidence=None, error="missing text")
        rows.append(result.to_dict())
    out = pd.DataFrame.from_records(rows, columns=list(RESULT_COLUMNS))
    out.index = texts.index
    out["confidence"] = out["confidence"].astype("float64")
    out["uncertain"] = out["uncertain"].astype(bool)
    return out.add_prefix(prefix) if prefix else out
