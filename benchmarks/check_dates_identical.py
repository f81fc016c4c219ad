"""Check that the date step finds exactly what it found before (for speed work).

Usage::

    python benchmarks/check_dates_identical.py dump /tmp/dates.json [--timex DIR]
    python benchmarks/check_dates_identical.py check /tmp/dates.json [--timex DIR]

The texts: every benchmark record (the seeds and the dev pages) as the steps before the
date step leave it, the TimeML texts under ``--timex`` if given (read in place, only
their text and creation date; nothing of them is stored but the records found), and
the same texts cut into sentences with their words shuffled between them (hostile
mixes: the scan is tried at unusual places). Each text is resolved with four option
sets, once with the shared grammar cache and once with a fresh (cold) one; every
:class:`~newsnorm._dates_rules.Found` record is dumped, and ``check`` compares them one
by one and prints how many texts differ.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import DEV, SEEDS, load_records

_OPTIONS = (
    {},
    {"same_weekday": "tense", "default_tense": "future"},
    {"refs": False},
    {"max_dates": 3},
)


def _texts(timex: str | None) -> list[tuple[str, str, dt.date]]:
    import newsnorm
    from newsnorm._inputs import as_doc

    norm = newsnorm.Normalizer()
    out: list[tuple[str, str, dt.date]] = []
    for r in load_records(SEEDS, DEV):
        doc = as_doc(r["text"], published=r["published"], source=r["source"])
        for name, runner in norm._runners:
            if name == "dates":
                break
            doc = runner(doc)
        assert doc.published is not None
        out.append((str(r["id"]), doc.text, doc.published))
    if timex:
        from eval_timex import find_tml, read_tml

        for path in find_tml([timex]):
            d = read_tml(path)
            out.append((d.name, d.text, d.dct))
    rng = random.Random(7)
    words = [w for _, text, _ in out for w in text.split(" ")]
    for i in range(200):
        n = rng.randrange(20, 400)
        mix = " ".join(rng.choice(words) for _ in range(n))
        out.append((f"mix-{i}", mix, out[i % len(out)][2]))
    return out


def _run(timex: str | None) -> dict[str, Any]:
    from newsnorm._dates_rules import Grammars, Options, find_dates

    results: dict[str, Any] = {}
    for name, text, pub in _texts(timex):
        for k, kw in enumerate(_OPTIONS):
            opts = Options(**kw)  # type: ignore[arg-type]
            warm = find_dates(text, pub, opts)
            cold = find_dates(text, pub, opts, Grammars()) if k == 0 else warm
            rows = [
                [f.start, f.end, f.value, str(f.start_date), str(f.end_date), f.rule, f.relative]
                for f in warm
            ]
            if cold != warm:
                rows.append("COLD CACHE DIFFERS")
            results[f"{name}#{k}"] = rows
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=("dump", "check"))
    parser.add_argument("path")
    parser.add_argument("--timex", help="a directory of TimeML files (read in place)")
    args = parser.parse_args()
    results = _run(args.timex)
    if args.mode == "dump":
        Path(args.path).write_text(json.dumps(results), encoding="utf-8")
        n = sum(len(v) for v in results.values())
        print(f"dumped {len(results)} runs, {n} records to {args.path}")
        return
    before = json.loads(Path(args.path).read_text(encoding="utf-8"))
    differ = [k for k in sorted(set(before) | set(results)) if before.get(k) != results.get(k)]
    for k in differ[:10]:
        print(f"differs: {k}")
    print(f"{len(results)} runs, {len(differ)} differ")
    if differ:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
