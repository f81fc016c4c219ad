"""Check that ``normalize`` output is unchanged: dump ``normalize(...).to_dict()`` for every
seed and dev text (with the dates and sources ``_corpus.load_records`` gives them), or compare
against an earlier dump.

Usage::

    python benchmarks/check_identical.py dump /tmp/before.json [--options]
    python benchmarks/check_identical.py check /tmp/before.json [--options]

``check`` prints the ids whose result differs and exits 1 if any does. ``--options`` runs
a config far from the defaults instead: a caption index built from the same texts,
``keep_headline``, ``keep_first_caption``, ``min_words=5``, dates rewritten (explicit ones
and references too) with ``same_weekday="tense"``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import DEV, SEEDS, load_records

import newsnorm
from newsnorm.captions import CaptionConfig, CaptionIndex
from newsnorm.dates import DateConfig


def options_config(texts: list[str]) -> newsnorm.NormalizeConfig:
    index = CaptionIndex.from_texts(texts)
    return newsnorm.NormalizeConfig(
        captions=CaptionConfig(
            index=index, keep_headline=True, keep_first_caption=True, min_words=5
        ),
        dates=DateConfig(
            rewrite=True, rewrite_explicit=True, rewrite_refs=True, same_weekday="tense"
        ),
    )


def results(seeds: Path, dev: Path, *, options: bool = False) -> dict[str, Any]:
    records = load_records(seeds, dev)
    config = options_config([r["text"] for r in records]) if options else None
    norm = newsnorm.Normalizer(config)
    return {
        str(r["id"]): norm.normalize(
            r["text"], published=r["published"], source=r["source"]
        ).to_dict()
        for r in records
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=("dump", "check"))
    parser.add_argument("path", type=Path)
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    parser.add_argument("--dev", type=Path, default=DEV)
    parser.add_argument("--options", action="store_true")
    args = parser.parse_args()
    now = json.loads(
        json.dumps(results(args.seeds, args.dev, options=args.options), sort_keys=True)
    )
    if args.mode == "dump":
        args.path.write_text(json.dumps(now, sort_keys=True, ensure_ascii=False), "utf-8")
        print(f"dumped {len(now)} results to {args.path}")
        return
    before = json.loads(args.path.read_text("utf-8"))
    differ = sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))
    print(f"{len(now)} results, {len(differ)} differ" + (f": {differ}" if differ else ""))
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
