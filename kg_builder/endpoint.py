"""Remote SPARQL 1.1 endpoints: push the store (Graph Store Protocol), query remotely.

``push`` sends the article graphs of the embedded store to a triplestore with the SPARQL
1.1 Graph Store HTTP Protocol, as N-Triples:

* ``per-article`` (default): each local named graph → ``PUT <gsp>?graph=<article IRI>``.
  PUT replaces the remote graph, so pushing again is safe and idempotent.
* ``single``: every article graph → one named graph (``graph=``).
* ``default``: every article graph → the default graph (``?default``).

A graph larger than ``chunk_triples`` goes as a PUT of its first chunk followed by POSTs
(appends) of the others; triples that share a blank node always travel in the same
request, so no blank node is split in two. A graph counts as pushed only once every one of
its requests was accepted, and, after the push, once the server's triple count for it equals
the local one (checked with SPARQL through SPARQLWrapper).

Connection errors and HTTP 429/5xx are retried with exponential backoff. A request the
server refuses (4xx) quotes the server's message. Credentials (HTTP Basic or a Bearer
token) never appear in a message, an exception or a ``repr``.

Example:
    >>> config = EndpointConfig.from_url("http://localhost:7878")   # doctest: +SKIP
    >>> report = push("data/store", config)                         # doctest: +SKIP
    >>> report.complete, len(report.graphs_pushed)                  # doctest: +SKIP
    (True, 1312)
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar

import pyoxigraph as ox
from SPARQLWrapper import GET, JSON, POST, URLENCODED, SPARQLWrapper

from kg_builder import __version__
from kg_builder.errors import ConfigError, EndpointError, QueryError, StoreError
from kg_builder.store import graph_counts, open_store

ENV_USER = "KG_BUILDER_ENDPOINT_USER"
ENV_PASSWORD = "KG_BUILDER_ENDPOINT_PASSWORD"
ENV_TOKEN = "KG_BUILDER_ENDPOINT_TOKEN"

PushMode = Literal["per-article", "single", "default"]
PUSH_MODES: tuple[str, ...] = ("per-article", "single", "default")
#: How :class:`PushReport` names the default graph (``mode="default"``).
DEFAULT_GRAPH = "default"
#: Endpoint layouts :meth:`EndpointConfig.from_url` knows.
LAYOUTS: tuple[str, ...] = ("oxigraph", "fuseki", "graphdb")

#: Progress callback: (graphs_done, graphs_total, triples_done).
ProgressCallback = Callable[[int, int, int], None]

_AGENT = f"kg-builder/{__version__}"
_NTRIPLES = "application/n-triples"
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Refusals that concern one graph's data: report it and go on with the others.
_GRAPH_STATUSES = frozenset({400, 409, 413, 422})
#: Stop when this many graphs in a row were refused and none was accepted yet.
_MAX_FIRST_REJECTIONS = 10
#: Graph IRIs per verification query (VALUES block).
_VERIFY_BATCH = 200
#: Longer queries go by POST (URLs of a few kB are refused by some servers).
_MAX_GET_QUERY = 1800
_MESSAGE_CHARS = 500

T = TypeVar("T")


# --------------------------------------------------------------------------- configuration


@dataclass(frozen=True)
class EndpointConfig:
    """Where and how to reach a remote triplestore.

    Attributes:
        gsp_url: Graph Store HTTP Protocol service (``…/store``, ``…/ds/data``, …).
        query_url: SPARQL query endpoint.
        update_url: SPARQL update endpoint, if known (push does not need it).
        user: HTTP Basic user name.
        password: HTTP Basic password (never shown).
        token: Bearer token (never shown); exclusive with ``user``/``password``.
        timeout: Seconds to wait for one HTTP answer.
        retries: Extra attempts after a connection error or an HTTP 429/5xx.
        backoff: First wait between attempts in seconds; doubles each time, up to
            ``backoff_cap``.
        backoff_cap: Longest wait between two attempts.
        chunk_triples: Most triples per request; bigger graphs are split.
        workers: Graphs sent at the same time (one connection each) in per-article mode.
    """

    gsp_url: str
    query_url: str
    update_url: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    timeout: float = 60.0
    retries: int = 5
    backoff: float = 0.5
    backoff_cap: float = 30.0
    chunk_triples: int = 50_000
    workers: int = 4

    def __post_init__(self) -> None:
        for name in ("gsp_url", "query_url", "update_url"):
            url = getattr(self, name)
            if url is None:
                continue
            parts = urllib.parse.urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ConfigError(f"{name} must be an http(s) URL, not {url!r}")
            if parts.username or parts.password:
                raise ConfigError(
                    f"{name} must not carry credentials: use user/password "
                    "(or EndpointConfig.from_url, which moves them out of the URL)"
                )
        if self.token and (self.user or self.password):
            raise ConfigError(
                "give either a user and password (HTTP Basic) or a token (Bearer), not both"
            )
        if self.password and not self.user:
            raise ConfigError("a password was given without a user name")
        if self.timeout <= 0:
            raise ConfigError(f"timeout must be positive, not {self.timeout}")
        if self.retries < 0:
            raise ConfigError(f"retries must be 0 or more, not {self.retries}")
        if self.backoff < 0 or self.backoff_cap < 0:
            raise ConfigError("backoff and backoff_cap must be 0 or more")
        if self.workers < 1:
            raise ConfigError(f"workers must be at least 1, not {self.workers}")
        if self.chunk_triples < 1:
            raise ConfigError(f"chunk_triples must be at least 1, not {self.chunk_triples}")

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        gsp_url: str | None = None,
        query_url: str | None = None,
        update_url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        token: str | None = None,
        layout: str | None = None,
        timeout: float = 60.0,
        retries: int = 5,
        backoff: float = 0.5,
        backoff_cap: float = 30.0,
        chunk_triples: int = 50_000,
        workers: int = 4,
    ) -> EndpointConfig:
        """Derive the three URLs from one base URL of a known server.

        ============  ==================================  ===============================
        layout        base URL                            query / update / GSP
        ============  ==================================  ===============================
        oxigraph      ``http://host:7878``                ``/query``, ``/update``, ``/store``
        fuseki        ``http://host:3030/ds``             ``/ds/query``, ``/ds/update``,
                                                          ``/ds/data``
        graphdb       ``http://host:7200/repositories/r`` the URL, ``…/statements``,
                                                          ``…/rdf-graphs/service``
        ============  ==================================  ===============================

        The layout is guessed from the path (none → Oxigraph, ``/repositories/NAME`` →
        GraphDB/RDF4J, anything else → Fuseki dataset) unless ``layout`` is given. A URL
        that already ends in a service (``/query``, ``/sparql``, ``/update``, ``/store``,
        ``/data``) is reduced to its base first. Explicit ``gsp_url``/``query_url``/
        ``update_url`` win over the derived ones.

        Credentials come from the arguments, else from ``user:password@`` in the URL, else
        from the environment variables ``KG_BUILDER_ENDPOINT_USER``,
        ``KG_BUILDER_ENDPOINT_PASSWORD`` and ``KG_BUILDER_ENDPOINT_TOKEN``.

        Example:
            >>> EndpointConfig.from_url("http://localhost:3030/news").gsp_url
            'http://localhost:3030/news/data'

        Raises:
            ConfigError: the URL is not http(s), the layout is unknown, or the
                credentials contradict each other.
        """
        parts = urllib.parse.urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(
                f"the endpoint must be an http(s) URL such as http://localhost:7878, not {url!r}"
            )
        if parts.query or parts.fragment:
            raise ConfigError(f"give the endpoint's base URL without ?query or #fragment: {url!r}")
        url_user = urllib.parse.unquote(parts.username) if parts.username else None
        url_password = urllib.parse.unquote(parts.password) if parts.password else None
        netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
        if parts.port:
            netloc += f":{parts.port}"
        path = parts.path.rstrip("/")
        base = urllib.parse.urlunsplit((parts.scheme, netloc, "", "", ""))

        if layout is None:
            if re.search(r"/repositories/[^/]+(/statements|/rdf-graphs/service)?$", path):
                layout = "graphdb"
            else:
                layout = "oxigraph" if _strip_service(path) == "" else "fuseki"
        if layout not in LAYOUTS:
            raise ConfigError(
                f"unknown endpoint layout {layout!r}; choose one of "
                f"{', '.join(LAYOUTS)} or give the URLs explicitly"
            )
        if layout == "graphdb":
            path = re.sub(r"(/statements|/rdf-graphs/service)$", "", path)
            derived = (
                base + path,
                base + path + "/statements",
                base + path + "/rdf-graphs/service",
            )
        else:
            path = _strip_service(path)
            if layout == "fuseki" and not path:
                raise ConfigError(
                    f"a Fuseki URL names the dataset: http://host:3030/DATASET, not {url!r}"
                )
            gsp = "/data" if layout == "fuseki" else "/store"
            derived = (base + path + "/query", base + path + "/update", base + path + gsp)

        if token is None:
            if user is None and password is None and url_user is None:
                token = os.environ.get(ENV_TOKEN) or None
            if token is None:
                user = user or url_user or os.environ.get(ENV_USER) or None
                password = password or url_password or os.environ.get(ENV_PASSWORD) or None
        return cls(
            gsp_url=gsp_url or derived[2],
            query_url=query_url or derived[0],
            update_url=update_url or derived[1],
            user=user,
            password=password,
            token=token,
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            backoff_cap=backoff_cap,
            chunk_triples=chunk_triples,
            workers=workers,
        )

    @property
    def auth_header(self) -> str | None:
        """The ``Authorization`` header value, or None without credentials."""
        if self.token:
            return f"Bearer {self.token}"
        if self.user is not None:
            raw = f"{self.user}:{self.password or ''}".encode()
            return "Basic " + base64.b64encode(raw).decode("ascii")
        return None

    def redact(self, text: str) -> str:
        """``text`` with every secret of this configuration replaced by ``***``."""
        secrets = [self.password, self.token]
        header = self.auth_header
        if header:
            secrets.append(header.split(" ", 1)[1])
        for secret in secrets:
            if secret and len(secret) >= 3:
                text = text.replace(secret, "***")
        return text


def _strip_service(path: str) -> str:
    return re.sub(r"/(query|sparql|update|store|data|get)$", "", path)


# --------------------------------------------------------------------------- reports


@dataclass(frozen=True)
class PushReport:
    """What a push did.

    Attributes:
        endpoint: The Graph Store Protocol URL pushed to.
        mode: ``per-article``, ``single`` or ``default``.
        graphs_total: Remote graphs the push meant to write (1 in single/default mode).
        graphs_pushed: Remote graph IRIs (:data:`DEFAULT_GRAPH` for the default graph)
            whose every request was accepted and, when verified, whose triple count on the
            server equals the local one.
        graphs_failed: Graph IRI → why it is not (completely) on the server.
        triples: Triples sent in accepted requests.
        seconds: Wall-clock time of the push, verification included.
        verified: The server's counts were read after the push and all of them matched.
        mismatches: Graph IRI → (local triples, remote triples) where they differ.
        verify_error: Why verification could not run, if it could not.
    """

    endpoint: str
    mode: str
    graphs_total: int
    graphs_pushed: tuple[str, ...]
    graphs_failed: Mapping[str, str]
    triples: int
    seconds: float
    verified: bool
    mismatches: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    verify_error: str | None = None

    @property
    def complete(self) -> bool:
        """Every graph is on the server, verified."""
        return (
            self.verified
            and not self.graphs_failed
            and not self.mismatches
            and len(self.graphs_pushed) == self.graphs_total
        )

    @property
    def graphs_not_sent(self) -> int:
        """Graphs neither pushed nor failed (the push stopped before them)."""
        return self.graphs_total - len(self.graphs_pushed) - len(self.graphs_failed)

    @property
    def triples_per_second(self) -> float:
        return self.triples / self.seconds if self.seconds > 0 else 0.0


class PushError(EndpointError):
    """A push stopped early (server unreachable, credentials refused, not a Graph Store).

    Attributes:
        report: What reached the server before the push stopped; graphs listed in
            ``report.graphs_pushed`` were completely accepted, the graph being sent when it
            stopped is in ``report.graphs_failed``.
    """

    def __init__(self, message: str, status: int | None = None, report: PushReport | None = None):
        super().__init__(message, status)
        self.report = report


class _Retryable(Exception):
    """An attempt failed in a way worth retrying (no answer, or HTTP 429/5xx)."""

    def __init__(self, message: str, status: int | None = None, retry_after: float = 0.0):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class _GraphRejected(Exception):
    """The server refused one graph's data; the push goes on with the others."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


