"""The caption step: picture captions and repeated headlines leave the body, once, as metadata.

Text extraction leaves picture captions in the article body, often twice (once
bare, once with the credit appended), and repeats the headline. This step finds
them line by line (on the shared line model of :mod:`newsnorm._lines`), keeps each
distinct one once as a :class:`~newsnorm.Caption` in ``Normalized.captions``, and
removes the occurrences from the text, each removal a :class:`~newsnorm.Change`:

==========================  =============  ==============================================
rule id                     kind           what it removes
==========================  =============  ==============================================
``captions.credited``       ``caption``    a line ending in a picture credit
                                           (``"... last month. Photo: X/AFP"``)
``captions.labelled``       ``caption``    a line opened by a caption label
                                           (``"Image caption ..."``, ``"Pictured: ..."``)
``captions.repeated``       ``caption``    every occurrence of a repeated line with a
                                           picture sign (credit, ``(L)``, ``file photo``,
                                           copies side by side, a credit line beside it)
``captions.marked``         ``caption``    a line pointing at a picture (``(L)``,
                                           ``, left,``, ``file photo``) that also ends
                                           in a date or a credit
``captions.index``          ``caption``    a line a :class:`CaptionIndex` saw as a
                                           caption in another document
``captions.credit-line``    ``caption``    a line that is only a credit, next to a
                                           removed caption (``"Photo: Hau Dinh, AP"``)
``captions.headline``       ``caption``    every copy of a repeated headline (with
                                           ``keep_headline=True`` the first stays as the
                                           title line and the later ones go as
                                           ``duplicate``)
``captions.body-copy``      ``duplicate``  copies of a caption whose words also stand as
                                           a sentence in the body (that sentence stays)
==========================  =============  ==============================================

Kind ``duplicate`` means a copy of the removed text stays in the output; kind
``caption`` means none does (the text lives on in ``Normalized.captions``). A
:class:`~newsnorm.Caption` holds the input spans of every occurrence, the one that
stays (a title line, a body paragraph) included.

>>> from newsnorm.captions import dedupe_captions
>>> doc = dedupe_captions(
...     "Iraqis celebrated the victory in Mosul.\\n"
...     "Iraqis celebrated the victory in Mosul. (TRT World and Agencies)\\n\\n"
...     "The coalition meets this week."
... )
>>> doc.text
'The coalition meets this week.'
>>> c = doc.captions[0]
>>> c.text, c.credit, c.kind, c.spans
('Iraqis celebrated the victory in Mosul.', 'TRT World and Agencies', 'caption', ((0, 39), (40, 104)))
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import operator
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Set
from importlib.resources import files
from typing import Any

import attrs
import regex

from newsnorm._credits import (
    DEFAULT_CREDITS,
    Credit,
    CreditRules,
    check_credit_rules,
    screen_form,
)
from newsnorm._inputs import as_doc
from newsnorm._lines import LineTable, removal_edits
from newsnorm._model import Caption, Normalized, Note
from newsnorm._step import StepSpec, check_bool
from newsnorm.errors import ConfigError, InputTypeError

__all__ = ["CaptionConfig", "CaptionIndex", "caption_key", "dedupe_captions"]


# -- normalised comparison -----------------------------------------------------------

_QUOTES = (
    ("‘", "'"),
    ("’", "'"),
    ("‚", "'"),
    ("‛", "'"),
    ("′", "'"),
    ("`", "'"),
    ("“", '"'),
    ("”", '"'),
    ("„", '"'),
    ("‟", '"'),
    ("″", '"'),
    ("«", '"'),
    ("»", '"'),
    ("–", "-"),
    ("—", "-"),
)
"""One character for another; no target is a source, so the order does not matter (a
chain of ``str.replace`` is several times faster than ``str.translate`` with a dict)."""
_WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
"""Every character ``str.isspace`` accepts (none lies above U+3000). The ``\\s`` of
``regex`` matches no other character (``tests/test_captions_speed.py`` checks every code
point), so stripping these strips at least every ``\\s``."""
# Gallery toggles after a caption: "... 2019. less", "... at ... more".
_TOGGLE = regex.compile(
    r"(?:(?<=[.!?…)\]\"”’])\s+(?:less|more)|\s*(?:\.\.\.|…)\s*(?:read |show )?more)\s*$"
)
_TRUNCATED = regex.compile(r"\s*(?:\.\.\.|…)\s*(?:read |show )?more\s*$")
_TRAILING = " .!?…,;:"
"""The closing characters ``caption_key`` drops (with ``\\s``, only the space is left)."""
_CLOSING_TAIL = _WHITESPACE + ".,;)"
_CLOSING_STOP = regex.compile(r"[.!?…][\"”’)]*$")
_WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’][\p{L}]+)?")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")
"""``_WORD`` on ASCII text: ``\\p{L}`` and ``\\p{N}`` are ``[A-Za-z]`` and ``[0-9]`` there."""
_WORD_PUNCT = (("’", "'"), ("‘", " "), ("“", " "), ("”", " "), ("–", " "), ("—", " "), ("…", " "))
"""The non-ASCII characters of most English lines, each for an ASCII one that plays the
same part in ``_WORD`` (``’`` an apostrophe, the others neither letter, digit nor
apostrophe, like a space)."""


def _strip_toggle(text: str) -> tuple[str, bool]:
    """Drop a gallery toggle at the end; say whether the caption was cut short there."""
    # Both patterns end in "less" or "more" followed by \s* only, and rstrip() strips
    # every \s (and more): a text that does not end so after rstrip() matches neither.
    if not text.rstrip().endswith(("less", "more")):
        return text, False
    truncated = bool(_TRUNCATED.search(text))
    return _TOGGLE.sub("", text), truncated


def _count_words(text: str) -> int:
    """``len(_WORD.findall(text))``, with stdlib ``re`` on (nearly) ASCII text."""
    if not text.isascii():
        ascii_text = text
        for char, repl in _WORD_PUNCT:
            if char in ascii_text:
                ascii_text = ascii_text.replace(char, repl)
        if not ascii_text.isascii():
            return len(_WORD.findall(text))
        text = ascii_text
    return len(_ASCII_WORD.findall(text))


def caption_key(text: str) -> str:
    """The form in which two captions count as the same: case, quotes, dashes, spaces
    and closing punctuation ignored (strip the credit first).

    >>> caption_key("  Anti-Isis   coalition “meets” in Denmark. ")
    'anti-isis coalition "meets" in denmark'
    """
    if text.isascii():
        if "`" in text:
            text = text.replace("`", "'")
    else:
        for char, repl in _QUOTES:
            if char in text:
                text = text.replace(char, repl)
    text = " ".join(text.casefold().split())
    # After the split and join the only white space left is " " (str.split splits on
    # every \s), so this strips what the former [\s.!?…,;:]+$ removed.
    return text.rstrip(_TRAILING)


# -- the vocabulary ------------------------------------------------------------------


class _Vocabulary:
    """Caption labels, picture markers and the closing-date pattern, compiled once."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        def words(name: str) -> list[str]:
            value = raw.get(name)
            if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
                msg = f"caption table: {name!r} must be a list of non-empty strings"
                raise ConfigError(msg)
            return value

        def alt(items: list[str]) -> str:
            ordered = sorted(set(items), key=lambda w: (-len(w), w))
            return "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in ordered)

        self.label = regex.compile(
            rf"^\s*(?:(?i:{alt(words('labels'))})(?:\s*[:：]\s*|\s+|(?=\p{{Lu}}))"
            rf"|(?i:{alt(words('colon_labels'))})\s*[:：]\s*)(?=\S)"
        )
        try:
            self.markers = regex.compile(
                "|".join(f"(?:{m})" for m in words("markers")), regex.IGNORECASE
            )
        except regex.error as err:
            msg = f"caption table: bad marker pattern ({err})"
            raise ConfigError(msg) from None
        # The first characters (lower-cased, ``label_size`` of them) of a line opened
        # by a label, once stripped; ``None`` when a label is too short to say.
        heads = (*words("labels"), *words("colon_labels"))
        size = min(3, *(len(w) - len(w.lstrip(string.ascii_letters)) for w in heads))
        self.label_size = size
        self.label_starts: frozenset[str] | None = (
            frozenset(w[:size].lower() for w in heads) if size >= 2 else None
        )
        months = alt(words("months"))
        # The words of a closing date: a month (its own words), a day and a year.
        self.date_words = 2 + max(len(m.split()) for m in words("months"))
        self.closing_date = regex.compile(
            rf"(?:(?:{months})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
            rf"|\d{{1,2}}\s+(?:{months})\.?,?\s+\d{{4}})[\s.,;)]*$"
        )

    def ends_in_date(self, text: str) -> bool:
        """Whether ``text`` ends in a date (``closing_date``), searched only when it can.

        A match ends in ``\\d`` followed by ``[\\s.,;)]*`` only; stripping those (and
        every other white space) leaves that digit last. A last character that is no
        digit (``str.isdigit``) and is known to Python's Unicode database rules the
        pattern out (every ``\\d`` is a digit or a character that database does not know
        yet: ``tests/test_captions_speed.py``); anything else is searched.
        """
        head = text.rstrip(_CLOSING_TAIL)
        last = head[-1:]
        if not last.isdigit() and (last.isascii() or unicodedata.category(last) != "Cn"):
            return False
        # The date of a match holds ``date_words`` runs of characters without white
        # space (a month, a day, a year), apart by ``\s`` (white space to str.split
        # too), and ends where ``head`` ends (what follows it is stripped): it starts
        # in the last ``date_words`` words of ``head``, so the search starts there.
        parts = head.rsplit(None, self.date_words)
        start = len(parts[0]) if len(parts) > self.date_words else 0
        return self.closing_date.search(text, start) is not None


