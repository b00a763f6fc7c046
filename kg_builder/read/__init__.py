"""Reading the input: files, folders, globs and stdin → :class:`~kg_builder.models.Article`.

A bad input is not an exception here: it comes out as an
:class:`~kg_builder.errors.InputError` value in the stream, naming the file (and line),
so the batch can go on.

* :mod:`~kg_builder.read.sources` — which files, in which order; dispatch by type
  (:func:`iter_input_files` lists them without reading, for a cluster's partitions)
* :mod:`~kg_builder.read.decode` — bytes → text (BOMs, UTF-16, detected encodings)
* :mod:`~kg_builder.read.formats` — ``.txt`` (+ sidecar), ``.html``, JSON Lines → articles
"""

from kg_builder.read.formats import LineRange
from kg_builder.read.options import ReadOptions
from kg_builder.read.sources import (
    ARTICLE_EXTENSIONS,
    STDIN,
    STDIN_NAME,
    is_jsonl,
    iter_articles,
    iter_input_files,
    read_file,
)

__all__ = [
    "ARTICLE_EXTENSIONS",
    "STDIN",
    "STDIN_NAME",
    "LineRange",
    "ReadOptions",
    "is_jsonl",
    "iter_articles",
    "iter_input_files",
    "read_file",
]
