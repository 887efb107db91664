"""Time helpers and constants shared by the period classes and the parser (internal).

The public names here are re-exported by :mod:`gdsmodel.periods`; import them from there.
"""

from __future__ import annotations

import enum
import functools
import zoneinfo
from datetime import UTC, date, datetime, timedelta, tzinfo
from fractions import Fraction
from typing import Final, Protocol

import pendulum

from gdsmodel.errors import InputError

__all__ = [
    "DEFAULT_TZ",
    "MAX_YEAR",
    "MIN_YEAR",
    "PeriodKind",
    "PeriodLike",
    "utc_instant",
]

DEFAULT_TZ: Final = "Asia/Shanghai"
"""The time zone of a period unless one is given: China Standard Time (UTC+8; no DST since 1991)."""

MIN_YEAR: Final = 1000
"""The first year a period may lie in."""

MAX_YEAR: Final = 9998
"""The last year a period may lie in (so that every period has a representable end)."""

_UTC: Final = UTC
_US: Final = timedelta(microseconds=1)
_SECOND: Final = timedelta(seconds=1)
_US_PER_SECOND: Final = 1_000_000
_US_PER_HOUR: Final = 3_600 * _US_PER_SECOND
_US_PER_DAY: Final = 24 * _US_PER_HOUR


class PeriodKind(enum.StrEnum):
    """The kinds of period; the calendar kinds are also the units of :meth:`Period.split`.

    >>> PeriodKind("dekad"), PeriodKind.MONTH.zh
    (<PeriodKind.DEKAD: 'dekad'>, '月')
    """

    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"
    DEKAD = "dekad"
    DAY = "day"
    SPAN = "span"

    @property
    def zh(self) -> str:
        """The Chinese name of the kind.

        >>> PeriodKind.DEKAD.zh
        '旬'
        """
        return _KIND_ZH[self]


_KIND_ZH: Final = {
    PeriodKind.YEAR: "年",
    PeriodKind.QUARTER: "季度",
    PeriodKind.MONTH: "月",
    PeriodKind.DEKAD: "旬",
    PeriodKind.DAY: "日",
    PeriodKind.SPAN: "时段",
}
_RANK: Final = {kind: i for i, kind in enumerate(PeriodKind)}
_CALENDAR_KINDS: Final = "year, quarter, month, dekad, day"

_ZH_QUARTER: Final = ("一", "二", "三", "四")
_ZH_DEKAD: Final = ("上旬", "中旬", "下旬")
_EN_DEKAD: Final = ("early", "mid", "late")
_EN_MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# --------------------------------------------------------------------------- time zones


@functools.lru_cache(maxsize=128)
def _zone_cached(name: str) -> tzinfo:
    return pendulum.timezone(name)


def _zone(name: object) -> tzinfo:
    """The tzinfo of an IANA zone name; a bad name is an :class:`InputError`."""
    allowed = "an IANA time zone name such as 'Asia/Shanghai' or 'UTC'"
    if not isinstance(name, str) or not name:
        raise InputError("is not a time zone name", name="tz", value=name, allowed=allowed)
    try:
        return _zone_cached(name)
    except (ValueError, KeyError, OSError):
        raise InputError(
            "is not a known time zone", name="tz", value=name, allowed=allowed
        ) from None


class PeriodLike(Protocol):
    """Any half-open period ``[start, end)`` whose bounds are tz-aware datetimes.

    Every :class:`Period` qualifies, and so does ``pendulum.interval(a, b)`` of two aware
    datetimes. Functions that take a ``PeriodLike`` read ``start`` (included) and ``end``
    (excluded) and nothing else; compare the bounds through :func:`utc_instant`.

    >>> import pendulum
    >>> from gdsmodel.periods import Month
    >>> def hours(p: PeriodLike) -> float:
    ...     return (utc_instant(p.end) - utc_instant(p.start)).total_seconds() / 3600
    >>> hours(Month(2026, 2))
    672.0
    >>> t = pendulum.datetime(2026, 3, 1, tz="Asia/Shanghai")
    >>> hours(pendulum.interval(t, t.add(days=1)))
    24.0
    """

    @property
    def start(self) -> datetime:
        """The first instant of the period (included)."""
        ...  # pragma: no cover

    @property
    def end(self) -> datetime:
        """The first instant after the period (excluded)."""
        ...  # pragma: no cover


