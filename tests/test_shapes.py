"""The SHACL shapes (``ontology/shapes.ttl``) and their examples.

Good examples must conform; each bad example must fail on exactly the paths its first
line names (``# expect: kgb:demander -- why``). The shapes must stay SHACL Core, so an
independent engine gives the same answers as pyshacl.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from kg_builder import models
from kg_builder.rdf import vocab

ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "ontology"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
ONTOLOGY_FILE = ONTOLOGY_DIR / "kg-builder.ttl"
EXAMPLES = ONTOLOGY_DIR / "examples"
GOOD = sorted(EXAMPLES.glob("good-*.ttl"))
BAD = sorted(EXAMPLES.glob("bad-*.ttl"))
KGB = vocab.KGB
KGBSH = "https://w3id.org/kg-builder/shapes#"

# Every term of the SHACL Core vocabulary (W3C Recommendation, sections 2-4 and 5's
# validation report terms). Anything else in the sh: namespace is SHACL-SPARQL or
# SHACL-AF (sh:sparql, sh:select, sh:rule, sh:target, sh:js..., sh:expression...).
# fmt: off
SHACL_CORE_NAMES = (
    "Shape", "NodeShape", "PropertyShape", "targetClass", "targetNode", "targetSubjectsOf",
    "targetObjectsOf", "path", "inversePath", "alternativePath", "zeroOrMorePath", "oneOrMorePath",
    "zeroOrOnePath", "class", "datatype", "nodeKind", "IRI", "BlankNode", "Literal",
    "BlankNodeOrIRI", "BlankNodeOrLiteral", "IRIOrLiteral", "minCount", "maxCount", "minExclusive",
    "minInclusive", "maxExclusive", "maxInclusive", "minLength", "maxLength", "pattern", "flags",
    "languageIn", "uniqueLang", "equals", "disjoint", "lessThan", "lessThanOrEquals", "not", "and",
    "or", "xone", "node", "property", "qualifiedValueShape", "qualifiedMinCount",
    "qualifiedMaxCount", "qualifiedValueShapesDisjoint", "closed", "ignoredProperties", "hasValue",
    "in", "message", "severity", "Violation", "Warning", "Info", "deactivated", "name",
    "description", "order", "group", "defaultValue", "PropertyGroup",
)
# fmt: on
SHACL_CORE = {SH[name] for name in SHACL_CORE_NAMES}
FORBIDDEN_PREFIXES = ("http://datashapes.org/dash#",)
PREFIXES = {
    "kgb": str(KGB),
    "sh": str(SH),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "prov": "http://www.w3.org/ns/prov#",
    "owl": str(OWL),
}


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def validate(data: Graph, shapes: Graph) -> tuple[bool, Graph, str]:
    """SHACL Core only: no inference, no advanced features, the ontology not merged in."""
    return pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False)


def expected_keys(path: Path) -> set[URIRef]:
    """The IRIs named on a bad example's first line: ``# expect: kgb:a kgb:b -- why``."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect:"), f"{path.name}: first line must be '# expect: ...'"
    names = first.removeprefix("# expect:").split("--")[0].split()
    assert names, f"{path.name}: '# expect:' names no path"
    keys = set()
    for name in names:
        prefix, local = name.split(":", 1)
        keys.add(URIRef(PREFIXES[prefix] + local))
    return keys


def result_keys(report: Graph) -> set[URIRef]:
    """Top-level results: the result path, or the constraint component if there is none."""
    keys = set()
    for rep in report.subjects(RDF.type, SH.ValidationReport):
        for result in report.objects(rep, SH.result):
            path = report.value(result, SH.resultPath)
            component = report.value(result, SH.sourceConstraintComponent)
            keys.add(path if path is not None else component)
    return keys


def rdf_list(g: Graph, head) -> set:
    return set(Collection(g, head))


