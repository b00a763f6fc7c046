"""Coreference of pronouns and definite descriptions (real spaCy model)."""

from datetime import date


def mentions(extract_text, text):
    ex = extract_text(text, date(2023, 9, 1))
    return ex, {(m.text, m.span.start): m.actor for m in ex.mentions}


def test_he_resolves_to_last_person(extract_text):
    text = "Canadian Prime Minister Justin Trudeau spoke to reporters. He did not demand a vote."
    _, ms = mentions(extract_text, text)
    assert ms[("He", text.index("He did"))] == "justin-trudeau"


def test_role_description_resolves_to_person_with_that_post(extract_text):
    text = (
        "Indian External Affairs Minister Subrahmanyam Jaishankar arrived on Monday. "
        "The minister said India wanted a peaceful settlement."
    )
    ex, ms = mentions(extract_text, text)
    assert ms[("The minister", text.index("The minister"))] == "subrahmanyam-jaishankar"
    person = next(a for a in ex.actors if a.key == "subrahmanyam-jaishankar")
    assert "The minister" in person.aliases


def test_the_ministry_resolves_to_last_ministry(extract_text):
    text = (
        "The Polish Foreign Ministry summoned the ambassador on Friday. "
        "The ministry said the move was a warning."
    )
    _, ms = mentions(extract_text, text)
    assert ms[("The ministry", text.index("The ministry"))] == "poland-foreign-ministry"


def test_the_alliance_resolves_to_alliance(extract_text):
    text = "Finland joined NATO in April. The alliance said the move made Europe safer."
    _, ms = mentions(extract_text, text)
    assert ms[("The alliance", text.index("The alliance"))] == "nato"


def test_it_resolves_to_organisation_not_person(extract_text):
    text = "The African Union met in Addis Ababa. It called for fresh elections."
    _, ms = mentions(extract_text, text)
    assert ms[("It", text.index("It called"))] == "african-union"


# ---------------------------------------------------------------- person descriptions


def test_indefinite_source_is_a_new_actor_not_the_state_of_its_demonym(extract_text):
    text = "“The border will stay closed,” a Turkish official told reporters on Sunday."
    ex, ms = mentions(extract_text, text)
    assert ms[("a Turkish official", text.index("a Turkish"))] == "turkish-official"
    official = next(a for a in ex.actors if a.key == "turkish-official")
    assert official.name == "Turkish official"
    assert official.kind.value == "Person"


def test_source_description_keeps_its_place_complement(extract_text):
    text = "A diplomatic source in Paris said the summit would be postponed."
    ex, _ = mentions(extract_text, text)
    assert "diplomatic source in Paris" in {a.name for a in ex.actors}


def test_definite_role_with_demonym_is_the_person_not_the_state(extract_text):
    text = (
        "Brazilian Foreign Minister Mauro Vieira arrived in Lima on Monday. "
        "The Brazilian diplomat said that trade would grow."
    )
    _, ms = mentions(extract_text, text)
    assert ms[("The Brazilian diplomat", text.index("The Brazilian"))] == "mauro-vieira"


def test_the_spokeswoman_resolves_to_the_person_titled_so(extract_text):
    text = (
        "Foreign Ministry spokeswoman Maria Zakharova spoke on Friday. "
        "“Nobody will dictate terms to us,” the spokeswoman said."
    )
    _, ms = mentions(extract_text, text)
    assert ms[("the spokeswoman", text.index("the spokeswoman"))] == "maria-zakharova"


def test_plural_role_with_unnamed_complement_is_a_collective_actor(extract_text):
    text = "The delegates called on the co-chairs of the drafting committee to publish a text."
    ex, _ = mentions(extract_text, text)
    chairs = next(a for a in ex.actors if a.key == "co-chairs-of-the-drafting-committee")
    assert chairs.kind.value == "CollectiveActor"


def test_predicative_or_bare_description_makes_no_actor(extract_text):
    ex, _ = mentions(extract_text, "Mr Okafor is a former diplomat. An official said he was tired.")
    assert not any("diplomat" in a.name or "official" in a.name for a in ex.actors)


def test_it_prefers_the_previous_subject_over_a_demonym_modifier(extract_text):
    text = (
        "The African Union said the release of a Kenyan aid worker was a step forward. "
        "It added that more talks were needed."
    )
    _, ms = mentions(extract_text, text)
    assert ms[("It", text.index("It added"))] == "african-union"


def test_he_never_resolves_to_an_organisation(extract_text):
    text = "Reuters reported that the vote was delayed. He did not comment on the delay."
    _, ms = mentions(extract_text, text)
    assert ("He", text.index("He did")) not in ms


def test_expletive_it_refers_to_nothing(extract_text):
    text = "Chile sent a note on Monday. It is wise to wait for an answer, Peru said."
    _, ms = mentions(extract_text, text)
    assert ("It", text.index("It is")) not in ms


def test_capitalised_name_with_an_org_head_is_not_a_description(extract_text):
    ex = extract_text(
        "Labour Party leader Ana Lind spoke first. Tomas Berg, leader of the Green Party, "
        "disagreed."
    )
    labour = next(a for a in ex.actors if a.key == "labour-party")
    assert "the Green Party" not in labour.aliases
