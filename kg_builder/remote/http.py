"""HTTP for the SPARQL protocols: retries with backoff, and errors that quote the server.

Connection errors, timeouts and HTTP 429/5xx are retried with exponential backoff
(:func:`with_retries`); a refusal becomes an :class:`~kg_builder.errors.EndpointError` whose
message quotes the server and names the likely cause (:func:`status_error`).
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import TypeVar

from kg_builder import __version__
from kg_builder.errors import EndpointError, RemoteQueryError
from kg_builder.remote.endpoint import ENV_PASSWORD, ENV_TOKEN, ENV_USER, EndpointConfig

AGENT = f"kg-builder/{__version__}"


NTRIPLES = "application/n-triples"
NQUADS = "application/n-quads"


RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


#: Refusals that concern one graph's data: report it and go on with the others.
GRAPH_STATUSES = frozenset({400, 409, 413, 422})


MESSAGE_CHARS = 500


T = TypeVar("T")


class Retryable(Exception):
    """An attempt failed in a way worth retrying (no answer, or HTTP 429/5xx)."""

    def __init__(self, message: str, status: int | None = None, retry_after: float = 0.0):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class GraphRejected(Exception):
    """The server refused one graph's data; the push goes on with the others."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def with_retries(config: EndpointConfig, attempt: Callable[[], T], what: str = "") -> T:
    """Run ``attempt`` until it succeeds, retrying :class:`Retryable` with backoff."""
    tries = 0
    while True:
        try:
            return attempt()
        except Retryable as exc:
            if tries >= config.retries:
                attempts = f"{tries + 1} attempt{'s' if tries else ''}"
                prefix = f"{what}: " if what else ""
                raise EndpointError(
                    config.redact(f"{prefix}{exc} (gave up after {attempts})"), exc.status
                ) from None
            delay = min(config.backoff * 2**tries, config.backoff_cap)
            time.sleep(max(delay, min(exc.retry_after, config.backoff_cap)))
            tries += 1


def server_message(body: bytes) -> str:
    """The server's own words from an error body (text of an HTML page), shortened."""
    text = body.decode("utf-8", "replace")
    if "<html" in text[:1000].lower():
        text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
        text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())
    if len(text) > MESSAGE_CHARS:
        text = text[:MESSAGE_CHARS] + "…"
    return text or "(no message)"


#: Services that write: a refusal there may mean a read-only dataset.
WRITE_SERVICES = frozenset({"gsp", "bulk", "update"})

#: What each service is called in a message.
SERVICE_NAMES = {
    "gsp": "SPARQL Graph Store",
    "bulk": "dataset (N-Quads)",
    "update": "SPARQL update",
    "query": "SPARQL query",
}

READ_ONLY_HINT = (
    "the server answers queries but does not let this client write: the dataset is "
    "read-only (Oxigraph: `oxigraph serve`, not `serve-read-only`; Fuseki: a dataset with "
    "update and Graph Store write services, e.g. `fuseki-server --update`; GraphDB: a "
    "writable repository) or the user has no write permission"
)


def status_error(
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
    """A clear error for an HTTP refusal of ``method url``.

    ``service`` is ``query``, ``gsp``, ``bulk`` or ``update``. A query the server calls
    malformed (400) becomes a :class:`~kg_builder.errors.RemoteQueryError`; a write
    refused with 403, or with 405 or a "read-only" message, gets the read-only hint.
    """
    said = server_message(body)
    head = f"{url} answered HTTP {status} {reason}".rstrip()
    writes = service in WRITE_SERVICES
    if status == 400 and service == "query":
        return RemoteQueryError(
            config.redact(f"the endpoint rejected the query ({head}): {said}"), status
        )
    if writes and (status == 403 or "read-only" in said.lower() or "readonly" in said.lower()):
        message = f"{head} to {method}: {READ_ONLY_HINT}; the server said: {said}"
    elif status in (401, 403):
        if config.auth_header is None:
            hint = (
                f"it needs credentials: give a user and password or a token "
                f"(or set {ENV_USER}/{ENV_PASSWORD} or {ENV_TOKEN})"
            )
        else:
            hint = "the credentials were refused (check the user, password or token)"
        message = f"{head} to {method}: {hint}; the server said: {said}"
    elif status == 405 and writes:
        message = (
            f"{head} to {method}: the server does not take {method} here: this is not its "
            f"{SERVICE_NAMES[service]} service, or {READ_ONLY_HINT}; the server said: {said}"
        )
    elif status in (404, 405, 501):
        kind = SERVICE_NAMES.get(service, "SPARQL")
        message = f"{head} to {method}: is this a {kind} endpoint? The server said: {said}"
    elif status in (406, 415):
        accepted = {"gsp": NTRIPLES, "bulk": NQUADS}.get(service, "SPARQL JSON results")
        message = (
            f"{head} to {method}: the server does not accept {accepted}; the server said: {said}"
        )
    elif 300 <= status < 400:
        where = f" ({location})" if location else ""
        message = f"{head} to {method}: the endpoint moved{where}; use the URL it points to"
    else:
        message = f"{head} to {method}: {said}"
    return EndpointError(config.redact(message), status)


def retry_after(value: str | None) -> float:
    """Seconds from an HTTP ``Retry-After`` header (0 when absent or a date)."""
    try:
        return max(0.0, float(value)) if value else 0.0
    except ValueError:  # an HTTP date: rare, fall back to the backoff
        return 0.0


def describe_os_error(exc: BaseException) -> str:
    """A connection failure in words (refused, timed out, name not found ...)."""
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError):
        exc = exc.reason if isinstance(exc.reason, BaseException) else exc
    if isinstance(exc, TimeoutError):
        return "timed out"
    text = str(exc) or type(exc).__name__
    return text
