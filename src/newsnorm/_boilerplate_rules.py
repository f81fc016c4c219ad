"""Boilerplate rules as data: loading, checking and compiling them; matching outlet names.

Private to :mod:`newsnorm.boilerplate`; the public names are re-exported there.
"""

from __future__ import annotations

import json
import operator
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import Any

import attrs
import regex

from newsnorm.errors import ConfigError, TableError

__all__ = [
    "KINDS",
    "CompiledRules",
    "LineView",
    "OutletPack",
    "Rule",
    "load_outlet_packs",
    "load_rules",
    "source_key",
]

KINDS: frozenset[str] = frozenset(
    {
        "advertisement",
        "byline",
        "caption",
        "comments",
        "contact",
        "copyright",
        "credit",
        "headline",
        "navigation",
        "newsletter",
        "related",
        "repeated",
        "share",
        "source",
        "stray",
        "timestamp",
    }
)
"""Every kind of boilerplate line the step names."""

_WHERE = ("line", "start", "end")
_EDGE = 32  # prefix and suffix gates look at this many characters at each end of a line
_WINDOW = 80  # contains gates look at this many characters at each end of a long line


def _check_where(_inst: object, _attr: object, value: str) -> None:
    if value not in _WHERE:
        msg = f"where must be one of {', '.join(_WHERE)}, got {value!r}"
        raise ConfigError(msg)


def _check_kind(_inst: object, _attr: object, value: str) -> None:
    if value not in KINDS:
        msg = f"kind must be one of {', '.join(sorted(KINDS))}, got {value!r}"
        raise ConfigError(msg)


def _lower_tuple(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)
    items = tuple(value)
    if not all(isinstance(v, str) and 0 < len(v) <= _EDGE for v in items):
        msg = f"gates must be strings of 1 to {_EDGE} characters, got {items!r}"
        raise ConfigError(msg)
    return tuple(v.casefold() for v in items)