def actor_classes(onto: Graph, root: URIRef) -> set[URIRef]:
    return set(onto.transitive_subjects(RDFS.subClassOf, root))


# ---- the shapes graph itself


@pytest.mark.parametrize("path", [SHAPES_FILE, *GOOD, *BAD], ids=lambda p: p.name)
def test_file_parses_with_an_independent_parser(path: Path):
    quads = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert quads
    assert len(quads) == len(Graph().parse(path, format="turtle"))


def test_shapes_use_shacl_core_only(shapes: Graph):
    used = {term for triple in shapes for term in triple if isinstance(term, URIRef)}
    not_core = {t for t in used if str(t).startswith(str(SH)) and t not in SHACL_CORE}
    assert not not_core, f"not SHACL Core: {sorted(not_core)}"
    assert not [t for t in used if str(t).startswith(FORBIDDEN_PREFIXES)]
    for forbidden in (SH.sparql, SH.SPARQLConstraint, SH.rule, SH.target, SH.js, SH.JSConstraint):
        assert forbidden not in used


def test_every_ontology_class_has_a_node_shape(shapes: Graph, onto: Graph):
    classes = {c for c in onto.subjects(RDF.type, OWL.Class) if str(c).startswith(str(KGB))}
    node_shapes = shapes.subjects(RDF.type, SH.NodeShape)
    targeted = {c for s in node_shapes for c in shapes.objects(s, SH.targetClass)}
    assert classes - targeted == set(), f"classes without a shape: {sorted(classes - targeted)}"
    assert targeted - classes == set(), f"shapes target unknown classes: {targeted - classes}"


def test_every_class_has_a_shape_of_its_own(shapes: Graph, onto: Graph):
    """One node shape per class, named after it (kgbsh:DemandShape targets kgb:Demand)."""
    for cls in filter(lambda c: str(c).startswith(str(KGB)), onto.subjects(RDF.type, OWL.Class)):
        shape = URIRef(f"{KGBSH}{cls.fragment}Shape")
        assert (shape, SH.targetClass, cls) in shapes, f"no {shape}"


def test_every_shape_has_a_message(shapes: Graph):
    property_shapes = set(shapes.objects(None, SH.property)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape)
    )
    for shape in property_shapes | set(shapes.subjects(RDF.type, SH.NodeShape)):
        message = shapes.value(shape, SH.message)
        assert isinstance(message, Literal) and len(message) > 10, f"{shape} has no sh:message"


def test_code_list_values_use_sh_in_never_sh_class(shapes: Graph):
    for cls in (KGB.AgreementStatus, KGB.DemandStatus, KGB.EventCategory):
        assert not list(shapes.subjects(SH["class"], cls))


@pytest.mark.parametrize(
    "prop,scheme",
    [
        (KGB.agreementStatus, KGB.AgreementStatusScheme),
        (KGB.demandStatus, KGB.DemandStatusScheme),
        (KGB.eventCategory, KGB.PloverScheme),
    ],
    ids=lambda t: t.fragment,
)
def test_code_list_sh_in_matches_the_ontology(shapes: Graph, onto: Graph, prop, scheme):
    concepts = set(onto.subjects(SKOS.inScheme, scheme))
    lists = [shapes.value(s, SH["in"]) for s in shapes.subjects(SH.path, prop)]
    lists = [head for head in lists if head is not None]
    assert lists, f"no sh:in for {prop}"
    for head in lists:
        assert rdf_list(shapes, head) == concepts


@pytest.mark.parametrize(
    "value_shape,type_shape,root",
    [
        ("ActorValueShape", "actor-value-type", KGB.Actor),
        ("OrganisationValueShape", "organisation-value-type", KGB.Organisation),
    ],
)
def test_value_shapes_list_every_subclass(
    shapes: Graph, onto: Graph, value_shape, type_shape, root
):
    """The rdf:type sh:in lists stand in for rdfs:subClassOf*: they follow the ontology."""
    node = URIRef(KGBSH + value_shape)
    prop = URIRef(KGBSH + type_shape)
    assert set(shapes.objects(node, SH.property)) == {prop}
    assert shapes.value(prop, SH.path) == RDF.type
    assert shapes.value(prop, SH.minCount).toPython() == 1
    assert rdf_list(shapes, shapes.value(prop, SH["in"])) == actor_classes(onto, root)


