"""The SHACL gate as a library: reports, files, stores, and broken shapes."""

from __future__ import annotations

from pathlib import Path

import pytest
from golden_io import load_extraction
from rdflib import Dataset, Graph, URIRef

from kg_builder.emit import emit
from kg_builder.errors import InputError, OntologyError
from kg_builder.store import GraphWrite, open_store, replace_graphs, to_ntriples
from kg_builder.validate import load_shapes, validate_graph, validate_path

GOLDEN = Path(__file__).parent / "golden" / "full" / "input.json"


@pytest.fixture(scope="module")
def good() -> Graph:
    return emit(load_extraction(GOLDEN))


def _broken(good: Graph) -> Graph:
    bad = Graph()
    for t in good:
        if "demand/1" in str(t[0]) and t[1].endswith("#demander"):
            continue  # a demand without a demander
        bad.add(t)
    return bad


def test_report_names_focus_node_path_and_message(good: Graph) -> None:
    report = validate_graph(_broken(good))
    assert not report.conforms
    (v,) = [v for v in report.violations if v.path.endswith("#demander>")]
    assert v.focus.endswith("/demand/1") and v.severity == "Violation" and v.message
    assert "demand/1" in report.summary()


def test_store_is_validated_graph_by_graph(tmp_path: Path, good: Graph) -> None:
    store = open_store(tmp_path / "s")
    replace_graphs(store, [GraphWrite("https://example.org/g/good", to_ntriples(good)),
                           GraphWrite("https://example.org/g/bad", to_ntriples(_broken(good)))])
    del store
    reports = validate_path(tmp_path / "s")
    assert {g: r.conforms for g, r in reports.items()} == {
        "https://example.org/g/bad": False, "https://example.org/g/good": True}


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
