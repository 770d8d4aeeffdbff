"""``StanceClassifier``: a scikit-learn estimator from raw statements to stance labels."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.special import expit, softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.validation import check_is_fitted

from .errors import InputError
from .labels import check_labels
from .preprocess import LATER_READINGS, PREPROCESS_PARAMS, Analysis, Preprocessor, split_sentences
from .vectorize import pickle_friendly, transform_tokens
from .wordvectors import DEFAULT_VECTORS, WordVectors, load_vectors, window_tokens

__all__ = ["StanceClassifier"]

_LOSSES = ("logistic", "svm", "mlp", "logistic+mlp")
#: Statements longer than this many words are also read sentence by sentence
#: (:attr:`StanceClassifier.long_text_words`): above the 99th percentile of the shipped corpus's
#: lengths (62 words), so the statements the model learnt from are read as it learnt them.
LONG_TEXT_WORDS = 80
#: The label that takes no stance, which reading long statements by their parts needs.
NO_STANCE = "none"

#: The ``"mlp"`` loss: hidden ReLU units, passes over the data, L2 penalty, batch size.
MLP_HIDDEN = 64
MLP_EPOCHS = 10
MLP_ALPHA = 1e-4
MLP_BATCH = 128
#: The role tokens whose neighbourhoods get word-vector blocks of their own.
_ANCHORS = ("STATE", "ENTITY")


class StanceClassifier(ClassifierMixin, BaseEstimator):
    """Classify statements by stance, from raw text.

    spaCy preprocessing (lemmas, role-masked names, negation scope; see
    :mod:`stancekit.preprocess`) feeds TF-IDF n-grams of feature tokens, optionally with
    character n-grams, into a classifier with probability outputs (linear, or a small network).

    Parameters
    ----------
    ngram_range : tuple of int, default=(1, 3)
        Word n-gram range over feature tokens.
    min_df : int, default=2
        Ignore n-grams seen in fewer statements.
    char_ngrams : tuple of int or None, default=None
        If given, also use character n-grams (``char_wb``) of the feature tokens in
        this range, e.g. ``(3, 5)``.
    mask_names : bool, default=True
        Replace names by their role in the dispute (``STATE``/``ENTITY``/``CLAIMANT``/``COUNTRY``).
    claimants : bool, default=True
        Read a state with a stake against the state concerned in the statement's
        dispute (Argentina on the Falklands, Russia on Crimea:
        :data:`stancekit.disputes.CLAIMANTS`) as ``CLAIMANT`` rather than ``COUNTRY``,
        named or speaking. Models saved before this parameter existed read it as False.
    negation : bool, default=True
        Mark tokens in the scope of negation cues.
    pseudo_negations : bool, default=True
        A cue beginning a phrase of :data:`stancekit.preprocess.PSEUDO_NEGATIONS` ("not
        only", "no doubt", "without delay") negates nothing after it. Models saved before
        this parameter existed read it as False.
    parentheticals : bool, default=True
        A short comma-enclosed insertion inside a negation scope does not close it
        (:class:`stancekit.preprocess.Preprocessor`): "does not, and will not, recognise"
        reads as negated. Models saved before this parameter existed read it as False.
    cues : bool, default=True
        Add cue-lexicon group tokens (:mod:`stancekit.lexicon`).
    vectors : str, WordVectors or None, default="ungd"
        Word vectors whose mean over a statement's tokens is added to its features
        (:mod:`stancekit.wordvectors`): ``"ungd"`` (shipped, learnt from UN General
        Debate speeches), a path to a ``.npz`` from ``stancekit vectors build``, a
        :class:`~stancekit.wordvectors.WordVectors`, or None for n-grams only.
    vector_weight : float, default=0.5
        Scale of each (unit-length) mean vector beside the (unit-length) TF-IDF row.
    vector_window : int or None, default=3
        Also add the mean vector of the tokens within this many tokens of the state
        concerned (``STATE``) and, separately, of the disputed entity (``ENTITY``): what
        is said near each party, which the statement mean blurs. None for the statement
        mean only.
    loss : {"logistic", "svm", "mlp", "logistic+mlp"}, default="logistic"
        Logistic regression; a linear SVM calibrated by
        :class:`~sklearn.calibration.CalibratedClassifierCV` (sigmoid); ``"mlp"``, a
        network with one layer of :data:`MLP_HIDDEN` ReLU units over the same features
        (:class:`~sklearn.neural_network.MLPClassifier`, Adam, :data:`MLP_EPOCHS` passes),
        which can weigh words by their company (a phrase's sense with and without a
        negation, a name, a status word) where a linear model adds them up; or
        ``"logistic+mlp"``, both fitted on the same features and their log-probabilities
        averaged (the softmax of the mean of their scores), so ``explain`` still splits
        the scores exactly.
    C : float, default=10.0
        Inverse regularisation strength (logistic regression and the SVM; the network uses
        the fixed L2 penalty :data:`MLP_ALPHA`).
    class_weight : "balanced", dict or None, default="balanced"
        Class weights (``"balanced"`` corrects for label imbalance; for ``"mlp"`` they
        multiply the sample weights).
    spacy_model : str or None, default=None
        An installed spaCy pipeline to use instead of the blank English one.
    random_state : int, default=0
        Seed for the solver and calibration folds.

    Attributes
    ----------
    classes_ : ndarray of str
        The labels, in the order of ``predict_proba`` columns.
    vectorizer_ : sklearn transformer
        The fitted feature extractor.
    vectors_ : WordVectors or None
        The word vectors in use.
    estimator_ : sklearn classifier
        The fitted classifier (linear, the network for ``loss="mlp"``, or a
        :class:`LogitMean` of both for ``"logistic+mlp"``).
    long_text_words : int or None
        Prediction only (not a constructor parameter, so every model has it; set it on
        a fitted model): a statement of more than this many words (default
        :data:`LONG_TEXT_WORDS`) and two or more sentences is also read sentence by
        sentence, and takes the probabilities of its sentence that leans most away from
        ``none`` when that sentence's own label is not ``none``; otherwise it is read
        whole. A stance stated once in a long press release is otherwise diluted by the
        rest. Models without a ``none`` label, and None here, read every statement whole.

    Examples
    --------
    >>> from stancekit import StanceClassifier
    >>> clf = StanceClassifier().fit(texts, labels)  # doctest: +SKIP
    >>> clf.predict(["Spain does not recognise Kosovo."])  # doctest: +SKIP
    array(['favor'], dtype=object)
    """

    long_text_words: int | None = LONG_TEXT_WORDS

    def __init__(
        self,
        *,
        ngram_range: tuple[int, int] = (1, 3),
        min_df: int = 2,
        char_ngrams: tuple[int, int] | None = None,
        mask_names: bool = True,
        claimants: bool = True,
        negation: bool = True,
        pseudo_negations: bool = True,
        parentheticals: bool = True,
        cues: bool = True,
        vectors: str | WordVectors | None = DEFAULT_VECTORS,
        vector_weight: float = 0.5,
        vector_window: int | None = 3,
        loss: str = "logistic",
        C: float = 10.0,
        class_weight: Any = "balanced",
        spacy_model: str | None = None,
        random_state: int = 0,
    ):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.char_ngrams = char_ngrams
        self.mask_names = mask_names
        self.claimants = claimants
        self.negation = negation
        self.pseudo_negations = pseudo_negations
        self.parentheticals = parentheticals
        self.cues = cues
        self.vectors = vectors
        self.vector_weight = vector_weight
        self.vector_window = vector_window
        self.loss = loss
        self.C = C
        self.class_weight = class_weight
        self.spacy_model = spacy_model
        self.random_state = random_state

    # -- fitting ---------------------------------------------------------------
    def fit(self, X: Iterable[str], y: Iterable[str] | None, sample_weight: Any = None) -> StanceClassifier:
        """Fit on statements ``X`` with labels ``y``.

        Parameters
        ----------
        X : iterable of str
            Statements.
        y : iterable of str
            One label per statement; at least two distinct labels.
        sample_weight : array-like of float, optional
            One weight per statement (multiplied with the class weights).

        Returns
        -------
        self
        """
        texts = _texts(X)
        if y is None:
            raise ValueError(
                "StanceClassifier requires y to be passed, but the target y is None; give one label per statement"
            )
        labels = np.asarray(check_labels(_one_d(y, "labels")), dtype=object)
        if not texts:
            raise InputError("got 0 statements to fit on; give at least two labelled statements")
        if len(labels) != len(texts):
            raise InputError(f"got {len(texts)} statements but {len(labels)} labels; give one label per statement")
        if len(set(labels)) < 2:
            raise InputError(f"need at least two distinct labels to train, got {sorted(set(labels))}")
        if self.loss not in _LOSSES:  # here too, so a typo fails before preprocessing
            raise ValueError(f"loss={self.loss!r} is not supported; use one of {_LOSSES}")
        self.preprocessor_ = Preprocessor(**{name: getattr(self, name) for name in PREPROCESS_PARAMS})
        docs = [a.text for a in self.preprocessor_.analyze(texts)]
        self._fit_features(docs, labels, sample_weight)
        return self

    def _fit_features(
        self, docs: list[str], labels: np.ndarray, sample_weight: Any = None, vocab_mask: Any = None
    ) -> None:
        """Fit vectorizer and estimator on feature-token strings (shared with training).

        ``vocab_mask`` (optional, one bool per doc) picks the documents the vocabulary and
        document frequencies are learnt from: framed copies repeat their statement's
        n-grams, and counted as documents they would let every n-gram pass ``min_df``.
        """
        self.__dict__.pop("_first_layer_f32", None)
        self.estimator_ = self._make_estimator(labels)  # first: an unknown loss fails before any work
        self.vectors_ = self._make_vectors()
        self.vectorizer_ = self._make_vectorizer()
        if vocab_mask is None:
            features = self.vectorizer_.fit_transform(docs)
        else:
            mask = np.asarray(vocab_mask, dtype=bool)
            self.vectorizer_.fit([d for d, keep in zip(docs, mask, strict=True) if keep])
            features = self.vectorizer_.transform(docs)
        if self.vectors_ is not None:
            dense = self._vector_features([d.split() for d in docs])
            features = sp.hstack([features, sp.csr_matrix(dense)], format="csr")
        weights = None
        if sample_weight is not None:
            weights = np.asarray(sample_weight, dtype=float)
            if weights.shape != (len(docs),) or not np.all(np.isfinite(weights)) or (weights < 0).any():
                raise InputError(
                    f"sample_weight must hold one finite, non-negative weight per statement ({len(docs)}), "
                    f"got shape {weights.shape}; pass None for equal weights"
                )
        est = self.estimator_
        for part in est.parts if isinstance(est, LogitMean) else (est,):
            if isinstance(part, MLPClassifier):
                self._fit_network(part, features, labels, weights)
            elif weights is None:
                part.fit(features, labels)
            else:
                part.fit(features, labels, sample_weight=weights)
        self.classes_ = np.asarray(est.classes_, dtype=object)

    def _fit_network(self, est: MLPClassifier, features: Any, labels: np.ndarray, weights: np.ndarray | None) -> None:
        """Fit the ``"mlp"`` network: class weights folded into the sample weights (mean 1),
        a fixed number of passes (so no convergence warning). The first layer's weights (one
        row per feature) are kept as float16, the rest as float32, and the optimiser's state
        is dropped: the shipped corpus's model file is 13 MB instead of about 100 MB."""
        w = np.ones(len(labels)) if weights is None else weights
        if self.class_weight is not None:
            w = w * compute_sample_weight(self.class_weight, labels)
        if not w.sum() > 0:
            raise InputError(
                f"the sample weights times the class weights sum to {w.sum()}; "
                "give at least one statement a positive weight"
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            est.fit(features.astype(np.float32, copy=False), labels, sample_weight=w / w.mean())
        for attr in ("_optimizer", "_best_coefs", "_best_intercepts"):
            setattr(est, attr, None)
        est.coefs_ = [est.coefs_[0].astype(np.float16), *(c.astype(np.float32) for c in est.coefs_[1:])]
        est.intercepts_ = [b.astype(np.float32) for b in est.intercepts_]

    def _network(self) -> MLPClassifier:
        """The network (``loss="mlp"``, or the network part of ``"logistic+mlp"``)."""
        est = self.estimator_
        return est.network if isinstance(est, LogitMean) else est

    def _first_layer(self) -> np.ndarray:
        """The network's first-layer weights as float32 (cached; not pickled)."""
        w1 = self.__dict__.get("_first_layer_f32")
        if w1 is None:
            w1 = self.__dict__["_first_layer_f32"] = self._network().coefs_[0].astype(np.float32)
        return w1

    def _hidden(self, features: Any, dense: np.ndarray) -> np.ndarray:
        """The network's hidden layer, row by row (see :meth:`_proba_tokens`)."""
        w1, b1 = self._first_layer(), self._network().intercepts_[0]
        n = features.shape[1]
        z = features @ w1[:n] + np.einsum("nd,dh->nh", dense.astype(np.float32, copy=False), w1[n:]) + b1
        return np.maximum(np.asarray(z), 0)

    def _make_vectors(self) -> WordVectors | None:
        if self.vectors is None:
            return None
        if isinstance(self.vectors, WordVectors):
            return self.vectors
        if not isinstance(self.vectors, (str, os.PathLike)):
            raise ValueError(
                f"vectors={self.vectors!r} is not supported; use {DEFAULT_VECTORS!r}, a path to a .npz "
                "from `stancekit vectors build`, a WordVectors, or None"
            )
        return load_vectors(self.vectors)

    def _proba_tokens(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """Class probabilities from feature tokens, without stacking the dense columns."""
        features = transform_tokens(self.vectorizer_, token_lists)
        est = self.estimator_
        if getattr(self, "vectors_", None) is None and isinstance(est, (LogisticRegression, CalibratedClassifierCV)):
            return est.predict_proba(features)
        dense = self._dense(token_lists)
        if isinstance(est, CalibratedClassifierCV):
            return est.predict_proba(sp.hstack([features, sp.csr_matrix(dense)], format="csr"))
        parts = est.parts if isinstance(est, LogitMean) else (est,)
        scores = sum(self._scores(part, features, dense) for part in parts) / len(parts)
        if scores.shape[1] == 1:
            p = expit(scores[:, 0])
            return np.column_stack([1.0 - p, p])
        return softmax(scores, axis=1)

    def _scores(self, est: Any, features: Any, dense: np.ndarray) -> np.ndarray:
        """Logistic regression's or the network's scores (logits, float64), row by row.

        einsum rather than a BLAS product: each row's score must not depend on the batch it
        came in (BLAS blocks rows by batch size, moving the last digit).
        """
        if isinstance(est, MLPClassifier):
            scores = np.einsum("nh,hk->nk", self._hidden(features, dense), est.coefs_[1]) + est.intercepts_[1]
            return np.asarray(scores, dtype=np.float64)
        n = features.shape[1]
        return np.asarray(
            features @ est.coef_[:, :n].T + np.einsum("nd,kd->nk", dense, est.coef_[:, n:]) + est.intercept_
        )

    def _dense(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """The word-vector columns (none without vectors), float32."""
        if getattr(self, "vectors_", None) is None:
            return np.zeros((len(token_lists), 0), dtype=np.float32)
        return self._vector_features(token_lists)

    def _vector_features(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        window = getattr(self, "vector_window", None)
        anchors = _ANCHORS if window is not None else ()
        dense = self.vectors_.features(token_lists, anchors=anchors, window=window or 0)
        return dense * np.float32(self.vector_weight)

    def _vector_blocks(self) -> list[str]:
        """Names of the word-vector blocks, in column order."""
        if getattr(self, "vector_window", None) is None:
            return ["vectors"]
        return ["vectors"] + [f"vectors near {a}" for a in _ANCHORS]

    def _block_tokens(self, tokens: Sequence[str]) -> list[Sequence[str]]:
        """The tokens each word-vector block averages, in column order."""
        window = getattr(self, "vector_window", None)
        if window is None:
            return [tokens]
        return [tokens] + [window_tokens(tokens, a, window) for a in _ANCHORS]

    def __getstate__(self) -> dict[str, Any]:
        state = dict(super().__getstate__())
        state.pop("_first_layer_f32", None)  # rebuilt from the float16 weights on first use
        if "vectorizer_" in state:  # its vocabulary as one string: loads several times faster
            state = dict(state, vectorizer_=pickle_friendly(state["vectorizer_"]))
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Models saved before word vectors existed: n-grams only.
        state.setdefault("vectors", None)
        state.setdefault("vector_weight", 0.5)
        state.setdefault("vector_window", None)
        for name in LATER_READINGS:  # saved before the reading existed: as trained
            state.setdefault(name, False)
        if "estimator_" in state:
            state.setdefault("vectors_", None)
        self.__dict__.update(state)

    def _make_vectorizer(self) -> Any:
        words = TfidfVectorizer(
            token_pattern=r"\S+",
            lowercase=False,
            ngram_range=tuple(self.ngram_range),
            min_df=self.min_df,
            sublinear_tf=True,
            dtype=np.float32,
        )
        if not self.char_ngrams:
            return words
        chars = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=tuple(self.char_ngrams),
            min_df=max(2, self.min_df),
            sublinear_tf=True,
            lowercase=False,
            dtype=np.float32,
        )
        return FeatureUnion([("words", words), ("chars", chars)])

    def _make_estimator(self, labels: np.ndarray) -> Any:
        if self.loss == "logistic":
            return self._make_linear()
        if self.loss == "mlp":
            return self._make_network()
        if self.loss == "logistic+mlp":
            return LogitMean(self._make_linear(), self._make_network())
        if self.loss != "svm":
            raise ValueError(f"loss={self.loss!r} is not supported; use one of {_LOSSES}")
        svm = LinearSVC(C=self.C, class_weight=self.class_weight, random_state=self.random_state)
        folds = int(min(3, np.unique(labels, return_counts=True)[1].min()))
        if folds < 2:
            raise InputError("the 'svm' loss needs at least two statements of every label (for calibration)")
        return CalibratedClassifierCV(svm, method="sigmoid", cv=folds)

    def _make_linear(self) -> LogisticRegression:
        return LogisticRegression(
            C=self.C, class_weight=self.class_weight, max_iter=5000, random_state=self.random_state
        )

    def _make_network(self) -> MLPClassifier:
        return MLPClassifier(
            hidden_layer_sizes=(MLP_HIDDEN,),
            alpha=MLP_ALPHA,
            batch_size=MLP_BATCH,
            max_iter=MLP_EPOCHS,
            random_state=self.random_state,
        )

    # -- prediction ------------------------------------------------------------
    def analyze(self, X: Iterable[str], actors: Iterable[str | None] | None = None) -> list[Analysis]:
        """Run preprocessing only: tokens, names, and the state/entity/dispute found.

        Parameters
        ----------
        X : iterable of str
            Statements.
        actors : sequence of str or None, optional
            Who speaks, one per statement (``None`` where unknown); first-person words
            then take the speaker's role. See :meth:`Preprocessor.analyze
            <stancekit.preprocess.Preprocessor.analyze>`.
        """
        check_is_fitted(self, "estimator_")
        texts = _texts(X)
        speakers = _actors(actors, len(texts))
        out = list(self.preprocessor_.analyze(texts, actors=speakers))
        limit = self.long_text_words
        if limit is None or NO_STANCE not in self.classes_:
            return out
        long = [
            (i, parts) for i, t in enumerate(texts) if len(t.split()) > limit and len(parts := split_sentences(t)) > 1
        ]
        if long:
            sentences = [s for _, parts in long for s in parts]
            who = None if speakers is None else [speakers[i] for i, parts in long for _ in parts]
            analysed = iter(self.preprocessor_.analyze(sentences, actors=who))
            for i, parts in long:
                out[i].parts = [next(analysed) for _ in parts]
        return out

    def predict_proba_analyzed(self, analyses: Sequence[Analysis]) -> np.ndarray:
        """Class probabilities for statements already run through :meth:`analyze`."""
        return self.predict_proba_sentences(analyses)[0]

    def predict_proba_sentences(self, analyses: Sequence[Analysis]) -> tuple[np.ndarray, list[int | None]]:
        """As :meth:`predict_proba_analyzed`, with the sentence each statement was read from.

        Returns
        -------
        proba : ndarray of shape (n_statements, n_classes)
            Class probabilities, columns in ``classes_`` order.
        sentences : list of int or None
            For a statement read by one of its sentences (see :attr:`long_text_words`),
            that sentence's index in :func:`stancekit.preprocess.split_sentences` of its
            text; None for a statement read whole.
        """
        check_is_fitted(self, "estimator_")
        sentences: list[int | None] = [None] * len(analyses)
        if not analyses:
            return np.zeros((0, len(self.classes_))), sentences
        proba = self._proba_tokens([a.tokens for a in analyses])
        for i, (row, j) in self._deciding_parts(analyses).items():
            proba[i], sentences[i] = row, j
        return proba, sentences

    def _deciding_parts(self, analyses: Sequence[Analysis]) -> dict[int, tuple[np.ndarray, int]]:
        """For each statement read by its parts (see :attr:`long_text_words`) whose part
        leaning most away from ``none`` is itself labelled otherwise: that part's
        probabilities and index, by statement index."""
        long = [i for i, a in enumerate(analyses) if a.parts]
        if not long or NO_STANCE not in self.classes_:
            return {}
        none = int(np.flatnonzero(self.classes_ == NO_STANCE)[0])
        proba = self._proba_tokens([p.tokens for i in long for p in analyses[i].parts])
        out, k = {}, 0
        for i in long:
            rows = proba[k : k + len(analyses[i].parts)]
            k += len(rows)
            j = int(np.argmin(rows[:, none]))
            if int(rows[j].argmax()) != none:
                out[i] = (rows[j], j)
        return out

    def predict_proba(self, X: Iterable[str], actors: Iterable[str | None] | None = None) -> np.ndarray:
        """Class probabilities, one row per statement, columns in ``classes_`` order.

        ``actors`` (optional) names who speaks, one per statement; see :meth:`analyze`.
        """
        return self.predict_proba_analyzed(self.analyze(X, actors))

    def predict(self, X: Iterable[str], actors: Iterable[str | None] | None = None) -> np.ndarray:
        """The most probable label of each statement (``actors``: see :meth:`analyze`)."""
        proba = self.predict_proba(X, actors)
        return self.classes_[proba.argmax(axis=1)] if len(proba) else np.asarray([], dtype=object)

    def decision_function(self, X: Iterable[str]) -> np.ndarray:
        """Confidence scores, for ranking and margins (scikit-learn's shapes).

        Returns
        -------
        ndarray
            Log-probabilities, shape ``(n_statements, n_classes)``; with two classes, the
            log-odds of ``classes_[1]``, shape ``(n_statements,)``, as scikit-learn's
            binary classifiers and scorers such as ``roc_auc`` expect.
        """
        logp = np.log(np.clip(self.predict_proba(X), 1e-12, None))
        if len(self.classes_) == 2:
            return logp[:, 1] - logp[:, 0]
        return logp

    # -- explanation -----------------------------------------------------------
    def feature_weights(self) -> tuple[np.ndarray, np.ndarray]:
        """Feature names and a ``(n_classes, n_features)`` matrix of linear weights.

        Raises
        ------
        InputError
            For ``loss="mlp"`` and ``"logistic+mlp"``, whose weights depend on the
            statement: see :meth:`explain`.
        """
        check_is_fitted(self, "estimator_")
        est = self.estimator_
        if isinstance(est, (MLPClassifier, LogitMean)):
            raise InputError(
                f"a loss={self.loss!r} model has no global linear weights (a word's weight depends on the rest "
                "of the statement); use explain(text) for the weights behind one prediction"
            )
        if isinstance(est, CalibratedClassifierCV):
            coef = np.mean([c.estimator.coef_ for c in est.calibrated_classifiers_], axis=0)
        else:
            coef = est.coef_
        if coef.shape[0] == 1 and len(self.classes_) == 2:
            coef = np.vstack([-coef[0], coef[0]])
        return self._feature_names(), coef

    def _feature_names(self) -> np.ndarray:
        """The n-gram names, then one name per word-vector column."""
        names = list(self.vectorizer_.get_feature_names_out())
        vectors = getattr(self, "vectors_", None)
        if vectors is not None:
            names += [f"[{block} {i}]" for block in self._vector_blocks() for i in range(vectors.dim)]
        return np.asarray(names, dtype=object)

    def explain(self, text: str, *, top: int = 10, actor: str | None = None) -> dict[str, Any]:
        """The n-grams that pushed ``text`` toward its predicted label.

        Parameters
        ----------
        text : str
            One statement.
        top : int, default=10
            How many contributions to return on each side.
        actor : str, optional
            Who speaks (see :meth:`analyze`).

        Returns
        -------
        dict
            ``label``, ``scores``, ``tokens`` (the feature tokens), ``for`` (n-grams that
            raised the label's score, with weights) and ``against`` (those that lowered it).
            A weight is the feature's TF-IDF value times its coefficient for the label
            minus its mean coefficient over the other labels. For ``loss="mlp"`` the
            coefficients are the network's for this statement: with its ReLU units' on/off
            pattern fixed, the scores are linear in the features, so the weights add up
            exactly to the scores (less the intercepts), as for a linear model. For
            ``"logistic+mlp"`` they are the mean of both models' coefficients, as its scores
            are the mean of both models' scores. A word-vector block is a
            normalised sum of word vectors, so its share splits exactly into one share per
            word, listed as ``"<word> [vectors]"`` (and ``[vectors near STATE]``,
            ``[vectors near ENTITY]`` for the windows).
        """
        (analysis,) = self.analyze([text], None if actor is None else [actor])
        sentence = None
        if decided := self._deciding_parts([analysis]):  # read by its sentence (long_text_words)
            proba, j = decided[0]
            sentence = split_sentences(text)[j]
            analysis = analysis.parts[j]
        else:
            proba = self._proba_tokens([analysis.tokens])[0]
        k = int(proba.argmax())
        names, coef = self._weights_for(analysis.tokens)
        x = self.vectorizer_.transform([analysis.text]).tocsr()
        others = np.delete(coef, k, axis=0).mean(axis=0) if coef.shape[0] > 1 else 0.0
        rel = coef[k] - others
        contrib = {names[j]: float(v * rel[j]) for j, v in zip(x.indices, x.data, strict=True)}
        vectors = getattr(self, "vectors_", None)
        if vectors is not None:
            for block, weights, words in zip(
                self._vector_blocks(),
                rel[x.shape[1] :].reshape(-1, vectors.dim),
                self._block_tokens(analysis.tokens),
                strict=True,
            ):
                for word, share in _word_shares(vectors, words, weights * self.vector_weight).items():
                    contrib[f"{word} [{block}]"] = share
        ranked = sorted(contrib.items(), key=lambda kv: kv[1], reverse=True)
        out = {
            "label": str(self.classes_[k]),
            "scores": {str(c): float(p) for c, p in zip(self.classes_, proba, strict=True)},
            "tokens": analysis.tokens,
            "for": [(f, round(w, 4)) for f, w in ranked[:top] if w > 0],
            "against": [(f, round(w, 4)) for f, w in ranked[::-1][:top] if w < 0],
        }
        if sentence is not None:
            out["sentence"] = sentence
        return out

    def _weights_for(self, tokens: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Feature names and the ``(n_classes, n_features)`` weights behind one statement's
        scores: :meth:`feature_weights`, or for ``"mlp"`` the network with the statement's
        active hidden units only (its exact linear form at that statement)."""
        est = self.estimator_
        if not isinstance(est, (MLPClassifier, LogitMean)):
            return self.feature_weights()
        network = self._network()
        features = transform_tokens(self.vectorizer_, [tokens])
        active = self._hidden(features, self._dense([tokens]))[0] > 0
        coef = (self._first_layer()[:, active] @ network.coefs_[1][active]).T.astype(np.float64)
        if isinstance(est, LogitMean):
            coef = (coef + est.linear.coef_) / 2
        if coef.shape[0] == 1 and len(self.classes_) == 2:
            coef = np.vstack([-coef[0], coef[0]])
        return self._feature_names(), coef

    def __sklearn_tags__(self) -> Any:
        # Like sklearn's text vectorizers: raw strings in, no 2-D numeric arrays, and so
        # no ``n_features_in_`` (the number of features is not a property of the input).
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags


class LogitMean:
    """Logistic regression and the network, fitted on the same features, scores averaged.

    The estimator of ``StanceClassifier(loss="logistic+mlp")``. The softmax of the mean of
    their scores is the normalised geometric mean of their probabilities (the mean of their
    log-probabilities), and its weights for one statement are the mean of both models'
    weights, so ``explain`` stays exact. :class:`StanceClassifier` fits the parts and
    computes the scores.

    Parameters
    ----------
    linear : LogisticRegression
        The logistic regression (unfitted).
    network : MLPClassifier
        The network (unfitted).
    """

    def __init__(self, linear: LogisticRegression, network: MLPClassifier):
        self.linear = linear
        self.network = network

    @property
    def parts(self) -> tuple[LogisticRegression, MLPClassifier]:
        """Both classifiers, in fitting order."""
        return self.linear, self.network

    @property
    def classes_(self) -> np.ndarray:
        """The labels (both parts are fitted on the same labels)."""
        return self.linear.classes_


def _word_shares(vectors: WordVectors, words: Sequence[str], weights: np.ndarray) -> dict[str, float]:
    """Each word's part of ``weights @ vectors.features([words])``, summed per word."""
    ids = [vectors.index[w] for w in words if w in vectors.index]
    if not ids:
        return {}
    rows = vectors.matrix[ids]
    norm = float(np.linalg.norm(rows.sum(axis=0)))
    if norm == 0:
        return {}
    shares: dict[str, float] = {}
    for word, share in zip((w for w in words if w in vectors.index), rows @ weights / norm, strict=True):
        shares[word] = shares.get(word, 0.0) + float(share)
    return shares


def _one_d(X: Any, what: str) -> list[Any]:
    """A 1-D sequence (list, tuple, array, pandas Series, generator) of ``what`` as a list."""
    from scipy import sparse

    if sparse.issparse(X):
        raise InputError(
            "sparse input is not supported: StanceClassifier takes raw statements (strings), "
            "not a feature matrix; pass a list of texts"
        )
    if hasattr(X, "__array__") and not hasattr(X, "__iter__"):
        X = np.asarray(X)
    ndim = getattr(X, "ndim", 1)
    if ndim != 1:
        shape = getattr(X, "shape", "?")
        raise InputError(
            f"expected a 1-D sequence of {what}, got an array of shape {shape}; "
            "pass one column, e.g. df['text'] rather than df[['text']]"
        )
    return list(X.tolist() if hasattr(X, "tolist") else X)


def _actors(actors: Iterable[str | None] | None, n: int) -> list[str | None] | None:
    """``actors`` as a list of ``n`` names or None, checked."""
    if actors is None:
        return None
    if isinstance(actors, str):
        raise InputError("expected one actor per statement, got a single string; wrap it in a list: [actor]")
    out = _one_d(actors, "actors")
    if len(out) != n:
        raise InputError(f"got {n} statements but {len(out)} actors; give one actor (or None) per statement")
    for i, a in enumerate(out):
        if a is not None and not isinstance(a, str):
            if isinstance(a, float) and a != a:  # NaN: a missing value in a pandas column
                out[i] = None
                continue
            raise InputError(f"actor at position {i} is {type(a).__name__} {a!r}, expected str or None")
    return out


def _texts(X: Iterable[str]) -> list[str]:
    if isinstance(X, str):
        raise InputError("expected an iterable of statements, got a single string; wrap it in a list: [text]")
    texts = _one_d(X, "statements")
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise InputError(f"statement at position {i} is {type(t).__name__} {t!r}, expected str")
    return texts
