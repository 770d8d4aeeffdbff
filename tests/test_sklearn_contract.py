"""StanceClassifier against scikit-learn's estimator checks, adapted to text input.

Most of ``sklearn.utils.estimator_checks`` feeds numeric 2-D arrays, which a text
classifier rightly refuses (``check_estimator`` skips estimators whose tags say
``two_d_array=False``, as it does for ``TfidfVectorizer``). The checks that only look
at the API run here as they are; the data-driven ones are re-stated on statements.
"""

from __future__ import annotations

import pickle

import joblib
import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils import estimator_checks as ec
from sklearn.utils import get_tags
from sklearn.utils.validation import check_is_fitted

from stancekit import InputError, LabelError, StanceClassifier

# Three made-up labels outside the default scheme: nothing may assume favor/against/...
_TEMPLATES = {
    "pro": [
        "We support the territorial integrity of {c}.",
        "{c} must keep its unity and its borders.",
        "The sovereignty of {c} is not negotiable and we defend it.",
    ],
    "con": [
        "The people of {c} have the right to independence.",
        "We recognize the independence declared in {c}.",
        "{c} should be allowed to secede by referendum.",
    ],
    "off": [
        "Trade with {c} grew by ten percent last year.",
        "A cultural festival from {c} opens next week.",
        "We signed an agreement on tourism and flights with {c}.",
    ],
}
_PLACES = ["Moldova", "Georgia", "Cyprus", "Serbia", "Somalia", "Morocco"]


def _corpus() -> tuple[list[str], list[str]]:
    X, y = [], []
    for place in _PLACES:
        for label, templates in _TEMPLATES.items():
            for t in templates:
                X.append(t.format(c=place))
                y.append(label)
    return X, y


X, Y = _corpus()


@pytest.fixture(scope="module")
def fitted() -> StanceClassifier:
    return StanceClassifier().fit(X, Y)


# -- sklearn's own checks that apply to a text estimator, run unchanged ---------------
API_CHECKS = [
    ec.check_estimator_cloneable,
    ec.check_estimator_repr,
    ec.check_no_attributes_set_in_init,
    ec.check_parameters_default_constructible,
    ec.check_get_params_invariance,
    ec.check_set_params,
    ec.check_do_not_raise_errors_in_init_or_set_params,
    ec.check_mixin_order,
    ec.check_estimator_tags_renamed,
    ec.check_valid_tag_types,
    ec.check_estimators_unfitted,  # predict/predict_proba before fit raise NotFittedError
    ec.check_estimator_sparse_array,  # sparse input refused with a message that says so
    ec.check_estimator_sparse_matrix,
]


@pytest.mark.parametrize("check", API_CHECKS, ids=lambda c: c.__name__)
def test_sklearn_api_check(check):
    check("StanceClassifier", StanceClassifier())


def test_check_estimator_skips_text_estimators_like_sklearns_vectorizers():
    # The same tags as TfidfVectorizer: strings, no 2-D numeric arrays.
    tags = get_tags(StanceClassifier())
    assert tags.input_tags.string and not tags.input_tags.two_d_array
    assert tags.estimator_type == "classifier" and tags.target_tags.required


# -- data-driven checks, restated on statements ---------------------------------------
def test_fit_returns_self_and_adds_only_trailing_underscore_attributes():
    # check_estimators_fit_returns_self + check_dont_overwrite_parameters
    clf = StanceClassifier()
    before = dict(vars(clf))
    assert clf.fit(X, Y) is clf
    added = set(vars(clf)) - set(before)
    assert added and all(a.endswith("_") and not a.startswith("_") for a in added)
    assert {"classes_", "vectorizer_", "estimator_", "preprocessor_"} <= added
    assert {k: vars(clf)[k] for k in before} == before


def test_fit_leaves_params_untouched():
    # check_estimators_overwrite_params, with mutable params (a dict, a list)
    weights = {"pro": 1.0, "con": 2.0, "off": 1.0}
    clf = StanceClassifier(class_weight=weights, ngram_range=[1, 2], char_ngrams=(3, 4), C=2.0)
    before = joblib.hash(clf.get_params())
    clf.fit(X, Y)
    assert joblib.hash(clf.get_params()) == before
    assert clf.class_weight is weights and weights == {"pro": 1.0, "con": 2.0, "off": 1.0}


