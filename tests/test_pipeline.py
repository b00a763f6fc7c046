"""The batch: stores good articles, names and counts bad ones, replaces on re-ingest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg_builder.errors import ConfigError
from kg_builder.pipeline import IngestOptions, ingest
from kg_builder.store import graph_counts, open_store

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "tass-russia-nato-council.txt"


def _jsonl(path: Path, *records) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = {
    "id": "g1",
    "text": "The Kenyan government urged Uganda to reopen the border.",
    "published": "2024-05-02",
    "source": "Example Wire",
}
GOOD2 = {
    "id": "g2",
    "text": "Chile and Peru held talks in Lima on Monday.",
    "published": "2024-05-08",
}


ARTICLE = "https://w3id.org/kg-builder/id/article/"
ENTITIES = "https://w3id.org/kg-builder/id/graph/entities"
ONTOLOGY = "https://w3id.org/kg-builder/ontology"


def _articles(store) -> dict[str, int]:
    return {g: n for g, n in graph_counts(store).items() if g.startswith(ARTICLE)}


def test_sample_article_is_stored_as_one_named_graph(tmp_path: Path) -> None:
    report = ingest([SAMPLE], tmp_path / "store")
    assert report.stored == 1 and not report.failed
    counts = graph_counts(open_store(tmp_path / "store", read_only=True))
    article = ARTICLE + "tass-seed-russia-nato-council"
    assert sorted(counts) == sorted([article, ENTITIES, ONTOLOGY])
    assert report.triples == counts[article] > 100


def test_reingest_replaces_and_is_deterministic(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "a.jsonl", GOOD, GOOD2)
    ingest([src], tmp_path / "s1")
    first = open_store(tmp_path / "s1").dump(format=ox.RdfFormat.N_QUADS)
    ingest([src], tmp_path / "s1")
    store = open_store(tmp_path / "s1")
    again = store.dump(format=ox.RdfFormat.N_QUADS)
    assert sorted(first.splitlines()) == sorted(again.splitlines())
    assert len(_articles(store)) == 2


def test_bad_lines_are_named_counted_and_the_good_ones_stored(tmp_path: Path) -> None:
    src = _jsonl(
        tmp_path / "mixed.jsonl", GOOD, "{not json", {"id": "e", "text": "  "}, GOOD2, "[1, 2]"
    )
    report = ingest([src, tmp_path / "missing.txt"], tmp_path / "store")
    assert report.stored == 2
    origins = sorted(f.origin for f in report.failed)
    assert origins == sorted([f"{src}:2", f"{src}:3", f"{src}:5", str(tmp_path / "missing.txt")])


def test_duplicate_ids_and_texts_are_reported(tmp_path: Path) -> None:
    src = _jsonl(
        tmp_path / "d.jsonl",
        GOOD,
        dict(GOOD, text="Other text here."),
        dict(GOOD2, id="copy"),
        GOOD2,
    )
    report = ingest([src], tmp_path / "store")
    assert report.stored == 4
    joined = "\n".join(report.warnings)
    assert "'g1'" in joined and "later one wins" in joined
    assert "same text" in joined and "'copy'" in joined
    assert len(_articles(open_store(tmp_path / "store"))) == 3


@pytest.mark.parametrize("engine", ["native", "pyshacl"])
def test_non_conforming_article_is_not_stored_and_named(tmp_path: Path, engine: str) -> None:
    shapes = tmp_path / "strict.ttl"
    shapes.write_text("""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix kgb: <https://w3id.org/kg-builder/ontology#> .
<urn:s> a sh:NodeShape ; sh:targetClass kgb:Article ;
  sh:property [ sh:path kgb:title ; sh:minCount 1 ; sh:message "An article needs a title." ] .
