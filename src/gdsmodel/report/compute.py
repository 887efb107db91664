"""The monthly report's numbers: KPIs with targets, verdicts and trends, the assessment
sheets, the safety tools due and overdue, and the obligations of the coming month.

Every KPI is a ratio of sums: a month's value sums the inputs of every line, area,
point or ticket type and divides once; the year to date sums the months' inputs (for
reliability, the months' states merge). Nothing averages rates. A KPI that cannot be
computed carries the reason (a missing file, a bad row, no rows for the month) instead
of a value, and the report lists it among the gaps.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "tickets.csv").write_text(
...     "month,type,total,qualified\\n2026-03,work,20,19\\n2026-03,operation,30,30\\n",
...     encoding="utf-8")
>>> report = build_report(d, "2026-03")
>>> row = report.kpi("two_ticket_pass_rate")
>>> row.month.value, row.format(row.month), str(row.verdict)
(Fraction(49, 50), '98.00%', 'missed by 2.00 pp')
>>> report.kpi("line_loss_rate").month.reason
'no lines.csv or lines.xlsx'
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

import attrs

from gdsmodel.errors import DataFileError, GdsmodelError, InputError
from gdsmodel.metrics.assessment import (
    AssessmentSheet,
    CheckEvidence,
    KpiEvidence,
    Ranking,
    RuleKind,
    Scheme,
    default_scheme,
    load_scheme,
    year_end,
)
from gdsmodel.metrics.definitions import MetricDefinition
from gdsmodel.metrics.energy import LineLoss
from gdsmodel.metrics.ratio import Ratio, Target, Verdict
from gdsmodel.metrics.registry import Registry, load_registry
from gdsmodel.metrics.reliability import Outage, OutageCause, ReliabilityState
from gdsmodel.metrics.voltage import (
    MonitoringClass,
    VoltageMinutes,
    comprehensive_voltage_rate,
)
from gdsmodel.periods import Month
from gdsmodel.report.inputs import (
    Severity,
    StationData,
    StationDataError,
    Table,
    TicketType,
    load_station,
)
from gdsmodel.text import Text

__all__ = [
    "Gap",
    "KpiKind",
    "KpiRow",
    "KpiValue",
    "LossRow",
    "ObligationsSection",
    "OutageRow",
    "ReliabilitySection",
    "Report",
    "ToolsSection",
    "VoltageClassRow",
    "build_report",
]

Progress = Callable[[str], None]
R = TypeVar("R")

_EMPTY = Text("")


class KpiKind(enum.StrEnum):
    """How a KPI behaves over months.

    * ``flow``: the month's inputs; the year to date sums the months' inputs;
    * ``stock``: a state at the month's end (devices installed): no year to date;
    * ``year_to_date``: the value of a month is already cumulative from January.

    >>> _demo_report().kpi("rcd_installation_rate").kind.value
    'stock'
    """

    FLOW = "flow"
    STOCK = "stock"
    YEAR_TO_DATE = "year_to_date"


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


def _of_ratio(ratio: Ratio, anomaly: str = "") -> KpiValue:
    if not ratio.defined:
        return KpiValue(ratio=ratio, reason=f"undefined: {ratio}")
    return KpiValue(value=ratio.value, ratio=ratio, anomaly=anomaly)


RELIABILITY_INDICES = ("rs1", "rs2", "rs3", "asai", "aihc", "aitc", "saifi", "saidi", "caidi")
"""The reliability KPIs of the report, in the order shown."""

_PLACES = {"rs1": 4, "rs2": 4, "rs3": 4, "asai": 4, "average_price": 4}


@attrs.frozen(slots=True, kw_only=True)
class KpiRow:
    """One KPI of the report: value of the month, target, verdict, trend and year to date.

    ``trend`` is aligned with :attr:`Report.trend_months`; ``key`` is the metric ID, or
    ``metric:scope`` for a breakdown (``two_ticket_pass_rate:work``).

    >>> row = _demo_report().kpi("line_loss_rate")
    >>> row.format(row.month), [row.format(v) for v in row.trend], row.format(row.ytd)
    ('5.00%', ['2.50%', '5.00%'], '3.75%')
    """

    key: str
    metric: str
    name: Text
    scope: Text
    unit: str
    kind: KpiKind
    month: KpiValue
    target: Target | None
    verdict: Verdict | None
    trend: tuple[KpiValue, ...] = ()
    ytd: KpiValue | None = None
    definition: MetricDefinition | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def places(self) -> int:
        """Decimals shown (4 for the reliability rates, else 2).

        >>> _demo_report().kpi("rs3").places
        4
        """
        return _PLACES.get(self.metric, 2)

    @property
    def title(self) -> Text:
        """The KPI's name, with its scope when it is a breakdown.

        >>> _demo_report().kpi("two_ticket_pass_rate:work").title.en
        'Two-ticket pass rate (work tickets)'
        """
        if self.scope.zh:
            return Text(f"{self.name.zh}({self.scope.zh})", f"{self.name.en} ({self.scope.en})")
        return self.name

    def format(self, value: KpiValue | None) -> str:
        """A value for display, rounded half-up; ``-`` when there is none.

        >>> from gdsmodel.report.compute import _demo_row
        >>> r = _demo_row()
        >>> r.format(r.month), r.format(None)
        ('97.50%', '-')
        """
        if value is None or value.value is None:
            return "-"
        if self.definition is not None:
            return self.definition.format(value.value, self.places)
        return str(value.value)  # pragma: no cover - every row has its definition


def _demo_row() -> KpiRow:
    from gdsmodel.metrics.registry import metric

    d = metric("meter_reading_rate")
    return KpiRow(
        key=d.id,
        metric=d.id,
        name=d.name,
        scope=_EMPTY,
        unit=d.unit,
        kind=KpiKind.FLOW,
        month=_of_ratio(Ratio(39, 40)),
        target=d.target,
        verdict=None,
        definition=d,
    )


@attrs.frozen(slots=True, kw_only=True)
class LossRow:
    """Line loss of one line or transformer area in the month.

    >>> [(r.id, r.rate.format(), r.anomaly) for r in _demo_report().lines]
    [('L1', '10.00%', False), ('L2', '-10.00%', True)]
    """

    id: str
    name: str
    voltage: str
    supplied_kwh: Fraction
    sold_kwh: Fraction
    rate: Ratio
    anomaly: bool
    power_factor: Decimal | None = None
    verdict: Verdict | None = None
    line: str = ""
    customers: int | None = None


@attrs.frozen(slots=True, kw_only=True)
class OutageRow:
    """An outage overlapping the month, with its customer-hours inside the month.

    >>> [(o.id, o.hours, o.customer_hours_in_month) for o in _demo_report().reliability.outages]
    [('O1', Fraction(2, 1), Fraction(20, 1))]
    """

    id: str
    line: str
    area: str
    start: _dt.datetime
    end: _dt.datetime
    hours: Fraction
    customers_affected: int
    cause: OutageCause
    customer_hours_in_month: Fraction
    counted: bool
    note: str = ""


@attrs.frozen(slots=True, kw_only=True)
class ReliabilitySection:
    """The month's outages by cause and by line, and customer-hours per trend month.

    ``by_cause`` rows: cause, events, customer interruptions, customer-hours, short events.
    ``monthly_customer_hours`` maps each trend month to customer-hours by cause (None where
    the month could not be computed).

    >>> [(c.value, events) for c, events, *_ in _demo_report().reliability.by_cause][:2]
    [('planned', 1), ('fault', 0)]
    """

    reason: str = ""
    customers: Fraction | None = None
    by_cause: tuple[tuple[OutageCause, int, int, Fraction, int], ...] = ()
    by_line: tuple[tuple[str, int, int, Fraction], ...] = ()
    outages: tuple[OutageRow, ...] = ()
    monthly_customer_hours: tuple[tuple[Month, Mapping[OutageCause, Fraction] | None], ...] = ()


@attrs.frozen(slots=True, kw_only=True)
class VoltageClassRow:
    """Voltage qualification of the points of one class in the month (minutes summed).

    >>> [(str(v.monitoring_class), v.points) for v in _demo_report().voltage]
    [('D', 1)]
    """

    monitoring_class: MonitoringClass
    points: int
    minutes: VoltageMinutes
    weight: Fraction | None


@attrs.frozen(slots=True, kw_only=True)
class ToolsSection:
    """The safety tools: due in the coming month, overdue and unusable at the month's close.

    ``on`` is the first day after the report month; ``due_period`` the coming month.

    >>> t = _demo_report().tools
    >>> t.on, t.reason
    (datetime.date(2026, 4, 1), 'no safety_tools.json')
    """

    on: _dt.date | None = None
    due_period: Month | None = None
    tools: int = 0
    due: tuple[Any, ...] = ()
    overdue: tuple[Any, ...] = ()
    unusable: tuple[Any, ...] = ()
    reason: str = ""


@attrs.frozen(slots=True, kw_only=True)
class ObligationsSection:
    """What the standard asks in the coming month, for whom, from which clause.

    >>> ob = _demo_report().obligations
    >>> str(ob.period), len(ob.items) > 0
    ('2026-04', True)
    """

    period: Month | None = None
    items: tuple[Any, ...] = ()
    owners: Mapping[str, Text] = attrs.field(factory=dict)
    reason: str = ""


@attrs.frozen(slots=True, kw_only=True)
class Gap:
    """A part of the report that could not be computed, and why.

    >>> [g.reason for g in _demo_report().gaps if g.part.en == "safety tools"]
    ['no safety_tools.json']
    """

    part: Text
    reason: str


@attrs.frozen(slots=True, kw_only=True)
class Report:
    """The monthly report of one station: every part, computed, ready to render.

    Renderers (:mod:`gdsmodel.report`) only format what is here.

    >>> r = _demo_report()
    >>> str(r.month), [str(m) for m in r.trend_months], r.station.zh
    ('2026-03', ['2026-02', '2026-03'], '演示')
    """

    station: Text
    folder: str
    month: Month
    trend_months: tuple[Month, ...]
    ytd_months: tuple[Month, ...]
    kpis: tuple[KpiRow, ...]
    lines: tuple[LossRow, ...]
    areas: tuple[LossRow, ...]
    lines_by_month: tuple[tuple[Month, tuple[LossRow, ...]], ...]
    reliability: ReliabilitySection
    voltage: tuple[VoltageClassRow, ...]
    scheme: Scheme
    sheets: tuple[AssessmentSheet, ...]
    ranking: tuple[Ranking, ...]
    owners: Mapping[str, Text]
    tools: ToolsSection
    obligations: ObligationsSection
    issues: tuple[StationDataError, ...]
    gaps: tuple[Gap, ...]
    generated_by: str = "gdsmodel"

    def kpi(self, key: str) -> KpiRow:
        """The KPI row with this key (a metric ID, or ``metric:scope``).

        >>> _demo_report().kpi("two_ticket_pass_rate:work").scope.en
        'work tickets'
        """
        for row in self.kpis:
            if row.key == key:
                return row
        from gdsmodel.errors import NotFoundError

        raise NotFoundError("KPI of the report", key, [r.key for r in self.kpis])

    @property
    def errors(self) -> tuple[StationDataError, ...]:
        """Data issues of severity error.

        >>> _demo_report().errors
        ()
        """
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    def owner_name(self, owner: str) -> Text:
        """The bilingual name of a post or unit (its ID when unknown).

        >>> _demo_report().owner_name("safety_officer").zh
        '安全员'
        """
        return self.owners.get(owner, Text(owner, owner))


# ----------------------------------------------------------------------------- parts


@attrs.frozen(slots=True)
class _Collection:
    collected: Fraction = Fraction(0)
    billed: Fraction = Fraction(0)
    arrears_collected: Fraction = Fraction(0)

    def __add__(self, other: _Collection) -> _Collection:
        return _Collection(
            self.collected + other.collected,
            self.billed + other.billed,
            self.arrears_collected + other.arrears_collected,
        )


@attrs.frozen(slots=True)
class _Classes:
    minutes: Mapping[MonitoringClass, VoltageMinutes] = attrs.field(factory=dict)
    points: Mapping[MonitoringClass, int] = attrs.field(factory=dict)

    def __add__(self, other: _Classes) -> _Classes:
        m = dict(self.minutes)
        p = dict(self.points)
        for k, v in other.minutes.items():
            m[k] = m[k] + v if k in m else v
        for k, n in other.points.items():
            p[k] = max(p.get(k, 0), n)
        return _Classes(m, p)


@attrs.frozen(slots=True)
class _PQ:
    active: Fraction = Fraction(0)
    reactive: Fraction = Fraction(0)

    def __add__(self, other: _PQ) -> _PQ:
        return _PQ(self.active + other.active, self.reactive + other.reactive)


Part = Any  # Ratio, LineLoss, ReliabilityState, _Collection, _Classes, Fraction...


def _add(parts: Sequence[Part]) -> Part:
    total = parts[0]
    for p in parts[1:]:
        total = total + p
    return total


class _Context:
    """Per-month parts, cached, the records of each table by month, and the settings."""

    def __init__(self, data: StationData, registry: Registry) -> None:
        """Remember the data and the registry; parts are built on demand."""
        self.data = data
        self.registry = registry
        self.cache: dict[tuple[str, Month], Part | str] = {}
        self._by_month: dict[str, dict[Month, tuple[Any, ...]]] = {}

    def of(self, table: Table[R], month: Month) -> tuple[R, ...]:
        """The records of ``month`` (``table.of(month)``, grouped once per table)."""
        index = self._by_month.get(table.schema.stem)
        if index is None:
            groups: dict[Month, list[Any]] = {}
            records: tuple[Any, ...] = table.records
            for r in records:
                groups.setdefault(r.month, []).append(r)
            index = {m: tuple(rs) for m, rs in groups.items()}
            self._by_month[table.schema.stem] = index
        return index.get(month, ())

    def rows(self, table: Table[R], month: Month) -> tuple[R, ...] | str:
        """The records of ``month``, or why the month's KPIs cannot come from ``table``."""
        problem = table.problem(month)
        if problem:
            return problem
        rows = self.of(table, month)
        if not rows:
            return f"no rows for {month} in {table.file}"
        return rows

    def part(self, name: str, month: Month) -> Part | str:
        key = (name, month)
        if key not in self.cache:
            try:
                self.cache[key] = _BUILDERS[name.split(":")[0]](self, month, name)
            except GdsmodelError as exc:
                self.cache[key] = str(exc)
        return self.cache[key]

    def customers(self, month: Month) -> int | str:
        configured = self.data.config.customers.get(str(month))
        if configured is not None:
            return configured
        table = self.data.areas
        problem = table.problem(month)
        if problem:
            return f"customers unknown: {problem} and station.toml gives none for {month}"
        rows = self.of(table, month)
        if not rows:
            return f"customers unknown: no rows for {month} in {table.file}"
        return sum(r.customers for r in rows)


