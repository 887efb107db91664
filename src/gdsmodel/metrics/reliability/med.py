"""Major event days: daily SAIDI, the IEEE 1366 2.5β threshold and the split of a period's
reliability into normal and major event days."""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from typing import Any, Final

import attrs

from gdsmodel.errors import GdsmodelError, InputError
from gdsmodel.metrics.ratio import exact, round_half_up
from gdsmodel.metrics.reliability._common import (
    MIN_OUTAGE_DURATION,
    _customers,
    _hours,
    _min_duration,
    _period_bounds,
)
from gdsmodel.metrics.reliability.causes import OutageCause, _causes
from gdsmodel.metrics.reliability.outages import Outage
from gdsmodel.metrics.reliability.state import Exposure, ReliabilityState
from gdsmodel.metrics.reliability.tally import _Bucket, _tally
from gdsmodel.periods import PeriodLike, utc_instant
from gdsmodel.sources import Confidence, Source


class MedUnavailableError(GdsmodelError):
    """Major event days were asked of a threshold that could not be computed."""


# --------------------------------------------------------------------------- major event days


def _day_cuts(start: datetime, end: datetime) -> tuple[list[datetime], list[date]]:
    """Bucket bounds at local midnights (time zone of ``start``) and each bucket's day."""
    tz = start.tzinfo
    end_i = utc_instant(end)
    cuts = [utc_instant(start)]
    day = date(start.year, start.month, start.day)
    days = [day]
    while True:
        day = day + timedelta(days=1)
        midnight = utc_instant(datetime.combine(day, time(0), tzinfo=tz))
        if midnight >= end_i:
            break
        if midnight > cuts[-1]:
            cuts.append(midnight)
            days.append(day)
    cuts.append(end_i)
    return cuts, days


def _daily_buckets(
    outages: Iterable[Outage], period: PeriodLike, customers: int, min_duration: timedelta
) -> tuple[datetime, datetime, list[date], list[_Bucket]]:
    start, end = _period_bounds(period)
    n = _customers(customers)
    if n == 0:
        raise InputError(
            "daily SAIDI is undefined without customers",
            name="customers",
            value=customers,
            allowed="int >= 1",
        )
    min_us = _min_duration(min_duration)
    cuts, days = _day_cuts(start, end)
    return start, end, days, _tally(outages, cuts, n, min_us)


def _bucket_saidi(bucket: _Bucket, causes: frozenset[OutageCause], customers: int) -> Fraction:
    micros = sum(bucket[c][2] for c in causes)
    return _hours(micros) * 60 / customers


def daily_saidi(
    *,
    outages: Iterable[Outage],
    period: PeriodLike,
    customers: int,
    causes: Iterable[OutageCause | str] | None = None,
    min_duration: timedelta = MIN_OUTAGE_DURATION,
) -> dict[date, Fraction]:
    """SAIDI (minutes) of each calendar day of the period, zero days included.

    Days are calendar days in the time zone of ``period.start``; an outage over midnight
    puts its customer-minutes on each day it touches (clipped, as for any period).
    ``customers`` must be at least 1.

    >>> import pendulum
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> o = Outage(start=t.add(hours=23), end=t.add(hours=25), customers_affected=30,
    ...            cause="fault")
    >>> daily_saidi(outages=[o], period=pendulum.interval(t, t.add(days=3)), customers=60)
    {datetime.date(2024, 6, 1): Fraction(30, 1), datetime.date(2024, 6, 2): Fraction(30, 1), \
datetime.date(2024, 6, 3): Fraction(0, 1)}
    """
    _, _, days, buckets = _daily_buckets(outages, period, customers, min_duration)
    cs = _causes(causes)
    return {d: _bucket_saidi(b, cs, customers) for d, b in zip(days, buckets, strict=True)}


class MedStatus(enum.StrEnum):
    """Outcome of the 2.5β method: a threshold from full history, a provisional one, or none.

    >>> [s.value for s in MedStatus]
    ['available', 'provisional', 'insufficient_data']
    """

    AVAILABLE = "available"
    PROVISIONAL = "provisional"
    INSUFFICIENT_DATA = "insufficient_data"


