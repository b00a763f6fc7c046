"""Remote SPARQL 1.1 endpoints: where they are, how to reach them, and remote queries.

:class:`EndpointConfig` derives the query, update and Graph Store Protocol URLs of
Oxigraph, Fuseki and GraphDB from one base URL and carries the credentials (HTTP Basic or
a Bearer token, which never appear in a message, an exception or a ``repr``). The HTTP
helpers retry connection errors and HTTP 429/5xx with exponential backoff and turn a
refusal (4xx) into an :class:`~kg_builder.errors.EndpointError` that quotes the server.
:func:`query_endpoint` runs a SELECT or ASK query remotely. Pushing the store lives in
:mod:`kg_builder.push`.

Example:
    >>> config = EndpointConfig.from_url("http://localhost:3030/news")
    >>> config.query_url, config.gsp_url
    ('http://localhost:3030/news/query', 'http://localhost:3030/news/data')
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from SPARQLWrapper import GET, JSON, POST, URLENCODED, SPARQLWrapper

from kg_builder import __version__
from kg_builder.errors import ConfigError, EndpointError, QueryError

ENV_USER = "KG_BUILDER_ENDPOINT_USER"
ENV_PASSWORD = "KG_BUILDER_ENDPOINT_PASSWORD"
ENV_TOKEN = "KG_BUILDER_ENDPOINT_TOKEN"

#: Endpoint layouts :meth:`EndpointConfig.from_url` knows.
LAYOUTS: tuple[str, ...] = ("oxigraph", "fuseki", "graphdb")


_AGENT = f"kg-builder/{__version__}"
_NTRIPLES = "application/n-triples"
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Refusals that concern one graph's data: report it and go on with the others.
_GRAPH_STATUSES = frozenset({400, 409, 413, 422})
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
