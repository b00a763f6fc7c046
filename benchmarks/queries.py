"""Query speed at scale: every shipped query on a synthetic store of N articles.

The store is built without spaCy: N article graphs emitted (``kg_builder.rdf.emit``) from
seeded synthetic Extractions — made-up actors ("Actor 17", of every actor class), posts,
demands, agreements, meetings and statements, drawn with a skew so that a few actors and
agreements recur in many articles, as in news — bulk-loaded in loads of ``--load-size``
article graphs as ingest loads them, then the entity graph (canonical descriptions,
demand and agreement histories) is computed once from all of them
(``kg_builder.store.entities.rebuild_entities``; it depends only on which articles are
stored, not on the order of writes). The store is kept in ``--workdir`` and reused.

Then each shipped query (``queries/*.rq``) runs ``--repeats`` times on the embedded store
(``kg_builder.store.query.select_sparql``, union default graph, as ``kg-builder query``);
a query with a ``VALUES ?asked { "..." }`` line is run for the most frequent synthetic
actor instead (a selective query), and ``agreement-history`` also for one agreement (its
most reported one). It prints the median wall time, rows, and the target of issue 13
(selective < 50 ms, corpus-wide < 2 s).

Usage::

    python benchmarks/queries.py --articles 100000 --workdir out/bench-queries
    python benchmarks/queries.py --articles 2000           # smoke run, temporary store
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

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
from kg_builder.rdf.emit import emit_triples
from kg_builder.rdf.iris import IriMinter
from kg_builder.rdf.ntriples import to_ntriples
from kg_builder.rdf.vocab import DEFAULT_BASE
from kg_builder.resources import shipped_queries
from kg_builder.store import PENDING_FILE, GraphWrite, open_store, replace_graphs
from kg_builder.store.entities import rebuild_entities
from kg_builder.store.ontology import ensure_ontology
from kg_builder.store.params import Term
from kg_builder.store.query import Query, load, select_sparql

SELECTIVE_MS = 50.0
AGGREGATE_MS = 2000.0
_KINDS = list(ActorKind)
_ORGS = [k for k in _KINDS if k not in (ActorKind.PERSON, ActorKind.COLLECTIVE_ACTOR)]
_TITLES = ("Foreign Minister", "President", "Prime Minister", "Spokesperson", "Envoy")
_SENTENCE = "Sentence {i} of a made-up report about actor {a} and actor {b}, words words. "


def _skewed(rng: random.Random, n: int) -> int:
    """An index in 0..n-1, small ones far more often (about Zipf-like)."""
    return min(n - 1, int(n * rng.random() ** 3))


def synthetic(i: int, rng: random.Random, actors: int, agreements: int) -> Extraction:
    """One made-up article: 3-8 actors of a pool of ``actors``, facts among them.

    Per article on average: 5.9 actors, 0-2 posts, 2 demands, 1 agreement report, 0.5
    meetings, 1.5 statements (the 20 dev articles, richer than most: 13.4 descriptions,
    2.4 posts, 3.2 demands, 1.9 agreement reports, 1.05 meetings, 2.75 statements).
    """
    keys = sorted({_skewed(rng, actors) for _ in range(rng.randint(3, 8))})
    text = "".join(_SENTENCE.format(i=s, a=rng.choice(keys), b=rng.choice(keys)) for s in range(12))
    n = len(text)

    def span() -> Span:
        start = rng.randrange(0, n - 40)
        return Span(start, start + 30, max(0, start - 10), min(n, start + 60))

    cast = [
        Actor(
            f"a{k}",
            f"Actor {k}",
            _KINDS[k % len(_KINDS)],
            aliases=(f"A{k}",) if k % 3 == 0 else (),
            wikidata=f"Q{1000 + k}" if k % 2 == 0 else None,
        )
        for k in keys
    ]
    names = [a.key for a in cast]
    people = [a.key for a in cast if a.kind == ActorKind.PERSON]
    orgs = [a.key for a in cast if a.kind in _ORGS]
    published = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(6 * 365))

    def some(k: int) -> tuple[str, ...]:
        return tuple(rng.sample(names, min(k, len(names))))

    return Extraction(
        Article(f"synthetic-{i}", text, f"https://example.org/n/{i}", "Example Wire", published),
        actors=tuple(cast),
        mentions=tuple(Mention(a, f"Actor {a[1:]}", span()) for a in names),
        # A person holds one office, in the article's most reported organisation.
        posts=tuple(
            Post(p, _TITLES[int(p[1:]) % len(_TITLES)], orgs[0] if orgs else None, span())
            for p in people[:2]
        ),
        demands=tuple(
            Demand(
                some(1),
                some(1),
                f"to do thing {rng.randrange(50)}",
                span(),
                status=rng.choice(list(DemandStatus)[:1] + list(DemandStatus)[2:]),
                date=published,
            )
            for _ in range(rng.randint(0, 4))
        ),
        agreements=tuple(
            Agreement(
                f"g{g}",
                f"Accord {g}",
                "agreement",
                rng.choice(list(AgreementStatus)),
                span(),
                parties=some(2),
                date=str(published.year),
            )
            for g in {_skewed(rng, agreements) for _ in range(rng.randint(0, 2))}
        ),
        meetings=tuple(
            Meeting(
                f"talks {i}", "talks", span(), date=published, participants=some(rng.randint(2, 3))
            )
            for _ in range(rng.randint(0, 1))
        ),
        statements=tuple(
            Statement(f"We said thing {j}.", span(), rng.choice(names), published)
            for j in range(rng.randint(0, 3))
        ),
    )


def build(path: Path, articles: int, load_size: int, seed: int) -> float:
    """Write the synthetic store at ``path``; return the seconds it took.

    ``PATH.loaded`` beside it marks the article graphs as all loaded (a cut-off build
    then only computes the entity graph), ``PATH.built`` the store as complete.
    """
    start = time.perf_counter()
    loaded = path.with_name(path.name + ".loaded")
    store = open_store(path)
    rng = random.Random(seed)
    actors, agreements = 300 + articles // 20, 50 + articles // 100
    minter = IriMinter(DEFAULT_BASE)
    for first in range(0, 0 if loaded.exists() else articles, load_size):
        writes = []
        for i in range(first, min(articles, first + load_size)):
            triples = emit_triples(synthetic(i, rng, actors, agreements), model="synthetic")
            writes.append(GraphWrite(str(minter.article(f"synthetic-{i}")), to_ntriples(triples)))
        replace_graphs(store, writes, journal=path / PENDING_FILE)
        print(f"{first + len(writes):,} article graphs loaded", file=sys.stderr, flush=True)
    store.flush()
    loaded.touch()
    ensure_ontology(store)
    built = time.perf_counter()
    update = rebuild_entities(store, engine="native")
    store.flush()
    store.optimize()
    seconds = time.perf_counter() - built
    print(f"entity graph in {seconds:.0f} s: {update}", file=sys.stderr, flush=True)
    path.with_name(path.name + ".built").touch()
    return time.perf_counter() - start


#: Shipped queries that aggregate over the corpus (target < 2 s); the other shipped
#: queries list facts, one row per fact, so their rows and time grow with the corpus.
AGGREGATES = ("actor-network", "agreement-history", "demand-history")


@dataclass(frozen=True)
class Variant:
    """One timed run: a shipped query with parameters, as ``kg-builder query`` runs it."""

    label: str
    sparql: str
    bindings: dict[str, Term]
    hidden: tuple[str, ...]
    kind: str  # selective | aggregate | listing

    @property
    def target_ms(self) -> float | None:
        """Issue 13's target: selective < 50 ms, corpus-wide aggregates < 2 s."""
        return {"selective": SELECTIVE_MS, "aggregate": AGGREGATE_MS}.get(self.kind)


