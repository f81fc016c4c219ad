"""``Normalized.apply`` (with its fast paths) equals the plain form it replaced (Hypothesis).

``reference_apply`` is the straightforward implementation: apply the edits, map their
spans back, move every earlier annotation through them, add the new ones, evolve the
result. The library's ``apply`` takes shortcuts (no edits, nothing to move, nothing
changed yet, direct construction); every field it returns must equal the reference's,
and it must raise the same error for the same bad input.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from typing import TypeVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from _strategies import edit_lists
from newsnorm import Caption, DateMention, Edit, EntityMention, Normalized, Note
from newsnorm._align import apply_edits, check_span
from newsnorm._model import Change

ALPHABET = "ab \n\u00e9"
_S = TypeVar("_S", EntityMention, DateMention)


def _shift_reference(
    anns: Sequence[_S], edits: Sequence[Edit], spans: Sequence[tuple[int, int]]
) -> tuple[list[_S], list[_S]]:
    if not edits:
        return list(anns), []
    starts = [e.start for e in edits]
    ends = [e.end for e in edits]
    kept: list[_S] = []
    dropped: list[_S] = []
    for ann in anns:
        i = bisect_right(ends, ann.start)
        j = bisect_left(starts, ann.end)
        overlapping = [
            e for e in edits[i:j] if not (e.start == e.end and e.start in (ann.start, ann.end))
        ]
        if overlapping:
            dropped.append(ann)
            continue
        shift = 0 if i == 0 else spans[i - 1][1] - edits[i - 1].end
        k = i
        while k < len(edits) and edits[k].start == edits[k].end == ann.start:
            shift = spans[k][1] - edits[k].end
            k += 1
        kept.append(attrs.evolve(ann, start=ann.start + shift, end=ann.end + shift))
    return kept, dropped


def reference_apply(
    doc: Normalized,
    step: str,
    edits: Sequence[Edit],
    *,
    entities: Iterable[EntityMention] = (),
    dates: Iterable[DateMention] = (),
    captions: Iterable[Caption] = (),
    notes: Iterable[Note] = (),
) -> Normalized:
    """``Normalized.apply`` as it was first written (no shortcuts)."""
    new_text, spans = apply_edits(doc.text, edits)
    old = doc.alignment
    starts = [e.start for e in edits]
    ends = [e.end for e in edits]
    if len(old):
        in_starts, in_ends = old.spans_to_original(starts, ends)
    else:
        in_starts, in_ends = starts, ends
    changes = [
        Change(
            step=step,
            kind=e.kind,
            start=s,
            end=t,
            before=doc.text[a:b],
            after=e.replacement,
            rule=e.rule,
        )
        for e, s, t, a, b in zip(edits, in_starts, in_ends, starts, ends, strict=True)
    ]
    kept_entities, lost_entities = _shift_reference(doc.entities, edits, spans)
    kept_dates, lost_dates = _shift_reference(doc.dates, edits, spans)
    new_notes = list(notes)
    lost: list[EntityMention | DateMention] = [*lost_entities, *lost_dates]
    new_notes.extend(
        Note(
            step=step,
            code="annotation-dropped",
            message=f"{type(ann).__name__} {ann.surface!r} was removed with its text",
        )
        for ann in lost
    )
    added_entities = list(entities)
    added_dates = list(dates)
    added: list[EntityMention | DateMention] = [*added_entities, *added_dates]
    for ann in added:
        check_span(ann.start, ann.end, len(new_text))
    if added_entities:
        kept_entities = sorted(kept_entities + added_entities, key=lambda a: (a.start, a.end))
    if added_dates:
        kept_dates = sorted(kept_dates + added_dates, key=lambda a: (a.start, a.end))
    return attrs.evolve(
        doc,
        text=new_text,
        changes=doc.changes + tuple(changes),
        entities=tuple(kept_entities),
        dates=tuple(kept_dates),
        captions=doc.captions + tuple(captions),
        notes=doc.notes + tuple(new_notes),
        alignment=old.compose(edits),
    )


@st.composite
def spans(draw: st.DrawFn, length: int) -> tuple[int, int]:
    a = draw(st.integers(0, length))
    b = draw(st.integers(0, length))
    return min(a, b), max(a, b)


@st.composite
def findings(
    draw: st.DrawFn, length: int
) -> tuple[list[EntityMention], list[DateMention], list[Caption], list[Note]]:
    ents = [
        EntityMention(start=s, end=e, surface=f"e{s}", entity_id=f"Q{e}", label="x")
        for s, e in draw(st.lists(spans(length), max_size=3))
    ]
    dates = [
        DateMention(start=s, end=e, surface=f"d{s}", value="2017", start_date=dt.date(2017, 1, 1))
        for s, e in draw(st.lists(spans(length), max_size=3))
    ]
    caps = [Caption(text=t) for t in draw(st.lists(st.sampled_from(["c", "d"]), max_size=2))]
    notes = [
        Note(step="s", code=c, message="m")
        for c in draw(st.lists(st.sampled_from(["n1", "n2"]), max_size=2))
    ]
    return ents, dates, caps, notes


def _fields(doc: Normalized) -> dict[str, object]:
    return {f.name: getattr(doc, f.name) for f in attrs.fields(Normalized)}


@given(st.data())
def test_apply_equals_the_reference(data: st.DataObject) -> None:
    """Through several steps, each with edits (or none) and findings (or none), every
    field of every result equals the reference's (and so do the types of the records)."""
    text = data.draw(st.text(alphabet=ALPHABET, max_size=30))
    doc = ref = Normalized.from_text(text, published=dt.date(2017, 7, 11), source="X")
    for k in range(data.draw(st.integers(1, 4))):
        edits = data.draw(st.one_of(st.just([]), edit_lists(doc.text, numbered=True)))
        new_len = len(apply_edits(doc.text, edits)[0])
        ents, dates, caps, notes = data.draw(findings(new_len))
        kw = {"entities": ents, "dates": dates, "captions": caps, "notes": notes}
        doc = doc.apply(f"s{k}", edits, **kw)  # type: ignore[arg-type]
        ref = reference_apply(ref, f"s{k}", edits, **kw)  # type: ignore[arg-type]
        assert type(doc) is Normalized
        assert _fields(doc) == _fields(ref)
        assert [type(x) for x in doc.entities + doc.dates] == [
            type(x) for x in ref.entities + ref.dates
        ]
        doc.check_offsets()