# --------------------------------------------------------------------------- HTTP


def _with_retries(config: EndpointConfig, attempt: Callable[[], T], what: str = "") -> T:
    """Run ``attempt`` until it succeeds, retrying :class:`_Retryable` with backoff."""
    tries = 0
    while True:
        try:
            return attempt()
        except _Retryable as exc:
            if tries >= config.retries:
                attempts = f"{tries + 1} attempt{'s' if tries else ''}"
                prefix = f"{what}: " if what else ""
                raise EndpointError(
                    config.redact(f"{prefix}{exc} (gave up after {attempts})"), exc.status
                ) from None
            delay = min(config.backoff * 2**tries, config.backoff_cap)
            time.sleep(max(delay, min(exc.retry_after, config.backoff_cap)))
            tries += 1


def _server_message(body: bytes) -> str:
    text = body.decode("utf-8", "replace")
    if "<html" in text[:1000].lower():
        text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
        text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())
    if len(text) > _MESSAGE_CHARS:
        text = text[:_MESSAGE_CHARS] + "…"
    return text or "(no message)"


def _status_error(
    config: EndpointConfig,
    url: str,
    method: str,
    status: int,
    reason: str,
    body: bytes,
    *,
    service: str,
    location: str | None = None,
) -> EndpointError:
    """A clear error for an HTTP refusal of ``method url``."""
    said = _server_message(body)
    head = f"{url} answered HTTP {status} {reason}".rstrip()
    if status in (401, 403):
        if config.auth_header is None:
            hint = (
                f"it needs credentials: give a user and password or a token "
                f"(or set {ENV_USER}/{ENV_PASSWORD} or {ENV_TOKEN})"
            )
        else:
            hint = "the credentials were refused (check the user, password or token)"
        message = f"{head} to {method}: {hint}; the server said: {said}"
    elif status in (404, 405, 501) or (status == 400 and service == "query"):
        if status == 400:
            message = f"the endpoint rejected the query ({head}): {said}"
        else:
            kind = "SPARQL Graph Store" if service == "gsp" else "SPARQL query"
            message = f"{head} to {method}: is this a {kind} endpoint? The server said: {said}"
    elif status in (406, 415):
        message = (
            f"{head} to {method}: the server does not accept "
            f"{_NTRIPLES if service == 'gsp' else 'SPARQL JSON results'}; the server "
            f"said: {said}"
        )
    elif 300 <= status < 400:
        where = f" ({location})" if location else ""
        message = f"{head} to {method}: the endpoint moved{where}; use the URL it points to"
    else:
        message = f"{head} to {method}: {said}"
    return EndpointError(config.redact(message), status)


