"""Reading articles: files, folders, globs and stdin → :class:`Article` or :class:`InputError`.

One entry point, :func:`iter_articles`. It never raises for bad input: every file, line or
article that cannot be read becomes an :class:`InputError` *value* in the stream, so a batch
goes on and the caller (the pipeline) logs, counts and skips it.

Formats, by extension (case-insensitive):

* ``.txt`` — the file is the article text; metadata (id, url, source, published, title)
  from an optional sidecar ``NAME.json`` next to it; the id defaults to the file stem.
* ``.jsonl``, ``.ndjson``, ``.jsonl.gz`` — JSON Lines: one object per line, keys named by
  :class:`ReadOptions` (``--id-field`` ... map dumps whose keys differ). Read line by line.
* ``.html``, ``.htm`` — main text, title, date, canonical URL and site name extracted with
  trafilatura; an optional sidecar ``NAME.json`` overrides the metadata.
* ``-`` — JSON Lines on standard input.

Order is deterministic: sources in the order given; inside a folder, entries sorted by name
and visited depth-first; glob matches sorted.
"""

from __future__ import annotations

import datetime as dt
import functools
import glob
import gzip
import io
import json
import os
import sys
import zlib
from collections.abc import Iterator, Sequence
from configparser import ConfigParser
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from kg_builder.errors import ConfigError, InputError
from kg_builder.models import Article

__all__ = ["ARTICLE_EXTENSIONS", "ReadOptions", "iter_articles", "parse_published"]

#: Extensions read as articles, as users see them in messages.
ARTICLE_EXTENSIONS = (".txt", ".jsonl", ".jsonl.gz", ".ndjson", ".html", ".htm")
_JSONL_SUFFIXES = (".jsonl", ".ndjson")
_GZ_JSONL_SUFFIXES = (".jsonl.gz", ".ndjson.gz")
_HTML_SUFFIXES = (".html", ".htm")
_SIDECAR_OWNERS = (".txt", *_HTML_SUFFIXES)
_KNOWN = ", ".join(ARTICLE_EXTENSIONS)

#: Name used in origins for standard input ("<stdin>:3").
STDIN_NAME = "<stdin>"

#: Bytes examined for control characters when deciding that a file is binary.
_SNIFF_BYTES = 64 * 1024
#: More control characters than this (share of the sniffed bytes) → binary, not text.
_MAX_CONTROL_RATIO = 0.05
#: Decoded text with more U+FFFD than this share of characters is beyond repair.
_MAX_REPLACEMENT_RATIO = 0.01
#: Pages whose main text is shorter than this count as "no article text" (a menu, a login).
_MIN_HTML_TEXT_CHARS = 30

# C0 control bytes that never occur in text (tab, LF, VT, FF, CR and ESC may).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\v\f\r\x1b")
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)


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


