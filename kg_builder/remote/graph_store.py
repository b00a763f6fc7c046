"""Writing to a triplestore: Graph Store Protocol PUT/POST, N-Quads POSTs, SPARQL updates.

* :class:`GraphStore` — the SPARQL 1.1 Graph Store HTTP Protocol: ``PUT`` (replace) and
  ``POST`` (append) of N-Triples bodies to ``?graph=IRI`` or ``?default``.
* :class:`DatasetLoader` — the bulk way in: N-Quads bodies ``POST``\\ ed to the whole
  dataset (Oxigraph ``/store``, Fuseki ``/DATASET``, RDF4J/GraphDB ``…/statements``),
  and ``DROP`` updates (SPARQL 1.1 Update) to clear the graphs they replace.

Both keep one HTTP connection alive, retry connection errors and HTTP 429/5xx with
backoff, and turn a refusal into a clear error (:func:`~kg_builder.remote.http.status_error`).
"""

from __future__ import annotations

import http.client
import urllib.parse
from collections.abc import Iterable

import pyoxigraph as ox

from kg_builder.remote.endpoint import EndpointConfig
from kg_builder.remote.http import (
    AGENT,
    GRAPH_STATUSES,
    NQUADS,
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

_FORM = "application/x-www-form-urlencoded"


class Channel:
    """A keep-alive HTTP connection to the server of ``url``, one request at a time."""

    def __init__(self, config: EndpointConfig, url: str):
        self.config = config
        self.url = url
        parts = urllib.parse.urlsplit(url)
        self._https = parts.scheme == "https"
        self._host = parts.hostname or ""
        self._port = parts.port
        self._path = parts.path or "/"
        self._query = parts.query
        self._conn: http.client.HTTPConnection | None = None
        self._used = False
        self._auth = {"Authorization": config.auth_header} if config.auth_header else {}

    def path(self, param: str = "") -> str:
        """The request path of ``url`` with ``param`` added to its query string."""
        query = "&".join(p for p in (self._query, param) if p)
        return self._path + ("?" + query if query else "")

    def close(self) -> None:
        """Close the connection to the server."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
            self._used = False

    def connection(self) -> http.client.HTTPConnection:
        """The open connection (opened on first use)."""
        if self._conn is None:
            cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            self._conn = cls(self._host, self._port, timeout=self.config.timeout)
            self._used = False
        return self._conn

    def _once(
        self, method: str, path: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int, str, bytes, http.client.HTTPMessage]:
        conn = self.connection()
        reused = self._used
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            self.close()
            if not reused:
                raise
            # An idle keep-alive connection the server closed: one fresh try, not counted.
            conn = self.connection()
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
        self._used = True
        if resp.will_close:
            self.close()
        return resp.status, resp.reason, data, resp.headers

    def request(
        self, method: str, param: str, body: bytes, content_type: str, *, service: str
    ) -> None:
        """Send one request, with retries; return when the server accepted it (2xx).

        Raises:
            GraphRejected: the server refused the data (400, 409, 413, 422).
            EndpointError: unreachable after the retries, or any other refusal.
        """
        path = self.path(param)
        headers = {"Content-Type": content_type, "User-Agent": AGENT, **self._auth}

        def attempt() -> tuple[int, str, bytes, http.client.HTTPMessage]:
            try:
                status, reason, data, answer = self._once(method, path, body, headers)
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                raise Retryable(
                    f"no answer from {self.url} to {method} ({describe_os_error(exc)})"
                ) from None
            if status in RETRY_STATUSES:
                raise Retryable(
                    f"{self.url} answered HTTP {status} {reason} to {method}: "
                    f"{server_message(data)}",
                    status,
                    retry_after(answer.get("Retry-After")),
                )
            return status, reason, data, answer

        status, reason, data, answer = with_retries(self.config, attempt)
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
            self.url,
            method,
            status,
            reason,
            data,
            service=service,
            location=answer.get("Location"),
        )


class GraphStore(Channel):
    """A Graph Store Protocol service (``config.gsp_url``)."""

    def __init__(self, config: EndpointConfig):
        super().__init__(config, config.gsp_url)

    def target(self, graph: str | None) -> str:
        """The request path for ``graph`` (None: the default graph)."""
        param = "default" if graph is None else "graph=" + urllib.parse.quote(graph, safe="")
        return self.path(param)

    def send(self, method: str, graph: str | None, body: bytes) -> None:
        """``PUT`` (replace) or ``POST`` (append) N-Triples to ``graph`` (None: default).

        Raises:
            GraphRejected: the server refused this graph's data (400, 409, 413, 422).
            EndpointError: unreachable after the retries, or any other refusal.
        """
        param = "default" if graph is None else "graph=" + urllib.parse.quote(graph, safe="")
        self.request(method, param, body, NTRIPLES, service="gsp")


class DatasetLoader:
    """N-Quads into the whole dataset (``config.dataset_url``), and SPARQL ``DROP`` updates."""

    def __init__(self, config: EndpointConfig):
        if not config.dataset_url or not config.update_url:
            raise ValueError("a bulk push needs the dataset URL and the update URL")
        self.dataset = Channel(config, config.dataset_url)
        self.update_service = Channel(config, config.update_url)

    def load(self, nquads: bytes) -> None:
        """``POST`` N-Quads to the dataset: every quad lands in the graph it names.

        Raises:
            GraphRejected: the server refused the data (400, 409, 413, 422).
            EndpointError: unreachable after the retries, or any other refusal.
        """
        self.dataset.request("POST", "", nquads, NQUADS, service="bulk")

    def drop(self, graphs: Iterable[str | None]) -> None:
        """Empty the named graphs (None: the default graph) in one SPARQL update.

        Raises:
            EndpointError: unreachable, or the update was refused.
        """
        operations = [
            "DROP SILENT DEFAULT" if g is None else f"DROP SILENT GRAPH {ox.NamedNode(g)}"
            for g in graphs
        ]
        if not operations:
            return
        form = urllib.parse.urlencode({"update": " ;\n".join(operations)}).encode("ascii")
        try:
            self.update_service.request("POST", "", form, _FORM, service="update")
        except GraphRejected as exc:  # an update the server cannot parse: not the data's fault
            raise status_error(
                self.dataset.config,
                self.update_service.url,
                "POST",
                exc.status,
                "",
                str(exc).encode(),
                service="update",
            ) from None

    def close(self) -> None:
        """Close both connections."""
        self.dataset.close()
        self.update_service.close()
