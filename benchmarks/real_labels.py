"""Real General Debate sentences labelled by us, as training data: draw, collect, measure.

    python benchmarks/real_labels.py --draw DIR        # the sentences and the annotators' sheets
    python benchmarks/real_labels.py --collect DIR     # their labels into corpus/ungd_labels.json
    python benchmarks/real_labels.py [--weights 1 2 4] # the measurement below
    python benchmarks/real_labels.py --compare FILE    # batch 4's rule

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
speech. Written as four sheets of 300 for two annotators each. Three batches so far (session
19): batches 1 and 2 (2,400 sentences, 2,312 agreed) are ``corpus/ungd_labels.json``; batch 3
(1,200, 1,158 agreed) waits in ``corpus/ungd_labels_pending.json`` (``--collect DIR --dest``
it): with it, weight 4 cost 0.0049 of corpus CV, and the rule below, re-run on all three
(``--merge-pending`` and ``--lines``), picks weight 2, whose audit (0.647) is no better than
the shipped model's two batches at weight 4 (0.659 in the same kind of run).

**Collecting** (``--collect DIR``): both annotators' labels of every row go into the file; the
label is the one they agree on, or null where they disagree (training skips those rows, as the
audit and dev's speech part keep only agreed sentences).

**The measurement** (no option): for the shipped recipe alone and with the lines at each of
``--weights`` (1, 2, 4):

1. 5-fold cross-validation over the lines themselves (each fold trains the shipped recipe plus
   the other lines and scores its lines read with their speakers);
2. grouped CV on the corpus, the lines joining every training fold;
3. the audit (with speakers; its paired bootstrap gain) and dev, printed.

Rule, fixed before the second run: the weight with the best score in 1 among those whose
corpus CV falls no more than 0.003; it replaces the shipped recipe if its audit macro-F1 rises
at least 0.02 with an interval above 0. Dev is printed, never used to choose. (The first run's
rule chose the weight by 1 alone, then tested audit and CV: weight 4 gained 0.062 on the audit
[+0.028, +0.096] but cost 0.0056 of corpus CV, and failed it.)

**Batch 4, drawn by uncertainty** (session 20; ``--draw DIR --batch 4``): batch 3 showed that
more sentences drawn like the first two add nothing, so batch 4 takes the sentences the shipped
model is least sure of (:func:`uncertain_draw`: the smallest margin between its two most probable
labels among 40,000 shuffled keyword sentences of 8 to 120 words, same exclusions, one per
speech), labelled as batch 3 was (``real_labels_brief.md``), collected into
``corpus/ungd_labels_uncertain.json``. ``--compare FILE`` measures the shipped lines against the
shipped lines plus ``FILE``'s, both at the shipped weight: grouped CV on the corpus (the lines
joining every training fold), the audit with its paired bootstrap gain, dev printed. Rule, fixed
before batch 4 was labelled: the batch joins the shipped lines if the audit rises at least 0.02
with an interval above 0 and the corpus CV falls no more than 0.003. Result (1,148 agreed of
1,200, kappa 0.938): corpus CV 0.8631 -> 0.8590, audit 0.659 -> 0.659 (+0.000 [-0.026,
+0.025]); dev, printed only, 0.789 -> 0.779 (speech 0.758 -> 0.777, statements 0.798 -> 0.768).
It fails on both counts and stays out of the shipped lines, like batch 3.

**The rule re-run at round 52** (session 27; no option, the round-52 corpus): weight 4's
corpus-CV cost had grown past the guard (0.0040). Lines 0.6131 / 0.6729 / 0.6769 / 0.6830 and
corpus CV 0.8678 / 0.8678 / 0.8662 / 0.8638 without the lines and at weights 1, 2, 4; audit
0.6055 / 0.6572 / 0.6610 / 0.6669. Weight 2 is chosen (within the guard, best lines of the
two that are) and gains 0.056 [+0.022, +0.090] on the audit: the shipped recipe moves to
weight 2 (:data:`recipe.LABELLED_LINES_WEIGHT`). Corpus rounds from 53 on measure their guard
with ``--weights 2``.

**Batches 3 and 4 again** (session 28, rule written before the runs): the corpus has grown by
rounds 38 to 52 and the shipped weight is now 2, so both waiting batches are measured again with
``--compare`` (each against the shipped lines, at weight 2, on the round-52 corpus), under batch
4's rule unchanged: a batch joins the shipped lines if the audit rises at least 0.02 with an
interval above 0 and the corpus CV falls no more than 0.003. If both pass, the one with the
larger audit gain joins (the other is then measured on top of it under the same rule).
Result: batch 3 (3,470 lines in all) corpus CV 0.8662 -> 0.8671, audit 0.661 -> 0.651 (-0.010
[-0.033, +0.012]); batch 4 (3,460) corpus CV 0.8662 -> 0.8657, audit 0.661 -> 0.657 (-0.004
[-0.031, +0.020]); dev, printed only, 0.795 -> 0.780 and 0.784. Neither rises on the audit:
both stay out, and the shipped lines are unchanged.

``--pilot`` repeats the pilot run before any labelling (the audit cross-fitted in two halves:
0.597 -> 0.615 / 0.619 / 0.624 at weights 1 / 2 / 4, every interval reaching 0).
``--merge-pending OUT`` writes the shipped and pending rows into one file for ``--lines OUT``.

``--relabel DIR --reason TEXT`` applies a relabelling pass (two annotators again on chosen rows;
:func:`relabel`).
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from joblib import Parallel, delayed
from real_speech import AUDIT, Audit, gain_text, keyword_rows, load_audit, macro, stratified_draw, write_sheets
from recipe import (
    LABELLED_LINES,
    LABELS,
    SHARED,
    Setup,
    add_path_options,
    dev_records,
    labelled_lines_docs,
    shipped_setup,
    with_labelled_lines,
)
from sklearn.metrics import f1_score

import stancekit
from stancekit.archive_labels import sha1_prefix
from stancekit.train import AnalyzedStanceClassifier, _with_extras

LABELS_FILE = LABELLED_LINES
#: Batches labelled but not yet in the shipped recipe (``--collect DIR --dest`` this file).
PENDING_FILE = LABELLED_LINES.with_name("ungd_labels_pending.json")
STRATA = (("strong", 560), ("named", 440), ("other", 200))
#: The seed of each batch's draw, and the sentences a batch draws.
SEEDS = {1: 20261129, 2: 20261130, 3: 20261131, 4: 20261201}
#: Batches drawn by the shipped model's uncertainty instead of by strata (:func:`uncertain_draw`).
UNCERTAIN = frozenset({4})
#: The shuffled keyword sentences an uncertainty draw reads, and the fewest words they have.
UNCERTAIN_POOL = 40_000
MIN_WORDS = 8
#: Where the uncertainty batch's labels are collected (``--collect DIR --dest`` it).
UNCERTAIN_FILE = LABELLED_LINES.with_name("ungd_labels_uncertain.json")
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


def drawn_rows() -> list[dict]:
    """Every row drawn so far: the shipped file's and the pending batches'."""
    return labelled_rows(LABELS_FILE) + labelled_rows(PENDING_FILE)


def draw(out: Path, batch: int = 1, shared: Path = SHARED) -> list[dict]:
    """Draw batch ``batch`` (module docstring) and write its sheets into ``out``."""
    skip = blocked_speeches(shared) | {(r["country"], r["year"]) for r in drawn_rows() if r.get("batch", 1) < batch}
    if batch in UNCERTAIN:
        picked = uncertain_draw(shared, SEEDS[batch], BATCH, skip)
    else:
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


def uncertain_draw(shared: Path, seed: int, n: int, skip: set[tuple[str, int]]) -> list[dict]:
    """The ``n`` keyword sentences the shipped model is least sure of, at most one per speech.

    :func:`real_speech.keyword_rows` outside ``skip``, of ``MIN_WORDS`` to ``MAX_WORDS`` words,
    shuffled by ``seed``; the first :data:`UNCERTAIN_POOL` are read by the shipped model with
    their speakers and taken in order of the margin between its two most probable labels,
    smallest first. Rows as :func:`real_speech.stratified_draw` gives them (stratum
    ``"uncertain"``), with the ``margin``, in a shuffled order.
    """
    rows = [x for x in keyword_rows(shared, skip) if MIN_WORDS <= len(x[1]["text"].split()) <= MAX_WORDS]
    rng = random.Random(seed)
    rng.shuffle(rows)
    rows = rows[:UNCERTAIN_POOL]
    results = stancekit.classify([r["text"] for _, r in rows], actors=[r["country"] for _, r in rows])
    margins = [float(np.diff(sorted(res.scores.values()))[-1]) for res in results]
    picked: list[dict] = []
    speeches: set[tuple[str, int]] = set()
    for k in np.argsort(margins, kind="stable"):
        i, r = rows[k]
        if (r["country"], r["year"]) in speeches:
            continue
        speeches.add((r["country"], r["year"]))
        keep = {"line": i, "country": r["country"], "year": r["year"], "stratum": "uncertain", "text": r["text"]}
        picked.append({**keep, "margin": round(margins[k], 4)})
        if len(picked) == n:
            break
    rng.shuffle(picked)
    for p in picked:
        p["sha1"] = sha1_prefix(p["text"])
    return picked


def write_rows(dest: Path, head: dict, rows: list[dict]) -> None:
    """Write a labelled-lines file: ``head``'s fields, then ``rows``, one row per line."""
    body = ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
    dest.write_text(json.dumps(head, ensure_ascii=False)[:-1] + ',\n"rows": [\n' + body + "\n]}\n", encoding="utf-8")


