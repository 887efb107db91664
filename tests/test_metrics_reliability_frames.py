"""Reliability on frames: the same states, daily SAIDI and major event days as the object path,
on pandas, polars (lazy), DuckDB and PySpark; worked examples; bad frames; the one-pass daily
pipeline of the object path against a plain reference."""

from __future__ import annotations

import importlib.util
import warnings
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdsmodel.errors import InputError
from gdsmodel.metrics.reliability import (
    MedThreshold,
    Outage,
    OutageCause,
    ReliabilityState,
    daily_saidi,
    daily_saidi_by,
    exclude_major_event_days,
    exclude_major_event_days_by,
    med_threshold,
    med_thresholds_by,
    reliability_by,
    reliability_indices,
    reliability_states_by,
)

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
duckdb = pytest.importorskip("duckdb")

CONVENTIONS = ("DL/T 836", "IEEE 1366")
ZONES: tuple[tzinfo, ...] = (
    ZoneInfo("Asia/Shanghai"),
    ZoneInfo("America/New_York"),  # DST on 10 March 2024, a 23-hour day
    UTC,
    timezone(timedelta(hours=5, minutes=30)),
)
CUSTOMERS = {"X": 60, "Y": 80}


def frame_of(outages: list[Outage], areas: list[str]) -> dict[str, list[Any]]:
    return {
        "area": areas,
        "start": [o.start for o in outages],
        "end": [o.end for o in outages],
        "customers_affected": [o.customers_affected for o in outages],
        "cause": [o.cause.value for o in outages],
        "line": [o.line for o in outages],
    }


