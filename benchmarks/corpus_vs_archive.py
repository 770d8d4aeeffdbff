"""How the corpus's speech sentences differ from the archive's: length and words. Dev-free.

    python benchmarks/corpus_vs_archive.py [--corpus corpus/] [--every 10] [--words palestinian ...]

Corpus rounds 26 and 28 were written from two gaps this prints: the corpus's General Debate
sentences were longer than real ones, and the question real speeches name most (Palestine)
was nearly absent. It reads every ``--every``-th sentence of the UN General Debate archive
(``../shared/data/ungd/sentences.jsonl.gz``, by path) and the corpus's ``form == "speech"``
records, and prints

- the share of sentences of 15 and of 20 words or fewer: in the corpus, in the archive's
  sentences with a status word (:data:`STATUS`), and in all its sentences;
- for each of ``--words``, the share of sentences containing it (as a word, any case) in the
  archive's status-word sentences and in the corpus's speech sentences, and the number of
  corpus records of any form containing it.

The figures in ``benchmarks/README.md``'s round 26 and 28 entries come from the corpus before those rounds:
``git worktree add /tmp/r25 d5cce5e`` and ``--corpus /tmp/r25/corpus``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from pathlib import Path

from recipe import add_path_options, ungd_path

from stancekit.corpus import read_records

#: A status word, as the length and word counts select the archive's sentences.
STATUS = re.compile(
    r"sovereign|territorial integrity|independence|self-determination|occup|annex|secession|recogni", re.I
)
WORD = re.compile(r"[a-z]+")


def share(counts: list[int], most: int) -> float:
    """The share of ``counts`` (sentence lengths) that are at most ``most`` words."""
    return sum(n <= most for n in counts) / max(len(counts), 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--every", type=int, default=10, help="read every n-th archive sentence (default: 10)")
    ap.add_argument("--words", nargs="+", default=["palestinian", "palestine", "israel", "namibia"])
    add_path_options(ap)
    args = ap.parse_args()

    records = read_records([Path(args.corpus)])
    speech = [r.text for r in records if r.data.get("form") == "speech"]
    everything: list[int] = []
    status: list[str] = []
    with gzip.open(ungd_path(Path(args.shared)), "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i % args.every:
                continue
            text = json.loads(line)["text"]
            everything.append(len(text.split()))
            if STATUS.search(text):
                status.append(text)

    print(f"{args.corpus}: {len(speech)} speech sentences of {len(records)} records")
    print(f"archive: every {args.every}th sentence, {len(everything)} read, {len(status)} with a status word")
    print(f"\n{'sentences':<36}{'<= 15 words':>12}{'<= 20 words':>12}")
    for name, counts in (
        ("corpus, speech", [len(t.split()) for t in speech]),
        ("archive, with a status word", [len(t.split()) for t in status]),
        ("archive, all", everything),
    ):
        print(f"{name:<36}{share(counts, 15):>12.3f}{share(counts, 20):>12.3f}")

    # Each text's words, tokenized once for all the words asked for.
    status_words, speech_words, record_words = (
        [set(WORD.findall(t.lower())) for t in texts] for texts in (status, speech, [r.text for r in records])
    )
    print(f"\n{'word':<16}{'archive, status':>16}{'corpus, speech':>16}{'corpus records':>16}")
    for word in args.words:
        w = word.lower()
        arch = sum(w in ws for ws in status_words) / max(len(status_words), 1)
        corp = sum(w in ws for ws in speech_words) / max(len(speech_words), 1)
        print(f"{word:<16}{arch:>16.3f}{corp:>16.4f}{sum(w in ws for ws in record_words):>16}")


if __name__ == "__main__":
    main()
