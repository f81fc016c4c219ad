"""Scale: the CLI streams (peak RSS flat from 10k to 100k records) and ``pipe`` scales
with processes.

Usage::

    python benchmarks/bench_scale.py [--seeds examples/articles.jsonl]
        [--dev ../shared/data/boilerplate-dev/cases.jsonl]
        [--small 10000] [--large 100000] [--chars 600] [--speed-records 1500]
        [--only memory|speed] [--repeat 2]

1. Memory. A synthetic corpus is made by cycling through the seed and dev articles,
   rotating their paragraphs (so records differ) and cutting each to about ``--chars``
   characters (so that the default run stays short; memory is about streaming, not
   text length). ``newsnorm FILE -o /dev/null -q`` runs in a child process on the small
   and the large corpus; the child's peak RSS comes from ``os.wait4``. Target: flat,
   and under 150 MB.
2. Speed. ``Normalizer.pipe`` over ``--speed-records`` full-length records with
   ``n_process=1`` and ``n_process=2``, alternated ``--repeat`` times, the best wall time
   of each kept. Target: >= 1.8x on a 2-core machine (the
   figure depends on what else the machine is doing; the CPU count and the load average
   are printed). The date step's grammars are all built before the first run, so that
   neither side pays for them (they are built once per process on first use; without
   this the first n_process=1 run builds them and the forked workers of the next run
   inherit them, which flatters n_process=2 when ``--repeat`` is 1). The CPU time of both
   runs is printed too (this process and its workers), as the ratio of the work
   n_process=2 does to the work n_process=1 does (median over the pairs), and as the
   speed-up it allows on two idle cores (n_process=1's CPU time over half of
   n_process=2's): other load moves these less (contention still inflates CPU time), and
   they show what the batch machinery itself costs.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import DEV, SEEDS, load_records

import newsnorm
from newsnorm._dates_rules import GRAMMARS


def synthetic(records: list[dict[str, Any]], n: int, chars: int | None) -> Iterator[dict[str, Any]]:
    """``n`` records cycling through ``records`` with their paragraphs rotated."""
    for i in range(n):
        base = records[i % len(records)]
        paras = base["text"].split("\n")
        turn = (i // len(records)) % max(len(paras), 1)
        text = "\n".join(paras[turn:] + paras[:turn])
        if chars is not None and len(text) > chars:
            cut = text.rfind("\n", 0, chars)
            text = text[: cut if cut > chars // 2 else chars]
        yield {**base, "id": f"{base['id']}#{i}", "text": text}


def write_corpus(path: Path, records: list[dict[str, Any]], n: int, chars: int | None) -> int:
    with path.open("w", encoding="utf-8") as fh:
        for rec in synthetic(records, n, chars):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path.stat().st_size


def cli_peak_rss(path: Path) -> tuple[float, float, int]:
    """Peak RSS (MB) and wall time (s) of ``newsnorm PATH -o /dev/null -q`` in a child."""
    command = [sys.executable, "-m", "newsnorm", str(path), "-o", os.devnull, "-q"]
    start = time.perf_counter()
    child = subprocess.Popen(command)
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    return usage.ru_maxrss / 1024, elapsed, child.returncode


def pipe_seconds(texts: list[dict[str, Any]], n_process: int) -> tuple[float, float]:
    """Wall time of one ``pipe`` run (worker start-up included), and the CPU time it used
    in this process and in worker processes this process waited for (forked workers;
    workers started by the forkserver are not counted)."""
    norm = newsnorm.Normalizer()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time()
    start = time.perf_counter()
    for _doc in norm.pipe(texts, n_process=n_process, batch_size=50):
        pass
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - cpu
    cpu += (after.ru_utime - children.ru_utime) + (after.ru_stime - children.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    parser.add_argument("--dev", type=Path, default=DEV)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--chars", type=int, default=600)
    parser.add_argument("--speed-records", type=int, default=1500)
    parser.add_argument(
        "--repeat", type=int, default=2, help="speed runs of each (best kept; default 2)"
    )
    parser.add_argument(
        "--only", choices=("memory", "speed"), help="run only the memory or the speed part"
    )
    args = parser.parse_args()

    records = load_records(args.seeds, args.dev)
    print(f"base articles: {len(records)}; steps: {', '.join(newsnorm.Normalizer().config.steps)}")
    print(
        f"CPUs: {os.cpu_count()}; load average {os.getloadavg()[0]:.1f} (other work slows n_process=2)"
    )

    if args.only != "speed":
        memory(records, args)
    if args.only != "memory":
        speed(records, args)


def memory(records: list[dict[str, Any]], args: argparse.Namespace) -> None:
    """Part 1: the CLI's peak RSS on the small and the large corpus."""
    with tempfile.TemporaryDirectory(prefix="newsnorm-bench-") as tmp:
        peaks = []
        for n in (args.small, args.large):
            path = Path(tmp) / f"corpus-{n}.jsonl"
            size = write_corpus(path, records, n, args.chars)
            peak, seconds, code = cli_peak_rss(path)
            peaks.append(peak)
            print(
                f"CLI {n:>7,} records ({size / 1e6:6.1f} MB): peak RSS {peak:6.1f} MB, "
                f"{seconds:6.1f} s, {n / seconds:7.0f} records/s, exit {code}"
            )
            path.unlink()
    growth = peaks[1] / peaks[0]
    flat = "flat" if growth < 1.10 else "NOT flat"
    under = "met" if max(peaks) < 150 else "NOT met"
    print(
        f"peak RSS large/small: {growth:.2f} ({flat}); max {max(peaks):.1f} MB (< 150 MB: {under})"
    )


def speed(records: list[dict[str, Any]], args: argparse.Namespace) -> None:
    """Part 2: ``pipe`` with one and with two processes."""
    texts = list(itertools.islice(synthetic(records, args.speed_records, None), args.speed_records))
    GRAMMARS.build_all()  # steady state on both sides (see the module docstring)
    # Alternate the two and keep the best of each (other work on a shared machine only
    # ever adds time).
    ones, twos = [], []
    for _ in range(args.repeat):
        ones.append(pipe_seconds(texts, 1))
        twos.append(pipe_seconds(texts, 2))
    one, one_cpu = min(ones)
    two, two_cpu = min(twos)
    ratio = one / two
    work = statistics.median(b[1] / a[1] for a, b in zip(ones, twos, strict=True))
    print(f"load average now {os.getloadavg()[0]:.1f}")
    verdict = "met" if ratio >= 1.8 else "NOT met"
    print(
        f"pipe {len(texts)} full records: n_process=1 {one:.2f} s, n_process=2 {two:.2f} s, "
        f"speed-up {ratio:.2f}x (target >= 1.8x: {verdict})"
    )
    # What the machine's other load changes less: the CPU both runs used. On two idle
    # cores, n_process=2 cannot take less wall time than half of its CPU time.
    bound = one_cpu / (two_cpu / 2)
    print(
        f"CPU time: n_process=1 {one_cpu:.2f} s, n_process=2 {two_cpu:.2f} s (parent and "
        f"forked workers); speed-up bound on two idle cores {bound:.2f}x"
    )
    print(f"work of n_process=2 / work of n_process=1 (CPU time, median of pairs): {work:.3f}")


if __name__ == "__main__":
    main()
