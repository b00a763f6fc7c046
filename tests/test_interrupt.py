"""Ctrl-C during ingest leaves the store consistent: each article fully stored or absent."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pyoxigraph as ox
from interrupts import sigint_default

from kg_builder.store import dump_graph_ntriples, open_store

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = (ROOT / "examples" / "tass-russia-nato-council.txt").read_text(encoding="utf-8")


def test_interrupted_ingest_stores_whole_articles_only(tmp_path: Path) -> None:
    paragraphs = [p for p in SAMPLE.split("\n\n") if len(p) > 200]
    records = [
        {"id": f"a{i:03d}", "published": "2022-01-13", "text": paragraphs[i % len(paragraphs)]}
        for i in range(300)
    ]
    src = tmp_path / "many.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    store = tmp_path / "store"
    cmd = [
        sys.executable, "-m", "kg_builder", "-v", "ingest", str(src), "--store", str(store),
        "--batch-size", "4", "--load-size", "4",
    ]  # fmt: skip
    proc = subprocess.Popen(
        cmd,
        preexec_fn=sigint_default,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    watchdog = threading.Timer(300, proc.kill)  # a hung run fails the test, never the suite
    watchdog.start()
    try:
        # The event: the run logs (-v) each load it has written; wait for the third.
        seen = []
        for line in proc.stderr:
            seen.append(line)
            if sum("article(s) written" in s for s in seen) == 3:
                break
        proc.send_signal(signal.SIGINT)
        rest, more = proc.communicate(timeout=120)
    finally:
        watchdog.cancel()
    stderr = "".join(seen) + more
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr

    db = open_store(store, read_only=True)
    article = "https://w3id.org/kg-builder/id/article/"
    stored = sorted(g.value for g in db.named_graphs() if g.value.startswith(article))
    assert 0 < len(stored) < len(records), "the run should have been cut off mid-way"
    # Every stored graph is complete: identical to a clean, uninterrupted ingest of it.
    ids = {g.rsplit("/", 1)[-1] for g in stored}
    subset = tmp_path / "subset.jsonl"
    subset.write_text("".join(json.dumps(r) + "\n" for r in records if r["id"] in ids))
    subprocess.run(
        [*cmd[:5], str(subset), "--store", str(tmp_path / "clean")],
        check=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
    )
    del db
    clean = open_store(tmp_path / "clean", read_only=True)
    db = open_store(store, read_only=True)
    # The entity graph, written in the same step, matches the stored articles too.
    for graph in [*stored, "https://w3id.org/kg-builder/id/graph/entities"]:
        assert sorted(dump_graph_ntriples(db, graph).splitlines()) == sorted(
            dump_graph_ntriples(clean, graph).splitlines()
        ), graph
    assert ox.NamedNode(stored[0]) in set(clean.named_graphs())
