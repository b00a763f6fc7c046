"""Cutting the input into partitions: the same articles and errors as reading it whole."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from kg_builder.errors import ConfigError, InputError
from kg_builder.models import Article
from kg_builder.pipeline import IngestOptions
from kg_builder.pipeline.partitions import line_ranges, plan_partitions, read_partition
from kg_builder.read import LineRange, iter_articles

OPTIONS = IngestOptions(jobs=1)


def _lines(n: int, bad: set[int] = frozenset(), blank: set[int] = frozenset()) -> str:
    out = []
    for i in range(1, n + 1):
        if i in blank:
            out.append("")
        elif i in bad:
            out.append('{"id": "x", "text": ')
        else:
            out.append(json.dumps({"id": f"a{i}", "text": f"Made-up text number {i}."}))
    return "\n".join(out) + "\n"


def _view(items) -> list[tuple[str, str]]:
    return [(i.origin, i.reason) if isinstance(i, InputError) else (i.origin, i.id) for i in items]


def _read_all(plan) -> list:
    return [item for p in plan.partitions for item in read_partition(p, OPTIONS)]


@pytest.mark.parametrize("size", [1, 2, 3, 7, 10, 50])
@pytest.mark.parametrize("name", ["in.jsonl", "in.jsonl.gz"])
def test_partitions_read_exactly_what_a_whole_read_does(tmp_path: Path, size: int, name: str):
    text = _lines(10, bad={4}, blank={7})
    path = tmp_path / name
    if name.endswith(".gz"):
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-8")
    plan = plan_partitions([path], OPTIONS, size)
    assert _view(_read_all(plan)) == _view(iter_articles([path]))
    assert len(plan.partitions) == -(-10 // size)  # ceil(10 / size)


def test_ranges_of_an_uncompressed_file_start_at_their_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(_lines(5), encoding="utf-8")
    ranges = line_ranges(path, 2)
    assert [(r.first, r.last) for r in ranges] == [(1, 2), (3, 4), (5, None)]
    data = path.read_bytes()
    assert data[ranges[1].offset :].startswith(b'{"id": "a3"')


def test_a_file_without_a_final_newline_keeps_its_last_line(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(_lines(4).rstrip("\n"), encoding="utf-8")
    plan = plan_partitions([path], OPTIONS, 2)
    assert [a.id for a in _read_all(plan)] == ["a1", "a2", "a3", "a4"]


def test_a_truncated_gzip_is_read_whole_and_its_error_named_once(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(gzip.compress(_lines(30).encode())[:-40])
    plan = plan_partitions([path], OPTIONS, 5)
    assert [p.lines for p in plan.partitions] == [None]
    items = _read_all(plan)
    assert _view(items) == _view(iter_articles([path]))
    assert sum(isinstance(i, InputError) for i in items) == 1


def test_text_files_are_grouped_in_input_order_around_json_lines(tmp_path: Path) -> None:
    for name in ["a.txt", "b.txt", "c.txt"]:
        (tmp_path / name).write_text(f"Some made-up text of {name}.", encoding="utf-8")
    (tmp_path / "d.jsonl").write_text(_lines(3), encoding="utf-8")
    (tmp_path / "e.txt").write_text("Another made-up text.", encoding="utf-8")
    plan = plan_partitions([tmp_path, tmp_path / "missing.txt"], OPTIONS, 2)
    assert [len(p.files) for p in plan.partitions] == [2, 1, 1, 1, 1]
    assert [p.index for p in plan.partitions] == list(range(5))
    assert [e.origin for e in plan.errors] == [str(tmp_path / "missing.txt")]
    items = _read_all(plan)
    assert [i.id for i in items if isinstance(i, Article)] == [
        a.id for a in iter_articles([tmp_path]) if isinstance(a, Article)
    ]


def test_keys_change_with_the_file_and_the_options(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(_lines(4), encoding="utf-8")
    first = plan_partitions([path], OPTIONS, 2)
    assert first == plan_partitions([path], OPTIONS, 2)
    other_base = plan_partitions([path], IngestOptions(jobs=1, base="https://example.org/x/"), 2)
    assert other_base.key != first.key
    path.write_text(_lines(5), encoding="utf-8")
    assert plan_partitions([path], OPTIONS, 2).key != first.key


def test_stdin_and_a_bad_size_are_refused_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="standard input"):
        plan_partitions(["-"], OPTIONS, 10)
    with pytest.raises(ConfigError, match="--partition-size"):
        plan_partitions([tmp_path], OPTIONS, 0)


def test_a_line_range_reads_only_its_lines(tmp_path: Path) -> None:
    from kg_builder.read import read_file

    path = tmp_path / "in.jsonl"
    path.write_text(_lines(6, bad={5}), encoding="utf-8")
    items = list(read_file(path, OPTIONS.read, LineRange(4, 5)))
    assert _view(items)[0] == (f"{path}:4", "a4")
    assert isinstance(items[1], InputError) and items[1].origin == f"{path}:5"
    assert len(items) == 2
