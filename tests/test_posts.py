"""Posts read from titles before names and from appositions (real spaCy model)."""

from datetime import date

import pytest

import kg_builder.extract
from kg_builder.models import Article
from kg_builder.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def posts(nlp, text):
    doc = nlp(text)
    ex = kg_builder.extract.extract(Article(id="t", text=text, published=date(2024, 1, 5)), doc)
    return {(p.person, p.title, p.organisation) for p in ex.posts}


def test_title_before_name_with_demonym(nlp):
    got = posts(nlp, "Turkish Foreign Minister Hakan Fidan said the talks would resume.")
    assert ("hakan-fidan", "Foreign Minister", "turkiye") in got


def test_title_before_name_with_possessive_state(nlp):
    got = posts(nlp, "Brazil's Finance Minister Fernando Haddad did not demand new taxes.")
    assert ("fernando-haddad", "Finance Minister", "brazil") in got


def test_title_with_organisation_qualifier(nlp):
    got = posts(nlp, "WHO Director-General Tedros Adhanom Ghebreyesus warned of a new wave.")
    assert any(
        p[0] == "tedros-adhanom-ghebreyesus" and "Director-General" in p[1] and p[2] == "who"
        for p in got
    )


def test_apposition_after_name(nlp):
    got = posts(nlp, "Dmitry Peskov, the Kremlin spokesman, said Moscow would respond.")
    assert any(p[0] == "dmitry-peskov" and "Spokesman" in p[1] for p in got)


def test_title_with_preposition_is_kept(nlp):
    got = posts(nlp, "Deputy Secretary of State Kurt Campbell will travel to Manila next week.")
    assert any(p[0] == "kurt-campbell" and p[1] == "Deputy Secretary of State" for p in got)


def test_descriptive_noun_before_name_is_not_a_post(nlp):
    got = posts(nlp, "Kenyan athlete Eliud Kipchoge won the race in Berlin.")
    assert not any(p[0] == "eliud-kipchoge" for p in got)
