"""Major event days: daily SAIDI, the IEEE 1366 2.5β threshold and the split of a period's
reliability into normal and major event days."""

from __future__ import annotations

import enum
import math
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from typing import Any, Final

import attrs

from gdsmodel import _show
from gdsmodel.errors import GdsmodelError, InputError
from gdsmodel.metrics.ratio import exact, round_half_up
from gdsmodel.metrics.reliability._common import (
    _customers,
    _instant_us,
    _micros,
    _period_bounds,
)
from gdsmodel.metrics.reliability.causes import OutageCause, _causes
from gdsmodel.metrics.reliability.conventions import CountingConvention
from gdsmodel.metrics.reliability.conventions import convention as get_convention
from gdsmodel.metrics.reliability.outages import Outage
from gdsmodel.metrics.reliability.state import Exposure, ReliabilityState
from gdsmodel.metrics.reliability.tally import (
    Bucket,
    Records,
    add_into,
    check_plausible,
    lines_where,
    new_bucket,
    period_bucket,
    tally_days,
)
from gdsmodel.periods import PeriodLike
from gdsmodel.sources import Confidence, Source


class MedUnavailableError(GdsmodelError):
    """Major event days were asked of a threshold that could not be computed."""


# --------------------------------------------------------------------------- daily SAIDI


_EPOCH_ORDINAL: Final = date(1970, 1, 1).toordinal()
_DAY_US: Final = 86_400_000_000
_MIDNIGHT: Final = time(0)


def _day_cuts(start: datetime, end: datetime) -> tuple[list[int], list[date]]:
    """Bucket bounds (µs) at local midnights (time zone of ``start``) and each bucket's day.

    A local midnight's instant is its day's number times 24 h minus the zone's UTC offset at
    that midnight (what subtracting the aware datetime from 1970 gives), one offset per day.
    """
    tz = start.tzinfo
    end_i = _instant_us(end)
    cuts = [_instant_us(start)]
    day = date(start.year, start.month, start.day)
    days = [day]
    combine, utcoffset, one = datetime.combine, tz.utcoffset, timedelta(days=1)  # type: ignore[union-attr]
    while True:
        day = day + one
        offset = utcoffset(combine(day, _MIDNIGHT, tzinfo=tz))
        if offset is None:  # pragma: no cover - a zone without offsets
            raise InputError("has no UTC offset", name="period.start", value=start)
        midnight = (day.toordinal() - _EPOCH_ORDINAL) * _DAY_US - _micros(offset)
        if midnight >= end_i:
            break
        if midnight > cuts[-1]:
            cuts.append(midnight)
            days.append(day)
    cuts.append(end_i)
    return cuts, days


def _daily_setup(
    period: PeriodLike, customers: int
) -> tuple[datetime, datetime, int, list[int], list[date]]:
    start, end = _period_bounds(period)
    n = _customers(customers)
    if n == 0:
        raise InputError(
            "daily SAIDI is undefined without customers",
            name="customers",
            value=customers,
            allowed="int >= 1",
        )
    cuts, days = _day_cuts(start, end)
    return start, end, n, cuts, days


_ZERO: Final = Fraction(0)


