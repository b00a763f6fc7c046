"""Emitter: an :class:`~kg_builder.models.Extraction` → one ``rdflib.Graph`` per article.

The article graph holds what the article says: the article and the extraction run; for
every actor, post and place it refers to, the article's description of it (class, name
and other names: :mod:`kg_builder.rdf.entities`); every fact with its evidence (article,
sentence and character offsets). A shared entity (a named actor, a named agreement, a
post of a shared organisation, a place) gets its one canonical description in the entity
graph, from all articles; an entity that exists only in this article gets it here.

No blank nodes: every node has a deterministic IRI, and a fact's IRI depends on what it
says and where, not on its position (:meth:`~kg_builder.rdf.iris.IriMinter.fact`), so
the same input gives the same triples, run after run, and a new rule leaves the IRIs of
the other facts alone.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import replace

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg_builder import __version__
from kg_builder.models import Agreement, AgreementStatus, Extraction, Span
from kg_builder.rdf import vocab as V
from kg_builder.rdf.claims import EntityData
from kg_builder.rdf.derived import derived_triples
from kg_builder.rdf.entities import canonical_class, canonical_triples
from kg_builder.rdf.iris import IriMinter, digest


def clean(text: str) -> str:
    """Text safe for any RDF serialisation: lone surrogates become U+FFFD (same length)."""
    return text.encode("utf-8", "replace").decode("utf-8") if _has_surrogate(text) else text


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# rdflib's DefinedNamespace (RDF, RDFS, XSD) looks a term up on every attribute access:
# the terms the emitter writes per fact are bound once here.
_TYPE, _LABEL = RDF.type, RDFS.label
_INTEGER, _DATE, _ANY_URI = XSD.integer, XSD.date, XSD.anyURI
_G_YEAR, _G_YEAR_MONTH = XSD.gYear, XSD.gYearMonth


@functools.lru_cache(maxsize=1 << 16)
def _integer(value: int) -> Literal:
    """An ``xsd:integer`` literal (offsets: made once, rdflib's Literal is slow to build)."""
    return Literal(value, datatype=_INTEGER)


#: One RDF triple of rdflib terms.
Triple = tuple[URIRef, URIRef, URIRef | Literal]


class _Builder:
    def __init__(self, extraction: Extraction, minter: IriMinter, model: str):
        self.x = extraction
        self.m = minter
        self.model = model
        self.triples: dict[Triple, None] = {}  # an ordered set
        self.article = URIRef(minter.article(extraction.article.id))
        self.activity = URIRef(f"{self.article}/extraction")
        self.text = extraction.article.text
        # Actor key → IRI: shared for a named actor, under the article for an unnamed one.
        self.actor_iris = {
            a.key: URIRef(
                minter.actor(a.key) if a.named else minter.scoped(self.article, "actor", a.key)
            )
            for a in extraction.actors
        }
        self.scoped: set[URIRef] = {
            iri for iri in self.actor_iris.values() if minter.is_article_scoped(iri)
        }
        self.facts: dict[str, str] = {}  # fact IRI → the full fact it was minted for
        self.sentences: dict[tuple[int, int], Literal] = {}

    # -- small helpers
    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.triples[s, p, o] = None

    def lit(self, s: URIRef, p: URIRef, value: str | None) -> None:
        if value is not None and value.strip():
            self.triples[s, p, Literal(clean(value))] = None

    def date(self, s: URIRef, value: dt.date | None) -> None:
        if value is not None:
            self.triples[s, V.date, Literal(value.isoformat(), datatype=_DATE)] = None

    def fact_iri(self, kind: str, span: Span, keys: Iterable[str], full: object) -> URIRef | None:
        """The content-derived IRI of a fact (see :meth:`IriMinter.fact`); None for a
        repeat of a fact already emitted. Two different facts with the same key facts at
        the same place are told apart by a digest of everything they say."""
        iri = self.m.fact(self.article, kind, span.start, span.end, *keys)
        seen = self.facts.get(iri)
        if seen is None:
            self.facts[iri] = repr(full)
            return URIRef(iri)
        if seen == repr(full):
            return None
        iri = f"{iri}-{digest(repr(full))}"
        self.facts[iri] = repr(full)
        return URIRef(iri)

    def fact(self, node: URIRef, cls: URIRef, span: Span) -> None:
        """Type a fact and tie it to its article, its run and its evidence."""
        self.add(node, _TYPE, cls)
        self.add(node, V.wasDerivedFrom, self.article)
        self.add(node, V.wasGeneratedBy, self.activity)
        ev = URIRef(f"{node}/evidence")
        self.add(node, V.evidence, ev)
        self.add(ev, _TYPE, V.Evidence)
        self.add(ev, V.inArticle, self.article)
        # A quotation can run over several sentences: the "sentence" is then all of them.
        sent_start, sent_end = min(span.sent_start, span.start), max(span.sent_end, span.end)
        self.add(ev, V.start, _integer(span.start))
        self.add(ev, V.end, _integer(span.end))
        self.add(ev, V.exact, Literal(clean(span.text(self.text))))
        self.add(ev, V.sentence, self.sentence(sent_start, sent_end))
        self.add(ev, V.sentenceStart, _integer(sent_start))
        self.add(ev, V.sentenceEnd, _integer(sent_end))

    def sentence(self, start: int, end: int) -> Literal:
        """The literal of the text's sentence over ``[start, end)`` (facts share sentences)."""
        lit = self.sentences.get((start, end))
        if lit is None:
            lit = self.sentences[start, end] = Literal(clean(self.text[start:end].strip()))
        return lit

    def describe(self, entity: URIRef, cls: URIRef, name: str) -> URIRef | None:
        """The article's description of an entity: the class and name it gives it.

        None when the entity is already described (a post or place the article names
        twice keeps the words of its first mention)."""
        node = URIRef(self.m.description(self.article, entity))
        if (node, _TYPE, V.EntityDescription) in self.triples:
            return None
        self.add(node, _TYPE, V.EntityDescription)
        self.add(node, V.describes, entity)
        self.add(node, V.describedAs, cls)
        self.lit(node, V.name, name)
        self.add(node, V.wasDerivedFrom, self.article)
        self.add(node, V.wasGeneratedBy, self.activity)
        return node

    def actor(self, key: str) -> URIRef:
        return self.actor_iris[key]

    def actors(self, keys: Iterable[str], node: URIRef, prop: URIRef) -> None:
        for key in keys:
            self.add(node, prop, self.actor(key))

    # -- sections
    def emit_article(self) -> None:
        a, art = self.article, self.x.article
        self.add(a, _TYPE, V.Article)
        self.lit(a, V.articleId, art.id)
        self.add(a, V.text, Literal(clean(art.text)))
        self.add(a, _LABEL, Literal(clean(art.title or art.id)))
        if art.url:
            self.add(a, V.url, Literal(clean(art.url), datatype=_ANY_URI))
        self.lit(a, V.publisher, art.source)
        self.lit(a, V.title, art.title)
        if art.published:
            self.add(a, V.published, Literal(art.published.isoformat(), datatype=_DATE))
        self.add(self.activity, _TYPE, V.Extraction)
        self.add(self.activity, _LABEL, Literal(f"kg-builder {__version__} run on {art.id}"))
        self.add(self.activity, V.softwareVersion, Literal(__version__))
        self.add(self.activity, V.model, Literal(self.model))

    def emit_actors(self) -> None:
        for actor in self.x.actors:
            node = self.actor(actor.key)
            self.add(self.article, V.mentions, node)
            d = self.describe(node, V.KGB[actor.kind.value], actor.name)
            if d is None:
                continue
            for alias in actor.aliases:
                if alias != actor.name:
                    self.lit(d, V.alias, alias)
            if actor.wikidata:
                self.lit(d, V.wikidata, actor.wikidata)
            if actor.part_of and actor.part_of in self.actor_iris:
                self.add(d, V.partOf, self.actor(actor.part_of))
        for mention in self.x.mentions:
            said = self.fact_iri("mention", mention.span, (mention.actor,), mention)
            if said is None:
                continue
            self.fact(said, V.ActorMention, mention.span)
            self.add(said, V.mentionOf, self.actor(mention.actor))
            self.lit(said, V.surfaceForm, mention.text)

    def emit_posts(self) -> None:
        names = {a.key: a.name for a in self.x.actors}
        for p in self.x.posts:
            org = self.actor_iris.get(p.organisation) if p.organisation else None
            if org is not None and org not in self.scoped:
                post = URIRef(self.m.post(p.organisation, p.title))
            else:
                post = URIRef(self.m.scoped_post(self.article, p.organisation, p.title))
                self.scoped.add(post)
            label = f"{p.title} of {names[p.organisation]}" if p.organisation in names else p.title
            d = self.describe(post, V.Post, label)
            if d is not None:
                self.lit(d, V.postTitle, p.title)
                if org is not None:
                    self.add(d, V.postIn, org)
            keys = (p.person, p.organisation or "", p.title)
            holding = self.fact_iri("holding", p.span, keys, p)
            if holding is None:
                continue
            self.fact(holding, V.PostHolding, p.span)
            self.add(holding, V.holder, self.actor(p.person))
            self.add(holding, V.post, post)

    def emit_demands(self) -> None:
        for d in self.x.demands:
            keys = (*sorted(d.demanders), "->", *sorted(d.addressees), d.content)
            node = self.fact_iri("demand", d.span, keys, d)
            if node is None:
                continue
            self.fact(node, V.Demand, d.span)
            self.actors(d.demanders, node, V.demander)
            self.actors(d.addressees, node, V.addressee)
            self.lit(node, V.content, d.content)
            self.lit(node, _LABEL, d.content)
            self.add(node, V.conditional, Literal(d.conditional))
            self.lit(node, V.condition, d.condition)
            self.date(node, d.date)
            self.add(node, V.demandStatus, V.DEMAND_STATUS[d.status.value])
            self.add(node, V.eventCategory, V.PLOVER.REQUEST)

    def emit_agreements(self) -> None:
        for a in _merge_agreements(self.x.agreements):
            if a.named:
                agreement = URIRef(self.m.agreement(a.key))
            else:
                agreement = URIRef(self.m.scoped(self.article, "agreement", a.key))
                self.scoped.add(agreement)
            node = self.fact_iri("agreement-report", a.span, (a.key,), a)
            if node is None:
                continue
            self.fact(node, V.AgreementReport, a.span)
            self.add(node, V.agreement, agreement)
            self.lit(node, V.name, a.name)
            self.lit(node, _LABEL, a.name)
            for alias in a.aliases:
                if alias != a.name:
                    self.lit(node, V.alias, alias)
            self.lit(node, V.agreementKind, a.kind)
            self.add(node, V.agreementStatus, V.AGREEMENT_STATUS[a.status.value])
            self.actors(a.parties, node, V.party)
            self._partial_date(node, a.date)

    def _partial_date(self, node: URIRef, value: str | None) -> None:
        if not value:
            return
        if len(value) == 4 and value.isdigit():
            self.add(node, V.year, Literal(value, datatype=_G_YEAR))
        elif len(value) == 7:
            self.add(node, V.yearMonth, Literal(value, datatype=_G_YEAR_MONTH))
        else:
            self.date(node, dt.date.fromisoformat(value))

    def emit_meetings(self) -> None:
        for mt in self.x.meetings:
            node = self.fact_iri("meeting", mt.span, (mt.name,), mt)
            if node is None:
                continue
            self.fact(node, V.Meeting, mt.span)
            self.lit(node, V.name, mt.name)
            self.lit(node, _LABEL, mt.name)
            self.lit(node, V.meetingKind, mt.kind)
            self.date(node, mt.date)
            if mt.place:
                place = URIRef(self.m.place(mt.place))
                self.describe(place, V.Place, mt.place)
                self.add(node, V.place, place)
            self.actors(mt.participants, node, V.participant)
            self.add(node, V.planned, Literal(mt.planned))
            self.add(node, V.eventCategory, V.PLOVER.CONSULT)

    def emit_statements(self) -> None:
        for s in self.x.statements:
            node = self.fact_iri("statement", s.span, (s.quote,), s)
            if node is None:
                continue
            self.fact(node, V.Statement, s.span)
            self.lit(node, V.quote, s.quote)
            if s.speaker:
                self.add(node, V.speaker, self.actor(s.speaker))
            self.date(node, s.date)

    def emit_scoped_entities(self) -> None:
        """Entities that exist only in this article are described here, by the same rules
        as shared ones in the entity graph (:mod:`kg_builder.rdf.entities`)."""
        if not self.scoped:
            return
        data = EntityData.from_triples(self.triples)
        classes = {e: canonical_class(ds) for e, ds in data.descriptions.items()}

        def class_of(node: URIRef) -> URIRef | None:
            # A scoped entity links only to scoped ones: a shared entity's class is
            # decided by all articles, not by this one.
            return classes.get(node) if node in self.scoped else None

        canonical = list(
            canonical_triples(data, self.scoped, class_of, keep_post=self.scoped.__contains__)
        )
        for triple in [*canonical, *derived_triples(canonical)]:
            self.triples[triple] = None


def _merge_agreements(agreements: Iterable[Agreement]) -> list[Agreement]:
    """One agreement per key (its IRI): the first mention's name, status, date and
    evidence; the parties and aliases of every mention."""
    merged: dict[str, Agreement] = {}
    for a in agreements:
        first = merged.get(a.key)
        if first is None:
            merged[a.key] = a
            continue
        status = first.status if first.status != AgreementStatus.UNKNOWN else a.status
        merged[a.key] = replace(
            first,
            status=status,
            date=first.date or a.date,
            named=first.named or a.named,
            parties=tuple(dict.fromkeys(first.parties + a.parties)),
            aliases=tuple(dict.fromkeys(first.aliases + a.aliases + (a.name,))),
        )
    return list(merged.values())


def emit_triples(
    extraction: Extraction, *, base: str = V.DEFAULT_BASE, model: str = ""
) -> tuple[Triple, ...]:
    """The triples of one article's graph, without building an rdflib graph.

    The batch pipeline uses this: it validates a batch of articles at once and writes
    N-Triples straight from the triples. Same arguments as :func:`emit`.
    """
    b = _Builder(extraction, IriMinter(base), model)
    b.emit_article()
    b.emit_actors()
    b.emit_posts()
    b.emit_demands()
    b.emit_agreements()
    b.emit_meetings()
    b.emit_statements()
    b.emit_scoped_entities()
    return tuple(b.triples)


def emit(extraction: Extraction, *, base: str = V.DEFAULT_BASE, model: str = "") -> Graph:
    """Build the RDF graph of one article.

    Args:
        extraction: What was read from the article.
        base: Base IRI for minted nodes (ends in '/' or '#').
        model: Name of the spaCy model, recorded on the extraction run.

    Returns:
        A new graph; the caller stores it as the article's named graph
        (``IriMinter(base).article(article.id)``).

    >>> from kg_builder.models import Article, Extraction
    >>> g = emit(Extraction(Article(id="a1", text="Hello.")))
    >>> len(g) > 5
    True
    """
    g = Graph()
    for prefix, ns in V.PREFIXES.items():
        g.bind(prefix, ns)
    g.bind("id", IriMinter(base).base)
    for triple in emit_triples(extraction, base=base, model=model):
        g.add(triple)
    return g
