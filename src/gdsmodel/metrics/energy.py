"""Energy figures: line loss (whole, split, technical vs management), average price and the
energy supplied.

Line loss is a ratio of sums: split it by voltage level, line or transformer area
(分压、分线、分台区) with :func:`line_loss_by`, which sums energies per key and divides at the
end. A negative loss (more sold than supplied) is computed and flagged, never rejected:

>>> loss = line_loss_rate(supplied_kwh=120_000, sold_kwh=111_000)
>>> loss.ratio.format(), loss.anomaly
('7.50%', False)
>>> line_loss_rate(supplied_kwh=1000, sold_kwh=1020).anomaly
True
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar, overload

import attrs

from gdsmodel.errors import InputError
from gdsmodel.metrics.definitions import _key_function, field_getter
from gdsmodel.metrics.ratio import (
    NumberLike,
    Ratio,
    Target,
    UndefinedRatioError,
    Verdict,
    exact,
    round_half_up,
)

__all__ = [
    "LineLoss",
    "LossBreakdown",
    "average_price",
    "line_loss_by",
    "line_loss_rate",
    "loss_breakdown",
    "supplied_energy",
]

K = TypeVar("K", bound=Hashable)
R = TypeVar("R")


def _plain(value: Fraction) -> int | Fraction:
    return value.numerator if value.denominator == 1 else value


def _supplied_kwh(value: Any) -> Fraction:
    return exact(value, name="supplied_kwh")


def _sold_kwh(value: Any) -> Fraction:
    return exact(value, name="sold_kwh")


def _technical_loss_kwh(value: Any) -> Fraction:
    return exact(value, name="technical_loss_kwh")


@attrs.frozen(slots=True)
class LineLoss:
    """Energy supplied and sold over some scope, with the line-loss rate and an anomaly flag.

    Additive: ``a + b`` sums both energies (``sum()`` works too). ``anomaly`` is True when
    more is sold than supplied (readings not taken on the same day, 抄表不同期, or a wrong
    meter); the rate is then negative and still returned.

    >>> a = LineLoss(1000, 950)
    >>> b = LineLoss(500, 510)
    >>> b.anomaly, (a + b).anomaly, (a + b).ratio.format()
    (True, False, '2.67%')
    >>> LineLoss(0, 0).ratio.defined
    False
    """

    supplied_kwh: Fraction = attrs.field(converter=_supplied_kwh)
    sold_kwh: Fraction = attrs.field(converter=_sold_kwh)
    target: Target | None = attrs.field(default=None, kw_only=True, eq=False)
    """The target judged against (see :attr:`verdict`); not part of equality."""

    @property
    def loss_kwh(self) -> Fraction:
        """Energy lost, ``supplied - sold`` (negative when sold exceeds supplied)."""
        return self.supplied_kwh - self.sold_kwh

    @property
    def ratio(self) -> Ratio:
        """The line-loss rate as an additive :class:`~gdsmodel.metrics.ratio.Ratio`."""
        return Ratio(self.loss_kwh, self.supplied_kwh)

    @property
    def anomaly(self) -> bool:
        """True when more energy is sold than supplied (negative loss)."""
        return self.sold_kwh > self.supplied_kwh

    @property
    def value(self) -> Fraction | None:
        """The exact rate as a fraction of one, or None when nothing was supplied."""
        return self.ratio.value

    @property
    def percent(self) -> Fraction | None:
        """The exact rate in percent, or None when nothing was supplied."""
        return self.ratio.percent

    @property
    def defined(self) -> bool:
        """False when nothing was supplied (the rate is undefined)."""
        return self.supplied_kwh != 0

    @property
    def verdict(self) -> Verdict | None:
        """The verdict against :attr:`target`, or None when no target was given.

        A negative loss (an :attr:`anomaly`) is judged like any value: it "meets" a
        ceiling, so read :attr:`anomaly` before scoring it.
        """
        return None if self.target is None else self.target.verdict(self.ratio)

    def format(self, places: int = 2) -> str:
        """The rate in percent, rounded half-up, or ``undefined (n/0)``.

        >>> LineLoss(1000, 935).format(1)
        '6.5%'
        """
        return self.ratio.format(places)

    def __float__(self) -> float:
        return float(self.ratio)

    def __add__(self, other: object) -> LineLoss:
        if isinstance(other, LineLoss):
            return LineLoss(self.supplied_kwh + other.supplied_kwh, self.sold_kwh + other.sold_kwh)
        if other == 0:  # lets sum() start from 0
            return self
        return NotImplemented

    __radd__ = __add__

    def __str__(self) -> str:
        flag = " (anomaly: sold > supplied)" if self.anomaly else ""
        return f"{self.ratio}{flag}"


def line_loss_rate(
    *, supplied_kwh: NumberLike, sold_kwh: NumberLike, target: str | Target | None = None
) -> LineLoss:
    """The line-loss rate ``(supplied - sold) / supplied``, with an anomaly flag.

    Inputs are finite numbers >= 0 (kWh); anything else raises
    :class:`~gdsmodel.errors.InputError` naming the argument. ``target`` is a ``Target``
    or a target ID of ``line_loss_rate`` in the registry; the result then carries its
    verdict. The result converts with ``float()`` and has ``.ratio``, ``.value``,
    ``.percent`` and ``.format()`` like every scalar KPI result.

    >>> loss = line_loss_rate(supplied_kwh=200_000, sold_kwh=186_000)
    >>> loss.ratio.percent, float(loss), loss.format()
    (Fraction(7, 1), 0.07, '7.00%')
    >>> from gdsmodel.metrics.registry import metric
    >>> grade_a = metric("line_loss_rate_10kv").target_for("A")
    >>> str(line_loss_rate(supplied_kwh=200_000, sold_kwh=186_000, target=grade_a).verdict)
    'missed by 0.50 pp'
    >>> line_loss_rate(supplied_kwh=-1, sold_kwh=0)
    Traceback (most recent call last):
    gdsmodel.errors.InputError: supplied_kwh=-1: must not be negative ...
    """
    if isinstance(target, str):
        from gdsmodel.metrics.registry import metric

        target = metric("line_loss_rate").target_for(target)
    return LineLoss(supplied_kwh, sold_kwh, target=target)


@overload
def line_loss_by(
    records: Iterable[R],
    key: Callable[[R], K],
    *,
    supplied: str = ...,
    sold: str = ...,
) -> dict[K, LineLoss]: ...
@overload
def line_loss_by(
    records: Iterable[object],
    key: str,
    *,
    supplied: str = ...,
    sold: str = ...,
) -> dict[Hashable, LineLoss]: ...
def line_loss_by(
    records: Iterable[Any],
    key: str | Callable[[Any], Hashable],
    *,
    supplied: str = "supplied_kwh",
    sold: str = "sold_kwh",
) -> dict[Any, LineLoss]:
    """Line loss per key (voltage level, line, transformer area...), energies summed per key.

    ``records`` are mappings or objects holding the energies (field names ``supplied`` and
    ``sold``); ``key`` is a field name or a function of the record. Keys keep the order in
    which they are first seen. Check ``.anomaly`` of each value for negative losses.

    >>> rows = [
    ...     {"area": "T01", "supplied_kwh": 5000, "sold_kwh": 4600},
    ...     {"area": "T02", "supplied_kwh": 3000, "sold_kwh": 3050},
    ...     {"area": "T01", "supplied_kwh": 5000, "sold_kwh": 4500},
    ... ]
    >>> {k: (v.ratio.format(), v.anomaly) for k, v in line_loss_by(rows, "area").items()}
    {'T01': ('9.00%', False), 'T02': ('-1.67%', True)}
    """
    key_of = _key_function(key)
    out: dict[Any, LineLoss] = {}
    for record in records:
        get = field_getter(record)
        loss = LineLoss(_named(get, supplied, "supplied_kwh"), _named(get, sold, "sold_kwh"))
        k = key_of(record)
        out[k] = out[k] + loss if k in out else loss
    return out


def _named(get: Callable[[str], Any], field: str, name: str) -> Fraction:
    return exact(get(field), name=field if field != name else name)


@attrs.frozen(slots=True)
class LossBreakdown:
    """Measured loss split into technical (theoretical) and management loss.

    ``technical_loss_kwh`` is the theoretical loss from a loss calculation; the
    management loss is what remains of the measured loss. Additive like :class:`LineLoss`.
    ``anomaly`` is True when the measured loss is negative or below the technical loss.

    >>> b = LossBreakdown(100_000, 92_000, 5_000)
    >>> b.line_loss.format(), b.technical.format(), b.management.format()
    ('8.00%', '5.00%', '3.00%')
    """

    supplied_kwh: Fraction = attrs.field(converter=_supplied_kwh)
    sold_kwh: Fraction = attrs.field(converter=_sold_kwh)
    technical_loss_kwh: Fraction = attrs.field(converter=_technical_loss_kwh)

    def __attrs_post_init__(self) -> None:
        if self.technical_loss_kwh > self.supplied_kwh:
            raise InputError(
                f"exceeds the energy supplied ({self.supplied_kwh})",
                name="technical_loss_kwh",
                value=_plain(self.technical_loss_kwh),
                allowed="technical_loss_kwh <= supplied_kwh",
            )

    @property
    def line_loss(self) -> Ratio:
        """Measured line-loss rate ``(supplied - sold) / supplied``."""
        return Ratio(self.supplied_kwh - self.sold_kwh, self.supplied_kwh)

    @property
    def technical(self) -> Ratio:
        """Technical loss rate ``technical / supplied``."""
        return Ratio(self.technical_loss_kwh, self.supplied_kwh)

    @property
    def management(self) -> Ratio:
        """Management loss rate ``(supplied - sold - technical) / supplied`` (may be negative)."""
        return Ratio(self.supplied_kwh - self.sold_kwh - self.technical_loss_kwh, self.supplied_kwh)

    @property
    def management_loss_kwh(self) -> Fraction:
        """Management loss in kWh."""
        return self.supplied_kwh - self.sold_kwh - self.technical_loss_kwh

    @property
    def anomaly(self) -> bool:
        """True when the measured loss is negative or smaller than the technical loss."""
        return self.management_loss_kwh < 0

    def __add__(self, other: object) -> LossBreakdown:
        if isinstance(other, LossBreakdown):
            return LossBreakdown(
                self.supplied_kwh + other.supplied_kwh,
                self.sold_kwh + other.sold_kwh,
                self.technical_loss_kwh + other.technical_loss_kwh,
            )
        if other == 0:
            return self
        return NotImplemented

    __radd__ = __add__


def loss_breakdown(
    *, supplied_kwh: NumberLike, sold_kwh: NumberLike, technical_loss_kwh: NumberLike
) -> LossBreakdown:
    """Technical vs management loss where the theoretical (technical) loss is given.

    >>> b = loss_breakdown(supplied_kwh=50_000, sold_kwh=46_500, technical_loss_kwh=2_000)
    >>> b.management.format(), b.anomaly
    ('3.00%', False)
    >>> loss_breakdown(supplied_kwh=10, sold_kwh=0, technical_loss_kwh=11)
    Traceback (most recent call last):
    gdsmodel.errors.InputError: technical_loss_kwh=11: exceeds the energy supplied (10) ...
    """
    return LossBreakdown(supplied_kwh, sold_kwh, technical_loss_kwh)


def _money(value: Any, name: str) -> Fraction:
    if isinstance(value, float):
        raise InputError(
            "money must not be a float", name=name, value=value, allowed="Decimal, int or str"
        )
    return exact(value, name=name)


def average_price(
    *, revenue: Decimal | int | str, sold_kwh: NumberLike, places: int = 4
) -> Decimal:
    """Average price in yuan per kWh: revenue ÷ energy sold, rounded half-up to ``places``.

    ``revenue`` is money (Decimal, int or str; floats are refused); ``sold_kwh`` a finite
    number >= 0. No energy sold raises :class:`~gdsmodel.metrics.ratio.UndefinedRatioError`
    (the additive form is ``metric("average_price").ratio(...)``, which stays undefined).

    >>> average_price(revenue=Decimal("52830.00"), sold_kwh=100_000)
    Decimal('0.5283')
    >>> average_price(revenue="10", sold_kwh=0)
    Traceback (most recent call last):
    gdsmodel.metrics.ratio.UndefinedRatioError: average price is undefined: no energy sold ...
    """
    r = _money(revenue, "revenue")
    e = exact(sold_kwh, name="sold_kwh")
    if e == 0:
        raise UndefinedRatioError(
            f"average price is undefined: no energy sold (revenue {revenue} / 0 kWh)"
        )
    return round_half_up(r / e, places)


def supplied_energy(
    *,
    purchases: NumberLike,
    generation: NumberLike = 0,
    own_use: NumberLike = 0,
    sent_out: NumberLike = 0,
) -> Fraction:
    """Energy supplied (供电量) = generation + purchases − own use − energy sent out.

    ``own_use`` is the station's own use (厂用电) and ``sent_out`` the energy delivered to
    other supply areas. All in kWh, finite and >= 0; a negative result raises
    :class:`~gdsmodel.errors.InputError`.

    >>> supplied_energy(purchases=1_000_000, generation=20_000, own_use=500, sent_out=50_000)
    Fraction(969500, 1)
    >>> supplied_energy(purchases=10, sent_out=11)
    Traceback (most recent call last):
    gdsmodel.errors.InputError: own_use + sent_out=11: exceeds generation + purchases = 10 ...
    """
    g = exact(generation, name="generation")
    p = exact(purchases, name="purchases")
    u = exact(own_use, name="own_use")
    s = exact(sent_out, name="sent_out")
    if u + s > g + p:
        raise InputError(
            f"exceeds generation + purchases = {g + p}",
            name="own_use + sent_out",
            value=_plain(u + s),
            allowed="own_use + sent_out <= generation + purchases",
        )
    return g + p - u - s
