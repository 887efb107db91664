"""Due dates of safety-tool tests, and the one rule for month ends.

**The month-end rule.** A test interval is a whole number of months (or years). The next due date
is the test date moved on by that many calendar months, keeping the day of the month; when that
day does not exist in the target month, the date is clamped to the month's last day. This is what
pendulum's ``Date.add(months=...)`` does:

* 31 August 2025 + 6 months = 28 February 2026 (29 February in a leap year);
* 31 March + 6 months = 30 September; 29 February 2024 + 1 year = 28 February 2025;
* the next due date is always counted from the date of the test that was actually done, so a
  clamped date never drifts further (a test done on 28 February is next due on 28 August).

Beware: ``datetime.date + pendulum.Duration`` does not apply this rule (it converts the months to
days); always go through :func:`add_interval`.

A tool is usable up to and including its due date and overdue from the next day on.

>>> import datetime
>>> add_interval(datetime.date(2025, 8, 31), pendulum.duration(months=6))
datetime.date(2026, 2, 28)
"""

from __future__ import annotations

import datetime

import pendulum

from gdsmodel.errors import InputError
from gdsmodel.standards.safety_tools.catalogue import ToolKind

__all__ = ["add_interval", "end_of_service_life", "next_due"]


def add_interval(start: datetime.date, interval: pendulum.Duration) -> datetime.date:
    """``start`` moved on by a whole number of months or years, clamped to the month's end.

    >>> import datetime
    >>> add_interval(datetime.date(2027, 8, 31), pendulum.duration(months=6))  # leap year
    datetime.date(2028, 2, 29)
    >>> add_interval(datetime.date(2026, 1, 15), pendulum.duration(years=2, months=6))
    datetime.date(2028, 7, 15)
    """
    if (
        interval.remaining_days
        or interval.weeks
        or interval.remaining_seconds
        or (interval.microseconds)
    ):
        raise InputError(
            "a test interval must be whole months or years",
            name="interval",
            value=str(interval),
            allowed="a pendulum Duration with years and months only",
        )
    if interval.years < 0 or interval.months < 0 or (interval.years == interval.months == 0):
        raise InputError(
            "a test interval must be longer than zero", name="interval", value=str(interval)
        )
    try:
        moved = pendulum.date(start.year, start.month, start.day).add(
            years=interval.years, months=interval.months
        )
        return datetime.date(moved.year, moved.month, moved.day)
    except (ValueError, OverflowError):
        raise InputError(
            "the date moved on by the interval is past the last year a date can have",
            name="start",
            value=start.isoformat(),
            allowed="a date at least the interval before 9999-12-31",
        ) from None


def end_of_service_life(
    kind: ToolKind, rating: str, manufactured: datetime.date | None
) -> datetime.date | None:
    """The last day of a tool's service life (None for kinds without one).

    >>> import datetime
    >>> from gdsmodel.standards.safety_tools import tool_kind
    >>> end_of_service_life(tool_kind("safety_helmet"), "plastic", datetime.date(2024, 8, 31))
    datetime.date(2027, 2, 28)
    """
    if not kind.service_life:
        return None
    if rating not in kind.service_life:
        raise InputError(
            f"kind {kind.id!r} has a service life per rating",
            name="rating",
            value=rating,
            allowed=", ".join(kind.service_life),
        )
    if manufactured is None:
        raise InputError(
            f"a tool of kind {kind.id!r} needs its date of manufacture (its service life counts "
            "from it)",
            name="manufactured",
            value=None,
            allowed="a date",
        )
    return add_interval(manufactured, kind.service_life[rating])


def next_due(
    kind: ToolKind,
    *,
    tested_on: datetime.date,
    rating: str = "",
    manufactured: datetime.date | None = None,
) -> datetime.date:
    """The next due date a passing test on ``tested_on`` writes on the tool's label.

    For a kind with a test cycle it is the test date plus the cycle. For a kind with a service life
    (helmets) it is the end of the life while the test falls within it, and the test date plus
    ``after_service_life_interval`` after that.

    >>> import datetime
    >>> from gdsmodel.standards.safety_tools import tool_kind
    >>> next_due(tool_kind("insulating_gloves"), tested_on=datetime.date(2025, 8, 31))
    datetime.date(2026, 2, 28)
    >>> helmet = tool_kind("safety_helmet")
    >>> next_due(helmet, tested_on=datetime.date(2025, 1, 10), rating="woven",
    ...          manufactured=datetime.date(2024, 6, 1))
    datetime.date(2026, 6, 1)
    >>> next_due(helmet, tested_on=datetime.date(2026, 6, 2), rating="woven",
    ...          manufactured=datetime.date(2024, 6, 1))
    datetime.date(2027, 6, 2)
    """
    if kind.test_interval is not None:
        return add_interval(tested_on, kind.test_interval)
    end = end_of_service_life(kind, rating, manufactured)
    assert end is not None
    if tested_on < end:
        return end
    if kind.after_service_life_interval is None:
        raise InputError(
            f"a tool of kind {kind.id!r} past its service life ({end}) has no further test cycle",
            name="tested_on",
            value=tested_on.isoformat(),
            allowed=f"a date before {end.isoformat()}, or a next_due given explicitly",
        )
    return add_interval(tested_on, kind.after_service_life_interval)
