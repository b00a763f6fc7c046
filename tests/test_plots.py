"""`kg-builder plot`: the network and timeline pictures, looked at in headless Chromium."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from oxigraph_server import OxigraphServer
from typer.testing import CliRunner

from kg_builder.cli import Exit, app
from kg_builder.errors import ConfigError
from kg_builder.remote.endpoint import EndpointConfig
from kg_builder.store.entities import rebuild_entities
from kg_builder.store.ontology import ensure_ontology
from kg_builder.store.query import Table, select, select_sparql
from kg_builder.view import data
from kg_builder.view.data import Filters
from kg_builder.view.plots import (
    STATUS_COLOURS,
    network_html,
    plot_network,
    plot_timeline,
    timeline_events,
    timeline_html,
)
from kg_builder.view.source import EndpointSource, StoreSource

READY = "body[data-ready]"


def rows(table: Table) -> list[dict[str, str]]:
    return [dict(zip(table.columns, r, strict=True)) for r in table.rows]


@pytest.fixture(scope="module")
def source(sample_store: Path) -> StoreSource:
    return StoreSource(sample_store)


@pytest.fixture(scope="module")
def network(source: StoreSource, tmp_path_factory) -> Path:
    return plot_network(source, tmp_path_factory.mktemp("plots") / "network.html").path


@pytest.fixture(scope="module")
def timeline(source: StoreSource, tmp_path_factory) -> Path:
    return plot_timeline(source, tmp_path_factory.mktemp("plots") / "timeline.html").path


# --------------------------------------------------------------------------- the network


def shipped_demands(store: Path) -> list[dict[str, str]]:
    """The shipped competency query's demands: a second route to the same facts."""
    return [r for r in rows(select(store, "demands")) if r["addressee"]]


def test_network_shows_every_actor_who_demands_or_meets(
    browser, network: Path, sample_store: Path
) -> None:
    demands = shipped_demands(sample_store)
    met = rows(select(sample_store, "meetings"))
    by_meeting: dict[str, set[str]] = {}
    for r in met:
        by_meeting.setdefault(r["meeting"], set()).add(r["participant"])
    expected = {r["demander"] for r in demands} | {r["addressee"] for r in demands}
    expected |= {p for names in by_meeting.values() if len(names) > 1 for p in names}
    assert len(expected) > 3

    browser.open(network, ready=READY)
    labels = browser.run("return network.body.data.nodes.get().map(n => n.label)")
    assert sorted(labels) == sorted(expected)
    positions = browser.run("return network.getPositions()")
    assert len(positions) == len(labels)  # every actor was laid out
    links = browser.run(
        "const names = Object.fromEntries(network.body.data.nodes.get().map(n => [n.id, n.label]));"
        "return network.body.data.edges.get().filter(e => !e.dashes)"
        ".map(e => [names[e.from], names[e.to], e.color]);"
    )
    pairs = {(r["demander"], r["addressee"]) for r in demands if r["demander"] != r["addressee"]}
    assert {(a, b) for a, b, _ in links} == pairs
    assert {colour for *_, colour in links} <= set(STATUS_COLOURS.values())


def test_network_is_drawn_on_its_canvas(browser, network: Path) -> None:
    browser.open(network, ready=READY)
    inked = browser.run(
        """
        const canvas = document.querySelector("#network canvas");
        const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
        let inked = 0;
        for (let i = 0; i < pixels.length; i += 4) {
          const dark = pixels[i] < 200 || pixels[i + 1] < 200 || pixels[i + 2] < 200;
          if (pixels[i + 3] > 0 && dark) { inked++; }
        }
        return inked;
        """
    )
    assert inked > 2000


def test_network_lists_what_was_demanded(browser, network: Path, sample_store: Path) -> None:
    browser.open(network, ready=READY)
    table = " ".join(browser.texts("#demands"))
    for r in shipped_demands(sample_store):
        if r["demander"] != r["addressee"]:
            assert r["content"] in table
            assert r["demander"] in table and r["addressee"] in table


def test_network_layout_is_the_same_every_time(browser, network: Path, source, tmp_path) -> None:
    again = plot_network(source, tmp_path / "again.html").path
    assert again.read_bytes() == network.read_bytes()
    browser.open(network, ready=READY)
    first = browser.run("return network.getPositions()")
    browser.open(again, ready=READY)
    assert browser.run("return network.getPositions()") == first


