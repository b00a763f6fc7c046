"""The emitter: golden graphs, determinism, safety of any text, and SHACL conformance."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from golden_io import load_extraction
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg_builder.models import (
    Actor,
    ActorKind,
    Agreement,
    AgreementStatus,
    Article,
    Demand,
    Extraction,
    Meeting,
    Mention,
    Post,
    Span,
    Statement,
)
from kg_builder.rdf import vocab as V
from kg_builder.rdf.emit import emit, emit_triples
from kg_builder.rdf.entities import entity_graph
from kg_builder.rdf.iris import IriMinter
from kg_builder.rdf.ntriples import to_ntriples
from kg_builder.rdf.validate import validate_graph

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "input.json").exists())


@pytest.mark.parametrize("case", CASES)
def test_emit_matches_golden_graph(case: str) -> None:
    graph = emit(load_extraction(GOLDEN / case / "input.json"), model="test-model")
    expected_file = GOLDEN / case / "expected.ttl"
    if os.environ.get("KGB_UPDATE_GOLDEN"):
        graph.serialize(expected_file, format="turtle")
    expected = Graph().parse(expected_file, format="turtle")
    if not isomorphic(graph, expected):
        _, only_new, only_old = graph_diff(to_isomorphic(graph), to_isomorphic(expected))
        pytest.fail(
            f"emitted graph differs from {expected_file}:\n+ "
            + "\n+ ".join(sorted(t.n3() for t in only_new))[:3000]
            + "\n- "
            + "\n- ".join(sorted(t.n3() for t in only_old))[:3000]
        )


@pytest.mark.parametrize("case", CASES)
def test_emitted_golden_graph_conforms_to_shapes(case: str) -> None:
    report = validate_graph(emit(load_extraction(GOLDEN / case / "input.json")))
    assert report.conforms, report.summary(20)


def test_emit_is_deterministic_across_runs() -> None:
    extraction = load_extraction(GOLDEN / "full" / "input.json")
    assert to_ntriples(emit(extraction)) == to_ntriples(emit(extraction))


def test_same_actor_in_two_articles_is_one_node_described_by_each() -> None:
    actor = Actor("atlantis", "Atlantis", ActorKind.STATE)
    graphs = [
        emit(
            Extraction(
                Article(id=i, text="Atlantis spoke."),
                actors=(actor,),
                mentions=(Mention("atlantis", "Atlantis", Span(0, 8, 0, 15)),),
            )
        )
        for i in ("a1", "a2")
    ]
    described = [set(g.objects(None, V.describes)) for g in graphs]
    assert described[0] == described[1] == set(graphs[0].objects(None, V.mentionOf))
    (node,) = described[0]
    # Neither article states the shared actor's class or name on the node itself: their
    # union could otherwise give it two of each.
    assert all((node, None, None) not in g for g in graphs)


def test_article_graph_states_nothing_about_a_shared_entity_itself() -> None:
    triples = emit_triples(load_extraction(GOLDEN / "full" / "input.json"))
    minter = IriMinter(V.DEFAULT_BASE)
    subjects = {s for s, _, _ in triples}
    assert all(minter.is_article_scoped(s) for s in subjects)
    shared = {o for _, p, o in triples if p == V.describes}
    assert shared and not shared & subjects


def test_unnamed_actor_and_agreement_live_under_their_article() -> None:
    """ "an Atlantean source" in one article is not the one in another: article-scoped IRIs,
    described canonically in the article graph itself."""
    text = "An Atlantean source said the deal was signed."
    source = Actor("atlantean-source", "Atlantean source", ActorKind.PERSON, named=False)
    deal = Agreement(
        "deal", "deal", "deal", AgreementStatus.SIGNED, Span(29, 33, 0, 45), named=False
    )
    graphs = [
        emit(
            Extraction(
                Article(id=i, text=text),
                actors=(source,),
                mentions=(Mention(source.key, "An Atlantean source", Span(0, 19, 0, 45)),),
                agreements=(deal,),
            )
        )
        for i in ("a1", "a2")
    ]
    for g, article in zip(graphs, ("a1", "a2"), strict=True):
        base = IriMinter(V.DEFAULT_BASE).article(article) + "/"
        (person,) = g.subjects(RDF.type, V.Person)
        (agreement,) = g.subjects(RDF.type, V.Agreement)
        assert str(person).startswith(base) and str(agreement).startswith(base)
        assert g.value(agreement, V.agreementStatus) == V.AGREEMENT_STATUS.signed
        assert validate_graph(g, entities=False).conforms  # needs nothing from elsewhere
    assert set(graphs[0].subjects(RDF.type, V.Person)) != set(
        graphs[1].subjects(RDF.type, V.Person)
    )


def _facts(triples) -> dict:
    """Fact IRI → its triples (those whose subject is the fact or its evidence)."""
    facts: dict = {}
    for s, p, o in triples:
        key = str(s).removesuffix("/evidence")
        facts.setdefault(key, set()).add((s, p, o))
    return facts


def test_adding_an_unrelated_fact_does_not_change_existing_fact_iris() -> None:
    """Fact IRIs come from what a fact says and where, not from its position: a new rule
    that finds more facts (here one of each kind, placed first) leaves the IRIs, and the
    triples, of the facts found before unchanged."""
    before = load_extraction(GOLDEN / "full" / "input.json")
    text = before.article.text
    end = text.index(".") + 1
    sentence = Span(0, 10, 0, end)
    actor = before.actors[0].key
    after = replace(
        before,
        mentions=(Mention(actor, text[0:10], sentence), *before.mentions),
        demands=(
            Demand((actor,), (), "keep calm", sentence),
            *before.demands,
        ),
        meetings=(Meeting("talks", "talks", sentence), *before.meetings),
        statements=(Statement(text[0:10], sentence, actor), *before.statements),
        posts=(Post(actor, "Envoy", None, sentence), *before.posts),
    )
    old, new = _facts(emit_triples(before)), _facts(emit_triples(after))
    kinds = ("/mention/", "/demand/", "/meeting/", "/statement/", "/holding/", "/agreement-report/")
    old_facts = {k: v for k, v in old.items() if any(kind in k for kind in kinds)}
    assert old_facts and len(new) > len(old)
    for iri, triples in old_facts.items():
        assert new.get(iri) == triples, iri


def test_base_iri_is_configurable() -> None:
    g = emit(Extraction(Article(id="x", text="t")), base="http://example.org/kg/")
    assert all(str(s).startswith("http://example.org/kg/") for s in g.subjects())


def test_bad_base_iri_is_refused() -> None:
    with pytest.raises(ValueError, match="base IRI"):
        emit(Extraction(Article(id="x", text="t")), base="not an iri")


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(min_size=1, max_size=200),
    article_id=st.text(min_size=1, max_size=40),
    name=st.text(min_size=1, max_size=40).filter(str.strip),
)
def test_any_text_survives_emit_turtle_parse(text: str, article_id: str, name: str) -> None:
    end = len(text)
    extraction = Extraction(
        Article(id=article_id, text=text, title=name),
        actors=(Actor(name, name, ActorKind.PERSON),),
        mentions=(Mention(name, text, Span(0, end, 0, end)),),
        statements=(Statement(text, Span(0, end, 0, end), speaker=name),),
    )
    graph = emit(extraction)
    turtle = graph.serialize(format="turtle")
    assert isomorphic(Graph().parse(data=turtle, format="turtle"), graph)
    # an independent parser agrees on the number of triples
    assert len(list(ox.parse(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE))) == len(graph)


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(min_size=1, max_size=200),
    name=st.text(min_size=1, max_size=40).filter(str.strip),
)
def test_any_text_survives_the_ntriples_writer(text: str, name: str) -> None:
    """The pipeline writes N-Triples from emit_triples(); both parsers read back the graph."""
    end = len(text)
    extraction = Extraction(
        Article(id="a", text=text, title=name),
        actors=(Actor(name, name, ActorKind.PERSON),),
        statements=(Statement(text, Span(0, end, 0, end), speaker=name),),
    )
    triples = emit_triples(extraction)
    nt = to_ntriples(triples)
    graph = Graph()
    for t in triples:
        graph.add(t)
    assert isomorphic(Graph().parse(data=nt, format="nt"), graph)
    assert len(list(ox.parse(nt.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))) == len(graph)
    assert to_ntriples(graph) == nt


def test_quote_over_several_sentences_gets_evidence_that_covers_it() -> None:
    # regression: a quotation spanning two sentences made evidence end after its sentence
    text = 'He said: "We will wait. We will not move." Then he left.'
    start, end = text.index("We will wait"), text.index('move."') + len('move."')
    sentence_end = text.index("wait.") + 5
    extraction = Extraction(
        Article(id="q", text=text),
        statements=(Statement(text[start:end], Span(start, end, 0, sentence_end)),),
    )
    graph = emit(extraction)
    assert validate_graph(graph).conforms
    sentences = {str(o) for o in graph.objects(None, V.sentence)}
    assert sentences == {'He said: "We will wait. We will not move."'}


def test_repeated_agreement_is_one_node_with_all_parties() -> None:
    # regression: two mentions of one agreement gave two statuses and two evidence sets
    text = "Atlantis signed the Reef Accord. Lemuria later joined the Reef Accord."
    first, second = Span(20, 31, 0, 32), Span(58, 69, 33, 70)
    actors = (
        Actor("atlantis", "Atlantis", ActorKind.STATE),
        Actor("lemuria", "Lemuria", ActorKind.STATE),
    )
    extraction = Extraction(
        Article(id="r", text=text),
        actors=actors,
        agreements=(
            Agreement(
                "reef-accord", "Reef Accord", "accord", AgreementStatus.SIGNED, first, ("atlantis",)
            ),
            Agreement(
                "reef-accord",
                "Reef Accord",
                "accord",
                AgreementStatus.UNKNOWN,
                second,
                ("lemuria",),
            ),
        ),
    )
    graph = emit(extraction)
    assert validate_graph(graph).conforms
    (node,) = set(graph.subjects(RDF.type, V.AgreementReport))
    assert len(set(graph.objects(node, V.agreementStatus))) == 1
    assert {str(p).rsplit("/", 1)[-1] for p in graph.objects(node, V.party)} == {
        "atlantis",
        "lemuria",
    }


def test_every_term_the_emitter_writes_is_defined_in_the_ontology() -> None:
    from kg_builder.resources import ontology_file

    ontology = Graph().parse(ontology_file(), format="turtle")
    defined = set(ontology.subjects())
    graph = emit(load_extraction(GOLDEN / "full" / "input.json"))
    # ... and every term the entity graph derived from it holds.
    for triple in entity_graph(graph, IriMinter(V.DEFAULT_BASE)):
        graph.add(triple)
    used = set(graph.predicates()) | set(graph.objects(None, RDF.type))
    used |= {o for o in graph.objects() if str(o).startswith(str(V.CODE))}
    undefined = sorted(t for t in used if t not in defined and t not in V.EXTERNAL_TERMS)
    assert not undefined, f"terms written but not defined in the ontology: {undefined}"
    assert used >= {V.Demand, V.Agreement, V.Meeting, V.Statement, V.Post, V.Evidence}
    assert used >= {V.EntityDescription, V.AgreementReport, V.TrackedDemand, V.StatusStep}


def test_post_titles_spelled_two_ways_are_one_post_with_one_title() -> None:
    """A real failure on the open corpus: "Vice-President" and "Vice President" share an IRI."""
    from kg_builder.models import Actor, ActorKind, Article, Extraction, Post, Span

    text = "Vice-President Ana Silva met Vice President Rui Costa."
    span = Span(0, 10, 0, len(text))
    ex = Extraction(
        article=Article(id="t1", text=text),
        actors=(
            Actor("ana-silva", "Ana Silva", ActorKind.PERSON),
            Actor("rui-costa", "Rui Costa", ActorKind.PERSON),
        ),
        posts=(
            Post("ana-silva", "Vice-President", None, span),
            Post("rui-costa", "Vice President", None, span),
        ),
    )
    graph = emit(ex)
    posts = set(graph.objects(None, V.post))
    assert len(posts) == 1  # both holdings point at one post
    (description,) = graph.subjects(V.describes, next(iter(posts)))
    assert [str(t) for t in graph.objects(description, V.postTitle)] == ["Vice-President"]
    assert validate_graph(graph).conforms
