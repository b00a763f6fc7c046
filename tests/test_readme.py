"""Docs are tests: the README's Python examples run, and every command is documented."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from kg_builder.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_python_example_runs(index: int, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    exec(compile(BLOCKS[index], f"README.md python block {index + 1}", "exec"), {})


def test_readme_has_python_examples() -> None:
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize(
    "command", sorted(c.name or c.callback.__name__ for c in app.registered_commands)
)
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"kg-builder {command}" in README


def _commands() -> dict[str, Any]:
    """Every command path (``plot network`` too) and its (click) command object."""
    found: dict[str, Any] = {}

    def walk(command: Any, path: str) -> None:
        if path:
            found[path] = command
        if hasattr(command, "commands"):  # a group (typer ships its own copy of click)
            for name, sub in sorted(command.commands.items()):
                walk(sub, f"{path} {name}".strip())

    walk(typer.main.get_command(app), "")
    return found


COMMANDS = _commands()


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert f"Usage: kg-builder {command}" in " ".join(result.output.split())
    assert (COMMANDS[command].help or "").strip(), f"{command} has no help text"


def test_the_main_help_lists_every_top_level_command() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in {c.split()[0] for c in COMMANDS}:
        assert command in result.output


BENCHMARKS = sorted((ROOT / "benchmarks").glob("*.py"))


@pytest.mark.parametrize("script", BENCHMARKS, ids=lambda p: p.name)
def test_every_benchmark_script_answers_help(script: Path) -> None:
    """A module move must not break a benchmark silently: each one imports and has --help."""
    proc = subprocess.run(
        [sys.executable, str(script), "--help"], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert "usage:" in proc.stdout.lower()
