"""Meetings, talks, sessions, summits, calls and visits, held or planned.

A mention is a meeting noun ("talks in Lisbon", "Friday's meeting of the Board",
"a phone call with X") or verb ("X met Y", "X will visit Y", "X hosted Y").
Participants come from the syntax around it: subjects and objects of the meeting verb or
of the verb that governs the noun ("X held talks with Y"), "between/with X", possessives
and compounds of the noun, the body whose session it is ("meeting of X"), and people
reported as speaking at it ("at the meeting, X said"). Dates are resolved with
:mod:`kg_builder.extract.dates`; the place is a named location attached by in/at (or the
article's dateline). Repeated mentions are merged by date, place or definite reference.

Why one module of over 500 lines: it is one stage: meeting mentions, their clustering,
participants, dates and places share one cluster table; cue words live in ``lexicons.csv``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Token

from kg_builder.extract import lexicon as lx
from kg_builder.extract.context import DocContext, Stage, span_of
from kg_builder.extract.dates import first_date, is_future
from kg_builder.extract.tree import is_root
from kg_builder.models import ActorKind, Meeting

_PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
#: Marks that join two names into one modifier ("the Valdora-Ostland meeting").
_JOINING_DASHES = frozenset({"-", "\u2013", "\u2014"})
_DATELINE = re.compile(r"^\s*([A-Z][A-Z'.-]+(?:\s+[A-Z][A-Z'.-]+){0,2})\s*(?:,|:|—|–|\(| -)")


@dataclass
class _Mention:
    tok: Token
    kind: str
    date: dt.date | None
    place: str | None
    participants: list[str]
    planned: bool
    definite: bool
    other: bool
    name: str


@dataclass
class _Cluster:
    mentions: list[_Mention] = field(default_factory=list)

    def first(self, attr: str) -> Any:
        return next((getattr(m, attr) for m in self.mentions if getattr(m, attr)), None)


def dateline_place(text: str) -> str | None:
    """The place of an agency dateline ("LISBON, March 4. /LUSA/." → "Lisbon").

    Example:
        >>> dateline_place("NAIROBI, May 2 (Reuters) - Talks resumed.")
        'Nairobi'
    """
    for line in text.split("\n")[:12]:
        m = _DATELINE.match(line)
        if m and len(m.group(1)) >= 3 and not m.group(1).isdigit():
            words = m.group(1).split()
            if all(w.isupper() for w in words):
                return " ".join(w.capitalize() for w in words)
    return None


#: A named event: acronym plus edition number ("ASF12", "G20", "APEC-2023").
_EVENT_NAME = re.compile(r"[A-Z]{2,}[+-]?\d{1,4}")


def is_named_event(ctx: DocContext, tok: Token) -> bool:
    """An event named by an acronym and an edition number ("at ASF12", "the G20 in Rio"),
    used as a place in time or an event attended, not as an actor.

    Example:
        "At ASF12, the bloc stood firm" → ``ASF12`` is a named event.
    """
    if tok.pos_ not in {"PROPN", "NOUN"} or not _EVENT_NAME.fullmatch(tok.text):
        return False
    if ctx.actors.mention_at(tok.idx, tok.idx + len(tok)) is not None:
        return False
    if tok.dep_ == "compound" and tok.head.lemma_.lower() in lx.MEETING_NOUNS:
        return False  # "the G20 summit": the summit is the mention
    if tok.dep_ == "pobj" and tok.head.lower_ in lx.EVENT_PREPS:
        return True
    return (
        tok.dep_ in {"dobj", "nsubj", "nsubjpass"}
        and tok.head.lemma_ in lx.ATTEND_VERBS | lx.NAMED_EVENT_VERBS
    )


def _verb_kind(tok: Token) -> str | None:
    """The kind of meeting a verb tells: "met", "hosted", "spoke with", "gathered"."""
    lemma = tok.lemma_.lower()
    if lemma in lx.MEETING_VERBS:
        if lemma == "negotiate" and (
            any(c.dep_ == "dobj" for c in tok.children)
            or (tok.dep_ == "relcl" and not _meets_someone(tok))
        ):
            return None  # "negotiate a deal" is about the deal
        if not _meets_someone(tok):
            return None  # "meets their demands", "host refugees": no meeting
        return lx.MEETING_VERBS[lemma]
    if lemma in lx.CONVERSATION_VERBS and (
        any(c.lower_ in lx.CALL_MODIFIERS for c in tok.subtree)
        or any(c.dep_ == "prep" and c.lower_ == "with" for c in tok.children)
    ):
        # "spoke by phone", a readout's "spoke with X" (not "spoke with X at the summit")
        return None if _at_a_meeting(tok) else "call"
    if lemma in lx.CALL_VERBS and _calls_someone(tok):
        return "call"  # a readout's "X called Y", "X telephoned Y"
    if (
        lemma in lx.GATHERING_VERBS
        and not any(c.dep_ == "dobj" for c in tok.children)
        and not _gathers_for_a_meeting(tok)
    ):
        return "meeting"  # "the ministers gathered in Lisbon" ("convened a summit": the noun)
    return None


def _gathers_for_a_meeting(verb: Token) -> bool:
    """Whether a gathering verb comes together for a meeting its purpose names ("gathered
    for the summit", "gathered to open the talks"): the meeting noun is the mention, and its
    verb's subject takes part."""
    for c in verb.children:
        if c.dep_ == "prep":
            objs = [g for g in c.children if g.dep_ == "pobj"]
        elif c.dep_ in {"xcomp", "advcl"}:
            objs = [g for g in c.children if g.dep_ == "dobj"]
        else:
            continue
        if any(g.lemma_.lower() in lx.MEETING_NOUNS for g in objs):
            return True
    return False


def _is_someone(tok: Token) -> bool:
    """Whether a noun phrase head names people: a person, a word for people acting
    ("delegation", "ministers") or a personal pronoun."""
    return (
        tok.ent_type_ == "PERSON"
        or tok.lemma_.lower() in lx.PEOPLE_NOUNS
        or (
            tok.pos_ == "PRON"
            and "Prs" in tok.morph.get("PronType", [])
            and "Neut" not in tok.morph.get("Gender", [])
        )
    )


def _called_name(tok: Token) -> bool:
    """A person's name read as the predicate of naming with no object ("X called Y")."""
    return (
        tok.dep_ == "oprd"
        and tok.ent_type_ == "PERSON"
        and not any(c.dep_ == "dobj" for c in tok.head.children)
    )


def _calls_someone(verb: Token) -> bool:
    """A verb of calling in its telephone sense: an active verb whose object is someone
    ("Rojas called Vega"), not naming ("called him a liar"), summoning ("called them to
    testify"), or a particle verb of another sense ("called off", "called out")."""
    if verb.dep_ == "acl" or any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children):
        return False  # "a lawyer called Ana Rojas", "she was called Ana"
    if verb.tag_ == "VB" and not any(c.dep_ == "aux" and c.lower_ != "to" for c in verb.children):
        return False  # "call your senator", "asked them to call X": asked for, not told
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None:
        # the parser may read "called Prime Minister Vega" as naming: a name alone is the
        # one called
        obj = next((c for c in verb.children if _called_name(c)), None)
        if obj is None:
            return False
    elif any(c.dep_ == "oprd" for c in verb.children):
        return False  # "called him a liar"
    if not _is_someone(obj):
        return False
    return not any(
        c.dep_ in {"xcomp", "ccomp", "attr", "acomp"}
        or (c.dep_ == "prt" and c.lower_ in lx.CALL_OTHER_SENSE_PARTICLES)
        for c in verb.children
    )


