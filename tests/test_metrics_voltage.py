"""Voltage: point qualification, limits by voltage level (GB/T 12325), comprehensive rate."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

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
from gdsmodel.metrics.voltage import (
    MonitoringClass,
    VoltageMinutes,
    VoltageStatus,
    assess_readings,
    class_rates,
    comprehensive_voltage_rate,
    load_voltage_data,
    voltage_data,
    voltage_limits,
    voltage_qualification_rate,
)
from gdsmodel.sources import Confidence

# -- one point --------------------------------------------------------------------------------


def test_point_worked_example() -> None:
    # a month of 30 days = 43 200 minutes; 1 296 minutes out of limits -> 97 %
    r = voltage_qualification_rate(
        above_upper_minutes=216, below_lower_minutes=1080, monitored_minutes=43_200
    )
    assert r == Ratio(41_904, 43_200)
    assert r.percent == 97
    assert metric("voltage_qualification_rate").verdict(r).met  # rural residential 96 %


def test_the_point_rate_has_the_one_result_shape() -> None:
    kw = {"above_upper_minutes": 216, "below_lower_minutes": 1080, "monitored_minutes": 43_200}
    r = voltage_qualification_rate(**kw)
    assert isinstance(r, KpiResult) and isinstance(r, ScalarResult)
    assert float(r) == 0.97 and r.value == Fraction(97, 100) and r.percent == 97
    assert r.ratio == Ratio(41_904, 43_200) and type(r.ratio) is Ratio
    assert r.format(1) == "97.0%" and r.metric == "voltage_qualification_rate"
    assert r.verdict is None and r.target is None  # no target given: no verdict
    # the registry's target by its ID (rural residential, >= 96 %) and a Target of one's own
    assert voltage_qualification_rate(**kw, target="rural_residential").verdict.met  # type: ignore[union-attr]
    strict = voltage_qualification_rate(**kw, target=Target.percent(99, Direction.HIGHER))
    assert strict.verdict is not None and strict.verdict.gap == Fraction(2, 100)
    assert str(strict.verdict) == "missed by 2.00 pp"
    # a target in another unit cannot judge a rate in percent, on every path
    minutes = Target(threshold=5, direction=Direction.LOWER, unit="min/customer")
    with pytest.raises(InputError, match="the target is in min/customer"):
        voltage_qualification_rate(**kw, target=minutes)
    with pytest.raises(InputError, match="the target is in min/customer"):
        metric("voltage_qualification_rate").evaluate(kw, target=minutes)
    with pytest.raises(NotFoundError, match="known: rural_residential"):
        voltage_qualification_rate(**kw, target="urban")
    with pytest.raises(InputError, match="target"):
        voltage_qualification_rate(**kw, target=0.96)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kw", "name"),
    [
        (
            {"above_upper_minutes": -1, "below_lower_minutes": 0, "monitored_minutes": 10},
            "above_upper_minutes",
        ),
        (
            {"above_upper_minutes": 0, "below_lower_minutes": "x", "monitored_minutes": 10},
            "below_lower_minutes",
        ),
        (
            {"above_upper_minutes": 0, "below_lower_minutes": 0, "monitored_minutes": float("nan")},
            "monitored_minutes",
        ),
    ],
)
def test_point_bad_inputs(kw: dict[str, Any], name: str) -> None:
    with pytest.raises(InputError) as exc:
        voltage_qualification_rate(**kw)
    assert exc.value.name == name


def test_minutes_out_of_limits_cannot_exceed_monitored() -> None:
    with pytest.raises(InputError, match="above_upper_minutes"):
        voltage_qualification_rate(
            above_upper_minutes=6, below_lower_minutes=5, monitored_minutes=10
        )
    with pytest.raises(InputError):
        VoltageMinutes(6, 5, 10)


# -- limits -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nominal", "phases", "upper_v", "lower_v"),
    [
        (220, 1, Fraction(2354, 10), 198),
        (380, 3, Fraction(4066, 10), Fraction(3534, 10)),
        (10_000, 3, 10_700, 9_300),
        (20_000, 3, 21_400, 18_600),
    ],
)
def test_fixed_limits(nominal: int, phases: int, upper_v: Fraction, lower_v: Fraction) -> None:
    lim = voltage_limits(nominal_v=nominal, phases=phases)
    assert (lim.upper_v, lim.lower_v) == (upper_v, lower_v)
    # exactly on a limit is within; one millivolt beyond is not
    assert lim.status(upper_v) is VoltageStatus.WITHIN
    assert lim.status(lower_v) is VoltageStatus.WITHIN
    assert lim.status(upper_v + Fraction(1, 1000)) is VoltageStatus.ABOVE
    assert lim.status(lower_v - Fraction(1, 1000)) is VoltageStatus.BELOW
    assert lim.check(nominal)


def test_220v_limits_are_asymmetric() -> None:
    lim = voltage_limits(nominal_v=220, phases=1)
    assert (lim.upper, lim.lower) == (Fraction(7, 100), Fraction(-1, 10))
    assert lim.rule == "220v_single_phase"
    assert lim.deviation(Decimal("235.4")) == Fraction(7, 100)
    assert str(lim) == "220 V: +7% / -10%"


@pytest.mark.parametrize(
    ("upper", "lower", "ok"),
    [
        (7, -3, True),
        (5, -5, True),
        (10, 0, True),
        (6, -5, False),  # 11 %
        (10, 2, True),  # same sign: the larger absolute value, 10 %
        (11, 1, False),
        (-2, -9, True),
        (-1, -11, False),
    ],
)
def test_band_of_35kv_and_above(upper: int, lower: int, ok: bool) -> None:
    if ok:
        lim = voltage_limits(nominal_v=110_000, upper=upper, lower=lower)
        assert lim.rule == "35kv_and_above"
        assert lim.upper == Fraction(upper, 100)
    else:
        with pytest.raises(InputError, match="band"):
            voltage_limits(nominal_v=35_000, upper=upper, lower=lower)


def test_limit_errors() -> None:
    with pytest.raises(InputError) as exc:
        voltage_limits(nominal_v=35_000)
    assert "band" in str(exc.value)
    with pytest.raises(InputError) as exc:
        voltage_limits(nominal_v=30_000)
    assert exc.value.name == "nominal_v" and "35kv_and_above" in str(exc.value)
    with pytest.raises(InputError):
        voltage_limits(nominal_v=380, phases=1)
    with pytest.raises(InputError):
        voltage_limits(nominal_v=380, phases=2)
    with pytest.raises(InputError):
        voltage_limits(nominal_v=0)
    with pytest.raises(InputError):
        voltage_limits(nominal_v=-220, phases=1)
    with pytest.raises(InputError) as exc:
        voltage_limits(nominal_v=10_000, upper=8)
    assert exc.value.name == "upper"
    with pytest.raises(InputError) as exc:
        voltage_limits(nominal_v=10_000, lower=-8)
    assert exc.value.name == "lower"
    with pytest.raises(InputError):
        voltage_limits(nominal_v=10_000, upper=-5, lower=5)


def test_a_station_may_tighten_fixed_limits() -> None:
    lim = voltage_limits(nominal_v=10_000, upper=5, lower=-5)
    assert lim.status(10_600) is VoltageStatus.ABOVE


def test_assess_readings() -> None:
    lim = voltage_limits(nominal_v=220, phases=1)
    # one reading per 15 minutes over 2 hours
    readings = [221, 230, 236, 240, 199, 197, 215, 220]
    m = assess_readings(readings, lim, interval_minutes=15)
    assert (m.above_upper_minutes, m.below_lower_minutes, m.monitored_minutes) == (30, 15, 120)
    assert m.ratio == Ratio(75, 120)
    pairs = assess_readings([(236, Decimal("0.5")), (220, 59.5)], lim)
    assert pairs.ratio == Ratio(Fraction(119, 2), 60)
    assert assess_readings([], lim).ratio == Ratio(0, 0)
    with pytest.raises(InputError) as exc:
        assess_readings([220, -1], lim)
    assert exc.value.name == "readings[1]"
    with pytest.raises(InputError) as exc:
        assess_readings([(220, 1, 2)], lim)
    assert exc.value.name == "readings[0]"
    with pytest.raises(InputError):
        assess_readings([220], lim, interval_minutes=-1)


# -- comprehensive rate -----------------------------------------------------------------------


def test_default_weights_are_data_marked_low_confidence() -> None:
    w = voltage_data().weights
    assert w.as_mapping() == {
        MonitoringClass.A: Fraction(1, 2),
        MonitoringClass.B: Fraction(1, 6),
        MonitoringClass.C: Fraction(1, 6),
        MonitoringClass.D: Fraction(1, 6),
    }
    assert w.confidence is Confidence.L
    assert [c.id for c in voltage_data().classes] == list(MonitoringClass)
    assert all(r.confidence is Confidence.H for r in voltage_data().limits)


def test_comprehensive_worked_example() -> None:
    # 0.5 x 99.5 % + 0.5 x (100 % + 98.6 % + 96.3 %) / 3 = 49.75 % + 49.15 % = 98.9 %
    r = comprehensive_voltage_rate(
        a=Ratio(995, 1000), b=Ratio(1, 1), c=Ratio(986, 1000), d=Ratio(963, 1000)
    )
    assert r.value == Fraction(989, 1000)
    assert r.percent == Fraction(989, 10)
    assert r.defined and str(r) == "98.90%"
    assert r.verdict is None  # no target given
    target = Target.percent(99, Direction.HIGHER)
    judged = comprehensive_voltage_rate(
        a=Ratio(995, 1000), b=Ratio(1, 1), c=Ratio(986, 1000), d=Ratio(963, 1000), target=target
    )
    assert judged.verdict is not None and judged.verdict.gap == Fraction(1, 1000)
    assert judged == r and judged.target == target  # the target does not change the value
    assert isinstance(judged, ScalarResult) and float(judged) == 0.989
    assert judged.metric == "comprehensive_voltage_rate" and judged.unit == "%"


def test_comprehensive_missing_class_and_custom_weights() -> None:
    a, c, d = Ratio(995, 1000), VoltageMinutes(0, 60, 6000), Ratio(964, 1000)
    r = comprehensive_voltage_rate(a=a, c=c, d=d)
    assert not r.defined and r.missing == (MonitoringClass.B,) and r.percent is None
    assert r.format() == "undefined (no data for class B)"
    r = comprehensive_voltage_rate(a=a, b=Ratio(0, 0), c=c, d=d)
    assert r.missing == (MonitoringClass.B,)
    r = comprehensive_voltage_rate(a=a, c=c, d=d, weights={"A": "0.5", "C": "0.25", "D": "0.25"})
    assert r.value == Fraction(995, 2000) + Fraction(99, 400) + Fraction(964, 4000)


def test_an_undefined_comprehensive_rate_does_not_convert() -> None:
    target = Target.percent(95, Direction.HIGHER)
    r = comprehensive_voltage_rate(a=Ratio(99, 100), target=target)
    assert not r.defined and r.percent is None
    assert r.verdict is not None and r.verdict.status is VerdictStatus.UNDEFINED
    with pytest.raises(UndefinedRatioError, match="no data for class B, C, D"):
        float(r)
    with pytest.raises(InputError, match="the target is in min and comprehensive_voltage_rate"):
        comprehensive_voltage_rate(
            a=Ratio(99, 100), target=Target(threshold=5, direction=Direction.LOWER, unit="min")
        )


@pytest.mark.parametrize(
    "weights",
    [{"A": 1, "B": 1}, {"E": 1}, {"A": -1, "B": 2}, {"A": "x", "B": 1}],
)
def test_bad_weights(weights: dict[str, Any]) -> None:
    with pytest.raises(InputError):
        comprehensive_voltage_rate(a=Ratio(1, 1), b=Ratio(1, 1), weights=weights)


def test_bad_class_rate() -> None:
    with pytest.raises(InputError) as exc:
        comprehensive_voltage_rate(a=0.99)  # type: ignore[arg-type]
    assert exc.value.name == "a"
    with pytest.raises(InputError):
        class_rates([("E", Ratio(1, 1))])


def test_class_rates_sum_minutes() -> None:
    points = [
        ("D", VoltageMinutes(100, 332, 43_200)),
        ("D", VoltageMinutes(0, 0, 43_200)),
        (MonitoringClass.A, Ratio(43_200, 43_200)),
    ]
    rates = class_rates(points)
    assert rates[MonitoringClass.D] == Ratio(86_400 - 432, 86_400)
    assert rates[MonitoringClass.D].format() == "99.50%"  # not the mean of two point rates


def test_station_voltage_file(tmp_path: Path) -> None:
    src = Path(__file__).parents[1] / "src/gdsmodel/metrics/data/voltage.toml"
    text = src.read_text(encoding="utf-8")
    good = tmp_path / "v.toml"
    good.write_text(text.replace('B = "1/6"', 'B = "0"').replace('A = "1/2"', 'A = "2/3"'), "utf-8")
    data = load_voltage_data(str(good))
    assert data.weights.B == 0
    r = comprehensive_voltage_rate(
        a=Ratio(1, 1), c=Ratio(1, 1), d=Ratio(1, 1), weights=data.weights
    )
    assert r.value == 1
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('A = "1/2"', 'A = "1"'), "utf-8")
    with pytest.raises(DataFileError, match="weights"):
        load_voltage_data(str(bad))
    broken = tmp_path / "broken.toml"
    broken.write_text("[weights\n", "utf-8")
    with pytest.raises(DataFileError, match=r"broken\.toml"):
        load_voltage_data(str(broken))


# -- properties -------------------------------------------------------------------------------


@st.composite
def minutes(draw: st.DrawFn) -> VoltageMinutes:
    monitored = draw(st.integers(0, 44_640))
    above = draw(st.integers(0, monitored))
    below = draw(st.integers(0, monitored - above))
    return VoltageMinutes(above, below, monitored)


@settings(max_examples=100)
@given(st.lists(st.tuples(st.sampled_from("ABCD"), minutes()), max_size=12), st.data())
def test_points_merge_by_class_in_any_partition(
    points: list[tuple[str, VoltageMinutes]], data: st.DataObject
) -> None:
    whole = class_rates(points)
    cut = data.draw(st.integers(0, len(points)))
    left, right = class_rates(points[:cut]), class_rates(points[cut:])
    for cls in whole:
        merged = left.get(cls, Ratio(0, 0)) + right.get(cls, Ratio(0, 0))
        assert merged == whole[cls]
        assert not whole[cls].defined or 0 <= whole[cls].require() <= 1
    total = sum((m for _, m in points), VoltageMinutes(0, 0, 0))
    assert total.ratio == Ratio.merge(whole.values())


@settings(max_examples=100)
@given(st.lists(minutes(), min_size=4, max_size=4))
def test_comprehensive_stays_in_range(ms: list[VoltageMinutes]) -> None:
    r = comprehensive_voltage_rate(a=ms[0], b=ms[1], c=ms[2], d=ms[3])
    if r.value is not None:
        assert 0 <= r.value <= 1
        assert metric("comprehensive_voltage_rate").in_range(r.value)


thresholds = st.fractions(min_value=0, max_value=1, max_denominator=10_000)


@settings(max_examples=100)
@given(minutes(), thresholds, st.sampled_from(Direction))
def test_a_point_result_judges_as_its_target(
    m: VoltageMinutes, threshold: Fraction, direction: Direction
) -> None:
    target = Target(threshold=threshold, direction=direction)
    r = voltage_qualification_rate(
        above_upper_minutes=m.above_upper_minutes,
        below_lower_minutes=m.below_lower_minutes,
        monitored_minutes=m.monitored_minutes,
        target=target,
    )
    assert r == m.ratio and r.verdict == target.verdict(m.ratio)
    if r.defined:
        assert float(r) == float(m.ratio.require()) and r.percent == r.require() * 100
        assert r.format(2) == m.ratio.format(2)
    else:
        assert r.percent is None and r.verdict is not None
        assert r.verdict.status is VerdictStatus.UNDEFINED


@settings(max_examples=100)
@given(st.lists(minutes(), min_size=4, max_size=4), thresholds)
def test_a_comprehensive_result_judges_as_its_target(
    ms: list[VoltageMinutes], threshold: Fraction
) -> None:
    target = Target(threshold=threshold, direction=Direction.HIGHER)
    r = comprehensive_voltage_rate(a=ms[0], b=ms[1], c=ms[2], d=ms[3], target=target)
    assert r.verdict == target.verdict(r.value)
    if r.value is not None:
        assert float(r) == float(r.value) and r.percent == r.value * 100
        assert r.verdict is not None and r.verdict.met == (r.value >= threshold)


@settings(max_examples=100)
@given(st.lists(st.decimals(min_value=150, max_value=300, places=1), max_size=30))
def test_readings_partition(readings: list[Decimal]) -> None:
    lim = voltage_limits(nominal_v=220, phases=1)
    whole = assess_readings(readings, lim, interval_minutes=5)
    half = len(readings) // 2
    parts = assess_readings(readings[:half], lim, interval_minutes=5) + assess_readings(
        readings[half:], lim, interval_minutes=5
    )
    assert parts == whole
    assert whole.monitored_minutes == 5 * len(readings)


def test_abnormal_conditions_allow_ten_percent_at_every_level() -> None:
    ab = voltage_data().abnormal
    assert (ab.upper, ab.lower) == (10, -10)
    assert ab.source.document == "供电营业规则" and "54" in ab.source.clause
    for nominal, phases in ((220, 1), (380, 3), (10_000, 3), (110_000, 3)):
        lim = voltage_limits(nominal_v=nominal, phases=phases, abnormal=True)
        assert lim.upper_v == Fraction(nominal) * Fraction(11, 10)
        assert lim.lower_v == Fraction(nominal) * Fraction(9, 10)
        assert lim.rule == "abnormal_conditions"
    lim = voltage_limits(nominal_v=10_000, abnormal=True)
    assert lim.check(11_000) and not lim.check(11_001)  # a reading on the limit is within
    assert lim.check(9_000) and not lim.check(8_999)
    with pytest.raises(InputError, match="fixed"):
        voltage_limits(nominal_v=10_000, abnormal=True, upper=5)
