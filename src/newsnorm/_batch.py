"""Batches: the engine behind ``Normalizer.pipe``, ``map_batch``, ``map_partition`` and the CLI.

One code path turns an *item* (a text, or a record: a mapping with a text field and
optional publication date, outlet and id fields) into an *outcome*: the result, or a
failure with what can be kept of the item. Outcomes are made in batches, in this
process or in worker processes (each worker unpickles the :class:`~newsnorm.Normalizer`
once, so the rules are compiled once per worker), and are always consumed in input
order by the caller, which counts them in a :class:`BatchReport`.

The accounting rule: ``records_in == records_out + skipped``, where a failed record is
either *skipped* (left out of the output) or *kept* (written out unchanged and marked).
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import multiprocessing.context
import os
import pickle
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import attrs

from newsnorm._inputs import coerce_published, coerce_source, coerce_text
from newsnorm._model import Normalized, Note, _unpickle_normalized
from newsnorm.errors import ConfigError, InputTypeError, InvalidDateError, RecordError

if TYPE_CHECKING:
    from newsnorm._pipeline import Normalizer

__all__ = [
    "BatchReport",
    "Fields",
    "OnError",
    "RecordFailure",
    "check_batch_size",
    "check_n_process",
    "check_on_error",
    "findings",
    "run",
]

OnError: TypeAlias = Literal["raise", "skip", "keep"]
"""What a batch does with a record that fails: stop (``"raise"``), leave it out of
the output and report it (``"skip"``), or write it out unchanged, marked, and report
it (``"keep"``)."""

_ON_ERROR = ("raise", "skip", "keep")


def check_on_error(value: object) -> OnError:
    """Validate an ``on_error`` argument."""
    if value == "raise":
        return "raise"
    if value == "skip":
        return "skip"
    if value == "keep":
        return "keep"
    msg = f"on_error must be one of {', '.join(map(repr, _ON_ERROR))}, got {value!r}"
    raise ConfigError(msg)


def check_batch_size(value: object) -> int:
    """Validate a ``batch_size`` argument (a positive int)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        msg = f"batch_size must be a positive int, got {value!r}"
        raise ConfigError(msg)
    return value


def check_n_process(value: object) -> int:
    """Validate ``n_process`` and resolve ``-1`` to the number of CPUs."""
    if isinstance(value, bool) or not isinstance(value, int) or value == 0 or value < -1:
        msg = f"n_process must be a positive int or -1 (all cores), got {value!r}"
        raise ConfigError(msg)
    if value == -1:
        return os.cpu_count() or 1
    return value


@attrs.frozen(kw_only=True)
class Fields:
    """Names of the record fields a batch reads (``None``: the records have no such field)."""

    text: str = "text"
    published: str | None = "published"
    source: str | None = "source"
    id: str | None = "id"

    @classmethod
    def of(
        cls,
        text_field: object,
        date_field: object,
        source_field: object,
        id_field: object = "id",
    ) -> Fields:
        """Fields from user arguments, checked."""
        if not isinstance(text_field, str) or not text_field:
            msg = f"text_field must be a non-empty str, got {text_field!r}"
            raise ConfigError(msg)
        for name, value in (
            ("date_field", date_field),
            ("source_field", source_field),
            ("id_field", id_field),
        ):
            if value is not None and not isinstance(value, str):
                msg = f"{name} must be a str or None, got {value!r}"
                raise ConfigError(msg)
        return cls(
            text=text_field,
            published=date_field,  # type: ignore[arg-type]
            source=source_field,  # type: ignore[arg-type]
            id=id_field,  # type: ignore[arg-type]
        )


