"""Real General Debate sentences labelled by us, as training data: draw, collect, measure.

    python benchmarks/real_labels.py --draw DIR        # the sentences and the annotators' sheets
    python benchmarks/real_labels.py --collect DIR     # their labels into corpus/ungd_labels.json
    python benchmarks/real_labels.py [--weights 1 2 4] # the measurement below

The corpus is authored, and real speech differs from it (the audit, ``real_speech.py``, reads
0.60 where grouped CV reads 0.87). ``corpus/ungd_labels.json`` labels real sentences of the UN
archive by reference (archive line and SHA-1 prefix, never the text:
:mod:`stancekit.archive_labels`), so that training can read them.

**The draw** (``--draw DIR --batch B``): keyword sentences of the archive
(``real_speech.KEYWORDS``) of at most 120 words, outside the background pool, sharing no word
6-gram with dev, and from no speech (country and year) that dev's speech part or the audit
draws from, so that neither yardstick shares a speech with training, nor one an earlier batch
drew from; shuffled by the batch's seed (:data:`SEEDS`); 560 with a strong status phrase, 440
naming a country or territory (among the first 8,000 others), 200 other; at most one per
speech. Written as four sheets of 300 for two annotators each.

**Collecting** (``--collect DIR``): both annotators' labels of every row go into the file; the
label is the one they agree on, or null where they disagree (training skips those rows, as the
audit and dev's speech part keep only agreed sentences).

**The measurement**, rules fixed before any score was read:

1. the weight of the labelled lines is chosen among ``--weights`` by 5-fold cross-validation
   over the lines themselves (each fold trains the shipped recipe plus the other lines and
   scores its lines read with their speakers); the weight with the highest macro-F1;
2. the shipped recipe with all the lines at that weight replaces the shipped recipe if the
   audit's macro-F1 (with speakers) rises at least 0.02 with a paired bootstrap interval above
   0, and grouped CV on the corpus (the lines joining every training fold) falls no more than
   0.003. Dev is printed, never used to choose.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from real_speech import AUDIT, gain_text, load_audit, macro, stratified_draw, write_sheets
from recipe import (
    LABELS,
    ROOT,
    SHARED,
    add_path_options,
    cross_predict,
    dev_records,
    shipped_setup,
    ungd_path,
)
from sklearn.metrics import f1_score

from stancekit.archive_labels import read_labelled_lines
from stancekit.train import AnalyzedStanceClassifier, _with_extras

LABELS_FILE = ROOT / "corpus" / "ungd_labels.json"
STRATA = (("strong", 560), ("named", 440), ("other", 200))
#: The seed of each batch's draw, and the sentences a batch draws.
SEEDS = {1: 20261129, 2: 20261130}
BATCH = 1200
SHEET = 300
MAX_WORDS = 120


def blocked_speeches(shared: Path) -> set[tuple[str, int]]:
    """Speeches (country, year) that dev's speech part or the audit draws a sentence from."""
    out = {(r["actor"], int(str(r["date"])[:4])) for r in dev_records(shared) if r.get("form") == "speech"}
    for line in AUDIT.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            out.add((r["country"], r["year"]))
    return out


def labelled_rows(dest: Path = LABELS_FILE) -> list[dict]:
    """Every drawn row of ``dest`` (agreed or not), or none before the first collection."""
    return json.loads(dest.read_text(encoding="utf-8"))["rows"] if dest.exists() else []


def draw(out: Path, batch: int = 1, shared: Path = SHARED) -> list[dict]:
    """Draw batch ``batch`` (module docstring) and write its sheets into ``out``."""
    skip = blocked_speeches(shared) | {(r["country"], r["year"]) for r in labelled_rows() if r.get("batch", 1) < batch}
    picked = stratified_draw(shared, STRATA, SEEDS[batch], 8000, skip=skip, max_words=MAX_WORDS)
    first = BATCH * (batch - 1)
    for k, p in enumerate(picked):
        p["id"] = f"t{first + k + 1:04d}"
        p["line"] += 1  # read_rows numbers archive lines from 1
        p["batch"] = batch
    group = first // SHEET
    sheets = [(f"group_{group + g // SHEET + 1}.jsonl", g, g + SHEET) for g in range(0, len(picked), SHEET)]
    write_sheets(out, picked, sheets)
    return picked


