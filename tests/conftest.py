"""Fixtures shared by the test files.

* ``nlp`` and ``extract_text``: the real language model, and extraction of a made-up text:

      def test_something(extract_text):
          extraction = extract_text("Norway urged Iceland to release the crew.")

* ``sample_store``: the sample article, ingested by the real pipeline.
* ``browser``: headless Chromium, to look at pictures and pages as a person would.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from spacy.language import Language

from kg_builder.extract import extract
from kg_builder.models import Article, Extraction
from kg_builder.nlp import load_nlp

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "tass-russia-nato-council.txt"

ExtractText = Callable[..., Extraction]


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The English model with kg-builder's components, loaded once for the whole run."""
    return load_nlp()


@pytest.fixture(scope="session")
def extract_text(nlp: Language) -> ExtractText:
    """``extract_text(text, published=None, article_id="t", title=None, source=None)`` →
    the text's Extraction."""

    def run(
        text: str,
        published: dt.date | None = None,
        article_id: str = "t",
        title: str | None = None,
        source: str | None = None,
    ) -> Extraction:
        article = Article(id=article_id, text=text, published=published, title=title, source=source)
        return extract(article, nlp(text))

    return run


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory) -> Path:
    """A store holding the sample article, ingested by the real pipeline."""
    from kg_builder.pipeline import IngestOptions, ingest

    path = tmp_path_factory.mktemp("sample") / "store"
    report = ingest([str(SAMPLE)], path, IngestOptions(jobs=1))
    assert report.stored == 1 and not report.failed
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One headless Chromium for the session. Without Chromium the tests that need it
    are skipped, except in CI (the environment variable CI is set), where they fail:
    `make test` installs it."""
    from kg_builder.errors import ConfigError
    from kg_builder.view.browser import Browser

    try:
        chromium = Browser()
    except ConfigError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs Chromium for this test: {exc}")
        pytest.skip(f"no Chromium here: {exc}")
    try:
        yield chromium
    finally:
        chromium.close()
