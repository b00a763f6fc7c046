"""Readers: files, folders, globs, stdin → Article or InputError values (never raised)."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg_builder.errors import ConfigError, InputError
from kg_builder.models import Article
from kg_builder.read import ReadOptions, iter_articles
from kg_builder.read.formats import parse_published

DATA = Path(__file__).parent / "data" / "readers"
ROOT = Path(__file__).resolve().parents[1]
DEV = Path("/work/shared/eval/dev")


def read(*sources: str | Path, options: ReadOptions | None = None, stdin: bytes | None = None):
    return list(
        iter_articles(
            sources,
            options or ReadOptions(),
            stdin=io.BytesIO(stdin) if stdin is not None else None,
        )
    )


def articles(items) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


def errors(items) -> list[InputError]:
    return [i for i in items if isinstance(i, InputError)]


def only_error(items) -> InputError:
    assert len(items) == 1 and isinstance(items[0], InputError), items
    return items[0]


def jsonl(path: Path, *records: object) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- good inputs


def test_folder_should_read_all_formats_recursively_in_sorted_order_skipping_hidden_and_others():
    items = read(DATA / "good")
    assert errors(items) == []
    assert [a.id for a in items] == ["tass-alpha", "beta-1", "2", "delta", "gamma"]
    assert [Path(a.origin).name for a in items] == [
        "alpha.txt",
        "beta.jsonl:1",
        "beta.jsonl:3",
        "delta.jsonl.gz:1",
        "gamma.html",
    ]


def test_txt_should_take_metadata_from_sidecar_and_normalise_line_ends():
    (alpha,) = read(DATA / "good" / "alpha.txt")
    assert alpha == Article(
        id="tass-alpha",
        text="BRUSSELS, January 13. /TASS/. Russia expects a written response.\n"
        "Grushko said so on Wednesday.\n",
        url="https://tass.com/politics/1",
        source="TASS",
        published=dt.date(2022, 1, 13),
        title="Grushko speaks",
        origin=str(DATA / "good" / "alpha.txt"),
    )


def test_txt_without_sidecar_should_use_the_file_stem_as_id(tmp_path):
    (tmp_path / "my-report.txt").write_text("Lone \r carriage returns\rbecome newlines.")
    (a,) = read(tmp_path / "my-report.txt")
    assert (a.id, a.text, a.url, a.published) == (
        "my-report",
        "Lone \n carriage returns\nbecome newlines.",
        None,
        None,
    )


def test_jsonl_should_read_fields_number_ids_and_iso_datetimes():
    beta1, beta2 = read(DATA / "good" / "beta.jsonl")
    assert beta1.id == "beta-1"
    assert beta1.published == dt.date(2021, 11, 29)
    assert beta1.source == "Tasnim"
    assert beta2.id == "2" and beta2.url == "https://example.org/2"
    assert beta2.origin.endswith("beta.jsonl:3")  # blank line 2 skipped, numbering kept


def test_jsonl_field_mapping_should_read_dumps_whose_keys_differ(tmp_path):
    path = jsonl(
        tmp_path / "dump.ndjson",
        {"doc_id": "d1", "body": "Text.", "link": "https://x.org", "outlet": "X", "date": None},
    )
    options = ReadOptions(
        id_field="doc_id",
        text_field="body",
        url_field="link",
        source_field="outlet",
        published_field="date",
    )
    (a,) = read(path, options=options)
    assert (a.id, a.text, a.url, a.source, a.published) == (
        "d1",
        "Text.",
        "https://x.org",
        "X",
        None,
    )


def test_jsonl_should_keep_text_exactly_including_carriage_returns(tmp_path):
    text = 'He said: "No."\r\nThen\ttabs, \u00e9, \u4e2d\u6587, \U0001f600 and \\ backslashes.'
    (a,) = read(jsonl(tmp_path / "a.jsonl", {"id": "x", "text": text}))
    assert a.text == text


def test_jsonl_with_windows_line_ends_and_utf8_bom_should_read(tmp_path):
    path = tmp_path / "win.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"id": "a", "text": "one"}\r\n{"id": "b", "text": "two"}\r\n')
    assert [a.id for a in read(path)] == ["a", "b"]


def test_jsonl_with_utf16_bom_should_read(tmp_path):
    path = tmp_path / "u16.jsonl"
    body = '{"id": "a", "text": "caf\u00e9"}\n\n{"id": "b", "text": "\u0416"}\n'
    path.write_bytes(b"\xff\xfe" + body.encode("utf-16-le"))
    items = read(path)
    assert [(a.id, a.text, Path(a.origin).name) for a in items] == [
        ("a", "caf\u00e9", "u16.jsonl:1"),
        ("b", "\u0416", "u16.jsonl:3"),
    ]


def test_jsonl_gz_should_stream(tmp_path):
    path = tmp_path / "a.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for i in range(3):
            f.write(json.dumps({"id": i, "text": f"Article {i}."}) + "\n")
    assert [a.id for a in read(path)] == ["0", "1", "2"]


def test_html_should_extract_text_title_date_url_and_publisher_with_trafilatura():
    (a,) = read(DATA / "good" / "sub" / "gamma.html")
    assert a.id == "gamma"
    assert a.title == "Grushko says talks useful"
    assert a.url == "https://tass.com/politics/1387355"
    assert a.source == "TASS"
    assert a.published == dt.date(2022, 1, 13)
    assert "Russia-NATO Council were useful and direct" in a.text
    assert "Home" not in a.text and "All rights reserved" not in a.text


def test_html_sidecar_should_override_extracted_metadata(tmp_path):
    html = (DATA / "good" / "sub" / "gamma.html").read_bytes()
    (tmp_path / "page.html").write_bytes(html)
    (tmp_path / "page.json").write_text('{"id": "tass-1387355", "source": "TASS English"}')
    (a,) = read(tmp_path / "page.html")
    assert (a.id, a.source, a.url) == (
        "tass-1387355",
        "TASS English",
        "https://tass.com/politics/1387355",
    )


def test_stdin_dash_should_read_json_lines():
    items = read("-", stdin=b'{"id": "s1", "text": "From a pipe."}\n\nnot json\n')
    assert isinstance(items[0], Article) and items[0].origin == "<stdin>:1"
    assert only_error(items[1:]).origin == "<stdin>:3"


def test_glob_should_be_expanded_by_the_reader_with_double_star(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    jsonl(tmp_path / "a" / "b" / "deep.jsonl", {"id": "deep", "text": "Deep."})
    jsonl(tmp_path / "top.jsonl", {"id": "top", "text": "Top."})
    (tmp_path / "a" / "README.md").write_text("not an article")
    assert [a.id for a in read(f"{tmp_path}/**/*.jsonl")] == ["deep", "top"]
    assert [a.id for a in read(f"{tmp_path}/a/*")] == ["deep"]  # folders walked, README skipped


def test_same_file_named_twice_should_be_read_once(tmp_path):
    path = jsonl(tmp_path / "a.jsonl", {"id": "a", "text": "A."})
    items = read(path, tmp_path, f"{tmp_path}/*.jsonl")
    assert [a.id for a in items] == ["a"]


def test_sidecar_named_by_a_shell_glob_should_not_be_an_error():
    items = read(DATA / "good" / "alpha.json", DATA / "good" / "alpha.txt")
    assert [a.id for a in items] == ["tass-alpha"]


def test_uppercase_extension_should_be_read(tmp_path):
    (tmp_path / "SHOUT.TXT").write_text("Upper-case extension.")
    assert [a.id for a in read(tmp_path)] == ["SHOUT"]


def test_utf8_bom_should_be_stripped_and_utf16_with_bom_decoded(tmp_path):
    (tmp_path / "bom8.txt").write_bytes(b"\xef\xbb\xbfWith a BOM.")
    (tmp_path / "bom16.txt").write_bytes("UTF-16 \u2014 text.\r\n".encode("utf-16"))
    got = {a.id: a.text for a in read(tmp_path)}
    assert got == {"bom8": "With a BOM.", "bom16": "UTF-16 \u2014 text.\n"}


def test_legacy_windows_1252_text_should_be_detected(tmp_path):
    text = "The minister said: \u201cWe will not accept it\u201d \u2013 a na\u00efve caf\u00e9."
    (tmp_path / "legacy.txt").write_bytes(text.encode("cp1252"))
    (a,) = read(tmp_path / "legacy.txt")
    assert a.text == text


def test_mostly_utf8_with_one_broken_byte_should_be_repaired_not_read_as_mojibake(tmp_path):
    good = "Russia\u2019s talks \u2013 Geneva. " * 20
    (tmp_path / "chipped.txt").write_bytes(good.encode() + b"\xe9 end")
    (a,) = read(tmp_path / "chipped.txt")
    assert a.text == good + "\ufffd end"


def test_examples_should_hold_the_bundled_tass_article_exactly():
    dev = json.loads((DEV / "tass-seed-russia-nato-council.json").read_text(encoding="utf-8"))
    items = read(ROOT / "examples")
    assert errors(items) == []
    by_id = {a.id: a for a in items}
    tass = by_id["tass-seed-russia-nato-council"]
    assert tass.text == dev["text"]
    assert (tass.source, tass.published, tass.title) == ("TASS", dt.date(2022, 1, 13), dev["title"])
    assert len(by_id) == 4


# --------------------------------------------------------------------------- bad inputs


def test_bad_inputs_should_be_yielded_not_raised_and_the_batch_should_go_on():
    items = read(DATA / "bad", DATA / "good")
    assert len(articles(items)) >= 5 + 3  # the good folder and the good lines among bad ones
    assert all(e.origin and e.reason for e in errors(items))


def test_missing_path_should_be_an_error(tmp_path):
    err = only_error(read(tmp_path / "nope.jsonl"))
    assert err.origin == str(tmp_path / "nope.jsonl")
    assert "no such file" in err.reason


def test_glob_without_matches_should_be_an_error(tmp_path):
    err = only_error(read(f"{tmp_path}/*.jsonl"))
    assert "no files match" in err.reason


def test_empty_file_should_be_an_error():
    assert "empty file" in only_error(read(DATA / "bad" / "empty.txt")).reason


def test_empty_jsonl_and_blank_lines_only_should_be_errors(tmp_path):
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "blank.jsonl").write_bytes(b"\n  \n\r\n")
    assert "empty file" in only_error(read(tmp_path / "empty.jsonl")).reason
    assert "no JSON lines" in only_error(read(tmp_path / "blank.jsonl")).reason


def test_whitespace_only_txt_should_be_an_error():
    assert "no article text" in only_error(read(DATA / "bad" / "blank.txt")).reason


def test_binary_file_should_be_an_error():
    assert "not a text file" in only_error(read(DATA / "bad" / "binary.txt")).reason


def test_control_characters_without_nul_should_count_as_binary(tmp_path):
    (tmp_path / "ctl.txt").write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 50 + b"text")
    assert "not a text file" in only_error(read(tmp_path / "ctl.txt")).reason


def test_undecodable_text_should_be_an_error():
    err = only_error(read(DATA / "bad" / "garbage.txt"))
    assert "cannot decode" in err.reason and "UTF-8" in err.reason


def test_jsonl_with_broken_lines_should_yield_the_good_ones_and_name_each_bad_line():
    path = DATA / "bad" / "mixed.jsonl"
    items = read(path)
    assert [(a.id, a.origin) for a in articles(items)] == [
        ("ok-1", f"{path}:1"),
        ("ok-2", f"{path}:3"),
        ("ok-3", f"{path}:12"),
    ]
    reasons = {int(e.origin.rsplit(":", 1)[1]): e.reason for e in errors(items)}
    assert set(reasons) == {2, 4, 5, 6, 7, 8, 9, 10, 11}
    assert "not valid JSON" in reasons[2]
    assert "must be a JSON object" in reasons[4] and "got a list" in reasons[4]
    assert "got a number" in reasons[5]
    assert "missing text" in reasons[6] and "--text-field" in reasons[6]
    assert "no article text" in reasons[7]
    assert "missing id" in reasons[8] and "--id-field" in reasons[8]
    assert "must be a string or an integer" in reasons[9]
    assert "not an ISO date" in reasons[10] and "null" in reasons[10]
    assert "not valid UTF-8" in reasons[11] and "iconv" in reasons[11]


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({"id": True, "text": "x"}, "must be a string or an integer"),
        ({"id": 1.5, "text": "x"}, "must be a string or an integer"),
        ({"id": "  ", "text": "x"}, "is empty"),
        ({"id": None, "text": "x"}, "missing id"),
        ({"id": "a", "text": 42}, "must be a string"),
        ({"id": "a", "text": ""}, "no article text"),
        ({"id": "a", "text": "x", "title": 7}, '"title" must be a string or null'),
        ({"id": "a", "text": "x", "published": 20220113}, "ISO date"),
        ({"id": "a", "text": "x", "published": "2022-02-30"}, "not an ISO date"),
    ],
)
def test_bad_fields_should_be_errors_for_their_line(tmp_path, record, expected):
    err = only_error(read(jsonl(tmp_path / "a.jsonl", record)))
    assert err.origin == f"{tmp_path / 'a.jsonl'}:1"
    assert expected in err.reason


def test_html_without_article_body_should_be_an_error():
    err = only_error(read(DATA / "bad" / "no-body.html"))
    assert err.reason.startswith("no article text found in the page")


def test_file_over_max_bytes_should_say_the_limit_and_how_to_raise_it(tmp_path):
    (tmp_path / "big.txt").write_text("x" * 101)
    err = only_error(read(tmp_path / "big.txt", options=ReadOptions(max_bytes=100)))
    assert "101 bytes" in err.reason and "100 bytes" in err.reason and "--max-bytes" in err.reason
    assert isinstance(read(tmp_path / "big.txt", options=ReadOptions(max_bytes=101))[0], Article)


def test_json_line_over_max_bytes_should_be_skipped_and_the_next_lines_read(tmp_path):
    path = jsonl(
        tmp_path / "a.jsonl",
        {"id": "big", "text": "y" * 500},
        {"id": "small", "text": "ok"},
    )
    items = read(path, options=ReadOptions(max_bytes=200))
    err, small = items
    assert err.origin == f"{path}:1" and "--max-bytes" in err.reason
    assert small.id == "small" and small.origin == f"{path}:2"


def test_folder_without_readable_files_should_be_an_error(tmp_path):
    (tmp_path / "notes.md").write_text("no articles here")
    (tmp_path / ".hidden.txt").write_text("skipped")
    err = only_error(read(tmp_path))
    assert err.origin == str(tmp_path)
    assert err.reason.startswith(
        f"no .txt, .jsonl, .jsonl.gz, .ndjson, .html, .htm files in {tmp_path}"
    )


def test_directory_named_like_a_file_should_be_walked_not_read(tmp_path):
    (tmp_path / "x.txt").mkdir()
    jsonl(tmp_path / "x.txt" / "inner.jsonl", {"id": "inner", "text": "Inside."})
    assert [a.id for a in read(tmp_path)] == ["inner"]
    (tmp_path / "y.txt").mkdir()
    assert "no .txt" in only_error(read(tmp_path / "y.txt")).reason


def test_broken_symlink_should_be_an_error_naming_it(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing-target.txt")
    (tmp_path / "gone.jsonl").symlink_to(tmp_path / "missing-target.jsonl")
    items = read(tmp_path)
    assert [Path(e.origin).name for e in errors(items)] == ["gone.jsonl", "gone.txt"]
    assert all("broken symbolic link" in e.reason for e in items)


def test_unreadable_file_should_be_an_error(tmp_path, monkeypatch):
    (tmp_path / "locked.txt").write_text("secret")
    (tmp_path / "locked.jsonl").write_text('{"id": "a", "text": "secret"}\n')

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    # chmod 000 does not stop root (CI containers), so refuse the open itself.
    monkeypatch.setattr("kg_builder.read.decode.open", denied, raising=False)
    monkeypatch.setattr("kg_builder.read.formats.open", denied, raising=False)
    items = read(tmp_path / "locked.txt", tmp_path / "locked.jsonl")
    assert [e.origin for e in items] == [
        str(tmp_path / "locked.txt"),
        str(tmp_path / "locked.jsonl"),
    ]
    assert all("permission denied" in e.reason for e in items)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads mode-000 files")
def test_mode_000_file_should_be_an_error(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text("secret")
    path.chmod(0)
    try:
        assert "permission denied" in only_error(read(path)).reason
    finally:
        path.chmod(0o644)


def test_truncated_gzip_should_yield_the_lines_before_then_an_error():
    path = DATA / "bad" / "truncated.jsonl.gz"
    items = read(path)
    assert [a.id for a in articles(items)] == ["g0", "g1", "g2"]
    err = items[-1]
    assert isinstance(err, InputError) and err.origin == str(path)
    assert "truncated or corrupt after line 3" in err.reason


def test_file_that_is_not_gzip_should_be_an_error():
    err = only_error(read(DATA / "bad" / "not-gzip.jsonl.gz"))
    assert "gzip" in err.reason and "at the start" in err.reason


def test_bad_sidecar_should_be_reported_naming_it_and_its_article_skipped():
    err = only_error(read(DATA / "bad" / "bad-sidecar.txt"))
    assert err.origin == f"{DATA / 'bad' / 'bad-sidecar.json'}:1"
    assert "not valid JSON" in err.reason and "skipped" in err.reason


def test_sidecar_with_bad_date_should_be_reported(tmp_path):
    (tmp_path / "a.txt").write_text("Text.")
    (tmp_path / "a.json").write_text('{"published": "yesterday"}')
    err = only_error(read(tmp_path / "a.txt"))
    assert err.origin == str(tmp_path / "a.json") and "not an ISO date" in err.reason


def test_unsupported_file_type_named_explicitly_should_be_an_error(tmp_path):
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.7")
    err = only_error(read(tmp_path / "report.pdf"))
    assert "unsupported file type" in err.reason and ".jsonl" in err.reason


def test_read_options_should_reject_bad_values():
    with pytest.raises(ConfigError, match="--max-bytes"):
        ReadOptions(max_bytes=0)
    with pytest.raises(ConfigError, match="--id-field"):
        ReadOptions(id_field="")


def test_order_should_be_deterministic(tmp_path):
    for name in ["b.txt", "a.txt", "c.txt"]:
        (tmp_path / name).write_text(f"Article {name}.")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "z.txt").write_text("Nested.")
    # Entries sorted by name per folder, depth-first: "a" (folder) < "a.txt" < "b.txt".
    assert [a.id for a in read(tmp_path)] == ["z", "a", "b", "c"]
    assert read(tmp_path) == read(tmp_path)


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("2022-01-13", dt.date(2022, 1, 13)),
        ("2022-01-13T10:20:00", dt.date(2022, 1, 13)),
        ("2022-01-13T10:20:00Z", dt.date(2022, 1, 13)),
        ("2022-01-12T23:30:00-05:00", dt.date(2022, 1, 12)),  # the publisher's local day
        ("2022-01-13 10:20:00+03:00", dt.date(2022, 1, 13)),
    ],
)
def test_parse_published_should_keep_the_date_part(value, expected):
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", ["13/01/2022", "Jan 13, 2022", "2022-13-01", 2022])
def test_parse_published_should_reject_non_iso_values(value):
    with pytest.raises(ValueError):
        parse_published(value)


# --------------------------------------------------------------------------- properties

_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1).filter(str.strip)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXT, ensure_ascii=st.booleans(), article_id=st.text(min_size=1).filter(str.strip))
def test_any_text_written_as_a_json_line_should_read_back_identical(
    tmp_path, text, ensure_ascii, article_id
):
    line = json.dumps({"id": article_id, "text": text, "title": text}, ensure_ascii=ensure_ascii)
    (a,) = read("-", stdin=line.encode("utf-8") + b"\n")
    assert a.text == text
    assert a.title == text.strip()
    assert a.id == article_id.strip()


_PLAIN = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\r\t"), min_size=1
).filter(str.strip)


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_PLAIN)
def test_any_utf8_text_file_should_read_back_with_normalised_line_ends(tmp_path, text):
    path = tmp_path / "prop.txt"
    path.write_bytes(text.encode("utf-8"))
    (a,) = read(path)
    assert a.text == text.replace("\r\n", "\n").replace("\r", "\n")


@given(st.dates(), st.times(), st.sampled_from(["", "Z", "+03:00", "-05:30"]))
def test_parse_published_round_trips_iso_dates_and_datetimes(day, time, tz):
    assert parse_published(day.isoformat()) == day
    assert parse_published(f"{day.isoformat()}T{time.isoformat()}{tz}") == day
