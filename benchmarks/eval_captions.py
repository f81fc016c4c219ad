"""Evaluate the caption step on boilerplate-dev style data.

Usage::

    python benchmarks/eval_captions.py PATH/TO/cases.jsonl [--show-misses]

Each record holds ``dirty`` (one block a line), ``gold`` (the article body) and
``line_labels`` (one per non-empty line of ``dirty``: ``body`` if the line is, or
occurs verbatim in, the gold body; ``other`` otherwise). The data has no caption
labels, so this script defines what it counts:

* Lines are compared by their *key*: the line with its trailing credit cut off
  (``newsnorm._credits.split_credit``), then case, quotes, dashes, white space and
  closing punctuation ignored (``newsnorm.captions.caption_key``) -- the issue's
  definition of a near-duplicate. Keys shorter than 4 words are ignored
  ("Advertisement", "Video", "Share this article": boilerplate, not captions).
* **Repeated occurrences**: in every group of two or more lines of a page with the same
  key in which every line is labelled ``other``, each occurrence after the first.
  These are the redundant copies (a caption twice, a headline twice); the step must
  remove them whatever it does with the first copy. Target: >= 95% removed.
  Groups whose key is plainly not a caption or headline -- a dateline ("Published
  7:07 PM ..."), a newsletter, share or download prompt (the fixed pattern
  ``NOT_CAPTION`` below) -- are counted apart as "excluded", and the "broad" figure
  counts every group; both are printed, so the exclusion is visible.
* **Whole groups**: the same groups, counting every occurrence (captions should leave the
  body entirely; a headline's first copy stays by default, so this is below 100% by
  design where a group is a headline).
* **Title copies**: ``other`` lines whose key equals the page's ``title``, where the data
  gives one (the boilerplate-dev pages have none). Reported, no target: the step does
  not see the title, and keeps the first copy of a repeated headline by default.
* **Credited lines**: ``other`` lines, in no repeated group, that end in a *photo*
  credit (label, photographer/agency, copyright sign) after at least 3 words of text --
  single captions. Reported, no target. (Uses the library's own credit grammar, so it
  measures recall of the caption step given that grammar, not of the grammar itself.)
* **Gold body lines lost**: for each distinct ``body`` line, the number of copies that
  should survive is the smaller of its count among the ``body`` lines and its count in
  ``gold``; every copy short of that after the step is lost. Target: 0.
* Also printed: ``other`` and ``body`` lines removed in all, by rule.

What this does not measure: captions that occur once with no credit (the data cannot
tell them from body text without labels), whether the kept ``Caption`` records have the
right text and credit, and repeated ``other`` groups that are not captions or headlines
("Published 7:07 PM ...", newsletter prompts): they are only in the "broad" figure and
listed by ``--show-misses`` as "excluded"; they are the boilerplate step's lines.
Nor does the population include captions labelled ``body`` (none of the repeated groups
has a ``body`` line in this data).

The step runs as in ``normalize()``: repair, then captions. Removal of a line is read
from the ``captions`` changes, whose spans are in the input's coordinates.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import regex

from newsnorm import NormalizeConfig, Normalizer
from newsnorm._credits import find_credit, split_credit
from newsnorm._lines import split_lines
from newsnorm.captions import caption_key

MIN_WORDS = 4

# Repeated lines that are plainly not picture captions or headlines: datelines, share
# bars, newsletter and download prompts. They are the boilerplate step's; groups whose key
# matches are reported apart (the "broad" figure includes them).
NOT_CAPTION = regex.compile(
    r"^(?:published|updated|posted|last updated)\b"
    r"|\b(?:newsletter|inbox|subscribe|sign up|download|share this|follow us|print mode)\b",
    regex.IGNORECASE,
)


def _lines(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, text)`` of every non-blank line, on the library's own line model."""
    return [(ln.start, ln.end, ln.text) for ln in split_lines(text) if not ln.blank]


