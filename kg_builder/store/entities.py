"""The entity graph: one canonical description per shared entity, kept up to date.

A store holds one named graph per article (what that article says), the ontology graph
(:mod:`kg_builder.store.ontology`) and the entity graph (``…/id/graph/entities``): the
canonical description of every shared actor, post, place and named agreement, derived
from all their descriptions by :mod:`kg_builder.rdf.entities`, and the histories of
demands and agreements (:mod:`kg_builder.rdf.history`).

:class:`ArticleWriter` is how article graphs are written: for each load it notes the
entities and demands the stored versions of those articles describe, replaces the graphs,
and notes those of the new versions; :meth:`ArticleWriter.finish` then recomputes all of
them with :func:`update_entities` — after the last load, or whenever the caller wants
the entity graph current (an ingest run calls it once its input is read, and at its
end) — from the descriptions in *all* stored articles, so the entity graph depends
only on which articles are stored, never on the order they came in, nor on when it was
updated; and, when an entity's class changed, it recomputes the entities whose
descriptions point to it. Only the descriptions that changed are validated against the
shapes and written. :func:`write_articles` is one load followed by the update.

A file in the store folder (:data:`PENDING_FILE`) exists from before the first article
graph is replaced until the entity graph is up to date; if the process dies in between,
the next writer rebuilds the entity graph from every stored article
(:func:`rebuild_entities`).

Why one module of over 500 lines: the entity graph's update is one transaction over the
store: reading the descriptions, voting and writing the result belong together.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from kg_builder.errors import StoreError
from kg_builder.rdf import vocab as V
from kg_builder.rdf.claims import (
    AgreementClaim,
    ArticleInfo,
    DemandClaim,
    EntityData,
    Tally,
    Triple,
)
from kg_builder.rdf.derived import derived_triples
from kg_builder.rdf.entities import canonical_class, canonical_triples
from kg_builder.rdf.history import threads, tracked_demands
from kg_builder.rdf.iris import IriMinter
from kg_builder.rdf.validate import Report, Violation, validate_triples
from kg_builder.store.embedded import GraphWrite, interrupts_held, replace_graphs, replace_nquads
from kg_builder.store.ontology import ensure_ontology, has_ontology

#: Inside a store folder while the entity graph may lag behind the article graphs.
PENDING_FILE = "kg-builder-pending-entities.txt"

_PREFIXES = f"""PREFIX kgb: <{V.KGB}>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""

log = logging.getLogger(__name__)

#: Bounds the search for the demands linked to a changed one (rounds of new demanders).
MAX_ROUNDS = 100


@dataclass
class Touched:
    """What an update must recompute: shared entities, and demands (their tracked
    demands, and those of every demand linked to them)."""

    entities: set[URIRef] = field(default_factory=set)
    demands: set[URIRef] = field(default_factory=set)

    def __ior__(self, other: Touched) -> Touched:
        self.entities |= other.entities
        self.demands |= other.demands
        return self


@dataclass(frozen=True, slots=True)
class EntityUpdate:
    """What one update of the entity graph did."""

    entities: int  # canonical descriptions recomputed (actors, posts, places, agreements)
    demands: int  # tracked demands recomputed
    added: int  # triples added to the entity graph
    removed: int  # triples removed from it


def write_articles(
    store: ox.Store,
    writes: Iterable[GraphWrite],
    *,
    journal: Path | None = None,
    base: str = V.DEFAULT_BASE,
    checked: bool = False,
    engine: str = "pyshacl",
) -> int:
    """Replace article graphs and bring the entity and ontology graphs up to date.

    One load of an :class:`ArticleWriter`: the graphs are written, then the entity graph
    is updated at once.

    Args:
        store: The store, open for writing.
        writes: The article graphs (N-Triples) to (re)place.
        journal: The bulk-load journal of :func:`~kg_builder.store.embedded.replace_graphs`
            (a file in the store folder); :data:`PENDING_FILE` is kept beside it. Without
            it the graphs are written in one transaction and nothing is journalled.
        base: The base IRI the article graphs were minted under.
        checked: The caller has parsed each graph's N-Triples already (see
            :func:`~kg_builder.store.embedded.replace_graphs`).
        engine: The SHACL engine that checks the changed entity descriptions (see
            :func:`~kg_builder.rdf.validate.validate_triples`).

    Returns:
        The number of article graphs written.

    Raises:
        StoreError: the store refused a write, or the new entity descriptions do not
            conform to the shapes (a bug: the article graphs are stored, and the next
            write rebuilds the entity graph).
    """
    writer = ArticleWriter(store, journal=journal, base=base, engine=engine)
    written = writer.write(writes, checked=checked)
    writer.finish()
    return written


