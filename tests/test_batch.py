"""Batch runs: every format in and out, worker processes, interruption and --resume, progress."""

from __future__ import annotations

import csv
import gzip
import io
import json
import signal
import subprocess
import sys
import time
from itertools import islice
from pathlib import Path

import pytest

from stancekit import InputError
from stancekit.batch import Summary, classify_files, classify_rows
from stancekit.io import InputReader, read_rows
from stancekit.progress import Progress, format_duration

from .conftest import ROOT, UNGD, run_cli

KEYWORDS = UNGD / "keyword-sentences.jsonl"
STATEMENTS = [
    "Spain will never recognise the unilateral declaration of independence of Kosovo.",
    "We reaffirm our support for the sovereignty and territorial integrity of Ukraine.",
    "Trade between our two countries grew by ten percent.",
    'Line one,\nstill the same "statement"',
    "",
    "The so-called Turkish Republic of Northern Cyprus is not a state.",
]


def _jsonl(data: bytes) -> list[dict]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def _ungd_lines(n: int) -> list[str]:
    with open(KEYWORDS, encoding="utf-8") as fh:
        return [line.rstrip("\n") for line in islice(fh, n)]


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """A 3,000-row JSONL input of real UN General Debate sentences."""
    path = tmp_path_factory.mktemp("batch") / "sample.jsonl"
    path.write_text("\n".join(_ungd_lines(3000)) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sample_out(sample, small_model) -> list[dict]:
    out = sample.parent / "reference.jsonl"
    classify_files([str(sample)], str(out), model=small_model)
    return _jsonl(out.read_bytes())


# -- formats ------------------------------------------------------------------------
def _write_inputs(d: Path) -> dict[str, Path]:
    rows = [{"id": i, "text": t} for i, t in enumerate(STATEMENTS)]
    paths = {}
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["id", "text"], lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    paths["csv"] = d / "in.csv"
    paths["csv"].write_text(buf.getvalue(), encoding="utf-8")
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["id", "text"], delimiter="\t", lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    paths["tsv.gz"] = d / "in.tsv.gz"
    paths["tsv.gz"].write_bytes(gzip.compress(buf.getvalue().encode("utf-8")))
    jsonl = "".join(json.dumps(r) + "\n" for r in rows)
    paths["jsonl"] = d / "in.jsonl"
    paths["jsonl"].write_text(jsonl, encoding="utf-8")
    paths["jsonl.gz"] = d / "in.jsonl.gz"
    paths["jsonl.gz"].write_bytes(gzip.compress(jsonl.encode("utf-8")))
    return paths


@pytest.mark.parametrize("out_suffix", [".jsonl", ".csv", ".tsv.gz", ".jsonl.gz"])
def test_every_input_format_gives_the_same_rows_in_every_output_format(tmp_path, small_model, out_suffix):
    labels = {}
    for kind, path in _write_inputs(tmp_path).items():
        out = tmp_path / f"out-{kind}{out_suffix}"
        summary = classify_files([str(path)], str(out), model=small_model)
        data = out.read_bytes()
        if out_suffix.endswith(".gz"):
            data = gzip.decompress(data)
        if ".jsonl" in out_suffix:
            rows = _jsonl(data)
        else:
            delimiter = "\t" if ".tsv" in out_suffix else ","
            rows = list(csv.DictReader(io.StringIO(data.decode("utf-8")), delimiter=delimiter))
        assert [str(r["id"]) for r in rows] == [str(i) for i in range(len(STATEMENTS))], kind
        assert [r["text"] for r in rows] == STATEMENTS, kind
        assert summary.rows == len(STATEMENTS) and summary.errors == 1  # the empty statement
        labels[kind] = [r["label"] or None for r in rows]
    assert len({tuple(v) for v in labels.values()}) == 1, labels
    assert list(tmp_path.glob(".*part")) == []


def test_stdin_to_stdout_keeps_jsonl_fields():
    data = b"".join(json.dumps({"text": t, "n": i}).encode() + b"\n" for i, t in enumerate(STATEMENTS[:3]))
    proc = run_cli("classify", "-", "--format", "jsonl", input=data)
    assert proc.returncode == 0, proc.stderr
    rows = _jsonl(proc.stdout)
    assert [r["n"] for r in rows] == [0, 1, 2] and rows[0]["label"] in {"favor", "against", "neutral", "none"}
    # stderr is not a terminal: the summary line only, no progress line
    assert b"\r" not in proc.stderr and proc.stderr.decode().startswith("stancekit: 3 rows, 0 errors")


def test_csv_output_names_the_sentence_a_long_statement_was_read_from(tmp_path):
    from .test_classifier import FILLER, STANCE

    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    long = " ".join([*FILLER[:2], STANCE, *FILLER[2:]])
    with open(src, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["id", "text"], ["1", long], ["2", STANCE]])
    classify_files([str(src)], str(out))
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["id"], r["label"], r["deciding_sentence"]) for r in rows] == [("1", "favor", STANCE), ("2", "favor", "")]


