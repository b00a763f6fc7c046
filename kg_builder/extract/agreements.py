"""Agreements: treaties, accords, deals, memoranda, ceasefires, (draft) agreements.

A mention is a noun from :data:`~kg_builder.extract.lexicon.AGREEMENT_NOUNS` (or a known
treaty acronym) with the words that name it: a capitalised name ("the Harbour Accord", "the
Treaty on Northern Fisheries"), or modifiers and an "on ..." complement ("the 2019 fisheries
deal", "the draft agreements on river rights"). Mentions of one agreement are merged: same
name, shared naming words ("Kelso Agreements" / "Kelso accords"), an acronym given in
brackets, or a bare definite description ("the accords", "the deal") pointing back to the
last agreement of a compatible kind. Status, parties and date are read from the syntax
around each mention.

Why one module of over 500 lines: it is one stage: mention finding, naming, merging and
status reading share one table of mentions; cue words live in ``lexicons.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from kg_builder.extract import lexicon as lx
from kg_builder.extract.context import DocContext, Stage, span_of
from kg_builder.extract.dates import first_date, year_mentions
from kg_builder.extract.tree import climb
from kg_builder.models import Agreement, AgreementStatus

#: "in force", "in place", "in effect" after an agreement.
_IN_FORCE = re.compile("(" + "|".join(lx.IN_FORCE_PHRASES) + r")\b")


@dataclass
class _Mention:
    head: Token
    start: int  # token index
    end: int
    kind: str
    proper: bool
    signature: frozenset[str]
    definite: bool
    acronym: str | None = None
    headline: bool = False
    status: AgreementStatus = AgreementStatus.UNKNOWN
    parties: list[str] = field(default_factory=list)
    date: str | None = None

    def name(self, doc: Doc) -> str:
        return doc[self.start : self.end].text


@dataclass
class _Cluster:
    mentions: list[_Mention]
    acronyms: set[str] = field(default_factory=set)

    @property
    def kind(self) -> str:
        return self.mentions[0].kind

    @property
    def signature(self) -> frozenset[str]:
        out: frozenset[str] = frozenset()
        for m in self.mentions:
            out |= m.signature
        return out


def _noun_kind(tok: Token, doc: Doc) -> tuple[str, int] | None:
    """Kind of an agreement head noun and where its word starts ("cease-fire")."""
    if tok.pos_ not in {"NOUN", "PROPN"}:
        return None
    low = tok.lower_
    if (
        low in {"fire", "fires"}
        and tok.i >= 2
        and doc[tok.i - 1].text == "-"
        and doc[tok.i - 2].lower_ == "cease"
    ):
        return "ceasefire", tok.i - 2
    base = (
        low[:-1]
        if low.endswith("s")
        and low[:-1] in lx.AGREEMENT_NOUNS | lx.AGREEMENT_NAME_NOUNS | lx.RESOLUTION_NOUNS.keys()
        else low
    )
    if base in lx.AGREEMENT_NOUNS:
        return lx.AGREEMENT_NOUNS[base], tok.i
    if base in lx.RESOLUTION_NOUNS and _council_resolution(tok, doc):
        return lx.RESOLUTION_NOUNS[base], tok.i
    if base in lx.AGREEMENT_NAME_NOUNS and tok.text[0].isupper() and _capitalised_run(tok, doc) > 0:
        return lx.AGREEMENT_NAME_NOUNS[base], tok.i
    return None


def _council_resolution(tok: Token, doc: Doc) -> bool:
    """A resolution of an international body, binding on states: "Security Council
    resolution 2259", "UNSC Resolutions 550 and 789" (a number after it, the body before)."""
    numbered = tok.i + 1 < len(doc) and doc[tok.i + 1].like_num
    body = any(
        t.lower_ in lx.RESOLUTION_BODIES or t.text.isupper() and len(t.text) > 2
        for t in doc[max(0, tok.i - 4) : tok.i]
    )
    return numbered and body


def _is_cap(tok: Token) -> bool:
    return (tok.text[:1].isupper() or tok.like_num) and tok.pos_ in {
        "PROPN",
        "NOUN",
        "ADJ",
        "NUM",
        "VERB",
    }