@attrs.frozen(kw_only=True)
class RecordFailure:
    """A record that could not be normalised.

    Attributes:
        index: Position of the record in the input (0-based, counting every record).
        id: The record's id field, if it had one.
        where: Where the record came from (``"articles.jsonl:12"``), if known.
        error: Class name of the exception (``"InvalidDateError"``, ``"RecordError"``).
        message: The exception's message.
        kept: Whether the record was written out unchanged (``on_error="keep"``).
    """

    index: int
    id: str | None = None
    where: str | None = None
    error: str
    message: str
    kept: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the failure."""
        return attrs.asdict(self)

    def __str__(self) -> str:
        place = self.where or f"record {self.index}"
        ident = f" (id {self.id})" if self.id is not None else ""
        return f"{place}{ident}: {self.error}: {self.message}"


@attrs.define(kw_only=True)
class BatchReport:
    """Counters of a batch run, filled in as the output is consumed.

    Pass one to :meth:`~newsnorm.Normalizer.pipe` (or the other batch methods) to
    learn what happened; it is an explicit object owned by the caller, never global.
    Once the output has been consumed, ``records_in == records_out + skipped``.

    Attributes:
        records_in: Records read.
        records_out: Records written out (normalised ones and kept failures).
        skipped: Failed records left out of the output.
        kept: Failed records written out unchanged.
        changes: Number of changes made by each step that ran.
        failures: The failures, in input order (the first ``max_failures`` of them).
        max_failures: How many failures to hold in ``failures`` (default 1000); the
            counters count them all.

    >>> import newsnorm
    >>> report = newsnorm.BatchReport()
    >>> norm = newsnorm.Normalizer()
    >>> docs = list(norm.pipe(["a\\u00a0b", 42, "ok"], on_error="skip", report=report))
    >>> [d.text for d in docs]
    ['a b', 'ok']
    >>> report.records_in, report.records_out, report.skipped
    (3, 2, 1)
    >>> print(report.failures[0])
    record 1: InputTypeError: text must be str, got int: 42
    """

    records_in: int = 0
    records_out: int = 0
    skipped: int = 0
    kept: int = 0
    changes: dict[str, int] = attrs.field(factory=dict)
    failures: list[RecordFailure] = attrs.field(factory=list)
    max_failures: int = 1000

    @property
    def failed(self) -> int:
        """The number of records that failed (``skipped + kept``)."""
        return self.skipped + self.kept

    def summary(self) -> str:
        """One line with every counter.

        >>> BatchReport(records_in=3, records_out=2, skipped=1, changes={"repair": 4}).summary()
        '3 records in, 2 out, 1 failed (1 skipped, 0 kept); changes: repair 4'
        """
        head = (
            f"{self.records_in} record{'' if self.records_in == 1 else 's'} in, "
            f"{self.records_out} out, {self.failed} failed "
            f"({self.skipped} skipped, {self.kept} kept)"
        )
        if not self.changes:
            return head
        per_step = ", ".join(f"{step} {n}" for step, n in self.changes.items())
        return f"{head}; changes: {per_step}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the counters (failures included)."""
        return {
            "records_in": self.records_in,
            "records_out": self.records_out,
            "failed": self.failed,
            "skipped": self.skipped,
            "kept": self.kept,
            "changes": dict(self.changes),
            "failures": [f.to_dict() for f in self.failures],
        }

    def _start(self, steps: Iterable[str]) -> None:
        for step in steps:
            self.changes.setdefault(step, 0)

    def _count_ok(self, counts: Mapping[str, int]) -> None:
        self.records_in += 1
        self.records_out += 1
        for step, n in counts.items():
            self.changes[step] = self.changes.get(step, 0) + n

    def _count_failure(self, failure: RecordFailure) -> None:
        self.records_in += 1
        if failure.kept:
            self.kept += 1
            self.records_out += 1
        else:
            self.skipped += 1
        if len(self.failures) < self.max_failures:
            self.failures.append(failure)


# --------------------------------------------------------------------------------------
# Turning one item into an outcome.

Mode: TypeAlias = Literal["doc", "record", "json"]
"""What a job yields: ``Normalized`` results (``pipe``), output records
(``map_partition``, ``map_batch``), or JSON lines (the CLI)."""


@attrs.frozen(kw_only=True)
class Job:
    """Everything a worker needs: picklable, and compiled once where it is unpickled."""

    normalizer: Normalizer
    mode: Mode
    fields: Fields = Fields()
    explain: bool = False
    on_error: OnError = "raise"


