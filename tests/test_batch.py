"""Normalizer.pipe, map_partition, map_batch and BatchReport."""

from __future__ import annotations

import collections
import datetime
import http
import itertools
import json
import os
import pickle
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsnorm
from newsnorm import BatchReport, Normalizer
from newsnorm._batch import check_n_process
from newsnorm.errors import ConfigError, InputTypeError, InvalidDateError, RecordError


@pytest.fixture(scope="module")
def norm() -> Normalizer:
    return Normalizer()


def _records(seeds: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return list(seeds.values())


def _expected(norm: Normalizer, rec: dict[str, Any]) -> newsnorm.Normalized:
    return norm.normalize(rec["text"], published=rec.get("published"), source=rec.get("source"))


# --- pipe ------------------------------------------------------------------------------


def test_pipe_texts_in_order_equal_normalize(norm: Normalizer, seeds: dict[str, Any]) -> None:
    texts = [rec["text"] for rec in _records(seeds)] * 3
    assert list(norm.pipe(texts)) == [norm.normalize(t) for t in texts]


def test_pipe_records_use_published_and_source(norm: Normalizer, seeds: dict[str, Any]) -> None:
    recs = _records(seeds)
    docs = list(norm.pipe(recs))
    assert docs == [_expected(norm, rec) for rec in recs]
    assert all(doc.published is not None and doc.source for doc in docs)


def test_pipe_is_lazy(norm: Normalizer) -> None:
    pulled: list[int] = []

    def endless() -> Iterator[str]:
        for i in itertools.count():
            pulled.append(i)
            yield f"text {i}"

    out = norm.pipe(endless())
    assert pulled == []  # nothing read before the first result is asked for
    first = list(itertools.islice(out, 3))
    assert [d.text for d in first] == ["text 0", "text 1", "text 2"]
    assert len(pulled) == 3


def test_pipe_two_processes_equal_one(norm: Normalizer, dev_cases: list[dict[str, Any]]) -> None:
    texts = [case["dirty"] for case in dev_cases[:40]]
    one = list(norm.pipe(texts))
    two = list(norm.pipe(iter(texts), n_process=2, batch_size=3))
    assert two == one


def test_pipe_as_tuples_contexts_stay_in_this_process(norm: Normalizer) -> None:
    # A lambda cannot be pickled: contexts must never travel to the workers.
    contexts = [lambda i=i: i for i in range(7)]
    items = [(f"a\u00a0{i}", ctx) for i, ctx in enumerate(contexts)]
    out = list(norm.pipe(items, as_tuples=True, n_process=2, batch_size=2))
    assert [doc.text for doc, _ in out] == [f"a {i}" for i in range(7)]
    assert [ctx() for _, ctx in out] == list(range(7))


def test_pipe_as_tuples_with_skipped_items_keeps_contexts_aligned(norm: Normalizer) -> None:
    items: list[tuple[Any, str]] = [("a", "A"), (1, "B"), ("c", "C"), (None, "D"), ("e", "E")]
    for n_process in (1, 2):
        out = list(
            norm.pipe(items, as_tuples=True, on_error="skip", n_process=n_process, batch_size=2)
        )
        assert [(doc.text, ctx) for doc, ctx in out] == [("a", "A"), ("c", "C"), ("e", "E")]


def test_pipe_as_tuples_rejects_non_pairs(norm: Normalizer) -> None:
    with pytest.raises(RecordError, match="pair"):
        list(norm.pipe(["just a text"], as_tuples=True))


def test_pipe_n_process_minus_one_means_all_cores() -> None:
    assert check_n_process(-1) == (os.cpu_count() or 1)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": True}, "batch_size"),
        ({"n_process": 0}, "n_process"),
        ({"n_process": -2}, "n_process"),
        ({"on_error": "ignore"}, "on_error"),
    ],
)
def test_pipe_checks_its_arguments_eagerly(
    norm: Normalizer, kwargs: dict[str, Any], match: str
) -> None:
    with pytest.raises(ConfigError, match=match):
        norm.pipe(["x"], **kwargs)


