"""KPIs on dataframes (gdsmodel.metrics.frames) and additive partial states
(gdsmodel.metrics.partial): worked examples, the same library in and out, typed errors, and
the properties: scalar and frame paths agree exactly, any partition gives the whole, merging
is associative and commutative."""

from __future__ import annotations

import doctest
import math
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd
import pendulum
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdsmodel.errors import InputError, NotFoundError
from gdsmodel.metrics import frames
from gdsmodel.metrics.additive import resolve_target
from gdsmodel.metrics.definitions import MetricDefinition, NotAdditiveError
from gdsmodel.metrics.partial import (
    STOCK_INPUTS,
    PartialState,
    PeriodStock,
    stock_inputs,
)
from gdsmodel.metrics.ratio import Direction, Ratio, Target
from gdsmodel.metrics.registry import metric, metrics
from gdsmodel.metrics.reliability import Outage, ReliabilityState
from gdsmodel.metrics.reliability_inputs import reliability_inputs

DOC = Path(__file__).parents[1] / "docs" / "dataframes.md"
DATAFRAME_MODULES = (
    "narwhals",
    "pandas",
    "polars",
    "pyarrow",
    "duckdb",
    "pyspark",
    "dask",
    "numpy",
    "matplotlib",
)
FLOWS = [d for d in metrics() if d.additive and not stock_inputs(d)]
LOSS = metric("line_loss_rate")


# --------------------------------------------------------------------------- helpers


def rows_of(frame: Any) -> list[dict[str, Any]]:
    """Rows of any result as plain dicts (nulls as None), collected if lazy."""
    if isinstance(frame, pl.LazyFrame):
        frame = frame.collect()
    if isinstance(frame, pl.DataFrame):
        return frame.to_dicts()
    if isinstance(frame, pa.Table):
        return frame.to_pylist()
    if isinstance(frame, pd.DataFrame):
        out = frame.astype(object).where(frame.notna(), None).to_dict("records")
        return [{str(k): v for k, v in r.items()} for r in out]
    if type(frame).__name__ == "DuckDBPyRelation":
        return rows_of(frame.to_arrow_table())
    raise TypeError(type(frame))


def scalar_rows(
    d: MetricDefinition, records: list[dict[str, Any]], keys: Sequence[str], target: Any = None
) -> list[dict[str, Any]]:
    """What by() must give, computed with the scalar path (MetricDefinition.per)."""
    per = d.per(records, lambda r: tuple(r[k] for k in keys))
    t = resolve_target(d, target)
    out = []
    for key in sorted(per):
        r = per[key]
        row = dict(zip(keys, key, strict=True))
        row.update(
            numerator=r.numerator,
            denominator=r.denominator,
            value=float(r) if r.defined else None,
            verdict=None if t is None else t.verdict(r).status.value,
        )
        out.append(row)
    return out


