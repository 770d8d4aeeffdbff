"""Throughput and memory of `stancekit classify` on the UN General Debate sentences.

    python benchmarks/throughput.py [--jobs 2] [--full] [--data ../shared/data/ungd]

Prints, each measured in its own subprocess (wall time, CPU time, peak RSS):

(a) `stancekit classify keyword-sentences.jsonl -o out.jsonl` against a floor measured in
    the same run: one process that reads the same JSONL, runs a TF-IDF (word 1-2-gram) +
    LogisticRegression ``predict_proba`` (fitted beforehand on the corpus/ statements;
    fitting not timed) and writes JSONL with the same kind of label/confidence/scores
    fields. The ratio floor/stancekit is reported for wall and CPU time (the CPU ratio is
    the steadier one on a shared machine). Goal: >= 0.5.
(b) peak RSS of `stancekit classify` on the first 200,000 vs the first 10,000 sentences
    of sentences.jsonl.gz (goal: within 1.3x).
(c) with --full, the whole sentences.jsonl.gz (1,065,877 sentences) in one command:
    time and rows/s.

With --jobs N, (a) and (c) are also run with `--jobs N`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import pickle
import shutil
import subprocess
import sys
import tempfile
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FLOOR = r"""
import json, pickle, sys
pipe = pickle.load(open(sys.argv[1], "rb"))
classes = [str(c) for c in pipe.classes_]
with open(sys.argv[2], encoding="utf-8") as fh, open(sys.argv[3], "w", encoding="utf-8") as out:
    while True:
        rows = [json.loads(line) for line, _ in zip(fh, range(2000))]
        if not rows:
            break
        proba = pipe.predict_proba([r["text"] for r in rows])
        for r, p in zip(rows, proba):
            j = int(p.argmax())
            r["label"], r["confidence"] = classes[j], round(float(p[j]), 4)
            r["scores"] = {c: round(float(x), 4) for c, x in zip(classes, p)}
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
"""


# Measures a command from a small process: on Linux a child's peak RSS starts at the RSS of
# the process it was forked from (kept across exec), so forking the command from this script,
# which holds the floor's training data, would inflate small runs' peak RSS.
LAUNCHER = r"""
import json, os, subprocess, sys, time
t0 = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
print(json.dumps({"wall": time.perf_counter() - t0, "cpu": usage.ru_utime + usage.ru_stime,
                  "rss": usage.ru_maxrss / 1024, "code": os.waitstatus_to_exitcode(status)}))
"""


def run(cmd: list[str]) -> dict[str, float]:
    """Run ``cmd``; its wall time, CPU time (user + system) and peak RSS in MiB."""
    proc = subprocess.run([sys.executable, "-c", LAUNCHER, *cmd], capture_output=True, check=False)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise SystemExit(f"measuring {' '.join(cmd)} failed:\n{proc.stderr.decode()}")
    m = json.loads(proc.stdout)
    if m["code"] not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({m['code']}):\n{proc.stderr.decode()}")
    return {"wall": m["wall"], "cpu": m["cpu"], "rss": m["rss"]}


def stancekit_cmd(*args: str) -> list[str]:
    exe = shutil.which("stancekit")
    return [exe, "classify", *args] if exe else [sys.executable, "-m", "stancekit.cli", "classify", *args]


def fit_floor(path: Path) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    texts, labels = [], []
    for p in sorted((ROOT / "corpus").rglob("*.jsonl")):
        for line in p.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                texts.append(rec["text"])
                labels.append(rec["label"])
    pipe = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), LogisticRegression(max_iter=2000))
    pipe.fit(texts, labels)
    path.write_bytes(pickle.dumps(pipe))


def head(src: Path, dest: Path, n: int) -> None:
    with gzip.open(src, "rt", encoding="utf-8") as fh, open(dest, "w", encoding="utf-8") as out:
        out.writelines(islice(fh, n))


def line(name: str, m: dict[str, float], rows: int | None = None) -> str:
    rate = f"  {rows / m['wall']:>8,.0f} rows/s" if rows else ""
    return f"  {name:<44}{m['wall']:>7.1f}s wall {m['cpu']:>7.1f}s CPU {m['rss']:>7.0f} MiB{rate}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "ungd"))
    ap.add_argument("--jobs", type=int, default=0, help="also run with --jobs N")
    ap.add_argument("--full", action="store_true", help="(c): the whole 1,065,877-sentence file")
    ap.add_argument("--repeat", type=int, default=2, help="runs of (a) per command; the fastest is kept")
    args = ap.parse_args()
    data = Path(args.data)
    keywords, sentences = data / "keyword-sentences.jsonl", data / "sentences.jsonl.gz"
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        fit_floor(t / "floor.pkl")
        n = sum(1 for _ in open(keywords, encoding="utf-8"))
        print(f"(a) end to end on {keywords.name} ({n:,} rows); best of {args.repeat}")
        cmds = {
            "floor: TF-IDF 1-2 + LogisticRegression": [
                sys.executable,
                "-c",
                FLOOR,
                str(t / "floor.pkl"),
                str(keywords),
                str(t / "floor.jsonl"),
            ],
            "stancekit classify": stancekit_cmd(str(keywords), "-o", str(t / "out.jsonl")),
        }
        if args.jobs > 1:
            cmds[f"stancekit classify --jobs {args.jobs}"] = stancekit_cmd(
                str(keywords), "-o", str(t / "out.jsonl"), "--jobs", str(args.jobs)
            )
        best = {}
        for _ in range(args.repeat):
            for name, cmd in cmds.items():
                m = run(cmd)
                if name not in best or m["wall"] < best[name]["wall"]:
                    best[name] = m
        for name, m in best.items():
            print(line(name, m, n))
        floor = best["floor: TF-IDF 1-2 + LogisticRegression"]
        for name, m in best.items():
            if name.startswith("stancekit"):
                print(
                    f"  ratio floor/{name}: wall {floor['wall'] / m['wall']:.2f}, "
                    f"CPU {floor['cpu'] / m['cpu']:.2f} (goal >= 0.5)"
                )

        print("\n(b) peak RSS of `stancekit classify` by input size")
        rss = {}
        for k in (10_000, 200_000):
            src = t / f"head{k}.jsonl"
            head(sentences, src, k)
            m = run(stancekit_cmd(str(src), "-o", str(t / f"head{k}.out.jsonl")))
            rss[k] = m["rss"]
            print(line(f"first {k:,} sentences", m, k))
        print(f"  ratio 200,000 / 10,000: {rss[200_000] / rss[10_000]:.2f}x (goal <= 1.3x)")

        if args.full:
            print(f"\n(c) the whole {sentences.name}")
            full = {"stancekit classify": [], f"stancekit classify --jobs {args.jobs}": ["--jobs", str(args.jobs)]}
            for name, extra in full.items():
                if extra and args.jobs <= 1:
                    continue
                out = t / "full.jsonl.gz"
                m = run(stancekit_cmd(str(sentences), "-o", str(out), *extra))
                with gzip.open(out, "rb") as fh:
                    rows = sum(1 for _ in fh)
                print(line(f"{name} ({rows:,} rows)", m, rows))


if __name__ == "__main__":
    main()
