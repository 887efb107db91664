"""Load curves of transformer areas: load rate, heavy-load and overload events, low voltage
and three-phase unbalance from 96-point (15-minute) curves.

The load rate of a point is the apparent power over the rated kVA: ``sqrt(P² + Q²) / S_n``
where the reactive power is given, ``P / S_n`` otherwise; an area with several transformers
sums P, Q and the rated kVA of the transformers read at that point. Comparisons with a
threshold are exact (squares of Fractions); the displayed rate is rounded half-up.

An *event* is a run of consecutive points strictly above a threshold lasting at least the
rule's minutes (a missing point breaks a run; runs cross midnight). Each unit gets an
:class:`EventSummary`: its events, the longest, the days touched by an event and the most
consecutive such days.

>>> import datetime as dt
>>> d = dt.date(2025, 7, 20)
>>> t = Transformer("TR1", "T01", 100)
>>> pts = [CurvePoint("TR1", d, i, 110 if 40 <= i < 48 else 50) for i in range(96)]
>>> rates = area_load_rates(pts, [t])
>>> s = load_events(rates, area_rules().load_event("overload"))["T01"]
>>> len(s.events), s.longest_minutes, s.event_days  # 8 points = exactly 2 h
(1, 120, (datetime.date(2025, 7, 20),))
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Iterable, Mapping
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any

import attrs

from gdsmodel.errors import InputError
from gdsmodel.metrics.areas.rules import (
    AreaRules,
    LoadEventRule,
    LowVoltageRule,
    UnbalanceFormula,
    UnbalanceRule,
    area_rules,
)
from gdsmodel.metrics.areas.runs import Run, runs
from gdsmodel.metrics.ratio import Ratio, exact, round_half_up

__all__ = [
    "POINTS_PER_DAY",
    "CurvePoint",
    "EventSummary",
    "LoadRate",
    "LowVoltageCounts",
    "Transformer",
    "VoltagePoint",
    "area_load_rates",
    "events_of",
    "load_events",
    "load_rate",
    "low_voltage",
    "unbalance",
    "unbalance_events",
]

POINTS_PER_DAY = 96
"""Points of a daily curve (every 15 minutes)."""
INTERVAL_MINUTES = 15


def _point(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < POINTS_PER_DAY:
        raise InputError("must be a point number", name="point", value=value, allowed="0 to 95")
    return value


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise InputError("must be a date", name="day", value=value, allowed="datetime.date")
    return value


def _p(value: Any) -> Fraction:
    return exact(value, name="p_kw", nonnegative=False)


def _q(value: Any) -> Fraction | None:
    return None if value is None else exact(value, name="q_kvar", nonnegative=False)


def _current(value: Any) -> Fraction | None:
    return None if value is None else exact(value, name="current")


def _voltage(value: Any) -> Fraction:
    return exact(value, name="voltage")


def _rated(value: Any) -> Fraction:
    v = exact(value, name="rated_kva")
    if v == 0:
        raise InputError("must be positive", name="rated_kva", value=value, allowed="> 0 kVA")
    return v


@attrs.frozen(slots=True)
class Transformer:
    """A distribution transformer: its ID, its area and its rated capacity in kVA."""

    id: str
    area: str
    rated_kva: Fraction = attrs.field(converter=_rated)


@attrs.frozen(slots=True)
class CurvePoint:
    """One 15-minute point of a transformer's curve (``point`` 0..95 from midnight).

    ``p_kw`` active power (negative with reverse flow from generation), ``q_kvar`` reactive
    power or None, ``ia``/``ib``/``ic`` the phase currents in A or None.
    """

    transformer: str
    day: dt.date = attrs.field(converter=_day)
    point: int = attrs.field(converter=_point)
    p_kw: Fraction = attrs.field(converter=_p)
    q_kvar: Fraction | None = attrs.field(default=None, converter=_q)
    ia: Fraction | None = attrs.field(default=None, converter=_current)
    ib: Fraction | None = attrs.field(default=None, converter=_current)
    ic: Fraction | None = attrs.field(default=None, converter=_current)

    @property
    def ordinal(self) -> int:
        """The point's number on a continuous time line (day ordinal × 96 + point)."""
        return self.day.toordinal() * POINTS_PER_DAY + self.point


