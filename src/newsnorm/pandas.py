"""pandas (and Spark ``pandas_udf``) support: :func:`normalize_series`.

Importing this module does not import pandas; calling :func:`normalize_series`
does, and raises :class:`ImportError` naming the extra (``newsnorm[pandas]``)
when pandas is missing.

>>> import pandas as pd
>>> from newsnorm.pandas import normalize_series
>>> texts = pd.Series(["TRT World 's team", "a\\u00a0b"], index=[10, 11], name="body")
>>> normalize_series(texts, published=pd.Series(["2017-07-11", None], index=[10, 11]))
10    TRT World's team
11                 a b
Name: body, dtype: ...
"""

from __future__ import annotations

import math
from typing import Any

from newsnorm._batch import check_on_error
from newsnorm._pipeline import Normalizer, _default_normalizer
from newsnorm.errors import ConfigError

__all__ = ["normalize_series"]


def _pandas() -> Any:
    try:
        import pandas as pd  # type: ignore[import-untyped,unused-ignore]  # noqa: PLC0415
    except ImportError as err:
        msg = "newsnorm.pandas needs pandas: pip install 'newsnorm[pandas]'"
        raise ImportError(msg) from err
    return pd


def _missing(pd: Any, value: Any) -> bool:
    """None, NaN, NaT and pandas' NA all mean "no value"."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    result = pd.isna(value)
    return result if isinstance(result, bool) else False


def _column(pd: Any, values: Any, index: Any, name: str) -> list[Any]:
    if values is None or isinstance(values, str) or not hasattr(values, "__len__"):
        return [values] * len(index)
    if isinstance(values, pd.Series):
        if not values.index.equals(index):
            msg = f"{name} must have the same index as texts"
            raise ConfigError(msg)
        return list(values)
    items = list(values)
    if len(items) != len(index):
        msg = f"{name} has {len(items)} values, texts has {len(index)}"
        raise ConfigError(msg)
    return items


def normalize_series(
    texts: Any,
    published: Any = None,
    *,
    source: Any = None,
    normalizer: Normalizer | None = None,
    on_error: str = "raise",
) -> Any:
    """Normalise a pandas Series of texts; return a Series of the same length and index.

    Also the body of a Spark ``pandas_udf`` (Series in, Series of the same length out).

    Args:
        texts: A ``pandas.Series`` of article texts.
        published: Publication dates: a Series with the same index (strings, dates or
            timestamps; missing values are allowed), one value for all rows, or ``None``.
        source: The outlets, as a Series with the same index, one value, or ``None``.
        normalizer: The :class:`~newsnorm.Normalizer` to use (default: every step with
            default options).
        on_error: ``"raise"`` (default) or ``"keep"``: a row that fails keeps its text
            (a Series cannot skip rows).

    Returns:
        A Series of normalised texts with the index and name of ``texts``; a missing
        text (``None``, ``NaN``) stays missing.

    Raises:
        ImportError: pandas is not installed.
        ConfigError: Misaligned ``published``/``source``, or ``on_error="skip"``.
    """
    pd = _pandas()
    mode = check_on_error(on_error)
    if mode == "skip":
        msg = "normalize_series cannot skip rows: use on_error='raise' or 'keep'"
        raise ConfigError(msg)
    if not isinstance(texts, pd.Series):
        texts = pd.Series(texts)
    norm = normalizer if normalizer is not None else _default_normalizer()
    dates = _column(pd, published, texts.index, "published")
    sources = _column(pd, source, texts.index, "source")
    out: list[Any] = []
    for text, pub, src in zip(texts, dates, sources, strict=True):
        if _missing(pd, text):
            out.append(text)
            continue
        try:
            doc = norm.normalize(
                text,
                published=None if _missing(pd, pub) else pub,
                source=None if _missing(pd, src) else src,
            )
        except Exception:
            if mode == "raise":
                raise
            out.append(text)
            continue
        out.append(doc.text)
    return pd.Series(out, index=texts.index, name=texts.name)
