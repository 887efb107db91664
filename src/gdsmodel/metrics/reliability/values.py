"""An index value: exact, with its unit, or undefined with the reason."""

from __future__ import annotations

from fractions import Fraction

import attrs

from gdsmodel.metrics.ratio import Target, UndefinedRatioError, Verdict, round_half_up

# --------------------------------------------------------------------------- values


@attrs.frozen(slots=True)
class IndexValue:
    """An exact index value with its unit, or *undefined* with the reason (never 0, never NaN).

    It has the one shape of a scalar KPI result
    (:class:`~gdsmodel.metrics.ratio.ScalarResult`): ``float()``, ``.value``, ``.format()``
    in its unit, ``.metric`` (the registry ID, when a scalar function made it) and
    ``.verdict`` against the ``target`` it was given (None without one). An index per
    customer is not a percentage, so ``.percent`` is None unless ``unit`` is ``"%"``;
    ``metric`` and ``target`` take no part in equality (the value is the index).

    >>> IndexValue(Fraction(5, 4), "h/customer").format(2)
    '1.25 h/customer'
    >>> v = IndexValue(None, "min", "no customers served")
    >>> v.defined, str(v)
    (False, 'undefined (no customers served)')
    >>> from gdsmodel.metrics.ratio import Direction
    >>> saidi = IndexValue(Fraction(90), "min/customer", metric="saidi",
    ...                    target=Target(threshold=60, direction=Direction.LOWER,
    ...                                  unit="min/customer"))
    >>> float(saidi), saidi.percent, str(saidi.verdict)
    (90.0, None, 'missed by 30.00 min/customer')
    >>> saidi  # doctest: +ELLIPSIS
    IndexValue('saidi', 90.00 min/customer, target='<= 60 min/customer', verdict=missed by ...)
    >>> v
    IndexValue(undefined: no customers served)
    """

    value: Fraction | None
    unit: str
    reason: str = ""
    metric: str = attrs.field(default="", kw_only=True, eq=False)
    target: Target | None = attrs.field(default=None, kw_only=True, eq=False)

    @property
    def defined(self) -> bool:
        """False when the index is undefined."""
        return self.value is not None

    @property
    def percent(self) -> Fraction | None:
        """The value in percent for an index in percent; None for an index in another unit
        (minutes or interruptions per customer) or when undefined."""
        return None if self.value is None or self.unit != "%" else self.value * 100

    @property
    def verdict(self) -> Verdict | None:
        """The verdict against :attr:`target`, or None when no target was given."""
        return None if self.target is None else self.target.verdict(self.value)

    @property
    def anomaly(self) -> bool:
        """Always False: an index counted from outages is never negative."""
        return False

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

    def __repr__(self) -> str:
        head = f"{self.metric!r}, " if self.metric else ""
        shown = self.format(2) if self.defined else f"undefined: {self.reason}"
        tail = f", target={str(self.target)!r}, verdict={self.verdict}" if self.target else ""
        return f"IndexValue({head}{shown}{tail})"