def variants(store: ox.Store, articles: int, folder: Path | None = None) -> list[Variant]:
    """Every shipped query as run on the synthetic store: without parameters, then with
    its ``actor`` parameter (the most mentioned actor, in another case, and the 100th
    most mentioned: a typical one), its ``article`` parameter (one article), and
    ``agreement-history`` for one agreement (the most reported and the 20th most
    reported; that query has no parameter for it, so a ``VALUES`` line is put in its
    counting subquery, or at the start of its WHERE clause when it reads the count: the form a
    caller who knows the IRI would write).
    ``folder``: read the queries of that name from there (another version of them)."""
    actors = _ranked(store, "SELECT ?x (COUNT(*) AS ?n) WHERE { ?m kgb:mentionOf ?a . "
                     "?a kgb:name ?x } GROUP BY ?x ORDER BY DESC(?n) ?x", 100)  # fmt: skip
    agreements = _ranked(store, "SELECT ?x (COUNT(*) AS ?n) WHERE { ?x a kgb:Agreement ; "
                         "kgb:step ?s } GROUP BY ?x ORDER BY DESC(?n) ?x", 20)  # fmt: skip
    article = f"synthetic-{articles // 2}"
    out = []
    for name in sorted(shipped_queries()):
        spec = load(str(folder / f"{name}.rq") if folder else name)
        declared = {p.name for p in spec.parameters}
        kind = "aggregate" if name in AGGREGATES else "listing"
        out.append(Variant(name, spec.text, {}, spec.hidden, kind))
        if "actor" in declared:
            for (who, n), rank in zip(actors, ("top", "100th"), strict=False):
                label = f"{name} actor={who.upper()} ({rank}, {n:,} mentions)"
                out.append(_with(spec, label, actor=who.upper()))
        if "article" in declared:
            out.append(_with(spec, f"{name} article={article}", article=article))
        if name == "agreement-history":
            head = "SELECT ?agreement (COUNT(DISTINCT ?a) AS ?articles) WHERE {"
            for (iri, n), rank in zip(agreements, ("top", "20th"), strict=False):
                one = spec.text.replace(head, f"{head}\n      VALUES ?agreement {{ <{iri}> }}", 1)
                if one == spec.text:  # the count is read, not counted: bind it in the query
                    one = spec.text.replace(
                        " WHERE {\n", f" WHERE {{\n  VALUES ?agreement {{ <{iri}> }}\n", 1
                    )
                assert one != spec.text, "agreement-history.rq changed: update this benchmark"
                label = f"{name} one agreement ({rank}, {n:,} reports)"
                out.append(Variant(label, one, {}, spec.hidden, "selective"))
    return out


