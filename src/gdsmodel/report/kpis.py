"""The report's KPI engine: every KPI row comes from a registry entry's ``[metrics.report]``
table (:class:`~gdsmodel.metrics.registry.ReportSpec`), and one code path computes them all.

A month's *part* of a KPI is an additive value of the metrics' own types: :class:`Sums` of
the metric's inputs (columns summed over the month's rows), a
:class:`~gdsmodel.metrics.reliability.ReliabilityState`, or the monitoring minutes per
voltage class (:class:`~gdsmodel.metrics.voltage.VoltageMinutes`). Parts of several months
add up (the year to date); the KPI's value is then the metric's own formula over the sum:
its ratio of sums, or its ``computed_by`` function for a metric that is not a ratio (the
power factor). A part that cannot be built is the reason, as text.

>>> from gdsmodel.metrics.registry import default_registry
>>> [str(r.key) for r in kpi_rows(default_registry(), {})][:3]
['line_loss_rate', 'line_loss_rate_10kv', 'line_loss_rate_lv']
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any, TypeVar

import attrs

from gdsmodel import _show
from gdsmodel.errors import GdsmodelError, NotFoundError
from gdsmodel.metrics.definitions import MetricDefinition
from gdsmodel.metrics.ratio import Ratio
from gdsmodel.metrics.registry import KpiKind, MissingValues, Registry, ReportSpec
from gdsmodel.metrics.reliability import CountingConvention, ReliabilityState
from gdsmodel.metrics.reliability import convention as get_convention
from gdsmodel.metrics.voltage import MonitoringClass, VoltageMinutes, comprehensive_voltage_rate
from gdsmodel.periods import Month
from gdsmodel.report.columnar import Selection, exact_sum
from gdsmodel.report.inputs import StationData, Table
from gdsmodel.text import Text

__all__ = [
    "ClassMinutes",
    "Context",
    "KpiKey",
    "KpiKind",
    "KpiSpec",
    "KpiValue",
    "Part",
    "Sums",
    "exact_sum",
    "kpi_rows",
    "value_over",
]

R = TypeVar("R")
_EMPTY = Text("")


@attrs.frozen(slots=True)
class KpiKey:
    """A KPI row of the report: a metric, and the value of its breakdown column if any.

    >>> str(KpiKey("two_ticket_pass_rate", "work")), str(KpiKey("rs3"))
    ('two_ticket_pass_rate:work', 'rs3')
    """

    metric: str
    scope: str = ""

    def __str__(self) -> str:
        return f"{self.metric}:{self.scope}" if self.scope else self.metric


@attrs.frozen(slots=True, kw_only=True)
class KpiValue:
    """A KPI's exact value, or the reason there is none.

    ``ratio`` is the additive form when the KPI is a ratio of sums; ``anomaly`` flags a
    value that real data can show but that needs a look (a negative line loss).

    >>> KpiValue(value=None, reason="no rows for 2026-03 in lines.csv").defined
    False
    """

    value: Fraction | None = None
    ratio: Ratio | None = None
    reason: str = ""
    anomaly: str = ""

    @property
    def defined(self) -> bool:
        """True when there is a value.

        >>> KpiValue(value=Fraction(1, 2)).defined
        True
        """
        return self.value is not None


def of_ratio(ratio: Ratio, anomaly: str = "") -> KpiValue:
    """A ratio as a KPI value (its reason when undefined).

    >>> of_ratio(Ratio(0, 0)).reason
    'undefined: undefined (0/0)'
    """
    if not ratio.defined:
        return KpiValue(ratio=ratio, reason=f"undefined: {ratio}")
    return KpiValue(value=ratio.value, ratio=ratio, anomaly=anomaly)


@attrs.frozen(slots=True)
class Sums:
    """The month's sums of a metric's inputs (exact), added over months for the year to date.

    >>> (Sums({"read": Fraction(9), "due": Fraction(10)}) + Sums({"read": Fraction(5),
    ...  "due": Fraction(5)})).values
    {'read': Fraction(14, 1), 'due': Fraction(15, 1)}
    """

    values: Mapping[str, Fraction]

    def __add__(self, other: Sums) -> Sums:
        return Sums({k: v + other.values.get(k, Fraction(0)) for k, v in self.values.items()})


@attrs.frozen(slots=True)
class ClassMinutes:
    """Voltage monitoring minutes per class, and the points counted per class.

    >>> m = VoltageMinutes(Fraction(0), Fraction(10), Fraction(100))
    >>> (ClassMinutes({MonitoringClass.D: m}, {MonitoringClass.D: 1}) +
    ...  ClassMinutes({MonitoringClass.D: m}, {MonitoringClass.D: 1})).points
    {<MonitoringClass.D: 'D'>: 1}
    """

    minutes: Mapping[MonitoringClass, VoltageMinutes]
    points: Mapping[MonitoringClass, int]

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def __add__(self, other: ClassMinutes) -> ClassMinutes:
        minutes = dict(self.minutes)
        points = dict(self.points)
        for k, v in other.minutes.items():
            minutes[k] = minutes[k] + v if k in minutes else v
        for k, n in other.points.items():
            points[k] = max(points.get(k, 0), n)
        return ClassMinutes(minutes, points)


Part = Sums | ReliabilityState | ClassMinutes
"""The additive month's part of a KPI."""


