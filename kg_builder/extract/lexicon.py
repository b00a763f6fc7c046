"""Cue lexicons for the demand component: general English, not fitted to any article.

The sets hold lemmas (spaCy ``Token.lemma_``, lower case). They describe *how* English
reports demands (verbs of asking and ordering, modal verbs of obligation, nouns that
name a demand) and *how* it reports speech (verbs of saying), never what is demanded.
"""

from __future__ import annotations

import csv
import functools
import re
from importlib import resources

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

#: Verbs of saying/thinking whose complement clause carries the speaker's position.
REPORTING_VERBS = frozenset(
    {
        "add",
        "affirm",
        "allege",
        "announce",
        "argue",
        "assert",
        "believe",
        "caution",
        "claim",
        "clarify",
        "comment",
        "conclude",
        "confirm",
        "consider",
        "contend",
        "continue",
        "declare",
        "emphasise",
        "emphasize",
        "explain",
        "feel",
        "highlight",
        "hold",
        "indicate",
        "inform",
        "insist",
        "maintain",
        "mention",
        "note",
        "observe",
        "point",
        "reaffirm",
        "reiterate",
        "remark",
        "repeat",
        "reply",
        "respond",
        "say",
        "signal",
        "state",
        "stress",
        "suggest",
        "tell",
        "think",
        "tweet",
        "underline",
        "underscore",
        "warn",
        "write",
        "urge",
        "demand",
        "list",
        "outline",
        "acknowledge",
        "admit",
        "agree",
        "recall",
        "told",
        "voice",
        "answer",
    }
)

#: Verbs whose object (or prepositional object) is asked to act, with an infinitive:
#: "X urged Y to V". Value: the preposition that introduces Y ("" = direct object).
OBJECT_INFINITIVE_VERBS: dict[str, tuple[str, ...]] = {
    "urge": ("",),
    "ask": ("",),
    "press": ("",),
    "request": ("",),
    "tell": ("",),
    "order": ("",),
    "instruct": ("",),
    "encourage": ("",),
    "invite": ("",),
    "expect": ("",),
    "want": ("",),
    "require": ("",),
    "implore": ("",),
    "exhort": ("",),
    "beg": ("",),
    "pressure": ("",),
    "pressurize": ("",),
    "pressurise": ("",),
    "push": ("",),
    "advise": ("",),
    "direct": ("",),
    "command": ("",),
    "demand": ("", "of"),
    "need": ("",),
    "like": ("",),
    "call": ("on", "upon"),
    "appeal": ("to",),
    "plead": ("with",),
    "petition": ("",),
    "challenge": ("",),
    "remind": ("",),
    "warn": ("",),
    "summon": ("",),
}

#: Verbs that take a that-clause stating what another party must do: "X demanded that Y V".
THAT_CLAUSE_VERBS = frozenset(
    {
        "demand",
        "insist",
        "ask",
        "request",
        "urge",
        "require",
        "stipulate",
        "expect",
        "order",
        "command",
        "decree",
        "call",
        "want",
        "press",
    }
)

#: Verbs whose noun-phrase object is the thing demanded: "X demanded the withdrawal of ...".
#: Value: the preposition that introduces the object ("" = direct object).
OBJECT_NP_VERBS: dict[str, tuple[str, ...]] = {
    "demand": ("",),
    "seek": ("",),
    "want": ("",),
    "request": ("", "for"),
    "urge": ("",),
    "call": ("for",),
    "ask": ("for",),
    "press": ("for",),
    "push": ("for",),
    "insist": ("on", "upon"),
    "appeal": ("for",),
    "plead": ("for",),
    "expect": ("",),
    "clamour": ("for",),
    "clamor": ("for",),
    "lobby": ("for",),
    "campaign": ("for",),
    "petition": ("for",),
}

#: Demand verbs that take a bare infinitive of the speaker's side ("We demand to know").
SELF_INFINITIVE_VERBS = frozenset({"demand", "insist"})

#: Causative verbs: "the need to make Y V" — Y is the one who must act.
CAUSATIVE_VERBS = frozenset({"make", "force", "compel", "get", "oblige", "push", "press"})

#: Modal auxiliaries of obligation ("Y should V").
OBLIGATION_MODALS = frozenset({"should", "must", "ought", "shall"})

#: Semi-modals of obligation with a to-infinitive ("Y has to V", "Y needs to V").
OBLIGATION_SEMI_MODALS = frozenset({"have", "need"})

#: Verbs of expectation that turn a future clause into a demand ("We expect that Y will V").
EXPECTATION_VERBS = frozenset({"expect", "demand", "insist", "want", "require"})

