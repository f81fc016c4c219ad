"""The speed gates of the boilerplate step never hide a match.

Each test states a gate as a property: whenever the slow test (a pattern, a
case-folded string) would succeed, the cheap test in front of it lets the line
through. Strategies build lines from the gates' own words so that matches are common.
"""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from newsnorm._boilerplate_rules import CompiledRules, LineView, Rule, _has_any, load_rules
from newsnorm._credits import DEFAULT_CREDITS, _names_before_comma
from newsnorm.boilerplate import DEFAULT_OUTLET_PACKS, DEFAULT_RULES, _caps_share

_RULES = load_rules()
_PACK_RULES = tuple(r for pack in DEFAULT_OUTLET_PACKS for r in pack.rules)
_GATE_WORDS = sorted(
    {g for r in (*_RULES, *_PACK_RULES) for g in (*r.prefixes, *r.suffixes, *r.contains)}
)
# Characters whose case folding changes the length or the script of a word, spaces of
# several kinds, capitals, digits of other scripts, closing quotes and brackets.
_ODD = "ßẞİﬁﬅſKΣς\u00a0\u2009\t  AZaz09٣’”»)]…."
_piece = st.one_of(
    st.sampled_from(_GATE_WORDS),
    st.sampled_from(_GATE_WORDS).map(str.upper),
    st.sampled_from(_GATE_WORDS).map(str.title),
    st.text(alphabet=_ODD, min_size=1, max_size=3),
    st.text(min_size=1, max_size=6),
    st.sampled_from(["Photo", "Reuters", "January 5, 2019", "10:30 a.m.", ", left", "(L)"]),
)
_line = st.lists(_piece, min_size=1, max_size=12).map(" ".join).map(str.strip).filter(bool)


def _reference_match(rules: tuple[Rule, ...], text: str) -> Rule | None:
    """The first rule, in order, whose word limit and gates let ``text`` through and
    whose pattern matches: :class:`CompiledRules` without any index or screen."""
    view = LineView(text)
    for rule in rules:
        if rule.max_words is not None and view.words > rule.max_words:
            continue
        if rule.unterminated and view.sentence:
            continue
        if rule.prefixes and not text[:32].casefold().startswith(rule.prefixes):
            continue
        if rule.suffixes and not text[-32:].casefold().endswith(rule.suffixes):
            continue
        window = f"{text[:80]}\n{text[-80:]}" if len(text) > 160 else text
        if rule.contains and not _has_any(window.casefold(), rule.contains):
            continue
        pattern = rule._compiled()
        test = {"line": pattern.fullmatch, "start": pattern.match, "end": pattern.search}
        if test[rule.where](text) is not None:
            return rule
    return None


_GENERIC = CompiledRules(DEFAULT_RULES)
_PACKS = [CompiledRules(pack.rules) for pack in DEFAULT_OUTLET_PACKS]


@settings(max_examples=400, deadline=None)
@given(_line)
def test_compiled_rules_match_the_reference(text: str) -> None:
    # The bucket index, the two-character prefix index, the grouped contains screen
    # and the one-casefold head/tail: the same first rule as trying every rule.
    expected = _reference_match(DEFAULT_RULES, text)
    assert _GENERIC.match(text) == expected
    if expected is not None:
        assert _GENERIC.may_match(LineView(text))
    for compiled, pack in zip(_PACKS, DEFAULT_OUTLET_PACKS, strict=True):
        assert compiled.match(text) == _reference_match(pack.rules, text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ODD + "abcXYZ", min_size=1, max_size=400).map(str.strip).filter(bool))
def test_line_view_edges_are_the_case_folded_edges(text: str) -> None:
    view = LineView(text)
    window = f"{text[:80]}\n{text[-80:]}" if len(text) > 160 else text
    assert view.low == window.casefold()
    assert view.head == text[:32].casefold()
    assert view.tail == text[-32:].casefold()


