"""A spaCy pipeline component that tags each ``Doc`` with its stance.

Installing stancekit publishes the ``"stancekit"`` factory through the ``spacy_factories``
entry point, so after a plain ``import spacy`` any pipeline can use it::

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> nlp.add_pipe("stancekit")  # doctest: +SKIP
    >>> doc = nlp("Spain does not recognise Kosovo's independence.")  # doctest: +SKIP
    >>> doc._.stance, doc._.stance_result["state"], doc.cats["favor"]  # doctest: +SKIP
    ('favor', 'Serbia', 0.97)

The component classifies ``doc.text`` with a :class:`~stancekit.model.StanceModel`
(the shipped default unless ``config={"model": NAME_OR_PATH}``; or assign
``component.stance_model``). It writes:

- ``doc._.stance``: the label, or None when the text could not be classified (empty);
- ``doc._.stance_scores``: ``{label: probability}``;
- ``doc._.stance_result``: :meth:`stancekit.Result.to_dict` (label, confidence, scores,
  state, entity, dispute, deciding_sentence, uncertain, warning, error), plain data, so ``Doc.to_bytes`` and
  ``DocBin`` keep it;
- ``doc.cats``: the probability of every label, as ``textcat`` does.

Who speaks: set ``doc._.stance_actor`` (a name such as ``"Serbia"`` or a three-letter code)
before the component runs, or give the whole pipeline one speaker with
``config={"actor": "Serbia"}`` (a ``Doc``'s own ``stance_actor`` wins). First-person words
are then read as that speaker, as ``stancekit.classify(..., actors=...)`` does::

    >>> nlp = spacy.blank("en")
    >>> stance = nlp.add_pipe("stancekit")  # doctest: +SKIP
    >>> doc = nlp.make_doc("We will never give up an inch of our land.")  # doctest: +SKIP
    >>> doc._.stance_actor = "Kosovo"  # doctest: +SKIP
    >>> stance(doc)._.stance  # doctest: +SKIP
    'against'

The model travels with the pipeline: ``nlp.to_disk`` stores it (in the ``.skmodel``
format, with its SHA-256 checked on load) and ``spacy.load`` / ``nlp.from_bytes`` read
it back, whatever the ``model`` setting says.

The model's own preprocessing (a blank English tokenizer and the stancekit gazetteer)
runs on ``doc.text``, independently of the host pipeline's tokenizer and components, so
the features match those the model was trained on whatever the pipeline is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc
from spacy.util import ensure_path, minibatch

from .errors import InputError
from .model import StanceModel, from_bytes, load
from .results import Result, default_model, iter_classify

__all__ = ["ACTOR_EXTENSION", "EXTENSIONS", "StanceComponent", "make_stancekit"]

#: The ``Doc`` extension attributes the component writes.
EXTENSIONS = ("stance", "stance_scores", "stance_result")
#: The ``Doc`` extension the component reads: who speaks (None: unknown).
ACTOR_EXTENSION = "stance_actor"
MODEL_FILE = "model.skmodel"


def _register_extensions() -> None:
    for name in (*EXTENSIONS, ACTOR_EXTENSION):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


_register_extensions()  # at import too, so Docs read back from a DocBin have them


@Language.factory(
    "stancekit",
    assigns=["doc._.stance", "doc._.stance_scores", "doc._.stance_result", "doc.cats"],
    default_config={"model": None, "min_confidence": None, "actor": None},
)
def make_stancekit(
    nlp: Language, name: str, *, model: str | None, min_confidence: float | None, actor: str | None = None
) -> StanceComponent:
    """Build the ``stancekit`` component (called by ``nlp.add_pipe("stancekit")``).

    Parameters
    ----------
    nlp : Language
        The pipeline the component is added to.
    name : str
        The component's name in the pipeline.
    model : str or None
        Path or name of a stancekit model (``stancekit models list``); None for the
        shipped default. Loaded on first use, so ``spacy.load`` of a saved pipeline uses
        the model stored with it, not this setting.
    min_confidence : float or None
        Results whose confidence is below this are marked ``uncertain``.
    actor : str or None
        The speaker of every document (a name or a three-letter code), for documents
        whose ``doc._.stance_actor`` is not set; None: unknown.

    Returns
    -------
    StanceComponent
    """
    return StanceComponent(nlp.vocab, name=name, model=model, min_confidence=min_confidence, actor=actor)


class StanceComponent(Pipe):
    """Classify each ``Doc``'s text by stance; see the module docstring.

    Parameters
    ----------
    vocab : Vocab
        The pipeline's vocabulary (kept for spaCy's conventions).
    name : str, default="stancekit"
        The component's name in the pipeline.
    model : StanceModel, str or None
        A loaded model, a path or name, or None for the shipped default.
    min_confidence : float or None
        Results whose confidence is below this are marked ``uncertain``.
    actor : str or None
        The speaker of documents whose ``doc._.stance_actor`` is not set.
    """

    def __init__(
        self,
        vocab: Any,
        *,
        name: str = "stancekit",
        model: StanceModel | str | None = None,
        min_confidence: float | None = None,
        actor: str | None = None,
    ):
        if min_confidence is not None and not 0.0 <= float(min_confidence) <= 1.0:
            raise InputError(f"min_confidence={min_confidence!r} is not between 0 and 1; use e.g. 0.6, or None")
        if model is not None and not isinstance(model, (StanceModel, str, Path)):
            raise InputError(
                f"model={model!r} is a {type(model).__name__}; give a StanceModel, a model path or name, or None"
            )
        if actor is not None and not isinstance(actor, str):
            raise InputError(f"actor={actor!r} is a {type(actor).__name__}; give a speaker's name or code, or None")
        _register_extensions()
        self.actor = actor
        self.vocab = vocab
        self.name = name
        self.min_confidence = min_confidence
        self._source = model if not isinstance(model, StanceModel) else None
        self._model: StanceModel | None = model if isinstance(model, StanceModel) else None

    # -- the model ---------------------------------------------------------------
    @property
    def stance_model(self) -> StanceModel:
        """The :class:`StanceModel` in use (loaded on first access).

        Not called ``model``: spaCy takes a component's ``model`` attribute for a thinc
        model and probes it (``hasattr``) when pipelines are assembled.
        """
        if self._model is None:
            self._model = default_model() if self._source is None else load(self._source)
        return self._model

    @stance_model.setter
    def stance_model(self, value: StanceModel) -> None:
        if not isinstance(value, StanceModel):
            raise InputError(
                f"component.stance_model must be a StanceModel (stancekit.load(...)), got {type(value).__name__}"
            )
        self._model = value

    @property
    def labels(self) -> tuple[str, ...]:
        """The model's labels, in the order of its probability columns.

        Empty until the model is loaded: spaCy reads ``labels`` for the pipeline's meta
        data, and that must not load a model that ``from_disk`` is about to replace.
        """
        if self._model is None:
            return ()
        return tuple(str(c) for c in self._model.classes_)

    # -- processing ----------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        """Classify one ``Doc`` and write its annotations."""
        error_handler = self.get_error_handler()
        try:
            self.set_annotations([doc], self.predict([doc]))
        except Exception as exc:
            error_handler(self.name, self, [doc], exc)
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Classify a stream of ``Doc`` objects in batches; yields them in order."""
        error_handler = self.get_error_handler()
        for docs in minibatch(stream, size=batch_size):
            try:
                self.set_annotations(docs, self.predict(docs))
            except Exception as exc:
                error_handler(self.name, self, docs, exc)
            yield from docs

    def predict(self, docs: Iterable[Doc]) -> list[Result]:
        """Classify a batch of documents without changing them.

        Returns
        -------
        list of Result
            One per document, in order.
        """
        docs = list(docs)
        texts = [doc.text for doc in docs]
        actors = [getattr(doc._, ACTOR_EXTENSION) or self.actor for doc in docs]
        return list(
            iter_classify(
                texts,
                self.stance_model,
                min_confidence=self.min_confidence,
                batch_size=max(1, len(texts)),
                actors=actors if any(a is not None for a in actors) else None,
            )
        )

    def set_annotations(self, docs: Iterable[Doc], results: Iterable[Result]) -> None:
        """Write :meth:`predict`'s results onto the documents."""
        for doc, result in zip(docs, results, strict=True):
            doc._.stance = result.label
            doc._.stance_scores = dict(result.scores)
            doc._.stance_result = result.to_dict()
            doc.cats.update(result.scores)

    def score(self, examples: Iterable[Any], **kwargs: Any) -> dict[str, Any]:
        """Score predicted ``doc.cats`` against the reference ones (``nlp.evaluate``).

        Returns
        -------
        dict
            spaCy's single-label category scores (``cats_score``, ``cats_macro_f``,
            ``cats_f_per_type``, ...).
        """
        from spacy.scorer import Scorer

        kwargs.setdefault("labels", [str(c) for c in self.stance_model.classes_])
        kwargs.setdefault("multi_label", False)
        return Scorer.score_cats(examples, "cats", **kwargs)

    # -- serialisation (the model goes with the pipeline) -----------------------------
    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """The model, in the ``.skmodel`` format."""
        return self.stance_model.to_bytes()

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> StanceComponent:
        """Load the model from :meth:`to_bytes` output (integrity-checked)."""
        self._model = from_bytes(bytes_data, source=f"spaCy component {self.name!r}")
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the model as ``PATH/model.skmodel``."""
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / MODEL_FILE).write_bytes(self.stance_model.to_bytes())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> StanceComponent:
        """Load the model saved by :meth:`to_disk` (integrity-checked)."""
        self._model = load(ensure_path(path) / MODEL_FILE)
        return self
