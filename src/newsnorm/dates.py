"""The date step: anchor relative and partial dates to the publication date as TIMEX3 values.

Every date expression of English news text becomes a :class:`~newsnorm.DateMention`
with its span (the TimeML TIMEX3 extent: no leading preposition, no possessive
``'s``), its TIMEX3 ``value`` and, where it has one, the calendar interval it covers.

>>> from newsnorm.dates import anchor_dates
>>> doc = anchor_dates("The talks ended on Monday; a new round starts next week.",
...                    published="2017-07-11")
>>> [(d.surface, d.value) for d in doc.dates]
[('Monday', '2017-07-10'), ('next week', '2017-W29')]
>>> doc.dates[1].start_date, doc.dates[1].end_date
(datetime.date(2017, 7, 17), datetime.date(2017, 7, 23))

Direction policy (the user guide has the full table):

* A bare weekday that names the publication weekday is the publication day.
* Otherwise it is the latest such day before publication in past-tense context
  and the next one after it in future context ("will meet on Wednesday", "is set
  to", "plans to"); with no tense cue, ``DateConfig.default_tense`` decides (past).
* ``last Friday`` is always before publication, ``next Friday`` always after.
* A month, or a month and day, without a year takes the occurrence on the side the
  tense says (past: on or before publication; future: on or after) if it lies within
  nine months (280 days); otherwise, and with no cue, the nearest one.

Tense comes from the nearest auxiliary or verb form in the same sentence (``will``,
``is set to``, ``was``, ``said``, lower-case ``-ed`` words) and from deadline words
right before the expression (``by``, ``until``, ``since``): word lists looked up word
by word, no tagger, no JVM. All date arithmetic is
:class:`dateutil.relativedelta.relativedelta`.

The scan is linear: one pass finds the trigger words every expression holds (weekday
and month names, ``week``, ``year``, four-digit numbers ...), and the compiled grammar
is tried only at the few word starts just before each of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Literal

import attrs
import regex

from newsnorm._align import Edit
from newsnorm._dates_rules import Found, Options, Resolver
from newsnorm._inputs import as_doc, coerce_text
from newsnorm._model import DateMention, Normalized, Note
from newsnorm._step import StepSpec, check_bool
from newsnorm.errors import ConfigError

__all__ = ["DateConfig", "PublishedEstimate", "anchor_dates", "estimate_published"]

_FORMAT_FIELDS = frozenset({"value", "surface", "start_date", "end_date"})


def _check_format(_inst: object, _attr: object, value: object) -> None:
    if not isinstance(value, str):
        msg = f"rewrite_format must be a str, got {type(value).__name__}"
        raise ConfigError(msg)
    try:
        value.format(value="v", surface="s", start_date="d", end_date="d")
    except (KeyError, IndexError, ValueError) as err:
        msg = (
            f"rewrite_format {value!r} is not a usable format string ({err}); "
            f"it may use the fields {', '.join(sorted(_FORMAT_FIELDS))}"
        )
        raise ConfigError(msg) from None


def _check_limit(_inst: object, _attr: object, value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        msg = f"max_dates must be a positive int or None, got {value!r}"
        raise ConfigError(msg)


def _check_choice(*choices: str) -> Callable[[object, attrs.Attribute[str], str], None]:
    def check(_inst: object, attribute: attrs.Attribute[str], value: str) -> None:
        if value not in choices:
            msg = f"{attribute.name} must be one of {', '.join(map(repr, choices))}, got {value!r}"
            raise ConfigError(msg)

    return check


@attrs.frozen(kw_only=True)
class DateConfig:
    """Options of the date step.

    Attributes:
        rewrite: Insert each anchored value into the text after its expression
            (default ``False``: the text is left alone and only ``dates`` are added).
            Each insertion is a :class:`~newsnorm.Change` of kind ``"date-anchor"``.
        rewrite_format: What is inserted after an expression (default ``" ({value})"``,
            so "on Monday" becomes "on Monday (2017-07-10)"). Fields: ``value``,
            ``surface``, ``start_date``, ``end_date``.
        rewrite_explicit: Also rewrite expressions that carry their own full date, such as
            "November 17, 2016" (default ``False``: only those the publication date anchored).
        rewrite_refs: Also rewrite ``PRESENT_REF``/``PAST_REF``/``FUTURE_REF`` mentions such
            as "now" and "recently" (default ``False``).
        refs: Find the vague references "now", "currently", "recently", "the past", "the
            future" as ``PRESENT_REF``/``PAST_REF``/``FUTURE_REF`` (default ``True``).
        same_weekday: What a bare weekday naming the publication weekday means:
            ``"publication"`` (default: the publication day, the news convention) or
            ``"tense"`` (a week before or after, as the tense says).
        default_tense: The direction of a bare weekday when the sentence has no tense cue:
            ``"past"`` (default; news mostly reports what happened) or ``"future"``.
        max_dates: The most expressions anchored in one text (default 5000; a news
            article holds a few dozen). Past it the step stops and leaves a
            ``too-many-dates`` note, so that hostile input ("on Monday" a hundred thousand
            times) costs no more than this many. ``None``: no limit.

    >>> DateConfig(default_tense="future").same_weekday
    'publication'
    """

    rewrite: bool = attrs.field(default=False, validator=check_bool)
    rewrite_format: str = attrs.field(default=" ({value})", validator=_check_format)
    rewrite_explicit: bool = attrs.field(default=False, validator=check_bool)
    rewrite_refs: bool = attrs.field(default=False, validator=check_bool)
    refs: bool = attrs.field(default=True, validator=check_bool)
    same_weekday: Literal["publication", "tense"] = attrs.field(
        default="publication", validator=_check_choice("publication", "tense")
    )
    default_tense: Literal["past", "future"] = attrs.field(
        default="past", validator=_check_choice("past", "future")
    )
    max_dates: int | None = attrs.field(default=5000, validator=_check_limit)


def _mention(found: Found, text: str, shift: int = 0) -> DateMention:
    return DateMention(
        start=found.start + shift,
        end=found.end + shift,
        surface=text[found.start : found.end],
        value=found.value,
        start_date=found.start_date,
        end_date=found.end_date,
        rule=found.rule,
    )


class _Anchorer:
    """The compiled date step."""

    def __init__(self, config: DateConfig) -> None:
        if not isinstance(config, DateConfig):
            msg = f"config must be a DateConfig, got {type(config).__name__}"
            raise ConfigError(msg)
        self.config = config
        self._opts = Options(
            same_weekday=config.same_weekday,
            default_tense=config.default_tense,
            refs=config.refs,
            max_dates=config.max_dates,
        )

    def __call__(self, doc: Normalized) -> Normalized:
        if doc.published is None:
            note = Note(
                step="dates",
                code="no-published-date",
                message="no publication date was given, so no date was anchored",
            )
            return doc.apply("dates", [], notes=[note])
        text = doc.text
        resolver = Resolver(text, doc.published, self._opts)
        found = resolver.run()
        notes = []
        if resolver.truncated:
            notes.append(
                Note(
                    step="dates",
                    code="too-many-dates",
                    message=f"more than {self.config.max_dates} date expressions: only the "
                    f"first {self.config.max_dates} were anchored (DateConfig.max_dates)",
                )
            )
        if not self.config.rewrite:
            return doc.apply("dates", [], dates=[_mention(f, text) for f in found], notes=notes)
        edits: list[Edit] = []
        mentions: list[DateMention] = []
        shift = 0
        for f in found:
            mentions.append(_mention(f, text, shift))
            if not self._rewrites(f):
                continue
            insert = self.config.rewrite_format.format(
                value=f.value,
                surface=text[f.start : f.end],
                start_date=f.start_date.isoformat() if f.start_date else "",
                end_date=f.end_date.isoformat() if f.end_date else "",
            )
            if not insert or text.startswith(insert, f.end):
                continue  # already rewritten
            edits.append(
                Edit(
                    start=f.end,
                    end=f.end,
                    replacement=insert,
                    kind="date-anchor",
                    rule=f.rule,
                )
            )
            shift += len(insert)
        return doc.apply("dates", edits, dates=mentions, notes=notes)

    def _rewrites(self, found: Found) -> bool:
        if found.start_date is None:
            return self.config.rewrite_refs
        return found.relative or self.config.rewrite_explicit


def anchor_dates(
    text: str | Normalized,
    *,
    published: dt.date | dt.datetime | str | None,
    config: DateConfig | None = None,
) -> Normalized:
    """Find the date expressions of ``text`` and anchor them to ``published``.

    Args:
        text: The article text, or the result of an earlier step.
        published: The publication date (a :class:`datetime.date`, a
            :class:`datetime.datetime` or an ISO-8601 string). ``None`` keeps the one a
            :class:`~newsnorm.Normalized` input already carries; with none at all the
            step changes nothing and leaves a ``no-published-date`` note.
        config: Options (default :class:`DateConfig` ``()``).

    Returns:
        The result with one :class:`~newsnorm.DateMention` per expression (and, with
        ``rewrite=True``, the anchored values inserted into the text).

    Raises:
        InputTypeError: ``text`` or ``published`` has a type that is not accepted.
        InvalidDateError: ``published`` is a string that is not an ISO-8601 date.

    >>> doc = anchor_dates("Ministers met on Monday.", published="2017-07-11",
    ...                    config=DateConfig(rewrite=True))
    >>> doc.text
    'Ministers met on Monday (2017-07-10).'
    >>> doc.to_original(17, 36)
    (17, 23)
    >>> anchor_dates("It rained on Monday.", published=None).notes[0].code
    'no-published-date'
    """
    doc = as_doc(text, published=published)
    runner = _DEFAULT if config is None else _Anchorer(config)
    return runner(doc)


# --- estimating a publication date --------------------------------------------------------


@attrs.frozen(kw_only=True)
class PublishedEstimate:
    """A publication date inferred from the text itself.

    Attributes:
        date: The estimated publication date.
        confidence: From 0 to 1: how much the text supports it.
        evidence: The expressions the estimate rests on, as written.
    """

    date: dt.date
    confidence: float
    evidence: tuple[str, ...] = ()


_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_FULL_DATE = regex.compile(
    r"(?<![\w-])(?:(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?"
    r"(?:(?P<mon>january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|sept?\.?|oct\.?|nov\.?|dec\.?)"
    r"\s+(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?,?\s+(?P<year>1[5-9]\d\d|20\d\d)"
    r"|(?P<iyear>1[5-9]\d\d|20\d\d)-(?P<imon>0[1-9]|1[0-2])-(?P<iday>0[1-9]|[12]\d|3[01]))(?!\d)",
    regex.IGNORECASE,
)
_MONTH_NUM = {
    name: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_BARE_WEEKDAY = regex.compile(
    r"(?<![\w-])(?:on\s+|(?<=\s))(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    regex.IGNORECASE,
)


def estimate_published(text: str) -> PublishedEstimate | None:
    """Infer a publication date from the text itself, with a confidence.

    The latest full date the text states (month, day and year, or ISO) is taken as the
    publication day: news reports what has happened up to the day it is published. The
    confidence (0.5 to start) grows when a weekday written with that date agrees with the
    calendar (+0.2), when a bare weekday of the text names its weekday (+0.1) and when the
    date is stated more than once (+0.1); it drops when a stated weekday contradicts its
    date (-0.3). Use it only when you ask for it:
    :func:`newsnorm.normalize` never guesses.

    Args:
        text: The article text.

    Returns:
        The estimate, or ``None`` when the text states no full date.

    Raises:
        InputTypeError: ``text`` is not a ``str``.

    >>> est = estimate_published("The summit opened on Monday, July 10, 2017. On Tuesday "
    ...                          "ministers met again.")
    >>> est.date, est.confidence
    (datetime.date(2017, 7, 10), 0.8)
    >>> estimate_published("No dates here.") is None
    True
    """
    text = coerce_text(text)
    dates: list[tuple[dt.date, str, bool | None]] = []
    for m in _FULL_DATE.finditer(text):
        try:
            if m.group("iyear"):
                d = dt.date(int(m.group("iyear")), int(m.group("imon")), int(m.group("iday")))
            else:
                month = _MONTH_NUM[m.group("mon").lower().rstrip(".")]
                d = dt.date(int(m.group("year")), month, int(m.group("day")))
        except ValueError:
            continue
        agrees = None
        if m.group("wd"):
            agrees = _WEEKDAY_NAMES.index(m.group("wd").lower()) == d.weekday()
        dates.append((d, m.group(), agrees))
    if not dates:
        return None
    best = max(dates, key=lambda t: t[0])
    day = best[0]
    confidence = 0.5
    evidence = [best[1]]
    if best[2] is True:
        confidence += 0.2
    elif best[2] is False:
        confidence -= 0.3
    # News names the publication day by its weekday ("said on Monday").
    wds = {w.group(1).lower() for w in _BARE_WEEKDAY.finditer(text)}
    if _WEEKDAY_NAMES[day.weekday()] in wds:
        confidence += 0.1
        evidence.append(_WEEKDAY_NAMES[day.weekday()].capitalize())
    if sum(1 for d, _, _ in dates if d == day) > 1:
        confidence += 0.1
    return PublishedEstimate(
        date=day, confidence=round(max(0.0, min(1.0, confidence)), 2), evidence=tuple(evidence)
    )


_DEFAULT = _Anchorer(DateConfig())

STEP = StepSpec(
    name="dates",
    config_type=DateConfig,
    compile=_Anchorer,
    summary="anchor relative and partial dates to the publication date as TIMEX3 values",
)
