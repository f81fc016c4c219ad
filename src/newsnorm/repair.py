"""The repair step: ftfy with news-safe defaults, plus the artefacts of text extraction.

Rules run in this order, each recorded as :class:`~newsnorm.Change` records with
its rule id, and only when it changed something:

============================  ======================  ===============================================
rule id                       kind                    what it does
============================  ======================  ===============================================
``repair.line-endings``       ``line-ending``         ``\\r\\n`` and ``\\r`` become ``\\n``
``repair.ftfy``               from ftfy's plan        ftfy's fixes (mojibake, HTML entities, control
                                                      characters, NFC ...) on lines that need them
``repair.cloudflare-email``   ``email-residue``       drops Cloudflare's ``[email protected]`` residue
                                                      (any spaces inside) and a dash before it
``repair.zero-width``         ``invisible-char``      drops zero-width spaces, word joiners and soft
                                                      hyphens
``repair.odd-spaces``         ``odd-space``           non-breaking, thin, figure, ideographic ...
                                                      spaces become a plain space
``repair.possessive-space``   ``tokenizer-artefact``  ``World 's`` becomes ``World's`` (and
                                                      ``do n't`` becomes ``don't``, ``U.S. 's``
                                                      becomes ``U.S.'s``)
``repair.space-runs``         ``whitespace``          runs of spaces inside a line become one space
``repair.edge-spaces``        ``whitespace``          spaces and tabs at the start and end of lines go
``repair.blank-lines``        ``whitespace``          runs of blank lines become one; blank lines at
                                                      the start and extra newlines at the end go
============================  ======================  ===============================================

The rules run to a fixed point (at most a few passes), so repairing repaired
text changes nothing. Text that needs none of them comes out byte-identical.

>>> from newsnorm.repair import repair_text
>>> repair_text("TRT World 's Nicole Johnston").text
"TRT World's Nicole Johnston"
>>> repair_text("AFP/The Local - [email\\u00a0protected]").text
'AFP/The Local'
>>> repair_text("caf\\u00c3\\u00a9 \\u2018curly\\u2019").text
'café ‘curly’'
"""

from __future__ import annotations

import difflib
import operator
import re
import unicodedata
from itertools import accumulate, chain, compress, islice
from typing import Any

import attrs
import ftfy
import regex
from ftfy import TextFixerConfig, chardata
from ftfy.badness import BADNESS_RE
from ftfy.chardata import HTML_ENTITY_RE as _HTML_ENTITY

from newsnorm._align import Edit
from newsnorm._inputs import as_doc
from newsnorm._model import Normalized
from newsnorm._step import StepSpec, check_bool, check_str
from newsnorm.errors import ConfigError

__all__ = ["DENSE_EDITS", "NEWS_FTFY_CONFIG", "RepairConfig", "repair_text"]

NEWS_FTFY_CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    fix_character_width=False,
    fix_latin_ligatures=False,
    explain=True,
)
"""The ftfy options newsnorm uses. They are ftfy's defaults, except that curly quotes,
full-width characters and ligatures are kept (they are the outlet's typography, not
damage; corpus tools such as datatrove and NeMo Curator make the same choice)."""


def _ftfy_config(value: TextFixerConfig) -> TextFixerConfig:
    if not isinstance(value, TextFixerConfig):
        msg = f"ftfy_config must be an ftfy.TextFixerConfig, got {type(value).__name__}"
        raise ConfigError(msg)
    # newsnorm needs ftfy's plan to name what it changed.
    return value._replace(explain=True)