def _capitalised_run(tok: Token, doc: Doc) -> int:
    """How many capitalised words precede ``tok`` directly (hyphens allowed)."""
    n = 0
    i = tok.i - 1
    while i >= 0 and (_is_cap(doc[i]) or doc[i].text == "-" and i > 0 and _is_cap(doc[i - 1])):
        if not doc[i].is_sent_start or doc[i].text[:1].isupper():
            n += 1
        i -= 1
    return n


def _skip(tok: Token) -> bool:
    """Uses of an agreement noun that do not refer to an agreement."""
    dets = {c.lower_ for c in tok.children if c.dep_ == "det"}
    if dets & lx.NON_SPECIFIC_DETERMINERS:
        return True
    if tok.lower_.startswith("understanding") and not (
        tok.lower_.endswith("s")
        or tok.head.lower_ == "of"
        and tok.head.head.lower_.startswith("memorand")
    ):
        return True
    if tok.lower_ == "deal" and any(c.lower_ in {"great", "good"} for c in tok.children):
        return True
    head = tok.head
    return bool(head.lower_ == "in" and tok.lower_.startswith("agreement"))


def _is_headline(tok: Token, text: str) -> bool:
    """Title Case lines make capitals useless as a sign of a name (``text``: the doc's)."""
    a = text.rfind("\n", 0, tok.idx) + 1
    b = text.find("\n", tok.idx)
    line = tok.doc.char_span(a, len(text) if b < 0 else b, alignment_mode="contract")
    if line is None or line.text.rstrip().endswith((".", "!", "?", '"', "”")):
        return False  # headlines carry no full stop
    words = [t for t in line if t.is_alpha and len(t) > 3]
    caps = sum(1 for t in words if t.text[0].isupper())
    return len(words) >= 3 and caps >= 0.7 * len(words)


def _mention(tok: Token, doc: Doc, ctx: DocContext) -> _Mention | None:
    """The agreement an agreement noun names, with the words that name it, if it names one."""
    found = _noun_kind(tok, doc)
    if found is None or _skip(tok):
        return None
    if tok.dep_ == "compound" and _noun_kind(tok.head, doc) is not None:
        return None  # "Framework" in "Framework Accord": the head names it
    headline = _is_headline(tok, ctx.text)
    kind, first = found
    capital = not headline and (
        tok.text[:1].isupper() and not tok.is_sent_start or _capitalised_run(tok, doc) > 0
    )
    if capital:
        start, end, proper = _proper_name(tok, first)
    else:
        start, end, proper = _described(tok, first)
    start, end = _within_line(doc, start, end, tok.i)
    sig = _signature(ctx, tok, kind, first, start, end)
    dets = {c.lower_ for c in tok.children if c.dep_ == "det"}
    definite = bool(dets & lx.DEFINITE_DETERMINERS) or any(c.dep_ == "poss" for c in tok.children)
    if headline:
        proper = False  # Title Case: capitals say nothing about a name
    return _Mention(tok, start, end, kind, proper, sig, definite, headline=headline)


def _proper_name(tok: Token, first: int) -> tuple[int, int, bool]:
    """A capitalised name: the capitalised words to the left of the head noun (from token
    ``first``), then "of/on X" with capitalised X ("the Treaty on Northern Fisheries").

    Returns:
        ``(start, end, proper)``: the name's token range and whether it has capitals.
    """
    doc = tok.doc
    start = first
    while start > 0 and (
        _is_cap(doc[start - 1])
        or _inner_connector(doc, start - 1)
        or doc[start - 1].text == "-"
        or doc[start - 1].like_num
        and len(doc[start - 1].text) == 4
    ):
        if doc[start - 1].text == "-" and not (start > 1 and _is_cap(doc[start - 2])):
            break
        start -= 1
    end = tok.i + 1
    j = end
    while (
        j + 2 < len(doc)
        and doc[j].lower_ in lx.AGREEMENT_NAME_CONNECTORS
        and (
            doc[j + 1].text[:1].isupper()
            or doc[j + 1].lower_ == "the"
            and doc[j + 2].text[:1].isupper()
        )
        and (doc[j].lower_ != "and" or j > tok.i + 1)
    ):
        k = j + 1
        while k < len(doc) and (_is_cap(doc[k]) or doc[k].lower_ in {"the", "-"}):
            k += 1
        end = j = k
    if doc[end - 1].i == tok.i:  # "Resolutions 550 and 789"
        while end < len(doc) and (
            doc[end].like_num
            or doc[end].lower_ == "and"
            and end + 1 < len(doc)
            and doc[end + 1].like_num
        ):
            end += 1
    return start, end, any(doc[i].text[:1].isupper() for i in range(start, end))


