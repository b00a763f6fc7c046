"""Relative date resolution against the publication date."""

from __future__ import annotations

import datetime as dt

from kg_builder.extract.dates import find_dates, first_date, is_future, resolve_weekday

THU = dt.date(2022, 1, 13)  # a Thursday


def test_weekday_in_past_clause_resolves_to_most_recent_day():
    assert resolve_weekday(2, THU) == dt.date(2022, 1, 12)


def test_weekday_equal_to_publication_day_is_that_day():
    assert resolve_weekday(3, THU) == THU


def test_weekday_in_future_clause_resolves_forward():
    assert resolve_weekday(0, THU, future=True) == dt.date(2022, 1, 17)


def test_next_weekday_skips_publication_day():
    assert resolve_weekday(3, THU, rel="next") == dt.date(2022, 1, 20)


def test_possessive_weekday_is_found():
    d = first_date("at Tuesday's summit of the bloc", THU)
    assert d is not None and d.date == dt.date(2022, 1, 11)


def test_month_day_after_publication_in_past_moves_to_previous_year():
    d = first_date("The ministers met on December 28.", dt.date(2023, 1, 4))
    assert d is not None and d.date == dt.date(2022, 12, 28)


def test_month_day_in_future_keeps_publication_year():
    d = first_date("The envoy will travel from March 9 to 12.", dt.date(2023, 3, 1), future=True)
    assert d is not None and d.value == "2023-03-09"


def test_day_month_year_and_abbreviated_month_forms():
    values = [m.value for m in find_dates("signed on 5 Sept 2014 and again on Feb. 3", THU)]
    assert values == ["2014-09-05", "2021-02-03"]  # past: not after publication


def test_month_year_without_day_gives_month_precision():
    [m] = find_dates("in October 2019", THU)
    assert m.value == "2019-10" and m.date is None


def test_yesterday_and_iso_dates():
    values = [m.value for m in find_dates("yesterday, not 2021-06-30", THU)]
    assert values == ["2022-01-12", "2021-06-30"]


def test_first_of_two_weekdays_is_taken():
    d = first_date("The talks took place on Monday and Tuesday.", THU)
    assert d is not None and d.date == dt.date(2022, 1, 10)


def test_weekday_without_publication_date_is_not_resolved():
    assert first_date("They met on Monday.", None) is None


def test_future_tense_is_detected_from_will(nlp):
    doc = nlp("The delegations will meet in Oslo on Friday.")
    assert is_future(doc[3])


def test_past_tense_is_not_future(nlp):
    doc = nlp("The delegations met in Oslo on Friday.")
    assert not is_future(doc[2])


def test_is_future_returns_on_a_sentence_without_a_verb(nlp):
    # Regression: the climb to the governing verb compared tokens by identity and never
    # reached the root of a verbless headline.
    doc = nlp("Fresh talks in Lisbon next month.")
    assert any(t.pos_ in {"VERB", "AUX"} for t in doc) is False
    assert is_future(doc[1]) is True  # "next month" cues the future
    doc = nlp("Border talks in Lisbon.")
    assert is_future(doc[1]) is False
