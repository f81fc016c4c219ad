"""Bad input at every public entry: a typed error with a clear message, or a documented
result; never an internal traceback; in batches and the CLI never a lost record."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

import newsnorm
from newsnorm import NormalizeConfig, Normalizer
from newsnorm.aliases import AliasConfig, AliasTable
from newsnorm.cli import main
from newsnorm.errors import (
    ConfigError,
    InputTypeError,
    InvalidDateError,
    NewsnormError,
    RecordError,
    SpanError,
    TableError,
)
from newsnorm.repair import RepairConfig

NORM = Normalizer()


@pytest.mark.parametrize("text", [None, 5, 3.2, b"x", bytearray(b"x"), ["a"], {"text": "a"}])
def test_text_of_a_wrong_type(text: object) -> None:
    with pytest.raises(InputTypeError, match=r"text must be str, got"):
        newsnorm.normalize(text)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "published",
    ["2017-02-30", "0000-01-01", "10000-01-01", "2017-13-01", "", "   ", "yesterday",
     "2017-07-11T25:00", "2017-07-11\x00"],
)  # fmt: skip
def test_impossible_dates_are_invalid_date_errors(published: str) -> None:
    with pytest.raises(InvalidDateError, match=r"published must be .* got"):
        newsnorm.normalize("He left on Monday.", published=published)


@pytest.mark.parametrize("published", [2017, 2017.5, b"2017-07-11", ["2017-07-11"]])
def test_dates_of_a_wrong_type(published: object) -> None:
    with pytest.raises(InputTypeError, match=r"published must be"):
        newsnorm.normalize("He left on Monday.", published=published)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("published", "day"),
    [
        (dt.datetime(2017, 7, 11, 23, 30), dt.date(2017, 7, 11)),
        # an aware datetime gives its own calendar date, not the UTC one
        (dt.datetime(2017, 7, 11, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))), dt.date(2017, 7, 11)),
        (dt.datetime(2017, 7, 11, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=14))), dt.date(2017, 7, 11)),
        ("2017-07-11T10:00:00+14:00", dt.date(2017, 7, 11)),
        ("2017-07-11", dt.date(2017, 7, 11)),
    ],
)  # fmt: skip
def test_naive_and_aware_datetimes(published: object, day: dt.date) -> None:
    doc = newsnorm.normalize("He left on Monday.", published=published)  # type: ignore[arg-type]
    assert doc.published == day
    assert [d.value for d in doc.dates] == ["2017-07-10"]


@pytest.mark.parametrize("published", [dt.date(1, 1, 1), dt.date(9999, 12, 31)])
def test_dates_at_the_ends_of_the_calendar(published: dt.date) -> None:
    """Anchoring next to year 1 or 9999 never overflows: a date that would fall outside
    the calendar is not reported."""
    text = "He left last month, on Monday, and will return next year or last year."
    doc = newsnorm.normalize(text, published=published)
    for d in doc.dates:
        for day in (d.start_date, d.end_date):
            assert day is None or dt.date.min <= day <= dt.date.max


@pytest.mark.parametrize("source", [5, b"x", ["TRT World"]])
def test_source_of_a_wrong_type(source: object) -> None:
    with pytest.raises(InputTypeError, match=r"source must be str or None"):
        newsnorm.normalize("x", source=source)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "   \n\t ", "\n\n\n", "\r\n\r\n"])
def test_empty_and_whitespace_only_text_comes_out_empty(text: str) -> None:
    doc = newsnorm.normalize(text, published="2017-07-11")
    assert doc.text == ""
    assert doc.original == text
    start, end = doc.to_original(0, 0)
    assert start == end


def test_text_that_is_all_boilerplate_comes_out_empty_with_its_changes() -> None:
    text = "Advertisement\nShare this article\nRead more\n"
    doc = newsnorm.normalize(text)
    assert doc.text == ""
    assert {c.step for c in doc.changes} == {"boilerplate"}
    assert "".join(c.before for c in doc.changes).count("\n") >= 2


@pytest.mark.parametrize(
    "make",
    [
        lambda: newsnorm.normalize("x", config={"steps": "repair"}),  # type: ignore[arg-type]
        lambda: NormalizeConfig(steps=[5]),  # type: ignore[list-item]
        lambda: NormalizeConfig(steps=None),  # type: ignore[arg-type]
        lambda: NormalizeConfig(steps="repair,nosuchstep"),
        lambda: NormalizeConfig(repair={}),  # type: ignore[arg-type]
        lambda: RepairConfig(ftfy="yes"),  # type: ignore[arg-type]
        lambda: RepairConfig(email_placeholder=5),  # type: ignore[arg-type]
        lambda: RepairConfig(ftfy_config={}),  # type: ignore[arg-type]
        lambda: AliasConfig(table=5),  # type: ignore[arg-type]
        lambda: Normalizer(5),  # type: ignore[arg-type]
    ],
)
def test_malformed_configs_are_config_errors(make: Any) -> None:
    with pytest.raises(ConfigError) as info:
        make()
    assert str(info.value)


def test_empty_step_list_is_a_documented_no_op() -> None:
    doc = newsnorm.normalize("a\u00a0b", config=NormalizeConfig(steps=""))
    assert doc.text == "a\u00a0b"
    assert doc.changes == ()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (None, "entities must be a list"),
        (5, "entities must be a list"),
        ({}, "expected {'entities'"),
        ({"entities": [5]}, "entity 1: an entity must be a mapping"),
        ({"entities": [{"id": "Q1"}]}, "missing 'label'"),
        ({"entities": [{"id": "Q1", "label": "X", "aliases": 5}]}, "aliases must be a list"),
        ({"entities": [{"id": "Q1", "label": "X", "aliases": [None]}]}, "alias 1"),
        ({"entities": [{"id": "Q1", "label": "", "aliases": ["x"]}]}, "label must be"),
        ({"entities": [{"id": "Q1", "label": "X", "aliases": ["   "]}]}, "non-empty"),
        ({"entities": [{"id": "Q1", "label": "X", "aliases": ["(("]}]}, "'(('"),
    ],
)
def test_malformed_alias_tables(data: object, message: str) -> None:
    with pytest.raises(TableError, match=r"alias table '<data>'") as info:
        AliasTable.from_dict(data)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("t.json", "{bad json", "invalid JSON"),
        ("t.json", "[1, 2]", "entity 1"),
        ("t.csv", "a,b\n1", "CSV header needs"),
        ("t.toml", "x = ", "invalid TOML"),
        ("t.json", b"\xff\xfe\x00", "not UTF-8"),
        # code is never loaded: only JSON, TOML and CSV are data formats
        ("t.py", "raise SystemExit('executed')", "unknown format 'py'"),
        ("t.pickle", b"\x80\x04K\x01.", "not UTF-8"),
        ("t.yaml", "!!python/object/apply:os.system ['true']", "unknown format 'yaml'"),
    ],
)
def test_alias_files_load_data_only(
    tmp_path: Path, name: str, content: str | bytes, message: str
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(TableError, match=str(path)) as info:
        AliasTable.from_file(path)
    assert message in str(info.value)


def test_missing_alias_file_is_an_os_error_as_documented(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="No such file"):
        AliasTable.from_file(tmp_path / "none.json")


def test_alias_file_path_of_a_wrong_type() -> None:
    try:
        AliasTable.from_file(5)  # type: ignore[arg-type]
    except NewsnormError:
        return
    except TypeError as err:
        raise AssertionError(f"untyped TypeError: {err}") from None


def test_spans_outside_the_text_are_span_errors() -> None:
    doc = newsnorm.normalize("abc")
    for start, end in [(2, 1), (0, 10), (-1, 2)]:
        with pytest.raises(SpanError, match="does not lie inside"):
            doc.to_original(start, end)
    with pytest.raises(SpanError, match="must be int"):
        doc.to_original(0.5, 1)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------
# Batches: never a lost record

BAD_ITEMS: list[Any] = [
    1,
    "a\u00a0b",
    {"text": 5},
    {"x": 1},
    {"text": "ok", "published": "2017-02-30"},
    {"text": "ok", "published": 2017},
    {"text": "ok", "source": [1]},
    None,
    {"text": "a\ud800b"},
    "fine",
]


def test_pipe_keep_yields_every_record_in_order() -> None:
    report = newsnorm.BatchReport()
    out = list(NORM.pipe(BAD_ITEMS, on_error="keep", report=report))
    assert len(out) == len(BAD_ITEMS)
    assert out[1].text == "a b"
    assert out[-1].text == "fine"
    failed = [i for i, doc in enumerate(out) if any(n.code == "record-error" for n in doc.notes)]
    assert failed == [0, 2, 3, 4, 5, 6, 7]
    assert [out[i].text for i in (0, 2, 3, 7)] == ["", "", "", ""]  # no text to keep
    assert [out[i].text for i in (4, 5, 6)] == ["ok", "ok", "ok"]
    assert report.failed == 7


def test_pipe_skip_counts_every_skipped_record() -> None:
    report = newsnorm.BatchReport()
    out = list(NORM.pipe(BAD_ITEMS, on_error="skip", report=report))
    assert len(out) + report.failed == len(BAD_ITEMS)


def test_pipe_raise_raises_the_typed_error() -> None:
    with pytest.raises(InputTypeError):
        list(NORM.pipe([1, "a"]))


def test_map_partition_keeps_every_record() -> None:
    records = [{"text": 5}, {"text": "a", "published": 2017}, 7, {"text": "\ud800"}]
    out = list(NORM.map_partition(records, on_error="keep"))
    assert len(out) == 4
    errors = [rec.get("newsnorm", {}).get("error") for rec in out]
    assert [e["type"] if e else None for e in errors] == [
        "InputTypeError",
        "InputTypeError",
        "RecordError",
        None,
    ]
    assert errors[2]["input"] == 7


def test_map_batch_keeps_every_row_and_rejects_ragged_batches() -> None:
    out = NORM.map_batch({"text": ["a", 5, None]}, on_error="keep")
    assert out["text"] == ["a", 5, None]
    assert [json.loads(x).get("error", {}).get("type") for x in out["newsnorm"]] == [
        None,
        "InputTypeError",
        "InputTypeError",
    ]
    with pytest.raises(RecordError, match="column 'id' has 1 rows"):
        NORM.map_batch({"text": ["a", "b"], "id": [1]})
    with pytest.raises(RecordError, match="no 'text' column"):
        NORM.map_batch({"id": [1]})


@pytest.mark.parametrize("kwargs", [{"batch_size": 0}, {"n_process": "2"}, {"on_error": "ignore"}])
def test_bad_batch_options_are_config_errors(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        list(NORM.pipe(["a"], **kwargs))


# ---------------------------------------------------------------------------------------
# The CLI: malformed JSONL lines and wrong field types

CLI_LINES = [
    '{"id": 1, "text": "a\\ud800b"}',
    "not json",
    '{"id": 3, "text": 5}',
    "[1, 2]",
    '{"id": 5, "text": "ok", "published": "2017-02-30"}',
    '{"id": 6, "text": "ok", "published": 5}',
    '{"id": 7, "text": "ok", "source": [1]}',
    '{"id": 8}',
    "",
    '{"id": 9, "text": "a\\u0000b\\u202e"}',
    '"just a string"',
    "null",
    '{"id": 12, "text": "The vote passed 52 to 48."}',
    '{"id": 13, "text": "trailing',
]


def _run_cli(tmp_path: Path, args: list[str], capsys: Any) -> tuple[int, list[str], str]:
    src = tmp_path / "in.jsonl"
    src.write_bytes("\n".join(CLI_LINES).encode("utf-8") + b"\n\xff\xfe{}\n")
    out = tmp_path / "out.jsonl"
    code = main([str(src), "-o", str(out), *args])
    return code, out.read_text(encoding="utf-8").splitlines(), capsys.readouterr().err


def test_cli_reports_every_bad_line_and_writes_the_good_ones(tmp_path: Path, capsys: Any) -> None:
    code, lines, err = _run_cli(tmp_path, [], capsys)
    assert code == 1
    assert [json.loads(line)["id"] for line in lines] == [1, 9, 12]
    assert "a\ufffdb" in lines[0]  # a lone surrogate is repaired, never an encoding crash
    reported = [line for line in err.splitlines() if line.startswith("newsnorm: ") and ":" in line]
    assert "line is not valid JSON" in err
    assert "line is a JSON array, not an object" in err
    assert "line is a JSON string, not an object" in err
    assert "line is a JSON null, not an object" in err
    assert "field 'text' must be str, got int" in err
    assert "day is out of range" in err
    assert "field 'source': source must be str or None" in err
    assert "record has no 'text' field" in err
    assert "not valid UTF-8" in err
    assert "14 records in, 3 out, 11 failed" in err
    assert "Traceback" not in err
    assert len(reported) >= 11


def test_cli_keep_writes_every_record(tmp_path: Path, capsys: Any) -> None:
    code, lines, err = _run_cli(tmp_path, ["--on-error", "keep"], capsys)
    assert code == 1
    records = [json.loads(line) for line in lines]
    assert len(records) == 14  # one output line per input line (the blank one aside)
    assert records[1]["newsnorm"]["error"]["input"] == "not json"
    assert records[-1]["newsnorm"]["error"]["input"] == "\ufffd\ufffd{}"
    assert "Traceback" not in err


def test_cli_writes_only_where_it_is_told(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    errors = tmp_path / "errors.jsonl"
    _code, _lines, _err = _run_cli(tmp_path, ["--errors", str(errors), "-q"], capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "errors.jsonl",
        "in.jsonl",
        "out.jsonl",
        "work",
    ]
    assert list(work.iterdir()) == []
    assert len(errors.read_text(encoding="utf-8").splitlines()) == 11


def test_cli_never_opens_a_network_connection(
    tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    import socket

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("newsnorm opened a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    code, lines, _err = _run_cli(tmp_path, ["-q"], capsys)
    assert code == 1
    assert len(lines) == 3


def test_cli_with_a_code_file_as_alias_table(tmp_path: Path, capsys: Any) -> None:
    table = tmp_path / "table.py"
    marker = tmp_path / "executed"
    table.write_text(f"open({str(marker)!r}, 'w').write('x')\n", encoding="utf-8")
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "ok"}\n', encoding="utf-8")
    code = main([str(src), "-o", str(tmp_path / "out.jsonl"), "--aliases", str(table)])
    err = capsys.readouterr().err
    assert code == 2
    assert "unknown format 'py'" in err
    assert not marker.exists()


def test_cli_stdin_with_bad_lines(monkeypatch: Any, capsys: Any) -> None:
    data = b'{"text": "ok"}\nnot json\n{"text": 1}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    code = main(["-q"])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert len(out) == 1


def test_cli_writes_lone_surrogates_back_as_json_escapes(tmp_path: Path, capsys: Any) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        '{"id": 1, "text": "a\\ud800b", "title": "x\\udfffy"}\n{"id": 2, "text": "ok"}\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    assert main([str(src), "-o", str(out), "--explain", "-q"]) == 0
    records = [json.loads(line) for line in out.read_bytes().decode("utf-8").splitlines()]
    assert records[0]["title"] == "x\udfffy"
    assert records[0]["text"] == "a\ufffdb"
    assert records[0]["newsnorm"]["changes"][0]["before"] == "\ud800"
    assert records[1]["text"] == "ok"


def test_map_batch_json_is_valid_utf8_with_lone_surrogates() -> None:
    out = NORM.map_batch({"text": ["a\ud800b"]}, explain=True)
    out["newsnorm"][0].encode("utf-8")
    assert json.loads(out["newsnorm"][0])["changes"][0]["before"] == "\ud800"


@pytest.mark.parametrize(
    "text",
    [
        "{bad",
        "[]",
        '{"rules": 5}',
        '{"rules": [{"id": "x"}]}',
        '{"rules": [{"id": "x", "kind": "caption", "pattern": "(("}]}',
        '{"rules": [{"id": "x", "kind": "nosuchkind", "pattern": "a"}]}',
    ],
)
def test_malformed_boilerplate_rule_tables(text: str) -> None:
    from newsnorm.boilerplate import load_rules

    with pytest.raises(TableError, match=r"rules\.json|rule 'x'"):
        load_rules(text)


def _step_configs() -> list[Any]:
    from newsnorm.boilerplate import BoilerplateConfig
    from newsnorm.captions import CaptionConfig

    return [
        pytest.param(lambda: CaptionConfig(keep_headline="no"), id="captions-keep_headline"),
        pytest.param(
            lambda: CaptionConfig(keep_first_caption=None), id="captions-keep_first_caption"
        ),
        pytest.param(lambda: CaptionConfig(credit_lines="yes"), id="captions-credit_lines"),
        pytest.param(lambda: AliasConfig(keep_glosses="no"), id="aliases-keep_glosses"),
        pytest.param(
            lambda: BoilerplateConfig(disabled_rules=["boilerplate.no-such-rule"]),
            id="boilerplate-disabled_rules-unknown-id",
        ),
    ]


@pytest.mark.parametrize("make", _step_configs())
def test_step_configs_check_their_types(make: Any) -> None:
    try:
        make()
    except ConfigError:
        return
    raise AssertionError("accepted")
