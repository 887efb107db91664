"""The index catalogue as data: each index with its definition, source and confidence, the
planned (预安排) and fault (故障) kinds of outages, and the frequent-outage rule (频繁停电).

All three come from ``data/indices.toml``.

>>> [i.id for i in index_catalogue()][:3]
['rs1', 'rs2', 'rs3']
>>> sorted(outage_kinds()["planned"].causes)
[<OutageCause.PLANNED: 'planned'>, <OutageCause.SUPPLY_SHORTAGE: 'supply_shortage'>]
>>> r = frequent_outage_rule()
>>> r.more_than, r.window.days, r.confidence
(2, 60, <Confidence.L: 'L'>)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from functools import cache
from typing import Any, Final

import attrs

from gdsmodel import _show
from gdsmodel.datafiles import package_toml
from gdsmodel.errors import DataFileError, InputError
from gdsmodel.metrics.reliability.causes import ALL_CAUSES, OutageCause
from gdsmodel.serialize import structure
from gdsmodel.sources import Confidence, Source
from gdsmodel.text import Text

__all__ = [
    "FrequentOutageRule",
    "IndexInfo",
    "OutageKind",
    "frequent_outage_rule",
    "index_catalogue",
    "index_info",
    "outage_kinds",
]

_FORMAT: Final = "gdsmodel.reliability_indices/1"
_CALLER: Final = Source("given by the caller")


@attrs.frozen(slots=True, kw_only=True)
class IndexInfo:
    """One index: names, formula in words, unit, the method computing it, source."""

    id: str
    name: Text
    formula: str
    unit: str
    computed_by: str
    confidence: Confidence
    source: Source

    def __repr__(self) -> str:
        return _show.short_repr(self)


@attrs.frozen(slots=True, kw_only=True)
class OutageKind:
    """Planned (预安排停电) or fault (故障停电) outages: the cause classes the kind counts."""

    name: Text
    causes: frozenset[OutageCause]
    confidence: Confidence
    source: Source

    def __repr__(self) -> str:
        return _show.short_repr(self)


def _check_more_than(_: Any, __: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(
            "must be a whole number >= 0", name="more_than", value=value, allowed="int >= 0"
        )


def _check_window(_: Any, __: Any, value: Any) -> None:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise InputError(
            "must be a positive duration", name="window", value=value, allowed="timedelta > 0"
        )


@attrs.frozen(slots=True, kw_only=True)
class FrequentOutageRule:
    """A unit has frequent outages when *more than* ``more_than`` sustained interruptions
    start within any ``window`` (a rolling window).

    >>> FrequentOutageRule(more_than=3, window=timedelta(days=30)).more_than
    3
    """

    more_than: int = attrs.field(validator=_check_more_than)
    window: timedelta = attrs.field(validator=_check_window)
    confidence: Confidence = Confidence.L
    source: Source = _CALLER


@attrs.frozen(slots=True, kw_only=True)
class _KindWire:
    name: Text
    causes: tuple[str, ...]
    confidence: Confidence
    source: Source


@attrs.frozen(slots=True, kw_only=True)
class _FrequentWire:
    more_than: int
    window_days: int
    confidence: Confidence
    source: Source


@attrs.frozen(slots=True, kw_only=True)
class _Wire:
    format: str
    indices: tuple[IndexInfo, ...]
    kinds: dict[str, _KindWire]
    frequent_outage: _FrequentWire


@attrs.frozen(slots=True, kw_only=True)
class _Catalogue:
    indices: tuple[IndexInfo, ...]
    kinds: Mapping[str, OutageKind]
    frequent: FrequentOutageRule


def _parse(data: Any, file: str) -> _Catalogue:
    wire = structure(data, _Wire, file=file)
    if wire.format != _FORMAT:
        raise DataFileError(
            f"unknown format {wire.format!r} (allowed: {_FORMAT})", file=file, path="format"
        )
    if set(wire.kinds) != {"planned", "fault"}:
        raise DataFileError("kinds must be exactly planned and fault", file=file, path="kinds")
    kinds: dict[str, OutageKind] = {}
    for key, k in wire.kinds.items():
        try:
            causes = frozenset(OutageCause(c) for c in k.causes)
        except ValueError:
            raise DataFileError(
                f"unknown cause in {list(k.causes)} (allowed: "
                f"{', '.join(c.value for c in OutageCause)})",
                file=file,
                path=f"kinds.{key}.causes",
            ) from None
        kinds[key] = OutageKind(
            name=k.name, causes=causes, confidence=k.confidence, source=k.source
        )
    planned, fault = kinds["planned"].causes, kinds["fault"].causes
    if planned & fault or planned | fault != ALL_CAUSES:
        raise DataFileError(
            "planned and fault must split the cause classes (each cause in exactly one)",
            file=file,
            path="kinds",
        )
    f = wire.frequent_outage
    if f.window_days < 1 or f.more_than < 0:
        raise DataFileError(
            "window_days must be >= 1 and more_than >= 0", file=file, path="frequent_outage"
        )
    frequent = FrequentOutageRule(
        more_than=f.more_than,
        window=timedelta(days=f.window_days),
        confidence=f.confidence,
        source=f.source,
    )
    return _Catalogue(indices=wire.indices, kinds=kinds, frequent=frequent)


@cache
def _shipped() -> _Catalogue:
    return _parse(*package_toml("gdsmodel.metrics.reliability", "data", "indices.toml"))


def index_catalogue() -> tuple[IndexInfo, ...]:
    """Every index this package computes, with its source and confidence."""
    return _shipped().indices


def index_info(index_id: str) -> IndexInfo:
    """One entry of the catalogue by id.

    >>> index_info("maifie").source.document
    'IEEE Std 1366'
    """
    for info in index_catalogue():
        if info.id == index_id:
            return info
    raise InputError(
        "is not an index of the catalogue",
        name="index_id",
        value=index_id,
        allowed=", ".join(i.id for i in index_catalogue()),
    )


def outage_kinds() -> Mapping[str, OutageKind]:
    """``planned`` (预安排停电) and ``fault`` (故障停电) with the cause classes of each."""
    return _shipped().kinds


def frequent_outage_rule() -> FrequentOutageRule:
    """The shipped frequent-outage rule (confidence L: an overridable default)."""
    return _shipped().frequent
