"""The station's monthly targets broken down to people, by rules given as data.

The marketing officer breaks the line-loss targets down "按照分压、分线、分台区每月进行分解,
落实到人" (营销员 standard 1). A :class:`TargetRule` per KPI says how
(``organisation/data/targets.toml``): a **fixed** target per line or area, a **band** from
the area's own history, or a **share** of the station target. A person's target is the
targets of their lines and areas weighed by the denominators they answered for that
month (a ratio of sums), so the people's allowed numerators add up to the station's.

>>> from fractions import Fraction
>>> from gdsmodel.metrics.registry import metric
>>> from gdsmodel.metrics.partial import PartialState
>>> from gdsmodel.periods import Month
>>> d = metric("line_loss_rate_lv")
>>> m = Month(2026, 3)
>>> parts = [Part(person="P1", target="A1", month=m, share=Fraction(1),
...               state=PartialState.of(d, supplied_kwh=1000, sold_kwh=900)),
...          Part(person="P1", target="A2", month=m, share=Fraction(1),
...               state=PartialState.of(d, supplied_kwh=3000, sold_kwh=2800))]
>>> rule = TargetRule(metric="line_loss_rate_lv", rule=TargetRuleKind.FIXED,
...                   value=Fraction(10), values={"A2": Fraction(6)})
>>> t = break_down(rule, d, parts)["P1"]
>>> t.target.threshold, t.allowed     # (10 % of 1000 + 6 % of 3000) / 4000 kWh
(Fraction(7, 100), Fraction(280, 1))
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from fractions import Fraction
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from gdsmodel import _show
from gdsmodel.datafiles import package_toml, read_toml
from gdsmodel.errors import DataFileError, InputError, NotFoundError
from gdsmodel.metrics.definitions import MetricDefinition
from gdsmodel.metrics.partial import PartialState
from gdsmodel.metrics.ratio import Direction, Target, round_half_up
from gdsmodel.organisation.kpis import Part
from gdsmodel.serialize import structure
from gdsmodel.sources import Confidence, Source

__all__ = [
    "TARGETS_FORMAT",
    "PersonTarget",
    "TargetRule",
    "TargetRuleKind",
    "TargetRules",
    "break_down",
    "default_target_rules",
    "load_target_rules",
]

TARGETS_FORMAT = "gdsmodel.organisation.targets/1"

_BAND_STEP = 10_000  # band targets are stated to 0.01 percentage point


class TargetRuleKind(enum.StrEnum):
    """How a KPI's target is broken down."""

    FIXED = "fixed"
    BAND = "band"
    SHARE = "share"


def _fractions(value: Mapping[str, Any]) -> Mapping[str, Fraction]:
    return MappingProxyType({k: Fraction(str(v)) for k, v in value.items()})


def _opt_fraction(value: Any) -> Fraction | None:
    return None if value is None else Fraction(str(value))


@attrs.frozen(slots=True, kw_only=True)
class TargetRule:
    """The break-down of one KPI's target. Values are in the KPI's unit (percent for a
    rate): ``value``/``values`` (fixed), ``history_months``/``margin``/``cap`` (band),
    ``share_percent`` (share)."""

    metric: str
    rule: TargetRuleKind
    value: Fraction | None = attrs.field(default=None, converter=_opt_fraction)
    values: Mapping[str, Fraction] = attrs.field(factory=dict, converter=_fractions, hash=False)
    history_months: int = 12
    margin: Fraction = attrs.field(default=Fraction(0), converter=Fraction)
    cap: Fraction | None = attrs.field(default=None, converter=_opt_fraction)
    share_percent: Fraction = attrs.field(default=Fraction(100), converter=Fraction)
    confidence: Confidence = Confidence.L
    source: Source | None = None
    note: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def __attrs_post_init__(self) -> None:
        if self.rule is TargetRuleKind.FIXED and self.value is None and not self.values:
            raise InputError(
                f"the fixed rule of {self.metric} needs a value or values",
                name="value",
                value=None,
                allowed="value = a number in the KPI's unit",
            )
        if self.history_months < 1:
            raise InputError(
                "must be at least 1",
                name="history_months",
                value=self.history_months,
                allowed="1 or more",
            )
        if self.share_percent <= 0:
            raise InputError(
                "must be positive",
                name="share_percent",
                value=self.share_percent,
                allowed="a number > 0",
            )


@attrs.frozen(slots=True, kw_only=True)
class TargetRules:
    """A station's set of break-down rules, one per KPI."""

    format: str = TARGETS_FORMAT
    rules: tuple[TargetRule, ...] = ()

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def for_metric(self, metric_id: str) -> TargetRule | None:
        """The rule of one KPI, or None."""
        return next((r for r in self.rules if r.metric == metric_id), None)


def _parse(data: Any, file: str) -> TargetRules:
    try:
        rules = structure(data, TargetRules, file=file)
    except InputError as exc:
        raise DataFileError(str(exc), file=file) from None
    if rules.format != TARGETS_FORMAT:
        raise DataFileError(
            f"unknown format {rules.format!r} (allowed: {TARGETS_FORMAT})", file=file, path="format"
        )
    from gdsmodel.metrics.registry import default_registry

    reg = default_registry()
    for i, r in enumerate(rules.rules):
        if r.metric not in reg:
            raise DataFileError(
                f"unknown metric {r.metric!r}", file=file, path=f"rules[{i}].metric"
            )
    return rules


