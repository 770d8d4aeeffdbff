"""Streaming readers and writers for statement files.

Readers yield one :class:`InputRow` per input row (a line of ``.txt``/``.jsonl``, a
record of ``.csv``/``.tsv``), including rows that cannot be classified (blank,
undecodable, malformed, missing text, too long): those carry an ``error`` so that every
row is accounted for downstream. Problems with the whole input (missing file, a CSV
without the text column, ...) raise :class:`~stancekit.errors.InputError`.

Formats are chosen by suffix (``.txt``, ``.csv``, ``.tsv``, ``.jsonl``, each optionally
``.gz``); ``-`` is standard input (read as ``.txt`` unless ``fmt`` says otherwise).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .errors import InputError

__all__ = [
    "DEFAULT_MAX_CHARS",
    "FORMATS",
    "InputRow",
    "RowWriter",
    "check_input",
    "detect_format",
    "open_writer",
    "read_rows",
]

FORMATS = ("txt", "csv", "tsv", "jsonl")
_SUFFIX_FORMAT = {".txt": "txt", ".text": "txt", ".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
#: Longer statements are reported as row errors instead of being classified.
DEFAULT_MAX_CHARS = 100_000
_TEXT_FIELD_GUESSES = ("text", "statement", "sentence", "content", "body")


@dataclass
class InputRow:
    """One input row.

    Attributes
    ----------
    line : int
        1-based line number where the row starts (for CSV, the record number + 1).
    fields : dict
        The row's own fields (for ``.txt``: ``{"text": ...}``).
    text : str or None
        The statement to classify, or None when it cannot be.
    error : str or None
        Why the row cannot be classified.
    source : str
        The input path (``-`` for stdin).
    """

    line: int
    fields: dict[str, Any] = field(default_factory=dict)
    text: str | None = None
    error: str | None = None
    source: str = ""


def detect_format(path: str, fmt: str | None = None) -> str:
    """The format of ``path`` from its suffix (ignoring ``.gz``), or ``fmt`` if given."""
    if fmt:
        if fmt not in FORMATS:
            raise InputError(f"format {fmt!r} is not supported; use one of {', '.join(FORMATS)}")
        return fmt
    if path == "-":
        return "txt"
    p = Path(path)
    suffix = Path(p.stem).suffix.lower() if p.suffix.lower() == ".gz" else p.suffix.lower()
    if suffix in _SUFFIX_FORMAT:
        return _SUFFIX_FORMAT[suffix]
    raise InputError(
        f"cannot tell the format of {path!r} from its suffix {suffix or '(none)'}; "
        f"use .txt, .csv, .tsv or .jsonl (optionally .gz), or pass --format"
    )


def check_input(path: str, fmt: str | None = None) -> str:
    """Check that ``path`` is a readable statement file; return its format.

    Raises
    ------
    InputError
        If the path is missing, a directory, or of an unknown format.
    """
    if path != "-":
        p = Path(path)
        if p.is_dir():
            raise InputError("is a directory; give a file of statements", path=path)
        if not p.exists():
            raise InputError("no such file; check the path", path=path)
    return detect_format(path, fmt)


def _open_binary(path: str) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    p = Path(path)
    try:
        if p.suffix.lower() == ".gz":
            fh = gzip.open(p, "rb")
            fh.peek(1)  # fail now, not mid-stream, on a file that is not gzip
            return fh  # type: ignore[return-value]
        return open(p, "rb")
    except gzip.BadGzipFile:
        raise InputError("is not a valid gzip file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot open: {exc.strerror or exc}", path=path) from None


def read_rows(
    path: str,
    *,
    fmt: str | None = None,
    text_field: str | None = None,
    encoding: str = "utf-8",
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Iterator[InputRow]:
    """Stream the rows of a statement file.

    Parameters
    ----------
    path : str
        A file path, or ``-`` for standard input.
    fmt : {"txt", "csv", "tsv", "jsonl"}, optional
        Overrides the format implied by the suffix.
    text_field : str, optional
        The field (JSONL) or column (CSV/TSV) holding the statement. Default: ``text``,
        or for CSV the first of ``text``, ``statement``, ``sentence``, ``content``,
        ``body`` present.
    encoding : str, default="utf-8"
        Input encoding. A UTF-8 byte-order mark is skipped.
    max_chars : int
        Statements longer than this become error rows.

    Yields
    ------
    InputRow

    Raises
    ------
    InputError
        For problems with the whole input: missing path, directory, unknown format or
        encoding, a CSV header without the text column.
    """
    kind = check_input(path, fmt)
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}; use a Python codec name such as utf-8 or cp1252") from None
    fh = _open_binary(path)
    try:
        if kind == "txt":
            rows = _read_lines(fh, path, encoding, max_chars, jsonl=False, text_field=text_field or "text")
        elif kind == "jsonl":
            rows = _read_lines(fh, path, encoding, max_chars, jsonl=True, text_field=text_field or "text")
        else:
            rows = _read_csv(fh, path, encoding, max_chars, "\t" if kind == "tsv" else ",", text_field)
        yield from rows
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()


def _decode(raw: bytes, encoding: str, first: bool) -> str | None:
    if first and raw.startswith(codecs.BOM_UTF8) and encoding.replace("-", "").lower() in ("utf8", "utf8sig"):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def _check(text: str, max_chars: int) -> str | None:
    if not text.strip():
        return "empty text"
    if len(text) > max_chars:
        return f"text is {len(text)} characters, longer than the limit of {max_chars} (--max-chars)"
    return None


def _read_lines(
    fh: IO[bytes], path: str, encoding: str, max_chars: int, *, jsonl: bool, text_field: str
) -> Iterator[InputRow]:
    for n, raw in enumerate(fh, start=1):
        raw = raw.rstrip(b"\r\n")
        line = _decode(raw, encoding, n == 1)
        if line is None:
            yield InputRow(n, {}, None, f"line is not valid {encoding} (pass --encoding)", path)
            continue
        if not jsonl:
            yield InputRow(n, {"text": line}, line, _check(line, max_chars), path)
            continue
        if not line.strip():
            yield InputRow(n, {}, None, "empty line", path)
            continue
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            msg = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            yield InputRow(n, {}, None, f"malformed JSON: {msg}", path)
            continue
        if not isinstance(obj, dict):
            yield InputRow(n, {}, None, f"expected a JSON object, got {type(obj).__name__}", path)
            continue
        if text_field not in obj:
            fields = ", ".join(map(str, obj)) or "(none)"
            yield InputRow(n, obj, None, f"no field {text_field!r} (fields: {fields}; pass --text-field)", path)
            continue
        text = obj[text_field]
        if not isinstance(text, str):
            yield InputRow(n, obj, None, f"field {text_field!r} is {type(text).__name__}, expected a string", path)
            continue
        yield InputRow(n, obj, text, _check(text, max_chars), path)


def _read_csv(
    fh: IO[bytes], path: str, encoding: str, max_chars: int, delimiter: str, text_field: str | None
) -> Iterator[InputRow]:
    if encoding.replace("-", "").lower() == "utf8":
        encoding = "utf-8-sig"
    # TextIOWrapper(newline="") splits records only on \n, \r and \r\n, as csv expects;
    # codecs readers would also split on U+0085 and U+2028 inside cells.
    stream = io.TextIOWrapper(fh, encoding=encoding, errors="surrogateescape", newline="")
    csv.field_size_limit(max(max_chars * 4, 1 << 20))
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise InputError(f"cannot read the CSV header: {exc}", path=path, line=1) from None
    header = [h.strip() for h in header]
    column = text_field or next((c for c in _TEXT_FIELD_GUESSES if c in header), None)
    if column is None or column not in header:
        wanted = repr(text_field) if text_field else "'text'"
        raise InputError(
            f"no column {wanted}; columns present: {', '.join(header) or '(none)'}; pass --text-field NAME",
            path=path,
            line=1,
        )
    idx = header.index(column)
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            stream.detach()  # leave closing the binary stream to read_rows
            return
        except csv.Error as exc:
            yield InputRow(start, {}, None, f"malformed CSV row: {exc}", path)
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        if not cells:
            yield InputRow(line, {}, None, "empty line", path)
            continue
        if any("\udc80" <= ch <= "\udcff" for cell in cells for ch in cell):
            cells = [c.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for c in cells]
            yield InputRow(
                line,
                dict(zip(header, cells, strict=False)),
                None,
                f"row is not valid {encoding} (pass --encoding)",
                path,
            )
            continue
        if len(cells) != len(header):
            fields = dict(zip(header, cells, strict=False))
            yield InputRow(line, fields, None, f"row has {len(cells)} cells, the header has {len(header)}", path)
            continue
        fields = dict(zip(header, cells, strict=True))
        text = cells[idx]
        yield InputRow(line, fields, text, _check(text, max_chars), path)


class RowWriter:
    """Write result rows as JSONL or CSV/TSV, atomically for files.

    Rows go to a temporary file beside the destination, renamed into place by
    :meth:`commit`; :meth:`abort` removes it. For ``-`` rows go to standard output.

    Parameters
    ----------
    path : str
        Destination, or ``-`` for standard output (JSONL).
    columns : list of str, optional
        CSV columns; by default the keys of the first row.
    """

    def __init__(self, path: str, *, fmt: str | None = None, columns: list[str] | None = None):
        self.path = path
        self.fmt = "jsonl" if path == "-" and fmt is None else detect_format(path, fmt)
        if self.fmt == "txt":
            raise InputError(f"cannot write results to a .txt file ({path}); use .jsonl, .csv or .tsv")
        self.columns = columns
        self._csv: Any = None
        self._tmp: str | None = None
        if path == "-":
            self._fh: IO[str] = sys.stdout
            return
        target = Path(path)
        if target.is_dir():
            raise InputError("output path is a directory; give a file name", path=path)
        parent = target.parent if str(target.parent) else Path(".")
        try:
            fd, self._tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=parent)
        except OSError as exc:
            raise InputError(f"cannot write output: {exc.strerror or exc}", path=path) from None
        self._base: IO[bytes] = os.fdopen(fd, "wb")
        self._raw: IO[bytes] = self._base
        if target.suffix.lower() == ".gz":
            self._raw = gzip.GzipFile(fileobj=self._base, mode="wb", filename="")  # type: ignore[assignment]
        self._fh = codecs.getwriter("utf-8")(self._raw)  # type: ignore[assignment]

    def _close(self) -> None:
        try:
            if self._raw is not self._base:
                self._raw.close()
        finally:
            self._base.close()

    def write(self, row: dict[str, Any]) -> None:
        """Write one row."""
        if self.fmt == "jsonl":
            self._fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            return
        if self._csv is None:
            self.columns = self.columns or list(row)
            self._csv = csv.DictWriter(
                self._fh,
                fieldnames=self.columns,
                delimiter="\t" if self.fmt == "tsv" else ",",
                extrasaction="ignore",
                lineterminator="\n",
            )
            self._csv.writeheader()
        self._csv.writerow(
            {k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v) for k, v in row.items()}
        )

    def commit(self) -> None:
        """Finish: flush, close and rename the temporary file into place."""
        if self._tmp is None:
            self._fh.flush()
            return
        self._fh.flush()
        self._close()
        os.replace(self._tmp, self.path)
        self._tmp = None

    def abort(self) -> None:
        """Discard what was written (files only)."""
        if self._tmp is not None:
            try:
                self._close()
            finally:
                Path(self._tmp).unlink(missing_ok=True)
                self._tmp = None


def open_writer(path: str | None, *, fmt: str | None = None, columns: list[str] | None = None) -> RowWriter:
    """A :class:`RowWriter` for ``path`` (standard output when None or ``-``)."""
    return RowWriter(path or "-", fmt=fmt, columns=columns)
