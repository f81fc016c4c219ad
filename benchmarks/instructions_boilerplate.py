"""Machine instructions per pass of the boilerplate step, counted by valgrind.

Usage::

    python benchmarks/instructions_boilerplate.py [PATH] [--passes N]

CPU time on a shared machine moves with the load; an instruction count does not, so it
can tell a small speed change from noise. The script runs the step (a compiled
:class:`~newsnorm.Normalizer` with ``steps=("boilerplate",)``) under ``valgrind
--tool=cachegrind --cache-sim=no`` once with no pass and once with ``N`` passes over
the ``dirty`` texts of PATH (the dev pages by default), and prints the difference per
pass: start-up and rule compilation cancel out. The hash seed is fixed
(``PYTHONHASHSEED=0``) so that two runs of the same code count the same. Needs
``valgrind`` on the PATH; takes about a minute. Instructions are not time (a pattern's
C code and Python's bytecode differ in cost per instruction), but a change that
removes instructions from the same code removes time.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from bench_boilerplate import DEFAULT
from instructions import count_instructions


def run(path: Path, passes: int) -> None:
    from newsnorm import NormalizeConfig, Normalizer

    with path.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["dirty"] for line in fh if line.strip()]
    norm = Normalizer(NormalizeConfig(steps=("boilerplate",)))
    for _ in range(passes):
        for text in texts:
            norm.normalize(text)


def count(path: Path, passes: int) -> int:
    return count_instructions([__file__, "--inner", str(passes), str(path)])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, nargs="?", default=DEFAULT)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--inner", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner is not None:
        run(args.path, args.inner)
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed")
        return 2
    base = count(args.path, 0)
    total = count(args.path, args.passes)
    per_pass = (total - base) / args.passes
    print(f"instructions per pass over {args.path.name}: {per_pass / 1e6:,.1f} million")
    return 0


if __name__ == "__main__":
    sys.exit(main())
