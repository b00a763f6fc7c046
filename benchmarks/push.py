"""Push throughput against the server's own bulk load: a synthetic store → `oxigraph serve`.

Builds a store of N synthetic article graphs (about 100 triples each, literals with
quotes, newlines and non-Latin text) with ``store.replace_graphs``, then, each time into
a fresh read-write ``oxigraph serve`` on a free loopback port (through
``kg_builder.remote.serve``):

* ``server bulk``: the whole store as one N-Quads file, sent by ``POST`` to ``/store`` in one
  request: Oxigraph's own bulk load, the yardstick (nothing is verified);
* ``push --method bulk``: kg-builder's bulk push (N-Quads requests of ``--chunk-triples``
  after a ``DROP`` of the graphs they start), verified graph by graph;
* ``push --method gsp``: one Graph Store ``PUT`` per article, ``--workers`` at a time,
  verified graph by graph.

For each it prints seconds and triples/s (the push's whole call: dumping, sending,
verifying) and the ratio to the server's own bulk load.

Loopback and a local server measure kg-builder's own overhead (dumping graphs, HTTP
round trips) plus Oxigraph's write speed; a remote triplestore adds network latency per
request.

Usage::

    python benchmarks/push.py                   # 10,000 articles
    python benchmarks/push.py --articles 13     # smoke run
    python benchmarks/push.py --articles 2000 --mode single
    python benchmarks/push.py --articles 2000 --methods bulk --chunk-triples 20000
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from kg_builder.remote.endpoint import EndpointConfig
from kg_builder.remote.push import PUSH_MODES, push
from kg_builder.remote.serve import run_server
from kg_builder.store import GraphWrite, graph_counts, open_store, replace_graphs

BASE = "https://w3id.org/kg-builder/id/"
KGB = "https://w3id.org/kg-builder/ontology#"
SCHEMA = "https://schema.org/"


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def article(i: int, triples: int = 100) -> GraphWrite:
    """One synthetic article graph of exactly ``triples`` triples."""
    art = f"<{BASE}article/b{i:06d}>"
    lines = [
        f"{art} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{SCHEMA}NewsArticle> .",
        f"{art} <{SCHEMA}headline> {_lit(f'Talks in Geneva, day {i}')}@en .",
    ]
    k = 0
    while len(lines) < triples:
        st = f"<{BASE}statement/b{i:06d}-{k}>"
        lines += [
            f"{st} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KGB}Statement> .",
            f"{st} <{KGB}speaker> <{BASE}actor/actor-{(i * 7 + k) % 500}> .",
            f"{st} <{KGB}quote> {_lit(f'«We will not accept» this, said {k}.' + chr(10) + 'Ёж')} .",
            f"{st} <{KGB}inArticle> {art} .",
        ]
        k += 1
    return GraphWrite(f"{BASE}article/b{i:06d}", "\n".join(lines[:triples]) + "\n")


def build(path: Path, n: int, batch: int = 500) -> int:
    store = open_store(path)
    for start in range(0, n, batch):
        replace_graphs(store, (article(i) for i in range(start, min(n, start + batch))))
    store.flush()
    total = sum(graph_counts(store).values())
    del store
    return total


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def fresh_server(folder: Path) -> Iterator[str]:
    """A read-write `oxigraph serve` over a new folder; yields its base URL."""
    folder.mkdir()
    port = _free_port()
    ready = threading.Event()
    stop = threading.Event()
    server = threading.Thread(
        target=run_server,
        args=(folder, "127.0.0.1", port),
        kwargs={"read_only": False, "stop": stop, "ready_callback": lambda url: ready.set()},
    )
    server.start()
    try:
        if not ready.wait(30):
            raise RuntimeError("oxigraph did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop.set()
        server.join(timeout=30)


def server_bulk(local: Path, url: str) -> float:
    """Seconds for the server to take the whole store as one N-Quads POST."""
    store = open_store(local, read_only=True)
    data = store.dump(None, ox.RdfFormat.N_QUADS)
    del store
    request = urllib.request.Request(
        f"{url}/store", data=data, method="POST", headers={"Content-Type": "application/n-quads"}
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=3600) as answer:
        answer.read()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles (default 10000)")
    parser.add_argument("--mode", choices=PUSH_MODES, default="per-article")
    parser.add_argument("--methods", nargs="+", choices=("bulk", "gsp"), default=["bulk", "gsp"])
    parser.add_argument("--chunk-triples", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=4, help="parallel requests (gsp)")
    args = parser.parse_args(argv)

    complete = True
    with tempfile.TemporaryDirectory(prefix="kgb-push-") as tmp:
        local = Path(tmp) / "store"
        t0 = time.perf_counter()
        triples = build(local, args.articles)
        print(
            f"store: {args.articles} articles, {triples} triples, built in "
            f"{time.perf_counter() - t0:.1f} s"
        )
        with fresh_server(Path(tmp) / "server-own") as url:
            yardstick = server_bulk(local, url)
        rate = triples / yardstick
        print(f"{'server bulk (one N-Quads POST)':34} {yardstick:7.2f} s {rate:10,.0f} triples/s")
        for method in args.methods:
            with fresh_server(Path(tmp) / f"server-{method}") as url:
                config = EndpointConfig.from_url(
                    url, chunk_triples=args.chunk_triples, workers=args.workers
                )
                started = time.perf_counter()
                report = push(
                    local,
                    config,
                    mode=args.mode,
                    graph=f"{BASE}graph/all" if args.mode == "single" else None,
                    method=method,
                )
                seconds = time.perf_counter() - started
            complete = complete and report.complete
            label = f"push --method {method} ({args.mode})"
            print(
                f"{label:34} {seconds:7.2f} s {report.triples / seconds:10,.0f} triples/s  "
                f"{yardstick / seconds:4.2f}x  {len(report.graphs_pushed)}/"
                f"{report.graphs_total} graphs, verified={report.verified}"
            )
    return 0 if complete else 3


if __name__ == "__main__":
    sys.exit(main())
