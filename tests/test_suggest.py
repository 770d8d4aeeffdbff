"""Suggesting the unlabelled statements most worth annotating next."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from stancekit import InputError
from stancekit.io import read_rows
from stancekit.suggest import SuggestSummary, suggest, uncertainty

from .conftest import corpus_records

POOL = [
    "Trade between the two countries grew by four percent last year.",
    "We call on all parties to respect the sovereignty and territorial integrity of Georgia.",
    "We recognise the independence of Kosovo and will open an embassy in Pristina.",
    "The minister discussed the situation in Cyprus with her counterpart.",
    "Our country takes note of the referendum held in the region.",
    "The delegation reaffirmed its principled position on the question of Taiwan.",
    "Fishing quotas in the northern waters will be reviewed in the spring.",
    "We will continue to engage with all sides on the status of Western Sahara.",
    "The government welcomes the talks between Baku and Yerevan.",
    "Crimea is Ukraine.",
]


def test_uncertainty_margin_and_entropy():
    proba = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [1 / 3, 1 / 3, 1 / 3], [0.6, 0.3, 0.1]])
    np.testing.assert_allclose(uncertainty(proba, "margin"), [0.0, 1.0, 1.0, 0.7])
    ent = uncertainty(proba, "entropy")
    assert ent[0] == pytest.approx(0.0, abs=1e-9) and ent[2] == pytest.approx(1.0)
    assert ent[1] == pytest.approx(np.log(2) / np.log(3))
    with pytest.raises(InputError, match="strategy"):
        uncertainty(proba, "random")


def test_suggest_picks_the_most_uncertain(small_model):
    picks = suggest(POOL, small_model, n=3, max_similarity=1.0)
    u = uncertainty(small_model.predict_proba(POOL), "margin")
    expected = [POOL[i] for i in np.argsort(-u, kind="stable")[:3]]
    assert [p["text"] for p in picks] == expected
    assert [p["rank"] for p in picks] == [1, 2, 3]
    assert picks[0]["uncertainty"] >= picks[1]["uncertainty"] >= picks[2]["uncertainty"]
    for p in picks:
        assert p["label"] == "" and p["model_label"] == max(p["model_scores"], key=p["model_scores"].get)


def test_suggest_skips_near_copies_of_a_pick(small_model):
    # The most uncertain statement, and variants of it that differ by one word.
    top = suggest(POOL, small_model, n=1)[0]["text"]
    words = top.rstrip(".").split()
    copies = [" ".join([*words[:-1], w]) + "." for w in ("again", "today", "now", "still")]
    picks = suggest([top, *copies, *POOL], small_model, n=4, pool_factor=5)
    texts = [p["text"] for p in picks]
    assert len(texts) == 4 and sum(t == top or t in copies for t in texts) == 1
    # Without the diversity step, the copies crowd out the rest.
    summary = SuggestSummary()
    same = suggest([top, *copies, *POOL], small_model, n=4, max_similarity=1.0, summary=summary)
    assert summary.skipped_similar == 0 and sum(p["text"] == top or p["text"] in copies for p in same) >= 3


def test_suggest_skips_repeats_errors_and_annotated(tmp_path, small_model, small_records):
    annotated = tmp_path / "annotated.jsonl"
    annotated.write_text(json.dumps({"id": "a1", "text": POOL[1], "label": "favor"}) + "\n", encoding="utf-8")
    summary = SuggestSummary()
    pool = [*POOL, POOL[0].upper(), "", POOL[1] + " Thank you."]
    picks = suggest(pool, small_model, n=len(POOL), max_similarity=1.0, exclude=[annotated], summary=summary)
    texts = [p["text"] for p in picks]
    assert POOL[1] not in texts and POOL[1] + " Thank you." not in texts
    assert len(texts) == len(POOL) - 1 and len(set(texts)) == len(texts)
    assert (summary.rows, summary.errors, summary.duplicates, summary.excluded) == (13, 1, 1, 2)
    with pytest.raises(InputError):
        suggest(POOL, small_model, n=0)


def test_suggest_keeps_input_fields_from_csv(tmp_path, small_model):
    pool = tmp_path / "pool.csv"
    with pool.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "sentence", "country", "label"])
        for i, t in enumerate(POOL):
            w.writerow([f"s{i}", t, "XYZ", "old"])
    picks = suggest(read_rows(str(pool), text_field="sentence"), small_model, n=2)
    assert picks[0]["id"].startswith("s") and picks[0]["text"] in POOL
    assert picks[0]["country"] == "XYZ" and picks[0]["input_label"] == "old" and picks[0]["label"] == ""
    assert picks[0]["source"].startswith(f"{pool}:")


def test_cli_suggest_writes_jsonl_for_annotation(tmp_path, small_model_path, capsys):
    from stancekit.cli import main

    pool = tmp_path / "pool.jsonl"
    extra = [r["text"] for r in corpus_records(limit_per_label=70)[-20:]]
    pool.write_text("".join(json.dumps({"text": t, "year": 2000 + i}) + "\n" for i, t in enumerate(POOL + extra)))
    out = tmp_path / "next.jsonl"
    args = ["suggest", "--pool", str(pool), "-n", "5", "--model", str(small_model_path), "-o", str(out)]
    code = main([*args, "--strategy", "entropy"])
    _, err = capsys.readouterr()
    assert code == 0, err
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 5 and "suggested 5 statement(s)" in err
    assert all(r["label"] == "" and r["strategy"] == "entropy" and "year" in r for r in rows)
    assert rows[0]["id"] == f"pool.jsonl:{rows[0]['source'].rsplit(':', 1)[1]}"
    assert main(["suggest", "--pool", str(tmp_path / "missing.jsonl"), "-n", "5"]) == 2
