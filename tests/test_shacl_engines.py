"""The native SHACL engine against pyshacl, the reference: the guards of issue 13.

* the native engine is the pinned version, and the project pins the same;
* on the shapes' own good and bad examples it reports what pyshacl reports (focus node,
  path, constraint component);
* a differential test: article graphs emitted from hypothesis-generated Extractions, valid,
  and broken in every constraint component the shapes use (``shacl_mutations``), get the
  same ``conforms`` from both engines; the few known disagreements are listed
  (``shacl_mutations.KNOWN``), each still disagrees, and the one kind where the native
  engine is laxer is a value the emitter cannot write;
* the gate: pyshacl writes the report of every graph the native engine rejects, and the
  verify sample catches a native "conforms" that pyshacl does not share.

The reference outcome is what ingest does with pyshacl: a graph is stored only when
pyshacl says it conforms (pyshacl raising an error also means "not stored").
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import tomllib
from functools import cache
from pathlib import Path

import pytest
from golden_io import load_extraction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from shacl_mutations import (
    KNOWN,
    KNOWN_REPORT,
    Mutation,
    components_used,
    constraints,
    focus_nodes,
    mutations,
    mutations_of,
)

from kg_builder.models import (
    Actor,
    ActorKind,
    Agreement,
    AgreementStatus,
    Article,
    Demand,
    DemandStatus,
    Extraction,
    Meeting,
    Mention,
    Post,
    Span,
    Statement,
)
from kg_builder.rdf import native
from kg_builder.rdf.emit import emit
from kg_builder.rdf.ntriples import to_ntriples
from kg_builder.rdf.shapes import load_shapes
from kg_builder.rdf.validate import (
    ArticleGraph,
    Disagreement,
    Gate,
    Report,
    completed_ntriples,
    in_sample,
    validate_graph,
)
from kg_builder.resources import ontology_file

ROOT = Path(__file__).parents[1]
EXAMPLES = sorted((ROOT / "ontology" / "examples").glob("*.ttl"))
GOLDEN = sorted((ROOT / "tests" / "golden").glob("*/input.json"))
RICHEST = ROOT / "tests" / "golden" / "full" / "input.json"

# pyshacl logs (and rdflib warns about) every ill-typed literal the mutations write
logging.getLogger("rdflib").setLevel(logging.CRITICAL)
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@cache
def _native() -> native.NativeShapes:
    return native.native_shapes(load_shapes())


def reference_report(graph: Graph, *, entities: bool = True) -> Report | None:
    """pyshacl's report (None: pyshacl raised an error) on the same N-Triples the native
    engine reads; ``entities``: with the entity descriptions the graph implies, as for an
    article graph."""
    try:
        data = Graph().parse(data=to_ntriples(graph), format="nt")
        return validate_graph(data, load_shapes(), entities=entities)
    except Exception:  # noqa: BLE001 - pyshacl fails on some ill-typed values
        return None


def reference(graph: Graph, *, entities: bool = True) -> bool:
    """pyshacl's verdict as the gate takes it (an error means "not stored")."""
    report = reference_report(graph, entities=entities)
    return report is not None and report.conforms


def native_conforms(graph: Graph) -> bool:
    """The native engine's verdict on what the gate gives it: the graph's N-Triples and
    the entity descriptions it implies. Text it cannot parse (a literal made a subject by
    a mutation) is not stored either: the worker reports the article failed."""
    try:
        return _native().conforms(completed_ntriples(tuple(graph)))
    except ValueError:
        return False


def native_exact(graph: Graph) -> bool:
    """The native engine's verdict on exactly ``graph``."""
    try:
        return _native().conforms(to_ntriples(graph))
    except ValueError:
        return False


Found = set[tuple[str, str, str, str]]


def native_found(graph: Graph) -> Found | None:
    """(focus, path, component, severity) of every native result on exactly ``graph``
    (None: the text does not parse); blank nodes as ``_:``, IRIs bare."""
    try:
        found = _native().results(to_ntriples(graph))
    except ValueError:
        return None
    return {(_bare(r.focus), _bare(r.path), r.component, r.severity) for r in found}


