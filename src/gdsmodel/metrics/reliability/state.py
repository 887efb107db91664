"""The additive reliability state (cause totals and customers served over time) and the
indices it gives when divided at the end."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

import attrs

from gdsmodel import _show
from gdsmodel.errors import InputError
from gdsmodel.metrics.ratio import Ratio, exact
from gdsmodel.metrics.reliability._common import (
    _customers,
    _hours,
    _instant_us,
    _micros,
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
from gdsmodel.metrics.reliability.conventions import CountingConvention
from gdsmodel.metrics.reliability.conventions import convention as get_convention
from gdsmodel.metrics.reliability.outages import Outage
from gdsmodel.metrics.reliability.tally import (
    CAUSES,
    CUSTOMER_INTERRUPTIONS,
    CUSTOMER_US,
    EVENT_US,
    EVENTS,
    FIELDS,
    MOMENTARY_EVENT_CUSTOMERS,
    MOMENTARY_EVENTS,
    SHORT_CUSTOMERS,
    SHORT_EVENTS,
    Bucket,
    check_plausible,
    tally,
)
from gdsmodel.metrics.reliability.values import IndexValue
from gdsmodel.periods import PeriodLike, utc_instant
from gdsmodel.text import Text


def _count(name: str) -> Any:
    def check(_: Any, __: Any, value: object) -> None:
        _customers(value, name)

    return attrs.field(default=0, validator=check)


def _nonneg_fraction(value: object) -> Fraction:
    return exact(value, name="customer_hours")


def _nonneg_hours(value: object) -> Fraction:
    return exact(value, name="event_hours")


_TOTAL_FIELDS = (
    "events",
    "customer_interruptions",
    "customer_hours",
    "event_hours",
    "short_events",
    "short_customer_interruptions",
    "momentary_events",
    "momentary_event_customers",
)


@attrs.frozen(slots=True, kw_only=True)
class CauseTotals:
    """Additive sums for one cause class.

    * ``events``: sustained interruptions (strictly longer than the convention's
      threshold), counted in the period where they start;
    * ``customer_interruptions``: Σ customers affected by those interruptions;
    * ``customer_hours``: Σ customers affected × hours inside the period (clipped);
    * ``event_hours``: Σ whole durations of those interruptions (h), in the period where they
      start: the numerator of the average duration of an outage;
    * ``short_events`` / ``short_customer_interruptions``: the same counts for short
      (momentary) interruptions, which only MAIFI uses;
    * ``momentary_events`` / ``momentary_event_customers``: IEEE 1366 momentary interruption
      events and their customers (MAIFIe; 0 under conventions without events).

    >>> CauseTotals(events=1, customer_interruptions=5, customer_hours=2) + CauseTotals(events=2)
    CauseTotals(events=3, customer_interruptions=5, customer_hours=Fraction(2, 1), \
event_hours=Fraction(0, 1), short_events=0, short_customer_interruptions=0, momentary_events=0, \
momentary_event_customers=0)
    """

    events: int = _count("events")
    customer_interruptions: int = _count("customer_interruptions")
    customer_hours: Fraction = attrs.field(default=Fraction(0), converter=_nonneg_fraction)
    event_hours: Fraction = attrs.field(default=Fraction(0), converter=_nonneg_hours)
    short_events: int = _count("short_events")
    short_customer_interruptions: int = _count("short_customer_interruptions")
    momentary_events: int = _count("momentary_events")
    momentary_event_customers: int = _count("momentary_event_customers")

    def __add__(self, other: object) -> CauseTotals:
        if not isinstance(other, CauseTotals):
            return NotImplemented
        return CauseTotals(**{f: getattr(self, f) + getattr(other, f) for f in _TOTAL_FIELDS})


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


def _check_convention(_: Any, __: Any, value: object) -> None:
    if value is not None and not isinstance(value, CountingConvention):
        raise InputError(
            "must be a CountingConvention or None",
            name="convention",
            value=value,
            allowed="CountingConvention (see load_conventions())",
        )


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
    maifi: IndexValue
    maifie: IndexValue

    def _repr_html_(self) -> str:
        return _show.reliability_html(self)

    def __repr__(self) -> str:
        return _show.short_repr(self)

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
            ("MAIFI", self.maifi.format(places)),
            ("MAIFIe", self.maifie.format(places)),
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

    ``convention`` records the :class:`~.conventions.CountingConvention` the outages were
    counted with; states counted with different conventions refuse to merge.
    ``ReliabilityState()`` is the empty state (merge identity).

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
    convention: CountingConvention | None = attrs.field(default=None, validator=_check_convention)

    # ---- building and merging

    def _repr_html_(self) -> str:
        return _show.reliability_state_html(self)

    def __repr__(self) -> str:
        return _show.short_repr(self)

    @classmethod
    def from_outages(
        cls,
        outages: Iterable[Outage],
        *,
        period: PeriodLike,
        customers: int,
        convention: CountingConvention | str | None = None,
    ) -> ReliabilityState:
        """Tally outages over ``period`` for ``customers`` customers served.

        ``convention`` (default ``DL/T 836``) decides which interruptions are sustained.
        Raises :class:`InputError` when an outage affects more customers than are served,
        or when the outages together interrupt more customer-hours than the period has
        (overlapping records counting the same customers twice).

        >>> import pendulum
        >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
        >>> day = pendulum.interval(t, t.add(days=1))
        >>> o = Outage(start=t, end=t.add(minutes=4), customers_affected=5, cause="fault")
        >>> s = ReliabilityState.from_outages([o], period=day, customers=10)
        >>> s.fault.events, s.fault.short_events
        (1, 0)
        >>> s = ReliabilityState.from_outages([o], period=day, customers=10,
        ...                                   convention="IEEE 1366")
        >>> s.fault.events, s.fault.short_events, s.rs1().value, s.maifi().value
        (0, 1, Fraction(1, 1), Fraction(1, 2))
        """
        conv = get_convention(convention)
        start, end = _period_bounds(period)
        n = _customers(customers)
        cuts = [_instant_us(start), _instant_us(end)]
        buckets = tally(outages, cuts, n, conv)
        check_plausible(buckets, cuts, n)
        return cls._build([Exposure(start=start, end=end, customers=n)], buckets, conv)

    @classmethod
    def from_totals(
        cls,
        *,
        period: PeriodLike,
        customers: int,
        totals: Mapping[OutageCause | str, CauseTotals | Mapping[str, Any]],
        convention: CountingConvention | str | None = None,
    ) -> ReliabilityState:
        """The state of published totals: customers served over ``period`` and, per cause
        class, the sums of :class:`CauseTotals` (a mapping of its fields works too).

        Checked as outages are: a cause must be known, counts whole and >= 0, the
        customer-hours interrupted at most customers × hours of the period, and the customers
        interrupted at most ``customers`` per interruption. The result merges with states
        built from outages (counted with the same convention).

        >>> import pendulum
        >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
        >>> june = pendulum.interval(t, t.add(days=30))
        >>> s = ReliabilityState.from_totals(period=june, customers=1000, totals={
        ...     "fault": {"events": 3, "customer_interruptions": 400, "customer_hours": "650.5"}})
        >>> s.saidi().value, s.saifi().value
        (Fraction(3903, 100), Fraction(2, 5))
        """
        conv = get_convention(convention)
        start, end = _period_bounds(period)
        n = _customers(customers)
        if not isinstance(totals, Mapping):
            raise InputError(
                "must be a mapping of cause class to totals",
                name="totals",
                value=totals,
                allowed="{cause: CauseTotals or a table of its fields}",
            )
        made: dict[OutageCause, CauseTotals] = {}
        for key, value in totals.items():
            cause = _cause(key)
            if cause in made:
                raise InputError(
                    "appears twice", name="totals", value=key, allowed="each cause once"
                )
            made[cause] = _totals(value, f"totals[{cause.value}]")
        hours = _hours(_instant_us(end) - _instant_us(start))
        used = sum((t.customer_hours for t in made.values()), Fraction(0))
        if used > n * hours:
            raise InputError(
                "the totals interrupt more customer-hours than the customers have in the period",
                name="totals",
                value=f"{used} customer-hours",
                allowed=f"at most customers × hours = {n * hours}",
            )
        for cause, t in made.items():
            for count, events in (
                (t.customer_interruptions, t.events),
                (t.short_customer_interruptions, t.short_events),
            ):
                if count > events * n:
                    raise InputError(
                        "counts more customers interrupted than the interruptions can cut off",
                        name=f"totals[{cause.value}]",
                        value=count,
                        allowed=f"at most interruptions × customers = {events} × {n}",
                    )
        empty = CauseTotals()
        return cls(
            exposure=(Exposure(start=start, end=end, customers=n),),
            planned=made.get(OutageCause.PLANNED, empty),
            fault=made.get(OutageCause.FAULT, empty),
            external=made.get(OutageCause.EXTERNAL, empty),
            supply_shortage=made.get(OutageCause.SUPPLY_SHORTAGE, empty),
            convention=conv,
        )

    @classmethod
    def _build(
        cls,
        exposure: Iterable[Exposure],
        buckets: Iterable[Bucket],
        convention: CountingConvention | None,
    ) -> ReliabilityState:
        sums = [[0] * FIELDS for _ in CAUSES]
        for bucket in buckets:
            for tot, acc in zip(sums, bucket, strict=True):
                for i in range(FIELDS):
                    tot[i] += acc[i]
        made = {
            cause: CauseTotals(
                events=t[EVENTS],
                customer_interruptions=t[CUSTOMER_INTERRUPTIONS],
                customer_hours=_hours(t[CUSTOMER_US]),
                event_hours=_hours(t[EVENT_US]),
                short_events=t[SHORT_EVENTS],
                short_customer_interruptions=t[SHORT_CUSTOMERS],
                momentary_events=t[MOMENTARY_EVENTS],
                momentary_event_customers=t[MOMENTARY_EVENT_CUSTOMERS],
            )
            for cause, t in zip(CAUSES, sums, strict=True)
        }
        return cls(
            exposure=tuple(exposure),
            planned=made[OutageCause.PLANNED],
            fault=made[OutageCause.FAULT],
            external=made[OutageCause.EXTERNAL],
            supply_shortage=made[OutageCause.SUPPLY_SHORTAGE],
            convention=convention,
        )

    @property
    def min_duration(self) -> timedelta | None:
        """The convention's threshold (an interruption is sustained when strictly longer)."""
        return None if self.convention is None else self.convention.sustained_above

    def __add__(self, other: object) -> ReliabilityState:
        if isinstance(other, ReliabilityState):
            a, b = self.convention, other.convention
            if a is not None and b is not None and a != b:
                raise InputError(
                    "states counted with different conventions cannot merge",
                    name="convention",
                    value=(a.name, b.name),
                    allowed="the same counting convention for every state",
                )
            return ReliabilityState(
                exposure=self.exposure + other.exposure,
                planned=self.planned + other.planned,
                fault=self.fault + other.fault,
                external=self.external + other.external,
                supply_shortage=self.supply_shortage + other.supply_shortage,
                convention=a if a is not None else b,
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
        cs = _causes(causes)
        parts = [self.totals(c) for c in CAUSES if c in cs]
        if len(parts) == 1:
            return parts[0]
        if not parts:
            return CauseTotals()
        return CauseTotals(**{f: sum(getattr(p, f) for p in parts) for f in _TOTAL_FIELDS})

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
        return _rs_of(self.customer_hours_in_period, self.total(causes))

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
        return _per_customer_of(self.customers, amount, unit)

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
        return _caidi_of(self.customers, self.total(causes))

    def maifi(self, causes: Iterable[OutageCause | str] | None = None) -> IndexValue:
        """MAIFI: Σ customers of short (momentary) interruptions ÷ customers served.

        Under ``IEEE 1366`` the momentary interruptions (5 min or less); under ``DL/T 836``
        the short-interruption frequency (3 min or less, 系统平均短时停电频率).
        """
        return self._per_customer(
            Fraction(self.total(causes).short_customer_interruptions), "interruptions/customer"
        )

    def maifie(self, causes: Iterable[OutageCause | str] | None = None) -> IndexValue:
        """MAIFIe (IEEE 1366): Σ customers of momentary interruption events ÷ customers served.

        Undefined under a convention without momentary events (``DL/T 836``).
        """
        return _maifie_of(self.convention, self.customers, self.total(causes))

    def average_duration(self, causes: Iterable[OutageCause | str] | None = None) -> IndexValue:
        """Σ durations of the sustained interruptions ÷ their number, hours per outage.

        With ``outage_kinds()["planned"].causes`` (or ``"fault"``): the average duration of
        planned or of fault outages. Undefined when no outage was counted.

        >>> ReliabilityState().average_duration().reason
        'no sustained interruptions'
        """
        t = self.total(causes)
        if not t.events:
            return IndexValue(None, "h/outage", "no sustained interruptions")
        return IndexValue(t.event_hours / t.events, "h/outage")

    def planned_fault(self) -> PlannedFaultSplit:
        """The planned (预安排) versus fault (故障) split (cause classes: ``data/indices.toml``).

        >>> import pendulum
        >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
        >>> o = [Outage(start=t, end=t.add(hours=4), customers_affected=10, cause="planned"),
        ...      Outage(start=t.add(days=1), end=t.add(days=1, hours=1), customers_affected=10,
        ...             cause="fault"),
        ...      Outage(start=t.add(days=2), end=t.add(days=2, hours=2), customers_affected=10,
        ...             cause="external")]
        >>> s = ReliabilityState.from_outages(o, period=pendulum.interval(t, t.add(days=30)),
        ...                                   customers=100)
        >>> split = s.planned_fault()
        >>> split.planned.average_duration.value, split.fault.average_duration.value
        (Fraction(4, 1), Fraction(3, 2))
        """
        from gdsmodel.metrics.reliability.catalogue import outage_kinds

        kinds = outage_kinds()

        def part(key: str) -> KindSummary:
            causes = kinds[key].causes
            return KindSummary(
                kind=key,
                name=kinds[key].name,
                totals=self.total(causes),
                average_duration=self.average_duration(causes),
                aihc=self.aihc(causes),
                aitc=self.aitc(causes),
                caidi=self.caidi(causes),
            )

        return PlannedFaultSplit(planned=part("planned"), fault=part("fault"))

    def indices(self, causes: Iterable[OutageCause | str] | None = None) -> ReliabilityIndices:
        """Every index at once; ``causes`` applies to AIHC, AITC and the IEEE indices.

        >>> ReliabilityState().indices().saidi.defined
        False
        """
        cs = _causes(causes)
        # the same formulas as the methods, each sum and count computed once
        den = self.customer_hours_in_period
        hours = self.hours
        n = den / hours if hours else None
        t = self.total(cs)
        return ReliabilityIndices(
            rs1=_rs_of(den, self.total(RS1_CAUSES)),
            rs2=_rs_of(den, self.total(RS2_CAUSES)),
            rs3=_rs_of(den, self.total(RS3_CAUSES)),
            aihc=_per_customer_of(n, t.customer_hours, "h/customer"),
            aitc=_per_customer_of(n, Fraction(t.customer_interruptions), "times/customer"),
            saifi=_per_customer_of(n, Fraction(t.customer_interruptions), "interruptions/customer"),
            saidi=_per_customer_of(n, t.customer_hours * 60, "min/customer"),
            caidi=_caidi_of(n, t),
            asai=_rs_of(den, t),
            maifi=_per_customer_of(
                n, Fraction(t.short_customer_interruptions), "interruptions/customer"
            ),
            maifie=_maifie_of(self.convention, n, t),
        )


def _rs_of(den: Fraction, t: CauseTotals) -> Ratio:
    return Ratio(den - t.customer_hours, den)


def _per_customer_of(n: Fraction | None, amount: Fraction, unit: str) -> IndexValue:
    if not n:
        return IndexValue(None, unit, "no customers served in the period")
    return IndexValue(amount / n, unit)


def _caidi_of(n: Fraction | None, t: CauseTotals) -> IndexValue:
    unit = "min/interruption"
    if not n:
        return IndexValue(None, unit, "no customers served in the period")
    if not t.customer_interruptions:
        return IndexValue(None, unit, "no customer interruptions (SAIFI is 0)")
    return IndexValue(t.customer_hours * 60 / t.customer_interruptions, unit)


def _maifie_of(conv: CountingConvention | None, n: Fraction | None, t: CauseTotals) -> IndexValue:
    unit = "events/customer"
    if conv is not None and conv.momentary_event_window is None:
        return IndexValue(None, unit, f"{conv.name} defines no momentary interruption events")
    return _per_customer_of(n, Fraction(t.momentary_event_customers), unit)


@attrs.frozen(slots=True, kw_only=True)
class KindSummary:
    """One side of the planned/fault split: its sums and indices."""

    kind: str
    name: Text
    totals: CauseTotals
    average_duration: IndexValue
    aihc: IndexValue
    aitc: IndexValue
    caidi: IndexValue

    def __repr__(self) -> str:
        return _show.short_repr(self)


@attrs.frozen(slots=True, kw_only=True)
class PlannedFaultSplit:
    """Planned (预安排停电) and fault (故障停电) outages of a state."""

    planned: KindSummary
    fault: KindSummary

    def __repr__(self) -> str:
        return _show.short_repr(self)


def _totals(value: object, name: str) -> CauseTotals:
    if isinstance(value, CauseTotals):
        return value
    if not isinstance(value, Mapping):
        raise InputError(
            "must be CauseTotals or a table of its fields",
            name=name,
            value=value,
            allowed=", ".join(_TOTAL_FIELDS),
        )
    unknown = sorted(str(k) for k in value if k not in _TOTAL_FIELDS)
    if unknown:
        raise InputError(
            f"unknown fields {unknown}",
            name=name,
            value=dict(value),
            allowed=", ".join(_TOTAL_FIELDS),
        )
    try:
        return CauseTotals(**{str(k): v for k, v in value.items()})
    except InputError as exc:
        raise InputError(str(exc), name=name, value=dict(value)) from None
