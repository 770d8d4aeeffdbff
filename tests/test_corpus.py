"""Corpus reading and validation, and the shipped corpus itself."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from stancekit import CorpusError, read_records, validate
from stancekit.corpus import FULL_FIELDS, near_duplicates, stats
from stancekit.labels import DEFAULT_LABELS

from .conftest import CORPUS, ROOT


def _write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_validate_reports_every_problem_with_file_and_line(tmp_path):
    p = _write(
        tmp_path / "c.jsonl",
        [
            json.dumps({"id": "a", "text": "We recognise Kosovo.", "label": "against"}),
            json.dumps({"id": "a", "text": "Spain does not recognise Kosovo.", "label": "favor"}),
            json.dumps({"id": "b", "text": "We recognise Kosovo!", "label": "favor"}),
            json.dumps({"id": "c", "text": "  ", "label": "none"}),
            json.dumps({"id": "d", "text": "Trade grew.", "label": "positive"}),
            json.dumps({"id": "e", "label": "none"}),
            "{not json",
            json.dumps(["a", "list"]),
        ],
    )
    problems = [str(p) for p in validate([p], labels=DEFAULT_LABELS)]
    expected = {
        2: "duplicate id 'a'",
        3: "instead of 'against'",
        4: "non-empty string",
        5: "not in the scheme",
        6: "missing required field",
        7: "malformed JSON",
        8: "expected a JSON object",
    }
    assert len(problems) == len(expected)
    for line, fragment in expected.items():
        assert any(s.startswith(f"{p}:{line}:") and fragment in s for s in problems), (line, problems)


def test_validate_rejects_invalid_utf8(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_bytes(
        json.dumps({"id": "a", "text": "ok text", "label": "none"}).encode()
        + b"\n"
        + b'{"id": "b", "text": "caf\xe9", "label": "none"}\n'
    )
    problems = validate([p])
    assert len(problems) == 1 and problems[0].line == 2 and "UTF-8" in problems[0].message


def test_read_records_csv_and_first_error(tmp_path):
    p = tmp_path / "c.csv"
    p.write_text('id,text,label\n1,"A, quoted statement",favor\n2,Another one,none\n', encoding="utf-8")
    recs = read_records([p])
    assert [r.label for r in recs] == ["favor", "none"] and recs[0].text == "A, quoted statement"
    bad = _write(tmp_path / "bad.jsonl", [json.dumps({"id": "x", "text": "t t", "label": "nope"})])
    with pytest.raises(CorpusError, match=r"bad.jsonl:1: label 'nope'"):
        read_records([bad], labels=DEFAULT_LABELS)
    with pytest.raises(CorpusError, match="no such file"):
        read_records([tmp_path / "missing.jsonl"])


def test_shipped_corpus_is_valid_under_the_full_schema():
    assert validate([CORPUS], required=FULL_FIELDS, labels=DEFAULT_LABELS) == []


def test_shipped_corpus_size_balance_and_provenance():
    records = read_records([CORPUS], required=FULL_FIELDS)
    table = stats(records)
    n = len(records)
    assert n >= 400
    for label in DEFAULT_LABELS:
        assert table["label"][label] / n >= 0.15, (label, table["label"])
    assert set(table["source"]) <= {"article", "authored"}
    disputes = {d for d in table["dispute"] if d != "(none)"}
    assert len(disputes) >= 12
    article = [r for r in records if r.data["source"]["kind"] == "article"]
    seed = ROOT.parent / "shared" / "seed" / "china-kosovo-relations.txt"
    assert article and all(r.data["source"].get("section") for r in article)
    if seed.exists():
        text = seed.read_text(encoding="utf-8").replace('"', "")
        for r in article:
            assert r.text.replace('"', "").strip() in text, r.where


def test_no_templated_near_duplicates_in_corpus():
    records = read_records([CORPUS])
    texts = [r.text for r in records]
    pairs = near_duplicates(texts, threshold=0.5)
    assert pairs == [], [(records[i].where, records[j].where) for i, j, _ in pairs[:10]]


def test_near_duplicates_detects_name_swaps():
    a = "The government firmly supports the sovereignty and territorial integrity of Georgia within its borders."
    b = "The government firmly supports the sovereignty and territorial integrity of Moldova within its borders."
    assert near_duplicates([a, b, "Completely different words here about trade and fish exports."]) == [
        (0, 1, pytest.approx(0.6, abs=0.2))
    ]


def test_stats_counts_by_field():
    records = read_records([CORPUS])
    table = stats(records)
    assert sum(table["label"].values()) == len(records)
    assert Counter(r.label for r in records) == table["label"]


def test_corpus_card_counts_are_current():
    from stancekit.corpus import stats_markdown

    card = (CORPUS / "README.md").read_text(encoding="utf-8")
    block = card.split("<!-- stats:begin", 1)[1].split("-->", 1)[1].split("<!-- stats:end -->", 1)[0]
    assert block.strip() == stats_markdown(read_records([CORPUS])).strip(), (
        "corpus/README.md counts are stale: paste the output of `stancekit corpus stats corpus --markdown`"
    )


def test_near_duplicates_matches_brute_force():
    import random
    import re

    rng = random.Random(3)
    vocab = "the of and sovereignty integrity territorial we support recognise state people talks peace".split()
    base = [" ".join(rng.choice(vocab) for _ in range(rng.randint(3, 14))) for _ in range(60)]
    texts = [*base, *(" ".join([*t.split()[:-1], "again"]) for t in base[:30]), "", "too short"]

    def grams(t):
        w = re.findall(r"[a-z0-9]+", t.lower())
        return {tuple(w[i : i + 5]) for i in range(len(w) - 4)}

    for threshold, strict in [(0.5, True), (0.5, False), (0.2, True), (0.9, False), (0.0, True)]:
        expected = []
        for i in range(len(texts)):
            for j in range(i + 1, len(texts)):
                a, b = grams(texts[i]), grams(texts[j])
                if a and b:
                    share = len(a & b) / min(len(a), len(b))
                    if share > threshold or (not strict and share == threshold):
                        expected.append((i, j, share))
        assert near_duplicates(texts, threshold=threshold, strict=strict) == expected, (threshold, strict)


def test_validate_reports_near_duplicates_with_conflicting_labels(tmp_path):
    base = "The Ministry of Foreign Affairs reaffirms its firm support for the sovereignty of Georgia"
    p = _write(
        tmp_path / "c.jsonl",
        [
            json.dumps({"id": "a", "text": base + " within its borders.", "label": "favor"}),
            json.dumps({"id": "b", "text": base + " within its recognised borders.", "label": "neutral"}),
            json.dumps({"id": "c", "text": base + " within its internationally recognised borders.", "label": "favor"}),
            json.dumps(
                {"id": "d", "text": "Trade between the two countries grew by a fifth last year.", "label": "none"}
            ),
        ],
    )
    assert validate([p], labels=DEFAULT_LABELS) == []  # off unless asked
    problems = [str(x) for x in validate([p], labels=DEFAULT_LABELS, near_threshold=0.5)]
    assert len(problems) == 2, problems  # b conflicts with a; c agrees with a but conflicts with b
    assert all("near-duplicate of" in x and "'neutral'" in x for x in problems)
    assert any(x.startswith(f"{p}:2:") for x in problems)
