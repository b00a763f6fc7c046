"""Gazetteers: states, capitals, demonyms, organisations, media and national institutions.

The CSV files under ``kg_builder/nlp/data`` are read once (see ``data/README.md`` for
their sources). Every entry gets a stable actor key: states and organisations from the
gazetteer (``russia``, ``united-states``, ``nato``), media from ``media.csv``. The cue
lexicons of extraction are not here but in :mod:`kg_builder.extract.lexicon`.

Example:
    >>> from kg_builder.nlp import gazetteer
    >>> gazetteer.state_by_demonym("Chilean").key
    'chile'
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Any

from kg_builder.models import ActorKind

#: Organisation kinds of ``organisations.csv`` → ontology class.
#: PoliticalMovement rows (PLO, Fatah, Muslim Brotherhood, Polisario Front) are political
#: organisations that contest power through politics (and, for some, arms); as non-state
#: political actors they are closest to ``PoliticalParty``.
ORG_KINDS: dict[str, ActorKind] = {
    "InternationalOrganisation": ActorKind.INTERNATIONAL_ORGANISATION,
    "RegionalOrganisation": ActorKind.INTERNATIONAL_ORGANISATION,
    "MilitaryAlliance": ActorKind.INTERNATIONAL_ORGANISATION,
    "Forum": ActorKind.INTERNATIONAL_ORGANISATION,
    "Court": ActorKind.INTERNATIONAL_ORGANISATION,
    "Agency": ActorKind.INTERNATIONAL_ORGANISATION,
    "ArmedGroup": ActorKind.ARMED_GROUP,
    "PoliticalMovement": ActorKind.POLITICAL_PARTY,
}

#: Aliases too ambiguous to match on their own in news text (see data/README.md).
AMBIGUOUS_ALIASES = frozenset(
    {
        "Commonwealth",
        "High Commissioner",
        "Human Rights Council",
        "Economic and Social Council",
        "the States",
        "RIA",
        "AA",
        "FT",
        "Dawn",
        "Guardian",
        "Economist",
        "Rada",
        "Senate",
        "Congress",
        "Duma",
        "Quad",
        "Fars",
        "Mehr",
    }
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer entry.

    Attributes:
        key: Stable actor key (slug).
        name: Canonical name.
        kind: Ontology class of the actor.
        aliases: Other names (short and full forms).
        wikidata: Wikidata Q-id, if known.
        org_kind: The raw ``kind`` column of ``organisations.csv`` ("" for others).
        capitals: Capital cities (states only).
        demonyms: Adjectival forms (states only).
        iso2: ISO 3166-1 alpha-2 code (states only).
    """

    key: str
    name: str
    kind: ActorKind
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    org_kind: str = ""
    capitals: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    iso2: str = ""


@dataclass(frozen=True, slots=True)
class Institution:
    """A national institution known by its own name ("the Kremlin", "the Pentagon")."""

    surface: str
    state: str
    function: str
    kind: ActorKind


