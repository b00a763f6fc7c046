"""The SHACL shapes: loaded once per process, and rewritten into equivalent, faster forms.

:func:`load_shapes` parses ``ontology/shapes.ttl`` (and checks that the ontology parses);
:func:`targeted_form` gives pyshacl the same shapes with each property shape carrying its
node shape's targets; :func:`rename_safe_terms` tells whether a batch may be validated as
the disjoint union of its graphs.
"""

from __future__ import annotations

import functools
import weakref
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from kg_builder.errors import OntologyError
from kg_builder.resources import ontology_file, shapes_file


def _parse(path: Path, what: str) -> Graph:
    g = Graph()
    try:
        g.parse(path, format="turtle")
    except FileNotFoundError as exc:
        raise OntologyError(f"the {what} file {path} is missing") from exc
    except Exception as exc:  # rdflib raises many parser-specific types
        raise OntologyError(f"the {what} file {path} does not parse as Turtle: {exc}") from exc
    return g


def load_shapes(path: str | None = None) -> Graph:
    """Parse the shapes graph (default: the shipped one); also checks the ontology parses.

    Parsed once per path: ``load_shapes()`` and ``load_shapes(None)`` give the same graph
    (and so share the compiled native shapes).

    Raises:
        OntologyError: either file is missing or is not valid Turtle, or has no shapes.
    """
    return _load_shapes(path or None)


@functools.lru_cache(maxsize=4)
def _load_shapes(path: str | None) -> Graph:
    shapes = _parse(Path(path) if path else shapes_file(), "SHACL shapes")
    if not any(shapes.triples((None, RDF.type, SH.NodeShape))):
        raise OntologyError(
            f"the SHACL shapes file {path or shapes_file()} defines no sh:NodeShape"
        )
    if path is None:
        _parse(ontology_file(), "ontology")
    return shapes


#: Constraints that read a node's string form: renaming an IRI could make them pass.
_STRING_FACETS = (SH.pattern, SH.minLength)


#: Features under which a graph's nodes could be reached from, or merged with, another's.
_NOT_LOCAL = (SH.targetNode, SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.sparql)


@functools.lru_cache(maxsize=8)
def _rename_safe_cached(shapes: Graph) -> frozenset[Node] | None:
    if any(True for p in _NOT_LOCAL for _ in shapes.subject_objects(p)):
        return None
    for p in _STRING_FACETS:
        for shape in shapes.subjects(p, None):
            literal_only = shapes.value(shape, SH.datatype) is not None or (
                shapes.value(shape, SH.nodeKind) == SH.Literal
            )
            if not literal_only:
                return None
    return frozenset(t for t in shapes.all_nodes() if not isinstance(t, Literal))


def rename_safe_terms(shapes: Graph) -> frozenset[Node] | None:
    """The terms of ``shapes`` (never renamed), or None when renaming is not safe.

    Renaming is safe when constraints only follow a node's own outgoing triples and
    never read an IRI's spelling: no sh:targetNode, inverse or transitive paths, or
    SPARQL constraints, and every sh:pattern or sh:minLength sits in a shape that only
    admits literals (sh:datatype, or sh:nodeKind sh:Literal), whose spelling is kept.
    """
    return _rename_safe_cached(shapes)


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


#: Predicates whose object is a shape evaluated against *value* nodes, not targets.
_SHAPE_REFERENCES = (SH.node, SH["not"], SH.qualifiedValueShape)


_SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)


_PREPARED: weakref.WeakKeyDictionary[Graph, Graph] = weakref.WeakKeyDictionary()


def prepared_form(shapes: Graph) -> Graph:
    """:func:`targeted_form` of ``shapes``, computed once per shapes graph."""
    prepared = _PREPARED.get(shapes)
    if prepared is None:
        prepared = _PREPARED[shapes] = targeted_form(shapes)
    return prepared


def targeted_form(shapes: Graph) -> Graph:
    """The same shapes with each property shape carrying its node shape's targets.

    pyshacl evaluates ``S sh:property P`` by validating P once per focus node of S,
    rebuilding P's constraint objects every time; a property shape with targets of its
    own is evaluated once for all its focus nodes. Validating f against S's property
    shapes is, by definition (SHACL 1.0, sections 2.1.3 and 4.8.2), validating f against
    each P, with the same results (same focus node, path, source shape and message), so
    moving S's targets onto P changes no result. On the graphs of the 13 dev articles
    (about 850 triples each) pyshacl takes 23-25 ms per graph with this form and 61-67 ms
    with the shapes file as written.

    A node shape is left as it is when it is deactivated, has no targets, or is also used
    as a value shape (sh:node, sh:not, sh:and/or/xone, sh:qualifiedValueShape), since
    there its property shapes must still be evaluated against value nodes.
    """
    out = Graph()
    for triple in shapes:
        out.add(triple)
    for prefix, namespace in shapes.namespaces():
        out.bind(prefix, namespace, override=False)
    referenced = {o for p in _SHAPE_REFERENCES for o in shapes.objects(None, p)}
    for p in _SHAPE_LISTS:
        for head in shapes.objects(None, p):
            referenced.update(shapes.items(head))
    for shape in sorted(set(shapes.subjects(SH.property, None)), key=str):
        if shape in referenced or shapes.value(shape, SH.deactivated) == _TRUE:
            continue
        targets = [(p, o) for p in _TARGETS for o in shapes.objects(shape, p)]
        if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
            targets.append((SH.targetClass, shape))  # an implicit class target
        if not targets:
            continue
        for prop in list(shapes.objects(shape, SH.property)):
            for p, o in targets:
                out.add((prop, p, o))
            out.remove((shape, SH.property, prop))
    return out


_TRUE = Literal(True)
