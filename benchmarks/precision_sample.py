"""Precision on real unlabelled text: a reproducible random sample of extractions to judge.

The dev scorer measures recall and precision on 20 annotated articles; this script
estimates PRECISION on text nobody wrote rules for, the open corpus
``../shared/corpus/opennews.jsonl.gz`` (2,624 real documents; see its README and keep
its ``ATTRIBUTION.tsv`` with any copy; the corpus itself is never copied into the repo).

What it does:

1. Selects documents of the corpus: those whose 0-based line number ``i`` satisfies
   ``i % every == offset`` (``--every 1``: all of them), less the articles of the dev set
   (``--dev``, default ``../shared/eval/dev``; same id or same text): seven dev articles
   come from this corpus, and the rules were written on them.
2. Ingests them into an embedded store with ``kg_builder.pipeline.ingest`` (``--jobs``
   workers), or reuses a store that already holds them (``--reuse``; only the selected
   documents are sampled from, whatever else the store holds).
3. Runs the shipped queries ``queries/{actors,posts,demands,agreements,meetings,statements}.rq``
   through :func:`kg_builder.store.query.select` and groups their rows into FACTS, the
   sampling unit (one row of the sheet = one fact, never one row per participant):

   ============  ==========================================================================
   category      one fact =
   ============  ==========================================================================
   actors        one actor in one article (all its names and aliases there); the evidence
                 is the sentence of its first mention, the mention marked ``⟦…⟧``
   posts         one post holding: person, post title, organisation (one per person × post
                 × organisation × article; the first evidence sentence)
   demands       one demand node: all its demanders and addressees, the demanded act, the
                 condition if any
   agreements    one agreement in one article: name, kind, status, parties, date
   meetings      one meeting node: name, kind, date, location, all participants, planned
   statements    one quotation: speaker and quote
   ============  ==========================================================================

4. Draws ``--per-category`` facts (default 40) per category at random with a fixed seed
   and writes a judging sheet (CSV, UTF-8) with the columns ``sample_id, category,
   article_id, fact, evidence, verdict, reason``. ``verdict`` and ``reason`` are left empty
   for the judge (``y`` = correct, ``n`` = incorrect, ``?`` = cannot tell; a short reason
   for every ``n``). A ``.meta.json`` beside the sheet records the run: corpus and its
   SHA-256, document subset, seed, store, ingest time, failures, the population size of
   every category and the git commit of the code.

How the random draw works (bottom-k sampling): every fact gets the rank
``sha256(seed, category, article_id, fact, evidence)`` and the ``k`` facts of lowest rank
are the sample. That is a uniform random sample without replacement, the same on every
machine and run (Python's ``hash`` and set order play no part), and it is COORDINATED:
after the extractor changes, a fact that is still extracted word for word keeps its rank,
so the "after" sample shares the unchanged facts with the "before" sample, and
``--carry before.csv`` copies their verdicts (check them; only new or changed facts need
judging from scratch).

``--score SHEET`` reads a judged sheet and prints the per-category precision with a 95 %
Wilson score interval (``?`` verdicts are left out of the estimate and counted apart).

Usage (from the project root, ``make test`` or ``make .venv/.installed`` first)::

    # the "before" sample: every 2nd corpus document, seed 11, 40 facts per category
    .venv/bin/python benchmarks/precision_sample.py --every 2 --jobs 2 \\
        --store out/precision/store --out out/precision/before.csv
    # ... judge out/precision/before.csv by hand, then
    .venv/bin/python benchmarks/precision_sample.py --score out/precision/before.csv

    # the "after" sample, same seed and subset, verdicts of unchanged facts carried over
    .venv/bin/python benchmarks/precision_sample.py --every 2 --jobs 2 \\
        --store out/precision/store-after --out out/precision/after.csv \\
        --carry docs/quality/before.csv
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import hashlib
import json
import math
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "opennews.jsonl.gz"
DEV = ROOT.parent / "shared" / "eval" / "dev"
CATEGORIES = ("actors", "posts", "demands", "agreements", "meetings", "statements")
SHEET_COLUMNS = ("sample_id", "category", "article_id", "fact", "evidence", "verdict", "reason")
DEFAULT_SEED = 11  # the number of the issue that asked for this sample
YES = {"y", "yes", "1", "correct", "true"}
NO = {"n", "no", "0", "incorrect", "wrong", "false"}

# First mention of every actor in every article (the shipped actors query has no evidence).
_MENTIONS_QUERY = """
PREFIX kgb: <https://w3id.org/kg-builder/ontology#>
SELECT ?article_id ?actor ?start ?exact ?sent_start ?sentence WHERE {
  GRAPH ?g {
    ?article a kgb:Article ; kgb:articleId ?article_id .
    ?m a kgb:ActorMention ; kgb:mentionOf ?actor ; kgb:evidence ?ev .
    ?ev kgb:start ?start ; kgb:exact ?exact ; kgb:sentenceStart ?sent_start ;
        kgb:sentence ?sentence .
  }
}
"""


@dataclass(frozen=True, slots=True)
class Fact:
    """One sampling unit: a fact of one category in one article, in readable form."""

    category: str
    article_id: str
    fact: str
    evidence: str

    def rank(self, seed: int, occurrence: int = 0) -> str:
        """The fact's random rank under ``seed`` (a hex digest; lower ranks are drawn)."""
        key = "\x1f".join(
            (str(seed), self.category, self.article_id, self.fact, self.evidence, str(occurrence))
        )
        return hashlib.sha256(key.encode("utf-8")).hexdigest()