def _kind(tok: Token) -> str | None:
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB":
        return _verb_kind(tok)
    if tok.pos_ not in {"NOUN", "PROPN"} or lemma not in lx.MEETING_NOUNS:
        return None
    if lemma == "talk" and tok.tag_ != "NNS":
        return None
    if lemma in lx.CALL_NOUNS:
        phone = any(c.lower_ in lx.CALL_MODIFIERS for c in tok.children)
        if lemma == "phone" and not (tok.head.lower_ == "by" or phone):
            return None
        if (
            not phone
            and lemma != "phone"
            and not any(c.dep_ == "prep" and c.lower_ in {"with", "between"} for c in tok.children)
            and not _named_by_parties(tok)
        ):
            return None
        if lemma == "call" and any(c.dep_ == "prep" and c.lower_ == "for" for c in tok.children):
            return None  # "a call for restraint" is a demand
    if any(c.lower_ in lx.PRESS_WORDS for c in tok.children):
        return None  # a press conference is not a meeting between actors
    if lemma == "round" and not any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
        return None
    if tok.dep_ == "compound" and tok.head.lemma_.lower() in lx.MEETING_NOUNS:
        return None
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_ == "round":
        return None  # "round of talks": the round is the mention
    return lx.MEETING_NOUNS[lemma]


