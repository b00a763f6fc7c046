"""Test helpers: a real `oxigraph serve`, small loopback HTTP servers, synthetic articles.

Imported by the endpoint and serve tests (``from oxigraph_server import ...``); not a test
module itself.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import http.server
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

from kg_builder.store import GraphWrite, open_store, replace_graphs

ARTICLE_BASE = "https://w3id.org/kg-builder/id/article/"
ID_BASE = "https://w3id.org/kg-builder/id/"
KGB = "https://w3id.org/kg-builder/ontology#"
SCHEMA = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def oxigraph_binary() -> str:
    """The `oxigraph` CLI of the test environment."""
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if not found:
        raise RuntimeError("the oxigraph CLI is not installed: pip install oxigraph")
    return found


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 20.0, proc: subprocess.Popen | None = None) -> None:
    """Poll ``url`` until it answers HTTP (any status); bounded by ``timeout``."""
    parts = urllib.parse.urlsplit(url)
    deadline = time.monotonic() + timeout
    while True:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode}")
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=2)
        try:
            conn.request("GET", parts.path or "/")
            conn.getresponse().read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not answer within {timeout} s") from None
            time.sleep(0.05)
        finally:
            conn.close()


class OxigraphServer:
    """`oxigraph serve` (read-write) on a free loopback port over ``location``."""

    def __init__(
        self, location: Path, port: int | None = None, *, union_default_graph: bool = False
    ):
        self.location = Path(location)
        self.port = port or free_port()
        self.union_default_graph = union_default_graph
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> OxigraphServer:
        self.location.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [
                oxigraph_binary(),
                "serve",
                "--location",
                str(self.location),
                "--bind",
                f"127.0.0.1:{self.port}",
                *(["--union-default-graph"] if self.union_default_graph else []),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_http(self.url + "/", proc=self.proc)
        except BaseException:
            self.stop(kill=True)
            raise
        return self

    def stop(self, *, kill: bool = False) -> None:
        """Stop the server: SIGKILL at once when ``kill`` (a crash), else SIGTERM first."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            if kill:
                self.proc.kill()
            else:
                self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None

    def restart(self) -> OxigraphServer:
        self.stop()
        return self.start()

    def __enter__(self) -> OxigraphServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop(kill=True)


# --------------------------------------------------------------------------- HTTP stand-ins