def _inner_connector(doc: Doc, i: int) -> bool:
    """A small word between capitalised words of one name ("Status of Forces Agreement")."""
    return (
        i > 0
        and doc[i].lower_ in lx.AGREEMENT_NAME_CONNECTORS
        and doc[i].lower_ != "and"
        and _is_cap(doc[i - 1])
        and not doc[i - 1].is_sent_start
    )


def _described(tok: Token, first: int) -> tuple[int, int, bool]:
    """A description: the head noun's modifiers and a short topic or place complement ("the
    2019 fisheries deal", "the draft agreements on river rights", "a truce in Valdora").

    Returns:
        ``(start, end, proper)``: the description's token range and whether a proper name
        (not a possessive) stands in it.
    """
    doc = tok.doc
    mods = [
        c
        for c in tok.lefts
        if c.dep_ in {"compound", "amod", "nummod", "nmod", "poss"}
        and not (c.dep_ == "poss" and c.pos_ == "PRON")
    ]
    start = min([first] + [min(t.i for t in c.subtree) for c in mods])
    while doc[start].dep_ in {"det", "punct", "case"} and start < first:
        start += 1
    end = tok.i + 1
    for c in tok.rights:
        if c.dep_ == "prep" and c.lower_ in lx.AGREEMENT_TOPIC_PREPS:
            sub = _complement(c)
            if (
                sub is not None
                and len(sub) <= 9
                and not any(t.text in {",", ";", "("} for t in sub)
            ):
                end = max(end, sub[-1].i + 1)
        elif c.dep_ == "prep" and c.lower_ == "of" and tok.lower_.startswith("memorand"):
            end = max(end, max(t.i for t in c.subtree) + 1)
    proper = any(
        doc[i].text[:1].isupper() and doc[i].pos_ == "PROPN"
        for i in range(start, end)
        if i != tok.i
    ) and not any(doc[i].dep_ == "poss" for i in range(start, end))
    return start, end, proper


def _complement(prep: Token) -> list[Token] | None:
    """The words of a topic complement; an "in" phrase only up to the place it names."""
    sub = list(prep.subtree)
    if prep.lower_ != "in":
        return sub
    places = [t for t in sub if t.ent_type_ in {"GPE", "LOC"}]
    if not places or places[0].i > prep.i + 3:
        return None
    return [t for t in sub if t.i <= places[0].i or t.ent_iob_ == "I" and t.i <= places[0].i + 3]


def _signature(
    ctx: DocContext, tok: Token, kind: str, first: int, start: int, end: int
) -> frozenset[str]:
    """The words that tell this agreement from others (no weak modifiers, years or actors)."""
    return frozenset(
        (t.lemma_.lower() if t.pos_ == "NOUN" else t.text.lower())
        for t in tok.doc[start:end]
        if t.i != tok.i
        and not (kind == "ceasefire" and t.i < tok.i and t.i >= first)
        and t.pos_ in {"NOUN", "PROPN", "ADJ", "NUM", "VERB"}
        and t.lower_ not in lx.AGREEMENT_WEAK_MODIFIERS
        and t.lower_ not in lx.AGREEMENT_NAME_CONNECTORS
        and not (t.like_num and len(t.text) == 4)
        and t.text != "-"
        and ctx.actors.resolve_token(t) is None
    )


def _within_line(doc: Doc, start: int, end: int, head: int) -> tuple[int, int]:
    """Clip a name to the line of its head noun: a name never crosses a line break
    ("truce in Valdora" + a dateline "VALDORA CITY" on the next line)."""
    for i in range(head + 1, end):
        if doc[i].is_space or "\n" in doc[i - 1].whitespace_:
            end = i
            break
    for i in range(head, start, -1):
        if doc[i - 1].is_space or "\n" in doc[i - 1].whitespace_:
            start = i
            break
    while end - 1 > head and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return start, end