def slug(text: str) -> str:
    """A lower-case ASCII slug ("Chile's Foreign Ministry" → "chiles-foreign-ministry").

    Args:
        text: Any name.

    Returns:
        Words of ``[a-z0-9]`` joined by hyphens.
    """
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_ = ascii_.lower().replace("'", "").replace("\u2019", "")
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("kg_builder.nlp.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


@functools.lru_cache(maxsize=1)
def states() -> tuple[Entry, ...]:
    """Every state or territory of ``countries.csv``, in file order."""
    out = []
    for r in _rows("countries.csv"):
        out.append(
            Entry(
                key=slug(r["name"]),
                name=r["name"],
                kind=ActorKind.STATE,
                aliases=_split(r["aliases"]),
                wikidata=r["wikidata"] or None,
                capitals=_split(r["capital"]),
                demonyms=_split(r["demonyms"]),
                iso2=r["iso2"],
            )
        )
    return tuple(out)


@functools.lru_cache(maxsize=1)
def organisations() -> tuple[Entry, ...]:
    """Every organisation of ``organisations.csv``; keys are its ``key`` column, hyphenated."""
    return tuple(
        Entry(
            key=r["key"].replace("_", "-"),
            name=r["name"],
            kind=ORG_KINDS[r["kind"]],
            aliases=_split(r["aliases"]),
            wikidata=r["wikidata"] or None,
            org_kind=r["kind"],
        )
        for r in _rows("organisations.csv")
    )


@functools.lru_cache(maxsize=1)
def media() -> tuple[Entry, ...]:
    """News agencies, broadcasters and newspapers of ``media.csv``."""
    return tuple(
        Entry(
            key=r["key"],
            name=r["name"],
            kind=ActorKind.MEDIA_ORGANISATION,
            aliases=_split(r["aliases"]),
        )
        for r in _rows("media.csv")
    )


@functools.lru_cache(maxsize=1)
def institutions() -> tuple[Institution, ...]:
    """National institutions known by their own name (``institutions.csv``)."""
    by_iso = {e.iso2: e.key for e in states()}
    return tuple(
        Institution(r["surface"], by_iso[r["state"]], r["function"], ActorKind(r["kind"]))
        for r in _rows("institutions.csv")
    )


@functools.lru_cache(maxsize=1)
def collective_phrases() -> tuple[tuple[str, str, str], ...]:
    """Fixed collective-actor phrases: ``(pattern, key, name)`` ("the West")."""
    return tuple((r["pattern"], r["key"], r["name"]) for r in _rows("collective.csv"))


@functools.lru_cache(maxsize=1)
def _by_key() -> dict[str, Entry]:
    return {e.key: e for e in states() + organisations() + media()}


def entry(key: str) -> Entry | None:
    """The gazetteer entry with actor key ``key``, if any."""
    return _by_key().get(key)


@functools.lru_cache(maxsize=1)
def demonym_states() -> dict[str, tuple[str, ...]]:
    """Map lower-cased demonyms and state names to every name of that state.

    Unlike :func:`state_by_demonym`, this is case-blind and keeps shared demonyms (the first
    state in file order wins).

    Returns:
        ``{"french": ("France", "French Republic", ...), "france": (...), ...}``, read from
        ``countries.csv``.
    """
    out: dict[str, tuple[str, ...]] = {}
    for row in _rows("countries.csv"):
        names = tuple(n for n in [row["name"], *row.get("aliases", "").split("|")] if n)
        for form in [*row.get("demonyms", "").split("|"), *names]:
            if form:
                out.setdefault(form.casefold(), names)
    return out


@functools.lru_cache(maxsize=1)
def _demonyms() -> dict[str, Entry]:
    seen: dict[str, list[Entry]] = {}
    for e in states():
        for d in e.demonyms:
            seen.setdefault(d, []).append(e)
    # shared demonyms (Congolese, Dominican) cannot be resolved without context: left out
    return {d: es[0] for d, es in seen.items() if len(es) == 1}


def state_by_demonym(word: str) -> Entry | None:
    """The state whose demonym is ``word`` ("Chilean", "U.S."), case-sensitive.

    Plural nouns are accepted ("Americans", "Pakistanis", "Cypriots").
    """
    d = _demonyms()
    if word in d:
        return d[word]
    if word.endswith("s") and word[:-1] in d and word[-2].isalpha():
        return d[word[:-1]]
    return None


@functools.lru_cache(maxsize=1)
def _names() -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    for e in states() + organisations() + media():
        for n in (e.name, *e.aliases):
            if n not in AMBIGUOUS_ALIASES and not n.startswith("the "):
                for spelling in apostrophe_spellings(n):
                    out.setdefault(spelling, e)
    return out


def by_name(name: str) -> Entry | None:
    """The state, organisation or medium named ``name`` (case-sensitive; "the" dropped)."""
    n = re.sub(r"^[Tt]he\s+", "", name.strip())
    return _names().get(n) or _names().get(name.strip())


@functools.lru_cache(maxsize=1)
def _capitals() -> dict[str, Entry]:
    names = _names()
    out: dict[str, Entry] = {}
    for e in states():
        for c in e.capitals:
            if c not in names and c != "Male":
                out.setdefault(c, e)
    return out


def state_by_capital(name: str) -> Entry | None:
    """The state whose capital is ``name`` ("Lima" → Peru, "Kiev" → Ukraine)."""
    return _capitals().get(name)


#: Organisation kinds that have member states ("ASEAN countries", "EU members").
MEMBERSHIP_KINDS = frozenset(
    {"InternationalOrganisation", "RegionalOrganisation", "MilitaryAlliance", "Forum"}
)
MEMBER_NOUNS = (
    "countries",
    "members",
    "member states",
    "member countries",
    "allies",
    "nations",
    "states",
    "partners",
    "member nations",
)


def apostrophe_spellings(name: str) -> tuple[str, ...]:
    """A name with its apostrophe typed straight and curly ("People's" and "People’s"):
    news text uses both, and a name matched only in part is another entity's name."""
    if "'" in name:
        return (name, name.replace("'", "\u2019"))
    if "\u2019" in name:
        return (name, name.replace("\u2019", "'"))
    return (name,)


def _swapped(name: str) -> tuple[str, ...]:
    """Bilateral names read both ways: "EU-Japan Council" → "Japan-EU Council"."""
    m = re.match(r"^(\S+?)([-\u2013])(\S+) (.+)$", name)
    return (f"{m[3]}{m[2]}{m[1]} {m[4]}",) if m else ()


#: Kinds of pattern id (see :func:`ruler_patterns`) that name an actor of the gazetteer; the
#: other kind, ``inst``, names a national institution, read as a body of its state.
NAME_ID_KINDS = ("state", "capital", "org", "media")


def ruler_patterns() -> list[dict[str, Any]]:
    """EntityRuler patterns: states, capitals, organisations, media, institutions.

    Phrase patterns match case-sensitively (on ``ORTH``), so "US" is not "us" and "WHO"
    is not "who". The pattern ``id`` says what matched: ``state:KEY``, ``capital:KEY``,
    ``org:KEY``, ``media:KEY`` or ``inst:N`` (index into :func:`institutions`).

    Returns:
        A list of EntityRuler pattern dicts, deterministic in order.
    """
    pats: list[dict[str, Any]] = []

    def add(label: str, text: str, id_: str) -> None:
        if text and text not in AMBIGUOUS_ALIASES and not text.startswith("the "):
            for spelling in apostrophe_spellings(text):
                pats.append({"label": label, "pattern": spelling, "id": id_})

    for e in states():
        for n in (e.name, *e.aliases):
            add("GPE", n, f"state:{e.key}")
    for c, e in sorted(_capitals().items()):
        add("GPE", c, f"capital:{e.key}")
    for e in organisations():
        for n in (e.name, *e.aliases, *_swapped(e.name)):
            add("ORG", n, f"org:{e.key}")
            if e.org_kind in MEMBERSHIP_KINDS and (n.isupper() or n == e.name):
                for noun in MEMBER_NOUNS:
                    add("ORG", f"{n} {noun}", f"org:{e.key}")
    for e in media():
        for n in (e.name, *e.aliases):
            add("ORG", n, f"media:{e.key}")
    for i, inst in enumerate(institutions()):
        add("ORG", inst.surface, f"inst:{i}")
    return pats