def same(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        for k, v in w.items():
            if k in ("numerator", "denominator"):
                assert Fraction(g[k]) == v, (k, g, w)  # exact sums
            elif k == "value":
                assert g[k] == v, (g, w)  # the same float: no tolerance
                assert v is None or not math.isnan(v)
            else:
                assert g[k] == v, (k, g, w)


def valid_row(d: MetricDefinition, row: dict[str, Any]) -> bool:
    try:
        d.ratio(**{n: row[n] for n in d.inputs})
    except InputError:
        return False
    return True


@st.composite
def records(draw: Any, d: MetricDefinition, *, min_size: int = 0) -> list[dict[str, Any]]:
    """Valid records of ``d`` with keys line/area/day (integer inputs)."""
    n = draw(st.integers(min_size, 25))
    out = []
    for _ in range(n):
        row: dict[str, Any] = {
            "line": draw(st.sampled_from(["L1", "L2", "L3"])),
            "area": draw(st.sampled_from(["east", "west"])),
            "day": draw(st.integers(1, 4)),
        }
        for name in d.inputs:
            row[name] = draw(st.integers(0, 10**9) | st.integers(0, 5))
        if not valid_row(d, row):  # numerator-only inputs to 0 makes a bounded row valid
            for name in d.inputs:
                if name not in d.denominator:
                    row[name] = 0
        if valid_row(d, row):
            out.append(row)
    return out


# --------------------------------------------------------------------------- import cost


def test_import_gdsmodel_loads_no_dataframe_library() -> None:
    code = (
        "import sys, gdsmodel, gdsmodel.metrics.frames, gdsmodel.metrics.partial, "
        "gdsmodel.metrics.registry, gdsmodel.tables, gdsmodel.plot, gdsmodel._show\n"
        "gdsmodel.metrics.registry.metric('line_loss_rate')\n"
        f"print(sorted(m for m in {DATAFRAME_MODULES!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


# --------------------------------------------------------------------------- worked examples


DATA = {
    "station": ["s1", "s1", "s1", "s2", "s2"],
    "line": ["L1", "L1", "L2", "L3", "L4"],
    "supplied_kwh": [1000, 500, 300, 0, 200],
    "sold_kwh": [950, 480, 279, 0, 190],
}


@pytest.mark.parametrize(
    "make",
    [pd.DataFrame, pl.DataFrame, pl.LazyFrame, pa.table],
    ids=["pandas", "polars", "polars-lazy", "pyarrow"],
)
def test_line_loss_per_line_worked_example(make: Callable[[Any], Any]) -> None:
    out = metric("line_loss_rate_10kv").by(make(DATA), ["station", "line"], target="A")
    got = rows_of(out)
    assert [(r["station"], r["line"]) for r in got] == [
        ("s1", "L1"),
        ("s1", "L2"),
        ("s2", "L3"),
        ("s2", "L4"),
    ]
    assert [(r["numerator"], r["denominator"]) for r in got] == [
        (70, 1500),
        (21, 300),
        (0, 0),
        (10, 200),
    ]
    assert [r["value"] for r in got] == [70 / 1500, 0.07, None, 0.05]
    # grade A: <= 6.5 %
    assert [r["verdict"] for r in got] == ["met", "missed", "undefined", "met"]


def test_same_library_out() -> None:
    assert isinstance(LOSS.by(pd.DataFrame(DATA), "line"), pd.DataFrame)
    assert isinstance(LOSS.by(pl.DataFrame(DATA), "line"), pl.DataFrame)
    assert isinstance(LOSS.by(pa.table(DATA), "line"), pa.Table)
    lazy = LOSS.by(pl.LazyFrame(DATA), "line")
    assert isinstance(lazy, pl.LazyFrame)  # not collected: the caller collects
    assert lazy.collect_schema().names() == [
        "line",
        "numerator",
        "denominator",
        "value",
        "percent",
        "verdict",
        "anomaly",
        "invalid_rows",
    ]


def test_undefined_is_null_not_nan_or_zero_in_pandas() -> None:
    out = LOSS.by(pd.DataFrame(DATA), "station", target=Target.percent(5, Direction.LOWER))
    assert str(out["value"].dtype) == "Float64"
    row = LOSS.by(pd.DataFrame(DATA).iloc[3:4], "line")
    assert row["value"].isna().all() and row["value"].dtype == "Float64"
    assert row["value"].iloc[0] is pd.NA
    assert out["verdict"].tolist() == ["missed", "met"]  # 91/1800 = 5.06 %, 10/200 = 5 %


def test_no_target_gives_null_verdict_and_target_ids_work() -> None:
    out = rows_of(LOSS.by(pl.DataFrame(DATA), "station"))
    assert [r["verdict"] for r in out] == [None, None]
    out = rows_of(metric("line_loss_rate_lv").by(pl.DataFrame(DATA), "station", target="lv_11"))
    assert [r["verdict"] for r in out] == ["met", "met"]


def test_keys_none_gives_one_total_row() -> None:
    for make in (pd.DataFrame, pl.DataFrame, pl.LazyFrame, pa.table):
        (row,) = rows_of(LOSS.by(make(DATA), None))
        assert (row["numerator"], row["denominator"]) == (101, 2000)
        assert row["value"] == 101 / 2000


def test_columns_maps_inputs_to_column_names() -> None:
    df = pl.DataFrame({"k": ["a", "a"], "抄见": [9, 10], "应抄": [10, 10]})
    out = metric("meter_reading_rate").by(df, "k", columns={"read": "抄见", "due": "应抄"})
    assert out.row(0) == ("a", 19, 20, 0.95, 95.0, "missed", False)


def test_null_keys_are_a_group_sorted_last() -> None:
    df = pl.DataFrame({"k": [None, "b", "a"], "collected": [1, 2, 3], "billed": [1, 2, 4]})
    got = rows_of(metric("collection_rate").by(df, "k"))
    assert [r["k"] for r in got] == ["a", "b", None]


def test_decimal_inputs_are_exact_on_every_engine() -> None:
    dec = {
        "k": ["a", "a", "b"],
        "supplied_kwh": [Decimal("0.01"), Decimal("0.02"), Decimal("3.00")],
        "sold_kwh": [Decimal("0.00"), Decimal("0.02"), Decimal("2.99")],
    }
    want = {"a": Ratio(Fraction("0.01"), Fraction("0.03")), "b": Ratio(Fraction("0.01"), 3)}
    assert float(want["a"]) != 0.01 / 0.03  # float arithmetic would not do
    for frame in (pd.DataFrame(dec), pl.DataFrame(dec), pl.LazyFrame(dec), pa.table(dec)):
        got = rows_of(LOSS.by(frame, "k"))
        for row in got:
            r = want[row["k"]]
            assert Fraction(row["numerator"]) == r.numerator
            assert Fraction(row["denominator"]) == r.denominator
            assert row["value"] == float(r)
        assert frames.to_ratios(LOSS, LOSS.by(frame, "k"), "k") == {
            (k,): v for k, v in want.items()
        }


def test_float_inputs_are_summed_by_the_engine() -> None:
    df = pl.DataFrame({"k": ["a", "a"], "collected": [0.5, 0.25], "billed": [1.0, 1.0]})
    assert metric("collection_rate").by(df, "k").row(0)[1:4] == (0.75, 2.0, 0.375)


# --------------------------------------------------------------------------- errors


def test_missing_column_names_the_input_and_the_columns() -> None:
    with pytest.raises(InputError, match=r"sold_kwh=None: the frame has no column for input"):
        LOSS.by(pl.DataFrame({"k": [1], "supplied_kwh": [1]}), "k")
    with pytest.raises(InputError, match=r"keys='nope': no such key column"):
        LOSS.by(pl.DataFrame(DATA), "nope")
    with pytest.raises(InputError, match=r"columns='bogus': is not an input"):
        LOSS.by(pl.DataFrame(DATA), "line", columns={"bogus": "line"})


@pytest.mark.parametrize("make", [pd.DataFrame, pl.DataFrame, pa.table])
def test_negative_input_is_a_typed_error(make: Callable[[Any], Any]) -> None:
    df = make({"k": ["a", "b"], "supplied_kwh": [10, 5], "sold_kwh": [3, -7]})
    with pytest.raises(InputError) as err:
        LOSS.by(df, "k")
    assert err.value.name == "sold_kwh"
    assert err.value.value == -7
    assert "finite numbers >= 0" in str(err.value)


@pytest.mark.parametrize(
    ("values", "what"),
    [
        ([1.0, float("nan")], "1 missing, NaN or infinite values"),
        ([1.0, float("inf")], "1 missing, NaN or infinite values"),
        ([1, None], "1 missing"),
    ],
)
def test_null_nan_and_inf_inputs_are_typed_errors(values: list[Any], what: str) -> None:
    for make in (pd.DataFrame, pl.DataFrame):
        df = make({"k": ["a", "b"], "supplied_kwh": values, "sold_kwh": [0, 0]})
        with pytest.raises(InputError, match=what):
            LOSS.by(df, "k")


def test_non_numeric_columns_are_typed_errors() -> None:
    with pytest.raises(InputError, match="must be a numeric column") as err:
        LOSS.by(pl.DataFrame({"k": [1], "supplied_kwh": ["10"], "sold_kwh": [1]}), "k")
    assert err.value.name == "supplied_kwh"
    with pytest.raises(InputError, match="must be a numeric column"):
        LOSS.by(pl.DataFrame({"k": [1], "supplied_kwh": [True], "sold_kwh": [1]}), "k")
    bad = pd.DataFrame({"k": [1, 2], "supplied_kwh": [Decimal(1), "x"], "sold_kwh": [0, 0]})
    with pytest.raises(InputError, match="supplied_kwh"):
        LOSS.by(bad, "k")


def test_bad_arguments_are_typed_errors() -> None:
    df = pl.DataFrame(DATA)
    with pytest.raises(NotAdditiveError, match="power_factor"):
        metric("power_factor").by(df, "line")
    with pytest.raises(InputError, match="is not a dataframe"):
        LOSS.by([1, 2, 3], "line")
    with pytest.raises(InputError, match="no such file"):
        LOSS.by("no/such/file.parquet", "line")
    with pytest.raises(NotFoundError, match="unknown target of line_loss_rate_10kv 'Z'"):
        metric("line_loss_rate_10kv").by(df, "line", target="Z")
    with pytest.raises(InputError, match="unknown mode"):
        LOSS.by(df, "line", invalid="ignore")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="named like an output column"):
        LOSS.by(df.rename({"line": "value"}), "value")
    with pytest.raises(InputError, match="both a group key and an input"):
        LOSS.by(df, "line", columns={"sold_kwh": "line"})
    with pytest.raises(InputError, match="group keys repeat"):
        LOSS.by(df, ["line", "line"])
    with pytest.raises(InputError, match="is not a metric definition"):
        frames.by("line_loss_rate", df, "line")  # type: ignore[arg-type]


def test_bounded_sums_raise_on_eager_frames_and_flag_on_lazy_ones() -> None:
    d = metric("meter_reading_rate")
    data = {"k": ["a", "a", "b"], "read": [10, 5, 1], "due": [10, 4, 1]}
    with pytest.raises(
        InputError, match=r"group \{'k': 'a'\} break the rule of meter_reading_rate"
    ):
        d.by(pl.DataFrame(data), "k")
    got = rows_of(d.by(pl.LazyFrame(data), "k"))
    assert got[0] | {} == {
        "k": "a",
        "numerator": 15,
        "denominator": 14,
        "value": None,
        "percent": None,
        "verdict": "invalid",
        "anomaly": False,
        "invalid_rows": 0,
    }
    assert got[1]["verdict"] == "met"
    unsigned = metric("voltage_qualification_rate")
    v = {"monitored_minutes": [10], "above_upper_minutes": [8], "below_lower_minutes": [5]}
    with pytest.raises(InputError, match="numerator >= 0"):
        unsigned.by(pd.DataFrame(v), None)


def test_flag_mode_counts_bad_rows_lazily() -> None:
    lf = pl.LazyFrame({"k": ["a", "a", "b"], "supplied_kwh": [10, None, 5], "sold_kwh": [-1, 2, 5]})
    out = LOSS.by(lf, "k")
    assert isinstance(out, pl.LazyFrame)
    got = rows_of(out)
    assert [(r["k"], r["invalid_rows"], r["verdict"], r["value"]) for r in got] == [
        ("a", 2, "invalid", None),
        ("b", 0, None, 0.0),
    ]
    eager = rows_of(LOSS.by(lf.collect(), "k", invalid="flag"))
    assert eager == got
    with pytest.raises(InputError, match="has 1 missing values"):  # raise on lazy: one pass
        LOSS.by(lf, "k", invalid="raise")


# --------------------------------------------------------------------------- properties


def test_every_flow_metric_is_tested_on_frames() -> None:
    assert len(FLOWS) >= 20


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_scalar_pandas_and_polars_agree_exactly(data: st.DataObject) -> None:
    d = data.draw(st.sampled_from(FLOWS), label="metric")
    recs = data.draw(records(d))
    keys = data.draw(st.sampled_from([["line"], ["line", "area"], ["day"], ["area", "day"]]))
    target = d.targets[0].id if d.targets else None
    want = scalar_rows(d, recs, keys, target)
    columns = {k: [r[k] for r in recs] for k in ["line", "area", "day", *d.inputs]}
    schema = {k: (pl.Int64 if k not in ("line", "area") else pl.String) for k in columns}
    for frame in (pd.DataFrame(columns), pl.DataFrame(columns, schema=schema)):
        same(rows_of(d.by(frame, keys, target=target)), want)


@settings(max_examples=60, deadline=None)
@given(
    recs=records(LOSS),
    split=st.sampled_from(["line", "area", "day"]),
    keys=st.sampled_from([("line",), ("area", "day"), ()]),
)
def test_any_partition_gives_the_whole(
    recs: list[dict[str, Any]], split: str, keys: tuple[str, ...]
) -> None:
    whole = pl.DataFrame(recs, schema=_SCHEMA)
    parts = whole.partition_by(split) if recs else []
    # frames: states of each part, concatenated, finish to the same result as by() on the whole
    fine = list(dict.fromkeys([*keys, "line", "day"]))  # states finer than the result
    state_frames = [frames.states(LOSS, p, fine) for p in parts]
    merged = frames.finish(LOSS, pl.concat(state_frames), keys) if parts else None
    expected = LOSS.by(whole, keys)
    if merged is not None:
        assert merged.equals(expected)
    # scalar partial states: the same merged state in any grouping
    states = [PartialState.from_records(LOSS, p.to_dicts()) for p in parts]
    total = PartialState.from_records(LOSS, recs)
    assert PartialState.merge(LOSS, states) == total
    assert PartialState.merge(LOSS, reversed(states)) == total
    if not keys:
        (row,) = rows_of(expected)
        assert (row["numerator"], row["denominator"]) == (
            total.ratio().numerator,
            total.ratio().denominator,
        )


_SCHEMA = {
    "line": pl.String,
    "area": pl.String,
    "day": pl.Int64,
    "supplied_kwh": pl.Int64,
    "sold_kwh": pl.Int64,
}


def partial_states(d: MetricDefinition) -> st.SearchStrategy[PartialState]:
    stocks = stock_inputs(d)

    def build(values: dict[str, int], period: str, hours: int) -> PartialState:
        if stocks:
            return PartialState.of(d, period=period, hours=hours, **values)
        return PartialState.of(d, **values)

    return st.builds(
        build,
        st.fixed_dictionaries({n: st.integers(0, 10**6) for n in d.inputs}),
        st.sampled_from(["06", "07", "08"]),
        st.just(24),
    )


@pytest.mark.parametrize(
    "d", [LOSS, metric("equipment_intact_rate"), metric("saidi")], ids=lambda d: d.id
)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_merging_is_associative_and_commutative(d: MetricDefinition, data: st.DataObject) -> None:
    a, b, c = (data.draw(partial_states(d)) for _ in range(3))
    assert (a + b) + c == a + (b + c)
    assert a + b == b + a
    assert a + PartialState.empty(d) == a == sum([a])


@settings(max_examples=25, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["L1", "L2"]),
            st.sampled_from(["06", "07"]),
            st.integers(0, 50),
            st.integers(1, 100),
        ),
        min_size=1,
        max_size=12,
    ),
    weighted=st.booleans(),
)
def test_stock_inputs_average_across_periods_as_the_scalar_state(
    rows: list[tuple[str, str, int, int]], weighted: bool
) -> None:
    d = metric("saifi")
    hours = {"06": 720, "07": 744}
    recs = [
        {"line": ln, "month": m, "hours": hours[m], "customer_interruptions": ci, "customers": c}
        for ln, m, ci, c in rows
    ]
    h = "hours" if weighted else None
    scalar = PartialState.from_records(d, recs, period="month", hours=h)
    for frame in (pd.DataFrame(recs), pl.DataFrame(recs), pl.LazyFrame(recs)):
        (row,) = rows_of(d.by(frame, (), period="month", hours=h))
        assert row["value"] == float(scalar.ratio())
        by_month = rows_of(d.by(frame, "month", period="month"))  # period is a key: plain sums
        for r in by_month:
            part = [x for x in recs if x["month"] == r["month"]]
            assert Fraction(r["denominator"]) == sum(x["customers"] for x in part)


