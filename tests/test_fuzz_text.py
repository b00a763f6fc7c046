"""Shapes of text real pages have, generated: extraction ends in budget, the graph holds up.

Hypothesis builds articles from what news pages and press releases are made of besides
sentences — verbless headlines, datelines, photo captions, bullet and numbered lists,
table rows, very long sentences, nested quotes and brackets, other scripts, ``[es]``
markers — and runs them through a real :class:`~kg_builder.pipeline.worker.Worker` (the
real model, extractor, emitter and SHACL gate, with the real time budget). Property:
every article comes out stored (within budget, conforming), and its Turtle reads back
the same in rdflib and pyoxigraph.
"""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.compare import isomorphic

from kg_builder.models import Article
from kg_builder.pipeline import IngestOptions
from kg_builder.pipeline.worker import Worker

BUDGET = 30.0  # seconds per article and stage: far above a normal article's ~0.1 s

NAMES = ["Valdoria", "Ostria", "Mira Kell", "Jonas Brandt", "the Tarvian Council", "NATO", "Kenya"]
CITIES = ["LISBON", "NAIROBI", "OSLO", "LIMA", "ACCRA"]
WORDS = ["talks", "border", "trade", "ceasefire", "grain", "sanctions", "river", "envoy", "summit"]
VERBS = ["urged", "called on", "met", "said", "demanded that", "signed", "rejected"]
SCRIPTS = ["Привет мир", "مرحبا بالعالم", "你好，世界", "Γειά σου", "नमस्ते", "שלום"]

word = st.sampled_from(WORDS)
name = st.sampled_from(NAMES)


@st.composite
def sentence(draw) -> str:
    subject, obj = draw(name), draw(name)
    tail = " ".join(draw(st.lists(word, min_size=1, max_size=6)))
    return f"{subject} {draw(st.sampled_from(VERBS))} {obj} to resume the {tail}."


@st.composite
def headline(draw) -> str:
    return " ".join(w.capitalize() for w in draw(st.lists(word, min_size=2, max_size=7)))


@st.composite
def dateline(draw) -> str:
    city = draw(st.sampled_from(CITIES))
    day = draw(st.integers(1, 28))
    month = draw(st.sampled_from(["Jan.", "March", "Sept.", "December"]))
    return draw(
        st.sampled_from([f"{city}, {month} {day} /WIRE/.", f"{city} —", f"{city} (Agency) –"])
    )


@st.composite
def caption(draw) -> str:
    return f"Photo: {draw(name)} / Example Agency. © {draw(st.integers(1990, 2030))}"


@st.composite
def bullet_list(draw) -> str:
    items = draw(st.lists(st.one_of(sentence(), headline()), min_size=1, max_size=5))
    numbered = draw(st.booleans())
    return "\n".join(f"{i}. {x}" if numbered else f"- {x}" for i, x in enumerate(items, 1))


@st.composite
def table(draw) -> str:
    rows = draw(st.lists(st.lists(st.one_of(word, name), min_size=2, max_size=4), max_size=5))
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)


@st.composite
def long_sentence(draw) -> str:
    n = draw(st.integers(1000, 1400))
    filler = draw(st.lists(word, min_size=5, max_size=5))
    body = " and ".join(filler[i % 5] for i in range(n // 2))
    return f"{draw(name)} said the {body} must continue."


@st.composite
def nested(draw) -> str:
    depth = draw(st.integers(3, 12))
    inner = draw(sentence())
    for level in range(depth):
        opener, closer = [("“", "”"), ("(", ")"), ("«", "»"), ("‘", "’"), ("[", "]"), ('"', '"')][
            (level + draw(st.integers(0, 5))) % 6
        ]
        inner = f"{draw(name)} said {opener}{inner}{closer}"
    return inner + draw(st.sampled_from(["", "”", "(", '"']))


@st.composite
def other_script(draw) -> str:
    marker = draw(st.sampled_from(["es", "ru", "ar", "fr"]))
    return f"{draw(sentence())} {draw(st.sampled_from(SCRIPTS))} [{marker}] {draw(sentence())}"


block = st.one_of(
    sentence(), headline(), dateline(), caption(), bullet_list(), table(), nested(), other_script()
)


@st.composite
def article_text(draw) -> str:
    blocks = draw(st.lists(block, min_size=1, max_size=8))
    if draw(st.integers(0, 9)) == 0:
        blocks.insert(draw(st.integers(0, len(blocks))), draw(long_sentence()))
    return "\n\n".join(blocks)


@pytest.fixture(scope="module")
def worker() -> Worker:
    return Worker(IngestOptions(jobs=1, article_timeout=BUDGET))


@pytest.mark.slow
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=article_text())
def test_real_page_shapes_are_stored_within_budget_and_round_trip(worker: Worker, text: str):
    article = Article(id="fuzz", text=text, origin="generated")
    (outcome,) = worker.process([(0, article)])
    assert outcome.reason is None, outcome.reason
    assert outcome.ntriples is not None
    graph = Graph().parse(data=outcome.ntriples, format="nt")
    turtle = graph.serialize(format="turtle")
    assert isomorphic(Graph().parse(data=turtle, format="turtle"), graph)
    quads = list(ox.parse(io.BytesIO(turtle.encode()), ox.RdfFormat.TURTLE))
    assert len(quads) == len(graph)
