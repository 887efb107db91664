# ruff: noqa: RUF009  # column() declares an attrs field (with metadata), not a shared default
"""The tables of a station folder: one record class per file, its columns declared on its
fields (:func:`~gdsmodel.report.columns.column`), and the file's key and cross-column rules
(:class:`FileSchema`). Everything else about a file derives from here: the reader
(:mod:`gdsmodel.report.inputs`), its located errors, the docs page of the station folder
(``docs/report.md``, checked against these declarations by a test) and the JSON Schema of
the folder (:func:`~gdsmodel.report.inputs.json_schema`).

A new input column is one field with its :func:`~gdsmodel.report.columns.column` declaration
on the record class of its file (see ``docs/adding-a-kpi.md``).

>>> s = schema("areas")
>>> s.filename, [c.name for c in s.columns][:3], s.key
('areas.csv', ['month', 'area', 'line'], ('month', 'area'))
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from gdsmodel._show import short_repr
from gdsmodel.errors import InputError, NotFoundError
from gdsmodel.metrics.reliability import Outage, OutageCause
from gdsmodel.metrics.voltage import MonitoringClass
from gdsmodel.periods import Month
from gdsmodel.report.columns import Column, ColumnKind, column, columns_of
from gdsmodel.text import Text

__all__ = [
    "FILES",
    "AreaEnergy",
    "BillingRecord",
    "Check",
    "CheckRecord",
    "EquipmentRecord",
    "FileSchema",
    "LineEnergy",
    "OutageRecord",
    "RcdRecord",
    "TicketRecord",
    "TicketType",
    "VoltageRecord",
    "schema",
    "table_schemas",
]

_EMPTY = Text("")
Check = Callable[[Mapping[str, Any]], list[tuple[str, str, str]]]
"""A cross-column rule of a parsed row: ``(column, message, allowed)`` for each broken one."""


@attrs.frozen(slots=True, kw_only=True)
class FileSchema:
    """One station file: its record class (whose declared fields are its columns), its key
    and its cross-column rules.

    ``key`` lists the columns that identify a row (no two rows may share it); ``check``
    returns ``(column, message, allowed)`` for every broken rule of a parsed row;
    ``month_from`` names the date-time column whose month is the row's month, for a file
    without a ``month`` column (outages, by their start).
    """

    stem: str
    title: Text
    record: type
    key: tuple[str, ...] = ()
    check: Check | None = attrs.field(default=None, eq=False, hash=False)
    optional: bool = False
    rules: Text = _EMPTY
    month_from: str = ""

    def __repr__(self) -> str:
        return short_repr(self)

    @property
    def columns(self) -> tuple[Column, ...]:
        """The columns, from the record class's declarations."""
        return columns_of(self.record)

    @property
    def filename(self) -> str:
        """The CSV name of the file (``.xlsx`` is read too)."""
        return f"{self.stem}.csv"

    def column(self, name: str) -> Column:
        """The column with this name.

        >>> schema("voltage").column("class").field
        'monitoring_class'
        """
        for c in self.columns:
            if c.name == name:
                return c
        raise NotFoundError(f"column of {self.filename}", name, [c.name for c in self.columns])

    def build(
        self, values: Mapping[str, Any], *, row: int, month: Month | None, direct: bool = False
    ) -> Any:
        """The record of one parsed row (``values`` by column name), built by the one cattrs
        converter (:data:`gdsmodel.serialize.converter`): a choice column whose field is an
        enum becomes that enum. Raises what the record's own checks raise (the first
        :class:`~gdsmodel.errors.GdsmodelError` inside the converter's error, else a
        :class:`~gdsmodel.errors.DataFileError`).

        ``direct`` builds it without the converter: the reader's fast path, taken for the
        rows of a file once the converter built the file's first record and the direct path
        gave the same one (and property-tested to agree on any row).

        >>> r = schema("tickets").build({"month": Month(2026, 3), "type": "work", "total": 2,
        ...                              "qualified": 2}, row=2, month=None)
        >>> r.type
        <TicketType.WORK: 'work'>
        """
        fields: dict[str, Any] = {"row": row}
        if month is not None:
            fields["month"] = month
        if not direct:
            for name, field, _ in _fillers(self.record):
                fields[field] = values[name]
            return _structured(fields, self.record)
        for name, field, kind in _fillers(self.record):
            value = values[name]
            if kind is not None and value is not None:
                value = kind(value)
            fields[field] = value
        return self.record(**fields)


