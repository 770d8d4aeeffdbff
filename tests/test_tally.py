"""Tallies of classified rows: counts per group, and every row accounted for."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stancekit
from stancekit import InputError
from stancekit.classifier import NO_STANCE
from stancekit.cli import main
from stancekit.tally import MISSING, tally, tally_files
from stancekit.tally import NO_STANCE as TALLY_NO_STANCE


def row(actor: str | None, label: str | None, **extra) -> dict:
    return {"text": "t", "actor": actor, "label": label, "confidence": 0.9, "error": None, **extra}


def write_jsonl(path: Path, rows: list[dict | str]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


def by_group(t) -> dict:
    return {tuple(r[f] for f in t.by): r for r in t.rows()}


def test_counts_labels_per_actor_largest_group_first():
    rows = [row("SRB", "favor")] * 3 + [row("SRB", "none"), row("ALB", "against"), row("ALB", "against")]
    t = tally(rows)
    got = t.rows()
    assert [r["actor"] for r in got] == ["SRB", "ALB"]
    assert (got[0]["n"], got[0]["favor"], got[0]["none"]) == (4, 3, 1)
    assert (got[0]["stance"], got[0]["share"]) == ("favor", 1.0)  # among rows that take a stance
    assert (got[1]["against"], got[1]["stance"], got[1]["share"]) == (2, "against", 1.0)
    assert t.labels == ["favor", "against", "none"]


def test_stance_ties_are_shown_and_none_only_when_no_row_takes_a_stance():
    t = tally([row("A", "favor"), row("A", "neutral"), row("A", "none"), row("A", "none"), row("B", "none")])
    got = by_group(t)
    assert (got[("A",)]["stance"], got[("A",)]["share"]) == ("favor/neutral", 0.5)
    assert (got[("B",)]["stance"], got[("B",)]["share"]) == ("none", 1.0)
    assert TALLY_NO_STANCE == NO_STANCE


def test_uncertain_and_error_rows_are_counted_apart():
    rows = [
        row("A", "favor", uncertain=True),
        row("A", "favor", confidence=0.4),
        row("A", "favor", confidence=0.95),
        {"text": "", "actor": "A", "label": None, "error": "empty text"},
    ]
    got = by_group(tally(rows, min_confidence=0.5))[("A",)]
    assert (got["n"], got["favor"], got["uncertain"], got["error"]) == (4, 1, 2, 1)
    without = by_group(tally(rows))[("A",)]  # the flag alone, no threshold
    assert (without["favor"], without["uncertain"]) == (2, 1)


def test_groups_by_several_fields_filters_and_counts_what_it_leaves_out():
    rows = [
        row("SRB", "favor", dispute="kosovo"),
        row(None, "favor", dispute="kosovo"),
        row("CHN", "favor", dispute="taiwan"),
    ]
    t = tally(rows, by=["actor", "dispute"], where={"dispute": "kosovo"})
    assert set(by_group(t)) == {("SRB", "kosovo"), (MISSING, "kosovo")}
    assert (t.rows_counted, t.left_out) == (2, 1)
    assert "1 rows left out by the filter" in t.format()
    either = tally(rows, by=["dispute"], where={"dispute": {"kosovo", "taiwan"}, "actor": "CHN"})
    assert set(by_group(either)) == {("taiwan",)} and either.left_out == 2


def test_user_label_sets_are_columns_too():
    t = tally([row("A", "support"), row("A", "oppose"), row("A", "support")])
    assert t.labels == ["oppose", "support"]
    assert by_group(t)[("A",)]["stance"] == "support"


def test_a_row_without_label_or_error_is_an_error_naming_the_row():
    with pytest.raises(InputError, match=r"row 2: label field 'label' is missing"):
        tally([row("A", "favor"), {"actor": "A"}])
    with pytest.raises(InputError, match=r"row 1: field 'uncertain' is 'maybe'"):
        tally([row("A", "favor", uncertain="maybe")])
    with pytest.raises(InputError, match=r"row 1: field 'confidence' is 'high'"):
        tally([row("A", "favor", confidence="high")], min_confidence=0.5)


def test_files_report_unreadable_rows_with_file_and_line_and_count_the_rest(tmp_path):
    path = write_jsonl(
        tmp_path / "out.jsonl",
        [row("A", "favor"), "{not json", "", row("A", None), {"actor": "B", "label": None, "error": "empty text"}],
    )
    t = tally_files([str(path)])
    assert t.rows_counted == 2 and len(t.problems) == 3  # five lines: two counted, three reported
    assert [p.split(": ")[0] for p in t.problems] == [f"{path}:2", f"{path}:3", f"{path}:4"]
    assert "malformed JSON" in t.problems[0] and "label field 'label' is missing" in t.problems[2]
    assert by_group(t)[("B",)]["error"] == 1


def test_reads_classify_csv_output_and_gzip(tmp_path):
    out = tmp_path / "out.csv"
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "actor", "label", "confidence", "scores", "dispute", "error", "uncertain"])
        w.writerow(["a, b", "ESP", "favor", "0.98", '{"favor": 0.98}', "kosovo", "", "False"])
        w.writerow(["c", "ESP", "favor", "0.51", '{"favor": 0.51}', "kosovo", "", "True"])
        w.writerow(["", "ESP", "", "", "", "", "empty text", "False"])
        w.writerow(["d", "ESP"])  # a broken row: two cells
    t = tally_files([str(out)])
    got = by_group(t)[("ESP",)]
    assert (got["favor"], got["uncertain"], got["error"]) == (1, 1, 1)
    assert len(t.problems) == 1 and t.problems[0].startswith(f"{out}:5: row has 2 cells")
    gz = tmp_path / "out.jsonl.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps(row("A", "against")) + "\n")
    assert by_group(tally_files([str(gz)]))[("A",)]["against"] == 1


def test_plain_text_is_refused_with_the_fix(tmp_path):
    (tmp_path / "s.txt").write_text("Spain does not recognise Kosovo.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"s\.txt: a tally reads classified rows.*stancekit classify"):
        tally_files([str(tmp_path / "s.txt")])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", None, ""]),
            st.sampled_from(["favor", "against", "neutral", "none", None]),
            st.booleans(),
            st.floats(0, 1),
        ),
        max_size=40,
    )
)
def test_every_row_lands_in_exactly_one_column(specs):
    rows = [
        row(a, lab, uncertain=u, confidence=c) if lab else {"actor": a, "label": None, "error": "x"}
        for a, lab, u, c in specs
    ]
    t = tally(rows, min_confidence=0.5)
    assert t.rows_counted == len(rows) == sum(r["n"] for r in t.rows())
    for r in t.rows():
        assert r["n"] == sum(r[lab] for lab in t.labels) + r["uncertain"] + r["error"]


def test_cli_prints_or_writes_the_table_and_exits_1_on_unreadable_rows(tmp_path, capsys):
    path = write_jsonl(tmp_path / "out.jsonl", [row("SRB", "favor", dispute="kosovo"), row("ALB", "against")])
    assert main(["tally", str(path), "--by", "actor,dispute"]) == 0
    printed = capsys.readouterr().out
    assert printed.splitlines()[0].split()[:3] == ["actor", "dispute", "n"]
    assert "2 rows in 2 groups" in printed
    dest = tmp_path / "t.csv"
    assert main(["tally", str(path), "--where", "dispute=kosovo", "-o", str(dest)]) == 0
    table = list(csv.DictReader(dest.open(encoding="utf-8")))
    assert [(r["actor"], r["favor"], r["stance"]) for r in table] == [("SRB", "1", "favor")]
    repeated = ["--where", "actor=SRB", "--where", "actor=ALB", "--where", "dispute=kosovo"]
    assert main(["tally", str(path), *repeated, "-o", str(dest)]) == 0  # any actor named, and the dispute
    assert [r["actor"] for r in csv.DictReader(dest.open(encoding="utf-8"))] == ["SRB"]
    write_jsonl(path, [row("SRB", "favor"), "[1, 2]"])
    assert main(["tally", str(path)]) == 1
    assert f"{path}:2: expected a JSON object" in capsys.readouterr().err


def test_cli_reads_stdin_as_jsonl_and_notes_a_field_no_row_has(tmp_path, capsys, monkeypatch):
    data = json.dumps(row("SRB", "favor", dispute="kosovo")) + "\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data.encode("utf-8"))))
    assert main(["tally", "-", "--by", "actr", "--where", "dispute=kosovo"]) == 0
    out, err = capsys.readouterr()
    assert "1 rows in 1 groups" in out and MISSING in out
    assert "no row has a field 'actr'" in err and "'dispute'" not in err


def test_a_csv_without_the_label_column_names_the_tally_option(tmp_path):
    (tmp_path / "in.csv").write_text("text,actor\nSpain does not recognise Kosovo.,ESP\n", encoding="utf-8")
    with pytest.raises(InputError, match="columns present: text, actor; pass --label-field NAME"):
        tally_files([str(tmp_path / "in.csv")])


def test_cli_rejects_a_malformed_filter(tmp_path, capsys):
    path = write_jsonl(tmp_path / "out.jsonl", [row("SRB", "favor")])
    with pytest.raises(SystemExit) as exc:
        main(["tally", str(path), "--where", "kosovo"])
    assert exc.value.code == 2 and "FIELD=VALUE" in capsys.readouterr().err


def test_tally_of_a_real_classify_run(tmp_path):
    """End to end: classify with the shipped model, then tally; every input row is counted."""
    src = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {"text": "Spain does not and will not recognise the independence of Kosovo.", "actor": "Spain"},
            {"text": "Romania respects the territorial integrity of Serbia.", "actor": "Romania"},
            {"text": "   ", "actor": "Spain"},
        ],
    )
    out = tmp_path / "out.jsonl"
    assert main(["classify", str(src), "-o", str(out), "-q"]) == 1  # the blank row is an error row
    t = stancekit.tally_files([str(out)])
    assert t.rows_counted == 3 and not t.problems
    got = by_group(t)
    assert got[("Spain",)]["error"] == 1 and got[("Spain",)]["n"] == 2