def _load_vocabulary() -> _Vocabulary:
    raw = json.loads(files("newsnorm").joinpath("data/captions.json").read_text(encoding="utf-8"))
    return _Vocabulary(raw)


_VOCAB = _load_vocabulary()


# -- the cross-document index --------------------------------------------------------


def _fingerprint(text: str) -> str:
    # "surrogatepass": a text may hold lone surrogates (the same bytes as before for any
    # other text).
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def _entries(value: Iterable[tuple[str, str]]) -> frozenset[tuple[str, str]]:
    entries = frozenset(value)
    for entry in entries:
        if not (
            isinstance(entry, tuple)
            and len(entry) == 2
            and all(isinstance(part, str) for part in entry)
        ):
            msg = f"CaptionIndex entries must be (key, fingerprint) string pairs, got {entry!r}"
            raise ConfigError(msg)
    return entries


@attrs.frozen(kw_only=True)
class CaptionIndex:
    """Captions seen in a collection of documents: explicit, immutable state.

    Feed it the documents of a collection (:meth:`add`, or :meth:`from_texts`), then
    give it to the caption step (``CaptionConfig(index=...)``): a line that the index
    saw as a caption in *another* document is then a caption here too, even with no
    credit or repetition of its own (agency photos whose captions several outlets
    reuse). A document's own entries never count for it, so the same index serves
    every document it was built from.

    The index stores ``(caption key, document fingerprint)`` pairs in a frozenset, so
    it is hashable, picklable and order-free: :meth:`add` in any order, or ``a | b``
    of indexes built apart, give equal indexes and equal results.

    >>> texts = ["Troops enter the old city of Mosul. Photo: Reuters\\nThe army advanced.",
    ...          "Troops enter the old city of Mosul.\\nThe army won."]
    >>> index = CaptionIndex.from_texts(texts)
    >>> len(index), "TROOPS ENTER THE OLD CITY OF MOSUL" in index
    (1, True)
    >>> index == CaptionIndex.from_texts(reversed(texts))
    True
    >>> dedupe_captions(texts[1]).text  # alone, nothing marks it as a caption
    'Troops enter the old city of Mosul.\\nThe army won.'
    >>> doc = dedupe_captions(texts[1], config=CaptionConfig(index=index))
    >>> doc.text, doc.captions[0].kind
    ('The army won.', 'caption')

    Attributes:
        entries: ``(caption_key, document_fingerprint)`` pairs.
    """

    entries: frozenset[tuple[str, str]] = attrs.field(default=frozenset(), converter=_entries)

    @classmethod
    def from_texts(
        cls, texts: Iterable[str | Normalized], *, config: CaptionConfig | None = None
    ) -> CaptionIndex:
        """An index of the captions the caption step finds in ``texts``."""
        return cls().add(texts, config=config)

    def add(
        self, texts: Iterable[str | Normalized], *, config: CaptionConfig | None = None
    ) -> CaptionIndex:
        """A new index holding this one's entries and the captions found in ``texts``.

        Args:
            texts: Documents, as the text you will normalise (the fingerprint that keeps
                a document's own captions from counting for it is taken from this text;
                for a :class:`~newsnorm.Normalized`, from its ``original``).
            config: The caption options to find captions with (default
                :class:`CaptionConfig` ``()``; its own ``index`` is not used).

        Raises:
            InputTypeError: If ``texts`` is a single text, or holds something that is
                neither ``str`` nor :class:`~newsnorm.Normalized`.
            ConfigError: If ``config`` is not a :class:`CaptionConfig`.
        """
        if isinstance(texts, str | Normalized):
            msg = "texts must be an iterable of documents, not a single document; wrap it in a list"
            raise InputTypeError(msg)
        if config is not None and not isinstance(config, CaptionConfig):
            msg = f"config must be a CaptionConfig, got {type(config).__name__}"
            raise ConfigError(msg)
        cfg = CaptionConfig() if config is None else attrs.evolve(config, index=None)
        runner = _Captioner(cfg)
        found: set[tuple[str, str]] = set()
        for item in texts:
            if not isinstance(item, str | Normalized):
                msg = f"texts must hold str or Normalized, got {type(item).__name__}"
                raise InputTypeError(msg)
            doc = as_doc(item)
            plan = runner.plan(doc.text, fingerprint=None)
            fp = _fingerprint(doc.original)
            found.update((g.key, fp) for g in plan.groups if g.kind == "caption")
        return CaptionIndex(entries=self.entries | found)

    def __or__(self, other: object) -> CaptionIndex:
        if not isinstance(other, CaptionIndex):
            return NotImplemented
        return CaptionIndex(entries=self.entries | other.entries)

    def __len__(self) -> int:
        """The number of distinct captions."""
        return len({key for key, _ in self.entries})

    def __contains__(self, text: object) -> bool:
        """Whether a caption with the same :func:`caption_key` as ``text`` was seen."""
        if not isinstance(text, str):
            return False
        key = caption_key(text)
        return any(k == key for k, _ in self.entries)

    def documents(self, text: str) -> frozenset[str]:
        """Fingerprints of the documents in which ``text`` was seen as a caption."""
        key = caption_key(text)
        return frozenset(fp for k, fp in self.entries if k == key)