# --------------------------------------------------------------------------- partial states


def test_partial_state_examples_and_errors() -> None:
    d = metric("saidi")
    a = PartialState.of(d, period="d1", hours=24, customer_minutes=60, customers=10)
    assert a.inputs() == {"customer_minutes": 60, "customers": 10}
    with pytest.raises(InputError, match="two different lengths"):
        _ = a + PartialState.of(d, period="d1", hours=23, customer_minutes=0, customers=1)
    mixed = a + PartialState.of(d, period="d2", customer_minutes=0, customers=1)
    with pytest.raises(InputError, match="some periods have hours"):
        mixed.ratio()
    with pytest.raises(InputError, match="missing input"):
        PartialState.of(LOSS, supplied_kwh=1)
    with pytest.raises(InputError, match="unknown input"):
        PartialState.of(LOSS, supplied_kwh=1, sold_kwh=1, bogus=2)
    with pytest.raises(NotAdditiveError):
        PartialState.empty(metric("power_factor"))
    with pytest.raises(InputError, match="not a flow input"):
        PartialState(d, {"customers": 1})
    with pytest.raises(InputError, match="must be > 0"):
        PeriodStock({"customers": 1}, 0)
    with pytest.raises(InputError, match="is not a stock input"):
        a.stock("customer_minutes")
    assert PartialState.empty(d).stock("customers") == 0
    assert a.verdict(Target(threshold=10, direction=Direction.LOWER, unit="min")).met
    assert {"customers"} == STOCK_INPUTS