@given(st.data())
def test_apply_takes_generators_of_findings(data: st.DataObject) -> None:
    text = data.draw(st.text(alphabet=ALPHABET, min_size=1, max_size=20))
    edits = data.draw(edit_lists(text, numbered=True))
    ents, dates, caps, notes = data.draw(findings(len(apply_edits(text, edits)[0])))
    doc = Normalized.from_text(text)
    got = doc.apply(
        "s",
        edits,
        entities=iter(ents),
        dates=(d for d in dates),
        captions=iter(caps),
        notes=iter(notes),
    )
    want = reference_apply(doc, "s", edits, entities=ents, dates=dates, captions=caps, notes=notes)
    assert _fields(got) == _fields(want)


def _outcome(fn: object, *args: object, **kwargs: object) -> object:
    """The fields of the result, or the type and message of the error raised."""
    try:
        out = fn(*args, **kwargs)  # type: ignore[operator]
    except Exception as err:
        return type(err), str(err)
    return _fields(out)


_E = Edit(start=0, end=1, replacement="", kind="k", rule="r")


@pytest.mark.parametrize(
    ("edits", "entities"),
    [
        ([attrs.evolve(_E, start=3, end=5), attrs.evolve(_E, start=4, end=6)], []),
        ([attrs.evolve(_E, start=3, end=3, replacement="x")] * 2, []),
        ([attrs.evolve(_E, start=4, end=9)], []),
        ([attrs.evolve(_E, start=4, end=2)], []),
        ([attrs.evolve(_E, start=-1, end=2)], []),
        ([attrs.evolve(_E, start=True, end=2)], []),
        ([], [EntityMention(start=False, end=True, surface="x", entity_id="Q", label="x")]),
        ([attrs.evolve(_E, start=None)], []),
        ([attrs.evolve(_E, start=0.5)], []),
        ([attrs.evolve(_E, replacement=None)], []),
        ([], [EntityMention(start=2, end=9, surface="x", entity_id="Q", label="x")]),
        ([_E], [EntityMention(start=2, end=5, surface="x", entity_id="Q", label="x")]),
        ([], [EntityMention(start=0.5, end=2, surface="x", entity_id="Q", label="x")]),  # type: ignore[arg-type]
        ([], [EntityMention(start=3, end=2, surface="x", entity_id="Q", label="x")]),
    ],
)
def test_odd_input_fails_or_passes_as_in_the_reference(
    edits: list[Edit], entities: list[EntityMention]
) -> None:
    """Bad edits and spans raise the same error; bools (int subclasses) pass as before."""
    for doc in (Normalized.from_text("hello"), Normalized.from_text("hello").apply("a", [_E])):
        got = _outcome(doc.apply, "s", edits, entities=entities)
        assert got == _outcome(reference_apply, doc, "s", edits, entities=entities)


@attrs.frozen(kw_only=True)
class _Tagged(Normalized):
    tag: str = "t"


def test_apply_keeps_a_subclass_and_its_fields() -> None:
    doc = _Tagged(text="ab", original="ab", tag="mine")
    out = doc.apply("s", [attrs.evolve(_E, replacement="X")])
    assert type(out) is _Tagged
    assert out.tag == "mine"
    assert out.text == "Xb"


def test_records_made_by_apply_are_ordinary_records() -> None:
    """Changes and results whose slots apply sets directly equal, hash, pickle and evolve
    like ones made by their ``__init__``."""
    import pickle

    doc = Normalized.from_text("a\u00a0b").apply("r", [attrs.evolve(_E, start=1, end=2)])
    (change,) = doc.changes
    made = Change(step="r", kind="k", start=1, end=2, before="\u00a0", after="", rule="r")
    assert change == made
    assert hash(change) == hash(made)
    assert pickle.loads(pickle.dumps(change)) == made
    assert attrs.evolve(change, start=0).start == 0
    again = pickle.loads(pickle.dumps(doc))
    assert again == doc
    assert hash(again) == hash(doc)
    assert repr(doc) == repr(again)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        doc.text = "x"  # type: ignore[misc]


def test_slot_setters_refuse_a_class_whose_init_does_more() -> None:
    from newsnorm._model import _slot_setters

    @attrs.frozen
    class Checked:
        x: int = attrs.field(validator=attrs.validators.instance_of(int))

    with pytest.raises(TypeError, match="does more than store"):
        _slot_setters(Checked)
