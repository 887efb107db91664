"""Shared private helpers of the reliability package: exact hours from microseconds, and
validation of periods and counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Final

from gdsmodel.errors import InputError
from gdsmodel.periods import utc_instant

_US_PER_HOUR: Final = 3_600_000_000
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)

# --------------------------------------------------------------------------- time helpers


def _micros(delta: timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _instant_us(moment: datetime, name: str = "moment") -> int:
    """A tz-aware moment as microseconds since 1970 (UTC): what the tally compares.

    One C-level aware subtraction (no datetime is built); anything
    :func:`~gdsmodel.periods.utc_instant` refuses is refused with its located error.
    """
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        try:
            delta = datetime.__sub__(moment, _EPOCH)
        except (TypeError, OverflowError):
            pass
        else:
            if isinstance(delta, timedelta):
                return _micros(delta)
    utc_instant(moment, name=name)  # raises the located error
    raise InputError("is not a tz-aware datetime", name=name, value=moment)  # pragma: no cover


def _moment(us: int) -> datetime:
    """The UTC datetime of microseconds since 1970 (for messages)."""
    return _EPOCH + timedelta(microseconds=us)


def _hours(micros: int) -> Fraction:
    return Fraction(micros, _US_PER_HOUR)


def _period_bounds(period: object) -> tuple[datetime, datetime]:
    """Validated (start, end) of a period, as given (not converted)."""
    try:
        start, end = period.start, period.end  # type: ignore[attr-defined]
    except AttributeError:
        raise InputError(
            "is not a period",
            name="period",
            value=period,
            allowed="an object with tz-aware .start and .end datetimes, half-open",
        ) from None
    first = utc_instant(start, name="period.start")
    if utc_instant(end, name="period.end") <= first:
        raise InputError(
            "ends before it starts",
            name="period",
            value=f"[{start}, {end})",
            allowed="period.end later than period.start",
        )
    return start, end


def _customers(value: object, name: str = "customers") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError("must be a whole number >= 0", name=name, value=value, allowed="int >= 0")
    return value