#: Nouns that name a demand; their complement is the demanded act.
DEMAND_NOUNS = frozenset(
    {
        "demand",
        "call",
        "request",
        "need",
        "ultimatum",
        "condition",
        "precondition",
        "requirement",
        "insistence",
        "appeal",
        "plea",
        "stipulation",
        "necessity",
        "prerequisite",
    }
)

#: Verbs that state that the demand was turned down / granted ("rejected X's demand").
REJECT_VERBS = frozenset(
    {"reject", "dismiss", "refuse", "rebuff", "deny", "spurn", "turn", "decline", "ignore", "brush"}
)
ACCEPT_VERBS = frozenset(
    {"accept", "agree", "meet", "grant", "fulfil", "fulfill", "satisfy", "heed", "comply", "accede"}
)

#: Subordinators that introduce the condition of a conditional demand.
CONDITION_MARKS = frozenset({"if", "unless", "provided", "providing", "once"})

#: Multi-word condition markers, matched on lower-cased token sequences.
CONDITION_PHRASES = (
    ("on", "condition", "that"),
    ("as", "long", "as"),
    ("provided", "that"),
    ("providing", "that"),
    ("so", "long", "as"),
)

#: Adjectival/verbal cues of dependence: "extension depends on the lifting of sanctions".
DEPENDENCE_VERBS = frozenset({"depend", "hinge", "rest"})
DEPENDENCE_ADJECTIVES = frozenset({"conditional", "contingent", "dependent"})

#: Ordinal openers of enumerated items ("First, ...", "Secondly, ...", "Finally, ...").
ENUMERATION_OPENERS = frozenset(
    {
        "first",
        "firstly",
        "second",
        "secondly",
        "third",
        "thirdly",
        "fourth",
        "fourthly",
        "fifth",
        "fifthly",
        "finally",
        "lastly",
        "also",
        "additionally",
        "moreover",
        "1",
        "2",
        "3",
        "4",
        "5",
        "next",
    }
)

#: Verbs that introduce a list of demands/issues ("The ministry listed the key issues").
LISTING_VERBS = frozenset(
    {
        "list",
        "outline",
        "enumerate",
        "identify",
        "name",
        "set",
        "put",
        "present",
        "spell",
        "lay",
        "formulate",
        "detail",
    }
)

#: Verbs of willingness whose condition clause is a demand on the other party.
WILLINGNESS_VERBS = frozenset(
    {
        "consider",
        "agree",
        "accept",
        "return",
        "resume",
        "restore",
        "sign",
        "negotiate",
        "talk",
        "lift",
        "withdraw",
        "ready",
        "willing",
        "prepared",
        "open",
        "allow",
        "continue",
        "move",
        "join",
        "extend",
        "renew",
        "disarm",
        "release",
        "stop",
        "end",
        "cease",
        "proceed",
        "engage",
        "be",
    }
)

#: Nouns of failure/refusal: "warned that failure to V will harm ..." implies a demand to V.
FAILURE_NOUNS = frozenset({"failure", "refusal", "reluctance", "inability"})
WARNING_VERBS = frozenset({"warn", "caution", "threaten", "say", "stress", "state"})