def test_actor_filter_keeps_the_demands_the_actor_takes_part_in(source, sample_store) -> None:
    nato = data.find_actors(source, "NATO")  # an alias
    assert len(nato) == 1
    involved = {
        r["demand"]
        for r in rows(select(sample_store, "demands"))
        if nato[0].name in (r["demander"], r["addressee"])
    }
    shown = data.demands(source, Filters(actors=("NATO",)))
    assert {d.iri for d in shown} == involved
    assert all(nato[0] in d.demanders + d.addressees for d in shown)
    html, summary = network_html(source, Filters(actors=("nato",)))  # the key works too
    assert "involving nato" in html and "actor" in summary


def test_unknown_actor_and_bad_dates_are_refused(source) -> None:
    with pytest.raises(ConfigError, match=r"did you mean .*\bRussia\b"):
        data.demands(source, Filters(actors=("Russi",)))
    with pytest.raises(ConfigError, match="YYYY-MM-DD"):
        Filters(start="13 January 2022")
    with pytest.raises(ConfigError, match="after"):
        Filters(start="2022-02-01", end="2022-01-01")


def test_empty_network_still_opens(browser, source, tmp_path) -> None:
    picture = plot_network(
        source, tmp_path / "empty.html", Filters(start="1990-01-01", end="1990-12-31")
    )
    assert picture.summary.startswith("0 actors")
    browser.open(picture.path, ready=READY)
    assert "No demand" in " ".join(browser.texts("main, body"))


# --------------------------------------------------------------------------- the timeline


def test_timeline_shows_each_event_in_date_order(browser, timeline: Path, source) -> None:
    events = timeline_events(source)
    kinds = {e.kind for e in events}
    assert kinds == {"meeting", "demand", "agreement", "statement"}
    browser.open(timeline, ready=READY)
    marks = browser.run(
        'return document.querySelectorAll("#timeline svg .mark-symbol.role-mark path").length'
    )
    assert marks == len(events)
    text = " ".join(browser.texts("#timeline svg text"))
    for quote in (r["quote"] for r in rows(select(source.path, "statements"))):
        assert quote.split()[0] in text
        assert " ".join(quote.split()[:4]) in text, quote
    for r in rows(select(source.path, "agreements")):
        assert f"{r['name']}: {r['status']}" in text
    days = [d for d in browser.texts("#timeline svg .mark-text.role-mark text") if d[:2] == "20"]
    assert days == sorted(days) and len(days) == len(events)


def test_timeline_is_the_same_every_time(timeline: Path, source, tmp_path) -> None:
    assert plot_timeline(source, tmp_path / "again.html").path.read_bytes() == timeline.read_bytes()


class MemorySource:
    """Made-up article graphs in an in-memory pyoxigraph store, with the ontology graph and
    the entity graph that an ingest adds (made by the real code)."""

    def __init__(self, trig: str):
        self.store = ox.Store()
        self.store.load(trig.encode(), ox.RdfFormat.TRIG)
        ensure_ontology(self.store)
        rebuild_entities(self.store, "https://example.org/id/")

    def select(self, sparql: str) -> Table:
        return select_sparql(self.store, sparql)

    def __str__(self) -> str:
        return "made-up graphs"


def article_graph(n: int, day: str, status: str, demand_status: str) -> str:
    """An invented article: the Valdoria Accord in some state, and a demand of Ruvia's.

    As the emitter writes it: what the article calls each actor in its own description,
    the agreement through a report, every fact derived from the article.
    """
    art = f"<https://example.org/id/article/a{n}>"
    said = f"https://example.org/id/article/a{n}"
    return f"""
    {art} {{
      {art} a kgb:Article ; kgb:articleId "a{n}" ; kgb:published "{day}"^^xsd:date ;
          kgb:mentions actor:ruvia, actor:valdoria .
      <{said}/description/actor/ruvia> a kgb:EntityDescription ; kgb:describes actor:ruvia ;
          kgb:describedAs kgb:State ; kgb:name "Ruvia" ; prov:wasDerivedFrom {art} .
      <{said}/description/actor/valdoria> a kgb:EntityDescription ;
          kgb:describes actor:valdoria ; kgb:describedAs kgb:State ; kgb:name "Valdoria" ;
          prov:wasDerivedFrom {art} .
      <{said}/agreement-report/1> a kgb:AgreementReport ; kgb:agreement agr:valdoria-accord ;
          kgb:name "Valdoria Accord" ; kgb:agreementKind "accord" ;
          kgb:agreementStatus agst:{status} ; kgb:party actor:ruvia, actor:valdoria ;
          prov:wasDerivedFrom {art} .
      <{said}/demand/1> a kgb:Demand ;
          kgb:content "reopen the border" ;
          kgb:demander actor:ruvia ; kgb:addressee actor:valdoria ;
          kgb:demandStatus dmst:{demand_status} ; prov:wasDerivedFrom {art} .
    }}"""