# An outcome is (True, payload, change counts) or (False, failure fields, kept payload).
Outcome: TypeAlias = tuple[bool, Any, Any]


def findings(doc: Normalized, *, explain: bool = False) -> dict[str, Any]:
    """What a record's ``newsnorm`` field holds: entities, dates, captions (and the changes
    and notes with ``explain``), as JSON-ready data."""
    out: dict[str, Any] = {
        "entities": [attrs.asdict(e) for e in doc.entities],
        "dates": [_date_dict(d) for d in doc.dates],
        "captions": [
            {
                "text": c.text,
                "credit": c.credit,
                "spans": [list(s) for s in c.spans],
                "kind": c.kind,
            }
            for c in doc.captions
        ],
    }
    if explain:
        out["changes"] = [attrs.asdict(c) for c in doc.changes]
        out["notes"] = [attrs.asdict(n) for n in doc.notes]
    return out


def _date_dict(mention: Any) -> dict[str, Any]:
    out = attrs.asdict(mention)
    for key in ("start_date", "end_date"):
        if out[key] is not None:
            out[key] = out[key].isoformat()
    return out


def _counts(doc: Normalized) -> dict[str, int]:
    counts: dict[str, int] = {}
    for change in doc.changes:
        counts[change.step] = counts.get(change.step, 0) + 1
    return counts


def _error_fields(err: BaseException) -> tuple[str, str]:
    return type(err).__name__, str(err)


def _record_id(record: Mapping[str, Any], fields: Fields) -> str | None:
    if fields.id is None or fields.id not in record:
        return None
    value = record[fields.id]
    return None if value is None else str(value)


def _normalize_record(job: Job, record: Mapping[str, Any]) -> Normalized:
    fields = job.fields
    if fields.text not in record:
        msg = f"record has no {fields.text!r} field"
        raise RecordError(msg)
    text = coerce_text(record[fields.text], name=f"field {fields.text!r}")
    published = None
    if fields.published is not None:
        published = _checked(coerce_published, record.get(fields.published), fields.published)
    source = None
    if fields.source is not None:
        source = _checked(coerce_source, record.get(fields.source), fields.source)
    return job.normalizer.normalize(text, published=published, source=source)


def _checked(coerce: Callable[[object], Any], value: Any, field: str) -> Any:
    """``coerce(value)``, with the record's field named in the error."""
    try:
        return coerce(_nan_is_none(value))
    except (InputTypeError, InvalidDateError) as err:
        msg = f"field {field!r}: {err}"
        raise type(err)(msg) from None


def _nan_is_none(value: Any) -> Any:
    """A float NaN (how pandas and Arrow write a missing value) means "no value"."""
    return None if isinstance(value, float) and value != value else value  # noqa: PLR0124


def _output_record(job: Job, record: Mapping[str, Any], doc: Normalized) -> dict[str, Any]:
    out = dict(record)
    out[job.fields.text] = doc.text
    out["newsnorm"] = findings(doc, explain=job.explain)
    return out


def _kept_record(record: Mapping[str, Any], err: BaseException) -> dict[str, Any]:
    out = dict(record)
    error, message = _error_fields(err)
    out["newsnorm"] = {"error": {"type": error, "message": message}}
    return out


def _failed_doc(text: str, err: BaseException) -> Normalized:
    error, message = _error_fields(err)
    note = Note(step="batch", code="record-error", message=f"{error}: {message}")
    return attrs.evolve(Normalized.from_text(text), notes=(note,))


