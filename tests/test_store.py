"""The embedded store: replace per article, counts, export formats."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from kg_builder.errors import StoreError
from kg_builder.rdf.ntriples import to_ntriples
from kg_builder.store import (
    EXPORT_FORMATS,
    PENDING_FILE,
    GraphWrite,
    export,
    graph_counts,
    open_store,
    replace_graphs,
)

G1, G2 = "https://example.org/article/1", "https://example.org/article/2"


def _nt(*objects: str) -> str:
    g = Graph()
    for i, o in enumerate(objects):
        g.add((URIRef("https://example.org/s"), URIRef(f"https://example.org/p{i}"), Literal(o)))
    return to_ntriples(g)


def test_replacing_an_article_graph_leaves_no_duplicates(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s")
    replace_graphs(store, [GraphWrite(G1, _nt("a", "b", "c")), GraphWrite(G2, _nt("x"))])
    replace_graphs(store, [GraphWrite(G1, _nt("only"))])
    assert graph_counts(store) == {G1: 1, G2: 1}


def test_a_batch_is_one_transaction(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s")
    replace_graphs(store, [GraphWrite(G1, _nt("a"))])
    with pytest.raises(StoreError):
        replace_graphs(store, [GraphWrite(G2, _nt("x")), GraphWrite(G1, "this is not RDF")])
    assert graph_counts(store) == {G1: 1}


def test_read_only_open_of_a_missing_store_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="kg-builder ingest"):
        open_store(tmp_path / "nothing", read_only=True)


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_export_round_trips_through_pyoxigraph(tmp_path: Path, fmt: str) -> None:
    store = open_store(tmp_path / "s")
    replace_graphs(
        store, [GraphWrite(G1, _nt('quote " and \\ slash', "ü")), GraphWrite(G2, _nt("x"))]
    )
    out = tmp_path / f"out.{fmt}"
    n = export(store, fmt, out)
    parsed = list(ox.parse(path=str(out), format=EXPORT_FORMATS[fmt]))
    assert len(parsed) == n == 3


def test_turtle_export_parses_in_rdflib(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s")
    replace_graphs(store, [GraphWrite(G1, _nt("a\nb"))])
    export(store, "turtle", tmp_path / "g.ttl")
    assert len(Graph().parse(tmp_path / "g.ttl", format="turtle")) == 1


def test_unknown_export_format_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="unknown export format"):
        export(open_store(tmp_path / "s"), "xml", tmp_path / "x")


# ---- bulk loading with a journal (what ingest uses)


def test_bulk_write_replaces_like_a_transaction_and_leaves_no_journal(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s")
    journal = tmp_path / "s" / PENDING_FILE
    replace_graphs(
        store, [GraphWrite(G1, _nt("a", "b", "c")), GraphWrite(G2, _nt("x"))], journal=journal
    )
    replace_graphs(store, [GraphWrite(G1, _nt("only"))], journal=journal)
    assert graph_counts(store) == {G1: 1, G2: 1}
    assert not journal.exists()


def test_bulk_write_of_bad_data_changes_nothing(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s")
    journal = tmp_path / "s" / PENDING_FILE
    replace_graphs(store, [GraphWrite(G1, _nt("a"))], journal=journal)
    with pytest.raises(StoreError):
        replace_graphs(
            store, [GraphWrite(G2, _nt("x")), GraphWrite(G1, "not RDF")], journal=journal
        )
    assert graph_counts(store) == {G1: 1}
    assert not journal.exists()


def test_a_cut_off_bulk_write_is_dropped_when_the_store_is_next_opened(tmp_path: Path) -> None:
    """As if the process died during a bulk load: G2 half-written, the journal left."""
    path = tmp_path / "s"
    store = open_store(path)
    replace_graphs(store, [GraphWrite(G1, _nt("kept"))], journal=path / PENDING_FILE)
    half = "".join(_nt("one", "two").splitlines(keepends=True)[:1])
    store.load(half.encode(), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(G2))
    (path / PENDING_FILE).write_text(G2 + "\n", encoding="utf-8")
    del store

    assert graph_counts(open_store(path, read_only=True)) == {G1: 1, G2: 1}  # left alone
    assert (path / PENDING_FILE).exists()
    store = open_store(path)
    assert graph_counts(store) == {G1: 1}
    assert not (path / PENDING_FILE).exists()
