r"""Pushing the store's graphs to a triplestore, verified graph by graph.

Two ways in, both replacing (never duplicating) what the server held under the same
graph names, and both checked afterwards by counting each graph's triples on the server:

* ``gsp`` — the SPARQL 1.1 Graph Store HTTP Protocol: one ``PUT`` per graph (a graph
  bigger than ``chunk_triples`` goes as a ``PUT`` of its first chunk and ``POST``\ s of
  the others), ``config.workers`` graphs at a time;
* ``bulk`` — where the server takes N-Quads on its dataset URL (Oxigraph ``/store``,
  Fuseki ``/DATASET``, GraphDB ``…/statements``): many graphs per request. Before each
  request, one SPARQL update drops the graphs that request starts (so a cut-off push
  leaves at most the graphs of the request in flight incomplete, and none dropped that
  was not about to be sent again); then one N-Quads ``POST``. A request the server
  refuses (HTTP 400/409/413/422) is sent again graph by graph with the Graph Store
  Protocol, so one bad graph does not keep the others out. The default where supported:
  it is several times faster on small graphs (``benchmarks/push.py``).

Modes: ``per-article`` (default; each local named graph — article graphs, the entity graph,
the ontology graph — to the remote graph of the same name), ``single`` (every graph merged
into one named graph) and ``default`` (merged into the default graph).

A graph counts as pushed only once every one of its requests was accepted and, after the
push, the server's triple count for it equals the local one. When a push has to stop,
:class:`~kg_builder.errors.PushError` carries the report: the graphs pushed, the graphs in
flight or partly sent (``graphs_failed``), and how many were not sent (untouched).

Example:
    >>> config = EndpointConfig.from_url("http://localhost:7878")   # doctest: +SKIP
    >>> report = push("data/store", config)                         # doctest: +SKIP
    >>> report.complete, report.method, len(report.graphs_pushed)   # doctest: +SKIP
    (True, 'bulk', 1312)
"""

from __future__ import annotations

import http.client
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import pyoxigraph as ox

from kg_builder.errors import ConfigError, EndpointError, PushError, StoreError
from kg_builder.remote.bodies import Body, Labeller, bodies
from kg_builder.remote.endpoint import EndpointConfig
from kg_builder.remote.graph_store import DatasetLoader, GraphStore
from kg_builder.remote.http import (
    AGENT,
    NTRIPLES,
    RETRY_STATUSES,
    GraphRejected,
    Retryable,
    describe_os_error,
    status_error,
    with_retries,
)
from kg_builder.remote.sparql import result_rows, sparql_json
from kg_builder.store import graph_counts, open_store

PushMode = Literal["per-article", "single", "default"]
PUSH_MODES: tuple[str, ...] = ("per-article", "single", "default")
PushMethod = Literal["auto", "gsp", "bulk"]
#: ``auto``: ``bulk`` when the endpoint has a dataset URL (a known server), else ``gsp``.
PUSH_METHODS: tuple[str, ...] = ("auto", "gsp", "bulk")
#: How :class:`PushReport` names the default graph (``mode="default"``).
DEFAULT_GRAPH = "default"
#: Progress callback: (graphs_done, graphs_total, triples_done).
ProgressCallback = Callable[[int, int, int], None]
#: Stop when this many graphs in a row were refused and none was accepted yet.
_MAX_FIRST_REJECTIONS = 10
#: Graph IRIs per verification query (VALUES block).
_VERIFY_BATCH = 200
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


# --------------------------------------------------------------------------- reports


