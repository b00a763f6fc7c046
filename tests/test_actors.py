"""Actor finding on hand-written sentences (real spaCy model)."""

from datetime import date

import pytest

import kg_builder.extract
from kg_builder.models import ActorKind, Article
from kg_builder.nlp.model import load_nlp


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def run(nlp, text):
    doc = nlp(text)
    ex = kg_builder.extract.extract(Article(id="t", text=text, published=date(2024, 5, 2)), doc)
    return ex, {a.key: a for a in ex.actors}


def test_capital_as_speaker_is_the_state(nlp):
    ex, actors = run(nlp, "Ankara rejected the proposal on Tuesday, officials said.")
    assert "turkiye" in actors
    assert any(m.actor == "turkiye" and m.text == "Ankara" for m in ex.mentions)


def test_capital_as_place_is_not_an_actor(nlp):
    _, actors = run(nlp, "Delegations from Brazil and Chile met in Madrid on Monday.")
    assert "spain" not in actors
    assert "brazil" in actors


def test_dateline_capital_is_not_an_actor(nlp):
    _, actors = run(nlp, "PARIS, March 3. Germany said it would send more aid to Moldova.")
    assert "france" not in actors
    assert "germany" in actors


def test_person_full_name_and_surname_share_one_key(nlp):
    text = (
        "French Foreign Minister Catherine Colonna met her Indian counterpart. "
        "Colonna said the talks were useful."
    )
    ex, actors = run(nlp, text)
    assert actors["catherine-colonna"].kind == ActorKind.PERSON
    assert sum(m.actor == "catherine-colonna" for m in ex.mentions) >= 2


def test_ministry_variants_get_one_key(nlp):
    text = (
        "Japan's Ministry of Defense said on Friday that drills would continue. "
        "The Japanese Defense Ministry added that two ships took part."
    )
    _, actors = run(nlp, text)
    body = actors["japan-defence-ministry"]
    assert body.kind == ActorKind.GOVERNMENT_BODY
    assert body.part_of == "japan"


def test_demonym_of_language_is_not_a_state_mention(nlp):
    _, actors = run(nlp, "The report was published in the Portuguese language by a charity.")
    assert "portugal" not in actors


def test_collective_actor_the_west(nlp):
    _, actors = run(
        nlp, "Tehran accused the West of hypocrisy, while developing countries urged restraint."
    )
    assert actors["the-west"].kind == ActorKind.COLLECTIVE_ACTOR
    assert actors["developing-countries"].kind == ActorKind.COLLECTIVE_ACTOR


def test_alliance_member_phrase_is_the_alliance(nlp):
    ex, _ = run(nlp, "NATO members agreed to raise spending, Canada said.")
    assert any(m.actor == "nato" and m.text == "NATO members" for m in ex.mentions)


def test_media_outlet_is_media_organisation(nlp):
    _, actors = run(nlp, "The minister told Al Jazeera that Egypt would not sign the deal.")
    assert actors["al-jazeera"].kind == ActorKind.MEDIA_ORGANISATION


def test_union_and_party_are_classified_by_cue_words(nlp):
    text = (
        "The National Union of Mineworkers called a strike, and the Labour Party "
        "said it supported the workers."
    )
    _, actors = run(nlp, text)
    kinds = {a.name: a.kind for a in actors.values()}
    assert kinds.get("National Union of Mineworkers") == ActorKind.UNION
    assert kinds.get("Labour Party") == ActorKind.POLITICAL_PARTY


def test_treaty_name_is_not_an_actor(nlp):
    _, actors = run(nlp, "Poland said the Lisbon Treaty must be respected by Hungary.")
    assert "portugal" not in actors
    assert not any("treaty" in k for k in actors)


def test_pronouns_are_not_aliases(nlp):
    _, actors = run(nlp, "Sweden said it would not change course. It called for calm.")
    assert all(a.lower() not in ("it", "they") for a in actors["sweden"].aliases)


def test_heading_line_is_a_sentence_of_its_own(nlp):
    text = "Trade and tariffs\nThe minister said exports rose. He was pleased."
    doc = nlp(text)
    starts = [s.text.split()[0] for s in doc.sents]
    assert starts[:2] == ["Trade", "The"]


def test_wrapped_line_in_lower_case_continues_the_sentence(nlp):
    text = "The minister said that exports\nrose sharply in May."
    assert len(list(nlp(text).sents)) == 1
