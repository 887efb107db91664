"""Voltage quality: the qualification rate of a monitoring point, the comprehensive A/B/C/D
rate, and limit checks of readings by voltage level (GB/T 12325).

A point's rate is ``1 - (minutes above the upper limit + minutes below the lower limit) /
minutes monitored``; points of one class merge by summing minutes. The comprehensive rate
weights the class rates; the weights are data (``data/voltage.toml``, confidence L).

>>> voltage_qualification_rate(above_upper_minutes=120, below_lower_minutes=312,
...                            monitored_minutes=43_200).format()
'99.00%'
>>> r = voltage_qualification_rate(above_upper_minutes=2000, below_lower_minutes=0,
...                                monitored_minutes=43_200, target="rural_residential")
>>> float(r) > 0.95, str(r.verdict)                       # against >= 96 %
(True, 'missed by 0.63 pp')
>>> lim = voltage_limits(nominal_v=220, phases=1)
>>> lim.lower_v, lim.upper_v
(Fraction(198, 1), Fraction(1177, 5))
>>> tally = assess_readings([230, 236, 197, 220], lim, interval_minutes=15)
>>> tally.above_upper_minutes, tally.below_lower_minutes, tally.ratio.format()
(Fraction(15, 1), Fraction(15, 1), '50.00%')
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import Any

import attrs

from gdsmodel import _show
from gdsmodel.datafiles import package_toml, read_toml
from gdsmodel.errors import DataFileError, InputError
from gdsmodel.metrics.additive import given_target
from gdsmodel.metrics.ratio import (
    KpiResult,
    NumberLike,
    Ratio,
    Target,
    UndefinedRatioError,
    Verdict,
    exact,
    round_half_up,
)
from gdsmodel.metrics.registry import metric
from gdsmodel.serialize import structure
from gdsmodel.sources import Confidence, Source
from gdsmodel.text import Text

__all__ = [
    "AbnormalLimit",
    "ComprehensiveVoltage",
    "MonitoringClass",
    "MonitoringClassInfo",
    "VoltageData",
    "VoltageLimitRule",
    "VoltageLimits",
    "VoltageMinutes",
    "VoltageStatus",
    "VoltageWeights",
    "assess_readings",
    "class_rates",
    "comprehensive_voltage_rate",
    "load_voltage_data",
    "voltage_data",
    "voltage_limits",
    "voltage_qualification_rate",
]


class MonitoringClass(enum.StrEnum):
    """Voltage monitoring point classes A to D (see ``data/voltage.toml``)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


class VoltageStatus(enum.StrEnum):
    """Where a reading lies relative to its limits."""

    WITHIN = "within"
    ABOVE = "above"
    BELOW = "below"


@attrs.frozen(slots=True, kw_only=True)
class MonitoringClassInfo:
    """What a monitoring class covers, with its source."""

    id: MonitoringClass
    name: Text
    description: Text
    confidence: Confidence
    source: Source

    def __repr__(self) -> str:
        return _show.short_repr(self)


@attrs.frozen(slots=True, kw_only=True)
class VoltageWeights:
    """Weights of the class rates in the comprehensive rate (they add up to 1)."""

    A: Fraction
    B: Fraction
    C: Fraction
    D: Fraction
    confidence: Confidence
    source: Source
    note: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def as_mapping(self) -> dict[MonitoringClass, Fraction]:
        """The weights by class."""
        return {c: getattr(self, c.value) for c in MonitoringClass}


@attrs.frozen(slots=True, kw_only=True)
class VoltageLimitRule:
    """A limit rule of GB/T 12325 for a range of nominal voltages and a number of phases.

    Either fixed ``upper``/``lower`` limits or a ``band`` (sum of the absolute limits), in
    percent of the nominal voltage.
    """

    id: str
    phases: int
    confidence: Confidence
    source: Source
    min_v: Decimal | None = None
    max_v: Decimal | None = None
    upper: Decimal | None = None
    lower: Decimal | None = None
    band: Decimal | None = None
    note: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def applies(self, nominal_v: Fraction, phases: int) -> bool:
        """True when this rule covers the nominal voltage and phases."""
        if phases != self.phases:
            return False
        if self.min_v is not None and nominal_v < Fraction(self.min_v):
            return False
        return not (self.max_v is not None and nominal_v > Fraction(self.max_v))


