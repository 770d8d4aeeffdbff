"""Shared fixtures: a small model trained on part of the shipped corpus, paths."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
DEV = Path(os.environ.get("STANCEKIT_DEV", ROOT.parent / "shared" / "eval" / "dev.jsonl"))
UNGD = ROOT.parent / "shared" / "data" / "ungd"


def corpus_records(limit_per_label: int | None = None) -> list[dict]:
    """Records of the shipped corpus (optionally at most N per label, in file order)."""
    out, seen = [], {}
    for path in sorted(CORPUS.rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            n = seen.get(rec["label"], 0)
            if limit_per_label is None or n < limit_per_label:
                seen[rec["label"]] = n + 1
                out.append(rec)
    return out


@pytest.fixture(scope="session")
def small_records() -> list[dict]:
    return corpus_records(limit_per_label=60)


@pytest.fixture(scope="session")
def small_model(small_records):
    import stancekit

    return stancekit.train(small_records, cv=0)


@pytest.fixture(scope="session")
def small_model_path(small_model, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("models") / "small.skmodel"
    small_model.save(path)
    return path


def run_cli(*args: str, input: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the stancekit command line as a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "stancekit.cli", *args],
        input=input,
        capture_output=True,
        cwd=cwd or ROOT,
        timeout=300,
    )