def test_pipe_raise_stops_at_the_first_failure(norm: Normalizer) -> None:
    out = norm.pipe(["ok", 42, "never"])
    assert next(out).text == "ok"
    with pytest.raises(InputTypeError):
        next(out)


def test_pipe_bad_date_raises_typed_error(norm: Normalizer) -> None:
    with pytest.raises(InvalidDateError):
        list(norm.pipe([{"text": "x", "published": "2017-02-30"}]))


def test_pipe_keep_yields_the_text_unchanged_with_a_note(norm: Normalizer) -> None:
    report = BatchReport()
    docs = list(
        norm.pipe(
            [{"text": "a\u00a0b", "published": "yesterday"}, "c\u00a0d"],
            on_error="keep",
            report=report,
        )
    )
    assert [d.text for d in docs] == ["a\u00a0b", "c d"]
    assert [n.code for n in docs[0].notes] == ["record-error"]
    assert "InvalidDateError" in docs[0].notes[0].message
    assert (report.records_in, report.records_out, report.kept, report.skipped) == (2, 2, 1, 0)
    assert report.failures[0].kept


def test_pipe_keep_keeps_a_non_text_as_an_empty_text(norm: Normalizer) -> None:
    report = BatchReport()
    docs = list(norm.pipe([b"bytes", "ok"], on_error="keep", report=report))
    assert [d.text for d in docs] == ["", "ok"]
    assert [n.code for n in docs[0].notes] == ["record-error"]
    assert (report.skipped, report.kept) == (0, 1)


def test_report_counts_changes_per_step(norm: Normalizer, seeds: dict[str, Any]) -> None:
    report = BatchReport()
    recs = _records(seeds)
    docs = list(norm.pipe(recs, report=report))
    assert set(report.changes) == set(norm.config.steps)
    for step in norm.config.steps:
        assert report.changes[step] == sum(
            1 for doc in docs for change in doc.changes if change.step == step
        )
    assert report.summary().startswith(f"{len(recs)} records in, {len(recs)} out, 0 failed")
    assert json.loads(json.dumps(report.to_dict()))["records_in"] == len(recs)


def test_report_holds_at_most_max_failures(norm: Normalizer) -> None:
    report = BatchReport(max_failures=2)
    assert [d.text for d in norm.pipe([1, 2, 3, "ok"], on_error="skip", report=report)] == ["ok"]
    assert report.skipped == 3
    assert [f.index for f in report.failures] == [0, 1]


_items = st.lists(
    st.one_of(
        st.text(max_size=30),
        st.integers(),
        st.none(),
        st.fixed_dictionaries(
            {"text": st.one_of(st.text(max_size=30), st.integers())},
            optional={"published": st.sampled_from(["2017-07-11", "2017-02-30", "nope", None])},
        ),
    ),
    max_size=20,
)


@given(items=_items, on_error=st.sampled_from(["skip", "keep"]))
def test_records_in_equals_records_out_plus_skipped(items: list[Any], on_error: str) -> None:
    norm = Normalizer()
    report = BatchReport()
    out = list(norm.pipe(items, on_error=on_error, report=report))  # type: ignore[call-overload]
    assert report.records_in == len(items)
    assert report.records_out == len(out)
    assert report.records_in == report.records_out + report.skipped
    assert report.failed == len(report.failures)
    if on_error == "skip":
        assert report.kept == 0


