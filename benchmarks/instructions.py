"""Machine instructions per pass of each step and of the whole pipeline, counted by valgrind.

Usage::

    python benchmarks/instructions.py [--steps repair,dates] [--passes N] [--whole] [--ftfy]

The corpus is ``bench_normalize.py``'s (the seed records and the dev pages, with
publication dates and sources). Each step is counted on the documents the steps before
it produced, as in the pipeline; ``--whole`` also counts ``Normalizer.normalize`` with
every step, and ``--ftfy`` counts ``ftfy.fix_text`` (the anchor of ``bench_normalize.py``)
and prints its count over the whole pipeline's. CPU time on a shared machine moves with the load; an instruction count does
not, so it tells a small speed change from noise. Each figure is the difference of two
runs under ``valgrind --tool=cachegrind --cache-sim=no``, one with ``N`` passes and one
with none (start-up, rule compilation and the steps before cancel out), with the hash
seed fixed (``PYTHONHASHSEED=0``). Needs ``valgrind``; takes about a minute a figure.
Instructions are not time, but a change that removes instructions from the same code
removes time.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import DEV, SEEDS, load_records

_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def inner(step: str, passes: int) -> None:
    import newsnorm
    from newsnorm._inputs import as_doc

    records = load_records(SEEDS, DEV)
    if step == "ftfy":  # the anchor of bench_normalize.py
        import ftfy

        for _ in range(passes + 1):
            for r in records:
                ftfy.fix_text(r["text"])
        return
    norm = newsnorm.Normalizer()
    if step == "whole":
        for _ in range(passes + 1):  # the first pass warms the grammar caches
            for r in records:
                norm.normalize(r["text"], published=r["published"], source=r["source"])
        return
    docs: list[Any] = [
        as_doc(r["text"], published=r["published"], source=r["source"]) for r in records
    ]
    for name, runner in norm._runners:
        if name == step:
            for _ in range(passes + 1):
                for doc in docs:
                    runner(doc)
            return
        docs = [runner(doc) for doc in docs]
    msg = f"no step {step!r}"
    raise SystemExit(msg)


def count_instructions(args: Sequence[str]) -> int:
    """Instructions of ``python ARGS`` under valgrind, with a fixed hash seed (string
    hashes decide the order of sets and dicts, which moves the count by a percent or two
    from one run to the next)."""
    cmd = [
        "valgrind",
        "--tool=cachegrind",
        "--cache-sim=no",
        "--cachegrind-out-file=/dev/null",
        sys.executable,
        *args,
    ]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env).stderr
    found = _REFS.search(out)
    if found is None:
        msg = f"no instruction count in valgrind's output:\n{out}"
        raise RuntimeError(msg)
    return int(found.group(1).replace(",", ""))


def count(step: str, passes: int) -> int:
    return count_instructions([__file__, "--inner", step, str(passes)])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", default="repair,captions,boilerplate,aliases,dates")
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--whole", action="store_true", help="also the whole pipeline")
    parser.add_argument(
        "--ftfy", action="store_true", help="also ftfy.fix_text (bench_normalize's anchor)"
    )
    parser.add_argument("--inner", nargs=2, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner is not None:
        inner(args.inner[0], int(args.inner[1]))
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed")
        return 2
    steps = [s for s in args.steps.split(",") if s]
    if args.whole:
        steps.append("whole")
    if args.ftfy:
        steps.append("ftfy")
    figures = {}
    for step in steps:
        per_pass = figures[step] = (count(step, args.passes) - count(step, 0)) / args.passes
        print(f"{step:12s} {per_pass / 1e6:10,.1f} million instructions per pass")
    if "whole" in figures and "ftfy" in figures:
        ratio = figures["ftfy"] / figures["whole"]
        print(f"instructions of ftfy.fix_text / of the whole pipeline: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
