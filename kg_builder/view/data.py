"""What the pictures and pages show, read from the graph with the view's SPARQL queries.

Every query the views run is a file in ``kg_builder/view/sparql/`` (one place to adapt
when the graph's layout changes). A query may hold a ``# FILTERS`` line, which
:func:`view_query` replaces with the ``FILTER`` clauses of a :class:`Filters` (articles,
dates, actors); each query's header says which variables a filter may use. Rows come
back as plain strings and are gathered here into small frozen records, sorted, so that
the same graph always gives the same pictures and pages.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import Protocol, TypeVar

from rdflib import Literal, URIRef

from kg_builder.errors import ConfigError, QueryError
from kg_builder.resources import ontology_file
from kg_builder.store.query import Table
from kg_builder.view.source import Source

#: The ontology namespace: actor classes are shown by their local name (``State``).
_KGB = "https://w3id.org/kg-builder/ontology#"
#: Properties that tie an actor to a fact (the actor filter follows them).
_ROLE_PROPERTIES = ("demander", "addressee", "participant", "speaker", "party", "holder")


# --------------------------------------------------------------------------- queries


@functools.cache
def _query_text(name: str) -> str:
    path = resources.files("kg_builder.view") / "sparql" / f"{name}.rq"
    return path.read_text(encoding="utf-8")


def view_query(name: str, *clauses: str) -> str:
    """The view query ``name`` (``kg_builder/view/sparql/NAME.rq``) with ``clauses`` in
    place of its ``# FILTERS`` line.

    Example:
        >>> "FILTER" in view_query("articles", in_articles(["a1"]))
        True
    """
    text = _query_text(name)
    if clauses and "# FILTERS" not in text:
        raise QueryError(f"the view query {name}.rq has no # FILTERS line")
    return text.replace("# FILTERS", "\n  ".join(clauses))


def in_articles(article_ids: Iterable[str]) -> str:
    """A FILTER on ``?article_id``: only these articles."""
    values = ", ".join(Literal(a).n3() for a in article_ids)
    return f"FILTER(?article_id IN ({values}))"


def date_between(start: str | None, end: str | None) -> str:
    """A FILTER on ``?date`` (ISO days compare as strings); facts without a date drop out."""
    tests = []
    if start:
        tests.append(f"STR(?date) >= {Literal(start).n3()}")
    if end:
        tests.append(f"SUBSTR(STR(?date), 1, 10) <= {Literal(end).n3()}")
    return f"FILTER({' && '.join(tests)})" if tests else ""


def involving(actor_iris: Iterable[str], properties: Iterable[str] = _ROLE_PROPERTIES) -> str:
    """A FILTER on ``?fact``: facts in which one of these actors takes part, in any role
    (``properties``: the ontology's local names of the role properties)."""
    values = " ".join(URIRef(i).n3() for i in actor_iris)
    path = "|".join(f"kgb:{p}" for p in properties)
    return f"FILTER EXISTS {{ GRAPH ?g {{ VALUES ?focus {{ {values} }} ?fact {path} ?focus }} }}"


def is_actor(actor_iris: Iterable[str]) -> str:
    """A FILTER on ``?actor``: only these actors."""
    return f"FILTER(?actor IN ({', '.join(URIRef(i).n3() for i in actor_iris)}))"


def _rows(table: Table) -> Iterator[dict[str, str]]:
    for row in table.rows:
        yield dict(zip(table.columns, row, strict=True))


# --------------------------------------------------------------------------- filters


def _iso_day(value: str | None, what: str) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ConfigError(f"{what} must be a day written YYYY-MM-DD, not {value!r}") from None


@dataclass(frozen=True)
class Filters:
    """Which facts a picture shows. Empty means no restriction.

    Attributes:
        actors: Actor names, aliases, keys (``nato``) or IRIs: facts in which one of them
            takes part (as demander, addressee, participant, speaker, party or holder).
        articles: Article identifiers: only facts read from these articles.
        start: First day (``YYYY-MM-DD``), inclusive; facts without a date drop out.
        end: Last day, inclusive.

    Raises:
        ConfigError: a day that is not ``YYYY-MM-DD``, or ``start`` after ``end``.
    """

    actors: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    start: str | None = None
    end: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _iso_day(self.start, "the start date"))
        object.__setattr__(self, "end", _iso_day(self.end, "the end date"))
        if self.start and self.end and self.start > self.end:
            raise ConfigError(f"the start date {self.start} is after the end date {self.end}")

    def describe(self) -> str:
        """The filters in words, for a picture's subtitle ('' when there are none)."""
        parts = []
        if self.actors:
            parts.append("involving " + ", ".join(self.actors))
        if self.articles:
            parts.append("from " + ", ".join(self.articles))
        if self.start or self.end:
            parts.append(f"dated {self.start or '…'} to {self.end or '…'}")
        return "; ".join(parts)


