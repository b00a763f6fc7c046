"""The run: read → parse → extract → emit → validate → store, with a report.

Bad input never stops the run: each failure is counted and named (file and line), every
good article is stored. Configuration problems (model, ontology, shapes, base IRI,
store) fail at once, before any article is read.

:class:`IngestRun` reads the sources in the parent process, cuts them into numbered
batches, and keeps ``jobs`` worker processes (:class:`~kg_builder.pipeline.pool.WorkerPool`)
busy with them; the parent only writes to the store, batch after batch in input order
(so the later of two articles with the same id wins), in loads of ``load_size`` articles
(many batches: see :data:`LOAD_SECONDS` and ``docs/DESIGN.md``; once all the input is
read, batch by batch, so the write left after the last worker's answer is one batch's).
A load runs on a thread of its own, one at a time, so that the workers are given new
batches meanwhile; Ctrl-C, which only the main thread sees, waits for it (see
:class:`kg_builder.store.entities.ArticleWriter`), so every article is either fully
stored or absent. The entity graph is brought up to date twice: once all the input is
read, on the store thread while the workers parse the last batches, and at the end of
the run (also after Ctrl-C, which waits for it) for what those batches touched; its
cost grows with the articles written, not with loads × store size. Until then a marker
file says it lags, so a run that is killed leaves a store whose next writer rebuilds it. At most
``3 × jobs + 1`` batches' worth of articles are read ahead of the store, so memory does
not grow with the input. An article that crashes or hangs its worker fails alone: the
rest of its batch is sent again (article by article when the culprit is not known).
``benchmarks/stages.py`` shows where the time goes.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from kg_builder.errors import GateError, InputError
from kg_builder.models import Article
from kg_builder.nlp import unload_nlp
from kg_builder.pipeline.options import IngestOptions, check_options
from kg_builder.pipeline.pool import Lost, Task, WorkerPool, blame
from kg_builder.pipeline.report import ArticleTiming, Failure, IngestReport
from kg_builder.pipeline.worker import Outcome
from kg_builder.rdf.iris import IriMinter
from kg_builder.rdf.validate import Disagreement
from kg_builder.read import iter_articles
from kg_builder.store import PENDING_FILE, GraphWrite, open_store
from kg_builder.store.embedded import interrupts_held
from kg_builder.store.entities import ArticleWriter

log = logging.getLogger(__name__)

#: Flush the store's in-memory write buffers to disk every this many loads.
#: Without it the writer's RSS grew with the store (RocksDB memtables): measured 0.6 GB
#: after 1,600 articles and 2 GB after 9,600; flushing every 10 batches kept it at ~0.2 GB.
FLUSH_EVERY = 10
#: A finished batch waits at most this long for the others of its load (``load_size``),
#: so that a slow run still stores (and shows progress) as it goes.
LOAD_SECONDS = 60.0
#: Seconds between two looks at the workers while waiting for answers.
POLL_SECONDS = 0.5

ProgressFn = Callable[[int, int], None]
ProblemFn = Callable[[Failure | str], None]
TimingFn = Callable[[ArticleTiming], None]


@dataclass(slots=True)
class _Batch:
    """An input batch on its way to the store; complete when every article has an outcome."""

    articles: list[Article]
    outcomes: dict[int, Outcome] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return len(self.outcomes) == len(self.articles)


@dataclass(frozen=True, slots=True)
class _Load:
    """A load queued for the store thread: its articles, triples and last batch (no
    articles: the entity graph's early update)."""

    done: Future[None]
    articles: int
    triples: int
    last: int


class IngestRun:
    """One ingest of ``sources`` into the store at ``store_path``.

    Use :func:`ingest`; this class holds the run's state (counts, failures, the batches in
    flight) so that each step is a method with a name instead of a closure.
    """

    def __init__(
        self,
        sources: Sequence[str | Path],
        store_path: str | Path,
        options: IngestOptions,
        *,
        stdin: BinaryIO | None = None,
        progress: ProgressFn | None = None,
        on_problem: ProblemFn | None = None,
        on_article: TimingFn | None = None,
        keep_model: bool = True,
    ) -> None:
        self.sources = sources
        self._free_model = not keep_model  # once the workers have their first batches
        self.store_path = Path(store_path)
        self.options = options
        self.stdin = stdin
        self.progress = progress
        self.on_problem = on_problem
        self.on_article = on_article
        self.minter = IriMinter(options.base)
        self.failed: list[Failure] = []
        self.warnings: list[str] = []
        self.stored = self.triples = self.transactions = 0
        # Finished articles waiting for the next load, by graph IRI (a later article with
        # the same id replaces an earlier one), with their triple counts.
        self._pending: dict[str, tuple[GraphWrite, int]] = {}
        self._pending_articles = self._pending_triples = 0
        self._pending_since = 0.0
        self._seen_ids: dict[str, str] = {}
        self._seen_texts: dict[bytes, str] = {}
        self._batches: dict[int, _Batch] = {}  # read, not yet written, by sequence number
        self._retry: deque[Task] = deque()  # parts of lost tasks, sent before new input
        self._next_seq = 0  # sequence number of the next batch read
        self._next_write = 0  # sequence number of the next batch to write
        self._input_read = False  # the last article is read (its batch may wait)
        self._input_done = False  # the last batch is handed out
        # Loads run on one thread of their own, so that the workers are given new batches
        # while the store writes; one load at a time, in input order, queued here.
        self._store_thread = ThreadPoolExecutor(1, thread_name_prefix="kg-builder-store")
        self._loads: deque[_Load] = deque()
        self._updated_early = False

    # ------------------------------------------------------------------ the run

    def execute(self) -> IngestReport:
        """Run to the end (or to Ctrl-C) and report."""
        started = time.perf_counter()
        self._open_store()
        interrupted = False
        with _frozen_heap():
            pool = WorkerPool(self.options, self.options.jobs)
            try:
                self._drive(pool, self._read())
                pool.close()
            except KeyboardInterrupt:
                interrupted = True
                pool.terminate()
            except BaseException:
                pool.terminate()
                raise
            finally:
                # What is validated and next in input order is stored, also after Ctrl-C or
                # a GateError (a second Ctrl-C is held back during the load itself).
                with contextlib.suppress(KeyboardInterrupt):
                    self._write()
                self._close_store()
        if self.stored == 0 and not self.failed and not interrupted:
            where = ", ".join(map(str, self.sources)) or "(no input)"
            self.failed.append(Failure(where, "no articles found"))
        return IngestReport(
            self.stored,
            tuple(self.failed),
            tuple(self.warnings),
            self.triples,
            time.perf_counter() - started,
            interrupted,
        )

    def _open_store(self) -> None:
        """Open the store and the writer of the run's loads."""
        self.store = open_store(self.store_path)
        self.writer = ArticleWriter(
            self.store,
            journal=self.store_path / PENDING_FILE,
            base=self.options.base,
            engine=self.options.engine,
        )

    def _close_store(self) -> None:
        """Wait for the last loads, bring the entity graph up to date with what they
        touched since the early update (all of the run's articles if there was none; a
        held Ctrl-C is dropped: the run is ending), and close the store."""
        with contextlib.suppress(KeyboardInterrupt):
            self._wait_for_loads()
        self._store_thread.shutdown()
        with contextlib.suppress(KeyboardInterrupt):
            self.writer.finish()
        self.store.flush()
        del self.store  # close RocksDB now, not when a reference cycle is collected

    def _drive(self, pool: WorkerPool, batches: Iterator[list[Article]]) -> None:
        """Keep the workers busy and write finished batches in order, until all is written."""
        window = 2 * self.options.jobs
        while True:
            while pool.idle():
                task = self._next_task(batches, window)
                if task is None:
                    break
                pool.submit(task)
            if self._free_model and pool.busy():
                self._free_model = False
                _release_model()
            if not pool.busy() and self._next_write == self._next_seq and self._input_done:
                return
            if self._input_read and self._batches and not self._updated_early:
                self._update_early()
            done, lost = pool.collect(POLL_SECONDS)
            for task, outcomes in done:
                self._batches[task.seq].outcomes.update((o.index, o) for o in outcomes)
            for item in lost:
                self._recover(item)
            self._write_ready()
            if self._pending and time.monotonic() - self._pending_since >= LOAD_SECONDS:
                self._write()
            self._count_loads()

    def _next_task(self, batches: Iterator[list[Article]], window: int) -> Task | None:
        if self._retry:
            return self._retry.popleft()
        if self._input_done or self._next_seq - self._next_write >= window:
            return None
        batch = next(batches, None)
        if batch is None:
            self._input_done = True
            return None
        seq = self._next_seq
        self._next_seq += 1
        self._batches[seq] = _Batch(batch)
        return Task(seq, list(enumerate(batch)))

    # ------------------------------------------------------------------ input

    def _read(self) -> Iterator[list[Article]]:
        """The input in batches; unreadable inputs are reported as they are met.

        ``jobs + 1`` batches of input are held before one goes out. What is held when the
        input ends goes out in ever smaller batches (:func:`tail_batches`), so that the
        workers finish together rather than one idling while another parses a last full
        batch; the last of them is handed out with ``_input_done`` set, so that from then
        on each batch is written as it comes.
        """
        size = self.options.batch_size
        ahead = size * (self.options.jobs + 1)
        held: deque[Article] = deque()
        for item in iter_articles(self.sources, self.options.read, stdin=self.stdin):
            if isinstance(item, InputError):
                self._fail(Failure(item.origin, item.reason))
                continue
            self._note_duplicates(item)
            held.append(item)
            if len(held) >= ahead:
                yield [held.popleft() for _ in range(size)]
        self._input_read = True
        tail = list(tail_batches(list(held), size, self.options.jobs))
        for i, batch in enumerate(tail, 1):
            self._input_done = i == len(tail)
            yield batch

    def _note_duplicates(self, article: Article) -> None:
        self._note_ids(article.id, article.origin, text_digest(article.text))

    def _note_ids(self, article_id: str, origin: str, digest: bytes) -> None:
        """Warn about an id met before (the later article wins) and a text met before."""
        if article_id in self._seen_ids:
            self._warn(
                f"{origin}: article id {article_id!r} also at "
                f"{self._seen_ids[article_id]}; the later one wins"
            )
        self._seen_ids[article_id] = origin
        other = self._seen_texts.setdefault(digest, article_id)
        if other != article_id:
            self._warn(f"{origin}: article {article_id!r} has the same text as {other!r}")

    # ------------------------------------------------------------------ lost work

    def _recover(self, lost: Lost) -> None:
        """Blame the article a dead or stuck worker was on; send the others again."""
        failed, retry = blame(lost, self.minter)
        if failed is not None:
            self._batches[lost.task.seq].outcomes[failed.index] = failed
        self._retry.extendleft(reversed(retry))
        if lost.stage != "idle":
            log.warning("a worker was replaced: %s (stage %s)", lost.why, lost.stage)

    # ------------------------------------------------------------------ output

    def _write_ready(self) -> None:
        """Take every finished batch that is next in input order; load when enough wait,
        and, once all the input is read, each batch as it comes (so the last load, which
        no worker's parse overlaps, is one batch, not up to ``load_size`` articles)."""
        while (batch := self._batches.get(self._next_write)) is not None and batch.complete:
            del self._batches[self._next_write]
            self._next_write += 1
            self._accept(sorted(batch.outcomes.values(), key=lambda o: o.index))
            if self._pending_articles >= self.options.load_size or self._input_done:
                self._write()

    def _accept(self, outcomes: list[Outcome]) -> None:
        """Count a finished batch's failures and queue its graphs for the next load."""
        _stop_on_false_conforms(outcomes)
        if not self._pending:
            self._pending_since = time.monotonic()
        for o in outcomes:
            if self.on_article:
                timing = ArticleTiming(o.article_id, o.origin, o.ntriples is not None, o.seconds)
                self.on_article(timing)
            if o.ntriples is None:
                self._fail(Failure(o.origin or o.article_id, o.reason or "failed"))
            else:
                self._pending.pop(o.graph, None)  # the later article wins, as in the store
                self._pending[o.graph] = (GraphWrite(o.graph, o.ntriples), o.triples)
                self._pending_articles += 1
                self._pending_triples += o.triples  # counted as a local run always has
        if self.progress:
            self.progress(self.stored, len(self.failed))

    def _write(self) -> None:
        """Queue a load of the waiting graphs (all of it or nothing) for the store thread;
        first wait for the loads queued before it while they hold ``load_size`` articles
        or more (so that at most about two loads' worth of graphs are held)."""
        if not self._pending:
            return
        while self._loads and sum(load.articles for load in self._loads) >= self.options.load_size:
            self._count(self._loads.popleft())
        pending, articles, triples = self._pending, self._pending_articles, self._pending_triples
        self._pending, self._pending_articles, self._pending_triples = {}, 0, 0
        writes = [write for write, _ in pending.values()]
        self._loads.append(
            _Load(
                self._store_thread.submit(self._load, writes),
                articles,
                triples,
                self._next_write - 1,
            )
        )

    def _update_early(self) -> None:
        """Once all the input is read, queue the entity graph's update for what is stored
        so far, so that it runs while the workers parse the last batches; the update at
        the end of the run is left with what those batches touch (when it did all of it,
        every worker stood idle meanwhile)."""
        self._updated_early = True
        self._write()
        if self._loads or self.stored:
            update = self._store_thread.submit(self._update_entities)
            self._loads.append(_Load(update, 0, 0, self._next_write - 1))

    def _update_entities(self) -> None:
        """The entity graph's update, on the store thread."""
        self.writer.finish()

    def _load(self, writes: list[GraphWrite]) -> None:
        """One load, on the store thread (Ctrl-C reaches the main thread only, which
        waits for the load before it stops)."""
        # The native SHACL engine parsed every graph's N-Triples in its worker.
        self.writer.write(writes, checked=self.options.engine == "native")
        self.transactions += 1
        if self.transactions % FLUSH_EVERY == 0:
            self.store.flush()  # keeps the writer's memory flat, see FLUSH_EVERY

    def _count_loads(self) -> None:
        """Count the queued loads that are done, in order."""
        while self._loads and self._loads[0].done.done():
            self._count(self._loads.popleft())

    def _wait_for_loads(self) -> None:
        """Wait for every queued load and count it."""
        while self._loads:
            self._count(self._loads.popleft())

    def _count(self, load: _Load) -> None:
        """Wait for ``load`` and count its articles (its error is raised here)."""
        with interrupts_held():  # a load is all of it or nothing: Ctrl-C waits for it
            load.done.result()
            self.stored += load.articles
            self.triples += load.triples
        if not load.articles:
            return  # the entity graph's early update
        log.info(
            "%d article(s) written, up to batch %d: %d stored in all",
            load.articles,
            load.last,
            self.stored,
        )
        if self.progress:
            self.progress(self.stored, len(self.failed))

    def _fail(self, failure: Failure) -> None:
        self.failed.append(failure)
        if self.on_problem:
            self.on_problem(failure)

    def _warn(self, warning: str) -> None:
        self.warnings.append(warning)
        if self.on_problem:
            self.on_problem(warning)


@contextlib.contextmanager
def _frozen_heap() -> Iterator[None]:
    """What is loaded when the run starts (model, shapes, modules) lives as long as the
    run: kept out of the cyclic garbage collector's passes, in this process (whose entity
    update makes many short-lived objects) and in the workers forked from it."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _release_model() -> None:
    """Free this process's copy of the model: the workers have theirs now (forked with it,
    or loading it themselves) and the writer never parses (a worker replaced later loads
    the model itself). At 10,000 articles the writer is the largest process."""
    gc.unfreeze()  # the model is in the frozen heap, and holds reference cycles
    unload_nlp()
    gc.collect()
    gc.freeze()


def tail_batches(articles: list[Article], size: int, jobs: int) -> Iterator[list[Article]]:
    """The last articles of an input in batches of at most ``size`` that shrink towards the
    end (guided self-scheduling): each takes a ``2 * jobs``-th of what is left, and at
    least an eighth of ``size``.

    >>> [len(b) for b in tail_batches(list(range(90)), 32, 2)]
    [23, 17, 13, 10, 7, 5, 4, 4, 4, 3]
    """
    smallest = max(1, size // 8)
    at = 0
    while at < len(articles):
        left = len(articles) - at
        n = min(size, left, max(smallest, -(-left // (2 * jobs))))
        yield articles[at : at + n]
        at += n


def text_digest(text: str) -> bytes:
    """What two articles with the same text share (for the duplicate-text warning)."""
    return hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=16).digest()


def _stop_on_false_conforms(outcomes: list[Outcome]) -> None:
    """Raise before a batch is written if the native engine passed a graph pyshacl rejects."""
    for o in outcomes:
        if o.disagreement == Disagreement.NATIVE_CONFORMS:
            raise GateError(
                f"{o.origin or o.article_id}: the native SHACL engine said the graph of article "
                f"{o.article_id!r} conforms, pyshacl (the reference) says it does not "
                f"(--verify-sample); the run stopped before this batch was written. Re-run with "
                f"--shacl-engine pyshacl, and please report this article.\n{o.reason}"
            )


def ingest(
    sources: Sequence[str | Path],
    store_path: str | Path,
    options: IngestOptions | None = None,
    *,
    stdin: BinaryIO | None = None,
    progress: ProgressFn | None = None,
    on_problem: ProblemFn | None = None,
    on_article: TimingFn | None = None,
    keep_model: bool = True,
) -> IngestReport:
    """Read, extract, validate and store every article of ``sources``.

    Args:
        sources: Files, folders, globs, or "-" for JSON Lines on ``stdin``.
        store_path: The embedded store (created if missing).
        options: Run options.
        stdin: Stream for "-" (default: the process's stdin).
        progress: Called with (stored, failed) after each batch is written.
        on_problem: Called with each failure (a :class:`Failure`) and each warning (a
            string) as it happens; the report lists them all again at the end.
        on_article: Called with each article's :class:`ArticleTiming` as its batch is
            written (stored or not).
        keep_model: Keep the language model loaded in this process after the run, for
            the next run to start with (the worker processes get it from here). False
            frees it as soon as the workers have it: 30-45 MiB less in this process, the
            store's writer, for the whole run (the CLI, one run per process, does so).

    Returns:
        The run's report; it never raises for bad input.

    Raises:
        ConfigError: bad options, model, ontology or shapes (before any work).
        StoreError: the store cannot be opened or written.
        GateError: the native SHACL engine accepted a graph that pyshacl rejects (found by
            ``verify_sample``); the batches before it are stored.

    Example:
        >>> report = ingest(["examples/"], "out/store", IngestOptions(jobs=1))  # doctest: +SKIP
        >>> report.stored, [f.reason for f in report.failed]  # doctest: +SKIP
        (1, [])
    """
    options = options or IngestOptions()
    check_options(options)
    run = IngestRun(
        sources,
        store_path,
        options,
        stdin=stdin,
        progress=progress,
        on_problem=on_problem,
        on_article=on_article,
        keep_model=keep_model,
    )
    return run.execute()
