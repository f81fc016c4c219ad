"""The date step's grammar (one compiled pattern) and its resolver (TIMEX3 values).

Private: :mod:`newsnorm.dates` is the public face. Everything here is immutable
and built once at import; the resolver is a pure function of the text, the
publication date and the options.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import re
from collections.abc import Callable, Collection, Iterator
from importlib import resources

import attrs
import regex
from dateutil.easter import easter
from dateutil.relativedelta import MO, SA, TH, TU, relativedelta

__all__ = ["Found", "Options", "find_dates", "tense_at"]

# --- word tables ---------------------------------------------------------------------------

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "a couple of": 2, "a dozen": 12, "half a": 0,
}  # fmt: skip
ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
    "4th": 4, "final": 4, "last": 4,
}  # fmt: skip
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}


def _load_words() -> dict[str, list[str]]:
    """The word lists of ``data/dates/words.json`` (package data)."""
    text = resources.files("newsnorm").joinpath("data/dates/words.json").read_text("utf-8")
    table = json.loads(text)
    return {k: [str(w) for w in v] for k, v in table.items() if k != "comment"}


_WORDS = _load_words()

# --- the grammar ---------------------------------------------------------------------------

_WD = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTH_FULL = (
    r"january|february|march|april|may|june|july|august|september|october|november|december"
)
_MONTH_ABBR = (
    r"(?:jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.|(?:jan|feb|aug|sept|oct|nov|dec)\b"
)
_MON = rf"(?P<mon>{_MONTH_FULL}|{_MONTH_ABBR})"
_MON_FULL = rf"(?P<mon>{_MONTH_FULL})"
_DAY = r"(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d%]|[.:]\d)"
_YEAR = r"(?P<year>1[5-9]\d\d|20\d\d)(?![\d%]|\.\d)"
_WYEAR = (
    r"(?P<wc>nineteen|eighteen|twenty)[\s-]+(?P<wt>(?:twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety)(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?)"
)
_NUM = (
    r"(?P<num>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|"
    r"fifty|a\s+couple\s+of|a\s+dozen)"
)
_UNIT = r"(?P<unit>day|week|month|year|decade|quarter)s?"
_ORD = r"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)"
_REL = r"(?P<rel>this|last|next|past|previous|coming|current)"
_EDGE = r"(?P<edge>earlier|later|early|late|mid-?|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of)"
_PART = r"(?:\s+(?P<part>morning|afternoon|evening|night))?"
# A clock time right before a day: "9 a.m. Monday", "5 p.m. EST, Nov. 6", "noon Thursday"
_CLOCK = (
    r"(?:(?P<clock>(?P<hh>1[0-2]|0?[1-9])(?::(?P<mm>[0-5]\d))?\s*(?P<ampm>a\.m\.|p\.m\.)"
    r"|(?P<noon>noon|midnight))(?:\s+(?-i:[ECMP][SD]T|GMT|UTC))?,?\s+)?"
)
_B = r"(?<![\w'’-])"  # start of a word (not inside a word, a number or a hyphenation)
_E = r"(?![\w-]|['’]\w\w)"  # end of a word; "'s" after it is allowed (and left out)

_RULES: dict[str, str] = {
    # 2017-07-10
    "iso": r"(?P<year>1[5-9]\d\d|20\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])(?!\d)",
    # the week of March 6
    "week-of": rf"the\s+week\s+of\s+{_MON}\s*{_DAY}(?:,?\s+{_YEAR})?",
    # Monday, Oct. 26, 1998 / Nov. 17, 2016 / June 29
    "month-day": rf"{_CLOCK}(?:{_WD},?\s+)?{_MON}\s*{_DAY}(?:,?\s+{_YEAR})?",
    # Thursday, 6 April 2000 / 17 November 2016 / 29 June
    "day-month": rf"(?:{_WD},?\s+)?(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MON}(?:,?\s+{_YEAR})?",
    # June of 2014 / July 1997 / early January 1998
    "month-year": rf"(?:{_EDGE}\s+)?{_MON}(?:,|\s+of)?\s+(?:{_YEAR}|{_WYEAR})",
    # January this year / June last year
    # early October this year
    "month-rel-year": rf"(?:{_EDGE}[\s-]*)?{_MON_FULL}\s+(?P<rel>this|last|next)\s+year",
    # the year-ago quarter / the comparable year-earlier period / year-ago
    "year-ago-period": r"(?:the\s+)?(?:comparable\s+)?year[- ](?:ago|earlier)(?:\s+(?:"
    + _ORD
    + r"\s+)?(?P<period>quarter|period))?"
    # the same quarter last year / the quarter a year ago / last year's quarter
    r"|the\s+(?:(?:same|corresponding|comparable)\s+)?(?P<period>quarter|period)\s+"
    r"(?:last\s+year|a\s+year\s+(?:ago|earlier))"
    r"|last\s+year['’]s\s+(?:" + _ORD + r"\s+)?(?P<period>quarter|period)",
    # this year's third quarter / 1988's fourth quarter / the third quarter of 1989
    "quarter-of": rf"(?:(?P<rel>this|last|next)\s+year['’]s|{_YEAR}['’]s)\s+(?:fiscal\s+)?{_ORD}[- ]quarter"
    rf"|(?:the\s+)?(?:fiscal\s+)?{_ORD}[- ]quarter\s+of\s+(?:{_YEAR}|(?P<rel>this|last|next)\s+year)"
    rf"|the\s+(?P<half>first|second|last|latter)\s+(?:half|two\s+quarters)\s+of\s+"
    rf"(?:{_YEAR}|(?P<rel>this|last|next)\s+year)",
    # the third quarter / third-quarter / the fiscal first quarter / the first half
    "quarter": rf"(?:the\s+)?(?:fiscal[\s-]+)?{_ORD}[- ](?P<period>quarter|half)",
    # the quarter / the latest quarter / the current quarter / last quarter
    "quarter-rel": r"(?:the\s+)?(?P<rel>latest|current|previous|past|last|next|coming|same|this|that)\s+quarter"
    r"|the\s+quarter|the\s+(?P<rel>latest|same)\s+period"
    rf"|the\s+{_YEAR}\s+(?:{_ORD}\s+)?(?:quarter|period)",
    # fiscal 1989 / the fiscal year / the current fiscal year
    "fiscal": rf"fiscal\s+(?:year\s+)?{_YEAR}|(?:the\s+)?(?P<rel>current|this|last|next|past|previous|latest)?\s*fiscal\s+year",
    # the late 1970s / the 1990s / early 1990s / 1980s
    "decade": r"(?:(?P<edge>early|mid-?|late)[\s-]*)?(?P<dec>1[5-9]\d|20\d)0['’]?s\b",
    # the 20th century / this century
    "century": r"(?:the\s+)?(?P<cent>1\d|2[01])(?:st|nd|rd|th)\s+century|(?P<rel>this|last|next)\s+century",
    # mid-1996 / the end of 1990 / early 1998
    "edge-year": rf"{_EDGE}\s*{_YEAR}|(?:pre|post)-{_YEAR}",
    # two days ago / a year earlier / almost four years ago / six weeks later
    "ago": rf"(?:(?:about|almost|nearly|some|more\s+than|less\s+than|roughly|just|only)\s+)?"
    rf"{_NUM}[\s-]+{_UNIT}(?:\s+or\s+so)?\s+(?P<dir>ago|earlier|later|from\s+now|hence)",
    "vague-ago": r"(?:a\s+few|several|many|some)\s+(?P<unit>day|week|month|year|decade)s\s+(?P<dir>ago|earlier)",
    # the day before yesterday
    "day-before": r"the\s+day\s+(?P<dir>before\s+yesterday|after\s+tomorrow)",
    # earlier this month / later this week / early next year / the end of this week
    "edge-rel": rf"{_EDGE}\s+(?:in\s+)?(?:(?P<rel>this|last|next)\s+|the\s+)(?P<unit>week|month|year|weekend)",
    # year-end / by year's end / the full year / for the year
    "year-end": r"(?:around\s+)?year[- ]end|year['’]s\s+end|the\s+(?P<full>full|entire|whole)\s+year"
    r"|(?<=\b(?:for|of|during|through|throughout)\s+)the\s+year"
    r"(?!\s+(?:before|after|earlier|ago|later|two|nineteen|eighteen|\d))",
    # this week / last month / next year / the past year / this weekend / the last decade
    "rel-unit": rf"(?:the\s+)?{_REL}\s+(?P<unit>week|month|year|decade|weekend)",
    # the weekend
    "the-weekend": r"the\s+weekend",
    # this summer / last fall / the winter of 1994 / summer 1996
    "season": rf"(?:(?P<rel>this|last|next|this\s+past|this\s+coming)\s+)?(?:{_EDGE}\s+)?(?:the\s+)?"
    rf"(?P<season>spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?(?:{_YEAR}|{_WYEAR}))?",
    # Thanksgiving Day / Christmas / New Year's Day / Easter / Election Day
    "holiday": r"(?P<hol>thanksgiving(?:\s+day)?|christmas(?:\s+day|\s+eve)?|new\s+year['’]s(?:\s+day|\s+eve)|"
    r"easter(?:\s+sunday)?|election\s+day|independence\s+day|labor\s+day|memorial\s+day|halloween)"
    # Easter week / Thanksgiving weekend: the week (weekend) of the day
    r"(?:\s+(?P<hweek>week(?:end)?)(?![\w-]|['’]\w\w))?",
    # last Friday / next Tuesday / this Monday
    "rel-weekday": rf"(?P<rel>last|next|this|this\s+past|this\s+coming|coming|past"
    rf"|the\s+(?:previous|preceding|following))\s+{_WD}{_PART}",
    # earlier that day / later that year / that same day / the next day / the following month
    "anaphoric": r"(?:(?P<edge>earlier|later)\s+)?(?:that\s+(?:same\s+)?|the\s+same\s+)"
    r"(?P<unit>day|week|month|year|morning|afternoon|evening|night)"
    r"|(?:the\s+)?(?P<next>next|following|previous|preceding)\s+"
    r"(?P<unit>day|week|month|year|morning|afternoon|evening|night)",
    # today / yesterday / tomorrow / tonight / late yesterday / earlier today
    "deictic": r"(?:(?P<edge>earlier|later|late|early)\s+)?(?P<deic>today|tonight|yesterday|tomorrow)"
    r"|(?P<edge>earlier|later)\s+in\s+the\s+(?P<deic>day)",
    # Monday / Friday morning / Wednesday night
    "weekday": rf"{_CLOCK}{_WD}{_PART}",
    # in January / last November / early December / mid-November
    "month": rf"(?:(?P<rel>last|next|this)\s+|{_EDGE}[\s-]*)?{_MON_FULL}",
    # nineteen ninety-six / the year two thousand / the nineties
    "word-year": r"(?:the\s+year\s+)?(?P<wy>two\s+thousand(?:\s+and\s+(?P<wyo>one|two|three|four|five|six|seven|eight|nine|ten))?)(?![\s-]+(?:years?|people|troops|soldiers|workers|dollars|miles|kilometers|times|men|women|jobs|members))"
    rf"|{_WYEAR}"
    r"|the\s+(?P<wd10>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)",
    # 1998 (a year alone)
    "year": rf"{_YEAR}",
    # now / currently / recently / the past / the future
    "ref": r"(?P<present>right\s+now|now|currently|current|nowadays|presently|at\s+present|these\s+days)"
    r"|(?P<pastref>recently|recent\s+years|the\s+past(?!\s+(?:[\w-]+\s+)?(?:years?|months?|weeks?|days?"
    r"|decades?|centur(?:y|ies)|summers?|winters?|quarters?|hours?|sessions?)\b))"
    r"|(?P<futref>the\s+(?:(?:near|distant|foreseeable|immediate)\s+)?future|future"
    r"|as\s+soon\s+as\s+possible|a\s+later\s+date"
    # in the short term / in coming months
    r"|the\s+(?:near|short)\s+term|(?:the\s+)?coming\s+(?:days|weeks|months|quarters|years))",
}


_FLAGS = regex.IGNORECASE | regex.VERSION0
_GROUP_NAMES = tuple(
    regex.compile(
        _B + "(?:" + "|".join(f"(?:{body})" for body in _RULES.values()) + ")", _FLAGS
    ).groupindex
)


class _Grammar:
    """The rules that can start with one word, as one pattern tried in ``_RULES`` order.

    The scan tries the grammar only where a start word begins, so only the rules that
    can begin with that word are needed there: the first of them that matches is the
    first of all the rules that matches (the others cannot match there). Every group
    name of the whole grammar exists in each (unused ones never take part).
    """

    __slots__ = ("groups", "pattern", "starts")

    def __init__(self, names: tuple[str, ...], have: Collection[str] | None = None) -> None:
        """``have``: the group names the rules ``names`` hold (found here if not given)."""
        alts = [f"(?P<r_{name.replace('-', '_')}>{_RULES[name]})" for name in names]
        if have is None:
            have = regex.compile("|".join(alts), _FLAGS).groupindex if alts else {}
        missing = "".join(f"(?P<{g}>)" for g in _GROUP_NAMES if g not in have)
        alts.append("(?!)" + missing)  # never matches: the other rules' group names
        self.pattern = regex.compile(_B + "(?:" + "|".join(alts) + ")" + _E, _FLAGS)
        self.groups = tuple(
            (self.pattern.groupindex[f"r_{name.replace('-', '_')}"], name) for name in names
        )
        self.starts = [index for index, _name in self.groups]  # ascending

    def rule_of(self, m: regex.Match[str]) -> str:
        """The rule of a match of ``pattern``."""
        # A guess first: the rule whose groups hold m.lastindex (a group name used by
        # several rules numbers one group, so the guess can be wrong). Exactly one rule
        # group takes part in a match, so a guessed rule group that took part is it.
        if m.lastindex is not None:
            k = bisect.bisect_right(self.starts, m.lastindex) - 1
            if k >= 0 and m.start(self.starts[k]) >= 0:
                return self.groups[k][1]
        for index, name in self.groups:
            if m.start(index) >= 0:
                return name
        raise AssertionError(m)  # pragma: no cover - every match is one rule's


class Grammars:
    """The grammars of the rules an expression can begin with, built on first use and
    kept.

    A grammar is a pure function of the packaged rules (compiled constants, like the
    module's other patterns, only built lazily): a filled cache gives what building it
    again gives. The scan asks for the grammar of the head of each place it tries (a
    word and the first characters after it, see ``for_head``): mostly one or two
    rules, compiled once per combination of rules (a few dozen combinations), so a
    match tries few alternatives. Every date step of a process shares
    :data:`GRAMMARS`, so a step compiled per call (``anchor_dates(text, config=...)``)
    does not build them again; pass your own to ``find_dates`` to keep them apart. It
    pickles empty (a new process fills its own).
    """

    __slots__ = ("_by_head", "_by_names", "_by_word", "_names_by_word", "_single")

    def __init__(self) -> None:
        self._single: dict[str, regex.Pattern[str]] = {}
        self._by_names: dict[tuple[str, ...], _Grammar] = {}
        self._by_word: dict[str, _Grammar] = {}
        self._names_by_word: dict[str, tuple[str, ...]] = {}
        self._by_head: dict[str, _Grammar] = {}

    def __reduce__(self) -> tuple[type[Grammars], tuple[()]]:
        return (Grammars, ())

    def for_word(self, word: str) -> _Grammar:
        """The grammar of the rules that can begin with ``word`` (lower case; "0" for
        a digit): see ``names_for_word``."""
        grammar = self._by_word.get(word)
        if grammar is None:
            grammar = self._by_word[word] = self._grammar(self.names_for_word(word))
        return grammar

    def names_for_word(self, word: str) -> tuple[str, ...]:
        """The rules that can begin with ``word`` (lower case; "0" for a digit), in
        ``_RULES`` order.

        A rule can begin with it when the rule partially matches the word (``regex``'s
        ``partial=True``: the word is the start of a possible match), after "for " (the
        look-behind of "for the year").
        """
        names = self._names_by_word.get(word)
        if names is None:
            tries = [str(d) for d in range(10)] if word == "0" else [word]
            names = self._names_by_word[word] = tuple(
                name
                for name in _RULES
                if any(self._rule(name).match("for " + w, 4, partial=True) for w in tries)
            )
        return names

    def for_head(self, head: str, word: str) -> _Grammar:
        """The grammar of the rules that can begin with ``head``: the start of a text at a
        word start, lower case and ASCII (what ``_HEAD_ASCII`` takes: a word or a number,
        then a space and the first letters or digits after it, or the character after
        it); ``word`` is its ``for_word`` key.

        A rule can begin with it when it is one of the word's rules and partially matches
        ``head`` after "for " (as in ``names_for_word``), in upper case: the rules ignore
        case except the time zones of ``_CLOCK`` (upper case only). At most
        ``_HEAD_LIMIT`` heads are kept; past that the word's grammar serves (the same
        first match, only slower).
        """
        grammar = self._by_head.get(head)
        if grammar is None:
            if len(self._by_head) >= _HEAD_LIMIT:
                return self.for_word(word)
            probe = "for " + head.upper()
            names = tuple(
                name
                for name in self.names_for_word(word)
                if self._rule(name).match(probe, 4, partial=True)
            )
            grammar = self._by_head[head] = self._grammar(names)
        return grammar

    def build_all(self) -> None:
        """Build the grammar of every start word now (for timing work without most of
        the one-time compiles, as the fuzzing harness does; the grammars of heads are
        still built as they are met)."""
        for word in [*_START_WORDS, "0"]:
            self.for_word(word.lower())

    def _grammar(self, names: tuple[str, ...]) -> _Grammar:
        grammar = self._by_names.get(names)
        if grammar is None:
            have = {group for name in names for group in self._rule(name).groupindex}
            grammar = self._by_names[names] = _Grammar(names, have)
        return grammar

    def _rule(self, name: str) -> regex.Pattern[str]:
        pattern = self._single.get(name)
        if pattern is None:
            pattern = self._single[name] = regex.compile(_B + "(?:" + _RULES[name] + ")", _FLAGS)
        return pattern


GRAMMARS = Grammars()
"""The grammars every date step of this process shares (see :class:`Grammars`)."""


def _trie(words: list[str]) -> str:
    """A regex alternation of ``words`` factored by common prefixes (fast to scan)."""
    tree: dict[str, dict[str, object]] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})  # type: ignore[assignment]
        node[""] = {}

    def emit(node: dict[str, dict[str, object]]) -> str:
        alts = [regex.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]  # type: ignore[arg-type]
        if not alts:
            return ""
        body = "(?:" + "|".join(alts) + ")"
        return body + "?" if "" in node else body

    return emit(tree)


# Every expression holds one of these words within its first few words: the scan looks
# for them (one fast pass), then tries the grammar only at the word starts just before.
_TRIGGER_WORDS = _WORDS["trigger_words"]
TRIGGER = regex.compile(
    r"\b(?:\d{4}(?:['’]?s)?|" + _trie(_TRIGGER_WORDS) + r")(?![\w])", regex.IGNORECASE
)
# The words an expression can start with (and digits): the grammar is tried only there.
_START_WORDS = _WORDS["start_words"]
_WORD_START = regex.compile(
    r"(?<![\w'’-])(?:\d|(?:" + _trie(_START_WORDS) + r")(?![\w]))", regex.IGNORECASE
)
_LOOKBACK = 32  # no expression starts further than this before its first trigger word
_DIGITS = frozenset("0123456789")  # a word start on the proxy is a start word or a digit
_ARTICLES = frozenset({"the", "a", "an"})
# Every word a rule can hold (a superset: the letters of the rules' source, without
# escapes and group names). No rule takes any other word after "the" or "a" (no rule
# consumes a \w or a dot), so the grammar need not be tried at "the company".
_GRAMMAR_WORDS = frozenset(
    word
    for body in _RULES.values()
    for word in re.findall(r"[a-z]+", re.sub(r"\\[a-zA-Z]|\?P<\w+>|\(\?-?i:", " ", body))
)

# --- the ASCII proxy -----------------------------------------------------------------------
#
# TRIGGER, _WORD_START and _WORD look at characters only through a few classes: \w, \d,
# the apostrophes ' and ’, the hyphen, and letters compared case-insensitively with the
# ASCII letters of the word lists. The proxy of a text puts an ASCII character of the same
# classes in place of every non-ASCII one (same length, same offsets) and is lower-cased
# (ASCII lower-casing keeps each class), so the standard library's ``re`` with
# case-sensitive lower-case patterns (several times faster here) finds on the proxy
# exactly the spans ``regex`` finds on the text. ``tests/test_dates_speed.py`` checks
# the patterns agree.

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")
_CASE_TWINS = {"İ": "i", "ſ": "s", "\u212a": "k"}
"""The only non-ASCII characters that case-insensitive ``regex`` matches with an ASCII
letter (the test scans every code point)."""
_ANY_W = regex.compile(r"\w")
_ANY_D = regex.compile(r"\d")


_FIXED_PROXY = {**_CASE_TWINS, "’": "'"}
_FIXED_PROXY_CHARS = regex.compile("[" + "".join(_FIXED_PROXY) + "]")


def _fixed_proxy(m: regex.Match[str]) -> str:
    return _FIXED_PROXY[m.group()]


_NON_ASCII_DIGIT = regex.compile(r"(?![0-9])\d")
_NON_ASCII_NON_WORD = regex.compile(r"[^\w\x00-\x7f]")


def _proxy_char(char: str) -> str:
    """The ASCII stand-in of a non-ASCII character: same classes for the scan patterns."""
    twin = _CASE_TWINS.get(char)
    if twin is not None:
        return twin
    if char == "’":
        return "'"  # an apostrophe, like ’, and no word character
    if _ANY_D.match(char):
        return "0"
    if _ANY_W.match(char):
        return "_"  # a word character that is no letter or digit
    return " "  # neither word character nor apostrophe nor hyphen


def ascii_proxy(text: str) -> str:
    """``text`` lower-cased, each non-ASCII character replaced by its ASCII stand-in.

    >>> ascii_proxy("Mañana’s 2019 ٢٠١٩ — \\u212a")  # the last one is the Kelvin sign
    "ma_ana's 2019 0000   k"
    """
    if not text.isascii():
        # Few non-ASCII characters (curly quotes, accents): one replace per distinct one.
        # Many (a byte count bounds how many): four passes over the text, each linear.
        # (Which way is taken changes only the time, never the proxy.)
        chars: set[str] = set()
        if len(text.encode("utf-8", "surrogatepass")) - len(text) <= 4096:
            chars = set(_ASCII_RUNS.sub("", text))  # (a list of them costs more)
        elif sum(1 for char in set(text[:65536]) if char > "\x7f") <= 32:
            chars = {char for char in set(text) if char > "\x7f"}
        if chars and len(chars) <= 32:
            for char in chars:
                text = text.replace(char, _proxy_char(char))
        else:
            text = _FIXED_PROXY_CHARS.sub(_fixed_proxy, text)
            text = _NON_ASCII_DIGIT.sub("0", text)
            text = _NON_ASCII_NON_WORD.sub(" ", text)
            text = _NON_ASCII.sub("_", text)  # what is left is a word character
    return text.lower()


# The scan patterns for the proxy (ASCII classes, lower case; ’ is ' there).
_LOWER_TRIGGERS = _trie([w.lower() for w in _TRIGGER_WORDS])
_LOWER_STARTS = _trie([w.lower() for w in _START_WORDS])
TRIGGER_ASCII = re.compile(r"\b(?:\d{4}(?:'?s)?|" + _LOWER_TRIGGERS + r")(?!\w)", re.ASCII)
# The same words, each with the character before it: a non-word character the scan can
# look for in C before trying the words (about a fifth of the positions, not all).
_AFTER_NON_WORD = re.compile(r"\W(?:\d{4}(?:'?s)?|" + _LOWER_TRIGGERS + r")(?!\w)", re.ASCII)


def trigger_spans(proxy: str) -> Iterator[tuple[int, int]]:
    """The spans of ``TRIGGER_ASCII.finditer(proxy)``, found faster (and as lazily).

    A trigger starts with a word character after a non-word one (or at the start), and
    ends with a word character: the non-word character before each trigger is never
    part of the one before it, so the matches of ``_AFTER_NON_WORD`` are the triggers
    after the first character, each with that character in front.

    >>> list(trigger_spans("monday, 1998 and may"))
    [(0, 6), (8, 12), (17, 20)]
    """
    head = TRIGGER_ASCII.match(proxy)
    if head is not None:
        yield head.span()
    for m in _AFTER_NON_WORD.finditer(proxy):
        yield m.start() + 1, m.end()


# The head of a possible expression at a word start, on the proxy: a word (or a number of
# up to four digits), then one space and up to four letters of the next word (or up to
# four digits of the next number and the character after them), or the character after
# it. Only an ASCII head is used (the proxy is the text in lower case there); a grammar
# is kept per head, up to _HEAD_LIMIT of them (the word's grammar serves the others).
_HEAD_ASCII = re.compile(
    r"[a-z]+(?: (?:[a-z]{1,4}|[0-9]{1,4}[^0-9]?)?|[^a-z0-9 ])"
    r"|[0-9]{1,4}(?: (?:[a-z]{1,4}|[0-9])?|[^0-9 ])",
    re.ASCII,
)
_HEAD_LIMIT = 4096
_WORD_START_ASCII = re.compile(r"(?<![\w'-])(?:\d|(?:" + _LOWER_STARTS + r")(?!\w))", re.ASCII)
_WORD_ASCII = re.compile(r"[\w']+", re.ASCII)

# --- tense ---------------------------------------------------------------------------------

# Tense cues, looked up word by word (a dict lookup per word beats one large pattern).
_FUTURE_WORDS = frozenset(_WORDS["future_words"])
_BEFORE_TO = frozenset(_WORDS["future_before_to"])
_INFINITIVES = frozenset(_WORDS["infinitives"])
_PAST_WORDS = frozenset(_WORDS["past_words"])
_NOT_PAST_ED = frozenset(_WORDS["not_past_ed"])
_BEFORE_ADJECTIVE = frozenset(
    ["a", "an", "the", "its", "their", "his", "her", "our", "this", "that", "still", "newly"]
)
_WORD = regex.compile(r"[\w'’]+")


def _is_past(word: str, raw: str, nxt: str) -> bool:
    """A past form: a listed one, "has"/"have" (not "have to"), or a lower-case -ed word."""
    if word in _PAST_WORDS:
        return True
    if word in ("has", "have"):
        return nxt != "to"
    return (
        len(word) >= 5
        and word.endswith("ed")
        and raw.islower()
        and word not in _NOT_PAST_ED
        and "'" not in word
    )


_WORDCHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_'")  # [\w'] on the proxy
# Every word that can be a cue (or start one) on the proxy: the cue loop looks only at
# these (a superset: each is checked again on the text's own word).
_CUE_CANDIDATE = re.compile(
    r"(?<![\w'])(?:[\w']*'ll|'s|[\w']+ed|"
    + _trie(
        sorted(
            _FUTURE_WORDS
            | _BEFORE_TO
            | _PAST_WORDS
            | {"will", "shall", "would", "won't", "might", "may", "should", "must", "to"}
            | {"is", "are", "was", "were", "has", "have"}
        )
    )
    + r")(?![\w'])",
    re.ASCII,
)
_WORD_REST = re.compile(r"[\w']*", re.ASCII)
_CUE_BODY = re.compile(_CUE_CANDIDATE.pattern.removeprefix(r"(?<![\w'])"), re.ASCII)


class Candidates:
    """The candidate cue words of one text, scanned once over the windows asked for.

    Windows come in text order, overlapping: the scanned stretch grows to cover each new
    one (or starts again where a window lies beyond it), so a text is scanned about once
    however many expressions it holds.
    """

    __slots__ = ("hi", "lo", "proxy", "spans", "starts")

    def __init__(self, proxy: str) -> None:
        self.proxy = proxy
        self.lo = self.hi = 0
        self.starts: list[int] = []
        self.spans: list[tuple[int, int]] = []

    def within(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The candidates that are whole words of ``proxy[lo:hi]`` (``lo`` a word start)."""
        if lo >= hi:
            return []
        a = lo  # a word start or end (never inside a word): see _cues
        b = hi
        if 0 < hi < len(self.proxy) and self.proxy[hi - 1] in _WORDCHARS:
            rest = _WORD_REST.match(self.proxy, hi)  # always matches (maybe empty)
            assert rest is not None
            b = rest.end()  # the end of the word hi falls in
        if not (self.lo <= a and b <= self.hi):
            if self.lo <= a <= self.hi:
                a = self.hi
            else:
                self.lo = self.hi = a
                self.starts, self.spans = [], []
            if b > a:
                new = [c.span() for c in _CUE_CANDIDATE.finditer(self.proxy, a, b)]
                self.spans += new
                self.starts += [span[0] for span in new]
                self.hi = b
        i = bisect.bisect_left(self.starts, lo)
        j = bisect.bisect_left(self.starts, hi)
        out = [span for span in self.spans[i:j] if span[1] <= hi]
        # a word cut by hi is a word of the window up to hi
        proxy = self.proxy
        if hi < len(proxy) and proxy[hi - 1] in _WORDCHARS and proxy[hi] in _WORDCHARS:
            ts = hi - 1
            while ts > lo and proxy[ts - 1] in _WORDCHARS:
                ts -= 1
            cut = _CUE_BODY.fullmatch(proxy, ts, hi)  # ts is a word start (or lo)
            if cut is not None:
                out.append(cut.span())
        return out


