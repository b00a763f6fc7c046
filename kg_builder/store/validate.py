"""Validate what is stored: each named graph of a store, or an RDF file, against the shapes."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from kg_builder.rdf.shapes import load_shapes
from kg_builder.rdf.validate import Report, validate_file, validate_graph
from kg_builder.store.embedded import dump_graph_ntriples, open_store


def validate_path(path: str | Path, shapes_path: str | None = None) -> dict[str, Report]:
    """Validate a store (each named graph on its own) or an RDF file.

    Returns:
        Reports keyed by graph IRI (store, TriG, N-Quads) or by file name.

    Raises:
        StoreError: ``path`` is a folder that is not a store.
        InputError: the file does not exist or does not parse.
        OntologyError: the shapes cannot be loaded.
    """
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
    return validate_file(path, shapes)
