"""After a push: the server's triple count per graph against the local one."""

from __future__ import annotations

import http.client
from collections.abc import Callable

import pyoxigraph as ox

from kg_builder.errors import EndpointError
from kg_builder.remote.endpoint import EndpointConfig
from kg_builder.remote.graph_store import GraphStore
from kg_builder.remote.http import (
    AGENT,
    NTRIPLES,
    RETRY_STATUSES,
    Retryable,
    describe_os_error,
    status_error,
    with_retries,
)
from kg_builder.remote.push_report import DEFAULT_GRAPH, PushReport, Target
from kg_builder.remote.sparql import result_rows, sparql_json

#: Graph IRIs per verification query (VALUES block).
VERIFY_BATCH = 200


def verify_counts(
    config: EndpointConfig,
    targets: list[Target],
    pushed: list[str],
    failed: dict[str, str],
    report: Callable[..., PushReport],
) -> PushReport:
    """The report after comparing the server's triple counts with the local ones.

    A pushed graph whose count differs moves to ``failed``; ``report(pushed, failed,
    verified, **extra)`` builds the report.
    """
    done = set(pushed)
    try:
        remote = remote_counts(config, [t for t in targets if t.name in done])
    except EndpointError as exc:
        return report(pushed, failed, False, verify_error=str(exc))
    mismatches = {
        t.name: (t.expected, remote.get(t.name, 0))
        for t in targets
        if t.name in done and remote.get(t.name, 0) != t.expected
    }
    for name, (local_n, remote_n) in mismatches.items():
        failed[name] = (
            f"the server holds {remote_n} triples in this graph, the store {local_n}; push again"
        )
    confirmed = [name for name in pushed if name not in mismatches]
    return report(confirmed, failed, True, mismatches=mismatches)


def distinct_union_count(store: ox.Store) -> int:
    """Distinct triples over all the local store's named graphs (what one merged graph holds)."""
    res = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    )
    assert isinstance(res, ox.QuerySolutions)
    return int(next(iter(res))["n"].value)


def remote_counts(config: EndpointConfig, targets: list[Target]) -> dict[str, int]:
    """Triples per pushed remote graph, read from the server with SPARQL.

    Raises:
        EndpointError: the server could not be asked.
    """
    counts: dict[str, int] = {}
    named = [t.graph for t in targets if t.graph is not None]
    for i in range(0, len(named), VERIFY_BATCH):
        values = " ".join(str(ox.NamedNode(g)) for g in named[i : i + VERIFY_BATCH])
        data = sparql_json(
            config,
            f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
            "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        )
        for graph, count in result_rows(data)[1]:
            counts[graph] = int(count)
    if any(t.graph is None for t in targets):
        expected = next(t.expected for t in targets if t.graph is None)
        _, rows = result_rows(sparql_json(config, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
        n = int(rows[0][0]) if rows else 0
        if n != expected:
            # Some servers query the union of all graphs by default: ask the Graph Store.
            n = default_graph_size(config)
        counts[DEFAULT_GRAPH] = n
    return counts


def default_graph_size(config: EndpointConfig) -> int:
    """Triples in the default graph, counted from a Graph Store GET in N-Triples.

    Raises:
        EndpointError: the server could not be asked, or refused.
    """
    client = GraphStore(config)
    path = client.target(None)
    headers = {"Accept": NTRIPLES, "User-Agent": AGENT}
    if config.auth_header:
        headers["Authorization"] = config.auth_header

    def attempt() -> int:
        conn = client.connection()
        try:
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            if resp.status != 200:
                body = resp.read()
                if resp.status in RETRY_STATUSES:
                    raise Retryable(f"HTTP {resp.status} {resp.reason}", resp.status)
                raise status_error(
                    config, config.gsp_url, "GET", resp.status, resp.reason, body, service="gsp"
                )
            return sum(1 for line in resp if line.strip() and not line.startswith(b"#"))
        except (OSError, http.client.HTTPException) as exc:
            raise Retryable(f"no answer ({describe_os_error(exc)})") from None
        finally:
            client.close()

    return with_retries(config, attempt, f"GET {config.gsp_url}?default")
