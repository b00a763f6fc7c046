"""Bytes → text: size limits, binary files, byte-order marks, UTF-16, detected encodings."""

from __future__ import annotations

import os
from pathlib import Path

from kg_builder.errors import InputError

#: Bytes examined for control characters when deciding that a file is binary.
_SNIFF_BYTES = 64 * 1024


#: More control characters than this (share of the sniffed bytes) → binary, not text.
_MAX_CONTROL_RATIO = 0.05


#: Decoded text with more U+FFFD than this share of characters is beyond repair.
_MAX_REPLACEMENT_RATIO = 0.01


# C0 control bytes that never occur in text (tab, LF, VT, FF, CR and ESC may).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\v\f\r\x1b")


_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)


def os_reason(exc: BaseException) -> str:
    """Why a file could not be read, for a person (and how to fix it)."""
    if isinstance(exc, PermissionError):
        return "permission denied: check the file's permissions"
    if isinstance(exc, IsADirectoryError):
        return "it is a folder, not a file"
    if isinstance(exc, FileNotFoundError):
        return "no such file (a broken symbolic link?): check the path"
    return getattr(exc, "strerror", None) or str(exc)


def size_reason(size: int | None, limit: int, what: str = "the file") -> str:
    """Why a file or line is refused for its size, and the option that raises the limit."""
    shown = f" ({size:,} bytes)" if size is not None else ""
    return (
        f"{what} is over the limit of {limit:,} bytes{shown}: if it really is one article, "
        "raise the limit with --max-bytes (ReadOptions.max_bytes)"
    )


def read_bytes(path: Path, max_bytes: int) -> bytes | str:
    """The whole file, or a reason (str) why it cannot be read."""
    if os.path.islink(path) and not path.exists():
        return f"broken symbolic link to {os.readlink(path)!r}: fix or remove the link"
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > max_bytes:
                return size_reason(size, max_bytes)
            data = f.read(max_bytes + 1)  # st_size can lie (special files): never read more
    except OSError as exc:
        return f"cannot read the file: {os_reason(exc)}"
    if len(data) > max_bytes:
        return size_reason(None, max_bytes)
    return data


def binary_reason(data: bytes) -> str | None:
    """Why ``data`` looks like a binary file, or None if it looks like text."""
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


BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


_UNDECODABLE = (
    "cannot decode the file: it is not UTF-8 and no other encoding fits; re-save it as UTF-8"
)


def decode_bytes(data: bytes) -> str | InputError | None:
    """Bytes → text (BOM stripped), or a reason (InputError with no origin) it cannot be.

    Returns ``None`` only for empty input.
    """
    if not data:
        return None
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                return InputError(
                    "", f"cannot decode the file as {encoding} (its byte-order mark): {exc.reason}"
                )
    reason = binary_reason(data)
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


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` as ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def utf8_reason(line: bytes, exc: UnicodeDecodeError) -> str:
    """Where a JSON line is not UTF-8, and how to re-encode it."""
    return (
        f"not valid UTF-8 (byte 0x{line[exc.start]:02x} at byte {exc.start + 1} of the line): "
        "JSON Lines must be UTF-8; re-encode the file, e.g. iconv -f WINDOWS-1252 -t UTF-8"
    )
