"""The shared line model: ``LineTable`` is ``split_lines`` made lazily."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsnorm._lines import LineTable, removal_edits, split_lines

TEXTS = st.text(alphabet="ab \n\t", max_size=40)


@given(TEXTS)
def test_table_equals_split_lines(text: str) -> None:
    lines = split_lines(text)
    table = LineTable(text)
    assert list(table) == lines
    assert list(LineTable(text, text.split("\n"))) == lines
    assert len(table) == len(lines)
    assert list(table[1:3]) == lines[1:3]
    if lines:
        assert table[-1] == lines[-1]


@given(TEXTS, st.sets(st.integers(min_value=0, max_value=12)))
def test_removal_edits_same_on_table(text: str, picked: set[int]) -> None:
    lines = split_lines(text)
    removals = {i: ("stray", "r") for i in picked if i < len(lines)}
    assert removal_edits(text, LineTable(text), removals) == removal_edits(text, lines, removals)
