"""Emitter: an :class:`~kg_builder.models.Extraction` → one ``rdflib.Graph`` per article.

The graph holds the article, the extraction run, every actor, post and place the facts
refer to (typed, labelled), and every fact with its evidence (article, sentence and
character offsets). No blank nodes: every node has a deterministic IRI, so the same
input gives the same triples, run after run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg_builder import __version__
from kg_builder.models import Agreement, AgreementStatus, Extraction, Span
from kg_builder.rdf import vocab as V
from kg_builder.rdf.iris import IriMinter, slug


def clean(text: str) -> str:
    """Text safe for any RDF serialisation: lone surrogates become U+FFFD (same length)."""
    return text.encode("utf-8", "replace").decode("utf-8") if _has_surrogate(text) else text


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


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

    # -- small helpers
    def add(self, s: URIRef, p: URIRef, o) -> None:
        self.triples[s, p, o] = None

    def lit(self, s: URIRef, p: URIRef, value: str | None) -> None:
        if value is not None and value.strip():
            self.triples[s, p, Literal(clean(value))] = None

    def date(self, s: URIRef, value: dt.date | None) -> None:
        if value is not None:
            self.triples[s, V.date, Literal(value.isoformat(), datatype=XSD.date)] = None

    def fact(self, node: URIRef, cls: URIRef, span: Span, local: str | None = None) -> None:
        """Type a fact and tie it to its article, its run and its evidence.

        The evidence node always lives under the article IRI (``local`` names it for
        facts whose own IRI is shared across articles, such as agreements).
        """
        self.add(node, RDF.type, cls)
        self.add(node, V.wasDerivedFrom, self.article)
        self.add(node, V.wasGeneratedBy, self.activity)
        ev = URIRef(f"{self.article}/evidence/{local}" if local else f"{node}/evidence")
        self.add(node, V.evidence, ev)
        self.add(ev, RDF.type, V.Evidence)
        self.add(ev, V.inArticle, self.article)
        # A quotation can run over several sentences: the "sentence" is then all of them.
        sent_start, sent_end = min(span.sent_start, span.start), max(span.sent_end, span.end)
        integer = XSD.integer
        self.add(ev, V.start, Literal(span.start, datatype=integer))
        self.add(ev, V.end, Literal(span.end, datatype=integer))
        self.add(ev, V.exact, Literal(clean(span.text(self.text))))
        self.add(ev, V.sentence, Literal(clean(self.text[sent_start:sent_end].strip())))
        self.add(ev, V.sentenceStart, Literal(sent_start, datatype=integer))
        self.add(ev, V.sentenceEnd, Literal(sent_end, datatype=integer))

    def actor(self, key: str) -> URIRef:
        return URIRef(self.m.actor(key))

    def actors(self, keys: Iterable[str], node: URIRef, prop: URIRef) -> None:
        for key in keys:
            self.add(node, prop, self.actor(key))

    # -- sections
    def emit_article(self) -> None:
        a, art = self.article, self.x.article
        self.add(a, RDF.type, V.Article)
        self.lit(a, V.articleId, art.id)
        self.add(a, V.text, Literal(clean(art.text)))
        self.add(a, RDFS.label, Literal(clean(art.title or art.id)))
        if art.url:
            self.add(a, V.url, Literal(clean(art.url), datatype=XSD.anyURI))
        self.lit(a, V.publisher, art.source)
        self.lit(a, V.title, art.title)
        if art.published:
            self.add(a, V.published, Literal(art.published.isoformat(), datatype=XSD.date))
        self.add(self.activity, RDF.type, V.Extraction)
        self.add(self.activity, RDFS.label, Literal(f"kg-builder {__version__} run on {art.id}"))
        self.add(self.activity, V.softwareVersion, Literal(__version__))
        self.add(self.activity, V.model, Literal(self.model))

    def emit_actors(self) -> None:
        for actor in self.x.actors:
            node = self.actor(actor.key)
            self.add(node, RDF.type, V.KGB[actor.kind.value])
            self.lit(node, V.name, actor.name)
            self.lit(node, RDFS.label, actor.name)
            for alias in actor.aliases:
                if alias != actor.name:
                    self.lit(node, V.alias, alias)
            if actor.wikidata:
                self.lit(node, V.wikidata, actor.wikidata)
                self.add(node, OWL.sameAs, V.WD[actor.wikidata])
            if actor.part_of:
                self.add(node, V.partOf, self.actor(actor.part_of))
            self.add(self.article, V.mentions, node)
        for n, mention in enumerate(self.x.mentions, 1):
            node = URIRef(self.m.fact(self.article, "mention", n))
            self.fact(node, V.ActorMention, mention.span)
            self.add(node, V.mentionOf, self.actor(mention.actor))
            self.lit(node, V.surfaceForm, mention.text)

    def emit_posts(self) -> None:
        names = {a.key: a.name for a in self.x.actors}
        described: set[str] = set()
        for n, p in enumerate(self.x.posts, 1):
            iri = self.m.post(p.organisation, p.title)
            post = URIRef(iri)
            # Titles that differ only in case or punctuation ("Vice-President", "Vice
            # President") are one post: the first spelling names it.
            if iri not in described:
                described.add(iri)
                self.add(post, RDF.type, V.Post)
                self.lit(post, V.postTitle, p.title)
                org = names.get(p.organisation) if p.organisation else None
                label = f"{p.title} of {org}" if org else p.title
                self.lit(post, V.name, label)
                self.lit(post, RDFS.label, label)
                if p.organisation:
                    self.add(post, V.postIn, self.actor(p.organisation))
            person = self.actor(p.person)
            self.add(person, V.holds, post)
            holding = URIRef(self.m.fact(self.article, "post", n))
            self.fact(holding, V.PostHolding, p.span)
            self.add(holding, V.holder, person)
            self.add(holding, V.post, post)

    def emit_demands(self) -> None:
        for n, d in enumerate(self.x.demands, 1):
            node = URIRef(self.m.fact(self.article, "demand", n))
            self.fact(node, V.Demand, d.span)
            self.actors(d.demanders, node, V.demander)
            self.actors(d.addressees, node, V.addressee)
            self.lit(node, V.content, d.content)
            self.lit(node, RDFS.label, d.content)
            self.add(node, V.conditional, Literal(d.conditional))
            self.lit(node, V.condition, d.condition)
            self.date(node, d.date)
            self.add(node, V.demandStatus, V.DEMAND_STATUS[d.status.value])
            self.add(node, V.eventCategory, V.PLOVER.REQUEST)

    def emit_agreements(self) -> None:
        for a in _merge_agreements(self.x.agreements):
            node = URIRef(self.m.agreement(a.key))
            self.fact(node, V.Agreement, a.span, local=f"agreement-{slug(a.key)}")
            self.lit(node, V.name, a.name)
            self.lit(node, RDFS.label, a.name)
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
            self.add(node, V.year, Literal(value, datatype=XSD.gYear))
        elif len(value) == 7:
            self.add(node, V.yearMonth, Literal(value, datatype=XSD.gYearMonth))
        else:
            self.date(node, dt.date.fromisoformat(value))

    def emit_meetings(self) -> None:
        for n, mt in enumerate(self.x.meetings, 1):
            node = URIRef(self.m.fact(self.article, "meeting", n))
            self.fact(node, V.Meeting, mt.span)
            self.lit(node, V.name, mt.name)
            self.lit(node, RDFS.label, mt.name)
            self.lit(node, V.meetingKind, mt.kind)
            self.date(node, mt.date)
            if mt.place:
                place = URIRef(self.m.place(mt.place))
                self.add(place, RDF.type, V.Place)
                self.lit(place, V.name, mt.place)
                self.lit(place, RDFS.label, mt.place)
                self.add(node, V.place, place)
            self.actors(mt.participants, node, V.participant)
            self.add(node, V.planned, Literal(mt.planned))
            self.add(node, V.eventCategory, V.PLOVER.CONSULT)

    def emit_statements(self) -> None:
        for n, s in enumerate(self.x.statements, 1):
            node = URIRef(self.m.fact(self.article, "statement", n))
            self.fact(node, V.Statement, s.span)
            self.lit(node, V.quote, s.quote)
            if s.speaker:
                self.add(node, V.speaker, self.actor(s.speaker))
            self.date(node, s.date)


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