def _b_lines(ctx: _Context, month: Month, name: str) -> Part | str:
    rows = ctx.rows(ctx.data.lines, month)
    if isinstance(rows, str):
        return rows
    if name == "lines:10kV":
        rows = tuple(r for r in rows if r.voltage == "10kV")
        if not rows:
            return f"no 10 kV lines for {month} in {ctx.data.lines.file}"
    return sum((LineLoss(r.supplied_kwh, r.sold_kwh) for r in rows), LineLoss(0, 0))


def _b_power_factor(ctx: _Context, month: Month, name: str) -> Part | str:
    rows = ctx.rows(ctx.data.lines, month)
    if isinstance(rows, str):
        return rows
    with_q = [(r.supplied_kwh, r.reactive_kvarh) for r in rows if r.reactive_kvarh is not None]
    if not with_q:
        return f"no reactive_kvarh for {month} in {ctx.data.lines.file}"
    return _PQ(sum((p for p, _ in with_q), Fraction(0)), sum((q for _, q in with_q), Fraction(0)))


def _b_areas(ctx: _Context, month: Month, name: str) -> Part | str:
    rows = ctx.rows(ctx.data.areas, month)
    if isinstance(rows, str):
        return rows
    return sum((LineLoss(r.supplied_kwh, r.sold_kwh) for r in rows), LineLoss(0, 0))