@attrs.frozen(slots=True, kw_only=True)
class AbnormalLimit:
    """The deviation allowed at the customer under abnormal operating conditions (percent),
    for every voltage level (供电营业规则, article 54)."""

    id: str
    upper: Decimal
    lower: Decimal
    confidence: Confidence
    source: Source
    note: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)


@attrs.frozen(slots=True, kw_only=True)
class VoltageData:
    """The wire form of ``data/voltage.toml``."""

    format: str
    classes: tuple[MonitoringClassInfo, ...]
    weights: VoltageWeights
    limits: tuple[VoltageLimitRule, ...]
    abnormal: AbnormalLimit

    def __repr__(self) -> str:
        return _show.short_repr(self)


def _parse(data: Any, file: str) -> VoltageData:
    parsed = structure(data, VoltageData, file=file)
    if parsed.format != "gdsmodel.voltage/1":
        raise DataFileError(
            f"unknown format {parsed.format!r} (allowed: gdsmodel.voltage/1)",
            file=file,
            path="format",
        )
    w = parsed.weights
    if any(v < 0 for v in w.as_mapping().values()) or sum(w.as_mapping().values()) != 1:
        raise DataFileError("weights must be >= 0 and add up to 1", file=file, path="weights")
    for i, rule in enumerate(parsed.limits):
        fixed = rule.upper is not None and rule.lower is not None
        if fixed == (rule.band is not None) or (rule.upper is None) != (rule.lower is None):
            raise DataFileError(
                "a limit rule has either upper and lower, or a band", file=file, path=f"limits[{i}]"
            )
    return parsed


@cache
def voltage_data() -> VoltageData:
    """The shipped voltage reference data (loaded once)."""
    return _parse(*package_toml("gdsmodel.metrics", "data", "voltage.toml"))


def load_voltage_data(path: str) -> VoltageData:
    """A station's own voltage data file (same format as the shipped one)."""
    return _parse(read_toml(path), path)


# -- one monitoring point -------------------------------------------------------------------


def voltage_qualification_rate(
    *,
    above_upper_minutes: NumberLike,
    below_lower_minutes: NumberLike,
    monitored_minutes: NumberLike,
    target: str | Target | None = None,
) -> KpiResult:
    """Voltage qualification rate of a monitoring point (电压合格率), as a
    :class:`~gdsmodel.metrics.ratio.KpiResult` (an exact, additive ``Ratio``).

    ``1 - (above + below) / monitored``; minutes above plus below may not exceed the
    minutes monitored. ``target`` (a ``Target``, or ``"rural_residential"``, the registry's
    96 %) gives the result its verdict.

    >>> voltage_qualification_rate(above_upper_minutes=0, below_lower_minutes=0,
    ...                            monitored_minutes=0).defined
    False
    >>> voltage_qualification_rate(above_upper_minutes=60, below_lower_minutes=50,
    ...                            monitored_minutes=100)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    gdsmodel.errors.InputError: monitored_minutes - above_upper_minutes - below_lower_minutes=...
    """
    return metric("voltage_qualification_rate").evaluate(
        {
            "above_upper_minutes": above_upper_minutes,
            "below_lower_minutes": below_lower_minutes,
            "monitored_minutes": monitored_minutes,
        },
        target=target,
    )


def _above_upper_minutes(value: Any) -> Fraction:
    return exact(value, name="above_upper_minutes")


def _below_lower_minutes(value: Any) -> Fraction:
    return exact(value, name="below_lower_minutes")


def _monitored_minutes(value: Any) -> Fraction:
    return exact(value, name="monitored_minutes")


