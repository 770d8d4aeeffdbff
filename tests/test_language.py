"""Statements a model cannot read (not English) are classified with a warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import stancekit
from stancekit.language import known_words, language_warning, tags, unknown_words

from .conftest import ROOT, run_cli

DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"

#: Statements of our own in other languages (each reads below the bar with the shipped model).
FOREIGN = [
    "Kosovo je Srbija.",
    "La France reconnaît l'indépendance du Kosovo et salue le peuple kosovar.",
    "Россия признает независимость Абхазии.",
    "Die Bundesregierung unterstützt die territoriale Integrität der Ukraine.",
    "O Brasil apoia a integridade territorial da Sérvia.",
    "Crimea è Ucraina.",
    "Taiwan ist ein Teil Chinas.",
    "Türkiye, KKTC'nin egemenliğini tanır.",
]


def test_foreign_statements_are_flagged_and_still_classified():
    results = stancekit.classify(FOREIGN)
    assert all(r.label is not None and r.error is None for r in results)
    assert all(r.warning and "unknown to the model" in r.warning for r in results), [
        (r.warning, t) for r, t in zip(results, FOREIGN, strict=True) if not r.warning
    ]
    assert results[0].to_dict()["warning"].startswith("2 of its 2 words")


def test_english_statements_are_not_flagged():
    texts = (ROOT / "examples" / "statements.txt").read_text(encoding="utf-8").splitlines()
    texts += ["Kosovo is Serbia.", "Spain will not recognise Kosovo.", "Sukhumi, Tskhinvali and Tiraspol."]
    assert [r.warning for r in stancekit.classify(texts)] == [None] * len(texts)


@pytest.mark.skipif(not DEV.exists(), reason="needs ../shared/eval/dev.jsonl")
def test_no_dev_statement_is_flagged():
    texts = [json.loads(line)["text"] for line in DEV.open(encoding="utf-8")]
    flagged = [t for t, r in zip(texts, stancekit.classify(texts), strict=True) if r.warning]
    assert not flagged


def test_hashtags_and_handles_are_not_counted():
    posts = [
        "Crimea is Ukraine. #CrimeaIsUkraine #StandWithUkraine",
        "#StandWithUkraine #SlavaUkraini",
        "Thank you @SenatorX for supporting #Taiwan's participation in #WHA76! #TaiwanCanHelp",
    ]
    assert [r.warning for r in stancekit.classify(posts)] == [None] * len(posts)
    assert stancekit.classify(["Kosovo je Srbija. #KosovoJeSrbija"])[0].warning
    assert tags("Thank you @SenatorX, #TaiwanCanHelp!") == {"senatorx", "taiwancanhelp"}


def test_words_are_counted_without_names_numbers_or_roles():
    model = stancekit.load()
    assert unknown_words(["STATE", "NUM", "not_recognize", "ENTITY", "je", ","], model.estimator) == (1, 2)
    assert unknown_words([], model.estimator) == (0, 0)
    assert language_warning(["STATE", "je"], model.estimator) is None  # one word says too little


def test_a_model_without_vectors_knows_its_ngram_vocabulary(small_records):
    model = stancekit.train(small_records, cv=0, vectors=None)
    words = known_words(model.estimator)
    assert "recognize" in words and "STATE" not in {w for w in words if " " in w}
    assert stancekit.classify(["Kosovo je Srbija."], model)[0].warning
    assert stancekit.classify(["Spain will not recognise Kosovo."], model)[0].warning is None


def test_cli_counts_warnings_and_names_rows(tmp_path: Path):
    src = tmp_path / "mixed.txt"
    src.write_text("Spain will not recognise Kosovo.\nKosovo je Srbija.\n", encoding="utf-8")
    proc = run_cli("classify", str(src))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert [r["warning"] is None for r in rows] == [True, False]
    stderr = proc.stderr.decode("utf-8")
    assert "1 row(s) classified with a warning" in stderr and f"{src}:2:" in stderr
