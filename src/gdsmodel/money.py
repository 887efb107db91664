"""Money: Decimal yuan, rounded half-up to the fen (0.01).

>>> yuan("12.345")
Decimal('12.35')
>>> yuan(Decimal("-0.005"))
Decimal('-0.01')
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from gdsmodel.errors import InputError

__all__ = ["FEN", "yuan"]

FEN = Decimal("0.01")


def yuan(amount: Decimal | int | str | Fraction, *, name: str = "amount") -> Decimal:
    """An amount of money in yuan, rounded half-up to the fen. Floats are refused."""
    if isinstance(amount, float | bool):
        raise InputError(
            "money must not be a float", name=name, value=amount, allowed="Decimal, int or str"
        )
    try:
        if isinstance(amount, Fraction):
            d = Decimal(amount.numerator) / Decimal(amount.denominator)
        else:
            d = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise InputError(
            "is not an amount", name=name, value=amount, allowed="a decimal number"
        ) from None
    if not d.is_finite():
        raise InputError("must be finite", name=name, value=amount, allowed="a finite decimal")
    return d.quantize(FEN, rounding=ROUND_HALF_UP)