def test_reliability_state_gives_the_registry_inputs() -> None:
    t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    june = pendulum.interval(t, t.add(days=30))
    july = pendulum.interval(t.add(days=30), t.add(days=61))
    outages = [
        Outage(start=t.add(hours=5), end=t.add(hours=8), customers_affected=40, cause="fault"),
        Outage(
            start=t.add(days=3), end=t.add(days=3, hours=1), customers_affected=9, cause="external"
        ),
        Outage(
            start=t.add(days=40),
            end=t.add(days=40, hours=2),
            customers_affected=5,
            cause="supply_shortage",
        ),
    ]
    s = ReliabilityState.from_outages(outages, period=june, customers=100)
    s = s + ReliabilityState.from_outages(outages, period=july, customers=120)
    want = {
        "rs1": s.rs1().value,
        "rs2": s.rs2().value,
        "rs3": s.rs3().value,
        "asai": s.asai().value,
        "aihc": s.aihc().value,
        "aitc": s.aitc().value,
        "saifi": s.saifi().value,
        "saidi": s.saidi().value,
        "caidi": s.caidi().value,
    }
    for name, value in want.items():
        d = metric(name)
        assert d.ratio(**reliability_inputs(d, s)).value == value, name
    with pytest.raises(InputError, match="not a reliability index"):
        reliability_inputs(LOSS, s)
    with pytest.raises(InputError, match="must be a ReliabilityState"):
        reliability_inputs(metric("saidi"), "state")  # type: ignore[arg-type]


