"""A seeded generator of a realistic example station: twelve months of data for the report.

The example station (青山供电所, Qingshan) has 12 10 kV lines, about 60 transformer
areas and about 7000 customers, with data for the twelve months April 2025 to March
2026 (so the report of March 2026 has a full year of trend and a year to date that
crosses the new year). The numbers are invented but shaped like a rural station's:
seasonal consumption (summer and Spring Festival peaks), a few high-loss areas, one
area read out of step (抄表不同期: a negative loss in January, made up in February),
a line over its loss target, a typhoon in August 2025 that breaks the RS-3 target,
summer load shedding, a short auto-reclose, an outage across a month end, weak
voltage points at peak, a few unqualified tickets and refused RCD trips, and a
safety-tool ledger with tools tested on time, overdue, failed and sealed, repaired
and awaiting a retest, scrapped, and a batch recall.

Everything is integer arithmetic on a :class:`random.Random` with the given seed: the
same seed writes the same bytes.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "station"
>>> written = generate_station(folder, seed=7, months=2)
>>> {'README.md', 'areas.csv', 'billing.csv', 'station.toml'} <= {p.name for p in written}
True
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import math
import random
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs

from gdsmodel.errors import InputError
from gdsmodel.money import yuan
from gdsmodel.periods import Month

__all__ = [
    "DEFAULT_SEED",
    "FIRST_MONTH",
    "MONTHS",
    "ExampleArea",
    "ExampleStation",
    "generate_station",
]

DEFAULT_SEED = 2026
"""The seed of the committed example (``examples/station``)."""

FIRST_MONTH = Month(2025, 4)
"""The first month of the example data."""

MONTHS = 12
"""How many months the example holds (2025-04 to 2026-03)."""

_VILLAGES = (
    "青山",
    "白沙",
    "东岭",
    "西河",
    "南塘",
    "北坡",
    "柳林",
    "石桥",
    "杏花",
    "桃园",
    "枫树",
    "龙潭",
)
# consumption by calendar month, per mille of the base (Spring Festival and summer peaks)
_SEASON = {1: 1350, 2: 1420, 3: 1020, 4: 900, 5: 940, 6: 1080, 7: 1450, 8: 1520, 9: 1060}
_SEASON |= {10: 900, 11: 980, 12: 1220}
_PEAK = {1, 2, 7, 8}


@attrs.frozen(slots=True, kw_only=True)
class ExampleArea:
    """A transformer area of the example station: its ID, line and customers per month."""

    id: str
    line: str
    customers: Mapping[Month, int] = attrs.field(hash=False)


@attrs.frozen(slots=True, kw_only=True)
class ExampleStation:
    """What another part's example generator gets: the seed, the months, the lines and areas.

    A generator is a function ``(ExampleStation, random.Random) -> {file name: text}``; it
    gets its own :class:`random.Random` seeded from the station's seed and its name, so
    adding one never changes the bytes of the files the others write.
    """

    seed: int
    months: tuple[Month, ...]
    lines: tuple[str, ...]
    areas: tuple[ExampleArea, ...]


ExampleGenerator = Callable[[ExampleStation, random.Random], Mapping[str, str]]


def _extra_generators() -> tuple[tuple[str, ExampleGenerator], ...]:
    """Example data of other parts of gdsmodel: one line each, ``(name, generator)``.

    >>> [name for name, _ in _extra_generators()]
    ['areas', 'people', 'records']
    """
    found: list[tuple[str, ExampleGenerator]] = []
    # e.g. from gdsmodel.organisation.example import roster; found.append(("people", roster))
    from gdsmodel.metrics.areas.example import station_files

    found.append(("areas", station_files))
    from gdsmodel.organisation.example import roster

    found.append(("people", roster))
    from gdsmodel.standards.records.example import station_files as records

    found.append(("records", records))
    return tuple(found)


_REPLACES: Mapping[str, frozenset[str]] = {"records": frozenset({"tickets.csv"})}
"""The core files an extra generator writes in place of the core one, declared here (any
other file written twice is refused): the records' ``tickets.csv`` is the hand count of
the ticket records, so the figures from records equal the hand-counted ones. The core
``tickets.csv`` is still drawn first, so every other file keeps its bytes."""


class _Area:
    def __init__(self, rng: random.Random, line: str, k: int) -> None:
        self.id = f"{line}-{k:02d}"
        self.line = line
        self.customers = rng.randint(45, 170)
        self.base_kwh = rng.randint(85, 150)  # per customer and month
        self.loss = rng.randint(300, 650)  # per 10 000
        self.price = rng.randint(5130, 5430)  # yuan per kWh, per 10 000
        self.branches = rng.randint(2, 5)


def _csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def _hm(day: _dt.date, minutes: int) -> str:
    t = _dt.datetime(day.year, day.month, day.day) + _dt.timedelta(minutes=minutes)
    return t.strftime("%Y-%m-%d %H:%M")


def generate_station(
    folder: str | Path,
    *,
    seed: int = DEFAULT_SEED,
    months: int = MONTHS,
    first: Month = FIRST_MONTH,
    overwrite: bool = False,
) -> list[Path]:
    """Write the example station into ``folder``; returns the files written.

    ``months`` months from ``first``. An existing file is refused unless ``overwrite``.

    >>> generate_station("/nonexistent/x", months=0)
    Traceback (most recent call last):
    gdsmodel.errors.InputError: months=0: must be at least 1 (allowed: 1 to 36)
    """
    if not 1 <= months <= 36:
        raise InputError("must be at least 1", name="months", value=months, allowed="1 to 36")
    rng = random.Random(seed)
    span = [first]
    for _ in range(months - 1):
        span.append(span[-1].next())
    files: dict[str, str] = {}
    lines = [f"L{i:02d}" for i in range(1, 13)]
    areas: list[_Area] = []
    for line in lines:
        for k in range(1, rng.randint(3, 7) + 1):
            areas.append(_Area(rng, line, k))
    by_line = {line: [a for a in areas if a.line == line] for line in lines}
    high_loss = rng.sample(areas, 3)
    for a in high_loss:
        a.loss = rng.randint(1200, 1500)
    out_of_step = rng.choice([a for a in areas if a not in high_loss])
    direct = {line: rng.choice([0, 0, 0, rng.randint(5_000, 20_000)]) for line in lines}
    direct[lines[2]] = rng.randint(60_000, 90_000)  # a brickworks on L03
    direct[lines[6]] = rng.randint(90_000, 140_000)  # a rice mill on L07
    hv_loss = {line: rng.randint(120, 250) for line in lines}
    hv_loss[lines[4]] = 420  # a long feeder over its target
    pf = {line: rng.randint(86, 96) for line in lines}

    customers: dict[tuple[str, Month], int] = {}
    energy_area: dict[tuple[str, Month], tuple[int, int]] = {}
    area_rows: list[list[Any]] = []
    line_rows: list[list[Any]] = []
    billing_rows: list[list[Any]] = []
    rcd_rows: list[list[Any]] = []
    missing_rcd = {a.id: rng.randint(months // 2, months + 2) for a in rng.sample(areas, 3)}
    for mi, m in enumerate(span):
        season = _SEASON[m.number]
        for a in areas:
            if mi and rng.random() < 0.4:
                a.customers += rng.randint(0, 2)
            customers[(a.id, m)] = a.customers
            noise = rng.randint(960, 1040)
            sold = a.customers * a.base_kwh * season * noise // 1_000_000
            loss = a.loss + rng.randint(-80, 80)
            if a is out_of_step and m.number == 1:
                loss = -200  # read out of step: sold > supplied
            elif a is out_of_step and m.number == 2:
                loss = a.loss + 350  # made up the next month
            supplied = sold * 10_000 // (10_000 - loss)
            energy_area[(a.id, m)] = (supplied, sold)
            area_rows.append([str(m), a.id, a.line, supplied, sold, a.customers])
            # meter reading and fees
            read = a.customers - (rng.randint(1, 3) if rng.random() < 0.06 else 0)
            r = rng.random()
            errors = 2 if r < 0.01 else 1 if r < 0.06 else 0
            billed = yuan(Fraction(sold * a.price, 10_000))
            rate = rng.randint(1000, 1025) if rng.random() < 0.2 else rng.randint(990, 1000)
            collected = yuan(Fraction(int(billed * 100) * rate, 100_000))
            arrears = yuan(rng.randint(50, 900)) if rng.random() < 0.25 else yuan(0)
            billing_rows.append(
                [str(m), a.id, a.customers, read, errors, billed, collected, arrears, collected]
            )
            # residual current devices: a main one and the branch ones, tested every month
            required = 1 + a.branches
            installed = required - (1 if missing_rcd.get(a.id, 0) > mi else 0)
            in_service = installed - (1 if rng.random() < 0.04 else 0)
            operations = installed + rng.randint(0, 3)
            correct = operations - (1 if rng.random() < 0.03 else 0)
            rcd_rows.append([str(m), a.id, required, installed, in_service, operations, correct])
        for i, line in enumerate(lines):
            mine = by_line[line]
            a_sup = sum(energy_area[(a.id, m)][0] for a in mine)
            a_sold = sum(energy_area[(a.id, m)][1] for a in mine)
            d = direct[line] * season // 1000 if direct[line] else 0
            hv = hv_loss[line] + rng.randint(-40, 40)
            supplied = (a_sup + d) * 10_000 // (10_000 - hv)
            sold = a_sold + d
            p = pf[line] + rng.randint(-1, 1)
            reactive = math.isqrt(supplied * supplied * (10_000 - p * p)) // p
            name = f"10kV{_VILLAGES[i]}线"
            line_rows.append([str(m), line, name, "10kV", supplied, sold, reactive])
    files["lines.csv"] = _csv(
        ["month", "line", "name", "voltage", "supplied_kwh", "sold_kwh", "reactive_kvarh"],
        line_rows,
    )
    files["areas.csv"] = _csv(
        ["month", "area", "line", "supplied_kwh", "sold_kwh", "customers"], area_rows
    )
    files["billing.csv"] = _csv(
        [
            "month",
            "area",
            "meters_due",
            "meters_read",
            "reading_errors",
            "billed_yuan",
            "collected_yuan",
            "arrears_collected_yuan",
            "remitted_yuan",
        ],
        billing_rows,
    )
    files["rcd.csv"] = _csv(
        ["month", "area", "required", "installed", "in_service", "operations", "correct"],
        rcd_rows,
    )
    files["outages.csv"] = _outages(rng, span, by_line, customers)
    files["voltage.csv"] = _voltage(rng, span, areas, lines)
    files["tickets.csv"] = _tickets(rng, span)
    files["equipment.csv"] = _equipment(rng, span, len(areas))
    files["checks.csv"] = _checks(rng, span)
    first_year, last = span[0].year.number, span[-1].year.number
    files["station.toml"] = _station_toml(seed, range(first_year, last + 1))
    files["README.md"] = _readme(seed, span, len(lines), len(areas), customers)
    station = ExampleStation(
        seed=seed,
        months=tuple(span),
        lines=tuple(lines),
        areas=tuple(
            ExampleArea(id=a.id, line=a.line, customers={m: customers[(a.id, m)] for m in span})
            for a in areas
        ),
    )
    written: set[str] = set()  # the files of the extra generators
    for name, generator in _extra_generators():
        for file, text in generator(station, random.Random(f"{seed}/{name}")).items():
            if file in files and (file in written or file not in _REPLACES.get(name, ())):
                raise InputError("written twice", name="file", value=file, allowed=name)
            files[file] = text
            written.add(file)

    out = Path(folder)
    targets = [out / name for name in [*files, "safety_tools.json"]]
    clash = [p for p in targets if p.exists()]
    if clash and not overwrite:
        raise InputError(
            "files exist", name="folder", value=str(out), allowed="a new folder, or overwrite"
        )
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8", newline="\n")
    _ledger(rng, span).save(out / "safety_tools.json", overwrite=True)
    return sorted(targets)


def _outages(
    rng: random.Random,
    span: Sequence[Month],
    by_line: dict[str, list[_Area]],
    customers: dict[tuple[str, Month], int],
) -> str:
    lines = list(by_line)
    areas = [a for mine in by_line.values() for a in mine]
    events: list[tuple[str, str, str, str, int, str, str]] = []

    def of(m: Month, chosen: Sequence[_Area]) -> int:
        return sum(customers[(a.id, m)] for a in chosen)

    def day(m: Month, lo: int = 3, hi: int = 26) -> _dt.date:
        return _dt.date(m.year.number, m.number, rng.randint(lo, hi))

    def add(
        m: Month, start: _dt.date, at: int, minutes: int, chosen: Sequence[_Area], cause: str,
        note: str, *, area: bool = True, offset: bool = False,
    ) -> None:  # fmt: skip
        s, e = _hm(start, at), _hm(start, at + minutes)
        if offset:
            s, e = s.replace(" ", "T") + "+08:00", e.replace(" ", "T") + "+08:00"
        where = chosen[0].id if area and len(chosen) == 1 else ""
        events.append((s, e, chosen[0].line, where, of(m, chosen), cause, note))

    for i, m in enumerate(span):
        # one planned maintenance outage a month, on one to three areas of a line
        line = rng.choice(lines)
        mine = by_line[line]
        chosen = rng.sample(mine, min(len(mine), rng.randint(1, 3)))
        add(m, day(m), 8 * 60 + 30 * rng.randint(0, 2), 30 * rng.randint(8, 16), chosen,
            "planned", "计划检修")  # fmt: skip
        if i % 3 == 1:  # faults
            a = rng.choice(areas)
            note = rng.choice(
                ["树障放电跳闸", "雷击避雷器击穿", "配变低压桩头烧损", "跌落保险熔断"]
            )
            add(m, day(m), rng.randint(0, 23) * 60, rng.randint(40, 240), [a], "fault", note)
        if m.number in (7, 8):
            chosen = [a for a in areas if a.line in lines[8:10]]
            add(m, day(m, 10, 20), 19 * 60, 120, chosen, "supply_shortage", "上级电源不足有序限电",
                area=False, offset=True)  # fmt: skip
        if m.number == 8:  # typhoon: three lines down for most of a day
            storm = day(m, 12, 18)
            for line in lines[:3]:
                add(m, storm, 5 * 60, 780 + rng.randint(0, 120), by_line[line], "fault",
                    "台风倒杆断线", area=False)  # fmt: skip
        if m.number in (6, 11, 3):
            a = rng.choice(areas)
            note = {6: "施工挖断电缆", 11: "车辆撞杆", 3: "风筝挂线"}[m.number]
            add(m, day(m), rng.randint(9, 17) * 60, rng.randint(60, 180), [a], "external", note)
        if m.number == 10:  # across the month end
            a = rng.choice(areas)
            last = _dt.date(m.year.number, 10, 31)
            add(m, last, 22 * 60 + 40, 280, [a], "fault", "导线断股抢修,跨月")
        if m.number == 2:  # an auto-reclose: counted as a short interruption only
            line = rng.choice(lines)
            add(m, day(m), 14 * 60, 2, by_line[line], "fault", "重合闸成功(短时停电)",
                area=False)  # fmt: skip
    events.sort()
    rows = []
    for n, (s, e, line, where, count, cause, note) in enumerate(events, start=1):
        rows.append([f"TD{s[:4]}-{n:03d}", line, where, s, e, count, cause, note])
    return _csv(["id", "line", "area", "start", "end", "customers_affected", "cause", "note"], rows)


def _voltage(
    rng: random.Random, span: Sequence[Month], areas: Sequence[_Area], lines: Sequence[str]
) -> str:
    points: list[tuple[str, str, int]] = [("10kV母线I段", "A", 20), ("10kV母线II段", "A", 20)]
    points += [(f"专变{line}", "C", 150) for line in (lines[2], lines[6], lines[9], lines[11])]
    picked = sorted(rng.sample(list(areas), 24), key=lambda a: a.id)
    weak = set(rng.sample(range(24), 4))
    points += [(f"{a.id}末端", "D", 2500 if i in weak else 250) for i, a in enumerate(picked)]
    rows = []
    for m in span:
        total = m.days * 1440
        for point, cls, worst in points:
            gap = rng.randint(60, 720) if rng.random() < 0.1 else 0
            peak = m.number in _PEAK
            below = rng.randint(worst // 4, worst) if peak else rng.randint(0, min(worst, 300))
            above = rng.randint(0, 150 if cls == "D" else 30)
            rows.append([str(m), point, cls, total - gap, above, below])
    return _csv(
        [
            "month",
            "point",
            "class",
            "monitored_minutes",
            "above_upper_minutes",
            "below_lower_minutes",
        ],
        rows,
    )


def _tickets(rng: random.Random, span: Sequence[Month]) -> str:
    rows = []
    for m in span:
        work = rng.randint(18, 42)
        op = rng.randint(25, 60)
        rows.append([str(m), "work", work, work - (1 if rng.random() < 0.25 else 0)])
        rows.append([str(m), "operation", op, op - (1 if rng.random() < 0.1 else 0)])
    return _csv(["month", "type", "total", "qualified"], rows)


def _equipment(rng: random.Random, span: Sequence[Month], n_areas: int) -> str:
    km = Decimal(rng.randint(1800, 2400)) / 10
    bad_km = Decimal(rng.randint(20, 60)) / 10
    rows = []
    c3_units = 2
    for m in span:
        if rng.random() < 0.3:
            bad_km = max(Decimal(0), bad_km + Decimal(rng.randint(-15, 10)) / 10)
        class2_km = (km * Decimal("0.12")).quantize(Decimal("0.1"))
        rows.append([str(m), "10kV线路", "km", km - class2_km - bad_km, class2_km, bad_km])
        if rng.random() < 0.25:
            c3_units = max(0, c3_units + rng.choice([-1, 1]))
        c2 = n_areas // 8
        rows.append([str(m), "配电变压器", "台", n_areas - c2 - c3_units, c2, c3_units])
        rows.append([str(m), "柱上开关", "台", 26, 3, rng.choice([0, 0, 1])])
    return _csv(["month", "category", "unit", "class1", "class2", "class3"], rows)


def _checks(rng: random.Random, span: Sequence[Month]) -> str:
    from gdsmodel.metrics.assessment import RuleKind, default_scheme

    rules = [r.id for r in default_scheme().rules if r.kind is RuleKind.CHECK]
    rows = []
    fails = {
        (span[min(4, len(span) - 1)], "safety_officer.reports"): "安全月报迟报2天",
        (span[-2] if len(span) > 1 else span[0], "marketing_officer.line_loss_analysis"): (
            "未对负线损台区开展分析"
        ),
    }
    for m in span:
        for rule in rules:
            note = fails.get((m, rule), "")
            rows.append([str(m), rule, "no" if note else "yes", note])
    return _csv(["month", "rule", "passed", "note"], rows)


def _station_toml(seed: int, years: range) -> str:
    arrears = {2025: "268400.00", 2026: "312450.00"}
    lines = [
        "# The example station written by `gdsmodel generate-example` "
        f"(seed {seed}); see docs/report.md.",
        'format = "gdsmodel.station/1"',
        'name = { zh = "青山供电所(示例)", en = "Qingshan power supply station (example)" }',
        'timezone = "Asia/Shanghai"',
        "",
        "# The station's grade picks the grade-A targets of the 10 kV line loss and RS-3.",
        'grade = "A"',
        "",
        "[targets]",
        "# metric = a target of the registry, or a value in the metric's unit",
        'line_loss_rate_lv = "lv_11"',
        "",
        "# Earlier years' arrears outstanding on 1 January (yuan): the denominator of the",
        "# collection rate of earlier years.",
        "[arrears]",
    ]
    lines += [f'"{y}" = "{arrears.get(y, "250000.00")}"' for y in years]
    lines += [
        "",
        "# No class B monitoring points here: weigh A, C and D.",
        "[voltage_weights]",
        'A = "1/2"',
        'C = "1/4"',
        'D = "1/4"',
        "",
    ]
    return "\n".join(lines)


def _readme(
    seed: int,
    span: Sequence[Month],
    n_lines: int,
    n_areas: int,
    customers: dict[tuple[str, Month], int],
) -> str:
    last = span[-1]
    total = sum(v for (_, m), v in customers.items() if m == last)
    return (
        "# Example station data\n\n"
        f"Generated by `gdsmodel generate-example` with seed {seed}: invented data shaped like a "
        f"rural station's, for {span[0]} to {span[-1]}: {n_lines} 10 kV lines, {n_areas} "
        f"transformer areas, {total} customers in {last}.\n\n"
        "Do not edit by hand: the tests regenerate the folder and compare it byte for byte. "
        "The file layout and every column are described in `docs/report.md`.\n\n"
        f"    gdsmodel report examples/station --month {last} --lang both\n"
    )


def _ledger(rng: random.Random, span: Sequence[Month]) -> Any:
    from gdsmodel.standards.safety_tools import Condition, Ledger, next_due, tool_kind

    end = span[-1].last_date
    end_d = _dt.date(end.year, end.month, end.day)
    start = span[0].first_date
    first_d = _dt.date(start.year, start.month, start.day) - _dt.timedelta(days=400)
    sim_end = _dt.date(end.year, end.month, 15)  # the last month's own events come after
    tools: list[tuple[str, str, str, str]] = []  # serial, kind, rating, batch
    plan = [
        ("GL", "insulating_gloves", "high_voltage", 6),
        ("JX", "insulating_boots", "", 4),  # 绝缘靴
        ("YD", "electroscope", "10kV", 4),
        ("JY", "operating_rod", "10kV", 3),
        ("JD", "earthing_set", "", 8),
        ("DP", "insulating_mat", "high_voltage", 4),
        ("TZ", "insulating_ladder", "", 2),
        ("AQ", "safety_belt", "", 10),
        ("JK", "climbing_irons", "", 10),
        ("HM", "safety_helmet", "plastic", 16),
        ("HX", "phase_checker", "", 1),
    ]
    for prefix, kind, rating, count in plan:
        for i in range(1, count + 1):
            batch = f"{prefix}2024-{1 if i <= count // 2 + 1 else 2}"
            tools.append((f"{prefix}-{i:02d}", kind, rating, batch))
    places = ("station", "team-distribution", "vehicle-1")
    # (day, order, ledger method, serial, keyword arguments), run in date order
    ops: list[tuple[_dt.date, int, str, str, dict[str, Any]]] = []

    def at(day: _dt.date, method: str, serial: str, **kwargs: Any) -> None:
        ops.append((day, len(ops), method, serial, {"on": day, **kwargs}))

    forgotten = 0
    fragile = [t[0] for t in tools if t[1] in ("safety_belt", "climbing_irons")]
    failing = set(rng.sample(fragile, 2))
    tester = "县公司试验班"
    for serial, kind, rating, batch in tools:
        reg = first_d + _dt.timedelta(days=rng.randint(0, 300))
        made = reg - _dt.timedelta(days=rng.randint(30, 400)) if kind == "safety_helmet" else None
        at(reg, "register", serial, kind=kind, rating=rating, batch=batch, manufactured=made,
           purchased=reg, keeper="王强", place=rng.choice(places), maker="示例厂")  # fmt: skip
        tested = reg + _dt.timedelta(days=2)
        at(tested, "record_acceptance_test", serial, tester=tester, passed=True)
        kind_ = tool_kind(kind)
        due = next_due(kind_, tested_on=tested, rating=rating, manufactured=made)
        last = tested
        failed_once = False
        while True:
            test_day = due - _dt.timedelta(days=rng.randint(0, 15))
            if test_day > sim_end:
                if due > end_d:
                    break
                test_day = sim_end  # tested early, before the month's own events
            test_day = max(test_day, last + _dt.timedelta(days=1))
            late = end_d - _dt.timedelta(days=75) < due <= end_d
            if late and forgotten < 3 and rng.random() < 0.5:
                forgotten += 1
                break  # the last test was forgotten: overdue at the end
            out_day = last + (test_day - last) // 2
            if rng.random() < 0.3 and last < out_day <= due:  # used between tests
                at(out_day, "issue", serial, to="李明")
                at(out_day, "return_tool", serial)
            if serial in failing and not failed_once and test_day.year < end_d.year:
                failed_once = True
                at(test_day, "record_test", serial, tester=tester, passed=False,
                   note="静拉力试验不合格")  # fmt: skip
                sealed = test_day + _dt.timedelta(days=1)
                at(sealed, "seal", serial, reason="试验不合格,封存待修")
                fixed = sealed + _dt.timedelta(days=10)
                at(fixed, "repair", serial, description="更换护腰带")
                test_day = fixed + _dt.timedelta(days=2)
            at(test_day, "record_test", serial, tester=tester, passed=True)
            last = test_day
            due = next_due(kind_, tested_on=test_day, rating=rating, manufactured=made)
    ops.sort(key=lambda t: (t[0], t[1]))
    ledger = Ledger()
    for _, _, method, serial, kwargs in ops:
        getattr(ledger, method)(serial, **kwargs)

    # the last month: a defect found and sealed, a repair awaiting its test, a scrapped tool,
    # and a batch of gloves recalled after one of them split at a seam
    final = span[-1]
    y, mo = final.year.number, final.number

    def pick(kind: str, before: _dt.date) -> str:
        ok = sorted(
            t.serial
            for t in ledger.tools()
            if t.kind == kind
            and t.condition is Condition.SERVICEABLE
            and t.holder is None
            and t.last_on < before
        )
        return str(rng.choice(ok))

    day = _dt.date(y, mo, 18)
    irons = pick("climbing_irons", day)
    ledger.record_defect(irons, on=day, description="脚扣橡胶防滑块脱落")
    ledger.seal(irons, on=day, reason="防滑块脱落")
    day = _dt.date(y, mo, 19)
    belt = pick("safety_belt", day)
    ledger.record_defect(belt, on=day, description="安全带织带磨损")
    ledger.seal(belt, on=day, reason="织带磨损")
    ledger.repair(belt, on=_dt.date(y, mo, 26), description="更换织带")
    day = _dt.date(y, mo, 20)
    ledger.scrap(pick("insulating_ladder", day), on=day, reason="梯脚开裂,无修复价值")
    day = _dt.date(y, mo, 22)
    batch_tools = sorted(t.serial for t in ledger.tools() if t.batch == "GL2024-1")
    recalled = ledger.recall_batch(
        "GL2024-1", on=day, reason=f"同批次{batch_tools[0]}使用中指缝开裂"
    )
    for state in sorted(recalled, key=lambda t: t.serial)[1:3]:
        ledger.record_test(state.serial, on=_dt.date(y, mo, 27), tester=tester, passed=True)
    return ledger
