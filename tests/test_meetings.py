"""Meetings: nouns and verbs, dates, places, participants, planned, merging."""

from __future__ import annotations

import datetime as dt

from kg_builder.extract.meetings import dateline_place

THURSDAY = dt.date(2023, 3, 9)


def run(extract_text, text, published=THURSDAY):
    extraction = extract_text(text, published)
    names = {a.key: a.name for a in extraction.actors}
    return [(m, sorted(names.get(p, p) for p in m.participants)) for m in extraction.meetings]


def test_verb_meeting_with_place_and_past_weekday(extract_text):
    text = "German Chancellor Olaf Scholz met French President Emmanuel Macron in Paris on Tuesday."
    [(m, parts)] = run(extract_text, text)
    assert m.date == dt.date(2023, 3, 7)
    assert m.place == "Paris"
    assert parts == ["Emmanuel Macron", "Olaf Scholz"]
    assert not m.planned


def test_future_talks_are_planned_and_dated_forward(extract_text):
    text = "The foreign ministers of India and Pakistan will hold talks in Lisbon on Monday."
    [(m, parts)] = run(extract_text, text)
    assert m.planned
    assert m.date == dt.date(2023, 3, 13)
    assert m.place == "Lisbon"
    assert parts == ["India", "Pakistan"]


def test_possessive_weekday_and_dateline_place(extract_text):
    text = "OSLO, March 9. Wednesday's meeting of Norway and Sweden went well, the ministry said."
    [(m, parts)] = run(extract_text, text)
    assert m.date == dt.date(2023, 3, 8)
    assert m.place == "Oslo"
    assert parts == ["Norway", "Sweden"]


def test_definite_mentions_merge_into_one_meeting(extract_text):
    text = (
        "Brazil and Argentina held talks in Brasilia on Monday. The talks lasted four hours, "
        "and Argentina said the meeting was productive."
    )
    meetings = run(extract_text, text)
    assert len(meetings) == 1
    assert meetings[0][0].date == dt.date(2023, 3, 6)


def test_phone_call_between_two_leaders(extract_text):
    text = (
        "Chilean Foreign Minister Ana Rojas held a telephone conversation with Peruvian "
        "Foreign Minister Luis Vargas on Friday."
    )
    [(m, parts)] = run(extract_text, text)
    assert m.kind == "call"
    assert m.date == dt.date(2023, 3, 3)
    assert {"Ana Rojas", "Luis Vargas"} <= set(parts)


def test_speaker_at_the_meeting_takes_part(extract_text):
    text = "Emmanuel Macron, speaking at a summit held in Rome on March 2, said Europe must act."
    [(m, parts)] = run(extract_text, text)
    assert m.date == dt.date(2023, 3, 2)
    assert m.place == "Rome"
    assert "Emmanuel Macron" in parts


def test_talks_in_general_are_not_a_meeting(extract_text):
    text = "Kenya urged Ethiopia to show flexibility in talks."
    assert run(extract_text, text) == []


def test_press_conference_is_not_a_meeting(extract_text):
    text = "Mayor Ilse Borrin spoke at a press conference on Monday about the floods."
    assert run(extract_text, text) == []


def test_dateline_place_reads_agency_datelines():
    assert dateline_place("NAIROBI, May 2 (Reuters) - Talks resumed.") == "Nairobi"
    assert dateline_place("Talks resumed in Nairobi.") is None


def test_modified_back_reference_merges_into_the_dated_meeting(extract_text):
    text = (
        "Serbian and Kosovar leaders met in Brussels on Tuesday. "
        "The Serbian president said that in the three-hour meeting nothing was agreed."
    )
    meetings = run(extract_text, text)
    assert len(meetings) == 1
    assert meetings[0][0].date == dt.date(2023, 3, 7)


def test_talks_under_whether_are_not_an_event(extract_text):
    text = "Chile will consider whether it makes sense to resume talks with Peru."
    assert run(extract_text, text) == []


def test_event_named_by_acronym_and_number_is_a_meeting(extract_text):
    text = "At ASF12, Peru, alongside Chile, insisted on a permanent solution."
    [(m, parts)] = run(extract_text, text)
    assert m.name == "ASF12"
    assert "Chile" in parts
    assert m.place is None


def test_object_of_call_on_attends_the_next_session(extract_text):
    text = (
        "The members called on the co-chairs of the budget panel to table a revised plan "
        "at the next session."
    )
    [(m, parts)] = run(extract_text, text)
    assert m.planned
    assert parts == ["co-chairs of the budget panel"]


def test_person_reporting_what_happened_at_the_meeting_took_part(extract_text):
    text = (
        "Ministers of Chile and Peru met in Santiago on Monday. Chilean Foreign Minister "
        "Ana Rojas said that at the meeting both sides agreed to reopen the border."
    )
    [(m, parts)] = run(extract_text, text)
    assert "Ana Rojas" in parts


def test_meeting_inside_the_subject_gives_no_witness(extract_text):
    text = "A source close to the talks said the draft was ready."
    assert all("source close to the talks" not in parts for _, parts in run(extract_text, text))


# ------------------------------------------------ issue 11: readouts and false friends


def test_readout_spoke_with_is_a_call_dated_from_today(extract_text):
    text = (
        "Foreign Minister Ana Rojas of Chile spoke today with Peruvian Foreign Minister Luis Vega."
    )
    [(m, parts)] = run(extract_text, text)
    assert m.kind == "call"
    assert m.date == THURSDAY
    assert {"Ana Rojas", "Luis Vega"} <= set(parts)