@attrs.frozen(slots=True, kw_only=True)
class KpiSpec:
    """One row of the report's KPI table: its key, its definition and report spec, and the
    label and breakdown value of its scope."""

    key: KpiKey
    definition: MetricDefinition
    spec: ReportSpec
    scope: Text = _EMPTY

    def __repr__(self) -> str:
        return _show.short_repr(self)


def kpi_rows(
    registry: Registry,
    seen: Mapping[str, Sequence[tuple[str, str]]],
    convention: CountingConvention | None = None,
) -> list[KpiSpec]:
    """The KPI rows of the report, in order: every registry entry with a report spec, one
    row per breakdown value (``seen`` maps a table to the ``(value, label)`` pairs of a
    breakdown column without fixed values, in the order first seen). A spec that names
    ``conventions`` is a row only under one of them (``convention``; None: the default).

    >>> from gdsmodel.metrics.registry import default_registry
    >>> rows = kpi_rows(default_registry(), {})
    >>> [str(r.key) for r in rows if r.key.metric == "two_ticket_pass_rate"]
    ['two_ticket_pass_rate', 'two_ticket_pass_rate:work', 'two_ticket_pass_rate:operation']
    >>> from gdsmodel.metrics.reliability import convention
    >>> [str(r.key) for r in kpi_rows(default_registry(), {}, convention("IEEE 1366"))
    ...  if r.key.metric.startswith("maifi")]
    ['maifi', 'maifie']
    """
    conv = get_convention(convention)
    out: list[tuple[tuple[int, int, int], KpiSpec]] = []
    for index, d in enumerate(registry):
        spec = registry.reports.get(d.id)
        if spec is None:
            continue
        if spec.conventions and conv.id not in spec.conventions:
            continue
        b = spec.breakdown
        if b is None:
            out.append(
                (
                    (spec.order, 0, index),
                    KpiSpec(key=KpiKey(d.id), definition=d, spec=spec, scope=spec.scope),
                )
            )
            continue
        if b.total:
            out.append(
                (
                    (spec.order, -1, index),
                    KpiSpec(key=KpiKey(d.id), definition=d, spec=spec, scope=spec.scope),
                )
            )
        if b.values:
            pairs = [(v.value, v.label) for v in b.values]
        else:
            pairs = [
                (v, Text(label, label)) for v, label in seen.get(f"{spec.table}.{b.column}", ())
            ]
        for i, (value, label) in enumerate(pairs):
            out.append(
                (
                    (spec.order, i, index),
                    KpiSpec(key=KpiKey(d.id, value), definition=d, spec=spec, scope=label),
                )
            )
    out.sort(key=lambda pair: pair[0])
    return [row for _, row in out]