def _named_by_parties(tok: Token) -> bool:
    """A meeting noun named by its parties joined by a dash: "the Rojas–Vega call"."""
    doc = tok.doc
    return any(
        doc[k].text in _JOINING_DASHES and doc[k - 1].pos_ == "PROPN" and doc[k + 1].pos_ == "PROPN"
        for k in range(max(tok.left_edge.i, 1), tok.i - 1)
    )


def _at_a_meeting(verb: Token) -> bool:
    """Whether a verb happens at a meeting named by a noun ("spoke with X during the summit")."""
    return any(
        c.dep_ == "prep"
        and c.lower_ in lx.WITHIN_EVENT_PREPS
        and any(g.lemma_.lower() in lx.MEETING_NOUNS for g in c.children if g.dep_ == "pobj")
        for c in verb.children
    )


def _meets_someone(verb: Token) -> bool:
    """Whether a meeting verb's object (if any) is someone met or hosted, not a thing
    satisfied or housed ("meets their demands", "host refugees", "hosting the secretariat"):
    a person's name, a word for people acting ("delegation", "ministers") or a meeting
    ("hosted talks")."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    patient = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if (
        obj is None
        and verb.dep_ == "relcl"
        and verb.head.ent_type_ not in {"DATE", "TIME"}
        and any(c.dep_ == "nsubj" and c.lower_ not in lx.RELATIVE_PRONOUNS for c in verb.children)
        and not any(
            c.dep_ == "prep" and c.lower_ in lx.MEETING_PARTNER_PREPS for c in verb.children
        )
    ):
        obj = verb.head  # "the demands it must meet", "the hazards they negotiate daily"
    if obj is None and patient is not None:
        if patient.lower_ in lx.RELATIVE_PRONOUNS and patient.head.dep_ == "relcl":
            patient = patient.head.head  # "the demands that were met"
        # "their demands were met", "the refugees hosted there": met or hosted someone?
        return _is_someone(patient) or patient.pos_ == "PROPN"
    hosting = verb.lemma_.lower() in lx.HOSTING_VERBS
    if obj is None:
        return not hosting or any(
            c.dep_ == "prep" and c.lower_ in lx.MEETING_PARTNER_PREPS for c in verb.children
        )
    low = obj.lemma_.lower()
    return (
        low in lx.MEETING_NOUNS
        or low in lx.PEOPLE_NOUNS
        or obj.ent_type_ == "PERSON"
        or (not hosting and obj.pos_ == "PROPN")
    )


def _np_actors(ctx: DocContext, tok: Token, whole: bool = False) -> list[str]:
    """Actors a noun phrase names: its head and conjuncts, or every mention inside it."""
    out: list[str] = []
    heads = [tok] + list(tok.conjuncts)
    if (
        tok.dep_ in {"nsubj", "nsubjpass"}
        and tok.lower_ in lx.RELATIVE_PRONOUNS
        and tok.head.dep_ == "relcl"
    ):
        heads = [tok.head.head] + list(tok.head.head.conjuncts)
    for t in heads:
        keys: list[str] = []
        if whole:
            left, right = t.left_edge.i, t.right_edge.i + 1
            keys = [
                m.actor
                for m in ctx.actors.mentions_in(
                    t.doc[left].idx, t.doc[right - 1].idx + len(t.doc[right - 1])
                )
            ]
        key = ctx.actors.resolve_token(t)
        if key is None:
            mods = [c for c in t.children if c.dep_ in {"compound", "amod", "poss"}]
            # "the foreign ministers of India and Pakistan", "envoys from Norway"
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ in {"of", "from"}:
                    for g in c.children:
                        if g.dep_ == "pobj":
                            mods += [g] + list(g.conjuncts)
            for c in mods:
                k = ctx.actors.resolve_token(c)
                if k:
                    keys.append(k)
        else:
            keys.insert(0, key)
        for k in keys:
            if k not in out:
                out.append(k)
    return out


def _governing_verb(tok: Token) -> tuple[Token | None, str]:
    cur = tok
    for _ in range(len(tok.doc)):  # up through conjuncts and "a number of X"
        if is_root(cur):
            break
        if cur.dep_ in {"conj", "appos"}:
            cur = cur.head
        elif (
            cur.dep_ == "pobj"
            and cur.head.lower_ == "of"
            and cur.head.head.pos_ == "NOUN"
            and cur.head.head.lemma_ in lx.MEASURE_NOUNS
        ):
            cur = cur.head.head
        else:
            break
    if cur.dep_ in {"dobj", "nsubjpass", "nsubj", "attr"}:
        return cur.head, cur.dep_
    if cur.dep_ == "pobj":
        return cur.head.head, "pobj:" + cur.head.lower_
    return None, cur.dep_


def _controller(xcomp: Token) -> Token | None:
    """Object control: "called on X to prepare", "urged X to attend" → X."""
    head = xcomp.head
    for c in head.children:
        if c.dep_ == "dobj" and c.i < xcomp.i:
            return c
        if c.dep_ == "prep" and c.lower_ in {"on", "upon"} and c.i < xcomp.i:
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def _subject_of(verb: Token) -> Token | None:
    cur = verb
    for _ in range(4):
        for c in cur.children:
            if c.dep_ in {"nsubj", "nsubjpass"}:
                return c
        if cur.dep_ == "xcomp" and (ctl := _controller(cur)) is not None:
            return ctl
        if cur.dep_ == "acl" and cur.head.pos_ in {"NOUN", "PROPN"}:
            return cur.head  # "X, speaking at the conference, said"
        if cur.dep_ in {"advcl", "xcomp", "conj", "pcomp", "acomp", "acl"} and not is_root(cur):
            cur = cur.head
            continue
        break
    return None


def _witness(ctx: DocContext, tok: Token) -> list[str]:
    """A person who reports what was said or done at a held meeting took part in it:
    "Rojas said that in the two-hour meeting, ..." → Rojas."""
    if not any(c.dep_ == "poss" or c.lower_ in lx.SINGULAR_DEFINITES for c in tok.children):
        return []  # only a reference to one particular meeting
    below = tok
    for anc in tok.ancestors:
        via, below = below, anc
        if anc.pos_ == "VERB" and anc.lemma_.lower() in lx.WITNESS_VERBS:
            if via.dep_ in {"nsubj", "nsubjpass"}:
                return []  # the meeting is in the subject ("a source close to the talks")
            for c in anc.children:
                if c.dep_ == "nsubj":
                    key = ctx.actors.resolve_token(c)
                    actor = ctx.actors.actors.get(key) if key else None
                    if key and actor is not None and actor.kind == ActorKind.PERSON:
                        return [key]
    return []


def _participants(ctx: DocContext, tok: Token) -> list[str]:
    """The actors who take part in the meeting ``tok`` names, in order of discovery: a
    witness of a held meeting, the meeting noun's own modifiers and complements, then the
    arguments of the verb that holds or attends it."""
    groups: list[list[str]] = []
    if tok.pos_ != "VERB" and not is_future(tok):
        groups.append(_witness(ctx, tok))
    groups += _noun_participants(ctx, tok)
    groups += _verb_participants(ctx, tok)
    out: list[str] = []
    for keys in groups:
        out.extend(k for k in keys if k not in out)
    return out


def _noun_participants(ctx: DocContext, tok: Token) -> list[list[str]]:
    """Actors named around a meeting noun: "Valdora's talks", "talks with X", "a meeting
    between X and Y", "talks hosted by X"."""
    groups: list[list[str]] = []
    for c in tok.children:
        if c.dep_ in {"poss", "compound", "nmod"} and c.i < tok.i:
            groups.append(_np_actors(ctx, c, whole=True))
        if c.dep_ == "prep" and c.lower_ in lx.MEETING_PARTNER_PREPS:
            for g in c.children:
                if g.dep_ == "pobj":
                    groups.append(_np_actors(ctx, g, whole=True))
        if c.dep_ == "acl" and c.lemma_ in lx.MEETING_PARTICIPLES:
            for g in c.children:
                if g.dep_ == "agent":
                    groups += [_np_actors(ctx, p, whole=True) for p in g.children]
    return groups