@attrs.frozen(kw_only=True)
class RepairConfig:
    """Options of the repair step. Every rule can be switched off.

    Every option is checked when the config is made: a value of the wrong type raises
    :class:`~newsnorm.errors.ConfigError`.

    Attributes:
        ftfy: Run ftfy on lines that need it (default ``True``).
        ftfy_config: ftfy's own options (default :data:`NEWS_FTFY_CONFIG`: ftfy's defaults
            but ``uncurl_quotes``, ``fix_character_width`` and ``fix_latin_ligatures`` off).
            ``unescape_html="auto"`` is decided per line (ftfy decides it once for the rest
            of the text after the first line holding ``<``).
        line_endings: Turn ``\\r\\n`` and ``\\r`` into ``\\n`` (default ``True``).
        cloudflare_email: Drop the ``[email protected]`` residue of Cloudflare's e-mail
            obfuscation (default ``True``).
        email_placeholder: What replaces that residue (default ``""``: nothing; a
            separator dash before it goes too).
        zero_width: Drop U+200B zero-width space, U+2060 word joiner and U+00AD soft
            hyphen (default ``True``). Joiners that shape scripts (U+200C, U+200D) stay.
        odd_spaces: Turn U+00A0, U+1680, U+2000-U+200A, U+202F, U+205F and U+3000 into
            a plain space (default ``True``).
        possessive_space: Join the tokenizer artefact ``" 's"`` (and ``" n't"``) to the
            word before (default ``True``).
        space_runs: Collapse runs of spaces between words into one (default ``True``).
        edge_spaces: Strip spaces and tabs at the start and end of each line
            (default ``True``).
        blank_lines: Collapse runs of blank lines into one, drop blank lines at the start
            and extra newlines at the end (default ``True``).
    """

    ftfy: bool = attrs.field(default=True, validator=check_bool)
    ftfy_config: TextFixerConfig = attrs.field(default=NEWS_FTFY_CONFIG, converter=_ftfy_config)
    line_endings: bool = attrs.field(default=True, validator=check_bool)
    cloudflare_email: bool = attrs.field(default=True, validator=check_bool)
    email_placeholder: str = attrs.field(default="", validator=check_str)
    zero_width: bool = attrs.field(default=True, validator=check_bool)
    odd_spaces: bool = attrs.field(default=True, validator=check_bool)
    possessive_space: bool = attrs.field(default=True, validator=check_bool)
    space_runs: bool = attrs.field(default=True, validator=check_bool)
    edge_spaces: bool = attrs.field(default=True, validator=check_bool)
    blank_lines: bool = attrs.field(default=True, validator=check_bool)

    @classmethod
    def ftfy_only(cls, ftfy_config: TextFixerConfig = NEWS_FTFY_CONFIG) -> RepairConfig:
        """A config that runs ftfy and none of the artefact rules.

        >>> repair_text("a\u00a0 's caf\u00c3\u00a9", config=RepairConfig.ftfy_only()).text
        "a\xa0 's café"
        """
        off: dict[str, Any] = dict.fromkeys(_ARTEFACT_RULES, False)
        return cls(ftfy=True, ftfy_config=ftfy_config, **off)


def _splitter(pattern: re.Pattern[str] | regex.Pattern[str]) -> Any:
    """``pattern`` in one more group, so that ``split`` returns every match with the text
    between matches (in C, with no match object per match)."""
    if isinstance(pattern, re.Pattern):
        return re.compile(f"({pattern.pattern})", pattern.flags)
    return regex.compile(f"({pattern.pattern})", pattern.flags)


