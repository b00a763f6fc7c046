"""Where an ingest spends its time: each stage of the worker and the store write, per article.

Runs the stages of ``kg_builder.pipeline.run`` one after the other in this process (one core),
over N articles drawn from the open corpus (as ``benchmarks/ingest.py`` draws them), in
batches as the pipeline forms them, and prints milliseconds per article for

  spacy      nlp.pipe over the batch (the model plus kg-builder's two small components)
  extract    kg_builder.extract.extract
  emit       kg_builder.rdf.emit.emit_triples
  ntriples   kg_builder.rdf.ntriples.to_ntriples
  validate   kg_builder.rdf.validate.Gate.check, once per engine of --shacl-engine (default:
             native, with the default verify sample, and pyshacl: the batch's disjoint union)
  store      kg_builder.store.entities.write_articles into a fresh on-disk store per engine,
             one load per batch, bulk-loaded as ingest does, the entity graph updated (its
             changed descriptions checked with that engine): the parent's work (RocksDB's
             background threads not counted)

The stages before validate are shared; validate and store are timed for each engine on
the same batches, so their columns compare within one run.

The first batch is a warm-up (lazy loading, shapes preparation) and is not counted.

Usage::

    python benchmarks/stages.py                 # 160 articles, batches of 32
    python benchmarks/stages.py --articles 320 --shacl-engine pyshacl
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from ingest import CORPUS, build_corpus, load_corpus  # noqa: E402

from kg_builder.extract import extract  # noqa: E402
from kg_builder.models import Article  # noqa: E402
from kg_builder.nlp.model import load_nlp  # noqa: E402
from kg_builder.pipeline.options import DEFAULT_VERIFY_SAMPLE  # noqa: E402
from kg_builder.rdf.emit import emit_triples  # noqa: E402
from kg_builder.rdf.iris import IriMinter  # noqa: E402
from kg_builder.rdf.ntriples import to_ntriples  # noqa: E402
from kg_builder.rdf.shapes import load_shapes  # noqa: E402
from kg_builder.rdf.validate import ArticleGraph, Gate  # noqa: E402
from kg_builder.rdf.vocab import DEFAULT_BASE  # noqa: E402
from kg_builder.read import ReadOptions, iter_articles  # noqa: E402
from kg_builder.store import PENDING_FILE, GraphWrite, open_store  # noqa: E402
from kg_builder.store.entities import write_articles  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=160, help="articles timed (N)")
    parser.add_argument("--batch-size", type=int, default=32, help="articles per batch")
    parser.add_argument("--model", default=None, help="spaCy model")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="JSON Lines (.jsonl.gz)")
    parser.add_argument("--seed", type=int, default=13, help="seed of the draw")
    parser.add_argument(
        "--shacl-engine",
        nargs="+",
        default=["native", "pyshacl"],
        choices=["native", "pyshacl"],
        help="SHACL engines, each timed on the same batches",
    )
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="kgb-stages-"))
    corpus = work / "corpus.jsonl"
    size = args.articles + args.batch_size
    build_corpus(load_corpus(args.corpus), size, corpus, args.seed)
    articles = [a for a in iter_articles([corpus], ReadOptions()) if isinstance(a, Article)]
    nlp, shapes, minter = load_nlp(args.model), load_shapes(), IriMinter(DEFAULT_BASE)
    gates = {e: Gate(shapes, e, DEFAULT_VERIFY_SAMPLE) for e in args.shacl_engine}
    stores = {e: open_store(work / f"store-{e}") for e in args.shacl_engine}

    seconds: dict[str, float] = defaultdict(float)
    timed = 0
    for first in range(0, len(articles), args.batch_size):
        batch = articles[first : first + args.batch_size]
        spent: dict[str, float] = {}

        def clock(stage: str, since: float, spent=spent) -> float:
            now = time.perf_counter()
            spent[stage] = now - since
            return now

        t = time.perf_counter()
        docs = list(nlp.pipe([a.text for a in batch], batch_size=len(batch)))
        t = clock("spacy", t)
        extractions = [extract(a, d) for a, d in zip(batch, docs, strict=True)]
        t = clock("extract", t)
        triples = [emit_triples(x) for x in extractions]
        t = clock("emit", t)
        ntriples = [to_ntriples(ts) for ts in triples]
        t = clock("ntriples", t)
        writes = [
            GraphWrite(minter.article(a.id), nt) for a, nt in zip(batch, ntriples, strict=True)
        ]
        for engine, gate in gates.items():
            t = time.perf_counter()
            graphs = zip(batch, triples, ntriples, strict=True)
            gate.check([ArticleGraph(a.id, ts, nt) for a, ts, nt in graphs])
            t = clock(f"validate {engine}", t)
            journal = work / f"store-{engine}" / PENDING_FILE
            write_articles(
                stores[engine], writes, journal=journal, checked=engine == "native", engine=engine
            )
            clock(f"store {engine}", t)
        if first:  # the first batch is the warm-up
            timed += len(batch)
            for stage, s in spent.items():
                seconds[stage] += s

    shared = ("spacy", "extract", "emit", "ntriples")
    print(f"{timed} articles, batches of {args.batch_size}, one core (ms per article):")
    for stage in shared:
        print(f"  {stage:18s} {seconds[stage] / timed * 1000:7.1f}")
    spacy = seconds["spacy"]
    for engine in args.shacl_engine:
        mine = (*shared, f"validate {engine}", f"store {engine}")
        for stage in mine[len(shared) :]:
            print(f"  {stage:18s} {seconds[stage] / timed * 1000:7.1f}")
        total = sum(seconds[s] for s in mine)
        print(
            f"  total with {engine:7s} {total / timed * 1000:7.1f}: everything but spaCy costs "
            f"{(total - spacy) / spacy:.0%} of spaCy's time"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
