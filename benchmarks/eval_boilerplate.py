"""Evaluate the boilerplate step on labelled pages, next to the C4 line rule, in one run.

Usage::

    python benchmarks/eval_boilerplate.py ../shared/data/boilerplate-dev/cases.jsonl
    python benchmarks/eval_boilerplate.py PATH --folds 5          # figures per fold too
    python benchmarks/eval_boilerplate.py PATH --pipeline         # repair+captions+boilerplate
    python benchmarks/eval_boilerplate.py PATH --folds 5 --not-fold 0 --show-errors

Each case has ``dirty`` (the page text), ``gold`` (the body, one paragraph a line) and
``line_labels`` (``body``/``other`` for every non-empty line of ``dirty``). The step runs
on ``dirty`` (alone, or after repair with ``--with-repair``); a non-empty line of
``dirty`` counts as kept when some non-empty output line maps back onto it through
``Normalized.to_original``. Printed, for the step and for the C4 rule:

- boilerplate removed: the share of ``other`` lines that were removed;
- body lost: the share of ``body`` lines that were removed;
- token precision, recall and F1 of the output against ``gold`` (bags of lower-cased
  word tokens, micro-averaged over pages; mean per-page F1 too);
- the body lines lost, by the kind of boilerplate they were taken for;
- the step run on the ``gold`` bodies alone (clean text): how many lines it removes.

``--pipeline`` runs what users run, :func:`newsnorm.normalize` with its default
steps (repair, captions, boilerplate), and maps the output back to the input lines
with ``to_original`` as above; ``--with-repair`` runs repair and boilerplate only.

Pages: ``--split`` picks the first version's split (``tune``: the 60 pages its rules
were written on; ``holdout``: the 40 others, which were looked at after its first
run, so neither is unseen any more). ``--folds K`` assigns every page to one of K
folds by a salted hash of its id (independent of that split) and prints the figures
of every fold; ``--fold I`` keeps fold I only and ``--not-fold I`` all the others
(tune with ``--not-fold I --show-errors``, never look at fold I's lines, and report
fold I as the pages the changes were not tuned on).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import regex

from newsnorm import NormalizeConfig, Normalized, Normalizer
from newsnorm._lines import split_lines

TOKEN = regex.compile(r"\w+")
END_PUNCTUATION = (".", "?", "!", '"', "'")
POLICY_SUBSTRINGS = (
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
)


def is_holdout(case_id: str) -> bool:
    """Whether a page belongs to the first version's held-out split (fixed by its id)."""
    return int(hashlib.sha256(case_id.encode()).hexdigest()[:8], 16) % 100 < 30


def fold_of(case_id: str, folds: int) -> int:
    """The fold of a page among ``folds``: a salted hash of its id, not the split's."""
    digest = hashlib.sha256(f"newsnorm-fold:{case_id}".encode()).hexdigest()
    return int(digest[:8], 16) % folds


def c4_keeps(line: str) -> bool:
    """The C4 line rule (as in datatrove's C4QualityFilter line filters)."""
    s = line.strip()
    if len(s.split()) < 3:
        return False
    if not s.endswith(END_PUNCTUATION) or s.endswith("..."):
        return False
    low = s.lower()
    return "javascript" not in low and not any(p in low for p in POLICY_SUBSTRINGS)


def nonempty_lines(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, text)`` of every non-blank line, on the library's own line model."""
    return [(ln.start, ln.end, ln.text) for ln in split_lines(text) if not ln.blank]


def kept_by_step(doc: Normalized, lines: Sequence[tuple[int, int, str]]) -> list[bool]:
    """Which input lines survive: an output line maps back onto them."""
    kept = [False] * len(lines)
    pos = 0
    for out_line in doc.text.split("\n"):
        if out_line.strip():
            o_start, o_end = doc.to_original(pos, pos + len(out_line))
            for i, (s, e, _) in enumerate(lines):
                if s < o_end and o_start < e:
                    kept[i] = True
                if s >= o_end:
                    break
        pos += len(out_line) + 1
    return kept


# The steps whose changes remove lines (their kinds name what a line was taken for).
LINE_STEPS = frozenset({"captions", "boilerplate"})


def tokens(text: str) -> Counter[str]:
    return Counter(t.lower() for t in TOKEN.findall(text))


class Tally:
    def __init__(self) -> None:
        self.other = self.other_removed = self.body = self.body_lost = 0
        self.tp = self.out = self.gold = 0
        self.f1s: list[float] = []

    def add(self, labels: Sequence[str], kept: Sequence[bool], output: str, gold: str) -> None:
        for label, k in zip(labels, kept, strict=True):
            if label == "body":
                self.body += 1
                self.body_lost += not k
            else:
                self.other += 1
                self.other_removed += not k
        out_t, gold_t = tokens(output), tokens(gold)
        tp = sum((out_t & gold_t).values())
        self.tp += tp
        self.out += sum(out_t.values())
        self.gold += sum(gold_t.values())
        p = tp / max(1, sum(out_t.values()))
        r = tp / max(1, sum(gold_t.values()))
        self.f1s.append(2 * p * r / (p + r) if p + r else 0.0)

    def row(self, name: str) -> str:
        p = self.tp / max(1, self.out)
        r = self.tp / max(1, self.gold)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        mean_f1 = sum(self.f1s) / max(1, len(self.f1s))
        return (
            f"{name:<22} {self.other_removed:>5}/{self.other:<5} {self.other_removed / max(1, self.other):>7.1%}"
            f" {self.body_lost:>5}/{self.body:<5} {self.body_lost / max(1, self.body):>6.2%}"
            f" {p:>6.3f} {r:>6.3f} {f1:>6.3f} {mean_f1:>7.3f}"
        )


