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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .errors import InputError

__all__ = [
    "DEFAULT_ACTOR_FIELD",
    "DEFAULT_MAX_CHARS",
    "FORMATS",
    "InputReader",
    "InputRow",
    "RowWriter",
    "actor_value",
    "check_input",
    "detect_format",
    "open_writer",
    "partial_path",
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
    broken : bool
        True when the row itself could not be read whole (its bytes, JSON or cells), so its
        ``fields`` are empty or partial; False when it was read and only its text is at fault.
    """

    line: int
    fields: dict[str, Any] = field(default_factory=dict)
    text: str | None = None
    error: str | None = None
    source: str = ""
    broken: bool = False


#: The input field naming who speaks; used where a row or record has it.
DEFAULT_ACTOR_FIELD = "actor"


def actor_value(value: Any) -> str | None:
    """A field value usable as a speaker's name: a non-empty string, else None."""
    return (value.strip() or None) if isinstance(value, str) else None


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
    field_option: str = "--text-field",
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
    field_option : str, default="--text-field"
        The command-line option that names ``text_field``, for the messages about it.

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
    _check_encoding(encoding)
    fh = _open_binary(path)
    try:
        yield from _iter_rows(fh, path, kind, encoding, max_chars, text_field, field_option)
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()


def _check_encoding(encoding: str) -> None:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}; use a Python codec name such as utf-8 or cp1252") from None


def _iter_rows(
    fh: IO[bytes],
    path: str,
    kind: str,
    encoding: str,
    max_chars: int,
    text_field: str | None,
    option: str = "--text-field",
) -> Iterator[InputRow]:
    if kind == "csv" or kind == "tsv":
        return _read_csv(fh, path, encoding, max_chars, "\t" if kind == "tsv" else ",", text_field, option)
    return _read_lines(
        fh, path, encoding, max_chars, jsonl=kind == "jsonl", text_field=text_field or "text", option=option
    )


def _position(fh: IO[bytes]) -> int | None:
    """Bytes of the file consumed so far (compressed bytes for gzip), if it can tell."""
    raw = getattr(fh, "fileobj", None) or fh  # a GzipFile reads the compressed file through .fileobj
    try:
        return int(raw.tell())
    except (OSError, ValueError, AttributeError):
        return None


class InputReader:
    """The rows of one or more statement files, in order, knowing how far it has read.

    Iterating yields :class:`InputRow` objects exactly as :func:`read_rows` does for each
    path in turn; :attr:`size` and :meth:`position` measure progress through the input
    in bytes (compressed bytes for ``.gz``), for progress reports.

    Parameters
    ----------
    paths : sequence of str
        Files, or ``-`` for standard input.
    fmt, text_field, encoding, max_chars
        As for :func:`read_rows`.
    """

    def __init__(
        self,
        paths: Sequence[str],
        *,
        fmt: str | None = None,
        text_field: str | None = None,
        encoding: str = "utf-8",
        max_chars: int = DEFAULT_MAX_CHARS,
    ):
        self.paths = paths
        self.fmt = fmt
        self.text_field = text_field
        self.encoding = encoding
        self.max_chars = max_chars
        self._done = 0
        self._fh: IO[bytes] | None = None

    def check(self) -> None:
        """Raise :class:`InputError` now for any path that cannot be read (before output is written)."""
        _check_encoding(self.encoding)
        for path in self.paths:
            check_input(path, self.fmt)

    @property
    def size(self) -> int | None:
        """Total bytes of the input files; None when one is standard input."""
        total = 0
        for path in self.paths:
            if path == "-":
                return None
            try:
                total += os.path.getsize(path)
            except OSError:
                return None
        return total

    def position(self) -> int:
        """Bytes consumed so far, over all files."""
        here = _position(self._fh) if self._fh is not None else None
        return self._done + (here or 0)

    def __iter__(self) -> Iterator[InputRow]:
        self.check()
        self._done = 0
        for path in self.paths:
            kind = check_input(path, self.fmt)
            fh = _open_binary(path)
            self._fh = fh
            try:
                yield from _iter_rows(fh, path, kind, self.encoding, self.max_chars, self.text_field)
            finally:
                self._fh = None
                if fh is not sys.stdin.buffer:
                    fh.close()
            if path != "-":
                self._done += os.path.getsize(path)


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
    fh: IO[bytes], path: str, encoding: str, max_chars: int, *, jsonl: bool, text_field: str, option: str
) -> Iterator[InputRow]:
    for n, raw in enumerate(fh, start=1):
        raw = raw.rstrip(b"\r\n")
        line = _decode(raw, encoding, n == 1)
        if line is None:
            yield InputRow(n, {}, None, f"line is not valid {encoding} (pass --encoding)", path, broken=True)
            continue
        if not jsonl:
            yield InputRow(n, {"text": line}, line, _check(line, max_chars), path)
            continue
        if not line.strip():
            yield InputRow(n, {}, None, "empty line", path, broken=True)
            continue
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            msg = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            yield InputRow(n, {}, None, f"malformed JSON: {msg}", path, broken=True)
            continue
        if not isinstance(obj, dict):
            yield InputRow(n, {}, None, f"expected a JSON object, got {type(obj).__name__}", path, broken=True)
            continue
        if text_field not in obj:
            fields = ", ".join(map(str, obj)) or "(none)"
            yield InputRow(n, obj, None, f"no field {text_field!r} (fields: {fields}; pass {option})", path)
            continue
        text = obj[text_field]
        if not isinstance(text, str):
            yield InputRow(n, obj, None, f"field {text_field!r} is {type(text).__name__}, expected a string", path)
            continue
        yield InputRow(n, obj, text, _check(text, max_chars), path)


