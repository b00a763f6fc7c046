"""Request bodies for a push: the store's graphs as N-Triples or N-Quads, in bounded chunks.

Whole graphs are packed together up to ``chunk`` triples; a graph bigger than a chunk is
split, and triples linked by blank nodes always travel in the same body (a blank node
label is scoped to one request: splitting ``_:b`` over two requests would make two nodes
on the server). Each :class:`Body` says which graphs it starts and which it completes, so
a push knows what the server holds when a request fails.

pyoxigraph writes N-Triples one triple per line, each ending in `` .\\n`` (line breaks
inside literals are escaped), so an N-Triples body becomes N-Quads by naming the graph
before each line's final `` .``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

#: Source graph IRI → the remote graph its triples go to (None: the default graph).
Labeller = Callable[[str], str | None]


@dataclass(frozen=True, slots=True)
class Body:
    """One request body.

    Attributes:
        data: N-Triples, or N-Quads when the bodies were made with a labeller.
        triples: Triples (or quads) in ``data``.
        graphs_done: Source graphs complete in this and the earlier bodies.
        sources: Source graphs with triples in this body, in order.
        starts: Source graphs whose first triples are in this body.
        completes: Source graphs whose last triples are in this body.
    """

    data: bytes
    triples: int
    graphs_done: int
    sources: tuple[str, ...] = ()
    starts: tuple[str, ...] = ()
    completes: tuple[str, ...] = ()


def bodies(
    store: ox.Store,
    sources: Iterable[tuple[str, int]],
    chunk: int,
    *,
    label: Labeller | None = None,
) -> Iterator[Body]:
    """Request bodies of at most ``chunk`` triples (unless one blank-node group is bigger).

    Args:
        store: The local store.
        sources: ``(graph IRI, triples)`` of the local graphs to send, in order.
        chunk: Most triples per body.
        label: Without it, N-Triples bodies (for the Graph Store Protocol); with it, N-Quads
            bodies whose quads name ``label(source)`` as their graph (None: the default
            graph).
    """
    buf: list[bytes] = []
    size = 0
    done = 0
    in_body: list[str] = []
    starts: list[str] = []
    completes: list[str] = []

    def flush() -> Body:
        return Body(b"".join(buf), size, done, tuple(in_body), tuple(starts), tuple(completes))

    for iri, n in sources:
        suffix = None if label is None else _graph_suffix(label(iri))
        first = True
        for part, k in graph_parts(store, iri, n, chunk):
            if buf and size + k > chunk:
                yield flush()
                buf, size, in_body, starts, completes = [], 0, [], [], []
            buf.append(part if suffix is None else part.replace(b" .\n", suffix))
            size += k
            if not in_body or in_body[-1] != iri:
                in_body.append(iri)
            if first:
                starts.append(iri)
                first = False
        if first:  # an empty graph: nothing to send, but it starts and ends here
            starts.append(iri)
            if iri not in in_body:
                in_body.append(iri)
        completes.append(iri)
        done += 1
    if buf or in_body:
        yield flush()


def _graph_suffix(graph: str | None) -> bytes | None:
    """What ends each line of a quad in ``graph`` (None for the default graph: a triple)."""
    if graph is None:
        return None
    return f" {ox.NamedNode(graph)} .\n".encode()


def has_blank_nodes(store: ox.Store, graph: str) -> bool:
    """Whether the local graph holds a blank node as a subject or an object."""
    name = ox.NamedNode(graph)
    return bool(
        store.query(f"ASK {{ GRAPH {name} {{ ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }} }}")
    )


def graph_parts(store: ox.Store, iri: str, n: int, chunk: int) -> Iterator[tuple[bytes, int]]:
    """One local graph as N-Triples pieces of at most ``chunk`` triples."""
    data = store.dump(None, ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(iri))
    assert data is not None  # dump() returns the bytes when given no output
    if n <= chunk:
        if data:
            yield data, n
        return
    if has_blank_nodes(store, iri):
        yield from _blank_node_safe_parts(store, iri, chunk)
        return
    # pyoxigraph writes one triple per line (newlines in literals are escaped).
    lines = data.splitlines(keepends=True)
    for i in range(0, len(lines), chunk):
        piece = lines[i : i + chunk]
        yield b"".join(piece), len(piece)


def _blank_node_safe_parts(store: ox.Store, iri: str, chunk: int) -> Iterator[tuple[bytes, int]]:
    """Split a graph so that all triples linked by blank nodes share a request."""
    parent: dict[ox.BlankNode, ox.BlankNode] = {}

    def find(b: ox.BlankNode) -> ox.BlankNode:
        root = b
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[b] != root:
            parent[b], b = root, parent[b]
        return root

    plain: list[ox.Triple] = []
    linked: list[tuple[ox.BlankNode, ox.Triple]] = []
    for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(iri)):
        t = quad.triple
        blanks = [x for x in (t.subject, t.object) if isinstance(x, ox.BlankNode)]
        if not blanks:
            plain.append(t)
            if len(plain) >= chunk:
                yield _ntriples(plain), len(plain)
                plain = []
            continue
        first = find(blanks[0])
        for other in blanks[1:]:
            root = find(other)
            if root != first:
                parent[root] = first
        linked.append((blanks[0], t))
    groups: dict[ox.BlankNode, list[ox.Triple]] = defaultdict(list)
    for b, t in linked:
        groups[find(b)].append(t)
    batch = plain
    for group in groups.values():
        if batch and len(batch) + len(group) > chunk:
            yield _ntriples(batch), len(batch)
            batch = []
        batch = batch + group
    if batch:
        yield _ntriples(batch), len(batch)


def _ntriples(triples: list[ox.Triple]) -> bytes:
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert data is not None  # serialize() returns the bytes when given no output
    return data
