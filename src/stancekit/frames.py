"""Attribution frames: the words a report wraps around what an official said.

The same position reaches an analyst as a bare sentence, as a quote ("...," the spokesperson
said), or as reported speech (The ministry said that ...). The frame carries no stance, but a
classifier trained on a corpus where some frames happen to go with some labels learns them as
cues: before this module, wrapping real General Debate sentences in "The foreign minister told
reporters: ..." changed the shipped model's label for 31% of them.

:func:`framed_copies` gives each training statement one copy in a frame picked from
:data:`FRAMES` (by a hash of the text, so the same corpus gives the same copies), which
:func:`stancekit.train` adds to training with the statement's label (``frames=`` weight), so
that frames are seen with every label. Cross-validation adds a statement's copy only to the
training folds that hold the statement. ``benchmarks/frames.py`` measures the effect with
frames *not* in :data:`FRAMES`, on real sentences and held-out statements.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

from .errors import InputError

__all__ = ["FRAMES", "frame", "framed_copies"]

#: Training frames. ``{s}``: the statement as is; ``{q}``: without its final full stop, for a
#: quote followed by its attribution; ``{r}``: with a lower-cased first word where that word
#: is a common one ("The", "We", ...), for reported speech.
FRAMES: tuple[str, ...] = (
    '"{q}," the spokesperson said.',
    '"{q}," a ministry spokesman told a regular news briefing.',
    "The foreign minister said that {r}",
    "Officials said {r}",
    "In a statement, the ministry said {r}",
    "According to the statement, {r}",
    '"{q}," the minister said in a written statement.',
    'The president told lawmakers: "{s}"',
    '"{q}," the ambassador told reporters on Monday.',
    "The spokesperson added that {r}",
    'Speaking at a press conference, the prime minister said: "{s}"',
    "The government said on Tuesday that {r}",
    '"{q}," the statement read.',
    'The deputy foreign minister was quoted as saying: "{s}"',
    '"{q}", the envoy said after the meeting.',
    "A senior official, speaking on condition of anonymity, said {r}",
)

_LOWER = frozenset(
    "The We It This That These Those Our Any No There In Such All Its Their His Her A An Both Each "
    "Every Neither None Nothing Today Now".split()
)


def frame(text: str, template: str) -> str:
    """``text`` wrapped in ``template`` (see :data:`FRAMES` for the placeholders).

    Examples
    --------
    >>> frame("We will not recognise it.", '"{q}," the spokesperson said.')
    '"We will not recognise it," the spokesperson said.'
    >>> frame("The vote is void.", "Officials said {r}")
    'Officials said the vote is void.'
    """
    s = text.strip()
    q = s[:-1] if s.endswith(".") else s
    first = s.split(" ", 1)[0]
    r = s[0].lower() + s[1:] if first in _LOWER else s
    return template.format(s=s, q=q, r=r)


def framed_copies(texts: Sequence[str], frames: Sequence[str] = FRAMES) -> list[str]:
    """One framed copy of each text, the frame picked by a hash of the text.

    Parameters
    ----------
    texts : sequence of str
    frames : sequence of str, default=FRAMES
        Templates with ``{s}``, ``{q}`` or ``{r}``.

    Returns
    -------
    list of str
        In the order of ``texts``.
    """
    if not frames:
        raise InputError("frames is empty; give at least one template with {s}, {q} or {r}")
    return [frame(t, frames[zlib.crc32(t.encode("utf-8")) % len(frames)]) for t in texts]
