"""Preprocessing: lemmas, roles of names, negation scope, dispute resolution."""

from __future__ import annotations

import pickle

import pytest

from stancekit.preprocess import Preprocessor


@pytest.fixture(scope="module")
def pre():
    return Preprocessor()


def one(pre, text):
    return next(pre.analyze([text]))


def test_entity_aliases_resolve_dispute_and_roles(pre):
    a = one(pre, "Belgrade rejects any move by the temporary institutions in Pristina.")
    assert (a.state, a.entity, a.dispute) == ("Serbia", "Kosovo", "kosovo")
    assert a.tokens[0] == "STATE" and a.tokens[-1] == "ENTITY"
    a = one(pre, "The Kosovo and Metohija question was discussed in Moscow.")
    assert a.dispute == "kosovo" and "COUNTRY" in a.tokens and a.tokens.count("ENTITY") == 1


def test_state_pointed_at_by_status_cue(pre):
    a = one(pre, "China respects the sovereignty and territorial integrity of Serbia.")
    assert a.state == "Serbia" and a.dispute == "kosovo"
    assert a.tokens[0] == "COUNTRY" and a.tokens[-1] == "STATE"
    a = one(pre, "Moldova's territorial integrity must be respected, said Romania.")
    assert a.state == "Moldova" and a.dispute == "transnistria"
    a = one(pre, "Georgia and Japan signed a trade deal.")
    assert a.state is None and a.dispute is None


def test_negation_scope_marks_following_words_until_punctuation(pre):
    a = one(pre, "Spain does not recognise Kosovo, but it supports dialogue.")
    assert a.tokens[:5] == ["COUNTRY", "do", "not", "not_recognize", "not_ENTITY"]
    assert "support" in a.tokens and "not_support" not in a.tokens
    a = one(pre, "We will never accept it.")
    assert "not_accept" in a.tokens


def test_british_spellings_and_lemmas_fold(pre):
    a = one(pre, "They recognised the organisation's neighbours in favour of stabilisation.")
    assert {"recognize", "organization", "favor", "stabilization"} <= set(a.tokens)


def test_acronyms_match_case_sensitively(pre):
    assert "COUNTRY" in one(pre, "The US supports the talks.").tokens
    assert "COUNTRY" not in one(pre, "Let us support the talks.").tokens


def test_unmasked_keeps_names_and_pickle_rebuilds(pre):
    raw = Preprocessor(mask_names=False, negation=False)
    a = one(raw, "We do not recognise Abkhazia.")
    assert "abkhazia" in a.tokens and "not" in a.tokens and "not_recognize" not in a.tokens
    again = pickle.loads(pickle.dumps(pre))
    assert one(again, "Taipei").tokens == ["ENTITY"]


def _feature_tokens_reference(words, roles, negation):
    """The token loop as first written (one token at a time), to check the faster one against."""
    from stancekit.preprocess import _BREAK, _NEGATION, _SCOPE_END, _SKIP, NEGATION_SCOPE

    tokens, scope, i = [], 0, 0
    while i < len(words):
        hit = roles.get(i)
        if hit is not None:
            i, tok = hit
        else:
            tok, kind = words[i]
            i += 1
            if kind == _SKIP:
                continue
            if kind == _SCOPE_END:
                scope = 0
                continue
            if negation:
                if kind == _NEGATION:
                    tokens.append("not")
                    scope = NEGATION_SCOPE
                    continue
                if kind == _BREAK:
                    scope = 0
        if scope > 0:
            tok = "not_" + tok
            scope -= 1
        tokens.append(tok)
    return tokens


def test_feature_tokens_equal_the_token_by_token_loop():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from stancekit.preprocess import _feature_tokens

    word = st.tuples(st.sampled_from(["w", "x", "no", ",", "but"]), st.integers(0, 4))

    @settings(max_examples=300, deadline=None)
    @given(words=st.lists(word, max_size=25), starts=st.lists(st.integers(0, 24), max_size=4), negation=st.booleans())
    def check(words, starts, negation):
        roles, end = {}, -1
        for s in sorted(set(starts)):
            if s > end and s < len(words):
                end = min(len(words), s + 1 + s % 3)
                roles[s] = (end, "ENTITY" if s % 2 else "STATE")
                end -= 1
        assert _feature_tokens(words, roles, negation) == _feature_tokens_reference(words, roles, negation)

    check()
