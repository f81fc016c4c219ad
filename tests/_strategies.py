"""Hypothesis strategies shared by the test modules (``pythonpath`` in pyproject.toml
puts this folder on ``sys.path``)."""

from __future__ import annotations

from hypothesis import strategies as st

from newsnorm import Edit


@st.composite
def edit_lists(draw: st.DrawFn, text: str, *, numbered: bool = False) -> list[Edit]:
    """Sorted, non-overlapping edits of ``text`` (insertions, deletions, replacements).

    Every edit's rule is ``"r"``, or with ``numbered`` ``"r0"``, ``"r2"``, ... (one
    per edit, so that a test can tell which edit a change came from).
    """
    n = len(text)
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=8)))
    edits: list[Edit] = []
    pos = 0
    last_insert = -1
    for i in range(0, len(cuts) - 1, 2):
        start, end = max(cuts[i], pos), cuts[i + 1]
        if end < start or start == end == last_insert:
            continue
        repl = draw(st.text(alphabet="XY\n", max_size=4))
        if start == end and not repl:
            continue
        rule = f"r{i}" if numbered else "r"
        edits.append(Edit(start=start, end=end, replacement=repl, kind="k", rule=rule))
        if start == end:
            last_insert = start
        pos = end
    return edits
