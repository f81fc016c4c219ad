"""CPU time of the core every step shares, replayed from a run of the whole pipeline.

Usage::

    python benchmarks/bench_core.py [--repeat N] [--wire]

Runs ``Normalizer()`` once over ``bench_normalize.py``'s corpus (the seed records and the
dev pages) and records every call the steps make to ``Normalized.apply`` and to
``removal_edits`` (with the ``LineTable`` it is given). It then times those calls alone,
step by step (best of ``--repeat`` passes, CPU time of this process), and prints the
microseconds per call and per corpus pass. The corpus pass of the whole pipeline is timed
in the same run, so the share of the core in it is a ratio of figures measured alike.
For a load-independent figure of the same calls, see ``instructions.py``.

``--wire`` instead times what ``pipe(n_process>1)`` adds to a result a worker makes: the
worker pickling it (as ``_batch._worker_batch`` does, without the input text where it
can) and the caller unpickling it and putting its texts back (``_batch._loads``), in
microseconds per result (best of ``--repeat`` passes over fresh results, CPU time), with
the bytes per result. Fresh results matter: pickling caches a string's UTF-8 form in it.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import DEV, SEEDS, load_records
from bench_normalize import best_time as best

import newsnorm
from newsnorm import _lines, boilerplate, captions
from newsnorm._model import Normalized


def record_calls(
    records: list[dict[str, Any]],
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The ``apply`` and ``removal_edits`` calls of one pipeline pass, with their arguments."""
    applies: list[tuple[Any, ...]] = []
    removals: list[tuple[Any, ...]] = []
    apply = Normalized.apply
    removal_edits = _lines.removal_edits

    def spy_apply(doc: Normalized, step: str, edits: Any, **kw: Any) -> Normalized:
        kw = {k: list(v) for k, v in kw.items()}
        applies.append((doc, step, list(edits), kw))
        return apply(doc, step, edits, **kw)

    def spy_removal(text: str, lines: Any, marks: Any) -> Any:
        step = "captions" if sys._getframe(1).f_globals is vars(captions) else "boilerplate"
        removals.append((step, text, list(lines._parts), dict(marks)))
        return removal_edits(text, lines, marks)

    norm = newsnorm.Normalizer()
    Normalized.apply = spy_apply  # type: ignore[method-assign]
    boilerplate.removal_edits = captions.removal_edits = spy_removal  # type: ignore[assignment]
    try:
        for r in records:
            norm.normalize(r["text"], published=r["published"], source=r["source"])
    finally:
        Normalized.apply = apply  # type: ignore[method-assign]
        boilerplate.removal_edits = captions.removal_edits = removal_edits
    return applies, removals


def wire(records: list[dict[str, Any]], repeat: int) -> None:
    """Print the ``--wire`` figures (see the module docs)."""
    import time

    from newsnorm import _batch

    job = _batch.Job(normalizer=newsnorm.Normalizer(), mode="doc")
    blob, texts = _batch._pickle_batch(job, records)
    items = pickle.loads(blob)
    dumps = loads = float("inf")
    sizes: list[int] = []
    for _ in range(repeat):
        outs = [_batch.process(job, item) for item in items]  # fresh results each pass
        start = time.process_time()
        sent = []
        for item, outcome in zip(items, outs, strict=True):
            text = _batch._item_text(job, item)
            if outcome[0] and text is not None and outcome[1].original is text:
                sent.append(_batch._dumps((_batch._lean_values(outcome[1]), outcome[2])))
            else:
                sent.append(_batch._dumps(outcome))
        mid = time.process_time()
        back = list(map(_batch._loads, sent, texts))
        end = time.process_time()
        assert back == outs
        dumps, loads = min(dumps, mid - start), min(loads, end - mid)
        sizes = list(map(len, sent))
    n = len(records)
    print(
        f"pipe's wire, {n} results: worker pickles {dumps / n * 1e6:.1f} us, caller unpickles "
        f"{loads / n * 1e6:.1f} us per result; {sum(sizes) / n:,.0f} bytes per result"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed passes (best is kept)")
    parser.add_argument("--wire", action="store_true", help="time what pipe's workers add")
    args = parser.parse_args(argv)
    records = load_records(SEEDS, DEV)
    if args.wire:
        wire(records, args.repeat)
        return 0
    applies, removals = record_calls(records)
    norm = newsnorm.Normalizer()

    def whole() -> None:
        for r in records:
            norm.normalize(r["text"], published=r["published"], source=r["source"])

    by_step: dict[str, list[Callable[[], object]]] = defaultdict(list)
    for doc, step, edits, kw in applies:
        by_step[f"apply {step}"].append(
            lambda doc=doc, step=step, edits=edits, kw=kw: doc.apply(step, edits, **kw)
        )
    for step, text, parts, marks in removals:
        by_step[f"removal_edits {step}"].append(
            lambda text=text, parts=parts, marks=marks: _lines.removal_edits(
                text, _lines.LineTable(text, parts), marks
            )
        )
    whole()  # warm up
    t_whole = best(whole, args.repeat)
    print(f"corpus: {len(records)} articles; whole pipeline {t_whole * 1000:8.1f} ms per pass")
    total = 0.0
    for name, calls in sorted(by_step.items()):

        def run(calls: list[Callable[[], object]] = calls) -> None:
            for call in calls:
                call()

        t = best(run, args.repeat)
        total += t
        print(
            f"  {name:26s} {len(calls):4d} calls {t / len(calls) * 1e6:7.1f} us/call "
            f"{t * 1000:7.2f} ms per pass"
        )
    print(f"core calls {total * 1000:.2f} ms per pass = {total / t_whole:.1%} of the pipeline")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