def utc_instant(value: datetime, *, name: str = "moment") -> datetime:
    """The same instant as a plain stdlib ``datetime`` in UTC (``tzinfo=UTC``).

    Safe to compare and subtract whatever zone (or datetime class, pendulum's included)
    the input came in. A naive datetime has no instant: it is an :class:`InputError`
    naming ``name``, as is a value that is not a datetime or lies outside the years
    datetime can hold in UTC.

    >>> import pendulum
    >>> utc_instant(pendulum.datetime(2026, 3, 1, 8, tz="Asia/Shanghai"))
    datetime.datetime(2026, 3, 1, 0, 0, tzinfo=datetime.timezone.utc)
    >>> utc_instant(datetime(2026, 3, 1, 8), name="start")
    Traceback (most recent call last):
    ...
    gdsmodel.errors.InputError: start=datetime.datetime(2026, 3, 1, 8, 0): has no time zone \
(allowed: a tz-aware datetime, e.g. pendulum.datetime(..., tz='Asia/Shanghai'))
    """
    if not isinstance(value, datetime):
        raise InputError("is not a datetime", name=name, value=value, allowed="a tz-aware datetime")
    offset = value.utcoffset()
    if offset is None:
        raise InputError(
            "has no time zone",
            name=name,
            value=value,
            allowed="a tz-aware datetime, e.g. pendulum.datetime(..., tz='Asia/Shanghai')",
        )
    naive = datetime(
        value.year, value.month, value.day, value.hour, value.minute, value.second,
        value.microsecond,
    )  # fmt: skip
    try:
        return (naive - offset).replace(tzinfo=_UTC)
    except OverflowError:
        raise InputError(
            "is out of the supported range",
            name=name,
            value=value,
            allowed="an instant in the years 1-9999 in UTC",
        ) from None


@functools.lru_cache(maxsize=128)
def _c_zone(zone: tzinfo) -> tzinfo:
    """The standard library's ``ZoneInfo`` of a pendulum zone: the same rules, with its
    conversions in C (pendulum's ``fromutc`` is Python), for arithmetic only."""
    if isinstance(zone, zoneinfo.ZoneInfo) and type(zone) is not zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(zone.key)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):  # pragma: no cover
            return zone
    return zone


_DAY_STARTS: Final[dict[tuple[int, tzinfo], datetime]] = {}
_DAY_STARTS_MAX: Final = 1 << 16


def _day_start(d: date, zone: tzinfo) -> datetime:
    """The (naive UTC) instant at which the local date ``d`` begins in ``zone`` (cached:
    building a month or testing a date does no time-zone arithmetic the second time)."""
    key = (d.toordinal(), zone)
    found = _DAY_STARTS.get(key)
    if found is None:
        found = _day_start_uncached(d, _c_zone(zone))
        if len(_DAY_STARTS) >= _DAY_STARTS_MAX:
            _DAY_STARTS.clear()
        _DAY_STARTS[key] = found
    return found


_NAMED_STARTS: Final[dict[tuple[int, str], datetime]] = {}
_C_ZONES: Final[dict[str, tzinfo]] = {}


def _day_start_in(d: date, tz: str) -> datetime:
    """:func:`_day_start` in the zone named ``tz`` (cached by name: no zone object is hashed
    or looked up when the day was seen before)."""
    key = (d.toordinal(), tz)
    found = _NAMED_STARTS.get(key)
    if found is None:
        zone = _C_ZONES.get(tz)
        if zone is None:
            zone = _C_ZONES[tz] = _c_zone(_zone_cached(tz))
        found = _day_start_uncached(d, zone)
        if len(_NAMED_STARTS) >= _DAY_STARTS_MAX:
            _NAMED_STARTS.clear()
        _NAMED_STARTS[key] = found
    return found


