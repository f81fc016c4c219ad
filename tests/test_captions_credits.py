"""The shared credit grammar (newsnorm._credits)."""

from __future__ import annotations

import pickle
import sys
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from newsnorm._credits import (
    DEFAULT_CREDITS,
    CreditRules,
    find_credit,
    is_credit_line,
    screen_form,
    split_credit,
)
from newsnorm.errors import TableError

# (line, caption text, credit, strength)
SPLITS = [
    (
        "American Defense Secretary Jim Mattis meeting with a delegation in Afghanistan last month. Photo: Jonathan Ernst/AFP/Scanpix",
        "American Defense Secretary Jim Mattis meeting with a delegation in Afghanistan last month.",
        "Jonathan Ernst/AFP/Scanpix",
        "photo",
    ),
    (
        "Iraqi people came out on the streets to celebrate the victory in Mosul over Daesh. (TRT World and Agencies)",
        "Iraqi people came out on the streets to celebrate the victory in Mosul over Daesh.",
        "TRT World and Agencies",
        "agency",
    ),
    (
        "Smoke rises over Raqqa. Jamal Saidi/Reuters",
        "Smoke rises over Raqqa.",
        "Jamal Saidi/Reuters",
        "photo",
    ),
    ("(Image credit: Blue Origin)", "", "Blue Origin", "photo"),
    ("Photo: Damian Dovarganes, AP", "", "Damian Dovarganes, AP", "photo"),
    ("Image copyright Getty Images", "", "Getty Images", "photo"),
    ("Michael Conroy, AP", "", "Michael Conroy, AP", "photo"),
    ("Getty", "", "Getty", "photo"),
    ("Troops in Mosul. (AP Photo)", "Troops in Mosul.", "AP Photo", "photo"),
    ("He said so on Monday. (Reuters)", "He said so on Monday.", "Reuters", "agency"),
    ("Courtesy of Andrew Vaughan", "", "Andrew Vaughan", "photo"),
    (
        "New York State Sex Offender Registry via AP",
        "",
        "New York State Sex Offender Registry via AP",
        "photo",
    ),
    ("Christopher Battin Submitted photo", "", "Christopher Battin", "photo"),
    (
        "The Islanders won 5-4. (AP Photo/Gene J. Puskar)",
        "The Islanders won 5-4.",
        "Gene J. Puskar",
        "photo",
    ),
    (
        "Scooter Braun at home, June 28, 2019. (Photo by Kevin Mazur/Getty Images for Ithaca Holdings)",
        "Scooter Braun at home, June 28, 2019.",
        "Kevin Mazur/Getty Images for Ithaca Holdings",
        "photo",
    ),
    (
        "A cyclist in La Paz, November 19, 2019. © Reuters / David Mercado",
        "A cyclist in La Paz, November 19, 2019.",
        "Reuters / David Mercado",
        "photo",
    ),
    (
        "A hunter ate a rabbitCredit: Getty - Contributor",
        "A hunter ate a rabbit",
        "Getty - Contributor",
        "photo",
    ),
    ("Protesters wear masks (Image: GETTY )", "Protesters wear masks", "GETTY", "photo"),
    (
        "The road to retiring early isn't easy.Kathrin Ziegler/Getty",
        "The road to retiring early isn't easy.",
        "Kathrin Ziegler/Getty",
        "photo",
    ),
    # A person's name, a slash and an outlet, as a whole line.
    ("Jason Cipriani/ZDNet", "", "Jason Cipriani/ZDNet", "photo"),
    ("Patrick Semansky, ASSOCIATED PRESS", "", "Patrick Semansky, ASSOCIATED PRESS", "photo"),
    # Runs of white space inside an agency's name.
    ("Getty    Images", "", "Getty    Images", "photo"),
]

NO_CREDIT = [
    "WASHINGTON (Reuters) - Scientists on Monday unveiled the first geological map of Titan.",
    "(Reuters) — The New York State Attorney General is investigating WeWork.",
    "An Alibaba spokesperson declined to comment on the pricing to Reuters.",
    "Image: Jose Mourinho, left, has replaced Mauricio Pochettino as manager of Tottenham",
    "Image caption Scooter Braun has managed Justin Bieber",
    "Prior to Mophie’s solution, I tested Nomad’s version (pictured above).",
    "The vote was 51 to 49 (a narrow margin).",
    "Here is a photo: my cat sleeping on the sofa all afternoon long.",
    "He moved to Paris in 1998 and never looked back, credited by many with the idea.",
    "The AC/DC concert drew 40,000 fans.",
    "",
    "   ",
]


