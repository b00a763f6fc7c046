"""One lexicon layer: every cue list of extraction is defined once, as data, in one place.

The words live in ``kg_builder/extract/lexicons.csv``; ``kg_builder/extract/lexicon.py`` binds
each list to a name with a comment. These tests keep it that way: no duplicate row, no list
bound twice or never used, no two lists with the same content, and no word list defined in a
stage module instead of the lexicon.
"""

from __future__ import annotations

import ast
import csv
import re
from collections import Counter
from pathlib import Path

from spacy.glossary import GLOSSARY

from kg_builder.extract import lexicon as lx
from kg_builder.extract.context import PARTS

EXTRACT = Path(lx.__file__).parent
LEXICON_PY = EXTRACT / "lexicon.py"
LEXICONS_CSV = EXTRACT / lx.LEXICONS_CSV
LOADERS = {"_words", "_ordered", "_mapping", "_multimap", "_numbers"}

#: A word as a rule compares it (letters, maybe a final stop, a hyphen or an apostrophe).
_WORD = re.compile(r"[^\W\d_][\w.'\u2019\-]*")
#: Strings that are not cue words: dependency labels, tags and entity labels (spaCy's
#: glossary) are grammar; the parts of the extraction context name stage contracts.
_NOT_CUES = frozenset(GLOSSARY) | frozenset(PARTS)


def _rows() -> list[dict[str, str]]:
    with LEXICONS_CSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _bindings() -> dict[str, ast.AST]:
    """Module-level names of ``lexicon.py`` → the expression bound to them."""
    tree = ast.parse(LEXICON_PY.read_text(encoding="utf-8"))
    out = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            out[node.target.id] = node.value
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            out[node.targets[0].id] = node.value
    return out


def _loaded(expr: ast.AST) -> list[str]:
    """Lexicon names read from the CSV inside ``expr`` (``_words("X")`` → ``X``)."""
    return [
        n.args[0].value
        for n in ast.walk(expr)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Name)
        and n.func.id in LOADERS
        and n.args
        and isinstance(n.args[0], ast.Constant)
    ]


def _cue_lists() -> dict[str, object]:
    """The public lists of the lexicon module (sets, tuples, dicts)."""
    return {
        name: value
        for name, value in vars(lx).items()
        if name.isupper() and isinstance(value, frozenset | tuple | dict)
    }


def test_csv_has_no_duplicate_row() -> None:
    rows = [(r["lexicon"], r["entry"], r["value"]) for r in _rows()]
    twice = [row for row, n in Counter(rows).items() if n > 1]
    assert not twice, f"{LEXICONS_CSV.name}: rows written twice: {twice}"


def test_csv_rows_are_complete() -> None:
    with LEXICONS_CSV.open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == ["lexicon", "entry", "value"]
    bad = [r for r in _rows() if not re.fullmatch(r"[A-Z][A-Z0-9_]*", r["lexicon"] or "")]
    bad += [r for r in _rows() if not r["entry"] or r["entry"] != r["entry"].strip()]
    assert not bad, f"rows without a lexicon name or an entry: {bad[:5]}"


def test_every_csv_lexicon_is_bound_once_under_its_own_name() -> None:
    bound: Counter[str] = Counter()
    for name, expr in _bindings().items():
        for lexicon in _loaded(expr):
            bound[lexicon] += 1
            assert lexicon == name, f"{lexicon} is bound as {name}: use the lexicon's name"
    in_csv = {r["lexicon"] for r in _rows()}
    assert in_csv - set(bound) == set(), "lexicons in the CSV that lexicon.py does not bind"
    assert set(bound) - in_csv == set(), "lexicon.py reads lexicons the CSV does not have"
    assert [n for n, k in bound.items() if k > 1] == [], "a lexicon bound twice"