def _verb_participants(ctx: DocContext, tok: Token) -> list[list[str]]:
    """Actors named by the verb of the meeting (``tok`` itself, or the verb that governs the
    meeting noun): its subject, agent, object and "with/between" phrase."""
    verb: Token | None = tok
    rel = "self"
    if tok.pos_ != "VERB":
        verb, rel = _governing_verb(tok)
    if verb is not None and verb.pos_ in {"NOUN", "PROPN"} and rel in {"pobj:in", "pobj:at"}:
        # "Valdora's aim in the talks", "our delegation at the meeting"
        return [_np_actors(ctx, c) for c in verb.children if c.dep_ == "poss"]
    if verb is None:
        return []
    attend = (
        rel == "self"
        or verb.lemma_ in lx.ATTEND_VERBS
        or rel in {"pobj:at", "pobj:in", "pobj:during", "pobj:for"}
    )
    groups = _argument_participants(ctx, verb, rel, attend)
    if attend and not any(c.dep_ == "nsubj" for c in verb.children) and rel != "nsubj":
        subj = _subject_of(verb)
        if subj is not None:
            groups.append(_np_actors(ctx, subj))
    return groups


def _argument_participants(ctx: DocContext, verb: Token, rel: str, attend: bool) -> list[list[str]]:
    """The verb's arguments that take part. ``rel`` is how the meeting depends on the verb
    ("self" when the verb is the meeting); ``attend``: whether its subject takes part."""
    groups: list[list[str]] = []
    for c in verb.children:
        if (
            (c.dep_ == "nsubj" or c.dep_ == "nsubjpass" and rel.startswith("pobj"))
            and attend
            and rel != "nsubj"
        ):
            groups.append(_np_actors(ctx, c))
        if c.dep_ == "agent" and (attend or rel == "nsubjpass"):
            groups += [_np_actors(ctx, g, whole=True) for g in c.children]
        if (c.dep_ == "dobj" or _called_name(c)) and rel == "self":
            groups.append(_np_actors(ctx, c))
        if c.dep_ == "prep" and c.lower_ in {"with", "between"} and (attend or rel == "self"):
            groups += [_np_actors(ctx, g, whole=True) for g in c.children if g.dep_ == "pobj"]
    return groups