def _check_index(_inst: object, _attr: object, value: Any) -> None:
    if value is not None and not isinstance(value, CaptionIndex):
        msg = f"index must be a CaptionIndex or None, got {type(value).__name__}"
        raise ConfigError(msg)


def _check_min_words(_inst: object, _attr: object, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        msg = f"min_words must be a positive int, got {value!r}"
        raise ConfigError(msg)


# -- config --------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CaptionConfig:
    """Options of the caption step.

    Attributes:
        keep_headline: Keep the first occurrence of a repeated headline in place, as the
            title line, and remove only the later copies (default ``False``: every
            occurrence leaves the body and the headline lives on, once, in
            ``Normalized.captions``, so articles compare on their bodies).
        keep_first_caption: Keep the first occurrence of each caption in place and remove
            only its copies (default ``False``: captions leave the body entirely).
        credit_lines: Remove a line that is only a credit (``"Photo: Hau Dinh, AP"``,
            ``"Getty"``) when it stands right next to a removed caption (default ``True``).
            Credit lines elsewhere are left to the boilerplate step.
        min_words: A caption or headline has at least this many words once its credit
            and label are gone (default ``3``); shorter repeated lines ("Advertisement",
            "Video") are boilerplate, not captions.
        index: A :class:`CaptionIndex` of captions seen in other documents (default
            ``None``: each document is judged alone).
        credits: The credit grammar (default: the package's, from
            ``newsnorm/data/credits.json``).
    """

    keep_headline: bool = attrs.field(default=False, validator=check_bool)
    keep_first_caption: bool = attrs.field(default=False, validator=check_bool)
    credit_lines: bool = attrs.field(default=True, validator=check_bool)
    min_words: int = attrs.field(default=3, validator=_check_min_words)
    index: CaptionIndex | None = attrs.field(default=None, validator=_check_index)
    credits: CreditRules = attrs.field(
        default=DEFAULT_CREDITS, repr=False, validator=check_credit_rules
    )


# -- detection -----------------------------------------------------------------------


class _Form:
    """What the step sees in one distinct (stripped) line: every line with the same
    text gets the same answers, so they are worked out once per text."""

    __slots__ = (
        "_closing_date",
        "_marker",
        "_words",
        "credit",
        "credit_only",
        "key",
        "labelled",
        "text",
        "truncated",
    )

    def __init__(
        self,
        text: str,  # caption text: label, credit and gallery toggle gone
        key: str,
        credit: Credit | None = None,
        *,
        labelled: bool = False,
        truncated: bool = False,
    ) -> None:
        self.text = text
        self.key = key
        self.credit = credit
        self.credit_only = credit is not None and not text
        self.labelled = labelled and not self.credit_only
        self.truncated = truncated
        # Counted or searched on first use: most lines are never asked.
        self._words: int | None = None
        self._marker: bool | None = None
        self._closing_date: bool | None = None

    @property
    def words(self) -> int:
        """The number of words of the caption text."""
        if self._words is None:
            self._words = _count_words(self.text)
        return self._words

    def has_words(self, n: int) -> bool:
        """``self.words >= n``, counted on a prefix of the text when that settles it: a
        prefix never holds more words than the whole (``tests/test_captions_speed.py``)."""
        if (
            self._words is None
            and len(self.text) > 12 * n
            and _count_words(self.text[: 12 * n]) >= n
        ):
            return True
        return self.words >= n

    @property
    def marker(self) -> bool:
        """Whether the caption text points at a picture (a marker of the vocabulary)."""
        if self._marker is None:
            self._marker = _VOCAB.markers.search(self.text) is not None
        return self._marker

    @property
    def closing_date(self) -> bool:
        """Whether the caption text ends in a date."""
        if self._closing_date is None:
            self._closing_date = _VOCAB.ends_in_date(self.text)
        return self._closing_date


@attrs.define
class _Group:
    key: str
    members: list[int]  # line indices, ascending
    kind: str | None = None  # "caption", "headline" or None (not a caption)
    rule: str = ""
    keep: int | None = None  # the member that stays in the text, if any


@attrs.define
class _Plan:
    parts: list[str]  # the text of each line, blank lines included (the shared line model)
    page: _Page
    groups: list[_Group]  # the caption and headline groups
    removals: dict[int, tuple[str, str]]
    credit_of: dict[int, list[int]]  # caption member -> credit-only lines removed with it
    notes: list[Note]


def _keys(texts: list[str]) -> list[str]:
    """``[caption_key(t) for t in texts]`` for stripped texts without a newline, the
    ASCII ones (most, once their curly quotes and dashes are replaced) folded together.

    >>> _keys(["Mosul  falls.", "“Mosul”\\tfalls", "ÉTÉ"])
    ['mosul falls', '"mosul" falls', 'été']
    """
    return _keys_and_credits(texts, None)[0]


def _keys_and_credits(
    texts: list[str], credits: CreditRules | None
) -> tuple[list[str], set[int] | None]:
    """``_keys(texts)``, and the indices of the texts that may end in a credit of
    ``credits`` (:meth:`CreditRules.screen <newsnorm._credits.CreditRules.screen>` on
    the folded ASCII texts; every other text may too): ``credits.find`` gives ``None``
    for the rest. ``None`` instead of the indices if the screen cannot tell (or
    ``credits`` is ``None``).

    >>> _keys_and_credits(["Smoke rises. Jamal Saidi/Reuters", "Troops moved in."],
    ...                   DEFAULT_CREDITS)
    (['smoke rises. jamal saidi/reuters', 'troops moved in'], {0})
    """
    keys: list[str] = [""] * len(texts)
    ascii_ = list(map(str.isascii, texts))
    where = list(itertools.compress(range(len(texts)), ascii_))
    plain = list(itertools.compress(texts, ascii_))
    others = list(itertools.compress(range(len(texts)), map(operator.not_, ascii_)))
    # The texts that stay beyond ASCII: those the screen cannot read may end in a
    # credit; the others are screened in their screen form.
    maybe: list[int] = []
    wide: list[int] = []
    wide_forms: list[str] = []
    if others:
        # The quotes and dashes replaced in all the other texts at once.
        joined = "\n".join(map(texts.__getitem__, others))
        for char, repl in _QUOTES:
            if char in joined:
                joined = joined.replace(char, repl)
        for k, text in zip(others, joined.split("\n"), strict=True):
            if text.isascii():
                where.append(k)
                plain.append(text)
            else:
                keys[k] = caption_key(text)
                form = screen_form(text) if credits is not None else None
                if form is None:
                    maybe.append(k)
                else:
                    wide.append(k)
                    wide_forms.append(form)
    if credits is not None and wide:
        found_wide = credits.screen("\n".join(wide_forms), wide_forms)
        maybe.extend(wide if found_wide is None else map(wide.__getitem__, found_wide))
    if not plain:
        return keys, set(maybe) if credits is not None else None
    # On ASCII text casefold() is lower(); "`" is the one ASCII character replaced.
    joined = "\n".join(plain).replace("`", "'").lower()
    folded = joined.split("\n")
    found = credits.screen(joined, folded) if credits is not None else None
    if found is not None:
        maybe.extend(map(where.__getitem__, found))
    # White space other than single spaces: the lines holding some are split and
    # joined as caption_key does (the texts are stripped, so nothing else differs).
    starts = list(itertools.accumulate(map((1).__add__, map(len, folded)), initial=0))
    odd: set[int] = set()
    for needle in _ASCII_ODD_SPACE:
        i = joined.find(needle)
        while i >= 0:
            j = bisect.bisect_right(starts, i) - 1
            odd.add(j)
            i = joined.find(needle, starts[j + 1]) if j + 1 < len(folded) else -1
    for j in odd:
        folded[j] = " ".join(folded[j].split())
    for k, key in zip(where, folded, strict=True):
        keys[k] = key.rstrip(_TRAILING)
    return keys, set(maybe) if found is not None else None


_ASCII_ODD_SPACE = ("  ", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")
"""The ASCII white space other than the space and the newline (``str.split`` splits on
each), and the double space."""


class _Page:
    """The lines of one text, and the questions the step asks about them.

    Lines with the same stripped text share one :class:`_Form`, built when first
    needed; most lines are only ever asked for their credit and key.
    """

    def __init__(self, captioner: _Captioner, strs: list[str], min_words: int) -> None:
        self.strs = strs  # each line stripped; "" for a blank line
        self.min_words = min_words
        self.order = list(itertools.compress(range(len(strs)), strs))  # non-blank lines
        self.forms: dict[str, _Form] = {}
        self.keys: dict[str, str] = {}
        credits = captioner.credits
        first = _VOCAB.label_starts
        size = _VOCAB.label_size
        plain: list[str] = []
        for s in dict.fromkeys(strs):
            if not s:
                continue
            # A gallery toggle or a caption label: the general path.
            if s.endswith(("less", "more")) or (
                first is None or not s[:size].isascii() or s[:size].lower() in first
            ):
                form = self.forms[s] = captioner.form(s)
                self.keys[s] = form.key
                continue
            plain.append(s)
        # The keys of the other lines, and which of them may end in a credit: the
        # credit grammar is asked only about those.
        keys, maybe = _keys_and_credits(plain, credits)
        for k in range(len(plain)) if maybe is None else sorted(maybe):
            s = plain[k]
            credit = credits.find(s)
            if credit is not None:
                text = s[: credit.start].strip()
                form = self.forms[s] = _Form(text, caption_key(text), credit)
                keys[k] = form.key
        self.keys.update(zip(plain, keys, strict=True))
        self.credit_only = {s for s, f in self.forms.items() if f.credit_only}

    def form(self, i: int) -> _Form:
        """The form of line ``i`` (not blank)."""
        s = self.strs[i]
        form = self.forms.get(s)
        if form is None:
            form = self.forms[s] = _Form(s, self.keys[s])
        return form

    def firsts(self, members: list[int]) -> list[tuple[int, _Form]]:
        """``(line, form)`` for the first of ``members`` (ascending) with each text."""
        strs = self.strs
        # Later pairs overwrite earlier ones: walking backwards, the first line stays.
        first = dict(zip(map(strs.__getitem__, reversed(members)), reversed(members), strict=True))
        return sorted((i, self.form(i)) for i in first.values())

    def is_credit_only(self, i: int) -> bool:
        return 0 <= i < len(self.strs) and self.strs[i] in self.credit_only

    def groups(self, in_index: Callable[[str], bool]) -> list[tuple[str, list[int]]]:
        """Candidate lines grouped by key, as ``(key, members)`` in the order of their first
        members; a caption cut short ("... at ... more") joins the full caption it is a
        prefix of.

        A lone line with no credit, label, index entry, credit line below or closing
        date is no caption (see :meth:`classify`): its group is left out, and its words
        never counted. A caption cut short may join any group, so then every line is
        grouped.
        """
        strs = self.strs
        mw = self.min_words
        co = self.credit_only
        counts = Counter(strs)
        per_key: dict[str, int] = {}
        for s, c in counts.items():
            if s and s not in co:
                k = self.keys[s]
                per_key[k] = per_key.get(k, 0) + c
        before_credit: set[str] = set()
        if co:
            for i in itertools.compress(range(len(strs)), map(co.__contains__, strs)):
                if i:
                    before_credit.add(strs[i - 1])
        cut_short = any(
            f.truncated and not f.credit_only and f.has_words(mw) for f in self.forms.values()
        )
        live: set[str] = set()
        keys = self.keys
        forms = self.forms
        ends_in_date = _VOCAB.ends_in_date
        for s in counts:
            if not s or s in co:
                continue
            key = keys[s]
            f = forms.get(s)
            if (
                cut_short
                or per_key[key] >= 2
                or s in before_credit
                or (f is not None and (f.credit is not None or f.labelled))
                or in_index(key)
                or (
                    f.closing_date
                    if f is not None
                    # The text is the line: ends_in_date's first test, inline.
                    else _may_end_in_date(s) and ends_in_date(s)
                )
            ):
                form = f if f is not None else self._plain(s)
                if form.has_words(mw):
                    live.add(s)
        by_key: dict[str, list[int]] = {}
        for i in itertools.compress(range(len(strs)), map(live.__contains__, strs) if live else ()):
            by_key.setdefault(self.keys[strs[i]], []).append(i)
        ordered_keys: list[str] | None = None  # sorted, built when first needed
        # The loop below moves only truncated lines: with none, it would do nothing.
        for key, members in list(by_key.items()) if cut_short else ():
            for i in list(members):
                x = self.form(i)
                if not x.truncated or x.words < 5:
                    continue
                if ordered_keys is None:
                    ordered_keys = sorted(by_key)  # the keys never change below
                # The keys that start with key + " " stand together in sorted order.
                prefix = key + " "
                longer = []
                for k in itertools.islice(
                    ordered_keys, bisect.bisect_left(ordered_keys, prefix), None
                ):
                    if not k.startswith(prefix):
                        break
                    if by_key[k]:
                        longer.append(k)
                if longer:
                    target = min(longer, key=lambda k: (-len(by_key[k]), len(k), k))
                    by_key[target].append(i)
                    members.remove(i)
        groups = [(k, sorted(v)) for k, v in by_key.items() if v]
        groups.sort(key=lambda g: g[1][0])
        return groups

    def _plain(self, s: str) -> _Form:
        form = self.forms[s] = _Form(s, self.keys[s])
        return form

    def pos(self, i: int) -> int:
        return bisect.bisect_left(self.order, i)

    def neighbours(self, i: int) -> list[int]:
        """The nearest lines before and after ``i`` that are not blank."""
        p = self.pos(i)
        return [self.order[q] for q in (p - 1, p + 1) if 0 <= q < len(self.order)]

    def credit_after(self, i: int) -> bool:
        """Whether the line right after ``i`` is a credit line (as under a picture)."""
        return bool(self.credit_only) and self.is_credit_only(i + 1)

    def side_by_side(self, a: int, b: int) -> bool:
        """Copies side by side: nothing between them but blank lines, credit lines and at
        most two short label lines ("Business", "Video")."""
        between = self.order[self.pos(a) + 1 : self.pos(b)]
        short = []
        for k in between:
            if not self.is_credit_only(k):
                short.append(k)
                if len(short) > 2:
                    return False
        return all(self.form(k).words < self.min_words for k in short)

    def classify(self, members: list[int], *, in_index: bool) -> tuple[str | None, str]:
        """``(kind, rule)`` for a group of lines with one key; kind ``None``: not a caption."""
        # Every condition is a side-effect-free bool, so the order in which they are
        # tested changes no answer; the costly searches (marker, closing date, word
        # count) come last and only where the answer depends on them.
        if len(members) == 1:
            # The common case, decided without the general machinery: a lone line with
            # no credit, label, index entry, credit line below or closing date is no
            # caption whatever its markers (the rules below all need one of these).
            x = self.form(members[0])
            if not (
                x.credit is not None
                or x.labelled
                or in_index
                or self.credit_after(members[0])
                or x.closing_date
            ):
                return None, ""
        # The forms of the members, each once (copies share one), first member first.
        own = [f for _, f in self.firsts(members)]
        any_credit = any(x.credit is not None for x in own)
        labelled = any(x.labelled for x in own)
        beside_credit = bool(self.credit_only) and any(self.credit_after(i) for i in members)
        if len(members) >= 2:
            own_sign = any_credit or labelled or any(x.marker for x in own)
            headline_shaped = _headline_shaped(own[0].text, own[0].words)
            if members[0] == self.order[0] and headline_shaped and not own_sign:
                return "headline", "captions.headline"
            if (
                own_sign
                or beside_credit
                or any(self.side_by_side(a, b) for a, b in itertools.pairwise(members))
            ):
                if headline_shaped and not (
                    own_sign or beside_credit or any(x.closing_date for x in own)
                ):
                    return "headline", "captions.headline"
                return "caption", "captions.repeated"
        if any(x.credit is not None and x.credit.strength == "photo" for x in own):
            return "caption", "captions.credited"
        if labelled:
            return "caption", "captions.labelled"
        if in_index:
            return "caption", "captions.index"
        if (any_credit or beside_credit or any(x.closing_date for x in own)) and any(
            x.marker for x in own
        ):
            return "caption", "captions.marked"
        return None, ""

    def body_like(self, members: list[int]) -> list[int]:
        """The occurrences that read as body paragraphs: no picture sign of their own, a
        closing stop, and body lines on both sides (not a copy, a credit or the edge)."""
        # The first two tests ask only the form, which copies share.
        reads = {self.strs[i] for i, x in self.firsts(members) if self._body_form(x)}
        if not reads:
            return []
        member_set = set(members)
        return [i for i in members if self.strs[i] in reads and self._body_near(i, member_set)]

    @staticmethod
    def _body_form(x: _Form) -> bool:
        if x.credit is not None or x.labelled or x.marker or x.truncated:
            return False
        return x.words >= 6 and _CLOSING_STOP.search(x.text) is not None

    def _body_near(self, i: int, members: Set[int]) -> bool:
        near = self.neighbours(i)
        return len(near) == 2 and not any(j in members or self.is_credit_only(j) for j in near)

    def credit_lines_beside(self, i: int, removals: Mapping[int, object]) -> list[int]:
        """The credit-only lines directly above and below line ``i`` (no blank between)."""
        taken: list[int] = []
        if not self.credit_only:
            return taken
        for step in (-1, 1):
            j = i + step
            while self.is_credit_only(j) and j not in removals:
                taken.append(j)
                j += step
        return sorted(taken)


class _Captioner:
    """The compiled caption step."""

    def __init__(self, config: CaptionConfig) -> None:
        self.config = config
        self.credits = config.credits
        index: dict[str, set[str]] = {}
        if config.index is not None:
            for key, fp in config.index.entries:
                index.setdefault(key, set()).add(fp)
        self._index = {k: frozenset(v) for k, v in index.items()}

    # -- per line ---------------------------------------------------------------------

    def form(self, raw: str) -> _Form:
        """The form of a stripped line, by the general path (labels, toggles)."""
        body, truncated = _strip_toggle(raw)
        label = _VOCAB.label.match(body)
        labelled = False
        if label:
            # "Photo: Damian Dovarganes, AP" is a credit line, not a labelled caption.
            whole = self.credits.find(body)
            if whole is None or body[: whole.start].strip():
                labelled = True
                body = body[label.end() :]
        credit = self.credits.find(body)
        text = body[: credit.start].strip() if credit is not None else body.strip()
        return _Form(text, caption_key(text), credit, labelled=labelled, truncated=truncated)

    # -- the plan ---------------------------------------------------------------------

    def plan(self, text: str, *, fingerprint: str | None) -> _Plan:
        """Decide, for the lines of ``text``, what is a caption or headline and what goes.

        ``fingerprint`` identifies the document for the index (its own entries do not
        count); ``None`` leaves the index out.
        """
        cfg = self.config
        parts = text.split("\n")
        # The lines of LineTable(text, parts), which is built only if a line goes: a
        # final newline starts no line.
        if len(parts) > 1 and not parts[-1]:
            parts.pop()
        elif not text:
            parts = []
        page = _Page(self, list(map(str.strip, parts)), cfg.min_words)

        def in_index(key: str) -> bool:
            return fingerprint is not None and bool(
                self._index.get(key, frozenset()) - {fingerprint}
            )

        # Only the groups found to be captions or headlines are kept (most are neither).
        groups: list[_Group] = []
        for key, members in page.groups(in_index if self._index else _never):
            kind, rule = page.classify(members, in_index=in_index(key))
            if kind is not None:
                groups.append(_Group(key=key, members=members, kind=kind, rule=rule))
        removals: dict[int, tuple[str, str]] = {}
        notes: list[Note] = []
        for g in groups:
            if g.kind is None:
                continue
            copy_rule = g.rule
            if g.kind == "headline":
                g.keep = g.members[0] if cfg.keep_headline else None
            else:
                body = page.body_like(g.members)
                if body:
                    g.keep, copy_rule = body[0], "captions.body-copy"
                    if g.rule == "captions.index":
                        notes.append(
                            Note(
                                step="captions",
                                code="index-caption-in-body",
                                message=f"{page.form(body[0]).text[:60]!r} is a known caption "
                                "but stands as a body paragraph here; it was kept",
                            )
                        )
                else:
                    g.keep = g.members[0] if cfg.keep_first_caption else None
            for i in g.members:
                if i != g.keep:
                    removals[i] = (
                        ("caption", g.rule) if g.keep is None else ("duplicate", copy_rule)
                    )
        # Credit-only lines right next to a removed caption line go with it.
        credit_of: dict[int, list[int]] = {}
        if cfg.credit_lines:
            for g in groups:
                if g.kind != "caption":
                    continue
                for i in g.members:
                    if i in removals:
                        taken = page.credit_lines_beside(i, removals)
                        for j in taken:
                            removals[j] = ("caption", "captions.credit-line")
                        credit_of[i] = taken
        return _Plan(
            parts=parts,
            page=page,
            groups=groups,
            removals=removals,
            credit_of=credit_of,
            notes=notes,
        )

    # -- the step ---------------------------------------------------------------------

    def __call__(self, doc: Normalized) -> Normalized:
        text = doc.text
        plan = self.plan(text, fingerprint=_fingerprint(doc.original) if self._index else None)
        if not plan.notes and all(g.kind is None for g in plan.groups):
            return doc
        edits = removal_edits(text, LineTable(text), plan.removals)
        captions: list[Caption] = []
        page = plan.page
        parts = plan.parts
        # Where each line starts: one past the end of the line before (its newline).
        starts = list(itertools.accumulate(map((1).__add__, map(len, parts)), initial=0))
        for g in plan.groups:
            if g.kind is None:
                continue
            # Each distinct line with its first member (copies share a form).
            own = page.firsts(g.members)
            best = max(own, key=lambda x: (not x[1].truncated, len(x[1].text), -x[0]))[1]
            # The caption's own credit, else that of a credit line removed with it.
            found = [x.credit for _, x in own] + [
                page.form(j).credit for i in g.members for j in plan.credit_of.get(i, [])
            ]
            credit = next((c.text for c in found if c is not None), None)
            spans = tuple(doc.to_original(starts[i], starts[i] + len(parts[i])) for i in g.members)
            captions.append(Caption(text=best.text, credit=credit, spans=spans, kind=g.kind))
        return doc.apply("captions", edits, captions=captions, notes=plan.notes)


def _may_end_in_date(text: str) -> bool:
    """Whether a stripped line may end in a date: a date's last digit is followed only
    by ``[\\s.,;)]``, which ``ends_in_date`` strips; a line whose last character, or
    the one before a last ``.,;)``, is another ASCII character that is no digit (nor
    white space) ends in none.

    >>> _may_end_in_date("on May 3, 2019."), _may_end_in_date("He said so.")
    (True, False)
    """
    last = text[-1]
    if not last.isascii() or last.isdigit():
        return True
    if last not in ".,;)":
        return False
    prev = text[-2:-1]
    return not prev or not prev.isascii() or prev.isdigit() or prev.isspace() or prev in ".,;)"


def _never(_key: str) -> bool:
    return False


def _headline_shaped(text: str, words: int) -> bool:
    """No closing sentence punctuation, and short enough for a headline (``words``: the
    word count of ``text``)."""
    stripped = text.rstrip(" \"'”’)")
    return not stripped.endswith((".", "!", "…")) and words <= 25


def dedupe_captions(text: str | Normalized, *, config: CaptionConfig | None = None) -> Normalized:
    """Take captions and repeated headlines out of the body; keep each once as metadata.

    Args:
        text: The article text, or the result of an earlier step.
        config: Options (default :class:`CaptionConfig` ``()``).

    Returns:
        The text without caption lines (and without the later copies of a repeated
        headline), with a :class:`~newsnorm.Caption` per distinct caption or headline in
        ``captions`` and a :class:`~newsnorm.Change` per removed line.

    Raises:
        InputTypeError: If ``text`` is neither ``str`` nor :class:`~newsnorm.Normalized`.
        ConfigError: If ``config`` is not a :class:`CaptionConfig`.

    >>> doc = dedupe_captions(
    ...     "Coalition meets in Denmark\\n\\nAFP\\nCoalition meets in Denmark\\n"
    ...     "Mattis meeting a delegation. Photo: Jonathan Ernst/AFP/Scanpix\\n\\n"
    ...     "Key members of the coalition meet in Copenhagen on Tuesday."
    ... )
    >>> print(doc.text)
    AFP
    <BLANKLINE>
    Key members of the coalition meet in Copenhagen on Tuesday.
    >>> [(c.kind, c.text, c.credit) for c in doc.captions]
    [('headline', 'Coalition meets in Denmark', None), ('caption', 'Mattis meeting a delegation.', 'Jonathan Ernst/AFP/Scanpix')]
    """
    if config is not None and not isinstance(config, CaptionConfig):
        msg = f"config must be a CaptionConfig, got {type(config).__name__}"
        raise ConfigError(msg)
    doc = as_doc(text)
    runner = _DEFAULT if config is None else _Captioner(config)
    return runner(doc)


_DEFAULT = _Captioner(CaptionConfig())

STEP = StepSpec(
    name="captions",
    config_type=CaptionConfig,
    compile=_Captioner,
    summary="picture captions and repeated headlines out of the body, kept once as metadata",
)
