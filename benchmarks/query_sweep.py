"""Every shipped query x many parameter sets on one store: a digest of each output.

Proves that a rewrite of the queries (or of the data they read) changes no row: run it
with main's code and queries on a store main built, and with the branch's on a store
the branch built from the same articles, then compare the two files (one line per run:
query, parameters as JSON, rows, SHA-256 of the CSV output, truncated)::

    python benchmarks/query_sweep.py STORE queries/ out.tsv [--every N]
    diff <(sort main.tsv) <(sort branch.tsv)

The parameter sets: none; every date, status and ``min_articles`` example the query
declares; every ``N``-th name or alias in the store in its own case, upper and lower case,
plus names no actor has; every article id, an unknown one, and article x actor pairs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from kg_builder.store import open_store
from kg_builder.store.query import load, select_sparql, to_text

PREFIX = "PREFIX kgb: <https://w3id.org/kg-builder/ontology#>\n"
EXTRA: list[dict[str, str]] = [
    {},
    {"since": "2022-01-01"},
    {"until": "2022-12-31"},
    {"since": "2021-06-01", "until": "2024-06-01"},
    {"with_status": "made"},
    {"with_status": "IN FORCE"},
    {"with_status": "signed"},
    {"min_articles": "1"},
    {"min_articles": "3"},
]


def parameter_sets(declared: set[str], actors: list[str], articles: list[str]) -> list[dict]:
    """The parameter sets a query with the ``declared`` parameters is run with."""
    sets = [e for e in EXTRA if set(e) <= declared]
    if "actor" in declared:
        sets += [{"actor": a} for a in actors]
        if "min_articles" in declared:
            sets += [{"actor": a, "min_articles": "1"} for a in actors[::7]]
        if "since" in declared:
            sets += [{"actor": a, "since": "2022-01-01"} for a in actors[::5]]
    if "article" in declared:
        sets += [{"article": a} for a in articles] + [{"article": "no-such-article"}]
        if "actor" in declared:
            sets += [
                {"article": a, "actor": b} for a, b in zip(articles, actors[::9], strict=False)
            ]
    return sets


def main(argv: list[str] | None = None) -> int:
    """Run the sweep; one line per run on the output file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("queries", type=Path, help="folder of .rq files")
    parser.add_argument("out", type=Path)
    parser.add_argument("--every", type=int, default=4, help="every N-th name of the store")
    args = parser.parse_args(argv)
    store = open_store(args.store, read_only=True)
    names = sorted(
        {
            r[0]
            for r in select_sparql(
                store, PREFIX + "SELECT DISTINCT ?n WHERE { ?x kgb:name|kgb:alias ?n . ?x a ?c }"
            ).rows
        }
    )
    articles = sorted(
        {
            r[0]
            for r in select_sparql(store, PREFIX + "SELECT ?n WHERE { ?x kgb:articleId ?n }").rows
        }
    )
    cased = {v for n in names[:: args.every] for v in (n, n.upper(), n.lower())}
    actors = sorted(cased) + ["nobody at all", "NATO", "nato", "Russia", "İstanbul"]
    runs = 0
    with args.out.open("w") as out:
        for path in sorted(args.queries.glob("*.rq")):
            spec = load(str(path))
            declared = {p.name for p in spec.parameters}
            for params in parameter_sets(declared, actors, articles):
                table = select_sparql(store, spec.text, bindings=spec.bind(params))
                text = to_text(table.without(spec.hidden), "csv")
                digest = hashlib.sha256(text.encode()).hexdigest()[:16]
                line = [path.name, json.dumps(params, sort_keys=True), str(len(table.rows)), digest]
                out.write("\t".join(line) + "\n")
                runs += 1
    print(f"{runs} runs", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
