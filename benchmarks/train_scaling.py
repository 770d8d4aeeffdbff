"""Training time and peak memory as the corpus grows: the shipped corpus, 20k and 200k statements.

The larger corpora are UN General Debate sentences (``../shared/data/ungd/sentences.jsonl.gz``,
every k-th line) labelled by the shipped model and written to a temporary directory, never
into the repository. Model-made labels can disagree between near-duplicate sentences, which
training refuses (as it should for an annotated corpus), so the later sentence of each such
pair is dropped before the runs; the table says how many.

Each size is trained in its own subprocess (``stancekit.train(corpus, cv=0)``: no
cross-validation, so the figures are for one fit) and its peak resident memory is read
from the operating system when it exits (``os.wait4``). The table shows seconds per
1,000 statements and peak memory, so one can see whether cost grows faster than the
corpus: it should not grow worse than linearly.

    python benchmarks/train_scaling.py                 # shipped corpus (alone and + background), 20k, 200k
    python benchmarks/train_scaling.py --sizes 20000   # only some sizes (0 = shipped corpus, -1 = + background)

Size -1 is the shipped recipe: the shipped corpus plus 2,000 background sentences at weight
0.375, drawn from the whole UN General Debate archive (``stancekit train --background``),
a framed copy of each statement at weight 0.5 (``--frames 0.5``), trained on the text alone
(statements read with their speakers, ``--actor-field actor``, while
:data:`recipe.TRAIN_WITH_SPEAKERS` was on, rounds 15 to 32); ``background s`` is the time
spent reading the archive and drawing them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from recipe import (
    ACTOR_FIELD,
    BACKGROUND_N,
    FRAMES_EXCEPT,
    FRAMES_WEIGHT,
    ROOT,
    SHIPPED_BACKGROUND_WEIGHT,
    TRAIN_WITH_SPEAKERS,
    ungd_path,
)

UNGD = ungd_path()
UNGD_LINES = 1_065_877


def child(corpus: str, out: str, background: bool = False) -> None:
    """Train on one corpus and print a JSON line of figures (run in a subprocess)."""
    import importlib

    import stancekit
    from stancekit.corpus import near_duplicates
    from stancekit.train import load_training_data

    stages = {"preprocess": 0.0, "fit": 0.0, "background": 0.0}

    def timed(stage, fn):
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                stages[stage] += time.perf_counter() - t

        return wrapper

    # Time the stages of train() itself: spaCy preprocessing, and vectorizing + fitting.
    train_module = importlib.import_module("stancekit.train")  # the module, not stancekit.train the function
    train_module._analyzed = timed("preprocess", train_module._analyzed)
    cls = train_module.AnalyzedStanceClassifier
    cls.fit = timed("fit", cls.fit)
    bg_module = importlib.import_module("stancekit.background")
    bg_module.background_sentences = timed("background", bg_module.background_sentences)
    extra = (
        {
            "background": str(UNGD),
            "background_n": BACKGROUND_N,
            "background_weight": SHIPPED_BACKGROUND_WEIGHT,
            "frames": FRAMES_WEIGHT,
            "frames_except": FRAMES_EXCEPT,
            "actor_field": ACTOR_FIELD if TRAIN_WITH_SPEAKERS else None,
        }
        if background
        else {}
    )
    t0 = time.perf_counter()
    model = stancekit.train([corpus], cv=0, **extra)
    seconds = time.perf_counter() - t0
    model.save(out)
    records, _ = load_training_data([corpus])
    t1 = time.perf_counter()
    near_duplicates([r.text for r in records])
    near_seconds = time.perf_counter() - t1
    print(
        json.dumps(
            {
                "n": model.card["corpus"]["n"],
                "words": sum(len(r.text.split()) for r in records),
                "seconds": seconds,
                "preprocess_seconds": stages["preprocess"],
                "fit_seconds": stages["fit"],
                "background_seconds": stages["background"],
                "near_dup_seconds": near_seconds,
                "features": len(model.estimator.vectorizer_.get_feature_names_out()),
                "model_mb": Path(out).stat().st_size / 2**20,
                "hwm_mb": _peak_rss_mb(),
            }
        )
    )


def _peak_rss_mb() -> float | None:
    """This process's own peak RSS (VmHWM), or None where /proc is missing.

    ``ru_maxrss`` of a child on Linux starts at the RSS of the process it was forked from
    (it is kept across exec), so it overstates a child forked from a large parent; VmHWM
    belongs to the child's own address space.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def ungd_corpus(n: int, path: Path) -> tuple[int, int]:
    """Write ``n`` UN sentences labelled by the shipped model to ``path``; return (written, dropped)."""
    import stancekit
    from stancekit.corpus import _norm, near_duplicates

    step = max(1, UNGD_LINES // int(n * 1.05))
    texts: list[str] = []
    seen: set[str] = set()
    with gzip.open(UNGD, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i % step:
                continue
            text = json.loads(line)["text"]
            key = _norm(text)
            if key and key not in seen:
                seen.add(key)
                texts.append(text)
            if len(texts) >= n:
                break
    model = stancekit.load()
    labels = model.predict(texts)
    conflicted = {j for i, j, _ in near_duplicates(texts) if labels[i] != labels[j]}
    with path.open("w", encoding="utf-8") as out:
        for k, (text, label) in enumerate(zip(texts, labels, strict=True)):
            if k not in conflicted:
                out.write(json.dumps({"id": f"ungd-{k}", "text": text, "label": label}) + "\n")
    return len(texts) - len(conflicted), len(conflicted)


def run(corpus: Path, workdir: Path, background: bool = False) -> dict:
    """Train in a subprocess; return its figures and peak RSS (MiB)."""
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", str(corpus), str(workdir / "model.skmodel")]
        + (["--with-background"] if background else []),
        stdout=subprocess.PIPE,
        text=True,
    )
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"training on {corpus} failed with exit code {proc.returncode}")
    figures = json.loads(out.strip().splitlines()[-1])
    hwm = figures.pop("hwm_mb", None)
    figures["peak_mb"] = hwm if hwm is not None else usage.ru_maxrss / 1024  # Linux reports KiB
    return figures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[0, -1, 20_000, 200_000],
        help="0 = the shipped corpus, -1 = + background",
    )
    ap.add_argument("--child", nargs=2, metavar=("CORPUS", "OUT"), help=argparse.SUPPRESS)
    ap.add_argument("--with-background", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child, background=args.with_background)
        return
    print("training with cv=0 (one fit, no cross-validation), each size in its own process", flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="stancekit-scaling-") as tmp:
        workdir = Path(tmp)
        for size in args.sizes:
            dropped = 0
            if size <= 0:
                corpus, name = ROOT / "corpus", "shipped corpus" if size == 0 else "shipped + background"
            else:
                corpus, name = workdir / f"ungd-{size}.jsonl", f"UN sentences {size:,}"
                t0 = time.perf_counter()
                _, dropped = ungd_corpus(size, corpus)
                print(
                    f"  prepared {name} in {time.perf_counter() - t0:.0f}s ({dropped} conflicting dropped)", flush=True
                )
            fig = run(corpus, workdir, background=size < 0)
            fig.update(name=name, dropped=dropped)
            rows.append(fig)
            print(f"  {name}: {fig['n']} statements, {fig['seconds']:.1f}s, {fig['peak_mb']:.0f} MiB", flush=True)
    header = (
        f"{'corpus':<22}{'statements':>11}{'words':>11}{'train s':>9}{'ms/stmt':>9}"
        f"{'preproc s':>10}{'us/word':>9}{'fit s':>8}{'near-dup s':>11}{'background s':>13}"
    )
    print(f"\n{header}\n{'-' * len(header)}")
    for r in rows:
        print(
            f"{r['name']:<22}{r['n']:>11,}{r['words']:>11,}{r['seconds']:>9.1f}{1000 * r['seconds'] / r['n']:>9.2f}"
            f"{r['preprocess_seconds']:>10.1f}{1e6 * r['preprocess_seconds'] / r['words']:>9.1f}"
            f"{r['fit_seconds']:>8.1f}{r['near_dup_seconds']:>11.1f}{r['background_seconds']:>13.1f}"
        )
    header = f"{'corpus':<22}{'statements':>11}{'peak MiB':>10}{'KiB/stmt':>10}{'features':>10}{'model MiB':>10}"
    print(f"\n{header}\n{'-' * len(header)}")
    for r in rows:
        print(
            f"{r['name']:<22}{r['n']:>11,}{r['peak_mb']:>10.0f}{1024 * r['peak_mb'] / r['n']:>10.1f}"
            f"{r['features']:>10,}{r['model_mb']:>10.1f}"
        )
    print(
        "\npreproc s: spaCy preprocessing; fit s: TF-IDF + logistic regression;\nnear-dup s: the near-duplicate search, measured alone (it is part of "
        "train s); peak MiB includes the Python runtime and spaCy (~300 MiB)."
    )


if __name__ == "__main__":
    main()
