"""Worker processes that never stop a run: each gets one batch at a time and is watched.

:class:`WorkerPool` starts ``jobs`` processes running :func:`kg_builder.pipeline.worker.serve`
and hands each one batch (a :class:`Task`) at a time. :meth:`WorkerPool.collect` returns
what came back, and also the tasks that were *lost*: a worker that died (a crash in native
code, the kernel's OOM killer) or that stayed in one stage longer than the article time
budget plus a grace period (a timer cannot interrupt native code that never returns to the
interpreter) is killed and replaced by a fresh process, and its task comes back as a
:class:`Lost` naming the article and stage its heartbeat last showed. What to do with the
rest of a lost batch is the run's decision (:mod:`kg_builder.pipeline.run`).

``multiprocessing.Pool`` is not used: it cannot tell which worker holds which task, waits
for ever on a task whose worker died, and cannot replace one stuck worker.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

from kg_builder.errors import ConfigError
from kg_builder.models import Article
from kg_builder.pipeline.options import IngestOptions
from kg_builder.pipeline.worker import (
    WHOLE_BATCH,
    Heartbeat,
    Outcome,
    over_budget_reason,
    serve,
)
from kg_builder.rdf import native
from kg_builder.rdf.iris import IriMinter

#: A worker past the budget is given this much longer (at least) to answer its timer.
MIN_GRACE = 5.0
#: Workers dying this many times in a row before they start any work stop the run.
MAX_STARTUP_DEATHS = 3


@dataclass(slots=True)
class Task:
    """Articles sent together to one worker.

    Attributes:
        seq: Number of the input batch the articles belong to (written in this order).
        items: ``(index in that batch, article)`` pairs.
        alone: The articles were split out of a lost batch to find the one to blame.
    """

    seq: int
    items: list[tuple[int, Article]]
    alone: bool = False


@dataclass(frozen=True, slots=True)
class Lost:
    """A task whose worker died or stopped answering; its results are gone.

    Attributes:
        task: The task.
        index: The article the heartbeat showed (:data:`WHOLE_BATCH` for a batch stage).
        stage: The stage it showed.
        seconds: How long it had been in that stage.
        why: What happened to the worker, for a person.
    """

    task: Task
    index: int
    stage: str
    seconds: float
    why: str


@dataclass(slots=True)
class _Process:
    process: BaseProcess
    conn: Connection
    heartbeat: Heartbeat
    task: Task | None = None
    answered: bool = False


class WorkerPool:
    """``jobs`` supervised worker processes.

    Args:
        options: Passed to every worker; ``article_timeout`` also sets when a worker
            counts as stuck (0: never, only dead workers are replaced).
        jobs: Number of processes.
        start_method: ``"spawn"`` to start the processes afresh (they load the model
            themselves); by default they are forked where the system can.
    """

    def __init__(self, options: IngestOptions, jobs: int, *, start_method: str = "") -> None:
        # A multi-threaded parent (a Dask worker) asks for "spawn": forking it is unsafe.
        self._spawn = start_method == "spawn"
        self._options = options
        timeout = options.article_timeout
        self._stuck_after = timeout + max(MIN_GRACE, timeout / 2) if timeout else 0.0
        self._startup_deaths = 0
        self._workers = [self._start() for _ in range(jobs)]

    # ------------------------------------------------------------------ lifecycle

    def _start(self) -> _Process:
        # fork: workers start with the model and shapes the parent loaded in check_options;
        # not once this process has validated with the native SHACL engine (the entity
        # graph's updates do), whose thread pool a forked child would inherit without its
        # threads (and hang on): a worker replaced after that is spawned.
        fork = not self._spawn and "fork" in mp.get_all_start_methods() and native.fork_safe()
        ctx = mp.get_context("fork") if fork else mp.get_context("spawn")
        parent_end, child_end = ctx.Pipe()
        cells = ctx.RawArray("d", 3)
        process = ctx.Process(
            target=serve, args=(child_end, self._options, cells), name="kg-builder-worker"
        )
        process.daemon = True
        process.start()
        child_end.close()
        return _Process(process, parent_end, Heartbeat(cells))

    def close(self) -> None:
        """Let every worker finish and exit."""
        for w in self._workers:
            with contextlib.suppress(OSError):
                w.conn.send(None)
        for w in self._workers:
            w.process.join(timeout=30)
            if w.process.is_alive():
                w.process.kill()
                w.process.join()
            w.conn.close()

    def terminate(self) -> None:
        """Stop every worker now (their tasks are abandoned)."""
        for w in self._workers:
            w.process.kill()
        for w in self._workers:
            w.process.join()
            w.conn.close()

    # ------------------------------------------------------------------ work

    def idle(self) -> int:
        """How many workers have no task."""
        return sum(w.task is None for w in self._workers)

    def busy(self) -> int:
        """How many workers have a task."""
        return len(self._workers) - self.idle()

    def submit(self, task: Task) -> None:
        """Give ``task`` to an idle worker (there must be one)."""
        worker = next(w for w in self._workers if w.task is None)
        worker.task = task
        with contextlib.suppress(OSError):  # a dead worker: collect() reports the task lost
            worker.conn.send((id(task), task.items))

    def collect(self, timeout: float) -> tuple[list[tuple[Task, list[Outcome]]], list[Lost]]:
        """Wait up to ``timeout`` seconds for answers; return them and the lost tasks."""
        busy = [w for w in self._workers if w.task is not None]
        done: list[tuple[Task, list[Outcome]]] = []
        lost: list[Lost] = []
        if not busy:
            return done, lost
        ready = set(map(id, wait([w.conn for w in busy], timeout=timeout)))
        for w in busy:
            task = w.task
            assert task is not None
            if id(w.conn) in ready:
                try:
                    _, outcomes = w.conn.recv()
                except (EOFError, OSError):
                    lost.append(self._replace(w, self._death(w)))
                    continue
                w.task, w.answered = None, True
                self._startup_deaths = 0
                done.append((task, outcomes))
            elif not w.process.is_alive():
                lost.append(self._replace(w, self._death(w)))
            elif self._is_stuck(w):
                index, stage, started = w.heartbeat.read()
                why = (
                    f"it stayed {time.monotonic() - started:.0f} s in one stage and did not "
                    "answer its timer, so its worker process was stopped and replaced"
                )
                lost.append(self._replace(w, why))
        return done, lost

    def _is_stuck(self, w: _Process) -> bool:
        if not self._stuck_after:
            return False
        _, _, started = w.heartbeat.read()
        return bool(started) and time.monotonic() - started > self._stuck_after

    def _death(self, w: _Process) -> str:
        w.process.join(timeout=5)
        code = w.process.exitcode
        if code is not None and code < 0:
            return f"its worker process died (signal {-code})"
        return f"its worker process died (exit code {code})"

    def _replace(self, w: _Process, why: str) -> Lost:
        index, stage, started = w.heartbeat.read()
        seconds = time.monotonic() - started if started else 0.0
        task = w.task
        assert task is not None
        if w.process.is_alive():
            w.process.kill()
        w.process.join()
        w.conn.close()
        if not w.answered and not started:  # died before it began any work
            self._startup_deaths += 1
            if self._startup_deaths >= MAX_STARTUP_DEATHS:
                raise ConfigError(
                    f"{MAX_STARTUP_DEATHS} worker processes in a row died while starting "
                    f"({why}): check that the model loads (kg-builder ingest --jobs 1 -v)"
                )
        self._workers[self._workers.index(w)] = self._start()
        if stage == "idle":
            index = WHOLE_BATCH
        return Lost(task, index, stage, seconds, why)


def blame(lost: Lost, minter: IriMinter) -> tuple[Outcome | None, list[Task]]:
    """What to do with a lost task: the failed outcome of the article to blame, and the
    tasks to send again (in this order, before any new work).

    The article the heartbeat showed fails alone with the reason; the rest of its batch
    is sent again. A worker lost in a batch-wide stage (parse or validate of the whole
    batch) blames nobody yet: each article is sent again alone, so the next loss names
    the culprit. A worker that died before it began any work blames nobody either.
    """
    task = lost.task
    if lost.stage == "idle":  # the worker died before it began: nobody to blame
        return None, [task]
    culprit = lost.index
    if culprit == WHOLE_BATCH and len(task.items) == 1:
        culprit = task.items[0][0]
    rest = [(i, a) for i, a in task.items if i != culprit]
    if culprit == WHOLE_BATCH:  # a batch-wide stage: try each article alone to find the one
        return None, [Task(task.seq, [item], alone=True) for item in rest]
    article = dict(task.items)[culprit]
    reason = over_budget_reason(article, lost.stage, round(lost.seconds), f"; {lost.why}")
    if "died" in lost.why:
        reason = (
            f"article {article.id!r}: {lost.why} in stage '{lost.stage}'; the run "
            "went on without it. Please report this article."
        )
    graph = minter.article(article.id)
    failed = Outcome(culprit, article.id, article.origin, graph, None, 0, reason)
    return failed, [Task(task.seq, rest, alone=task.alone)] if rest else []