def test_classify_rows_matches_classify_files(sample, small_model, sample_out):
    summary = Summary()
    rows = list(classify_rows(read_rows(str(sample)), small_model, batch_size=100, summary=summary))
    assert rows == sample_out and summary.rows == 3000


def test_summary_line_shows_slow_rates_with_a_decimal():
    assert Summary(rows=1, seconds=2.4).line().endswith("(0.4 rows/s)")
    assert Summary(rows=5000, seconds=2.0).line().endswith("(2,500 rows/s)")


# -- worker processes ---------------------------------------------------------------------
def test_jobs_output_equals_single_process_output(tmp_path, sample, small_model, sample_out):
    out = tmp_path / "jobs.jsonl"
    summary = classify_files([str(sample)], str(out), model=small_model, jobs=2, chunk_size=128)
    assert _jsonl(out.read_bytes()) == sample_out
    assert summary.rows == 3000


def test_jobs_on_the_command_line_keeps_order_and_error_rows(tmp_path, small_model, small_model_path):
    src = tmp_path / "in.txt"
    lines = [f"Statement {i} on the sovereignty of Georgia." if i % 7 else "" for i in range(300)]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one = tmp_path / "one.jsonl"
    classify_files([str(src)], str(one), model=small_model)
    two = run_cli("classify", str(src), "--model", str(small_model_path), "--jobs", "2", "--quiet")
    assert two.returncode == 1, two.stderr  # blank lines are error rows
    assert b"rows/s" not in two.stderr and b"\r" not in two.stderr  # --quiet: no progress, no summary
    assert two.stdout == one.read_bytes()
    assert [r["text"] for r in _jsonl(two.stdout)] == lines


def test_bad_jobs_value_is_a_usage_error(tmp_path):
    proc = run_cli("classify", "examples/statements.txt", "--jobs", "0")
    assert proc.returncode == 2 and b"jobs=0 must be at least 1" in proc.stderr


# -- interruption and --resume ---------------------------------------------------------------
def _default_sigint() -> None:
    """In the child: take SIGINT's default action back. A test run started in the background
    of a shell without job control inherits SIGINT ignored, and Python then installs no
    KeyboardInterrupt handler, so the signal these tests send would do nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _interrupt_after_output(args: list[str], part: Path, sig: int) -> subprocess.CompletedProcess:
    """Start `stancekit classify ARGS`, send ``sig`` once some output reached ``part``."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "stancekit.cli", "classify", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_default_sigint,
    )
    deadline = time.monotonic() + 120
    while not (part.exists() and part.stat().st_size > 0):
        assert proc.poll() is None, proc.communicate()[1].decode()
        assert time.monotonic() < deadline, "no output appeared"
        time.sleep(0.02)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


#: Rows of the interrupted runs (a run outlasts its first output by about a second).
BIG = 6_000


@pytest.fixture(scope="module")
def big_input(tmp_path_factory) -> tuple[Path, bytes]:
    """6,000 real sentences and the uninterrupted output for them (default model)."""
    d = tmp_path_factory.mktemp("resume")
    src = d / "in.jsonl"
    src.write_text("\n".join(_ungd_lines(BIG)) + "\n", encoding="utf-8")
    ref = d / "reference.jsonl"
    classify_files([str(src)], str(ref))
    return src, ref.read_bytes()


@pytest.mark.parametrize(("sig", "extra"), [(signal.SIGINT, []), (signal.SIGTERM, ["--jobs", "2"])])
def test_interrupted_run_resumes_to_exactly_the_uninterrupted_output(tmp_path, big_input, sig, extra):
    src, reference = big_input
    out = tmp_path / "out.jsonl"
    part = tmp_path / ".out.jsonl.part"
    first = _interrupt_after_output([str(src), "-o", str(out), "--resume", *extra], part, sig)
    assert first.returncode == 130, first.stderr
    assert b"Traceback" not in first.stderr and b"partial output kept in" in first.stderr
    assert not out.exists() and part.exists()
    kept = part.read_bytes()
    assert 0 < kept.count(b"\n") < BIG  # interrupted mid-run, some rows kept
    second = run_cli("classify", str(src), "-o", str(out), "--resume", *extra)
    assert second.returncode == 0, second.stderr
    assert b"resumed)" in second.stderr
    assert out.read_bytes() == reference
    assert not part.exists()


