"""Extraction: a spaCy ``Doc`` of an article → an :class:`~kg_builder.models.Extraction`.

The stages run in order over one :class:`~kg_builder.extract.context.DocContext`; each is a
:class:`~kg_builder.extract.context.Stage` that declares what it reads and what it adds
(the names are parts of the context):

1. ``actors`` — names, gazetteer entries, metonymy, government bodies, collective actors
   (reads doc; adds actors);
2. ``coreference`` — pronouns and descriptions → actors (doc, actors; adds coreference);
3. ``posts`` — "Valdoran Deputy Finance Minister Mara Lind" (doc, actors, coreference);
4. ``statements`` — direct quotations and their speakers;
5. ``agreements`` — agreements with their kind, status, parties and date;
6. ``meetings`` — meetings, talks, summits, calls, visits with resolved dates;
7. ``demands`` — who demands what of whom.

Stages 4–7 read the article, its parse and the actors with coreference, and each adds its
facts. A stage can be replaced by a better one with the same contract: pass your own sequence
to :func:`extract`. The cue words every stage reads are in :mod:`.lexicon`.
"""

from __future__ import annotations

from spacy.tokens import Doc

from kg_builder.extract import actors, agreements, coref, demands, meetings, posts, statements
from kg_builder.extract.context import DocContext, Stage, check_stages
from kg_builder.models import Article, Extraction

#: The stages in the order they run; each requires only what an earlier one assigns.
STAGES: tuple[Stage, ...] = (
    actors.STAGE,
    coref.STAGE,
    posts.STAGE,
    statements.STAGE,
    agreements.STAGE,
    meetings.STAGE,
    demands.STAGE,
)


def extract(article: Article, doc: Doc, stages: tuple[Stage, ...] = STAGES) -> Extraction:
    """Read every fact from one parsed article.

    Args:
        article: The article; ``doc`` must be its parsed ``text``.
        doc: Output of :func:`kg_builder.nlp.model.load_nlp` on ``article.text``.
        stages: The stages to run, in order (default :data:`STAGES`); the facts of a stage
            left out stay empty.

    Returns:
        The frozen extraction; actor references are ``Actor.key`` values.

    Raises:
        ConfigError: a stage requires what no earlier stage assigns.

    Example:
        >>> extract(article, nlp(article.text)).meetings[0].participants
        ('valdora', 'ostland')
    """
    check_stages(stages)
    ctx = DocContext(article, doc)
    for stage in stages:
        stage(ctx)
    used = _used_actor_keys(ctx)
    return Extraction(
        article=article,
        actors=tuple(
            sorted((a for k, a in ctx.actors.actors.items() if k in used), key=lambda a: a.key)
        ),
        mentions=tuple(m for m in ctx.actors.mentions if m.actor in used),
        posts=ctx.posts,
        demands=ctx.demands,
        agreements=ctx.agreements,
        meetings=ctx.meetings,
        statements=ctx.statements,
        sentences=tuple((s.start_char, s.end_char) for s in doc.sents),
    )


def _used_actor_keys(ctx: DocContext) -> set[str]:
    """Actors that are mentioned, plus those a fact refers to, plus their parents."""
    keys = {m.actor for m in ctx.actors.mentions}
    for p in ctx.posts:
        keys.add(p.person)
        if p.organisation:
            keys.add(p.organisation)
    keys.update(s.speaker for s in ctx.statements if s.speaker)
    for a in ctx.agreements:
        keys.update(a.parties)
    for m in ctx.meetings:
        keys.update(m.participants)
    for d in ctx.demands:
        keys.update(d.demanders)
        keys.update(d.addressees)
    for k in list(keys):
        parent = ctx.actors.actors.get(k)
        while parent is not None and parent.part_of and parent.part_of not in keys:
            keys.add(parent.part_of)
            parent = ctx.actors.actors.get(parent.part_of)
    return {k for k in keys if k in ctx.actors.actors}


__all__ = ["STAGES", "Stage", "extract"]
