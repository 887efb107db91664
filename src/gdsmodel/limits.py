"""Size limits of input: how deep, how many digits, how large (values floor).

Every parser of gdsmodel stops at these limits with a typed error that names what was too
large, where, and the limit (:class:`~gdsmodel.errors.LimitError` for values,
:class:`~gdsmodel.errors.DataFileError` for files), instead of hanging, crashing in
Python's own limits (4,300-digit integers, the recursion limit) or printing a figure no
formatter can show. The limits are far beyond any real figure of a supply station.

>>> MAX_DEPTH, MAX_DIGITS, MAX_MONEY_DIGITS
(64, 64, 24)
>>> check_digits(10**70, name="supplied_kwh")
Traceback (most recent call last):
gdsmodel.errors.LimitError: supplied_kwh=<an integer of 71 digits>: is too large \
(allowed: a number below 10^64)
"""

from __future__ import annotations

from fractions import Fraction
from typing import Final

from gdsmodel.errors import LimitError

__all__ = ["MAX_DEPTH", "MAX_DIGITS", "MAX_MONEY_DIGITS", "check_digits"]

MAX_DEPTH: Final = 64
"""The deepest nesting of tables and lists a data file (TOML, JSON, YAML) may have."""

MAX_DIGITS: Final = 64
"""A quantity is below 10^64 and has at most 64 digits after the point."""

MAX_MONEY_DIGITS: Final = 24
"""An amount of money is below 10^24 yuan (so that it keeps its fen in Decimal's 28 digits)."""

_LIMIT: Final = 10**MAX_DIGITS


def check_digits(value: int | Fraction, *, name: str, shown: object = None) -> None:
    """Raise :class:`~gdsmodel.errors.LimitError` unless ``|value| < 10^64`` with at most
    64 digits after the point (an exact fraction's denominator below 10^64). ``shown`` is
    the value as the caller received it, for the message (default: ``value``).

    >>> check_digits(Fraction(1, 3), name="x")
    >>> check_digits(Fraction(1, 10**80), name="x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    gdsmodel.errors.LimitError: x=...: has more than 64 digits after the point ...
    """
    show = value if shown is None else shown
    if isinstance(value, Fraction):
        if abs(value.numerator) >= _LIMIT * value.denominator:
            raise LimitError(
                "is too large", name=name, value=show, allowed=f"a number below 10^{MAX_DIGITS}"
            )
        if value.denominator >= _LIMIT:
            raise LimitError(
                f"has more than {MAX_DIGITS} digits after the point",
                name=name,
                value=show,
                allowed=f"at most {MAX_DIGITS} decimals",
            )
        return
    if abs(value) >= _LIMIT:
        raise LimitError(
            "is too large", name=name, value=show, allowed=f"a number below 10^{MAX_DIGITS}"
        )
