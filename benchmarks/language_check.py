"""How often the language check flags English text, and text in other languages. Dev-free.

    python benchmarks/language_check.py [--corpus corpus/] [--shared ../shared] [--sample 20000]

:func:`stancekit.language.language_warning` flags a statement of which the model knows fewer
than :data:`~stancekit.language.MIN_KNOWN_SHARE` of the words. This prints, for the shipped
model, how many statements it flags among the dev set (read only to count flags), the
corpus, every tenth of the first ``10 * --sample`` UN General Debate sentences, and the
statements of ours in other languages that ``tests/test_language.py`` uses, with the English
texts flagged; and how many corpus statements carry a run-together hashtag
("#KosovoIsSerbia"), which the model reads as one unknown word (README, known limitations).
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
from pathlib import Path

from recipe import ROOT, add_path_options, dev_texts, ungd_path

import stancekit
from stancekit.corpus import read_records
from stancekit.io import read_rows

sys.path.insert(0, str(ROOT))
from tests.test_language import FOREIGN  # the statements of ours in other languages

RUN_TOGETHER = re.compile(r"#[A-Z][a-z]+[A-Z]\w*")


def flagged(texts: list[str]) -> list[str]:
    """The texts the shipped model classifies with a warning."""
    return [t for t, r in zip(texts, stancekit.classify(texts), strict=True) if r.warning]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_path_options(ap)
    ap.add_argument("--sample", type=int, default=20_000, help="UN sentences to check (every tenth)")
    args = ap.parse_args()
    shared = Path(args.shared)
    corpus = [r.text for r in read_records([args.corpus])]
    rows = itertools.islice(read_rows(str(ungd_path(shared))), 0, 10 * args.sample, 10)
    sets = {
        "dev": dev_texts(shared),
        "corpus": corpus,
        f"UN sentences (every tenth of the first {10 * args.sample:,})": [r.text for r in rows if r.text],
        "ours, in other languages": FOREIGN,
    }
    for name, texts in sets.items():
        hits = flagged(texts)
        print(f"{name}: {len(hits)} of {len(texts):,} flagged")
        if name != "ours, in other languages":
            for text in hits[:10]:
                print(f"  {text[:110]}")
    tagged = sum(bool(RUN_TOGETHER.search(t)) for t in corpus)
    print(f"corpus statements with a run-together hashtag: {tagged}")


if __name__ == "__main__":
    main()
