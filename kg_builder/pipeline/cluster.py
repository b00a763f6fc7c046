"""The run on a Dask cluster: partitions processed on the workers, results stored or sharded.

:func:`ingest_cluster` is :func:`~kg_builder.pipeline.ingest` with
`dask.distributed <https://distributed.dask.org>`_ as the executor:

1. The client checks the options (failing at once, as a local run does), cuts the input
   into partitions (:mod:`~kg_builder.pipeline.partitions`) and connects to the cluster: a
   scheduler address (``tcp://scheduler:8786``) or ``local[:N]``, a ``LocalCluster`` of N
   worker processes with one thread each.
2. A worker plugin (:class:`SupervisedWorkers`) gives every Dask worker one supervised
   worker process per thread (a :class:`~kg_builder.pipeline.pool.WorkerPool` of one,
   started with ``spawn``), which loads the language model once and serves every partition
   the Dask worker runs. The per-article time budget (a ``SIGALRM`` timer, which needs the
   main thread of a process: Dask runs tasks in threads), the heartbeat, and the replacement
   of a crashed or stuck process therefore work as in a local run: a bad article fails
   alone, with its reason, and the rest of its partition is kept.
3. One Dask task per partition (:func:`run_partition`); at most ``2 × threads`` in flight.
   A Dask worker that dies takes only its partitions with it: the scheduler runs them again
   elsewhere (up to ``distributed.scheduler.allowed-failures`` times); a partition that
   still fails is reported article by article (the client reads its input to name them).
4. Results, in input order:

   * **the embedded store** (``store=``): the partitions' article graphs come back to the
     client, which writes them batch by batch exactly as a local run does (the same
     :class:`~kg_builder.pipeline.run.IngestRun` write path), so the later of two articles
     with the same id wins;
   * **shards** (``shards=``): each task writes its partition's validated, sorted N-Quads
     and record to the shard directory (:mod:`kg_builder.store.shards`); at the end the
     client drops from earlier shards any graph a later partition replaced (same id),
     derives the entity and ontology graphs from the shards (as ``kg-builder load`` does:
     :func:`~kg_builder.store.shards.write_derived`) and writes the manifest. A rerun
     skips every partition whose shard is finished and intact.

The report is the local run's :class:`~kg_builder.pipeline.IngestReport` (stored, failures
with reasons, warnings, triples, time), plus the partitions run and skipped and the Dask
dashboard's address when the scheduler serves one.

Workers must see the input files and the shard directory at the same paths as the client
(a shared or network file system), and have kg-builder and the model installed. Dask
worker processes are daemonic by default and may then not start processes of their own:
start them with ``DASK_DISTRIBUTED__WORKER__DAEMON=False`` (a ``local`` cluster is set up so).

Why one module of over 500 lines: it is one run (ClusterRun): planning the partitions'
tasks, driving them on Dask and accounting for what comes back share the run's state, as
pipeline/run.py does locally.
"""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing as mp
import queue
import re
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg_builder.errors import ConfigError, InputError
from kg_builder.models import Article
from kg_builder.pipeline.options import IngestOptions, check_options
from kg_builder.pipeline.partitions import (
    DEFAULT_PARTITION_SIZE,
    Partition,
    PartitionWork,
    Plan,
    plan_partitions,
    process_partition,
    read_partition,
)
from kg_builder.pipeline.pool import WorkerPool
from kg_builder.pipeline.report import Failure, IngestReport
from kg_builder.pipeline.run import IngestRun, ProblemFn, ProgressFn, text_digest
from kg_builder.pipeline.worker import Outcome
from kg_builder.store.shards import (
    FAILED,
    MANIFEST,
    REPLACED,
    STORED,
    Shard,
    ShardArticle,
    check_shard,
    drop_graphs,
    finished_derived,
    read_record,
    shard_name,
    write_derived,
    write_manifest,
    write_shard,
)

log = logging.getLogger(__name__)

