"""Ingest throughput: the full pipeline against bare spaCy on the same real texts.

For each corpus size N (default 1,000 and 10,000) this draws N documents from the open
corpus (``../shared/corpus/opennews.jsonl.gz``, 2,624 real documents: a seeded shuffle,
cycled when N is larger, so every document appears N/2,624 times give or take one; ids
``{id}-{i}``), writes them as JSON Lines, and measures, alternately and ``--repeats``
times on the same machine:

(a) bare spaCy: ``load_nlp(model).pipe(texts, batch_size=B, n_process=jobs)`` in this
    process, model already loaded and warmed up (the floor any pipeline built on spaCy can
    reach);
(b) the full pipeline: ``kg-builder ingest corpus.jsonl --store FRESH --shacl-engine E``
    for each gate engine E of ``--engines`` (default: native, then pyshacl), otherwise
    with its defaults (``--jobs`` = the usable cores), as a subprocess, wall clock
    including start-up and model loading (what a user waits for).

It prints, per size and engine, the throughput ratio (b)/(a) in articles per second (1.0
= as fast as bare spaCy) of each repeat, and their minimum and median; articles/s of
both; triples stored; the peak RSS of (b); and its ratio to the smallest size's with the
same engine (the target: RSS at 10,000 at most 1.3 × RSS at 1,000); and the CPU ratio,
CPU seconds of (a) over those of (b), all processes counted, which other jobs on a shared
machine disturb far less than wall time. The engines run in alternating order. A second
table splits the CPU per article of (b) between its worker processes (parse, extract,
emit, gate) and its writer, the ``kg-builder`` process itself (start-up, reading, the store
loads with RocksDB's threads, the entity graph), next to bare spaCy's.

Peak RSS is ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` taken in a small wrapper process
around the CLI: the largest *single* process among the CLI (the store writer) and its
workers, not their sum.

The machine this runs on may be shared and noisy: the ratio is measured within one run,
(a) and (b) one after the other, and repeated; read the minimum and the median.

Usage::

    python benchmarks/ingest.py                          # N = 1000 and 10000, 2 repeats
    python benchmarks/ingest.py --sizes 200 --repeats 1  # smoke run
    python benchmarks/ingest.py --sizes 1000 --engines native        # one engine only
    python benchmarks/ingest.py --sizes 1000 -- --batch-size 16      # extra CLI options
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "opennews.jsonl.gz"
FIELDS = ("url", "source", "published", "title")

# Runs the command given as arguments and reports, on the last lines of stderr: the CPU
# seconds of the command itself (the store writer, all its threads) and of the children it
# waited for (the workers), read from /proc/PID/stat once it has exited and before it is
# reaped (Linux; "-1" elsewhere); the CPU seconds of the whole tree; and the peak RSS (KiB
# on Linux) of the tree's largest member.
_RSS_WRAPPER = """
import os, resource, subprocess, sys
proc = subprocess.Popen(sys.argv[1:])
own = kids = -1.0
try:
    os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
    with open(f"/proc/{proc.pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    own = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    kids = (int(fields[13]) + int(fields[14])) / tick  # cutime + cstime
except (AttributeError, OSError, ValueError, IndexError):
    pass
code = proc.wait()
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.write(f"\\n__split_cpu_seconds__ {own} {kids}\\n")
sys.stderr.write(f"\\n__cpu_seconds__ {usage.ru_utime + usage.ru_stime}\\n")
sys.stderr.write(f"\\n__peak_rss_kib__ {usage.ru_maxrss}\\n")
sys.exit(code)
"""


@dataclass
class Run:
    spacy_seconds: float
    pipeline_seconds: float
    peak_rss_kib: int | None
    exit_code: int
    triples: int | None
    spacy_cpu: float = 0.0
    pipeline_cpu: float = 0.0
    writer_cpu: float | None = None  # the CLI process itself: reading, store, entity graph
    workers_cpu: float | None = None  # its worker processes: parse, extract, emit, gate

    @property
    def ratio(self) -> float:
        """Throughput of (b) over throughput of (a)."""
        return self.spacy_seconds / self.pipeline_seconds

    @property
    def cpu_ratio(self) -> float:
        """CPU seconds of (a) over those of (b) (all their processes): less sensitive than
        wall time to other jobs on a shared machine."""
        return self.spacy_cpu / self.pipeline_cpu if self.pipeline_cpu else 0.0


@dataclass
class Row:
    size: int
    jobs: int
    engine: str
    runs: list[Run] = field(default_factory=list)


def usable_cores() -> int:
    try:
        import os

        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        import os

        return max(1, os.cpu_count() or 1)


def load_corpus(path: Path) -> list[dict]:
    """The corpus documents (id, text and metadata), in file order."""
    records = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            data = json.loads(line)
            if isinstance(data.get("text"), str) and data["text"].strip():
                records.append(
                    {"id": data["id"], "text": data["text"], **{k: data.get(k) for k in FIELDS}}
                )
    if not records:
        raise SystemExit(f"no documents with text in {path}")
    return records


def draw(records: list[dict], size: int, seed: int) -> list[dict]:
    """``size`` documents: a seeded shuffle of the corpus, cycled (with repetition)."""
    order = list(records)
    random.Random(seed).shuffle(order)
    return [order[i % len(order)] for i in range(size)]


def build_corpus(records: list[dict], size: int, path: Path, seed: int) -> list[str]:
    """Write ``size`` drawn documents (ids made unique) as JSON Lines; return the texts."""
    texts = []
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for i, record in enumerate(draw(records, size, seed)):
            line = {"id": f"{record['id']}-{i}", **{k: record[k] for k in FIELDS}}
            line["text"] = record["text"]
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
            texts.append(record["text"])
    return texts


def time_spacy(
    texts: list[str], model: str | None, jobs: int, batch_size: int
) -> tuple[float, float]:
    """Wall and CPU seconds (this process and its children) for bare ``nlp.pipe`` over
    ``texts`` (model loaded and warmed up first)."""
    from kg_builder.nlp.model import load_nlp

    nlp = load_nlp(model)
    list(nlp.pipe(texts[:2]))  # warm-up: lazy initialisation is not throughput
    cpu = _cpu()
    start = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=batch_size, n_process=jobs):
        pass
    return time.perf_counter() - start, _cpu() - cpu


def _cpu() -> float:
    import resource

    return sum(
        u.ru_utime + u.ru_stime
        for u in (
            resource.getrusage(resource.RUSAGE_SELF),
            resource.getrusage(resource.RUSAGE_CHILDREN),
        )
    )


def cli_command(explicit: str | None) -> list[str]:
    """How to run kg-builder: ``--cli``, else the script beside this Python, else PATH."""
    if explicit:
        return explicit.split()
    beside = Path(sys.executable).with_name("kg-builder")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("kg-builder")
    return [found] if found else [sys.executable, "-m", "kg_builder"]


def run_pipeline(cli: list[str], corpus: Path, store: Path, extra: list[str]) -> tuple:
    """Run ``kg-builder ingest`` once; return (seconds, exit code, peak RSS KiB, CPU seconds,
    (writer, workers) CPU seconds or None, stderr tail)."""
    cmd = [*cli, "ingest", str(corpus), "--store", str(store), *extra]
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _RSS_WRAPPER, *cmd], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    peak, cpu = None, 0.0
    lines = proc.stderr.rstrip().splitlines()
    if lines and lines[-1].startswith("__peak_rss_kib__"):
        peak = int(lines.pop().split()[1])
    while lines and not lines[-1].strip():
        lines.pop()
    if lines and lines[-1].startswith("__cpu_seconds__"):
        cpu = float(lines.pop().split()[1])
    while lines and not lines[-1].strip():
        lines.pop()
    split: tuple[float, float] | None = None
    if lines and lines[-1].startswith("__split_cpu_seconds__"):
        own, kids = map(float, lines.pop().split()[1:3])
        split = (own, kids) if own >= 0 else None
    return seconds, proc.returncode, peak, cpu, split, "\n".join(lines[-15:])


def ingest_once(cli: list[str], corpus: Path, store: Path, extra: list[str], engine: str) -> Run:
    """(b) once into a fresh store with the given SHACL engine (``spacy_seconds`` unset)."""
    shutil.rmtree(store, ignore_errors=True)
    print(f"(b) {' '.join(cli)} ingest --shacl-engine {engine} ...", file=sys.stderr, flush=True)
    seconds, code, peak, cpu, split, tail = run_pipeline(
        cli, corpus, store, [*extra, "--shacl-engine", engine]
    )
    if code not in (0, 3):
        print(f"kg-builder ingest exited {code}:\n{tail}", file=sys.stderr)
    run = Run(0.0, seconds, peak, code, count_triples(store), pipeline_cpu=cpu)
    if split is not None:
        run.writer_cpu, run.workers_cpu = split
    return run


def count_triples(store: Path) -> int | None:
    """Quads in the store (one named graph per article, so quads = triples)."""
    import pyoxigraph as ox

    if not store.exists():
        return None
    return len(ox.Store.read_only(str(store)))


def print_table(rows: list[Row]) -> None:
    print(
        "| articles | jobs | SHACL engine | ratio per repeat | min | median | CPU ratio | "
        "bare spaCy art/s | kg-builder art/s | triples | peak RSS MiB | RSS / smallest N |"
    )
    print("|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    base_rss: dict[str, float] = {}
    for r in rows:
        ratios = [run.ratio for run in r.runs]
        rss = max((run.peak_rss_kib or 0) for run in r.runs) / 1024
        base = base_rss.setdefault(r.engine, rss) or 1.0
        spacy = statistics.median(r.size / run.spacy_seconds for run in r.runs)
        pipeline = statistics.median(r.size / run.pipeline_seconds for run in r.runs)
        triples = r.runs[-1].triples
        print(
            f"| {r.size:,} | {r.jobs} | {r.engine} | {', '.join(f'{x:.2f}' for x in ratios)} | "
            f"{min(ratios):.2f} | {statistics.median(ratios):.2f} | "
            f"{statistics.median(run.cpu_ratio for run in r.runs):.2f} | {spacy:.1f} | "
            f"{pipeline:.1f} | {'-' if triples is None else f'{triples:,}'} | {rss:,.0f} | "
            f"{rss / base:.2f} |"
        )
    print(
        "\nratio = articles/s of `kg-builder ingest` (subprocess, wall clock incl. start-up and "
        "model loading) / articles/s of bare spaCy nlp.pipe(n_process=jobs) in-process, model "
        "loaded; 1.0 = as fast as bare spaCy.\nCPU ratio (median) = CPU seconds of bare spaCy "
        "(all processes) / CPU seconds of the whole ingest (all processes, start-up included)."
        "\nPeak RSS = largest single process of the "
        "ingest (ru_maxrss of children), over the repeats."
    )
    print_cpu_table(rows)


def print_cpu_table(rows: list[Row]) -> None:
    """Where the CPU goes, per article (medians over the repeats): bare spaCy against
    kg-builder's workers (parse, extract, emit, gate) and its writer (reading, store loads
    with RocksDB's background threads, the entity graph)."""
    split = [r for r in rows if any(run.writer_cpu is not None for run in r.runs)]
    if not split:
        return
    print(
        "\n| articles | SHACL engine | bare spaCy CPU ms/article | kg-builder CPU ms/article | "
        "workers | writer | writer µs/triple |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|")
    for r in split:
        runs = [run for run in r.runs if run.writer_cpu is not None]

        def ms(values: list[float], size: int = r.size) -> str:
            return f"{1000 * statistics.median(values) / size:.1f}"

        writer = [run.writer_cpu or 0.0 for run in runs]
        per_triple = [1e6 * (run.writer_cpu or 0.0) / run.triples for run in runs if run.triples]
        print(
            f"| {r.size:,} | {r.engine} | {ms([run.spacy_cpu for run in runs])} | "
            f"{ms([run.pipeline_cpu for run in runs])} | "
            f"{ms([run.workers_cpu or 0.0 for run in runs])} | {ms(writer)} | "
            f"{statistics.median(per_triple) if per_triple else 0:.1f} |"
        )
    print(
        "\nworkers = CPU of the worker processes, writer = CPU of the `kg-builder` process "
        "itself, all its threads (read from /proc/PID/stat as it exits; Linux only)."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1000, 10000], help="corpus sizes N"
    )
    parser.add_argument("--repeats", type=int, default=2, help="(a)/(b) pairs per size")
    parser.add_argument(
        "--jobs", type=int, default=usable_cores(), help="n_process of (a) [the usable cores]"
    )
    parser.add_argument("--model", default=None, help="spaCy model (default: kg-builder's default)")
    parser.add_argument("--batch-size", type=int, default=64, help="nlp.pipe batch size for (a)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="JSON Lines (.jsonl.gz)")
    parser.add_argument("--seed", type=int, default=13, help="seed of the draw")
    parser.add_argument("--workdir", type=Path, default=None, help="keep corpora and stores here")
    parser.add_argument(
        "--cli", default=None, help='command for kg-builder (e.g. "python -m kg_builder")'
    )
    parser.add_argument(
        "--engines",
        nargs="+",
        default=["native", "pyshacl"],
        choices=["native", "pyshacl"],
        help="SHACL gate engines to run (b) with, in this order, after each (a)",
    )
    parser.add_argument("extra", nargs="*", help="options passed on to kg-builder ingest")
    args = parser.parse_args(argv)
    if args.jobs < 1 or args.repeats < 1 or any(n < 1 for n in args.sizes):
        parser.error("--jobs, --repeats and --sizes must be positive")
    extra = list(args.extra)
    if args.model:
        extra += ["--model", args.model]

    records = load_corpus(args.corpus)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kgb-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    cli = cli_command(args.cli)
    rows: list[Row] = []
    failed = False
    try:
        for size in args.sizes:
            by_engine = {e: Row(size=size, jobs=args.jobs, engine=e) for e in args.engines}
            corpus = workdir / f"corpus-{size}.jsonl"
            texts = build_corpus(records, size, corpus, args.seed)
            for repeat in range(args.repeats):
                note = f"N={size} repeat {repeat + 1}/{args.repeats}"
                print(f"{note}: (a) bare spaCy ...", file=sys.stderr, flush=True)
                spacy_seconds, spacy_cpu = time_spacy(texts, args.model, args.jobs, args.batch_size)
                # alternate the engines' order, so neither always runs right after (a)
                order = list(by_engine.items())[:: -1 if repeat % 2 else 1]
                for engine, row in order:
                    run = ingest_once(cli, corpus, workdir / f"store-{size}", extra, engine)
                    run.spacy_seconds, run.spacy_cpu = spacy_seconds, spacy_cpu
                    failed |= run.exit_code not in (0, 3)
                    print(f"{note} {engine}: ratio {run.ratio:.2f}", file=sys.stderr, flush=True)
                    row.runs.append(run)
            rows += by_engine.values()
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print_table(rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
