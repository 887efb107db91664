"""Effective dating: half-open intervals of days, and how much of a month they cover.

Every assignment of the organisation (a person holding a post, a person answering for an
area) runs from its ``start`` day (included) to its ``end`` day (excluded), or without end.

>>> from datetime import date
>>> held = Effective(date(2025, 4, 1), date(2025, 9, 16))
>>> held.contains(date(2025, 9, 15)), held.contains(date(2025, 9, 16))
(True, False)
>>> held.days_in(Month(2025, 9))
15
"""

from __future__ import annotations

import datetime as _dt

import attrs

from gdsmodel.errors import InputError
from gdsmodel.periods import Month

__all__ = ["Effective", "month_bounds"]


def month_bounds(month: Month) -> tuple[_dt.date, _dt.date]:
    """The first day of ``month`` and the first day after it (half-open).

    >>> month_bounds(Month(2026, 2))
    (datetime.date(2026, 2, 1), datetime.date(2026, 3, 1))
    """
    first = _dt.date(month.year.number, month.number, 1)
    nxt = month.next()
    return first, _dt.date(nxt.year.number, nxt.number, 1)


def _check(instance: Effective, attribute: object, value: _dt.date | None) -> None:
    if value is not None and value <= instance.start:
        raise InputError(
            "the end must come after the start (the end day is not included)",
            name="end",
            value=value.isoformat(),
            allowed=f"a day after {instance.start.isoformat()}, or no end",
        )


@attrs.frozen(slots=True)
class Effective:
    """Days from ``start`` (included) to ``end`` (excluded); ``end`` None: still running."""

    start: _dt.date
    end: _dt.date | None = attrs.field(default=None, validator=_check)

    def contains(self, day: _dt.date) -> bool:
        """True when ``day`` is inside."""
        return self.start <= day and (self.end is None or day < self.end)

    def overlaps(self, start: _dt.date, end: _dt.date | None) -> bool:
        """True when the interval shares a day with ``[start, end)``.

        >>> Effective(_dt.date(2026, 1, 1), _dt.date(2026, 2, 1)).overlaps(
        ...     _dt.date(2026, 2, 1), None)
        False
        """
        return (end is None or self.start < end) and (self.end is None or start < self.end)

    def overlaps_month(self, month: Month) -> bool:
        """True when the interval covers a day of ``month``."""
        return self.overlaps(*month_bounds(month))

    def days_in(self, month: Month) -> int:
        """How many days of ``month`` the interval covers."""
        first, after = month_bounds(month)
        lo = max(first, self.start)
        hi = after if self.end is None else min(after, self.end)
        return max(0, (hi - lo).days)

    def __str__(self) -> str:
        end = self.end.isoformat() if self.end is not None else ""
        return f"{self.start.isoformat()}/{end}"
