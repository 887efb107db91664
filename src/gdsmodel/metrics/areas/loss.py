"""Same-period line loss (同期线损) per transformer area from daily frozen readings.

An area's day joins the readings of its supply meter(s) (:class:`SupplyReading`, energy
supplied) and of its customers' meters (:class:`CustomerReading`, energy sold, meters
expected and read, estimated readings). :class:`AreaDay` is that day's additive state
(customer readings from several files merge by ``+``); it is *computable* when every
supply meter was read, the supply is not zero, the archive is consistent and the share of
meters read (采集成功率) reaches the rule's threshold. :class:`AreaPeriod` sums the energies
over the computable days only, so the loss of a month is a ratio of sums over the days on
which both sides were read, and states of days, areas or stations merge by ``+``.

>>> import datetime as dt
>>> d = dt.date(2026, 3, 1)
>>> day = area_day(
...     [SupplyReading("T01", d, 1000)],
...     [CustomerReading("T01", d, 930, meters_expected=50, meters_read=50)],
... )
>>> day.loss.format(), day.collection_rate.format(), day.reason()
('7.00%', '100.00%', None)
>>> classify(AreaPeriod.of(day)).area_class
<AreaClass.QUALIFIED: 'qualified'>
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Hashable, Iterable, Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs

from gdsmodel import _show
from gdsmodel.errors import InputError
from gdsmodel.metrics.areas.rules import AreaRules, LossBand, area_rules
from gdsmodel.metrics.areas.runs import RunState
from gdsmodel.metrics.ratio import Ratio, exact

__all__ = [
    "AreaClass",
    "AreaDay",
    "AreaPeriod",
    "Classification",
    "CustomerReading",
    "NonComputable",
    "SupplyReading",
    "area_day",
    "area_days",
    "area_periods",
    "classify",
    "classify_day",
]


class AreaClass(enum.StrEnum):
    """The class of an area-day or area-month (they partition the areas)."""

    QUALIFIED = "qualified"
    HIGH_LOSS = "high_loss"
    NEGATIVE_LOSS = "negative_loss"
    NON_COMPUTABLE = "non_computable"


class NonComputable(enum.StrEnum):
    """Why an area-day or area-month has no loss, in the order they are checked."""

    NO_SUPPLY_READING = "no_supply_reading"
    ZERO_SUPPLY = "zero_supply"
    ARCHIVE_MISMATCH = "archive_mismatch"
    LOW_COLLECTION = "low_collection"
    TOO_FEW_DAYS = "too_few_days"


def _area(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError("must be a non-empty area ID", name="area", value=value, allowed="text")
    return value


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise InputError("must be a date", name="day", value=value, allowed="datetime.date")
    return value


def _energy_or_none(value: Any) -> Fraction | None:
    return None if value is None else exact(value, name="supplied_kwh")


def _sold(value: Any) -> Fraction:
    return exact(value, name="sold_kwh")


def _count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError("must be a whole number >= 0", name=name, value=value, allowed=">= 0")
    return value


def _expected(value: Any) -> int:
    return _count(value, "meters_expected")


def _read(value: Any) -> int:
    return _count(value, "meters_read")


@attrs.frozen(slots=True)
class SupplyReading:
    """The daily frozen reading of one supply meter of an area (energy supplied that day).

    ``supplied_kwh`` None means the meter was not read.

    >>> SupplyReading("T01", dt.date(2026, 3, 1), -5)
    Traceback (most recent call last):
    gdsmodel.errors.InputError: supplied_kwh=-5: must not be negative ...
    """

    area: str = attrs.field(converter=_area)
    day: dt.date = attrs.field(converter=_day)
    supplied_kwh: Fraction | None = attrs.field(converter=_energy_or_none)


@attrs.frozen(slots=True, kw_only=False)
class CustomerReading:
    """Customer meters of an area on a day: energy sold, meters expected and read.

    One row may be one meter (``meters_expected=1``) or a batch. ``estimated`` marks an
    estimated (估抄) reading: its energy counts as sold, its meters as estimated (read only
    when the rules say ``estimated_counts_as_read``).

    >>> CustomerReading("T01", dt.date(2026, 3, 1), 10, meters_expected=1, meters_read=2)
    Traceback (most recent call last):
    gdsmodel.errors.InputError: meters_read=2: exceeds meters_expected = 1 (allowed: ...)
    """

    area: str = attrs.field(converter=_area)
    day: dt.date = attrs.field(converter=_day)
    sold_kwh: Fraction = attrs.field(converter=_sold)
    meters_expected: int = attrs.field(default=1, converter=_expected, kw_only=True)
    meters_read: int = attrs.field(default=1, converter=_read, kw_only=True)
    estimated: bool = attrs.field(default=False, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.meters_read > self.meters_expected:
            raise InputError(
                f"exceeds meters_expected = {self.meters_expected}",
                name="meters_read",
                value=self.meters_read,
                allowed="meters_read <= meters_expected (a batch row)",
            )


@attrs.frozen(slots=True, kw_only=True)
class AreaDay:
    """The additive state of one area on one day: both sides' sums.

    ``supply_meters`` rows were seen, ``supply_read`` of them read; ``meters_read`` counts
    real readings, ``meters_estimated`` estimated ones. States of the same area and day
    merge with ``+`` (readings from several files or collectors).
    """

    area: str
    day: dt.date
    supply_meters: int = 0
    supply_read: int = 0
    supplied_kwh: Fraction = Fraction(0)
    sold_kwh: Fraction = Fraction(0)
    estimated_kwh: Fraction = Fraction(0)
    meters_expected: int = 0
    meters_read: int = 0
    meters_estimated: int = 0

    @classmethod
    def of_supply(cls, r: SupplyReading) -> AreaDay:
        """The state of one supply reading."""
        read = r.supplied_kwh is not None
        return cls(
            area=r.area,
            day=r.day,
            supply_meters=1,
            supply_read=int(read),
            supplied_kwh=r.supplied_kwh or Fraction(0),
        )

    @classmethod
    def of_customers(cls, r: CustomerReading) -> AreaDay:
        """The state of one customer reading row."""
        return cls(
            area=r.area,
            day=r.day,
            sold_kwh=r.sold_kwh,
            estimated_kwh=r.sold_kwh if r.estimated else Fraction(0),
            meters_expected=r.meters_expected,
            meters_read=0 if r.estimated else r.meters_read,
            meters_estimated=r.meters_read if r.estimated else 0,
        )

    def __add__(self, other: object) -> AreaDay:
        if not isinstance(other, AreaDay):
            return NotImplemented
        if (other.area, other.day) != (self.area, self.day):
            raise InputError(
                "states of different area-days cannot merge",
                name="other",
                value=(other.area, str(other.day)),
                allowed=f"a state of {self.area} on {self.day}",
            )
        return AreaDay(
            area=self.area,
            day=self.day,
            supply_meters=self.supply_meters + other.supply_meters,
            supply_read=self.supply_read + other.supply_read,
            supplied_kwh=self.supplied_kwh + other.supplied_kwh,
            sold_kwh=self.sold_kwh + other.sold_kwh,
            estimated_kwh=self.estimated_kwh + other.estimated_kwh,
            meters_expected=self.meters_expected + other.meters_expected,
            meters_read=self.meters_read + other.meters_read,
            meters_estimated=self.meters_estimated + other.meters_estimated,
        )

    def counted_read(self, rules: AreaRules | None = None) -> int:
        """Meters counted as read (estimated ones too when the rules say so)."""
        r = rules or area_rules()
        return self.meters_read + (
            self.meters_estimated if r.collection.estimated_counts_as_read else 0
        )

    @property
    def collection_rate(self) -> Ratio:
        """采集成功率: meters read (not estimated) over meters expected."""
        return Ratio(self.meters_read, self.meters_expected)

    @property
    def loss(self) -> Ratio:
        """The day's loss ``(supplied - sold) / supplied`` (may be negative)."""
        return Ratio(self.supplied_kwh - self.sold_kwh, self.supplied_kwh)

    def reason(self, rules: AreaRules | None = None) -> NonComputable | None:
        """Why the day is not computable, or None when it is (checks in enum order)."""
        r = rules or area_rules()
        if self.supply_meters == 0 or self.supply_read < self.supply_meters:
            return NonComputable.NO_SUPPLY_READING
        if self.supplied_kwh == 0:
            return NonComputable.ZERO_SUPPLY
        if (
            self.meters_expected == 0
            or self.meters_read + self.meters_estimated > self.meters_expected
        ):
            return NonComputable.ARCHIVE_MISMATCH
        if Fraction(self.counted_read(r), self.meters_expected) < r.collection.threshold:
            return NonComputable.LOW_COLLECTION
        return None


