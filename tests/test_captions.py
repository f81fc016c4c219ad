"""The caption step: golden cases, properties, the index, the pipeline."""

from __future__ import annotations

import itertools
import json
import pickle
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsnorm
from newsnorm import NormalizeConfig, Normalized, Normalizer
from newsnorm.captions import CaptionConfig, CaptionIndex, caption_key, dedupe_captions
from newsnorm.errors import ConfigError, InputTypeError

CASES = Path(__file__).parent / "cases" / "captions"


def _load(name: str) -> list[dict[str, Any]]:
    data = json.loads((CASES / name).read_text(encoding="utf-8"))
    return list(data["cases"])


def _params(name: str) -> list[Any]:
    out = []
    for case in _load(name):
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
        out.append(pytest.param(case, id=case["id"], marks=marks))
    return out


def _run(text: str, case: dict[str, Any]) -> Normalized:
    config = CaptionConfig(**case.get("config", {}))
    if case.get("normalize") or "seed" in case:
        return newsnorm.normalize(
            text, config=NormalizeConfig(steps=("repair", "captions"), captions=config)
        )
    return dedupe_captions(text, config=config)


def _check(doc: Normalized, case: dict[str, Any]) -> None:
    changes = [c for c in doc.changes if c.step == "captions"]
    removed = sorted((c.before.strip(), c.kind) for c in changes)
    expected = sorted((r["text"], r["kind"]) for r in case["removed"])
    assert removed == expected
    got = [(c.kind, c.text, c.credit, len(c.spans)) for c in doc.captions]
    want = [(c["kind"], c["text"], c["credit"], c["occurrences"]) for c in case["captions"]]
    assert got == want
    out_lines = doc.text.split("\n")
    for line in case.get("kept", []):
        assert line in out_lines, line
    if "starts_with" in case:
        assert doc.text.startswith(case["starts_with"])
    if "expected_text" in case:
        assert doc.text == case["expected_text"]
    # Every caption span maps back to a line of the input holding the caption's words.
    for cap in doc.captions:
        for start, end in cap.spans:
            assert caption_key(cap.text)[:20] in caption_key(doc.original[start:end])


@pytest.mark.parametrize("case", _params("seeds.json"))
def test_seed_golden(case: dict[str, Any], seeds: dict[str, dict[str, Any]]) -> None:
    _check(_run(seeds[case["seed"]]["text"], case), case)


@pytest.mark.parametrize("case", _params("cases.json"))
def test_golden(case: dict[str, Any]) -> None:
    doc = _run(case["text"], case)
    if case.get("negative"):
        assert doc.text == case["text"]
        assert not doc.changes
        assert not doc.captions
    else:
        _check(doc, case)


def test_seed_000_body_sentence_is_not_the_caption(seeds: dict[str, dict[str, Any]]) -> None:
    doc = newsnorm.normalize(seeds["000_925481ee3d6db123"]["text"])
    assert "Iraqi people came out on the streets" not in doc.text
    assert doc.text.count("Iraqi people celebrated the victory in Mosul out on the streets.") == 1


def test_idempotent_on_seeds(seeds: dict[str, dict[str, Any]]) -> None:
    for rec in seeds.values():
        once = dedupe_captions(rec["text"])
        twice = dedupe_captions(once.text)
        assert twice.text == once.text
        assert not twice.changes


def test_removal_edits_keep_paragraph_breaks(seeds: dict[str, dict[str, Any]]) -> None:
    cfg = newsnorm.NormalizeConfig(steps=("repair", "captions"))
    doc = newsnorm.normalize(seeds["003_08abc01e61f284b3"]["text"], config=cfg)
    assert "\n\n\n" not in doc.text
    assert doc.text.startswith("AFP/The Local\nAFP/The Local\n\nKey members")


# -- properties ----------------------------------------------------------------------

_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=9)
_sentence = st.lists(_word, min_size=6, max_size=14).map(lambda ws: " ".join(ws).capitalize() + ".")


@given(st.lists(_sentence, min_size=1, max_size=8, unique_by=caption_key))
def test_plain_distinct_paragraphs_are_untouched(paragraphs: list[str]) -> None:
    for sep in ("\n", "\n\n"):
        text = sep.join(paragraphs)
        doc = dedupe_captions(text)
        assert doc.text == text
        assert not doc.changes