def engines(data: dict[str, list[Any]], zone: tzinfo) -> Iterator[tuple[str, Any]]:
    """The same outages as a pandas frame (in the zone), a polars LazyFrame (UTC), a DuckDB
    relation, and with integer microseconds."""
    cols = dict(data)
    utc = {c: [t.astimezone(UTC) for t in cols[c]] for c in ("start", "end")}
    frame = pd.DataFrame({**cols, **utc})
    for c in ("start", "end"):
        frame[c] = pd.to_datetime(frame[c], utc=True).dt.tz_convert(str(zone))
    frame["customers_affected"] = frame["customers_affected"].astype("int64")
    for c in ("area", "cause", "line"):
        frame[c] = frame[c].astype("str").where(frame[c].notna(), None)
    yield "pandas", frame
    schema = {
        "area": pl.String,
        "start": pl.Datetime("us", "UTC"),
        "end": pl.Datetime("us", "UTC"),
        "customers_affected": pl.Int64,
        "cause": pl.String,
        "line": pl.String,
    }
    lazy = pl.DataFrame({**cols, **utc}, schema=schema).lazy()
    yield "polars", lazy
    yield "duckdb", duckdb.from_arrow(lazy.collect().to_arrow())
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    micros = {c: [(t - epoch) // timedelta(microseconds=1) for t in utc[c]] for c in utc}
    yield (
        "polars-int",
        pl.DataFrame(
            {**cols, **micros}, schema={**schema, "start": pl.Int64, "end": pl.Int64}
        ).lazy(),
    )


def by_area(outages: list[Outage], areas: list[str]) -> dict[str, list[Outage]]:
    out: dict[str, list[Outage]] = {a: [] for a in CUSTOMERS}
    for o, a in zip(outages, areas, strict=True):
        out[a].append(o)
    return out


# --------------------------------------------------------------------------- generated outages

DURATIONS = st.one_of(
    st.sampled_from(
        [
            timedelta(minutes=3),  # exactly the DL/T 836 threshold: short
            timedelta(minutes=3, microseconds=1),  # just sustained under DL/T 836
            timedelta(minutes=5),  # exactly the IEEE 1366 threshold: momentary
            timedelta(minutes=5, microseconds=1),
            timedelta(hours=30),  # a multi-day storm
            timedelta(days=3),
        ]
    ),
    st.integers(1, 2000).map(lambda m: timedelta(minutes=m)),
    st.integers(1, 600).map(lambda s: timedelta(seconds=s)),
)


@st.composite
def cases(draw: st.DrawFn) -> tuple[tzinfo, datetime, datetime, list[Outage], list[str]]:
    zone = draw(st.sampled_from(ZONES))
    # a period of a few days around the New York change of offset, maybe not at midnight
    start = datetime(2024, 3, 8, draw(st.sampled_from([0, 0, 7])), tzinfo=zone)
    end = start + timedelta(days=draw(st.integers(1, 5)), hours=draw(st.sampled_from([0, 5])))
    outages, areas = [], []
    for _ in range(draw(st.integers(0, 14))):
        at_bound = draw(st.sampled_from([None, None, None, start, end]))
        if at_bound is None:
            minutes = draw(st.integers(-3000, int((end - start).total_seconds() // 60) + 600))
            t = start + timedelta(minutes=minutes, seconds=draw(st.sampled_from([0, 0, 17])))
        else:
            t = at_bound - draw(st.sampled_from([timedelta(0), timedelta(minutes=2)]))
        area = draw(st.sampled_from(sorted(CUSTOMERS)))
        outages.append(
            Outage(
                start=t,
                end=t + draw(DURATIONS),
                customers_affected=draw(st.integers(0, 20)),
                cause=draw(st.sampled_from(list(OutageCause))),
                line=draw(st.sampled_from(["L1", "L2", None])),
            )
        )
        areas.append(area)
    return zone, start, end, outages, areas


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(cases(), st.sampled_from(CONVENTIONS), st.floats(min_value=0.5, max_value=300))
def test_frame_path_equals_the_object_path(
    case: tuple[tzinfo, datetime, datetime, list[Outage], list[str]],
    conv: str,
    scale: float,
) -> None:
    zone, start, end, outages, areas = case
    period = pendulum.interval(pendulum.instance(start), pendulum.instance(end))
    groups = by_area(outages, areas)
    th = med_threshold(
        {date(2023, 6, 1): scale, date(2023, 6, 2): scale * 3},
        year_start=date(2024, 1, 1),
        history_start=date(2019, 1, 1),
    )
    expected: dict[tuple[str], Any] = {}
    try:
        for a, outs in groups.items():
            n = CUSTOMERS[a]
            expected[(a,)] = (
                ReliabilityState.from_outages(outs, period=period, customers=n, convention=conv),
                daily_saidi(outages=outs, period=period, customers=n, convention=conv),
                exclude_major_event_days(
                    outages=outs, period=period, customers=n, threshold=th, convention=conv
                ),
            )
    except InputError:  # overlapping records: more customer-time than the customers have
        for _, frame in engines(frame_of(outages, areas), zone):
            with pytest.raises(InputError):
                reliability_states_by(
                    frame, period=period, customers=CUSTOMERS, keys="area", convention=conv
                )
        return
    for name, frame in engines(frame_of(outages, areas), zone):
        states = reliability_states_by(
            frame, period=period, customers=CUSTOMERS, keys="area", convention=conv
        )
        daily = daily_saidi_by(
            frame, period=period, customers=CUSTOMERS, keys="area", convention=conv
        )
        splits = exclude_major_event_days_by(
            frame, period=period, customers=CUSTOMERS, thresholds=th, keys="area", convention=conv
        )
        for key, (state, day_values, split) in expected.items():
            assert states[key] == state, (name, key)
            assert dict(daily[key]) == dict(day_values), (name, key)
            assert (daily[key].first_day, daily[key].end_day) == (
                day_values.first_day,
                day_values.end_day,
            )
            assert splits[key] == split, (name, key)
            assert dict(splits[key].daily_saidi) == dict(split.daily_saidi), (name, key)


# --------------------------------------------------------------------------- worked examples

SH = ZoneInfo("Asia/Shanghai")


def _t(day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2024, 6, day, hour, minute, tzinfo=SH)


JUNE = pendulum.interval(pendulum.instance(_t(1)), pendulum.instance(_t(1) + timedelta(days=30)))


def test_the_30_hour_storm_accrues_to_the_day_it_began() -> None:
    # 18:00 on 10 June, 30 h, 600 of 1000 customers: 1080 customer-minutes per customer on
    # its start day, nothing on the next; the month's SAIDI clips nothing (it ends inside)
    lf = pl.LazyFrame(
        {
            "start": [_t(10, 18)],
            "end": [_t(12, 0)],
            "customers_affected": [600],
            "cause": ["fault"],
        }
    )
    d = daily_saidi_by(lf, period=JUNE, customers=1000)[()]
    assert d[date(2024, 6, 10)] == 1080
    assert d[date(2024, 6, 11)] == 0
    assert sum(d.values()) == 1080
    ix = reliability_by(lf, period=JUNE, customers=1000)[()]
    assert ix.saidi.value == Fraction(1080)  # 600 × 1800 min / 1000
    assert ix.saifi.value == Fraction(3, 5)


def test_exactly_3_and_5_minutes_under_each_convention() -> None:
    frame = pd.DataFrame(
        {
            "start": [_t(2, 9), _t(3, 9), _t(4, 9)],
            "end": [_t(2, 9, 3), _t(3, 9, 5), _t(4, 9, 6)],
            "customers_affected": [10, 20, 30],
            "cause": ["fault"] * 3,
            "line": ["L1", "L1", "L1"],
        }
    )
    dlt = reliability_states_by(frame, period=JUNE, customers=100)[()]
    ieee = reliability_states_by(frame, period=JUNE, customers=100, convention="IEEE 1366")[()]
    # DL/T 836: > 3 min is sustained; the 3-minute one is short
    assert (dlt.fault.events, dlt.fault.short_events) == (2, 1)
    assert dlt.maifi().value == Fraction(10, 100)
    # IEEE 1366: > 5 min is sustained; 3 and 5 minutes are momentary, two events a day apart
    assert (ieee.fault.events, ieee.fault.short_events) == (1, 2)
    assert ieee.saifi().value == Fraction(30, 100)
    assert ieee.maifi().value == Fraction(30, 100)
    assert ieee.maifie().value == Fraction(30, 100)


def test_momentary_events_group_a_reclosing_sequence_on_one_line() -> None:
    # IEEE 1366: three momentary interruptions of L1 within 5 minutes of the first are one
    # event (its customers: the most any cut off); one on L2 at the same time is its own
    rows = [
        (_t(5, 8, 0), 1, 40, "L1"),
        (_t(5, 8, 2), 1, 55, "L1"),
        (_t(5, 8, 4), 1, 20, "L1"),
        (_t(5, 8, 2), 1, 15, "L2"),
        (_t(5, 8, 30), 1, 10, "L1"),  # 30 min later: a new event
    ]
    frame = pl.LazyFrame(
        {
            "start": [r[0] for r in rows],
            "end": [r[0] + timedelta(minutes=r[1]) for r in rows],
            "customers_affected": [r[2] for r in rows],
            "cause": ["fault"] * len(rows),
            "line": [r[3] for r in rows],
        }
    )
    s = reliability_states_by(frame, period=JUNE, customers=1000, convention="IEEE 1366")[()]
    assert s.fault.momentary_events == 3
    assert s.fault.momentary_event_customers == 55 + 15 + 10
    assert s.fault.short_customer_interruptions == 140
    outages = [
        Outage(
            start=r[0],
            end=r[0] + timedelta(minutes=r[1]),
            customers_affected=r[2],
            cause="fault",
            line=r[3],
        )
        for r in rows
    ]
    assert s == ReliabilityState.from_outages(
        outages, period=JUNE, customers=1000, convention="IEEE 1366"
    )


def test_groups_of_the_customer_mapping_without_outages_are_given() -> None:
    frame = pd.DataFrame(
        {
            "area": ["A"],
            "start": [_t(3, 10)],
            "end": [_t(3, 12)],
            "customers_affected": [5],
            "cause": ["planned"],
        }
    )
    ix = reliability_by(frame, period=JUNE, customers={"A": 10, "B": 20}, keys="area")
    assert ix[("A",)].aihc.value == Fraction(1)  # 5 × 2 h / 10
    assert ix[("B",)].rs1.value == 1
    assert ix[("B",)] == reliability_indices(outages=[], period=JUNE, customers=20)


def test_med_thresholds_and_exclusion_per_group() -> None:
    # history: area A has days of 1, 2, 4 and 8 minutes; B of 10, 20, 40 and 80
    hist_start = datetime(2023, 3, 1, tzinfo=SH)
    rows = []
    for area, scale in (("A", 1), ("B", 10)):
        for i, minutes in enumerate((1, 2, 4, 8)):
            t = hist_start + timedelta(days=i)
            rows.append((area, t, t + timedelta(minutes=10 * minutes * scale), 6))
    # the year: a big storm in A on 1 June; in B the same storm is below its threshold
    for area in ("A", "B"):
        rows.append((area, _t(1, 18), _t(1, 18) + timedelta(hours=2), 60))
    frame = pl.LazyFrame(
        {
            "area": [r[0] for r in rows],
            "start": [r[1] for r in rows],
            "end": [r[2] for r in rows],
            "customers_affected": [r[3] for r in rows],
            "cause": ["fault"] * len(rows),
        }
    )
    history = pendulum.interval(
        pendulum.datetime(2019, 1, 1, tz="Asia/Shanghai"),
        pendulum.datetime(2024, 1, 1, tz="Asia/Shanghai"),
    )
    th = med_thresholds_by(
        frame, history=history, customers=60, keys="area", year_start=date(2024, 1, 1)
    )
    assert th[("A",)].t_med == pytest.approx(26.492, abs=1e-3)  # 2 ** (1.5 + 2.5 sqrt(5/3))
    assert th[("B",)].t_med == pytest.approx(264.92, abs=1e-2)
    splits = exclude_major_event_days_by(
        frame, period=JUNE, customers=60, keys="area", thresholds=th
    )
    # 60 customers × 120 min / 60 = 120 min on 1 June: above 26.5, below 264.9
    assert splits[("A",)].major_event_days == (date(2024, 6, 1),)
    assert splits[("B",)].major_event_days == ()
    assert splits[("A",)].normal.saidi().value == 0
    assert splits[("B",)].normal.saidi().value == 120


# --------------------------------------------------------------------------- bad frames


def _one(**override: Any) -> Any:
    data: dict[str, Any] = {
        "start": [_t(3, 10)],
        "end": [_t(3, 12)],
        "customers_affected": [5],
        "cause": ["fault"],
    }
    data.update(override)
    return pl.DataFrame(data)


def test_bad_frames_are_refused_with_what_and_where() -> None:
    with pytest.raises(InputError, match="no such column"):
        reliability_by(_one().drop("cause"), period=JUNE, customers=10)
    with pytest.raises(InputError, match="no such key column"):
        reliability_by(_one(), period=JUNE, customers=10, keys="area")
    naive = _one(start=[datetime(2024, 6, 3, 10)], end=[datetime(2024, 6, 3, 12)])
    with pytest.raises(InputError, match="without a time zone"):
        reliability_by(naive, period=JUNE, customers=10)
    with pytest.raises(InputError, match="whole numbers"):
        reliability_by(_one(customers_affected=[5.5]), period=JUNE, customers=10)
    with pytest.raises(InputError, match="more customers than are served"):
        reliability_by(_one(customers_affected=[11]), period=JUNE, customers=10)
    with pytest.raises(InputError, match="not outages"):
        reliability_by(_one(end=[_t(3, 10)]), period=JUNE, customers=10)
    with pytest.raises(InputError, match="not outages"):
        daily_saidi_by(_one(customers_affected=[-1]), period=JUNE, customers=10)
    with pytest.raises(InputError, match="not an outage cause"):
        reliability_by(_one(cause=["storm"]), period=JUNE, customers=10)
    with pytest.raises(InputError, match="not outages"):
        daily_saidi_by(_one(cause=["storm"]), period=JUNE, customers=10)
    with pytest.raises(InputError, match="not outages"):
        reliability_by(_one(cause=[None]), period=JUNE, customers=10)
    with pytest.raises(InputError, match="no customer count"):
        reliability_by(_one(area=["A"]), period=JUNE, customers={"B": 3}, keys="area")
    with pytest.raises(InputError, match="not a dataframe"):
        reliability_by([1, 2], period=JUNE, customers=10)
    with pytest.raises(InputError, match="without customers"):
        daily_saidi_by(_one(), period=JUNE, customers=0)
    twice = pl.concat([_one(customers_affected=[10])] * 400)
    twice = twice.with_columns(end=pl.col("start") + pl.duration(days=2))
    with pytest.raises(InputError, match="more customer-hours"):
        reliability_by(twice, period=JUNE, customers=10)
    with pytest.raises(InputError, match="MedThreshold"):
        exclude_major_event_days_by(_one(), period=JUNE, customers=10, thresholds=3)  # type: ignore[arg-type]


def test_a_threshold_is_needed_for_every_group() -> None:
    th = med_threshold(
        {date(2023, 6, 1): 1, date(2023, 6, 2): 3},
        year_start=date(2024, 1, 1),
        history_start=date(2019, 1, 1),
    )
    assert isinstance(th, MedThreshold)
    frame = _one(area=["A"])
    with pytest.raises(InputError, match="no threshold"):
        exclude_major_event_days_by(
            frame, period=JUNE, customers=10, keys="area", thresholds={"B": th}
        )
    out = exclude_major_event_days_by(
        frame, period=JUNE, customers=10, keys="area", thresholds={"A": th}
    )
    assert out[("A",)].major_event_days == (date(2024, 6, 3),)  # 5 × 120 / 10 = 60 min


# --------------------------------------------------------------------------- object path


@settings(max_examples=60, deadline=None)
@given(cases(), st.sampled_from(CONVENTIONS), st.floats(min_value=0.5, max_value=300))
def test_one_pass_daily_pipeline_equals_a_plain_reference(
    case: tuple[tzinfo, datetime, datetime, list[Outage], list[str]],
    conv: str,
    scale: float,
) -> None:
    """daily SAIDI and the MED split of the one-pass object path against the rules written
    out plainly: each sustained interruption's whole customer-minutes on the local day it
    began; the major set is the outages that began on a day above T_MED, tallied as a period."""
    zone, start, end, outages, _ = case
    period = pendulum.interval(pendulum.instance(start), pendulum.instance(end))
    n = 1000
    th = med_threshold(
        {date(2023, 6, 1): scale, date(2023, 6, 2): scale * 3},
        year_start=date(2024, 1, 1),
        history_start=date(2019, 1, 1),
    )
    try:
        whole = ReliabilityState.from_outages(outages, period=period, customers=n, convention=conv)
    except InputError:
        return
    del whole
    reference: dict[date, Fraction] = {}
    day = start.date()
    while datetime.combine(day, datetime.min.time(), tzinfo=zone) < end:
        reference[day] = Fraction(0)
        day += timedelta(days=1)
    for o in outages:
        if start <= o.start < end and o.is_sustained(conv):
            reference[o.start.astimezone(zone).date()] += o.customer_hours * 60 / n
    got = daily_saidi(outages=outages, period=period, customers=n, convention=conv)
    assert dict(got) == reference
    assert th.t_med is not None
    med = {d for d, v in reference.items() if v > th.t_med}
    major = [
        o for o in outages if start <= o.start < end and o.start.astimezone(zone).date() in med
    ]
    normal = [o for o in outages if not any(o is m for m in major)]
    split = exclude_major_event_days(
        outages=outages, period=period, customers=n, threshold=th, convention=conv
    )
    assert set(split.major_event_days) == med
    assert split.normal == ReliabilityState.from_outages(
        normal, period=period, customers=n, convention=conv
    )
    assert (
        split.major.total()
        == ReliabilityState.from_outages(major, period=period, customers=n, convention=conv).total()
    )


# --------------------------------------------------------------------------- PySpark (slow)


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        session = (
            SparkSession.builder.master("local[1]")
            .appName("gdsmodel-reliability")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate()
        )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("pyspark") is None, reason="pyspark not installed")
def test_pyspark_gives_the_object_path_results(spark: Any) -> None:
    rows = []
    for i in range(40):
        t = _t(1 + i % 28, i % 24, (7 * i) % 60)
        minutes = (1, 3, 4, 5, 6, 90, 1800)[i % 7]
        rows.append(
            (
                "AB"[i % 2],
                t,
                t + timedelta(minutes=minutes),
                1 + i % 9,
                list(OutageCause)[i % 4].value,
                f"L{i % 3}",
            )
        )
    cols = ["area", "start", "end", "customers_affected", "cause", "line"]
    sdf = spark.createDataFrame(pd.DataFrame(rows, columns=cols))
    outages = {
        a: [
            Outage(start=r[1], end=r[2], customers_affected=r[3], cause=r[4], line=r[5])
            for r in rows
            if r[0] == a
        ]
        for a in "AB"
    }
    th = med_threshold(
        {date(2023, 6, 1): 0.5, date(2023, 6, 2): 1.5},
        year_start=date(2024, 1, 1),
        history_start=date(2019, 1, 1),
    )
    for conv in CONVENTIONS:
        states = reliability_states_by(
            sdf, period=JUNE, customers=100, keys="area", convention=conv
        )
        splits = exclude_major_event_days_by(
            sdf, period=JUNE, customers=100, keys="area", thresholds=th, convention=conv
        )
        for a, outs in outages.items():
            assert states[(a,)] == ReliabilityState.from_outages(
                outs, period=JUNE, customers=100, convention=conv
            )
            assert splits[(a,)] == exclude_major_event_days(
                outages=outs, period=JUNE, customers=100, threshold=th, convention=conv
            )


def test_a_parquet_path_is_read(tmp_path: Any) -> None:
    path = tmp_path / "outages.parquet"
    _one(customers_affected=[6]).write_parquet(path)
    ix = reliability_by(str(path), period=JUNE, customers=10)[()]
    assert ix.saidi.value == Fraction(72)  # 6 × 120 min / 10
