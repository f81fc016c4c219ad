"""The caption step's fast paths give what the plain patterns give (Hypothesis)."""

from __future__ import annotations

import sys
import unicodedata

import regex
from hypothesis import example, given
from hypothesis import strategies as st

from newsnorm import captions as cap

# Pieces that reach every branch of the gated patterns: toggles, dates, apostrophes,
# quotes, dashes, white space of several kinds, letters and digits beyond ASCII.
_PIECES = [
    "less",
    "more",
    "read more",
    "show more",
    "...",
    "…",
    " ",
    "  ",
    "\u00a0",
    "\u2009",
    "\t",
    "\n",
    "\x1c",
    "\u3000",
    ".",
    ",",
    ";",
    ":",
    "!",
    "?",
    ")",
    "]",
    '"',
    "”",
    "’",
    "‘",
    "'",
    "`",
    "“",
    "«",
    "»",
    "–",
    "—",
    "-",
    "May",
    "June",
    "Sept.",
    "12",
    "3rd",
    "2019",
    "٢٠١٩",
    "\U00011f50",
    "ab",
    "Word",
    "é",
    "İ",
    "ß",
    "x9",
    "ﬁ",
]
texts = st.lists(st.sampled_from(_PIECES), max_size=12).map("".join) | st.text(max_size=40)

_TOGGLE_REF = regex.compile(
    r"(?:(?<=[.!?…)\]\"”’])\s+(?:less|more)|\s*(?:\.\.\.|…)\s*(?:read |show )?more)\s*$"
)
_TRUNCATED_REF = regex.compile(r"\s*(?:\.\.\.|…)\s*(?:read |show )?more\s*$")
_TRAILING_REF = regex.compile(r"[\s.!?…,;:]+$")
_QUOTES_REF = str.maketrans(dict(cap._QUOTES))


def test_regex_white_space_is_str_white_space() -> None:
    # The gates strip with str methods where the patterns say \s: every \s must be one.
    space = regex.compile(r"\s")
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        if space.match(c):
            assert c.isspace(), hex(cp)
        if c.isspace():
            assert c in cap._WHITESPACE, hex(cp)


@given(texts)
def test_strip_toggle_matches_the_patterns(text: str) -> None:
    want = (_TOGGLE_REF.sub("", text), bool(_TRUNCATED_REF.search(text)))
    assert cap._strip_toggle(text) == want


@given(texts)
def test_count_words_matches_the_pattern(text: str) -> None:
    assert cap._count_words(text) == len(cap._WORD.findall(text))


@given(texts)
def test_caption_key_matches_the_patterns(text: str) -> None:
    folded = " ".join(text.translate(_QUOTES_REF).casefold().split())
    assert cap.caption_key(text) == _TRAILING_REF.sub("", folded)


@given(texts)
def test_ends_in_date_matches_the_pattern(text: str) -> None:
    assert cap._VOCAB.ends_in_date(text) == bool(cap._VOCAB.closing_date.search(text))


@given(texts)
@example("on May 3, 2019.")
@example("June 12 2019 )")
@example("(He met on May 3, 2019).")
def test_a_line_ending_in_a_date_may_end_in_one(text: str) -> None:
    s = text.strip()
    if s and cap._VOCAB.ends_in_date(s):
        assert cap._may_end_in_date(s)


@given(st.lists(st.sampled_from(["May 3, 2019", "4 June 2020", "x", " ", ".", ")", "\n"])))
def test_ends_in_date_finds_closing_dates(parts: list[str]) -> None:
    text = "".join(parts)
    assert cap._VOCAB.ends_in_date(text) == bool(cap._VOCAB.closing_date.search(text))


@given(texts, st.integers(0, 50))
def test_a_prefix_holds_no_more_words(text: str, k: int) -> None:
    assert cap._count_words(text[:k]) <= cap._count_words(text)


# -- the bulk paths of the step (one judgement per distinct line, keys folded together) --

_lines = st.lists(texts.map(str.strip).filter(lambda t: "\n" not in t), max_size=8)


@given(_lines)
def test_keys_together_match_caption_key(lines: list[str]) -> None:
    assert cap._keys(lines) == [cap.caption_key(t) for t in lines]


@given(texts)
def test_label_starts_gate_the_label_pattern(text: str) -> None:
    s = text.strip()
    starts = cap._VOCAB.label_starts
    assert starts is not None
    size = cap._VOCAB.label_size
    if cap._VOCAB.label.match(s) and s[:size].isascii():
        assert s[:size].lower() in starts


def test_every_regex_digit_is_a_str_digit_or_unknown() -> None:
    # ends_in_date rules a text out when its last character is no str.isdigit() digit
    # known to Python's Unicode database (regex may know a newer Unicode).
    digit = regex.compile(r"\d")
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        if digit.match(c):
            assert c.isdigit() or unicodedata.category(c) == "Cn", hex(cp)


_doc_lines = st.sampled_from(
    [
        "Troops enter the old city of Mosul.",
        "Troops enter the old city of Mosul. (Reuters)",
        "troops enter the OLD city of Mosul",
        "Photo: Hau Dinh, AP",
        "Getty Images",
        "Image caption Protesters gather in the square",
        "Protesters gather in the square",
        "Supporters cheer at a rally in Ohio ... more",
        "Supporters cheer at a rally in Ohio on Tuesday night",
        "The minister (L) meets reporters in Paris, June 3, 2019.",
        "Coalition meets in Denmark",
        "Advertisement",
        "The army said it moved at dawn on Sunday as planned.",
        "",
        "  ",
    ]
)


@given(st.lists(_doc_lines, max_size=14), st.sampled_from(["\n", "\n\n", "\r\n"]))
def test_each_line_judged_alone_gives_the_same_plan(lines: list[str], sep: str) -> None:
    # The page judges each distinct line once; the general path judges every line.
    text = sep.join(lines)
    runner = cap._DEFAULT
    plan = runner.plan(text, fingerprint=None)
    for i, s in enumerate(plan.page.strs):
        if s:
            one = runner.form(s)
            got = plan.page.form(i)
            assert (got.text, got.key, got.credit, got.credit_only, got.labelled) == (
                one.text,
                one.key,
                one.credit,
                one.credit_only,
                one.labelled,
            )
