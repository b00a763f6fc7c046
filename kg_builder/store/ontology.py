"""The ontology and its code lists, in the store: one named graph, replaced on upgrade.

Queries read class labels, the class hierarchy (``rdfs:subClassOf*``), the actor classes'
codes (``skos:notation``) and the code lists' ``skos:prefLabel`` from the store instead of
slicing IRIs. Every write loads the shipped ``ontology/kg-builder.ttl`` into the named
graph :data:`ONTOLOGY_GRAPH` when the store has none, or one of another version
(``owl:versionIRI``) or size: a store written by an older kg-builder is upgraded on its
next ingest.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TypeVar

import pyoxigraph as ox

from kg_builder.errors import OntologyError
from kg_builder.rdf.vocab import ONTOLOGY_IRI
from kg_builder.resources import ontology_file

#: The named graph of the ontology: the ontology's own IRI.
ONTOLOGY_GRAPH = ONTOLOGY_IRI

_VERSION_IRI = ox.NamedNode("http://www.w3.org/2002/07/owl#versionIRI")

#: A quad's object (any RDF term).
_Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
#: A quad's subject or object.
_T = TypeVar("_T", ox.NamedNode | ox.BlankNode | ox.Triple, _Term)


@functools.lru_cache(maxsize=1)
def shipped_ontology() -> tuple[ox.Quad, ...]:
    """The shipped ontology's triples, as quads in :data:`ONTOLOGY_GRAPH`.

    Raises:
        OntologyError: the file is missing or does not parse.
    """
    path = ontology_file()
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    names: dict[ox.BlankNode, ox.BlankNode] = {}

    def stable(term: _T) -> _T:
        # The parser names blank nodes at random; number them in the file's order, so
        # that every store holds the same quads (a dump is the same in every run).
        if isinstance(term, ox.BlankNode):
            return names.setdefault(term, ox.BlankNode(f"kgbontology{len(names) + 1}"))
        return term

    try:
        return tuple(
            ox.Quad(stable(q.subject), q.predicate, stable(q.object), graph)
            for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
        )
    except (OSError, SyntaxError) as exc:
        raise OntologyError(f"the ontology file {path} cannot be loaded: {exc}") from exc


def _version(quads: Iterable[ox.Quad]) -> _Term | None:
    for q in quads:
        if q.predicate == _VERSION_IRI:
            return q.object
    return None


def has_ontology(store: ox.Store) -> bool:
    """Whether the store holds an ontology graph (of any version)."""
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    return next(iter(store.quads_for_pattern(None, _VERSION_IRI, None, graph)), None) is not None


def ensure_ontology(store: ox.Store) -> bool:
    """Load (or replace) the ontology graph unless the store has the shipped version.

    Returns:
        True when the graph was written.
    """
    shipped = shipped_ontology()
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    stored = list(store.quads_for_pattern(None, _VERSION_IRI, None, graph))
    if stored and _version(stored) == _version(shipped):
        count = f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"
        result = store.query(count)
        assert isinstance(result, ox.QuerySolutions)  # a SELECT
        if int(next(iter(result))["n"].value) == len(shipped):
            return False
    store.update(f"DROP SILENT GRAPH <{ONTOLOGY_GRAPH}>")
    store.extend(shipped)
    return True
