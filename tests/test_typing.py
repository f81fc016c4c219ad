"""The batch API's static types: ``pipe``'s overloads on ``as_tuples``, checked by mypy."""

from __future__ import annotations

from pathlib import Path

import pytest

CHECKED = Path(__file__).parent / "typing" / "pipe_types.py"


def test_pipe_overloads_type_check() -> None:
    api = pytest.importorskip("mypy.api")
    stdout, _stderr, _status = api.run(
        ["--strict", "--no-error-summary", "--hide-error-context", str(CHECKED)]
    )
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    lines = CHECKED.read_text(encoding="utf-8").splitlines()
    expected = [
        i for i, line in enumerate(lines, 1) if line.endswith("# E: no overload accepts it")
    ]
    assert [int(line.split(":")[1]) for line in errors] == expected, stdout
