"""Talking to triplestores over the SPARQL 1.1 protocols, and serving the local store.

Reads the embedded store; produces remote graphs (Graph Store HTTP Protocol), remote
query tables, and a local SPARQL endpoint.

* :mod:`~kg_builder.remote.endpoint` — endpoint URLs by server layout, credentials
* :mod:`~kg_builder.remote.http` — requests with retries, server messages, status errors
* :mod:`~kg_builder.remote.dataset` — which graphs a remote query reads (layout-independent)
* :mod:`~kg_builder.remote.sparql` — SELECT queries against an endpoint, with parameters
* :mod:`~kg_builder.remote.graph_store` — PUT/POST of graphs (Graph Store Protocol), N-Quads
  POSTs to the dataset and DROP updates
* :mod:`~kg_builder.remote.bodies` — request bodies: graphs in bounded chunks
* :mod:`~kg_builder.remote.push` — the store → a triplestore, verified graph by graph
  (:mod:`~kg_builder.remote.push_gsp`, :mod:`~kg_builder.remote.push_bulk` send,
  :mod:`~kg_builder.remote.push_verify` counts, :mod:`~kg_builder.remote.push_report`)
* :mod:`~kg_builder.remote.serve` — ``oxigraph serve`` over the embedded store
"""