""")
    src = _jsonl(tmp_path / "a.jsonl", GOOD, dict(GOOD2, title="Talks in Lima"))
    options = IngestOptions(shapes=str(shapes), shacl_engine=engine)
    assert options.engine == engine
    report = ingest([src], tmp_path / "store", options)
    assert report.stored == 1
    (failure,) = report.failed
    assert failure.origin == f"{src}:1"
    assert "An article needs a title." in failure.reason and "article/g1" in failure.reason


@pytest.mark.parametrize(
    "options, message",
    [
        (IngestOptions(model="no_such_model_xx"), "no_such_model_xx"),
        (IngestOptions(base="not-an-iri"), "--base"),
        (IngestOptions(jobs=0), "--jobs"),
        (IngestOptions(batch_size=0), "--batch-size"),
        (IngestOptions(load_size=0), "--load-size"),
        (IngestOptions(shacl_engine="fast"), "--shacl-engine"),
        (IngestOptions(verify_sample=1.5), "--verify-sample"),
    ],
)
def test_bad_options_fail_before_any_work(tmp_path: Path, options, message) -> None:
    with pytest.raises(ConfigError, match=message):
        ingest([SAMPLE], tmp_path / "store", options)
    assert not (tmp_path / "store").exists()


def test_broken_shapes_file_fails_before_any_work(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> . this is not turtle")
    with pytest.raises(ConfigError, match="does not parse"):
        ingest([SAMPLE], tmp_path / "store", IngestOptions(shapes=str(broken)))
    assert not (tmp_path / "store").exists()


def test_two_jobs_give_the_same_graphs_as_one(tmp_path: Path) -> None:
    records = [dict(GOOD, id=f"a{i}") for i in range(5)] + [
        dict(GOOD2, id=f"b{i}") for i in range(5)
    ]
    src = _jsonl(tmp_path / "many.jsonl", *records)
    one = ingest([src], tmp_path / "one", IngestOptions(batch_size=3))
    two = ingest([src], tmp_path / "two", IngestOptions(batch_size=3, jobs=2))
    assert one.stored == two.stored == 10 and one.triples == two.triples
    dumps = [
        sorted(open_store(tmp_path / d).dump(format=ox.RdfFormat.N_QUADS).splitlines())
        for d in ("one", "two")
    ]
    assert dumps[0] == dumps[1]


def test_both_shacl_engines_store_the_same_quads(tmp_path: Path) -> None:
    """The native gate (the default), over several loads, stores what pyshacl's does."""
    records = [dict(GOOD, id=f"a{i}") for i in range(3)] + [
        dict(GOOD2, id=f"b{i}") for i in range(3)
    ]
    src = _jsonl(tmp_path / "many.jsonl", *records)
    assert IngestOptions().engine == "native"
    native = ingest([src, SAMPLE], tmp_path / "native", IngestOptions(batch_size=2, load_size=3))
    reference = ingest([src, SAMPLE], tmp_path / "pyshacl", IngestOptions(shacl_engine="pyshacl"))
    assert native.stored == reference.stored == 7 and native.triples == reference.triples
    dumps = [
        sorted(open_store(tmp_path / d).dump(format=ox.RdfFormat.N_QUADS).splitlines())
        for d in ("native", "pyshacl")
    ]
    assert dumps[0] == dumps[1]


def test_no_articles_found_is_a_failure(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    report = ingest([empty], tmp_path / "store")
    assert report.stored == 0 and report.failed


def test_same_input_gives_the_same_quads_in_separate_processes(tmp_path: Path) -> None:
    """Determinism across runs: different hash seeds must not change triples or IRIs."""
    dumps = []
    for seed in ("1", "12345"):
        store = tmp_path / f"store-{seed}"
        subprocess.run(
            [sys.executable, "-m", "kg_builder", "ingest", str(SAMPLE), "--store", str(store)],
            check=True,
            capture_output=True,
            env=dict(os.environ, PYTHONHASHSEED=seed),
        )
        dumps.append(
            sorted(open_store(store, read_only=True).dump(format=ox.RdfFormat.N_QUADS).splitlines())
        )
    assert dumps[0] == dumps[1] and len(dumps[0]) > 100


def test_problems_are_reported_as_they_happen(tmp_path: Path) -> None:
    """A failure or warning reaches on_problem before later batches are stored."""
    from kg_builder.pipeline import Failure

    src = _jsonl(tmp_path / "a.jsonl", GOOD, "{broken", GOOD2, dict(GOOD2, id="g3"))
    events: list = []
    report = ingest(
        [src],
        tmp_path / "s",
        IngestOptions(batch_size=1),
        progress=lambda stored, failed: events.append(("stored", stored)),
        on_problem=events.append,
    )
    problems = [e for e in events if not (isinstance(e, tuple) and e[0] == "stored")]
    assert sorted(problems, key=str) == sorted([*report.failed, *report.warnings], key=str)
    failure = next(i for i, e in enumerate(events) if isinstance(e, Failure))
    assert "a.jsonl" in events[failure].origin and ":2" in events[failure].origin
    assert ("stored", 3) in events[failure:]
    assert any("same text" in e for e in events if isinstance(e, str))


def test_ingest_leaves_no_write_journal(tmp_path: Path) -> None:
    from kg_builder.store import PENDING_FILE

    report = ingest([_jsonl(tmp_path / "a.jsonl", GOOD, GOOD2)], tmp_path / "s")
    assert report.stored == 2
    assert not (tmp_path / "s" / PENDING_FILE).exists()


def test_the_workers_get_new_batches_while_a_load_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A load runs beside the workers: the first one is held until the next batch has been
    handed out (with one worker, that batch can only go out after the load has started),
    which a run that loads on its main thread never does."""
    import threading

    from kg_builder.pipeline.pool import WorkerPool
    from kg_builder.store.entities import ArticleWriter

    handed_out: list[int] = []
    second = threading.Event()
    submit, write = WorkerPool.submit, ArticleWriter.write

    def counting_submit(self, task):  # type: ignore[no-untyped-def]
        handed_out.append(task.seq)
        if len(handed_out) >= 2:
            second.set()
        submit(self, task)

    held: list[bool] = []

    def held_write(self, writes, **kwargs):  # type: ignore[no-untyped-def]
        if not held:
            held.append(second.wait(30))
        return write(self, writes, **kwargs)

    monkeypatch.setattr(WorkerPool, "submit", counting_submit)
    monkeypatch.setattr(ArticleWriter, "write", held_write)
    records = [{"id": f"b{i}", "text": text} for i, text in enumerate(5 * [GOOD["text"]])]
    src = _jsonl(tmp_path / "a.jsonl", *records)
    report = ingest([src], tmp_path / "store", IngestOptions(jobs=1, batch_size=1, load_size=1))
    assert held == [True], "the first load stopped the workers being given batches"
    assert report.stored == 5 and not report.failed
    assert len(_articles(open_store(tmp_path / "store", read_only=True))) == 5


def test_the_entity_update_starts_before_the_last_batch_is_written_and_gives_the_same_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the input is read, the entity graph is brought up to date beside the workers'
    last batches, and again at the end for what they touched; the entity graph is the
    one a rebuild from every stored article gives."""
    from kg_builder.store.entities import ArticleWriter, rebuild_entities

    written: list[int] = []
    at_update: list[int] = []
    write, finish = ArticleWriter.write, ArticleWriter.finish

    def counting_write(self, writes, **kwargs):  # type: ignore[no-untyped-def]
        writes = list(writes)
        written.append(len(writes))
        return write(self, writes, **kwargs)

    def noting_finish(self):  # type: ignore[no-untyped-def]
        at_update.append(sum(written))
        return finish(self)

    monkeypatch.setattr(ArticleWriter, "write", counting_write)
    monkeypatch.setattr(ArticleWriter, "finish", noting_finish)
    texts = [GOOD["text"], GOOD2["text"], "Kenya and Uganda signed a border treaty in Nairobi."]
    records = [{"id": f"u{i}", "text": texts[i % 3]} for i in range(6)]
    src = _jsonl(tmp_path / "a.jsonl", *records)
    report = ingest([src], tmp_path / "store", IngestOptions(jobs=1, batch_size=1, load_size=1))
    assert report.stored == 6 and not report.failed
    assert len(at_update) == 2 and at_update[0] < 6 and at_update[-1] == 6, at_update

    def entity_graph(store: ox.Store) -> list[str]:
        return sorted(
            str(q) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(ENTITIES))
        )

    store = open_store(tmp_path / "store")
    ours = entity_graph(store)
    rebuild_entities(store)
    assert ours and entity_graph(store) == ours


