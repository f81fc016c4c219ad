"""Typed errors raised by newsnorm.

Every error newsnorm raises on purpose derives from :class:`NewsnormError`, and
also from the built-in exception that fits (:class:`TypeError` for a value of
the wrong type, :class:`ValueError` for a value of the right type that cannot
be used), so ``except ValueError`` keeps working for callers who do not know
newsnorm's classes.

>>> import newsnorm
>>> try:
...     newsnorm.normalize(b"bytes")
... except newsnorm.errors.InputTypeError as err:
...     print(err)
text must be str, got bytes; decode it first, e.g. data.decode("utf-8")
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "InputTypeError",
    "InvalidDateError",
    "NewsnormError",
    "RecordError",
    "SpanError",
    "TableError",
]


class NewsnormError(Exception):
    """Base class of every error newsnorm raises on purpose."""


class InputTypeError(NewsnormError, TypeError):
    """An argument has a type newsnorm does not accept (e.g. ``bytes`` as text)."""


class InvalidDateError(NewsnormError, ValueError):
    """A publication date that is not a real calendar date, or not a date at all."""


class SpanError(NewsnormError, ValueError):
    """A ``(start, end)`` span that does not lie inside the text it refers to."""


class ConfigError(NewsnormError, ValueError):
    """A configuration value that cannot be used (unknown step, bad option)."""


class TableError(ConfigError):
    """A malformed data table (alias table, rule file); the message names file and entry."""


class RecordError(NewsnormError, ValueError):
    """A batch or CLI record that cannot be normalised (bad JSON, missing or bad field)."""
