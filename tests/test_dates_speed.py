"""The date step's scan on the ASCII proxy finds what ``regex`` finds on the text."""

from __future__ import annotations

import datetime as dt
import pickle
import re
import string
import sys
from collections.abc import Callable

import pytest
import regex
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta
from hypothesis import example, given
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


@given(texts | st.text())
def test_proxy_maps_each_character_alone(text: str) -> None:
    alone = "".join(rules._proxy_char(c) if c > "\x7f" else c for c in text).lower()
    assert rules.ascii_proxy(text) == alone


def test_proxy_of_every_character() -> None:
    text = "".join(chr(c) for c in range(0x80, sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    assert rules.ascii_proxy(text) == "".join(map(rules._proxy_char, text)).lower()


@given(texts)
def test_trigger_spans_agree(text: str) -> None:
    proxy = rules.ascii_proxy(text)
    assert _spans(rules.TRIGGER_ASCII.finditer(proxy)) == _spans(rules.TRIGGER.finditer(text))
    assert list(rules.trigger_spans(proxy)) == _spans(rules.TRIGGER.finditer(text))


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


def _reference_cues(
    text: str, lo: int, hi: int, proxy: str, stop: int | None = None
) -> list[tuple[int, int, str]]:
    """The cue loop as it was before it looked only at candidate words: one step per word
    of the window (the specification the fast one must agree with)."""
    # The spans of _WORD on the text are those of rules._WORD_ASCII on the proxy.
    spans = [m.span() for m in rules._WORD_ASCII.finditer(proxy, lo, hi)]
    raws = [text[s:e] for s, e in spans]
    lows = [w.lower() for w in raws]
    lows.append("")  # the word after the last
    out: list[tuple[int, int, str]] = []
    i = 0
    n = len(spans)
    while i < n:
        raw = raws[i]
        word = lows[i]
        if "’" in word:
            word = word.replace("’", "'")
        nxt = lows[i + 1]
        skip = 0
        kind = ""
        if word.endswith("'ll") or word in ("will", "shall", "would", "won't"):
            if word == "would" and nxt == "have":
                kind = "past"
            else:
                kind = "future"
                k = i + 1
                if k < n and lows[k] in ("not", "still", "also", "now", "probably"):
                    k += 1
                if k < n and lows[k] in ("be", "have"):
                    skip = k + 2 - i  # "will be held": "held" is no past
        elif word in ("might", "may", "should", "must"):
            if raw != "May" and nxt not in ("have", "not"):
                kind = "future"
        elif word == "to" and nxt == "be":
            kind, skip = "future", 3
        elif word == "to" and nxt in rules._INFINITIVES:
            kind = "inf"
        elif (
            word in ("is", "are", "was", "were", "'s")
            and nxt in rules._BEFORE_TO
            and i + 2 < n
            and lows[i + 2] == "to"
        ):
            kind, skip = "future", 3  # "were planning to", "is set to"
        elif word in rules._BEFORE_TO and nxt == "to":
            kind = "future"
            if i + 2 < n and lows[i + 2] == "be":
                skip = 4
        elif word in rules._FUTURE_WORDS:
            kind = "future"
        elif rules._is_past(word, raw, nxt) and not (
            word.endswith("ed") and i > 0 and lows[i - 1] in rules._BEFORE_ADJECTIVE
        ):
            kind = "past"  # but "a still unspecified date", "the increased dividend" are no verbs
        if kind:
            out.append((*spans[i], kind))
            if stop is not None and kind != "inf" and spans[i][0] >= stop:
                break
        i += max(1, skip)
    return out


_CUE_PIECES = st.sampled_from(
    [
        "will", "be", "held", "Will", "they’ll", "won’t", "would", "have", "not", "still",
        "to", "meet", "is", "was", "planning", "set", "said", "the", "increased", "May",
        "may", "has", "had", "expected", "scheduled", "İced", "waſ", "\u212aept", "on",
        "Friday", "’s", "'s", "ed", "xed", "unplanned",
    ]
)  # fmt: skip
_CUE_SEPARATORS = st.sampled_from([" ", "  ", ", ", ". ", "-", "\n", "’", "é"])


@given(
    st.lists(st.tuples(_CUE_PIECES, _CUE_SEPARATORS), max_size=25).map(
        lambda ps: "".join(w + sep for w, sep in ps)
    ),
    st.integers(0, 120),
    st.integers(0, 120),
    st.none() | st.integers(0, 120),
)
def test_cues_agree_with_the_word_by_word_loop(
    text: str, lo: int, hi: int, stop: int | None
) -> None:
    proxy = rules.ascii_proxy(text)
    lo, hi = min(lo, len(text)), min(max(lo, hi), len(text))
    assert rules._cues(text, lo, hi, proxy, stop=stop) == _reference_cues(text, lo, hi, proxy, stop)


@given(
    st.lists(st.tuples(_CUE_PIECES, _CUE_SEPARATORS), max_size=40).map(
        lambda ps: "".join(w + sep for w, sep in ps)
    ),
    st.lists(st.tuples(st.integers(0, 300), st.integers(0, 120)), max_size=8),
)
def test_cues_from_one_kept_scan_agree_with_a_scan_per_window(
    text: str, windows: list[tuple[int, int]]
) -> None:
    proxy = rules.ascii_proxy(text)
    kept = rules.Candidates(proxy)
    for start, width in windows:  # in any order, overlapping or not
        lo = min(start, len(text))
        hi = min(lo + width, len(text))
        assert rules._cues(text, lo, hi, proxy, candidates=kept) == rules._cues(text, lo, hi, proxy)


_AFTER_ARTICLES = st.sampled_from(
    [
        "the", "a", "an", "The", "company", "year", "year's", "week", "third", "quarter",
        "1990s", "20th", "century", "end", "of", "past", "future", "near", "term", "few",
        "days", "ago", "couple", "months", "later", "date", "weekend", "spring", "fiscal",
        "same", "day", "next", "following", "comparable", "year-ago", "period", "mid-1990s",
        "Monday", "March", "6", "April", "1998", "nineties", "short", "coming", "decades",
    ]
)  # fmt: skip


@given(st.lists(_AFTER_ARTICLES, max_size=12).map(" ".join))
def test_skipping_articles_before_other_words_changes_nothing(text: str) -> None:
    pub = dt.date(2017, 7, 11)
    quick = rules.find_dates(text, pub, rules.Options())
    saved = rules._ARTICLES
    rules._ARTICLES = frozenset()  # try the grammar after every "the" and "a"
    try:
        assert rules.find_dates(text, pub, rules.Options()) == quick
    finally:
        rules._ARTICLES = saved


def test_trigger_spans_in_hard_cases() -> None:
    for text in ["1990's", "1990'september", "'90s", "may", "x1998 1999", "(monday)", ""]:
        assert list(rules.trigger_spans(text)) == _spans(rules.TRIGGER_ASCII.finditer(text))


def _outcome(step: Callable[[], dt.date]) -> dt.date | type[Exception]:
    try:
        return step()
    except (ValueError, OverflowError) as err:
        return type(err)


_WEEKDAY_STEPS = (MO, TU, WE, TH, FR, SA, SU)


@given(st.dates(), st.integers(0, 6))
@example(dt.date.min, 0)
@example(dt.date.min, 6)
@example(dt.date.max, 4)
@example(dt.date.max, 3)
@example(dt.date(9999, 12, 25), 5)
def test_weekday_steps_are_relativedelta_steps(d: dt.date, wd: int) -> None:
    step = _WEEKDAY_STEPS[wd]
    assert _outcome(lambda: rules._next_weekday(d, wd)) == _outcome(
        lambda: d + relativedelta(days=+1, weekday=step(+1))
    )
    assert _outcome(lambda: rules._previous_weekday(d, wd)) == _outcome(
        lambda: d + relativedelta(days=-1, weekday=step(-1))
    )


@given(st.integers(-2, 10001), st.integers(-1, 14))
@example(9999, 12)
@example(9999, 11)
@example(1, 1)
@example(0, 1)
@example(0, 12)
@example(2016, 2)
def test_last_day_is_the_relativedelta_month_end(year: int, month: int) -> None:
    assert _outcome(lambda: rules._last_day(year, month)) == _outcome(
        lambda: dt.date(year, month, 1) + relativedelta(months=1, days=-1)
    )


def test_grammar_cache_is_explicit_and_pickles_empty() -> None:
    """A grammar cache gives what a new one builds, every date step shares the
    process's cache, and no cache carries compiled patterns across a process boundary."""
    cache = rules.Grammars()
    text = "The talks ended on Monday; a vote is due next week, in June 2017."
    pub = dt.date(2017, 7, 11)
    first = rules.find_dates(text, pub, rules.Options(), cache)
    assert cache._by_head  # filled by the call
    assert rules.find_dates(text, pub, rules.Options(), cache) == first
    assert rules.find_dates(text, pub, rules.Options()) == first
    assert rules.Resolver(text, pub, rules.Options()).grammars is rules.GRAMMARS
    assert cache.for_word("monday") is cache.for_word("monday")
    copy = pickle.loads(pickle.dumps(cache))
    assert copy._by_head == copy._by_word == copy._by_names == {}
    assert copy.for_word("monday").pattern.pattern == cache.for_word("monday").pattern.pattern


_HEAD_PIECES = st.sampled_from(
    [
        "the", "The", "a", "an", "last", "next", "this", "early", "mid", "mid-", "late",
        "earlier", "later", "week", "weekend", "month", "year", "years", "year's", "year-end",
        "quarter", "fiscal", "first", "third", "half", "of", "end", "beginning", "day", "days",
        "ago", "before", "after", "yesterday", "tomorrow", "today", "tonight", "now", "right",
        "Monday", "monday", "June", "Jun.", "Sept.", "May", "march", "1998", "1990s", "1990’s",
        "20th", "century", "2017-07-10", "9", "a.m.", "p.m.", "noon", "EST", "est", "GMT",
        "Thanksgiving", "Christmas", "New", "Year’s", "Day", "two", "three", "few", "couple",
        "nineteen", "ninety-six", "thousand", "spring", "summer", "fall", "past", "coming",
        "current", "previous", "following", "same", "that", "future", "near", "term",
        "recently", "currently", "as", "soon", "possible", "12", "30", "2,000", "%", "for",
        "company", "weekly", "Yearly", "\u212aept", "ſpring", "٢٠١٩", "than", "more", "25th",
    ]
)  # fmt: skip
_HEAD_SEPARATORS = st.sampled_from(
    [" ", " ", " ", "  ", "\n", ", ", ".", "-", "'", "’", "é", "\xa0", "—", ""]
)
_FULL_GRAMMAR: list[rules._Grammar] = []


@given(
    st.lists(st.tuples(_HEAD_PIECES, _HEAD_SEPARATORS), max_size=12).map(
        lambda ps: "".join(w + sep for w, sep in ps)
    )
)
def test_head_grammars_match_as_the_whole_grammar(text: str) -> None:
    """At every word start the grammar of its head (fewer rules, or none) finds the match
    that all the rules, tried in order, find."""
    if not _FULL_GRAMMAR:
        _FULL_GRAMMAR.append(rules._Grammar(tuple(rules._RULES)))
    full = _FULL_GRAMMAR[0]
    cache = rules.Grammars()
    proxy = rules.ascii_proxy(text)
    for ws in rules._WORD_START_ASCII.finditer(proxy):
        start = ws.start()
        head = rules._HEAD_ASCII.match(proxy, start)
        if head is None or not text[start : head.end()].isascii():
            continue
        word = ws.group()
        grammar = cache.for_head(head.group(), "0" if word[0].isdigit() else word)
        got = grammar.pattern.match(text, start) if grammar.groups else None
        want = full.pattern.match(text, start)
        if want is None:
            assert got is None
        else:
            assert got is not None
            assert (got.span(), grammar.rule_of(got)) == (want.span(), full.rule_of(want))
            for name in rules._GROUP_NAMES:  # (the rule groups are named per grammar)
                assert got.span(name) == want.span(name)


@given(
    st.lists(st.tuples(_HEAD_PIECES, _HEAD_SEPARATORS), max_size=16).map(
        lambda ps: "".join(w + sep for w, sep in ps)
    )
)
def test_dispatch_on_heads_changes_nothing(text: str) -> None:
    pub = dt.date(2017, 7, 11)
    quick = rules.find_dates(text, pub, rules.Options())
    saved = rules._HEAD_ASCII
    rules._HEAD_ASCII = re.compile(r"(?!)")  # every word start takes its word's grammar
    try:
        assert rules.find_dates(text, pub, rules.Options()) == quick
    finally:
        rules._HEAD_ASCII = saved


def test_head_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rules, "_HEAD_LIMIT", 2)
    cache = rules.Grammars()
    text = "Last week, the third quarter and next year: on Monday, 2017."
    pub = dt.date(2017, 7, 11)
    want = rules.find_dates(text, pub, rules.Options(), rules.Grammars())
    assert rules.find_dates(text, pub, rules.Options(), cache) == want
    assert len(cache._by_head) == 2
