"""Reactive energy: the power factor (力率) and the power-factor fee adjustment of 1983
(功率因数调整电费办法).

This module was ``gdsmodel.metrics.power_factor``; it is renamed so that the name
``power_factor`` can be the function alone.

The power factor of a month is ``P / sqrt(P² + Q²)`` from its kWh and kvarh, rounded
half-up to 0.01, computed exactly (no floating point). The adjustment is a percentage of
(basic charge + energy charge) read from one of three tables (standard 0.90, 0.85 or
0.80); the tables are data (``data/power_factor_tables.toml``) and are looked up by the
power factor in integer hundredths.

>>> pf = power_factor(active_kwh=80_000, reactive_kvarh=60_000)
>>> pf
Decimal('0.80')
>>> power_factor_adjustment(power_factor=pf, standard="0.85")
Decimal('2.50')
>>> power_factor_fee(basic_charge=Decimal("12000"), energy_charge=Decimal("48000"),
...                  power_factor=pf, standard="0.85")
Decimal('1500.00')
"""

from __future__ import annotations

import enum
import math
from decimal import Decimal
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

import attrs

from gdsmodel import _show
from gdsmodel.datafiles import parse_toml
from gdsmodel.errors import DataFileError, InputError
from gdsmodel.metrics.ratio import UndefinedRatioError, exact, round_half_up
from gdsmodel.serialize import structure
from gdsmodel.sources import Confidence, Source

__all__ = [
    "CustomerCategory",
    "PowerFactorData",
    "PowerFactorStandard",
    "PowerFactorTable",
    "StandardRule",
    "TableRow",
    "load_power_factor_data",
    "power_factor",
    "power_factor_adjustment",
    "power_factor_data",
    "power_factor_exact",
    "power_factor_fee",
    "standard_for_customer",
    "to_hundredths",
]


class PowerFactorStandard(enum.StrEnum):
    """The three standard values of the 1983 rule."""

    PF_0_90 = "0.90"
    PF_0_85 = "0.85"
    PF_0_80 = "0.80"

    @property
    def hundredths(self) -> int:
        """The value in integer hundredths (90, 85, 80)."""
        return int(Decimal(self.value) * 100)

    @classmethod
    def parse(cls, value: Any) -> PowerFactorStandard:
        """A standard from ``"0.9"``, ``"0.90"``, ``Decimal("0.85")``, ``0.8`` or a member.

        >>> PowerFactorStandard.parse("0.9"), PowerFactorStandard.parse(Decimal("0.85"))
        (<PowerFactorStandard.PF_0_90: '0.90'>, <PowerFactorStandard.PF_0_85: '0.85'>)
        """
        if isinstance(value, cls):
            return value
        allowed = ", ".join(m.value for m in cls)
        try:
            f = exact(value, name="standard")
        except InputError:
            raise InputError(
                "is not a standard value", name="standard", value=value, allowed=allowed
            ) from None
        for member in cls:
            if f * 100 == member.hundredths:
                return member
        raise InputError("is not a standard value", name="standard", value=value, allowed=allowed)


class CustomerCategory(enum.StrEnum):
    """Customer categories of the 1983 rule."""

    INDUSTRIAL = "industrial"  # 工业用户 (incl. 社队工业)
    NON_INDUSTRIAL = "non_industrial"  # 非工业用户
    IRRIGATION = "irrigation"  # 电力排灌站
    AGRICULTURAL = "agricultural"  # 农业用户
    WHOLESALE = "wholesale"  # 趸售用户


@attrs.frozen(slots=True, kw_only=True)
class TableRow:
    """Hundredths ``low..high`` (inclusive): ``percent`` at the end nearest the standard,
    changing by ``step`` per 0.01 farther from it."""

    low: int
    high: int
    percent: Decimal
    step: Decimal = Decimal(0)


