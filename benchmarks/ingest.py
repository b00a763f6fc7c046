"""Ingest throughput: the full pipeline against bare spaCy on the same texts.

For each corpus size N (default 1000 and 10000) this builds a JSON Lines corpus of N
articles from the real texts of the dev set (``/work/shared/eval/dev/*.json``, cycled, ids
``{id}-{i}``) and measures

(a) bare spaCy: ``load_nlp(model).pipe(texts, batch_size=B, n_process=jobs)`` in this
    process, model already loaded (the floor any pipeline built on spaCy can reach);
(b) the full pipeline: ``kg-builder ingest corpus.jsonl --store FRESH --jobs J`` as a
    subprocess, wall clock including start-up and model loading (what a user waits for).

It prints articles/s of both, the slowdown time(b)/time(a), triples stored (counted with
pyoxigraph afterwards) and triples/s, and the peak RSS of (b).

Peak RSS is ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` taken in a small wrapper process
around the CLI, so earlier runs (and spaCy's own worker processes in (a)) do not leak into
it. It is the largest *single* process among the CLI and its workers, not their sum: with
``--jobs J`` the machine needs up to about J times that.

Usage::

    python benchmarks/ingest.py                        # N = 1000 and 10000, --jobs 1
    python benchmarks/ingest.py --sizes 50 --jobs 2    # smoke run
    python benchmarks/ingest.py --sizes 1000 --skip-pipeline   # only (a)
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

DEV = Path("/work/shared/eval/dev")
FIELDS = ("url", "source", "published", "title")

# Runs the command given as arguments and reports the peak RSS (KiB on Linux) of its
# process tree's largest member on the last line of stderr.
_RSS_WRAPPER = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[1:])
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stderr.write(f"\\n__peak_rss_kib__ {peak}\\n")
sys.exit(code)
"""


@dataclass
class Row:
    size: int
    jobs: int
    spacy_seconds: float | None = None
    pipeline_seconds: float | None = None
    triples: int | None = None
    peak_rss_kib: int | None = None
    exit_code: int | None = None


def load_dev_articles(dev: Path) -> list[dict]:
    """The dev articles (id, text and metadata), sorted by file name."""
    records = []
    for path in sorted(dev.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data.get("text"), str) and data["text"].strip():
            records.append(
                {"id": data["id"], "text": data["text"], **{k: data.get(k) for k in FIELDS}}
            )
    if not records:
        raise SystemExit(f"no articles with text in {dev}/*.json")
    return records


def build_corpus(dev_articles: list[dict], size: int, path: Path) -> list[str]:
    """Write ``size`` articles (texts cycled, ids varied) as JSON Lines; return the texts."""
    texts = []
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for i, record in zip(range(size), itertools.cycle(dev_articles), strict=False):
            line = {"id": f"{record['id']}-{i}", **{k: record[k] for k in FIELDS}}
            line["text"] = record["text"]
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
            texts.append(record["text"])
    return texts


def time_spacy(texts: list[str], model: str | None, jobs: int, batch_size: int) -> float:
    """Seconds for bare ``nlp.pipe`` over ``texts`` (model loaded and warmed up first)."""
    from kg_builder.nlp.model import load_nlp

    nlp = load_nlp(model)
    list(nlp.pipe(texts[:2]))  # warm-up: lazy initialisation is not throughput
    start = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=batch_size, n_process=jobs):
        pass
    return time.perf_counter() - start


def cli_command(explicit: str | None) -> list[str]:
    """How to run kg-builder: ``--cli``, else the script beside this Python, else PATH."""
    if explicit:
        return explicit.split()
    beside = Path(sys.executable).with_name("kg-builder")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("kg-builder")
    return [found] if found else [sys.executable, "-m", "kg_builder"]


def run_pipeline(
    cli: list[str], corpus: Path, store: Path, jobs: int, model: str | None
) -> tuple[float, int, int | None, str]:
    """Run ``kg-builder ingest`` once; return (seconds, exit code, peak RSS KiB, stderr tail)."""
    cmd = [*cli, "ingest", str(corpus), "--store", str(store), "--jobs", str(jobs)]
    if model:
        cmd += ["--model", model]
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _RSS_WRAPPER, *cmd], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    peak = None
    lines = proc.stderr.rstrip().splitlines()
    if lines and lines[-1].startswith("__peak_rss_kib__"):
        peak = int(lines.pop().split()[1])
    return seconds, proc.returncode, peak, "\n".join(lines[-15:])


