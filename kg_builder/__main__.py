"""Run ``python -m kg_builder``: the ``kg-builder`` command."""

from kg_builder.cli import app

app(prog_name="kg-builder")