#: Seconds to wait for a remote scheduler to answer.
CONNECT_TIMEOUT = 20
#: Seconds between two looks at the tasks in flight (Ctrl-C is seen this often).
POLL_SECONDS = 1.0
_LOCAL = re.compile(r"^local(?::(\d+))?$")
_ADDRESS = re.compile(r"^([a-z][a-z0-9+.-]*://.+|[\w.-]+:\d+)$")
_DAEMON_HELP = (
    "Dask worker processes are daemonic and may not start kg-builder's supervised worker "
    "process: start the workers with the environment variable "
    "DASK_DISTRIBUTED__WORKER__DAEMON=False (or distributed.worker.daemon: false in the "
    "Dask configuration)"
)


@dataclass(frozen=True, slots=True)
class ClusterInfo:
    """The cluster a run uses, as it starts.

    Attributes:
        scheduler: The scheduler's address.
        workers: Dask workers.
        threads: Their threads in all (one supervised worker process each).
        dashboard: The Dask dashboard's address, when the scheduler serves one.
        partitions: Partitions of the input.
        skipped: Partitions whose shard was already finished (not run again).
    """

    scheduler: str
    workers: int
    threads: int
    dashboard: str | None
    partitions: int
    skipped: int


@dataclass(frozen=True, slots=True)
class ClusterReport:
    """What a cluster run did: the local run's report, and the cluster's part.

    Attributes:
        report: Counts, failures with reasons, warnings, triples, time.
        cluster: The cluster used.
        partitions_run: Partitions processed by this run.
        partitions_lost: Partitions that could not be processed (their articles are in
            ``report.failed``).
        shards: The shard directory, when the run wrote shards.
        complete: Every partition is done (with shards: the manifest was written).
    """

    report: IngestReport
    cluster: ClusterInfo | None
    partitions_run: int
    partitions_lost: int
    shards: Path | None
    complete: bool


# --------------------------------------------------------------------------- on the workers


def _worker_base() -> type:
    """Dask's WorkerPlugin class (imported only when dask is installed)."""
    try:
        from distributed import WorkerPlugin
    except ImportError:  # the class below must still be definable without dask
        return object
    return WorkerPlugin  # type: ignore[no-any-return]


class SupervisedWorkers(_worker_base()):  # type: ignore[misc]
    """A Dask worker plugin: one supervised worker process per Dask worker thread.

    Set up on every Dask worker (and again on a worker that replaces a dead one); each
    process loads the model once and serves every partition given to its thread.

    Args:
        options: The run's options.
    """

    def __init__(self, options: IngestOptions) -> None:
        self.options = options
        self.pools: queue.SimpleQueue[WorkerPool] | None = None

    def setup(self, worker: Any) -> None:
        """Start the supervised processes (they load the model in the background)."""
        if mp.current_process().daemon:
            raise RuntimeError(_DAEMON_HELP)
        threads = getattr(getattr(worker, "state", None), "nthreads", None) or 1
        self.pools = queue.SimpleQueue()
        for _ in range(threads):
            self.pools.put(WorkerPool(self.options, 1, start_method="spawn"))

    def teardown(self, worker: Any) -> None:
        """Stop the supervised processes (idle by now: no need to wait for them)."""
        while self.pools is not None and not self.pools.empty():
            self.pools.get().terminate()


@dataclass(frozen=True, slots=True)
class PartitionResult:
    """What a task sends back.

    Attributes:
        record: What was read and what became of it (with ``shards``: the record written
            beside the shard; otherwise no file, ``sha256`` empty).
        input_errors: ``(origin, reason)`` of inputs that could not be read.
        outcomes: Every article's outcome in input order (only without ``shards``: the
            client writes them to the store).
    """

    record: Shard
    input_errors: tuple[tuple[str, str], ...]
    outcomes: tuple[Outcome, ...] = ()


