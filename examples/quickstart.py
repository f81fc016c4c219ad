"""A first look at newsnorm on the bundled seed articles.

Run it from the project root::

    python examples/quickstart.py

It normalises the five seed articles with their outlets and publication dates and
prints, for each, what every step did and what it found, with offsets mapped back
to the input.
"""

from __future__ import annotations

import json
from pathlib import Path

import newsnorm

ARTICLES = Path(__file__).with_name("articles.jsonl")


def main() -> None:
    normalizer = newsnorm.Normalizer()  # compiles every rule once
    with ARTICLES.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    for rec in records:
        doc = normalizer.normalize(rec["text"], published=rec["published"], source=rec["source"])
        print(f"=== {rec['id']}  ({rec['source']}, published {rec['published']})")
        print(
            f"{len(doc.original)} -> {len(doc.text)} characters; steps that changed it: "
            f"{', '.join(doc.steps) or 'none'}"
        )
        print(doc.explain())
        for mention in doc.entities[:5]:
            start, end = doc.to_original(mention.start, mention.end)
            print(f"  entity {mention.entity_id} {mention.label!r} <- {doc.original[start:end]!r}")
        for date in doc.dates[:5]:
            print(f"  date {date.surface!r} -> {date.value}")
        for caption in doc.captions:
            print(f"  {caption.kind}: {caption.text!r} (credit: {caption.credit})")
        print()


if __name__ == "__main__":
    main()
