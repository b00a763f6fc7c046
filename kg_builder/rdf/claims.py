"""What articles say about shared entities, as plain data: the input of the entity rules.

An article graph describes each entity it refers to in its own words: an
``kgb:EntityDescription`` (actors, posts, places), a ``kgb:AgreementReport`` (agreements),
a ``kgb:Demand``. These classes hold them as data, read from triples
(:meth:`EntityData.from_triples`, :func:`demand_claims`) or, in a store, from SPARQL
aggregates; :mod:`kg_builder.rdf.entities` and :mod:`kg_builder.rdf.history` turn them into
canonical descriptions and histories.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from kg_builder.rdf import vocab as V

#: One RDF triple of rdflib terms.
Triple = tuple[URIRef, URIRef, URIRef | Literal]
#: A triple as rdflib gives it (a Graph's triples): what the readers below take.
GraphTriple = tuple[Node, Node, Node]
_TYPE = RDF.type  # bound once: rdflib's RDF namespace looks terms up on every access
#: The classes of the nodes :meth:`EntityData.from_triples` reads.
_READ = frozenset({V.EntityDescription, V.AgreementReport, V.PostHolding, V.Article})
#: The objects of one subject, by property (URIRefs or Literals, as the property says).
Props = dict[Node, list[Any]]


@dataclass(frozen=True, slots=True)
class Description:
    """What one article says about an entity (a ``kgb:EntityDescription`` node)."""

    entity: URIRef
    article: URIRef | None
    cls: URIRef
    name: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    part_of: URIRef | None = None
    post_title: str | None = None
    post_in: URIRef | None = None


@dataclass
class Tally:
    """What all the descriptions of one entity say, counted: the votes' input.

    Each count is a number of descriptions (one per article that describes the entity).
    """

    classes: Counter[URIRef] = field(default_factory=Counter)
    names: Counter[str] = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)
    wikidata: Counter[str] = field(default_factory=Counter)
    part_of: Counter[URIRef] = field(default_factory=Counter)
    post_titles: Counter[str] = field(default_factory=Counter)
    post_in: Counter[URIRef] = field(default_factory=Counter)

    def add(self, d: Description) -> None:
        """Count one description."""
        self.classes[d.cls] += 1
        self.names[d.name] += 1
        self.aliases.update(d.aliases)
        for texts, text in ((self.wikidata, d.wikidata), (self.post_titles, d.post_title)):
            if text is not None:
                texts[text] += 1
        for nodes, node in ((self.part_of, d.part_of), (self.post_in, d.post_in)):
            if node is not None:
                nodes[node] += 1


@dataclass(frozen=True, slots=True)
class AgreementClaim:
    """What one article reports about an agreement (a ``kgb:AgreementReport`` fact)."""

    report: URIRef
    agreement: URIRef
    article: URIRef
    name: str
    kind: str
    status: URIRef
    aliases: tuple[str, ...] = ()
    parties: tuple[URIRef, ...] = ()
    date: Literal | None = None


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """What orders an article in a history: its publication date and its id."""

    article_id: str
    published: str | None = None  # ISO date

    def order(self) -> tuple[str, str]:
        """Dated articles first, oldest first; then by id."""
        return (self.published or "9999-99-99", self.article_id)


@dataclass
class EntityData:
    """The descriptions (tallied), agreement reports and post holdings of some entities."""

    descriptions: dict[URIRef, Tally] = field(default_factory=dict)
    claims: dict[URIRef, list[AgreementClaim]] = field(default_factory=dict)
    holdings: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    articles: dict[URIRef, ArticleInfo] = field(default_factory=dict)
    typed: dict[URIRef, set[URIRef]] = field(default_factory=dict)

    @classmethod
    def from_triples(cls, triples: Iterable[GraphTriple]) -> EntityData:
        """Read descriptions, reports, holdings, article dates and types from triples."""
        triples = tuple(triples)
        data = cls()
        for s, p, o in triples:
            if p == _TYPE:
                data.typed.setdefault(s, set()).add(o)  # type: ignore[arg-type]
        # Only nodes of these classes are read further; the rest (evidence, mentions,
        # facts) are most of an article's triples.
        read = {s for s, types in data.typed.items() if not types.isdisjoint(_READ)}
        by_subject: dict[Any, Props] = defaultdict(lambda: defaultdict(list))
        for s, p, o in triples:
            if s in read:
                by_subject[s][p].append(o)
        for s, props in by_subject.items():
            types = data.typed[s]
            if V.EntityDescription in types:
                d = _description(s, props)
                if d is not None:
                    data.descriptions.setdefault(d.entity, Tally()).add(d)
            elif V.AgreementReport in types:
                c = _claim(s, props)
                if c is not None:
                    data.claims.setdefault(c.agreement, []).append(c)
            elif V.PostHolding in types:
                for holder in props.get(V.holder, ()):
                    data.holdings.setdefault(holder, set()).update(props.get(V.post, ()))
            elif V.Article in types:
                ids = props.get(V.articleId, ())
                dates = props.get(V.published, ())
                data.articles[s] = ArticleInfo(
                    str(ids[0]) if ids else str(s), str(dates[0]) if dates else None
                )
        return data

    def described(self) -> set[URIRef]:
        """Every entity some description or agreement report refers to."""
        return set(self.descriptions) | set(self.claims)


def _first(props: Props, p: URIRef) -> Any:
    values = props.get(p, ())
    return min(values) if values else None


def _description(node: URIRef, props: Props) -> Description | None:
    entity, cls, name = _first(props, V.describes), _first(props, V.describedAs), None
    names = props.get(V.name, ())
    if names:
        name = str(min(names))
    if entity is None or cls is None or name is None:
        return None
    article = _first(props, V.wasDerivedFrom)
    wikidata = _first(props, V.wikidata)
    title = _first(props, V.postTitle)
    return Description(
        entity=entity,
        article=article,
        cls=cls,
        name=name,
        aliases=tuple(sorted(str(a) for a in props.get(V.alias, ()))),
        wikidata=str(wikidata) if wikidata is not None else None,
        part_of=_first(props, V.partOf),
        post_title=str(title) if title is not None else None,
        post_in=_first(props, V.postIn),
    )


def _claim(node: URIRef, props: Props) -> AgreementClaim | None:
    agreement, name = _first(props, V.agreement), _first(props, V.name)
    kind, status = _first(props, V.agreementKind), _first(props, V.agreementStatus)
    if agreement is None or name is None or kind is None or status is None:
        return None
    dates = [d for p in (V.date, V.yearMonth, V.year) for d in props.get(p, ())]
    return AgreementClaim(
        report=node,
        agreement=agreement,
        article=_first(props, V.wasDerivedFrom),
        name=str(name),
        kind=str(kind),
        status=status,
        aliases=tuple(sorted(str(a) for a in props.get(V.alias, ()))),
        parties=tuple(sorted(props.get(V.party, ()))),
        date=dates[0] if dates else None,
    )


@dataclass(frozen=True, slots=True)
class DemandClaim:
    """One demand as one article reports it (a ``kgb:Demand`` fact)."""

    demand: URIRef
    article: URIRef
    demanders: tuple[URIRef, ...]
    addressees: tuple[URIRef, ...]
    content: str
    status: URIRef
    start: int = 0


def demand_claims(
    triples: Iterable[GraphTriple],
) -> tuple[list[DemandClaim], dict[URIRef, ArticleInfo]]:
    """The demands in ``triples`` (with their evidence offsets) and their articles."""
    by_subject: dict[Any, Props] = defaultdict(lambda: defaultdict(list))
    for s, p, o in triples:
        by_subject[s][p].append(o)
    claims: list[DemandClaim] = []
    articles: dict[URIRef, ArticleInfo] = {}
    for s, props in by_subject.items():
        types = props.get(RDF.type, ())
        if V.Demand in types and props.get(V.content) and props.get(V.wasDerivedFrom):
            starts = [
                int(x) for ev in props.get(V.evidence, ()) for x in by_subject[ev].get(V.start, ())
            ]
            claims.append(
                DemandClaim(
                    demand=s,
                    article=min(props[V.wasDerivedFrom]),
                    demanders=tuple(sorted(props.get(V.demander, ()))),
                    addressees=tuple(sorted(props.get(V.addressee, ()))),
                    content=str(min(props[V.content])),
                    status=min(props.get(V.demandStatus, ()) or [V.DEMAND_STATUS["made"]]),
                    start=min(starts, default=0),
                )
            )
        elif V.Article in types:
            ids, dates = props.get(V.articleId, ()), props.get(V.published, ())
            articles[s] = ArticleInfo(
                str(ids[0]) if ids else str(s), str(dates[0]) if dates else None
            )
    return sorted(claims, key=lambda c: c.demand), articles


def shared_only(claim: DemandClaim, is_shared: Callable[[URIRef], bool]) -> DemandClaim:
    """The demand with only its shared demanders and addressees (the ones a history can
    follow from article to article)."""
    return replace(
        claim,
        demanders=tuple(d for d in claim.demanders if is_shared(d)),
        addressees=tuple(a for a in claim.addressees if is_shared(a)),
    )
