"""Agreements: treaties, accords, deals, memoranda, ceasefires, (draft) agreements.

A mention is a noun from :data:`AGREEMENT_NOUNS` (or a known treaty acronym) with the
words that name it: a capitalised name ("the Paris Agreement", "the Joint Comprehensive
Plan of Action"), or modifiers and an "on ..." complement ("the 2015 nuclear deal", "the
draft agreements on security guarantees"). Mentions of one agreement are merged: same
name, shared naming words ("Minsk Agreements" / "Minsk accords"), an acronym given in
brackets, or a bare definite description ("the accords", "the deal") pointing back to
the last agreement of a compatible kind. Status, parties and date are read from the
syntax around each mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from kg_builder.extract.context import DocContext, span_of
from kg_builder.extract.dates import first_date, year_mentions
from kg_builder.extract.tree import climb
from kg_builder.models import Agreement, AgreementStatus

#: Head nouns (lower-case, singular) → kind.
AGREEMENT_NOUNS: dict[str, str] = {
    "agreement": "agreement",
    "accord": "accord",
    "treaty": "treaty",
    "deal": "deal",
    "pact": "pact",
    "memorandum": "memorandum",
    "protocol": "protocol",
    "convention": "convention",
    "ceasefire": "ceasefire",
    "cease-fire": "ceasefire",
    "truce": "ceasefire",
    "armistice": "armistice",
    "understanding": "understanding",
    "charter": "charter",
    "framework": "framework",
    "arrangement": "arrangement",
    "contract": "contract",
    "compact": "compact",
    "covenant": "covenant",
}

#: Heads that name an agreement only inside a capitalised name ("Founding Act").
PROPER_ONLY_NOUNS: dict[str, str] = {
    "act": "act",
    "initiative": "initiative",
    "plan": "plan",
    "declaration": "declaration",
    "statute": "statute",
    "communique": "communique",
    "roadmap": "roadmap",
}

#: Well-known treaty acronyms and their full names.
KNOWN_ACRONYMS: dict[str, str] = {
    "JCPOA": "Joint Comprehensive Plan of Action",
    "NPT": "Treaty on the Non-Proliferation of Nuclear Weapons",
    "CTBT": "Comprehensive Nuclear-Test-Ban Treaty",
    "INF": "Intermediate-Range Nuclear Forces Treaty",
    "START": "Strategic Arms Reduction Treaty",
    "CFE": "Treaty on Conventional Armed Forces in Europe",
    "NAFTA": "North American Free Trade Agreement",
    "USMCA": "United States-Mexico-Canada Agreement",
    "UNFCCC": "United Nations Framework Convention on Climate Change",
    "UNCLOS": "United Nations Convention on the Law of the Sea",
    "GATT": "General Agreement on Tariffs and Trade",
    "CPTPP": "Comprehensive and Progressive Agreement for Trans-Pacific Partnership",
    "RCEP": "Regional Comprehensive Economic Partnership",
    "AUKUS": "AUKUS",
}

_GENERIC = frozenset(
    {
        "agreement",
        "accord",
        "deal",
        "pact",
        "treaty",
        "contract",
        "arrangement",
        "understanding",
        "plan",
        "act",
        "initiative",
        "framework",
        "compact",
        "covenant",
        "charter",
        "protocol",
        "memorandum",
        "convention",
    }
)
_WEAK_MODIFIERS = frozenset(
    {
        "draft",
        "proposed",
        "final",
        "possible",
        "potential",
        "new",
        "current",
        "previous",
        "such",
        "full",
        "good",
        "immediate",
        "whole",
        "entire",
        "last",
        "latest",
        "recent",
        "same",
        "this",
        "that",
        "original",
        "future",
        "existing",
        "old",
        "formal",
        "any",
        "signed",
        "actual",
        "first",
    }
)
_CONNECTORS = frozenset({"of", "on", "for", "between", "and", "the", "to", "in"})

_SIGN = frozenset(
    {
        "sign",
        "conclude",
        "reach",
        "strike",
        "ink",
        "seal",
        "broker",
        "agree",
        "finalize",
        "finalise",
        "clinch",
        "secure",
        "achieve",
        "approve",
        "ratify",
        "adopt",
        "hammer",
        "forge",
        "negotiate",
    }
)
_FORCE = frozenset(
    {
        "implement",
        "extend",
        "renew",
        "enforce",
        "honour",
        "honor",
        "respect",
        "observe",
        "prolong",
        "uphold",
        "apply",
        "comply",
        "govern",
    }
)
_VIOLATE = frozenset({"violate", "breach", "break", "flout", "contravene"})
_SUSPEND = frozenset({"suspend", "halt", "freeze", "pause"})
_TERMINATE = frozenset(
    {
        "withdraw",
        "terminate",
        "collapse",
        "expire",
        "scrap",
        "abandon",
        "quit",
        "exit",
        "cancel",
        "annul",
        "ditch",
        "nix",
        "revoke",
        "leave",
        "end",
        "dissolve",
        "lapse",
        "tear",
        "renounce",
    }
)
_PROPOSE = frozenset(
    {
        "propose",
        "offer",
        "suggest",
        "submit",
        "send",
        "table",
        "present",
        "put",
        "draft",
        "unveil",
        "float",
    }
)
_NEGOTIATE = frozenset(
    {
        "discuss",
        "revive",
        "seek",
        "pursue",
        "work",
        "prepare",
        "restore",
        "save",
        "salvage",
        "talk",
        "hope",
        "want",
        "need",
    }
)
_NOUN_CUES = {
    "revival": AgreementStatus.UNDER_NEGOTIATION,
    "talk": AgreementStatus.UNDER_NEGOTIATION,
    "negotiation": AgreementStatus.UNDER_NEGOTIATION,
    "withdrawal": AgreementStatus.TERMINATED,
    "violation": AgreementStatus.VIOLATED,
    "breach": AgreementStatus.VIOLATED,
    "implementation": AgreementStatus.IN_FORCE,
    "extension": AgreementStatus.IN_FORCE,
    "renewal": AgreementStatus.IN_FORCE,
    "suspension": AgreementStatus.SUSPENDED,
    "signing": AgreementStatus.SIGNED,
    "collapse": AgreementStatus.TERMINATED,
    "obligation": AgreementStatus.IN_FORCE,
}
_IRREALIS = frozenset(
    {"will", "would", "could", "can", "may", "might", "should", "must", "shall", "to"}
)


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
        low[:-1] if low.endswith("s") and low[:-1] in AGREEMENT_NOUNS | PROPER_ONLY_NOUNS else low
    )
    if base in AGREEMENT_NOUNS:
        return AGREEMENT_NOUNS[base], tok.i
    if base in PROPER_ONLY_NOUNS and tok.text[0].isupper() and _capitalised_run(tok, doc) > 0:
        return PROPER_ONLY_NOUNS[base], tok.i
    return None


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
    if dets & {"any", "no", "every", "each"}:
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
    found = _noun_kind(tok, doc)
    if found is None or _skip(tok):
        return None
    if tok.dep_ == "compound" and _noun_kind(tok.head, doc) is not None:
        return None  # "Framework" in "Framework Convention": the head names it
    headline = _is_headline(tok, ctx.text)
    kind, first = found
    capital = not headline and (
        tok.text[:1].isupper() and not tok.is_sent_start or _capitalised_run(tok, doc) > 0
    )
    start = first
    if capital:
        # a capitalised name: words to the left, then "of/on X" with capitalised X
        while start > 0 and (
            _is_cap(doc[start - 1])
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
            and doc[j].lower_ in _CONNECTORS
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
        proper = any(doc[i].text[:1].isupper() for i in range(start, end))
    else:
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
            if c.dep_ == "prep" and c.lower_ in {"on", "over", "for", "in"}:
                sub = list(c.subtree)
                if c.lower_ == "in":
                    places = [t for t in sub if t.ent_type_ in {"GPE", "LOC"}]
                    if not places or places[0].i > c.i + 3:
                        continue
                    sub = [
                        t
                        for t in sub
                        if t.i <= places[0].i or t.ent_iob_ == "I" and t.i <= places[0].i + 3
                    ]
                if len(sub) <= 9 and not any(t.text in {",", ";", "("} for t in sub):
                    end = max(end, sub[-1].i + 1)
            elif c.dep_ == "prep" and c.lower_ == "of" and tok.lower_.startswith("memorand"):
                end = max(end, max(t.i for t in c.subtree) + 1)
        proper = any(
            doc[i].text[:1].isupper() and doc[i].pos_ == "PROPN"
            for i in range(start, end)
            if i != tok.i
        ) and not any(doc[i].dep_ == "poss" for i in range(start, end))
    start, end = _within_line(doc, start, end, tok.i)
    sig = frozenset(
        (t.lemma_.lower() if t.pos_ == "NOUN" else t.text.lower())
        for t in doc[start:end]
        if t.i != tok.i
        and not (kind == "ceasefire" and t.i < tok.i and t.i >= first)
        and t.pos_ in {"NOUN", "PROPN", "ADJ", "NUM", "VERB"}
        and t.lower_ not in _WEAK_MODIFIERS
        and t.lower_ not in _CONNECTORS
        and not (t.like_num and len(t.text) == 4)
        and t.text != "-"
        and ctx.actors.resolve_token(t) is None
    )
    dets = {c.lower_ for c in tok.children if c.dep_ == "det"}
    definite = bool(dets & {"the", "this", "that", "these", "those"}) or any(
        c.dep_ == "poss" for c in tok.children
    )
    if headline:
        proper = False  # Title Case: capitals say nothing about a name
    return _Mention(tok, start, end, kind, proper, sig, definite, headline=headline)


def _within_line(doc: Doc, start: int, end: int, head: int) -> tuple[int, int]:
    """Clip a name to the line of its head noun: a name never crosses a line break
    ("ceasefire in Gaza" + a dateline "GAZA CITY" on the next line)."""
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


#: Nouns of aims: "the objective is achieving X", "our goal is to reach X" (not reached).
_GOAL_NOUNS = frozenset(
    {
        "objective",
        "goal",
        "aim",
        "purpose",
        "intention",
        "target",
        "priority",
        "ambition",
        "plan",
        "hope",
        "task",
        "mission",
    }
)


def _goal_complement(verb: Token) -> bool:
    """Whether ``verb`` complements a copula whose subject is an aim noun."""
    if any(c.dep_ == "nsubj" and c.lemma_.lower() in _GOAL_NOUNS for c in verb.children):
        return True  # "the objective is achieving X", parsed as a progressive
    head = verb.head
    if verb.dep_ not in {"attr", "xcomp", "ccomp", "acomp", "advcl"} or head.lemma_ != "be":
        return False
    return any(c.dep_ == "nsubj" and c.lemma_.lower() in _GOAL_NOUNS for c in head.children)


def _irrealis(verb: Token) -> bool:
    if _goal_complement(verb):
        return True
    marks = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass", "neg", "mark"}}
    if marks & (_IRREALIS | {"until", "if", "unless", "before", "once", "whether"}) or any(
        c.dep_ == "neg" for c in verb.children
    ):
        return True
    if verb.dep_ in {"ccomp", "xcomp"} and verb.head.lemma_ in _PROPOSE | {
        "want",
        "hope",
        "urge",
        "call",
        "demand",
        "ask",
        "seek",
        "need",
        "expect",
        "aim",
    }:
        return True
    return verb.dep_ in {"xcomp", "advcl", "acl"} and verb.tag_ == "VB"


def _status(m: _Mention) -> AgreementStatus:
    tok = m.head
    for c in tok.children:
        low = c.lower_
        if low == "draft":
            return AgreementStatus.DRAFT
        if low in {"proposed", "suggested"}:
            return AgreementStatus.PROPOSED
        if c.dep_ == "acl" and c.lemma_ in _PROPOSE:
            return AgreementStatus.PROPOSED
        if c.dep_ == "acl" and c.lemma_ in _SIGN and c.tag_ == "VBN":
            return AgreementStatus.SIGNED
    after = tok.doc[tok.i + 1 : tok.i + 4].text.lower()
    if re.match(r"(in force|in place|in effect)\b", after):
        return AgreementStatus.IN_FORCE
    gov, rel = _governor(tok)
    if gov is None:
        return AgreementStatus.UNKNOWN
    lemma = gov.lemma_.lower()
    if lemma in {"come", "enter"} and re.search(r"\binto (force|effect)\b", gov.sent.text.lower()):
        return AgreementStatus.IN_FORCE
    if gov.pos_ in {"NOUN", "PROPN"}:
        if (
            rel == "pobj:under"
            or lemma in _NOUN_CUES
            and rel in {"pobj:of", "pobj:on", "pobj:from", "pobj:under"}
        ):
            return _NOUN_CUES.get(lemma, AgreementStatus.IN_FORCE)
        return AgreementStatus.UNKNOWN
    if rel == "pobj:under":
        return AgreementStatus.IN_FORCE
    irrealis = _irrealis(gov)
    if lemma in {"pull", "walk", "back"} and rel in {"pobj:of", "pobj:from", "pobj:out"}:
        return AgreementStatus.TERMINATED if not irrealis else AgreementStatus.UNKNOWN
    if lemma in _SIGN:
        if lemma == "negotiate":
            return AgreementStatus.UNDER_NEGOTIATION
        return AgreementStatus.UNDER_NEGOTIATION if irrealis else AgreementStatus.SIGNED
    table = (
        (_FORCE, AgreementStatus.IN_FORCE),
        (_VIOLATE, AgreementStatus.VIOLATED),
        (_SUSPEND, AgreementStatus.SUSPENDED),
        (_TERMINATE, AgreementStatus.TERMINATED),
        (_PROPOSE, AgreementStatus.PROPOSED),
    )
    for lemmas, status in table:
        if lemma in lemmas:
            return (
                AgreementStatus.UNKNOWN
                if irrealis and status is not AgreementStatus.PROPOSED
                else status
            )
    if lemma in _NEGOTIATE:
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
    doc = ctx.doc
    tok = m.head
    out: list[str] = []
    # actors inside the name: "NATO-Russia Founding Act", "Russia's draft agreement"
    for i in range(m.start, m.end):
        t = doc[i]
        if t.i < tok.i or t.dep_ == "poss":
            key = ctx.actors.resolve_token(t)
            if key and key not in out:
                out.append(key)
    for c in tok.children:
        if c.dep_ == "poss":
            out += [k for k in _resolve_np(ctx, c) if k not in out]
        if c.dep_ == "prep" and c.lower_ in {"between", "with", "among"}:
            for g in c.children:
                if g.dep_ == "pobj":
                    out += [k for k in _resolve_np(ctx, g) if k not in out]
    gov, rel = _governor(tok)
    if (
        gov is not None
        and gov.pos_ in {"VERB", "AUX"}
        and rel in {"dobj", "nsubjpass"}
        and gov.lemma_ in _SIGN | _FORCE | _TERMINATE | _VIOLATE | _SUSPEND | {"join"}
    ):
        for c in gov.children:
            if c.dep_ == "nsubj" or c.dep_ == "agent":
                target = (
                    c
                    if c.dep_ == "nsubj"
                    else next((g for g in c.children if g.dep_ == "pobj"), None)
                )
                if target is not None:
                    out += [k for k in _resolve_np(ctx, target) if k not in out]
            if c.dep_ == "prep" and c.lower_ in {"with", "between"}:
                for g in c.children:
                    if g.dep_ == "pobj":
                        out += [k for k in _resolve_np(ctx, g) if k not in out]
    return out


def _date(ctx: DocContext, m: _Mention) -> str | None:
    doc = ctx.doc
    years = year_mentions(doc[m.start : m.end].text)
    if years:
        return years[0]
    gov, _ = _governor(m.head)
    if gov is not None and gov.lemma_ in _SIGN and gov.pos_ == "VERB" and not _irrealis(gov):
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
    return a == b or (a in _GENERIC and b in _GENERIC)


def _acronym_after(doc: Doc, m: _Mention) -> str | None:
    """ "Joint Comprehensive Plan of Action (JCPOA)" → "JCPOA"."""
    i = m.end
    if (
        i + 2 < len(doc)
        and doc[i].text == "("
        and doc[i + 2].text == ")"
        and re.fullmatch(r"[A-Z][A-Z0-9+-]{1,9}", doc[i + 1].text)
    ):
        return doc[i + 1].text
    return None


def _acronym_mentions(doc: Doc, taken: set[int], acronyms: set[str]) -> list[_Mention]:
    out = []
    for tok in doc:
        if tok.i in taken or tok.text not in acronyms and tok.text not in KNOWN_ACRONYMS:
            continue
        if tok.text in KNOWN_ACRONYMS and tok.text not in acronyms:
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
        "Both sides signed the Paris Agreement in 2015." → ``Agreement(key="paris-agreement",
        name="Paris Agreement", kind="agreement", status=SIGNED, date="2015")``
    """
    doc = ctx.doc
    mentions: list[_Mention] = []
    taken: set[int] = set()
    acronyms: set[str] = set()
    for tok in doc:
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
    for m in _acronym_mentions(doc, taken, acronyms):
        mentions.append(m)
    mentions.sort(key=lambda m: m.start)
    for m in mentions:
        m.status = _status(m)
        m.parties = _parties(ctx, m)
        m.date = _date(ctx, m)
    clusters = _merge(doc, mentions)
    return tuple(_agreement(ctx, c) for c in clusters)


def _merge(doc: Doc, mentions: list[_Mention]) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    for m in mentions:
        target: _Cluster | None = None
        name = _norm_name(m.name(doc))
        if (
            m.acronym
            and m.acronym in KNOWN_ACRONYMS
            and m.start == m.head.i
            and m.end - m.start == 1
        ):
            name = _norm_name(KNOWN_ACRONYMS[m.acronym])
        for c in reversed(clusters):
            names = {_norm_name(x.name(doc)) for x in c.mentions}
            if name in names or (m.acronym and m.acronym in c.acronyms):
                target = c
                break
            if (
                m.acronym
                and m.acronym in KNOWN_ACRONYMS
                and _norm_name(KNOWN_ACRONYMS[m.acronym]) in names
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
    generic = AGREEMENT_NOUNS.keys() | PROPER_ONLY_NOUNS.keys() | _WEAK_MODIFIERS
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
        KNOWN_ACRONYMS[a] for a in sorted(c.acronyms) if a in KNOWN_ACRONYMS and not named
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
