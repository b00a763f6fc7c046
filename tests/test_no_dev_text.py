"""No dev-article text in the code or in the unit tests of rules.

Rules must come from how news is written, not from the articles we score on: examples in
code, comments, docstrings and unit tests are made up (other topics, invented names). This
test fails when any run of 7 or more consecutive words of a dev article's ``text`` (case
folded, punctuation stripped) appears in ``kg_builder/**/*.py`` or ``tests/test_*.py``. The
quality gate and the golden files refer to the dev data by file, never by quoted text.

The dev set sits beside the checkout (``../shared/eval/dev``). Without it the test skips,
except under CI (the ``CI`` environment variable set), where it fails.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "eval" / "dev"
RUN = 7  # words in a row that make a quotation


def words(text: str) -> list[str]:
    """Case-folded words of ``text``, punctuation stripped ("Lind's" → "linds")."""
    return re.sub(r"[^\w\s]", "", text.casefold()).split()


def runs_of(words_: list[str], n: int = RUN) -> set[tuple[str, ...]]:
    return {tuple(words_[i : i + n]) for i in range(len(words_) - n + 1)}


def quoted(source: str, dev_runs: set[tuple[str, ...]], n: int = RUN) -> list[str]:
    """The stretches of ``source`` made of dev runs (overlapping runs joined)."""
    w = words(source)
    hits = [i for i in range(len(w) - n + 1) if tuple(w[i : i + n]) in dev_runs]
    spans: list[list[int]] = []
    for i in hits:
        if spans and i <= spans[-1][1]:
            spans[-1][1] = i + n
        else:
            spans.append([i, i + n])
    return [" ".join(w[a:b]) for a, b in spans]


def dev_runs() -> set[tuple[str, ...]]:
    """Every run of :data:`RUN` words of the dev articles; fails under CI, else skips,
    when the dev set is missing."""
    files = sorted(DEV.glob("*.json"))
    if not files:
        message = f"the dev set is not at {DEV} (it sits beside the project checkout)"
        if os.environ.get("CI"):
            pytest.fail(message + "; under CI it must be there")
        pytest.skip(message)
    out: set[tuple[str, ...]] = set()
    for path in files:
        out |= runs_of(words(json.loads(path.read_text(encoding="utf-8"))["text"]))
    return out


def _checked_files() -> list[Path]:
    return sorted((ROOT / "kg_builder").rglob("*.py")) + sorted((ROOT / "tests").glob("test_*.py"))


def test_the_check_finds_a_quotation_across_punctuation_and_lines() -> None:
    dev = runs_of(words("The harbour council said on Friday that the ferry would resume."))
    source = '# e.g. "the Harbour Council said, on Friday,\n# that the ferry would" run'
    assert quoted(source, dev) == ["the harbour council said on friday that the ferry would"]
    assert quoted("the harbour council met on Friday", dev) == []


def test_no_dev_article_text_in_code_or_rule_tests() -> None:
    dev = dev_runs()
    found = []
    for path in _checked_files():
        for stretch in quoted(path.read_text(encoding="utf-8"), dev):
            found.append(f"{path.relative_to(ROOT)}: {stretch!r}")
    assert not found, "dev-article text (make up an example on another topic):\n" + "\n".join(found)
