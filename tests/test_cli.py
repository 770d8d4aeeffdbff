"""The command line, run as a subprocess."""

from __future__ import annotations

import csv
import gzip
import io
import json

import pytest

import stancekit

from .conftest import DEV, ROOT, run_cli


def _jsonl(stdout: bytes) -> list[dict]:
    return [json.loads(line) for line in stdout.decode("utf-8").splitlines() if line.strip()]


def test_classify_bundled_example_one_row_per_line():
    proc = run_cli("classify", "examples/statements.txt")
    assert proc.returncode == 0, proc.stderr
    rows = _jsonl(proc.stdout)
    lines = (ROOT / "examples" / "statements.txt").read_text(encoding="utf-8").splitlines()
    assert [r["text"] for r in rows] == lines
    for r in rows:
        assert r["label"] in {"favor", "against", "neutral", "none"}
        assert set(r["scores"]) == {"favor", "against", "neutral", "none"}
        assert 0 <= r["confidence"] <= 1 and "state" in r and "dispute" in r and r["error"] is None


def test_classify_csv_keeps_input_fields_and_writes_csv(tmp_path):
    out = tmp_path / "out.csv"
    proc = run_cli("classify", "examples/statements.csv", "-o", str(out), "--model", "default")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    assert rows[0]["speaker"] == "Ministry of Foreign Affairs"
    assert rows[0]["label"] == "favor" and rows[0]["dispute"] == "kosovo"
    assert json.loads(rows[0]["scores"])["favor"] > 0.3


def test_classify_stdin_to_stdout():
    proc = run_cli("classify", "-", input=b"We recognise the independence of Kosovo.\nTrade grew.\n")
    assert proc.returncode == 0, proc.stderr
    assert len(_jsonl(proc.stdout)) == 2


def test_bad_rows_are_kept_with_errors_and_exit_nonzero(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(
        b'{"text": "We support the territorial integrity of Ukraine.", "id": 1}\n'
        b"\n"
        b"{broken\n"
        b'{"id": 4}\n'
        b'{"text": 5}\n'
        b'{"text": "caf\xe9 au lait"}\n'
        b'["list"]\n'
        b'{"text": "Trade between the two sides grew."}\n'
    )
    proc = run_cli("classify", str(src))
    assert proc.returncode == 1
    rows = _jsonl(proc.stdout)
    assert len(rows) == 8
    assert [r["label"] is None for r in rows] == [False, True, True, True, True, True, True, False]
    assert rows[0]["id"] == 1
    assert "no field 'text'" in rows[3]["error"] and "fields: id" in rows[3]["error"]
    stderr = proc.stderr.decode()
    assert "6 row(s) could not be classified" in stderr and f"{src}:3:" in stderr
    assert "Traceback" not in stderr


def test_whole_run_problems_one_line_no_traceback(tmp_path):
    for args, fragment in [
        (["classify", str(tmp_path / "missing.txt")], "no such file"),
        (["classify", str(tmp_path)], "is a directory"),
        (["classify", "examples/statements.txt", "--model", str(ROOT / "README.md")], "not a stancekit model"),
    ]:
        proc = run_cli(*args)
        stderr = proc.stderr.decode()
        assert proc.returncode == 2, (args, stderr)
        assert fragment in stderr and "Traceback" not in stderr
        assert len(stderr.strip().splitlines()) == 1


def test_csv_missing_text_column_lists_columns(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("id,body_text\n1,hello\n", encoding="utf-8")
    proc = run_cli("classify", str(src))
    assert proc.returncode == 2
    assert "columns present: id, body_text" in proc.stderr.decode()
    ok = run_cli("classify", str(src), "--text-field", "body_text")
    assert ok.returncode == 0 and _jsonl(ok.stdout)[0]["body_text"] == "hello"


def test_gzip_input_and_output(tmp_path):
    src = tmp_path / "in.txt.gz"
    src.write_bytes(gzip.compress(b"We call for dialogue.\nWe recognise Abkhazia.\n"))
    out = tmp_path / "out.jsonl.gz"
    proc = run_cli("classify", str(src), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(x) for x in gzip.decompress(out.read_bytes()).decode().splitlines()]
    assert len(rows) == 2


@pytest.mark.parametrize("loss", ["logistic", "mlp", "logistic+mlp"])
def test_train_evaluate_info_explain_round_trip(tmp_path, small_records, loss):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in small_records[:120]) + "\n", encoding="utf-8")
    model = tmp_path / "m.skmodel"
    proc = run_cli("train", str(corpus), "-o", str(model), "--cv", "3", "--loss", loss)
    assert proc.returncode == 0, proc.stderr
    assert "cross-validation" in proc.stdout.decode()
    assert stancekit.load(model).estimator.loss == loss
    held = tmp_path / "held.jsonl"
    held.write_text("\n".join(json.dumps(r) for r in small_records[120:200]) + "\n", encoding="utf-8")
    proc = run_cli("evaluate", str(held), "--model", str(model), "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert 0 <= report["macro_f1"] <= 1 and report["n"] == 80
    info = run_cli("info", "--model", str(model))
    assert info.returncode == 0 and "labels:" in info.stdout.decode()
    exp = run_cli("explain", "We do not recognise the so-called republic.", "--model", str(model), "--json")
    assert exp.returncode == 0, exp.stderr
    assert json.loads(exp.stdout)["label"] in {"favor", "against", "neutral", "none"}


def test_every_later_reading_has_a_train_flag():
    from stancekit.cli import _READING_FLAGS
    from stancekit.preprocess import LATER_READINGS

    assert tuple(_READING_FLAGS) == LATER_READINGS


@pytest.mark.parametrize(
    "flag, param, text, reads_it",
    [
        (
            "--no-claimants",
            "claimants",
            "Argentina will never renounce its rights over the Malvinas Islands.",
            lambda tokens: tokens[0] == "CLAIMANT",
        ),
        (
            "--no-pseudo-negations",
            "pseudo_negations",
            "Spain has no doubt that Crimea is Ukraine.",
            lambda tokens: "not_ENTITY" not in tokens,
        ),
        (
            "--no-parentheticals",
            "parentheticals",
            "Spain does not, and will not, recognise Kosovo.",
            lambda tokens: "not_ENTITY" in tokens,
        ),
    ],
)
def test_train_no_flags_turn_a_reading_off(tmp_path, small_records, flag, param, text, reads_it):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in small_records[:120]) + "\n", encoding="utf-8")
    for flags in ((), (flag,)):
        model = tmp_path / f"m{len(flags)}.skmodel"
        proc = run_cli("train", str(corpus), "-o", str(model), "--cv", "0", *flags)
        assert proc.returncode == 0, proc.stderr
        est = stancekit.load(model).estimator
        on = not flags
        assert getattr(est, param) is on and reads_it(est.analyze([text])[0].tokens) is on


