"""Supply reliability: worked examples, properties and bad inputs."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta, timezone
from fractions import Fraction
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdsmodel.errors import DataFileError, InputError, NotFoundError
from gdsmodel.metrics.ratio import (
    Direction,
    KpiResult,
    Ratio,
    ScalarResult,
    Target,
    UndefinedRatioError,
    VerdictStatus,
)
from gdsmodel.metrics.registry import metric
from gdsmodel.metrics.reliability import (
    IEEE_1366_MED,
    RS2_CAUSES,
    RS3_CAUSES,
    CauseTotals,
    Exposure,
    IndexValue,
    MedMethod,
    MedStatus,
    MedUnavailableError,
    Outage,
    OutageCause,
    ReliabilityState,
    aihc,
    aitc,
    asai,
    caidi,
    daily_saidi,
    exclude_major_event_days,
    maifi,
    maifie,
    med_threshold,
    reliability_indices,
    rs1,
    rs2,
    rs3,
    saidi,
    saifi,
)
from gdsmodel.serialize import structure, unstructure

TZ = "Asia/Shanghai"
H0 = date(2010, 1, 1)  # records complete from here (a full window for 2024)


def at(year: int, month: int, day: int, hour: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, tz=TZ)


@attrs.frozen
class Span:
    """A tiny stand-in for a period: anything with .start/.end works."""

    start: datetime
    end: datetime


def span(a: datetime, b: datetime) -> Span:
    return Span(a, b)


JUNE = span(at(2024, 6, 1), at(2024, 7, 1))  # 30 days = 720 h
JULY = span(at(2024, 7, 1), at(2024, 8, 1))


def outage(
    start: datetime,
    *,
    minutes: float = 0,
    hours: float = 0,
    n: int,
    cause: str = "fault",
    **kw: str,
) -> Outage:
    end = start + timedelta(hours=hours, minutes=minutes)
    return Outage(start=start, end=end, customers_affected=n, cause=cause, **kw)


# --------------------------------------------------------------------------- worked examples


def june_outages() -> list[Outage]:
    t = at(2024, 6, 10, 9)
    return [
        outage(t, hours=4, n=200, cause="planned"),  # 800 customer-hours
        outage(t.add(days=1), hours=1.5, n=100, cause="fault"),  # 150
        outage(t.add(days=2), hours=2, n=50, cause="external"),  # 100
        outage(t.add(days=3), hours=0.5, n=400, cause="supply_shortage"),  # 200
        outage(t.add(days=4), minutes=2, n=300, cause="fault"),  # short: left out
    ]


def test_worked_example_month() -> None:
    # 1000 customers over June (720 h): 720 000 customer-hours in the period.
    # Customer-hours interrupted: all 1250; without external 1150; without shortage 1050.
    s = ReliabilityState.from_outages(june_outages(), period=JUNE, customers=1000)
    assert s.customer_hours_in_period == 720_000
    assert s.hours == 720
    assert s.customers == 1000
    # RS-1 = 1 - 1250/720000 = 718750/720000 = 99.8264 %
    assert s.rs1().numerator == 718_750
    assert s.rs1().denominator == 720_000
    assert s.rs1().format(2) == "99.83%"
    # RS-2 = 1 - 1150/720000 ; RS-3 = 1 - 1050/720000
    assert s.rs2().value == 1 - Fraction(1150, 720_000)
    assert s.rs3().value == 1 - Fraction(1050, 720_000)
    # AIHC-1 = 1250 / 1000 = 1.25 h ; RS-1 = 1 - AIHC/720
    assert s.aihc().value == Fraction(5, 4)
    assert s.rs1().value == 1 - Fraction(5, 4) / 720
    assert s.aihc(RS2_CAUSES).value == Fraction(115, 100)
    assert s.aihc(RS3_CAUSES).value == Fraction(105, 100)
    # AITC = (200 + 100 + 50 + 400) / 1000 = 0.75 ; SAIFI the same
    assert s.aitc().value == Fraction(3, 4)
    assert s.saifi().value == Fraction(3, 4)
    # SAIDI = 1250 × 60 / 1000 = 75 min ; CAIDI = 75 / 0.75 = 100 min
    assert s.saidi().value == 75
    assert s.caidi().value == 100
    assert s.asai() == s.rs1()
    # the 2-minute outage is tallied apart
    assert s.fault.events == 1
    assert s.fault.short_events == 1
    assert s.fault.short_customer_interruptions == 300
    assert s.totals("planned") == CauseTotals(
        events=1, customer_interruptions=200, customer_hours=800, event_hours=4
    )
    assert str(s.saidi()) == "75.00 min/customer"


def test_scalar_functions_agree_with_the_state() -> None:
    kw: dict[str, Any] = {"outages": june_outages(), "period": JUNE, "customers": 1000}
    s = ReliabilityState.from_outages(june_outages(), period=JUNE, customers=1000)
    assert rs1(**kw) == s.rs1()
    assert rs2(**kw) == s.rs2()
    assert rs3(**kw) == s.rs3()
    assert asai(**kw) == s.asai()
    assert aihc(**kw) == s.aihc()
    assert aitc(**kw) == s.aitc()
    assert saifi(**kw) == s.saifi()
    assert saidi(**kw) == s.saidi()
    assert caidi(**kw) == s.caidi()
    ix = reliability_indices(**kw)
    assert ix == s.indices()
    assert dict(ix.as_rows(2))["CAIDI"] == "100.00 min/interruption"
    # a cause filter applies to the per-customer indices: faults only: 150 h / 1000
    assert saidi(**kw, causes=["fault"]).value == 9
    assert reliability_indices(**kw, causes="fault").aihc.value == Fraction(3, 20)


RATIO_INDICES = {"rs1": rs1, "rs2": rs2, "rs3": rs3, "asai": asai}
PER_CUSTOMER = {
    "aihc": aihc,
    "aitc": aitc,
    "saifi": saifi,
    "saidi": saidi,
    "caidi": caidi,
    "maifi": maifi,
    "maifie": maifie,
}


@pytest.mark.parametrize("name", sorted(RATIO_INDICES))
def test_the_rs_indices_have_the_one_result_shape(name: str) -> None:
    kw: dict[str, Any] = {"outages": june_outages(), "period": JUNE, "customers": 1000}
    state = ReliabilityState.from_outages(june_outages(), period=JUNE, customers=1000)
    expected: Ratio = getattr(state, name)()
    r = RATIO_INDICES[name](**kw)
    assert isinstance(r, KpiResult) and isinstance(r, ScalarResult)
    assert r == expected and r.metric == name and r.unit == "%"
    assert float(r) == float(expected.require()) and r.percent == expected.require() * 100
    assert r.ratio == expected and type(r.ratio) is Ratio
    assert r.format(4) == expected.format(4) and r.verdict is None
    target = Target.percent("99.9", Direction.HIGHER)
    judged = RATIO_INDICES[name](**kw, target=target)
    assert judged == r and judged.verdict == target.verdict(expected)


@pytest.mark.parametrize("name", sorted(PER_CUSTOMER))
def test_the_per_customer_indices_have_the_one_result_shape(name: str) -> None:
    kw: dict[str, Any] = {"outages": june_outages(), "period": JUNE, "customers": 1000}
    state = ReliabilityState.from_outages(june_outages(), period=JUNE, customers=1000)
    expected: IndexValue = getattr(state, name)()
    r = PER_CUSTOMER[name](**kw)
    assert isinstance(r, IndexValue) and isinstance(r, ScalarResult)
    assert r == expected and r.metric == name and r.unit == metric(name).unit != "%"
    assert r.percent is None  # minutes or interruptions per customer are not a percentage
    assert r.verdict is None and not r.anomaly
    if expected.defined:
        assert float(r) == float(expected.require()) and r.format(3) == expected.format(3)
        assert r.format(2) == metric(name).format(expected.value)  # the unit drives the display
    target = Target(threshold=1, direction=Direction.LOWER, unit=r.unit)
    judged = PER_CUSTOMER[name](**kw, target=target)
    assert judged == r and judged.verdict == target.verdict(expected.value)


def test_a_target_judges_an_index_in_its_own_unit() -> None:
    kw: dict[str, Any] = {"outages": june_outages(), "period": JUNE, "customers": 1000}
    # SAIDI 75 min/customer against 60 min/customer: missed by 15 minutes, not "pp"
    s = saidi(**kw, target=Target(threshold=60, direction=Direction.LOWER, unit="min/customer"))
    assert s.value == 75 and s.verdict is not None and s.verdict.gap == 15
    assert str(s.verdict) == "missed by 15.00 min/customer"
    assert str(saidi(**kw)) == "75.00 min/customer" and saidi(**kw).percent is None
    # a target in percent cannot judge minutes, nor one in minutes a rate
    with pytest.raises(InputError, match="target is in % and saidi in min/customer"):
        saidi(**kw, target=Target.percent(5, Direction.LOWER))
    with pytest.raises(InputError, match="target is in min/customer and rs1 in %"):
        rs1(**kw, target=Target(threshold=60, direction=Direction.LOWER, unit="min/customer"))
    # RS-3 by the registry's grade targets; an unknown grade names the known ones
    assert str(rs3(**kw, target="A").target) == str(metric("rs3").target_for("A"))
    with pytest.raises(NotFoundError, match="known: A, B, C"):
        rs3(**kw, target="D")
    with pytest.raises(NotFoundError, match="target of saidi"):
        saidi(**kw, target="A")
    # undefined: no verdict can be reached, and float() says why
    empty: dict[str, Any] = {"outages": [], "period": JUNE, "customers": 0}
    none = caidi(
        **empty, target=Target(threshold=60, direction=Direction.LOWER, unit="min/interruption")
    )
    assert none.verdict is not None and none.verdict.status is VerdictStatus.UNDEFINED
    with pytest.raises(UndefinedRatioError, match="no customers served"):
        float(none)


def test_sustained_means_strictly_longer_than_the_convention_threshold() -> None:
    t = at(2024, 6, 5)
    three = outage(t, minutes=3, n=10)
    over_three = Outage(start=t, end=t.add(minutes=3, seconds=1), customers_affected=10,
                        cause="fault")  # fmt: skip
    five = outage(t.add(days=1), minutes=5, n=10)
    s = ReliabilityState.from_outages([three, over_three, five], period=JUNE, customers=100)
    assert s.convention is not None
    assert s.convention.name == "DL/T 836"
    assert (s.fault.events, s.fault.short_events) == (2, 1)  # exactly 3 min is short
    ieee = ReliabilityState.from_outages(
        [three, over_three, five], period=JUNE, customers=100, convention="IEEE 1366"
    )
    assert (ieee.fault.events, ieee.fault.short_events) == (0, 3)  # exactly 5 min is momentary
    assert ieee.rs1().value == 1
    assert s.min_duration == timedelta(minutes=3)


def test_outage_over_a_period_boundary_is_clipped_and_counted_where_it_starts() -> None:
    # 30 June 22:00 to 1 July 02:00, 100 customers: 200 customer-hours in each month.
    o = outage(at(2024, 6, 30, 22), hours=4, n=100)
    june = ReliabilityState.from_outages([o], period=JUNE, customers=1000)
    july = ReliabilityState.from_outages([o], period=JULY, customers=1000)
    assert june.fault.customer_hours == 200
    assert july.fault.customer_hours == 200
    assert (june.fault.events, july.fault.events) == (1, 0)
    both = ReliabilityState.from_outages([o], period=span(JUNE.start, JULY.end), customers=1000)
    assert june + july == both
    assert both.saidi().value == Fraction(400 * 60, 1000)
    clipped = o.clip(JULY)
    assert clipped is not None
    assert clipped.start == JULY.start
    assert clipped.customer_hours == 200
    assert o.clip(span(at(2024, 8, 1), at(2024, 9, 1))) is None


def test_outage_starting_before_the_period_and_ending_after_it() -> None:
    o = outage(at(2024, 5, 31), hours=24 * 40, n=5)
    s = ReliabilityState.from_outages([o], period=JUNE, customers=5)
    assert s.fault.customer_hours == 5 * 720
    assert s.rs1().value == 0
    assert s.fault.events == 0
    assert s.caidi().reason == "no customer interruptions (SAIFI is 0)"


def test_durations_are_absolute_across_dst_and_time_zones() -> None:
    ny = pendulum.datetime(2024, 3, 10, 1, tz="America/New_York")
    o = Outage(
        start=ny,
        end=pendulum.datetime(2024, 3, 10, 4, tz="America/New_York"),
        customers_affected=1,
        cause="fault",
    )
    assert o.hours == 2  # 01:00 EST to 04:00 EDT
    # stdlib datetimes with different zones for start and end
    a = datetime(2024, 6, 1, 0, 0, tzinfo=UTC)
    b = datetime(2024, 6, 1, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    assert Outage(start=a, end=b, customers_affected=2, cause="fault").customer_hours == 3


def test_periods_month_and_pendulum_interval_are_accepted() -> None:
    periods = pytest.importorskip("gdsmodel.periods")
    month = periods.Month(2024, 6)
    a = ReliabilityState.from_outages(june_outages(), period=month, customers=1000)
    b = ReliabilityState.from_outages(
        june_outages(), period=pendulum.interval(at(2024, 6, 1), at(2024, 7, 1)), customers=1000
    )
    c = ReliabilityState.from_outages(june_outages(), period=JUNE, customers=1000)
    assert a == b == c


def test_merging_periods_with_different_customer_counts_uses_the_time_weighted_mean() -> None:
    # June (720 h) with 1000 customers, July (744 h) with 1100: one 1-h outage of 488 each.
    jo = outage(at(2024, 6, 3), hours=1, n=488)
    lo = outage(at(2024, 7, 3), hours=1, n=488)
    s = ReliabilityState.from_outages([jo], period=JUNE, customers=1000)
    s = s + ReliabilityState.from_outages([lo], period=JULY, customers=1100)
    assert s.customer_hours_in_period == 720 * 1000 + 744 * 1100
    assert s.hours == 720 + 744
    mean = Fraction(720 * 1000 + 744 * 1100, 1464)
    assert s.customers == mean
    assert s.saifi().value == Fraction(976) / mean
    assert s.rs1().value == 1 - Fraction(976, 720 * 1000 + 744 * 1100)


def test_exposure_is_a_step_function() -> None:
    d = at(2024, 6, 1)
    a = Exposure(start=d, end=d.add(days=2), customers=10)
    b = Exposure(start=d.add(days=1), end=d.add(days=3), customers=5)
    s = ReliabilityState(exposure=(a, b))
    assert [(e.customers, e.hours) for e in s.exposure] == [
        (10, Fraction(24)),
        (15, Fraction(24)),
        (5, Fraction(24)),
    ]
    assert s.customer_hours_in_period == 10 * 48 + 5 * 48
    # adjacent equal pieces join
    c = Exposure(start=d.add(days=2), end=d.add(days=3), customers=10)
    assert ReliabilityState(exposure=(c, a)).exposure == (
        Exposure(start=d, end=d.add(days=3), customers=10),
    )
    # a gap stays a gap
    g = Exposure(start=d.add(days=5), end=d.add(days=6), customers=10)
    assert len(ReliabilityState(exposure=(a, g)).exposure) == 2
    assert ReliabilityState(exposure=(a, g)).hours == 72


def test_undefined_when_no_customers() -> None:
    s = ReliabilityState.from_outages([], period=JUNE, customers=0)
    ix = s.indices()
    for r in (ix.rs1, ix.rs2, ix.rs3, ix.asai):
        assert not r.defined
    for v in (ix.aihc, ix.aitc, ix.saifi, ix.saidi, ix.caidi):
        assert not v.defined
        assert v.value is None
        assert "undefined" in str(v)
    with pytest.raises(UndefinedRatioError):
        float(ix.saidi)
    with pytest.raises(UndefinedRatioError):
        ix.aihc.require()
    empty = ReliabilityState()
    assert empty.customers is None
    assert empty.hours == 0
    assert not empty.saifi().defined


def test_caidi_undefined_when_saifi_is_zero_but_others_defined() -> None:
    s = ReliabilityState.from_outages([], period=JUNE, customers=10)
    assert s.saifi().value == 0
    assert s.saidi().value == 0
    assert s.rs1().value == 1
    assert not s.caidi().defined


def test_index_value_formatting() -> None:
    v = IndexValue(Fraction(1, 8), "h/customer")
    assert v.format(2) == "0.13 h/customer"
    assert float(v) == 0.125
    assert v.require() == Fraction(1, 8)


def test_cause_labels_and_parsing() -> None:
    assert OutageCause.SUPPLY_SHORTAGE.label.zh == "系统电源不足限电"
    assert OutageCause.EXTERNAL.label.zh == "外部影响"
    assert (
        Outage(
            start=at(2024, 6, 1), end=at(2024, 6, 2), customers_affected=0, cause=OutageCause.FAULT
        ).cause
        is OutageCause.FAULT
    )


def test_daily_saidi_worked_example() -> None:
    # 23:00 on 1 June to 01:00 on 2 June, 30 of 60 customers: all on 1 June.
    t = at(2024, 6, 1)
    o = outage(t.add(hours=23), hours=2, n=30)
    out = daily_saidi(outages=[o], period=span(t, t.add(days=3)), customers=60)
    assert out == {  # accrued to the day it began: 120 min x 30 / 60
        date(2024, 6, 1): 60,
        date(2024, 6, 2): 0,
        date(2024, 6, 3): 0,
    }
    assert (out.first_day, out.end_day) == (date(2024, 6, 1), date(2024, 6, 4))
    # a period starting mid-day: the first day is partial
    out = daily_saidi(outages=[o], period=span(t.add(hours=12), t.add(days=2)), customers=60)
    assert list(out) == [date(2024, 6, 1), date(2024, 6, 2)]


# --------------------------------------------------------------------------- MED


def test_med_threshold_worked_example() -> None:
    # non-zero days 1, 2, 4, 8 min: ln = 0, l, 2l, 3l (l = ln 2); α = 1.5 l;
    # squared deviations (2.25 + 0.25 + 0.25 + 2.25) l² = 5 l²; β = l √(5/3);
    # T_MED = exp(α + 2.5 β) = 2 ** (1.5 + 2.5 √(5/3)) ≈ 26.492 min
    hist = {
        date(2019, 1, 1): 0,  # complete records from 2019-01-01: a full 5-year window
        date(2023, 3, 1): 1,
        date(2023, 3, 2): 2,
        date(2023, 3, 3): 4,
        date(2023, 3, 4): 8,
        date(2023, 3, 5): 0,
    }
    th = med_threshold(hist, year_start=date(2024, 1, 1), history_start=H0)
    assert th.status is MedStatus.AVAILABLE
    assert th.available
    assert th.nonzero_days == 4
    assert th.alpha is not None
    assert th.beta is not None
    assert th.t_med is not None
    assert math.isclose(th.alpha, 1.5 * math.log(2), rel_tol=1e-12)
    assert math.isclose(th.beta, math.log(2) * math.sqrt(5 / 3), rel_tol=1e-12)
    assert math.isclose(th.t_med, 2 ** (1.5 + 2.5 * math.sqrt(5 / 3)), rel_tol=1e-12)
    assert th.window_start == date(2019, 1, 1)
    assert (th.applies_from, th.applies_until) == (date(2024, 1, 1), date(2025, 1, 1))
    assert th.method == IEEE_1366_MED
    # classify the next year: strictly above T_MED
    assert th.is_major_event_day(27)
    assert not th.is_major_event_day(26)
    days = th.major_event_days(
        {date(2024, 2, 1): 30, date(2024, 2, 2): 1, date(2025, 2, 1): 99, date(2023, 1, 1): 99}
    )
    assert days == (date(2024, 2, 1),)


def test_med_threshold_provisional_and_insufficient() -> None:
    hist = {date(2023, 3, 1): 1, date(2023, 3, 2): 2, date(2023, 3, 3): 4}
    # coverage is stated, never guessed from the first day with an outage
    with pytest.raises(InputError, match="history coverage must be stated"):
        med_threshold(hist, year_start=date(2024, 1, 1))
    th = med_threshold(hist, year_start=date(2024, 1, 1), history_start=date(2023, 3, 1))
    assert th.status is MedStatus.PROVISIONAL
    assert th.available
    assert th.history_start == date(2023, 3, 1)
    assert "of 5 years" in th.reason
    # records that stop before the year are provisional too
    ends = med_threshold(
        hist, year_start=date(2024, 1, 1), history_start=H0, history_end=date(2023, 6, 1)
    )
    assert ends.status is MedStatus.PROVISIONAL
    assert ends.t_med == th.t_med
    # the caller can say the records are complete from earlier on
    full = med_threshold(hist, year_start=date(2024, 1, 1), history_start=date(2018, 6, 1))
    assert full.status is MedStatus.AVAILABLE
    assert full.t_med == th.t_med
    # too few non-zero days
    few = med_threshold(
        hist, year_start=date(2024, 1, 1), history_start=H0, method=MedMethod(min_nonzero_days=5)
    )
    assert few.status is MedStatus.INSUFFICIENT_DATA
    assert few.t_med is None
    assert not few.available
    assert "3 non-zero days" in few.reason
    with pytest.raises(MedUnavailableError):
        few.major_event_days({date(2024, 1, 2): 5})
    # only zero days, or no history before the year
    assert (
        med_threshold({date(2023, 1, 1): 0}, year_start=date(2024, 1, 1), history_start=H0).status
        is MedStatus.INSUFFICIENT_DATA
    )
    late = med_threshold(
        {date(2024, 5, 1): 5}, year_start=date(2024, 1, 1), history_start=date(2024, 5, 1)
    )
    assert late.status is MedStatus.INSUFFICIENT_DATA
    assert "no history" in late.reason


def test_med_threshold_uses_only_the_last_history_years() -> None:
    hist = {date(2010, 1, 1): 10_000, date(2023, 3, 1): 1, date(2023, 3, 2): 2}
    th = med_threshold(hist, year_start=date(2024, 1, 1), history_start=H0)
    assert th.nonzero_days == 2
    assert th.status is MedStatus.AVAILABLE  # records reach back beyond the window
    shorter = med_threshold(
        hist, year_start=date(2024, 1, 1), history_start=H0, method=MedMethod(history_years=1)
    )
    assert shorter.window_start == date(2023, 1, 1)
    # a 29 February year start
    leap = med_threshold(hist, year_start=date(2024, 2, 29), history_start=H0)
    assert leap.window_start == date(2019, 2, 28)
    assert leap.applies_until == date(2025, 2, 28)


def test_exclude_major_event_days_worked_example() -> None:
    th = med_threshold(
        {date(2023, 3, 1): 1, date(2023, 3, 2): 2, date(2023, 3, 3): 4, date(2023, 3, 4): 8},
        year_start=date(2024, 1, 1),
        history_start=H0,
    )
    t = at(2024, 6, 1)
    storm = outage(t.add(hours=1), hours=12, n=50)  # 720 min × 50 / 100 = 360 min on 1 June
    small = outage(t.add(days=1), hours=1, n=10, cause="planned")  # 6 min on 2 June
    period = span(t, t.add(days=30))
    split = exclude_major_event_days(
        outages=[storm, small], period=period, customers=100, threshold=th
    )
    assert split.major_event_days == (date(2024, 6, 1),)
    assert split.daily_saidi[date(2024, 6, 1)] == 360
    assert split.normal.saidi().value == 6
    assert split.normal.saifi().value == Fraction(10, 100)
    assert split.normal.customers == 100
    assert split.major.fault.customer_hours == 600
    assert not split.major.saidi().defined
    whole = ReliabilityState.from_outages([storm, small], period=period, customers=100)
    assert split.whole == whole
    assert whole.saidi().value == 366


def test_exclude_major_event_days_bad_inputs() -> None:
    th = med_threshold(
        {date(2023, 3, 1): 1, date(2023, 3, 2): 2}, year_start=date(2024, 1, 1), history_start=H0
    )
    with pytest.raises(InputError, match="outside the year"):
        exclude_major_event_days(
            outages=[], period=span(at(2024, 12, 31), at(2025, 1, 2)), customers=1, threshold=th
        )
    none = med_threshold({}, year_start=date(2024, 1, 1), history_start=H0)
    with pytest.raises(MedUnavailableError, match="insufficient_data"):
        exclude_major_event_days(outages=[], period=JUNE, customers=1, threshold=none)
    with pytest.raises(InputError, match="MedThreshold"):
        exclude_major_event_days(
            outages=[],
            period=JUNE,
            customers=1,
            threshold=3.0,  # type: ignore[arg-type]
        )


# --------------------------------------------------------------------------- serialisation


def test_outage_round_trip_and_bad_records() -> None:
    o = outage(at(2024, 6, 1, 8), hours=2, n=7, cause="external", id="T-1", line="10kV 3#")
    data = unstructure(o)
    assert data == {
        "start": "2024-06-01T08:00:00+08:00",
        "end": "2024-06-01T10:00:00+08:00",
        "customers_affected": 7,
        "cause": "external",
        "id": "T-1",
        "line": "10kV 3#",
    }
    assert structure(data, Outage) == o
    # a TOML offset date-time arrives as a datetime
    data2 = {**data, "start": datetime(2024, 6, 1, 8, tzinfo=timezone(timedelta(hours=8)))}
    assert structure(data2, Outage) == o
    with pytest.raises(DataFileError, match="UTC offset"):
        structure({**data, "start": "2024-06-01T08:00:00"}, Outage, file="outages.toml")
    with pytest.raises(DataFileError, match="unknown keys"):
        structure({**data, "feeder": "x"}, Outage)
    with pytest.raises(DataFileError, match="missing"):
        structure({"start": data["start"]}, Outage)
    with pytest.raises(DataFileError, match="cause"):
        structure({**data, "cause": "weather"}, Outage)
    with pytest.raises(DataFileError, match="ISO 8601"):
        structure({**data, "end": "tomorrow"}, Outage)
    with pytest.raises(DataFileError, match="table"):
        structure([1, 2], Outage)


# --------------------------------------------------------------------------- bad inputs


def test_outage_bad_inputs() -> None:
    t = at(2024, 6, 1)
    with pytest.raises(InputError, match="later than start"):
        Outage(start=t, end=t.subtract(minutes=1), customers_affected=1, cause="fault")
    with pytest.raises(InputError, match="later than start"):
        Outage(start=t, end=t, customers_affected=1, cause="fault", id="X")
    with pytest.raises(InputError, match="no time zone"):
        Outage(
            start=pendulum.naive(2024, 6, 1),
            end=pendulum.naive(2024, 6, 2),
            customers_affected=1,
            cause="fault",
        )
    with pytest.raises(InputError, match="no time zone"):
        Outage(start=t, end=datetime(2024, 6, 2), customers_affected=1, cause="fault")
    with pytest.raises(InputError, match="is not a datetime"):
        Outage(
            start="2024-06-01",  # type: ignore[arg-type]
            end=t.add(days=1),
            customers_affected=1,
            cause="fault",
        )
    with pytest.raises(InputError, match="customers_affected=-1"):
        Outage(start=t, end=t.add(hours=1), customers_affected=-1, cause="fault")
    with pytest.raises(InputError, match="customers_affected=True"):
        Outage(start=t, end=t.add(hours=1), customers_affected=True, cause="fault")
    with pytest.raises(InputError, match=r"customers_affected=1\.5"):
        Outage(
            start=t,
            end=t.add(hours=1),
            customers_affected=1.5,  # type: ignore[arg-type]
            cause="fault",
        )
    with pytest.raises(InputError, match="allowed: planned, fault, external, supply_shortage"):
        Outage(start=t, end=t.add(hours=1), customers_affected=1, cause="storm")
    with pytest.raises(InputError, match="text"):
        Outage(
            start=t,
            end=t.add(hours=1),
            customers_affected=1,
            cause="fault",
            line=3,
        )
    o = outage(t, hours=1, n=1)
    with pytest.raises(InputError, match="strictly inside"):
        o.split_at(t.add(hours=1))
    with pytest.raises(InputError, match="no time zone"):
        o.split_at(datetime(2024, 6, 1, 0, 30))


def test_period_and_customer_bad_inputs() -> None:
    o = outage(at(2024, 6, 2), hours=1, n=5, id="F-7")
    with pytest.raises(InputError, match="not a period"):
        ReliabilityState.from_outages([o], period="2024-06", customers=10)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="ends before it starts"):
        ReliabilityState.from_outages([o], period=span(JUNE.end, JUNE.start), customers=10)
    with pytest.raises(InputError, match=r"period\.start.*no time zone"):
        ReliabilityState.from_outages(
            [o], period=span(datetime(2024, 6, 1), datetime(2024, 7, 1)), customers=10
        )
    with pytest.raises(InputError, match="customers=-1"):
        ReliabilityState.from_outages([o], period=JUNE, customers=-1)
    with pytest.raises(InputError, match=r"customers=10\.0"):
        ReliabilityState.from_outages([o], period=JUNE, customers=10.0)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"outages\[0\]\.customers_affected=5.*\(F-7\)"):
        ReliabilityState.from_outages([o], period=JUNE, customers=4)
    with pytest.raises(InputError, match=r"outages\[1\]"):
        ReliabilityState.from_outages([o, "x"], period=JUNE, customers=10)  # type: ignore[list-item]
    with pytest.raises(InputError, match="collection of outages"):
        ReliabilityState.from_outages(o, period=JUNE, customers=10)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="convention"):
        ReliabilityState.from_outages([o], period=JUNE, customers=10, convention="EN 50160")
    # overlapping records that count more customer-hours than the period has
    d = at(2024, 6, 1)
    whole_day = [outage(d, hours=24, n=3), outage(d, hours=24, n=3)]
    with pytest.raises(InputError, match="overlapping records"):
        ReliabilityState.from_outages(whole_day, period=span(d, d.add(days=1)), customers=5)
    with pytest.raises(InputError, match="customers"):
        daily_saidi(outages=[], period=JUNE, customers=0)


def test_state_bad_inputs() -> None:
    a = ReliabilityState.from_outages([], period=JUNE, customers=1)
    b = ReliabilityState.from_outages([], period=JULY, customers=1, convention="IEEE 1366")
    with pytest.raises(InputError, match="different conventions"):
        a + b
    with pytest.raises(TypeError):
        a + 1
    with pytest.raises(InputError, match="customer_hours"):
        CauseTotals(customer_hours=-1)
    with pytest.raises(InputError, match="events"):
        CauseTotals(events=-1)
    with pytest.raises(InputError, match="Exposure"):
        ReliabilityState(exposure=("x",))  # type: ignore[arg-type]
    with pytest.raises(InputError, match="ends before it starts"):
        Exposure(start=JUNE.end, end=JUNE.start, customers=1)
    with pytest.raises(InputError, match="allowed: planned"):
        a.totals("storm")
    with pytest.raises(InputError, match="fault"):
        ReliabilityState(fault=3)  # type: ignore[arg-type]


def test_med_bad_inputs() -> None:
    with pytest.raises(InputError, match="min_nonzero_days"):
        MedMethod(min_nonzero_days=1)
    with pytest.raises(InputError, match="history_years"):
        MedMethod(history_years=0)
    with pytest.raises(InputError, match="beta_multiplier"):
        MedMethod(beta_multiplier=0)
    with pytest.raises(InputError, match="beta_multiplier"):
        MedMethod(beta_multiplier=float("nan"))
    with pytest.raises(InputError, match="must be a date"):
        med_threshold(
            {datetime(2023, 1, 1, tzinfo=UTC): 1}, year_start=date(2024, 1, 1), history_start=H0
        )
    with pytest.raises(InputError, match="must be a date"):
        med_threshold({}, year_start=datetime(2024, 1, 1))
    with pytest.raises(InputError, match="must not be negative"):
        med_threshold({date(2023, 1, 1): -1}, year_start=date(2024, 1, 1), history_start=H0)
    with pytest.raises(InputError, match="MedMethod"):
        med_threshold({}, year_start=date(2024, 1, 1), history_start=H0, method=5)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- properties

BASE = at(2024, 6, 1)
DAYS = [span(BASE.add(days=i), BASE.add(days=i + 1)) for i in range(3)]
WHOLE = span(BASE, BASE.add(days=3))
LINES = {"L1": "A", "L2": "A", "L3": "B"}


@st.composite
def outages_on(draw: st.DrawFn, line: str) -> Outage:
    start = BASE.add(minutes=draw(st.integers(-600, 3 * 1440)))
    minutes = draw(st.integers(1, 900))
    return Outage(
        start=start,
        end=start.add(minutes=minutes, seconds=draw(st.sampled_from([0, 0, 30]))),
        customers_affected=draw(st.integers(0, 20)),
        cause=draw(st.sampled_from(list(OutageCause))),
        line=line,
        area=LINES[line],
    )


@st.composite
def feeders(draw: st.DrawFn) -> dict[str, tuple[int, list[Outage]]]:
    """Per line: customers served and its outages (never more customers out than served)."""
    out = {}
    for line in LINES:
        outs = draw(st.lists(outages_on(line), max_size=6))
        customers = sum(o.customers_affected for o in outs) + draw(st.integers(0, 50))
        out[line] = (customers, outs)
    return out


def all_outages(fs: dict[str, tuple[int, list[Outage]]]) -> list[Outage]:
    return [o for _, outs in fs.values() for o in outs]


def total_customers(fs: dict[str, tuple[int, list[Outage]]]) -> int:
    return sum(n for n, _ in fs.values())


@st.composite
def states(draw: st.DrawFn) -> ReliabilityState:
    fs = draw(feeders())
    period = draw(st.sampled_from([*DAYS, WHOLE]))
    return ReliabilityState.from_outages(
        all_outages(fs), period=period, customers=total_customers(fs)
    )


@settings(max_examples=100, deadline=None)
@given(states(), states(), states())
def test_merge_is_associative_and_commutative(
    a: ReliabilityState, b: ReliabilityState, c: ReliabilityState
) -> None:
    assert (a + b) + c == a + (b + c)
    assert a + b == b + a
    assert a + ReliabilityState() == a == ReliabilityState() + a
    assert sum([a, b, c]) == a + b + c == ReliabilityState.merge([c, a, b])
    assert (a + b).customer_hours_in_period == (
        a.customer_hours_in_period + b.customer_hours_in_period
    )


@settings(max_examples=100, deadline=None)
@given(feeders())
def test_any_partition_by_line_area_or_day_gives_the_whole(
    fs: dict[str, tuple[int, list[Outage]]],
) -> None:
    everything = all_outages(fs)
    n = total_customers(fs)
    whole = ReliabilityState.from_outages(everything, period=WHOLE, customers=n)
    by_line = ReliabilityState.merge(
        ReliabilityState.from_outages(outs, period=WHOLE, customers=k) for k, outs in fs.values()
    )
    assert by_line == whole
    by_area = ReliabilityState()
    for area in set(LINES.values()):
        lines = [fs[line] for line, a in LINES.items() if a == area]
        by_area += ReliabilityState.from_outages(
            [o for _, outs in lines for o in outs],
            period=WHOLE,
            customers=sum(k for k, _ in lines),
        )
    assert by_area == whole
    by_day = ReliabilityState.merge(
        ReliabilityState.from_outages(everything, period=day, customers=n) for day in DAYS
    )
    assert by_day == whole
    assert by_day.indices() == whole.indices()
    # by the day an outage starts, each group tallied over the whole period
    starts: dict[date, list[Outage]] = {}
    for o in everything:
        starts.setdefault(o.start.date(), []).append(o)
    parts = [ReliabilityState.from_outages(g, period=WHOLE, customers=n) for g in starts.values()]
    by_start_day = ReliabilityState.from_outages([], period=WHOLE, customers=n) + sum(
        (attrs.evolve(p, exposure=()) for p in parts), ReliabilityState()
    )
    assert by_start_day == whole


@settings(max_examples=100, deadline=None)
@given(feeders(), st.sampled_from([*DAYS, WHOLE]))
def test_values_stay_in_range(fs: dict[str, tuple[int, list[Outage]]], period: Span) -> None:
    n = total_customers(fs)
    s = ReliabilityState.from_outages(all_outages(fs), period=period, customers=n)
    if n == 0:
        assert not s.rs1().defined
        return
    r1, r2, r3 = (s.rs1().require(), s.rs2().require(), s.rs3().require())
    for r in (r1, r2, r3):
        assert 0 <= r <= 1
    assert r1 <= r2
    assert r1 <= r3
    assert s.asai() == s.rs1()
    assert s.saidi().require() == s.aihc().require() * 60
    assert s.saifi().value == s.aitc().value
    assert s.rs1().require() == 1 - s.aihc().require() / s.hours
    if s.caidi().defined:
        assert s.caidi().require() * s.saifi().require() == s.saidi().require()


@settings(max_examples=50, deadline=None)
@given(
    feeders(),
    st.sampled_from(sorted({**RATIO_INDICES, **PER_CUSTOMER})),
    st.fractions(min_value=0, max_value=200, max_denominator=1000),
    st.sampled_from(Direction),
)
def test_every_index_result_judges_as_its_target(
    fs: dict[str, tuple[int, list[Outage]]], name: str, threshold: Fraction, direction: Direction
) -> None:
    function = {**RATIO_INDICES, **PER_CUSTOMER}[name]
    kw: dict[str, Any] = {
        "outages": all_outages(fs),
        "period": WHOLE,
        "customers": total_customers(fs),
    }
    unit = metric(name).unit
    target = Target(
        threshold=threshold / 100 if unit == "%" else threshold, direction=direction, unit=unit
    )
    r = function(**kw, target=target)
    state_value = getattr(reliability_indices(**kw), name)
    assert r == function(**kw) == state_value  # the target never changes the value
    assert r.verdict == target.verdict(state_value.value)
    assert (r.percent is None) == (unit != "%" or not r.defined)
    if r.defined:
        assert float(r) == float(state_value.require())
    else:
        assert r.verdict is not None and r.verdict.status is VerdictStatus.UNDEFINED


@settings(max_examples=100, deadline=None)
@given(outages_on("L1"), st.data())
def test_splitting_at_a_boundary_preserves_customer_hours(o: Outage, data: st.DataObject) -> None:
    seconds = int(o.duration.total_seconds())
    cut = o.start + timedelta(seconds=data.draw(st.integers(1, seconds - 1)))
    a, b = o.split_at(cut)
    assert a.customer_hours + b.customer_hours == o.customer_hours
    assert a.end == b.start == cut
    # the same through states over the two periods either side of the cut (the outage's
    # whole duration decides whether it counts, so a short one counts in neither)
    n = max(o.customers_affected, 1)
    first, last = BASE.subtract(days=1), BASE.add(days=5)
    before = ReliabilityState.from_outages([o], period=span(first, cut), customers=n)
    after = ReliabilityState.from_outages([o], period=span(cut, last), customers=n)
    whole = ReliabilityState.from_outages([o], period=span(first, last), customers=n)
    assert before + after == whole
    counts = o.is_sustained()
    assert before.total().customer_hours + after.total().customer_hours == (
        o.customer_hours if counts else 0
    )
    assert before.total().events + after.total().events == (1 if counts else 0)


daily_values = st.dictionaries(
    st.dates(date(2018, 1, 1), date(2023, 12, 31)),
    st.one_of(
        st.just(0),
        st.fractions(min_value=Fraction(1, 1000), max_value=1000, max_denominator=1000),
    ),
    max_size=40,
)


@settings(max_examples=100, deadline=None)
@given(daily_values, st.randoms(use_true_random=False))
def test_med_threshold_is_invariant_to_the_order_of_days(
    values: dict[date, Fraction], rnd: object
) -> None:
    items = list(values.items())
    rnd.shuffle(items)  # type: ignore[attr-defined]
    a = med_threshold(values, year_start=date(2024, 1, 1), history_start=H0)
    b = med_threshold(dict(items), year_start=date(2024, 1, 1), history_start=H0)
    c = med_threshold(dict(reversed(items)), year_start=date(2024, 1, 1), history_start=H0)
    assert a == b == c
    if a.available:
        assert a.t_med is not None
        assert a.t_med > 0
        assert a.beta is not None
        assert a.beta >= 0
        # adding zero days inside the records changes nothing but dropping them
        first = min(values)
        zeros = {
            first + timedelta(days=i): 0
            for i in range(0, 30)
            if first + timedelta(days=i) not in values
            and first + timedelta(days=i) < date(2024, 1, 1)
        }
        assert (
            med_threshold({**values, **zeros}, year_start=date(2024, 1, 1), history_start=H0) == a
        )


@settings(max_examples=60, deadline=None)
@given(feeders(), st.floats(min_value=0.5, max_value=400))
def test_med_split_adds_up_to_the_whole(
    fs: dict[str, tuple[int, list[Outage]]], scale: float
) -> None:
    n = total_customers(fs)
    if n == 0:
        return
    everything = all_outages(fs)
    th = med_threshold(
        {date(2023, 6, 1): scale, date(2023, 6, 2): scale * 2},
        year_start=date(2024, 1, 1),
        history_start=H0,
    )
    split = exclude_major_event_days(outages=everything, period=WHOLE, customers=n, threshold=th)
    whole = ReliabilityState.from_outages(everything, period=WHOLE, customers=n)
    assert split.whole == whole
    assert split.normal.customers == n
    assert split.normal.saidi().require() <= whole.saidi().require()
    assert th.t_med is not None
    for d, v in split.daily_saidi.items():
        assert (d in split.major_event_days) == (v > th.t_med)
    # daily SAIDI adds up the whole customer-minutes of the sustained outages that began
    # in the period (accrued to their start day, not clipped)
    daily = daily_saidi(outages=everything, period=WHOLE, customers=n)
    assert daily == split.daily_saidi
    began = [o for o in everything if WHOLE.start <= o.start < WHOLE.end and o.is_sustained()]
    assert sum(daily.values()) * n == sum(o.customer_hours for o in began) * 60
    # the major set is exactly the outages that began on a major event day
    on_med = [o for o in began if o.start.date() in split.major_event_days]
    assert split.major.total().events == len(on_med)


@settings(max_examples=100, deadline=None)
@given(outages_on("L2"))
def test_outage_serialisation_round_trips(o: Outage) -> None:
    assert structure(unstructure(o), Outage) == o