@attrs.frozen
class _Rule:
    """One artefact rule: a pattern, what replaces a match, and a cheap pre-check.

    The rule can only match a text holding one of ``needles`` (or a match of ``probe``,
    a cheap pattern searched instead of the needles where it is faster), starting with
    one of ``prefixes`` or ending with one of ``suffixes``; other texts skip the pattern
    (C-speed substring tests).
    Simple character patterns use :mod:`re`, which scans character classes far
    faster than :mod:`regex`; patterns that need Unicode properties use :mod:`regex`.

    A match is replaced by ``replacement``, or by its group ``group`` when that is not
    0; a match at the very start of the text by ``at_start`` and one at the very end by
    ``at_end`` when those are given.
    """

    name: str
    kind: str
    pattern: re.Pattern[str] | regex.Pattern[str]
    replacement: str
    needles: tuple[str, ...]
    prefixes: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    probe: re.Pattern[str] | None = None
    group: int = 0
    at_start: str | None = None
    at_end: str | None = None
    splitter: Any = attrs.field(
        init=False, default=attrs.Factory(lambda self: _splitter(self.pattern), takes_self=True)
    )

    def may_match(self, text: str) -> bool:
        if self.prefixes and text.startswith(self.prefixes):
            return True
        if self.suffixes and text.endswith(self.suffixes):
            return True
        if self.probe is not None:
            return self.probe.search(text) is not None
        for needle in self.needles:  # noqa: SIM110 (a loop: no generator per call)
            if needle in text:
                return True
        return False

    def edits(self, text: str) -> list[Edit]:
        """The rule's edits of ``text`` (coalesced as :func:`_coalesce` does past
        :data:`DENSE_EDITS`), worked out from one ``split``: linear, and cheap per edit.
        Past :data:`DENSE_EDITS` no offset is kept per match (only per merged edit), so
        that memory stays a few pointers per match on hostile input."""
        pieces = self.splitter.split(text)
        stride = self.pattern.groups + 2  # text before a match, the match, its groups
        n = len(pieces) // stride
        if not n:
            return []
        gaps = pieces[0::stride]
        matches = pieces[1::stride]
        if self.group:
            reps = [r or "" for r in pieces[1 + self.group :: stride]]
        else:
            reps = [self.replacement] * n
        del pieces
        # A match at the very start (end) of the text has no text before (after) it.
        at_start = self.at_start is not None and not gaps[0]
        if at_start:
            reps[0] = self.at_start
        if self.at_end is not None and not gaps[n] and not (at_start and n == 1):
            reps[-1] = self.at_end
        rule = f"repair.{self.name}"
        kind = self.kind
        unchanged = any(map(operator.eq, reps, matches))
        if unchanged or n <= DENSE_EDITS:
            # The offsets of every match: the runs of the text and of the matches, summed.
            seq = [""] * (2 * n + 1)
            seq[0::2] = gaps
            seq[1::2] = matches
            offs = list(accumulate(map(len, seq), initial=0))
            if unchanged:
                # Some matches are left as they are: not edits (rare; the general way).
                spans = [
                    (offs[2 * i + 1], offs[2 * i + 2], r)
                    for i, (m, r) in enumerate(zip(matches, reps, strict=True))
                    if m != r
                ]
                return _coalesce(text, spans, kind, rule) if spans else []
            return [
                Edit(
                    start=offs[2 * i + 1], end=offs[2 * i + 2], replacement=r, kind=kind, rule=rule
                )
                for i, r in enumerate(reps)
            ]
        # Dense: matches fewer than _DENSE_GAP unchanged characters apart merge into one
        # edit (as _coalesce does). The offsets are summed run by run as the runs are
        # walked (the gaps and matches each read once), and each edit's new text is its
        # replacements joined with the text between them, in C.
        breaks = compress(range(n - 1), map(_DENSE_GAP.__le__, map(len, islice(gaps, 1, n))))
        walk_gaps, walk_matches = iter(gaps), iter(matches)
        pos = 0  # where gaps[first] starts
        edits: list[Edit] = []
        first = 0
        for last in chain(breaks, (n - 1,)):
            size = last + 1 - first
            start = pos + len(gaps[first])
            pos += sum(map(len, islice(walk_gaps, size))) + sum(
                map(len, islice(walk_matches, size))
            )
            new = chain.from_iterable(
                zip(reps[first:last], gaps[first + 1 : last + 1], strict=True)
            )
            edits.append(
                Edit(
                    start=start,
                    end=pos,
                    replacement="".join(new) + reps[last],
                    kind=kind,
                    rule=rule,
                )
            )
            first = last + 1
        return edits


_EDGE_CHARS = (" ", "\t")
_ODD_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_WS = f" \t{_ODD_SPACES}"  # (a character class body)
_ODD_SPACE_CHARS = tuple(
    "\u00a0\u1680\u202f\u205f\u3000" + "".join(chr(c) for c in range(0x2000, 0x200B))
)


_POSSESSIVE = regex.compile(
    r" (?<=(?:[\p{L}\p{N}]|\p{L}\.\p{L}\.) ) *(['\u2019]s|n['\u2019]t)(?![\p{L}\p{N}'\u2019])"
)
"""``World 's``, ``do n't``, ``U.S. 's``: spaces after a letter or digit (or after
initials) before ``'s`` or ``n't`` that no letter, digit or quote follows. It starts with
its first space, which :mod:`regex` finds faster than a lookbehind at every position; it
matches what the plain form with a lookbehind matches (a test checks it)."""

