"""A local SPARQL endpoint over the embedded store: runs ``oxigraph serve``.

The `oxigraph` command (PyPI package ``oxigraph``, extra ``kg-builder[server]``) serves the
store folder over HTTP: SPARQL queries at ``/query``, the Graph Store at ``/store`` and a
YASGUI query page at ``/`` for the browser.

By default the store is served **read-only** (``oxigraph serve-read-only``): the server
never writes, so the store on disk stays exactly as ``ingest`` left it, and ``query`` /
``export`` / ``push`` (which open it read-only too) can run at the same time. The server
sees the store as it was when it started: restart it after an ingest, and do not ingest
*while* it runs (RocksDB calls a reader next to a writer undefined behaviour).
``read_only=False`` runs ``oxigraph serve`` instead: it locks the store (an ingest then
fails with "another process holds it") and accepts SPARQL updates from the browser.
"""

from __future__ import annotations

import contextlib
import http.client
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from kg_builder.errors import ConfigError, StoreError

_INSTALL_HINT = (
    "the `oxigraph` server is not installed: pip install 'kg-builder[server]' "
    "(or pip install oxigraph)"
)


def find_oxigraph() -> str:
    """The ``oxigraph`` binary: next to the Python interpreter first, then on ``PATH``.

    Raises:
        ConfigError: not installed.
    """
    exe = "oxigraph.exe" if sys.platform == "win32" else "oxigraph"
    beside = Path(sys.executable).parent / exe
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise ConfigError(_INSTALL_HINT)
    return found


def _bind(host: str, port: int) -> str:
    if not host:
        raise ConfigError("the host to bind to is empty; use 127.0.0.1 (this machine only)")
    if not 1 <= port <= 65535:
        raise ConfigError(f"the port must be between 1 and 65535, not {port}")
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def serve_command(
    store_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    *,
    read_only: bool = True,
    union_default_graph: bool = False,
) -> list[str]:
    """The command line that serves ``store_path`` with Oxigraph.

    Args:
        store_path: The embedded store folder.
        host: Interface to listen on (``0.0.0.0`` exposes the store to the network).
        port: TCP port.
        read_only: ``oxigraph serve-read-only`` (default) rather than ``oxigraph serve``.
        union_default_graph: Queries without ``GRAPH`` see all article graphs.

    Example:
        >>> serve_command("data/store")[1:]                              # doctest: +SKIP
        ['serve-read-only', '--location', 'data/store', '--bind', '127.0.0.1:7878']

    Raises:
        ConfigError: the ``oxigraph`` binary is missing, or a bad host/port.
    """
    argv = [
        find_oxigraph(),
        "serve-read-only" if read_only else "serve",
        "--location",
        str(store_path),
        "--bind",
        _bind(host, port),
    ]
    if union_default_graph:
        argv.append("--union-default-graph")
    return argv


def server_url(host: str, port: int) -> str:
    """The URL to open in a browser for a server bound to ``host:port``."""
    if host in ("0.0.0.0", "::", "[::]", ""):
        host = "localhost"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}/"


class Running:
    """An ``oxigraph`` server process and its log (see :func:`oxigraph_process`)."""

    def __init__(self, proc: subprocess.Popen[bytes], log: IO[bytes], url: str):
        self.proc = proc
        self.log = log
        self.url = url

    def wait(self, stop: threading.Event | None = None) -> int:
        """Block until ``stop`` is set (or, without ``stop``, until the server ends).

        Returns:
            0 once stopped on request, or when Ctrl-C reached the server first.

        Raises:
            StoreError: the server stopped on its own.
        """
        while True:
            if stop is not None:
                if stop.wait(0.2):
                    return 0
            else:
                try:
                    self.proc.wait(timeout=0.5)
                except subprocess.TimeoutExpired:
                    continue
            if self.proc.poll() is not None:
                if self.proc.returncode in (-signal.SIGINT, 130):  # Ctrl-C reached it first
                    return 0
                raise StoreError(
                    f"oxigraph stopped on its own (exit code {self.proc.returncode}): "
                    f"{_tail(self.log)}"
                )