def test_reliability_rows_on_frames_match_the_merged_state() -> None:
    """Per line and month rows made from ReliabilityStates: frames give the merged state's
    SAIFI and SAIDI (customers averaged over the months, weighted by their hours)."""
    t = pendulum.datetime(2024, 6, 1, tz="Asia/Shanghai")
    months = {
        "06": pendulum.interval(t, t.add(months=1)),
        "07": pendulum.interval(t.add(months=1), t.add(months=2)),
    }
    served = {("L1", "06"): 100, ("L1", "07"): 110, ("L2", "06"): 50, ("L2", "07"): 50}
    rows, states = [], []
    for (line, m), customers in served.items():
        p = months[m]
        o = Outage(
            start=p.start.add(days=2),
            end=p.start.add(days=2, hours=3),
            customers_affected=customers // 2,
            cause="fault",
        )
        s = ReliabilityState.from_outages([o], period=p, customers=customers)
        states.append(s)
        row = {"line": line, "month": m, "hours": int(s.hours)}
        for name in ("saifi", "saidi"):
            row.update({k: int(v) for k, v in reliability_inputs(metric(name), s).items()})
        rows.append(row)
    whole = ReliabilityState.merge(states)
    for name, want in (("saifi", whole.saifi().value), ("saidi", whole.saidi().value)):
        for frame in (pd.DataFrame(rows), pl.LazyFrame(rows)):
            (got,) = rows_of(metric(name).by(frame, (), period="month", hours="hours"))
            assert want is not None and got["value"] == float(want)


