"""Alias matching speed: newsnorm's token trie against flashtext, in the same run.

Usage::

    .venv/bin/pip install flashtext      # benchmark only, never a runtime dependency
    .venv/bin/python benchmarks/bench_aliases.py [--repeat 20] [--aliases 10000] [--runs 10]
                                                 [--with-regex]

The text is the five seed articles (examples/articles.jsonl) repeated ``--repeat``
times. The big table is the default table plus synthetic entities up to ``--aliases``
names; a fifth of the synthetic names start with a word that is frequent in the seeds
("the", "Iraq", "coalition", ...), so the trie has to walk, not only look up.
flashtext gets exactly the same names (case-insensitive, its default) and extracts
with ``span_info=True``. Times are CPU time of this process (``time.process_time``,
fair on a shared machine), the best of ``--runs`` rounds in which the contenders take
turns; throughput is characters per second; ratios > 1 mean newsnorm is faster.

Printed figures:

* matcher: newsnorm's compiled matcher alone (what flashtext does);
* annotate / rewrite: the whole alias step, building the Normalized result (with
  offsets, and for rewrite the change log and alignment), against flashtext's
  ``extract_keywords`` and ``replace_keywords`` respectively;
* default vs big table: how much a 10,000-name table slows newsnorm down;
* regex (``--with-regex``): one ``regex`` named-list alternation of all names.

``--only matcher`` (or ``flashtext``) with ``--passes N`` runs only that contender's
extraction N times after one warm-up call, printing nothing: for instruction counts,
load-independent, as the difference of two runs under valgrind (N passes and none)::

    PYTHONHASHSEED=0 valgrind --tool=cachegrind --cache-sim=no \
        --cachegrind-out-file=/dev/null .venv/bin/python benchmarks/bench_aliases.py \
        --only matcher --passes 2        # then --passes 0; (I refs difference) / 2

It ends with the Unicode word-boundary check: names followed by a non-ASCII letter
(Greek, Cyrillic) must not match inside a longer word.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsnorm._aliases_match import Matcher
from newsnorm.aliases import (
    DEFAULT_TABLE,
    AliasConfig,
    AliasResolver,
    AliasTable,
    Entity,
)

ROOT = Path(__file__).resolve().parents[1]
SYLLABLES = [
    "ka",
    "ri",
    "mo",
    "ta",
    "lu",
    "ne",
    "sa",
    "vo",
    "di",
    "ba",
    "ze",
    "qu",
    "ar",
    "el",
    "on",
    "is",
    "um",
    "ha",
    "ye",
    "ko",
    "pi",
    "ru",
    "ga",
    "fe",
    "lo",
    "mi",
    "na",
    "to",
    "bu",
    "de",
    "sh",
    "kh",
    "ab",
    "al",
]
COMMON_FIRST = (
    "the",
    "Iraq",
    "coalition",
    "US",
    "Mosul",
    "Syria",
    "Daesh",
    "new",
    "Iraqi",
    "State",
)


def seeds_text() -> str:
    with (ROOT / "examples" / "articles.jsonl").open(encoding="utf-8") as fh:
        return "\n\n".join(json.loads(line)["text"] for line in fh if line.strip())


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def big_table(total: int, seed: int = 13) -> AliasTable:
    """The default table plus synthetic entities, ``total`` names in all."""
    rng = random.Random(seed)
    entities = list(DEFAULT_TABLE.entities)
    count = DEFAULT_TABLE.alias_count
    seen: set[str] = set()
    n = 0
    while count < total:
        names: list[str] = []
        for _ in range(min(4, total - count)):
            while True:
                parts = [word(rng) for _ in range(rng.randint(1, 3))]
                if rng.random() < 0.2:
                    parts[0] = rng.choice(COMMON_FIRST)
                    if len(parts) == 1:
                        parts.append(word(rng))
                name = " ".join(parts)
                if name.lower() not in seen:
                    seen.add(name.lower())
                    break
            names.append(name)
        n += 1
        entities.append(
            Entity(
                id=f"bench:{n}",
                label=names[0],
                aliases=tuple({"text": a, "case": "any"} for a in names[1:]),
            )  # type: ignore[arg-type]
        )
        count += len(names)
    return AliasTable(entities=tuple(entities), name=f"bench-{total}")


def best_of(fns: dict[str, Callable[[], Any]], runs: int) -> dict[str, tuple[float, Any]]:
    """Best time of each function over ``runs`` rounds, taking turns (fair under load)."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    outs: dict[str, Any] = {}
    for _ in range(runs):
        for key, fn in fns.items():
            t0 = time.process_time()
            outs[key] = fn()
            times[key].append(time.process_time() - t0)
    return {k: (min(v), outs[k]) for k, v in times.items()}


