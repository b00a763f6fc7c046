"""The batch: read → parse → extract → emit → validate → store, with a summary.

Bad input never stops the batch: each failure is counted and named (file and line),
every good article is stored. Configuration problems (model, ontology, shapes, base IRI,
store) fail at once, before any article is read.

Work per article (spaCy, extraction, emission) and the batch's SHACL validation run
in ``jobs`` worker processes; the parent only writes to the store, one load per batch
with Ctrl-C held back (see :func:`kg_builder.store.embedded.replace_graphs`), so every article is
either fully stored or absent. Memory stays flat: at most ``jobs * 2`` batches are in
flight. ``benchmarks/stages.py`` shows where the time goes.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from kg_builder.errors import ConfigError, InputError
from kg_builder.models import Article
from kg_builder.rdf import vocab
from kg_builder.rdf.emit import emit_triples
from kg_builder.rdf.iris import IriMinter
from kg_builder.rdf.ntriples import to_ntriples
from kg_builder.rdf.shapes import load_shapes
from kg_builder.rdf.validate import validate_batch
from kg_builder.read import ReadOptions, iter_articles
from kg_builder.store import PENDING_FILE, GraphWrite, open_store
from kg_builder.store.entities import write_articles


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """Every knob of a run, in one frozen object.

    Attributes:
        base: Base IRI of minted nodes.
        model: spaCy model name (None: the installed English model).
        batch_size: Articles per worker batch and per store transaction.
        jobs: Worker processes (1 = in this process).
        read: Input options (field names, size limit).
        shapes: A SHACL shapes file instead of the shipped one.
    """

    base: str = vocab.DEFAULT_BASE
    model: str | None = None
    batch_size: int = 32
    jobs: int = 1
    read: ReadOptions = field(default_factory=ReadOptions)
    shapes: str | None = None


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that was not stored, and why."""

    origin: str
    reason: str


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What a run did. ``failed`` holds unreadable inputs and non-conforming articles."""

    stored: int
    failed: tuple[Failure, ...]
    warnings: tuple[str, ...]
    triples: int
    seconds: float
    interrupted: bool = False

    @property
    def articles_per_second(self) -> float:
        return self.stored / self.seconds if self.seconds else 0.0


@dataclass(frozen=True, slots=True)
class _Outcome:
    article_id: str
    origin: str
    graph: str
    ntriples: str | None
    triples: int
    reason: str | None


#: Flush the store's in-memory write buffers to disk every this many batch transactions.
#: Without it the writer's RSS grew with the store (RocksDB memtables): measured 0.6 GB
#: after 1,600 articles and 2 GB after 9,600; flushing every 10 batches kept it at ~0.2 GB.
FLUSH_EVERY = 10

# ---- work done in each worker process

_WORKER: dict = {}


def _init_worker(options: IngestOptions) -> None:
    from kg_builder.nlp.model import load_nlp

    nlp = load_nlp(options.model)
    _WORKER["nlp"] = nlp
    _WORKER["model"] = f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"
    _WORKER["shapes"] = load_shapes(options.shapes)
    _WORKER["minter"] = IriMinter(options.base)
    _WORKER["options"] = options


def _emit(article: Article, doc) -> tuple | str:
    """The article's triples, or why there are none (a bug must not sink the batch)."""
    from kg_builder.extract import extract

    try:
        return emit_triples(
            extract(article, doc), base=_WORKER["options"].base, model=_WORKER["model"]
        )
    except Exception as exc:
        return f"extraction failed ({type(exc).__name__}: {exc}); please report"


def _process(articles: list[Article]) -> list[_Outcome]:
    """Parse, extract and emit each article, validate the batch, serialise what conforms."""
    nlp, minter = _WORKER["nlp"], _WORKER["minter"]
    docs = nlp.pipe((a.text for a in articles), batch_size=len(articles) or 1)
    emitted = [_emit(a, doc) for a, doc in zip(articles, docs, strict=True)]
    reports = iter(
        validate_batch([t for t in emitted if not isinstance(t, str)], _WORKER["shapes"])
    )
    outcomes = []
    for article, triples in zip(articles, emitted, strict=True):
        iri = minter.article(article.id)
        if isinstance(triples, str):
            outcomes.append(_Outcome(article.id, article.origin, iri, None, 0, triples))
            continue
        report = next(reports)
        if report.conforms:
            outcome = _Outcome(
                article.id, article.origin, iri, to_ntriples(triples), len(triples), None
            )
        else:
            reason = "graph does not conform to the SHACL shapes, not stored:\n"
            outcome = _Outcome(article.id, article.origin, iri, None, 0, reason + report.summary())
        outcomes.append(outcome)
    return outcomes


# ---- the run


