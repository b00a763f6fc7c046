"""SELECT and ASK queries against a remote SPARQL endpoint (SPARQL 1.1 Protocol).

:func:`query_endpoint` runs a query in the dataset where kg-builder's graphs are
(:func:`resolve_dataset`, see :mod:`~kg_builder.remote.dataset`), with parameters bound
by a ``VALUES`` block of RDF terms (:mod:`~kg_builder.store.params`); :func:`select`
does the same for a shipped query or a ``.rq`` file, like the local
:func:`kg_builder.store.query.select`.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any

from SPARQLWrapper import GET, JSON, POST, URLENCODED, SPARQLWrapper

from kg_builder.errors import EndpointError, QueryError
from kg_builder.remote.dataset import (
    LIST_GRAPHS,
    PROBE,
    SERVER_DEFAULT,
    UNION_SWITCHES,
    Dataset,
    graphs,
)
from kg_builder.remote.endpoint import EndpointConfig
from kg_builder.remote.http import (
    AGENT,
    RETRY_STATUSES,
    Retryable,
    describe_os_error,
    retry_after,
    server_message,
    status_error,
    with_retries,
)
from kg_builder.store.params import Term, with_values
from kg_builder.store.query import Table, load

#: Longer queries go by POST (URLs of a few kB are refused by some servers).
_MAX_GET_QUERY = 1800


class _Wrapper(SPARQLWrapper):
    """SPARQLWrapper that lets HTTP errors through with their status and body."""

    def _query(self) -> tuple[Any, str]:
        request = self._createRequest()
        return urllib.request.urlopen(request, timeout=self.timeout), self.returnFormat


def sparql_json(
    config: EndpointConfig, sparql: str, *, params: tuple[tuple[str, str], ...] = ()
) -> dict[str, Any]:
    """Run a query on ``config.query_url``; the parsed SPARQL JSON results.

    Args:
        config: The endpoint.
        sparql: The query, sent as it is.
        params: More request parameters, such as the protocol's ``default-graph-uri``.

    Raises:
        RemoteQueryError: the server refused the query as malformed (HTTP 400).
        EndpointError: unreachable, refused, or the answer is not SPARQL JSON results.
    """
    url = config.query_url
    wrapper = _Wrapper(url, agent=AGENT)
    wrapper.setQuery(sparql)
    for name, value in params:
        wrapper.addParameter(name, value)
    # SPARQLWrapper guesses the query form from keywords and takes some SELECT queries
    # (e.g. with a variable named ?conditional) for updates; we only send queries.
    wrapper.queryType = "ASK" if _query_form(sparql) == "AskQuery" else "SELECT"
    wrapper.setReturnFormat(JSON)
    wrapper.setOnlyConneg(True)  # the Accept header only: no format=json parameter
    wrapper.setTimeout(config.timeout)  # type: ignore[arg-type]
    if len(urllib.parse.quote(sparql)) + len(urllib.parse.urlencode(params)) > _MAX_GET_QUERY:
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
    else:
        wrapper.setMethod(GET)
    if config.auth_header:
        wrapper.addCustomHttpHeader("Authorization", config.auth_header)

    def attempt() -> tuple[str, bytes]:
        try:
            result = wrapper.query()
            response = result.response
            return response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as exc:
            body = exc.read() if exc.fp is not None else b""
            if exc.code in RETRY_STATUSES:
                raise Retryable(
                    f"{url} answered HTTP {exc.code} {exc.reason}: {server_message(body)}",
                    exc.code,
                    retry_after(exc.headers.get("Retry-After")),
                ) from None
            raise status_error(
                config, url, wrapper.method, exc.code, str(exc.reason), body, service="query"
            ) from None
        except (OSError, http.client.HTTPException) as exc:
            raise Retryable(f"no answer from {url} ({describe_os_error(exc)})") from None

    content_type, body = with_retries(config, attempt, "SPARQL query")
    not_sparql = (
        f"{url} did not answer with SPARQL JSON results (Content-Type: "
        f"{content_type or 'none'}): is this a SPARQL query endpoint? For Fuseki give "
        f"the dataset URL (http://host:3030/DATASET), for GraphDB the repository URL"
    )
    if "json" not in content_type.lower():
        raise EndpointError(not_sparql)
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise EndpointError(not_sparql) from None
    if not isinstance(data, dict) or not ("boolean" in data or "results" in data):
        raise EndpointError(not_sparql)
    return data


def result_rows(data: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Column names and rows of string values from SPARQL JSON results."""
    if "boolean" in data:
        return ["boolean"], [["true" if data["boolean"] else "false"]]
    columns = [str(v) for v in data.get("head", {}).get("vars", [])]
    rows = [
        [str(b.get(c, {}).get("value", "")) for c in columns]
        for b in data.get("results", {}).get("bindings", [])
    ]
    return columns, rows