def filter_clauses(source: Source, filters: Filters | None) -> list[str]:
    """The FILTER clauses of ``filters`` for a query over facts (``?fact``, ``?date``, …).

    Raises:
        ConfigError: an actor that is not in the graph.
    """
    filters = filters or Filters()
    clauses = []
    if filters.articles:
        clauses.append(in_articles(filters.articles))
    if filters.start or filters.end:
        clauses.append(date_between(filters.start, filters.end))
    if filters.actors:
        iris = sorted({a.iri for name in filters.actors for a in find_actors(source, name)})
        clauses.append(involving(iris))
    return clauses


# --------------------------------------------------------------------------- actors


@functools.cache
def class_labels() -> dict[str, str]:
    """The ontology's label of each of its classes, by local name (``NGO`` →
    ``non-governmental organisation``)."""
    from rdflib import Graph
    from rdflib.namespace import OWL, RDF, RDFS

    graph = Graph().parse(ontology_file(), format="turtle")
    labels = {}
    for cls in graph.subjects(RDF.type, OWL.Class):
        if str(cls).startswith(_KGB):
            label = graph.value(cls, RDFS.label)
            labels[str(cls)[len(_KGB) :]] = str(label) if label else str(cls)[len(_KGB) :]
    return dict(sorted(labels.items()))


@dataclass(frozen=True, order=True)
class ActorRef:
    """An actor as the views show it: its name first, so that sorting is by name."""

    name: str
    iri: str
    kind: str = "Actor"

    @property
    def key(self) -> str:
        """The part of the IRI after ``/actor/`` (``nato``): the actor page's address."""
        head, sep, tail = self.iri.rpartition("/actor/")
        return tail if sep and tail else self.iri


def _kind(classes: Iterable[str]) -> str:
    kinds = sorted(c[len(_KGB) :] for c in classes if c.startswith(_KGB))
    return kinds[0] if kinds else "Actor"


def _actor(row: dict[str, str], prefix: str) -> ActorRef | None:
    iri = row.get(prefix, "")
    if not iri:
        return None
    return ActorRef(
        row.get(f"{prefix}_name", "") or iri, iri, _kind([row.get(f"{prefix}_class", "")])
    )


def _merge_actors(refs: Iterable[ActorRef]) -> tuple[ActorRef, ...]:
    """One ref per IRI (the smallest name, the most specific known kind), sorted by name."""
    by_iri: dict[str, ActorRef] = {}
    for ref in refs:
        old = by_iri.get(ref.iri)
        if old is None:
            by_iri[ref.iri] = ref
        else:
            kinds = sorted({old.kind, ref.kind} - {"Actor"}) or ["Actor"]
            kind = kinds[0]
            by_iri[ref.iri] = ActorRef(min(old.name, ref.name), ref.iri, kind)
    return tuple(sorted(by_iri.values()))