# -- selecting and ingesting documents


def dev_articles(dev: Path | None) -> tuple[set[str], set[str]]:
    """The ids and texts of the annotated dev articles (``dev/*.json``), if any."""
    ids, texts = set(), set()
    for path in sorted(dev.glob("*.json")) if dev else []:
        record = json.loads(path.read_text(encoding="utf-8"))
        ids.add(record.get("id", path.stem))
        texts.add((record.get("text") or "").strip())
    return ids, texts


def select_documents(
    corpus: Path, every: int, offset: int, dev: Path | None
) -> tuple[list[dict], list[str]]:
    """The corpus records whose 0-based line number ``i`` has ``i % every == offset``,
    without the dev-set articles (same id or same text): the rules were written on those.

    Returns:
        The chosen records and the ids of the dev articles left out.
    """
    dev_ids, dev_texts = dev_articles(dev)
    chosen, left_out = [], []
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % every != offset or not line.strip():
                continue
            record = json.loads(line)
            if record["id"] in dev_ids or record["text"].strip() in dev_texts:
                left_out.append(record["id"])
            else:
                chosen.append(record)
    return chosen, left_out


def ingest_documents(docs: list[dict], store: Path, jobs: int, workdir: Path) -> dict:
    """Ingest ``docs`` into ``store`` with the library pipeline; return a summary."""
    from kg_builder.pipeline import IngestOptions, ingest

    subset = workdir / "documents.jsonl"
    with subset.open("w", encoding="utf-8", newline="\n") as f:
        for doc in docs:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")

    def progress(stored: int, failed: int) -> None:
        print(f"\r  stored {stored:,} failed {failed:,} of {len(docs):,}", end="", file=sys.stderr)

    report = ingest([subset], store, IngestOptions(jobs=jobs), progress=progress)
    print(file=sys.stderr)
    return {
        "stored": report.stored,
        "failed": [f"{x.origin}: {x.reason}" for x in report.failed],
        "triples": report.triples,
        "seconds": round(report.seconds, 1),
        "interrupted": report.interrupted,
    }


# -- from query rows to facts


def _join(values: Iterable[str]) -> str:
    return "; ".join(sorted({v for v in values if v})) or "(none)"


def _group(rows: list[dict], key: Callable[[dict], tuple]) -> dict[tuple, list[dict]]:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return groups