def merged(dest: Path) -> int:
    """Write the shipped rows and the pending batches' into one file ``dest`` (for ``--lines``)."""
    rows = drawn_rows()
    write_rows(dest, {"about": f"{LABELS_FILE.name} and {PENDING_FILE.name} together"}, rows)
    return len(rows)


def recipe_plus(s: Setup, docs: list[str], y: np.ndarray) -> Callable[[np.ndarray, float], AnalyzedStanceClassifier]:
    """A function ``fit(idx, weight)``: the shipped recipe of ``s`` (every statement, its framed
    copies, the background) fitted with the documents ``docs[idx]`` (labels ``y[idx]``) at ``weight``."""
    all_docs, all_y, w, fold, mask = _with_extras(s.docs, s.y, s.everything, s.background, s.framed)
    base = fold[0][0]

    def fit(idx: np.ndarray, weight: float) -> AnalyzedStanceClassifier:
        return AnalyzedStanceClassifier().fit(
            [all_docs[i] for i in base] + [docs[i] for i in idx],
            np.concatenate([all_y[base], y[idx]]),
            sample_weight=np.concatenate([w[base], np.full(len(idx), weight)]),
            vocab_mask=np.concatenate([mask[base], np.ones(len(idx), dtype=bool)]),
        )

    return fit