@pytest.mark.parametrize(("line", "text", "credit", "strength"), SPLITS)
def test_split_credit(line: str, text: str, credit: str, strength: str) -> None:
    assert split_credit(line) == (text, credit)
    found = find_credit(line)
    assert found is not None
    assert found.strength == strength
    assert line[found.start : found.end].strip()
    assert is_credit_line(line) == (text == "")


@pytest.mark.parametrize("line", NO_CREDIT)
def test_no_credit(line: str) -> None:
    assert find_credit(line) is None
    assert split_credit(line) == (line.strip(), None)
    assert not is_credit_line(line)


def test_rules_are_values() -> None:
    again = pickle.loads(pickle.dumps(DEFAULT_CREDITS))
    assert again == DEFAULT_CREDITS
    assert hash(again) == hash(DEFAULT_CREDITS)
    assert "labels" in repr(DEFAULT_CREDITS)


def test_custom_vocabulary() -> None:
    rules = CreditRules(labels=["Bild"], agencies=["Keystone"])
    assert split_credit("Ein Mann in Bern. Bild: Keystone", rules=rules) == (
        "Ein Mann in Bern.",
        "Keystone",
    )
    assert split_credit("Smoke over Raqqa. Jamal Saidi/Reuters", rules=rules)[1] is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"labels": [], "agencies": ["AP"]},
        {"labels": ["Photo"], "agencies": []},
        {"labels": ["Photo", ""], "agencies": ["AP"]},
        {"labels": ["Photo"], "agencies": [3]},
    ],
)
def test_bad_tables(kwargs: dict[str, list[object]]) -> None:
    with pytest.raises(TableError):
        CreditRules(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("on Monday 0\u00a9 the United States on Monday", None),
        ("The report cites section 230(c) the Communications Decency Act.", None),
        ("Lamps in Paris. 2019\u00a9Reuters", "Reuters"),
        ("Lamps in Paris. \u00a9 the Estate of Jane Doe", "the Estate of Jane Doe"),
        ("Lamps in Paris \u00a9Getty Images", "Getty Images"),
    ],
)
def test_copyright_sign_glued_to_a_word_before_lower_case_is_running_text(
    line: str, credit: str | None
) -> None:
    found = find_credit(line)
    assert (found.text if found else None) == credit


_credit_pieces = st.sampled_from(
    [
        "Photo",
        "PHOTO",
        "photo",
        ":",
        "/",
        "|",
        "by",
        "via",
        "AP",
        "Reuters",
        "The",
        "(",
        ")",
        "\u00a9",
        "(c)",
        ",",
        " ",
        "  ",
        "Getty Images",
        "Submitted photo",
        "credit",
        "Courtesy",
        "Jane Doe",
        "\u00e9",
        "\u017f",
        "\u212a",
        "\ufb01",
        "\u0130",
        "x" * 60,
        ".",
    ]
)


@given(st.lists(_credit_pieces, max_size=16).map("".join))
def test_find_with_the_folded_line_given_is_find(line: str) -> None:
    # ASCII lines fold with lower(); the caller's casefold() must give the same answer.
    assert DEFAULT_CREDITS.find(line) == DEFAULT_CREDITS.find(line, folded=line.casefold())


# -- the screen of many lines (CreditRules.screen): it never rules out a credit --------

_screen_pieces = st.sampled_from(
    [
        "Photo",
        "PHOTO",
        "pic",
        "Pics",
        "Image credit",
        "copyright",
        "Courtesy of",
        "Foto",
        ":",
        "\uff1a",
        "/",
        "|",
        "by",
        " by ",
        "via",
        "AP",
        "Reuters",
        "The",
        "Getty Images",
        "Michael Conroy",
        ", ",
        "(",
        ")",
        "(c)",
        "(C)",
        "\u00a9",
        "\u24b8",
        " ",
        "  ",
        "\t",
        "\u00a0",
        "\u2009",
        "Submitted photo",
        "Handout",
        "Jane Doe",
        "said on Monday.",
        "\u2019",
        "\u201c",
        "\u2013",
        "`",
        "\u2026",
        "\u00e9",
        "\u00df",
        "\u017f",
        "\u212a",
        "\ufb01",
        "\u0130",
        "x" * 70,
    ]
)
_screen_lines = st.lists(
    st.lists(_screen_pieces, max_size=14).map("".join).map(str.strip), max_size=6
)
_CUSTOM = CreditRules(
    labels=["Bild", "Foto credit"], agencies=["dpa", "Zeta Press"], suffixes=["Eigenes Foto"]
)


