"""Why decolonisation sentences in older speeches read ``favor``: a diagnosis, no candidate.

    python benchmarks/referents.py [--shared ../shared]

The audit's ``against`` misses are mostly sentences of 1946-1989 backing a colony's
independence (Algeria, Zimbabwe, Puerto Rico), which the guidelines' decolonisation rule
labels ``against`` the power that holds it, while the same words are ``favor`` when the state
concerned is the territory itself (Namibia after the Mandate, Palestine) or a state's own
people (general principle). Which of these a sentence is turns on its referent and its date,
not its wording. This prints, for the shipped model:

- the audit's ``against`` recall by period of the speeches, and how the misses are read;
- how six sentences of our own are masked and read (the role each name gets decides much);
- the labels of corpus statements and of the labelled General Debate lines whose features
  hold ``independence`` or ``determination`` with only ``COUNTRY`` roles (no ``STATE``,
  ``ENTITY`` or ``CLAIMANT``): the pattern a colony named as a present-day state falls into.

Session 21 (round-37 model, 12 seconds): ``against`` recall 12 of 34 (1946-1969), 20 of 44
(1970-1989), 10 of 16 (1990-2022), the older misses mostly read ``favor`` (15 and 15). The
Algerian and Zimbabwean probes read ``favor`` (their names become ``COUNTRY`` and ``STATE``);
Puerto Rico (no gazetteer entry) and East Timor (a registry entity) read ``against``. In the
Namibia probe the state concerned is resolved as South Africa, not Namibia as the guidelines
have it: the resolver scores a name that follows a status cue ("free of South African
occupation") as the state the cue points at, though here the name is the occupier's. With
only ``COUNTRY`` roles, corpus statements holding the pattern are 121 ``favor`` to 57
``against``, and the labelled real lines 162 to 61: the real data itself leans ``favor``
(Palestine, Namibia, peoples' sovereignty), so no corpus round can teach the colonial reading
without the referent. Two things would: colonies named with their holding power and era
(tried as "dated colonies" and not adopted, since inputs rarely carry dates), and a resolver
that tells an occupier's name from the owner's.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import numpy as np
from real_speech import AUDIT, ERAS, load_audit
from recipe import LABELLED_LINES, ROOT, SHARED, ungd_path

import stancekit
from stancekit.corpus import read_records

PROBES = (
    "The Algerian people must be granted their right to self-determination and independence.",
    "The people of Zimbabwe shall exercise their right to independence.",
    "Puerto Rico has the right to independence.",
    "The people of East Timor have the right to self-determination.",
    "Namibia must accede to independence free of South African occupation.",
    "The Palestinian people have the right to self-determination and an independent State.",
)
OTHER_ROLES = frozenset({"STATE", "ENTITY", "CLAIMANT"})


def colony_pattern(tokens: list[str]) -> bool:
    """Features with ``independence`` or ``determination`` and only ``COUNTRY`` roles."""
    seen = set(tokens)
    return bool({"independence", "determination"} & seen) and "COUNTRY" in seen and not OTHER_ROLES & seen


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(SHARED), help="the shared/ directory (UN archive)")
    args = ap.parse_args()
    shared = Path(args.shared)
    model = stancekit.load()
    est = model.estimator

    audit = load_audit(AUDIT, shared)
    pred = np.asarray(model.predict(audit.texts, actors=audit.countries))
    print("audit, `against` recall by period (read as: favor / neutral / none)")
    for first, last in ERAS:
        rows = audit.era(first, last) & (audit.y == "against")
        read = Counter(pred[rows])
        print(
            f"  {first}-{last}: {read['against']} of {int(rows.sum())}"
            f"  ({read['favor']} / {read['neutral']} / {read['none']})"
        )

    print("\nprobes: label, features, state concerned")
    for label, a in zip(model.predict(list(PROBES)), est.analyze(list(PROBES)), strict=True):
        print(f"  {label:<8} {' '.join(t for t in a.tokens if not t.startswith('CUE_'))}  [{a.state}]")

    records = list(read_records([str(ROOT / "corpus")]))
    corpus = Counter(
        r.label
        for r, a in zip(records, est.analyze([r.text for r in records]), strict=True)
        if colony_pattern(a.tokens)
    )
    lines = stancekit.read_labelled_lines(LABELLED_LINES, ungd_path(shared))
    real = Counter(
        lab for lab, a in zip(lines.labels, est.analyze(lines.texts), strict=True) if lab and colony_pattern(a.tokens)
    )
    print("\nindependence / self-determination with only COUNTRY roles: labels")
    print(f"  corpus statements: {dict(corpus.most_common())}")
    print(f"  labelled General Debate lines: {dict(real.most_common())}")


if __name__ == "__main__":
    main()