class ArticleWriter:
    """Writes article graphs load after load; brings the entity graph up to date once.

    :meth:`write` replaces a load of article graphs and notes what they touch (the
    entities and demands of the stored versions they replace and of the new ones);
    :meth:`finish` recomputes all of that at once. The entity graph depends only on which
    articles are stored, so one update at the end gives the entity graph that an update
    after every load gives — at a cost that grows with the articles written, not with
    loads × store size (a shared entity such as a large country is recomputed once, not
    once per load). Between the first write and the end of :meth:`finish`,
    :data:`PENDING_FILE` marks the entity graph as lagging (with a journal): if the
    process dies, the next writer rebuilds it (:func:`rebuild_entities`). The ontology
    graph is brought up to date when the writer is made.

    Example:
        >>> writer = ArticleWriter(store, journal=path / "journal")  # doctest: +SKIP
        >>> for load in loads:  # doctest: +SKIP
        ...     writer.write(load)
        >>> writer.finish().entities  # doctest: +SKIP
        1532

    Args:
        store: The store, open for writing.
        journal: See :func:`write_articles`.
        base: The base IRI the article graphs were minted under.
        engine: The SHACL engine that checks the changed entity descriptions.
    """

    def __init__(
        self,
        store: ox.Store,
        *,
        journal: Path | None = None,
        base: str = V.DEFAULT_BASE,
        engine: str = "pyshacl",
    ) -> None:
        self.store = store
        self.journal = journal
        self.base = base
        self.engine = engine
        self.minter = IriMinter(base)
        self.pending = journal.with_name(PENDING_FILE) if journal is not None else None
        self.touched = Touched()
        # A marker left by a writer that died: its entity update never ran.
        self.rebuild = self.pending is not None and self.pending.exists()
        if self.rebuild:
            log.warning("the last entity update was cut off: the entity graph will be rebuilt")
        # A store another kg-builder version wrote: its entity graph may lack what this
        # version derives (such as the lower-cased name keys that ``actor=`` matches).
        older = has_ontology(store)
        if ensure_ontology(store) and older and not self.rebuild:
            log.warning(
                "the store was written by another kg-builder version: "
                "its entity graph will be rebuilt"
            )
            self.rebuild = True
            self._mark()

    def write(self, writes: Iterable[GraphWrite], *, checked: bool = False) -> int:
        """Replace a load of article graphs (all of it or nothing, Ctrl-C held back); the
        entity graph lags until :meth:`finish`.

        Args:
            writes: The article graphs (N-Triples) to (re)place.
            checked: See :func:`write_articles`.

        Returns:
            The number of article graphs written.

        Raises:
            StoreError: the store refused the write.
        """
        writes = list(writes)
        if not writes:
            return 0
        articles = [w.graph for w in writes]
        touched = self._replaced(articles)
        with interrupts_held():
            self._mark()
            written = replace_graphs(self.store, writes, journal=self.journal, checked=checked)
            touched |= touched_by(self.store, articles, self.minter)
        self.touched |= touched
        return written

    def write_nquads(self, nquads: bytes | IO[bytes], graphs: Sequence[str]) -> int:
        """Bulk-load checked N-Quads whose named graphs are ``graphs`` (a shard: see
        :func:`~kg_builder.store.embedded.replace_nquads`, which needs a journal); like
        :meth:`write`, the entity graph lags until :meth:`finish`.

        Returns:
            The number of article graphs written.

        Raises:
            StoreError: the writer has no journal, the data does not parse, or the store
                refused the write.
        """
        if self.journal is None:
            raise StoreError("a bulk load of N-Quads needs a journal")
        touched = self._replaced(graphs)
        with interrupts_held():
            self._mark()
            replace_nquads(self.store, nquads, graphs, journal=self.journal)
            touched |= touched_by(self.store, graphs, self.minter)
        self.touched |= touched
        return len(graphs)

    def _replaced(self, graphs: Sequence[str]) -> Touched:
        """What the stored versions of ``graphs`` describe (nothing for graphs not stored
        yet: an ingest into a new store asks the store no query here)."""
        stored = [g for g in graphs if self.store.contains_named_graph(ox.NamedNode(g))]
        return touched_by(self.store, stored, self.minter)

    def _mark(self) -> None:
        """Leave :data:`PENDING_FILE` (the entity graph lags) until :meth:`finish`."""
        if self.pending is not None and not self.pending.exists():
            self.pending.write_text("the entity graph lags behind the articles\n")

    def finish(self) -> EntityUpdate:
        """Bring the entity graph up to date with every article written (Ctrl-C held back
        until it is), and remove :data:`PENDING_FILE`.

        Returns:
            What the update did.

        Raises:
            StoreError: the new entity descriptions do not conform to the shapes (a bug;
                :data:`PENDING_FILE` stays, so the next writer rebuilds the entity graph).
        """
        with interrupts_held():
            if self.rebuild:
                update = rebuild_entities(self.store, self.base, engine=self.engine)
            else:
                update = _update_in_chunks(self.store, self.touched, self.minter, self.engine)
            if self.pending is not None:
                self.pending.unlink(missing_ok=True)
        self.touched, self.rebuild = Touched(), False
        return update


