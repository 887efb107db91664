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
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

import attrs

from gdsmodel import _show
from gdsmodel import plot as _plot
from gdsmodel import tables as _tables
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
from gdsmodel.metrics.reactive import power_factor_exact
from gdsmodel.metrics.registry import KpiKind, Registry, ReportSpec, load_registry
from gdsmodel.metrics.reliability import (
    CountingConvention,
    Outage,
    OutageCause,
    ReliabilityState,
    default_convention,
)
from gdsmodel.metrics.reliability import convention as get_convention
from gdsmodel.metrics.voltage import (
    MonitoringClass,
    VoltageMinutes,
)
from gdsmodel.periods import Month
from gdsmodel.report.inputs import (
    FileStatus,
    Severity,
    StationData,
    StationDataError,
    load_station,
)
from gdsmodel.report.kpis import (
    ClassMinutes,
    Context,
    KpiKey,
    KpiValue,
    breakdown_values,
    kpi_rows,
    of_ratio,
    value_over,
    window,
)
from gdsmodel.text import Text

__all__ = [
    "Gap",
    "KpiKey",
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


@attrs.frozen(slots=True, kw_only=True)
class KpiRow:
    """One KPI of the report: value of the month, target, verdict, trend and year to date.

        ``trend`` is aligned with :attr:`Report.trend_months`; ``key`` is the metric ID, or
        ``key`` names the metric and, for a breakdown row, the value of its breakdown column
    (``KpiKey("two_ticket_pass_rate", "work")``); ``spec`` is the registry's report spec.

        >>> row = _demo_report().kpi("line_loss_rate")
        >>> row.format(row.month), [row.format(v) for v in row.trend], row.format(row.ytd)
        ('5.00%', ['2.50%', '5.00%'], '3.75%')
    """

    key: KpiKey
    metric: str
    name: Text
    scope: Text
    unit: str
    kind: KpiKind
    spec: ReportSpec
    month: KpiValue
    target: Target | None
    verdict: Verdict | None
    trend: tuple[KpiValue, ...] = ()
    ytd: KpiValue | None = None
    definition: MetricDefinition | None = attrs.field(default=None, eq=False, repr=False)

    def __repr__(self) -> str:
        return _show.kpi_row_repr(self)

    @property
    def places(self) -> int:
        """Decimals shown (the registry's ``places``: 4 for the reliability rates).

        >>> _demo_report().kpi("rs3").places
        4
        """
        return self.spec.places

    @property
    def unit_text(self) -> Text:
        """The unit shown, per language (the registry's ``unit``, else the metric's).

        >>> _demo_report().kpi("aihc").unit_text
        Text(zh='h/customer', en='h/customer')
        """
        return self.spec.unit or Text(self.unit, self.unit)

    @property
    def title(self) -> Text:
        """The KPI's name, with its scope when it is a breakdown.

        >>> _demo_report().kpi("two_ticket_pass_rate", "work").title.en
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
    from gdsmodel.metrics.registry import default_registry, metric

    d = metric("meter_reading_rate")
    spec = default_registry().report(d.id)
    assert spec is not None
    return KpiRow(
        key=KpiKey(d.id),
        metric=d.id,
        name=d.name,
        scope=_EMPTY,
        unit=d.unit,
        kind=KpiKind.FLOW,
        spec=spec,
        month=of_ratio(Ratio(39, 40)),
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

    def __repr__(self) -> str:
        return _show.short_repr(self)


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

    def __repr__(self) -> str:
        return _show.short_repr(self)


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

    def __repr__(self) -> str:
        return _show.short_repr(self)


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

    def __repr__(self) -> str:
        return _show.short_repr(self)


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

    def __repr__(self) -> str:
        return _show.short_repr(self)


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

    Renderers (:mod:`gdsmodel.report`) only format what is here. ``convention`` is the
    counting convention the reliability indices were computed with.

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
    convention: CountingConvention = attrs.field(factory=default_convention)
    generated_by: str = "gdsmodel"
    data: StationData | None = attrs.field(default=None, eq=False, repr=False)
    registry: Registry | None = attrs.field(default=None, eq=False, repr=False)

    def __repr__(self) -> str:
        return _show.report_repr(self)

    def _repr_html_(self) -> str:
        return _show.report_html(self)

    def to_pandas(self, table: str = "kpis") -> _tables.PandasFrame:
        """A table as a pandas DataFrame: ``kpis``, ``trends``, ``sheets`` or ``ranking``."""
        return _tables.pandas_frame(self, table, ("kpis", "trends", "sheets", "ranking"))

    def to_polars(self, table: str = "kpis") -> _tables.PolarsFrame:
        """A table as a polars DataFrame: ``kpis``, ``trends``, ``sheets`` or ``ranking``."""
        return _tables.polars_frame(self, table, ("kpis", "trends", "sheets", "ranking"))

    def plot(self, metric: str, scope: str = "", *, lang: _plot.PlotLang = "both") -> _plot.Axes:
        """One KPI over the trend months: series, target, missed months (``gdsmodel[plot]``)."""
        return _plot.report_trend(self, metric, scope, lang=lang)

    @property
    def lines_by_month(self) -> tuple[tuple[Month, tuple[LossRow, ...]], ...]:
        """The line-loss rows of each trend month (computed when asked for).

        >>> [(str(m), len(rows)) for m, rows in _demo_report().lines_by_month]
        [('2026-02', 1), ('2026-03', 2)]
        """
        if self.data is None or self.registry is None:
            return ((self.month, self.lines),)
        ctx = Context(self.data, self.registry, self.convention)
        return tuple(
            (m, self.lines if m == self.month else _line_rows(ctx, m)) for m in self.trend_months
        )

    def kpi(self, metric: str | KpiKey, scope: str = "") -> KpiRow:
        """The KPI row of a metric (and of one value of its breakdown column).

        >>> _demo_report().kpi("two_ticket_pass_rate", "work").scope.en
        'work tickets'
        """
        key = metric if isinstance(metric, KpiKey) else KpiKey(metric, scope)
        for row in self.kpis:
            if row.key == key:
                return row
        from gdsmodel.errors import NotFoundError

        raise NotFoundError("KPI of the report", str(key), [str(r.key) for r in self.kpis])

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


# ----------------------------------------------------------------------------- registry


def _station_registry(
    data: StationData, issues: list[StationDataError], targets_file: Path | None, base: Registry
) -> Registry:
    """The registry with the station's grade, targets and targets file applied."""
    config = data.config
    reg = base
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


def _line_rows(ctx: Context, month: Month) -> tuple[LossRow, ...]:
    """The loss rows of the month's lines, read from the columns of ``lines.csv`` (the
    values of its records, without building them)."""
    table = ctx.data.lines
    target_10kv = ctx.registry.metric("line_loss_rate_10kv").target
    lines: list[LossRow] = []
    store = table.store
    if not table.problem(month) and store is not None:
        line, name, voltage, supplied, sold, reactive = (
            store.getter(c)
            for c in ("line", "name", "voltage", "supplied_kwh", "sold_kwh", "reactive_kvarh")
        )
        for i in table.positions(month):
            supplied_kwh, sold_kwh, reactive_kvarh = supplied(i), sold(i), reactive(i)
            loss = LineLoss(supplied_kwh, sold_kwh)
            rate = loss.ratio
            pf = None
            if reactive_kvarh is not None and (supplied_kwh or reactive_kvarh):
                pf = power_factor_exact(supplied_kwh, reactive_kvarh)
            target = target_10kv if voltage(i) == "10kV" else None
            lines.append(
                LossRow(
                    id=line(i),
                    name=name(i),
                    voltage=voltage(i),
                    supplied_kwh=supplied_kwh,
                    sold_kwh=sold_kwh,
                    rate=rate,
                    anomaly=loss.anomaly,
                    power_factor=pf,
                    verdict=target.verdict(rate) if target is not None else None,
                )
            )
    return tuple(lines)


def _area_rows(ctx: Context, month: Month) -> tuple[LossRow, ...]:
    """The loss rows of the month's transformer areas, read from the columns of
    ``areas.csv``."""
    table = ctx.data.areas
    target_lv = ctx.registry.metric("line_loss_rate_lv").target
    areas: list[LossRow] = []
    store = table.store
    if not table.problem(month) and store is not None:
        area, line, supplied, sold, customers = (
            store.getter(c) for c in ("area", "line", "supplied_kwh", "sold_kwh", "customers")
        )
        for i in table.positions(month):
            loss = LineLoss(supplied(i), sold(i))
            rate = loss.ratio
            areas.append(
                LossRow(
                    id=area(i),
                    name=area(i),
                    voltage="0.4kV",
                    supplied_kwh=loss.supplied_kwh,
                    sold_kwh=loss.sold_kwh,
                    rate=rate,
                    anomaly=loss.anomaly,
                    verdict=target_lv.verdict(rate) if target_lv is not None else None,
                    line=line(i),
                    customers=customers(i),
                )
            )
    return tuple(areas)


def _reliability_section(
    ctx: Context, month: Month, trend_months: Sequence[Month]
) -> ReliabilitySection:
    monthly: list[tuple[Month, Mapping[OutageCause, Fraction] | None]] = []
    for m in trend_months:
        p = ctx.state("reliability", m)
        if isinstance(p, ReliabilityState):
            monthly.append((m, {c: p.totals(c).customer_hours for c in OutageCause}))
        else:
            monthly.append((m, None))
    state = ctx.state("reliability", month)
    if not isinstance(state, ReliabilityState):
        reason = state if isinstance(state, str) else "not a reliability state"
        return ReliabilitySection(reason=reason, monthly_customer_hours=tuple(monthly))
    totals = {c: state.totals(c) for c in OutageCause}
    by_cause = tuple(
        (c, t.events, t.customer_interruptions, t.customer_hours, t.short_events)
        for c, t in totals.items()
    )
    rows: list[OutageRow] = []
    per_line: dict[str, list[Any]] = {}
    for rec in ctx.data.outages.records:
        o: Outage = rec.outage
        clipped = o.clip(month)
        if clipped is None:
            continue
        counted = o.is_sustained(state.convention)  # strictly longer than the threshold
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


def _voltage_rows(ctx: Context, month: Month) -> tuple[VoltageClassRow, ...]:
    p = ctx.state("voltage_classes", month)
    if not isinstance(p, ClassMinutes):
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
    ctx: Context,
    scheme: Scheme,
    months: Sequence[Month],
    values: Mapping[Month, Mapping[KpiKey, KpiValue]],
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
                    v = kpis.get(KpiKey(rule.metric))
                    if v is None:
                        evidence[rule.id] = KpiEvidence(
                            Ratio(0, 0), note=f"the report does not compute {rule.metric}"
                        )
                    elif v.ratio is None:
                        evidence[rule.id] = KpiEvidence(Ratio(0, 0), note=v.reason)
                    elif v.anomaly:  # an anomaly needs a look before it can score: not assessed
                        evidence[rule.id] = KpiEvidence(
                            Ratio(0, 0), note=f"not assessed: anomaly ({v.anomaly})"
                        )
                    else:
                        evidence[rule.id] = KpiEvidence(v.ratio)
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
    registry: Registry | None = None,
    convention: CountingConvention | str | None = None,
) -> Report:
    """Compute the monthly report of a station folder (or of data already loaded).

    ``month`` is a :class:`~gdsmodel.periods.Month` or text (``2026-03``, ``2026年3月``).
    ``trend_months`` limits the trend to that many months up to ``month``. ``scheme_file``
    and ``targets_file`` replace those named in ``station.toml``. ``registry`` replaces the
    shipped KPI definitions (for instance with more definition files:
    ``load_registry(extra=[path])``); the station's targets apply to it. ``convention`` is
    the counting convention of the reliability indices (a name such as ``"IEEE 1366"`` or
    an id); it replaces the one of ``station.toml`` (``[reliability] convention``), whose
    default is ``DL/T 836``; :attr:`Report.convention` says which one was used. Data
    problems never raise: they are in :attr:`Report.issues`, and what could not be computed
    in :attr:`Report.gaps`.
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
    broken = any(t.status is FileStatus.UNUSABLE or t.bad_months for t in data.tables)
    if not available and not broken:
        raise InputError(
            f"nothing to report: {data.folder.name} holds no station data",
            name="folder",
            value=str(data.folder),
            allowed="a station folder: station.toml and the files of docs/report.md "
            "(lines.csv, areas.csv, billing.csv ...)",
        )
    if available and month not in available and not _any_problem(data, month):
        shown = f"{available[0]}..{available[-1]}"
        raise InputError(
            f"no data for {month} in {data.folder}",
            name="month",
            value=str(month),
            allowed=f"a month in the data: {shown}",
        )
    reg = _station_registry(
        data, issues, Path(targets_file) if targets_file else None, registry or load_registry()
    )
    scheme = _scheme(data, issues, Path(scheme_file) if scheme_file else None)
    conv = get_convention(convention) if convention is not None else data.config.convention
    ctx = Context(data, reg, conv)
    earlier = [m for m in available if m < month]
    trend = tuple([*earlier[-(trend_months - 1) :], month] if trend_months > 1 else [month])
    ytd = tuple(m for m in (*earlier, month) if m.year == month.year)
    specs = kpi_rows(reg, breakdown_values(data, reg), conv)
    per_month: dict[Month, dict[KpiKey, KpiValue]] = {}
    months_needed = sorted(set(trend) | set(ytd))
    for i, m in enumerate(months_needed, start=1):
        say(f"computing {m} ({i}/{len(months_needed)})")
        values: dict[KpiKey, KpiValue] = {}
        year = [x for x in sorted({*available, month}) if x.year == m.year and x <= m]
        for spec in specs:
            values[spec.key] = value_over(ctx, spec, window(spec.spec.kind, m, year))
        per_month[m] = values
    rows: list[KpiRow] = []
    for spec in specs:
        d = reg.metric(spec.key.metric)
        value = per_month[month][spec.key]
        target = d.target
        verdict = target.verdict(value.value) if target is not None else None
        ytd_value = None
        if spec.spec.kind is KpiKind.FLOW:
            ytd_value = value_over(ctx, spec, ytd)
        rows.append(
            KpiRow(
                key=spec.key,
                metric=d.id,
                name=d.name,
                scope=spec.scope,
                unit=d.unit,
                kind=spec.spec.kind,
                spec=spec.spec,
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
        convention=conv,
        data=data,
        registry=reg,
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
