"""Lines with offsets, and removing lines tidily: shared by the line steps.

The boilerplate and caption steps both judge a text line by line and remove
whole lines. They share this one line model so that their decisions, offsets
and the blank lines left behind are handled the same way.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from operator import le
from typing import overload

import attrs

from newsnorm._align import Edit

__all__ = ["Line", "LineTable", "removal_edits", "split_lines"]


@attrs.frozen
class Line:
    """One line of a text.

    Attributes:
        index: Its position among the lines (0-based).
        start: Offset of its first character.
        end: Offset just past its last character (its newline excluded).
        text: The line without its newline.
    """

    index: int
    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        """Whether the line holds only white space."""
        return not self.text.strip()


def split_lines(text: str) -> list[Line]:
    """The lines of ``text``; a final newline does not start another line.

    >>> [(ln.start, ln.end, ln.text) for ln in split_lines("a\\n\\nbc\\n")]
    [(0, 1, 'a'), (2, 2, ''), (3, 5, 'bc')]
    """
    lines: list[Line] = []
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        lines.append(Line(len(lines), pos, end, text[pos:end]))
        pos = end + 1
    return lines


class LineTable(Sequence[Line]):
    """The lines of a text as a sequence that makes each :class:`Line` only when asked.

    Equal, item for item, to ``split_lines(text)``; cheaper when only a few lines are
    looked at (``removal_edits`` looks only at removed lines and the blank lines next to
    them). Build it from the text, or from ``text.split("\\n")`` if you have it.

    >>> table = LineTable("a\\n\\nbc\\n")
    >>> list(table) == split_lines("a\\n\\nbc\\n"), len(table), table[-1].text
    (True, 3, 'bc')
    """

    __slots__ = ("_parts", "_starts")

    def __init__(self, text: str, parts: Sequence[str] | None = None) -> None:
        if parts is None:
            parts = text.split("\n")
        # A final newline does not start another line.
        if len(parts) > 1 and not parts[-1]:
            parts = parts[:-1]
        elif not text:
            parts = []
        # Each line starts one past the end of the one before (its newline). (A plain
        # loop: fewer instructions than accumulate over a map of ``(1).__add__``.)
        starts: list[int] = []
        pos = 0
        for part in parts:
            starts.append(pos)
            pos += len(part) + 1
        self._parts = parts
        self._starts = starts

    def __len__(self) -> int:
        return len(self._parts)

    @overload
    def __getitem__(self, index: int) -> Line: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Line]: ...

    def __getitem__(self, index: int | slice) -> Line | Sequence[Line]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._parts)))]
        if index < 0:
            index += len(self._parts)
        if not 0 <= index < len(self._parts):
            raise IndexError(index)
        part = self._parts[index]
        start = self._starts[index]
        return Line(index, start, start + len(part), part)

    def __iter__(self) -> Iterator[Line]:
        for i in range(len(self._parts)):
            yield self[i]


def removal_edits(
    text: str, lines: Sequence[Line], removals: Mapping[int, tuple[str, str]]
) -> list[Edit]:
    """Edits that remove the lines ``removals`` names, and tidy the blank lines around them.

    Args:
        text: The text the lines were split from.
        lines: ``split_lines(text)``.
        removals: Line index to ``(kind, rule)`` for every line to remove.

    Each removed line is one edit (its newline included). Blank lines next to removed
    lines are taken with them where keeping them would leave blank lines at the start
    or end of the text, or two blank lines in a row; a paragraph break between kept
    lines stays. Nothing else is touched.

    >>> text = "Head\\n\\nPhoto: AFP\\n\\nBody.\\n\\nSource: X"
    >>> ls = split_lines(text)
    >>> edits = removal_edits(text, ls, {2: ("credit", "r1"), 6: ("source", "r2")})
    >>> [(text[e.start:e.end], e.kind) for e in edits]
    [('Photo: AFP\\n\\n', 'credit'), ('\\n\\nSource: X', 'source')]
    """
    if not removals:
        return []
    n = len(lines)
    if isinstance(lines, LineTable):  # no Line objects needed
        starts = lines._starts
        parts = lines._parts
    else:
        starts = [ln.start for ln in lines]
        parts = [ln.text for ln in lines]
    length = len(text)
    edits: list[Edit] = []
    # The removed lines in order; a block starts at the first one not already taken
    # by the block before it (lines outside the text are ignored).
    keys = sorted(removals)
    if keys[0] < 0 or keys[-1] >= n:
        keys = keys[bisect_left(keys, 0) : bisect_left(keys, n)]
    done = 0
    for i in keys:
        if i < done:
            continue
        # A block: the removed lines from here, with the blank lines between them
        # and the blank lines before the first and after the last (a line is blank
        # if it holds only white space; only lines next to removed ones are looked at).
        lo = i
        while lo > 0 and (lo - 1) not in removals and not parts[lo - 1].strip():
            lo -= 1
        tail = i
        while tail + 1 < n and (tail + 1 in removals or not parts[tail + 1].strip()):
            tail += 1
        # A line's span runs to the start of the next line (its newline included).
        if lo == tail:  # a removed line alone: one edit
            kind, rule = removals[i]
            end = starts[i + 1] if i + 1 < n else length
            edits.append(Edit(start=starts[i], end=end, replacement="", kind=kind, rule=rule))
            done = i + 1
            continue
        # Lines of the block to drop: every removed line, and the blank lines unless
        # one blank line must stay as a paragraph break between kept lines. Every
        # line of the block is removed or blank.
        removed = [k for k in range(lo, tail + 1) if k in removals]
        keep_blank: int | None = None
        if lo != 0 and tail != n - 1 and len(removed) <= tail - lo:  # a blank line in it
            keep_blank = next((k for k in range(lo, tail + 1) if k not in removals), None)
        # Each removed line takes the dropped blank lines after it (the first one also
        # those before it), up to the next removed line; the kept blank line, if it
        # lies among them, splits them into two runs.
        last_at = len(removed) - 1
        for at, k in enumerate(removed):
            first = lo if at == 0 else k
            last = removed[at + 1] - 1 if at < last_at else tail
            kind, rule = removals[k]
            runs: tuple[tuple[int, int], ...] = ((first, last),)
            if keep_blank is not None and first <= keep_blank <= last:
                runs = ((first, keep_blank - 1), (keep_blank + 1, last))
            for a, b in runs:
                if a <= b:
                    end = starts[b + 1] if b + 1 < n else length
                    edits.append(
                        Edit(start=starts[a], end=end, replacement="", kind=kind, rule=rule)
                    )
        done = tail + 1
    # (The edits come out sorted; sorting them is a safeguard, skipped when not needed.)
    edit_starts = [e.start for e in edits]
    if not all(map(le, edit_starts[:-1], edit_starts[1:])):
        edits.sort(key=lambda e: e.start)
    # A block at the very end of a text without a final newline: take the newline
    # of the last kept line too, so the text does not gain a trailing newline.
    if edits and edits[-1].end == len(text) and not text.endswith("\n"):
        first = len(edits) - 1
        while first > 0 and edits[first - 1].end == edits[first].start:
            first -= 1
        if edits[first].start > 0:
            e = edits[first]
            edits[first] = Edit(
                start=e.start - 1, end=e.end, replacement="", kind=e.kind, rule=e.rule
            )
    return edits