def breakdown_values(data: StationData, registry: Registry) -> dict[str, list[tuple[str, str]]]:
    """For each breakdown column without fixed values: its values in the order first seen,
    labelled with the label column's (last seen) value (``lines, km``)."""
    found: dict[str, list[tuple[str, str]]] = {}
    for spec in registry.reports.values():
        b = spec.breakdown
        if b is None or b.values:
            continue
        key = f"{spec.table}.{b.column}"
        if key in found:
            continue
        try:
            table = data.table(spec.table)
            field = table.schema.column(b.column).field
            label_field = table.schema.column(b.label_column).field if b.label_column else ""
        except NotFoundError:  # the KPI's total row (if any) says what is wrong
            continue
        labels: dict[str, str] = {}
        store = table.store
        if store is None:
            found[key] = []
            continue
        shown = store.field_values(label_field) if label_field else None
        for value in store.field_values(field):
            labels[str(value)] = str(next(shown)) if shown is not None else ""
        found[key] = [(v, f"{v}, {u}" if u else v) for v, u in labels.items()]
    return found


class Context:
    """Per-month parts, cached; the records of each table by month; the settings."""

    def __init__(
        self,
        data: StationData,
        registry: Registry,
        convention: CountingConvention | None = None,
    ) -> None:
        """Remember the data, the registry and the counting convention of the reliability
        indices (None: the station's, from ``station.toml``); parts are built on demand."""
        self.data = data
        self.registry = registry
        self.convention = convention if convention is not None else data.config.convention
        self._cache: dict[tuple[object, Month], Part | str] = {}
        self.sums: dict[tuple[object, ...], Fraction] = {}
        self._by_month: dict[tuple[str, Month], tuple[Any, ...]] = {}

    def of(self, table: Table[R], month: Month) -> tuple[R, ...]:
        """The records of ``month`` (kept per table and month when the table keeps its
        records; else built from its columns each time)."""
        if table.store is not None and table.store.built is None:
            return table.of(month)
        found = self._by_month.get((table.schema.stem, month))
        if found is None:
            found = self._by_month[(table.schema.stem, month)] = table.of(month)
        return found

    def rows(self, table: Table[R], month: Month) -> tuple[R, ...] | str:
        """The records of ``month``, or why the month's KPIs cannot come from ``table``."""
        found = self.positions(table, month)
        if isinstance(found, str):
            return found
        return self.of(table, month)

    def positions(self, table: Table[Any], month: Month) -> Selection | str:
        """The positions of the rows of ``month`` in the table's columns, or why the
        month's KPIs cannot come from ``table``."""
        problem = table.problem(month)
        if problem:
            return problem
        rows = table.positions(month)
        if not rows:
            return f"no rows for {month} in {table.file}"
        return rows

    def part(self, row: KpiSpec, month: Month) -> Part | str:
        """The month's part of a KPI row (cached; a state is shared by its KPIs)."""
        state = row.spec.state
        key: object = row.key if state == "sum" else state
        found = self._cache.get((key, month))
        if found is None:
            builder = _STATES.get(state)
            try:
                if builder is None:
                    found = f"unknown report state {state!r} (allowed: {', '.join(_STATES)})"
                else:
                    found = builder(self, row, month)
            except GdsmodelError as exc:
                found = str(exc)
            self._cache[(key, month)] = found
        return found

    def state(self, name: str, month: Month) -> Part | str:
        """A shared state (``reliability``, ``voltage_classes``) of one month."""
        found = self._cache.get((name, month))
        if found is None:
            try:
                found = _STATES[name](self, None, month)
            except GdsmodelError as exc:
                found = str(exc)
            self._cache[(name, month)] = found
        return found

    def customers(self, month: Month) -> int | str:
        """Customers served in ``month``: from station.toml, else the areas' sum."""
        configured = self.data.config.customers.get(str(month))
        if configured is not None:
            return configured
        table = self.data.areas
        problem = table.problem(month)
        if problem:
            return f"customers unknown: {problem} and station.toml gives none for {month}"
        rows = table.positions(month)
        if not rows or table.store is None:
            return f"customers unknown: no rows for {month} in {table.file}"
        return int(table.store.total("customers", rows))

    def setting(self, name: str, month: Month) -> Fraction | str:
        """A station setting used as a KPI input (``arrears``: of the month's year)."""
        if name == "arrears":
            year = str(month.year.number)
            arrears = self.data.config.arrears.get(year)
            if arrears is None:
                return f"station.toml gives no arrears of earlier years for {year} ([arrears])"
            return Fraction(arrears)
        return f"unknown station setting {name!r} (allowed: arrears)"