# ---------------------------------------------------------------- status, parties, date


def _governor(tok: Token) -> tuple[Token | None, str]:
    """The verb (or noun) an agreement mention depends on, and how."""
    cur = climb(tok, lambda t: t.dep_ in {"conj", "appos"})
    rel = cur.dep_
    if rel in {"dobj", "nsubj", "nsubjpass", "attr", "oprd"}:
        return cur.head, rel
    if rel == "pobj":
        prep = cur.head
        return prep.head, f"pobj:{prep.lower_}"
    return None, rel


def _goal_complement(verb: Token) -> bool:
    """Whether ``verb`` complements a copula whose subject is an aim noun."""
    if any(c.dep_ == "nsubj" and c.lemma_.lower() in lx.GOAL_NOUNS for c in verb.children):
        return True  # "the objective is achieving X", parsed as a progressive
    head = verb.head
    if verb.dep_ not in {"attr", "xcomp", "ccomp", "acomp", "advcl"} or head.lemma_ != "be":
        return False
    return any(c.dep_ == "nsubj" and c.lemma_.lower() in lx.GOAL_NOUNS for c in head.children)


def _irrealis(verb: Token) -> bool:
    if _goal_complement(verb):
        return True
    marks = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass", "neg", "mark"}}
    if marks & (lx.IRREALIS_AUXILIARIES | lx.IRREALIS_MARKS) or any(
        c.dep_ == "neg" for c in verb.children
    ):
        return True
    if verb.dep_ in {"ccomp", "xcomp"} and verb.head.lemma_ in lx.PROPOSE_VERBS | lx.DESIRE_VERBS:
        return True
    return verb.dep_ in {"xcomp", "advcl", "acl"} and verb.tag_ == "VB"


def _status(m: _Mention) -> AgreementStatus:
    """What the text says happened to the agreement at this mention: its modifiers ("the
    draft treaty", "the deal signed in May", "the pact in force"), else the verb or noun it
    depends on ("signed the accord", "the renewal of the deal")."""
    tok = m.head
    status = _status_by_modifier(tok)
    if status is not None:
        return status
    gov, rel = _governor(tok)
    if gov is None:
        return AgreementStatus.UNKNOWN
    lemma = gov.lemma_.lower()
    if lemma in {"come", "enter"} and re.search(r"\binto (force|effect)\b", gov.sent.text.lower()):
        return AgreementStatus.IN_FORCE
    if gov.pos_ in {"NOUN", "PROPN"}:
        if (
            rel == "pobj:under"
            or lemma in lx.STATUS_NOUNS
            and rel in {"pobj:of", "pobj:on", "pobj:from", "pobj:under"}
        ):
            return lx.STATUS_NOUNS.get(lemma, AgreementStatus.IN_FORCE)
        return AgreementStatus.UNKNOWN
    if rel == "pobj:under":
        return AgreementStatus.IN_FORCE
    return _status_by_verb(gov, lemma, rel)


def _status_by_modifier(tok: Token) -> AgreementStatus | None:
    """A status told by the agreement noun's own modifiers or the words after it."""
    for c in tok.children:
        low = c.lower_
        if low == "draft":
            return AgreementStatus.DRAFT
        if low in {"proposed", "suggested"}:
            return AgreementStatus.PROPOSED
        if c.dep_ == "acl" and c.lemma_ in lx.PROPOSE_VERBS:
            return AgreementStatus.PROPOSED
        if c.dep_ == "acl" and c.lemma_ in lx.SIGN_VERBS and c.tag_ == "VBN":
            return AgreementStatus.SIGNED
    after = tok.doc[tok.i + 1 : tok.i + 4].text.lower()
    if _IN_FORCE.match(after):
        return AgreementStatus.IN_FORCE
    return None


