"""The date step's scan on the ASCII proxy finds what ``regex`` finds on the text."""

from __future__ import annotations

import string
import sys

import regex
from hypothesis import given
from hypothesis import strategies as st

from newsnorm import _dates_rules as rules

_PIECES = [
    *rules._TRIGGER_WORDS[:40],
    *rules._START_WORDS[:40],
    "Monday",
    "MAY",
    "mid-",
    "1998",
    "1990s",
    "1990’s",
    "1990's",
    "٢٠١٩",
    "12",
    " ",
    "  ",
    "\n",
    "-",
    "–",
    "'",
    "’",
    "‘",
    "_",
    ".",
    ",",
    "é",
    "\u0301",
    "İ",
    "ı",
    "ſ",
    "\u212a",
    "ß",
    "\U0001d7d8",
    "x",
    "ed",
]
texts = st.lists(st.sampled_from(_PIECES), max_size=14).map("".join) | st.text(
    alphabet=st.sampled_from(string.ascii_letters + string.digits + " '’-_İſ\u212aé\u0301٢")
)


def _spans(matches: object) -> list[tuple[int, int]]:
    return [m.span() for m in matches]  # type: ignore[attr-defined]


def test_case_twins_are_all_the_non_ascii_letters_regex_folds_to_ascii() -> None:
    letter = regex.compile(r"(?i)[a-z]")
    twins = {}
    for cp in range(128, sys.maxunicode + 1):
        c = chr(cp)
        if letter.match(c):
            twins[c] = next(x for x in string.ascii_lowercase if regex.match(f"(?i){x}", c))
    assert twins == rules._CASE_TWINS


@given(texts)
def test_proxy_keeps_offsets(text: str) -> None:
    proxy = rules.ascii_proxy(text)
    assert len(proxy) == len(text) and proxy.isascii()


@given(texts)
def test_trigger_spans_agree(text: str) -> None:
    proxy = rules.ascii_proxy(text)
    assert _spans(rules.TRIGGER_ASCII.finditer(proxy)) == _spans(rules.TRIGGER.finditer(text))


@given(texts, st.integers(0, 60), st.integers(0, 60))
def test_word_start_spans_agree(text: str, lo: int, hi: int) -> None:
    proxy = rules.ascii_proxy(text)
    assert _spans(rules._WORD_START_ASCII.finditer(proxy, lo, hi)) == _spans(
        rules._WORD_START.finditer(text, lo, hi)
    )


@given(texts, st.integers(0, 60), st.integers(0, 60))
def test_word_spans_agree(text: str, lo: int, hi: int) -> None:
    proxy = rules.ascii_proxy(text)
    assert _spans(rules._WORD_ASCII.finditer(proxy, lo, hi)) == _spans(
        rules._WORD.finditer(text, lo, hi)
    )


_SENTENCE_WORDS = st.sampled_from(
    [
        "will",
        "be",
        "held",
        "was",
        "said",
        "to",
        "meet",
        "is",
        "planning",
        "may",
        "May",
        "the",
        "increased",
        "won’t",
        "they’ll",
        "Friday",
        "on",
        "not",
        "have",
        "had",
        "expected",
        ",",
    ]
)


@given(st.lists(_SENTENCE_WORDS, max_size=30).map(" ".join), st.integers(0, 200))
def test_cues_stop_after_the_first_that_counts(text: str, stop: int) -> None:
    proxy = rules.ascii_proxy(text)
    full = rules._cues(text, 0, len(text), proxy)
    cut = rules._cues(text, 0, len(text), proxy, stop=stop)
    first = next(
        (k for k, (cs, _ce, kind) in enumerate(full) if cs >= stop and kind != "inf"), None
    )
    assert cut == (full if first is None else full[: first + 1])