def _positive_int(minimum: int) -> Any:
    def check(_: Any, attribute: Any, value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise InputError(
                "is too small or not a whole number",
                name=attribute.name,
                value=value,
                allowed=f"int >= {minimum}",
            )

    return check


def _positive_fraction(value: object) -> Fraction:
    f = exact(value, name="beta_multiplier")
    if f <= 0:
        raise InputError("must be > 0", name="beta_multiplier", value=value, allowed="a number > 0")
    return f


_IEEE_1366_SOURCE: Final = Source("IEEE Std 1366", clause="major event day, 2.5 beta method")


@attrs.frozen(slots=True, kw_only=True)
class MedMethod:
    """Parameters of the IEEE 1366 2.5β major event day method, with their source.

    ``history_years`` (5) and ``beta_multiplier`` (2.5) are the method's (confidence H).
    ``min_nonzero_days`` is this library's guard, not a sourced fact: fewer non-zero days in
    the window give *insufficient data*. Its default, 2, is the least a sample standard
    deviation needs; a station should raise it for a stable threshold.

    >>> IEEE_1366_MED.history_years, IEEE_1366_MED.beta_multiplier
    (5, Fraction(5, 2))
    >>> MedMethod(min_nonzero_days=1)
    Traceback (most recent call last):
    gdsmodel.errors.InputError: min_nonzero_days=1: is too small or not a whole number \
(allowed: int >= 2)
    """

    history_years: int = attrs.field(default=5, validator=_positive_int(1))
    beta_multiplier: Fraction = attrs.field(default=Fraction(5, 2), converter=_positive_fraction)
    min_nonzero_days: int = attrs.field(default=2, validator=_positive_int(2))
    source: Source = _IEEE_1366_SOURCE
    confidence: Confidence = Confidence.H


IEEE_1366_MED: Final = MedMethod()
"""The 2.5β method with 5 years of history (IEEE 1366; confidence H)."""


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _plain_date(value: object, name: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InputError("must be a date", name=name, value=value, allowed="a date (no time)")
    return date(value.year, value.month, value.day)


def _ln(value: Fraction) -> float:
    return math.log(value.numerator) - math.log(value.denominator)


@attrs.frozen(slots=True, kw_only=True)
class MedThreshold:
    """The result of the 2.5β method: T_MED (daily SAIDI, minutes) and how sure it is.

    ``status`` is ``available`` (full history), ``provisional`` (history shorter than
    ``method.history_years``) or ``insufficient_data`` (``t_med`` is None, with ``reason``).
    The threshold applies to the days ``[applies_from, applies_until)``; a day there whose
    SAIDI is *above* ``t_med`` is a major event day. ``alpha``, ``beta`` and ``t_med`` are
    floats (logarithms are not exact).

    >>> from datetime import date
    >>> th = med_threshold({date(2023, 5, 1): 3}, year_start=date(2024, 1, 1))
    >>> th.status, th.available
    (<MedStatus.INSUFFICIENT_DATA: 'insufficient_data'>, False)
    >>> th.reason
    '1 non-zero days in [2023-05-01, 2024-01-01); at least 2 needed'
    >>> th.is_major_event_day(100)
    Traceback (most recent call last):
    gdsmodel.metrics.reliability.med.MedUnavailableError: no major event day threshold ...
    """

    status: MedStatus
    t_med: float | None
    alpha: float | None
    beta: float | None
    nonzero_days: int
    window_start: date
    history_start: date | None
    applies_from: date
    applies_until: date
    method: MedMethod
    reason: str = ""

    @property
    def available(self) -> bool:
        """True when there is a threshold (full or provisional)."""
        return self.t_med is not None

    def _require(self) -> float:
        if self.t_med is None:
            raise MedUnavailableError(
                f"no major event day threshold for {self.applies_from}..{self.applies_until}: "
                f"{self.status}: {self.reason}"
            )
        return self.t_med

    def is_major_event_day(self, saidi: Fraction | int | float | str) -> bool:
        """True when a day's SAIDI (minutes) is above T_MED.

        Raises :class:`MedUnavailableError` when the data were insufficient.
        """
        return exact(saidi, name="saidi") > self._require()

    def major_event_days(self, daily_saidi: Mapping[date, Any]) -> tuple[date, ...]:
        """The days in ``[applies_from, applies_until)`` whose SAIDI is above T_MED, sorted.

        Days outside that year are ignored. Raises :class:`MedUnavailableError` when the
        data were insufficient.

        >>> from datetime import date, timedelta
        >>> hist = {date(2023, 1, 1) + timedelta(days=i): 1 + i % 3 for i in range(365)}
        >>> th = med_threshold(hist, year_start=date(2024, 1, 1))
        >>> th.status, round(th.t_med, 3)
        (<MedStatus.PROVISIONAL: 'provisional'>, 5.647)
        >>> th.major_event_days({date(2024, 1, 5): 6, date(2024, 1, 6): 5})
        (datetime.date(2024, 1, 5),)
        """
        t = self._require()
        days = []
        for key, value in daily_saidi.items():
            d = _plain_date(key, "daily_saidi key")
            if (
                self.applies_from <= d < self.applies_until
                and exact(value, name=f"daily_saidi[{d}]") > t
            ):
                days.append(d)
        return tuple(sorted(days))


def med_threshold(
    daily_saidi: Mapping[date, Any],
    *,
    year_start: date,
    history_start: date | None = None,
    method: MedMethod = IEEE_1366_MED,
) -> MedThreshold:
    """T_MED = exp(α + 2.5β) from daily SAIDI (minutes) before ``year_start``.

    Uses the days in ``[year_start − history_years, year_start)``, drops days of zero
    SAIDI, takes natural logs; α is their mean and β their sample standard deviation
    (n − 1). ``history_start`` is the first day the records are complete (default: the
    earliest day given); when it is later than the window start the result is
    *provisional*. Fewer than ``method.min_nonzero_days`` non-zero days give
    *insufficient data*. The sums are exactly rounded (``math.fsum``), so the threshold
    does not depend on the order of the days.

    >>> from datetime import date
    >>> hist = {date(2023, 3, 1): 1, date(2023, 3, 2): 2, date(2023, 3, 3): 4,
    ...         date(2023, 3, 4): 8, date(2023, 3, 5): 0}
    >>> th = med_threshold(hist, year_start=date(2024, 1, 1))
    >>> th.nonzero_days, round(th.t_med, 4)      # 2 ** (1.5 + 2.5 * sqrt(5/3))
    (4, 26.492)
    >>> med_threshold({}, year_start=date(2024, 1, 1)).status
    <MedStatus.INSUFFICIENT_DATA: 'insufficient_data'>
    """
    if not isinstance(method, MedMethod):
        raise InputError("must be a MedMethod", name="method", value=method, allowed="MedMethod")
    ys = _plain_date(year_start, "year_start")
    window_start = _add_years(ys, -method.history_years)
    applies_until = _add_years(ys, 1)
    values: dict[date, Fraction] = {}
    for key, value in daily_saidi.items():
        d = _plain_date(key, "daily_saidi key")
        values[d] = exact(value, name=f"daily_saidi[{d}]")
    hs = _plain_date(history_start, "history_start") if history_start is not None else None
    if hs is None and values:
        hs = min(values)
    lower = max(window_start, hs) if hs is not None else window_start
    used = [v for d, v in values.items() if lower <= d < ys and v > 0]

    def result(status: MedStatus, reason: str = "", **stats: Any) -> MedThreshold:
        return MedThreshold(
            status=status,
            t_med=stats.get("t_med"),
            alpha=stats.get("alpha"),
            beta=stats.get("beta"),
            nonzero_days=len(used),
            window_start=window_start,
            history_start=hs,
            applies_from=ys,
            applies_until=applies_until,
            method=method,
            reason=reason,
        )

    if hs is None or hs >= ys:
        return result(MedStatus.INSUFFICIENT_DATA, f"no history before {ys}")
    if len(used) < method.min_nonzero_days:
        return result(
            MedStatus.INSUFFICIENT_DATA,
            f"{len(used)} non-zero days in [{lower}, {ys}); "
            f"at least {method.min_nonzero_days} needed",
        )
    logs = [_ln(v) for v in used]
    n = len(logs)
    alpha = math.fsum(logs) / n
    beta = math.sqrt(math.fsum((x - alpha) ** 2 for x in logs) / (n - 1))
    t_med = math.exp(alpha + float(method.beta_multiplier) * beta)
    if hs > window_start:
        years = Fraction((ys - hs).days, 365)
        return result(
            MedStatus.PROVISIONAL,
            f"history from {hs}: about {round_half_up(years, 1)} of {method.history_years} years",
            t_med=t_med,
            alpha=alpha,
            beta=beta,
        )
    return result(MedStatus.AVAILABLE, t_med=t_med, alpha=alpha, beta=beta)


@attrs.frozen(slots=True, kw_only=True)
class MedSplit:
    """A period's reliability with major event days (MED) taken out.

    ``normal`` holds the whole period's exposure and the interruptions of the other days:
    its indices are the indices *with MED excluded*. ``major`` holds the interruptions of
    the major event days without exposure (its own indices are undefined); ``whole`` =
    ``normal + major`` equals the state of all outages (example: see
    :func:`exclude_major_event_days`).

    >>> MedSplit(normal=ReliabilityState(), major=ReliabilityState(), major_event_days=(),
    ...          daily_saidi={}, threshold=med_threshold({}, year_start=date(2024, 1, 1))).whole
    ReliabilityState(exposure=(), ...)
    """

    normal: ReliabilityState
    major: ReliabilityState
    major_event_days: tuple[date, ...]
    daily_saidi: Mapping[date, Fraction] = attrs.field(eq=False)
    threshold: MedThreshold

    @property
    def whole(self) -> ReliabilityState:
        """All interruptions, MED included."""
        return self.normal + self.major


def exclude_major_event_days(
    *,
    outages: Iterable[Outage],
    period: PeriodLike,
    customers: int,
    threshold: MedThreshold,
    causes: Iterable[OutageCause | str] | None = None,
    min_duration: timedelta = MIN_OUTAGE_DURATION,
) -> MedSplit:
    """Split a period's outages into major event days and the rest.

    Daily SAIDI is computed as in :func:`daily_saidi` (with ``causes``, which should match
    the series the threshold was computed from); every interruption on a day above T_MED,
    whatever its cause, goes to ``major``. The period's days must lie in the year the
    threshold applies to. Raises :class:`MedUnavailableError` when the threshold is
    *insufficient data*.

    >>> import pendulum
    >>> from datetime import date
    >>> th = med_threshold({date(2023, 3, 1): 1, date(2023, 3, 2): 2, date(2023, 3, 3): 4,
    ...                     date(2023, 3, 4): 8}, year_start=date(2024, 1, 1))
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> storm = Outage(start=t.add(hours=1), end=t.add(hours=13), customers_affected=50,
    ...                cause="fault")                      # 720 min x 50 / 100 = 360 min
    >>> small = Outage(start=t.add(days=1), end=t.add(days=1, hours=1), customers_affected=10,
    ...                cause="fault")                      # 6 min
    >>> split = exclude_major_event_days(outages=[storm, small], customers=100,
    ...     period=pendulum.interval(t, t.add(days=30)), threshold=th)
    >>> split.major_event_days, split.normal.saidi().value, split.whole.saidi().value
    ((datetime.date(2024, 6, 1),), Fraction(6, 1), Fraction(366, 1))
    """
    if not isinstance(threshold, MedThreshold):
        raise InputError(
            "must be a MedThreshold", name="threshold", value=threshold, allowed="MedThreshold"
        )
    t = threshold._require()
    start, end, days, buckets = _daily_buckets(outages, period, customers, min_duration)
    if days[0] < threshold.applies_from or days[-1] >= threshold.applies_until:
        raise InputError(
            "the period has days outside the year the threshold applies to",
            name="period",
            value=f"{days[0]}..{days[-1]}",
            allowed=f"days in [{threshold.applies_from}, {threshold.applies_until})",
        )
    cs = _causes(causes)
    daily = {d: _bucket_saidi(b, cs, customers) for d, b in zip(days, buckets, strict=True)}
    med = {d for d, v in daily.items() if v > t}
    normal = ReliabilityState._build(
        [Exposure(start=start, end=end, customers=customers)],
        (b for d, b in zip(days, buckets, strict=True) if d not in med),
        min_duration,
    )
    major = ReliabilityState._build(
        [], (b for d, b in zip(days, buckets, strict=True) if d in med), min_duration
    )
    return MedSplit(
        normal=normal,
        major=major,
        major_event_days=tuple(sorted(med)),
        daily_saidi=daily,
        threshold=threshold,
    )
