"""The typed events of the safety-tool ledger (登记造册).

The ledger is an append-only log of these events; the state of every tool is derived from them
(see :mod:`gdsmodel.standards.safety_tools.state`). Each event concerns one tool (its ``serial``)
and happened on one day (``on``). In JSON an event is an object tagged with its ``type``.

>>> import datetime
>>> ev = Issued(serial="GL-001", on=datetime.date(2026, 3, 2), to="王五")
>>> data = event_to_dict(ev)
>>> data["type"], data["on"]
('issued', '2026-03-02')
>>> event_from_dict(data) == ev
True

Every event is checked on construction (serials NFKC-normalised, dates within
:data:`DATE_RANGE`), and :func:`validated` passes it through the same converter the loader uses,
so a writer cannot store what the loader would refuse.
"""

from __future__ import annotations

import datetime
import enum
import re
import unicodedata
from collections.abc import Callable
from typing import Any, ClassVar

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn, override
from cattrs.strategies import configure_tagged_union

from gdsmodel.errors import DataFileError, InputError
from gdsmodel.serialize import converter, structure
from gdsmodel.standards.safety_tools._fast import make_builder

__all__ = [
    "DATE_RANGE",
    "EVENT_TYPES",
    "Checked",
    "DefectFound",
    "Event",
    "InvalidEvent",
    "Issued",
    "Measurement",
    "Moved",
    "Recalled",
    "Registered",
    "Repaired",
    "Returned",
    "Scrapped",
    "Sealed",
    "TestPurpose",
    "Tested",
    "event_from_dict",
    "event_to_dict",
    "normal_serial",
    "validated",
]

_SERIAL = re.compile(r"[^\s\x00-\x1f\x7f](?:[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f])?")


#: The days an event may fall on (first and last, both included). Not a rule of the standard: a
#: sanity bound, so that a mistyped year (0202, 9999) is refused where it is entered instead of
#: failing later in date arithmetic or hiding a tool from every due list.
DATE_RANGE = (datetime.date(1900, 1, 1), datetime.date(2199, 12, 31))


class InvalidEvent(InputError):
    """An event that the ledger's loader would refuse (a field of the wrong type, a date out of
    range...): refused when it is written, so that a stored ledger always opens.

    >>> print(InvalidEvent("expected true or false, got str 'yes'", name="passed", value="yes"))
    passed='yes': expected true or false, got str 'yes'
    """


def _as_date(value: datetime.date) -> datetime.date:
    """Normalise to a plain :class:`datetime.date` (pendulum dates too) within :data:`DATE_RANGE`;
    datetimes are refused."""
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise InputError(
            "expected a calendar date", name="date", value=value, allowed="a datetime.date"
        )
    first, last = DATE_RANGE
    if not first <= value <= last:
        raise InputError(
            "the date is outside the range the ledger accepts",
            name="date",
            value=value.isoformat(),
            allowed=f"a day from {first.isoformat()} to {last.isoformat()}",
        )
    return datetime.date(value.year, value.month, value.day)


def _as_optional_date(value: datetime.date | None) -> datetime.date | None:
    return None if value is None else _as_date(value)


def normal_serial(value: str) -> str:
    """A serial (or batch) number in the form the ledger compares: Unicode NFKC, so that the
    composed and decomposed ``Café`` and the full-width ``ＧＬ－１`` and ``GL-1`` are one tool.

    >>> normal_serial("ＧＬ－１"), normal_serial("Cafe\u0301") == "Caf\u00e9"
    ('GL-1', True)
    """
    return unicodedata.normalize("NFKC", value) if isinstance(value, str) else value


def _unicode(value: str) -> bool:
    """Whether the text can be stored (UTF-8): no lone surrogates, such as the undecodable bytes
    of a command line that Python keeps as lone surrogates (U+DC80 to U+DCFF)."""
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _not_unicode(name: str, value: str) -> InputError:
    return InputError(
        "not valid Unicode text (undecodable bytes?)",
        name=name,
        value=value,
        allowed="text that can be written as UTF-8",
    )