def _status_by_verb(gov: Token, lemma: str, rel: str) -> AgreementStatus:
    """The status a governing verb gives ("signed", "violated", "pulled out of"); a verb in
    an irrealis clause ("would sign", "hopes to revive") says it has not happened."""
    irrealis = _irrealis(gov)
    if lemma in lx.PULL_OUT_VERBS and rel in {"pobj:of", "pobj:from", "pobj:out"}:
        return AgreementStatus.TERMINATED if not irrealis else AgreementStatus.UNKNOWN
    if lemma in lx.SIGN_VERBS:
        if lemma == "negotiate":
            return AgreementStatus.UNDER_NEGOTIATION
        return AgreementStatus.UNDER_NEGOTIATION if irrealis else AgreementStatus.SIGNED
    table = (
        (lx.IN_FORCE_VERBS, AgreementStatus.IN_FORCE),
        (lx.VIOLATE_VERBS, AgreementStatus.VIOLATED),
        (lx.SUSPEND_VERBS, AgreementStatus.SUSPENDED),
        (lx.TERMINATE_VERBS, AgreementStatus.TERMINATED),
        (lx.PROPOSE_VERBS, AgreementStatus.PROPOSED),
    )
    for lemmas, status in table:
        if lemma in lemmas:
            return (
                AgreementStatus.UNKNOWN
                if irrealis and status is not AgreementStatus.PROPOSED
                else status
            )
    if lemma in lx.NEGOTIATE_VERBS:
        return AgreementStatus.UNDER_NEGOTIATION
    return AgreementStatus.UNKNOWN


def _resolve_np(ctx: DocContext, tok: Token) -> list[str]:
    """Actors named by a noun phrase head and its conjuncts."""
    out: list[str] = []
    for t in [tok] + [c for c in tok.conjuncts]:
        key = ctx.actors.resolve_token(t)
        if key is None:
            left = min(
                (c.i for c in t.children if c.dep_ in {"compound", "amod"} and c.i < t.i),
                default=t.i,
            )
            key = ctx.actors.resolve_span(t.doc[left : t.i + 1])
        if key and key not in out:
            out.append(key)
    return out


def _parties(ctx: DocContext, m: _Mention) -> list[str]:
    """The agreement's parties: actors in its name ("the Valdora-Ostland Accord", "Ostland's
    draft agreement"), after "between/with" ("a pact between X and Y"), and the subject or
    agent of a verb that makes, keeps or ends it ("X and Y signed the deal")."""
    out: list[str] = []

    def add(keys: list[str]) -> None:
        out.extend([k for k in keys if k not in out])

    tok = m.head
    for t in ctx.doc[m.start : m.end]:
        if _mediator(t) or m.kind in lx.RESOLUTION_NOUNS.values():
            continue  # "the Valdora-brokered truce", "Council resolution 7": no party
        if t.i < tok.i or t.dep_ == "poss":
            key = ctx.actors.resolve_token(t)
            if key and key not in out:
                out.append(key)
    for c in tok.children:
        if c.dep_ == "poss":
            add(_resolve_np(ctx, c))
        if c.dep_ == "prep" and c.lower_ in lx.PARTY_PREPS:
            for g in c.children:
                if g.dep_ == "pobj":
                    add(_resolve_np(ctx, g))
    gov, rel = _governor(tok)
    if (
        gov is not None
        and gov.pos_ in {"VERB", "AUX"}
        and rel in {"dobj", "nsubjpass"}
        and gov.lemma_ in _PARTY_VERBS | {"join"}
    ):
        for target in _verb_parties(gov):
            add(_resolve_np(ctx, target))
    return out


def _mediator(t: Token) -> bool:
    """A name joined by a hyphen to a participle ("UN-brokered", "Valdora-mediated")."""
    doc = t.doc
    return (
        t.i + 2 < len(doc)
        and doc[t.i + 1].text == "-"
        and doc[t.i + 2].tag_ in {"VBN", "VBD"}
        and not doc[t.i + 1].whitespace_
    )


#: Verbs whose subject (or agent) is a party of the agreement they make, keep or end.
_PARTY_VERBS = (
    lx.SIGN_VERBS | lx.IN_FORCE_VERBS | lx.TERMINATE_VERBS | lx.VIOLATE_VERBS | lx.SUSPEND_VERBS
)


