"""Hostile input: seconds through ``normalize()`` for about 1 MB of each hostile pattern,
with each step's share, and seconds per MB at several sizes (linear growth).

Usage::

    python benchmarks/bench_hostile.py [--size-mb 1] [--scale 1,10,50] [--only NAME ...]
        [--seeds examples/articles.jsonl]

1. Hostile patterns (``--size-mb``, default 1 MB each): a line with no spaces, "on
   Monday" repeated, "IS IS IS", a caption repeated 40k times, CRLF and "a 's" edits by
   the hundred thousand, mojibake lines, NBSPs, control characters, every Unicode
   category, lone surrogates, bidi marks, mixed line endings, blank-line runs. Target:
   no input of 1 MB or less over 1 s through ``normalize()``. Each row prints the total
   and the seconds of each step, so a miss names its step. A row is made of ``--size-mb``
   million code points; where those weigh more than that many megabytes in UTF-8 (the
   size of the input as a file or a JSONL field: "every Unicode category" is mostly
   four-byte characters), the row is timed again on the longest prefix that fits, and
   the target is judged on that input. Both figures are printed.
   A row of news text ("news, distinct lines": the seed articles' lines over and over,
   each copy's lines numbered so that none repeats) comes first. The date step's
   grammars are built before the rows (once per process; the time is printed).
2. Scale (``--scale``, default 1, 10 and 50 MB): that news text, and the hostile patterns of ``--scale-patterns`` (default: NBSP edits);
   seconds per MB at each size (linear: the figure stays flat). The anchor is the
   first size's figure in the same run.

Seconds are CPU seconds of this process (``time.process_time``), as in
``bench_normalize.py``: on a shared machine, wall-clock time also counts other work.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path

import newsnorm
from newsnorm import Normalized
from newsnorm._dates_rules import GRAMMARS

ROOT = Path(__file__).resolve().parents[1]
MB = 1_000_000
PUBLISHED = dt.date(2017, 7, 11)


def _rep(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _every_category(size: int) -> str:
    chars = "".join(chr(c) for c in range(0x20, 0x110000) if not 0xD800 <= c < 0xE000)
    return _rep(chars, size)


PATTERNS: dict[str, Callable[[int], str]] = {
    "no-space line": lambda n: "x" * n,
    "'on Monday ' repeated": lambda n: _rep("on Monday ", n),
    "'IS IS IS'": lambda n: _rep("IS ", n),
    "caption x40k": lambda n: _rep(
        "A man walks past a bombed building in Aleppo. (Reuters)\n", min(n, 40_000 * 56)
    ),
    "'a\\r\\n' (CRLF edits)": lambda n: _rep("a\r\n", n),
    "'a 's ' (possessive edits)": lambda n: _rep("a 's ", n),
    "mojibake lines": lambda n: _rep(
        "caf\u00c3\u00a9 d\u00c3\u00a9j\u00c3\u00a0 vu \u00e2\u20ac\u201d\n", n
    ),
    "NBSP edits": lambda n: _rep("a\u00a0", n),
    "control characters": lambda n: _rep("a\x00\x01\x1b[31m\u200f\u202e\r", n),
    "every Unicode category": _every_category,
    "lone surrogates": lambda n: _rep("a\ud800b\udfff ", n),
    "bidi marks": lambda n: _rep("\u202eabc\u202c \u2066x\u2069 \u200f", n),
    "mixed line endings": lambda n: _rep("one\rtwo\r\nthree\n\u2028four\u2029\x85", n),
    "blank-line runs": lambda n: _rep("\n\n\n a", n),
    "NULs": lambda n: "\x00" * n,
}


def news(size: int, seeds: Path) -> str:
    """``size`` characters of news: the seed articles' lines over and over, each line of
    the ``k``-th copy ending with `` (k)``, so that no line repeats. (Repeated lines
    would be dropped as repeated captions and paragraphs, and the steps after
    boilerplate would then see one copy of the seeds, not ``size`` characters.)"""
    with seeds.open(encoding="utf-8") as fh:
        lines = [ln for rec in fh if rec.strip() for ln in json.loads(rec)["text"].split("\n")]
    out: list[str] = []
    length = copy = 0
    while length < size:
        copy += 1
        for line in lines:
            out.append(f"{line} ({copy})" if line.strip() else line)
            length += len(out[-1]) + 1
    return "\n".join(out)[:size]


def utf8_size(text: str) -> int:
    """Bytes of ``text`` in UTF-8 (lone surrogates count as the 3 bytes they take in a
    file written with ``surrogatepass``)."""
    return len(text.encode("utf-8", "surrogatepass"))


def utf8_prefix(text: str, size: int) -> str:
    """The longest prefix of ``text`` that weighs at most ``size`` bytes in UTF-8."""
    ends = list(accumulate(utf8_size(c) for c in text))
    return text[: bisect_right(ends, size)]


def run_steps(norm: newsnorm.Normalizer, text: str) -> tuple[float, dict[str, float]]:
    """Total seconds through ``normalize()``'s steps, and each step's seconds (CPU time
    of this process: what other work on a shared machine takes does not count)."""
    per_step: dict[str, float] = {}
    doc = Normalized.from_text(text, published=PUBLISHED)
    start = time.process_time()
    for name, runner in norm._runners:
        t0 = time.process_time()
        doc = runner(doc)
        per_step[name] = time.process_time() - t0
    return time.process_time() - start, per_step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=1.0)
    parser.add_argument("--scale", default="1,10,50", help="MB sizes for the scale table")
    parser.add_argument("--only", nargs="*", help="pattern names (substring match)")
    parser.add_argument(
        "--scale-patterns",
        nargs="*",
        default=["NBSP edits"],
        help="hostile patterns also timed at the scale sizes (default: 'NBSP edits')",
    )
    parser.add_argument("--seeds", type=Path, default=ROOT / "examples" / "articles.jsonl")
    args = parser.parse_args()
    norm = newsnorm.Normalizer()
    steps = list(norm.config.steps)
    size = int(args.size_mb * MB)
    patterns = {"news, distinct lines": lambda n: news(n, args.seeds), **PATTERNS}
    # Steady state: the date step builds its grammars once per process, on first use
    # (a fresh process pays this once; see the dates guide).
    start = time.process_time()
    GRAMMARS.build_all()
    print(
        f"date grammars built once per process: {time.process_time() - start:.2f} s (not counted below)"
    )

    print(f"1. hostile patterns, {args.size_mb:g} M code points each, through normalize() (CPU s)")
    print(
        f"{'pattern':28s} {'chars':>9s} {'UTF-8 MB':>8s} {'total s':>8s}  "
        + " ".join(f"{s:>11s}" for s in steps)
    )
    worst = ("", 0.0)
    misses = []
    by_chars = []
    for name, make in patterns.items():
        if args.only and not any(o in name for o in args.only):
            continue
        text = make(size)
        total, per_step = run_steps(norm, text)
        weight = utf8_size(text)
        row = " ".join(f"{per_step[s]:11.2f}" for s in steps)
        line = f"{name:28s} {len(text):9d} {weight / MB:8.2f} {total:8.2f}  {row}"
        if total > 1.0:
            by_chars.append(name)
        if weight > size:
            # The target is about inputs of at most 1 MB: time the prefix that weighs that.
            short = utf8_prefix(text, size)
            total, _ = run_steps(norm, short)
            line += f"\n{'':28s} {len(short):9d} {utf8_size(short) / MB:8.2f} {total:8.2f}"
        if total > worst[1]:
            worst = (name, total)
        if total > 1.0:
            misses.append(name)
            line += "  > 1 s"
        print(line, flush=True)
    print(
        f"slowest input of <= {args.size_mb:g} MB (UTF-8): {worst[0]} ({worst[1]:.2f} s); "
        f"over 1 s: {len(misses)}: {', '.join(misses)}"
    )
    print(
        f"rows over 1 s at {args.size_mb:g} M code points: {len(by_chars)}: {', '.join(by_chars)}"
    )

    sizes = [float(x) for x in args.scale.split(",") if x]
    if not sizes:
        return
    print("\n2. scale: seconds per MB through normalize() (flat = linear)")
    subjects = {"news, distinct lines": lambda n: news(n, args.seeds)}
    for name in args.scale_patterns:
        subjects[f"hostile: {name}"] = PATTERNS[name]
    for label, make in subjects.items():
        figures = []
        for mb in sizes:
            text = make(int(mb * MB))
            total, _ = run_steps(norm, text)
            figures.append(total / (len(text) / MB))
            print(f"{label:40s} {mb:5g} MB: {total:7.2f} s, {figures[-1]:.2f} s/MB", flush=True)
        ratio = figures[-1] / figures[0]
        print(f"{label:40s} s/MB at {sizes[-1]:g} MB / s/MB at {sizes[0]:g} MB = {ratio:.2f}")


if __name__ == "__main__":
    sys.exit(main())
