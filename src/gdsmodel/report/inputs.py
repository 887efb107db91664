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

import contextlib
import datetime as _dt
import enum
import gc
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs
import pendulum

from gdsmodel import _show
from gdsmodel.datafiles import parse_toml
from gdsmodel.errors import DataFileError, GdsmodelError, InputError, ParseError
from gdsmodel.periods import DEFAULT_TZ, Month
from gdsmodel.report.columnar import (
    Columns,
    FirstRows,
    Records,
    Selection,
    build_record,
    plain_record,
)
from gdsmodel.report.columns import (
    CellError,
    Column,
    ColumnKind,
    Reader,
    month_of_text,
    reader,
)
from gdsmodel.report.records import (
    FILES,
    AreaEnergy,
    BillingRecord,
    CheckRecord,
    EquipmentRecord,
    FileSchema,
    LineEnergy,
    OutageRecord,
    RcdRecord,
    TicketRecord,
    TicketType,
    VoltageRecord,
    schema,
    table_schemas,
)
from gdsmodel.serialize import structure
from gdsmodel.tablefiles import (
    Problem,
    TableFileError,
    check_file,
    find,
    header_row,
    match_header,
    read_rows,
)
from gdsmodel.text import Text

if TYPE_CHECKING:
    from gdsmodel.metrics.reliability import CountingConvention

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
    "ReliabilitySettings",
    "Severity",
    "StationConfig",
    "StationData",
    "StationDataError",
    "Table",
    "TicketRecord",
    "TicketType",
    "VoltageRecord",
    "json_schema",
    "load_station",
    "schema",
    "station_toml_schema",
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


class StationDataError(TableFileError):
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
        self.severity = severity
        self.month = month
        super().__init__(
            message,
            file=file,
            row=row,
            column=column,
            allowed=allowed,
            warning=severity is Severity.WARNING,
        )

    @property
    def _kind_of_column(self) -> str:
        return "key" if (self.file or "").endswith(".toml") else "column"

    def to_data(self) -> dict[str, Any]:
        """Plain JSON-ready data.

        >>> StationDataError("bad", file="x.csv", row=2).to_data()["row"]
        2
        """
        return {**super().to_data(), "month": str(self.month) if self.month is not None else None}


# ----------------------------------------------------------------------------- station.toml


@attrs.frozen(slots=True, kw_only=True)
class Register:
    """The lines and transformer areas a station expects a row for in every month
    (``[register]`` of ``station.toml``). Without it, the lines and areas of the month
    before are expected.

    >>> Register(lines=("L01", "L02")).areas
    ()
    """

    lines: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()


@attrs.frozen(slots=True, kw_only=True)
class ReliabilitySettings:
    """How the station counts its supply reliability (``[reliability]`` of ``station.toml``).

    ``convention``: the counting convention, by name or id (``"IEEE 1366"``, ``"dlt836"``;
    see :func:`gdsmodel.metrics.reliability.load_conventions`); None: the default
    (``DL/T 836``). ``gdsmodel report --convention`` overrides it.

    >>> ReliabilitySettings(convention="IEEE 1366").convention
    'IEEE 1366'
    """

    convention: str | None = None


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
    * ``ledger``: the safety-tool ledger file (default ``safety_tools.json``);
    * ``register``: the lines and areas expected every month (:class:`Register`);
    * ``reliability``: the counting convention of the reliability indices
      (:class:`ReliabilitySettings`; default ``DL/T 836``).

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
    register: Register | None = None
    reliability: ReliabilitySettings | None = None

    def __repr__(self) -> str:
        return _show.short_repr(self, "name", "timezone", "grade", "format")

    @property
    def convention(self) -> CountingConvention:
        """The counting convention of ``[reliability]`` (default ``DL/T 836``).

        >>> StationConfig().convention.name
        'DL/T 836'
        """
        from gdsmodel.metrics.reliability import convention

        return convention(self.reliability.convention if self.reliability else None)