def rebuild_entities(
    store: ox.Store, base: str = V.DEFAULT_BASE, *, engine: str = "pyshacl"
) -> EntityUpdate:
    """Recompute the whole entity graph from every stored article graph (``engine``: see
    :func:`write_articles`)."""
    minter = IriMinter(base)
    articles = [
        r["a"].value for r in _select(store, "SELECT ?a WHERE { GRAPH ?a { ?a a kgb:Article } }")
    ]
    store.update(f"DROP SILENT GRAPH <{minter.entity_graph()}>")
    return _update_in_chunks(store, touched_by(store, articles, minter), minter, engine)


#: Entities (then demands) recomputed per step of a large update, to bound its memory.
#: Rebuilding the entity graph of 10,000 corpus articles (8,953 entities, 3,329 demands)
#: peaked at 486 MiB in steps of 1,000 and 1,000, at 542 MiB in steps of 2,000 and
#: 20,000 (one step of demands), in about the same time.
ENTITY_CHUNK = 1000
DEMAND_CHUNK = 1000


def _update_in_chunks(
    store: ox.Store, touched: Touched, minter: IriMinter, engine: str
) -> EntityUpdate:
    """:func:`update_entities` over ``touched`` in steps of at most :data:`ENTITY_CHUNK`
    entities, then :data:`DEMAND_CHUNK` demands.

    The same result as one update: every step knows the final classes of all the
    entities of the update (``ahead``, counted first, from the descriptions' classes
    only), so a description that links to an entity of a later step (a person's post, a
    party of an agreement) is computed and checked as in one update; and an entity whose
    class a step changes has its other dependents recomputed by that step. The entities
    go first, so the histories' links to actors are checked against their final classes.
    The demands are taken demander by demander (:func:`_by_demander`), so that a step
    reads the demands its own demanders make, not those of most of the store.
    """
    entities = sorted(touched.entities)
    demands = _by_demander(store, touched.demands, minter)
    steps = [
        Touched(set(entities[i : i + ENTITY_CHUNK])) for i in range(0, len(entities), ENTITY_CHUNK)
    ]
    ahead: dict[URIRef, URIRef] = {}
    if len(steps) > 1:
        for step in steps:
            ahead.update(_final_classes(store, step.entities))
    steps += [
        Touched(demands=set(demands[i : i + DEMAND_CHUNK]))
        for i in range(0, len(demands), DEMAND_CHUNK)
    ]
    total = EntityUpdate(0, 0, 0, 0)
    for step in steps:
        u = update_entities(store, step, minter, engine=engine, ahead=ahead)
        total = EntityUpdate(
            total.entities + u.entities,
            total.demands + u.demands,
            total.added + u.added,
            total.removed + u.removed,
        )
    return total


def _by_demander(store: ox.Store, demands: set[URIRef], minter: IriMinter) -> list[URIRef]:
    """``demands`` ordered by their first shared demander, then IRI.

    A step of demands reads every demand its demanders make (a demand's history is the
    thread of linked demands, and only demands with a demander in common are linked,
    :func:`_demand_triples`); in IRI order (article by article) every step of a large
    update had nearly every demander of the store, and so read nearly every demand in
    the store: an update of N articles read N / :data:`DEMAND_CHUNK` times the store.
    Demander by demander, a step reads about its own demands. (Any order gives the same
    histories: a thread two steps reach is computed whole by both.)
    """
    if len(demands) <= DEMAND_CHUNK:
        return sorted(demands)
    first: dict[URIRef, str] = {}
    for row in _rows(
        store,
        demands,
        lambda values: (
            f"""SELECT ?x ?d WHERE {{
      VALUES ?x {{ {values} }} GRAPH ?g {{ ?x kgb:demander ?d }} }}"""
        ),
    ):
        x, d = URIRef(row["x"].value), URIRef(row["d"].value)
        if _shared(d, minter) and (x not in first or str(d) < first[x]):
            first[x] = str(d)
    return sorted(demands, key=lambda x: (first.get(x, ""), str(x)))


