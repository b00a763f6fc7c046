"""Queries: shipped files parse, names resolve, results render."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg_builder.errors import QueryError
from kg_builder.resources import shipped_queries
from kg_builder.store.query import Table, load_query, to_text

CONTRACT = {
    "actors": {"article_id", "actor", "name", "type"},
    "posts": {"article_id", "person", "post", "organisation"},
    "demands": {"article_id", "demand", "demander", "addressee", "content", "evidence"},
    "agreements": {"article_id", "agreement", "name", "status", "party"},
    "meetings": {"article_id", "meeting", "name", "date", "location", "participant"},
    "statements": {"article_id", "statement", "speaker", "quote"},
}


@pytest.mark.parametrize("name", sorted(shipped_queries()))
def test_shipped_query_parses_and_runs_on_an_empty_store(name: str) -> None:
    result = ox.Store().query(load_query(name))
    assert isinstance(result, ox.QuerySolutions)


@pytest.mark.parametrize("name, columns", sorted(CONTRACT.items()))
def test_competency_queries_have_the_contract_columns(name: str, columns: set[str]) -> None:
    result = ox.Store().query(load_query(name))
    assert columns <= {v.value for v in result.variables}


def test_query_by_path_or_by_name_with_extension(tmp_path: Path) -> None:
    q = tmp_path / "mine.rq"
    q.write_text("SELECT * WHERE { ?s ?p ?o }")
    assert load_query(str(q)).startswith("SELECT")
    assert load_query("demands.rq") == load_query("demands")


def test_unknown_query_lists_the_shipped_ones() -> None:
    with pytest.raises(QueryError, match="shipped: .*demands"):
        load_query("nope")


def test_csv_and_json_render_plain_values() -> None:
    table = Table(("a", "b"), (("x, y", ""), ('say "hi"', "2")))
    assert to_text(table, "csv") == 'a,b\n"x, y",\n"say ""hi""",2\n'
    assert to_text(table, "tsv").splitlines()[0] == "a\tb"
    assert json.loads(to_text(table, "json"))[1] == {"a": 'say "hi"', "b": "2"}


def test_project_keeps_chosen_columns_in_order_without_repeats() -> None:
    table = Table(("a", "b", "c"), (("1", "x", "p"), ("1", "y", "p"), ("2", "x", "q")))
    assert table.project(["c", "a"]).rows == (("p", "1"), ("q", "2"))
    with pytest.raises(QueryError, match="no column z"):
        table.project(["z"])


@pytest.mark.parametrize("name", sorted(shipped_queries()))
def test_shipped_query_reads_no_iri_as_a_string(name: str) -> None:
    """Labels, codes and the class hierarchy come from the ontology graph in the store
    (skos:prefLabel, skos:notation, rdfs:subClassOf*), never from slicing an IRI."""
    text = load_query(name).upper()
    for function in ("STRAFTER", "STRBEFORE", "SUBSTR", "REPLACE", "STRSTARTS", "STRENDS"):
        assert f"{function}(" not in text.replace(" (", "("), f"{name} uses {function}"
