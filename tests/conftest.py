"""Fixtures shared by the test files: the real language model, and extraction of a text.

Unit tests of a rule run the real model and the real extractor on a made-up sentence:

    def test_something(extract_text):
        extraction = extract_text("Norway urged Iceland to release the crew.")
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from spacy.language import Language

from kg_builder.extract import extract
from kg_builder.models import Article, Extraction
from kg_builder.nlp import load_nlp

ExtractText = Callable[..., Extraction]


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The English model with kg-builder's components, loaded once for the whole run."""
    return load_nlp()


@pytest.fixture(scope="session")
def extract_text(nlp: Language) -> ExtractText:
    """``extract_text(text, published=None, article_id="t")`` → the text's Extraction."""

    def run(text: str, published: dt.date | None = None, article_id: str = "t") -> Extraction:
        return extract(Article(id=article_id, text=text, published=published), nlp(text))

    return run