@dataclass(frozen=True)
class PushReport:
    """What a push did.

    Attributes:
        endpoint: The URL pushed to (Graph Store, or dataset URL for ``bulk``).
        mode: ``per-article``, ``single`` or ``default``.
        graphs_total: Remote graphs the push meant to write (1 in single/default mode).
        graphs_pushed: Remote graph IRIs (:data:`DEFAULT_GRAPH` for the default graph)
            whose every request was accepted and, when verified, whose triple count on the
            server equals the local one.
        graphs_failed: Graph IRI → why it is not (completely) on the server: refused,
            in flight or partly sent when the push stopped, or counted differently.
        triples: Triples sent in accepted requests.
        seconds: Wall-clock time of the push, verification included.
        verified: The server's counts were read after the push and all of them matched.
        mismatches: Graph IRI → (local triples, remote triples) where they differ.
        verify_error: Why verification could not run, if it could not.
        method: ``gsp`` or ``bulk``.
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
    method: str = "gsp"

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
        """Graphs neither pushed nor failed (the push stopped before them): untouched."""
        return self.graphs_total - len(self.graphs_pushed) - len(self.graphs_failed)

    @property
    def triples_per_second(self) -> float:
        """Triples sent per second of the push."""
        return self.triples / self.seconds if self.seconds > 0 else 0.0


# --------------------------------------------------------------------------- push


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
    method: PushMethod = "auto",
) -> PushReport:
    """Send the store's graphs to a triplestore and check that they arrived.

    Args:
        store_path: The embedded store (opened read-only).
        config: The remote endpoint.
        mode: ``per-article`` (each local named graph to the remote graph of the same
            name), ``single`` (all into the named graph ``graph``) or ``default`` (all into
            the default graph). Each replaces what its target graphs held.
        graph: The target graph IRI in ``single`` mode.
        progress: Called as ``progress(graphs_done, graphs_total, triples_done)`` after each
            accepted request; graphs are the local graphs. It is called from the worker
            threads, one call at a time.
        verify: Compare the per-graph triple counts on the server with the local ones.
        method: ``gsp`` (Graph Store Protocol, ``config.workers`` graphs at a time),
            ``bulk`` (N-Quads to ``config.dataset_url``, see the module docstring) or
            ``auto`` (``bulk`` when the endpoint has a dataset URL).

    Returns:
        A :class:`PushReport`; graphs the server refused (HTTP 400/409/413/422) are in
        ``graphs_failed`` and the push goes on with the others.

    Raises:
        ConfigError: bad ``mode``, ``graph`` or ``method``.
        StoreError: the store cannot be opened or holds no graph.
        PushError: the push had to stop (server unreachable after the retries, credentials
            refused, read-only, not a Graph Store endpoint); ``exc.report`` lists what is
            on the server, what may be partial, and how many graphs were not sent.
    """
    chosen = _check_options(config, mode, graph, method)
    started = time.monotonic()
    store = _open_local(store_path)
    counts = graph_counts(store)
    if not counts:
        raise StoreError(f"the store at {store_path} holds no graph: nothing to push")
    targets = _targets(store, counts, mode, graph)
    tally = _Tally(len(counts), progress)

    def report(
        pushed: Iterable[str], failed: Mapping[str, str], verified: bool, **extra: Any
    ) -> PushReport:
        return _report(
            config,
            mode,
            chosen,
            targets,
            pushed,
            failed,
            tally.triples,
            started,
            verified,
            **extra,
        )

    # Fail early and clearly on an unreachable host or a URL that is not SPARQL.
    try:
        sparql_json(config, "ASK {}")
    except EndpointError as exc:
        raise PushError(str(exc), exc.status, report([], {}, False)) from None

    if chosen == "bulk":
        outcomes = _send_bulk(store, config, targets, mode, tally)
    else:
        outcomes = _send_all(store, config, targets, tally)
    pushed = [o.target.name for o in outcomes if o.error is None]
    failed = {o.target.name: _why(o) for o in outcomes if o.error is not None}
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
    return _verified(config, targets, pushed, failed, report)


def _check_options(
    config: EndpointConfig, mode: str, graph: str | None, method: str
) -> Literal["gsp", "bulk"]:
    """The method to use; raises ConfigError on contradictory options."""
    if mode not in PUSH_MODES:
        raise ConfigError(f"unknown push mode {mode!r}; choose one of {', '.join(PUSH_MODES)}")
    if mode == "single":
        if not graph:
            raise ConfigError("single mode needs the IRI of the target graph (graph=...)")
        if not _IRI.match(graph):
            raise ConfigError(f"the target graph must be an absolute IRI, not {graph!r}")
    elif graph is not None:
        raise ConfigError(f"a target graph is only used in single mode, not in {mode} mode")
    if method not in PUSH_METHODS:
        raise ConfigError(
            f"unknown push method {method!r}; choose one of {', '.join(PUSH_METHODS)}"
        )
    bulk_ready = bool(config.dataset_url and config.update_url)
    if method == "bulk" and not bulk_ready:
        raise ConfigError(
            "a bulk push needs the URL where the server takes N-Quads for the whole dataset "
            "(dataset_url) and its SPARQL update URL; neither is known for explicit "
            "Graph Store URLs: give both, or use the Graph Store Protocol (method gsp)"
        )
    if method == "auto":
        return "bulk" if bulk_ready else "gsp"
    return "bulk" if method == "bulk" else "gsp"


def _targets(
    store: ox.Store, counts: Mapping[str, int], mode: str, graph: str | None
) -> list[_Target]:
    if mode == "per-article":
        return [_Target(iri, iri, ((iri, n),), n) for iri, n in counts.items()]
    expected = _distinct_union_count(store)
    name = graph if mode == "single" else DEFAULT_GRAPH
    return [_Target(graph, name or DEFAULT_GRAPH, tuple(counts.items()), expected)]


def _verified(
    config: EndpointConfig,
    targets: list[_Target],
    pushed: list[str],
    failed: dict[str, str],
    report: Callable[..., PushReport],
) -> PushReport:
    """The report after comparing the server's triple counts with the local ones."""
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
    error: GraphRejected | EndpointError | None = None
    note: str = ""  # what the failure means for the graph on the server


