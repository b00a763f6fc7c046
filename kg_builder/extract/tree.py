"""Bounded walks over a spaCy dependency tree.

spaCy builds a new :class:`~spacy.tokens.Token` object on every access (``t.head``,
``doc[i]``, iteration), so two tokens are the same only when their indices are equal:
``a.i == b.i``, never ``a is b``. A root is the token that is its own head
(``t.head.i == t.i``). Every walk here takes at most as many steps as the document has
tokens, so a walk ends even on a tree it does not expect (a verbless headline, a cycle).

Example:
    In "Delegates from both sides met on Friday.", ``climb(doc[0], lambda t: t.pos_ !=
    "VERB")`` goes from "Delegates" up to "met" and stops there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from spacy.tokens import Token


def is_root(tok: Token) -> bool:
    """Whether ``tok`` heads its sentence (it is its own head)."""
    return tok.head.i == tok.i


def ancestors(tok: Token) -> Iterator[Token]:
    """The heads above ``tok``, nearest first, up to and including the root."""
    cur = tok
    for _ in range(len(tok.doc)):
        if is_root(cur):
            return
        cur = cur.head
        yield cur


def climb(tok: Token, through: Callable[[Token], bool]) -> Token:
    """Go up from ``tok`` while ``through(current)`` holds; stop at the root.

    Args:
        tok: Where to start.
        through: Whether the walk may go on from the current token to its head.

    Returns:
        The first token on the way up for which ``through`` is false, or the root.
    """
    cur = tok
    for _ in range(len(tok.doc)):
        if is_root(cur) or not through(cur):
            break
        cur = cur.head
    return cur
