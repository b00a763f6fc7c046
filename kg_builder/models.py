"""Plain frozen data passed between the stages: Article → Extraction → Graph.

Every extracted fact carries a :class:`Span`: character offsets into ``Article.text``
of the words it was read from, and of the sentence around them. The emitter turns
spans into evidence nodes; nothing downstream needs the spaCy ``Doc``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Article:
    """One news report as read from the input.

    Attributes:
        id: The caller's identifier; unique within a store (re-ingesting replaces).
        text: The article body, exactly as given (offsets point into it).
        url: Where the article was found, if known.
        source: The publisher's name ("TASS"), if known.
        published: Publication date; anchors relative dates ("on Wednesday").
        title: Headline, if any.
        origin: Where it was read from ("file.jsonl:3"), for messages.
    """

    id: str
    text: str
    url: str | None = None
    source: str | None = None
    published: dt.date | None = None
    title: str | None = None
    origin: str = ""


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Character offsets ``[start, end)`` into the article text, with its sentence."""

    start: int
    end: int
    sent_start: int
    sent_end: int

    def text(self, article_text: str) -> str:
        """The words of the span in ``article_text``."""
        return article_text[self.start : self.end]

    def sentence(self, article_text: str) -> str:
        """The sentence around the span in ``article_text``."""
        return article_text[self.sent_start : self.sent_end]


class ActorKind(StrEnum):
    """Most specific ontology class of an actor (local names in ``kgb:``)."""

    PERSON = "Person"
    ORGANISATION = "Organisation"
    STATE = "State"
    GOVERNMENT_BODY = "GovernmentBody"
    INTERNATIONAL_ORGANISATION = "InternationalOrganisation"
    POLITICAL_PARTY = "PoliticalParty"
    ARMED_GROUP = "ArmedGroup"
    COMPANY = "Company"
    MEDIA_ORGANISATION = "MediaOrganisation"
    NGO = "NGO"
    UNION = "Union"
    COLLECTIVE_ACTOR = "CollectiveActor"


class AgreementStatus(StrEnum):
    """Code list ``kgb:AgreementStatusScheme``."""

    PROPOSED = "proposed"
    DRAFT = "draft"
    UNDER_NEGOTIATION = "under-negotiation"
    SIGNED = "signed"
    IN_FORCE = "in-force"
    SUSPENDED = "suspended"
    VIOLATED = "violated"
    TERMINATED = "terminated"
    UNKNOWN = "unknown"


class DemandStatus(StrEnum):
    """Code list ``kgb:DemandStatusScheme``: what became of a demand, as far as the text says.

    ``REITERATED`` is never read from one article: a demand's history
    (:mod:`kg_builder.rdf.history`) gives it to a demand made again after a first report.
    """

    MADE = "made"
    REITERATED = "reiterated"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Plover(StrEnum):
    """PLOVER event categories (``kgb:PloverScheme``) that facts point to."""

    AGREE = "AGREE"
    CONSULT = "CONSULT"
    SUPPORT = "SUPPORT"
    CONCEDE = "CONCEDE"
    COOPERATE = "COOPERATE"
    AID = "AID"
    RETREAT = "RETREAT"
    REQUEST = "REQUEST"
    ACCUSE = "ACCUSE"
    REJECT = "REJECT"
    THREATEN = "THREATEN"
    PROTEST = "PROTEST"
    SANCTION = "SANCTION"
    MOBILIZE = "MOBILIZE"
    COERCE = "COERCE"
    ASSAULT = "ASSAULT"


@dataclass(frozen=True, slots=True)
class Actor:
    """A real-world actor. ``key`` is stable across articles (it becomes the IRI).

    Attributes:
        key: Slug that identifies the actor in every article ("russia", "alexander-grushko").
        name: Canonical name.
        kind: Most specific class.
        aliases: Other surface forms seen in the article (or known from a gazetteer).
        wikidata: Wikidata Q-id, when a gazetteer knows it.
        part_of: ``key`` of the state or body this one belongs to (ministries → state).
        named: False for an actor the text describes without naming it ("an Iranian
            source"): its key means something only inside the article, so its IRI is
            scoped to the article; a named actor is one node across all articles.
    """

    key: str
    name: str
    kind: ActorKind
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    part_of: str | None = None
    named: bool = True


@dataclass(frozen=True, slots=True)
class Mention:
    """A stretch of text that refers to an actor (name, alias, pronoun, description)."""

    actor: str
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Post:
    """A person's office: ``title`` (e.g. "Deputy Foreign Minister") in ``organisation``."""

    person: str
    title: str
    organisation: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class Demand:
    """Actor(s) demand that addressee(s) do (or refrain from) something."""

    demanders: tuple[str, ...]
    addressees: tuple[str, ...]
    content: str
    span: Span
    conditional: bool = False
    condition: str | None = None
    date: dt.date | None = None
    status: DemandStatus = DemandStatus.MADE


@dataclass(frozen=True, slots=True)
class Agreement:
    """A treaty, accord, deal, memorandum, ceasefire or (draft) agreement referred to.

    ``named`` is False when the text gives the agreement no proper name ("the deal",
    "an agreement on grain exports"): its key then identifies it only inside the article.
    """

    key: str
    name: str
    kind: str
    status: AgreementStatus
    span: Span
    parties: tuple[str, ...] = ()
    date: str | None = None  # "1997", "2022-01" or "2022-01-12", as precise as the text
    aliases: tuple[str, ...] = ()
    named: bool = True


@dataclass(frozen=True, slots=True)
class Meeting:
    """A meeting, talks, session, summit, call or visit, held or planned."""

    name: str
    kind: str
    span: Span
    date: dt.date | None = None
    place: str | None = None
    participants: tuple[str, ...] = ()
    planned: bool = False


@dataclass(frozen=True, slots=True)
class Statement:
    """A direct quotation; ``span`` covers the quoted words (without the marks)."""

    quote: str
    span: Span
    speaker: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything read from one article; actor references are ``Actor.key`` values."""

    article: Article
    actors: tuple[Actor, ...] = ()
    mentions: tuple[Mention, ...] = ()
    posts: tuple[Post, ...] = ()
    demands: tuple[Demand, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    statements: tuple[Statement, ...] = ()
    sentences: tuple[tuple[int, int], ...] = field(default=())