@cache
def default_target_rules() -> TargetRules:
    """The shipped defaults (``organisation/data/targets.toml``)."""
    data, name = package_toml("gdsmodel.organisation", "data", "targets.toml")
    return _parse(data, name)


def load_target_rules(path: str | Path) -> TargetRules:
    """A station's own break-down rules of the same form."""
    return _parse(read_toml(path), str(path))


@attrs.frozen(slots=True, kw_only=True)
class PersonTarget:
    """A person's target for one KPI in one month.

    ``target`` is the threshold (a fraction of one for a rate); ``allowed`` the numerator
    the target allows on the person's denominator (the loss kWh allowed), None when the
    person had no denominator.
    """

    person: str | None
    metric: str
    target: Target
    allowed: Fraction | None
    rule: TargetRuleKind
    note: str = ""


def _in_unit(definition: MetricDefinition, value: Fraction) -> Fraction:
    return value / 100 if definition.unit == "%" else value


def _denominator(state: PartialState) -> Fraction:
    return state.ratio().denominator


def break_down(
    rule: TargetRule,
    definition: MetricDefinition,
    parts: Iterable[Part],
    *,
    history: Mapping[str, PartialState] | None = None,
    station_target: Target | None = None,
) -> dict[str | None, PersonTarget]:
    """Every person's target for one month from the parts they answered for.

    ``history`` holds each line's or area's state over its last ``history_months`` months
    (for the band rule; an area's band target is rounded half-up to 0.01 percentage point, as
    a stated target is); ``station_target`` defaults to the KPI's default target. A rule
    that cannot give a target (a share of no station target) gives no entry.
    """
    if rule.metric != definition.id:
        raise InputError(
            "the rule is for another metric",
            name="rule",
            value=rule.metric,
            allowed=definition.id,
        )
    station = station_target or definition.target
    direction = station.direction if station is not None else definition.direction
    unit = definition.unit
    by_person: dict[str | None, list[Part]] = {}
    for p in parts:
        by_person.setdefault(p.person, []).append(p)
    out: dict[str | None, PersonTarget] = {}
    for person, mine in by_person.items():
        if rule.rule is TargetRuleKind.SHARE:
            if station is None:
                continue
            threshold = station.threshold * rule.share_percent / 100
            den = sum((_denominator(p.state) for p in mine), Fraction(0))
            out[person] = PersonTarget(
                person=person,
                metric=definition.id,
                target=Target(threshold=threshold, direction=direction, unit=unit),
                allowed=threshold * den if den else None,
                rule=rule.rule,
                note=rule.note,
            )
            continue
        allowed = Fraction(0)
        den = Fraction(0)
        plain: list[Fraction] = []
        for p in mine:
            t = _unit_target(rule, definition, p.target, history, station)
            if t is None:
                continue
            plain.append(t)
            d = _denominator(p.state)
            allowed += t * d
            den += d
        if not plain:
            continue
        # with no denominator at all (nothing supplied), the plain mean of the unit targets
        threshold = allowed / den if den else sum(plain, Fraction(0)) / len(plain)
        out[person] = PersonTarget(
            person=person,
            metric=definition.id,
            target=Target(threshold=threshold, direction=direction, unit=unit),
            allowed=allowed if den else None,
            rule=rule.rule,
            note=rule.note,
        )
    return out


def _unit_target(
    rule: TargetRule,
    definition: MetricDefinition,
    unit_id: str,
    history: Mapping[str, PartialState] | None,
    station: Target | None,
) -> Fraction | None:
    if rule.rule is TargetRuleKind.FIXED:
        value = rule.values.get(unit_id, rule.value)
        return None if value is None else _in_unit(definition, value)
    # band: the area's own history, tightened by the margin, capped
    past = (history or {}).get(unit_id)
    own = past.ratio().value if past is not None else None
    lower = definition.direction is Direction.LOWER
    if own is None:
        if station is None:
            return None
        value = station.threshold
    else:
        margin = _in_unit(definition, rule.margin)
        value = own - margin if lower else own + margin
    if rule.cap is not None:
        cap = _in_unit(definition, rule.cap)
        value = min(value, cap) if lower else max(value, cap)
    # a target is a stated figure: to 0.01 percentage point (1/10000), rounded half-up
    value = Fraction(round_half_up(value * _BAND_STEP, 0)) / _BAND_STEP
    return max(value, Fraction(0))


def rule_for(rules: TargetRules, metric_id: str) -> TargetRule:
    """The rule of a KPI; :class:`~gdsmodel.errors.NotFoundError` without one.

    >>> rule_for(default_target_rules(), "line_loss_rate_lv").rule.value
    'band'
    """
    found = rules.for_metric(metric_id)
    if found is None:
        raise NotFoundError("target rule", metric_id, [r.metric for r in rules.rules])
    return found
