"""Shared loading of the benchmark texts: the seed articles and the dev pages."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "articles.jsonl"
SHARED = Path(os.environ.get("NEWSNORM_SHARED", ROOT.parent / "shared"))
DEV = SHARED / "data" / "boilerplate-dev" / "cases.jsonl"

_URL_DATE = re.compile(r"/(20\d\d)/(\d\d)/(\d\d)/")
_URL_HOST = re.compile(r"https?://(?:www\.)?([^/]+)")
FALLBACK_DATE = "2019-06-15"
"""Publication date for dev pages whose URL carries none (the pages date from 2016-2020)."""


def load_records(seeds: Path = SEEDS, dev: Path | None = DEV) -> list[dict[str, Any]]:
    """Seed records as they are; dev pages as records with a publication date taken from
    the URL (or FALLBACK_DATE) and the URL's host as the source."""
    with seeds.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    if dev is not None and dev.exists():
        with dev.open(encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                case = json.loads(line)
                url = case.get("url") or ""
                date = _URL_DATE.search(url)
                host = _URL_HOST.search(url)
                records.append(
                    {
                        "id": case["id"],
                        "source": host.group(1) if host else None,
                        "published": "-".join(date.groups()) if date else FALLBACK_DATE,
                        "text": case["dirty"],
                    }
                )
    return records
