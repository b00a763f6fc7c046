"""One canonical description per entity, derived from what every article says about it.

An article graph never states an actor's (or post's, or place's) class and name on the
shared node itself: two articles could disagree, and their union would give one actor two
classes and two names. It states them on an article-scoped :data:`~vocab.EntityDescription`
(``…/article/ID/description/actor/russia``): the class the article gives the entity, the
name and the other names it uses, a Wikidata id, a parent organisation. An agreement is
reported in the same way by a :data:`~vocab.AgreementReport` (name, kind, status, parties,
date, with evidence). The canonical description — one class, one name, aliases, one
Wikidata id — is derived from all of an entity's descriptions by the rules below, and
written once: in the entity graph for a shared entity (``kg_builder.store.entities``), in
the article graph for an entity that exists only in that article (the emitter).

The rules (deterministic, so the result depends only on the set of descriptions, not on
the order in which articles arrived):

* **class**: the class most descriptions give; a tie goes to the class that comes first
  in :data:`CLASS_PRECEDENCE` (a specific class before a general one, classes read from
  gazetteers before those guessed from cue words).
* **name**: the name most descriptions use; a tie goes to the longer name, then to the
  first in code-point order. **aliases**: every other name and alias of any description.
* **Wikidata id**: the id most descriptions give; a tie goes to the lower Q-number. It is
  linked with ``skos:exactMatch`` (see the ontology on why not ``owl:sameAs``).
* **part of** (organisations) and **post in** (posts): the value most descriptions give,
  a tie to the first IRI in code-point order, kept only when both ends are organisations
  by their own canonical class.
* **holds** (persons): every post any article's post holding gives the person.
* **agreements**: name, aliases, kind and date by the same votes (a date tie goes to the
  more precise date); the parties of every report; the status of the latest report that
  gives one (:mod:`kg_builder.rdf.history` builds the steps).

A canonical description does not list the articles it was derived from: which articles
describe an entity is in the descriptions (``?d kgb:describes ?e ; prov:wasDerivedFrom
?article``), and keeping the list on the entity would change it with every new article.
Agreement and demand histories name their articles in their steps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg_builder.rdf import vocab as V
from kg_builder.rdf.claims import (
    AgreementClaim,
    EntityData,
    GraphTriple,
    Tally,
    Triple,
    demand_claims,
    shared_only,
)
from kg_builder.rdf.derived import derived_triples
from kg_builder.rdf.history import agreement_history, tracked_demands
from kg_builder.rdf.iris import IriMinter

#: Fixed order that breaks a tie between classes (first wins).
CLASS_PRECEDENCE: tuple[URIRef, ...] = (
    V.Person,
    V.State,
    V.InternationalOrganisation,
    V.GovernmentBody,
    V.PoliticalParty,
    V.ArmedGroup,
    V.MediaOrganisation,
    V.Company,
    V.NGO,
    V.Union,
    V.Organisation,
    V.CollectiveActor,
    V.Post,
    V.Place,
)
_RANK = {c: i for i, c in enumerate(CLASS_PRECEDENCE)}

#: kgb:Organisation and its subclasses (the classes that can be part of, or have, posts).
ORGANISATION_CLASSES = frozenset(
    {
        V.Organisation,
        V.State,
        V.GovernmentBody,
        V.InternationalOrganisation,
        V.PoliticalParty,
        V.ArmedGroup,
        V.Company,
        V.MediaOrganisation,
        V.NGO,
        V.Union,
    }
)
ACTOR_CLASSES = ORGANISATION_CLASSES | {V.Person, V.CollectiveActor}

T = TypeVar("T")

_DATE_PROPERTY: dict[URIRef | None, URIRef] = {
    XSD.date: V.date,
    XSD.gYear: V.year,
    XSD.gYearMonth: V.yearMonth,
}


# ---------------------------------------------------------------- the votes


def vote(
    values: Iterable[T | None] | Counter[T], tiebreak: Callable[[T], Any] = lambda v: v
) -> T | None:
    """The most frequent value; among equally frequent ones the smallest ``tiebreak(v)``.

    ``values`` are the values themselves, or a Counter of them.

    >>> vote(["NATO", "North Atlantic Treaty Organization", "NATO"])
    'NATO'
    >>> vote(Counter({"NATO": 2, "North Atlantic Treaty Organization": 2}), _longer_first)
    'North Atlantic Treaty Organization'
    """
    counts: dict[T, int] = {}
    for v, n in (values if isinstance(values, Counter) else Counter(values)).items():
        if v is not None and n > 0:
            counts[v] = n
    if not counts:
        return None
    return min(counts.items(), key=lambda kv: (-kv[1], tiebreak(kv[0])))[0]


def _longer_first(name: str) -> tuple[int, str]:
    return (-len(name), name)


def _q_number(qid: str) -> tuple[int, str]:
    digits = qid[1:]
    return (int(digits) if digits.isdigit() else 1 << 62, qid)


def _class_rank(cls: URIRef) -> tuple[int, str]:
    return (_RANK.get(cls, len(_RANK)), str(cls))


def canonical_class(tally: Tally) -> URIRef | None:
    """The class most descriptions give (ties: :data:`CLASS_PRECEDENCE`)."""
    return vote(tally.classes, _class_rank)


# ---------------------------------------------------------------- canonical descriptions


def canonical_triples(
    data: EntityData,
    entities: Iterable[URIRef],
    class_of: Callable[[URIRef], URIRef | None],
    *,
    keep_party: Callable[[URIRef], bool] = lambda _: True,
    keep_post: Callable[[URIRef], bool] = lambda _: True,
) -> list[Triple]:
    """The canonical descriptions of ``entities`` from ``data`` (see the module's rules).

    Args:
        data: Every description and report of the entities (from all their articles).
        entities: The entities to describe; those without descriptions are skipped.
        class_of: The canonical class of an entity a description points to (a parent
            organisation, a post's organisation), or None if it has none.
        keep_party: Whether an agreement party may be linked from here.
        keep_post: Whether a post may be linked (``kgb:holds``) from here.

    Returns:
        Triples in a deterministic order.
    """
    out: list[Triple] = []
    for entity in sorted(set(entities)):
        tally = data.descriptions.get(entity)
        if tally is not None and tally.classes:
            out += _entity(entity, tally, class_of, data.holdings.get(entity, ()), keep_post)
        claims = data.claims.get(entity)
        if claims:
            out += _agreement(entity, claims, keep_party)
            out += agreement_history(entity, claims, data.articles)
    return out


def _entity(
    entity: URIRef,
    tally: Tally,
    class_of: Callable[[URIRef], URIRef | None],
    posts: Iterable[URIRef],
    keep_post: Callable[[URIRef], bool],
) -> list[Triple]:
    cls = canonical_class(tally)
    if cls is None:  # no description gives a class: nothing to say
        return []
    name = vote(tally.names, _longer_first)
    out: list[Triple] = [
        (entity, RDF.type, cls),
        (entity, V.name, Literal(name)),
        (entity, RDFS.label, Literal(name)),
    ]
    if cls in ACTOR_CLASSES:
        names = set(tally.names) | tally.aliases
        out += [(entity, V.alias, Literal(a)) for a in sorted(names - {name})]
        qid = vote(tally.wikidata, _q_number)
        if qid:
            out += [(entity, V.wikidata, Literal(qid)), (entity, V.exactMatch, V.WD[qid])]
        parent = vote(tally.part_of, str)
        if (
            parent is not None
            and cls in ORGANISATION_CLASSES
            and class_of(parent) in ORGANISATION_CLASSES
        ):
            out.append((entity, V.partOf, parent))
        if cls == V.Person:
            out += [(entity, V.holds, p) for p in sorted(posts) if keep_post(p)]
    elif cls == V.Post:
        title = vote(tally.post_titles, _longer_first)
        if title:
            out.append((entity, V.postTitle, Literal(title)))
        org = vote(tally.post_in, str)
        if org is not None and class_of(org) in ORGANISATION_CLASSES:
            out.append((entity, V.postIn, org))
    return out


def _agreement(
    entity: URIRef, claims: list[AgreementClaim], keep_party: Callable[[URIRef], bool]
) -> list[Triple]:
    name = vote((c.name for c in claims), _longer_first)
    out: list[Triple] = [
        (entity, RDF.type, V.Agreement),
        (entity, V.name, Literal(name)),
        (entity, RDFS.label, Literal(name)),
        (entity, V.agreementKind, Literal(vote((c.kind for c in claims), str))),
    ]
    names = {c.name for c in claims} | {a for c in claims for a in c.aliases}
    out += [(entity, V.alias, Literal(a)) for a in sorted(names - {name})]
    parties = {p for c in claims for p in c.parties if keep_party(p)}
    out += [(entity, V.party, p) for p in sorted(parties)]
    date = vote((c.date for c in claims), lambda d: (-len(str(d)), str(d)))
    if date is not None:
        out.append((entity, _DATE_PROPERTY.get(date.datatype, V.date), date))
    out += [(entity, V.report, c.report) for c in sorted(claims, key=lambda c: c.report)]
    return out


def local_entities(triples: Iterable[GraphTriple]) -> list[Triple]:
    """The canonical descriptions one article graph implies for the entities it refers to
    without describing them (the shared ones): what the entity graph would hold if this
    were the only article. Validating an article graph on its own uses them, as an
    inference step: the graph's claims must conform once its entities are described.
    """
    data = EntityData.from_triples(triples)
    missing = {e for e in data.described() if e not in data.typed}
    if not missing:
        return []
    classes = {e: canonical_class(ds) for e, ds in data.descriptions.items()}

    def class_of(node: URIRef) -> URIRef | None:
        if node in classes:
            return classes[node]
        types = data.typed.get(node, ())
        return min(types, key=_class_rank) if types else None

    return canonical_triples(data, missing, class_of)


def entity_graph(triples: Iterable[GraphTriple], minter: IriMinter) -> list[Triple]:
    """The entity graph of some article graphs, computed in memory.

    What a store holding exactly these article graphs keeps in its entity graph
    (:mod:`kg_builder.store.entities` computes the same incrementally, from SPARQL
    aggregates): the canonical description of every shared entity they describe, and
    the tracked demands of every demand whose actors are all shared.

    Args:
        triples: The union of some article graphs.
        minter: The minter of their IRIs (it tells shared nodes from article-scoped ones).
    """
    triples = list(triples)
    data = EntityData.from_triples(triples)
    shared = {e for e in data.described() if not minter.is_article_scoped(e)}
    classes = {e: canonical_class(t) for e, t in data.descriptions.items() if t.classes}
    classes.update({e: V.Agreement for e in data.claims})

    def is_shared(node: URIRef) -> bool:
        return not minter.is_article_scoped(node)

    out = canonical_triples(data, shared, classes.get, keep_party=is_shared, keep_post=is_shared)
    claims, articles = demand_claims(triples)
    followed = [shared_only(c, is_shared) for c in claims]
    out += tracked_demands(followed, articles, minter)
    return out + derived_triples(out)
