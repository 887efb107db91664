"""The fee three rates, remittance, two tickets and the RCD three rates."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdsmodel.errors import InputError
from gdsmodel.metrics import rates
from gdsmodel.metrics.rates import (
    CollectionRates,
    collection_rate,
    collection_rates,
    fee_remittance_rate,
    meter_reading_rate,
    rcd_correct_operation_rate,
    rcd_in_service_rate,
    rcd_installation_rate,
    reading_error_rate,
    ticket_pass_rate,
)
from gdsmodel.metrics.ratio import Ratio
from gdsmodel.metrics.registry import metric

# (function, metric ID, numerator keyword, denominator keyword, bounded)
FUNCTIONS: list[tuple[Callable[..., Ratio], str, str, str, bool]] = [
    (meter_reading_rate, "meter_reading_rate", "read", "due", True),
    (reading_error_rate, "reading_error_rate", "errors", "readings", True),
    (collection_rate, "collection_rate", "collected", "billed", False),
    (fee_remittance_rate, "fee_remittance_rate", "remitted", "billed", False),
    (ticket_pass_rate, "two_ticket_pass_rate", "qualified", "total", True),
    (rcd_installation_rate, "rcd_installation_rate", "installed", "required", True),
    (rcd_in_service_rate, "rcd_in_service_rate", "in_service", "installed", True),
    (rcd_correct_operation_rate, "rcd_correct_operation_rate", "correct", "operations", True),
]
IDS = [f[1] for f in FUNCTIONS]


# -- worked examples --------------------------------------------------------------------------


def test_meter_reading_rate_example() -> None:
    # 2 000 meters due, 4 estimated instead of read
    r = meter_reading_rate(read=1996, due=2000)
    assert r == Ratio(1996, 2000) and r.format() == "99.80%"
    assert not metric("meter_reading_rate").verdict(r).met


def test_reading_error_rate_example() -> None:
    # 2 in 1000 = 0.2 %
    assert reading_error_rate(errors=2, readings=1000).percent == Fraction(1, 5)


def test_collection_rate_may_exceed_100_percent() -> None:
    r = collection_rate(collected=Decimal("1036500.00"), billed=Decimal("1000000.00"))
    assert r.format() == "103.65%"
    assert metric("collection_rate").verdict(r).met


def test_collection_rates_current_earlier_cumulative() -> None:
    # this year: 4 800 000 billed, 4 752 000 collected; arrears 300 000, 120 000 collected
    r = collection_rates(
        collected=4_752_000, billed=4_800_000, arrears_collected=120_000, arrears=300_000
    )
    assert r.current_year.format() == "99.00%"
    assert r.earlier_years.format() == "40.00%"
    assert r.cumulative == Ratio(4_872_000, 5_100_000)
    assert r.cumulative.format() == "95.53%"
    assert r.cumulative == metric("collection_rate_cumulative").ratio(
        collected=4_752_000, billed=4_800_000, arrears_collected=120_000, arrears=300_000
    )
    only_this_year = collection_rates(collected=1, billed=2)
    assert not only_this_year.earlier_years.defined
    assert only_this_year.cumulative == Ratio(1, 2)
    months = [
        collection_rates(collected=90, billed=100),
        collection_rates(collected=110, billed=100),
    ]
    assert sum(months).current_year == Ratio(200, 200)
    assert CollectionRates(Ratio(1, 1), Ratio(0, 0)).__add__(1) is NotImplemented


def test_fee_remittance_rate_example() -> None:
    r = fee_remittance_rate(remitted=Decimal("98000"), billed=Decimal("100000"))
    assert str(metric("fee_remittance_rate").verdict(r)) == "missed by 2.00 pp"


def test_ticket_pass_rate_example() -> None:
    # 48 work permits and 72 operation tickets, one operation ticket not qualified
    r = ticket_pass_rate(qualified=47, total=48) + ticket_pass_rate(qualified=72, total=72)
    assert r == Ratio(119, 120)
    assert r.format() == "99.17%"


def test_rcd_three_rates_example() -> None:
    installed = rcd_installation_rate(installed=396, required=400)
    in_service = rcd_in_service_rate(in_service=390, installed=396)
    correct = rcd_correct_operation_rate(correct=58, operations=60)
    assert (installed.format(), in_service.format(), correct.format()) == (
        "99.00%",
        "98.48%",
        "96.67%",
    )
    for mid, r in [
        ("rcd_installation_rate", installed),
        ("rcd_in_service_rate", in_service),
        ("rcd_correct_operation_rate", correct),
    ]:
        assert not metric(mid).verdict(r).met


# -- bad inputs -------------------------------------------------------------------------------


@pytest.mark.parametrize(("fn", "mid", "num", "den", "bounded"), FUNCTIONS, ids=IDS)
def test_bad_inputs(fn: Callable[..., Ratio], mid: str, num: str, den: str, bounded: bool) -> None:
    with pytest.raises(InputError) as exc:
        fn(**{num: -1, den: 10})
    assert exc.value.name == num
    with pytest.raises(InputError) as exc:
        fn(**{num: 1, den: float("nan")})
    assert exc.value.name == den
    with pytest.raises(TypeError):
        fn(**{num: 1})
    if bounded:
        with pytest.raises(InputError) as exc:
            fn(**{num: 11, den: 10})
        assert exc.value.name == num and f"{num} <= {den}" in str(exc.value)
    else:
        assert fn(**{num: 11, den: 10}).value == Fraction(11, 10)


@pytest.mark.parametrize(("fn", "mid", "num", "den", "bounded"), FUNCTIONS, ids=IDS)
def test_empty_denominator_is_undefined(
    fn: Callable[..., Ratio], mid: str, num: str, den: str, bounded: bool
) -> None:
    r = fn(**{num: 0, den: 0})
    assert not r.defined and r.value is None and str(r) == "undefined (0/0)"


def test_collection_rates_bad_inputs() -> None:
    with pytest.raises(InputError) as exc:
        collection_rates(collected=1, billed=1, arrears_collected=-5, arrears=10)
    assert exc.value.name == "arrears_collected"


# -- properties -------------------------------------------------------------------------------


@settings(max_examples=100)
@given(
    st.sampled_from(FUNCTIONS),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)), max_size=10),
)
def test_function_equals_definition_and_merges(
    f: tuple[Callable[..., Ratio], str, str, str, bool], pairs: list[tuple[int, int]]
) -> None:
    fn, mid, num, den, bounded = f
    if bounded:
        pairs = [(min(a, b), max(a, b)) for a, b in pairs]
    rs = [fn(**{num: a, den: b}) for a, b in pairs]
    assert rs == [metric(mid).ratio(**{num: a, den: b}) for a, b in pairs]
    total = sum(rs, Ratio(0, 0))
    assert total == Ratio(sum(a for a, _ in pairs), sum(b for _, b in pairs))
    if bounded and total.defined:
        assert 0 <= total.require() <= 1


def test_module_exports() -> None:
    assert set(rates.__all__) >= {f[0].__name__ for f in FUNCTIONS}


def test_any_kind_of_number() -> None:
    args: list[Any] = [3, 3.0, "3", Decimal(3), Fraction(3)]
    assert len({meter_reading_rate(read=a, due=4) for a in args}) == 1
