"""Reading the input: files, folders, globs and stdin → :class:`~kg_builder.models.Article`.

A bad input is not an exception here: it comes out as an
:class:`~kg_builder.errors.InputError` value in the stream, naming the file (and line),
so the batch can go on.

* :mod:`~kg_builder.read.sources` — which files, in which order; dispatch by type
* :mod:`~kg_builder.read.decode` — bytes → text (BOMs, UTF-16, detected encodings)
* :mod:`~kg_builder.read.formats` — ``.txt`` (+ sidecar), ``.html``, JSON Lines → articles
"""

from kg_builder.read.options import ReadOptions
from kg_builder.read.sources import ARTICLE_EXTENSIONS, STDIN_NAME, iter_articles

__all__ = ["ARTICLE_EXTENSIONS", "STDIN_NAME", "ReadOptions", "iter_articles"]