@dataclass(frozen=True)
class ActorInfo:
    """An actor with its other names, Wikidata id and how many articles mention it."""

    ref: ActorRef
    aliases: tuple[str, ...] = ()
    wikidata: str = ""
    articles: int = 0


def actors(source: Source, iris: Iterable[str] = ()) -> tuple[ActorInfo, ...]:
    """Every actor in the graph (or only those with these IRIs), sorted by name."""
    iris = sorted(set(iris))
    table = source.select(view_query("actors", is_actor(iris)) if iris else view_query("actors"))
    names: dict[str, set[str]] = defaultdict(set)
    classes: dict[str, set[str]] = defaultdict(set)
    aliases: dict[str, set[str]] = defaultdict(set)
    wikidata: dict[str, str] = {}
    counts: dict[str, int] = defaultdict(int)
    for row in _rows(table):
        iri = row["actor"]
        names[iri].add(row["name"])
        classes[iri].add(row["class"])
        if row["alias"]:
            aliases[iri].add(row["alias"])
        if row["wikidata"]:
            wikidata[iri] = min(row["wikidata"], wikidata.get(iri, row["wikidata"]))
        counts[iri] = int(row["articles"] or 0)
    found = []
    for iri, those in names.items():
        name = min(those)
        ref = ActorRef(name, iri, _kind(classes[iri]))
        others = tuple(sorted((aliases[iri] | those) - {name}))
        found.append(ActorInfo(ref, others, wikidata.get(iri, ""), counts[iri]))
    return tuple(sorted(found, key=lambda a: a.ref))


def find_actors(source: Source, text: str) -> tuple[ActorRef, ...]:
    """The actors ``text`` names: an IRI, a key (``nato``), a name or an alias (any case).

    Raises:
        ConfigError: no actor matches; the message suggests names that contain ``text``.
    """
    wanted = text.strip().casefold()
    everyone = actors(source)
    found = tuple(
        info.ref
        for info in everyone
        if wanted in {info.ref.iri.casefold(), info.ref.key.casefold()}
        or wanted in {n.casefold() for n in (info.ref.name, *info.aliases)}
    )
    if found:
        return found
    near = sorted({i.ref.name for i in everyone if wanted and wanted in i.ref.name.casefold()})
    hint = f"; did you mean {', '.join(near[:5])}?" if near else ""
    raise ConfigError(f"no actor called {text!r} in the graph{hint}")


# --------------------------------------------------------------------------- facts for pictures


@dataclass(frozen=True)
class DemandRecord:
    """A demand: who demanded what of whom, when, and what became of it."""

    iri: str
    article_id: str
    date: str
    content: str
    status: str
    demanders: tuple[ActorRef, ...]
    addressees: tuple[ActorRef, ...]
    sentence: str = ""


@dataclass(frozen=True)
class MeetingRecord:
    """A meeting with its participants."""

    iri: str
    article_id: str
    date: str
    name: str
    kind: str
    planned: bool
    place: str
    participants: tuple[ActorRef, ...]
    sentence: str = ""


@dataclass(frozen=True)
class AgreementRecord:
    """An agreement's status as one article reports it (``date``: the article's day)."""

    iri: str
    article_id: str
    date: str
    name: str
    status: str
    parties: tuple[ActorRef, ...]
    sentence: str = ""


@dataclass(frozen=True)
class StatementRecord:
    """A direct quotation and who said it."""

    iri: str
    article_id: str
    date: str
    quote: str
    speakers: tuple[ActorRef, ...]
    sentence: str = ""


@dataclass
class _Gather:
    """Rows of one fact (one per role value x evidence), gathered."""

    first: dict[str, str]
    actors: dict[str, list[ActorRef]] = field(default_factory=lambda: defaultdict(list))
    sentences: set[str] = field(default_factory=set)

    def add(self, row: dict[str, str], roles: tuple[str, ...], canon: dict[str, ActorRef]) -> None:
        for role in roles:
            if row.get(role):
                self.actors[role].append(canon[row[role]])
        if row.get("sentence"):
            self.sentences.add(row["sentence"])

    def sentence(self) -> str:
        return min(self.sentences) if self.sentences else ""