def _cues(
    text: str,
    lo: int,
    hi: int,
    proxy: str,
    *,
    stop: int | None = None,
    candidates: Candidates | None = None,
) -> list[tuple[int, int, str]]:
    r"""The tense cues of ``text[lo:hi]``: (start, end, "future" | "past" | "inf");
    ``proxy``: ``ascii_proxy(text)``. With ``stop``, the list ends with the first cue
    other than "inf" that starts at or after ``stop``.

    The words of the window are the spans of ``[\w']+`` in ``proxy[lo:hi]`` (the text's
    words, cut at the window's edges); a cue may look at the word before it and the two
    after it in the window, and "will be held" makes the words it covers no cues. Only the
    candidate words (``_CUE_CANDIDATE``, a superset) are looked at, one by one in text
    order, so a window costs one scan in C and a few steps per candidate.
    """
    out: list[tuple[int, int, str]] = []
    skip_to = lo  # words starting before this are covered by an earlier cue
    cands: list[tuple[int, int]] = []
    if 0 < lo < hi and proxy[lo - 1] in _WORDCHARS and proxy[lo] in _WORDCHARS:
        # the window starts inside a word: its first word is the rest of that one
        head = _WORD_ASCII.match(proxy, lo, hi)
        assert head is not None
        body = _CUE_BODY.fullmatch(proxy, lo, head.end())
        if body is not None:
            cands.append(body.span())
        scan_from = head.end()
    else:
        scan_from = lo
    if candidates is None:
        cands.extend(c.span() for c in _CUE_CANDIDATE.finditer(proxy, scan_from, hi))
    else:
        cands.extend(candidates.within(scan_from, hi))
    for cs, ce in cands:
        if cs < skip_to:
            continue
        raw = text[cs:ce]
        word = raw.lower()
        if "’" in word:
            word = word.replace("’", "'")
        after = _WORD_ASCII.search(proxy, ce, hi)
        nxt = text[after.start() : after.end()].lower() if after is not None else ""
        after2 = _WORD_ASCII.search(proxy, after.end(), hi) if after is not None else None
        nxt2 = text[after2.start() : after2.end()].lower() if after2 is not None else None
        skip = 0
        kind = ""
        if word.endswith("'ll") or word in ("will", "shall", "would", "won't"):
            if word == "would" and nxt == "have":
                kind = "past"
            else:
                kind = "future"
                k, at_k = 1, nxt if after is not None else None
                if at_k in ("not", "still", "also", "now", "probably"):
                    k, at_k = 2, nxt2
                if at_k in ("be", "have"):
                    skip = k + 2  # "will be held": "held" is no past
        elif word in ("might", "may", "should", "must"):
            if raw != "May" and nxt not in ("have", "not"):
                kind = "future"
        elif word == "to" and nxt == "be":
            kind, skip = "future", 3
        elif word == "to" and nxt in _INFINITIVES:
            kind = "inf"
        elif word in ("is", "are", "was", "were", "'s") and nxt in _BEFORE_TO and nxt2 == "to":
            kind, skip = "future", 3  # "were planning to", "is set to"
        elif word in _BEFORE_TO and nxt == "to":
            kind = "future"
            if nxt2 == "be":
                skip = 4
        elif word in _FUTURE_WORDS:
            kind = "future"
        elif _is_past(word, raw, nxt) and not (
            word.endswith("ed") and _word_before(text, proxy, lo, cs) in _BEFORE_ADJECTIVE
        ):
            kind = "past"  # but "a still unspecified date", "the increased dividend" are no verbs
        if kind:
            out.append((cs, ce, kind))
            if stop is not None and kind != "inf" and cs >= stop:
                break
        if skip > 1:  # the words up to the skip-th one from this are covered
            end = ce
            for _ in range(skip - 1):
                w = _WORD_ASCII.search(proxy, end, hi)
                if w is None:
                    end = hi
                    break
                end = w.end()
            skip_to = end
    return out


