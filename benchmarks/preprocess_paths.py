"""Preprocessing: the per-chunk token cache against a spaCy ``Doc`` per statement.

    python benchmarks/preprocess_paths.py [--full] [--data ../shared/data/ungd]

Runs :class:`stancekit.preprocess.Preprocessor` (the default model's settings) on the
57,410 keyword sentences (``--full``: all 1,065,877 sentences) two ways, each timed in a
fresh process so that neither warms caches for the other: ``analyze`` (the chunk-cache
path) and the baseline, ``analyze_doc`` on each ``Doc`` of ``nlp.pipe``. Then, untimed,
counts the analyses that differ between the two (expected: 0).
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import time
from pathlib import Path

from stancekit.preprocess import Preprocessor

ROOT = Path(__file__).resolve().parents[1]


def _texts(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh]


def _run(pre: Preprocessor, texts: list[str], path: str) -> list:
    if path == "chunks":
        return list(pre.analyze(texts, batch_size=2000))
    return [pre.analyze_doc(doc) for doc in pre.nlp.pipe(texts, batch_size=2000)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "ungd")
    ap.add_argument("--full", action="store_true", help="all sentences, not only the keyword sentences")
    ap.add_argument("--time", choices=["chunks", "docs"], help=argparse.SUPPRESS)  # child: time one path
    args = ap.parse_args()
    path = args.data / ("sentences.jsonl.gz" if args.full else "keyword-sentences.jsonl")
    texts = _texts(path)
    pre = Preprocessor(cues=True)
    pre.analyze_doc(pre.nlp("warm-up"))  # build the pipeline and load the lemma table outside the timing
    if args.time:
        t = time.perf_counter()
        _run(pre, texts, args.time)
        print(time.perf_counter() - t)
        return
    base = [sys.executable, __file__, "--data", str(args.data), *(["--full"] if args.full else [])]
    seconds = {
        p: float(subprocess.run([*base, "--time", p], capture_output=True, text=True, check=True).stdout)
        for p in ("docs", "chunks")
    }
    differ = sum(a != b for a, b in zip(_run(pre, texts, "chunks"), _run(pre, texts, "docs"), strict=True))
    print(f"{path.name}: {len(texts):,} statements, each path timed in its own process")
    print(f"  Doc per statement (baseline)   {seconds['docs']:7.1f} s")
    print(
        f"  chunk token cache              {seconds['chunks']:7.1f} s   ({seconds['docs'] / seconds['chunks']:.1f}x faster)"
    )
    print(f"  analyses that differ           {differ:7d}")


if __name__ == "__main__":
    main()
