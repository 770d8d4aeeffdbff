"""Training from corpora and records; cross-validation; evaluation."""

from __future__ import annotations

import json

import numpy as np
import pytest

import stancekit
from stancekit import CorpusError, InputError
from stancekit.train import score


def test_train_from_paths_builds_card(tmp_path, small_records):
    p = tmp_path / "c.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in small_records) + "\n", encoding="utf-8")
    model = stancekit.train([p], cv=3)
    card = model.card
    assert card["corpus"]["n"] == len(small_records)
    assert card["corpus"]["paths"] == [str(p)] and len(card["corpus"]["digest"]) == 64
    assert "dispute" in card["cv"]["scheme"] and 0 < card["cv"]["macro_f1"] <= 1
    assert card["params"]["C"] == 10.0


def test_same_inputs_same_predictions(small_records):
    a = stancekit.train(small_records, cv=0)
    b = stancekit.train(list(reversed(small_records)), cv=0)
    texts = [r["text"] for r in small_records[:30]]
    assert a.predict(texts) == b.predict(texts)


def test_duplicates_merged_and_conflicts_reported(small_records):
    dup = dict(small_records[0])
    model = stancekit.train([*small_records, dup], cv=0)
    assert model.card["corpus"]["merged_duplicates"] == 1
    clash = dict(small_records[0], label="none" if small_records[0]["label"] != "none" else "favor")
    with pytest.raises(CorpusError, match="conflicting labels"):
        stancekit.train([*small_records, clash], cv=0)


def test_eval_overlap_with_training_is_refused(small_records):
    with pytest.raises(InputError, match="also appear in the training data"):
        stancekit.train(small_records, cv=0, eval_data=small_records[:3])


def test_label_scheme_enforced(small_records):
    with pytest.raises(stancekit.LabelError):
        stancekit.train([{"text": "x y", "label": "maybe"}, *small_records], labels=stancekit.DEFAULT_LABELS, cv=0)


def test_evaluate_parts_and_unknown_labels(small_model, small_records):
    report = stancekit.evaluate(small_model, small_records[:50], parts="dispute")
    assert report.n == 50 and report.parts
    assert sum(p.n for p in report.parts.values()) <= 50
    with pytest.raises(InputError, match="not among the model's labels"):
        stancekit.evaluate(small_model, [{"text": "a b c", "label": "pro"}])


