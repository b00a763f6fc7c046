"""From an extraction to RDF, and the SHACL gate every graph passes before it is stored.

Reads an :class:`~kg_builder.models.Extraction`; produces the article's triples (or an
``rdflib.Graph``), their N-Triples, the canonical descriptions and histories derived from
what articles say, and validation reports.

* :mod:`~kg_builder.rdf.vocab` — every ontology term the emitter writes, bound once
* :mod:`~kg_builder.rdf.iris` — deterministic, readable IRIs
* :mod:`~kg_builder.rdf.emit` — ``Extraction`` → the article graph's triples
* :mod:`~kg_builder.rdf.claims` — what articles say of shared entities, as plain data
* :mod:`~kg_builder.rdf.entities` — the rules for one canonical description per entity
* :mod:`~kg_builder.rdf.history` — demands and agreements followed across articles
* :mod:`~kg_builder.rdf.ntriples` — triples → sorted N-Triples
* :mod:`~kg_builder.rdf.shapes` — the SHACL shapes, loaded once, in an equivalent faster form
* :mod:`~kg_builder.rdf.validate` — the gate: a graph, a batch, an RDF file → reports
"""