def _place_ent(ctx: DocContext, tokens: list[Token]) -> str | None:
    """The first place entity among ``tokens``: not a person the recogniser took for a
    place, not one of two names joined by a hyphen ("the Valdora-Ostland meeting" names
    its parties)."""
    for t in tokens:
        if t.ent_type_ not in _PLACE_ENTS:
            continue
        ent = next((e for e in ctx.ents if e.start <= t.i < e.end), None)
        if ent is None:
            continue
        doc = t.doc
        hyphen = any(
            0 <= k < len(doc) and doc[k].text in _JOINING_DASHES for k in (ent.start - 1, ent.end)
        )
        key = ctx.actors.resolve_span(ent)
        actor = ctx.actors.actors.get(key) if key else None
        if hyphen or (actor is not None and actor.kind == ActorKind.PERSON):
            continue
        return re.sub(r"^the\s+", "", ent.text, flags=re.I)
    return None


def _noun_place(ctx: DocContext, tok: Token) -> str | None:
    """The place a meeting noun names: "the Lisbon talks", "talks in Lisbon"."""
    kids = list(tok.children)
    kids += [g for c in tok.children if c.dep_ == "acl" for g in c.children]
    for c in kids:
        if c.dep_ == "compound" and c.ent_type_ in _PLACE_ENTS:
            found = _place_ent(ctx, [c])
            if found:
                return found
        if c.dep_ == "prep" and c.lower_ in lx.MEETING_PLACE_PREPS:
            found = _place_ent(ctx, list(c.subtree))
            if found:
                return found
    return None


