"""Demand and agreement histories: the same demand across articles, and status by date.

The rules (kg_builder.rdf.history) on hand-made demands; then three invented articles that
follow one story, through the real pipeline, the library function and the CLI.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF
from typer.testing import CliRunner

from kg_builder.cli import Exit, app
from kg_builder.pipeline.run import ingest
from kg_builder.rdf import vocab as V
from kg_builder.rdf.claims import AgreementClaim, ArticleInfo, DemandClaim
from kg_builder.rdf.history import (
    agreement_history,
    signature,
    similar,
    threads,
    tracked_demands,
)
from kg_builder.rdf.iris import IriMinter
from kg_builder.rdf.validate import graph_of
from kg_builder.store.history import history, matches

BASE = V.DEFAULT_BASE
KENYA, UGANDA, CHAD, NIGER = (
    URIRef(f"{BASE}actor/{k}") for k in ("kenya", "uganda", "chad", "niger")
)
MADE, REJECTED = V.DEMAND_STATUS.made, V.DEMAND_STATUS.rejected


def _claim(n: int, content: str, by=(KENYA,), to=(UGANDA,), status=MADE) -> DemandClaim:
    return DemandClaim(
        URIRef(f"{BASE}article/a{n}/demand/{n}"),
        URIRef(f"{BASE}article/a{n}"),
        tuple(by),
        tuple(to),
        content,
        status,
    )


def _articles(*days: str) -> dict:
    return {
        URIRef(f"{BASE}article/a{n}"): ArticleInfo(f"a{n}", day) for n, day in enumerate(days, 1)
    }


# ---- what counts as the same demand


def test_signature_stems_words_and_keeps_negations() -> None:
    assert signature("withdraw the troops") == signature("Withdrawal of troops")
    assert "not" in signature("do not expand eastward")


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("reopen the border crossing", "reopen the border crossing at Busia", True),
        ("withdraw its troops from the border", "withdraw troops from the border", True),
        ("lift sanctions", "impose sanctions", False),
        ("release the detained fishermen", "reopen the border", False),
    ],
)
def test_similar_contents(a: str, b: str, same: bool) -> None:
    assert similar(signature(a), signature(b)) is same


def test_demands_are_linked_only_with_a_demander_and_an_addressee_in_common() -> None:
    claims = [
        _claim(1, "reopen the border"),
        _claim(2, "reopen the border", by=(KENYA, CHAD)),  # a demander in common
        _claim(3, "reopen the border", to=(CHAD,)),  # no addressee in common
        _claim(4, "reopen the border", by=(NIGER,)),  # no demander in common
    ]
    groups = sorted(sorted(str(c.demand)[-1] for c in t) for t in threads(claims))
    assert groups == [["1", "2"], ["3"], ["4"]]
    # Linked is transitive: Chad's demand joins through the one Kenya and Chad made.
    claims.append(_claim(5, "reopen the border", by=(CHAD,)))
    assert sorted(len(t) for t in threads(claims)) == [1, 1, 3]


def test_threads_do_not_depend_on_the_order_of_the_demands() -> None:
    claims = [
        _claim(n, text)
        for n, text in enumerate(
            [
                "reopen the border",
                "reopen the border crossing",
                "reopen the crossing now",
                "lift the curfew",
                "lift the night curfew",
            ],
            1,
        )
    ]
    expected = sorted(sorted(c.demand for c in t) for t in threads(claims))
    for seed in range(5):
        random.Random(seed).shuffle(claims)
        assert sorted(sorted(c.demand for c in t) for t in threads(claims)) == expected
    assert len(expected) == 2


def test_a_tracked_demand_is_made_then_reiterated_then_answered() -> None:
    claims = [
        _claim(3, "reopen the border crossing", status=REJECTED),
        _claim(1, "reopen the border crossing at Busia"),
        _claim(2, "reopen the border crossing"),
    ]
    g = graph_of(
        tracked_demands(
            claims, _articles("2024-03-04", "2024-03-11", "2024-03-25"), IriMinter(BASE)
        )
    )
    (node,) = g.subjects(RDF.type, V.TrackedDemand)
    steps = sorted(g.objects(node, V.step), key=lambda s: g.value(s, V.ordinal).toPython())
    assert [g.value(s, V.status) for s in steps] == [
        MADE,
        V.DEMAND_STATUS.reiterated,
        REJECTED,
    ]
    assert [str(g.value(s, V.seenOn)) for s in steps] == ["2024-03-04", "2024-03-11", "2024-03-25"]
    assert g.value(node, V.demandStatus) == REJECTED
    assert str(g.value(node, V.content)) == "reopen the border crossing at Busia"  # the first
    assert (str(g.value(node, V.firstSeen)), str(g.value(node, V.lastSeen))) == (
        "2024-03-04",
        "2024-03-25",
    )


def test_an_agreement_status_now_is_the_latest_known_one() -> None:
    agreement = URIRef(f"{BASE}agreement/tarn-accord")

    def report(n: int, status: str) -> AgreementClaim:
        return AgreementClaim(
            URIRef(f"{BASE}article/a{n}/agreement-report/{n}"),
            agreement,
            URIRef(f"{BASE}article/a{n}"),
            "Tarn Accord",
            "accord",
            V.AGREEMENT_STATUS[status],
        )

    claims = [report(2, "suspended"), report(3, "unknown"), report(1, "signed")]
    g = graph_of(
        agreement_history(agreement, claims, _articles("2021-01-01", "2022-01-01", "2023-01-01"))
    )
    steps = sorted(g.objects(agreement, V.step), key=lambda s: g.value(s, V.ordinal).toPython())
    assert [g.value(s, V.status) for s in steps] == [
        V.AGREEMENT_STATUS[s] for s in ("signed", "suspended", "unknown")
    ]
    assert g.value(agreement, V.agreementStatus) == V.AGREEMENT_STATUS.suspended


def test_phrase_matching_is_by_whole_words() -> None:
    assert matches("Minsk Agreements", "the Minsk agreements")
    assert matches("Minsk", "Minsk accords") and not matches("Mins", "Minsk accords")


# ---- one invented story, through the pipeline

STORY = [
    {
        "id": "story-1",
        "published": "2024-03-04",
        "text": "Kenya urged Uganda to reopen the border crossing at Busia. The two countries "
        "signed the Lake Victoria Fisheries Accord in 2019.",
    },
    {
        "id": "story-3",
        "published": "2024-03-25",
        "text": "Uganda rejected Kenya's demand to reopen the border crossing. Kenya said "
        "Uganda had violated the Lake Victoria Fisheries Accord.",
    },
    {
        "id": "story-2",
        "published": "2024-03-11",
        "text": "Kenya again called on Uganda to reopen the border crossing at Busia. Uganda "
        "said the Lake Victoria Fisheries Accord remains in force.",
    },
]


@pytest.fixture(scope="module")
def story(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("story")
    src = tmp / "story.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in STORY), encoding="utf-8")
    assert ingest([src], tmp / "store").stored == 3
    return tmp / "store"


def test_history_follows_a_demand_across_three_articles_by_date(story: Path) -> None:
    (demand,) = history(story, "reopen the border", kind="demand")
    assert demand.articles == 3 and demand.actors == "Kenya → Uganda"
    assert [s.article_id for s in demand.steps] == ["story-1", "story-2", "story-3"]
    assert [s.status for s in demand.steps] == ["made", "reiterated", "rejected"]
    assert demand.status_now == "rejected"
    assert "reopen the border crossing" in demand.steps[2].evidence


def test_history_follows_an_agreement_across_three_articles_by_date(story: Path) -> None:
    (agreement,) = history(story, "Lake Victoria Fisheries Accord", kind="agreement")
    assert [s.date for s in agreement.steps] == ["2024-03-04", "2024-03-11", "2024-03-25"]
    known = [s.status for s in agreement.steps if s.status != "unknown"]
    assert known and agreement.status_now == known[-1]
    assert (agreement.first_seen, agreement.last_seen) == ("2024-03-04", "2024-03-25")


def test_history_command_prints_the_steps(story: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        app, ["history", "Lake Victoria Fisheries Accord", "--store", str(story)]
    )
    assert result.exit_code == Exit.OK, result.output
    assert "Lake Victoria Fisheries Accord" in result.stdout and "2024-03-25" in result.stdout
    result = runner.invoke(app, ["history", "border", "--store", str(story), "--format", "json"])
    (timeline,) = json.loads(result.stdout)
    assert [s["status"] for s in timeline["steps"]] == ["made", "reiterated", "rejected"]
    result = runner.invoke(app, ["history", "no such thing", "--store", str(story)])
    assert result.exit_code == Exit.NOTHING


def test_history_queries_answer(story: Path) -> None:
    from kg_builder.store.query import select

    demands = select(story, "demand-history")
    assert len(demands.rows) == 3 and {
        r[demands.columns.index("status")] for r in demands.rows
    } == {
        "made",
        "reiterated",
        "rejected",
    }
    agreements = select(story, "agreement-history")
    assert len(agreements.rows) == 3
    profile = select(story, "actor-profile")  # about NATO: nothing here
    assert profile.rows == ()