def _b_billing(ctx: _Context, month: Month, name: str) -> Part | str:
    rows = ctx.rows(ctx.data.billing, month)
    if isinstance(rows, str):
        return rows
    reg = ctx.registry
    what = name.split(":")[1]
    if what == "reading":
        return Ratio.merge(
            reg.metric("meter_reading_rate").ratio(read=r.meters_read, due=r.meters_due)
            for r in rows
        )
    if what == "errors":
        return Ratio.merge(
            reg.metric("reading_error_rate").ratio(errors=r.reading_errors, readings=r.meters_read)
            for r in rows
        )
    if what == "remitted":
        if any(r.remitted_yuan is None for r in rows):
            return f"no remitted_yuan for {month} in {ctx.data.billing.file}"
        return Ratio.merge(
            reg.metric("fee_remittance_rate").ratio(remitted=r.remitted_yuan, billed=r.billed_yuan)
            for r in rows
        )
    if what == "price":
        areas = ctx.rows(ctx.data.areas, month)
        if isinstance(areas, str):
            return areas
        return reg.metric("average_price").ratio(
            revenue=sum((r.billed_yuan for r in rows), Decimal(0)),
            sold_kwh=sum((a.sold_kwh for a in areas), Fraction(0)),
        )
    return _Collection(
        sum((Fraction(r.collected_yuan) for r in rows), Fraction(0)),
        sum((Fraction(r.billed_yuan) for r in rows), Fraction(0)),
        sum((Fraction(r.arrears_collected_yuan) for r in rows), Fraction(0)),
    )


