"""Money: Decimal yuan, rounded half-up to the fen (0.01).

>>> yuan("12.345")
Decimal('12.35')
>>> yuan(Decimal("-0.005"))
Decimal('-0.01')
>>> yuan("1e26")
Traceback (most recent call last):
gdsmodel.errors.LimitError: amount='1e26': is too large for an amount of money \
(allowed: less than 10^24 yuan)
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from gdsmodel.errors import InputError, LimitError
from gdsmodel.limits import MAX_MONEY_DIGITS

__all__ = ["FEN", "yuan"]

FEN = Decimal("0.01")
_MAX = 10**MAX_MONEY_DIGITS


def yuan(amount: Decimal | int | str | Fraction, *, name: str = "amount") -> Decimal:
    """An amount of money in yuan, rounded half-up to the fen. Floats are refused.

    Amounts of 10^24 yuan or more are a :class:`~gdsmodel.errors.LimitError` (Decimal's 28
    digits could not keep their fen), and so is text longer than 100 characters.
    """
    if isinstance(amount, float | bool):
        raise InputError(
            "money must not be a float", name=name, value=amount, allowed="Decimal, int or str"
        )
    if isinstance(amount, str) and len(amount) > 100:
        raise LimitError(
            "is too long for an amount", name=name, value=amount, allowed="at most 100 characters"
        )
    if isinstance(amount, int | Fraction) and not -_MAX < amount < _MAX:
        raise _too_large(amount, name)
    try:
        if isinstance(amount, Fraction):
            d = Decimal(amount.numerator) / Decimal(amount.denominator)
        else:
            d = Decimal(amount.strip() if isinstance(amount, str) else amount)
    except (InvalidOperation, TypeError, ValueError):
        raise InputError(
            "is not an amount", name=name, value=amount, allowed="a decimal number"
        ) from None
    if not d.is_finite():
        raise InputError("must be finite", name=name, value=amount, allowed="a finite decimal")
    if d and d.adjusted() >= MAX_MONEY_DIGITS:
        raise _too_large(amount, name)
    rounded = d.quantize(FEN, rounding=ROUND_HALF_UP)
    if rounded and rounded.adjusted() >= MAX_MONEY_DIGITS:  # 10^24 - 0.001 rounds up to 10^24
        raise _too_large(amount, name)
    return rounded


def _too_large(amount: object, name: str) -> LimitError:
    return LimitError(
        "is too large for an amount of money",
        name=name,
        value=amount,
        allowed=f"less than 10^{MAX_MONEY_DIGITS} yuan",
    )
