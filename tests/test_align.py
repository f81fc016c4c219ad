"""The alignment layer: exact offsets through any sequence of edits (Hypothesis)."""

from __future__ import annotations

import itertools
import pickle

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from _strategies import edit_lists
from newsnorm import Edit, EntityMention, Normalized, _align
from newsnorm._align import Alignment, apply_edits
from newsnorm.errors import SpanError

ALPHABET = "ab \n"


@st.composite
def pipelines(draw: st.DrawFn) -> tuple[str, list[list[Edit]]]:
    text = draw(st.text(alphabet=ALPHABET, max_size=30))
    steps: list[list[Edit]] = []
    current = text
    for _ in range(draw(st.integers(1, 4))):
        edits = draw(edit_lists(current))
        steps.append(edits)
        current, _ = apply_edits(current, edits)
    return text, steps


def run(text: str, steps: list[list[Edit]]) -> tuple[Normalized, list[int | None]]:
    """Apply the steps; also track, per output char, its input index (None if new)."""
    doc = Normalized.from_text(text)
    origin: list[int | None] = list(range(len(text)))
    for k, edits in enumerate(steps):
        doc = doc.apply(f"s{k}", edits)
        for e in reversed(edits):
            origin[e.start : e.end] = [None] * len(e.replacement)
    assert len(origin) == len(doc.text)
    return doc, origin


@given(pipelines())
def test_unchanged_spans_map_exactly(case: tuple[str, list[list[Edit]]]) -> None:
    text, steps = case
    doc, origin = run(text, steps)
    n = len(doc.text)
    for s in range(n):
        for e in range(s + 1, n + 1):
            span = origin[s:e]
            if None in span:
                continue
            ints = [o for o in span if o is not None]
            if any(b != a + 1 for a, b in itertools.pairwise(ints)):
                continue  # the run crosses deleted input
            first, last = ints[0], ints[-1]
            # A run of copied characters with consecutive origins maps exactly.
            assert doc.to_original(s, e) == (first, last + 1)
            assert doc.original[first : last + 1] == doc.text[s:e]


@given(pipelines())
def test_every_span_covers_its_copied_characters(case: tuple[str, list[list[Edit]]]) -> None:
    text, steps = case
    doc, origin = run(text, steps)
    n = len(doc.text)
    for s in range(n + 1):
        for e in range(s, n + 1):
            os_, oe = doc.to_original(s, e)
            assert 0 <= os_ <= oe <= len(doc.original)
            for o in origin[s:e]:
                if o is not None:
                    assert os_ <= o < oe


@given(pipelines())
def test_regions_replay_to_the_output(case: tuple[str, list[list[Edit]]]) -> None:
    text, steps = case
    doc, _ = run(text, steps)
    regions = doc.alignment.regions()
    edits = [
        Edit(start=os_, end=oe, replacement=doc.text[ts:te], kind="k", rule="r")
        for os_, oe, ts, te in regions
    ]
    replayed, spans = apply_edits(doc.original, edits)
    assert replayed == doc.text
    assert spans == [(ts, te) for _, _, ts, te in regions]


@given(pipelines())
def test_two_steps_equal_one_step_with_combined_edits(case: tuple[str, list[list[Edit]]]) -> None:
    text, steps = case
    doc, _ = run(text, steps)
    combined = [
        Edit(start=os_, end=oe, replacement=doc.text[ts:te], kind="k", rule="r")
        for os_, oe, ts, te in doc.alignment.regions()
    ]
    once = Normalized.from_text(text).apply("all", combined)
    assert once.text == doc.text
    assert once.alignment == doc.alignment
    n = len(doc.text)
    for s in range(n + 1):
        for e in range(s, n + 1):
            assert once.to_original(s, e) == doc.to_original(s, e)


