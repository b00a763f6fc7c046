"""Minting IRIs: readable, deterministic, safe for any input text.

Same input → same IRI, in every run and on every machine.

* **Shared entities** — named actors, named agreements, posts of a shared organisation,
  places — have IRIs that do not depend on the article (``…/actor/russia``), so the same
  actor in two articles is one node.
* **Article-scoped entities** — an actor the text does not name ("an Iranian source"),
  an agreement without a proper name ("the deal"), a post of no known organisation —
  live under their article (``…/article/ID/actor/iranian-source``): the same words in
  another article are another thing. Everything under ``…/article/ID/`` belongs to that
  article (:meth:`IriMinter.is_article_scoped`).
* **Facts** (mentions, post holdings, demands, agreement reports, meetings, statements)
  are named by what they say, not by their position in the article:
  ``…/article/ID/demand/412-498-3fa2b1c0`` is the demand read at characters 412-498 whose
  normalised key facts (demanders, addressees, content) hash to ``3fa2b1c0``. A new
  extraction rule that finds more facts leaves the IRIs of the others unchanged.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote

_NON_WORD = re.compile(r"[^a-z0-9]+")
_MAX_SLUG = 80


def slug(text: str) -> str:
    """A lower-case ASCII slug of ``text``; never empty, at most 80 characters.

    Text that loses information in the slug (non-Latin scripts, very long names) keeps a
    short hash of the original, so two different names do not collide.

    >>> slug("Chilean Deputy Foreign Minister")
    'chilean-deputy-foreign-minister'
    >>> slug("Türkiye")
    'turkiye'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    s = _NON_WORD.sub("-", ascii_text.lower()).strip("-")
    lossy = not s or len(s) > _MAX_SLUG or len(s) * 2 < len(text.strip())
    if lossy:
        digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        s = (s[: _MAX_SLUG - 11].rstrip("-") + "-" + digest).strip("-")
    return s


def normalise(text: str) -> str:
    """Text as compared for identity: NFKC, case-folded, whitespace collapsed.

    >>> normalise("  Withdraw\u00a0THE troops ")
    'withdraw the troops'
    """
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def digest(*parts: str, size: int = 4) -> str:
    """A short, stable hex digest of ``parts`` (``2 * size`` hex digits)."""
    data = "\x1f".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=size).hexdigest()


def segment(text: str) -> str:
    """Percent-encode ``text`` as one IRI path segment (reversible, for article ids)."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="-._~")


class IriMinter:
    """Mints the IRIs of one knowledge graph under ``base`` (which ends in '/' or '#')."""

    def __init__(self, base: str):
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*[/#]$", base):
            raise ValueError(f"base IRI must be an absolute IRI ending in '/' or '#': {base!r}")
        self.base = base

    def article(self, article_id: str) -> str:
        """The article's IRI (also the name of its graph)."""
        return f"{self.base}article/{segment(article_id)}"

    def actor(self, key: str) -> str:
        """A shared actor's IRI, from its key."""
        return f"{self.base}actor/{slug(key)}"

    def agreement(self, key: str) -> str:
        """An agreement's IRI, from its key."""
        return f"{self.base}agreement/{slug(key)}"

    def post(self, organisation_key: str | None, title: str) -> str:
        """A post's IRI: its organisation (or ``unknown``) and its title."""
        org = slug(organisation_key) if organisation_key else "unknown"
        return f"{self.base}post/{org}/{slug(title)}"

    def place(self, name: str) -> str:
        """A place's IRI, from its name."""
        return f"{self.base}place/{slug(name)}"

    def entity_graph(self) -> str:
        """The named graph of the shared entities' canonical descriptions and histories."""
        return f"{self.base}graph/entities"

    def is_article_scoped(self, iri: str) -> bool:
        """True for a node that belongs to one article (it lives under ``…/article/``)."""
        return iri.startswith(f"{self.base}article/")

    def scoped(self, article_iri: str, kind: str, key: str) -> str:
        """An entity that exists only in one article: ``…/article/ID/actor/iranian-source``."""
        return f"{article_iri}/{kind}/{slug(key)}"

    def scoped_post(self, article_iri: str, organisation_key: str | None, title: str) -> str:
        """A post of an organisation that is not shared (or not known), in one article."""
        org = slug(organisation_key) if organisation_key else "unknown"
        return f"{article_iri}/post/{org}/{slug(title)}"

    def description(self, article_iri: str, entity_iri: str) -> str:
        """What one article says about an entity: ``…/article/ID/description/actor/russia``.

        Within one article an entity key names one entity, so the path of the entity
        (shared or scoped to this article) after its base identifies the description.
        """
        scope = f"{article_iri}/"
        rest = entity_iri[len(scope) :] if entity_iri.startswith(scope) else None
        if rest is None:
            rest = entity_iri[len(self.base) :] if entity_iri.startswith(self.base) else None
        if rest is None:
            rest = "other/" + digest(entity_iri)
        return f"{article_iri}/description/{rest}"

    def fact(self, article_iri: str, kind: str, start: int, end: int, *keys: str) -> str:
        """A fact read from one article, named by its offsets and its normalised key facts.

        >>> IriMinter("https://example.org/").fact(
        ...     "https://example.org/article/a1", "demand", 10, 42, "kenya", "uganda", "Reopen")
        'https://example.org/article/a1/demand/10-42-07672a6b'
        """
        return f"{article_iri}/{kind}/{start}-{end}-{digest(kind, *map(normalise, keys))}"

    def tracked_demand(
        self, demanders: tuple[str, ...], addressees: tuple[str, ...], content: str
    ) -> str:
        """A demand followed across articles: its words, then a digest of who and what."""
        key = digest(*sorted(demanders), "->", *sorted(addressees), normalise(content), size=5)
        return f"{self.base}demand/{slug(content)[:48].rstrip('-')}-{key}"

    @staticmethod
    def step_of(history_iri: str, basis_iri: str) -> str:
        """One step of a history, named by the fact it rests on (not by its position)."""
        return f"{history_iri}/step/{digest(basis_iri, size=5)}"