@given(
    st.lists(_sentence, min_size=2, max_size=6, unique_by=caption_key),
    _sentence,
    st.sampled_from(["(Reuters)", "(TRT World and Agencies)", "Photo: Jamal Saidi/Reuters"]),
    st.integers(min_value=0, max_value=6),
)
def test_credited_pair_leaves_and_body_stays(
    paragraphs: list[str], caption: str, credit: str, where: int
) -> None:
    if any(caption_key(caption) == caption_key(p) for p in paragraphs):
        return
    where = min(where, len(paragraphs))
    lines = [*paragraphs[:where], caption, f"{caption} {credit}", *paragraphs[where:]]
    doc = dedupe_captions("\n\n".join(lines))
    assert doc.text == "\n\n".join(paragraphs)
    assert [(c.text, len(c.spans)) for c in doc.captions] == [(caption, 2)]
    assert {c.kind for c in doc.changes} == {"caption"}


@given(st.lists(_sentence, min_size=3, max_size=6, unique_by=caption_key), _sentence)
def test_body_copy_of_a_caption_stays_exactly_once(paragraphs: list[str], caption: str) -> None:
    if any(caption_key(caption) == caption_key(p) for p in paragraphs):
        return
    # The caption twice at the top, and the same words as a body paragraph in the middle.
    body = [*paragraphs[:1], caption, *paragraphs[1:]]
    text = "\n\n".join([caption, f"{caption} (Reuters)", *body])
    doc = dedupe_captions(text)
    assert doc.text == "\n\n".join(body)
    assert {c.kind for c in doc.changes} == {"duplicate"}


# -- the index -----------------------------------------------------------------------

_DOCS = [
    "Troops enter the old city of Mosul. Photo: Reuters\nThe army advanced on Sunday.",
    "Troops enter the old city of Mosul.\nThe army won the battle.",
    "Ministers meet in Washington (L), March 20, 2017.\nThe meeting lasted three days.",
    "The meeting lasted three days.\nMinisters meet in Washington (L), March 20, 2017.",
]


def test_index_is_order_free_and_mergeable() -> None:
    built = {CaptionIndex.from_texts(p) for p in itertools.permutations(_DOCS)}
    assert len(built) == 1
    index = built.pop()
    merged = CaptionIndex.from_texts(_DOCS[:2]) | CaptionIndex.from_texts(_DOCS[2:])
    assert merged == index
    assert CaptionIndex().add(_DOCS[:1]).add(_DOCS[1:]) == index
    assert index | index == index
    assert len(index) == 2
    assert "troops enter the old city of mosul" in index
    assert 42 not in index


def test_index_results_do_not_depend_on_feeding_order() -> None:
    results = set()
    for perm in itertools.permutations(_DOCS):
        config = CaptionConfig(index=CaptionIndex.from_texts(perm))
        results.add(tuple(dedupe_captions(d, config=config).text for d in _DOCS))
    assert len(results) == 1


def test_index_own_document_does_not_count() -> None:
    text = _DOCS[0].replace(" Photo: Reuters", "")
    own = CaptionIndex.from_texts([_DOCS[1]])  # sees it only as body text: no caption
    assert len(own) == 0
    config = CaptionConfig(index=CaptionIndex.from_texts([text]))
    assert dedupe_captions(text, config=config).text == text


def test_index_keeps_a_body_paragraph_and_says_so() -> None:
    index = CaptionIndex.from_texts(["Troops enter the old city of Mosul. Photo: Reuters"])
    text = "First paragraph of the story is here.\nTroops enter the old city of Mosul.\nLast one."
    doc = dedupe_captions(text, config=CaptionConfig(index=index))
    assert doc.text == text
    assert [n.code for n in doc.notes] == ["index-caption-in-body"]


def test_index_and_config_pickle_and_hash() -> None:
    index = CaptionIndex.from_texts(_DOCS)
    config = NormalizeConfig(captions=CaptionConfig(index=index))
    assert pickle.loads(pickle.dumps(index)) == index
    assert pickle.loads(pickle.dumps(config)) == config
    assert hash(config) == hash(pickle.loads(pickle.dumps(config)))
    norm = Normalizer(config)
    again = pickle.loads(pickle.dumps(norm))
    assert again == norm
    assert again.normalize(_DOCS[1]).text == "The army won the battle."


