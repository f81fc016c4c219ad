"""The shared line model: ``LineTable`` is ``split_lines`` made lazily."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs
from hypothesis import given
from hypothesis import strategies as st

from newsnorm._align import Edit
from newsnorm._lines import Line, LineTable, removal_edits, split_lines

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


@given(
    st.text(alphabet="ab \n", max_size=60),
    st.dictionaries(
        st.integers(min_value=-2, max_value=25),
        st.sampled_from([("stray", "r1"), ("credit", "r2")]),
    ),
)
def test_removal_edits_equal_the_line_by_line_form(
    text: str, removals: dict[int, tuple[str, str]]
) -> None:
    """The fast ``removal_edits`` gives exactly the edits of the plain line-by-line form
    it replaced (blank lines around removed lines, kept paragraph breaks, text edges)."""
    lines = split_lines(text)
    expected = _reference_removal_edits(text, lines, removals)
    assert removal_edits(text, lines, removals) == expected
    assert removal_edits(text, LineTable(text), removals) == expected


def test_removal_edits_of_many_lines_stay_per_line() -> None:
    text = "a\n\n" * 5000 + "b"
    removals = dict.fromkeys(range(0, 10000, 2), ("stray", "r"))
    edits = removal_edits(text, LineTable(text), removals)
    assert edits == _reference_removal_edits(text, split_lines(text), removals)
    assert len(edits) == 5000


def _reference_removal_edits(
    text: str, lines: Sequence[Line], removals: Mapping[int, tuple[str, str]]
) -> list[Edit]:
    """The line-by-line form that ``removal_edits`` must equal."""
    if not removals:
        return []
    n = len(lines)
    starts = [ln.start for ln in lines]
    parts = [ln.text for ln in lines]
    # Whether a line is blank, worked out only for the lines next to removed ones.
    blanks: dict[int, bool] = {}

    def blank(k: int) -> bool:
        b = blanks.get(k)
        if b is None:
            b = blanks[k] = not parts[k].strip()
        return b

    def span_end(i: int) -> int:
        # A line's span runs to the start of the next line (its newline included).
        return starts[i + 1] if i + 1 < n else len(text)

    edits: list[Edit] = []
    # The removed lines in order; a block starts at the first one not already taken
    # by the block before it (lines outside the text are ignored).
    done = 0
    for i in sorted(k for k in removals if 0 <= k < n):
        if i < done:
            continue
        # A block: the removed lines from here, with the blank lines between them.
        lo = i
        while lo > 0 and (lo - 1) not in removals and blank(lo - 1):
            lo -= 1
        hi = i
        j = i
        while j + 1 < n and (j + 1 in removals or blank(j + 1)):
            j += 1
            if j in removals:
                hi = j
        # Blank lines after the last removed line of the block.
        tail = hi
        while tail + 1 < n and (tail + 1) not in removals and blank(tail + 1):
            tail += 1
        at_start = lo == 0
        at_end = tail == n - 1
        # Lines of the block to drop: every removed line, and the blank lines unless
        # one blank line must stay as a paragraph break between kept lines. Every
        # line of the block is removed or blank.
        keep_blank: int | None = None
        if not at_start and not at_end:
            keep_blank = next((k for k in range(lo, tail + 1) if k not in removals), None)
        # Each removed line takes the dropped blank lines after it (the first one also
        # those before it), up to the next removed line; the kept blank line, if it
        # lies among them, splits them into two runs.
        removed = [k for k in range(lo, tail + 1) if k in removals]
        last_at = len(removed) - 1
        for at, k in enumerate(removed):
            first = lo if at == 0 else k
            last = removed[at + 1] - 1 if at < last_at else tail
            kind, rule = removals[k]
            if keep_blank is not None and first <= keep_blank <= last:
                runs = [(first, keep_blank - 1), (keep_blank + 1, last)]
            else:
                runs = [(first, last)]
            for a, b in runs:
                if a <= b:
                    edits.append(
                        Edit(start=starts[a], end=span_end(b), replacement="", kind=kind, rule=rule)
                    )
        done = tail + 1
    edits.sort(key=lambda e: e.start)
    # A block at the very end of a text without a final newline: take the newline
    # of the last kept line too, so the text does not gain a trailing newline.
    if edits and edits[-1].end == len(text) and not text.endswith("\n"):
        first = len(edits) - 1
        while first > 0 and edits[first - 1].end == edits[first].start:
            first -= 1
        if edits[first].start > 0:
            e = edits[first]
            edits[first] = attrs.evolve(e, start=e.start - 1)
    return edits
