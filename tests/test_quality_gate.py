"""Quality gate: the dev set must score at or above pinned floors.

Runs the shared scorer exactly as a user would (``score.py`` drives the CLI and the
shipped queries). The floors were pinned from measured scores and may only go up;
raise them when extraction improves, never lower them to make a change pass.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"

# Pinned from `python ../shared/eval/score.py ../shared/eval/dev` on 2026-11-30, on all 20
# dev articles (7 were added to the first 13), which measured actors 0.897, posts 0.835,
# demands 0.679, agreements 0.850, meetings 0.705, statements 0.938, mean 0.817 (each
# floor is that figure rounded down to two places). Raised on 2026-11-30 after the issue-11
# work (branches extract-entities and extract-events merged), from the merged run:
# actors 0.910, posts 0.913, demands 0.704, agreements 0.928, meetings 0.813, statements
# 0.938, mean 0.868. (The demands branch alone measured 0.753; merged, a people named by its
# demonym is a collective actor, not its state, and one joint statement's calls lose their
# addressee state.) Raised again on 2026-11-30 (session 3: branches meetings and demands,
# names as written, a statement's title topic), from the merged run: actors 0.927, posts
# 0.923, demands 0.825, agreements 0.928, meetings 0.879, statements 0.974, mean 0.909.
FLOORS = {
    "actors": 0.92,
    "posts": 0.92,
    "demands": 0.82,
    "agreements": 0.92,
    "meetings": 0.87,
    "statements": 0.97,
    "mean_f1": 0.90,
}


@pytest.fixture(scope="module")
def scores(tmp_path_factory) -> dict:
    if not (EVAL / "score.py").exists():
        where = f"the shared dev set is not at {EVAL} (it sits beside the project checkout)"
        if os.environ.get("CI"):
            pytest.fail(f"{where}: in CI the quality gate must run")
        pytest.skip(where)
    out = tmp_path_factory.mktemp("score") / "scores.json"
    cli = f"{sys.executable} -m kg_builder"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [
            sys.executable,
            str(EVAL / "score.py"),
            str(EVAL / "dev"),
            "--cli",
            cli,
            "--queries",
            str(ROOT / "queries"),
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=1800,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    print(proc.stdout)
    return json.loads(out.read_text())["scores"]


@pytest.mark.parametrize("category", sorted(FLOORS))
def test_dev_score_is_at_or_above_floor(scores: dict, category: str) -> None:
    value = scores[category] if category == "mean_f1" else scores[category]["f1"]
    assert value >= FLOORS[category], (
        f"{category} F1 {value} fell below its floor {FLOORS[category]}"
    )