@given(pipelines())
def test_changes_hold_input_spans(case: tuple[str, list[list[Edit]]]) -> None:
    text, steps = case
    doc = Normalized.from_text(text)
    for k, edits in enumerate(steps):
        before = doc
        doc = doc.apply(f"s{k}", edits)
        new = doc.changes[len(before.changes) :]
        assert len(new) == len(edits)
        for change, edit in zip(new, edits, strict=True):
            assert change.before == before.text[edit.start : edit.end]
            assert change.after == edit.replacement
            if edit.start == edit.end:
                continue
            assert (change.start, change.end) == before.to_original(edit.start, edit.end)
            if before.original[change.start : change.end] != change.before:
                # Only possible where an earlier step edited this span.
                assert any(
                    (c.start < change.end and change.start < c.end) or c.start == c.end
                    for c in before.changes
                )


@given(st.data())
def test_annotations_move_with_later_edits(data: st.DataObject) -> None:
    text = data.draw(st.text(alphabet=ALPHABET, min_size=1, max_size=30))
    s = data.draw(st.integers(0, len(text) - 1))
    e = data.draw(st.integers(s + 1, len(text)))
    ann = EntityMention(start=s, end=e, surface=text[s:e], entity_id="Q1", label="x")
    doc = Normalized.from_text(text).apply("find", [], entities=[ann])
    edits = data.draw(edit_lists(text))
    out = doc.apply("edit", edits)
    overlapped = any(
        ed.start < e and s < ed.end and not (ed.start == ed.end and ed.start in (s, e))
        for ed in edits
    ) or any(ed.start == ed.end and s < ed.start < e for ed in edits)
    if overlapped:
        assert out.entities == ()
        assert any(n.code == "annotation-dropped" for n in out.notes)
    else:
        (moved,) = out.entities
        assert out.text[moved.start : moved.end] == text[s:e]
        assert out.to_original(moved.start, moved.end) == (s, e)


def test_insertion_maps_to_empty_span() -> None:
    doc = Normalized.from_text("on Monday").apply(
        "dates", [Edit(start=9, end=9, replacement=" (2017-07-10)", kind="date", rule="r")]
    )
    assert doc.text == "on Monday (2017-07-10)"
    assert doc.to_original(10, 22) == (9, 9)
    assert doc.to_original(3, 9) == (3, 9)
    assert doc.to_original(0, 22) == (0, 9)


def test_deleted_text_is_not_part_of_neighbouring_spans() -> None:
    doc = Normalized.from_text("keep\ndrop\nkeep2").apply(
        "b", [Edit(start=5, end=10, replacement="", kind="k", rule="r")]
    )
    assert doc.text == "keep\nkeep2"
    assert doc.to_original(5, 10) == (10, 15)
    assert doc.to_original(0, 5) == (0, 5)
    assert doc.to_original(0, 10) == (0, 15)


def test_replaced_region_widens() -> None:
    doc = Normalized.from_text("caf\u00c3\u00a9 ok").apply(
        "r", [Edit(start=3, end=5, replacement="\u00e9", kind="mojibake", rule="r")]
    )
    assert doc.text == "caf\u00e9 ok"
    assert doc.to_original(3, 4) == (3, 5)
    assert doc.to_original(0, 4) == (0, 5)
    assert doc.to_original(5, 7) == (6, 8)


@pytest.mark.parametrize("span", [(-1, 2), (2, 1), (0, 99), (0.5, 1)])
def test_bad_spans_raise_span_error(span: tuple[int, int]) -> None:
    doc = Normalized.from_text("hello")
    with pytest.raises(SpanError):
        doc.to_original(*span)


@pytest.mark.parametrize(
    "edits",
    [
        [
            Edit(start=3, end=5, replacement="", kind="k", rule="r"),
            Edit(start=4, end=6, replacement="", kind="k", rule="r"),
        ],
        [
            Edit(start=3, end=3, replacement="x", kind="k", rule="r"),
            Edit(start=3, end=3, replacement="y", kind="k", rule="r"),
        ],
        [Edit(start=4, end=9, replacement="", kind="k", rule="r")],
        [Edit(start=4, end=2, replacement="", kind="k", rule="r")],
    ],
)
def test_bad_edits_raise_span_error(edits: list[Edit]) -> None:
    with pytest.raises(SpanError):
        Normalized.from_text("hello").apply("s", edits)


