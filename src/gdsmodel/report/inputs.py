"""Station data in: the folder layout, the schema of every file, and validation.

One folder holds a station's data for a range of months (see ``docs/report.md``)::

    station.toml          name, time zone, grade, targets, customers, arrears (optional)
    lines.csv             energy supplied and sold per line and month (10 kV feeders)
    areas.csv             energy supplied and sold, customers, per transformer area and month
    billing.csv           meters due/read, reading errors, yuan billed/collected per area and month
    outages.csv           supply interruptions: start, end, customers affected, cause, line
    voltage.csv           voltage monitoring points: class A-D, minutes monitored/above/below
    tickets.csv           work and operation tickets: total and qualified per month
    rcd.csv               residual current devices: required/installed/in service, operations
    equipment.csv         equipment rating: class 1/2/3 quantities per category (optional)
    checks.csv            pass/fail checks of the assessment scheme (optional)
    safety_tools.json     the safety-tool ledger (gdsmodel.standards.safety_tools)

Each table may be CSV (UTF-8, with or without BOM) or Excel (``.xlsx``, first sheet or
the sheet named like the file; needs the ``excel`` extra). The first row names the
columns, in English or in Chinese (``month`` or ``月份``). Every cell is checked against
its column; a bad row becomes a :class:`StationDataError` naming the file, the row (the
spreadsheet row number: the header is row 1), the column and what is allowed, and is left
out. Reading a folder never raises for bad data: :func:`load_station` collects the errors.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "tickets.csv").write_text(
...     "month,type,total,qualified\\n2026-03,work,20,20\\n2026-03,operation,30,31\\n",
...     encoding="utf-8")
>>> data = load_station(d)
>>> [str(e) for e in data.errors]  # doctest: +NORMALIZE_WHITESPACE
['tickets.csv: row 3, column qualified: 31 exceeds the denominator total = 30
  (allowed: qualified <= total)']
>>> [(str(t.month), t.type.value, t.total) for t in data.tickets.records]
[('2026-03', 'work', 20)]
"""

from __future__ import annotations

import csv
import datetime as _dt
import enum
import functools
import io
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Generic, TypeVar

import attrs
import pendulum

from gdsmodel.datafiles import parse_toml
from gdsmodel.errors import DataFileError, GdsmodelError, InputError, ParseError
from gdsmodel.metrics.reliability import Outage, OutageCause
from gdsmodel.metrics.voltage import MonitoringClass
from gdsmodel.money import yuan
from gdsmodel.periods import DEFAULT_TZ, Month
from gdsmodel.serialize import structure
from gdsmodel.text import Text

__all__ = [
    "FILES",
    "STATION_FORMAT",
    "AreaEnergy",
    "BillingRecord",
    "CheckRecord",
    "Column",
    "ColumnKind",
    "EquipmentRecord",
    "FileSchema",
    "FileStatus",
    "LineEnergy",
    "OutageRecord",
    "RcdRecord",
    "Severity",
    "StationConfig",
    "StationData",
    "StationDataError",
    "Table",
    "TicketRecord",
    "TicketType",
    "VoltageRecord",
    "load_station",
    "schema",
]

STATION_FORMAT = "gdsmodel.station/1"
"""The ``format`` tag of ``station.toml``."""

R = TypeVar("R")
_EMPTY = Text("")


# ----------------------------------------------------------------------------- errors


class Severity(enum.StrEnum):
    """An error leaves data out; a warning only says something looks wrong.

    >>> [s.value for s in Severity]
    ['error', 'warning']
    """

    ERROR = "error"
    WARNING = "warning"


class StationDataError(DataFileError):
    """A problem in one of a station's files: which file, row and column, and what is allowed.

    ``row`` is the spreadsheet row (the header is row 1), ``column`` the column name;
    either may be None for a problem with the whole file. ``month`` is the month of the
    row when it could be read (a bad row taints the KPIs of that month only).

    >>> err = StationDataError("'abc' is not a number", file="areas.csv", row=7,
    ...                        column="sold_kwh", allowed="a number >= 0 (kWh)")
    >>> print(err)
    areas.csv: row 7, column sold_kwh: 'abc' is not a number (allowed: a number >= 0 (kWh))
    >>> isinstance(err, DataFileError), err.severity.value
    (True, 'error')
    """

    def __init__(
        self,
        message: str,
        *,
        file: str,
        row: int | None = None,
        column: str | None = None,
        allowed: str = "",
        severity: Severity = Severity.ERROR,
        month: Month | None = None,
    ) -> None:
        self.row = row
        self.column = column
        self.allowed = allowed
        self.severity = severity
        self.month = month
        super().__init__(message, file=file, line=row, path=column)

    def __str__(self) -> str:
        where = [self.file or ""]
        cell = ", ".join(
            p
            for p in (
                f"row {self.row}" if self.row is not None else "",
                f"column {self.column}" if self.column else "",
            )
            if p
        )
        if cell:
            where.append(cell)
        tail = f" (allowed: {self.allowed})" if self.allowed else ""
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return ": ".join([*where, f"{prefix}{self.message}{tail}"])

    def to_data(self) -> dict[str, Any]:
        """Plain JSON-ready data.

        >>> StationDataError("bad", file="x.csv", row=2).to_data()["row"]
        2
        """
        return {
            "severity": self.severity.value,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "allowed": self.allowed,
            "month": str(self.month) if self.month is not None else None,
        }


