"""The run on a real Dask LocalCluster (2 worker processes): same graphs as a local run.

Shards, the store, reruns, a crashing article, and a Dask worker killed mid-run. The
misbehaving extractors are in ``tests/slow_stages.py``; the kill is sent by the test once
the article it waits on shows that its worker is busy (no sleeping on a guess).
"""

from __future__ import annotations

import concurrent.futures
import gzip
import json
import os
import re
import signal
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import dask
import pytest
from distributed import LocalCluster
from oxigraph_server import OxigraphServer

from kg_builder.models import Article
from kg_builder.pipeline import IngestOptions, ingest
from kg_builder.pipeline.cluster import ClusterReport, ingest_cluster
from kg_builder.rdf.iris import IriMinter
from kg_builder.read import iter_articles
from kg_builder.remote.endpoint import EndpointConfig
from kg_builder.remote.push import push_shards
from kg_builder.store import export, open_store
from kg_builder.store.ontology import ONTOLOGY_GRAPH
from kg_builder.store.shards import MANIFEST, load_shards, read_derived, read_shards

pytestmark = pytest.mark.slow

ENTITIES = IriMinter(IngestOptions().base).entity_graph()

TEXTS = [
    "Kenya urged Uganda to reopen the border on Monday.",
    "Chile and Peru held talks in Lima on Tuesday.",
    "Norway called on Iceland to release the fishermen.",
    "Ghana and Togo signed a trade agreement in Accra.",
    "Portugal asked Spain to share the river data.",
    "The foreign minister of Nepal met his counterpart from Bhutan in Thimphu.",
    "Mongolia demanded that Kazakhstan return the seized trucks.",
    "Fiji and Samoa agreed to extend the fisheries accord until 2030.",
    "Estonia urged Latvia to coordinate the new rail timetable.",
    "Bolivia and Paraguay held a summit in Asuncion on Friday.",
]


def _write_corpus(folder: Path, marker: str = "", marked: int = 6) -> list[Path]:
    """Two JSON Lines files and two text files: a bad line, an id twice (in two places)."""
    records = [
        {"id": f"n{i}", "text": (f"{marker} " if marker and i == marked else "") + text}
        for i, text in enumerate(TEXTS)
    ]
    first = folder / "a.jsonl"
    lines = [json.dumps(r) for r in records[:6]]
    lines.insert(3, '{"id": "broken", "text": ')  # line 4: not JSON
    first.write_text("\n".join(lines) + "\n", encoding="utf-8")
    second = folder / "b.jsonl.gz"
    again = {"id": "n1", "text": "Malta asked Cyprus to open the port to the ferry."}
    with gzip.open(second, "wt", encoding="utf-8") as f:
        f.writelines(json.dumps(r) + "\n" for r in [*records[6:], again])
    texts = folder / "texts"
    texts.mkdir()
    (texts / "t1.txt").write_text("Austria urged Hungary to cut the tariffs.", encoding="utf-8")
    (texts / "t2.txt").write_text("Oman and Qatar met in Doha on Sunday.", encoding="utf-8")
    return [first, second, texts]


def _nquads(store: Path) -> list[str]:
    out = store.parent / f"{store.name}.nq"
    export(open_store(store, read_only=True), "nquads", out)
    return sorted(out.read_text(encoding="utf-8").splitlines())


def _graphs(store: Path) -> dict[str, list[str]]:
    """Every named graph of a store, as its sorted N-Quads lines (the whole store)."""
    graphs: dict[str, list[str]] = {}
    for line in _nquads(store):
        graphs.setdefault(line.rsplit(" ", 2)[-2], []).append(line)
    return graphs


