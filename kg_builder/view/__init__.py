"""Views of the graph for people: ontology documentation, pictures, and pages to read.

Reads the ontology and shapes (``ontology/``) and the graph, from the embedded store
(through :mod:`kg_builder.store.query`) or a remote SPARQL endpoint (through
:mod:`kg_builder.remote.sparql`); produces self-contained HTML files, PNG screenshots of
them, and the article and actor pages that ``kg-builder serve`` shows.

* :mod:`~kg_builder.view.source` — the store or an endpoint, behind one ``select()``
* :mod:`~kg_builder.view.data` — the view's SPARQL queries (``sparql/*.rq``) → records
* :mod:`~kg_builder.view.docs` — the ontology and shapes → one HTML page (pyLODE)
* :mod:`~kg_builder.view.plots` — the network (vis-network) and timeline (Vega-Lite)
* :mod:`~kg_builder.view.pages` — an article's text with its facts highlighted; an actor
* :mod:`~kg_builder.view.server` — ``serve``: those pages in front of ``oxigraph serve``
* :mod:`~kg_builder.view.browser` — headless Chromium: open a page, check it, screenshot it
* :mod:`~kg_builder.view.render` — the Jinja2 templates (``templates/``)
"""