class _CellError(Exception):
    def __init__(self, message: str, allowed: str) -> None:
        super().__init__(message)
        self.message = message
        self.allowed = allowed


# ----------------------------------------------------------------------------- columns


class ColumnKind(enum.StrEnum):
    """What a column holds, and so how its cells are read.

    >>> ColumnKind("yuan").name
    'YUAN'
    """

    MONTH = "month"  # 2026-03 or 2026年3月
    ID = "id"  # a non-empty label
    TEXT = "text"  # free text, may be empty
    COUNT = "count"  # a whole number >= 0
    NUMBER = "number"  # a decimal number >= 0 (kWh, minutes, km...)
    YUAN = "yuan"  # money: a decimal number >= 0, rounded half-up to the fen
    DATETIME = "datetime"  # ISO 8601; without an offset: local time of the station
    CHOICE = "choice"  # one of a fixed set of values
    BOOL = "bool"  # yes/no


_ALLOWED = {
    ColumnKind.MONTH: "a month such as 2026-03 or 2026年3月",
    ColumnKind.ID: "a non-empty name or code",
    ColumnKind.TEXT: "any text",
    ColumnKind.COUNT: "a whole number >= 0",
    ColumnKind.NUMBER: "a number >= 0 without thousands separators, e.g. 1234.5",
    ColumnKind.YUAN: "an amount >= 0 in yuan, e.g. 1234.56",
    ColumnKind.DATETIME: "a date and time such as 2026-03-05 14:30 or 2026-03-05T14:30+08:00",
    ColumnKind.BOOL: "yes/no, true/false, 1/0, pass/fail, 是/否, 合格/不合格",
}