def _place(ctx: DocContext, tok: Token) -> str | None:
    found = _noun_place(ctx, tok)
    if found:
        return found
    verb = tok if tok.pos_ == "VERB" else _governing_verb(tok)[0]
    found = _verb_place(ctx, tok, verb)
    trip = _verb_and_trip(verb)[1:]
    for c in trip[0].children if trip and not found else []:
        if c.dep_ == "prep" and c.lower_ in lx.DESTINATION_PREPS:
            found = _place_ent(ctx, list(c.subtree))
            if found:
                return found
    return found


def _verb_place(ctx: DocContext, tok: Token, verb: Token | None) -> str | None:
    """The place a meeting's verb gives ("met in Lisbon", "visited Lima")."""
    if verb is not None and verb.pos_ in {"VERB", "AUX"}:
        for c in verb.children:
            if (
                c.dep_ == "prep"
                and c.lower_ in {"in", "at"}
                and not (c.left_edge.i <= tok.i <= c.right_edge.i)
            ):
                found = _place_ent(ctx, list(c.subtree))
                if found:
                    return found
            if c.dep_ == "dobj" and verb.lemma_ == "visit" and c.ent_type_ in _PLACE_ENTS:
                return _place_ent(ctx, [c])
    return None


def _verb_and_trip(verb: Token | None) -> list[Token]:
    """The verb of a meeting and, when it tells the purpose of a trip ("will travel to Lima
    on May 3 to meet X", "gathered in Lima on Monday to open the talks"), the verb of the trip
    or gathering, which carries its day and place."""
    if verb is None:
        return []
    if verb.dep_ in {"xcomp", "advcl"} and verb.head.lemma_.lower() in (
        lx.TRAVEL_VERBS | lx.GATHERING_VERBS
    ):
        return [verb, verb.head]
    return [verb]


def _date(ctx: DocContext, tok: Token, planned: bool) -> dt.date | None:
    published = ctx.article.published
    doc = ctx.doc
    pieces: list[Token] = [
        c for c in tok.children if c.dep_ in {"poss", "compound", "npadvmod", "nmod", "amod"}
    ]
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in lx.MEETING_DATE_PREPS:
            pieces.append(c)
        if c.dep_ == "acl":
            pieces += [
                g
                for g in c.children
                if g.dep_ in {"prep", "npadvmod"} and g.lower_ not in lx.OTHER_TIME_PREPS
            ]
    verb = tok if tok.pos_ == "VERB" else _governing_verb(tok)[0]
    for v in _verb_and_trip(verb):
        for c in v.children:
            if (
                c.dep_ in {"npadvmod", "prep", "tmod"}
                and c.i != tok.i
                and c.lower_ not in lx.OTHER_TIME_PREPS
            ):
                pieces.append(c)
    for p in pieces:
        text = doc[p.left_edge.i : p.right_edge.i + 1].text
        d = first_date(text, published, planned)
        if d is not None:
            return d.date
    return None


def _name(doc: Doc, tok: Token, kind: str, place: str | None) -> str:
    if tok.pos_ == "VERB":
        base = lx.MEETING_VERB_NAMES.get(kind, "meeting")
        return f"{base} in {place}" if place else base
    parties = _named_by_parties(tok)
    left = min(
        [tok.i]
        + [
            c.left_edge.i
            for c in tok.children
            if c.i < tok.i
            and (c.dep_ in {"compound", "amod", "nmod"} or c.dep_ == "poss" and parties)
        ]
    )
    right = tok.i + 1
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in lx.MEETING_NAME_PREPS and c.i > tok.i:
            sub = list(c.subtree)
            if len(sub) <= 8:
                right = max(right, sub[-1].i + 1)
    name = doc[left:right].text
    name = re.sub(r"^(the|a|an)\s+", "", name, flags=re.I)
    if place and place.lower() not in name.lower():
        name += f" in {place}"
    return name


