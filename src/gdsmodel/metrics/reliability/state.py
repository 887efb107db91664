"""The additive reliability state (cause totals and customers served over time) and the
indices it gives when divided at the end."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

import attrs

from gdsmodel.errors import InputError
from gdsmodel.metrics.ratio import Ratio, exact
from gdsmodel.metrics.reliability._common import (
    MIN_OUTAGE_DURATION,
    _customers,
    _hours,
    _micros,
    _min_duration,
    _period_bounds,
)
from gdsmodel.metrics.reliability.causes import (
    RS1_CAUSES,
    RS2_CAUSES,
    RS3_CAUSES,
    OutageCause,
    _cause,
    _causes,
)
from gdsmodel.metrics.reliability.outages import Outage
from gdsmodel.metrics.reliability.tally import _Bucket, _tally
from gdsmodel.metrics.reliability.values import IndexValue
from gdsmodel.periods import PeriodLike, utc_instant


def _count(name: str) -> Any:
    def check(_: Any, __: Any, value: object) -> None:
        _customers(value, name)

    return attrs.field(default=0, validator=check)


def _nonneg_fraction(value: object) -> Fraction:
    return exact(value, name="customer_hours")


@attrs.frozen(slots=True, kw_only=True)
class CauseTotals:
    """Additive sums for one cause class.

    * ``events``: outages counted (from the minimum duration), by the period they start in;
    * ``customer_interruptions``: Σ customers affected by those outages;
    * ``customer_hours``: Σ customers affected × hours inside the period (clipped);
    * ``short_events`` / ``short_customer_interruptions``: the same counts for outages
      shorter than the minimum duration, which no index uses.

    >>> CauseTotals(events=1, customer_interruptions=5, customer_hours=2) + CauseTotals(events=2)
    CauseTotals(events=3, customer_interruptions=5, customer_hours=Fraction(2, 1), \
short_events=0, short_customer_interruptions=0)
    """

    events: int = _count("events")
    customer_interruptions: int = _count("customer_interruptions")
    customer_hours: Fraction = attrs.field(default=Fraction(0), converter=_nonneg_fraction)
    short_events: int = _count("short_events")
    short_customer_interruptions: int = _count("short_customer_interruptions")

    def __add__(self, other: object) -> CauseTotals:
        if not isinstance(other, CauseTotals):
            return NotImplemented
        return CauseTotals(
            events=self.events + other.events,
            customer_interruptions=self.customer_interruptions + other.customer_interruptions,
            customer_hours=self.customer_hours + other.customer_hours,
            short_events=self.short_events + other.short_events,
            short_customer_interruptions=self.short_customer_interruptions
            + other.short_customer_interruptions,
        )


def _utc_instant(value: object) -> datetime:
    return utc_instant(value, name="exposure bound")  # type: ignore[arg-type]


@attrs.frozen(slots=True, kw_only=True)
class Exposure:
    """``customers`` served over ``[start, end)`` (bounds kept as UTC instants).

    >>> import pendulum
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> Exposure(start=t, end=t.add(days=1), customers=10).customer_hours
    Fraction(240, 1)
    """

    start: datetime = attrs.field(converter=_utc_instant)
    end: datetime = attrs.field(converter=_utc_instant)
    customers: int = _count("customers")

    def __attrs_post_init__(self) -> None:
        if self.end <= self.start:
            raise InputError(
                "ends before it starts",
                name="exposure",
                value=f"[{self.start}, {self.end})",
                allowed="end > start",
            )

    @property
    def hours(self) -> Fraction:
        """Hours in the period, exactly."""
        return _hours(_micros(self.end - self.start))

    @property
    def customer_hours(self) -> Fraction:
        """``customers × hours``: the customer-hours of the period."""
        return self.hours * self.customers


def _canonical_exposure(entries: Iterable[Exposure]) -> tuple[Exposure, ...]:
    """Customers served as a step function of time, in canonical form.

    Overlapping entries add their customers (feeders of the same period); the time covered
    is the union of the entries; adjacent pieces with equal customers are joined. The
    result does not depend on how the entries were grouped or ordered.
    """
    delta: dict[datetime, int] = {}
    cover: dict[datetime, int] = {}
    for entry in entries:
        if not isinstance(entry, Exposure):
            raise InputError(
                "must be Exposure entries", name="exposure", value=entry, allowed="Exposure"
            )
        delta[entry.start] = delta.get(entry.start, 0) + entry.customers
        delta[entry.end] = delta.get(entry.end, 0) - entry.customers
        cover[entry.start] = cover.get(entry.start, 0) + 1
        cover[entry.end] = cover.get(entry.end, 0) - 1
    out: list[Exposure] = []
    customers = covering = 0
    points = sorted(delta)
    for here, nxt in itertools.pairwise(points):
        customers += delta[here]
        covering += cover[here]
        if not covering:
            continue
        last = out[-1] if out else None
        if last is not None and last.end == here and last.customers == customers:
            out[-1] = Exposure(start=last.start, end=nxt, customers=customers)
        else:
            out.append(Exposure(start=here, end=nxt, customers=customers))
    return tuple(out)


def _check_totals(_: Any, attribute: Any, value: CauseTotals) -> None:
    if not isinstance(value, CauseTotals):
        raise InputError(
            "must be CauseTotals", name=attribute.name, value=value, allowed="CauseTotals"
        )


def _check_min_duration_field(_: Any, __: Any, value: object) -> None:
    if value is not None:
        _min_duration(value)


@attrs.frozen(slots=True, kw_only=True)
class ReliabilityIndices:
    """All the indices of one state, computed at the end (see :meth:`ReliabilityState.indices`).

    RS-1/2/3 and ASAI are :class:`Ratio` (additive: customer-hours served over customer-hours
    in the period); the per-customer indices are :class:`IndexValue`.

    >>> ix = ReliabilityState().indices()
    >>> ix.rs3.defined, ix.caidi.reason
    (False, 'no customers served in the period')
    """

    rs1: Ratio
    rs2: Ratio
    rs3: Ratio
    aihc: IndexValue
    aitc: IndexValue
    saifi: IndexValue
    saidi: IndexValue
    caidi: IndexValue
    asai: Ratio

    def as_rows(self, places: int = 4) -> list[tuple[str, str]]:
        """``(name, formatted value)`` rows, rounded half-up for display.

        >>> ReliabilityState().indices().as_rows()[0]
        ('RS-1', 'undefined (0/0)')
        """
        return [
            ("RS-1", self.rs1.format(places)),
            ("RS-2", self.rs2.format(places)),
            ("RS-3", self.rs3.format(places)),
            ("AIHC", self.aihc.format(places)),
            ("AITC", self.aitc.format(places)),
            ("SAIFI", self.saifi.format(places)),
            ("SAIDI", self.saidi.format(places)),
            ("CAIDI", self.caidi.format(places)),
            ("ASAI", self.asai.format(places)),
        ]


@attrs.frozen(slots=True, kw_only=True)
class ReliabilityState:
    """Additive reliability sums; indices are divided only at the end.

    Additive (merged by summing): the :class:`CauseTotals` of each cause class, and the
    customer-hours in the period (``customers × hours``). **Not** additive: a plain customer
    count across periods, and the hours of a period across feeders. The state therefore keeps
    its ``exposure`` as customers served over time (a step function): where states overlap
    in time (feeders or areas of the same period) their customers add up; where they do not
    (consecutive periods) the time covered adds up. The customer count used by the
    per-customer indices is the time-weighted mean ``customers = Σ customers × hours ÷ hours
    covered`` (exact for one period and a fixed count).

    ``min_duration`` records the counting threshold; states counted with different
    thresholds refuse to merge. ``ReliabilityState()`` is the empty state (merge identity).

    >>> import pendulum
    >>> d1 = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> day1 = pendulum.interval(d1, d1.add(days=1))
    >>> day2 = pendulum.interval(d1.add(days=1), d1.add(days=2))
    >>> o = Outage(start=d1.add(hours=23), end=d1.add(hours=25), customers_affected=12,
    ...            cause="fault")
    >>> a = ReliabilityState.from_outages([o], period=day1, customers=100)
    >>> b = ReliabilityState.from_outages([o], period=day2, customers=100)
    >>> both = pendulum.interval(d1, d1.add(days=2))
    >>> a + b == ReliabilityState.from_outages([o], period=both, customers=100)
    True
    >>> (a + b).customers, (a + b).aihc().value
    (Fraction(100, 1), Fraction(6, 25))
    """

    exposure: tuple[Exposure, ...] = attrs.field(default=(), converter=_canonical_exposure)
    planned: CauseTotals = attrs.field(default=CauseTotals(), validator=_check_totals)
    fault: CauseTotals = attrs.field(default=CauseTotals(), validator=_check_totals)
    external: CauseTotals = attrs.field(default=CauseTotals(), validator=_check_totals)
    supply_shortage: CauseTotals = attrs.field(default=CauseTotals(), validator=_check_totals)
    min_duration: timedelta | None = attrs.field(default=None, validator=_check_min_duration_field)

    # ---- building and merging

    @classmethod
    def from_outages(
        cls,
        outages: Iterable[Outage],
        *,
        period: PeriodLike,
        customers: int,
        min_duration: timedelta = MIN_OUTAGE_DURATION,
    ) -> ReliabilityState:
        """Tally outages over ``period`` for ``customers`` customers served.

        Raises :class:`InputError` when an outage affects more customers than are served,
        or when the outages together interrupt more customer-hours than the period has
        (overlapping records counting the same customers twice).

        >>> import pendulum
        >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
        >>> day = pendulum.interval(t, t.add(days=1))
        >>> short = Outage(start=t, end=t.add(minutes=2), customers_affected=5, cause="fault")
        >>> s = ReliabilityState.from_outages([short], period=day, customers=10)
        >>> s.fault.events, s.fault.short_events, s.rs1().value
        (0, 1, Fraction(1, 1))
        """
        start, end = _period_bounds(period)
        n = _customers(customers)
        min_us = _min_duration(min_duration)
        cuts = [utc_instant(start), utc_instant(end)]
        (bucket,) = _tally(outages, cuts, n, min_us)
        return cls._build([Exposure(start=start, end=end, customers=n)], [bucket], min_duration)

    @classmethod
    def _build(
        cls,
        exposure: Iterable[Exposure],
        buckets: Iterable[_Bucket],
        min_duration: timedelta | None,
    ) -> ReliabilityState:
        totals = {c: [0, 0, 0, 0, 0] for c in OutageCause}
        for bucket in buckets:
            for cause, acc in bucket.items():
                tot = totals[cause]
                for i in range(5):
                    tot[i] += acc[i]
        made = {
            cause: CauseTotals(
                events=t[0],
                customer_interruptions=t[1],
                customer_hours=_hours(t[2]),
                short_events=t[3],
                short_customer_interruptions=t[4],
            )
            for cause, t in totals.items()
        }
        return cls(
            exposure=tuple(exposure),
            planned=made[OutageCause.PLANNED],
            fault=made[OutageCause.FAULT],
            external=made[OutageCause.EXTERNAL],
            supply_shortage=made[OutageCause.SUPPLY_SHORTAGE],
            min_duration=min_duration,
        )

    def __add__(self, other: object) -> ReliabilityState:
        if isinstance(other, ReliabilityState):
            if (
                self.min_duration is not None
                and other.min_duration is not None
                and self.min_duration != other.min_duration
            ):
                raise InputError(
                    "states counted with different minimum outage durations cannot merge",
                    name="min_duration",
                    value=(self.min_duration, other.min_duration),
                    allowed="the same min_duration for every state",
                )
            return ReliabilityState(
                exposure=self.exposure + other.exposure,
                planned=self.planned + other.planned,
                fault=self.fault + other.fault,
                external=self.external + other.external,
                supply_shortage=self.supply_shortage + other.supply_shortage,
                min_duration=self.min_duration
                if self.min_duration is not None
                else other.min_duration,
            )
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self  # lets sum() start from 0
        return NotImplemented

    __radd__ = __add__

    @classmethod
    def merge(cls, states: Iterable[ReliabilityState]) -> ReliabilityState:
        """Merge states (feeders, areas, periods); empty gives the empty state.

        >>> ReliabilityState.merge([]) == ReliabilityState()
        True
        """
        total = cls()
        for state in states:
            total = total + state
        return total

    # ---- sums

    def totals(self, cause: OutageCause | str) -> CauseTotals:
        """The sums of one cause class.

        >>> ReliabilityState().totals("fault").events
        0
        """
        c = _cause(cause)
        if c is OutageCause.PLANNED:
            return self.planned
        if c is OutageCause.FAULT:
            return self.fault
        if c is OutageCause.EXTERNAL:
            return self.external
        return self.supply_shortage

    def total(self, causes: Iterable[OutageCause | str] | None = None) -> CauseTotals:
        """The sums over a set of cause classes (None: all).

        >>> ReliabilityState().total(RS3_CAUSES).customer_hours
        Fraction(0, 1)
        """
        out = CauseTotals()
        for c in sorted(_causes(causes)):
            out = out + self.totals(c)
        return out

    @property
    def hours(self) -> Fraction:
        """Hours covered: the sum over the distinct periods of the exposure."""
        return sum((e.hours for e in self.exposure), Fraction(0))

    @property
    def customer_hours_in_period(self) -> Fraction:
        """Σ customers × hours in period: the denominator of RS (additive)."""
        return sum((e.customer_hours for e in self.exposure), Fraction(0))

    @property
    def customers(self) -> Fraction | None:
        """Customers served: time-weighted mean over the periods (None if no period)."""
        hours = self.hours
        return self.customer_hours_in_period / hours if hours else None

    # ---- indices

    def _rs(self, causes: frozenset[OutageCause]) -> Ratio:
        den = self.customer_hours_in_period
        return Ratio(den - self.total(causes).customer_hours, den)

    def rs1(self) -> Ratio:
        """RS-1: 1 − Σ customer-hours interrupted (all causes) ÷ customer-hours in period."""
        return self._rs(RS1_CAUSES)

    def rs2(self) -> Ratio:
        """RS-2: as RS-1, leaving out outages of external cause (外部影响)."""
        return self._rs(RS2_CAUSES)

    def rs3(self) -> Ratio:
        """RS-3: as RS-1, leaving out load shedding for lack of system supply."""
        return self._rs(RS3_CAUSES)

    def asai(self, causes: Iterable[OutageCause | str] | None = None) -> Ratio:
        """ASAI = 1 − SAIDI(h) ÷ hours in period; the same ratio as RS-1 for the same causes."""
        return self._rs(_causes(causes))

    def _per_customer(self, amount: Fraction, unit: str) -> IndexValue:
        n = self.customers
        if not n:
            return IndexValue(None, unit, "no customers served in the period")
        return IndexValue(amount / n, unit)

    def aihc(self, causes: Iterable[OutageCause | str] | None = None) -> IndexValue:
        """AIHC: Σ customer-hours interrupted ÷ customers, in h per customer.

        ``causes`` None counts all (AIHC-1); ``RS2_CAUSES``/``RS3_CAUSES`` give AIHC-2/3.
        """
        return self._per_customer(self.total(causes).customer_hours, "h/customer")

    def aitc(self, causes: Iterable[OutageCause | str] | None = None) -> IndexValue:
        """AITC: Σ customers affected ÷ customers, in interruptions per customer."""
        return self._per_customer(
            Fraction(self.total(causes).customer_interruptions), "times/customer"
        )

    def saifi(self, causes: Iterable[OutageCause | str] | None = None) -> IndexValue:
        """SAIFI: Σ customers interrupted ÷ customers served (IEEE 1366)."""
        return self._per_customer(
            Fraction(self.total(causes).customer_interruptions), "interruptions/customer"
        )

    def saidi(self, causes: Iterable[OutageCause | str] | None = None) -> IndexValue:
        """SAIDI: Σ customer-minutes interrupted ÷ customers served, in minutes (IEEE 1366)."""
        return self._per_customer(self.total(causes).customer_hours * 60, "min/customer")

    def caidi(self, causes: Iterable[OutageCause | str] | None = None) -> IndexValue:
        """CAIDI = SAIDI ÷ SAIFI, minutes per interruption; undefined when SAIFI is 0."""
        unit = "min/interruption"
        if not self.customers:
            return IndexValue(None, unit, "no customers served in the period")
        t = self.total(causes)
        if not t.customer_interruptions:
            return IndexValue(None, unit, "no customer interruptions (SAIFI is 0)")
        return IndexValue(t.customer_hours * 60 / t.customer_interruptions, unit)

    def indices(self, causes: Iterable[OutageCause | str] | None = None) -> ReliabilityIndices:
        """Every index at once; ``causes`` applies to AIHC, AITC and the IEEE indices.

        >>> ReliabilityState().indices().saidi.defined
        False
        """
        cs = _causes(causes)
        return ReliabilityIndices(
            rs1=self.rs1(),
            rs2=self.rs2(),
            rs3=self.rs3(),
            aihc=self.aihc(cs),
            aitc=self.aitc(cs),
            saifi=self.saifi(cs),
            saidi=self.saidi(cs),
            caidi=self.caidi(cs),
            asai=self.asai(cs),
        )
