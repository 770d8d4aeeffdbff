"""Word vectors without the role tokens: a candidate for issue 3 (session 20).

    python benchmarks/role_vectors.py [--jobs 2]

Probing the shipped model with sentences of our own showed that a sentence naming only the
claimant and the entity ("Russia annexed Crimea.") reads ``against`` whatever its verbs, and
``stancekit explain`` puts the word vector of the ``ENTITY`` token itself, through the statement
mean, among the largest pushes. The candidate: the statement mean and the anchor windows leave
out the vectors of the role tokens (``STATE``, ``ENTITY``, ``COUNTRY`` and their ``not_`` forms;
``CLAIMANT`` has none); the n-grams keep the tokens, and the windows keep their anchors. A role
token's row is set to zero, which is the same as skipping it, since each mean is scaled to unit
length.

Printed for the shipped recipe (labelled lines in every training fold) and the candidate:
grouped CV on the corpus read with speakers, the audit (with its paired bootstrap gain) and
dev (printed only). Rule, fixed before the run: adopt if CV gains at least 0.005, or if the
audit gains at least 0.02 with an interval above 0 while CV falls no more than 0.003.

Result (session 20, corpus of round 37, 17 minutes): CV 0.8606 -> 0.8624 (+0.0018), audit
0.660 -> 0.660 (+0.000 [-0.011, +0.010]); dev, printed only, 0.788 -> 0.793 (speech 0.762 ->
0.775, statements 0.791 -> 0.790). Neither bar is reached: not adopted.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from real_labels import audit_dev_text, fit_fold, fold_predict, out_of_fold
from real_speech import AUDIT, load_audit, macro
from recipe import LABELS, Setup, candidate_args, shipped_setup
from sklearn.metrics import f1_score

from stancekit.train import AnalyzedStanceClassifier
from stancekit.wordvectors import WordVectors, load_vectors

ROLE_TOKENS = ("STATE", "ENTITY", "COUNTRY", "CLAIMANT", "not_STATE", "not_ENTITY", "not_COUNTRY", "not_CLAIMANT")


def vectors_without_roles() -> WordVectors:
    """The shipped vectors with the rows of :data:`ROLE_TOKENS` set to zero (built in each worker,
    since shipped vectors pickle by reference and would come back whole)."""
    base = load_vectors()
    matrix = base.matrix.copy()
    matrix[[base.index[t] for t in ROLE_TOKENS if t in base.index]] = 0
    return WordVectors(base.words, matrix, source="ungd without role tokens")


def fit_predict(s: Setup, k: int | None, roles: bool) -> np.ndarray | AnalyzedStanceClassifier:
    """Fold ``k``'s held-out predictions, or (``k`` None) the model fitted on every statement;
    with the shipped vectors (``roles``) or :func:`vectors_without_roles`."""
    make = AnalyzedStanceClassifier if roles else partial(AnalyzedStanceClassifier, vectors=vectors_without_roles())
    return fold_predict(s, k, make) if k is not None else fit_fold(s, 0, make, everything=True)[0]


def main() -> None:
    args = candidate_args(__doc__)
    s = shipped_setup(args, labelled_lines=True)
    audit = load_audit(AUDIT, Path(args.shared))
    audit_docs = [a.text for a in s.preprocessor.analyze(audit.texts, actors=audit.countries)]
    names = {True: "shipped recipe", False: "role tokens out of the vectors"}
    jobs = [(roles, k) for roles in names for k in [*range(len(s.splits)), None]]
    out = Parallel(n_jobs=args.jobs)(delayed(fit_predict)(s, k, roles) for roles, k in jobs)
    models = [got for (_, k), got in zip(jobs, out, strict=True) if k is None]
    audit_preds = [np.asarray(model.predict(audit_docs)) for model in models]
    for (roles, name), model, pa in zip(names.items(), models, audit_preds, strict=True):
        cv = out_of_fold(s, jobs, out, roles)
        per = " ".join(f"{v:.3f}" for v in f1_score(s.y, cv, average=None, labels=list(LABELS)))
        print(
            f"{name:<32} CV {macro(s.y, cv):.4f} ({per})  "
            + audit_dev_text(s, audit, pa, audit_preds[0], model.predict(s.dev_docs)),
            flush=True,
        )


if __name__ == "__main__":
    main()