def _read_csv(
    fh: IO[bytes], path: str, encoding: str, max_chars: int, delimiter: str, text_field: str | None, option: str
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
            f"no column {wanted}; columns present: {', '.join(header) or '(none)'}; pass {option} NAME",
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
            yield InputRow(start, {}, None, f"malformed CSV row: {exc}", path, broken=True)
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        if not cells:
            yield InputRow(line, {}, None, "empty line", path, broken=True)
            continue
        if any("\udc80" <= ch <= "\udcff" for cell in cells for ch in cell):
            cells = [c.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for c in cells]
            yield InputRow(
                line,
                dict(zip(header, cells, strict=False)),
                None,
                f"row is not valid {encoding} (pass --encoding)",
                path,
                broken=True,
            )
            continue
        if len(cells) != len(header):
            fields = dict(zip(header, cells, strict=False))
            yield InputRow(
                line, fields, None, f"row has {len(cells)} cells, the header has {len(header)}", path, broken=True
            )
            continue
        fields = dict(zip(header, cells, strict=True))
        text = cells[idx]
        yield InputRow(line, fields, text, _check(text, max_chars), path)


def partial_path(path: str | os.PathLike[str]) -> Path:
    """Where a resumable run keeps its partial output: ``.NAME.part`` beside ``path``."""
    target = Path(path)
    return target.with_name(f".{target.name}.part")


@dataclass
class _Resumed:
    rows: int = 0
    errors: int = 0
    last: dict[str, Any] | None = None
    columns: list[str] | None = None


def _cell(value: Any) -> str:
    """A value as the CSV writer writes it."""
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class RowWriter:
    """Write result rows as JSONL or CSV/TSV, atomically for files.

    Rows go to a temporary file beside the destination, renamed into place by
    :meth:`commit`; :meth:`abort` removes it. For ``-`` rows go to standard output.

    With ``resume=True`` the temporary file has a fixed name (:func:`partial_path`) and
    :meth:`abort` keeps it. If it already exists (a run that was interrupted), its
    complete rows are kept, a truncated last row is dropped, and writing continues after
    them: :attr:`resumed_rows` says how many input rows to skip. A ``.gz`` partial file
    is rewritten up to its last complete row and appended to as a new gzip member.

    Parameters
    ----------
    path : str
        Destination, or ``-`` for standard output (JSONL).
    fmt : {"jsonl", "csv", "tsv"}, optional
        Output format; by default from the suffix of ``path``.
    columns : list of str, optional
        CSV columns; by default the keys of the first row.
    resume : bool, default=False
        Continue a partial output left by an interrupted run.

    Attributes
    ----------
    resumed_rows : int
        Complete rows found in the partial output (0 when not resuming).
    resumed_errors : int
        How many of them carry an ``error``.
    resumed_last : dict or None
        The last of them, as read back (CSV cells are strings).
    """

    def __init__(self, path: str, *, fmt: str | None = None, columns: list[str] | None = None, resume: bool = False):
        self.path = path
        self.fmt = "jsonl" if path == "-" and fmt is None else detect_format(path, fmt)
        if self.fmt == "txt":
            raise InputError(f"cannot write results to a .txt file ({path}); use .jsonl, .csv or .tsv")
        self.columns = columns
        self.resume = resume
        self.resumed_rows = 0
        self.resumed_errors = 0
        self.resumed_last: dict[str, Any] | None = None
        self._csv: Any = None
        self._tmp: str | None = None
        self._header_done = False
        if path == "-":
            if resume:
                raise InputError("cannot resume standard output; give an output file with -o OUT")
            self._fh: IO[str] = sys.stdout
            return
        target = Path(path)
        if target.is_dir():
            raise InputError("output path is a directory; give a file name", path=path)
        parent = target.parent if str(target.parent) else Path(".")
        gz = target.suffix.lower() == ".gz"
        try:
            if resume:
                self._tmp = str(partial_path(target))
                self._base: IO[bytes] = self._open_resumed(Path(self._tmp), gz)
            else:
                fd, self._tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=parent)
                self._base = os.fdopen(fd, "wb")
        except OSError as exc:
            raise InputError(f"cannot write output: {exc.strerror or exc}", path=path) from None
        self._raw: IO[bytes] = self._base
        if gz:
            self._raw = gzip.GzipFile(fileobj=self._base, mode="wb", filename="")  # type: ignore[assignment]
        self._fh = io.TextIOWrapper(self._raw, encoding="utf-8", newline="")  # type: ignore[arg-type]

    def _open_resumed(self, part: Path, gz: bool) -> IO[bytes]:
        if not part.exists():
            return open(part, "wb")
        state = _Resumed()
        if gz:
            rewritten = part.with_name(part.name + ".tmp")
            with open(rewritten, "wb") as out, gzip.GzipFile(fileobj=out, mode="wb", filename="") as zout:
                for record in _complete_records(_gzip_lines(part), self.fmt, state):
                    zout.write(record)
            os.replace(rewritten, part)
            fh = open(part, "ab")
        else:
            with open(part, "rb") as fh_in:
                end = sum(len(r) for r in _complete_records(fh_in, self.fmt, state))
            fh = open(part, "r+b")
            fh.truncate(end)
            fh.seek(end)
        self.resumed_rows, self.resumed_errors, self.resumed_last = state.rows, state.errors, state.last
        if state.columns is not None:
            self.columns = state.columns
            self._header_done = True
        return fh

    def _dict_writer(self) -> Any:
        return csv.DictWriter(
            self._fh,
            fieldnames=self.columns,
            delimiter="\t" if self.fmt == "tsv" else ",",
            extrasaction="ignore",
            lineterminator="\n",
        )

    def _close(self) -> None:
        try:
            self._fh.flush()
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
            self._csv = self._dict_writer()
            if not self._header_done:
                self._csv.writeheader()
        self._csv.writerow(
            {k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v) for k, v in row.items()}
        )

    def commit(self) -> None:
        """Finish: flush, close and rename the temporary file into place."""
        if self._tmp is None:
            self._fh.flush()
            return
        self._close()
        os.replace(self._tmp, self.path)
        self._tmp = None
        # A partial output left by an earlier interrupted --resume run is now obsolete.
        partial_path(self.path).unlink(missing_ok=True)

    def abort(self) -> None:
        """Stop writing: discard the temporary file, or keep it for a later resume (``resume=True``)."""
        if self._tmp is not None:
            try:
                self._close()
            finally:
                if not self.resume:
                    Path(self._tmp).unlink(missing_ok=True)
                self._tmp = None


