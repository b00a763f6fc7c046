"""The SHACL gate as a library: reports, files, stores, and broken shapes."""

from __future__ import annotations

from pathlib import Path

import pytest
from golden_io import load_extraction
from rdflib import RDF, Dataset, Graph, URIRef

from kg_builder.errors import InputError, OntologyError
from kg_builder.rdf.emit import emit
from kg_builder.rdf.entities import local_entities
from kg_builder.rdf.ntriples import to_ntriples
from kg_builder.rdf.shapes import load_shapes
from kg_builder.rdf.validate import validate_graph
from kg_builder.rdf.vocab import KGB
from kg_builder.store import GraphWrite, open_store, replace_graphs
from kg_builder.store.validate import validate_path

GOLDEN = Path(__file__).parent / "golden" / "full" / "input.json"


@pytest.fixture(scope="module")
def good() -> Graph:
    """The golden article's graph with the entity descriptions it implies: a graph that
    conforms on its own, as the union of a store holding only this article does."""
    graph = emit(load_extraction(GOLDEN))
    for triple in local_entities(graph):
        graph.add(triple)
    return graph


def _demand(good: Graph) -> str:
    return str(min(good.subjects(RDF.type, KGB.Demand)))


def _broken(good: Graph) -> Graph:
    bad = Graph()
    for t in good:
        if str(t[0]) == _demand(good) and t[1].endswith("#demander"):
            continue  # a demand without a demander
        bad.add(t)
    return bad


def test_report_names_focus_node_path_and_message(good: Graph) -> None:
    report = validate_graph(_broken(good))
    assert not report.conforms
    (v,) = [v for v in report.violations if v.path.endswith("#demander>")]
    assert v.focus == _demand(good) and v.severity == "Violation" and v.message
    assert _demand(good) in report.summary()


def test_store_is_validated_graph_by_graph(tmp_path: Path, good: Graph) -> None:
    store = open_store(tmp_path / "s")
    replace_graphs(
        store,
        [
            GraphWrite("https://example.org/g/good", to_ntriples(good)),
            GraphWrite("https://example.org/g/bad", to_ntriples(_broken(good))),
        ],
    )
    del store
    reports = validate_path(tmp_path / "s")
    assert {g: r.conforms for g, r in reports.items()} == {
        "https://example.org/g/bad": False,
        "https://example.org/g/good": True,
    }


def test_trig_file_is_validated_graph_by_graph(tmp_path: Path, good: Graph) -> None:
    ds = Dataset()
    for name, graph in (("good", good), ("bad", _broken(good))):
        g = ds.graph(URIRef(f"https://example.org/g/{name}"))
        for t in graph:
            g.add(t)
    path = tmp_path / "data.trig"
    ds.serialize(path, format="trig")
    reports = validate_path(path)
    assert reports["https://example.org/g/good"].conforms
    assert not reports["https://example.org/g/bad"].conforms


def test_missing_or_unparsable_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        validate_path(tmp_path / "none.ttl")
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle")
    with pytest.raises(InputError, match="does not parse"):
        validate_path(bad)


def test_shapes_file_without_shapes_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("<urn:a> <urn:b> <urn:c> .")
    with pytest.raises(OntologyError, match="no sh:NodeShape"):
        load_shapes(str(empty))


# ---- the targeted form handed to pyshacl gives the same results as the shapes file

EXAMPLES = sorted((Path(__file__).parents[1] / "ontology" / "examples").glob("*.ttl"))


def _results(data: Graph, shapes: Graph) -> set[tuple]:
    import pyshacl
    from rdflib.namespace import RDF, SH

    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    keys = (
        SH.focusNode,
        SH.resultPath,
        SH.sourceShape,
        SH.sourceConstraintComponent,
        SH.value,
        SH.resultMessage,
    )
    return {
        tuple(report.value(r, k) for k in keys)
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }


def _with_faults(good: Graph) -> Graph:
    """The golden graph with one fault of each kind a property shape catches."""
    from rdflib import Literal
    from rdflib.namespace import RDF, XSD

    from kg_builder.rdf import vocab as V

    bad = _broken(good)
    person = next(bad.subjects(RDF.type, V.Person))
    bad.add((person, V.name, Literal("second name")))  # maxCount
    evidence = next(bad.subjects(RDF.type, V.Evidence))
    bad.set((evidence, V.start, Literal(-1, datatype=XSD.integer)))  # minInclusive
    meeting = next(bad.subjects(RDF.type, V.Meeting))
    bad.add((meeting, V.participant, URIRef("https://example.org/not-typed")))  # value shape
    return bad


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_targeted_form_gives_the_same_results_on_every_example(path: Path) -> None:
    from kg_builder.rdf.shapes import targeted_form

    shapes = load_shapes()
    data = Graph().parse(path, format="turtle")
    assert _results(data, targeted_form(shapes)) == _results(data, shapes)


def test_targeted_form_gives_the_same_results_on_emitted_graphs(good: Graph) -> None:
    from kg_builder.rdf.shapes import targeted_form

    shapes, targeted = load_shapes(), targeted_form(load_shapes())
    faulty = _with_faults(good)
    assert _results(good, targeted) == _results(good, shapes) == set()
    expected = _results(faulty, shapes)
    assert len(expected) >= 4
    assert _results(faulty, targeted) == expected