def pilot(args: argparse.Namespace) -> None:
    """The pilot before any labelling: the audit cross-fitted in two halves (each half trained
    on at each weight, the other scored), against the shipped recipe without it."""
    s = shipped_setup(args)
    audit = load_audit(AUDIT, Path(args.shared))
    train_docs = [a.text for a in s.preprocessor.analyze(audit.texts)]
    read = [a.text for a in s.preprocessor.analyze(audit.texts, actors=audit.countries)]
    half = np.random.default_rng(0).permutation(len(audit.y)) % 2
    fit = recipe_plus(s, train_docs, audit.y)
    base = fit(np.arange(0), 0.0).predict(read)
    print(f"shipped recipe: audit {macro(audit.y, base):.3f}")
    for weight in args.weights:
        pred = np.empty(len(audit.y), dtype=object)
        for h in (0, 1):
            model = fit(np.flatnonzero(half == h), weight)
            pred[half != h] = model.predict([read[i] for i in np.flatnonzero(half != h)])
        print(
            f"+ the other half at weight {weight:g}: audit {macro(audit.y, pred):.3f}  gain "
            + gain_text(audit.y, base, pred)
        )


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
    write_rows(dest, head, rows)
    mine = [r for r in rows if r["batch"] == batch]
    counts = {lab: sum(r["label"] == lab for r in mine) for lab in LABELS}
    return {"batch": batch, "drawn": len(mine), "agreed": sum(r["label"] is not None for r in mine), **counts}


