"""The embedded store: pyoxigraph on disk, one named graph per article, and what reads it.

Reads article graphs as N-Triples (:class:`GraphWrite`); keeps beside them the entity graph
(one canonical description per shared entity, demand and agreement histories) and the
ontology graph; produces query tables, histories, exports and validation reports.

* :mod:`~kg_builder.store.embedded` — open, replace graphs (all or nothing), count, dump
* :mod:`~kg_builder.store.entities` — write article graphs and keep the entity graph up to date
* :mod:`~kg_builder.store.ontology` — the ontology and its code lists as a named graph
* :mod:`~kg_builder.store.query` — shipped and user SPARQL SELECT queries → tables
* :mod:`~kg_builder.store.history` — what became of an agreement or a demand
* :mod:`~kg_builder.store.export` — Turtle, N-Triples, TriG, N-Quads, JSON-LD
* :mod:`~kg_builder.store.validate` — each stored graph, their union, or an RDF file
"""

from kg_builder.store.embedded import (
    PENDING_FILE,
    GraphWrite,
    dump_graph_ntriples,
    graph_counts,
    open_store,
    replace_graphs,
    run_query,
)
from kg_builder.store.export import EXPORT_FORMATS, export

__all__ = [
    "EXPORT_FORMATS",
    "PENDING_FILE",
    "GraphWrite",
    "dump_graph_ntriples",
    "export",
    "graph_counts",
    "open_store",
    "replace_graphs",
    "run_query",
]
