"""Power factor, the 1983 adjustment tables (every step boundary), the standard of a
customer and the adjustment fee."""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdsmodel.errors import DataFileError, InputError
from gdsmodel.metrics.ratio import UndefinedRatioError
from gdsmodel.metrics.reactive import (
    CustomerCategory,
    PowerFactorStandard,
    load_power_factor_data,
    power_factor,
    power_factor_adjustment,
    power_factor_data,
    power_factor_fee,
    standard_for_customer,
    to_hundredths,
)
from gdsmodel.sources import Confidence

DATA_FILE = Path(__file__).parents[1] / "src/gdsmodel/metrics/data/power_factor_tables.toml"

# -- every step boundary of the three tables (from the printed tables) --------------------------

BOUNDARIES = {
    "0.90": [
        ("1.00", "-0.75"),
        ("0.95", "-0.75"),
        ("0.94", "-0.60"),
        ("0.93", "-0.45"),
        ("0.92", "-0.30"),
        ("0.91", "-0.15"),
        ("0.90", "0"),
        ("0.89", "0.5"),
        ("0.70", "10"),
        ("0.69", "11"),
        ("0.65", "15"),
        ("0.64", "17"),
        ("0.60", "25"),
        ("0.00", "145"),
    ],
    "0.85": [
        ("1.00", "-1.10"),
        ("0.94", "-1.10"),  # printed table; -1.00 here would be wrong
        ("0.93", "-0.95"),
        ("0.92", "-0.80"),
        ("0.91", "-0.65"),
        ("0.90", "-0.50"),
        ("0.86", "-0.10"),
        ("0.85", "0"),
        ("0.84", "0.5"),
        ("0.65", "10"),
        ("0.64", "11"),
        ("0.60", "15"),
        ("0.59", "17"),
        ("0.00", "135"),
    ],
    "0.80": [
        ("1.00", "-1.30"),
        ("0.92", "-1.30"),
        ("0.91", "-1.15"),
        ("0.90", "-1.00"),
        ("0.81", "-0.10"),
        ("0.80", "0"),
        ("0.79", "0.5"),
        ("0.60", "10"),
        ("0.59", "11"),
        ("0.55", "15"),
        ("0.54", "17"),
        ("0.00", "125"),
    ],
}
CASES = [(std, pf, pct) for std, rows in BOUNDARIES.items() for pf, pct in rows]


@pytest.mark.parametrize(("standard", "pf", "percent"), CASES)
def test_every_step_boundary(standard: str, pf: str, percent: str) -> None:
    got = power_factor_adjustment(power_factor=pf, standard=standard)
    assert got == Decimal(percent)
    assert got.as_tuple().exponent == -2


def reference(standard: int, h: int) -> Decimal:
    """The tables as the 1983 text states them, written independently of the data file."""
    d = Decimal
    if standard == 90:
        if h >= 95:
            return d("-0.75")
        if h >= 90:
            return d("-0.15") * (h - 90)
        if h >= 70:
            return d("0.5") * (90 - h)
        if h >= 65:
            return 10 + d(70 - h)
        return 15 + 2 * d(65 - h)
    if standard == 85:
        if h >= 94:
            return d("-1.10")
        if h >= 91:
            return d("-0.50") - d("0.15") * (h - 90)
        if h >= 85:
            return d("-0.1") * (h - 85)
        if h >= 65:
            return d("0.5") * (85 - h)
        if h >= 60:
            return 10 + d(65 - h)
        return 15 + 2 * d(60 - h)
    if h >= 92:
        return d("-1.30")
    if h == 91:
        return d("-1.15")
    if h >= 80:
        return d("-0.1") * (h - 80)
    if h >= 60:
        return d("0.5") * (80 - h)
    if h >= 55:
        return 10 + d(60 - h)
    return 15 + 2 * d(55 - h)


@pytest.mark.parametrize("standard", [90, 85, 80])
def test_whole_tables_match_the_text(standard: int) -> None:
    table = power_factor_data().table(Decimal(standard) / 100)
    for h in range(101):
        assert table.percent(h) == reference(standard, h), h


@pytest.mark.parametrize("standard", list(PowerFactorStandard))
def test_tables_are_monotonic(standard: PowerFactorStandard) -> None:
    table = power_factor_data().table(standard)
    values = [table.percent(h) for h in range(101)]
    assert all(values[h + 1] <= values[h] for h in range(100))
    assert values[standard.hundredths] == 0
    assert all(v > 0 for v in values[: standard.hundredths])
    assert all(v < 0 for v in values[standard.hundredths + 1 :])