def process(job: Job, item: Any) -> Outcome:
    """Turn one item into an outcome (raising only with ``on_error="raise"``)."""
    record: Mapping[str, Any] | None = None
    try:
        if isinstance(item, RecordError):  # the reader could not make a record
            raise item
        if job.mode != "doc" and isinstance(item, bytes | str):
            record = _parse_line(item)
        elif isinstance(item, Mapping):
            record = item
        if job.mode == "doc" and record is None:
            doc = job.normalizer.normalize(item)
            return True, doc, _counts(doc)
        if record is None:
            msg = f"a record must be a mapping, got {type(item).__name__}"
            raise RecordError(msg)
        doc = _normalize_record(job, record)
        counts = _counts(doc)
        if job.mode == "doc":
            return True, doc, counts
        out = _output_record(job, record, doc)
        if job.mode == "json":
            return True, json.dumps(out, ensure_ascii=False), counts
        return True, out, counts
    except Exception as err:
        if job.on_error == "raise":
            raise
        ident = _record_id(record, job.fields) if record is not None else None
        kept: Any = None
        if job.on_error == "keep":
            # Every record comes out, even one with no text or no record at all.
            if job.mode == "doc":
                text = record.get(job.fields.text) if record is not None else item
                kept = _failed_doc(text if isinstance(text, str) else "", err)
            elif record is not None:
                kept = _kept_record(record, err)
            else:
                kept = _kept_input(item, err)
            if job.mode == "json":
                kept = json.dumps(kept, ensure_ascii=False, default=str)
        return False, (ident, *_error_fields(err)), kept


def _kept_input(item: Any, err: BaseException) -> dict[str, Any]:
    """What "keep" writes for an item that is no record (a bad JSON line, a number):
    the error, and the input itself (a line as text)."""
    if isinstance(item, bytes):
        item = item.decode("utf-8", errors="replace")
    if isinstance(item, str):
        item = item.rstrip("\r\n")
    elif isinstance(item, RecordError):
        item = None
    error, message = _error_fields(err)
    return {"newsnorm": {"error": {"type": error, "message": message, "input": item}}}


def _json_text(value: Any) -> str:
    """JSON text that is valid UTF-8: a lone surrogate (from the input, in a change's
    ``before``) is written as its ``\\ud800`` escape, which Arrow and files accept."""
    text = json.dumps(value, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, ensure_ascii=True)
    return text


_JSON_TYPES: dict[type, str] = {
    list: "array",
    str: "string",
    int: "number",
    float: "number",
    bool: "boolean",
    type(None): "null",
}


def _parse_line(line: bytes | str) -> Mapping[str, Any]:
    try:
        value = json.loads(line)
    except UnicodeDecodeError as err:
        msg = f"line is not valid UTF-8 ({err.reason} at byte {err.start})"
        raise RecordError(msg) from None
    except json.JSONDecodeError as err:
        msg = f"line is not valid JSON ({err.msg} at column {err.colno})"
        raise RecordError(msg) from None
    if not isinstance(value, dict):
        msg = f"line is a JSON {_JSON_TYPES.get(type(value), type(value).__name__)}, not an object"
        raise RecordError(msg)
    return value


# --------------------------------------------------------------------------------------
# Worker processes. The job is sent once per worker by the pool's initializer; the
# compiled normalizer then lives in the worker process for its whole life.

_WORKER_JOB: list[Job] = []


def _init_worker(job: Job) -> None:
    # Everything the worker holds now (a forked copy of the caller's objects, or the
    # modules a new process imported, and the compiled rules) lives as long as the
    # worker: freezing it keeps the cyclic GC from scanning it again at every old
    # generation collection (and, after a fork, from touching, hence copying, the pages
    # it shares with the caller). This changes the worker's own GC only.
    gc.freeze()
    _WORKER_JOB[:] = [job]


def _worker_batch(blob: bytes) -> tuple[list[bytes], Exception | None]:
    """The outcomes of a batch (pickled by the caller: see :func:`_pickle_batch`), each
    pickled as soon as it is made, and the exception that stopped the batch
    (``on_error="raise"``), if one did.

    Pickled one by one, a result is freed in the worker at once (as in one process,
    the cyclic GC then seldom runs), and the caller unpickles each only when its turn
    to be yielded comes (its pool thread just moves bytes, and no batch of unpickled
    results waits in memory for the GC to scan). The results before a failing item
    come back too, so that the caller yields them before raising, as one process does.

    A result whose input text is its item's own text (see :func:`_item_text`) comes
    back without it, as ``(values, counts)``: the caller holds that text already and
    puts it back (:func:`_loads`), which saves pickling, sending and unpickling about
    half of the result's bytes.
    """
    job = _WORKER_JOB[0]
    items = pickle.loads(blob)
    lean = job.mode == "doc"
    done: list[bytes] = []
    try:
        for item in items:
            outcome = process(job, item)
            if lean and outcome[0]:
                text = _item_text(job, item)
                if text is not None and outcome[1].original is text:
                    done.append(_dumps((_lean_values(outcome[1]), outcome[2])))
                    continue
            done.append(_dumps(outcome))
    except Exception as err:  # raised by the caller at its turn
        return done, err
    return done, None


