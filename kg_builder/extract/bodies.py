"""Government bodies: ministries, armies, parliaments, administrations of a state.

"Chile's Foreign Ministry", "the Ministry of Defence of Peru", "the Chilean Defense
Ministry", "the Peruvian army", "the Hollis administration" and, after a qualified first
mention, "the ministry" alone. A body is keyed ``STATE-FUNCTION`` ("chile-foreign-
ministry") and is ``part_of`` its state; the function comes from
:data:`~kg_builder.extract.lexicon.BODY_HEADS` and its neighbours.
Called by :func:`kg_builder.extract.actors.find_actors` with its builder.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from spacy.tokens import Doc, Token

from kg_builder.extract import lexicon as lx
from kg_builder.models import ActorKind
from kg_builder.nlp import gazetteer


class DraftActor(Protocol):
    """An actor being built: its name may still grow ("the ministry" → a fuller name)."""

    name: str
    kind: ActorKind
    aliases: list[str]


class ActorRecorder(Protocol):
    """What this module needs of the document's actor builder (see ``extract.actors``)."""

    @property
    def doc(self) -> Doc:
        """The parsed document."""

    @property
    def tokens(self) -> list[Token]:
        """The document's tokens, by index."""

    @property
    def found(self) -> Mapping[tuple[int, int], str]:
        """Recorded mentions: token span → actor key."""

    @property
    def drafts(self) -> Mapping[str, DraftActor]:
        """Actors recorded so far, by key."""

    @property
    def skip(self) -> set[int]:
        """Token indices that cannot be part of an actor's name."""

    def actor(
        self,
        key: str,
        name: str,
        kind: ActorKind,
        *,
        aliases: tuple[str, ...] = (),
        wikidata: str | None = None,
        part_of: str | None = None,
    ) -> str:
        """Record an actor (or add to it); its key."""

    def gaz_actor(self, e: gazetteer.Entry) -> str:
        """Record a gazetteer entry as an actor; its key."""

    def mention(self, start: int, end: int, key: str) -> None:
        """Record that tokens ``[start, end)`` name the actor ``key``."""

    def unmention(self, start: int, end: int) -> None:
        """Forget the mention of tokens ``[start, end)``."""

    def covered(self, i: int) -> str | None:
        """Key of the mention covering token ``i``, if any."""


def add_body(
    b: ActorRecorder,
    start: int,
    end: int,
    state: str | None,
    function: str,
    *,
    name: str,
    kind: ActorKind = ActorKind.GOVERNMENT_BODY,
    aliases: tuple[str, ...] = (),
) -> str | None:
    """Record a body of ``state`` with ``function`` and its mention; its key or None.

    Args:
        b: The actor builder of the document.
        start: First token of the mention.
        end: Token after the mention.
        state: Key of the state the body belongs to (None: nothing is recorded).
        function: Function slug ("foreign-ministry", "military").
        name: Canonical name.
        kind: Actor class.
        aliases: Other names.
    """
    if state is None:
        return None
    e = gazetteer.entry(state)
    if e is not None:
        b.gaz_actor(e)
    key = f"{state}-{function}"
    b.actor(key, name, kind, part_of=state, aliases=aliases)
    b.mention(start, end, key)
    return key


def salient_state(b: ActorRecorder, before: int) -> str | None:
    """The state mentioned most often before token offset ``before`` (ties: by key)."""
    counts: dict[str, int] = {}
    for (s, _), k in sorted(b.found.items()):
        if s < before and b.drafts[k].kind == ActorKind.STATE:
            counts[k] = counts.get(k, 0) + 1
    return max(sorted(counts), key=lambda k: counts[k]) if counts else None


def state_of(b: ActorRecorder, toks: list[Token]) -> tuple[str | None, str | None]:
    """State key and demonym from qualifiers: "Chilean", "Chile's", "US", "of Peru"."""
    for t in toks:
        st = gazetteer.state_by_demonym(t.text)
        if st is not None and t.text[:1].isupper():
            return st.key, (t.text if t.text in st.demonyms and not t.is_upper else None)
        k = b.covered(t.i)
        if k and b.drafts[k].kind == ActorKind.STATE:
            return k, None
    return None, None