def test_tables_carry_their_source() -> None:
    data = power_factor_data()
    assert data.source.document == "功率因数调整电费办法" and data.source.edition == "1983"
    assert all(t.confidence is Confidence.H for t in data.tables)
    assert "-1.10" in data.table("0.85").note


# -- the power factor -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "q", "pf"),
    [
        (4, 3, "0.80"),
        (1, 0, "1.00"),
        (0, 5, "0.00"),
        (1, 1, "0.71"),
        (9, 4, "0.91"),  # 0.9138...
        (200_000, 96_863, "0.90"),  # 0.89999...: rounds up
        (Decimal("1234.5"), Decimal("600.25"), "0.90"),
    ],
)
def test_power_factor_examples(p: Any, q: Any, pf: str) -> None:
    assert power_factor(active_kwh=p, reactive_kvarh=q) == Decimal(pf)


def _decimal_pf(p: int, q: int) -> Decimal:
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        x = Decimal(p) / (Decimal(p * p + q * q)).sqrt()
        return x.quantize(Decimal("0.01"), rounding=decimal.ROUND_HALF_UP)


@settings(max_examples=200)
@given(st.integers(0, 10**9), st.integers(0, 10**9))
def test_power_factor_agrees_with_high_precision(p: int, q: int) -> None:
    if p == q == 0:
        return
    assert power_factor(active_kwh=p, reactive_kvarh=q) == _decimal_pf(p, q)


def test_power_factor_bad_inputs() -> None:
    with pytest.raises(UndefinedRatioError):
        power_factor(active_kwh=0, reactive_kvarh=0)
    with pytest.raises(InputError) as exc:
        power_factor(active_kwh=-1, reactive_kvarh=0)
    assert exc.value.name == "active_kwh"
    with pytest.raises(InputError) as exc:
        power_factor(active_kwh=1, reactive_kvarh=float("nan"))
    assert exc.value.name == "reactive_kvarh"


def test_rounding_of_the_input_power_factor() -> None:
    assert to_hundredths("0.945") == 95
    assert to_hundredths("0.9449999") == 94
    assert to_hundredths(Fraction(9, 10)) == 90
    assert to_hundredths(0.85) == 85  # a float is taken at its shortest repr
    assert power_factor_adjustment(power_factor="0.945", standard="0.90") == Decimal("-0.75")
    assert power_factor_adjustment(power_factor="0.9449", standard="0.90") == Decimal("-0.60")


@pytest.mark.parametrize(
    ("kw", "name"),
    [
        ({"power_factor": "1.01", "standard": "0.90"}, "power_factor"),
        ({"power_factor": "-0.1", "standard": "0.90"}, "power_factor"),
        ({"power_factor": "abc", "standard": "0.90"}, "power_factor"),
        ({"power_factor": "0.9", "standard": "0.95"}, "standard"),
        ({"power_factor": "0.9", "standard": "high"}, "standard"),
    ],
)
def test_adjustment_bad_inputs(kw: dict[str, Any], name: str) -> None:
    with pytest.raises(InputError) as exc:
        power_factor_adjustment(**kw)
    assert exc.value.name == name


def test_standard_parsing() -> None:
    assert PowerFactorStandard.parse(0.9) is PowerFactorStandard.PF_0_90
    assert PowerFactorStandard.parse("0.80") is PowerFactorStandard.PF_0_80
    assert PowerFactorStandard.parse(PowerFactorStandard.PF_0_85) is PowerFactorStandard.PF_0_85
    assert [s.hundredths for s in PowerFactorStandard] == [90, 85, 80]
    with pytest.raises(InputError):
        power_factor_data().table(PowerFactorStandard.PF_0_85).percent(101)
    with pytest.raises(InputError):
        power_factor_data().table("0.85").percent(True)


# -- the fee ----------------------------------------------------------------------------------


def test_fee_worked_examples() -> None:
    # a 315 kVA industrial customer on 10 kV: standard 0.90
    # basic charge 315 kVA x 26 yuan = 8 190.00; energy charge 96 000 kWh x 0.6218 = 59 692.80
    pf = power_factor(active_kwh=96_000, reactive_kvarh=52_000)  # 0.8793 -> 0.88
    assert pf == Decimal("0.88")
    pct = power_factor_adjustment(power_factor=pf, standard="0.90")
    assert pct == Decimal("1.00")
    fee = power_factor_fee(
        basic_charge=Decimal("8190.00"),
        energy_charge=Decimal("59692.80"),
        power_factor=pf,
        standard="0.90",
    )
    assert fee == Decimal("678.83")  # 67 882.80 x 1 % = 678.828 -> 678.83
    reduction = power_factor_fee(
        basic_charge=Decimal("8190.00"),
        energy_charge=Decimal("59692.80"),
        power_factor="0.96",
        standard="0.90",
    )
    assert reduction == Decimal("-509.12")  # -0.75 % of 67 882.80 = -509.121