@attrs.frozen(slots=True)
class VoltageMinutes:
    """Minutes above, below and monitored at one point or merged over points (additive).

    >>> m = VoltageMinutes(10, 5, 1000) + VoltageMinutes(0, 0, 1000)
    >>> m.ratio.format()
    '99.25%'
    """

    above_upper_minutes: Fraction = attrs.field(converter=_above_upper_minutes)
    below_lower_minutes: Fraction = attrs.field(converter=_below_lower_minutes)
    monitored_minutes: Fraction = attrs.field(converter=_monitored_minutes)

    def __attrs_post_init__(self) -> None:
        if self.above_upper_minutes + self.below_lower_minutes > self.monitored_minutes:
            # reuse the registry's message
            voltage_qualification_rate(
                above_upper_minutes=self.above_upper_minutes,
                below_lower_minutes=self.below_lower_minutes,
                monitored_minutes=self.monitored_minutes,
            )

    @property
    def ratio(self) -> Ratio:
        """The qualification rate."""
        return Ratio(
            self.monitored_minutes - self.above_upper_minutes - self.below_lower_minutes,
            self.monitored_minutes,
        )

    def __add__(self, other: object) -> VoltageMinutes:
        if isinstance(other, VoltageMinutes):
            return VoltageMinutes(
                self.above_upper_minutes + other.above_upper_minutes,
                self.below_lower_minutes + other.below_lower_minutes,
                self.monitored_minutes + other.monitored_minutes,
            )
        if other == 0:
            return self
        return NotImplemented

    __radd__ = __add__


# -- limits by voltage level ----------------------------------------------------------------


@attrs.frozen(slots=True, kw_only=True)
class VoltageLimits:
    """Allowed deviation band for one nominal voltage: ``lower <= (U - Un) / Un <= upper``.

    ``upper`` and ``lower`` are fractions of one (``7/100``, ``-1/10``). A reading exactly
    on a limit is within it.

    >>> lim = voltage_limits(nominal_v=10_000)
    >>> lim.status(10_700), lim.status(10_701), lim.status(9_299)
    (<VoltageStatus.WITHIN: 'within'>, <VoltageStatus.ABOVE: 'above'>, <VoltageStatus.BELOW: ...>)
    """

    nominal_v: Fraction
    upper: Fraction
    lower: Fraction
    rule: str

    @property
    def upper_v(self) -> Fraction:
        """The highest allowed voltage."""
        return self.nominal_v * (1 + self.upper)

    @property
    def lower_v(self) -> Fraction:
        """The lowest allowed voltage."""
        return self.nominal_v * (1 + self.lower)

    def deviation(self, voltage: Any) -> Fraction:
        """``(U - Un) / Un`` of a reading, exactly."""
        return (exact(voltage, name="voltage") - self.nominal_v) / self.nominal_v

    def status(self, voltage: Any) -> VoltageStatus:
        """Whether a reading is within, above or below the limits."""
        d = self.deviation(voltage)
        if d > self.upper:
            return VoltageStatus.ABOVE
        if d < self.lower:
            return VoltageStatus.BELOW
        return VoltageStatus.WITHIN

    def check(self, voltage: Any) -> bool:
        """True when a reading is within the limits."""
        return self.status(voltage) is VoltageStatus.WITHIN

    def __str__(self) -> str:
        up = round_half_up(self.upper * 100, 2).normalize()
        lo = round_half_up(self.lower * 100, 2).normalize()
        return f"{self.nominal_v} V: {up:+f}% / {lo:+f}%"


def _percent_arg(value: Any, name: str) -> Fraction:
    return exact(value, name=name, nonnegative=False) / 100


