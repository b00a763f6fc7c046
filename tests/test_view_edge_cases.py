"""Regression tests for bugs in the views that the type checker found (mypy --strict)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from typer.testing import CliRunner

from kg_builder.cli import Exit, app
from kg_builder.store.query import Table, select_sparql
from kg_builder.view.data import Filters
from kg_builder.view.plots import plot_timeline, timeline_events, timeline_html

READY = "body[data-ready]"

#: An invented article without a publication day: its demand has no date.
UNDATED = """@prefix kgb: <https://w3id.org/kg-builder/ontology#> .
@prefix dmst: <https://w3id.org/kg-builder/code/demand-status/> .
@prefix actor: <https://example.org/id/actor/> .
<https://example.org/id/article/u1> {
  <https://example.org/id/article/u1> a kgb:Article ; kgb:articleId "u1" ;
      kgb:mentions actor:ostria, actor:pellan .
  actor:ostria a kgb:State ; kgb:name "Ostria" .
  actor:pellan a kgb:State ; kgb:name "Pellan" .
  <https://example.org/id/article/u1/demand/1> a kgb:Demand ;
      kgb:content "return the fishing boats" ;
      kgb:demander actor:ostria ; kgb:addressee actor:pellan ;
      kgb:demandStatus dmst:made .
}
"""


class UndatedSource:
    """The undated article, in an in-memory pyoxigraph store."""

    def __init__(self) -> None:
        self.store = ox.Store()
        self.store.load(UNDATED.encode(), ox.RdfFormat.TRIG)

    def select(self, sparql: str) -> Table:
        return select_sparql(self.store, sparql)

    def __str__(self) -> str:
        return "an undated article"


def test_timeline_of_undated_facts_is_drawn(browser, tmp_path: Path) -> None:
    # altair refused the time scale's domain None ("None is an invalid value for domain").
    source = UndatedSource()
    assert [e.date for e in timeline_events(source)] == [""]
    picture = plot_timeline(source, tmp_path / "undated.html")
    assert picture.summary == "0 meetings, 1 demand, 0 agreements, 0 statements"
    browser.open(picture.path, ready=READY)
    assert "Ostria → Pellan: return the fishing boats" in " ".join(browser.texts("svg text"))


def test_timeline_with_nothing_to_show_says_so(browser, sample_store: Path, tmp_path) -> None:
    # A filter that leaves no event crashed the same way, before the page could say so.
    nothing = Filters(start="1990-01-01", end="1990-12-31")
    _, summary = timeline_html(UndatedSource(), nothing)
    assert summary == "0 meetings, 0 demands, 0 agreements, 0 statements"
    result = CliRunner().invoke(
        app,
        ["plot", "timeline", "--store", str(sample_store), "--from", "1990-01-01", "--to",
         "1990-12-31", "-o", str(tmp_path / "empty.html")],
    )  # fmt: skip
    assert result.exit_code == Exit.OK, result.stderr
    browser.open(tmp_path / "empty.html", ready=READY)
    assert "No meeting, demand, agreement or statement matches." in " ".join(
        browser.texts("main, body")
    )


def test_plot_with_an_empty_endpoint_url_is_refused(tmp_path: Path) -> None:
    # `--endpoint ""` (and no --store) fell through to the store branch: Path(None),
    # a TypeError and a traceback instead of a usage error.
    out = tmp_path / "x.html"
    result = CliRunner().invoke(app, ["plot", "network", "--endpoint", "", "-o", str(out)])
    assert result.exit_code == Exit.USAGE, result.output
    assert "http(s) URL" in result.stderr
    assert not out.exists()