def test_fee_rounds_half_up_to_the_fen() -> None:
    # 1 % of 0.50 = 0.005 -> 0.01; a reduction of 0.005 -> -0.01
    assert power_factor_fee(
        basic_charge=0, energy_charge="0.50", power_factor="0.88", standard="0.90"
    ) == Decimal("0.01")
    assert power_factor_fee(
        basic_charge=0, energy_charge="1", power_factor="0.86", standard="0.85"
    ) == Decimal("0.00")
    assert power_factor_fee(
        basic_charge=0, energy_charge="5", power_factor="0.86", standard="0.85"
    ) == Decimal("-0.01")


@pytest.mark.parametrize(
    ("kw", "name"),
    [
        ({"basic_charge": 10.0, "energy_charge": 0}, "basic_charge"),
        ({"basic_charge": 0, "energy_charge": -1}, "energy_charge"),
        ({"basic_charge": 0, "energy_charge": "NaN"}, "energy_charge"),
    ],
)
def test_fee_bad_inputs(kw: dict[str, Any], name: str) -> None:
    with pytest.raises(InputError) as exc:
        power_factor_fee(power_factor="0.9", standard="0.9", **kw)
    assert exc.value.name == name


MONEY = st.decimals(min_value=0, max_value=10**7, places=2)
PF = st.integers(0, 100).map(lambda h: Decimal(h) / 100)


@settings(max_examples=200)
@given(st.sampled_from(list(PowerFactorStandard)), PF, PF, MONEY, MONEY)
def test_higher_power_factor_never_costs_more(
    standard: PowerFactorStandard, pf1: Decimal, pf2: Decimal, basic: Decimal, energy: Decimal
) -> None:
    lo, hi = sorted((pf1, pf2))
    a = power_factor_adjustment(power_factor=lo, standard=standard)
    b = power_factor_adjustment(power_factor=hi, standard=standard)
    assert b <= a
    fee_lo = power_factor_fee(
        basic_charge=basic, energy_charge=energy, power_factor=lo, standard=standard
    )
    fee_hi = power_factor_fee(
        basic_charge=basic, energy_charge=energy, power_factor=hi, standard=standard
    )
    assert fee_hi <= fee_lo
    assert (fee_lo > 0) <= (lo < standard.hundredths / Decimal(100))


@settings(max_examples=100)
@given(st.integers(0, 10**7), st.integers(0, 10**7), st.integers(0, 10**7))
def test_more_reactive_energy_never_lowers_the_adjustment(p: int, q: int, extra: int) -> None:
    if p == 0:
        return
    pf1 = power_factor(active_kwh=p, reactive_kvarh=q)
    pf2 = power_factor(active_kwh=p, reactive_kvarh=q + extra)
    assert pf2 <= pf1
    for s in PowerFactorStandard:
        assert power_factor_adjustment(power_factor=pf2, standard=s) >= power_factor_adjustment(
            power_factor=pf1, standard=s
        )


