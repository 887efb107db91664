"""Old location of :mod:`gdsmodel.metrics.reactive` (the power factor and the 1983 rule).

Import from ``gdsmodel.metrics.reactive`` instead; this module only re-exports it while the
remaining importers move, after which ``from gdsmodel.metrics import power_factor`` gives
the function.

>>> from gdsmodel.metrics.reactive import power_factor as pf
>>> power_factor is pf
True
"""

from __future__ import annotations

from gdsmodel.metrics.reactive import (
    CustomerCategory,
    PowerFactorData,
    PowerFactorStandard,
    PowerFactorTable,
    StandardRule,
    TableRow,
    load_power_factor_data,
    power_factor,
    power_factor_adjustment,
    power_factor_data,
    power_factor_fee,
    standard_for_customer,
    to_hundredths,
)

__all__ = [
    "CustomerCategory",
    "PowerFactorData",
    "PowerFactorStandard",
    "PowerFactorTable",
    "StandardRule",
    "TableRow",
    "load_power_factor_data",
    "power_factor",
    "power_factor_adjustment",
    "power_factor_data",
    "power_factor_fee",
    "standard_for_customer",
    "to_hundredths",
]
