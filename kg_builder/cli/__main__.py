"""``python -m kg_builder.cli``: the ``kg-builder`` command, as ``python -m kg_builder``."""

from kg_builder.cli import app

if __name__ == "__main__":  # pragma: no cover
    app()
