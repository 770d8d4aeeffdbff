"""Quality floor of the shipped model on the held-out dev set (never trained on)."""

from __future__ import annotations

import json

import numpy as np
import pytest

import stancekit

from .conftest import DEV, UNGD

#: Floors below the figures the shipped model reaches reading the text alone (see README),
#: so a regression fails.
MACRO_F1_FLOOR = 0.75
#: The weaker part (General Debate sentences) gets its own floor.
PART_FLOOR = 0.72
#: Floors when the records' speakers are read too (``actor``; the default).
SPEAKER_FLOOR = 0.75
SPEAKER_PART_FLOOR = 0.72

pytestmark = pytest.mark.skipif(not DEV.exists(), reason=f"dev set not found at {DEV} (set STANCEKIT_DEV)")


def _evaluate(actor_field):
    return stancekit.evaluate(
        stancekit.load(),
        [DEV],
        parts=lambda r: "speech" if r.data.get("form") == "speech" else "statements",
        actor_field=actor_field,
    )


@pytest.fixture(scope="module")
def report():
    return _evaluate("actor")


@pytest.fixture(scope="module")
def text_only():
    return _evaluate(None)


def test_macro_f1_floor_on_dev(report, text_only):
    for rep, floor, part_floor in (
        (text_only, MACRO_F1_FLOOR, PART_FLOOR),
        (report, SPEAKER_FLOOR, SPEAKER_PART_FLOOR),
    ):
        assert rep.macro_f1 >= floor, rep.format()
        assert set(rep.parts) == {"speech", "statements"}
        for name, part in rep.parts.items():
            assert part.macro_f1 >= part_floor, (name, rep.format())


def test_reading_speakers_costs_nothing_beyond_noise_on_dev(report, text_only):
    # Speakers raise grouped CV (benchmarks/speakers.py); on dev they change about a dozen
    # labels, fixing about as many as they break. A drop of more than 0.02 (six or seven
    # statements) would mean the speaker reading has gone wrong.
    assert report.macro_f1 >= text_only.macro_f1 - 0.02
    for name, part in report.parts.items():
        assert part.macro_f1 >= text_only.parts[name].macro_f1 - 0.03, name


def test_card_dev_figures_match_a_fresh_evaluation(report, text_only):
    card = stancekit.load().card["eval"]
    assert card["macro_f1"] == pytest.approx(report.macro_f1, abs=1e-4)
    assert card["text_only"]["macro_f1"] == pytest.approx(text_only.macro_f1, abs=1e-4)


def test_dev_statements_not_in_training_corpus():
    from stancekit.corpus import _norm, read_records

    from .conftest import CORPUS

    train = {_norm(r.text) for r in read_records([CORPUS])}
    dev = [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert not [t for t in dev if _norm(t) in train]


def test_no_corpus_text_paraphrases_a_dev_statement():
    """A looser screen than leakcheck's 5-gram rule: TF-IDF cosine of word uni+bigrams."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    from stancekit.corpus import read_records

    from .conftest import CORPUS

    corpus = [r.text for r in read_records([CORPUS])]
    dev = [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    vec = TfidfVectorizer(ngram_range=(1, 2), stop_words="english", sublinear_tf=True).fit(corpus + dev)
    sim = cosine_similarity(vec.transform(corpus), vec.transform(dev))
    close = [(corpus[i][:80], dev[j][:80]) for i, j in zip(*(sim >= 0.4).nonzero(), strict=True)]
    assert not close, close[:5]


@pytest.mark.skipif(not (UNGD / "sentences.jsonl.gz").exists(), reason=f"UN General Debate data not found at {UNGD}")
def test_shipped_model_rarely_reads_a_stance_into_plain_real_sentences():
    """Real speech sentences naming no party and using no stance-bearing word, outside the
    background pool the model trained on, are nearly all `none` (the model of corpus round 11,
    before background sentences, gave a stance to about 10% of them)."""
    import gzip

    from stancekit.background import in_pool, is_plain
    from stancekit.preprocess import Preprocessor

    texts = []
    with gzip.open(UNGD / "sentences.jsonl.gz", "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i % 97 == 0:  # spread over the archive's years
                text = json.loads(line)["text"]
                if not in_pool(text) and 5 <= len(text.split()) <= 80:
                    texts.append(text)
            if len(texts) == 4000:
                break
    plain = [t for t, a in zip(texts, Preprocessor().analyze(texts), strict=True) if is_plain(a)]
    assert len(plain) > 1000
    pred = stancekit.load().predict(plain)
    share = sum(p != "none" for p in pred) / len(pred)
    assert share <= 0.02, [t for t, p in zip(plain, pred, strict=True) if p != "none"][:10]


def _real_speech():
    """``benchmarks/real_speech.py`` (the audit of real General Debate sentences), imported by path."""
    import importlib
    import sys

    from .conftest import ROOT

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        return importlib.import_module("real_speech")
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))


#: Below the 0.663 the shipped model reaches on the agreed audit sentences (README; 0.597
#: before it trained on the labelled archive lines of session 19).
AUDIT_FLOOR = 0.63


@pytest.mark.skipif(not (UNGD / "sentences.jsonl.gz").exists(), reason=f"UN General Debate data not found at {UNGD}")
def test_macro_f1_floor_on_labelled_real_speech():
    """The second real-speech yardstick: archive sentences labelled by two annotators."""
    rs = _real_speech()
    audit = rs.load_audit(shared=UNGD.parents[1])
    assert len(audit.y) > 500 and set(audit.y) == {"favor", "against", "neutral", "none"}
    pred = stancekit.load().predict(audit.texts, actors=audit.countries)
    assert rs.macro(audit.y, np.asarray(pred)) >= AUDIT_FLOOR


@pytest.mark.skipif(not (UNGD / "sentences.jsonl.gz").exists(), reason=f"UN General Debate data not found at {UNGD}")
def test_audit_labels_refuse_an_archive_line_whose_text_changed(tmp_path):
    rs = _real_speech()
    agreed = [json.loads(line) for line in rs.AUDIT.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in agreed if r["label"] is not None][:3]
    rows[1]["sha1"] = "0" * 12
    path = tmp_path / "labels.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(ValueError, match=rf"{rows[1]['id']} expects archive line {rows[1]['line']}"):
        rs.load_audit(path, UNGD.parents[1])


@pytest.mark.skipif(not (UNGD / "sentences.jsonl.gz").exists(), reason=f"UN General Debate data not found at {UNGD}")
def test_audit_first_labels_repeat_the_labels_before_a_relabelling(tmp_path):
    rs = _real_speech()
    agreed = [json.loads(line) for line in rs.AUDIT.read_text(encoding="utf-8").splitlines()]
    rows = sorted((r for r in agreed if r["label"] is not None), key=lambda r: r["line"])[:3]
    rows[0]["first_label"], rows[0]["label"] = "none", "favor"
    rows[1]["first_label"], rows[1]["label"] = None, "against"
    path = tmp_path / "labels.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    now, before = rs.load_audit(path, UNGD.parents[1]), rs.load_audit(path, UNGD.parents[1], first=True)
    assert list(now.y) == ["favor", "against", rows[2]["label"]]
    assert list(before.y) == ["none", rows[2]["label"]]