def test_fit_idempotent_and_refit_forgets_previous_fit(fitted):
    # check_fit_idempotent: same data, same predictions; a refit on other labels starts afresh
    clf = StanceClassifier()
    first = clf.fit(X, Y).predict_proba(X)
    np.testing.assert_array_equal(clf.fit(X, Y).predict_proba(X), first)
    np.testing.assert_array_equal(first, fitted.predict_proba(X))
    binary = ["yes" if label == "pro" else "no" for label in Y]
    clf.fit(X, binary)
    assert list(clf.classes_) == ["no", "yes"] and clf.predict_proba(X).shape == (len(X), 2)


@pytest.mark.parametrize(
    "make_y",
    [list, tuple, lambda y: np.asarray(y), lambda y: np.asarray(y, dtype=object), lambda y: pd.Series(y)],
    ids=["list", "tuple", "ndarray-str", "ndarray-object", "series"],
)
def test_classes_with_string_labels(make_y):
    # check_classifiers_classes: any string labels, any 1-D container; predict returns them
    clf = StanceClassifier().fit(pd.Series(X) if isinstance(make_y(Y), pd.Series) else X, make_y(Y))
    assert list(clf.classes_) == ["con", "off", "pro"] and clf.classes_.dtype == object
    pred = clf.predict(X)
    assert set(pred) <= set(clf.classes_) and pred.shape == (len(X),)
    assert clf.score(X, Y) > 0.9  # ClassifierMixin.score: accuracy on its training data


def test_non_string_labels_are_refused_with_the_fix():
    with pytest.raises(LabelError, match="not a non-empty string"):
        StanceClassifier().fit(X, list(range(len(X))))
    with pytest.raises(LabelError, match="not a non-empty string"):
        StanceClassifier().fit(X, [*Y[:-1], np.nan])  # check_supervised_y_no_nan


def test_predictions_do_not_depend_on_order_or_batching(fitted):
    # check_methods_sample_order_invariance and check_methods_subset_invariance
    order = np.random.default_rng(0).permutation(len(X))
    shuffled = [X[i] for i in order]
    whole = fitted.predict_proba(X)
    np.testing.assert_allclose(fitted.predict_proba(shuffled), whole[order], rtol=1e-6)
    batched = np.vstack([fitted.predict_proba(X[i : i + 5]) for i in range(0, len(X), 5)])
    np.testing.assert_allclose(batched, whole, rtol=1e-6)
    assert list(fitted.predict(shuffled)) == list(fitted.predict(X)[order])


def test_predict_leaves_the_estimator_unchanged(fitted):
    # check_dict_unchanged
    before = {k: (id(v), joblib.hash(v)) for k, v in vars(fitted).items()}
    fitted.predict(X[:4])
    fitted.predict_proba(X[:4])
    fitted.decision_function(X[:4])
    assert {k: (id(v), joblib.hash(v)) for k, v in vars(fitted).items()} == before


def test_check_is_fitted_and_clone_of_a_fitted_estimator(fitted):
    # check_fit_check_is_fitted; clone gives an unfitted twin with the same params
    with pytest.raises(NotFittedError):
        check_is_fitted(StanceClassifier())
    check_is_fitted(fitted)
    twin = clone(fitted)
    assert twin.get_params() == fitted.get_params()
    with pytest.raises(NotFittedError):
        twin.predict(X[:1])


def test_pickle_round_trip_predicts_the_same(fitted):
    # check_estimators_pickle
    again = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(again.predict_proba(X), fitted.predict_proba(X))


def test_decision_function_shapes_and_consistency_with_proba(fitted):
    # check_decision_proba_consistency; binary scores are 1-D like sklearn's classifiers
    dec, proba = fitted.decision_function(X), fitted.predict_proba(X)
    assert dec.shape == proba.shape
    np.testing.assert_array_equal(dec.argmax(axis=1), proba.argmax(axis=1))
    binary = ["yes" if label == "pro" else "no" for label in Y]
    clf = StanceClassifier().fit(X, binary)
    dec, proba = clf.decision_function(X), clf.predict_proba(X)
    assert dec.shape == (len(X),)
    np.testing.assert_array_equal(np.argsort(dec, kind="stable"), np.argsort(proba[:, 1], kind="stable"))
    assert list(clf.predict(X)) == list(clf.classes_[(dec > 0).astype(int)])