def _reasons(value: Mapping[NonComputable, int]) -> Mapping[NonComputable, int]:
    return MappingProxyType({NonComputable(k): v for k, v in value.items() if v})


@attrs.frozen(slots=True, kw_only=True)
class AreaPeriod:
    """The additive state of an area over days: energies summed over the computable days.

    ``days`` counts the days seen and ``computable_days`` the computable ones; ``reasons``
    counts the other days by reason. ``meters_expected``/``meters_read`` sum every day (the
    period's collection rate). ``qualified`` and ``high_loss`` are runs of the days classed
    so (see :class:`~gdsmodel.metrics.areas.runs.RunState`). States of the same area over
    disjoint days merge with ``+``.
    """

    area: str
    days: int
    computable_days: int
    supplied_kwh: Fraction
    sold_kwh: Fraction
    estimated_kwh: Fraction
    meters_expected: int
    meters_read: int
    reasons: Mapping[NonComputable, int] = attrs.field(converter=_reasons, hash=False)
    qualified: RunState
    high_loss: RunState
    negative_loss: RunState
    area_type: str | None = None

    def _repr_html_(self) -> str:
        return _show.area_period_html(self)

    def __repr__(self) -> str:
        return _show.short_repr(self)

    @classmethod
    def of(
        cls, day: AreaDay, *, area_type: str | None = None, rules: AreaRules | None = None
    ) -> AreaPeriod:
        """The state of one area-day under the rules (its class decided once, here)."""
        r = rules or area_rules()
        why = day.reason(r)
        c = classify_day(day, area_type=area_type, rules=r).area_class
        n = day.day.toordinal()
        ok = why is None
        return cls(
            area=day.area,
            days=1,
            computable_days=int(ok),
            supplied_kwh=day.supplied_kwh if ok else Fraction(0),
            sold_kwh=day.sold_kwh if ok else Fraction(0),
            estimated_kwh=day.estimated_kwh if ok else Fraction(0),
            meters_expected=day.meters_expected,
            meters_read=day.meters_read,
            reasons={why: 1} if why is not None else {},
            qualified=RunState.of(n, c is AreaClass.QUALIFIED),
            high_loss=RunState.of(n, c is AreaClass.HIGH_LOSS),
            negative_loss=RunState.of(n, c is AreaClass.NEGATIVE_LOSS),
            area_type=area_type,
        )

    def __add__(self, other: object) -> AreaPeriod:
        if not isinstance(other, AreaPeriod):
            return NotImplemented
        if other.area != self.area or other.area_type != self.area_type:
            raise InputError(
                "states of different areas (or area types) cannot merge",
                name="other",
                value=(other.area, other.area_type),
                allowed=f"a state of {self.area} ({self.area_type})",
            )
        reasons = {k: self.reasons.get(k, 0) + other.reasons.get(k, 0) for k in NonComputable}
        return AreaPeriod(
            area=self.area,
            days=self.days + other.days,
            computable_days=self.computable_days + other.computable_days,
            supplied_kwh=self.supplied_kwh + other.supplied_kwh,
            sold_kwh=self.sold_kwh + other.sold_kwh,
            estimated_kwh=self.estimated_kwh + other.estimated_kwh,
            meters_expected=self.meters_expected + other.meters_expected,
            meters_read=self.meters_read + other.meters_read,
            reasons=reasons,
            qualified=self.qualified + other.qualified,
            high_loss=self.high_loss + other.high_loss,
            negative_loss=self.negative_loss + other.negative_loss,
            area_type=self.area_type,
        )

    @property
    def loss(self) -> Ratio:
        """The loss over the computable days: Σ(supplied − sold) / Σ supplied."""
        return Ratio(self.supplied_kwh - self.sold_kwh, self.supplied_kwh)

    @property
    def collection_rate(self) -> Ratio:
        """Meters read over meters expected, summed over every day."""
        return Ratio(self.meters_read, self.meters_expected)

    @property
    def longest_qualified_run(self) -> int:
        """The most consecutive qualified days."""
        return self.qualified.longest

    @property
    def high_loss_days(self) -> int:
        """Days classed high-loss."""
        return self.high_loss.marked


