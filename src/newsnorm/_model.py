"""The result model: :class:`Normalized` and the records it carries."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter, sub
from typing import Any, Protocol, TypeVar

import attrs

from newsnorm._align import Alignment, Edit, _apply_bounds, _canonical, check_span
from newsnorm._display import render_html, render_pretty
from newsnorm.errors import SpanError

__all__ = [
    "Caption",
    "Change",
    "DateMention",
    "EntityMention",
    "Normalized",
    "Note",
]


@attrs.frozen(kw_only=True)
class Change:
    """One edit, in the coordinates of the *input* text.

    Attributes:
        step: The step that made it (``"repair"``, ``"boilerplate"``, ...).
        kind: What was changed (``"odd-space"``, ``"byline"``, ``"alias"``, ...).
        start: Start of the input span the edit replaced.
        end: End (exclusive) of that span.
        before: The text the step replaced, as the step saw it. It equals
            ``original[start:end]`` unless an earlier step already edited that span.
        after: The text the step put in its place (``""`` for a deletion).
        rule: Id of the rule that made the edit (``"repair.odd-spaces"``, ...).
    """

    step: str
    kind: str
    start: int
    end: int
    before: str
    after: str
    rule: str


@attrs.frozen(kw_only=True)
class Note:
    """Something a step reports that is not an edit (e.g. why it did nothing).

    Attributes:
        step: The step that wrote the note.
        code: A stable machine-readable code, e.g. ``"no-published-date"``.
        message: A sentence for people.
    """

    step: str
    code: str
    message: str


@attrs.frozen(kw_only=True)
class EntityMention:
    """A mention of a known entity, with its span in ``Normalized.text``.

    Attributes:
        start: Start of the mention in the normalised text.
        end: End (exclusive) of the mention in the normalised text.
        surface: The name as it was written in the step's input.
        entity_id: Canonical id (a Wikidata QID where one exists).
        label: The entity's canonical label.
    """

    start: int
    end: int
    surface: str
    entity_id: str
    label: str


@attrs.frozen(kw_only=True)
class DateMention:
    """A date expression anchored to a TIMEX3 value, with its span in ``Normalized.text``.

    Attributes:
        start: Start of the expression in the normalised text (TIMEX3 extent).
        end: End (exclusive) of the expression.
        surface: The expression as written.
        value: TIMEX3 value, e.g. ``"2017-07-10"``, ``"2017-W28"``, ``"PAST_REF"``.
        type: TIMEX3 type; ``"DATE"`` for every mention the date step makes.
        start_date: First calendar day the value covers, where it has one.
        end_date: Last calendar day the value covers, where it has one.
        rule: Id of the rule that found and anchored it.
    """

    start: int
    end: int
    surface: str
    value: str
    type: str = "DATE"
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    rule: str = ""


@attrs.frozen(kw_only=True)
class Caption:
    """A picture caption or repeated headline kept as metadata.

    Attributes:
        text: The caption, without its credit.
        credit: The credit that came with it (``"TRT World and Agencies"``), if any.
        spans: Input spans of every occurrence, in order.
        kind: ``"caption"`` or ``"headline"``.
    """

    text: str
    credit: str | None = None
    spans: tuple[tuple[int, int], ...] = ()
    kind: str = "caption"


class _Spanned(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


_S = TypeVar("_S", EntityMention, DateMention)


def _shift(
    anns: Sequence[_S], starts: list[int], ends: list[int], out_ends: list[int]
) -> tuple[list[_S], list[_S]]:
    """Move annotations through edits; return (kept, dropped).

    ``starts`` and ``ends`` bound the edits (at least one) in the text the annotations
    are in, ``out_ends`` are the ends of their replacements in the new text. An
    annotation that an edit overlaps (or an insertion strictly inside it) is dropped.
    """
    n = len(starts)
    kept: list[_S] = []
    dropped: list[_S] = []
    for ann in anns:
        a_start, a_end = ann.start, ann.end
        # Edits that end at or before the annotation's start shift it.
        i = bisect_right(ends, a_start)
        # Any edit starting before the annotation's end (and not ending before its start)
        # overlaps it, unless it is an insertion exactly at its start.
        j = bisect_left(starts, a_end)
        if any(not (starts[k] == ends[k] and starts[k] in (a_start, a_end)) for k in range(i, j)):
            dropped.append(ann)
            continue
        shift = 0 if i == 0 else out_ends[i - 1] - ends[i - 1]
        # Insertions exactly at the start are placed before the annotation.
        k = i
        while k < n and starts[k] == ends[k] == a_start:
            shift = out_ends[k] - ends[k]
            k += 1
        kept.append(attrs.evolve(ann, start=a_start + shift, end=a_end + shift))
    return kept, dropped


_SPAN_KEY = attrgetter("start", "end")
_new = object.__new__


def _slot_setters(cls: type[Any]) -> tuple[Callable[[Any, Any], None], ...]:
    """The setters of the slots of ``cls``'s fields, in field order.

    For a slotted attrs class whose ``__init__`` only stores its arguments (no defaults
    left out, validators, converters or post-init), making the object and setting its
    slots gives what ``cls(...)`` gives, in about half the instructions (attrs' frozen
    ``__init__`` goes through ``object.__setattr__`` once a field).
    """
    fields = attrs.fields(cls)
    if any(f.validator is not None or f.converter is not None for f in fields) or hasattr(
        cls, "__attrs_post_init__"
    ):
        msg = f"{cls.__name__}.__init__ does more than store its arguments"
        raise TypeError(msg)
    return tuple(cls.__dict__[f.name].__set__ for f in fields)


_SET_CHANGE = _slot_setters(Change)
_NO_REGIONS = Alignment()
"""The alignment of a text to itself (immutable: every fresh result shares it)."""


def _check_added(added: list[EntityMention] | list[DateMention], length: int) -> None:
    """Raise :class:`SpanError` unless every annotation lies inside a text of ``length``."""
    for ann in added:
        start, end = ann.start, ann.end
        if not (type(start) is int and type(end) is int and 0 <= start <= end <= length):
            check_span(start, end, length)  # raises, or passes an int subclass


@attrs.frozen(kw_only=True)
class Normalized:
    """A normalised text, everything done to it, and everything found in it.

    Every step returns one. Offsets are exact: :meth:`to_original` maps any span
    of ``text`` back to the span of ``original`` it came from, and every
    :class:`Change` holds its span in ``original``.

    >>> from newsnorm import Normalized
    >>> doc = Normalized.from_text("TRT World 's Nicole Johnston")
    >>> doc.text
    "TRT World 's Nicole Johnston"
    >>> doc.to_original(0, 9)
    (0, 9)

    Attributes:
        text: The normalised text.
        original: The input text, unchanged.
        changes: Every edit, in the order the steps made them.
        entities: Entity mentions, spans in ``text`` (alias step).
        dates: Date mentions, spans in ``text`` (date step).
        captions: Captions and repeated headlines taken out of the body (caption step).
        notes: What the steps report that is not an edit.
        published: The publication date the steps were given, if any.
        source: The outlet the steps were given, if any.
    """

    text: str
    original: str
    changes: tuple[Change, ...] = ()
    entities: tuple[EntityMention, ...] = ()
    dates: tuple[DateMention, ...] = ()
    captions: tuple[Caption, ...] = ()
    notes: tuple[Note, ...] = ()
    published: dt.date | None = None
    source: str | None = None
    alignment: Alignment = attrs.field(factory=Alignment, repr=False)

    @classmethod
    def from_text(
        cls, text: str, *, published: dt.date | None = None, source: str | None = None
    ) -> Normalized:
        """A result with nothing done yet: ``text`` is both input and output."""
        return cls(
            text=text, original=text, published=published, source=source, alignment=_NO_REGIONS
        )

    @property
    def changed(self) -> bool:
        """Whether any step changed the text."""
        return bool(self.changes)

    @property
    def steps(self) -> tuple[str, ...]:
        """Names of the steps that changed something, in the order they ran."""
        return tuple(dict.fromkeys(c.step for c in self.changes))

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the span ``[start, end)`` of ``text`` to the input span it came from.

        Unchanged text maps exactly; a span that starts or ends inside an edited
        region is widened to the whole input of that region; inserted text maps to
        the empty span where it was inserted.

        Raises:
            SpanError: If the span does not lie inside ``text``.

        >>> from newsnorm.repair import repair_text
        >>> doc = repair_text("Price:\\u00a0$5 and TRT World 's team")
        >>> doc.text
        "Price: $5 and TRT World's team"
        >>> start, end = doc.to_original(14, 30)
        >>> doc.original[start:end]
        "TRT World 's team"
        """
        check_span(start, end, len(self.text))
        return self.alignment.to_original(start, end)

    def check_offsets(self) -> None:
        """Check that every offset this result holds is consistent; raise if one is not.

        Changes and caption spans lie inside ``original``; entity and date spans lie inside
        ``text`` and map back inside ``original``; text between edited regions maps back
        to identical input. Results made by newsnorm always pass; the fuzzer and the
        hostile-input tests call this on every result.

        Raises:
            SpanError: Naming the first offset that is off.

        >>> from newsnorm.repair import repair_text
        >>> repair_text("a\\u00a0b 's").check_offsets()
        """
        n_in, n_out = len(self.original), len(self.text)
        for c in self.changes:
            if not 0 <= c.start <= c.end <= n_in:
                msg = f"change outside the input: {c!r}"
                raise SpanError(msg)
        mentions: list[EntityMention | DateMention] = [*self.entities, *self.dates]
        for m in mentions:
            if not 0 <= m.start <= m.end <= n_out:
                msg = f"mention outside the text: {m!r}"
                raise SpanError(msg)
            s, e = self.to_original(m.start, m.end)
            if not 0 <= s <= e <= n_in:
                msg = f"mention maps outside the input: {m!r}"
                raise SpanError(msg)
        for cap in self.captions:
            if any(not 0 <= s <= e <= n_in for s, e in cap.spans):
                msg = f"caption span outside the input: {cap!r}"
                raise SpanError(msg)
        pos = 0
        for _os, _oe, ts, te in [*self.alignment.regions(), (0, 0, n_out, n_out)]:
            if ts > pos:
                s, e = self.to_original(pos, ts)
                if self.original[s:e] != self.text[pos:ts]:
                    msg = f"unchanged text [{pos}, {ts}) does not map back to identical input"
                    raise SpanError(msg)
            pos = te

    def apply(
        self,
        step: str,
        edits: Sequence[Edit],
        *,
        entities: Iterable[EntityMention] = (),
        dates: Iterable[DateMention] = (),
        captions: Iterable[Caption] = (),
        notes: Iterable[Note] = (),
    ) -> Normalized:
        """Apply one step's edits and findings; return the new result.

        This is how steps (including your own) extend a result. ``edits`` are
        positions in the current ``text``, sorted and not overlapping.
        New ``entities`` and ``dates`` are given in the coordinates of the *new*
        text; earlier ones are moved through the edits (one that an edit cuts
        into is dropped, and a note says so). ``captions`` hold input spans.

        Raises:
            SpanError: If an edit or a new annotation lies outside its text.
        """
        text = self.text
        changes = self.changes
        entities_now = self.entities
        dates_now = self.dates
        alignment = self.alignment
        dropped: list[EntityMention | DateMention] = []
        if edits:
            starts = [e.start for e in edits]
            ends = [e.end for e in edits]
            reps = [e.replacement for e in edits]
            new_text, outs, out_ends = _apply_bounds(text, edits, starts, ends, reps)
            if alignment.tstart:
                in_starts, in_ends = alignment.spans_to_original(starts, ends)
                alignment = alignment._compose(
                    starts, ends, list(map(sub, map(len, reps), map(sub, ends, starts)))
                )
            else:  # nothing changed yet: input and text coincide, the regions are the edits
                in_starts, in_ends = starts, ends
                alignment = _canonical(starts, ends, outs, out_ends)
            # Change(step=..., ...) for each edit, its slots set directly (see _slot_setters).
            made: list[Change] = []
            set_step, set_kind, set_start, set_end, set_before, set_after, set_rule = _SET_CHANGE
            for e, s, t, a, b, r in zip(edits, in_starts, in_ends, starts, ends, reps, strict=True):
                c = _new(Change)
                set_step(c, step)
                set_kind(c, e.kind)
                set_start(c, s)
                set_end(c, t)
                set_before(c, text[a:b])
                set_after(c, r)
                set_rule(c, e.rule)
                made.append(c)
            changes += tuple(made)
            if entities_now:
                kept_entities, lost = _shift(entities_now, starts, ends, out_ends)
                entities_now = tuple(kept_entities)
                dropped.extend(lost)
            if dates_now:
                kept_dates, lost_dates = _shift(dates_now, starts, ends, out_ends)
                dates_now = tuple(kept_dates)
                dropped.extend(lost_dates)
        else:
            new_text = text
        new_notes = list(notes)
        if dropped:
            new_notes.extend(
                Note(
                    step=step,
                    code="annotation-dropped",
                    message=f"{type(ann).__name__} {ann.surface!r} was removed with its text",
                )
                for ann in dropped
            )
        added_entities = list(entities)
        added_dates = list(dates)
        if added_entities:
            _check_added(added_entities, len(new_text))
        if added_dates:
            _check_added(added_dates, len(new_text))
        if added_entities:
            entities_now = tuple(sorted([*entities_now, *added_entities], key=_SPAN_KEY))
        if added_dates:
            dates_now = tuple(sorted([*dates_now, *added_dates], key=_SPAN_KEY))
        new_captions = self.captions + tuple(captions)
        new_notes_all = self.notes + tuple(new_notes) if new_notes else self.notes
        if type(self) is not Normalized:  # a subclass: keep its class and its own fields
            return attrs.evolve(
                self,
                text=new_text,
                changes=changes,
                entities=entities_now,
                dates=dates_now,
                captions=new_captions,
                notes=new_notes_all,
                alignment=alignment,
            )
        # Normalized(text=new_text, ...), its slots set directly (see _slot_setters).
        out = _new(Normalized)
        set_text, set_original, set_changes, set_entities, set_dates = _SET_NORMALIZED[:5]
        set_captions, set_notes, set_published, set_source, set_alignment = _SET_NORMALIZED[5:]
        set_text(out, new_text)
        set_original(out, self.original)
        set_changes(out, changes)
        set_entities(out, entities_now)
        set_dates(out, dates_now)
        set_captions(out, new_captions)
        set_notes(out, new_notes_all)
        set_published(out, self.published)
        set_source(out, self.source)
        set_alignment(out, alignment)
        return out

    def explain(self) -> str:
        """A readable account of what each step did, one line per change or note.

        >>> from newsnorm.repair import repair_text
        >>> print(repair_text("TRT World 's Nicole").explain())
        repair: 1 change
          [9, 12) tokenizer-artefact (repair.possessive-space): " 's" -> "'s"
        """
        if not self.changes and not self.notes:
            return "nothing to do: the text came out unchanged"
        lines: list[str] = []
        order = list(dict.fromkeys([c.step for c in self.changes] + [n.step for n in self.notes]))
        for step in order:
            changes = sorted(
                (c for c in self.changes if c.step == step), key=lambda c: (c.start, c.end)
            )
            notes = [n for n in self.notes if n.step == step]
            head = f"{step}: {len(changes)} change{'' if len(changes) == 1 else 's'}"
            if notes:
                head += f", {len(notes)} note{'' if len(notes) == 1 else 's'}"
            lines.append(head)
            lines.extend(
                f"  [{c.start}, {c.end}) {c.kind} ({c.rule}): "
                f"{_quote(c.before)} -> {_quote(c.after)}"
                for c in changes
            )
            lines.extend(f"  note {n.code}: {n.message}" for n in notes)
        return "\n".join(lines)

    def to_dict(self, *, include_original: bool = True) -> dict[str, Any]:
        """A JSON-ready dict of the result (dates as ISO strings, spans as lists).

        >>> from newsnorm.repair import repair_text
        >>> d = repair_text("a\\u00a0b").to_dict()
        >>> d["text"], d["changes"][0]["rule"]
        ('a b', 'repair.odd-spaces')
        """
        out: dict[str, Any] = {"text": self.text}
        if include_original:
            out["original"] = self.original
        out["published"] = self.published.isoformat() if self.published else None
        out["source"] = self.source
        out["changes"] = [attrs.asdict(c) for c in self.changes]
        out["entities"] = [attrs.asdict(e) for e in self.entities]
        out["dates"] = [attrs.asdict(d, value_serializer=_json_value) for d in self.dates]
        out["captions"] = [
            {**attrs.asdict(c), "spans": [list(span) for span in c.spans]} for c in self.captions
        ]
        out["notes"] = [attrs.asdict(n) for n in self.notes]
        return out

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle compactly: the records as plain tuples, which pickle and unpickle several
        times faster than objects (results of worker processes cross in batches)."""
        a = self.alignment
        return (
            _unpickle_normalized,
            (
                self.text,
                self.original,
                tuple(map(_CHANGE_VALUES, self.changes)),
                tuple(map(_ENTITY_VALUES, self.entities)),
                tuple(map(_date_values, self.dates)),
                self.captions,
                self.notes,
                _day(self.published),
                self.source,
                (a.ostart, a.oend, a.tstart, a.tend),
            ),
        )

    def _repr_html_(self) -> str:
        """Notebook view: an inline diff over the input, findings highlighted (escaped)."""
        return render_html(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Terminal view for IPython: a summary, the start of the text, the changes."""
        printer.text("Normalized(...)" if cycle else render_pretty(self))


