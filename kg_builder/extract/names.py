"""Where a person's name begins and ends: completing the recogniser's PERSON spans.

The statistical recogniser often cuts a name short or splits it:

* at a middle initial: "Dana K. Whitlow" read as "K. Whitlow";
* at the hyphen of a given name: "Park Min-ho" read as "Park Min";
* at a particle: "Greta van der Berg" read as "Greta van der";
* a name of three or more parts in two: "Ana Lucia Ferraz" as "Ana Lucia" + "Ferraz".

:func:`complete_name` grows a span over the pieces a personal name is made of, and only
those: a given name before a middle initial, a hyphen and the piece it joins, a particle and
the capitalised name after it, an adjacent capitalised name word the recogniser left out.
Title words ("Minister"), honorifics ("Mr."), demonyms ("Valdoran"), gazetteer names and
acronyms are never part of a name. Every walk is bounded by the sentence.

Example:
    In "Envoy Dana K. Whitlow arrived", a PERSON entity over "K. Whitlow" grows to
    "Dana K. Whitlow"; "Envoy" stays out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kg_builder.extract import lexicon as lx
from kg_builder.nlp import gazetteer

#: At most this many steps on either side (a step adds one to three tokens).
_MAX_STEPS = 3
_INITIAL = re.compile(r"^[A-Z]\.$")
_HYPHENS = frozenset({"-", "\u2010", "\u2011"})


def is_initial(tok: Token) -> bool:
    """A single capital with a full stop: the middle initial of "Dana K. Whitlow"."""
    return bool(_INITIAL.match(tok.text))


def is_particle(tok: Token) -> bool:
    """A name particle as written inside a name ("van", "der", "bin", "Le", "Di")."""
    return is_particle_word(tok.lower_)


def is_particle_word(lower: str) -> bool:
    """:func:`is_particle` of a word already in lower case."""
    return lower in lx.NAME_PARTICLES


def joined_hyphen(doc: Doc, i: int) -> bool:
    """Whether token ``i`` is a hyphen written without spaces between two words."""
    return (
        0 < i < len(doc) - 1
        and doc[i].text in _HYPHENS
        and not doc[i - 1].whitespace_
        and not doc[i].whitespace_
        and doc[i - 1].is_alpha
        and doc[i + 1].is_alpha
    )


def name_word(tok: Token, *, typed: bool = False) -> bool:
    """A capitalised word that may be part of a personal name.

    Args:
        tok: The token.
        typed: Accept a token the recogniser typed as something else than a person (after a
            particle: "von der Leyen" where "Leyen" was read as a place). Gazetteer names
            never qualify.
    """
    text = tok.text
    if not text[:1].isupper() or tok.ent_id_ or tok.tag_ not in ("NNP", "NNPS"):
        return False
    if not typed and tok.ent_type_ not in ("", "PERSON"):
        return False
    if len(text) > 1 and text.isupper() and not is_initial(tok):
        return False  # an acronym
    low = tok.lower_
    return not (
        low in lx.TITLE_NOUNS
        or low in lx.TITLE_MODIFIERS
        or low.rstrip(".") in lx.HONORIFICS
        or low in lx.HONORIFICS
        or low in lx.OCCUPATION_NOUNS
        or text in lx.NAME_STOP_WORDS
        or text in lx.NON_ACTOR_CUES
        or text in lx.ORGANISATION_HEAD_CUES
        or text in lx.BODY_CUES
        or gazetteer.state_by_demonym(text) is not None
    )


def complete_name(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Grow the name over tokens ``[start, end)`` to the whole name around it.

    Args:
        doc: The parsed document.
        start: First token of the recognised name.
        end: Token after it.

    Returns:
        ``(start, end)`` of the completed name, never outside the sentence.
    """
    sent = doc[start].sent
    s, e = start, end
    for _ in range(_MAX_STEPS):
        grown = _grow_left(doc, s, sent.start)
        if grown == s:
            break
        s = grown
    for _ in range(_MAX_STEPS):
        grown = _grow_right(doc, s, e, sent.end)
        if grown == e:
            break
        e = grown
    return s, e


def _grow_left(doc: Doc, s: int, lo: int) -> int:
    """One step left: the given name before a middle initial, a hyphenated piece, or the
    last word of a person entity right before this one."""
    if s - 1 < lo:
        return s
    prev = doc[s - 1]
    if is_initial(doc[s]) and name_word(prev) and not is_initial(prev):
        return s - 1
    if s - 2 >= lo and joined_hyphen(doc, s - 1) and name_word(doc[s - 2]):
        return s - 2
    if prev.ent_type_ == "PERSON" and prev.ent_iob_ != "O" and name_word(prev):
        return s - 1
    return s