def _screened(lines: list[str], rules: CreditRules) -> set[int]:
    from newsnorm.captions import _keys_and_credits

    maybe = _keys_and_credits(lines, rules)[1]
    return set(range(len(lines))) if maybe is None else maybe


@given(_screen_lines, st.sampled_from([DEFAULT_CREDITS, _CUSTOM]))
def test_the_screen_keeps_every_line_with_a_credit(lines: list[str], rules: CreditRules) -> None:
    # The caption step asks the grammar only about the lines the screen keeps.
    kept = _screened(lines, rules)
    for i, line in enumerate(lines):
        if rules.find(line) is not None:
            assert i in kept, line


@given(_screen_lines)
def test_the_screen_of_screen_forms_keeps_every_line_with_a_credit(lines: list[str]) -> None:
    forms = [(i, f) for i, f in enumerate(map(screen_form, lines)) if f is not None]
    kept = DEFAULT_CREDITS.screen("\n".join(f for _, f in forms), [f for _, f in forms])
    assert kept is not None
    for k, (i, _) in enumerate(forms):
        if DEFAULT_CREDITS.find(lines[i]) is not None:
            assert k in kept, lines[i]


def test_the_screen_keeps_every_credited_dev_line(dev_cases: list[dict[str, Any]]) -> None:
    lines = [
        s
        for case in dev_cases
        for s in dict.fromkeys(line.strip() for line in case["dirty"].split("\n"))
        if s
    ]
    kept = _screened(lines, DEFAULT_CREDITS)
    credited = {i for i, line in enumerate(lines) if DEFAULT_CREDITS.find(line) is not None}
    assert credited and credited <= kept
    assert len(kept) < len(lines) / 3  # the screen rules most lines out


def test_screen_keep_holds_every_character_folding_to_ascii() -> None:
    from newsnorm._credits import _SCREEN_KEEP

    for cp in range(0x80, sys.maxunicode + 1):
        c = chr(cp)
        if any(x.isascii() for x in c.casefold()):
            assert c in _SCREEN_KEEP, hex(cp)


def test_a_vocabulary_beyond_ascii_is_not_screened() -> None:
    rules = CreditRules(labels=["Фото"], agencies=["ТАСС"])
    assert rules.screen("a", ["a"]) is None
    assert _screened(["Фото: ТАСС", "x"], rules) == {0, 1}


_name_words = st.sampled_from(
    [
        *("Jason", "Cipriani", "ZDNet", "AP", "Getty Images", "Reuters", "EPA-EFE", "The"),
        *("O’Neil", "x", "É", "Conroy,", "/AFP"),
    ]
)
_gaps = st.sampled_from([" ", "  ", "\t", "\u00a0", "\x1c", ""])
_names = st.lists(st.tuples(_gaps, _name_words).map("".join), min_size=1, max_size=4).map("".join)


@given(_names, st.sampled_from(["/", " / ", ",", ", ", ",\u2009", "/ ,"]), _names)
@example("Michael  Conroy", ",\t", "AP")
@example("David Zalubowski", ", ", "STF / Associated Press")
@example("Jason\u00a0Cipriani", " / ", "ZDNet")
def test_the_whole_line_gates_keep_every_match(before: str, sep: str, after: str) -> None:
    text = (before + sep + after).strip()
    # find tries the "Name Name, AP" and "Name Name/Outlet" patterns only past these tests.
    from newsnorm._credits import _names_around_slash

    rules = DEFAULT_CREDITS
    if rules._name_agency.match(text):
        assert rules._agency_after_comma(text)
    if rules._name_slash.match(text):
        assert _names_around_slash(text)
