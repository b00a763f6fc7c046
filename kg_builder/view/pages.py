"""The pages ``kg-builder serve`` shows beside its SPARQL page, as HTML strings.

* :func:`article_page` — an article's text with the words of every fact highlighted at
  their character offsets (actor mentions are links to the actor's page), and the facts
  listed beside it: demands, agreements, meetings, statements and posts, with who takes
  part in each.
* :func:`actor_page` — an actor's names, and every fact it takes part in, across
  articles, each linked to the words it was read from.
* :func:`article_index`, :func:`actor_index` — what there is to read.

Everything is read through :mod:`kg_builder.view.data`, from the store or an endpoint.
Links are site paths: ``/article/ID``, ``/actor/KEY`` (:func:`article_path`,
:func:`actor_path`).
"""

from __future__ import annotations

import hashlib
import urllib.parse
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from kg_builder.view.data import (
    FACT_KINDS,
    ActorRef,
    FactRecord,
    actors,
    article,
    articles,
    class_labels,
    facts,
    find_actors,
)
from kg_builder.view.render import render
from kg_builder.view.source import Source

#: Headings of the fact lists, by kind.
KIND_TITLES = {
    "demand": "Demands",
    "agreement": "Agreements",
    "meeting": "Meetings",
    "statement": "Statements",
    "post": "Posts",
    "mention": "Named in",
}


def article_path(article_id: str) -> str:
    """The site path of an article's page."""
    return "/article/" + urllib.parse.quote(article_id, safe="")


def actor_path(actor: ActorRef) -> str:
    """The site path of an actor's page: ``/actor/nato``, or ``/actor/a1/iranian-source``
    for an actor that exists in one article only (see :attr:`ActorRef.key`)."""
    readable = actor.key != actor.iri
    return "/actor/" + urllib.parse.quote(actor.key, safe="/" if readable else "")


def _anchor(fact: FactRecord) -> str:
    """A stable id for the words of one fact's evidence (fact IRI and offsets)."""
    digest = hashlib.sha1(f"{fact.iri}#{fact.start}-{fact.end}".encode()).hexdigest()
    return "ev-" + digest[:12]


def _fact_id(iri: str) -> str:
    return "fact-" + hashlib.sha1(iri.encode()).hexdigest()[:12]


# --------------------------------------------------------------------------- highlighting


@dataclass(frozen=True)
class Segment:
    """A run of the text covered by the same facts.

    Attributes:
        start: Offset of the first character in the article text.
        text: The characters.
        facts: Indexes (into the facts given to :func:`segments`) of the facts whose
            evidence covers the run.
        anchors: Ids of the evidence spans that begin here.
    """

    start: int
    text: str
    facts: tuple[int, ...] = ()
    anchors: tuple[str, ...] = ()


def fits(text: str, fact: FactRecord) -> bool:
    """Whether the fact's offsets point at its words in ``text``."""
    return 0 <= fact.start < fact.end <= len(text) and text[fact.start : fact.end] == fact.exact


def segments(text: str, found: Sequence[FactRecord]) -> list[Segment]:
    """Cut ``text`` at every evidence start and end; each piece knows its facts.

    Facts whose offsets do not point at their words (:func:`fits`) are left out, so a
    highlight is never misplaced. The pieces put together are ``text`` exactly.

    Example:
        >>> f = FactRecord("x:1", "demand", "a", "", "", "", 6, 11, "Ruvia", "")
        >>> [(s.text, s.facts) for s in segments("Urged Ruvia to go.", [f])]
        [('Urged ', ()), ('Ruvia', (0,)), (' to go.', ())]
    """
    starts: dict[int, list[int]] = defaultdict(list)
    ends: dict[int, list[int]] = defaultdict(list)
    for i, fact in enumerate(found):
        if fits(text, fact):
            starts[fact.start].append(i)
            ends[fact.end].append(i)
    cuts = sorted({0, len(text), *starts, *ends})
    active: set[int] = set()
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        active.difference_update(ends.get(a, ()))
        active.update(starts.get(a, ()))
        pieces.append(
            Segment(
                a,
                text[a:b],
                tuple(sorted(active)),
                tuple(_anchor(found[i]) for i in starts.get(a, ())),
            )
        )
    return pieces


