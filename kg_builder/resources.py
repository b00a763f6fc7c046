"""Where the shipped ontology, shapes and queries live, installed or in a checkout.

In a wheel they are installed as ``kg_builder/ontology`` and ``kg_builder/queries``
(see ``pyproject.toml``); in a source checkout (and an editable install) they are the
top-level ``ontology/`` and ``queries/`` folders. Nobody keeps copies by hand.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"kg-builder's {name}/ folder is missing from the installation")


def ontology_dir() -> Path:
    """The folder that holds ``kg-builder.ttl``, ``shapes.ttl`` and ``examples/``."""
    return _find("ontology")


def ontology_file() -> Path:
    """The shipped ontology, ``kg-builder.ttl``."""
    return ontology_dir() / "kg-builder.ttl"


def shapes_file() -> Path:
    """The shipped SHACL shapes, ``shapes.ttl``."""
    return ontology_dir() / "shapes.ttl"


def queries_dir() -> Path:
    """The folder of the shipped competency queries (``*.rq``)."""
    return _find("queries")


def shipped_queries() -> dict[str, Path]:
    """Shipped queries by name (file stem), sorted."""
    return {p.stem: p for p in sorted(queries_dir().glob("*.rq"))}