def _same_graphs(store: Path, local_store: Path) -> dict[str, list[str]]:
    """Assert two stores hold the same named graphs, triple for triple; return them."""
    mine, local = _graphs(store), _graphs(local_store)
    assert sorted(mine) == sorted(local)
    for graph, lines in local.items():
        assert mine[graph] == lines, graph
    # Not vacuous: the articles share entities, so the entity graph has descriptions.
    assert f"<{ENTITIES}>" in local and len(local[f"<{ENTITIES}>"]) > 20
    assert f"<{ONTOLOGY_GRAPH}>" in local
    return local


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A LocalCluster of 2 worker processes (as `--cluster local:2` starts one)."""
    with (
        dask.config.set({"distributed.worker.daemon": False}),
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
    ):
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    return _write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def crash_corpus(tmp_path_factory) -> list[Path]:
    return _write_corpus(tmp_path_factory.mktemp("crash"), marker="CRASH", marked=2)


OPTIONS = IngestOptions(jobs=2, batch_size=2, article_timeout=30)
CRASHES = IngestOptions(jobs=2, batch_size=2, article_timeout=30, extractor="slow_stages:crashes")


@pytest.fixture(scope="module")
def local_crash_run(crash_corpus, tmp_path_factory):
    store = tmp_path_factory.mktemp("local") / "store"
    return ingest(crash_corpus, store, CRASHES), store


def _problems(report) -> tuple[set, set]:
    return {(f.origin, f.reason) for f in report.failed}, set(report.warnings)


def test_shards_loaded_give_the_graphs_of_a_local_ingest(
    scheduler, crash_corpus, local_crash_run, tmp_path
) -> None:
    local, local_store = local_crash_run
    result = ingest_cluster(
        crash_corpus, CRASHES, cluster=scheduler, shards=tmp_path / "shards", partition_size=3
    )
    report = result.report
    assert result.complete and result.partitions_lost == 0
    assert result.partitions_run == result.cluster.partitions == 6  # 3 + 2 + 1 (2 texts)
    assert report.stored == local.stored == 12 and report.triples == local.triples
    assert _problems(report) == _problems(local)
    (crash,) = [f for f in report.failed if "CRASH" in f.reason or "died" in f.reason]
    assert crash.origin.endswith("a.jsonl:3") and "signal 9" in crash.reason
    assert any(
        f.origin.endswith("a.jsonl:4") and "not valid JSON" in f.reason for f in report.failed
    )
    assert any("'n1'" in w and "the later one wins" in w for w in report.warnings)

    loaded = load_shards(tmp_path / "shards", tmp_path / "store")
    assert loaded.graphs == 11  # n1 twice: the later one only
    graphs = _same_graphs(tmp_path / "store", local_store)
    # The folder's derived graphs are the local store's entity and ontology graphs.
    derived = read_derived(tmp_path / "shards")
    assert derived is not None
    assert sorted(derived.decode("utf-8").splitlines()) == sorted(
        graphs[f"<{ENTITIES}>"] + graphs[f"<{ONTOLOGY_GRAPH}>"]
    )

    # push DIR sends every graph the local store has, the entity graph as it is there.
    with OxigraphServer(tmp_path / "remote") as server:
        pushed = push_shards(tmp_path / "shards", EndpointConfig.from_url(server.url))
        assert pushed.complete and sorted(pushed.graphs_pushed) == sorted(g[1:-1] for g in graphs)
        remote = _construct(server.url, ENTITIES)
    assert remote == sorted(line.rsplit(" ", 2)[0] + " ." for line in graphs[f"<{ENTITIES}>"])
    _, shards = read_shards(tmp_path / "shards")
    assert sum(1 for s in shards for a in s.articles if a.id == "n1" and a.status == "stored") == 1


def _construct(url: str, graph: str) -> list[str]:
    """The triples of one graph on a SPARQL server, as sorted N-Triples lines."""
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    request = urllib.request.Request(
        f"{url}/query?" + urllib.parse.urlencode({"query": query}),
        headers={"Accept": "application/n-triples"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return sorted(response.read().decode("utf-8").splitlines())


def test_each_shard_is_sorted_and_checksummed(scheduler, corpus, tmp_path) -> None:
    result = ingest_cluster(
        corpus, OPTIONS, cluster=scheduler, shards=tmp_path / "shards", partition_size=4
    )
    assert result.complete
    manifest = json.loads((tmp_path / "shards" / MANIFEST).read_text())
    _, shards = read_shards(tmp_path / "shards")
    assert [s["name"] for s in manifest["shards"]] == [s.name for s in shards]
    for shard in shards:
        lines = gzip.decompress((tmp_path / "shards" / shard.file).read_bytes()).splitlines()
        assert lines == sorted(lines) and len(lines) == shard.quads
        assert {line.rsplit(b" ", 2)[-2].decode()[1:-1] for line in lines} == set(shard.graphs)

    # A rerun on the finished folder does no work: no cluster, no file touched.
    stamps = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "shards").iterdir()}
    again = ingest_cluster(
        corpus, OPTIONS, cluster="tcp://127.0.0.1:1", shards=tmp_path / "shards", partition_size=4
    )
    assert again.cluster is None and again.partitions_run == 0 and again.complete
    assert again.report.stored == result.report.stored
    assert _problems(again.report) == _problems(result.report)
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "shards").iterdir()} == stamps

    # A damaged shard is done again, and only that one.
    damaged = tmp_path / "shards" / shards[1].file
    damaged.write_bytes(damaged.read_bytes()[:-10])
    fixed = ingest_cluster(
        corpus, OPTIONS, cluster=scheduler, shards=tmp_path / "shards", partition_size=4
    )
    assert fixed.partitions_run == 1 and fixed.cluster.skipped == len(shards) - 1
    assert fixed.complete and read_shards(tmp_path / "shards")[1][1].sha256 == shards[1].sha256


def test_the_store_written_by_the_client_equals_a_local_ingest(
    scheduler, crash_corpus, local_crash_run, tmp_path
) -> None:
    local, local_store = local_crash_run
    result = ingest_cluster(
        crash_corpus, CRASHES, cluster=scheduler, store=tmp_path / "store", partition_size=4
    )
    assert result.complete and result.report.stored == local.stored
    assert _problems(result.report) == _problems(local)
    _same_graphs(tmp_path / "store", local_store)


def _kill_when_busy(flag: Path, run) -> ClusterReport:
    """Run ``run`` in a thread; kill the Dask worker that the waiting article names."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        future = pool.submit(run)
        deadline = time.monotonic() + 240
        while not flag.exists():
            assert time.monotonic() < deadline, "the waiting article never started"
            assert not future.done(), future.result()
            time.sleep(0.1)
        os.kill(int(flag.read_text()), signal.SIGKILL)
        return future.result(timeout=600)