def reference_found(report: Report) -> Found:
    """The results of a pyshacl report, as :func:`native_found` gives them."""
    return {(_bare(v.focus), _bare(v.path), v.component, v.severity) for v in report.violations}


def _bare(term: str) -> str:
    if term.startswith("_:") or (term and ":" not in term):  # a blank node, either label
        return "_:"
    return term.removeprefix("<").removesuffix(">")


def completed(graph: Graph) -> Graph:
    """The graph with the entity descriptions it implies (what both engines validate)."""
    return Graph().parse(data=completed_ntriples(tuple(graph)), format="nt")


# ---------------------------------------------------------------------------- the pin


def test_native_engine_is_the_pinned_version_and_the_project_pins_it() -> None:
    import shacl

    assert native.unavailable() is None
    assert shacl.__version__ == native.PINNED
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [d for d in project["project"]["dependencies"] if d.startswith(f"{native.PACKAGE}")]
    assert len(pins) == 1 and pins[0].startswith(f"{native.PACKAGE}=={native.PINNED};")


# ---------------------------------------------------------------------------- the examples


def _pyshacl_results(data: Graph) -> set[tuple[str, str, str]]:
    import pyshacl

    _, report, _ = pyshacl.validate(data, shacl_graph=load_shapes(), inference="none")
    return {
        (
            report.value(r, SH.focusNode).n3(),
            path.n3() if (path := report.value(r, SH.resultPath)) is not None else "",
            str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_give_pyshacl_results(path: Path) -> None:
    data = Graph().parse(path, format="turtle")
    expected = _pyshacl_results(data)
    got = {(r.focus, r.path, r.component) for r in _native().results(to_ntriples(data))}
    assert got == expected
    assert native_conforms(data) == (not expected) == path.name.startswith("good-")


# ---------------------------------------------------------------------------- mutations


def _code_list_graph() -> Graph:
    """The code-list concepts as the ontology describes them: data for the shapes the
    emitter's graphs never trigger (their sh:hasValue, sh:in on the node itself)."""
    ontology = Graph().parse(ontology_file(), format="turtle")
    shapes = load_shapes()
    classes = set(shapes.objects(None, SH.targetClass))
    g = Graph()
    for concept, cls in ontology.subject_objects(RDF.type):
        if cls in classes and "/code/" in str(concept):
            for t in ontology.triples((concept, None, None)):
                g.add(t)
    return g


def _mutated_graphs() -> list[tuple[str, Mutation]]:
    """Mutations of the richest golden article graph, completed with the entity
    descriptions it implies (the generated graphs below vary the rest), and of the code
    lists: the engines judge exactly these graphs."""
    shapes = load_shapes()
    data = completed(emit(load_extraction(RICHEST)))
    out = [("article", m) for m in mutations(shapes, data)]
    return out + [("code lists", m) for m in mutations(shapes, _code_list_graph())]


Swept = list[tuple[str, Mutation, bool, bool]]


@pytest.fixture(scope="module")
def judged() -> list[tuple[str, Mutation, Report | None, Found | None]]:
    """Every mutation with pyshacl's report and the native engine's results."""
    return [
        (name, m, reference_report(m.graph, entities=False), native_found(m.graph))
        for name, m in _mutated_graphs()
    ]


@pytest.fixture(scope="module")
def swept(judged) -> Swept:
    """Every mutation, with both engines' verdicts (pyshacl's first)."""
    return [
        (name, m, ref is not None and ref.conforms, nat is not None and not _blocking(nat))
        for name, m, ref, nat in judged
    ]


def _blocking(found: Found) -> bool:
    return any(severity == "Violation" for *_, severity in found)


def test_every_component_the_shapes_use_is_broken_somewhere(swept) -> None:
    broken = {m.component for _, m, ref, _ in swept if m.breaks and not ref}
    assert components_used(load_shapes()) <= broken


def test_mutations_do_what_they_say(swept) -> None:
    """pyshacl judges each mutation as intended, unless a known deviation says otherwise
    (so a mutation that does nothing cannot pass the differential test unnoticed)."""
    wrong = [
        (name, m.what, ref)
        for name, m, ref, _ in swept
        if m.breaks is not None and ref == m.breaks and not m.known
    ]
    assert wrong == []


def test_engines_agree_on_every_mutation_but_the_known_ones(swept) -> None:
    unexplained = [
        (name, m.what, ref, nat) for name, m, ref, nat in swept if ref != nat and not m.known
    ]
    assert unexplained == []


def test_engines_report_the_same_results(judged) -> None:
    """Where both engines reject a mutation, they report the same results (focus node,
    path, constraint component, severity), but for the known differences in what pyshacl
    writes (``KNOWN_REPORT``), each of which must still occur: a result only one engine
    finds would show a constraint the other skips."""
    compared, differ, used = 0, [], set()
    for name, m, ref, nat in judged:
        if ref is None or nat is None or ref.conforms or not _blocking(nat) or m.known:
            continue
        compared += 1
        mine = reference_found(ref)
        extra = {(r, _pyshacl_only(m.graph, r, nat)) for r in mine - nat}
        extra |= {(r, _native_only(r, mine)) for r in nat - mine}
        used |= {why for _, why in extra}
        if any(why is None for _, why in extra):
            differ.append((name, m.what, sorted(r for r, why in extra if why is None)))
    assert differ == []
    assert compared > 100
    assert used - {None} == set(KNOWN_REPORT)


def _pyshacl_only(graph: Graph, result: tuple[str, ...], native_found: Found) -> str | None:
    """The :data:`KNOWN_REPORT` difference that explains a result only pyshacl reports."""
    for f, p, c, _ in native_found:
        values = {str(v) for v in graph.objects(URIRef(f), URIRef(p))} if p else set()
        if c == "NodeConstraintComponent" and result[0] in values:
            return "node-details"  # why the value fails the nested shape
    return None


def _native_only(result: tuple[str, ...], pyshacl_found: Found) -> str | None:
    """The :data:`KNOWN_REPORT` difference that explains a result only the native engine
    reports."""
    focus, _, component, _ = result
    ill_typed = {f for f, _, c, _ in pyshacl_found if c == "DatatypeConstraintComponent"}
    if component == "LessThanOrEqualsConstraintComponent" and focus in ill_typed:
        return "less-than-or-equals-ill-typed"
    return None


@pytest.mark.parametrize("key", sorted(KNOWN))
def test_each_known_disagreement_still_disagrees_in_its_direction(swept, key: str) -> None:
    """A known disagreement that went away must leave the list (it would hide a new one)."""
    direction, _ = KNOWN[key]
    cases = [(ref, nat) for _, m, ref, nat in swept if m.known == key]
    assert cases
    if direction == "stricter":
        assert all(ref and not nat for ref, nat in cases)
    else:
        assert all(nat and not ref for ref, nat in cases)


# ---------------------------------------------------------------------------- generated graphs

_WORDS = st.text(st.characters(codec="utf-8", exclude_characters="\r"), min_size=1, max_size=30)
_NAMES = _WORDS.filter(lambda s: s.strip() != "")
_ORGANISATIONS = [k for k in ActorKind if k not in (ActorKind.PERSON, ActorKind.COLLECTIVE_ACTOR)]


@st.composite
def _span(draw: st.DrawFn, length: int) -> Span:
    start = draw(st.integers(0, length - 1))
    end = draw(st.integers(start + 1, length))
    return Span(start, end, draw(st.integers(0, start)), draw(st.integers(end, length)))


@st.composite
def extractions(draw: st.DrawFn) -> Extraction:
    """A valid Extraction: references point to actors of the right kind, spans lie in
    the text; names, texts, dates and ids are otherwise anything."""
    text = draw(st.text(min_size=1, max_size=200))
    article = Article(
        id=draw(_NAMES),
        text=text,
        url=draw(st.none() | st.just("https://example.org/n/1")),
        source=draw(st.none() | _NAMES),
        published=draw(st.none() | st.dates()),
        title=draw(st.none() | _NAMES),
    )
    keys = draw(st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True), unique=True))
    kinds = [draw(st.sampled_from(list(ActorKind))) for _ in keys]
    orgs = [k for k, kind in zip(keys, kinds, strict=True) if kind in _ORGANISATIONS]
    people = [k for k, kind in zip(keys, kinds, strict=True) if kind == ActorKind.PERSON]
    actors = tuple(
        Actor(
            key,
            draw(_NAMES),
            kind,
            aliases=tuple(draw(st.lists(_NAMES, max_size=2))),
            wikidata=draw(st.none() | st.from_regex(r"Q[1-9][0-9]{0,6}", fullmatch=True)),
            part_of=draw(st.none() | st.sampled_from(orgs)) if orgs else None,
        )
        for key, kind in zip(keys, kinds, strict=True)
    )
    n = len(text)
    some = st.lists(st.sampled_from(keys), max_size=3, unique=True) if keys else st.just([])
    mentions = tuple(Mention(k, draw(_NAMES), draw(_span(n))) for k in draw(some))
    posts = tuple(
        Post(p, draw(_NAMES), draw(st.none() | st.sampled_from(orgs)) if orgs else None,
             draw(_span(n)))
        for p in (draw(st.lists(st.sampled_from(people), max_size=2)) if people else [])
    )  # fmt: skip
    demands = ()
    if keys:
        conditional = draw(st.booleans())
        demands = tuple(
            Demand(
                tuple(draw(st.lists(st.sampled_from(keys), min_size=1, max_size=2, unique=True))),
                tuple(draw(some)),
                draw(_NAMES),
                draw(_span(n)),
                conditional=conditional,
                condition=draw(_NAMES) if conditional and draw(st.booleans()) else None,
                date=draw(st.none() | st.dates()),
                status=draw(st.sampled_from(list(DemandStatus))),
            )
            for _ in range(draw(st.integers(0, 2)))
        )
    agreements = tuple(
        Agreement(
            draw(st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True)),
            draw(_NAMES),
            draw(_NAMES),
            draw(st.sampled_from(list(AgreementStatus))),
            draw(_span(n)),
            parties=tuple(draw(some)),
            date=draw(
                st.none()
                | st.dates().map(lambda d: d.isoformat()[: draw(st.sampled_from([4, 7, 10]))])
            ),
        )
        for _ in range(draw(st.integers(0, 2)))
    )
    meetings = tuple(
        Meeting(
            draw(_NAMES),
            draw(_NAMES),
            draw(_span(n)),
            date=draw(st.none() | st.dates()),
            place=draw(st.none() | _NAMES),
            participants=tuple(draw(some)),
            planned=draw(st.booleans()),
        )
        for _ in range(draw(st.integers(0, 2)))
    )
    statements = tuple(
        Statement(draw(_NAMES), draw(_span(n)), draw(st.none() | st.sampled_from(keys)) if keys
                  else None, draw(st.none() | st.dates()))
        for _ in range(draw(st.integers(0, 2)))
    )  # fmt: skip
    return Extraction(article, actors, mentions, posts, demands, agreements, meetings, statements)


