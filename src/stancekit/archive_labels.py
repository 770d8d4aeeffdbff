"""Labelled lines of an archive: real sentences annotated by reference, not by copy.

A corpus of authored statements teaches the model the language of statements, but real
General Debate speech differs from anything written for a corpus. Annotating real sentences
closes that gap; when their archive may not be copied (``../shared/data/ungd`` is read by
path, never committed), the annotation keeps each sentence's **line number** in the archive
and a SHA-1 prefix of its text, never the text. Training reads the texts from the archive
and refuses a line whose text no longer matches.

The file is one JSON document (so that corpus readers, which read ``.jsonl``, ``.csv`` and
``.tsv`` files, pass it by)::

    {"archive": "sentences.jsonl.gz",
     "rows": [
    {"id": "t0001", "line": 102934, "sha1": "6b8d985f667c", "label": "favor", "country": "CSK"},
    ...
    ]}

``line`` is the 1-based line of the archive (as :func:`stancekit.io.read_rows` numbers
rows), ``sha1`` the first hex digits (at least 8) of the SHA-1 of the UTF-8 text, ``label``
a label of the training scheme, or null for a row not to train on (its annotators
disagreed: skipped and counted); ``country`` (optional) is who speaks, read when training
reads speakers. Other fields (annotators, year, stratum) are kept and ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .errors import InputError
from .io import read_rows

__all__ = ["LabelledLines", "read_labelled_lines", "sha1_prefix"]

#: Fewest hex digits of a SHA-1 prefix.
MIN_SHA1 = 8


def sha1_prefix(text: str, digits: int = 12) -> str:
    """The first ``digits`` hex digits of the SHA-1 of ``text`` (UTF-8)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:digits]


@dataclass
class LabelledLines:
    """Labelled archive lines with their texts.

    Attributes
    ----------
    texts, labels : list of str
        The sentences (read from the archive) and their labels, in the file's order.
    speakers : list of str or None
        Who speaks each sentence (the rows' ``country``), None where not given.
    lines : list of int
        Their 1-based archive lines.
    path, archive : str
        The labels file and the archive read.
    skipped : int
        Rows with a null label, not read.
    """

    texts: list[str]
    labels: list[str]
    speakers: list[str | None]
    lines: list[int]
    path: str
    archive: str
    skipped: int = 0

    def summary(self, weight: float) -> dict[str, Any]:
        """What the model card records about the labelled lines."""
        return {
            "path": self.path,
            "archive": self.archive,
            "n": len(self.texts),
            "skipped": self.skipped,
            "by_label": dict(sorted(Counter(self.labels).items())),
            "weight": weight,
            "digest": f"crc32:{zlib.crc32(chr(10).join(self.texts).encode('utf-8')):08x}",
        }


def _rows(path: str) -> list[dict[str, Any]]:
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except FileNotFoundError:
        raise InputError(f"labelled-lines file {path!r} does not exist; check the path") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            f"{path}: not a JSON document of labelled lines ({exc}); expected "
            '{"rows": [{"line": N, "sha1": "...", "label": "..."}, ...]}'
        ) from None
    rows = doc.get("rows") if isinstance(doc, dict) else None
    if not isinstance(rows, list):
        raise InputError(f'{path}: expected a JSON object with a "rows" list, got {type(doc).__name__}')
    return rows


def read_labelled_lines(
    path: str | os.PathLike[str],
    archive: str | os.PathLike[str],
    *,
    labels: Any = None,
    encoding: str = "utf-8",
) -> LabelledLines:
    """Read a labelled-lines file and the texts of its lines from ``archive``.

    Parameters
    ----------
    path : path
        The labelled-lines file (module docstring).
    archive : path
        The archive its lines number (text, JSONL or CSV, optionally gzipped; as
        :func:`stancekit.io.read_rows` reads it).
    labels : collection of str, optional
        The training scheme: a row with another label is an error.
    encoding : str, default="utf-8"
        The archive's encoding.

    Returns
    -------
    LabelledLines

    Raises
    ------
    InputError
        A missing or malformed file, a row without a positive integer ``line``, a
        string ``label`` or a hex ``sha1`` of at least 8 digits, a line given twice, a
        label outside ``labels``, a line the archive does not have or whose text does not
        match its SHA-1 prefix (each naming the row and the fix).
    """
    path, archive = os.fspath(path), os.fspath(archive)
    rows = _rows(path)
    wanted: dict[int, int] = {}
    skipped = 0
    for k, row in enumerate(rows):
        where = f"{path}: row {k + 1}" + (f" ({row['id']})" if isinstance(row, dict) and "id" in row else "")
        if not isinstance(row, dict):
            raise InputError(f"{where}: expected an object, got {type(row).__name__}")
        if "label" in row and row["label"] is None:
            skipped += 1
            continue
        line, label, sha1 = row.get("line"), row.get("label"), row.get("sha1")
        if not isinstance(line, int) or isinstance(line, bool) or line < 1:
            raise InputError(f"{where}: 'line' must be a positive integer (1-based archive line), got {line!r}")
        if not isinstance(label, str) or not label:
            raise InputError(f"{where}: 'label' must be a non-empty string, got {label!r}")
        if labels is not None and label not in labels:
            raise InputError(
                f"{where}: label {label!r} is not in the training scheme {sorted(labels)}; "
                "relabel the row or add the label to the scheme"
            )
        if not isinstance(sha1, str) or len(sha1) < MIN_SHA1 or any(c not in "0123456789abcdef" for c in sha1):
            raise InputError(
                f"{where}: 'sha1' must be at least {MIN_SHA1} lower-case hex digits of the text's SHA-1, got {sha1!r}"
            )
        if line in wanted:
            raise InputError(f"{where}: archive line {line} is labelled twice (also row {wanted[line] + 1})")
        wanted[line] = k
    texts: dict[int, str] = {}
    for got in read_rows(archive, encoding=encoding):
        if got.line in wanted:
            if got.text is None:
                raise InputError(
                    f"{path}: row {wanted[got.line] + 1} labels {archive}:{got.line}, which has no text ({got.error})"
                )
            texts[got.line] = got.text
            if len(texts) == len(wanted):
                break
    out = LabelledLines([], [], [], [], path, archive, skipped)
    for k, row in enumerate(rows):
        if row["label"] is None:
            continue
        line = row["line"]
        if line not in texts:
            raise InputError(
                f"{path}: row {k + 1} labels line {line} of {archive}, which has fewer lines; "
                "is this the archive the lines were labelled from?"
            )
        text = texts[line]
        if sha1_prefix(text, len(row["sha1"])) != row["sha1"]:
            raise InputError(
                f"{path}: row {k + 1} expects {archive}:{line} with SHA-1 {row['sha1']}, found another text; "
                "is this the archive the lines were labelled from?"
            )
        out.texts.append(text)
        out.labels.append(row["label"])
        speaker = row.get("country")
        out.speakers.append(speaker if isinstance(speaker, str) and speaker else None)
        out.lines.append(line)
    return out