def _b_reliability(ctx: _Context, month: Month, name: str) -> Part | str:
    table = ctx.data.outages
    problem = table.problem(month)
    if problem:
        return problem
    customers = ctx.customers(month)
    if isinstance(customers, str):
        return customers
    outages = [r.outage for r in table.records]
    return ReliabilityState.from_outages(outages, period=month, customers=customers)


def _b_voltage(ctx: _Context, month: Month, name: str) -> Part | str:
    rows = ctx.rows(ctx.data.voltage, month)
    if isinstance(rows, str):
        return rows
    minutes: dict[MonitoringClass, VoltageMinutes] = {}
    points: dict[MonitoringClass, int] = {}
    for r in rows:
        m = VoltageMinutes(r.above_upper_minutes, r.below_lower_minutes, r.monitored_minutes)
        c = r.monitoring_class
        minutes[c] = minutes[c] + m if c in minutes else m
        points[c] = points.get(c, 0) + 1
    return _Classes(minutes, points)


def _b_tickets(ctx: _Context, month: Month, name: str) -> Part | str:
    rows = ctx.rows(ctx.data.tickets, month)
    if isinstance(rows, str):
        return rows
    scope = name.split(":")[1] if ":" in name else ""
    if scope:
        rows = tuple(r for r in rows if r.type.value == scope)
    return ctx.registry.metric("two_ticket_pass_rate").total(rows)


def _b_rcd(ctx: _Context, month: Month, name: str) -> Part | str:
    rows = ctx.rows(ctx.data.rcd, month)
    if isinstance(rows, str):
        return rows
    metric_id = _RCD_METRICS[name.split(":")[1]]
    return ctx.registry.metric(metric_id).total(rows)  # RcdRecord fields are the inputs


_RCD_METRICS = {
    "installation": "rcd_installation_rate",
    "in_service": "rcd_in_service_rate",
    "correct": "rcd_correct_operation_rate",
}


def _b_equipment(ctx: _Context, month: Month, name: str) -> Part | str:
    rows = ctx.rows(ctx.data.equipment, month)
    if isinstance(rows, str):
        return rows
    _, what, category = name.split(":", 2)
    rows = tuple(r for r in rows if r.category == category)
    if not rows:
        return f"no {category} rows for {month} in {ctx.data.equipment.file}"
    d = ctx.registry.metric("equipment_intact_rate" if what == "intact" else "class1_share")
    return d.total(rows)


_BUILDERS: dict[str, Callable[[_Context, Month, str], Part | str]] = {
    "lines": _b_lines,
    "power_factor": _b_power_factor,
    "areas": _b_areas,
    "billing": _b_billing,
    "reliability": _b_reliability,
    "voltage": _b_voltage,
    "tickets": _b_tickets,
    "rcd": _b_rcd,
    "equipment": _b_equipment,
}


# ----------------------------------------------------------------------------- KPI specs

ValueOf = Callable[[_Context, Part, Month], KpiValue]


@attrs.frozen(slots=True, kw_only=True)
class _Spec:
    key: str
    metric: str
    part: str
    value: ValueOf
    kind: KpiKind = KpiKind.FLOW
    scope: Text = _EMPTY


def _loss(ctx: _Context, part: Part, month: Month) -> KpiValue:
    assert isinstance(part, LineLoss)
    return _of_ratio(part.ratio, "sold > supplied (negative loss)" if part.anomaly else "")


def _ratio(ctx: _Context, part: Part, month: Month) -> KpiValue:
    assert isinstance(part, Ratio)
    return _of_ratio(part)


def _pf(ctx: _Context, part: Part, month: Month) -> KpiValue:
    from gdsmodel.metrics.power_factor import power_factor

    assert isinstance(part, _PQ)
    p, q = part.active, part.reactive
    if not p and not q:
        return KpiValue(reason="undefined: no energy")
    return KpiValue(value=Fraction(power_factor(active_kwh=p, reactive_kvarh=q)))


def _collection(metric_id: str) -> ValueOf:
    """The value of one of the collection rates; those of earlier years need the arrears."""

    def value(ctx: _Context, part: Part, month: Month) -> KpiValue:
        assert isinstance(part, _Collection)
        d = ctx.registry.metric(metric_id)
        if metric_id in ("collection_rate", "collection_rate_current_year"):
            return _of_ratio(d.ratio(collected=part.collected, billed=part.billed))
        year = str(month.year.number)
        arrears = ctx.data.config.arrears.get(year)
        if arrears is None:
            return KpiValue(
                reason=f"station.toml gives no arrears of earlier years for {year} ([arrears])"
            )
        if metric_id == "collection_rate_earlier_years":
            return _of_ratio(d.ratio(arrears_collected=part.arrears_collected, arrears=arrears))
        return _of_ratio(
            d.ratio(
                collected=part.collected,
                billed=part.billed,
                arrears_collected=part.arrears_collected,
                arrears=arrears,
            )
        )

    return value


def _reliability(index: str) -> ValueOf:
    def value(ctx: _Context, part: Part, month: Month) -> KpiValue:
        assert isinstance(part, ReliabilityState)
        got = getattr(part, index)()
        if isinstance(got, Ratio):
            return _of_ratio(got)
        if got.value is None:
            return KpiValue(reason=f"undefined: {got.reason}")
        return KpiValue(value=got.value)

    return value


def _voltage_d(ctx: _Context, part: Part, month: Month) -> KpiValue:
    assert isinstance(part, _Classes)
    m = part.minutes.get(MonitoringClass.D)
    if m is None:
        return KpiValue(reason="no class D (residential) monitoring points")
    return _of_ratio(m.ratio)


