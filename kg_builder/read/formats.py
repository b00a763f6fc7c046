"""The three input formats → articles: ``.txt`` (+ ``NAME.json`` sidecar), ``.html``, JSON Lines."""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import io
import json
import os
import zlib
from collections.abc import Iterator
from configparser import ConfigParser
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from kg_builder.errors import InputError
from kg_builder.models import Article
from kg_builder.read.decode import (
    BOMS,
    binary_reason,
    decode_bytes,
    normalise_newlines,
    os_reason,
    read_bytes,
    size_reason,
    utf8_reason,
)
from kg_builder.read.options import ReadOptions

#: Pages whose main text is shorter than this count as "no article text" (a menu, a login).
_MIN_HTML_TEXT_CHARS = 30


def parse_published(value: Any) -> dt.date | None:
    """Parse a publication date: ISO date, ISO datetime (date part as written), or ``None``.

    Args:
        value: ``None``, ``""``, ``"2022-01-13"``, ``"2022-01-13T10:20:00+03:00"``, ``"...Z"``.

    Returns:
        The date, or ``None`` for a null or empty value.

    Raises:
        ValueError: the value is not an ISO date or datetime (message for a person).

    Example:
        >>> parse_published("2022-01-12T23:30:00-05:00")
        datetime.date(2022, 1, 12)
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f'must be an ISO date string such as "2022-01-13" or null, got {value!r}')
    value = value.strip()
    if not value:
        return None
    try:
        if len(value) <= 10:
            return dt.date.fromisoformat(value)
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        raise ValueError(
            f"{value!r} is not an ISO date (YYYY-MM-DD) or ISO datetime (2022-01-13T10:20:00+03:00)"
        ) from None


def _metadata(
    record: dict[str, Any], options: ReadOptions, *, default_id: str | None
) -> dict[str, Any] | str:
    """id, url, source, published, title from a JSON object, or a reason (str) they are bad."""
    raw_id = record.get(options.id_field)
    if raw_id is None:
        if default_id is None:
            return (
                f'missing id: add an "{options.id_field}" field '
                "(or name the key that holds it with --id-field)"
            )
        article_id = default_id
    elif isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
        got = f"{_json_type(raw_id)} {raw_id!r}"
        return f'"{options.id_field}" must be a string or an integer, got {got}'
    else:
        article_id = str(raw_id).strip()
        if not article_id:
            return f'"{options.id_field}" is empty: give every article a unique id'
    out: dict[str, Any] = {"id": article_id}
    for name in ("url", "source", "title"):
        key = getattr(options, f"{name}_field")
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return f'"{key}" must be a string or null, got {_json_type(value)} {value!r}'
        out[name] = (value or "").strip() or None
    key = options.published_field
    try:
        out["published"] = parse_published(record.get(key))
    except ValueError as exc:
        return f'"{key}" {exc}: fix it, or set it to null to read the article without a date'
    return out


def _json_type(value: Any) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    names.update({list: "a list", dict: "an object"})
    return names.get(type(value), type(value).__name__)


def _text_problem(text: Any, field: str) -> str | None:
    if text is None:
        return (
            f'missing text: add a "{field}" field (or name the key that holds it with --text-field)'
        )
    if not isinstance(text, str):
        return f'"{field}" must be a string, got {_json_type(text)}'
    if not text.strip():
        return f'no article text: "{field}" is empty or only whitespace'
    return None


def _sidecar(path: Path, options: ReadOptions) -> dict[str, Any] | InputError:
    """Metadata from ``NAME.json`` next to ``path`` (defaults when there is none)."""
    sidecar = path.with_suffix(".json")
    defaults: dict[str, Any] = {
        "id": path.stem,
        "url": None,
        "source": None,
        "published": None,
        "title": None,
    }
    if not os.path.lexists(sidecar):
        return defaults
    skipped = f" (sidecar of {path.name}; the article is skipped until this is fixed)"
    data = read_bytes(sidecar, options.max_bytes)
    if isinstance(data, str):
        return InputError(str(sidecar), data + skipped)
    text = decode_bytes(data)
    if text is None:
        return InputError(
            str(sidecar),
            'empty sidecar: write a JSON object such as {"id": "..."} or delete it' + skipped,
        )
    if isinstance(text, InputError):
        return InputError(str(sidecar), text.reason + skipped)
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return InputError(
            f"{sidecar}:{exc.lineno}", f"not valid JSON: {exc.msg} (column {exc.colno}){skipped}"
        )
    if not isinstance(record, dict):
        return InputError(
            str(sidecar),
            f"a sidecar must be a JSON object {{...}}, got {_json_type(record)}{skipped}",
        )
    meta = _metadata(record, options, default_id=path.stem)
    if isinstance(meta, str):
        return InputError(str(sidecar), meta + skipped)
    return meta


def read_txt(path: Path, options: ReadOptions) -> Article | InputError:
    """A ``.txt`` article with the metadata of its sidecar ``NAME.json``, if any."""
    origin = str(path)
    data = read_bytes(path, options.max_bytes)
    if isinstance(data, str):
        return InputError(origin, data)
    text = decode_bytes(data)
    if text is None:
        return InputError(origin, "empty file: nothing to read")
    if isinstance(text, InputError):
        return InputError(origin, text.reason)
    text = normalise_newlines(text)
    if not text.strip():
        return InputError(origin, "no article text: the file holds only whitespace")
    meta = _sidecar(path, options)
    if isinstance(meta, InputError):
        return meta
    return Article(text=text, origin=origin, **meta)


def read_html(path: Path, options: ReadOptions) -> Article | InputError:
    """A saved news page: text and metadata from trafilatura, a sidecar overriding."""
    origin = str(path)
    data = read_bytes(path, options.max_bytes)
    if isinstance(data, str):
        return InputError(origin, data)
    if not data.strip():
        return InputError(origin, "empty file: nothing to read")
    if not data.startswith(tuple(bom for bom, _ in BOMS[1:])):
        reason = binary_reason(data)
        if reason:
            return InputError(origin, reason)
    extracted = _extract_html(data)
    if isinstance(extracted, InputError):
        return InputError(origin, extracted.reason)
    text, found = extracted
    meta = _sidecar(path, options)
    if isinstance(meta, InputError):
        return meta
    # What the sidecar states beats what trafilatura inferred from the markup.
    for key, value in found.items():
        if meta.get(key) is None:
            meta[key] = value
    return Article(text=text, origin=origin, **meta)


@functools.cache
def _trafilatura_config() -> ConfigParser:
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", str(_MIN_HTML_TEXT_CHARS))
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # signals do not work off the main thread
    return config


def _extract_html(data: bytes) -> tuple[str, dict[str, Any]] | InputError:
    import trafilatura
    from trafilatura.settings import set_date_params

    # Text is decoded by trafilatura itself: it honours <meta charset> and BOMs.
    try:
        doc = trafilatura.bare_extraction(
            data,
            with_metadata=True,
            include_comments=False,  # reader comments are not the report
            include_tables=False,  # tables flatten into run-on "sentences" that mislead parsing
            # No free-text date guessing: a wrong anchor date is worse than none.
            date_extraction_params=set_date_params(False),
            config=_trafilatura_config(),
        )
    except Exception as exc:  # noqa: BLE001 - trafilatura/lxml raise many types on bad markup
        return InputError("", f"cannot parse the HTML ({type(exc).__name__}: {exc})")
    text = normalise_newlines(getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if len(text) < _MIN_HTML_TEXT_CHARS:
        return InputError(
            "",
            "no article text found in the page: save the article page itself (not an index, "
            "login or cookie page), or give its text as .txt",
        )
    if doc is None or isinstance(doc, dict):
        return InputError("", "trafilatura returned no document for the page")
    try:
        published = parse_published(doc.date)
    except ValueError:
        published = None  # trafilatura emits ISO dates; anything else is not worth an error
    found = {
        "url": (doc.url or "").strip() or None,
        "source": (doc.sitename or "").strip() or None,
        "title": (doc.title or "").strip() or None,
        "published": published,
    }
    return text, found


def read_jsonl_file(
    path: Path,
    options: ReadOptions,
    *,
    compressed: bool,
    lines: LineRange | None = None,
) -> Iterator[Article | InputError]:
    """Every article (or error) of a ``.jsonl``/``.jsonl.gz`` file, line by line.

    Args:
        path: The file.
        options: Field names and size limit.
        compressed: gzip.
        lines: Only these lines (a cluster partition); errors about the whole file
            (empty, no JSON lines, truncated after the last line) come with the range that
            reaches the end of the file.
    """
    origin = str(path)
    if os.path.islink(path) and not path.exists():
        yield InputError(
            origin, f"broken symbolic link to {os.readlink(path)!r}: fix or remove the link"
        )
        return
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed below, also when the consumer stops early
    except OSError as exc:
        yield InputError(origin, f"cannot read the file: {os_reason(exc)}")
        return
    try:
        if os.fstat(raw.fileno()).st_size == 0:
            yield InputError(origin, "empty file: nothing to read")
            return
        if lines is not None and lines.offset:
            raw.seek(lines.offset)
        stream: BinaryIO = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw  # type: ignore[assignment]
        yield from read_jsonl_stream(stream, origin, options, compressed=compressed, lines=lines)
    finally:
        raw.close()


@dataclass(frozen=True, slots=True)
class LineRange:
    """Lines ``first`` to ``last`` (1-based, inclusive; ``last`` None: to the end) of a file.

    ``offset`` is the byte offset of line ``first`` in an uncompressed file (0: read from
    the start and skip the lines before ``first`` without decoding them).
    """

    first: int = 1
    last: int | None = None
    offset: int = 0

    @property
    def whole(self) -> bool:
        """The range is the whole file."""
        return self.first == 1 and self.last is None


def read_jsonl_stream(
    stream: BinaryIO,
    origin: str,
    options: ReadOptions,
    *,
    compressed: bool = False,
    lines: LineRange | None = None,
) -> Iterator[Article | InputError]:
    """Every article (or error) of JSON Lines read from a binary stream (or its ``lines``)."""
    lines = lines or LineRange()
    numbered = _jsonl_lines(stream, options.max_bytes, lines)
    line_no = 0
    any_line = False
    while True:
        try:
            line_no, line = next(numbered)
        except StopIteration:
            break
        except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
            where = f"after line {line_no}" if line_no else "at the start"
            what = "the gzip data is truncated or corrupt" if compressed else "cannot read the file"
            plain = compressed or not isinstance(exc, OSError)
            detail = str(exc) if plain else os_reason(exc)
            fix = "; re-download or re-compress the file" if compressed else ""
            done = "; the lines before were read" if line_no else ""
            yield InputError(origin, f"{what} {where} ({detail}){fix}{done}")
            return
        any_line = True
        if isinstance(line, InputError):
            yield InputError(f"{origin}:{line_no}", line.reason)
        else:
            yield _parse_line(line, f"{origin}:{line_no}", options)
    if not any_line and lines.whole:
        yield InputError(origin, "no JSON lines: the input is empty or only blank lines")


def _jsonl_lines(
    stream: BinaryIO, max_bytes: int, lines: LineRange
) -> Iterator[tuple[int, str | InputError]]:
    """Non-blank lines as text, numbered from 1; holds at most one line (of ``max_bytes``).

    Only the lines of ``lines`` are decoded and yielded; the stream starts at
    ``lines.offset`` (line ``lines.first``) when that is not 0.
    """
    n = 0
    if lines.offset:
        head, encoding, n = b"", "utf-8", lines.first - 1
    else:
        head = stream.read(4)
        encoding = "utf-8"
        for bom, name in BOMS:
            if head.startswith(bom):
                head, encoding = head[len(bom) :], name
                break
    buffered = io.BufferedReader(_Prefixed(head, stream))
    if encoding != "utf-8":
        # A UTF-16/32 byte-order mark fixes the encoding of the whole stream (never split
        # into ranges: see kg_builder.pipeline.partitions).
        wrapper = io.TextIOWrapper(buffered, encoding=encoding, newline="")
        for n, text in enumerate(_split_text_lines(wrapper, max_bytes), start=1):
            if isinstance(text, InputError) or text.strip():
                yield n, text
        return
    while lines.last is None or n < lines.last:
        line = buffered.readline(max_bytes + 1)
        if not line:
            return
        n += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the giant line
                line = buffered.readline(1024 * 1024)
            if n >= lines.first:
                yield n, InputError("", size_reason(None, max_bytes, "the line"))
            continue
        if n < lines.first or not line.strip():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield n, InputError("", utf8_reason(line, exc))
            continue
        yield n, text


class _Prefixed(io.RawIOBase):
    """A raw stream that first returns ``prefix``, then reads from ``stream``."""

    def __init__(self, prefix: bytes, stream: BinaryIO):
        self._prefix = prefix
        self._read = getattr(stream, "read1", stream.read)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        # read1: one underlying read, so the data before a corrupt gzip block is not lost
        # in a loop that tries to fill the whole buffer.
        data = self._read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _split_text_lines(wrapper: io.TextIOWrapper, max_chars: int) -> Iterator[str | InputError]:
    try:
        while True:
            line = wrapper.readline(max_chars + 1)
            if not line:
                return
            if len(line) > max_chars and not line.endswith("\n"):
                while line and not line.endswith("\n"):
                    line = wrapper.readline(1024 * 1024)
                yield InputError("", size_reason(None, max_chars, "the line"))
                continue
            yield line
    except UnicodeDecodeError as exc:
        yield InputError(
            "", f"cannot decode the rest of the file ({exc.reason}): re-save it as UTF-8"
        )


def _parse_line(line: str, origin: str, options: ReadOptions) -> Article | InputError:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return InputError(
            origin,
            f"not valid JSON: {exc.msg} (column {exc.colno}); "
            "each line must be one complete JSON object",
        )
    except RecursionError:
        return InputError(origin, "not valid JSON: nested too deeply")
    if not isinstance(record, dict):
        return InputError(
            origin,
            f'each line must be a JSON object {{"id": ..., "text": ...}}, got {_json_type(record)}',
        )
    text = record.get(options.text_field)
    problem = _text_problem(text, options.text_field)
    if problem:
        return InputError(origin, problem)
    meta = _metadata(record, options, default_id=None)
    if isinstance(meta, str):
        return InputError(origin, meta)
    assert isinstance(text, str)  # checked by _text_problem
    return Article(text=text, origin=origin, **meta)
