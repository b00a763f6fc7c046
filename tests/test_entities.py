"""One graph across articles: canonical entity descriptions, kept up to date in the store.

The rules (kg_builder.rdf.entities) on hand-made descriptions; the store's entity graph
(kg_builder.store.entities) on the real dev articles: the union of all graphs conforms,
and the entity graph depends only on which articles are stored — not on their order, not
on how often one was re-ingested.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg_builder.models import (
    Actor,
    ActorKind,
    Agreement,
    AgreementStatus,
    Article,
    Extraction,
    Mention,
    Span,
)
from kg_builder.pipeline.run import IngestOptions, ingest
from kg_builder.rdf import vocab as V
from kg_builder.rdf.claims import Description, EntityData, Tally
from kg_builder.rdf.derived import derived_triples
from kg_builder.rdf.emit import emit_triples
from kg_builder.rdf.entities import (
    CLASS_PRECEDENCE,
    canonical_class,
    canonical_triples,
    entity_graph,
    vote,
)
from kg_builder.rdf.iris import IriMinter
from kg_builder.rdf.ntriples import to_ntriples
from kg_builder.rdf.validate import graph_of, validate_graph
from kg_builder.store import GraphWrite, dump_graph_ntriples, export, open_store
from kg_builder.store.embedded import PENDING_FILE as GRAPHS_JOURNAL
from kg_builder.store.entities import (
    PENDING_FILE,
    ArticleWriter,
    rebuild_entities,
    write_articles,
)
from kg_builder.store.ontology import ONTOLOGY_GRAPH, ensure_ontology, shipped_ontology
from kg_builder.store.validate import validate_path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "eval" / "dev"
MINTER = IriMinter(V.DEFAULT_BASE)
ENTITIES = MINTER.entity_graph()
E = URIRef(V.DEFAULT_BASE + "actor/ostria")


def _tally(*descriptions: Description) -> Tally:
    tally = Tally()
    for d in descriptions:
        tally.add(d)
    return tally


def _d(cls, name, article="a1", **kw) -> Description:
    return Description(E, URIRef(MINTER.article(article)), cls, name, **kw)


# ---- the rules


def test_vote_takes_the_most_frequent_value_then_the_tiebreak() -> None:
    assert vote(["b", "a", "b"]) == "b"
    assert vote(["b", "a"]) == "a"
    assert vote(Counter({"Ostria": 1, "Republic of Ostria": 1}), lambda n: (-len(n), n)) == (
        "Republic of Ostria"
    )
    assert vote([None, None]) is None


def test_class_is_the_most_frequent_then_the_fixed_precedence() -> None:
    assert (
        canonical_class(_tally(_d(V.State, "x"), _d(V.Organisation, "x"), _d(V.State, "x")))
        == V.State
    )
    assert canonical_class(
        _tally(_d(V.Organisation, "x"), _d(V.Organisation, "x"), _d(V.State, "x"))
    ) == (V.Organisation)
    # A tie: a specific class before the general one, whatever the order of the articles.
    for order in ((V.Organisation, V.State), (V.State, V.Organisation)):
        assert canonical_class(_tally(*(_d(c, "x") for c in order))) == V.State
    assert CLASS_PRECEDENCE.index(V.State) < CLASS_PRECEDENCE.index(V.Organisation)


def test_canonical_description_has_one_class_one_name_and_every_other_name_as_alias() -> None:
    data = EntityData(
        descriptions={
            E: _tally(
                _d(V.State, "Ostria", "a1", aliases=("Ostrian",), wikidata="Q77"),
                _d(V.Organisation, "Ostrian government", "a2", wikidata="Q76"),
                _d(V.State, "Ostria", "a3"),
            )
        }
    )
    triples = canonical_triples(data, [E], lambda _: None)
    g = graph_of(triples)
    assert list(g.objects(E, RDF.type)) == [V.State]
    assert list(g.objects(E, V.name)) == [Literal("Ostria")]
    assert set(g.objects(E, V.alias)) == {Literal("Ostrian"), Literal("Ostrian government")}
    assert list(g.objects(E, V.wikidata)) == [Literal("Q76")]  # a tie: the lower Q-number
    assert list(g.objects(E, V.exactMatch)) == [V.WD.Q76]


def test_parent_organisation_is_kept_only_between_organisations() -> None:
    ministry, parent = URIRef(V.DEFAULT_BASE + "actor/m"), URIRef(V.DEFAULT_BASE + "actor/p")
    d = Description(ministry, None, V.GovernmentBody, "Ministry", part_of=parent)
    data = EntityData(descriptions={ministry: _tally(d)})
    linked = graph_of(canonical_triples(data, [ministry], {parent: V.State}.get))
    unlinked = graph_of(canonical_triples(data, [ministry], {parent: V.Person}.get))
    assert (ministry, V.partOf, parent) in linked
    assert (ministry, V.partOf, parent) not in unlinked


def _article(article_id: str, kind: ActorKind, name: str) -> Extraction:
    text = f"{name} spoke."
    return Extraction(
        Article(id=article_id, text=text),
        actors=(Actor("ostria", name, kind),),
        mentions=(Mention("ostria", name, Span(0, len(name), 0, len(text))),),
    )


def test_articles_that_disagree_still_give_a_union_that_conforms() -> None:
    """The problem this design solves: two articles typing and naming one actor
    differently. Each article graph conforms; so does their union with the entity graph,
    with one class and one name."""
    extractions = [
        _article("a1", ActorKind.STATE, "Ostria"),
        _article("a2", ActorKind.ORGANISATION, "Ostrian government"),
    ]
    articles = [emit_triples(x) for x in extractions]
    assert all(validate_graph(graph_of(a)).conforms for a in articles)
    union = [t for a in articles for t in a]
    union += entity_graph(union, MINTER)
    report = validate_graph(graph_of(union), entities=False)
    assert report.conforms, report.summary(10)
    assert len(list(graph_of(union).objects(E, V.name))) == 1


# ---- the store: the dev articles


def _dev_records() -> list[dict]:
    if not DEV.is_dir():
        pytest.skip(f"the shared dev set is not at {DEV}")
    keys = ("id", "url", "source", "published", "title", "text")
    return [
        {k: json.loads(p.read_text(encoding="utf-8")).get(k) for k in keys}
        for p in sorted(DEV.glob("*.json"))
    ]


def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _graph(store_path: Path, graph: str) -> set:
    store = open_store(store_path, read_only=True)
    return {q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))}


def _article_triples(store_path: Path) -> list[tuple]:
    from kg_builder.store.entities import _rdflib

    store = open_store(store_path, read_only=True)
    return [
        (_rdflib(q.subject), _rdflib(q.predicate), _rdflib(q.object))
        for q in store.quads_for_pattern(None, None, None, None)
        if MINTER.is_article_scoped(URIRef(q.graph_name.value))
    ]


@pytest.fixture(scope="module")
def dev_store(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("dev")
    report = ingest([_jsonl(tmp / "dev.jsonl", _dev_records())], tmp / "store")
    assert report.stored == len(_dev_records()) and not report.failed
    return tmp / "store"


def test_the_union_of_the_dev_store_conforms_in_pyshacl(dev_store: Path) -> None:
    (report,) = validate_path(dev_store, union=True).values()
    assert report.conforms, report.summary(20)


def test_the_merged_turtle_export_conforms(dev_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    export(open_store(dev_store, read_only=True), "turtle", out)
    data = Graph().parse(out, format="turtle")
    report = validate_graph(data, entities=False)
    assert report.conforms, report.summary(20)
    # one class per actor, one name per entity: what failed before the entity graph
    actors = set(data.subjects(V.name, None)) & {
        s for s, o in data.subject_objects(RDF.type) if o in CLASS_PRECEDENCE
    }
    assert actors and all(len(list(data.objects(a, V.name))) == 1 for a in actors)


def test_the_store_entity_graph_is_the_one_its_articles_imply(dev_store: Path) -> None:
    """Maintained batch by batch, it equals the entity graph computed at once from all
    the article graphs."""
    from kg_builder.store.entities import _rdflib

    stored = {tuple(map(_rdflib, t)) for t in _graph(dev_store, ENTITIES)}
    assert stored == set(entity_graph(_article_triples(dev_store), MINTER))
    assert any(t[1] == RDF.type and t[2] == V.TrackedDemand for t in stored)


def test_another_order_or_a_reingested_article_gives_the_same_entity_graph(
    dev_store: Path, tmp_path: Path
) -> None:
    """The dev articles in reverse order and other batches give the same entity graph;
    so does changing one article (its entities lose and gain descriptions) and putting it
    back: the entity graph is that of a store that never saw the change."""
    records = _dev_records()
    store = tmp_path / "store"
    reverse = _jsonl(tmp_path / "reversed.jsonl", list(reversed(records)))
    ingest([reverse], store, IngestOptions(batch_size=7))
    assert _graph(store, ENTITIES) == _graph(dev_store, ENTITIES)
    changed = dict(records[0], text="Ostria urged Valdoria to reopen the border.")
    ingest([_jsonl(tmp_path / "changed.jsonl", [changed])], store)
    assert _graph(store, ENTITIES) != _graph(dev_store, ENTITIES)
    ingest([_jsonl(tmp_path / "again.jsonl", [records[0]])], store)
    assert _graph(store, ENTITIES) == _graph(dev_store, ENTITIES)


def test_a_cut_off_entity_update_is_finished_by_the_next_write(
    dev_store: Path, tmp_path: Path
) -> None:
    """As if the process died after writing a batch's article graphs: the journal is left
    and the entity graph lags; the next write rebuilds it."""
    import shutil

    store_path = tmp_path / "store"
    shutil.copytree(dev_store, store_path)
    store = open_store(store_path)
    store.update(f"DROP GRAPH <{ENTITIES}>")
    (store_path / PENDING_FILE).write_text("whatever was being written\n", encoding="utf-8")
    write_articles(store, [], journal=store_path / "kg-builder-pending-graphs.txt")
    assert not (store_path / PENDING_FILE).exists()
    store.flush()
    del store
    assert _graph(store_path, ENTITIES) == _graph(dev_store, ENTITIES)


def _nquads(store_path: Path) -> list[bytes]:
    out = io.BytesIO()
    export(open_store(store_path, read_only=True), "nquads", out)
    return sorted(out.getvalue().splitlines())


def _article_graphs(store_path: Path) -> dict[str, str]:
    store = open_store(store_path, read_only=True)
    return {
        g.value: dump_graph_ntriples(store, g.value).decode("utf-8")
        for g in store.named_graphs()
        if MINTER.is_article_scoped(URIRef(g.value))
    }


def test_one_entity_update_at_the_end_of_a_run_equals_one_after_every_load(
    dev_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ingest run writes its loads and brings the entity graph up to date once, at its
    end (in small steps here, as a large update is done); writing the same article graphs
    with an update after every load gives the same store, quad for quad — also when a
    later load replaces an article an earlier load wrote."""
    import kg_builder.store.entities as entities

    monkeypatch.setattr(entities, "ENTITY_CHUNK", 7)  # many steps, each sees the others
    monkeypatch.setattr(entities, "DEMAND_CHUNK", 5)
    records = _dev_records()
    changed = dict(records[0], text="Ostria urged Valdoria to reopen the border.")
    run = _jsonl(tmp_path / "run.jsonl", [changed, *records[1:], records[0]])
    deferred = tmp_path / "deferred"
    report = ingest([run], deferred, IngestOptions(batch_size=3, load_size=3, jobs=1))
    assert report.stored == len(records) + 1 and not report.failed
    assert not (deferred / PENDING_FILE).exists()

    ingest([_jsonl(tmp_path / "changed.jsonl", [changed])], tmp_path / "changed")
    (first,) = _article_graphs(tmp_path / "changed").items()
    final = _article_graphs(deferred)
    later = [g for g in final if g != first[0]]
    loads = [[first], *([(g, final[g]) for g in later[i : i + 3]] for i in range(0, 18, 3))]
    loads += [[(g, final[g]) for g in later[18:]], [(first[0], final[first[0]])]]
    per_load = tmp_path / "per-load"
    store = open_store(per_load)
    for load in loads:
        writes = [GraphWrite(g, nt) for g, nt in load]
        write_articles(store, writes, journal=per_load / GRAPHS_JOURNAL)
    store.flush()
    del store
    assert len(loads) > 5 and sum(map(len, loads)) == len(records) + 1
    assert _nquads(deferred) == _nquads(per_load) == _nquads(dev_store)


