"""The pipeline: the step registry, the config, :class:`Normalizer` and :func:`normalize`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from newsnorm import dates, repair
from newsnorm._inputs import as_doc, coerce_text
from newsnorm._model import Normalized
from newsnorm._step import StepRunner, StepSpec
from newsnorm.errors import ConfigError

__all__ = ["DEFAULT_STEPS", "STEPS", "NormalizeConfig", "Normalizer", "normalize"]

STEPS: Mapping[str, StepSpec] = MappingProxyType(
    {spec.name: spec for spec in (repair.STEP, dates.STEP)}
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
        dates: Options of the date step (default :class:`~newsnorm.dates.DateConfig` ``()``).

    >>> NormalizeConfig(steps="repair").steps
    ('repair',)
    """

    steps: tuple[str, ...] = attrs.field(default=DEFAULT_STEPS, converter=_check_steps)
    repair: repair.RepairConfig = attrs.field(
        factory=repair.RepairConfig, validator=_check_type(repair.RepairConfig)
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
        doc = as_doc(coerce_text(text), published=published, source=source)
        for _name, runner in self._runners:
            doc = runner(doc)
        return doc

    __call__ = normalize

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