def test_interrupted_run_without_resume_leaves_no_partial_file(tmp_path, big_input):
    src, _ = big_input
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "stancekit.cli", "classify", str(src), "-o", str(out)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        preexec_fn=_default_sigint,
    )
    deadline = time.monotonic() + 120
    while not any(p.stat().st_size > 0 for p in tmp_path.glob(".out.jsonl.*.part")):
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".tsv.gz"])
def test_resume_drops_a_truncated_last_row(tmp_path, sample, small_model, suffix):
    full = tmp_path / f"full{suffix}"
    classify_files([str(sample)], str(full), model=small_model)
    raw = gzip.decompress(full.read_bytes()) if suffix.endswith(".gz") else full.read_bytes()
    # What an interrupted run may leave: complete rows, then part of the next one.
    cut = raw.index(b"\n", len(raw) // 3) + 40
    damaged = raw[:cut]
    out = tmp_path / f"out{suffix}"
    part = tmp_path / f".out{suffix}.part"
    if suffix.endswith(".gz"):
        whole = gzip.compress(damaged)
        part.write_bytes(whole[: len(whole) - 30])  # a gzip stream cut short too
    else:
        part.write_bytes(damaged)
    summary = classify_files([str(sample)], str(out), model=small_model, resume=True)
    assert 0 < summary.resumed < 3000 and summary.rows == 3000
    got = gzip.decompress(out.read_bytes()) if suffix.endswith(".gz") else out.read_bytes()
    assert got == raw


def test_csv_resume_keeps_rows_with_embedded_newlines(tmp_path, small_model):
    src = tmp_path / "in.csv"
    src.write_text('id,text\n1,"Line one,\nstill one"\n2,Second\n3,"Third\n\nrow"\n', encoding="utf-8")
    full = tmp_path / "full.csv"
    classify_files([str(src)], str(full), model=small_model)
    raw = full.read_bytes()
    # Cut inside the quoted cell of row 3: rows 1 and 2 are complete.
    (tmp_path / ".out.csv.part").write_bytes(raw[: raw.index(b"Third") + 7])
    summary = classify_files([str(src)], str(tmp_path / "out.csv"), model=small_model, resume=True)
    assert summary.resumed == 2
    assert (tmp_path / "out.csv").read_bytes() == raw


def test_resume_refuses_a_partial_output_from_another_input(tmp_path, sample, small_model):
    part = tmp_path / ".out.jsonl.part"
    part.write_text(json.dumps({"text": "something else", "label": "none"}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="input changed"):
        classify_files([str(sample)], str(tmp_path / "out.jsonl"), model=small_model, resume=True)
    assert part.exists()  # kept for the user to inspect
    long = tmp_path / ".short.jsonl.part"
    long.write_text("".join(json.dumps({"text": "x"}) + "\n" for _ in range(5)), encoding="utf-8")
    src = tmp_path / "short.txt"
    src.write_text("x\nx\n", encoding="utf-8")
    with pytest.raises(InputError, match="only 2"):
        classify_files([str(src)], str(tmp_path / "short.jsonl"), model=small_model, resume=True)


def test_resume_needs_an_output_file():
    proc = run_cli("classify", "examples/statements.txt", "--resume")
    assert proc.returncode == 2 and b"cannot resume standard output" in proc.stderr


# -- progress ----------------------------------------------------------------------------
class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_rate_percent_and_eta_on_a_terminal_only():
    tty = _Tty()
    p = Progress(total=1000, stream=tty, interval=0.0)
    p.start()
    p._t0 -= 2.0  # as if started two seconds ago
    p.update(500, position=250)
    text = tty.getvalue()
    assert text.startswith("\rstancekit: 500 rows") and "250 rows/s" in text and "25%" in text
    assert "ETA 0:06" in text  # 750 bytes left at 125 bytes/s
    p.close()
    assert tty.getvalue().endswith("\r") and "\n" not in tty.getvalue()
    pipe = io.StringIO()
    quiet = Progress(total=1000, stream=pipe, interval=0.0)
    quiet.update(500, position=250)
    quiet.close()
    assert pipe.getvalue() == ""
    assert Progress(stream=_Tty(), enabled=False).active is False
    no_size = Progress(stream=_Tty()).line(10)
    assert "%" not in no_size and "ETA" not in no_size


def test_format_duration():
    assert [format_duration(s) for s in (0, 59.6, 61, 3600 + 62)] == ["0:00", "1:00", "1:01", "1:01:02"]


def test_input_reader_reports_size_and_position(tmp_path, sample):
    gz = tmp_path / "s.jsonl.gz"
    gz.write_bytes(gzip.compress(sample.read_bytes()))
    reader = InputReader([str(sample), str(gz)])
    assert reader.size == sample.stat().st_size + gz.stat().st_size
    positions = [reader.position() for _ in reader]
    assert len(positions) == 6000
    assert positions == sorted(positions) and positions[-1] <= reader.size
    assert reader.position() == reader.size  # both files done
    assert InputReader(["-"]).size is None