def _batches(
    items: Iterable[Article | InputError], size: int, on_error: Callable[[InputError], None]
) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        if isinstance(item, InputError):
            on_error(item)
            continue
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def check_options(options: IngestOptions) -> None:
    """Fail at once on a bad option, model, ontology or shapes file.

    Raises:
        ConfigError: with what is wrong and how to fix it.
    """
    if options.batch_size < 1:
        raise ConfigError(f"--batch-size must be at least 1, not {options.batch_size}")
    if options.jobs < 1:
        raise ConfigError(f"--jobs must be at least 1, not {options.jobs}")
    try:
        IriMinter(options.base)
    except ValueError as exc:
        raise ConfigError(f"--base: {exc}") from exc
    load_shapes(options.shapes)
    from kg_builder.nlp.model import load_nlp

    load_nlp(options.model)


def ingest(
    sources: Sequence[str | Path],
    store_path: str | Path,
    options: IngestOptions | None = None,
    *,
    stdin: BinaryIO | None = None,
    progress: Callable[[int, int], None] | None = None,
    on_problem: Callable[[Failure | str], None] | None = None,
) -> IngestReport:
    """Read, extract, validate and store every article of ``sources``.

    Args:
        sources: Files, folders, globs, or "-" for JSON Lines on ``stdin``.
        store_path: The embedded store (created if missing).
        options: Run options.
        stdin: Stream for "-" (default: the process's stdin).
        progress: Called with (stored, failed) after each batch.
        on_problem: Called with each failure (a :class:`Failure`) and each warning (a
            string) as it happens; the report lists them all again at the end.

    Returns:
        The run's report; it never raises for bad input.

    Raises:
        ConfigError: bad options, model, ontology or shapes (before any work).
        StoreError: the store cannot be opened or written.
    """
    options = options or IngestOptions()
    check_options(options)
    started = time.perf_counter()
    store = open_store(store_path)
    failed: list[Failure] = []
    warnings: list[str] = []
    seen_ids: dict[str, str] = {}
    seen_texts: dict[bytes, str] = {}
    stored = triples = transactions = 0

    def fail(failure: Failure) -> None:
        failed.append(failure)
        if on_problem:
            on_problem(failure)

    def warn(warning: str) -> None:
        warnings.append(warning)
        if on_problem:
            on_problem(warning)

    def on_error(err: InputError) -> None:
        fail(Failure(err.origin, err.reason))

    def note_duplicates(article: Article) -> None:
        if article.id in seen_ids:
            warn(
                f"{article.origin}: article id {article.id!r} also at "
                f"{seen_ids[article.id]}; the later one wins"
            )
        seen_ids[article.id] = article.origin
        digest = hashlib.blake2b(article.text.encode("utf-8", "replace"), digest_size=16).digest()
        other = seen_texts.setdefault(digest, article.id)
        if other != article.id:
            warn(f"{article.origin}: article {article.id!r} has the same text as {other!r}")

    def write(outcomes: list[_Outcome]) -> None:
        nonlocal stored, triples
        writes = []
        for o in outcomes:
            if o.ntriples is None:
                fail(Failure(o.origin or o.article_id, o.reason or "failed"))
            else:
                writes.append(GraphWrite(o.graph, o.ntriples))
                triples += o.triples
        stored += write_articles(
            store, writes, journal=Path(store_path) / PENDING_FILE, base=options.base
        )
        nonlocal transactions
        transactions += 1
        if transactions % FLUSH_EVERY == 0:
            store.flush()  # keeps the writer's memory flat, see FLUSH_EVERY
        if progress:
            progress(stored, len(failed))

    def tracked() -> Iterator[list[Article]]:
        for batch in _batches(
            iter_articles(sources, options.read, stdin=stdin), options.batch_size, on_error
        ):
            for article in batch:
                note_duplicates(article)
            yield batch

    interrupted = False
    try:
        if options.jobs == 1:
            _init_worker(options)
            for batch in tracked():
                write(_process(batch))
        else:
            _run_parallel(tracked(), options, write)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        store.flush()
    if stored == 0 and not failed and not interrupted:
        failed.append(Failure(", ".join(map(str, sources)) or "(no input)", "no articles found"))
    return IngestReport(
        stored, tuple(failed), tuple(warnings), triples, time.perf_counter() - started, interrupted
    )


def _run_parallel(
    batches: Iterator[list[Article]],
    options: IngestOptions,
    write: Callable[[list[_Outcome]], None],
) -> None:
    """Process batches in worker processes, in input order, with bounded look-ahead."""
    ctx = mp.get_context("fork")
    pool = ctx.Pool(options.jobs, initializer=_init_worker, initargs=(options,))
    pending: deque = deque()
    try:
        for batch in batches:
            pending.append(pool.apply_async(_process, (batch,)))
            while len(pending) >= options.jobs * 2:
                write(pending.popleft().get())
        while pending:
            write(pending.popleft().get())
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
