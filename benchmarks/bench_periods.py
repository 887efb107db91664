"""Periods: parsing, month construction and ``contains`` against pendulum, in the same run.

Goal (issue "speed of the pure-Python paths"): ``Period.parse`` of the common forms within
1.5x of ``pendulum.parse`` of the same text; month construction and ``contains`` without
repeated time-zone arithmetic. Each side handles the same batch of distinct values (months
and days over two centuries), run in turn (interleaved, alternating who goes first). The
*cold* rows clear the cache of day starts before every batch, so each month is built from
scratch; the *warm* rows measure a second pass over values seen before (a report reads
the same months again and again).

Run (from the project root)::

    .venv/bin/python benchmarks/bench_periods.py               # 2,400 values, 15 repeats
    .venv/bin/python benchmarks/bench_periods.py --values 500 --repeat 5   # a quick run
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pendulum
from _common import interleaved, machine, summary, table

from gdsmodel.periods import DEFAULT_TZ, Month, Period
from gdsmodel.periods import _time as period_time


def _cases(n: int) -> dict[str, tuple[Callable[[], Any], Callable[[], Any], bool]]:
    months = [(1900 + i // 12, i % 12 + 1) for i in range(n)]
    month_texts = [f"{y:04d}-{m:02d}" for y, m in months]
    first = date(1900, 1, 1)
    day_texts = [(first + timedelta(days=7 * i)).isoformat() for i in range(n)]
    quarter_texts = [f"{1900 + i // 4:04d}-Q{i % 4 + 1}" for i in range(n)]
    tz = pendulum.timezone(DEFAULT_TZ)
    moments = [pendulum.datetime(y, m, 15, 12, tz=DEFAULT_TZ) for y, m in months]
    in_utc = [t.in_tz("UTC") for t in moments]
    built = [Month(y, m) for y, m in months]
    bounds = [(p.start, p.end) for p in built]

    def parse_months() -> None:
        for t in month_texts:
            Period.parse(t)

    def pendulum_months() -> None:
        for t in month_texts:
            pendulum.parse(t, tz=tz)

    def parse_days() -> None:
        for t in day_texts:
            Period.parse(t)

    def pendulum_days() -> None:
        for t in day_texts:
            pendulum.parse(t, tz=tz)

    def parse_quarters() -> None:
        for t in quarter_texts:
            Period.parse(t)

    def pendulum_quarter_starts() -> None:  # pendulum has no quarters: parse the first day
        for t in quarter_texts:
            y, q = t.split("-Q")
            pendulum.parse(f"{y}-{3 * int(q) - 2:02d}-01", tz=tz)

    def build_months() -> None:
        for y, m in months:
            Month(y, m)

    def pendulum_month_bounds() -> None:  # what a user writes: both ends of the month
        for y, m in months:
            s = pendulum.datetime(y, m, 1, tz=DEFAULT_TZ)
            s.add(months=1)

    def contains() -> None:
        for p, t in zip(built, moments, strict=True):
            p.contains(t)

    def compare_bounds() -> None:
        for (s, e), t in zip(bounds, moments, strict=True):
            _ = s <= t < e

    def contains_utc() -> None:
        for p, t in zip(built, in_utc, strict=True):
            p.contains(t)

    def compare_bounds_utc() -> None:  # another zone: Python compares the UTC instants
        for (s, e), t in zip(bounds, in_utc, strict=True):
            _ = s <= t < e

    return {
        "parse YYYY-MM": (parse_months, pendulum_months, True),
        "parse YYYY-MM-DD": (parse_days, pendulum_days, True),
        "parse YYYY-Qn": (parse_quarters, pendulum_quarter_starts, True),
        "Month(y, m)": (build_months, pendulum_month_bounds, True),
        "contains(datetime in the zone)": (contains, compare_bounds, False),
        "contains(datetime in UTC)": (contains_utc, compare_bounds_utc, False),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--values", type=int, default=2400, help="distinct values per batch")
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    rows = []
    for name, (ours, theirs, has_cold) in _cases(args.values).items():
        modes = ("cold", "warm") if has_cold else ("warm",)
        for mode in modes:

            def side(fn: Callable[[], Any] = ours, cold: bool = mode == "cold") -> None:
                if cold:
                    period_time._DAY_STARTS.clear()
                    period_time._NAMED_STARTS.clear()
                fn()

            def base(fn: Callable[[], Any] = theirs, cold: bool = mode == "cold") -> None:
                if cold:  # the same (tiny) cost on both sides
                    period_time._DAY_STARTS.clear()
                    period_time._NAMED_STARTS.clear()
                fn()

            times = interleaved({"gdsmodel": side, "pendulum": base}, repeat=args.repeat)
            ours_s, theirs_s = summary(times["gdsmodel"]), summary(times["pendulum"])
            per = 1e6 / args.values
            rows.append(
                [
                    name,
                    mode,
                    f"{ours_s['min'] * per:.2f}",
                    f"{theirs_s['min'] * per:.2f}",
                    f"{ours_s['min'] / theirs_s['min']:.2f}",
                    f"{ours_s['median'] / theirs_s['median']:.2f}",
                ]
            )
    print(machine())
    print(f"{args.values:,} distinct values per batch, {args.repeat} interleaved repeats\n")
    header = [
        "case",
        "cache",
        "gdsmodel µs/value",
        "pendulum µs/value",
        "ratio (min)",
        "ratio (median)",
    ]
    print(table(header, rows))


if __name__ == "__main__":
    main()
