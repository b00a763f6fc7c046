"""Fixtures shared by the tests of the views: the sample article's store, and headless
Chromium to look at pictures and pages as a person would."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "tass-russia-nato-council.txt"


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory) -> Path:
    """A store holding the sample article, ingested by the real pipeline."""
    from kg_builder.pipeline import IngestOptions, ingest

    path = tmp_path_factory.mktemp("sample") / "store"
    report = ingest([str(SAMPLE)], path, IngestOptions(jobs=1))
    assert report.stored == 1 and not report.failed
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One headless Chromium for the session. Without Chromium the tests that need it
    are skipped, except in CI (the environment variable CI is set), where they fail:
    `make test` installs it."""
    from kg_builder.errors import ConfigError
    from kg_builder.view.browser import Browser

    try:
        chromium = Browser()
    except ConfigError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs Chromium for this test: {exc}")
        pytest.skip(f"no Chromium here: {exc}")
    try:
        yield chromium
    finally:
        chromium.close()
