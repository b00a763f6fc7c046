"""Reading golden emitter inputs (an Extraction as JSON) for tests."""

from __future__ import annotations

import datetime as dt
import json
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


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def load_extraction(path: Path) -> Extraction:
    d = json.loads(path.read_text(encoding="utf-8"))
    a = d["article"]
    article = Article(
        id=a["id"],
        text=a["text"],
        url=a.get("url"),
        source=a.get("source"),
        published=_date(a.get("published")),
        title=a.get("title"),
    )
    return Extraction(
        article=article,
        actors=tuple(
            Actor(
                x["key"],
                x["name"],
                ActorKind(x["kind"]),
                tuple(x.get("aliases", ())),
                x.get("wikidata"),
                x.get("part_of"),
                x.get("named", True),
            )
            for x in d.get("actors", ())
        ),
        mentions=tuple(
            Mention(x["actor"], x["text"], Span(*x["span"])) for x in d.get("mentions", ())
        ),
        posts=tuple(
            Post(x["person"], x["title"], x.get("organisation"), Span(*x["span"]))
            for x in d.get("posts", ())
        ),
        demands=tuple(
            Demand(
                tuple(x["demanders"]),
                tuple(x["addressees"]),
                x["content"],
                Span(*x["span"]),
                x.get("conditional", False),
                x.get("condition"),
                _date(x.get("date")),
                DemandStatus(x.get("status", "made")),
            )
            for x in d.get("demands", ())
        ),
        agreements=tuple(
            Agreement(
                x["key"],
                x["name"],
                x["kind"],
                AgreementStatus(x["status"]),
                Span(*x["span"]),
                tuple(x.get("parties", ())),
                x.get("date"),
                tuple(x.get("aliases", ())),
                x.get("named", True),
            )
            for x in d.get("agreements", ())
        ),
        meetings=tuple(
            Meeting(
                x["name"],
                x["kind"],
                Span(*x["span"]),
                _date(x.get("date")),
                x.get("place"),
                tuple(x.get("participants", ())),
                x.get("planned", False),
            )
            for x in d.get("meetings", ())
        ),
        statements=tuple(
            Statement(x["quote"], Span(*x["span"]), x.get("speaker"), _date(x.get("date")))
            for x in d.get("statements", ())
        ),
    )
