"""Clause-level predicates over the parse: negation, voice, infinitives, questions, lists.

Small tests that the demand rules ask of a verb or a sentence; the cue words they read come
from :mod:`kg_builder.extract.lexicon`.

Example:
    In "The council did not ask the mayor to resign.", :func:`negated` holds for "ask"
    and :func:`has_to` for "resign".
"""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from kg_builder.extract import lexicon as lx


def negated(t: Token) -> bool:
    """Whether a verb carries a negation ("did not demand", "never asked")."""
    return any(c.dep_ == "neg" or c.lower_ in lx.NEGATIONS for c in t.children)


def is_passive(v: Token) -> bool:
    """Whether a verb is passive ("was asked")."""
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children)


def has_to(v: Token) -> bool:
    """Whether a verb is a to-infinitive."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)


def is_question(sent: SpacySpan, text: str | None = None) -> bool:
    """Whether a sentence is a question (rhetorical or not).

    ``text`` is the document's text, when the caller holds it: ``Span.text`` rebuilds the
    sentence from its tokens.
    """
    words = sent.text if text is None else text[sent.start_char : sent.end_char]
    return words.rstrip(" \n\"'\u201d\u2019").endswith("?")


def opens_enumeration(sent: SpacySpan) -> bool:
    """Whether a sentence starts an enumerated item ("First, ...", "2. ...")."""
    first = next((t for t in sent if not t.is_space and not t.is_punct), None)
    return first is not None and first.lower_.rstrip(".)") in lx.ENUMERATION_OPENERS


def directive_clause(c: Token, lemma: str) -> bool:
    """Whether a that-clause under verb ``lemma`` states an act to be done (not a fact).

    Args:
        c: Head verb of the that-clause.
        lemma: Lemma of the governing verb ("demand", "insist", "expect").

    Returns:
        True for "demanded that Y withdraw", "insisted that Y should", "expect that Y will";
        False for "insisted that the offer is final".
    """
    aux = {a.lemma_.lower() for a in c.children if a.dep_ in ("aux", "auxpass")}
    if aux & (lx.OBLIGATION_MODALS | {"will", "would"}):
        return lemma in lx.EXPECTATION_VERBS | lx.THAT_CLAUSE_VERBS
    if lemma in lx.MANDATIVE_VERBS:
        return True
    # subjunctive: "insisted that Y withdraw" (base form, no tense)
    return c.tag_ == "VB" or (c.tag_ == "VBN" and "be" in aux)
