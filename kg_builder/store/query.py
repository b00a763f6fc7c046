"""Running SPARQL queries on the embedded store and shaping the answers.

A query is a ``.rq`` file or the name of a shipped query (``demands`` →
``queries/demands.rq``). Results come back as plain strings (IRIs and literal
values without quotes, datatypes or language tags), the shape CSV readers expect.

The default graph of a query is the union of the store's graphs (every article graph,
the entity graph and the ontology graph), so a query needs no ``GRAPH`` clause to join a
fact with the canonical description of its actors or a code list's labels; ``GRAPH ?g``
still reaches each named graph on its own.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg_builder.errors import QueryError
from kg_builder.resources import shipped_queries
from kg_builder.store.embedded import open_store, run_query

FORMATS = ("table", "csv", "tsv", "json")


@dataclass(frozen=True, slots=True)
class Table:
    """A SELECT result: column names and rows of plain strings ('' when unbound)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def project(self, columns: list[str]) -> Table:
        """Only ``columns``, in that order, without repeated rows.

        Raises:
            QueryError: a column the result does not have.
        """
        missing = [c for c in columns if c not in self.columns]
        if missing:
            raise QueryError(
                f"no column {', '.join(missing)} in the result; it has {', '.join(self.columns)}"
            )
        index = [self.columns.index(c) for c in columns]
        rows = dict.fromkeys(tuple(row[i] for i in index) for row in self.rows)
        return Table(tuple(columns), tuple(rows))


def load_query(query: str) -> str:
    """The text of ``query``: a path to a file, or the name of a shipped query.

    Raises:
        QueryError: neither a readable file nor a shipped query name.
    """
    path = Path(query)
    if path.is_file():
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"cannot read the query file {path}: {exc}") from exc
    shipped = shipped_queries()
    name = path.stem if path.suffix == ".rq" else query
    if name in shipped:
        return shipped[name].read_text(encoding="utf-8")
    raise QueryError(
        f"no query file {query!r} and no shipped query of that name; shipped: {', '.join(shipped)}"
    )


def _plain(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    if term is None:
        return ""
    return str(term) if isinstance(term, ox.Triple) else str(term.value)


def select(store_path: str | Path, query: str) -> Table:
    """Run a SELECT query (file or shipped name) on the store at ``store_path``.

    Raises:
        QueryError: the query is missing, does not parse, or is not a SELECT.
        StoreError: there is no store at ``store_path``.
    """
    return select_sparql(open_store(store_path, read_only=True), load_query(query))


def select_sparql(store: ox.Store, sparql: str) -> Table:
    """Run the text of a SELECT query on an open store.

    Example:
        >>> select_sparql(open_store("out/store", read_only=True),
        ...               "SELECT ?g WHERE { GRAPH ?g {} }").columns      # doctest: +SKIP
        ('g',)

    Raises:
        QueryError: the query does not parse, or is not a SELECT.
    """
    result = run_query(store, sparql, union_default_graph=True)
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("only SELECT queries can be shown as a table; use `export` for graphs")
    columns = tuple(v.value for v in result.variables)
    rows = tuple(tuple(_plain(sol[c]) for c in columns) for sol in result)
    return Table(columns, rows)


def to_text(table: Table, fmt: str) -> str:
    """Render a table as ``csv``, ``tsv`` or ``json`` (SPARQL-results-like, plain values)."""
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows(table.rows)
        return buf.getvalue()
    if fmt == "json":
        return (
            json.dumps(
                [dict(zip(table.columns, r, strict=True)) for r in table.rows],
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    raise QueryError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
