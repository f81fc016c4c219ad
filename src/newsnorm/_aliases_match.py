"""The compiled alias matcher: a token trie scanned once per text.

The text is split once by a ``regex`` pattern into word tokens (runs of Unicode
letters, marks and digits) and the separators between them. Each alias is a path
in a trie keyed by lower-cased words and normalised separators. Scanning costs one
dictionary look-up per word of the text, whatever the size of the table; only
words that start some alias go further. Matches are leftmost-longest and never
overlap; the checks each alias carries (case, all-caps lines, context words,
glued characters) run only on candidate matches.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from itertools import compress
from typing import TYPE_CHECKING, NamedTuple

import regex

from newsnorm.errors import TableError

if TYPE_CHECKING:
    from newsnorm.aliases import Alias, AliasTable, Context

__all__ = ["Matcher", "RawMatch", "alias_key", "split_tokens"]

_SPLIT = regex.compile(r"([\p{L}\p{M}\p{N}]+)")
# The same split for texts without combining marks: the standard library's ``[^\W_]``
# is exactly letters and digits (Python's Unicode database), and it splits twice as
# fast. Texts holding a mark (\p{M}) go through ``regex``.
_SPLIT_NO_MARKS = re.compile(r"([^\W_]+)")
_MARK = regex.compile(r"\p{M}")
_SPACES = regex.compile(r"[^\S\n]+")
_HYPHENS = regex.compile(r"[\u2010\u2011]")
_APOSTROPHES = regex.compile(r"[\u2019\u02bc`]")
# Separators that normalisation leaves as they are (the usual case: ", ", ". ", "\n").
_SEP_PLAIN = regex.compile(r"(?:[^\s\u2010\u2011\u2019\u02bc`]|\n| (?! ))*")
_GLUE = frozenset("@_/\\$")
# Characters next to a match that need a closer look (glue, dots, apostrophes).
_SUSPECT = _GLUE | frozenset(".'\u2019")


def split_tokens(text: str) -> list[str]:
    """``[sep, word, sep, word, ..., sep]``: words (letters, marks, digits) at odd positions."""
    if text.isascii() or _MARK.search(text) is None:
        return _SPLIT_NO_MARKS.split(text)
    return _SPLIT.split(text)


def norm_sep(sep: str) -> str:
    """Normalise a separator: space runs (not newlines) to one space, hyphens, apostrophes."""
    if sep == " " or _SEP_PLAIN.fullmatch(sep):
        return sep
    sep = _SPACES.sub(" ", sep)
    sep = _HYPHENS.sub("-", sep)
    return _APOSTROPHES.sub("'", sep)


def alias_key(text: str) -> tuple[tuple[str, ...], str, str]:
    """The trie path of an alias, its normalised written form and its trailing punctuation.

    Raises:
        ValueError: If the alias is empty or does not start with a letter or digit.
    """
    parts = split_tokens(text.strip())
    if len(parts) < 3 or parts[0]:
        msg = "an alias must start with a letter or a digit"
        raise ValueError(msg)
    suffix = norm_sep(parts[-1])
    if " " in suffix or "\n" in suffix:
        msg = "an alias must not end with punctuation followed by a space"
        raise ValueError(msg)
    key: list[str] = []
    form: list[str] = []
    for k in range(1, len(parts) - 1):
        piece = parts[k] if k % 2 else norm_sep(parts[k])
        if "\n" in piece:
            msg = "an alias must be on one line"
            raise ValueError(msg)
        key.append(piece.lower() if k % 2 else piece)
        form.append(piece)
    return tuple(key), "".join(form), suffix


class RawMatch(NamedTuple):
    """One accepted match, in the coordinates of the scanned text."""

    start: int
    end: int
    entity: int
    alias: int


class _Guard:
    __slots__ = ("prefix_re", "prefix_re_bytes", "window", "words", "words_bytes")

    def __init__(self, context: Context) -> None:
        self.words = frozenset(w.lower() for w in context.words if not w.endswith("*"))
        prefixes = sorted({w[:-1].lower() for w in context.words if w.endswith("*")})
        self.prefix_re = (
            regex.compile("(?m)^(?:" + "|".join(map(regex.escape, prefixes)) + ")")
            if prefixes
            else None
        )
        self.window = context.window
        # The same for the ASCII words (as bytes) of a fast scan: a word beyond ASCII
        # is no such word, and its UTF-8 bytes match none.
        self.words_bytes = frozenset(w.encode("utf-8") for w in self.words)
        self.prefix_re_bytes = (
            regex.compile(
                b"(?m)^(?:" + b"|".join(regex.escape(p).encode("utf-8") for p in prefixes) + b")"
            )
            if prefixes
            else None
        )

    def any_in(self, words: Collection[str]) -> bool:
        if not self.words.isdisjoint(words):
            return True
        return self.prefix_re is not None and self.prefix_re.search("\n".join(words)) is not None

    def any_in_bytes(self, words: Collection[bytes]) -> bool:
        """``any_in`` for ASCII words given as bytes."""
        if not self.words_bytes.isdisjoint(words):
            return True
        return (
            self.prefix_re_bytes is not None
            and self.prefix_re_bytes.search(b"\n".join(words)) is not None
        )


class _Entry:
    """One alias of one entity, compiled."""

    __slots__ = (
        "alias",
        "avoid",
        "caps_lines",
        "case",
        "entity",
        "form",
        "form_upper",
        "plain",
        "require",
        "rewrite",
        "suffix",
    )

    def __init__(self, entity: int, index: int, alias: Alias, form: str, suffix: str) -> None:
        self.entity = entity
        self.alias = index
        self.case = alias.case
        self.form = form
        self.form_upper = form.upper()
        self.suffix = suffix
        self.caps_lines = alias.caps_lines
        self.rewrite = alias.rewrite
        self.require = _Guard(alias.require) if alias.require is not None else None
        self.avoid = _Guard(alias.avoid) if alias.avoid is not None else None
        # No rule to check but the glue of the characters around the match.
        self.plain = (
            not suffix
            and self.case == "any"
            and self.caps_lines
            and self.require is None
            and self.avoid is None
        )


class _Node:
    __slots__ = ("ends", "next")

    def __init__(self) -> None:
        self.next: dict[str, _Node] = {}
        self.ends: list[_Entry] = []


class _ScanBase:
    """What both scans keep per text: whole-line caps checks and text-wide guard results."""

    __slots__ = ("_caps", "_seen", "checked", "context", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._caps: dict[int, bool] = {}
        # The words text-wide guards see (computed when first needed), and the guards
        # that looked at them in this pass.
        self.context: frozenset[str] | None = None
        self.checked: list[_Guard] = []
        self._seen: dict[_Guard, bool] = {}

    def reset_context_checks(self) -> None:
        self._seen = {}

    def caps_line(self, start: int, end: int) -> bool:
        line_start = self.text.rfind("\n", 0, start) + 1
        found = self._caps.get(line_start)
        if found is None:
            found = self._caps[line_start] = caps_line(self.text, start, end)
        return found


class _Scan(_ScanBase):
    """What one scan of one text knows: its tokens, offsets and text-wide context."""

    __slots__ = ("keys", "parts")

    def __init__(self, text: str) -> None:
        super().__init__(text)
        low = text.lower()
        if len(low) == len(text):
            # lower() mapped every character to one character: same token boundaries,
            # and separators (which hold no letters) are unchanged.
            self.keys = self.parts = split_tokens(low)
        else:
            self.parts = split_tokens(text)
            self.keys = list(self.parts)
            self.keys[1::2] = [w.lower() for w in self.keys[1::2]]

    def near(self, guard: _Guard, i: int, j: int) -> bool:
        if guard.window is None:
            found = self._seen.get(guard)
            if found is None:
                if self.context is None:
                    self.context = frozenset(self.keys[1::2])
                self.checked.append(guard)
                found = self._seen[guard] = guard.any_in(self.context)
            return found
        lo = max(1, i - 2 * guard.window)
        hi = j + 2 * guard.window + 1
        keys = self.keys
        return guard.any_in(keys[lo:i:2]) or guard.any_in(keys[j + 2 : hi : 2])


_Root = tuple[bytes, frozenset[str] | None, frozenset[bytes] | None]
"""What the fast scan knows of a first word: see ``_FastScan.build``."""

# Characters that are neither letters, marks nor digits, common in news text: a text
# whose other characters are all ASCII is scanned by ``_FastScan``.
_NON_WORD_COMMON = (
    "\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a"
    "\u2010\u2011\u2012\u2013\u2014\u2015\u2026\u2022\u00b7\u00a0\u2009\u200a"
    "\u2002\u2003\u202f\u200b\u00ad\u00a9\u00ae\u2122\u00b0\u20ac\u00a3\u2032\u2033"
)
# A letter or digit (``[^\W_]``, as ``split_tokens`` has it) beyond ASCII.
# The tokens of split_tokens (no marks): a word, a separator and the word after it, a
# separator.
_WORD_AT = re.compile(r"[^\W_]+")
_STEP = re.compile(r"((?:\W|_)+)([^\W_]+)")
_SEP_AT = re.compile(r"(?:\W|_)*")
_NON_ASCII_WORD = re.compile(r"[^\W_\x00-\x7f]")
_DENSE = 24
"""With a candidate word per ``_DENSE`` characters or more, the fast scan gives way to
splitting the whole text (same results, cheaper then: a candidate costs about as much
as splitting that many characters)."""
_SAMPLE = 8192
# ASCII: digits and lower-case letters stay, capitals become lower-case letters,
# everything else a space.
_ASCII_WORDS = bytes(
    ord(chr(c).lower()) if chr(c).isalnum() and chr(c).isascii() else 32 for c in range(256)
)


class _FastScan(_ScanBase):
    """A scan that tokenizes only around the words that start a name.

    For a text whose letters and digits are all ASCII (other characters may be
    anything that is neither letter, mark nor digit), the words of the lower-cased
    text are the runs of ``[a-z0-9]``: ``view`` is that text with every other
    character a space, offsets unchanged. The words that start some name are found
    in it with ``bytes.split`` and ``bytes.find``; only there is the text split into
    tokens, from the word on (``local``), as ``split_tokens`` would split it.
    """

    __slots__ = ("_data", "_pieces", "_view", "cands", "ks")

    def __init__(self, text: str, data: bytes, cands: list[int]) -> None:
        super().__init__(text)
        self._data = data
        self._view: str | None = None
        # The words of ``view`` (as bytes), when ``build`` split them.
        self._pieces: list[bytes] | None = None
        self.cands = cands
        # The index in ``_pieces`` of the word each candidate starts with.
        self.ks: list[int] | None = None

    @property
    def view(self) -> str:
        if self._view is None:
            self._view = self._data.decode("ascii")
        return self._view

    @classmethod
    def build(
        cls,
        text: str,
        roots: Mapping[bytes, _Root],
    ) -> _FastScan | None:
        """The fast scan of ``text``, or ``None`` where it does not apply (then the
        whole text is split: same results).

        ``roots`` maps each ASCII first word to the word between spaces (what is
        looked for in the view), the forms it must be written in (``None``: any)
        and, for a first word that is no name by itself, every word that comes
        second in a name starting with it: a candidate whose next word is none of
        them starts no name and is dropped (it counts for the density checks all the
        same, so the same texts take the fast scan as before).
        """
        view = text
        if not view.isascii():
            for char in _NON_WORD_COMMON:
                if char in view:
                    view = view.replace(char, " ")
            # Any other non-ASCII character must be neither letter, digit nor mark.
            if not view.isascii() and (_NON_ASCII_WORD.search(view) or _MARK.search(view)):
                return None
        # Lower-cased words, every other character a space (offsets unchanged: the
        # "replace" handler writes one "?" for each character it cannot encode).
        data = view.encode("ascii", "replace").translate(_ASCII_WORDS)
        if len(data) > 2 * _SAMPLE:
            # A long text: its start tells whether names stand dense (then the whole
            # text is split at once, without splitting its words first).
            sample = data[:_SAMPLE].split()
            if sum(map(roots.__contains__, sample)) * _DENSE > _SAMPLE:
                return None
        # The words; those that start names are found in order, each where the one
        # before ended.
        pieces = data.split()
        cands: list[int] = []
        at = 0
        padded = b" " + data + b" "
        hits = list(itertools.compress(range(len(pieces)), map(roots.__contains__, pieces)))
        if len(hits) * _DENSE > len(text):
            return None  # names start everywhere: splitting the whole text is cheaper
        last = len(pieces) - 1
        count = 0  # the candidates, dropped or not
        ks: list[int] = []
        for k in hits:
            needle, allowed, after = roots[pieces[k]]
            i = padded.find(needle, at)  # the word starts at i in the text
            at = i + len(needle) - 1
            # Where every name starting with the word wants it in a given case, a
            # word in another case starts none of them.
            if allowed is None or text[i : at - 1] in allowed:
                count += 1
                if after is None or (k < last and pieces[k + 1] in after):
                    cands.append(i)
                    ks.append(k)
        if count * _DENSE > len(text):
            return None  # names start everywhere: splitting the whole text is cheaper
        scan = cls(text, data, cands)
        scan._pieces = pieces
        scan.ks = ks
        return scan

    def text_wide(self, guard: _Guard) -> bool:
        found = self._seen.get(guard)
        if found is None:
            if self.context is None:
                # The words of the view: its distinct words decoded (fewer strings
                # to make and hash than splitting the view again).
                pieces = self._data.split() if self._pieces is None else self._pieces
                self.context = frozenset([w.decode("ascii") for w in frozenset(pieces)])
            self.checked.append(guard)
            found = self._seen[guard] = guard.any_in(self.context)
        return found

    def words_before(self, at: int, n: int) -> list[str]:
        """The ``n`` words before offset ``at`` (fewer at the start of the text)."""
        size = 16 * n + 16
        while True:
            lo = max(0, at - size)
            words = self.view[lo:at].rsplit(None, n)
            if len(words) > n:
                return words[1:]
            if lo == 0:
                return words
            size *= 4

    def words_after(self, at: int, n: int) -> list[str]:
        """The ``n`` words after offset ``at`` (fewer at the end of the text)."""
        size = 16 * n + 16
        while True:
            hi = min(len(self.view), at + size)
            words = self.view[at:hi].split(None, n)
            if len(words) > n:
                return words[:n]
            if hi == len(self.view):
                return words
            size *= 4


def _first_words(key: str, node: _Node) -> frozenset[str] | None:
    """The first word as written of every name under ``node`` (the first word
    ``key``), when each name must match in a given case; ``None`` if one may match in
    any case. A name whose form is ``form`` (or its capitals) starts with these
    ``len(key)`` characters."""
    size = len(key)
    words: set[str] = set()
    stack = [node]
    while stack:
        here = stack.pop()
        for entry in here.ends:
            if entry.case == "any":
                return None
            words.add(entry.form[:size])
            if entry.case == "exact-or-upper":
                words.add(entry.form_upper[:size])
        for sep_node in here.next.values():
            stack.extend(sep_node.next.values())
    return frozenset(words)


class _Local:
    """The tokens around one candidate of a :class:`_FastScan`, with the interface of
    :class:`_Scan` that ``Matcher._accept`` uses (token indices are local)."""

    __slots__ = ("fast", "k", "keys", "parts", "start", "text")

    def __init__(self, fast: _FastScan, keys: list[str], start: int, k: int | None = None) -> None:
        self.fast = fast
        self.text = fast.text
        self.keys = self.parts = keys
        self.start = start  # the offset of token 1
        # The index of token 1 among the words of the fast scan, when it split them.
        self.k = k

    def caps_line(self, start: int, end: int) -> bool:
        return self.fast.caps_line(start, end)

    def near(self, guard: _Guard, i: int, j: int) -> bool:
        if guard.window is None:
            return self.fast.text_wide(guard)
        fast = self.fast
        pieces = fast._pieces
        if self.k is not None and pieces is not None:
            # The words of the view around words 1..j (token 1 is word k).
            k, n = self.k, guard.window
            after = k + (j + 1) // 2
            return guard.any_in_bytes(pieces[max(0, k - n) : k]) or guard.any_in_bytes(
                pieces[after : after + n]
            )
        # i is token 1 (the start); word j ends where the tokens up to it end.
        end = self.start + sum(map(len, self.keys[1 : j + 1]))
        return guard.any_in(fast.words_before(self.start, guard.window)) or guard.any_in(
            fast.words_after(end, guard.window)
        )


class Matcher:
    """A compiled :class:`~newsnorm.aliases.AliasTable`."""

    def __init__(self, table: AliasTable) -> None:
        self.table = table
        self._root: dict[str, _Node] = {}
        # (entity, alias) of the names "rewrite" mode leaves as written.
        self.kept: set[tuple[int, int]] = set()
        self._label_keys = [tuple(split_tokens(e.label.lower())[1::2]) for e in table.entities]
        seen: dict[tuple[tuple[str, ...], str, str, str], tuple[str, str, bool]] = {}
        for e_index, entity in enumerate(table.entities):
            for a_index, alias in enumerate(entity.all_aliases):
                try:
                    key, form, suffix = alias_key(alias.text)
                except ValueError as err:
                    msg = f"alias table {table.name!r}: entity {entity.id!r}: alias {alias.text!r}: {err}"
                    raise TableError(msg) from None
                guarded = alias.require is not None or alias.avoid is not None
                ident = (key, suffix, alias.case, form if alias.case != "any" else "")
                prev = seen.get(ident)
                if prev is not None and prev[0] != entity.id and not (guarded or prev[2]):
                    msg = (
                        f"alias table {table.name!r}: alias {alias.text!r} of {entity.id!r} is "
                        f"also an alias of {prev[0]!r} ({prev[1]!r}) with the same case rule and "
                        "no context guard; drop it from one of them (AliasTable.without, or an "
                        "entity without that alias) or give one a guard"
                    )
                    raise TableError(msg)
                seen.setdefault(ident, (entity.id, alias.text, guarded))
                node = self._root.setdefault(key[0], _Node())
                for piece in key[1:]:
                    node = node.next.setdefault(piece, _Node())
                node.ends.append(_Entry(e_index, a_index, alias, form, suffix))
                if not alias.rewrite:
                    self.kept.add((e_index, a_index))
        # For label_runs_on: where the walk along each ASCII label ends (None: the
        # label is no path of the trie), and the label's trailing separator.
        self._label_ends: dict[str, tuple[_Node | None, str]] = {}
        for entity in table.entities:
            low = entity.label.lower()
            tokens = split_tokens(low)
            if not low.isascii() or len(tokens) < 3 or tokens[0]:
                continue
            walked: _Node | None = self._root.get(tokens[1])
            for k in range(2, len(tokens) - 1, 2):
                if walked is None:
                    break
                sep = tokens[k]
                sep_node = walked.next.get(sep if sep == " " else norm_sep(sep))
                walked = sep_node.next.get(tokens[k + 1]) if sep_node is not None else None
            self._label_ends[low] = (walked, tokens[-1])
        # The fast scan sees ASCII words only: the ASCII first words, and only when
        # every context word is ASCII (a word it sees is then a word of the text).
        # The second words of the names under each ASCII first word: where the word
        # after a candidate is none of them, the walk ends at the first word (and a
        # first word that is no name by itself starts none).
        self._nexts: dict[bytes, frozenset[bytes]] = {}
        self._root_bytes: dict[bytes, _Root] = {}
        for first, node in self._root.items():
            if not first.isascii():
                continue
            word = first.encode("ascii")
            nexts = self._nexts[word] = frozenset(
                w.encode("ascii") for sep in node.next.values() for w in sep.next if w.isascii()
            )
            self._root_bytes[word] = (
                b" " + word + b" ",
                _first_words(first, node),
                None if node.ends else nexts,
            )
        self._fast = all(
            w.isascii()
            for entity in table.entities
            for alias in entity.all_aliases
            for context in (alias.require, alias.avoid)
            if context is not None
            for w in context.words
        )

    def find(self, text: str) -> list[RawMatch]:
        """Every match in ``text``, leftmost-longest, not overlapping, in order.

        Text-wide guards see the words of the text and the words of the labels of the
        entities it names, so that they decide the same before and after rewriting
        ("SDF" becomes "Syrian Democratic Forces"). When the labels of the matches add
        words such a guard looks for, the text is matched again with them.
        """
        fast = _FastScan.build(text, self._root_bytes) if self._fast else None
        scan: _Scan | _FastScan
        if fast is None:
            scan = slow = _Scan(text)
            run: Callable[[], list[RawMatch]] = lambda: self._find(slow)  # noqa: E731
        else:
            scan = fast
            run = lambda: self._find_fast(fast)  # noqa: E731
        out = run()
        for _ in range(3):
            if not scan.checked or scan.context is None:
                break
            extra = {w for m in out for w in self._label_keys[m.entity]} - scan.context
            if not any(guard.any_in(extra) for guard in scan.checked):
                break
            scan.context = scan.context | extra
            scan.checked = []
            scan.reset_context_checks()
            out = run()
        return out

    def _find_fast(self, scan: _FastScan) -> list[RawMatch]:
        """``_find`` on the candidates of a fast scan, each with its own tokens."""
        text = scan.text
        size = len(text)
        root = self._root
        nexts = self._nexts
        first_hit = self._first_hit
        out: list[RawMatch] = []
        resume = 0  # the next name starts at or after this offset
        step = _STEP.match
        pieces = scan._pieces
        ks = scan.ks
        last = -1 if pieces is None else len(pieces) - 1
        for c, start in enumerate(scan.cands):
            if start < resume:
                continue
            k = None
            if ks is not None and pieces is not None:
                k = ks[c]
                piece = pieces[k]
                if k == last or pieces[k + 1] not in nexts[piece]:
                    # The walk ends at the first word (the next word continues no
                    # name): the first word alone, a name by itself (build dropped
                    # the candidates whose first word is none).
                    word = piece.decode("ascii")
                    first = root[word]
                    if not first.ends:
                        continue  # pragma: no cover - build dropped it
                    end = start + len(word)
                    entry = first.ends[0]
                    if (
                        entry.plain
                        and (not start or text[start - 1] not in _SUSPECT)
                        and (end == size or text[end] not in _SUSPECT)
                    ):
                        out.append(RawMatch(start, end, entry.entity, entry.alias))
                        resume = end + 1
                        continue
                    after = _SEP_AT.match(text, end)
                    sep = after.group().lower() if after is not None else ""
                    hit = first_hit(
                        _Local(scan, ["", word, sep], start, k), first, 1, 1, span=(start, end)
                    )
                    if hit is not None:
                        out.append(hit)
                        resume = end + 1
                    continue
            # The tokens from the word on, read only as far as the trie walks: the
            # same tokens split_tokens gives there (the text's letters are ASCII).
            m = _WORD_AT.match(text, start)
            if m is None:  # pragma: no cover - a candidate starts a word
                continue
            pos = m.end()
            keys = ["", m.group().lower()]
            node = root.get(keys[1])
            cands = [(1, node)] if node is not None and node.ends else []
            j = 1
            while node is not None and node.next:
                m = step(text, pos)
                if m is None:
                    break
                sep, word = m.group(1).lower(), m.group(2).lower()
                keys += (sep, word)
                sep_node = node.next.get(sep if sep == " " else norm_sep(sep))
                if sep_node is None:
                    break
                word_node = sep_node.next.get(word)
                if word_node is None:
                    break
                node = word_node
                pos = m.end()
                j += 2
                if node.ends:
                    cands.append((j, node))
            if len(keys) == j + 1:
                # The separator after the last word read (a name may need its dot).
                after = _SEP_AT.match(text, pos)
                keys.append(after.group().lower() if after is not None else "")
            if not cands:
                continue
            local = _Local(scan, keys, start, k)
            for j, node in reversed(cands):
                end = start + sum(map(len, keys[1 : j + 1]))
                word_end = end
                hit = first_hit(local, node, 1, j, span=(start, end))
                if hit is not None:
                    out.append(hit)
                    resume = word_end + 1
                    break
        return out

    def _find(self, scan: _Scan) -> list[RawMatch]:
        keys = scan.keys
        parts = scan.parts
        root = self._root
        first_hit = self._first_hit
        out: list[RawMatch] = []
        last = len(keys) - 2
        resume = 0
        # Offsets are computed only where a walk found a name, by a cursor that moves
        # left to right: ``cp`` is where part ``ck`` ends.
        ck, cp = -1, 0
        # One dictionary look-up per word (at C speed); walks start only there.
        for i in compress(range(1, len(keys), 2), map(root.__contains__, keys[1::2])):
            if i < resume:
                continue
            node = root[keys[i]]
            cands = [(i, node)] if node.ends else []
            j = i
            while j < last:
                sep = keys[j + 1]
                sep_node = node.next.get(sep if sep == " " else norm_sep(sep))
                if sep_node is None:
                    break
                word_node = sep_node.next.get(keys[j + 2])
                if word_node is None:
                    break
                node = word_node
                j += 2
                if node.ends:
                    cands.append((j, node))
            if not cands:
                continue
            cp += sum(map(len, parts[ck + 1 : i]))
            ck = i - 1
            start = cp
            for j, node in reversed(cands):
                end = start + (len(parts[i]) if i == j else sum(map(len, parts[i : j + 1])))
                hit = first_hit(scan, node, i, j, span=(start, end))
                if hit is not None:
                    out.append(hit)
                    resume = j + 2
                    break
        return out

    def _first_hit(
        self, scan: _Scan | _Local, node: _Node, i: int, j: int, *, span: tuple[int, int]
    ) -> RawMatch | None:
        """The first name ending at ``node`` that is accepted for tokens ``i``..``j``
        (text ``span``), in table order, or ``None``."""
        text = scan.text
        start, end = span
        for entry in node.ends:
            # The common case inline: a name with no rule but the glue check.
            if (
                entry.plain
                and (not start or text[start - 1] not in _SUSPECT)
                and (end == len(text) or text[end] not in _SUSPECT)
            ):
                return RawMatch(start, end, entry.entity, entry.alias)
            hit = self._accept(scan, entry, i, j, span=span)
            if hit is not None:
                return hit
        return None

    def label_runs_on(self, label: str, entity: int, text: str, end: int) -> bool:
        """Whether ``label`` followed by ``text[end:]`` would start a longer name.

        Rewriting "Daesh of Iraq" would give "Islamic State of Iraq", another entity,
        and "the Daesh group group" would give a name that a second run rewrites
        again; such a name is annotated but left as written. A longer name of the
        same entity that is never rewritten ("Islamic State in Iraq and Syria") is fine.
        """
        limit = text.find("\n", end)
        if limit < 0 or limit > end + 120:
            limit = min(len(text), end + 120)
        quick = self._runs_on_quick(label, entity, text[end:limit])
        if quick is not None:
            return quick
        keys = split_tokens((label + text[end:limit]).lower())
        if len(keys) < 3 or keys[1] not in self._root:
            return False
        last = len(split_tokens(label)) - 2
        return any(
            entry.rewrite or entry.entity != entity
            for j, node in self._walk(keys, 1)
            if j > last
            for entry in node.ends
        )

    def _runs_on_quick(self, label: str, entity: int, rest: str) -> bool | None:
        """``label_runs_on`` for an ASCII label and ASCII text after it, walking from
        the node the label ends at (compiled once per label) over the tokens of
        ``rest`` as far as the trie goes; ``None`` where this does not apply."""
        low = label.lower()
        dot = ""
        found = self._label_ends.get(low)
        if found is None and low.endswith(".") and low[:-1] in self._label_ends:
            # rewrite_as kept a full stop after the label.
            found = self._label_ends[low[:-1]]
            dot = "."
        if found is None or not rest.isascii():
            return None
        node, trailing = found
        tail = (trailing + dot + rest).lower()
        if tail[:1].isalnum():
            return None  # the label's last word runs on into the text
        pos = 0
        step = _STEP.match
        while node is not None and node.next:
            m = step(tail, pos)
            if m is None:
                break
            sep = m.group(1)
            sep_node = node.next.get(sep if sep == " " else norm_sep(sep))
            if sep_node is None:
                break
            node = sep_node.next.get(m.group(2))
            if node is None:
                break
            pos = m.end()
            if any(entry.rewrite or entry.entity != entity for entry in node.ends):
                return True
        return False

    def _walk(self, keys: list[str], i: int) -> list[tuple[int, _Node]]:
        """The trie nodes with names that match the words ``i..j``, shortest first."""
        node = self._root[keys[i]]
        n = len(keys)
        cands: list[tuple[int, _Node]] = []
        j = i
        while True:
            if node.ends:
                cands.append((j, node))
            if j + 2 >= n:
                return cands
            sep = keys[j + 1]
            sep_node = node.next.get(sep if sep == " " else norm_sep(sep))
            if sep_node is None:
                return cands
            word_node = sep_node.next.get(keys[j + 2])
            if word_node is None:
                return cands
            node = word_node
            j += 2

    @staticmethod
    def _accept(
        scan: _Scan | _Local, entry: _Entry, i: int, j: int, *, span: tuple[int, int]
    ) -> RawMatch | None:
        text = scan.text
        keys = scan.keys
        start, end = span
        if entry.suffix:
            after = norm_sep(keys[j + 1]) if j + 1 < len(keys) else ""
            if not after.startswith(entry.suffix):
                return None
            end += len(entry.suffix)
        if entry.case != "any":
            surface = _form(text, scan.parts, start, i, j)
            if surface != entry.form and not (
                entry.case == "exact-or-upper" and surface == entry.form_upper
            ):
                return None
        if _glued(text, start, end):
            return None
        if not entry.caps_lines and scan.caps_line(start, end):
            return None
        if entry.require is not None and not scan.near(entry.require, i, j):
            return None
        if entry.avoid is not None and scan.near(entry.avoid, i, j):
            return None
        return RawMatch(start, end, entry.entity, entry.alias)


def _form(text: str, parts: list[str], start: int, i: int, j: int) -> str:
    """The words ``i..j`` of ``text`` (starting at ``start``) as written, separators normalised.

    ``parts`` give the lengths (they may be lower-cased).
    """
    if i == j:
        return text[start : start + len(parts[i])]
    pieces = []
    for k in range(i, j + 1):
        piece = text[start : start + len(parts[k])]
        pieces.append(piece if k % 2 else norm_sep(piece))
        start += len(parts[k])
    return "".join(pieces)


def _glued(text: str, start: int, end: int) -> bool:
    """Whether the match is part of a larger non-word unit (e-mail, URL, handle, O'Name)."""
    if start > 0:
        before = text[start - 1]
        if before in _GLUE:
            return True
        if before == "." and start > 1 and text[start - 2].isalnum():
            return True
        if before in "'\u2019" and start > 1 and text[start - 2].isalpha():
            # d'Estaing and l'ONU are elisions; O'Hanlon is a name of its own.
            m = regex.search(r"[\p{L}\p{M}]+$", text[max(0, start - 12) : start - 1])
            word = m.group() if m else ""
            return not (len(word) <= 2 and word.islower()) and word.lower() != "qu"
    if end < len(text):
        after = text[end]
        if after in _GLUE:
            return True
        if after == "." and end + 1 < len(text) and text[end + 1].isalnum():
            return True
    return False


def caps_line(text: str, start: int, end: int) -> bool:
    """Whether the rest of the line holding ``[start, end)`` is written in capitals."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    rest = text[line_start:start] + " " + text[end:line_end]
    return rest != rest.lower() and rest == rest.upper()


def sentence_start(text: str, start: int) -> bool:
    """Whether ``start`` begins a sentence (start of text or line, or after . ! ? :)."""
    k = start
    while k > 0 and text[k - 1] in " \t\"'\u201c\u2018([\u00ab":
        k -= 1
    return k == 0 or text[k - 1] in ".!?:\n"


def line_ends_after(text: str, end: int) -> bool:
    """Whether only spaces follow ``end`` up to the end of its line."""
    line_end = text.find("\n", end)
    rest = text[end:] if line_end < 0 else text[end:line_end]
    return not rest.strip()


_GLOSS_OPEN = regex.compile(
    r"\s*[(\[]\s*(?:(?:also|otherwise|formerly|previously|sometimes)\s+)?"
    r"(?:(?:known\s+as|called|named|dubbed|aka|a\.k\.a\.)\s+)?",
    regex.IGNORECASE,
)
_GLOSS_KNOWN = regex.compile(
    r"\s*[,\u2013\u2014-]?\s*(?:(?:also|otherwise|formerly|previously|sometimes)\s+)?"
    r"(?:known\s+as|called|dubbed|aka|a\.k\.a\.)\s+",
    regex.IGNORECASE,
)
_GLOSS_LIST = regex.compile(r"\s*(?:,\s*(?:or\s+|and\s+)?|or\s+|and\s+|/\s*)", regex.IGNORECASE)


def gloss_flags(text: str, matches: Sequence[RawMatch]) -> list[bool]:
    """Which matches name another name of the entity just mentioned.

    In ``ISIS (also known as ISIL or Daesh)`` the names in brackets are about the
    names themselves; rewriting them would say "Islamic State (also known as Islamic
    State ...)". A match is a gloss when the previous match is the same entity and
    only a bracket, "also known as", "called", "aka" (or, inside a gloss, "or", "and",
    a comma or a slash) stands between them.
    """
    flags = [False] * len(matches)
    for k in range(1, len(matches)):
        prev, cur = matches[k - 1], matches[k]
        if prev.entity != cur.entity:
            continue
        between = text[prev.end : cur.start]
        if "\n" in between:
            continue
        if (
            _GLOSS_OPEN.fullmatch(between)
            or _GLOSS_KNOWN.fullmatch(between)
            or (flags[k - 1] and _GLOSS_LIST.fullmatch(between))
        ):
            flags[k] = True
    return flags


def rewrite_as(label: str, text: str, match: RawMatch) -> tuple[str, int]:
    """The text that replaces ``match`` (the label in the form the context asks for),
    and the length of the name in it (a kept full stop is not part of the name)."""
    surface = text[match.start : match.end]
    out = label
    if surface == surface.upper() != surface.lower() and caps_line(text, match.start, match.end):
        out = out.upper()
    elif out[:1].islower() and surface[:1].isupper() and sentence_start(text, match.start):
        out = out[:1].upper() + out[1:]
    if surface.endswith(".") and not out.endswith(".") and line_ends_after(text, match.end):
        # "... in the U.S." at the end of a paragraph: the full stop ends the sentence too.
        return out + ".", len(out)
    return out, len(out)
