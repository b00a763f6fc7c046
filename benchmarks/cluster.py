"""Cluster ingest against a local one on this machine: articles/s and the overhead.

Takes the first N articles of the open corpus (``../shared/corpus/opennews.jsonl.gz``) and
times, as a user waits for them (the CLI in a subprocess, start-up included):

* ``kg-builder ingest CORPUS --store S --jobs 2`` (the local run);
* ``kg-builder ingest CORPUS --cluster local:1 --shards D`` (one Dask worker);
* ``kg-builder ingest CORPUS --cluster local:2 --shards D`` (two Dask workers);
* ``kg-builder ingest CORPUS --cluster local:2 --store S`` (two Dask workers, the client
  writes the store and its entity graph, as the local run does);

each on N articles and on a tiny input (4 articles) that measures the fixed start-up (model
loading, the cluster's processes); then ``kg-builder load D --store S2`` of the two-worker
shards (article graphs and entity graph). It prints a Markdown table: seconds, articles/s
overall, articles/s after start-up ((N - 4) / (t_N - t_4)), and the overhead of each run
against the local ``--jobs 2`` run. A shard run's time includes deriving the entity graph
on the client (``derived.nq.gz``). The machine is shared: compare ratios of one run, not
absolutes.

Last, it compares the stores graph for graph: the local run's, the one the cluster's client
wrote, and the one loaded from the shards must hold the same named graphs, triple for
triple (article graphs, entity graph, ontology graph); it prints what differs, if anything.

Usage::

    python benchmarks/cluster.py                 # N = 800, partitions of 40
    python benchmarks/cluster.py --size 100      # smoke run
    python benchmarks/cluster.py --quick         # without the --store run and the comparison
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "opennews.jsonl.gz"
SMALL = 4


def take(corpus: Path, n: int, out: Path) -> Path:
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        out.write_text("".join(itertools.islice(f, n)), encoding="utf-8")
    return out


def cli() -> list[str]:
    beside = Path(sys.executable).with_name("kg-builder")
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "kg_builder"]


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run([*cli(), *args], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds


RUNS = {
    "local `--jobs 2`": lambda src, out, p: ["--store", str(out), "--jobs", "2"],
    "`--cluster local:1`": lambda src, out, p: [
        "--cluster",
        "local:1",
        "--shards",
        str(out),
        "--partition-size",
        str(p),
    ],
    "`--cluster local:2`": lambda src, out, p: [
        "--cluster",
        "local:2",
        "--shards",
        str(out),
        "--partition-size",
        str(p),
    ],
    "`--cluster local:2 --store`": lambda src, out, p: [
        "--cluster",
        "local:2",
        "--store",
        str(out),
        "--partition-size",
        str(p),
    ],
}
#: The run whose shards are loaded afterwards.
LOADED = "`--cluster local:2`"


def graphs(store: Path) -> dict[str, set[str]]:
    """Every named graph of a store: its quads as N-Quads lines."""
    import pyoxigraph as ox

    found: dict[str, set[str]] = {}
    for quad in ox.Store.read_only(str(store)):
        found.setdefault(str(quad.graph_name), set()).add(str(quad))
    return found


def compare(local: Path, others: dict[str, Path]) -> str:
    """Say whether each store in ``others`` holds the graphs of ``local`` exactly."""
    mine = graphs(local)
    lines = []
    for name, path in others.items():
        theirs = graphs(path)
        differ = sorted(g for g in mine.keys() | theirs.keys() if mine.get(g) != theirs.get(g))
        quads = sum(len(q) for q in mine.values())
        verdict = "the same" if not differ else f"DIFFERENT in {len(differ)}: {differ[:5]}"
        lines.append(
            f"{name} vs local `--jobs 2`: {len(theirs)} named graphs, "
            f"{sum(len(q) for q in theirs.values())} quads (local {len(mine)}, {quads}): {verdict}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=800)
    parser.add_argument("--partition-size", type=int, default=40)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="leave out the --cluster local:2 --store run and the comparison of the stores",
    )
    args = parser.parse_args()
    runs = {k: v for k, v in RUNS.items() if not (args.quick and k.endswith("--store`"))}
    tmp = Path(tempfile.mkdtemp(prefix="kg-cluster-bench-"))
    try:
        big = take(args.corpus, args.size, tmp / "big.jsonl")
        small = take(args.corpus, SMALL, tmp / "small.jsonl")
        rows = []
        load = 0.0
        for name, options in runs.items():
            seconds = {}
            for label, src in (("small", small), ("big", big)):
                out = tmp / f"out-{len(rows)}-{label}"
                seconds[label] = timed(
                    ["ingest", str(src), *options(src, out, args.partition_size)]
                )
                print(f"{name} {label}: {seconds[label]:.1f} s", file=sys.stderr)
            rows.append((name, seconds["big"], seconds["small"]))
            if name == LOADED:
                shards = tmp / f"out-{len(rows) - 1}-big"
                load = timed(["load", str(shards), "--store", str(tmp / "loaded")])
                print(f"load: {load:.1f} s", file=sys.stderr)
        base = rows[0][1]
        print(f"\n{args.size} articles of the open corpus, partitions of {args.partition_size}:\n")
        print(
            "| run | seconds | articles/s | articles/s after start-up | start-up (s) "
            "| vs local `--jobs 2` |"
        )
        print("|---|---|---|---|---|---|")
        for name, big_s, small_s in rows:
            steady = (args.size - SMALL) / (big_s - small_s)
            print(
                f"| {name} | {big_s:.1f} | {args.size / big_s:.1f} | {steady:.1f} | "
                f"{small_s:.1f} | {100 * (big_s / base - 1):+.0f} % |"
            )
        print(
            f"\n`kg-builder load` of the {LOADED} shards: {load:.1f} s "
            f"({100 * load / base:.0f} % of the local run)\n"
        )
        names = list(RUNS)
        if args.quick:
            return
        print(
            compare(
                tmp / "out-0-big",
                {
                    "`load` of the local:2 shards": tmp / "loaded",
                    names[3]: tmp / "out-3-big",
                },
            )
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
