"""The boilerplate step: drop every line that is not article body, naming its kind and rule.

A line classifier judges the text line by line. It combines rules kept as data
(pattern, kind, id; shipped in ``newsnorm/data/boilerplate/``, compiled once per
runner with ``regex``) with cheap features of the line and of the lines around it
(word count, terminal punctuation, position, repetition, the rule that removed its
neighbour). Every removed line is recorded in a :class:`~newsnorm.Change` whose
``kind`` says what it was (``caption``, ``byline``, ``related`` ...) and whose ``rule``
names the rule or the feature combination that removed it; neighbouring lines removed
by one rule as one kind share one change. When in doubt, a line stays.

>>> from newsnorm.boilerplate import strip_boilerplate
>>> doc = strip_boilerplate(
...     "AFP/The Local\\n"
...     "Ministers meet in Copenhagen on Tuesday.\\n"
...     "READ ALSO: Can Denmark deliver?\\n"
...     "Officials are upbeat.\\n"
...     "Source: TRT World"
... )
>>> print(doc.text)
Ministers meet in Copenhagen on Tuesday.
Officials are upbeat.
>>> [(c.kind, c.rule) for c in doc.changes]  # doctest: +NORMALIZE_WHITESPACE
[('credit', 'boilerplate.credit-line'), ('related', 'boilerplate.related-prefix'),
 ('source', 'boilerplate.source-line')]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import accumulate, compress, groupby
from typing import Any

import attrs
import regex

from newsnorm._boilerplate_rules import (
    _WINDOW,
    KINDS,
    CompiledRules,
    LineView,
    OutletPack,
    Rule,
    load_outlet_packs,
    load_rules,
    source_key,
)
from newsnorm._credits import DEFAULT_CREDITS, CreditRules, check_credit_rules
from newsnorm._inputs import as_doc
from newsnorm._lines import LineTable, removal_edits
from newsnorm._model import Normalized, Note
from newsnorm._step import StepSpec, check_bool
from newsnorm.errors import ConfigError, InputTypeError, RecordError

__all__ = [
    "CONTEXT_RULES",
    "CREDIT_RULES",
    "DEFAULT_OUTLET_PACKS",
    "DEFAULT_RULES",
    "KINDS",
    "BoilerplateConfig",
    "BoilerplateModel",
    "OutletPack",
    "Rule",
    "learn_boilerplate",
    "line_key",
    "load_outlet_packs",
    "load_rules",
    "source_key",
    "strip_boilerplate",
]

# Rule and OutletPack are public here (docs, repr and pickles name this module).
Rule.__module__ = __name__
OutletPack.__module__ = __name__

DEFAULT_RULES: tuple[Rule, ...] = load_rules()
"""The generic rules shipped with newsnorm (``newsnorm/data/boilerplate/rules.json``)."""

DEFAULT_OUTLET_PACKS: tuple[OutletPack, ...] = load_outlet_packs()
"""The outlet packs shipped with newsnorm (``newsnorm/data/boilerplate/outlets.json``)."""

_DIGITS = regex.compile(r"\p{Nd}+")
_SPACES = regex.compile(r"\s+")


def line_key(text: str) -> str:
    """The normalised form under which lines are compared and learned.

    Case, runs of white space, edge spaces and the digits of numbers are ignored.

    >>> line_key("  Comments (12)  ") == line_key("comments (3)")
    True
    """
    return _DIGITS.sub("0", _SPACES.sub(" ", text.strip().casefold()))


def _tuple_of(value: object, kind: type[Any], what: str) -> tuple[Any, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        msg = f"{what} must be a sequence of {kind.__name__}, got {type(value).__name__}"
        raise ConfigError(msg)
    items = tuple(value)
    for item in items:
        if not isinstance(item, kind):
            msg = f"{what} must hold {kind.__name__} values, got {type(item).__name__}"
            raise ConfigError(msg)
    return items


def _rules(value: object) -> tuple[Rule, ...]:
    return _tuple_of(value, Rule, "rules")


def _extra_rules(value: object) -> tuple[Rule, ...]:
    return _tuple_of(value, Rule, "extra_rules")


def _packs(value: object) -> tuple[OutletPack, ...]:
    return _tuple_of(value, OutletPack, "outlet_packs")


def _str_set(value: object) -> frozenset[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable):
        msg = f"disabled_rules must be a set of rule ids, got {type(value).__name__}"
        raise ConfigError(msg)
    items = frozenset(value)
    if not all(isinstance(i, str) for i in items):
        msg = "disabled_rules must hold rule id strings"
        raise ConfigError(msg)
    return items


def _count_repr(counts: tuple[tuple[str, str, int], ...]) -> str:
    return f"<{len(counts)} line counts>"


@attrs.frozen(kw_only=True)
class BoilerplateModel:
    """Lines learned from a corpus as boilerplate of an outlet: explicit, picklable, mergeable.

    Made by :func:`learn_boilerplate`; used only when passed as
    ``BoilerplateConfig(model=...)``. It keeps, for every outlet (by its ``source_key``;
    ``""`` for records without one), how many documents it saw and in how many of them
    each line occurred (lines seen in a single document are not kept). A line is
    boilerplate of an outlet when it occurred in at least ``min_docs`` of its documents
    and in at least ``min_share`` of them.

    Attributes:
        by: The record field the documents were grouped by (``"source"``), or ``None``
            if all documents formed one group that applies to every outlet.
        min_docs: Least number of documents a line must occur in (default 5).
        min_share: Least share of the outlet's documents it must occur in (default 0.1).
        docs: ``(outlet key, documents seen)`` pairs, sorted.
        counts: ``(outlet key, line key, documents it occurred in)`` triples, sorted.

    >>> stories = ["Ships sank.", "Prices rose.", "Rain fell.", "Talks failed.", "Trains ran."]
    >>> records = [{"source": "The Local", "text": f"{s}\\nPlease log in to comment."}
    ...            for s in stories]
    >>> model = learn_boilerplate(records, min_docs=3)
    >>> sorted(model.lines("thelocal.se"))
    ['please log in to comment.']
    >>> (model + model).docs
    (('local', 10),)
    """

    by: str | None = "source"
    min_docs: int = 5
    min_share: float = 0.1
    docs: tuple[tuple[str, int], ...] = ()
    counts: tuple[tuple[str, str, int], ...] = attrs.field(default=(), repr=_count_repr)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.min_docs, int) or self.min_docs < 1:
            msg = f"min_docs must be a positive int, got {self.min_docs!r}"
            raise ConfigError(msg)
        if not isinstance(self.min_share, int | float) or not 0 <= self.min_share <= 1:
            msg = f"min_share must be a number in [0, 1], got {self.min_share!r}"
            raise ConfigError(msg)

    def lines(self, source: str | None) -> frozenset[str]:
        """Line keys (see :func:`line_key`) learned as boilerplate for ``source``."""
        key = "" if self.by is None or source is None else source_key(source)
        return self._table().get(key, frozenset())

    def _table(self) -> dict[str, frozenset[str]]:
        ndocs = dict(self.docs)
        table: dict[str, set[str]] = {}
        for outlet, line, count in self.counts:
            total = ndocs.get(outlet, 0)
            if count >= self.min_docs and total and count / total >= self.min_share:
                table.setdefault(outlet, set()).add(line)
        return {k: frozenset(v) for k, v in table.items()}

    def merge(self, other: BoilerplateModel) -> BoilerplateModel:
        """The model of both corpora: document and line counts are added.

        Thresholds are this model's. Lines that each part saw in only one document
        were not kept, so a merged count can be lower than one learned in one go.

        Raises:
            ConfigError: The models were grouped by different fields.
        """
        if not isinstance(other, BoilerplateModel):
            msg = f"can only merge a BoilerplateModel, got {type(other).__name__}"
            raise ConfigError(msg)
        if other.by != self.by:
            msg = f"cannot merge models grouped by {self.by!r} and {other.by!r}"
            raise ConfigError(msg)
        docs: Counter[str] = Counter(dict(self.docs))
        docs.update(dict(other.docs))
        counts: Counter[tuple[str, str]] = Counter({(o, ln): c for o, ln, c in self.counts})
        counts.update({(o, ln): c for o, ln, c in other.counts})
        return attrs.evolve(
            self,
            docs=tuple(sorted(docs.items())),
            counts=tuple(sorted((o, ln, c) for (o, ln), c in counts.items())),
        )

    __add__ = merge


def learn_boilerplate(
    records: Iterable[Mapping[str, Any] | Normalized],
    *,
    by: str | None = "source",
    text_field: str = "text",
    min_docs: int = 5,
    min_share: float = 0.1,
    min_chars: int = 4,
) -> BoilerplateModel:
    """Learn the lines that repeat across many articles of one outlet.

    Args:
        records: Mappings with the text under ``text_field`` and the outlet under ``by``,
            or :class:`~newsnorm.Normalized` results (their ``text`` and ``source``).
        by: The field to group documents by (default ``"source"``); ``None`` learns one
            group from all documents, applied whatever the source.
        text_field: The field holding the text (default ``"text"``).
        min_docs: Least number of an outlet's documents a line must occur in (default 5).
        min_share: Least share of an outlet's documents it must occur in (default 0.1).
        min_chars: Shorter lines are not learned (default 4).

    Returns:
        The :class:`BoilerplateModel`. Nothing is learned or cached anywhere else.

    Raises:
        RecordError: A record lacks its text or has a non-string text or source.

    >>> stories = ["Ships sank.", "Prices rose.", "Rain fell.", "Talks failed.", "Trains ran."]
    >>> records = [{"source": "trtworld.com", "text": f"{s}\\nSource: TRT World"} for s in stories]
    >>> sorted(learn_boilerplate(records).lines("TRT World"))
    ['source: trt world']
    """
    docs: Counter[str] = Counter()
    counts: Counter[tuple[str, str]] = Counter()
    for i, record in enumerate(records):
        if isinstance(record, Normalized):
            text: object = record.text
            source: object = record.source if by is not None else None
        elif isinstance(record, Mapping):
            if text_field not in record:
                msg = f"record {i}: no {text_field!r} field"
                raise RecordError(msg)
            text = record[text_field]
            source = record.get(by) if by is not None else None
        else:
            msg = f"record {i}: expected a mapping or a Normalized, got {type(record).__name__}"
            raise RecordError(msg)
        if not isinstance(text, str):
            msg = f"record {i}: {text_field!r} must be str, got {type(text).__name__}"
            raise RecordError(msg)
        if source is not None and not isinstance(source, str):
            msg = f"record {i}: {by!r} must be str or null, got {type(source).__name__}"
            raise RecordError(msg)
        outlet = "" if by is None or source is None else source_key(source)
        docs[outlet] += 1
        seen = {line_key(ln) for ln in text.split("\n")}
        for key in seen:
            if len(key) >= min_chars:
                counts[(outlet, key)] += 1
    return BoilerplateModel(
        by=by,
        min_docs=min_docs,
        min_share=min_share,
        docs=tuple(sorted(docs.items())),
        counts=tuple(sorted((o, ln, c) for (o, ln), c in counts.items() if c >= 2)),
    )


def _check_count(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        msg = f"{attribute.name} must be a whole number >= 0, got {value!r}"
        raise ConfigError(msg)


@attrs.frozen(kw_only=True)
class BoilerplateConfig:
    """Options of the boilerplate step.

    Attributes:
        rules: The generic rules (default :data:`DEFAULT_RULES`, from
            ``data/boilerplate/rules.json``).
        extra_rules: Your own rules, tried before the generic ones (default ``()``).
        outlet_packs: Per-outlet packs, used on top of the generic rules when the
            ``source`` matches (default :data:`DEFAULT_OUTLET_PACKS`).
        disabled_rules: Ids of rules (data rules or context rules such as
            ``"boilerplate.short-line-context"``) that must not fire (default none).
        credits: The picture-credit grammar shared with the caption step (default: the
            package's, from ``newsnorm/data/credits.json``). A line that is only a credit
            goes as ``credit`` (rule ``boilerplate.credit-line``); a line that ends with a
            picture credit goes as ``caption`` (``boilerplate.credited-caption``).
        model: A :class:`BoilerplateModel` from :func:`learn_boilerplate`; its lines are
            removed for the outlets it learned (default ``None``: nothing learned is used).
        context: Use the context rules (repeated lines, captions repeated with a credit,
            blocks of related links, teasers before "Read more", short lines beside
            boilerplate), default ``True``. Off, only the data rules apply.
        short_line_words: Longest stray line (in words) the context rule removes beside
            boilerplate (default 2).
        max_block_lines: Most teaser lines a related-links heading takes with it
            (default 16).

    >>> BoilerplateConfig(disabled_rules={"boilerplate.read-more"}).disabled_rules
    frozenset({'boilerplate.read-more'})
    """

    rules: tuple[Rule, ...] = attrs.field(default=DEFAULT_RULES, converter=_rules, repr=False)
    extra_rules: tuple[Rule, ...] = attrs.field(default=(), converter=_extra_rules)
    outlet_packs: tuple[OutletPack, ...] = attrs.field(
        default=DEFAULT_OUTLET_PACKS, converter=_packs, repr=False
    )
    disabled_rules: frozenset[str] = attrs.field(default=frozenset(), converter=_str_set)
    credits: CreditRules = attrs.field(
        default=DEFAULT_CREDITS, repr=False, validator=check_credit_rules
    )
    model: BoilerplateModel | None = attrs.field(default=None)
    context: bool = attrs.field(default=True, validator=check_bool)
    short_line_words: int = attrs.field(default=2, validator=_check_count)
    max_block_lines: int = attrs.field(default=16, validator=_check_count)

    @model.validator
    def _check_model(self, _attr: object, value: object) -> None:
        if value is not None and not isinstance(value, BoilerplateModel):
            msg = f"model must be a BoilerplateModel or None, got {type(value).__name__}"
            raise ConfigError(msg)

    def __attrs_post_init__(self) -> None:
        # A typo in a rule id would silently disable nothing.
        known = {r.id for r in (*self.rules, *self.extra_rules)}
        known.update(r.id for pack in self.outlet_packs for r in pack.rules)
        known.update(CONTEXT_RULES, CREDIT_RULES)
        unknown = sorted(self.disabled_rules - known)
        if unknown:
            msg = f"disabled_rules names unknown rule id(s): {', '.join(map(repr, unknown))}"
            raise ConfigError(msg)


# ---------------------------------------------------------------------------
# The classifier
# ---------------------------------------------------------------------------

_LETTER = regex.compile(r"\p{L}")
# Lines kept even when they look like boilerplate: section separators.
_SEPARATOR = regex.compile(r"[-_=*~#.·•\s]{3,}")
_SEPARATOR_CHARS = frozenset("-_=*~#.·•")

# Longest caption (in words, before its credit) that a picture credit removes.
_CAPTION_WORDS = 80
# A run of at least _RUN_LINES lines of at most _RUN_WORDS words without a full stop
# is a menu or a list of names, not article text.
_RUN_LINES = 6
_RUN_WORDS = 4
# Lines up to this long are case-folded whole (``LineView.low``).
_FOLDED_WHOLE = 2 * _WINDOW
# A sentence of this many words or more is running text, not read for a credit.
_PROSE_WORDS = 10
# Kinds that a caption repeated with its credit, or a stray line beside them, follow.
_CAPTION_KINDS = frozenset({"caption", "credit"})
_DASHES = ("—", "–", "-", "―")
_INNER_SENTENCE = regex.compile(r"\p{Ll}[.!?] +\p{Lu}")
_READ_MORE = regex.compile(r"(?i:(?:read|see|view) more|more)\W*")


class _Feat(LineView):
    """A line's cheap features (see ``LineView``) and the share of capitalised words."""

    __slots__ = ("_caps",)
    _caps: float

    @property
    def caps(self) -> float:
        """Share of the words (minor words aside) that start with a capital or a digit."""
        try:
            return self._caps
        except AttributeError:
            self._caps = _caps_share(self.text)
            return self._caps


_MINOR = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on"}
    | {"or", "over", "the", "to", "vs", "with"}
)