def _with(spec: Query, label: str, **params: str) -> Variant:
    return Variant(label, spec.text, spec.bind(params), spec.hidden, "selective")


def _ranked(store: ox.Store, query: str, rank: int) -> list[tuple[str, int]]:
    """The first and the ``rank``-th (value, count) of a ranking query (those there are)."""
    prefixes = "PREFIX kgb: <https://w3id.org/kg-builder/ontology#>\n"
    rows = select_sparql(store, prefixes + query).rows
    return [(rows[i][0], int(rows[i][1])) for i in (0, rank - 1) if i < len(rows)]


def timed(
    path: Path, variant: Variant, repeats: int, timeout: float
) -> tuple[float, float, int] | None:
    """Median wall and CPU milliseconds of ``repeats`` runs, and the rows of the last.

    Each run is a child process with the store opened read-only, stopped after
    ``timeout`` seconds (None then); a run over 10 s is not repeated.
    """
    walls, cpus, rows = [], [], 0
    context = multiprocessing.get_context("fork")
    for _ in range(repeats):
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_run, args=(path, variant, send), daemon=True)
        child.start()
        send.close()
        if not receive.poll(timeout):
            child.kill()
            child.join()
            return None
        wall, cpu, rows = receive.recv()
        child.join()
        walls.append(wall)
        cpus.append(cpu)
        if wall > 10_000:
            break
    return statistics.median(walls), statistics.median(cpus), rows


def _run(path: Path, variant: Variant, send: Connection) -> None:
    store = open_store(path, read_only=True)
    wall, cpu = time.perf_counter(), time.process_time()
    table = select_sparql(store, variant.sparql, bindings=variant.bindings)
    rows = len(table.without(variant.hidden).rows)
    cpu_ms = (time.process_time() - cpu) * 1000
    send.send(((time.perf_counter() - wall) * 1000, cpu_ms, rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="synthetic articles N")
    parser.add_argument("--load-size", type=int, default=1024, help="article graphs per load")
    parser.add_argument("--repeats", type=int, default=3, help="runs per query (median)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--workdir", type=Path, default=None, help="keep (and reuse) the store")
    parser.add_argument("--queries", type=Path, default=None, help="time DIR/NAME.rq instead")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a run stops")
    parser.add_argument(
        "--kinds", nargs="*", default=[], help="only these kinds (selective aggregate listing)"
    )
    parser.add_argument("--only", nargs="*", default=[], help="only the runs whose label has one")
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="kgb-queries-"))
    path = work / f"store-{args.articles}"
    try:
        if not path.with_name(path.name + ".built").exists():
            seconds = build(path, args.articles, args.load_size, args.seed)
            print(f"built {path} in {seconds:.0f} s", file=sys.stderr)
        store = open_store(path, read_only=True)
        print(f"{len(store):,} quads, {args.articles:,} synthetic articles\n")
        print("| query | kind | median ms (wall) | median ms (CPU) | rows | target |")
        print("|---|---|---:|---:|---:|---|")
        for variant in variants(store, args.articles, args.queries):
            if args.only and not any(o in variant.label for o in args.only):
                continue
            if args.kinds and variant.kind not in args.kinds:
                continue
            result = timed(path, variant, args.repeats, args.timeout)
            target = variant.target_ms
            if result is None:
                print(f"| {variant.label} | {variant.kind} | > {args.timeout:,.0f} s (stopped) "
                      f"| | | {'MISSED' if target else '—'} |", flush=True)  # fmt: skip
                continue
            wall, cpu, rows = result
            verdict = (
                "—"
                if target is None
                else f"< {target:,.0f} ms " + ("ok" if cpu < target else "MISSED")
            )
            print(
                f"| {variant.label} | {variant.kind} | {wall:,.0f} | {cpu:,.0f} | {rows:,} "
                f"| {verdict} |",
                flush=True,
            )
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
