"""Additive partial states of KPIs: sums per partition, merged in any order, divided once.

Every ratio KPI of the registry is a ratio of *sums* (see
:class:`~gdsmodel.metrics.definitions.MetricDefinition`): its **state** is the sums of its
inputs. A state is computed per partition (a line, an area, a day, a file, a worker), states
merge by adding (associative and commutative, the empty state is the identity), and the value
is divided only once, at the end. Merging never averages rates.

>>> from gdsmodel.metrics.registry import metric
>>> loss = metric("line_loss_rate")
>>> east = PartialState.of(loss, supplied_kwh=1000, sold_kwh=950)
>>> west = PartialState.of(loss, supplied_kwh=200, sold_kwh=150)
>>> (east + west).ratio().format()       # (50 + 50) / 1200, not the mean of 5% and 25%
'8.33%'
>>> sum([east, west]) == west + east
True

**Stocks.** A few inputs are not flows over a period but counts at a time: the number of
customers served (:data:`STOCK_INPUTS`). They add up across feeders of the same period, but
not across periods: two months with 1000 customers each still serve 1000 customers, not 2000.
A state therefore keeps the stock inputs per *period* (a label given with ``period=``): within
a period they add, across periods the value used is their mean, weighted by the hours of each
period when ``hours=`` is given (the time-weighted mean of
:class:`~gdsmodel.metrics.reliability.ReliabilityState`), else unweighted (exact for periods
of equal length).

>>> saifi = metric("saifi")
>>> june = PartialState.of(saifi, period="2024-06", hours=720,
...                        customer_interruptions=300, customers=1000)
>>> july = PartialState.of(saifi, period="2024-07", hours=744,
...                        customer_interruptions=100, customers=1000)
>>> (june + july).ratio().value          # 400 interruptions / 1000 customers
Fraction(2, 5)

**Reliability.** :class:`~gdsmodel.metrics.reliability.ReliabilityState` is the partial state
of the reliability indices: its cause totals (customer-hours interrupted, customers
interrupted, events) and its customer-hours in the period are additive; the customer count is
a stock, kept as customers over time (its ``exposure``).
:func:`gdsmodel.metrics.reliability_inputs.reliability_inputs` gives the registry inputs of a
reliability metric from such a state. The major event day method is not
additive as a whole: daily SAIDI is (customer-minutes of a day and customers of that day add
across feeders), but the threshold T_MED comes from logarithms of five years of daily values,
so it is computed once, from the merged daily series (see ``docs/dataframes.md``).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Final

import attrs

from gdsmodel.errors import InputError
from gdsmodel.metrics.additive import AdditiveMetric, field_getter, require_additive
from gdsmodel.metrics.ratio import NumberLike, Ratio, Target, Verdict, exact

__all__ = [
    "STOCK_INPUTS",
    "PartialState",
    "PeriodStock",
    "stock_inputs",
]

STOCK_INPUTS: Final = frozenset({"customers"})
"""Inputs that are counts at a time (stocks), not flows over a period: they add across
feeders of one period but not across periods."""


def stock_inputs(definition: AdditiveMetric) -> tuple[str, ...]:
    """The inputs of ``definition`` that are stocks (see :data:`STOCK_INPUTS`).

    >>> from gdsmodel.metrics.registry import metric
    >>> stock_inputs(metric("saidi")), stock_inputs(metric("line_loss_rate"))
    (('customers',), ())
    """
    return tuple(n for n in definition.inputs if n in STOCK_INPUTS)


def _frozen_sums(value: Mapping[str, Any]) -> Mapping[str, Fraction]:
    return MappingProxyType({k: exact(v, name=k) for k, v in value.items()})


def _optional_hours(value: Any) -> Fraction | None:
    if value is None:
        return None
    h = exact(value, name="hours")
    if h <= 0:
        raise InputError("must be > 0", name="hours", value=value, allowed="a number of hours > 0")
    return h


@attrs.frozen(slots=True)
class PeriodStock:
    """The stock inputs of one period: their sums (over feeders) and the period's hours.

    >>> PeriodStock({"customers": 10}, 24) + PeriodStock({"customers": 5}, 24)
    PeriodStock(sums=mappingproxy({'customers': Fraction(15, 1)}), hours=Fraction(24, 1))
    """

    sums: Mapping[str, Fraction] = attrs.field(converter=_frozen_sums, hash=False)
    hours: Fraction | None = attrs.field(default=None, converter=_optional_hours)

    def __add__(self, other: object) -> PeriodStock:
        if not isinstance(other, PeriodStock):
            return NotImplemented
        if self.hours is not None and other.hours is not None and self.hours != other.hours:
            raise InputError(
                "one period was given two different lengths",
                name="hours",
                value=(self.hours, other.hours),
                allowed="the same hours for every record of a period",
            )
        names = dict.fromkeys([*self.sums, *other.sums])
        sums = {n: self.sums.get(n, Fraction(0)) + other.sums.get(n, Fraction(0)) for n in names}
        return PeriodStock(sums, self.hours if self.hours is not None else other.hours)


def _same_form(a: AdditiveMetric, b: AdditiveMetric) -> bool:
    return (
        a.id == b.id
        and a.inputs == b.inputs
        and dict(a.numerator) == dict(b.numerator)
        and dict(a.denominator) == dict(b.denominator)
    )


def _frozen_periods(value: Mapping[Hashable, PeriodStock]) -> Mapping[Hashable, PeriodStock]:
    return MappingProxyType(dict(value))


@attrs.frozen(slots=True)
class PartialState:
    """The additive state of one KPI over some records: the sums of its inputs.

    ``sums`` holds the flow inputs (every input of a metric without stocks); ``periods`` maps a
    period label to the :class:`PeriodStock` of the stock inputs. States of the same metric
    merge with ``+`` (or :meth:`merge`, or ``sum()``); :meth:`ratio` divides once.

    >>> from gdsmodel.metrics.registry import metric
    >>> s = PartialState.empty(metric("meter_reading_rate"))
    >>> s.ratio().defined
    False
    >>> s + PartialState.of(metric("collection_rate"), collected=1, billed=1)
    Traceback (most recent call last):
    gdsmodel.errors.InputError: other='collection_rate': states of different metrics cannot \
