"""Safety tools (安全工器具) managed by the 32-character rule of safety officer standard 6.

* :data:`PRINCIPLES`: the eight principles (择优选购 … 妥善保管) and the operations serving each;
* :func:`tool_kinds`, :func:`tool_kind`: the catalogue of kinds and their test intervals as data
  (DL/T 1476-2015 by default; a station overrides it with :func:`load_tool_kinds`);
* :class:`Ledger`: the append-only ledger (登记造册): one writer, :meth:`Ledger.record`, for
  every typed event (with one-line conveniences named after the operations), and the queries
  ``due``, ``overdue``, ``unusable``, ``card``, ``check`` and ``shortfall``; in memory, or in a
  JSON or SQLite file (:meth:`Ledger.open`), hash-chained (:class:`ChainBroken` names the first
  event changed after it was written);
* :mod:`~gdsmodel.standards.safety_tools.queries`: the queries as functions over tool states;
* :func:`add_interval`, :func:`next_due`: due dates, with the one month-end rule.

>>> from gdsmodel.standards import safety_tools as st
>>> len(st.PRINCIPLES), str(st.tool_kind("electroscope").test_interval)
(8, '1 year')
"""

from __future__ import annotations

from gdsmodel.standards.safety_tools.catalogue import (
    STATION_EDITION,
    Catalogue,
    Category,
    Edition,
    TestSpec,
    ToolKind,
    default_catalogue,
    editions,
    format_interval,
    load_tool_kinds,
    parse_interval,
    tool_kind,
    tool_kinds,
)
from gdsmodel.standards.safety_tools.chain import ChainBroken
from gdsmodel.standards.safety_tools.duedates import add_interval, end_of_service_life, next_due
from gdsmodel.standards.safety_tools.events import (
    DATE_RANGE,
    EVENT_TYPES,
    Checked,
    DefectFound,
    Event,
    InvalidEvent,
    Issued,
    Measurement,
    Moved,
    Recalled,
    Registered,
    Repaired,
    Returned,
    Scrapped,
    Sealed,
    Tested,
    TestPurpose,
    event_from_dict,
    event_to_dict,
    normal_serial,
)
from gdsmodel.standards.safety_tools.kits import Holder, Kit, KitItem, Shortfall, kits, load_kits
from gdsmodel.standards.safety_tools.ledger import Ledger
from gdsmodel.standards.safety_tools.principles import (
    PRINCIPLES,
    SOURCE_CLAUSE,
    Operation,
    Principle,
    principle,
)
from gdsmodel.standards.safety_tools.queries import (
    Card,
    Discrepancy,
    DiscrepancyKind,
    Due,
    Entry,
    PeriodLike,
    Sighting,
    Unusable,
)
from gdsmodel.standards.safety_tools.state import (
    Condition,
    DueReason,
    DuplicateSerial,
    InvalidOperation,
    Label,
    ToolState,
    allowed_operations,
)
from gdsmodel.standards.safety_tools.store import LedgerReplaced, StoreError

__all__ = [
    "DATE_RANGE",
    "EVENT_TYPES",
    "PRINCIPLES",
    "SOURCE_CLAUSE",
    "STATION_EDITION",
    "Card",
    "Catalogue",
    "Category",
    "ChainBroken",
    "Checked",
    "Condition",
    "DefectFound",
    "Discrepancy",
    "DiscrepancyKind",
    "Due",
    "DueReason",
    "DuplicateSerial",
    "Edition",
    "Entry",
    "Event",
    "Holder",
    "InvalidEvent",
    "InvalidOperation",
    "Issued",
    "Kit",
    "KitItem",
    "Label",
    "Ledger",
    "LedgerReplaced",
    "Measurement",
    "Moved",
    "Operation",
    "PeriodLike",
    "Principle",
    "Recalled",
    "Registered",
    "Repaired",
    "Returned",
    "Scrapped",
    "Sealed",
    "Shortfall",
    "Sighting",
    "StoreError",
    "TestPurpose",
    "TestSpec",
    "Tested",
    "ToolKind",
    "ToolState",
    "Unusable",
    "add_interval",
    "allowed_operations",
    "default_catalogue",
    "editions",
    "end_of_service_life",
    "event_from_dict",
    "event_to_dict",
    "format_interval",
    "kits",
    "load_kits",
    "load_tool_kinds",
    "next_due",
    "normal_serial",
    "parse_interval",
    "principle",
    "tool_kind",
    "tool_kinds",
]