def test_a_run_that_dies_before_its_entity_update_leaves_a_marker_for_the_next_writer(
    dev_store: Path, tmp_path: Path
) -> None:
    """Between a run's first load and its entity update the marker file says the entity
    graph lags; if the process dies there, the next writer rebuilds it."""
    graphs = [GraphWrite(g, nt) for g, nt in sorted(_article_graphs(dev_store).items())]
    path = tmp_path / "store"
    store = open_store(path)
    writer = ArticleWriter(store, journal=path / GRAPHS_JOURNAL)
    writer.write(graphs[:8])
    writer.write(graphs[8:])
    assert (path / PENDING_FILE).exists()
    assert not list(store.quads_for_pattern(None, None, None, ox.NamedNode(ENTITIES)))
    # the process dies here; the next writer (here with nothing to write) finishes
    ArticleWriter(store, journal=path / GRAPHS_JOURNAL).finish()
    assert not (path / PENDING_FILE).exists()
    store.flush()
    del store, writer  # the writer holds the store: a read-only open beside it can lose files
    assert _nquads(path) == _nquads(dev_store)


def test_rebuild_gives_the_same_entity_graph(dev_store: Path, tmp_path: Path) -> None:
    import shutil

    shutil.copytree(dev_store, tmp_path / "store")
    store = open_store(tmp_path / "store")
    update = rebuild_entities(store)
    assert update.entities > 50 and update.added > 0
    del store
    assert _graph(tmp_path / "store", ENTITIES) == _graph(dev_store, ENTITIES)