def _structured(fields: Mapping[str, Any], record: type) -> Any:
    """``converter.structure(fields, record)``, with the record's own error as it is."""
    import cattrs

    from gdsmodel.errors import GdsmodelError
    from gdsmodel.serialize import converter, structure

    try:
        return converter.structure(fields, record)
    except cattrs.BaseValidationError as exc:
        leaf: BaseException = exc
        while isinstance(leaf, BaseExceptionGroup) and leaf.exceptions:
            leaf = leaf.exceptions[0]
        if isinstance(leaf, GdsmodelError):
            raise leaf from None
        return structure(fields, record)  # raises the converter's error, translated


@functools.cache
def _fillers(record: type) -> tuple[tuple[str, str, type[enum.Enum] | None], ...]:
    """For each column of a record class: its name, its field and the enum the field is
    (None: the parsed value is kept), worked out once per class."""
    types = _field_types(record)
    out: list[tuple[str, str, type[enum.Enum] | None]] = []
    for c in columns_of(record):
        kind = types.get(c.field)
        is_enum = isinstance(kind, type) and issubclass(kind, enum.Enum)
        out.append((c.name, c.field, kind if is_enum else None))
    return tuple(out)


def _field_types(record: type) -> dict[str, Any]:
    attrs.resolve_types(record)
    return {f.name: f.type for f in attrs.fields(record)}


# ----------------------------------------------------------------------------- records

_MONTH = Text("月份", "month")


class TicketType(enum.StrEnum):
    """Work permits (工作票) and switching operation tickets (操作票).

    >>> TicketType("operation").value
    'operation'
    """

    WORK = "work"
    OPERATION = "operation"


_VOLTAGES = ("35kV", "20kV", "10kV", "6kV")
_CAUSE_ALIASES = {c.label.zh: c.value for c in OutageCause} | {
    "计划": "planned",
    "故障": "fault",
    "外部": "external",
    "限电": "supply_shortage",
}


@attrs.frozen(slots=True, kw_only=True)
class LineEnergy:
    """Energy of one line in one month (kWh); ``reactive_kvarh`` may be None.

    >>> LineEnergy(row=2, month=Month(2026, 3), line="L1", name="", voltage="10kV",
    ...            supplied_kwh=Fraction(100), sold_kwh=Fraction(93)).reactive_kvarh is None
    True
    """

    row: int
    month: Month = column("月份", ColumnKind.MONTH, description=_MONTH)
    line: str = column("线路", ColumnKind.ID)
    name: str = column("线路名称", ColumnKind.TEXT, required=False, default="")
    voltage: str = column(
        "电压等级",
        ColumnKind.CHOICE,
        choices=_VOLTAGES,
        aliases={"10": "10kV", "35": "35kV", "20": "20kV", "6": "6kV"},
    )
    supplied_kwh: Fraction = column("供电量", ColumnKind.NUMBER, "kWh")
    sold_kwh: Fraction = column("售电量", ColumnKind.NUMBER, "kWh")
    reactive_kvarh: Fraction | None = column(
        "无功电量", ColumnKind.NUMBER, "kvarh", required=False, default=None
    )


@attrs.frozen(slots=True, kw_only=True)
class AreaEnergy:
    """Energy and customers of one transformer area (台区) in one month.

    >>> AreaEnergy(row=2, month=Month(2026, 3), area="A1", line="L1", supplied_kwh=Fraction(10),
    ...            sold_kwh=Fraction(9), customers=4).customers
    4
    """

    row: int
    month: Month = column("月份", ColumnKind.MONTH, description=_MONTH)
    area: str = column("台区", ColumnKind.ID)
    line: str = column("线路", ColumnKind.ID)
    supplied_kwh: Fraction = column("供电量", ColumnKind.NUMBER, "kWh")
    sold_kwh: Fraction = column("售电量", ColumnKind.NUMBER, "kWh")
    customers: int = column("用户数", ColumnKind.COUNT, "customers")


