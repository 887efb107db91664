"""The units of the KPIs as a Chinese reader writes them (``data/units.toml``).

The registry writes every unit in English (``h/customer``); the report and the command line
show the Chinese from this one table.

>>> unit_zh("min/customer"), unit_zh("events/customer"), unit_zh("%")
('分钟/户', '次/户', '%')
>>> in_zh("0.5287 yuan/kWh", "yuan/kWh")
'0.5287 元/千瓦时'
"""

from __future__ import annotations

import functools

from gdsmodel.datafiles import package_toml
from gdsmodel.errors import DataFileError

__all__ = ["in_zh", "unit_zh", "units_zh"]


@functools.cache
def units_zh() -> dict[str, str]:
    """The table: a unit as the registry writes it → its Chinese."""
    data, file = package_toml("gdsmodel.metrics", "data", "units.toml")
    table = data.get("zh")
    if not isinstance(table, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v for k, v in table.items()
    ):
        raise DataFileError("zh must map each unit to its Chinese (text)", file=file, path="zh")
    return dict(table)


def unit_zh(unit: str) -> str:
    """A unit in Chinese; a unit the table does not hold (``%``) as it is."""
    return units_zh().get(unit, unit)


def in_zh(text: str, unit: str) -> str:
    """``text`` with ``unit`` written in Chinese."""
    zh = units_zh().get(unit)
    return text.replace(unit, zh) if zh and unit else text
