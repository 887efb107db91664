"""Reliability indices on the object path: gdsmodel against a hand-written pandas computation.

N synthetic outages (default 200,000) over five years on 50 lines, 100,000 customers served:

* ``indices``: ``reliability_indices(outages=..., period=five years, customers=...)`` (every
  index, exact fractions) against pandas computing the same sums (sustained mask, clipping,
  per-cause sums) on a frame of the same outages with int64 instants;
* ``daily``: ``daily_saidi`` over the five years (start-day accrual) against a pandas
  group-by of the start day;
* ``build``: making the ``Outage`` objects from plain values (done once per load; not part of
  either side above).

Both sides give the same numbers: the script checks the customer-hours and interruptions per
cause, and every day's SAIDI. Times are interleaved in one process (min and median of
``--repeat`` runs).

Run (from the project root, with the ``dataframe`` extra installed)::

    .venv/bin/python benchmarks/bench_reliability.py              # 200k outages
    .venv/bin/python benchmarks/bench_reliability.py --outages 20000 --repeat 3
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta, timezone
from fractions import Fraction
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import interleaved, machine, summary, table

CUSTOMERS = 100_000
CAUSES = ("planned", "fault", "external", "supply_shortage")


def rows(n: int, seed: int = 7) -> list[tuple[datetime, int, int, str, str]]:
    """(start, minutes, customers, cause, line) of n outages in 2019-2023 (UTC+8)."""
    rnd = random.Random(seed)
    zone = timezone(timedelta(hours=8))
    t0 = datetime(2019, 1, 1, tzinfo=zone)
    span = 5 * 365 * 1440
    return [
        (
            t0 + timedelta(minutes=rnd.randrange(span)),
            rnd.choice((1, 2, 3, 4, 5, 10, 30, 60, 120, 240, 600)),
            rnd.randrange(1, 400),
            rnd.choice(CAUSES),
            f"L{rnd.randrange(50)}",
        )
        for _ in range(n)
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--outages", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    import pandas as pd
    import pendulum

    from gdsmodel.metrics.reliability import (
        Outage,
        ReliabilityState,
        daily_saidi,
        reliability_indices,
    )

    data = rows(args.outages)
    t = time.perf_counter()
    outages = [
        Outage(start=s, end=s + timedelta(minutes=m), customers_affected=k, cause=c, line=ln)
        for s, m, k, c, ln in data
    ]
    build = time.perf_counter() - t
    tz = "Asia/Shanghai"
    period = pendulum.interval(
        pendulum.datetime(2019, 1, 1, tz=tz), pendulum.datetime(2024, 1, 1, tz=tz)
    )
    lo = int(period.start.timestamp() * 1_000_000)
    hi = int(period.end.timestamp() * 1_000_000)

    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    frame = pd.DataFrame(
        {
            "start": [(s - epoch) // timedelta(microseconds=1) for s, *_ in data],
            "minutes": [m for _, m, *_ in data],
            "customers": [k for _, _, k, *_ in data],
            "cause": pd.Categorical([c for *_, c, _ in data], categories=CAUSES),
        }
    )
    frame["end"] = frame["start"] + frame["minutes"] * 60_000_000

    def gds_indices() -> Any:
        return reliability_indices(outages=outages, period=period, customers=CUSTOMERS)

    def pandas_indices() -> Any:
        f = frame[(frame["end"] - frame["start"]) > 3 * 60_000_000]
        f = f[(f["end"] > lo) & (f["start"] < hi)]
        clipped = f["end"].clip(upper=hi) - f["start"].clip(lower=lo)
        starts = f["start"] >= lo
        g = (
            pd.DataFrame(
                {
                    "cause": f["cause"],
                    "cust_us": clipped * f["customers"],
                    "ci": f["customers"].where(starts, 0),
                }
            )
            .groupby("cause", observed=False)[["cust_us", "ci"]]
            .sum()
        )
        hours = (hi - lo) / 3_600_000_000
        total = g["cust_us"].sum() / 3_600_000_000
        return g, {
            "saidi": total * 60 / CUSTOMERS,
            "rs1": 1 - total / (CUSTOMERS * hours),
            "saifi": g["ci"].sum() / CUSTOMERS,
        }

    def gds_daily() -> Any:
        return daily_saidi(outages=outages, period=period, customers=CUSTOMERS)

    offset = 8 * 3_600_000_000

    def pandas_daily() -> Any:
        f = frame[
            ((frame["end"] - frame["start"]) > 3 * 60_000_000)
            & (frame["start"] >= lo)
            & (frame["start"] < hi)
        ]
        day = (f["start"] + offset) // 86_400_000_000
        minutes = (f["end"] - f["start"]) * f["customers"] / 60_000_000
        return minutes.groupby(day).sum() / CUSTOMERS

    # exactness: the same sums on both sides
    state = ReliabilityState.from_outages(outages, period=period, customers=CUSTOMERS)
    g, _ = pandas_indices()
    for cause in CAUSES:
        tot = state.totals(cause)
        assert tot.customer_hours == Fraction(int(g.loc[cause, "cust_us"]), 3_600_000_000), cause
        assert tot.customer_interruptions == int(g.loc[cause, "ci"]), cause
    daily = gds_daily()
    pdaily = pandas_daily()
    for k, v in pdaily.items():
        d = date.fromordinal(date(1970, 1, 1).toordinal() + int(k))
        assert abs(float(daily[d]) - float(v)) < 1e-6, d
    assert sum(1 for v in daily.values() if v) == len(pdaily)

    times = interleaved(
        {
            "gdsmodel indices": gds_indices,
            "pandas indices": pandas_indices,
            "gdsmodel daily SAIDI": gds_daily,
            "pandas daily SAIDI": pandas_daily,
        },
        repeat=args.repeat,
    )
    s = {k: summary(v) for k, v in times.items()}
    out = [
        ("indices", s["gdsmodel indices"], s["pandas indices"]),
        ("daily SAIDI", s["gdsmodel daily SAIDI"], s["pandas daily SAIDI"]),
    ]
    print(machine())
    print(
        f"{args.outages:,} outages over 5 years; building the Outage objects: {build:.3f} s "
        f"({build / args.outages * 1e6:.2f} µs per outage)\n"
    )
    print(
        table(
            [
                "path",
                "gdsmodel min / median (s)",
                "pandas min / median (s)",
                "ratio (min)",
                "µs per outage",
            ],
            [
                (
                    name,
                    f"{a['min']:.3f} / {a['median']:.3f}",
                    f"{b['min']:.4f} / {b['median']:.4f}",
                    f"{a['min'] / b['min']:.1f}x",
                    f"{a['min'] / args.outages * 1e6:.2f}",
                )
                for name, a, b in out
            ],
        )
    )


if __name__ == "__main__":
    main()
