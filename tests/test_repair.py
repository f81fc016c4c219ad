"""The repair step: golden cases, negative cases, ftfy parity and properties."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path
from typing import Any

import attrs
import ftfy
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsnorm import Normalized
from newsnorm.errors import ConfigError, InputTypeError
from newsnorm.repair import NEWS_FTFY_CONFIG, RepairConfig, repair_text

CASES = Path(__file__).parent / "cases" / "repair"


def _load(name: str) -> list[dict[str, Any]]:
    return json.loads((CASES / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


GOLDEN = _load("cases.json")
NEGATIVE = _load("negative.json")


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            c,
            id=c["label"],
            marks=[pytest.mark.xfail(reason=c["comment"], strict=True)]
            if c["expect"] == "fail"
            else [],
        )
        for c in GOLDEN
    ],
)
def test_golden(case: dict[str, Any]) -> None:
    doc = repair_text(case["original"])
    assert doc.text == case["fixed"]
    assert doc.original == case["original"]
    # Repairing the repaired text changes nothing more.
    assert repair_text(doc.text).changes == ()


@pytest.mark.parametrize("case", NEGATIVE, ids=[c["label"] for c in NEGATIVE])
def test_clean_text_is_byte_identical(case: dict[str, Any]) -> None:
    doc = repair_text(case["original"])
    assert doc.text == case["original"]
    assert doc.changes == ()


def test_changes_name_rule_and_kind() -> None:
    doc = repair_text("AFP/The Local - [email\u00a0protected]\nTRT World 's\u00a0team")
    assert [(c.rule, c.kind) for c in doc.changes] == [
        ("repair.cloudflare-email", "email-residue"),
        ("repair.odd-spaces", "odd-space"),
        ("repair.possessive-space", "tokenizer-artefact"),
    ]
    for change in doc.changes:
        assert doc.original[change.start : change.end] == change.before


def test_ftfy_changes_carry_minimal_spans_and_kind() -> None:
    text = "Erbil\u00e2\u20ac\u2122s airport"
    doc = repair_text(text)
    (change,) = doc.changes
    assert change.rule == "repair.ftfy"
    assert change.kind == "mojibake"
    assert (change.start, change.end) == (5, 8)
    assert change.after == "’"
    assert doc.to_original(5, 6) == (5, 8)
    start, end = doc.to_original(7, 15)
    assert doc.original[start:end] == " airport"


def test_every_rule_can_be_switched_off() -> None:
    text = "A\u00a0 's  b [email protected]\r\n\n\n\u200b"
    off = attrs.evolve(RepairConfig.ftfy_only(), ftfy=False)
    assert repair_text(text, config=off).text == text
    assert repair_text(text).text == "A's b\n"


def test_email_placeholder() -> None:
    cfg = RepairConfig(email_placeholder=" [email]")
    assert repair_text("mail us at [email protected].", config=cfg).text == "mail us at [email]."


def test_ftfy_config_is_ftfy_own() -> None:
    cfg = RepairConfig(ftfy_config=NEWS_FTFY_CONFIG._replace(uncurl_quotes=True))
    assert repair_text("“quoted”", config=cfg).text == '"quoted"'
    assert repair_text("“quoted”").text == "“quoted”"
    with pytest.raises(ConfigError, match="TextFixerConfig"):
        RepairConfig(ftfy_config={"uncurl_quotes": True})  # type: ignore[arg-type]


def test_accepts_a_normalized_and_keeps_its_history() -> None:
    first = repair_text("a\u00a0b")
    again = repair_text(first)
    assert again == first
    assert isinstance(again, Normalized)


@pytest.mark.parametrize("bad", [None, b"bytes", 42, ["list"]])
def test_bad_text_type(bad: object) -> None:
    with pytest.raises(InputTypeError):
        repair_text(bad)  # type: ignore[arg-type]


def test_config_pickles_and_hashes() -> None:
    cfg = RepairConfig(odd_spaces=False)
    assert pickle.loads(pickle.dumps(cfg)) == cfg
    assert hash(cfg) == hash(attrs.evolve(RepairConfig(), odd_spaces=False))


# --- properties ---------------------------------------------------------------

PIECES = st.sampled_from(
    [
        "\u00a0",
        "\r\n",
        "\n\n\n",
        " 's",
        "[email protected]",
        "\u00c3\u00a9",
        "&amp;",
        "  ",
        "\u200b",
    ]
)
ANY_TEXT = st.lists(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8) | PIECES,
    max_size=10,
).map("".join)


@given(ANY_TEXT)
def test_idempotent(text: str) -> None:
    once = repair_text(text)
    twice = repair_text(once.text)
    assert twice.text == once.text
    assert twice.changes == ()


@given(ANY_TEXT)
def test_offsets_of_first_edits_point_at_the_input(text: str) -> None:
    doc = repair_text(text)
    for s in range(len(doc.text) + 1):
        start, end = doc.to_original(s, len(doc.text))
        assert 0 <= start <= end <= len(text)
    first_pass = [c for c in doc.changes if c.rule == "repair.line-endings"]
    for change in first_pass:
        assert text[change.start : change.end] == change.before


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzÀéüßçñ’0123456789", min_size=1, max_size=8)
QUOTED = WORD.map(lambda w: f"“{w}”")
SENTENCE = st.lists(WORD | QUOTED, min_size=1, max_size=8).map(" ".join).map(lambda s: s + ".")
CLEAN = st.lists(st.tuples(SENTENCE, st.sampled_from(["\n", "\n\n"])), min_size=1, max_size=6).map(
    lambda parts: "".join(s + sep for s, sep in parts).rstrip("\n")
)


@given(CLEAN)
def test_clean_text_unchanged(text: str) -> None:
    doc = repair_text(text)
    assert doc.text == text
    assert doc.changes == ()


LINE = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\n"),
    max_size=40,
) | st.sampled_from(
    ["caf\u00c3\u00a9", "\u00e2\u20ac\u2122s", "AT&amp;T", "x\u0085y", "a\x1b[31mb"]
)


@given(st.lists(LINE, max_size=4))
def test_ftfy_parity_where_ftfy_changes_something(lines: list[str]) -> None:
    """With the artefact rules off, the result is ftfy's on every line."""
    text = "\n".join(lines)
    only_ftfy = RepairConfig.ftfy_only()
    expected = text
    for _ in range(4):  # ftfy's own output may still change (we run to a fixed point)
        # Segments as ftfy.fix_text makes them (each line with its "\n"), fixed one by one
        # (fix_text itself would stop unescaping HTML in every line after one holding "<").
        segments = re.findall(r"[^\n]*\n|[^\n]+", expected)
        nxt = "".join(ftfy.fix_text(seg, NEWS_FTFY_CONFIG) for seg in segments)
        if nxt == expected:
            break
        expected = nxt
    assert repair_text(text, config=only_ftfy).text == expected