def _voltage_comprehensive(ctx: _Context, part: Part, month: Month) -> KpiValue:
    assert isinstance(part, _Classes)
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


def _specs(data: StationData) -> list[_Spec]:
    def simple(
        key: str, part: str, value: ValueOf, kind: KpiKind = KpiKind.FLOW, scope: Text = _EMPTY
    ) -> _Spec:
        return _Spec(key=key, metric=key, part=part, value=value, kind=kind, scope=scope)

    ytd, stock = KpiKind.YEAR_TO_DATE, KpiKind.STOCK
    s: list[_Spec] = [
        simple("line_loss_rate", "lines", _loss),
        simple("line_loss_rate_10kv", "lines:10kV", _loss),
        simple("line_loss_rate_lv", "areas", _loss),
        simple("power_factor", "power_factor", _pf),
        simple("average_price", "billing:price", _ratio),
        simple("meter_reading_rate", "billing:reading", _ratio),
        simple("reading_error_rate", "billing:errors", _ratio),
        simple("collection_rate", "billing:fees", _collection("collection_rate")),
        *(
            simple(metric_id, "billing:fees", _collection(metric_id), ytd)
            for metric_id in (
                "collection_rate_current_year",
                "collection_rate_earlier_years",
                "collection_rate_cumulative",
            )
        ),
        simple("fee_remittance_rate", "billing:remitted", _ratio),
        simple("two_ticket_pass_rate", "tickets", _ratio),
    ]
    for t, zh in ((TicketType.WORK, "工作票"), (TicketType.OPERATION, "操作票")):
        s.append(
            _Spec(
                key=f"two_ticket_pass_rate:{t.value}",
                metric="two_ticket_pass_rate",
                part=f"tickets:{t.value}",
                value=_ratio,
                scope=Text(zh, f"{t.value} tickets"),
            )
        )
    s += [
        simple("rcd_installation_rate", "rcd:installation", _ratio, stock),
        simple("rcd_in_service_rate", "rcd:in_service", _ratio, stock),
        simple("rcd_correct_operation_rate", "rcd:correct", _ratio),
        simple(
            "voltage_qualification_rate",
            "voltage",
            _voltage_d,
            scope=Text("D类(居民)监测点", "class D (residential) points"),
        ),
        simple("comprehensive_voltage_rate", "voltage", _voltage_comprehensive),
    ]
    s += [simple(index, "reliability", _reliability(index)) for index in RELIABILITY_INDICES]
    units = {r.category: r.unit for r in data.equipment.records}
    for cat in units:  # in the order first seen
        unit = f", {units[cat]}" if units[cat] else ""
        for what, metric_id in (("intact", "equipment_intact_rate"), ("class1", "class1_share")):
            s.append(
                _Spec(
                    key=f"{metric_id}:{cat}",
                    metric=metric_id,
                    part=f"equipment:{what}:{cat}",
                    value=_ratio,
                    kind=stock,
                    scope=Text(cat + unit, cat + unit),
                )
            )
    return s


def _value(ctx: _Context, spec: _Spec, months: Sequence[Month]) -> KpiValue:
    """The KPI over ``months`` (parts summed), or the reason it cannot be computed."""
    parts: list[Part] = []
    for m in months:
        p = ctx.part(spec.part, m)
        if isinstance(p, str):
            if len(months) > 1:
                return KpiValue(reason=f"{m}: {p}")
            return KpiValue(reason=p)
        parts.append(p)
    try:
        return spec.value(ctx, _add(parts), months[-1])
    except GdsmodelError as exc:
        return KpiValue(reason=str(exc))


# ----------------------------------------------------------------------------- registry


def _station_registry(
    data: StationData, issues: list[StationDataError], targets_file: Path | None
) -> Registry:
    """The shipped registry with the station's grade, targets and targets file applied."""
    config = data.config
    reg = load_registry()
    overrides: list[dict[str, Any]] = []
    if config.grade is not None:
        for d in reg:
            if config.grade in [t.id for t in d.targets] and d.id not in config.targets:
                overrides.append({"metric": d.id, "default_target": config.grade})
    for metric_id, wanted in config.targets.items():
        if metric_id not in reg:
            issues.append(
                StationDataError(
                    f"unknown metric {metric_id!r}",
                    file="station.toml",
                    column=f"targets.{metric_id}",
                    allowed=", ".join(reg.ids()),
                )
            )
            continue
        d = reg.metric(metric_id)
        if wanted in [t.id for t in d.targets]:
            overrides.append({"metric": metric_id, "default_target": wanted})
            continue
        try:
            value = Decimal(wanted)
            if not value.is_finite():
                raise ValueError(wanted)
        except (ArithmeticError, ValueError):
            issues.append(
                StationDataError(
                    f"{wanted!r} is neither a target of {metric_id} nor a number",
                    file="station.toml",
                    column=f"targets.{metric_id}",
                    allowed=", ".join([t.id for t in d.targets] + [f"a value in {d.unit or '-'}"]),
                )
            )
            continue
        overrides.append(
            {
                "metric": metric_id,
                "default_target": "station",
                "targets": [
                    {
                        "id": "station",
                        "value": str(value),
                        "confidence": "H",
                        "source": {"document": "station.toml", "note": "the station's own target"},
                        "label": {"zh": "本所目标", "en": "station target"},
                    }
                ],
            }
        )
    if overrides:
        try:
            reg = reg.with_overrides({"overrides": overrides}, file="station.toml")
        except DataFileError as exc:  # pragma: no cover - the overrides are built above
            issues.append(StationDataError(exc.message, file="station.toml", column=exc.path))
    path = targets_file
    if path is None and config.targets_file:
        path = data.folder / config.targets_file
    if path is not None:
        try:
            reg = reg.with_overrides(path)
        except (DataFileError, OSError) as exc:
            message = exc.message if isinstance(exc, DataFileError) else str(exc)
            issues.append(
                StationDataError(
                    message, file=path.name, allowed="a targets file (registry format)"
                )
            )
    return reg