def _toml_types() -> list[tuple[object, dict[str, Any]]]:
    any_number = {"type": ["string", "number"]}
    return [
        (str, {"type": "string"}),
        (
            Text,
            {
                "type": "object",
                "properties": {"zh": {"type": "string"}, "en": {"type": "string"}},
                "additionalProperties": False,
            },
        ),
        (dict[str, str], {"type": "object", "additionalProperties": any_number}),
        (dict[str, int], {"type": "object", "additionalProperties": {"type": "integer"}}),
        (dict[str, Decimal], {"type": "object", "additionalProperties": any_number}),
        (
            Register,
            {
                "type": "object",
                "properties": {
                    "lines": {"type": "array", "items": {"type": "string"}},
                    "areas": {"type": "array", "items": {"type": "string"}},
                },
                "additionalProperties": False,
            },
        ),
        (
            ReliabilitySettings,
            {
                "type": "object",
                "properties": {"convention": {"type": "string", "enum": _convention_names()}},
                "additionalProperties": False,
            },
        ),
    ]


def _convention_names() -> list[str]:
    from gdsmodel.metrics.reliability import load_conventions

    return [n for c in load_conventions() for n in (c.name, c.id)]


def station_toml_schema() -> dict[str, Any]:
    """The JSON Schema of ``station.toml`` (as the data TOML gives), from :class:`StationConfig`.

    >>> s = station_toml_schema()
    >>> s["properties"]["register"]["properties"]["lines"]["type"], s["required"]
    ('array', [])
    """
    import types
    import typing

    attrs.resolve_types(StationConfig)
    known = _toml_types()
    props: dict[str, Any] = {}
    for f in attrs.fields(StationConfig):
        kind = f.type
        if isinstance(kind, types.UnionType):  # X | None: the key may be left out
            kind = next(t for t in typing.get_args(kind) if t is not type(None))
        props[f.name] = dict(next(schema for t, schema in known if t == kind))
    props["format"]["const"] = STATION_FORMAT
    props["grade"]["enum"] = ["A", "B", "C"]
    return {
        "type": "object",
        "title": "station.toml",
        "properties": props,
        "required": [],
        "additionalProperties": False,
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a station folder: ``station`` (the data of
    ``station.toml``) and one property per table (an array of rows), all derived from the
    declarations (:class:`StationConfig`, the record classes of :mod:`gdsmodel.report.records`).

    >>> s = json_schema()
    >>> list(s["properties"])[:3]
    ['station', 'lines', 'areas']
    """
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "gdsmodel.station/1",
        "title": "gdsmodel station folder",
        "description": "The tables of a station folder (docs/report.md) and station.toml; "
        "the safety-tool ledger has its own format.",
        "type": "object",
        "properties": {"station": station_toml_schema(), **table_schemas()},
        "additionalProperties": False,
    }


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
        check_file(folder, path)
        data = parse_toml(path.read_bytes(), file="station.toml")
    except DataFileError as exc:
        issues.append(StationDataError(exc.message, file="station.toml"))
        return StationConfig(name=Text(folder.name))
    except OSError as exc:
        why = f"cannot be read: {exc.strerror or exc}"
        issues.append(StationDataError(why, file="station.toml"))
        return StationConfig(name=Text(folder.name))
    for key in ("targets", "voltage_weights"):  # values may be written as numbers
        table = data.get(key)
        if isinstance(table, dict):
            data[key] = {k: str(v) for k, v in table.items()}
    config: StationConfig | None = None
    while config is None:
        try:
            config = structure(data, StationConfig, file="station.toml")
        except DataFileError as exc:
            top = _top_key(exc.path)
            dropped = top is not None and top in data
            issues.append(
                StationDataError(
                    exc.message + ("; the default is used" if dropped else ""),
                    file="station.toml",
                    column=(exc.path or "").removeprefix("$.") or None,
                    allowed="see docs/report.md, station.toml",
                )
            )
            if not dropped:
                return StationConfig(name=Text(folder.name))
            data = {k: v for k, v in data.items() if k != top}
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
    problems += _weight_problems(config.voltage_weights)
    if config.reliability is not None and config.reliability.convention is not None:
        from gdsmodel.metrics.reliability import convention_from_station, load_conventions

        try:
            convention_from_station(
                {"reliability": {"convention": config.reliability.convention}},
                file="station.toml",
            )
        except DataFileError:
            problems.append(
                (
                    "reliability.convention",
                    f"{config.reliability.convention!r} is not a counting convention",
                    ", ".join(f"{c.name} ({c.id})" for c in load_conventions()),
                )
            )
    if problems:
        for column, message, allowed in problems:
            issues.append(
                StationDataError(
                    f"{message}; the default is used",
                    file="station.toml",
                    column=column,
                    allowed=allowed,
                )
            )
        ok = {p[0].split(".")[0] for p in problems}
        return attrs.evolve(
            config,
            timezone=DEFAULT_TZ if "timezone" in ok else config.timezone,
            grade=None if "grade" in ok else config.grade,
            customers={} if "customers" in ok else config.customers,
            arrears={} if "arrears" in ok else config.arrears,
            voltage_weights=None if "voltage_weights" in ok else config.voltage_weights,
            reliability=None if "reliability" in ok else config.reliability,
        )
    if not config.name.zh:
        config = attrs.evolve(config, name=Text(folder.name))
    return config


def _top_key(path: str | None) -> str | None:
    """The top-level key of a converter error path (``$.customers['2026-03']``)."""
    found = re.match(r"\$\.([A-Za-z_][A-Za-z0-9_]*)", path or "")
    return found[1] if found else None


def _weight_problems(weights: Mapping[str, str] | None) -> list[tuple[str, str, str]]:
    """What is wrong with ``[voltage_weights]``: classes A-D, fractions >= 0 adding up to 1."""
    if weights is None:
        return []
    problems: list[tuple[str, str, str]] = []
    total = Fraction(0)
    for key, text in weights.items():
        where = f"voltage_weights.{key}"
        if key not in ("A", "B", "C", "D"):
            problems.append((where, f"unknown monitoring class {key!r}", "A, B, C, D"))
            continue
        try:
            value = Fraction(text)
        except (ValueError, ZeroDivisionError):
            problems.append((where, f"{text!r} is not a number", "a fraction such as 1/2 or 0.5"))
            continue
        if value < 0:
            problems.append((where, f"{text} is negative", "a weight >= 0"))
        total += value
    if not problems and total != 1:
        problems.append(("voltage_weights", f"the weights add up to {total}", "a sum of 1"))
    return problems


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
    """The valid rows of one file, and what went wrong with the others.

    The rows are kept as columns (:class:`~gdsmodel.report.columnar.Columns`: ``store``);
    :attr:`records` builds their records when read. ``bad_months`` holds the months of
    rows that failed validation; ``None`` in it means a row whose month could not be read
    (it may belong to any month).
    """

    schema: FileSchema
    status: FileStatus
    file: str = ""
    store: Columns | None = attrs.field(default=None, repr=False)
    bad_months: frozenset[Month | None] = frozenset()
    reason: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self, "file", "status", "records", "reason")

    @property
    def records(self) -> Sequence[R]:
        """The records of the valid rows, in row order (built when read, not kept)."""
        if self.store is None:
            return ()
        return Records(self.store)

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

    def positions(self, month: Month) -> Selection:
        """The positions in :attr:`store` of the rows of one month."""
        if self.store is None:
            return range(0)
        return self.store.groups().get(month, range(0))

    def of(self, month: Month) -> tuple[R, ...]:
        """The records of one month."""
        if self.store is None:
            return ()
        return tuple(self.store.records(self.positions(month)))


def _find(folder: Path, stem: str) -> tuple[Path | None, list[StationDataError]]:
    path, other = find(folder, stem)
    issues = []
    if other is not None:
        issues.append(
            StationDataError(
                f"both {stem}.csv and {stem}.xlsx exist: using {stem}.csv",
                file=other.name,
                severity=Severity.WARNING,
            )
        )
    return path, issues


def _read_table(
    folder: Path, spec: FileSchema, tz: str, issues: list[StationDataError]
) -> Table[Any]:
    path, found = _find(folder, spec.stem)
    issues.extend(found)
    if path is None:
        why = f"no {spec.stem}.csv or {spec.stem}.xlsx"
        return Table(schema=spec, status=FileStatus.ABSENT, reason=why)
    name = path.name
    found_issues: list[StationDataError] = []  # kept only when the whole file could be read
    try:
        check_file(folder, path)
        table = _table_of_rows(spec, name, read_rows(path, spec.stem), tz, found_issues)
    except DataFileError as exc:
        issues.append(StationDataError(exc.message, file=name))
        return Table(schema=spec, status=FileStatus.UNUSABLE, file=name, reason=exc.message)
    except OSError as exc:
        why = f"cannot be read: {exc.strerror or exc}"
        issues.append(StationDataError(why, file=name))
        return Table(schema=spec, status=FileStatus.UNUSABLE, file=name, reason=why)
    issues.extend(found_issues)
    return table


def _table_of_rows(
    spec: FileSchema,
    name: str,
    rows: Iterator[list[str]],
    tz: str,
    issues: list[StationDataError],
) -> Table[Any]:
    """The table of a file's rows, read one at a time: each cell parsed once, each row
    checked once, error text built only for an error."""
    first = header_row(rows)
    if first is None:
        issues.append(StationDataError("the file is empty (no header row)", file=name))
        return Table(schema=spec, status=FileStatus.UNUSABLE, file=name, reason=f"{name} is empty")
    positions, problems = match_header(first, spec.columns)
    for p in problems:
        issues.append(
            StationDataError(
                p.message,
                file=name,
                row=1,
                column=p.column,
                allowed=p.allowed,
                severity=Severity.WARNING if p.warning else Severity.ERROR,
            )
        )
    if positions is None:
        twice = [p.column for p in problems if p.problem is Problem.TWICE]
        missing = [p.column for p in problems if p.problem is Problem.MISSING]
        reason = (
            f"{name} has column {twice[0]} twice"
            if twice
            else f"{name} lacks column {', '.join(missing)}"
        )
        return Table(schema=spec, status=FileStatus.UNUSABLE, file=name, reason=reason)
    store = Columns(spec, tz)
    keep = not plain_record(spec.record) or bool(spec.month_from)
    if keep:  # a record class with checks of its own: build (check) each record now
        store.keep_records()
    bad: set[Month | None] = set()
    seen = FirstRows()
    identical: dict[tuple[Any, ...], int] = {}
    width = len(first)
    plan = tuple((col, positions.get(col.name), reader(col, tz)) for col in spec.columns)
    direct: bool | None = None  # records built without the converter (see FileSchema.build)
    # the fast path: a row whose cells its columns read fast, with a new key, that passes
    # the file's rules goes straight into the columns; any other row takes the full path
    # below (which names what is wrong), as does the first row (its record is built)
    fast = None if keep else store.fast_rows([(col, i) for col, i, _ in plan])
    for n, cells in enumerate(rows, start=2):
        if not any(cells) or not "".join(cells).strip():
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
        if fast is not None and direct and not store.converted:
            got = fast(cells)
            if got is not None and seen.first(got[1], n) is None:
                store.append_raw(got[0], n)
                continue
        values, errors = _parse_row(spec, plan, cells, tz, name, n)
        if errors:
            issues.extend(errors)
            bad.add(_month_of_values(values, tz))
            continue
        key = tuple([values.get(k) for k in spec.key])
        keyed = bool(key) and None not in key and "" not in key
        if keyed:
            codes = tuple([store.code(k, v) for k, v in zip(spec.key, key, strict=True)])
            earlier = seen.first(codes, n)
            if earlier is not None:
                issues.append(
                    StationDataError(
                        f"the same {' and '.join(spec.key)} as row {earlier}",
                        file=name,
                        row=n,
                        column=spec.key[-1],
                        allowed=f"one row per {' and '.join(spec.key)}",
                        month=values.get("month"),
                    )
                )
                bad.add(_month_of_values(values, tz))
                continue
        # a row identical to an earlier one shares its key, so only a row without a whole
        # key can repeat one unnoticed (an outage without an id typed twice counts twice)
        whole = () if keyed else tuple(values.items())
        same = None if keyed else identical.get(whole)
        if same is not None:
            issues.append(
                StationDataError(
                    f"the same values as row {same} (a duplicated row)",
                    file=name,
                    row=n,
                    allowed="each row once",
                    month=_month_of_values(values, tz),
                )
            )
            bad.add(_month_of_values(values, tz))
            continue
        if not keyed:
            identical[whole] = n
        record = None
        try:
            if direct is None:  # the converter builds the first record; is the fast path same?
                record = build_record(spec, values, n, tz, direct=False)
                direct = build_record(spec, values, n, tz, direct=True) == record
                if not direct and not keep:  # every record through the converter, now
                    store.keep_records()
                    keep = True
                store.direct = direct
            elif keep:
                record = build_record(spec, values, n, tz, direct=direct)
        except GdsmodelError as exc:
            column = getattr(exc, "name", None) or ""
            issues.append(
                StationDataError(
                    str(exc), file=name, row=n, column=column, month=values.get("month")
                )
            )
            bad.add(_month_of_values(values, tz))
            continue
        store.append(values, n, record)
    return Table(
        schema=spec,
        status=FileStatus.OK,
        file=name,
        store=store,
        bad_months=frozenset(bad),
    )


def _month_of(cells: Sequence[str], positions: Mapping[str, int], tz: str) -> Month | None:
    i = positions.get("month")
    if i is None or i >= len(cells):
        return None
    return month_of_text(cells[i].strip(), tz)


def _month_of_values(values: Mapping[str, Any], tz: str) -> Month | None:
    """The month of a parsed row: its ``month``, or the month an outage starts in."""
    if "month" in values:
        month: Month | None = values["month"]
        return month
    start = values.get("start")
    if isinstance(start, _dt.datetime):
        try:
            return Month.of(start, tz=tz)
        except GdsmodelError:  # a start outside the years of periods: no month
            return None
    return None


def _parse_row(
    spec: FileSchema,
    plan: Sequence[tuple[Column, int | None, Reader]],
    cells: Sequence[str],
    tz: str,
    name: str,
    n: int,
) -> tuple[dict[str, Any], list[StationDataError]]:
    """The parsed values of one row (``plan``: each column and its position in the row),
    and its errors (text built only when there is one)."""
    values: dict[str, Any] = {}
    width = len(cells)
    try:  # the common case: every cell valid, read by its column's reader
        for col, i, read in plan:
            values[col.name] = col.default if i is None else read(cells[i] if i < width else "")
    except CellError:
        values = {}  # read the row again, cell by cell, to name every bad cell
    else:
        if spec.check is None:
            return values, []
        found = spec.check(values)
        if not found:
            return values, []
        month = values.get("month")
        return values, [
            StationDataError(message, file=name, row=n, column=column, allowed=allowed, month=month)
            for column, message, allowed in found
        ]
    failed: list[tuple[Column, CellError]] | None = None
    for col, i, _ in plan:
        if i is None:
            values[col.name] = col.default
            continue
        try:
            values[col.name] = col.parse(cells[i] if i < width else "", tz=tz)
        except CellError as exc:
            if failed is None:
                failed = []
            failed.append((col, exc))
    if failed is None and spec.check is None:
        return values, []
    month = values.get("month")
    errors = [
        StationDataError(
            problem.message,
            file=name,
            row=n,
            column=col.name,
            allowed=problem.allowed,
            month=month,
        )
        for col, problem in failed or ()
    ]
    if not errors and spec.check is not None:
        for column, message, allowed in spec.check(values):
            errors.append(
                StationDataError(
                    message, file=name, row=n, column=column, allowed=allowed, month=month
                )
            )
    return values, errors


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
    extra: tuple[Table[Any], ...] = ()

    def __repr__(self) -> str:
        return _show.short_repr(self, "folder", "issues")

    @property
    def errors(self) -> tuple[StationDataError, ...]:
        """The issues of severity error."""
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    @property
    def tables(self) -> tuple[Table[Any], ...]:
        """Every table, in the order of :data:`FILES`, then the extra files' tables."""
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
            *self.extra,
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
            if table.store is not None:
                found |= table.store.months()
        return tuple(sorted(found))


Progress = Callable[[str], None]


def load_station(
    folder: str | Path,
    *,
    progress: Progress | None = None,
    extra_files: Sequence[FileSchema] = (),
) -> StationData:
    """Read and validate a station's folder; bad rows become issues, never exceptions.

    ``extra_files`` are station files declared beyond :data:`FILES` (a record class and its
    :class:`FileSchema`); their tables are in :attr:`StationData.extra` and
    :meth:`StationData.table`. Raises :class:`~gdsmodel.errors.InputError` only when
    ``folder`` is not a directory.

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
    specs = (*FILES, *extra_files)
    with _no_cycle_collection():
        for spec in specs:
            if progress is not None:
                progress(f"reading {spec.stem}")
            tables[spec.stem] = _read_table(path, spec, config.timezone, issues)
    for spec in specs:
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
    for stem, column in (
        ("lines", "line"),
        ("areas", "area"),
        ("billing", "area"),
        ("rcd", "area"),
    ):
        tables[stem] = _check_register(tables[stem], column, config.register, issues)
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
        extra=tuple(tables[spec.stem] for spec in extra_files),
    )


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while records are made: they hold no cycles, and a
    collection every few hundred thousand new objects scans all that were made before
    (reading a big file would spend much of its time there)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check_register(
    table: Table[Any], column: str, register: Register | None, issues: list[StationDataError]
) -> Table[Any]:
    """Every line (area) of the register has a row in every month: one that is missing is a
    data issue, and the month's KPIs from the file are not computed (a missing row would
    move the station's figures without a word). The register is ``station.toml``'s, else
    the lines (areas) of the month before."""
    if table.status is not FileStatus.OK:
        return table
    declared = getattr(register, f"{column}s") if register is not None else ()
    store = table.store
    assert store is not None
    groups = store.groups()
    months = sorted(set(groups) | {m for m in table.bad_months if m is not None})
    bad = set(table.bad_months)
    before: tuple[Month, set[str]] | None = None
    for m in months:  # one month's set at a time: a big file has many lines or areas
        found = groups.get(m)
        have = _distinct(table, column, found) if found is not None else set()
        if declared:
            expected, source = set(declared), "the register of station.toml"
        elif before is not None:
            expected, source = before[1], f"it has one for {before[0]}"
        else:
            expected, source = set(), ""
        if m not in table.bad_months:
            for missing in sorted(expected - have):
                issues.append(
                    StationDataError(
                        f"{column} {missing!r} has no row for {m} ({source})",
                        file=table.file,
                        column=column,
                        allowed=f"a row for every {column} of the register, every month "
                        "([register] in station.toml)",
                        month=m,
                    )
                )
                bad.add(m)
        before = (m, have if m not in table.bad_months else have | expected)
    if declared:
        unknown = {v for v in _distinct(table, column) if v not in declared}
        for row, value in _rows_with(table, column, unknown):
            issues.append(
                StationDataError(
                    f"{column} {value!r} is not in the register",
                    file=table.file,
                    row=row,
                    column=column,
                    allowed=", ".join(declared),
                    severity=Severity.WARNING,
                )
            )
    return attrs.evolve(table, bad_months=frozenset(bad)) if bad != table.bad_months else table


def _cross_references(tables: Mapping[str, Table[Any]], issues: list[StationDataError]) -> None:
    """Warn about areas and lines named in one file but unknown to the energy files."""
    lines = _distinct(tables["lines"], "line")
    areas = _distinct(tables["areas"], "area")

    def warn(table: Table[Any], attr: str, known: set[str], what: str) -> None:
        if not known or table.status is not FileStatus.OK:
            return
        unknown = {v for v in _distinct(table, attr) if v and v not in known}
        for row, value in _rows_with(table, attr, unknown):
            issues.append(
                StationDataError(
                    f"{what} {value!r} is not in {'lines' if what == 'line' else 'areas'}.csv",
                    file=table.file,
                    row=row,
                    column=attr,
                    allowed=f"{'an' if what == 'area' else 'a'} {what} listed there",
                    severity=Severity.WARNING,
                )
            )

    warn(tables["areas"], "line", lines, "line")
    warn(tables["billing"], "area", areas, "area")
    warn(tables["rcd"], "area", areas, "area")
    warn(tables["outages"], "line", lines, "line")


def _field_of(record: Any, field: str) -> Any:
    """A record's value of ``field`` (an outage's line as its outage has it)."""
    if isinstance(record, OutageRecord) and field == "line":
        return record.outage.line
    return getattr(record, field, None)


def _distinct(table: Table[Any], field: str, rows: Selection | None = None) -> set[Any]:
    """The values of a record field in the rows of a table (``rows``: positions; None:
    every row), from its column when the records are not kept."""
    store = table.store
    if store is None:
        return set()
    name = store.column_of(field)
    if name is None or store.built is not None:
        return {_field_of(r, field) for r in store.records(rows)}
    return store.distinct(name, rows)


def _rows_with(table: Table[Any], field: str, values: set[Any]) -> Iterator[tuple[int, Any]]:
    """``(row, value)`` of the rows whose record field is one of ``values``, in row order."""
    store = table.store
    if store is None or not values:
        return
    name = store.column_of(field)
    if name is None or store.built is not None:
        for r in store.records():
            value = _field_of(r, field)
            if value in values:
                yield r.row, value
        return
    yield from store.rows_where(name, values)