def iter_articles(
    sources: Sequence[str | Path],
    options: ReadOptions = ReadOptions(),  # noqa: B008 - frozen, so a shared default is safe
    *,
    stdin: BinaryIO | None = None,
) -> Iterator[Article | InputError]:
    """Yield every article readable from ``sources``, and an :class:`InputError` per bad input.

    Sources are files, folders (recursive; known extensions only; hidden entries skipped),
    glob patterns (``data/*.jsonl``, ``corpus/**/*.txt``; expanded here when the shell did
    not) and ``-`` for JSON Lines on standard input. The same file reached twice (named and
    inside a named folder, say) is read once. Nothing is raised for bad input; duplicates
    of an article id are left to the pipeline.

    Behaviours chosen for an analyst who wants a correct graph more than a full one:

    * An **unparsable ``published``** ("Jan 13th", "13/01/2022") is an error for that
      article, not a silently dropped date: the date anchors every relative date in the text
      ("on Wednesday"), so a missing one degrades the graph invisibly. The message says how
      to fix it, or to set the value to ``null`` to ingest the article without a date.
      A datetime keeps its date part *as written* (``2022-01-12T23:30:00-05:00`` →
      2022-01-12): that is the publisher's local day, the one "Wednesday" refers to.
    * A **bad sidecar** (``NAME.json`` that is not JSON, or has a bad field) is reported and
      its article skipped, rather than read with default metadata: the id would silently
      fall back to the file stem (so a later, fixed run would add a second copy instead of
      replacing it), and the date anchoring relative dates would be missing.
    * **JSON Lines text is kept exactly** as in the JSON string (offsets then index into
      the caller's own text); text read from ``.txt``/``.html`` files has ``\\r\\n`` and
      lone ``\\r`` turned into ``\\n``, and offsets point into that normalised text.
    * **JSON Lines must be UTF-8** (RFC 8259; a UTF-16/32 BOM is honoured): guessing the
      encoding of one short line is unreliable, so an invalid line is an error telling how
      to re-encode. Whole ``.txt`` files that are not UTF-8 are decoded with
      charset-normalizer (Western encodings preferred on ties, as the pipeline is English).

    Args:
        sources: Paths, folders, glob patterns, or ``"-"`` (stdin), in the order to read.
        options: Field names and size limit.
        stdin: Binary stream read for ``"-"`` (default ``sys.stdin.buffer``).

    Yields:
        :class:`Article` for each good article; :class:`InputError` (origin ``"path"`` or
        ``"path:line"``, reason saying what is wrong and how to fix it) for each bad input.

    Example:
        >>> for item in iter_articles(["examples/"]):
        ...     if isinstance(item, InputError):
        ...         print("skipped", item)
        ...     else:
        ...         print(item.id, len(item.text))
    """
    seen = _Seen()
    for source in sources:
        text = str(source)
        if text == "-":
            yield from _read_jsonl_stream(
                stdin if stdin is not None else sys.stdin.buffer, STDIN_NAME, options
            )
            continue
        path = Path(source)
        if path.is_dir():
            before = seen.matched
            yield from _walk_folder(path, options, seen)
            if seen.matched == before:
                yield InputError(
                    text,
                    f"no {_KNOWN} files in {text} (hidden files and other extensions are skipped)",
                )
        elif os.path.lexists(path):
            if _is_stray_sidecar(path):
                continue  # read together with its .txt/.html (a shell glob such as data/* names it)
            if _article_kind(path.name) is None:
                yield InputError(text, f"unsupported file type; kg-builder reads {_KNOWN} files")
                continue
            yield from _read_file_once(path, options, seen)
        elif glob.has_magic(text):
            yield from _read_glob(text, options, seen)
        else:
            yield InputError(text, "no such file or directory: check the path")


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


# --------------------------------------------------------------------------- sources


def _article_kind(name: str) -> str | None:
    lower = name.lower()
    if lower.endswith(_GZ_JSONL_SUFFIXES):
        return "jsonl.gz"
    if lower.endswith(_JSONL_SUFFIXES):
        return "jsonl"
    if lower.endswith(_HTML_SUFFIXES):
        return "html"
    if lower.endswith(".txt"):
        return "txt"
    return None


def _is_stray_sidecar(path: Path) -> bool:
    return path.suffix.lower() == ".json" and any(
        path.with_suffix(ext).is_file()
        for ext in (*_SIDECAR_OWNERS, *(e.upper() for e in _SIDECAR_OWNERS))
    )


class _Seen:
    """Files already read (each is read once) and how many article files were matched."""

    def __init__(self) -> None:
        self.paths: set[str] = set()
        self.matched = 0


def _walk_folder(folder: Path, options: ReadOptions, seen: _Seen) -> Iterator[Article | InputError]:
    """Depth-first, entries sorted by name per directory; symlinked folders are not followed
    (cycles), symlinked files are."""
    try:
        with os.scandir(folder) as it:
            entries = sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError as exc:
        yield InputError(str(folder), f"cannot list the folder: {_os_reason(exc)}")
        return
    for entry in entries:
        path = folder / entry.name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk_folder(path, options, seen)
        elif _article_kind(entry.name) is not None:
            yield from _read_file_once(path, options, seen)


def _read_glob(pattern: str, options: ReadOptions, seen: _Seen) -> Iterator[Article | InputError]:
    # Only paths are listed (not contents); sorting needs the list. Hidden names are not
    # matched unless the pattern spells the dot, as in the shell.
    matches = sorted(glob.iglob(pattern, recursive=True))
    if not matches:
        yield InputError(pattern, "no files match this pattern: check the path and the pattern")
        return
    before = seen.matched
    for match in matches:
        path = Path(match)
        if path.is_dir():
            yield from _walk_folder(path, options, seen)
        elif _article_kind(path.name) is not None:
            yield from _read_file_once(path, options, seen)
        # else: a pattern like data/* also matches READMEs and sidecars: skip them quietly
    if seen.matched == before:
        yield InputError(pattern, f"no {_KNOWN} files match this pattern")