def _gzip_lines(path: Path) -> Iterator[bytes]:
    """Lines of a gzip file, stopping quietly where a truncated or damaged tail begins."""
    import zlib

    with gzip.open(path, "rb") as fh:
        while True:
            try:
                line = fh.readline()
            except (EOFError, OSError, zlib.error):
                return
            if not line:
                return
            yield line


def _complete_records(lines: Iterable[bytes], fmt: str, state: _Resumed) -> Iterator[bytes]:
    """The complete records (header included) of a partial output, as bytes.

    A record is complete when its newline was written (and, for CSV, that newline is
    outside quotes); it must also read back. Reading stops at the first record that
    does not. ``state`` is filled in: rows, rows with an error, the last row, CSV columns.
    """
    pending = b""
    for line in lines:
        if not line.endswith(b"\n"):
            return
        record = pending + line
        if fmt != "jsonl" and record.count(b'"') % 2:
            pending = record  # a newline inside a quoted cell
            continue
        pending = b""
        try:
            text = record.decode("utf-8")
            if fmt == "jsonl":
                row = json.loads(text)
                if not isinstance(row, dict):
                    return
            else:
                (cells,) = list(csv.reader([text[:-1]], delimiter="\t" if fmt == "tsv" else ","))
                if state.columns is None:
                    state.columns = cells
                    yield record
                    continue
                if len(cells) != len(state.columns):
                    return
                row = dict(zip(state.columns, cells, strict=True))
        except (UnicodeDecodeError, ValueError, csv.Error):
            return
        state.rows += 1
        state.errors += bool(row.get("error"))
        state.last = row
        yield record


def open_writer(path: str | None, *, fmt: str | None = None, columns: list[str] | None = None) -> RowWriter:
    """A :class:`RowWriter` for ``path`` (standard output when None or ``-``)."""
    return RowWriter(path or "-", fmt=fmt, columns=columns)