_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@_SETTINGS
@given(extraction=extractions(), data=st.data())
def test_engines_agree_on_generated_article_graphs(extraction: Extraction, data) -> None:
    graph = emit(extraction)
    assert native_conforms(graph) == reference(graph)
    shapes = load_shapes()
    applicable = [c for c in constraints(shapes) if focus_nodes(shapes, c.shape, graph)]
    for c in data.draw(st.lists(st.sampled_from(applicable), min_size=1, max_size=3)):
        candidates = mutations_of(shapes, graph, c)
        if candidates:
            m = data.draw(st.sampled_from(candidates))
            if not m.known:
                assert native_conforms(m.graph) == reference(m.graph), m.what


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@_SETTINGS
@given(extraction=extractions())
def test_the_emitter_writes_no_date_on_which_the_engines_part_ways(extraction) -> None:
    """The one known laxer case (``date-beyond-python``) needs a date the emitter cannot
    write: every xsd:date it writes is four-digit year 0001-9999, month, day."""
    graph = emit(extraction)
    for literal in graph.objects():
        if isinstance(literal, Literal) and literal.datatype == XSD.date:
            assert _DATE.fullmatch(str(literal)) and str(literal)[:4] != "0000"
            assert dt.date.fromisoformat(str(literal)).isoformat() == str(literal)