def _read_file_once(
    path: Path, options: ReadOptions, seen: _Seen
) -> Iterator[Article | InputError]:
    seen.matched += 1
    try:
        key = str(path.resolve())
    except OSError:
        key = str(path.absolute())
    if key in seen.paths:
        return
    seen.paths.add(key)
    kind = _article_kind(path.name)
    if kind == "jsonl":
        yield from _read_jsonl_file(path, options, compressed=False)
    elif kind == "jsonl.gz":
        yield from _read_jsonl_file(path, options, compressed=True)
    elif kind == "html":
        yield _read_html(path, options)
    else:
        yield _read_txt(path, options)


# --------------------------------------------------------------------------- bytes → text


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied: check the file's permissions"
    if isinstance(exc, IsADirectoryError):
        return "it is a folder, not a file"
    if isinstance(exc, FileNotFoundError):
        return "no such file (a broken symbolic link?): check the path"
    return exc.strerror or str(exc)


def _size_reason(size: int | None, limit: int, what: str = "the file") -> str:
    shown = f" ({size:,} bytes)" if size is not None else ""
    return (
        f"{what} is over the limit of {limit:,} bytes{shown}: if it really is one article, "
        "raise the limit with --max-bytes (ReadOptions.max_bytes)"
    )


def _read_bytes(path: Path, max_bytes: int) -> bytes | str:
    """The whole file, or a reason (str) why it cannot be read."""
    if os.path.islink(path) and not path.exists():
        return f"broken symbolic link to {os.readlink(path)!r}: fix or remove the link"
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > max_bytes:
                return _size_reason(size, max_bytes)
            data = f.read(max_bytes + 1)  # st_size can lie (special files): never read more
    except OSError as exc:
        return f"cannot read the file: {_os_reason(exc)}"
    if len(data) > max_bytes:
        return _size_reason(None, max_bytes)
    return data


def _binary_reason(data: bytes) -> str | None:
    if b"\x00" in data:
        return (
            "not a text file (it contains NUL bytes; UTF-16 text needs a byte-order mark): "
            "give the article as UTF-8 text, JSON Lines or HTML"
        )
    sample = data[:_SNIFF_BYTES]
    controls = len(sample.translate(None, _NOT_CONTROL))
    if controls > _MAX_CONTROL_RATIO * len(sample):
        return "not a text file (too many control characters): give the article as UTF-8 text"
    return None


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_UNDECODABLE = (
    "cannot decode the file: it is not UTF-8 and no other encoding fits; re-save it as UTF-8"
)


