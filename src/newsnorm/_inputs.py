"""Checking what callers pass in, at the boundary, with clear typed errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from newsnorm._model import Normalized
from newsnorm.errors import InputTypeError, InvalidDateError

__all__ = ["as_doc", "coerce_published", "coerce_source", "coerce_text"]

_ACCEPTED_DATES = (
    "a datetime.date, a datetime.datetime (naive or aware) or an ISO-8601 date string "
    "such as '2017-07-11'"
)


def coerce_text(text: object, *, name: str = "text") -> str:
    """Return ``text`` if it is a ``str``; raise :class:`InputTypeError` otherwise."""
    if isinstance(text, str):
        return text
    if isinstance(text, bytes | bytearray | memoryview):
        msg = (
            f"{name} must be str, got {type(text).__name__}; "
            'decode it first, e.g. data.decode("utf-8")'
        )
        raise InputTypeError(msg)
    msg = f"{name} must be str, got {type(text).__name__}: {_short(text)}"
    raise InputTypeError(msg)


def coerce_published(value: object) -> dt.date | None:
    """Turn an accepted publication date into a :class:`datetime.date`.

    A ``datetime`` gives its own calendar date (an aware one in its own time zone:
    the date the outlet printed). Strings must be ISO-8601 dates or date-times.

    Raises:
        InputTypeError: For any other type (numbers, bytes, ...).
        InvalidDateError: For a string that is not a real ISO-8601 date.

    >>> coerce_published("2017-07-11")
    datetime.date(2017, 7, 11)
    >>> coerce_published("2017-02-30")
    Traceback (most recent call last):
    ...
    newsnorm.errors.InvalidDateError: published must be ... got '2017-02-30' (day is out ...)
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) <= 10:
                return dt.date.fromisoformat(text)
            return dt.datetime.fromisoformat(text).date()
        except ValueError as err:
            msg = f"published must be {_ACCEPTED_DATES}; got {value!r} ({err})"
            raise InvalidDateError(msg) from None
    msg = f"published must be {_ACCEPTED_DATES}; got {type(value).__name__}: {_short(value)}"
    raise InputTypeError(msg)


def coerce_source(value: object) -> str | None:
    """Return the outlet name, or ``None``; raise :class:`InputTypeError` for non-strings."""
    if value is None or isinstance(value, str):
        return value
    msg = f"source must be str or None, got {type(value).__name__}: {_short(value)}"
    raise InputTypeError(msg)


def as_doc(text: object, *, published: object = None, source: object = None) -> Normalized:
    """Start a :class:`Normalized` from ``text``, or carry on from one.

    Given a :class:`Normalized`, ``published`` and ``source`` override its own
    only when they are not ``None``.
    """
    if type(text) is str:  # the common case first
        return Normalized.from_text(
            text,
            published=None if published is None else coerce_published(published),
            source=None if source is None else coerce_source(source),
        )
    if isinstance(text, Normalized):
        pub = coerce_published(published)
        src = coerce_source(source)
        doc = text
        if pub is not None and pub != doc.published:
            doc = _evolve(doc, published=pub)
        if src is not None and src != doc.source:
            doc = _evolve(doc, source=src)
        return doc
    return Normalized.from_text(
        coerce_text(text), published=coerce_published(published), source=coerce_source(source)
    )


def _evolve(doc: Normalized, **changes: Any) -> Normalized:
    return attrs.evolve(doc, **changes)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
