"""Minting IRIs: readable, deterministic, safe for any input text.

Same input → same IRI, in every run and on every machine. Actor, agreement, post and
place IRIs do not depend on the article, so the same actor in two articles is one node.
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

    def fact(self, article_iri: str, kind: str, n: int) -> str:
        """A per-article fact: ``…/article/ID/demand/3``."""
        return f"{article_iri}/{kind}/{n}"
