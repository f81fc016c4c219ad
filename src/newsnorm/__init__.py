"""newsnorm: make news articles from many outlets comparable, and say exactly what changed.

>>> import newsnorm
>>> doc = newsnorm.normalize("Iraq 's army\\u00a0won.", published="2017-07-11")
>>> doc.text
"Iraq's army won."
>>> [c.rule for c in doc.changes]
['repair.odd-spaces', 'repair.possessive-space']
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from newsnorm import errors
from newsnorm._align import Edit
from newsnorm._batch import BatchReport, RecordFailure
from newsnorm._model import Caption, Change, DateMention, EntityMention, Normalized, Note
from newsnorm._pipeline import DEFAULT_STEPS, STEPS, NormalizeConfig, Normalizer, normalize
from newsnorm._step import StepRunner, StepSpec

try:
    __version__ = version("newsnorm")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "DEFAULT_STEPS",
    "STEPS",
    "BatchReport",
    "Caption",
    "Change",
    "DateMention",
    "Edit",
    "EntityMention",
    "NormalizeConfig",
    "Normalized",
    "Normalizer",
    "Note",
    "RecordFailure",
    "StepRunner",
    "StepSpec",
    "__version__",
    "errors",
    "normalize",
]
