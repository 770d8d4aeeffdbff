"""Does a model know a statement's words? A check that flags text it cannot read (not English).

The shipped model reads English: its corpus, word vectors and lexicons are English. A
statement in another language still gets a label, at whatever confidence, and that label is
noise. :func:`language_warning` flags it from the share of the statement's words the model
knows (the words of its word vectors and the single words of its n-gram vocabulary; names,
numbers, role tokens, hashtags and @-handles do not count). On English text that share is high: no statement of
the dev set, the corpus's English statements or a sample of 20,000 UN General Debate
sentences reads below 0.6, while French, German, Portuguese, Serbian, Italian, Turkish and
Russian statements of a line or two do (Spanish, the nearest to the UN's English vocabulary,
can read above it).
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Sequence
from typing import Any

__all__ = ["MIN_KNOWN_SHARE", "MIN_WORDS", "known_words", "language_warning", "tags", "unknown_words"]

#: A statement with at least :data:`MIN_WORDS` words, of which the model knows a smaller share
#: than this, is flagged.
MIN_KNOWN_SHARE = 0.6
#: Fewer words than this say too little to flag a statement.
MIN_WORDS = 2

_WORD = re.compile(r"[^\W\d_]+")
_TAG = re.compile(r"[#@](\w+)")
_NOT_A_WORD, _KNOWN, _UNKNOWN = 0, 1, 2
_TABLE_MAX = 200_000
_tables: weakref.WeakKeyDictionary[Any, tuple[frozenset[str], dict[str, int]]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def known_words(estimator: Any) -> frozenset[str]:
    """The words a fitted :class:`~stancekit.StanceClassifier` knows: those of its word
    vectors and the single words of its n-gram vocabulary."""
    return _table(estimator)[0]


def _table(estimator: Any) -> tuple[frozenset[str], dict[str, int]]:
    with _lock:
        hit = _tables.get(estimator)
        if hit is None:
            words: set[str] = set()
            vectors = getattr(estimator, "vectors_", None)
            if vectors is not None:
                words.update(vectors.words)
            vectorizer = getattr(estimator, "vectorizer_", None)
            vocabulary = getattr(vectorizer, "vocabulary_", None)
            if vocabulary is None and vectorizer is not None and hasattr(vectorizer, "transformer_list"):
                vocabulary = getattr(vectorizer.transformer_list[0][1], "vocabulary_", None)  # words, then chars
            if vocabulary is not None:
                words.update(g for g in vocabulary if " " not in g)
            hit = _tables[estimator] = (frozenset(words), {})
        return hit


def tags(text: str) -> frozenset[str]:
    """The hashtags and @-handles of ``text``, lower-cased and without their sign: run-together
    words ("#StandWithUkraine") that no vocabulary holds, whatever the language."""
    return frozenset(t.lower() for t in _TAG.findall(text))


def unknown_words(tokens: Sequence[str], estimator: Any, skip: frozenset[str] = frozenset()) -> tuple[int, int]:
    """``(unknown, words)``: how many of the feature tokens ``tokens`` are words (not names,
    numbers, role tokens or the tokens in ``skip``, e.g. :func:`tags`) and how many of those
    the fitted ``estimator`` does not know."""
    known, kinds = _table(estimator)
    words = unknown = 0
    for token in tokens:
        if token in skip:
            continue
        kind = kinds.get(token)
        if kind is None:
            word = token[4:] if token.startswith("not_") else token
            if not _WORD.fullmatch(word) or word.isupper():
                kind = _NOT_A_WORD
            else:
                kind = _KNOWN if word in known or token in known else _UNKNOWN
            if len(kinds) >= _TABLE_MAX:  # bounded over a long run, like the chunk cache
                kinds.clear()
            kinds[token] = kind
        if kind:
            words += 1
            unknown += kind == _UNKNOWN
    return unknown, words


def language_warning(tokens: Sequence[str], estimator: Any, text: str = "") -> str | None:
    """A warning for a statement (as feature tokens, and as written in ``text``, whose hashtags
    and handles are not counted) whose words the model mostly does not know, or None. See the
    module docstring for the rule."""
    unknown, words = unknown_words(tokens, estimator, tags(text) if "#" in text or "@" in text else frozenset())
    if words >= MIN_WORDS and (words - unknown) / words < MIN_KNOWN_SHARE:
        return (
            f"{unknown} of its {words} words are unknown to the model: the statement may not be in English, "
            "which is all the model reads, so its label is not to be trusted"
        )
    return None
