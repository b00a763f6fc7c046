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
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

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
from kg_builder.store.query import select_sparql

SELECTIVE_MS = 50.0
AGGREGATE_MS = 2000.0
_KINDS = list(ActorKind)
_ORGS = [k for k in _KINDS if k not in (ActorKind.PERSON, ActorKind.COLLECTIVE_ACTOR)]
_SENTENCE = "Sentence {i} of a made-up report about actor {a} and actor {b}, words words. "


def _skewed(rng: random.Random, n: int) -> int:
    """An index in 0..n-1, small ones far more often (about Zipf-like)."""
    return min(n - 1, int(n * rng.random() ** 3))


def synthetic(i: int, rng: random.Random, actors: int, agreements: int) -> Extraction:
    """One made-up article: 3-8 actors of a pool of ``actors``, facts among them."""
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
        posts=tuple(
            Post(p, "Foreign Minister", rng.choice(orgs) if orgs else None, span())
            for p in people[:1]
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
            for _ in range(rng.randint(0, 3))
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
            Meeting(f"talks {i}", "talks", span(), date=published, participants=some(2))
            for _ in range(rng.randint(0, 1))
        ),
        statements=tuple(
            Statement(f"We said thing {j}.", span(), rng.choice(names), published)
            for j in range(rng.randint(0, 2))
        ),
    )


def build(path: Path, articles: int, load_size: int, seed: int) -> float:
    """Write the synthetic store at ``path``; return the seconds it took."""
    start = time.perf_counter()
    store = open_store(path)
    rng = random.Random(seed)
    actors, agreements = 300 + articles // 20, 50 + articles // 100
    minter = IriMinter(DEFAULT_BASE)
    for first in range(0, articles, load_size):
        writes = []
        for i in range(first, min(articles, first + load_size)):
            triples = emit_triples(synthetic(i, rng, actors, agreements), model="synthetic")
            writes.append(GraphWrite(str(minter.article(f"synthetic-{i}")), to_ntriples(triples)))
        replace_graphs(store, writes, journal=path / PENDING_FILE)
        print(f"{first + len(writes):,} article graphs loaded", file=sys.stderr, flush=True)
    ensure_ontology(store)
    built = time.perf_counter()
    update = rebuild_entities(store)
    store.flush()
    store.optimize()
    seconds = time.perf_counter() - built
    print(f"entity graph in {seconds:.0f} s: {update}", file=sys.stderr, flush=True)
    return time.perf_counter() - start


def variants(store) -> list[tuple[str, str, bool]]:
    """(label, SPARQL, selective?) of every shipped query, as run on the synthetic store."""
    top_actor = _most(store, "SELECT ?x (COUNT(*) AS ?n) WHERE { ?m kgb:mentionOf ?a . "
                      "?a kgb:name ?x } GROUP BY ?x ORDER BY DESC(?n) LIMIT 1")  # fmt: skip
    top_agreement = _most(store, "SELECT ?x (COUNT(*) AS ?n) WHERE { ?x a kgb:Agreement ; "
                          "kgb:step ?s } GROUP BY ?x ORDER BY DESC(?n) LIMIT 1")  # fmt: skip
    out = []
    for name, path in sorted(shipped_queries().items()):
        text = path.read_text(encoding="utf-8")
        values = re.compile(r'VALUES \?asked \{ "[^"]*" \}')
        if values.search(text):
            out.append(
                (
                    f"{name} ({top_actor})",
                    values.sub(f'VALUES ?asked {{ "{top_actor}" }}', text),
                    True,
                )
            )
            continue
        out.append((name, text, False))
        if name == "agreement-history":
            head = "SELECT ?agreement (COUNT(DISTINCT ?a) AS ?articles) WHERE {"
            one = text.replace(head, f"{head}\n      VALUES ?agreement {{ <{top_agreement}> }}", 1)
            assert one != text, "agreement-history.rq changed: update this benchmark"
            out.append((f"{name} (one agreement)", one, True))
    return out


def _most(store, query: str) -> str:
    prefixes = "PREFIX kgb: <https://w3id.org/kg-builder/ontology#>\n"
    table = select_sparql(store, prefixes + query)
    return table.rows[0][0] if table.rows else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="synthetic articles N")
    parser.add_argument("--load-size", type=int, default=1024, help="article graphs per load")
    parser.add_argument("--repeats", type=int, default=3, help="runs per query (median)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--workdir", type=Path, default=None, help="keep (and reuse) the store")
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="kgb-queries-"))
    path = work / f"store-{args.articles}"
    try:
        if not path.exists():
            seconds = build(path, args.articles, args.load_size, args.seed)
            print(f"built {path} in {seconds:.0f} s", file=sys.stderr)
        store = open_store(path, read_only=True)
        print(f"{len(store):,} quads, {args.articles:,} synthetic articles\n")
        print("| query | kind | median ms | rows | target |")
        print("|---|---|---:|---:|---|")
        for label, sparql, selective in variants(store):
            times = []
            for _ in range(args.repeats):
                start = time.perf_counter()
                rows = len(select_sparql(store, sparql).rows)
                times.append((time.perf_counter() - start) * 1000)
            ms = statistics.median(times)
            target = SELECTIVE_MS if selective else AGGREGATE_MS
            verdict = "ok" if ms < target else "MISSED"
            kind = "selective" if selective else "corpus-wide"
            print(f"| {label} | {kind} | {ms:,.0f} | {rows:,} | < {target:,.0f} ms {verdict} |")
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