def collect(sheets: Path, dest: Path = LABELS_FILE) -> dict[str, int]:
    """Add the labels of ``sheets`` (``picked.json`` and ``labels/group_G_{A,B}.jsonl``) to ``dest``,
    replacing the rows of the same batch; a row's label is null where its annotators disagree."""
    picked = json.loads((sheets / "picked.json").read_text(encoding="utf-8"))
    batch = picked[0].get("batch", 1)
    votes: dict[str, list[str]] = {}
    first = BATCH * (batch - 1) // SHEET
    for g in range(first + 1, first + len(picked) // SHEET + 1):
        for who in ("A", "B"):
            path = sheets / "labels" / f"group_{g}_{who}.jsonl"
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                row = json.loads(line)
                if row.get("label") not in LABELS:
                    raise ValueError(f"{path}:{n}: label {row.get('label')!r} is not one of {LABELS}")
                votes.setdefault(row["id"], []).append(row["label"])
    rows = [r for r in labelled_rows(dest) if r.get("batch", 1) != batch]
    for p in sorted(picked, key=lambda p: p["id"]):
        got = votes.get(p["id"], [])
        if len(got) != 2:
            raise ValueError(f"{p['id']} has {len(got)} label(s), expected 2 (one per annotator)")
        keep = {key: p.get(key, batch) for key in ("id", "line", "sha1", "country", "year", "stratum", "batch")}
        rows.append({**keep, "label": got[0] if got[0] == got[1] else None, "annotators": got})
    rows.sort(key=lambda r: r["id"])
    head = {
        "archive": "shared/data/ungd/sentences.jsonl.gz",
        "about": "Real UN General Debate sentences, each labelled by two annotators working alone "
        "(benchmarks/real_labels.py); label null where they disagreed (not trained on). Lines are 1-based; "
        "texts are read from the archive, never copied.",
    }
    body = ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
    dest.write_text(json.dumps(head, ensure_ascii=False)[:-1] + ',\n"rows": [\n' + body + "\n]}\n", encoding="utf-8")
    mine = [r for r in rows if r["batch"] == batch]
    counts = {lab: sum(r["label"] == lab for r in mine) for lab in LABELS}
    return {"batch": batch, "drawn": len(mine), "agreed": sum(r["label"] is not None for r in mine), **counts}


def measure(args: argparse.Namespace) -> None:
    """The rules of the module docstring, printed as they are applied."""
    shared = Path(args.shared)
    s = shipped_setup(args)
    lines = read_labelled_lines(LABELS_FILE, ungd_path(shared), labels=set(LABELS))
    p = s.preprocessor
    line_docs = [a.text for a in p.analyze(lines.texts)]
    line_read = [a.text for a in p.analyze(lines.texts, actors=lines.speakers)]
    line_y = np.asarray(lines.labels, dtype=object)
    print(f"{len(line_y)} labelled lines: { {lab: int((line_y == lab).sum()) for lab in LABELS} }")
    all_docs, all_y, w, fold, mask = _with_extras(s.docs, s.y, s.everything, s.background, s.framed)
    base_idx = fold[0][0]

    def fit(idx: np.ndarray, weight: float) -> AnalyzedStanceClassifier:
        docs = [all_docs[i] for i in base_idx] + [line_docs[i] for i in idx]
        return AnalyzedStanceClassifier().fit(
            docs,
            np.concatenate([all_y[base_idx], line_y[idx]]),
            sample_weight=np.concatenate([w[base_idx], np.full(len(idx), weight)]),
            vocab_mask=np.concatenate([mask[base_idx], np.ones(len(idx), dtype=bool)]),
        )

    base = fit(np.arange(0), 0.0)
    print("\n1. the weight, by 5-fold CV over the labelled lines (shipped recipe + the other lines)")
    base_lines = base.predict(line_read)
    per = f1_score(line_y, base_lines, average=None, labels=list(LABELS))
    print(
        f"  no lines (the shipped recipe): macro-F1 {macro(line_y, base_lines):.4f}  "
        + " ".join(f"{v:.3f}" for v in per)
    )
    parts = np.random.default_rng(0).permutation(len(line_y)) % 5
    jobs = [(weight, k) for weight in args.weights for k in range(5)]
    models = Parallel(n_jobs=args.jobs)(delayed(fit)(np.flatnonzero(parts != k), weight) for weight, k in jobs)
    best, best_score = None, -1.0
    for weight in args.weights:
        pred = np.empty(len(line_y), dtype=object)
        for (w_, k), model in zip(jobs, models, strict=True):
            if w_ == weight:
                pred[parts == k] = model.predict([line_read[i] for i in np.flatnonzero(parts == k)])
        score = macro(line_y, pred)
        per = f1_score(line_y, pred, average=None, labels=list(LABELS))
        print(f"  weight {weight:g}: macro-F1 {score:.4f}  " + " ".join(f"{v:.3f}" for v in per), flush=True)
        if score > best_score:
            best, best_score = weight, score
    print(f"  chosen weight: {best:g}")

    print("\n2. the audit (with speakers) and dev (printed only)")
    audit = load_audit(AUDIT, shared)
    dev_y, speech = s.dev_y, s.dev_speech
    rows = {}
    for name, model in (("shipped recipe", base), (f"+ lines at {best:g}", fit(np.arange(len(line_y)), best))):
        rows[name] = (np.asarray(model.predict(audit.texts, actors=audit.countries)), model.predict(s.dev_docs))
    base_audit = rows["shipped recipe"][0]
    for name, (pa, pd) in rows.items():
        per = f1_score(audit.y, pa, average=None, labels=list(LABELS))
        gain = "" if pa is base_audit else "  gain " + gain_text(audit.y, base_audit, pa)
        print(
            f"  {name:<22} audit {macro(audit.y, pa):.3f} ({' '.join(f'{v:.3f}' for v in per)}){gain}  "
            f"dev {macro(dev_y, pd):.3f} speech {macro(dev_y[speech], pd[speech]):.3f} "
            f"statements {macro(dev_y[~speech], pd[~speech]):.3f}",
            flush=True,
        )

    print("\n3. grouped CV on the corpus, the lines joining every training fold")
    bg_docs, bg_label, bg_weight = s.background
    n = len(bg_docs)
    with_lines = (
        list(bg_docs) + line_docs,
        [bg_label] * n + list(line_y),
        np.concatenate([np.full(n, bg_weight), np.full(len(line_y), best)]),
    )
    for name, extra in (("shipped recipe", s.background), (f"+ lines at {best:g}", with_lines)):
        pred, _ = cross_predict(s.docs, s.y, s.splits, extra, s.framed, s.read)
        per = f1_score(s.y, pred, average=None, labels=list(LABELS))
        print(f"  {name:<22} CV {macro(s.y, pred):.4f} ({' '.join(f'{v:.3f}' for v in per)})", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_path_options(ap)
    ap.add_argument("--draw", type=Path, metavar="DIR", help="draw the sentences and write the sheets into DIR")
    ap.add_argument("--batch", type=int, default=1, choices=sorted(SEEDS), help="which batch --draw draws")
    ap.add_argument("--collect", type=Path, metavar="DIR", help="collect the annotators' labels from DIR")
    ap.add_argument("--weights", type=float, nargs="+", default=[1.0, 2.0, 4.0], help="weights to choose among")
    ap.add_argument("--jobs", type=int, default=2, help="models fitted at once (default 2)")
    args = ap.parse_args()
    if args.draw:
        picked = draw(args.draw, args.batch, Path(args.shared))
        print(f"{len(picked)} sentences in {len(picked) // SHEET} sheets written to {args.draw}")
    elif args.collect:
        print(collect(args.collect))
    else:
        measure(args)


if __name__ == "__main__":
    main()