_ARTEFACT_RULES = (
    "line_endings",
    "cloudflare_email",
    "zero_width",
    "odd_spaces",
    "possessive_space",
    "space_runs",
    "edge_spaces",
    "blank_lines",
)
"""The switches of the artefact rules (every option but ftfy's)."""


def _rules(config: RepairConfig) -> list[_Rule]:
    """The enabled artefact rules, in the order they run (line endings first)."""
    rules = [
        _Rule("line-endings", "line-ending", re.compile(r"\r\n?"), "\n", ("\r",)),
        _Rule(
            "cloudflare-email",
            "email-residue",
            # ``(?:[ws]+[-–—|])?[ws]*\[email[\s]*protected\]`` (``ws``: spaces, tabs and odd
            # spaces) led by the class of its first character, so that ``re`` scans for
            # that in C rather than trying the pattern at every character (2.4x faster on
            # long texts; a test checks the two agree).
            re.compile(
                rf"[{_WS}\[](?:(?<=\[)|(?<=[{_WS}])(?:[{_WS}]*[-\u2013\u2014|])?[{_WS}]*\[)"
                rf"email[\s{_ODD_SPACES}]*protected\]"
            ),
            config.email_placeholder,
            ("protected]",),
        ),
        _Rule(
            "zero-width",
            "invisible-char",
            re.compile("[\u200b\u2060\u00ad]+"),
            "",
            ("\u200b", "\u2060", "\u00ad"),
        ),
        # ``[...][...]*``, not ``[...]+``: led by a character class, ``re`` scans for it in
        # C (3x faster on long texts).
        _Rule(
            "odd-spaces",
            "odd-space",
            re.compile(f"[{_ODD_SPACES}][{_ODD_SPACES}]*"),
            " ",
            _ODD_SPACE_CHARS,
        ),
        _Rule(
            "possessive-space",
            "tokenizer-artefact",
            _POSSESSIVE,
            "",
            (" 's", " \u2019s", " n't", " n\u2019t"),
            group=1,
        ),
        _Rule("space-runs", "whitespace", re.compile(r"(?<=\S) {2,}(?=\S)"), " ", ("  ",)),
        _Rule(
            "edge-spaces",
            "whitespace",
            re.compile(r"^[ \t]+|[ \t]+$", re.MULTILINE),
            "",
            (" \n", "\n ", "\t\n", "\n\t"),
            _EDGE_CHARS,
            _EDGE_CHARS,
            # the needles as one pattern: a newline is rarer than a space
            re.compile(r"\n(?:[ \t]|(?<=[ \t]\n))"),
        ),
        _Rule(
            "blank-lines",
            "whitespace",
            # ``\A\n+|\n{2,}\Z|\n{3,}`` led by the newline every match starts with, so
            # that ``re`` scans for it in C rather than trying each branch at every
            # character (30x faster on long texts; a test checks the two agree).
            re.compile(r"\n(?:(?<=\A\n)\n*|\n+\Z|\n\n+)"),
            "\n\n",  # one blank line between paragraphs
            ("\n\n\n",),
            ("\n",),
            ("\n\n",),
            at_start="",  # no blank lines before the first line
            at_end="\n",  # one newline at the end, not several
        ),
    ]
    return [r for r in rules if getattr(config, r.name.replace("-", "_"))]


_FTFY_KINDS = {
    "unescape_html": "html-entity",
    "fix_c1_controls": "mojibake",
    "fix_latin_ligatures": "ligature",
    "fix_character_width": "width",
    "uncurl_quotes": "quotes",
    "fix_line_breaks": "line-ending",
    "fix_surrogates": "surrogate",
    "remove_terminal_escapes": "terminal-escape",
    "remove_control_chars": "control-char",
}