@contextlib.contextmanager
def oxigraph_process(
    store_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    *,
    read_only: bool = True,
    union_default_graph: bool = False,
    startup_timeout: float = 30.0,
    stop_timeout: float = 10.0,
) -> Iterator[Running]:
    """Start ``oxigraph`` over the store, wait until it answers HTTP, and stop it (SIGTERM,
    then SIGKILL after ``stop_timeout`` seconds) when the ``with`` block ends.

    Example:
        >>> with oxigraph_process("data/store", port=7879) as server:    # doctest: +SKIP
        ...     print(server.url)
        http://127.0.0.1:7879/

    Raises:
        ConfigError: ``oxigraph`` is missing, or the port is in use.
        StoreError: no store at ``store_path``, the store is locked by a writer, or the
            server did not start within ``startup_timeout``.
    """
    path = Path(store_path)
    if read_only and not path.is_dir():
        raise StoreError(f"no store at {path}: run `kg-builder ingest ... --store {path}` first")
    argv = serve_command(
        path, host, port, read_only=read_only, union_default_graph=union_default_graph
    )
    check_port_free(host, port)
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        try:
            _wait_ready(proc, host, port, startup_timeout, log, path)
            yield Running(proc, log, server_url(host, port))
        finally:
            _terminate(proc, stop_timeout)


def run_server(
    store_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    *,
    ready_callback: Callable[[str], None] | None = None,
    read_only: bool = True,
    union_default_graph: bool = False,
    startup_timeout: float = 30.0,
    stop_timeout: float = 10.0,
    stop: threading.Event | None = None,
) -> int:
    """Serve the store until Ctrl-C (or until ``stop`` is set).

    Starts ``oxigraph serve-read-only`` (see :func:`serve_command`), waits until it answers
    HTTP, calls ``ready_callback(url)``, then waits. On Ctrl-C (``KeyboardInterrupt``) or
    ``stop``, the server gets SIGTERM, then SIGKILL after ``stop_timeout`` seconds.

    Example:
        >>> run_server("data/store", ready_callback=print)               # doctest: +SKIP
        http://127.0.0.1:7878/

    Returns:
        0 once stopped on request.

    Raises:
        ConfigError: ``oxigraph`` is missing, or the port is in use.
        StoreError: no store at ``store_path``, the store is locked by a writer, the server
            did not start within ``startup_timeout``, or it stopped on its own.
    """
    try:
        with oxigraph_process(
            store_path,
            host,
            port,
            read_only=read_only,
            union_default_graph=union_default_graph,
            startup_timeout=startup_timeout,
            stop_timeout=stop_timeout,
        ) as server:
            if ready_callback is not None:
                ready_callback(server.url)
            return server.wait(stop)
    except KeyboardInterrupt:
        return 0


def check_port_free(host: str, port: int) -> None:
    """Raise :class:`ConfigError` ("choose another port") when ``host:port`` is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        if sys.platform != "win32":
            # As the server does: a port left in TIME_WAIT by the last run is free.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host.strip("[]"), port))
        except OSError as exc:
            raise ConfigError(
                f"cannot listen on {host}:{port} ({exc.strerror or exc}): choose another port"
            ) from None


def _probe_host(host: str) -> str:
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host in ("::", "[::]"):
        return "::1"
    return host.strip("[]")


def _wait_ready(
    proc: subprocess.Popen[bytes], host: str, port: int, timeout: float, log: IO[bytes], path: Path
) -> None:
    deadline = time.monotonic() + timeout
    probe = _probe_host(host)
    while True:
        if proc.poll() is not None:
            tail = _tail(log)
            if "lock" in tail.lower():
                raise StoreError(
                    f"the store at {path} is locked by another process (an ingest, "
                    f"or a server started with read_only=False): {tail}"
                )
            if "in use" in tail.lower():
                raise ConfigError(f"port {port} is in use: choose another port ({tail})")
            raise StoreError(
                f"oxigraph could not serve {path} (exit code {proc.returncode}): {tail}"
            )
        conn = http.client.HTTPConnection(probe, port, timeout=2)
        try:
            conn.request("GET", "/")
            resp = conn.getresponse()
            resp.read()
            if resp.status < 500 and (resp.getheader("Server") or "").startswith("Oxigraph"):
                return
        except OSError:
            pass
        finally:
            conn.close()
        if time.monotonic() > deadline:
            _terminate(proc, 5)
            raise StoreError(
                f"oxigraph did not answer on {host}:{port} within {timeout:g} s: {_tail(log)}"
            )
        time.sleep(0.05)


def _terminate(proc: subprocess.Popen[bytes], timeout: float) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


def _tail(log: IO[bytes], chars: int = 500) -> str:
    log.flush()
    log.seek(0)
    text = log.read().decode("utf-8", "replace").strip()
    return " ".join(text[-chars:].split()) or "(no output)"
