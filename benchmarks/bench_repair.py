"""Throughput of ``repair_text`` against ``ftfy.fix_text`` (default config), in one run.

Usage::

    python benchmarks/bench_repair.py [DEV_CASES_JSONL] [--rounds N]

Prints documents/s and MB/s for both, the ratio (target: newsnorm >= 2x ftfy), and a
parity check: on every line where ftfy (with newsnorm's news-safe options) changes
something, newsnorm's text is ftfy's.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import ftfy
import ftfy.bad_codecs
from _corpus import DEV, load_records

from newsnorm._model import Normalized
from newsnorm.repair import NEWS_FTFY_CONFIG, RepairConfig, _Repairer


def best_of(fn: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dev", nargs="?", type=Path, default=DEV)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5, help="corpus copies per round")
    args = parser.parse_args()

    texts = [r["text"] for r in load_records(dev=args.dev)] * args.repeat
    size_mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    repairer = _Repairer(RepairConfig())
    default_ftfy = ftfy.TextFixerConfig(explain=False)

    def run_newsnorm() -> None:
        for t in texts:
            repairer(Normalized.from_text(t))

    def run_ftfy() -> None:
        for t in texts:
            ftfy.fix_text(t, default_ftfy)

    run_newsnorm()
    run_ftfy()  # warm up both
    t_nn = best_of(run_newsnorm, args.rounds)
    t_ft = best_of(run_ftfy, args.rounds)
    n = len(texts)
    print(f"corpus: {n} documents ({n // args.repeat} distinct), {size_mb:.2f} MB per round")
    print(f"ftfy.fix_text (default config): {n / t_ft:10.0f} docs/s  {size_mb / t_ft:6.2f} MB/s")
    print(f"newsnorm repair_text:           {n / t_nn:10.0f} docs/s  {size_mb / t_nn:6.2f} MB/s")
    print(f"ratio newsnorm/ftfy: {t_ft / t_nn:.2f}x (target >= 2x)")

    # Parity: wherever ftfy (news-safe options) changes a line, newsnorm's ftfy pass agrees.
    only_ftfy = _Repairer(RepairConfig.ftfy_only())
    # The corpus is mostly clean, so parity is also checked on a damaged copy: every
    # third non-ASCII line re-read as Windows-1252 (classic mojibake).
    distinct = texts[: n // args.repeat]
    damaged = []
    for t in distinct:
        lines = t.split("\n")
        for i, line in enumerate(lines):
            if i % 3 == 0 and not line.isascii():
                lines[i] = line.encode("utf-8").decode("sloppy-windows-1252")
        damaged.append("\n".join(lines))
    changed = agree = 0
    for t in distinct + damaged:
        lines = t.split("\n")
        fixed = [ftfy.fix_text(line, NEWS_FTFY_CONFIG) for line in lines]
        ours = only_ftfy(Normalized.from_text(t)).text.split("\n")
        for before, theirs, mine in zip(lines, fixed, ours, strict=False):
            if theirs != before:
                changed += 1
                agree += theirs == mine
    print(f"parity: ftfy changed {changed} lines; newsnorm gives ftfy's text on {agree}")


if __name__ == "__main__":
    main()