def voltage_limits(
    *,
    nominal_v: Any,
    phases: int = 3,
    upper: Any = None,
    lower: Any = None,
    rules: Iterable[VoltageLimitRule] | None = None,
    abnormal: bool = False,
) -> VoltageLimits:
    """The deviation limits for a nominal voltage (in V) and number of phases (GB/T 12325).

    * 35 kV and above: the supplier chooses ``upper`` and ``lower`` (percent); the sum of
      their absolute values may not exceed 10 % (the larger one when both have one sign);
    * 20 kV and below, three-phase: ±7 %;
    * 220 V single-phase: +7 % / −10 %.

    ``upper``/``lower`` may also tighten a fixed rule (a station's stricter limits) but
    never widen it. Other voltages raise :class:`~gdsmodel.errors.InputError`.

    ``abnormal=True`` gives the limits under abnormal operating conditions of the power
    system: ±10 % at the customer for every level (供电营业规则, article 54; data).

    >>> str(voltage_limits(nominal_v=10_000, abnormal=True))
    '10000 V: +10% / -10%'

    >>> str(voltage_limits(nominal_v=35_000, upper=7, lower=-3))
    '35000 V: +7% / -3%'
    >>> voltage_limits(nominal_v=35_000)
    Traceback (most recent call last):
    gdsmodel.errors.InputError: upper=None: 35kv_and_above sets a band of 10% for upper and ...
    >>> voltage_limits(nominal_v=380, upper=10, lower=-7)
    Traceback (most recent call last):
    gdsmodel.errors.InputError: upper=10: wider than the limit of 20kv_and_below_three_phase ...
    """
    un = exact(nominal_v, name="nominal_v")
    if un == 0:
        raise InputError("must be positive", name="nominal_v", value=nominal_v, allowed="> 0")
    if isinstance(phases, bool) or phases not in (1, 3):
        raise InputError("must be 1 or 3", name="phases", value=phases, allowed="1, 3")
    if abnormal:
        if upper is not None or lower is not None:
            raise InputError(
                "the abnormal-conditions limits are fixed",
                name="upper" if upper is not None else "lower",
                value=upper if upper is not None else lower,
                allowed="None with abnormal=True",
            )
        ab = voltage_data().abnormal
        return VoltageLimits(
            nominal_v=un, upper=Fraction(ab.upper) / 100, lower=Fraction(ab.lower) / 100, rule=ab.id
        )
    all_rules = tuple(voltage_data().limits if rules is None else rules)
    rule = next((r for r in all_rules if r.applies(un, phases)), None)
    if rule is None:
        covered = "; ".join(_describe(r) for r in all_rules)
        raise InputError(
            "no limit rule covers this voltage",
            name="nominal_v",
            value=nominal_v,
            allowed=f"with phases={phases}: {covered}",
        )
    up = None if upper is None else _percent_arg(upper, "upper")
    lo = None if lower is None else _percent_arg(lower, "lower")
    if up is not None and lo is not None and lo > up:
        raise InputError(
            "must not exceed upper", name="lower", value=lower, allowed="lower <= upper"
        )
    if rule.band is not None:
        band = Fraction(rule.band) / 100
        if up is None or lo is None:
            raise InputError(
                f"{rule.id} sets a band of {rule.band}% for upper and lower together: give both",
                name="upper" if up is None else "lower",
                value=None,
                allowed=f"upper and lower in percent, |upper| + |lower| <= {rule.band}",
            )
        same_sign = (up > 0 and lo > 0) or (up < 0 and lo < 0)
        width = max(abs(up), abs(lo)) if same_sign else abs(up) + abs(lo)
        if width > band:
            raise InputError(
                f"upper and lower exceed the band of {rule.band}% of {rule.id}",
                name="upper",
                value=upper,
                allowed=f"|upper| + |lower| <= {rule.band}",
            )
        return VoltageLimits(nominal_v=un, upper=up, lower=lo, rule=rule.id)
    assert rule.upper is not None and rule.lower is not None
    std_up = Fraction(rule.upper) / 100
    std_lo = Fraction(rule.lower) / 100
    up = std_up if up is None else up
    lo = std_lo if lo is None else lo
    if up > std_up or lo < std_lo or lo > up:
        raise InputError(
            f"wider than the limit of {rule.id}",
            name="upper" if up > std_up else "lower",
            value=upper if up > std_up else lower,
            allowed=f"lower <= upper, {rule.lower} <= lower, upper <= {rule.upper}",
        )
    return VoltageLimits(nominal_v=un, upper=up, lower=lo, rule=rule.id)


def _describe(rule: VoltageLimitRule) -> str:
    lo = f"{rule.min_v} V" if rule.min_v is not None else "0 V"
    hi = f"{rule.max_v} V" if rule.max_v is not None else "up"
    return f"{rule.id} ({rule.phases}-phase, {lo} to {hi})"