def test_a_rebuild_in_short_values_blocks_and_small_steps_gives_the_same_entity_graph(
    dev_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every list of IRIs asked in VALUES blocks of 3, steps of 7 entities and of 5
    demands (taken demander by demander): the entity graph of one update at once."""
    import shutil

    import kg_builder.store.entities as entities

    monkeypatch.setattr(entities, "VALUES_BATCH", 3)
    monkeypatch.setattr(entities, "ENTITY_CHUNK", 7)
    monkeypatch.setattr(entities, "DEMAND_CHUNK", 5)
    shutil.copytree(dev_store, tmp_path / "store")
    store = open_store(tmp_path / "store")
    rebuild_entities(store)
    del store
    assert _graph(tmp_path / "store", ENTITIES) == _graph(dev_store, ENTITIES)


def test_a_large_update_takes_the_demands_demander_by_demander(
    dev_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over :data:`DEMAND_CHUNK` demands, the steps follow the first shared demander,
    so that a step reads the demands of its own demanders, not those of the store."""
    import kg_builder.store.entities as entities

    monkeypatch.setattr(entities, "DEMAND_CHUNK", 5)
    store = open_store(dev_store, read_only=True)
    articles = [g.value for g in store.named_graphs() if MINTER.is_article_scoped(URIRef(g.value))]
    demands = entities.touched_by(store, articles, MINTER).demands
    order = entities._by_demander(store, demands, MINTER)
    assert sorted(order) == sorted(demands) and len(order) > 10
    claims = {c.demand: c for c in entities._demand_claims(store, demands, MINTER)}
    firsts = [str(min(claims[d].demanders)) if claims[d].demanders else "" for d in order]
    assert firsts == sorted(firsts) and len(set(firsts)) > 3


# ---- the ontology graph


def test_the_ontology_is_loaded_once_and_replaced_on_upgrade(dev_store: Path) -> None:
    store = ox.Store()
    assert ensure_ontology(store) is True
    assert ensure_ontology(store) is False  # same version, same size: left alone
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    version = ox.NamedNode("http://www.w3.org/2002/07/owl#versionIRI")
    (old,) = store.quads_for_pattern(None, version, None, graph)
    store.remove(old)
    store.add(ox.Quad(old.subject, version, ox.NamedNode(V.ONTOLOGY_IRI + "/0.0.1"), graph))
    assert ensure_ontology(store) is True  # another version: replaced
    assert len(list(store.quads_for_pattern(None, None, None, graph))) == len(shipped_ontology())
    assert len(_graph(dev_store, ONTOLOGY_GRAPH)) == len(shipped_ontology())


def test_a_store_of_another_version_gets_its_entity_graph_rebuilt(
    dev_store: Path, tmp_path: Path
) -> None:
    import shutil

    path = tmp_path / "store"
    shutil.copytree(dev_store, path)
    store = open_store(path)
    graph, entities = ox.NamedNode(ONTOLOGY_GRAPH), ox.NamedNode(ENTITIES)
    version = ox.NamedNode("http://www.w3.org/2002/07/owl#versionIRI")
    (old,) = store.quads_for_pattern(None, version, None, graph)
    store.remove(old)
    store.add(ox.Quad(old.subject, version, ox.NamedNode(V.ONTOLOGY_IRI + "/0.0.1"), graph))
    # what an older version did not derive
    key = ox.NamedNode(str(V.nameKey))
    keys = list(store.quads_for_pattern(None, key, None, entities))
    assert keys
    for q in keys:
        store.remove(q)
    writer = ArticleWriter(store, journal=path / GRAPHS_JOURNAL)
    assert (path / PENDING_FILE).exists()  # killed now, the next writer would rebuild
    writer.finish()  # nothing written: the upgrade alone rebuilds the entity graph
    assert not (path / PENDING_FILE).exists()
    store.flush()
    del store, writer
    assert _graph(path, ENTITIES) == _graph(dev_store, ENTITIES)
    # a store of this version is left alone
    store = open_store(path)
    before = len(list(store.quads_for_pattern(None, None, None, entities)))
    ArticleWriter(store, journal=path / GRAPHS_JOURNAL)
    assert not (path / PENDING_FILE).exists()
    assert len(list(store.quads_for_pattern(None, None, None, entities))) == before


# ---- derived lookup data: name keys and article counts (kg_builder.rdf.derived)


def _reporting(article_id: str, name: str, alias: str, accord: bool) -> Extraction:
    """An article naming Ostria (with an alias) and, if ``accord``, reporting an accord."""
    text = f"{name} and Lemuria signed the Valdoria Accord. {alias} spoke."
    span = Span(0, len(name), 0, len(text))
    agreements = (
        (Agreement("valdoria-accord", "Valdoria Accord", "accord", AgreementStatus.SIGNED, span),)
        if accord
        else ()
    )
    return Extraction(
        Article(id=article_id, text=text, published=dt.date(2025, 3, int(article_id[1:]))),
        actors=(Actor("ostria", name, ActorKind.STATE, aliases=(alias,)),),
        mentions=(Mention("ostria", name, span),),
        agreements=agreements,
    )


def _derived(store: ox.Store) -> tuple[set[str], dict[str, int]]:
    keys = {
        q.object.value
        for q in store.quads_for_pattern(ox.NamedNode(str(E)), ox.NamedNode(str(V.nameKey)), None)
    }
    counts = {
        q.subject.value: int(q.object.value)
        for q in store.quads_for_pattern(None, ox.NamedNode(str(V.articleCount)), None)
    }
    return keys, counts


def _write(store: ox.Store, extraction: Extraction) -> None:
    graph = GraphWrite(MINTER.article(extraction.article.id), to_ntriples(emit_triples(extraction)))
    write_articles(store, [graph])


def test_name_keys_and_article_counts_follow_a_replaced_article(tmp_path: Path) -> None:
    """The derived data is recomputed with the entity: a replaced article's old names and
    reports stop counting, its new ones count; the store equals a fresh computation."""
    path = tmp_path / "store"
    store = open_store(path)

    _write(store, _reporting("a1", "Ostria", "OST", True))
    _write(store, _reporting("a2", "Ostria", "Ostrian State", True))
    accord = V.DEFAULT_BASE + "agreement/valdoria-accord"
    keys, counts = _derived(store)
    assert keys == {"ostria", "ost", "ostrian state"}
    assert counts == {accord: 2}
    _write(store, _reporting("a2", "Ostria", "Republic of Ostria", False))
    keys, counts = _derived(store)
    assert keys == {"ostria", "ost", "republic of ostria"}
    assert counts == {accord: 1}
    del store
    from kg_builder.store.entities import _rdflib

    stored = {tuple(map(_rdflib, t)) for t in _graph(path, ENTITIES)}
    assert stored == set(entity_graph(_article_triples(path), MINTER))


def test_derived_triples_lower_case_every_name_and_count_distinct_articles() -> None:
    e, h = URIRef("https://example.org/actor/x"), URIRef("https://example.org/agreement/y")
    s1, s2 = URIRef(f"{h}/step/1"), URIRef(f"{h}/step/2")
    a1 = URIRef("https://example.org/article/a1")
    triples = [
        (e, V.name, Literal("Ärzte ohne Grenzen")),
        (e, V.alias, Literal("MSF")),
        (e, V.alias, Literal("msf")),
        (h, V.step, s1),
        (h, V.step, s2),
        (s1, V.wasDerivedFrom, a1),
        (s2, V.wasDerivedFrom, a1),
    ]
    assert sorted((str(s), str(p), str(o)) for s, p, o in derived_triples(triples)) == [
        (str(e), str(V.nameKey), "msf"),
        (str(e), str(V.nameKey), "ärzte ohne grenzen"),
        (str(h), str(V.articleCount), "1"),
    ]