class _GraphStore:
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
        self._headers = {"Content-Type": _NTRIPLES, "User-Agent": _AGENT}
        if config.auth_header:
            self._headers["Authorization"] = config.auth_header

    def target(self, graph: str | None) -> str:
        """The request path for ``graph`` (None: the default graph)."""
        param = "default" if graph is None else "graph=" + urllib.parse.quote(graph, safe="")
        return self._path + "?" + (self._query + "&" if self._query else "") + param

    def close(self) -> None:
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
            _GraphRejected: the server refused this graph's data (400, 409, 413, 422).
            EndpointError: unreachable after the retries, or any other refusal.
        """
        path = self.target(graph)
        url = self.config.gsp_url

        def attempt() -> tuple[int, str, bytes, http.client.HTTPMessage]:
            try:
                status, reason, data, headers = self._once(method, path, body)
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                raise _Retryable(
                    f"no answer from {url} to {method} ({_describe_os_error(exc)})"
                ) from None
            if status in _RETRY_STATUSES:
                raise _Retryable(
                    f"{url} answered HTTP {status} {reason} to {method}: {_server_message(data)}",
                    status,
                    _retry_after(headers.get("Retry-After")),
                )
            return status, reason, data, headers

        status, reason, data, headers = _with_retries(self.config, attempt)
        if 200 <= status < 300:
            return
        if status in _GRAPH_STATUSES:
            hint = " (lower chunk_triples)" if status == 413 else ""
            raise _GraphRejected(
                self.config.redact(
                    f"HTTP {status} {reason} to {method}{hint}: {_server_message(data)}"
                ),
                status,
            )
        raise _status_error(
            self.config,
            url,
            method,
            status,
            reason,
            data,
            service="gsp",
            location=headers.get("Location"),
        )


def _retry_after(value: str | None) -> float:
    try:
        return max(0.0, float(value)) if value else 0.0
    except ValueError:  # an HTTP date: rare, fall back to the backoff
        return 0.0


def _describe_os_error(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError):
        exc = exc.reason if isinstance(exc.reason, BaseException) else exc
    if isinstance(exc, TimeoutError):
        return "timed out"
    text = str(exc) or type(exc).__name__
    return text


# --------------------------------------------------------------------------- SPARQL


class _Wrapper(SPARQLWrapper):
    """SPARQLWrapper that lets HTTP errors through with their status and body."""

    def _query(self):  # type: ignore[override]
        request = self._createRequest()
        return urllib.request.urlopen(request, timeout=self.timeout), self.returnFormat


def _sparql_json(config: EndpointConfig, sparql: str) -> dict:
    """Run a query on ``config.query_url``; the parsed SPARQL JSON results.

    Raises:
        EndpointError: unreachable, refused, or the answer is not SPARQL JSON results.
    """
    url = config.query_url
    wrapper = _Wrapper(url, agent=_AGENT)
    wrapper.setQuery(sparql)
    # SPARQLWrapper guesses the query form from keywords and takes some SELECT queries
    # (e.g. with a variable named ?conditional) for updates; we only send queries.
    wrapper.queryType = "ASK" if _query_form(sparql) == "AskQuery" else "SELECT"
    wrapper.setReturnFormat(JSON)
    wrapper.setOnlyConneg(True)  # the Accept header only: no format=json parameter
    wrapper.setTimeout(config.timeout)  # type: ignore[arg-type]
    if len(urllib.parse.quote(sparql)) > _MAX_GET_QUERY:
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
            if exc.code in _RETRY_STATUSES:
                raise _Retryable(
                    f"{url} answered HTTP {exc.code} {exc.reason}: {_server_message(body)}",
                    exc.code,
                    _retry_after(exc.headers.get("Retry-After")),
                ) from None
            raise _status_error(
                config, url, wrapper.method, exc.code, str(exc.reason), body, service="query"
            ) from None
        except (OSError, http.client.HTTPException) as exc:
            raise _Retryable(f"no answer from {url} ({_describe_os_error(exc)})") from None

    content_type, body = _with_retries(config, attempt, "SPARQL query")
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


def _rows(data: dict) -> tuple[list[str], list[list[str]]]:
    if "boolean" in data:
        return ["boolean"], [["true" if data["boolean"] else "false"]]
    columns = [str(v) for v in data.get("head", {}).get("vars", [])]
    rows = [
        [str(b.get(c, {}).get("value", "")) for c in columns]
        for b in data.get("results", {}).get("bindings", [])
    ]
    return columns, rows


def query_endpoint(sparql: str, config: EndpointConfig) -> tuple[list[str], list[list[str]]]:
    """Run a SELECT (or ASK) query on a remote SPARQL endpoint.

    Values come back as plain strings, like the local ``query``: IRIs and literal values
    without quotes, datatypes or language tags, ``''`` when unbound. An ASK query gives one
    column ``boolean`` holding ``true`` or ``false``.

    Example:
        >>> cols, rows = query_endpoint("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1",
        ...                             EndpointConfig.from_url("http://localhost:7878"))
        ...                                                          # doctest: +SKIP

    Raises:
        QueryError: the query is an update, CONSTRUCT or DESCRIBE.
        EndpointError: unreachable, the credentials or the query were refused (``status``
            400 for a query the server cannot parse), or not a SPARQL endpoint.
    """
    form = _query_form(sparql)
    if form == "update":
        raise QueryError("this is a SPARQL update; only SELECT and ASK queries are sent")
    if form in ("ConstructQuery", "DescribeQuery"):
        raise QueryError("only SELECT (and ASK) queries can be shown as a table")
    return _rows(_sparql_json(config, sparql))


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


# --------------------------------------------------------------------------- push


@dataclass(frozen=True, slots=True)
class _Body:
    data: bytes
    triples: int
    graphs_done: int  # source graphs completely contained in this and earlier bodies


@dataclass(frozen=True, slots=True)
class _Target:
    graph: str | None  # remote graph IRI; None: the default graph
    name: str  # as reported
    sources: tuple[tuple[str, int], ...]  # local (graph IRI, triples)
    expected: int  # triples the remote graph should hold


def push(
    store_path: str | Path,
    config: EndpointConfig,
    *,
    mode: PushMode = "per-article",
    graph: str | None = None,
    progress: ProgressCallback | None = None,
    verify: bool = True,
) -> PushReport:
    """Send the store's article graphs to a triplestore (SPARQL 1.1 Graph Store Protocol).

    Args:
        store_path: The embedded store (opened read-only).
        config: The remote endpoint.
        mode: ``per-article`` (one remote named graph per article, replaced by PUT),
            ``single`` (all into the named graph ``graph``) or ``default`` (all into the
            default graph). Single and default mode replace the target graph.
        graph: The target graph IRI in ``single`` mode.
        progress: Called as ``progress(graphs_done, graphs_total, triples_done)`` after each
            accepted request; graphs are the local article graphs. It is called from the
            worker threads, one call at a time.
        verify: Compare the per-graph triple counts on the server with the local ones.

    Up to ``config.workers`` graphs travel at the same time (per-article mode; single and
    default mode send their requests one after the other).

    Returns:
        A :class:`PushReport`; graphs the server refused (HTTP 400/409/413/422) are in
        ``graphs_failed`` and the push goes on with the others.

    Raises:
        ConfigError: bad ``mode``/``graph``.
        StoreError: the store cannot be opened or holds no article graph.
        PushError: the push had to stop (server unreachable after the retries, credentials
            refused, not a Graph Store endpoint); ``exc.report`` lists what is on the server.
    """
    if mode not in PUSH_MODES:
        raise ConfigError(f"unknown push mode {mode!r}; choose one of {', '.join(PUSH_MODES)}")
    if mode == "single":
        if not graph:
            raise ConfigError("single mode needs the IRI of the target graph (graph=...)")
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$", graph):
            raise ConfigError(f"the target graph must be an absolute IRI, not {graph!r}")
    elif graph is not None:
        raise ConfigError(f"a target graph is only used in single mode, not in {mode} mode")

    started = time.monotonic()
    store = _open_local(store_path)
    counts = graph_counts(store)
    if not counts:
        raise StoreError(f"the store at {store_path} holds no article graph: nothing to push")
    if mode == "per-article":
        targets = [_Target(iri, iri, ((iri, n),), n) for iri, n in counts.items()]
    else:
        expected = _distinct_union_count(store)
        name = graph if mode == "single" else DEFAULT_GRAPH
        targets = [_Target(graph, name or DEFAULT_GRAPH, tuple(counts.items()), expected)]

    def report(
        pushed: Iterable[str], failed: Mapping[str, str], verified: bool, **extra
    ) -> PushReport:
        return _report(
            config, mode, targets, pushed, failed, tally.triples, started, verified, **extra
        )

    tally = _Tally(len(counts), progress)
    # Fail early and clearly on an unreachable host or a URL that is not SPARQL.
    try:
        _sparql_json(config, "ASK {}")
    except EndpointError as exc:
        raise PushError(str(exc), exc.status, report([], {}, False)) from None

    outcomes = _send_all(store, config, targets, tally)
    pushed = [o.target.name for o in outcomes if o.error is None]
    failed = {
        o.target.name: f"{_what(o.target, o.requests)}: {o.error}"
        for o in outcomes
        if o.error is not None
    }
    fatal = next((o for o in outcomes if isinstance(o.error, EndpointError)), None)
    if fatal is not None:
        partial = report(pushed, failed, False)
        raise PushError(
            _stopped_message(fatal, partial), getattr(fatal.error, "status", None), partial
        )
    if not pushed and len(failed) >= _MAX_FIRST_REJECTIONS:
        first = next(iter(failed.values()))
        raise PushError(
            f"the first {len(failed)} graphs were all refused, stopping; the first one: {first}",
            getattr(outcomes[0].error, "status", None),
            report(pushed, failed, False),
        )

    if not verify or not pushed:
        return report(pushed, failed, False)
    done = set(pushed)
    try:
        remote = _remote_counts(config, [t for t in targets if t.name in done])
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


class _Tally:
    """Counters shared by the workers; calls the progress callback, one call at a time."""

    def __init__(self, graphs_total: int, progress: ProgressCallback | None):
        self.graphs_total = graphs_total
        self.graphs_done = 0
        self.triples = 0
        self._progress = progress
        self._lock = threading.Lock()

    def accepted(self, triples: int, graphs: int) -> None:
        with self._lock:
            self.triples += triples
            self.graphs_done += graphs
            if self._progress is not None:
                self._progress(self.graphs_done, self.graphs_total, self.triples)


@dataclass(frozen=True, slots=True)
class _Outcome:
    target: _Target
    requests: int  # accepted requests
    error: _GraphRejected | EndpointError | None = None


def _send_all(
    store: ox.Store, config: EndpointConfig, targets: list[_Target], tally: _Tally
) -> list[_Outcome]:
    """Push every target with ``config.workers`` connections; stop early on a fatal error.

    Returns the outcomes of the targets that were attempted, in target order.
    """
    local = threading.local()
    clients: list[_GraphStore] = []
    clients_lock = threading.Lock()

    def work(target: _Target) -> _Outcome:
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = _GraphStore(config)
            with clients_lock:
                clients.append(client)
        requests = 0
        done = 0
        try:
            for body in _bodies(store, target.sources, config.chunk_triples):
                method = "PUT" if requests == 0 else "POST"
                client.send(method, target.graph, body.data)
                requests += 1
                tally.accepted(body.triples, body.graphs_done - done)
                done = body.graphs_done
        except (_GraphRejected, EndpointError) as exc:
            return _Outcome(target, requests, exc)
        return _Outcome(target, requests)

    outcomes: dict[int, _Outcome] = {}
    queue = iter(enumerate(targets))
    stopping = False
    try:
        with ThreadPoolExecutor(
            max_workers=config.workers, thread_name_prefix="kg-builder-push"
        ) as pool:
            running: dict[Future[_Outcome], int] = {}

            def submit_next() -> None:
                for index, target in queue:
                    running[pool.submit(work, target)] = index
                    return

            for _ in range(config.workers):
                submit_next()
            while running:
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    outcome = future.result()
                    outcomes[running.pop(future)] = outcome
                    all_refused = len(outcomes) >= _MAX_FIRST_REJECTIONS and all(
                        o.error is not None for o in outcomes.values()
                    )
                    if isinstance(outcome.error, EndpointError) or all_refused:
                        stopping = True
                    if not stopping:
                        submit_next()
    finally:
        for client in clients:
            client.close()
    return [outcomes[i] for i in sorted(outcomes)]


def _open_local(store_path: str | Path) -> ox.Store:
    try:
        return open_store(store_path, read_only=True)
    except RuntimeError as exc:  # RocksDB, e.g. while another process writes the store
        raise StoreError(
            f"cannot read the store at {store_path} ({exc}); is an ingest "
            "writing it? Push when it has finished"
        ) from exc


def _what(target: _Target, index: int) -> str:
    name = "the default graph" if target.graph is None else f"<{target.name}>"
    return f"{name} (request {index + 1})" if index else name


def _stopped_message(outcome: _Outcome, report: PushReport) -> str:
    partial = " (partly sent: its first requests were accepted)" if outcome.requests else ""
    return (
        f"push stopped at {_what(outcome.target, outcome.requests)}{partial}: "
        f"{outcome.error}. {len(report.graphs_pushed)} of {report.graphs_total} "
        "graph(s) were completely pushed; pushing again is safe (PUT replaces each graph)"
    )


def _report(
    config: EndpointConfig,
    mode: str,
    targets: list[_Target],
    pushed: Iterable[str],
    failed: Mapping[str, str],
    triples: int,
    started: float,
    verified: bool,
    *,
    mismatches: Mapping[str, tuple[int, int]] | None = None,
    verify_error: str | None = None,
) -> PushReport:
    mismatches = dict(mismatches or {})
    return PushReport(
        endpoint=config.gsp_url,
        mode=mode,
        graphs_total=len(targets),
        graphs_pushed=tuple(pushed),
        graphs_failed=dict(failed),
        triples=triples,
        seconds=time.monotonic() - started,
        verified=verified and not mismatches,
        mismatches=mismatches,
        verify_error=verify_error,
    )


def _distinct_union_count(store: ox.Store) -> int:
    res = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    )
    return int(next(iter(res))["n"].value)


def _has_blank_nodes(store: ox.Store, graph: str) -> bool:
    return bool(
        store.query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }} }}")
    )


def _bodies(store: ox.Store, sources: Iterable[tuple[str, int]], chunk: int) -> Iterator[_Body]:
    """Request bodies of at most ``chunk`` triples (unless one blank-node group is bigger).

    Whole graphs are packed together; only a graph bigger than a chunk is split.
    """
    buf: list[bytes] = []
    size = 0
    done = 0
    for iri, n in sources:
        for part, k in _graph_parts(store, iri, n, chunk):
            if buf and size + k > chunk:
                yield _Body(b"".join(buf), size, done)
                buf, size = [], 0
            buf.append(part)
            size += k
        done += 1
    if buf:
        yield _Body(b"".join(buf), size, done)


def _graph_parts(store: ox.Store, iri: str, n: int, chunk: int) -> Iterator[tuple[bytes, int]]:
    """One local graph as N-Triples pieces of at most ``chunk`` triples."""
    data = store.dump(None, ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(iri))
    if n <= chunk:
        yield data, n
        return
    if _has_blank_nodes(store, iri):
        yield from _blank_node_safe_parts(store, iri, chunk)
        return
    # pyoxigraph writes one triple per line (newlines in literals are escaped).
    lines = data.splitlines(keepends=True)
    for i in range(0, len(lines), chunk):
        piece = lines[i : i + chunk]
        yield b"".join(piece), len(piece)


def _blank_node_safe_parts(store: ox.Store, iri: str, chunk: int) -> Iterator[tuple[bytes, int]]:
    """Split a graph so that all triples linked by blank nodes share a request.

    Blank node labels are scoped to one request body: splitting ``_:b`` over two requests
    would create two different nodes on the server.
    """
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
                yield ox.serialize(plain, format=ox.RdfFormat.N_TRIPLES), len(plain)
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
            yield ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES), len(batch)
            batch = []
        batch = batch + group
    if batch:
        yield ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES), len(batch)


def _remote_counts(config: EndpointConfig, targets: list[_Target]) -> dict[str, int]:
    """Triples per pushed remote graph, read from the server with SPARQL."""
    counts: dict[str, int] = {}
    named = [t.graph for t in targets if t.graph is not None]
    for i in range(0, len(named), _VERIFY_BATCH):
        values = " ".join(f"<{g}>" for g in named[i : i + _VERIFY_BATCH])
        data = _sparql_json(
            config,
            f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
            "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        )
        for g, n in _rows(data)[1]:
            counts[g] = int(n)
    if any(t.graph is None for t in targets):
        expected = next(t.expected for t in targets if t.graph is None)
        _, rows = _rows(_sparql_json(config, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
        n = int(rows[0][0]) if rows else 0
        if n != expected:
            # Some servers query the union of all graphs by default: ask the Graph Store.
            n = _default_graph_size(config)
        counts[DEFAULT_GRAPH] = n
    return counts


def _default_graph_size(config: EndpointConfig) -> int:
    """Triples in the default graph, counted from a Graph Store GET in N-Triples."""
    client = _GraphStore(config)
    path = client.target(None)
    headers = {"Accept": _NTRIPLES, "User-Agent": _AGENT}
    if config.auth_header:
        headers["Authorization"] = config.auth_header

    def attempt() -> int:
        conn = client._connection()
        try:
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            if resp.status != 200:
                body = resp.read()
                if resp.status in _RETRY_STATUSES:
                    raise _Retryable(f"HTTP {resp.status} {resp.reason}", resp.status)
                raise _status_error(
                    config, config.gsp_url, "GET", resp.status, resp.reason, body, service="gsp"
                )
            return sum(1 for line in resp if line.strip() and not line.startswith(b"#"))
        except (OSError, http.client.HTTPException) as exc:
            raise _Retryable(f"no answer ({_describe_os_error(exc)})") from None
        finally:
            client.close()

    return _with_retries(config, attempt, f"GET {config.gsp_url}?default")
