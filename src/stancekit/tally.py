"""Tallies of classified statements: which stance each actor takes, by any field.

The question an analyst asks of a batch run ("which governments back Serbia's position on
Kosovo?") is a count of labels per speaker. :func:`tally` counts rows that carry a label, such
as the output of ``stancekit classify`` (:func:`tally_files` reads its files), by the values of
chosen fields. Every row is accounted for: a row is counted under its label, as ``uncertain``
(flagged by ``--min-confidence``, or below ``min_confidence`` here), as ``error`` (the
classifier could not read it), or as unreadable, with its file and line, in
:attr:`Tally.problems`.

>>> from stancekit.tally import tally
>>> t = tally([{"actor": "Spain", "label": "favor"}, {"actor": "Spain", "label": "favor"},
...            {"actor": "Japan", "label": "neutral"}])
>>> [(r["actor"], r["n"], r["stance"]) for r in t.rows()]
[('Spain', 2, 'favor'), ('Japan', 1, 'neutral')]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError
from .io import detect_format, read_rows
from .labels import DEFAULT_LABELS

#: The label of rows that take no stance (as in :mod:`stancekit.classifier`).
NO_STANCE = "none"

__all__ = ["MISSING", "Tally", "tally", "tally_files"]

#: The group value of a row that lacks a grouping field or leaves it empty.
MISSING = "(none)"
#: Columns for rows that are counted but carry no usable label.
UNCERTAIN, ERROR = "uncertain", "error"
_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no", ""})


@dataclass
class Tally:
    """Label counts per group.

    Attributes
    ----------
    by : tuple of str
        The fields rows are grouped by.
    counts : dict
        Group (a tuple of values, one per field of ``by``) to a ``Counter`` of labels,
        ``uncertain`` and ``error``.
    problems : list of str
        ``FILE:LINE: why`` for each row that could not be read; such rows are in no group.
    left_out : int
        Rows passed over because they do not match ``where``.
    fields_seen : set of str
        The fields of ``by`` and ``where`` that some row has (a name missing from it is
        likely a typo: every row is then grouped under :data:`MISSING`, or left out).
    """

    by: tuple[str, ...]
    counts: dict[tuple[str, ...], Counter[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    left_out: int = 0
    fields_seen: set[str] = field(default_factory=set)

    def fields_missing(self, where: Mapping[str, object] | None = None) -> list[str]:
        """The fields of ``by`` (and of ``where``) that no row has."""
        return [f for f in dict.fromkeys([*self.by, *(where or ())]) if f not in self.fields_seen]

    @property
    def labels(self) -> list[str]:
        """The label columns: the default labels first, then any others seen, sorted."""
        seen = {k for c in self.counts.values() for k in c} - {UNCERTAIN, ERROR}
        return [lab for lab in DEFAULT_LABELS if lab in seen] + sorted(seen - set(DEFAULT_LABELS))

    @property
    def rows_counted(self) -> int:
        """Rows counted in some group (every row read, less :attr:`problems`)."""
        return sum(sum(c.values()) for c in self.counts.values())

    def rows(self) -> list[dict[str, Any]]:
        """One dict per group, the largest first: the group's fields, ``n``, a count per label,
        ``uncertain``, ``error``, then ``stance`` and ``share``.

        ``stance`` is the most frequent label among the group's rows that take a stance (all
        labels but ``none``), or ``none`` when no row takes one; labels tied for most
        frequent are joined by ``/`` (``favor/neutral``). ``share`` is that count over the
        rows ``stance`` was chosen among. Both are empty (and None) for a group with no
        labelled row.
        """
        labels = self.labels
        taking = [lab for lab in labels if lab != NO_STANCE]
        out = []
        for key, c in sorted(self.counts.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
            among = taking if any(c[lab] for lab in taking) else labels
            counted = sum(c[lab] for lab in among)
            best = max((c[lab] for lab in among), default=0)
            row: dict[str, Any] = dict(zip(self.by, key, strict=True))
            row["n"] = sum(c.values())
            row.update({lab: c[lab] for lab in labels})
            row[UNCERTAIN], row[ERROR] = c[UNCERTAIN], c[ERROR]
            row["stance"] = "/".join(lab for lab in among if c[lab] == best) if counted else ""
            row["share"] = round(best / counted, 3) if counted else None
            out.append(row)
        return out

    def format(self) -> str:
        """The rows as an aligned text table, with a total line."""
        rows = self.rows()
        columns = [*self.by, "n", *self.labels, UNCERTAIN, ERROR, "stance", "share"]
        cells = [[_text(r[c]) for c in columns] for r in rows]
        widths = [max([len(c), *(len(line[i]) for line in cells)]) for i, c in enumerate(columns)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
        for line in cells:
            lines.append("  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip())
        total = f"{self.rows_counted} rows in {len(rows)} groups"
        if self.left_out:
            total += f"; {self.left_out} rows left out by the filter"
        if self.problems:
            total += f"; {len(self.problems)} unreadable rows not counted"
        return "\n".join([*lines, total])


def _text(value: Any) -> str:
    if value is None:
        return ""
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _flag(value: Any) -> bool | None:
    """A boolean field as JSON or CSV gives it; None when it is neither."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    text = str(value).strip().lower()
    return True if text in _TRUE else False if text in _FALSE else None


def _value(row: Mapping[str, Any], name: str) -> str:
    """A field's value as text, stripped; "" when the row lacks it or it is null."""
    value = row.get(name)
    return "" if value is None else str(value).strip()


def _group(row: Mapping[str, Any], by: Sequence[str]) -> tuple[str, ...]:
    return tuple(_value(row, name) or MISSING for name in by)


