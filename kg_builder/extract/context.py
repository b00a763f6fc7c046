"""What extraction stages share while they read one article, and how a stage says so.

A stage is a :class:`Stage`: a function over a :class:`DocContext` that declares what it
reads (``requires``) and what it adds (``assigns``), in the spirit of spaCy's
``Language.component(requires=..., assigns=...)``. The names are parts of the context:

* ``article``, ``doc`` — the article and its parse (there from the start);
* ``actors`` — ``ctx.actors`` holds the article's actors and their named mentions;
* ``coreference`` — ``ctx.actors`` also holds mentions of pronouns and descriptions;
* ``posts``, ``statements``, ``agreements``, ``meetings``, ``demands`` — the facts found.

Stages read the spaCy ``Doc`` and the actor table; they never see RDF, and one stage never
reaches into another's private state: they meet only here.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from kg_builder.errors import ConfigError
from kg_builder.extract import lexicon as lx
from kg_builder.models import (
    Actor,
    ActorKind,
    Agreement,
    Article,
    Demand,
    Meeting,
    Mention,
    Post,
    Span,
    Statement,
)
from kg_builder.nlp import gazetteer


def span_of(doc: Doc, start_char: int, end_char: int) -> Span:
    """A model ``Span`` for character offsets, with the sentence that holds ``start_char``."""
    tok = doc.char_span(start_char, end_char, alignment_mode="expand")
    sent = tok.sent if tok is not None and len(tok) else _sentence_at(doc, start_char)
    return Span(start_char, end_char, sent.start_char, sent.end_char)


def span_of_tokens(span: SpacySpan | Token) -> Span:
    """A model ``Span`` for a spaCy span or token."""
    if isinstance(span, Token):
        sent = span.sent
        return Span(span.idx, span.idx + len(span), sent.start_char, sent.end_char)
    sent = span.sent if len(span) else span.doc[span.start : span.start + 1].sent
    return Span(span.start_char, span.end_char, sent.start_char, sent.end_char)


def _sentence_at(doc: Doc, char: int) -> SpacySpan:
    for sent in doc.sents:
        if sent.start_char <= char < sent.end_char:
            return sent
    return doc[-1:].sent if len(doc) else doc[0:0]


@dataclass
class ActorTable:
    """The actors of one article and every mention of them, ordered by offset.

    ``resolve_*`` answer "which actor does this stretch of text refer to?", covering
    names, aliases and (after coreference) pronouns and definite descriptions.
    """

    actors: dict[str, Actor] = field(default_factory=dict)
    _mentions: list[Mention] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list)

    def add_actor(self, actor: Actor) -> Actor:
        """Add ``actor``, or merge its aliases into the one with the same key."""
        old = self.actors.get(actor.key)
        if old is None:
            self.actors[actor.key] = actor
            return actor
        aliases = tuple(dict.fromkeys(old.aliases + actor.aliases + (actor.name,)))
        aliases = tuple(a for a in aliases if a != old.name)
        merged = Actor(
            old.key,
            old.name,
            old.kind,
            aliases,
            old.wikidata or actor.wikidata,
            old.part_of or actor.part_of,
            old.named,
        )
        self.actors[actor.key] = merged
        return merged

    def add_mention(self, mention: Mention) -> None:
        """Record a mention (the actor must have been added)."""
        i = bisect.bisect_left(self._starts, mention.span.start)
        self._starts.insert(i, mention.span.start)
        self._mentions.insert(i, mention)

    @property
    def mentions(self) -> tuple[Mention, ...]:
        """Every actor mention found so far, in text order."""
        return tuple(self._mentions)

    def mention_at(self, start: int, end: int) -> Mention | None:
        """The longest mention overlapping ``[start, end)``."""
        best: Mention | None = None
        i = bisect.bisect_right(self._starts, end)
        for m in reversed(self._mentions[:i]):
            if m.span.end <= start:
                # mentions are sorted by start only; keep scanning a little for long ones
                if start - m.span.start > 200:
                    break
                continue
            if best is None or (m.span.end - m.span.start) > (best.span.end - best.span.start):
                best = m
        return best

    def resolve_chars(self, start: int, end: int) -> str | None:
        """Actor key of the mention overlapping the character range, if any."""
        m = self.mention_at(start, end)
        return m.actor if m else None

    def resolve_token(self, token: Token) -> str | None:
        """Actor key for a token (e.g. a verb's subject head)."""
        return self.resolve_chars(token.idx, token.idx + len(token))

    def resolve_span(self, span: SpacySpan) -> str | None:
        """Actor key for a spaCy span."""
        return self.resolve_chars(span.start_char, span.end_char)

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Mentions lying inside ``[start, end)``, in text order."""
        lo = bisect.bisect_left(self._starts, start)
        return [m for m in self._mentions[lo:] if m.span.start < end and m.span.end <= end]


@dataclass
class DocContext:
    """One article under extraction: its text, its parse, its actors and the facts so far.

    Each attribute but the caches is a part a stage may require or assign (see the module
    docstring); the facts stay empty until their stage has run.
    """

    article: Article
    doc: Doc
    actors: ActorTable = field(default_factory=ActorTable)
    posts: tuple[Post, ...] = ()
    statements: tuple[Statement, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    demands: tuple[Demand, ...] = ()
    _roots: dict[tuple[int, int], Token | None] = field(default_factory=dict, repr=False)

    # ``Doc.text`` and ``Token.lower_`` are rebuilt on every access; components that read
    # them over and over (per token, per candidate) take them from here, built once.
    @functools.cached_property
    def text(self) -> str:
        """The parsed text (``doc.text``)."""
        return self.doc.text

    @functools.cached_property
    def topic_state(self) -> str | None:
        """The key of the state an article's title names as its topic, if exactly one.

        Official statements and readouts are titled by what they are about ("Joint
        Statement on Ruritania", "Readout of a Call on the Situation in Ruritania"): the
        state named after a topic preposition (``TOPIC_PREPOSITIONS``) is the one the
        statement is about, even where its body names it only as a place.
        """
        words = re.findall(r"[\w'’.]+", self.article.title or "")
        at = next((i for i, w in enumerate(words) if w.lower() in lx.TOPIC_PREPOSITIONS), None)
        if at is None:
            return None
        rest = [w.rstrip(".") for w in words[at + 1 :]]
        found: set[str] = set()
        for i in range(len(rest)):
            for n in range(1, min(4, len(rest) - i) + 1):
                e = gazetteer.by_name(" ".join(rest[i : i + n]))
                if e is not None and e.kind == ActorKind.STATE:
                    found.add(e.key)
        return found.pop() if len(found) == 1 else None

    @functools.cached_property
    def tokens(self) -> list[Token]:
        """Every token, by token index: the stages' many passes over the document reuse
        these instead of having spaCy make a new ``Token`` at every step."""
        return list(self.doc)

    @functools.cached_property
    def texts(self) -> list[str]:
        """``token.text`` of every token, by token index."""
        return [t.text for t in self.tokens]

    @functools.cached_property
    def starts(self) -> list[int]:
        """``token.idx`` of every token, by token index (ascending: bisect it)."""
        return [t.idx for t in self.tokens]

    @functools.cached_property
    def ents(self) -> tuple[SpacySpan, ...]:
        """The recognised entities (``doc.ents`` builds them anew on every access)."""
        return tuple(self.doc.ents)

    @functools.cached_property
    def lowers(self) -> list[str]:
        """``token.lower_`` of every token, by token index."""
        return [t.lower_ for t in self.tokens]

    @functools.cached_property
    def sentence_ends(self) -> list[int]:
        """``token.sent.end`` of every token, by token index (``Token.sent`` looks for the
        sentence's bounds anew on every access)."""
        ends = [len(self.doc)] * len(self.doc)
        for sent in self.doc.sents:
            ends[sent.start : sent.end] = [sent.end] * (sent.end - sent.start)
        return ends

    def span_text(self, start: int, end: int) -> str:
        """``doc[start:end].text`` (``end > start``), without making the span."""
        return self.text[self.starts[start] : self.starts[end - 1] + len(self.texts[end - 1])]

    def root_at(self, start_char: int, end_char: int) -> Token | None:
        """Syntactic root of the tokens over characters ``[start_char, end_char)``, if any.

        Memoised: coreference and demand roles ask it for the same mentions again and again.
        """
        key = (start_char, end_char)
        if key not in self._roots:
            span = self.doc.char_span(start_char, end_char, alignment_mode="expand")
            self._roots[key] = span.root if span is not None and len(span) else None
        return self._roots[key]


#: The parts of a :class:`DocContext` there before any stage runs.
GIVEN = ("article", "doc")
#: Every part a stage may require or assign (see the module docstring).
PARTS = (
    *GIVEN,
    "actors",
    "coreference",
    "posts",
    "statements",
    "agreements",
    "meetings",
    "demands",
)


@dataclass(frozen=True)
class Stage:
    """One extraction stage and its contract.

    Attributes:
        name: Short name ("posts").
        run: Reads the context and adds to it (``ctx.posts = ...``); returns nothing.
        requires: Parts of the context it reads, each given or assigned by an earlier stage.
        assigns: Parts it adds.

    Example:
        The posts stage reads the actor table and adds the posts::

            Stage("posts", add_posts, requires=("doc", "actors", "coreference"),
                  assigns=("posts",))
    """

    name: str
    run: Callable[[DocContext], None]
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()

    def __call__(self, ctx: DocContext) -> None:
        """Run the stage on ``ctx``."""
        self.run(ctx)


def check_stages(stages: tuple[Stage, ...]) -> None:
    """Check that stages can run in this order.

    Args:
        stages: The stages, in the order they would run.

    Raises:
        ConfigError: a stage names a part the context does not have, requires a part no
            earlier stage assigns, or assigns a part another stage assigns (the message
            names the stage and the part).
    """
    have = set(GIVEN)
    for stage in stages:
        unknown = [p for p in (*stage.requires, *stage.assigns) if p not in PARTS]
        if unknown:
            raise ConfigError(
                f"extraction stage {stage.name!r} names {', '.join(unknown)}, which is not a "
                f"part of the context (one of {', '.join(PARTS)})"
            )
        missing = [r for r in stage.requires if r not in have]
        if missing:
            raise ConfigError(
                f"extraction stage {stage.name!r} requires {', '.join(missing)}, which no "
                "earlier stage assigns: put the stage that assigns it first"
            )
        twice = [a for a in stage.assigns if a in have]
        if twice:
            raise ConfigError(
                f"extraction stage {stage.name!r} assigns {', '.join(twice)} again: "
                "keep one stage per part"
            )
        have.update(stage.assigns)
