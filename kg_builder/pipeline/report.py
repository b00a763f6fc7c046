"""What a run did: the report :func:`~kg_builder.pipeline.ingest` returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that was not stored, and why."""

    origin: str
    reason: str


@dataclass(frozen=True, slots=True)
class ArticleTiming:
    """Where one article's time went (for benchmarks and logs).

    Attributes:
        article_id: The article's id.
        origin: Where it was read from.
        stored: Whether it was stored.
        seconds: ``(stage, seconds)`` in stage order (parse, extract, emit, validate,
            serialise); stages done for a whole batch are shared out evenly.
    """

    article_id: str
    origin: str
    stored: bool
    seconds: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What a run did. ``failed`` holds unreadable inputs and articles not stored."""

    stored: int
    failed: tuple[Failure, ...]
    warnings: tuple[str, ...]
    triples: int
    seconds: float
    interrupted: bool = False

    @property
    def articles_per_second(self) -> float:
        return self.stored / self.seconds if self.seconds else 0.0
