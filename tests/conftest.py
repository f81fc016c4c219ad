"""Shared fixtures: the seed articles and the dev data, found beside the project."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles.jsonl"
SHARED = Path(os.environ.get("NEWSNORM_SHARED", ROOT.parent / "shared"))
DEV_CASES = SHARED / "data" / "boilerplate-dev" / "cases.jsonl"
CASES = Path(__file__).parent / "cases"

settings.register_profile("ci", max_examples=300, deadline=None)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="session")
def seeds() -> dict[str, dict[str, Any]]:
    """The five seed articles from examples/articles.jsonl, by id."""
    return {rec["id"]: rec for rec in load_jsonl(EXAMPLES)}


@pytest.fixture(scope="session")
def dev_cases() -> list[dict[str, Any]]:
    """The boilerplate-dev pages; tests that need them skip when the data is absent."""
    if not DEV_CASES.exists():
        pytest.skip(f"dev data not found at {DEV_CASES}")
    return load_jsonl(DEV_CASES)
