"""Running SPARQL queries on the embedded store and shaping the answers.

A query is a ``.rq`` file or the name of a shipped query (``demands`` →
``queries/demands.rq``), with the parameters its header declares
(:mod:`~kg_builder.store.params`). Results come back as plain strings (IRIs and literal
values without quotes, datatypes or language tags), the shape CSV readers expect.

The default graph of a query is the union of the store's graphs (every article graph,
the entity graph and the ontology graph), so a query needs no ``GRAPH`` clause to join a
fact with the canonical description of its actors or a code list's labels; ``GRAPH ?g``
still reaches each named graph on its own. The shipped queries give the same rows when
the same triples sit in one graph or in the default graph (see ``docs/DESIGN.md``,
"Same answers wherever the graph lives").

Example:
    >>> table = select("out/store", "demands", actor="NATO", since="2022-01-01")
    ...                                                          # doctest: +SKIP
    >>> table.columns[:3]                                        # doctest: +SKIP
    ('article_id', 'demand', 'demander')
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg_builder.errors import QueryError
from kg_builder.resources import shipped_queries
from kg_builder.store.embedded import open_store, run_query
from kg_builder.store.params import Parameter, Term, bind, declared_parameters, with_values

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

    def without(self, columns: Sequence[str]) -> Table:
        """The table without ``columns`` (those it has), rows in the same order.

        Unlike :meth:`project`, repeated rows are kept: the columns left out are the
        query's parameters, the same in every row.
        """
        keep = [i for i, c in enumerate(self.columns) if c not in set(columns)]
        if len(keep) == len(self.columns):
            return self
        return Table(
            tuple(self.columns[i] for i in keep),
            tuple(tuple(row[i] for i in keep) for row in self.rows),
        )


@dataclass(frozen=True, slots=True)
class Query:
    """A query's text with what its header declares.

    Attributes:
        name: The shipped query's name, or the file it was read from.
        text: The SPARQL text.
        parameters: The parameters its header declares (see :mod:`~kg_builder.store.params`).
    """

    name: str
    text: str
    parameters: tuple[Parameter, ...]

    @property
    def projected(self) -> tuple[str, ...]:
        """The variables of the ``SELECT`` clause (empty for other query forms).

        Raises:
            QueryError: the query does not parse.
        """
        result = run_query(ox.Store(), self.text)
        if isinstance(result, ox.QuerySolutions):
            return tuple(v.value for v in result.variables)
        return ()

    def bind(self, values: Mapping[str, object]) -> dict[str, Term]:
        """The given parameter values as RDF terms (see :func:`~kg_builder.store.params.bind`).

        Raises:
            ParameterError: an unknown, missing or ill-typed parameter.
        """
        return bind(self.parameters, values, self.projected if values else (), query=self.name)

    @property
    def hidden(self) -> tuple[str, ...]:
        """Columns left out of a result: the declared parameters, which the query projects
        only so that an engine can bind them."""
        return tuple(p.name for p in self.parameters)


def load(query: str) -> Query:
    """The query ``query`` (a ``.rq`` file or a shipped query's name) and its parameters.

    Raises:
        QueryError: no such file or shipped query, or a broken parameter header.
    """
    text = load_query(query)
    path = Path(query)
    name = path.stem if not path.is_file() else str(path)
    return Query(name, text, declared_parameters(text))


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


def select(store_path: str | Path, query: str, /, **params: object) -> Table:
    """Run a SELECT query (file or shipped name) on the store at ``store_path``.

    Args:
        store_path: The embedded store (opened read-only).
        query: A ``.rq`` file or the name of a shipped query.
        **params: The query's parameters: each binds the variable of its name, by a
            ``VALUES`` block of RDF terms (never by pasting the value in the query's
            text: see :mod:`~kg_builder.store.params`). Strings
            take the type the query's header declares (``since="2022-01-01"`` is an
            ``xsd:date`` when ``since`` is declared a date).

    Example:
        >>> select("out/store", "demands-of-actor", actor="nato").rows[0][:2]
        ...                                                     # doctest: +SKIP
        ('North Atlantic Treaty Organization', 'Russia')

    Returns:
        The rows, without the columns of the declared parameters.

    Raises:
        QueryError: the query is missing, does not parse, or is not a SELECT.
        ParameterError: an unknown, missing or ill-typed parameter (the message lists the
            query's parameters).
        StoreError: there is no store at ``store_path``.
    """
    spec = load(query)
    bindings = spec.bind(params)
    store = open_store(store_path, read_only=True)
    return select_sparql(store, spec.text, bindings=bindings).without(spec.hidden)


def select_sparql(
    store: ox.Store, sparql: str, *, bindings: Mapping[str, Term] | None = None
) -> Table:
    """Run the text of a SELECT query on an open store.

    Args:
        store: An open store; the query's default graph is the union of its graphs.
        sparql: The query.
        bindings: Variable name → term (the variables must be in the ``SELECT``
            clause), bound by a ``VALUES`` block opening the ``WHERE`` clause, as for a
            remote endpoint (:func:`~kg_builder.store.params.with_values`): Oxigraph
            then plans the query knowing them, so a parameter in a triple pattern is
            looked up in an index (pyoxigraph's own substitution binds them only when
            the query runs, after the plan is chosen).

    Example:
        >>> select_sparql(open_store("out/store", read_only=True),
        ...               "SELECT ?g WHERE { GRAPH ?g {} }").columns      # doctest: +SKIP
        ('g',)

    Raises:
        QueryError: the query does not parse, is not a SELECT, or a bound variable is
            not in its ``SELECT`` clause.
    """
    text = with_values(sparql, bindings) if bindings else sparql
    result = run_query(store, text, union_default_graph=True)
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("only SELECT queries can be shown as a table; use `export` for graphs")
    columns = tuple(v.value for v in result.variables)
    unknown = [name for name in bindings or {} if name not in columns]
    if unknown:
        raise QueryError(
            f"the query cannot be run: no variable {', '.join(unknown)} in its SELECT "
            "clause to bind"
        )
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
