"""Picture credits: find the credit at the end of a line, or a line that is only a credit.

Shared by the line steps (captions and boilerplate): one credit grammar for
the library. The vocabulary (labels such as ``Photo`` or ``Image credit``, agency
names such as ``Reuters`` or ``Getty Images``) is package data,
``newsnorm/data/credits.json``, compiled once into :data:`DEFAULT_CREDITS`.

A credit is recognised only at the *end* of a line (``"... last month. Photo:
Jonathan Ernst/AFP/Scanpix"``, ``"... over Daesh. (TRT World and Agencies)"``) or as
the whole line (``"Photo: Damian Dovarganes, AP"``, ``"Getty Images"``). A dateline
at the start of a paragraph (``"WASHINGTON (Reuters) - ..."``) is not a credit.

>>> from newsnorm._credits import split_credit, is_credit_line
>>> split_credit("Mattis in Afghanistan last month. Photo: Jonathan Ernst/AFP/Scanpix")
('Mattis in Afghanistan last month.', 'Jonathan Ernst/AFP/Scanpix')
>>> split_credit("Iraqi people came out on the streets. (TRT World and Agencies)")
('Iraqi people came out on the streets.', 'TRT World and Agencies')
>>> split_credit("WASHINGTON (Reuters) - Scientists on Monday unveiled a map.")
('WASHINGTON (Reuters) - Scientists on Monday unveiled a map.', None)
>>> is_credit_line("(Image credit: Blue Origin)"), is_credit_line("Jamal Saidi/Reuters")
(True, True)
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from importlib.resources import files
from itertools import accumulate, compress
from typing import Any

import attrs
import regex

from newsnorm.errors import ConfigError, TableError

__all__ = [
    "DEFAULT_CREDITS",
    "Credit",
    "CreditRules",
    "find_credit",
    "is_credit_line",
    "screen_form",
    "split_credit",
]

# Small lower-case words that may sit inside a credit ("Kevin Mazur/Getty Images for X").
_CONNECTORS = frozenset(
    [
        "of",
        "for",
        "and",
        "via",
        "the",
        "de",
        "da",
        "del",
        "der",
        "di",
        "du",
        "van",
        "von",
        "la",
        "le",
        "y",
        "e",
        "&",
        "by",
        "from",
        "at",
        "in",
        "on",
        "with",
        "/",
        "-",
        "–",
        "—",
        ",",
        ";",
        ":",
    ]
)
_SENTENCE_END = '[.!?…"”’)\\]]'
_LETTER = regex.compile(r"\p{L}")
_INNER_SENTENCE = regex.compile(r"[.!?]\s+\p{Ll}")


@attrs.frozen(kw_only=True)
class Credit:
    """A credit found at the end of a line.

    Attributes:
        text: The credit without its label and brackets (``"Jonathan Ernst/AFP/Scanpix"``).
        start: Offset in the line where the credit begins (its label or bracket included).
        end: Offset in the line just past the credit (trailing spaces excluded).
        label: The label that introduced it (``"Photo"``, ``"Image credit"``), if any.
        strength: ``"photo"`` when it names a picture's source (a label, a photographer
            with an agency, a copyright sign); ``"agency"`` when it is only an agency in
            brackets (``"(Reuters)"``, ``"(TRT World and Agencies)"``), which also
            closes ordinary news paragraphs.
    """

    text: str
    start: int
    end: int
    label: str | None = None
    strength: str = "photo"


def _alternation(words: Sequence[str]) -> str:
    # Longest first, so "Image credit" wins over "Image".
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in ordered)


class CreditRules:
    """The compiled credit grammar for one vocabulary.

    Args:
        labels: Words that introduce a credit (``"Photo"``, ``"Image credit"``).
        agencies: Names that make a short text a credit (``"Reuters"``).
        suffixes: Phrases that end a whole-line credit (``"Submitted photo"``).

    Raises:
        TableError: If a list is empty or holds something that is not a non-empty string.
    """

    def __init__(
        self, *, labels: Sequence[str], agencies: Sequence[str], suffixes: Sequence[str] = ()
    ) -> None:
        for name, words in (("labels", labels), ("agencies", agencies), ("suffixes", suffixes)):
            bad = [w for w in words if not isinstance(w, str) or not w.strip()]
            if bad or (name != "suffixes" and not words):
                msg = f"credit table: '{name}' must be a non-empty list of non-empty strings"
                raise TableError(msg)
        self.labels = tuple(labels)
        self.agencies = tuple(agencies)
        self.suffixes = tuple(suffixes)
        lab = _alternation(labels)
        ag = _alternation(agencies)
        # A label and its separator: "Photo: ", "Photo by ", "AP Photo/", "Image copyright ".
        spaced = "|".join(_SPACE_LABELS)
        sep = rf"(?:\s*[:：|]\s*|\s+by\s+|\s*/\s*|(?<=(?i:{spaced}))\s+(?:of\s+)?)"
        self._label_head = regex.compile(rf"(?i:(?P<label>{lab}))\b{sep}(?P<who>.+)$")
        self._label_word = regex.compile(rf"(?i:{lab})\b")
        self._agency = regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{ag})(?![\p{{L}}\p{{N}}])")
        self._agency_ci = regex.compile(
            rf"(?<![\p{{L}}\p{{N}}])(?i:{ag})(?![\p{{L}}\p{{N}}])", regex.IGNORECASE
        )
        # A bracketed group closing the line.
        self._paren = regex.compile(r"\(\s*(?P<inner>[^()]{1,160}?)\s*\)\s*$")
        # A label somewhere in the line, after the end of a sentence or glued to a word.
        self._label_tail = regex.compile(
            rf"(?:(?<=^)|(?<={_SENTENCE_END}\s{{0,3}})|(?<=\p{{Ll}}))"
            rf"(?P<label>(?i:{lab}))\b{sep}(?P<who>[^\n]+?)\s*$"
        )
        self._copyright = regex.compile(r"(?:©|\(c\)|Ⓒ)\s*(?P<who>[^©]{1,100}?)\s*$")
        name = r"[\p{Lu}\p{N}][\p{L}\p{M}\p{N}.'’&-]*"
        # "Jamal Saidi/Reuters", "Kathrin Ziegler/Getty" at the end of a line.
        self._slash = regex.compile(
            rf"(?:(?<=^)|(?<={_SENTENCE_END}\s{{0,3}}))"
            rf"(?P<who>(?:{name}\s+){{0,4}}{name}(?:\s*/\s*[\p{{L}}\p{{N}}][\p{{L}}\p{{M}}\p{{N}}.'’& -]*?){{1,4}})\s*$"
        )
        # "Michael Conroy, AP", "David Zalubowski, STF / Associated Press" as a whole line.
        self._name_agency = regex.compile(
            rf"^(?P<who>(?:{name}\s+){{0,4}}{name},\s*(?:{ag})(?:\s*/\s*(?:{ag}))*)\s*$"
        )
        self._via = regex.compile(rf"^(?P<who>.{{1,100}}?\svia\s+(?:{ag}))\s*$")
        self._suffix = (
            regex.compile(rf"^(?P<who>.{{1,80}}?)\s+(?i:{_alternation(suffixes)})\s*$")
            if suffixes
            else None
        )
        self._agency_line = regex.compile(rf"^(?P<who>(?:{ag})(?:\s*/\s*(?:{ag}))*)\s*$")
        # "Jason Cipriani/ZDNet" as a whole line: a person's name, a slash, an outlet.
        self._name_slash = regex.compile(
            rf"^(?P<who>\p{{Lu}}[\p{{L}}'’-]+(?:\s+{name}){{1,2}}\s*/\s*{name}(?:\s+{name}){{0,2}})\s*$"
        )
        # A label word one of which must occur near the end of a labelled credit.
        self._stems = _stems((*labels, *suffixes))
        # Where a label can start: the case-folded first words of the labels.
        self._firsts = tuple(sorted({w.casefold().split()[0] for w in labels}))
        # The whole-line forms' string tests: the first characters of the agencies,
        # the last words of the suffixes.
        # A whole-line agency credit starts with an agency's name, so with the literal
        # text before the first space of one (the pattern is case-sensitive, and only a
        # space in a name becomes ``\s+``).
        self._agency_starts = tuple(sorted({a.split(" ", 1)[0] for a in agencies}))
        # A line of one agency name (no slash) is no longer than the longest name once
        # its runs of white space are collapsed.
        self._agency_chars = max(len(a) for a in agencies)
        self._suffix_ends = tuple(sorted({w.casefold().split()[-1] for w in suffixes}))
        # The same tests, cheaper. The agency starts by their first two characters
        # (a line starts with a start only if its first two characters are the
        # start's); ``None`` if a start is shorter than that.
        by_two: dict[str, list[str]] = {}
        for start in self._agency_starts:
            by_two.setdefault(start[:2], []).append(start)
        self._agency_starts_by: dict[str, tuple[str, ...]] | None = (
            {k: tuple(v) for k, v in by_two.items()}
            if all(len(a) >= 2 for a in self._agency_starts)
            else None
        )
        # The screen of many lines at once (``screen``), lower-cased. A line holding a
        # strong word may hold a labelled (a label a space may follow), copyright or
        # slashed credit; one holding a weak word (another label's stem) a labelled
        # credit only if it also holds a separator. ``None`` when a word is beyond ASCII
        # or holds the one ASCII character a caller's fold may replace ("`"): then the
        # screen cannot tell.
        strong = {*_SPACE_LABELS, "(c)", "/"}
        weak = set(self._stems) - strong
        starts = {a.lower() for a in self._agency_starts}
        every = strong | weak | starts | set(self._suffix_ends)
        plain = all(w.isascii() and "`" not in w for w in every)
        self._screen_words: tuple[tuple[str, ...], tuple[str, ...]] | None = (
            (tuple(sorted(strong)), tuple(sorted(weak))) if plain else None
        )
        self._screen_starts = tuple(sorted(starts))
        # The same by their first two characters (``None`` if a start is shorter).
        lower_two: dict[str, list[str]] = {}
        for start in self._screen_starts:
            lower_two.setdefault(start[:2], []).append(start)
        self._screen_by_two: dict[str, tuple[str, ...]] | None = (
            {k: tuple(v) for k, v in lower_two.items()}
            if all(len(a) >= 2 for a in starts)
            else None
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.labels, self.agencies, self.suffixes))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CreditRules):
            return NotImplemented
        return (self.labels, self.agencies, self.suffixes) == (
            other.labels,
            other.agencies,
            other.suffixes,
        )

    def __hash__(self) -> int:
        return hash((self.labels, self.agencies, self.suffixes))

    def __repr__(self) -> str:
        return (
            f"CreditRules({len(self.labels)} labels, {len(self.agencies)} agencies, "
            f"{len(self.suffixes)} suffixes)"
        )

    # -- the grammar -------------------------------------------------------------------

    @staticmethod
    def _name_like(who: str) -> bool:
        """Whether ``who`` reads like a credit: short, mostly names, no sentence inside."""
        words = who.split()
        if not words or len(words) > 14 or not _LETTER.search(who):
            return False
        if _INNER_SENTENCE.search(who) or who.rstrip().endswith(("?", "!")):
            return False
        lower = [
            w
            for w in words
            if w.lower().strip(",;:()") not in _CONNECTORS and w[:1].islower() and "/" not in w
        ]
        return len(lower) <= max(1, len(words) // 4)

    def _has_agency(self, who: str) -> bool:
        return bool(self._agency.search(who))

    def find(self, line: str, *, folded: str | None = None) -> Credit | None:
        """The credit that ends ``line``, or ``None``. See :func:`find_credit`.

        ``folded`` may give ``line.casefold()`` when the caller has it already (for a
        line without edge spaces of at most 300 characters; otherwise it is ignored).

        Each form of the grammar is tried only when a string test shows it could
        match: a bracketed credit needs the line to end with ``)``, a labelled one a
        label word (``photo``, ``image``, ``credit`` ...) in the last 300 characters,
        a slashed one a ``/``, the whole-line forms a short line or a comma or
        ``via``. Most lines of running text fail all of these tests and cost a few
        string operations.
        """
        text = line.rstrip()
        if not text:
            return None
        n = len(text)
        ascii_ = text.isascii()
        if text[-1] == ")":
            m = self._paren.search(text)
            if m:
                credit = self._bracketed(m)
                if credit is not None:
                    return credit
        if "(c)" in text or (not ascii_ and ("©" in text or "Ⓒ" in text)):
            m = self._copyright.search(text)
            if m and self._name_like(m.group("who")) and not _glued_sign(text, m):
                return Credit(text=m.group("who"), start=m.start(), end=n, label="©")
        raw_tail = text[-_TAIL:] if n > _TAIL else text
        # A label is followed by a separator (":", "|", "/", "by"), or is one of the
        # labels a space may follow ("Courtesy X").
        seps = "by" in raw_tail or ":" in raw_tail or "/" in raw_tail or "|" in raw_tail
        # The caller's case-folded line is this tail when the line is the tail.
        if folded is not None and raw_tail is line:
            tail = folded
        else:
            # On ASCII text casefold() is lower(), and lower() is faster.
            tail = raw_tail.lower() if ascii_ else raw_tail.casefold()
        labelled = False
        for word in self._stems if seps or "：" in raw_tail else _SPACE_LABELS:
            if word in tail:
                labelled = True
                break
        if labelled:
            for m in self._labels_at(text, tail):
                label = m.group("label")
                at_start = not text[: m.start()].strip()
                if not at_start and not label[:1].isupper():
                    continue
                who = m.group("who").strip()
                if self._name_like(who):
                    return Credit(text=who, start=m.start(), end=n, label=_clean(label))
        slash = "/" in raw_tail or (n > _TAIL and "/" in text)
        if slash:
            m = self._slash.search(text)
            if m and self._credit_slash(m.group("who")):
                return Credit(text=m.group("who").strip(), start=m.start(), end=n)
        if n > _WHOLE:
            return None
        stripped = text.lstrip()
        offset = n - len(stripped)
        # The whole-line forms, in this order; each only where a string test allows it.
        if (
            ("," in text[-_COMMA_TAIL:] or (slash and "," in text))
            and _names_before_comma(stripped)
            and self._agency_after_comma(stripped)
        ):
            credit = self._whole(self._name_agency, stripped, offset, n)
            if credit is not None:
                return credit
        if "via" in text:
            credit = self._whole(self._via, stripped, offset, n)
            if credit is not None:
                return credit
        starts = (
            self._agency_starts
            if self._agency_starts_by is None
            else self._agency_starts_by.get(stripped[:2])
        )
        if (
            starts is not None
            and stripped.startswith(starts)
            and (slash or self._agency_sized(stripped))
        ):
            credit = self._whole(self._agency_line, stripped, offset, n)
            if credit is not None:
                return credit
        if self._suffix is not None and tail.endswith(self._suffix_ends):
            credit = self._whole(self._suffix, stripped, offset, n)
            if credit is not None:
                return credit
        if slash and _names_around_slash(stripped):
            return self._whole(self._name_slash, stripped, offset, n)
        return None

    def _agency_after_comma(self, text: str) -> bool:
        """Whether an agency's name could follow the first comma of ``text`` (the names
        before it hold none), after white space: the form "Michael Conroy, AP"."""
        rest = text[text.find(",") + 1 :].lstrip()
        starts = (
            self._agency_starts
            if self._agency_starts_by is None
            else self._agency_starts_by.get(rest[:2])
        )
        return starts is not None and rest.startswith(starts)

    def screen(self, folded: str, lines: Sequence[str]) -> set[int] | None:
        """The lines that may end in a credit, of many lines at once: ``find`` gives
        ``None`` for every other (a speed path of the caption step, which asks every
        line of a text).

        Args:
            folded: ``"\\n".join(lines)``.
            lines: ASCII lines, each the lower-cased form of a line without a newline
                or edge white space, in which the characters beyond ASCII whose case
                folding holds no ASCII character may stand replaced: white space by a
                space, the others by ASCII characters that are neither letters, digits,
                white space nor ``"`"`` (``"'"``, ``"-"``, ``"?"``); and ``"`"`` by
                ``"'"``.

        Returns:
            The indices of the lines whose original may hold a credit, or ``None`` if
            the vocabulary is beyond what the screen reads (every line may).

        Every form of the grammar needs one of its string tests to pass (see
        :meth:`find`), and each test is one of the lower-cased text: a word of ASCII
        found in the case-folded line is found there (its characters come from ASCII
        characters, which stay), and ``)``, ``/``, commas, white space and the length
        stand where they stood. ``tests/test_captions_credits.py`` checks it against
        :meth:`find`.

        >>> rules = DEFAULT_CREDITS
        >>> lines = ["troops moved in at dawn on sunday.", "smoke rises. jamal saidi/reuters"]
        >>> sorted(rules.screen("\\n".join(lines), lines))
        [1]
        """
        if self._screen_words is None:
            return None
        strong, weak = self._screen_words
        lens = list(map(len, lines))
        starts = list(accumulate(map((1).__add__, lens), initial=0))
        found: set[int] = set()
        # A labelled, copyright or slashed credit: one of the words, anywhere (the
        # next line is searched from its start).
        for word in strong:
            i = folded.find(word)
            while i >= 0:
                k = bisect_right(starts, i) - 1
                found.add(k)
                i = folded.find(word, starts[k + 1])
        # A weak word needs a separator after it: ":" or "|", "by" after white space
        # ("/" is strong). The lines that hold one, then the words in them.
        seps: set[int] = set()
        for sep in _SCREEN_SEPS:
            i = folded.find(sep)
            while i >= 0:
                k = bisect_right(starts, i) - 1
                # White space other than the space comes before "by" only in a line
                # that is not printable.
                if sep == " by" or sep in ":|" or "by" in lines[k]:
                    seps.add(k)
                i = folded.find(sep, starts[k + 1])
        for k in seps - found:
            s = lines[k]
            for word in weak:
                if word in s:
                    found.add(k)
                    break
        # A bracketed credit: the line ends with ")".
        i = folded.find(")\n")
        while i >= 0:
            found.add(bisect_right(starts, i) - 1)
            i = folded.find(")\n", i + 2)
        if folded.endswith(")"):
            found.add(len(lines) - 1)
        # The whole-line forms, on lines short enough for them, each by its string test
        # of ``find``, made closer where that is cheap: "via"; names, a comma near the
        # end and an agency; an agency's name opening a line of about its size; a
        # suffix's last word closing the line.
        by_two = self._screen_by_two
        agency = self._screen_starts
        size = 4 * self._agency_chars  # an agency-sized line is no longer
        ends = self._suffix_ends
        for k in compress(range(len(lines)), map(_WHOLE.__ge__, lens)):
            if k in found:
                continue
            s = lines[k]
            if "via" in s:
                found.add(k)
                continue
            i = s.find(",")
            if i > 0 and "," in s[-_COMMA_TAIL:]:
                # The names hold no comma, so the agency follows the first one.
                rest = s[i + 1 :].lstrip()
                first = agency if by_two is None else by_two.get(rest[:2])
                if first is not None and rest.startswith(first) and _names_before_comma(s):
                    found.add(k)
                    continue
            if lens[k] <= size:
                first = agency if by_two is None else by_two.get(s[:2])
                if first is not None and s.startswith(first) and self._agency_sized(s):
                    found.add(k)
                    continue
            if ends and s.endswith(ends):
                found.add(k)
        return found

    def _whole(
        self, pattern: regex.Pattern[str], stripped: str, offset: int, n: int
    ) -> Credit | None:
        """The whole-line credit ``pattern`` finds in ``stripped``, if it reads as one."""
        m = pattern.match(stripped)
        if m and self._name_like(m.group("who")):
            return Credit(text=m.group("who").strip(), start=offset, end=n)
        return None

    def _labels_at(self, text: str, tail: str) -> Iterator[regex.Match[str]]:
        """The matches of the label form, in order: tried only where a label's first
        word starts in ``tail`` (the case-folded end of ``text``)."""
        offset = len(text) - len(tail)
        if len(tail) != min(len(text), _TAIL) or offset < 0:
            # Case folding changed the length: scan the whole line.
            yield from self._label_tail.finditer(text, overlapped=True)
            return
        # A label starts the line (edge spaces aside) or starts with a capital.
        lead = len(text) - len(text.lstrip())
        starts: set[int] = set()
        for first in self._firsts:
            i = tail.find(first)
            while i >= 0:
                at = offset + i
                if at == lead or text[at].isupper():
                    starts.add(at)
                i = tail.find(first, i + 1)
        match = self._label_tail.match
        for start in sorted(starts):
            m = match(text, start)
            if m is not None:
                yield m

    def _agency_sized(self, text: str) -> bool:
        """Whether ``text`` is short enough to be one agency's name."""
        size = self._agency_chars
        if len(text) <= size:
            return True
        return len(text) <= 4 * size and len(" ".join(text.split())) <= size

    def _bracketed(self, m: regex.Match[str]) -> Credit | None:
        inner = m.group("inner")
        head = self._label_head.match(inner)
        if head and self._name_like(head.group("who")):
            return Credit(
                text=head.group("who").strip(),
                start=m.start(),
                end=m.end(),
                label=_clean(head.group("label")),
            )
        if not self._name_like(inner) or not self._agency_ci.search(inner):
            return None
        # "(Reuters)" also closes news paragraphs; "(AP Photo)", "(X/Reuters)" name a picture.
        photo = "/" in inner or "©" in inner or self._label_word.search(inner) is not None
        strength = "photo" if photo else "agency"
        return Credit(
            text=inner.strip(), start=m.start(), end=len(m.string.rstrip()), strength=strength
        )

    def _credit_slash(self, who: str) -> bool:
        parts = [p.strip() for p in who.split("/")]
        return (
            len(parts) >= 2
            and all(parts)
            and any(self._agency.fullmatch(p) for p in parts)
            and self._name_like(who)
        )