def count_triples(store: Path) -> int | None:
    """Quads in the store (one named graph per article, so quads = triples)."""
    import pyoxigraph as ox

    if not store.exists():
        return None
    return len(ox.Store.read_only(str(store)))


def _rate(count: int | None, seconds: float | None) -> str:
    if count is None or not seconds:
        return "-"
    return f"{count / seconds:,.1f}"


def print_table(rows: list[Row]) -> None:
    head = (
        "N",
        "jobs",
        "spaCy art/s",
        "pipeline art/s",
        "time ratio (b)/(a)",
        "triples",
        "triples/s",
        "peak RSS (b) MiB",
        "exit",
    )
    body = []
    for r in rows:
        ratio = "-"
        if r.spacy_seconds and r.pipeline_seconds:
            ratio = f"{r.pipeline_seconds / r.spacy_seconds:.2f}x"
        body.append(
            (
                f"{r.size:,}",
                str(r.jobs),
                _rate(r.size, r.spacy_seconds),
                _rate(r.size, r.pipeline_seconds),
                ratio,
                "-" if r.triples is None else f"{r.triples:,}",
                _rate(r.triples, r.pipeline_seconds),
                "-" if r.peak_rss_kib is None else f"{r.peak_rss_kib / 1024:,.0f}",
                "-" if r.exit_code is None else str(r.exit_code),
            )
        )
    widths = [max(len(row[i]) for row in (head, *body)) for i in range(len(head))]
    for row in (head, tuple("-" * w for w in widths), *body):
        print("  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)))
    print(
        "\n(a) = bare spaCy nlp.pipe in-process, model loaded; (b) = `kg-builder ingest` "
        "subprocess, wall clock incl. start-up and model loading.\n"
        "Peak RSS = largest single process of (b) (ru_maxrss of children); "
        "with --jobs J the total can reach about J times that.\n"
        "Exit 3 from (b) = some articles failed (named on its stderr); triples are still counted."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1000, 10000], help="corpus sizes N"
    )
    parser.add_argument("--jobs", type=int, default=1, help="worker processes for (a) and (b)")
    parser.add_argument("--model", default=None, help="spaCy model (default: kg-builder's default)")
    parser.add_argument("--batch-size", type=int, default=64, help="nlp.pipe batch size for (a)")
    parser.add_argument(
        "--dev", type=Path, default=DEV, help="folder of dev-set article .json files"
    )
    parser.add_argument("--workdir", type=Path, default=None, help="keep corpora and stores here")
    parser.add_argument(
        "--cli", default=None, help='command for kg-builder (e.g. "python -m kg_builder")'
    )
    parser.add_argument("--skip-pipeline", action="store_true", help="time only (a), bare spaCy")
    args = parser.parse_args(argv)
    if args.jobs < 1 or any(n < 1 for n in args.sizes):
        parser.error("--jobs and --sizes must be positive")

    dev_articles = load_dev_articles(args.dev)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kgb-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    cli = cli_command(args.cli)
    rows: list[Row] = []
    failed = False
    try:
        for size in args.sizes:
            row = Row(size=size, jobs=args.jobs)
            corpus = workdir / f"corpus-{size}.jsonl"
            texts = build_corpus(dev_articles, size, corpus)
            print(f"N={size}: (a) bare spaCy ...", file=sys.stderr, flush=True)
            row.spacy_seconds = time_spacy(texts, args.model, args.jobs, args.batch_size)
            del texts
            if not args.skip_pipeline:
                store = workdir / f"store-{size}-j{args.jobs}"
                shutil.rmtree(store, ignore_errors=True)  # a fresh store every run
                print(f"N={size}: (b) {' '.join(cli)} ingest ...", file=sys.stderr, flush=True)
                seconds, code, peak, tail = run_pipeline(cli, corpus, store, args.jobs, args.model)
                row.pipeline_seconds, row.exit_code, row.peak_rss_kib = seconds, code, peak
                if code not in (0, 3):
                    failed = True
                    print(f"kg-builder ingest exited {code}:\n{tail}", file=sys.stderr)
                else:
                    row.triples = count_triples(store)
            rows.append(row)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print_table(rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
