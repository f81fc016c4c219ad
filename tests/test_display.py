"""Notebook and terminal display of Normalized results."""

from __future__ import annotations

import html
import re
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import newsnorm
from newsnorm import DateMention, Edit, EntityMention, Normalized
from newsnorm._display import render_html, render_pretty
from newsnorm.repair import repair_text


def _body(markup: str) -> str:
    # The text box holds no </div> of its own: every piece of text in it is escaped.
    return markup.split('line-height:1.4;margin:0.3em 0">', 1)[1].split("</div>", 1)[0]


def _as_output(markup: str) -> str:
    """The output text: deletions dropped, tags stripped, entities unescaped."""
    body = re.sub(r"<del [^>]*>.*?</del>", "", _body(markup), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def _as_input(markup: str) -> str:
    body = re.sub(r"<ins [^>]*>.*?</ins>", "", _body(markup), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def _doc() -> Normalized:
    doc = repair_text('Read more\nTRT World \'s <b>team</b>\u00a0on Monday & "more"')
    # A removed line, an alias rewrite and an anchored date, as later steps will add them.
    removed = doc.apply(
        "boilerplate",
        [Edit(start=0, end=10, replacement="", kind="related-link", rule="boilerplate.read-more")],
    )
    start = removed.text.index("TRT World")
    aliased = removed.apply(
        "aliases",
        [Edit(start=start, end=start + 9, replacement="TRT", kind="alias", rule="aliases.table")],
        entities=[
            EntityMention(
                start=start,
                end=start + 3,
                surface="TRT World",
                entity_id="Q7671133",
                label="TRT World",
            )
        ],
    )
    day = aliased.text.index("Monday")
    return aliased.apply(
        "dates",
        [],
        dates=[DateMention(start=day, end=day + 6, surface="Monday", value="2017-07-10")],
    )


def test_html_strikes_removed_text_with_its_kind_on_hover() -> None:
    markup = _doc()._repr_html_()
    assert re.search(
        r'<del [^>]*title="boilerplate: related-link \(boilerplate.read-more\)"'
        r">Read more\n</del>",
        markup,
    )


def test_html_highlights_aliases_and_dates_with_id_and_value() -> None:
    markup = _doc()._repr_html_()
    assert re.search(
        r'<ins [^>]*title="aliases: alias \(aliases.table\)"><mark [^>]*'
        r'title="Q7671133: TRT World">TRT</mark>',
        markup,
    )
    assert re.search(r'<mark [^>]*title="DATE 2017-07-10">Monday</mark>', markup)


def test_html_escapes_article_text() -> None:
    doc = _doc()
    markup = doc._repr_html_()
    assert "<b>" not in markup.replace("<b>newsnorm.Normalized</b>", "")
    assert (
        "&lt;b&gt;team&lt;/b&gt;" in markup and "&amp;" in markup and "&quot;more&quot;" in markup
    )
    evil = newsnorm.normalize('<script>alert("x")</script>\u00a0" onmouseover="x')
    markup = evil._repr_html_()
    assert "<script>" not in markup and 'onmouseover="x' not in markup


def test_html_reads_back_as_output_and_input() -> None:
    doc = _doc()
    markup = doc._repr_html_()
    assert _as_output(markup) == doc.text
    assert _as_input(markup) == doc.original


@given(st.text(alphabet=st.sampled_from(list("ab <&\"'\n\u00a0\u200b\r\t")), max_size=60))
def test_html_reads_back_for_any_text(text: str) -> None:
    doc = newsnorm.normalize(text)
    markup = render_html(doc)
    assert _as_output(markup) == doc.text
    assert _as_input(markup) == doc.original


def test_html_truncates_long_texts() -> None:
    doc = newsnorm.normalize("word " * 5000)
    markup = render_html(doc, max_chars=1000)
    assert len(markup) < 3000
    assert "more characters]" in markup
    long_cut = Normalized.from_text("x" * 2000).apply(
        "boilerplate", [Edit(start=0, end=2000, replacement="", kind="k", rule="r")]
    )
    assert "[1,600 more]" in render_html(long_cut)


def test_html_lists_captions_escaped() -> None:
    doc = newsnorm.normalize("Body.").apply(
        "captions",
        [],
        captions=[newsnorm.Caption(text="<i>x</i>", credit="A & B", spans=((0, 1),))],
    )
    markup = doc._repr_html_()
    assert "&lt;i&gt;x&lt;/i&gt;" in markup and "A &amp; B" in markup


class _Printer:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def text(self, value: str) -> None:
        self.parts.append(value)


def test_repr_pretty() -> None:
    doc = _doc()
    printer: Any = _Printer()
    doc._repr_pretty_(printer, False)
    shown = "".join(printer.parts)
    assert shown == render_pretty(doc)
    assert shown.startswith("Normalized: ") and "boilerplate 1" in shown and "aliases 1" in shown
    cyc: Any = _Printer()
    doc._repr_pretty_(cyc, True)
    assert cyc.parts == ["Normalized(...)"]
    many = newsnorm.normalize("a\u00a0b\n" * 40)
    assert "more lines: see .explain()" in render_pretty(many)


def test_html_lists_notes_escaped() -> None:
    doc = Normalized.from_text("x").apply(
        "dates", [], notes=[newsnorm.Note(step="dates", code="no-anchor", message="<no date>")]
    )
    markup = doc._repr_html_()
    assert "dates no-anchor: &lt;no date&gt;" in markup