def _ftfy_trigger(cfg: ftfy.TextFixerConfig) -> frozenset[str]:
    """Characters on which some enabled ftfy fixer may act (besides mojibake, HTML entities
    and NFC)."""
    chars: set[int] = set(range(0x09)) | {0x0B, 0x0C, 0x0D} | set(range(0x0E, 0x20))
    # (U+FFFD matters only to ftfy's encoding fixes, behind its mojibake heuristic.)
    chars |= set(range(0x7F, 0xA0))
    # "&" is left to _HTML_ENTITY: ftfy only unescapes what that pattern matches
    if cfg.fix_line_breaks:
        chars |= {0x2028, 0x2029, 0x85}
    if cfg.remove_control_chars:
        chars |= set(chardata.CONTROL_CHARS)
    if cfg.fix_latin_ligatures:
        chars |= set(chardata.LIGATURES)
    if cfg.fix_character_width:
        chars |= set(chardata.WIDTH_MAP)
    if cfg.uncurl_quotes:
        chars |= {0x2BC, *range(0x2018, 0x201C), *range(0x201C, 0x2020)}
    if cfg.fix_surrogates:
        chars |= set(range(0xD800, 0xE000))
    return frozenset(map(chr, chars))


def _class_body(chars: frozenset[str]) -> str:
    """The inside of a character class of ``chars`` (runs written as ranges)."""
    runs: list[list[int]] = []
    for c in sorted(map(ord, chars)):
        if runs and runs[-1][1] == c - 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    return "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in runs)


def _char_class(chars: frozenset[str]) -> re.Pattern[str]:
    """A :mod:`re` character class of ``chars``."""
    body = _class_body(chars)
    return re.compile(f"[{body}]" if body else "(?!)")


def _mojibake_alphabet() -> frozenset[str]:
    """The characters ftfy's mojibake heuristic can match: every non-ASCII character of
    ``BADNESS_RE``, with its ranges expanded. Every alternative of that pattern holds at
    least one of them (a test checks it), and none is longer than 7 characters."""
    pattern = BADNESS_RE.pattern
    chars = {c for c in pattern if ord(c) > 0x7F}
    for a, b in regex.findall(r"([^\x00-\x7f])-([^\x00-\x7f])", pattern):
        chars.update(chr(i) for i in range(ord(a), ord(b) + 1))
    return frozenset(chars)


_MOJIBAKE_SET = _mojibake_alphabet()
_MOJIBAKE_LONE = frozenset("\u0152\u0153\u00c2\u00c3" + "".join(map(chr, range(0x80, 0xA0))))
"""The characters that can make a ``BADNESS_RE`` match with no other non-ASCII character:
C1 controls, ``Œ``/``œ`` (``[Œœ][^A-Za-z]``) and ``Â``/``Ã`` (``[a-z]\\s?[ÃÂ][ ]``,
``^[ÃÂ][ ]``, ``[a-z.,?!] Â [ ]``). Every other alternative holds two of the alphabet's
characters side by side (a test checks this for every character)."""
_BADNESS_REACH = 8  # longest BADNESS_RE match (7) plus one
_MOJIBAKE_GAP = re.compile(f"[^{_class_body(_MOJIBAKE_SET)}]{{{_BADNESS_REACH}}}")


def _may_be_mojibake(text: str) -> bool:
    """``ftfy.badness.is_bad(text)`` or a superset of it, much faster on clean text.

    ftfy's heuristic is one large regex; searching it over a whole article costs more
    than everything else newsnorm does. A match needs a *seed*: one of a few lone
    characters, or two characters of the heuristic's alphabet side by side (clean news
    text has curly quotes and accents, but rarely two together). So the heuristic is
    searched only around seeds: from a seed up to the next stretch of ``_BADNESS_REACH``
    characters outside the alphabet, with that reach on either side. A window can only
    add matches, never lose one: the caller then lets ftfy decide, so results are
    ftfy's either way.
    """
    return _MOJIBAKE_SCANNER(text)


