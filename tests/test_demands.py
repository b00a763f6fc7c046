"""Demands read from hand-written sentences with the real spaCy model (no mocks)."""

from __future__ import annotations

from datetime import date

import pytest

from kg_builder.models import Demand, DemandStatus, Extraction

PUBLISHED = date(2023, 5, 17)


@pytest.fixture(scope="module")
def run(extract_text):
    def _run(text: str) -> Extraction:
        return extract_text(text, PUBLISHED)

    return _run


def _names(ex: Extraction, keys: tuple[str, ...]) -> set[str]:
    by_key = {a.key: a for a in ex.actors}
    return {by_key[k].name for k in keys if k in by_key}


def _all_names(ex: Extraction, keys: tuple[str, ...]) -> set[str]:
    by_key = {a.key: a for a in ex.actors}
    return {n for k in keys if k in by_key for n in (by_key[k].name, *by_key[k].aliases)}


def _only(ex: Extraction) -> Demand:
    assert len(ex.demands) == 1, ex.demands
    return ex.demands[0]


def test_urge_object_infinitive_gives_addressee_and_content(run):
    ex = run("France urged Germany to reopen the border crossings.")
    d = _only(ex)
    assert "France" in _names(ex, d.demanders)
    assert _names(ex, d.addressees) == {"Germany"}
    assert d.content == "reopen the border crossings"
    assert d.status is DemandStatus.MADE
    assert d.date == PUBLISHED


def test_call_on_to_infinitive(run):
    ex = run("Brazil called on Argentina to lower its import tariffs on steel.")
    d = _only(ex)
    assert "Brazil" in _names(ex, d.demanders)
    assert _names(ex, d.addressees) == {"Argentina"}
    assert d.content.startswith("lower its import tariffs")


def test_span_offsets_point_into_article_text(run):
    text = "Trade talks stalled. France urged Germany to reopen the border crossings."
    ex = run(text)
    d = _only(ex)
    assert d.span.text(text) == "reopen the border crossings"
    assert d.span.sentence(text).startswith("France urged Germany")


def test_negated_demand_verb_is_not_a_demand(run):
    assert run("Spain did not demand that Portugal withdraw its ambassador.").demands == ()
    assert run("Canada never asked Mexico to close the factories.").demands == ()


def test_question_is_not_a_demand(run):
    assert run("Did Brazil ask Argentina to lower its tariffs?").demands == ()


def test_asked_whether_is_a_question_not_a_demand(run):
    assert run("Chile asked whether Peru would sign the treaty.").demands == ()


def test_prediction_is_not_a_demand(run):
    assert run("Analysts said that Poland will expand its army next year.").demands == ()


def test_own_wish_is_not_a_demand(run):
    assert run("Italy wants to join the space project.").demands == ()


def test_passive_request_without_demander_is_dropped(run):
    assert run("Belgium was asked to explain the delay.").demands == ()


def test_reported_should_with_condition_is_conditional(run):
    ex = run(
        "Japan said that if South Korea wants closer ties, it should lift the export restrictions."
    )
    d = _only(ex)
    assert "Japan" in _names(ex, d.demanders)
    assert _names(ex, d.addressees) == {"South Korea"}
    assert d.content == "lift the export restrictions"
    assert d.conditional is True
    assert d.condition is not None and "closer ties" in d.condition


def test_coordinated_acts_give_one_demand_each(run):
    ex = run("Egypt said Sudan should stop the shelling and withdraw its troops from the border.")
    contents = [d.content for d in ex.demands]
    assert contents == ["stop the shelling", "withdraw its troops from the border"]
    for d in ex.demands:
        assert _names(ex, d.addressees) == {"Sudan"}
        assert "Egypt" in _names(ex, d.demanders)


def test_must_not_keeps_the_negation(run):
    ex = run("Norway stressed that Denmark must not close the fishing grounds.")
    d = _only(ex)
    assert _names(ex, d.addressees) == {"Denmark"}
    assert d.content == "not close the fishing grounds"


