"""Input partitions for a cluster run, and the work on one partition in one place.

A **partition** is a slice of the input that one Dask task reads and processes: a range of
lines of one JSON Lines file, or a run of consecutive ``.txt``/``.html`` files, at most
``size`` articles (lines or files) each, in input order. :func:`plan_partitions` cuts the
input in the client: it lists the files as :func:`~kg_builder.read.iter_articles` would and
counts the lines of each JSON Lines file (recording the byte offset of each range in an
uncompressed file, so a worker seeks there; a ``.jsonl.gz`` is decompressed from its start
and the lines before the range are skipped undecoded). A file that cannot be counted
(unreadable, truncated gzip, UTF-16) is one partition, read whole: its reader then reports
the problem with the file's name, as a local run does.

Each partition has a **key**: a digest of what it reads (absolute path, size and
modification time of each file, the line range) and of the options that change the output.
A shard whose record carries the same key is finished work.

:func:`process_partition` is what a Dask task does with a partition: read it, and send its
articles in batches to a supervised worker process (:class:`~kg_builder.pipeline.pool.WorkerPool`
with one process, so the per-article time budget, the heartbeat and the replacement of a
crashed or stuck process work exactly as in a local run), blaming a lost article as the
local run does (:func:`~kg_builder.pipeline.pool.blame`).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import time
import zlib
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg_builder import __version__
from kg_builder.errors import ConfigError, InputError
from kg_builder.models import Article
from kg_builder.pipeline.options import IngestOptions
from kg_builder.pipeline.pool import Task, WorkerPool, blame
from kg_builder.pipeline.worker import Outcome
from kg_builder.rdf.iris import IriMinter
from kg_builder.read import STDIN, LineRange, is_jsonl, iter_input_files, read_file

#: Articles (JSON lines or files) per partition by default.
DEFAULT_PARTITION_SIZE = 100
#: Seconds between two looks at the supervised process while a batch runs.
POLL_SECONDS = 0.5
_CHUNK = 1 << 20
#: UTF-16/32 byte-order marks: such a file is read whole (its lines are not "\n"-split bytes).
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True, slots=True)
class Partition:
    """A slice of the input for one task.

    Attributes:
        index: Place in the input order (0-based); names the shard.
        files: One JSON Lines file, or consecutive ``.txt``/``.html`` files.
        lines: The line range of a JSON Lines file (None: whole files).
        key: Digest of what is read and of the options that change the output.
    """

    index: int
    files: tuple[str, ...]
    lines: LineRange | None
    key: str

    @property
    def source(self) -> str:
        """What the partition reads, for a person: ``news.jsonl:1-500``, ``a.txt … c.txt``."""
        if self.lines is not None:
            last = "end" if self.lines.last is None else str(self.lines.last)
            return f"{self.files[0]}:{self.lines.first}-{last}"
        if len(self.files) == 1:
            return self.files[0]
        return f"{self.files[0]} … {self.files[-1]} ({len(self.files)} files)"


@dataclass(frozen=True, slots=True)
class Plan:
    """The input cut into partitions.

    Attributes:
        partitions: In input order.
        errors: Sources that name no file (each an :class:`InputError`), in order.
        key: Digest of all partition keys: the identity of a shard directory's content.
    """

    partitions: tuple[Partition, ...]
    errors: tuple[InputError, ...]
    key: str


def options_fingerprint(options: IngestOptions) -> str:
    """The options that change what a run writes, as a stable string (for keys)."""
    shapes = ""
    if options.shapes:
        try:
            shapes = hashlib.sha256(Path(options.shapes).read_bytes()).hexdigest()
        except OSError:
            shapes = options.shapes
    return json.dumps(
        {
            "version": __version__,
            "base": options.base,
            "model": options.model,
            "shapes": shapes,
            "timeout": options.article_timeout,
            "extractor": options.extractor,
            "read": repr(options.read),
        },
        sort_keys=True,
    )


def plan_partitions(sources: Sequence[str | Path], options: IngestOptions, size: int) -> Plan:
    """Cut ``sources`` into partitions of at most ``size`` articles, in input order.

    Raises:
        ConfigError: ``size`` below 1, or ``-`` (stdin) among the sources: workers read
            files themselves, so the input must be files they can see.
    """
    if size < 1:
        raise ConfigError(f"--partition-size must be at least 1, not {size}")
    fingerprint = options_fingerprint(options)
    cuts: list[tuple[tuple[str, ...], LineRange | None]] = []
    errors: list[InputError] = []
    loose: list[str] = []  # consecutive .txt/.html files not yet in a partition
    for item in iter_input_files(sources):
        if isinstance(item, InputError):
            errors.append(item)
            continue
        if item == STDIN:
            raise ConfigError(
                "--cluster cannot read standard input (-): the workers read the input files "
                "themselves; write the input to a file the workers can see"
            )
        path = str(Path(item).absolute())
        if not is_jsonl(path):
            loose.append(path)
            if len(loose) == size:
                cuts.append((tuple(loose), None))
                loose = []
            continue
        if loose:
            cuts.append((tuple(loose), None))
            loose = []
        cuts.extend(((path,), r) for r in line_ranges(Path(path), size))
    if loose:
        cuts.append((tuple(loose), None))
    partitions = tuple(
        Partition(i, files, lines, _key(files, lines, fingerprint))
        for i, (files, lines) in enumerate(cuts)
    )
    plan_key = hashlib.sha256("".join(p.key for p in partitions).encode()).hexdigest()
    return Plan(partitions, tuple(errors), plan_key)


def line_ranges(path: Path, size: int) -> list[LineRange | None]:
    """Ranges of ``size`` lines of a JSON Lines file; ``[None]`` to read it whole.

    The last range is open-ended, so the one task that reads to the end of the file reports
    what is wrong there. Lines are counted as the reader numbers them (every ``\\n``).
    """
    compressed = path.name.lower().endswith(".gz")
    starts: list[tuple[int, int]] = [(1, 0)]  # (first line, byte offset) of each range
    try:
        with gzip.open(path, "rb") if compressed else path.open("rb") as f:
            head = f.read(4)
            if head.startswith(_WIDE_BOMS):
                return [None]
            f.seek(0)
            lines = offset = 0
            while chunk := f.read(_CHUNK):
                cursor = 0
                while (nl := chunk.find(b"\n", cursor)) >= 0:
                    lines += 1
                    cursor = nl + 1
                    if lines % size == 0:
                        starts.append((lines + 1, offset + cursor))
                offset += len(chunk)
    except (OSError, EOFError, zlib.error):
        return [None]  # the reader says what is wrong, naming the file
    if len(starts) > 1 and starts[-1][1] >= offset:  # no empty range after the last line
        starts.pop()
    if len(starts) == 1:
        return [None]
    ranges: list[LineRange | None] = []
    for n, (first, at) in enumerate(starts):
        last = starts[n + 1][0] - 1 if n + 1 < len(starts) else None
        ranges.append(LineRange(first, last, 0 if compressed else at))
    return ranges


def _key(files: tuple[str, ...], lines: LineRange | None, fingerprint: str) -> str:
    identity = []
    for name in files:
        try:
            st = os.stat(name)
            identity.append([name, st.st_size, st.st_mtime_ns])
        except OSError:
            identity.append([name, None, None])
    where = None if lines is None else [lines.first, lines.last]
    data = json.dumps([identity, where, fingerprint]).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def read_partition(partition: Partition, options: IngestOptions) -> Iterator[Article | InputError]:
    """Every article (or input error) of a partition, in input order."""
    for name in partition.files:
        yield from read_file(Path(name), options.read, partition.lines)


# --------------------------------------------------------------------------- the work


@dataclass(slots=True)
class PartitionWork:
    """What became of a partition's input, in input order.

    Attributes:
        articles: Every article read.
        input_errors: ``(origin, reason)`` of the inputs that could not be read.
        outcomes: One per article, same order as ``articles``.
        seconds: Wall-clock time.
    """

    articles: list[Article] = field(default_factory=list)
    input_errors: list[tuple[str, str]] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0


def process_partition(
    partition: Partition, options: IngestOptions, pool: WorkerPool
) -> PartitionWork:
    """Read ``partition`` and turn its articles into outcomes with ``pool``'s process.

    ``pool`` has one supervised process; it is left running for the next partition. An
    article that crashes, hangs or runs over its budget fails alone (:func:`blame`), the
    rest of its batch is sent again.
    """
    started = time.perf_counter()
    work = PartitionWork()
    for item in read_partition(partition, options):
        if isinstance(item, InputError):
            work.input_errors.append((item.origin, item.reason))
        else:
            work.articles.append(item)
    minter = IriMinter(options.base)
    outcomes: dict[int, Outcome] = {}
    items = list(enumerate(work.articles))
    step = options.batch_size
    todo = deque(Task(seq, items[i : i + step]) for seq, i in enumerate(range(0, len(items), step)))
    while todo or pool.busy():
        while todo and pool.idle():
            pool.submit(todo.popleft())
        done, lost = pool.collect(POLL_SECONDS)
        for _task, got in done:
            outcomes.update((o.index, o) for o in got)
        for one in lost:
            failed, retry = blame(one, minter)
            if failed is not None:
                outcomes[failed.index] = failed
            todo.extendleft(reversed(retry))
    work.outcomes = [outcomes[i] for i in range(len(work.articles))]
    work.seconds = time.perf_counter() - started
    return work