def _verb_parties(gov: Token) -> list[Token]:
    """Heads of the parties of a verb that makes, keeps or ends an agreement: its subject,
    the object of "by", of "with" and of "between", in the order of the verb's children."""
    out: list[Token] = []
    for c in gov.children:
        if c.dep_ == "nsubj" or c.dep_ == "agent":
            target = (
                c if c.dep_ == "nsubj" else next((g for g in c.children if g.dep_ == "pobj"), None)
            )
            if target is not None:
                out.append(target)
        if c.dep_ == "prep" and c.lower_ in {"with", "between"}:
            out.extend(g for g in c.children if g.dep_ == "pobj")
    return out


def _date(ctx: DocContext, m: _Mention) -> str | None:
    doc = ctx.doc
    years = year_mentions(doc[m.start : m.end].text)
    if years:
        return years[0]
    gov, _ = _governor(m.head)
    if (
        gov is not None
        and gov.lemma_ in lx.SIGN_VERBS
        and gov.pos_ == "VERB"
        and not _irrealis(gov)
    ):
        for c in gov.children:
            if c.dep_ in {"prep", "npadvmod"} and c.lower_ in {"on", "in"}:
                sub = doc[c.left_edge.i : c.right_edge.i + 1]
                d = first_date(sub.text, ctx.article.published)
                if d is not None:
                    return d.value
                ys = year_mentions(sub.text)
                if ys:
                    return ys[0]
    return None


# ---------------------------------------------------------------- merging


def _norm_name(s: str) -> str:
    s = re.sub(r"^(the|a|an)\s+", "", s.strip(), flags=re.I).lower()
    s = re.sub(r"[’']s\b", "", s)
    s = re.sub(r"\b(\w+?)s\b$", r"\1", s)
    return re.sub(r"\s+", " ", s)


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _norm_name(s)).strip("-")


def _compatible(a: str, b: str) -> bool:
    return a == b or (a in lx.GENERIC_AGREEMENT_KINDS and b in lx.GENERIC_AGREEMENT_KINDS)


def _acronym_after(doc: Doc, m: _Mention) -> str | None:
    """ "Treaty on Northern Fisheries (TNF)" → "TNF"."""
    i = m.end
    if (
        i + 2 < len(doc)
        and doc[i].text == "("
        and doc[i + 2].text == ")"
        and re.fullmatch(r"[A-Z][A-Z0-9+-]{1,9}", doc[i + 1].text)
    ):
        return doc[i + 1].text
    return None


def _acronym_mentions(
    doc: Doc, tokens: list[Token], taken: set[int], acronyms: set[str]
) -> list[_Mention]:
    out = []
    for tok in tokens:
        if tok.i in taken or tok.text not in acronyms and tok.text not in lx.TREATY_ACRONYMS:
            continue
        if tok.text in lx.TREATY_ACRONYMS and tok.text not in acronyms:
            if tok.text == "START" and not (tok.i > 0 and doc[tok.i - 1].text == "New"):
                continue
            if tok.text in {"INF"} and not (
                tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "treaty"
            ):
                continue
        start = tok.i - 1 if tok.text == "START" else tok.i
        out.append(
            _Mention(
                tok,
                start,
                tok.i + 1,
                "agreement",
                True,
                frozenset({tok.text.lower()}),
                True,
                acronym=tok.text,
            )
        )
    return out


def find_agreements(ctx: DocContext) -> tuple[Agreement, ...]:
    """Agreements the article refers to, one per agreement, with status and parties.

    Args:
        ctx: The article under extraction.

    Returns:
        Agreements in order of first mention. ``key`` is a slug of the canonical name
        (the same named agreement in two articles gets the same key).

    Example:
        "Both sides signed the Harbour Accord in 2019." → ``Agreement(key="harbour-accord",
        name="Harbour Accord", kind="accord", status=SIGNED, date="2019")``
    """
    doc = ctx.doc
    mentions: list[_Mention] = []
    taken: set[int] = set()
    acronyms: set[str] = set()
    for tok in ctx.tokens:
        if tok.i in taken:
            continue
        m = _mention(tok, doc, ctx)
        if m is None:
            continue
        if any(m.start <= i < m.end for i in taken):
            continue
        m.acronym = _acronym_after(doc, m)
        if m.acronym:
            acronyms.add(m.acronym)
            taken.update(range(m.end, m.end + 3))
        taken.update(range(m.start, m.end))
        mentions.append(m)
    for m in _acronym_mentions(doc, ctx.tokens, taken, acronyms):
        mentions.append(m)
    mentions.sort(key=lambda m: m.start)
    for m in mentions:
        m.status = _status(m)
        m.parties = _parties(ctx, m)
        m.date = _date(ctx, m)
    clusters = [c for c in _merge(doc, mentions) if _between_parties(ctx, c)]
    return tuple(_agreement(ctx, c) for c in clusters)