def _word_before(text: str, proxy: str, lo: int, at: int) -> str:
    """The window's word before position ``at`` (lower case), or "" if it is the first."""
    j = at
    while j > lo and proxy[j - 1] not in _WORDCHARS:
        j -= 1
    k = j
    while k > lo and proxy[k - 1] in _WORDCHARS:
        k -= 1
    return text[k:j].lower()


_DEADLINE = regex.compile(
    r"(?<![\w-])(?:by|(?-i:until)|as\s+soon\s+as|ahead\s+of|in\s+time\s+for)\s+"
    r"(?:(?:\d{1,2}(?::\d\d)?\s*(?:a\.m\.|p\.m\.|am|pm)?|noon|midnight)\s+(?:[A-Z]{2,4}\s+)?)?$",
    regex.IGNORECASE,
)
_QUOTE = regex.compile(r"[\"“”]|``|''")
_SINCE = regex.compile(r"(?<![\w-])since\s+$", regex.IGNORECASE)
_HAD = regex.compile(r"(?<![\w-])had(?![\w-])", regex.IGNORECASE)
# A full stop before a capital ends a sentence, except after a title or an initial ("Mr.
# Smith", "John F. Kennedy") and in "a.m."/"p.m." ("4 a.m. EDT Thursday").
_SENTENCE_END = regex.compile(
    r"(?<!(?<![\w.])(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|Prof|St|vs|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|[A-Z])"
    r"|(?<![\w.])[ap]\.m)[.!?][\"'”’)]*\s+(?=[\"'“‘(]*[A-Z0-9])|\n"
)