def test_rules_are_sent_once_per_worker_not_per_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The normalizer reaches each worker once, through the pool's initializer (run once
    per worker process); the batches carry only items."""
    import concurrent.futures

    seen: dict[str, list[bytes]] = {"init": [], "batches": []}
    real_pool = concurrent.futures.ProcessPoolExecutor

    class SpyPool(real_pool):  # type: ignore[misc,valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            seen["init"].append(pickle.dumps(kwargs["initargs"]))
            super().__init__(*args, **kwargs)

        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
            seen["batches"].append(pickle.dumps((fn, args, kwargs)))
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", SpyPool)
    norm = Normalizer()
    texts = [f"text {i}" for i in range(40)]
    assert [d.text for d in norm.pipe(texts, n_process=2, batch_size=2)] == [
        norm.normalize(t).text for t in texts
    ]
    assert len(seen["init"]) == 1 and b"NormalizeConfig" in seen["init"][0]
    # This process normalises some of the items itself (always the last four).
    assert 1 <= len(seen["batches"]) <= 18
    assert not any(b"NormalizeConfig" in batch for batch in seen["batches"])


def test_workers_fork_only_from_a_single_threaded_process() -> None:
    """Workers fork (no second import of newsnorm) only while this process runs one
    thread; with another thread running they start from the forkserver."""
    import sys
    import threading

    from newsnorm._batch import _mp_context, _single_threaded

    if sys.platform != "linux":
        pytest.skip("fork is used on Linux only")
    if _single_threaded():
        assert _mp_context().get_start_method() == "fork"
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not _single_threaded()
        assert _mp_context().get_start_method() == "forkserver"
    finally:
        stop.set()
        thread.join()


def test_pipe_with_a_thread_running_uses_the_forkserver_and_equals_one_process(
    norm: Normalizer,
) -> None:
    import threading

    texts = [f"TRT World 's team {i}\u00a0on Monday" for i in range(12)]
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        two = [d.text for d in norm.pipe(texts, n_process=2, batch_size=3)]
    finally:
        stop.set()
        thread.join()
    assert two == [norm.normalize(t).text for t in texts]


# --- pickling and hashing ------------------------------------------------------------


def test_normalizer_pickles_equal_and_hashes_stably() -> None:
    norm = Normalizer(newsnorm.NormalizeConfig(steps=tuple(newsnorm.STEPS)))
    clone = pickle.loads(pickle.dumps(norm))
    assert clone == norm
    assert hash(clone) == hash(norm)
    assert pickle.dumps(Normalizer()) == pickle.dumps(Normalizer())


# --- map_partition -------------------------------------------------------------------


def test_map_partition_keeps_fields_and_replaces_text(
    norm: Normalizer, seeds: dict[str, Any]
) -> None:
    recs = [{**rec, "extra": [1, {"x": 2}]} for rec in _records(seeds)]
    out = list(norm.map_partition(iter(recs)))
    for rec, got in zip(recs, out, strict=True):
        doc = _expected(norm, rec)
        assert got["text"] == doc.text
        assert {k: v for k, v in got.items() if k not in ("text", "newsnorm")} == {
            k: v for k, v in rec.items() if k != "text"
        }
        assert set(got["newsnorm"]) == {"entities", "dates", "captions"}
        assert len(got["newsnorm"]["dates"]) == len(doc.dates)
        json.dumps(got)  # JSON-ready


def test_map_partition_explain_adds_changes_and_notes(norm: Normalizer) -> None:
    (got,) = norm.map_partition([{"text": "a\u00a0b"}], explain=True)
    assert [c["rule"] for c in got["newsnorm"]["changes"]] == [
        c.rule for c in norm.normalize("a\u00a0b").changes
    ]
    assert got["newsnorm"]["notes"] == [attrs.asdict(n) for n in norm.normalize("a\u00a0b").notes]


def test_map_partition_custom_fields(norm: Normalizer) -> None:
    recs = [{"key": "k1", "body": "TRT World 's", "date": "2017-07-11", "outlet": "TRT"}]
    (got,) = norm.map_partition(
        recs, text_field="body", date_field="date", source_field="outlet", id_field="key"
    )
    assert got["body"] == norm.normalize("TRT World 's").text
    assert got["date"] == "2017-07-11"


def test_map_partition_accepts_jsonl_lines(norm: Normalizer) -> None:
    lines = [json.dumps({"id": 1, "text": "a\u00a0b"}), b'{"id": 2, "text": "c"}\n']
    assert [r["text"] for r in norm.map_partition(lines)] == ["a b", "c"]


def test_map_partition_skip_and_keep(norm: Normalizer) -> None:
    recs: list[Any] = [{"id": "a", "text": "x"}, {"id": "b", "text": 5}, {"id": "c"}, "{oops"]
    report = BatchReport()
    assert [r["id"] for r in norm.map_partition(recs, on_error="skip", report=report)] == ["a"]
    assert [(f.index, f.id, f.error) for f in report.failures] == [
        (1, "b", "InputTypeError"),
        (2, "c", "RecordError"),
        (3, None, "RecordError"),
    ]
    kept = list(norm.map_partition(recs, on_error="keep"))
    assert [r.get("id") for r in kept] == ["a", "b", "c", None]  # every record comes out
    assert kept[3]["newsnorm"]["error"]["input"] == "{oops"
    assert kept[1]["text"] == 5
    assert kept[1]["newsnorm"]["error"]["type"] == "InputTypeError"
    with pytest.raises(InputTypeError):
        list(norm.map_partition(recs))


def test_map_partition_checks_field_names(norm: Normalizer) -> None:
    with pytest.raises(ConfigError, match="text_field"):
        norm.map_partition([], text_field="")
    with pytest.raises(ConfigError, match="date_field"):
        norm.map_partition([], date_field=3)  # type: ignore[arg-type]


# --- map_batch -----------------------------------------------------------------------


def test_map_batch_columns(norm: Normalizer, seeds: dict[str, Any]) -> None:
    recs = _records(seeds)
    batch = {key: [rec[key] for rec in recs] for key in recs[0]}
    out = norm.map_batch(batch)
    assert set(out) == {*batch, "newsnorm"}
    assert out["text"] == [_expected(norm, rec).text for rec in recs]
    assert out["id"] == batch["id"]
    assert all(isinstance(value, str) for value in out["newsnorm"])
    assert {"entities", "dates", "captions"} == set(json.loads(out["newsnorm"][0]))


def test_map_batch_explain_and_fields(norm: Normalizer) -> None:
    out = norm.map_batch(
        {"body": ["a\u00a0b"], "day": ["2017-07-11"]},
        text_field="body",
        date_field="day",
        explain=True,
    )
    found = json.loads(out["newsnorm"][0])
    assert found["changes"][0]["rule"] == "repair.odd-spaces"


def test_map_batch_skip_drops_the_row_everywhere(norm: Normalizer) -> None:
    batch = {"text": ["a", 7, "c"], "id": [1, 2, 3], "published": [None, None, "bad"]}
    out = norm.map_batch(batch, on_error="skip")
    assert out["id"] == [1] and out["text"] == ["a"] and len(out["newsnorm"]) == 1
    kept = norm.map_batch(batch, on_error="keep")
    assert kept["id"] == [1, 2, 3] and kept["text"] == ["a", 7, "c"]
    assert json.loads(kept["newsnorm"][2])["error"]["type"] == "InvalidDateError"
    with pytest.raises(InputTypeError):
        norm.map_batch(batch)


def test_map_batch_rejects_malformed_batches(norm: Normalizer) -> None:
    with pytest.raises(RecordError, match="no 'text' column"):
        norm.map_batch({"body": ["x"]})
    with pytest.raises(RecordError, match="rows"):
        norm.map_batch({"text": ["x", "y"], "id": [1]})
    with pytest.raises(RecordError, match="mapping"):
        norm.map_batch([["x"]])  # type: ignore[arg-type]


def test_nan_dates_and_sources_count_as_missing(norm: Normalizer) -> None:
    (doc,) = norm.pipe([{"text": "a\u00a0b", "published": float("nan"), "source": float("nan")}])
    assert doc.text == "a b" and doc.published is None and doc.source is None


def test_pipe_with_workers_is_lazy_and_stops_cleanly(norm: Normalizer) -> None:
    pulled: list[int] = []

    def endless() -> Iterator[str]:
        for i in itertools.count():
            pulled.append(i)
            yield f"text {i}"

    out = norm.pipe(endless(), n_process=2, batch_size=5)
    first = list(itertools.islice(out, 12))
    out.close()  # type: ignore[attr-defined]  # a generator: closing shuts the workers down
    assert [d.text for d in first] == [norm.normalize(f"text {i}").text for i in range(12)]
    # At most 4 * n_process + 1 batches waiting to be yielded and two more read ahead.
    assert len(pulled) <= 12 + (4 * 2 + 3) * 5


def test_pipe_with_workers_raises_the_typed_error(norm: Normalizer) -> None:
    with pytest.raises(InputTypeError, match="must be str"):
        list(norm.pipe(["ok", 42], n_process=2, batch_size=1))


def test_pipe_with_workers_yields_the_results_before_a_failure_made_here(
    norm: Normalizer,
) -> None:
    # The last 2 * batch_size items are normalised in this process: as with one
    # process, the results before the failing item come out, then its error.
    texts: list[Any] = [f"a\u00a0{i}" for i in range(20)]
    out = norm.pipe([*texts, 42, "never"], n_process=2, batch_size=2)
    got = []
    with pytest.raises(InputTypeError, match="must be str"):
        for doc in out:
            got.append(doc.text)
    assert got == [f"a {i}" for i in range(20)]


@pytest.mark.parametrize("size", [0, 1, 5, 6, 7, 23])
def test_pipe_with_workers_keeps_order_and_count_at_every_length(
    norm: Normalizer, size: int
) -> None:
    texts = [f"TRT World 's {i}\u00a0x" for i in range(size)]
    report = newsnorm.BatchReport()
    two = [d.text for d in norm.pipe(texts, n_process=3, batch_size=2, report=report)]
    assert two == [norm.normalize(t).text for t in texts]
    assert report.records_in == report.records_out == size


def test_pipe_with_workers_leaves_the_callers_gc_as_it_was(norm: Normalizer) -> None:
    """Workers freeze what they inherit out of their own cyclic GC; the caller's GC
    settings and frozen set stay as they were."""
    import gc

    before = (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count())
    texts = [f"a\u00a0{i}" for i in range(30)]
    assert [d.text for d in norm.pipe(texts, n_process=2, batch_size=3)] == [
        f"a {i}" for i in range(30)
    ]
    assert (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count()) == before


@pytest.mark.parametrize("bad", [0, 3, 9, 14])
def test_pipe_with_workers_yields_every_result_before_the_failing_item(
    norm: Normalizer, bad: int
) -> None:
    """As with one process, whichever process normalises the failing item: the results
    of the items before it come out, then its error."""
    items: list[Any] = [f"a\u00a0{i}" for i in range(24)]
    items[bad] = 42
    got = []
    with pytest.raises(InputTypeError, match="must be str"):
        for doc in norm.pipe(items, n_process=2, batch_size=2):
            got.append(doc.text)
    assert got == [f"a {i}" for i in range(bad)]


def test_pipe_with_workers_gives_back_the_callers_own_input_text(norm: Normalizer) -> None:
    """Workers leave a result's input text out, and this process puts back the very text
    it was given (as one process does); other inputs come back whole, equal and typed."""
    items: list[Any] = []
    for i in range(12):
        items += [
            f"TRT World 's {i}\u00a0x",  # a text that changes
            f"plain {i}",  # a text that does not (the result's text is its input)
            {"text": f"a\u00a0{i}", "published": "2017-07-11", "source": "TRT World"},
            {"text": f"same {i}", "id": i},
            # A str subclass and a dict subclass (importable by a forkserver's workers):
            # their texts go to the worker and come back, as anything but a str or dict.
            http.HTTPMethod.GET,
            collections.OrderedDict(text=f"c\u00a0{i}"),
        ]
    one = list(norm.pipe(items))
    two = list(norm.pipe(items, n_process=2, batch_size=3))
    assert two == one
    assert [d.to_dict() for d in two] == [d.to_dict() for d in one]
    for item, doc in zip(items, two, strict=True):
        given = (
            item if isinstance(item, str) else item.get("text") if isinstance(item, dict) else None
        )
        if type(item) is str or type(item) is dict:
            assert doc.original is given
            assert (doc.text is doc.original) == (doc.text == doc.original)
        elif isinstance(item, http.HTTPMethod):
            assert doc.original is item  # an enum member unpickles as itself
        if isinstance(item, dict) and "published" in item:
            assert type(doc.published) is datetime.date


def test_pipe_with_workers_keeps_failures_whole(norm: Normalizer) -> None:
    """Failed items (kept or skipped) go the general way, counted as with one process."""
    items: list[Any] = [f"a\u00a0{i}" if i % 4 else {"text": i} for i in range(30)]
    for on_error in ("keep", "skip"):
        one_report, two_report = BatchReport(), BatchReport()
        one = list(norm.pipe(items, on_error=on_error, report=one_report))  # type: ignore[call-overload]
        two = list(
            norm.pipe(items, on_error=on_error, report=two_report, n_process=2, batch_size=3)  # type: ignore[call-overload]
        )
        assert two == one
        assert two_report == one_report


def test_pipe_with_workers_raises_for_an_unpicklable_item_at_its_batchs_turn(
    norm: Normalizer,
) -> None:
    """A batch that cannot be pickled for a worker raises when its turn comes, after
    every result before it, as the worker pool did when it failed to send it. (The
    first two batches always go to the worker.)"""
    for bad, before in ((1, 0), (5, 4)):
        items: list[Any] = [f"a\u00a0{i}" for i in range(40)]
        items[bad] = {"text": "x", "extra": lambda: None}
        got = []
        with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
            for doc in norm.pipe(items, n_process=2, batch_size=4):
                got.append(doc.text)
        assert got == [f"a {i}" for i in range(before)]


# --- what a worker sends back ----------------------------------------------------------


def _round_trip(doc: newsnorm.Normalized) -> newsnorm.Normalized:
    """``doc`` as a worker sends it (without its input text) and this process rebuilds it."""
    from newsnorm._batch import _dumps, _lean_values, _loads

    ok, again, counts = _loads(_dumps((_lean_values(doc), {"x": 1})), doc.original)
    assert ok is True
    assert counts == {"x": 1}
    return again  # type: ignore[no-any-return]


@given(st.data(), st.text(alphabet="ab \n\u00a0\u2019\U0001f600\ud800", max_size=30))
def test_a_result_without_its_texts_comes_back_equal(data: st.DataObject, text: str) -> None:
    """Whatever two steps did to a text, the result a worker sends without its input text
    (and its output text in pieces) comes back equal, with the very input text given."""
    from _strategies import edit_lists

    doc = newsnorm.Normalized.from_text(text, published=datetime.date(2017, 7, 11))
    for step in ("one", "two"):
        doc = doc.apply(step, data.draw(edit_lists(doc.text)))
    from newsnorm._batch import _lean_values

    left_out = _lean_values(doc)[0]  # the alignment of a result apply made gives its text
    assert left_out is None if doc.text is doc.original else type(left_out) is tuple
    again = _round_trip(doc)
    assert again == doc
    assert again.original is doc.original
    assert again.text == doc.text
    assert type(again.published) is datetime.date
    assert again.to_dict() == doc.to_dict()


def test_a_result_whose_alignment_does_not_give_its_text_comes_back_whole() -> None:
    """The worker leaves the output text out only where the alignment gives it back."""
    from newsnorm._batch import _lean_values

    doc = attrs.evolve(newsnorm.Normalized.from_text("abc"), text="xyz")  # no regions
    assert _lean_values(doc)[0] == "xyz"
    assert _round_trip(doc) == doc
    unchanged = newsnorm.Normalized.from_text("abc")
    assert _lean_values(unchanged)[:2] == [None, None]
    again = _round_trip(unchanged)
    assert again == unchanged
    assert again.text is again.original is unchanged.original
