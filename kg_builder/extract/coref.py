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
    "the agency" → the most recent actor of a compatible kind.

Each resolved reference becomes a :class:`~kg_builder.models.Mention` (so
``ctx.actors.resolve_token`` answers for it); descriptions, not pronouns, also become aliases.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg_builder import gazetteer
from kg_builder.extract import posts
from kg_builder.extract.context import DocContext, span_of_tokens
from kg_builder.models import Actor, ActorKind, Mention

_MALE = frozenset({"he", "him", "his", "himself"})
_FEMALE = frozenset({"she", "her", "hers", "herself"})
_IT = frozenset({"it", "its", "itself"})
_THEY = frozenset({"they", "them", "their", "theirs", "themselves"})

#: Role heads that fit any person whose post is diplomatic.
_DIPLOMATIC = frozenset(
    {
        "minister",
        "ambassador",
        "envoy",
        "diplomat",
        "secretary",
        "negotiator",
        "representative",
        "spokesperson",
        "spokesman",
        "spokeswoman",
    }
)
#: Description heads for non-person actors → kinds they may refer to.
_ORG_HEADS: dict[str, frozenset[ActorKind]] = {
    "ministry": frozenset({ActorKind.GOVERNMENT_BODY}),
    "department": frozenset({ActorKind.GOVERNMENT_BODY}),
    "government": frozenset({ActorKind.GOVERNMENT_BODY}),
    "administration": frozenset({ActorKind.GOVERNMENT_BODY}),
    "alliance": frozenset({ActorKind.INTERNATIONAL_ORGANISATION}),
    "bloc": frozenset({ActorKind.INTERNATIONAL_ORGANISATION}),
    "organisation": frozenset(
        {ActorKind.INTERNATIONAL_ORGANISATION, ActorKind.ORGANISATION, ActorKind.NGO}
    ),
    "organization": frozenset(
        {ActorKind.INTERNATIONAL_ORGANISATION, ActorKind.ORGANISATION, ActorKind.NGO}
    ),
    "group": frozenset(
        {ActorKind.ARMED_GROUP, ActorKind.POLITICAL_PARTY, ActorKind.INTERNATIONAL_ORGANISATION}
    ),
    "movement": frozenset({ActorKind.ARMED_GROUP, ActorKind.POLITICAL_PARTY}),
    "militants": frozenset({ActorKind.ARMED_GROUP}),
    "militia": frozenset({ActorKind.ARMED_GROUP}),
    "rebels": frozenset({ActorKind.ARMED_GROUP}),
    "party": frozenset({ActorKind.POLITICAL_PARTY}),
    "union": frozenset({ActorKind.UNION}),
    "company": frozenset({ActorKind.COMPANY}),
    "firm": frozenset({ActorKind.COMPANY}),
    "agency": frozenset(
        {
            ActorKind.MEDIA_ORGANISATION,
            ActorKind.GOVERNMENT_BODY,
            ActorKind.INTERNATIONAL_ORGANISATION,
        }
    ),
    "court": frozenset({ActorKind.GOVERNMENT_BODY, ActorKind.INTERNATIONAL_ORGANISATION}),
    "country": frozenset({ActorKind.STATE}),
}
#: Alliance-like organisations for "the alliance" / "the bloc".
_ALLIANCE_KINDS = frozenset({"MilitaryAlliance", "Forum", "RegionalOrganisation"})
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


def _titles(ctx: DocContext) -> dict[str, tuple[set[str], set[str]]]:
    """Person key → (words of their post titles, states/orgs of those posts)."""
    out: dict[str, tuple[set[str], set[str]]] = {}
    for p in posts.find_posts(ctx):
        words, orgs = out.setdefault(p.person, (set(), set()))
        words.update(w.lower() for w in p.title.replace("-", " ").split())
        if p.organisation:
            orgs.add(p.organisation)
    return out


def _candidates(ctx: DocContext, before: int) -> list[tuple[Mention, Actor]]:
    """Mentions before ``before`` (most recent first), with their actors."""
    out = []
    for m in reversed(ctx.actors.mentions_in(max(0, before - _WINDOW), before)):
        a = ctx.actors.actors.get(m.actor)
        if a is not None:
            out.append((m, a))
    return out