def test_actor_value_shape_targets_every_actor_valued_property(shapes: Graph, onto: Graph):
    """Every property whose range is an actor class (kgb:Actor, kgb:Person, kgb:Organisation)
    has its values checked as actors."""
    node = URIRef(KGBSH + "ActorValueShape")
    actor_valued = {p for c in actor_classes(onto, KGB.Actor) for p in onto.subjects(RDFS.range, c)}
    assert set(shapes.objects(node, SH.targetObjectsOf)) == actor_valued


def test_organisation_values_are_checked_where_canonical_descriptions_link_them(
    shapes: Graph, onto: Graph
):
    """An article's claim that X is part of Y does not make Y an organisation (its class is
    decided by all articles): kgbsh:OrganisationValueShape has no targets, and every
    property whose range is kgb:Organisation is checked with it through sh:node from the
    shapes of the classes whose canonical descriptions use it."""
    node = URIRef(KGBSH + "OrganisationValueShape")
    assert not [
        p for p in (SH.targetObjectsOf, SH.targetClass, SH.targetNode) if shapes.value(node, p)
    ]
    users = {shapes.value(ps, SH.path) for ps in shapes.subjects(SH.node, node)}
    assert users == set(onto.subjects(RDFS.range, KGB.Organisation))


def test_actor_kind_list_is_the_actor_kinds_of_the_models(shapes: Graph):
    qualified = shapes.value(URIRef(KGBSH + "actor-kind"), SH.qualifiedValueShape)
    assert isinstance(qualified, BNode)
    assert rdf_list(shapes, shapes.value(qualified, SH["in"])) == {
        KGB[kind.value] for kind in models.ActorKind
    }


def test_the_ontology_code_lists_conform_to_the_code_list_shapes(shapes: Graph, onto: Graph):
    conforms, _, text = validate(onto, shapes)
    assert conforms, text


# ---- examples


def test_there_are_enough_examples():
    assert len(GOOD) >= 2
    assert len(BAD) >= 8


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_good_example_conforms(path: Path, shapes: Graph):
    conforms, _, text = validate(Graph().parse(path, format="turtle"), shapes)
    assert conforms, text


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_good_example_evidence_matches_the_article_text(path: Path):
    """Offsets in the examples are honest: exact == text[start:end], and so on."""
    g = Graph().parse(path, format="turtle")
    for ev in g.subjects(RDF.type, KGB.Evidence):
        text = str(g.value(g.value(ev, KGB.inArticle), KGB.text))
        start, end = g.value(ev, KGB.start).toPython(), g.value(ev, KGB.end).toPython()
        s_start = g.value(ev, KGB.sentenceStart).toPython()
        s_end = g.value(ev, KGB.sentenceEnd).toPython()
        assert text[start:end] == str(g.value(ev, KGB.exact)), ev
        assert text[s_start:s_end] == str(g.value(ev, KGB.sentence)), ev


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_bad_example_fails_on_the_expected_path(path: Path, shapes: Graph):
    conforms, report, text = validate(Graph().parse(path, format="turtle"), shapes)
    assert not conforms, f"{path.name} should not conform"
    assert result_keys(report) == expected_keys(path), text


def test_every_actor_class_the_emitter_writes_is_exercised_by_a_good_example():
    typed = set()
    for path in GOOD:
        typed |= set(Graph().parse(path, format="turtle").objects(None, RDF.type))
    kinds = {KGB[kind.value] for kind in models.ActorKind}
    assert kinds - typed == set()
