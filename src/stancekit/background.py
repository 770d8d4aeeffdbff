"""Background sentences: unlabelled real text, taught as carrying no stance.

An authored corpus shows the model stance-bearing language and its look-alikes, but not
the plain bulk of real speeches: thanks to the President, development, the Organization's
budget. Left to itself the model reads stance into some of that bulk (on 20,000 random UN
General Debate sentences without a name or a status word, the shipped model of corpus round
11 gave 9.6% a stance). Training with background sentences adds a sample of such *plain*
sentences from an unlabelled archive, labelled ``none`` (or another label of the user's
scheme), to the training data only: never to the statements cross-validation scores.

A sentence is plain when it names no state, territory, capital or demonym of the gazetteer,
uses no word of the status, dialogue, concern, condemnation or support cue groups
(:mod:`stancekit.lexicon`) and none of :data:`GUARD_WORDS` (interference, aggression, war,
...: words of general principles that can carry a stance without a name). The rule is
deliberately narrow; the archive is large, so what it rejects costs nothing.

Only a fixed share of the archive is eligible (the *pool*: sentences whose CRC-32 is
divisible by ``pool``), so that the rest can serve for checks that must not see training
text (``benchmarks/real_register.py`` samples outside the pool).
"""

from __future__ import annotations

import os
import random
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError
from .io import read_rows
from .lexicon import CUES
from .preprocess import Analysis, Preprocessor
from .wordvectors import overlap_filter

__all__ = ["GUARD_WORDS", "STANCE_CUE_GROUPS", "Background", "background_sentences", "in_pool", "is_plain"]

#: Cue groups whose words disqualify a background sentence.
STANCE_CUE_GROUPS = ("status", "dialogue", "concern", "condemn", "support")
#: Lemmas that disqualify a background sentence although no cue group holds them.
GUARD_WORDS = frozenset(
    "interference intervention intervene aggression aggressor invasion invade imperialism imperialist "
    "domination dominate hegemony hegemonism apartheid bantustan struggle conflict dispute war troops "
    "withdrawal withdraw".split()
)
#: Background sentences have between this many words ...
MIN_WORDS = 5
#: ... and this many.
MAX_WORDS = 80
#: One sentence in ``POOL`` (by CRC-32) is eligible by default.
POOL = 10


def in_pool(text: str, pool: int = POOL) -> bool:
    """Whether ``text`` belongs to the eligible share of an archive (CRC-32 divisible by ``pool``)."""
    return zlib.crc32(text.encode("utf-8")) % pool == 0


def is_plain(analysis: Analysis) -> bool:
    """Whether an analysed sentence names no party and uses no stance-bearing word."""
    if analysis.mentions:
        return False
    for token in analysis.tokens:
        word = token[4:] if token.startswith("not_") else token
        if CUES.get(word) in STANCE_CUE_GROUPS or word in GUARD_WORDS:
            return False
    return True


@dataclass
class Background:
    """Background sentences drawn from an archive, and how they were drawn.

    Attributes
    ----------
    texts : list of str
        The sentences.
    docs : list of str
        Their feature tokens (:attr:`Analysis.text`), joined by spaces.
    sources : list of str
        The archive files.
    rows : int
        Rows read from the archive.
    unreadable : int
        Rows skipped because they could not be read (bad encoding, malformed JSON, no text);
        ``examples`` names the first few.
    eligible : int
        Rows in the pool, of a usable length, sharing no word 6-gram with the held-out texts.
    held_out : int
        Pool rows left out for sharing a word 6-gram with a held-out text.
    examined : int
        Eligible rows analysed (in random order) until ``n`` plain ones were found.
    """

    texts: list[str]
    docs: list[str]
    sources: list[str]
    rows: int = 0
    unreadable: int = 0
    eligible: int = 0
    held_out: int = 0
    examined: int = 0
    examples: list[str] = field(default_factory=list)

    def summary(self, label: str, weight: float, seed: int, pool: int) -> dict[str, Any]:
        """What the model card records about the background."""
        return {
            "sources": self.sources,
            "label": label,
            "weight": weight,
            "n": len(self.texts),
            "seed": seed,
            "pool": pool,
            "rows": self.rows,
            "unreadable": self.unreadable,
            "eligible": self.eligible,
            "held_out": self.held_out,
            "examined": self.examined,
            "digest": f"crc32:{zlib.crc32(chr(10).join(self.texts).encode('utf-8')):08x}",
            "rule": "no gazetteer name, no status/dialogue/concern/condemn/support cue, no guard word, "
            f"{MIN_WORDS}-{MAX_WORDS} words",
        }


def background_sentences(
    sources: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    n: int = 2000,
    seed: int = 0,
    exclude: Iterable[str] = (),
    pool: int = POOL,
    preprocessor: Preprocessor | None = None,
    text_field: str | None = None,
    encoding: str = "utf-8",
    batch_size: int = 2000,
) -> Background:
    """Draw ``n`` plain sentences at random from the pool of an unlabelled archive.

    Parameters
    ----------
    sources : path or list of paths
        Text, JSONL, CSV or TSV files (optionally gzipped), one sentence per row, as
        :func:`stancekit.io.read_rows` reads them.
    n : int, default=2000
        How many sentences to draw. Fewer are returned (all there are) when the pool holds
        fewer plain sentences; :attr:`Background.examined` tells how many were looked at.
    seed : int, default=0
        Same archive and seed, same sentences.
    exclude : iterable of str
        Held-out texts (an evaluation set): pool rows sharing a word 6-gram with any of
        them are left out.
    pool : int, default=10
        One row in ``pool`` is eligible (:func:`in_pool`); 1 makes every row eligible.
    preprocessor : Preprocessor, optional
        How to analyse the sentences (the model's own preprocessing; default settings
        otherwise).

    Returns
    -------
    Background

    Raises
    ------
    InputError
        For a missing or unreadable archive, ``n < 1`` or ``pool < 1``.
    """
    if n < 1:
        raise InputError(f"background n must be at least 1, got {n}; leave the background out instead")
    if pool < 1:
        raise InputError(f"background pool must be at least 1 (every row eligible), got {pool}")
    paths = [os.fspath(sources)] if isinstance(sources, (str, os.PathLike)) else [os.fspath(p) for p in sources]
    if not paths:
        raise InputError("no background archive given; pass at least one file of sentences")
    held = list(exclude)
    overlaps = overlap_filter(held) if held else None
    bg = Background(texts=[], docs=[], sources=paths)
    eligible: list[str] = []
    for path in paths:
        for row in read_rows(path, text_field=text_field, encoding=encoding):
            bg.rows += 1
            if row.text is None:
                if row.error not in ("empty text", "empty line"):
                    bg.unreadable += 1
                    if len(bg.examples) < 5:
                        bg.examples.append(f"{row.source}:{row.line}: {row.error}")
                continue
            if not in_pool(row.text, pool) or not MIN_WORDS <= len(row.text.split()) <= MAX_WORDS:
                continue
            if overlaps is not None and overlaps(row.text):
                bg.held_out += 1
                continue
            eligible.append(row.text)
    bg.eligible = len(eligible)
    random.Random(seed).shuffle(eligible)
    pre = preprocessor if preprocessor is not None else Preprocessor()
    for start in range(0, len(eligible), batch_size):
        batch = eligible[start : start + batch_size]
        for text, analysis in zip(batch, pre.analyze(batch), strict=True):
            bg.examined += 1
            if is_plain(analysis):
                bg.texts.append(text)
                bg.docs.append(analysis.text)
                if len(bg.texts) == n:
                    return bg
    return bg