def _serial(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if isinstance(value, str) and not _unicode(value):
        raise _not_unicode(attribute.name, value)
    if not isinstance(value, str) or len(value) > 100 or not _SERIAL.fullmatch(value):
        raise InputError(
            "not a usable serial number",
            name=attribute.name,
            value=value,
            allowed="1 to 100 printable characters, no leading or trailing spaces",
        )


def _required(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InputError(
            "must not be empty", name=attribute.name, value=value, allowed="a name or text"
        )
    if not _unicode(value):
        raise _not_unicode(attribute.name, value)


def _text(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str):
        raise InputError("must be text", name=attribute.name, value=value)
    if not _unicode(value):
        raise _not_unicode(attribute.name, value)


class TestPurpose(enum.StrEnum):
    """Why a test was done: before first use, on the cycle, or again (after repair, recall, doubt).

    >>> TestPurpose("acceptance").name
    'ACCEPTANCE'
    """

    __test__ = False  # not a pytest test class

    ACCEPTANCE = "acceptance"
    PERIODIC = "periodic"
    RETEST = "retest"


@attrs.frozen(slots=True)
class Measurement:
    """One value measured in a test, as text with its unit.

    >>> Measurement("leakage current", "7.2 mA")
    Measurement(name='leakage current', value='7.2 mA')
    """

    name: str = attrs.field(validator=_required)
    value: str = attrs.field(validator=_text)


@attrs.frozen(slots=True, kw_only=True)
class Registered:
    """A tool entered in the ledger (serial, kind, rating, maker, dates, keeper and place).

    >>> Registered(serial="GL-001", on=datetime.date(2026, 1, 5), kind="insulating_gloves").TYPE
    'registered'
    """

    TYPE: ClassVar[str] = "registered"
    serial: str = attrs.field(converter=normal_serial, validator=_serial)
    on: datetime.date = attrs.field(converter=_as_date)
    kind: str = attrs.field(validator=_required)
    rating: str = attrs.field(default="", validator=_text)
    maker: str = attrs.field(default="", validator=_text)
    batch: str = attrs.field(default="", converter=normal_serial, validator=_text)
    manufactured: datetime.date | None = attrs.field(default=None, converter=_as_optional_date)
    purchased: datetime.date | None = attrs.field(default=None, converter=_as_optional_date)
    keeper: str = attrs.field(default="", validator=_text)
    place: str = attrs.field(default="", validator=_text)
    by: str = attrs.field(default="", validator=_text)
    note: str = attrs.field(default="", validator=_text)


@attrs.frozen(slots=True, kw_only=True)
class Tested:
    """A test: acceptance before first use, periodic, or a retest; a pass writes a new label.

    ``next_due`` is the next due date on the label (None when the test failed). A label date
    later than the kind's test interval allows needs ``next_due_reason`` (recorded with the event;
    the ledger checks the interval when it writes the test).

    >>> Tested(serial="GL-001", on=datetime.date(2026, 1, 6), purpose=TestPurpose.ACCEPTANCE,
    ...        tester="李四", passed=True, next_due=datetime.date(2026, 7, 6)).TYPE
    'tested'
    """

    __test__ = False  # not a pytest test class

    TYPE: ClassVar[str] = "tested"
    serial: str = attrs.field(converter=normal_serial, validator=_serial)
    on: datetime.date = attrs.field(converter=_as_date)
    purpose: TestPurpose
    tester: str = attrs.field(validator=_required)
    passed: bool
    values: tuple[Measurement, ...] = ()
    next_due: datetime.date | None = attrs.field(default=None, converter=_as_optional_date)
    note: str = attrs.field(default="", validator=_text)
    next_due_reason: str = attrs.field(default="", validator=_text)

    def __attrs_post_init__(self) -> None:
        if self.passed and (self.next_due is None or self.next_due <= self.on):
            raise InputError(
                "a passed test needs a label date after the test date",
                name="next_due",
                value=None if self.next_due is None else self.next_due.isoformat(),
                allowed=f"a date after {self.on.isoformat()}",
            )
        if not self.passed and (self.next_due is not None or self.next_due_reason):
            raise InputError(
                "a failed test writes no label",
                name="next_due" if self.next_due is not None else "next_due_reason",
                value=self.next_due.isoformat() if self.next_due else self.next_due_reason,
                allowed="None" if self.next_due is not None else "''",
            )


@attrs.frozen(slots=True, kw_only=True)
class Issued:
    """A tool handed out for use, to a person.

    >>> Issued(serial="GL-001", on=datetime.date(2026, 2, 1), to="王五").to
    '王五'
    """

    TYPE: ClassVar[str] = "issued"
    serial: str = attrs.field(converter=normal_serial, validator=_serial)
    on: datetime.date = attrs.field(converter=_as_date)
    to: str = attrs.field(validator=_required)
    by: str = attrs.field(default="", validator=_text)


@attrs.frozen(slots=True, kw_only=True)
class Returned:
    """A tool given back to store after use.

    >>> Returned(serial="GL-001", on=datetime.date(2026, 2, 2)).TYPE
    'returned'
    """

    TYPE: ClassVar[str] = "returned"
    serial: str = attrs.field(converter=normal_serial, validator=_serial)
    on: datetime.date = attrs.field(converter=_as_date)
    by: str = attrs.field(default="", validator=_text)
    note: str = attrs.field(default="", validator=_text)


@attrs.frozen(slots=True, kw_only=True)
class Checked:
    """A check before use (使用前检查); a failed check marks the tool defective.

    >>> Checked(serial="GL-001", on=datetime.date(2026, 2, 1), by="王五", passed=True).passed
    True
    """

    TYPE: ClassVar[str] = "checked"
    serial: str = attrs.field(converter=normal_serial, validator=_serial)
    on: datetime.date = attrs.field(converter=_as_date)
    by: str = attrs.field(validator=_required)
    passed: bool
    note: str = attrs.field(default="", validator=_text)


@attrs.frozen(slots=True, kw_only=True)
class DefectFound:
    """A defect found on a tool: it may not be used until a test clears it or it is repaired.

    >>> DefectFound(serial="GL-001", on=datetime.date(2026, 2, 3), description="pinhole").TYPE
    'defect_found'
    """

    TYPE: ClassVar[str] = "defect_found"
    serial: str = attrs.field(converter=normal_serial, validator=_serial)
    on: datetime.date = attrs.field(converter=_as_date)
    description: str = attrs.field(validator=_required)
    by: str = attrs.field(default="", validator=_text)


@attrs.frozen(slots=True, kw_only=True)
class Sealed:
    """A defective tool sealed for repair (坏的封修): out of use until repaired and retested.

    >>> Sealed(serial="GL-001", on=datetime.date(2026, 2, 3), reason="pinhole").TYPE
    'sealed'
    """

    TYPE: ClassVar[str] = "sealed"
    serial: str = attrs.field(converter=normal_serial, validator=_serial)
    on: datetime.date = attrs.field(converter=_as_date)
    reason: str = attrs.field(validator=_required)
    by: str = attrs.field(default="", validator=_text)


@attrs.frozen(slots=True, kw_only=True)
class Repaired:
    """A sealed tool repaired; it needs a passing test before it is used again.

    >>> Repaired(serial="GL-001", on=datetime.date(2026, 2, 9), description="patched").TYPE
    'repaired'
    """

    TYPE: ClassVar[str] = "repaired"
    serial: str = attrs.field(converter=normal_serial, validator=_serial)
    on: datetime.date = attrs.field(converter=_as_date)
    description: str = attrs.field(validator=_required)
    by: str = attrs.field(default="", validator=_text)


@attrs.frozen(slots=True, kw_only=True)
class Scrapped:
    """A tool taken out of service for good.

    >>> Scrapped(serial="GL-001", on=datetime.date(2026, 3, 1), reason="aged").TYPE
    'scrapped'
    """

    TYPE: ClassVar[str] = "scrapped"
    serial: str = attrs.field(converter=normal_serial, validator=_serial)
    on: datetime.date = attrs.field(converter=_as_date)
    reason: str = attrs.field(validator=_required)
    by: str = attrs.field(default="", validator=_text)


@attrs.frozen(slots=True, kw_only=True)
class Recalled:
    """A tool of a batch that showed a quality problem: it needs a test before further use.

    >>> Recalled(serial="GL-001", on=datetime.date(2026, 3, 1), batch="B7", reason="split").batch
    'B7'
    """

    TYPE: ClassVar[str] = "recalled"
    serial: str = attrs.field(converter=normal_serial, validator=_serial)
    on: datetime.date = attrs.field(converter=_as_date)
    batch: str = attrs.field(converter=normal_serial, validator=_required)
    reason: str = attrs.field(validator=_required)
    by: str = attrs.field(default="", validator=_text)


@attrs.frozen(slots=True, kw_only=True)
class Moved:
    """A tool given a new keeper or a new place (a kit's ID puts it in that kit).

    >>> Moved(serial="GL-001", on=datetime.date(2026, 3, 1), keeper="赵六", place="team-1").place
    'team-1'
    """

    TYPE: ClassVar[str] = "moved"
    serial: str = attrs.field(converter=normal_serial, validator=_serial)
    on: datetime.date = attrs.field(converter=_as_date)
    keeper: str = attrs.field(validator=_text)
    place: str = attrs.field(validator=_text)
    by: str = attrs.field(default="", validator=_text)


Event = (
    Registered
    | Tested
    | Issued
    | Returned
    | Checked
    | DefectFound
    | Sealed
    | Repaired
    | Scrapped
    | Recalled
    | Moved
)

#: Every event class by its ``type`` tag.
EVENT_TYPES: dict[str, type[Event]] = {
    cls.TYPE: cls
    for cls in (
        Registered,
        Tested,
        Issued,
        Returned,
        Checked,
        DefectFound,
        Sealed,
        Repaired,
        Scrapped,
        Recalled,
        Moved,
    )
}


# ----------------------------------------------------------------------------- converter hooks


def _register_hooks(conv: cattrs.Converter) -> None:
    # Dates ('YYYY-MM-DD') and strict booleans are hooks of the shared converter itself.
    # A test's next_due_reason is written only when there is one (files stay as they were).
    conv.register_unstructure_hook(
        Tested,
        make_dict_unstructure_fn(Tested, conv, next_due_reason=override(omit_if_default=True)),
    )
    configure_tagged_union(
        Event,
        conv,
        tag_generator=lambda cls: cls.TYPE,  # type: ignore[attr-defined]
        tag_name="type",
    )


_register_hooks(converter)

# The converter's own hooks of each event class, the ones its tagged union calls: looked up once,
# so that reading and writing a long log skip the union's dispatch (same data, same checks).
_UNSTRUCTURE: dict[type, Callable[[Any], dict[str, Any]]] = {
    cls: converter.get_unstructure_hook(cls) for cls in EVENT_TYPES.values()
}
_STRUCTURE: dict[str, tuple[type[Event], Callable[[Any, Any], Any]]] = {
    tag: (cls, converter.get_structure_hook(cls)) for tag, cls in EVENT_TYPES.items()
}


def event_to_dict(event: Event) -> dict[str, Any]:
    """The JSON-ready form of an event, tagged with its ``type``.

    >>> event_to_dict(Returned(serial="X1", on=datetime.date(2026, 2, 2)))
    {'serial': 'X1', 'on': '2026-02-02', 'by': '', 'note': '', 'type': 'returned'}
    """
    hook = _UNSTRUCTURE.get(event.__class__)
    if hook is not None:
        out = hook(event)
        out["type"] = event.TYPE
        return out
    data: dict[str, Any] = converter.unstructure(event, unstructure_as=Event)
    return data


def event_from_dict(data: Any, *, file: str | None = None) -> Event:
    """Build an event from its JSON form; bad data raises :class:`~gdsmodel.errors.DataFileError`.

    >>> event_from_dict({"type": "returned", "serial": "X1", "on": "2026-02-30"})
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    gdsmodel.errors.DataFileError: ...
    """
    if data.__class__ is dict:
        try:
            shape = (data["type"], *data)
            build = _BUILDERS.get(shape)
        except Exception:  # no type, or one that is not text: the long way says so
            build = shape = None
        if build is not None:
            try:
                return build(data)  # type: ignore[no-any-return]
            except Exception:  # a value the fast path does not vouch for: the converter's way
                pass
        event = _structure_quickly(data)
        if event is not None:
            if shape is not None and build is None:
                _learn(shape, data, event)
            return event
    if isinstance(data, dict) and data.get("type") not in EVENT_TYPES:
        raise DataFileError(
            f"unknown event type {data.get('type')!r}; known: {', '.join(EVENT_TYPES)}",
            file=file,
            path="$.type",
        )
    checked: Event = structure(data, Event, file=file)  # type: ignore[arg-type]
    return checked


def _structure_quickly(data: Any) -> Event | None:
    """The tagged union's own steps minus its dispatch; None on any trouble (the caller then takes
    the long way, which says what is wrong and where)."""
    try:
        cls, hook = _STRUCTURE[data["type"]]
        body = dict(data)
        del body["type"]
        event: Event = hook(body, cls)
    except Exception:
        return None
    return event


# Builders of events by shape (type tag, then the keys in order): see _fast. A shape is kept
# only after the converter accepted an event of it and its builder gave the same event.
_BUILDERS: dict[tuple[Any, ...], Callable[[dict[str, Any]], Any]] = {}
_KINDS: dict[str, Any] = {
    "normal": normal_serial,
    "serial": _serial,
    "required": _required,
    "text": _text,
    "as_date": _as_date,
    "as_optional_date": _as_optional_date,
    "structure_date": converter.get_structure_hook(datetime.date),
    "unicode": _unicode,
    "enums": (TestPurpose,),
}


def _converter_way(data: dict[str, Any]) -> Event:
    event = _structure_quickly(data)
    if event is None:
        raise ValueError("not an event")
    return event


def _learn(shape: tuple[Any, ...], data: dict[str, Any], event: Event) -> None:
    """Make (and keep) the fast builder of the shape of ``data``, which the converter accepted
    as ``event``; a shape it cannot build, or builds differently, keeps the converter's way."""
    if len(_BUILDERS) >= 1024:  # many shapes: not a stored log, no gain in building
        return
    cls = event.__class__
    build = make_builder(cls, shape[1:], _KINDS)
    try:
        same = build is not None and build(data) == event
    except Exception:
        same = False
    _BUILDERS[shape] = build if same and build is not None else _converter_way


def validated(event: Event) -> Event:
    """The event as the ledger's loader reads it back: written out through the converter and read
    in again, so that a writer can never store what the loader refuses.

    Raises :class:`InvalidEvent` naming the field (``passed="yes"``, ``1`` or ``None`` for a
    boolean, a list where measurements belong...).

    >>> ev = Checked(serial="GL-1", on=datetime.date(2026, 2, 1), by="王五", passed="yes")
    >>> validated(ev)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    gdsmodel.standards.safety_tools.events.InvalidEvent: passed='yes': ...
    """
    cls = event.__class__
    if cls not in _UNSTRUCTURE:
        raise InvalidEvent(
            "not a ledger event", name="event", value=event, allowed=", ".join(EVENT_TYPES)
        )
    try:
        data = event_to_dict(event)
    except Exception as exc:  # a value the converter cannot write at all
        raise InvalidEvent(
            f"a {cls.TYPE} event that cannot be stored ({type(exc).__name__}: {exc})",
            name="event",
            value=event,
            allowed="the field types of the event class",
        ) from None
    try:
        checked = event_from_dict(data)
    except DataFileError as exc:
        where = (exc.path or "$").removeprefix("$").lstrip(".")
        field = re.split(r"[.\[]", where, maxsplit=1)[0] or "event"
        raise InvalidEvent(
            f"{exc.message} (a {cls.TYPE} event the ledger could not read back)",
            name=where or "event",
            value=getattr(event, field, None),
            allowed=_allowed_text(cls, field),
        ) from None
    return checked


def _allowed_text(cls: type, field: str) -> str:
    try:
        kind = attrs.fields_dict(cls)[field].type
    except KeyError:
        return ""
    name = getattr(kind, "__name__", str(kind))
    return {"bool": "True or False", "str": "text", "date": "a datetime.date"}.get(name, name)
