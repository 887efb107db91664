"""Transformer-area analytics at a province's scale: gdsmodel against hand-written queries.

Two workloads over synthetic Parquet files in a temporary folder:

* ``loss``: daily readings of 10,000 areas x 31 days (a supply file of 310,000 rows and a
  customers file of 620,000 rows): day states, the reason and class of each area-day, then
  per area and month the sums over the computable days, the class and reason, the day
  counts and the longest run of qualified days:
  ``area_months(classify_days(day_states(supply, customers)))``;
* ``curves``: 2,000 transformers (in 1,600 areas) x 31 days x 96 points (5,952,000 rows):
  the load rate per area and point, then the overload events per area (runs above 100 % for
  at least 2 h, the longest, the days with an event and the most consecutive such days):
  ``load_events(area_load_points(curves, transformers), "overload")``.

Each is run on ``polars-lazy`` (``collect()``), ``polars-stream``
(``collect(engine="streaming")``) and ``duckdb`` (gdsmodel given the Parquet paths; the hand
side is DuckDB SQL over ``read_parquet``), against a hand-written polars or DuckDB query of
the same table; the script checks that both sides agree. Times are interleaved in one
process; peak memory is measured in a fresh process per side, above its resident set just
before the query.

Run (from the project root, with the ``dataframe`` and ``duckdb`` extras installed)::

    .venv/bin/python benchmarks/bench_areas.py                      # full size
    .venv/bin/python benchmarks/bench_areas.py --areas 500 --transformers 100 --repeat 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    ROOT,
    interleaved,
    machine,
    peak_rss_mb,
    reset_peak,
    rss_mb,
    run_worker,
    summary,
    table,
)

ENGINES = ("polars-lazy", "polars-stream", "duckdb")
WORKLOADS = ("loss", "curves")
DAYS = 31
FIRST = dt.date(2026, 3, 1)
EPOCH_DAYS = (FIRST - dt.date(1970, 1, 1)).days
LOSS_COLS = [
    "area",
    "month",
    "days",
    "computable_days",
    "supplied_kwh",
    "sold_kwh",
    "qualified_days",
    "high_loss_days",
    "longest_qualified_run",
    "reason",
    "area_class",
]
CURVE_COLS = ["area", "events", "longest_minutes", "event_days", "most_consecutive_days"]


# --------------------------------------------------------------------------- data


def generate(areas: int, transformers: int, folder: Path) -> Path:
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(20260301)
    out = folder / f"areas-{areas}-{transformers}"
    out.mkdir(parents=True, exist_ok=True)
    n = areas * DAYS
    area = np.repeat(np.arange(areas), DAYS)
    day = np.tile(np.arange(DAYS), areas)
    level = rng.choice([-3, 4, 6, 8, 13], size=areas)[area]
    sold = rng.integers(800, 3000, n)
    supplied = sold * 100 // (100 - level - rng.integers(-2, 3, n))
    supplied = np.where(rng.random(n) < 0.005, 0, supplied)
    missing = rng.random(n) < 0.02
    supply = pl.DataFrame(
        {
            "area": area,
            "day_i": day,
            "area_type": np.where(area % 3 == 0, "urban", "rural"),
            "supplied_kwh": pl.Series(supplied).set(pl.Series(missing), None),
        }
    )
    meters = rng.integers(30, 200, areas)[area]
    halves = []
    for half in (0, 1):
        exp = meters // 2 + half * (meters % 2)
        read = np.where(rng.random(n) < 0.9, exp, exp - rng.integers(0, 4, n).clip(0, exp))
        halves.append(
            pl.DataFrame(
                {
                    "area": area,
                    "day_i": day,
                    "sold_kwh": sold // 2 + half * (sold % 2),
                    "meters_expected": exp,
                    "meters_read": read,
                    "estimated": rng.random(n) < 0.01,
                }
            )
        )
    customers = pl.concat(halves)

    def dated(f: Any) -> Any:
        return f.with_columns(
            area=pl.format("A{}", pl.col("area").cast(pl.String).str.zfill(5)),
            day=(pl.col("day_i") + EPOCH_DAYS).cast(pl.Int32).cast(pl.Date),
        ).drop("day_i")

    dated(supply).write_parquet(out / "supply.parquet")
    dated(customers).write_parquet(out / "customers.parquet")
    # curves: 2,000 transformers, four in five areas with one, one in five with two
    t_area = np.arange(transformers) * 4 // 5
    rated = rng.choice([100, 200, 315, 400, 630], size=transformers)
    pl.DataFrame(
        {
            "transformer": pl.Series(np.arange(transformers)).cast(pl.String),
            "area": pl.Series(t_area).cast(pl.String),
            "rated_kva": rated,
        }
    ).write_parquet(out / "transformers.parquet")
    m = transformers * DAYS * 96
    t = np.repeat(np.arange(transformers), DAYS * 96)
    point = np.tile(np.arange(96), transformers * DAYS)
    d = np.tile(np.repeat(np.arange(DAYS), 96), transformers)
    hot = rng.random(transformers) < 0.1
    evening = (point >= 76) & (point < 88)
    rate = rng.integers(20, 75, m) + np.where(hot[t] & evening, rng.integers(30, 60, m), 0)
    p = rated[t] * rate * 9 // 1000
    q = rated[t] * rate * 436 // 100_000
    keep = rng.random(m) > 0.001
    curves = pl.DataFrame(
        {
            "transformer": pl.Series(t).cast(pl.String),
            "day_i": d,
            "point": point,
            "p_kw": p,
            "q_kvar": q,
        }
    ).filter(pl.Series(keep))
    curves = curves.with_columns(
        day=(pl.col("day_i") + EPOCH_DAYS).cast(pl.Int32).cast(pl.Date)
    ).drop("day_i")
    curves.write_parquet(out / "curves.parquet", row_group_size=1_000_000)
    return out


# --------------------------------------------------------------------------- hand-written


def hand_loss_polars(supply: Any, customers: Any) -> Any:
    import polars as pl

    s = supply.group_by("area", "day").agg(
        pl.col("area_type").max(),
        pl.len().alias("supply_meters"),
        pl.col("supplied_kwh").count().alias("supply_read"),
        pl.col("supplied_kwh").sum(),
    )
    est = pl.col("estimated")
    c = customers.group_by("area", "day").agg(
        pl.col("sold_kwh").sum(),
        pl.col("meters_expected").sum(),
        pl.when(est).then(0).otherwise(pl.col("meters_read")).sum().alias("meters_read"),
        pl.when(est).then(pl.col("meters_read")).otherwise(0).sum().alias("meters_estimated"),
    )
    d = s.join(c, on=["area", "day"], how="full", coalesce=True).with_columns(
        pl.col("supply_meters", "supply_read", "supplied_kwh", "sold_kwh").fill_null(0),
        pl.col("meters_expected", "meters_read", "meters_estimated").fill_null(0),
    )
    col = pl.col
    reason = (
        pl.when((col("supply_meters") == 0) | (col("supply_read") < col("supply_meters")))
        .then(pl.lit("no_supply_reading"))
        .when(col("supplied_kwh") == 0)
        .then(pl.lit("zero_supply"))
        .when(
            (col("meters_expected") == 0)
            | (col("meters_read") + col("meters_estimated") > col("meters_expected"))
        )
        .then(pl.lit("archive_mismatch"))
        .when(col("meters_read") * 100 < col("meters_expected") * 98)
        .then(pl.lit("low_collection"))
    )
    num = col("supplied_kwh") - col("sold_kwh")

    def klass(reason_col: Any) -> Any:
        return (
            pl.when(reason_col.is_not_null())
            .then(pl.lit("non_computable"))
            .when(num * 100 < 0)
            .then(pl.lit("negative_loss"))
            .when(num * 100 > 10 * col("supplied_kwh"))
            .then(pl.lit("high_loss"))
            .otherwise(pl.lit("qualified"))
        )

    d = d.with_columns(reason=reason).with_columns(area_class=klass(col("reason")))
    d = d.with_columns(month=col("day").dt.strftime("%Y-%m"))
    ok = col("reason").is_null()
    reasons = ["no_supply_reading", "zero_supply", "archive_mismatch", "low_collection"]
    m = d.group_by("area", "month").agg(
        pl.len().alias("days"),
        ok.sum().alias("computable_days"),
        pl.when(ok).then(col("supplied_kwh")).otherwise(0).sum().alias("supplied_kwh"),
        pl.when(ok).then(col("sold_kwh")).otherwise(0).sum().alias("sold_kwh"),
        (col("area_class") == "qualified").sum().alias("qualified_days"),
        (col("area_class") == "high_loss").sum().alias("high_loss_days"),
        *[(col("reason") == r).sum().alias(r) for r in reasons],
    )
    q = d.filter(col("area_class") == "qualified").with_columns(dom=col("day").dt.day())
    q = q.with_columns(
        isl=col("dom").cast(pl.Int64) - col("dom").rank("ordinal").over("area", "month")
    )
    runs = (
        q.group_by("area", "month", "isl")
        .agg(pl.len().alias("n"))
        .group_by("area", "month")
        .agg(col("n").max().alias("longest_qualified_run"))
    )
    m = m.join(runs, on=["area", "month"], how="left").with_columns(
        col("longest_qualified_run").fill_null(0)
    )
    top = pl.max_horizontal(*[col(r) for r in reasons])
    pick = pl.lit("too_few_days")
    for r in reversed(reasons):
        pick = pl.when((col(r) > 0) & (col(r) == top)).then(pl.lit(r)).otherwise(pick)
    m = m.with_columns(reason=pl.when(col("computable_days") >= 1).then(None).otherwise(pick))
    return m.with_columns(area_class=klass(col("reason"))).select(LOSS_COLS).sort("area", "month")


def hand_loss_sql(supply: str, customers: str) -> str:
    return f"""
    WITH s AS (
      SELECT area, day, max(area_type) AS area_type, count(*) AS supply_meters,
             count(supplied_kwh) AS supply_read, coalesce(sum(supplied_kwh), 0) AS supplied_kwh
      FROM read_parquet('{supply}') GROUP BY area, day),
    c AS (
      SELECT area, day, sum(sold_kwh) AS sold_kwh, sum(meters_expected) AS meters_expected,
             sum(CASE WHEN estimated THEN 0 ELSE meters_read END) AS meters_read,
             sum(CASE WHEN estimated THEN meters_read ELSE 0 END) AS meters_estimated
      FROM read_parquet('{customers}') GROUP BY area, day),
    d0 AS (
      SELECT coalesce(s.area, c.area) AS area, coalesce(s.day, c.day) AS day,
             coalesce(supply_meters, 0) AS supply_meters, coalesce(supply_read, 0) AS supply_read,
             coalesce(supplied_kwh, 0) AS supplied_kwh, coalesce(sold_kwh, 0) AS sold_kwh,
             coalesce(meters_expected, 0) AS meters_expected,
             coalesce(meters_read, 0) AS meters_read,
             coalesce(meters_estimated, 0) AS meters_estimated
      FROM s FULL JOIN c ON s.area = c.area AND s.day = c.day),
    d1 AS (
      SELECT *, CASE
        WHEN supply_meters = 0 OR supply_read < supply_meters THEN 'no_supply_reading'
        WHEN supplied_kwh = 0 THEN 'zero_supply'
        WHEN meters_expected = 0 OR meters_read + meters_estimated > meters_expected
          THEN 'archive_mismatch'
        WHEN meters_read * 100 < meters_expected * 98 THEN 'low_collection' END AS reason
      FROM d0),
    d AS (
      SELECT *, strftime(day, '%Y-%m') AS month, CASE
        WHEN reason IS NOT NULL THEN 'non_computable'
        WHEN (supplied_kwh - sold_kwh) * 100 < 0 THEN 'negative_loss'
        WHEN (supplied_kwh - sold_kwh) * 100 > 10 * supplied_kwh THEN 'high_loss'
        ELSE 'qualified' END AS area_class
      FROM d1),
    m AS (
      SELECT area, month, count(*) AS days, count(*) FILTER (reason IS NULL) AS computable_days,
             coalesce(sum(supplied_kwh) FILTER (reason IS NULL), 0) AS supplied_kwh,
             coalesce(sum(sold_kwh) FILTER (reason IS NULL), 0) AS sold_kwh,
             count(*) FILTER (area_class = 'qualified') AS qualified_days,
             count(*) FILTER (area_class = 'high_loss') AS high_loss_days,
             count(*) FILTER (reason = 'no_supply_reading') AS r1,
             count(*) FILTER (reason = 'zero_supply') AS r2,
             count(*) FILTER (reason = 'archive_mismatch') AS r3,
             count(*) FILTER (reason = 'low_collection') AS r4
      FROM d GROUP BY area, month),
    isl AS (
      SELECT area, month, day(day) - row_number() OVER (PARTITION BY area, month ORDER BY day) AS i
      FROM d WHERE area_class = 'qualified'),
    runs AS (
      SELECT area, month, max(n) AS longest_qualified_run FROM (
        SELECT area, month, i, count(*) AS n FROM isl GROUP BY area, month, i)
      GROUP BY area, month),
    mr AS (
      SELECT m.*, coalesce(runs.longest_qualified_run, 0) AS longest_qualified_run,
        CASE WHEN computable_days >= 1 THEN NULL
             WHEN r1 > 0 AND r1 >= greatest(r2, r3, r4) THEN 'no_supply_reading'
             WHEN r2 > 0 AND r2 >= greatest(r1, r3, r4) THEN 'zero_supply'
             WHEN r3 > 0 AND r3 >= greatest(r1, r2, r4) THEN 'archive_mismatch'
             WHEN r4 > 0 AND r4 >= greatest(r1, r2, r3) THEN 'low_collection'
             ELSE 'too_few_days' END AS reason
      FROM m LEFT JOIN runs USING (area, month))
    SELECT area, month, days, computable_days, supplied_kwh, sold_kwh, qualified_days,
           high_loss_days, longest_qualified_run, reason,
           CASE WHEN reason IS NOT NULL THEN 'non_computable'
                WHEN (supplied_kwh - sold_kwh) * 100 < 0 THEN 'negative_loss'
                WHEN (supplied_kwh - sold_kwh) * 100 > 10 * supplied_kwh THEN 'high_loss'
                ELSE 'qualified' END AS area_class
    FROM mr ORDER BY area, month
    """


def hand_curves_polars(curves: Any, transformers: Any) -> Any:
    import polars as pl

    col = pl.col
    members = transformers.group_by("area").agg(pl.len().alias("members"))
    j = (
        curves.join(transformers, on="transformer")
        .group_by("area", "day", "point")
        .agg(
            col("p_kw").sum().cast(pl.Float64),
            col("q_kvar").sum().cast(pl.Float64),
            col("rated_kva").sum().cast(pl.Float64),
            pl.len().alias("seen"),
        )
    )
    j = j.join(members, on="area").filter(col("seen") == col("members"))
    j = j.with_columns(
        dn=(col("day") - pl.date(1970, 1, 1)).dt.total_days(),
    ).with_columns(t=col("dn") * 96 + col("point"))
    hot = j.filter(
        (col("p_kw") ** 2 + col("q_kvar") ** 2) * 10_000 > col("rated_kva") ** 2 * 10_000
    )
    hot = hot.with_columns(isl=col("t") - col("t").rank("ordinal").over("area"))
    hot = hot.with_columns(n=pl.len().over("area", "isl")).filter(col("n") >= 8)
    ev = (
        hot.group_by("area", "isl")
        .agg(pl.len().alias("n"))
        .group_by("area")
        .agg(pl.len().alias("events"), (col("n").max() * 15).alias("longest_minutes"))
    )
    dd = hot.select("area", "dn").unique()
    dd = dd.with_columns(di=col("dn") - col("dn").rank("ordinal").over("area"))
    ds = (
        dd.group_by("area", "di")
        .agg(pl.len().alias("k"))
        .group_by("area")
        .agg(col("k").sum().alias("event_days"), col("k").max().alias("most_consecutive_days"))
    )
    units = j.select("area").unique()
    out = units.join(ev, on="area", how="left").join(ds, on="area", how="left")
    return out.with_columns(pl.col(CURVE_COLS[1:]).fill_null(0)).select(CURVE_COLS).sort("area")


def hand_curves_sql(curves: str, transformers: str) -> str:
    return f"""
    WITH t AS (SELECT * FROM read_parquet('{transformers}')),
    members AS (SELECT area, count(*) AS members FROM t GROUP BY area),
    j AS (
      SELECT area, day, point, sum(p_kw)::DOUBLE AS p, sum(q_kvar)::DOUBLE AS q,
             sum(rated_kva)::DOUBLE AS s, count(*) AS seen
      FROM read_parquet('{curves}') c JOIN t USING (transformer)
      GROUP BY area, day, point),
    pts AS (
      SELECT j.*, (day - DATE '1970-01-01') AS dn, (day - DATE '1970-01-01') * 96 + point AS tt
      FROM j JOIN members USING (area) WHERE seen = members),
    hot0 AS (
      SELECT area, dn, tt - row_number() OVER (PARTITION BY area ORDER BY tt) AS isl
      FROM pts WHERE (p * p + q * q) * 10000 > s * s * 10000),
    hot AS (
      SELECT * FROM (SELECT *, count(*) OVER (PARTITION BY area, isl) AS n FROM hot0)
      WHERE n >= 8),
    ev AS (
      SELECT area, count(*) AS events, max(n) * 15 AS longest_minutes
      FROM (SELECT area, isl, count(*) AS n FROM hot GROUP BY area, isl) GROUP BY area),
    dd AS (
      SELECT area, dn - row_number() OVER (PARTITION BY area ORDER BY dn) AS di
      FROM (SELECT DISTINCT area, dn FROM hot)),
    ds AS (
      SELECT area, sum(k) AS event_days, max(k) AS most_consecutive_days
      FROM (SELECT area, di, count(*) AS k FROM dd GROUP BY area, di) GROUP BY area)
    SELECT u.area, coalesce(events, 0) AS events, coalesce(longest_minutes, 0) AS longest_minutes,
           coalesce(event_days, 0) AS event_days,
           coalesce(most_consecutive_days, 0) AS most_consecutive_days
    FROM (SELECT DISTINCT area FROM pts) u LEFT JOIN ev USING (area) LEFT JOIN ds USING (area)
    ORDER BY u.area
    """


# --------------------------------------------------------------------------- the two sides


def sides(workload: str, engine: str, folder: Path) -> dict[str, Any]:
    import duckdb
    import polars as pl

    from gdsmodel.metrics.areas import frames as af

    path = {
        n: str(folder / f"{n}.parquet") for n in ("supply", "customers", "curves", "transformers")
    }

    def run(lf: Any) -> Any:
        return lf.collect(engine="streaming") if engine == "polars-stream" else lf.collect()

    if workload == "loss":
        if engine == "duckdb":
            return {
                "gdsmodel": lambda: af.area_months(
                    af.classify_days(af.day_states(path["supply"], path["customers"], check=False))
                ).to_arrow_table(),
                "hand": lambda: duckdb.sql(
                    hand_loss_sql(path["supply"], path["customers"])
                ).to_arrow_table(),
            }
        return {
            "gdsmodel": lambda: run(
                af.area_months(
                    af.classify_days(
                        af.day_states(
                            pl.scan_parquet(path["supply"]),
                            pl.scan_parquet(path["customers"]),
                            check=False,
                        )
                    )
                )
            ),
            "hand": lambda: run(
                hand_loss_polars(
                    pl.scan_parquet(path["supply"]), pl.scan_parquet(path["customers"])
                )
            ),
        }
    if engine == "duckdb":
        return {
            "gdsmodel": lambda: af.load_events(
                af.area_load_points(path["curves"], path["transformers"]), "overload"
            ).to_arrow_table(),
            "hand": lambda: duckdb.sql(
                hand_curves_sql(path["curves"], path["transformers"])
            ).to_arrow_table(),
        }
    return {
        "gdsmodel": lambda: run(
            af.load_events(
                af.area_load_points(
                    pl.scan_parquet(path["curves"]), pl.scan_parquet(path["transformers"])
                ),
                "overload",
            )
        ),
        "hand": lambda: run(
            hand_curves_polars(
                pl.scan_parquet(path["curves"]), pl.scan_parquet(path["transformers"])
            )
        ),
    }


def _as_polars(workload: str, result: Any) -> Any:
    import polars as pl

    if not isinstance(result, pl.DataFrame):
        result = pl.from_arrow(result)
    cols = LOSS_COLS if workload == "loss" else CURVE_COLS
    ints = [c for c in cols if c not in ("area", "month", "reason", "area_class")]
    return (
        result.select(cols)
        .with_columns(pl.col(ints).cast(pl.Int64))
        .sort(cols[:2] if workload == "loss" else "area")
    )


# --------------------------------------------------------------------------- workers


def worker_time(workload: str, engine: str, folder: Path, repeat: int) -> dict[str, Any]:
    fns = sides(workload, engine, folder)
    a, b = _as_polars(workload, fns["gdsmodel"]()), _as_polars(workload, fns["hand"]())
    if not a.equals(b):
        diff = a.join(b, on=a.columns, how="anti").head(5)
        raise SystemExit(
            f"{workload}/{engine}: gdsmodel and the hand-written query disagree:\n{diff}"
        )
    times = interleaved(fns, repeat)
    return {"groups": a.height, **{k: summary(v) for k, v in times.items()}}


def worker_memory(workload: str, engine: str, side: str, folder: Path) -> dict[str, Any]:
    import duckdb  # noqa: F401  (imports count in the baseline, not in the query)
    import narwhals  # noqa: F401
    import polars  # noqa: F401

    import gdsmodel.metrics.areas.frames  # noqa: F401

    fns = sides(workload, engine, folder)
    reset_peak()
    before = rss_mb()
    t0 = time.perf_counter()
    result = fns[side]()
    seconds = time.perf_counter() - t0
    del result
    return {"seconds": seconds, "baseline_mb": before, "peak_mb": peak_rss_mb()}


# --------------------------------------------------------------------------- driver


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--areas", type=int, default=10_000)
    parser.add_argument("--transformers", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each side")
    parser.add_argument("--engines", nargs="+", default=list(ENGINES), choices=ENGINES)
    parser.add_argument("--workloads", nargs="+", default=list(WORKLOADS), choices=WORKLOADS)
    parser.add_argument("--data", type=Path, help="folder for the Parquet files (default: temp)")
    parser.add_argument("--json", type=Path, help="write the results as JSON here")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        kind, workload, engine, folder, *rest = args.worker
        if kind == "time":
            out = worker_time(workload, engine, Path(folder), int(rest[0]))
        else:
            out = worker_memory(workload, engine, rest[0], Path(folder))
        print(json.dumps(out))
        return 0

    script = Path(__file__).resolve()
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="gdsmodel-bench-areas-") as tmp:
        base = args.data or Path(tmp)
        t0 = time.perf_counter()
        folder = generate(args.areas, args.transformers, base)
        print(f"# data generated in {time.perf_counter() - t0:.1f} s", flush=True)
        for workload in args.workloads:
            for engine in args.engines:
                timing = run_worker(
                    script, ["time", workload, engine, str(folder), str(args.repeat)]
                )
                memory = {
                    side: run_worker(script, ["memory", workload, engine, str(folder), side])
                    for side in ("gdsmodel", "hand")
                }
                rows = args.areas * DAYS if workload == "loss" else args.transformers * DAYS * 96
                row = {
                    "workload": workload,
                    "rows": rows,
                    "engine": engine,
                    **timing,
                    "memory": memory,
                }
                results.append(row)
                print(f"  {workload} {engine}: {_ratio(row):.2f}x", flush=True)
    print()
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


def _ratio(row: dict[str, Any], stat: str = "min") -> float:
    return float(row["gdsmodel"][stat] / row["hand"][stat])


def report(results: list[dict[str, Any]]) -> str:
    rows = []
    for r in results:
        mem = r["memory"]
        rows.append(
            [
                r["workload"],
                f"{r['rows']:,}",
                r["engine"],
                f"{r['groups']:,}",
                f"{r['gdsmodel']['min']:.3f}",
                f"{r['hand']['min']:.3f}",
                f"**{_ratio(r):.2f}**",
                f"{_ratio(r, 'median'):.2f}",
                f"{mem['gdsmodel']['peak_mb'] - mem['gdsmodel']['baseline_mb']:.0f}",
                f"{mem['hand']['peak_mb'] - mem['hand']['baseline_mb']:.0f}",
            ]
        )
    header = [
        "workload",
        "rows",
        "engine",
        "groups",
        "gdsmodel s (best)",
        "hand s (best)",
        "ratio (best)",
        "ratio (median)",
        "gdsmodel peak MiB",
        "hand peak MiB",
    ]
    return f"{machine()}\n\n{table(header, rows)}"


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main())