@attrs.frozen(slots=True, kw_only=True)
class BillingRecord:
    """Meter reading and fees of one area in one month (money in yuan).

    >>> BillingRecord(row=2, month=Month(2026, 3), area="A1", meters_due=10, meters_read=10,
    ...               reading_errors=0, billed_yuan=Decimal("5.00"),
    ...               collected_yuan=Decimal("5.00")).arrears_collected_yuan
    Decimal('0.00')
    """

    row: int
    month: Month = column("月份", ColumnKind.MONTH, description=_MONTH)
    area: str = column("台区", ColumnKind.ID)
    meters_due: int = column("应抄户数", ColumnKind.COUNT, "meters")
    meters_read: int = column("实抄户数", ColumnKind.COUNT, "meters")
    reading_errors: int = column("差错户数", ColumnKind.COUNT, "readings")
    billed_yuan: Decimal = column("应收电费", ColumnKind.YUAN, "yuan")
    collected_yuan: Decimal = column("实收电费", ColumnKind.YUAN, "yuan")
    arrears_collected_yuan: Decimal = column(
        "回收陈欠", ColumnKind.YUAN, "yuan", required=False, default=Decimal("0.00")
    )
    remitted_yuan: Decimal | None = column(
        "上缴电费", ColumnKind.YUAN, "yuan", required=False, default=None
    )


@attrs.frozen(slots=True, kw_only=True)
class OutageRecord:
    """One row of ``outages.csv`` and the :class:`~gdsmodel.metrics.reliability.Outage` it
    makes (built, and so validated, with the record).

    ``month`` is the month, in the station's time zone, where the outage starts.

    >>> import pendulum
    >>> start = pendulum.datetime(2026, 3, 31, 23, tz="Asia/Shanghai")
    >>> r = OutageRecord(row=2, month=Month.of(start), line="L1", start=start,
    ...                  end=start.add(hours=2), customers_affected=5, cause="fault")
    >>> str(r.month), r.outage.id, r.outage.hours
    ('2026-03', 'row 2', Fraction(2, 1))
    """

    row: int
    month: Month
    id: str = column("编号", ColumnKind.ID, required=False, default="")
    line: str = column("线路", ColumnKind.ID)
    area: str = column("台区", ColumnKind.TEXT, required=False, default="")
    start: _dt.datetime = column("停电时间", ColumnKind.DATETIME)
    end: _dt.datetime = column("送电时间", ColumnKind.DATETIME)
    customers_affected: int = column("停电户数", ColumnKind.COUNT, "customers")
    cause: str = column(
        "停电性质",
        ColumnKind.CHOICE,
        choices=tuple(c.value for c in OutageCause),
        aliases=_CAUSE_ALIASES,
    )
    note: str = column("备注", ColumnKind.TEXT, required=False, default="")
    outage: Outage = attrs.field(init=False, eq=False, repr=False)

    def __repr__(self) -> str:
        return short_repr(self)

    def __attrs_post_init__(self) -> None:
        outage = Outage(
            start=self.start,
            end=self.end,
            customers_affected=self.customers_affected,
            cause=self.cause,
            id=self.id or f"row {self.row}",
            line=self.line,
            area=self.area or None,
        )
        object.__setattr__(self, "outage", outage)


@attrs.frozen(slots=True, kw_only=True)
class VoltageRecord:
    """Minutes of one voltage monitoring point in one month.

    >>> VoltageRecord(row=2, month=Month(2026, 3), point="D1", monitoring_class=MonitoringClass.D,
    ...               monitored_minutes=Fraction(44640), above_upper_minutes=Fraction(0),
    ...               below_lower_minutes=Fraction(10)).point
    'D1'
    """

    row: int
    month: Month = column("月份", ColumnKind.MONTH, description=_MONTH)
    point: str = column("监测点", ColumnKind.ID)
    monitoring_class: MonitoringClass = column(
        "类别",
        ColumnKind.CHOICE,
        name="class",
        choices=tuple(c.value for c in MonitoringClass),
        aliases={f"{c.value}类": c.value for c in MonitoringClass},
    )
    monitored_minutes: Fraction = column("监测时间", ColumnKind.NUMBER, "min")
    above_upper_minutes: Fraction = column("超上限时间", ColumnKind.NUMBER, "min")
    below_lower_minutes: Fraction = column("超下限时间", ColumnKind.NUMBER, "min")