# ---------------------------------------------------------------------------- the gate


def _article_graph(key: str, graph: Graph) -> ArticleGraph:
    return ArticleGraph(key, tuple(graph), to_ntriples(graph))


@pytest.mark.parametrize("path", [p for p in EXAMPLES if p.name.startswith("bad-")][:4])
def test_a_native_rejection_gets_pyshacls_report(path: Path) -> None:
    data = Graph().parse(path, format="turtle")
    (report,) = Gate(engine="native").check([_article_graph("a", data)])
    assert report == validate_graph(data)
    assert not report.conforms and report.violations and report.disagreement is None


def _evidence_start(data: Graph) -> tuple:
    return next((s, o) for s, o in data.subject_objects(_kgb("start")))


def test_a_graph_only_native_rejects_is_not_stored_and_says_why() -> None:
    data = emit(load_extraction(RICHEST))
    evidence, start = _evidence_start(data)
    spaced = Literal(f" {start}", datatype=XSD.integer, normalize=False)  # integer-lexical
    data.set((evidence, _kgb("start"), spaced))
    (report,) = Gate(engine="native").check([_article_graph("a", data)])
    assert not report.conforms and report.disagreement == Disagreement.PYSHACL_CONFORMS
    assert "pyshacl (the reference) finds nothing" in report.summary()
    assert any(v.path.endswith("#start>") for v in report.violations)