def test_need_for_y_to_v_is_a_nominal_demand(run):
    ex = run("Canada stressed the need for Mexico to tighten controls at its ports.")
    d = _only(ex)
    assert "Canada" in _names(ex, d.demanders)
    assert _names(ex, d.addressees) == {"Mexico"}
    assert d.content.startswith("tighten controls")


def test_provided_that_after_willingness_is_a_conditional_demand(run):
    ex = run(
        "India said it would resume the talks, provided that Pakistan ended its "
        "support for the militants."
    )
    d = _only(ex)
    assert "India" in _names(ex, d.demanders)
    assert _names(ex, d.addressees) == {"Pakistan"}
    assert d.content.startswith("ended its support")
    assert d.conditional is True
    assert d.condition is not None and "resume the talks" in d.condition


def test_demanded_noun_phrase_takes_addressee_from_from_phrase(run):
    ex = run("Ethiopia demanded an official apology from Kenya.")
    d = _only(ex)
    assert "Ethiopia" in _names(ex, d.demanders)
    assert _names(ex, d.addressees) == {"Kenya"}
    assert d.content == "an official apology from Kenya"


def test_rejected_demand_has_rejected_status(run):
    ex = run("Greece rejected Turkey's demand that Athens demilitarise the islands.")
    d = _only(ex)
    assert "Turkey" in _all_names(ex, d.demanders)
    assert _names(ex, d.addressees) == {"Greece"}
    assert d.status is DemandStatus.REJECTED
    assert d.content.startswith("demilitarise the islands")


def test_according_to_gives_the_demander(run):
    ex = run("According to Sweden, Finland must share the radar data.")
    d = _only(ex)
    assert "Sweden" in _names(ex, d.demanders)
    assert _names(ex, d.addressees) == {"Finland"}


def test_quoted_must_is_voiced_by_the_quote_speaker(run):
    ex = run('"Iraq must release the detained journalists," Kuwait said on Monday.')
    d = _only(ex)
    assert "Kuwait" in _names(ex, d.demanders)
    assert _names(ex, d.addressees) == {"Iraq"}
    assert d.content == "release the detained journalists"


def test_speakers_own_obligation_is_not_a_demand(run):
    assert run("Chile said that Chile must protect its own forests.").demands == ()
    assert run('"We must respond firmly," Peru said.').demands == ()


def test_demand_that_clause_subject_is_addressee(run):
    ex = run("Morocco demanded that Algeria reopen the shared pipeline.")
    d = _only(ex)
    assert _names(ex, d.addressees) == {"Algeria"}
    assert d.content == "reopen the shared pipeline"


def test_enumerated_items_inherit_the_listing_actor(run):
    ex = run(
        "The Ghanaian government listed its key conditions. First, there is the need "
        "for Norway to lower its tariffs on cocoa. Second, it is about paying for the damaged "
        "fishing nets."
    )
    assert len(ex.demands) == 2
    assert all("Ghana" in _names(ex, d.demanders) for d in ex.demands)
    assert ex.demands[0].content.startswith("lower its tariffs")
    assert "fishing nets" in ex.demands[1].content
    assert all(_names(ex, d.addressees) == {"Norway"} for d in ex.demands)


def test_modal_conjunct_is_the_demanders_own_next_step_not_a_demand(run):
    ex = run(
        "Portugal expects Spain to send a formal answer to the offer, and will then judge "
        "whether the fishing talks can go on."
    )
    contents = [d.content for d in ex.demands]
    assert any("formal answer" in c for c in contents)
    assert not any("judge" in c for c in contents)


def test_plain_conjoined_infinitives_are_both_demanded(run):
    ex = run("Chile urged Peru to open the border and withdraw its troops.")
    contents = sorted(d.content for d in ex.demands)
    assert contents == ["open the border", "withdraw its troops"]
