"""Scores on real General Debate sentences labelled by us: a second real-speech yardstick.

    python benchmarks/real_speech.py [MODEL ...] [--genre W ...] [--labels FILE]
    python benchmarks/real_speech.py --draw DIR

Dev has 152 General Debate sentences, too few to tell candidates apart on the genre where
authored training text differs most from real text, and choosing by dev would be tuning to
it. ``data/ungd_audit.jsonl`` holds labels for 600 more, drawn from the archive's keyword
sentences (``../shared/data/ungd/sentences.jsonl.gz``): none sharing a word 6-gram with dev,
none in the pool background sentences come from, at most one per speech; 260 with a strong
status phrase (:data:`real_register.STRONG`), 220 naming a country or territory, 120 other.
Each was labelled by two annotators working alone from ``corpus/GUIDELINES.md`` (how they
were briefed is in ``benchmarks/README.md``); only the sentences both labelled alike are scored, as dev's
speech part was built. The file keeps each sentence's archive line and a SHA-1 prefix of its
text, never the text (the archive is read by path, never copied). Nothing trains on it.

For each model file (default: the shipped one) it prints macro-F1 and F1 per label on the
agreed sentences read with their speakers (the archive's ``country``) and as text alone,
macro-F1 per stratum, per period of the speeches (1946-1969, 1970-1989, 1990-2022) and per
sentence length (20 words or fewer, 21-35, more), and the gain over the first model with a paired bootstrap 95% interval
(2,000 resamples of the sentences). ``--genre W ...`` adds the genre-augmented candidate of
``genre.py`` (every sentence read as speech), trained on the corpus with the background at
each weight ``W``, after the shipped recipe refitted the same way.

``--draw DIR`` repeats the draw: it writes the 600 sentences, texts included, as two sheets of
300 for the annotators (``sheet_A.jsonl``, ``sheet_B.jsonl``) and ``picked.json`` into ``DIR``
(keep it outside the repository), and checks that they are the lines of the labels file.
The "named" stratum depends on the gazetteer, which has learnt names since (commit d73bd5e):
the draw repeats exactly with the code of commit ceafd41, where the labels were drawn.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
from real_register import STRONG
from recipe import LABELS, ROOT, SHARED, add_path_options, dev_texts, shipped_setup, ungd_path
from sklearn.metrics import f1_score

import stancekit
from stancekit.archive_labels import sha1_prefix
from stancekit.background import in_pool
from stancekit.plots import expected_calibration_error, reliability_bins
from stancekit.preprocess import Preprocessor
from stancekit.wordvectors import overlap_filter

AUDIT = ROOT / "benchmarks" / "data" / "ungd_audit.jsonl"
#: Periods of the speeches scored apart.
ERAS = ((1946, 1969), (1970, 1989), (1990, 2022))
#: Sentence lengths scored apart: column name, fewest and most words.
LENGTHS = (("<=20w", 0, 20), ("21-35w", 21, 35), (">35w", 36, 10_000))
#: The archive's keyword sentences (as ``keyword-sentences.jsonl`` selects them).
KEYWORDS = re.compile(
    r"territorial integrity|sovereign|secession|self-determination|recogni|independen|unilateral|annex"
    r"|one china|kosovo|crimea|taiwan|abkhazia|western sahara|cyprus",
    re.IGNORECASE,
)
#: Sentences drawn per stratum, and the seed of the draw.
STRATA = (("strong", 260), ("named", 220), ("other", 120))
SEED = 20261128


@dataclass
class Audit:
    """The agreed audit sentences: text, speaker code, label, stratum and year of each."""

    texts: list[str]
    countries: list[str | None]
    y: np.ndarray
    strata: np.ndarray
    years: np.ndarray

    @cached_property
    def words(self) -> np.ndarray:
        """The number of words of each sentence."""
        return np.array([len(t.split()) for t in self.texts])

    def length(self, shortest: int, longest: int) -> np.ndarray:
        """Which sentences have ``shortest`` to ``longest`` words."""
        return (self.words >= shortest) & (self.words <= longest)

    def era(self, first: int, last: int) -> np.ndarray:
        """Which sentences come from speeches of the years ``first`` to ``last``."""
        return (self.years >= first) & (self.years <= last)


def load_audit(path: Path = AUDIT, shared: Path = SHARED, first: bool = False) -> Audit:
    """The agreed sentences of ``path``, their texts read from the archive by line.

    With ``first``, the labels the sentences had before rounds 28 and 29 relabelled the
    Israel-Palestine and Namibia ones under the rules of ``corpus/GUIDELINES.md``
    (``first_label``), so that figures printed before them can be repeated.

    Raises
    ------
    ValueError
        If an archive line's text no longer matches the recorded SHA-1 prefix.
    """
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    key = "first_label" if first else "label"
    agreed = {r["line"]: r for r in rows if r.get(key, r["label"]) is not None}
    texts: dict[int, str] = {}
    with gzip.open(ungd_path(shared), "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i in agreed:
                texts[i] = json.loads(line)["text"]
    n = len(agreed)
    out = Audit([], [], np.empty(n, dtype=object), np.empty(n, dtype=object), np.zeros(n, dtype=int))
    for k, (i, r) in enumerate(sorted(agreed.items())):
        text = texts.get(i, "")
        if sha1_prefix(text, len(r["sha1"])) != r["sha1"]:
            raise ValueError(
                f"{path}: {r['id']} expects archive line {i} with SHA-1 {r['sha1']}, found another text; "
                f"is {ungd_path(shared)} the archive the labels were drawn from?"
            )
        out.texts.append(text)
        out.countries.append(r["country"])
        out.y[k], out.strata[k], out.years[k] = r.get(key, r["label"]), r["stratum"], r["year"]
    return out


def keyword_rows(shared: Path, skip: set[tuple[str, int]] = frozenset()) -> list[tuple[int, dict]]:
    """``(0-based line, row)`` of the archive's keyword sentences that a draw may take: none
    sharing a word 6-gram with dev, none in the background pool, none from a speech
    (country, year) in ``skip``; in archive order."""
    held = overlap_filter(dev_texts(shared))
    rows = []
    with gzip.open(ungd_path(shared), "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            r = json.loads(line)
            if (r["country"], r["year"]) in skip:
                continue
            if KEYWORDS.search(r["text"]) and not in_pool(r["text"]) and not held(r["text"]):
                rows.append((i, r))
    return rows


def stratified_draw(
    shared: Path,
    strata: tuple[tuple[str, int], ...],
    seed: int,
    rest_cap: int,
    skip: set[tuple[str, int]] = frozenset(),
    max_words: int | None = None,
) -> list[dict]:
    """Draw keyword sentences of the archive by stratum (the audit's draw, and ``real_labels.py``'s).

    Keyword sentences, none sharing a word 6-gram with dev nor in the background pool nor
    from a speech (country, year) in ``skip``, shuffled by ``seed``; strata in ``strata``'s
    order: "strong" (a strong status phrase), "named" (a country or territory named, among
    the first ``rest_cap`` others), "other"; at most one sentence per speech over all strata,
    of at most ``max_words`` words. Each picked row has its 0-based archive ``line``, ``id``
    and ``sha1``, in a shuffled order.
    """
    rows = keyword_rows(shared, skip)
    rng = random.Random(seed)
    rng.shuffle(rows)
    rest = [x for x in rows if not STRONG.search(x[1]["text"])][:rest_cap]
    named = [bool(a.mentions) for a in Preprocessor().analyze([r["text"] for _, r in rest])]
    pools = {
        "strong": [x for x in rows if STRONG.search(x[1]["text"])],
        "named": [x for x, n in zip(rest, named, strict=True) if n],
        "other": [x for x, n in zip(rest, named, strict=True) if not n],
    }
    picked: list[dict] = []
    speeches: set[tuple[str, int]] = set()
    for stratum, k in strata:
        taken = 0
        for i, r in pools[stratum]:
            if taken == k:
                break
            if (r["country"], r["year"]) not in speeches and (max_words is None or len(r["text"].split()) <= max_words):
                speeches.add((r["country"], r["year"]))
                picked.append(
                    {"line": i, "country": r["country"], "year": r["year"], "stratum": stratum, "text": r["text"]}
                )
                taken += 1
    rng.shuffle(picked)
    for p in picked:
        p["sha1"] = sha1_prefix(p["text"])
    return picked


def write_sheets(out: Path, picked: list[dict], names: list[tuple[str, int, int]]) -> None:
    """Write ``picked.json`` and one annotators' sheet per ``(name, first, last)`` slice into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "picked.json").write_text(json.dumps(picked), encoding="utf-8")
    for name, first, last in names:
        with open(out / name, "w", encoding="utf-8") as fh:
            for p in picked[first:last]:
                keep = {key: p[key] for key in ("id", "country", "year", "text")}
                fh.write(json.dumps(keep, ensure_ascii=False) + "\n")