def _between_parties(ctx: DocContext, c: _Cluster) -> bool:
    """Whether a cluster is an agreement between parties, not a document of one side.

    Heads that name an agreement only inside a name ("Act", "Plan", "Initiative",
    "Declaration") are a state's laws, plans and programmes unless the name shows parties
    ("Joint ...", "Valdora-Ostland ...", two actors named) or a word for an agreement
    refers to the same thing ("the grain initiative" also called "the deal"). A common
    "framework" or a bare plural ("port agreements across the globe") needs a status or
    parties the text gives; a "regulatory framework" is one side's rules.
    """
    if any(m.acronym in lx.TREATY_ACRONYMS for m in c.mentions):
        return True
    named = [m for m in c.mentions if m.head.text != m.acronym]  # not the bare acronyms
    if named and all(m.head.lower_.rstrip("s") in lx.AGREEMENT_NAME_NOUNS for m in named):
        return any(_international_name(ctx, m) for m in named)
    told = any(m.parties or m.status is not AgreementStatus.UNKNOWN for m in c.mentions)
    for m in named:
        if told or m.proper and _capitalised_inside(ctx.doc, m):
            continue
        if m.kind == "framework" or (
            m.head.tag_ == "NNS" and not any(x.dep_ in {"det", "poss"} for x in m.head.children)
        ):
            return False
    return not any(  # "a regulatory framework", "the Presidential Memorandum"
        any(x.lower_ in lx.ONE_SIDED_MODIFIERS for x in m.head.children) for m in c.mentions
    )


def _capitalised_inside(doc: Doc, m: _Mention) -> bool:
    """Whether a name has a capital that is not just the first word of its sentence."""
    return any(
        doc[i].text[:1].isupper() and not doc[i].is_sent_start for i in range(m.start, m.end)
    )


def _international_name(ctx: DocContext, m: _Mention) -> bool:
    """Whether a name shows more than one party: a cue word ("Joint", "Bilateral") or two
    actors named in it ("the Valdora-Ostland Founding Act")."""
    words = ctx.doc[m.start : m.end]
    if any(t.lower_ in lx.JOINT_NAME_CUES for t in words):
        return True
    named = {ctx.actors.resolve_token(t) for t in words} - {None}
    return len(named) >= 2


def _merge(doc: Doc, mentions: list[_Mention]) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    for m in mentions:
        target: _Cluster | None = None
        name = _norm_name(m.name(doc))
        if (
            m.acronym
            and m.acronym in lx.TREATY_ACRONYMS
            and m.start == m.head.i
            and m.end - m.start == 1
        ):
            name = _norm_name(lx.TREATY_ACRONYMS[m.acronym])
        for c in reversed(clusters):
            names = {_norm_name(x.name(doc)) for x in c.mentions}
            if name in names or (m.acronym and m.acronym in c.acronyms):
                target = c
                break
            if (
                m.acronym
                and m.acronym in lx.TREATY_ACRONYMS
                and _norm_name(lx.TREATY_ACRONYMS[m.acronym]) in names
            ):
                target = c
                break
        if target is None and m.signature:
            for c in reversed(clusters):
                sig = c.signature
                if (
                    _compatible(m.kind, c.kind)
                    and sig
                    and (m.signature <= sig or sig <= m.signature)
                ):
                    target = c
                    break
        if target is None and not m.signature and not m.proper:
            if m.definite:
                target = next((c for c in reversed(clusters) if _compatible(m.kind, c.kind)), None)
            if target is None and not (m.parties or m.status is not AgreementStatus.UNKNOWN):
                continue
        if target is None:
            target = _Cluster([])
            clusters.append(target)
        target.mentions.append(m)
        if m.acronym:
            target.acronyms.add(m.acronym)
    return clusters