@attrs.frozen(slots=True, kw_only=True)
class TicketRecord:
    """Tickets of one type executed in one month, and how many were qualified.

    >>> TicketRecord(row=2, month=Month(2026, 3), type=TicketType.WORK, total=5,
    ...              qualified=5).type.value
    'work'
    """

    row: int
    month: Month = column("月份", ColumnKind.MONTH, description=_MONTH)
    type: TicketType = column(
        "票种",
        ColumnKind.CHOICE,
        choices=tuple(t.value for t in TicketType),
        aliases={"工作票": "work", "操作票": "operation"},
    )
    total: int = column("执行张数", ColumnKind.COUNT, "tickets")
    qualified: int = column("合格张数", ColumnKind.COUNT, "tickets")


@attrs.frozen(slots=True, kw_only=True)
class RcdRecord:
    """Residual current devices of one area (or the station) in one month.

    >>> RcdRecord(row=2, month=Month(2026, 3), area="A1", required=4, installed=4,
    ...           in_service=4, operations=5, correct=5).required
    4
    """

    row: int
    month: Month = column("月份", ColumnKind.MONTH, description=_MONTH)
    area: str = column("台区", ColumnKind.ID)
    required: int = column("应装台数", ColumnKind.COUNT, "devices")
    installed: int = column("实装台数", ColumnKind.COUNT, "devices")
    in_service: int = column("投运台数", ColumnKind.COUNT, "devices")
    operations: int = column("动作次数", ColumnKind.COUNT, "operations")
    correct: int = column("正确动作次数", ColumnKind.COUNT, "operations")


@attrs.frozen(slots=True, kw_only=True)
class EquipmentRecord:
    """Equipment rated class 1/2/3 in one category and month (km, units or kVA).

    >>> EquipmentRecord(row=2, month=Month(2026, 3), category="lines", unit="km",
    ...                 class1=Fraction(90), class2=Fraction(8), class3=Fraction(2)).unit
    'km'
    """

    row: int
    month: Month = column("月份", ColumnKind.MONTH, description=_MONTH)
    category: str = column("设备类别", ColumnKind.ID)
    unit: str = column("单位", ColumnKind.TEXT, required=False, default="")
    class1: Fraction = column("一类", ColumnKind.NUMBER)
    class2: Fraction = column("二类", ColumnKind.NUMBER)
    class3: Fraction = column("三类", ColumnKind.NUMBER)


@attrs.frozen(slots=True, kw_only=True)
class CheckRecord:
    """The outcome of a check rule of the assessment scheme in one month.

    >>> CheckRecord(row=2, month=Month(2026, 3), rule="x.y", passed=True).note
    ''
    """

    row: int
    month: Month = column("月份", ColumnKind.MONTH, description=_MONTH)
    rule: str = column("考核项", ColumnKind.ID)
    passed: bool = column("是否合格", ColumnKind.BOOL)
    note: str = column("说明", ColumnKind.TEXT, required=False, default="")


# ----------------------------------------------------------------------------- cross checks


def _ratio_check(metric_id: str, columns: Mapping[str, str]) -> Check:
    """A check that runs the registry's own validation of a KPI's inputs on a row.

    ``columns`` maps the metric's inputs to the row's columns; the registry's message is
    shown with column names.
    """

    def rename(text: str) -> str:
        for i, c in sorted(columns.items(), key=lambda kv: -len(kv[0])):
            text = re.sub(rf"\b{re.escape(i)}\b", c, text)
        return text

    rule: list[Any] = []  # the metric's (numerator, denominator, signed, bounded), once

    def holds(values: Mapping[str, Any]) -> bool:
        """The registry's rule on exact values >= 0, without building any text."""
        if not rule:
            from gdsmodel.metrics.registry import metric

            d = metric(metric_id)
            rule.extend(
                (
                    tuple((columns[n], c) for n, c in d.numerator.items()),
                    tuple((columns[n], c) for n, c in d.denominator.items()),
                    d.signed,
                    d.bounded,
                )
            )
        num_terms, den_terms, signed, bounded = rule
        num = sum(c * values[col] for col, c in num_terms)
        den = sum(c * values[col] for col, c in den_terms)
        return den >= 0 and (signed or num >= 0) and (not bounded or num <= den)

    def check(values: Mapping[str, Any]) -> list[tuple[str, str, str]]:
        if all(
            type(values[c]) in (int, Fraction) and values[c] >= 0 for c in columns.values()
        ) and (holds(values)):
            return []  # the fast path: the registry's validation (below) would accept it
        from gdsmodel.metrics.registry import metric

        try:
            metric(metric_id).ratio(**{i: values[c] for i, c in columns.items()})
        except InputError as exc:
            full = str(exc)
            prefix = f"{exc.name}={exc.value!r}: " if exc.name is not None else ""
            suffix = f" (allowed: {exc.allowed})" if exc.allowed else ""
            core = full
            if full.startswith(prefix) and full.endswith(suffix):
                core = full[len(prefix) : len(full) - len(suffix)]
            column = columns.get(exc.name or "", "")
            shown = _show(values[column]) + " " if column else ""
            return [(column, shown + rename(core), rename(exc.allowed))]
        return []

    return check


