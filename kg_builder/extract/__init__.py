"""Extraction: a spaCy ``Doc`` of an article → an :class:`~kg_builder.models.Extraction`.

The stages run in order, each a small function over a :class:`DocContext`:

1. ``actors``     — names, gazetteer entries, metonymy, bodies, collective actors
2. ``coref``      — pronouns and definite descriptions → actors
3. ``posts``      — "Russian Deputy Foreign Minister Alexander Grushko"
4. ``statements`` — direct quotations and their speakers
5. ``agreements`` — named agreements, their kind, status, parties and date
6. ``meetings``   — meetings, talks, summits, calls, visits with resolved dates
7. ``demands``    — who demands what of whom
"""

from __future__ import annotations

from spacy.tokens import Doc

from kg_builder.extract import actors, agreements, coref, demands, meetings, posts, statements
from kg_builder.extract.context import DocContext
from kg_builder.models import Article, Extraction


def extract(article: Article, doc: Doc) -> Extraction:
    """Read every fact from one parsed article.

    Args:
        article: The article; ``doc`` must be its parsed ``text``.
        doc: Output of :func:`kg_builder.nlp.model.load_nlp` on ``article.text``.

    Returns:
        The frozen extraction; actor references are ``Actor.key`` values.
    """
    ctx = DocContext(article, doc)
    actors.find_actors(ctx)
    coref.resolve(ctx)
    found_posts = posts.find_posts(ctx)
    found_statements = statements.find_statements(ctx)
    found_agreements = agreements.find_agreements(ctx)
    found_meetings = meetings.find_meetings(ctx)
    found_demands = demands.find_demands(ctx)
    used = _used_actor_keys(
        ctx, found_posts, found_statements, found_agreements, found_meetings, found_demands
    )
    return Extraction(
        article=article,
        actors=tuple(
            sorted((a for k, a in ctx.actors.actors.items() if k in used), key=lambda a: a.key)
        ),
        mentions=tuple(m for m in ctx.actors.mentions if m.actor in used),
        posts=found_posts,
        demands=found_demands,
        agreements=found_agreements,
        meetings=found_meetings,
        statements=found_statements,
        sentences=tuple((s.start_char, s.end_char) for s in doc.sents),
    )


def _used_actor_keys(ctx: DocContext, posts_, statements_, agreements_, meetings_, demands_):
    """Actors that are mentioned, plus those a fact refers to, plus their parents."""
    keys = {m.actor for m in ctx.actors.mentions}
    for p in posts_:
        keys.add(p.person)
        if p.organisation:
            keys.add(p.organisation)
    keys.update(s.speaker for s in statements_ if s.speaker)
    for a in agreements_:
        keys.update(a.parties)
    for m in meetings_:
        keys.update(m.participants)
    for d in demands_:
        keys.update(d.demanders)
        keys.update(d.addressees)
    for k in list(keys):
        parent = ctx.actors.actors.get(k)
        while parent is not None and parent.part_of and parent.part_of not in keys:
            keys.add(parent.part_of)
            parent = ctx.actors.actors.get(parent.part_of)
    return {k for k in keys if k in ctx.actors.actors}
