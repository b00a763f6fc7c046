"""Push throughput: a synthetic store of N articles → a local `oxigraph serve`.

Builds a store of N synthetic article graphs (about 100 triples each, literals with
quotes, newlines and non-Latin text) with ``store.replace_graphs``, starts a fresh
read-write ``oxigraph serve`` on a free loopback port (through ``kg_builder.remote.serve``), runs
``kg_builder.remote.push.push`` in per-article mode (one PUT per article) and prints:

* send: seconds until the last graph was accepted, and triples/s of that phase;
* verify: seconds of the SPARQL count check afterwards;
* total: seconds and triples/s of the whole ``push`` call.

Loopback and a local server measure kg-builder's own overhead (dumping graphs, HTTP
round trips) plus Oxigraph's write speed; a remote triplestore adds network latency per
request.

Usage::

    python benchmarks/push.py                   # 10,000 articles
    python benchmarks/push.py --articles 13     # smoke run
    python benchmarks/push.py --articles 2000 --mode single --chunk-triples 50000
    python benchmarks/push.py --articles 2000 --workers 1
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles (default 10000)")
    parser.add_argument("--mode", choices=PUSH_MODES, default="per-article")
    parser.add_argument("--chunk-triples", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=4, help="parallel requests (default 4)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="kgb-push-") as tmp:
        local, remote = Path(tmp) / "store", Path(tmp) / "remote"
        t0 = time.perf_counter()
        triples = build(local, args.articles)
        print(
            f"store: {args.articles} articles, {triples} triples, built in "
            f"{time.perf_counter() - t0:.1f} s"
        )

        remote.mkdir()
        port = _free_port()
        ready = threading.Event()
        stop = threading.Event()
        server = threading.Thread(
            target=run_server,
            args=(remote, "127.0.0.1", port),
            kwargs={"read_only": False, "stop": stop, "ready_callback": lambda url: ready.set()},
        )
        server.start()
        try:
            if not ready.wait(30):
                print("oxigraph did not start", file=sys.stderr)
                return 1
            config = EndpointConfig.from_url(
                f"http://127.0.0.1:{port}", chunk_triples=args.chunk_triples, workers=args.workers
            )
            last = [0.0]
            started = time.perf_counter()

            def progress(done: int, total: int, sent: int) -> None:
                last[0] = time.perf_counter()

            report = push(
                local,
                config,
                mode=args.mode,
                graph=f"{BASE}graph/all" if args.mode == "single" else None,
                progress=progress,
            )
            total_s = time.perf_counter() - started
        finally:
            stop.set()
            server.join(timeout=30)

    send_s = last[0] - started
    print(
        f"push ({args.mode}, {args.workers} workers): "
        f"{len(report.graphs_pushed)}/{report.graphs_total} graph(s), {report.triples} "
        f"triples, verified={report.verified}, complete={report.complete}"
    )
    print(f"  send:   {send_s:7.2f} s  {report.triples / send_s:10,.0f} triples/s")
    if args.mode == "per-article":
        print(f"          {report.graphs_total / send_s:10,.0f} graphs (PUT requests)/s")
    print(f"  verify: {total_s - send_s:7.2f} s")
    print(f"  total:  {total_s:7.2f} s  {report.triples / total_s:10,.0f} triples/s")
    return 0 if report.complete else 3


if __name__ == "__main__":
    sys.exit(main())
