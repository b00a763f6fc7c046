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

import glob
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from kg_builder.errors import InputError
from kg_builder.models import Article
from kg_builder.read.decode import os_reason
from kg_builder.read.formats import (
    LineRange,
    read_html,
    read_jsonl_file,
    read_jsonl_stream,
    read_txt,
)
from kg_builder.read.options import ReadOptions

__all__ = [
    "ARTICLE_EXTENSIONS",
    "STDIN",
    "LineRange",
    "STDIN_NAME",
    "is_jsonl",
    "iter_articles",
    "iter_input_files",
    "read_file",
]

#: Extensions read as articles, as users see them in messages.
ARTICLE_EXTENSIONS = (".txt", ".jsonl", ".jsonl.gz", ".ndjson", ".html", ".htm")
_JSONL_SUFFIXES = (".jsonl", ".ndjson")
_GZ_JSONL_SUFFIXES = (".jsonl.gz", ".ndjson.gz")
_HTML_SUFFIXES = (".html", ".htm")
_SIDECAR_OWNERS = (".txt", *_HTML_SUFFIXES)
_KNOWN = ", ".join(ARTICLE_EXTENSIONS)

#: Name used in origins for standard input ("<stdin>:3").
STDIN_NAME = "<stdin>"
#: The source that means standard input.
STDIN = "-"


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
    for item in iter_input_files(sources):
        if isinstance(item, InputError):
            yield item
        elif item == STDIN:
            yield from read_jsonl_stream(
                stdin if stdin is not None else sys.stdin.buffer, STDIN_NAME, options
            )
        else:
            yield from read_file(Path(item), options)


def iter_input_files(sources: Sequence[str | Path]) -> Iterator[Path | str | InputError]:
    """The files :func:`iter_articles` reads, in its order, without reading them.

    The same walk as :func:`iter_articles` (folders, globs, each file once, sidecars
    skipped), for callers that read the files elsewhere (a cluster's workers). Yields a
    :class:`~pathlib.Path` per article file, :data:`STDIN` for ``"-"``, and an
    :class:`InputError` per source that names no file. Lazy: a folder is listed when the
    caller asks for its first file.
    """
    seen = _Seen()
    for source in sources:
        text = str(source)
        if text == STDIN:
            yield STDIN
            continue
        path = Path(source)
        if path.is_dir():
            before = seen.matched
            yield from _walk_folder(path, seen)
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
            yield from _once(path, seen)
        elif glob.has_magic(text):
            yield from _read_glob(text, seen)
        else:
            yield InputError(text, "no such file or directory: check the path")


def read_file(
    path: Path, options: ReadOptions, lines: LineRange | None = None
) -> Iterator[Article | InputError]:
    """Every article (or error) of one article file, whatever its kind.

    Args:
        path: An article file.
        options: Field names and size limit.
        lines: Only these lines of a JSON Lines file (ignored for other kinds).
    """
    kind = _article_kind(path.name)
    if kind == "jsonl":
        yield from read_jsonl_file(path, options, compressed=False, lines=lines)
    elif kind == "jsonl.gz":
        yield from read_jsonl_file(path, options, compressed=True, lines=lines)
    elif kind == "html":
        yield read_html(path, options)
    else:
        yield read_txt(path, options)


def is_jsonl(path: str | Path) -> bool:
    """Whether ``path`` is read as JSON Lines (``.jsonl``, ``.ndjson``, gzipped or not)."""
    return _article_kind(Path(path).name) in {"jsonl", "jsonl.gz"}


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


def _walk_folder(folder: Path, seen: _Seen) -> Iterator[Path | InputError]:
    """Depth-first, entries sorted by name per directory; symlinked folders are not followed
    (cycles), symlinked files are."""
    try:
        with os.scandir(folder) as it:
            entries = sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError as exc:
        yield InputError(str(folder), f"cannot list the folder: {os_reason(exc)}")
        return
    for entry in entries:
        path = folder / entry.name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk_folder(path, seen)
        elif _article_kind(entry.name) is not None:
            yield from _once(path, seen)


def _read_glob(pattern: str, seen: _Seen) -> Iterator[Path | InputError]:
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
            yield from _walk_folder(path, seen)
        elif _article_kind(path.name) is not None:
            yield from _once(path, seen)
        # else: a pattern like data/* also matches READMEs and sidecars: skip them quietly
    if seen.matched == before:
        yield InputError(pattern, f"no {_KNOWN} files match this pattern")


def _once(path: Path, seen: _Seen) -> Iterator[Path]:
    """``path``, unless the same file (resolved) was met before."""
    seen.matched += 1
    try:
        key = str(path.resolve())
    except OSError:
        key = str(path.absolute())
    if key in seen.paths:
        return
    seen.paths.add(key)
    yield path


# --------------------------------------------------------------------------- bytes → text


# --------------------------------------------------------------------------- fields


# --------------------------------------------------------------------------- .txt / .html


# --------------------------------------------------------------------------- JSON Lines
