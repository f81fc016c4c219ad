"""Whole-pipeline speed: ``newsnorm.normalize`` (every registered step, with publication
dates and sources) against ``ftfy.fix_text`` on the same texts, in the same run.

Usage::

    python benchmarks/bench_normalize.py [--seeds examples/articles.jsonl]
        [--dev ../shared/data/boilerplate-dev/cases.jsonl] [--repeat 5] [--steps] [--profile]

Prints the throughput of both (best of ``--repeat`` passes, in CPU time) and the ratio
(target: newsnorm >= 2x ftfy's throughput).
``--steps`` also prints each step's time per pass (each step timed on the documents the
steps before it produced, as in the pipeline).
``--profile`` also prints a pyinstrument profile of newsnorm's run (``pip install
'newsnorm[bench]'``).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ftfy

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import DEV, SEEDS, load_records

import newsnorm


def best_time(run: Callable[[], Any], repeat: int) -> float:
    """The least CPU time (``time.process_time``) of ``repeat`` runs: other load on the
    machine does not count, so both sides of the ratio are measured alike."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    parser.add_argument("--dev", type=Path, default=DEV)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--steps", action="store_true")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    records = load_records(args.seeds, args.dev)
    chars = sum(len(r["text"]) for r in records)
    norm = newsnorm.Normalizer()

    def run_newsnorm() -> None:
        for r in records:
            norm.normalize(r["text"], published=r["published"], source=r["source"])

    def run_ftfy() -> None:
        for r in records:
            ftfy.fix_text(r["text"])

    run_newsnorm()  # warm-up (and compile caches of regex/ftfy)
    run_ftfy()
    t_newsnorm = best_time(run_newsnorm, args.repeat)
    t_ftfy = best_time(run_ftfy, args.repeat)
    print(f"steps: {', '.join(norm.config.steps)}")
    print(f"corpus: {len(records)} articles, {chars:,} characters")
    for name, seconds in (("newsnorm.normalize", t_newsnorm), ("ftfy.fix_text", t_ftfy)):
        print(
            f"{name:20s} {seconds * 1000:8.1f} ms  {len(records) / seconds:8.0f} articles/s  "
            f"{chars / seconds / 1e6:6.2f} M chars/s"
        )
    ratio = t_ftfy / t_newsnorm
    verdict = "met" if ratio >= 2.0 else "NOT met"
    print(f"ratio newsnorm/ftfy throughput: {ratio:.2f}x (target >= 2x: {verdict})")

    if args.steps:
        from newsnorm._inputs import as_doc

        docs = [as_doc(r["text"], published=r["published"], source=r["source"]) for r in records]
        for name, runner in norm._runners:
            inputs = docs

            def run_step(inputs: list[Any] = inputs, runner: Any = runner) -> None:
                for doc in inputs:
                    runner(doc)

            seconds = best_time(run_step, args.repeat)
            print(f"  step {name:12s} {seconds * 1000:8.1f} ms")
            docs = [runner(doc) for doc in inputs]

    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(3):
            run_newsnorm()
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    main()
