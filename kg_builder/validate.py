"""The SHACL gate: every article graph is checked against ``ontology/shapes.ttl``.

A non-conforming graph is a result (a :class:`Report`), not an exception. The shapes
(and the ontology, to check that it parses) are loaded once per process.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Iterable, Sequence
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


def validate_batch(graphs: Sequence[Sequence[tuple]], shapes: Graph | None = None) -> list[Report]:
    """Validate several graphs (each given as its triples); one report per graph.

    The graphs are validated together, as their disjoint union, in one pyshacl run:
    every node that is not a term of the shapes graph (a class, a property, a code-list
    concept) is renamed into a scope of its own graph, so no triple of one graph can
    satisfy or break a constraint on another. A SHACL Core shape then sees each focus
    node with exactly the triples of its own graph, and the union conforms exactly when
    every graph does. Only if it does not are the graphs validated one by one, for
    reports with the real node IRIs. pyshacl's per-run overhead is paid once per batch:
    on the dev articles, 23-25 ms per article graph in batches of 32 (building the union
    included) against 29-34 ms one by one (building each graph included).

    Shapes for which renaming could change a result (see :func:`_rename_safe`) are
    always applied graph by graph.
    """
    shapes = shapes if shapes is not None else load_shapes()
    terms = _rename_safe(shapes)
    if len(graphs) < 2 or terms is None:
        return [validate_graph(_graph(g), shapes) for g in graphs]
    union = Graph()
    add = union.add
    for i, triples in enumerate(graphs):
        scope = f"urn:kg-builder:validation:{i}:"
        renamed: dict = {}

        def rename(node, scope=scope, renamed=renamed):
            if isinstance(node, Literal) or node in terms:
                return node
            new = renamed.get(node)
            if new is None:
                new = renamed[node] = type(node)(scope + node)
            return new

        for s, p, o in triples:
            if s in terms:  # a shapes-graph term described by the data: no safe renaming
                return [validate_graph(_graph(g), shapes) for g in graphs]
            add((rename(s), p, rename(o)))
    if validate_graph(union, shapes).conforms:
        return [Report(True)] * len(graphs)
    return [validate_graph(_graph(g), shapes) for g in graphs]


def _graph(triples: Iterable[tuple]) -> Graph:
    """A new stand-alone graph of ``triples`` (also: a copy of a dataset's named graph)."""
    g = Graph()
    for t in triples:
        g.add(t)
    return g


#: Constraints that read a node's string form: renaming an IRI could make them pass.
_STRING_FACETS = (SH.pattern, SH.minLength)
#: Features under which a graph's nodes could be reached from, or merged with, another's.
_NOT_LOCAL = (SH.targetNode, SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.sparql)


@functools.lru_cache(maxsize=8)
def _rename_safe_cached(shapes: Graph) -> frozenset | None:
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


def _rename_safe(shapes: Graph) -> frozenset | None:
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
                str(g.identifier): validate_graph(_graph(g), shapes) for g in ds.graphs() if len(g)
            }
        data = Graph()
        data.parse(path, format=fmt)
    except Exception as exc:  # parser-specific exception types
        raise InputError(str(path), f"does not parse as {fmt}: {exc}") from exc
    return {str(path): validate_graph(data, shapes)}
