"""The one event of every kind of record: a move made on a record, on a day, by someone, with
the fields it records. Its shape is checked here; whether the move is allowed is the kind's
state machine's (:mod:`~gdsmodel.standards.records.machine`).

Field values are stored as canonical text (a date ``YYYY-MM-DD``, a bool ``true``/``false``, an
integer in decimal), checked against the kind's field types by the machine.

>>> import datetime
>>> e = RecordEvent(kind="defect", record="DEF-1", move="find", on=datetime.date(2026, 3, 2),
...                 fields={"class": "major"})
>>> event_from_dict(event_to_dict(e)) == e
True
>>> CODEC.key(e)
'defect/DEF-1'
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import attrs

from gdsmodel.errors import DataFileError, InputError
from gdsmodel.standards.records.store import Codec

__all__ = [
    "CODEC",
    "DATE_RANGE",
    "FORMAT",
    "VERSION",
    "RecordEvent",
    "event_from_dict",
    "event_to_dict",
    "normal_id",
]

#: The ``format`` tag of a records file (every kind but the safety tools, which keep their own
#: ledger), and its version.
FORMAT = "gdsmodel-records"
VERSION = 2  # chained from the start (the engine reads version 1 as unchained)

#: The days an event may carry.
DATE_RANGE = (_dt.date(1900, 1, 1), _dt.date(2199, 12, 31))

_ID = re.compile(r"[^\s\x00-\x1f\x7f/](?:[^\x00-\x1f\x7f/]*[^\s\x00-\x1f\x7f/])?")
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_MAX_TEXT = 2000


def normal_id(value: str) -> str:
    """A record ID in the form compared: Unicode NFKC (``ＤＥＦ－１`` is ``DEF-1``).

    >>> normal_id("ＤＥＦ－１")
    'DEF-1'
    """
    return unicodedata.normalize("NFKC", value)


def _text_ok(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


def _record_id(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not _ID.fullmatch(value) or len(value) > 100:
        raise InputError(
            "not a usable record ID",
            name=attribute.name,
            value=value,
            allowed="1 to 100 characters, no '/', no control characters, no blanks at the ends",
        )


def _name(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not _NAME.fullmatch(value) or len(value) > 64:
        raise InputError(
            "not a name of the records' rules",
            name=attribute.name,
            value=value,
            allowed="lower-case letters, digits and _ (e.g. hand_off)",
        )


def _day(_: object, attribute: attrs.Attribute[_dt.date], value: _dt.date) -> None:
    if not isinstance(value, _dt.date) or isinstance(value, _dt.datetime):
        raise InputError("not a date", name=attribute.name, value=value, allowed="a date")
    if not DATE_RANGE[0] <= value <= DATE_RANGE[1]:
        raise InputError(
            "out of range", name=attribute.name, value=value, allowed="1900-01-01 to 2199-12-31"
        )


def _short_text(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or len(value) > _MAX_TEXT or not _text_ok(value):
        raise InputError(
            "not usable text",
            name=attribute.name,
            value=value,
            allowed=f"UTF-8 text of at most {_MAX_TEXT} characters",
        )


def _fields(value: Mapping[str, str]) -> Mapping[str, str]:
    if not isinstance(value, Mapping):
        raise InputError("must be a mapping", name="fields", value=value, allowed="{field: text}")
    out: dict[str, str] = {}
    for k in sorted(value):
        v = value[k]
        if not isinstance(k, str) or not _NAME.fullmatch(k):
            raise InputError(
                "not a field name", name="fields", value=k, allowed="lower-case letters, _"
            )
        if not isinstance(v, str) or len(v) > _MAX_TEXT or not _text_ok(v):
            raise InputError(
                "a field's value must be text",
                name=k,
                value=v,
                allowed=f"UTF-8 text of at most {_MAX_TEXT} characters",
            )
        out[k] = unicodedata.normalize("NFKC", v).strip()
    return out


@attrs.frozen(slots=True, kw_only=True)
class RecordEvent:
    """A move made on a record (see the module text). ``by`` is who made it (a person of the
    roster or a name), ``fields`` what it records."""

    kind: str = attrs.field(validator=_name)
    record: str = attrs.field(converter=normal_id, validator=_record_id)
    move: str = attrs.field(validator=_name)
    on: _dt.date = attrs.field(validator=_day)
    by: str = attrs.field(default="", validator=_short_text)
    fields: Mapping[str, str] = attrs.field(factory=dict, converter=_fields, hash=False)
    note: str = attrs.field(default="", validator=_short_text)

    def get(self, name: str) -> str | None:
        """The value the event records for a field, or None.

        >>> RecordEvent(kind="meter", record="M1", move="verify",
        ...             on=_dt.date(2026, 1, 1), fields={"result": "pass"}).get("result")
        'pass'
        """
        return self.fields.get(name)


def event_to_dict(event: RecordEvent) -> dict[str, Any]:
    """The wire form of an event (what the store keeps and hashes).

    >>> event_to_dict(RecordEvent(kind="meter", record="M1", move="remove",
    ...               on=_dt.date(2026, 1, 1)))
    {'kind': 'meter', 'record': 'M1', 'move': 'remove', 'on': '2026-01-01'}
    """
    out: dict[str, Any] = {
        "kind": event.kind,
        "record": event.record,
        "move": event.move,
        "on": event.on.isoformat(),
    }
    if event.by:
        out["by"] = event.by
    if event.fields:
        out["fields"] = dict(event.fields)
    if event.note:
        out["note"] = event.note
    return out


_KEYS = {"kind", "record", "move", "on", "by", "fields", "note"}


def event_from_dict(data: Any) -> RecordEvent:
    """An event from its wire form; :class:`~gdsmodel.errors.DataFileError` names what is
    wrong (``path`` within the event).

    >>> event_from_dict({"kind": "meter"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    gdsmodel.errors.DataFileError: $: missing keys ['move', 'on', 'record'] ...
    """
    if not isinstance(data, dict):
        raise DataFileError("an event must be a JSON object", path="$")
    missing = sorted({"kind", "record", "move", "on"} - set(data))
    extra = sorted(set(data) - _KEYS)
    if missing or extra:
        raise DataFileError(
            f"missing keys {missing} or unknown keys {extra} (allowed: {sorted(_KEYS)})",
            path="$",
        )
    on = data["on"]
    try:
        day = _dt.date.fromisoformat(on) if isinstance(on, str) and len(on) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise DataFileError(f"not a date (YYYY-MM-DD): {on!r}", path="$.on")
    try:
        return RecordEvent(
            kind=data["kind"],
            record=data["record"],
            move=data["move"],
            on=day,
            by=data.get("by", ""),
            fields=data.get("fields", {}),
            note=data.get("note", ""),
        )
    except (InputError, TypeError) as exc:
        name = getattr(exc, "name", None) or ""
        raise DataFileError(str(exc), path=f"$.{name}" if name else "$") from None


def _key(event: RecordEvent) -> str:
    return f"{event.kind}/{event.record}"


def _type(event: RecordEvent) -> str:
    return event.move


def _on(event: RecordEvent) -> _dt.date:
    return event.on


#: How the stores encode record events.
CODEC: Codec[RecordEvent] = Codec(
    format=FORMAT,
    version=VERSION,
    versions=(VERSION,),
    noun="records file",
    create_hint="add a record to create one",
    to_dict=event_to_dict,
    from_dict=event_from_dict,
    key=_key,
    type_of=_type,
    on=_on,
    tables="gdsmodel_records",
)