@attrs.frozen(slots=True, kw_only=True)
class PowerFactorTable:
    """One adjustment table (standard value in hundredths) with its rows.

    >>> t = power_factor_data().table("0.90")
    >>> t.percent(94), t.percent(70), t.percent(60)
    (Decimal('-0.60'), Decimal('10.00'), Decimal('25.00'))
    """

    standard: int
    confidence: Confidence
    rows: tuple[TableRow, ...]
    note: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def percent(self, hundredths: int) -> Decimal:
        """The percentage for a power factor given in integer hundredths (0..100)."""
        if isinstance(hundredths, bool) or not isinstance(hundredths, int):
            raise InputError(
                "must be an integer number of hundredths",
                name="hundredths",
                value=hundredths,
                allowed="an int 0..100",
            )
        for row in self.rows:
            if row.low <= hundredths <= row.high:
                anchor = row.low if row.low > self.standard else row.high
                value = row.percent + row.step * abs(hundredths - anchor)
                return value.quantize(Decimal("0.01"))
        raise InputError(
            "is outside the table", name="hundredths", value=hundredths, allowed="0..100"
        )


@attrs.frozen(slots=True, kw_only=True)
class StandardRule:
    """Capacity thresholds of the rule that picks a customer's standard (kVA or kW)."""

    confidence: Confidence
    hv_industrial_above_kva: Decimal
    hv_irrigation_min_kva: Decimal
    assessed_min_kva: Decimal
    note: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)


@attrs.frozen(slots=True, kw_only=True)
class PowerFactorData:
    """The wire form of ``data/power_factor_tables.toml``: source, tables and rule."""

    format: str
    source: Source
    tables: tuple[PowerFactorTable, ...]
    rule: StandardRule

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def table(self, standard: Any) -> PowerFactorTable:
        """The table of a standard value (``"0.90"``, a :class:`PowerFactorStandard`...)."""
        std = PowerFactorStandard.parse(standard)
        for t in self.tables:
            if t.standard == std.hundredths:
                return t
        raise InputError(
            "no table for this standard",
            name="standard",
            value=standard,
            allowed=", ".join(f"0.{t.standard}" for t in self.tables),
        )


def _check(data: PowerFactorData, file: str) -> PowerFactorData:
    if data.format != "gdsmodel.power_factor/1":
        raise DataFileError(
            f"unknown format {data.format!r} (allowed: gdsmodel.power_factor/1)",
            file=file,
            path="format",
        )
    seen: set[int] = set()
    for i, table in enumerate(data.tables):
        where = f"tables[{i}]"
        if table.standard in seen or table.standard not in {
            m.hundredths for m in PowerFactorStandard
        }:
            raise DataFileError(
                f"standard must be one of 90, 85, 80 and appear once, got {table.standard}",
                file=file,
                path=f"{where}.standard",
            )
        seen.add(table.standard)
        covered: list[int] = []
        for j, row in enumerate(table.rows):
            if not 0 <= row.low <= row.high <= 100 or (row.low < table.standard < row.high):
                raise DataFileError(
                    f"row {row.low}..{row.high} must lie within 0..100 on one side of "
                    f"the standard {table.standard}",
                    file=file,
                    path=f"{where}.rows[{j}]",
                )
            covered.extend(range(row.low, row.high + 1))
        if sorted(covered) != list(range(101)):
            raise DataFileError(
                "the rows must cover the hundredths 0..100 exactly once",
                file=file,
                path=f"{where}.rows",
            )
        values = [table.percent(h) for h in range(101)]
        if values[table.standard] != 0:
            raise DataFileError(
                "the percentage at the standard value must be 0", file=file, path=f"{where}.rows"
            )
        for h in range(100):
            if values[h + 1] > values[h]:
                raise DataFileError(
                    f"percentages must not rise with the power factor ({h} hundredths -> "
                    f"{values[h]}, {h + 1} -> {values[h + 1]})",
                    file=file,
                    path=f"{where}.rows",
                )
    if len(seen) != len(PowerFactorStandard):
        raise DataFileError(
            "a table for each of 0.90, 0.85, 0.80 is required", file=file, path="tables"
        )
    return data


def _load(raw: bytes, file: str) -> PowerFactorData:
    data = parse_toml(raw, file=file)
    return _check(structure(data, PowerFactorData, file=file), file)


@cache
def power_factor_data() -> PowerFactorData:
    """The shipped tables and rule (loaded once, validated)."""
    raw = resources.files("gdsmodel.metrics").joinpath("data", "power_factor_tables.toml")
    return _load(raw.read_bytes(), "gdsmodel/metrics/data/power_factor_tables.toml")


def load_power_factor_data(path: str) -> PowerFactorData:
    """A station's own tables file (same format as the shipped one), validated."""
    with open(path, "rb") as fh:
        return _load(fh.read(), path)


