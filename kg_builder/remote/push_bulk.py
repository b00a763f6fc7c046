"""Pushing in bulk: many graphs per N-Quads ``POST`` to the dataset URL.

Where the server takes N-Quads on its dataset URL (Oxigraph ``/store``, Fuseki
``/DATASET``, GraphDB ``…/statements``). Before each request, one SPARQL update drops the
graphs that request starts (so a cut-off push leaves at most the graphs of the request in
flight incomplete, and none dropped that was not about to be sent again); then one N-Quads
``POST``. A request the server refuses (HTTP 400/409/413/422) is sent again graph by graph
with the Graph Store Protocol, so one bad graph does not keep the others out. In single
and default mode the target graph is dropped once, then every request adds to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pyoxigraph as ox

from kg_builder.errors import EndpointError
from kg_builder.remote.bodies import Body, Labeller, bodies
from kg_builder.remote.endpoint import EndpointConfig
from kg_builder.remote.graph_store import DatasetLoader, GraphStore
from kg_builder.remote.http import GraphRejected
from kg_builder.remote.push_gsp import send_target
from kg_builder.remote.push_report import IN_FLIGHT, Outcome, Tally, Target


def send_bulk(
    store: ox.Store, config: EndpointConfig, targets: list[Target], mode: str, tally: Tally
) -> list[Outcome]:
    """Push by N-Quads POSTs to the dataset, each after a DROP of the graphs it starts.

    Returns:
        The outcomes of the targets that were attempted, in target order.
    """
    bulk = BulkPush(store, config, targets, mode == "per-article", tally)
    try:
        bulk.run()
    finally:
        bulk.close()
    order = {t.name: i for i, t in enumerate(targets)}
    return sorted(bulk.outcomes.values(), key=lambda o: order[o.target.name])


class BulkPush:
    """A bulk push under way: which target each local graph feeds, what was accepted."""

    def __init__(
        self,
        store: ox.Store,
        config: EndpointConfig,
        targets: list[Target],
        per_article: bool,
        tally: Tally,
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
        self.outcomes: dict[str, Outcome] = {}
        self.accepted: dict[str, int] = {}  # target name → accepted requests
        self.completed: set[str] = set()  # local graphs whose every triple was accepted

    def close(self) -> None:
        """Close the connections."""
        self.loader.close()
        self.fallback.close()

    def run(self) -> None:
        """Send every body; record an outcome for each target attempted."""
        sources = [s for t in self.targets for s in t.sources]
        label = self._labeller()
        if label is None:
            return
        chunks = bodies(self.store, sources, self.config.chunk_triples, label=label)
        for body in prefetched(chunks):
            if not self.send(body):
                return
        for target in self.targets:  # single/default: the one target, once all is in
            if all(s in self.completed for s, _ in target.sources):
                accepted = self.accepted.get(target.name, 0)
                self.outcomes.setdefault(target.name, Outcome(target, accepted))

    def _labeller(self) -> Labeller | None:
        """Which remote graph each local graph's quads name; in single/default mode, the
        target is emptied first (None if that failed)."""
        if self.per_article:
            return lambda iri: iri
        whole = self.targets[0]
        try:
            self.loader.drop([whole.graph])
        except EndpointError as exc:
            self.outcomes[whole.name] = Outcome(whole, 0, exc, IN_FLIGHT)
            return None
        return lambda _iri: whole.graph

    def hit(self, body: Body) -> list[Target]:
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
                self.outcomes.setdefault(target.name, Outcome(target, accepted, exc, IN_FLIGHT))
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
                self.outcomes.setdefault(target.name, Outcome(target, accepted))

    def graph_by_graph(self, body: Body) -> bool:
        """The server refused ``body``: send its graphs one at a time by the Graph Store
        Protocol (PUT replaces a graph; in single/default mode POST adds to the target),
        so that one bad graph keeps no other out. False when the push must stop."""
        for source in body.sources:
            target = self.target_of[source]
            if self.per_article and target.name in self.outcomes:
                continue
            one = Target(target.graph, target.name, ((source, self.sizes[source]),), 0)
            first = "PUT" if self.per_article else "POST"
            outcome = send_target(
                self.fallback, self.store, self.config, one, Tally(0, None), first_method=first
            )
            if outcome.error is None:
                self.accepted[target.name] = self.accepted.get(target.name, 0) + outcome.requests
                self.done([source], self.sizes[source])
                continue
            failed = Outcome(target, outcome.requests, outcome.error, outcome.note)
            self.outcomes.setdefault(target.name, failed)
            if isinstance(outcome.error, EndpointError):
                return False
        return True


_T = TypeVar("_T")


def prefetched(items: Iterator[_T]) -> Iterator[_T]:
    """``items``, the next one made in a helper thread while the current one is in use."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-builder-bodies") as pool:
        ahead = pool.submit(next, items, None)
        while True:
            item = ahead.result()
            if item is None:
                return
            ahead = pool.submit(next, items, None)
            yield item
