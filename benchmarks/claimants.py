"""Claimant states as a role of their own: what reading them as ``CLAIMANT`` changes.

    python benchmarks/claimants.py [--corpus corpus/] [--shared ../shared]

Names are masked by their role in the statement's dispute: the state concerned as ``STATE``,
the disputed entity as ``ENTITY``, every other state as ``COUNTRY``. But some other states are
not third parties: Argentina on the Falklands, Spain on Gibraltar, the United Kingdom on the
Chagos, Russia on Crimea claim or hold the territory, or back the entity, against the state
concerned. Read as ``COUNTRY``, "Argentina will never renounce its rights over ENTITY" looks
like a third state's words, and "our sovereignty over ENTITY" spoken by London about the
Chagos like the state concerned's. In grouped cross-validation the statements about disputes
with such a claimant are confused between ``favor`` and ``against`` about twice as often as the
others (printed below the table).

With ``claimants`` on, the preprocessor reads a state of :data:`stancekit.disputes.CLAIMANTS`
as ``CLAIMANT`` in statements about its dispute, in the text and as the speaker. This prints,
for the shipped recipe (:mod:`recipe`) with claimants read as third states (``off``, the
recipe before session 18) and as ``CLAIMANT`` (the shipped recipe since): how many
statements change tokens, grouped 5-fold CV macro-F1 per label and on the changed
statements, the audit with a paired bootstrap interval of the gain, and dev (printed, never
used to choose). The rule is the one for every model change: adopt if grouped CV gains at
least 0.005, or the audit at least 0.02 with an interval above zero while CV loses no more
than 0.003.

Measured on the round-34 corpus (session 18; ``git worktree add /tmp/r34 247784d`` and
``--corpus /tmp/r34/corpus`` repeat it):

    claimants    changed      CV  against  CV chg   audit                gain [95%]     dev
    off                0  0.8634    0.808     nan  0.5914                            0.7814
    claimants       1808  0.8690    0.820  0.8706  0.6054   +0.014 [-0.009, +0.037]  0.7615

(1,808 corpus statements, 11 audit sentences and 21 dev statements change tokens; on the
changed statements the recipe without claimants reads 0.8501.) CV gains 0.0056: adopted by
the rule. Dev, printed only, falls 0.020 (10 labels change). Re-run on round 35, written for
the claimant role (claimants under every label):

    off                0  0.8610    0.804     nan  0.6008                            0.7691
    claimants       1948  0.8668    0.817  0.8677  0.5974   -0.003 [-0.022, +0.014]  0.7703

The CV gain holds (+0.0058; 0.8567 without claimants on the 1,948 statements they change);
the small audit gain of round 34 does not. Favor/against confusions on the disputes with a
claimant: 8.5% of their statements off, 7.7% on (others 4.4% / 4.2%); dev labels changed 10,
none of them on the 21 dev statements whose tokens the role changes.

The comparison itself is :func:`preprocess_option.compare_option`, shared with other
preprocessing options (``python benchmarks/preprocess_option.py OPTION``).
"""

from __future__ import annotations

import argparse

from preprocess_option import compare_option
from recipe import add_path_options


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_path_options(ap)
    compare_option("claimants", ap.parse_args())


if __name__ == "__main__":
    main()
