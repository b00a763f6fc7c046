"""`kg-builder serve`: article and actor pages in front of the SPARQL server, looked at in
headless Chromium."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from interrupts import sigint_default
from oxigraph_server import free_port

from kg_builder.store.entities import rebuild_entities
from kg_builder.store.ontology import ensure_ontology
from kg_builder.store.query import Table, select, select_sparql
from kg_builder.view import data
from kg_builder.view.data import ActorRef, FactRecord
from kg_builder.view.pages import actor_path, article_path, fits, segments
from kg_builder.view.server import page_for, run_site
from kg_builder.view.source import StoreSource

pytestmark = pytest.mark.slow

ARTICLE = "tass-seed-russia-nato-council"


def fact(start: int, end: int, exact: str, kind: str = "demand", iri: str = "x:1") -> FactRecord:
    return FactRecord(iri, kind, "a1", "", exact, "", start, end, exact, "")


# --------------------------------------------------------------------------- highlighting


def test_segments_cut_at_every_start_and_end_and_keep_the_text() -> None:
    text = "Ruvia urged Valdoria to reopen the border at once."
    demand = fact(0, 49, text[:49])
    mention = fact(12, 20, "Valdoria", kind="mention", iri="x:2")
    act = fact(24, 41, "reopen the border", iri="x:3")
    pieces = segments(text, [demand, mention, act])
    assert "".join(p.text for p in pieces) == text
    assert [(p.text, p.facts) for p in pieces] == [
        ("Ruvia urged ", (0,)),
        ("Valdoria", (0, 1)),
        (" to ", (0,)),
        ("reopen the border", (0, 2)),
        (" at once", (0,)),
        (".", ()),
    ]
    assert pieces[1].anchors and pieces[0].anchors and not pieces[2].anchors


def test_segments_leave_out_offsets_that_miss_their_words() -> None:
    text = "Kenya called on Uganda to talk."
    wrong = fact(0, 5, "Uganda")  # the words are elsewhere
    beyond = fact(20, 99, "to talk.")
    assert not fits(text, wrong) and not fits(text, beyond)
    assert [p.facts for p in segments(text, [wrong, beyond])] == [()]


# --------------------------------------------------------------------------- actor addresses


def scoped_article(n: int, quote: str) -> str:
    """An invented article in which an unnamed source (an actor of this article only,
    described in the article graph) says ``quote``."""
    art = f"https://example.org/id/article/b{n}"
    source = f"<{art}/actor/ostrian-source>"
    start, end = 0, len(quote)
    return f"""
    <{art}> {{
      <{art}> a kgb:Article ; kgb:articleId "b{n}" ; kgb:text "{quote}" ;
          kgb:mentions {source} .
      <{art}/description/actor/ostrian-source> a kgb:EntityDescription ;
          kgb:describes {source} ; kgb:describedAs kgb:Person ;
          kgb:name "an Ostrian source" ; prov:wasDerivedFrom <{art}> .
      {source} a kgb:Person ; kgb:name "an Ostrian source" .
      <{art}/statement/1> a kgb:Statement ; kgb:quote "{quote}" ; kgb:speaker {source} ;
          prov:wasDerivedFrom <{art}> ; kgb:evidence <{art}/statement/1/evidence> .
      <{art}/statement/1/evidence> a kgb:Evidence ; kgb:start {start} ; kgb:end {end} ;
          kgb:exact "{quote}" ; kgb:sentence "{quote}" .
    }}"""


class ScopedSource:
    """Two invented articles, each with its own unnamed source."""

    def __init__(self) -> None:
        prefixes = """@prefix kgb: <https://w3id.org/kg-builder/ontology#> .
        @prefix prov: <http://www.w3.org/ns/prov#> ."""
        trig = (
            prefixes + scoped_article(1, "The dam opens.") + scoped_article(2, "The pass is shut.")
        )
        self.store = ox.Store()
        self.store.load(trig.encode(), ox.RdfFormat.TRIG)
        ensure_ontology(self.store)
        rebuild_entities(self.store, "https://example.org/id/")

    def select(self, sparql: str) -> Table:
        return select_sparql(self.store, sparql)


def test_an_actor_of_one_article_has_its_own_readable_address() -> None:
    shared = ActorRef("Ruvia", "https://example.org/id/actor/ruvia")
    assert shared.key == "ruvia" and actor_path(shared) == "/actor/ruvia"
    source = ScopedSource()
    found = data.find_actors(source, "an Ostrian source")
    assert [actor_path(a) for a in found] == [
        "/actor/b1/ostrian-source",
        "/actor/b2/ostrian-source",
    ]
    quotes = (("The dam opens.", "The pass"), ("The pass is shut.", "The dam"))
    for ref, (quote, other) in zip(found, quotes, strict=True):
        status, html = page_for(source, actor_path(ref))
        assert status == 200 and quote in html and other not in html


# --------------------------------------------------------------------------- the served site


@pytest.fixture(scope="module")
def site(sample_store: Path) -> Iterator[str]:
    ready: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(
        target=run_site,
        args=(sample_store, "127.0.0.1", free_port()),
        kwargs={"ready_callback": ready.append, "stop": stop},
    )
    thread.start()
    try:
        for _ in range(600):
            if ready or not thread.is_alive():
                break
            threading.Event().wait(0.05)
        assert ready, "the site did not start"
        yield ready[0].rstrip("/")
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()


