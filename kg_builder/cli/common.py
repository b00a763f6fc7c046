"""What every command shares: the consoles, the exit codes, common options, errors, progress.

The commands' modules (``build``, ``store``, ``remote``, ``view``) print through ``out`` and
``err`` and turn a library error into its exit code with ``fail``.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from kg_builder.errors import (
    ConfigError,
    EndpointError,
    GateError,
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
    DISAGREEMENT = 9  # ingest: the native SHACL engine accepted a graph pyshacl rejects
    INTERRUPTED = 130


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


def fail(exc: KgBuilderError) -> typer.Exit:
    """Print a library error on stderr; the ``typer.Exit`` of its exit code, to raise."""
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


def new_progress(what: str, unit: str) -> Progress:
    """A transient progress bar on stderr: what is done, how many ``unit``, rate, failures."""
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
