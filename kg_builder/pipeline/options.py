"""Every knob of an ingest run, in one frozen object, checked before any work starts."""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc

from kg_builder.errors import ConfigError
from kg_builder.models import Article, Extraction
from kg_builder.rdf import native, vocab
from kg_builder.rdf.iris import IriMinter
from kg_builder.rdf.shapes import load_shapes
from kg_builder.rdf.validate import ENGINES, Gate
from kg_builder.read import ReadOptions

#: What ``extractor`` names by default: ``Article, Doc → Extraction``.
DEFAULT_EXTRACTOR = "kg_builder.extract:extract"

Extractor = Callable[[Article, Doc], Extraction]

#: Share of the graphs the native engine accepts that pyshacl checks again, by default.
DEFAULT_VERIFY_SAMPLE = 0.01

log = logging.getLogger(__name__)


def usable_cores() -> int:
    """Cores this process may run on (its affinity mask), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """Every knob of a run, in one frozen object.

    Attributes:
        base: Base IRI of minted nodes.
        model: spaCy model name (None: the installed English model).
        batch_size: Articles per worker batch.
        load_size: Articles gathered (many batches) before one load into the store. Each
            load is all or nothing and runs beside the workers; it holds the articles of
            one more load in memory while it runs. Loads of 256 cost about the same CPU
            per article as loads of 1,024 (see ``docs/DESIGN.md``).
        jobs: Worker processes (default: the usable cores).
        read: Input options (field names, size limit).
        shapes: A SHACL shapes file instead of the shipped one.
        article_timeout: Seconds one article may spend in a stage (parse, extract and emit,
            validate) before it is stopped and reported as failed; 0 turns the budget off.
        extractor: ``"module:function"`` of the extraction step (``Article, Doc →
            Extraction``), resolved in each worker; the extension point for another
            extractor.
        shacl_engine: ``"native"`` or ``"pyshacl"`` (see
            :class:`~kg_builder.rdf.validate.Gate`); None: native for the shipped shapes
            when it is installed, else pyshacl (a ``shapes`` file of one's own is checked
            by pyshacl unless native is asked for, and by pyshacl anyway if it uses a
            SHACL feature the native engine was not checked on).
        verify_sample: Share (0 to 1) of the graphs the native engine accepts that
            pyshacl checks again, chosen by article id; a disagreement stops the run.
    """

    base: str = vocab.DEFAULT_BASE
    model: str | None = None
    batch_size: int = 32
    load_size: int = 256
    jobs: int = field(default_factory=usable_cores)
    read: ReadOptions = field(default_factory=ReadOptions)
    shapes: str | None = None
    article_timeout: float = 60.0
    extractor: str = DEFAULT_EXTRACTOR
    shacl_engine: str | None = None
    verify_sample: float = DEFAULT_VERIFY_SAMPLE

    @property
    def engine(self) -> str:
        """The SHACL engine this run uses (``shacl_engine`` with its default resolved)."""
        engine = self.requested_engine
        if engine == "native" and native.untrusted(load_shapes(self.shapes)):
            return "pyshacl"  # check_options logs why (Gate.fallback)
        return engine

    @property
    def requested_engine(self) -> str:
        """``shacl_engine``, or its default: native for the shipped shapes if installed."""
        if self.shacl_engine is not None:
            return self.shacl_engine
        return "native" if self.shapes is None and native.unavailable() is None else "pyshacl"


def check_options(options: IngestOptions) -> None:
    """Fail at once on a bad option, model, ontology or shapes file.

    Loads the model and the shapes in this process, so worker processes forked from it
    start with both in memory.

    Raises:
        ConfigError: with what is wrong and how to fix it.
    """
    if options.batch_size < 1:
        raise ConfigError(f"--batch-size must be at least 1, not {options.batch_size}")
    if options.load_size < 1:
        raise ConfigError(f"--load-size must be at least 1, not {options.load_size}")
    if options.jobs < 1:
        raise ConfigError(f"--jobs must be at least 1, not {options.jobs}")
    if not options.article_timeout >= 0:  # also rejects NaN
        raise ConfigError(
            f"--article-timeout must be 0 (no limit) or a number of seconds, "
            f"not {options.article_timeout}"
        )
    try:
        IriMinter(options.base)
    except ValueError as exc:
        raise ConfigError(f"--base: {exc}") from exc
    resolve_extractor(options.extractor)
    if options.shacl_engine is not None and options.shacl_engine not in ENGINES:
        raise ConfigError(
            f"--shacl-engine must be one of {', '.join(ENGINES)}, not {options.shacl_engine!r}"
        )
    if options.shacl_engine is None and options.shapes is None and native.unavailable():
        log.warning("SHACL gate: pyshacl, since %s", native.unavailable())
    # Compiles the shapes for the native engine too (it runs no validation here: a process
    # that has validated natively must not fork, see kg_builder.rdf.native).
    # Logs it when the native engine is not trusted with these shapes.
    Gate(load_shapes(options.shapes), options.requested_engine, options.verify_sample)
    from kg_builder.nlp import load_nlp

    load_nlp(options.model)


def resolve_extractor(spec: str) -> Extractor:
    """The function named by ``"package.module:function"``.

    Raises:
        ConfigError: the module cannot be imported or has no such function.
    """
    module_name, _, attr = spec.partition(":")
    try:
        function = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError, ValueError) as exc:
        raise ConfigError(f"extractor {spec!r} cannot be loaded: {exc}") from exc
    if not callable(function):
        raise ConfigError(f"extractor {spec!r} is not a function")
    return function  # type: ignore[no-any-return]
