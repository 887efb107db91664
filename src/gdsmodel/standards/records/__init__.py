"""The station's work records: one engine (typed events, state machines, an append-only,
hash-chained store) and the kinds of record the standard prescribes.

* :mod:`~gdsmodel.standards.records.store`, :mod:`~gdsmodel.standards.records.pgstore`,
  :mod:`~gdsmodel.standards.records.chain`: the append-only store every kind uses (the
  safety-tool ledger too), with the event encoding a :class:`Codec` parameter;
* :func:`kind`, :func:`record_kinds` (``records.kinds.kinds``), :func:`load_kind`: the kinds
  and their rules as data;
* :class:`RecordEvent`, :func:`apply`, :func:`fold`, :class:`InvalidMove`: events and the
  state machines;
* :class:`RecordBook`: a station's records in one store, with :meth:`RecordBook.record` as the
  one writer, and the queries ``states``, ``due`` and ``overdue``;
* :func:`figure_rows`, :func:`monthly`: figures as the inputs of registry metrics;
* :func:`record_obligations`: open records in the obligations calendar;
* :func:`read_sheet`, :func:`import_sheet`: records from a CSV or Excel sheet.

>>> from gdsmodel.standards import records
>>> records.kind("ticket").owner
'safety_officer'
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "Clock",
    "Codec",
    "Due",
    "FigureRow",
    "InvalidMove",
    "KindSpec",
    "RecordBook",
    "RecordEvent",
    "RecordState",
    "apply",
    "figure_rows",
    "fold",
    "import_sheet",
    "kind",
    "load_kind",
    "monthly",
    "read_sheet",
    "record_kinds",
    "record_obligations",
]

_WHERE = {
    "Clock": "machine",
    "Codec": "store",
    "Due": "book",
    "FigureRow": "figures",
    "InvalidMove": "machine",
    "KindSpec": "kinds",
    "RecordBook": "book",
    "RecordEvent": "events",
    "RecordState": "machine",
    "apply": "machine",
    "figure_rows": "figures",
    "fold": "machine",
    "import_sheet": "sheets",
    "kind": "kinds",
    "load_kind": "kinds",
    "monthly": "figures",
    "read_sheet": "sheets",
    "record_obligations": "obligations",
}


def __getattr__(name: str) -> Any:
    if name == "record_kinds":  # the function kinds(); ``records.kinds`` is its module
        return importlib.import_module(f"{__name__}.kinds").kinds
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
