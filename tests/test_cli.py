"""The command line: every command, its messages and its exit codes (see README)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from kg_builder.cli import Exit, app
from kg_builder.resources import ontology_dir, shipped_queries

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "tass-russia-nato-council.txt"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "store"
    result = run("ingest", SAMPLE, "--store", path)
    assert result.exit_code == Exit.OK, result.stderr
    assert "1 stored, 0 failed" in result.stderr
    return path


@pytest.mark.parametrize(
    "command",
    [
        "ingest",
        "query",
        "export",
        "validate",
        "push",
        "serve",
        "docs",
        "screenshot",
        "plot network",
        "plot timeline",
    ],
)
def test_every_command_has_help(command: str) -> None:
    result = run(*command.split(), "--help")
    assert result.exit_code == 0 and "Usage" in result.stdout


def test_version() -> None:
    assert run("--version").stdout.startswith("kg-builder ")


@pytest.mark.parametrize("name", sorted(shipped_queries()))
def test_every_shipped_query_runs_as_csv(store: Path, name: str) -> None:
    result = run("query", name, "--store", store, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    header = next(csv.reader(io.StringIO(result.stdout)))
    assert header and all(header)


def test_query_by_file_path_and_json_format(store: Path, tmp_path: Path) -> None:
    q = tmp_path / "count.rq"
    q.write_text("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    result = run("query", q, "--store", store, "--format", "json")
    assert result.exit_code == 0
    assert int(json.loads(result.stdout)[0]["n"]) > 100


def test_demands_query_has_the_contract_columns(store: Path) -> None:
    result = run("query", ROOT / "queries" / "demands.rq", "--store", store, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows, "the sample article has demands"
    assert {"article_id", "demand", "demander", "addressee", "content", "evidence"} <= set(rows[0])
    assert all(r["article_id"] == "tass-seed-russia-nato-council" for r in rows)


def test_table_format_prints_a_row_count(store: Path) -> None:
    result = run("query", "actors", "--store", store)
    assert result.exit_code == 0 and "row(s)" in result.stdout


def test_unknown_query_is_exit_query(store: Path) -> None:
    result = run("query", "no-such-query", "--store", store)
    assert result.exit_code == Exit.QUERY and "shipped:" in result.stderr


def test_bad_format_is_a_usage_error(store: Path) -> None:
    assert run("query", "actors", "--store", store, "--format", "xml").exit_code == Exit.USAGE


def test_query_of_missing_store_is_a_store_error(tmp_path: Path) -> None:
    result = run("query", "actors", "--store", tmp_path / "none")
    assert result.exit_code == Exit.STORE and "kg-builder ingest" in result.stderr


def test_export_turtle_parses_and_validates(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    assert run("export", "--store", store, "--format", "turtle", "-o", out).exit_code == 0
    assert len(Graph().parse(out, format="turtle")) > 100
    result = run("validate", out)
    assert result.exit_code == 0 and "1 of 1 graph(s) conform" in result.stdout


def test_validate_store_conforms(store: Path) -> None:
    result = run("validate", store)  # the article graph, the entity and ontology graphs
    assert result.exit_code == 0 and "3 of 3" in result.stdout
    result = run("validate", "--union", store)
    assert result.exit_code == 0 and "conforms" in result.stdout


def test_validate_reports_violations_with_exit_invalid() -> None:
    bad = sorted((ontology_dir() / "examples").glob("bad-*.ttl"))[0]
    result = run("validate", bad)
    assert result.exit_code == Exit.INVALID
    assert "does not conform" in result.stderr and "Violation" in result.stderr


def test_partial_failure_exit_code_and_message(tmp_path: Path) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "ok", "text": "France urged Italy to act."}) + "\n{broken\n")
    result = run("ingest", src, "--store", tmp_path / "s")
    assert result.exit_code == Exit.PARTIAL
    assert f"{src}:2" in result.stderr and "1 stored, 1 failed" in result.stderr


def test_nothing_stored_exit_code(tmp_path: Path) -> None:
    result = run("ingest", tmp_path / "missing.jsonl", "--store", tmp_path / "s")
    assert result.exit_code == Exit.NOTHING and "missing.jsonl" in result.stderr


def test_bad_model_is_a_usage_error_before_work(tmp_path: Path) -> None:
    result = run("ingest", SAMPLE, "--store", tmp_path / "s", "--model", "nope_model")
    assert result.exit_code == Exit.USAGE and "nope_model" in result.stderr
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize("option", [["--max-bytes", "0"], ["--id-field", ""], ["--jobs", "0"]])
def test_bad_ingest_option_is_a_usage_error(tmp_path: Path, option: list[str]) -> None:
    # regression: ReadOptions errors escaped as a traceback
    result = run("ingest", SAMPLE, "--store", tmp_path / "s", *option)
    assert result.exit_code == Exit.USAGE and "error:" in result.stderr
    assert not (tmp_path / "s").exists()