def test_targeted_form_moves_targets_but_keeps_value_shapes_nested() -> None:
    from rdflib.namespace import SH

    from kg_builder.rdf.shapes import targeted_form

    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
        ex:Targeted a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:p , ex:shared .
        ex:Value a sh:NodeShape ; sh:property ex:v , ex:shared .
        ex:UsesValue a sh:NodeShape ; sh:targetClass ex:D ; sh:node ex:Value .
        ex:Off a sh:NodeShape ; sh:targetClass ex:E ; sh:deactivated true ; sh:property ex:o .
        ex:p a sh:PropertyShape ; sh:path ex:a ; sh:minCount 1 .
        ex:v a sh:PropertyShape ; sh:path ex:b ; sh:minCount 1 .
        ex:o a sh:PropertyShape ; sh:path ex:c ; sh:minCount 1 .
        ex:shared a sh:PropertyShape ; sh:path ex:d ; sh:maxCount 1 .
        """,
        format="turtle",
    )
    ex = "https://example.org/"
    out = targeted_form(shapes)
    assert set(out.objects(URIRef(ex + "p"), SH.targetClass)) == {URIRef(ex + "C")}
    assert set(out.objects(URIRef(ex + "shared"), SH.targetClass)) == {URIRef(ex + "C")}
    assert not set(out.objects(URIRef(ex + "Targeted"), SH.property))
    assert set(out.objects(URIRef(ex + "Value"), SH.property)) == {
        URIRef(ex + "v"),
        URIRef(ex + "shared"),
    }
    assert not set(out.objects(URIRef(ex + "v"), SH.targetClass))
    assert (URIRef(ex + "Off"), SH.property, URIRef(ex + "o")) in out
    assert (URIRef(ex + "Targeted"), SH.property, URIRef(ex + "p")) in shapes  # input unchanged


# ---- a batch is validated as the disjoint union of its graphs


def _triples(g: Graph) -> tuple:
    return tuple(g)


def test_batch_reports_equal_one_by_one_reports(good: Graph) -> None:
    from kg_builder.rdf.validate import validate_batch

    graphs = [Graph().parse(p, format="turtle") for p in EXAMPLES] + [good, _with_faults(good)]
    batch = validate_batch([_triples(g) for g in graphs])
    one_by_one = [validate_graph(g) for g in graphs]
    assert batch == one_by_one
    assert any(r.conforms for r in batch) and not all(r.conforms for r in batch)


def test_batch_of_conforming_graphs_conforms(good: Graph) -> None:
    from kg_builder.rdf.validate import validate_batch

    examples = [Graph().parse(p, format="turtle") for p in EXAMPLES if p.name.startswith("good")]
    reports = validate_batch([_triples(g) for g in [good, *examples, good]])
    assert [r.conforms for r in reports] == [True] * (len(examples) + 2)


def test_one_graph_cannot_make_another_conform(good: Graph) -> None:
    """Article A names an actor it does not type; article B types the same actor IRI.
    Merged naively, B's triples would satisfy A's constraint."""
    from rdflib.namespace import RDF

    from kg_builder.rdf import vocab as V
    from kg_builder.rdf.validate import validate_batch

    demand = next(good.subjects(RDF.type, V.Demand))
    demander = next(good.objects(demand, V.demander))
    described = set(good.subjects(V.describes, demander))
    untyped = Graph()
    for t in good:
        if not (t[0] == demander and t[1] == RDF.type) and t[0] not in described:
            untyped.add(t)
    assert not validate_graph(untyped).conforms
    reports = validate_batch([_triples(untyped), _triples(good)])
    assert [r.conforms for r in reports] == [False, True]
    assert reports[0] == validate_graph(untyped)


def test_shapes_that_read_iri_spelling_are_applied_graph_by_graph() -> None:
    from kg_builder.rdf.shapes import rename_safe_terms

    def shapes(body: str) -> Graph:
        prefixes = (
            "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> ."
            " @prefix xsd: <http://www.w3.org/2001/XMLSchema#> ."
        )
        return Graph().parse(data=prefixes + body, format="turtle")

    assert rename_safe_terms(load_shapes()) is not None
    literal_pattern = "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P ."
    literal_pattern += ' ex:P sh:path ex:p ; sh:datatype xsd:string ; sh:pattern "^a" .'
    assert rename_safe_terms(shapes(literal_pattern)) is not None
    iri_pattern = 'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:pattern "^https:" .'
    assert rename_safe_terms(shapes(iri_pattern)) is None
    target_node = "ex:S a sh:NodeShape ; sh:targetNode ex:n ; sh:property ex:P ."
    target_node += " ex:P sh:path ex:p ; sh:minCount 1 ."
    assert rename_safe_terms(shapes(target_node)) is None
    inverse = "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P ."
    inverse += " ex:P sh:path [ sh:inversePath ex:p ] ; sh:maxCount 1 ."
    assert rename_safe_terms(shapes(inverse)) is None