def test_a_graph_that_is_not_n_triples_is_not_stored_and_says_why() -> None:
    """A line break in an IRI (here one the entity description derives from a Wikidata id)
    is no N-Triples: the native engine cannot read it, nor could the store."""
    data = emit(load_extraction(RICHEST))
    actor = next(s for s, _ in data.subject_objects(_kgb("wikidata")))
    data.set((actor, _kgb("wikidata"), Literal("Q12\n")))
    (report,) = Gate(engine="native").check([_article_graph("a", data)])
    assert not report.conforms and report.disagreement is None
    assert "not valid N-Triples, so it cannot be stored" in report.summary()


def _far_date_graph() -> Graph:
    data = emit(load_extraction(RICHEST))
    article = next(data.subjects(RDF.type, _kgb("Article")))
    data.set((article, _kgb("published"), Literal("0000-01-01", datatype=XSD.date)))
    return data


def test_verify_sample_catches_a_native_conforms_that_pyshacl_rejects() -> None:
    data = _far_date_graph()  # date-beyond-python: the native engine is laxer here
    (unchecked,) = Gate(engine="native", verify_sample=0).check([_article_graph("a", data)])
    assert unchecked.conforms  # what a gate without the sample would let through
    (checked,) = Gate(engine="native", verify_sample=1).check([_article_graph("a", data)])
    assert not checked.conforms and checked.disagreement == Disagreement.NATIVE_CONFORMS
    assert "said this graph conforms" in checked.summary()


def test_the_sample_is_deterministic_and_about_the_fraction_asked() -> None:
    keys = [f"article-{i}" for i in range(20_000)]
    chosen = [k for k in keys if in_sample(k, 0.01)]
    assert chosen == [k for k in keys if in_sample(k, 0.01)]
    assert 140 <= len(chosen) <= 260
    assert set(chosen) <= {k for k in keys if in_sample(k, 0.05)}