def _irrealis(tok: Token) -> bool:
    """A bare noun in a clause under "whether"/"if": talks in general, not an event."""
    if any(c.dep_ in {"det", "poss", "compound", "amod", "nummod"} for c in tok.children):
        return False
    for anc in tok.ancestors:
        if any(c.dep_ == "mark" and c.lower_ in lx.INDIRECT_QUESTION_MARKS for c in anc.children):
            return True
        if anc.dep_ in {"ROOT"}:
            break
    return False


def _mention(ctx: DocContext, tok: Token) -> _Mention | None:
    named = is_named_event(ctx, tok)
    kind = "conference" if named else _kind(tok)
    if kind is None:
        return None
    if named:
        planned = is_future(tok)
        place = _place(ctx, tok)
        parts = _participants(ctx, tok)
        # "At ASF12, Peru, alongside X, insisted ...": the parser often hangs the clause's
        # subject on the event as an apposition, and "alongside X" on its preposition
        extra = [c for c in tok.children if c.dep_ == "appos"]
        extra += [
            g
            for c in list(tok.children) + list(tok.head.children)
            if c.dep_ == "prep" and c.lower_ == "alongside"
            for g in c.children
            if g.dep_ == "pobj"
        ]
        for c in extra:
            parts += [k for k in _np_actors(ctx, c) if k not in parts]
        return _Mention(
            tok, kind, _date(ctx, tok, planned), place, parts, planned, True, False, tok.text
        )
    if tok.pos_ != "VERB" and _irrealis(tok):
        return None
    if (
        tok.lemma_.lower() == "consultation"
        and tok.head.lower_ == "in"
        and not any(c.dep_ in {"det", "poss", "amod"} for c in tok.children)
    ):
        return None  # "determined, in consultation with the Treasury": a procedure
    if (
        any(c.dep_ == "neg" for c in (tok.head if tok.pos_ != "VERB" else tok).children)
        and tok.pos_ == "VERB"
    ):
        return None  # "they did not meet"
    planned = is_future(tok)
    if tok.pos_ != "VERB" and _only_aimed_at(tok) and _date(ctx, tok, planned) is None:
        return None  # "efforts to resume talks": an aim, not a meeting held or planned
    mods = {c.lower_ for c in tok.children}
    if (
        tok.pos_ != "VERB"
        and _governing_verb(tok)[1].startswith("pobj")
        and not any(
            c.dep_ in {"det", "poss", "compound", "amod", "nummod", "prep"} for c in tok.children
        )
    ):
        return None  # "patience in talks": talks in general, not an event
    definite = bool(mods & lx.DEFINITE_DETERMINERS) or any(c.dep_ == "poss" for c in tok.children)
    other = bool(mods & lx.OTHER_OCCASION_WORDS)
    place = _place(ctx, tok)
    return _Mention(
        tok,
        kind,
        _date(ctx, tok, planned),
        place,
        _participants(ctx, tok),
        planned,
        definite,
        other,
        _name(ctx.doc, tok, kind, place),
    )


def _only_aimed_at(tok: Token) -> bool:
    """A meeting noun inside the to-infinitive of a noun of effort or stance ("efforts to
    resume the talks", "their commitment to engage in talks", "readiness to hold talks"):
    something striven for, not a meeting the text reports as held or planned."""
    verb, _ = _governing_verb(tok)
    return (
        verb is not None
        and verb.dep_ == "acl"
        and verb.head.lemma_.lower() in lx.ATTEMPT_NOUNS
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    )


def _refers_back(m: _Mention) -> bool:
    """A definite or modified reference ("the meeting", "the two-hour meeting",
    "Wednesday's talks") that names no other occasion."""
    if m.other or m.tok.pos_ == "VERB":
        return False
    modified = any(c.dep_ in {"amod", "compound", "nmod", "poss"} for c in m.tok.children)
    return m.definite or modified


