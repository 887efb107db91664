"""Indices of the customers worst served: CEMIn, CELID and frequent outages (频繁停电).

These count customers, not customer-interruptions, so they need to know *which* customers
each interruption cut off. Outage records carry that at the granularity of a **unit**: the
``area`` (transformer area, 台区) or ``line`` label of each outage, with the customers served
per unit given by the caller. The rule, documented in ``docs/reliability.md``:

* every customer of a unit is taken to share the unit's interruptions. This is exact when
  each outage of a unit cuts off all its customers, or when a unit is one customer (give
  each customer its own ``area`` label and ``served`` of 1); otherwise it is an upper bound;
* only sustained interruptions count (the convention decides), each in the period where it
  starts; durations are whole (CELID-s) or clipped to the period (CELID-t).

>>> import pendulum
>>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
>>> june = pendulum.interval(t, t.add(days=30))
>>> o = [Outage(start=t.add(days=d), end=t.add(days=d, hours=1), customers_affected=40,
...             cause="fault", area="A") for d in (1, 5, 9)]
>>> cemi(o, period=june, served={"A": 40, "B": 60}, n=2).value    # 40 of 100 had 3 > 2
Fraction(2, 5)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Final, Literal

import attrs

from gdsmodel.errors import InputError
from gdsmodel.metrics.ratio import Ratio
from gdsmodel.metrics.reliability._common import _customers, _instant_us, _micros, _period_bounds
from gdsmodel.metrics.reliability.catalogue import FrequentOutageRule, frequent_outage_rule
from gdsmodel.metrics.reliability.conventions import CountingConvention
from gdsmodel.metrics.reliability.conventions import convention as get_convention
from gdsmodel.metrics.reliability.outages import Outage
from gdsmodel.periods import PeriodLike

__all__ = [
    "FrequentOutageUnit",
    "celid",
    "cemi",
    "frequent_outage_customers",
    "frequent_outages",
]

Unit = Literal["area", "line"]
_UNITS: Final = ("area", "line")


def _sustained_by_unit(
    outages: Iterable[Outage],
    *,
    lo: int,
    hi: int,
    by: str,
    served: Mapping[str, int] | None,
    convention: CountingConvention,
) -> dict[str, list[Outage]]:
    if by not in _UNITS:
        raise InputError("is not a unit", name="by", value=by, allowed=", ".join(_UNITS))
    if isinstance(outages, Outage):
        raise InputError(
            "must be a collection of outages", name="outages", value=outages, allowed="[Outage]"
        )
    threshold = convention.sustained_above_us
    out: dict[str, list[Outage]] = {}
    for i, o in enumerate(outages):
        if not isinstance(o, Outage):
            raise InputError(
                "is not an Outage", name=f"outages[{i}]", value=o, allowed="Outage instances"
            )
        unit = getattr(o, by)
        if unit is None or (served is not None and unit not in served):
            raise InputError(
                f"has no unit of the served customers (by {by})",
                name=f"outages[{i}].{by}",
                value=unit,
                allowed=", ".join(sorted(served)) if served else f"a {by} label",
            )
        if served is not None and o.customers_affected > served[unit]:
            raise InputError(
                f"affects more customers than {by} {unit} serves",
                name=f"outages[{i}].customers_affected",
                value=o.customers_affected,
                allowed=f"at most {served[unit]}",
            )
        if o.end_us - o.start_us > threshold and lo <= o.start_us < hi:
            out.setdefault(unit, []).append(o)
    return out


def _served(served: Mapping[str, int]) -> dict[str, int]:
    if not isinstance(served, Mapping):
        raise InputError(
            "must be a mapping of unit to customers served",
            name="served",
            value=served,
            allowed="{unit: int >= 0}",
        )
    return {str(k): _customers(v, f"served[{k}]") for k, v in served.items()}


def _bounds(period: PeriodLike) -> tuple[int, int]:
    start, end = _period_bounds(period)
    return _instant_us(start), _instant_us(end)


def cemi(
    outages: Iterable[Outage],
    *,
    period: PeriodLike,
    served: Mapping[str, int],
    n: int,
    by: Unit = "area",
    convention: CountingConvention | str | None = None,
) -> Ratio:
    """CEMIn (IEEE 1366): customers with *more than* ``n`` sustained interruptions in the
    period ÷ customers served, at the granularity of ``by`` (see the module's rule).

    >>> import pendulum
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> cemi([], period=pendulum.interval(t, t.add(days=1)), served={}, n=1).defined
    False
    """
    units = _served(served)
    k = _customers(n, "n")
    lo, hi = _bounds(period)
    by_unit = _sustained_by_unit(
        outages, lo=lo, hi=hi, by=by, served=units, convention=get_convention(convention)
    )
    hit = sum(units[u] for u, outs in by_unit.items() if len(outs) > k)
    return Ratio(hit, sum(units.values()))


def celid(
    outages: Iterable[Outage],
    *,
    period: PeriodLike,
    served: Mapping[str, int],
    single: timedelta | None = None,
    total: timedelta | None = None,
    by: Unit = "area",
    convention: CountingConvention | str | None = None,
) -> Ratio:
    """CELID (IEEE 1366): the share of customers with long interruption durations.

    Give exactly one of ``single`` (CELID-s: customers with one sustained interruption of
    this duration or longer, its whole duration) or ``total`` (CELID-t: customers whose
    sustained interruptions in the period add up to this or longer, clipped to the period).

    >>> import pendulum
    >>> from datetime import timedelta
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> o = [Outage(start=t.add(days=d), end=t.add(days=d, hours=3), customers_affected=1,
    ...             cause="fault", area=f"c{d % 2}") for d in (1, 2, 3)]
    >>> june = pendulum.interval(t, t.add(days=30))
    >>> served = {"c0": 1, "c1": 1, "c2": 1}
    >>> celid(o, period=june, served=served, single=timedelta(hours=4)).value
    Fraction(0, 1)
    >>> celid(o, period=june, served=served, total=timedelta(hours=6)).value  # c1: 2 x 3 h
    Fraction(1, 3)
    """
    if (single is None) == (total is None):
        raise InputError(
            "give exactly one of single= (CELID-s) and total= (CELID-t)",
            name="single/total",
            value=(single, total),
            allowed="one timedelta > 0",
        )
    limit = single if single is not None else total
    if not isinstance(limit, timedelta) or limit <= timedelta(0):
        raise InputError(
            "must be a positive duration", name="single/total", value=limit, allowed="timedelta > 0"
        )
    limit_us = _micros(limit)
    units = _served(served)
    lo, hi = _bounds(period)
    conv = get_convention(convention)
    if single is not None:
        by_unit = _sustained_by_unit(outages, lo=lo, hi=hi, by=by, served=units, convention=conv)
        hit = sum(
            units[u] for u, outs in by_unit.items()
            if any(o.end_us - o.start_us >= limit_us for o in outs)
        )  # fmt: skip
        return Ratio(hit, sum(units.values()))
    # CELID-t: clipped durations of the sustained interruptions touching the period
    touching = _sustained_by_unit(outages, lo=-(2**62), hi=hi, by=by, served=units, convention=conv)
    hit = 0
    for u, outs in touching.items():
        spent = sum(max(0, min(o.end_us, hi) - max(o.start_us, lo)) for o in outs)
        if spent >= limit_us:
            hit += units[u]
    return Ratio(hit, sum(units.values()))


@attrs.frozen(slots=True, kw_only=True)
class FrequentOutageUnit:
    """A unit with frequent outages: the most interruptions in one window and when it began."""

    unit: str
    interruptions: int
    window_start: datetime


def frequent_outages(
    outages: Iterable[Outage],
    *,
    period: PeriodLike,
    by: Unit = "area",
    rule: FrequentOutageRule | None = None,
    convention: CountingConvention | str | None = None,
) -> tuple[FrequentOutageUnit, ...]:
    """The units with frequent outages (频繁停电) in a period, sorted by unit.

    A unit has frequent outages when *more than* ``rule.more_than`` sustained interruptions
    start within one ``rule.window`` (rolling) that ends in the period; the default rule is
    data of confidence L (``data/indices.toml``: more than 2 within 60 days).

    >>> import pendulum
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> o = [Outage(start=t.add(days=d), end=t.add(days=d, hours=1), customers_affected=5,
    ...             cause="fault", area="A") for d in (1, 20, 50, 200)]
    >>> [(u.unit, u.interruptions) for u in frequent_outages(o,
    ...     period=pendulum.interval(t, t.add(years=1)))]
    [('A', 3)]
    """
    r = frequent_outage_rule() if rule is None else rule
    if not isinstance(r, FrequentOutageRule):
        raise InputError(
            "must be a FrequentOutageRule", name="rule", value=r, allowed="FrequentOutageRule"
        )
    lo, hi = _bounds(period)
    window = _micros(r.window)
    by_unit = _sustained_by_unit(
        outages, lo=lo - window, hi=hi, by=by, served=None, convention=get_convention(convention)
    )
    found: list[FrequentOutageUnit] = []
    for unit in sorted(by_unit):
        outs = sorted(by_unit[unit], key=lambda o: o.start_us)
        best, best_start = 0, None
        j = 0
        for i, o in enumerate(outs):  # o: the last interruption of a window ending at it
            while outs[j].start_us <= o.start_us - window:
                j += 1
            if o.start_us >= lo and i - j + 1 > best:
                best, best_start = i - j + 1, outs[j].start
        if best > r.more_than and best_start is not None:
            found.append(FrequentOutageUnit(unit=unit, interruptions=best, window_start=best_start))
    return tuple(found)


def frequent_outage_customers(
    outages: Iterable[Outage],
    *,
    period: PeriodLike,
    served: Mapping[str, int],
    by: Unit = "area",
    rule: FrequentOutageRule | None = None,
    convention: CountingConvention | str | None = None,
) -> Ratio:
    """The share of customers in units with frequent outages (频繁停电用户占比), by the same
    rule as :func:`frequent_outages`; outages must name a unit of ``served``.

    >>> import pendulum
    >>> t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    >>> o = [Outage(start=t.add(days=d), end=t.add(days=d, hours=1), customers_affected=5,
    ...             cause="fault", area="A") for d in (1, 20, 50)]
    >>> frequent_outage_customers(o, period=pendulum.interval(t, t.add(years=1)),
    ...                           served={"A": 30, "B": 70}).value
    Fraction(3, 10)
    """
    units = _served(served)
    outages = list(outages) if not isinstance(outages, Outage) else outages
    lo, hi = _bounds(period)
    _sustained_by_unit(
        outages, lo=lo, hi=hi, by=by, served=units, convention=get_convention(convention)
    )  # checks every outage against the served units
    found = frequent_outages(outages, period=period, by=by, rule=rule, convention=convention)
    return Ratio(sum(units[f.unit] for f in found), sum(units.values()))