class _Scanner:
    """Whether a text holds a character of ``stop`` or may be mojibake (see
    :func:`_may_be_mojibake`), in one scan."""

    __slots__ = ("_find", "_seeds", "_stop", "_trigger")

    def __init__(self, stop: frozenset[str]) -> None:
        alphabet = _class_body(_MOJIBAKE_SET)
        self._stop = stop
        # Every character of ``stop`` or of the heuristic's alphabet: one C-speed scan
        # over clean text, which holds few of them.
        self._find = _char_class(stop | _MOJIBAKE_SET)
        # Only characters of ``stop`` and seeds: slower per character of clean text, but
        # linear in C on text dense with lone alphabet characters (a megabyte of NBSPs).
        self._seeds = re.compile(
            f"[{_class_body(stop | _MOJIBAKE_LONE)}]|[{alphabet}](?=[{alphabet}])"
        )
        self._trigger = _char_class(stop) if stop else None

    def __call__(self, text: str) -> bool:
        reach = _BADNESS_REACH
        alphabet = _MOJIBAKE_SET
        lone = _MOJIBAKE_LONE
        stop = self._stop
        trigger = self._trigger
        search = self._find.search
        alone = 0  # alphabet characters passed that were no seed
        pos = 0
        while (m := search(text, pos)) is not None:
            i = m.start()
            ch = text[i]
            if ch in stop:
                return True
            if ch not in lone and text[i + 1 : i + 2] not in alphabet:
                pos = i + 1  # an alphabet character alone: no match can hold it
                alone += 1
                if alone == 64:
                    search = self._seeds.search
                continue
            gap = _MOJIBAKE_GAP.search(text, i + 1)
            end = len(text) if gap is None else gap.start()
            # Every seed in [i, end) is within reach of this window.
            if BADNESS_RE.search(text, max(0, i - reach), end + reach) is not None:
                return True
            if trigger is not None and trigger.search(text, i + 1, end) is not None:
                return True
            pos = end
        return False


_MOJIBAKE_SCANNER = _Scanner(frozenset())


def _ftfy_kind(plan: list[tuple[str, str]]) -> str:
    kinds: list[str] = []
    for action, param in plan:
        if action in ("encode", "decode", "transcode"):
            kind = "mojibake"
        elif action == "normalize":
            kind = "unicode-normalization"
        else:
            kind = _FTFY_KINDS.get(param, "ftfy")
        if kind not in kinds:
            kinds.append(kind)
    return "+".join(kinds) or "ftfy"


_Fix = tuple[str, list[tuple[int, int, str]], str]  # kind, edits in the segment, fixed text
_UNSEEN: Any = object()  # a segment the memo has not seen


class _Repairer:
    """The compiled repair step."""

    def __init__(self, config: RepairConfig) -> None:
        self.config = config
        self._ftfy_cfg = config.ftfy_config
        cfg = self._ftfy_cfg
        stop = _ftfy_trigger(cfg)
        self._trigger = _char_class(stop)
        self._ascii_trigger = _char_class(frozenset(c for c in stop if c.isascii()))
        # One scan finds both the trigger characters and mojibake seeds.
        self._scan = _Scanner(stop) if cfg.fix_encoding else None
        self._html = bool(cfg.unescape_html)
        self._nfc = cfg.normalization
        rules = _rules(config)
        self._line_endings = [r for r in rules if r.name == "line-endings"]
        self._after_ftfy = [r for r in rules if r.name != "line-endings"]

    def __call__(self, doc: Normalized) -> Normalized:
        # ftfy's fix of each segment seen in this call (None: nothing to fix). A line
        # repeated thousands of times goes through ftfy once, and ftfy's own output is
        # known to need nothing (fix_and_explain loops until its text stops changing),
        # so a second pass does not run ftfy again on lines the other rules left alone.
        # The memo lives for this call only.
        seen: dict[str, _Fix | None] = {}
        for _ in range(4):  # fixed point; one pass is almost always enough
            before = doc.text
            for rule in self._line_endings:
                doc = self._apply_rule(doc, rule)
            if self.config.ftfy:
                doc = self._apply_ftfy(doc, seen)
            for rule in self._after_ftfy:
                doc = self._apply_rule(doc, rule)
            if doc.text == before:
                break
        return doc

    @staticmethod
    def _apply_rule(doc: Normalized, rule: _Rule) -> Normalized:
        if not rule.may_match(doc.text):
            return doc
        edits = rule.edits(doc.text)
        return doc.apply("repair", edits) if edits else doc

    def _needs_ftfy(self, text: str) -> bool:
        """Whether ftfy may change ``text`` (a superset: ftfy then decides)."""
        if self._html and "&" in text and _HTML_ENTITY.search(text) is not None:
            return True
        if text.isascii():
            return self._ascii_trigger.search(text) is not None
        if self._scan is None:
            if self._trigger.search(text) is not None:
                return True
        elif self._scan(text):
            return True
        return self._nfc is not None and not unicodedata.is_normalized(self._nfc, text)

    def _apply_ftfy(self, doc: Normalized, seen: dict[str, _Fix | None]) -> Normalized:
        text = doc.text
        if not self._needs_ftfy(text):
            return doc
        spans: list[tuple[int, int, str]] = []
        kinds: list[str] = []
        pos = 0
        limit = self._ftfy_cfg.max_decode_length
        # ftfy's result depends on the segment only (see ``seen`` in ``__call__``).
        for line in _ftfy_lines(text):
            # ftfy works on lines and on segments of at most max_decode_length.
            segments = (
                [line]
                if len(line) <= limit
                else [line[i : i + limit] for i in range(0, len(line), limit)]
            )
            offset = pos
            for segment in segments:
                fix = seen.get(segment, _UNSEEN)
                if fix is _UNSEEN:
                    fix = self._fix_segment(segment)
                    seen[segment] = fix
                    if fix is not None:
                        seen[fix[2]] = None  # ftfy's output is its own fixed point
                if fix is not None:
                    kind, diff, _fixed = fix
                    spans += [(offset + i1, offset + i2, new) for i1, i2, new in diff]
                    kinds += [kind] * len(diff)
                offset += len(segment)
            pos += len(line)
        if not spans:
            return doc
        return doc.apply("repair", _coalesce(text, spans, kinds, "repair.ftfy"))

    def _fix_segment(self, segment: str) -> _Fix | None:
        """ftfy's fix of one segment: (kind, [(start, end, replacement)], fixed text),
        or ``None`` when there is nothing to fix."""
        if not self._needs_ftfy(segment):
            return None
        fixed, plan = ftfy.fix_and_explain(segment, self._ftfy_cfg)
        if fixed == segment:
            return None
        kind = _ftfy_kind([tuple(step) for step in plan or []])  # type: ignore[misc]
        diff = [(i1, i2, fixed[j1:j2]) for i1, i2, j1, j2 in _diff_spans(segment, fixed)]
        return kind, diff, fixed


