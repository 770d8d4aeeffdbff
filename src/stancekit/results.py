"""``classify``: statements in, one :class:`Result` per statement out."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError
from .language import language_warning
from .model import StanceModel, load
from .preprocess import split_sentences

__all__ = ["RESULT_KEYS", "Result", "classify", "default_model", "iter_classify"]

#: The keys of :meth:`Result.to_dict`, in order: the columns batch output and data frames add.
RESULT_KEYS = (
    "label",
    "confidence",
    "scores",
    "state",
    "entity",
    "dispute",
    "deciding_sentence",
    "uncertain",
    "warning",
    "error",
)

_default: StanceModel | None = None
_default_lock = threading.Lock()


def default_model() -> StanceModel:
    """The shipped default model, loaded once per process."""
    global _default
    with _default_lock:
        if _default is None:
            _default = load()
        return _default


@dataclass
class Result:
    """The stance of one statement.

    Attributes
    ----------
    label : str or None
        The predicted label; None when the statement could not be classified.
    confidence : float or None
        The probability of ``label``.
    scores : dict of str to float
        The probability of every label.
    state, entity, dispute : str or None
        What the statement is about, as found by the gazetteer.
    deciding_sentence : str or None
        For a statement long enough to be read sentence by sentence
        (:attr:`StanceClassifier.long_text_words <stancekit.StanceClassifier.long_text_words>`),
        the sentence whose probabilities it took; None when it was read whole.
    uncertain : bool
        True when ``confidence`` is below the ``min_confidence`` asked for.
    warning : str or None
        Why the label should not be trusted although the statement was classified: most of
        its words are unknown to the model, as when it is not in English
        (:func:`stancekit.language.language_warning`).
    error : str or None
        Why the statement could not be classified.
    """

    label: str | None
    confidence: float | None
    scores: dict[str, float] = field(default_factory=dict)
    state: str | None = None
    entity: str | None = None
    dispute: str | None = None
    deciding_sentence: str | None = None
    uncertain: bool = False
    warning: str | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The result as a plain dict (JSON-serialisable)."""
        # Spelled out: dataclasses.asdict deep-copies, which is slow in batch runs.
        return {
            "label": self.label,
            "confidence": self.confidence,
            "scores": dict(self.scores),
            "state": self.state,
            "entity": self.entity,
            "dispute": self.dispute,
            "deciding_sentence": self.deciding_sentence,
            "uncertain": self.uncertain,
            "warning": self.warning,
            "error": self.error,
        }


def _check_text(text: object) -> str | None:
    """Why ``text`` cannot be classified, or None."""
    if not isinstance(text, str):
        return f"text is {type(text).__name__}, expected a string"
    if not text.strip():
        return "empty text"
    return None


def iter_classify(
    texts: Iterable[object],
    model: StanceModel | None = None,
    *,
    min_confidence: float | None = None,
    batch_size: int = 1024,
    actors: Iterable[str | None] | None = None,
) -> Iterator[Result]:
    """Classify statements lazily, in batches; one :class:`Result` per input, in order.

    See :func:`classify` for the parameters.
    """
    if min_confidence is not None and not 0.0 <= float(min_confidence) <= 1.0:
        raise InputError(f"min_confidence={min_confidence!r} is not between 0 and 1")
    if isinstance(actors, str):
        raise InputError("expected one actor per statement, got a single string; wrap it in a list: [actor]")
    model = model if model is not None else default_model()
    actor_it = iter(actors) if actors is not None else None
    batch: list[object] = []
    names: list[str | None] = []
    for text in texts:
        batch.append(text)
        if actor_it is not None:
            names.append(_next_actor(actor_it))
        if len(batch) >= batch_size:
            yield from _classify_batch(batch, model, min_confidence, names if actor_it is not None else None)
            batch, names = [], []
    if batch:
        yield from _classify_batch(batch, model, min_confidence, names if actor_it is not None else None)
    if actor_it is not None and next(actor_it, _END) is not _END:
        raise InputError("got more actors than statements; give one actor (or None) per statement")


_END = object()


def _next_actor(it: Iterator[str | None]) -> str | None:
    actor = next(it, _END)
    if actor is _END:
        raise InputError("got fewer actors than statements; give one actor (or None) per statement")
    return actor  # type: ignore[return-value]


def classify(
    texts: Iterable[object] | str,
    model: StanceModel | None = None,
    *,
    min_confidence: float | None = None,
    actors: Iterable[str | None] | None = None,
) -> list[Result]:
    """Classify statements with a model (the shipped default when None).

    Parameters
    ----------
    texts : iterable of str, or str
        Statements. A single string is classified as one statement. Items that are
        not non-empty strings get a result with ``label=None`` and an ``error``; statements
        whose words the model mostly does not know (not English) are classified with a
        ``warning``.
    model : StanceModel, optional
        A model from :func:`stancekit.load` or :func:`stancekit.train`.
    min_confidence : float, optional
        Results whose confidence is below this are marked ``uncertain=True``.
    actors : iterable of str or None, optional
        Who speaks, one per statement (``None`` where unknown): a government or body
        ("Serbia", "Kosovo (presidency)") or a three-letter code ("SRB"). First-person
        words ("we", "our country") then read as the speaker, so "we will defend our
        territorial integrity" means one thing from Belgrade and another from Pristina.

    Returns
    -------
    list of Result
        One per input, in order.

    Examples
    --------
    >>> import stancekit
    >>> [r.label for r in stancekit.classify(["Spain will not recognise Kosovo."])]  # doctest: +SKIP
    ['favor']
    """
    if isinstance(texts, str):
        texts = [texts]
    return list(iter_classify(texts, model, min_confidence=min_confidence, actors=actors))


def _classify_batch(
    batch: list[object], model: StanceModel, min_confidence: float | None, actors: list[Any] | None = None
) -> list[Result]:
    problems = [_check_text(t) for t in batch]
    good = [t for t, p in zip(batch, problems, strict=True) if p is None]
    good_actors = None
    if actors is not None:
        good_actors = [a for a, p in zip(actors, problems, strict=True) if p is None]
    estimator = model.estimator
    analyses = estimator.analyze(good, good_actors) if good else []
    proba, sentences = estimator.predict_proba_sentences(analyses)
    classes = [str(c) for c in estimator.classes_]
    best = proba.argmax(axis=1).tolist() if len(proba) else []
    rows = proba.tolist()  # Python floats, as float() of each element gives
    out: list[Result] = []
    k = 0
    for problem in problems:
        if problem is not None:
            out.append(Result(label=None, confidence=None, error=problem))
            continue
        row, a, j, part, text = rows[k], analyses[k], best[k], sentences[k], str(good[k])
        deciding = None if part is None else split_sentences(text)[part]
        k += 1
        conf = row[j]
        out.append(
            Result(
                label=classes[j],
                confidence=round(conf, 4),
                scores={c: round(p, 4) for c, p in zip(classes, row, strict=True)},
                state=a.state,
                entity=a.entity,
                dispute=a.dispute,
                deciding_sentence=deciding,
                uncertain=min_confidence is not None and conf < min_confidence,
                warning=language_warning(a.tokens, estimator, text),
            )
        )
    return out
