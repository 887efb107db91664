"""Reliability: the object path against pandas, and the frame path against hand-written polars.

Object path (``--outages``, default 200,000 synthetic outages over five years on 50 lines,
100,000 customers served):

* ``indices``: ``reliability_indices(outages=..., period=five years, customers=...)`` (every
  index, exact fractions) against pandas computing the same sums (sustained mask, clipping,
  per-cause sums) on a frame of the same outages with int64 instants;
* ``daily SAIDI``: ``daily_saidi`` over the five years (start-day accrual) against a pandas
  group-by of the start day;
* ``MED pipeline``: ``daily_saidi`` of the five years, ``med_threshold`` and
  ``exclude_major_event_days`` of the next year against pandas doing the same (daily sums,
  log mean and standard deviation, the days above the threshold, the normal-day sums);
* building the ``Outage`` objects from plain values is done once per load and timed apart.

Frame path (``--frame-sizes``, default 200,000 and 2,000,000 outages over six years on 50
lines in 10 areas, as a polars ``LazyFrame`` in memory): ``reliability_by``,
``daily_saidi_by`` and ``med_thresholds_by`` + ``exclude_major_event_days_by`` per area
against a hand-written polars computation of the same figures (the same sums per area and
cause, the indices as floats; the day sums; the threshold and the normal-day sums). gdsmodel
does more: it checks every row, counts momentary events, and gives exact fractions.

Both sides give the same numbers: the script checks sums, daily SAIDI and the major event
days. Times are interleaved in one process (min and median of ``--repeat`` runs).

Run (from the project root, with the ``dataframe`` extra installed)::

    .venv/bin/python benchmarks/bench_reliability.py              # 200k objects, 200k/2M frames
    .venv/bin/python benchmarks/bench_reliability.py --outages 20000 --frame-sizes 20000 \\
        --repeat 3
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from fractions import Fraction
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import interleaved, machine, summary, table

CUSTOMERS = 100_000
CAUSES = ("planned", "fault", "external", "supply_shortage")
ZONE = timezone(timedelta(hours=8))
SUSTAINED_US = 3 * 60_000_000  # DL/T 836: sustained above 3 minutes
OFFSET_US = 8 * 3_600_000_000
DAY_US = 86_400_000_000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def rows(n: int, seed: int = 7) -> list[tuple[datetime, int, int, str, str]]:
    """(start, minutes, customers, cause, line) of n outages in 2019-2023 (UTC+8)."""
    rnd = random.Random(seed)
    t0 = datetime(2019, 1, 1, tzinfo=ZONE)
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


def _us(moment: datetime) -> int:
    delta = datetime.__sub__(moment, EPOCH)  # stdlib arithmetic, also for pendulum
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _ratio_rows(
    out: list[tuple[str, dict[str, float], dict[str, float]]], n: int
) -> list[tuple[str, ...]]:
    return [
        (
            name,
            f"{a['min']:.3f} / {a['median']:.3f}",
            f"{b['min']:.4f} / {b['median']:.4f}",
            f"{a['min'] / b['min']:.2f}x",
            f"{a['median'] / b['median']:.2f}x",
            f"{a['min'] / n * 1e6:.2f}",
        )
        for name, a, b in out
    ]


# --------------------------------------------------------------------------- object path


def object_path(n_outages: int, repeat: int) -> str:
    import pandas as pd
    import pendulum

    from gdsmodel.metrics.reliability import (
        Outage,
        ReliabilityState,
        daily_saidi,
        exclude_major_event_days,
        med_threshold,
        reliability_indices,
    )

    data = rows(n_outages)
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
    lo, hi = _us(period.start), _us(period.end)
    # the MED year: the last year of the outages, assessed against the four before
    year = pendulum.interval(
        pendulum.datetime(2023, 1, 1, tz=tz), pendulum.datetime(2024, 1, 1, tz=tz)
    )
    history = pendulum.interval(pendulum.datetime(2019, 1, 1, tz=tz), year.start)
    y_lo = _us(year.start)

    frame = pd.DataFrame(
        {
            "start": [_us(s) for s, *_ in data],
            "minutes": [m for _, m, *_ in data],
            "customers": [k for _, _, k, *_ in data],
            "cause": pd.Categorical([c for *_, c, _ in data], categories=CAUSES),
        }
    )
    frame["end"] = frame["start"] + frame["minutes"] * 60_000_000

    def gds_indices() -> Any:
        return reliability_indices(outages=outages, period=period, customers=CUSTOMERS)

    def pandas_indices() -> Any:
        f = frame[(frame["end"] - frame["start"]) > SUSTAINED_US]
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

    def pandas_daily(first: int = lo, last: int = hi) -> Any:
        f = frame[
            ((frame["end"] - frame["start"]) > SUSTAINED_US)
            & (frame["start"] >= first)
            & (frame["start"] < last)
        ]
        day = (f["start"] + OFFSET_US) // DAY_US
        minutes = (f["end"] - f["start"]) * f["customers"] / 60_000_000
        return minutes.groupby(day).sum() / CUSTOMERS

    def gds_med() -> Any:
        th = med_threshold(
            daily_saidi(outages=outages, period=history, customers=CUSTOMERS),
            year_start=date(2023, 1, 1),
        )
        split = exclude_major_event_days(
            outages=outages, period=year, customers=CUSTOMERS, threshold=th
        )
        return th, split

    def pandas_med() -> Any:
        logs = pandas_daily(lo, y_lo).map(math.log)
        t_med = math.exp(logs.mean() + 2.5 * logs.std())
        daily = pandas_daily(y_lo, hi)
        major = set(daily.index[daily > t_med])
        f = frame[((frame["end"] - frame["start"]) > SUSTAINED_US)]
        f = f[(f["end"] > y_lo) & (f["start"] < hi)]
        day = (f["start"] + OFFSET_US) // DAY_US
        normal = f[~day.isin(major)]
        clipped = normal["end"].clip(upper=hi) - normal["start"].clip(lower=y_lo)
        return t_med, major, (clipped * normal["customers"]).sum()

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
    th, split = gds_med()
    t_med, major, normal_us = pandas_med()
    assert abs(th.t_med - t_med) < 1e-9 * t_med, (th.t_med, t_med)
    epoch_day = date(1970, 1, 1).toordinal()
    assert {d.toordinal() - epoch_day for d in split.major_event_days} == major
    assert split.normal.total().customer_hours == Fraction(int(normal_us), 3_600_000_000)

    times = interleaved(
        {
            "gdsmodel indices": gds_indices,
            "pandas indices": pandas_indices,
            "gdsmodel daily SAIDI": gds_daily,
            "pandas daily SAIDI": pandas_daily,
            "gdsmodel MED": gds_med,
            "pandas MED": pandas_med,
        },
        repeat=repeat,
    )
    s = {k: summary(v) for k, v in times.items()}
    out = [
        ("indices", s["gdsmodel indices"], s["pandas indices"]),
        ("daily SAIDI", s["gdsmodel daily SAIDI"], s["pandas daily SAIDI"]),
        ("MED pipeline", s["gdsmodel MED"], s["pandas MED"]),
    ]
    head = [
        "object path",
        "gdsmodel min / median (s)",
        "pandas min / median (s)",
        "ratio (min)",
        "ratio (median)",
        "µs per outage",
    ]
    return (
        f"{n_outages:,} outages over 5 years; building the Outage objects: {build:.3f} s "
        f"({build / n_outages * 1e6:.2f} µs per outage); {len(split.major_event_days)} major "
        "event days in the MED year\n\n" + table(head, _ratio_rows(out, n_outages))
    )


# --------------------------------------------------------------------------- frame path


def frame_columns(n: int, seed: int = 11) -> dict[str, list[Any]]:
    """Columns of n outages over 2019-2024 (UTC+8) on 50 lines in 10 areas."""
    rnd = random.Random(seed)
    t0 = datetime(2019, 1, 1, tzinfo=ZONE)
    span = 6 * 365 * 1440
    starts = [t0 + timedelta(minutes=rnd.randrange(span)) for _ in range(n)]
    minutes = [rnd.choice((1, 2, 3, 4, 5, 10, 30, 60, 120, 240, 600, 2000)) for _ in range(n)]
    lines = [rnd.randrange(50) for _ in range(n)]
    return {
        "start": starts,
        "end": [s + timedelta(minutes=m) for s, m in zip(starts, minutes, strict=True)],
        "customers_affected": [rnd.randrange(1, 400) for _ in range(n)],
        "cause": [rnd.choice(CAUSES) for _ in range(n)],
        "line": [f"L{x}" for x in lines],
        "area": [f"A{x % 10}" for x in lines],
    }


def polars_hand(lf: Any, lo: int, y_lo: int, hi: int) -> dict[str, Callable[[], Any]]:
    """Hand-written polars computing the same figures (DL/T 836: sustained above 3 min).

    ``[lo, y_lo)`` is the history (indices and daily SAIDI), ``[y_lo, hi)`` the MED year.
    """
    import polars as pl

    s, e, k = pl.col("s"), pl.col("e"), pl.col("customers_affected")
    d = e - s
    sus = d > SUSTAINED_US
    base = lf.with_columns(s=pl.col("start").dt.epoch("us"), e=pl.col("end").dt.epoch("us"))
    n = CUSTOMERS

    def period_sums(first: int, last: int, frame: Any, extra: tuple[str, ...] = ()) -> Any:
        inside = (s >= first) & (s < last)
        clip = pl.min_horizontal(e, pl.lit(last)) - pl.max_horizontal(s, pl.lit(first))
        return (
            frame.filter((e > first) & (s < last))
            .group_by("area", *extra, "cause")
            .agg(
                cu=pl.when(sus).then(clip * k).otherwise(0).sum(),
                ci=pl.when(sus & inside).then(k).otherwise(0).sum(),
                ev=(sus & inside).sum(),
                eu=pl.when(sus & inside).then(d).otherwise(0).sum(),
                se=(~sus & inside).sum(),
                sc=pl.when(~sus & inside).then(k).otherwise(0).sum(),
            )
        )

    def indices() -> Any:
        c = pl.col("cause")
        hours = (y_lo - lo) / 3_600_000_000
        return (
            period_sums(lo, y_lo, base)
            .group_by("area")
            .agg(
                cu=pl.col("cu").sum(),
                cu2=pl.col("cu").filter(c != "external").sum(),
                cu3=pl.col("cu").filter(c != "supply_shortage").sum(),
                ci=pl.col("ci").sum(),
                sc=pl.col("sc").sum(),
            )
            .with_columns(
                rs1=1 - pl.col("cu") / 3.6e9 / (n * hours),
                rs2=1 - pl.col("cu2") / 3.6e9 / (n * hours),
                rs3=1 - pl.col("cu3") / 3.6e9 / (n * hours),
                saidi=pl.col("cu") / 6e7 / n,
                aihc=pl.col("cu") / 3.6e9 / n,
                saifi=pl.col("ci") / n,
                caidi=pl.col("cu") / 6e7 / pl.col("ci"),
                maifi=pl.col("sc") / n,
            )
            .collect()
        )

    def daily_sums(first: int, last: int) -> Any:
        return (
            base.filter(sus & (s >= first) & (s < last))
            .group_by("area", day=(s + OFFSET_US) // DAY_US)
            .agg(cu=(d * k).sum())
            .with_columns(saidi=pl.col("cu") / 6e7 / n)
        )

    def daily() -> Any:
        return daily_sums(lo, y_lo).collect()

    def med() -> Any:
        logs = pl.col("saidi").log()
        t = daily_sums(lo, y_lo).group_by("area").agg(t_med=(logs.mean() + 2.5 * logs.std()).exp())
        major = (
            daily_sums(y_lo, hi)
            .join(t, on="area")
            .filter(pl.col("saidi") > pl.col("t_med"))
            .select("area", "day", major=pl.lit(True))
        )
        year = base.with_columns(day=(s + OFFSET_US) // DAY_US).join(
            major, on=["area", "day"], how="left"
        )
        year = year.with_columns(pl.col("major").fill_null(False))
        sums = period_sums(y_lo, hi, year, ("major",))
        return pl.collect_all([t, major, sums])

    return {"indices": indices, "daily": daily, "med": med}


def frame_path(n: int, repeat: int, check: bool) -> str:
    import pendulum
    import polars as pl

    from gdsmodel.metrics.reliability import (
        Outage,
        ReliabilityState,
        daily_saidi,
        daily_saidi_by,
        exclude_major_event_days,
        exclude_major_event_days_by,
        med_threshold,
        med_thresholds_by,
        reliability_by,
    )

    cols = frame_columns(n)
    lf = pl.DataFrame(cols).lazy()
    tz = "Asia/Shanghai"
    history = pendulum.interval(
        pendulum.datetime(2019, 1, 1, tz=tz), pendulum.datetime(2024, 1, 1, tz=tz)
    )
    year = pendulum.interval(history.end, pendulum.datetime(2025, 1, 1, tz=tz))
    lo, y_lo, hi = _us(history.start), _us(year.start), _us(year.end)
    hand = polars_hand(lf, lo, y_lo, hi)

    def gds_indices() -> Any:
        return reliability_by(lf, period=history, customers=CUSTOMERS, keys="area")

    def gds_daily() -> Any:
        return daily_saidi_by(lf, period=history, customers=CUSTOMERS, keys="area")

    def gds_med() -> Any:
        th = med_thresholds_by(
            lf, history=history, customers=CUSTOMERS, keys="area", year_start=date(2024, 1, 1)
        )
        return th, exclude_major_event_days_by(
            lf, period=year, customers=CUSTOMERS, keys="area", thresholds=th
        )

    # the same figures on both sides
    ix = gds_indices()
    for area, saidi, saifi, rs3 in hand["indices"]().select("area", "saidi", "saifi", "rs3").rows():
        got = ix[(area,)]
        assert math.isclose(float(got.saidi.require()), saidi, rel_tol=1e-12), area
        assert math.isclose(float(got.saifi.require()), saifi, rel_tol=1e-12), area
        assert math.isclose(float(got.rs3.require()), rs3, rel_tol=1e-12), area
    th, splits = gds_med()
    t_hand, major_hand, _ = hand["med"]()
    epoch_day = date(1970, 1, 1).toordinal()
    for area, t_med in t_hand.rows():
        assert math.isclose(th[(area,)].t_med or 0.0, t_med, rel_tol=1e-9), area
        days = {d.toordinal() - epoch_day for d in splits[(area,)].major_event_days}
        assert days == set(major_hand.filter(pl.col("area") == area)["day"].to_list()), area
    if check:  # the frame path equals the object path, group by group
        for area in sorted({a for (a,) in ix}):
            outages = [
                Outage(start=s, end=e, customers_affected=k, cause=c, line=ln)
                for s, e, k, c, ln, a in zip(*cols.values(), strict=True)
                if a == area
            ]
            state = ReliabilityState.from_outages(outages, period=history, customers=CUSTOMERS)
            assert ix[(area,)] == state.indices(), area
            daily = daily_saidi(outages=outages, period=history, customers=CUSTOMERS)
            assert med_threshold(daily, year_start=date(2024, 1, 1)) == th[(area,)], area
            split = exclude_major_event_days(
                outages=outages, period=year, customers=CUSTOMERS, threshold=th[(area,)]
            )
            assert split == splits[(area,)], area

    times = interleaved(
        {
            "gdsmodel indices": gds_indices,
            "polars indices": hand["indices"],
            "gdsmodel daily": gds_daily,
            "polars daily": hand["daily"],
            "gdsmodel MED": gds_med,
            "polars MED": hand["med"],
        },
        repeat=repeat,
    )
    s = {k: summary(v) for k, v in times.items()}
    out = [
        ("indices per area", s["gdsmodel indices"], s["polars indices"]),
        ("daily SAIDI per area", s["gdsmodel daily"], s["polars daily"]),
        ("MED pipeline per area", s["gdsmodel MED"], s["polars MED"]),
    ]
    head = [
        f"frame path, {n:,} outages",
        "gdsmodel min / median (s)",
        "polars min / median (s)",
        "ratio (min)",
        "ratio (median)",
        "µs per outage",
    ]
    checked = "; equal to the object path, area by area" if check else ""
    return f"{n:,} outages over 6 years, 10 areas (polars LazyFrame){checked}\n\n" + table(
        head, _ratio_rows(out, n)
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--outages", type=int, default=200_000, help="object path (0: skip)")
    ap.add_argument("--frame-sizes", type=int, nargs="*", default=[200_000, 2_000_000])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument(
        "--check-below",
        type=int,
        default=300_000,
        help="compare the frame path with the object path at sizes below this",
    )
    args = ap.parse_args()
    print(machine())
    if args.outages:
        print()
        print(object_path(args.outages, args.repeat))
    for n in args.frame_sizes:
        print()
        print(frame_path(n, args.repeat, n < args.check_below))


if __name__ == "__main__":
    main()
