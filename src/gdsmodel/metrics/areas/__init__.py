"""Transformer-area (台区) analytics: same-period line loss, classes and load-curve indicators.

* :mod:`~gdsmodel.metrics.areas.loss`: daily frozen readings of both sides
  (:class:`SupplyReading`, :class:`CustomerReading`) into additive area-day and area-period
  states (:class:`AreaDay`, :class:`AreaPeriod`), classed qualified, high-loss,
  negative-loss or non-computable with a reason (:func:`classify`, :func:`classify_day`);
* :mod:`~gdsmodel.metrics.areas.counts`: :class:`ClassCounts`, the 台区线损合格率 and the
  shares of high- and negative-loss areas as ratios of counts;
* :mod:`~gdsmodel.metrics.areas.runs`: :class:`RunState`, runs of days or points that merge;
* :mod:`~gdsmodel.metrics.areas.load`: 96-point curves: load rate, heavy-load and overload
  events, low voltage, three-phase unbalance;
* :mod:`~gdsmodel.metrics.areas.frames`: the same on pandas, polars and DuckDB frames;
* :mod:`~gdsmodel.metrics.areas.rules`: the rules as data (``data/areas.toml``) with their
  sources and confidence; :mod:`~gdsmodel.metrics.areas.kpis`: the KPI definitions.

>>> import datetime as dt
>>> d = dt.date(2026, 3, 2)
>>> days = area_days([SupplyReading("T01", d, 2000), SupplyReading("T02", d, 1000)],
...                  [CustomerReading("T01", d, 1700, meters_expected=80, meters_read=80),
...                   CustomerReading("T02", d, 960, meters_expected=40, meters_read=40)])
>>> classes = [classify(p) for p in area_periods(days.values()).values()]
>>> [(c.area, c.area_class.value, c.loss.format()) for c in classes]
[('T01', 'high_loss', '15.00%'), ('T02', 'qualified', '4.00%')]
>>> ClassCounts.of(classes).qualified_rate.format()
'50.00%'
"""

from __future__ import annotations

from gdsmodel.metrics.areas.counts import ClassCounts
from gdsmodel.metrics.areas.kpis import area_metric, area_metrics, area_registry
from gdsmodel.metrics.areas.load import (
    POINTS_PER_DAY,
    CurvePoint,
    EventSummary,
    LoadRate,
    LowVoltageCounts,
    Transformer,
    VoltagePoint,
    area_load_rates,
    events_of,
    load_events,
    load_rate,
    low_voltage,
    unbalance,
    unbalance_events,
)
from gdsmodel.metrics.areas.loss import (
    AreaClass,
    AreaDay,
    AreaPeriod,
    Classification,
    CustomerReading,
    NonComputable,
    SupplyReading,
    area_day,
    area_days,
    area_periods,
    classify,
    classify_day,
)
from gdsmodel.metrics.areas.rules import (
    AreaRules,
    LoadEventRule,
    LossBand,
    area_rules,
    load_area_rules,
)
from gdsmodel.metrics.areas.runs import Run, RunState, runs

__all__ = [
    "POINTS_PER_DAY",
    "AreaClass",
    "AreaDay",
    "AreaPeriod",
    "AreaRules",
    "ClassCounts",
    "Classification",
    "CurvePoint",
    "CustomerReading",
    "EventSummary",
    "LoadEventRule",
    "LoadRate",
    "LossBand",
    "LowVoltageCounts",
    "NonComputable",
    "Run",
    "RunState",
    "SupplyReading",
    "Transformer",
    "VoltagePoint",
    "area_day",
    "area_days",
    "area_load_rates",
    "area_metric",
    "area_metrics",
    "area_periods",
    "area_registry",
    "area_rules",
    "classify",
    "classify_day",
    "events_of",
    "load_area_rules",
    "load_events",
    "load_rate",
    "low_voltage",
    "runs",
    "unbalance",
    "unbalance_events",
]
