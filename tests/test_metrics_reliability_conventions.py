"""Counting conventions, short and momentary indices, start-day accrual, totals and units:
worked examples computed by hand, and merge properties."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from fractions import Fraction

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdsmodel.errors import DataFileError, InputError
from gdsmodel.metrics.reliability import (
    CauseTotals,
    FrequentOutageRule,
    Outage,
    OutageCause,
    ReliabilityState,
    celid,
    cemi,
    convention,
    convention_from_station,
    daily_saidi,
    exclude_major_event_days,
    frequent_outage_customers,
    frequent_outages,
    index_catalogue,
    load_conventions,
    maifi,
    maifie,
    med_threshold,
    outage_kinds,
    saifi,
)

TZ = "Asia/Shanghai"


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, minute, tz=TZ)


@attrs.frozen
class Span:
    start: datetime
    end: datetime


JUNE = Span(at(2024, 6, 1), at(2024, 7, 1))
JULY = Span(at(2024, 7, 1), at(2024, 8, 1))


def out(start: datetime, *, minutes: float, n: int, cause: str = "fault", **kw: str) -> Outage:
    return Outage(
        start=start,
        end=start + timedelta(minutes=minutes),
        customers_affected=n,
        cause=cause,
        **kw,
    )


# --------------------------------------------------------------------------- conventions


def test_conventions_are_data_with_sources() -> None:
    names = [c.name for c in load_conventions()]
    assert names == ["DL/T 836", "IEEE 1366"]
    dlt, ieee = convention("DL/T 836"), convention("ieee1366")
    assert dlt.sustained_above == timedelta(minutes=3)
    assert ieee.sustained_above == timedelta(minutes=5)
    assert ieee.momentary_event_window == timedelta(minutes=5)
    assert dlt.momentary_event_window is None
    assert dlt.source.document.startswith("DL/T 836")
    assert ieee.source.document == "IEEE Std 1366"
    assert convention(None) is dlt
    with pytest.raises(InputError, match="is not a counting convention"):
        convention("EN 50160")


def test_convention_from_station_toml() -> None:
    assert convention_from_station({}).name == "DL/T 836"
    assert convention_from_station({"reliability": {}}).name == "DL/T 836"
    chosen = {"reliability": {"convention": "IEEE 1366"}}
    assert convention_from_station(chosen).name == "IEEE 1366"
    with pytest.raises(DataFileError, match=r"x/station\.toml: reliability\.convention: 'IEEE'"):
        convention_from_station({"reliability": {"convention": "IEEE"}}, file="x/station.toml")
    with pytest.raises(DataFileError, match="reliability: must be a table"):
        convention_from_station({"reliability": "IEEE 1366"})


@pytest.mark.parametrize(
    ("minutes", "name", "sustained"),
    [
        (3, "DL/T 836", False),  # exactly 3 min: short (短时停电)
        (3.5, "DL/T 836", True),
        (5, "DL/T 836", True),
        (5, "IEEE 1366", False),  # exactly 5 min: momentary
        (5.5, "IEEE 1366", True),
        (3, "IEEE 1366", False),
    ],
)
def test_exactly_the_threshold_is_not_sustained(minutes: float, name: str, sustained: bool) -> None:
    o = out(at(2024, 6, 3, 10), minutes=minutes, n=20)
    s = ReliabilityState.from_outages([o], period=JUNE, customers=100, convention=name)
    assert o.is_sustained(name) is sustained
    assert s.fault.events == (1 if sustained else 0)
    assert s.fault.short_events == (0 if sustained else 1)
    # the customer-minutes count only when sustained: 20 x minutes / 100 customers
    assert s.saidi().value == (Fraction(minutes).limit_denominator() * 20 / 100 if sustained else 0)
    assert s.maifi().value == (0 if sustained else Fraction(20, 100))
    # daily SAIDI follows the same rule
    d = daily_saidi(outages=[o], period=JUNE, customers=100, convention=name)
    assert d[date(2024, 6, 3)] == (
        Fraction(minutes).limit_denominator() * 20 / 100 if sustained else 0
    )


# --------------------------------------------------------------------------- MAIFI / MAIFIe


def momentary_mix() -> list[Outage]:
    t = at(2024, 6, 10, 10)
    return [
        out(t, minutes=1, n=200, line="L1"),  # event 1 of L1 ...
        out(t.add(minutes=2), minutes=1, n=200, line="L1"),  # ... the reclose within 5 min
        out(t.add(hours=2), minutes=1, n=50, line="L2"),  # precedes a lockout:
        out(t.add(hours=2, minutes=3), minutes=120, n=50, line="L2"),  # sustained
        out(t.add(hours=5), minutes=4, n=200, line="L1"),  # event 2 of L1
        out(t.add(hours=6), minutes=5, n=30, line="L3"),  # exactly 5 min: momentary (IEEE)
    ]


def test_maifi_and_maifie_on_a_mix_of_momentary_and_sustained_ieee() -> None:
    s = ReliabilityState.from_outages(
        momentary_mix(), period=JUNE, customers=1000, convention="IEEE 1366"
    )
    # momentary interruptions: 200 + 200 + 50 + 200 + 30 = 680 customers
    assert s.maifi().value == Fraction(680, 1000)
    # events: L1 first (200), L1 second (200), L3 (30); L2's preceded a lockout: 430
    assert s.maifie().value == Fraction(430, 1000)
    assert s.fault.momentary_events == 3
    # sustained: only L2's 2 h lockout, 50 customers
    assert s.saifi().value == Fraction(50, 1000)
    assert s.saidi().value == Fraction(50 * 120, 1000)
    kw = {"outages": momentary_mix(), "period": JUNE, "customers": 1000}
    assert maifi(**kw, convention="IEEE 1366") == s.maifi()
    assert maifie(**kw, convention="IEEE 1366") == s.maifie()


def test_short_interruption_frequency_dlt836() -> None:
    s = ReliabilityState.from_outages(momentary_mix(), period=JUNE, customers=1000)
    # short (<= 3 min): the three 1-min interruptions, 200 + 200 + 50 customers
    assert s.maifi().value == Fraction(450, 1000)
    # sustained: 4 min (200), 5 min (30) and the 2 h (50)
    assert s.saifi().value == Fraction(280, 1000)
    assert saifi(outages=momentary_mix(), period=JUNE, customers=1000) == s.saifi()
    assert not s.maifie().defined
    assert "DL/T 836" in s.maifie().reason


# --------------------------------------------------------------------------- start-day accrual


def test_the_30_hour_storm_is_accrued_to_its_start_day() -> None:
    # 18:00 on 10 June, 30 h, 600 of 1000 customers: 600 x 1800 min / 1000 = 1080 min
    storm = out(at(2024, 6, 10, 18), minutes=30 * 60, n=600)
    daily = daily_saidi(outages=[storm], period=JUNE, customers=1000)
    assert daily[date(2024, 6, 10)] == 1080
    assert daily[date(2024, 6, 11)] == 0
    assert daily[date(2024, 6, 12)] == 0
    assert sum(daily.values()) == 1080
    # period indices keep clipping: June 10 (6 h) and June 11 (24 h) as days
    d10 = ReliabilityState.from_outages([storm], period=Span(at(2024, 6, 10), at(2024, 6, 11)),
                                        customers=1000)  # fmt: skip
    d11 = ReliabilityState.from_outages([storm], period=Span(at(2024, 6, 11), at(2024, 6, 12)),
                                        customers=1000)  # fmt: skip
    assert d10.saidi().value == Fraction(600 * 360, 1000)
    assert d11.saidi().value == Fraction(600 * 1440, 1000)
    # the storm day is a major event day; its interruption is wholly major
    th = med_threshold({date(2023, 6, d): d for d in range(1, 11)}, year_start=date(2024, 1, 1),
                       history_start=date(2019, 1, 1))  # fmt: skip
    split = exclude_major_event_days(outages=[storm], period=JUNE, customers=1000, threshold=th)
    assert split.major_event_days == (date(2024, 6, 10),)
    assert split.major.fault.events == 1
    assert split.major.fault.customer_hours == 600 * 30
    assert split.normal.total().customer_hours == 0


def test_history_coverage_from_the_declared_range() -> None:
    t = at(2019, 1, 1)
    history = daily_saidi(
        outages=[out(at(2023, 3, d, 9), minutes=60 * d, n=10) for d in range(1, 6)],
        period=Span(t, at(2024, 1, 1)),
        customers=100,
    )
    th = med_threshold(history, year_start=date(2024, 1, 1))
    assert th.status.value == "available"  # five full years, first outage in 2023
    assert (th.history_start, th.history_end) == (date(2019, 1, 1), date(2024, 1, 1))


# --------------------------------------------------------------------------- planned / fault


def test_planned_fault_split_and_average_durations() -> None:
    t = at(2024, 6, 2, 8)
    outages = [
        out(t, minutes=240, n=100, cause="planned"),  # 4 h
        out(t.add(days=1), minutes=120, n=50, cause="supply_shortage"),  # 2 h
        out(t.add(days=2), minutes=30, n=10, cause="fault"),  # 0.5 h
        out(t.add(days=3), minutes=90, n=20, cause="external"),  # 1.5 h
    ]
    s = ReliabilityState.from_outages(outages, period=JUNE, customers=1000)
    split = s.planned_fault()
    assert outage_kinds()["planned"].causes == {OutageCause.PLANNED, OutageCause.SUPPLY_SHORTAGE}
    assert split.planned.average_duration.value == 3  # (4 + 2) / 2
    assert split.fault.average_duration.value == 1  # (0.5 + 1.5) / 2
    assert split.planned.totals.customer_hours == 400 + 100
    assert split.fault.aitc.value == Fraction(30, 1000)
    assert split.planned.caidi.value == Fraction(500 * 60, 150)
    assert {i.id for i in index_catalogue()} >= {"maifi", "maifie", "cemi", "celid_s"}
    for info in index_catalogue():
        assert info.source.document and info.confidence


# --------------------------------------------------------------------------- totals


def test_state_from_reported_totals_equals_the_state_from_outages() -> None:
    t = at(2024, 6, 5, 9)
    outages = [out(t, minutes=90, n=40), out(t.add(days=2), minutes=60, n=100, cause="planned"),
               out(t.add(days=3), minutes=2, n=7)]  # fmt: skip
    s = ReliabilityState.from_outages(outages, period=JUNE, customers=500)
    totals = {c: s.totals(c) for c in OutageCause}
    assert ReliabilityState.from_totals(period=JUNE, customers=500, totals=totals) == s
    # a published sheet: customers interrupted and customer-hours per class (hours = 60 + 100)
    sheet = ReliabilityState.from_totals(
        period=JUNE,
        customers=500,
        totals={
            "fault": {"events": 1, "customer_interruptions": 40, "customer_hours": 60,
                      "event_hours": "1.5", "short_events": 1, "short_customer_interruptions": 7},
            "planned": {"events": 1, "customer_interruptions": 100, "customer_hours": 100,
                        "event_hours": 1},
        },
    )  # fmt: skip
    assert sheet == s
    july = ReliabilityState.from_outages([out(at(2024, 7, 3), minutes=60, n=5)], period=JULY,
                                         customers=500)  # fmt: skip
    both = ReliabilityState.from_outages(
        [*outages, out(at(2024, 7, 3), minutes=60, n=5)], period=Span(JUNE.start, JULY.end),
        customers=500,
    )  # fmt: skip
    assert sheet + july == both


def test_totals_are_checked() -> None:
    with pytest.raises(InputError, match="more customer-hours"):
        ReliabilityState.from_totals(
            period=JUNE, customers=1, totals={"fault": {"events": 1, "customer_hours": 721}}
        )
    with pytest.raises(InputError, match="more customers interrupted"):
        ReliabilityState.from_totals(
            period=JUNE, customers=10, totals={"fault": {"events": 1, "customer_interruptions": 11}}
        )
    with pytest.raises(InputError, match="allowed: planned"):
        ReliabilityState.from_totals(period=JUNE, customers=10, totals={"storm": {}})
    with pytest.raises(InputError, match="unknown fields"):
        ReliabilityState.from_totals(period=JUNE, customers=10, totals={"fault": {"hrs": 1}})
    with pytest.raises(InputError, match=r"totals\[fault\]"):
        ReliabilityState.from_totals(period=JUNE, customers=10, totals={"fault": {"events": -1}})


@st.composite
def month_totals(draw: st.DrawFn) -> dict[OutageCause, CauseTotals]:
    out_: dict[OutageCause, CauseTotals] = {}
    for cause in draw(st.sets(st.sampled_from(list(OutageCause)))):
        events = draw(st.integers(0, 5))
        out_[cause] = CauseTotals(
            events=events,
            customer_interruptions=draw(st.integers(0, events * 10)),
            customer_hours=draw(st.fractions(0, 100, max_denominator=60)),
            event_hours=draw(st.fractions(0, 50, max_denominator=60)),
            short_events=draw(st.integers(0, 3)),
        )
    return out_


@settings(max_examples=80, deadline=None)
@given(month_totals(), month_totals(), st.integers(10, 50))
def test_merging_totals_states_is_summing_their_totals(
    a: dict[OutageCause, CauseTotals], b: dict[OutageCause, CauseTotals], customers: int
) -> None:
    sa = ReliabilityState.from_totals(period=JUNE, customers=customers, totals=a)
    sb = ReliabilityState.from_totals(period=JUNE, customers=customers, totals=b)
    same_month = sa + sb  # two feeders of June
    for c in OutageCause:
        assert same_month.totals(c) == a.get(c, CauseTotals()) + b.get(c, CauseTotals())
    assert same_month.customers == 2 * customers
    assert sa + sb == sb + sa
    # a totals-state merges with an outage-state exactly as their sums
    t = ReliabilityState.from_outages([out(at(2024, 7, 2), minutes=30, n=3)], period=JULY,
                                      customers=customers)  # fmt: skip
    merged = sa + t
    for c in OutageCause:
        assert merged.totals(c) == a.get(c, CauseTotals()) + t.totals(c)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 29 * 1440), st.integers(1, 600), st.integers(0, 20),
            st.sampled_from(list(OutageCause)), st.sampled_from(["L1", "L2", None]),
        ),
        max_size=12,
    ),
    st.sampled_from(["DL/T 836", "IEEE 1366"]),
)  # fmt: skip
def test_totals_of_outage_states_rebuild_them_and_days_add_up(
    rows: list[tuple[int, int, int, OutageCause, str | None]], name: str
) -> None:
    outages = [
        Outage(start=JUNE.start + timedelta(minutes=m), end=JUNE.start + timedelta(minutes=m + d),
               customers_affected=k, cause=c, line=line)
        for m, d, k, c, line in rows
    ]  # fmt: skip
    n = 20 * len(outages) + 1
    whole = ReliabilityState.from_outages(outages, period=JUNE, customers=n, convention=name)
    rebuilt = ReliabilityState.from_totals(
        period=JUNE, customers=n, totals={c: whole.totals(c) for c in OutageCause}, convention=name
    )
    assert rebuilt == whole
    # weekly states (counted where they start) add up to the month's
    cuts = [JUNE.start + timedelta(days=7 * i) for i in range(5)] + [JUNE.end]
    weeks = [
        ReliabilityState.from_outages(outages, period=Span(a, b), customers=n, convention=name)
        for a, b in itertools.pairwise(cuts)
    ]
    assert ReliabilityState.merge(weeks) == whole


# --------------------------------------------------------------------------- units


def test_cemi_celid_and_frequent_outages_by_area() -> None:
    t = at(2024, 6, 1)
    area_a = [out(t.add(days=d), minutes=60, n=40, area="A") for d in (1, 5, 9)]  # 3 x 1 h
    area_b = [out(t.add(days=2), minutes=300, n=10, area="B")]  # one 5 h
    short = [out(t.add(days=3), minutes=2, n=60, area="C")]  # short: not counted
    served = {"A": 40, "B": 60, "C": 100}
    everything = [*area_a, *area_b, *short]
    # CEMI2: A had 3 > 2 sustained: 40 of 200
    assert cemi(everything, period=JUNE, served=served, n=2).value == Fraction(40, 200)
    assert cemi(everything, period=JUNE, served=served, n=0).value == Fraction(100, 200)
    # CELID-s 4 h: B's 5 h interruption; CELID-t 3 h: A's 3 x 1 h and B
    assert celid(everything, period=JUNE, served=served, single=timedelta(hours=4)).value == (
        Fraction(60, 200)
    )
    assert celid(everything, period=JUNE, served=served, total=timedelta(hours=3)).value == (
        Fraction(100, 200)
    )
    found = frequent_outages(everything, period=JUNE)
    assert [(f.unit, f.interruptions) for f in found] == [("A", 3)]
    assert found[0].window_start == t.add(days=1)
    assert frequent_outage_customers(everything, period=JUNE, served=served).value == (
        Fraction(40, 200)
    )
    # a stricter rule (more than 1 within 3 days) finds nothing: A's are 4 days apart
    rule = FrequentOutageRule(more_than=1, window=timedelta(days=3))
    assert frequent_outages(everything, period=JUNE, rule=rule) == ()
    with pytest.raises(InputError, match=r"outages\[0\]\.area"):
        cemi([out(t, minutes=60, n=1)], period=JUNE, served=served, n=1)
    with pytest.raises(InputError, match="exactly one"):
        celid(everything, period=JUNE, served=served)


def test_the_worked_example_of_each_convention_in_the_docs() -> None:
    t = at(2024, 6, 10)

    def o(h: int, m: int, minutes: int, n: int) -> Outage:
        return out(t.add(hours=h, minutes=m), minutes=minutes, n=n, line="L1")

    outages = [o(8, 0, 2, 100), o(8, 3, 3, 200), o(11, 0, 4, 50), o(16, 0, 5, 80),
               o(18, 0, 1, 60), o(18, 2, 90, 300)]  # fmt: skip
    dlt = ReliabilityState.from_outages(outages, period=JUNE, customers=1000)
    assert dlt.saifi().value == Fraction(43, 100)
    assert dlt.saidi().value == Fraction(276, 10)
    assert dlt.caidi().value == Fraction(27_600, 430)
    assert dlt.rs1().value == 1 - Fraction(460, 720_000)
    assert dlt.maifi().value == Fraction(36, 100)
    assert not dlt.maifie().defined
    ieee = ReliabilityState.from_outages(
        outages, period=JUNE, customers=1000, convention="ieee1366"
    )
    assert ieee.saifi().value == Fraction(3, 10)
    assert ieee.saidi().value == 27
    assert ieee.caidi().value == 90
    assert ieee.asai().value == 1 - Fraction(450, 720_000)
    assert ieee.maifi().value == Fraction(49, 100)
    assert ieee.maifie().value == Fraction(33, 100)
    with pytest.raises(InputError, match="different conventions"):
        dlt + ieee


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(-3 * 1440, 33 * 1440), st.integers(1, 5000), st.integers(0, 9),
                  st.sampled_from(list(OutageCause))),
        max_size=15,
    ),
    st.sampled_from(["DL/T 836", "IEEE 1366"]),
    st.integers(1, 40),
)  # fmt: skip
def test_the_one_pass_tally_equals_a_plain_reference(
    rows: list[tuple[int, int, int, OutageCause]], name: str, days: int
) -> None:
    """Exactness of the integer tally: the same sums as clipping each outage with Fractions."""
    outages = [
        Outage(start=JUNE.start + timedelta(minutes=m), end=JUNE.start + timedelta(minutes=m + d),
               customers_affected=k, cause=c)
        for m, d, k, c in rows
    ]  # fmt: skip
    period = Span(JUNE.start, JUNE.start + timedelta(days=days))
    n = 10 * len(outages) + 1
    s = ReliabilityState.from_outages(outages, period=period, customers=n, convention=name)
    for cause in OutageCause:
        mine = [o for o in outages if o.cause is cause]
        sustained = [o for o in mine if o.is_sustained(name)]
        starts = [o for o in sustained if period.start <= o.start < period.end]
        clipped = [o.clip(period) for o in sustained]
        t = s.totals(cause)
        assert t.customer_hours == sum((c.customer_hours for c in clipped if c), Fraction(0))
        assert t.events == len(starts)
        assert t.customer_interruptions == sum(o.customers_affected for o in starts)
        assert t.event_hours == sum((o.hours for o in starts), Fraction(0))
        shorts = [
            o for o in mine if not o.is_sustained(name) and period.start <= o.start < period.end
        ]
        assert t.short_events == len(shorts)
    # daily SAIDI: whole customer-minutes of each day's starting sustained outages
    daily = daily_saidi(outages=outages, period=period, customers=n, convention=name)
    for day, value in daily.items():
        began = [o for o in outages if o.start.date() == day and o.is_sustained(name)]
        assert value * n == sum((o.customer_hours * 60 for o in began), Fraction(0))
