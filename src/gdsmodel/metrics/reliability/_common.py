"""Shared private helpers of the reliability package: the counting default, exact hours
from microseconds, and validation of periods and counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Final

from gdsmodel.errors import InputError
from gdsmodel.periods import utc_instant
from gdsmodel.sources import Confidence, Source

_US_PER_HOUR: Final = 3_600_000_000
_UTC: Final = UTC

MIN_OUTAGE_DURATION: Final = timedelta(minutes=3)
"""Default shortest outage that counts (outages count from 3 minutes; confidence M).

Every function takes ``min_duration=`` to override it; an outage whose whole duration is
at least this long counts, a shorter one is tallied as a *short* event only."""

MIN_OUTAGE_DURATION_SOURCE: Final = Source(
    "DL/T 836",
    note="RS-1/RS-2/RS-3 as defined before the 2016 edition renamed and split the indices; "
    "outages count from 3 minutes. One plausible source: an overridable default.",
)
"""Where :data:`MIN_OUTAGE_DURATION` comes from."""

MIN_OUTAGE_DURATION_CONFIDENCE: Final = Confidence.M
"""Confidence of :data:`MIN_OUTAGE_DURATION` (M: one plausible source)."""


# --------------------------------------------------------------------------- time helpers


def _micros(delta: timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


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
    utc_instant(start, name="period.start")
    utc_instant(end, name="period.end")
    if utc_instant(end) <= utc_instant(start):
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


def _min_duration(value: object) -> int:
    if not isinstance(value, timedelta) or value < timedelta(0):
        raise InputError(
            "must be a duration >= 0", name="min_duration", value=value, allowed="timedelta >= 0"
        )
    return _micros(value)
