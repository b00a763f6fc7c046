"""Coreference: pronouns and definite descriptions → the actors found before them.

Deliberately small and explainable (no new dependencies):

* ``he/him/his/she/her`` → the most recent person (persons named as subject weigh more);
* ``it/its`` → the most recent organisation, body or state (singular);
  ``they/them/their`` → the most recent collective actor, organisation or state;
* definite descriptions "the + [modifiers] + head":

  - a role head (minister, president, spokesperson, envoy, diplomat...) → the most recent
    person whose known post shares the head word (a "diplomat" is anyone whose post is
    diplomatic), and whose state agrees with a demonym in the description;
  - "the ministry", "the alliance", "the bloc", "the group", "the union", "the company",
    "the agency" → the most recent actor of a compatible kind;
  - a description of an unnamed person or group acting in the text ("a Peruvian source
    told ...", "an army source in Lima said", "the co-chairs of the budget panel")
    that no antecedent fits → a new actor named by the description. The mention spans
    the whole noun phrase, so it wins over the demonym inside it ("Peruvian" → Peru).

Pronoun antecedents are ranked by centering: a candidate earlier in the same sentence,
else, sentence by sentence backwards, a grammatical subject before other mentions.
Modifier demonyms ("Chilean" in "Chilean soldier") and plural forms are not antecedents
of "it"; "he/she" only ever refer to persons, "it" never does.

Each resolved reference becomes a :class:`~kg_builder.models.Mention` (so
``ctx.actors.resolve_token`` answers for it); descriptions, not pronouns, also become aliases.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kg_builder.extract import lexicon as lx
from kg_builder.extract import posts
from kg_builder.extract.context import DocContext, Stage, span_of_tokens
from kg_builder.extract.tree import climb
from kg_builder.models import Actor, ActorKind, Mention
from kg_builder.nlp import gazetteer

_NON_PERSON = frozenset(
    {
        ActorKind.STATE,
        ActorKind.GOVERNMENT_BODY,
        ActorKind.ORGANISATION,
        ActorKind.INTERNATIONAL_ORGANISATION,
        ActorKind.POLITICAL_PARTY,
        ActorKind.ARMED_GROUP,
        ActorKind.COMPANY,
        ActorKind.MEDIA_ORGANISATION,
        ActorKind.NGO,
        ActorKind.UNION,
    }
)
_WINDOW = 1500  # characters: antecedents further back are not considered
#: Grammatical roles in which an unnamed description acts or is acted upon.
_ARG_DEPS = frozenset({"nsubj", "nsubjpass", "dobj"})


def _titles(ctx: DocContext) -> dict[str, tuple[set[str], set[str]]]:
    """Person key → (words of their post titles, states/orgs of those posts)."""
    out: dict[str, tuple[set[str], set[str]]] = {}
    for p in posts.find_posts(ctx):
        words, orgs = out.setdefault(p.person, (set(), set()))
        words.update(w.lower() for w in p.title.replace("-", " ").split())
        if p.organisation:
            orgs.add(p.organisation)
            parent = ctx.actors.actors.get(p.organisation)
            if parent is not None and parent.part_of:
                orgs.add(parent.part_of)
    return out


def _candidates(ctx: DocContext, before: int) -> list[tuple[Mention, Actor]]:
    """Mentions before ``before`` (most recent first), with their actors."""
    out = []
    for m in reversed(ctx.actors.mentions_in(max(0, before - _WINDOW), before)):
        a = ctx.actors.actors.get(m.actor)
        if a is not None:
            out.append((m, a))
    return out


def _mention_root(ctx: DocContext, m: Mention) -> Token | None:
    return ctx.root_at(m.span.start, m.span.end)


def _is_modifier(root: Token) -> bool:
    """A demonym or name modifying a common noun ("Chilean soldier"): not an NP of its own."""
    return (
        root.dep_ in ("amod", "compound", "nmod")
        and root.head.pos_ == "NOUN"
        and (root.pos_ == "ADJ" or root.head.i > root.i)
    )


def _is_subject(root: Token) -> bool:
    cur = climb(root, lambda t: t.dep_ in ("conj", "appos"))
    return cur.dep_ in ("nsubj", "nsubjpass")


def _ranked(ctx: DocContext, tok: Token, cands: list[tuple[Mention, Actor]]) -> list[str]:
    """Candidate keys ordered by salience: same sentence (most recent first), then each
    earlier sentence with its subjects first, then its other mentions left to right."""
    sent_start = tok.sent.start_char
    same = [a.key for m, a in cands if m.span.start >= sent_start]
    by_sent: dict[int, list[tuple[Mention, Actor]]] = {}
    for m, a in cands:
        if m.span.start < sent_start:
            by_sent.setdefault(m.span.sent_start, []).append((m, a))
    out = list(same)
    for start in sorted(by_sent, reverse=True):
        group = sorted(by_sent[start], key=lambda ma: ma[0].span.start)
        roots = [(_mention_root(ctx, m), a) for m, a in group]
        out += [a.key for r, a in roots if r is not None and _is_subject(r)]
        out += [a.key for r, a in roots if r is None or not _is_subject(r)]
    return out


def _pronoun(ctx: DocContext, tok: Token, genders: dict[str, str]) -> str | None:
    low = tok.lower_
    cands = _candidates(ctx, tok.idx)
    if low in lx.MALE_PRONOUNS or low in lx.FEMALE_PRONOUNS:
        g = "m" if low in lx.MALE_PRONOUNS else "f"
        # persons in the same or previous sentence, subjects first, then most recent
        persons = [
            (m, a) for m, a in cands if a.kind == ActorKind.PERSON and genders.get(a.key, g) == g
        ]
        if not persons:
            return None
        sent_start = tok.sent.start_char
        same = [(m, a) for m, a in persons if m.span.start >= sent_start]
        if same:
            return same[0][1].key
        # an earlier sentence: its subject before its other persons ("X was on stage while
        # Y flew over. He said ..." is X)
        return _ranked(ctx, tok, persons)[0]
    if low in lx.THING_PRONOUNS:
        keep = []
        for m, a in cands:
            root = _mention_root(ctx, m)
            if a.kind not in _NON_PERSON or root is None or _is_modifier(root):
                continue
            if root.tag_ in ("NNS", "NNPS") and a.kind != ActorKind.STATE:
                continue  # "ASEAN members", "the Peruvians": not "it"
            if root.tag_ in ("NNS", "NNPS") and root.lower_ == m.text.lower():
                continue
            keep.append((m, a))
        ranked = _ranked(ctx, tok, keep)
        return ranked[0] if ranked else None
    if low in lx.PLURAL_PRONOUNS:
        keep = [
            (m, a)
            for m, a in cands
            if (a.kind == ActorKind.COLLECTIVE_ACTOR or a.kind in _NON_PERSON)
            and (r := _mention_root(ctx, m)) is not None
            and not _is_modifier(r)
        ]
        ranked = _ranked(ctx, tok, keep)
        return ranked[0] if ranked else None
    return None


def _expletive(tok: Token) -> bool:
    """Non-referring "it": "it is wise to ...", "it seems that", "as long as it takes"."""
    if tok.dep_ == "expl":
        return True
    head = tok.head
    if tok.dep_ not in ("nsubj", "nsubjpass"):
        return False
    if head.lemma_ in lx.EXPLETIVE_VERBS:
        return True
    extraposed = any(c.dep_ in ("xcomp", "ccomp", "csubj") and c.i > head.i for c in head.children)
    predicative = any(c.dep_ in ("acomp", "attr") for c in head.children)
    return head.lemma_ == "be" and predicative and extraposed


def _np_range(tok: Token) -> tuple[int, int]:
    """Token range ``[start, end)`` of the noun phrase headed by ``tok``: its left
    dependents (across a split hyphenated head: "co - chairs") and restricting
    prepositional phrases ("source in Lima", "co-chairs of the budget panel")."""
    doc = tok.doc
    first = tok
    while (
        first.i - 2 >= tok.sent.start
        and doc[first.i - 1].text in ("-", "\u2010")
        and not doc[first.i - 1].whitespace_
        and not doc[first.i - 2].whitespace_
    ):
        first = doc[first.i - 2]
    left = min(first.left_edge.i, tok.left_edge.i)
    right = tok.i + 1
    for c in tok.children:
        if c.dep_ == "amod" and c.i == right and c.pos_ == "ADJ":
            sub = list(c.subtree)  # "a source close to the talks"
            if len(sub) <= 8:
                right = sub[-1].i + 1
        elif c.dep_ == "prep" and c.i == right and c.lower_ in lx.DESCRIPTION_COMPLEMENT_PREPS:
            sub = list(c.subtree)
            if len(sub) <= 8 and not any(
                t.dep_ in ("relcl", "acl", "advcl", "ccomp", "xcomp") for t in sub
            ):
                right = sub[-1].i + 1
    while right - 1 > tok.i and doc[right - 1].is_punct:
        right -= 1
    return left, right


def _head_word(doc: Doc, tok: Token) -> str:
    """Lower-case lemma of a (possibly hyphen-split) head noun: "co - chairs" → co-chair."""
    lemma = tok.lemma_.lower()
    if tok.i >= 2 and doc[tok.i - 1].text in ("-", "\u2010") and not doc[tok.i - 1].whitespace_:
        return f"{doc[tok.i - 2].lower_}-{lemma}"
    return lemma


def _role(tok: Token) -> bool:
    """Whether the noun phrase is an argument that acts or is acted upon."""
    cur = climb(tok, lambda t: t.dep_ == "conj")
    if cur.dep_ in _ARG_DEPS:
        return True
    return cur.dep_ == "pobj" and cur.head.lower_ in lx.DESCRIPTION_ARGUMENT_PREPS


def _person_antecedent(
    ctx: DocContext,
    head: str,
    mods: list[Token],
    states: set[str],
    start: int,
    titles: dict[str, tuple[set[str], set[str]]],
) -> str | None:
    """The most recent person whose post fits the description's head, modifiers and state."""
    want = {
        m.lower_
        for m in mods
        if m.lower_ in lx.TITLE_MODIFIERS and m.lower_ not in lx.SENIORITY_WORDS
    } | {head}
    for _, a in _candidates(ctx, start):
        if a.kind != ActorKind.PERSON or a.key not in titles:
            continue
        words, orgs = titles[a.key]
        if states and orgs and not (states & orgs):
            continue
        if head in words and want <= words | {"senior", "top"}:
            return a.key
        if head in ("diplomat", "official") and (
            words & lx.DIPLOMATIC_TITLES or head == "official"
        ):
            return a.key
    return None


