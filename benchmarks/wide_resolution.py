"""A candidate not adopted: the state at issue found by a status word anywhere in the statement.

    python benchmarks/wide_resolution.py train corpus/ -o /tmp/wide.skmodel [stancekit train options]
    python benchmarks/wide_resolution.py compare /tmp/wide.skmodel
    python benchmarks/wide_resolution.py changes corpus/

The preprocessor takes a named country for the state at issue (role ``STATE``) only when a
status word ("sovereignty", "territory", "integrity", ...) stands within six words of the name.
Real General Debate sentences are long, and the word is often further away: "The Republic of
Cyprus, a country which is an independent and sovereign Member of our Organization, continues
to be deprived of ... its sovereignty" reads ``COUNTRY``. The candidate: a statement naming one
country and no entity, with a status word anywhere, takes that country as the state at issue.
It changed the tokens of 95 of the 572 agreed audit sentences and of 606 of the 14,826 corpus
statements of round 24 (``changes`` prints the count for the code and corpus at hand).

``train`` runs ``stancekit train`` with the candidate in place (the model file then needs it
at prediction too); ``compare`` scores the shipped model as it is and the candidate's model
with it, on the audit of ``real_speech.py``, with the paired bootstrap interval of the gain;
``changes`` counts the audit sentences and corpus statements whose tokens the candidate changes.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
from real_speech import bootstrap_gain, load_audit, macro

import stancekit
import stancekit.preprocess as pp

_narrow = pp._resolve


def _resolve_wide(words: list[tuple[str, int]], spans: list[Any]) -> tuple[str | None, str | None, str | None]:
    found = _narrow(words, spans)
    if found != (None, None, None):
        return found
    named = {s.kb_id_ for s in spans if s.label_ == pp.COUNTRY_LABEL}
    if len(named) == 1 and any(w in pp.STATUS_CUES for w, _ in words):
        state = named.pop()
        keys = pp.DISPUTES_BY_STATE.get(state, [])
        return state, None, (keys[0] if len(keys) == 1 else None)
    return found


def predict(model: str, wide: bool) -> np.ndarray:
    """The audit predictions of ``model`` (with speakers), with the candidate in place or not."""
    pp._resolve = _resolve_wide if wide else _narrow
    try:
        audit = load_audit()
        return np.asarray(stancekit.load(model).predict(audit.texts, actors=audit.countries))
    finally:
        pp._resolve = _narrow


def changed(texts: list[str], actors: list[str | None]) -> int:
    """How many of ``texts`` (read with ``actors``) the candidate gives other tokens."""
    from stancekit.preprocess import Preprocessor

    def tokens(wide: bool) -> list[str]:
        pp._resolve = _resolve_wide if wide else _narrow
        try:
            return [a.text for a in Preprocessor().analyze(texts, actors=actors)]
        finally:
            pp._resolve = _narrow

    return sum(a != b for a, b in zip(tokens(False), tokens(True), strict=True))


def main() -> int:
    if len(sys.argv) < 3 or sys.argv[1] not in ("train", "compare", "changes"):
        print(__doc__)
        return 2
    if sys.argv[1] == "train":
        from stancekit.cli import main as cli

        pp._resolve = _resolve_wide
        return cli(sys.argv[1:])
    if sys.argv[1] == "changes":
        from stancekit.corpus import read_records

        audit = load_audit()
        records = list(read_records(sys.argv[2:]))
        n = changed([r.text for r in records], [r.data.get("actor") for r in records])
        print(f"audit: {changed(audit.texts, audit.countries)} of {len(audit.y)}; corpus: {n} of {len(records)}")
        return 0
    y = load_audit().y
    shipped, wide = predict("default", False), predict(sys.argv[2], True)
    lo, hi = bootstrap_gain(y, shipped, wide)
    print(f"shipped {macro(y, shipped):.3f}, candidate {macro(y, wide):.3f}, gain interval [{lo:+.3f}, {hi:+.3f}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