def _ftfy_lines(text: str) -> list[str]:
    """Split like ``ftfy.fix_text``: after each ``\\n`` only (not at other line breaks)."""
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def _common_run(a: str, i: int, b: str, j: int) -> int:
    """Length of the common run of ``a[i:]`` and ``b[j:]`` (slice compares, O(n log n))."""
    limit = min(len(a) - i, len(b) - j)
    step = 16
    run = 0
    while run < limit:  # gallop: double while equal
        size = min(step, limit - run)
        if a[i + run : i + run + size] != b[j + run : j + run + size]:
            break
        run += size
        step *= 2
    else:
        return run
    lo, hi = run, min(limit, run + step)  # the first difference lies in [lo, hi)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[i + lo : i + mid] == b[j + lo : j + mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


_SMALL_DIFF = 40_000  # len(old) * len(new) up to which difflib's exact diff is used
_RESYNC = 12  # how far ahead a greedy diff looks for text in common again
_ANCHOR = 4  # how many equal characters count as back in step


def _diff_spans(old: str, new: str) -> list[tuple[int, int, int, int]]:
    """Spans ``(i1, i2, j1, j2)`` where ``old[i1:i2]`` became ``new[j1:j2]``.

    Minimal (difflib) for short differing middles; for long ones a linear greedy
    diff that skips equal runs and resynchronises within a few characters (ftfy's
    fixes are local), falling back to one span for the rest when it cannot.
    """
    pre = _common_run(old, 0, new, 0)
    if pre == len(old) == len(new):
        return []
    suf = min(_common_run(old[::-1], 0, new[::-1], 0), min(len(old), len(new)) - pre)
    a, b = old[pre : len(old) - suf], new[pre : len(new) - suf]
    if not a or not b:  # a pure deletion or insertion (difflib's one opcode, in O(1))
        return [(pre, pre + len(a), pre, pre + len(b))]
    if len(a) * len(b) <= _SMALL_DIFF:
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        return [
            (pre + i1, pre + i2, pre + j1, pre + j2)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
            if tag != "equal"
        ]
    spans: list[tuple[int, int, int, int]] = []
    i = j = 0
    while i < len(a) and j < len(b):
        run = _common_run(a, i, b, j)
        i += run
        j += run
        if i >= len(a) or j >= len(b):
            break
        best: tuple[int, int] | None = None
        for total in range(1, 2 * _RESYNC + 1):
            for k in range(max(0, total - _RESYNC), min(total, _RESYNC) + 1):
                lk = total - k
                ta, tb = a[i + k : i + k + _ANCHOR], b[j + lk : j + lk + _ANCHOR]
                at_ends = i + k + len(ta) == len(a) and j + lk + len(tb) == len(b)
                if ta == tb and (len(ta) == _ANCHOR or at_ends):
                    best = (k, lk)
                    break
            if best is not None:
                break
        if best is None:
            spans.append((pre + i, pre + len(a), pre + j, pre + len(b)))
            return spans
        k, lk = best
        spans.append((pre + i, pre + i + k, pre + j, pre + j + lk))
        i += k
        j += lk
    if i < len(a) or j < len(b):
        spans.append((pre + i, pre + len(a), pre + j, pre + len(b)))
    return spans


