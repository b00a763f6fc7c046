"""kg-builder's own spaCy components, added to the loaded model by :func:`add_to_pipeline`.

* ``kgb_paragraphs`` (before the parser): a paragraph break, or a line that ends a
  sentence or is a heading, starts a sentence.
* ``kgb_gazetteer`` (an ``entity_ruler`` before ``ner``): states, capitals, demonyms and
  international organisations from :mod:`kg_builder.nlp.gazetteer`, so gazetteer names win
  over the statistical recogniser.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg_builder.nlp import gazetteer

RULER_NAME = "kgb_gazetteer"
PARAGRAPHS_NAME = "kgb_paragraphs"
_HEADING_MAX = 10  # tokens: a shorter line without final punctuation is a heading


@Language.component(PARAGRAPHS_NAME)
def paragraph_sentences(doc: Doc) -> Doc:
    """Start a sentence after a paragraph break, and after a line that ends a sentence or
    is a heading ("Reply to the council"), unless the next line goes on in lower case
    (hard-wrapped copy). Runs before the parser, which keeps these boundaries.

    Args:
        doc: A tokenised document.

    Returns:
        The same document with ``is_sent_start`` set at those places.
    """
    line_len = 0
    for i, tok in enumerate(doc):
        if tok.is_space:
            continue
        prev = doc[i - 1] if i else None
        brk = prev is not None and ("\n" in prev.whitespace_ or prev.is_space and "\n" in prev.text)
        if brk and tok.text[:1].isalpha() and tok.text[:1].islower():
            brk = False  # a wrapped line continues its sentence
        if brk:
            j = i - 1
            while j > 0 and doc[j].is_space:
                j -= 1
            last = doc[j]
            whitespace = prev.text if prev.is_space else prev.whitespace_
            if (
                "\n\n" in whitespace
                or "\n" in whitespace
                and (
                    last.text in {".", "!", "?", ":", "\u201d", '"', "\u2019"}
                    or line_len <= _HEADING_MAX
                )
            ):
                tok.is_sent_start = True
            line_len = 0
        line_len += 1
    return doc


def add_to_pipeline(nlp: Language) -> None:
    """Add paragraph sentence breaks before the parser and the gazetteer EntityRuler
    before ``ner`` so gazetteer names win.

    Args:
        nlp: A loaded English pipeline; changed in place (idempotent).
    """
    if PARAGRAPHS_NAME not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPHS_NAME, before="parser")
    if RULER_NAME in nlp.pipe_names:
        return
    where = {"before": "ner"} if "ner" in nlp.pipe_names else {}
    ruler = nlp.add_pipe(
        "entity_ruler",
        name=RULER_NAME,
        config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True},
        **where,
    )
    ruler.add_patterns(gazetteer.ruler_patterns())
