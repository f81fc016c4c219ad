"""The newsnorm command: every flag, every exit code."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import newsnorm
from newsnorm import STEPS, NormalizeConfig, Normalizer, cli

from .conftest import EXAMPLES, load_jsonl


def run(
    args: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stdin: bytes | None = None,
) -> tuple[int, list[dict[str, Any]], str]:
    """Run main() in this process; return (exit code, output records, stderr)."""
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    code = cli.main(args)
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def jsonl(*records: Any) -> bytes:
    return b"".join(
        (r if isinstance(r, bytes) else json.dumps(r).encode()) + b"\n" for r in records
    )


@pytest.fixture
def seeds_list(seeds: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return list(seeds.values())


def expected_text(rec: dict[str, Any], config: NormalizeConfig | None = None) -> str:
    norm = Normalizer(config)
    return norm.normalize(
        rec["text"], published=rec.get("published"), source=rec.get("source")
    ).text


# --- input and output ---------------------------------------------------------------


def test_file_argument(capsys: Any, monkeypatch: Any, seeds_list: list[dict[str, Any]]) -> None:
    code, out, err = run([str(EXAMPLES)], capsys, monkeypatch)
    assert code == 0
    assert [r["id"] for r in out] == [r["id"] for r in seeds_list]
    assert [r["text"] for r in out] == [expected_text(r) for r in seeds_list]
    for rec, got in zip(seeds_list, out, strict=True):
        assert {k: got[k] for k in rec if k != "text"} == {k: rec[k] for k in rec if k != "text"}
        assert set(got["newsnorm"]) == {"entities", "dates", "captions"}
    assert f"{len(seeds_list)} records in, {len(seeds_list)} out, 0 failed" in err


def test_stdin_default_and_dash(capsys: Any, monkeypatch: Any) -> None:
    data = jsonl({"text": "a\u00a0b"})
    for args in ([], ["-"]):
        code, out, _ = run(["-q", *args], capsys, monkeypatch, stdin=data)
        assert code == 0 and [r["text"] for r in out] == ["a b"]


def test_several_inputs_in_order(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    first, second = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    first.write_bytes(jsonl({"id": "a", "text": "x"}))
    second.write_bytes(jsonl({"id": "b", "text": "y"}, {"id": "c", "text": "z"}))
    code, out, _ = run(
        ["-q", str(first), "-", str(second)],
        capsys,
        monkeypatch,
        stdin=jsonl({"id": "s", "text": "s"}),
    )
    assert code == 0 and [r["id"] for r in out] == ["a", "s", "b", "c"]


def test_stdin_only_once(capsys: Any, monkeypatch: Any) -> None:
    code, _, err = run(["-", "-"], capsys, monkeypatch, stdin=b"")
    assert code == 2 and "only once" in err


def test_directory_of_text_files(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text("TRT World 's team\n", encoding="utf-8")
    (tmp_path / "b" / "c.txt").write_text("x\u00a0y", encoding="utf-8")
    (tmp_path / "b" / "skip.md").write_text("not a text file", encoding="utf-8")
    code, out, _ = run(["-q", str(tmp_path)], capsys, monkeypatch)
    assert code == 0
    assert [r["id"] for r in out] == ["a.txt", "b/c.txt"]
    assert out[1]["text"] == expected_text({"text": "x\u00a0y"})


def test_single_text_file_and_bad_utf8(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("a\u00a0b", encoding="utf-8")
    bad.write_bytes(b"caf\xe9")
    code, out, err = run([str(good), str(bad)], capsys, monkeypatch)
    assert code == 1
    assert out == [{"id": "good.txt", "text": "a b", "newsnorm": out[0]["newsnorm"]}]
    assert "bad.txt" in err and "UTF-8" in err


def test_missing_input_is_a_usage_error(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    code, out, err = run([str(tmp_path / "nope.jsonl")], capsys, monkeypatch)
    assert code == 2 and out == [] and "no such file" in err


def test_output_file(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    target = tmp_path / "out.jsonl"
    code, out, _ = run(["-q", str(EXAMPLES), "-o", str(target)], capsys, monkeypatch)
    assert code == 0 and out == []
    assert len(load_jsonl(target)) == len(load_jsonl(EXAMPLES))
    code, out, _ = run(["-q", str(EXAMPLES), "--output", "-"], capsys, monkeypatch)
    assert len(out) == len(load_jsonl(EXAMPLES))


def test_output_cannot_be_an_input(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    data = tmp_path / "data.jsonl"
    data.write_bytes(EXAMPLES.read_bytes())
    code, _, err = run([str(data), "-o", str(data)], capsys, monkeypatch)
    assert code == 2 and "also an input" in err
    assert data.read_bytes() == EXAMPLES.read_bytes()  # not truncated


def test_unwritable_output_is_a_usage_error(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    code, _, err = run(
        [str(EXAMPLES), "-o", str(tmp_path / "no" / "dir.jsonl")], capsys, monkeypatch
    )
    assert code == 2 and "cannot write" in err


def test_unicode_is_written_as_utf8(capsys: Any, monkeypatch: Any) -> None:
    code, out, _ = run(["-q"], capsys, monkeypatch, stdin=jsonl({"text": "Café ‘İstanbul’"}))
    assert code == 0 and out[0]["text"] == "Café ‘İstanbul’"


# --- errors -----------------------------------------------------------------------------


BAD_INPUT = jsonl(
    {"id": 1, "text": "a\u00a0b", "keep": "me"},
    b"this is not json",
    b"[1, 2]",
    {"id": 4, "text": 4},
    {"id": 5, "text": "x", "published": "2017-02-30"},
    b"\xff\xfe{}",
    {"id": 7},
    b"   ",
    {"id": 8, "text": "last"},
)


def test_bad_records_are_reported_and_good_ones_come_out_in_order(
    capsys: Any, monkeypatch: Any
) -> None:
    code, out, err = run([], capsys, monkeypatch, stdin=BAD_INPUT)
    assert code == 1
    assert [(r["id"], r["text"]) for r in out] == [(1, "a b"), (8, "last")]
    assert out[0]["keep"] == "me"
    lines = [line for line in err.splitlines() if line.startswith("newsnorm: <stdin>:")]
    assert [line.split(":")[2].split()[0] for line in lines] == ["2", "3", "4", "5", "6", "7"]
    assert "InputTypeError" in lines[2] and "InvalidDateError" in lines[3]
    assert "(id 7)" in lines[5]
    assert "8 records in, 2 out, 6 failed (6 skipped, 0 kept)" in err


def test_errors_file(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    target = tmp_path / "errors.jsonl"
    code, out, err = run(["--errors", str(target)], capsys, monkeypatch, stdin=BAD_INPUT)
    assert code == 1 and len(out) == 2
    failures = load_jsonl(target)
    assert [f["where"] for f in failures] == [f"<stdin>:{n}" for n in range(2, 8)]
    assert [f["index"] for f in failures] == [1, 2, 3, 4, 5, 6]
    assert failures[2]["error"] == "InputTypeError" and failures[2]["id"] == "4"
    assert "<stdin>:" not in err  # reported in the file, not on stderr
    assert f"failures in {target}" in err


def test_errors_file_unwritable(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    code, _, err = run(
        ["--errors", str(tmp_path / "no" / "e.jsonl")], capsys, monkeypatch, stdin=b""
    )
    assert code == 2 and "--errors" in err


def test_on_error_keep(capsys: Any, monkeypatch: Any) -> None:
    code, out, err = run(["--on-error", "keep"], capsys, monkeypatch, stdin=BAD_INPUT)
    assert code == 1
    # every line comes out; one that is no record holds its input in the error
    assert [r.get("id") for r in out] == [1, None, None, 4, 5, None, 7, 8]
    assert out[1]["newsnorm"]["error"]["input"] == "this is not json"
    assert out[3]["text"] == 4 and out[3]["newsnorm"]["error"]["type"] == "InputTypeError"
    assert "6 failed (0 skipped, 6 kept)" in err


def test_records_in_equals_out_plus_reported_errors(
    tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    target = tmp_path / "errors.jsonl"
    _, out, _ = run(["-q", "--errors", str(target)], capsys, monkeypatch, stdin=BAD_INPUT)
    records = [line for line in BAD_INPUT.splitlines() if line.strip()]
    assert len(records) == len(out) + len(load_jsonl(target))


# --- fields -------------------------------------------------------------------------


def test_field_flags(capsys: Any, monkeypatch: Any) -> None:
    data = jsonl(
        {"key": "k1", "body": "x\u00a0y", "day": "2017-07-11", "outlet": "TRT"},
        {"key": "k2", "body": "x", "day": "2017-13-01", "outlet": "TRT"},
    )
    args = [
        "--text-field",
        "body",
        "--date-field",
        "day",
        "--source-field",
        "outlet",
        "--id-field",
        "key",
    ]
    code, out, err = run(args, capsys, monkeypatch, stdin=data)
    assert code == 1
    assert out[0]["body"] == "x y" and out[0]["key"] == "k1" and "text" not in out[0]
    assert "(id k2)" in err and "InvalidDateError: field 'day'" in err


def test_date_field_reaches_the_pipeline(capsys: Any, monkeypatch: Any) -> None:
    # A bad date in the configured field fails; the same value elsewhere is ignored.
    data = jsonl({"text": "x", "when": "not a date", "published": "2017-07-11"})
    code, _, _ = run(["-q", "--date-field", "when"], capsys, monkeypatch, stdin=data)
    assert code == 1
    code, _, _ = run(["-q"], capsys, monkeypatch, stdin=data)
    assert code == 0


def test_source_field_reaches_the_pipeline(capsys: Any, monkeypatch: Any) -> None:
    data = jsonl({"text": "x", "outlet": 42})
    code, _, err = run(["--source-field", "outlet"], capsys, monkeypatch, stdin=data)
    assert code == 1 and "source must be str" in err


def test_empty_text_field_is_a_usage_error(capsys: Any, monkeypatch: Any) -> None:
    code, _, err = run(["--text-field", ""], capsys, monkeypatch, stdin=b"")
    assert code == 2 and "text_field" in err


# --- steps ----------------------------------------------------------------------------


def test_steps_flag(capsys: Any, monkeypatch: Any, seeds_list: list[dict[str, Any]]) -> None:
    first = next(iter(STEPS))
    code, out, err = run(["--steps", first, str(EXAMPLES)], capsys, monkeypatch)
    assert code == 0
    config = NormalizeConfig(steps=(first,))
    assert [r["text"] for r in out] == [expected_text(r, config) for r in seeds_list]
    assert f"changes: {first} " in err


def test_disable_flag(capsys: Any, monkeypatch: Any, seeds_list: list[dict[str, Any]]) -> None:
    every = ",".join(STEPS)
    code, out, err = run(["--disable", every, str(EXAMPLES)], capsys, monkeypatch)
    assert code == 0
    assert [r["text"] for r in out] == [r["text"] for r in seeds_list]  # nothing ran
    assert "changes" not in err
    if len(STEPS) > 1:
        last = list(STEPS)[-1]
        code, out, _ = run(["-q", "--disable", last, str(EXAMPLES)], capsys, monkeypatch)
        config = NormalizeConfig(steps=tuple(s for s in STEPS if s != last))
        assert [r["text"] for r in out] == [expected_text(r, config) for r in seeds_list]


@pytest.mark.parametrize("flag", ["--steps", "--disable"])
def test_unknown_step_is_a_usage_error(flag: str, capsys: Any, monkeypatch: Any) -> None:
    code, out, err = run([flag, "repair,frobnicate", str(EXAMPLES)], capsys, monkeypatch)
    assert code == 2 and out == []
    assert "frobnicate" in err and "known steps" in err


def test_aliases_flag(tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    table = tmp_path / "aliases.csv"
    table.write_text("id,label,alias\nnewsnorm:acme,Acme Org,Acme Corporation\n", encoding="utf-8")
    data = jsonl({"id": 1, "text": "Acme Corporation said on Monday that it would stay."})
    code, out, _ = run(["-q", "--aliases", str(table)], capsys, monkeypatch, stdin=data)
    assert code == 0
    assert [e["entity_id"] for e in out[0]["newsnorm"]["entities"]] == ["newsnorm:acme"]
    code, out, _ = run(["-q"], capsys, monkeypatch, stdin=data)
    assert "newsnorm:acme" not in json.dumps(out)
    code, _, err = run(
        ["--aliases", str(tmp_path / "missing.json"), str(EXAMPLES)], capsys, monkeypatch
    )
    assert code == 2 and "--aliases" in err
    broken = tmp_path / "broken.json"
    broken.write_text("{not a table", encoding="utf-8")
    code, _, err = run(["--aliases", str(broken), str(EXAMPLES)], capsys, monkeypatch)
    assert code == 2 and "--aliases" in err


def test_learn_boilerplate(capsys: Any, monkeypatch: Any) -> None:
    stories = [
        "Ships sank near the coast.",
        "Prices rose again in May.",
        "Rain fell all week.",
        "Talks failed in Geneva.",
        "Trains ran late on the main line.",
        "Farmers sold their crops early.",
    ]
    repeated = "The Zebra Herald thanks its many readers"
    data = jsonl(
        *(
            {"id": i, "source": "zebra.example", "text": f"{story}\n{repeated}"}
            for i, story in enumerate(stories)
        )
    )
    code, plain, _ = run(["-q"], capsys, monkeypatch, stdin=data)
    assert code == 0 and all(repeated in r["text"] for r in plain)
    code, learned, _ = run(["-q", "--learn-boilerplate"], capsys, monkeypatch, stdin=data)
    assert code == 0 and not any(repeated in r["text"] for r in learned)
    assert [r["id"] for r in learned] == list(range(len(stories)))
    data = EXAMPLES.read_bytes()
    code, from_file, _ = run(["-q", "--learn-boilerplate", str(EXAMPLES)], capsys, monkeypatch)
    assert code == 0
    code, from_stdin, _ = run(["-q", "--learn-boilerplate"], capsys, monkeypatch, stdin=data)
    assert code == 0 and from_stdin == from_file  # stdin is spooled and read twice


# --- output options -----------------------------------------------------------------


def test_explain_flag(capsys: Any, monkeypatch: Any) -> None:
    data = jsonl({"text": "a\u00a0b"})
    _, plain, _ = run(["-q"], capsys, monkeypatch, stdin=data)
    _, explained, _ = run(["-q", "--explain"], capsys, monkeypatch, stdin=data)
    assert "changes" not in plain[0]["newsnorm"]
    doc = newsnorm.normalize("a\u00a0b")
    assert [c["rule"] for c in explained[0]["newsnorm"]["changes"]] == [c.rule for c in doc.changes]
    assert [n["code"] for n in explained[0]["newsnorm"]["notes"]] == [n.code for n in doc.notes]


def test_quiet_flag(capsys: Any, monkeypatch: Any) -> None:
    code, out, err = run(["-q", str(EXAMPLES)], capsys, monkeypatch)
    assert code == 0 and out and err == ""
    code, _, err = run(["--quiet"], capsys, monkeypatch, stdin=jsonl({"x": 1}))
    assert code == 1 and "RecordError" in err and "records in" not in err  # errors still shown


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal(capsys: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(cli, "_PROGRESS_DELAY", 0.0)
    monkeypatch.setattr(cli, "_PROGRESS_INTERVAL", 0.0)
    code, _, err = run([str(EXAMPLES)], capsys, monkeypatch)
    assert code == 0 and "\r" not in err  # captured stderr is not a terminal
    for quiet in (False, True):
        tty = _Tty()
        monkeypatch.setattr(sys, "stderr", tty)
        assert cli.main([*(["-q"] if quiet else []), str(EXAMPLES)]) == 0
        shown = tty.getvalue()
        if quiet:
            assert shown == ""
        else:
            assert "\rnewsnorm: 1 record, " in shown and "%" in shown
            bar, summary = shown.rsplit("\r\x1b[K", 1)  # the bar is cleared before the summary
            assert "records in" in summary and "records in" not in bar
    capsys.readouterr()


def test_summary_counts_changes_per_step(
    capsys: Any, monkeypatch: Any, seeds_list: list[dict[str, Any]]
) -> None:
    _, _, err = run([str(EXAMPLES)], capsys, monkeypatch)
    norm = Normalizer()
    docs = [
        norm.normalize(r["text"], published=r["published"], source=r["source"]) for r in seeds_list
    ]
    per_step = ", ".join(
        f"{step} {sum(c.step == step for d in docs for c in d.changes)}" for step in STEPS
    )
    assert err.strip().endswith(f"changes: {per_step}")


# --- speed options --------------------------------------------------------------------


def test_n_process_and_batch_size(capsys: Any, monkeypatch: Any) -> None:
    data = EXAMPLES.read_bytes() * 3 + BAD_INPUT
    one = run(["--errors", "/dev/null"], capsys, monkeypatch, stdin=data)
    two = run(
        ["--errors", "/dev/null", "--n-process", "2", "--batch-size", "2"],
        capsys,
        monkeypatch,
        stdin=data,
    )
    assert two == one
    short = run(
        ["--errors", "/dev/null", "-n", "2", "--batch-size", "1"], capsys, monkeypatch, stdin=data
    )
    assert short == one


@pytest.mark.parametrize(
    "args", [["--n-process", "0"], ["-n", "-3"], ["--batch-size", "0"], ["-n", "two"]]
)
def test_bad_speed_options_are_usage_errors(args: list[str], capsys: Any, monkeypatch: Any) -> None:
    code, _, err = run(args, capsys, monkeypatch, stdin=b"")
    assert code == 2 and "error" in err


# --- process-level behaviour ----------------------------------------------------------


def test_unknown_flag_is_a_usage_error(capsys: Any, monkeypatch: Any) -> None:
    code, _, err = run(["--frobnicate"], capsys, monkeypatch, stdin=b"")
    assert code == 2 and "unrecognized arguments" in err


def test_help(capsys: Any) -> None:
    assert cli.main(["--help"]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert "--n-process" in shown and "Exit codes" in shown
    assert all(step in shown for step in STEPS)


def test_broken_pipe_is_quiet(monkeypatch: Any, capsys: Any) -> None:
    class Closed(io.BytesIO):
        def write(self, data: Any) -> int:
            raise BrokenPipeError

    class Out(io.StringIO):
        buffer = Closed()

        def fileno(self) -> int:
            return sys.__stdout__.fileno() if sys.__stdout__ else 1

    monkeypatch.setattr(sys, "stdout", Out())
    monkeypatch.setattr(cli.os, "dup2", lambda *_: None)
    assert cli.main(["-q", str(EXAMPLES)]) == 0


def test_version_console_script_and_module() -> None:
    exe = Path(sys.executable).with_name("newsnorm")
    commands = [[sys.executable, "-m", "newsnorm", "--version"]]
    if exe.exists():
        commands.append([str(exe), "--version"])
    for command in commands:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        assert done.returncode == 0
        assert done.stdout.strip() == f"newsnorm {newsnorm.__version__}"


def test_module_entry_point_round_trip() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "newsnorm", str(EXAMPLES)],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0
    assert len(done.stdout.decode("utf-8").splitlines()) == len(load_jsonl(EXAMPLES))