def assess_readings(
    readings: Iterable[Any], limits: VoltageLimits, *, interval_minutes: Any = 1
) -> VoltageMinutes:
    """Minutes above, below and monitored from readings of one point.

    Each reading is a voltage (V) standing for ``interval_minutes``, or a pair
    ``(voltage, minutes)``.

    >>> lim = voltage_limits(nominal_v=380)
    >>> assess_readings([(400, 30), (420, 10), (350, 20)], lim).ratio.format()
    '50.00%'
    """
    step = exact(interval_minutes, name="interval_minutes")
    above = below = total = Fraction(0)
    for i, reading in enumerate(readings):
        if isinstance(reading, tuple):
            if len(reading) != 2:
                raise InputError(
                    "a reading pair must be (voltage, minutes)",
                    name=f"readings[{i}]",
                    value=reading,
                    allowed="a voltage, or (voltage, minutes)",
                )
            voltage, minutes = reading[0], exact(reading[1], name=f"readings[{i}].minutes")
        else:
            voltage, minutes = reading, step
        try:
            status = limits.status(voltage)
        except InputError:
            raise InputError(
                "is not a voltage", name=f"readings[{i}]", value=voltage, allowed="a number >= 0"
            ) from None
        total += minutes
        if status is VoltageStatus.ABOVE:
            above += minutes
        elif status is VoltageStatus.BELOW:
            below += minutes
    return VoltageMinutes(above, below, total)


# -- comprehensive rate ---------------------------------------------------------------------


_COMPREHENSIVE = "comprehensive_voltage_rate"


@attrs.frozen(slots=True, kw_only=True)
class ComprehensiveVoltage:
    """The comprehensive voltage rate: a weighted mean of class rates (not a ratio of sums).

    ``value`` is None when a class with a non-zero weight has no defined rate; ``missing``
    names those classes. It has the one shape of a scalar KPI result
    (:class:`~gdsmodel.metrics.ratio.ScalarResult`): ``float()``, ``.value``, ``.percent``,
    ``.format()``, and ``.verdict`` against the ``target`` it was given (None without one).
    Not being a ratio of sums, it has no ``.ratio`` and does not add.
    """

    value: Fraction | None
    classes: Mapping[MonitoringClass, Ratio]
    weights: Mapping[MonitoringClass, Fraction]
    missing: tuple[MonitoringClass, ...] = ()
    target: Target | None = attrs.field(default=None, eq=False)
    metric: str = attrs.field(default=_COMPREHENSIVE, eq=False)

    def __repr__(self) -> str:
        return _show.short_repr(self)

    @property
    def unit(self) -> str:
        """Always ``"%"``: a rate."""
        return "%"

    @property
    def anomaly(self) -> bool:
        """Always False: a weighted mean of rates in [0, 1] is never suspect."""
        return False

    @property
    def defined(self) -> bool:
        """False when a weighted class has no data."""
        return self.value is not None

    @property
    def percent(self) -> Fraction | None:
        """The value in percent, or None."""
        return None if self.value is None else self.value * 100

    @property
    def verdict(self) -> Verdict | None:
        """The verdict against :attr:`target`, or None when no target was given (judge
        against another with ``target.verdict(result.value)``)."""
        return None if self.target is None else self.target.verdict(self.value)

    def require(self) -> Fraction:
        """The exact value; raises :class:`~gdsmodel.metrics.ratio.UndefinedRatioError` when
        a weighted class has no data."""
        if self.value is None:
            raise UndefinedRatioError(self.format())
        return self.value

    def __float__(self) -> float:
        return float(self.require())

    def format(self, places: int = 2) -> str:
        """``"98.75%"``, or ``"undefined (no data for class B)"``."""
        if self.value is None:
            return f"undefined (no data for class {', '.join(self.missing)})"
        return f"{round_half_up(self.value * 100, places)}%"

    def __str__(self) -> str:
        return self.format()


def _weights(weights: Mapping[Any, Any] | VoltageWeights | None) -> dict[MonitoringClass, Fraction]:
    if weights is None:
        return voltage_data().weights.as_mapping()
    if isinstance(weights, VoltageWeights):
        return weights.as_mapping()
    out = dict.fromkeys(MonitoringClass, Fraction(0))
    for k, v in weights.items():
        try:
            cls = MonitoringClass(str(k))
        except ValueError:
            raise InputError(
                "unknown monitoring class", name="weights", value=k, allowed="A, B, C, D"
            ) from None
        out[cls] = exact(v, name=f"weights[{cls}]")
    if sum(out.values()) != 1:
        raise InputError(
            "weights must add up to 1",
            name="weights",
            value={str(k): str(v) for k, v in out.items()},
            allowed="weights >= 0 with sum 1",
        )
    return out