def _holds(text: str, lo: int, hi: int, needles: tuple[str, ...]) -> bool:
    """Whether ``text[lo:hi]`` holds any of ``needles`` (a quick test before a pattern)."""
    find = text.find
    for needle in needles:  # noqa: SIM110 - a loop: no generator per call (hot path)
        if find(needle, lo, hi) >= 0:
            return True
    return False


_STOPS = (".", "!", "?", "\n")  # a sentence end holds one of these
_QUOTE_MARKS = ('"', "“", "”", "``", "''")
_DEADLINE_WORDS = ("by", "until", "soon", "ahead", "time")  # on the (lower-case) proxy


def tense_at(
    text: str,
    start: int,
    end: int,
    *,
    window: int = 160,
    proxy: str | None = None,
    candidates: Candidates | None = None,
) -> str | None:
    """The tense nearest to ``text[start:end]`` within its sentence: "past", "future" or None.

    ``proxy``: ``ascii_proxy(text)`` if the caller has it; ``candidates``: the text's
    :class:`Candidates` if the caller keeps one (then a text costs about one scan).
    """
    if proxy is None:
        proxy = ascii_proxy(text)
    lo = max(0, start - window)
    if _holds(proxy, lo, start, _STOPS):
        left = text[lo:start]
        cut = None
        for m in _SENTENCE_END.finditer(left):
            cut = m.end()
        if cut is not None:
            lo += cut
    hi = min(len(text), end + window)
    if _holds(proxy, end, hi, _STOPS):
        m_end = _SENTENCE_END.search(text, end, hi)
        if m_end is not None:
            hi = m_end.start() + 1
    # a quotation is its own clause: "... this summer,'' said Rice" takes no tense from "said"
    if _holds(text, lo, start, _QUOTE_MARKS):
        for q in _QUOTE.finditer(text, lo, start):
            lo = q.end()
    if _holds(text, end, hi, _QUOTE_MARKS):
        q_end = _QUOTE.search(text, end, hi)
        if q_end is not None:
            hi = q_end.start()
    if proxy.find("since", max(0, start - 8), start) >= 0 and _SINCE.search(
        text, max(0, start - 8), start
    ):
        return "past"  # "since March"
    near = max(0, start - 40)
    if (
        _holds(proxy, near, start, _DEADLINE_WORDS)
        and _DEADLINE.search(text, near, start)
        and not _HAD.search(text, max(lo, start - 60), start)
    ):
        return "future"  # "by Friday", "until Jan. 14" (but "had filed reports by Friday")
    best: tuple[float, str] | None = None
    # Cues come in text order: after the first one past the expression that counts, every
    # later one is further away, so the search for the nearest stops there.
    for cs, ce, kind in _cues(text, lo, hi, proxy, stop=end, candidates=candidates):
        if cs < end and ce > start:
            continue  # inside the expression itself
        if cs >= end and kind == "inf":
            continue  # "fell on Friday to close at $20": a purpose clause, not the tense
        dist = start - ce if ce <= start else (cs - end) * 1.5
        if best is None or dist < best[0]:
            best = (dist, "past" if kind == "past" else "future")
    return best[1] if best else None


# --- values --------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Options:
    """What the resolver needs from :class:`newsnorm.dates.DateConfig`."""

    same_weekday: str = "publication"
    default_tense: str = "past"
    refs: bool = True
    max_dates: int | None = None


@attrs.frozen(kw_only=True)
class Found:
    """One date expression: span in the text, value, interval, rule, and whether it is relative."""

    start: int
    end: int
    value: str
    start_date: dt.date | None
    end_date: dt.date | None
    rule: str
    relative: bool
    grain: str


# The steps taken most often, as plain day counts (what ``relativedelta(days=+1,
# weekday=WD(+1))``, ``relativedelta(days=-1, weekday=WD(-1))`` and
# ``relativedelta(months=1, days=-1)`` give, raising as they raise off the calendar,
# without building and normalising a relativedelta on every call; the tests compare them).
_ONE_DAY = dt.timedelta(days=1)


def _next_weekday(d: dt.date, wd: int) -> dt.date:
    """The first weekday ``wd`` (0 = Monday) after ``d``."""
    return d + dt.timedelta(days=(wd - d.weekday() - 1) % 7 + 1)


