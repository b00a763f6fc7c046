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

This module chooses and checks; :mod:`~kg_builder.remote.push_gsp` and
:mod:`~kg_builder.remote.push_bulk` send, :mod:`~kg_builder.remote.push_verify` counts,
:mod:`~kg_builder.remote.push_report` keeps the books.

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

import re
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import pyoxigraph as ox

from kg_builder.errors import ConfigError, EndpointError, PushError, StoreError
from kg_builder.remote.endpoint import EndpointConfig
from kg_builder.remote.push_bulk import send_bulk
from kg_builder.remote.push_gsp import MAX_FIRST_REJECTIONS, send_all
from kg_builder.remote.push_report import (
    DEFAULT_GRAPH,
    Outcome,
    ProgressCallback,
    PushReport,
    Tally,
    Target,
    describe,
    make_report,
)
from kg_builder.remote.push_verify import distinct_union_count, verify_counts
from kg_builder.remote.sparql import sparql_json
from kg_builder.store import graph_counts, open_store
from kg_builder.store.shards import read_derived, read_shards, shard_data

__all__ = [
    "DEFAULT_GRAPH",
    "PUSH_METHODS",
    "PUSH_MODES",
    "ProgressCallback",
    "PushMethod",
    "PushMode",
    "PushReport",
    "push",
    "push_shards",
]

PushMode = Literal["per-article", "single", "default"]
PUSH_MODES: tuple[str, ...] = ("per-article", "single", "default")
PushMethod = Literal["auto", "gsp", "bulk"]
#: ``auto``: ``bulk`` when the endpoint has a dataset URL (a known server), else ``gsp``.
PUSH_METHODS: tuple[str, ...] = ("auto", "gsp", "bulk")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


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
    store = _open_local(store_path)
    return _push_store(store, str(store_path), config, mode, graph, progress, verify, chosen)


def push_shards(
    directory: str | Path,
    config: EndpointConfig,
    *,
    progress: ProgressCallback | None = None,
    verify: bool = True,
    method: PushMethod = "auto",
) -> PushReport:
    """Send the graphs of a shard folder (``ingest --cluster ... --shards``).

    Per-article mode, with the requests and the verification of :func:`push`: every
    article graph of the shards, and the derived graphs (the entity and ontology graphs of
    ``derived.nq.gz``: what ``push --store`` sends beside the article graphs). Each shard
    is checked against its record (size, SHA-256) and loaded into a temporary on-disk
    store, so memory does not grow with the folder.

    Returns:
        A :class:`PushReport`, as :func:`push`.

    Raises:
        ConfigError: bad ``method``.
        StoreError: the folder is incomplete, a shard does not match its record, or there
            is no article graph.
        PushError: the push had to stop (as :func:`push`).
    """
    chosen = _check_options(config, "per-article", None, method)
    _, shards = read_shards(directory)
    if not any(s.graphs for s in shards):
        raise StoreError(f"the shards at {directory} hold no article graph: nothing to push")
    with tempfile.TemporaryDirectory(prefix="kg-builder-push-") as tmp:
        store = ox.Store(tmp)
        for shard in shards:
            if shard.graphs:
                store.bulk_load(shard_data(directory, shard), format=ox.RdfFormat.N_QUADS)
        derived = read_derived(directory)
        if derived is not None:
            store.bulk_load(derived, format=ox.RdfFormat.N_QUADS)
        report = _push_store(
            store, str(directory), config, "per-article", None, progress, verify, chosen
        )
        del store  # release RocksDB before the folder goes
    return report


def _push_store(
    store: ox.Store,
    source: str,
    config: EndpointConfig,
    mode: PushMode,
    graph: str | None,
    progress: ProgressCallback | None,
    verify: bool,
    chosen: Literal["gsp", "bulk"],
) -> PushReport:
    """Push every graph of ``store`` (see :func:`push`)."""
    started = time.monotonic()
    counts = graph_counts(store)
    if not counts:
        raise StoreError(f"the store at {source} holds no graph: nothing to push")
    targets = _targets(store, counts, mode, graph)
    tally = Tally(len(counts), progress)

    def report(
        pushed: Iterable[str], failed: Mapping[str, str], verified: bool, **extra: Any
    ) -> PushReport:
        return make_report(
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
        outcomes = send_bulk(store, config, targets, mode, tally)
    else:
        outcomes = send_all(store, config, targets, tally)
    pushed = [o.target.name for o in outcomes if o.error is None]
    failed = {o.target.name: o.why() for o in outcomes if o.error is not None}
    fatal = next((o for o in outcomes if isinstance(o.error, EndpointError)), None)
    if fatal is not None:
        partial = report(pushed, failed, False)
        raise PushError(
            _stopped_message(fatal, partial), getattr(fatal.error, "status", None), partial
        )
    if not pushed and len(failed) >= MAX_FIRST_REJECTIONS:
        first = next(iter(failed.values()))
        raise PushError(
            f"the first {len(failed)} graphs were all refused, stopping; the first one: {first}",
            getattr(outcomes[0].error, "status", None),
            report(pushed, failed, False),
        )
    if not verify or not pushed:
        return report(pushed, failed, False)
    return verify_counts(config, targets, pushed, failed, report)


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
) -> list[Target]:
    if mode == "per-article":
        return [Target(iri, iri, ((iri, n),), n) for iri, n in counts.items()]
    expected = distinct_union_count(store)
    name = graph if mode == "single" else DEFAULT_GRAPH
    return [Target(graph, name or DEFAULT_GRAPH, tuple(counts.items()), expected)]


def _open_local(store_path: str | Path) -> ox.Store:
    try:
        return open_store(store_path, read_only=True)
    except RuntimeError as exc:  # RocksDB, e.g. while another process writes the store
        raise StoreError(
            f"cannot read the store at {store_path} ({exc}); is an ingest "
            "writing it? Push when it has finished"
        ) from exc


def _stopped_message(outcome: Outcome, report: PushReport) -> str:
    partial = " (partly sent: its first requests were accepted)" if outcome.requests else ""
    unsure = len(report.graphs_failed)
    return (
        f"push stopped at {describe(outcome.target, outcome.requests)}{partial}: "
        f"{outcome.error}. {len(report.graphs_pushed)} of {report.graphs_total} graph(s) "
        f"were completely pushed, {unsure} failed or may be partial, "
        f"{report.graphs_not_sent} not sent; pushing again is safe (each graph is replaced)"
    )