def draw(out: Path, shared: Path = SHARED) -> list[dict]:
    """Draw the audit sentences again (:func:`stratified_draw` with :data:`STRATA` and
    :data:`SEED`, the others among the first 6,000) and write the annotators' sheets into ``out``."""
    picked = stratified_draw(shared, STRATA, SEED, 6000)
    for k, p in enumerate(picked):
        p["id"] = f"u{k + 1:03d}"
    write_sheets(out, picked, [("sheet_A.jsonl", 0, 300), ("sheet_B.jsonl", 300, 600)])
    return picked


def macro(y: np.ndarray, pred: np.ndarray) -> float:
    return float(f1_score(y, pred, average="macro", labels=list(LABELS), zero_division=0))


def bootstrap_gain(
    y: np.ndarray, base: np.ndarray, pred: np.ndarray, n: int = 2000, seed: int = 0
) -> tuple[float, float]:
    """The 2.5th and 97.5th percentiles of macro-F1(pred) - macro-F1(base) over resamples of the sentences."""
    rng = np.random.default_rng(seed)
    gains = []
    for _ in range(n):
        idx = rng.integers(0, len(y), len(y))
        gains.append(macro(y[idx], pred[idx]) - macro(y[idx], base[idx]))
    lo, hi = np.percentile(gains, [2.5, 97.5])
    return float(lo), float(hi)