_TRUE = {"yes", "y", "true", "t", "1", "pass", "passed", "是", "合格", "通过", "√"}
_FALSE = {"no", "n", "false", "f", "0", "fail", "failed", "否", "不合格", "未通过", "×"}
_NUMBER = re.compile(r"[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_COUNT = re.compile(r"[+]?\d+")


def _norm_choice(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


@attrs.frozen(slots=True, kw_only=True)
class Column:
    """One column of a station file: name (English and Chinese), kind, unit and rules.

    ``choices`` are the allowed values of a CHOICE column; ``aliases`` map other spellings
    (Chinese names, ``10 kV``) to them. ``attr`` is the record field when it differs from
    the name. ``default`` is used when an optional column is absent or a cell is empty.

    >>> c = Column(name="cause", zh="原因", kind=ColumnKind.CHOICE,
    ...            choices=("planned", "fault"), aliases={"计划停电": "planned"})
    >>> c.parse("计划停电", tz="Asia/Shanghai"), c.allowed
    ('planned', 'planned, fault')
    """

    name: str
    zh: str
    kind: ColumnKind
    unit: str = ""
    required: bool = True
    choices: tuple[str, ...] = ()
    aliases: Mapping[str, str] = attrs.field(factory=dict, hash=False)
    default: Any = None
    attr: str = ""
    description: Text = _EMPTY

    @property
    def field(self) -> str:
        """The record field the column fills."""
        return self.attr or self.name

    @property
    def allowed(self) -> str:
        """What the column accepts, for error messages."""
        if self.kind is ColumnKind.CHOICE:
            return ", ".join(self.choices)
        text = _ALLOWED[self.kind]
        return f"{text} ({self.unit})" if self.unit else text

    def parse(self, text: str, *, tz: str) -> Any:
        """The value of one cell; raises an internal cell error when it is not allowed."""
        s = text.strip()
        if not s:
            if self.required or self.kind in (ColumnKind.ID, ColumnKind.MONTH):
                if self.default is not None:
                    return self.default
                raise _CellError("is empty", self.allowed)
            return self.default
        k = self.kind
        if k is ColumnKind.MONTH:
            month = _month(s, tz)
            if month is None:
                raise _CellError(f"{s!r} is not a month", self.allowed)
            return month
        if k is ColumnKind.ID:
            if any(ord(ch) < 32 for ch in s):
                raise _CellError(f"{s!r} holds control characters", self.allowed)
            return s
        if k is ColumnKind.TEXT:
            return s
        if k is ColumnKind.COUNT:
            if not _COUNT.fullmatch(s):
                raise _CellError(f"{s!r} is not a whole number >= 0", self.allowed)
            return int(s)
        if k in (ColumnKind.NUMBER, ColumnKind.YUAN):
            if s.startswith("-") and _NUMBER.fullmatch(s[1:]):
                raise _CellError(f"{s} is negative", self.allowed)
            if not _NUMBER.fullmatch(s):
                raise _CellError(f"{s!r} is not a number", self.allowed)
            d = Decimal(s)
            if k is ColumnKind.YUAN:
                return yuan(d)
            return Fraction(d)
        if k is ColumnKind.DATETIME:
            return _parse_datetime(s, tz, self.allowed)
        if k is ColumnKind.CHOICE:
            key = _norm_choice(s)
            for choice in self.choices:
                if _norm_choice(choice) == key:
                    return choice
            for alias, choice in self.aliases.items():
                if _norm_choice(alias) == key:
                    return choice
            raise _CellError(f"{s!r} is not an allowed value", self.allowed)
        # BOOL
        low = s.casefold()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise _CellError(f"{s!r} is not yes or no", self.allowed)


@functools.lru_cache(maxsize=1024)
def _month(text: str, tz: str) -> Month | None:
    """A month from text, cached (a file repeats the same few months); None if not one."""
    try:
        return Month.parse(text, tz=tz)
    except ParseError:
        return None


def _parse_datetime(s: str, tz: str, allowed: str) -> _dt.datetime:
    try:
        value = _dt.datetime.fromisoformat(s)
    except ValueError:
        raise _CellError(f"{s!r} is not a date and time", allowed) from None
    if value.tzinfo is None:
        return pendulum.datetime(
            value.year,
            value.month,
            value.day,
            value.hour,
            value.minute,
            value.second,
            value.microsecond,
            tz=tz,
        )
    return value


Check = Callable[[Mapping[str, Any]], list[tuple[str, str, str]]]


@attrs.frozen(slots=True, kw_only=True)
class FileSchema:
    """The schema of one station file: its columns, its key and its cross-column rules.

    ``key`` lists the columns that identify a row (no two rows may share it); ``check``
    returns ``(column, message, allowed)`` for every broken rule of a parsed row.

    >>> s = schema("areas")
    >>> s.filename, [c.name for c in s.columns][:3], s.key
    ('areas.csv', ['month', 'area', 'line'], ('month', 'area'))
    """

    stem: str
    title: Text
    record: type
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    check: Check | None = attrs.field(default=None, eq=False, hash=False)
    optional: bool = False
    rules: Text = _EMPTY

    @property
    def filename(self) -> str:
        """The CSV name of the file (``.xlsx`` is read too)."""
        return f"{self.stem}.csv"

    def column(self, name: str) -> Column:
        """The column with this name."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


# ----------------------------------------------------------------------------- records


class TicketType(enum.StrEnum):
    """Work permits (工作票) and switching operation tickets (操作票).

    >>> TicketType("operation").value
    'operation'
    """

    WORK = "work"
    OPERATION = "operation"


@attrs.frozen(slots=True, kw_only=True)
class LineEnergy:
    """Energy of one line in one month (kWh); ``reactive_kvarh`` may be None.

    >>> LineEnergy(row=2, month=Month(2026, 3), line="L1", name="", voltage="10kV",
    ...            supplied_kwh=Fraction(100), sold_kwh=Fraction(93)).reactive_kvarh is None
    True
    """

    row: int
    month: Month
    line: str
    name: str
    voltage: str
    supplied_kwh: Fraction
    sold_kwh: Fraction
    reactive_kvarh: Fraction | None = None


@attrs.frozen(slots=True, kw_only=True)
class AreaEnergy:
    """Energy and customers of one transformer area (台区) in one month.

    >>> AreaEnergy(row=2, month=Month(2026, 3), area="A1", line="L1", supplied_kwh=Fraction(10),
    ...            sold_kwh=Fraction(9), customers=4).customers
    4
    """

    row: int
    month: Month
    area: str
    line: str
    supplied_kwh: Fraction
    sold_kwh: Fraction
    customers: int


@attrs.frozen(slots=True, kw_only=True)
class BillingRecord:
    """Meter reading and fees of one area in one month (money in yuan).

    >>> BillingRecord(row=2, month=Month(2026, 3), area="A1", meters_due=10, meters_read=10,
    ...               reading_errors=0, billed_yuan=Decimal("5.00"),
    ...               collected_yuan=Decimal("5.00")).arrears_collected_yuan
    Decimal('0.00')
    """

    row: int
    month: Month
    area: str
    meters_due: int
    meters_read: int
    reading_errors: int
    billed_yuan: Decimal
    collected_yuan: Decimal
    arrears_collected_yuan: Decimal = Decimal("0.00")
    remitted_yuan: Decimal | None = None


@attrs.frozen(slots=True, kw_only=True)
class OutageRecord:
    """One row of ``outages.csv`` and the :class:`~gdsmodel.metrics.reliability.Outage` it makes.

    ``month`` is the month, in the station's time zone, where the outage starts.

    >>> start = pendulum.datetime(2026, 3, 31, 23, tz="Asia/Shanghai")
    >>> o = Outage(start=start, end=start.add(hours=2), customers_affected=5, cause="fault")
    >>> str(OutageRecord(row=2, month=Month.of(start), outage=o).month)
    '2026-03'
    """

    row: int
    month: Month
    outage: Outage
    note: str = ""


@attrs.frozen(slots=True, kw_only=True)
class VoltageRecord:
    """Minutes of one voltage monitoring point in one month.

    >>> VoltageRecord(row=2, month=Month(2026, 3), point="D1", monitoring_class=MonitoringClass.D,
    ...               monitored_minutes=Fraction(44640), above_upper_minutes=Fraction(0),
    ...               below_lower_minutes=Fraction(10)).point
    'D1'
    """

    row: int
    month: Month
    point: str
    monitoring_class: MonitoringClass
    monitored_minutes: Fraction
    above_upper_minutes: Fraction
    below_lower_minutes: Fraction


@attrs.frozen(slots=True, kw_only=True)
class TicketRecord:
    """Tickets of one type executed in one month, and how many were qualified.

    >>> TicketRecord(row=2, month=Month(2026, 3), type=TicketType.WORK, total=5,
    ...              qualified=5).type.value
    'work'
    """

    row: int
    month: Month
    type: TicketType
    total: int
    qualified: int


@attrs.frozen(slots=True, kw_only=True)
class RcdRecord:
    """Residual current devices of one area (or the station) in one month.

    >>> RcdRecord(row=2, month=Month(2026, 3), area="A1", required=4, installed=4,
    ...           in_service=4, operations=5, correct=5).required
    4
    """

    row: int
    month: Month
    area: str
    required: int
    installed: int
    in_service: int
    operations: int
    correct: int


@attrs.frozen(slots=True, kw_only=True)
class EquipmentRecord:
    """Equipment rated class 1/2/3 in one category and month (km, units or kVA).

    >>> EquipmentRecord(row=2, month=Month(2026, 3), category="lines", unit="km",
    ...                 class1=Fraction(90), class2=Fraction(8), class3=Fraction(2)).unit
    'km'
    """

    row: int
    month: Month
    category: str
    unit: str
    class1: Fraction
    class2: Fraction
    class3: Fraction


@attrs.frozen(slots=True, kw_only=True)
class CheckRecord:
    """The outcome of a check rule of the assessment scheme in one month.

    >>> CheckRecord(row=2, month=Month(2026, 3), rule="x.y", passed=True).note
    ''
    """

    row: int
    month: Month
    rule: str
    passed: bool
    note: str = ""


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

    def check(values: Mapping[str, Any]) -> list[tuple[str, str, str]]:
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

_M = Column(name="month", zh="月份", kind=ColumnKind.MONTH, description=Text("月份", "month"))
_VOLTAGES = ("35kV", "20kV", "10kV", "6kV")
_CAUSE_ALIASES = {c.label.zh: c.value for c in OutageCause} | {
    "计划": "planned",
    "故障": "fault",
    "外部": "external",
    "限电": "supply_shortage",
}


def _col(name: str, zh: str, kind: ColumnKind, unit: str = "", **kw: Any) -> Column:
    return Column(name=name, zh=zh, kind=kind, unit=unit, **kw)


FILES: tuple[FileSchema, ...] = (
    FileSchema(
        stem="lines",
        title=Text("线路电量", "Line energy"),
        record=LineEnergy,
        columns=(
            _M,
            _col("line", "线路", ColumnKind.ID),
            _col("name", "线路名称", ColumnKind.TEXT, required=False, default=""),
            _col(
                "voltage",
                "电压等级",
                ColumnKind.CHOICE,
                choices=_VOLTAGES,
                aliases={"10": "10kV", "35": "35kV", "20": "20kV", "6": "6kV"},
            ),
            _col("supplied_kwh", "供电量", ColumnKind.NUMBER, "kWh"),
            _col("sold_kwh", "售电量", ColumnKind.NUMBER, "kWh"),
            _col("reactive_kvarh", "无功电量", ColumnKind.NUMBER, "kvarh", required=False),
        ),
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
        columns=(
            _M,
            _col("area", "台区", ColumnKind.ID),
            _col("line", "线路", ColumnKind.ID),
            _col("supplied_kwh", "供电量", ColumnKind.NUMBER, "kWh"),
            _col("sold_kwh", "售电量", ColumnKind.NUMBER, "kWh"),
            _col("customers", "用户数", ColumnKind.COUNT, "customers"),
        ),
        key=("month", "area"),
    ),
    FileSchema(
        stem="billing",
        title=Text("抄表与电费", "Meter reading and fees"),
        record=BillingRecord,
        columns=(
            _M,
            _col("area", "台区", ColumnKind.ID),
            _col("meters_due", "应抄户数", ColumnKind.COUNT, "meters"),
            _col("meters_read", "实抄户数", ColumnKind.COUNT, "meters"),
            _col("reading_errors", "差错户数", ColumnKind.COUNT, "readings"),
            _col("billed_yuan", "应收电费", ColumnKind.YUAN, "yuan"),
            _col("collected_yuan", "实收电费", ColumnKind.YUAN, "yuan"),
            _col(
                "arrears_collected_yuan",
                "回收陈欠",
                ColumnKind.YUAN,
                "yuan",
                required=False,
                default=Decimal("0.00"),
            ),
            _col("remitted_yuan", "上缴电费", ColumnKind.YUAN, "yuan", required=False),
        ),
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
        columns=(
            _col("id", "编号", ColumnKind.ID, required=False, default=""),
            _col("line", "线路", ColumnKind.ID),
            _col("area", "台区", ColumnKind.TEXT, required=False, default=""),
            _col("start", "停电时间", ColumnKind.DATETIME),
            _col("end", "送电时间", ColumnKind.DATETIME),
            _col("customers_affected", "停电户数", ColumnKind.COUNT, "customers"),
            _col(
                "cause",
                "停电性质",
                ColumnKind.CHOICE,
                choices=tuple(c.value for c in OutageCause),
                aliases=_CAUSE_ALIASES,
            ),
            _col("note", "备注", ColumnKind.TEXT, required=False, default=""),
        ),
        key=("id",),
        check=_outage_times,
        rules=Text("送电时间晚于停电时间", "end later than start"),
    ),
    FileSchema(
        stem="voltage",
        title=Text("电压监测", "Voltage monitoring"),
        record=VoltageRecord,
        columns=(
            _M,
            _col("point", "监测点", ColumnKind.ID),
            _col(
                "class",
                "类别",
                ColumnKind.CHOICE,
                choices=tuple(c.value for c in MonitoringClass),
                aliases={f"{c.value}类": c.value for c in MonitoringClass},
                attr="monitoring_class",
            ),
            _col("monitored_minutes", "监测时间", ColumnKind.NUMBER, "min"),
            _col("above_upper_minutes", "超上限时间", ColumnKind.NUMBER, "min"),
            _col("below_lower_minutes", "超下限时间", ColumnKind.NUMBER, "min"),
        ),
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
        columns=(
            _M,
            _col(
                "type",
                "票种",
                ColumnKind.CHOICE,
                choices=tuple(t.value for t in TicketType),
                aliases={"工作票": "work", "操作票": "operation"},
            ),
            _col("total", "执行张数", ColumnKind.COUNT, "tickets"),
            _col("qualified", "合格张数", ColumnKind.COUNT, "tickets"),
        ),
        key=("month", "type"),
        check=_ratio_check("two_ticket_pass_rate", {"qualified": "qualified", "total": "total"}),
        rules=Text("合格 ≤ 执行", "qualified <= total"),
    ),
    FileSchema(
        stem="rcd",
        title=Text("剩余电流动作保护器", "Residual current devices"),
        record=RcdRecord,
        columns=(
            _M,
            _col("area", "台区", ColumnKind.ID),
            _col("required", "应装台数", ColumnKind.COUNT, "devices"),
            _col("installed", "实装台数", ColumnKind.COUNT, "devices"),
            _col("in_service", "投运台数", ColumnKind.COUNT, "devices"),
            _col("operations", "动作次数", ColumnKind.COUNT, "operations"),
            _col("correct", "正确动作次数", ColumnKind.COUNT, "operations"),
        ),
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
        columns=(
            _M,
            _col("category", "设备类别", ColumnKind.ID),
            _col("unit", "单位", ColumnKind.TEXT, required=False, default=""),
            _col("class1", "一类", ColumnKind.NUMBER),
            _col("class2", "二类", ColumnKind.NUMBER),
            _col("class3", "三类", ColumnKind.NUMBER),
        ),
        key=("month", "category"),
        optional=True,
    ),
    FileSchema(
        stem="checks",
        title=Text("考核检查项", "Assessment checks"),
        record=CheckRecord,
        columns=(
            _M,
            _col("rule", "考核项", ColumnKind.ID),
            _col("passed", "是否合格", ColumnKind.BOOL),
            _col("note", "说明", ColumnKind.TEXT, required=False, default=""),
        ),
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
        from gdsmodel.errors import NotFoundError

        raise NotFoundError("station file", stem, _BY_STEM) from None


# ----------------------------------------------------------------------------- station.toml


@attrs.frozen(slots=True, kw_only=True)
class StationConfig:
    """The contents of ``station.toml`` (every key is optional).

    * ``name``: the station's name (zh, en);
    * ``timezone``: of local times and months (default Asia/Shanghai);
    * ``grade``: ``A``, ``B`` or ``C``: picks the grade targets of the 10 kV line loss and RS-3;
    * ``targets``: metric ID -> a target ID of the registry (``lv_11``) or a value in the
      metric's unit (``"99.5"`` for 99.5 %);
    * ``targets_file``, ``scheme_file``, ``standard_file``, ``calendar_file``: a station's
      own targets (registry format), assessment scheme, variant of the standard and calendar;
    * ``customers``: customers served per month (``"2026-03" = 5230``); without it, the sum of
      ``customers`` in ``areas.csv``;
    * ``arrears``: earlier years' arrears outstanding on 1 January, per year, in yuan;
    * ``voltage_weights``: weights of the comprehensive voltage rate per class (sum 1);
    * ``ledger``: the safety-tool ledger file (default ``safety_tools.json``).

    >>> StationConfig().timezone, StationConfig().ledger
    ('Asia/Shanghai', 'safety_tools.json')
    """

    format: str = STATION_FORMAT
    name: Text = _EMPTY
    timezone: str = DEFAULT_TZ
    grade: str | None = None
    targets: dict[str, str] = attrs.field(factory=dict)
    targets_file: str | None = None
    scheme_file: str | None = None
    standard_file: str | None = None
    calendar_file: str | None = None
    customers: dict[str, int] = attrs.field(factory=dict)
    arrears: dict[str, Decimal] = attrs.field(factory=dict)
    voltage_weights: dict[str, str] | None = None
    ledger: str = "safety_tools.json"
    note: str = ""


def _read_config(folder: Path, issues: list[StationDataError]) -> StationConfig:
    path = folder / "station.toml"
    if not path.exists():
        issues.append(
            StationDataError(
                "no station.toml: using the folder name and default settings",
                file="station.toml",
                severity=Severity.WARNING,
            )
        )
        return StationConfig(name=Text(folder.name))
    try:
        data = parse_toml(path.read_bytes(), file="station.toml")
    except DataFileError as exc:
        issues.append(StationDataError(exc.message, file="station.toml"))
        return StationConfig(name=Text(folder.name))
    for key in ("targets", "voltage_weights"):  # values may be written as numbers
        table = data.get(key)
        if isinstance(table, dict):
            data[key] = {k: str(v) for k, v in table.items()}
    try:
        config = structure(data, StationConfig, file="station.toml")
    except DataFileError as exc:
        issues.append(
            StationDataError(
                exc.message,
                file="station.toml",
                column=exc.path,
                allowed="see docs/report.md, station.toml",
            )
        )
        return StationConfig(name=Text(folder.name))
    problems: list[tuple[str, str, str]] = []
    if config.format != STATION_FORMAT:
        problems.append(("format", f"unknown format {config.format!r}", STATION_FORMAT))
    if config.grade is not None and config.grade not in ("A", "B", "C"):
        problems.append(("grade", f"unknown grade {config.grade!r}", "A, B, C"))
    try:
        pendulum.timezone(config.timezone)
    except Exception:  # pendulum raises its own error type for unknown zones
        problems.append(("timezone", f"unknown time zone {config.timezone!r}", "an IANA zone"))
    for key in config.customers:
        try:
            Month.parse(key)
        except ParseError:
            problems.append((f"customers.{key}", f"{key!r} is not a month", "2026-03"))
    for key in config.arrears:
        if not re.fullmatch(r"\d{4}", key):
            problems.append((f"arrears.{key}", f"{key!r} is not a year", "2026"))
    if problems:
        for column, message, allowed in problems:
            issues.append(
                StationDataError(message, file="station.toml", column=column, allowed=allowed)
            )
        ok = {p[0].split(".")[0] for p in problems}
        return attrs.evolve(
            config,
            timezone=DEFAULT_TZ if "timezone" in ok else config.timezone,
            grade=None if "grade" in ok else config.grade,
            customers={} if "customers" in ok else config.customers,
            arrears={} if "arrears" in ok else config.arrears,
        )
    if not config.name.zh:
        config = attrs.evolve(config, name=Text(folder.name))
    return config


# ----------------------------------------------------------------------------- tables


class FileStatus(enum.StrEnum):
    """Whether a file was found and could be read.

    >>> [s.value for s in FileStatus]
    ['ok', 'absent', 'unusable']
    """

    OK = "ok"
    ABSENT = "absent"
    UNUSABLE = "unusable"


@attrs.frozen(slots=True, kw_only=True)
class Table(Generic[R]):
    """The valid records of one file, and what went wrong with the others.

    ``bad_months`` holds the months of rows that failed validation; ``None`` in it means a
    row whose month could not be read (it may belong to any month).
    """

    schema: FileSchema
    status: FileStatus
    file: str = ""
    records: tuple[R, ...] = ()
    bad_months: frozenset[Month | None] = frozenset()
    reason: str = ""

    def problem(self, month: Month | None) -> str | None:
        """Why the KPIs of ``month`` (None: any month) cannot come from this file, or None.

        >>> t = Table(schema=schema("tickets"), status=FileStatus.ABSENT,
        ...           reason="no tickets.csv or tickets.xlsx")
        >>> t.problem(None)
        'no tickets.csv or tickets.xlsx'
        """
        if self.status is not FileStatus.OK:
            return self.reason
        if None in self.bad_months:
            return f"{self.file} has a row whose month could not be read"
        if month is not None and month in self.bad_months:
            return f"{self.file} has bad rows for {month}"
        return None

    def of(self, month: Month) -> tuple[R, ...]:
        """The records of one month."""
        return tuple(r for r in self.records if getattr(r, "month", None) == month)


def _cell_text(value: Any) -> str:
    """An Excel cell as the text a CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, _dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def _read_rows(path: Path, stem: str) -> list[list[str]]:
    """The rows of a CSV or XLSX file as text cells; raises DataFileError."""
    if path.suffix.lower() == ".xlsx":
        try:
            import openpyxl  # type: ignore[import-untyped,unused-ignore]
        except ImportError:
            raise DataFileError(
                "reading .xlsx needs openpyxl: pip install 'gdsmodel[excel]' (or save it as CSV)",
                file=path.name,
            ) from None
        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise DataFileError(f"not a readable .xlsx file: {exc}", file=path.name) from None
        try:
            ws = wb[stem] if stem in wb.sheetnames else wb.worksheets[0]
            return [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        finally:
            wb.close()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(
            f"not UTF-8 text (byte {exc.start}); save it as 'CSV UTF-8'", file=path.name
        ) from None
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise DataFileError(f"not valid CSV: {exc}", file=path.name) from None


def _find(folder: Path, stem: str) -> tuple[Path | None, list[StationDataError]]:
    found = [folder / f"{stem}{ext}" for ext in (".csv", ".xlsx")]
    present = [p for p in found if p.exists()]
    issues = []
    if len(present) > 1:
        issues.append(
            StationDataError(
                f"both {stem}.csv and {stem}.xlsx exist: using {stem}.csv",
                file=f"{stem}.xlsx",
                severity=Severity.WARNING,
            )
        )
    return (present[0] if present else None), issues


def _read_table(
    folder: Path, spec: FileSchema, tz: str, issues: list[StationDataError]
) -> Table[Any]:
    path, found = _find(folder, spec.stem)
    issues.extend(found)
    if path is None:
        why = f"no {spec.stem}.csv or {spec.stem}.xlsx"
        return Table(schema=spec, status=FileStatus.ABSENT, reason=why)
    name = path.name
    try:
        rows = _read_rows(path, spec.stem)
    except DataFileError as exc:
        issues.append(StationDataError(exc.message, file=name))
        return Table(schema=spec, status=FileStatus.UNUSABLE, file=name, reason=exc.message)
    # header
    while rows and not any(c.strip() for c in rows[0]):
        rows.pop(0)  # pragma: no cover - leading blank lines
    if not rows:
        issues.append(StationDataError("the file is empty (no header row)", file=name))
        return Table(schema=spec, status=FileStatus.UNUSABLE, file=name, reason=f"{name} is empty")
    header = [h.strip().lstrip("\ufeff") for h in rows[0]]
    positions: dict[str, int] = {}
    for i, h in enumerate(header):
        col = next((c for c in spec.columns if h.casefold() in (c.name, c.zh.casefold())), None)
        if col is None:
            if h:
                issues.append(
                    StationDataError(
                        f"unknown column {h!r} is ignored",
                        file=name,
                        row=1,
                        column=h,
                        allowed=", ".join(c.name for c in spec.columns),
                        severity=Severity.WARNING,
                    )
                )
            continue
        if col.name in positions:
            issues.append(
                StationDataError(
                    f"column {col.name!r} appears twice",
                    file=name,
                    row=1,
                    column=col.name,
                    allowed="each column once",
                )
            )
            return Table(
                schema=spec,
                status=FileStatus.UNUSABLE,
                file=name,
                reason=f"{name} has column {col.name} twice",
            )
        positions[col.name] = i
    missing = [c.name for c in spec.columns if c.required and c.name not in positions]
    if missing:
        for m in missing:
            issues.append(
                StationDataError(
                    f"missing column {m!r}",
                    file=name,
                    row=1,
                    column=m,
                    allowed="columns " + ", ".join(c.name for c in spec.columns if c.required),
                )
            )
        return Table(
            schema=spec,
            status=FileStatus.UNUSABLE,
            file=name,
            reason=f"{name} lacks column {', '.join(missing)}",
        )
    records: list[Any] = []
    bad: set[Month | None] = set()
    seen: dict[tuple[Any, ...], int] = {}
    width = len(header)
    for n, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            issues.append(
                StationDataError(
                    f"{len(cells)} cells in a row of {width} columns",
                    file=name,
                    row=n,
                    allowed=f"{width} cells, as in the header",
                )
            )
            bad.add(_month_of(cells, positions, tz))
            continue
        values, errors = _parse_row(spec, cells, positions, tz, name, n)
        if errors:
            issues.extend(errors)
            bad.add(_month_of_values(values, tz))
            continue
        key = tuple(values.get(k) for k in spec.key)
        if spec.key and all(k not in (None, "") for k in key):
            first = seen.get(key)
            if first is not None:
                issues.append(
                    StationDataError(
                        f"the same {' and '.join(spec.key)} as row {first}",
                        file=name,
                        row=n,
                        column=spec.key[-1],
                        allowed=f"one row per {' and '.join(spec.key)}",
                        month=values.get("month"),
                    )
                )
                bad.add(_month_of_values(values, tz))
                continue
            seen[key] = n
        try:
            record = _build(spec, values, n, tz)
        except GdsmodelError as exc:
            column = getattr(exc, "name", None) or ""
            issues.append(
                StationDataError(
                    str(exc), file=name, row=n, column=column, month=values.get("month")
                )
            )
            bad.add(_month_of_values(values, tz))
            continue
        records.append(record)
    return Table(
        schema=spec,
        status=FileStatus.OK,
        file=name,
        records=tuple(records),
        bad_months=frozenset(bad),
    )


def _month_of(cells: Sequence[str], positions: Mapping[str, int], tz: str) -> Month | None:
    i = positions.get("month")
    if i is None or i >= len(cells):
        return None
    return _month(cells[i].strip(), tz)


def _month_of_values(values: Mapping[str, Any], tz: str) -> Month | None:
    """The month of a parsed row: its ``month``, or the month an outage starts in."""
    if "month" in values:
        month: Month | None = values["month"]
        return month
    start = values.get("start")
    if isinstance(start, _dt.datetime):
        return Month.of(start, tz=tz)
    return None


def _parse_row(
    spec: FileSchema,
    cells: Sequence[str],
    positions: Mapping[str, int],
    tz: str,
    name: str,
    n: int,
) -> tuple[dict[str, Any], list[StationDataError]]:
    values: dict[str, Any] = {}
    errors: list[StationDataError] = []
    failed: list[tuple[Column, _CellError]] = []
    for col in spec.columns:
        i = positions.get(col.name)
        if i is None:
            values[col.name] = col.default
            continue
        try:
            values[col.name] = col.parse(cells[i] if i < len(cells) else "", tz=tz)
        except _CellError as exc:
            failed.append((col, exc))
    month = values.get("month")
    for col, problem in failed:
        errors.append(
            StationDataError(
                problem.message,
                file=name,
                row=n,
                column=col.name,
                allowed=problem.allowed,
                month=month,
            )
        )
    if not errors and spec.check is not None:
        for column, message, allowed in spec.check(values):
            errors.append(
                StationDataError(
                    message, file=name, row=n, column=column, allowed=allowed, month=month
                )
            )
    return values, errors


def _build(spec: FileSchema, values: Mapping[str, Any], n: int, tz: str) -> Any:
    if spec.record is OutageRecord:
        outage = Outage(
            start=values["start"],
            end=values["end"],
            customers_affected=values["customers_affected"],
            cause=values["cause"],
            id=values["id"] or f"row {n}",
            line=values["line"],
            area=values["area"] or None,
        )
        return OutageRecord(
            row=n, month=Month.of(outage.start, tz=tz), outage=outage, note=values["note"]
        )
    fields = {c.field: values[c.name] for c in spec.columns}
    if spec.record is VoltageRecord:
        fields["monitoring_class"] = MonitoringClass(fields["monitoring_class"])
    if spec.record is TicketRecord:
        fields["type"] = TicketType(fields["type"])
    return spec.record(row=n, **fields)


# ----------------------------------------------------------------------------- the folder


@attrs.frozen(slots=True, kw_only=True)
class StationData:
    """Everything read from a station's folder, with the problems found.

    ``issues`` lists every error and warning; ``errors`` only the errors. ``months`` are
    the months present in any monthly file, in order.

    >>> import tempfile
    >>> data = load_station(tempfile.mkdtemp())
    >>> data.months, len(data.errors), len(data.issues) > 0   # every file absent: warnings
    ((), 0, True)
    """

    folder: Path
    config: StationConfig
    lines: Table[LineEnergy]
    areas: Table[AreaEnergy]
    billing: Table[BillingRecord]
    outages: Table[OutageRecord]
    voltage: Table[VoltageRecord]
    tickets: Table[TicketRecord]
    rcd: Table[RcdRecord]
    equipment: Table[EquipmentRecord]
    checks: Table[CheckRecord]
    ledger: Path | None
    issues: tuple[StationDataError, ...] = ()

    @property
    def errors(self) -> tuple[StationDataError, ...]:
        """The issues of severity error."""
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    @property
    def tables(self) -> tuple[Table[Any], ...]:
        """Every table, in the order of :data:`FILES`."""
        return (
            self.lines,
            self.areas,
            self.billing,
            self.outages,
            self.voltage,
            self.tickets,
            self.rcd,
            self.equipment,
            self.checks,
        )

    def table(self, stem: str) -> Table[Any]:
        """The table of a station file by its stem (``lines``, ``billing``...).

        >>> import tempfile
        >>> load_station(tempfile.mkdtemp()).table("tickets").status.value
        'absent'
        """
        for t in self.tables:
            if t.schema.stem == stem:
                return t
        from gdsmodel.errors import NotFoundError

        raise NotFoundError("station file", stem, [t.schema.stem for t in self.tables])

    @property
    def months(self) -> tuple[Month, ...]:
        """Every month with data in a monthly file (outages count by their start)."""
        found: set[Month] = set()
        for table in self.tables:
            for r in table.records:
                m = getattr(r, "month", None)
                if isinstance(m, Month):
                    found.add(m)
        return tuple(sorted(found))


Progress = Callable[[str], None]


def load_station(folder: str | Path, *, progress: Progress | None = None) -> StationData:
    """Read and validate a station's folder; bad rows become issues, never exceptions.

    Raises :class:`~gdsmodel.errors.InputError` only when ``folder`` is not a directory.

    >>> load_station("no/such/folder")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    gdsmodel.errors.InputError: folder='no/such/folder': is not a directory ...
    """
    path = Path(folder)
    if not path.is_dir():
        raise InputError(
            "is not a directory",
            name="folder",
            value=str(folder),
            allowed="a station folder (see docs/report.md)",
        )
    issues: list[StationDataError] = []
    config = _read_config(path, issues)
    tables: dict[str, Table[Any]] = {}
    for spec in FILES:
        if progress is not None:
            progress(f"reading {spec.stem}")
        tables[spec.stem] = _read_table(path, spec, config.timezone, issues)
    for spec in FILES:
        t = tables[spec.stem]
        if t.status is FileStatus.ABSENT and not spec.optional:
            issues.append(
                StationDataError(
                    f"no {spec.filename} (or .xlsx): the KPIs from it are not computed",
                    file=spec.filename,
                    severity=Severity.WARNING,
                )
            )
    _cross_references(tables, issues)
    ledger = path / config.ledger
    has_ledger = ledger.exists()
    if not has_ledger:
        issues.append(
            StationDataError(
                f"no {config.ledger}: safety tools are not reported",
                file=config.ledger,
                severity=Severity.WARNING,
            )
        )
    return StationData(
        folder=path,
        config=config,
        lines=tables["lines"],
        areas=tables["areas"],
        billing=tables["billing"],
        outages=tables["outages"],
        voltage=tables["voltage"],
        tickets=tables["tickets"],
        rcd=tables["rcd"],
        equipment=tables["equipment"],
        checks=tables["checks"],
        ledger=ledger if has_ledger else None,
        issues=tuple(issues),
    )


def _cross_references(tables: Mapping[str, Table[Any]], issues: list[StationDataError]) -> None:
    """Warn about areas and lines named in one file but unknown to the energy files."""
    lines = {r.line for r in tables["lines"].records}
    areas = {r.area for r in tables["areas"].records}

    def warn(table: Table[Any], attr: str, known: set[str], what: str) -> None:
        if not known or table.status is not FileStatus.OK:
            return
        for r in table.records:
            value = r.outage.line if isinstance(r, OutageRecord) else getattr(r, attr, None)
            if value and value not in known:
                issues.append(
                    StationDataError(
                        f"{what} {value!r} is not in {'lines' if what == 'line' else 'areas'}.csv",
                        file=table.file,
                        row=r.row,
                        column=attr,
                        allowed=f"a {what} listed there",
                        severity=Severity.WARNING,
                    )
                )

    warn(tables["areas"], "line", lines, "line")
    warn(tables["billing"], "area", areas, "area")
    warn(tables["rcd"], "area", areas, "area")
    warn(tables["outages"], "line", lines, "line")