def _scheme(data: StationData, issues: list[StationDataError], scheme_file: Path | None) -> Scheme:
    path = scheme_file
    if path is None and data.config.scheme_file:
        path = data.folder / data.config.scheme_file
    if path is None:
        return default_scheme()
    try:
        return load_scheme(path)
    except DataFileError as exc:
        issues.append(
            StationDataError(
                f"{exc.message}; the default scheme is used",
                file=path.name,
                column=exc.path,
            )
        )
        return default_scheme()


# ----------------------------------------------------------------------------- sections


def _line_rows(ctx: _Context, month: Month) -> tuple[LossRow, ...]:
    from gdsmodel.metrics.power_factor import power_factor

    table = ctx.data.lines
    target_10kv = ctx.registry.metric("line_loss_rate_10kv").target
    lines: list[LossRow] = []
    if not table.problem(month):
        for r in ctx.of(table, month):
            loss = LineLoss(r.supplied_kwh, r.sold_kwh)
            pf = None
            if r.reactive_kvarh is not None and (r.supplied_kwh or r.reactive_kvarh):
                pf = power_factor(active_kwh=r.supplied_kwh, reactive_kvarh=r.reactive_kvarh)
            target = target_10kv if r.voltage == "10kV" else None
            lines.append(
                LossRow(
                    id=r.line,
                    name=r.name,
                    voltage=r.voltage,
                    supplied_kwh=r.supplied_kwh,
                    sold_kwh=r.sold_kwh,
                    rate=loss.ratio,
                    anomaly=loss.anomaly,
                    power_factor=pf,
                    verdict=target.verdict(loss.ratio) if target is not None else None,
                )
            )
    return tuple(lines)


def _area_rows(ctx: _Context, month: Month) -> tuple[LossRow, ...]:
    table = ctx.data.areas
    target_lv = ctx.registry.metric("line_loss_rate_lv").target
    areas: list[LossRow] = []
    if not table.problem(month):
        for a in ctx.of(table, month):
            loss = LineLoss(a.supplied_kwh, a.sold_kwh)
            areas.append(
                LossRow(
                    id=a.area,
                    name=a.area,
                    voltage="0.4kV",
                    supplied_kwh=a.supplied_kwh,
                    sold_kwh=a.sold_kwh,
                    rate=loss.ratio,
                    anomaly=loss.anomaly,
                    verdict=target_lv.verdict(loss.ratio) if target_lv is not None else None,
                    line=a.line,
                    customers=a.customers,
                )
            )
    return tuple(areas)


def _reliability_section(
    ctx: _Context, month: Month, trend_months: Sequence[Month]
) -> ReliabilitySection:
    monthly: list[tuple[Month, Mapping[OutageCause, Fraction] | None]] = []
    for m in trend_months:
        p = ctx.part("reliability", m)
        if isinstance(p, ReliabilityState):
            monthly.append((m, {c: p.totals(c).customer_hours for c in OutageCause}))
        else:
            monthly.append((m, None))
    state = ctx.part("reliability", month)
    if isinstance(state, str):
        return ReliabilitySection(reason=state, monthly_customer_hours=tuple(monthly))
    totals = {c: state.totals(c) for c in OutageCause}
    by_cause = tuple(
        (c, t.events, t.customer_interruptions, t.customer_hours, t.short_events)
        for c, t in totals.items()
    )
    rows: list[OutageRow] = []
    per_line: dict[str, list[Any]] = {}
    min_duration = state.min_duration
    for rec in ctx.data.outages.records:
        o: Outage = rec.outage
        clipped = o.clip(month)
        if clipped is None:
            continue
        counted = min_duration is None or o.duration >= min_duration
        ch = clipped.customer_hours if counted else Fraction(0)
        rows.append(
            OutageRow(
                id=o.id or "",
                line=o.line or "",
                area=o.area or "",
                start=o.start,
                end=o.end,
                hours=o.hours,
                customers_affected=o.customers_affected,
                cause=o.cause,
                customer_hours_in_month=ch,
                counted=counted,
                note=rec.note,
            )
        )
        acc = per_line.setdefault(o.line or "-", [0, 0, Fraction(0)])
        starts_here = month.contains(o.start)
        if counted and starts_here:
            acc[0] += 1
            acc[1] += o.customers_affected
        acc[2] += ch
    by_line = tuple(
        (line, int(v[0]), int(v[1]), Fraction(v[2]))
        for line, v in sorted(per_line.items(), key=lambda kv: (-kv[1][2], kv[0]))
    )
    return ReliabilitySection(
        customers=state.customers,
        by_cause=by_cause,
        by_line=by_line,
        outages=tuple(sorted(rows, key=lambda r: (r.start, r.id))),
        monthly_customer_hours=tuple(monthly),
    )


def _voltage_rows(ctx: _Context, month: Month) -> tuple[VoltageClassRow, ...]:
    p = ctx.part("voltage", month)
    if isinstance(p, str):
        return ()
    from gdsmodel.metrics.voltage import voltage_data

    weights: Mapping[MonitoringClass, Fraction]
    if ctx.data.config.voltage_weights:
        weights = {
            MonitoringClass(k): Fraction(v) for k, v in ctx.data.config.voltage_weights.items()
        }
    else:
        weights = voltage_data().weights.as_mapping()
    return tuple(
        VoltageClassRow(
            monitoring_class=c,
            points=p.points.get(c, 0),
            minutes=p.minutes[c],
            weight=weights.get(c, Fraction(0)),
        )
        for c in MonitoringClass
        if c in p.minutes
    )