def find_bodies(b: ActorRecorder) -> None:
    """Find government bodies in the document and record them on the builder ``b``.

    A body noun ("ministry", "army", "armed forces") with a qualifier that names its state
    ("the Valdoran army", "Valdora's Foreign Ministry", "the Ministry of Defence of Valdora")
    is a body of that state. Without one, it is the last body of the same function ("the
    ministry" after "the Foreign Ministry of Valdora"), or, capitalised, a body of the state
    the article speaks of most so far.
    """
    doc = b.doc
    last_by_fn: dict[str, str] = {}
    for t in b.tokens:
        fn = _body_function(b, t)
        if fn is None:
            continue
        left, mods, of_toks = _noun_phrase(t)
        if _counted_soldiers(t):
            continue
        state, demonym = state_of(b, mods + of_toks)
        if fn == "administration":
            _add_administration(b, t, left, mods, state)
            continue
        if state is None and _owned_by_another(mods):
            continue  # "his troops", "Northern Forces", "UN forces": not a state's body
        if t.lower_ in lx.TROOP_NOUNS and _counted_before(doc, left):
            continue
        if state is None:
            if fn in last_by_fn:
                b.mention(_without_article(doc, left), t.i + 1, last_by_fn[fn])
                continue
            if not t.text[0].isupper() or fn in lx.STATE_BOUND_FUNCTIONS or fn == "ministry":
                continue  # a bare "the Ministry" or "the Department": no state, no field
            state = salient_state(b, t.idx)
            if state is None:
                continue
        if fn == "military" and t.lower_ in lx.TROOP_NOUNS and demonym is None:
            continue  # "UN forces", "US troops": not read as a state's institution
        key = _add_state_body(b, t, fn, left, of_toks, state, demonym)
        if key:
            last_by_fn[fn] = key
            last_by_fn.setdefault("ministry" if "ministry" in key else fn, key)


def _body_function(b: ActorRecorder, t: Token) -> str | None:
    """The function of a body noun ("Ministry" → by its field, "army" → military), if ``t``
    is one and not already part of another actor's mention."""
    if t.i in b.skip or t.pos_ not in ("NOUN", "PROPN"):
        return None
    covering = b.covered(t.i)
    if covering is not None and b.drafts[covering].kind != ActorKind.GOVERNMENT_BODY:
        return None
    doc = b.doc
    low = t.lower_
    if (
        low in ("ministry",)
        and (t.text[0].isupper() or t.i and doc[t.i - 1].lower_ in lx.MINISTRY_HEAD_MODIFIERS)
        or low == "department"
        and t.text[0].isupper()
    ):
        return ministry_function(b, t)
    if t.i > 0 and (doc[t.i - 1].lower_, low) in lx.BODY_PAIRS:
        return lx.BODY_PAIRS[(doc[t.i - 1].lower_, low)]
    if low in lx.BODY_HEADS or low == "forces":
        return lx.BODY_HEADS.get(low, "military")
    return None


def _noun_phrase(t: Token) -> tuple[int, list[Token], list[Token]]:
    """The body noun's phrase: where its left modifiers start, those modifiers, and the
    capitalised words of an "of X" complement ("Ministry of Defence of Valdora")."""
    doc = t.doc
    left = t.i
    while (
        left - 1 >= t.sent.start
        and (doc[left - 1].head.i in range(left - 1, t.i + 1) or doc[left - 1].dep_ == "case")
        and doc[left - 1].dep_ in ("compound", "amod", "poss", "case", "det", "nmod")
        and doc[left - 1].pos_ != "VERB"
    ):
        left -= 1
    mods = [x for x in doc[left : t.i]]
    of_toks: list[Token] = []
    head_end = t.i + 1
    if head_end < len(doc) and doc[head_end].lower_ == "of":
        j = head_end + 1
        while (
            j < len(doc)
            and (doc[j].text[:1].isupper() or doc[j].lower_ in ("the", "of"))
            and doc[j].pos_ in ("PROPN", "DET", "ADP", "NOUN", "ADJ")
        ):
            j += 1
        of_toks = list(doc[head_end + 1 : j])
    return left, mods, of_toks


def _counted_soldiers(t: Token) -> bool:
    """A number of soldiers, not an institution: "6,000 troops", "a unit of 300 troops"."""
    if any(x.like_num or x.dep_ == "nummod" for x in t.children):
        return True
    return (
        t.lower_ in lx.TROOP_NOUNS
        and any(c.dep_ == "prep" and c.lower_ == "of" for c in [t.head])
        and t.dep_ == "pobj"
        and any(x.like_num for x in t.head.head.subtree)
    )


def _counted_before(doc: Doc, left: int) -> bool:
    """A number or a round-number noun just before the phrase ("thousands of troops")."""
    return any(x.like_num or x.lower_ in lx.COUNT_NOUNS for x in doc[max(0, left - 5) : left])