def _pronoun(ctx: DocContext, tok: Token, genders: dict[str, str]) -> str | None:
    low = tok.lower_
    cands = _candidates(ctx, tok.idx)
    if low in _MALE or low in _FEMALE:
        g = "m" if low in _MALE else "f"
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
        return persons[0][1].key
    if low in _IT:
        for _, a in cands:
            if a.kind in _NON_PERSON and not a.name.endswith("s"):
                return a.key
        return None
    if low in _THEY:
        for _, a in cands:
            if a.kind == ActorKind.COLLECTIVE_ACTOR or a.kind in _NON_PERSON:
                return a.key
        return None
    return None


def _description(
    ctx: DocContext, tok: Token, titles: dict[str, tuple[set[str], set[str]]]
) -> tuple[str, int] | None:
    """Resolve "the [mods] head" ending at ``tok`` (the head). Returns (key, start index)."""
    doc = ctx.doc
    j = tok.i - 1
    mods: list[Token] = []
    while (
        j >= tok.sent.start
        and doc[j].lower_ not in ("the",)
        and doc[j].dep_ in ("amod", "compound", "npadvmod", "advmod")
        and doc[j].head.i <= tok.i
    ):
        mods.insert(0, doc[j])
        j -= 1
    if j < tok.sent.start or doc[j].lower_ != "the":
        return None
    start = j
    head = tok.lower_
    states = set()
    for mtok in mods:
        st = gazetteer.state_by_demonym(mtok.text)
        if st is not None:
            states.add(st.key)
    cands = _candidates(ctx, doc[start].idx)
    if head in posts.TITLE_NOUNS or head in ("diplomat", "official"):
        want = {
            m.lower_
            for m in mods
            if m.lower_ in posts.TITLE_MODIFIERS and m.lower_ not in ("senior", "top", "chief")
        } | {head}
        for _, a in cands:
            if a.kind != ActorKind.PERSON or a.key not in titles:
                continue
            words, orgs = titles[a.key]
            if states and not (states & orgs):
                continue
            if head in words and want <= words | {"senior", "top"}:
                return a.key, start
            if head in ("diplomat", "official") and (words & _DIPLOMATIC or head == "official"):
                return a.key, start
        return None
    kinds = _ORG_HEADS.get(head)
    if kinds is None:
        return None
    for _, a in cands:
        if a.kind not in kinds:
            continue
        if head in ("alliance", "bloc"):
            e = gazetteer.entry(a.key)
            if e is None or e.org_kind not in _ALLIANCE_KINDS:
                continue
        if head in ("ministry", "department") and "ministry" not in a.key:
            continue
        if states and a.part_of not in states and a.key not in states:
            continue
        return a.key, start
    return None


def resolve(ctx: DocContext) -> None:
    """Add mentions for pronouns and definite descriptions that refer to known actors.

    Args:
        ctx: The article after :func:`kg_builder.extract.actors.find_actors`.

    Example:
        "Grushko spoke first. The Russian diplomat said he ..." adds mentions of
        ``alexander-grushko`` for "The Russian diplomat" and "he".
    """
    doc = ctx.doc
    titles = _titles(ctx)
    genders: dict[str, str] = {}
    for tok in doc:
        if ctx.actors.mention_at(tok.idx, tok.idx + len(tok)) is not None:
            continue
        low = tok.lower_
        if tok.pos_ == "PRON" and low in _MALE | _FEMALE | _IT | _THEY:
            key = _pronoun(ctx, tok, genders)
            if key is None:
                continue
            if low in _MALE | _FEMALE:
                genders.setdefault(key, "m" if low in _MALE else "f")
            ctx.actors.add_mention(Mention(key, tok.text, span_of_tokens(tok)))
            continue
        if tok.pos_ in ("NOUN", "PROPN") and (
            low in posts.TITLE_NOUNS or low in _ORG_HEADS or low in ("diplomat", "official")
        ):
            if tok.dep_ == "compound" or any(
                c.dep_ in ("prep",) and c.lower_ == "of" for c in tok.children
            ):
                continue
            res = _description(ctx, tok, titles)
            if res is None:
                continue
            key, start = res
            span = doc[start : tok.i + 1]
            ctx.actors.add_mention(Mention(key, span.text, span_of_tokens(span)))
            actor = ctx.actors.actors[key]
            ctx.actors.add_actor(Actor(key, actor.name, actor.kind, (span.text,)))