def _why(outcome: _Outcome) -> str:
    note = f" ({outcome.note})" if outcome.note else ""
    return f"{_what(outcome.target, outcome.requests)}{note}: {outcome.error}"


def _send_all(
    store: ox.Store, config: EndpointConfig, targets: list[_Target], tally: _Tally
) -> list[_Outcome]:
    """Push every target with ``config.workers`` connections; stop early on a fatal error.

    Returns the outcomes of the targets that were attempted, in target order.
    """
    local = threading.local()
    clients: list[GraphStore] = []
    clients_lock = threading.Lock()

    def work(target: _Target) -> _Outcome:
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = GraphStore(config)
            with clients_lock:
                clients.append(client)
        return _send_target(client, store, config, target, tally)

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


def _send_target(
    client: GraphStore,
    store: ox.Store,
    config: EndpointConfig,
    target: _Target,
    tally: _Tally,
    *,
    first_method: str = "PUT",
) -> _Outcome:
    """One target by the Graph Store Protocol: PUT (or ``first_method``), then POSTs."""
    requests = 0
    done = 0
    try:
        for body in bodies(store, target.sources, config.chunk_triples):
            client.send(first_method if requests == 0 else "POST", target.graph, body.data)
            requests += 1
            tally.accepted(body.triples, body.graphs_done - done)
            done = body.graphs_done
    except (GraphRejected, EndpointError) as exc:
        note = "may be partial: its first requests were accepted" if requests else ""
        if isinstance(exc, EndpointError) and not requests:
            note = "in flight when the push stopped: may be partial"
        return _Outcome(target, requests, exc, note)
    return _Outcome(target, requests)


# --------------------------------------------------------------------------- bulk


