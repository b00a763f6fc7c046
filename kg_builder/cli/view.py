"""The commands that draw: ``plot network``, ``plot timeline``, ``docs``, ``screenshot``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kg_builder.cli.common import Exit, PasswordOpt, TokenOpt, UserOpt, err, fail
from kg_builder.errors import KgBuilderError

if TYPE_CHECKING:
    from kg_builder.view.plots import Picture
    from kg_builder.view.source import Source


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
        raise fail(exc) from None


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
        raise fail(exc) from None


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
        raise fail(exc) from None
    err.print(f"ontology documentation → {page}")


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
        raise fail(exc) from None
    for page, png in zip(pages, written, strict=True):
        err.print(f"{page} → {png}", soft_wrap=True)
