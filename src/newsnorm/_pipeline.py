"""The pipeline: the step registry, the config, :class:`Normalizer` and :func:`normalize`."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, Literal, TypeVar, overload

import attrs

from newsnorm import _batch, aliases, boilerplate, captions, dates, repair
from newsnorm._inputs import as_doc, coerce_text
from newsnorm._model import Normalized
from newsnorm._step import StepRunner, StepSpec
from newsnorm.errors import ConfigError

__all__ = ["DEFAULT_STEPS", "STEPS", "NormalizeConfig", "Normalizer", "normalize"]

_C = TypeVar("_C")

STEPS: Mapping[str, StepSpec] = MappingProxyType(
    {
        spec.name: spec
        for spec in (repair.STEP, captions.STEP, boilerplate.STEP, aliases.STEP, dates.STEP)
    }
)
"""The registered steps by name, in the order they run (like ftfy's ``FIXERS``)."""

DEFAULT_STEPS: tuple[str, ...] = tuple(STEPS)
"""Every registered step, in pipeline order."""


def _check_steps(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        value = tuple(part.strip() for part in value.split(",") if part.strip())
    if not isinstance(value, tuple | list):
        msg = f"steps must be a tuple of step names, got {type(value).__name__}"
        raise ConfigError(msg)
    names = tuple(value)
    unknown = [name for name in names if name not in STEPS]
    if unknown:
        msg = f"unknown step(s) {', '.join(map(repr, unknown))}; known steps: {', '.join(STEPS)}"
        raise ConfigError(msg)
    # Run in pipeline order, each once, whatever order they were named in.
    return tuple(name for name in STEPS if name in names)


def _check_type(expected: type[Any]) -> Any:
    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, expected):
            msg = f"{attribute.name} must be a {expected.__name__}, got {type(value).__name__}"
            raise ConfigError(msg)

    return check


@attrs.frozen(kw_only=True)
class NormalizeConfig:
    """Which steps run, and each step's own options.

    Use :func:`attrs.evolve` to change one option of a config.

    Attributes:
        steps: Names of the steps to run (default: all of :data:`STEPS`). They always
            run in pipeline order: repair first. A comma-separated string is accepted.
        repair: Options of the repair step (default :class:`~newsnorm.repair.RepairConfig` ``()``).
        captions: Options of the caption step (default
            :class:`~newsnorm.captions.CaptionConfig` ``()``).
        boilerplate: Options of the boilerplate step (default
            :class:`~newsnorm.boilerplate.BoilerplateConfig` ``()``).
        aliases: Options of the alias step (default :class:`~newsnorm.aliases.AliasConfig` ``()``).
        dates: Options of the date step (default :class:`~newsnorm.dates.DateConfig` ``()``).

    >>> NormalizeConfig(steps="repair").steps
    ('repair',)
    """

    steps: tuple[str, ...] = attrs.field(default=DEFAULT_STEPS, converter=_check_steps)
    repair: repair.RepairConfig = attrs.field(
        factory=repair.RepairConfig, validator=_check_type(repair.RepairConfig)
    )
    captions: captions.CaptionConfig = attrs.field(
        factory=captions.CaptionConfig, validator=_check_type(captions.CaptionConfig)
    )
    boilerplate: boilerplate.BoilerplateConfig = attrs.field(
        factory=boilerplate.BoilerplateConfig, validator=_check_type(boilerplate.BoilerplateConfig)
    )
    aliases: aliases.AliasConfig = attrs.field(
        factory=aliases.AliasConfig, validator=_check_type(aliases.AliasConfig)
    )
    dates: dates.DateConfig = attrs.field(
        factory=dates.DateConfig, validator=_check_type(dates.DateConfig)
    )

    def step_config(self, name: str) -> Any:
        """The config of the step called ``name``."""
        return getattr(self, name)


class Normalizer:
    """A reusable pipeline: compiles its rules once, then normalises many texts.

    A :class:`Normalizer` is immutable, picklable (it pickles as its config and
    compiles again where it is unpickled), thread-safe, and equal to any other
    built from an equal config, with a stable ``repr``.

    >>> norm = Normalizer(NormalizeConfig(steps=("repair",)))
    >>> norm
    Normalizer(NormalizeConfig(steps=('repair',), repair=RepairConfig(...)))
    >>> norm.normalize("TRT World 's Nicole").text
    "TRT World's Nicole"
    """

    __slots__ = ("_config", "_runners")

    def __init__(self, config: NormalizeConfig | None = None) -> None:
        if config is None:
            config = NormalizeConfig()
        if not isinstance(config, NormalizeConfig):
            msg = f"config must be a NormalizeConfig, got {type(config).__name__}"
            raise ConfigError(msg)
        self._config = config
        self._runners: tuple[tuple[str, StepRunner], ...] = tuple(
            (name, STEPS[name].compile(config.step_config(name))) for name in config.steps
        )

    @property
    def config(self) -> NormalizeConfig:
        """The config this normalizer was built from."""
        return self._config

    def normalize(
        self,
        text: str,
        *,
        published: dt.date | dt.datetime | str | None = None,
        source: str | None = None,
    ) -> Normalized:
        """Run every configured step on ``text``; see :func:`newsnorm.normalize`."""
        doc = as_doc(
            text if type(text) is str else coerce_text(text), published=published, source=source
        )
        for _name, runner in self._runners:
            doc = runner(doc)
        return doc

    __call__ = normalize

    @overload
    def pipe(
        self,
        items: Iterable[str | Mapping[str, Any]],
        *,
        batch_size: int = ...,
        n_process: int = ...,
        as_tuples: Literal[False] = ...,
        on_error: _batch.OnError = ...,
        report: _batch.BatchReport | None = ...,
    ) -> Iterator[Normalized]: ...

    @overload
    def pipe(
        self,
        items: Iterable[tuple[str | Mapping[str, Any], _C]],
        *,
        batch_size: int = ...,
        n_process: int = ...,
        as_tuples: Literal[True],
        on_error: _batch.OnError = ...,
        report: _batch.BatchReport | None = ...,
    ) -> Iterator[tuple[Normalized, _C]]: ...

    def pipe(
        self,
        items: Iterable[Any],
        *,
        batch_size: int = 1000,
        n_process: int = 1,
        as_tuples: bool = False,
        on_error: _batch.OnError = "raise",
        report: _batch.BatchReport | None = None,
    ) -> Iterator[Any]:
        """Normalise a stream of texts or records, in order (spaCy's ``nlp.pipe`` semantics).

        Args:
            items: Texts, or records: mappings with a ``"text"`` and optional
                ``"published"`` and ``"source"`` fields. Read lazily.
            batch_size: Items sent to a worker process at a time (default 1000).
            n_process: Processes that normalise: this one and ``n_process - 1``
                workers (default 1: this process alone; ``-1``: all cores). Each
                worker compiles the rules once.
            as_tuples: Items are ``(item, context)`` pairs; yield ``(result, context)``
                pairs. Contexts stay in this process: they need not be picklable.
            on_error: ``"raise"`` (default) stops at the first record that fails;
                ``"skip"`` leaves it out; ``"keep"`` yields its text unchanged (an empty
                text for an item that is not a string) with a ``batch`` note
                ``record-error``. Skipped and kept records are counted in ``report``.
            report: A :class:`~newsnorm.BatchReport` to fill in as results are consumed.

        Yields:
            One :class:`Normalized` per item (or ``(Normalized, context)`` pairs), in
            input order.

        Raises:
            ConfigError: A bad ``batch_size``, ``n_process`` or ``on_error``.

        >>> norm = Normalizer()
        >>> [doc.text for doc in norm.pipe(["TRT World 's team", "ok"])]
        ["TRT World's team", 'ok']
        >>> records = [({"text": "a\u00a0b", "published": "2017-07-11"}, "id-1")]
        >>> [(doc.text, doc.published, ctx) for doc, ctx in norm.pipe(records, as_tuples=True)]
        [('a b', datetime.date(2017, 7, 11), 'id-1')]
        """
        batch_size = _batch.check_batch_size(batch_size)
        n_process = _batch.check_n_process(n_process)
        job = _batch.Job(normalizer=self, mode="doc", on_error=_batch.check_on_error(on_error))
        if not as_tuples:
            results = _batch.run(
                job, items, batch_size=batch_size, n_process=n_process, report=report
            )
            return (doc for _index, doc in results)
        contexts: deque[Any] = deque()
        results = _batch.run(
            job,
            _batch.split_tuples(items, contexts),
            batch_size=batch_size,
            n_process=n_process,
            report=report,
        )
        return _batch.join_tuples(results, contexts)

    def map_partition(
        self,
        records: Iterable[Mapping[str, Any]],
        *,
        text_field: str = "text",
        date_field: str | None = "published",
        source_field: str | None = "source",
        id_field: str | None = "id",
        explain: bool = False,
        on_error: _batch.OnError = "raise",
        report: _batch.BatchReport | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Normalise an iterable of records, for Dask ``Bag.map_partitions`` and Spark
        ``RDD.mapPartitions``.

        Each output record is a copy of the input with the text field replaced by the
        normalised text and a ``"newsnorm"`` field holding what was found (entities,
        dates, captions; with ``explain`` also the changes and notes). Every other
        field is kept.

        Args:
            records: Mappings (a partition); read lazily.
            text_field: Field holding the text (default ``"text"``).
            date_field: Field holding the publication date, or ``None``.
            source_field: Field holding the outlet, or ``None``.
            id_field: Field holding the record id (used in failure reports), or ``None``.
            explain: Add ``changes`` and ``notes`` to the ``"newsnorm"`` field.
            on_error: ``"raise"``, ``"skip"`` or ``"keep"`` (a kept record comes out
                unchanged with ``{"newsnorm": {"error": {"type": ..., "message": ...}}}``;
                an item that is no record comes out as that field alone, with the item
                as ``"input"``).
            report: A :class:`~newsnorm.BatchReport` to fill in.

        >>> norm = Normalizer()
        >>> out = list(norm.map_partition([{"id": 7, "text": "a\u00a0b", "lang": "en"}]))
        >>> out[0]["text"], out[0]["lang"], sorted(out[0]["newsnorm"])
        ('a b', 'en', ['captions', 'dates', 'entities'])
        """
        job = _batch.Job(
            normalizer=self,
            mode="record",
            fields=_batch.Fields.of(text_field, date_field, source_field, id_field),
            explain=bool(explain),
            on_error=_batch.check_on_error(on_error),
        )
        return (record for _index, record in _batch.run(job, records, report=report))

    def map_batch(
        self,
        batch: Mapping[str, list[Any]],
        *,
        text_field: str = "text",
        date_field: str | None = "published",
        source_field: str | None = "source",
        explain: bool = False,
        on_error: _batch.OnError = "raise",
    ) -> dict[str, list[Any]]:
        """Normalise a column batch, for Hugging Face ``Dataset.map(batched=True)``.

        Returns every input column (the text column normalised) and a ``"newsnorm"``
        column holding, for each row, a JSON string of what was found (entities,
        dates, captions; with ``explain`` also changes and notes). JSON keeps the
        column's Arrow type the same in every batch. With ``on_error="skip"`` failed
        rows are dropped (``len(dataset) - len(result)`` counts them); with ``"keep"``
        their text is left as it was and the JSON holds ``{"error": {...}}``.

        The normalizer pickles as its config, so ``datasets`` hashes it stably and
        its cache works, and ``num_proc`` workers can use it.

        >>> norm = Normalizer()
        >>> out = norm.map_batch({"text": ["a\u00a0b", "ok"], "id": [1, 2]})
        >>> out["text"], out["id"], out["newsnorm"][0]
        (['a b', 'ok'], [1, 2], '{"entities": [], "dates": [], "captions": []}')
        """
        job = _batch.Job(
            normalizer=self,
            mode="record",
            fields=_batch.Fields.of(text_field, date_field, source_field),
            explain=bool(explain),
            on_error=_batch.check_on_error(on_error),
        )
        return _batch.map_batch(job, batch)

    def __repr__(self) -> str:
        return f"Normalizer({self._config!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Normalizer):
            return NotImplemented
        return self._config == other._config

    def __hash__(self) -> int:
        return hash(self._config)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Normalizer, (self._config,))


_DEFAULT: Normalizer | None = None


def _default_normalizer() -> Normalizer:
    # The default normalizer is immutable; building it once is not hidden state.
    global _DEFAULT  # noqa: PLW0603
    if _DEFAULT is None:
        _DEFAULT = Normalizer()
    return _DEFAULT


def normalize(
    text: str,
    *,
    published: dt.date | dt.datetime | str | None = None,
    source: str | None = None,
    config: NormalizeConfig | None = None,
) -> Normalized:
    """Normalise one news article: every configured step, in pipeline order.

    Args:
        text: The article text.
        published: Its publication date: a :class:`datetime.date`, a
            :class:`datetime.datetime` (naive or aware; its own calendar date is used)
            or an ISO-8601 string. Relative dates are anchored to it; nothing else is.
        source: The outlet (``"TRT World"``, ``"trtworld.com"``); selects outlet rules.
        config: Which steps run and their options (default :class:`NormalizeConfig` ``()``).
            To normalise many texts with one config, build a :class:`Normalizer` once.

    Returns:
        The :class:`Normalized` result.

    Raises:
        InputTypeError: ``text`` is not ``str``, or ``published``/``source`` have a wrong type.
        InvalidDateError: ``published`` is a string that is not a real ISO-8601 date.

    >>> import newsnorm
    >>> doc = newsnorm.normalize("TRT World 's Nicole Johnston", published="2017-07-11")
    >>> doc.text
    "TRT World's Nicole Johnston"
    >>> doc.published
    datetime.date(2017, 7, 11)
    """
    normalizer = _default_normalizer() if config is None else Normalizer(config)
    return normalizer.normalize(text, published=published, source=source)
