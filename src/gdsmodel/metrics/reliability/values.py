"""An index value: exact, with its unit, or undefined with the reason."""

from __future__ import annotations

from fractions import Fraction

import attrs

from gdsmodel.metrics.ratio import UndefinedRatioError, round_half_up

# --------------------------------------------------------------------------- values


@attrs.frozen(slots=True)
class IndexValue:
    """An exact index value with its unit, or *undefined* with the reason (never 0, never NaN).

    >>> IndexValue(Fraction(5, 4), "h/customer").format(2)
    '1.25 h/customer'
    >>> v = IndexValue(None, "min", "no customers served")
    >>> v.defined, str(v)
    (False, 'undefined (no customers served)')
    """

    value: Fraction | None
    unit: str
    reason: str = ""

    @property
    def defined(self) -> bool:
        """False when the index is undefined."""
        return self.value is not None

    def require(self) -> Fraction:
        """The exact value; raises :class:`UndefinedRatioError` when undefined."""
        if self.value is None:
            raise UndefinedRatioError(f"the index is undefined: {self.reason}")
        return self.value

    def __float__(self) -> float:
        return float(self.require())

    def format(self, places: int = 2) -> str:
        """The value rounded half-up with its unit, or ``undefined (reason)``."""
        if self.value is None:
            return f"undefined ({self.reason})"
        return f"{round_half_up(self.value, places)} {self.unit}"

    def __str__(self) -> str:
        return self.format(2)