@dataclass(frozen=True)
class _Description:
    """A noun phrase that may describe an actor ("the deputy minister", "a source in the
    port", "the bloc"): its head and the words around it."""

    tok: Token  # the head noun
    head: str  # its lower-case lemma, hyphenated words joined ("co-chair")
    left: int  # token range of the noun phrase
    right: int
    det: str  # the phrase's first word, lower case ("the", "a", ...)
    pre: list[Token]  # words before the head, without the article
    states: set[str]  # states named by demonyms among them

    @property
    def singular(self) -> bool:
        return self.tok.tag_ not in ("NNS", "NNPS")

    @property
    def complement(self) -> bool:
        """Whether a complement or a possessive restricts it ("a source in the port")."""
        return self.right > self.tok.i + 1 or any(t.dep_ == "poss" for t in self.pre)


def _read_description(tok: Token) -> _Description | None:
    """The description headed by ``tok``; None when it is someone's ("his deputy")."""
    doc = tok.doc
    left, right = _np_range(tok)
    if left < tok.sent.start:
        return None
    det = doc[left].lower_
    pre = [t for t in doc[left : tok.i] if t.i != left or det not in lx.ARTICLES]
    if any(t.lower_ in lx.POSSESSIVE_PRONOUNS for t in pre):
        return None
    states = set()
    for mtok in pre:
        st = gazetteer.state_by_demonym(mtok.text)
        if st is not None:
            states.add(st.key)
    return _Description(tok, _head_word(doc, tok), left, right, det, pre, states)


