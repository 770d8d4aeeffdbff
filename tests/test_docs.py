"""The README and the benchmarks' record: links that resolve, and every benchmark script indexed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [
    ROOT / "README.md",
    ROOT / "benchmarks" / "README.md",
    ROOT / "corpus" / "README.md",
    ROOT / "corpus" / "GUIDELINES.md",
]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _anchors(path: Path) -> set[str]:
    """GitHub-style anchors of a Markdown file's headings (outside code blocks)."""
    anchors, fenced = set(), False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return anchors


def _links(path: Path) -> list[str]:
    return [m for m in LINK.findall(path.read_text(encoding="utf-8")) if "://" not in m]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(doc):
    broken = []
    for link in _links(doc):
        target, _, anchor = link.partition("#")
        path = (doc.parent / target).resolve() if target else doc
        if not path.exists():
            broken.append(f"{link}: no file {path}")
        elif anchor and path.suffix == ".md" and anchor not in _anchors(path):
            broken.append(f"{link}: no heading #{anchor} in {path.name}")
    assert not broken, f"{doc.name} has broken links:\n" + "\n".join(broken)


def test_anchor_rule_matches_github_on_a_heading_with_punctuation():
    assert "who-takes-which-stance-tally" in _anchors(ROOT / "README.md")
    assert "real-speech-labelled-by-us-a-second-yardstick" in _anchors(ROOT / "benchmarks" / "README.md")


def test_every_benchmark_script_is_indexed():
    record = (ROOT / "benchmarks" / "README.md").read_text(encoding="utf-8")
    missing = [p.name for p in sorted((ROOT / "benchmarks").glob("*.py")) if f"[`{p.name}`]({p.name})" not in record]
    assert not missing, f"benchmarks/README.md does not index {missing}: add a row to its script table"