#: Pronouns by the kind of antecedent they take.
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers", "himself", "herself"})
THING_PRONOUNS = frozenset({"it", "its", "itself"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs", "themselves"})
FIRST_PERSON = frozenset({"i", "me", "my", "we", "us", "our", "ours", "myself", "ourselves"})


@functools.lru_cache(maxsize=1)
def demonym_states() -> dict[str, tuple[str, ...]]:
    """Map lower-cased demonyms and state names to every name of that state.

    Returns:
        ``{"russian": ("Russia", "Russian Federation", ...), "russia": (...), ...}``,
        read from the packaged ``countries.csv`` gazetteer.
    """
    out: dict[str, tuple[str, ...]] = {}
    path = resources.files("kg_builder.nlp.data").joinpath("countries.csv")
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names = tuple(n for n in [row["name"], *row.get("aliases", "").split("|")] if n)
            for form in [*row.get("demonyms", "").split("|"), *names]:
                if form:
                    out.setdefault(form.casefold(), names)
    return out


#: Verbs whose object noun "demand/need/condition" is voiced by their subject
#: ("he stressed the need for ...", "X laid down a condition", "X issued an ultimatum").
NOMINAL_GOVERNORS = (
    REPORTING_VERBS
    | LISTING_VERBS
    | frozenset(
        {
            "make",
            "issue",
            "lay",
            "put",
            "present",
            "submit",
            "deliver",
            "table",
            "send",
            "renew",
            "repeat",
            "voice",
            "pose",
            "impose",
            "set",
            "raise",
            "reiterate",
            "include",
            "express",
            "underline",
            "emphasize",
            "emphasise",
            "stress",
            "see",
            "recognize",
            "recognise",
            "cite",
        }
    )
)

#: Role nouns that, with "the", point back to a person already named ("the spokesperson").
PERSON_ROLE_NOUNS = frozenset(
    {
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "minister",
        "envoy",
        "diplomat",
        "official",
        "president",
        "premier",
        "chancellor",
        "secretary",
        "ambassador",
        "leader",
        "chief",
        "negotiator",
        "representative",
        "senator",
        "lawmaker",
        "commander",
        "general",
        "king",
        "emir",
        "prince",
        "governor",
        "mayor",
        "chairman",
        "chairwoman",
        "chair",
        "director",
        "head",
        "deputy",
        "ruler",
        "monarch",
        "prosecutor",
        "judge",
        "speaker",
    }
)

#: Collective nouns that, with "the", point back to an organisation already named.
BODY_ROLE_NOUNS = frozenset(
    {
        "ministry",
        "government",
        "group",
        "union",
        "bloc",
        "alliance",
        "organisation",
        "organization",
        "agency",
        "administration",
        "council",
        "committee",
        "movement",
        "party",
        "coalition",
        "cabinet",
        "parliament",
        "department",
        "office",
        "country",
        "state",
        "kingdom",
        "republic",
        "side",
        "delegation",
        "militia",
        "army",
        "company",
    }
)


# ---------------------------------------------------------------------- cue tests on tokens
# Small predicates that read the cue words above off a parsed token or sentence.

_QUOTE_OPEN = "\u201c\u00ab\u201e"
_QUOTE_CLOSE = "\u201d\u00bb"


def negated(t: Token) -> bool:
    """Whether a verb carries a negation ("did not demand", "never asked")."""
    return any(c.dep_ == "neg" or c.lower_ in ("never", "not", "n't") for c in t.children)


def is_passive(v: Token) -> bool:
    """Whether a verb is passive ("was asked")."""
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children)


def has_to(v: Token) -> bool:
    """Whether a verb is a to-infinitive."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)


def is_question(sent: SpacySpan) -> bool:
    """Whether a sentence is a question (rhetorical or not)."""
    return sent.text.rstrip(" \n\"'\u201d\u2019").endswith("?")


def opens_enumeration(sent: SpacySpan) -> bool:
    """Whether a sentence starts an enumerated item ("First, ...", "2. ...")."""
    first = next((t for t in sent if not t.is_space and not t.is_punct), None)
    return first is not None and first.lower_.rstrip(".)") in ENUMERATION_OPENERS


def directive_clause(c: Token, lemma: str) -> bool:
    """Whether a that-clause under verb ``lemma`` states an act to be done (not a fact).

    Args:
        c: Head verb of the that-clause.
        lemma: Lemma of the governing verb ("demand", "insist", "expect").

    Returns:
        True for "demanded that Y withdraw", "insisted that Y should", "expect that Y will";
        False for "insisted that the demand is a non-starter".
    """
    aux = {a.lemma_.lower() for a in c.children if a.dep_ in ("aux", "auxpass")}
    if aux & (OBLIGATION_MODALS | {"will", "would"}):
        return lemma in EXPECTATION_VERBS | THAT_CLAUSE_VERBS
    if lemma in ("demand", "request", "require", "stipulate", "order", "command", "decree"):
        return True
    # subjunctive: "insisted that Y withdraw" (base form, no tense)
    return c.tag_ == "VB" or (c.tag_ == "VBN" and "be" in aux)


#: The characters :func:`quote_regions` acts on: quotation marks and paragraph breaks.
_QUOTE_REGION_MARKS = re.compile(f'[{_QUOTE_OPEN}{_QUOTE_CLOSE}"]|\n(?=\n)')


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks (curly, guillemets or straight).

    A quotation opened with a curly mark may be closed by a straight one; an unclosed one
    ends at the paragraph break unless the next paragraph reopens it.
    """
    regions: list[tuple[int, int]] = []
    start: int | None = None
    straight: int | None = None
    for mark in _QUOTE_REGION_MARKS.finditer(text):
        i, ch = mark.start(), mark.group()
        if ch in _QUOTE_OPEN and start is None:
            start = i + 1
        elif start is not None and (ch in _QUOTE_CLOSE or ch == '"'):
            regions.append((start, i))  # a curly opening may close with a straight mark
            start = None
        elif ch == '"':
            if straight is None:
                straight = i + 1
            else:
                regions.append((straight, i))
                straight = None
        elif (
            ch == "\n"
            and text[i : i + 2] == "\n\n"
            and start is not None
            and (i + 2 < len(text) and text[i + 2] not in _QUOTE_OPEN)
        ):
            regions.append((start, i))
            start = None
    return sorted(regions)
