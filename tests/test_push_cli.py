"""End to end against a real `oxigraph serve`: ingest real articles, push, query remotely."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from oxigraph_server import OxigraphServer
from typer.testing import CliRunner

from kg_builder.cli import Exit, app
from kg_builder.resources import shipped_queries
from kg_builder.store import dump_graph_ntriples, graph_counts, open_store

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "eval" / "dev"
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def _articles(tmp: Path) -> Path:
    """The sample article plus the dev articles (when the shared set is beside the checkout)."""
    records = []
    for path in sorted(DEV.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        records.append(
            {k: doc.get(k) for k in ("id", "url", "source", "published", "title", "text")}
        )
    src = tmp / "articles.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return src


@pytest.fixture(scope="module")
def pushed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("push")
    store = tmp / "store"
    sources = [ROOT / "examples" / "tass-russia-nato-council.txt"]
    if DEV.is_dir():
        sources.append(_articles(tmp))
    assert run("ingest", *sources, "--store", store).exit_code == Exit.OK
    # The shipped queries read the union of the graphs (article, entity, ontology), which
    # is the default graph of `kg-builder query`; the server is started the same way.
    server = OxigraphServer(tmp / "remote", union_default_graph=True).start()
    result = run("push", "--store", store, "--endpoint", server.url)
    assert result.exit_code == Exit.OK, result.stderr
    yield store, server, tmp
    server.stop(kill=True)


def _remote_counts(server: OxigraphServer) -> dict[str, int]:
    q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    result = run("query", _write(q), "--endpoint", server.url + "/query", "--format", "json")
    return {r["g"]: int(r["n"]) for r in json.loads(result.stdout)}


def _write(text: str) -> Path:
    path = Path(tempfile.mkdtemp()) / "query.rq"
    path.write_text(text)
    return path


def test_per_graph_counts_on_the_server_equal_the_local_ones(pushed) -> None:
    store, server, _ = pushed
    local = graph_counts(open_store(store, read_only=True))
    assert len(local) >= 1 and _remote_counts(server) == local


@pytest.mark.parametrize("name", sorted(shipped_queries()))
def test_shipped_queries_give_the_same_rows_remotely(pushed, name: str) -> None:
    store, server, _ = pushed
    here = run("query", name, "--store", store, "--format", "csv").stdout
    there = run("query", name, "--endpoint", server.url + "/query", "--format", "csv").stdout
    rows = [sorted(csv.reader(io.StringIO(t))) for t in (here, there)]
    assert rows[0] == rows[1]


def test_push_twice_then_reingest_one_article_changes_only_its_graph(pushed) -> None:
    store, server, tmp = pushed
    before = _remote_counts(server)
    assert run("push", "--store", store, "--endpoint", server.url).exit_code == Exit.OK
    assert _remote_counts(server) == before  # idempotent
    changed = tmp / "changed.jsonl"
    changed.write_text(
        json.dumps(
            {
                "id": "tass-seed-russia-nato-council",
                "published": "2022-01-13",
                "text": "Moscow urged NATO to halt its eastward expansion.",
            }
        )
        + "\n"
    )
    assert run("ingest", changed, "--store", store).exit_code == Exit.OK
    assert run("push", "--store", store, "--endpoint", server.url).exit_code == Exit.OK
    after = _remote_counts(server)
    sample = "https://w3id.org/kg-builder/id/article/tass-seed-russia-nato-council"
    entities = "https://w3id.org/kg-builder/id/graph/entities"  # follows the article
    assert after[sample] < before[sample]
    assert {g: n for g, n in after.items() if g not in (sample, entities)} == {
        g: n for g, n in before.items() if g not in (sample, entities)
    }
    local = open_store(store, read_only=True)
    for graph in (sample, entities):
        assert after[graph] == len(dump_graph_ntriples(local, graph).splitlines())


def test_unreachable_endpoint_is_exit_endpoint(pushed) -> None:
    store, _, _ = pushed
    from oxigraph_server import free_port

    result = run(
        "push",
        "--store",
        store,
        "--endpoint",
        f"http://127.0.0.1:{free_port()}",
        "--retries",
        "1",
        "--timeout",
        "2",
    )
    assert result.exit_code == Exit.ENDPOINT and "error:" in result.stderr


def test_bad_mode_is_a_usage_error(pushed) -> None:
    store, server, _ = pushed
    assert (
        run("push", "--store", store, "--endpoint", server.url, "--mode", "x").exit_code
        == Exit.USAGE
    )


def test_remote_query_with_chosen_columns(pushed) -> None:
    # regression: the remote result's column list shadowed the --columns option
    _, server, _ = pushed
    result = run(
        "query",
        "actors",
        "--endpoint",
        server.url + "/query",
        "--format",
        "csv",
        "--columns",
        "canonical,type",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == "canonical,type"
