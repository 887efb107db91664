"""The figures a station is judged by: exact ratios, KPI definitions, formulas, assessment.

Public names load lazily (``import gdsmodel.metrics`` stays cheap):

>>> from gdsmodel.metrics import Ratio, metric, line_loss_rate
>>> metric("line_loss_rate").name.zh
'线损率'
>>> line_loss_rate(supplied_kwh=1000, sold_kwh=935).ratio.percent
Fraction(13, 2)

The power-factor functions live in :mod:`gdsmodel.metrics.reactive`;
``from gdsmodel.metrics import power_factor`` gives the function:

>>> from gdsmodel.metrics import power_factor
>>> power_factor(active_kwh=80_000, reactive_kvarh=60_000)
Decimal('0.80')
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    # exact ratios and targets
    "Ratio": "ratio",
    "Target": "ratio",
    "Direction": "ratio",
    "Verdict": "ratio",
    "VerdictStatus": "ratio",
    "UndefinedRatioError": "ratio",
    "KpiResult": "ratio",
    "ScalarResult": "ratio",
    "NumberLike": "ratio",
    # definitions and the registry
    "AdditiveMetric": "additive",
    "MetricDefinition": "definitions",
    "TargetSpec": "definitions",
    "MetricGroup": "definitions",
    "NotAdditiveError": "definitions",
    "metric": "registry",
    "metrics": "registry",
    "load_registry": "registry",
    "Registry": "registry",
    # energy
    "line_loss_rate": "energy",
    "LineLoss": "energy",
    "line_loss_by": "energy",
    "loss_breakdown": "energy",
    "LossBreakdown": "energy",
    "average_price": "energy",
    "supplied_energy": "energy",
    # rates
    "meter_reading_rate": "rates",
    "reading_error_rate": "rates",
    "collection_rate": "rates",
    "collection_rates": "rates",
    "CollectionRates": "rates",
    "fee_remittance_rate": "rates",
    "ticket_pass_rate": "rates",
    "rcd_installation_rate": "rates",
    "rcd_in_service_rate": "rates",
    "rcd_correct_operation_rate": "rates",
    # voltage
    "voltage_qualification_rate": "voltage",
    "comprehensive_voltage_rate": "voltage",
    "voltage_limits": "voltage",
    "assess_readings": "voltage",
    "MonitoringClass": "voltage",
    "ComprehensiveVoltage": "voltage",
    # power factor (the module is gdsmodel.metrics.reactive)
    "power_factor": "reactive",
    "power_factor_adjustment": "reactive",
    "power_factor_fee": "reactive",
    "standard_for_customer": "reactive",
    # equipment
    "equipment_intact_rate": "equipment",
    "class1_share": "equipment",
    # reliability
    "Outage": "reliability",
    "IndexValue": "reliability",
    "OutageCause": "reliability",
    "ReliabilityState": "reliability",
    "reliability_indices": "reliability",
    "med_threshold": "reliability",
    "exclude_major_event_days": "reliability",
    "daily_saidi": "reliability",
    "rs1": "reliability",
    "rs2": "reliability",
    "rs3": "reliability",
    "asai": "reliability",
    "aihc": "reliability",
    "aitc": "reliability",
    "saifi": "reliability",
    "saidi": "reliability",
    "caidi": "reliability",
    "maifi": "reliability",
    "maifie": "reliability",
    # reliability on frames (pandas, polars, DuckDB, Spark), exactly the object path
    "reliability_by": "reliability",
    "reliability_states_by": "reliability",
    "daily_saidi_by": "reliability",
    "med_thresholds_by": "reliability",
    "exclude_major_event_days_by": "reliability",
    # assessment
    "ScoringRule": "assessment",
    "Scheme": "assessment",
    "AssessmentSheet": "assessment",
    "assess": "assessment",
    "year_end": "assessment",
    "default_scheme": "assessment",
    "load_scheme": "assessment",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'gdsmodel.metrics' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"gdsmodel.metrics.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
