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

import numpy as np

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
    "stats_markdown",
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
    paths: Iterable[str | Path],
    *,
    required: Iterable[str] = REQUIRED_FIELDS,
    labels: Iterable[str] | None = None,
    near_threshold: float | None = None,
) -> list[Problem]:
    """List every problem in corpus files.

    Checks required fields, labels in the scheme, non-empty UTF-8 text, unique ids
    and that no text appears twice with conflicting labels.

    Parameters
    ----------
    paths : iterable of path
        Corpus files or directories.
    required : iterable of str
        Fields every record must have.
    labels : iterable of str, optional
        The label scheme; None accepts any label.
    near_threshold : float, optional
        Also report near-duplicates (sharing more than this share of the shorter text's
        word 5-grams) whose labels differ, as :func:`stancekit.train` would refuse them.

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
    if near_threshold is not None:
        firsts = list(seen_text.values())
        for i, j, share in near_duplicates([r.text for r in firsts], threshold=near_threshold):
            a, b = firsts[i], firsts[j]
            if a.label != b.label:
                problems.append(
                    Problem(
                        b.path,
                        b.line,
                        f"near-duplicate of {a.where} ({share:.0%} of 5-grams shared) but label {b.label!r} "
                        f"instead of {a.label!r}; decide one label or make the texts differ",
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


def stats_markdown(records: list[Record]) -> str:
    """The counts of :func:`stats` as Markdown tables (the corpus card's tables)."""
    n = len(records)
    out = [f"Records: **{n}**"]
    for name, counts in stats(records).items():
        out += ["", f"| {name} | n | share |", "|---|---:|---:|"]
        out += [
            f"| {k} | {v} | {100 * v / n:.1f}% |" for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
    return "\n".join(out) + "\n"


def corpus_digest(records: Iterable[Record]) -> str:
    """SHA-256 over the (text, label) pairs of a corpus, independent of file layout."""
    h = hashlib.sha256()
    for r in sorted(records, key=lambda r: (r.text, r.label)):
        h.update(r.text.encode("utf-8") + b"\x00" + r.label.encode("utf-8") + b"\x01")
    return h.hexdigest()


def _gram_hashes(text: str, n: int) -> set[int]:
    """Hashes of the distinct word n-grams of ``text``."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {hash(" ".join(words[i : i + n])) for i in range(len(words) - n + 1)}


def near_duplicates(
    texts: list[str], *, threshold: float = 0.5, n: int = 5, strict: bool = True
) -> list[tuple[int, int, float]]:
    """Pairs of texts sharing more than ``threshold`` of the word n-grams of the shorter one.

    With ``strict=False`` a share equal to ``threshold`` counts too. Texts of fewer than
    ``n`` words have no n-grams and are never near-duplicates.

    The search is exact but not quadratic (prefix filtering): if two texts share more
    than ``threshold`` of the shorter one's n-grams, then one of the shorter one's
    ``floor((1 - threshold) * size) + 1`` rarest n-grams is in the other, so only the
    texts holding those rare n-grams are compared. Its cost grows with the number of
    texts times the frequency of their rarest n-grams, not with the number of pairs.

    Parameters
    ----------
    texts : list of str
    threshold : float, default=0.5
        Share of the shorter text's n-grams, between 0 and 1.
    n : int, default=5
        Words per n-gram.
    strict : bool, default=True

    Returns
    -------
    list of (i, j, share)
        ``i < j``, sorted.

    Examples
    --------
    >>> a = "We firmly support the sovereignty and territorial integrity of Georgia."
    >>> b = "We firmly support the sovereignty and territorial integrity of Moldova."
    >>> [(i, j, round(share, 2)) for i, j, share in near_duplicates([a, b, "Trade grew."])]
    [(0, 1, 0.83)]
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold={threshold!r} is not between 0 and 1; use e.g. 0.5")
    if n < 1:
        raise ValueError(f"n={n!r} must be at least 1")
    flat_list: list[int] = []
    sizes_list: list[int] = []
    for t in texts:
        hashes = _gram_hashes(t, n)
        flat_list.extend(hashes)
        sizes_list.append(len(hashes))
    sizes = np.asarray(sizes_list, dtype=np.int64)
    if not flat_list:
        return []
    flat = np.asarray(flat_list, dtype=np.int64)
    del flat_list
    owner = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
    _, gram_id, df = np.unique(flat, return_inverse=True, return_counts=True)
    # Postings: the texts holding each n-gram, grouped by n-gram.
    by_gram = np.argsort(gram_id, kind="stable")
    posting_start = np.concatenate(([0], np.cumsum(df)[:-1]))
    posting_text = owner[by_gram]
    # Prefix of each text: its rarest n-grams (ties broken by n-gram id, a global order).
    order = np.lexsort((gram_id, df[gram_id], owner))
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    rank = np.arange(len(flat)) - starts[owner[order]]
    prefix_len = np.minimum(sizes, np.floor((1.0 - threshold) * sizes + 1e-9).astype(np.int64) + 1)
    probe = order[rank < prefix_len[owner[order]]]
    probe_text, probe_gram = owner[probe], gram_id[probe]
    pairs: set[tuple[int, int]] = set()
    chunk = 1 << 20  # bound the memory of the expanded postings
    bounds = np.concatenate(([0], np.cumsum(df[probe_gram])))
    lo = 0
    while lo < len(probe):
        hi = int(np.searchsorted(bounds, bounds[lo] + chunk, side="right")) - 1
        hi = max(hi, lo + 1)
        counts = df[probe_gram[lo:hi]]
        first = np.repeat(posting_start[probe_gram[lo:hi]], counts)
        offset = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        j = posting_text[first + offset]
        i = np.repeat(probe_text[lo:hi], counts)
        # Keep each pair once, probed from its shorter text (the lower index among equals).
        keep = (sizes[j] > sizes[i]) | ((sizes[j] == sizes[i]) & (j > i))
        pairs.update(zip(i[keep].tolist(), j[keep].tolist(), strict=True))
        lo = hi
    out = []
    for i, j in sorted(pairs):
        shared = len(
            set(flat[starts[i] : starts[i] + sizes[i]].tolist()) & set(flat[starts[j] : starts[j] + sizes[j]].tolist())
        )
        share = shared / max(1, min(sizes[i], sizes[j]))
        if share > threshold or (not strict and share == threshold):
            a, b = (i, j) if i < j else (j, i)
            out.append((a, b, float(share)))
    return sorted(out)