def touched_by(store: ox.Store, articles: Sequence[str], minter: IriMinter) -> Touched:
    """The shared entities and demand groups the stored graphs of ``articles`` describe."""
    if not articles:
        return Touched()
    rows = _rows(
        store,
        articles,
        lambda values: (
            f"""SELECT DISTINCT ?e WHERE {{
      VALUES ?g {{ {values} }}
      GRAPH ?g {{ {{ ?d kgb:describes ?e }} UNION {{ ?r kgb:agreement ?e }} }} }}"""
        ),
    )
    entities = {e for e in _column(rows) if _shared(e, minter)}
    rows = _rows(
        store,
        articles,
        lambda values: (
            f"""SELECT ?e WHERE {{
      VALUES ?g {{ {values} }} GRAPH ?g {{ ?e a kgb:Demand }} }}"""
        ),
    )
    return Touched(entities, _column(rows))


def update_entities(
    store: ox.Store,
    touched: Touched,
    minter: IriMinter,
    *,
    engine: str = "pyshacl",
    ahead: Mapping[URIRef, URIRef] | None = None,
) -> EntityUpdate:
    """Recompute the canonical descriptions and histories ``touched`` names.

    The descriptions that change are validated with ``engine`` (see
    :func:`write_articles`). Each entity is recomputed from every stored description of
    it; an entity no article describes any more loses its description. Entities whose
    descriptions point to one whose class changed are recomputed too. ``ahead`` gives
    the classes of entities a later step of the same update recomputes (see
    :func:`_update_in_chunks`): they count instead of those in the entity graph.
    """
    ahead = ahead or {}
    graph = minter.entity_graph()
    entities = set(touched.entities)
    data = _entity_data(store, entities)
    classes = _canonical_classes(data)
    old_classes = _classes_in(store, graph, entities)
    changed = {e for e in entities if classes.get(e) != old_classes.get(e)}
    dependents = _dependents(store, changed, minter) - entities
    if dependents:
        more = _entity_data(store, dependents)
        data.descriptions.update(more.descriptions)
        data.holdings.update(more.holdings)
        classes.update(_canonical_classes(more))
        entities |= dependents
    targets = {
        t
        for tally in data.descriptions.values()
        for t in (*tally.part_of, *tally.post_in)
        if t not in classes
    }
    known = {**_classes_in(store, graph, targets), **_among(ahead, targets), **classes}

    def shared(node: URIRef) -> bool:
        return _shared(node, minter)

    new = canonical_triples(data, entities, known.get, keep_party=shared, keep_post=shared)
    demands, tracked = _demand_triples(store, graph, touched.demands, minter)
    new += demands
    new += derived_triples(new)
    replaced = entities | tracked
    added, removed = _replace(store, graph, replaced, new, engine, ahead)
    n_demands = sum(1 for t in demands if t[1] == RDF.type and t[2] == V.TrackedDemand)
    return EntityUpdate(len(entities), n_demands, added, removed)


# ---------------------------------------------------------------- reading


def _shared(node: URIRef, minter: IriMinter) -> bool:
    return not minter.is_article_scoped(node)


def _values(iris: Iterable[object]) -> str:
    return " ".join(f"<{i}>" for i in sorted(set(map(str, iris))))


def _column(result: Iterable[ox.QuerySolution], name: str = "e") -> set[URIRef]:
    return {URIRef(row[name].value) for row in result}


def _rdflib(term: ox.NamedNode | ox.Literal) -> URIRef | Literal:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    return _literal(term)


def _literal(term: ox.Literal) -> Literal:
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == str(XSD.string) else datatype)


def _ox(term: Node) -> ox.NamedNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal) and not term.language:
        if term.datatype is None:
            return ox.Literal(str(term))
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    raise TypeError(f"not a term of the entity graph: {term!r}")


def _select(store: ox.Store, query: str) -> ox.QuerySolutions:
    result = store.query(_PREFIXES + query)
    assert isinstance(result, ox.QuerySolutions)  # every query here is a SELECT
    return result


#: IRIs per ``VALUES`` block. Oxigraph joins a block of up to about 1,000 rows by looking
#: each row up; a longer one (1,024 rows on) it joins by reading, for each row, every quad
#: the pattern matches in the whole store (``VALUES ?g`` of 1,000 article graphs with
#: ``GRAPH ?g { ?e a kgb:Demand }``: 0.06 s after 10,000 articles, 1,024 graphs: 0.86 s),
#: which made an update of every article quadratic in the store. Longer lists are asked
#: in blocks of this many.
VALUES_BATCH = 500


def _rows(
    store: ox.Store, iris: Iterable[object], query: Callable[[str], str]
) -> Iterator[ox.QuerySolution]:
    """The rows of ``query(values)`` for ``iris`` as ``VALUES`` blocks of at most
    :data:`VALUES_BATCH` IRIs (a query whose rows each depend on one IRI only)."""
    items = sorted(set(map(str, iris)))
    for i in range(0, len(items), VALUES_BATCH):
        yield from _select(store, query(_values(items[i : i + VALUES_BATCH])))