MOJIBAKE_ALPHABET = st.sampled_from(
    sorted(
        {chr(c) for c in range(0x20, 0x7F)}
        | set("ÂÃÎÐØÙàâ€œŠš¢£Ÿž\xa0\xad®©°·»–—´“”‘’…ВГРСΒΓΞΟвЂ√±∂†≠™≤≥¥µø≈‚Äāβ×²³ŒœÉ╬═")
    )
)


@given(st.text(alphabet=MOJIBAKE_ALPHABET, max_size=40))
def test_mojibake_prefilter_never_misses(text: str) -> None:
    """The fast pre-check finds every text ftfy's heuristic would flag."""
    from ftfy.badness import is_bad

    from newsnorm.repair import _may_be_mojibake

    if is_bad(text):
        assert _may_be_mojibake(text)


def test_mojibake_seeds_cover_every_alternative() -> None:
    """An alphabet character that is not a lone seed never makes ftfy's heuristic match
    on its own: not with any ASCII context of up to two characters before and one after.
    (Every ``BADNESS_RE`` alternative needs a lone seed or two alphabet characters side
    by side; this is what lets ``_may_be_mojibake`` look only around such seeds.)"""
    from ftfy.badness import BADNESS_RE

    from newsnorm.repair import _MOJIBAKE_LONE, _MOJIBAKE_SET

    reps = ["a", "Z", " ", ".", "1", "\n", "_", "!", "?", ","]
    before = ["", *reps, *(a + b for a in reps for b in reps)]
    after = ["", *reps]
    for ch in sorted(_MOJIBAKE_SET - _MOJIBAKE_LONE):
        probe = "|".join(f"{left}{ch}{right}" for left in before for right in after)
        assert BADNESS_RE.search(probe) is None, repr(ch)
    # and the lone seeds do match alone (so the set is not bigger than it must be)
    for ch in ("\x85", "\u0153", "\u00c3"):
        assert any(BADNESS_RE.search(f"{left}{ch}{right}") for left in before for right in after), (
            repr(ch)
        )