def test_bad_gate_options_fail_at_once() -> None:
    from kg_builder.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown SHACL engine"):
        Gate(engine="fast")
    for fraction in (-0.1, 1.5, float("nan")):
        with pytest.raises(ConfigError, match="between 0 and 1"):
            Gate(engine="native", verify_sample=fraction)


def _kgb(name: str):
    from kg_builder.rdf import vocab

    return vocab.KGB[name]


# ---------------------------------------------------------------------------- trust


def test_the_native_engine_is_trusted_with_exactly_what_the_mutations_check() -> None:
    """Every constraint parameter in ``native.CHECKED`` is broken by a mutation operator,
    and the shipped shapes use nothing else."""
    from shacl_mutations import _OPERATORS, COMPONENTS

    checked = {SH[name] for name in native.CHECKED}
    assert {COMPONENTS[p] for p in checked if p in COMPONENTS} <= set(_OPERATORS)
    assert native.untrusted(load_shapes()) == ()


def test_shapes_with_an_unchecked_feature_fall_back_to_pyshacl(tmp_path: Path, caplog) -> None:
    from kg_builder.pipeline import IngestOptions

    shapes_file = tmp_path / "shapes.ttl"
    extra = (
        "\n<urn:x:Extra> a sh:NodeShape ; sh:targetClass <urn:x:C> ;\n"
        "    sh:xone ( [ sh:path <urn:x:p> ; sh:minCount 1 ]\n"
        "              [ sh:path <urn:x:q> ; sh:minCount 1 ] ) .\n"
    )
    shapes_file.write_text(
        (ROOT / "ontology" / "shapes.ttl").read_text(encoding="utf-8") + extra, encoding="utf-8"
    )
    shapes = load_shapes(str(shapes_file))
    assert native.untrusted(shapes) == ("sh:xone",)
    with caplog.at_level(logging.WARNING):
        gate = Gate(shapes, engine="native")
    assert gate.engine == "pyshacl" and gate.native is None
    assert gate.fallback and "sh:xone" in gate.fallback and gate.fallback in caplog.text
    broken = Graph().parse(data="<urn:x:a> a <urn:x:C> .", format="turtle")
    (report,) = gate.check([_article_graph("a", broken)])
    assert not report.conforms  # pyshacl checked sh:xone
    options = IngestOptions(shapes=str(shapes_file), shacl_engine="native")
    assert options.requested_engine == "native" and options.engine == "pyshacl"
    assert IngestOptions().engine == "native"


@pytest.mark.parametrize("path", EXAMPLES[::4], ids=lambda p: p.name)
def test_validate_triples_gives_pyshacls_verdict_and_report_with_either_engine(path) -> None:
    """What the entity graph's updates run: the native engine decides, pyshacl reports."""
    from kg_builder.rdf.validate import validate_triples

    data = Graph().parse(path, format="turtle")
    expected = validate_graph(data, entities=False)
    assert validate_triples(tuple(data), engine="native") == expected
    assert validate_triples(tuple(data)) == expected


def test_fork_is_unsafe_only_once_the_engines_thread_pool_started() -> None:
    """In a fresh process: an article graph is validated on the calling thread (workers may
    still be forked); a large graph starts the thread pool, and forking stops."""
    import subprocess
    import sys

    code = f"""
import sys
sys.path.insert(0, {str(ROOT / "tests")!r})
from pathlib import Path
from golden_io import load_extraction
from kg_builder.rdf import native
from kg_builder.rdf.emit import emit_triples
from kg_builder.rdf.ntriples import to_ntriples
from kg_builder.rdf.shapes import load_shapes
engine = native.native_shapes(load_shapes())
text = to_ntriples(emit_triples(load_extraction(Path({str(RICHEST)!r}))))
engine.conforms(text)
small = native.fork_safe()
engine.conforms("".join(text.replace("/article/", f"/article/x{{i}}") for i in range(400)))
print(small, native.fork_safe())
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    assert out.stdout.split() == ["True", "False"]
