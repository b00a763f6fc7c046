"""Coreference of pronouns and definite descriptions (real spaCy model)."""

from datetime import date

import pytest

import kg_builder.extract
from kg_builder.models import Article
from kg_builder.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def mentions(nlp, text):
    doc = nlp(text)
    ex = kg_builder.extract.extract(Article(id="t", text=text, published=date(2023, 9, 1)), doc)
    return ex, {(m.text, m.span.start): m.actor for m in ex.mentions}


def test_he_resolves_to_last_person(nlp):
    text = "Canadian Prime Minister Justin Trudeau spoke to reporters. He did not demand a vote."
    _, ms = mentions(nlp, text)
    assert ms[("He", text.index("He did"))] == "justin-trudeau"


def test_role_description_resolves_to_person_with_that_post(nlp):
    text = (
        "Indian External Affairs Minister Subrahmanyam Jaishankar arrived on Monday. "
        "The minister said India wanted a peaceful settlement."
    )
    ex, ms = mentions(nlp, text)
    assert ms[("The minister", text.index("The minister"))] == "subrahmanyam-jaishankar"
    person = next(a for a in ex.actors if a.key == "subrahmanyam-jaishankar")
    assert "The minister" in person.aliases


def test_the_ministry_resolves_to_last_ministry(nlp):
    text = (
        "The Polish Foreign Ministry summoned the ambassador on Friday. "
        "The ministry said the move was a warning."
    )
    _, ms = mentions(nlp, text)
    assert ms[("The ministry", text.index("The ministry"))] == "poland-foreign-ministry"


def test_the_alliance_resolves_to_alliance(nlp):
    text = "Finland joined NATO in April. The alliance said the move made Europe safer."
    _, ms = mentions(nlp, text)
    assert ms[("The alliance", text.index("The alliance"))] == "nato"


def test_it_resolves_to_organisation_not_person(nlp):
    text = "The African Union met in Addis Ababa. It called for an immediate ceasefire."
    _, ms = mentions(nlp, text)
    assert ms[("It", text.index("It called"))] == "african-union"
