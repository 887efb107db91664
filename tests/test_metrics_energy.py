"""Line loss (whole, split, technical vs management), average price, energy supplied."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdsmodel.errors import InputError
from gdsmodel.metrics.energy import (
    LineLoss,
    LossBreakdown,
    average_price,
    line_loss_by,
    line_loss_rate,
    loss_breakdown,
    supplied_energy,
)
from gdsmodel.metrics.ratio import Ratio, UndefinedRatioError
from gdsmodel.metrics.registry import metric

# -- worked examples --------------------------------------------------------------------------


def test_line_loss_worked_example() -> None:
    # 10 kV line: 1 250 000 kWh supplied, 1 168 750 kWh sold -> 81 250 kWh lost = 6.5 %
    loss = line_loss_rate(supplied_kwh=1_250_000, sold_kwh=1_168_750)
    assert loss.loss_kwh == 81_250
    assert loss.ratio == Ratio(81_250, 1_250_000)
    assert loss.ratio.percent == Fraction(13, 2)
    assert not loss.anomaly
    assert str(loss) == "6.50%"
    assert metric("line_loss_rate_10kv").verdict(loss.ratio, "A").met
    one_more = line_loss_rate(supplied_kwh=1_250_000, sold_kwh=1_168_749)
    assert str(metric("line_loss_rate_10kv").verdict(one_more.ratio, "A")) == "missed by 0.00 pp"
    assert not metric("line_loss_rate_10kv").verdict(one_more.ratio, "A").met


def test_negative_loss_is_computed_and_flagged() -> None:
    loss = line_loss_rate(supplied_kwh=8000, sold_kwh=8240)
    assert loss.anomaly
    assert loss.ratio.percent == -3
    assert "anomaly" in str(loss)
    # sold without any supply: undefined rate, still an anomaly
    none = line_loss_rate(supplied_kwh=0, sold_kwh=5)
    assert none.anomaly and not none.ratio.defined


def test_line_loss_matches_the_registry_definition() -> None:
    loss = line_loss_rate(supplied_kwh="1000.5", sold_kwh=Decimal("990.25"))
    assert loss.ratio == metric("line_loss_rate").ratio(supplied_kwh="1000.5", sold_kwh="990.25")


@pytest.mark.parametrize(
    ("kw", "name"),
    [
        ({"supplied_kwh": -1, "sold_kwh": 0}, "supplied_kwh"),
        ({"supplied_kwh": 1, "sold_kwh": float("nan")}, "sold_kwh"),
        ({"supplied_kwh": float("inf"), "sold_kwh": 0}, "supplied_kwh"),
        ({"supplied_kwh": "many", "sold_kwh": 0}, "supplied_kwh"),
    ],
)
def test_line_loss_bad_inputs(kw: dict[str, Any], name: str) -> None:
    with pytest.raises(InputError) as exc:
        line_loss_rate(**kw)
    assert exc.value.name == name


def test_split_by_level_line_and_area() -> None:
    rows = [
        {"level": "10kV", "line": "L1", "area": None, "supplied_kwh": 100_000, "sold_kwh": 93_000},
        {"level": "10kV", "line": "L2", "area": None, "supplied_kwh": 50_000, "sold_kwh": 46_000},
        {"level": "0.4kV", "line": "L1", "area": "T1", "supplied_kwh": 20_000, "sold_kwh": 17_800},
        {"level": "0.4kV", "line": "L1", "area": "T2", "supplied_kwh": 10_000, "sold_kwh": 10_100},
    ]
    by_level = line_loss_by(rows, "level")
    assert by_level["10kV"].ratio.format() == "7.33%"
    assert by_level["0.4kV"].ratio.format() == "7.00%"
    by_area = line_loss_by([r for r in rows if r["area"]], "area")
    assert by_area["T2"].anomaly and not by_area["T1"].anomaly
    assert [k for k, v in by_area.items() if v.anomaly] == ["T2"]
    by_both = line_loss_by(rows, lambda r: (r["level"], r["line"]))
    assert list(by_both) == [("10kV", "L1"), ("10kV", "L2"), ("0.4kV", "L1")]


def test_split_with_other_field_names_and_objects() -> None:
    @attrs.frozen
    class Meter:
        area: str
        purchased: int
        billed: int

    got = line_loss_by(
        [Meter("T1", 100, 90), Meter("T1", 100, 95)], "area", supplied="purchased", sold="billed"
    )
    assert got["T1"] == LineLoss(200, 185)
    with pytest.raises(InputError) as exc:
        line_loss_by([{"area": "x", "supplied_kwh": 1}], "area")
    assert exc.value.name == "sold_kwh"
    with pytest.raises(InputError) as exc:
        line_loss_by([{"area": "x", "purchased": -5, "sold_kwh": 1}], "area", supplied="purchased")
    assert exc.value.name == "purchased"


def test_line_loss_sum_and_add() -> None:
    parts = [LineLoss(10, 9), LineLoss(20, 19)]
    assert sum(parts) == LineLoss(30, 28)
    assert LineLoss(1, 1).__add__(3) is NotImplemented


def test_loss_breakdown_worked_example() -> None:
    # measured 8 % = technical 5.5 % + management 2.5 %
    b = loss_breakdown(supplied_kwh=200_000, sold_kwh=184_000, technical_loss_kwh=11_000)
    assert b.line_loss.percent == 8
    assert b.technical.percent == Fraction(11, 2)
    assert b.management.percent == Fraction(5, 2)
    assert b.management_loss_kwh == 5_000
    assert b.line_loss.numerator == b.technical.numerator + b.management.numerator
    assert not b.anomaly
    assert b.management == metric("management_loss_rate").ratio(
        supplied_kwh=200_000, sold_kwh=184_000, technical_loss_kwh=11_000
    )
    assert b.technical == metric("technical_loss_rate").ratio(
        supplied_kwh=200_000, technical_loss_kwh=11_000
    )


def test_loss_breakdown_flags_measured_below_technical() -> None:
    b = loss_breakdown(supplied_kwh=100, sold_kwh=97, technical_loss_kwh=4)
    assert b.anomaly and b.management.percent == -1
    assert (b + LossBreakdown(100, 90, 4)).management.percent == Fraction(5, 2)
    assert sum([b]) == b
    with pytest.raises(InputError) as exc:
        loss_breakdown(supplied_kwh=10, sold_kwh=0, technical_loss_kwh=11)
    assert exc.value.name == "technical_loss_kwh"


def test_average_price() -> None:
    assert average_price(revenue=Decimal("5283.00"), sold_kwh=10_000) == Decimal("0.5283")
    assert average_price(revenue="1", sold_kwh=3) == Decimal("0.3333")
    assert average_price(revenue="2", sold_kwh=3, places=2) == Decimal("0.67")
    assert average_price(revenue=Decimal("0.00005"), sold_kwh=1) == Decimal("0.0001")  # half-up
    r = metric("average_price").ratio(revenue=Decimal("5283.00"), sold_kwh=10_000)
    assert r.value == Fraction(5283, 10_000)
    with pytest.raises(UndefinedRatioError):
        average_price(revenue=10, sold_kwh=0)
    with pytest.raises(InputError) as exc:
        average_price(revenue=10.5, sold_kwh=1)
    assert exc.value.name == "revenue"
    with pytest.raises(InputError) as exc:
        average_price(revenue=10, sold_kwh=-1)
    assert exc.value.name == "sold_kwh"


def test_supplied_energy() -> None:
    assert supplied_energy(purchases=500_000) == 500_000
    assert (
        supplied_energy(generation=30_000, purchases=500_000, own_use=1_200, sent_out=80_000)
        == 448_800
    )
    assert supplied_energy(purchases="100.5", own_use=Decimal("0.5")) == 100
    with pytest.raises(InputError) as exc:
        supplied_energy(purchases=100, own_use=60, sent_out=50)
    assert exc.value.name == "own_use + sent_out"
    with pytest.raises(InputError) as exc:
        supplied_energy(purchases=100, generation=-1)
    assert exc.value.name == "generation"


# -- properties -------------------------------------------------------------------------------

KWH = st.integers(0, 10**7)
ROW = st.fixed_dictionaries({"k": st.sampled_from("abcd"), "supplied_kwh": KWH, "sold_kwh": KWH})


@settings(max_examples=100)
@given(st.lists(ROW, max_size=20), st.data())
def test_any_partition_of_records_gives_the_whole(rows: list[dict[str, Any]], data: Any) -> None:
    whole = sum((LineLoss(r["supplied_kwh"], r["sold_kwh"]) for r in rows), LineLoss(0, 0))
    per_key = line_loss_by(rows, "k")
    assert sum(per_key.values(), LineLoss(0, 0)) == whole
    labels = data.draw(st.lists(st.integers(0, 5), min_size=len(rows), max_size=len(rows)))
    other = line_loss_by([{**r, "k": lab} for r, lab in zip(rows, labels, strict=True)], "k")
    assert sum(other.values(), LineLoss(0, 0)).ratio == whole.ratio
    assert whole.ratio == metric("line_loss_rate").total(rows)


@settings(max_examples=100)
@given(st.lists(KWH, min_size=6, max_size=6))
def test_line_loss_merge_is_associative_and_commutative(v: list[int]) -> None:
    a, b, c = LineLoss(v[0], v[1]), LineLoss(v[2], v[3]), LineLoss(v[4], v[5])
    assert (a + b) + c == a + (b + c)
    assert a + b == b + a
    r = a.ratio
    assert not r.defined or r.require() <= 1
    assert a.anomaly == (r.numerator < 0)


@settings(max_examples=100)
@given(KWH, KWH, st.data())
def test_breakdown_parts_add_up(supplied: int, sold: int, data: Any) -> None:
    technical = data.draw(st.integers(0, supplied))
    b = loss_breakdown(supplied_kwh=supplied, sold_kwh=sold, technical_loss_kwh=technical)
    assert b.technical.numerator + b.management.numerator == b.line_loss.numerator
    assert b.technical.denominator == b.management.denominator == b.line_loss.denominator