@attrs.frozen(slots=True, kw_only=True)
class Classification:
    """The class of an area-day or area-month with its loss and, if non-computable, why."""

    area: str
    area_class: AreaClass
    loss: Ratio
    band: LossBand
    reason: NonComputable | None = None

    def __repr__(self) -> str:
        return _show.short_repr(self)


def _band_class(loss: Ratio, band: LossBand) -> AreaClass:
    v = loss.require()
    if v < band.low:
        return AreaClass.NEGATIVE_LOSS
    if v > band.high:
        return AreaClass.HIGH_LOSS
    return AreaClass.QUALIFIED


def classify_day(
    day: AreaDay, *, area_type: str | None = None, rules: AreaRules | None = None
) -> Classification:
    """The class of one area-day.

    >>> d = AreaDay(area="T01", day=dt.date(2026, 3, 1), supply_meters=1, supply_read=1,
    ...             supplied_kwh=Fraction(1000), sold_kwh=Fraction(900), meters_expected=10,
    ...             meters_read=10)
    >>> classify_day(d).area_class  # exactly 10 %: the edge is qualified
    <AreaClass.QUALIFIED: 'qualified'>
    """
    r = rules or area_rules()
    band = r.band(area_type)
    why = day.reason(r)
    if why is not None:
        return Classification(
            area=day.area, area_class=AreaClass.NON_COMPUTABLE, loss=day.loss, band=band, reason=why
        )
    return Classification(
        area=day.area, area_class=_band_class(day.loss, band), loss=day.loss, band=band
    )


