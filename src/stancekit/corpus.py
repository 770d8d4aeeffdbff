"""Annotated corpora: reading JSONL/CSV records with line numbers, validation, statistics.

A corpus record is a JSON object (one per line of a ``.jsonl`` file) or a CSV/TSV row
with at least ``id``, ``text`` and ``label``. The corpus shipped in ``corpus/`` also
carries ``actor``, ``speaker``, ``date``, ``state``, ``entity``, ``dispute``, ``form``,
``mode``, ``source`` and ``notes`` (see ``corpus/README.md``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CorpusError

__all__ = [
    "FULL_FIELDS",
    "REQUIRED_FIELDS",
    "Problem",
    "Record",
    "corpus_digest",
    "iter_corpus_files",
    "near_duplicates",
    "read_records",
    "stats",
    "validate",
]

#: Fields every corpus record must have.
REQUIRED_FIELDS = ("id", "text", "label")
#: Fields of the records in the shipped corpus (``--schema full``).
FULL_FIELDS = (
    "id",
    "text",
    "label",
    "actor",
    "speaker",
    "date",
    "state",
    "entity",
    "dispute",
    "form",
    "source",
    "notes",
)
_CORPUS_SUFFIXES = (".jsonl", ".csv", ".tsv")


@dataclass
class Record:
    """One corpus record with where it came from."""

    data: dict[str, Any]
    path: str
    line: int

    @property
    def text(self) -> str:
        return self.data["text"]

    @property
    def label(self) -> str:
        return self.data["label"]

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class Problem:
    """A validation problem at a file and line."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


def iter_corpus_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand paths: files as given, directories to their ``.jsonl``/``.csv``/``.tsv`` files."""
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(q for q in p.rglob("*") if q.suffix in _CORPUS_SUFFIXES and q.is_file())
            if not found:
                raise CorpusError("directory holds no .jsonl, .csv or .tsv corpus files", path=str(p))
            yield from found
        elif p.exists():
            yield p
        else:
            raise CorpusError("no such file or directory; check the path", path=str(p))


def _raw_records(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """Yield ``(line, record or None, problem or None)`` for one file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"cannot read: {exc.strerror}", path=str(path)) from exc
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if path.suffix in (".csv", ".tsv"):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            yield line, None, "not valid UTF-8; re-save the file as UTF-8"
            return
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter="\t" if path.suffix == ".tsv" else ",")
        if reader.fieldnames is None:
            return
        for row in reader:
            line = reader.line_num
            if None in row:
                yield (
                    line,
                    None,
                    f"row has {len(reader.fieldnames) + len(row[None])} cells, header has {len(reader.fieldnames)}",
                )
                continue
            yield line, {k: (v if v != "" else None) for k, v in row.items()}, None
        return
    for n, bline in enumerate(raw.split(b"\n"), start=1):
        if not bline.strip():
            continue
        try:
            sline = bline.decode("utf-8")
        except UnicodeDecodeError:
            yield n, None, "not valid UTF-8; re-save the file as UTF-8"
            continue
        try:
            obj = json.loads(sline)
        except json.JSONDecodeError as exc:
            yield n, None, f"malformed JSON ({exc.msg} at column {exc.colno})"
            continue
        if not isinstance(obj, dict):
            yield n, None, f"expected a JSON object, got {type(obj).__name__}"
            continue
        yield n, obj, None


def read_records(
    paths: Iterable[str | Path], *, required: Iterable[str] = REQUIRED_FIELDS, labels: Iterable[str] | None = None
) -> list[Record]:
    """Read corpus records from JSONL/CSV/TSV files or directories of them.

    Parameters
    ----------
    paths : iterable of str or Path
    required : iterable of str
        Fields every record must have.
    labels : iterable of str, optional
        The label scheme; records with other labels are an error.

    Returns
    -------
    list of Record

    Raises
    ------
    CorpusError
        On the first problem, naming file and line. Use :func:`validate` to list all.
    """
    records, problems = _read(paths, required, labels)
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more problems; run `stancekit corpus validate`)" if len(problems) > 1 else ""
        raise CorpusError(first.message + more, path=first.path, line=first.line)
    return records


