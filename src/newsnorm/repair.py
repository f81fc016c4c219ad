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
                                                      ``do n't`` becomes ``don't``)
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
import unicodedata
from collections.abc import Callable

import attrs
import ftfy
import regex
from ftfy import TextFixerConfig, chardata
from ftfy.badness import is_bad

from newsnorm._align import Edit
from newsnorm._inputs import as_doc
from newsnorm._model import Normalized
from newsnorm._step import StepSpec
from newsnorm.errors import ConfigError

__all__ = ["NEWS_FTFY_CONFIG", "RepairConfig", "repair_text"]

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

    ftfy: bool = True
    ftfy_config: TextFixerConfig = attrs.field(default=NEWS_FTFY_CONFIG, converter=_ftfy_config)
    line_endings: bool = True
    cloudflare_email: bool = True
    email_placeholder: str = ""
    zero_width: bool = True
    odd_spaces: bool = True
    possessive_space: bool = True
    space_runs: bool = True
    edge_spaces: bool = True
    blank_lines: bool = True


# rule name -> (kind, pattern, replacement or function of the match)
_Replacement = str | Callable[["regex.Match[str]"], str]


def _blank_lines(m: regex.Match[str]) -> str:
    if m.start() == 0:
        return ""  # blank lines before the first line
    if m.end() == len(m.string):
        return "\n"  # one newline at the end, not several
    return "\n\n"


_ODD_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_RULES: dict[str, tuple[str, str, _Replacement]] = {
    "line-endings": ("line-ending", r"\r\n?", "\n"),
    "cloudflare-email": (
        "email-residue",
        rf"(?:[ \t{_ODD_SPACES}]+[-\u2013\u2014|])?[ \t{_ODD_SPACES}]*"
        rf"\[email[\s{_ODD_SPACES}]*protected\]",
        "",
    ),
    "zero-width": ("invisible-char", r"[\u200b\u2060\u00ad]+", ""),
    "odd-spaces": ("odd-space", rf"[{_ODD_SPACES}]+", " "),
    "possessive-space": (
        "tokenizer-artefact",
        r"(?<=[\p{L}\p{N}]) +(['\u2019]s|n['\u2019]t)(?![\p{L}\p{N}'\u2019])",
        lambda m: m.group(1),
    ),
    "space-runs": ("whitespace", r"(?<=\S) {2,}(?=\S)", " "),
    "edge-spaces": ("whitespace", r"(?m)^[ \t]+|[ \t]+$", ""),
    "blank-lines": ("whitespace", r"\A\n+|\n{2,}\Z|\n{3,}", _blank_lines),
}

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


def _ftfy_trigger(cfg: ftfy.TextFixerConfig) -> regex.Pattern[str]:
    """Characters on which some enabled ftfy fixer may act (besides mojibake and NFC)."""
    chars: set[int] = set(range(0x09)) | {0x0B, 0x0C, 0x0D} | set(range(0x0E, 0x20))
    chars |= set(range(0x7F, 0xA0)) | {0xFFFD, 0x1A}
    if cfg.unescape_html:
        chars.add(ord("&"))
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
    ranges = "".join(f"\\U{c:08x}" for c in sorted(chars))
    surrogates = r"\p{Cs}" if cfg.fix_surrogates else ""
    return regex.compile(f"[{ranges}{surrogates}]")


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


class _Repairer:
    """The compiled repair step."""

    def __init__(self, config: RepairConfig) -> None:
        self.config = config
        self._ftfy_cfg = config.ftfy_config
        self._trigger = _ftfy_trigger(self._ftfy_cfg)
        enabled = {name for name in _RULES if getattr(config, name.replace("-", "_"))}
        self._rules: list[tuple[str, str, regex.Pattern[str], _Replacement]] = []
        for name, (kind, pattern, repl) in _RULES.items():
            if name in enabled:
                use = config.email_placeholder if name == "cloudflare-email" else repl
                self._rules.append((f"repair.{name}", kind, regex.compile(pattern), use))
        self._line_endings = self._rules[0] if "line-endings" in enabled else None
        self._after_ftfy = [r for r in self._rules if r[0] != "repair.line-endings"]

    def __call__(self, doc: Normalized) -> Normalized:
        for _ in range(4):  # fixed point; one pass is almost always enough
            before = doc.text
            if self._line_endings is not None:
                doc = self._apply_rule(doc, *self._line_endings)
            if self.config.ftfy:
                doc = self._apply_ftfy(doc)
            for rule in self._after_ftfy:
                doc = self._apply_rule(doc, *rule)
            if doc.text == before:
                break
        return doc

    @staticmethod
    def _apply_rule(
        doc: Normalized,
        rule: str,
        kind: str,
        pattern: regex.Pattern[str],
        repl: _Replacement,
    ) -> Normalized:
        text = doc.text
        edits = []
        for m in pattern.finditer(text):
            new = repl if isinstance(repl, str) else repl(m)
            if new != m.group():
                edits.append(
                    Edit(start=m.start(), end=m.end(), replacement=new, kind=kind, rule=rule)
                )
        return doc.apply("repair", edits) if edits else doc

    def _needs_ftfy(self, text: str) -> bool:
        if self._trigger.search(text):
            return True
        if text.isascii():
            return False
        cfg = self._ftfy_cfg
        if cfg.fix_encoding and is_bad(text):
            return True
        return cfg.normalization is not None and not unicodedata.is_normalized(
            cfg.normalization, text
        )

    def _apply_ftfy(self, doc: Normalized) -> Normalized:
        text = doc.text
        if not self._needs_ftfy(text):
            return doc
        edits: list[Edit] = []
        pos = 0
        limit = self._ftfy_cfg.max_decode_length
        for line in text.splitlines(keepends=True):
            # ftfy works on lines and on segments of at most max_decode_length.
            for seg_start in range(0, len(line), limit):
                segment = line[seg_start : seg_start + limit]
                if self._needs_ftfy(segment):
                    fixed, plan = ftfy.fix_and_explain(segment, self._ftfy_cfg)
                    if fixed != segment:
                        kind = _ftfy_kind([tuple(step) for step in plan or []])  # type: ignore[misc]
                        edits.extend(_diff_edits(segment, fixed, pos + seg_start, kind))
            pos += len(line)
        return doc.apply("repair", edits) if edits else doc


def _diff_edits(old: str, new: str, offset: int, kind: str) -> list[Edit]:
    """Minimal edits turning ``old`` into ``new``, as positions ``offset`` onwards."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [
        Edit(
            start=offset + i1,
            end=offset + i2,
            replacement=new[j1:j2],
            kind=kind,
            rule="repair.ftfy",
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


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
