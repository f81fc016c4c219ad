"""Tests of the date step: golden cases, the direction policy, rewriting, the pipeline."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsnorm
from newsnorm import NormalizeConfig, Normalizer
from newsnorm.dates import DateConfig, PublishedEstimate, anchor_dates, estimate_published
from newsnorm.errors import ConfigError, InputTypeError, InvalidDateError

from .conftest import CASES

_DATA = json.loads((CASES / "dates" / "cases.json").read_text(encoding="utf-8"))
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _pairs(text: str, published: str, config: DateConfig | None = None) -> list[list[str]]:
    return [
        [m.surface, m.value] for m in anchor_dates(text, published=published, config=config).dates
    ]


def _case_params() -> list[Any]:
    params = []
    for case in _DATA["cases"]:
        marks = []
        if case["expect"] == "fail":
            marks.append(pytest.mark.xfail(reason=case["reason"], strict=True))
        params.append(pytest.param(case, id=case["label"], marks=marks))
    return params


@pytest.mark.parametrize("case", _case_params())
def test_golden_case(case: dict[str, Any]) -> None:
    assert _pairs(case["text"], case["published"]) == case["dates"]


@pytest.mark.parametrize("case", _DATA["negative"], ids=lambda c: c["label"])
def test_negative_case_finds_nothing_and_changes_nothing(case: dict[str, Any]) -> None:
    doc = anchor_dates(case["text"], published=case["published"], config=DateConfig(rewrite=True))
    assert doc.dates == ()
    assert doc.text == case["text"]
    assert doc.changes == ()


# --- the seeds (dates from the manifest) ----------------------------------------------------

SEED_EXPECTED = {
    "000_925481ee3d6db123": [
        ("Monday", "2017-07-10"),
        ("this week", "2017-W28"),
        ("Tuesday", "2017-07-11"),
        ("Thursday", "2017-07-13"),
        ("October 1", "2017-10-01"),
    ],
    "002_2b4048b13be4b3c6": [("Monday", "2017-03-20")],
    "003_08abc01e61f284b3": [("Tuesday", "2017-05-09"), ("last month", "2017-04")],
    "004_9ea3d081f42078f1": [
        ("Wednesday", "2016-07-20"),
        ("Thursday", "2016-07-21"),
        ("This month", "2016-07"),
    ],
    "001_aa2ec2a3c26b0321": [
        ("next week", "2017-W28"),
        ("June 29", "2017-06-29"),
        ("November 17, 2016", "2016-11-17"),
    ],
}


@pytest.mark.parametrize("seed_id", sorted(SEED_EXPECTED))
def test_seed_dates(seeds: dict[str, dict[str, Any]], seed_id: str) -> None:
    rec = seeds[seed_id]
    doc = anchor_dates(rec["text"], published=rec["published"])
    found = {(m.surface, m.value) for m in doc.dates}
    for pair in SEED_EXPECTED[seed_id]:
        assert pair in found
    for m in doc.dates:
        assert doc.text[m.start : m.end] == m.surface


def test_seed_000_range_and_extents(seeds: dict[str, dict[str, Any]]) -> None:
    rec = seeds["000_925481ee3d6db123"]
    doc = anchor_dates(rec["text"], published=rec["published"])
    i = doc.text.index("from Tuesday through to Thursday")
    in_range = [(m.surface, m.value) for m in doc.dates if i <= m.start < i + 40]
    assert in_range == [("Tuesday", "2017-07-11"), ("Thursday", "2017-07-13")]
    # TIMEX3 extents: "on Monday" gives "Monday"
    monday = next(m for m in doc.dates if m.surface == "Monday")
    assert doc.text[monday.start - 3 : monday.start] == "on "


def test_seed_004_possessive(seeds: dict[str, dict[str, Any]]) -> None:
    rec = seeds["004_9ea3d081f42078f1"]
    doc = anchor_dates(rec["text"], published=rec["published"])
    m = next(m for m in doc.dates if doc.text.startswith("Wednesday’s press", m.start))
    assert (m.surface, m.value) == ("Wednesday", "2016-07-20")


# --- the weekday policy, over all 7x7 pairs -------------------------------------------------

# A Monday-to-Sunday week, crossing a month boundary and a year boundary.
PUB_WEEKS = [dt.date(2017, 7, 10), dt.date(2016, 12, 26), dt.date(2020, 2, 24)]


@pytest.mark.parametrize("monday", PUB_WEEKS, ids=str)
@pytest.mark.parametrize("pub_wd", range(7), ids=lambda i: f"pub-{WEEKDAYS[i]}")
@pytest.mark.parametrize("wd", range(7), ids=lambda i: WEEKDAYS[i])
def test_weekday_direction(monday: dt.date, pub_wd: int, wd: int) -> None:
    pub = monday + dt.timedelta(days=pub_wd)
    past = anchor_dates(f"The minister said on {WEEKDAYS[wd]} that talks failed.", published=pub)
    future = anchor_dates(f"The minister will travel to Paris on {WEEKDAYS[wd]}.", published=pub)
    (p,) = past.dates
    (f,) = future.dates
    assert p.start_date is not None
    assert f.start_date is not None
    assert p.start_date.weekday() == wd
    assert f.start_date.weekday() == wd
    if wd == pub_wd:  # news convention: the publication weekday is the publication day
        assert p.start_date == f.start_date == pub
    else:
        assert 1 <= (pub - p.start_date).days <= 6
        assert 1 <= (f.start_date - pub).days <= 6
    assert p.value == p.start_date.isoformat() == p.end_date.isoformat()  # type: ignore[union-attr]


@pytest.mark.parametrize("pub_wd", range(7))
@pytest.mark.parametrize("wd", range(7))
def test_last_and_next_weekday_never_the_publication_day(pub_wd: int, wd: int) -> None:
    pub = dt.date(2017, 7, 10) + dt.timedelta(days=pub_wd)
    doc = anchor_dates(f"It began last {WEEKDAYS[wd]} and ends next {WEEKDAYS[wd]}.", published=pub)
    last, nxt = doc.dates
    assert last.start_date is not None
    assert nxt.start_date is not None
    assert 1 <= (pub - last.start_date).days <= 7
    assert 1 <= (nxt.start_date - pub).days <= 7


def test_same_weekday_tense_option() -> None:
    config = DateConfig(same_weekday="tense")
    doc = anchor_dates("Ministers met on Tuesday.", published="2017-05-09", config=config)
    assert doc.dates[0].value == "2017-05-02"
    doc = anchor_dates("Ministers will meet on Tuesday.", published="2017-05-09", config=config)
    assert doc.dates[0].value == "2017-05-16"


def test_default_tense_option() -> None:
    text = "Ministers meet Friday in Rome."
    assert _pairs(text, "2017-07-11") == [["Friday", "2017-07-07"]]
    future = DateConfig(default_tense="future")
    assert _pairs(text, "2017-07-11", future) == [["Friday", "2017-07-14"]]


# --- month, year and leap-day boundaries ----------------------------------------------------


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        ("2017-01-02", "Prices fell last week.", ["last week", "2016-W52"]),
        ("2017-01-02", "Prices fell last month.", ["last month", "2016-12"]),
        ("2016-12-15", "Prices will rise next month.", ["next month", "2017-01"]),
        ("2017-01-02", "The vote took place on Friday.", ["Friday", "2016-12-30"]),
        ("2016-12-30", "The vote will take place on Monday.", ["Monday", "2017-01-02"]),
        ("2017-01-03", "The deal was signed on December 30.", ["December 30", "2016-12-30"]),
        ("2016-12-28", "The deal will be signed on January 3.", ["January 3", "2017-01-03"]),
        ("2016-03-01", "The record was set on February 29.", ["February 29", "2016-02-29"]),
        ("2017-03-01", "The record was set on February 29.", ["February 29", "2016-02-29"]),
        ("2020-12-31", "Markets are closed this week.", ["this week", "2020-W53"]),
        ("2021-01-01", "Markets are closed this week.", ["this week", "2020-W53"]),
        ("2021-01-04", "Markets were closed last week.", ["last week", "2020-W53"]),
        ("2016-02-29", "The law passed a year ago.", ["a year ago", "2015"]),
        ("2016-03-31", "The law passed a month ago.", ["a month ago", "2016-02"]),
        ("2017-01-10", "Sales were weak in the fourth quarter.", ["the fourth quarter", "2016-Q4"]),
    ],
)
def test_boundaries(published: str, text: str, expected: list[str]) -> None:
    assert _pairs(text, published) == [expected]


def test_intervals() -> None:
    doc = anchor_dates(
        "Sales this month, this quarter (the third quarter) and this year.", published="2016-08-10"
    )
    got = {m.surface: (m.start_date, m.end_date) for m in doc.dates}
    assert got["this month"] == (dt.date(2016, 8, 1), dt.date(2016, 8, 31))
    assert got["the third quarter"] == (dt.date(2016, 7, 1), dt.date(2016, 9, 30))
    assert got["this year"] == (dt.date(2016, 1, 1), dt.date(2016, 12, 31))
    refs = anchor_dates("It is now clear.", published="2016-08-10").dates
    assert (refs[0].value, refs[0].start_date, refs[0].end_date) == ("PRESENT_REF", None, None)


# --- rewriting ------------------------------------------------------------------------------


def test_rewrite_inserts_and_maps_back() -> None:
    text = "Ministers met on Monday and will meet again next week, as on November 17, 2016."
    doc = anchor_dates(text, published="2017-07-11", config=DateConfig(rewrite=True))
    assert doc.text == (
        "Ministers met on Monday (2017-07-10) and will meet again next week (2017-W29), "
        "as on November 17, 2016."
    )
    assert [c.kind for c in doc.changes] == ["date-anchor", "date-anchor"]
    assert [c.rule for c in doc.changes] == ["dates.weekday", "dates.rel-unit"]
    for m in doc.dates:
        assert doc.text[m.start : m.end] == m.surface
        start, end = doc.to_original(m.start, m.end)
        assert doc.original[start:end] == m.surface
    # an inserted value maps to the empty span after its expression
    i = doc.text.index(" (2017-07-10)")
    assert doc.to_original(i, i + 13) == (23, 23)


def test_rewrite_format_and_explicit() -> None:
    config = DateConfig(
        rewrite=True, rewrite_format=" [{start_date}..{end_date}]", rewrite_explicit=True
    )
    doc = anchor_dates(
        "Sales rose this week and on May 3, 2017.", published="2017-07-11", config=config
    )
    assert doc.text == (
        "Sales rose this week [2017-07-10..2017-07-16] and on May 3, 2017 [2017-05-03..2017-05-03]."
    )


def test_rewrite_refs_only_when_asked() -> None:
    text = "It is now over."
    assert anchor_dates(text, published="2017-07-11", config=DateConfig(rewrite=True)).text == text
    config = DateConfig(rewrite=True, rewrite_refs=True)
    assert anchor_dates(text, published="2017-07-11", config=config).text == (
        "It is now (PRESENT_REF) over."
    )


def test_rewrite_twice_inserts_once() -> None:
    config = DateConfig(rewrite=True)
    once = anchor_dates("They met on Monday.", published="2017-07-11", config=config)
    twice = anchor_dates(once, published=None, config=config)
    assert twice.text == once.text == "They met on Monday (2017-07-10)."


def test_refs_can_be_switched_off() -> None:
    assert _pairs("It is now over.", "2017-07-11", DateConfig(refs=False)) == []


# --- no publication date, inputs and config --------------------------------------------------


def test_no_published_date_changes_nothing() -> None:
    doc = anchor_dates("They met on Monday.", published=None, config=DateConfig(rewrite=True))
    assert doc.text == "They met on Monday."
    assert doc.dates == ()
    assert doc.changes == ()
    assert [(n.step, n.code) for n in doc.notes] == [("dates", "no-published-date")]


def test_pipeline_runs_dates_last_when_published_is_given() -> None:
    assert tuple(newsnorm.STEPS)[-1] == "dates"
    doc = newsnorm.normalize("Iraq 's army won on Monday.", published="2017-07-11")
    assert doc.text == "Iraq's army won on Monday."
    assert [(m.surface, m.value) for m in doc.dates] == [("Monday", "2017-07-10")]
    start, end = doc.to_original(doc.dates[0].start, doc.dates[0].end)
    assert doc.original[start:end] == "Monday"
    bare = newsnorm.normalize("Iraq 's army won on Monday.")
    assert bare.dates == ()
    assert [n.code for n in bare.notes] == ["no-published-date"]


def test_pipeline_rewrite_config_and_pickle() -> None:
    config = NormalizeConfig(dates=DateConfig(rewrite=True))
    norm = Normalizer(config)
    doc = norm.normalize("They met on Monday.", published=dt.datetime(2017, 7, 11, 23, 59))
    assert doc.text == "They met on Monday (2017-07-10)."
    again = pickle.loads(pickle.dumps(norm))
    assert again == norm
    assert again.normalize("They met on Monday.", published="2017-07-11").text == doc.text
    assert pickle.loads(pickle.dumps(doc)) == doc


def test_input_errors() -> None:
    with pytest.raises(InputTypeError):
        anchor_dates(b"Monday", published="2017-07-11")  # type: ignore[arg-type]
    with pytest.raises(InvalidDateError):
        anchor_dates("Monday", published="2017-02-30")
    with pytest.raises(InputTypeError):
        anchor_dates("Monday", published=20170711)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"same_weekday": "nearest"},
        {"default_tense": "present"},
        {"rewrite": "yes"},
        {"rewrite_format": " ({when})"},
        {"rewrite_format": 3},
        {"max_dates": 0},
        {"max_dates": True},
        {"max_dates": "100"},
    ],
)
def test_config_errors(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        DateConfig(**kwargs)


def test_max_dates_stops_the_step_and_says_so() -> None:
    text = "They met on Monday and on Tuesday. " * 4  # eight expressions
    capped = anchor_dates(text, published="2017-07-12", config=DateConfig(max_dates=5))
    assert [d.surface for d in capped.dates] == ["Monday", "Tuesday"] * 2 + ["Monday"]
    assert [n.code for n in capped.notes] == ["too-many-dates"]
    whole = anchor_dates(text, published="2017-07-12", config=DateConfig(max_dates=None))
    assert len(whole.dates) == 8 and whole.notes == ()
    exact = anchor_dates(text, published="2017-07-12", config=DateConfig(max_dates=8))
    assert exact.dates == whole.dates and exact.notes == ()
    rewritten = anchor_dates(
        text, published="2017-07-12", config=DateConfig(max_dates=5, rewrite=True)
    )
    assert rewritten.text.count("(2017-07-1") == 5
    assert [n.code for n in rewritten.notes] == ["too-many-dates"]


def test_normalize_config_rejects_wrong_dates_config() -> None:
    with pytest.raises(ConfigError):
        NormalizeConfig(dates=newsnorm.repair.RepairConfig())  # type: ignore[arg-type]


# --- estimate_published ---------------------------------------------------------------------


def test_estimate_published_latest_full_date() -> None:
    text = "The war began on March 20, 2003. On Monday, July 10, 2017, Mosul fell; on Monday crowds celebrated."
    est = estimate_published(text)
    assert est == PublishedEstimate(
        date=dt.date(2017, 7, 10),
        confidence=0.8,
        evidence=("Monday, July 10, 2017", "Monday"),
    )


def test_estimate_published_contradicting_weekday_lowers_confidence() -> None:
    est = estimate_published("On Friday, July 10, 2017, Mosul fell.")
    assert est is not None
    assert est.date == dt.date(2017, 7, 10)
    assert est.confidence == 0.2


def test_estimate_published_none_and_iso() -> None:
    assert estimate_published("No dates at all, only Monday.") is None
    est = estimate_published("Updated 2017-07-11 and 2017-07-11.")
    assert est is not None
    assert (est.date, est.confidence) == (dt.date(2017, 7, 11), 0.6)
    with pytest.raises(InputTypeError):
        estimate_published(None)  # type: ignore[arg-type]


# --- properties -----------------------------------------------------------------------------

_WORDS = [
    "on", "Monday", "last", "next", "week", "month", "year", "the", "third", "quarter", "said",
    "will", "meet", "in", "June", "29", "2016", ",", "ago", "a", "two", "days", "now", "May",
    "today", "yesterday", "early", "late", "1990s", "fiscal", "summer", "'s", "-", ".", "\n",
    "Tuesday's", "Oct.", "earlier", "this", "recently", "the past", "thousand", "nineteen",
]  # fmt: skip


@given(
    words=st.lists(st.sampled_from(_WORDS), max_size=30),
    published=st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2099, 10, 1)),
    rewrite=st.booleans(),
)
def test_mentions_are_consistent(words: list[str], published: dt.date, rewrite: bool) -> None:
    text = " ".join(words)
    doc = anchor_dates(text, published=published, config=DateConfig(rewrite=rewrite))
    assert doc.original == text
    previous_end = 0
    for m in doc.dates:
        assert doc.text[m.start : m.end] == m.surface
        assert m.start >= previous_end
        previous_end = m.end
        assert m.type == "DATE"
        assert m.rule.startswith("dates.")
        if m.start_date is not None:
            assert m.end_date is not None
            assert m.start_date <= m.end_date
        else:
            assert m.value in ("PRESENT_REF", "PAST_REF", "FUTURE_REF")
        start, end = doc.to_original(m.start, m.end)
        assert doc.original[start:end] == m.surface
    if not rewrite:
        assert doc.text == text


@given(st.text(max_size=200), st.dates(min_value=dt.date(1, 3, 1), max_value=dt.date(9998, 10, 1)))
def test_never_raises_on_any_text(text: str, published: dt.date) -> None:
    doc = anchor_dates(text, published=published)
    assert doc.text == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "It ended more than a couple of weeks ago.",
            ["more than a couple of weeks ago", "2017-W26"],
        ),
        ("It ends at the beginning of next month.", ["the beginning of next month", "2017-08"]),
        ("It ended at the end of last week.", ["the end of last week", "2017-W27"]),
        (
            "It fell in the comparable year-ago quarter.",
            ["the comparable year-ago quarter", "2016-Q2"],
        ),
    ],
)
def test_long_expressions_are_found_whole(text: str, expected: list[str]) -> None:
    # the scan looks back a fixed distance from each trigger word: long prefixes must fit
    assert _pairs(text, "2017-07-11") == [expected]


def test_rewrite_leaves_explicit_years_alone() -> None:
    text = "In 2014, in the 1990s and in June 2015 prices fell; last year they rose."
    doc = anchor_dates(text, published="2017-07-11", config=DateConfig(rewrite=True))
    assert doc.text == (
        "In 2014, in the 1990s and in June 2015 prices fell; last year (2016) they rose."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Bidders have until 9 a.m. Tuesday to file offers.",
            ["9 a.m. Tuesday", "2000-04-04T09:00"],
        ),
        (
            "The ship has sailed since March and was due home soon.",
            ["March", "2000-03"],
        ),
        (
            "Farmers organised a rally on Saturday and were planning to march.",
            ["Saturday", "2000-04-08"],
        ),
        (
            "On Friday, after a hastily planned visit, the ban was lifted.",
            ["Friday", "2000-03-31"],
        ),
        (
            "She was stopped early Thursday as she was about to board.",
            ["Thursday", "2000-03-30"],
        ),
    ],
)
def test_tense_cues(text: str, expected: list[str]) -> None:
    assert _pairs(text, "2000-04-03") == [expected]


@pytest.mark.parametrize("published", [dt.date(1, 1, 1), dt.date(9999, 12, 31)], ids=str)
def test_edges_of_the_calendar(published: dt.date) -> None:
    text = "A year ago, next year, in May, on Monday, next week and a decade ago."
    doc = anchor_dates(text, published=published)
    for m in doc.dates:  # what falls off the calendar is left out, nothing raises
        assert m.start_date is None or dt.MINYEAR <= m.start_date.year <= dt.MAXYEAR
    assert ("May", f"{published.year:04d}-05") in {(m.surface, m.value) for m in doc.dates}


@pytest.mark.parametrize(
    "text",
    ["this \u017fpring", "in Augu\u017ft 2017", "the fir\u017ft quarter", "in Apr\u0130l"],
)
def test_names_matched_only_by_case_folding_raise_nothing(text: str) -> None:
    # The grammar ignores case, so the long s and the dotted capital I match "s" and "i";
    # these spellings are no words of the tables: no date, and no KeyError.
    assert anchor_dates(text, published="2017-07-11").dates == ()


def test_rewrite_after_repair_maps_back() -> None:
    config = NormalizeConfig(dates=DateConfig(rewrite=True))
    doc = newsnorm.normalize(
        "Iraq 's army\u00a0won on Monday.", published="2017-07-11", config=config
    )
    assert doc.text == "Iraq's army won on Monday (2017-07-10)."
    assert doc.steps == ("repair", "dates")
    (m,) = doc.dates
    start, end = doc.to_original(m.start, m.end)
    assert doc.original[start:end] == "Monday"
    i = doc.text.index(" (2017-07-10)")
    assert doc.to_original(i, i + 13) == (end, end)