# ----------------------------------------------------------------------------- states


def _sums(ctx: Context, row: KpiSpec | None, month: Month) -> Part | str:
    """The month's sums of a KPI's inputs, over the columns of the month's rows."""
    assert row is not None
    spec = row.spec
    table = ctx.data.table(spec.table)
    found = ctx.positions(table, month)
    if isinstance(found, str):
        return found
    store = table.store
    assert store is not None
    rows: Selection = found
    schema = table.schema
    where = dict(spec.where)
    if row.key.scope and spec.breakdown is not None:
        where[spec.breakdown.column] = row.key.scope
    for column, wanted in where.items():
        rows = store.where(rows, schema.column(column).name, wanted)
    if not rows:
        if spec.empty:
            return spec.empty.format(month=month, file=table.file)
        scope = row.key.scope or ", ".join(where.values())
        return f"no {scope} rows for {month} in {table.file}"
    columns = {n: s for n, s in spec.inputs.items() if not s.setting}
    own = [(n, schema.column(s.column)) for n, s in columns.items() if s.table in ("", spec.table)]
    rows_key: tuple[object, ...] = (tuple(sorted(where.items())), ())
    if spec.missing is MissingValues.SKIP:
        rows_key = (rows_key[0], tuple(c.field for _, c in own))
        kept = store.without_none(rows, [c.name for _, c in own])
        if not kept:
            empty = next(c.name for _, c in own if c.required is False) if own else "values"
            return f"no {empty} for {month} in {table.file}"
        rows = kept
    else:
        for _, c in own:
            if store.has_none(rows, c.name):
                return f"no {c.name} for {month} in {table.file}"
    sums: dict[str, Fraction] = {}
    for name, source in columns.items():
        if source.table in ("", spec.table):
            use, of = rows, store
            col = schema.column(source.column)
            key: tuple[object, ...] = (spec.table, month, *rows_key, col.field)
        else:
            other = ctx.data.table(source.table)
            got = ctx.positions(other, month)
            if isinstance(got, str):
                return got
            assert other.store is not None
            use, of = got, other.store
            col = other.schema.column(source.column)
            key = (source.table, month, (), (), col.field)
        total = ctx.sums.get(key)  # KPIs over the same rows and column share the sum
        if total is None:
            total = ctx.sums[key] = of.total(col.name, use)
        sums[name] = total
    return Sums(sums)


def _reliability(ctx: Context, row: KpiSpec | None, month: Month) -> Part | str:
    table = ctx.data.outages
    problem = table.problem(month)
    if problem:
        return problem
    customers = ctx.customers(month)
    if isinstance(customers, str):
        return customers
    outages = [r.outage for r in table.records]
    return ReliabilityState.from_outages(
        outages, period=month, customers=customers, convention=ctx.convention
    )


def _voltage_classes(ctx: Context, row: KpiSpec | None, month: Month) -> Part | str:
    rows = ctx.rows(ctx.data.voltage, month)
    if isinstance(rows, str):
        return rows
    by_class: dict[MonitoringClass, list[Any]] = {}
    for r in rows:
        by_class.setdefault(r.monitoring_class, []).append(r)
    minutes: dict[MonitoringClass, VoltageMinutes] = {}
    points: dict[MonitoringClass, int] = {}
    for c, points_of in by_class.items():  # sums first, one VoltageMinutes per class
        minutes[c] = VoltageMinutes(
            exact_sum(r.above_upper_minutes for r in points_of),
            exact_sum(r.below_lower_minutes for r in points_of),
            exact_sum(r.monitored_minutes for r in points_of),
        )
        points[c] = len(points_of)
    return ClassMinutes(minutes, points)