def _column(row: Mapping[str, Any], label_field: str, min_confidence: float | None) -> tuple[str | None, str]:
    """The column a row counts in, or None and why it cannot be counted."""
    if row.get("error") not in (None, ""):
        return ERROR, ""
    label = row.get(label_field)
    if not isinstance(label, str) or not label.strip():
        shown = "missing" if label is None else repr(label)
        return None, f"label field {label_field!r} is {shown} and the row has no error (pass --label-field)"
    flagged = _flag(row.get(UNCERTAIN))
    if flagged is None:
        return None, f"field 'uncertain' is {row.get(UNCERTAIN)!r}, expected true or false"
    if min_confidence is not None:
        try:
            confidence = float(row.get("confidence"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None, f"field 'confidence' is {row.get('confidence')!r}, expected a number (for --min-confidence)"
        flagged = flagged or confidence < min_confidence
    return (UNCERTAIN if flagged else label.strip()), ""


def tally(
    rows: Iterable[Mapping[str, Any]],
    by: Sequence[str] = ("actor",),
    *,
    min_confidence: float | None = None,
    label_field: str = "label",
    where: Mapping[str, str | Collection[str]] | None = None,
) -> Tally:
    """Count labelled rows by the values of ``by``.

    Parameters
    ----------
    rows : iterable of mapping
        Rows with a label, e.g. ``stancekit classify`` output read as dicts, or
        ``[r.to_dict() for r in stancekit.classify(...)]`` with an ``actor`` added.
    by : sequence of str, default=("actor",)
        Fields to group by; a row without one (or with it empty) is grouped under
        :data:`MISSING`.
    min_confidence : float, optional
        Count rows whose ``confidence`` is below it as ``uncertain``. Rows already flagged
        ``uncertain`` (``stancekit classify --min-confidence``) always are.
    label_field : str, default="label"
        The field holding the label.
    where : mapping, optional
        Count only rows whose fields have these values: a field to one value
        (``{"dispute": "kosovo"}``) or to a set of values, any of which will do
        (``{"dispute": {"crimea", "ukraine_2022"}}``). Rows passed over are counted in
        :attr:`Tally.left_out`.

    Returns
    -------
    Tally

    Raises
    ------
    InputError
        If a row cannot be counted (no label and no error, or a malformed ``uncertain`` or
        ``confidence``); :func:`tally_files` reports such rows instead.
    """
    result, filters = Tally(tuple(by)), _filters(where)
    for i, row in enumerate(rows, start=1):
        problem = _add(result, row, label_field, min_confidence, filters)
        if problem:
            raise InputError(f"row {i}: {problem}")
    return result


def _add(
    result: Tally,
    row: Mapping[str, Any],
    label_field: str,
    min_confidence: float | None,
    filters: dict[str, frozenset[str]],
) -> str:
    """Count ``row`` in ``result``; the reason it cannot be counted, or ""."""
    result.fields_seen.update(f for f in (*result.by, *filters) if f in row)
    if filters and not all(_value(row, k) in values for k, values in filters.items()):
        result.left_out += 1
        return ""
    column, problem = _column(row, label_field, min_confidence)
    if column is None:
        return problem
    result.counts.setdefault(_group(row, result.by), Counter())[column] += 1
    return ""


def _filters(where: Mapping[str, str | Collection[str]] | None) -> dict[str, frozenset[str]]:
    """``where`` with each field's accepted values as a set."""
    return {k: frozenset({v} if isinstance(v, str) else v) for k, v in (where or {}).items()}


def _kind(path: str, fmt: str | None) -> str | None:
    """The format to read ``path`` in: ``fmt``; else JSONL for standard input (what
    ``stancekit classify`` writes there); else None, from the suffix."""
    return fmt or ("jsonl" if path == "-" else None)


def tally_files(
    paths: Sequence[str],
    by: Sequence[str] = ("actor",),
    *,
    min_confidence: float | None = None,
    label_field: str = "label",
    where: Mapping[str, str | Collection[str]] | None = None,
    fmt: str | None = None,
    encoding: str = "utf-8",
) -> Tally:
    """:func:`tally` the rows of result files (JSONL, CSV or TSV, optionally ``.gz``), streamed.

    Rows that cannot be read or counted (malformed JSON or CSV, wrong encoding, no label and
    no error) are listed in :attr:`Tally.problems` with their file and line, not counted.

    Parameters
    ----------
    paths : sequence of str
        Files, or ``-`` for standard input.
    by, min_confidence, label_field, where
        As for :func:`tally`.
    fmt : {"csv", "tsv", "jsonl"}, optional
        Overrides the format implied by the suffix.
    encoding : str, default="utf-8"
        Input encoding.

    Raises
    ------
    InputError
        For a file that cannot be read at all, or a CSV without the label column.
    """
    plain = [p for p in paths if detect_format(p, _kind(p, fmt)) == "txt"]
    if plain:
        raise InputError(
            f"cannot tally {', '.join(map(str, plain))}: a tally reads classified rows (.jsonl, .csv, .tsv), "
            "not plain text; run `stancekit classify` on it first"
        )
    result, filters = Tally(tuple(by)), _filters(where)
    for path in paths:
        # The label field is read as the text field, so that rows the classifier could not
        # read (label empty, error set) still come with their fields.
        rows = read_rows(
            path,
            fmt=_kind(path, fmt),
            text_field=label_field,
            encoding=encoding,
            max_chars=1 << 30,
            field_option="--label-field",
        )
        for row in rows:
            # A row whose only fault is its label (read as the text) goes on to _add, which
            # counts it as an error row or says what is wrong with it.
            problem = row.error if row.broken else _add(result, row.fields, label_field, min_confidence, filters)
            if problem:
                result.problems.append(f"{row.source}:{row.line}: {problem}")
    return result
