"""What a step is: a name, a frozen config type, and a compiler to a runner."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import attrs

from newsnorm._model import Normalized
from newsnorm.errors import ConfigError

__all__ = ["StepRunner", "StepSpec", "check_bool", "check_str"]


def check_bool(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator for a step config's switches: ``True`` or ``False``, nothing else
    (a string such as ``"no"`` would otherwise count as true)."""
    if not isinstance(value, bool):
        msg = f"{attribute.name} must be True or False, got {type(value).__name__}: {value!r}"
        raise ConfigError(msg)


def check_str(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator for a step config's text options."""
    if not isinstance(value, str):
        msg = f"{attribute.name} must be a str, got {type(value).__name__}: {value!r}"
        raise ConfigError(msg)


class StepRunner(Protocol):
    """A compiled step: rules built once, then applied to many documents."""

    def __call__(self, doc: Normalized, /) -> Normalized:
        """Run the step on ``doc`` and return the new result."""
        ...


@attrs.frozen(kw_only=True)
class StepSpec:
    """A registered step (see :data:`newsnorm.STEPS`).

    Attributes:
        name: The step's name; every :class:`~newsnorm.Change` it makes carries it.
        config_type: The step's frozen config class.
        compile: Builds a runner from a config (compiles rules once).
        summary: One line saying what the step does.
    """

    name: str
    config_type: type[Any]
    compile: Callable[[Any], StepRunner]
    summary: str