def test_stock_metric_needs_a_period() -> None:
    df = pl.DataFrame({"line": ["a"], "customer_interruptions": [1], "customers": [2]})
    with pytest.raises(InputError, match="not additive across periods") as err:
        metric("saifi").by(df, "line")
    assert err.value.name == "period"
    with pytest.raises(InputError, match="give period= too"):
        LOSS.by(pl.DataFrame(DATA), "line", hours="supplied_kwh")
    with pytest.raises(InputError, match="no such period column"):
        metric("saifi").by(df, "line", period="month")
    with pytest.raises(InputError, match="needs the period"):
        frames.to_states(metric("saifi"), df, "line")


def test_states_and_finish_round_trip_to_python() -> None:
    df = pl.DataFrame(DATA)
    s = frames.states(LOSS, df, ["station", "line"])
    assert s.columns == ["station", "line", "supplied_kwh", "sold_kwh"]
    py = frames.to_states(LOSS, s, "station")
    assert py[("s1",)].ratio() == Ratio(91, 1800)
    out = frames.finish(LOSS, s, "station")
    assert frames.to_ratios(LOSS, out, "station") == {k: v.ratio() for k, v in py.items()}
    with pytest.raises(InputError, match="names its columns after the inputs"):
        frames._Plan(
            LOSS, s, "station", columns={"sold_kwh": "x"}, period=None, hours=None,
            invalid=None, state_frame=True,
        )  # fmt: skip