def _description(
    ctx: DocContext, tok: Token, titles: dict[str, tuple[set[str], set[str]]]
) -> tuple[str, int, int] | None:
    """Resolve a description headed by ``tok``. Returns (key, start, end) token indices."""
    d = _read_description(tok)
    if d is None:
        return None
    if d.head in lx.TITLE_NOUNS or d.head in lx.DESCRIPTION_PERSON_NOUNS:
        return _person_description(ctx, d, titles)
    if d.det != "the":
        return None
    return _organisation_description(ctx, d)


def _person_description(
    ctx: DocContext, d: _Description, titles: dict[str, tuple[set[str], set[str]]]
) -> tuple[str, int, int] | None:
    """ "the deputy minister" → the person named before whose post fits; "a source close to
    the mayor", "the co-chairs of the panel" acting in the text → a new, unnamed actor."""
    tok, left, right, det = d.tok, d.left, d.right, d.det
    if any(c.dep_ == "appos" for c in tok.children):
        return None  # "the spokesman, X,": the name is there
    if d.singular and det == "the":
        key = _person_antecedent(ctx, d.head, d.pre, d.states, ctx.doc[left].idx, titles)
        if key is not None:
            return key, left, tok.i + 1
    if not _role(tok):
        return None
    if not (d.singular and det in ("a", "an") or d.complement and det in lx.ARTICLES):
        return None
    if not d.singular and not d.complement or right - left <= 2 and det in ("a", "an"):
        return None  # "an official" alone does not single anyone out
    if not d.singular and _members_of_known_actor(ctx, d):
        return None  # "officials of the Health Ministry": members of a known actor
    return _new_actor(ctx, ctx.doc, left, right, d.singular), left, right