class _Quiet(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def _body(self) -> bytes:
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _answer(
        self,
        status: int,
        body: bytes = b"",
        ctype: str = "text/plain",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


class LoopbackServer:
    """A threaded ``http.server`` on a free loopback port, as a context manager."""

    def __init__(self, handler: type[http.server.BaseHTTPRequestHandler]):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LoopbackServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def html_site(*, everywhere: bool) -> LoopbackServer:
    """A web site that is no SPARQL endpoint: an HTML page at / (or at every path, with
    status 200 to every method when ``everywhere``), 404 elsewhere."""
    page = (
        b"<!DOCTYPE html><html><head><title>Welcome</title></head>"
        b"<body><h1>Our company</h1><p>Nothing to see here.</p></body></html>"
    )

    class Handler(_Quiet):
        def _serve(self) -> None:
            self._body()
            if everywhere or urllib.parse.urlsplit(self.path).path == "/":
                self._answer(200, page, "text/html; charset=utf-8")
            else:
                self._answer(404, b"<html><body><h1>404 Not Found</h1></body></html>", "text/html")

        do_GET = do_POST = do_PUT = do_DELETE = _serve

    return LoopbackServer(Handler)


def auth_proxy(
    upstream: str,
    *,
    user: str | None = None,
    password: str | None = None,
    token: str | None = None,
    intercept: Callable[[str, str], tuple[int, bytes] | None] | None = None,
) -> LoopbackServer:
    """A reverse proxy to ``upstream`` that demands HTTP Basic ``user:password`` or the
    Bearer ``token``, and answers 401 otherwise.

    ``intercept(method, path)`` may return ``(status, body)`` to answer instead of
    forwarding (to simulate server errors).
    """
    target = urllib.parse.urlsplit(upstream)
    accepted = set()
    if user is not None:
        accepted.add("Basic " + base64.b64encode(f"{user}:{password}".encode()).decode())
    if token is not None:
        accepted.add(f"Bearer {token}")

    class Handler(_Quiet):
        def _forward(self) -> None:
            body = self._body()
            if self.headers.get("Authorization") not in accepted:
                self._answer(
                    401,
                    b"Unauthorized: bad or missing credentials",
                    headers={"WWW-Authenticate": 'Basic realm="triplestore"'},
                )
                return
            if intercept is not None:
                canned = intercept(self.command, self.path)
                if canned is not None:
                    self._answer(canned[0], canned[1])
                    return
            conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            try:
                headers = {
                    k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")
                }
                conn.request(self.command, self.path, body=body or None, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
            except OSError as exc:
                self._answer(502, f"bad gateway: {exc}".encode())
                return
            finally:
                conn.close()
            self._answer(resp.status, data, resp.getheader("Content-Type") or "text/plain")

        do_GET = do_POST = do_PUT = do_DELETE = _forward

    return LoopbackServer(Handler)


# --------------------------------------------------------------------------- synthetic data


def _lit(text: str) -> str:
    esc = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{esc}"'


def article_iri(i: int) -> str:
    return f"{ARTICLE_BASE}a{i:05d}"


def article_ntriples(
    i: int, n_triples: int = 200, *, version: int = 0, blank_nodes: bool = False
) -> str:
    """A synthetic article graph of exactly ``n_triples`` triples, as N-Triples.

    Literals carry quotes, backslashes, tabs, newlines, non-Latin scripts and emoji, to
    exercise escaping on the way to the server. ``version`` changes every literal (an edit
    of the article). With ``blank_nodes``, statements hang off blank nodes, in pairs.
    """
    art = f"<{article_iri(i)}>"
    headline = _lit(f"Talks {i} «résumé» " + '"quoted"' + f" v{version}")
    body = _lit(f"Line one of {i}." + "\nLine two\ttabbed \\ back")
    lines = [
        f"{art} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{SCHEMA}NewsArticle> .",
        f"{art} <{SCHEMA}headline> {headline}@en .",
        f'{art} <{SCHEMA}datePublished> "2024-03-{1 + i % 28:02d}"^^<{XSD}date> .',
        f"{art} <{SCHEMA}text> {body} .",
    ]
    k = 0
    while len(lines) < n_triples:
        stmt = f"{ID_BASE}statement/a{i:05d}-{k}"
        # Labels unique per article: replace_graphs sends many graphs in one update.
        subject = f"_:a{i}s{k}" if blank_nodes else f"<{stmt}>"
        quote = f'Минск {k} 東京 "цитата" 🕊 v{version}\n— said {i}'
        block = [
            f"{subject} <{KGB}quote> {_lit(quote)}@ru .",
            f"{subject} <{KGB}speaker> <{ID_BASE}actor/actor-{(i + k) % 37}> .",
            f"{subject} <{KGB}inArticle> {art} .",
            f'{subject} <{KGB}order> "{k}"^^<{XSD}integer> .',
        ]
        if blank_nodes and k % 2:  # pairs of statements joined by blank nodes
            block.append(f"_:a{i}s{k - 1} <{KGB}next> {subject} .")
        lines.extend(block)
        k += 1
    return "\n".join(lines[:n_triples]) + "\n"


def build_store(
    path: Path,
    sizes: dict[int, int],
    *,
    version: int = 0,
    blank_nodes: frozenset[int] = frozenset(),
) -> dict[str, int]:
    """Write synthetic article graphs (article number → triples) into the store at
    ``path``; returns graph IRI → triples."""
    store = open_store(path)
    writes = [
        GraphWrite(
            article_iri(i), article_ntriples(i, n, version=version, blank_nodes=i in blank_nodes)
        )
        for i, n in sizes.items()
    ]
    replace_graphs(store, writes)
    store.flush()
    del store
    return {article_iri(i): n for i, n in sizes.items()}


@contextlib.contextmanager
def running(location: Path) -> Iterator[OxigraphServer]:
    """An `oxigraph serve` over ``location`` for the duration of the block."""
    server = OxigraphServer(location).start()
    try:
        yield server
    finally:
        server.stop(kill=True)