def _classes_in(store: ox.Store, graph: str, nodes: Iterable[URIRef]) -> dict[URIRef, URIRef]:
    nodes = list(nodes)
    if not nodes:
        return {}
    found: dict[URIRef, URIRef] = {}
    for row in _rows(
        store,
        nodes,
        lambda values: (
            f"""SELECT ?e ?c WHERE {{
      VALUES ?e {{ {values} }} GRAPH <{graph}> {{ ?e a ?c }} }}"""
        ),
    ):
        e, c = URIRef(row["e"].value), URIRef(row["c"].value)
        found[e] = min(found.get(e, c), c)
    return found


def _among(classes: Mapping[URIRef, URIRef], nodes: Iterable[URIRef]) -> dict[URIRef, URIRef]:
    return {n: classes[n] for n in nodes if n in classes}


def _final_classes(store: ox.Store, entities: set[URIRef]) -> dict[URIRef, URIRef]:
    """The classes :func:`update_entities` gives ``entities`` (what
    :func:`_canonical_classes` makes of :func:`_entity_data`), from the classes the
    descriptions give and the agreement reports only."""
    if not entities:
        return {}
    data = EntityData()
    rows = _rows(
        store,
        entities,
        lambda values: (
            f"""SELECT ?e ?c (COUNT(?d) AS ?n) WHERE {{
      {{ SELECT ?e ?d ?g WHERE {{ VALUES ?e {{ {values} }} GRAPH ?g {{ ?d kgb:describes ?e }} }} }}
      GRAPH ?g {{ ?d kgb:describedAs ?c }} }} GROUP BY ?e ?c"""
        ),
    )
    for row in rows:
        tally = data.descriptions.setdefault(URIRef(row["e"].value), Tally())
        tally.classes[URIRef(row["c"].value)] += int(row["n"].value)
    classes = _canonical_classes(data)
    rows = _rows(
        store,
        entities,
        lambda values: (
            f"""SELECT DISTINCT ?e WHERE {{
      VALUES ?e {{ {values} }}
      GRAPH ?a {{ ?r kgb:agreement ?e ; kgb:name ?name ; kgb:agreementKind ?kind ;
                  kgb:agreementStatus ?status }} }}"""
        ),
    )
    classes.update({e: V.Agreement for e in _column(rows)})
    return classes


def _canonical_classes(data: EntityData) -> dict[URIRef, URIRef]:
    classes: dict[URIRef, URIRef] = {}
    for e, tally in data.descriptions.items():
        cls = canonical_class(tally)
        if cls is not None:  # None only for an entity no description gives a class
            classes[e] = cls
    classes.update({e: V.Agreement for e in data.claims})
    return classes


def _dependents(store: ox.Store, changed: set[URIRef], minter: IriMinter) -> set[URIRef]:
    """Entities some description links to a changed entity (parent organisation, a
    post's organisation): whether they may link to it depends on its class."""
    if not changed:
        return set()
    rows = _rows(
        store,
        changed,
        lambda values: (
            f"""SELECT DISTINCT ?e WHERE {{
      VALUES ?t {{ {values} }}
      GRAPH ?g {{ ?d kgb:describes ?e . {{ ?d kgb:partOf ?t }} UNION {{ ?d kgb:postIn ?t }} }} }}"""
        ),
    )
    return {e for e in _column(rows) if _shared(e, minter)}


#: The tally field each description property feeds (the aliases are a set, not counted).
_COUNTED = {
    str(V.describedAs): "classes",
    str(V.name): "names",
    str(V.wikidata): "wikidata",
    str(V.partOf): "part_of",
    str(V.postTitle): "post_titles",
    str(V.postIn): "post_in",
    str(V.alias): "aliases",
}


