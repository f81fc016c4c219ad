"""Checked by mypy in tests/test_typing.py (never run): the types of the batch API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, assert_type

import newsnorm


def check() -> None:
    """Never called: mypy reads it."""
    norm = newsnorm.Normalizer()
    texts = ["a", "b"]
    assert_type(norm.pipe(texts), Iterator[newsnorm.Normalized])
    assert_type(norm.pipe([{"text": "a"}], n_process=2), Iterator[newsnorm.Normalized])
    pairs = [("a", 1), ("b", 2)]
    assert_type(norm.pipe(pairs, as_tuples=True), Iterator[tuple[newsnorm.Normalized, int]])
    assert_type(norm.map_partition([{"text": "a"}]), Iterator[dict[str, Any]])
    assert_type(norm.map_batch({"text": ["a"]}), dict[str, list[Any]])
    norm.pipe(texts, on_error="skip", report=newsnorm.BatchReport())
    norm.pipe(texts, on_error="ignore")  # E: no overload accepts it
