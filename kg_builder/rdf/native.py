"""The native SHACL Core engine behind the ingest gate: the ``shacl`` package, pinned.

pyshacl is the reference engine (it writes every report a person reads); this module
only wraps the native one, which ingest uses to say quickly whether an article graph
conforms (about 1 ms per article graph against 25-60 ms for pyshacl). It reads the
graph as N-Triples text, the form the worker writes anyway, and never builds an rdflib
graph.

Guards (see ``docs/DESIGN.md``, "The SHACL gate"):

* the exact version is pinned (:data:`PINNED`; ``pyproject.toml`` pins the same): another
  version is refused before any work, since agreement with pyshacl was checked on this one;
* ``tests/test_shacl_engines.py`` checks that it gives pyshacl's results on the shapes'
  examples and pyshacl's ``conforms`` on generated article graphs broken in every
  constraint component the shapes use;
* the gate (:class:`kg_builder.rdf.validate.Gate`) has pyshacl re-check every graph the
  native engine rejects, and a deterministic sample of those it accepts;
* only the SHACL features that test covers (:data:`CHECKED`) are trusted to it: shapes
  that use any other (:func:`untrusted`) are validated with pyshacl, and the gate says so.

The engine reads N-Triples with ``oxttl``, the parser of the oxigraph project that
pyoxigraph's store uses too: text it accepts is what the store loads.

The engine parallelises large validations (tens of thousands of triples) on a thread pool
(rayon) that does not survive ``fork()``: a process that forked after the pool started
would hang in the child. Small graphs (an article's) are validated on the calling thread.
:func:`fork_safe` tells the worker pool whether the pool may have started in this process
(new OS threads appeared during a validation; without ``/proc``, any validation counts).
"""

from __future__ import annotations

import os
import weakref
from dataclasses import dataclass
from typing import Any

from rdflib import Graph
from rdflib.namespace import SH

from kg_builder.errors import ConfigError

#: The one version of the ``shacl`` package the gate accepts.
PINNED = "0.3.4"
#: The PyPI project that provides the engine.
PACKAGE = "shacl"

#: The SHACL terms (local names of ``sh:`` predicates) on which the native engine was
#: checked against pyshacl: the constraint parameters ``tests/test_shacl_engines.py``
#: breaks in article graphs (each has a mutation operator in ``tests/shacl_mutations.py``),
#: the targets and IRI paths the shipped shapes use, and annotations that change no result.
CHECKED = frozenset(
    {
        # constraints
        "class", "datatype", "hasValue", "in", "lessThan", "lessThanOrEquals", "maxCount",
        "minCount", "minInclusive", "minLength", "node", "nodeKind", "or", "pattern",
        "qualifiedValueShape", "qualifiedMaxCount",
        # structure and annotations
        "path", "property", "targetClass", "targetObjectsOf", "targetSubjectsOf", "message", "name",
        "description", "order", "group",
    }
)  # fmt: skip

_UNTRUSTED: weakref.WeakKeyDictionary[Graph, tuple[str, ...]] = weakref.WeakKeyDictionary()
_COMPILED: weakref.WeakKeyDictionary[Graph, NativeShapes] = weakref.WeakKeyDictionary()
#: Set once the engine may have started its thread pool in this process (a forked child
#: would inherit the pool's state without its threads).
_pool_started = False
_TASKS = "/proc/self/task"


@dataclass(frozen=True, slots=True, order=True)
class NativeResult:
    """One result of the native engine (terms in N-Triples syntax)."""

    focus: str
    path: str
    component: str
    message: str
    severity: str


def unavailable() -> str | None:
    """Why the native engine cannot be used here, or None when it can."""
    try:
        import shacl
    except ImportError:
        return (
            f"the native SHACL engine is not installed (pip install {PACKAGE}=={PINNED}; "
            "there are wheels for Linux x86-64, macOS and Windows)"
        )
    version = getattr(shacl, "__version__", "?")
    if version != PINNED:
        return (
            f"the native SHACL engine is {PACKAGE} {version}, but kg-builder was checked "
            f"against pyshacl with {PACKAGE} {PINNED} only (pip install {PACKAGE}=={PINNED})"
        )
    return None


def untrusted(shapes: Graph) -> tuple[str, ...]:
    """The SHACL terms ``shapes`` uses that the native engine was not checked on (sorted,
    as ``sh:name``); empty when the native engine may validate against these shapes.

    >>> untrusted(Graph())
    ()
    """
    found = _UNTRUSTED.get(shapes)
    if found is None:
        ns = str(SH)
        names = {str(p)[len(ns) :] for p in set(shapes.predicates()) if str(p).startswith(ns)}
        found = _UNTRUSTED[shapes] = tuple(sorted(f"sh:{n}" for n in names - CHECKED))
    return found


def fork_safe() -> bool:
    """Whether this process may fork workers: the engine's thread pool has not started."""
    return not _pool_started


def _os_threads() -> int:
    """The OS threads of this process, or -1 when it cannot tell (no ``/proc``)."""
    try:
        return len(os.listdir(_TASKS))
    except OSError:
        return -1


class NativeShapes:
    """A shapes graph compiled once for the native engine.

    Args:
        shapes: The shapes graph (as loaded by :func:`~kg_builder.rdf.shapes.load_shapes`).

    Raises:
        ConfigError: the engine is not installed, is another version, or refuses the shapes.
    """

    def __init__(self, shapes: Graph) -> None:
        why = unavailable()
        if why:
            raise ConfigError(f"{why}; or use --shacl-engine pyshacl")
        import shacl

        try:
            self._shapes: Any = shacl.Shapes.from_text(
                shapes.serialize(format="nt"), format="ntriples"
            )
        except ValueError as exc:
            raise ConfigError(f"the native SHACL engine refuses the shapes: {exc}") from exc
        self.version = PINNED

    def conforms(self, ntriples: str) -> bool:
        """Whether the graph (N-Triples) conforms; warnings and infos do not block.

        Raises:
            ValueError: the text does not parse as N-Triples.
        """
        return bool(self._run(ntriples).conforms)

    def results(self, ntriples: str) -> list[NativeResult]:
        """Every result the engine reports for the graph (N-Triples), sorted."""
        return sorted(
            NativeResult(
                r.focus_node,
                r.path or "",
                r.component,
                r.message or "",
                r.severity,
            )
            for r in self._run(ntriples).results
        )

    def _run(self, ntriples: str) -> Any:
        global _pool_started
        if _pool_started:
            return self._shapes.validate_text(ntriples, format="ntriples", allow_warnings=True)
        before = _os_threads()
        try:
            return self._shapes.validate_text(ntriples, format="ntriples", allow_warnings=True)
        finally:
            if before < 0 or _os_threads() > before:
                _pool_started = True


def native_shapes(shapes: Graph) -> NativeShapes:
    """:class:`NativeShapes` of ``shapes``, compiled once per shapes graph and process."""
    compiled = _COMPILED.get(shapes)
    if compiled is None:
        compiled = _COMPILED[shapes] = NativeShapes(shapes)
    return compiled
