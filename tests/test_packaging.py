"""The wheel carries the shipped model and the gazetteer, so a non-editable install works."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from .conftest import ROOT


def test_wheel_ships_default_model_and_data(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            "-q",
        ],
        capture_output=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    (wheel,) = tmp_path.glob("stancekit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "stancekit/models/default.skmodel" in names
    assert "stancekit/data/countries.tsv" in names
    assert any(n.endswith("entry_points.txt") for n in names)
    model = zipfile.ZipFile(wheel).read("stancekit/models/default.skmodel")
    assert model == (ROOT / "models" / "default.skmodel").read_bytes()
    vectors = zipfile.ZipFile(wheel).read("stancekit/data/ungd-vectors.npz")
    assert vectors == (ROOT / "src" / "stancekit" / "data" / "ungd-vectors.npz").read_bytes()
