"""The Python API: load, classify, Result."""

from __future__ import annotations

import json

import numpy as np
import pytest

import stancekit
from stancekit import Result, StancekitError


def test_default_model_loads_with_card():
    model = stancekit.load()
    assert list(model.classes_) == sorted(stancekit.DEFAULT_LABELS)
    for key in ("labels", "corpus", "cv", "eval", "versions", "sha256"):
        assert key in model.card, key
    assert model.card["corpus"]["n"] >= 400
    assert set(model.card["corpus"]["by_label"]) == set(stancekit.DEFAULT_LABELS)


def test_predict_proba_rows_sum_to_one_in_classes_order():
    model = stancekit.load()
    texts = [
        "Spain will never recognise the unilateral declaration of independence of Kosovo.",
        "Tourism between the two countries grew by ten percent last year.",
    ]
    proba = model.predict_proba(texts)
    assert proba.shape == (2, len(model.classes_))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    labels = model.predict(texts)
    assert labels == [str(model.classes_[i]) for i in proba.argmax(axis=1)]


def test_classify_reports_label_scores_and_dispute():
    (r,) = stancekit.classify(
        [
            "Our government reaffirms its support for the territorial integrity of Georgia "
            "and does not recognise the so-called independence of Abkhazia."
        ]
    )
    assert isinstance(r, Result)
    assert r.label == "favor"
    assert r.dispute == "abkhazia" and r.state == "Georgia" and r.entity == "Abkhazia"
    assert set(r.scores) == set(stancekit.DEFAULT_LABELS)
    assert r.confidence == max(r.scores.values())
    d = r.to_dict()
    json.dumps(d)
    assert d["label"] == "favor" and d["error"] is None


def test_classify_accepts_single_string_and_keeps_order():
    texts = ["Trade between the two ports doubled.", "We recognise Somaliland as an independent state."]
    one = stancekit.classify(texts[1])
    both = stancekit.classify(texts)
    assert len(one) == 1 and len(both) == 2
    assert both[1].label == one[0].label


def test_classify_bad_items_get_error_results_not_exceptions():
    results = stancekit.classify(["", "   ", None, 42, "We call for dialogue between the parties."])
    assert [r.label is None for r in results] == [True, True, True, True, False]
    assert all(r.error for r in results[:4])
    assert results[4].error is None


def test_min_confidence_flags_uncertain(small_model):
    texts = ["The delegation took note of the statement.", "We recognise the Republic of Kosovo."]
    strict = stancekit.classify(texts, small_model, min_confidence=1.0)
    lax = stancekit.classify(texts, small_model, min_confidence=0.0)
    assert all(r.uncertain for r in strict)
    assert not any(r.uncertain for r in lax)
    with pytest.raises(StancekitError):
        stancekit.classify(texts, small_model, min_confidence=1.5)


def test_errors_share_one_base():
    for name in ("InputError", "CorpusError", "LabelError", "ModelError", "ModelIntegrityError", "ModelVersionError"):
        assert issubclass(getattr(stancekit, name), StancekitError)


def test_result_to_dict_equals_asdict_and_copies_scores():
    from dataclasses import asdict

    r = Result(label="favor", confidence=0.7, scores={"favor": 0.7, "none": 0.3}, state="Serbia", uncertain=True)
    d = r.to_dict()
    assert d == asdict(r) and list(d) == list(asdict(r))
    d["scores"]["favor"] = 0.0
    assert r.scores["favor"] == 0.7


# A first-person claim whose side depends on who makes it.
OWN_CLAIM = "Our sovereignty over this land is not negotiable, and we call on every state to respect our borders."


def test_actors_read_first_person_as_the_speaker():
    model = stancekit.load()
    entity, state, unknown, none = stancekit.classify(
        [OWN_CLAIM] * 4, model, actors=["Kosovo (presidency)", "Serbia", "a spokesperson", None]
    )
    assert entity.dispute == "kosovo" and state.dispute == "kosovo"
    assert unknown.scores == none.scores and none.dispute is None
    # Said by the entity, the claim is against Serbia's sovereignty; said by Serbia, for it.
    assert (entity.label, state.label) == ("against", "favor")
    assert entity.scores != none.scores
    # The same through the model's own methods, by name or three-letter code.
    proba = model.predict_proba([OWN_CLAIM, OWN_CLAIM], actors=["Serbia", "SRB"])
    assert np.array_equal(proba[0], proba[1])
    assert model.predict([OWN_CLAIM], actors=["Kosovo"]) == [entity.label]


def test_actors_must_be_one_per_statement():
    with pytest.raises(StancekitError, match="fewer actors"):
        stancekit.classify(["a statement", "another"], actors=["Serbia"])
    with pytest.raises(StancekitError, match="more actors"):
        stancekit.classify(["a statement"], actors=["Serbia", "Kosovo"])
    with pytest.raises(StancekitError, match="single string"):
        stancekit.classify(["a statement"], actors="Serbia")
    with pytest.raises(StancekitError, match="actors"):
        stancekit.load().predict(["a", "b"], actors=["Serbia"])
    with pytest.raises(StancekitError, match="expected str or None"):
        stancekit.load().predict(["a"], actors=[3])
    # Missing values from a pandas column (NaN) and bad texts keep their place.
    out = stancekit.classify(["", OWN_CLAIM], actors=[float("nan"), "Kosovo"])
    assert out[0].error and out[1].dispute == "kosovo"


def test_to_dict_keys_are_the_result_keys_in_order():
    from stancekit.results import RESULT_KEYS

    result = stancekit.classify(["Spain will not recognise Kosovo."])[0]
    assert tuple(result.to_dict()) == RESULT_KEYS
    assert tuple(Result(label=None, confidence=None, error="empty text").to_dict()) == RESULT_KEYS