def run_partition(
    partition: Partition, options: IngestOptions, plugin: str, shards: str | None
) -> PartitionResult:
    """The Dask task: process one partition with this thread's supervised process.

    Args:
        partition: What to read.
        options: The run's options.
        plugin: Name under which :class:`SupervisedWorkers` is registered.
        shards: The shard directory to write to, or None to send the graphs back.
    """
    from distributed import get_worker

    plugins: dict[str, Any] = get_worker().plugins
    supervised = plugins[plugin]
    assert isinstance(supervised, SupervisedWorkers) and supervised.pools is not None
    pool = supervised.pools.get()
    try:
        work = process_partition(partition, options, pool)
    finally:
        supervised.pools.put(pool)
    return _result(partition, work, shards)


def _result(partition: Partition, work: PartitionWork, shards: str | None) -> PartitionResult:
    last = {o.graph: o.index for o in work.outcomes if o.ntriples is not None}
    articles = []
    for article, o in zip(work.articles, work.outcomes, strict=True):
        status = FAILED if o.ntriples is None else STORED if last[o.graph] == o.index else REPLACED
        digest = text_digest(article.text).hex()
        articles.append(ShardArticle(article.id, o.origin, o.graph, o.triples, status, digest))
    failed = [
        *work.input_errors,
        *(
            (o.origin or o.article_id, o.reason or "failed")
            for o in work.outcomes
            if o.ntriples is None
        ),
    ]
    name = shard_name(partition.index)
    if shards is not None:
        graphs = ((o.graph, o.ntriples) for o in work.outcomes if o.ntriples is not None)
        record = write_shard(
            shards, name, partition.key, partition.source, graphs, articles, failed, work.seconds
        )
        return PartitionResult(record, tuple(work.input_errors))
    quads = sum(o.triples for o in work.outcomes if o.ntriples is not None)
    record = Shard(
        name, partition.key, partition.source, "", 0, quads, tuple(articles), tuple(failed)
    )
    return PartitionResult(record, tuple(work.input_errors), tuple(work.outcomes))


# --------------------------------------------------------------------------- the client