def _first_evidence(rows: list[dict]) -> str:
    return min(r["evidence"] for r in rows)


def actor_facts(rows: list[dict], mentions: dict[tuple[str, str], str]) -> list[Fact]:
    """One fact per actor per article: canonical name, type, other names used there."""
    facts = []
    for (article, actor), group in _group(rows, lambda r: (r["article_id"], r["actor"])).items():
        canonical, kind = group[0]["canonical"], group[0]["type"]
        others = {r["name"] for r in group} - {canonical}
        fact = f"{canonical} [{kind}]"
        if others:
            fact += f" (also: {_join(others)})"
        facts.append(Fact("actors", article, fact, mentions.get((article, actor), "")))
    return facts


def post_facts(rows: list[dict]) -> list[Fact]:
    """One fact per person × post × organisation per article."""
    key = lambda r: (r["article_id"], r["person"], r["post"], r["organisation"])  # noqa: E731
    return [
        Fact("posts", a, f"{person} | {post} | of {org or '(none)'}", _first_evidence(group))
        for (a, person, post, org), group in _group(rows, key).items()
    ]


def demand_facts(rows: list[dict]) -> list[Fact]:
    """One fact per demand node: demanders → addressees: demanded act [if condition]."""
    facts = []
    for (article, _), group in _group(rows, lambda r: (r["article_id"], r["demand"])).items():
        first = group[0]
        fact = (
            f"{_join(r['demander'] for r in group)} → {_join(r['addressee'] for r in group)}: "
            f"{first['content']}"
        )
        if first["conditional"] == "true":
            fact += f" [conditional: {first['condition'] or '?'}]"
        facts.append(Fact("demands", article, fact, first["evidence"]))
    return facts


def agreement_facts(rows: list[dict]) -> list[Fact]:
    """One fact per agreement per article: name [kind], status, parties, date."""
    facts = []
    for (article, _), group in _group(rows, lambda r: (r["article_id"], r["agreement"])).items():
        first = group[0]
        fact = (
            f"{first['name']} [{first['kind']}] | status: {first['status']} | "
            f"parties: {_join(r['party'] for r in group)} | date: {first['date'] or '-'}"
        )
        facts.append(Fact("agreements", article, fact, _first_evidence(group)))
    return facts


def meeting_facts(rows: list[dict]) -> list[Fact]:
    """One fact per meeting node: name [kind], date, location, participants, planned."""
    facts = []
    for (article, _), group in _group(rows, lambda r: (r["article_id"], r["meeting"])).items():
        first = group[0]
        fact = (
            f"{first['name']} [{first['kind']}] | date: {first['date'] or '-'} | "
            f"location: {first['location'] or '-'} | "
            f"participants: {_join(r['participant'] for r in group)}"
        )
        if first["planned"] == "true":
            fact += " | planned"
        facts.append(Fact("meetings", article, fact, first["evidence"]))
    return facts


def statement_facts(rows: list[dict]) -> list[Fact]:
    """One fact per quotation: speaker: “quote”."""
    facts = []
    for (article, _), group in _group(rows, lambda r: (r["article_id"], r["statement"])).items():
        first = group[0]
        speaker = _join(r["speaker"] for r in group)
        facts.append(
            Fact("statements", article, f"{speaker}: “{first['quote']}”", first["evidence"])
        )
    return facts


def first_mentions(store: Path) -> dict[tuple[str, str], str]:
    """(article id, actor IRI) → the sentence of the actor's first mention, mention marked."""
    from kg_builder.store import open_store, run_query

    best: dict[tuple[str, str], tuple[int, str]] = {}
    for sol in run_query(open_store(store, read_only=True), _MENTIONS_QUERY):
        key = (sol["article_id"].value, sol["actor"].value)
        start = int(sol["start"].value)
        if key in best and best[key][0] <= start:
            continue
        sentence, exact = sol["sentence"].value, sol["exact"].value
        # the stored sentence is stripped: look for the mention where it should be, or after
        at = sentence.find(exact, max(0, start - int(sol["sent_start"].value) - len(exact)))
        if at < 0:
            at = sentence.find(exact)
        if at >= 0:
            sentence = f"{sentence[:at]}⟦{exact}⟧{sentence[at + len(exact) :]}"
        best[key] = (start, sentence)
    return {k: v[1] for k, v in best.items()}


