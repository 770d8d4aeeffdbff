"""Labelled archive lines: reading them by reference, their errors, training with them."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

import stancekit
from stancekit import InputError
from stancekit.archive_labels import read_labelled_lines, sha1_prefix

from .conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SENTENCES = [
    ("We thank the President for his able guidance of this session.", "USA"),
    ("The people of the territory must be free to choose independence from the colonial power.", "GHA"),
    ("We reaffirm our respect for the sovereignty and territorial integrity of every State.", "IND"),
    ("Both parties should resume talks without preconditions, and we urge restraint.", "SWE"),
    ("Our harvest was good this year and our exports of coffee rose.", "KEN"),
]


@pytest.fixture
def archive(tmp_path):
    path = tmp_path / "archive.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for text, country in SENTENCES:
            fh.write(json.dumps({"text": text, "country": country}) + "\n")
    return path


def write_labels(path: Path, rows: list[dict]) -> Path:
    path.write_text(json.dumps({"archive": "archive.jsonl.gz", "rows": rows}), encoding="utf-8")
    return path


def row(line: int, label: str, **extra) -> dict:
    text, country = SENTENCES[line - 1]
    return {"id": f"r{line}", "line": line, "sha1": sha1_prefix(text), "label": label, "country": country, **extra}


def test_reads_texts_by_line_and_checks_them(tmp_path, archive):
    rows = [row(2, "against"), row(3, "favor"), row(5, "none", year=1990), {**row(4, "x"), "label": None}]
    got = read_labelled_lines(write_labels(tmp_path / "l.json", rows), archive)
    assert got.skipped == 1  # annotators disagreed: not trained on
    assert got.texts == [SENTENCES[1][0], SENTENCES[2][0], SENTENCES[4][0]]
    assert got.labels == ["against", "favor", "none"] and got.lines == [2, 3, 5]
    assert got.speakers == ["GHA", "IND", "KEN"]
    summary = got.summary(2.0)
    assert (
        summary["n"] == 3 and summary["by_label"] == {"against": 1, "favor": 1, "none": 1} and summary["weight"] == 2.0
    )


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"line": 0}, "'line' must be a positive integer"),
        ({"line": "2"}, "'line' must be a positive integer"),
        ({"label": ""}, "'label' must be a non-empty string"),
        ({"sha1": "abc"}, "'sha1' must be at least 8"),
        ({"label": "maybe"}, "label 'maybe' is not in the training scheme"),
        ({"line": 9, "sha1": "0123456789ab"}, "labels line 9 of .*fewer lines"),
        ({"sha1": "0123456789ab"}, r"row 1 expects .*:2 with SHA-1 0123456789ab, found another text"),
    ],
)
def test_bad_rows_are_refused_naming_the_row(tmp_path, archive, bad, message):
    labels = write_labels(tmp_path / "l.json", [{**row(2, "against"), **bad}])
    with pytest.raises(InputError, match=message):
        read_labelled_lines(labels, archive, labels={"favor", "against", "neutral", "none"})


def test_bad_files_are_refused(tmp_path, archive):
    with pytest.raises(InputError, match="does not exist"):
        read_labelled_lines(tmp_path / "missing.json", archive)
    broken = tmp_path / "broken.json"
    broken.write_text('{"rows": [', encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.json: not a JSON document"):
        read_labelled_lines(broken, archive)
    listed = tmp_path / "list.json"
    listed.write_text("[]", encoding="utf-8")
    with pytest.raises(InputError, match='a JSON object with a "rows" list'):
        read_labelled_lines(listed, archive)
    twice = write_labels(tmp_path / "twice.json", [row(2, "against"), row(2, "favor", id="again")])
    with pytest.raises(InputError, match=r"row 2 \(again\): archive line 2 is labelled twice"):
        read_labelled_lines(twice, archive)


def test_training_reads_the_lines_and_records_them(tmp_path, archive, small_records):
    labels = write_labels(tmp_path / "l.json", [row(2, "against"), row(3, "favor"), row(4, "neutral")])
    kw = {"cv": 2, "background": str(archive), "background_pool": 1, "background_n": 2}
    model = stancekit.train(small_records, labelled_lines=labels, labelled_lines_weight=40.0, **kw)
    card = model.card["labelled_lines"]
    assert card["n"] == 3 and card["weight"] == 40.0 and card["archive"] == str(archive)
    assert model.card["cv"]["n"] == len(small_records)  # never scored
    base = stancekit.train(small_records, **kw)
    probe = [SENTENCES[1][0]]  # trained on at a heavy weight: it moves toward its label
    against = list(model.classes_).index("against")
    assert model.predict_proba(probe)[0][against] > base.predict_proba(probe)[0][against]
    with pytest.raises(InputError, match="give it as the background"):
        stancekit.train(small_records, cv=0, labelled_lines=labels)
    with pytest.raises(InputError, match="labelled_lines_weight must be positive"):
        stancekit.train(small_records, labelled_lines=labels, labelled_lines_weight=0, **kw)
    held = [{"text": SENTENCES[2][0], "label": "favor"}]  # the evaluation set holds a labelled line
    with pytest.raises(InputError, match=r"1 labelled line.* share a word 6-gram with the evaluation data"):
        stancekit.train(small_records, labelled_lines=labels, eval_data=held, **kw)
    with pytest.warns(UserWarning, match="the evaluation figures are inflated"):
        kept = stancekit.train(small_records, labelled_lines=labels, eval_data=held, allow_overlap=True, **kw)
    assert kept.card["labelled_lines"]["eval_overlap"] == 1


def test_join_extras_gives_every_document_a_label_and_a_weight():
    from stancekit.train import join_extras

    docs, labels, weights = join_extras((["a", "b"], "none", 0.5), (["c"], ["favor"], 4.0))
    assert docs == ["a", "b", "c"] and labels == ["none", "none", "favor"]
    assert weights.tolist() == [0.5, 0.5, 4.0]
    docs, labels, weights = join_extras(None, (["c", "d"], ["favor", "against"], [1.0, 2.0]))
    assert docs == ["c", "d"] and labels == ["favor", "against"] and weights.tolist() == [1.0, 2.0]


def test_cli_trains_with_labelled_lines(tmp_path, archive, small_records):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in small_records) + "\n", encoding="utf-8")
    labels = write_labels(tmp_path / "l.json", [row(2, "against"), row(3, "favor")])
    out = tmp_path / "m.skmodel"
    args = ["train", str(corpus), "-o", str(out), "--cv", "0", "--background", str(archive)]
    proc = run_cli(*args, "--background-pool", "1", "--labelled-lines", str(labels), "--labelled-lines-weight", "2")
    assert proc.returncode == 0, proc.stderr.decode()
    assert "plus labelled lines: 2 real sentences {'against': 1, 'favor': 1} (weight 2)" in proc.stdout.decode()
    info = run_cli("info", "--model", str(out))
    assert "labelled lines: 2 real sentences" in info.stdout.decode()
    bad = write_labels(tmp_path / "bad.json", [{**row(2, "against"), "sha1": "0123456789ab"}])
    proc = run_cli(*args, "--background-pool", "1", "--labelled-lines", str(bad))
    err = proc.stderr.decode()
    assert proc.returncode != 0 and "bad.json: row 1 expects" in err and "Traceback" not in err


SHIPPED = ROOT / "corpus" / "ungd_labels.json"
ARCHIVE = SHARED / "data" / "ungd" / "sentences.jsonl.gz"
DEV = SHARED / "eval" / "dev.jsonl"


PENDING = ROOT / "corpus" / "ungd_labels_pending.json"
UNCERTAIN = ROOT / "corpus" / "ungd_labels_uncertain.json"


@pytest.mark.skipif(not (ARCHIVE.exists() and DEV.exists()), reason="needs ../shared (archive and dev set)")
@pytest.mark.parametrize("path", [SHIPPED, PENDING, UNCERTAIN], ids=["shipped", "pending", "uncertain"])
def test_labelled_lines_read_and_stay_apart_from_dev(path):
    from stancekit.wordvectors import overlap_filter

    lines = read_labelled_lines(path, ARCHIVE, labels=set(stancekit.DEFAULT_LABELS))
    assert len(lines.texts) >= 1000
    dev = [json.loads(x) for x in DEV.read_text(encoding="utf-8").splitlines() if x.strip()]
    held = overlap_filter([r["text"] for r in dev])
    assert not [t for t in lines.texts if held(t)]
    # No labelled line comes from a speech (country, year) that dev's speech part quotes.
    speeches = {(r["actor"], int(str(r["date"])[:4])) for r in dev if r.get("form") == "speech"}
    rows = json.loads(path.read_text(encoding="utf-8"))["rows"]
    assert not [r["id"] for r in rows if (r["country"], r["year"]) in speeches]


def test_labelled_line_files_share_no_line_and_no_speech():
    files = [json.loads(p.read_text(encoding="utf-8"))["rows"] for p in (SHIPPED, PENDING, UNCERTAIN)]
    for k, rows in enumerate(files):
        assert rows
        for other in files[k + 1 :]:
            assert not {r["line"] for r in rows} & {r["line"] for r in other}
            assert not {(r["country"], r["year"]) for r in rows} & {(r["country"], r["year"]) for r in other}
