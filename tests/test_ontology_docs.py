"""`kg-builder docs`: the ontology's documentation page (pyLODE + shapes + code lists)."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS
from typer.testing import CliRunner

from kg_builder.cli import Exit, app
from kg_builder.errors import OntologyError
from kg_builder.resources import ontology_file, shapes_file
from kg_builder.view.docs import build_docs, docs_html, shape_rows

KGB = "https://w3id.org/kg-builder/ontology#"
CODE = "https://w3id.org/kg-builder/code/"
ALIGNED = (
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/ns/prov#",
    "https://schema.org/",
    "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "http://www.w3.org/2004/02/skos/core#",
    "http://www.w3.org/ns/oa#",
)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_file(), format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(shapes_file(), format="turtle")


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    return build_docs(tmp_path_factory.mktemp("docs"))


@pytest.fixture(scope="module")
def text(page: Path) -> str:
    return html.unescape(page.read_text(encoding="utf-8"))


def own_terms(ontology: Graph) -> list[URIRef]:
    return sorted(
        {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith((KGB, CODE))}
    )


def test_every_ontology_term_appears_with_its_label(ontology: Graph, text: str) -> None:
    terms = own_terms(ontology)
    assert len(terms) > 80
    for term in terms:
        assert str(term) in text, term
        for label in ontology.objects(term, RDFS.label | SKOS.prefLabel):
            assert str(label) in text, (term, str(label))


def test_every_definition_appears(ontology: Graph, text: str) -> None:
    for term in own_terms(ontology):
        for definition in ontology.objects(term, SKOS.definition):
            assert " ".join(str(definition).split()) in " ".join(text.split()), term


def test_alignments_to_other_vocabularies_are_links(ontology: Graph, text: str) -> None:
    pairs = [
        (s, o)
        for p in (RDFS.subClassOf, RDFS.subPropertyOf)
        for s, o in ontology.subject_objects(p)
        if str(s).startswith(KGB) and str(o).startswith(ALIGNED)
    ]
    assert {str(o).split("/")[2] for _, o in pairs} >= {"www.w3.org", "schema.org"}
    for _, super_term in pairs:
        assert f'href="{super_term}"' in text, super_term


def test_the_page_is_the_same_every_time(page: Path, tmp_path: Path) -> None:
    again = build_docs(tmp_path)
    assert again.read_bytes() == page.read_bytes()


def test_a_broken_ontology_fails_at_once(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix kgb: <https://example.org/> .\nkgb:A a \n", encoding="utf-8")
    with pytest.raises(OntologyError, match="broken.ttl"):
        docs_html(broken)
    result = CliRunner().invoke(
        app, ["docs", "-o", str(tmp_path / "out"), "--ontology", str(broken)]
    )
    assert result.exit_code == Exit.USAGE
    assert "does not parse" in result.stderr
    assert not (tmp_path / "out").exists()


def test_docs_command_writes_index_html(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["docs", "-o", str(tmp_path / "site")])
    assert result.exit_code == Exit.OK, result.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    assert "index.html" in result.stderr


# --------------------------------------------------------------------------- as a person sees it


def entity_text(browser, iri: str) -> str:
    """The text of the page's entry whose IRI is ``iri``."""
    return browser.run(
        """
        for (const entity of document.querySelectorAll("div.entity")) {
          const iri = entity.querySelector("table code");
          if (iri && iri.textContent.trim() === arguments[0]) { return entity.innerText; }
        }
        return null;
        """,
        iri,
    )


def test_page_shows_classes_properties_code_lists_and_shapes(
    browser, page: Path, ontology: Graph, shapes: Graph
) -> None:
    browser.open(page, ready="#toc")
    headings = {" ".join(t.split()) for t in browser.texts("div.entity h3")}
    for cls in ontology.subjects(RDF.type, OWL.Class):
        if str(cls).startswith(KGB):
            label = str(ontology.value(cls, RDFS.label))
            assert any(h.startswith(label) for h in headings), label
    toc = " ".join(browser.texts("#toc"))
    assert "Code lists" in toc and "Value shapes" in toc
    codes = " ".join(browser.texts("#codelists"))
    for concept in ontology.subjects(SKOS.inScheme, None):
        assert str(ontology.value(concept, SKOS.notation)) in codes, concept
    names = shapes.namespace_manager
    checked = 0
    for node_shape, cls in shapes.subject_objects(SH.targetClass):
        shown = entity_text(browser, str(cls))
        assert shown is not None, cls
        assert "Shape constraints" in shown, cls
        for path, _, _, message in shape_rows(shapes, node_shape):
            if isinstance(path, URIRef):
                assert path.n3(names) in shown, (cls, path)
            assert " ".join(message.split()) in " ".join(shown.split()), (cls, message)
            checked += 1
    assert checked > 100