def _entity_data(store: ox.Store, entities: set[URIRef]) -> EntityData:
    """The tallied descriptions, the reports and the post holdings of ``entities``.

    The votes need counts, not descriptions: the store counts them (one SPARQL
    aggregate), which keeps an update cheap for an entity thousands of articles describe.
    """
    data = EntityData()
    if not entities:
        return data
    # Written so that Oxigraph finds the descriptions first (a VALUES ?p, or the filter
    # inside the GRAPH pattern, made it 6-10 times slower on 200 entities).
    wanted = ", ".join(f"<{p}>" for p in sorted(_COUNTED))
    rows = _rows(
        store,
        entities,
        lambda values: (
            f"""SELECT ?e ?p ?v (COUNT(?d) AS ?n) WHERE {{
      {{ SELECT ?e ?d ?g WHERE {{ VALUES ?e {{ {values} }} GRAPH ?g {{ ?d kgb:describes ?e }} }} }}
      GRAPH ?g {{ ?d ?p ?v }} FILTER(?p IN ({wanted})) }}
      GROUP BY ?e ?p ?v"""
        ),
    )
    for row in rows:
        tally = data.descriptions.setdefault(URIRef(row["e"].value), Tally())
        field_ = getattr(tally, _COUNTED[row["p"].value])
        value = _rdflib(row["v"])
        if isinstance(field_, set):
            field_.add(str(value))
        else:
            field_[value if isinstance(value, URIRef) else str(value)] += int(row["n"].value)
    rows = _rows(
        store,
        entities,
        lambda values: (
            f"""SELECT DISTINCT ?e ?post WHERE {{
      VALUES ?e {{ {values} }} GRAPH ?g {{ ?h kgb:holder ?e ; kgb:post ?post }} }}"""
        ),
    )
    for row in rows:
        data.holdings.setdefault(URIRef(row["e"].value), set()).add(URIRef(row["post"].value))
    _agreement_claims(store, entities, data)
    return data


def _agreement_claims(store: ox.Store, entities: set[URIRef], data: EntityData) -> None:
    rows = list(
        _rows(
            store,
            entities,
            lambda values: (
                f"""SELECT ?e ?r ?a ?name ?kind ?status WHERE {{
      VALUES ?e {{ {values} }}
      GRAPH ?a {{ ?r kgb:agreement ?e ; kgb:name ?name ; kgb:agreementKind ?kind ;
                  kgb:agreementStatus ?status }} }}"""
            ),
        )
    )
    if not rows:
        return
    reports = {r["r"].value for r in rows}
    # The dates are read apart, and the wanted properties filtered inside the GRAPH
    # pattern: as an OPTIONAL path of the query above, or with a VALUES ?p, Oxigraph read
    # every such triple in the store for each report, which made an update quadratic in
    # the store (after 10,000 articles, 0.1 s against 22 s for 140 agreements).
    dates: dict[tuple[str, str], list[ox.Literal | None]] = {}
    for row in _rows(
        store,
        reports,
        lambda values: (
            f"""SELECT ?r ?a ?date WHERE {{
      VALUES ?r {{ {values} }}
      GRAPH ?a {{ ?r ?p ?date FILTER(?p IN (kgb:date, kgb:yearMonth, kgb:year)) }} }}"""
        ),
    ):
        dates.setdefault((row["r"].value, row["a"].value), []).append(row["date"])
    more: dict[str, dict[str, list[ox.NamedNode | ox.Literal]]] = {}
    for row in _rows(
        store,
        reports,
        lambda values: (
            f"""SELECT ?r ?p ?v WHERE {{
      VALUES ?r {{ {values} }} GRAPH ?g {{ ?r ?p ?v FILTER(?p IN (kgb:alias, kgb:party)) }} }}"""
        ),
    ):
        more.setdefault(row["r"].value, {}).setdefault(row["p"].value, []).append(row["v"])
    for row in rows:
        r, a = row["r"].value, row["a"].value
        extra = more.get(r, {})
        for date in dates.get((r, a)) or [None]:  # as the OPTIONAL did: a row per date
            claim = AgreementClaim(
                report=URIRef(r),
                agreement=URIRef(row["e"].value),
                article=URIRef(a),
                name=row["name"].value,
                kind=row["kind"].value,
                status=URIRef(row["status"].value),
                aliases=tuple(sorted(v.value for v in extra.get(str(V.alias), ()))),
                parties=tuple(sorted(URIRef(v.value) for v in extra.get(str(V.party), ()))),
                date=_literal(date) if date is not None else None,
            )
            data.claims.setdefault(claim.agreement, []).append(claim)
    data.articles.update(_articles(store, {c.article for cs in data.claims.values() for c in cs}))


def _articles(store: ox.Store, articles: set[URIRef]) -> dict[URIRef, ArticleInfo]:
    if not articles:
        return {}
    # The dates are read apart: as an OPTIONAL, Oxigraph read every publication date in
    # the store for each block of articles.
    days = {
        r["a"].value: r["day"].value
        for r in _rows(
            store,
            articles,
            lambda values: (
                f"""SELECT ?a ?day WHERE {{
          VALUES ?a {{ {values} }} GRAPH ?a {{ ?a kgb:published ?day }} }}"""
            ),
        )
    }
    rows = _rows(
        store,
        articles,
        lambda values: (
            f"""SELECT ?a ?id WHERE {{
      VALUES ?a {{ {values} }} GRAPH ?a {{ ?a kgb:articleId ?id }} }}"""
        ),
    )
    return {URIRef(r["a"].value): ArticleInfo(r["id"].value, days.get(r["a"].value)) for r in rows}