def test_the_later_of_two_articles_with_one_id_wins_inside_one_batch(tmp_path: Path) -> None:
    """Regression: both were loaded in one batch, and the graph was their union."""
    src = tmp_path / "twice.jsonl"
    records = [
        {"id": "same", "text": "Kenya urged Uganda to reopen the border on Monday."},
        {"id": "same", "text": "Chile and Peru held talks in Lima on Tuesday."},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    report = ingest([src], tmp_path / "store", IngestOptions(jobs=1, batch_size=8))
    assert report.stored == 2 and len(report.warnings) == 1
    store = open_store(tmp_path / "store", read_only=True)
    texts = [
        str(q.object.value)
        for q in store.quads_for_pattern(
            None, ox.NamedNode("https://w3id.org/kg-builder/ontology#text"), None, None
        )
    ]
    assert texts == [records[1]["text"]]


def test_a_native_conforms_pyshacl_rejects_stops_the_run_before_the_write() -> None:
    """What ``--verify-sample`` does with a disagreement the worker found (the gate side is
    tested in test_shacl_engines): the batch is not written and the error names the article."""
    import dataclasses

    from kg_builder.errors import GateError
    from kg_builder.pipeline.run import _stop_on_false_conforms
    from kg_builder.pipeline.worker import Outcome
    from kg_builder.rdf.validate import Disagreement

    ok = Outcome(0, "a1", "in.jsonl:1", ARTICLE + "a1", "", 3, None)
    bad = Outcome(
        1, "a2", "in.jsonl:2", ARTICLE + "a2", None, 0, "graph does not conform",
        disagreement=Disagreement.NATIVE_CONFORMS,
    )  # fmt: skip
    _stop_on_false_conforms([ok])
    stricter = dataclasses.replace(bad, disagreement=Disagreement.PYSHACL_CONFORMS)
    _stop_on_false_conforms([ok, stricter])  # not stored, reported; the run goes on
    with pytest.raises(GateError, match=r"in\.jsonl:2: .*'a2'.*--shacl-engine pyshacl"):
        _stop_on_false_conforms([ok, bad])


@pytest.mark.parametrize(
    ("n", "size", "jobs"),
    [(0, 32, 2), (1, 32, 2), (5, 32, 2), (95, 32, 2), (96, 32, 1), (40, 1, 4)],
)
def test_tail_batches_keep_order_and_shrink(n: int, size: int, jobs: int) -> None:
    from kg_builder.pipeline.run import tail_batches

    batches = list(tail_batches(list(range(n)), size, jobs))
    assert [x for b in batches for x in b] == list(range(n))
    assert all(0 < len(b) <= size for b in batches)
    lengths = [len(b) for b in batches]
    # never larger than the batch before it, and the last one small: workers end together
    assert all(a >= b for a, b in zip(lengths, lengths[1:-1], strict=False))
    if n:
        assert lengths[-1] <= max(1, size // 8)