def _show(value: Any) -> str:
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else str(float(value))
    return str(value)


def _all(*checks: Check) -> Check:
    def check(values: Mapping[str, Any]) -> list[tuple[str, str, str]]:
        for c in checks:
            found = c(values)
            if found:
                return found
        return []

    return check


def _month_minutes(values: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    month = values["month"]
    limit = month.days * 1440
    if values["monitored_minutes"] > limit:
        return [
            (
                "monitored_minutes",
                f"{_show(values['monitored_minutes'])} exceeds the minutes in {month}",
                f"at most {limit}",
            )
        ]
    return []


def _voltage_minutes(values: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    above, below = values["above_upper_minutes"], values["below_lower_minutes"]
    if above + below > values["monitored_minutes"]:
        return [
            (
                "above_upper_minutes",
                f"above_upper_minutes + below_lower_minutes = {_show(above + below)} exceeds "
                f"monitored_minutes = {_show(values['monitored_minutes'])}",
                "above_upper_minutes + below_lower_minutes <= monitored_minutes",
            )
        ]
    return []


def _outage_times(values: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    start, end = values["start"], values["end"]
    if end <= start:
        return [
            (
                "end",
                f"{end.isoformat()} is not after the start {start.isoformat()}",
                "an end later than the start",
            )
        ]
    return []


# ----------------------------------------------------------------------------- schemas

FILES: tuple[FileSchema, ...] = (
    FileSchema(
        stem="lines",
        title=Text("线路电量", "Line energy"),
        record=LineEnergy,
        key=("month", "line"),
        rules=Text(
            "售电量可大于供电量(负线损,标为异常)",
            "sold may exceed supplied (negative loss, flagged as an anomaly)",
        ),
    ),
    FileSchema(
        stem="areas",
        title=Text("台区电量", "Transformer-area energy"),
        record=AreaEnergy,
        key=("month", "area"),
    ),
    FileSchema(
        stem="billing",
        title=Text("抄表与电费", "Meter reading and fees"),
        record=BillingRecord,
        key=("month", "area"),
        check=_all(
            _ratio_check("meter_reading_rate", {"read": "meters_read", "due": "meters_due"}),
            _ratio_check(
                "reading_error_rate", {"errors": "reading_errors", "readings": "meters_read"}
            ),
        ),
        rules=Text(
            "实抄 ≤ 应抄;差错 ≤ 实抄", "meters_read <= meters_due; reading_errors <= meters_read"
        ),
    ),
    FileSchema(
        stem="outages",
        title=Text("停电事件", "Outages"),
        record=OutageRecord,
        month_from="start",
        key=("id",),
        check=_outage_times,
        rules=Text("送电时间晚于停电时间", "end later than start"),
    ),
    FileSchema(
        stem="voltage",
        title=Text("电压监测", "Voltage monitoring"),
        record=VoltageRecord,
        key=("month", "point"),
        check=_all(
            _month_minutes,
            _voltage_minutes,
        ),
        rules=Text(
            "超上限 + 超下限 ≤ 监测时间 ≤ 当月分钟数",
            "above + below <= monitored <= minutes in the month",
        ),
    ),
    FileSchema(
        stem="tickets",
        title=Text("两票", "Work and operation tickets"),
        record=TicketRecord,
        key=("month", "type"),
        check=_ratio_check("two_ticket_pass_rate", {"qualified": "qualified", "total": "total"}),
        rules=Text("合格 ≤ 执行", "qualified <= total"),
    ),
    FileSchema(
        stem="rcd",
        title=Text("剩余电流动作保护器", "Residual current devices"),
        record=RcdRecord,
        key=("month", "area"),
        check=_all(
            _ratio_check(
                "rcd_installation_rate", {"installed": "installed", "required": "required"}
            ),
            _ratio_check(
                "rcd_in_service_rate", {"in_service": "in_service", "installed": "installed"}
            ),
            _ratio_check(
                "rcd_correct_operation_rate", {"correct": "correct", "operations": "operations"}
            ),
        ),
        rules=Text(
            "实装 ≤ 应装;投运 ≤ 实装;正确动作 ≤ 动作",
            "installed <= required; in_service <= installed; correct <= operations",
        ),
    ),
    FileSchema(
        stem="equipment",
        title=Text("设备评级", "Equipment rating"),
        record=EquipmentRecord,
        key=("month", "category"),
        optional=True,
    ),
    FileSchema(
        stem="checks",
        title=Text("考核检查项", "Assessment checks"),
        record=CheckRecord,
        key=("month", "rule"),
        optional=True,
    ),
)

_BY_STEM = {s.stem: s for s in FILES}


def schema(stem: str) -> FileSchema:
    """The schema of a station file by its stem (``lines``, ``areas``...).

    >>> schema("outages").column("cause").choices
    ('planned', 'fault', 'external', 'supply_shortage')
    """
    try:
        return _BY_STEM[stem]
    except KeyError:
        raise NotFoundError("station file", stem, _BY_STEM) from None


# ----------------------------------------------------------------------------- JSON Schema

_JSON_TYPES: Mapping[ColumnKind, dict[str, Any]] = {
    ColumnKind.MONTH: {"type": "string", "examples": ["2026-03", "2026年3月"]},
    ColumnKind.ID: {"type": "string", "minLength": 1},
    ColumnKind.TEXT: {"type": "string"},
    ColumnKind.COUNT: {"type": "integer", "minimum": 0},
    ColumnKind.NUMBER: {"type": "number", "minimum": 0},
    ColumnKind.YUAN: {"type": "number", "minimum": 0},
    ColumnKind.DATETIME: {"type": "string", "examples": ["2026-03-05 14:30"]},
    ColumnKind.BOOL: {"type": "boolean"},
}


def _column_schema(c: Column) -> dict[str, Any]:
    if c.kind is ColumnKind.CHOICE:
        out: dict[str, Any] = {"type": "string", "enum": list(c.choices)}
    else:
        out = dict(_JSON_TYPES[c.kind])
    bounds = c.bounds
    if bounds is not None:
        out["maximum"] = int(bounds[0]) if bounds[0] == int(bounds[0]) else float(bounds[0])
    out["title"] = c.zh
    if c.unit:
        out["x-unit"] = c.unit
    out["x-kind"] = c.kind.value
    if c.aliases:
        out["x-aliases"] = dict(c.aliases)
    return out


def table_schemas() -> dict[str, Any]:
    """The JSON Schema of each station file (an array of row objects), by stem, derived from
    the record classes' declarations (numbers as numbers, as a program hands them over).

    >>> s = table_schemas()
    >>> s["tickets"]["items"]["properties"]["type"]["enum"]
    ['work', 'operation']
    >>> s["lines"]["items"]["required"][:2]
    ['month', 'line']
    """
    props: dict[str, Any] = {}
    for spec in FILES:
        cols = spec.columns
        props[spec.stem] = {
            "title": spec.title.zh,
            "description": f"{spec.title.en} ({spec.filename} or {spec.stem}.xlsx)"
            + (f"; rules: {spec.rules.en}" if spec.rules.en else ""),
            "type": "array",
            "items": {
                "type": "object",
                "properties": {c.name: _column_schema(c) for c in cols},
                "required": [c.name for c in cols if c.required],
                "additionalProperties": False,
                **({"x-key": list(spec.key)} if spec.key else {}),
            },
        }
    return props
