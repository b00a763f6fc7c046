"""Which graphs a remote query reads, so that it gives the same rows wherever the graph lives.

The shipped queries need no ``GRAPH`` clause: every fact reaches its article through
``prov:wasDerivedFrom``, and its actors' one name and the code lists' labels are joined by
IRI, whichever graph holds them. They need one thing of the server: a default graph that
holds *all* our triples. Where that is depends on how the data got there:

* ``push --mode default``, or the merged Turtle export loaded as it is: the server's own
  default graph; so too on servers whose default graph is the union of all graphs
  (GraphDB/RDF4J, Oxigraph ``--union-default-graph``, Fuseki ``unionDefaultGraph``);
* ``push`` per article or ``--mode single``: named graphs, which the default graph of
  Oxigraph and Fuseki does not see.

:func:`~kg_builder.remote.sparql.resolve_dataset` asks the server once before a query
(``ASK``: does the default graph hold articles and the ontology?) and, if not, names the
union of the graphs with the SPARQL 1.1 Protocol's dataset parameters — never by
rewriting the query:

1. the server's own switch for "all graphs", cheap on large stores because the engine
   reads its quad indexes once (Oxigraph ``union-default-graph``, Fuseki
   ``default-graph-uri=urn:x-arq:UnionGraph``), tried for the server the URL suggests
   first and checked by the same ``ASK``;
2. else every named graph as a ``default-graph-uri`` (portable, but the engine then
   looks each pattern up graph by graph: slow on a store of many thousands of graphs).

A pure-SPARQL alternative (``{ tp } UNION { GRAPH ?g { tp } }`` for every triple pattern)
was rejected: it doubles every join and counts a triple once per graph that holds it.
The queries themselves are written to be immune to that count anyway (``SELECT
DISTINCT``, ``COUNT(DISTINCT …)``): a union default graph is a multiset in Oxigraph and
RDF4J, a set in Jena.

This module holds the datasets; :mod:`~kg_builder.remote.sparql` asks the server.

Example:
    >>> UNION_SWITCHES["oxigraph"].params
    (('union-default-graph', ''),)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kg_builder.rdf.vocab import KGB

#: True when a dataset holds what the shipped queries read: articles and the ontology.
PROBE = (
    f"ASK {{ ?article a <{KGB.Article}> . "
    f"?class <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{KGB.Actor}> }}"
)

#: Named graphs on the server (cheap: engines list graph names without reading quads).
LIST_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"


@dataclass(frozen=True, slots=True)
class Dataset:
    """The RDF dataset of a remote query, as SPARQL 1.1 Protocol parameters.

    Attributes:
        how: What the default graph is, in words.
        params: ``(name, value)`` request parameters (``default-graph-uri`` …); none for
            the server's own default graph.
    """

    how: str
    params: tuple[tuple[str, str], ...] = ()


#: The server's own default graph.
SERVER_DEFAULT = Dataset("the server's default graph")

#: Server switches that make the default graph the union of all graphs, by layout.
UNION_SWITCHES: dict[str, Dataset] = {
    "oxigraph": Dataset("the union of all graphs (Oxigraph)", (("union-default-graph", ""),)),
    "fuseki": Dataset(
        "the union of the named graphs (Jena/Fuseki)",
        (("default-graph-uri", "urn:x-arq:UnionGraph"),),
    ),
}


def graphs(iris: Iterable[str]) -> Dataset:
    """A default graph that is the merge of the named graphs ``iris`` (``default-graph-uri``).

    Example:
        >>> graphs(["https://example.org/g"]).params
        (('default-graph-uri', 'https://example.org/g'),)
    """
    names = tuple(iris)
    return Dataset(
        f"the merge of {len(names)} named graph(s)",
        tuple(("default-graph-uri", iri) for iri in names),
    )
