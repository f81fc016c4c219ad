"""Dump or check the boilerplate step's output on the seeds and the dev pages.

Usage::

    python benchmarks/check_boilerplate_identical.py dump OUT.json
    python benchmarks/check_boilerplate_identical.py check OUT.json

For every record of ``_corpus.load_records()`` (the seeds, and the dev pages' ``dirty``
texts with the URL host as source) it records ``strip_boilerplate``'s ``.text`` and the
``(kind, rule, start, end)`` of its changes; ``check`` exits 1 if anything differs from
the dump (a speed change must leave the output identical). Set ``NEWSNORM_SHARED``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from _corpus import load_records

from newsnorm.boilerplate import strip_boilerplate


def outputs() -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for record in load_records():
        doc = strip_boilerplate(record["text"], source=record.get("source"))
        changes = [[c.kind, c.rule, c.start, c.end] for c in doc.changes]
        out.append({"id": record["id"], "text": doc.text, "changes": changes})
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("dump", "check"):
        print(__doc__)
        return 2
    path = Path(argv[1])
    got = outputs()
    if argv[0] == "dump":
        path.write_text(json.dumps(got, ensure_ascii=False, indent=0), encoding="utf-8")
        print(f"dumped {len(got)} records to {path}")
        return 0
    want = json.loads(path.read_text(encoding="utf-8"))
    bad = [g["id"] for g, w in zip(got, want, strict=False) if g != w]
    if len(got) != len(want):
        bad.append(f"count {len(got)} != {len(want)}")
    print(f"{len(got)} records: " + (f"DIFFERENT {bad[:10]}" if bad else "identical"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
