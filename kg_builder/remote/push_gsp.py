"""Pushing by the Graph Store Protocol: a ``PUT`` per graph, ``config.workers`` at a time.

A graph bigger than ``chunk_triples`` goes as a ``PUT`` of its first chunk and ``POST``\\ s
of the others. The bulk push (:mod:`~kg_builder.remote.push_bulk`) falls back to
:func:`send_target` for a graph the server refused in a bulk request.
"""

from __future__ import annotations

import threading
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

import pyoxigraph as ox

from kg_builder.errors import EndpointError
from kg_builder.remote.bodies import bodies
from kg_builder.remote.endpoint import EndpointConfig
from kg_builder.remote.graph_store import GraphStore
from kg_builder.remote.http import GraphRejected
from kg_builder.remote.push_report import IN_FLIGHT, Outcome, Tally, Target

#: Stop when this many graphs in a row were refused and none was accepted yet.
MAX_FIRST_REJECTIONS = 10


def send_all(
    store: ox.Store, config: EndpointConfig, targets: list[Target], tally: Tally
) -> list[Outcome]:
    """Push every target with ``config.workers`` connections; stop early on a fatal error.

    Returns:
        The outcomes of the targets that were attempted, in target order.
    """
    local = threading.local()
    clients: list[GraphStore] = []
    clients_lock = threading.Lock()

    def work(target: Target) -> Outcome:
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = GraphStore(config)
            with clients_lock:
                clients.append(client)
        return send_target(client, store, config, target, tally)

    outcomes: dict[int, Outcome] = {}
    queue = iter(enumerate(targets))
    stopping = False
    try:
        with ThreadPoolExecutor(
            max_workers=config.workers, thread_name_prefix="kg-builder-push"
        ) as pool:
            running: dict[Future[Outcome], int] = {}

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
                    all_refused = len(outcomes) >= MAX_FIRST_REJECTIONS and all(
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


def send_target(
    client: GraphStore,
    store: ox.Store,
    config: EndpointConfig,
    target: Target,
    tally: Tally,
    *,
    first_method: str = "PUT",
) -> Outcome:
    """One target by the Graph Store Protocol: ``PUT`` (or ``first_method``), then ``POST``\\ s.

    Returns:
        Its outcome: a refusal or a fatal error is recorded, never raised.
    """
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
            note = IN_FLIGHT
        return Outcome(target, requests, exc, note)
    return Outcome(target, requests)
