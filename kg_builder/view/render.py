"""The HTML templates of the views (``kg_builder/view/templates/``), rendered with Jinja2.

Autoescaping is on: every value from the graph is text, never markup.
"""

from __future__ import annotations

import functools
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from kg_builder import __version__
from kg_builder.errors import ConfigError


@functools.cache
def environment() -> Environment:
    """The Jinja2 environment over the package's templates (built once)."""
    return Environment(
        loader=PackageLoader("kg_builder.view", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=True,
        trim_blocks=False,
    )


def render(template: str, **context: object) -> str:
    """Render ``templates/TEMPLATE`` with ``context`` (and ``version``)."""
    return environment().get_template(template).render(version=__version__, **context)


def write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` as UTF-8 to ``path`` (creating its folder); returns the path.

    Raises:
        ConfigError: the file cannot be written (a bad ``--output``).
    """
    out = Path(path)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write {out}: {exc.strerror or exc}") from None
    return out