def _covered(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``[start, end)`` lies inside the union of ``spans`` (sorted, merged)."""
    return any(s <= start and end <= e for s, e in spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def evaluate(path: Path, *, show_misses: bool = False) -> dict[str, Any]:
    norm = Normalizer(NormalizeConfig(steps=("repair", "captions")))
    totals: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    misses: list[str] = []
    with path.open(encoding="utf-8") as fh:
        cases = [json.loads(line) for line in fh if line.strip()]
    for case in cases:
        dirty: str = case["dirty"]
        labels: list[str] = case["line_labels"]
        lines = _lines(dirty)
        if len(lines) != len(labels):
            msg = f"{case['id']}: {len(lines)} non-empty lines but {len(labels)} labels"
            raise SystemExit(msg)
        doc = norm.normalize(dirty)
        cap_changes = [c for c in doc.changes if c.step == "captions"]
        spans = _merge([(c.start, c.end) for c in cap_changes])
        removed = [_covered(s, e, spans) for s, e, _ in lines]
        for c in cap_changes:
            rules[f"{c.kind}/{c.rule}"] += 1

        keys = [caption_key(split_credit(t)[0]) for _, _, t in lines]
        groups: dict[str, list[int]] = {}
        for i, k in enumerate(keys):
            if len(k.split()) >= MIN_WORDS:
                groups.setdefault(k, []).append(i)
        in_group: set[int] = set()
        for members in groups.values():
            if len(members) < 2 or any(labels[i] != "other" for i in members):
                continue
            in_group.update(members)
            copies = members[1:]
            totals["broad"] += len(copies)
            totals["broad_removed"] += sum(removed[i] for i in copies)
            if NOT_CAPTION.search(keys[members[0]]):
                totals["excluded"] += len(copies)
                totals["excluded_removed"] += sum(removed[i] for i in copies)
                if show_misses:
                    misses.append(f"excluded {case['id']} {lines[members[0]][2][:90]!r}")
                continue
            totals["group_occurrences"] += len(members)
            totals["group_occurrences_removed"] += sum(removed[i] for i in members)
            totals["repeated"] += len(copies)
            totals["repeated_removed"] += sum(removed[i] for i in copies)
            if show_misses and not all(removed[i] for i in copies):
                misses.append(f"MISSED repeated {case['id']} {lines[members[0]][2][:90]!r}")
        for i, (_, _, text) in enumerate(lines):
            if labels[i] != "other" or i in in_group:
                continue
            credit = find_credit(text)
            rest = split_credit(text)[0]
            if credit is not None and credit.strength == "photo" and len(rest.split()) >= MIN_WORDS:
                totals["credited"] += 1
                totals["credited_removed"] += removed[i]
                if show_misses and not removed[i]:
                    misses.append(f"MISSED credited {case['id']} {text[:90]!r}")

        # Gold body lines lost.
        gold: str = case["gold"]
        body_counts = Counter(
            t for (_, _, t), lab in zip(lines, labels, strict=True) if lab == "body"
        )
        kept_counts = Counter(t for (_, _, t), r in zip(lines, removed, strict=True) if not r)
        for text, n in body_counts.items():
            expected = min(n, gold.count(text))
            lost = max(0, expected - kept_counts[text])
            totals["body_lost"] += lost
            if lost and show_misses:
                misses.append(f"BODY LOST {case['id']} {text[:90]!r}")
        totals["body_lines"] += sum(body_counts.values())
        totals["other_lines"] += labels.count("other")
        totals["body_removed"] += sum(
            r for r, lab in zip(removed, labels, strict=True) if lab == "body"
        )
        totals["other_removed"] += sum(
            r for r, lab in zip(removed, labels, strict=True) if lab == "other"
        )
        # Lines that repeat the page's title (where the data gives one).
        title = case.get("title")
        if title:
            totals["titled_pages"] += 1
            tkey = caption_key(title)
            for i, k in enumerate(keys):
                if k == tkey and labels[i] == "other":
                    totals["title_copies"] += 1
                    totals["title_copies_removed"] += removed[i]
        totals["pages"] += 1
        totals["captions"] += len(doc.captions)
    return {"totals": totals, "rules": rules, "misses": misses}


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} = {100 * a / b:.1f}%" if b else f"{a}/0"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path, help="cases.jsonl (boilerplate-dev format)")
    parser.add_argument("--show-misses", action="store_true", help="list what was missed")
    args = parser.parse_args(argv)
    result = evaluate(args.path, show_misses=args.show_misses)
    t = result["totals"]
    print(f"pages: {t['pages']}, body lines: {t['body_lines']}, other lines: {t['other_lines']}")
    print(f"captions recorded: {t['captions']}")
    print(
        "repeated caption/headline occurrences removed (target >= 95%): "
        + _pct(t["repeated_removed"], t["repeated"])
    )
    print(
        "  all occurrences of those groups removed: "
        + _pct(t["group_occurrences_removed"], t["group_occurrences"])
    )
    print(
        "  excluded as not caption/headline (datelines, prompts): "
        + _pct(t["excluded_removed"], t["excluded"])
    )
    print(
        "  broad (every repeated other line of 4+ words): " + _pct(t["broad_removed"], t["broad"])
    )
    if t["titled_pages"]:
        print(
            "other lines repeating the page title removed (the step does not see the title; "
            "a kept first copy counts as not removed): "
            + _pct(t["title_copies_removed"], t["title_copies"])
        )
    else:
        print("lines repeating the page title: n/a (no page has a title in this data)")
    print("single credited caption lines removed: " + _pct(t["credited_removed"], t["credited"]))
    print(f"gold body lines lost (target 0): {t['body_lost']}")
    print(
        f"body-labelled lines removed: {t['body_removed']}; other lines removed: {t['other_removed']}"
    )
    print("removals by kind/rule:")
    for rule, n in sorted(result["rules"].items()):
        print(f"  {rule}: {n}")
    for line in result["misses"]:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