def classify(period: AreaPeriod, *, rules: AreaRules | None = None) -> Classification:
    """The class of an area over a period (a month): its loss over the computable days
    against the band of its area type; non-computable with the most frequent reason of its
    days (ties in :class:`NonComputable` order) when it has too few computable days.

    >>> import datetime as dt
    >>> d = AreaDay(area="T02", day=dt.date(2026, 3, 1), supply_meters=1, supply_read=0)
    >>> c = classify(AreaPeriod.of(d))
    >>> c.area_class, c.reason
    (<AreaClass.NON_COMPUTABLE: 'non_computable'>, <NonComputable.NO_SUPPLY_READING: ...>)
    """
    r = rules or area_rules()
    band = r.band(period.area_type)
    if period.computable_days < r.month.min_computable_days:
        counts = [(period.reasons.get(k, 0), -i, k) for i, k in enumerate(NonComputable)]
        best = max(counts)
        why = best[2] if best[0] else NonComputable.TOO_FEW_DAYS
        if period.computable_days:  # some computable days, but too few
            why = NonComputable.TOO_FEW_DAYS
        return Classification(
            area=period.area,
            area_class=AreaClass.NON_COMPUTABLE,
            loss=period.loss,
            band=band,
            reason=why,
        )
    return Classification(
        area=period.area, area_class=_band_class(period.loss, band), loss=period.loss, band=band
    )


def area_day(supply: Iterable[SupplyReading], customers: Iterable[CustomerReading]) -> AreaDay:
    """The state of one area-day from its readings (all of the same area and day)."""
    states = [*map(AreaDay.of_supply, supply), *map(AreaDay.of_customers, customers)]
    if not states:
        raise InputError("no readings", name="readings", value=[], allowed="at least one reading")
    total = states[0]
    for s in states[1:]:
        total = total + s
    return total


def area_days(
    supply: Iterable[SupplyReading],
    customers: Iterable[CustomerReading],
    *,
    archive: Iterable[str] | None = None,
) -> dict[tuple[str, dt.date], AreaDay]:
    """The state of every area-day seen on either side, keyed by ``(area, day)``.

    With ``archive`` (the area IDs of the archive), every archived area gets a state on
    every day seen (no reading at all: no supply reading), and readings of an area that is
    not archived raise :class:`~gdsmodel.errors.InputError`.

    >>> d = dt.date(2026, 3, 1)
    >>> sorted(area_days([SupplyReading("T01", d, 5)], [], archive=["T01", "T02"]))
    [('T01', datetime.date(2026, 3, 1)), ('T02', datetime.date(2026, 3, 1))]
    """
    out: dict[tuple[str, dt.date], AreaDay] = {}
    known = None if archive is None else set(archive)
    items: list[AreaDay] = [
        *(AreaDay.of_supply(r) for r in supply),
        *(AreaDay.of_customers(r) for r in customers),
    ]
    for i, s in enumerate(items):
        if known is not None and s.area not in known:
            raise InputError(
                f"reading {i} is of an area that is not in the archive",
                name="area",
                value=s.area,
                allowed=", ".join(sorted(known)),
            )
        k = (s.area, s.day)
        out[k] = out[k] + s if k in out else s
    if known is not None:
        for d in sorted({k[1] for k in out}):
            for a in sorted(known):
                out.setdefault((a, d), AreaDay(area=a, day=d))
    return out


def area_periods(
    days: Iterable[AreaDay],
    *,
    period: Callable[[dt.date], Hashable] = lambda d: (d.year, d.month),
    area_types: Mapping[str, str] | None = None,
    rules: AreaRules | None = None,
) -> dict[tuple[str, Hashable], AreaPeriod]:
    """The state of each area per period (a month by default: ``(year, month)``).

    ``area_types`` maps an area to its type (the rules' default type otherwise).

    >>> d = dt.date(2026, 3, 1)
    >>> days = area_days([SupplyReading("T01", d, 100)],
    ...                  [CustomerReading("T01", d, 95, meters_expected=1, meters_read=1)])
    >>> {k: v.loss.format() for k, v in area_periods(days.values()).items()}
    {('T01', (2026, 3)): '5.00%'}
    """
    r = rules or area_rules()
    types = dict(area_types or {})
    out: dict[tuple[str, Hashable], AreaPeriod] = {}
    for day in days:
        s = AreaPeriod.of(day, area_type=types.get(day.area), rules=r)
        k = (day.area, period(day.day))
        out[k] = out[k] + s if k in out else s
    return out