@attrs.frozen(slots=True)
class VoltagePoint:
    """One 15-minute voltage reading of a customer (or monitoring point) of an area."""

    customer: str
    area: str
    day: dt.date = attrs.field(converter=_day)
    point: int = attrs.field(converter=_point)
    voltage: Fraction = attrs.field(converter=_voltage)

    @property
    def ordinal(self) -> int:
        """The point's number on a continuous time line."""
        return self.day.toordinal() * POINTS_PER_DAY + self.point


@attrs.frozen(slots=True)
class LoadRate:
    """A load rate: apparent power over rated kVA, kept as its exact square.

    >>> r = load_rate(p_kw=60, q_kvar=80, rated_kva=100)
    >>> r.value, r.above(Fraction(1)), r.above(Fraction(99, 100))
    (Decimal('1.000000'), False, True)
    """

    squared: Fraction

    @property
    def value(self) -> Decimal:
        """The rate as a fraction of one, rounded half-up to 6 places."""
        with localcontext() as ctx:
            ctx.prec = 40
            root = (Decimal(self.squared.numerator) / Decimal(self.squared.denominator)).sqrt()
        return round_half_up(root, 6)

    def above(self, threshold: Fraction) -> bool:
        """True when the rate is strictly above ``threshold`` (a fraction of one, >= 0)."""
        return self.squared > threshold * threshold


def load_rate(*, p_kw: Any, q_kvar: Any = None, rated_kva: Any) -> LoadRate:
    """The load rate ``sqrt(P² + Q²) / S_n`` (``|P| / S_n`` without Q), exactly squared.

    >>> load_rate(p_kw=80, rated_kva=100).value
    Decimal('0.800000')
    >>> load_rate(p_kw=80, rated_kva=0)
    Traceback (most recent call last):
    gdsmodel.errors.InputError: rated_kva=0: must be positive (allowed: > 0 kVA)
    """
    p = exact(p_kw, name="p_kw", nonnegative=False)
    q = Fraction(0) if q_kvar is None else exact(q_kvar, name="q_kvar", nonnegative=False)
    s = _rated(rated_kva)
    return LoadRate((p * p + q * q) / (s * s))


def area_load_rates(
    points: Iterable[CurvePoint], transformers: Iterable[Transformer]
) -> dict[tuple[str, dt.date, int], LoadRate]:
    """The load rate of each area at each point: P, Q and rated kVA summed over the area's
    transformers. A point where one of the area's transformers is missing is left out (it
    breaks runs); a point of an unknown transformer raises :class:`InputError`.

    >>> d = dt.date(2025, 7, 1)
    >>> ts = [Transformer("A", "T01", 100), Transformer("B", "T01", 200)]
    >>> rates = area_load_rates([CurvePoint("A", d, 0, 90), CurvePoint("B", d, 0, 60)], ts)
    >>> rates[("T01", d, 0)].value
    Decimal('0.500000')
    """
    by_id = {t.id: t for t in transformers}
    members: dict[str, set[str]] = {}
    for t in by_id.values():
        members.setdefault(t.area, set()).add(t.id)
    sums: dict[tuple[str, dt.date, int], list[Any]] = {}
    for i, pt in enumerate(points):
        found = by_id.get(pt.transformer)
        if found is None:
            raise InputError(
                f"point {i} is of an unknown transformer",
                name="transformer",
                value=pt.transformer,
                allowed=", ".join(sorted(by_id)) or "(no transformers given)",
            )
        t = found
        k = (t.area, pt.day, pt.point)
        acc = sums.setdefault(k, [Fraction(0), Fraction(0), Fraction(0), set()])
        if pt.transformer in acc[3]:
            raise InputError(
                f"point {i} repeats a point of the curve",
                name="point",
                value=(pt.transformer, str(pt.day), pt.point),
                allowed="one point per transformer, day and point number",
            )
        acc[0] += pt.p_kw
        acc[1] += pt.q_kvar or 0
        acc[2] += t.rated_kva
        acc[3].add(pt.transformer)
    out: dict[tuple[str, dt.date, int], LoadRate] = {}
    for k, (p, q, s, seen) in sums.items():
        if seen == members[k[0]]:
            out[k] = LoadRate((p * p + q * q) / (s * s))
    return out


