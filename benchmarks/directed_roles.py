"""Which side of a name a status word stands on: a candidate for issue 3 (session 21).

    python benchmarks/directed_roles.py [--jobs 2]

The shipped features join each status word to the *nearest* name role within five tokens
(``annex@CLAIMANT``), whichever side it stands on. So "Russia annexed Crimea" and "the
annexation of Crimea by Russia" give different tokens for the same act, and the word is never
joined to the second name at all: who acts on whom is lost. Probing the shipped model with
sentences of our own (session 20) found sentences naming the claimant and the entity read
``against`` whatever their verbs.

Candidates, each beside the shipped tokens (which stay):

- **directed status**: every status word joined to *every* role within five tokens, marked
  by side: ``annex>ENTITY`` (the word before the name, "annexation of Crimea") and
  ``CLAIMANT>annex`` (the name before the word, "Russia annexed").
- **directed status, condemn, support**: the same for the lexicon's ``condemn`` and
  ``support`` words too (``condemn>CLAIMANT``, ``support>ENTITY``).

The tokens are computed from each document's feature tokens, as the preprocessor would append
them, for every document the recipe trains on or reads (corpus, framed copies, background,
labelled lines, audit, dev).

Printed for the shipped recipe (labelled lines in every training fold) and each candidate:
grouped CV on the corpus read with speakers, the audit (with its paired bootstrap gain) and
dev (printed only). Rule, fixed before the run: a candidate is adopted if CV gains at least
0.005, or if the audit gains at least 0.02 with an interval above 0 while CV falls no more than
0.003; of two that pass, the larger CV gain.

Result (session 21, corpus of round 37, 7 minutes): CV 0.8606 -> 0.8603 (directed status) and
0.8607 (with condemn and support); audit 0.660 -> 0.661 for both (+0.001 [-0.006, +0.010] and
+0.001 [-0.007, +0.010]); dev, printed only, 0.788 -> 0.784 and 0.783 (speech 0.762 for all
three, statements 0.791 -> 0.786 and 0.781). Neither bar is reached: not adopted.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from real_labels import audit_dev_text, fit_fold, fold_predict, out_of_fold
from real_speech import AUDIT, load_audit, macro
from recipe import LABELS, Setup, candidate_args, shipped_setup
from sklearn.metrics import f1_score

from stancekit.lexicon import CUES
from stancekit.preprocess import ROLE_TOKENS, STATUS_CUES

WINDOW = 5
_ROLES = frozenset(ROLE_TOKENS) | {"not_" + r for r in ROLE_TOKENS}
_SHIPPED_AT = tuple(f"@{r}" for r in ROLE_TOKENS)
_GROUPS = {
    "directed status": frozenset(STATUS_CUES),
    "directed status, condemn, support": frozenset(STATUS_CUES)
    | {w for w, g in CUES.items() if g in ("condemn", "support")},
}


def directed(doc: str, words: frozenset[str]) -> str:
    """``doc`` with a directed token for each word of ``words`` (plain or ``not_``) and each
    role within :data:`WINDOW` tokens of it, computed on the tokens before the shipped ones."""
    tokens = doc.split(" ")
    base = [t for t in tokens if not t.endswith(_SHIPPED_AT)]
    roles = [i for i, t in enumerate(base) if t in _ROLES]
    if not roles:
        return doc
    extra = []
    for i, tok in enumerate(base):
        if tok.removeprefix("not_") not in words:
            continue
        for j in roles:
            role = base[j].removeprefix("not_")
            if 0 < j - i <= WINDOW:
                extra.append(f"{tok}>{role}")
            elif 0 < i - j <= WINDOW:
                extra.append(f"{role}>{tok}")
    return " ".join(tokens + extra)


def transformed(s: Setup, words: frozenset[str]) -> Setup:
    """``s`` with every document it trains on or reads passed through :func:`directed`."""

    def each(docs: list[str]) -> list[str]:
        return [directed(d, words) for d in docs]

    copies, fw, of = s.framed
    bg_docs, bg_y, bg_w = s.background
    return replace(
        s,
        docs=each(s.docs),
        read=each(s.read),
        framed=(each(copies), fw, of),
        background=(each(bg_docs), bg_y, bg_w),
        dev_docs=each(s.dev_docs),
    )


def main() -> None:
    args = candidate_args(__doc__)
    base = shipped_setup(args, labelled_lines=True)
    setups = {"shipped recipe": base} | {name: transformed(base, words) for name, words in _GROUPS.items()}
    audit = load_audit(AUDIT, Path(args.shared))
    read = [a.text for a in base.preprocessor.analyze(audit.texts, actors=audit.countries)]
    audit_docs = {"shipped recipe": read} | {name: [directed(d, w) for d in read] for name, w in _GROUPS.items()}
    jobs = [(name, k) for name in setups for k in [*range(len(base.splits)), None]]
    out = Parallel(n_jobs=args.jobs)(
        delayed(fold_predict)(setups[name], k) if k is not None else delayed(fit_fold)(setups[name], 0, everything=True)
        for name, k in jobs
    )
    models = {name: got[0] for (name, k), got in zip(jobs, out, strict=True) if k is None}
    audit_preds = {name: np.asarray(models[name].predict(audit_docs[name])) for name in setups}
    first = audit_preds["shipped recipe"]
    for name, s in setups.items():
        cv = out_of_fold(s, jobs, out, name)
        per = " ".join(f"{v:.3f}" for v in f1_score(s.y, cv, average=None, labels=list(LABELS)))
        print(
            f"{name:<36} CV {macro(s.y, cv):.4f} ({per})  "
            + audit_dev_text(s, audit, audit_preds[name], first, models[name].predict(s.dev_docs)),
            flush=True,
        )


if __name__ == "__main__":
    main()