def test_index_rejects_bad_input() -> None:
    with pytest.raises(InputTypeError):
        CaptionIndex.from_texts([b"bytes"])  # type: ignore[list-item]
    with pytest.raises(InputTypeError):
        CaptionIndex.from_texts("one text, not a list of texts")
    with pytest.raises(ConfigError):
        CaptionIndex.from_texts(["x"], config=NormalizeConfig())  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        CaptionIndex(entries=[("only-one",)])  # type: ignore[list-item]


# -- config and pipeline -------------------------------------------------------------


def test_config_errors() -> None:
    with pytest.raises(ConfigError):
        CaptionConfig(min_words=0)
    with pytest.raises(ConfigError):
        CaptionConfig(min_words=True)
    with pytest.raises(ConfigError):
        CaptionConfig(credits=["Photo"])  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        CaptionConfig(index="not an index")  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        dedupe_captions("x", config=NormalizeConfig())  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        NormalizeConfig(captions=CaptionConfig)  # type: ignore[arg-type]
    with pytest.raises(InputTypeError):
        dedupe_captions(b"x")  # type: ignore[arg-type]


def test_registered_after_repair() -> None:
    names = list(newsnorm.STEPS)
    assert names.index("captions") == names.index("repair") + 1
    assert newsnorm.STEPS["captions"].config_type is CaptionConfig


def test_runs_on_repaired_text_and_maps_spans_to_input() -> None:
    text = "Coalition\u00a0meets in Denmark\r\nCoalition meets in Denmark\r\n\r\nBody text here."
    doc = newsnorm.normalize(
        text, config=NormalizeConfig(captions=CaptionConfig(keep_headline=True))
    )
    assert doc.text == "Coalition meets in Denmark\n\nBody text here."
    (cap,) = doc.captions
    assert [text[s:e] for s, e in cap.spans] == [
        "Coalition\u00a0meets in Denmark",
        "Coalition meets in Denmark",
    ]
    # The kept title line maps back exactly; the removed copy is a Change with input offsets.
    assert doc.to_original(0, 26) == (0, 26)
    (change,) = [c for c in doc.changes if c.step == "captions"]
    assert change.kind == "duplicate"
    assert text[change.start : change.end].startswith("Coalition meets in Denmark")


def test_min_words_option() -> None:
    text = "Big win\nBig win\n\nThe team won the final on Sunday."
    assert dedupe_captions(text).text == text
    doc = dedupe_captions(text, config=CaptionConfig(min_words=2, keep_headline=True))
    assert doc.text == "Big win\n\nThe team won the final on Sunday."


def test_credit_lines_option() -> None:
    text = "A man walks past a building in Mosul. (Photo: Getty Images)\nGetty\nBody text follows here."
    assert dedupe_captions(text).text == "Body text follows here."
    kept = dedupe_captions(text, config=CaptionConfig(credit_lines=False))
    assert kept.text == "Getty\nBody text follows here."


def test_keep_first_caption_still_records_a_single_caption() -> None:
    text = "Smoke over Raqqa on Sunday. Photo: Jamal Saidi/Reuters\nThe battle went on."
    doc = dedupe_captions(text, config=CaptionConfig(keep_first_caption=True))
    assert doc.text == text
    assert not doc.changes
    assert [(c.text, c.credit, c.spans) for c in doc.captions] == [
        ("Smoke over Raqqa on Sunday.", "Jamal Saidi/Reuters", ((0, 54),))
    ]


def test_config_is_frozen() -> None:
    config = CaptionConfig()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        config.keep_headline = False  # type: ignore[misc]


def test_index_takes_texts_with_lone_surrogates() -> None:
    texts = [
        "Troops enter the old city of Mosul. Photo: Reuters\nThe army \ud800 advanced.",
        "Troops enter the old city of Mosul.\nThe army won.",
    ]
    index = CaptionIndex.from_texts(texts)
    doc = dedupe_captions(texts[0], config=CaptionConfig(index=index))
    assert doc.text == "The army \ud800 advanced."