@attrs.frozen(slots=True, kw_only=True)
class EventSummary:
    """The events of one unit (area, transformer or customer) under one rule."""

    unit: Hashable
    rule: str
    events: tuple[Run, ...]
    consecutive_days: int

    @property
    def longest_minutes(self) -> int:
        """The longest event, in minutes (0 without events)."""
        return max((e.length for e in self.events), default=0) * INTERVAL_MINUTES

    @property
    def event_days(self) -> tuple[dt.date, ...]:
        """The days touched by an event, in order."""
        days: set[int] = set()
        for e in self.events:
            days.update(range(e.start // POINTS_PER_DAY, (e.end - 1) // POINTS_PER_DAY + 1))
        return tuple(dt.date.fromordinal(d) for d in sorted(days))

    @property
    def most_consecutive_days(self) -> int:
        """The most consecutive days touched by an event."""
        found = runs(d.toordinal() for d in self.event_days)
        return max((r.length for r in found), default=0)

    @property
    def flagged(self) -> bool:
        """True with events on at least the rules' number of consecutive days."""
        return self.most_consecutive_days >= self.consecutive_days


def _min_points(minutes: int) -> int:
    return max(1, math.ceil(minutes / INTERVAL_MINUTES))


def events_of(
    marked: Mapping[Hashable, Iterable[int]],
    *,
    rule: str,
    min_minutes: int,
    rules: AreaRules | None = None,
) -> dict[Hashable, EventSummary]:
    """Event summaries from the marked point ordinals of each unit."""
    r = rules or area_rules()
    need = _min_points(min_minutes)
    return {
        unit: EventSummary(
            unit=unit,
            rule=rule,
            events=tuple(runs(ords, min_length=need)),
            consecutive_days=r.runs.consecutive_days,
        )
        for unit, ords in marked.items()
    }


def load_events(
    rates: Mapping[tuple[str, dt.date, int], LoadRate],
    rule: LoadEventRule,
    *,
    rules: AreaRules | None = None,
) -> dict[Hashable, EventSummary]:
    """Heavy-load or overload events per unit from load rates keyed ``(unit, day, point)``;
    every unit seen gets a summary (possibly without events)."""
    marked: dict[Hashable, list[int]] = {}
    for (unit, day, point), rate in rates.items():
        ords = marked.setdefault(unit, [])
        if rate.above(rule.rate):
            ords.append(day.toordinal() * POINTS_PER_DAY + point)
    return events_of(marked, rule=rule.id, min_minutes=rule.min_minutes, rules=rules)


def unbalance(ia: Any, ib: Any, ic: Any, formula: UnbalanceFormula | str | None = None) -> Ratio:
    """Three-phase current unbalance, exactly; undefined when every current is 0.

    >>> unbalance(100, 80, 60).format()
    '40.00%'
    >>> unbalance(100, 80, 60, "max_deviation_over_mean").format()
    '25.00%'
    """
    f = UnbalanceFormula(formula) if formula is not None else area_rules().unbalance.formula
    i = [exact(ia, name="ia"), exact(ib, name="ib"), exact(ic, name="ic")]
    if f is UnbalanceFormula.MAX_MINUS_MIN_OVER_MAX:
        return Ratio(max(i) - min(i), max(i))
    mean = sum(i, Fraction(0)) / 3
    return Ratio(max(abs(x - mean) for x in i), mean)


def unbalance_events(
    points: Iterable[CurvePoint],
    transformers: Iterable[Transformer],
    *,
    rule: UnbalanceRule | None = None,
    rules: AreaRules | None = None,
) -> dict[Hashable, EventSummary]:
    """Unbalance events per area: a transformer's unbalance strictly above the threshold for
    at least the rule's minutes (points without phase currents are skipped)."""
    r = rules or area_rules()
    u = rule or r.unbalance
    area_of = {t.id: t.area for t in transformers}
    marked: dict[Hashable, list[int]] = {}
    for pt in points:
        if pt.transformer not in area_of:
            raise InputError(
                "a point of an unknown transformer",
                name="transformer",
                value=pt.transformer,
                allowed=", ".join(sorted(area_of)),
            )
        unit = (area_of[pt.transformer], pt.transformer)
        ords = marked.setdefault(unit, [])
        if pt.ia is None or pt.ib is None or pt.ic is None:
            continue
        v = unbalance(pt.ia, pt.ib, pt.ic, u.formula).value
        if v is not None and v > u.rate:
            ords.append(pt.ordinal)
    return events_of(marked, rule="unbalance", min_minutes=u.min_minutes, rules=r)


@attrs.frozen(slots=True, kw_only=True)
class LowVoltageCounts:
    """Low-voltage customers and areas (a customer with at least one low-voltage event)."""

    customers: tuple[str, ...]
    areas: tuple[str, ...]
    monitored_customers: int
    monitored_areas: int
    summaries: Mapping[Hashable, EventSummary] = attrs.field(hash=False)

    @property
    def customer_share(self) -> Ratio:
        """Low-voltage customers over customers monitored."""
        return Ratio(len(self.customers), self.monitored_customers)

    @property
    def area_share(self) -> Ratio:
        """Low-voltage areas over areas monitored."""
        return Ratio(len(self.areas), self.monitored_areas)


def low_voltage(
    points: Iterable[VoltagePoint],
    *,
    rule: LowVoltageRule | None = None,
    rules: AreaRules | None = None,
) -> LowVoltageCounts:
    """Low voltage per customer: below the lower limit of the voltage data (strictly) for at
    least the rule's minutes.

    >>> d = dt.date(2025, 7, 20)
    >>> pts = [VoltagePoint("C1", "T01", d, i, 190 if i < 4 else 220) for i in range(8)]
    >>> pts += [VoltagePoint("C2", "T01", d, i, 198) for i in range(8)]  # on the limit
    >>> lv = low_voltage(pts)
    >>> lv.customers, lv.areas, lv.customer_share.format()
    (('C1',), ('T01',), '50.00%')
    """
    r = rules or area_rules()
    lv = rule or r.low_voltage
    lower = lv.lower_v
    marked: dict[Hashable, list[int]] = {}
    area_of: dict[str, str] = {}
    for pt in points:
        if area_of.setdefault(pt.customer, pt.area) != pt.area:
            raise InputError(
                "a customer is in two areas",
                name="area",
                value=(pt.customer, area_of[pt.customer], pt.area),
                allowed="one area per customer",
            )
        ords = marked.setdefault(pt.customer, [])
        if pt.voltage < lower:
            ords.append(pt.ordinal)
    summaries = events_of(marked, rule="low_voltage", min_minutes=lv.min_minutes, rules=r)
    low = sorted(str(c) for c, s in summaries.items() if s.events)
    return LowVoltageCounts(
        customers=tuple(low),
        areas=tuple(sorted({area_of[c] for c in low})),
        monitored_customers=len(area_of),
        monitored_areas=len(set(area_of.values())),
        summaries=summaries,
    )