def collect_facts(store: Path, articles: set[str]) -> dict[str, list[Fact]]:
    """Every fact of every category in the store, restricted to the ``articles`` ids."""
    from kg_builder.store.query import select

    builders = {
        "posts": post_facts,
        "demands": demand_facts,
        "agreements": agreement_facts,
        "meetings": meeting_facts,
        "statements": statement_facts,
    }
    facts: dict[str, list[Fact]] = {}
    for category in CATEGORIES:
        table = select(store, str(ROOT / "queries" / f"{category}.rq"))
        rows = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
        rows = [r for r in rows if r["article_id"] in articles]
        if category == "actors":
            facts[category] = actor_facts(rows, first_mentions(store))
        else:
            facts[category] = builders[category](rows)
    return facts


# -- sampling, sheets, scoring


def draw(facts: list[Fact], k: int, seed: int) -> list[Fact]:
    """The ``k`` facts of lowest rank under ``seed`` (a uniform sample without replacement).

    Identical facts (same category, article, text and evidence) are told apart by their
    occurrence number, in the order of the sorted population.
    """
    seen: dict[Fact, int] = defaultdict(int)
    ranked = []
    for fact in sorted(facts, key=lambda f: (f.article_id, f.fact, f.evidence)):
        ranked.append((fact.rank(seed, seen[fact]), fact))
        seen[fact] += 1
    ranked.sort(key=lambda pair: pair[0])
    return [fact for _, fact in ranked[:k]]


def _sheet_key(row: dict) -> tuple[str, str, str, str]:
    return (row["category"], row["article_id"], row["fact"], row["evidence"])