# -- the power factor -----------------------------------------------------------------------


def power_factor(*, active_kwh: Any, reactive_kvarh: Any) -> Decimal:
    """cos φ = P / √(P² + Q²) from a period's energies, rounded half-up to 0.01 (exact).

    Both energies are finite numbers >= 0; both zero raises
    :class:`~gdsmodel.metrics.ratio.UndefinedRatioError`.

    >>> power_factor(active_kwh=1000, reactive_kvarh=0)
    Decimal('1.00')
    >>> power_factor(active_kwh=0, reactive_kvarh=0)
    Traceback (most recent call last):
    gdsmodel.metrics.ratio.UndefinedRatioError: the power factor is undefined: ...
    """
    p = exact(active_kwh, name="active_kwh")
    q = exact(reactive_kvarh, name="reactive_kvarh")
    if p == 0 and q == 0:
        raise UndefinedRatioError("the power factor is undefined: no active and no reactive energy")
    return power_factor_exact(p, q)


def power_factor_exact(active: Fraction, reactive: Fraction) -> Decimal:
    """:func:`power_factor` of exact energies >= 0 (not both 0), without checking its inputs
    again (for the many lines of a report), by one integer square root: the result is the
    largest ``k`` hundredths with ``cos φ >= (2k - 1) / 200``, that is
    ``(2k - 1)² (P² + Q²) <= 40000 P²`` in integers.

    >>> power_factor_exact(Fraction(1000), Fraction(484))
    Decimal('0.90')
    >>> power_factor_exact(Fraction(0), Fraction(5))
    Decimal('0.00')
    """
    p = active.numerator * reactive.denominator
    q = reactive.numerator * active.denominator
    largest_odd = math.isqrt(40000 * p * p // (p * p + q * q))
    hundredths = min((largest_odd + 1) // 2, 100)
    return Decimal(hundredths).scaleb(-2).quantize(Decimal("0.01"))


def to_hundredths(value: Any, *, name: str = "power_factor") -> int:
    """A power factor (0..1) in integer hundredths, rounded half-up.

    >>> to_hundredths("0.905"), to_hundredths(Decimal("0.94")), to_hundredths(0.7)
    (91, 94, 70)
    """
    f = exact(value, name=name)
    if f > 1:
        raise InputError(
            "must not exceed 1", name=name, value=value, allowed="0 <= power factor <= 1"
        )
    return int(round_half_up(f * 100, 0))


def power_factor_adjustment(
    *, power_factor: Any, standard: Any, data: PowerFactorData | None = None
) -> Decimal:
    """The adjustment in percent (negative = reduction, positive = surcharge) from the 1983
    tables, for a power factor rounded half-up to 0.01.

    >>> power_factor_adjustment(power_factor="0.96", standard="0.90")
    Decimal('-0.75')
    >>> power_factor_adjustment(power_factor="0.94", standard="0.85")
    Decimal('-1.10')
    >>> power_factor_adjustment(power_factor="0.55", standard="0.80")
    Decimal('15.00')
    >>> power_factor_adjustment(power_factor="1.2", standard="0.90")
    Traceback (most recent call last):
    gdsmodel.errors.InputError: power_factor='1.2': must not exceed 1 ...
    """
    h = to_hundredths(power_factor)
    return (data or power_factor_data()).table(standard).percent(h)


def _money(value: Any, name: str) -> Fraction:
    if isinstance(value, float):
        raise InputError(
            "money must not be a float", name=name, value=value, allowed="Decimal, int or str"
        )
    return exact(value, name=name)


def power_factor_fee(
    *,
    basic_charge: Any,
    energy_charge: Any,
    power_factor: Any,
    standard: Any,
    data: PowerFactorData | None = None,
) -> Decimal:
    """The adjustment fee in yuan: (basic charge + energy charge) × percentage, rounded half-up
    to the fen. Government levies take no part. Negative = reduction.

    Charges are money (Decimal, int or numeric text; floats are refused), >= 0.

    >>> power_factor_fee(basic_charge=0, energy_charge=Decimal("8765.43"),
    ...                  power_factor="0.95", standard="0.90")
    Decimal('-65.74')
    >>> power_factor_fee(basic_charge=1.5, energy_charge=0, power_factor=1, standard="0.9")
    Traceback (most recent call last):
    gdsmodel.errors.InputError: basic_charge=1.5: money must not be a float ...
    """
    base = _money(basic_charge, "basic_charge") + _money(energy_charge, "energy_charge")
    pct = power_factor_adjustment(power_factor=power_factor, standard=standard, data=data)
    return round_half_up(base * Fraction(pct) / 100, 2)


def _flag(value: object, name: str, why: str) -> bool:
    if value is None:
        raise InputError(f"must be given: {why}", name=name, value=None, allowed="True or False")
    if not isinstance(value, bool):
        raise InputError("must be True or False", name=name, value=value, allowed="bool")
    return value


def standard_for_customer(
    *,
    category: CustomerCategory | str,
    capacity_kva: Any,
    high_voltage: bool | None = None,
    on_load_tap_changer: bool = False,
    large_industry_managed_by_utility: bool | None = None,
    data: PowerFactorData | None = None,
) -> PowerFactorStandard | None:
    """The standard value of a customer by the 1983 rule, or None when no standard applies.

    * below 100 kVA (kW) no standard applies, whatever the equipment;
    * 0.90: high-voltage supplied industrial customers above 160 kVA; high-voltage supplied
      power customers with on-load tap changers; high-voltage supplied irrigation stations
      of 3200 kVA and more;
    * 0.85: other industrial, non-industrial and irrigation customers of 100 kVA (kW) and
      more, and wholesale (趸售) customers whose large-industrial users are not managed
      directly by the utility;
    * 0.80: agricultural customers, and the other wholesale customers, of 100 kVA and more.

    ``high_voltage`` must be given where the supply voltage decides (an on-load tap changer,
    an industrial customer above 160 kVA, an irrigation station of 3200 kVA and more), and
    ``large_industry_managed_by_utility`` for a wholesale customer: no silent default.

    >>> standard_for_customer(category="industrial", capacity_kva=315, high_voltage=True)
    <PowerFactorStandard.PF_0_90: '0.90'>
    >>> standard_for_customer(category="industrial", capacity_kva=160)
    <PowerFactorStandard.PF_0_85: '0.85'>
    >>> standard_for_customer(category="non_industrial", capacity_kva=200,
    ...                       on_load_tap_changer=True, high_voltage=False)
    <PowerFactorStandard.PF_0_85: '0.85'>
    >>> standard_for_customer(category="wholesale", capacity_kva=5000,
    ...                       large_industry_managed_by_utility=False)
    <PowerFactorStandard.PF_0_85: '0.85'>
    >>> standard_for_customer(category="non_industrial", capacity_kva=80) is None
    True
    >>> standard_for_customer(category="industrial", capacity_kva=315)
    Traceback (most recent call last):
    gdsmodel.errors.InputError: high_voltage=None: must be given: ...
    """
    try:
        cat = CustomerCategory(category)
    except ValueError:
        raise InputError(
            "unknown customer category",
            name="category",
            value=category,
            allowed=", ".join(c.value for c in CustomerCategory),
        ) from None
    kva = exact(capacity_kva, name="capacity_kva")
    if not isinstance(on_load_tap_changer, bool):
        raise InputError(
            "must be True or False", name="on_load_tap_changer", value=on_load_tap_changer,
            allowed="bool",
        )  # fmt: skip
    rule = (data or power_factor_data()).rule
    if kva < Fraction(rule.assessed_min_kva):
        return None
    hv_decides = (
        on_load_tap_changer
        or (cat is CustomerCategory.INDUSTRIAL and kva > Fraction(rule.hv_industrial_above_kva))
        or (cat is CustomerCategory.IRRIGATION and kva >= Fraction(rule.hv_irrigation_min_kva))
    )
    if hv_decides and _flag(
        high_voltage,
        "high_voltage",
        "the supply voltage decides the standard of this customer",
    ):
        return PowerFactorStandard.PF_0_90
    if cat is CustomerCategory.WHOLESALE:
        managed = _flag(
            large_industry_managed_by_utility,
            "large_industry_managed_by_utility",
            "a wholesale customer takes 0.85 when its large-industrial users are not managed "
            "directly by the utility, else 0.80",
        )
        return PowerFactorStandard.PF_0_80 if managed else PowerFactorStandard.PF_0_85
    if cat is CustomerCategory.AGRICULTURAL:
        return PowerFactorStandard.PF_0_80
    return PowerFactorStandard.PF_0_85
