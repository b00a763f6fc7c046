"""Actor finding on hand-written sentences (real spaCy model)."""

from datetime import date

from kg_builder.models import ActorKind


def run(extract_text, text):
    ex = extract_text(text, date(2024, 5, 2))
    return ex, {a.key: a for a in ex.actors}


def test_capital_as_speaker_is_the_state(extract_text):
    ex, actors = run(extract_text, "Ankara rejected the proposal on Tuesday, officials said.")
    assert "turkiye" in actors
    assert any(m.actor == "turkiye" and m.text == "Ankara" for m in ex.mentions)


def test_capital_as_place_is_not_an_actor(extract_text):
    _, actors = run(extract_text, "Delegations from Brazil and Chile met in Madrid on Monday.")
    assert "spain" not in actors
    assert "brazil" in actors


def test_dateline_capital_is_not_an_actor(extract_text):
    _, actors = run(extract_text, "PARIS, March 3. Germany said it would send more aid to Moldova.")
    assert "france" not in actors
    assert "germany" in actors


def test_person_full_name_and_surname_share_one_key(extract_text):
    text = (
        "French Foreign Minister Catherine Colonna met her Indian counterpart. "
        "Colonna said the talks were useful."
    )
    ex, actors = run(extract_text, text)
    assert actors["catherine-colonna"].kind == ActorKind.PERSON
    assert sum(m.actor == "catherine-colonna" for m in ex.mentions) >= 2


def test_ministry_variants_get_one_key(extract_text):
    text = (
        "Japan's Ministry of Defense said on Friday that drills would continue. "
        "The Japanese Defense Ministry added that two ships took part."
    )
    _, actors = run(extract_text, text)
    body = actors["japan-defence-ministry"]
    assert body.kind == ActorKind.GOVERNMENT_BODY
    assert body.part_of == "japan"


def test_demonym_of_language_is_not_a_state_mention(extract_text):
    _, actors = run(
        extract_text, "The report was published in the Portuguese language by a charity."
    )
    assert "portugal" not in actors


def test_collective_actor_the_west(extract_text):
    _, actors = run(
        extract_text,
        "Tehran accused the West of hypocrisy, while developing countries urged restraint.",
    )
    assert actors["the-west"].kind == ActorKind.COLLECTIVE_ACTOR
    assert actors["developing-countries"].kind == ActorKind.COLLECTIVE_ACTOR


def test_alliance_member_phrase_is_the_alliance(extract_text):
    ex, _ = run(extract_text, "NATO members agreed to raise spending, Canada said.")
    assert any(m.actor == "nato" and m.text == "NATO members" for m in ex.mentions)


def test_media_outlet_is_media_organisation(extract_text):
    _, actors = run(
        extract_text, "The minister told Al Jazeera that Egypt would not sign the deal."
    )
    assert actors["al-jazeera"].kind == ActorKind.MEDIA_ORGANISATION


def test_union_and_party_are_classified_by_cue_words(extract_text):
    text = (
        "The National Union of Mineworkers called a strike, and the Labour Party "
        "said it supported the workers."
    )
    _, actors = run(extract_text, text)
    kinds = {a.name: a.kind for a in actors.values()}
    assert kinds.get("National Union of Mineworkers") == ActorKind.UNION
    assert kinds.get("Labour Party") == ActorKind.POLITICAL_PARTY


def test_treaty_name_is_not_an_actor(extract_text):
    _, actors = run(extract_text, "Poland said the Lisbon Treaty must be respected by Hungary.")
    assert "portugal" not in actors
    assert not any("treaty" in k for k in actors)


def test_pronouns_are_not_aliases(extract_text):
    _, actors = run(extract_text, "Sweden said it would not change course. It called for calm.")
    assert all(a.lower() not in ("it", "they") for a in actors["sweden"].aliases)


def test_heading_line_is_a_sentence_of_its_own(nlp):
    text = "Trade and tariffs\nThe minister said exports rose. He was pleased."
    doc = nlp(text)
    starts = [s.text.split()[0] for s in doc.sents]
    assert starts[:2] == ["Trade", "The"]


def test_wrapped_line_in_lower_case_continues_the_sentence(nlp):
    text = "The minister said that exports\nrose sharply in May."
    assert len(list(nlp(text).sents)) == 1