def _previous_weekday(d: dt.date, wd: int) -> dt.date:
    """The last weekday ``wd`` (0 = Monday) before ``d``."""
    return d - dt.timedelta(days=(d.weekday() - wd - 1) % 7 + 1)


def _last_day(year: int, month: int) -> dt.date:
    """The last day of a month (``ValueError`` off the calendar, as the first day gives)."""
    dt.date(year, month, 1)  # ValueError off the calendar (year 0, month 13)
    if month == 12:
        return dt.date(year + 1, 1, 1) - _ONE_DAY  # (ValueError in 9999, as relativedelta)
    return dt.date(year, month + 1, 1) - _ONE_DAY


def day_value(d: dt.date) -> tuple[str, dt.date, dt.date, str]:
    return d.isoformat(), d, d, "day"


def week_value(d: dt.date) -> tuple[str, dt.date, dt.date, str]:
    iso = d.isocalendar()
    monday = d - dt.timedelta(days=d.weekday())
    return f"{iso.year}-W{iso.week:02d}", monday, monday + dt.timedelta(days=6), "week"


def weekend_value(d: dt.date) -> tuple[str, dt.date, dt.date, str]:
    value, monday, _sunday, _ = week_value(d)
    return f"{value}-WE", monday + dt.timedelta(days=5), monday + dt.timedelta(days=6), "week"


def month_value(year: int, month: int) -> tuple[str, dt.date, dt.date, str]:
    return f"{year:04d}-{month:02d}", dt.date(year, month, 1), _last_day(year, month), "month"


def quarter_value(year: int, q: int) -> tuple[str, dt.date, dt.date, str]:
    first = 3 * (q - 1) + 1
    return f"{year:04d}-Q{q}", dt.date(year, first, 1), _last_day(year, first + 2), "quarter"


def half_value(year: int, h: int) -> tuple[str, dt.date, dt.date, str]:
    first = 6 * (h - 1) + 1
    return f"{year:04d}-H{h}", dt.date(year, first, 1), _last_day(year, first + 5), "half"


def year_value(year: int) -> tuple[str, dt.date, dt.date, str]:
    return f"{year:04d}", dt.date(year, 1, 1), dt.date(year, 12, 31), "year"


def season_value(year: int, code: str) -> tuple[str, dt.date, dt.date, str]:
    first, last = _SEASON_MONTHS[code]
    end_year = year + 1 if code == "WI" else year
    return f"{year:04d}-{code}", dt.date(year, first, 1), _last_day(end_year, last), "season"


def decade_value(dec: int) -> tuple[str, dt.date, dt.date, str]:
    return f"{dec:03d}", dt.date(dec * 10, 1, 1), dt.date(dec * 10 + 9, 12, 31), "decade"


def century_value(cent: int) -> tuple[str, dt.date, dt.date, str]:
    return (
        f"{cent:02d}",
        dt.date(max(1, cent * 100), 1, 1),
        dt.date(cent * 100 + 99, 12, 31),
        "century",
    )


def _quarter_of(d: dt.date) -> int:
    return (d.month - 1) // 3 + 1


def resolve_weekday(pub: dt.date, wd: int, tense: str | None, opts: Options) -> dt.date:
    """A bare weekday: the publication day, else the latest before (past) or next after."""
    if wd == pub.weekday() and opts.same_weekday == "publication":
        return pub
    if (tense or opts.default_tense) == "future":
        return _next_weekday(pub, wd)
    return _previous_weekday(pub, wd)


def _pick(
    candidates: list[dt.date], pub: dt.date, tense: str | None, horizon: int = 280
) -> dt.date:
    """The candidate the tense points to (within ``horizon`` days), else the nearest one.

    Nine months (280 days): "is heard in May" in a March story is this May even though
    "said" is past, and "in January" in an October story is still last January.
    """
    if tense == "past":
        before = [c for c in candidates if c <= pub and (pub - c).days <= horizon]
        if before:
            return max(before)
    elif tense == "future":
        after = [c for c in candidates if c >= pub and (c - pub).days <= horizon]
        if after:
            return min(after)
    return min(candidates, key=lambda c: (abs((c - pub).days), c > pub))


