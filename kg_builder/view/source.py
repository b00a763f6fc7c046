"""Where the views read the graph from: the embedded store or a SPARQL endpoint.

Both answer a SELECT query with the same :class:`~kg_builder.store.query.Table` of plain
strings, so every picture and page works the same on either.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from kg_builder.remote.endpoint import EndpointConfig
from kg_builder.remote.sparql import query_endpoint
from kg_builder.store.embedded import open_store
from kg_builder.store.query import Table, select_sparql


class Source(Protocol):
    """Anything that answers a SPARQL SELECT query with a :class:`Table`."""

    def select(self, sparql: str) -> Table:
        """Run ``sparql`` (a SELECT query) and return its rows as plain strings."""
        ...


class StoreSource:
    """The embedded store at ``path``, opened read-only once.

    Raises:
        StoreError: there is no store at ``path``, or it cannot be opened.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._store = open_store(self.path, read_only=True)

    def select(self, sparql: str) -> Table:
        """Run ``sparql`` on the store.

        Raises:
            QueryError: the query does not parse or is not a SELECT query.
        """
        return select_sparql(self._store, sparql)

    def __str__(self) -> str:
        return str(self.path)


class EndpointSource:
    """A remote SPARQL query endpoint (credentials and retries as in ``config``)."""

    def __init__(self, config: EndpointConfig):
        self.config = config

    def select(self, sparql: str) -> Table:
        """Send ``sparql`` to the endpoint (with the configured retries).

        Raises:
            QueryError: the query is not a SELECT query.
            EndpointError: the endpoint cannot be reached, or refuses the credentials or
                the query.
        """
        columns, rows = query_endpoint(sparql, self.config)
        return Table(tuple(columns), tuple(tuple(r) for r in rows))

    def __str__(self) -> str:
        return self.config.query_url
