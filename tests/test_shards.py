"""Shard folders: written atomically and deterministically, checked, loaded, pushed."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from oxigraph_server import OxigraphServer, article_iri, article_ntriples
from typer.testing import CliRunner

from kg_builder.cli import Exit, app
from kg_builder.errors import StoreError
from kg_builder.remote.endpoint import EndpointConfig
from kg_builder.remote.push import push_shards
from kg_builder.store import graph_counts, open_store
from kg_builder.store.ontology import ONTOLOGY_GRAPH
from kg_builder.store.shards import (
    MANIFEST,
    STORED,
    ShardArticle,
    drop_graphs,
    load_shards,
    read_shards,
    shard_name,
    write_manifest,
    write_shard,
)

runner = CliRunner()


def _entry(i: int, n: int) -> ShardArticle:
    return ShardArticle(f"a{i:05d}", f"in.jsonl:{i}", article_iri(i), n, STORED, f"{i:032x}")


def _folder(path: Path, parts: list[dict[int, int]]) -> list:
    """Shards of synthetic article graphs (article number → triples per partition)."""
    shards = []
    for index, sizes in enumerate(parts):
        graphs = [(article_iri(i), article_ntriples(i, n)) for i, n in sizes.items()]
        articles = [_entry(i, n) for i, n in sizes.items()]
        failed = [(f"in.jsonl:{100 + index}", "not valid JSON")]
        shards.append(
            write_shard(
                path, shard_name(index), f"key{index}", "in.jsonl", graphs, articles, failed
            )
        )
    write_manifest(path, "plan", shards)
    return shards


def test_a_shard_is_sorted_gzip_with_the_same_bytes_every_time(tmp_path: Path) -> None:
    (one,) = _folder(tmp_path / "x", [{1: 30, 2: 40}])
    (two,) = _folder(tmp_path / "y", [{2: 40, 1: 30}])
    first = (tmp_path / "x" / one.file).read_bytes()
    assert first == (tmp_path / "y" / two.file).read_bytes() and one.sha256 == two.sha256
    lines = gzip.decompress(first).decode().splitlines()
    assert lines == sorted(lines) and len(lines) == one.quads == 70
    assert not [p for p in (tmp_path / "x").iterdir() if p.name.endswith(".tmp")]


def test_load_gives_every_graph_and_loading_again_changes_nothing(tmp_path: Path) -> None:
    _folder(tmp_path / "shards", [{1: 30, 2: 40}, {3: 50}])
    report = load_shards(tmp_path / "shards", tmp_path / "store")
    assert (report.shards, report.graphs, report.quads) == (2, 3, 120)
    again = load_shards(tmp_path / "shards", tmp_path / "store")
    assert again.graphs == 3
    counts = graph_counts(open_store(tmp_path / "store", read_only=True))
    ontology = counts.pop(ONTOLOGY_GRAPH)  # a store always holds the ontology graph
    assert ontology > 100
    assert counts == {article_iri(1): 30, article_iri(2): 40, article_iri(3): 50}


def test_a_replaced_graph_leaves_its_shard_and_keeps_its_place(tmp_path: Path) -> None:
    shards = _folder(tmp_path, [{1: 30, 2: 40}])
    new = drop_graphs(tmp_path, shards[0], {article_iri(1)})
    assert new.graphs == [article_iri(2)] and new.quads == 40
    assert [a.status for a in new.articles] == ["replaced", "stored"]
    write_manifest(tmp_path, "plan", [new])
    assert read_shards(tmp_path)[1] == [new]


def test_an_unfinished_or_damaged_folder_is_refused_before_loading(tmp_path: Path) -> None:
    shards = _folder(tmp_path / "shards", [{1: 30}, {2: 40}])
    damaged = tmp_path / "shards" / shards[1].file
    damaged.write_bytes(damaged.read_bytes()[:-8])
    with pytest.raises(StoreError, match="does not match its record"):
        load_shards(tmp_path / "shards", tmp_path / "store")
    assert not graph_counts(open_store(tmp_path / "store"))  # nothing half-loaded
    (tmp_path / "shards" / MANIFEST).unlink()
    with pytest.raises(StoreError, match="has not finished"):
        load_shards(tmp_path / "shards", tmp_path / "other")


def test_cli_load_and_its_errors(tmp_path: Path) -> None:
    _folder(tmp_path / "shards", [{1: 30}, {2: 40}])
    result = runner.invoke(app, ["load", str(tmp_path / "shards"), "--store", str(tmp_path / "s")])
    assert result.exit_code == Exit.OK and "2 article graph(s), 70 quads" in result.stderr
    result = runner.invoke(app, ["load", str(tmp_path), "--store", str(tmp_path / "s")])
    assert result.exit_code == Exit.STORE and "no manifest.json" in result.stderr


def test_push_shards_is_verified_per_graph_on_a_real_server(tmp_path: Path) -> None:
    _folder(tmp_path / "shards", [{1: 30, 2: 40}, {3: 50}])
    server = OxigraphServer(tmp_path / "remote").start()
    try:
        report = push_shards(tmp_path / "shards", EndpointConfig.from_url(server.url))
        assert report.complete and report.graphs_total == 3 and report.triples == 120
        assert sorted(report.graphs_pushed) == [article_iri(i) for i in (1, 2, 3)]
        result = runner.invoke(app, ["push", str(tmp_path / "shards"), "--endpoint", server.url])
        assert result.exit_code == Exit.OK and "3 of 3 graph(s) pushed" in result.stderr
        assert "verified" in result.stderr
    finally:
        server.stop(kill=True)


def test_push_needs_exactly_one_source(tmp_path: Path) -> None:
    result = runner.invoke(app, ["push", "--endpoint", "http://127.0.0.1:9"])
    assert result.exit_code == Exit.USAGE and "exactly one" in result.stderr


def test_manifest_records_what_each_partition_read(tmp_path: Path) -> None:
    _folder(tmp_path, [{1: 30}, {2: 40}])
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    assert manifest["graphs"] == 2 and manifest["quads"] == 70 and manifest["failed"] == 2
    record = json.loads((tmp_path / "part-000001.json").read_text())
    assert record["articles"][0]["id"] == "a00002" and record["articles"][0]["triples"] == 40
    assert record["failed"] == [{"origin": "in.jsonl:101", "reason": "not valid JSON"}]


@pytest.mark.slow
def test_load_into_a_store_with_other_articles_equals_one_ingest_of_both(tmp_path: Path) -> None:
    """The entity graph after a load is the one a single local ingest of everything gives."""
    from kg_builder.pipeline import IngestOptions, ingest
    from kg_builder.rdf.iris import IriMinter
    from kg_builder.store import dump_graph_ntriples

    first, second = tmp_path / "first", tmp_path / "second"
    for folder, texts in (
        (first, ["Kenya urged Uganda to reopen the border.", "Chile and Peru met in Lima."]),
        (
            second,
            [
                "Uganda asked Kenya to share the water data.",
                "Norway urged Chile to sign the treaty.",
            ],
        ),
    ):
        folder.mkdir()
        for i, text in enumerate(texts):
            (folder / f"{folder.name}{i}.txt").write_text(text, encoding="utf-8")
    options = IngestOptions(jobs=1)
    ingest([first, second], tmp_path / "both", options)
    ingest([first], tmp_path / "loaded", options)
    ingest([second], tmp_path / "second-only", options)

    # The second input's article graphs as a shard folder, loaded over the first input.
    derived = {IriMinter(options.base).entity_graph(), ONTOLOGY_GRAPH}
    store = open_store(tmp_path / "second-only", read_only=True)
    graphs = [(g, dump_graph_ntriples(store, g).decode()) for g in graph_counts(store)]
    graphs = [(g, nt) for g, nt in graphs if g not in derived]
    articles = [ShardArticle(g, "in", g, 0, STORED, "0" * 32) for g, _ in graphs]
    shard = write_shard(tmp_path / "shards", shard_name(0), "k", "in", graphs, articles, [])
    write_manifest(tmp_path / "shards", "plan", [shard])
    report = load_shards(tmp_path / "shards", tmp_path / "loaded")
    assert report.graphs == 2 and report.entities > 0

    def quads(path: Path) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for q in open_store(path, read_only=True):
            found.setdefault(str(q.graph_name), set()).add(str(q))
        return found

    loaded, both = quads(tmp_path / "loaded"), quads(tmp_path / "both")
    assert sorted(loaded) == sorted(both) and len(both) == 6  # 4 articles, entities, ontology
    for graph, lines in both.items():
        assert loaded[graph] == lines, graph