DENSE_EDITS = 4096
"""A rule that makes more edits than this in one text has its edits of one kind that are
fewer than 64 unchanged characters apart merged into one change (the text is the same; see the
repair guide, "Linear on hostile input")."""
_DENSE_GAP = 64  # unchanged characters between edits that merge, in a dense rule


def _coalesce(
    text: str, spans: list[tuple[int, int, str]], kind: str | list[str], rule: str
) -> list[Edit]:
    """One :class:`Edit` per ``(start, end, replacement)``, or fewer on hostile input.

    ``kind`` is the kind of every edit, or a list with the kind of each. Up to
    :data:`DENSE_EDITS` edits of one rule, every edit stays its own change. Beyond that
    (a megabyte of ``"a\\u00a0"`` makes half a million), neighbouring edits of the same
    kind that are fewer than 64 unchanged characters apart merge into one edit whose
    ``before`` and ``after`` include the text between them. The output text is the same
    either way; only the changes are coarser, which keeps the cost linear and small per
    megabyte.
    """
    kinds = [kind] * len(spans) if isinstance(kind, str) else kind
    if len(spans) <= DENSE_EDITS:
        return [
            Edit(start=s, end=e, replacement=r, kind=k, rule=rule)
            for (s, e, r), k in zip(spans, kinds, strict=True)
        ]
    edits: list[Edit] = []
    start, end, _ = spans[0]
    run_kind = kinds[0]
    parts: list[str] = []
    for (s, e, r), k in zip(spans, kinds, strict=True):
        if parts and (s - end >= _DENSE_GAP or k != run_kind):
            edits.append(
                Edit(start=start, end=end, replacement="".join(parts), kind=run_kind, rule=rule)
            )
            start, parts, run_kind = s, [], k
        elif parts:
            parts.append(text[end:s])
        parts.append(r)
        end = e
    edits.append(Edit(start=start, end=end, replacement="".join(parts), kind=run_kind, rule=rule))
    return edits


def repair_text(text: str | Normalized, *, config: RepairConfig | None = None) -> Normalized:
    """Repair encoding damage and extraction artefacts; record every edit.

    Args:
        text: The article text, or the result of an earlier step.
        config: Options (default :class:`RepairConfig` ``()``).

    Returns:
        The repaired text with a :class:`~newsnorm.Change` per edit.

    Raises:
        InputTypeError: If ``text`` is neither ``str`` nor :class:`~newsnorm.Normalized`.

    >>> doc = repair_text("Price:\\u00a0$5.\\r\\n\\r\\n\\r\\nNext")
    >>> doc.text
    'Price: $5.\\n\\nNext'
    >>> sorted({c.rule for c in doc.changes})
    ['repair.blank-lines', 'repair.line-endings', 'repair.odd-spaces']
    """
    doc = as_doc(text)
    runner = _DEFAULT if config is None else _Repairer(config)
    return runner(doc)


_DEFAULT = _Repairer(RepairConfig())

STEP = StepSpec(
    name="repair",
    config_type=RepairConfig,
    compile=_Repairer,
    summary="ftfy with news-safe defaults, plus extraction artefacts",
)
