"""Typing tests: checked by ``mypy --strict`` in CI, never run.

They pin the public API's types the way users see them (cf. attrs' typing tests).
"""

from __future__ import annotations

import datetime as dt
from typing import assert_type

import newsnorm
from newsnorm import Change, NormalizeConfig, Normalized, Normalizer
from newsnorm.repair import RepairConfig, repair_text

doc = newsnorm.normalize("text", published=dt.date(2017, 7, 11), source="TRT World")
assert_type(doc, Normalized)
assert_type(doc.text, str)
assert_type(doc.changes, tuple[Change, ...])
assert_type(doc.to_original(0, 1), tuple[int, int])
assert_type(doc.published, dt.date | None)
assert_type(doc.explain(), str)

norm = Normalizer(NormalizeConfig(steps=("repair",), repair=RepairConfig(odd_spaces=False)))
assert_type(norm.normalize("x", published="2017-07-11"), Normalized)
assert_type(norm("x"), Normalized)
assert_type(norm.config, NormalizeConfig)
assert_type(repair_text(doc), Normalized)
assert_type(newsnorm.STEPS["repair"].name, str)
