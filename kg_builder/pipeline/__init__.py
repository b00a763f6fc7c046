"""The run: read → parse → extract → emit → validate → store, with a report.

Reads sources (files, folders, globs, stdin); produces stored article graphs and an
:class:`IngestReport` (counts, failures with reasons, warnings, time).
"""

from kg_builder.pipeline.run import Failure, IngestOptions, IngestReport, check_options, ingest

__all__ = ["Failure", "IngestOptions", "IngestReport", "check_options", "ingest"]
