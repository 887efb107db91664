"""The rules of transformer-area analytics as data (``gdsmodel/metrics/data/areas.toml``).

Every rule carries its source and confidence. The loss bands, the collection threshold, the
load-event thresholds and durations are overridable defaults (confidence L): a province
loads its own with :func:`load_area_rules`.

>>> rules = area_rules()
>>> band = rules.band("rural")
>>> band.qualified_min, band.qualified_max, str(band.confidence)
(Decimal('0'), Decimal('10'), 'L')
>>> [(e.id, str(e.threshold), e.min_minutes) for e in rules.load_events]
[('heavy_load', '80', 120), ('overload', '100', 120)]
>>> local = load_area_rules({"area_types": [{"id": "urban", "qualified_max": "7"}]})
>>> local.band("urban").qualified_max, local.band("rural").qualified_max
(Decimal('7'), Decimal('10'))
"""

from __future__ import annotations

import enum
import os
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import attrs

from gdsmodel import _show
from gdsmodel.datafiles import package_toml, read_toml
from gdsmodel.errors import DataFileError, NotFoundError
from gdsmodel.serialize import structure
from gdsmodel.sources import Confidence, Source
from gdsmodel.text import Text

__all__ = [
    "AreaRules",
    "CollectionRule",
    "LoadEventRule",
    "LossBand",
    "LowVoltageRule",
    "MonthRule",
    "RunRule",
    "UnbalanceFormula",
    "UnbalanceRule",
    "area_rules",
    "load_area_rules",
]

FORMAT = "gdsmodel.areas/1"


class UnbalanceFormula(enum.StrEnum):
    """How the three-phase current unbalance is computed.

    * ``max_minus_min_over_max``: (I_max − I_min) / I_max (SD 292-1988, as quoted);
    * ``max_deviation_over_mean``: max |I − I_mean| / I_mean.
    """

    MAX_MINUS_MIN_OVER_MAX = "max_minus_min_over_max"
    MAX_DEVIATION_OVER_MEAN = "max_deviation_over_mean"


@attrs.frozen(slots=True, kw_only=True)
class LossBand:
    """The qualified band of the same-period line loss for one area type, in percent.

    A loss on an edge is qualified: ``qualified_min <= loss <= qualified_max``.
    """

    id: str
    qualified_min: Decimal
    qualified_max: Decimal
    confidence: Confidence
    source: Source
    name: Text = attrs.field(factory=lambda: Text(""))
    note: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)

    @property
    def low(self) -> Fraction:
        """The lower edge as a fraction of one."""
        return Fraction(self.qualified_min) / 100

    @property
    def high(self) -> Fraction:
        """The upper edge as a fraction of one."""
        return Fraction(self.qualified_max) / 100


@attrs.frozen(slots=True, kw_only=True)
class CollectionRule:
    """The least share of customer meters read (采集成功率, percent) for a computable day."""

    min_rate: Decimal
    confidence: Confidence
    source: Source
    estimated_counts_as_read: bool = False
    note: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)

    @property
    def threshold(self) -> Fraction:
        """``min_rate`` as a fraction of one."""
        return Fraction(self.min_rate) / 100


@attrs.frozen(slots=True, kw_only=True)
class MonthRule:
    """The least number of computable days for a computable month."""

    min_computable_days: int
    confidence: Confidence
    source: Source
    note: str = ""


@attrs.frozen(slots=True, kw_only=True)
class LoadEventRule:
    """A load event: the load rate strictly above ``threshold`` (percent) for at least
    ``min_minutes``."""

    id: str
    threshold: Decimal
    min_minutes: int
    confidence: Confidence
    source: Source
    name: Text = attrs.field(factory=lambda: Text(""))
    note: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)

    @property
    def rate(self) -> Fraction:
        """The threshold as a fraction of one."""
        return Fraction(self.threshold) / 100


@attrs.frozen(slots=True, kw_only=True)
class RunRule:
    """The number of consecutive days that raises a "consecutive days" flag."""

    consecutive_days: int
    confidence: Confidence
    source: Source
    note: str = ""


@attrs.frozen(slots=True, kw_only=True)
class LowVoltageRule:
    """Low voltage: below the lower limit of the voltage data for at least ``min_minutes``."""

    nominal_v: Decimal
    phases: int
    min_minutes: int
    confidence: Confidence
    source: Source
    note: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)

    @property
    def lower_v(self) -> Fraction:
        """The lowest allowed voltage (GB/T 12325 via ``voltage.toml``)."""
        from gdsmodel.metrics.voltage import voltage_limits

        return voltage_limits(nominal_v=self.nominal_v, phases=self.phases).lower_v


@attrs.frozen(slots=True, kw_only=True)
class UnbalanceRule:
    """Three-phase current unbalance strictly above ``threshold`` (percent) for at least
    ``min_minutes``; ``name`` is the event's name in the reports."""

    name: Text
    formula: UnbalanceFormula
    threshold: Decimal
    min_minutes: int
    confidence: Confidence
    source: Source
    note: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)

    @property
    def rate(self) -> Fraction:
        """The threshold as a fraction of one."""
        return Fraction(self.threshold) / 100


