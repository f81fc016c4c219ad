"""Rich display of a :class:`~newsnorm.Normalized` in notebooks and terminals.

The HTML view is an inline diff drawn from the result's alignment: it walks the
regions where the output differs from the input, in order. Text the steps left
alone is shown once; in a changed region the input text is struck through
(``<del>``) and the output text is highlighted (``<ins>``), and hovering either
shows the step, kind and rule of every change inside it. Entity mentions and
anchored dates (spans of the output) are marked, with their id and label or
their TIMEX3 value on hover. Every piece of article text is HTML-escaped (it is
untrusted), long texts are cut after ``max_chars`` output characters and long
deletions after ``max_deleted`` characters.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsnorm._model import Change, Normalized

__all__ = ["render_html", "render_pretty"]

MAX_CHARS = 5000
MAX_DELETED = 400

_DEL = "background:#fdd;color:#900;text-decoration:line-through"
_INS = "background:#dfd;color:#060;text-decoration:none"
_ENTITY = "background:#dde8ff;border-bottom:1px solid #36c"
_DATE = "background:#fff3c4;border-bottom:1px solid #b80"
_BOX = (
    "white-space:pre-wrap;word-wrap:break-word;font-family:ui-monospace,Menlo,monospace;"
    "font-size:0.9em;line-height:1.4;margin:0.3em 0"
)


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _counts(doc: Normalized) -> str:
    per_step: dict[str, int] = {}
    for change in doc.changes:
        per_step[change.step] = per_step.get(change.step, 0) + 1
    n = len(doc.changes)
    head = f"{n} change{'' if n == 1 else 's'}"
    if per_step:
        head += " (" + ", ".join(f"{step} {k}" for step, k in per_step.items()) + ")"
    parts = [
        head,
        f"{len(doc.entities)} entit{'y' if len(doc.entities) == 1 else 'ies'}",
        f"{len(doc.dates)} date{'' if len(doc.dates) == 1 else 's'}",
        f"{len(doc.captions)} caption{'' if len(doc.captions) == 1 else 's'}",
    ]
    return "; ".join(parts)


def _touches(change: Change, start: int, end: int) -> bool:
    if change.start < end and change.end > start:
        return True
    if change.start == change.end:
        return start <= change.start <= end
    return start == end and change.start <= start <= change.end


def _region_title(changes: Sequence[Change], start: int, end: int) -> str:
    seen = dict.fromkeys(
        f"{c.step}: {c.kind} ({c.rule})" for c in changes if _touches(c, start, end)
    )
    return "; ".join(seen) or "changed"


class _Writer:
    """Emits output text ``[a, b)`` with its marks, up to a budget of characters."""

    def __init__(self, doc: Normalized, budget: int) -> None:
        self.text = doc.text
        self.budget = budget
        self.out: list[str] = []
        marks: list[tuple[int, int, str, str]] = [
            (e.start, e.end, _ENTITY, f"{e.entity_id}: {e.label}") for e in doc.entities
        ]
        marks.extend((d.start, d.end, _DATE, f"{d.type} {d.value}") for d in doc.dates)
        marks.sort()
        self.marks: list[tuple[int, int, str, str]] = []
        last_end = -1
        for mark in marks:  # overlapping marks: the first one wins
            if mark[0] >= last_end and mark[1] > mark[0]:
                self.marks.append(mark)
                last_end = mark[1]

    @property
    def full(self) -> bool:
        return self.budget <= 0

    def emit(self, a: int, b: int) -> None:
        pos = a
        for start, end, style, title in self.marks:
            if end <= pos or start >= b:
                continue
            if start > pos:
                self._plain(pos, start)
            s, e = max(start, pos), min(end, b)
            piece = self._take(s, e)
            if piece:
                self.out.append(f'<mark style="{style}" title="{_esc(title)}">{piece}</mark>')
            pos = e
        if pos < b:
            self._plain(pos, b)

    def _plain(self, a: int, b: int) -> None:
        self.out.append(self._take(a, b))

    def _take(self, a: int, b: int) -> str:
        if self.budget <= 0:
            return ""
        b = min(b, a + self.budget)
        self.budget -= b - a
        return _esc(self.text[a:b])


def _pieces(
    doc: Normalized, ostart: int, oend: int, tstart: int, tend: int
) -> list[tuple[int, int, Change | None]] | None:
    """Split a merged region into its changes: ``(input start, input end, change or
    None for unchanged input)``, or ``None`` when the changes do not tile it exactly
    (e.g. a later step rewrote what an earlier one wrote)."""
    inside = sorted(
        (c for c in doc.changes if _touches(c, ostart, oend)), key=lambda c: (c.start, c.end)
    )
    pieces: list[tuple[int, int, Change | None]] = []
    made: list[str] = []
    pos = ostart
    for change in inside:
        if change.start < pos or change.end > oend:
            return None
        if doc.original[change.start : change.end] != change.before:
            return None
        if change.start > pos:
            pieces.append((pos, change.start, None))
            made.append(doc.original[pos : change.start])
        pieces.append((change.start, change.end, change))
        made.append(change.after)
        pos = change.end
    if pos < oend:
        pieces.append((pos, oend, None))
        made.append(doc.original[pos:oend])
    if "".join(made) != doc.text[tstart:tend]:
        return None
    return pieces


def _diff(writer: _Writer, removed: str, tstart: int, tend: int, *, title: str, limit: int) -> None:
    out = writer.out
    if removed:
        if len(removed) > limit:
            removed = removed[:limit] + f"… [{len(removed) - limit:,} more]"
        out.append(f'<del style="{_DEL}" title="{_esc(title)}">{_esc(removed)}</del>')
    if tend > tstart:
        out.append(f'<ins style="{_INS}" title="{_esc(title)}">')
        writer.emit(tstart, tend)
        out.append("</ins>")


def render_html(
    doc: Normalized, *, max_chars: int = MAX_CHARS, max_deleted: int = MAX_DELETED
) -> str:
    """The HTML view of ``doc`` (see the module docs)."""
    writer = _Writer(doc, max_chars)
    t = 0
    for ostart, oend, tstart, tend in doc.alignment.regions():
        writer.emit(t, tstart)
        if writer.full:
            break
        pieces = _pieces(doc, ostart, oend, tstart, tend)
        if pieces is None:
            title = _region_title(doc.changes, ostart, oend)
            _diff(writer, doc.original[ostart:oend], tstart, tend, title=title, limit=max_deleted)
        else:
            pos = tstart
            for start, end, change in pieces:
                if change is None:
                    writer.emit(pos, pos + end - start)
                    pos += end - start
                else:
                    title = f"{change.step}: {change.kind} ({change.rule})"
                    after = pos + len(change.after)
                    _diff(writer, change.before, pos, after, title=title, limit=max_deleted)
                    pos = after
        t = tend
    else:
        writer.emit(t, len(doc.text))
    out = writer.out
    body = "".join(out)
    shown = max_chars - max(writer.budget, 0)
    if shown < len(doc.text) and writer.full:
        body += f'<span style="color:#888">… [{len(doc.text) - shown:,} more characters]</span>'
    meta = [f"{len(doc.text):,} characters (input {len(doc.original):,})", _counts(doc)]
    if doc.source is not None:
        meta.append(f"source {doc.source}")
    if doc.published is not None:
        meta.append(f"published {doc.published.isoformat()}")
    header = (
        '<div style="font-size:0.85em;color:#555"><b>newsnorm.Normalized</b> · '
        + _esc(" · ".join(meta))
        + "</div>"
    )
    captions = ""
    if doc.captions:
        items = "".join(
            f"<li>{_esc(_short(c.text, 300))}"
            + (f" <i>({_esc(_short(c.credit, 100))})</i>" if c.credit else "")
            + f" <small>[{_esc(c.kind)}, {len(c.spans)}×]</small></li>"
            for c in doc.captions[:20]
        )
        captions = f'<div style="font-size:0.85em">Captions:<ul>{items}</ul></div>'
    notes = ""
    if doc.notes:
        items = "".join(
            f"<li>{_esc(n.step)} {_esc(n.code)}: {_esc(_short(n.message, 300))}</li>"
            for n in doc.notes[:20]
        )
        more = f"<li>… {len(doc.notes) - 20} more</li>" if len(doc.notes) > 20 else ""
        notes = f'<div style="font-size:0.85em;color:#555">Notes:<ul>{items}{more}</ul></div>'
    return f'<div class="newsnorm">{header}<div style="{_BOX}">{body}</div>{captions}{notes}</div>'


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_pretty(doc: Normalized, *, max_chars: int = 400, max_lines: int = 12) -> str:
    """A compact text view of ``doc`` for terminals (IPython's pretty printer)."""
    head = f"Normalized: {len(doc.text):,} characters (input {len(doc.original):,}); {_counts(doc)}"
    lines = [head]
    if doc.source is not None or doc.published is not None:
        published = doc.published.isoformat() if doc.published else None
        lines.append(f"  source={doc.source!r} published={published}")
    lines.append(f"  text: {_short(doc.text, max_chars)!r}")
    if doc.changes or doc.notes:
        explained = doc.explain().splitlines()
        lines.extend("  " + line for line in explained[:max_lines])
        if len(explained) > max_lines:
            lines.append(f"  ... {len(explained) - max_lines} more lines: see .explain()")
    return "\n".join(lines)
