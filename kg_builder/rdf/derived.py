"""Derived lookup data on canonical descriptions: name keys and article counts.

Queries read these instead of computing them from every description in the store:

* ``kgb:nameKey``: each name and alias of an entity, lower-cased (``LCASE`` in SPARQL,
  ``str.lower`` here: both the Unicode default lower-casing). A query's ``actor``
  parameter, lower-cased, then matches one indexed value, where matching a name "in any
  case" otherwise reads every name in the store.
* ``kgb:articleCount``: the number of distinct articles a history's steps
  (a tracked demand's, an agreement's) rest on, which ``demand-history`` and
  ``agreement-history`` filter and show.

Both are computed from the canonical triples of the entities themselves (in the entity
graph for shared entities, by ``kg_builder.store.entities``; in the article graph for
article-scoped ones, by the emitter), so they are recomputed whenever the entity is: an
article replaced or removed changes them as it changes the entity's names and steps.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg_builder.rdf import vocab as V
from kg_builder.rdf.claims import Triple


def derived_triples(triples: Iterable[Triple]) -> list[Triple]:
    """The name keys and article counts of the canonical descriptions in ``triples``.

    Example:
        >>> from rdflib import URIRef, Literal
        >>> e = URIRef("https://example.org/actor/ostria")
        >>> [str(o) for _, _, o in derived_triples([(e, V.name, Literal("Ostria"))])]
        ['ostria']
    """
    keys: dict[URIRef, set[str]] = {}
    steps: dict[URIRef, set[URIRef]] = {}
    step_article: dict[URIRef, set[URIRef | Literal]] = {}
    for s, p, o in triples:
        if p in (V.name, V.alias) and isinstance(o, Literal):
            keys.setdefault(s, set()).add(str(o).lower())
        elif p == V.step and isinstance(o, URIRef):
            steps.setdefault(s, set()).add(o)
        elif p == V.wasDerivedFrom:
            step_article.setdefault(s, set()).add(o)
    out: list[Triple] = [
        (s, V.nameKey, Literal(key)) for s in sorted(keys) for key in sorted(keys[s])
    ]
    for history in sorted(steps):
        articles = set().union(*(step_article.get(s, set()) for s in steps[history]))
        if articles:
            count = Literal(len(articles), datatype=XSD.integer)
            out.append((history, V.articleCount, count))
    return out
