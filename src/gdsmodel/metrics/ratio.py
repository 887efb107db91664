"""Exact, additive ratios and the targets they are judged against.

A KPI such as the line-loss rate or the collection rate is a **ratio of sums**. A
:class:`Ratio` keeps its numerator and denominator exactly (as fractions); adding two
ratios sums both, so aggregating over lines, areas or months never averages rates.
An empty denominator gives an *undefined* ratio that says so: never 0, never NaN.

>>> a = Ratio(95, 100)
>>> b = Ratio(1, 10)
>>> (a + b).percent          # (95 + 1) / (100 + 10), not the mean of 95% and 10%
Fraction(960, 11)
>>> float(a + b)
0.8727272727272727
>>> sum([a, b]) == a + b
True
>>> Ratio(0, 0).defined
False
>>> str(Ratio(0, 0))
'undefined (0/0)'
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from numbers import Rational
from typing import Any, Protocol, SupportsFloat, SupportsIndex, runtime_checkable

import attrs

from gdsmodel import _show
from gdsmodel.errors import GdsmodelError, InputError, LimitError
from gdsmodel.limits import MAX_DIGITS, check_digits
from gdsmodel.sources import Confidence, Source

__all__ = [
    "Direction",
    "KpiResult",
    "NumberLike",
    "Ratio",
    "ScalarResult",
    "Target",
    "UndefinedRatioError",
    "Verdict",
    "VerdictStatus",
    "exact",
    "round_half_up",
]

Number = int | float | Decimal | Fraction | str
NumberLike = int | float | Decimal | Fraction | str | SupportsIndex | SupportsFloat
"""What the KPI functions take as a quantity: a number, numeric text, or a numpy scalar."""


class UndefinedRatioError(GdsmodelError, ArithmeticError):
    """A value was asked of a ratio whose denominator is zero."""


def exact(value: object, *, name: str = "value", nonnegative: bool = True) -> Fraction:
    """Convert a number to an exact Fraction, rejecting NaN, infinities and (by default) negatives.

    Floats are taken at their shortest decimal representation (``0.1`` is ``1/10``).

    >>> exact(0.1), exact("2.5"), exact(Decimal("1.25"))
    (Fraction(1, 10), Fraction(5, 2), Fraction(5, 4))
    >>> exact(-1, name="sold_kwh")
    Traceback (most recent call last):
    gdsmodel.errors.InputError: sold_kwh=-1: must not be negative (allowed: a finite number >= 0)
    """
    allowed = "a finite number >= 0" if nonnegative else "a finite number"
    if isinstance(value, bool):
        raise InputError("must be a number, not a bool", name=name, value=value, allowed=allowed)
    try:
        if isinstance(value, Fraction):
            f = value
        elif isinstance(value, int):
            check_digits(value, name=name)
            f = Fraction(value)
        elif isinstance(value, Rational):  # numpy integers too: plain Python ints inside
            f = Fraction(int(value.numerator), int(value.denominator))
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise InputError("must be finite", name=name, value=value, allowed=allowed)
            f = Fraction(float.__repr__(value))  # numpy floats too
        elif isinstance(value, Decimal | str):
            f = _from_decimal(value, name=name, allowed=allowed)
        else:
            # numpy scalars and other numbers: go through their float or int value
            if isinstance(value, SupportsIndex) and hasattr(value, "dtype"):
                f = Fraction(int(value))  # numpy integers
            elif isinstance(value, SupportsFloat):
                return exact(float(value), name=name, nonnegative=nonnegative)
            else:
                raise TypeError(type(value).__name__)
    except (ValueError, TypeError, ZeroDivisionError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError("is not a number", name=name, value=value, allowed=allowed) from None
    check_digits(f, name=name, shown=value)
    if nonnegative and f < 0:
        raise InputError("must not be negative", name=name, value=value, allowed=allowed)
    return f


def _from_decimal(value: Decimal | str, *, name: str, allowed: str) -> Fraction:
    """Decimal or numeric text as a Fraction, with its size checked *before* the exponent is
    expanded (``"1e9999999"`` would otherwise build a ten-million-digit integer)."""
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 4 * MAX_DIGITS:
            raise LimitError(
                "is too long for a number",
                name=name,
                value=value,
                allowed=f"at most {4 * MAX_DIGITS} characters",
            )
        if "/" in text:  # a fraction such as "1/3"
            return Fraction(text)
        try:
            d = Decimal(text.replace("_", ""))
        except InvalidOperation:
            raise InputError("is not a number", name=name, value=value, allowed=allowed) from None
    else:
        d = value
    if not d.is_finite():
        raise InputError("must be finite", name=name, value=value, allowed=allowed)
    if d and not -MAX_DIGITS <= d.adjusted() < MAX_DIGITS:
        raise LimitError(
            "is out of range",
            name=name,
            value=value,
            allowed=f"a number below 10^{MAX_DIGITS}, with at most {MAX_DIGITS} decimals",
        )
    exponent = d.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DIGITS:
        d = d.normalize()  # trailing zeros do not count as decimals
    return Fraction(d)


def round_half_up(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    """Round half-up (not banker's rounding) to ``places`` decimals, exactly.

    >>> round_half_up(Fraction(1, 8), 2), round_half_up(Fraction(-1, 8), 2)
    (Decimal('0.13'), Decimal('-0.13'))
    """
    q = Decimal(1).scaleb(-places)
    if isinstance(value, Fraction):
        # exact: scale, round the rational, then rescale
        scaled = value * 10**places
        sign = -1 if scaled < 0 else 1
        n = (abs(scaled) + Fraction(1, 2)).__floor__()
        return (Decimal(sign * n) / Decimal(10**places)).quantize(q)
    return Decimal(value).quantize(q, rounding=ROUND_HALF_UP)


def _frac(value: Any) -> Fraction:
    return exact(value, name="ratio term", nonnegative=False)


@attrs.frozen(slots=True)
class Ratio:
    """An exact ratio ``numerator / denominator`` that merges by summing both parts.

    The denominator must not be negative; the numerator may be (a line-loss rate is
    negative when more energy is sold than supplied). Formulas that forbid such values
    check their own inputs.

    >>> r = Ratio(3, 200)
    >>> r.value, r.percent, float(r)
    (Fraction(3, 200), Fraction(3, 2), 0.015)
    >>> r.format(2)
    '1.50%'
    >>> float(Ratio(5, 0))
    Traceback (most recent call last):
    gdsmodel.metrics.ratio.UndefinedRatioError: the ratio 5/0 is undefined: its denominator is 0
    """

    numerator: Fraction = attrs.field(converter=_frac)
    denominator: Fraction = attrs.field(converter=_frac)

    def _repr_html_(self) -> str:
        return _show.ratio_html(self)

    def __attrs_post_init__(self) -> None:
        if self.denominator < 0:
            raise InputError(
                "a ratio's denominator must not be negative",
                name="denominator",
                value=self.denominator,
                allowed="a finite number >= 0",
            )

    @property
    def defined(self) -> bool:
        """False when the denominator is zero."""
        return self.denominator != 0

    @property
    def ratio(self) -> Ratio:
        """The ratio itself, so that every KPI result has ``.ratio`` (see :class:`KpiResult`).

        >>> r = Ratio(1, 4)
        >>> r.ratio is r
        True
        """
        return self

    @property
    def value(self) -> Fraction | None:
        """The exact ratio, or None when undefined."""
        return self.numerator / self.denominator if self.denominator else None

    @property
    def percent(self) -> Fraction | None:
        """The exact ratio in percent, or None when undefined."""
        v = self.value
        return None if v is None else v * 100

    def require(self) -> Fraction:
        """The exact value; raises :class:`UndefinedRatioError` when undefined."""
        if not self.denominator:
            raise UndefinedRatioError(
                f"the ratio {self.numerator}/{self.denominator} is undefined: its denominator is 0"
            )
        return self.numerator / self.denominator

    def __float__(self) -> float:
        return float(self.require())

    def complement(self) -> Ratio:
        """``1 - r`` over the same denominator, still additive.

        >>> Ratio(4, 100).complement()
        Ratio(numerator=Fraction(96, 1), denominator=Fraction(100, 1))
        """
        return Ratio(self.denominator - self.numerator, self.denominator)

    def __add__(self, other: object) -> Ratio:
        if isinstance(other, Ratio):
            return Ratio(self.numerator + other.numerator, self.denominator + other.denominator)
        if other == 0:  # lets sum() start from 0
            return self
        return NotImplemented

    __radd__ = __add__

    @classmethod
    def merge(cls, ratios: Iterable[Ratio]) -> Ratio:
        """Merge ratios by summing numerators and denominators (empty -> 0/0).

        >>> Ratio.merge([Ratio(1, 2), Ratio(3, 4)])
        Ratio(numerator=Fraction(4, 1), denominator=Fraction(6, 1))
        """
        num = Fraction(0)
        den = Fraction(0)
        for r in ratios:
            num += r.numerator
            den += r.denominator
        return cls(num, den)

    def format(self, places: int = 2) -> str:
        """The ratio as a percentage rounded half-up, or ``undefined (n/0)``."""
        p = self.percent
        if p is None:
            return str(self)
        return f"{round_half_up(p, places)}%"

    def __str__(self) -> str:
        p = self.percent
        if p is None:
            return f"undefined ({self.numerator}/{self.denominator})"
        return f"{round_half_up(p, 2)}%"


class Direction(enum.StrEnum):
    """Whether a higher or a lower value of a KPI is better."""

    HIGHER = "higher"
    LOWER = "lower"


def _direction(value: Direction | str) -> Direction:
    """A direction given as the enum or its text (``"higher"``, ``"lower"``); anything else
    is refused, never read as the other direction."""
    if isinstance(value, Direction):
        return value
    try:
        return Direction(value)
    except ValueError:
        allowed = ", ".join(d.value for d in Direction)
        raise InputError(
            "is not a direction", name="direction", value=value, allowed=allowed
        ) from None


class VerdictStatus(enum.StrEnum):
    """The outcome of judging a ratio against a target."""

    MET = "met"
    MISSED = "missed"
    UNDEFINED = "undefined"


@attrs.frozen(slots=True)
class Verdict:
    """A ratio judged against a target: met, missed by ``gap``, or undefined.

    ``gap`` is how far the value falls short of the threshold, in the target's form: a
    fraction of one for a target in percent (0.001 = 0.1 percentage points), else in
    ``unit`` (minutes per customer...); 0 when met; None when undefined.

    >>> str(Verdict(VerdictStatus.MISSED, Fraction(3, 2000)))
    'missed by 0.15 pp'
    >>> str(Verdict(VerdictStatus.MISSED, Fraction(25, 2), unit="min/customer"))
    'missed by 12.50 min/customer'
    """

    status: VerdictStatus
    gap: Fraction | None = None
    unit: str = attrs.field(default="%", kw_only=True)

    @property
    def met(self) -> bool:
        """True only when the target is met."""
        return self.status is VerdictStatus.MET

    def __str__(self) -> str:
        if self.status is VerdictStatus.MISSED and self.gap is not None:
            if self.unit == "%":
                return f"missed by {round_half_up(self.gap * 100, 2)} pp"
            unit = f" {self.unit}" if self.unit else ""
            return f"missed by {round_half_up(self.gap, 2)}{unit}"
        return str(self.status)


@attrs.frozen(slots=True, kw_only=True)
class Target:
    """A threshold with a direction, e.g. RS-3 >= 99.6 % or line loss <= 7 %.

    ``threshold`` is a fraction of one (0.996 for 99.6 %) when ``unit`` is ``"%"``, else a
    value in ``unit``. ``source`` and ``confidence`` say where the target comes from and how
    well it is supported (see :mod:`gdsmodel.sources`).

    >>> t = Target.percent("99.6", Direction.HIGHER)
    >>> t.verdict(Ratio(9970, 10000)).met
    True
    >>> str(t.verdict(Ratio(9950, 10000)))
    'missed by 0.10 pp'
    >>> t.verdict(Ratio(0, 0)).status
    <VerdictStatus.UNDEFINED: 'undefined'>

    The direction may be given as its text; any other text is refused:

    >>> Target.percent(7, "lower").direction
    <Direction.LOWER: 'lower'>
    >>> Target.percent(7, "up")
    Traceback (most recent call last):
    gdsmodel.errors.InputError: direction='up': is not a direction (allowed: higher, lower)
    """

    threshold: Fraction = attrs.field(converter=_frac)
    direction: Direction = attrs.field(converter=_direction)
    unit: str = "%"
    source: Source | None = None
    confidence: Confidence | None = None

    @classmethod
    def percent(
        cls, value: Number, direction: Direction | str, *, source: Source | None = None
    ) -> Target:
        """A target given in percent."""
        return cls(threshold=_frac(value) / 100, direction=direction, source=source)

    def verdict(self, ratio: Ratio | Fraction | None) -> Verdict:
        """Judge a ratio (or an exact value) against this target."""
        value = ratio.value if isinstance(ratio, Ratio) else ratio
        if value is None:
            return Verdict(VerdictStatus.UNDEFINED, unit=self.unit)
        if self.direction is Direction.HIGHER:
            gap = self.threshold - value
        else:
            gap = value - self.threshold
        if gap <= 0:
            return Verdict(VerdictStatus.MET, Fraction(0), unit=self.unit)
        return Verdict(VerdictStatus.MISSED, gap, unit=self.unit)

    def __str__(self) -> str:
        sign = ">=" if self.direction is Direction.HIGHER else "<="
        if self.unit == "%":
            return f"{sign} {round_half_up(self.threshold * 100, 2).normalize():f}%"
        return f"{sign} {self.threshold} {self.unit}"


def _short_target(target: Target | None) -> str:
    return "None" if target is None else repr(str(target))


@attrs.frozen(slots=True, eq=False, repr=False)
class KpiResult(Ratio):
    """The result of a scalar KPI function: an exact :class:`Ratio` that knows its metric and,
    when a target was given, its verdict.

    It is a ``Ratio`` (it adds, merges and compares like one: ``KpiResult(1, 2) ==
    Ratio(1, 2)``), so ``float()``, ``.value`` and ``.format()`` work; ``.ratio`` is the plain
    ratio, ``.metric`` the registry ID, ``.target`` the target judged against and
    ``.verdict`` the verdict (None without a target). ``anomaly`` is True for a negative
    numerator of a signed metric (a negative line loss). Adding two results gives a plain
    ``Ratio`` (the target of a merged scope is the caller's to choose).

    ``unit`` is the metric's unit (``MetricDefinition.unit``) and drives the display as it
    does for the definition: a rate (``"%"``) shows as a percentage, another unit as the
    value with its unit, and ``.percent`` is None for it (minutes per customer are not a
    percentage).

    >>> r = KpiResult(1996, 2000, metric="meter_reading_rate",
    ...               target=Target.percent(100, Direction.HIGHER))
    >>> float(r), r.percent, r.format(), str(r.verdict)
    (0.998, Fraction(499, 5), '99.80%', 'missed by 0.20 pp')
    >>> r
    KpiResult('meter_reading_rate', 1996/2000 = 99.80%, target='>= 100%', verdict=missed by 0.20 pp)
    >>> r == Ratio(1996, 2000), r.ratio
    (True, Ratio(numerator=Fraction(1996, 1), denominator=Fraction(2000, 1)))
    >>> saidi = KpiResult(90_000, 1000, metric="saidi", unit="min/customer")
    >>> saidi.format(), saidi.percent, float(saidi)
    ('90.00 min/customer', None, 90.0)
    """

    metric: str = attrs.field(default="", kw_only=True)
    target: Target | None = attrs.field(default=None, kw_only=True)
    anomaly: bool = attrs.field(default=False, kw_only=True)
    unit: str = attrs.field(default="%", kw_only=True)

    @property
    def ratio(self) -> Ratio:
        """The plain exact ratio."""
        return Ratio(self.numerator, self.denominator)

    @property
    def percent(self) -> Fraction | None:
        """The value in percent for a rate (``unit`` ``"%"``); None when undefined or when
        the metric is not in percent."""
        v = self.value
        return None if v is None or self.unit != "%" else v * 100

    @property
    def verdict(self) -> Verdict | None:
        """The verdict against :attr:`target`, or None when no target was given."""
        return None if self.target is None else self.target.verdict(self)

    def format(self, places: int = 2) -> str:
        """The value rounded half-up in the metric's unit (``"98.50%"``, ``"3.70 h/customer"``),
        or ``undefined (n/0)``."""
        v = self.value
        if v is None:
            return f"undefined ({self.numerator}/{self.denominator})"
        if self.unit == "%":
            return f"{round_half_up(v * 100, places)}%"
        unit = f" {self.unit}" if self.unit else ""
        return f"{round_half_up(v, places)}{unit}"

    def __str__(self) -> str:
        return self.format(2)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Ratio):
            return (self.numerator, self.denominator) == (other.numerator, other.denominator)
        return NotImplemented

    def __hash__(self) -> int:
        return Ratio.__hash__(self)

    def __repr__(self) -> str:
        shown = "undefined" if self.value is None else self.format(2)
        num, den = self.numerator, self.denominator
        head = f"{self.metric!r}, " if self.metric else ""
        tail = (
            f", target={_short_target(self.target)}, verdict={self.verdict}" if self.target else ""
        )
        flag = ", anomaly" if self.anomaly else ""
        return f"KpiResult({head}{num}/{den} = {shown}{tail}{flag})"


@runtime_checkable
class ScalarResult(Protocol):
    """The one shape of what every scalar KPI function returns.

    A :class:`KpiResult` (a ratio of sums), a reliability
    :class:`~gdsmodel.metrics.reliability.IndexValue` (SAIDI, SAIFI...) and a
    :class:`~gdsmodel.metrics.voltage.ComprehensiveVoltage` (a weighted mean) all have it:
    ``float()`` (raising :class:`UndefinedRatioError` when undefined), ``.value`` (exact, or
    None), ``.percent`` (the value in percent for a figure in percent, None otherwise or when
    undefined), ``.format()`` in the figure's ``unit``, ``.metric``, and ``.target`` with its
    ``.verdict`` when a target was given.

    >>> isinstance(KpiResult(1, 2), ScalarResult), isinstance(Ratio(1, 2), ScalarResult)
    (True, False)
    """

    @property
    def metric(self) -> str:
        """The registry ID of the figure."""
        ...  # pragma: no cover

    @property
    def unit(self) -> str:
        """The unit of the figure (``"%"`` for a rate)."""
        ...  # pragma: no cover

    @property
    def value(self) -> Fraction | None:
        """The exact value, or None when undefined."""
        ...  # pragma: no cover

    @property
    def defined(self) -> bool:
        """False when the figure is undefined."""
        ...  # pragma: no cover

    @property
    def percent(self) -> Fraction | None:
        """The value in percent (None for a figure not in percent, or undefined)."""
        ...  # pragma: no cover

    @property
    def target(self) -> Target | None:
        """The target the figure was judged against, if one was given."""
        ...  # pragma: no cover

    @property
    def verdict(self) -> Verdict | None:
        """The verdict against :attr:`target` (None without a target)."""
        ...  # pragma: no cover

    @property
    def anomaly(self) -> bool:
        """True when the value is computed but suspect (a negative line loss)."""
        ...  # pragma: no cover

    def format(self, places: int = 2) -> str:
        """The value for display, rounded half-up, in the figure's unit."""
        ...  # pragma: no cover

    def __float__(self) -> float:
        """The value as a float."""
        ...  # pragma: no cover
