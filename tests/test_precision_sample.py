"""benchmarks/precision_sample.py: facts from query rows, the seeded draw, sheets, Wilson."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg_builder.store.query import load_query

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "precision_sample.py"
_SPEC = importlib.util.spec_from_file_location("precision_sample", _PATH)
ps = importlib.util.module_from_spec(_SPEC)
sys.modules["precision_sample"] = ps  # dataclasses look the module up by name
_SPEC.loader.exec_module(ps)

# Columns each fact builder reads, per shipped query.
USED = {
    "actors": {"article_id", "actor", "name", "canonical", "type"},
    "posts": {"article_id", "person", "post", "organisation", "evidence"},
    "demands": {"article_id", "demand", "demander", "addressee", "content", "evidence"}
    | {"conditional", "condition"},
    "agreements": {"article_id", "agreement", "name", "kind", "status", "party", "date"}
    | {"evidence"},
    "meetings": {"article_id", "meeting", "name", "kind", "date", "location", "participant"}
    | {"planned", "evidence"},
    "statements": {"article_id", "statement", "speaker", "quote", "evidence"},
}


@pytest.mark.parametrize("category", ps.CATEGORIES)
def test_the_shipped_queries_have_the_columns_the_sampler_reads(category: str) -> None:
    result = ox.Store().query(load_query(category))
    assert USED[category] <= {v.value for v in result.variables}


def test_the_mentions_query_runs() -> None:
    assert isinstance(ox.Store().query(ps._MENTIONS_QUERY), ox.QuerySolutions)


def _meeting_row(meeting: str, participant: str) -> dict:
    return {
        "article_id": "a1",
        "meeting": meeting,
        "name": "Orlen–Vasko talks",
        "kind": "talks",
        "date": "2031-04-02",
        "location": "Tallinn",
        "participant": participant,
        "planned": "false",
        "evidence": "Orlen held talks with Vasko in Tallinn.",
    }


def test_one_meeting_is_one_fact_whatever_its_participants() -> None:
    rows = [_meeting_row("m1", "Orlen"), _meeting_row("m1", "Vasko"), _meeting_row("m2", "Vasko")]
    facts = ps.meeting_facts(rows)
    assert len(facts) == 2
    assert "participants: Orlen; Vasko" in facts[0].fact


def test_demand_fact_joins_demanders_and_addressees_and_shows_the_condition() -> None:
    base = {"article_id": "a1", "demand": "d1", "content": "reopen the port"}
    base |= {"evidence": "Ulm urged Parda to reopen the port if talks fail."}
    base |= {"conditional": "true", "condition": "talks fail"}
    rows = [base | {"demander": "Ulm", "addressee": "Parda"}, base | {"demander": "Ulm council"}]
    rows[1]["addressee"] = ""
    (fact,) = ps.demand_facts(rows)
    assert fact.fact == "Ulm; Ulm council → Parda: reopen the port [conditional: talks fail]"


def _facts(n: int, article: str = "a") -> list:
    return [ps.Fact("demands", f"{article}{i}", f"fact {i}", f"sentence {i}") for i in range(n)]


def test_draw_is_reproducible_and_independent_of_input_order() -> None:
    facts = _facts(200)
    first = ps.draw(facts, 40, seed=5)
    assert len(first) == 40 == len(set(first))
    assert ps.draw(list(reversed(facts)), 40, seed=5) == first
    assert ps.draw(facts, 40, seed=6) != first


def test_draw_keeps_unchanged_facts_when_the_population_changes() -> None:
    before = _facts(200)
    after = before[:150] + _facts(80, article="b")  # 50 facts lost, 80 new ones
    kept = set(ps.draw(before, 40, seed=5)) & set(before[:150])
    # every fact of the first sample that is still extracted ranks as low as before
    # among the facts it competes with, so it is drawn again unless new facts crowd it out
    redrawn = set(ps.draw(after, 40, seed=5))
    ranks = sorted(f.rank(5) for f in after)
    cutoff = ranks[39]
    assert {f for f in kept if f.rank(5) <= cutoff} <= redrawn


def test_draw_tells_identical_facts_apart() -> None:
    same = [ps.Fact("posts", "a", "X | Mayor | of Ulm", "s")] * 3
    assert len(ps.draw(same, 10, seed=1)) == 3


def test_sheet_round_trip_carries_verdicts_of_identical_facts(tmp_path: Path) -> None:
    sample = {c: [] for c in ps.CATEGORIES}
    sample["posts"] = [ps.Fact("posts", "a", "X | Mayor | of Ulm", "X, Mayor of Ulm, said.")]
    sample["demands"] = _facts(2)
    first = tmp_path / "before.csv"
    assert ps.write_sheet(first, sample, []) == 0
    rows = ps.read_sheet(first)
    assert [r["sample_id"] for r in rows] == ["post-01", "demand-01", "demand-02"]
    rows[0]["verdict"], rows[0]["reason"] = "n", "post belongs to another person"
    rows[1]["verdict"] = "y"
    sample["demands"] = _facts(1, article="b")  # changed facts are not carried
    second = tmp_path / "after.csv"
    assert ps.write_sheet(second, sample, rows) == 1
    again = ps.read_sheet(second)
    assert (again[0]["verdict"], again[0]["reason"]) == ("n", "post belongs to another person")
    assert again[1]["verdict"] == ""


def test_score_counts_verdicts_and_leaves_unsure_ones_out() -> None:
    rows = [{"category": "posts", "verdict": v} for v in ["y"] * 30 + ["n"] * 9 + ["?"]]
    table = ps.score_sheet(rows)
    assert "| posts | 30 / 39 | 0.77 |" in table
    assert "| 1 | 0 |" in table


def test_wilson_interval_bounds() -> None:
    z = 1.959964
    low, high = ps.wilson(0, 10)
    assert math.isclose(low, 0.0, abs_tol=1e-12)
    assert math.isclose(high, z * z / (10 + z * z), rel_tol=1e-9)
    low, high = ps.wilson(10, 10)
    assert math.isclose(high, 1.0)
    assert math.isclose(low, 10 / (10 + z * z), rel_tol=1e-9)
    low, high = ps.wilson(30, 40)
    assert low < 0.75 < high
    wide, narrow = ps.wilson(15, 20), ps.wilson(150, 200)
    assert wide[1] - wide[0] > narrow[1] - narrow[0]