MADE_UP = (
    """@prefix kgb: <https://w3id.org/kg-builder/ontology#> .
@prefix agst: <https://w3id.org/kg-builder/code/agreement-status/> .
@prefix dmst: <https://w3id.org/kg-builder/code/demand-status/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix actor: <https://example.org/id/actor/> .
@prefix agr: <https://example.org/id/agreement/> .
"""
    + article_graph(1, "2021-03-01", "signed", "made")
    + article_graph(2, "2021-06-01", "suspended", "rejected")
)


def test_timeline_shows_when_an_agreements_status_changed() -> None:
    source = MemorySource(MADE_UP)
    agreements = [e.label for e in timeline_events(source) if e.kind == "agreement"]
    assert agreements == [
        "Valdoria Accord: signed (parties: Ruvia, Valdoria)",
        "Valdoria Accord: signed → suspended (parties: Ruvia, Valdoria)",
    ]
    later = timeline_events(source, Filters(start="2021-05-01"))
    assert {e.article_id for e in later} == {"a2"}
    assert [e.label for e in timeline_events(source, Filters(articles=("a1",)))][-1].endswith(
        "signed (parties: Ruvia, Valdoria)"
    )


def test_network_colours_demands_by_status(browser, tmp_path) -> None:
    picture = plot_network(MemorySource(MADE_UP), tmp_path / "made-up.html")
    browser.open(picture.path, ready=READY)
    colours = browser.run("return network.body.data.edges.get().map(e => e.color).sort()")
    assert colours == sorted([STATUS_COLOURS["made"], STATUS_COLOURS["rejected"]])
    assert "rejected" in " ".join(browser.texts("#demands"))


# --------------------------------------------------------------------------- store or endpoint


def test_pictures_from_an_endpoint_match_those_from_the_store(
    source: StoreSource, sample_store: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "store"
    shutil.copytree(sample_store, copy)
    # The view queries read the union of the graphs as the default graph (README).
    with OxigraphServer(copy, union_default_graph=True) as server:
        remote = EndpointSource(EndpointConfig.from_url(server.url))
        assert timeline_events(remote) == timeline_events(source)
        here, _ = network_html(source)
        there, _ = network_html(remote)
    assert there.replace(str(remote), str(source)) == here


def test_plot_commands_write_html_and_screenshot_takes_their_pictures(
    sample_store: Path, tmp_path: Path, browser
) -> None:
    runner = CliRunner()
    pages = []
    for kind in ("network", "timeline"):
        html = tmp_path / f"{kind}.html"
        result = runner.invoke(app, ["plot", kind, "--store", str(sample_store), "-o", str(html)])
        assert result.exit_code == Exit.OK, result.stderr
        assert html.is_file() and str(html) in result.stderr
        pages.append(str(html))
    result = runner.invoke(app, ["screenshot", *pages, "--width", "1000"])
    assert result.exit_code == Exit.OK, result.stderr
    for page in pages:
        png = Path(page).with_suffix(".png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(png[16:20], "big") == 1000  # the IHDR width
    result = runner.invoke(app, ["screenshot", *pages, "-o", str(tmp_path / "one.png")])
    assert result.exit_code == Exit.USAGE and "2 page(s) but 1 PNG" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "yesterday"], "YYYY-MM-DD"),
        (["--actor", "Nobody Atall"], "no actor called"),
        (["--endpoint", "http://localhost:1"], "exactly one of"),
    ],
)
def test_plot_command_refuses_bad_options(sample_store: Path, tmp_path, args, message) -> None:
    out = tmp_path / "x.html"
    result = CliRunner().invoke(
        app, ["plot", "network", "--store", str(sample_store), "-o", str(out), *args]
    )
    assert result.exit_code == Exit.USAGE
    assert message in result.stderr
    assert not out.exists()


def test_timeline_keeps_the_latest_events_when_told_to(tmp_path) -> None:
    source = MemorySource(MADE_UP)
    html, summary = timeline_html(source, max_events=2)
    assert "the latest 2 of 4 events" in html
    assert summary == "0 meetings, 1 demand, 1 agreement, 0 statements"
    shown = json.dumps("Valdoria Accord: signed → suspended (parties: Ruvia, Valdoria)")
    assert shown in html  # the chart's data, as JSON in the page
    with pytest.raises(ConfigError, match="at least 1"):
        timeline_html(source, max_events=0)
