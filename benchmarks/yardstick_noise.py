"""How far the corpus-round yardsticks move when the corpus changes by chance (session 23).

    python benchmarks/yardstick_noise.py OUT_DIR [--drop 239] [--seeds 1 2] [--corpus corpus]

A corpus round is judged by how the shipped recipe's figures move when its rows join the
corpus: 5-fold CV over the labelled archive lines and the audit (``real_labels.py --weights
4``). Those figures move with any change of the training data, so a rule's tolerance means
something only beside the movement a change of no particular kind brings. For each seed this
script writes a copy of ``--corpus`` with ``--drop`` of its authored statements removed at
random (``OUT_DIR/s<seed>/corpus``; keep it outside the repository) and runs
``real_labels.py --weights 4 --corpus`` on it; compare with the same command on ``--corpus``
itself.

Session 23, 239 statements (round 39's size) dropped from the 17,506: lines CV 0.6851 ->
0.6834 and 0.6817 (seeds 1, 2), audit 0.658 -> 0.664 and 0.662, dev (printed only) 0.796 ->
0.794 and 0.801. Round 38 (+277 statements) moved them 0.6865 and 0.663, round 39 (+239)
0.6802 and 0.662.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
from pathlib import Path

from recipe import ROOT

HERE = Path(__file__).resolve().parent


def thinned_copy(corpus: Path, out: Path, drop: int, seed: int) -> int:
    """Copy ``corpus`` to ``out`` without ``drop`` random authored statements; the rows kept."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(corpus, out)
    files = sorted((corpus / "authored").glob("*.jsonl"))
    rows = [
        (f.name, i) for f in files for i, line in enumerate(f.read_text(encoding="utf-8").splitlines()) if line.strip()
    ]
    gone = set(random.Random(seed).sample(rows, drop))
    kept = 0
    for f in files:
        lines = f.read_text(encoding="utf-8").splitlines(keepends=True)
        keep = [line for i, line in enumerate(lines) if line.strip() and (f.name, i) not in gone]
        (out / "authored" / f.name).write_text("".join(keep), encoding="utf-8")
        kept += len(keep)
    return kept


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path, help="where the thinned corpora are written (outside the repository)")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--drop", type=int, default=239, help="authored statements removed from each copy")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    for seed in args.seeds:
        target = args.out / f"s{seed}" / "corpus"
        kept = thinned_copy(args.corpus, target, args.drop, seed)
        print(f"seed {seed}: {kept} authored statements kept in {target}", flush=True)
        cmd = [sys.executable, str(HERE / "real_labels.py"), "--weights", "4", "--corpus", str(target)]
        subprocess.run(cmd, check=True)


if __name__ == "__main__":
    main()
