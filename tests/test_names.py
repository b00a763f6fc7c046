"""Whole personal names: the recogniser's PERSON spans completed, short forms resolved.

The recogniser's mistakes are simulated by setting the entities of a parsed made-up sentence
by hand (a span cut short), so each test shows what the rule adds on its own.
"""

from __future__ import annotations

from spacy.tokens import Span

from kg_builder.extract import extract, names
from kg_builder.models import Article


def _cut(nlp, text: str, cut: str):
    """The parsed ``text`` with one PERSON entity over the words ``cut``."""
    doc = nlp(text)
    start = text.index(cut)
    span = doc.char_span(start, start + len(cut))
    assert span is not None
    doc.ents = [Span(doc, span.start, span.end, label="PERSON")]
    return doc, span.start, span.end


def _completed(nlp, text: str, cut: str) -> str:
    doc, s, e = _cut(nlp, text, cut)
    s, e = names.complete_name(doc, s, e)
    return doc[s:e].text


def test_name_cut_at_a_middle_initial_gets_its_given_name(nlp):
    text = "Trade Secretary Dana K. Whitlow met the delegation on Monday."
    assert _completed(nlp, text, "K. Whitlow") == "Dana K. Whitlow"


def test_title_before_the_name_stays_out(nlp):
    text = "Secretary of Commerce Marcus T. Oduya visited the port."
    assert _completed(nlp, text, "T. Oduya") == "Marcus T. Oduya"


def test_name_cut_at_the_hyphen_of_a_given_name_gets_the_syllable(nlp):
    text = "Fisheries Minister Park Min-ho said the quota would rise."
    assert _completed(nlp, text, "Park Min") == "Park Min-ho"


def test_name_cut_at_a_particle_gets_the_surname(nlp):
    text = "Harbour Commissioner Greta van der Berg said the port would reopen."
    assert _completed(nlp, text, "Greta van der") == "Greta van der Berg"


def test_third_part_of_a_name_left_out_is_added(nlp):
    text = "President Adaeze Nkiru Okafor met the delegation."
    assert _completed(nlp, text, "Adaeze Nkiru") == "Adaeze Nkiru Okafor"


def test_a_name_of_one_word_does_not_swallow_the_next_word(nlp):
    text = "The envoy thanked Okafor Tuesday Group members."
    assert _completed(nlp, text, "Okafor") == "Okafor"


def test_hyphenated_pair_of_surnames_is_not_one_name(nlp):
    text = "The Lind-Berg talks ended without a deal."
    assert _completed(nlp, text, "Lind") == "Lind"


def test_short_forms_of_full_names():
    forms = names.short_forms(
        [
            ("greta-van-der-berg", "Greta van der Berg"),
            ("ivan-duque-marquez", "Iván Duque Márquez"),
            ("park-min-ho", "Park Min-ho"),
            ("seo-jian", "Seo Jian"),
        ]
    )
    assert forms.lookup("van der Berg") == "greta-van-der-berg"
    assert forms.lookup("Berg") == "greta-van-der-berg"
    assert forms.lookup("Duque") == "ivan-duque-marquez"  # the first of two surnames
    assert forms.lookup("Park", first=False) == "park-min-ho"  # family name written first
    assert forms.lookup("Seo", first=False) is None
    assert forms.lookup("Seo") == "seo-jian"
    assert forms.lookup("Greta") is None  # a given name stands alone only for short names


def test_surname_shared_by_two_names_stands_for_neither():
    forms = names.short_forms([("ana-lind", "Ana Lind"), ("ola-lind", "Ola Lind")])
    assert forms.lookup("Lind") is None
    assert forms.lookup("Ola Lind") == "ola-lind"


def test_first_word_shared_by_two_names_stands_for_neither():
    forms = names.short_forms([("ana-lind", "Ana Lind"), ("ana-roux", "Ana Roux")])
    assert forms.lookup("Ana") is None


def test_korean_style_family_name_later_is_the_same_person(extract_text):
    ex = extract_text(
        "Fisheries Minister Park Min-ho said the quota would rise. "
        "Park said later that boats would be checked."
    )
    keys = {a.key for a in ex.actors}
    assert "park-min-ho" in keys and "park" not in keys
    assert sum(m.actor == "park-min-ho" for m in ex.mentions) == 2


def test_occupation_before_a_name_is_not_part_of_it(nlp):
    text = "Economist Lena Varga said the tariffs would hurt farmers."
    doc, _, _ = _cut(nlp, text, "Economist Lena Varga")
    ex = extract(Article(id="t", text=text), doc)
    assert [a.name for a in ex.actors] == ["Lena Varga"]
