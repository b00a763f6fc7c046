"""Robustness run: ingest a whole real corpus with the defaults, then validate the store.

    python benchmarks/corpus.py ../shared/corpus/opennews.jsonl.gz
    python benchmarks/corpus.py ../shared/corpus/opennews.jsonl.gz --limit 300 --store out/c

Ingests every document with the same defaults as ``kg-builder ingest`` (all usable
cores, 60 s budget per article and stage) and prints, as Markdown:

* documents stored / failed (each failure with its reason), and the wall time;
* the time per article in each stage (parse, extract, emit, validate, serialise):
  median, 99th percentile and maximum (stages done for a whole batch are shared out
  evenly among its articles; see ``kg_builder.pipeline.ArticleTiming``);
* the ten slowest documents, with the stage that took longest;
* peak resident memory of the parent (the store writer) and of the largest worker;
* ``kg-builder validate`` on the store afterwards: how many graphs conform (pyshacl).

The target (issue 9): every document stored, none failed, none over 5 s, every graph
conforms. Exit status 1 when a document failed or a graph does not conform.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kg_builder.pipeline import ArticleTiming, IngestOptions, ingest
from kg_builder.pipeline.worker import STAGES
from kg_builder.store.validate import validate_path


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _limited(corpus: Path, limit: int, folder: Path) -> Path:
    """The first ``limit`` lines of the corpus as a JSON Lines file in ``folder``."""
    out = folder / "corpus.jsonl"
    with gzip.open(corpus, "rt", encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        dst.writelines(itertools.islice(src, limit))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="JSON Lines (.jsonl or .jsonl.gz)")
    parser.add_argument("--store", type=Path, help="store folder (default: a temporary one)")
    parser.add_argument("--limit", type=int, help="only the first N documents")
    parser.add_argument("--jobs", type=int, help="worker processes (default: the usable cores)")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="kgb-corpus-"))
    store = args.store or work / "store"
    if args.store and store.exists():
        shutil.rmtree(store)
    source = _limited(args.corpus, args.limit, work) if args.limit else args.corpus
    options = IngestOptions(**({"jobs": args.jobs} if args.jobs else {}))
    timings: list[ArticleTiming] = []
    started = time.perf_counter()
    report = ingest([source], store, options, on_article=timings.append)
    wall = time.perf_counter() - started

    print(f"## Robustness run on {args.corpus.name}\n")
    print(f"- command: `python benchmarks/corpus.py {' '.join(sys.argv[1:])}`")
    print(
        f"- jobs: {options.jobs}, batch size {options.batch_size}, budget "
        f"{options.article_timeout:g} s per article and stage"
    )
    print(
        f"- documents stored: **{report.stored}**, failed: **{len(report.failed)}**, "
        f"warnings: {len(report.warnings)}; {report.triples:,} triples in {wall:.0f} s "
        f"({report.stored / wall:.1f} documents/s)"
    )
    for failure in report.failed:
        print(f"  - failed: {failure.origin}: {failure.reason.splitlines()[0]}")

    print("\n| stage | median ms | p99 ms | max ms |\n|---|---:|---:|---:|")
    per_stage = {s: [dict(t.seconds).get(s, 0.0) for t in timings] for s in STAGES[1:]}
    totals = [sum(v for _, v in t.seconds) for t in timings]
    for stage, values in [*per_stage.items(), ("all stages", totals)]:
        if values:
            print(
                f"| {stage} | {statistics.median(values) * 1000:.0f} | "
                f"{_percentile(values, 0.99) * 1000:.0f} | {max(values) * 1000:.0f} |"
            )

    print("\nTen slowest documents:\n\n| document | total s | slowest stage |\n|---|---:|---|")
    slowest = sorted(zip(totals, timings, strict=True), key=lambda p: (-p[0], p[1].article_id))
    for total, t in slowest[:10]:
        stage, secs = max(t.seconds, key=lambda p: p[1]) if t.seconds else ("-", 0.0)
        print(f"| {t.article_id} | {total:.2f} | {stage} ({secs:.2f} s) |")
    over = sum(total > 5 for total in totals)
    print(f"\nDocuments over 5 s in all: {over}")

    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"Peak resident memory: parent (store writer) {parent:.0f} MiB, "
        f"largest worker {worker:.0f} MiB"
    )

    started = time.perf_counter()
    reports = validate_path(store)
    conforming = sum(r.conforms for r in reports.values())
    print(
        f"`kg-builder validate` on the store: {conforming} of {len(reports)} graphs conform "
        f"({time.perf_counter() - started:.0f} s)"
    )
    if not args.store:
        shutil.rmtree(work, ignore_errors=True)
    print(
        json.dumps(
            {
                "stored": report.stored,
                "failed": len(report.failed),
                "over_5s": over,
                "conforming": conforming,
                "graphs": len(reports),
            }
        )
    )
    return 0 if not report.failed and conforming == len(reports) else 1


if __name__ == "__main__":
    sys.exit(main())
