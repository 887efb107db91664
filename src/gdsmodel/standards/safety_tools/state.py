"""The state of a safety tool, derived from its events, and the rules of what may happen next.

Nothing here is stored: :func:`apply` folds one event into a tool's state, and refuses an event
the state does not allow with a typed error. The ledger applies the same function to every new
event before it writes it and to every stored event when it opens a file, so the rules hold for
both.

A tool's ``condition`` is one of :class:`Condition`; it is *usable* on a day when it is
serviceable and the day is not after the next due date on its label. An overdue tool is not
usable.

>>> import datetime
>>> from gdsmodel.standards.safety_tools.events import Registered
>>> day = datetime.date(2026, 1, 5)
>>> s = apply(None, Registered(serial="GL-1", on=day, kind="insulating_gloves"))
>>> s.condition.value, s.is_usable(day)
('untested', False)
>>> [op.value for op in allowed_operations(s, day)]
['record_acceptance_test', 'record_defect', 'seal', 'scrap', 'move', 'recall_batch']
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Iterable, Sequence

import attrs

from gdsmodel import _show
from gdsmodel.errors import GdsmodelError, InputError, NotFoundError
from gdsmodel.standards.safety_tools.events import (
    Checked,
    DefectFound,
    Event,
    Issued,
    Moved,
    Recalled,
    Registered,
    Repaired,
    Returned,
    Scrapped,
    Sealed,
    Tested,
    TestPurpose,
)
from gdsmodel.standards.safety_tools.principles import Operation
from gdsmodel.text import Text

__all__ = [
    "Condition",
    "DueReason",
    "DuplicateSerial",
    "InvalidOperation",
    "Label",
    "ToolState",
    "allowed_operations",
    "apply",
    "check",
    "fold",
    "operation_of",
    "unusable_reason",
]


class Condition(enum.StrEnum):
    """Where a tool stands in its life.

    * ``untested``: registered, has not passed its acceptance test (验收试验) yet;
    * ``serviceable``: its last test passed; usable until the next due date on its label;
    * ``test_required``: repaired, or its batch recalled: it needs a passing test before use;
    * ``defective``: a defect was found, or a test or check failed;
    * ``sealed``: sealed for repair (坏的封修);
    * ``scrapped``: out of service for good.

    >>> Condition.SEALED.value
    'sealed'
    """

    UNTESTED = "untested"
    SERVICEABLE = "serviceable"
    TEST_REQUIRED = "test_required"
    DEFECTIVE = "defective"
    SEALED = "sealed"
    SCRAPPED = "scrapped"


class DueReason(enum.StrEnum):
    """Why a test is due: the cycle, a new tool, a repair, a batch recall, or doubt (a defect
    found, or a failed check before use: test it, or seal it).

    >>> DueReason.AFTER_REPAIR.value
    'after_repair'
    """

    CYCLE = "cycle"
    ACCEPTANCE = "acceptance"
    AFTER_REPAIR = "after_repair"
    BATCH_RECALL = "batch_recall"
    DOUBT = "doubt"


class InvalidOperation(GdsmodelError, ValueError):
    """An operation the tool's current state does not allow; nothing was changed.

    Carries the tool's ``serial``, the ``operation`` tried, the ``state`` it met and the
    operations ``allowed`` in that state.

    >>> err = InvalidOperation("GL-1", Operation.ISSUE, "sealed", [Operation.REPAIR],
    ...                        "it is sealed")
    >>> print(err)
    cannot issue tool 'GL-1': it is sealed (state: sealed; allowed now: repair)
    """

    def __init__(
        self,
        serial: str,
        operation: Operation,
        state: str,
        allowed: Sequence[Operation],
        reason: str,
    ) -> None:
        self.serial = serial
        self.operation = operation
        self.state = state
        self.allowed = tuple(allowed)
        self.reason = reason
        allowed_text = ", ".join(op.value for op in self.allowed) or "nothing"
        super().__init__(
            f"cannot {operation.value} tool {serial!r}: {reason} "
            f"(state: {state}; allowed now: {allowed_text})"
        )


class DuplicateSerial(InvalidOperation):
    """Registering a serial number the ledger already holds.

    >>> print(DuplicateSerial("GL-1", Operation.REGISTER, "serviceable", [], "already registered"))
    cannot register tool 'GL-1': already registered (state: serviceable; allowed now: nothing)
    """


@attrs.frozen(slots=True, kw_only=True)
class Label:
    """The label (试验合格证) a passing test puts on a tool: tester, test date, next due date.

    >>> d = datetime.date
    >>> Label(tester="李四", tested_on=d(2026, 1, 6), next_due=d(2026, 7, 6))
    Label(tester='李四', tested_on=datetime.date(2026, 1, 6), next_due=datetime.date(2026, 7, 6))
    """

    tester: str
    tested_on: datetime.date
    next_due: datetime.date


@attrs.frozen(slots=True, kw_only=True)
class ToolState:
    """Everything the ledger knows about one tool now, derived from its events.

    >>> s = fold([Registered(serial="R-1", on=datetime.date(2026, 1, 5), kind="operating_rod",
    ...                      rating="10kV", place="station")])["R-1"]
    >>> s.kind, s.rating, s.place, s.holder, s.due
    ('operating_rod', '10kV', 'station', None, None)
    """

    serial: str
    kind: str
    rating: str
    maker: str
    batch: str
    manufactured: datetime.date | None
    purchased: datetime.date | None
    keeper: str
    place: str
    registered_on: datetime.date
    condition: Condition
    holder: str | None = None
    accepted: bool = False
    label: Label | None = None
    test_reason: DueReason | None = None
    test_required_since: datetime.date | None = None
    last_on: datetime.date
    events: int = 1

    def __repr__(self) -> str:
        return _show.short_repr(self, "serial", "kind", "condition", "holder", "last_on")

    def _repr_html_(self) -> str:
        return _show.tool_state_html(self)

    @property
    def due(self) -> datetime.date | None:
        """The next due date of a serviceable tool (None in any other condition).

        >>> _serviceable_example().due
        datetime.date(2026, 7, 6)
        """
        if self.condition is Condition.SERVICEABLE and self.label is not None:
            return self.label.next_due
        return None

    @property
    def needs_test(self) -> DueReason | None:
        """Why a test is needed now (an untested, repaired or recalled tool, or one in doubt).

        >>> _serviceable_example().needs_test is None
        True
        """
        if self.condition is Condition.UNTESTED:
            return DueReason.ACCEPTANCE
        if self.condition is Condition.TEST_REQUIRED or (
            self.condition is Condition.DEFECTIVE and self.test_reason is DueReason.DOUBT
        ):
            return self.test_reason if self.accepted else DueReason.ACCEPTANCE
        return None

    def is_overdue(self, on: datetime.date) -> bool:
        """Whether a serviceable tool's label date is before ``on``.

        >>> s = _serviceable_example()
        >>> s.is_overdue(datetime.date(2026, 7, 6)), s.is_overdue(datetime.date(2026, 7, 7))
        (False, True)
        """
        due = self.due
        return due is not None and due < on

    def is_usable(self, on: datetime.date) -> bool:
        """Whether the tool may be used on ``on``: serviceable and not overdue.

        >>> _serviceable_example().is_usable(datetime.date(2026, 7, 6))
        True
        """
        due = self.due
        return due is not None and on <= due

    def why_unusable(self, on: datetime.date) -> str | None:
        """Why the tool may not be used on ``on`` (None when it may).

        >>> _serviceable_example().why_unusable(datetime.date(2026, 8, 1))
        'overdue: its test was due on 2026-07-06'
        """
        if self.is_usable(on):
            return None
        c = self.condition
        if c is Condition.SERVICEABLE:
            assert self.label is not None
            return f"overdue: its test was due on {self.label.next_due.isoformat()}"
        if c is Condition.UNTESTED or (c is Condition.TEST_REQUIRED and not self.accepted):
            return "untested: it has not passed its acceptance test"
        if c is Condition.TEST_REQUIRED:
            what = "repair" if self.test_reason is DueReason.AFTER_REPAIR else "batch recall"
            return f"test required after {what}"
        return {
            Condition.DEFECTIVE: "defective",
            Condition.SEALED: "sealed for repair",
            Condition.SCRAPPED: "scrapped",
        }[c]

    def describe(self) -> str:
        """The condition, and the holder when issued, for messages.

        >>> _serviceable_example().describe()
        'serviceable, due 2026-07-06'
        """
        text = self.condition.value
        if self.due is not None:
            text += f", due {self.due.isoformat()}"
        if self.holder is not None:
            text += f", issued to {self.holder}"
        return text


# The reasons of :meth:`ToolState.why_unusable` in Chinese (a pattern of the English and its
# replacement).
_WHY_ZH = (
    (r"overdue: its test was due on (\S+)", r"超期: 应于 \1 试验"),
    (r"untested: it has not passed its acceptance test", "未做验收试验: 尚未通过验收试验"),
    (r"test required after repair", "修后须试验"),
    (r"test required after batch recall", "批次召回后须试验"),
    (r"defective", "有缺陷"),
    (r"sealed for repair", "封存待修"),
    (r"scrapped", "报废"),
)


def unusable_reason(reason: str) -> Text:
    """A reason of :meth:`ToolState.why_unusable` in Chinese and English (another text as it
    is, in both).

    >>> unusable_reason("overdue: its test was due on 2026-02-17").zh
    '超期: 应于 2026-02-17 试验'
    >>> unusable_reason("test required after batch recall").get("both")
    '批次召回后须试验 / test required after batch recall'
    """
    import re

    for pattern, repl in _WHY_ZH:
        zh, n = re.subn(f"^{pattern}$", repl, reason)
        if n:
            return Text(zh, reason)
    return Text(reason)


def _serviceable_example() -> ToolState:
    """A serviceable tool used in doctests."""
    day = datetime.date(2026, 1, 6)
    return fold(
        [
            Registered(serial="GL-1", on=day, kind="insulating_gloves"),
            Tested(
                serial="GL-1",
                on=day,
                purpose=TestPurpose.ACCEPTANCE,
                tester="李四",
                passed=True,
                next_due=datetime.date(2026, 7, 6),
            ),
        ]
    )["GL-1"]


_O = Operation
_C = Condition


def allowed_operations(state: ToolState | None, on: datetime.date) -> tuple[Operation, ...]:
    """The per-tool operations the state allows on day ``on``.

    >>> [op.value for op in allowed_operations(_serviceable_example(), datetime.date(2026, 2, 1))]
    ['record_test', 'issue', 'record_check', 'record_defect', 'seal', 'scrap', 'move',
     'recall_batch']
    """
    if state is None:
        return (_O.REGISTER,)
    key = (state.condition, state.holder is not None, state.accepted, state.is_usable(on))
    ops = _ALLOWED.get(key)
    if ops is None:
        ops = _ALLOWED[key] = _allowed(*key)
    return ops


# The operations allowed for each (condition, issued, accepted, usable): the rules depend on
# nothing else, so each answer is worked out once (by _allowed) and kept.
_ALLOWED: dict[tuple[Condition, bool, bool, bool], tuple[Operation, ...]] = {}


def _allowed(c: Condition, issued: bool, accepted: bool, usable: bool) -> tuple[Operation, ...]:
    if c is _C.SCRAPPED:
        return ()
    ops: list[Operation] = []
    if issued:
        ops.append(_O.RETURN_TOOL)
        if usable:
            ops.append(_O.RECORD_CHECK)
        ops += [_O.RECORD_DEFECT, _O.RECALL_BATCH]
        return tuple(ops)
    if c in (_C.UNTESTED, _C.TEST_REQUIRED, _C.DEFECTIVE):
        ops.append(_O.RECORD_TEST if accepted else _O.RECORD_ACCEPTANCE_TEST)
    elif c is _C.SERVICEABLE:
        ops.append(_O.RECORD_TEST)
    if usable:
        ops += [_O.ISSUE, _O.RECORD_CHECK]
    if c is _C.SEALED:
        ops.append(_O.REPAIR)
    else:
        ops += [_O.RECORD_DEFECT, _O.SEAL]
    ops += [_O.SCRAP, _O.MOVE, _O.RECALL_BATCH]
    return tuple(ops)


def operation_of(event: Event) -> Operation:
    """The ledger operation that writes this event.

    >>> operation_of(Returned(serial="X", on=datetime.date(2026, 1, 1))).value
    'return_tool'
    """
    if isinstance(event, Tested):
        if event.purpose is TestPurpose.ACCEPTANCE:
            return _O.RECORD_ACCEPTANCE_TEST
        return _O.RECORD_TEST
    return _OPERATION_BY_TYPE[type(event)]


_OPERATION_BY_TYPE: dict[type, Operation] = {
    Registered: _O.REGISTER,
    Issued: _O.ISSUE,
    Returned: _O.RETURN_TOOL,
    Checked: _O.RECORD_CHECK,
    DefectFound: _O.RECORD_DEFECT,
    Sealed: _O.SEAL,
    Repaired: _O.REPAIR,
    Scrapped: _O.SCRAP,
    Recalled: _O.RECALL_BATCH,
    Moved: _O.MOVE,
}


def _refusal(state: ToolState, op: Operation, on: datetime.date) -> str:
    """Why ``op`` is refused in ``state`` (the state does not allow it)."""
    c = state.condition
    if c is _C.SCRAPPED:
        return "the tool is scrapped"
    if op in (_O.ISSUE, _O.RECORD_CHECK):
        if op is _O.ISSUE and state.holder is not None:
            return f"it is already issued to {state.holder}"
        reason = state.why_unusable(on)
        return f"it is not usable on {on.isoformat()}: {reason}"
    if op is _O.RETURN_TOOL:
        return "it is not issued"
    if state.holder is not None:
        return f"it is issued to {state.holder}; return it first"
    if op in (_O.RECORD_TEST, _O.RECORD_ACCEPTANCE_TEST) and c is _C.SEALED:
        return "it is sealed; repair it before testing"
    if op is _O.RECORD_TEST:
        return "it has not had its acceptance test; record that first"
    if op is _O.RECORD_ACCEPTANCE_TEST:
        return "it already passed its acceptance test; record a periodic test"
    if op is _O.REPAIR:
        return "only a sealed tool is repaired"
    if op in (_O.SEAL, _O.RECORD_DEFECT) and c is _C.SEALED:
        return "it is already sealed"
    return "the tool's state does not allow it"  # pragma: no cover - every case is named above


def _check_dates(event: Registered) -> None:
    made, bought = event.manufactured, event.purchased
    if made is not None and made > event.on:
        raise InputError(
            "manufactured after it was registered",
            name="manufactured",
            value=made.isoformat(),
            allowed=f"a date on or before {event.on.isoformat()}",
        )
    if bought is not None and bought > event.on:
        raise InputError(
            "purchased after it was registered",
            name="purchased",
            value=bought.isoformat(),
            allowed=f"a date on or before {event.on.isoformat()}",
        )
    if made is not None and bought is not None and bought < made:
        raise InputError(
            "purchased before it was manufactured",
            name="purchased",
            value=bought.isoformat(),
            allowed=f"a date on or after {made.isoformat()}",
        )


def check(state: ToolState, op: Operation, on: datetime.date) -> None:
    """Raise unless ``op`` on day ``on`` is allowed for the tool: dates in order, then the rules.

    Raises :class:`~gdsmodel.errors.InputError` for a day before the tool's last event and
    :class:`InvalidOperation` for a move the state does not allow.

    >>> check(_serviceable_example(), Operation.REPAIR, datetime.date(2026, 2, 1))
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    gdsmodel.standards.safety_tools.state.InvalidOperation: cannot repair tool 'GL-1':
    only a sealed tool is repaired ...
    """
    if on < state.last_on:
        raise InputError(
            f"tool {state.serial!r} has an event on {state.last_on.isoformat()}; events of a tool "
            "are recorded in date order",
            name="on",
            value=on.isoformat(),
            allowed=f"a date on or after {state.last_on.isoformat()}",
        )
    allowed = allowed_operations(state, on)
    if op not in allowed:
        raise InvalidOperation(state.serial, op, state.describe(), allowed, _refusal(state, op, on))


def _positional_maker(cls: type[ToolState]) -> Callable[..., ToolState]:
    """``cls`` built from its fields in order, positionally: the same object as ``cls(**kw)``
    (its fields have no converters or validators) without the keyword call, since a state is
    made for every stored event."""
    fields = attrs.fields(cls)
    if any(a.converter is not None or a.validator is not None for a in fields) or hasattr(
        cls, "__attrs_post_init__"
    ):  # pragma: no cover - ToolState has neither
        names = [a.name for a in fields]
        return lambda *values: cls(**dict(zip(names, values, strict=True)))
    ns: dict[str, object] = {"_new": object.__new__, "_cls": cls}
    lines = []
    for i, a in enumerate(fields):
        ns[f"_s{i}"] = cls.__dict__[a.name].__set__
        lines.append(f"    _s{i}(o, v{i})")
    args = ", ".join(f"v{i}" for i in range(len(fields)))
    source = "\n".join([f"def make({args}):", "    o = _new(_cls)", *lines, "    return o"])
    exec(compile(source, f"<positional {cls.__name__}>", "exec"), ns)
    make: Callable[..., ToolState] = ns["make"]  # type: ignore[assignment]
    return make


_state = _positional_maker(ToolState)


def apply(state: ToolState | None, event: Event) -> ToolState:
    """The tool's state after ``event``; a move the state does not allow raises and changes nothing.

    Raises :class:`DuplicateSerial` for a second registration,
    :class:`~gdsmodel.errors.NotFoundError` for an event on an unknown tool,
    :class:`InvalidOperation` for a move the state does not allow, and
    :class:`~gdsmodel.errors.InputError` for an event dated before the tool's last event.

    >>> s = _serviceable_example()
    >>> apply(s, Issued(serial="GL-1", on=datetime.date(2026, 2, 1), to="王五")).holder
    '王五'
    >>> apply(s, Issued(serial="GL-1", on=datetime.date(2026, 8, 1), to="王五"))
    ... # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    gdsmodel.standards.safety_tools.state.InvalidOperation: cannot issue tool 'GL-1': it is not
    usable on 2026-08-01: overdue: its test was due on 2026-07-06 (state: serviceable, due
    2026-07-06; allowed now: record_test, record_defect, seal, scrap, move, recall_batch)
    """
    op = operation_of(event)
    if state is None:
        if not isinstance(event, Registered):
            raise NotFoundError("tool", event.serial)
        _check_dates(event)
        # ToolState(serial=..., kind=..., ..., condition=UNTESTED, last_on=event.on), in order
        return _state(
            event.serial,
            event.kind,
            event.rating,
            event.maker,
            event.batch,
            event.manufactured,
            event.purchased,
            event.keeper,
            event.place,
            event.on,
            _C.UNTESTED,
            None,
            False,
            None,
            None,
            None,
            event.on,
            1,
        )
    if isinstance(event, Registered):
        raise DuplicateSerial(
            event.serial, op, state.describe(), (), "this serial number is already registered"
        )
    if event.serial != state.serial:  # pragma: no cover - guarded by callers
        raise InputError("event of another tool", name="serial", value=event.serial)
    on = event.on
    # allowed_operations(state, on), its cache looked up here (this runs for every event)
    condition, label = state.condition, state.label
    usable = condition is _C.SERVICEABLE and label is not None and on <= label.next_due
    allowed = _ALLOWED.get((condition, state.holder is not None, state.accepted, usable))
    if allowed is None:
        allowed = allowed_operations(state, on)
    if on < state.last_on or op not in allowed:
        check(state, op, on)  # raises, saying why
    # Every field the event may change, then one new state (this runs for every stored event).
    holder, accepted = state.holder, state.accepted
    reason, since = state.test_reason, state.test_required_since
    keeper, place = state.keeper, state.place
    if isinstance(event, Tested):
        if event.passed:
            assert event.next_due is not None
            label = Label(tester=event.tester, tested_on=event.on, next_due=event.next_due)
            condition, accepted = _C.SERVICEABLE, True
        else:
            condition = _C.DEFECTIVE
        reason = since = None
    elif isinstance(event, Issued):
        holder = event.to
    elif isinstance(event, Returned):
        holder = None
    elif isinstance(event, Checked | DefectFound):
        doubt = isinstance(event, DefectFound) or not event.passed
        # a defect found or a failed check: defective, its performance in doubt (unless it
        # already is, since an earlier day)
        if doubt and not (condition is _C.DEFECTIVE and reason is DueReason.DOUBT):
            condition, reason, since = _C.DEFECTIVE, DueReason.DOUBT, event.on
    elif isinstance(event, Sealed):
        condition = _C.SEALED
    elif isinstance(event, Repaired):
        condition, reason, since = _C.TEST_REQUIRED, DueReason.AFTER_REPAIR, event.on
    elif isinstance(event, Scrapped):
        condition = _C.SCRAPPED
    elif isinstance(event, Recalled):
        if event.batch != state.batch:
            raise InputError(
                f"tool {state.serial!r} is not of batch {event.batch!r}",
                name="batch",
                value=event.batch,
                allowed=repr(state.batch) if state.batch else "no batch (the tool has none)",
            )
        if condition is _C.SERVICEABLE:
            condition, reason, since = _C.TEST_REQUIRED, DueReason.BATCH_RECALL, event.on
    else:
        assert isinstance(event, Moved)
        keeper, place = event.keeper, event.place
    return _state(  # the fields of ToolState in order
        state.serial,
        state.kind,
        state.rating,
        state.maker,
        state.batch,
        state.manufactured,
        state.purchased,
        keeper,
        place,
        state.registered_on,
        condition,
        holder,
        accepted,
        label,
        reason,
        since,
        on,
        state.events + 1,
    )


def fold(events: Iterable[Event]) -> dict[str, ToolState]:
    """The state of every tool after ``events`` in order (each checked as by :func:`apply`).

    >>> sorted(fold([Registered(serial=s, on=datetime.date(2026, 1, 1), kind="phase_checker")
    ...              for s in ("B", "A")]))
    ['A', 'B']
    """
    states: dict[str, ToolState] = {}
    for event in events:
        states[event.serial] = apply(states.get(event.serial), event)
    return states
