"""``kg-builder serve``: the article and actor pages, in front of Oxigraph's SPARQL server.

One address serves both. ``oxigraph serve-read-only`` (see :mod:`kg_builder.remote.serve`)
runs on a private port of 127.0.0.1; a small threaded HTTP server on the public address
answers ``/article/…`` and ``/actor/…`` with the pages of :mod:`kg_builder.view.pages`
and passes every other request through to Oxigraph unchanged, so the YASGUI query page
stays at ``/``, SPARQL at ``/query`` and the Graph Store at ``/store``. The pages read
the graph through that same SPARQL endpoint, as they would read any remote one.
"""

from __future__ import annotations

import http.client
import http.server
import logging
import socket
import threading
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from kg_builder.errors import KgBuilderError
from kg_builder.remote.endpoint import EndpointConfig
from kg_builder.remote.serve import check_port_free, oxigraph_process, server_url
from kg_builder.view import pages
from kg_builder.view.render import render
from kg_builder.view.source import EndpointSource, Source

log = logging.getLogger(__name__)

#: Paths the pages answer; everything else goes to Oxigraph.
PAGES = ("/article/", "/actor/")
#: Headers that belong to one connection, not to the request or answer passed on.
_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "host",
}
_CHUNK = 64 * 1024


def page_for(source: Source, path: str) -> tuple[int, str]:
    """The status and HTML of the page at a site ``path`` (``/article/ID``, ``/actor/KEY``,
    ``/article/``, ``/actor/``); 404 when there is no such article or actor."""
    kind, _, rest = path.strip("/").partition("/")
    key = urllib.parse.unquote(rest)
    if kind == "article":
        html = pages.article_page(source, key) if key else pages.article_index(source)
    elif kind == "actor":
        html = pages.actor_page(source, key) if key else pages.actor_index(source)
    else:
        html = None
    if html is None:
        what = f"{kind} {key!r}" if key else repr(path)
        return 404, _message_page("Not found", f"There is no {what} in this graph.")
    return 200, html


def _message_page(title: str, text: str) -> str:
    return render("message.html", title=title, text=text)


class SiteHandler(http.server.BaseHTTPRequestHandler):
    """Pages for ``/article/…`` and ``/actor/…`` from ``source``; everything else is passed
    to the Oxigraph server at ``upstream`` (set by :func:`handler`)."""

    server_version = "kg-builder"
    source: Source
    upstream: tuple[str, int]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Log each request at DEBUG level, not on stderr as http.server does."""
        log.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        """Answer a page, redirect ``/article`` and ``/actor`` to their index, or pass the
        request on to Oxigraph (its query page, SPARQL and the Graph Store)."""
        path = urllib.parse.urlsplit(self.path).path
        if path in ("/article", "/actor"):
            self._answer(301, b"", headers={"Location": path + "/"})
        elif path.startswith(PAGES):
            self._page(path)
        else:
            self._forward()

    def _page(self, path: str) -> None:
        try:
            status, html = page_for(self.source, path)
        except KgBuilderError as exc:
            status, html = 502, _message_page("The graph could not be read", str(exc))
        self._answer(status, html.encode("utf-8"), "text/html; charset=utf-8")

    def _answer(
        self,
        status: int,
        body: bytes,
        content_type: str = "text/plain; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _forward(self) -> None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._answer(411, b"send the request with a Content-Length")
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        conn = http.client.HTTPConnection(*self.upstream, timeout=600)
        try:
            conn.request(self.command, self.path, body=body, headers=headers)
            resp = conn.getresponse()
            self.send_response(resp.status, resp.reason)
            for name, value in resp.getheaders():
                if name.lower() not in _HOP_BY_HOP:
                    self.send_header(name, value)
            self.end_headers()  # HTTP/1.0: without a length, the body ends with the connection
            while chunk := resp.read(_CHUNK):
                self.wfile.write(chunk)
        except OSError as exc:
            log.warning("oxigraph did not answer %s %s: %s", self.command, self.path, exc)
        finally:
            conn.close()

    do_POST = do_PUT = do_DELETE = do_HEAD = _forward  # noqa: N815


def handler(source: Source, upstream: tuple[str, int]) -> type[SiteHandler]:
    """The request handler of a site: pages from ``source``, the rest to ``upstream``."""
    return type("Handler", (SiteHandler,), {"source": source, "upstream": upstream})


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def _free_local_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # an IPv4 socket's name is (host, port)
    assert isinstance(port, int)
    return port


def run_site(
    store_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    *,
    ready_callback: Callable[[str], None] | None = None,
    read_only: bool = True,
    union_default_graph: bool = False,
    startup_timeout: float = 30.0,
    stop: threading.Event | None = None,
) -> int:
    """Serve the store's SPARQL endpoint, query page, and article and actor pages until
    Ctrl-C (or until ``stop`` is set).

    Example:
        >>> run_site("data/store", ready_callback=print)                 # doctest: +SKIP
        http://127.0.0.1:7878/

    Returns:
        0 once stopped on request.

    Raises:
        ConfigError: ``oxigraph`` is missing, or the port is in use.
        StoreError: no store at ``store_path``, the store is locked by a writer, the
            server did not start in time, or Oxigraph stopped on its own.
    """
    check_port_free(host, port)
    inner = _free_local_port()
    try:
        with oxigraph_process(
            store_path,
            "127.0.0.1",
            inner,
            read_only=read_only,
            union_default_graph=union_default_graph,
            startup_timeout=startup_timeout,
        ) as oxigraph:
            source = EndpointSource(EndpointConfig.from_url(oxigraph.url, retries=1, timeout=600))
            server_class = type(
                "Server",
                (_Server,),
                {"address_family": socket.AF_INET6 if ":" in host else socket.AF_INET},
            )
            httpd = server_class((host.strip("[]"), port), handler(source, ("127.0.0.1", inner)))
            thread = threading.Thread(
                target=httpd.serve_forever, name="kg-builder-serve", daemon=True
            )
            thread.start()
            try:
                if ready_callback is not None:
                    ready_callback(server_url(host, port))
                return oxigraph.wait(stop)
            finally:
                httpd.shutdown()
                httpd.server_close()
                thread.join(timeout=10)
    except KeyboardInterrupt:
        return 0
