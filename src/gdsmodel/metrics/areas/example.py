"""A deterministic generator of transformer-area data for the example station.

For the areas of the example station it writes, as CSV text:

* ``area_days.csv``: one day-state row per area and day (the daily frozen readings of both
  sides summed per area: supply meters seen and read, energy supplied, sold and estimated,
  customer meters expected, read and estimated) for the last three months, with a few
  areas of each class in the last month (high-loss, negative-loss, non-computable for no
  supply reading, low collection and an archive mismatch);
* ``area_transformers.csv``: each area's transformer and rated kVA;
* ``area_curves.csv``: 96-point curves (P, Q, phase currents) of four transformers for a summer
  week (one transformer overloads every evening) and a week of the last month (one heavily
  loaded, one unbalanced, one normal);
* ``area_voltage.csv``: 96-point voltages of a few customers (two at the end of a long
  line see low voltage at the evening peak).

Integer arithmetic on a seeded :class:`random.Random`: the same inputs write the same bytes.

>>> from gdsmodel.periods import Month
>>> files = example_area_files(["L01-01", "L01-02", "L02-01", "L02-02", "L03-01", "L03-02",
...                             "L04-01", "L04-02", "L05-01", "L05-02", "L06-01", "L06-02"],
...                            [Month(2025, 7), Month(2025, 8)], seed=1)
>>> sorted(files)
['area_curves.csv', 'area_days.csv', 'area_transformers.csv', 'area_voltage.csv']
>>> files["area_days.csv"].splitlines()[0]
'area,day,area_type,supply_meters,supply_read,supplied_kwh,sold_kwh,estimated_kwh,meters_expected,meters_read,meters_estimated'
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Sequence
from typing import Any, Protocol

from gdsmodel.errors import InputError
from gdsmodel.periods import Month

__all__ = ["DAY_COLUMNS", "example_area_files", "station_files"]

DAY_COLUMNS = (
    "area",
    "day",
    "area_type",
    "supply_meters",
    "supply_read",
    "supplied_kwh",
    "sold_kwh",
    "estimated_kwh",
    "meters_expected",
    "meters_read",
    "meters_estimated",
)
"""The columns of ``area_days.csv``."""

_SEED_SALT = 0x7A1
_DAILY_SEASON = {1: 135, 2: 142, 3: 102, 4: 90, 5: 94, 6: 108, 7: 145, 8: 152, 9: 106}
_DAILY_SEASON |= {10: 90, 11: 98, 12: 122}


def _csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue()


def _days(m: Month) -> list[dt.date]:
    first, last = m.first_date, m.last_date
    return [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]


def example_area_files(
    areas: Sequence[str], months: Sequence[Month], *, seed: int
) -> dict[str, str]:
    """The example files for these area IDs over the last three of ``months``.

    Needs at least 12 areas (a few of each class) and one month.

    >>> example_area_files(["A"], [Month(2026, 3)], seed=1)
    Traceback (most recent call last):
    gdsmodel.errors.InputError: areas=1: too few areas for a few of each class (allowed: ...)
    """
    if len(areas) < 12:
        raise InputError(
            "too few areas for a few of each class",
            name="areas",
            value=len(areas),
            allowed="at least 12 area IDs",
        )
    if not months:
        raise InputError("no months", name="months", value=[], allowed="at least one month")
    rng = random.Random(seed ^ _SEED_SALT)
    ids = sorted(areas)
    picked = rng.sample(ids, 10)
    high, negative = picked[:3], picked[3:5]
    no_supply, low_collection, mismatch = picked[5], picked[6], picked[7]
    summer_area, busy_area = picked[8], picked[9]
    last = list(months)[-3:]
    report = last[-1]
    meters = {a: rng.randint(45, 170) for a in ids}
    kinds = {a: ("urban" if a.endswith("-01") and a < "L04" else "rural") for a in ids}
    rows: list[list[Any]] = []
    for m in last:
        season = _DAILY_SEASON[m.number]
        for day in _days(m):
            for a in ids:
                n = meters[a]
                sold = n * rng.randint(30, 42) * season // 1000
                loss = rng.randint(350, 750)  # per 10 000
                if m == report and a in high:
                    loss = rng.randint(1250, 1650)
                elif m == report and a in negative:
                    loss = -rng.randint(150, 420)
                supplied = sold * 10_000 // (10_000 - loss)
                read = n if rng.random() < 0.93 else n - rng.randint(0, 1)
                estimated = 0
                est_kwh = 0
                supply_read = 1
                expected = n
                if rng.random() < 0.02:  # a bad collection day anywhere
                    read = n * 9 // 10
                if m == report and a == low_collection:
                    read = n * rng.randint(80, 95) // 100
                    estimated = n - read if day.day % 2 else 0
                    est_kwh = sold * estimated // n
                if m == report and a == mismatch:
                    expected = n - rng.randint(3, 6)  # customers moved in the archive
                if m == report and a == no_supply:  # the supply meter was replaced
                    supply_read = 0
                rows.append(
                    [
                        a,
                        day.isoformat(),
                        kinds[a],
                        1,
                        supply_read,
                        supplied if supply_read else "",
                        sold,
                        est_kwh,
                        expected,
                        read,
                        estimated,
                    ]
                )
    files = {"area_days.csv": _csv(DAY_COLUMNS, rows)}
    rated = {a: rng.choice([100, 200, 315, 400]) for a in ids}
    unbalanced, normal = picked[2], picked[4]
    rated[summer_area] = 200
    rated[busy_area] = 315
    tr = {a: f"TR-{a}" for a in ids}
    files["area_transformers.csv"] = _csv(
        ["transformer", "area", "rated_kva"], [[tr[a], a, rated[a]] for a in ids]
    )
    summer = next((m for m in months if m.number in (7, 8)), None)
    windows: list[tuple[str, list[dt.date], str]] = []
    if summer is not None:
        week = [
            dt.date(summer.year.number, summer.number, 14) + dt.timedelta(days=k) for k in range(7)
        ]
        windows.append((summer_area, week, "overload"))
    week = [report.first_date + dt.timedelta(days=9 + k) for k in range(7)]
    windows += [
        (busy_area, week, "heavy"),
        (unbalanced, week, "unbalanced"),
        (normal, week, "normal"),
    ]
    curve_rows: list[list[Any]] = []
    for area, days, kind in windows:
        s_n = rated[area]
        for day in days:
            for i in range(96):
                hour = i // 4
                base = 30 + 25 * (7 <= hour < 22)  # percent of rated
                peak = 0
                if 19 <= hour < 22 or (hour == 18 and i % 4 >= 2):
                    peak = {"overload": 80, "heavy": 35, "unbalanced": 10, "normal": 15}[kind]
                rate = base + peak + rng.randint(-4, 4)
                p = s_n * rate * 9 // 1000  # P at power factor 0.9
                q = s_n * rate * 436 // 100_000
                amps = s_n * rate * 1000 // (100 * 3 * 220)
                shares = (50, 28, 22) if kind == "unbalanced" else (34, 33, 33)
                ia, ib, ic = (amps * 3 * sh // 100 for sh in shares)
                curve_rows.append([tr[area], day.isoformat(), i, p, q, ia, ib, ic])
    files["area_curves.csv"] = _csv(
        ["transformer", "day", "point", "p_kw", "q_kvar", "ia", "ib", "ic"], curve_rows
    )
    volt_rows: list[list[Any]] = []
    customers = [(busy_area, f"{busy_area}-C{k:03d}", k >= 2) for k in range(4)]
    customers += [(normal, f"{normal}-C{k:03d}", False) for k in range(2)]
    for area, customer, far in customers:
        for day in week:
            for i in range(96):
                hour = i // 4
                v = 228 - 8 * (7 <= hour < 22) + rng.randint(-3, 3)
                if far and 19 <= hour < 21:
                    v = 190 + rng.randint(0, 6)  # end of a long line at the evening peak
                volt_rows.append([customer, area, day.isoformat(), i, v])
    files["area_voltage.csv"] = _csv(["customer", "area", "day", "point", "voltage"], volt_rows)
    return files


class _Area(Protocol):
    @property
    def id(self) -> str: ...


class _Station(Protocol):
    @property
    def months(self) -> Sequence[Month]: ...

    @property
    def areas(self) -> Sequence[_Area]: ...


def station_files(station: _Station, rng: random.Random) -> dict[str, str]:
    """The example files for an example station (the hook of the station generator: a
    station with ``months`` and ``areas``, and the generator's own random source).

    >>> import types
    >>> st = types.SimpleNamespace(months=[Month(2026, 3)],
    ...                            areas=[types.SimpleNamespace(id=f"A{i:02d}") for i in range(12)])
    >>> sorted(station_files(st, random.Random(1)))[1]
    'area_days.csv'
    """
    return example_area_files(
        [a.id for a in station.areas], list(station.months), seed=rng.getrandbits(32)
    )