def count_only(
    who: str, passes: int, text: str, table: AliasTable, names: list[tuple[str, str]]
) -> int:
    """One contender's extraction, ``passes`` times after a warm-up call."""
    from flashtext import KeywordProcessor

    fn: Callable[[], Any]
    if who == "matcher":
        matcher = Matcher(table)
        fn = lambda: matcher.find(text)  # noqa: E731
    else:
        kp = KeywordProcessor()
        for name, label in names:
            kp.add_keyword(name, label)
        fn = lambda: kp.extract_keywords(text, span_info=True)  # noqa: E731
    for _ in range(passes + 1):
        fn()
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--aliases", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--with-regex", action="store_true")
    ap.add_argument("--only", choices=["matcher", "flashtext"])
    ap.add_argument("--passes", type=int, default=2)
    args = ap.parse_args(argv)

    try:
        from flashtext import KeywordProcessor
    except ImportError:
        print("flashtext is not installed: .venv/bin/pip install flashtext", file=sys.stderr)
        return 2

    text = "\n\n".join([seeds_text()] * args.repeat)
    chars = len(text)
    table = big_table(args.aliases)
    names = [(a.text, e.label) for e in table.entities for a in e.all_aliases]
    if args.only is not None:
        return count_only(args.only, args.passes, text, table, names)
    print(f"text: {chars:,} characters (seeds x {args.repeat}); big table: {len(names):,} names")

    t0 = time.perf_counter()
    matcher = Matcher(table)
    t_compile = time.perf_counter() - t0
    kp = KeywordProcessor()
    t0 = time.perf_counter()
    for name, label in names:
        kp.add_keyword(name, label)
    t_kp = time.perf_counter() - t0
    print(f"build: newsnorm {t_compile * 1000:.0f} ms, flashtext {t_kp * 1000:.0f} ms")

    annotate = AliasResolver(AliasConfig(table=table, mode="annotate"))
    rewrite = AliasResolver(AliasConfig(table=table, mode="rewrite"))
    default_matcher = Matcher(DEFAULT_TABLE)
    res = best_of(
        {
            "flash": lambda: kp.extract_keywords(text, span_info=True),
            "flash_replace": lambda: kp.replace_keywords(text),
            "match": lambda: matcher.find(text),
            "default": lambda: default_matcher.find(text),
            "annotate": lambda: annotate(text),
            "rewrite": lambda: rewrite(text),
        },
        args.runs,
    )
    t_flash, found_flash = res["flash"]
    t_match, found = res["match"]
    t_default, found_default = res["default"]
    t_ann, t_rew = res["annotate"][0], res["rewrite"][0]
    t_flash_rep = res["flash_replace"][0]

    def rate(t: float) -> str:
        return f"{chars / t / 1e6:6.2f} M chars/s"

    print(f"flashtext extract_keywords       {rate(t_flash)}  ({len(found_flash):,} matches)")
    print(f"newsnorm matcher, big table      {rate(t_match)}  ({len(found):,} matches)")
    print(f"newsnorm matcher, default table  {rate(t_default)}  ({len(found_default):,} matches)")
    print(f"flashtext replace_keywords       {rate(t_flash_rep)}")
    print(f"newsnorm step, annotate          {rate(t_ann)}")
    print(f"newsnorm step, rewrite           {rate(t_rew)}")
    print(f"RATIO matcher / flashtext        {t_flash / t_match:5.2f}x  (target >= 1)")
    print(f"RATIO annotate step / flashtext  {t_flash / t_ann:5.2f}x")
    print(f"RATIO rewrite step / flashtext replace_keywords {t_flash_rep / t_rew:5.2f}x")
    print(f"RATIO big / default table time   {t_match / t_default:5.2f}x  (1.0 = no slow-down)")
    if args.with_regex:
        import regex

        pattern = regex.compile(
            r"(?<![\p{L}\p{M}\p{N}])\L<names>(?![\p{L}\p{M}\p{N}])",
            names=[n for n, _ in names],
            flags=regex.IGNORECASE,
        )
        t_re, found_re = best_of({"re": lambda: [m.span() for m in pattern.finditer(text)]}, 1)[
            "re"
        ]
        print(f"regex named list                 {rate(t_re)}  ({len(found_re):,} matches)")
        print(f"RATIO regex / flashtext          {t_flash / t_re:5.2f}x")

    # Unicode word boundaries: flashtext's are ASCII-only.
    uni = AliasTable(
        entities=(
            Entity(id="Q7184", label="NATO", aliases=("ΝΑΤΟ",)),
            Entity(id="Q2429253", label="Islamic State", aliases=("ИГИЛ",)),
        ),
        name="unicode",
    )
    sample = "οι νατοϊκές δυνάμεις και το ΝΑΤΟ; ИГИЛовцы и ИГИЛ"
    kp_uni = KeywordProcessor()
    for e in uni.entities:
        for a in e.all_aliases:
            kp_uni.add_keyword(a.text, e.label)
    ours = [sample[m.start : m.end] for m in Matcher(uni).find(sample)]
    theirs = [sample[s:t] for _, s, t in kp_uni.extract_keywords(sample, span_info=True)]
    print(f"unicode boundaries on {sample!r}:")
    print(f"  newsnorm  {ours}")
    print(f"  flashtext {theirs}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