def test_this_evening_dates_a_call_on_the_day_of_publication(extract_text):
    text = "President Ana Rojas of Chile spoke this evening with President Luis Vega of Peru."
    [(m, _)] = run(extract_text, text)
    assert m.date == THURSDAY


def test_meeting_verbs_in_other_senses_are_no_meetings(extract_text):
    assert not run(extract_text, "The government of Chile will meet their demands for water.")
    assert not run(extract_text, "Chile will host thousands of refugees from the north.")
    text = "Tariffs will be set by the Minister of Trade of Chile, in consultation with Peru."
    assert not run(extract_text, text)


def test_ministers_gathered_in_a_city_met_there(extract_text):
    text = "The foreign ministers of Chile and Peru gathered in Lima on Monday to discuss fishing."
    [(m, parts)] = run(extract_text, text)
    assert m.place == "Lima" and m.date == dt.date(2023, 3, 6)
    assert parts == ["Chile", "Peru"]


def test_the_same_parties_told_again_are_one_meeting(extract_text):
    text = (
        "Foreign Minister Ana Rojas of Chile spoke today with Foreign Minister Luis Vega of Peru. "
        "Rojas and Vega also conferred about fishing quotas."
    )
    [(m, parts)] = run(extract_text, text)
    assert m.date == THURSDAY
    assert {"Ana Rojas", "Luis Vega"} <= set(parts)


def test_readout_called_someone_is_a_phone_call(extract_text):
    text = "President Ana Rojas of Chile called Prime Minister Luis Vega of Peru on Tuesday."
    [(m, parts)] = run(extract_text, text)
    assert m.kind == "call" and m.date == dt.date(2023, 3, 7)
    assert {"Ana Rojas", "Luis Vega"} <= set(parts)


def test_calling_in_other_senses_is_no_call(extract_text):
    assert not run(extract_text, "Senator Ana Rojas called him a liar on Tuesday.")
    assert not run(extract_text, "Ana Rojas of Chile called off the vote on fishing quotas.")
    assert not run(extract_text, "A fisherman called Luis Vega sued Chile on Tuesday.")


def test_demands_that_are_met_are_no_meeting(extract_text):
    assert not run(extract_text, "The fishermen of Chile say their demands were met on Monday.")


def test_gathering_for_talks_is_the_talks_with_its_day_and_place(extract_text):
    text = (
        "Envoys from Chile, Peru and Bolivia gathered in Lima on Monday to resume the "
        "negotiations on fishing quotas."
    )
    [(m, parts)] = run(extract_text, text)
    assert m.kind == "negotiations" and m.place == "Lima" and m.date == dt.date(2023, 3, 6)
    assert parts == ["Bolivia", "Chile", "Peru"]


def test_talks_only_striven_for_are_no_meeting(extract_text):
    text = "Chile condemned moves that hinder efforts to resume the Chile-Peru fisheries talks."
    assert not run(extract_text, text)
    text = "Peru recalled its commitment to engage constructively in fisheries talks with Chile."
    assert not run(extract_text, text)


def test_capital_opening_a_sentence_is_no_dateline(extract_text):
    text = "Lima, which is engaged in high-level talks on fishing quotas, rejected the offer."
    [(m, parts)] = run(extract_text, text)
    assert parts == ["Peru"]


def test_meeting_verb_whose_object_is_a_thing_before_it_is_no_meeting(extract_text):
    text = "For citizens of Chile, it is the daily minefield they must negotiate to get to work."
    assert not run(extract_text, text)
    text = "The fishermen of Chile listed the demands the government must meet by Monday."
    assert not run(extract_text, text)


def test_call_named_by_its_parties_is_a_call(extract_text):
    text = (
        "President Ana Rojas of Chile spoke with Prime Minister Luis Vega of Peru on Monday. "
        "After the Rojas-Vega call on Tuesday, Chile announced new quotas."
    )
    got = run(extract_text, text)
    tuesday = [(m, parts) for m, parts in got if m.date == dt.date(2023, 3, 7)]
    [(m, parts)] = tuesday
    assert m.kind == "call" and m.name.startswith("Rojas-Vega call")
    assert parts == ["Ana Rojas", "Luis Vega"]


def test_receiving_someone_is_a_meeting_receiving_things_is_not(extract_text):
    text = "President Ana Rojas of Chile received Prime Minister Luis Vega of Peru in Santiago."
    [(m, parts)] = run(extract_text, text)
    assert m.place == "Santiago" and parts == ["Ana Rojas", "Luis Vega"]
    assert not run(extract_text, "Chile received Patriot missiles from Germany on Monday.")
    assert not run(extract_text, "Chile received thousands of refugees from Peru last year.")


def test_call_asked_for_is_no_call(extract_text):
    assert not run(extract_text, "The host asked viewers to call Senator Ana Rojas on Monday.")


def test_meeting_in_a_relative_clause_with_its_partner_is_a_meeting(extract_text):
    text = "The strike began on Monday, the same day that Ana Rojas of Chile met with Luis Vega."
    [(m, parts)] = run(extract_text, text)
    assert "Luis Vega" in parts
    text = "Ana Rojas will travel to Lima, where she will meet with Peruvian counterparts."
    [(m, parts)] = run(extract_text, text)
    assert m.planned
