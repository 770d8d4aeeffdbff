"""The model card: what a model was trained on, with what, and how well it scores.

:func:`sources_summary` describes the corpora (each file with its own SHA-256 and
counts by label); :func:`format_card` renders a card as the text ``stancekit info``
prints. The card itself is a plain JSON-serialisable dict stored in the model file's
header, so it can be read without unpickling the model.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .corpus import Record, corpus_digest

__all__ = ["file_sha256", "format_card", "format_metrics", "format_training", "sources_summary"]


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes, read in chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sources_summary(records: Iterable[Record]) -> list[dict[str, Any]]:
    """One entry per source file (or in-memory record list), in the order first seen.

    Parameters
    ----------
    records : iterable of Record
        The records as read, before duplicates are merged.

    Returns
    -------
    list of dict
        ``path``, ``sha256`` (of the file's bytes; for in-memory records, the
        :func:`~stancekit.corpus.corpus_digest` of their texts and labels), ``n`` and
        ``by_label``.
    """
    groups: dict[str, list[Record]] = {}
    for r in records:
        groups.setdefault(r.path, []).append(r)
    out = []
    for path, recs in groups.items():
        p = Path(path)
        digest = file_sha256(p) if p.is_file() else corpus_digest(recs)
        out.append(
            {
                "path": path,
                "sha256": digest,
                "n": len(recs),
                "by_label": dict(sorted(Counter(r.label for r in recs).items())),
            }
        )
    return out


def _f1_line(per_class: dict[str, float]) -> str:
    return "  ".join(f"{k} {v:.3f}" for k, v in per_class.items())


def _metrics_lines(title: str, m: dict[str, Any]) -> list[str]:
    lines = [f"{title}: macro-F1 {m['macro_f1']:.3f} on {m.get('n', '?')} statements"]
    if m.get("per_class_f1"):
        lines.append(f"  per-class F1: {_f1_line(m['per_class_f1'])}")
    for name, part in m.get("parts", {}).items():
        lines.append(f"  [{name}] n={part['n']} macro-F1 {part['macro_f1']:.3f}")
    return lines


def format_card(card: dict[str, Any]) -> str:
    """The model card as plain text: labels, corpora, parameters, metrics, versions.

    Parameters
    ----------
    card : dict
        A model card (``StanceModel.card`` or the ``card`` of a model file's header).

    Returns
    -------
    str
    """
    lines = [f"labels: {', '.join(card.get('labels', []))}"]
    corpus = card.get("corpus") or {}
    if corpus:
        merged = corpus.get("merged_duplicates", 0)
        near = corpus.get("merged_near_duplicates", 0)
        lines.append(
            f"corpus: {corpus.get('n')} statements {corpus.get('by_label')} "
            f"(merged {merged} duplicate(s), {near} near-duplicate(s)); digest {str(corpus.get('digest'))[:12]}"
        )
        for f in corpus.get("files", []):
            lines.append(f"  {f['path']}  sha256 {f['sha256'][:12]}  n={f['n']}  {f['by_label']}")
    params = card.get("params")
    if params:
        lines.append("parameters: " + ", ".join(f"{k}={v}" for k, v in params.items()))
    if "seed" in card:
        lines.append(f"seed: {card['seed']}")
    if card.get("vectors"):
        v = card["vectors"]
        digest = f", sha256 {v['sha256'][:12]}" if v.get("sha256") else ""
        lines.append(f"word vectors: {v['source']} ({v['words']} words x {v['dim']}{digest})")
    if card.get("background"):
        lines.append("background: " + background_line(card["background"]))
    if card.get("labelled_lines"):
        lines.append("labelled lines: " + labelled_lines_line(card["labelled_lines"]))
    if card.get("frames"):
        lines.append("framed copies: " + frames_line(card["frames"]))
    if card.get("speakers"):
        lines.append("trained with speakers: " + speakers_line(card["speakers"]))
    search = card.get("search")
    if search:
        lines.append(
            f"search ({search['scheme']}): best {search['best_params']} mean macro-F1 {search['best_score']:.3f} "
            f"over {search['n_candidates']} candidates; grid {search['grid']}"
        )
    if "cv" in card:
        lines += _metrics_lines(f"cross-validation ({card['cv']['scheme']})", card["cv"])
        if card["cv"].get("note"):
            lines.append(f"  note: {card['cv']['note']}")
    if "eval" in card:
        ev = card["eval"]
        lines += _metrics_lines(f"evaluation on {_paths(ev.get('paths', []))}", ev)
        if ev.get("text_only"):
            lines.append(text_only_line(ev))
        for f in ev.get("files", []):
            lines.append(f"  {f['path']}  sha256 {f['sha256'][:12]}  n={f['n']}")
        if ev.get("overlap"):
            lines.append(f"  WARNING: {ev['overlap']['n']} evaluation statement(s) overlap the training data")
    if card.get("train_seconds") is not None:
        lines.append(f"training time: {card['train_seconds']} s")
    if card.get("versions"):
        lines.append("versions: " + ", ".join(f"{k} {v}" for k, v in card["versions"].items()))
    return "\n".join(lines)


def format_metrics(title: str, m: dict[str, Any]) -> str:
    """A table of a card's metrics (``cv`` or ``eval``): macro-F1, accuracy, per-class P/R/F1."""
    acc = f"   accuracy {m['accuracy']:.3f}" if "accuracy" in m else ""
    lines = [f"{title}: {m['n']} statements   macro-F1 {m['macro_f1']:.3f}{acc}"]
    per = m.get("per_class")
    if per:
        lines.append(f"  {'label':<14}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}")
        for label, c in per.items():
            lines.append(
                f"  {label:<14}{c['precision']:>10.3f}{c['recall']:>10.3f}{c['f1']:>10.3f}{int(c['support']):>10d}"
            )
    elif m.get("per_class_f1"):
        lines.append(f"  per-class F1: {_f1_line(m['per_class_f1'])}")
    for name, part in m.get("parts", {}).items():
        lines.append(f"  [{name}] n={part['n']} macro-F1 {part['macro_f1']:.3f}")
    return "\n".join(lines)


def background_line(bg: dict[str, Any]) -> str:
    """One line on the background sentences of a card (:mod:`stancekit.background`)."""
    skipped = f", {bg['unreadable']} unreadable row(s) skipped" if bg.get("unreadable") else ""
    return (
        f"{bg['n']} plain sentences as {bg['label']!r} (weight {bg.get('weight', 1.0):g}) from {_paths(bg['sources'])} "
        f"(seed {bg['seed']}, 1 row in {bg['pool']} eligible, {bg['held_out']} held out for overlapping "
        f"the evaluation data, {bg['examined']} examined{skipped}); {bg['digest']}"
    )


def labelled_lines_line(ll: dict[str, Any]) -> str:
    """One line on the labelled archive lines of a card (:mod:`stancekit.archive_labels`)."""
    return (
        f"{ll['n']} real sentences {ll['by_label']} (weight {ll['weight']:g}) labelled in {ll['path']}"
        + (f" ({ll['skipped']} rows with no label skipped)" if ll.get("skipped") else "")
        + f", read from {ll['archive']}; {ll['digest']}"
    )


def speakers_line(sp: dict[str, Any]) -> str:
    """One line on reading the training statements with their speakers."""
    return f"first-person words of the {sp['statements']} statements with a speaker in field {sp['field']!r} read as that speaker"


def frames_line(fr: dict[str, Any]) -> str:
    """One line on the framed copies of a card (:mod:`stancekit.frames`)."""
    line = f"{fr['copies']} statements wrapped in one of {fr['templates']} attribution frames (weight {fr['weight']:g})"
    if fr.get("except_forms"):
        line += "; none of form " + ", ".join(fr["except_forms"])
    return line


def format_training(card: dict[str, Any]) -> str:
    """What ``stancekit train`` prints: corpus, merges, search, cross-validation, evaluation."""
    corpus = card["corpus"]
    scheme = card.get("scheme", {})
    lines = [
        f"trained on {corpus['n']} statements {corpus['by_label']}",
        f"label scheme ({scheme.get('from', 'corpora')}): {', '.join(card.get('labels', []))}",
        f"merged {corpus.get('merged_duplicates', 0)} duplicate(s) and "
        f"{corpus.get('merged_near_duplicates', 0)} near-duplicate(s)",
    ]
    if card.get("background"):
        lines.append("plus background: " + background_line(card["background"]))
    if card.get("labelled_lines"):
        lines.append("plus labelled lines: " + labelled_lines_line(card["labelled_lines"]))
    if card.get("frames"):
        lines.append("plus framed copies: " + frames_line(card["frames"]))
    if card.get("speakers"):
        lines.append("read with speakers: " + speakers_line(card["speakers"]))
    search = card.get("search")
    if search:
        lines.append(
            f"search ({search['scheme']}, {search['n_candidates']} candidates): best {search['best_params']} "
            f"mean macro-F1 {search['best_score']:.3f}"
        )
    if "cv" in card:
        lines.append(format_metrics(f"cross-validation ({card['cv']['scheme']})", card["cv"]))
        if card["cv"].get("note"):
            lines.append(f"  note: {card['cv']['note']}")
    if "eval" in card:
        lines.append(format_metrics(f"evaluation on {_paths(card['eval']['paths'])}", card["eval"]))
        if card["eval"].get("text_only"):
            lines.append(text_only_line(card["eval"]))
    return "\n".join(lines)


def text_only_line(ev: dict[str, Any]) -> str:
    """The evaluation read without speakers, in one line (the card's figures read them)."""
    t = ev["text_only"]
    parts = "".join(f", {name} {p['macro_f1']:.3f}" for name, p in t.get("parts", {}).items())
    return (
        f"  the same data read as text alone (no speakers): macro-F1 {t['macro_f1']:.3f}{parts}; "
        f"per-class F1 {_f1_line(t['per_class_f1'])}"
    )


def _paths(paths: list[str], show: int = 3) -> str:
    return ", ".join(paths) if len(paths) <= show else f"{', '.join(paths[:show])} and {len(paths) - show} more"