def query_endpoint(
    sparql: str,
    config: EndpointConfig,
    *,
    bindings: Mapping[str, Term] | None = None,
    dataset: Dataset | None = None,
) -> tuple[list[str], list[list[str]]]:
    """Run a SELECT (or ASK) query on a remote SPARQL endpoint.

    Values come back as plain strings, like the local ``query``: IRIs and literal values
    without quotes, datatypes or language tags, ``''`` when unbound. An ASK query gives one
    column ``boolean`` holding ``true`` or ``false``.

    Args:
        sparql: The query.
        config: The endpoint.
        bindings: Variable name → RDF term: sent as a ``VALUES`` block that opens the
            query's ``WHERE`` clause, each term written by the RDF library.
        dataset: The graphs to read; by default those that hold kg-builder's data
            (:func:`resolve_dataset`: one or two ``ASK`` requests first).

    Example:
        >>> cols, rows = query_endpoint("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1",
        ...                             EndpointConfig.from_url("http://localhost:7878"))
        ...                                                          # doctest: +SKIP

    Raises:
        QueryError: the query is an update, CONSTRUCT or DESCRIBE;
            :class:`~kg_builder.errors.RemoteQueryError` when the server cannot parse it.
        EndpointError: unreachable, the credentials were refused, or not a SPARQL endpoint.
    """
    form = _query_form(sparql)
    if form == "update":
        raise QueryError("this is a SPARQL update; only SELECT and ASK queries are sent")
    if form in ("ConstructQuery", "DescribeQuery"):
        raise QueryError("only SELECT (and ASK) queries can be shown as a table")
    if bindings:
        sparql = with_values(sparql, bindings)
    if dataset is None:
        dataset = resolve_dataset(config)
    return result_rows(sparql_json(config, sparql, params=dataset.params))


def select(config: EndpointConfig, query: str, /, **params: object) -> Table:
    """Run a shipped query (by name) or a ``.rq`` file on a remote endpoint.

    The remote twin of :func:`kg_builder.store.query.select`: the same parameters, the
    same rows, the same columns (the declared parameters left out).

    Example:
        >>> select(EndpointConfig.from_url("http://localhost:7878"), "demands",
        ...        actor="NATO").columns[:2]                       # doctest: +SKIP
        ('article_id', 'demand')

    Raises:
        QueryError: the query is missing or does not parse.
        ParameterError: an unknown, missing or ill-typed parameter.
        EndpointError: unreachable, refused, or not a SPARQL endpoint.
    """
    spec = load(query)
    columns, rows = query_endpoint(spec.text, config, bindings=spec.bind(params))
    return Table(tuple(columns), tuple(tuple(r) for r in rows)).without(spec.hidden)


def holds_our_data(config: EndpointConfig, dataset: Dataset) -> bool:
    """Whether ``dataset`` on the server holds articles and the ontology
    (:data:`~kg_builder.remote.dataset.PROBE`).

    Raises:
        EndpointError: unreachable, refused, or not a SPARQL endpoint.
    """
    return bool(sparql_json(config, PROBE, params=dataset.params).get("boolean"))


def resolve_dataset(config: EndpointConfig) -> Dataset:
    """The dataset in which the shipped queries see all of kg-builder's graphs.

    One ``ASK`` when the server's default graph holds them; one more per union switch
    tried (the server's own first); the named graphs listed as ``default-graph-uri``s as
    the last resort. When nothing of ours is on the server: its default graph (the
    queries then find no rows). See :mod:`~kg_builder.remote.dataset`.

    Raises:
        EndpointError: unreachable, refused, or not a SPARQL endpoint.
    """
    if holds_our_data(config, SERVER_DEFAULT):
        return SERVER_DEFAULT
    for layout in sorted(UNION_SWITCHES, key=lambda name: name != config.layout):
        switch = UNION_SWITCHES[layout]
        try:
            if holds_our_data(config, switch):
                return switch
        except EndpointError as exc:
            if exc.status != 400:  # 400: a server that refuses another server's switch
                raise
    _, rows = result_rows(sparql_json(config, LIST_GRAPHS))
    named = graphs(row[0] for row in rows if row and row[0])
    if named.params and holds_our_data(config, named):
        return named
    return SERVER_DEFAULT


def _query_form(sparql: str) -> str:
    """``SelectQuery``, ``AskQuery``, ``ConstructQuery``, ``DescribeQuery``, ``update``, or
    ``unknown`` (left to the server to judge). Parsed with rdflib's SPARQL grammar:
    SPARQLWrapper's keyword sniffing mistakes some SELECT queries for updates."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        return str(parseQuery(sparql)[1].name)
    except ParseException:
        try:
            parseUpdate(sparql)
        except ParseException:
            return "unknown"
        return "update"
