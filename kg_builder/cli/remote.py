"""The commands that talk over HTTP: ``push`` (to a triplestore) and ``serve`` (the store)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer
from rich.markup import escape

from kg_builder.cli.common import (
    Exit,
    PasswordOpt,
    StoreOpt,
    TokenOpt,
    UserOpt,
    err,
    fail,
    new_progress,
)
from kg_builder.errors import KgBuilderError

if TYPE_CHECKING:
    from kg_builder.remote.push import PushReport


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
    bar = new_progress("pushing", "graphs") if err.is_terminal else None
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
        raise fail(exc) from None
    except KgBuilderError as exc:
        raise fail(exc) from None
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
        raise fail(exc) from None
    if code:
        raise typer.Exit(code)
