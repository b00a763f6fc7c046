"""The SPARQL 1.1 Graph Store HTTP Protocol client: PUT and POST of N-Triples bodies."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.parse
import urllib.request

from kg_builder.remote.endpoint import EndpointConfig
from kg_builder.remote.http import (
    AGENT,
    GRAPH_STATUSES,
    NTRIPLES,
    RETRY_STATUSES,
    GraphRejected,
    Retryable,
    describe_os_error,
    retry_after,
    server_message,
    status_error,
    with_retries,
)


class GraphStore:
    """A keep-alive HTTP connection to a Graph Store Protocol service."""

    def __init__(self, config: EndpointConfig):
        self.config = config
        parts = urllib.parse.urlsplit(config.gsp_url)
        self._https = parts.scheme == "https"
        self._host = parts.hostname or ""
        self._port = parts.port
        self._path = parts.path or "/"
        self._query = parts.query
        self._conn: http.client.HTTPConnection | None = None
        self._used = False
        self._headers = {"Content-Type": NTRIPLES, "User-Agent": AGENT}
        if config.auth_header:
            self._headers["Authorization"] = config.auth_header

    def target(self, graph: str | None) -> str:
        """The request path for ``graph`` (None: the default graph)."""
        param = "default" if graph is None else "graph=" + urllib.parse.quote(graph, safe="")
        return self._path + "?" + (self._query + "&" if self._query else "") + param

    def close(self) -> None:
        """Close the connection to the server."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
            self._used = False

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            self._conn = cls(self._host, self._port, timeout=self.config.timeout)
            self._used = False
        return self._conn

    def _once(
        self, method: str, path: str, body: bytes
    ) -> tuple[int, str, bytes, http.client.HTTPMessage]:
        conn = self._connection()
        reused = self._used
        try:
            conn.request(method, path, body=body, headers=self._headers)
            resp = conn.getresponse()
            data = resp.read()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            self.close()
            if not reused:
                raise
            # An idle keep-alive connection the server closed: one fresh try, not counted.
            conn = self._connection()
            conn.request(method, path, body=body, headers=self._headers)
            resp = conn.getresponse()
            data = resp.read()
        self._used = True
        if resp.will_close:
            self.close()
        return resp.status, resp.reason, data, resp.headers

    def send(self, method: str, graph: str | None, body: bytes) -> None:
        """Send one request, with retries.

        Raises:
            GraphRejected: the server refused this graph's data (400, 409, 413, 422).
            EndpointError: unreachable after the retries, or any other refusal.
        """
        path = self.target(graph)
        url = self.config.gsp_url

        def attempt() -> tuple[int, str, bytes, http.client.HTTPMessage]:
            try:
                status, reason, data, headers = self._once(method, path, body)
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                raise Retryable(
                    f"no answer from {url} to {method} ({describe_os_error(exc)})"
                ) from None
            if status in RETRY_STATUSES:
                raise Retryable(
                    f"{url} answered HTTP {status} {reason} to {method}: {server_message(data)}",
                    status,
                    retry_after(headers.get("Retry-After")),
                )
            return status, reason, data, headers

        status, reason, data, headers = with_retries(self.config, attempt)
        if 200 <= status < 300:
            return
        if status in GRAPH_STATUSES:
            hint = " (lower chunk_triples)" if status == 413 else ""
            raise GraphRejected(
                self.config.redact(
                    f"HTTP {status} {reason} to {method}{hint}: {server_message(data)}"
                ),
                status,
            )
        raise status_error(
            self.config,
            url,
            method,
            status,
            reason,
            data,
            service="gsp",
            location=headers.get("Location"),
        )
