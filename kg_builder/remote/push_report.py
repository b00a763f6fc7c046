"""What a push did: the report, and the bookkeeping the ways of pushing share.

:class:`PushReport` is what :func:`~kg_builder.remote.push.push` returns (and what a
:class:`~kg_builder.errors.PushError` carries). :class:`Target` is one remote graph to
write, :class:`Outcome` what became of it, :class:`Tally` the counters behind the progress
callback; :mod:`~kg_builder.remote.push_gsp` and :mod:`~kg_builder.remote.push_bulk`
fill them in.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from kg_builder.errors import EndpointError
from kg_builder.remote.endpoint import EndpointConfig
from kg_builder.remote.http import GraphRejected

#: How :class:`PushReport` names the default graph (``mode="default"``).
DEFAULT_GRAPH = "default"
#: Progress callback: (graphs_done, graphs_total, triples_done).
ProgressCallback = Callable[[int, int, int], None]
#: What a failure means for a graph whose request was under way when the push stopped.
IN_FLIGHT = "in flight when the push stopped: may be partial"


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


@dataclass(frozen=True, slots=True)
class Target:
    """One remote graph a push writes.

    Attributes:
        graph: The remote graph IRI; None for the default graph.
        name: How the report names it.
        sources: The local ``(graph IRI, triples)`` it is made of.
        expected: Triples the remote graph should hold afterwards.
    """

    graph: str | None
    name: str
    sources: tuple[tuple[str, int], ...]
    expected: int


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one target.

    Attributes:
        target: The target.
        requests: Its requests the server accepted.
        error: Why it is not (completely) on the server, or None.
        note: What the failure means for the graph on the server.
    """

    target: Target
    requests: int
    error: GraphRejected | EndpointError | None = None
    note: str = ""

    def why(self) -> str:
        """The failure in words, for :attr:`PushReport.graphs_failed`."""
        note = f" ({self.note})" if self.note else ""
        return f"{describe(self.target, self.requests)}{note}: {self.error}"


def describe(target: Target, index: int) -> str:
    """The target's graph in a message, with the request number after the first."""
    name = "the default graph" if target.graph is None else f"<{target.name}>"
    return f"{name} (request {index + 1})" if index else name


class Tally:
    """Counters shared by the workers; calls the progress callback, one call at a time."""

    def __init__(self, graphs_total: int, progress: ProgressCallback | None):
        self.graphs_total = graphs_total
        self.graphs_done = 0
        self.triples = 0
        self._progress = progress
        self._lock = threading.Lock()

    def accepted(self, triples: int, graphs: int) -> None:
        """Count an accepted request: ``triples`` sent, ``graphs`` local graphs completed."""
        with self._lock:
            self.triples += triples
            self.graphs_done += graphs
            if self._progress is not None:
                self._progress(self.graphs_done, self.graphs_total, self.triples)


def make_report(
    config: EndpointConfig,
    mode: str,
    method: str,
    targets: list[Target],
    pushed: Iterable[str],
    failed: Mapping[str, str],
    triples: int,
    started: float,
    verified: bool,
    *,
    mismatches: Mapping[str, tuple[int, int]] | None = None,
    verify_error: str | None = None,
) -> PushReport:
    """The report of a push that started at ``started`` (``time.monotonic()``)."""
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
