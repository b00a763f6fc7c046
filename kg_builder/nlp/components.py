"""kg-builder's own spaCy components, added to the loaded model by :func:`add_to_pipeline`.

* ``kgb_paragraphs`` (before the parser): a paragraph break, or a line that ends a
  sentence or is a heading, starts a sentence.
* ``kgb_gazetteer`` (an ``entity_ruler`` before ``ner``): states, capitals, demonyms and
  international organisations from :mod:`kg_builder.nlp.gazetteer`, so gazetteer names win
  over the statistical recogniser.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc, Token

from kg_builder.nlp import gazetteer

RULER_NAME = "kgb_gazetteer"
PARAGRAPHS_NAME = "kgb_paragraphs"
_HEADING_MAX = 10  # tokens: a shorter line without final punctuation is a heading
#: Longest sentence handed to the parser, in tokens. Longer runs without a sentence end
#: are lists, tables or run-ons (4 lines of 41,558 in the open corpus); parsers do badly on
#: them, and the cost of some extraction rules grows with the square of sentence length.
MAX_SENTENCE_TOKENS = 200
_SENTENCE_ENDS = frozenset({".", "!", "?"})
#: Where an over-long sentence is best cut: after these tokens.
_SOFT_BREAKS = frozenset({",", ";", ":", "\u2014", "\u2013", "-", "|", "and", "or"})


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
        if brk and prev is not None:
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
        elif _inside_clause(prev, tok):
            tok.is_sent_start = False
        line_len += 1
    _cap_sentence_length(doc)
    return doc


def _inside_clause(prev: Token | None, tok: Token) -> bool:
    """Whether ``tok`` goes on the sentence of ``prev`` on the same line: a word right after
    a word, with no mark between them, never starts a sentence ("... Foreign Affairs and
    Security Policy Ana Lind, and ..." is one sentence however long its list of names)."""
    if prev is None or "\n" in prev.whitespace_ or prev.is_space:
        return False
    return prev.text[-1:].isalnum() and tok.text[:1].isalpha()


def _cap_sentence_length(doc: Doc, limit: int = MAX_SENTENCE_TOKENS) -> None:
    """Start a sentence in any run of ``limit`` tokens without a sentence end.

    The cut goes after the last comma, semicolon, dash or conjunction in the second half
    of the run, else at the limit itself.
    """
    start, soft = 0, -1
    for i, tok in enumerate(doc):
        if i > start and (tok.is_sent_start or doc[i - 1].text in _SENTENCE_ENDS):
            start, soft = i, -1
        if i - start + 1 >= limit:
            cut = soft if start + limit // 2 < soft <= i else i
            doc[cut].is_sent_start = True
            start, soft = cut, -1
        if tok.lower_ in _SOFT_BREAKS:
            soft = i + 1


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
    ruler = nlp.add_pipe(
        "entity_ruler",
        name=RULER_NAME,
        config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True},
        before="ner" if "ner" in nlp.pipe_names else None,
    )
    assert isinstance(ruler, EntityRuler)
    # The phrase patterns match on ORTH, which the tokenizer alone sets. Left alone,
    # add_patterns runs every component before the ruler (tagger, parser, ...) over each
    # of the thousands of patterns: most of the model's load time, in every process.
    with nlp.select_pipes(disable=nlp.pipe_names):
        ruler.add_patterns(gazetteer.ruler_patterns())