@pytest.fixture(scope="module")
def source(sample_store: Path) -> StoreSource:
    return StoreSource(sample_store)


def rows(table: Table) -> list[dict[str, str]]:
    return [dict(zip(table.columns, r, strict=True)) for r in table.rows]


def test_article_page_highlights_every_fact_at_its_offsets(browser, site: str, source) -> None:
    article = data.article(source, ARTICLE)
    found = data.facts(source, article_id=ARTICLE)
    assert article is not None and len(found) > 50
    browser.open(site + article_path(ARTICLE), ready="#text")
    assert browser.run('return document.getElementById("text").textContent') == article.text
    pieces = browser.run(
        "return Array.from(document.querySelectorAll('#text [data-facts]'),"
        " e => [Number(e.dataset.start), e.textContent, e.dataset.facts]);"
    )
    covered: dict[int, set[int]] = {}
    for start, text, facts in pieces:
        assert article.text[start : start + len(text)] == text
        for i in facts.split():
            covered.setdefault(int(i), set()).update(range(start, start + len(text)))
    for i, f in enumerate(found):
        assert fits(article.text, f), f
        assert covered.get(i) == set(range(f.start, f.end)), (f.kind, f.label)


def test_article_page_lists_the_facts_beside_the_text(browser, site: str, sample_store) -> None:
    browser.open(site + article_path(ARTICLE), ready="#facts")
    listed = " ".join(browser.texts("#facts"))
    for r in rows(select(sample_store, "demands")):
        assert r["content"] in listed and r["demander"] in listed
    for r in rows(select(sample_store, "statements")):
        assert " ".join(r["quote"].split()[:5]) in " ".join(listed.split())
    for r in rows(select(sample_store, "agreements")):
        assert r["name"] in listed
    # each listed fact links to its words in the text
    targets = browser.run(
        "return Array.from(document.querySelectorAll('#facts li > a[href^=\"#ev-\"]'),"
        " a => a.getAttribute('href').slice(1));"
    )
    assert targets
    missing = browser.run(
        "return arguments[0].filter(id => !document.getElementById(id));", targets
    )
    assert missing == []


def test_actor_links_lead_to_the_actor_page(browser, site: str, source) -> None:
    from selenium.webdriver.common.by import By

    browser.open(site + article_path(ARTICLE), ready="#actors")
    names = browser.texts("#actors li > a")
    assert sorted(names) == sorted(a.ref.name for a in data.actors(source))
    link = browser.driver.find_element(By.CSS_SELECTOR, "#text a.mention")
    name = data.find_actors(source, link.get_attribute("href").rsplit("/", 1)[-1])[0].name
    link.click()
    browser.open(browser.driver.current_url, ready="main h1")
    assert browser.texts("main h1") == [name]


def test_actor_page_lists_what_the_actor_did(browser, site: str, source, sample_store) -> None:
    russia = data.find_actors(source, "Russia")[0]
    demands = {
        r["demand"]
        for r in rows(select(sample_store, "demands"))
        if russia.name in (r["demander"], r["addressee"])
    }
    browser.open(site + actor_path(russia), ready="main h1")
    assert browser.texts("main h1") == [russia.name]
    assert len(browser.texts("#demands > li")) == len(demands)
    said = [r for r in rows(select(sample_store, "statements")) if r["speaker"] == russia.name]
    assert len(browser.texts("#statements > li")) == len(said)
    # the links to the words of each fact land on the article page, at those words
    href = browser.run("return document.querySelector('#demands a[href*=\"#ev-\"]').href")
    browser.open(href, ready="#text")
    anchor = urllib.parse.urlsplit(href).fragment
    assert browser.run("return !!document.getElementById(arguments[0])", anchor)


def test_index_pages_list_articles_and_actors(browser, site: str, source) -> None:
    browser.open(site + "/article/", ready="main h1")
    assert data.articles(source)[0].title in " ".join(browser.texts("#articles"))
    browser.open(site + "/actor/", ready="main h1")
    assert len(browser.texts("#actors tr")) == len(data.actors(source)) + 1


def test_sparql_page_and_endpoint_stay_where_they_were(browser, site: str, sample_store) -> None:
    browser.open(site + "/", ready=".yasqe")
    assert browser.run("return typeof Yasgui") == "function"
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    request = urllib.request.Request(
        site + "/query",
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=20) as answer:
        n = json.loads(answer.read())["results"]["bindings"][0]["n"]["value"]
    expected = select(sample_store, _write(sample_store.parent / "count.rq", query))
    assert n == expected.rows[0][0]


def _write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("path", ["/article/no-such-article", "/actor/no-such-actor"])
def test_unknown_article_or_actor_is_not_found(site: str, path: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(site + path, timeout=20)
    assert caught.value.code == 404
    assert "There is no" in caught.value.read().decode()


def test_serve_command_serves_pages_and_stops_on_ctrl_c(sample_store: Path, tmp_path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kg_builder",
            "serve",
            "--store",
            str(sample_store),
            "--port",
            str(port),
        ],
        preexec_fn=sigint_default,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "300"},
    )
    try:
        line = proc.stderr.readline()
        found = re.search(r"at (http://\S+?/):", line)
        assert found, line or proc.stderr.read()
        url = found.group(1)
        assert f"{url}article/" in line and f"{url}query" in line
        with urllib.request.urlopen(url + "article/" + ARTICLE, timeout=20) as page:
            assert page.status == 200 and "text/html" in page.headers["Content-Type"]
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=2)
