"""IRI minting: readable, stable, valid for any input."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg_builder.rdf.iris import IriMinter, segment, slug


def test_slug_is_readable_for_plain_names() -> None:
    assert slug("Russian Deputy Foreign Minister") == "russian-deputy-foreign-minister"
    assert slug("Türkiye") == "turkiye"


def test_slug_keeps_non_latin_names_apart() -> None:
    assert slug("中文") != slug("日本")
    assert slug("中文") == slug("中文")


@given(st.text())
def test_slug_is_never_empty_and_ascii(text: str) -> None:
    s = slug(text)
    assert s and s.isascii() and len(s) <= 80


@given(st.text(min_size=1))
def test_minted_iris_are_valid_and_stable(text: str) -> None:
    m = IriMinter("https://example.org/id/")
    for iri in (
        m.article(text),
        m.actor(text),
        m.agreement(text),
        m.place(text),
        m.post(text, text),
    ):
        ox.NamedNode(iri)  # raises on an invalid IRI
        assert " " not in iri
    assert m.article(text) == IriMinter("https://example.org/id/").article(text)


def test_article_ids_stay_distinct() -> None:
    m = IriMinter("https://example.org/id/")
    assert m.article("a/b") != m.article("a-b")
    assert segment("a b") == "a%20b"


@pytest.mark.parametrize("base", ["", "relative/", "https://example.org/no-slash", "http://a b/"])
def test_bad_base_is_rejected(base: str) -> None:
    with pytest.raises(ValueError):
        IriMinter(base)