class ClusterRun(IngestRun):
    """One ingest on a Dask cluster; the counting, warnings and store writes of a local run.

    Use :func:`ingest_cluster`. ``store_path`` is the embedded store, or None when the run
    writes ``shards``.
    """

    def __init__(
        self,
        sources: Sequence[str | Path],
        options: IngestOptions,
        *,
        store_path: str | Path | None,
        shards: str | Path | None,
        partition_size: int,
        progress: ProgressFn | None = None,
        on_problem: ProblemFn | None = None,
        on_start: Callable[[ClusterInfo], None] | None = None,
    ) -> None:
        target = store_path if store_path is not None else shards
        assert target is not None
        super().__init__(sources, target, options, progress=progress, on_problem=on_problem)
        self.shards = Path(shards).absolute() if shards is not None else None
        self.partition_size = partition_size
        self.on_start = on_start
        self.records: dict[int, Shard] = {}  # finished partitions, by index
        self.partitions_run = self.partitions_lost = 0

    def execute_on(
        self, client: Any | None, plan: Plan, skipped: dict[int, Shard]
    ) -> ClusterReport:
        """Run ``plan`` on ``client``'s cluster and report.

        ``skipped`` are the partitions whose shards are finished; when that is all of them
        there is nothing to run and ``client`` may be None.
        """
        started = time.perf_counter()
        if self.shards is None:
            self._open_store()
        info = _cluster_info(client, plan, len(skipped)) if client is not None else None
        if info is not None and self.on_start:
            self.on_start(info)
        for error in plan.errors:
            self._fail(Failure(error.origin, error.reason))
        interrupted = False
        try:
            if client is None:
                self._account_ready(plan, skipped, {}, 0)
            else:
                self._run_tasks(client, plan, skipped, max(2, 2 * info.threads if info else 2))
        except KeyboardInterrupt:
            interrupted = True
        finally:
            if self.shards is None:
                self._close_store()
        complete = not interrupted and len(self.records) == len(plan.partitions)
        if complete and self.shards is not None:
            self._finish_shards(plan)
        if self.stored == 0 and not self.failed and not interrupted:
            where = ", ".join(map(str, self.sources)) or "(no input)"
            self.failed.append(Failure(where, "no articles found"))
        report = IngestReport(
            self.stored,
            tuple(self.failed),
            tuple(self.warnings),
            self.triples,
            time.perf_counter() - started,
            interrupted,
        )
        return ClusterReport(
            report, info, self.partitions_run, self.partitions_lost, self.shards, complete
        )

    def _run_tasks(self, client: Any, plan: Plan, skipped: dict[int, Shard], window: int) -> None:
        """The partitions to run, with the supervised workers registered on the cluster."""
        # One name per run: two runs sharing a cluster never share (or tear down) processes.
        plugin = f"kg-builder-{uuid.uuid4().hex[:16]}"
        try:
            client.register_plugin(SupervisedWorkers(self.options), name=plugin)
        except RuntimeError as exc:
            raise ConfigError(f"the Dask workers cannot start kg-builder's workers: {exc}") from exc
        try:
            self._drive_tasks(client, plan, skipped, plugin, window)
        finally:
            with contextlib.suppress(Exception):
                client.unregister_worker_plugin(plugin)

    # ------------------------------------------------------------------ the tasks

    def _drive_tasks(
        self, client: Any, plan: Plan, skipped: dict[int, Shard], plugin: str, window: int
    ) -> None:
        """Submit the partitions (at most ``window`` in flight), account for them in order."""
        from distributed import wait

        todo = iter(p for p in plan.partitions if p.index not in skipped)
        running: dict[Any, Partition] = {}
        ready: dict[int, PartitionResult | BaseException] = {}
        shards = str(self.shards) if self.shards is not None else None
        next_index = 0
        while True:
            while len(running) + len(ready) < 2 * window and len(running) < window:
                partition = next(todo, None)
                if partition is None:
                    break
                future = client.submit(
                    run_partition,
                    partition,
                    self.options,
                    plugin,
                    shards,
                    key=f"{plugin}-partition-{partition.index}",
                    pure=False,
                )
                running[future] = partition
            next_index = self._account_ready(plan, skipped, ready, next_index)
            if not running:
                return
            with contextlib.suppress(TimeoutError):
                wait(list(running), timeout=POLL_SECONDS, return_when="FIRST_COMPLETED")
            for future in [f for f in running if f.done()]:
                partition = running.pop(future)
                ready[partition.index] = _outcome_of(future)

    def _account_ready(
        self,
        plan: Plan,
        skipped: dict[int, Shard],
        ready: dict[int, PartitionResult | BaseException],
        index: int,
    ) -> int:
        """Account for every finished partition that is next in input order."""
        while index < len(plan.partitions):
            if index in skipped:
                self._account(index, skipped[index], (), ())
            elif index in ready:
                result = ready.pop(index)
                if isinstance(result, BaseException):
                    self._lost(plan.partitions[index], result)
                else:
                    self.partitions_run += 1
                    self._account(index, result.record, result.input_errors, result.outcomes)
            else:
                break
            index += 1
        return index

    def _account(
        self,
        index: int,
        record: Shard,
        input_errors: Sequence[tuple[str, str]],
        outcomes: Sequence[Outcome],
    ) -> None:
        """Warnings, failures, counts (and store writes) of a finished partition."""
        for a in record.articles:
            self._note_ids(a.id, a.origin, bytes.fromhex(a.digest))
        if outcomes:  # the store: written batch by batch as a local run writes
            for origin, reason in input_errors:
                self._fail(Failure(origin, reason))
            step = self.options.batch_size
            for i in range(0, len(outcomes), step):
                self._next_write += 1  # numbers the batches in the log, as a local run does
                self._accept(list(outcomes[i : i + step]))
            self._write()  # one load per partition
        else:
            for origin, reason in record.failed:
                self._fail(Failure(origin, reason))
            ok = [a for a in record.articles if a.status != FAILED]
            self.stored += len(ok)
            self.triples += sum(a.triples for a in ok)
            if self.progress:
                self.progress(self.stored, len(self.failed))
        self.records[index] = record

    def _lost(self, partition: Partition, exc: BaseException) -> None:
        """A partition that could not be processed: name each of its articles."""
        self.partitions_lost += 1
        why = (
            f"not processed: its partition ({partition.source}) was lost "
            f"({type(exc).__name__}: {exc}); run the same ingest again to retry it"
        )
        log.warning("partition %s lost: %s", partition.source, exc)
        for item in _read_quietly(partition, self.options):
            if isinstance(item, InputError):
                self._fail(Failure(item.origin, item.reason))
            else:
                self._fail(Failure(item.origin, f"article {item.id!r} {why}"))

    # ------------------------------------------------------------------ shards

    def _finish_shards(self, plan: Plan) -> None:
        """Drop graphs replaced by a later partition from earlier shards; write the manifest."""
        assert self.shards is not None
        owner: dict[str, int] = {}
        for index in sorted(self.records):
            for graph in self.records[index].graphs:
                owner[graph] = index
        for index in sorted(self.records):
            record = self.records[index]
            replaced = {g for g in record.graphs if owner[g] != index}
            if replaced:
                self.records[index] = drop_graphs(self.shards, record, replaced)
        shards = [self.records[p.index] for p in plan.partitions]
        # The graphs a local ingest derives from all the articles together (entity and
        # ontology graphs): computed here, on the client, as `kg-builder load` does.
        derived = finished_derived(self.shards) if self.partitions_run == 0 else None
        if derived is None:
            derived = write_derived(self.shards, shards, self.options.base)
        write_manifest(self.shards, plan.key, shards, base=self.options.base, derived=derived)


