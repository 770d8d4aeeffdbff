"""Property-based and concurrency tests: readers and classify never crash, never lose rows."""

from __future__ import annotations

import json
import threading

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stancekit
from stancekit.io import read_rows

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(data=st.binary(max_size=400))
def test_txt_reader_one_row_per_line_on_arbitrary_bytes(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("h") / "in.txt"
    path.write_bytes(data)
    rows = list(read_rows(str(path)))
    expected = 0 if not data else data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    assert len(rows) == expected
    assert [r.line for r in rows] == list(range(1, expected + 1))
    assert all((r.text is None) == (r.error is not None) or r.error for r in rows)


@FAST
@given(
    lines=st.lists(
        st.one_of(st.text(max_size=60), st.binary(max_size=60).map(lambda b: b.decode("latin-1"))), max_size=12
    )
)
def test_jsonl_reader_accounts_for_every_line(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("h") / "in.jsonl"
    body = "\n".join(json.dumps({"text": t}) if i % 2 else t.replace("\n", " ") for i, t in enumerate(lines))
    path.write_text(body, encoding="utf-8", errors="surrogatepass")
    rows = list(read_rows(str(path)))
    assert len(rows) == (body.count("\n") + (0 if body.endswith("\n") else 1) if body else 0)
    for r in rows:
        assert r.error is not None or isinstance(r.text, str)


@FAST
@given(cells=st.lists(st.lists(st.text(max_size=30), min_size=0, max_size=4), max_size=10))
def test_csv_reader_never_crashes(tmp_path_factory, cells):
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "text"])
    for row in cells:
        w.writerow(row)
    path = tmp_path_factory.mktemp("h") / "in.csv"
    path.write_text(buf.getvalue(), encoding="utf-8", errors="surrogatepass")
    rows = list(read_rows(str(path)))
    assert len(rows) == len(cells)
    for r, cells_in in zip(rows, cells, strict=True):
        if len(cells_in) == 2 and cells_in[1].strip() and "\r" not in "".join(cells_in):
            assert r.error is None and r.text == cells_in[1]
        elif r.error is None:
            assert isinstance(r.text, str)


@settings(max_examples=40, deadline=None)
@given(texts=st.lists(st.one_of(st.text(max_size=200), st.none(), st.integers()), max_size=8))
def test_classify_arbitrary_unicode_one_result_each(texts):
    results = stancekit.classify(texts)
    assert len(results) == len(texts)
    for t, r in zip(texts, results, strict=True):
        if isinstance(t, str) and t.strip():
            assert r.label in stancekit.DEFAULT_LABELS and r.error is None
            assert abs(sum(r.scores.values()) - 1) < 1e-3
        else:
            assert r.label is None and r.error


def test_classify_is_thread_safe_on_one_model():
    model = stancekit.load()
    texts = [
        "We support the territorial integrity of Moldova.",
        "Abkhazia is an independent state.",
        "We call on both sides to resume dialogue.",
        "Wine exports rose this year.",
    ] * 25
    expected = [r.label for r in stancekit.classify(texts, model)]
    outcomes: list[list[str | None]] = []
    errors: list[BaseException] = []

    def work():
        try:
            outcomes.append([r.label for r in stancekit.classify(texts, model)])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert outcomes == [expected] * 8
