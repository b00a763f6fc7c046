"""The ontology (``ontology/kg-builder.ttl``) and the vocabulary module agree.

Every ``kgb:`` term the emitter can write (``kg_builder/vocab.py``) is defined in the
ontology with a label and a definition, and the ontology defines nothing else in the
``kgb:`` namespace; the code lists match the enums in ``kg_builder/models.py``.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from kg_builder import models
from kg_builder.rdf import vocab

ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "kg-builder.ttl"
KGB = vocab.KGB
ONTOLOGY_IRI = URIRef(vocab.ONTOLOGY_IRI)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def _kgb(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(str(KGB))


def vocab_terms() -> set[URIRef]:
    """Every ``kgb:`` IRI bound as a module attribute of ``kg_builder.rdf.vocab``."""
    return {value for value in vars(vocab).values() if _kgb(value)}


def defined_terms(g: Graph) -> set[URIRef]:
    """``kgb:`` IRIs the ontology defines (gives an rdf:type)."""
    return {s for s in g.subjects(RDF.type, None) if _kgb(s)}


def subclasses(g: Graph, cls: URIRef) -> set[URIRef]:
    """``cls`` and all its subclasses (transitively), as the ontology states them."""
    return set(g.transitive_subjects(RDFS.subClassOf, cls))


# ---- parsing and header


def test_ontology_parses_with_an_independent_parser():
    quads = list(pyoxigraph.parse(path=str(ONTOLOGY_FILE), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(Graph().parse(ONTOLOGY_FILE, format="turtle"))


def test_ontology_is_declared_with_its_iri_and_version(onto: Graph):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    assert list(onto.subjects(RDF.type, OWL.Ontology)) == [ONTOLOGY_IRI]
    version = onto.value(ONTOLOGY_IRI, OWL.versionInfo)
    assert version == Literal("0.2.0")
    assert onto.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(
        f"https://w3id.org/kg-builder/ontology/{version}"
    )


@pytest.mark.parametrize(
    "prop", [DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator]
)
def test_ontology_header_has_dublin_core_metadata(onto: Graph, prop: URIRef):
    assert onto.value(ONTOLOGY_IRI, prop) is not None


def test_ontology_imports_nothing(onto: Graph):
    """Referenced vocabularies are not imported: loading must not need the network."""
    assert not list(onto.objects(None, OWL.imports))


# ---- the vocabulary contract


def test_every_vocab_term_is_defined_in_the_ontology(onto: Graph):
    missing = vocab_terms() - defined_terms(onto)
    assert not missing, f"bound in vocab.py but not defined in the ontology: {sorted(missing)}"


def test_every_ontology_term_is_bound_in_vocab(onto: Graph):
    extra = defined_terms(onto) - vocab_terms()
    assert not extra, f"defined in the ontology but not bound in vocab.py: {sorted(extra)}"


def test_no_kgb_term_is_used_without_being_defined(onto: Graph):
    used = {term for triple in onto for term in triple if _kgb(term)}
    dangling = used - defined_terms(onto)
    assert not dangling, f"kgb: terms used but never defined: {sorted(dangling)}"


def test_every_external_term_the_emitter_writes_is_mentioned(onto: Graph):
    mentioned = {term for triple in onto for term in triple}
    missing = [t for t in vocab.EXTERNAL_TERMS if t not in mentioned]
    assert not missing, f"external terms not mentioned in the ontology: {missing}"


@pytest.mark.parametrize("term", sorted(vocab_terms()), ids=lambda t: t.fragment)
def test_every_term_has_an_english_label_and_definition(onto: Graph, term: URIRef):
    labels = [o for o in onto.objects(term, RDFS.label) if isinstance(o, Literal)]
    definitions = [o for o in onto.objects(term, SKOS.definition) if isinstance(o, Literal)]
    assert any(lit.language == "en" for lit in labels), f"{term} has no rdfs:label@en"
    assert any(lit.language == "en" and len(lit) > 20 for lit in definitions), (
        f"{term} has no skos:definition@en"
    )


def test_every_term_has_exactly_one_kind(onto: Graph):
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.ConceptScheme}
    for term in defined_terms(onto):
        found = set(onto.objects(term, RDF.type)) & kinds
        assert len(found) == 1, f"{term} is typed {found}"


def test_every_property_has_a_range(onto: Graph):
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in filter(_kgb, onto.subjects(RDF.type, kind)):
            assert onto.value(prop, RDFS.range) is not None, f"{prop} has no rdfs:range"


# ---- alignments (the ⊑ comments in vocab.py)

ORG, SCHEMA, SEM, OA = vocab.ORG, vocab.SCHEMA, vocab.SEM, vocab.OA

CLASS_ALIGNMENTS = [
    (KGB.Article, SCHEMA.NewsArticle),
    (KGB.Article, PROV.Entity),
    (KGB.Extraction, PROV.Activity),
    (KGB.Actor, PROV.Agent),
    (KGB.Person, KGB.Actor),
    (KGB.Person, SCHEMA.Person),
    (KGB.Organisation, KGB.Actor),
    (KGB.Organisation, ORG.Organization),
    (KGB.Organisation, SCHEMA.Organization),
    (KGB.CollectiveActor, KGB.Actor),
    (KGB.Post, ORG.Post),
    (KGB.Event, SCHEMA.Event),
    (KGB.Event, SEM.Event),
    (KGB.Demand, KGB.Event),
    (KGB.Meeting, KGB.Event),
    (KGB.Agreement, PROV.Entity),
    (KGB.Agreement, SCHEMA.CreativeWork),
    (KGB.Statement, SCHEMA.Quotation),
    (KGB.Place, SCHEMA.Place),
    (KGB.Place, SEM.Place),
    (KGB.Evidence, OA.TextPositionSelector),
    (KGB.EntityDescription, PROV.Entity),
    (KGB.TrackedDemand, PROV.Entity),
    (KGB.StatusStep, PROV.Entity),
    (KGB.AgreementStatus, SKOS.Concept),
    (KGB.DemandStatus, SKOS.Concept),
    (KGB.EventCategory, SKOS.Concept),
] + [
    (KGB[name], KGB.Organisation)
    for name in (
        "State",
        "GovernmentBody",
        "InternationalOrganisation",
        "PoliticalParty",
        "ArmedGroup",
        "Company",
        "MediaOrganisation",
        "NGO",
        "Union",
    )
]

PROPERTY_ALIGNMENTS = [
    (KGB.url, SCHEMA.url),
    (KGB.published, SCHEMA.datePublished),
    (KGB.title, SCHEMA.headline),
    (KGB.text, SCHEMA.articleBody),
    (KGB.mentions, SCHEMA.mentions),
    (KGB.name, RDFS.label),
    (KGB.name, SCHEMA.name),
    (KGB.alias, SKOS.altLabel),
    (KGB.partOf, ORG.subOrganizationOf),
    (KGB.holds, ORG.holds),
    (KGB.postIn, ORG.postIn),
    (KGB.date, SEM.hasTimeStamp),
    (KGB.date, SCHEMA.startDate),
    (KGB.demander, PROV.wasAttributedTo),
    (KGB.speaker, PROV.wasAttributedTo),
    (KGB.place, SEM.hasPlace),
    (KGB.place, SCHEMA.location),
    (KGB.participant, SEM.hasActor),
    (KGB.quote, SCHEMA.text),
    (KGB.start, OA.start),
    (KGB.end, OA.end),
    (KGB.exact, OA.exact),
]


@pytest.mark.parametrize("sub,sup", CLASS_ALIGNMENTS, ids=lambda t: str(t).rsplit("/", 1)[-1])
def test_class_is_aligned(onto: Graph, sub: URIRef, sup: URIRef):
    assert (sub, RDFS.subClassOf, sup) in onto


@pytest.mark.parametrize("sub,sup", PROPERTY_ALIGNMENTS, ids=lambda t: str(t).rsplit("/", 1)[-1])
def test_property_is_aligned(onto: Graph, sub: URIRef, sup: URIRef):
    assert (sub, RDFS.subPropertyOf, sup) in onto


def test_actor_classes_are_the_actor_kinds_of_the_models(onto: Graph):
    kinds = {KGB[kind.value] for kind in models.ActorKind}
    assert subclasses(onto, KGB.Actor) - {KGB.Actor} == kinds


# ---- code lists

CODE_LISTS = [
    (
        models.AgreementStatus,
        vocab.AGREEMENT_STATUS,
        KGB.AgreementStatus,
        KGB.AgreementStatusScheme,
    ),
    (models.DemandStatus, vocab.DEMAND_STATUS, KGB.DemandStatus, KGB.DemandStatusScheme),
    (models.Plover, vocab.PLOVER, KGB.EventCategory, KGB.PloverScheme),
]


@pytest.mark.parametrize("enum,ns,cls,scheme", CODE_LISTS, ids=lambda x: getattr(x, "__name__", ""))
def test_code_list_matches_the_enum(onto: Graph, enum, ns, cls, scheme):
    expected = {ns[member.value] for member in enum}
    assert set(onto.subjects(SKOS.inScheme, scheme)) == expected
    assert set(onto.subjects(RDF.type, cls)) == expected
    assert set(onto.objects(scheme, SKOS.hasTopConcept)) == expected
    assert (scheme, RDF.type, SKOS.ConceptScheme) in onto
    for member in enum:
        concept = ns[member.value]
        assert (concept, RDF.type, SKOS.Concept) in onto
        assert onto.value(concept, SKOS.notation) == Literal(member.value)
        assert onto.value(concept, SKOS.prefLabel) is not None, concept
        assert onto.value(concept, SKOS.definition) is not None, concept


def test_agreement_status_labels_are_plain_english(onto: Graph):
    label = onto.value(vocab.AGREEMENT_STATUS["under-negotiation"], SKOS.prefLabel)
    assert label == Literal("under negotiation", lang="en")
    assert onto.value(vocab.AGREEMENT_STATUS["in-force"], SKOS.prefLabel) == Literal(
        "in force", lang="en"
    )


def test_plover_concepts_cite_the_plover_source(onto: Graph):
    source = URIRef("https://github.com/openeventdata/PLOVER")
    for member in models.Plover:
        assert (vocab.PLOVER[member.value], DCTERMS.source, source) in onto


def test_evidence_source_is_not_declared_as_web_annotation_has_source(onto: Graph) -> None:
    # oa:hasSource belongs to an oa:SpecificResource; Evidence is a selector.
    assert (KGB.inArticle, RDFS.subPropertyOf, OA.hasSource) not in onto
