"""Cause classes of outages (计划停电, 故障停电, 外部影响, 系统电源不足限电) and the sets
of them that RS-1, RS-2 and RS-3 count."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Final

from gdsmodel.errors import InputError
from gdsmodel.text import Text

# --------------------------------------------------------------------------- causes


class OutageCause(enum.StrEnum):
    """The cause class of an outage, as the RS-1/RS-2/RS-3 indices tell them apart.

    >>> OutageCause("external").label.get("both")
    '外部影响 / external cause'
    """

    PLANNED = "planned"
    FAULT = "fault"
    EXTERNAL = "external"
    SUPPLY_SHORTAGE = "supply_shortage"

    @property
    def label(self) -> Text:
        """The bilingual name of the cause class."""
        return _CAUSE_LABELS[self]


_CAUSE_LABELS: Final = {
    OutageCause.PLANNED: Text("计划停电", "planned outage"),
    OutageCause.FAULT: Text("故障停电", "fault outage"),
    OutageCause.EXTERNAL: Text("外部影响", "external cause"),
    OutageCause.SUPPLY_SHORTAGE: Text(
        "系统电源不足限电", "load shedding for lack of system supply"
    ),
}

_BY_VALUE: Final = {c.value: c for c in OutageCause}

ALL_CAUSES: Final = frozenset(OutageCause)
"""Every cause class: the outages RS-1, AIHC-1 and AITC-1 count."""
RS1_CAUSES: Final = ALL_CAUSES
"""Causes counted by RS-1: all outages."""
RS2_CAUSES: Final = ALL_CAUSES - {OutageCause.EXTERNAL}
"""Causes counted by RS-2: all but external causes (不计外部影响)."""
RS3_CAUSES: Final = ALL_CAUSES - {OutageCause.SUPPLY_SHORTAGE}
"""Causes counted by RS-3: all but load shedding for lack of system supply.

(不计系统电源不足限电.)"""


def _causes(causes: Iterable[OutageCause | str] | None) -> frozenset[OutageCause]:
    if causes is None:
        return ALL_CAUSES
    if isinstance(causes, str):
        causes = [causes]
    return frozenset(_cause(c) for c in causes)


def _cause(value: object) -> OutageCause:
    if isinstance(value, OutageCause):
        return value
    found = _BY_VALUE.get(value) if isinstance(value, str) else None
    if found is not None:
        return found
    try:
        return OutageCause(str(value))
    except ValueError:
        raise InputError(
            "is not an outage cause",
            name="cause",
            value=value,
            allowed=", ".join(c.value for c in OutageCause),
        ) from None