def _assessment(
    ctx: _Context,
    scheme: Scheme,
    months: Sequence[Month],
    values: Mapping[Month, Mapping[str, KpiValue]],
    issues: list[StationDataError],
) -> tuple[dict[Month, tuple[AssessmentSheet, ...]], tuple[Ranking, ...]]:
    from gdsmodel.metrics.assessment import assess

    checks = ctx.data.checks
    known = {r.id: r for r in scheme.rules}
    allowed = ", ".join(r.id for r in scheme.rules if r.kind is RuleKind.CHECK)
    for c in checks.records:
        rule = known.get(c.rule)
        if rule is None:
            message = f"unknown rule {c.rule!r} of scheme {scheme.id}"
        elif rule.kind is not RuleKind.CHECK:
            message = f"rule {c.rule!r} is scored from its KPI, not from a check"
        else:
            continue
        issues.append(
            StationDataError(
                message,
                file=checks.file,
                row=c.row,
                column="rule",
                allowed=allowed,
                severity=Severity.WARNING,
            )
        )
    out: dict[Month, tuple[AssessmentSheet, ...]] = {}
    for m in months:
        kpis = values.get(m, {})
        problem = checks.problem(m)
        recorded: dict[str, Any] = {}  # rule -> the month's first check of it
        for c in () if problem else ctx.of(checks, m):
            recorded.setdefault(c.rule, c)
        sheets = []
        for owner in scheme.owners:
            evidence: dict[str, KpiEvidence | CheckEvidence | None] = {}
            notes: dict[str, str] = {}
            for rule in scheme.rules_for(owner):
                if rule.kind is RuleKind.KPI:
                    assert rule.metric is not None
                    v = kpis.get(rule.metric)
                    if v is None:
                        evidence[rule.id] = KpiEvidence(
                            Ratio(0, 0), note=f"the report does not compute {rule.metric}"
                        )
                    elif v.ratio is None:
                        evidence[rule.id] = KpiEvidence(Ratio(0, 0), note=v.reason)
                    else:
                        evidence[rule.id] = KpiEvidence(v.ratio, note=v.anomaly)
                else:
                    found = recorded.get(rule.id)
                    if found is not None:
                        evidence[rule.id] = CheckEvidence(found.passed, note=found.note)
                    else:
                        evidence[rule.id] = None
                        notes[rule.id] = problem or f"no check recorded for {m}"
            sheet = assess(scheme, owner, str(m), evidence)
            if notes:
                items = tuple(
                    attrs.evolve(i, note=notes[i.rule]) if i.rule in notes else i
                    for i in sheet.items
                )
                sheet = attrs.evolve(sheet, items=items)
            sheets.append(sheet)
        out[m] = tuple(sheets)
    ranking = year_end(s for m in months for s in out[m])
    return out, ranking


def _tools(data: StationData, month: Month, issues: list[StationDataError]) -> ToolsSection:
    nxt = month.next()
    on = _dt.date(nxt.start.year, nxt.start.month, nxt.start.day)
    if data.ledger is None:
        return ToolsSection(on=on, due_period=nxt, reason=f"no {data.config.ledger}")
    from gdsmodel.standards.safety_tools import Ledger

    try:
        ledger = Ledger.open(data.ledger, create=False)
    except GdsmodelError as exc:
        message = exc.message if isinstance(exc, DataFileError) else str(exc)
        where = exc.path if isinstance(exc, DataFileError) else None
        issues.append(StationDataError(message, file=data.ledger.name, column=where))
        return ToolsSection(on=on, due_period=nxt, reason=f"{data.ledger.name}: {message}")
    try:
        return ToolsSection(
            on=on,
            due_period=nxt,
            tools=len(ledger.serials()),
            due=ledger.due(nxt),
            overdue=ledger.overdue(on=on),
            unusable=ledger.unusable(on=on),
        )
    finally:
        ledger.close()


def _obligations(
    data: StationData, month: Month, issues: list[StationDataError]
) -> ObligationsSection:
    """The obligations of the coming month, from ``Standard.obligations`` (the calendar)."""
    from gdsmodel.standards.standard import load_standard

    nxt = month.next()
    config = data.config
    try:
        std = load_standard(data.folder / config.standard_file if config.standard_file else None)
    except GdsmodelError as exc:
        issues.append(StationDataError(str(exc), file=config.standard_file or "station.toml"))
        std = load_standard()
    owners = {p.id: p.name for p in std.posts} | {u.id: u.name for u in std.units}
    method = getattr(std, "obligations", None)
    if method is None:  # pragma: no cover - the calendar ships with the standard
        return ObligationsSection(
            period=nxt, owners=owners, reason="this build has no obligations calendar"
        )
    cal_config = None
    if config.calendar_file:
        from gdsmodel.standards.calendar import load_calendar_config

        try:
            cal_config = load_calendar_config(data.folder / config.calendar_file)
        except DataFileError as exc:
            issues.append(StationDataError(exc.message, file=config.calendar_file, column=exc.path))
    try:
        items = method(nxt, config=cal_config, triggers=False)
    except GdsmodelError as exc:
        return ObligationsSection(period=nxt, owners=owners, reason=str(exc))
    return ObligationsSection(period=nxt, items=tuple(items), owners=owners)


# ----------------------------------------------------------------------------- the report