def _gather(table: Table, roles: tuple[str, ...]) -> list[_Gather]:
    """One :class:`_Gather` per (fact, article), in a stable order. An actor is the same
    ref wherever it appears (its smallest name across the rows)."""
    rows = list(_rows(table))
    found = (_actor(row, role) for row in rows for role in roles)
    canon = {ref.iri: ref for ref in _merge_actors(r for r in found if r is not None)}
    facts: dict[tuple[str, str], _Gather] = {}
    for row in rows:
        key = (row["fact"], row["article_id"])
        if key not in facts:
            facts[key] = _Gather(row)
        facts[key].add(row, roles, canon)
    return [facts[k] for k in sorted(facts)]


class _Dated(Protocol):
    """A fact record as :func:`_by_date` sorts it."""

    @property
    def date(self) -> str: ...
    @property
    def article_id(self) -> str: ...
    @property
    def iri(self) -> str: ...


_R = TypeVar("_R", bound=_Dated)


def _by_date(records: Iterable[_R]) -> tuple[_R, ...]:
    return tuple(sorted(records, key=lambda r: (r.date, r.article_id, r.iri)))


def demands(source: Source, filters: Filters | None = None) -> tuple[DemandRecord, ...]:
    """Every demand the filters let through, oldest first."""
    table = source.select(view_query("demands", *filter_clauses(source, filters)))
    return _by_date(
        DemandRecord(
            g.first["fact"],
            g.first["article_id"],
            g.first["date"],
            g.first["content"],
            g.first["status"] or "made",
            _merge_actors(g.actors["demander"]),
            _merge_actors(g.actors["addressee"]),
            g.sentence(),
        )
        for g in _gather(table, ("demander", "addressee"))
    )


def meetings(source: Source, filters: Filters | None = None) -> tuple[MeetingRecord, ...]:
    """Every meeting the filters let through, oldest first."""
    table = source.select(view_query("meetings", *filter_clauses(source, filters)))
    return _by_date(
        MeetingRecord(
            g.first["fact"],
            g.first["article_id"],
            g.first["date"],
            g.first["name"],
            g.first["kind"],
            g.first["planned"] == "true",
            g.first["place"],
            _merge_actors(g.actors["participant"]),
            g.sentence(),
        )
        for g in _gather(table, ("participant",))
    )


def agreements(source: Source, filters: Filters | None = None) -> tuple[AgreementRecord, ...]:
    """The status of each agreement as each article reports it, oldest first."""
    table = source.select(view_query("agreements", *filter_clauses(source, filters)))
    return _by_date(
        AgreementRecord(
            g.first["fact"],
            g.first["article_id"],
            g.first["date"],
            g.first["name"],
            g.first["status"] or "unknown",
            _merge_actors(g.actors["party"]),
            g.sentence(),
        )
        for g in _gather(table, ("party",))
    )


def statements(source: Source, filters: Filters | None = None) -> tuple[StatementRecord, ...]:
    """Every direct quotation the filters let through, oldest first."""
    table = source.select(view_query("statements", *filter_clauses(source, filters)))
    return _by_date(
        StatementRecord(
            g.first["fact"],
            g.first["article_id"],
            g.first["date"],
            g.first["quote"],
            _merge_actors(g.actors["speaker"]),
            g.sentence(),
        )
        for g in _gather(table, ("speaker",))
    )


# --------------------------------------------------------------------------- articles and facts


@dataclass(frozen=True)
class ArticleRecord:
    """An article's metadata; ``text`` only when one article was asked for."""

    iri: str
    id: str
    title: str = ""
    publisher: str = ""
    published: str = ""
    url: str = ""
    text: str = ""


