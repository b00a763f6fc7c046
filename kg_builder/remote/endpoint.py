"""Remote SPARQL 1.1 endpoints: where they are, how to reach them, and remote queries.

:class:`EndpointConfig` derives the query, update and Graph Store Protocol URLs of
Oxigraph, Fuseki and GraphDB from one base URL and carries the credentials (HTTP Basic or
a Bearer token, which never appear in a message, an exception or a ``repr``). The HTTP
helpers retry connection errors and HTTP 429/5xx with exponential backoff and turn a
refusal (4xx) into an :class:`~kg_builder.errors.EndpointError` that quotes the server.
:func:`query_endpoint` runs a SELECT or ASK query remotely. Pushing the store lives in
:mod:`kg_builder.remote.push`.

Example:
    >>> config = EndpointConfig.from_url("http://localhost:3030/news")
    >>> config.query_url, config.gsp_url
    ('http://localhost:3030/news/query', 'http://localhost:3030/news/data')
"""

from __future__ import annotations

import base64
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from kg_builder.errors import ConfigError

ENV_USER = "KG_BUILDER_ENDPOINT_USER"
ENV_PASSWORD = "KG_BUILDER_ENDPOINT_PASSWORD"
ENV_TOKEN = "KG_BUILDER_ENDPOINT_TOKEN"

#: Endpoint layouts :meth:`EndpointConfig.from_url` knows.
LAYOUTS: tuple[str, ...] = ("oxigraph", "fuseki", "graphdb")


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
        layout: The server the URLs were derived for (``oxigraph``, ``fuseki``,
            ``graphdb``; guessed from the URL unless given), or None.
        dataset_url: Where the whole dataset takes N-Quads by POST (Oxigraph ``/store``,
            Fuseki ``/DATASET``, GraphDB ``…/statements``), for the bulk push; None when
            unknown (not derived when the Graph Store URL is given explicitly).
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
    layout: str | None = None
    dataset_url: str | None = None

    def __post_init__(self) -> None:
        for name in ("gsp_url", "query_url", "update_url", "dataset_url"):
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
        if self.layout is not None and self.layout not in LAYOUTS:
            raise ConfigError(f"unknown endpoint layout {self.layout!r}")

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        gsp_url: str | None = None,
        query_url: str | None = None,
        update_url: str | None = None,
        dataset_url: str | None = None,
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
        layout        base URL                            query / update / GSP / dataset
        ============  ==================================  ===============================
        oxigraph      ``http://host:7878``                ``/query``, ``/update``,
                                                          ``/store``, ``/store``
        fuseki        ``http://host:3030/ds``             ``/ds/query``, ``/ds/update``,
                                                          ``/ds/data``, ``/ds``
        graphdb       ``http://host:7200/repositories/r`` the URL, ``…/statements``,
                                                          ``…/rdf-graphs/service``,
                                                          ``…/statements``
        ============  ==================================  ===============================

        The layout is guessed from the path (none → Oxigraph, ``/repositories/NAME`` →
        GraphDB/RDF4J, anything else → Fuseki dataset) unless ``layout`` is given. A URL
        that already ends in a service (``/query``, ``/sparql``, ``/update``, ``/store``,
        ``/data``) is reduced to its base first. Explicit ``gsp_url``/``query_url``/
        ``update_url``/``dataset_url`` win over the derived ones.

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
                base + path + "/statements",
            )
        else:
            path = _strip_service(path)
            if layout == "fuseki" and not path:
                raise ConfigError(
                    f"a Fuseki URL names the dataset: http://host:3030/DATASET, not {url!r}"
                )
            gsp = "/data" if layout == "fuseki" else "/store"
            derived = (
                base + path + "/query",
                base + path + "/update",
                base + path + gsp,
                base + path + ("" if layout == "fuseki" else "/store"),
            )

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
            dataset_url=dataset_url or (None if gsp_url else derived[3]),
            user=user,
            password=password,
            token=token,
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            backoff_cap=backoff_cap,
            chunk_triples=chunk_triples,
            workers=workers,
            layout=layout,
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


# --------------------------------------------------------------------------- HTTP


# --------------------------------------------------------------------------- SPARQL