def _grow_right(doc: Doc, s: int, e: int, hi: int) -> int:
    """One step right: a hyphen and its piece ("Min-ho"), particles and the name after them
    ("van der Berg"), or one more capitalised name word ("Ferraz")."""
    if e >= hi or doc[e - 1].text in ("'s", "\u2019s") or doc[e].text in ("'s", "\u2019s"):
        return e
    if joined_hyphen(doc, e) and _hyphen_piece(doc, e + 1, hi):
        return e + 2
    j = e
    while j < hi and j - e < 2 and is_particle(doc[j]) and not doc[j].ent_id_:
        j += 1
    if (j > e or is_particle(doc[e - 1])) and j < hi and name_word(doc[j], typed=True):
        return j + 1
    if name_word(doc[e]) and doc[e].ent_type_ == "PERSON":
        return e + 1
    return _untyped_run(doc, s, e, hi)


def _hyphen_piece(doc: Doc, i: int, hi: int) -> bool:
    """The word after a hyphen in a name: a lower-case syllable of a given name ("Min-ho"),
    or a capitalised word followed by more of the name ("Anne-Marie Roux"), not the second
    name of a pair ("the Lind-Berg talks")."""
    tok = doc[i]
    if tok.text[:1].islower():
        return len(tok.text) <= 5 and tok.is_alpha
    return i + 1 < hi and (name_word(doc[i + 1]) or is_particle(doc[i + 1]))


def _untyped_run(doc: Doc, s: int, e: int, hi: int) -> int:
    """Capitalised words the recogniser left untyped after the name ``[s, e)``: one or two
    that end the noun phrase go on a name of two words or more, as its last parts ("Ana
    Lucia Ferraz", "Roch Marc Albert Oduya"); a name of one word is not grown this way."""
    j = e
    while j < hi and j - e < 2 and doc[j].ent_type_ == "" and name_word(doc[j]):
        j += 1
    if j == e or j < hi and doc[j].text[:1].isupper() and doc[j].tag_ in ("NNP", "NNPS"):
        return e
    words = [t for t in doc[s:e] if t.is_alpha or is_initial(t)]
    return j if len(words) >= 2 else e


def squash(text: str) -> str:
    """A name without spaces, hyphens and case ("Min-ho Park" → "minhopark")."""
    return re.sub(r"[\s\-\u2010-\u2015]+", "", text).lower()


@dataclass(frozen=True)
class ShortForms:
    """How the full names of an article's persons may be shortened later in it.

    Attributes:
        tails: The full name, a surname (the last word, or a middle one: the first of two
            surnames), or the name without its given name ("Lind", "van der Berg", "Le
            Roux"), squashed (:func:`squash`) → the person's key.
        family_first: A family name written first, for names whose given name is
            hyphenated with a lower-case syllable ("Park" of "Park Min-ho") → key.
        firsts: The first word of a full name of two words that no other full name
            shares → key: a family name written first ("Xi" of "Xi Jinping") or a given name
            used alone.
    """

    tails: dict[str, str]
    family_first: dict[str, str]
    firsts: dict[str, str]

    def lookup(self, text: str, *, first: bool = True) -> str | None:
        """The key of the person that ``text`` is a short form of, if any.

        Args:
            text: The words as written.
            first: Whether a first word that is not a family name may stand for the whole
                name (when the recogniser read ``text`` as a person, or a title comes
                before it).
        """
        k = squash(text)
        found = self.tails.get(k) or self.family_first.get(k)
        return found or (self.firsts.get(k) if first else None)


def short_forms(full_names: list[tuple[str, str]]) -> ShortForms:
    """The short forms of full names.

    Args:
        full_names: ``(key, full name)`` pairs, in a stable order (the first key wins).

    Example:
        ``short_forms([("greta-van-der-berg", "Greta van der Berg")]).tails`` maps "berg",
        "vanderberg" (and "derberg") to the key.
    """
    tails: dict[str, list[str]] = {}
    family: dict[str, list[str]] = {}
    firsts: dict[str, list[str]] = {}
    for key, full in full_names:
        parts = [p for p in full.split() if p.lower().rstrip(",") not in lx.NAME_SUFFIXES]
        if len(parts) < 2:
            continue
        tails.setdefault(squash(full), []).append(key)
        tails.setdefault(squash(parts[-1]), []).append(key)
        tails.setdefault(squash(" ".join(parts[1:])), []).append(key)
        for j in range(1, len(parts) - 1):
            if is_particle_word(parts[j].lower()):
                tails.setdefault(squash(" ".join(parts[j:])), []).append(key)
            elif j == len(parts) - 2 and len(parts[j]) > 2 and parts[j][:1].isupper():
                # the first of two surnames, alone or with the second ("Duque", "Duque
                # Márquez" of "Iván Duque Márquez")
                tails.setdefault(squash(parts[j]), []).append(key)
                tails.setdefault(squash(" ".join(parts[j:])), []).append(key)
        given = parts[1].split("-")
        if len(parts) == 2 and len(given) == 2 and given[1][:1].islower():
            family.setdefault(squash(parts[0]), []).append(key)
        if len(parts) == 2 and not is_particle_word(parts[0].lower()):
            firsts.setdefault(squash(parts[0]), []).append(key)
    return ShortForms(_unique(tails), _unique(family), _unique(firsts))


def _unique(keys: dict[str, list[str]]) -> dict[str, str]:
    """The entries that name one person only."""
    return {k: v[0] for k, v in keys.items() if len(set(v)) == 1}
