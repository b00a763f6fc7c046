"""The ``kg-builder`` command: a thin Typer layer over the library.

Only this package prints, configures logging, or chooses exit codes (see README). It reads
the command line and produces calls of the library's functions, their output and an exit
code. Its modules, by concern: ``common`` (consoles, exit codes, shared options, errors,
progress bars), ``build`` (ingest, load), ``store`` (query, export, validate, history),
``remote`` (push, serve) and ``view`` (plot, docs, screenshot). This module makes the
app and registers the commands in the order ``--help`` lists them; every name the
commands' modules define for users (``app``, ``Exit``, the commands) is importable from
here.
"""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from kg_builder import __version__
from kg_builder.cli.build import ingest, load
from kg_builder.cli.common import (
    Exit,
    PasswordOpt,
    StoreOpt,
    TokenOpt,
    UserOpt,
    err,
    out,
)
from kg_builder.cli.remote import push, serve
from kg_builder.cli.store import export, history, query, validate
from kg_builder.cli.view import docs, plot_app, plot_network, plot_timeline, screenshot

__all__ = [
    "Exit",
    "PasswordOpt",
    "StoreOpt",
    "TokenOpt",
    "UserOpt",
    "app",
    "docs",
    "err",
    "export",
    "history",
    "ingest",
    "load",
    "main",
    "out",
    "plot_app",
    "plot_network",
    "plot_timeline",
    "push",
    "query",
    "screenshot",
    "serve",
    "validate",
]

app = typer.Typer(
    name="kg-builder",
    help="Turn news reports about international politics into a validated RDF knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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


# Registration order is the order of `kg-builder --help`.
for _command in (ingest, query, export, load, validate, history, push, serve):
    app.command()(_command)
app.add_typer(plot_app, name="plot")
app.command()(docs)
app.command()(screenshot)