def relabel(folder: Path, reason: str, dest: Path = LABELS_FILE) -> dict[str, int]:
    """Apply a relabelling pass: ``folder/sheet.jsonl`` (the rows looked at again) and
    ``labels_A.jsonl`` / ``labels_B.jsonl`` (two annotators); each row's label becomes the one
    they agree on, or null, and keeps its first labels (``first_label``, ``first_annotators``)."""
    ids = [json.loads(x)["id"] for x in (folder / "sheet.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    votes: dict[str, list[str]] = {}
    for who in ("A", "B"):
        path = folder / f"labels_{who}.jsonl"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                if row.get("label") not in LABELS:
                    raise ValueError(f"{path}:{n}: label {row.get('label')!r} is not one of {LABELS}")
                votes.setdefault(row["id"], []).append(row["label"])
    doc = json.loads(dest.read_text(encoding="utf-8"))
    moved = {"looked at": len(ids), "changed": 0, "agreed": 0}
    for r in doc["rows"]:
        if r["id"] not in ids:
            continue
        got = votes.get(r["id"], [])
        if len(got) != 2:
            raise ValueError(f"{r['id']} has {len(got)} new label(s), expected 2")
        new = got[0] if got[0] == got[1] else None
        r.setdefault("first_label", r["label"])
        r.setdefault("first_annotators", r["annotators"])
        moved["agreed"] += new is not None
        moved["changed"] += new != r["label"]
        r.update(label=new, annotators=got, relabelled=reason)
    write_rows(dest, {k: v for k, v in doc.items() if k != "rows"}, doc["rows"])
    return moved


def fit_fold(
    s: Setup, k: int, make: Callable[[], AnalyzedStanceClassifier] = AnalyzedStanceClassifier, everything: bool = False
) -> tuple[AnalyzedStanceClassifier, np.ndarray]:
    """``make()`` fitted as the recipe of ``s`` fits (its background and any lines joined to
    it) on grouped training fold ``k`` of the corpus, or on every statement; and the indices
    of the statements it held out."""
    docs, y, wt, folds, m = _with_extras(s.docs, s.y, s.everything if everything else s.splits, s.background, s.framed)
    tr, te = folds[k]
    return make().fit([docs[i] for i in tr], y[tr], sample_weight=wt[tr], vocab_mask=m[tr]), te


def fold_predict(
    s: Setup, k: int, make: Callable[[], AnalyzedStanceClassifier] = AnalyzedStanceClassifier
) -> np.ndarray:
    """:func:`fit_fold`'s model's predictions for the statements of fold ``k``, read with speakers."""
    model, te = fit_fold(s, k, make)
    return model.predict([s.read[i] for i in te])


def compare(args: argparse.Namespace) -> None:
    """Batch 4's rule (module docstring): the shipped lines, and with ``args.compare``'s rows too."""
    shared = Path(args.shared)
    s = shipped_setup(args)
    p = s.preprocessor
    with tempfile.TemporaryDirectory() as tmp:
        both = Path(tmp) / "both.json"
        write_rows(
            both, {"about": "shipped and compared rows"}, labelled_rows(LABELS_FILE) + labelled_rows(args.compare)
        )
        sets = {"shipped lines": LABELS_FILE, f"+ {args.compare.name}": both}
        lines = {name: labelled_lines_docs(p, shared, path) for name, path in sets.items()}
    setups = {name: (with_labelled_lines(s, docs, y), AnalyzedStanceClassifier) for name, (docs, y, _) in lines.items()}
    for name, cv, text in candidate_rows(setups, shared, args.jobs):
        print(f"  {name:<34} {len(lines[name][1])} lines  corpus CV {cv:.4f}  {text}", flush=True)


Candidate = tuple[Setup, Callable[[], AnalyzedStanceClassifier]]


def candidate_rows(candidates: dict[str, Candidate], shared: Path, jobs: int) -> list[tuple[str, float, str]]:
    """For each candidate (its recipe and the maker of its model, on one corpus and its folds):
    its name, grouped CV over the corpus, and :func:`audit_dev_text` for the model fitted on
    every statement (the audit's gain is over the first candidate's)."""
    fold_jobs = [(name, k) for name, (s, _) in candidates.items() for k in range(len(s.splits))]
    preds = Parallel(n_jobs=jobs)(delayed(fold_predict)(candidates[n][0], k, candidates[n][1]) for n, k in fold_jobs)
    full = [
        model
        for model, _ in Parallel(n_jobs=jobs)(
            delayed(fit_fold)(s, 0, make, everything=True) for s, make in candidates.values()
        )
    ]
    first = next(iter(candidates.values()))[0]
    audit = load_audit(AUDIT, shared)
    audit_docs = [a.text for a in first.preprocessor.analyze(audit.texts, actors=audit.countries)]
    audit_preds = [np.asarray(model.predict(audit_docs)) for model in full]
    rows = []
    for (name, (s, _)), model, pa in zip(candidates.items(), full, audit_preds, strict=True):
        cv = out_of_fold(s, fold_jobs, preds, name)
        rows.append((name, macro(s.y, cv), audit_dev_text(s, audit, pa, audit_preds[0], model.predict(s.dev_docs))))
    return rows


def out_of_fold(s: Setup, jobs: list[tuple[Any, int | None]], preds: list[Any], key: Any) -> np.ndarray:
    """The corpus's out-of-fold predictions of candidate ``key``, from the ``(candidate, fold)``
    of each job and its predictions (jobs with fold None, full fits, are passed by)."""
    cv = np.empty(len(s.y), dtype=object)
    for (name, k), got in zip(jobs, preds, strict=True):
        if name == key and k is not None:
            cv[s.splits[k][1]] = got
    return cv


def audit_dev_text(s: Setup, audit: Audit, pred: np.ndarray, base: np.ndarray, dev_pred: np.ndarray) -> str:
    """Audit macro-F1 (per label), its gain over ``base`` unless ``pred`` is ``base``, and dev's
    macro-F1 overall, on speech and on statements (printed only)."""
    per = " ".join(f"{v:.3f}" for v in f1_score(audit.y, pred, average=None, labels=list(LABELS)))
    gain = "" if pred is base else "  gain " + gain_text(audit.y, base, pred)
    dev_y, speech = s.dev_y, s.dev_speech
    return (
        f"audit {macro(audit.y, pred):.3f} ({per}){gain}  dev {macro(dev_y, dev_pred):.3f} "
        f"speech {macro(dev_y[speech], dev_pred[speech]):.3f} statements {macro(dev_y[~speech], dev_pred[~speech]):.3f}"
    )


def measure(args: argparse.Namespace) -> None:
    """The rules of the module docstring, printed as they are applied."""
    shared = Path(args.shared)
    s = shipped_setup(args)
    p = s.preprocessor
    line_docs, line_y, lines = labelled_lines_docs(p, shared, args.lines)
    line_read = [a.text for a in p.analyze(lines.texts, actors=lines.speakers)]
    print(f"{len(line_y)} labelled lines: { {lab: int((line_y == lab).sum()) for lab in LABELS} }")
    fit = recipe_plus(s, line_docs, line_y)

    def cv_fold(weight: float, k: int) -> np.ndarray:
        return fold_predict(s if weight == 0 else with_labelled_lines(s, line_docs, line_y, weight), k)

    weights = [0.0, *args.weights]
    parts = np.random.default_rng(0).permutation(len(line_y)) % 5
    line_jobs = [(0.0, -1)] + [(weight, k) for weight in args.weights for k in range(5)]
    cv_jobs = [(weight, k) for weight in weights for k in range(len(s.splits))]
    models = Parallel(n_jobs=args.jobs)(
        delayed(fit)(np.flatnonzero(parts != k) if weight else np.arange(0), weight) for weight, k in line_jobs
    )
    cv_preds = Parallel(n_jobs=args.jobs)(delayed(cv_fold)(weight, k) for weight, k in cv_jobs)
    line_score, cv_score = {}, {}
    print("\n1. 5-fold CV over the labelled lines (the shipped recipe + the other lines; read with speakers)")
    print("   and 2. grouped CV on the corpus (the lines joining every training fold)")
    for weight in weights:
        pred = np.empty(len(line_y), dtype=object)
        for (w_, k), model in zip(line_jobs, models, strict=True):
            if w_ == weight:
                at = np.flatnonzero(parts == k) if k >= 0 else np.arange(len(line_y))
                pred[at] = model.predict([line_read[i] for i in at])
        cv = np.empty(len(s.y), dtype=object)
        for (w_, k), got in zip(cv_jobs, cv_preds, strict=True):
            if w_ == weight:
                cv[s.splits[k][1]] = got
        line_score[weight], cv_score[weight] = macro(line_y, pred), macro(s.y, cv)
        per = " ".join(f"{v:.3f}" for v in f1_score(line_y, pred, average=None, labels=list(LABELS)))
        cv_per = " ".join(f"{v:.3f}" for v in f1_score(s.y, cv, average=None, labels=list(LABELS)))
        name = "no lines (shipped recipe)" if weight == 0 else f"lines at weight {weight:g}"
        print(f"  {name:<26} lines {line_score[weight]:.4f} ({per})  corpus CV {cv_score[weight]:.4f} ({cv_per})")
    eligible = [x for x in args.weights if cv_score[x] >= cv_score[0.0] - 0.003]
    best = max(eligible, key=lambda x: line_score[x]) if eligible else None
    print(f"  weights within 0.003 of the corpus CV: {eligible or 'none'}; chosen: {best}")

    print("\n3. the audit (with speakers) and dev (printed only)")
    audit = load_audit(AUDIT, shared)
    dev_y, speech = s.dev_y, s.dev_speech
    audit_docs = [a.text for a in p.analyze(audit.texts, actors=audit.countries)]
    full = [models[0], *Parallel(n_jobs=args.jobs)(delayed(fit)(np.arange(len(line_y)), x) for x in args.weights)]
    base_audit = np.asarray(full[0].predict(audit_docs))
    for weight, model in zip(weights, full, strict=True):
        pa, pd = np.asarray(model.predict(audit_docs)), model.predict(s.dev_docs)
        per = f1_score(audit.y, pa, average=None, labels=list(LABELS))
        gain = "" if weight == 0 else "  gain " + gain_text(audit.y, base_audit, pa)
        name = "no lines (shipped recipe)" if weight == 0 else f"lines at weight {weight:g}"
        mark = " <- chosen" if weight == best else ""
        print(
            f"  {name:<26} audit {macro(audit.y, pa):.4f} ({' '.join(f'{v:.3f}' for v in per)}){gain}  "
            f"dev {macro(dev_y, pd):.3f} speech {macro(dev_y[speech], pd[speech]):.3f} "
            f"statements {macro(dev_y[~speech], pd[~speech]):.3f}{mark}",
            flush=True,
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_path_options(ap)
    ap.add_argument("--draw", type=Path, metavar="DIR", help="draw the sentences and write the sheets into DIR")
    ap.add_argument("--batch", type=int, default=1, choices=sorted(SEEDS), help="which batch --draw draws")
    ap.add_argument("--collect", type=Path, metavar="DIR", help="collect the annotators' labels from DIR")
    ap.add_argument(
        "--dest", type=Path, default=LABELS_FILE, help="the file --collect writes (default: the shipped one)"
    )
    ap.add_argument("--weights", type=float, nargs="+", default=[1.0, 2.0, 4.0], help="weights to choose among")
    ap.add_argument("--relabel", type=Path, metavar="DIR", help="apply a relabelling pass from DIR (see relabel())")
    ap.add_argument("--merge-pending", type=Path, metavar="OUT", help="write shipped and pending rows into OUT")
    ap.add_argument("--pilot", action="store_true", help="the pilot: the audit cross-fitted in halves (--weights)")
    ap.add_argument("--reason", default="", help="why the rows of --relabel were looked at again")
    ap.add_argument(
        "--lines",
        type=Path,
        default=LABELS_FILE,
        help="the labelled lines to measure (default: the shipped file; e.g. one merged with the pending batch)",
    )
    ap.add_argument("--compare", type=Path, metavar="FILE", help="batch 4's rule: the shipped lines vs. with FILE's")
    ap.add_argument("--jobs", type=int, default=2, help="models fitted at once (default 2)")
    args = ap.parse_args()
    if args.draw:
        picked = draw(args.draw, args.batch, Path(args.shared))
        print(f"{len(picked)} sentences in {len(picked) // SHEET} sheets written to {args.draw}")
    elif args.collect:
        print(collect(args.collect, args.dest))
    elif args.relabel:
        print(relabel(args.relabel, args.reason))
    elif args.merge_pending:
        print(f"{merged(args.merge_pending)} rows written to {args.merge_pending}")
    elif args.pilot:
        pilot(args)
    elif args.compare:
        compare(args)
    else:
        measure(args)


if __name__ == "__main__":
    main()
