"""The alias step: resolve the names of one entity to a canonical id.

Every name in the alias table is found in the text (leftmost-longest, never
overlapping, with Unicode word boundaries) and recorded as an
:class:`~newsnorm.EntityMention` carrying the entity's id (a Wikidata QID where one
exists) and label. In ``"rewrite"`` mode (the default) each name is also replaced by
the entity's label, keeping the form around it, and the edit is a
:class:`~newsnorm.Change`; in ``"annotate"`` mode the text is left as it is.

>>> from newsnorm.aliases import resolve_aliases
>>> doc = resolve_aliases("Isis-held towns fell as the anti-IS coalition hit ISIL's bases.")
>>> doc.text
"Islamic State-held towns fell as the anti-Islamic State coalition hit Islamic State's bases."
>>> [(e.surface, e.entity_id) for e in doc.entities]
[('Isis', 'Q2429253'), ('IS', 'Q2429253'), ('ISIL', 'Q2429253')]
>>> resolve_aliases("WHO IS THE FRONT-RUNNER?\\nIt is Isis, the goddess.").entities
()

Each alias has its own matching rule (see :class:`Alias`): case-sensitive for short
acronyms, case-insensitive where that is safe, never inside an all-caps line for
acronyms that are also words, and optional context guards for ambiguous names. The
default table (:data:`DEFAULT_TABLE`) ships as package data; load your own with
:meth:`AliasTable.from_file` and combine tables with :meth:`AliasTable.merge`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import attrs

from newsnorm._aliases_match import Matcher, alias_key, gloss_flags, rewrite_as
from newsnorm._align import Edit
from newsnorm._inputs import as_doc
from newsnorm._model import EntityMention, Normalized
from newsnorm._step import StepSpec, check_bool
from newsnorm.errors import ConfigError, InputTypeError, TableError

__all__ = [
    "DEFAULT_TABLE",
    "Alias",
    "AliasConfig",
    "AliasResolver",
    "AliasTable",
    "Context",
    "Entity",
    "resolve_aliases",
]

CaseRule = Literal["exact", "exact-or-upper", "any"]
Mode = Literal["rewrite", "annotate"]
_CASES = ("exact", "exact-or-upper", "any")
_MODES = ("rewrite", "annotate")


def _words(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, Iterable):
        msg = f"words must be a list of words, got {type(value).__name__}"
        raise TableError(msg)
    out = []
    for word in value:
        if not isinstance(word, str) or not word.strip("*").strip():
            msg = f"each context word must be a non-empty string, got {word!r}"
            raise TableError(msg)
        body = word.removesuffix("*")
        if not body.replace("-", "").isalnum() or "-" in body:
            msg = f"context word {word!r} must be one word (letters and digits, '*' at the end for a prefix)"
            raise TableError(msg)
        out.append(word.lower())
    return tuple(out)


def _window(_inst: object, _attr: object, value: object) -> None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        msg = f"window must be a positive number of words or None (the whole text), got {value!r}"
        raise TableError(msg)


@attrs.frozen(kw_only=True)
class Context:
    """Words that must (or must not) be near an alias for it to match.

    Words are single words, compared in lower case; a word ending in ``*`` is a
    prefix (``"jihadi*"`` matches "jihadist" and "jihadists").

    >>> Context(words=("goddess", "Osiris", "Egypt*"), window=8)
    Context(words=('goddess', 'osiris', 'egypt*'), window=8)

    Attributes:
        words: The words, lower-cased.
        window: How many words either side count as near (default 12); ``None``
            means anywhere in the text.
    """

    words: tuple[str, ...] = attrs.field(converter=_words)
    window: int | None = attrs.field(default=12, validator=_window)


def _auto_case(alias: Alias) -> CaseRule:
    letters = [c for c in alias.text if c.isalpha()]
    return "exact" if letters and all(c.isupper() for c in letters) else "any"


def _check_case(_inst: object, _attr: object, value: Any) -> None:
    if value not in _CASES:
        msg = f"case must be one of {', '.join(map(repr, _CASES))}, got {value!r}"
        raise TableError(msg)


def _check_text(_inst: object, _attr: object, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        msg = f"alias text must be a non-empty string, got {value!r}"
        raise TableError(msg)
    try:
        alias_key(value)
    except ValueError as err:
        msg = f"alias {value!r}: {err}"
        raise TableError(msg) from None


def _opt_context(value: object) -> Context | None:
    if value is None or isinstance(value, Context):
        return value
    if isinstance(value, Mapping):
        extra = set(value) - {"words", "window"}
        if extra:
            msg = f"unknown context key(s) {sorted(extra)}; a context has 'words' and 'window'"
            raise TableError(msg)
        if "words" not in value:
            msg = "a context needs 'words'"
            raise TableError(msg)
        window = value.get("window", 12)
        return Context(words=value["words"], window=None if window == "text" else window)
    if isinstance(value, list | tuple):
        return Context(words=tuple(value))
    msg = f"a context must be a mapping with 'words' (and 'window'), got {type(value).__name__}"
    raise TableError(msg)


@attrs.frozen(kw_only=True)
class Alias:
    """One name of an entity, with its own matching rule.

    >>> Alias(text="IS")
    Alias(text='IS', case='exact', caps_lines=True, require=None, avoid=None, rewrite=True)
    >>> Alias(text="Daesh").case
    'any'

    Attributes:
        text: The name as written. It must start with a letter or digit; words are
            runs of Unicode letters, marks and digits, and what separates them must
            be found as written (runs of spaces count as one space; the hyphens
            ``-`` U+2010 U+2011 count as one, and so do the apostrophes ``'`` U+2019).
            Trailing punctuation (the last dot of ``U.S.``) must follow in the text.
        case: ``"exact"``: as written (``IS`` never matches "is"); ``"exact-or-upper"``:
            as written or all in capitals (``Islamic State`` and ``ISLAMIC STATE``, not
            "Islamic state"); ``"any"``: in any case. Default: ``"exact"`` when every
            letter is a capital (acronyms), ``"any"`` otherwise.
        caps_lines: Whether the alias may match inside a line written all in capitals
            (default ``True``). Set it to ``False`` for acronyms that are also words:
            the ``IS`` of "WHO IS THE FRONT-RUNNER?" is the verb.
        require: Words at least one of which must be near (default: none needed).
        avoid: Words none of which may be near (default: none).
        rewrite: Whether ``"rewrite"`` mode replaces this name by the label (default
            ``True``). ``False`` keeps names whose words also read as a description
            ("Islamic State in Iraq and Syria" may be the name or "Islamic State, in
            Iraq and Syria"): they are found and annotated, and left as written.
    """

    text: str = attrs.field(validator=_check_text)
    case: CaseRule = attrs.field(
        default=attrs.Factory(_auto_case, takes_self=True),
        validator=_check_case,
    )
    caps_lines: bool = True
    require: Context | None = attrs.field(default=None, converter=_opt_context)
    avoid: Context | None = attrs.field(default=None, converter=_opt_context)
    rewrite: bool = True


def _alias(value: object) -> Alias:
    if isinstance(value, Alias):
        return value
    if isinstance(value, str):
        return Alias(text=value)
    if isinstance(value, Mapping):
        extra = set(value) - {"text", "case", "caps_lines", "require", "avoid", "rewrite"}
        if extra:
            msg = (
                f"unknown alias key(s) {sorted(extra)}; an alias has 'text', 'case', "
                "'caps_lines', 'require', 'avoid' and 'rewrite'"
            )
            raise TableError(msg)
        if "text" not in value:
            msg = "an alias needs 'text'"
            raise TableError(msg)
        kwargs: dict[str, Any] = {"text": value["text"]}
        for flag in ("caps_lines", "rewrite"):
            setting = value.get(flag, True)
            if not isinstance(setting, bool):
                msg = f"{flag} must be true or false, got {setting!r}"
                raise TableError(msg)
            kwargs[flag] = setting
        for key in ("case", "require", "avoid"):
            if value.get(key) is not None:
                kwargs[key] = value[key]
        return Alias(**kwargs)
    msg = f"an alias must be a string or a mapping, got {type(value).__name__}"
    raise TableError(msg)


def _aliases(value: object) -> tuple[Alias, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        msg = "aliases must be a list"
        raise TableError(msg)
    out: list[Alias] = []
    for index, item in enumerate(value, 1):
        try:
            out.append(_alias(item))
        except TableError as err:
            msg = f"alias {index} ({_show(item)}): {err}"
            raise TableError(msg) from None
    return tuple(out)


def _nonempty(_inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        msg = f"{attr.name} must be a non-empty string, got {value!r}"
        raise TableError(msg)


@attrs.frozen(kw_only=True)
class Entity:
    """One entity: its canonical id, the label used when rewriting, and its aliases.

    The label is also an alias (with the default rule for its text) unless an alias
    with the same text is listed.

    >>> e = Entity(id="Q7184", label="NATO", aliases=("Nato", "North Atlantic Treaty Organization"))
    >>> [a.text for a in e.all_aliases]
    ['NATO', 'Nato', 'North Atlantic Treaty Organization']

    Attributes:
        id: The canonical id: the Wikidata QID where one exists.
        label: The name written in place of every alias in ``"rewrite"`` mode.
        aliases: The other names (strings get the default rule of :class:`Alias`).
        note: Free text for people (where the id comes from, what is left out).
    """

    id: str = attrs.field(validator=_nonempty)
    label: str = attrs.field(validator=_nonempty)
    aliases: tuple[Alias, ...] = attrs.field(default=(), converter=_aliases)
    note: str = ""

    @property
    def all_aliases(self) -> tuple[Alias, ...]:
        """The label (first, unless listed) and the aliases, in order."""
        if any(a.text == self.label for a in self.aliases):
            return self.aliases
        return (Alias(text=self.label), *self.aliases)


def _entities(value: object) -> tuple[Entity, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        msg = "entities must be a sequence of Entity"
        raise TableError(msg)
    out = tuple(value)
    for item in out:
        if not isinstance(item, Entity):
            msg = f"entities must be Entity objects, got {type(item).__name__}"
            raise TableError(msg)
    return out


@attrs.frozen(kw_only=True, cache_hash=True, repr=False)
class AliasTable:
    """An immutable table of entities: what the alias step looks for.

    It is hashable (the hash is cached: a table of 10,000 aliases is hashed once)
    and picklable, so it can sit in a frozen config. Two tables are equal when they
    hold equal entities in the same order; ``name`` only labels error messages.

    >>> table = AliasTable(entities=(Entity(id="Q458", label="European Union", aliases=("EU",)),))
    >>> table
    AliasTable('<table>', 1 entity, 2 aliases)
    >>> len(table), table["Q458"].label
    (1, 'European Union')

    Attributes:
        entities: The entities, in order. When two entities share a name, the
            first whose checks pass wins; sharing a name with the same case rule
            and no context guard is an error.
        name: Where the table came from (a file name), for messages.

    Raises:
        TableError: If two entities have the same id.
    """

    entities: tuple[Entity, ...] = attrs.field(converter=_entities)
    name: str = attrs.field(default="<table>", eq=False)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for entity in self.entities:
            if entity.id in seen:
                msg = f"alias table {self.name!r}: entity id {entity.id!r} appears twice"
                raise TableError(msg)
            seen.add(entity.id)

    def __repr__(self) -> str:
        n, a = len(self.entities), self.alias_count
        return (
            f"AliasTable({self.name!r}, {n} entit{'y' if n == 1 else 'ies'}, "
            f"{a} alias{'' if a == 1 else 'es'})"
        )

    def __len__(self) -> int:
        return len(self.entities)

    def __iter__(self) -> Iterator[Entity]:
        return iter(self.entities)

    def __contains__(self, entity_id: object) -> bool:
        return any(e.id == entity_id for e in self.entities)

    def __getitem__(self, entity_id: str) -> Entity:
        for entity in self.entities:
            if entity.id == entity_id:
                return entity
        raise KeyError(entity_id)

    @property
    def alias_count(self) -> int:
        """How many names the table holds (labels included)."""
        return sum(len(e.all_aliases) for e in self.entities)

    @property
    def digest(self) -> str:
        """The hex SHA-256 of the table's content, the same in every process (unlike ``hash``)."""
        data = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()

    def merge(self, *others: AliasTable, name: str | None = None) -> AliasTable:
        """A table with the entities of ``self`` then of ``others``.

        An entity of a later table replaces the entity with the same id (in its
        place); new ids are added at the end.

        >>> mine = AliasTable(entities=(Entity(id="X1", label="Acme Corp", aliases=("Acme",)),))
        >>> merged = DEFAULT_TABLE.merge(mine)
        >>> "X1" in merged, len(merged) == len(DEFAULT_TABLE) + 1
        (True, True)
        """
        by_id = {e.id: e for e in self.entities}
        for other in others:
            if not isinstance(other, AliasTable):
                msg = f"merge takes AliasTable objects, got {type(other).__name__}"
                raise ConfigError(msg)
            for entity in other.entities:
                by_id[entity.id] = entity
        names = "+".join([self.name, *(o.name for o in others)])
        return AliasTable(entities=tuple(by_id.values()), name=name or names)

    def without(self, *entity_ids: str) -> AliasTable:
        """A table without the entities of the given ids (unknown ids are an error).

        >>> len(DEFAULT_TABLE.without("Q30")) == len(DEFAULT_TABLE) - 1
        True
        """
        unknown = [i for i in entity_ids if i not in self]
        if unknown:
            msg = f"alias table {self.name!r} has no entity {', '.join(map(repr, unknown))}"
            raise ConfigError(msg)
        drop = set(entity_ids)
        return AliasTable(
            entities=tuple(e for e in self.entities if e.id not in drop), name=self.name
        )

    def to_dict(self) -> dict[str, Any]:
        """The table as JSON-ready data, in the format :meth:`from_dict` reads."""
        return {"entities": [_entity_dict(e) for e in self.entities]}

    @classmethod
    def from_dict(cls, data: object, *, name: str = "<data>") -> AliasTable:
        """Build a table from data shaped like the JSON format.

        ``data`` is ``{"entities": [...]}`` or a list of entities; each entity is
        ``{"id", "label", "aliases", "note"?}`` and each alias a string or
        ``{"text", "case"?, "caps_lines"?, "require"?, "avoid"?, "rewrite"?}`` where a context is
        ``{"words": [...], "window"?: int | "text" | null}`` (``"text"`` or ``null``: the
        whole text; default 12 words).

        Raises:
            TableError: Naming the table and the entry, if anything is malformed.

        >>> AliasTable.from_dict([{"id": "Q1", "label": "A", "aliases": [{"text": "B", "case": "odd"}]}])
        Traceback (most recent call last):
        ...
        newsnorm.errors.TableError: alias table '<data>': entity 1 (id 'Q1'): alias 1 ({'text': 'B', ...}): case must be one of 'exact', 'exact-or-upper', 'any', got 'odd'
        """
        if isinstance(data, Mapping):
            extra = set(data) - {"entities", "note", "name"}
            if extra or "entities" not in data:
                msg = (
                    f"alias table {name!r}: expected {{'entities': [...]}}, got keys {sorted(data)}"
                )
                raise TableError(msg)
            records = data["entities"]
        else:
            records = data
        if isinstance(records, str | bytes) or not isinstance(records, Sequence):
            msg = f"alias table {name!r}: entities must be a list, got {type(records).__name__}"
            raise TableError(msg)
        entities = [
            _entity_from_record(rec, f"alias table {name!r}: entity {index}")
            for index, rec in enumerate(records, 1)
        ]
        try:
            return cls(entities=tuple(entities), name=name)
        except TableError as err:
            raise TableError(str(err)) from None

    @classmethod
    def from_file(cls, path: str | Path, *, format: str | None = None) -> AliasTable:
        """Load a table from a JSON, TOML or CSV file.

        Args:
            path: The file.
            format: ``"json"``, ``"toml"`` or ``"csv"`` (default: from the suffix).

        JSON is :meth:`from_dict`'s format. TOML holds the same as ``[[entities]]``
        tables. CSV has one row per alias with the columns ``id``, ``label``,
        ``alias`` and optionally ``case``, ``caps_lines`` and ``rewrite`` (``true``/``false``),
        ``require``, ``require_window``, ``avoid``, ``avoid_window`` (words separated
        by ``|``; a window is a number of words, ``text`` for the whole text, or empty
        for the default) and ``note``; the rows of one entity must agree on its label.

        Raises:
            TableError: Naming the file and the entry, if anything is malformed.
            OSError: If the file cannot be read.
        """
        if not isinstance(path, str | os.PathLike):
            msg = f"path must be a str or os.PathLike, got {type(path).__name__}: {path!r}"
            raise InputTypeError(msg)
        p = Path(path)
        fmt = (format or p.suffix.lstrip(".")).lower()
        raw = p.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            msg = f"alias table {str(p)!r}: not UTF-8 ({err})"
            raise TableError(msg) from None
        name = str(p)
        if fmt == "json":
            try:
                data = json.loads(text)
            except json.JSONDecodeError as err:
                msg = f"alias table {name!r}: invalid JSON: {err}"
                raise TableError(msg) from None
            return cls.from_dict(data, name=name)
        if fmt == "toml":
            try:
                tdata = tomllib.loads(text)
            except tomllib.TOMLDecodeError as err:
                msg = f"alias table {name!r}: invalid TOML: {err}"
                raise TableError(msg) from None
            return cls.from_dict(tdata, name=name)
        if fmt == "csv":
            return cls.from_dict(_csv_records(text, name), name=name)
        msg = f"alias table {name!r}: unknown format {fmt!r}; use json, toml or csv"
        raise TableError(msg)


def _show(item: object) -> str:
    if isinstance(item, str):
        return repr(item)
    if isinstance(item, Mapping) and "text" in item:
        return "{" + f"'text': {item['text']!r}, ...}}"
    text = repr(item)
    return text if len(text) <= 40 else text[:37] + "..."


def _entity_from_record(rec: object, where: str) -> Entity:
    if not isinstance(rec, Mapping):
        msg = f"{where}: an entity must be a mapping, got {type(rec).__name__}"
        raise TableError(msg)
    ident = rec.get("id")
    where = f"{where} (id {ident!r})" if ident is not None else where
    extra = set(rec) - {"id", "label", "aliases", "note"}
    if extra:
        msg = f"{where}: unknown key(s) {sorted(extra)}; an entity has 'id', 'label', 'aliases', 'note'"
        raise TableError(msg)
    for key in ("id", "label"):
        if key not in rec:
            msg = f"{where}: missing {key!r}"
            raise TableError(msg)
    note = rec.get("note", "")
    if not isinstance(note, str):
        msg = f"{where}: note must be a string"
        raise TableError(msg)
    try:
        return Entity(id=rec["id"], label=rec["label"], aliases=rec.get("aliases", ()), note=note)
    except TableError as err:
        msg = f"{where}: {err}"
        raise TableError(msg) from None


_CSV_COLUMNS = (
    "id",
    "label",
    "alias",
    "case",
    "caps_lines",
    "rewrite",
    "require",
    "require_window",
    "avoid",
    "avoid_window",
    "note",
)


def _csv_records(text: str, name: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    fields = reader.fieldnames or []
    missing = [c for c in ("id", "label", "alias") if c not in fields]
    unknown = [c for c in fields if c not in _CSV_COLUMNS]
    if missing or unknown:
        msg = (
            f"alias table {name!r}: CSV header needs id, label, alias"
            f"{f' (missing {missing})' if missing else ''}"
            f"{f'; unknown column(s) {unknown}' if unknown else ''}"
        )
        raise TableError(msg)
    entities: dict[str, dict[str, Any]] = {}
    for row_no, row in enumerate(reader, 2):
        where = f"alias table {name!r}: row {row_no}"
        if None in row:
            msg = f"{where}: more cells than columns"
            raise TableError(msg)
        ident = (row.get("id") or "").strip()
        label = (row.get("label") or "").strip()
        alias = (row.get("alias") or "").strip()
        if not ident or not label:
            msg = f"{where}: id and label must not be empty"
            raise TableError(msg)
        rec = entities.setdefault(ident, {"id": ident, "label": label, "aliases": []})
        if rec["label"] != label:
            msg = f"{where}: entity {ident!r} has label {label!r} here but {rec['label']!r} above"
            raise TableError(msg)
        if (row.get("note") or "").strip():
            rec["note"] = row["note"].strip()
        if not alias:
            continue
        item: dict[str, Any] = {"text": alias}
        if (row.get("case") or "").strip():
            item["case"] = row["case"].strip()
        for flag in ("caps_lines", "rewrite"):
            setting = (row.get(flag) or "").strip().lower()
            if setting:
                if setting not in ("true", "false"):
                    msg = f"{where}: {flag} must be true or false, got {setting!r}"
                    raise TableError(msg)
                item[flag] = setting == "true"
        for key in ("require", "avoid"):
            words = [w.strip() for w in (row.get(key) or "").split("|") if w.strip()]
            if not words:
                continue
            window_text = (row.get(f"{key}_window") or "").strip()
            context: dict[str, Any] = {"words": words}
            if window_text == "text":
                context["window"] = None
            elif window_text:
                try:
                    context["window"] = int(window_text)
                except ValueError:
                    msg = (
                        f"{where}: {key}_window must be a whole number, 'text' or empty, "
                        f"got {window_text!r}"
                    )
                    raise TableError(msg) from None
            item[key] = context
        rec["aliases"].append(item)
    return list(entities.values())


def _context_dict(c: Context | None) -> dict[str, Any] | None:
    return None if c is None else {"words": list(c.words), "window": c.window}


def _entity_dict(e: Entity) -> dict[str, Any]:
    aliases: list[Any] = []
    for a in e.aliases:
        d: dict[str, Any] = {"text": a.text, "case": a.case}
        if not a.caps_lines:
            d["caps_lines"] = False
        if not a.rewrite:
            d["rewrite"] = False
        if a.require is not None:
            d["require"] = _context_dict(a.require)
        if a.avoid is not None:
            d["avoid"] = _context_dict(a.avoid)
        aliases.append(d)
    out: dict[str, Any] = {"id": e.id, "label": e.label, "aliases": aliases}
    if e.note:
        out["note"] = e.note
    return out


def _load_default() -> AliasTable:
    ref = resources.files("newsnorm") / "data" / "aliases" / "default.json"
    data = json.loads(ref.read_text(encoding="utf-8"))
    return AliasTable.from_dict(data, name="newsnorm:data/aliases/default.json")


DEFAULT_TABLE: AliasTable = _load_default()
"""The table shipped with newsnorm (``newsnorm/data/aliases/default.json``): the Islamic
State group under all its common names, the other entities the seed articles name in
several forms, and frequent entities of international news, each with its Wikidata QID."""


def _check_table(_inst: object, _attr: object, value: object) -> None:
    if not isinstance(value, AliasTable):
        msg = (
            f"table must be an AliasTable, got {type(value).__name__}; "
            "load files with AliasTable.from_file(path)"
        )
        raise ConfigError(msg)


def _check_mode(_inst: object, _attr: object, value: object) -> None:
    if value not in _MODES:
        msg = f"mode must be 'rewrite' or 'annotate', got {value!r}"
        raise ConfigError(msg)


@attrs.frozen(kw_only=True)
class AliasConfig:
    """Options of the alias step.

    >>> AliasConfig(mode="annotate")
    AliasConfig(table=AliasTable('newsnorm:data/aliases/default.json', ...), mode='annotate', keep_glosses=True)

    Attributes:
        table: The entities to find (default :data:`DEFAULT_TABLE`). Load a file with
            :meth:`AliasTable.from_file` before building the config.
        mode: ``"rewrite"`` (default): replace each name by its entity's label and
            record a :class:`~newsnorm.Change`; ``"annotate"``: leave the text alone.
            Both record an :class:`~newsnorm.EntityMention` per name.
        keep_glosses: In ``"rewrite"`` mode, leave names that gloss the name just
            before them as written (default ``True``): ``ISIS (also known as ISIL or
            Daesh)`` becomes ``Islamic State (also known as ISIL or Daesh)``.
    """

    table: AliasTable = attrs.field(default=DEFAULT_TABLE, validator=_check_table)
    mode: Mode = attrs.field(default="rewrite", validator=_check_mode)
    keep_glosses: bool = attrs.field(default=True, validator=check_bool)


class AliasResolver:
    """The compiled alias step: the table's trie built once, then used for many texts.

    >>> resolver = AliasResolver(AliasConfig(mode="annotate"))
    >>> doc = resolver("Daesh's fighters")
    >>> doc.text, doc.entities[0].entity_id
    ("Daesh's fighters", 'Q2429253')
    """

    __slots__ = ("_matcher", "config")

    def __init__(self, config: AliasConfig | None = None) -> None:
        if config is None:
            config = AliasConfig()
        if not isinstance(config, AliasConfig):
            msg = f"config must be an AliasConfig, got {type(config).__name__}"
            raise ConfigError(msg)
        self.config = config
        self._matcher = _matcher_for(config.table)

    def __call__(self, doc: Normalized | str, /) -> Normalized:
        """Find (and in ``"rewrite"`` mode rewrite) every alias in ``doc``."""
        doc = as_doc(doc)
        text = doc.text
        matches = self._matcher.find(text)
        if not matches:
            return doc
        entities = self.config.table.entities
        rewrite = self.config.mode == "rewrite"
        gloss = gloss_flags(text, matches) if rewrite and self.config.keep_glosses else None
        edits: list[Edit] = []
        mentions: list[EntityMention] = []
        shift = 0
        for k, m in enumerate(matches):
            entity = entities[m.entity]
            surface = text[m.start : m.end]
            new, size = surface, len(surface)
            if rewrite and not (gloss and gloss[k]):
                new, size = rewrite_as(entity.label, text, m)
                if new != surface and (
                    (m.entity, m.alias) in self._matcher.kept
                    or self._matcher.label_runs_on(new, m.entity, text, m.end)
                ):
                    new, size = surface, len(surface)
            if new != surface:
                edits.append(
                    Edit(
                        start=m.start,
                        end=m.end,
                        replacement=new,
                        kind="alias",
                        rule="aliases.rewrite",
                    )
                )
            start = m.start + shift
            mentions.append(
                EntityMention(
                    start=start,
                    end=start + size,
                    surface=surface,
                    entity_id=entity.id,
                    label=entity.label,
                )
            )
            shift += len(new) - len(surface)
        if doc.entities:
            # Running the step again finds the same names: do not record them twice.
            old = _shifted_spans(doc, edits)
            mentions = [x for x in mentions if (x.start, x.end, x.entity_id) not in old]
        return doc.apply("aliases", edits, entities=mentions)

    def __repr__(self) -> str:
        return f"AliasResolver({self.config!r})"


def _shifted_spans(doc: Normalized, edits: Sequence[Edit]) -> set[tuple[int, int, str]]:
    moved = doc.apply("aliases", edits).entities
    return {(e.start, e.end, e.entity_id) for e in moved}


_DEFAULT_MATCHER: Matcher | None = None


def _matcher_for(table: AliasTable) -> Matcher:
    # The default table's matcher is immutable; compiling it once is not hidden state.
    global _DEFAULT_MATCHER  # noqa: PLW0603
    if table is DEFAULT_TABLE:
        if _DEFAULT_MATCHER is None:
            _DEFAULT_MATCHER = Matcher(DEFAULT_TABLE)
        return _DEFAULT_MATCHER
    return Matcher(table)


def resolve_aliases(
    text: str | Normalized,
    *,
    table: AliasTable | None = None,
    mode: Mode = "rewrite",
    config: AliasConfig | None = None,
) -> Normalized:
    """Find every name of every entity of ``table``; rewrite it to the label or annotate it.

    Args:
        text: The article text, or the result of an earlier step.
        table: The entities (default: ``config.table``, else :data:`DEFAULT_TABLE`).
        mode: ``"rewrite"`` (default) or ``"annotate"``; it takes precedence over
            ``config.mode``.
        config: The other options (default :class:`AliasConfig` ``()``).

    Returns:
        The result, with an :class:`~newsnorm.EntityMention` per name and, in
        ``"rewrite"`` mode, a :class:`~newsnorm.Change` per name that was not already
        the label.

    Raises:
        InputTypeError: If ``text`` is neither ``str`` nor :class:`~newsnorm.Normalized`.
        ConfigError: If ``table``, ``mode`` or ``config`` is not usable.

    Each call with a table other than the default compiles it again; to resolve
    many texts with your own table, build an :class:`AliasResolver` (or a
    :class:`~newsnorm.Normalizer`) once.

    >>> doc = resolve_aliases("ISIS (also known as ISIL or Daesh) lost Mosul.")
    >>> doc.text
    'Islamic State (also known as ISIL or Daesh) lost Mosul.'
    >>> len(doc.entities), doc.changes[0].before
    (3, 'ISIS')
    """
    base = config if config is not None else AliasConfig()
    if not isinstance(base, AliasConfig):
        msg = f"config must be an AliasConfig, got {type(base).__name__}"
        raise ConfigError(msg)
    cfg = attrs.evolve(base, mode=mode, table=base.table if table is None else table)
    return AliasResolver(cfg)(as_doc(text))


STEP = StepSpec(
    name="aliases",
    config_type=AliasConfig,
    compile=AliasResolver,
    summary="resolve the names of an entity to a canonical id; rewrite or annotate",
)