def evaluate(
    cases: Sequence[dict[str, Any]],
    run: Callable[[str], Normalized],
    show_errors: bool,
    lost_kinds: Counter[str] | None = None,
) -> tuple[Tally, Tally]:
    step, c4 = Tally(), Tally()
    for case in cases:
        lines = nonempty_lines(case["dirty"])
        labels = case["line_labels"]
        if len(lines) != len(labels):
            msg = f"{case['id']}: {len(lines)} non-empty lines but {len(labels)} labels"
            raise SystemExit(msg)
        doc = run(case["dirty"])
        kept = kept_by_step(doc, lines)
        step.add(labels, kept, doc.text, case["gold"])
        c4_kept = [c4_keeps(t) for _, _, t in lines]
        c4_text = "\n".join(t for (_, _, t), k in zip(lines, c4_kept, strict=True) if k)
        c4.add(labels, c4_kept, c4_text, case["gold"])
        rules: dict[int, str] = {}
        kinds: dict[int, str] = {}
        for c in doc.changes:
            if c.step in LINE_STEPS:
                for i, (s, e, _) in enumerate(lines):
                    if s < c.end and c.start < e:
                        rules[i] = c.rule
                        kinds[i] = c.kind
        if lost_kinds is not None:
            for i, (label, k) in enumerate(zip(labels, kept, strict=True)):
                if label == "body" and not k:
                    lost_kinds[kinds.get(i, "?")] += 1
        if show_errors:
            for i, ((_, _, t), label, k) in enumerate(zip(lines, labels, kept, strict=True)):
                if label == "body" and not k:
                    print(f"LOST  {case['id']} {i}: {rules.get(i)}: {t[:110]!r}")
                elif label == "other" and k:
                    print(f"KEPT  {case['id']} {i}: {t[:110]!r}")
    return step, c4


def run_all(
    cases: Sequence[dict[str, Any]], norm: Normalizer, show_errors: bool, label: str
) -> None:
    """Print the figures of the step and of the C4 rule on ``cases``."""
    lost_kinds: Counter[str] = Counter()
    step, c4 = evaluate(cases, norm.normalize, show_errors, lost_kinds)
    print(label)
    print(
        f"{'':<22} {'boilerplate removed':>19} {'body lines lost':>18}"
        f" {'tok P':>6} {'tok R':>6} {'tok F1':>6} {'mean F1':>7}"
    )
    print(step.row("newsnorm"))
    print(c4.row("C4 line rule"))
    print(
        "body lines lost by the kind they were removed as: "
        + ", ".join(f"{k} {n}" for k, n in lost_kinds.most_common())
    )
    # Clean text: the gold bodies alone should come out (almost) unchanged.
    gold_lines = removed = 0
    gold_kinds: Counter[str] = Counter()
    for case in cases:
        gold_lines += len(nonempty_lines(case["gold"]))
        doc = norm.normalize(case["gold"])
        for c in doc.changes:
            if c.step in LINE_STEPS:
                # A change may hold a run of lines removed by one rule: count each.
                lines = sum(1 for ln in c.before.split("\n") if ln.strip())
                removed += lines
                gold_kinds[c.kind] += lines
    print(
        f"gold bodies run alone: {removed}/{gold_lines} lines removed"
        f" ({removed / max(1, gold_lines):.2%}): "
        + ", ".join(f"{k} {n}" for k, n in gold_kinds.most_common())
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="cases.jsonl of boilerplate-dev")
    parser.add_argument("--split", choices=("all", "tune", "holdout"), default="all")
    parser.add_argument("--folds", type=int, default=0, help="assign pages to K folds")
    parser.add_argument("--fold", type=int, help="keep only this fold (with --folds)")
    parser.add_argument("--not-fold", type=int, help="keep all folds but this one")
    parser.add_argument("--with-repair", action="store_true", help="run repair before boilerplate")
    parser.add_argument(
        "--pipeline", action="store_true", help="run newsnorm.normalize's default steps"
    )
    parser.add_argument("--show-errors", action="store_true", help="print lost and kept lines")
    args = parser.parse_args(argv)
    if (args.fold is not None or args.not_fold is not None) and args.folds < 2:
        parser.error("--fold and --not-fold need --folds K (K >= 2)")
    with args.path.open(encoding="utf-8") as fh:
        cases = [json.loads(line) for line in fh if line.strip()]
    if args.split != "all":
        want = args.split == "holdout"
        cases = [c for c in cases if is_holdout(c["id"]) == want]
    if args.fold is not None:
        cases = [c for c in cases if fold_of(c["id"], args.folds) == args.fold]
    if args.not_fold is not None:
        cases = [c for c in cases if fold_of(c["id"], args.folds) != args.not_fold]
    if args.pipeline:
        config = NormalizeConfig()
    elif args.with_repair:
        config = NormalizeConfig(steps=("repair", "boilerplate"))
    else:
        config = NormalizeConfig(steps=("boilerplate",))
    norm = Normalizer(config)
    where = f"split {args.split}"
    if args.fold is not None:
        where += f", fold {args.fold} of {args.folds}"
    if args.not_fold is not None:
        where += f", all folds but {args.not_fold} of {args.folds}"
    run_all(
        cases,
        norm,
        args.show_errors,
        f"pages: {len(cases)} ({where}); steps: {', '.join(config.steps)}",
    )
    if args.folds >= 2 and args.fold is None and args.not_fold is None:
        for k in range(args.folds):
            part = [c for c in cases if fold_of(c["id"], args.folds) == k]
            print()
            run_all(part, norm, False, f"fold {k} of {args.folds}: {len(part)} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