def _caps_share(text: str) -> float:
    counted = capital = 0
    for w in text.split():
        # Minor words are at most four characters long (case folding never shortens).
        if len(w) <= 4 and w.casefold() in _MINOR:
            continue
        # ``isalpha`` is "every character is a letter" (general category L*).
        if not (w.isalpha() or _LETTER.search(w)):
            continue
        counted += 1
        first = w[0] if w[0].isalnum() else next((c for c in w if c.isalnum()), "")
        if first.isupper() or first.isdigit():
            capital += 1
    return capital / counted if counted else 0.0


def _all_caps(text: str) -> bool:
    head = text[:12]
    if head.upper() != head:  # cheap reject: most lines are not in capitals
        return False
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 10 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


_NONE = ("", "")
_COUNTER = "boilerplate.gallery-counter"
# The date of a news-agency photo caption: "..., Tuesday, Nov. 19, 2019".
_CAPTION_DATE = regex.compile(
    r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,? (?:Jan|Feb|March|April|May|June|July"
    r"|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.? \d{1,2},? (?:19|20)\d\d\b"
)


def _captionlike(f: _Feat) -> bool:
    """A line before a picture credit that reads as a caption even with a full stop:
    a short line naming who or what is shown (``"Neil Gaiman and John M. Ford in
    2002."``: its words capitalised), or one dated like an agency photo caption."""
    if f.words <= 12 and f.sentence and f.caps >= 0.8:
        return True
    return f.words <= 60 and _CAPTION_DATE.search(f.text) is not None


def _in_list(feats: list[_Feat], q: int, r: int, removed: set[int]) -> bool:
    """Whether lines ``q`` and ``r`` (the next two on one side) are kept short lines
    that are not running text: items of a list."""
    n = len(feats)
    for k in (q, r):
        if not 0 <= k < n or k in removed:
            return False
        f = feats[k]
        if f.words > 6 or _body_like(f):
            return False
    return True


def _body_like(f: _Feat) -> bool:
    """A line that reads like running text: it ends a block of teasers."""
    if f.words >= 25:
        return True
    if f.end == ":" and f.words >= 4:
        return True  # it introduces what follows
    if f.end == "?":
        return f.words >= 15
    return f.sentence and f.words >= 10


class _Stripper:
    """The compiled boilerplate step."""

    def __init__(self, config: BoilerplateConfig) -> None:
        if not isinstance(config, BoilerplateConfig):
            msg = f"config must be a BoilerplateConfig, got {type(config).__name__}"
            raise ConfigError(msg)
        self.config = config
        off = config.disabled_rules
        self._generic = CompiledRules(
            r for r in (*config.extra_rules, *config.rules) if r.id not in off
        )
        self._packs: dict[str, CompiledRules] = {}
        for pack in config.outlet_packs:
            compiled = CompiledRules(r for r in pack.rules if r.id not in off)
            for key in pack.keys:
                self._packs.setdefault(key, compiled)
        model = config.model
        self._learned: dict[str, frozenset[str]] = {} if model is None else model._table()
        self._learned_global = model is not None and model.by is None
        self._off = off
        self._credits = config.credits
        self._credit_line = "boilerplate.credit-line" not in off
        self._credited_caption = "boilerplate.credited-caption" not in off
        self._learned_on = "boilerplate.learned" not in off
        self._context_on = {
            rule.removeprefix("boilerplate."): config.context and rule not in off
            for rule in CONTEXT_RULES
        }

    def __call__(self, doc: Normalized) -> Normalized:
        text = doc.text
        parts = text.split("\n")
        stripped = list(map(str.strip, parts))
        # One _Feat per distinct line: a line repeated in the text is judged once (a
        # memo local to this call). ``idx[pos]`` is the line index of ``feats[pos]``.
        # (A line is part of the text: without a double space, tab or no-break space in
        # the text, no line needs them looked for.)
        spaced = "  " in text or "\t" in text or "\u00a0" in text
        memo = {line: _Feat(line, 0, spaced) for line in dict.fromkeys(stripped) if line}
        if not memo:
            return doc
        feats = list(map(memo.__getitem__, filter(None, stripped)))
        idx = list(compress(range(len(stripped)), stripped))
        skey = source_key(doc.source) if doc.source is not None else None
        pack = self._packs.get(skey) if skey else None
        learned = self._learned.get("" if self._learned_global else (skey or ""), frozenset())
        # The verdicts of the data rules and the credit grammar, by distinct line.
        verdict: dict[_Feat, tuple[str, str]] = {}
        opening: set[_Feat] = set()
        # Lines that end with an agency credit ("... (TRT World and Agencies)"): the
        # text before it, for the caption-repeat context rule.
        tails: dict[_Feat, str] = {}
        generic = self._generic.match_view
        find_credit = self._credits.find
        for f in memo.values():
            if f.text[0] in _SEPARATOR_CHARS and _SEPARATOR.fullmatch(f.text):
                continue
            rule = pack.match_view(f) if pack is not None else None
            # A line of running text (a sentence of 10+ words) is not read for a credit:
            # picture credits do not end with a full stop.
            if rule is None and not (f.sentence and f.words >= _PROSE_WORDS and f.text[-1] != ")"):
                # Its case-folded window is the whole line up to 160 characters.
                folded = f.low if len(f.text) <= _FOLDED_WHOLE else None
                credit = find_credit(f.text, folded=folded)
                if credit is not None:
                    before = f.text[: credit.start].rstrip()
                    if not before:
                        if self._credit_line:
                            verdict[f] = ("credit", "boilerplate.credit-line")
                            continue
                    elif credit.strength != "photo":
                        tails[f] = before
                    elif self._credited_caption and before.count(" ") < _CAPTION_WORDS:
                        verdict[f] = ("caption", "boilerplate.credited-caption")
                        continue
            if rule is None:
                rule = generic(f)
            if rule is not None:
                verdict[f] = (rule.kind, rule.id)
                if rule.opens_block:
                    opening.add(f)
            elif learned and self._learned_on and line_key(f.text) in learned:
                verdict[f] = ("repeated", "boilerplate.learned")
        # decisions: position in feats -> (kind, rule)
        decided: dict[int, tuple[str, str]] = (
            {p: verdict[f] for p, f in enumerate(feats) if f in verdict} if verdict else {}
        )
        opens = {p for p, f in enumerate(feats) if f in opening} if opening else set()
        agency_tails = {p: tails[f] for p, f in enumerate(feats) if f in tails} if tails else {}
        if self.config.context:
            gaps = _removed_gaps(doc, feats, idx, parts) if doc.changes else frozenset()
            distinct = list(memo.values())
            self._context(
                feats=feats,
                distinct=distinct,
                decided=decided,
                opens=opens,
                agency_tails=agency_tails,
                gaps=gaps,
            )
        if not decided:
            return doc
        removals = dict(zip(map(idx.__getitem__, decided), decided.values(), strict=True))
        merged, joined = _merge_runs(parts, stripped, removals)
        edits = removal_edits(text, LineTable(text, merged), joined)
        notes: list[Note] = []
        if len(decided) == len(feats):
            notes.append(
                Note(
                    step="boilerplate",
                    code="all-boilerplate",
                    message=f"every line ({len(feats)}) was boilerplate; the text is now empty",
                )
            )
        if not edits and not notes:
            return doc
        return doc.apply("boilerplate", edits, notes=notes)

    def _context(
        self,
        *,
        feats: list[_Feat],
        distinct: list[_Feat],
        decided: dict[int, tuple[str, str]],
        opens: set[int],
        agency_tails: Mapping[int, str],
        gaps: frozenset[int] = frozenset(),
    ) -> None:
        """Apply the context rules. ``gaps`` holds the positions ``p`` right after a line
        an earlier line step removed (``n`` for after the last line): such a line
        counts as boilerplate beside ``p - 1`` and ``p``. ``distinct`` holds each
        line of ``feats`` once (a line repeated in the text is one object): features
        are tested on it, so each rule costs little per line on long texts."""
        n = len(feats)
        on = self._context_on
        by_rule = dict(decided)  # decisions of the data rules alone
        # 1. Lines repeated in the text: captions shown twice, or the headline repeated.
        # (A text whose lines are all distinct repeats none.)
        if (on["repeated-line"] or on["repeated-headline"]) and len(feats) > len(distinct):
            # (Equal lines are one object: counted by identity.)
            long = {f for f in distinct if f.words >= 5}
            texts = [f for f in feats if f in long] if long else []
            repeated = (
                [t for t, c in Counter(texts).items() if c > 1 and not t.text.startswith(_DASHES)]
                if len(set(texts)) < len(texts)
                else []
            )
            where: dict[_Feat, list[int]] = {t: [] for t in repeated}
            if where:
                for p, f in enumerate(feats):
                    at = where.get(f)
                    if at is not None:
                        at.append(p)
            for key in repeated:
                positions = where[key]
                first = feats[positions[0]]
                headline = positions[0] < 3 and not first.sentence
                name = "repeated-headline" if headline else "repeated-line"
                if not on[name]:
                    continue
                rule = f"boilerplate.{name}"
                if first.words > 40:
                    # A repeated paragraph: the text stays once, its copies go.
                    for p in positions[1:]:
                        decided.setdefault(p, ("repeated", rule))
                    continue
                for p in positions:
                    decided.setdefault(p, ("headline" if headline else "caption", rule))
        # 2. Teaser headlines in capitals (a kicker shouting a link to another story).
        if on["caps-teaser"]:
            caps = {f for f in distinct if f.words >= 6 and not f.sentence and _all_caps(f.text)}
            if caps:
                for p, f in enumerate(feats):
                    if f in caps and p not in decided:
                        decided[p] = ("related", "boilerplate.caps-teaser")
        # 3. A short run of title-case teaser lines after the last line of running text,
        #    right next to a line a data rule removed (a promo, a "Related" label).
        # Whether a line reads like running text, worked out once per distinct line and
        # only for the lines a rule looks at.
        body_memo: dict[_Feat, bool] = {}

        def body(f: _Feat) -> bool:
            b = body_memo.get(f)
            if b is None:
                b = body_memo[f] = _body_like(f)
            return b

        if on["tail-teasers"] and by_rule:
            last = n - 1
            while last >= 0 and (last in decided or not body(feats[last])):
                last -= 1
            if 0 <= last < n - 2:
                run = [
                    p
                    for p in range(last + 1, n)
                    if p not in decided
                    and not feats[p].terminal
                    and feats[p].words >= 3
                    and feats[p].caps >= 0.6
                ]
                contiguous = bool(run) and run[-1] - run[0] == len(run) - 1
                beside = bool(run) and (run[0] - 1 in by_rule or run[-1] + 1 in by_rule)
                if 2 <= len(run) <= 6 and contiguous and beside:
                    for p in run:
                        decided[p] = ("related", "boilerplate.tail-teasers")
        # A long run of short lines without a full stop (menus, staff lists, tag clouds):
        # no paragraph of an article is written like that.
        if on["short-line-run"]:
            shorts = {f for f in distinct if f.words <= _RUN_WORDS and not f.terminal}
            flags = list(map(shorts.__contains__, feats)) if shorts else []
            # (A run needs that many short lines in the text.)
            if flags.count(True) >= _RUN_LINES:
                run_start = 0
                for short, group in groupby(flags):
                    size = len(list(group))
                    if short and size >= _RUN_LINES:
                        # decided.setdefault for each line of the run, in one go.
                        fresh = dict.fromkeys(
                            range(run_start, run_start + size),
                            ("navigation", "boilerplate.short-line-run"),
                        )
                        for q in fresh.keys() & decided.keys():
                            fresh[q] = decided[q]
                        decided.update(fresh)
                    run_start += size
        if not by_rule and not agency_tails and not gaps:
            return  # the other context rules start from lines the data rules removed
        # 4. A caption shown bare and again with its credit appended.
        if on["caption-repeat"] and agency_tails:
            # An agency credit closes news paragraphs too: the line is a caption only
            # when its text also stands bare nearby.
            for p, before in agency_tails.items():
                if p in decided or len(before) < 20:
                    continue
                bare = [
                    q
                    for q in range(max(0, p - 3), min(n, p + 4))
                    if q != p and q not in decided and feats[q].text == before
                ]
                if bare:
                    for q in (p, *bare):
                        decided[q] = ("caption", "boilerplate.caption-repeat")
        if on["caption-repeat"]:
            for p, (kind, _rule) in by_rule.items():
                if kind not in _CAPTION_KINDS:
                    continue
                full = feats[p].text
                for q in range(max(0, p - 3), min(n, p + 4)):
                    if q == p or q in decided:
                        continue
                    other = feats[q].text
                    if len(other) >= 20 and full.startswith(other) and len(full) > len(other):
                        decided[q] = ("caption", "boilerplate.caption-repeat")
        # 5. A related-links heading takes the teaser lines after it.
        if on["related-block"]:
            for p in sorted(opens):
                taken = 0
                q = p + 1
                while q < n and taken < self.config.max_block_lines:
                    if q not in decided:
                        if _body_like(feats[q]):
                            break
                        decided[q] = ("related", "boilerplate.related-block")
                    taken += 1
                    q += 1
        # 6. A teaser line right before a bare "Read more".
        if on["teaser-before-read-more"]:
            for p, (kind, _rule) in by_rule.items():
                if kind != "related" or p == 0 or not _READ_MORE.fullmatch(feats[p].text):
                    continue
                prev = feats[p - 1]
                if p - 1 not in decided and not prev.terminal and 3 <= prev.words <= 25:
                    decided[p - 1] = ("related", "boilerplate.teaser-before-read-more")
        # 7. A caption right before its credit line: one without a full stop (a body
        #    line before a credit has one), or one that reads as a caption whatever
        #    its end (see ``_captionlike``).
        if on["caption-before-credit"]:
            for p, (kind, rule) in by_rule.items():
                if p == 0 or p - 1 in decided:
                    continue
                credit = kind == "credit" and feats[p].words <= 8
                if not credit and rule != "boilerplate.credited-caption":
                    continue
                prev = feats[p - 1]
                if not (4 <= prev.words <= 60 or (credit and prev.words >= 2 and prev.sentence)):
                    continue
                after_counter = p >= 2 and by_rule.get(p - 2, _NONE)[1] == _COUNTER
                if (
                    (credit and not prev.terminal and prev.words >= 4)
                    or (credit and after_counter)
                    or _captionlike(prev)
                ):
                    decided[p - 1] = ("caption", "boilerplate.caption-before-credit")
        # 8. A short title-like line between two boilerplate lines (gallery titles,
        #    headlines between a dateline and a byline).
        # The positions no rule has removed yet, in order (the rules below look only
        # at those, and each removes only the line it looks at).
        undecided = sorted(set(range(n)).difference(decided))
        if on["sandwiched-line"]:
            snapshot = set(decided)
            # Only a line right after a removed line (or a gap) can be sandwiched: those
            # are looked at (each verdict depends on the snapshot alone, not on order).
            after = {q + 1 for q in snapshot}.union(gaps).difference(snapshot)
            for p in sorted(after):
                if p >= n or p in decided:
                    continue
                if not (p + 1 in snapshot or p + 1 in gaps):
                    continue
                f = feats[p]
                if f.sentence or f.words > 25 or _SEPARATOR.fullmatch(f.text):
                    continue
                decided[p] = ("stray", "boilerplate.sandwiched-line")
        # 9. Title-like lines at the top, before the first line of running text, when
        #    boilerplate was found there too (section label, headline, kicker).
        if on["header-zone"]:
            undecided = [p for p in undecided if p not in decided]
            top = next((p for p in undecided if body(feats[p])), n)
            if by_rule and min(by_rule) < top:
                for p in undecided:
                    if p >= top:
                        break
                    f = feats[p]
                    if (
                        p in decided
                        or f.sentence
                        or f.words > 25
                        or _INNER_SENTENCE.search(f.text)
                        or _SEPARATOR.fullmatch(f.text)
                    ):
                        continue
                    kind = "headline" if f.words >= 4 else "navigation"
                    decided[p] = (kind, "boilerplate.header-zone")
        # 10. Stray short lines beside boilerplate: section names, credits, labels.
        if on["short-line-context"]:
            snapshot = set(decided)
            limit = self.config.short_line_words
            # Only the lines beside a removed line (or a gap) are looked at.
            near = {q + d for q in snapshot.union(gaps) for d in (-1, 1)}
            near.update(gaps)
            for p in sorted(near.intersection(undecided)):
                f = feats[p]
                if f.words > limit or f.terminal or p in decided:
                    continue
                left = p - 1 in snapshot or p in gaps
                right = p + 1 in snapshot or p + 1 in gaps
                if not (left or right) or _SEPARATOR.fullmatch(f.text):
                    continue
                # A short line beside boilerplate on one side and kept short lines on
                # the other heads (or ends) a list that stays: a fact box, not a stray.
                if not right and _in_list(feats, p + 1, p + 2, snapshot):
                    continue
                if not left and _in_list(feats, p - 1, p - 2, snapshot):
                    continue
                decided[p] = ("stray", "boilerplate.short-line-context")


# Steps that remove whole lines: their removals are boilerplate neighbours for the
# context rules.
_LINE_STEPS = frozenset({"captions", "boilerplate"})


def _removed_gaps(
    doc: Normalized, feats: list[_Feat], idx: list[int], parts: list[str]
) -> frozenset[int]:
    """Positions ``p`` such that an earlier line step removed a line right before
    ``feats[p]`` (``len(feats)``: after the last line)."""
    removed = sorted((c.start, c.end) for c in doc.changes if c.step in _LINE_STEPS and not c.after)
    n = len(feats)
    if not removed or not n:
        return frozenset()
    starts = list(accumulate(map((1).__add__, map(len, parts)), initial=0))
    bounds: dict[int, tuple[int, int]] = {}

    def bound(g: int) -> tuple[int, int]:
        # The input span of feats[g], mapped only for the lines looked at.
        b = bounds.get(g)
        if b is None:
            raw = parts[idx[g]]
            start = starts[idx[g]] + (len(raw) - len(raw.lstrip()))
            b = bounds[g] = doc.to_original(start, start + len(feats[g].text))
        return b

    def holds(g: int, cs: int, ce: int) -> bool:
        lo = bound(g - 1)[1] if g > 0 else 0
        hi = bound(g)[0] if g < n else len(doc.original)
        return lo <= cs and ce <= hi

    gaps: set[int] = set()
    for cs, ce in removed:
        # The first line that starts at or after the removed span ends: the gap before
        # it is the one the span lies in (input spans of lines grow with their order).
        lo, hi = 0, n
        while lo < hi:
            mid = (lo + hi) // 2
            if bound(mid)[0] >= ce:
                hi = mid
            else:
                lo = mid + 1
        for g in (lo - 1, lo, lo + 1):
            if 0 <= g <= n and g not in gaps and holds(g, cs, ce):
                gaps.add(g)
    return frozenset(gaps)


def _merge_runs(
    parts: list[str], stripped: list[str], removals: dict[int, tuple[str, str]]
) -> tuple[list[str], dict[int, tuple[str, str]]]:
    """Join each run of removed lines with the same kind and rule (blank lines between
    them aside) into one line, so that the run becomes one edit: the lines and the
    removals in the joined numbering. ``stripped`` holds the lines stripped.

    A run that follows a kept line does not take a blank line: the first blank line
    after a kept line is the one ``removal_edits`` keeps as a paragraph break, so the
    text comes out the same as with one edit per line.
    """
    if len(removals) < 2:
        return parts, removals
    keys = sorted(removals)
    # nonblank[i]: how many of the lines before line i are not blank (made when needed).
    nonblank: list[int] = []
    runs: list[tuple[int, int]] = []
    # Lines in order with the same kind and rule, then split where a run must end.
    for _kr, same in groupby(keys, key=removals.__getitem__):
        group = list(same)
        first, last = group[0], group[-1]
        if last - first == len(group) - 1:  # one block of lines
            runs.append((first, last))
            continue
        if not nonblank:
            nonblank = list(accumulate(map(bool, stripped), initial=0))
        if nonblank[last] - nonblank[first] == len(group) - 1:
            # Only blank lines between them: one run, or two if the first line follows
            # a kept line (its run stops at the first blank line).
            if first == 0 or not stripped[first - 1]:
                runs.append((first, last))
                continue
            k = 1
            while group[k] == group[k - 1] + 1:
                k += 1
            runs.append((first, group[k - 1]))
            runs.append((group[k], last))
            continue
        first = last = group[0]
        bridge = first == 0 or not stripped[first - 1]
        for k in group[1:]:
            if k == last + 1 or (bridge and nonblank[k] - nonblank[last] == 1):
                last = k
                continue
            runs.append((first, last))
            first = last = k
            bridge = not stripped[k - 1]
        runs.append((first, last))
    if len(runs) == len(keys):
        return parts, removals
    merged: list[str] = []
    joined: dict[int, tuple[str, str]] = {}
    pos = 0  # next line of ``parts`` not yet copied
    for first, last in runs:
        merged.extend(parts[pos:first])
        joined[len(merged)] = removals[first]
        merged.append(parts[first] if first == last else "\n".join(parts[first : last + 1]))
        pos = last + 1
    merged.extend(parts[pos:])
    return merged, joined


CREDIT_RULES: tuple[str, ...] = ("boilerplate.credit-line", "boilerplate.credited-caption")
"""Ids of the removals the shared credit grammar makes (see ``BoilerplateConfig.credits``)."""

CONTEXT_RULES: tuple[str, ...] = (
    "boilerplate.repeated-line",
    "boilerplate.repeated-headline",
    "boilerplate.caps-teaser",
    "boilerplate.tail-teasers",
    "boilerplate.short-line-run",
    "boilerplate.caption-repeat",
    "boilerplate.related-block",
    "boilerplate.teaser-before-read-more",
    "boilerplate.caption-before-credit",
    "boilerplate.sandwiched-line",
    "boilerplate.header-zone",
    "boilerplate.short-line-context",
)
"""Ids of the context rules, in the order they run (see the user guide)."""


def strip_boilerplate(
    text: str | Normalized,
    *,
    source: str | None = None,
    config: BoilerplateConfig | None = None,
) -> Normalized:
    """Remove every line that is not article body; record its kind and rule.

    Args:
        text: The article text, or the result of an earlier step.
        source: The outlet (``"TRT World"``, ``"trtworld.com"``); selects its outlet pack
            and its learned lines. Given a :class:`~newsnorm.Normalized`, its own
            ``source`` is used unless this is set.
        config: Options (default :class:`BoilerplateConfig` ``()``).

    Returns:
        The text without its boilerplate lines, a :class:`~newsnorm.Change` per removed
        line or run of neighbouring lines removed by one rule (``kind`` and ``rule`` say
        why). A text that is all boilerplate comes out empty, with a note
        ``all-boilerplate``.

    Raises:
        InputTypeError: ``text`` is neither ``str`` nor :class:`~newsnorm.Normalized`,
            or ``source`` is not a string.
        ConfigError: ``config`` is not a :class:`BoilerplateConfig`.

    >>> doc = strip_boilerplate("Photo: Jamal Saidi/Reuters\\nPlease log in to leave a comment.")
    >>> doc.text, [n.code for n in doc.notes]
    ('', ['all-boilerplate'])
    """
    if config is not None and not isinstance(config, BoilerplateConfig):
        msg = f"config must be a BoilerplateConfig, got {type(config).__name__}"
        raise ConfigError(msg)
    if not isinstance(text, str | Normalized):
        msg = f"text must be str or Normalized, got {type(text).__name__}"
        raise InputTypeError(msg)
    doc = as_doc(text, source=source)
    runner = _DEFAULT if config is None else _Stripper(config)
    return runner(doc)


_DEFAULT = _Stripper(BoilerplateConfig())

STEP = StepSpec(
    name="boilerplate",
    config_type=BoilerplateConfig,
    compile=_Stripper,
    summary="drop captions, credits, bylines, prompts, related links and other non-body lines",
)
