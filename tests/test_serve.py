"""`serve`: oxigraph over the embedded store, for the browser and SPARQL clients."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from interrupts import sigint_default
from oxigraph_server import build_store, free_port

from kg_builder.errors import ConfigError, StoreError
from kg_builder.remote.serve import find_oxigraph, run_server, serve_command
from kg_builder.store import open_store

pytestmark = pytest.mark.slow

COUNT = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    path = tmp_path / "store"
    return path, build_store(path, {0: 50, 1: 80, 2: 120})


def http_get(url: str, accept: str = "*/*") -> tuple[int, str, str]:
    req = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, resp.headers.get("Content-Type", ""), resp.read().decode()


def sparql_counts(base: str) -> dict[str, int]:
    _, _, body = http_get(
        base + "query?" + urllib.parse.urlencode({"query": COUNT}),
        "application/sparql-results+json",
    )
    rows = json.loads(body)["results"]["bindings"]
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


def port_is_closed(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) != 0


def test_serve_command_should_prefer_the_read_only_server(store):
    path, _ = store
    argv = serve_command(path, "127.0.0.1", 8123)
    assert Path(argv[0]).name.startswith("oxigraph")
    assert argv[1:] == ["serve-read-only", "--location", str(path), "--bind", "127.0.0.1:8123"]
    assert serve_command(path, read_only=False)[1] == "serve"
    assert serve_command(path, "::1", 80)[-1] == "[::1]:80"
    assert serve_command(path, union_default_graph=True)[-1] == "--union-default-graph"
    with pytest.raises(ConfigError, match="port"):
        serve_command(path, port=0)


def test_find_oxigraph_should_explain_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ConfigError, match="pip install"):
        find_oxigraph()


def test_run_server_should_answer_sparql_and_the_browser_then_stop(store):
    path, counts = store
    port = free_port()
    ready: list[str] = []
    stop = threading.Event()
    result: list[int] = []
    thread = threading.Thread(
        target=lambda: result.append(
            run_server(path, "127.0.0.1", port, ready_callback=ready.append, stop=stop)
        )
    )
    thread.start()
    try:
        for _ in range(300):
            if ready or not thread.is_alive():
                break
            threading.Event().wait(0.05)
        assert ready == [f"http://127.0.0.1:{port}/"]
        status, ctype, page = http_get(ready[0])
        assert status == 200 and ctype.startswith("text/html") and "yasgui" in page.lower()
        assert sparql_counts(ready[0]) == counts
        # The local store can be read at the same time (query, export, push).
        local = open_store(path, read_only=True)
        assert len(list(local.quads_for_pattern(None, None, None, None))) == sum(counts.values())
        # Read-only: the browser cannot change the store.
        req = urllib.request.Request(
            ready[0] + "update",
            method="POST",
            data=b"update=CLEAR+ALL",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(req, timeout=10)
        assert sparql_counts(ready[0]) == counts
    finally:
        stop.set()
        thread.join(timeout=20)
    assert result == [0]
    assert port_is_closed(port)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a single process is POSIX")
def test_run_server_should_stop_cleanly_on_ctrl_c(store):
    path, counts = store
    port = free_port()
    code = (
        "import sys; from kg_builder.remote.serve import run_server; "
        f"sys.exit(run_server({str(path)!r}, '127.0.0.1', {port}, "
        "ready_callback=lambda u: print(u, flush=True)))"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        preexec_fn=sigint_default,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[1],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        line = proc.stdout.readline().strip()
        assert line == f"http://127.0.0.1:{port}/", line or proc.stderr.read()
        assert sparql_counts(line) == counts
        proc.send_signal(signal.SIGINT)  # to kg-builder only: it must stop oxigraph itself
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert port_is_closed(port)


def test_run_server_should_refuse_a_busy_port_and_a_missing_store(store, tmp_path):
    path, _ = store
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(ConfigError, match="another port"):
            run_server(path, "127.0.0.1", busy.getsockname()[1])
    with pytest.raises(StoreError, match="no store"):
        run_server(tmp_path / "missing", "127.0.0.1", free_port())


def test_read_write_server_should_lock_the_store_against_writers(store):
    path, counts = store
    port = free_port()
    ready: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(
        target=run_server,
        args=(path, "127.0.0.1", port),
        kwargs={"ready_callback": ready.append, "stop": stop, "read_only": False},
    )
    thread.start()
    try:
        for _ in range(300):
            if ready or not thread.is_alive():
                break
            threading.Event().wait(0.05)
        assert sparql_counts(ready[0]) == counts
        with pytest.raises(StoreError):
            open_store(path)  # an ingest would stop here instead of corrupting anything
    finally:
        stop.set()
        thread.join(timeout=20)
    assert port_is_closed(port)
