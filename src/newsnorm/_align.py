"""The alignment layer: exact offsets between a normalised text and its input.

An :class:`Alignment` is the list of *regions* where the output differs from the
input. Each region says "input ``[ostart, oend)`` became output
``[tstart, tend)``"; between regions the two texts are identical, so a position
there maps by a constant shift. Regions are sorted, do not overlap, and an
edit that touches or overlaps an earlier region is merged with it, so the
alignment of several steps is exactly the alignment of their combined edits.

Mapping a span of the output back (:meth:`Alignment.to_original`):

* a position in unchanged text maps by the shift;
* a span that starts or ends inside a changed region is widened to the whole
  input of that region (the input that produced it);
* deleted input next to a span is not included in it; inserted output maps
  to the empty input span where it was inserted.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import accumulate, compress, repeat
from operator import add, eq, le, sub

import attrs

from newsnorm.errors import SpanError

__all__ = ["Alignment", "Edit", "apply_edits"]


@attrs.frozen(kw_only=True)
class Edit:
    """One edit a step makes to the text it was given.

    Attributes:
        start: Start of the replaced span in the step's input text.
        end: End (exclusive) of the replaced span.
        replacement: The text that takes its place (``""`` deletes).
        kind: What was changed, e.g. ``"mojibake"``, ``"byline"``, ``"alias"``.
        rule: The id of the rule that made the edit, e.g. ``"repair.odd-spaces"``.
    """

    start: int
    end: int
    replacement: str
    kind: str
    rule: str


def apply_edits(text: str, edits: Sequence[Edit]) -> tuple[str, list[tuple[int, int]]]:
    """Apply sorted, non-overlapping edits to ``text``.

    Returns:
        The new text and, for each edit, the span its replacement occupies in it.

    Raises:
        SpanError: If an edit lies outside ``text``, edits overlap or are unsorted,
            or two insertions share a position.

    >>> apply_edits("on Monday", [Edit(start=9, end=9, replacement=" (X)", kind="k", rule="r")])
    ('on Monday (X)', [(9, 13)])
    """
    starts = [e.start for e in edits]
    ends = [e.end for e in edits]
    reps = [e.replacement for e in edits]
    new_text, outs, out_ends = _apply_bounds(text, edits, starts, ends, reps)
    return new_text, list(zip(outs, out_ends, strict=True))


def _apply_bounds(
    text: str, edits: Sequence[Edit], starts: list[int], ends: list[int], reps: list[str]
) -> tuple[str, list[int], list[int]]:
    """:func:`apply_edits` given the edits' starts, ends and replacements: the new text,
    and the starts and the ends of the replacements in it."""
    # One pass over well-formed edits (the common case; a few edits); anything else,
    # and long lists, go the way that checks in C and raises the right error.
    if len(starts) <= _LOOP_MAX:
        pieces: list[str] = []
        outs: list[int] = []
        out_ends: list[int] = []
        pos = 0
        grow = 0
        last_insert = -1
        for s, e, r in zip(starts, ends, reps, strict=True):
            if not (type(s) is int and type(e) is int and type(r) is str and pos <= s <= e):
                break
            if s == e:
                if s == last_insert:
                    break
                last_insert = s
            pieces.append(text[pos:s])
            pieces.append(r)
            out = s + grow
            outs.append(out)
            out_ends.append(out + len(r))
            grow += len(r) - (e - s)
            pos = e
        else:
            if pos <= len(text):
                pieces.append(text[pos:])
                return "".join(pieces), outs, out_ends
    if not _well_formed(starts, ends, len(text)):
        _raise_malformed(text, edits)
    # The text between edits, then the edits' replacements in between (all in C but the
    # slicing comprehension).
    gaps = [text[a:b] for a, b in zip([0, *ends], [*starts, len(text)], strict=True)]
    pieces = [""] * (2 * len(reps) + 1)
    pieces[0::2] = gaps
    pieces[1::2] = reps
    lens = list(map(len, reps))
    # Where each replacement lands: its start shifted by the growth of the edits before it.
    growth = accumulate(map(sub, lens, map(sub, ends, starts)), initial=0)
    outs = list(map(add, starts, growth))
    return "".join(pieces), outs, list(map(add, outs, lens))


_LOOP_MAX = 128
"""Edit lists up to this long are applied in one Python pass (fewer calls than the C
form for a few edits; the C form wins on long lists)."""


def _well_formed(starts: list[int], ends: list[int], length: int) -> bool:
    """Whether edits with these bounds are sorted, inside a text of ``length`` and do not
    overlap, and no two insertions share a position (checked in C)."""
    if not starts:
        return True
    try:
        return (
            starts[0] >= 0
            and ends[-1] <= length
            and all(map(le, starts, ends))
            and all(map(le, ends[:-1], starts[1:]))
            # two insertions at one position
            and not any(map(_same_insert, starts[:-1], ends[:-1], starts[1:], ends[1:]))
        )
    except TypeError:
        return False


def _same_insert(s1: int, e1: int, s2: int, e2: int) -> bool:
    return s1 == e1 == s2 == e2


def _raise_malformed(text: str, edits: Sequence[Edit]) -> None:
    """Raise the :class:`SpanError` of the first edit that is out of place."""
    pos = 0
    last_insert = -1
    for edit in edits:
        start, end = edit.start, edit.end
        if not 0 <= start <= end <= len(text):
            msg = f"edit [{start}, {end}) lies outside a text of length {len(text)}"
            raise SpanError(msg)
        if start < pos or (start == end == last_insert):
            msg = f"edits overlap or are not sorted at [{start}, {end})"
            raise SpanError(msg)
        if start == end:
            last_insert = start
        pos = end
    msg = "edits are malformed"  # pragma: no cover (the checks above cover every case)
    raise SpanError(msg)


@attrs.frozen
class Alignment:
    """Regions where an output text differs from its input (see the module docs).

    The four tuples are parallel: region ``i`` maps input
    ``[ostart[i], oend[i])`` to output ``[tstart[i], tend[i])``.
    """

    ostart: tuple[int, ...] = ()
    oend: tuple[int, ...] = ()
    tstart: tuple[int, ...] = ()
    tend: tuple[int, ...] = ()

    def __len__(self) -> int:
        return len(self.ostart)

    def regions(self) -> list[tuple[int, int, int, int]]:
        """The regions as ``(ostart, oend, tstart, tend)`` tuples."""
        return list(zip(self.ostart, self.oend, self.tstart, self.tend, strict=True))

    def map_start(self, pos: int) -> int:
        """Input position of an output position used as the start of a span."""
        i = bisect_right(self.tstart, pos) - 1
        if i < 0:
            return pos
        if pos < self.tend[i]:
            return self.ostart[i]
        return self.oend[i] + (pos - self.tend[i])

    def map_end(self, pos: int) -> int:
        """Input position of an output position used as the end of a span."""
        i = bisect_left(self.tstart, pos) - 1
        if i < 0:
            return pos
        if pos < self.tend[i]:
            return self.oend[i]
        return self.oend[i] + (pos - self.tend[i])

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the output span ``[start, end)`` to the input span it came from.

        The caller checks bounds; an empty span maps to an empty span.
        """
        if start == end:
            pos = self.map_start(start)
            return pos, pos
        return self.map_start(start), self.map_end(end)

    def spans_to_original(
        self, starts: Sequence[int], ends: Sequence[int]
    ) -> tuple[list[int], list[int]]:
        """:meth:`to_original` of many spans at once: the input starts and ends of the
        output spans ``[starts[i], ends[i])`` (the caller checks bounds).

        >>> a = Alignment((2,), (5,), (2,), (3,))  # input [2, 5) became output [2, 3)
        >>> a.spans_to_original([0, 2, 4, 4], [1, 3, 6, 4])
        ([0, 2, 6, 6], [1, 5, 8, 6])
        """
        ts, te, os_, oe = self.tstart, self.tend, self.ostart, self.oend
        ks = list(map(bisect_right, repeat(ts, len(starts)), starts))
        mapped_s = [
            p if k == 0 else (os_[k - 1] if p < te[k - 1] else oe[k - 1] + (p - te[k - 1]))
            for p, k in zip(starts, ks, strict=True)
        ]
        ks = list(map(bisect_left, repeat(ts, len(ends)), ends))
        mapped_e = [
            p if k == 0 else (oe[k - 1] if p < te[k - 1] else oe[k - 1] + (p - te[k - 1]))
            for p, k in zip(ends, ks, strict=True)
        ]
        # An empty span maps to the empty span at its start.
        for i in compress(range(len(starts)), map(eq, starts, ends)):
            mapped_e[i] = mapped_s[i]
        return mapped_s, mapped_e

    def compose(self, edits: Sequence[Edit]) -> Alignment:
        """The alignment of the input to the text made by applying ``edits`` to the output.

        ``edits`` are positions in this alignment's *output* (sorted, as checked by
        :func:`apply_edits`). Regions that overlap an edit are merged with it; regions
        that only touch stay apart, so the result is the same whether edits come in
        one step or several.
        """
        if not edits:
            return self
        es = [e.start for e in edits]
        ee = [e.end for e in edits]
        # (new - middle) length change of each edit
        eg = list(map(sub, map(len, [e.replacement for e in edits]), map(sub, ee, es)))
        return self._compose(es, ee, eg)

    def _compose(self, es: list[int], ee: list[int], eg: list[int]) -> Alignment:
        """:meth:`compose` given the edits' starts, ends and growths (replacement length
        minus replaced length); at least one edit."""
        a_os, a_oe, a_ts, a_te = self.ostart, self.oend, self.tstart, self.tend
        ostart: list[int] = []
        oend: list[int] = []
        tstart: list[int] = []
        tend: list[int] = []
        if not a_ts:  # nothing changed yet: the regions are the edits themselves
            before = list(accumulate(eg, initial=0))
            return _canonical(es, ee, list(map(add, es, before)), list(map(add, ee, before[1:])))

        delta_a = 0  # (output - input) length change of earlier regions passed so far
        delta_b = 0  # (new - middle) length change of new edits passed so far
        na, nb = len(a_ts), len(es)
        ia = ib = 0
        # Walk both sorted lists (earlier regions by their middle-text span, new edits
        # by theirs; a region first on ties) and group items that overlap.
        while ia < na or ib < nb:
            if ib >= nb or (
                ia < na and (a_ts[ia] < es[ib] or (a_ts[ia] == es[ib] and a_te[ia] <= ee[ib]))
            ):
                g_start, g_end = a_ts[ia], a_te[ia]
                first_old = ia
                ia += 1
                growth = 0
                has_new = False
            else:
                g_start, g_end = es[ib], ee[ib]
                first_old = ia
                growth = eg[ib]
                has_new = True
                ib += 1
            # Only overlapping items merge; touching ones stay separate regions.
            while True:
                if ia < na and a_ts[ia] < g_end:
                    g_end = max(g_end, a_te[ia])
                    ia += 1
                elif ib < nb and es[ib] < g_end:
                    g_end = max(g_end, ee[ib])
                    growth += eg[ib]
                    has_new = True
                    ib += 1
                else:
                    break
            if not has_new:
                # Earlier regions no new edit touches: keep them, shifted.
                for i in range(first_old, ia):
                    ostart.append(a_os[i])
                    oend.append(a_oe[i])
                    tstart.append(a_ts[i] + delta_b)
                    tend.append(a_te[i] + delta_b)
                    delta_a += (a_te[i] - a_ts[i]) - (a_oe[i] - a_os[i])
                continue
            # Input start: the first earlier region's start if it opens the group,
            # otherwise the group opens in unchanged text and maps by the shift.
            has_old = ia > first_old
            o_s = a_os[first_old] if has_old and a_ts[first_old] == g_start else g_start - delta_a
            for i in range(first_old, ia):
                delta_a += (a_te[i] - a_ts[i]) - (a_oe[i] - a_os[i])
            o_e = a_oe[ia - 1] if has_old and a_te[ia - 1] == g_end else g_end - delta_a
            t_s = g_start + delta_b
            ostart.append(o_s)
            oend.append(o_e)
            tstart.append(t_s)
            tend.append(t_s + (g_end - g_start) + growth)
            delta_b += growth
        return _canonical(ostart, oend, tstart, tend)