def _clean(name: str) -> str:
    """Drop articles, a leading year and stray quotation marks from a name."""
    name = re.sub(r"[\"“”«»‘]", "", name)
    name = re.sub(r"^(the|a|an)\s+", "", name.strip(), flags=re.I)
    name = re.sub(r"^(19|20)\d{2}\s+(?=[A-Z])", "", name)
    return re.sub(r"\s+", " ", name).strip()


def _is_proper_name(name: str) -> bool:
    """A name with a capitalised word besides the agreement noun and its modifiers
    ("Minsk Agreements", "Paris Agreement"), not a capitalised common noun ("Ceasefire")."""
    generic = (
        lx.AGREEMENT_NOUNS.keys() | lx.AGREEMENT_NAME_NOUNS.keys() | lx.AGREEMENT_WEAK_MODIFIERS
    )
    for word in re.findall(r"[^\W\d_][\w'’-]*", name):
        low = word.lower()
        if low in generic or low.rstrip("s") in generic or not word[0].isupper():
            continue
        return True
    return False


def _agreement(ctx: DocContext, c: _Cluster) -> Agreement:
    doc = ctx.doc
    body = [m for m in c.mentions if not m.headline] or c.mentions
    named = [m for m in body if m.proper and not (m.acronym and m.end - m.start == 1)]
    full_from_acronym = [
        lx.TREATY_ACRONYMS[a] for a in sorted(c.acronyms) if a in lx.TREATY_ACRONYMS and not named
    ]
    if named:
        canonical = max(named, key=lambda m: (m.end - m.start, -m.start)).name(doc)
    elif full_from_acronym:
        canonical = full_from_acronym[0]
    else:
        canonical = max(
            body,
            key=lambda m: (len(m.signature), m.end - m.start > 1, -(m.end - m.start), -m.start),
        ).name(doc)
    canonical = _clean(canonical)
    aliases = []
    for m in c.mentions:
        n = _clean(m.name(doc))
        if n != canonical and n not in aliases and (m.signature or m.acronym):
            aliases.append(n)
    for a in sorted(c.acronyms):
        if a not in aliases and a != canonical:
            aliases.append(a)
    status = _cluster_status(body)
    parties: list[str] = []
    for m in c.mentions:
        parties += [p for p in m.parties if p not in parties]
    date = next((m.date for m in c.mentions if m.date), None)
    first = c.mentions[0]
    kind = next((m.kind for m in c.mentions if m.proper), first.kind)
    return Agreement(
        key=_slug(canonical),
        name=canonical,
        kind=kind,
        status=status,
        span=span_of(doc, doc[first.start].idx, doc[first.end - 1].idx + len(doc[first.end - 1])),
        parties=tuple(parties),
        date=date,
        aliases=tuple(aliases),
        # A proper name or an acronym identifies the agreement beyond this article.
        named=bool(full_from_acronym or c.acronyms or (named and _is_proper_name(canonical))),
    )


#: Statuses that report a stage the agreement has reached (beat prospective ones).
_REALISED = frozenset(
    {
        AgreementStatus.SIGNED,
        AgreementStatus.IN_FORCE,
        AgreementStatus.VIOLATED,
        AgreementStatus.SUSPENDED,
        AgreementStatus.TERMINATED,
    }
)


def _cluster_status(mentions: list[_Mention]) -> AgreementStatus:
    """The strongest evidence over all mentions, not just the first: a stage the text
    says was reached (signed, in force, violated, suspended, terminated) beats a
    prospective one (proposed, draft, under negotiation); ties go to text order."""
    known = [m.status for m in mentions if m.status is not AgreementStatus.UNKNOWN]
    realised = [st for st in known if st in _REALISED]
    if realised:
        return realised[0]
    return known[0] if known else AgreementStatus.UNKNOWN


def add_agreements(ctx: DocContext) -> None:
    """Run :func:`find_agreements` and keep the result as ``ctx.agreements``."""
    ctx.agreements = find_agreements(ctx)


#: The agreements stage: agreements, their status, parties and date.
STAGE = Stage(
    "agreements",
    add_agreements,
    requires=("article", "doc", "actors", "coreference"),
    assigns=("agreements",),
)
