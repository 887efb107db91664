"""How the records engine's stores encode the safety tools' events: :data:`TOOLS`.

>>> TOOLS.format, TOOLS.tables
('gdsmodel-safety-tools-ledger', 'gdsmodel_ledger')
"""

from __future__ import annotations

from typing import Any

from gdsmodel.standards.records.store import Codec
from gdsmodel.standards.safety_tools.events import Event, event_from_dict, event_to_dict

__all__ = ["FORMAT", "TOOLS", "VERSION", "VERSIONS"]

#: The ``format`` tag of a ledger file, and its version (2: every event carries the hash of the
#: chain; version 1 files, without hashes, are read and chained on their first write).
FORMAT = "gdsmodel-safety-tools-ledger"
VERSION = 2
VERSIONS = (1, 2)


def _key(event: Event) -> str:
    return event.serial


def _type(event: Event) -> str:
    return event.TYPE


def _on(event: Event) -> Any:
    return event.on


#: How the stores encode the safety tools' events.
TOOLS: Codec[Event] = Codec(
    format=FORMAT,
    version=VERSION,
    versions=VERSIONS,
    noun="safety-tool ledger",
    create_hint="register a tool to create one",
    to_dict=event_to_dict,
    from_dict=event_from_dict,
    key=_key,
    type_of=_type,
    on=_on,
    tables="gdsmodel_ledger",
)