# -- the standard of a customer ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"category": "industrial", "capacity_kva": 315, "high_voltage": True}, "0.90"),
        ({"category": "industrial", "capacity_kva": 160, "high_voltage": True}, "0.85"),
        (
            {"category": "industrial", "capacity_kva": Decimal("160.5"), "high_voltage": True},
            "0.90",
        ),
        ({"category": "industrial", "capacity_kva": 315, "high_voltage": False}, "0.85"),
        ({"category": "industrial", "capacity_kva": 160}, "0.85"),  # voltage does not decide
        ({"category": "industrial", "capacity_kva": 99}, None),
        ({"category": "non_industrial", "capacity_kva": 100}, "0.85"),
        ({"category": "irrigation", "capacity_kva": 3200, "high_voltage": True}, "0.90"),
        ({"category": "irrigation", "capacity_kva": 3150, "high_voltage": True}, "0.85"),
        ({"category": "irrigation", "capacity_kva": 3200, "high_voltage": False}, "0.85"),
        ({"category": "agricultural", "capacity_kva": 100}, "0.80"),
        ({"category": "agricultural", "capacity_kva": 400, "high_voltage": True}, "0.80"),
        # wholesale (趸售): 0.85 when its large-industrial users are not managed by the utility
        (
            {
                "category": CustomerCategory.WHOLESALE,
                "capacity_kva": 5000,
                "large_industry_managed_by_utility": False,
            },
            "0.85",
        ),
        (
            {
                "category": "wholesale",
                "capacity_kva": 5000,
                "large_industry_managed_by_utility": True,
            },
            "0.80",
        ),
        ({"category": "wholesale", "capacity_kva": 99}, None),
        ({"category": "agricultural", "capacity_kva": 50}, None),
        # on-load tap changer: 0.90 only when supplied at high voltage
        (
            {
                "category": "non_industrial",
                "capacity_kva": 200,
                "on_load_tap_changer": True,
                "high_voltage": True,
            },
            "0.90",
        ),
        (
            {
                "category": "non_industrial",
                "capacity_kva": 200,
                "on_load_tap_changer": True,
                "high_voltage": False,
            },
            "0.85",
        ),
        # below 100 kVA no standard applies, on-load tap changer or not
        (
            {
                "category": "industrial",
                "capacity_kva": 80,
                "on_load_tap_changer": True,
                "high_voltage": True,
            },
            None,
        ),
    ],
)
def test_standard_for_customer(kw: dict[str, Any], expected: str | None) -> None:
    got = standard_for_customer(**kw)
    assert got == (None if expected is None else PowerFactorStandard(expected))


def test_standard_for_customer_bad_inputs() -> None:
    with pytest.raises(InputError) as exc:
        standard_for_customer(category="residential", capacity_kva=100)
    assert exc.value.name == "category" and "wholesale" in str(exc.value)
    with pytest.raises(InputError) as exc:
        standard_for_customer(category="industrial", capacity_kva=-1)
    assert exc.value.name == "capacity_kva"
    # where the supply voltage decides, it must be given
    for kw in (
        {"category": "industrial", "capacity_kva": 315},
        {"category": "non_industrial", "capacity_kva": 200, "on_load_tap_changer": True},
        {"category": "irrigation", "capacity_kva": 3200},
    ):
        with pytest.raises(InputError) as exc:
            standard_for_customer(**kw)  # type: ignore[arg-type]
        assert exc.value.name == "high_voltage"
    with pytest.raises(InputError) as exc:
        standard_for_customer(category="wholesale", capacity_kva=500)
    assert exc.value.name == "large_industry_managed_by_utility"


# -- a station's tables file ------------------------------------------------------------------


def test_station_tables_file(tmp_path: Path) -> None:
    text = DATA_FILE.read_text(encoding="utf-8")
    own = tmp_path / "pf.toml"
    own.write_text(text.replace('percent = "-1.10"', 'percent = "-1.00"'), "utf-8")
    data = load_power_factor_data(str(own))
    assert power_factor_adjustment(power_factor="0.95", standard="0.85", data=data) == Decimal(
        "-1.00"
    )
    assert power_factor_adjustment(power_factor="0.95", standard="0.85") == Decimal("-1.10")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '{ low = 95, high = 100, percent = "-0.75" }',
            '{ low = 96, high = 100, percent = "-0.75" }',
            "exactly once",
        ),
        (
            '{ low = 90, high = 90, percent = "0" }',
            '{ low = 90, high = 90, percent = "0.1" }',
            "must be 0",
        ),
        (
            '{ low = 70, high = 89, percent = "0.5", step = "0.5" }',
            '{ low = 70, high = 89, percent = "0.5", step = "-0.5" }',
            "must not rise",
        ),
        (
            '{ low = 93, high = 93, percent = "-0.45" }',
            '{ low = 93, high = 93, percent = "-0.65" }',
            "must not rise",
        ),
        ("standard = 80", "standard = 75", "standard"),
        ('format = "gdsmodel.power_factor/1"', 'format = "x"', "format"),
        (
            '{ low = 0, high = 64, percent = "17", step = "2" }',
            '{ low = 0, high = 64, percent = "17", step = "2", extra = 1 }',
            "extra",
        ),
        ("[rule]", "[rule\n", "TOML"),
    ],
)
def test_bad_tables_files(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = DATA_FILE.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(DataFileError) as exc:
        load_power_factor_data(str(bad))
    assert message in str(exc.value) and "bad.toml" in str(exc.value)