def test_alignment_pickles_and_compares() -> None:
    doc = Normalized.from_text("a\u00a0b").apply(
        "r", [Edit(start=1, end=2, replacement=" ", kind="k", rule="r")]
    )
    again = pickle.loads(pickle.dumps(doc))
    assert again == doc
    assert again.to_original(0, 3) == (0, 3)
    assert Alignment() == Normalized.from_text("x").alignment


def test_check_offsets_catches_broken_results() -> None:
    good = Normalized.from_text("a\u00a0b on Monday").apply(
        "r", [Edit(start=1, end=2, replacement=" ", kind="k", rule="r")]
    )
    good.check_offsets()
    bad_change = attrs.evolve(good, changes=(attrs.evolve(good.changes[0], end=99),))
    with pytest.raises(SpanError, match="change outside"):
        bad_change.check_offsets()
    mention = EntityMention(start=5, end=99, surface="x", entity_id="Q1", label="x")
    with pytest.raises(SpanError, match="mention outside"):
        attrs.evolve(good, entities=(mention,)).check_offsets()
    with pytest.raises(SpanError, match="does not map back"):
        attrs.evolve(good, text="a b on Tuesday").check_offsets()


@given(pipelines(), st.data())
def test_spans_to_original_equals_to_original(
    case: tuple[str, list[list[Edit]]], data: st.DataObject
) -> None:
    """Mapping many spans at once gives what mapping each span gives."""
    text, steps = case
    doc, _ = run(text, steps)
    n = len(doc.text)
    spans = sorted(
        data.draw(
            st.lists(
                st.tuples(st.integers(0, n), st.integers(0, n)).map(lambda t: (min(t), max(t))),
                max_size=8,
            )
        )
    )
    starts = [s for s, _ in spans]
    ends = [e for _, e in spans]
    mapped = doc.alignment.spans_to_original(starts, ends)
    assert list(zip(*mapped, strict=True)) == [doc.alignment.to_original(s, e) for s, e in spans]


@given(pipelines())
def test_apply_edits_equals_the_plain_loop(case: tuple[str, list[list[Edit]]]) -> None:
    """``apply_edits`` (offsets worked out in C) equals the plain loop over the edits."""
    text, steps = case
    current = text
    for edits in steps:
        pieces, spans, pos, out = [], [], 0, 0
        for e in edits:
            pieces += [current[pos : e.start], e.replacement]
            out += e.start - pos
            spans.append((out, out + len(e.replacement)))
            out += len(e.replacement)
            pos = e.end
        pieces.append(current[pos:])
        assert apply_edits(current, edits) == ("".join(pieces), spans)
        current = "".join(pieces)


@st.composite
def any_edits(draw: st.DrawFn) -> tuple[str, list[Edit]]:
    """A text and edits that may be malformed (unsorted, overlapping, outside the text)."""
    text = draw(st.text(alphabet=ALPHABET, max_size=12))
    bounds = st.integers(-1, len(text) + 1)
    edits = [
        Edit(start=s, end=e, replacement=r, kind="k", rule="r")
        for s, e, r in draw(
            st.lists(st.tuples(bounds, bounds, st.sampled_from(["", "X", "YY"])), max_size=5)
        )
    ]
    return text, draw(st.one_of(st.just(edits), st.just(sorted(edits, key=lambda e: e.start))))


def _outcome(text: str, edits: list[Edit]) -> object:
    try:
        return apply_edits(text, edits)
    except SpanError as err:
        return str(err)


@given(st.one_of(pipelines().map(lambda c: (c[0], c[1][0])), any_edits()))
def test_apply_edits_loop_equals_the_c_form(case: tuple[str, list[Edit]]) -> None:
    """The one-pass loop (short edit lists) and the C form (long ones) return the same
    text and spans, and raise the same error for malformed edits."""
    text, edits = case
    loop = _outcome(text, edits)
    saved = _align._LOOP_MAX
    _align._LOOP_MAX = -1
    try:
        c_form = _outcome(text, edits)
    finally:
        _align._LOOP_MAX = saved
    assert loop == c_form
