"""The package's layering: folders follow the data flow, and imports only go down.

read/nlp → extract → rdf → store → pipeline/remote → view → cli. A module may import from its
own package and from packages in lower layers; never from a higher layer or from a
different package of its own layer. Imports under ``if TYPE_CHECKING:`` are for the type
checker only and are not counted. No module imports another module's ``_private`` names,
and there is no import cycle between modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "kg_builder"

#: Package (or top-level module) → layer. Lower layers never import higher ones.
LAYERS = {
    "__init__": 0,
    "errors": 0,
    "models": 0,
    "resources": 0,
    "read": 1,
    "nlp": 1,
    "extract": 2,
    "rdf": 3,
    "store": 4,
    "pipeline": 5,
    "remote": 5,
    "view": 6,
    "cli": 7,
    "__main__": 8,
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _room(module: str) -> str:
    """The package (or top-level module) of ``kg_builder.X...``: ``X``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, imported module, imported names) for every runtime kg_builder import."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skip = _type_checking_lines(tree)
    me = _module_name(path)
    package = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("kg_builder"):
                    found.append((node.lineno, alias.name, []))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if not module.startswith("kg_builder"):
                continue
            names = [a.name for a in node.names]
            submodules = [f"{module}.{n}" for n in names if _is_module(f"{module}.{n}")]
            found.append(
                (node.lineno, module, [n for n in names if f"{module}.{n}" not in submodules])
            )
            found.extend((node.lineno, sub, []) for sub in submodules)
    return found


def _is_module(dotted: str) -> bool:
    rel = Path(*dotted.split(".")[1:])
    return (PACKAGE / rel).with_suffix(".py").is_file() or (PACKAGE / rel / "__init__.py").is_file()


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_package_and_top_level_module_has_a_layer() -> None:
    rooms = {_room(_module_name(p)) for p in _sources()}
    assert rooms <= set(LAYERS), f"give these a layer: {sorted(rooms - set(LAYERS))}"


def test_every_package_says_what_it_reads_and_produces() -> None:
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        if init.parent.name in {"data"}:
            continue
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc.split()) >= 10, f"{init}: a docstring saying what it reads/produces"


def test_imports_only_go_down_the_layers() -> None:
    wrong = []
    for path in _sources():
        me = _module_name(path)
        room = _room(me)
        for line, module, _ in _imports(path):
            other = _room(module)
            if other == room:
                continue
            if LAYERS[other] >= LAYERS[room]:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {room} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_no_module_imports_private_names_of_another() -> None:
    wrong = []
    for path in _sources():
        for line, module, names in _imports(path):
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private and module != _module_name(path):
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {module} {private}")
    assert not wrong, "\n".join(wrong)


def test_there_are_no_import_cycles() -> None:
    graph: dict[str, set[str]] = {}
    for path in _sources():
        me = _module_name(path)
        graph[me] = {m for _, m, _ in _imports(path) if m != me and m != "kg_builder"}
    # A package's __init__ re-exporting its own modules is not a cycle through them.
    for name, deps in graph.items():
        graph[name] = {d for d in deps if not (name.startswith(d + ".") and d != "kg_builder")}
    cycles = _cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(" → ".join(c) for c in cycles)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle found by a depth-first search (each reported once, from its first node)."""
    found: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                found.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"a"}}, [["a", "b", "a"]]),
    ],
)
def test_cycle_finder_finds_cycles(graph: dict[str, set[str]], expected: list[list[str]]) -> None:
    assert _cycles(graph) == expected