def _owned_by_another(mods: list[Token]) -> bool:
    """Whether an unqualified body's modifiers name an owner other than a state."""
    return any(
        x.lower_ not in ("the",)
        and not (x.lower_ in lx.MINISTRY_FUNCTIONS or x.lower_ in lx.BODY_NAME_WORDS)
        for x in mods
    )


def _without_article(doc: Doc, left: int) -> int:
    return left if doc[left].lower_ != "the" else left + 1


def _add_administration(
    b: ActorRecorder, t: Token, left: int, mods: list[Token], state: str | None
) -> None:
    """ "the Hollis administration": a body keyed by the leader's surname."""
    doc = b.doc
    name_toks = [
        x
        for x in mods
        if x.ent_type_ == "PERSON"
        or (x.pos_ == "PROPN" and x.text[:1].isupper() and not b.covered(x.i))
    ]
    if not name_toks:
        return
    surname = name_toks[-1].text
    key = f"{gazetteer.slug(surname)}-administration"
    start = name_toks[0].i
    while start > left and doc[start - 1].lower_ != "the":
        start -= 1
    text = doc[name_toks[0].i : t.i + 1].text
    b.actor(key, text, ActorKind.GOVERNMENT_BODY, part_of=state)
    d = b.drafts[key]
    if len(text) > len(d.name):
        d.aliases.append(d.name)
        d.name = text
    for x in name_toks:  # the person named is not an acting mention here
        b.unmention(x.i, x.i + 1)
    b.mention(name_toks[0].i, t.i + 1, key)


def _add_state_body(
    b: ActorRecorder,
    t: Token,
    fn: str,
    left: int,
    of_toks: list[Token],
    state: str,
    demonym: str | None,
) -> str | None:
    """Record the body of ``state`` headed by ``t``, named by the state's demonym."""
    doc = b.doc
    st = gazetteer.entry(state)
    dem = demonym or (st.demonyms[0] if st and st.demonyms else (st.name if st else state))
    start = _without_article(doc, left)
    end = t.i + 1
    if of_toks and any(b.covered(x.i) == state for x in of_toks):
        end = max(x.i for x in of_toks if b.covered(x.i) == state) + 1
    if fn.endswith("ministry") or t.lower_ in lx.MINISTRY_NOUNS:
        fn_words = function_words(b, t)
        key_fn = fn if fn.endswith("ministry") else f"{fn}-ministry"
        short = f"{dem} {fn_words} Ministry" if fn_words else f"{dem} Ministry"
        full = lx.MINISTRY_FULL_NAMES.get(fn, fn_words)
        aliases = (f"{dem} Ministry of {full}", f"{dem} {fn_words} Ministry")
        return add_body(b, start, end, state, key_fn, name=short, aliases=aliases)
    head_words = (
        doc[t.i : t.i + 1].text
        if (doc[t.i - 1].lower_, t.lower_) not in lx.BODY_PAIRS
        else doc[t.i - 1 : t.i + 1].text
    )
    return add_body(b, start, end, state, fn, name=f"{dem} {head_words}")


def ministry_function(b: ActorRecorder, t: Token) -> str:
    """Function key of a ministry head token ("Foreign Ministry" → "foreign-ministry")."""
    words = function_words(b, t).lower()
    if not words:
        return "ministry"
    fn = (
        lx.MINISTRY_FUNCTIONS.get(words)
        or lx.MINISTRY_FUNCTIONS.get(words.split()[-1])
        or gazetteer.slug(words)
    )
    return f"{fn}-ministry"


def function_words(b: ActorRecorder, t: Token) -> str:
    """ "Foreign" in "Foreign Ministry", "Foreign Affairs" in "Ministry of Foreign Affairs"."""
    doc = b.doc
    words: list[str] = []
    j = t.i - 1
    while (
        j >= 0
        and doc[j].text[:1].isalpha()
        and (doc[j].lower_ in lx.MINISTRY_FUNCTIONS or doc[j].lower_ in lx.MINISTRY_FUNCTION_WORDS)
    ):
        words.insert(0, doc[j].text)
        j -= 1
    if not words and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "of":
        j = t.i + 2
        while (
            j < len(doc)
            and doc[j].text[:1].isupper()
            and doc[j].pos_ in ("PROPN", "NOUN")
            and not ((k := b.covered(j)) and b.drafts[k].kind == ActorKind.STATE)
        ):
            words.append(doc[j].text)
            j += 1
    return " ".join(words)