@attrs.frozen(slots=True, kw_only=True)
class AreaRules:
    """Every rule of transformer-area analytics (the wire form of ``areas.toml``)."""

    format: str
    default_area_type: str
    collection: CollectionRule
    month: MonthRule
    area_types: tuple[LossBand, ...]
    load_events: tuple[LoadEventRule, ...]
    runs: RunRule
    low_voltage: LowVoltageRule
    unbalance: UnbalanceRule

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def band(self, area_type: str | None = None) -> LossBand:
        """The loss band of an area type (the default type when None).

        >>> area_rules().band("island")
        Traceback (most recent call last):
        gdsmodel.errors.NotFoundError: unknown area type 'island'; known: rural, urban
        """
        wanted = self.default_area_type if area_type is None else area_type
        for b in self.area_types:
            if b.id == wanted:
                return b
        raise NotFoundError("area type", wanted, [b.id for b in self.area_types])

    def load_event(self, event_id: str) -> LoadEventRule:
        """The load-event rule with this ID (``heavy_load``, ``overload``)."""
        for e in self.load_events:
            if e.id == event_id:
                return e
        raise NotFoundError("load event", event_id, [e.id for e in self.load_events])

    def event_name(self, event_id: str) -> Text:
        """The name of an event of the load curves: a load event's or the unbalance's.

        >>> area_rules().event_name("overload").zh, area_rules().event_name("unbalance").zh
        ('过载', '三相不平衡')
        """
        if event_id == "unbalance":
            return self.unbalance.name
        return self.load_event(event_id).name


def _check(rules: AreaRules, file: str) -> AreaRules:
    if rules.format != FORMAT:
        raise DataFileError(
            f"unknown format {rules.format!r} (allowed: {FORMAT})", file=file, path="format"
        )
    ids = [b.id for b in rules.area_types]
    if len(set(ids)) != len(ids) or not ids:
        raise DataFileError(
            "area type IDs must be unique and present", file=file, path="area_types"
        )
    if rules.default_area_type not in ids:
        raise DataFileError(
            f"the default area type {rules.default_area_type!r} is not one of {', '.join(ids)}",
            file=file,
            path="default_area_type",
        )
    for i, b in enumerate(rules.area_types):
        if b.qualified_min > b.qualified_max:
            raise DataFileError(
                "qualified_min exceeds qualified_max", file=file, path=f"area_types[{i}]"
            )
    events = [e.id for e in rules.load_events]
    if len(set(events)) != len(events):
        raise DataFileError("load event IDs repeat", file=file, path="load_events")
    durations = [
        ("month.min_computable_days", rules.month.min_computable_days),
        ("runs.consecutive_days", rules.runs.consecutive_days),
        ("low_voltage.min_minutes", rules.low_voltage.min_minutes),
        ("unbalance.min_minutes", rules.unbalance.min_minutes),
        *(
            (f"load_events[{i}].min_minutes", e.min_minutes)
            for i, e in enumerate(rules.load_events)
        ),
    ]
    for path, value in durations:
        if value < 1:
            raise DataFileError(f"must be at least 1, not {value}", file=file, path=path)
    if not 0 <= rules.collection.min_rate <= 100:
        raise DataFileError("must be 0 to 100", file=file, path="collection.min_rate")
    return rules


def _merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if key in ("area_types", "load_events") and isinstance(value, list):
            items = {str(x.get("id")): dict(x) for x in out.get(key, [])}
            for j, item in enumerate(value):
                if not isinstance(item, Mapping) or "id" not in item:
                    raise DataFileError("each entry needs an id", path=f"{key}[{j}]")
                items[str(item["id"])] = {**items.get(str(item["id"]), {}), **item}
            out[key] = list(items.values())
        elif isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def _shipped() -> tuple[dict[str, Any], str]:
    return package_toml("gdsmodel.metrics", "data", "areas.toml")


@cache
def area_rules() -> AreaRules:
    """The shipped rules (loaded once)."""
    data, file = _shipped()
    return _check(structure(data, AreaRules, file=file), file)


def load_area_rules(
    overrides: str | os.PathLike[str] | Mapping[str, Any] | None = None,
) -> AreaRules:
    """The shipped rules with a station's or province's file (or mapping) applied.

    Sections given replace the shipped fields; area types and load events are matched by
    ``id`` (a new ID adds one). A bad file raises :class:`~gdsmodel.errors.DataFileError`.

    >>> load_area_rules({"collection": {"min_rate": "101"}})
    Traceback (most recent call last):
    gdsmodel.errors.DataFileError: (overrides): collection.min_rate: must be 0 to 100
    """
    if overrides is None:
        return area_rules()
    data, shipped = _shipped()
    if isinstance(overrides, Mapping):
        file, over = "(overrides)", overrides
    else:
        file, over = str(Path(overrides)), read_toml(Path(overrides))
    try:
        merged = _merge(data, over)
    except DataFileError as exc:
        raise DataFileError(exc.message, file=file, path=exc.path) from None
    del shipped
    return _check(structure(merged, AreaRules, file=file), file)