# --------------------------------------------------------------------------- docs


def test_the_dataframes_page_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("duckdb")  # the page reads Parquet files with DuckDB
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 4
    monkeypatch.chdir(tmp_path)  # examples write their files here
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    globs: dict[str, Any] = {}
    for i, block in enumerate(blocks):  # the blocks build on each other, in page order
        test = parser.get_doctest(block, globs, f"dataframes.md[{i}]", str(DOC), 0)
        runner.run(test, clear_globs=False)
        globs.update(test.globs)
    assert runner.summarize(verbose=False).failed == 0


@pytest.mark.parametrize(
    "make", [pd.DataFrame, pa.table, pl.DataFrame], ids=["pandas", "pyarrow", "polars"]
)
def test_flag_mode_on_every_eager_library(make: Callable[[Any], Any]) -> None:
    df = make(
        {"k": ["a", "a", "b"], "supplied_kwh": [10.0, float("nan"), 5.0], "sold_kwh": [-1, 2, 5]}
    )
    got = rows_of(LOSS.by(df, "k", invalid="flag"))
    assert [(r["k"], r["invalid_rows"], r["verdict"]) for r in got] == [
        ("a", 2, "invalid"),
        ("b", 0, None),
    ]
    states = frames.states(LOSS, df, "k", invalid="flag")
    again = rows_of(frames.finish(LOSS, states, "k", invalid="flag"))
    assert [(r["k"], r["invalid_rows"], r["verdict"], r["value"]) for r in again] == [
        ("a", 2, "invalid", None),
        ("b", 0, None, 0.0),
    ]