def _day_start_uncached(d: date, zone: tzinfo) -> datetime:
    """The (naive UTC) instant at which the local date ``d`` begins in ``zone``.

    That is the first local midnight of ``d``; where a clock change skips midnight, the
    day begins at the change (the first instant whose local date is ``d``).
    """
    naive = datetime(d.year, d.month, d.day)
    off0 = zone.utcoffset(naive)  # the zone reads the wall time and the fold of its argument
    if off0 is not None and off0 == zone.utcoffset(datetime(d.year, d.month, d.day, fold=1)):
        # both folds agree: midnight is neither skipped nor repeated (PEP 495), so it is the
        # one instant naive - offset (the usual case, without any conversion)
        try:
            return naive - off0
        except OverflowError:
            raise InputError(
                "is out of the supported range", name="date", value=d, allowed=_YEARS_ALLOWED
            ) from None
    try:
        guesses = [naive.replace(tzinfo=zone, fold=f).astimezone(_UTC) for f in (0, 1)]
    except OverflowError:
        raise InputError(
            "is out of the supported range", name="date", value=d, allowed=_YEARS_ALLOWED
        ) from None
    found = [u for u in guesses if u.astimezone(zone).replace(tzinfo=None) == naive]
    if found:
        return min(found).replace(tzinfo=None)
    lo, hi = min(guesses), max(guesses)  # local(lo) is before d, local(hi) is on d or later
    while hi - lo > _SECOND:
        mid = lo + timedelta(seconds=((hi - lo) // _SECOND) // 2)
        if mid.astimezone(zone).date() >= d:
            hi = mid
        else:
            lo = mid
    return hi.replace(tzinfo=None)


def _instant(moment: object, zone: tzinfo, *, name: str = "moment") -> datetime:
    """A datetime (aware, or naive meaning wall time in ``zone``) or a date (its day's
    start) as a naive UTC instant."""
    if isinstance(moment, datetime):
        # the wall time minus its offset: one utcoffset() call, no conversion between zones
        off = moment.utcoffset()
        if off is None:  # naive: wall time in the period's zone (its fold picks the offset)
            off = _c_zone(zone).utcoffset(moment)
        naive = datetime(
            moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second,
            moment.microsecond,
        )  # fmt: skip
        try:
            return naive - off if off else naive
        except OverflowError:
            raise InputError(
                "is out of the supported range", name=name, value=moment, allowed=_YEARS_ALLOWED
            ) from None
    if isinstance(moment, date):
        return _day_start(moment, zone)
    raise InputError(
        "is not a moment",
        name=name,
        value=moment,
        allowed="a datetime (aware, or naive meaning wall-clock time in the period's zone) "
        "or a date (meaning that day's start)",
    )


def _local(u: datetime, zone: tzinfo) -> datetime:
    """A naive UTC instant as an aware local datetime."""
    return u.replace(tzinfo=_UTC).astimezone(zone)


def _exact(numerator: int, denominator: int) -> int | Fraction:
    f = Fraction(numerator, denominator)
    return f.numerator if f.denominator == 1 else f


_YEARS_ALLOWED: Final = f"a date in the years {MIN_YEAR}-{MAX_YEAR}"


def _check_int(name: str, value: object, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError("is not an integer", name=name, value=value, allowed=f"{lo}-{hi}")
    if not lo <= value <= hi:
        raise InputError(f"is not a {name} number", name=name, value=value, allowed=f"{lo}-{hi}")
    return value


def _kind(value: object, *, calendar: bool = True) -> PeriodKind:
    try:
        kind = PeriodKind(value) if isinstance(value, str) else None
    except ValueError:
        kind = None
    if kind is None or (calendar and kind is PeriodKind.SPAN):
        raise InputError(
            "is not a calendar period kind", name="kind", value=value, allowed=_CALENDAR_KINDS
        )
    return kind


def _month_end(y: int, m: int) -> date:
    """The first day of the month after ``y-m``."""
    return date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