def articles(source: Source, article_ids: Iterable[str] = ()) -> tuple[ArticleRecord, ...]:
    """The articles in the graph (or only these), newest first, then by identifier."""
    ids = sorted(set(article_ids))
    table = source.select(
        view_query("articles", in_articles(ids)) if ids else view_query("articles")
    )
    found = {
        row["article_id"]: ArticleRecord(
            row["article"],
            row["article_id"],
            row["title"],
            row["publisher"],
            row["published"],
            row["url"],
        )
        for row in sorted(_rows(table), key=lambda r: tuple(r.values()))
    }
    newest = sorted(found.values(), key=lambda a: a.id)
    return tuple(sorted(newest, key=lambda a: a.published, reverse=True))


def article(source: Source, article_id: str) -> ArticleRecord | None:
    """One article with its text, or None when the graph has no article of that id."""
    found = articles(source, [article_id])
    if not found:
        return None
    table = source.select(view_query("article-text", in_articles([article_id])))
    texts = sorted(row["text"] for row in _rows(table))
    a = found[0]
    return ArticleRecord(
        a.iri, a.id, a.title, a.publisher, a.published, a.url, texts[0] if texts else ""
    )


@dataclass(frozen=True)
class FactRecord:
    """A fact and the words of one article it was read from.

    Attributes:
        kind: ``demand``, ``agreement``, ``meeting``, ``statement``, ``post`` or ``mention``.
        label: One line: the demanded act, the name, the quotation, the post, or the words
            that name an actor.
        roles: (role, actor) pairs: ``demander``, ``addressee``, ``participant``,
            ``speaker``, ``party``, ``holder``, or ``actor`` for a mention.
        start, end: Character offsets of the evidence in the article's text.
    """

    iri: str
    kind: str
    article_id: str
    date: str
    label: str
    status: str
    start: int
    end: int
    exact: str
    sentence: str
    roles: tuple[tuple[str, ActorRef], ...] = ()


#: The order in which a fact's roles are listed.
ROLES = ("demander", "speaker", "holder", "addressee", "participant", "party", "actor")


def _role_order(pair: tuple[str, ActorRef]) -> tuple[int, ActorRef]:
    role, ref = pair
    return (ROLES.index(role) if role in ROLES else len(ROLES), ref)


#: The order facts are listed in on a page.
FACT_KINDS = ("demand", "agreement", "meeting", "statement", "post", "mention")


def facts(
    source: Source, *, article_id: str | None = None, actor_iri: str | None = None
) -> tuple[FactRecord, ...]:
    """The facts of one article, or the facts one actor takes part in, with their roles.

    One record per fact and evidence span, in the order of the text (article) or by date
    (actor). Mentions of the actor count as facts on an actor page.
    """
    clauses = []
    if article_id is not None:
        clauses.append(in_articles([article_id]))
    if actor_iri is not None:
        clauses.append(involving([actor_iri], (*_ROLE_PROPERTIES, "mentionOf")))
    fact_rows = list(_rows(source.select(view_query("facts", *clauses))))
    roles: dict[str, set[tuple[str, ActorRef]]] = defaultdict(set)
    for row in _rows(source.select(view_query("roles", *clauses))):
        ref = _actor(row, "actor")
        if ref is not None:
            roles[row["fact"]].add((row["role"], ref))
    found = {
        (r["fact"], r["article_id"], int(r["start"]), int(r["end"])): FactRecord(
            r["fact"],
            r["kind"],
            r["article_id"],
            r["date"],
            r["label"],
            r["status"],
            int(r["start"]),
            int(r["end"]),
            r["exact"],
            r["sentence"],
            tuple(sorted(roles[r["fact"]], key=_role_order)),
        )
        for r in sorted(fact_rows, key=lambda r: tuple(r.values()))
    }
    if article_id is not None:
        order = sorted(found.values(), key=lambda f: (f.start, f.end, f.kind, f.iri))
    else:
        order = sorted(found.values(), key=lambda f: (f.date, f.article_id, f.start, f.iri))
    return tuple(order)