class _DayValues(Mapping[date, Fraction]):
    """Daily SAIDI of each day as integer customer-µs over one denominator
    (``60 000 000 × customers``); the Fraction of a day is made when it is read."""

    __slots__ = ("_days", "_den", "_index", "_micros")

    def __init__(self, days: list[date], micros: Mapping[int, int], customers: int) -> None:
        self._days = days
        n = len(days)
        self._micros = {j: us for j, us in micros.items() if us and 0 <= j < n}
        self._den = 60_000_000 * customers
        self._index: dict[date, int] | None = None

    def __getitem__(self, key: date) -> Fraction:
        index = self._index
        if index is None:
            index = self._index = {d: j for j, d in enumerate(self._days)}
        us = self._micros.get(index[key])
        return _ZERO if us is None else Fraction(us, self._den)

    def __iter__(self) -> Iterator[date]:
        return iter(self._days)

    def __len__(self) -> int:
        return len(self._days)

    def logs(self, lower: date, upper: date) -> list[float]:
        """ln SAIDI of the non-zero days in ``[lower, upper)``: ``_ln`` of their Fraction."""
        den, log, gcd = self._den, math.log, math.gcd
        lo, hi = bisect_left(self._days, lower), bisect_left(self._days, upper)
        return [
            log(us // g) - log(den // g)
            for j, us in self._micros.items()
            if lo <= j < hi
            for g in (gcd(us, den),)
        ]

    def above(self, t: float) -> list[int]:
        """The day indices whose SAIDI is above ``t``, compared exactly."""
        tf = Fraction(t)
        num, den = tf.numerator * self._den, tf.denominator
        return [j for j, us in self._micros.items() if us * den > num]


@attrs.frozen(slots=True, kw_only=True, eq=False)
class DailySaidi(Mapping[date, Fraction]):
    """Daily SAIDI (minutes) by day, with the range of days it covers, ``[first_day, end_day)``.

    A mapping of day to SAIDI; equal to a plain dict of the same items. The declared range is
    the history coverage :func:`med_threshold` reads (every day in it was recorded, days of
    zero SAIDI included).

    >>> from datetime import date
    >>> d = DailySaidi(by_day={date(2024, 6, 1): Fraction(3)}, first_day=date(2024, 6, 1),
    ...                end_day=date(2024, 6, 2))
    >>> d == {date(2024, 6, 1): 3}, len(d)
    (True, 1)
    """

    by_day: Mapping[date, Fraction]
    first_day: date
    end_day: date

    def __getitem__(self, key: date) -> Fraction:
        return self.by_day[key]

    def __iter__(self) -> Iterator[date]:
        return iter(self.by_day)

    def __len__(self) -> int:
        return len(self.by_day)

    def __repr__(self) -> str:
        return f"DailySaidi({self.first_day}..{self.end_day}, days={len(self.by_day)})"


def daily_saidi(
    *,
    outages: Iterable[Outage],
    period: PeriodLike,
    customers: int,
    causes: Iterable[OutageCause | str] | None = None,
    convention: CountingConvention | str | None = None,
) -> DailySaidi:
    """SAIDI (minutes) of each calendar day of the period, zero days included.

    Days are calendar days in the time zone of ``period.start``. As the 2.5β method assumes
    (IEEE 1366), an interruption that spans several days is accrued in full to the day it
    *began*: a storm from 18:00 lasting 30 h puts all its customer-minutes on its first day.
    Interruptions that began before the period are left out. (Period indices, by contrast,
    clip at the period's bounds.) ``customers`` must be at least 1.

    >>> import pendulum
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> o = Outage(start=t.add(hours=23), end=t.add(hours=25), customers_affected=30,
    ...            cause="fault")
    >>> d = daily_saidi(outages=[o], period=pendulum.interval(t, t.add(days=3)), customers=60)
    >>> dict(d)
    {datetime.date(2024, 6, 1): Fraction(60, 1), datetime.date(2024, 6, 2): Fraction(0, 1), \
datetime.date(2024, 6, 3): Fraction(0, 1)}
    >>> d.first_day, d.end_day
    (datetime.date(2024, 6, 1), datetime.date(2024, 6, 4))
    """
    conv = get_convention(convention)
    _, _, n, cuts, days = _daily_setup(period, customers)
    accrued, _, _ = tally_days(outages, cuts, n, conv, _causes(causes), split=False)
    return DailySaidi(
        by_day=_DayValues(days, accrued, n), first_day=days[0], end_day=days[-1] + timedelta(days=1)
    )


# --------------------------------------------------------------------------- the 2.5β method


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
    >>> th = med_threshold({date(2023, 5, 1): 3}, year_start=date(2024, 1, 1),
    ...                    history_start=date(2023, 5, 1))
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
    history_start: date
    history_end: date
    applies_from: date
    applies_until: date
    method: MedMethod
    reason: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)

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
        >>> th = med_threshold(hist, year_start=date(2024, 1, 1), history_start=date(2023, 1, 1))
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
    history_end: date | None = None,
    method: MedMethod = IEEE_1366_MED,
) -> MedThreshold:
    """T_MED = exp(α + 2.5β) from daily SAIDI (minutes) before ``year_start``.

    Uses the days in ``[year_start − history_years, year_start)``, drops days of zero
    SAIDI, takes natural logs; α is their mean and β their sample standard deviation
    (n − 1).

    The history coverage is stated, never guessed from the first outage: the records are
    complete over ``[history_start, history_end)``, by default the declared range of a
    :class:`DailySaidi` (from :func:`daily_saidi`); a plain mapping needs ``history_start``
    (``history_end`` defaults to ``year_start``). A day in the coverage without a value has
    SAIDI 0. When the coverage starts after the window start or ends before ``year_start``
    the result is *provisional*. Fewer than ``method.min_nonzero_days`` non-zero days give
    *insufficient data*. The sums are exactly rounded (``math.fsum``), so the threshold
    does not depend on the order of the days.

    >>> from datetime import date
    >>> hist = {date(2023, 3, 1): 1, date(2023, 3, 2): 2, date(2023, 3, 3): 4,
    ...         date(2023, 3, 4): 8, date(2023, 3, 5): 0}
    >>> th = med_threshold(hist, year_start=date(2024, 1, 1), history_start=date(2019, 1, 1))
    >>> th.status, th.nonzero_days, round(th.t_med, 4)      # 2 ** (1.5 + 2.5 * sqrt(5/3))
    (<MedStatus.AVAILABLE: 'available'>, 4, 26.492)
    >>> med_threshold({}, year_start=date(2024, 1, 1), history_start=date(2019, 1, 1)).status
    <MedStatus.INSUFFICIENT_DATA: 'insufficient_data'>
    >>> med_threshold(hist, year_start=date(2024, 1, 1))
    Traceback (most recent call last):
    gdsmodel.errors.InputError: history_start=None: the history coverage must be stated ...
    """
    if not isinstance(method, MedMethod):
        raise InputError("must be a MedMethod", name="method", value=method, allowed="MedMethod")
    ys = _plain_date(year_start, "year_start")
    window_start = _add_years(ys, -method.history_years)
    applies_until = _add_years(ys, 1)
    declared = daily_saidi if isinstance(daily_saidi, DailySaidi) else None
    fast = declared.by_day if declared is not None else None
    values: dict[date, Fraction] = {}
    if not isinstance(fast, _DayValues):
        fast = None
        for key, value in daily_saidi.items():
            d = _plain_date(key, "daily_saidi key")
            values[d] = exact(value, name=f"daily_saidi[{d}]")
    if history_start is None and declared is None:
        raise InputError(
            "the history coverage must be stated",
            name="history_start",
            value=None,
            allowed="the first day the records are complete, or a DailySaidi from daily_saidi()",
        )
    hs = _plain_date(
        history_start if history_start is not None else declared.first_day,  # type: ignore[union-attr]
        "history_start",
    )
    if history_end is not None:
        he = _plain_date(history_end, "history_end")
    else:
        he = declared.end_day if declared is not None else ys
    lower = max(window_start, hs)
    upper = min(ys, he)
    if fast is not None:
        logs = fast.logs(lower, upper)
    else:
        logs = [_ln(v) for d, v in values.items() if lower <= d < upper and v > 0]

    def result(status: MedStatus, reason: str = "", **stats: Any) -> MedThreshold:
        return MedThreshold(
            status=status,
            t_med=stats.get("t_med"),
            alpha=stats.get("alpha"),
            beta=stats.get("beta"),
            nonzero_days=len(logs),
            window_start=window_start,
            history_start=hs,
            history_end=he,
            applies_from=ys,
            applies_until=applies_until,
            method=method,
            reason=reason,
        )

    if hs >= ys or he <= window_start or he <= hs:
        return result(MedStatus.INSUFFICIENT_DATA, f"no history in [{window_start}, {ys})")
    n = len(logs)
    if n < method.min_nonzero_days:
        return result(
            MedStatus.INSUFFICIENT_DATA,
            f"{n} non-zero days in [{lower}, {upper}); at least {method.min_nonzero_days} needed",
        )
    alpha = math.fsum(logs) / n
    beta = math.sqrt(math.fsum((x - alpha) ** 2 for x in logs) / (n - 1))
    t_med = math.exp(alpha + float(method.beta_multiplier) * beta)
    if hs > window_start or he < ys:
        years = Fraction((upper - lower).days, 365)
        return result(
            MedStatus.PROVISIONAL,
            f"history [{lower}, {upper}): about {round_half_up(years, 1)} of "
            f"{method.history_years} years",
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
    ...          daily_saidi={}, threshold=med_threshold({}, year_start=date(2024, 1, 1),
    ...                                                  history_start=date(2019, 1, 1))).whole
    ReliabilityState(exposure=(), ...)
    """

    normal: ReliabilityState
    major: ReliabilityState
    major_event_days: tuple[date, ...]
    daily_saidi: Mapping[date, Fraction] = attrs.field(eq=False)
    threshold: MedThreshold

    def __repr__(self) -> str:
        return _show.short_repr(self)

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
    convention: CountingConvention | str | None = None,
) -> MedSplit:
    """Split a period's outages into those of major event days and the rest.

    Daily SAIDI is computed as in :func:`daily_saidi` (interruptions accrued to the day they
    began; ``causes`` should match the series the threshold was computed from). An
    interruption belongs to ``major`` when the day it *began* is a major event day, whatever
    its cause; both sets are then tallied over the period as any period is (customer-hours
    clipped at the period's bounds), so ``normal + major`` is exactly the state of all
    outages. Interruptions that began before the period stay in ``normal``. The period's
    days must lie in the year the threshold applies to. Raises :class:`MedUnavailableError`
    when the threshold is *insufficient data*.

    >>> import pendulum
    >>> from datetime import date
    >>> th = med_threshold({date(2023, 3, 1): 1, date(2023, 3, 2): 2, date(2023, 3, 3): 4,
    ...                     date(2023, 3, 4): 8}, year_start=date(2024, 1, 1),
    ...                    history_start=date(2019, 1, 1))
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> storm = Outage(start=t.add(hours=18), end=t.add(hours=48), customers_affected=50,
    ...                cause="fault")               # 1800 min x 50 / 100 = 900 min on 1 June
    >>> small = Outage(start=t.add(days=2), end=t.add(days=2, hours=1), customers_affected=10,
    ...                cause="fault")               # 6 min
    >>> split = exclude_major_event_days(outages=[storm, small], customers=100,
    ...     period=pendulum.interval(t, t.add(days=30)), threshold=th)
    >>> split.major_event_days, split.normal.saidi().value, split.whole.saidi().value
    ((datetime.date(2024, 6, 1),), Fraction(6, 1), Fraction(906, 1))
    """
    if not isinstance(threshold, MedThreshold):
        raise InputError(
            "must be a MedThreshold", name="threshold", value=threshold, allowed="MedThreshold"
        )
    t = threshold._require()
    conv = get_convention(convention)
    if isinstance(outages, Outage):
        raise InputError(
            "must be a collection of outages", name="outages", value=outages, allowed="[Outage]"
        )
    start, end, n, cuts, days = _daily_setup(period, customers)
    if days[0] < threshold.applies_from or days[-1] >= threshold.applies_until:
        raise InputError(
            "the period has days outside the year the threshold applies to",
            name="period",
            value=f"{days[0]}..{days[-1]}",
            allowed=f"days in [{threshold.applies_from}, {threshold.applies_until})",
        )
    accrued, buckets, records = tally_days(outages, cuts, n, conv, _causes(causes), split=True)
    daily = _DayValues(days, accrued, n)
    med_j = frozenset(daily.above(t))
    normal, major = split_buckets(buckets, records, med_j, conv, cuts[0], cuts[-1], n)
    return MedSplit(
        normal=ReliabilityState._build(
            [Exposure(start=start, end=end, customers=n)], [normal], conv
        ),
        major=ReliabilityState._build([], [major], conv),
        major_event_days=tuple(days[j] for j in sorted(med_j)),
        daily_saidi=DailySaidi(
            by_day=daily, first_day=days[0], end_day=days[-1] + timedelta(days=1)
        ),
        threshold=threshold,
    )


def split_buckets(
    buckets: Mapping[int, Bucket],
    records: Records,
    med_days: frozenset[int],
    convention: CountingConvention,
    first: int,
    last: int,
    customers: int,
) -> tuple[Bucket, Bucket]:
    """The period sums of the normal and of the major event days (by day index), checked."""
    normal = period_bucket(
        (b for j, b in buckets.items() if j not in med_days),
        lines_where(records, lambda j: j not in med_days),
        convention,
        first,
        last,
    )
    major = period_bucket(
        (b for j, b in buckets.items() if j in med_days),
        lines_where(records, lambda j: j in med_days),
        convention,
        first,
        last,
    )
    both = new_bucket()
    add_into(both, normal)
    add_into(both, major)
    check_plausible([both], [first, last], customers)
    return normal, major
