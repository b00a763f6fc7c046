"""A fingerprint of what ``extract()`` reads: proof that a refactoring changed no behaviour.

Runs :func:`kg_builder.extract.extract` on the 20 dev articles (``../shared/eval/dev/*.json``,
by file name) and on the first 300 documents of ``../shared/corpus/opennews.jsonl.gz`` (file
order), and prints one line per article, ``<set> <article id> <sha256>``, where the digest is
the SHA-256 of ``repr(extraction)`` (every fact, actor, mention and offset: frozen dataclasses
with a deterministic ``repr``). Then one digest per set and one overall digest (over the
per-article lines in order).

Run it before and after a change that must not change behaviour and compare the output (the
overall digest is enough; ``diff`` the two outputs to see which articles moved)::

    python benchmarks/extraction_fingerprint.py > before.txt
    # ... refactor ...
    python benchmarks/extraction_fingerprint.py > after.txt && diff before.txt after.txt

Parsing is most of the time (the machine's cores are shared): ``--cache DIR`` stores the
parsed documents as a spaCy ``DocBin`` (keyed by the model's name and version) and reuses
them on the next run, so only ``extract()`` runs again. Extraction reads nothing else of the
parse than what ``DocBin`` keeps (tokens, tags, lemmas, morphology, heads, dependencies,
sentence starts, entities with their ids); delete the folder after a change to ``nlp/``.

The articles' ``origin`` (where they were read from) is set to ``<set>:<n>`` so the digests
do not depend on the folder the data lives in.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
import tempfile
from pathlib import Path

from spacy.tokens import Doc, DocBin

from kg_builder.extract import extract
from kg_builder.models import Article
from kg_builder.nlp.model import load_nlp
from kg_builder.read import ReadOptions, iter_articles

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEV = SHARED / "eval" / "dev"
CORPUS = SHARED / "corpus" / "opennews.jsonl.gz"
FIELDS = ("url", "source", "published", "title")


def dev_articles(folder: Path) -> list[Article]:
    """The dev articles, sorted by file name, read as the scorer feeds them (JSON Lines)."""
    lines = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        lines.append(
            json.dumps({"id": data["id"], "text": data["text"]} | {k: data.get(k) for k in FIELDS})
        )
    return _read_lines(lines, "dev")


def corpus_articles(path: Path, limit: int) -> list[Article]:
    """The first ``limit`` good articles of the open corpus, in file order."""
    out = []
    for item in iter_articles([path], ReadOptions()):
        if isinstance(item, Article):
            out.append(dataclasses.replace(item, origin=f"corpus:{len(out)}"))
            if len(out) == limit:
                break
    return out


def _read_lines(lines: list[str], label: str) -> list[Article]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{label}.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        items = list(iter_articles([path], ReadOptions()))
    bad = [i for i in items if not isinstance(i, Article)]
    if bad:
        raise SystemExit(f"cannot read the {label} set: {bad[0]}")
    return [dataclasses.replace(a, origin=f"{label}:{n}") for n, a in enumerate(items)]


def parse(nlp, articles: list[Article], cache: Path | None, label: str) -> list[Doc]:
    """Parsed docs of ``articles``, from the cache when it holds the same texts."""
    texts = [a.text for a in articles]
    digest = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    model = f"{nlp.meta.get('name')}-{nlp.meta.get('version')}"
    path = cache / f"{label}-{model}-{digest}.spacy" if cache else None
    if path is not None and path.is_file():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        if [d.text for d in docs] == texts:
            return docs
    docs = list(nlp.pipe(texts, batch_size=16))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        DocBin(docs=docs).to_disk(path)
    return docs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev", type=Path, default=DEV, help="folder of dev-set .json files")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="JSON Lines corpus")
    parser.add_argument("--limit", type=int, default=300, help="corpus documents read")
    parser.add_argument("--cache", type=Path, default=None, help="folder for parsed docs")
    parser.add_argument("--model", default=None, help="spaCy model")
    args = parser.parse_args(argv)

    nlp = load_nlp(args.model)
    overall = hashlib.sha256()
    sets = (("dev", dev_articles(args.dev)), ("corpus", corpus_articles(args.corpus, args.limit)))
    for label, articles in sets:
        per_set = hashlib.sha256()
        for article, doc in zip(articles, parse(nlp, articles, args.cache, label), strict=True):
            digest = hashlib.sha256(repr(extract(article, doc)).encode("utf-8")).hexdigest()
            line = f"{label} {article.id} {digest}"
            print(line)
            per_set.update(line.encode() + b"\n")
            overall.update(line.encode() + b"\n")
        print(f"set {label} ({len(articles)} articles) {per_set.hexdigest()}")
    print(f"overall {overall.hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
