"""StanceClassifier follows the scikit-learn estimator contract."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from stancekit import InputError, StanceClassifier
from stancekit.preprocess import LATER_READINGS, Preprocessor


@pytest.fixture(scope="module")
def data(small_records):
    return [r["text"] for r in small_records], [r["label"] for r in small_records]


def test_init_stores_params_only_and_clone_works():
    clf = StanceClassifier(C=3.0, ngram_range=(1, 2))
    assert clf.get_params()["C"] == 3.0
    assert not [a for a in vars(clf) if a.endswith("_")]
    twin = clone(clf)
    assert twin.get_params() == clf.get_params() and twin is not clf
    twin.set_params(C=0.5)
    assert twin.C == 0.5 and clf.C == 3.0


def test_fit_sets_fitted_attributes_and_predicts(data):
    X, y = data
    clf = StanceClassifier(C=5.0).fit(X, y)
    assert list(clf.classes_) == sorted(set(y))
    proba = clf.predict_proba(X[:10])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert list(clf.predict(X[:10])) == list(clf.classes_[proba.argmax(axis=1)])
    assert (clf.predict(X) == np.asarray(y)).mean() > 0.9  # fits its training data


def test_cross_val_score_and_grid_search(data):
    X, y = data
    scores = cross_val_score(StanceClassifier(), X, y, cv=3, scoring="f1_macro")
    assert scores.shape == (3,) and np.all(scores > 0.25)
    grid = GridSearchCV(StanceClassifier(), {"C": [0.5, 10.0]}, cv=3, scoring="f1_macro").fit(X, y)
    assert grid.best_params_["C"] in (0.5, 10.0)
    assert len(grid.predict(X[:3])) == 3


def test_works_inside_a_pipeline(data):
    X, y = data
    pipe = Pipeline(
        [("strip", FunctionTransformer(lambda xs: [x.strip() for x in xs])), ("stance", StanceClassifier())]
    )
    pipe.fit(X, y)
    assert len(pipe.predict(X[:4])) == 4


def test_pickle_drops_spacy_and_predicts_identically(data):
    X, y = data
    clf = StanceClassifier().fit(X, y)
    blob = pickle.dumps(clf)
    assert b"spacy.lang" not in blob and len(blob) < 20_000_000
    again = pickle.loads(blob)
    np.testing.assert_array_equal(again.predict_proba(X[:20]), clf.predict_proba(X[:20]))


def test_svm_loss_and_char_ngrams(data):
    X, y = data
    clf = StanceClassifier(loss="svm", char_ngrams=(3, 4), C=0.5).fit(X, y)
    np.testing.assert_allclose(clf.predict_proba(X[:5]).sum(axis=1), 1.0, rtol=1e-6)


def test_mlp_loss_predicts_batch_independently_and_survives_pickle(data):
    X, y = data
    clf = StanceClassifier(loss="mlp").fit(X, y)
    assert (clf.predict(X) == np.asarray(y)).mean() > 0.9  # fits its training data
    proba = clf.predict_proba(X[:20])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    one_by_one = np.vstack([clf.predict_proba([x]) for x in X[:20]])
    np.testing.assert_array_equal(proba, one_by_one)
    # A quarter of the file size of float64 weights and the optimiser's state.
    assert [c.dtype for c in clf.estimator_.coefs_] == [np.float16, np.float32]
    blob = pickle.dumps(clf)
    assert b"AdamOptimizer" not in blob and b"_first_layer_f32" not in blob
    again = pickle.loads(blob)
    np.testing.assert_array_equal(again.predict_proba(X[:20]), proba)
    with pytest.raises(InputError, match="no global linear weights"):
        clf.feature_weights()
    with pytest.raises(InputError, match=r"sum to 0\.0; give at least one statement a positive weight"):
        StanceClassifier(loss="mlp").fit(X[:20], y[:20], sample_weight=np.zeros(20))


@pytest.mark.parametrize("vectors", ["ungd", None])
def test_mlp_explain_weights_add_up_to_the_scores(data, vectors):
    X, y = data
    clf = StanceClassifier(loss="mlp", vectors=vectors).fit(X, y)
    est = clf.estimator_
    for text in X[:5]:
        (a,) = clf.analyze([text])
        names, coef = clf._weights_for(a.tokens)
        features = clf.vectorizer_.transform([a.text]).toarray()
        if vectors is not None:
            features = np.hstack([features, clf._vector_features([a.tokens])])
        hidden = np.maximum(features @ est.coefs_[0].astype(np.float32) + est.intercepts_[0], 0)
        intercept = (est.intercepts_[0] * (hidden[0] > 0)) @ est.coefs_[1] + est.intercepts_[1]
        logits = hidden @ est.coefs_[1] + est.intercepts_[1]
        np.testing.assert_allclose(features @ coef.T + intercept, logits, rtol=1e-4, atol=1e-4)
        np.testing.assert_allclose(clf.predict_proba([text]), np.exp(logits) / np.exp(logits).sum(), rtol=1e-4)
        exp = clf.explain(text)
        assert exp["label"] == clf.predict([text])[0] and len(names) == coef.shape[1]


def test_logistic_plus_mlp_averages_both_models_scores(data):
    X, y = data
    blend = StanceClassifier(loss="logistic+mlp", random_state=1).fit(X, y)
    linear = StanceClassifier(loss="logistic", random_state=1).fit(X, y)
    network = StanceClassifier(loss="mlp", random_state=1).fit(X, y)
    proba = blend.predict_proba(X[:20])
    # The softmax of the mean scores: the normalised geometric mean of both probabilities.
    geo = np.sqrt(linear.predict_proba(X[:20]) * network.predict_proba(X[:20]))
    np.testing.assert_allclose(proba, geo / geo.sum(axis=1, keepdims=True), rtol=1e-4, atol=1e-6)
    np.testing.assert_array_equal(proba, np.vstack([blend.predict_proba([x]) for x in X[:20]]))
    again = pickle.loads(pickle.dumps(blend))
    np.testing.assert_array_equal(again.predict_proba(X[:20]), proba)
    assert list(blend.classes_) == list(linear.classes_)
    with pytest.raises(InputError, match="loss='logistic\\+mlp' model has no global linear weights"):
        blend.feature_weights()
    # explain: the mean of both models' weights for the statement, which splits the mean scores.
    for text in X[:3]:
        (a,) = blend.analyze([text])
        _, coef = blend._weights_for(a.tokens)
        _, lin = linear._weights_for(a.tokens)
        _, net = network._weights_for(a.tokens)
        np.testing.assert_allclose(coef, (lin + net) / 2, rtol=1e-5, atol=1e-7)
        assert blend.explain(text)["label"] == blend.predict([text])[0]


def test_custom_binary_labels_and_explain():
    X = [
        "We firmly support the unity of the country.",
        "Separation is the only way forward for our people.",
        "Unity and integrity of the state are sacred.",
        "Our people have chosen separation and freedom.",
    ] * 3
    y = ["pro", "con", "pro", "con"] * 3
    clf = StanceClassifier().fit(X, y)
    assert list(clf.classes_) == ["con", "pro"]
    exp = clf.explain("We support unity.")
    assert exp["label"] == "pro" and exp["for"] and all(w > 0 for _, w in exp["for"])


@pytest.mark.parametrize("fit", ["raw", "analyzed"])
def test_unknown_loss_is_an_error_not_a_fallback(fit):
    from stancekit.train import AnalyzedStanceClassifier

    with pytest.raises(ValueError, match=r"loss='hinge' is not supported; use one of"):
        if fit == "raw":
            StanceClassifier(loss="hinge").fit(["a b", "c d"], ["x", "y"])
        else:
            AnalyzedStanceClassifier(loss="hinge").fit(["a b", "c d"], ["x", "y"])


def _saved_before(clf, param):
    """``clf`` as unpickled from a file written before ``param`` existed."""
    state = dict(clf.__dict__)
    state.pop(param)
    old_pre = Preprocessor.__new__(Preprocessor)
    old_pre.__setstate__({k: v for k, v in clf.preprocessor_.__getstate__().items() if k != param})
    state["preprocessor_"] = old_pre
    old = StanceClassifier.__new__(StanceClassifier)
    old.__setstate__(state)
    return old


#: A reading added after models were first saved: a statement, and whether its tokens show it.
_LATER_READINGS = {
    # Claimants as their own role, not as third states.
    "claimants": (
        "Argentina will never renounce its rights over the Malvinas Islands.",
        lambda tokens: tokens[0] == "CLAIMANT",
    ),
    # "no doubt" opens no negation scope.
    "pseudo_negations": ("Spain has no doubt that Crimea is Ukraine.", lambda tokens: "not_ENTITY" not in tokens),
    # A short insertion between commas leaves the negation's scope open.
    "parentheticals": ("Spain does not, and will not, recognise Kosovo.", lambda tokens: "not_ENTITY" in tokens),
}


def test_every_later_reading_is_probed():
    assert sorted(_LATER_READINGS) == sorted(LATER_READINGS)


@pytest.mark.parametrize("param", sorted(_LATER_READINGS))
def test_models_saved_before_a_reading_keep_reading_as_trained(small_records, param):
    X, y = [r["text"] for r in small_records], [r["label"] for r in small_records]
    clf = StanceClassifier(vectors=None).fit(X, y)
    assert clf.get_params()[param] is True and getattr(clf.preprocessor_, param) is True
    old = _saved_before(clf, param)
    assert old.get_params()[param] is False and getattr(old.preprocessor_, param) is False
    text, reads_it = _LATER_READINGS[param]
    assert reads_it(clf.analyze([text])[0].tokens) and not reads_it(old.analyze([text])[0].tokens)


def test_bad_input_raises_clear_errors():
    with pytest.raises(InputError, match="at least two distinct labels"):
        StanceClassifier().fit(["a b", "c d"], ["x", "x"])
    with pytest.raises(InputError, match="2 statements but 1 labels"):
        StanceClassifier().fit(["a b", "c d"], ["x"])
    with pytest.raises(InputError, match="single string"):
        StanceClassifier().fit("a text", ["x"])
    with pytest.raises(ValueError, match="loss="):
        StanceClassifier(loss="hinge").fit(["a b", "c d"], ["x", "y"])


STANCE = "Spain does not and will not recognise the unilateral declaration of independence of Kosovo."
FILLER = [
    "The Assembly must also address the debt burden of the least developed countries, which has doubled in a decade.",
    "Climate change threatens small island States, and we call for urgent action on adaptation finance.",
    "We thank the Secretary-General for his report on the work of the Organization and support its budget reform.",
    "Our delegation will present a draft resolution on road safety in the Third Committee next month.",
]


def test_long_statement_is_read_by_its_sentence_that_takes_a_stance():
    import stancekit

    model = stancekit.load()
    est = model.estimator
    long = " ".join([*FILLER[:2], STANCE, *FILLER[2:]])
    assert len(long.split()) > est.long_text_words
    np.testing.assert_allclose(model.predict_proba([long]), model.predict_proba([STANCE]))
    assert model.predict([long, STANCE]) == ["favor", "favor"]
    result, short = stancekit.classify([long, STANCE], model)  # the batch path reads it the same way
    assert result.label == "favor" and result.deciding_sentence == STANCE and short.deciding_sentence is None
    exp = model.explain(long)
    assert exp["label"] == "favor" and exp["sentence"] == STANCE and "CUE_economy" not in exp["tokens"]
    # A long statement whose sentences take no stance is read whole; a short one never splits.
    plain = " ".join([*FILLER, FILLER[0]])
    assert est.analyze([plain])[0].parts and model.predict([plain]) == ["none"]
    assert stancekit.classify(plain, model)[0].deciding_sentence is None
    assert not est.analyze([STANCE + " " + FILLER[0]])[0].parts
    saved = est.long_text_words
    try:
        est.long_text_words = None  # read whole: the stance is diluted by the rest
        assert not est.analyze([long])[0].parts and model.predict([long]) == ["none"]
        assert "sentence" not in model.explain(long)
        assert stancekit.classify(long, model)[0].deciding_sentence is None
    finally:
        est.long_text_words = saved


def test_long_statements_pass_the_speaker_to_each_sentence():
    import stancekit

    model = stancekit.load()
    own = "We will never give up a single inch of our territory."
    long = " ".join([*FILLER, FILLER[0], own])
    assert len(long.split()) > model.estimator.long_text_words
    for actor in ("Serbia", "Kosovo"):
        np.testing.assert_allclose(
            model.predict_proba([long], actors=[actor]), model.predict_proba([own], actors=[actor])
        )
    assert model.predict([long], actors=["Serbia"]) != model.predict([long], actors=["Kosovo"])