def _item_text(job: Job, item: Any) -> str | None:
    """The input text of an item, where it is a ``str`` held by the item itself (a text,
    or the text field of a plain dict record); else ``None``. The caller and the worker
    each take it from their own copy of the same pickled batch."""
    if type(item) is str:
        return item
    if type(item) is dict:
        text = item.get(job.fields.text)
        if type(text) is str:
            return text
    return None


def _lean_values(doc: Normalized) -> list[Any]:
    """What :meth:`Normalized.__reduce__` pickles, without the input text: ``None`` in
    its place, and in the place of the output text ``None`` when that is the input
    text, else the output text of each region of the alignment (see :func:`_rebuild`),
    or the output text itself where that does not give it back."""
    values = list(doc.__reduce__()[1])
    text, original = values[0], values[1]
    values[1] = None
    if text is original:
        values[0] = None
    else:
        a = doc.alignment
        pieces = tuple(map(text.__getitem__, map(slice, a.tstart, a.tend)))
        if _rebuild(original, a.ostart, a.oend, pieces) == text:
            values[0] = pieces
    return values


def _rebuild(original: str, ostart: Any, oend: Any, pieces: tuple[str, ...]) -> str:
    """The output text from the input text: outside the alignment's regions the two
    are the same, inside region ``i`` the output is ``pieces[i]``. (The worker checks
    that this gives back the output text before it leaves it out.)"""
    parts: list[str] = []
    pos = 0
    for start, end, piece in zip(ostart, oend, pieces, strict=True):
        parts.append(original[pos:start])
        parts.append(piece)
        pos = end
    parts.append(original[pos:])
    return "".join(parts)


def _loads(blob: bytes, text: str | None) -> Outcome:
    """An outcome a worker pickled, with its input text put back where it left it out
    (and its output text made again from it, where the worker left that out too)."""
    outcome = pickle.loads(blob)
    if len(outcome) == 3:
        return outcome  # type: ignore[no-any-return]
    values, counts = outcome
    if text is None:  # cannot happen: the worker found the same text in its copy
        msg = "a worker left out the input text of an item that has none"
        raise RuntimeError(msg)
    values[1] = text
    out = values[0]
    if out is None:
        values[0] = text
    elif type(out) is tuple:
        ostart, oend, _tstart, _tend = values[9]  # the alignment: see Normalized.__reduce__
        values[0] = _rebuild(text, ostart, oend, out)
    return True, _unpickle_normalized(*values), counts


def _pickle_batch(job: Job, batch: list[Any]) -> tuple[bytes, list[str | None]]:
    """A batch pickled for a worker, and the input text of each item (:func:`_item_text`),
    taken at the same moment, so that what the worker reads is what the caller holds.
    Plain ``pickle``: the pool's ``ForkingPickler`` also pickles sockets and pipe
    connections, which no text or record holds, for about 1 us more a record. The pool
    then only copies the bytes."""
    blob = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
    if job.mode != "doc":
        return blob, []
    return blob, [_item_text(job, item) for item in batch]


def _dumps(outcome: Any) -> bytes:
    return pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)


