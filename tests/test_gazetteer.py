"""Gazetteer lookups: states, capitals, demonyms, organisations, media."""

from kg_builder.models import ActorKind
from kg_builder.nlp import gazetteer


def test_demonym_resolves_to_state_key():
    assert gazetteer.state_by_demonym("French").key == "france"
    assert gazetteer.state_by_demonym("Israelis").key == "israel"


def test_shared_demonym_is_not_guessed():
    assert gazetteer.state_by_demonym("Congolese") is None


def test_capital_resolves_to_state_including_old_spelling():
    assert gazetteer.state_by_capital("Kiev").key == "ukraine"
    assert gazetteer.state_by_capital("Ankara").key == "turkiye"


def test_organisation_key_and_kind_come_from_gazetteer():
    nato = gazetteer.by_name("NATO")
    assert nato.key == "nato"
    assert nato.kind == ActorKind.INTERNATIONAL_ORGANISATION
    assert gazetteer.by_name("Hezbollah").kind == ActorKind.ARMED_GROUP
    assert gazetteer.by_name("Fatah").kind == ActorKind.POLITICAL_PARTY


def test_media_outlets_are_media_organisations():
    assert gazetteer.by_name("Al Jazeera").kind == ActorKind.MEDIA_ORGANISATION


def test_ruler_patterns_read_bilateral_names_both_ways():
    texts = {
        p["pattern"] for p in gazetteer.ruler_patterns() if p["id"] == "org:nato-russia-council"
    }
    assert "Russia-NATO Council" in texts


def test_demonym_states_is_case_blind_and_lists_every_name():
    names = gazetteer.demonym_states()["french"]
    assert names[0] == "France" and names == gazetteer.demonym_states()["france"]


def test_slug_is_ascii_and_hyphenated():
    assert gazetteer.slug("Türkiye's Foreign Ministry") == "turkiyes-foreign-ministry"
