"""Push to and query a real `oxigraph serve` (started per test on a free loopback port)."""

from __future__ import annotations

import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from oxigraph_server import (
    OxigraphServer,
    article_iri,
    article_ntriples,
    auth_proxy,
    build_store,
    free_port,
    html_site,
)

from kg_builder.errors import ConfigError, EndpointError, PushError, QueryError, StoreError
from kg_builder.remote.endpoint import EndpointConfig
from kg_builder.remote.push import DEFAULT_GRAPH, push
from kg_builder.remote.sparql import query_endpoint
from kg_builder.store import GraphWrite, dump_graph_ntriples, open_store, replace_graphs

pytestmark = pytest.mark.slow

SIZES = {i: 120 + 37 * i for i in range(8)}  # 8 articles, 120..379 triples


@pytest.fixture(autouse=True)
def no_credentials_from_the_environment(monkeypatch):
    for name in (
        "KG_BUILDER_ENDPOINT_USER",
        "KG_BUILDER_ENDPOINT_PASSWORD",
        "KG_BUILDER_ENDPOINT_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server(tmp_path: Path):
    srv = OxigraphServer(tmp_path / "remote").start()
    yield srv
    srv.stop(kill=True)


@pytest.fixture
def local(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    path = tmp_path / "store"
    return path, build_store(path, SIZES)


def config_for(url: str, **kw) -> EndpointConfig:
    kw.setdefault("retries", 2)
    kw.setdefault("backoff", 0.05)
    kw.setdefault("timeout", 10)
    return EndpointConfig.from_url(url, **kw)


def remote_graph(server_url: str, graph: str | None) -> bytes:
    param = "default" if graph is None else "graph=" + urllib.parse.quote(graph, safe="")
    req = urllib.request.Request(
        f"{server_url}/store?{param}", headers={"Accept": "application/n-triples"}
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.read()


def remote_counts(server_url: str) -> dict[str, int]:
    cols, rows = query_endpoint(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
        config_for(server_url),
    )
    return {g: int(n) for g, n in rows}


def triples_of(ntriples: bytes) -> set[str]:
    return {str(q.triple) for q in ox.parse(ntriples, ox.RdfFormat.N_TRIPLES)}


def local_graph(store_path: Path, graph: str) -> bytes:
    store = open_store(store_path, read_only=True)
    return dump_graph_ntriples(store, graph)


# --------------------------------------------------------------------------- configuration


def test_from_url_should_derive_the_urls_of_oxigraph_fuseki_and_graphdb():
    ox_ = EndpointConfig.from_url("http://localhost:7878/")
    assert (ox_.query_url, ox_.update_url, ox_.gsp_url) == (
        "http://localhost:7878/query",
        "http://localhost:7878/update",
        "http://localhost:7878/store",
    )
    fu = EndpointConfig.from_url("http://h:3030/news/sparql")
    assert (fu.query_url, fu.update_url, fu.gsp_url) == (
        "http://h:3030/news/query",
        "http://h:3030/news/update",
        "http://h:3030/news/data",
    )
    gdb = EndpointConfig.from_url("https://h:7200/repositories/kg")
    assert (gdb.query_url, gdb.update_url, gdb.gsp_url) == (
        "https://h:7200/repositories/kg",
        "https://h:7200/repositories/kg/statements",
        "https://h:7200/repositories/kg/rdf-graphs/service",
    )
    explicit = EndpointConfig.from_url("http://h:3030/news", gsp_url="http://h:3030/news/gsp")
    assert explicit.gsp_url == "http://h:3030/news/gsp"
    with pytest.raises(ConfigError, match="dataset"):
        EndpointConfig.from_url("http://h:3030", layout="fuseki")
    with pytest.raises(ConfigError, match="http"):
        EndpointConfig.from_url("ftp://h/x")


def test_credentials_should_come_from_env_and_never_show_in_repr(monkeypatch):
    monkeypatch.setenv("KG_BUILDER_ENDPOINT_USER", "alice")
    monkeypatch.setenv("KG_BUILDER_ENDPOINT_PASSWORD", "pa55-from-env")
    cfg = EndpointConfig.from_url("http://localhost:7878")
    assert (cfg.user, cfg.password) == ("alice", "pa55-from-env")
    assert "pa55-from-env" not in repr(cfg) and "pa55-from-env" not in str(cfg)
    assert cfg.auth_header.startswith("Basic ")
    monkeypatch.delenv("KG_BUILDER_ENDPOINT_USER")
    monkeypatch.delenv("KG_BUILDER_ENDPOINT_PASSWORD")
    monkeypatch.setenv("KG_BUILDER_ENDPOINT_TOKEN", "tok-123456")
    cfg = EndpointConfig.from_url("http://localhost:7878")
    assert cfg.auth_header == "Bearer tok-123456" and "tok-123456" not in repr(cfg)
    # URL credentials move out of the URLs; explicit options win over the environment.
    cfg = EndpointConfig.from_url("http://bob:s%40fe@localhost:7878")
    assert (cfg.user, cfg.password, cfg.token) == ("bob", "s@fe", None)
    assert "s@fe" not in cfg.gsp_url + repr(cfg)
    with pytest.raises(ConfigError, match="not both"):
        EndpointConfig.from_url("http://localhost:7878", user="a", password="b", token="c")


# --------------------------------------------------------------------------- push


METHODS = ["gsp", "bulk"]


@pytest.mark.parametrize("method", METHODS)
def test_push_per_article_should_match_local_counts_and_content(server, local, method):
    store_path, counts = local
    seen = []
    report = push(
        store_path, config_for(server.url), progress=lambda *a: seen.append(a), method=method
    )
    assert report.complete and report.verified and not report.mismatches
    assert report.method == method
    assert sorted(report.graphs_pushed) == sorted(counts)
    assert report.triples == sum(counts.values())
    assert remote_counts(server.url) == counts
    assert seen[-1] == (len(counts), len(counts), sum(counts.values()))
    # Escaping survives: quotes, backslashes, tabs, newlines, Cyrillic, CJK, emoji.
    g = article_iri(3)
    assert triples_of(remote_graph(server.url, g)) == triples_of(local_graph(store_path, g))


@pytest.mark.parametrize("method", METHODS)
def test_push_twice_should_be_idempotent(server, local, method):
    store_path, counts = local
    config = config_for(server.url)
    push(store_path, config, method=method)
    first = {g: triples_of(remote_graph(server.url, g)) for g in counts}
    report = push(store_path, config, method=method)
    assert report.complete
    assert remote_counts(server.url) == counts
    assert {g: triples_of(remote_graph(server.url, g)) for g in counts} == first


@pytest.mark.parametrize("method", METHODS)
def test_push_after_a_local_edit_should_change_only_that_graph(server, local, method):
    store_path, counts = local
    config = config_for(server.url)
    push(store_path, config, method=method)
    before = {g: remote_graph(server.url, g) for g in counts}
    edited = article_iri(2)
    store = open_store(store_path)
    replace_graphs(store, [GraphWrite(edited, article_ntriples(2, 90, version=1))])
    store.flush()
    del store
    report = push(store_path, config, method=method)
    assert report.complete
    after = {g: remote_graph(server.url, g) for g in counts}
    assert remote_counts(server.url)[edited] == 90
    assert triples_of(after[edited]) == triples_of(local_graph(store_path, edited))
    assert triples_of(after[edited]) != triples_of(before[edited])
    for g in counts:
        if g != edited:
            assert triples_of(after[g]) == triples_of(before[g]), g


@pytest.mark.parametrize("method", METHODS)
def test_push_single_mode_should_merge_all_articles_into_one_graph(server, local, method):
    store_path, counts = local
    target = "https://example.org/graphs/news"
    config = config_for(server.url, chunk_triples=500)
    report = push(store_path, config, mode="single", graph=target, method=method)
    assert report.complete and report.graphs_pushed == (target,)
    assert remote_counts(server.url) == {target: sum(counts.values())}
    union: set[str] = set()
    for g in counts:
        union |= triples_of(local_graph(store_path, g))
    assert triples_of(remote_graph(server.url, target)) == union
    assert push(store_path, config, mode="single", graph=target, method=method).complete
    assert triples_of(remote_graph(server.url, target)) == union  # replaced, not appended
    with pytest.raises(ConfigError, match="single mode"):
        push(store_path, config_for(server.url), mode="single")


@pytest.mark.parametrize("method", METHODS)
def test_push_single_mode_should_count_triples_shared_by_articles_once(server, tmp_path, method):
    store_path = tmp_path / "store"
    shared = f"<{article_iri(0)}> <https://schema.org/about> <https://example.org/nato> .\n"
    store = open_store(store_path)
    replace_graphs(
        store, [GraphWrite(article_iri(i), article_ntriples(i, 30) + shared) for i in range(3)]
    )
    store.flush()
    del store
    report = push(
        store_path,
        config_for(server.url),
        mode="single",
        graph="https://example.org/graphs/news",
        method=method,
    )
    assert report.complete and not report.mismatches
    assert remote_counts(server.url) == {"https://example.org/graphs/news": 3 * 30 + 1}


@pytest.mark.parametrize("method", METHODS)
def test_push_should_not_confirm_a_graph_the_server_accepted_but_lost(server, local, method):
    store_path, counts = local
    lost = article_iri(3)

    def swallow(verb: str, path: str, body: bytes):
        put = verb == "PUT" and urllib.parse.quote(lost, safe="") in path
        load = verb == "POST" and path.startswith("/store") and f"<{lost}> .".encode() in body
        if put or load:
            return 204, b""  # "accepted", never stored
        return None

    # One request per graph at most: 100 triples per request, graphs of 120 and more.
    with auth_proxy(server.url, token="tok-123", intercept=swallow) as proxy:
        config = config_for(proxy.url, token="tok-123", chunk_triples=100)
        report = push(store_path, config, method=method)
    assert not report.verified and not report.complete
    assert report.mismatches == {lost: (counts[lost], 0)}
    assert lost not in report.graphs_pushed and "holds 0 triples" in report.graphs_failed[lost]
    assert len(report.graphs_pushed) == len(counts) - 1


@pytest.mark.parametrize("method", METHODS)
def test_push_default_mode_should_replace_the_default_graph(server, local, method):
    store_path, counts = local
    config = config_for(server.url, chunk_triples=700)
    report = push(store_path, config, mode="default", method=method)
    assert report.complete and report.graphs_pushed == (DEFAULT_GRAPH,)
    assert len(triples_of(remote_graph(server.url, None))) == sum(counts.values())
    assert remote_counts(server.url) == {}  # no named graph was written
    assert push(store_path, config, mode="default", method=method).complete  # replaces
    assert len(triples_of(remote_graph(server.url, None))) == sum(counts.values())


@pytest.mark.parametrize("method", METHODS)
def test_push_should_chunk_big_graphs_and_keep_blank_nodes_whole(server, tmp_path, method):
    store_path = tmp_path / "big"
    counts = build_store(store_path, {0: 1000, 1: 40, 2: 4 + 9 * 105}, blank_nodes=frozenset({2}))
    calls = []
    report = push(
        store_path,
        config_for(server.url, chunk_triples=100),
        progress=lambda *a: calls.append(a),
        method=method,
    )
    assert report.complete
    assert remote_counts(server.url) == counts
    assert len(calls) >= 20  # one progress call per accepted request
    assert triples_of(remote_graph(server.url, article_iri(0))) == triples_of(
        local_graph(store_path, article_iri(0))
    )
    # Blank nodes split over two requests would become two nodes: compare the structure.
    remote_g = named_blank_nodes(remote_graph(server.url, article_iri(2)))
    assert remote_g == named_blank_nodes(local_graph(store_path, article_iri(2)))


def named_blank_nodes(ntriples: bytes) -> set[tuple[str, str, str]]:
    """The triples with each blank node named by its (unique) kgb:order value."""
    triples = [q.triple for q in ox.parse(ntriples, ox.RdfFormat.N_TRIPLES)]
    order = {
        t.subject: t.object.value
        for t in triples
        if t.predicate.value.endswith("#order") and isinstance(t.subject, ox.BlankNode)
    }

    def name(term) -> str:
        return f"order:{order[term]}" if isinstance(term, ox.BlankNode) else str(term)

    return {(name(t.subject), str(t.predicate), name(t.object)) for t in triples}


@pytest.mark.parametrize("workers, method", [(1, "gsp"), (4, "gsp"), (1, "bulk")])
def test_push_interrupted_by_a_crash_should_report_only_complete_graphs(
    server, tmp_path, workers, method
):
    store_path = tmp_path / "store"
    sizes = {i: 150 for i in range(12)}
    sizes[4] = 450  # sent in 5 requests of 100
    counts = build_store(store_path, sizes)
    config = config_for(server.url, chunk_triples=100, retries=1, workers=workers)

    def crash(graphs_done: int, total: int, triples_done: int) -> None:
        if graphs_done >= 4 and triples_done >= 4 * 150 + 200:  # inside article 4 (1 worker)
            server.stop(kill=True)

    with pytest.raises(PushError) as caught:
        push(store_path, config, progress=crash, method=method)
    exc = caught.value
    report = exc.report
    assert isinstance(exc, EndpointError) and report is not None
    assert not report.verified and report.graphs_failed and report.graphs_not_sent > 0
    assert "pushing again is safe" in str(exc)
    if workers == 1:
        assert report.graphs_pushed == tuple(article_iri(i) for i in range(4))
        assert set(report.graphs_failed) == {article_iri(4)}
        assert "partly sent" in str(exc)

    server.start()  # same data folder
    on_server = remote_counts(server.url)
    for g in report.graphs_pushed:
        assert on_server[g] == counts[g]
    if workers == 1:
        assert 0 < on_server[article_iri(4)] < counts[article_iri(4)]  # partly there

    # Every graph the server holds in part is named in the report.
    partial = {g for g, n in on_server.items() if n != counts[g]}
    assert partial <= set(report.graphs_failed)
    again = push(store_path, config, method=method)
    assert again.complete and remote_counts(server.url) == counts


@pytest.mark.parametrize("method", METHODS)
def test_push_should_retry_server_errors_and_report_refused_graphs(server, local, method):
    """In bulk, the request holding the refused graph is refused; its graphs then go one by
    one by the Graph Store Protocol, so that only the bad one is left out."""
    store_path, counts = local
    refused = article_iri(5)
    failures = {"left": 3}

    def intercept(verb: str, path: str, body: bytes):
        writes = verb == "PUT" or (verb == "POST" and path.startswith("/store"))
        if writes and failures["left"] > 0:
            failures["left"] -= 1
            return 503, b"busy, try later"
        put = verb == "PUT" and urllib.parse.quote(refused, safe="") in path
        if put or (writes and f"<{refused}> .".encode() in body):
            return 400, b"Parser error at line 7: bad literal"
        return None

    with auth_proxy(server.url, user="u", password="pw-ok-1", intercept=intercept) as proxy:
        config = config_for(proxy.url, user="u", password="pw-ok-1", retries=4, backoff=0.01)
        report = push(store_path, config, method=method)
    assert failures["left"] == 0
    assert not report.complete
    assert set(report.graphs_failed) == {refused}
    assert "400" in report.graphs_failed[refused]
    assert "Parser error at line 7" in report.graphs_failed[refused]
    assert sorted(report.graphs_pushed) == sorted(g for g in counts if g != refused)
    assert report.verified  # the pushed graphs all match


def test_push_with_a_wrong_password_should_say_so_without_leaking_it(server, local):
    store_path, counts = local
    with auth_proxy(server.url, user="alice", password="right-horse-battery") as proxy:
        with pytest.raises(PushError) as caught:
            push(store_path, config_for(proxy.url, user="alice", password="wr0ng-staple-99"))
        text = str(caught.value) + repr(caught.value) + repr(caught.value.report)
        assert caught.value.status == 401
        assert "credentials were refused" in text
        assert "wr0ng-staple-99" not in text
        assert "d3Iwbmctc3RhcGxlLTk5" not in text  # nor its base64
        with pytest.raises(EndpointError, match="KG_BUILDER_ENDPOINT_USER"):
            push(store_path, config_for(proxy.url))
        report = push(
            store_path, config_for(proxy.url, user="alice", password="right-horse-battery")
        )
        assert report.complete
    with auth_proxy(server.url, token="tok-abcdef") as proxy:
        with pytest.raises(EndpointError) as caught:
            query_endpoint("ASK {}", config_for(proxy.url, token="tok-wrong-1"))
        assert caught.value.status == 401 and "tok-wrong-1" not in str(caught.value)
        assert query_endpoint("ASK {}", config_for(proxy.url, token="tok-abcdef")) == (
            ["boolean"],
            [["true"]],
        )


def test_push_to_a_closed_port_should_fail_fast(local):
    store_path, _ = local
    url = f"http://127.0.0.1:{free_port()}"
    started = time.monotonic()
    with pytest.raises(PushError) as caught:
        push(store_path, config_for(url, retries=1, backoff=0.01))
    assert time.monotonic() - started < 5
    assert caught.value.status is None
    assert "no answer" in str(caught.value)
    assert caught.value.report.graphs_pushed == ()


@pytest.mark.parametrize("everywhere", [False, True])
def test_push_to_a_web_site_should_ask_if_it_is_a_sparql_endpoint(local, everywhere):
    store_path, _ = local
    with (
        html_site(everywhere=everywhere) as site,
        pytest.raises(EndpointError, match="is this a SPARQL query endpoint"),
    ):
        push(store_path, config_for(site.url))


def test_push_to_a_wrong_graph_store_url_should_ask_if_it_is_one(server, local):
    store_path, _ = local
    with html_site(everywhere=False) as site:
        config = config_for(server.url, gsp_url=site.url + "/data")
        with pytest.raises(PushError, match="is this a SPARQL Graph Store endpoint") as caught:
            push(store_path, config)
    assert caught.value.status == 404 and caught.value.report.graphs_pushed == ()


def test_push_of_an_empty_or_missing_store_should_raise_store_error(server, tmp_path):
    with pytest.raises(StoreError):
        push(tmp_path / "missing", config_for(server.url))
    open_store(tmp_path / "empty")
    with pytest.raises(StoreError, match="nothing to push"):
        push(tmp_path / "empty", config_for(server.url))


# --------------------------------------------------------------------------- remote query

QUERIES = [
    """PREFIX schema: <https://schema.org/>
       SELECT ?a ?h WHERE { GRAPH ?a { ?a schema:headline ?h } } ORDER BY ?a""",
    """PREFIX kgb: <https://w3id.org/kg-builder/ontology#>
       SELECT ?s ?q ?next WHERE { GRAPH ?g { ?s kgb:quote ?q OPTIONAL { ?s kgb:next ?next } } }
       ORDER BY ?s LIMIT 40""",
    """PREFIX kgb: <https://w3id.org/kg-builder/ontology#>
       SELECT ?speaker (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s kgb:speaker ?speaker } }
       GROUP BY ?speaker ORDER BY DESC(?n) ?speaker""",
]


def test_query_endpoint_should_return_the_rows_of_a_local_query(server, local):
    store_path, _ = local
    config = config_for(server.url)
    push(store_path, config)
    store = open_store(store_path, read_only=True)
    for sparql in QUERIES:
        res = store.query(sparql)
        columns = [v.value for v in res.variables]
        rows = [["" if s[c] is None else s[c].value for c in columns] for s in res]
        assert query_endpoint(sparql, config) == (columns, rows)
    assert any("" in row for row in query_endpoint(QUERIES[1], config)[1])  # unbound
    long_query = QUERIES[0].replace("ORDER BY", " " * 3000 + "ORDER BY")  # sent by POST
    assert query_endpoint(long_query, config)[1] == query_endpoint(QUERIES[0], config)[1]


def test_query_endpoint_should_quote_the_servers_parse_error_as_a_query_error(server):
    with pytest.raises(QueryError) as caught:
        query_endpoint("SELECT ?x WHERE { ?x ?y }", config_for(server.url))
    assert isinstance(caught.value, EndpointError)  # also what it is for the protocol
    assert caught.value.status == 400 and "rejected the query" in str(caught.value)
    with pytest.raises(QueryError):
        query_endpoint("INSERT DATA { <a:b> <a:c> <a:d> }", config_for(server.url))
