"""Streaming readers and writers: every row accounted for."""

from __future__ import annotations

import gzip
import json

import pytest

from stancekit import InputError
from stancekit.io import RowWriter, detect_format, read_rows


def rows(path, **kw):
    return list(read_rows(str(path), **kw))


def test_txt_blank_bom_and_bad_bytes(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"\xef\xbb\xbfFirst statement.\n\n   \nbad \xff byte\nLast one.")
    got = rows(p)
    assert [r.line for r in got] == [1, 2, 3, 4, 5]
    assert got[0].text == "First statement."
    assert [r.error is None for r in got] == [True, False, False, False, True]
    assert "not valid utf-8" in got[3].error
    latin = rows(p, encoding="latin-1")
    assert latin[3].error is None and latin[3].text == "bad \xff byte"


def test_jsonl_problems_are_rows(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text('{"text": "ok"}\n{"text": null}\n{"other": 1}\n[1]\n{bad\n', encoding="utf-8")
    got = rows(p)
    assert len(got) == 5 and got[0].error is None
    assert "NoneType" in got[1].error and "no field 'text'" in got[2].error
    assert "JSON object" in got[3].error and "malformed JSON" in got[4].error
    assert rows(p, text_field="other")[2].error == "field 'other' is int, expected a string"
    # Rows read whole whose text alone is at fault keep their fields; the rest are broken.
    assert [r.broken for r in got] == [False, False, False, True, True]


def test_csv_ragged_embedded_newlines_and_missing_column(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text('id,text\n1,"multi\nline, with ""quotes"""\n2,x,extra\n3\n4,fine\n', encoding="utf-8")
    got = rows(p)
    assert [r.fields.get("id") for r in got] == ["1", "2", "3", "4"]
    assert got[0].text == 'multi\nline, with "quotes"' and got[0].line == 2
    assert "3 cells" in got[1].error and "1 cells" in got[2].error
    assert got[3].line == 6 and got[3].error is None
    assert [r.broken for r in got] == [False, True, True, False]
    bad = tmp_path / "b.tsv"
    bad.write_text("a\tb\n1\t2\n", encoding="utf-8")
    with pytest.raises(InputError, match="columns present: a, b"):
        rows(bad)


def test_huge_line_becomes_error_row(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("x" * 2_000_000 + "\nshort one\n", encoding="utf-8")
    got = rows(p)
    assert len(got) == 2 and "longer than the limit" in got[0].error and got[1].error is None


def test_formats_and_whole_input_errors(tmp_path):
    assert detect_format("a.jsonl.gz") == "jsonl" and detect_format("-") == "txt"
    with pytest.raises(InputError, match="cannot tell the format"):
        detect_format("a.docx")
    with pytest.raises(InputError, match="no such file"):
        rows(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="directory"):
        rows(tmp_path)
    notgz = tmp_path / "x.txt.gz"
    notgz.write_bytes(b"plain")
    with pytest.raises(InputError, match="gzip"):
        rows(notgz)
    with pytest.raises(InputError, match="unknown encoding"):
        rows(notgz, encoding="no-such-codec")


def test_writer_is_atomic_and_supports_gzip(tmp_path):
    out = tmp_path / "o.jsonl.gz"
    w = RowWriter(str(out))
    w.write({"a": 1})
    assert not out.exists()
    w.commit()
    assert json.loads(gzip.decompress(out.read_bytes())) == {"a": 1}
    w = RowWriter(str(tmp_path / "p.csv"))
    w.write({"a": 1})
    w.abort()
    assert list(tmp_path.iterdir()) == [out]
    with pytest.raises(InputError, match="cannot write"):
        RowWriter(str(tmp_path / "no" / "dir" / "o.jsonl"))