def _decode(data: bytes) -> str | InputError | None:
    """Bytes → text (BOM stripped), or a reason (InputError with no origin) it cannot be.

    Returns ``None`` only for empty input.
    """
    if not data:
        return None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                return InputError(
                    "", f"cannot decode the file as {encoding} (its byte-order mark): {exc.reason}"
                )
    reason = _binary_reason(data)
    if reason:
        return InputError("", reason)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Mostly UTF-8 with a few broken bytes (a truncated copy-paste): repairing those into
    # U+FFFD beats a detector that would read every multi-byte character as mojibake.
    repaired = data.decode("utf-8", errors="replace")
    bad = repaired.count("\ufffd")
    good_multibyte = sum(1 for c in repaired if ord(c) > 127) - bad
    if good_multibyte > 0 and bad <= max(1, len(repaired) // 1000):
        return repaired
    text = _detect(data)
    if text is None or text.count("\ufffd") > _MAX_REPLACEMENT_RATIO * len(text):
        return InputError("", _UNDECODABLE)
    return text


def _detect(data: bytes) -> str | None:
    import charset_normalizer

    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    # Short or ambiguous samples tie between code pages (cp1250 "naďve" vs cp1252 "naïve").
    # The pipeline reads English; its legacy files are overwhelmingly cp1252/Latin-1.
    for match in matches:
        if match.chaos > best.chaos or match.coherence < best.coherence - 0.01:
            continue
        names = {match.encoding, *match.could_be_from_charset}
        for preferred in ("cp1252", "latin_1", "iso8859_15"):
            if preferred in names:
                try:
                    return data.decode(preferred)
                except UnicodeDecodeError:
                    break
    if best.encoding.startswith(("utf_16", "utf_32")):
        return None  # without a BOM (handled above) these are guesses over binary data
    return str(best)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- fields


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


# --------------------------------------------------------------------------- .txt / .html


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
    data = _read_bytes(sidecar, options.max_bytes)
    if isinstance(data, str):
        return InputError(str(sidecar), data + skipped)
    text = _decode(data)
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


def _read_txt(path: Path, options: ReadOptions) -> Article | InputError:
    origin = str(path)
    data = _read_bytes(path, options.max_bytes)
    if isinstance(data, str):
        return InputError(origin, data)
    text = _decode(data)
    if text is None:
        return InputError(origin, "empty file: nothing to read")
    if isinstance(text, InputError):
        return InputError(origin, text.reason)
    text = _normalise_newlines(text)
    if not text.strip():
        return InputError(origin, "no article text: the file holds only whitespace")
    meta = _sidecar(path, options)
    if isinstance(meta, InputError):
        return meta
    return Article(text=text, origin=origin, **meta)


def _read_html(path: Path, options: ReadOptions) -> Article | InputError:
    origin = str(path)
    data = _read_bytes(path, options.max_bytes)
    if isinstance(data, str):
        return InputError(origin, data)
    if not data.strip():
        return InputError(origin, "empty file: nothing to read")
    if not data.startswith(tuple(bom for bom, _ in _BOMS[1:])):
        reason = _binary_reason(data)
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
    text = _normalise_newlines(getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if len(text) < _MIN_HTML_TEXT_CHARS:
        return InputError(
            "",
            "no article text found in the page: save the article page itself (not an index, "
            "login or cookie page), or give its text as .txt",
        )
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


# --------------------------------------------------------------------------- JSON Lines


def _read_jsonl_file(
    path: Path, options: ReadOptions, *, compressed: bool
) -> Iterator[Article | InputError]:
    origin = str(path)
    if os.path.islink(path) and not path.exists():
        yield InputError(
            origin, f"broken symbolic link to {os.readlink(path)!r}: fix or remove the link"
        )
        return
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed below, also when the consumer stops early
    except OSError as exc:
        yield InputError(origin, f"cannot read the file: {_os_reason(exc)}")
        return
    try:
        if os.fstat(raw.fileno()).st_size == 0:
            yield InputError(origin, "empty file: nothing to read")
            return
        stream: BinaryIO = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw  # type: ignore[assignment]
        yield from _read_jsonl_stream(stream, origin, options, compressed=compressed)
    finally:
        raw.close()


def _read_jsonl_stream(
    stream: BinaryIO, origin: str, options: ReadOptions, *, compressed: bool = False
) -> Iterator[Article | InputError]:
    lines = _jsonl_lines(stream, options.max_bytes)
    line_no = 0
    any_line = False
    while True:
        try:
            line_no, line = next(lines)
        except StopIteration:
            break
        except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as exc:
            where = f"after line {line_no}" if line_no else "at the start"
            what = "the gzip data is truncated or corrupt" if compressed else "cannot read the file"
            plain = compressed or not isinstance(exc, OSError)
            detail = str(exc) if plain else _os_reason(exc)
            fix = "; re-download or re-compress the file" if compressed else ""
            done = "; the lines before were read" if line_no else ""
            yield InputError(origin, f"{what} {where} ({detail}){fix}{done}")
            return
        any_line = True
        if isinstance(line, InputError):
            yield InputError(f"{origin}:{line_no}", line.reason)
        else:
            yield _parse_line(line, f"{origin}:{line_no}", options)
    if not any_line:
        yield InputError(origin, "no JSON lines: the input is empty or only blank lines")


def _jsonl_lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, str | InputError]]:
    """Non-blank lines as text, numbered from 1; holds at most one line (of ``max_bytes``)."""
    head = stream.read(4)
    encoding = "utf-8"
    for bom, name in _BOMS:
        if head.startswith(bom):
            head, encoding = head[len(bom) :], name
            break
    buffered = io.BufferedReader(_Prefixed(head, stream))
    if encoding != "utf-8":
        # A UTF-16/32 byte-order mark fixes the encoding of the whole stream.
        wrapper = io.TextIOWrapper(buffered, encoding=encoding, newline="")
        for n, text in enumerate(_split_text_lines(wrapper, max_bytes), start=1):
            if isinstance(text, InputError) or text.strip():
                yield n, text
        return
    n = 0
    while True:
        line = buffered.readline(max_bytes + 1)
        if not line:
            return
        n += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the giant line
                line = buffered.readline(1024 * 1024)
            yield n, InputError("", _size_reason(None, max_bytes, "the line"))
            continue
        if not line.strip():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield n, InputError("", _utf8_reason(line, exc))
            continue
        yield n, text


def _utf8_reason(line: bytes, exc: UnicodeDecodeError) -> str:
    return (
        f"not valid UTF-8 (byte 0x{line[exc.start]:02x} at byte {exc.start + 1} of the line): "
        "JSON Lines must be UTF-8; re-encode the file, e.g. iconv -f WINDOWS-1252 -t UTF-8"
    )


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
                yield InputError("", _size_reason(None, max_chars, "the line"))
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
    return Article(text=text, origin=origin, **meta)