@given(st.text(alphabet="abcé", max_size=400), st.data())
def test_diff_spans_replay(old: str, data: st.DataObject) -> None:
    """The diff behind ftfy's edits reproduces ftfy's text, short or long."""
    from newsnorm.repair import _diff_spans

    new = list(old)
    for _ in range(data.draw(st.integers(0, 6))):
        if new:
            at = data.draw(st.integers(0, len(new) - 1))
            new[at : at + data.draw(st.integers(0, 3))] = data.draw(
                st.sampled_from(["", "x", "yz"])
            )
    target = "".join(new)
    out, pos = [], 0
    for i1, i2, j1, j2 in _diff_spans(old, target):
        assert pos <= i1 <= i2
        out += [old[pos:i1], target[j1:j2]]
        pos = i2
    out.append(old[pos:])
    assert "".join(out) == target


def _reference_edits(rule: Any, text: str) -> list[Any]:
    """A rule's edits worked out match by match (what ``_Rule.edits`` does with one split)."""
    from newsnorm.repair import _coalesce

    spans = []
    for m in rule.pattern.finditer(text):
        if rule.group:
            new = m.group(rule.group) or ""
        elif rule.at_start is not None and m.start() == 0:
            new = rule.at_start
        elif rule.at_end is not None and m.end() == len(text):
            new = rule.at_end
        else:
            new = rule.replacement
        if new != m.group():
            spans.append((m.start(), m.end(), new))
    return _coalesce(text, spans, rule.kind, f"repair.{rule.name}") if spans else []


_DENSE_UNITS = [
    "a 's ",
    "a\u00a0",
    "a\r\n",
    "\n\n\n a",
    "x  y ",
    " \t\n",
    "a\u200b",
    "U.S. 's do n't ",
    "- [email protected] ",
    "\n",
    "ab" + " " * 70 + "c 's ",
]


@pytest.mark.parametrize("unit", _DENSE_UNITS)
@pytest.mark.parametrize("repeat", [1, 3, 5000])
def test_rule_edits_equal_match_by_match(unit: str, repeat: int) -> None:
    """Every artefact rule gives the edits of a match-by-match reference, sparse and
    dense (past DENSE_EDITS, where neighbouring edits merge), at the text's edges too."""
    from newsnorm.repair import RepairConfig, _rules

    for text in (unit * repeat, "\n\n" + unit * repeat + "\n\n\n", "x" + unit * repeat):
        for rule in _rules(RepairConfig(email_placeholder="[email protected]")) + _rules(
            RepairConfig()
        ):
            assert rule.edits(text) == _reference_edits(rule, text), (rule.name, text[:30])


@given(
    st.lists(
        st.sampled_from(
            [
                " ",
                "\t",
                "\u00a0",
                "\u3000",
                "-",
                "|",
                "\u2013",
                "[",
                "x",
                "\n",
                "email",
                "protected]",
            ]
        ),
        max_size=14,
    ).map("".join)
)
def test_cloudflare_pattern_matches_the_plain_form(text: str) -> None:
    """The Cloudflare residue rule's pattern (led by the class of its first character)
    splits every text as its plain form does."""
    import re

    from newsnorm.repair import _ODD_SPACES, _WS, RepairConfig, _rules

    (rule,) = [r for r in _rules(RepairConfig()) if r.name == "cloudflare-email"]
    plain = re.compile(
        rf"((?:[{_WS}]+[-\u2013\u2014|])?[{_WS}]*\[email[\s{_ODD_SPACES}]*protected\])"
    )
    assert rule.splitter.split(text) == plain.split(text)


@given(st.text(alphabet=["\n", "a", " ", "\r"], max_size=40))
def test_blank_lines_pattern_matches_the_plain_form(text: str) -> None:
    """The blank-lines rule's pattern (led by the newline each match starts with) splits
    every text as its plain three-branch form does."""
    import re

    from newsnorm.repair import RepairConfig, _rules

    (rule,) = [r for r in _rules(RepairConfig()) if r.name == "blank-lines"]
    plain = re.compile(r"(\A\n+|\n{2,}\Z|\n{3,})")
    assert rule.splitter.split(text) == plain.split(text)


@given(st.text(alphabet=["a", "U", "1", ".", " ", "'", "\u2019", "s", "n", "t", "\u00e9", "\n"]))
def test_possessive_pattern_matches_the_lookbehind_form(text: str) -> None:
    """The possessive rule's pattern (led by a space) matches exactly what the plain
    lookbehind form matches."""
    import regex

    from newsnorm.repair import _POSSESSIVE

    plain = regex.compile(
        r"(?<=[\p{L}\p{N}]|\p{L}\.\p{L}\.) +(['\u2019]s|n['\u2019]t)(?![\p{L}\p{N}'\u2019])"
    )
    assert [m.span() for m in _POSSESSIVE.finditer(text)] == [
        m.span() for m in plain.finditer(text)
    ]
    assert _POSSESSIVE.sub(r"\1", text) == plain.sub(r"\1", text)