_STATES: dict[str, Callable[[Context, KpiSpec | None, Month], Part | str]] = {
    "sum": _sums,
    "reliability": _reliability,
    "voltage_classes": _voltage_classes,
}


# ----------------------------------------------------------------------------- values


def _formula(d: MetricDefinition) -> Callable[..., Any]:
    module, _, name = d.computed_by.rpartition(".")
    found: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return found


def _evaluate(ctx: Context, row: KpiSpec, part: Part, month: Month) -> KpiValue:
    d, spec = row.definition, row.spec
    if isinstance(part, ReliabilityState):
        got = getattr(part, d.id)()
        if isinstance(got, Ratio):
            return of_ratio(got)
        if got.value is None:
            return KpiValue(reason=f"undefined: {got.reason}")
        return KpiValue(value=got.value)
    if isinstance(part, ClassMinutes):
        c = part.minutes
        cv = comprehensive_voltage_rate(
            a=c.get(MonitoringClass.A),
            b=c.get(MonitoringClass.B),
            c=c.get(MonitoringClass.C),
            d=c.get(MonitoringClass.D),
            weights=ctx.data.config.voltage_weights,
        )
        if cv.value is None:
            missing = ", ".join(str(x) for x in cv.missing)
            return KpiValue(
                reason=f"no data for class {missing}; set [voltage_weights] in station.toml"
            )
        return KpiValue(value=cv.value)
    inputs: dict[str, Fraction] = dict(part.values)
    for name, source in spec.inputs.items():
        if source.setting:
            got_setting = ctx.setting(source.setting, month)
            if isinstance(got_setting, str):
                return KpiValue(reason=got_setting)
            inputs[name] = got_setting
    if d.numerator:
        ratio = d.ratio(**inputs)
        negative = spec.anomaly and ratio.numerator < 0
        return of_ratio(ratio, spec.anomaly if negative else "")
    if not any(inputs.values()):
        return KpiValue(reason="undefined: every input is 0")
    return KpiValue(value=Fraction(_formula(d)(**inputs)))


def value_over(ctx: Context, row: KpiSpec, months: Sequence[Month]) -> KpiValue:
    """The KPI over ``months`` (their parts added), or the reason it cannot be computed.

    >>> from gdsmodel.report.compute import _demo_report
    >>> r = _demo_report()
    >>> assert r.data is not None and r.registry is not None
    >>> ctx = Context(r.data, r.registry)
    >>> row = next(k for k in kpi_rows(r.registry, {}) if k.key == KpiKey("line_loss_rate"))
    >>> value_over(ctx, row, r.trend_months).value   # (800 - 770) / 800 over both months
    Fraction(3, 80)
    >>> value_over(ctx, row, [Month(2025, 1)]).reason
    'no rows for 2025-01 in lines.csv'
    """
    parts: list[Part] = []
    for m in months:
        p = ctx.part(row, m)
        if isinstance(p, str):
            if len(months) > 1:
                return KpiValue(reason=f"{m}: {p}")
            return KpiValue(reason=p)
        parts.append(p)
    total = parts[0]
    for p in parts[1:]:
        total = total + p  # type: ignore[operator]  # parts of one row share their type
    try:
        return _evaluate(ctx, row, total, months[-1])
    except GdsmodelError as exc:
        return KpiValue(reason=str(exc))


def window(kind: KpiKind, month: Month, year: Sequence[Month]) -> Sequence[Month]:
    """The months a KPI's value of ``month`` covers: the year so far for ``year_to_date``.

    >>> year = [Month(2026, 1), Month(2026, 2)]
    >>> window(KpiKind.FLOW, year[-1], year), len(window(KpiKind.YEAR_TO_DATE, year[-1], year))
    ([Month(2026, 2)], 2)
    """
    return year if kind is KpiKind.YEAR_TO_DATE else [month]