@attrs.frozen(kw_only=True)
class Rule:
    """One boilerplate rule: a pattern, the kind of line it finds, and its id.

    Attributes:
        id: The rule id every removal it makes carries (``"boilerplate.source-line"``).
        kind: The kind of boilerplate (one of ``KINDS``: ``"caption"``, ``"byline"``, ...).
        pattern: A pattern in the syntax of the ``regex`` module, without capturing groups
            (use ``(?:...)``); it is tried against the line with its edge spaces stripped.
        where: ``"line"`` (the whole line must match, the default), ``"start"`` (the pattern
            matches at the start of the line) or ``"end"`` (it matches at the end).
        max_words: The rule only applies to lines of at most this many words
            (default ``None``: any length).
        prefixes: Gate (default none): the rule is only tried on lines whose case-folded
            text starts with one of these strings.
        suffixes: Gate (default none): ... ends with one of these (trailing spaces aside).
        contains: Gate (default none): ... contains one of these (in a line of more than
            160 characters, within its first or last 80 characters).
        unterminated: Gate (default ``False``): only lines that do not end with
            ``.``, ``!``, ``?`` or ``…`` (closing quotes and brackets aside).
        opens_block: The line heads a block of related links; the teaser lines after it go
            with it (default ``False``).
        case: Match case-sensitively (default ``False``: case is ignored).

    Gates save time: most lines are turned away by a string test before any pattern
    runs. A gate narrower than the pattern narrows the rule.

    >>> Rule(id="my.paywall", kind="newsletter", pattern="subscribe to read")
    Rule(id='my.paywall', kind='newsletter', pattern='subscribe to read', where='line', ...)
    """

    id: str
    kind: str = attrs.field(validator=_check_kind)
    pattern: str
    where: str = attrs.field(default="line", validator=_check_where)
    max_words: int | None = None
    prefixes: tuple[str, ...] = attrs.field(default=(), converter=_lower_tuple)
    suffixes: tuple[str, ...] = attrs.field(default=(), converter=_lower_tuple)
    contains: tuple[str, ...] = attrs.field(default=(), converter=_lower_tuple)
    unterminated: bool = False
    opens_block: bool = False
    case: bool = False

    def check(self) -> None:
        """Check that the pattern compiles on its own and has no capturing groups.

        Raises:
            TableError: The pattern does not compile or has capturing groups.

        >>> Rule(id="x", kind="stray", pattern="(a)").check()
        Traceback (most recent call last):
        ...
        newsnorm.errors.TableError: rule 'x': pattern must not have capturing groups (use (?:...))
        """
        self._compiled()

    def _compiled(self) -> regex.Pattern[str]:
        try:
            compiled = regex.compile(self._source())
        except regex.error as err:
            msg = f"rule {self.id!r}: bad pattern {self.pattern!r}: {err}"
            raise TableError(msg) from None
        if compiled.groups:
            msg = f"rule {self.id!r}: pattern must not have capturing groups (use (?:...))"
            raise TableError(msg)
        return compiled

    def _source(self) -> str:
        body = self.pattern if self.case else f"(?i:{self.pattern})"
        if self.where == "end":
            return f"(?r)(?:{body})\\s*\\Z"
        return body


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _rule_tuple(value: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class OutletPack:
    """Rules for one outlet, used on top of the generic rules when ``source`` matches.

    Attributes:
        name: The outlet's display name.
        names: Every name and domain it is known by; matched loosely (see ``source_key``).
        rules: Its rules.

    >>> pack = OutletPack(name="Example News", names=("Example News", "example.com"), rules=())
    >>> pack.matches("www.example.com"), pack.matches("EXAMPLE NEWS"), pack.matches("other")
    (True, True, False)
    """

    name: str
    names: tuple[str, ...] = attrs.field(converter=_str_tuple)
    rules: tuple[Rule, ...] = attrs.field(converter=_rule_tuple, default=())

    @property
    def keys(self) -> frozenset[str]:
        """The loose keys of its names."""
        return frozenset(k for k in map(source_key, (self.name, *self.names)) if k)

    def matches(self, source: str | None) -> bool:
        """Whether ``source`` names this outlet."""
        return source is not None and source_key(source) in self.keys


_SCHEME = regex.compile(r"^[a-z][a-z0-9+.-]*://")
_PARENS = regex.compile(r"\([^)]*\)")
_NON_ALNUM = regex.compile(r"[^\p{L}\p{N}]+")


def source_key(source: str) -> str:
    """A loose key for an outlet name or domain, so that spellings of one outlet meet.

    Case, spaces, punctuation, parentheses, a leading "the", a URL's scheme and
    path, ``www.`` and the domain ending are ignored.

    >>> [source_key(s) for s in ("TRT World", "trtworld.com", "https://www.trtworld.com/mea/x")]
    ['trtworld', 'trtworld', 'trtworld']
    >>> source_key("The Local (AFP)"), source_key("thelocal.dk"), source_key("Cipher Brief")
    ('local', 'local', 'cipherbrief')
    """
    text = source.strip().casefold()
    text = _SCHEME.sub("", text)
    if " " not in text and "." in text:
        host = text.split("/", 1)[0]
        host = host.removeprefix("www.")
        text = host.split(".", 1)[0]
    text = _PARENS.sub(" ", text)
    key = _NON_ALNUM.sub("", text)
    if key.startswith("the") and len(key) > 5:
        key = key[3:]
    return key


def _rule_from(entry: object, where: str) -> Rule:
    if not isinstance(entry, Mapping):
        msg = f"{where}: a rule must be an object, got {type(entry).__name__}"
        raise TableError(msg)
    known = {f.name for f in attrs.fields(Rule)}
    unknown = sorted(set(entry) - known)
    if unknown:
        msg = f"{where}: unknown field(s) {', '.join(unknown)} in rule {entry.get('id')!r}"
        raise TableError(msg)
    try:
        rule = Rule(**entry)
    except (TypeError, ConfigError) as err:
        msg = f"{where}: bad rule {entry.get('id')!r}: {err}"
        raise TableError(msg) from None
    rule.check()
    return rule


def _read_json(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        msg = f"{where}: not valid JSON: {err}"
        raise TableError(msg) from None


def load_rules(text: str | None = None, *, name: str = "rules.json") -> tuple[Rule, ...]:
    """Rules from a JSON rule file (``{"rules": [...]}``); the shipped ones by default.

    Args:
        text: The file's text; ``None`` reads the generic rules shipped with newsnorm.
        name: The file's name, for error messages.

    Raises:
        TableError: The file is not valid JSON, or a rule is malformed (the message
            names the file and the rule).

    >>> rules = load_rules()
    >>> rules[0].id
    'boilerplate.advertisement'
    >>> load_rules('{"rules": [{"id": "x", "kind": "nope", "pattern": "a"}]}', name="mine.json")
    Traceback (most recent call last):
    ...
    newsnorm.errors.TableError: mine.json rule 1: bad rule 'x': kind must be one of ...
    """
    entries = _entries(text, name, key="rules", default="rules.json")
    rules = tuple(_rule_from(e, f"{name} rule {i}") for i, e in enumerate(entries, 1))
    _check_unique(rules, name)
    return rules


def _entries(text: str | None, name: str, *, key: str, default: str) -> list[Any]:
    """The list under ``key`` of a JSON object (the shipped file ``default`` when
    ``text`` is ``None``)."""
    data = _read_json(_data(default) if text is None else text, name)
    entries = data.get(key) if isinstance(data, Mapping) else None
    if not isinstance(entries, list):
        msg = f"{name}: expected an object with a list under {key!r}"
        raise TableError(msg)
    return entries


def load_outlet_packs(
    text: str | None = None, *, name: str = "outlets.json"
) -> tuple[OutletPack, ...]:
    """Outlet packs from a JSON file (``{"outlets": [...]}``); the shipped ones by default.

    Raises:
        TableError: The file or one of its packs is malformed.

    >>> [p.name for p in load_outlet_packs()]
    ['TRT World', 'The Local', 'Kurdistan 24', 'The Cipher Brief']
    """
    entries = _entries(text, name, key="outlets", default="outlets.json")
    packs: list[OutletPack] = []
    for i, entry in enumerate(entries, 1):
        where = f"{name} outlet {i}"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
            msg = f"{where}: an outlet must be an object with a 'name'"
            raise TableError(msg)
        names = entry.get("names", [])
        rules = entry.get("rules", [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            msg = f"{where}: 'names' must be a list of strings"
            raise TableError(msg)
        if not isinstance(rules, list):
            msg = f"{where}: 'rules' must be a list"
            raise TableError(msg)
        packs.append(
            OutletPack(
                name=entry["name"],
                names=tuple(names),
                rules=tuple(_rule_from(r, f"{where} rule {j}") for j, r in enumerate(rules, 1)),
            )
        )
    return tuple(packs)


def _check_unique(rules: Sequence[Rule], name: str) -> None:
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            msg = f"{name}: duplicate rule id {rule.id!r}"
            raise TableError(msg)
        seen.add(rule.id)


def _data(filename: str) -> str:
    return (
        resources.files("newsnorm")
        .joinpath("data", "boilerplate", filename)
        .read_text(encoding="utf-8")
    )


_SENTENCE_END = frozenset(".!?…")


_CLOSE = "\"”’'»)]"
_TERMINAL = frozenset(".!?…:;")


class LineView:
    """One stripped, non-blank line with the cheap features the rules need.

    ``index`` is its place among the lines of its text; ``terminal`` says whether it
    ends with punctuation or a closing quote or bracket; ``end`` is its last character
    before closing quotes and brackets, and ``sentence`` whether that is ``.``, ``!``,
    ``?`` or ``…``. ``head`` and ``tail`` (the case-folded first and last ``_EDGE``
    characters) and ``low`` (the whole line case-folded) are made only when a gate
    needs them. ``spaced=False`` promises that the line holds no double space, tab or
    no-break space (its words are then counted by its spaces without looking).
    """

    __slots__ = (
        "_head",
        "_low",
        "_tail",
        "end",
        "index",
        "sentence",
        "terminal",
        "text",
        "words",
    )

    def __init__(self, text: str, index: int = 0, spaced: bool = True) -> None:
        self.text = text
        self.index = index
        # ``spaced=False`` promises that the line holds none of "  ", tab, no-break
        # space (the caller looked once for all its lines).
        if spaced and ("  " in text or "\t" in text or "\u00a0" in text):
            self.words = len(text.split())
        else:
            self.words = text.count(" ") + 1
        last = text[-1]
        if last in _CLOSE:
            self.terminal = True
            core = text.rstrip(_CLOSE)
            self.end = core[-1] if core else ""
        else:
            self.terminal = last in _TERMINAL
            self.end = last
        self.sentence = self.end in _SENTENCE_END
        self._head: str | None = None
        self._tail: str | None = None
        self._low: str | None = None

    def _fold(self) -> str:
        """Make ``low``, and ``head`` and ``tail`` from it when case folding kept every
        character one character long (then the case-folded edges of the line are the
        edges of its case-folded window: one ``casefold`` call instead of three)."""
        text = self.text
        window = f"{text[:_WINDOW]}\n{text[-_WINDOW:]}" if len(text) > 2 * _WINDOW else text
        low = self._low = window.casefold()
        if len(low) == len(window):
            self._head = low[:_EDGE]
            self._tail = low[-_EDGE:]
        return low

    @property
    def head(self) -> str:
        """The first ``_EDGE`` characters, case-folded."""
        if self._head is None:
            self._head = self.text[:_EDGE].casefold()
        return self._head

    @property
    def tail(self) -> str:
        """The last ``_EDGE`` characters, case-folded."""
        if self._tail is None:
            self._tail = self.text[-_EDGE:].casefold()
        return self._tail

    @property
    def low(self) -> str:
        """The line case-folded: the whole of it up to ``2 * _WINDOW`` characters, else
        its first and last ``_WINDOW`` characters (joined by a newline)."""
        low = self._low
        return self._fold() if low is None else low


class CompiledRules:
    """A set of rules compiled once, bucketed by word count, tried in order.

    ``match(text, words)`` returns the first rule (in the given order) that matches
    ``text`` (a stripped line of ``words`` words), or ``None``. Rules are tried one by
    one (``regex`` gains nothing from one big alternation), and only when their gates
    and word limit let the line through; the gates of a bucket are checked together
    first, so a line of running text costs a handful of string tests.
    """

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules: tuple[Rule, ...] = tuple(rules)
        limits = sorted({r.max_words for r in self.rules if r.max_words is not None})
        compiled = [_Compiled(order, r) for order, r in enumerate(self.rules)]
        buckets: list[_Bucket] = []
        for b in range(len(limits) + 1):
            floor = limits[b - 1] + 1 if b > 0 else 0
            chosen = [c for c in compiled if c.max_words is None or c.max_words >= floor]
            buckets.append(_Bucket(chosen))
        # The bucket of every word count up to the largest limit; longer lines share the last.
        table: list[_Bucket] = []
        for words in range((limits[-1] if limits else 0) + 2):
            b = next((i for i, limit in enumerate(limits) if words <= limit), len(limits))
            table.append(buckets[b])
        self._table = tuple(table)
        self._last = len(table) - 1

    def may_match(self, line: LineView) -> bool:
        """Whether any rule could match ``line``: the gates alone, no pattern runs.

        It is the same test as :meth:`match` makes before any pattern runs, written
        without allocations: most lines stop here.

        >>> rules = CompiledRules(load_rules())
        >>> rules.may_match(LineView("Advertisement")), rules.may_match(LineView("Rain fell."))
        (True, False)
        """
        words = line.words
        bucket = self._table[words if words < self._last else self._last]
        if bucket.ungated or (bucket.open_end and not line.sentence):
            return True
        text = line.text
        first = text[0]
        starts = bucket.starts.get(first)
        if starts is None and not first.isascii():
            starts = bucket.starts.get(first.casefold()[:1])
        if starts is not None and text[:_EDGE].casefold().startswith(starts):
            return True
        last = text[-1]
        ends = bucket.ends.get(last)
        if ends is None and not last.isascii():
            ends = bucket.ends.get(last.casefold()[-1:])
        if ends is not None and text[-_EDGE:].casefold().endswith(ends):
            return True
        return bool(bucket.by_contains) and bucket.contains.any_in(line.low)

    def match(self, line: LineView | str) -> Rule | None:
        """The first rule (in the given order) that matches ``line``, or ``None``.

        The rules tried are those whose gates ``line`` passes: the bucket's screens (one
        ``startswith``/``endswith`` over all its prefixes or suffixes, the grouped
        ``contains`` test) are the same tests :meth:`may_match` makes, and only the
        rules filed under a screen that passed are looked at, in their given order.

        >>> rules = CompiledRules(load_rules())
        >>> rules.match("Source: TRT World").id
        'boilerplate.source-line'
        >>> rules.match("The minister said so.") is None
        True
        """
        if isinstance(line, str):
            line = LineView(line)
        return self.match_view(line)

    def match_view(self, line: LineView) -> Rule | None:
        """:meth:`match` for a :class:`LineView` (no type check)."""
        words = line.words
        bucket = self._table[words if words < self._last else self._last]
        if bucket.empty:
            return None
        text = line.text
        found: list[_Compiled] | None = None
        sources = 0
        if bucket.by_contains and line._low is None:
            line._fold()
        # One startswith/endswith over all the bucket's prefixes (suffixes) turns most
        # lines away; the rules filed under the first (last) character come next. The
        # case-folded head, tail and window are those of ``LineView`` (made here
        # without the property calls, kept on the line for the gates below).
        first = text[0]
        starts = bucket.starts.get(first)
        if starts is None and not first.isascii():
            starts = bucket.starts.get(first.casefold()[:1])
        if starts is not None:
            head = line._head
            if head is None:
                head = line._head = text[:_EDGE].casefold()
            # The prefixes that start with the head's first two characters (and those of
            # one character equal to its first): all of them that ``head`` can start with.
            two = bucket.starts_two.get(head[:2])
            if two is None:
                two = bucket.starts_one.get(head[:1])
            if two is not None and head.startswith(two[0]):
                found = [c for c in two[1] if head.startswith(c.prefixes)]
                sources = 1
        last = text[-1]
        ends = bucket.ends.get(last)
        if ends is None and not last.isascii():
            ends = bucket.ends.get(last.casefold()[-1:])
        if ends is not None:
            tail = line._tail
            if tail is None:
                tail = line._tail = text[-_EDGE:].casefold()
            if tail.endswith(ends):
                more = [c for c in bucket.by_last[tail[-1]] if tail.endswith(c.suffixes)]
                if more:
                    found = more if found is None else found + more
                    sources += 1
        if bucket.by_contains:
            low = line._low
            if low is None:  # (made above)
                low = line._fold()
            # The grouped screen (``_Screen.any_in``), written out.
            for key, parts in bucket.contains_groups:
                if key in low and _has_any(low, parts):
                    more = [c for c in bucket.by_contains if _has_any(low, c.contains)]
                    if more:
                        found = more if found is None else found + more
                        sources += 1
                    break
        if bucket.open_end and not line.sentence:
            found = list(bucket.open_end) if found is None else found + list(bucket.open_end)
            sources += 1
        if bucket.ungated:
            found = list(bucket.ungated) if found is None else found + list(bucket.ungated)
            sources += 1
        if not found:
            return None
        if sources > 1:
            # Each list is in the given order; a rule sits in one list only.
            found.sort(key=_ORDER)
        for c in found:
            # Rules are filed under one gate; check the others they have.
            if c.other_prefixes and not line.head.startswith(c.other_prefixes):
                continue
            if c.other_suffixes and not line.tail.endswith(c.other_suffixes):
                continue
            if c.other_contains and not _has_any(line.low, c.other_contains):
                continue
            if c.test(text) is not None:
                return c.rule
        return None


def _both_cases(table: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    both = dict(table)
    for key, value in table.items():
        if key.isascii() and key.upper() != key:
            both[key.upper()] = value
    return both


class _Screen:
    """``in`` tests for many strings at once, grouped by a shared part: the strings of a
    group are tried only when the text holds its part (a rare character such as ``@``
    or ``(``, else the word most of them share, such as ``left`` or ``by``)."""

    __slots__ = ("groups",)

    _KEYS = "@[(>»›_?-"

    def __init__(self, parts: Iterable[str]) -> None:
        unique = sorted(set(parts))
        # A string that holds another one is covered by it.
        unique = [p for p in unique if not any(q != p and q in p for q in unique)]
        groups: dict[str, list[str]] = {}
        plain: list[str] = []
        for part in unique:
            key = next((k for k in self._KEYS if k in part), None)
            if key is None:
                plain.append(part)
            else:
                groups.setdefault(key, []).append(part)
        # Strings that share their first five characters, punctuation among them
        # (", center", ", centre"), are grouped under them.
        heads = Counter(part[:5] for part in plain if len(part) > 5)
        rest: list[str] = []
        for part in plain:
            head = part[:5]
            if len(part) > 5 and heads[head] > 1 and not head.replace(" ", "").isalpha():
                groups.setdefault(head, []).append(part)
            else:
                rest.append(part)
        plain = rest
        words = Counter(w for part in plain for w in set(_WORDS.findall(part)))
        for part in plain:
            shared = [w for w in set(_WORDS.findall(part)) if words[w] > 1]
            key = max(shared, key=lambda w: (words[w], len(w), w)) if shared else part
            groups.setdefault(key, []).append(part)
        self.groups = tuple((key, tuple(v)) for key, v in sorted(groups.items()))

    def __bool__(self) -> bool:
        return bool(self.groups)

    def any_in(self, text: str) -> bool:
        for key, parts in self.groups:  # noqa: SIM110 - faster than any() here
            if key in text and _has_any(text, parts):
                return True
        return False


_WORDS = regex.compile(r"\p{L}{2,}")


def _has_any(text: str, parts: tuple[str, ...]) -> bool:
    # A loop of ``in`` tests beats a regex alternation of literals by far.
    for part in parts:  # noqa: SIM110 - any() with a generator is slower here
        if part in text:
            return True
    return False


class _Compiled:
    __slots__ = (
        "contains",
        "max_words",
        "order",
        "other_contains",
        "other_prefixes",
        "other_suffixes",
        "prefixes",
        "rule",
        "suffixes",
        "test",
        "unterminated",
    )

    def __init__(self, order: int, rule: Rule) -> None:
        pattern = rule._compiled()
        self.order = order
        self.rule = rule
        self.max_words = rule.max_words
        self.unterminated = rule.unterminated
        self.prefixes = rule.prefixes
        self.suffixes = rule.suffixes
        self.contains = rule.contains
        # The gates left to check once the rule is a candidate: it is filed under its
        # first gate of unterminated, prefixes, suffixes, contains (see _Bucket).
        if rule.unterminated:
            filed = "unterminated"
        elif rule.prefixes:
            filed = "prefixes"
        elif rule.suffixes:
            filed = "suffixes"
        else:
            filed = "contains"
        self.other_prefixes = rule.prefixes if filed == "unterminated" else ()
        self.other_suffixes = rule.suffixes if filed in ("unterminated", "prefixes") else ()
        self.other_contains = rule.contains if filed != "contains" else ()
        if rule.where == "line":
            self.test = pattern.fullmatch
        elif rule.where == "start":
            self.test = pattern.match
        else:
            self.test = pattern.search


_ORDER = operator.attrgetter("order")


class _Bucket:
    __slots__ = (
        "by_contains",
        "by_first",
        "by_last",
        "contains",
        "contains_groups",
        "empty",
        "ends",
        "open_end",
        "starts",
        "starts_one",
        "starts_two",
        "ungated",
    )

    def __init__(self, rules: Sequence[_Compiled]) -> None:
        # Each rule is filed under one gate (unterminated, else prefix, else suffix, else
        # contains); its other gates are checked once it is a candidate. Prefix and
        # suffix rules are indexed by the first and last character of their gates.
        self.open_end = tuple(c for c in rules if c.unterminated)
        rest = [c for c in rules if not c.unterminated]
        by_first: dict[str, list[_Compiled]] = {}
        by_last: dict[str, list[_Compiled]] = {}
        for c in rest:
            if c.prefixes:
                for key in sorted({p[0] for p in c.prefixes}):
                    by_first.setdefault(key, []).append(c)
            elif c.suffixes:
                for key in sorted({x[-1] for x in c.suffixes}):
                    by_last.setdefault(key, []).append(c)
        self.by_first = {k: tuple(v) for k, v in by_first.items()}
        self.by_last = {k: tuple(v) for k, v in by_last.items()}
        self.by_contains = tuple(
            c for c in rest if c.contains and not c.prefixes and not c.suffixes
        )
        self.ungated = tuple(c for c in rest if not (c.prefixes or c.suffixes or c.contains))
        self.contains = _Screen(x for c in self.by_contains for x in c.contains)
        self.contains_groups = self.contains.groups
        self.empty = not rules
        # The screen: by first (last) character, the prefixes (suffixes) rules are
        # filed under.
        starts: dict[str, set[str]] = {}
        for c in rest:
            for x in c.prefixes:
                starts.setdefault(x[0], set()).add(x)
        ends: dict[str, set[str]] = {}
        for c in rest:
            if not c.prefixes:
                for x in c.suffixes:
                    ends.setdefault(x[-1], set()).add(x)
        # Keyed by the case-folded character and, for ASCII letters, the capital too (a
        # line's own first and last characters are looked up without case folding).
        self.starts = _both_cases({k: tuple(sorted(v)) for k, v in starts.items()})
        # The same prefixes keyed by their first two characters (prefixes of one
        # character under that character, and also under every two-character key that
        # starts with it), each with the rules filed under them, in order: a line
        # whose case-folded head starts with a prefix has the prefix under head[:2], or
        # under head[:1] when no prefix starts with head[:2].
        one: dict[str, set[str]] = {}
        two: dict[str, set[str]] = {}
        for c in rest:
            for x in c.prefixes:
                (one if len(x) == 1 else two).setdefault(x[:2], set()).add(x)
        for key in two:
            two[key] |= one.get(key[0], set())

        under: dict[str, set[_Compiled]] = {}
        for c in rest:
            for x in c.prefixes:
                under.setdefault(x, set()).add(c)

        def filed(prefixes: set[str]) -> tuple[tuple[str, ...], tuple[_Compiled, ...]]:
            rules = sorted({c for x in prefixes for c in under[x]}, key=_ORDER)
            return tuple(sorted(prefixes)), tuple(rules)

        self.starts_one = {k: filed(v) for k, v in one.items()}
        self.starts_two = {k: filed(v) for k, v in two.items()}
        self.ends = _both_cases({k: tuple(sorted(v)) for k, v in ends.items()})
