"""One narrow hierarchy of errors. Messages say what, where, and how to fix it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg_builder.remote.push import PushReport


class KgBuilderError(Exception):
    """Base of every error kg-builder raises on purpose."""


class InputError(KgBuilderError):
    """An input file, line or article cannot be read. Non-fatal in a batch.

    Attributes:
        origin: Where ("path", "path:line").
        reason: What was wrong, for a person.
    """

    def __init__(self, origin: str, reason: str):
        super().__init__(f"{origin}: {reason}" if origin else reason)
        self.origin = origin
        self.reason = reason


class ConfigError(KgBuilderError):
    """A bad option, model name, ontology or shapes file: fatal, before any work."""


class OntologyError(ConfigError):
    """The ontology or the SHACL shapes cannot be loaded."""


class GateError(KgBuilderError):
    """The native SHACL engine said "conforms" where pyshacl, the reference, did not.

    The run stops: the native engine cannot be trusted on this input. Everything stored
    before was accepted by it; re-run with ``--shacl-engine pyshacl``.
    """


class StoreError(KgBuilderError):
    """The embedded store cannot be opened, read or written."""


class ParameterError(ConfigError):
    """A query parameter is unknown, missing, or not of its type (a usage error)."""


class QueryError(KgBuilderError):
    """A SPARQL query cannot be found, parsed or evaluated."""


class EndpointError(KgBuilderError):
    """A remote SPARQL endpoint refused a request or could not be reached.

    Attributes:
        status: HTTP status, or None when no answer came.
    """

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class RemoteQueryError(QueryError, EndpointError):
    """A remote endpoint refused a query as malformed (HTTP 400): a query error, as it
    would be locally, that also carries the HTTP ``status``."""


class PushError(EndpointError):
    """A push stopped early (server unreachable, credentials refused, not a Graph Store).

    Attributes:
        report: What reached the server before the push stopped
            (:class:`~kg_builder.remote.push.PushReport`); graphs listed in
            ``report.graphs_pushed`` were completely accepted, the graph being sent when it
            stopped is in ``report.graphs_failed``.
    """

    def __init__(self, message: str, status: int | None = None, report: PushReport | None = None):
        super().__init__(message, status)
        self.report = report