def resolve_month_day(
    pub: dt.date, month: int, day: int, tense: str | None, horizon: int = 280
) -> dt.date | None:
    """A month and day without a year: the nearest plausible year given the tense."""
    candidates = []
    for year in (pub.year - 1, pub.year, pub.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    return _pick(candidates, pub, tense, horizon)


def resolve_month(pub: dt.date, month: int, tense: str | None) -> int:
    """The year of a month named without one."""
    if month == pub.month:
        return pub.year
    years = (pub.year - 1, pub.year, pub.year + 1)
    candidates = [dt.date(y, month, 1) for y in years if dt.MINYEAR <= y <= dt.MAXYEAR]
    this_month = pub.replace(day=1)
    return _pick(candidates, this_month, tense).year


def _holiday(name: str, year: int) -> dt.date | None:
    n = " ".join(name.lower().replace("’", "'").split())
    if n.startswith("thanksgiving"):
        return dt.date(year, 11, 1) + relativedelta(weekday=TH(+4))
    if n.startswith("christmas"):
        return dt.date(year, 12, 24 if n.endswith("eve") else 25)
    if n.startswith("new year"):
        return dt.date(year, 12, 31) if n.endswith("eve") else dt.date(year, 1, 1)
    if n.startswith("easter"):
        return easter(year)
    if n.startswith("election"):
        return dt.date(year, 11, 2) + relativedelta(weekday=TU(+1))
    if n.startswith("independence"):
        return dt.date(year, 7, 4)
    if n.startswith("labor"):
        return dt.date(year, 9, 1) + relativedelta(weekday=MO(+1))
    if n.startswith("memorial"):
        return dt.date(year, 5, 31) + relativedelta(weekday=MO(-1))
    if n.startswith("halloween"):
        return dt.date(year, 10, 31)
    return None


_MAY_BEFORE = regex.compile(
    r"(?:\b(?:in|of|since|until|till|by|during|through|from|to|early|late|mid|last|next|this|and|or"
    r"|before|after|between|throughout|the)[\s-]+)$",
    regex.IGNORECASE,
)
# Rules whose expressions say their own value (a rewrite would only repeat them).
_EXPLICIT = frozenset({"iso", "year", "month-year", "decade", "century", "edge-year", "word-year"})
_EXPLICIT_WITH_YEAR = frozenset({"month-day", "day-month", "season", "fiscal", "quarter-of"})
_REF_ANCHORS = frozenset({"day", "week", "month", "quarter", "half", "year", "season"})

_DAY_AFTER = regex.compile(
    r"\s*(?:and|or|to|through|-|–)\s*(3[01]|[12]\d|0?[1-9])(?=\s*[.,;:!?)]|\s*$)"
)
# "1,989 troops", "2000 percent": a plural noun after a number (but "1989 is", "1989 was")
_NOT_A_YEAR_AFTER = regex.compile(
    r"\s*(?:%|percent|per\s+cent"
    r"|(?!(?:is|was|has|as|its|this|thus|plus|unless|perhaps|across|always|less)\b)"
    r"[a-z]+s\b(?<!years)(?<!'s))"
)
_LOWER_WORD = regex.compile(r"\s+[a-z]")
_POSSESSIVE_BEFORE = regex.compile(r"(?:['’]s|\bits|\btheir|\bhis|\bher|\bour|\bmy|\byour)\s+$")
# A lower-case word after "future" that is not a verb or a function word: "future" is
# then an adjective ("its future strategy"), not the noun ("Elian's future is ...").
_NOUN_AFTER = regex.compile(
    r"\s+(?!(?:is|was|will|would|could|may|might|and|or|but|of|in|on|at|to|from|for|with"
    r"|away|as|has|had|remains|looks|lies|depends|hangs|rests|that|which|now|here|there"
    r"|this|these|next|last|today|tomorrow|too|yet)\b)"
    r"[a-z][a-z-]*\b(?!['’])"
)
_INDEFINITE_BEFORE = regex.compile(r"(?<![\w-])an?\s+$", regex.IGNORECASE)
_NAME_BEFORE = regex.compile(r"(?<![\w-])[A-Z]{2,}\s$")
_POSSESSIVE_AFTER = regex.compile(r"['’]s((?:\s+[a-z]+){1,2})")
_OF_BEFORE = regex.compile(r"(?<![\w-])(?<!as\s)of\s+$", regex.IGNORECASE)
_GENERIC_NOUNS = frozenset(_WORDS["generic_after_today"])
_EACH_BEFORE = regex.compile(r"(?<![\w-])(?:each|every)\s+$", regex.IGNORECASE)
_PLURAL_PART_AFTER = regex.compile(
    r"(?:\s+(?:and|or|through|to)\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day)?"
    r"\s+(?:mornings|afternoons|evenings|nights)(?![\w-])",
    regex.IGNORECASE,
)
_TITLE_BEFORE = regex.compile(r"(?:[\"“]|``)$")
_SPACE_OR_HYPHEN = regex.compile(r"[\s-]+")
_ENDED = regex.compile(
    rf"\s+(?:that\s+)?(?:ended|ending|ends|through)\s+({_MONTH_FULL}|{_MONTH_ABBR})\s*(\d{{1,2}})\b",
    regex.IGNORECASE,
)
_PERIOD_END_BEFORE = regex.compile(
    r"quarter\s+(?:that\s+|which\s+)?(?:ended|ending|ends)\s+$",
    regex.IGNORECASE,
)


def _text_before(text: str, at: int, width: int = 40) -> str:
    """The ``width`` characters before ``at``."""
    return text[max(0, at - width) : at]


_DAY_NEXT_TO = regex.compile(r"(?<![\w-])the\s+day\s+(before|after)\s+$", regex.IGNORECASE)
_AMOUNT_OR_SPAN_AFTER = regex.compile(
    r"\s*(?:[$#£€]|\d|(?:nine|six|three|twelve)\s+months)", regex.IGNORECASE
)
_ENDED_BEFORE = regex.compile(r"(?<![\w-])ended\s+$", regex.IGNORECASE)


def _period_end(pub: dt.date, ended: regex.Match[str]) -> dt.date | None:
    """The date of "ended Sept. 30" (up to a year back) or "ending June 30" (past first)."""
    month = MONTHS[ended.group(1).lower().rstrip(".")]
    over = ended.group().lower().lstrip().startswith(("ended", "that ended"))
    return resolve_month_day(pub, month, int(ended.group(2)), "past", 366 if over else 280)


_YEAR_ENDED = regex.compile(
    r"\s+(?:that\s+|which\s+)?(?:ended|ending|ends|to\s+end)(?![\w-])", regex.IGNORECASE
)
_Value = tuple[str, dt.date | None, dt.date | None, str]


class Resolver:
    """Turns the matches of the grammar into :class:`Found` records for one document."""

    def __init__(
        self, text: str, pub: dt.date, opts: Options, grammars: Grammars | None = None
    ) -> None:
        self.text = text
        self.pub = pub
        self.opts = opts
        self.grammars = GRAMMARS if grammars is None else grammars
        self.ref: Found | None = None  # the last anchored expression (for "that day", ...)
        self.reported: Found | None = None  # the last quarter named that has ended
        self.proxy = ascii_proxy(text)
        self.candidates = Candidates(self.proxy)
        self.truncated = False  # run() stopped at opts.max_dates
        self._weekdays: dict[tuple[int, str | None], dt.date] = {}

    def tense(self, m: regex.Match[str]) -> str | None:
        return tense_at(self.text, m.start(), m.end(), proxy=self.proxy, candidates=self.candidates)

    def run(self) -> list[Found]:
        out: list[Found] = []
        text = self.text
        pos = 0  # everything before pos is done
        failed = -1  # the grammar matches at no word start up to here (it is deterministic)
        proxy = self.proxy
        grammars = self.grammars
        limit = self.opts.max_dates
        all_ascii = text.isascii()
        by_head = grammars._by_head  # (a kept head's grammar without a call)
        # On the proxy, trigger_spans and _WORD_START_ASCII find the spans TRIGGER and
        # _WORD_START find on the text.
        for at, trig_end in trigger_spans(proxy):
            while pos <= at:
                m = None
                lo = max(pos, at - _LOOKBACK, failed + 1)
                grammar = None
                for ws in _WORD_START_ASCII.finditer(proxy, lo, trig_end):
                    start = ws.start()
                    if start > at:
                        break
                    word = ws.group()
                    if word in _ARTICLES and not self._grammar_word_after(ws.end()):
                        failed = start  # "the company": no rule goes on with that word
                        continue
                    head = _HEAD_ASCII.match(proxy, start)
                    if head is not None and (all_ascii or text[start : head.end()].isascii()):
                        got = by_head.get(head.group())
                        grammar = (
                            got
                            if got is not None
                            else grammars.for_head(
                                head.group(), "0" if word[0] in _DIGITS else word
                            )
                        )
                    else:
                        grammar = grammars.for_word("0" if word[0] in _DIGITS else word)
                    if not grammar.groups:
                        failed = start  # no rule can begin with this head
                        continue
                    m = grammar.pattern.match(text, start)
                    if m is not None:
                        break
                    failed = start
                if m is None or grammar is None:
                    break
                pos = m.end()
                found = self._found(m, grammar.rule_of(m))
                if found is not None:
                    found = self._day_next_to(found, out[-1].end if out else 0)
                    out.append(found)
                    second = self._second_day(found)
                    if second is not None:
                        out.append(second)
                        pos = second.end
                    if limit is not None and len(out) > limit:
                        self.truncated = True
                        return out[:limit]
        return out

    def _day_next_to(self, found: Found, after: int) -> Found:
        """ "the day before last Tuesday's hearing": the day next to the one found."""
        if found.grain != "day" or found.start_date is None:
            return found
        lo = max(after, found.start - 20)
        if self.proxy.find("day", lo, found.start) < 0:
            return found  # (the pattern holds "day"; the proxy has it wherever the text does)
        pre = _DAY_NEXT_TO.search(self.text, lo, found.start)
        if pre is None:
            return found
        day = found.start_date + relativedelta(days=-1 if pre.group(1).lower() == "before" else 1)
        value, start_date, end_date, _ = day_value(day)
        # (the story stays at the day named: "the next morning" counts from it)
        return attrs.evolve(
            found, start=pre.start(), value=value, start_date=start_date, end_date=end_date
        )

    def _grammar_word_after(self, at: int) -> bool:
        """Whether the word after ``at`` is a word of the grammar (or a number)."""
        nxt = _WORD_ASCII.search(self.proxy, at)
        if nxt is None:
            return False
        word = nxt.group()
        return word[0] in _DIGITS or word.partition("'")[0] in _GRAMMAR_WORDS

    def _second_day(self, found: Found) -> Found | None:
        """The day after "and" in "April 24 and 25": a date of its own."""
        if found.rule != "dates.month-day" or found.start_date is None:
            return None
        more = _DAY_AFTER.match(self.text, found.end)
        if more is None:
            return None
        try:
            day = found.start_date.replace(day=int(more.group(1)))
        except ValueError:
            return None
        if day <= found.start_date:
            return None
        return attrs.evolve(
            found,
            start=more.start(1),
            end=more.end(1),
            value=day.isoformat(),
            start_date=day,
            end_date=day,
        )

    def _found(self, m: regex.Match[str], rule: str) -> Found | None:
        """The record of one match of ``rule``, or None when its handler rejects it."""
        try:
            got = _HANDLERS[rule](self, m)
        except (ValueError, OverflowError):
            return None  # off the calendar (before year 1 or after 9999)
        except KeyError:
            # A name the grammar matched only through case folding: "ſpring", "Aprİl"
            # (the long s, the dotted capital I) lower-case to no word of the tables.
            return None
        if got is None:
            return None
        value, start_date, end_date, grain = got
        if grain == "day" and m.group("clock"):  # "9 a.m. Monday": that day at that time
            value += _clock_value(m)
        start, end = m.span()
        relative = rule not in _EXPLICIT and not (rule in _EXPLICIT_WITH_YEAR and m.group("year"))
        found = Found(
            start=start,
            end=end,
            value=value,
            start_date=start_date,
            end_date=end_date,
            rule=f"dates.{rule}",
            relative=relative,
            grain=grain,
        )
        if (
            grain in _REF_ANCHORS
            and rule not in ("anaphoric", "ago", "year-ago-period")
            and not (
                grain == "day"
                and self.proxy.find("quarter", max(0, start - 40), start) >= 0
                and _PERIOD_END_BEFORE.search(_text_before(self.text, start))
            )
        ):  # the end date of "the quarter ended Sept. 30" leaves the story at the quarter
            self.ref = found
            if grain == "quarter" and end_date is not None and end_date < self.pub:
                self.reported = found
        return found

    # -- handlers: each returns (value, start_date, end_date, grain) or None to skip ------

    def _iso(self, m: regex.Match[str]) -> _Value | None:
        try:
            d = dt.date(int(m.group("year")), int(m.group("m")), int(m.group("day")))
        except ValueError:
            return None
        return day_value(d)

    def _month_num(self, m: regex.Match[str]) -> int:
        return MONTHS[m.group("mon").lower().rstrip(".")]

    def _month_ok(self, m: regex.Match[str], *, strict: bool) -> bool:
        word = m.group("mon")
        if not word[0].isupper():
            return False
        if strict and word.lower() in ("may", "march") and not word.isupper():
            before = self.text[max(0, m.start("mon") - 20) : m.start("mon")]
            return bool(_MAY_BEFORE.search(before))
        return True

    def _month_day(self, m: regex.Match[str]) -> _Value | None:
        if not self._month_ok(m, strict=False):
            return None
        month, day = self._month_num(m), int(m.group("day"))
        if m.group("year"):
            try:
                return day_value(dt.date(int(m.group("year")), month, day))
            except ValueError:
                return None
        if _ENDED_BEFORE.search(self.text, max(0, m.start() - 12), m.start()):
            # "the quarter ended Oct. 31": a period that is over, up to a year back
            d = resolve_month_day(self.pub, month, day, "past", horizon=366)
        else:
            d = resolve_month_day(self.pub, month, day, self.tense(m))
        return None if d is None else day_value(d)

    _day_month = _month_day

    def _week_of(self, m: regex.Match[str]) -> _Value | None:
        day = self._month_day(m)
        return None if day is None or day[1] is None else week_value(day[1])

    def _month_year(self, m: regex.Match[str]) -> _Value | None:
        if not self._month_ok(m, strict=False):
            return None
        return month_value(_year_of(m), self._month_num(m))

    def _month_rel_year(self, m: regex.Match[str]) -> _Value | None:
        if not self._month_ok(m, strict=False):
            return None
        shift = {"this": 0, "last": -1, "next": 1}[m.group("rel").lower()]
        return month_value(self.pub.year + shift, self._month_num(m))

    def _year_ago_period(self, m: regex.Match[str]) -> _Value | None:
        if m.group("period") is None and _AMOUNT_OR_SPAN_AFTER.match(self.text, m.end()):
            return None  # "the year-earlier $4.5 million", "the year-earlier nine months"
        ref = self.ref
        if ref is not None and ref.grain == "quarter" and ref.start_date is not None:
            reported = self.reported  # a forecast quarter is not the one being compared
            if ref.end_date and ref.end_date >= self.pub and reported and reported.start_date:
                ref = reported
            assert ref.start_date is not None
            return quarter_value(ref.start_date.year - 1, _quarter_of(ref.start_date))
        if m.group("ord"):
            return quarter_value(self.pub.year - 1, ORDINALS[m.group("ord").lower()])
        if m.group("period") and m.group("period").lower() == "quarter":
            last = self.pub + relativedelta(months=-3)
            return quarter_value(last.year - 1, _quarter_of(last))
        return year_value(self.pub.year - 1)

    def _quarter_of(self, m: regex.Match[str]) -> _Value | None:
        if m.group("year"):
            year = int(m.group("year"))
        else:
            year = self.pub.year + {"this": 0, "last": -1, "next": 1}[m.group("rel").lower()]
        if m.group("half"):  # "the last half of 1989", "the first two quarters of 1990"
            return half_value(year, 1 if m.group("half").lower() == "first" else 2)
        return quarter_value(year, ORDINALS[m.group("ord").lower()])

    def _quarter(self, m: regex.Match[str]) -> _Value | None:
        n = ORDINALS[m.group("ord").lower()]
        if m.group("period").lower() == "half":
            if n > 2:
                return None
            year = self.pub.year
            if n > (self.pub.month - 1) // 6 + 1 and self.tense(m) == "past":
                year -= 1
            return half_value(year, n)
        year = self.pub.year
        ended = _ENDED.match(self.text, m.end())
        if ended:  # "the fourth quarter ended Sept. 30": the year of that date
            d = _period_end(self.pub, ended)
            return None if d is None else quarter_value(d.year, n)
        if n > _quarter_of(self.pub) and self.tense(m) == "past":
            year -= 1
        return quarter_value(year, n)

    def _quarter_rel(self, m: regex.Match[str]) -> _Value | None:
        ref = self.ref
        ref_q = (
            _quarter_of(ref.start_date)
            if ref is not None and ref.grain == "quarter" and ref.start_date is not None
            else None
        )
        if m.group("year"):
            q = ORDINALS[m.group("ord").lower()] if m.group("ord") else ref_q
            year = int(m.group("year"))
            if q is None and m.group().lower().endswith("quarter"):
                # "the 1988 quarter" with no quarter named before: the last one ended
                q = _quarter_of(self.pub + relativedelta(months=-3))
            return year_value(year) if q is None else quarter_value(year, q)
        rel = (m.group("rel") or "").lower()
        if (
            rel == "this"
            and ref is not None
            and ref_q is not None
            and ref.start_date
            and (self.pub - ref.start_date).days < 200
        ):
            return quarter_value(ref.start_date.year, ref_q)  # the quarter being reported
        if not rel and self.text[m.start() : m.start() + 3].lower() != "the":
            return None
        if rel in ("same", "that"):
            ref = self.ref
            if ref is not None and ref.grain == "quarter" and ref.start_date is not None:
                return quarter_value(ref.start_date.year, _quarter_of(ref.start_date))
            return None
        if rel in ("current", "this"):
            d = self.pub
        elif rel in {"next", "coming"}:
            d = self.pub + relativedelta(months=3)
        elif rel in ("latest", "previous", "past", "last"):
            d = self.pub + relativedelta(months=-3)
        else:  # "the quarter": the one being reported, else the current one
            ended = _ENDED.match(self.text, m.end())
            if ended:  # "the quarter ended July 31"
                d2 = _period_end(self.pub, ended)
                if d2 is not None:
                    return quarter_value(d2.year, _quarter_of(d2))
            if ref is not None and ref.grain == "quarter" and ref.start_date is not None:
                return quarter_value(ref.start_date.year, _quarter_of(ref.start_date))
            d = self.pub + relativedelta(months=-3) if self.tense(m) == "past" else self.pub
        return quarter_value(d.year, _quarter_of(d))

    def _period_ended(self, m: regex.Match[str]) -> bool:
        """ "the year ended Sept. 30": twelve months up to a date, not a calendar year."""
        return bool(_YEAR_ENDED.match(self.text, m.end()))

    def _fiscal(self, m: regex.Match[str]) -> _Value | None:
        if m.group("year"):
            return year_value(int(m.group("year")))
        if self._period_ended(m) or _INDEFINITE_BEFORE.search(
            self.text, max(0, m.start() - 4), m.start()
        ):
            return None  # "the year ended Sept. 30", "changed from a fiscal year"
        rel = (m.group("rel") or "current").lower()
        # "the latest fiscal year": the last one completed (and reported on)
        shift = {"last": -1, "past": -1, "previous": -1, "latest": -1, "next": 1}.get(rel, 0)
        return year_value(self.pub.year + shift)

    def _decade(self, m: regex.Match[str]) -> _Value | None:
        return decade_value(int(m.group("dec")))

    def _century(self, m: regex.Match[str]) -> _Value | None:
        if m.group("cent"):
            return century_value(int(m.group("cent")) - 1)
        shift = {"this": 0, "last": -1, "next": 1}[m.group("rel").lower()]
        return century_value(self.pub.year // 100 + shift)

    def _edge_year(self, m: regex.Match[str]) -> _Value | None:
        edge = (m.group("edge") or "").lower()
        if edge in ("earlier", "later"):
            return None
        return year_value(int(m.group("year")))

    def _ago(self, m: regex.Match[str]) -> _Value | None:
        word = " ".join(m.group("num").lower().split())
        n = int(word) if word.isdigit() else NUMBERS.get(word)
        if n is None or n > 200:
            return None
        unit = m.group("unit").lower()
        direction = m.group("dir").lower()
        sign = -1 if direction in ("ago", "earlier", "before") else 1
        base = self.pub
        ref = self.ref
        if direction not in ("ago", "from now", "hence") and ref is not None and ref.start_date:
            base = ref.start_date
        if unit == "year" and ref is not None and ref.grain == "quarter" and ref.start_date:
            d = ref.start_date + relativedelta(years=sign * n)  # "net rose from a year earlier"
            return quarter_value(d.year, _quarter_of(d))
        if unit == "day":
            return day_value(base + relativedelta(days=sign * n))
        if unit == "week":
            return week_value(base + relativedelta(weeks=sign * n))
        if unit == "month":
            d = base + relativedelta(months=sign * n)
            return month_value(d.year, d.month)
        if unit == "quarter":
            d = base + relativedelta(months=3 * sign * n)
            return quarter_value(d.year, _quarter_of(d))
        if unit == "decade":
            d = base + relativedelta(years=10 * sign * n)
            return decade_value(d.year // 10)
        return year_value((base + relativedelta(years=sign * n)).year)

    def _vague_ago(self, m: regex.Match[str]) -> _Value | None:
        return ("PAST_REF", None, None, "ref") if self.opts.refs else None

    def _day_before(self, m: regex.Match[str]) -> _Value | None:
        before = m.group("dir").lower().startswith("before")
        return day_value(self.pub + relativedelta(days=-2 if before else 2))

    def _unit_value(self, unit: str, d: dt.date) -> _Value:
        if unit == "week":
            return week_value(d)
        if unit == "weekend":
            return weekend_value(d)
        if unit == "month":
            return month_value(d.year, d.month)
        if unit == "decade":
            return decade_value(d.year // 10)
        return year_value(d.year)

    def _shifted(self, unit: str, shift: int) -> dt.date:
        if unit in ("week", "weekend"):
            return self.pub + relativedelta(weeks=shift)
        if unit == "month":
            return self.pub + relativedelta(months=shift)
        if unit == "decade":
            return self.pub + relativedelta(years=10 * shift)
        return self.pub + relativedelta(years=shift)

    def _edge_rel(self, m: regex.Match[str]) -> _Value | None:
        unit = m.group("unit").lower()
        rel = (m.group("rel") or "this").lower()
        shift = {"this": 0, "last": -1, "next": 1}[rel]
        edge = m.group("edge").lower()
        if m.group("rel") is None and not edge.startswith("the") and " in " not in m.group():
            return None  # "later the week" is not an expression
        if unit == "weekend" and rel == "this":
            return self._weekend(self.tense(m))
        return self._unit_value(unit, self._shifted(unit, shift))

    def _weekend(self, tense: str | None) -> _Value:
        wd = self.pub.weekday()
        if wd >= 5:
            return weekend_value(self.pub)
        if (tense or self.opts.default_tense) == "future":
            return weekend_value(self.pub)
        return weekend_value(self.pub - dt.timedelta(days=7))

    def _rel_unit(self, m: regex.Match[str]) -> _Value | None:
        unit = m.group("unit").lower()
        rel = m.group("rel").lower()
        has_the = self.text[m.start() : m.start() + 3].lower() == "the"
        if rel in ("current", "coming") and not has_the and unit != "weekend":
            return None
        if (
            _TITLE_BEFORE.search(self.text, max(0, m.start() - 3), m.start())
            and m.group("unit")[:1].isupper()
        ):
            return None  # '"This Week" with ...': a quoted title, not a week
        if rel in {"this", "current"}:
            if unit == "weekend":
                return self._weekend(self.tense(m))
            return self._unit_value(unit, self.pub)
        shift = 1 if rel in ("next", "coming") else -1
        if has_the and unit == "week" and rel in ("past", "last"):
            return week_value(self.pub)  # "the past week": the seven days up to now
        if unit == "weekend":
            return weekend_value(self.pub + relativedelta(weeks=shift, weekday=SA(-1)))
        return self._unit_value(unit, self._shifted(unit, shift))

    def _year_end(self, m: regex.Match[str]) -> _Value | None:
        if m.group().lower().endswith("year") and self._period_ended(m):
            return None
        return year_value(self.pub.year)

    def _the_weekend(self, m: regex.Match[str]) -> _Value | None:
        return self._weekend(self.tense(m))

    def _season(self, m: regex.Match[str]) -> _Value | None:
        code = SEASONS[m.group("season").lower()]
        rel = " ".join((m.group("rel") or "").lower().split())
        if m.group("year") or m.group("wc"):
            return season_value(_year_of(m), code)
        if not rel and not m.group("edge") and not m.group().lower().startswith("the"):
            return None  # a bare "summer" or "fall" is too often not a date
        cur_year = self.pub.year
        if self.pub.month <= 2 and code == "WI":
            cur_year -= 1
        if rel in ("this", "this past", "this coming", ""):
            if rel == "this past" or (rel in ("this", "") and self.tense(m) == "past"):
                first = _SEASON_MONTHS[code][0]
                year = cur_year if dt.date(cur_year, first, 1) <= self.pub else cur_year - 1
                return season_value(year, code)
            return season_value(cur_year, code)
        first = _SEASON_MONTHS[code][0]
        start = dt.date(cur_year, first, 1)
        if rel == "last":
            year = cur_year if start + relativedelta(months=3) <= self.pub else cur_year - 1
        else:
            year = cur_year if start > self.pub else cur_year + 1
        return season_value(year, code)

    def _holiday(self, m: regex.Match[str]) -> _Value | None:
        name = m.group("hol")
        if not name[0].isupper():
            return None
        tense = self.tense(m)
        cands = [
            d
            for y in (self.pub.year - 1, self.pub.year, self.pub.year + 1)
            if (d := _holiday(name, y))
        ]
        if not cands:
            return None
        day = _pick(cands, self.pub, tense)
        week = (m.group("hweek") or "").lower()
        if week:
            return weekend_value(day) if week == "weekend" else week_value(day)
        return day_value(day)

    def _rel_weekday(self, m: regex.Match[str]) -> _Value | None:
        wd = WEEKDAYS.index(m.group("wd").lower())
        rel = " ".join(m.group("rel").lower().split())
        base = self.pub
        if rel.startswith("the "):  # "the previous Friday": before the day the story is at
            ref = self.ref
            if ref is not None and ref.grain == "day" and ref.start_date is not None:
                base = ref.start_date
            rel = "last" if rel in ("the previous", "the preceding") else "next"
        if rel in ("last", "this past", "past"):
            d = _previous_weekday(base, wd)
        elif rel in ("next", "this coming", "coming"):
            d = _next_weekday(base, wd)
        else:
            d = self._resolve_weekday(wd, self.tense(m))
        return day_value(d)

    def _anaphoric(self, m: regex.Match[str]) -> _Value | None:
        unit = m.group("unit").lower()
        if unit in ("morning", "afternoon", "evening", "night"):
            unit = "day"  # "the next morning", "that night": a day
        ref = self.ref
        if ref is None or ref.start_date is None:
            return None
        base = ref.start_date
        nxt = (m.group("next") or "").lower()
        if nxt:
            if self.text[m.start() : m.start() + 3].lower() != "the":
                return None
            shift = 1 if nxt in ("next", "following") else -1
            if unit == "day" and ref.grain != "day":
                return None
            base = (
                base
                + {
                    "day": relativedelta(days=shift),
                    "week": relativedelta(weeks=shift),
                    "month": relativedelta(months=shift),
                    "year": relativedelta(years=shift),
                }[unit]
            )
        if unit == "day":
            return day_value(base) if ref.grain == "day" else None
        if unit == "week":
            return week_value(base)
        if unit == "month":
            return month_value(base.year, base.month)
        return year_value(base.year)

    def _deictic(self, m: regex.Match[str]) -> _Value | None:
        word = m.group("deic").lower()
        if word == "day":  # "later in the day": the day the story is at
            ref = self.ref
            if ref is not None and ref.grain == "day" and ref.start_date is not None:
                return day_value(ref.start_date)
            return day_value(self.pub)
        if word in ("today", "tomorrow") and self._generic_deictic(m):
            return None
        shift = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
        return day_value(self.pub + dt.timedelta(days=shift))

    def _generic_deictic(self, m: regex.Match[str]) -> bool:
        """ "today's youth", "the people of tomorrow", "USA Today": no day."""
        if m.group("edge"):
            return False
        start, end = m.start("deic"), m.end("deic")
        if self.text[start] == "T" and _NAME_BEFORE.search(self.text, max(0, start - 12), start):
            return True  # a name: "USA Today"
        after = _POSSESSIVE_AFTER.match(self.text, end)
        if after is not None:
            return any(w.lower() in _GENERIC_NOUNS for w in after.group(1).split())
        return bool(_OF_BEFORE.search(self.text, max(0, start - 8), start))

    def _recurring(self, m: regex.Match[str]) -> bool:
        """ "each Thursday", "every July": a set of days (TimeML SET), not one date."""
        if _EACH_BEFORE.search(self.text, max(0, m.start() - 7), m.start()):
            return True
        # "on Monday and Tuesday nights": the nights of every such day
        return m.group("wd") is not None and bool(_PLURAL_PART_AFTER.match(self.text, m.end()))

    def _weekday(self, m: regex.Match[str]) -> _Value | None:
        if self._recurring(m):
            return None
        wd = WEEKDAYS.index(m.group("wd").lower())
        tense: str | None
        if self.text.startswith(("'s", "’s"), m.end()) and m.group("part") is None:
            # "Wednesday's ruling": an event the report looks back on, unless announced
            tense = (
                "future"
                if _DEADLINE.search(self.text, max(0, m.start() - 22), m.start())
                else "past"
            )
        else:
            tense = self.tense(m)
        return day_value(self._resolve_weekday(wd, tense))

    def _resolve_weekday(self, wd: int, tense: str | None) -> dt.date:
        """:func:`resolve_weekday` for this text (kept: the same weekday recurs)."""
        key = (wd, tense)
        got = self._weekdays.get(key)
        if got is None:
            got = self._weekdays[key] = resolve_weekday(self.pub, wd, tense, self.opts)
        return got

    def _month(self, m: regex.Match[str]) -> _Value | None:
        if m.group("rel") is None and m.group("edge") is None and self._recurring(m):
            return None
        if not self._month_ok(m, strict=m.group("rel") is None and m.group("edge") is None):
            return None
        month = self._month_num(m)
        rel = (m.group("rel") or "").lower()
        if rel == "last":
            d = self.pub.replace(day=1) + relativedelta(months=-1)
            year = d.year if month <= d.month else d.year - 1
        elif rel == "next":
            d = self.pub.replace(day=1) + relativedelta(months=1)
            year = d.year if month >= d.month else d.year + 1
        elif rel == "this":
            year = self.pub.year
        else:
            year = resolve_month(self.pub, month, self.tense(m))
        return month_value(year, month)

    def _year(self, m: regex.Match[str]) -> _Value | None:
        year = int(m.group("year"))
        if not 1600 <= year <= self.pub.year + 30:
            return None
        before = self.text[max(0, m.start() - 2) : m.start()]
        after = self.text[m.end() : m.end() + 12]
        if before.endswith(("$", "£", "€", "#", "No", "no")) or before[-1:].isdigit():
            return None
        if _NOT_A_YEAR_AFTER.match(after):
            return None
        return year_value(year)

    def _ref(self, m: regex.Match[str]) -> _Value | None:
        if not self.opts.refs:
            return None
        if m.group("present"):
            word = m.group("present").lower()
            if word == "current":
                # "current" as an adjective of time, not the "current account" or a current
                after = self.text[m.end() : m.end() + 12].lower()
                if not _LOWER_WORD.match(after) or after.lstrip().startswith("account"):
                    return None
            return ("PRESENT_REF", None, None, "ref")
        if m.group("pastref"):
            return ("PAST_REF", None, None, "ref")
        word = m.group("futref").lower()
        if word.endswith("term") and _NOUN_AFTER.match(self.text, m.end()):
            return None  # "the near term outlook": an adjective
        if word == "future":
            # a bare "future" only as a noun after a possessive ("Elian's future")
            before = self.text[max(0, m.start() - 8) : m.start()].lower()
            if not _POSSESSIVE_BEFORE.search(before):
                return None
            # ... and not an adjective before its noun ("its future strategy")
            if _NOUN_AFTER.match(self.text, m.end()):
                return None
        return ("FUTURE_REF", None, None, "ref")

    def _word_year(self, m: regex.Match[str]) -> _Value | None:
        if m.group("wy"):
            ones = m.group("wyo")
            return year_value(2000 + (_WORD_NUM[ones.lower()] if ones else 0))
        if m.group("wd10"):
            return decade_value(190 + _TENS[m.group("wd10").lower()[:-3] + "y"] // 10)
        return year_value(_year_of(m))


_WORD_NUM = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip


_HANDLERS: dict[str, Callable[[Resolver, regex.Match[str]], _Value | None]] = {
    name: getattr(Resolver, "_" + name.replace("-", "_")) for name in _RULES
}


def _clock_value(m: regex.Match[str]) -> str:
    """The TIMEX3 time of a clock time before a day: "T09:00", "T12:00" (noon), "T24:00"."""
    noon = m.group("noon")
    if noon:
        return "T12:00" if noon.lower() == "noon" else "T24:00"
    hour = int(m.group("hh")) % 12 + (12 if m.group("ampm").lower().startswith("p") else 0)
    return f"T{hour:02d}:{m.group('mm') or '00'}"


def _year_of(m: regex.Match[str]) -> int:
    """The year of a match: digits, or words ("nineteen ninety-six")."""
    if m.group("year"):
        return int(m.group("year"))
    century = {"eighteen": 18, "nineteen": 19, "twenty": 20}[m.group("wc").lower()]
    parts = _SPACE_OR_HYPHEN.split(m.group("wt").lower())
    return century * 100 + _TENS[parts[0]] + (_WORD_NUM[parts[1]] if len(parts) > 1 else 0)


def find_dates(
    text: str, pub: dt.date, opts: Options, grammars: Grammars | None = None
) -> list[Found]:
    """Every date expression of ``text`` anchored to ``pub``, in text order
    (``grammars``: the grammar cache; :data:`GRAMMARS` when ``None``)."""
    return Resolver(text, pub, opts, grammars).run()
