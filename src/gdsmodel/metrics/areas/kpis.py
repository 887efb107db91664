"""The KPI definitions of transformer-area analytics (``data/areas_kpis.toml``).

They are in the format of the shipped registry (``gdsmodel.kpis/1``) and are exposed here
until the registry loads more than one file: :func:`area_registry` is the shipped registry
followed by these definitions.

>>> d = area_metric("area_loss_qualified_rate")
>>> d.ratio(qualified_areas=45, computable_areas=50).format()
'90.00%'
>>> [m.id for m in area_registry().for_clause("technician.standard.7")][-3:]
['overload_area_share', 'low_voltage_customer_share', 'unbalanced_area_share']
"""

from __future__ import annotations

from functools import cache

from gdsmodel.datafiles import package_toml
from gdsmodel.errors import DataFileError, NotFoundError
from gdsmodel.metrics.definitions import MetricDefinition
from gdsmodel.metrics.registry import KpiFile, Registry, default_registry
from gdsmodel.serialize import structure

__all__ = ["area_metric", "area_metrics", "area_registry"]


@cache
def area_metrics() -> tuple[MetricDefinition, ...]:
    """The area KPI definitions, in file order."""
    data, file = package_toml("gdsmodel.metrics", "data", "areas_kpis.toml")
    parsed = structure(data, KpiFile, file=file)
    if parsed.format != "gdsmodel.kpis/1":
        raise DataFileError(
            f"unknown format {parsed.format!r} (allowed: gdsmodel.kpis/1)", file=file, path="format"
        )
    return parsed.metrics


@cache
def area_registry() -> Registry:
    """The shipped registry followed by the area KPIs (IDs already shipped are kept once)."""
    base = default_registry()
    extra = tuple(d for d in area_metrics() if d.id not in base)
    return Registry((*base.metrics(), *extra))


def area_metric(metric_id: str) -> MetricDefinition:
    """An area KPI definition by ID.

    >>> area_metric("nonsense")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    gdsmodel.errors.NotFoundError: unknown area metric 'nonsense'; known: ...
    """
    for d in area_metrics():
        if d.id == metric_id:
            return d
    raise NotFoundError("area metric", metric_id, [d.id for d in area_metrics()])
