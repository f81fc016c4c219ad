"""Shared corpus loading for the benchmarks: the bundled seeds and the dev articles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "articles.jsonl"
DEV = ROOT.parent / "shared" / "data" / "boilerplate-dev" / "cases.jsonl"


def load_records(dev_path: Path | None = DEV) -> list[dict[str, Any]]:
    """The five seeds (with dates and outlets) and, if present, the dev pages' dirty text."""
    with SEEDS.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    if dev_path is not None and dev_path.exists():
        with dev_path.open(encoding="utf-8") as fh:
            for line in fh:
                case = json.loads(line)
                records.append({"id": case["id"], "text": case["dirty"], "source": case["url"]})
    return records
