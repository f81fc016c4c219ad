"""The caption step on the boilerplate-dev pages: the evaluation's targets hold."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

import newsnorm
from newsnorm import NormalizeConfig

ROOT = Path(__file__).resolve().parents[1]
# The same place tests/conftest.py reads the dev data from (the fixture skips without it).
DEV_CASES = (
    Path(os.environ.get("NEWSNORM_SHARED", ROOT.parent / "shared"))
    / "data"
    / "boilerplate-dev"
    / "cases.jsonl"
)


def _eval_module() -> Any:
    spec = importlib.util.spec_from_file_location(
        "eval_captions", ROOT / "benchmarks" / "eval_captions.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_targets_on_dev_data(dev_cases: list[dict[str, Any]]) -> None:
    totals = _eval_module().evaluate(DEV_CASES)["totals"]
    assert totals["body_lost"] == 0
    assert totals["body_removed"] == 0
    assert totals["repeated"] > 0
    assert totals["repeated_removed"] >= 0.95 * totals["repeated"]


def test_spans_and_captions_are_consistent(dev_cases: list[dict[str, Any]]) -> None:
    config = NormalizeConfig(steps=("repair", "captions"))
    for case in dev_cases:
        doc = newsnorm.normalize(case["dirty"], config=config)
        for change in doc.changes:
            assert 0 <= change.start <= change.end <= len(doc.original)
        for cap in doc.captions:
            assert cap.kind in ("caption", "headline")
            assert cap.text and cap.spans
            for start, end in cap.spans:
                assert cap.text[:15].casefold() in doc.original[start:end].casefold()
        # Running the step again on its own output finds nothing more to do.
        assert not newsnorm.normalize(doc.text, config=config).changes
