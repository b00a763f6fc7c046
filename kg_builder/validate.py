"""The SHACL gate: every article graph is checked against ``ontology/shapes.ttl``.

A non-conforming graph is a result (a :class:`Report`), not an exception. The shapes
(and the ontology, to check that it parses) are loaded once per process.
"""

from __future__ import annotations

import functools
import weakref
from dataclasses import dataclass
from pathlib import Path

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from kg_builder.errors import OntologyError
from kg_builder.resources import ontology_file, shapes_file


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL result: which node, which property, what is wrong."""

    focus: str
    path: str
    message: str
    severity: str


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of validating one graph."""

    conforms: bool
    violations: tuple[Violation, ...] = ()

    def summary(self, limit: int = 5) -> str:
        lines = [f"{v.focus} {v.path}: {v.message}" for v in self.violations[:limit]]
        if len(self.violations) > limit:
            lines.append(f"... and {len(self.violations) - limit} more")
        return "\n".join(lines)


def _parse(path: Path, what: str) -> Graph:
    g = Graph()
    try:
        g.parse(path, format="turtle")
    except FileNotFoundError as exc:
        raise OntologyError(f"the {what} file {path} is missing") from exc
    except Exception as exc:  # rdflib raises many parser-specific types
        raise OntologyError(f"the {what} file {path} does not parse as Turtle: {exc}") from exc
    return g


@functools.lru_cache(maxsize=4)
def load_shapes(path: str | None = None) -> Graph:
    """Parse the shapes graph (default: the shipped one); also checks the ontology parses.

    Raises:
        OntologyError: either file is missing or is not valid Turtle, or has no shapes.
    """
    shapes = _parse(Path(path) if path else shapes_file(), "SHACL shapes")
    if not any(shapes.triples((None, RDF.type, SH.NodeShape))):
        raise OntologyError(
            f"the SHACL shapes file {path or shapes_file()} defines no sh:NodeShape"
        )
    if path is None:
        _parse(ontology_file(), "ontology")
    return shapes


def validate_graph(data: Graph, shapes: Graph | None = None) -> Report:
    """Validate one data graph with pyshacl (SHACL Core, no inference).

    ``shapes`` is handed to pyshacl in the equivalent form of :func:`targeted_form`
    (prepared once per shapes graph), which pyshacl evaluates several times faster.

    >>> validate_graph(Graph()).conforms
    True
    """
    shapes = shapes if shapes is not None else load_shapes()
    conforms, results, _ = pyshacl.validate(
        data,
        shacl_graph=_prepared(shapes),
        inference="none",
        advanced=False,
        allow_warnings=True,
        abort_on_first=False,
    )
    if conforms:
        return Report(True)
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        violations.append(
            Violation(
                focus=str(results.value(result, SH.focusNode) or ""),
                path=_term(results.value(result, SH.resultPath)),
                message=str(results.value(result, SH.resultMessage) or ""),
                severity=str(results.value(result, SH.resultSeverity) or "").rsplit("#", 1)[-1],
            )
        )
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    blocking = any(v.severity == "Violation" for v in violations)
    return Report(not blocking, tuple(violations))


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
#: Predicates whose object is a shape evaluated against *value* nodes, not targets.
_SHAPE_REFERENCES = (SH.node, SH["not"], SH.qualifiedValueShape)
_SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)

_PREPARED: weakref.WeakKeyDictionary[Graph, Graph] = weakref.WeakKeyDictionary()


def _prepared(shapes: Graph) -> Graph:
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
    for shape in sorted(set(shapes.subjects(SH.property, None))):
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


def _term(node) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return node.n3()
    return str(node)


_FILE_FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".trig": "trig",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
}


def validate_path(path: str | Path, shapes_path: str | None = None) -> dict[str, Report]:
    """Validate a store (each named graph on its own) or an RDF file.

    Returns:
        Reports keyed by graph IRI (store, TriG, N-Quads) or by file name.

    Raises:
        StoreError: ``path`` is a folder that is not a store.
        InputError: the file does not exist or does not parse.
        OntologyError: the shapes cannot be loaded.
    """
    from kg_builder.errors import InputError
    from kg_builder.store import dump_graph_ntriples, open_store

    shapes = load_shapes(shapes_path)
    path = Path(path)
    if path.is_dir():
        store = open_store(path, read_only=True)
        reports = {}
        for graph in sorted(g.value for g in store.named_graphs()):
            data = Graph()
            data.parse(data=dump_graph_ntriples(store, graph), format="nt")
            reports[graph] = validate_graph(data, shapes)
        return reports
    if not path.is_file():
        raise InputError(str(path), "no such file or store folder")
    fmt = _FILE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(str(path), f"unknown RDF file type; use one of {', '.join(_FILE_FORMATS)}")
    try:
        if fmt in ("trig", "nquads"):
            from rdflib import Dataset

            ds = Dataset()
            ds.parse(path, format=fmt)
            return {
                str(g.identifier): validate_graph(_copy(g), shapes) for g in ds.graphs() if len(g)
            }
        data = Graph()
        data.parse(path, format=fmt)
    except Exception as exc:  # parser-specific exception types
        raise InputError(str(path), f"does not parse as {fmt}: {exc}") from exc
    return {str(path): validate_graph(data, shapes)}


def _copy(graph: Graph) -> Graph:
    g = Graph()
    for t in graph:
        g.add(t)
    return g