def test_score_figures():
    r = score(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    assert r.accuracy == 0.75 and r.confusion == [[1, 1], [0, 2]]
    assert r.per_class["a"]["recall"] == 0.5 and r.per_class["b"]["precision"] == pytest.approx(0.6667, abs=1e-3)


def test_report_calibration_from_probabilities():
    from stancekit.corpus import Record
    from stancekit.train import Predictions

    # Two sure and right (0.9), two sure and wrong (0.9): confidence 0.9, accuracy 0.5.
    gold, pred = ["a", "a", "b", "b"], ["a", "b", "b", "a"]
    proba = np.array([[0.9, 0.1], [0.1, 0.9], [0.1, 0.9], [0.9, 0.1]])
    records = [Record({"text": f"s{i}", "label": g, "form": "xy"[i // 2]}, "t.jsonl", i) for i, g in enumerate(gold)]
    report = Predictions(records, gold, pred, proba, ["a", "b"]).report("form")
    assert report.mean_confidence == pytest.approx(0.9) and report.ece == pytest.approx(0.4)
    assert report.parts["x"].ece == pytest.approx(0.4) and "ECE 0.400" in report.format()
    assert score(gold, pred).ece is None  # labels alone: no calibration figures
    assert "calibration" not in score(gold, pred).format()


def test_evaluate_reports_calibration(small_model, small_records):
    report = stancekit.evaluate(small_model, small_records[:50], parts="dispute")
    assert 0 < report.mean_confidence <= 1 and 0 <= report.ece <= 1
    assert all(part.ece is not None for part in report.parts.values())
    assert "mean confidence" in report.format() and "ece" in report.to_dict()


# -- retraining on extended corpora ------------------------------------------------
def _write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _relabelled(records, mapping, per_label=40):
    """Records relabelled with ``mapping`` (a dict or a function), at most ``per_label`` each."""
    out, seen = [], {}
    for r in records:
        label = mapping(r) if callable(mapping) else mapping.get(r["label"])
        if label is not None and seen.get(label, 0) < per_label:
            seen[label] = seen.get(label, 0) + 1
            out.append(dict(r, label=label))
    return out


NEAR_A = "The government of Portugal firmly supports the sovereignty and territorial integrity of Georgia."
NEAR_B = "The government of Portugal firmly supports the sovereignty and territorial integrity of Georgia today."


def test_near_duplicates_merged_when_labels_agree(tmp_path, small_records):
    extra = _write(tmp_path / "extra.jsonl", [{"id": "x1", "text": NEAR_B, "label": "favor"}])
    base = _write(tmp_path / "base.jsonl", [*small_records, {"id": "x0", "text": NEAR_A, "label": "favor"}])
    model = stancekit.train([base, extra], cv=0)
    assert model.card["corpus"]["merged_near_duplicates"] == 1
    assert model.card["corpus"]["n"] == len(small_records) + 1


def test_near_duplicate_conflict_names_both_places(tmp_path, small_records):
    base = _write(tmp_path / "base.jsonl", [*small_records, {"id": "x0", "text": NEAR_A, "label": "favor"}])
    extra = _write(
        tmp_path / "extra.jsonl",
        [{"id": "x1", "text": "ok", "label": "none"}, {"id": "x2", "text": NEAR_B, "label": "against"}],
    )
    with pytest.raises(CorpusError, match="conflicting labels") as info:
        stancekit.train([base, extra], cv=0)
    msg = str(info.value)
    assert f"{base}:{len(small_records) + 1}" in msg and f"{extra}:2" in msg and "near-duplicates" in msg
    # Deliberate minimal pairs: the near-duplicate check can be turned off.
    model = stancekit.train([base, extra], cv=0, near_threshold=None)
    assert model.card["corpus"]["n"] == len(small_records) + 3


def test_eval_near_duplicate_overlap_refused_then_allowed_with_warning(tmp_path, small_records):
    train_recs = [*small_records, {"id": "x0", "text": NEAR_A, "label": "favor"}]
    held = [{"id": f"e{i}", **{k: r[k] for k in ("text", "label")}} for i, r in enumerate(small_records[:2])]
    evalp = _write(tmp_path / "eval.jsonl", [{"id": "e", "text": NEAR_B, "label": "favor"}, *held])
    with pytest.raises(InputError, match="also appear in the training data") as info:
        stancekit.train(train_recs, cv=0, eval_data=[evalp])
    msg = str(info.value)
    assert msg.startswith("3 evaluation statement(s)") and f"{evalp}:1" in msg and "near-duplicate" in msg
    with pytest.warns(UserWarning, match="inflated"):
        model = stancekit.train(train_recs, cv=0, eval_data=[evalp], allow_overlap=True)
    assert model.card["eval"]["overlap"]["n"] == 3 and model.card["eval"]["n"] == 3


def test_find_overlap_exact_and_near():
    from stancekit.corpus import Record
    from stancekit.train import find_overlap

    train_recs = [
        Record({"text": NEAR_A, "label": "favor"}, "t", 1),
        Record({"text": "Trade grew.", "label": "none"}, "t", 2),
    ]
    eval_recs = [
        Record({"text": "Fish exports rose sharply in the spring.", "label": "none"}, "e", 1),
        Record({"text": "TRADE grew!", "label": "none"}, "e", 2),
        Record({"text": NEAR_B, "label": "favor"}, "e", 3),
    ]
    found = find_overlap(train_recs, eval_recs)
    assert [(e.line, t.line, round(s, 2)) for e, t, s in found] == [(2, 2, 1.0), (3, 1, 1.0)]
    assert [e.line for e, _, _ in find_overlap(train_recs, eval_recs, near_threshold=None)] == [2]


@pytest.mark.parametrize(
    "mapping",
    [
        {"favor": "pro", "against": "con"},
        lambda r: (
            r.get("form") if r.get("form") in ("speech", "news", "ministry", "joint", "briefing", "post") else None
        ),
    ],
    ids=["2-labels", "6-labels"],
)
def test_custom_label_scheme_end_to_end(tmp_path, mapping):
    from .conftest import corpus_records

    records = _relabelled(corpus_records(), mapping, per_label=30)
    scheme = sorted({r["label"] for r in records})
    assert len(scheme) in (2, 6)
    model = stancekit.train(records, labels=scheme, cv=3)
    assert model.card["labels"] == scheme and set(model.card["cv"]["per_class_f1"]) == set(scheme)
    path = model.save(tmp_path / "custom.skmodel")
    again = stancekit.load(path)
    texts = [r["text"] for r in records[:5]]
    results = stancekit.classify(texts, model=again)
    assert all(r.label in scheme and set(r.scores) == set(scheme) for r in results)
    assert [r.label for r in results] == model.predict(texts)
    report = stancekit.evaluate(again, records)
    assert list(report.per_class) == scheme and report.macro_f1 > 0.5
    exp = again.explain(texts[0], top=3)
    assert exp["label"] in scheme and set(exp["scores"]) == set(scheme) and exp["for"]


def test_scheme_label_without_statements_is_refused(small_records):
    with pytest.raises(InputError, match=r"\['maybe'\] of the scheme"):
        stancekit.train(small_records, labels=[*stancekit.DEFAULT_LABELS, "maybe"], cv=0)


def test_card_records_each_corpus_file(tmp_path, small_records):
    import hashlib

    a = _write(tmp_path / "a.jsonl", small_records[:100])
    b = _write(tmp_path / "b.jsonl", small_records[100:])
    model = stancekit.train([a, b], cv=3)
    files = {f["path"]: f for f in model.card["corpus"]["files"]}
    assert files[str(a)]["sha256"] == hashlib.sha256(a.read_bytes()).hexdigest()
    assert files[str(b)]["n"] == len(small_records) - 100
    assert sum(files[str(a)]["by_label"].values()) == 100
    assert model.card["versions"]["scikit-learn"] and model.card["params"]["C"] == model.estimator.C
    cv = model.card["cv"]
    assert set(cv["per_class"]) == set(stancekit.DEFAULT_LABELS) and "precision" in cv["per_class"]["favor"]


def test_search_uses_grouped_folds_and_records_grid(small_records):
    grid = {"C": [0.1, 10.0], "ngram_range": [[1, 1], [1, 2]]}
    model = stancekit.train(small_records, cv=3, search_grid=grid)
    s = model.card["search"]
    assert "dispute" in s["scheme"] and s["n_candidates"] == 4
    assert s["grid"] == {"C": [0.1, 10.0], "ngram_range": [[1, 1], [1, 2]]}
    best = max(s["results"], key=lambda r: r["mean"])
    assert s["best_params"] == best["params"] and s["best_score"] == best["mean"]
    assert (
        model.estimator.C == best["params"]["C"] and list(model.estimator.ngram_range) == best["params"]["ngram_range"]
    )
    assert "optimistic" in model.card["cv"]["note"]
    with pytest.raises(InputError, match="cannot search over"):
        stancekit.train(small_records, cv=3, search_grid={"negation": [True, False]})


def test_cross_validation_matches_refitting_the_classifier(small_records):
    import numpy as np

    from stancekit.train import cross_validate, folds, load_training_data

    records, _ = load_training_data(small_records)
    result = cross_validate(records, n_splits=3, C=3.0)
    splits, scheme = folds(records, n_splits=3)
    assert scheme == result["scheme"]
    texts, y = [r.text for r in records], np.asarray([r.label for r in records], dtype=object)
    for train_idx, test_idx in splits[:1]:
        clf = stancekit.StanceClassifier(C=3.0).fit([texts[i] for i in train_idx], y[train_idx])
        assert list(clf.predict([texts[i] for i in test_idx])) == [result["predictions"][i] for i in test_idx]


# -- the command line, in process ---------------------------------------------------
def _cli(capsys, *args):
    from stancekit.cli import main

    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_train_prints_cv_and_info_shows_card(tmp_path, capsys, small_records):
    corpus = _write(tmp_path / "c.jsonl", small_records)
    out_path = tmp_path / "m.skmodel"
    code, out, err = _cli(capsys, "train", corpus, "-o", out_path, "--cv", "3")
    assert code == 0, err
    assert "cross-validation (GroupKFold(3) by dispute)" in out and "macro-F1" in out
    for label in stancekit.DEFAULT_LABELS:
        assert f"\n  {label} " in out
    code, out, err = _cli(capsys, "info", "--model", out_path)
    assert code == 0, err
    digest = stancekit.load(out_path).card["corpus"]["files"][0]["sha256"]
    assert f"{corpus}  sha256 {digest[:12]}" in out and "parameters: C=" in out and "versions: stancekit" in out
    vectors = stancekit.load_vectors()
    assert f"word vectors: ungd ({len(vectors)} words x 200, sha256 {vectors.digest[:12]})" in out


def test_cli_custom_labels_and_search(tmp_path, capsys):
    from .conftest import corpus_records

    corpus = _write(tmp_path / "pc.jsonl", _relabelled(corpus_records(), {"favor": "pro", "against": "con"}))
    model = tmp_path / "pc.skmodel"
    code, out, err = _cli(
        capsys, "train", corpus, "--labels", "pro,con", "-o", model, "--cv", "3", "--grid", '{"C": [1, 10]}'
    )
    assert code == 0, err
    assert "label scheme (given): con, pro" in out and "search (GroupKFold(3) by dispute, 2 candidates)" in out
    code, out, err = _cli(capsys, "evaluate", corpus, "--model", model, "--json")
    assert code == 0 and set(json.loads(out)["per_class"]) == {"con", "pro"}
    code, out, err = _cli(capsys, "explain", "--model", model, "Spain will never recognise Kosovo.", "--json")
    assert code == 0 and json.loads(out)["label"] in ("pro", "con")
    statements = tmp_path / "s.txt"
    statements.write_text("Spain will never recognise Kosovo.\nWe recognise Kosovo as a sovereign state.\n")
    code, out, err = _cli(capsys, "classify", statements, "--model", model, "-q")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(rows) == 2
    assert all(r["label"] in ("pro", "con") and set(r["scores"]) == {"pro", "con"} for r in rows)
    code, out, err = _cli(capsys, "train", corpus, "--labels", "pro,neutral", "-o", model, "--cv", "0")
    assert code == 2 and "not in the scheme" in err


def test_cli_same_seed_same_predictions(tmp_path, capsys, small_records):
    import numpy as np

    corpus = _write(tmp_path / "c.jsonl", small_records)
    paths = []
    for k in range(2):
        paths.append(tmp_path / f"m{k}.skmodel")
        code, _, err = _cli(capsys, "train", corpus, "-o", paths[-1], "--cv", "0", "--seed", "7")
        assert code == 0, err
    a, b = (stancekit.load(p) for p in paths)
    assert a.card["seed"] == 7 and a.card["params"] == b.card["params"]
    texts = [r["text"] for r in small_records[:40]]
    np.testing.assert_array_equal(a.predict_proba(texts), b.predict_proba(texts))


def test_cli_eval_overlap_refused_unless_allowed(tmp_path, capsys, small_records):
    corpus = _write(tmp_path / "c.jsonl", small_records)
    evalp = _write(tmp_path / "e.jsonl", [dict(small_records[3], text=small_records[3]["text"] + " Thank you.")])
    code, _, err = _cli(capsys, "train", corpus, "-o", tmp_path / "m.skmodel", "--cv", "0", "--eval", evalp)
    assert code == 2 and "also appear in the training data" in err and f"{evalp}:1" in err
    assert not (tmp_path / "m.skmodel").exists()
    code, out, err = _cli(
        capsys, "train", corpus, "-o", tmp_path / "m.skmodel", "--cv", "0", "--eval", evalp, "--allow-overlap"
    )
    assert code == 0 and "WARNING" in err and "inflated" in err and "evaluation on" in out


def test_cli_named_models(tmp_path, capsys, monkeypatch, small_records):
    import stancekit.model as model_module

    shipped = model_module.default_model_path()
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "default.skmodel").write_bytes(shipped.read_bytes())
    monkeypatch.setattr(model_module, "model_dir", lambda: tmp_path / "models")
    corpus = _write(tmp_path / "c.jsonl", small_records)
    code, out, err = _cli(capsys, "train", corpus, "--name", "extended", "--cv", "0")
    assert code == 0, err
    assert "--model extended" in out
    code, out, _ = _cli(capsys, "models", "list")
    assert "extended\t" in out and "default\t" in out
    code, out, err = _cli(capsys, "info", "--model", "extended")
    assert code == 0 and str(tmp_path / "models" / "extended.skmodel") in out
    before = (tmp_path / "models" / "default.skmodel").read_bytes()
    code, _, err = _cli(capsys, "train", corpus, "--name", "default", "--cv", "0")
    assert code == 2 and "--force" in err
    assert (tmp_path / "models" / "default.skmodel").read_bytes() == before
    code, _, err = _cli(capsys, "train", corpus, "--name", "../evil", "--cv", "0")
    assert code == 2 and "not valid" in err
    code, _, err = _cli(capsys, "train", corpus, "--name", "default", "--force", "--cv", "0")
    assert code == 0 and (tmp_path / "models" / "default.skmodel").read_bytes() != before


def test_analyzed_classifier_defaults_match_stance_classifier():
    from stancekit.train import FEATURE_PARAMS, AnalyzedStanceClassifier

    full = stancekit.StanceClassifier().get_params()
    assert AnalyzedStanceClassifier().get_params() == {k: full[k] for k in FEATURE_PARAMS}


def test_train_with_speakers_reads_the_actor_field(small_records):
    records = [dict(r, actor="Serbia" if i % 2 else "Kosovo") for i, r in enumerate(small_records)]
    records.append({"id": "own-1", "text": "We will defend our sovereignty and our borders.", "label": "favor"})
    spoken = stancekit.train(records, cv=2, actor_field="actor", frames=0.5)
    assert spoken.card["speakers"] == {"field": "actor", "statements": len(small_records)}
    plain = stancekit.train(records, cv=0, frames=0.5)
    assert "speakers" not in plain.card
    # Training statements were read as their speakers' roles, so the models differ.
    texts, actors = [r["text"] for r in records], [r.get("actor") for r in records]
    assert spoken.predict_proba(texts, actors).tolist() != plain.predict_proba(texts, actors).tolist()
    with pytest.raises(InputError, match=r"'spokesman' names no statement's speaker.*'actor'"):
        stancekit.train(records, cv=0, actor_field="spokesman")


def test_cli_train_actor_field(tmp_path, capsys, small_records):
    records = [dict(r, actor="SRB") for r in small_records]
    corpus = _write(tmp_path / "c.jsonl", records)
    code, out, err = _cli(capsys, "train", corpus, "-o", tmp_path / "m.skmodel", "--cv", "0", "--actor-field", "actor")
    assert code == 0, err
    assert (
        f"read with speakers: first-person words of the {len(records)} statements with a speaker in field 'actor'"
        in out
    )
    code, out, err = _cli(capsys, "info", "--model", tmp_path / "m.skmodel")
    assert code == 0 and "trained with speakers:" in out