def _outcome_of(future: Any) -> PartitionResult | BaseException:
    if future.status == "finished":
        result = future.result()
        assert isinstance(result, PartitionResult)
        return result
    exc = future.exception()
    return exc if isinstance(exc, BaseException) else RuntimeError(str(exc))


def _read_quietly(partition: Partition, options: IngestOptions) -> Iterator[Article | InputError]:
    try:
        yield from read_partition(partition, options)
    except Exception as exc:  # noqa: BLE001 - the report must name the partition at least
        yield InputError(partition.source, f"cannot be read again to list its articles: {exc}")


def _cluster_info(client: Any, plan: Plan, skipped: int) -> ClusterInfo:
    info = client.scheduler_info()
    workers = info.get("workers", {})
    threads = sum(int(w.get("nthreads", 1)) for w in workers.values()) or 1
    dashboard = client.dashboard_link if "dashboard" in info.get("services", {}) else None
    return ClusterInfo(
        str(info.get("address", "")),
        len(workers),
        threads,
        dashboard,
        len(plan.partitions),
        skipped,
    )


# --------------------------------------------------------------------------- connecting


@contextlib.contextmanager
def connect(cluster: str, jobs: int) -> Iterator[Any]:
    """A Dask client: of a new ``LocalCluster`` (``local`` or ``local:N``), or of the
    scheduler at an address (``tcp://host:8786``); closed (and the local cluster stopped)
    at the end.

    Raises:
        ConfigError: dask is not installed, the spec is not understood, or the scheduler
            does not answer.
    """
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise ConfigError(
            "--cluster needs Dask: pip install 'kg-builder[cluster]' (dask and distributed)"
        ) from None
    local = _LOCAL.match(cluster)
    if local:
        workers = int(local.group(1)) if local.group(1) else jobs
        if workers < 1:
            raise ConfigError(f"--cluster local:N needs N of at least 1, not {workers}")
        # Our workers start a process of their own, which a daemonic process may not.
        with dask.config.set({"distributed.worker.daemon": False}):
            local_cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",
                silence_logs=logging.ERROR,
            )
        try:
            with Client(local_cluster) as client:
                yield client
        finally:
            local_cluster.close()
        return
    if not _ADDRESS.match(cluster):
        raise ConfigError(
            f"--cluster must be local, local:N or a Dask scheduler address "
            f"(tcp://host:8786), not {cluster!r}"
        )
    try:
        client = Client(cluster, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise ConfigError(
            f"cannot reach the Dask scheduler at {cluster} ({exc}): is it running, and is "
            "the address right?"
        ) from exc
    try:
        yield client
    finally:
        client.close()


def finished_shards(directory: Path, plan: Plan) -> dict[int, Shard]:
    """The partitions of ``plan`` whose shard in ``directory`` is finished and intact.

    Raises:
        ConfigError: ``directory`` holds the shards of another input or other options.
    """
    manifest = directory / MANIFEST
    if manifest.exists():
        try:
            other = json.loads(manifest.read_text(encoding="utf-8")).get("plan")
        except (OSError, ValueError, AttributeError):
            other = None
        if other != plan.key:
            raise ConfigError(
                f"{directory} holds the shards of another input or of other options: "
                "write to a new --shards folder (or delete this one)"
            )
    done = {}
    for p in plan.partitions:
        record = read_record(directory, shard_name(p.index))
        if record is not None and record.key == p.key and not check_shard(directory, record):
            done[p.index] = record
    return done


def ingest_cluster(
    sources: Sequence[str | Path],
    options: IngestOptions | None = None,
    *,
    cluster: str = "local",
    store: str | Path | None = None,
    shards: str | Path | None = None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    progress: ProgressFn | None = None,
    on_problem: ProblemFn | None = None,
    on_start: Callable[[ClusterInfo], None] | None = None,
) -> ClusterReport:
    """Read, extract, validate and store every article of ``sources`` on a Dask cluster.

    Args:
        sources: Files, folders or globs that every worker can read at the same path.
        options: Run options (``jobs`` is the size of a ``local`` cluster).
        cluster: ``local``, ``local:N`` (a LocalCluster of N processes) or the address
            of a running Dask scheduler.
        store: The embedded store to write (by the client, in input order); or
        shards: The shard directory the workers write (see :mod:`kg_builder.store.shards`).
        partition_size: Articles (JSON lines or files) per partition.
        progress: Called with (stored, failed) after each partition is accounted for.
        on_problem: Called with each failure and warning as it happens.
        on_start: Called with the :class:`ClusterInfo` once the cluster is up.

    Returns:
        The run's :class:`ClusterReport`; it never raises for bad input.

    Raises:
        ConfigError: bad options, model, shapes, cluster address, or a shard directory of
            another input (before any work).
        StoreError: the store cannot be opened or written.

    Example:
        >>> r = ingest_cluster(["a.jsonl"], cluster="local:2", shards="out/sh")  # doctest: +SKIP
        >>> r.report.stored, r.complete  # doctest: +SKIP
        (1000, True)
    """
    options = options or IngestOptions()
    if (store is None) == (shards is None):
        raise ConfigError("give exactly one of a store (--store) or a shard folder (--shards)")
    check_options(options)
    plan = plan_partitions(sources, options, partition_size)
    skipped = finished_shards(Path(shards), plan) if shards is not None else {}
    run = ClusterRun(
        sources,
        options,
        store_path=store,
        shards=shards,
        partition_size=partition_size,
        progress=progress,
        on_problem=on_problem,
        on_start=on_start,
    )
    if len(skipped) == len(plan.partitions):  # every shard is finished, or no input: no work
        return run.execute_on(None, plan, skipped)
    with connect(cluster, options.jobs) as client:
        return run.execute_on(client, plan, skipped)


__all__ = [
    "ClusterInfo",
    "ClusterReport",
    "ClusterRun",
    "PartitionResult",
    "SupervisedWorkers",
    "connect",
    "finished_shards",
    "ingest_cluster",
    "run_partition",
]