def _send_bulk(
    store: ox.Store, config: EndpointConfig, targets: list[_Target], mode: str, tally: _Tally
) -> list[_Outcome]:
    """Push by N-Quads POSTs to the dataset, each after a DROP of the graphs it starts.

    Returns the outcomes of the targets that were attempted, in target order.
    """
    bulk = _BulkPush(store, config, targets, mode == "per-article", tally)
    try:
        bulk.run()
    finally:
        bulk.close()
    order = {t.name: i for i, t in enumerate(targets)}
    return sorted(bulk.outcomes.values(), key=lambda o: order[o.target.name])


_IN_FLIGHT = "in flight when the push stopped: may be partial"


class _BulkPush:
    """A bulk push under way: which target each local graph feeds, what was accepted."""

    def __init__(
        self,
        store: ox.Store,
        config: EndpointConfig,
        targets: list[_Target],
        per_article: bool,
        tally: _Tally,
    ):
        self.store = store
        self.config = config
        self.targets = targets
        self.per_article = per_article
        self.tally = tally
        self.loader = DatasetLoader(config)
        self.fallback = GraphStore(config)
        self.target_of = {s: t for t in targets for s, _ in t.sources}
        self.sizes = {s: n for t in targets for s, n in t.sources}
        self.outcomes: dict[str, _Outcome] = {}
        self.accepted: dict[str, int] = {}  # target name → accepted requests
        self.completed: set[str] = set()  # local graphs whose every triple was accepted

    def close(self) -> None:
        self.loader.close()
        self.fallback.close()

    def run(self) -> None:
        """Send every body; record an outcome for each target attempted."""
        sources = [s for t in self.targets for s in t.sources]
        label = self._labeller()
        if label is None:
            return
        chunks = bodies(self.store, sources, self.config.chunk_triples, label=label)
        for body in _prefetched(chunks):
            if not self.send(body):
                return
        for target in self.targets:  # single/default: the one target, once all is in
            if all(s in self.completed for s, _ in target.sources):
                accepted = self.accepted.get(target.name, 0)
                self.outcomes.setdefault(target.name, _Outcome(target, accepted))

    def _labeller(self) -> Labeller | None:
        """Which remote graph each local graph's quads name; in single/default mode, the
        target is emptied first (None if that failed)."""
        if self.per_article:
            return lambda iri: iri
        whole = self.targets[0]
        try:
            self.loader.drop([whole.graph])
        except EndpointError as exc:
            self.outcomes[whole.name] = _Outcome(whole, 0, exc, _IN_FLIGHT)
            return None
        return lambda _iri: whole.graph

    def hit(self, body: Body) -> list[_Target]:
        """The targets with triples in ``body``, once each, in order."""
        return list(dict.fromkeys(self.target_of[s] for s in body.sources))

    def send(self, body: Body) -> bool:
        """Drop the graphs ``body`` starts, POST it; False when the push must stop."""
        try:
            if self.per_article:
                self.loader.drop(body.starts)
            self.loader.load(body.data)
        except GraphRejected:
            return self.graph_by_graph(body)
        except EndpointError as exc:
            for target in self.hit(body):
                accepted = self.accepted.get(target.name, 0)
                self.outcomes.setdefault(target.name, _Outcome(target, accepted, exc, _IN_FLIGHT))
            return False
        for target in self.hit(body):
            self.accepted[target.name] = self.accepted.get(target.name, 0) + 1
        self.done(body.completes, body.triples)
        return True

    def done(self, sources: Iterable[str], triples: int) -> None:
        """Note the local graphs now completely on the server."""
        new = [s for s in sources if s not in self.completed]
        self.completed.update(new)
        self.tally.accepted(triples, len(new))
        if self.per_article:
            for source in new:
                target = self.target_of[source]
                accepted = self.accepted.get(target.name, 0)
                self.outcomes.setdefault(target.name, _Outcome(target, accepted))

    def graph_by_graph(self, body: Body) -> bool:
        """The server refused ``body``: send its graphs one at a time by the Graph Store
        Protocol (PUT replaces a graph; in single/default mode POST adds to the target),
        so that one bad graph keeps no other out. False when the push must stop."""
        for source in body.sources:
            target = self.target_of[source]
            if self.per_article and target.name in self.outcomes:
                continue
            one = _Target(target.graph, target.name, ((source, self.sizes[source]),), 0)
            first = "PUT" if self.per_article else "POST"
            outcome = _send_target(
                self.fallback, self.store, self.config, one, _Tally(0, None), first_method=first
            )
            if outcome.error is None:
                self.accepted[target.name] = self.accepted.get(target.name, 0) + outcome.requests
                self.done([source], self.sizes[source])
                continue
            failed = _Outcome(target, outcome.requests, outcome.error, outcome.note)
            self.outcomes.setdefault(target.name, failed)
            if isinstance(outcome.error, EndpointError):
                return False
        return True


