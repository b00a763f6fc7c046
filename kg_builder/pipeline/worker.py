"""The work done on a batch in a worker process: parse, extract, emit, serialise, validate.

One :class:`Worker` per process holds what it needs for the whole run (the spaCy model,
the shapes, the IRI minter, the extractor). For each batch it returns one
:class:`Outcome` per article: the article's N-Triples, or why there are none. A bug in
one article, or an article that takes too long, never sinks the batch.

**Time budget.** Every stage of an article — parse, extract, emit, validate — must end
within ``IngestOptions.article_timeout`` seconds. A timer (``SIGALRM``) interrupts a
stage that runs over; the article is reported as failed with the stage it was in, and
the worker goes on with the rest of its batch. The batch is parsed and validated
together when that fits in one article's budget (the usual case by far: ~2 s to parse 32
news articles); when it does not, it is done again article by article, so the slow
article fails alone. Before each stage the worker writes into a shared
:class:`Heartbeat` which article and stage it is in, and since when: the parent
(:mod:`kg_builder.pipeline.pool`) replaces a worker that a timer could not interrupt
(stuck in native code) and knows which article to blame.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from typing import Any

from spacy.tokens import Doc

from kg_builder.models import Article
from kg_builder.nlp import load_nlp
from kg_builder.pipeline.options import IngestOptions, resolve_extractor
from kg_builder.rdf.emit import emit_triples
from kg_builder.rdf.iris import IriMinter
from kg_builder.rdf.ntriples import to_ntriples
from kg_builder.rdf.shapes import load_shapes
from kg_builder.rdf.validate import ArticleGraph, Disagreement, Gate, Report

#: Stages an article goes through, in order; the heartbeat stores their index.
STAGES = ("idle", "parse", "extract", "emit", "serialise", "validate")
#: The heartbeat's article index while a stage runs for the whole batch at once.
WHOLE_BATCH = -1

Triples = tuple[tuple[Any, Any, Any], ...]
#: An article's triples and their N-Triples.
Emitted = tuple[Triples, str]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one article of a batch.

    Attributes:
        index: The article's position in its batch (as the parent numbered it).
        article_id: The article's id.
        origin: Where it was read from, for messages.
        graph: The IRI of its named graph.
        ntriples: Its validated triples as sorted N-Triples, or None if not stored.
        triples: Number of triples.
        reason: Why it is not stored (None when it is).
        seconds: Time spent on the article per stage, in stage order; a stage done for the
            whole batch at once is shared out evenly among its articles.
        disagreement: Set when the SHACL engines disagreed on its graph.
    """

    index: int
    article_id: str
    origin: str
    graph: str
    ntriples: str | None
    triples: int
    reason: str | None
    seconds: tuple[tuple[str, float], ...] = ()
    disagreement: Disagreement | None = None


class OverBudget(BaseException):
    """A stage ran past the article time budget (raised by the timer).

    A ``BaseException``, like ``KeyboardInterrupt``, so that no ``except Exception`` in an
    extraction rule can swallow it.
    """


class Heartbeat:
    """Which article and stage a worker is in, and since when; shared with the parent.

    Three floats in shared memory: the article's index in the batch (:data:`WHOLE_BATCH`
    for a batch-wide stage), the stage (an index into :data:`STAGES`) and the
    ``time.monotonic()`` at which it started (0 when idle). Without shared memory (a
    worker run in the caller's process) it is a plain list.
    """

    def __init__(self, cells: Any | None = None) -> None:
        self.cells = cells if cells is not None else [0.0, 0.0, 0.0]

    def set(self, index: int, stage: str) -> None:
        """Say that article ``index`` now enters ``stage``."""
        self.cells[2] = 0.0  # never read a new stage with the previous stage's start
        self.cells[0] = float(index)
        self.cells[1] = float(STAGES.index(stage))
        self.cells[2] = time.monotonic()

    def clear(self) -> None:
        """Say that the worker is idle."""
        self.cells[2] = 0.0
        self.cells[1] = 0.0

    def read(self) -> tuple[int, str, float]:
        """``(index, stage, started)``; ``started`` is 0 when the worker is idle."""
        return int(self.cells[0]), STAGES[int(self.cells[1])], float(self.cells[2])