def comprehensive_voltage_rate(
    *,
    a: Ratio | VoltageMinutes | None = None,
    b: Ratio | VoltageMinutes | None = None,
    c: Ratio | VoltageMinutes | None = None,
    d: Ratio | VoltageMinutes | None = None,
    weights: Mapping[Any, Any] | VoltageWeights | None = None,
    target: str | Target | None = None,
) -> ComprehensiveVoltage:
    """The comprehensive rate from the class rates, default ``0.5 A + 0.5 (B + C + D) / 3``.

    The default weights are data of confidence L (``data/voltage.toml``). A class without
    monitoring points gets weight 0 through ``weights``; a class left out (or with an
    undefined rate) while its weight is not 0 makes the result undefined. ``target`` (a
    ``Target`` in percent) gives the result its verdict.

    >>> from gdsmodel.metrics.ratio import Direction
    >>> at_99 = Target.percent(99, Direction.HIGHER)
    >>> r = comprehensive_voltage_rate(a=Ratio(99, 100), b=Ratio(99, 100), c=Ratio(98, 100),
    ...                                d=Ratio(94, 100), target=at_99)
    >>> r.format(), r.value, float(r), str(r.verdict)
    ('98.00%', Fraction(49, 50), 0.98, 'missed by 1.00 pp')
    >>> comprehensive_voltage_rate(a=Ratio(99, 100), c=Ratio(98, 100), d=Ratio(94, 100)).format()
    'undefined (no data for class B)'
    >>> comprehensive_voltage_rate(a=Ratio(99, 100), c=Ratio(98, 100), d=Ratio(94, 100),
    ...     weights={"A": "1/2", "C": "1/4", "D": "1/4"}).format()
    '97.50%'
    """
    w = _weights(weights)
    given: dict[MonitoringClass, Ratio] = {}
    for cls, r in zip(MonitoringClass, (a, b, c, d), strict=True):
        if r is None:
            continue
        if isinstance(r, VoltageMinutes):
            r = r.ratio
        if not isinstance(r, Ratio):
            raise InputError(
                "must be a Ratio or VoltageMinutes",
                name=cls.value.lower(),
                value=r,
                allowed="Ratio, VoltageMinutes or None",
            )
        given[cls] = r
    missing = tuple(
        cls
        for cls in MonitoringClass
        if w[cls] != 0 and (cls not in given or not given[cls].defined)
    )
    chosen = given_target(metric(_COMPREHENSIVE), target)
    value: Fraction | None = None
    if not missing:
        value = sum(
            (w[cls] * given[cls].require() for cls in MonitoringClass if w[cls] != 0),
            Fraction(0),
        )
    return ComprehensiveVoltage(
        value=value, classes=given, weights=w, missing=missing, target=chosen
    )


def class_rates(
    points: Iterable[tuple[Any, Ratio | VoltageMinutes]],
) -> dict[MonitoringClass, Ratio]:
    """Merge the rates of monitoring points per class (minutes summed, not rates averaged).

    >>> rates = class_rates([("D", Ratio(990, 1000)), ("D", Ratio(960, 1000)),
    ...                      ("A", VoltageMinutes(0, 0, 100))])
    >>> {str(k): v.format() for k, v in rates.items()}
    {'D': '97.50%', 'A': '100.00%'}
    """
    out: dict[MonitoringClass, Ratio] = {}
    for i, (cls_id, r) in enumerate(points):
        try:
            cls = MonitoringClass(str(cls_id))
        except ValueError:
            raise InputError(
                "unknown monitoring class", name=f"points[{i}]", value=cls_id, allowed="A, B, C, D"
            ) from None
        ratio = r.ratio if isinstance(r, VoltageMinutes) else r
        out[cls] = out[cls] + ratio if cls in out else ratio
    return out
