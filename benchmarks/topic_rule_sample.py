"""The demands a statement's title topic changes, on the open corpus (issue 11 change sample).

For every corpus document whose title names one state as its topic
(``DocContext.topic_state``, e.g. "Joint Statement on <state>"), extract it twice from one
parse — with the rule that gives the topic state as the addressee of the issuers'
unaddressed calls, and without it — and write every demand that differs, in a seeded
order, as JSON for judging by hand (see ``docs/QUALITY.md``).

Usage::

    python benchmarks/topic_rule_sample.py --out out/topic_changed.json
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from pathlib import Path

from kg_builder.extract import demands as dm
from kg_builder.extract import extract
from kg_builder.extract.context import DocContext
from kg_builder.models import Article
from kg_builder.nlp import load_nlp

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "opennews.jsonl.gz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    nlp = load_nlp(None)
    docs = []
    with gzip.open(args.corpus, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            a = Article(id=d["id"], text=d["text"], title=d.get("title"), source=d.get("source"))
            if DocContext(a, None).topic_state:  # type: ignore[arg-type]
                docs.append(a)
    with_rule = dm._Finder._topic_of_statement
    out = []
    for a in docs:
        doc = nlp(a.text)
        x = extract(a, doc)
        dm._Finder._topic_of_statement = lambda self, by: []  # type: ignore[method-assign]
        try:
            y = extract(a, doc)
        finally:
            dm._Finder._topic_of_statement = with_rule  # type: ignore[method-assign]
        before = {(d.content, d.span.start, d.addressees) for d in y.demands}
        names = {actor.key: actor.name for actor in x.actors}
        for d in x.demands:
            if (d.content, d.span.start, d.addressees) in before:
                continue
            out.append(
                {
                    "id": a.id,
                    "title": a.title,
                    "by": [names.get(k, k) for k in d.demanders],
                    "to": [names.get(k, k) for k in d.addressees],
                    "content": d.content,
                    "sentence": d.span.sentence(a.text),
                }
            )
    print(f"{len(docs)} documents with a state topic, {len(out)} demands changed", file=sys.stderr)
    random.Random(args.seed).shuffle(out)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