# --------------------------------------------------------------------------- typed signatures

_TYPED_CALLS = """
import duckdb
import pandas as pd
import polars as pl
from gdsmodel.metrics.registry import metric

d = metric("line_loss_rate")
reveal_type(d.by(pd.DataFrame(), "line"))
reveal_type(d.by(pl.LazyFrame(), ["line"], target="A", invalid="flag"))
reveal_type(d.by(pl.DataFrame(), None))
reveal_type(d.by("data/*.parquet", "line"))
d.by(pd.DataFrame(), "line", colums={})
"""


@pytest.mark.slow
def test_by_is_typed_per_frame_library(tmp_path: Path) -> None:
    """mypy sees the library of the result and the keyword options of ``by``."""
    script = tmp_path / "calls.py"
    script.write_text(_TYPED_CALLS, encoding="utf-8")
    root = Path(__file__).resolve().parents[1]
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(script)],
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )
    out = run.stdout
    revealed = re.findall(r'Revealed type is "([^"]+)"', out)
    assert revealed == [
        "pandas.core.frame.DataFrame",
        "polars.lazyframe.frame.LazyFrame",
        "polars.dataframe.frame.DataFrame",
        "duckdb._relation.DuckDBPyRelation",
    ], out
    assert 'Unexpected keyword argument "colums"' in out


# --------------------------------------------------------------------------- percent and anomaly

# T1: 1000 supplied, 1030 sold -> loss -30 kWh = -3 %, an anomaly (sold > supplied).
# T2: 400 + 600 supplied, 380 + 570 sold -> 50 / 1000 = 5 %.  T3: nothing supplied: undefined.
ANOMALY_DATA = {
    "area": ["T1", "T2", "T2", "T3"],
    "supplied_kwh": [1000, 400, 600, 0],
    "sold_kwh": [1030, 380, 570, 0],
}
ANOMALY_ROWS = [
    {"area": "T1", "numerator": -30, "denominator": 1000, "percent": -3.0, "anomaly": True},
    {"area": "T2", "numerator": 50, "denominator": 1000, "percent": 5.0, "anomaly": False},
    {"area": "T3", "numerator": 0, "denominator": 0, "percent": None, "anomaly": False},
]


def _duck(data: dict[str, list[Any]]) -> Any:
    duckdb = pytest.importorskip("duckdb")
    return duckdb.from_arrow(pa.table(data))


@pytest.mark.parametrize(
    "make",
    [pd.DataFrame, pl.DataFrame, pl.LazyFrame, _duck],
    ids=["pandas", "polars", "polars-lazy", "duckdb"],
)
def test_negative_line_loss_is_flagged_on_frames_as_on_numbers(make: Callable[..., Any]) -> None:
    from gdsmodel.metrics.energy import line_loss_rate

    got = rows_of(LOSS.by(make(ANOMALY_DATA), "area"))
    keep = ("area", "numerator", "denominator", "percent", "anomaly")
    assert [{k: r[k] for k in keep} for r in got] == ANOMALY_ROWS
    assert [r["value"] for r in got] == [-0.03, 0.05, None]
    # the frame flag agrees with the flag on numbers, group by group
    assert line_loss_rate(supplied_kwh=1000, sold_kwh=1030).anomaly is True
    assert line_loss_rate(supplied_kwh=1000, sold_kwh=950).anomaly is False


def test_unsigned_metrics_never_flag_an_anomaly_and_decimals_give_exact_percent() -> None:
    book = pd.DataFrame({"k": ["a", "a"], "read": [Decimal("1"), Decimal("0")], "due": [3, 0]})
    out = metric("meter_reading_rate").by(book, "k", invalid="flag")
    assert out["anomaly"].tolist() == [False]
    assert out["percent"].tolist() == [float(Fraction(100, 3))]  # 1/3 -> 33.333...%
    assert str(out["anomaly"].dtype) == "boolean" and str(out["percent"].dtype) == "Float64"