# --------------------------------------------------------------------------- pages


def _kind_label(kind: str) -> str:
    return class_labels().get(kind, kind)


@dataclass(frozen=True)
class _Listed:
    """A fact as a page lists it: once, with links to each place it was read from."""

    id: str
    kind: str
    label: str
    status: str
    date: str
    article_id: str
    roles: tuple[tuple[str, ActorRef], ...]
    evidence: tuple[tuple[str, str], ...]  # (anchor, the words)


def _listed(found: Sequence[FactRecord]) -> dict[str, list[_Listed]]:
    by_fact: dict[tuple[str, str], list[FactRecord]] = defaultdict(list)
    for f in found:
        by_fact[f.iri, f.article_id].append(f)
    groups: dict[str, list[_Listed]] = {k: [] for k in FACT_KINDS}
    for (iri, _), records in by_fact.items():
        first = records[0]
        groups[first.kind].append(
            _Listed(
                _fact_id(iri),
                first.kind,
                first.label,
                first.status,
                first.date,
                first.article_id,
                first.roles,
                tuple((_anchor(r), r.exact) for r in records),
            )
        )
    return {k: v for k, v in groups.items() if v}


def article_page(source: Source, article_id: str) -> str | None:
    """The page of one article, or None when the graph has no such article.

    Raises:
        QueryError, StoreError, EndpointError: the graph could not be read.
    """
    record = article(source, article_id)
    if record is None:
        return None
    found = facts(source, article_id=article_id)
    pieces = segments(record.text, found)
    titles = [
        "\n".join(f"{found[i].kind}: {found[i].label}" for i in piece.facts) for piece in pieces
    ]
    links = [_mention_actor(found, piece.facts) for piece in pieces]
    listed = _listed(found)
    mentioned: dict[ActorRef, int] = defaultdict(int)
    for item in listed.pop("mention", []):
        for _, ref in item.roles:
            mentioned[ref] += 1
    misplaced = [f for f in found if not fits(record.text, f)]
    return render(
        "article.html",
        title=record.title or record.id,
        article=record,
        pieces=list(zip(pieces, titles, links, strict=True)),
        kinds=[(f"{i}", found[i].kind) for i in range(len(found))],
        found=found,
        listed=listed,
        kind_titles=KIND_TITLES,
        mentioned=sorted(mentioned.items()),
        misplaced=misplaced,
        actor_path=actor_path,
        article_path=article_path,
        kind_label=_kind_label,
    )


def _mention_actor(found: Sequence[FactRecord], indexes: Sequence[int]) -> ActorRef | None:
    for i in indexes:
        if found[i].kind == "mention":
            for role, ref in found[i].roles:
                if role == "actor":
                    return ref
    return None


def actor_page(source: Source, key: str) -> str | None:
    """The page of one actor (``key``: the end of its IRI, or the IRI), or None when no
    actor has that key.

    Raises:
        QueryError, StoreError, EndpointError: the graph could not be read.
    """
    matches = [ref for ref in _actors_by_key(source, key)]
    if not matches:
        return None
    info = actors(source, [matches[0].iri])[0]
    found = facts(source, actor_iri=info.ref.iri)
    listed = _listed(found)
    titles = {a.id: a.title or a.id for a in articles(source, {f.article_id for f in found})}
    return render(
        "actor.html",
        title=info.ref.name,
        info=info,
        kind=_kind_label(info.ref.kind),
        listed=listed,
        kind_titles=KIND_TITLES,
        titles=titles,
        actor_path=actor_path,
        article_path=article_path,
    )


def _actors_by_key(source: Source, key: str) -> list[ActorRef]:
    from kg_builder.errors import ConfigError

    try:
        found = find_actors(source, key)
    except ConfigError:
        return []
    return [ref for ref in found if key in (ref.key, ref.iri)]


def article_index(source: Source) -> str:
    """A page listing every article, newest first."""
    return render(
        "articles.html",
        title="Articles",
        articles=articles(source),
        article_path=article_path,
    )


def actor_index(source: Source) -> str:
    """A page listing every actor, by name."""
    return render(
        "actors.html",
        title="Actors",
        actors=actors(source),
        actor_path=actor_path,
        kind_label=_kind_label,
    )