merge (allowed: a state of meter_reading_rate)
    """

    definition: AdditiveMetric = attrs.field(repr=lambda d: repr(d.id))
    sums: Mapping[str, Fraction] = attrs.field(converter=_frozen_sums, hash=False)
    periods: Mapping[Hashable, PeriodStock] = attrs.field(
        factory=dict, converter=_frozen_periods, hash=False
    )

    def __attrs_post_init__(self) -> None:
        require_additive(self.definition)
        stocks = set(stock_inputs(self.definition))
        for name in self.sums:
            if name not in self.definition.inputs or name in stocks:
                raise InputError(
                    f"is not a flow input of {self.definition.id}",
                    name=name,
                    value=self.sums[name],
                    allowed=", ".join(n for n in self.definition.inputs if n not in stocks),
                )
        for label, stock in self.periods.items():
            if not isinstance(stock, PeriodStock) or set(stock.sums) - stocks:
                raise InputError(
                    f"must hold the stock inputs of {self.definition.id}",
                    name=f"periods[{label!r}]",
                    value=stock,
                    allowed=f"PeriodStock of {', '.join(sorted(stocks)) or '(no stocks)'}",
                )

    # ---- building

    @classmethod
    def empty(cls, definition: AdditiveMetric) -> PartialState:
        """The empty state (the identity of merging): every sum is 0, no period."""
        require_additive(definition)
        stocks = stock_inputs(definition)
        return cls(definition, {n: 0 for n in definition.inputs if n not in stocks})

    @classmethod
    def of(
        cls,
        definition: AdditiveMetric,
        *,
        period: Hashable = None,
        hours: NumberLike | None = None,
        **inputs: NumberLike,
    ) -> PartialState:
        """The state of one record: every input as a keyword (finite numbers >= 0).

        A metric with stock inputs (:func:`stock_inputs`) needs ``period=`` (a label such as
        ``"2024-06"``) and may take ``hours=`` (the period's length, for time weighting).

        >>> from gdsmodel.metrics.registry import metric
        >>> PartialState.of(metric("collection_rate"), collected=-1, billed=5)
        Traceback (most recent call last):
        gdsmodel.errors.InputError: collected=-1: must not be negative (allowed: ...)
        >>> PartialState.of(metric("aitc"), customer_interruptions=3, customers=10)
        Traceback (most recent call last):
        gdsmodel.errors.InputError: period=None: customers is a count at a time, not additive \
across periods: give the record's period (allowed: a period label, e.g. period='2024-06')
        """
        require_additive(definition)
        unknown = [n for n in inputs if n not in definition.inputs]
        missing = [n for n in definition.inputs if n not in inputs]
        if unknown or missing:
            bad = (unknown or missing)[0]
            raise InputError(
                f"{'unknown' if unknown else 'missing'} input of {definition.id}",
                name=bad,
                value=inputs.get(bad),
                allowed=", ".join(definition.inputs),
            )
        values = {n: exact(inputs[n], name=n) for n in definition.inputs}
        stocks = stock_inputs(definition)
        if stocks and period is None:
            raise InputError(
                f"{', '.join(stocks)} is a count at a time, not additive across periods: "
                "give the record's period",
                name="period",
                value=None,
                allowed="a period label, e.g. period='2024-06'",
            )
        flows = {n: v for n, v in values.items() if n not in stocks}
        periods = {period: PeriodStock({n: values[n] for n in stocks}, hours)} if stocks else {}
        return cls(definition, flows, periods)

    @classmethod
    def from_records(
        cls,
        definition: AdditiveMetric,
        records: Iterable[object],
        *,
        columns: Mapping[str, str] | None = None,
        period: str | None = None,
        hours: str | None = None,
    ) -> PartialState:
        """The merged state of records (mappings or objects holding the inputs).

        ``columns`` maps input names to field names where they differ; ``period`` and
        ``hours`` name the fields holding a record's period and its length.

        >>> from gdsmodel.metrics.registry import metric
        >>> rows = [{"read": 98, "due": 100}, {"read": 50, "due": 50}]
        >>> PartialState.from_records(metric("meter_reading_rate"), rows).ratio().format()
        '98.67%'
        """
        names = dict(columns or {})
        total = cls.empty(definition)
        for record in records:
            get = field_getter(record)
            inputs = {n: get(names.get(n, n)) for n in definition.inputs}
            label = get(period) if period is not None else None
            length = get(hours) if hours is not None else None
            total = total + cls.of(definition, period=label, hours=length, **inputs)
        return total

    # ---- merging

    def __add__(self, other: object) -> PartialState:
        if isinstance(other, PartialState):
            if not _same_form(self.definition, other.definition):
                raise InputError(
                    "states of different metrics cannot merge",
                    name="other",
                    value=other.definition.id,
                    allowed=f"a state of {self.definition.id}",
                )
            names = dict.fromkeys([*self.sums, *other.sums])
            sums = {
                n: self.sums.get(n, Fraction(0)) + other.sums.get(n, Fraction(0)) for n in names
            }
            periods = dict(self.periods)
            for label, stock in other.periods.items():
                periods[label] = periods[label] + stock if label in periods else stock
            return PartialState(self.definition, sums, periods)
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self  # lets sum() start from 0
        return NotImplemented

    __radd__ = __add__

    @classmethod
    def merge(cls, definition: AdditiveMetric, states: Iterable[PartialState]) -> PartialState:
        """Merge states in order; no states give :meth:`empty`.

        >>> from gdsmodel.metrics.registry import metric
        >>> d = metric("collection_rate")
        >>> PartialState.merge(d, []) == PartialState.empty(d)
        True
        """
        total = cls.empty(definition)
        for state in states:
            total = total + state
        return total

    # ---- the value, once

    def stock(self, name: str) -> Fraction:
        """The value of a stock input over the state's periods: summed within a period, then
        the mean across periods (weighted by hours when every period has them).

        >>> from gdsmodel.metrics.registry import metric
        >>> d = metric("saidi")
        >>> a = PartialState.of(d, period="d1", customer_minutes=60, customers=10)
        >>> b = PartialState.of(d, period="d2", customer_minutes=0, customers=30)
        >>> (a + b).stock("customers")
        Fraction(20, 1)
        """
        if name not in stock_inputs(self.definition):
            raise InputError(
                f"is not a stock input of {self.definition.id}",
                name="name",
                value=name,
                allowed=", ".join(stock_inputs(self.definition)) or "(none)",
            )
        stocks = list(self.periods.values())
        if not stocks:
            return Fraction(0)
        hours = [s.hours for s in stocks]
        if all(h is None for h in hours):
            return sum((s.sums.get(name, Fraction(0)) for s in stocks), Fraction(0)) / len(stocks)
        if any(h is None for h in hours):
            raise InputError(
                "some periods have hours and some do not",
                name="hours",
                value=[str(p) for p, s in self.periods.items() if s.hours is None],
                allowed="hours for every period, or for none",
            )
        weighted = sum(
            (s.sums.get(name, Fraction(0)) * (s.hours or 0) for s in stocks), Fraction(0)
        )
        return weighted / sum((s.hours or Fraction(0) for s in stocks), Fraction(0))

    def inputs(self) -> dict[str, Fraction]:
        """Every input of the metric as merged: flows summed, stocks as :meth:`stock`.

        >>> from gdsmodel.metrics.registry import metric
        >>> PartialState.of(metric("collection_rate"), collected=3, billed=4).inputs()
        {'collected': Fraction(3, 1), 'billed': Fraction(4, 1)}
        """
        out = {n: self.sums.get(n, Fraction(0)) for n in self.definition.inputs}
        for name in stock_inputs(self.definition):
            out[name] = self.stock(name)
        return out

    def ratio(self) -> Ratio:
        """The exact value, validated by the definition (bounded, sign) once at the end.

        >>> from gdsmodel.metrics.registry import metric
        >>> d = metric("meter_reading_rate")
        >>> (PartialState.of(d, read=9, due=10) + PartialState.of(d, read=10, due=10)).ratio()
        Ratio(numerator=Fraction(19, 1), denominator=Fraction(20, 1))
        """
        return self.definition.ratio(**self.inputs())

    def verdict(self, target: str | Target | None = None) -> Verdict:
        """The value judged against the default target, a target ID or a :class:`Target`.

        >>> from gdsmodel.metrics.registry import metric
        >>> str(PartialState.of(metric("meter_reading_rate"), read=99, due=100).verdict())
        'missed by 1.00 pp'
        """
        if isinstance(target, Target):
            return target.verdict(self.ratio())
        return self.definition.verdict(self.ratio(), target)
