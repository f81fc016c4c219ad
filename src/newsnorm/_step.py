"""What a step is: a name, a frozen config type, and a compiler to a runner."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import attrs

from newsnorm._model import Normalized

__all__ = ["StepRunner", "StepSpec"]


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
