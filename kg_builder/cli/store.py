"""The commands that read the embedded store: ``query``, ``export``, ``validate``, ``history``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table as RichTable

from kg_builder.cli.common import Exit, PasswordOpt, StoreOpt, TokenOpt, UserOpt, err, fail, out
from kg_builder.errors import ConfigError, KgBuilderError

if TYPE_CHECKING:
    from kg_builder.store.query import Table


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
        raise fail(exc) from None
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
        raise fail(exc) from None


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
        raise fail(exc) from None
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
        raise fail(exc) from None
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
