"""How to read inputs: field names of JSON records and the size limit."""

from __future__ import annotations

from dataclasses import dataclass

from kg_builder.errors import ConfigError


@dataclass(frozen=True)
class ReadOptions:
    """How to read inputs. One frozen object, built once by the caller (the CLI).

    Attributes:
        id_field: JSON key of the article id (``--id-field``); also used in sidecars.
        text_field: JSON key of the article text (``--text-field``).
        url_field: JSON key of the URL (``--url-field``).
        source_field: JSON key of the publisher's name (``--source-field``).
        published_field: JSON key of the publication date (``--published-field``).
        title_field: JSON key of the headline (``--title-field``).
        max_bytes: Largest ``.txt``/``.html``/sidecar file, and largest single JSON line, read
            (``--max-bytes``; default 20 MiB). JSON Lines *files* may be any size: they are
            streamed, so the limit applies to each line. Guards against a stray database dump
            or video being read into memory.

    Raises:
        ConfigError: a field name is empty or ``max_bytes`` is not positive.
    """

    id_field: str = "id"
    text_field: str = "text"
    url_field: str = "url"
    source_field: str = "source"
    published_field: str = "published"
    title_field: str = "title"
    max_bytes: int = 20 * 1024 * 1024

    def __post_init__(self) -> None:
        for name in ("id", "text", "url", "source", "published", "title"):
            value = getattr(self, f"{name}_field")
            if not isinstance(value, str) or not value:
                raise ConfigError(f"--{name}-field must be a non-empty JSON key, got {value!r}")
        if (
            isinstance(self.max_bytes, bool)
            or not isinstance(self.max_bytes, int)
            or self.max_bytes <= 0
        ):
            raise ConfigError(
                f"--max-bytes must be a positive number of bytes, got {self.max_bytes!r}"
            )