def test_every_list_says_what_it_is_for() -> None:
    lines = LEXICON_PY.read_text(encoding="utf-8").splitlines()
    missing = []
    for name in _cue_lists():
        at = next(i for i, line in enumerate(lines) if re.match(rf"{name}\b.*=", line))
        if not lines[at - 1].startswith("#:"):
            missing.append(name)
    assert not missing, f"give these a '#:' comment line saying what they are for: {missing}"


def test_no_two_lists_have_the_same_content() -> None:
    seen: dict[object, str] = {}
    same = []
    for name, value in _cue_lists().items():
        key = (
            frozenset(value.items()) if isinstance(value, dict) else frozenset(value),
            type(value),
        )
        if key in seen:
            same.append((seen[key], name))
        seen.setdefault(key, name)
    assert not same, f"lists defined twice (keep one): {same}"


def test_every_list_is_used_by_a_stage() -> None:
    sources = "\n".join(
        p.read_text(encoding="utf-8") for p in sorted(EXTRACT.glob("*.py")) if p != LEXICON_PY
    )
    lexicon_source = LEXICON_PY.read_text(encoding="utf-8")
    unused = [
        name
        for name in _cue_lists()
        if name != "LEXICONS_CSV"
        and not re.search(rf"\blx\.{name}\b", sources)
        # a list read only to build another list of the lexicon
        and len(re.findall(rf"\b{name}\b", lexicon_source)) < 2
    ]
    assert not unused, f"lists no rule reads (remove them or use them): {unused}"


def _words_in(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Set | ast.Tuple | ast.List):
        items = node.elts
    elif isinstance(node, ast.Dict):
        items = [k for k in node.keys if k is not None]
    else:
        return []
    return [
        e.value
        for e in items
        if isinstance(e, ast.Constant)
        and isinstance(e.value, str)
        and _WORD.fullmatch(e.value)
        and e.value not in _NOT_CUES
    ]


def cue_lists_outside_the_lexicon(source: str, name: str = "<source>") -> list[str]:
    """Word lists written in a module: at module level of two words or more, inside a
    function of three or more (two words compared inline are grammar, e.g. "call on/upon")."""
    tree = ast.parse(source)
    module_level = {
        id(n)
        for stmt in tree.body
        if isinstance(stmt, ast.Assign | ast.AnnAssign) and stmt.value is not None
        for n in ast.walk(stmt.value)
    }
    exports = {
        id(n)
        for stmt in tree.body
        if isinstance(stmt, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "__all__" for t in stmt.targets)
        for n in ast.walk(stmt.value)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in exports:
            continue
        words = _words_in(node)
        if len(words) >= (2 if id(node) in module_level else 3):
            found.append(f"{name}:{node.lineno}: {words}")
    return found


def test_the_detector_finds_word_lists() -> None:
    source = (
        'VERBS = frozenset({"ask", "urge"})\n'
        "def f(t):\n"
        '    return t.lemma_ in ("meet", "visit", "host") and t.dep_ in ("nsubj", "dobj", "pobj")\n'
    )
    found = cue_lists_outside_the_lexicon(source)
    assert len(found) == 2
    assert "'ask'" in found[0] and "'meet'" in found[1]


def test_no_cue_list_is_defined_outside_the_lexicon() -> None:
    found = []
    for path in sorted(EXTRACT.glob("*.py")):
        if path != LEXICON_PY:
            found += cue_lists_outside_the_lexicon(path.read_text(encoding="utf-8"), path.name)
    assert not found, "define these in lexicons.csv and bind them in lexicon.py:\n" + "\n".join(
        found
    )


def test_lexicon_shapes() -> None:
    assert "minister" in lx.TITLE_NOUNS
    assert lx.MINISTRY_FUNCTIONS["foreign affairs"] == "foreign"
    assert lx.BODY_PAIRS[("armed", "forces")] == "military"
    assert lx.OBJECT_INFINITIVE_VERBS["demand"] == ("", "of")
    assert lx.MONTHS["sept"] == 9 and lx.RELATIVE_DAYS["yesterday"] == -1
    assert "countries" in lx.COLLECTIVE_HEADS["western"]
