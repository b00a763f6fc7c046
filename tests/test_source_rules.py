"""Rules on the package's own source that keep whole classes of bugs out.

spaCy builds a new ``Token`` object on every access, so ``tok.head is tok`` is never
true and a walk up the tree that tests it never ends (a hang found on real news). The
test below fails on any ``is`` / ``is not`` whose sides are not ``None``, ``True``,
``False``, ``...`` or a named module-level sentinel (an UPPER_CASE name).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "kg_builder"
_SENTINEL = re.compile(r"_?[A-Z][A-Z0-9_]*")


def _is_singleton(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return (
            node.value is None
            or node.value is True
            or node.value is False
            or (node.value is Ellipsis)
        )
    name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", "")
    return isinstance(node, ast.Name | ast.Attribute) and bool(_SENTINEL.fullmatch(name))


def identity_comparisons(source: str, filename: str = "<source>") -> list[str]:
    """Places where ``is``/``is not`` compares two objects that are not singletons."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Compare):
            continue
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, ast.Is | ast.IsNot) and not (
                _is_singleton(left) or _is_singleton(right)
            ):
                found.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
            left = right
    return found


def test_checker_finds_identity_tests_on_objects() -> None:
    bad = "while t.head is not t:\n    t = t.head\nok = a is b\nfine = x is None\n"
    assert [line.split(": ", 1)[1] for line in identity_comparisons(bad)] == [
        "t.head is not t",
        "a is b",
    ]


def test_checker_allows_singletons_and_sentinels() -> None:
    good = "a is None\nb is not True\nc is False\nd is _MISSING\ne is mod.SENTINEL\nf is ...\n"
    assert identity_comparisons(good) == []


def test_package_compares_objects_by_value_not_identity() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        found += identity_comparisons(path.read_text(encoding="utf-8"), str(path))
    assert not found, "compare tokens by index (t.i), objects with ==:\n" + "\n".join(found)
