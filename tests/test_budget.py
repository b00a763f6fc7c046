"""One article never stops a run: over its time budget, stuck or crashing, it fails alone.

The misbehaving stages run inside real worker processes (``tests/slow_stages.py``); the
tests themselves do not sleep.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg_builder.models import Article
from kg_builder.nlp import load_nlp
from kg_builder.pipeline import IngestOptions, ingest
from kg_builder.pipeline.pool import Lost, Task
from kg_builder.pipeline.run import IngestRun
from kg_builder.pipeline.worker import WHOLE_BATCH
from kg_builder.store import graph_counts, open_store

TEXTS = [
    "Kenya urged Uganda to reopen the border on Monday.",
    "Chile and Peru held talks in Lima on Tuesday.",
    "Norway called on Iceland to release the fishermen.",
    "Ghana and Togo signed a trade agreement in Accra.",
    "Portugal asked Spain to share the river data.",
]


def _corpus(tmp_path: Path, marker: str, bad: int = 2) -> Path:
    records = [
        {"id": f"a{i}", "text": (f"{marker} " if i == bad else "") + text}
        for i, text in enumerate(TEXTS)
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return src


def _stored_ids(store: Path) -> list[str]:
    graphs = graph_counts(open_store(store, read_only=True))
    return sorted(g.rsplit("/", 1)[-1] for g in graphs if "/article/" in g)


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize(
    ("extractor", "marker", "expected"),
    [
        ("slow_stages:spins", "SPIN", "over the --article-timeout budget"),
        ("slow_stages:blocks_the_timer", "STUCK", "stopped and replaced"),
        ("slow_stages:crashes", "CRASH", "worker process died (signal 9)"),
    ],
)
def test_a_misbehaving_article_fails_alone_and_the_run_goes_on(
    tmp_path: Path, jobs: int, extractor: str, marker: str, expected: str
) -> None:
    src = _corpus(tmp_path, marker)
    options = IngestOptions(jobs=jobs, batch_size=5, article_timeout=1, extractor=extractor)
    report = ingest([src], tmp_path / "store", options)

    assert report.stored == 4 and not report.interrupted
    (failure,) = report.failed
    assert failure.origin == f"{src}:3"
    assert "'a2'" in failure.reason and "'extract'" in failure.reason
    assert expected in failure.reason and "Please report" in failure.reason
    assert _stored_ids(tmp_path / "store") == ["a0", "a1", "a3", "a4"]


@pytest.mark.slow
def test_budget_off_still_survives_a_crash(tmp_path: Path) -> None:
    src = _corpus(tmp_path, "CRASH", bad=0)
    options = IngestOptions(
        jobs=1, batch_size=2, article_timeout=0, extractor="slow_stages:crashes"
    )
    report = ingest([src], tmp_path / "store", options)
    assert report.stored == 4 and len(report.failed) == 1
    assert _stored_ids(tmp_path / "store") == ["a1", "a2", "a3", "a4"]


@pytest.mark.slow
def test_a_writer_that_freed_its_model_still_replaces_a_crashed_worker(tmp_path: Path) -> None:
    # What the CLI does: the writer frees its model once the workers have it; the worker
    # that replaces the crashed one is started without it and loads it itself.
    src = _corpus(tmp_path, "CRASH", bad=0)
    options = IngestOptions(
        jobs=1, batch_size=2, article_timeout=0, extractor="slow_stages:crashes"
    )
    report = ingest([src], tmp_path / "store", options, keep_model=False)
    assert load_nlp.cache_info().currsize == 0
    assert report.stored == 4 and len(report.failed) == 1
    assert _stored_ids(tmp_path / "store") == ["a1", "a2", "a3", "a4"]

    ingest([src], tmp_path / "again", options)  # by default the model stays for the next run
    assert load_nlp.cache_info().currsize == 1


def test_a_batch_lost_in_a_batch_wide_stage_is_retried_article_by_article(tmp_path) -> None:
    run = IngestRun([], tmp_path / "store", IngestOptions(jobs=1))
    articles = [Article(id=f"x{i}", text="t") for i in range(3)]
    task = Task(0, list(enumerate(articles)))
    run._recover(Lost(task, WHOLE_BATCH, "parse", 9.0, "its worker process died (signal 9)"))
    retried = list(run._retry)
    assert [t.items for t in retried] == [
        [(0, articles[0])],
        [(1, articles[1])],
        [(2, articles[2])],
    ]
    assert all(t.alone and t.seq == 0 for t in retried)