def test_no_n_features_in_for_text_input(fitted):
    # n_features_in_ / feature_names_in_ describe columns of 2-D input; like sklearn's
    # vectorizers, a text estimator sets neither, and a Pipeline starting with it has none.
    assert not hasattr(fitted, "n_features_in_") and not hasattr(fitted, "feature_names_in_")
    pipe = Pipeline([("stance", StanceClassifier())]).fit(X, Y)
    assert not hasattr(pipe, "n_features_in_")


def test_bad_input_shapes_fail_with_a_clear_message():
    # check_requires_y_none, check_estimators_empty_data_messages, sparse and 2-D input
    with pytest.raises(ValueError, match="requires y to be passed, but the target y is None"):
        StanceClassifier().fit(X, None)
    with pytest.raises(InputError, match="0 statements"):
        StanceClassifier().fit([], [])
    with pytest.raises(InputError, match="sparse input is not supported"):
        StanceClassifier().fit(sparse.csr_matrix(np.ones((4, 2))), ["a", "b", "a", "b"])
    with pytest.raises(InputError, match=r"1-D sequence of statements, got an array of shape \(3, 1\)"):
        StanceClassifier().fit(pd.DataFrame({"text": X[:3]}), Y[:3])
    with pytest.raises(InputError, match="1-D sequence of labels"):
        StanceClassifier().fit(X[:3], np.asarray(Y[:3]).reshape(-1, 1))


def test_accepts_a_dataframe_column_and_a_generator(fitted):
    frame = pd.DataFrame({"text": X, "label": Y}, index=range(100, 100 + len(X)))
    clf = StanceClassifier().fit(frame["text"], frame["label"])
    np.testing.assert_array_equal(clf.predict_proba(frame["text"]), fitted.predict_proba(X))
    np.testing.assert_array_equal(clf.predict(t for t in X[:3]), fitted.predict(X[:3]))


# -- composition: Pipeline, cross_val_score, GridSearchCV ------------------------------
def _strip(texts):
    return [t.strip() for t in texts]


def test_pipeline_nested_params_and_grid_search():
    pipe = Pipeline([("clean", FunctionTransformer(_strip)), ("stance", StanceClassifier())])
    pipe.set_params(stance__C=3.0)
    assert pipe.named_steps["stance"].C == 3.0
    grid = GridSearchCV(
        pipe, {"stance__ngram_range": [(1, 1), (1, 2)], "stance__mask_names": [True, False]}, cv=3, scoring="f1_macro"
    )
    grid.fit(X, Y)
    assert set(grid.cv_results_["params"][0]) == {"stance__ngram_range", "stance__mask_names"}
    assert len(grid.cv_results_["mean_test_score"]) == 4
    assert grid.best_estimator_.named_steps["stance"].C == 3.0
    assert list(grid.predict(X[:3])) == list(grid.best_estimator_.predict(X[:3]))


def test_cross_val_score_with_probability_scorers():
    binary = ["yes" if label == "pro" else "no" for label in Y]
    auc = cross_val_score(StanceClassifier(), X, binary, cv=3, scoring="roc_auc")
    assert auc.shape == (3,) and np.all((auc >= 0) & (auc <= 1))
    loss = cross_val_score(StanceClassifier(), X, Y, cv=3, scoring="neg_log_loss")
    assert np.all(loss < 0)


def test_grid_search_in_parallel_workers():
    # n_jobs=2 pickles the estimator to worker processes: the spaCy pipeline must not travel.
    grid = GridSearchCV(StanceClassifier(), {"C": [0.1, 10.0]}, cv=2, n_jobs=2).fit(X, Y)
    assert grid.best_params_["C"] in (0.1, 10.0)
    assert len(grid.predict(X[:2])) == 2