def _read(
    paths: Iterable[str | Path], required: Iterable[str], labels: Iterable[str] | None
) -> tuple[list[Record], list[Problem]]:
    required = tuple(required)
    scheme = set(labels) if labels is not None else None
    records: list[Record] = []
    problems: list[Problem] = []
    for path in iter_corpus_files(paths):
        for line, obj, problem in _raw_records(path):
            if problem:
                problems.append(Problem(str(path), line, problem))
                continue
            assert obj is not None
            missing = [f for f in required if f not in obj]
            if missing:
                problems.append(Problem(str(path), line, f"missing required field(s) {', '.join(missing)}"))
                continue
            text, label = obj.get("text"), obj.get("label")
            if not isinstance(text, str) or not text.strip():
                problems.append(Problem(str(path), line, f"text must be a non-empty string, got {text!r}"))
                continue
            if not isinstance(label, str) or not label.strip():
                problems.append(Problem(str(path), line, f"label must be a non-empty string, got {label!r}"))
                continue
            if scheme is not None and label not in scheme:
                problems.append(Problem(str(path), line, f"label {label!r} is not in the scheme {sorted(scheme)}"))
                continue
            records.append(Record(obj, str(path), line))
    return records, problems


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def validate(
    paths: Iterable[str | Path], *, required: Iterable[str] = REQUIRED_FIELDS, labels: Iterable[str] | None = None
) -> list[Problem]:
    """List every problem in corpus files.

    Checks required fields, labels in the scheme, non-empty UTF-8 text, unique ids
    and that no text appears twice with conflicting labels.

    Returns
    -------
    list of Problem
        Empty when the corpus is valid.
    """
    records, problems = _read(paths, required, labels)
    seen_ids: dict[str, Record] = {}
    seen_text: dict[str, Record] = {}
    for r in records:
        rid = r.data.get("id")
        if rid is not None:
            key = str(rid)
            if key in seen_ids:
                problems.append(Problem(r.path, r.line, f"duplicate id {key!r} (first at {seen_ids[key].where})"))
            else:
                seen_ids[key] = r
        norm = _norm(r.text)
        first = seen_text.get(norm)
        if first is None:
            seen_text[norm] = r
        elif first.label != r.label:
            problems.append(
                Problem(
                    r.path,
                    r.line,
                    f"same text as {first.where} but label {r.label!r} instead of {first.label!r}",
                )
            )
    return problems


def stats(records: Iterable[Record], by: Iterable[str] = ("label", "dispute", "form", "source")) -> dict[str, Counter]:
    """Count records by label, dispute, form and source kind (or other fields)."""
    out: dict[str, Counter] = {f: Counter() for f in by}
    for r in records:
        for f in out:
            v = r.data.get(f)
            if isinstance(v, dict):
                v = v.get("kind")
            out[f][str(v) if v is not None else "(none)"] += 1
    return out


def corpus_digest(records: Iterable[Record]) -> str:
    """SHA-256 over the (text, label) pairs of a corpus, independent of file layout."""
    h = hashlib.sha256()
    for r in sorted(records, key=lambda r: (r.text, r.label)):
        h.update(r.text.encode("utf-8") + b"\x00" + r.label.encode("utf-8") + b"\x01")
    return h.hexdigest()


def _grams(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + n]) for i in range(max(0, len(words) - n + 1))}


def near_duplicates(
    texts: list[str], *, threshold: float = 0.5, n: int = 5, strict: bool = True
) -> list[tuple[int, int, float]]:
    """Pairs of texts sharing more than ``threshold`` of the word n-grams of the shorter one.

    With ``strict=False`` a share equal to ``threshold`` counts too.

    Returns
    -------
    list of (i, j, share)
    """
    grams = [_grams(t, n) for t in texts]
    index: dict[tuple[str, ...], list[int]] = {}
    for i, gs in enumerate(grams):
        for g in gs:
            index.setdefault(g, []).append(i)
    pairs = []
    for i, gs in enumerate(grams):
        shared: Counter = Counter()
        for g in gs:
            for j in index[g]:
                if j > i:
                    shared[j] += 1
        for j, k in shared.items():
            share = k / max(1, min(len(gs), len(grams[j])))
            if share > threshold or (not strict and share == threshold):
                pairs.append((i, j, share))
    return pairs