# ---------------------------------------------------------------- tracked demands


def _tracked_reporting(
    store: ox.Store, graph: str, demands: set[URIRef]
) -> dict[URIRef, set[URIRef]]:
    """The tracked demands that report any of ``demands``, with all their reports."""
    if not demands:
        return {}
    found: dict[URIRef, set[URIRef]] = {}
    for row in _rows(
        store,
        demands,
        lambda values: (
            f"""SELECT ?t ?r WHERE {{
      {{ SELECT DISTINCT ?t WHERE {{ VALUES ?d {{ {values} }}
          GRAPH <{graph}> {{ ?t kgb:report ?d }} }} }}
      GRAPH <{graph}> {{ ?t kgb:report ?r }} }}"""
        ),
    ):
        found.setdefault(URIRef(row["t"].value), set()).add(URIRef(row["r"].value))
    return found


def _demand_claims(store: ox.Store, demands: set[URIRef], minter: IriMinter) -> list[DemandClaim]:
    """The stored demands among ``demands``, with their shared actors only."""
    if not demands:
        return []
    actors: dict[URIRef, tuple[set[URIRef], set[URIRef]]] = {}
    for row in _rows(
        store,
        demands,
        lambda values: (
            f"""SELECT ?x ?p ?v WHERE {{
      VALUES ?x {{ {values} }}
      GRAPH ?g {{ ?x ?p ?v FILTER(?p IN (kgb:demander, kgb:addressee)) }} }}"""
        ),
    ):
        value = URIRef(row["v"].value)
        if _shared(value, minter):
            pair = actors.setdefault(URIRef(row["x"].value), (set(), set()))
            pair[0 if row["p"].value == str(V.demander) else 1].add(value)
    # The status is read apart: as an OPTIONAL of the query below, Oxigraph read every
    # demand status in the store for each block of demands (quadratic in the store).
    statuses: dict[tuple[str, str], list[str]] = {}
    for r in _rows(
        store,
        demands,
        lambda values: (
            f"""SELECT ?x ?a ?status WHERE {{
      VALUES ?x {{ {values} }} GRAPH ?a {{ ?x kgb:demandStatus ?status }} }}"""
        ),
    ):
        statuses.setdefault((r["x"].value, r["a"].value), []).append(r["status"].value)
    claims = []
    for r in _rows(
        store,
        demands,
        lambda values: (
            f"""SELECT ?x ?a ?content
      (MIN(?start) AS ?at) WHERE {{ VALUES ?x {{ {values} }}
      GRAPH ?a {{ ?x a kgb:Demand ; kgb:content ?content ; kgb:evidence/kgb:start ?start }} }}
      GROUP BY ?x ?a ?content"""
        ),
    ):
        x = URIRef(r["x"].value)
        demanders, addressees = actors.get(x, (set(), set()))
        made = str(V.DEMAND_STATUS["made"])
        for status in statuses.get((r["x"].value, r["a"].value)) or [made]:  # a row per status
            claims.append(
                DemandClaim(
                    demand=x,
                    article=URIRef(r["a"].value),
                    demanders=tuple(sorted(demanders)),
                    addressees=tuple(sorted(addressees)),
                    content=r["content"].value,
                    status=URIRef(status),
                    start=int(r["at"].value),
                )
            )
    return claims


def _demands_of(store: ox.Store, demanders: set[URIRef]) -> set[URIRef]:
    """Every stored demand one of ``demanders`` makes."""
    if not demanders:
        return set()
    rows = _rows(
        store,
        demanders,
        lambda values: (
            f"""SELECT DISTINCT ?e WHERE {{
      VALUES ?d {{ {values} }} GRAPH ?g {{ ?e kgb:demander ?d ; a kgb:Demand }} }}"""
        ),
    )
    return _column(rows)


def _demand_triples(
    store: ox.Store, graph: str, touched: set[URIRef], minter: IriMinter
) -> tuple[list[Triple], set[URIRef]]:
    """The tracked demands of every demand linked, directly or not, to a touched one.

    Returns:
        Their triples, and the tracked demands in the entity graph they replace.
    """
    old = _tracked_reporting(store, graph, touched)
    seeds = set(touched).union(*old.values())  # a removed demand may split its thread
    claims = {c.demand: c for c in _demand_claims(store, seeds, minter)}
    expanded: set[URIRef] = set()
    for _ in range(MAX_ROUNDS):
        closure = _closure(claims, seeds)
        demanders = {d for x in closure for d in claims[x].demanders} - expanded
        if not demanders:
            break
        expanded |= demanders
        more = _demands_of(store, demanders) - claims.keys()
        claims.update((c.demand, c) for c in _demand_claims(store, more, minter))
    else:  # pragma: no cover - a thread over MAX_ROUNDS rounds of new demanders
        log.warning("demand history: stopped following linked demands after %d rounds", MAX_ROUNDS)
        closure = _closure(claims, seeds)
    chosen = [claims[x] for x in sorted(closure)]
    replaced = set(old) | set(_tracked_reporting(store, graph, set(closure)))
    articles = _articles(store, {c.article for c in chosen})
    return tracked_demands(chosen, articles, minter), replaced