def read_sheet(path: Path) -> list[dict]:
    """The rows of a judging sheet (CSV with :data:`SHEET_COLUMNS`)."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    missing = [c for c in SHEET_COLUMNS if rows and c not in rows[0]]
    if missing:
        raise SystemExit(f"{path}: not a judging sheet, no column(s) {', '.join(missing)}")
    return rows


def write_sheet(path: Path, sample: dict[str, list[Fact]], carry: list[dict]) -> int:
    """Write the sheet; copy verdicts of identical facts from ``carry``. Return how many."""
    judged = {_sheet_key(r): (r["verdict"], r["reason"]) for r in carry if r["verdict"].strip()}
    carried = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, SHEET_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for category in CATEGORIES:
            for n, fact in enumerate(sample[category], 1):
                row = {
                    "sample_id": f"{category[:-1]}-{n:02d}",
                    "category": category,
                    "article_id": fact.article_id,
                    "fact": fact.fact,
                    "evidence": fact.evidence,
                    "verdict": "",
                    "reason": "",
                }
                if _sheet_key(row) in judged:
                    row["verdict"], row["reason"] = judged[_sheet_key(row)]
                    carried += 1
                writer.writerow(row)
    return carried


def wilson(correct: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """The Wilson score interval of a proportion ``correct / n`` (95 % by default)."""
    if n == 0:
        return (0.0, 1.0)
    p = correct / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (max(0.0, centre - half), min(1.0, centre + half))


def score_sheet(rows: list[dict]) -> str:
    """A Markdown table: per category, judged correct / judged, precision, Wilson 95 %."""
    lines = [
        "| category | correct / judged | precision | 95 % Wilson interval | unsure (?) "
        "| unjudged |",
        "|---|---:|---:|---|---:|---:|",
    ]
    for category in CATEGORIES:
        verdicts = [r["verdict"].strip().lower() for r in rows if r["category"] == category]
        yes = sum(v in YES for v in verdicts)
        no = sum(v in NO for v in verdicts)
        unsure = sum(v == "?" for v in verdicts)
        blank = len(verdicts) - yes - no - unsure
        n = yes + no
        low, high = wilson(yes, n)
        precision = f"{yes / n:.2f}" if n else "-"
        lines.append(
            f"| {category} | {yes} / {n} | {precision} | {low:.2f} – {high:.2f} "
            f"| {unsure} | {blank} |"
        )
    return "\n".join(lines)


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "kg_builder", "queries"],
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the corpus (.jsonl.gz)")
    parser.add_argument("--every", type=int, default=1, help="take every k-th document")
    parser.add_argument("--offset", type=int, default=0, help="... starting at this line (0-based)")
    parser.add_argument(
        "--dev",
        type=Path,
        default=DEV if DEV.is_dir() else None,
        help="annotated dev set whose articles are left out of the sample",
    )
    parser.add_argument("--store", type=Path, default=ROOT / "out" / "precision" / "store")
    parser.add_argument("--reuse", action="store_true", help="sample from an existing store")
    parser.add_argument("--jobs", type=int, default=2, help="ingest worker processes")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="sampling seed")
    parser.add_argument("--per-category", type=int, default=40, help="facts drawn per category")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "precision" / "sheet.csv")
    parser.add_argument("--carry", type=Path, help="copy verdicts of identical facts from a sheet")
    parser.add_argument("--score", type=Path, help="only print the precision of a judged sheet")
    args = parser.parse_args(argv)

    if args.score:
        print(score_sheet(read_sheet(args.score)))
        return 0
    if args.every < 1 or not 0 <= args.offset < args.every:
        parser.error("--every must be >= 1 and 0 <= --offset < --every")
    if args.jobs < 1 or args.per_category < 1:
        parser.error("--jobs and --per-category must be positive")
    if args.store.exists() and not args.reuse:
        parser.error(f"{args.store} exists: pass --reuse to sample from it, or remove it")
    if args.reuse and not args.store.exists():
        parser.error(f"--reuse: there is no store at {args.store}")
    carry = read_sheet(args.carry) if args.carry else []

    docs, left_out = select_documents(args.corpus, args.every, args.offset, args.dev)
    print(
        f"{len(docs):,} documents selected from {args.corpus} "
        f"({len(left_out)} dev-set articles left out)",
        file=sys.stderr,
    )
    ingest_summary = None
    if not args.reuse:
        work = args.store.parent / f"{args.store.name}.input"
        work.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        ingest_summary = ingest_documents(docs, args.store, args.jobs, work)
        ingest_summary["wall_seconds"] = round(time.perf_counter() - started, 1)
        print(f"ingest: {json.dumps(ingest_summary)}", file=sys.stderr)

    facts = collect_facts(args.store, {d["id"] for d in docs})
    sample = {c: draw(facts[c], args.per_category, args.seed) for c in CATEGORIES}
    carried = write_sheet(args.out, sample, carry)
    meta = {
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": " ".join(
            [Path(sys.argv[0]).name, *(argv if argv is not None else sys.argv[1:])]
        ),
        "code_commit": _git_commit(),
        "corpus": str(args.corpus),
        "corpus_sha256": _sha256(args.corpus),
        "every": args.every,
        "offset": args.offset,
        "documents": len(docs),
        "dev_set": str(args.dev) if args.dev else None,
        "dev_articles_left_out": left_out,
        "seed": args.seed,
        "per_category": args.per_category,
        "store": str(args.store),
        "ingest": ingest_summary,
        "population": {c: len(facts[c]) for c in CATEGORIES},
        "articles_with_facts": {c: len({f.article_id for f in facts[c]}) for c in CATEGORIES},
        "verdicts_carried_from": str(args.carry) if args.carry else None,
        "verdicts_carried": carried,
    }
    meta_path = args.out.with_suffix(".meta.json")
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(meta["population"]), file=sys.stderr)
    print(f"sheet: {args.out} ({carried} verdicts carried)\nrun record: {meta_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