def _json_value(_inst: object, _field: object, value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _quote(text: str) -> str:
    """Quote ``text`` for :meth:`Normalized.explain`: invisible characters are escaped."""
    shown = text if len(text) <= 60 else text[:57] + "..."
    out = []
    for ch in shown:
        if ch == "\n":
            out.append("\\n")
        elif ch in '"\\':
            out.append("\\" + ch)
        elif ch != " " and (ch.isspace() or not ch.isprintable()):
            out.append(f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


_CHANGE_FIELDS = ("step", "kind", "start", "end", "before", "after", "rule")
_ENTITY_FIELDS = ("start", "end", "surface", "entity_id", "label")
_DATE_FIELDS = ("start", "end", "surface", "value", "type", "start_date", "end_date", "rule")
# The compact pickle lists the fields by name: a field added to a record must be added here.
assert tuple(f.name for f in attrs.fields(Change)) == _CHANGE_FIELDS
assert tuple(f.name for f in attrs.fields(EntityMention)) == _ENTITY_FIELDS
assert tuple(f.name for f in attrs.fields(DateMention)) == _DATE_FIELDS
_CHANGE_VALUES = attrgetter(*_CHANGE_FIELDS)
_ENTITY_VALUES = attrgetter(*_ENTITY_FIELDS)
_DATE_VALUES = attrgetter(*_DATE_FIELDS)
_DATE = dt.date


def _day(value: dt.date | None) -> object:
    """A plain date as its ordinal (an int pickles some 25 times faster than a date);
    anything else as it is."""
    return value.toordinal() if type(value) is _DATE and value is not None else value


def _date_values(d: DateMention) -> tuple[Any, ...]:
    return (
        d.start,
        d.end,
        d.surface,
        d.value,
        d.type,
        _day(d.start_date),
        _day(d.end_date),
        d.rule,
    )


def _undo_day(value: Any) -> Any:
    """The inverse of :func:`_day`."""
    return _DATE.fromordinal(value) if type(value) is int else value


def _unpickle_normalized(  # noqa: PLR0917 (pickle calls it with positional values)
    text: str,
    original: str,
    changes: tuple[tuple[Any, ...], ...],
    entities: tuple[tuple[Any, ...], ...],
    dates: tuple[tuple[Any, ...], ...],
    captions: tuple[Caption, ...],
    notes: tuple[Note, ...],
    published: object,
    source: str | None,
    alignment: tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[int, ...]],
) -> Normalized:
    """A :class:`Normalized` from the values :meth:`Normalized.__reduce__` pickled.

    The records are made by setting their slots (see :func:`_slot_setters`): the parent
    of ``pipe``'s workers unpickles every result they make.
    """
    made: list[Any] = []
    set_step, set_kind, set_start, set_end, set_before, set_after, set_rule = _SET_CHANGE
    for a, b, c, d, e, f, g in changes:
        x = _new(Change)
        set_step(x, a)
        set_kind(x, b)
        set_start(x, c)
        set_end(x, d)
        set_before(x, e)
        set_after(x, f)
        set_rule(x, g)
        made.append(x)
    changes_now = tuple(made)
    made = []
    set_start, set_end, set_surface, set_entity_id, set_label = _SET_ENTITY
    for a, b, c, d, e in entities:
        em = _new(EntityMention)
        set_start(em, a)
        set_end(em, b)
        set_surface(em, c)
        set_entity_id(em, d)
        set_label(em, e)
        made.append(em)
    entities_now = tuple(made)
    made = []
    set_start, set_end, set_surface, set_value, set_type, set_first, set_last, set_rule = _SET_DATE
    for a, b, c, d, e, f, g, h in dates:
        dm = _new(DateMention)
        set_start(dm, a)
        set_end(dm, b)
        set_surface(dm, c)
        set_value(dm, d)
        set_type(dm, e)
        set_first(dm, _undo_day(f))
        set_last(dm, _undo_day(g))
        set_rule(dm, h)
        made.append(dm)
    out = _new(Normalized)
    for setter, value in zip(
        _SET_NORMALIZED,
        (
            text,
            original,
            changes_now,
            entities_now,
            tuple(made),
            captions,
            notes,
            _undo_day(published),
            source,
            Alignment(*alignment),
        ),
        strict=True,
    ):
        setter(out, value)
    return out


_SET_NORMALIZED = _slot_setters(Normalized)
_SET_ENTITY = _slot_setters(EntityMention)
_SET_DATE = _slot_setters(DateMention)
# The fields in the order Normalized.apply sets them.
assert tuple(f.name for f in attrs.fields(Normalized)) == (
    "text",
    "original",
    "changes",
    "entities",
    "dates",
    "captions",
    "notes",
    "published",
    "source",
    "alignment",
)
