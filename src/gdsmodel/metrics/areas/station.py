"""A station folder's transformer-area files, read with located errors, and the month's
figures the report section and ``gdsmodel areas`` show.

Files (see :mod:`gdsmodel.metrics.areas.example` for their columns): ``area_days.csv``
(required), ``area_transformers.csv``, ``area_curves.csv`` and ``area_voltage.csv``
(optional).
A bad cell raises :class:`~gdsmodel.errors.DataFileError` naming the file, the line and
the column.

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "area_days.csv").write_text(
...     "area,day,area_type,supply_meters,supply_read,supplied_kwh,sold_kwh,estimated_kwh,"
...     "meters_expected,meters_read,meters_estimated\\n"
...     "T01,2026-03-01,rural,1,1,1000,880,0,50,50,0\\n"
...     "T02,2026-03-01,rural,1,1,1000,950,0,50,50,0\\n", encoding="utf-8")
>>> s = area_section(folder, "2026-03")
>>> [(r.area, r.classification.area_class.value) for r in s.rows]
[('T01', 'high_loss'), ('T02', 'qualified')]
>>> s.counts.qualified_rate.format()
'50.00%'
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Callable, Iterator, Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs

from gdsmodel import _show
from gdsmodel.errors import DataFileError, GdsmodelError, NotFoundError
from gdsmodel.metrics.areas.counts import ClassCounts
from gdsmodel.metrics.areas.load import (
    CurvePoint,
    EventSummary,
    LowVoltageCounts,
    Transformer,
    VoltagePoint,
    area_load_rates,
    load_events,
    low_voltage,
    unbalance_events,
)
from gdsmodel.metrics.areas.loss import AreaClass, AreaDay, AreaPeriod, Classification, classify
from gdsmodel.metrics.areas.rules import AreaRules, area_rules
from gdsmodel.metrics.ratio import exact
from gdsmodel.periods import Month

__all__ = [
    "AreaRow",
    "AreaSection",
    "area_section",
    "read_area_days",
    "read_curves",
    "read_transformers",
    "read_voltage_points",
]

DAYS_FILE = "area_days.csv"
TRANSFORMERS_FILE = "area_transformers.csv"
CURVES_FILE = "area_curves.csv"
VOLTAGE_FILE = "area_voltage.csv"


def _rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, Callable[[str], str]]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(f"cannot read the file: {exc.strerror}", file=str(path)) from None
    except UnicodeDecodeError:
        raise DataFileError("the file is not UTF-8 text", file=str(path)) from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in columns if c not in (reader.fieldnames or ())]
    if missing:
        raise DataFileError(
            f"missing columns: {', '.join(missing)} (the file needs {', '.join(columns)})",
            file=str(path),
            line=1,
        )
    for row in reader:
        line = reader.line_num

        def get(name: str, row: Mapping[str, str | None] = row) -> str:
            return (row.get(name) or "").strip()

        yield line, get


def _cell(
    path: Path, line: int, column: str, convert: Callable[[str], Any], raw: str, allowed: str
) -> Any:
    try:
        return convert(raw)
    except (ValueError, GdsmodelError, ArithmeticError):
        raise DataFileError(
            f"{raw!r} is not allowed (allowed: {allowed})", file=str(path), line=line, path=column
        ) from None


def _count(raw: str) -> int:
    v = int(raw)
    if v < 0:
        raise ValueError(raw)
    return v


def _kwh(raw: str) -> Fraction:
    return exact(raw or "0", name="kWh")


def _signed(raw: str) -> Fraction:
    return exact(raw, name="value", nonnegative=False)


def _day(raw: str) -> dt.date:
    return dt.date.fromisoformat(raw)


def _text(raw: str) -> str:
    if not raw:
        raise ValueError("empty")
    return raw


def _point(raw: str) -> int:
    v = int(raw)
    if not 0 <= v < 96:
        raise ValueError(raw)
    return v


def read_area_days(path: str | os.PathLike[str]) -> tuple[list[AreaDay], dict[str, str]]:
    """The day states of ``area_days.csv`` and the area types found in it."""
    p = Path(path)
    cols = (
        "area",
        "day",
        "supply_meters",
        "supply_read",
        "supplied_kwh",
        "sold_kwh",
        "meters_expected",
        "meters_read",
    )
    days: list[AreaDay] = []
    types: dict[str, str] = {}
    seen: set[tuple[str, dt.date]] = set()
    for line, get in _rows(p, cols):

        def cell(name: str, convert: Callable[[str], Any], allowed: str) -> Any:
            return _cell(p, line, name, convert, get(name), allowed)  # noqa: B023

        area = cell("area", _text, "an area ID")
        day = cell("day", _day, "a date YYYY-MM-DD")
        if (area, day) in seen:
            raise DataFileError(
                f"area {area} on {day} appears twice", file=str(p), line=line, path="day"
            )
        seen.add((area, day))
        kind = get("area_type")
        if kind and types.setdefault(area, kind) != kind:
            raise DataFileError(
                f"area {area} has two types ({types[area]}, {kind})",
                file=str(p),
                line=line,
                path="area_type",
            )
        whole = "a whole number >= 0"
        days.append(
            AreaDay(
                area=area,
                day=day,
                supply_meters=cell("supply_meters", _count, whole),
                supply_read=cell("supply_read", _count, whole),
                supplied_kwh=cell("supplied_kwh", _kwh, "kWh >= 0, or empty when not read"),
                sold_kwh=cell("sold_kwh", _kwh, "kWh >= 0"),
                estimated_kwh=cell("estimated_kwh", _kwh, "kWh >= 0"),
                meters_expected=cell("meters_expected", _count, whole),
                meters_read=cell("meters_read", _count, whole),
                meters_estimated=cell("meters_estimated", lambda r: _count(r or "0"), whole),
            )
        )
        if days[-1].supply_read > days[-1].supply_meters:
            raise DataFileError(
                "more supply meters read than seen", file=str(p), line=line, path="supply_read"
            )
    return days, types


def read_transformers(path: str | os.PathLike[str]) -> list[Transformer]:
    """The transformers of ``area_transformers.csv``."""
    p = Path(path)
    out = []
    for line, get in _rows(p, ("transformer", "area", "rated_kva")):
        out.append(
            Transformer(
                _cell(p, line, "transformer", _text, get("transformer"), "an ID"),
                _cell(p, line, "area", _text, get("area"), "an area ID"),
                _cell(p, line, "rated_kva", _kwh, get("rated_kva"), "kVA > 0"),
            )
        )
    return out


def read_curves(path: str | os.PathLike[str]) -> list[CurvePoint]:
    """The curve points of ``area_curves.csv`` (``q_kvar``, ``ia``, ``ib``, ``ic`` may be empty)."""
    p = Path(path)
    out = []
    for line, get in _rows(p, ("transformer", "day", "point", "p_kw")):

        def opt(name: str, convert: Callable[[str], Fraction]) -> Fraction | None:
            raw = get(name)  # noqa: B023
            return None if not raw else _cell(p, line, name, convert, raw, "a number")  # noqa: B023

        try:
            pt = CurvePoint(
                _cell(p, line, "transformer", _text, get("transformer"), "an ID"),
                _cell(p, line, "day", _day, get("day"), "a date YYYY-MM-DD"),
                _cell(p, line, "point", _point, get("point"), "0 to 95"),
                _cell(p, line, "p_kw", _signed, get("p_kw"), "kW"),
                q_kvar=opt("q_kvar", _signed),
                ia=opt("ia", _kwh),
                ib=opt("ib", _kwh),
                ic=opt("ic", _kwh),
            )
        except GdsmodelError as exc:
            raise DataFileError(str(exc), file=str(p), line=line) from None
        out.append(pt)
    return out


def read_voltage_points(path: str | os.PathLike[str]) -> list[VoltagePoint]:
    """The voltage points of ``area_voltage.csv``."""
    p = Path(path)
    out = []
    for line, get in _rows(p, ("customer", "area", "day", "point", "voltage")):
        out.append(
            VoltagePoint(
                _cell(p, line, "customer", _text, get("customer"), "an ID"),
                _cell(p, line, "area", _text, get("area"), "an area ID"),
                _cell(p, line, "day", _day, get("day"), "a date YYYY-MM-DD"),
                _cell(p, line, "point", _point, get("point"), "0 to 95"),
                _cell(p, line, "voltage", _kwh, get("voltage"), "volts >= 0"),
            )
        )
    return out


@attrs.frozen(slots=True, kw_only=True)
class AreaRow:
    """One area in a month: its state and its class."""

    area: str
    area_type: str
    period: AreaPeriod
    classification: Classification

    def __repr__(self) -> str:
        return _show.short_repr(self)


@attrs.frozen(slots=True, kw_only=True)
class AreaSection:
    """The transformer-area figures of a station for one month (report section, CLI)."""

    month: Month
    rows: tuple[AreaRow, ...]
    counts: ClassCounts
    trend: tuple[tuple[Month, ClassCounts], ...]
    heavy_load: tuple[EventSummary, ...]
    overload: tuple[EventSummary, ...]
    unbalance: tuple[EventSummary, ...]
    low_voltage: LowVoltageCounts | None
    monitored_areas: int

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def of_class(self, area_class: AreaClass | str) -> tuple[AreaRow, ...]:
        """The areas of one class."""
        k = AreaClass(area_class)
        return tuple(r for r in self.rows if r.classification.area_class is k)


def _month_of(day: dt.date) -> Month:
    return Month(day.year, day.month)


def area_section(
    folder: str | os.PathLike[str], month: Month | str, *, rules: AreaRules | None = None
) -> AreaSection:
    """The month's areas by class, the class counts of every month in the file (the trend),
    and the month's load, unbalance and low-voltage events from the optional files.

    A month without any data (no day rows, curves or voltage points) raises
    :class:`~gdsmodel.errors.NotFoundError` listing the months of ``area_days.csv``.
    """
    r = rules or area_rules()
    m = Month.parse(month) if isinstance(month, str) else month
    m = Month(m.year.number, m.number)  # the calendar month (a station's time zone aside)
    base = Path(folder)
    days, types = read_area_days(base / DAYS_FILE)
    periods: dict[tuple[str, Month], AreaPeriod] = {}
    for d in days:
        kind = types.get(d.area, r.default_area_type)
        r.band(kind)  # an unknown type is an error of the file
        s = AreaPeriod.of(d, area_type=kind, rules=r)
        k = (d.area, _month_of(d.day))
        periods[k] = periods[k] + s if k in periods else s
    months = sorted({k[1] for k in periods}, key=lambda x: (x.year.number, x.number))
    trend = []
    rows: list[AreaRow] = []
    for mm in months:
        classes = []
        for (area, pm), p in sorted(periods.items(), key=lambda kv: kv[0][0]):
            if pm != mm:
                continue
            c = classify(p, rules=r)
            classes.append(c)
            if mm == m:
                kind = types.get(area, r.default_area_type)
                rows.append(AreaRow(area=area, area_type=kind, period=p, classification=c))
        trend.append((mm, ClassCounts.of(classes)))
    heavy: tuple[EventSummary, ...] = ()
    over: tuple[EventSummary, ...] = ()
    unbal: tuple[EventSummary, ...] = ()
    monitored = 0
    lo, hi = m.first_date, m.last_date
    if (base / TRANSFORMERS_FILE).exists() and (base / CURVES_FILE).exists():
        ts = read_transformers(base / TRANSFORMERS_FILE)
        pts = [pt for pt in read_curves(base / CURVES_FILE) if lo <= pt.day <= hi]
        rates = area_load_rates(pts, ts)
        monitored = len({k[0] for k in rates})
        heavy = tuple(load_events(rates, r.load_event("heavy_load"), rules=r).values())
        over = tuple(load_events(rates, r.load_event("overload"), rules=r).values())
        unbal = tuple(unbalance_events(pts, ts, rules=r).values())
    lv = None
    if (base / VOLTAGE_FILE).exists():
        vps = [v for v in read_voltage_points(base / VOLTAGE_FILE) if lo <= v.day <= hi]
        lv = low_voltage(vps, rules=r) if vps else None
    if m not in months and not monitored and lv is None:
        raise NotFoundError("month with area data", str(m), [str(x) for x in months])
    return AreaSection(
        month=m,
        rows=tuple(rows),
        counts=dict(trend).get(m, ClassCounts()),
        trend=tuple(trend),
        heavy_load=tuple(s for s in heavy if s.events),
        overload=tuple(s for s in over if s.events),
        unbalance=tuple(s for s in unbal if s.events),
        low_voltage=lv,
        monitored_areas=monitored,
    )