def _mp_context() -> multiprocessing.context.BaseContext:
    """How worker processes start.

    ``fork`` on Linux when this process runs a single OS thread: the workers then start
    in milliseconds with the rules already compiled, instead of importing newsnorm
    again (about 0.6 s of CPU, which on a two-core machine is a large part of a batch
    run). ``fork`` is unsafe only when another thread may hold a lock at the moment of
    the fork, and a process with one thread has none (this is the condition under which
    Python 3.12+ warns). Otherwise ``forkserver`` where there is one (POSIX), else
    ``spawn``.
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and sys.platform == "linux" and _single_threaded():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _single_threaded() -> bool:
    """Whether this process runs exactly one thread, counting threads that Python did
    not start (``/proc/self/task`` lists every OS thread). A thread Python has already
    joined may take a moment to leave that list (the queue thread of a worker pool that
    just shut down leaves it within a millisecond): it is given up to 10 ms."""
    if threading.active_count() != 1:
        return False
    for _ in range(10):
        try:
            if len(os.listdir("/proc/self/task")) == 1:  # noqa: PTH208 (cheapest call)
                return True
        except OSError:
            return False
        time.sleep(0.001)
    return False


class _Local:
    """Outcomes this process made itself, waiting for their turn (and the exception that
    stopped it, raised at its item's turn as in one process)."""

    __slots__ = ("error", "outcomes")

    def __init__(self) -> None:
        self.outcomes: list[Outcome] = []
        self.error: Exception | None = None


_END = object()


def outcomes(
    job: Job, items: Iterable[Any], *, batch_size: int = 1000, n_process: int = 1
) -> Iterator[Outcome]:
    """Outcomes of ``items`` in order, made by ``n_process`` processes: this one and
    ``n_process - 1`` workers.

    The workers get batches of ``batch_size`` items, two each in flight. This process
    yields the results in order and, while the next batch is not back, normalises the
    next items itself: its results need no pickling, and on a machine with as many cores
    as processes no core waits for this one. At most ``4 * n_process + 1`` batches, the
    workers' and this process's own, wait to be yielded (with room for ``2 * n_process
    + 1`` only, this process waited for the worker a third of the time and did 40% of
    the items, not half). The last ``2 * batch_size`` items are left to this process,
    which then ends about when the workers do. Input is read lazily, at most ``4 *
    n_process + 3`` batches ahead of the caller, so memory stays flat however long the
    input is.
    """
    if n_process <= 1:
        for item in items:
            yield process(job, item)
        return
    from concurrent.futures import Future, ProcessPoolExecutor  # noqa: PLC0415 (lazy)

    workers = n_process - 1
    executor = ProcessPoolExecutor(
        workers, mp_context=_mp_context(), initializer=_init_worker, initargs=(job,)
    )
    source = iter(items)
    ahead: deque[Any] = deque()  # read, not yet given out (so the end shows in time)
    pending: deque[
        tuple[Future[tuple[list[bytes], Exception | None]], list[str | None]] | _Local
    ] = deque()
    remote = 0  # futures in ``pending``
    local: _Local | None = None  # the last entry of ``pending`` while it still grows
    exhausted = failed = False
    try:
        while True:
            while not exhausted and len(ahead) < 2 * batch_size:
                item = next(source, _END)
                if item is _END:
                    exhausted = True
                else:
                    ahead.append(item)
            if remote < 2 * workers and not exhausted and not failed:
                # A worker has room, and more than the last items are left.
                local = None  # what this process makes next comes after that batch
                try:
                    blob, texts = _pickle_batch(job, [ahead.popleft() for _ in range(batch_size)])
                except Exception as err:  # an item that cannot be pickled
                    stop = _Local()
                    stop.error = err  # raised at the batch's turn, as the pool would
                    pending.append(stop)
                    failed = True
                    continue
                pending.append((executor.submit(_worker_batch, blob), texts))
                remote += 1
                continue
            if not pending and not ahead:
                return
            head = pending[0] if pending else None
            if isinstance(head, _Local):
                pending.popleft()
                if head is local:
                    local = None
                yield from head.outcomes
                if head.error is not None:
                    raise head.error
                continue
            if head is not None and (
                head[0].done() or failed or not ahead or len(pending) > 4 * n_process
            ):
                pending.popleft()
                remote -= 1
                future, texts = head
                done, error = future.result()
                if texts:
                    yield from map(_loads, done, texts)
                else:
                    yield from map(pickle.loads, done)
                if error is not None:
                    raise error
                continue
            # The next batch is not back yet: normalise the next item here meanwhile.
            if local is None:
                local = _Local()
                pending.append(local)
            try:
                local.outcomes.append(process(job, ahead.popleft()))
            except Exception as err:
                local.error = err  # raised at its turn, after the results before it
                failed = True
            if len(local.outcomes) >= batch_size or failed:
                local = None
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def run(
    job: Job,
    items: Iterable[Any],
    *,
    batch_size: int = 1000,
    n_process: int = 1,
    report: BatchReport | None = None,
    wheres: Callable[[int], str | None] | None = None,
    on_failure: Callable[[RecordFailure], None] | None = None,
) -> Iterator[tuple[int, Any]]:
    """``(index, payload)`` of ``items`` in order: skipped failures left out, every
    outcome counted in ``report`` and failures passed to ``on_failure``."""
    if report is not None:
        report._start(job.normalizer.config.steps)
    for index, (ok, payload, extra) in enumerate(
        outcomes(job, items, batch_size=batch_size, n_process=n_process)
    ):
        if ok:
            if report is not None:
                report._count_ok(extra)
            yield index, payload
            continue
        ident, error, message = payload
        failure = RecordFailure(
            index=index,
            id=ident,
            where=wheres(index) if wheres is not None else None,
            error=error,
            message=message,
            kept=extra is not None,
        )
        if report is not None:
            report._count_failure(failure)
        if on_failure is not None:
            on_failure(failure)
        if extra is not None:
            yield index, extra


def split_tuples(pairs: Iterable[tuple[Any, Any]], contexts: deque[Any]) -> Iterator[Any]:
    """Items of ``(item, context)`` pairs; the contexts are queued in ``contexts``."""
    for pair in pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            msg = f"with as_tuples=True every item must be an (item, context) pair, got {pair!r}"
            raise RecordError(msg)
        contexts.append(pair[1])
        yield pair[0]


def join_tuples(results: Iterable[tuple[int, Any]], contexts: deque[Any]) -> Iterator[Any]:
    """``(payload, context)`` pairs: each result meets the context of its own item."""
    consumed = 0
    for index, payload in results:
        while consumed < index:  # contexts of skipped items
            contexts.popleft()
            consumed += 1
        consumed += 1
        yield payload, contexts.popleft()


def map_batch(job: Job, batch: Mapping[str, list[Any]]) -> dict[str, list[Any]]:
    """The columns of a Hugging Face ``datasets`` batch, normalised (see
    :meth:`~newsnorm.Normalizer.map_batch`)."""
    fields = job.fields
    if not isinstance(batch, Mapping):
        msg = f"a batch must be a mapping of column names to lists, got {type(batch).__name__}"
        raise RecordError(msg)
    if fields.text not in batch:
        msg = f"the batch has no {fields.text!r} column (columns: {', '.join(map(str, batch))})"
        raise RecordError(msg)
    columns = {name: list(values) for name, values in batch.items()}
    size = len(columns[fields.text])
    for name, values in columns.items():
        if len(values) != size:
            msg = f"column {name!r} has {len(values)} rows, {fields.text!r} has {size}"
            raise RecordError(msg)
    read = [name for name in (fields.text, fields.published, fields.source) if name in columns]
    texts: list[Any] = []
    found: list[str] = []
    keep_rows: list[int] = []
    for row in range(size):
        record = {name: columns[name][row] for name in read}
        ok, payload, kept = process(attrs.evolve(job, mode="doc"), record)
        if ok:
            texts.append(payload.text)
            found.append(_json_text(findings(payload, explain=job.explain)))
        elif kept is not None or job.on_error == "keep":
            _ident, error, message = payload
            texts.append(columns[fields.text][row])
            found.append(json.dumps({"error": {"type": error, "message": message}}))
        else:
            continue
        keep_rows.append(row)
    out = {
        name: values if len(keep_rows) == size else [values[i] for i in keep_rows]
        for name, values in columns.items()
    }
    out[fields.text] = texts
    out["newsnorm"] = found
    return out
