"""Validate what is stored: each named graph of a store, or its union, or an RDF file."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from kg_builder.rdf.shapes import load_shapes
from kg_builder.rdf.validate import Report, validate_file, validate_graph
from kg_builder.store.embedded import dump_graph_ntriples, open_store


def validate_path(
    path: str | Path, shapes_path: str | None = None, *, union: bool = False
) -> dict[str, Report]:
    """Validate a store (each named graph on its own, or their union) or an RDF file.

    Each article graph is checked as at ingest, with the entity descriptions it implies
    (see :mod:`kg_builder.rdf.validate`); the entity and ontology graphs as they are.
    With ``union``, the union of all the store's graphs (what the merged Turtle export
    holds) is checked exactly as it is, in one pyshacl run: it must conform too, with one
    class and one name per entity. That run holds the whole store in memory (rdflib, about
    1 KB per triple); on a large store, validate an export in a native engine instead.

    Returns:
        Reports keyed by graph IRI (store, TriG, N-Quads), by file name, or, for a
        store's union, by ``"union of N graphs in PATH"``.

    Raises:
        StoreError: ``path`` is a folder that is not a store.
        InputError: the file does not exist or does not parse.
        OntologyError: the shapes cannot be loaded.
    """
    shapes = load_shapes(shapes_path)
    path = Path(path)
    if not path.is_dir():
        return validate_file(path, shapes, union=union)
    store = open_store(path, read_only=True)
    graphs = sorted(g.value for g in store.named_graphs())
    if union:
        quads = store.quads_for_pattern(None, None, None, None)
        data = Graph()
        data.parse(data=_ntriples(quads), format="nt")
        report = validate_graph(data, shapes, entities=False)
        return {f"union of {len(graphs)} graphs in {path}": report}
    reports = {}
    for graph in graphs:
        data = Graph()
        data.parse(data=dump_graph_ntriples(store, graph), format="nt")
        reports[graph] = validate_graph(data, shapes)
    return reports


def _ntriples(quads) -> str:
    return "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads)
