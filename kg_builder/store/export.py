"""Writing the whole store out: Turtle, N-Triples (merged), TriG, N-Quads, JSON-LD."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg_builder.errors import StoreError
from kg_builder.rdf.vocab import PREFIXES

#: Export formats by the name users type.
EXPORT_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}


#: Formats that hold one graph: the named graphs are merged into it.
_TRIPLE_FORMATS = {"turtle", "ntriples"}


def export(store: ox.Store, fmt: str, output: BinaryIO | str | Path) -> int:
    """Write the whole store in ``fmt`` (see :data:`EXPORT_FORMATS`).

    Triple formats (Turtle, N-Triples) get the union of the article graphs; the
    dataset formats (TriG, N-Quads, JSON-LD) keep one named graph per article.

    Returns:
        The number of triples or quads written.
    """
    if fmt not in EXPORT_FORMATS:
        raise StoreError(
            f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}"
        )
    rdf_format = EXPORT_FORMATS[fmt]
    prefixes = {k: str(v) for k, v in PREFIXES.items()}
    if fmt in _TRIPLE_FORMATS:
        triples = list(_union_triples(store))
        data: list[ox.Triple] | list[ox.Quad] = triples
    else:
        data = list(store.quads_for_pattern(None, None, None, None))
    if isinstance(output, str | Path):
        output = str(output)
    if fmt in {"ntriples", "nquads"}:
        ox.serialize(data, output, rdf_format)
    else:
        ox.serialize(data, output, rdf_format, prefixes=prefixes)
    return len(data)


def _union_triples(store: ox.Store) -> Iterator[ox.Triple]:
    seen: set[ox.Triple] = set()
    for q in store.quads_for_pattern(None, None, None, None):
        t = q.triple
        if t not in seen:
            seen.add(t)
            yield t
