"""Hostile input: small versions of the inputs ``benchmarks/bench_hostile.py`` times at
1-50 MB, every input the fuzzer kept (``tests/cases/fuzz/``), and the rule patterns
checked for catastrophic backtracking. Nothing here is timed except through ``regex``'s
own ``timeout`` (which stops a pattern that backtracks without end)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

import newsnorm
from newsnorm import Normalized, Normalizer, repair
from newsnorm._boilerplate_rules import load_rules
from newsnorm._inputs import as_doc
from newsnorm.errors import NewsnormError
from newsnorm.repair import DENSE_EDITS, RepairConfig, repair_text

from .conftest import CASES

NORM = Normalizer()
SIZE = 20_000


def _rep(unit: str, size: int = SIZE) -> str:
    return unit * (size // len(unit))


HOSTILE = {
    "no-space-line": "x" * SIZE,
    "on-monday": _rep("on Monday "),
    "is-is-is": _rep("IS "),
    "caption-repeated": _rep("A man walks past a bombed building in Aleppo. (Reuters)\n"),
    "crlf": _rep("a\r\n"),
    "possessive": _rep("a 's "),
    "mojibake-lines": _rep("caf\u00c3\u00a9 d\u00c3\u00a9j\u00c3\u00a0 vu \u00e2\u20ac\u201d\n"),
    "nbsp": _rep("a\u00a0"),
    "controls": _rep("a\x00\x01\x1b[31m\u200f\u202e\r"),
    "every-category": "".join(chr(c) for c in range(0x20, 0x30000, 7)),
    "lone-surrogates": _rep("a\ud800b\udfff "),
    "mixed-line-endings": _rep("one\rtwo\r\nthree\n\u2028four\u2029\x85"),
    "blank-lines": _rep("\n\n\n a"),
    "bidi": _rep("\u202eabc\u202c \u2066x\u2069 \u200f"),
    "nul-only": "\x00" * SIZE,
}


def invariants(doc: Normalized, text: str) -> None:
    assert doc.original == text
    doc.check_offsets()


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_keeps_every_invariant(name: str) -> None:
    text = HOSTILE[name]
    doc = NORM.normalize(text, published="2017-07-11")
    invariants(doc, text)
    assert NORM.normalize(doc.text, published="2017-07-11").text == doc.text
    # no lone surrogate survives into the text (the input's stay in changes' "before")
    doc.text.encode("utf-8")


def test_hostile_input_finds_what_it_should() -> None:
    doc = NORM.normalize(HOSTILE["on-monday"], published="2017-07-11")
    assert len(doc.dates) == SIZE // len("on Monday ")
    assert {d.value for d in doc.dates} == {"2017-07-10"}
    assert "\r" not in NORM.normalize(HOSTILE["mixed-line-endings"]).text


# ---------------------------------------------------------------------------------------
# Dense edits: the repair step merges close edits of one rule past DENSE_EDITS


@pytest.mark.parametrize("unit", ["a\u00a0", "a\r\n", "a 's ", "x\u200by  z\t\n"])
def test_dense_edits_give_the_same_text_as_sparse_ones(unit: str, monkeypatch: Any) -> None:
    dense = unit * (DENSE_EDITS + 50)
    doc = repair_text(dense)
    invariants(doc, dense)
    assert len(doc.changes) < DENSE_EDITS
    monkeypatch.setattr(repair, "DENSE_EDITS", 10**9)  # every edit its own change again
    sparse = repair_text(dense)
    assert sparse.text == doc.text
    assert len(sparse.changes) > DENSE_EDITS


def test_sparse_edits_stay_one_change_each() -> None:
    text = "a\u00a0b " * 100
    doc = repair_text(text)
    assert [c.rule for c in doc.changes].count("repair.odd-spaces") == 100
    assert all(c.before == "\u00a0" and c.after == " " for c in doc.changes[:100])


def test_dense_edits_merge_only_close_neighbours() -> None:
    far = ("a\u00a0" + "b" * 70) * (DENSE_EDITS + 1)
    doc = repair_text(far, config=RepairConfig(edge_spaces=False))
    assert len(doc.changes) == DENSE_EDITS + 1  # 70 characters apart: never merged
    near = "a\u00a0" * (DENSE_EDITS + 1)
    merged = repair_text(near, config=RepairConfig(edge_spaces=False))
    assert len(merged.changes) == 1
    first = merged.changes[0]
    assert first.before == near[first.start : first.end]
    assert first.after == first.before.replace("\u00a0", " ")


def test_repeated_mojibake_lines_are_fixed_like_single_ones() -> None:
    line = "caf\u00c3\u00a9 \u00e2\u20ac\u201d na\u00c3\u00afve"
    one = repair_text(line).text
    many = repair_text("\n".join([line] * 500)).text
    assert many.split("\n") == [one] * 500


# ---------------------------------------------------------------------------------------
# Inputs the fuzzer kept


def fuzz_cases() -> list[Path]:
    return sorted((CASES / "fuzz").glob("*.json"))


def _published(value: Any) -> object:
    if isinstance(value, dict) and "date" in value:
        return dt.date.fromisoformat(value["date"])
    if isinstance(value, dict) and "datetime" in value:
        return dt.datetime.fromisoformat(value["datetime"])
    return value


@pytest.mark.parametrize("path", fuzz_cases(), ids=lambda p: p.stem)
def test_fuzz_case(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    text, published, source = case["text"], _published(case["published"]), case["source"]
    try:
        if case["target"] == "normalize":
            doc = NORM.normalize(text, published=published, source=source)  # type: ignore[arg-type]
        else:
            spec = newsnorm.STEPS[case["target"]]
            doc = spec.compile(spec.config_type())(as_doc(text, published=published, source=source))
    except NewsnormError:
        return
    invariants(doc, text)


def test_there_are_fuzz_cases() -> None:
    assert len(fuzz_cases()) >= 3


# ---------------------------------------------------------------------------------------
# Catastrophic backtracking in the boilerplate rules

BACKTRACK_LINES = [
    "T" * 100, "TT " * 40, "T/" * 50, "a" * 100, "A." * 60, "(" + "A " * 40,
    "Photo: " + "a" * 100, "Getty " * 20 + "x", ". " + "T" * 60 + "/" + "T" * 30,
    "\u2019" * 80, "0" * 100, "x, " * 40, " via " + "a-" * 50, "\u2014" * 60,
    "\u00a9 " + "a " * 50, "http://" + "a." * 50,
]  # fmt: skip


def _search_all(rule_ids: set[str] | None) -> list[tuple[str, str]]:
    slow = []
    for rule in load_rules():
        if rule_ids is not None and rule.id not in rule_ids:
            continue
        pattern = rule._compiled()
        for line in BACKTRACK_LINES:
            try:
                pattern.search(line, timeout=0.25)
            except TimeoutError:
                slow.append((rule.id, line[:20]))
    return slow


def test_boilerplate_rules_do_not_backtrack_without_end() -> None:
    assert _search_all(None) == []


def test_long_capital_runs_through_the_credit_grammar_end_fast() -> None:
    """The old caption-agency-tail rule backtracked on runs of capitals; the shared credit
    grammar that replaced it must not (a 400-capital line took minutes)."""
    from newsnorm._credits import DEFAULT_CREDITS

    for line in ("T" * 400, "He left. " + "T" * 400, "Jim Cole/" + "T" * 300, "TT " * 200):
        DEFAULT_CREDITS.find(line)  # a timeout here would hang the suite, not pass


def test_a_line_of_capitals_through_the_pipeline_ends() -> None:
    doc = NORM.normalize("He left. " + "T" * 40, published="2017-07-11")
    assert doc.text.endswith("T" * 40)