def _raise_over_budget(signum: int, frame: object) -> None:
    raise OverBudget


class Worker:
    """Turns batches of articles into validated N-Triples, each article within its budget.

    Args:
        options: The run's options (model, shapes, base IRI, extractor, time budget).
        heartbeat: Where to tell the parent what is being done.
    """

    def __init__(self, options: IngestOptions, heartbeat: Heartbeat | None = None) -> None:
        self.nlp = load_nlp(options.model)
        meta = self.nlp.meta
        self.model = f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}"
        self.shapes = load_shapes(options.shapes)
        self.gate = Gate(self.shapes, options.engine, options.verify_sample)
        self.minter = IriMinter(options.base)
        self.base = options.base
        self.extract = resolve_extractor(options.extractor)
        self.heartbeat = heartbeat or Heartbeat()
        self._seconds: dict[tuple[int, str], float] = {}  # (article or WHOLE_BATCH, stage)
        # A timer can interrupt only the main thread of a process (a worker process's).
        can_alarm = hasattr(signal, "setitimer") and (
            threading.current_thread() == threading.main_thread()
        )
        self.timeout = options.article_timeout if can_alarm else 0.0

    # ------------------------------------------------------------------ the batch

    def process(self, items: Sequence[tuple[int, Article]]) -> list[Outcome]:
        """Parse, extract, emit, serialise and validate each article; one outcome each.

        Args:
            items: ``(index, article)`` pairs; ``index`` is echoed in the outcome.
        """
        self._seconds = {}
        failed: dict[int, str] = {}
        docs = self._parse(items, failed)
        emitted: dict[int, Emitted] = {}
        for index, article in items:
            if index not in failed:
                result = self._extract_and_emit(index, article, docs[index])
                if isinstance(result, str):
                    failed[index] = result
                else:
                    emitted[index] = result
        reports = self._validate(emitted, dict(items), failed)
        outcomes = [
            self._outcome(index, article, emitted.get(index), reports.get(index), failed)
            for index, article in items
        ]
        self.heartbeat.clear()
        return [replace(o, seconds=self._stage_seconds(o.index, len(items))) for o in outcomes]

    def _stage_seconds(self, index: int, batch: int) -> tuple[tuple[str, float], ...]:
        shared = {s: t / batch for (i, s), t in self._seconds.items() if i == WHOLE_BATCH}
        own = {s: t for (i, s), t in self._seconds.items() if i == index}
        return tuple(
            (stage, shared.get(stage, 0.0) + own.get(stage, 0.0))
            for stage in STAGES
            if stage in shared or stage in own
        )

    def _outcome(
        self,
        index: int,
        article: Article,
        emitted: Emitted | None,
        report: Report | None,
        failed: dict[int, str],
    ) -> Outcome:
        graph = self.minter.article(article.id)
        if emitted is None or report is None:
            reason = failed.get(index, "not processed")
            return Outcome(index, article.id, article.origin, graph, None, 0, reason)
        if not report.conforms:
            reason = "graph does not conform to the SHACL shapes, not stored:\n" + report.summary()
            return Outcome(
                index,
                article.id,
                article.origin,
                graph,
                None,
                0,
                reason,
                disagreement=report.disagreement,
            )
        triples, data = emitted
        return Outcome(index, article.id, article.origin, graph, data, len(triples), None)

    # ------------------------------------------------------------------ stages

    def _parse(
        self, items: Sequence[tuple[int, Article]], failed: dict[int, str]
    ) -> dict[int, Doc]:
        """The batch parsed together, or article by article if that fails or runs long."""
        try:
            with self._budget(WHOLE_BATCH, "parse"):
                docs = list(self.nlp.pipe([a.text for _, a in items], batch_size=len(items)))
            return {index: doc for (index, _), doc in zip(items, docs, strict=True)}
        except OverBudget:
            if len(items) == 1:
                failed[items[0][0]] = self._over_budget(items[0][1], "parse")
                return {}
        except Exception:  # noqa: BLE001 - one bad text must not sink the batch: find it below
            pass
        parsed: dict[int, Doc] = {}
        for index, article in items:
            try:
                with self._budget(index, "parse"):
                    parsed[index] = self.nlp(article.text)
            except OverBudget:
                failed[index] = self._over_budget(article, "parse")
            except Exception as exc:  # noqa: BLE001 - e.g. a text over the model's max_length
                failed[index] = f"the language model cannot parse it ({_describe(exc)})"
        return parsed

    def _extract_and_emit(self, index: int, article: Article, doc: Doc) -> Emitted | str:
        """The article's triples and N-Triples, or why there are none (a bug must not sink
        the batch)."""
        stage = "extract"
        try:
            with self._budget(index, stage):
                extraction = self.extract(article, doc)
            stage = "emit"
            with self._budget(index, stage):
                triples = emit_triples(extraction, base=self.base, model=self.model)
            stage = "serialise"
            with self._budget(index, stage):
                return triples, to_ntriples(triples)
        except OverBudget:
            return self._over_budget(article, stage)
        except Exception as exc:  # noqa: BLE001 - reported with the article, run goes on
            return f"{stage} failed ({_describe(exc)}); please report"

    def _validate(
        self, emitted: dict[int, Emitted], articles: dict[int, Article], failed: dict[int, str]
    ) -> dict[int, Report]:
        """SHACL reports: the batch at once, or graph by graph if that fails or runs long."""
        indexes = sorted(emitted)
        if not indexes:
            return {}

        def graph(i: int) -> ArticleGraph:
            return ArticleGraph(articles[i].id, *emitted[i])

        try:
            with self._budget(WHOLE_BATCH, "validate"):
                reports = self.gate.check([graph(i) for i in indexes])
            return dict(zip(indexes, reports, strict=True))
        except OverBudget:
            pass
        except Exception:  # noqa: BLE001 - find the graph that breaks the validator below
            pass
        out: dict[int, Report] = {}
        for index in indexes:
            try:
                with self._budget(index, "validate"):
                    out[index] = self.gate.check([graph(index)])[0]
            except OverBudget:
                failed[index] = self._over_budget(articles[index], "validate")
            except Exception as exc:  # noqa: BLE001
                failed[index] = f"validation failed ({_describe(exc)}); please report"
        return out

    # ------------------------------------------------------------------ the budget

    @contextlib.contextmanager
    def _budget(self, index: int, stage: str) -> Iterator[None]:
        """Run the block as ``stage`` of article ``index``; raise OverBudget past the budget."""
        self.heartbeat.set(index, stage)
        started = time.perf_counter()
        try:
            if not self.timeout:
                yield
                return
            previous = signal.signal(signal.SIGALRM, _raise_over_budget)
            signal.setitimer(signal.ITIMER_REAL, self.timeout)
            try:
                yield
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
        finally:
            key = (index, stage)
            self._seconds[key] = self._seconds.get(key, 0.0) + time.perf_counter() - started

    def _over_budget(self, article: Article, stage: str) -> str:
        return over_budget_reason(article, stage, self.timeout)


def over_budget_reason(article: Article, stage: str, seconds: float, note: str = "") -> str:
    """The message of an article stopped for running past its time budget."""
    return (
        f"article {article.id!r} stopped after {seconds:g} s in stage '{stage}' "
        f"(over the --article-timeout budget){note}; the run went on without it. "
        "Please report this article."
    )


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def serve(conn: Connection, options: IngestOptions, cells: Any) -> None:
    """A worker process's loop: receive ``(task_id, items)``, send ``(task_id, outcomes)``.

    Ends on ``None`` or when the parent goes away. Ctrl-C is the parent's business: the
    parent stops the workers and leaves the store consistent.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The native SHACL engine may validate a large graph on a thread pool; the run
    # already keeps every core busy with one worker process each.
    os.environ.setdefault("RAYON_NUM_THREADS", "1")
    worker = Worker(options, Heartbeat(cells))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        task_id, items = message
        conn.send((task_id, worker.process(items)))