_NAME = st.text(alphabet="ABCÉabcé.'’&-1", min_size=1, max_size=6).filter(
    lambda w: w[0].isupper() or w[0].isdigit()
)
_SPACE = st.sampled_from([" ", "  ", "\t", "\u00a0", "\u2009", "\u3000"])


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.tuples(_NAME, _SPACE), min_size=1, max_size=7),
    st.sampled_from(DEFAULT_CREDITS.agencies),
    _SPACE,
    st.text(alphabet=" ,/APRa", max_size=4),
)
def test_name_agency_gate(names: list[tuple[str, str]], agency: str, gap: str, tail: str) -> None:
    # "Michael Conroy, AP": the pattern runs only when at most five words come before
    # the first comma.
    text = "".join(n + s for n, s in names).rstrip() + "," + gap + agency + tail
    if DEFAULT_CREDITS._name_agency.match(text):
        assert _names_before_comma(text)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(DEFAULT_CREDITS.agencies), min_size=1, max_size=3),
    st.sampled_from([" / ", "/", " /  "]),
    st.text(alphabet=" \t", max_size=2),
)
def test_agency_line_gate(agencies: list[str], slash: str, end: str) -> None:
    # A whole-line agency credit starts with the literal first word of an agency.
    text = slash.join(a.replace(" ", "  ") for a in agencies) + end
    assert DEFAULT_CREDITS._agency_line.match(text)
    assert text.startswith(DEFAULT_CREDITS._agency_starts)


@given(st.text(max_size=12))
def test_agency_line_gate_on_any_text(text: str) -> None:
    if DEFAULT_CREDITS._agency_line.match(text):
        assert text.startswith(DEFAULT_CREDITS._agency_starts)


_LETTER = regex.compile(r"\p{L}")
_MINOR = {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on"}
_MINOR |= {"or", "over", "the", "to", "vs", "with"}


def _reference_caps(text: str) -> float:
    words = [w for w in text.split() if w.casefold() not in _MINOR and _LETTER.search(w)]
    if not words:
        return 0.0
    capital = 0
    for w in words:
        first = next((c for c in w if c.isalnum()), "")
        capital += first.isupper() or first.isdigit()
    return capital / len(words)


@given(st.lists(st.one_of(st.sampled_from(sorted(_MINOR)), st.text(max_size=5))).map(" ".join))
def test_caps_share_matches_its_definition(text: str) -> None:
    assert _caps_share(text) == _reference_caps(text)


# The timestamp rule checks that its token sequence runs to the end of the line before
# it looks anywhere in the line for a date or a time (a lookahead that the match
# itself implies): the pattern without that check accepts the same lines.
_TIMESTAMP = next(r for r in _RULES if r.id == "boilerplate.timestamp")
_BODY_START = _TIMESTAMP.pattern.index("(?=(?:(?:last")
_BODY_END = _TIMESTAMP.pattern.index(r"\Z)", _BODY_START) + len(r"\Z)")
_TIMESTAMP_PLAIN = regex.compile(
    "(?i:" + _TIMESTAMP.pattern[:_BODY_START] + _TIMESTAMP.pattern[_BODY_END:] + ")"
)
_TIMESTAMP_WORDS = regex.findall(
    r"\S+",
    "0 1 7 12 19 2019 2020 30 10:30 5.45 3rd 21st 9am 11pm a.m. pm at on ago just now"
    " min mins minute hours hr days weeks months gmt utc est bst +01:00 -0500"
    " jan feb. March Sept. Tue Wednesday updated published Posted last first date"
    " - – — / , . : to the said people 2019-11-20 11/20/2019 20.11.19",
)


def test_timestamp_check_is_the_pattern_without_it() -> None:
    assert _TIMESTAMP_PLAIN.pattern != _TIMESTAMP._compiled().pattern
    assert _TIMESTAMP_PLAIN.pattern.count(r"\Z") == 0


@settings(max_examples=600, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(_TIMESTAMP_WORDS), st.text(alphabet=_ODD, max_size=2)),
        min_size=1,
        max_size=10,
    ),
    st.sampled_from([" ", "", ", ", " - "]),
)
def test_timestamp_pattern_keeps_its_lines(words: list[str], sep: str) -> None:
    text = sep.join(words).strip()
    fast = _TIMESTAMP._compiled().fullmatch(text) is not None
    assert fast == (_TIMESTAMP_PLAIN.fullmatch(text) is not None)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ßİﬁſKΣ\u2009\u3000 Aa9’”»)….\n", min_size=1, max_size=300))
def test_lines_of_a_text_without_odd_spaces_count_words_alike(text: str) -> None:
    # The step looks once in the whole text for a double space, a tab or a no-break
    # space; without them it tells every line (``spaced=False``) not to look again.
    lines = [s for s in map(str.strip, text.split("\n")) if s]
    if "  " in text or "\t" in text or "\u00a0" in text:
        return
    for line in lines:
        assert LineView(line, 0, False).words == LineView(line).words == len(line.split(" "))