def _members_of_known_actor(ctx: DocContext, d: _Description) -> bool:
    """Whether the phrase from its head on names an actor other than a person."""
    doc = ctx.doc
    last = doc[d.right - 1]
    inner = ctx.actors.mentions_in(doc[d.tok.i].idx, last.idx + len(last))
    return any(
        ctx.actors.actors[m.actor].kind != ActorKind.PERSON
        for m in inner
        if m.actor in ctx.actors.actors
    )


def _organisation_description(ctx: DocContext, d: _Description) -> tuple[str, int, int] | None:
    """ "the ministry", "the bloc", "the company" → the most recent actor of a kind the
    head fits (of the same state, when a demonym says which)."""
    tok, left = d.tok, d.left
    kinds = lx.DESCRIPTION_ORG_HEADS.get(tok.lower_)
    if kinds is None:
        return None
    if tok.text[:1].isupper() and any(
        p.text[:1].isupper() and gazetteer.state_by_demonym(p.text) is None for p in d.pre
    ):
        return None  # "the Green Party" is a name of its own, not a description
    for _, a in _candidates(ctx, ctx.doc[left].idx):
        if a.kind not in kinds:
            continue
        if tok.lower_ in ("alliance", "bloc"):
            e = gazetteer.entry(a.key)
            if e is None or e.org_kind not in lx.ALLIANCE_ORG_KINDS:
                continue
        if tok.lower_ in lx.MINISTRY_NOUNS and "ministry" not in a.key:
            continue
        if d.states and a.part_of not in d.states and a.key not in d.states:
            continue
        return a.key, left, tok.i + 1
    return None


def _new_actor(ctx: DocContext, doc: Doc, left: int, right: int, singular: bool) -> str:
    """An unnamed person ("Peruvian source") or group ("co-chairs of X") named by its words."""
    span = doc[left:right]
    words = span.text
    name = words.split(" ", 1)[1] if doc[left].lower_ in lx.ARTICLES and len(span) > 1 else words
    name = (
        name[:1].lower() + name[1:]
        if name[:1].isupper() and not gazetteer.state_by_demonym(name.split()[0])
        else name
    )
    key = gazetteer.slug(name)
    kind = ActorKind.PERSON if singular else ActorKind.COLLECTIVE_ACTOR
    old = ctx.actors.actors.get(key)
    if old is not None:
        return key
    ctx.actors.add_actor(Actor(key, name, kind, (words,) if words != name else (), named=False))
    return key


def resolve(ctx: DocContext) -> None:
    """Add mentions for pronouns and descriptions that refer to actors.

    Args:
        ctx: The article after :func:`kg_builder.extract.actors.find_actors`.

    Example:
        "Deputy Foreign Minister Ana Rojas spoke first. The Chilean diplomat said she
        ..." adds mentions of ``ana-rojas`` for "The Chilean diplomat" and "she"; "A
        Peruvian source told reporters ..." adds the actor ``peruvian-source`` (not Peru).
    """
    doc = ctx.doc
    titles = _titles(ctx)
    genders: dict[str, str] = {}
    pronouns = lx.PERSON_PRONOUNS | lx.THING_PRONOUNS | lx.PLURAL_PRONOUNS
    for tok in ctx.tokens:
        low = tok.lower_
        if tok.pos_ == "PRON" and low in pronouns:
            if ctx.actors.mention_at(tok.idx, tok.idx + len(tok)) is not None:
                continue
            if low in lx.THING_PRONOUNS and _expletive(tok):
                continue
            key = _pronoun(ctx, tok, genders)
            if key is None:
                continue
            if low in lx.PERSON_PRONOUNS:
                genders.setdefault(key, "m" if low in lx.MALE_PRONOUNS else "f")
            ctx.actors.add_mention(Mention(key, tok.text, span_of_tokens(tok)))
            continue
        if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ == "compound":
            continue
        head = _head_word(doc, tok)
        if not (
            head in lx.TITLE_NOUNS
            or head in lx.DESCRIPTION_PERSON_NOUNS
            or low in lx.DESCRIPTION_ORG_HEADS
        ):
            continue
        if ctx.actors.mention_at(tok.idx, tok.idx + len(tok)) is not None:
            continue
        if low in lx.DESCRIPTION_ORG_HEADS and any(
            c.dep_ == "prep" and c.lower_ == "of" for c in tok.children
        ):
            continue
        res = _description(ctx, tok, titles)
        if res is None:
            continue
        key, start, end = res
        span = doc[start:end]
        ctx.actors.add_mention(Mention(key, span.text, span_of_tokens(span)))
        actor = ctx.actors.actors[key]
        if span.text != actor.name:
            ctx.actors.add_actor(Actor(key, actor.name, actor.kind, (span.text,)))


#: The coreference stage: adds mentions of pronouns and descriptions to ``ctx.actors``.
STAGE = Stage("coreference", resolve, requires=("doc", "actors"), assigns=("coreference",))
