"""From an extraction to RDF, and the SHACL gate every graph passes before it is stored.

Reads an :class:`~kg_builder.models.Extraction`; produces the article's triples (or an
``rdflib.Graph``), their N-Triples, and validation reports.

* :mod:`~kg_builder.rdf.vocab` — every ontology term the emitter writes, bound once
* :mod:`~kg_builder.rdf.iris` — deterministic, readable IRIs
* :mod:`~kg_builder.rdf.emit` — ``Extraction`` → triples
* :mod:`~kg_builder.rdf.ntriples` — triples → sorted N-Triples
* :mod:`~kg_builder.rdf.shapes` — the SHACL shapes, loaded once, in an equivalent faster form
* :mod:`~kg_builder.rdf.validate` — the gate: a graph, a batch, an RDF file → reports
"""
