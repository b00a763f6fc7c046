"""The run: read → parse → extract → emit → validate → store, with a report.

Reads sources (files, folders, globs, stdin); produces stored article graphs and an
:class:`IngestReport` (counts, failures with reasons, warnings, time).

* :mod:`~kg_builder.pipeline.options` — :class:`IngestOptions`, checked before any work
* :mod:`~kg_builder.pipeline.worker` — what a worker process does with a batch, within
  the per-article time budget
* :mod:`~kg_builder.pipeline.pool` — supervised worker processes, replaced when stuck or dead
* :mod:`~kg_builder.pipeline.run` — :func:`ingest`: the run, written in input order
* :mod:`~kg_builder.pipeline.partitions` — the input cut into partitions for a cluster; the
  work on one partition with one supervised process
* :mod:`~kg_builder.pipeline.cluster` — ``ingest_cluster``: the run on a Dask cluster, into
  the store or into N-Quads shards (imported on demand: it needs ``kg-builder[cluster]``)
"""

from kg_builder.pipeline.options import IngestOptions, check_options, usable_cores
from kg_builder.pipeline.report import ArticleTiming, Failure, IngestReport
from kg_builder.pipeline.run import ingest

__all__ = [
    "ArticleTiming",
    "Failure",
    "IngestOptions",
    "IngestReport",
    "check_options",
    "ingest",
    "usable_cores",
]