def _kill_corpus(folder: Path) -> tuple[list[Path], Path]:
    flag = folder / "busy.pid"
    return _write_corpus(folder, marker=f"WAIT-FOR-KILL:{flag}", marked=7), flag


WAITS = IngestOptions(
    jobs=2, batch_size=2, article_timeout=0, extractor="slow_stages:waits_to_be_killed"
)


def test_a_killed_dask_worker_loses_nothing(scheduler, tmp_path) -> None:
    sources, flag = _kill_corpus(tmp_path)
    result = _kill_when_busy(
        flag,
        lambda: ingest_cluster(
            sources, WAITS, cluster=scheduler, shards=tmp_path / "shards", partition_size=3
        ),
    )
    assert result.complete and result.partitions_lost == 0  # Dask ran the partition again
    load_shards(tmp_path / "shards", tmp_path / "store")
    local = ingest(sources, tmp_path / "local", IngestOptions(jobs=1, batch_size=2))
    assert result.report.stored == local.stored == 13
    _same_graphs(tmp_path / "store", tmp_path / "local")


def test_a_partition_lost_for_good_names_its_articles_and_a_rerun_completes(tmp_path) -> None:
    sources, flag = _kill_corpus(tmp_path)
    every = {f"n{i}" for i in range(10)} | {"t1", "t2"}
    with (
        dask.config.set(
            {"distributed.worker.daemon": False, "distributed.scheduler.allowed-failures": 0}
        ),
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
    ):

        def run() -> ClusterReport:
            return ingest_cluster(
                sources,
                WAITS,
                cluster=cluster.scheduler_address,
                shards=tmp_path / "shards",
                partition_size=3,
            )

        result = _kill_when_busy(flag, run)
        assert not result.complete and result.partitions_lost >= 1
        assert not (tmp_path / "shards" / MANIFEST).exists()
        lost = {f.origin for f in result.report.failed if "was lost" in f.reason}
        assert any("'n7'" in f.reason and "was lost" in f.reason for f in result.report.failed)
        done: list[str] = []
        for record in (tmp_path / "shards").glob("part-*.json"):
            done += [a["origin"] for a in json.loads(record.read_text())["articles"]]
        read = [a.origin for a in iter_articles(sources) if isinstance(a, Article)]
        assert sorted([*lost, *done]) == sorted(read)  # exactly which are missing

        again = run()
    assert again.complete and again.partitions_run == result.partitions_lost
    assert (
        again.report.stored == 13
        and {a.id for s in read_shards(tmp_path / "shards")[1] for a in s.articles} == every
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--shards", "out"], "--shards is written by a cluster run"),
        (["--store", "s", "--shards", "out", "--cluster", "local"], "exactly one"),
        (["--store", "s", "--cluster", "nowhere"], "--cluster must be local"),
        (["--store", "s", "--cluster", "local:0"], "at least 1"),
        (["--store", "s", "--cluster", "local", "--partition-size", "0"], "--partition-size"),
    ],
)
def test_cluster_options_are_checked_before_any_work(tmp_path, monkeypatch, args, message):
    from typer.testing import CliRunner

    from kg_builder.cli import Exit, app

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("Kenya urged Uganda to reopen the border.", encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", "a.txt", *args])
    assert result.exit_code == Exit.USAGE, result.output
    assert message in " ".join(result.stderr.split())
    assert not (tmp_path / "s").exists() and not (tmp_path / "out").exists()


def test_stdin_cannot_go_to_a_cluster(tmp_path: Path) -> None:
    from kg_builder.errors import ConfigError

    with pytest.raises(ConfigError, match="standard input"):
        ingest_cluster(["-"], OPTIONS, cluster="local:1", shards=tmp_path / "out")


def test_daemonic_dask_workers_are_a_clear_configuration_error(tmp_path: Path) -> None:
    from kg_builder.errors import ConfigError

    (tmp_path / "a.txt").write_text("Kenya urged Uganda to reopen the border.", encoding="utf-8")
    with (
        dask.config.set({"distributed.worker.daemon": True}),
        LocalCluster(
            n_workers=1,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        pytest.raises(ConfigError, match="DASK_DISTRIBUTED__WORKER__DAEMON=False"),
    ):
        ingest_cluster(
            [tmp_path / "a.txt"],
            OPTIONS,
            cluster=cluster.scheduler_address,
            shards=tmp_path / "out",
        )


def test_cli_cluster_ingest_load_and_rerun(tmp_path: Path, monkeypatch) -> None:
    from typer.testing import CliRunner

    from kg_builder.cli import Exit, app

    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    for i, text in enumerate(TEXTS[:3]):
        (tmp_path / "in" / f"t{i}.txt").write_text(text, encoding="utf-8")
    runner = CliRunner()
    args = ["ingest", "in", "--cluster", "local:1", "--shards", "out", "--partition-size", "2"]
    first = runner.invoke(app, args)
    assert first.exit_code == Exit.OK, first.output
    err = " ".join(first.stderr.split())
    assert "Dask cluster tcp://127.0.0.1:" in err and "1 worker(s), 1 thread(s)" in err
    assert re.search(r"dashboard http://127\.0\.0\.1:\d+/status", err), err
    assert "2 partition(s) run, 0 lost" in err and "3 stored, 0 failed" in err
    loaded = runner.invoke(app, ["load", "out", "--store", "store"])
    assert loaded.exit_code == Exit.OK and "3 article graph(s)" in loaded.stderr
    again = runner.invoke(app, args)
    assert again.exit_code == Exit.OK and "nothing to run" in again.stderr
    assert "3 stored" in again.stderr
