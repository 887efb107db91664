"""The registry of KPI definitions, loaded from ``data/kpis.toml``, and station overrides.

>>> from gdsmodel.metrics.registry import metric, metrics
>>> d = metric("line_loss_rate_10kv")
>>> d.name.zh, d.unit, str(d.direction)
('10 kV 综合线损率', '%', 'lower')
>>> [(t.id, str(t.value)) for t in d.targets]
[('A', '6.5'), ('B', '7'), ('C', '7.5')]
>>> "safety_officer.standard.4" in metric("two_ticket_pass_rate").clauses
True
>>> len(metrics()) >= 30
True

A station loads its own targets with :func:`load_registry` (or
:meth:`Registry.with_overrides`); the shipped registry stays unchanged:

>>> reg = load_registry(overrides={"overrides": [
...     {"metric": "line_loss_rate_10kv", "default_target": "B"}]})
>>> str(reg.metric("line_loss_rate_10kv").target), metric("line_loss_rate_10kv").target
('<= 7%', None)
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from gdsmodel.datafiles import parse_toml
from gdsmodel.errors import DataFileError, NotFoundError
from gdsmodel.metrics.definitions import MetricDefinition, TargetSpec
from gdsmodel.serialize import structure

__all__ = [
    "KpiFile",
    "Registry",
    "TargetOverride",
    "TargetOverrideFile",
    "default_registry",
    "load_registry",
    "metric",
    "metrics",
]

_DATA_FILE = "kpis.toml"


@attrs.frozen(slots=True, kw_only=True)
class KpiFile:
    """The wire form of ``kpis.toml``: a format tag and the definitions."""

    format: str
    metrics: tuple[MetricDefinition, ...]


@attrs.frozen(slots=True, kw_only=True)
class TargetOverride:
    """A station's change to the targets of one metric.

    ``targets`` are added, or replace the shipped target of the same ID; ``default_target``
    picks the target that :attr:`MetricDefinition.target` returns (a grade such as
    ``"B"``, or one of the added targets). ``clear_default`` removes the default.
    """

    metric: str
    targets: tuple[TargetSpec, ...] = ()
    default_target: str | None = None
    clear_default: bool = False


@attrs.frozen(slots=True, kw_only=True)
class TargetOverrideFile:
    """The wire form of a station's targets file (TOML)::

    [[overrides]]
    metric = "line_loss_rate_10kv"
    default_target = "B"

    [[overrides]]
    metric = "meter_reading_rate"
    default_target = "county_2026"
    [[overrides.targets]]
    id = "county_2026"
    value = "99.5"
    confidence = "M"
    source = { document = "县公司供电所考核办法", edition = "2026" }
    """

    overrides: tuple[TargetOverride, ...] = ()


@attrs.frozen(slots=True)
class Registry:
    """An ordered, immutable set of metric definitions with look-ups by ID.

    >>> reg = default_registry()
    >>> reg.metric("rs3").unit
    '%'
    >>> [d.id for d in reg.for_clause("safety_officer.standard.7")]
    ['rcd_installation_rate', 'rcd_in_service_rate', 'rcd_correct_operation_rate']
    """

    definitions: tuple[MetricDefinition, ...]
    _index: dict[str, MetricDefinition] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        index: dict[str, MetricDefinition] = {}
        for d in self.definitions:
            if d.id in index:
                raise DataFileError(f"duplicate metric ID {d.id!r}", path=f"metrics[{d.id}]")
            index[d.id] = d
        object.__setattr__(self, "_index", index)

    def metric(self, metric_id: str) -> MetricDefinition:
        """The definition with this ID; :class:`~gdsmodel.errors.NotFoundError` if unknown."""
        try:
            return self._index[metric_id]
        except KeyError:
            raise NotFoundError("metric", metric_id, self._index) from None

    def metrics(self) -> tuple[MetricDefinition, ...]:
        """Every definition, in registry order."""
        return self.definitions

    def ids(self) -> tuple[str, ...]:
        """Every metric ID, in registry order."""
        return tuple(self._index)

    def __iter__(self) -> Iterator[MetricDefinition]:
        return iter(self.definitions)

    def __len__(self) -> int:
        return len(self.definitions)

    def __contains__(self, metric_id: object) -> bool:
        return metric_id in self._index

    def for_clause(self, clause_id: str) -> tuple[MetricDefinition, ...]:
        """The metrics that a clause of the standard calls for."""
        return tuple(d for d in self.definitions if clause_id in d.clauses)

    def for_owner(self, owner_id: str) -> tuple[MetricDefinition, ...]:
        """The metrics a post or unit owns."""
        return tuple(d for d in self.definitions if owner_id in d.owners)

    def with_overrides(
        self,
        overrides: str | os.PathLike[str] | Mapping[str, Any],
        *,
        file: str | None = None,
    ) -> Registry:
        """A new registry with a station's targets applied (this one is unchanged).

        ``overrides`` is a path to a TOML file or the same data as a mapping. A bad file
        raises :class:`~gdsmodel.errors.DataFileError` naming the file and the entry.
        """
        if isinstance(overrides, Mapping):
            data: Any = overrides
        else:
            path = Path(overrides)
            file = file or str(path)
            data = _read_toml(path.read_bytes(), file)
        parsed = structure(data, TargetOverrideFile, file=file)
        changed = dict(self._index)
        for i, ov in enumerate(parsed.overrides):
            where = f"overrides[{i}]"
            if ov.metric not in changed:
                known = ", ".join(self._index)
                raise DataFileError(
                    f"unknown metric {ov.metric!r}; known: {known}", file=file, path=where
                )
            changed[ov.metric] = _apply(changed[ov.metric], ov, file=file, where=where)
        return Registry(tuple(changed[d.id] for d in self.definitions))


def _apply(
    d: MetricDefinition, ov: TargetOverride, *, file: str | None, where: str
) -> MetricDefinition:
    specs = {t.id: t for t in d.targets}
    for t in ov.targets:
        specs[t.id] = t
    default = d.default_target
    if ov.clear_default:
        default = None
    if ov.default_target is not None:
        if ov.default_target not in specs:
            raise DataFileError(
                f"metric {d.id!r} has no target {ov.default_target!r}; "
                f"known: {', '.join(specs) or '(none)'}",
                file=file,
                path=f"{where}.default_target",
            )
        default = ov.default_target
    return attrs.evolve(d, targets=tuple(specs.values()), default_target=default)


def _read_toml(raw: bytes, file: str) -> Any:
    return parse_toml(raw, file=file)


def _parse(data: Any, file: str) -> Registry:
    parsed = structure(data, KpiFile, file=file)
    if parsed.format != "gdsmodel.kpis/1":
        raise DataFileError(
            f"unknown format {parsed.format!r} (allowed: gdsmodel.kpis/1)", file=file, path="format"
        )
    return Registry(parsed.metrics)


@cache
def default_registry() -> Registry:
    """The shipped registry (loaded once and cached)."""
    raw = resources.files("gdsmodel.metrics").joinpath("data", _DATA_FILE).read_bytes()
    file = f"gdsmodel/metrics/data/{_DATA_FILE}"
    return _parse(_read_toml(raw, file), file)


def load_registry(
    overrides: str | os.PathLike[str] | Mapping[str, Any] | None = None,
) -> Registry:
    """The shipped registry, with a station's targets file applied when given.

    >>> reg = load_registry()
    >>> reg is default_registry()
    True
    """
    reg = default_registry()
    return reg if overrides is None else reg.with_overrides(overrides)


def metric(metric_id: str) -> MetricDefinition:
    """The shipped definition of a metric; :class:`~gdsmodel.errors.NotFoundError` if unknown.

    >>> metric("collection_rate").valid_range is None
    True
    >>> metric("nonsense")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    gdsmodel.errors.NotFoundError: unknown metric 'nonsense'; known: line_loss_rate, ...
    """
    return default_registry().metric(metric_id)


def metrics() -> tuple[MetricDefinition, ...]:
    """Every shipped definition, in registry order."""
    return default_registry().metrics()