# The string tests of ``CreditRules.find``: a whole-line credit is at most ``_WHOLE``
# characters; a label or suffix word lies within the last ``_TAIL`` characters (a
# credit is at most 14 words); the comma before an agency ("Michael Conroy, AP") within
# the last ``_COMMA_TAIL``.
_WHOLE = 240
# What separates a label from the credit in the screen's lower-cased lines: ":" or "|",
# or "by" after white space (a space, or a character that makes the line unprintable).
_SCREEN_SEPS = (":", "|", " by", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")
_TAIL = 300
_COMMA_TAIL = 48
# Labels that a space alone may separate from the credit ("Courtesy of X", "Image
# copyright X"); other labels need ":", "|", "/" or "by".
_SPACE_LABELS = ("copyright", "credit", "courtesy")


# The characters beyond ASCII a line's screen form (``screen_form``) keeps the line to
# ``find`` for: those whose case folding holds an ASCII character ("ﬁ" folds to "fi",
# "K" to "k"; ``tests/test_captions_credits.py`` checks every code point), and the
# copyright signs and the full-width colon the string tests of ``find`` look for.
_SCREEN_KEEP = (
    "\u00df\u0130\u0149\u017f\u01f0\u1e96\u1e97\u1e98\u1e99\u1e9a\u1e9e\u212a"
    "\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06\u00a9\u24b8\uff1a"
)
# White space beyond ASCII (every character ``str.isspace`` accepts lies below U+3001).
_WIDE_SPACE = regex.compile(
    "[" + "".join(c for c in map(chr, range(0x80, 0x3001)) if c.isspace()) + "]"
)


def screen_form(line: str) -> str | None:
    """The form of a stripped line without a newline that :meth:`CreditRules.screen`
    reads: lower-cased ASCII, white space beyond ASCII a space, the other characters
    beyond ASCII ``"?"``; ``None`` when the line holds a character the screen cannot
    read (one whose case folding holds an ASCII character, a copyright sign).

    >>> screen_form("Café\u00a0Noir, AP"), screen_form("© Reuters")
    ('caf? noir, ap', None)
    """
    if line.isascii():
        return line.lower()
    for char in _SCREEN_KEEP:
        if char in line:
            return None
    # Every white space but the space is unprintable.
    if not line.isprintable():
        line = _WIDE_SPACE.sub(" ", line)
    return line.encode("ascii", "replace").decode("ascii").lower()


def _glued_sign(text: str, m: regex.Match[str]) -> bool:
    """Whether the copyright sign of ``m`` is glued to the word before it and followed by
    a lower-case word: running text (``"on Monday 0© the U.S. on Monday"``, ``"section
    230(c) the law"``), not a credit.

    >>> find_credit("on Monday 0© the United States on Monday") is None
    True
    >>> find_credit("Lamps in Paris ©Getty Images").text, find_credit("Lamps 2019©Reuters").text
    ('Getty Images', 'Reuters')
    """
    start = m.start()
    return start > 0 and text[start - 1].isalnum() and m.group("who")[:1].islower()


def _names_before_comma(text: str) -> bool:
    """Whether ``text`` could start with the names of the "Michael Conroy, AP" form: its
    first comma comes after one to five words.

    The names (``[\\p{Lu}\\p{N}][\\p{L}\\p{M}\\p{N}.'’&-]*``, at most five, joined by
    ``\\s+``) hold neither a comma nor white space, so the comma the pattern needs is the
    first one and what comes before it splits into as many words as there are names
    (every character ``\\s`` matches is one ``str.split`` splits on).

    >>> _names_before_comma("Michael Conroy, AP"), _names_before_comma(", AP")
    (True, False)
    >>> _names_before_comma("The minister, who spoke on Monday, said so")
    True
    >>> _names_before_comma("Officials in the capital said on Monday, AP reported")
    False
    """
    i = text.find(",")
    # At most six pieces: there are more than five words exactly when there are six.
    return i > 0 and len(text[:i].split(None, 5)) <= 5


def _names_around_slash(text: str) -> bool:
    """Whether ``text`` could be the "Jason Cipriani/ZDNet" form: one slash, two or three
    words before it and one to three after (its names hold neither a slash nor white
    space, and every ``\\s`` is white space to ``str.split``).

    >>> _names_around_slash("Jason Cipriani/ZDNet"), _names_around_slash("Getty/AFP")
    (True, False)
    """
    i = text.find("/")
    if i < 0 or "/" in text[i + 1 :]:
        return False
    return 2 <= len(text[:i].split(None, 3)) <= 3 and 1 <= len(text[i + 1 :].split(None, 3)) <= 3


def _stems(words: Sequence[str]) -> tuple[str, ...]:
    """Words one of which every phrase of ``words`` holds (case-folded).

    One-word phrases are stems themselves; a longer phrase adds its longest word
    unless one of its words already holds a stem.

    >>> _stems(["Photo", "AP Photo", "Photograph", "Image source", "Image"])
    ('image', 'photo')
    """
    phrases = [w.casefold().split() for w in words]
    stems: set[str] = set()
    for parts in sorted(phrases, key=lambda p: (len(p), len(p[0]))):
        if not any(stem in part for part in parts for stem in stems):
            stems.add(max(parts, key=len))
    return tuple(sorted(stems))


def _clean(label: str) -> str:
    return " ".join(label.split())


def _rebuild(
    labels: Sequence[str], agencies: Sequence[str], suffixes: Sequence[str]
) -> CreditRules:
    return CreditRules(labels=labels, agencies=agencies, suffixes=suffixes)


def _load_default() -> CreditRules:
    raw = json.loads(files("newsnorm").joinpath("data/credits.json").read_text(encoding="utf-8"))
    return CreditRules(
        labels=raw["labels"], agencies=raw["agencies"], suffixes=raw.get("suffixes", ())
    )


DEFAULT_CREDITS: CreditRules = _load_default()
"""The credit grammar compiled from ``newsnorm/data/credits.json``."""


def check_credit_rules(_inst: object, _attr: object, value: object) -> None:
    """attrs validator for a step config's ``credits`` option (captions, boilerplate)."""
    if not isinstance(value, CreditRules):
        msg = f"credits must be a CreditRules, got {type(value).__name__}"
        raise ConfigError(msg)


def find_credit(line: str, *, rules: CreditRules = DEFAULT_CREDITS) -> Credit | None:
    """The credit at the end of ``line`` (or making up all of it), or ``None``.

    >>> c = find_credit("Lamps in Paris (Photo: Getty Images)")
    >>> c.text, c.label, c.strength, "Lamps in Paris (Photo: Getty Images)"[c.start:]
    ('Getty Images', 'Photo', 'photo', '(Photo: Getty Images)')
    >>> find_credit("He said so on Monday (Reuters)").strength
    'agency'
    >>> find_credit("Tottenham posted an image of Mourinho on Wednesday.") is None
    True
    """
    return rules.find(line)


def split_credit(line: str, *, rules: CreditRules = DEFAULT_CREDITS) -> tuple[str, str | None]:
    """Split ``line`` into its text and the credit that ends it.

    Returns:
        ``(text, credit)``: the line without the credit (stripped), and the credit's text,
        or ``(line.strip(), None)`` when there is no credit. A line that is only a credit
        gives ``("", credit)``.

    >>> split_credit("The road to retiring early isn't easy.Kathrin Ziegler/Getty")
    ("The road to retiring early isn't easy.", 'Kathrin Ziegler/Getty')
    >>> split_credit("Photo: Damian Dovarganes, AP")
    ('', 'Damian Dovarganes, AP')
    """
    credit = rules.find(line)
    if credit is None:
        return line.strip(), None
    return line[: credit.start].strip(), credit.text


def is_credit_line(line: str, *, rules: CreditRules = DEFAULT_CREDITS) -> bool:
    """Whether ``line`` is nothing but a credit (``"Getty Images"``, ``"Photo: X, AP"``).

    >>> is_credit_line("Image copyright Getty Images"), is_credit_line("Getty")
    (True, True)
    >>> is_credit_line("The Local")
    False
    """
    credit = rules.find(line)
    return credit is not None and not line[: credit.start].strip()