def test_explain_names_the_sentence_a_long_statement_was_read_from():
    stance = "Spain does not and will not recognise the unilateral declaration of independence of Kosovo."
    filler = "The Assembly must also address the debt burden of the least developed countries this decade."
    proc = run_cli("explain", " ".join([filler, filler, stance, filler, filler, filler]))  # 89 words
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert out.startswith("label: favor") and f"read from the sentence: {stance}" in out
    short = run_cli("explain", stance)
    assert "read from the sentence" not in short.stdout.decode()


def test_corpus_validate_and_stats_cli(tmp_path):
    ok = run_cli("corpus", "validate", "corpus", "--schema", "full")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "text": "t", "label": "maybe"}\n', encoding="utf-8")
    proc = run_cli("corpus", "validate", str(bad))
    assert proc.returncode == 1 and f"{bad}:1: label 'maybe'" in proc.stdout.decode()
    stats = run_cli("corpus", "stats", "corpus", "--json")
    table = json.loads(stats.stdout)
    assert set(table) == {"label", "dispute", "form", "source"}


def test_evaluate_dev_reports_macro_f1():
    proc = run_cli("evaluate", str(DEV), "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["n"] == sum(1 for line in DEV.read_text().splitlines() if line.strip())
    assert {"macro_f1", "per_class", "confusion", "labels"} <= set(report)


def test_csv_output_round_trips_through_csv_reader(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text('id,text\n1,"Line one,\nstill the same ""statement"""\n2,Second\n', encoding="utf-8")
    proc = run_cli("classify", str(src), "-o", str(tmp_path / "o.csv"))
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "o.csv").read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == ["1", "2"] and rows[0]["text"].startswith("Line one,\nstill")


def test_console_script_is_installed():
    import shutil
    import subprocess

    exe = shutil.which("stancekit")
    assert exe, "the stancekit console script is not on PATH; install the package"
    proc = subprocess.run([exe, "--version"], capture_output=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.decode().startswith("stancekit ")


def test_empty_file_gives_no_rows_and_success(tmp_path):
    src = tmp_path / "empty.jsonl"
    src.write_bytes(b"")
    proc = run_cli("classify", str(src))
    assert proc.returncode == 0 and proc.stdout == b""


def test_unwritable_output_path_is_a_whole_run_error(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    proc = run_cli("classify", "examples/statements.txt", "-o", str(blocker / "out.jsonl"))
    stderr = proc.stderr.decode()
    assert proc.returncode == 2 and "cannot write output" in stderr and "Traceback" not in stderr


def test_other_encodings_with_encoding_option(tmp_path):
    src = tmp_path / "latin.txt"
    src.write_bytes("Le Gouvernement réaffirme l'intégrité territoriale.\n".encode("cp1252"))
    bad = run_cli("classify", str(src))
    assert bad.returncode == 1 and "--encoding" in _jsonl(bad.stdout)[0]["error"]
    good = run_cli("classify", str(src), "--encoding", "cp1252")
    assert good.returncode == 0 and _jsonl(good.stdout)[0]["text"].startswith("Le Gouvernement réaffirme")


def test_readme_example_output_is_what_the_shipped_model_prints():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```console\n", 1)[1].split("```", 1)[0]
    command, expected = block.split("\n", 1)
    text = command.split('echo "', 1)[1].rsplit('" | stancekit classify -', 1)[0]
    proc = run_cli("classify", "-", "--quiet", input=(text + "\n").encode("utf-8"))
    assert proc.returncode == 0, proc.stderr
    assert _jsonl(proc.stdout) == [json.loads(expected)]


def test_classify_and_evaluate_read_the_actor_field(tmp_path):
    claim = "We will never give up a single inch of our territory."
    rows = [{"text": claim, "actor": "Kosovo"}, {"text": claim, "actor": "Serbia"}, {"text": claim, "actor": 7}]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = _jsonl(run_cli("classify", str(src), "-q").stdout)
    assert [r["dispute"] for r in out] == ["kosovo", "kosovo", None]  # a non-string actor is ignored
    assert out[0]["scores"] != out[1]["scores"]
    plain = _jsonl(run_cli("classify", str(src), "-q", "--no-actor").stdout)
    assert all(r["scores"] == plain[2]["scores"] for r in plain)
    # Another column name, in CSV.
    csv_src = tmp_path / "in.csv"
    csv_src.write_text(f'speaker,text\nKosovo,"{claim}"\n', encoding="utf-8")
    (row,) = _jsonl(run_cli("classify", str(csv_src), "-q", "--actor-field", "speaker").stdout)
    assert row["dispute"] == "kosovo" and row["speaker"] == "Kosovo"
    # evaluate: the same field, and --no-actor for the text alone.
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text(
        "".join(json.dumps({**r, "id": f"r{i}", "label": "against"}) + "\n" for i, r in enumerate(rows[:2])),
        encoding="utf-8",
    )
    with_actor = json.loads(run_cli("evaluate", str(labelled), "--json").stdout)
    text_only = json.loads(run_cli("evaluate", str(labelled), "--json", "--no-actor").stdout)
    assert sum(map(sum, text_only["confusion"])) == sum(map(sum, with_actor["confusion"])) == 2
    explained = json.loads(run_cli("explain", claim, "--actor", "Kosovo", "--json").stdout)
    assert "ENTITY" in explained["tokens"]


def test_train_loss_choices_are_the_classifiers():
    from stancekit.classifier import _LOSSES
    from stancekit.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.choices and "train" in a.choices).choices["train"]
    (loss,) = [a for a in sub._actions if "--loss" in a.option_strings]
    assert tuple(loss.choices) == _LOSSES


def test_disputes_lists_the_registry_and_looks_up_names():
    proc = run_cli("disputes")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode("utf-8").splitlines()
    assert lines[0].split("\t") == ["key", "state", "entity", "claimant", "historical", "names"]
    keys = [line.split("\t")[0] for line in lines[1:]]
    assert keys[0] == "kosovo" and "palestine" in keys and len(keys) == len(set(keys))
    proc = run_cli("disputes", "--json", "the Malvinas", "Narnia")
    assert proc.returncode == 1  # a name not in the gazetteer, as grep reports no match
    got = _jsonl(proc.stdout)
    assert got[0]["name"] == "the Malvinas" and got[0]["found"][0]["disputes"] == ["falklands"]
    assert got[1] == {"name": "Narnia", "found": []}
