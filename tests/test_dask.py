"""Dask: DataFrames, Bags and `classify --scheduler` on a loopback LocalCluster equal local results."""

from __future__ import annotations

import json
import sys
from itertools import islice

import dask.bag as db
import dask.dataframe as dd
import distributed
import pandas as pd
import pytest

import stancekit
from stancekit import StancekitError
from stancekit.batch import classify_files

from .conftest import UNGD, run_cli


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, host="127.0.0.1", dashboard_address="127.0.0.1:0", processes=True
    ) as c:
        yield c


@pytest.fixture(scope="module")
def client(cluster):
    with distributed.Client(cluster) as cl:
        yield cl


@pytest.fixture(scope="module")
def texts() -> list[str]:
    with open(UNGD / "keyword-sentences.jsonl", encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in islice(fh, 400)]


def test_classify_dataframe_on_a_cluster_equals_classify_frame(client, texts):
    from stancekit.dask import classify_dataframe

    df = pd.DataFrame({"text": [*texts, ""], "n": range(len(texts) + 1)})
    ddf = dd.from_pandas(df, npartitions=4)
    lazy = classify_dataframe(ddf)
    assert list(lazy.columns) == ["text", "n", *stancekit.frame.RESULT_COLUMNS]
    got = lazy.compute()
    want = pd.concat([df, stancekit.classify_frame(df)], axis=1)

    # Dask may store strings as pyarrow strings: compare values, with missing as None.
    def values(frame, column):
        return [None if not isinstance(v, dict) and pd.isna(v) else v for v in frame[column]]

    assert got.index.tolist() == want.index.tolist()
    for column in want.columns:
        assert values(got, column) == values(want, column), column
    assert got["error"].iloc[-1] == "empty text"


def test_classify_dataframe_ships_a_given_model_and_prefixes_columns(client, texts, small_model):
    from stancekit.dask import classify_dataframe

    df = pd.DataFrame({"text": texts[:50], "label": "gold"})
    with pytest.raises(stancekit.InputError, match="prefix"):
        classify_dataframe(dd.from_pandas(df, npartitions=2), model=small_model)
    got = classify_dataframe(dd.from_pandas(df, npartitions=2), model=small_model, prefix="stance_").compute()
    want = stancekit.classify_frame(df, model=small_model, prefix="stance_")
    assert got["stance_label"].tolist() == want["stance_label"].tolist()
    assert got["label"].eq("gold").all()
    with pytest.raises(stancekit.InputError, match="column 'body'"):
        classify_dataframe(dd.from_pandas(df, npartitions=1), "body")


def test_classify_dataframe_reads_an_actor_column(client, small_model):
    from stancekit.dask import classify_dataframe

    claim = "We will never give up a single inch of our territory."
    df = pd.DataFrame({"text": [claim] * 4, "who": ["Kosovo", "Serbia", None, "GEO"]})
    got = classify_dataframe(dd.from_pandas(df, npartitions=2), model=small_model, actor_column="who").compute()
    want = stancekit.classify_frame(df, model=small_model, actor_column="who")
    assert got["scores"].tolist() == want["scores"].tolist()
    assert got["dispute"].tolist()[:2] == ["kosovo", "kosovo"]
    with pytest.raises(stancekit.InputError, match="actor_column 'speaker'"):
        classify_dataframe(dd.from_pandas(df, npartitions=1), actor_column="speaker")


def test_classify_bag_of_strings_and_dicts(client, texts):
    from stancekit.dask import classify_bag

    local = [r.to_dict() for r in stancekit.classify(texts[:30])]
    got = classify_bag(db.from_sequence(texts[:30], npartitions=3)).compute()
    assert got == [{"text": t, **r} for t, r in zip(texts[:30], local, strict=True)]
    items = [{"id": i, "body": t} for i, t in enumerate(texts[:30])]
    got = classify_bag(db.from_sequence(items, npartitions=2), text_key="body").compute()
    assert [g["id"] for g in got] == list(range(30))
    assert [g["label"] for g in got] == [r["label"] for r in local]


def test_cli_scheduler_output_equals_local_output(cluster, tmp_path, texts, small_model_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"text": t, "i": i}) + "\n" for i, t in enumerate(texts)), encoding="utf-8")
    local = tmp_path / "local.jsonl"
    classify_files([str(src)], str(local), model=stancekit.load(small_model_path))
    out = tmp_path / "dask.jsonl"
    proc = run_cli(
        "classify", str(src), "-o", str(out), "--model", str(small_model_path), "--scheduler", cluster.scheduler_address
    )
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == local.read_bytes()


def test_rows_on_cluster_in_order_with_small_chunks(cluster, small_model, tmp_path):
    from stancekit.dask import classify_rows_on_cluster
    from stancekit.io import read_rows

    src = tmp_path / "in.txt"
    src.write_text("".join(f"Row {i}: we respect the integrity of Moldova.\n" for i in range(50)), encoding="utf-8")
    pairs = list(
        classify_rows_on_cluster(
            read_rows(str(src)), small_model, cluster.scheduler_address, chunk_size=7, max_pending=2
        )
    )
    assert [row.line for row, _ in pairs] == list(range(1, 51))
    assert [out["text"] for _, out in pairs] == [f"Row {i}: we respect the integrity of Moldova." for i in range(50)]


def test_unreachable_scheduler_is_one_clear_error(small_model):
    from stancekit.dask import classify_rows_on_cluster

    with pytest.raises(StancekitError, match="cannot connect to the Dask scheduler"):
        list(classify_rows_on_cluster(iter([]), small_model, "tcp://127.0.0.1:1", timeout=1))


def test_missing_dask_is_one_clear_error(monkeypatch):
    from stancekit import dask as skdask

    monkeypatch.setitem(sys.modules, "dask", None)
    with pytest.raises(StancekitError, match=r"pip install 'stancekit\[dask\]'"):
        skdask.classify_bag(None)