def gain_text(y: np.ndarray, base: np.ndarray, pred: np.ndarray) -> str:
    """The macro-F1 gain of ``pred`` over ``base`` with its :func:`bootstrap_gain` interval, as
    ``+0.003 [-0.025, +0.032]``."""
    lo, hi = bootstrap_gain(y, base, pred)
    return f"{macro(y, pred) - macro(y, base):+.3f} [{lo:+.3f}, {hi:+.3f}]"


class Table:
    """Rows of scores, each compared with the first row read the same way."""

    def __init__(self, audit: Audit):
        self.audit, self.base = audit, None
        strata = sorted(set(audit.strata))
        print(
            f"{'model':<44}{'macro':>7}"
            + "".join(f"{lab:>9}" for lab in LABELS)
            + "".join(f"{s:>8}" for s in strata)
            + "".join(f"{f'{a}-{b % 100:02d}':>9}" for a, b in ERAS)
            + "".join(f"{name:>8}" for name, _, _ in LENGTHS)
            + f"{'gain':>8}{'95% interval':>18}"
        )
        self.strata = strata
        self.first: dict[str, np.ndarray] = {}

    def row(self, name: str, pred: np.ndarray, reading: str) -> None:
        a = self.audit
        per = f1_score(a.y, pred, average=None, labels=list(LABELS), zero_division=0)
        line = f"{name + ', ' + reading:<44}{macro(a.y, pred):>7.3f}" + "".join(f"{v:>9.3f}" for v in per)
        line += "".join(f"{macro(a.y[a.strata == s], pred[a.strata == s]):>8.3f}" for s in self.strata)
        line += "".join(f"{macro(a.y[a.era(*e)], pred[a.era(*e)]):>9.3f}" for e in ERAS)
        line += "".join(f"{macro(a.y[a.length(lo, hi)], pred[a.length(lo, hi)]):>8.3f}" for _, lo, hi in LENGTHS)
        base = self.first.setdefault(reading, pred)
        if base is not pred:
            lo, hi = bootstrap_gain(a.y, base, pred)
            line += f"{macro(a.y, pred) - macro(a.y, base):>+8.3f}{f'[{lo:+.3f}, {hi:+.3f}]':>18}"
        print(line, flush=True)