_T = TypeVar("_T")


def _prefetched(items: Iterator[_T]) -> Iterator[_T]:
    """``items``, the next one made in a helper thread while the current one is in use."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-builder-bodies") as pool:
        ahead = pool.submit(next, items, None)
        while True:
            item = ahead.result()
            if item is None:
                return
            ahead = pool.submit(next, items, None)
            yield item


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
    unsure = len(report.graphs_failed)
    return (
        f"push stopped at {_what(outcome.target, outcome.requests)}{partial}: "
        f"{outcome.error}. {len(report.graphs_pushed)} of {report.graphs_total} graph(s) "
        f"were completely pushed, {unsure} failed or may be partial, "
        f"{report.graphs_not_sent} not sent; pushing again is safe (each graph is replaced)"
    )


def _report(
    config: EndpointConfig,
    mode: str,
    method: str,
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
        endpoint=(config.dataset_url or config.gsp_url) if method == "bulk" else config.gsp_url,
        mode=mode,
        method=method,
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
    assert isinstance(res, ox.QuerySolutions)
    return int(next(iter(res))["n"].value)


def _remote_counts(config: EndpointConfig, targets: list[_Target]) -> dict[str, int]:
    """Triples per pushed remote graph, read from the server with SPARQL."""
    counts: dict[str, int] = {}
    named = [t.graph for t in targets if t.graph is not None]
    for i in range(0, len(named), _VERIFY_BATCH):
        values = " ".join(f"<{g}>" for g in named[i : i + _VERIFY_BATCH])
        data = sparql_json(
            config,
            f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
            "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        )
        for graph, count in result_rows(data)[1]:
            counts[graph] = int(count)
    if any(t.graph is None for t in targets):
        expected = next(t.expected for t in targets if t.graph is None)
        _, rows = result_rows(sparql_json(config, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
        n = int(rows[0][0]) if rows else 0
        if n != expected:
            # Some servers query the union of all graphs by default: ask the Graph Store.
            n = _default_graph_size(config)
        counts[DEFAULT_GRAPH] = n
    return counts


def _default_graph_size(config: EndpointConfig) -> int:
    """Triples in the default graph, counted from a Graph Store GET in N-Triples."""
    client = GraphStore(config)
    path = client.target(None)
    headers = {"Accept": NTRIPLES, "User-Agent": AGENT}
    if config.auth_header:
        headers["Authorization"] = config.auth_header

    def attempt() -> int:
        conn = client.connection()
        try:
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            if resp.status != 200:
                body = resp.read()
                if resp.status in RETRY_STATUSES:
                    raise Retryable(f"HTTP {resp.status} {resp.reason}", resp.status)
                raise status_error(
                    config, config.gsp_url, "GET", resp.status, resp.reason, body, service="gsp"
                )
            return sum(1 for line in resp if line.strip() and not line.startswith(b"#"))
        except (OSError, http.client.HTTPException) as exc:
            raise Retryable(f"no answer ({describe_os_error(exc)})") from None
        finally:
            client.close()

    return with_retries(config, attempt, f"GET {config.gsp_url}?default")
