"""Transformer-area analytics on frames agree with the scalar API on every engine."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pl = pytest.importorskip("polars")
pd = pytest.importorskip("pandas")
duckdb = pytest.importorskip("duckdb")

from gdsmodel.errors import InputError  # noqa: E402
from gdsmodel.metrics.areas import (  # noqa: E402
    ClassCounts,
    CurvePoint,
    CustomerReading,
    SupplyReading,
    Transformer,
    VoltagePoint,
    area_days,
    area_load_rates,
    area_periods,
    area_rules,
    classify,
    low_voltage,
)
from gdsmodel.metrics.areas import frames as af  # noqa: E402
from gdsmodel.metrics.areas import load as scalar_load  # noqa: E402

FIRST = dt.date(2026, 3, 1)


def readings(
    seed: int, areas: int = 12, days: int = 10
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = random.Random(seed)
    supply: list[dict[str, Any]] = []
    customers: list[dict[str, Any]] = []
    for a in range(areas):
        area = f"T{a:02d}"
        kind = "urban" if a % 3 == 0 else "rural"
        level = (-3, 5, 14, 9)[a % 4]
        for k in range(days):
            day = FIRST + dt.timedelta(days=k)
            s = (
                rng.choice([None, 0, *range(800, 1200, 7)])
                if rng.random() < 0.15
                else rng.randint(800, 1200)
            )
            supply.append({"area": area, "day": day, "supplied_kwh": s, "area_type": kind})
            batches = rng.randint(1, 3)
            total = 1000 * (100 - level + rng.randint(-3, 3)) // 100
            for _ in range(batches):
                exp = rng.randint(0, 30) if rng.random() < 0.05 else rng.randint(10, 30)
                read = exp if rng.random() < 0.8 else rng.randint(0, exp)
                customers.append(
                    {
                        "area": area,
                        "day": day,
                        "sold_kwh": total // batches,
                        "meters_expected": exp,
                        "meters_read": read,
                        "estimated": rng.random() < 0.05,
                    }
                )
    return supply, customers


def expected_months(
    supply: list[dict[str, Any]], customers: list[dict[str, Any]]
) -> dict[str, tuple[Any, ...]]:
    days = area_days(
        [SupplyReading(r["area"], r["day"], r["supplied_kwh"]) for r in supply],
        [
            CustomerReading(
                r["area"],
                r["day"],
                r["sold_kwh"],
                meters_expected=r["meters_expected"],
                meters_read=r["meters_read"],
                estimated=r["estimated"],
            )
            for r in customers
        ],
    )
    types = {r["area"]: r["area_type"] for r in supply}
    out = {}
    for (area, _), p in area_periods(days.values(), area_types=types).items():
        c = classify(p)
        out[area] = (
            c.area_class.value,
            c.reason.value if c.reason else None,
            p.computable_days,
            int(p.supplied_kwh),
            int(p.sold_kwh),
            p.longest_qualified_run,
            p.high_loss_days,
        )
    return out


ENGINES: dict[str, Callable[[list[dict[str, Any]]], Any]] = {
    "pandas": lambda rows: pd.DataFrame(rows),
    "polars": lambda rows: pl.DataFrame(rows, infer_schema_length=None),
    "polars-lazy": lambda rows: pl.DataFrame(rows, infer_schema_length=None).lazy(),
    "duckdb": lambda rows: duckdb.from_arrow(
        pl.DataFrame(rows, infer_schema_length=None).to_arrow()
    ),
}


def collect(frame: Any) -> Any:
    """Any result as a polars DataFrame."""
    if isinstance(frame, pl.LazyFrame):
        return frame.collect(engine="streaming")
    if isinstance(frame, pl.DataFrame):
        return frame
    if isinstance(frame, pd.DataFrame):
        return pl.from_pandas(frame)
    return pl.from_arrow(frame.to_arrow_table())


def frame_months(
    engine: str, supply: list[dict[str, Any]], customers: list[dict[str, Any]]
) -> dict[str, tuple[Any, ...]]:
    make = ENGINES[engine]
    states = af.day_states(make(supply), make(customers))
    months = collect(af.area_months(af.classify_days(states)))
    out = {}
    for r in months.iter_rows(named=True):
        out[r["area"]] = (
            r["area_class"],
            r["reason"],
            r["computable_days"],
            int(r["supplied_kwh"]),
            int(r["sold_kwh"]),
            r["longest_qualified_run"],
            r["high_loss_days"],
        )
    return out


@pytest.mark.parametrize("engine", list(ENGINES))
def test_frames_agree_with_the_scalar_api(engine: str) -> None:
    supply, customers = readings(7)
    expected = expected_months(supply, customers)
    assert frame_months(engine, supply, customers) == expected
    assert {v[0] for v in expected.values()} >= {"qualified", "high_loss"}


def test_lazy_inputs_stay_lazy_and_duckdb_stays_a_relation() -> None:
    supply, customers = readings(3, areas=3, days=3)
    lazy = af.day_states(ENGINES["polars-lazy"](supply), ENGINES["polars-lazy"](customers))
    assert isinstance(af.area_months(af.classify_days(lazy)), pl.LazyFrame)
    rel = af.day_states(ENGINES["duckdb"](supply), ENGINES["duckdb"](customers))
    assert type(af.classify_days(rel)).__name__ == "DuckDBPyRelation"


@settings(max_examples=25)
@given(st.integers(0, 10_000), st.integers(1, 9))
def test_day_states_of_partitions_merge_to_the_states_of_the_union(seed: int, cut: int) -> None:
    supply, customers = readings(seed, areas=4, days=10)
    whole = collect(af.day_states(pl.DataFrame(supply), pl.DataFrame(customers)))
    cut_day = FIRST + dt.timedelta(days=cut)
    # partitions by day for the supply side, by customer batch for the other side
    parts = [
        af.day_states(
            pl.DataFrame([r for r in supply if (r["day"] < cut_day) == first]),
            pl.DataFrame(customers[i::2]),
        )
        for i, first in enumerate((True, False))
    ]
    merged = af.merge_day_states(pl.concat(parts))
    assert merged.equals(whole)


@settings(max_examples=25)
@given(st.integers(0, 10_000))
def test_class_counts_of_stations_add_up_to_the_county(seed: int) -> None:
    supply, customers = readings(seed, areas=9, days=4)
    for r in supply + customers:
        r["station"] = "S1" if r["area"] < "T05" else "S2"
    months = af.area_months(
        af.classify_days(
            af.day_states(pl.DataFrame(supply), pl.DataFrame(customers), keys=["station", "area"])
        ),
        keys=["station", "area"],
    )
    by_station = af.class_counts(months, keys=["station", "month"])
    county = af.class_counts(months, keys="month")
    summed = by_station.group_by("month").agg(
        pl.col("qualified", "high_loss", "negative_loss", "non_computable", "areas").sum()
    )
    cols = ["qualified", "high_loss", "negative_loss", "non_computable", "areas"]
    assert summed.select(cols).rows() == county.select(cols).rows()
    (row,) = county.iter_rows(named=True)
    assert row["areas"] == 9  # the classes partition the areas
    c = ClassCounts(
        qualified=row["qualified"],
        high_loss=row["high_loss"],
        negative_loss=row["negative_loss"],
        non_computable=row["non_computable"],
    )
    if c.computable:
        assert row["qualified_rate"] == pytest.approx(float(c.qualified_rate.require()))


def curves(seed: int) -> tuple[list[dict[str, Any]], list[Transformer]]:
    rng = random.Random(seed)
    ts = [
        Transformer("TR1", "T01", 100),
        Transformer("TR2", "T01", 200),
        Transformer("TR3", "T02", 50),
    ]
    rows = []
    for k in range(3):
        day = FIRST + dt.timedelta(days=k)
        for t in ts:
            base = float(t.rated_kva)
            for i in range(96):
                if rng.random() < 0.02:
                    continue  # a missing point
                hot = 0.6 <= (i % 40) / 40 <= 0.95
                p = (
                    rng.randint(int(base * 0.98), int(base * 1.3))
                    if hot
                    else rng.randint(0, int(base * 0.5))
                )
                rows.append(
                    {
                        "transformer": t.id,
                        "day": day,
                        "point": i,
                        "p_kw": p,
                        "q_kvar": rng.randint(0, int(base * 0.3)),
                        "ia": rng.randint(80, 120),
                        "ib": rng.randint(70, 120),
                        "ic": rng.randint(90, 120),
                    }
                )
    return rows, ts


@pytest.mark.parametrize("engine", list(ENGINES))
@pytest.mark.parametrize("event", ["heavy_load", "overload"])
def test_load_events_on_frames_agree_with_the_scalar_api(engine: str, event: str) -> None:
    rows, ts = curves(5)
    rule = area_rules().load_event(event)
    pts = [
        CurvePoint(r["transformer"], r["day"], r["point"], r["p_kw"], q_kvar=r["q_kvar"])
        for r in rows
    ]
    expected = scalar_load.load_events(area_load_rates(pts, ts), rule)
    make = ENGINES[engine]
    tf = make([{"transformer": t.id, "area": t.area, "rated_kva": int(t.rated_kva)} for t in ts])
    points = af.area_load_points(make(rows), tf)
    got = collect(af.load_events(points, event)).sort("area")
    for r in got.iter_rows(named=True):
        e = expected[r["area"]]
        assert r["events"] == len(e.events)
        assert r["longest_minutes"] == e.longest_minutes
        assert r["event_days"] == len(e.event_days)
        assert r["most_consecutive_days"] == e.most_consecutive_days
        assert r["flagged"] == e.flagged
    assert set(got["area"]) == set(expected)
    assert sum(len(e.events) for e in expected.values()) > 0


@pytest.mark.parametrize("engine", ["polars", "duckdb", "pandas"])
def test_unbalance_and_low_voltage_on_frames_agree(engine: str) -> None:
    rows, ts = curves(11)
    pts = [
        CurvePoint(
            r["transformer"], r["day"], r["point"], r["p_kw"], ia=r["ia"], ib=r["ib"], ic=r["ic"]
        )
        for r in rows
    ]
    expected = scalar_load.unbalance_events(pts, ts)
    got = collect(af.unbalance_events(ENGINES[engine](rows)))
    for r in got.iter_rows(named=True):
        (e,) = [v for (area, t), v in expected.items() if t == r["transformer"]]
        assert (r["events"], r["longest_minutes"]) == (len(e.events), e.longest_minutes)
    volts = [
        {
            "area": r["transformer"],
            "customer": f"C{r['transformer']}",
            "day": r["day"],
            "point": r["point"],
            "voltage": 190 + r["ia"] % 20,
        }
        for r in rows
    ]
    lv = low_voltage(
        VoltagePoint(v["customer"], v["area"], v["day"], v["point"], v["voltage"]) for v in volts
    )
    got_lv = collect(af.low_voltage_events(ENGINES[engine](volts)))
    low = sorted(r["customer"] for r in got_lv.iter_rows(named=True) if r["events"])
    assert tuple(low) == lv.customers
    assert lv.customers  # the data has low voltage
    assert sum(len(e.events) for e in expected.values()) > 0  # and unbalance


def test_bad_frames_are_typed_errors() -> None:
    supply, customers = readings(1, areas=2, days=2)
    with pytest.raises(InputError, match="no column 'sold_kwh'"):
        af.day_states(pl.DataFrame(supply), pl.DataFrame(supply))
    bad = [dict(r, sold_kwh=-1) for r in customers]
    with pytest.raises(InputError, match="negative"):
        af.day_states(pl.DataFrame(supply), pl.DataFrame(bad))
    with pytest.raises(InputError, match="must hold dates"):
        af.day_states(pl.DataFrame(supply).with_columns(day=pl.lit("x")), pl.DataFrame(customers))
    with pytest.raises(InputError, match="not a dataframe"):
        af.day_states([1, 2], pl.DataFrame(customers))
    with pytest.raises(InputError, match="both be eager or both lazy"):
        af.day_states(pl.DataFrame(supply), pl.DataFrame(customers).lazy())


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_the_area_kpis_work_with_metric_by(engine: str) -> None:
    from gdsmodel.metrics.areas import area_metric

    supply, customers = readings(7)
    make = ENGINES[engine]
    months = af.area_months(af.classify_days(af.day_states(make(supply), make(customers))))
    counts = af.class_counts(months, keys="month")
    rate = area_metric("area_loss_qualified_rate").by(
        counts, "month", columns={"qualified_areas": "qualified", "computable_areas": "computable"}
    )
    (row,) = collect(rate).iter_rows(named=True)
    (c,) = collect(counts).iter_rows(named=True)
    assert (row["numerator"], row["denominator"]) == (c["qualified"], c["computable"])
    # the station's same-period loss: the sums over the areas' computable days, divided once
    loss = collect(area_metric("area_same_period_loss_rate").by(months, "month"))
    m = collect(months)
    assert loss["numerator"][0] == m["supplied_kwh"].sum() - m["sold_kwh"].sum()


def test_an_unknown_area_type_is_an_error_on_eager_frames() -> None:
    supply, customers = readings(2, areas=2, days=2)
    supply[0]["area_type"] = "island"
    states = af.day_states(pl.DataFrame(supply), pl.DataFrame(customers))
    with pytest.raises(InputError, match="unknown area type"):
        af.classify_days(states)