def genre_rows(table: Table, args: argparse.Namespace, weights: list[float]) -> None:
    """The shipped recipe refitted, then the genre-augmented candidate at each background weight."""
    from genre import Augmented, Plain, training_docs

    s = shipped_setup(args)
    a = table.audit
    docs = [x.text for x in s.preprocessor.analyze(a.texts, actors=a.countries)]
    as_speech = np.ones(len(docs))
    training, ((tr, _),), _ = training_docs(s, s.everything)
    table.row("shipped recipe refitted", np.asarray(Plain().fit(training.take(tr)).predict(docs, as_speech)), "refit")
    bg_docs, label, _ = s.background
    for weight in weights:
        training, ((tr, _),), _ = training_docs(s, s.everything, (bg_docs, label, weight))
        pred = Augmented().fit(training.take(tr)).predict(docs, as_speech)
        table.row(f"genre-augmented, background {weight:g}", np.asarray(pred), "refit")


def calibration_text(proba: np.ndarray, correct: np.ndarray) -> str:
    """Mean confidence, accuracy and expected calibration error (ten bins), as ``stancekit evaluate``."""
    confidence = proba.max(axis=1)
    ece = expected_calibration_error(reliability_bins(confidence, correct))
    return f"mean confidence {confidence.mean():.3f}, accuracy {correct.mean():.3f}, ECE {ece:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="*", default=["default"], help="model files or names (default: the shipped one)")
    ap.add_argument("--labels", type=Path, default=AUDIT, help="the audit labels (default: data/ungd_audit.jsonl)")
    ap.add_argument(
        "--first-labels",
        action="store_true",
        help="score with the labels before the Palestine and Namibia rules (figures printed before them)",
    )
    ap.add_argument(
        "--genre", type=float, nargs="+", metavar="W", help="add the genre-augmented candidate at these weights"
    )
    add_path_options(ap)
    ap.add_argument("--draw", type=Path, metavar="DIR", help="draw the sentences again and write the sheets to DIR")
    args = ap.parse_args()
    if args.draw:
        picked = draw(args.draw, Path(args.shared))
        recorded = {json.loads(line)["id"]: json.loads(line)["line"] for line in args.labels.open(encoding="utf-8")}
        same = sum(recorded.get(p["id"]) == p["line"] for p in picked)
        print(f"{len(picked)} sentences written to {args.draw}; {same} are the labels file's lines")
        if same < len(picked):
            print("(the gazetteer has changed since the draw: run this at commit ceafd41 to repeat it exactly)")
        return
    audit = load_audit(args.labels, Path(args.shared), first=args.first_labels)
    counts = {lab: int(np.sum(audit.y == lab)) for lab in LABELS}
    print(f"{len(audit.y)} agreed sentences: {counts}")
    table = Table(audit)
    calibration = []
    for reading in ("with speakers", "text alone"):
        for name in args.models:
            model = stancekit.load(name)
            actors = audit.countries if reading == "with speakers" else None
            proba = model.predict_proba(audit.texts, actors=actors)
            pred = np.asarray(model.classes_)[proba.argmax(axis=1)]
            table.row(Path(name).stem, pred, reading)
            calibration.append((Path(name).stem, reading, calibration_text(proba, pred == audit.y)))
    for name, reading, text in calibration:
        print(f"calibration, {name}, {reading}: {text}")
    if args.genre:
        genre_rows(table, args, args.genre)


if __name__ == "__main__":
    main()
