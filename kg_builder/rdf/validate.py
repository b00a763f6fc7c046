"""The SHACL gate: every article graph is checked against ``ontology/shapes.ttl``.

A non-conforming graph is a result (a :class:`Report`), not an exception. The shapes
(and the ontology, to check that it parses) are loaded once per process.

An article graph describes the shared entities it refers to only through its own
``kgb:EntityDescription`` and ``kgb:AgreementReport`` nodes; their one canonical
description lives in the entity graph. So that an article graph can be checked on its
own, validation first adds the canonical descriptions the graph itself implies for the
entities it does not describe (:func:`kg_builder.rdf.entities.local_entities`, what the
entity graph would say were this the only article) — an inference step, as pyshacl's
``inference`` option is. A graph that describes all its entities (a store's union, a
merged export) gains nothing from it; ``entities=False`` turns it off.

pyshacl is the reference engine: :func:`validate_graph` and :func:`validate_batch` run
it, and every report a person reads comes from it. :class:`Gate` is what ingest runs: with
``engine="native"`` the native SHACL Core engine (:mod:`kg_builder.rdf.native`) says
whether each graph (with the entity descriptions it implies) conforms, pyshacl re-checks
each graph it rejects (and writes the report), and a deterministic sample of the graphs
it accepts (``verify_sample``); a disagreement between the two engines is never stored
and is reported as such.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

import pyshacl
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg_builder.errors import ConfigError, InputError
from kg_builder.rdf.entities import local_entities
from kg_builder.rdf.native import NativeResult, native_shapes, untrusted
from kg_builder.rdf.ntriples import to_ntriples
from kg_builder.rdf.shapes import load_shapes, prepared_form, rename_safe_terms

#: The SHACL engines a gate can run: the native one (fast) or pyshacl (the reference).
ENGINES = ("native", "pyshacl")

Triple = tuple[Node, Node, Node]

log = logging.getLogger(__name__)


class Disagreement(StrEnum):
    """The two ways the native engine and pyshacl can disagree on one graph."""

    #: The native engine said "conforms", pyshacl did not: the failure that matters.
    NATIVE_CONFORMS = "native-conforms"
    #: The native engine said "does not conform", pyshacl found nothing.
    PYSHACL_CONFORMS = "pyshacl-conforms"


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL result: which node, which property, what is wrong.

    ``component`` is the local name of the constraint component (``MinCountConstraintComponent``).
    """

    focus: str
    path: str
    message: str
    severity: str
    component: str = ""


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of validating one graph."""

    conforms: bool
    violations: tuple[Violation, ...] = ()
    disagreement: Disagreement | None = None

    def summary(self, limit: int = 5) -> str:
        """The first ``limit`` violations, one per line, for a person."""
        lines = []
        if self.disagreement == Disagreement.NATIVE_CONFORMS:
            lines.append(
                "the native SHACL engine said this graph conforms, pyshacl (the reference) "
                "says it does not; please report this article"
            )
        elif self.disagreement == Disagreement.PYSHACL_CONFORMS:
            lines.append(
                "the native SHACL engine says this graph does not conform, pyshacl (the "
                "reference) finds nothing; not stored; please report this article"
            )
        lines += [f"{v.focus} {v.path}: {v.message}" for v in self.violations[:limit]]
        if len(self.violations) > limit:
            lines.append(f"... and {len(self.violations) - limit} more")
        return "\n".join(lines)


def validate_graph(data: Graph, shapes: Graph | None = None, *, entities: bool = True) -> Report:
    """Validate one data graph with pyshacl (SHACL Core, no RDFS/OWL inference).

    ``shapes`` is handed to pyshacl in the equivalent form of
    :func:`~kg_builder.rdf.shapes.targeted_form` (prepared once per shapes graph), which
    pyshacl evaluates several times faster.

    Args:
        data: The graph (not changed).
        shapes: The shapes (default: the shipped ones).
        entities: First describe the entities ``data`` refers to without describing them
            (see the module docstring); False checks ``data`` exactly as it is.

    >>> validate_graph(Graph()).conforms
    True
    """
    shapes = shapes if shapes is not None else load_shapes()
    if entities:
        implied = local_entities(data)
        if implied:
            data = graph_of([*data, *implied])
    conforms, results, _ = pyshacl.validate(
        data,
        shacl_graph=prepared_form(shapes),
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
                component=_local(results.value(result, SH.sourceConstraintComponent)),
            )
        )
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    blocking = any(v.severity == "Violation" for v in violations)
    return Report(not blocking, tuple(violations))


def validate_batch(
    graphs: Sequence[Sequence[tuple[Node, Node, Node]]], shapes: Graph | None = None
) -> list[Report]:
    """Validate several article graphs (each given as its triples); one report per graph.

    Each graph is first completed with the entity descriptions it implies, as by
    :func:`validate_graph`.

    The graphs are validated together, as their disjoint union, in one pyshacl run:
    every node that is not a term of the shapes graph (a class, a property, a code-list
    concept) is renamed into a scope of its own graph, so no triple of one graph can
    satisfy or break a constraint on another. A SHACL Core shape then sees each focus
    node with exactly the triples of its own graph, and the union conforms exactly when
    every graph does. Only if it does not are the graphs validated one by one, for
    reports with the real node IRIs. pyshacl's per-run overhead is paid once per batch:
    on the dev articles, 23-25 ms per article graph in batches of 32 (building the union
    included) against 29-34 ms one by one (building each graph included).

    Shapes for which renaming could change a result (see
    :func:`~kg_builder.rdf.shapes.rename_safe_terms`) are always applied graph by graph.
    """
    shapes = shapes if shapes is not None else load_shapes()
    terms = rename_safe_terms(shapes)
    graphs = [(*g, *local_entities(g)) for g in graphs]
    if len(graphs) < 2 or terms is None:
        return [validate_graph(graph_of(g), shapes, entities=False) for g in graphs]
    union = Graph()
    add = union.add
    for i, triples in enumerate(graphs):
        scope = f"urn:kg-builder:validation:{i}:"
        renamed: dict[Node, Node] = {}

        def rename(node: Node, scope: str = scope, renamed: dict[Node, Node] = renamed) -> Node:
            if isinstance(node, Literal) or node in terms:
                return node
            new = renamed.get(node)
            if new is None:
                kind = BNode if isinstance(node, BNode) else URIRef
                new = renamed[node] = kind(scope + str(node))
            return new

        for s, p, o in triples:
            if s in terms:  # a shapes-graph term described by the data: no safe renaming
                return [validate_graph(graph_of(g), shapes, entities=False) for g in graphs]
            add((rename(s), p, rename(o)))
    if validate_graph(union, shapes, entities=False).conforms:
        return [Report(True)] * len(graphs)
    return [validate_graph(graph_of(g), shapes, entities=False) for g in graphs]


def validate_triples(
    triples: Sequence[Triple],
    shapes: Graph | None = None,
    *,
    engine: str = "pyshacl",
    concerns: Callable[[Violation], bool] | None = None,
) -> Report:
    """Validate exactly ``triples`` (no entity descriptions implied), as one graph.

    With ``engine="native"`` (and shapes it is trusted with, see
    :func:`~kg_builder.rdf.native.untrusted`) the native engine says whether they conform,
    and pyshacl writes the report of what it rejects, as in :class:`Gate`; otherwise
    pyshacl alone.

    Args:
        triples: The graph.
        shapes: The shapes (default: the shipped ones).
        engine: ``"native"`` or ``"pyshacl"``.
        concerns: Which violations the caller acts on (e.g. those about the nodes it
            writes, not about context nodes given only their class). With the native
            engine, a graph whose violations concern the caller in none of their
            results gets the native engine's report (pyshacl is not run); otherwise
            pyshacl writes the report, as without ``concerns``.
    """
    shapes = shapes if shapes is not None else load_shapes()
    if engine == "native" and not untrusted(shapes):
        with contextlib.suppress(ValueError):  # unparsable: pyshacl decides, as for pyshacl
            native = native_shapes(shapes)
            text = to_ntriples(triples)
            if concerns is None:
                if native.conforms(text):
                    return Report(True)
            else:
                found = tuple(_violation(r) for r in native.results(text))
                blocking = [v for v in found if v.severity == "Violation"]
                if not any(concerns(v) for v in blocking):
                    return Report(not blocking, found)
    return validate_graph(graph_of(triples), shapes, entities=False)


@dataclass(frozen=True, slots=True)
class ArticleGraph:
    """One article graph as the gate sees it.

    Attributes:
        key: The article id: decides, deterministically, whether the graph is in the
            verify sample.
        triples: Its triples (rdflib terms), for pyshacl.
        ntriples: The same triples as N-Triples, for the native engine.
    """

    key: str
    triples: Sequence[Triple]
    ntriples: str


def in_sample(key: str, fraction: float) -> bool:
    """Whether ``key`` falls in a deterministic sample of ``fraction`` of all keys.

    The same key is always in or out, run after run and on any machine.

    >>> in_sample("any-id", 1.0), in_sample("any-id", 0.0)
    (True, False)
    """
    if fraction >= 1:
        return True
    if fraction <= 0:
        return False
    digest = hashlib.blake2b(key.encode("utf-8", "replace"), digest_size=8).digest()
    return int.from_bytes(digest, "big") < fraction * 2**64


class Gate:
    """The SHACL gate of a run: which engine says "conforms", and how it is checked.

    With ``engine="pyshacl"`` this is :func:`validate_batch`. With ``engine="native"``
    the native engine checks each graph; pyshacl re-checks every graph it rejects (its
    report is the one kept) and the graphs it accepts whose key is in the
    ``verify_sample`` fraction. When the two disagree the report does not conform and
    names the :class:`Disagreement`. Shapes that use a SHACL feature the native engine
    was not checked on (:func:`~kg_builder.rdf.native.untrusted`) are validated with
    pyshacl even when the native engine is asked for: ``fallback`` says why, and it is
    logged as a warning.

    Args:
        shapes: The shapes graph (default: the shipped one).
        engine: One of :data:`ENGINES`.
        verify_sample: Fraction (0 to 1) of accepted graphs that pyshacl checks again.

    Raises:
        ConfigError: an unknown engine, a fraction outside 0..1, or a native engine that
            is missing, not the pinned version, or refuses the shapes.

    >>> Gate(engine="pyshacl").check([ArticleGraph("a1", (), "")])[0].conforms
    True
    """

    def __init__(
        self, shapes: Graph | None = None, engine: str = "pyshacl", verify_sample: float = 0.0
    ) -> None:
        if engine not in ENGINES:
            raise ConfigError(f"unknown SHACL engine {engine!r}; use one of {', '.join(ENGINES)}")
        if not 0 <= verify_sample <= 1:  # also rejects NaN
            raise ConfigError(f"--verify-sample must be between 0 and 1, not {verify_sample}")
        self.shapes = shapes if shapes is not None else load_shapes()
        #: Why the gate runs pyshacl although the native engine was asked for (or None).
        self.fallback: str | None = None
        if engine == "native" and untrusted(self.shapes):
            self.fallback = fallback_reason(self.shapes)
            log.warning("%s", self.fallback)
            engine = "pyshacl"
        self.engine = engine
        self.verify_sample = verify_sample
        self.native = native_shapes(self.shapes) if engine == "native" else None

    def check(self, graphs: Sequence[ArticleGraph]) -> list[Report]:
        """One report per graph, in order."""
        if self.native is None:
            return validate_batch([g.triples for g in graphs], self.shapes)
        return [self._check_native(g) for g in graphs]

    def _check_native(self, graph: ArticleGraph) -> Report:
        assert self.native is not None
        data = completed_ntriples(graph.triples, graph.ntriples)
        try:
            native_conforms = self.native.conforms(data)
        except ValueError as exc:  # not N-Triples the store would load either
            reference = validate_graph(graph_of(graph.triples), self.shapes)
            if not reference.conforms:
                return reference
            why = f"the graph is not valid N-Triples, so it cannot be stored: {exc}"
            return Report(False, (Violation("", "", why, "Violation"),))
        if native_conforms:
            if not in_sample(graph.key, self.verify_sample):
                return Report(True)
            reference = validate_graph(graph_of(graph.triples), self.shapes)
            if reference.conforms:
                return reference
            return replace(reference, disagreement=Disagreement.NATIVE_CONFORMS)
        reference = validate_graph(graph_of(graph.triples), self.shapes)
        if not reference.conforms:
            return reference
        found = tuple(_violation(r) for r in self.native.results(data))
        return Report(False, found, Disagreement.PYSHACL_CONFORMS)


def fallback_reason(shapes: Graph) -> str:
    """Why a native gate runs pyshacl on ``shapes`` (see :func:`.native.untrusted`)."""
    return (
        "SHACL gate: pyshacl, since the shapes use "
        f"{', '.join(untrusted(shapes))}, on which the native engine was not checked"
    )


def completed_ntriples(triples: Iterable[Triple], ntriples: str | None = None) -> str:
    """N-Triples of an article graph with the entity descriptions it implies: what the
    native engine validates (pyshacl's :func:`validate_graph` adds the same triples).

    Args:
        triples: The article graph's triples.
        ntriples: Their N-Triples, if already written.
    """
    triples = tuple(triples)
    text = ntriples if ntriples is not None else to_ntriples(triples)
    implied = local_entities(triples)
    return text + to_ntriples(implied) if implied else text


def _violation(result: NativeResult) -> Violation:
    return Violation(
        result.focus.strip("<>"),
        result.path,
        result.message,
        _local(result.severity),
        _local(result.component),
    )


def _local(term: object) -> str:
    """The local name of an IRI (``...#Violation`` → ``Violation``); "" for None."""
    return "" if term is None else str(term).strip("<>").rsplit("#", 1)[-1]


def graph_of(triples: Iterable[tuple[Node, Node, Node]]) -> Graph:
    """A new stand-alone graph of ``triples`` (also: a copy of a dataset's named graph)."""
    g = Graph()
    for t in triples:
        g.add(t)
    return g


def _term(node: Node | None) -> str:
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


def validate_file(
    path: str | Path, shapes: Graph | None = None, *, union: bool = False
) -> dict[str, Report]:
    """Validate an RDF file; a TriG or N-Quads file graph by graph.

    With ``union``, a TriG or N-Quads file is validated as the union of its graphs, and
    any file exactly as it is (no entity descriptions implied: see the module).

    Returns:
        Reports keyed by graph IRI (TriG, N-Quads) or by file name.

    Raises:
        InputError: the file does not exist, has an unknown type, or does not parse.
    """
    shapes = shapes if shapes is not None else load_shapes()
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "no such file or store folder")
    fmt = _FILE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(str(path), f"unknown RDF file type; use one of {', '.join(_FILE_FORMATS)}")
    try:
        if fmt in ("trig", "nquads"):
            ds = Dataset()
            ds.parse(path, format=fmt)
            if union:
                merged = graph_of(q[:3] for q in ds.quads())
                return {str(path): validate_graph(merged, shapes, entities=False)}
            return {
                str(g.identifier): validate_graph(graph_of(g), shapes)
                for g in ds.graphs()
                if len(g)
            }
        data = Graph()
        data.parse(path, format=fmt)
    except Exception as exc:  # parser-specific exception types
        raise InputError(str(path), f"does not parse as {fmt}: {exc}") from exc
    return {str(path): validate_graph(data, shapes, entities=not union)}