def _canonical(ostart: list[int], oend: list[int], tstart: list[int], tend: list[int]) -> Alignment:
    """Merge neighbouring regions of the same pure kind: two insertions at one input
    position, or two deletions that meet in the output. Nothing else merges, so spans
    next to a deletion stay exact, and the form does not depend on how edits were split
    into steps."""
    if not any(map(eq, oend, ostart[1:])):  # no two regions meet in the input
        return Alignment(tuple(ostart), tuple(oend), tuple(tstart), tuple(tend))
    os_: list[int] = []
    oe: list[int] = []
    ts: list[int] = []
    te: list[int] = []
    for a, b, c, d in zip(ostart, oend, tstart, tend, strict=True):
        if os_ and oe[-1] == a and te[-1] == c:
            both_inserts = os_[-1] == oe[-1] and a == b
            both_deletes = ts[-1] == te[-1] and c == d
            if both_inserts or both_deletes:
                oe[-1] = b
                te[-1] = d
                continue
        os_.append(a)
        oe.append(b)
        ts.append(c)
        te.append(d)
    return Alignment(tuple(os_), tuple(oe), tuple(ts), tuple(te))


def check_span(start: int, end: int, length: int) -> None:
    """Raise :class:`SpanError` unless ``0 <= start <= end <= length``."""
    if not (isinstance(start, int) and isinstance(end, int)):
        msg = f"span bounds must be int, got {type(start).__name__} and {type(end).__name__}"
        raise SpanError(msg)
    if not 0 <= start <= end <= length:
        msg = f"span [{start}, {end}) does not lie inside a text of length {length}"
        raise SpanError(msg)