def build_report(
    station: StationData | str | Path,
    month: Month | str,
    *,
    trend_months: int = 12,
    scheme_file: str | Path | None = None,
    targets_file: str | Path | None = None,
    progress: Progress | None = None,
) -> Report:
    """Compute the monthly report of a station folder (or of data already loaded).

    ``month`` is a :class:`~gdsmodel.periods.Month` or text (``2026-03``, ``2026年3月``).
    ``trend_months`` limits the trend to that many months up to ``month``. ``scheme_file``
    and ``targets_file`` replace those named in ``station.toml``. Data problems never raise:
    they are in :attr:`Report.issues`, and what could not be computed in :attr:`Report.gaps`.
    A month with no data at all raises :class:`~gdsmodel.errors.InputError`.

    >>> report = _demo_report()      # build_report(folder, "2026-03") of a small folder
    >>> report.kpi("rs1").format(report.kpi("rs1").month)
    '99.7312%'
    """
    say = progress or (lambda _: None)
    data = station if isinstance(station, StationData) else load_station(station, progress=say)
    tz = data.config.timezone
    if isinstance(month, str):
        month = Month.parse(month, tz=tz)
    elif month.tz != tz:
        month = Month(month.year.number, month.number, tz=tz)
    if trend_months < 1:
        raise InputError("must be at least 1", name="trend_months", value=trend_months)
    issues = list(data.issues)
    available = data.months
    if available and month not in available and not _any_problem(data, month):
        shown = f"{available[0]}..{available[-1]}"
        raise InputError(
            f"no data for {month} in {data.folder}",
            name="month",
            value=str(month),
            allowed=f"a month in the data: {shown}",
        )
    reg = _station_registry(data, issues, Path(targets_file) if targets_file else None)
    scheme = _scheme(data, issues, Path(scheme_file) if scheme_file else None)
    ctx = _Context(data, reg)
    earlier = [m for m in available if m < month]
    trend = tuple([*earlier[-(trend_months - 1) :], month] if trend_months > 1 else [month])
    ytd = tuple(m for m in (*earlier, month) if m.year == month.year)
    specs = _specs(data)
    per_month: dict[Month, dict[str, KpiValue]] = {}
    months_needed = sorted(set(trend) | set(ytd))
    for i, m in enumerate(months_needed, start=1):
        say(f"computing {m} ({i}/{len(months_needed)})")
        values: dict[str, KpiValue] = {}
        year = [x for x in sorted({*available, month}) if x.year == m.year and x <= m]
        for spec in specs:
            window = year if spec.kind is KpiKind.YEAR_TO_DATE else [m]
            values[spec.key] = _value(ctx, spec, window)
        per_month[m] = values
    rows: list[KpiRow] = []
    for spec in specs:
        d = reg.metric(spec.metric)
        value = per_month[month][spec.key]
        target = d.target
        verdict = target.verdict(value.value) if target is not None else None
        ytd_value = None
        if spec.kind is KpiKind.FLOW:
            ytd_value = _value(ctx, spec, ytd)
        rows.append(
            KpiRow(
                key=spec.key,
                metric=spec.metric,
                name=d.name,
                scope=spec.scope,
                unit=d.unit,
                kind=spec.kind,
                month=value,
                target=target,
                verdict=verdict,
                trend=tuple(per_month[m][spec.key] for m in trend),
                ytd=ytd_value,
                definition=d,
            )
        )
    say("line loss, reliability, voltage")
    lines = _line_rows(ctx, month)
    areas = _area_rows(ctx, month)
    lines_by_month = tuple((m, lines if m == month else _line_rows(ctx, m)) for m in trend)
    reliability = _reliability_section(ctx, month, trend)
    voltage = _voltage_rows(ctx, month)
    say("assessment")
    sheets_by_month, ranking = _assessment(ctx, scheme, ytd, per_month, issues)
    say("safety tools")
    tools = _tools(data, month, issues)
    say("obligations")
    obligations = _obligations(data, month, issues)
    gaps = [Gap(part=r.title, reason=r.month.reason) for r in rows if not r.month.defined]
    if tools.reason:
        gaps.append(Gap(part=Text("安全工器具", "safety tools"), reason=tools.reason))
    if obligations.reason:
        gaps.append(Gap(part=Text("下月工作", "obligations"), reason=obligations.reason))
    if reliability.reason:
        gaps.append(Gap(part=Text("供电可靠性", "reliability"), reason=reliability.reason))
    return Report(
        station=data.config.name,
        folder=data.folder.name,
        month=month,
        trend_months=trend,
        ytd_months=ytd,
        kpis=tuple(rows),
        lines=lines,
        areas=areas,
        lines_by_month=lines_by_month,
        reliability=reliability,
        voltage=voltage,
        scheme=scheme,
        sheets=sheets_by_month[month],
        ranking=ranking,
        owners=obligations.owners,
        tools=tools,
        obligations=obligations,
        issues=_dedupe(issues),
        gaps=tuple(gaps),
    )


_DEMO = {
    "station.toml": 'name = { zh = "演示", en = "Demo" }\n',
    "lines.csv": "month,line,voltage,supplied_kwh,sold_kwh\n2026-02,L1,10kV,400,390\n"
    "2026-03,L1,10kV,300,270\n2026-03,L2,10kV,100,110\n",
    "areas.csv": "month,area,line,supplied_kwh,sold_kwh,customers\n"
    "2026-02,A1,L1,100,95,10\n2026-03,A1,L1,100,96,10\n",
    "outages.csv": "id,line,start,end,customers_affected,cause\n"
    "O1,L1,2026-03-02 08:00,2026-03-02 10:00,10,planned\n",
    "voltage.csv": "month,point,class,monitored_minutes,above_upper_minutes,"
    "below_lower_minutes\n2026-03,D1,D,44640,0,100\n",
    "tickets.csv": "month,type,total,qualified\n2026-03,work,4,4\n",
    "rcd.csv": "month,area,required,installed,in_service,operations,correct\n"
    "2026-03,A1,3,3,3,3,3\n",
}


@functools.cache
def _demo_report() -> Report:
    """A small report for the examples in the docstrings (built once)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="gdsmodel-demo-"))
    for name, text in _DEMO.items():
        (folder / name).write_text(text, encoding="utf-8")
    return build_report(folder, "2026-03")


def _any_problem(data: StationData, month: Month) -> bool:
    """True when some file has bad rows that may belong to ``month``."""
    return any(None in t.bad_months or month in t.bad_months for t in data.tables)


def _dedupe(issues: Iterable[StationDataError]) -> tuple[StationDataError, ...]:
    seen: set[str] = set()
    out = []
    for i in issues:
        key = str(i)
        if key not in seen:
            seen.add(key)
            out.append(i)
    return tuple(out)