def _closure(claims: dict[URIRef, DemandClaim], seeds: set[URIRef]) -> set[URIRef]:
    """The demands in the same thread as a seed, among ``claims``."""
    found: set[URIRef] = set()
    for thread in threads(claims.values()):
        members = {c.demand for c in thread}
        if members & seeds:
            found |= members
    return found


# ---------------------------------------------------------------- writing


def _subjects(store: ox.Store, graph: str, nodes: set[URIRef]) -> set[URIRef]:
    """``nodes`` and their history steps in the entity graph."""
    if not nodes:
        return set()
    rows = _rows(
        store,
        nodes,
        lambda values: (
            f"""SELECT ?e WHERE {{
      VALUES ?h {{ {values} }} GRAPH <{graph}> {{ ?h kgb:step ?e }} }}"""
        ),
    )
    return set(nodes) | _column(rows)


def _replace(
    store: ox.Store,
    graph: str,
    replaced: set[URIRef],
    new: list[Triple],
    engine: str = "pyshacl",
    ahead: Mapping[URIRef, URIRef] | None = None,
) -> tuple[int, int]:
    """Replace every triple about ``replaced`` (and their steps) by ``new``: validate the
    descriptions that change, then remove and add only the triples that differ."""
    name = ox.NamedNode(graph)
    old: dict[ox.NamedNode, set[ox.Quad]] = {}
    for node in _subjects(store, graph, replaced):
        subject = ox.NamedNode(str(node))
        old[subject] = set(store.quads_for_pattern(subject, None, None, name))
    fresh: dict[ox.NamedNode, set[ox.Quad]] = {}
    for s, p, o in new:
        subject = ox.NamedNode(str(s))
        quad = ox.Quad(subject, ox.NamedNode(str(p)), _ox(o), name)
        fresh.setdefault(subject, set()).add(quad)
    changed = {s for s in old.keys() | fresh.keys() if old.get(s) != fresh.get(s)}
    if not changed:
        return 0, 0
    fresh_triples = [t for t in new if ox.NamedNode(str(t[0])) in changed]
    _check(store, graph, fresh_triples, replaced, engine, ahead or {})
    gone = set().union(*(old.get(s, set()) - fresh.get(s, set()) for s in changed))
    added = set().union(*(fresh.get(s, set()) - old.get(s, set()) for s in changed))
    for quad in gone:
        store.remove(quad)
    if added:
        store.extend(sorted(added, key=str))
    return len(added), len(gone)


def _check(
    store: ox.Store,
    graph: str,
    new: list[Triple],
    replaced: set[URIRef],
    engine: str = "pyshacl",
    ahead: Mapping[URIRef, URIRef] | None = None,
) -> None:
    """Validate new descriptions, given the classes of the nodes they link to.

    Linked nodes are given their classes only, so they are judged on their type alone
    (what a link to them requires); results about their other properties, checked when
    they were written, are not this update's.
    """
    if not new:
        return
    subjects = {t[0] for t in new}
    linked = {o for _, p, o in new if isinstance(o, URIRef) and p != RDF.type} - subjects
    known = {**_classes_in(store, graph, linked), **_among(ahead or {}, linked)}
    context = [(e, RDF.type, c) for e, c in known.items()]
    ours = {str(s) for s in subjects}

    def concerns(v: Violation) -> bool:
        return v.focus in ours or v.path == f"<{RDF.type}>"

    report = validate_triples([*new, *context], engine=engine, concerns=concerns)
    problems = [v for v in report.violations if v.severity == "Violation" and concerns(v)]
    if problems:
        raise StoreError(
            "the entity graph update does not conform to the shapes (a bug in "
            "kg_builder.rdf.entities; please report it); the articles are stored and the "
            "next ingest rebuilds the entity graph:\n" + Report(False, tuple(problems)).summary(10)
        )


__all__ = [
    "PENDING_FILE",
    "ArticleWriter",
    "EntityUpdate",
    "Touched",
    "rebuild_entities",
    "touched_by",
    "update_entities",
    "write_articles",
]
