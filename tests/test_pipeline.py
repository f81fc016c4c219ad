"""normalize(), Normalizer and NormalizeConfig: inputs, errors, composition, pickling."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import subprocess
import sys
from typing import Any

import attrs
import pytest

import newsnorm
from newsnorm import NormalizeConfig, Normalized, Normalizer, normalize
from newsnorm.errors import ConfigError, InputTypeError, InvalidDateError, NewsnormError


@pytest.mark.parametrize(
    ("bad", "hint"),
    [
        (None, "got NoneType"),
        (b"caf\xc3\xa9", "decode it first"),
        (bytearray(b"x"), "decode it first"),
        (42, "got int: 42"),
        (3.5, "got float"),
        (["a"], "got list"),
    ],
)
def test_text_must_be_str(bad: object, hint: str) -> None:
    with pytest.raises(InputTypeError, match=hint) as info:
        normalize(bad)  # type: ignore[arg-type]
    assert isinstance(info.value, TypeError)
    assert isinstance(info.value, NewsnormError)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2017, 7, 11), dt.date(2017, 7, 11)),
        (dt.datetime(2017, 7, 11, 23, 30), dt.date(2017, 7, 11)),
        (
            dt.datetime(2017, 7, 11, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
            dt.date(2017, 7, 11),
        ),
        ("2017-07-11", dt.date(2017, 7, 11)),
        ("2017-07-11T23:30:00+03:00", dt.date(2017, 7, 11)),
        ("20170711", dt.date(2017, 7, 11)),
        (" 2016-02-29 ", dt.date(2016, 2, 29)),
        (None, None),
    ],
)
def test_published_accepted(value: object, expected: dt.date | None) -> None:
    doc = normalize("text", published=value)  # type: ignore[arg-type]
    assert doc.published == expected


@pytest.mark.parametrize(
    ("value", "error", "hint"),
    [
        ("2017-02-30", InvalidDateError, "'2017-02-30'"),
        ("2017-02-29", InvalidDateError, "day is out of range"),
        ("yesterday", InvalidDateError, "ISO-8601"),
        ("0000-01-01", InvalidDateError, "'0000-01-01'"),
        ("10000-01-01", InvalidDateError, "'10000-01-01'"),
        ("", InvalidDateError, "ISO-8601"),
        (42, InputTypeError, "got int: 42"),
        (2017.5, InputTypeError, "got float"),
        (b"2017-07-11", InputTypeError, "got bytes"),
        (True, InputTypeError, "got bool"),
    ],
)
def test_published_rejected(value: object, error: type[Exception], hint: str) -> None:
    with pytest.raises(error, match=hint) as info:
        normalize("text", published=value)  # type: ignore[arg-type]
    assert "datetime.date" in str(info.value)


def test_source_must_be_str() -> None:
    with pytest.raises(InputTypeError, match="source must be str"):
        normalize("text", source=7)  # type: ignore[arg-type]


def test_empty_and_whitespace_text() -> None:
    assert normalize("").text == ""
    assert normalize("").changes == ()
    doc = normalize(" \n\n \n")
    assert doc.text == ""
    start, end = doc.to_original(0, 0)
    assert start == end


def test_config_validation() -> None:
    with pytest.raises(ConfigError, match="unknown step"):
        NormalizeConfig(steps=("repair", "nope"))
    with pytest.raises(ConfigError, match="repair must be a RepairConfig"):
        NormalizeConfig(repair="yes")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="steps must be a tuple"):
        NormalizeConfig(steps=5)  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        Normalizer("config")  # type: ignore[arg-type]
    assert NormalizeConfig(steps="repair").steps == ("repair",)
    assert NormalizeConfig(steps=()).steps == ()


def test_steps_run_in_pipeline_order_whatever_the_order_named() -> None:
    names = tuple(reversed(newsnorm.DEFAULT_STEPS))
    assert NormalizeConfig(steps=names).steps == newsnorm.DEFAULT_STEPS


def test_no_steps_changes_nothing() -> None:
    doc = normalize("a\u00a0b", config=NormalizeConfig(steps=()))
    assert doc.text == "a\u00a0b"
    assert doc.changes == ()


def test_normalizer_is_reusable_picklable_and_stable() -> None:
    cfg = NormalizeConfig(repair=attrs.evolve(NormalizeConfig().repair, odd_spaces=False))
    norm = Normalizer(cfg)
    again = pickle.loads(pickle.dumps(norm))
    assert again == norm
    assert hash(again) == hash(norm)
    assert repr(again) == repr(norm)
    assert repr(norm).startswith("Normalizer(NormalizeConfig(steps=(")
    assert norm("a\u00a0b").text == "a\u00a0b"
    assert again("a 's").text == "a's"
    assert norm.normalize("x", published="2017-07-11").published == dt.date(2017, 7, 11)


def test_repr_is_stable_across_processes() -> None:
    code = "import newsnorm; print(repr(newsnorm.Normalizer()))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == repr(Normalizer())


def test_result_round_trips_through_json(seeds: dict[str, dict[str, Any]]) -> None:
    rec = seeds["003_08abc01e61f284b3"]
    doc = normalize(rec["text"], published=rec["published"], source=rec["source"])
    data = json.loads(json.dumps(doc.to_dict()))
    assert data["text"] == doc.text
    assert data["published"] == "2017-05-09"
    assert data["source"] == "The Local (AFP)"
    assert len(data["changes"]) == len(doc.changes)
    for change in data["changes"]:
        assert set(change) == {"step", "kind", "start", "end", "before", "after", "rule"}
    assert "original" not in doc.to_dict(include_original=False)


def test_seed_artefacts_repaired(seeds: dict[str, dict[str, Any]]) -> None:
    doc = normalize(seeds["000_925481ee3d6db123"]["text"])
    assert "TRT World's Nicole Johnston" in doc.text
    doc = normalize(seeds["003_08abc01e61f284b3"]["text"])
    assert "protected]" not in doc.text
    assert "\u00a0" not in doc.text
    for change in doc.changes:
        start, end = change.start, change.end
        assert 0 <= start <= end <= len(doc.original)


def test_every_output_span_maps_into_the_input(seeds: dict[str, dict[str, Any]]) -> None:
    for rec in seeds.values():
        doc = normalize(rec["text"], published=rec["published"], source=rec["source"])
        for start in range(0, len(doc.text), 97):
            end = min(len(doc.text), start + 131)
            s, e = doc.to_original(start, end)
            assert 0 <= s <= e <= len(doc.original)


def test_explain_reads_well() -> None:
    assert normalize("clean.", published="2017-07-11").explain() == (
        "nothing to do: the text came out unchanged"
    )
    assert "note no-published-date" in normalize("clean.").explain()
    text = normalize("AFP/The Local - [email protected]\nTRT World 's team").explain()
    assert text.splitlines()[0] == "repair: 2 changes"
    assert "repair.cloudflare-email" in text


def test_results_are_values() -> None:
    a = normalize("a\u00a0b", published="2017-07-11")
    b = normalize("a\u00a0b", published=dt.date(2017, 7, 11))
    assert a == b
    assert hash(a) == hash(b)
    assert pickle.loads(pickle.dumps(a)) == a
    assert isinstance(a, Normalized)
    assert a.steps == ("repair",)
    assert a.changed


def test_results_pickle_compactly_and_equal() -> None:
    """A result with every kind of record survives pickling (the compact form used
    between worker processes) equal, with its offsets intact."""
    text = (
        "Photo: Reuters\nTRT World 's Nicole Johnston said\u00a0on Monday that the U.S. "
        "would act.\n\n\nA man walks past a bombed building. (Reuters)\n"
    )
    doc = newsnorm.normalize(text, published="2017-07-11", source="TRT World")
    assert doc.changes and doc.dates and doc.entities
    again = pickle.loads(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == doc
    assert hash(again) == hash(doc)
    # Dates cross as day ordinals and come back as dates; records are made by their slots.
    assert type(again.published) is type(doc.published)
    for d, o in zip(again.dates, doc.dates, strict=True):
        assert (type(d.start_date), type(d.end_date)) == (type(o.start_date), type(o.end_date))
    assert attrs.evolve(again, source="Other").source == "Other"
    assert attrs.evolve(again.changes[0], rule="x") != again.changes[0]
    assert again.alignment == doc.alignment
    assert again.to_original(0, len(again.text)) == doc.to_original(0, len(doc.text))
    again.check_offsets()
