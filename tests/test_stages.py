"""Extraction stages declare what they read and what they add; extract() runs them in order."""

from __future__ import annotations

import ast
import dataclasses
from datetime import date
from pathlib import Path

import pytest

import kg_builder.extract as extraction
from kg_builder.errors import ConfigError
from kg_builder.extract import actors, coref, posts
from kg_builder.extract.context import GIVEN, PARTS, DocContext, Stage, check_stages, span_of
from kg_builder.models import Article, Statement

EXTRACT = Path(extraction.__file__).parent


def test_each_stage_requires_only_what_an_earlier_stage_assigns() -> None:
    have = set(GIVEN)
    for stage in extraction.STAGES:
        missing = set(stage.requires) - have
        assert not missing, f"stage {stage.name} requires {missing} before any stage assigns it"
        have |= set(stage.assigns)


def test_no_two_stages_assign_the_same_part() -> None:
    assigned = [part for stage in extraction.STAGES for part in stage.assigns]
    assert len(assigned) == len(set(assigned))
    assert not set(assigned) & set(GIVEN)


def test_stages_name_only_parts_of_the_context() -> None:
    fields = {f.name for f in dataclasses.fields(DocContext)}
    for stage in extraction.STAGES:
        assert set(stage.requires) | set(stage.assigns) <= set(PARTS), stage.name
    # every part but "coreference" (more mentions in ctx.actors) is an attribute of the context
    assert set(PARTS) - {"coreference"} <= fields


def test_every_stage_module_declares_its_stage_and_runs_by_default() -> None:
    declaring = set()
    for path in sorted(EXTRACT.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if any(isinstance(t, ast.Name) and t.id == "STAGE" for t in targets):
                declaring.add(f"kg_builder.extract.{path.stem}")
    running = {stage.run.__module__ for stage in extraction.STAGES}
    assert declaring == running
    assert len(declaring) == len(extraction.STAGES) == 7


def test_a_stage_out_of_order_fails_before_any_work() -> None:
    with pytest.raises(ConfigError, match="'posts' requires actors, coreference"):
        check_stages((posts.STAGE, actors.STAGE, coref.STAGE))
    with pytest.raises(ConfigError, match="'coreference' assigns coreference again"):
        check_stages((actors.STAGE, coref.STAGE, coref.STAGE))
    typo = Stage("quotes", lambda ctx: None, requires=("actor",), assigns=("quotes",))
    with pytest.raises(ConfigError, match="names actor, quotes, which is not a part"):
        check_stages((actors.STAGE, typo))
    with pytest.raises(ConfigError):
        extraction.extract(Article(id="t", text="x"), None, (posts.STAGE,))  # type: ignore[arg-type]


def test_a_stage_left_out_adds_nothing_and_a_replacement_runs_in_its_place(nlp) -> None:
    text = 'Mayor Ilse Borrin said: "We will reopen the bridge next week."'
    article = Article(id="t", text=text, published=date(2024, 3, 5))
    doc = nlp(text)
    full = extraction.extract(article, doc)
    assert [s.speaker for s in full.statements] == ["ilse-borrin"]

    without = tuple(s for s in extraction.STAGES if s.name != "statements")
    assert extraction.extract(article, doc, without).statements == ()

    def whole_text(ctx: DocContext) -> None:
        span = span_of(ctx.doc, 0, len(ctx.article.text))
        ctx.statements = (Statement(quote=ctx.article.text, span=span, speaker="ilse-borrin"),)

    replaced = tuple(
        dataclasses.replace(s, run=whole_text) if s.name == "statements" else s
        for s in extraction.STAGES
    )
    got = extraction.extract(article, doc, replaced).statements
    assert [s.quote for s in got] == [text]
