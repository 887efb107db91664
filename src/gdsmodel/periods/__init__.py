"""Reporting periods: year, quarter, month, 旬 (dekad), day and an arbitrary span.

A period is a half-open interval of time ``[start, end)`` in one time zone
(``Asia/Shanghai`` unless told otherwise): ``start`` belongs to the period, ``end`` does
not, so consecutive periods tile time with neither a gap nor an overlap. Periods are
immutable, hashable and ordered, and their lengths are exact (:attr:`Period.hours` is an
``int`` when whole, else a :class:`fractions.Fraction`), which is what reliability
denominators need.

>>> from gdsmodel.periods import Period, Quarter, Month, Dekad, Day
>>> q = Period.parse("2026-Q1")
>>> q
Quarter(2026, 1)
>>> [str(m) for m in q.months()]
['2026-01', '2026-02', '2026-03']
>>> Month(2026, 2).hours
672
>>> Period.parse("2026年第一季度") == q
True
>>> d = Dekad(2026, 2, 3)
>>> print(d, "|", d.format("zh"), "|", d.format("en"))
2026-02-D3 | 2026年2月下旬 | late February 2026 (days 21-28)
>>> d.days, d.next(), d.quarter
(8, Dekad(2026, 3, 1), Quarter(2026, 1))
>>> str(Period.parse("2026年3月1日至2026年3月14日"))  # Chinese spans name the last day kept
'2026-03-01/2026-03-15'
>>> Month(2026, 3).contains(Day(2026, 3, 31).start), Month(2026, 3).contains(Month(2026, 3).end)
(True, False)

The package holds the period classes, the text parser (:mod:`gdsmodel.periods.parser`,
which reads text into fields and knows nothing of the classes) and the time helpers that
other modules share: :class:`PeriodLike` (anything with tz-aware ``start`` and ``end``) and
:func:`utc_instant`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gdsmodel.errors import InputError
from gdsmodel.periods import parser
from gdsmodel.periods._period import (
    CalendarPeriod,
    Day,
    Dekad,
    Month,
    Period,
    Quarter,
    Span,
    Year,
)
from gdsmodel.periods._time import (
    DEFAULT_TZ,
    MAX_YEAR,
    MIN_YEAR,
    PeriodKind,
    PeriodLike,
    utc_instant,
)
from gdsmodel.serialize import converter

__all__ = [
    "DEFAULT_TZ",
    "MAX_YEAR",
    "MIN_YEAR",
    "CalendarPeriod",
    "Day",
    "Dekad",
    "Month",
    "Period",
    "PeriodKind",
    "PeriodLike",
    "Quarter",
    "Span",
    "Year",
    "parser",
    "utc_instant",
]

# --------------------------------------------------------------------------- cattrs


def _structure_hook(cls: type[Period]) -> Callable[[Any, Any], Period]:
    def structure(value: Any, _: Any) -> Period:
        if isinstance(value, cls):  # already a period of this kind: passes as it is
            return value
        if not isinstance(value, str):
            raise InputError(
                "is not a period's text",
                name=cls.__name__,
                value=value,
                allowed="text such as '2026-03'",
            )
        return cls.parse(value)

    return structure


for _cls in (Period, CalendarPeriod, Year, Quarter, Month, Dekad, Day, Span):
    converter.register_unstructure_hook(_cls, str)
    converter.register_structure_hook(_cls, _structure_hook(_cls))
del _cls
