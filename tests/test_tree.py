"""Bounded walks over the dependency tree (kg_builder.extract.tree)."""

from __future__ import annotations

from kg_builder.extract.tree import ancestors, climb, is_root


def test_root_is_found_by_index_not_identity(nlp):
    doc = nlp("The envoys met in Oslo.")
    roots = [t.i for t in doc if is_root(t)]
    assert roots == [2]
    assert doc[2].head is not doc[2]  # a new object on every access: identity never holds


def test_ancestors_end_at_the_root(nlp):
    doc = nlp("The envoys met in Oslo.")
    assert [t.text for t in ancestors(doc[4])] == ["in", "met"]
    assert list(ancestors(doc[2])) == []


def test_climb_stops_where_the_condition_fails_or_at_the_root(nlp):
    doc = nlp("Delegates from both sides met on Friday.")
    assert climb(doc[0], lambda t: t.pos_ != "VERB").text == "met"
    headline = nlp("Fresh border talks in Lisbon.")
    top = climb(headline[0], lambda t: t.pos_ != "VERB")  # no verb: ends at the root
    assert is_root(top)