def _salient(m: _Mention, clusters: list[_Cluster]) -> _Cluster | None:
    """The event a back reference points to: a cluster of the same family whose date and
    place do not conflict, preferring one that happened (or is planned, like the mention)
    and is anchored by a date, then the most recent."""
    fam = lx.MEETING_FAMILIES.get(m.kind)
    best: tuple[tuple[int, int, int], _Cluster] | None = None
    for n, c in enumerate(clusters):
        if lx.MEETING_FAMILIES.get(c.mentions[0].kind) != fam:
            continue
        cdate, cplace = c.first("date"), c.first("place")
        if m.date and cdate and m.date != cdate or m.place and cplace and m.place != cplace:
            continue
        tense = any(x.planned == m.planned for x in c.mentions)
        if not tense:
            continue
        score = (1 if cdate else 0, sum(x.definite for x in c.mentions) > 0, n)
        if best is None or score > best[0]:
            best = (score, c)
    return best[1] if best else None


def _same_parties(m: _Mention, c: _Cluster) -> bool:
    """A meeting verb whose two or more participants all met already in ``c`` ("X spoke
    today with Y. ... X and Y also conferred on ..."): the same encounter told again,
    unless date, place or tense differ."""
    parts = set(m.participants)
    have = {p for x in c.mentions for p in x.participants}
    cdate, cplace = c.first("date"), c.first("place")
    return (
        len(parts) >= 2
        and parts <= have
        and not (m.date and cdate and m.date != cdate)
        and not (m.place and cplace and m.place != cplace)
        and any(x.planned == m.planned for x in c.mentions)
    )


def find_meetings(ctx: DocContext) -> tuple[Meeting, ...]:
    """Meetings the article reports as held or planned, merged per event.

    Args:
        ctx: The article under extraction.

    Returns:
        Meetings in order of first mention; only those with at least one participant
        actor are kept (a meeting nobody attends cannot be told apart from the word).

    Example:
        "Chile and Peru held talks in Lisbon on Monday." (published Thu 9 Mar 2023) →
        ``Meeting(name="talks in Lisbon", kind="talks", date=2023-03-06, place="Lisbon",
        participants=("chile", "peru"))``
    """
    doc = ctx.doc
    mentions = [
        m
        for m in (_mention(ctx, t) for t in ctx.tokens)
        if m is not None and (m.definite or m.date or m.place or m.participants)
    ]
    clusters: list[_Cluster] = []
    for m in mentions:
        target = None
        for c in reversed(clusters):
            cdate, cplace = c.first("date"), c.first("place")
            fam = lx.MEETING_FAMILIES.get(m.kind) == lx.MEETING_FAMILIES.get(c.mentions[0].kind)
            if m.date and cdate:
                if m.date == cdate and (fam or m.place == cplace):
                    target = c
                    break
                continue
            if m.place and cplace and m.place == cplace and not m.other:
                target = c
                break
        if target is None and _refers_back(m):
            target = _salient(m, clusters)
        if target is None and m.tok.pos_ == "VERB":
            target = next((c for c in reversed(clusters) if _same_parties(m, c)), None)
        if target is None:
            target = _Cluster()
            clusters.append(target)
        target.mentions.append(m)
    dl = dateline_place(ctx.article.text)
    out = []
    for c in clusters:
        parts: list[str] = []
        for m in c.mentions:
            parts.extend(p for p in m.participants if p not in parts)
        if not parts:
            continue
        head = max(c.mentions, key=lambda m: (m.tok.pos_ != "VERB", len(m.name)))
        place = c.first("place")
        planned = all(m.planned for m in c.mentions)
        if place is None and dl and not planned:
            place = dl
        first = c.mentions[0].tok
        out.append(
            Meeting(
                name=head.name,
                kind=head.kind,
                span=span_of(doc, first.idx, first.idx + len(first)),
                date=c.first("date"),
                place=place,
                participants=tuple(parts),
                planned=planned,
            )
        )
    return tuple(out)


def add_meetings(ctx: DocContext) -> None:
    """Run :func:`find_meetings` and keep the result as ``ctx.meetings``."""
    ctx.meetings = find_meetings(ctx)


#: The meetings stage: meetings, their date, place and participants.
STAGE = Stage(
    "meetings",
    add_meetings,
    requires=("article", "doc", "actors", "coreference"),
    assigns=("meetings",),
)
