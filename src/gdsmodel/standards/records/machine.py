"""The state machine of a kind of record: a record's state is the replay of its events.

:func:`apply` checks one event against the kind's rules (the move is allowed in the record's
state, the fields it requires are there and of their type, the fields it needs were recorded,
``by`` is the person the move names) and returns the new state; an invalid move raises
:class:`InvalidMove` with the moves allowed now, and changes nothing. :func:`fold` replays a
log. The state keeps the record's time-limit clocks (:class:`Clock`): when each started,
when it is due, when it stopped.

>>> import datetime as dt
>>> from gdsmodel.standards.records.events import RecordEvent
>>> from gdsmodel.standards.records.kinds import kind
>>> k = kind("accident")
>>> s = apply(k, None, RecordEvent(kind="accident", record="A1", move="report",
...           on=dt.date(2026, 3, 2), fields={"class": "near_miss", "description": "slip"}))
>>> s = apply(k, s, RecordEvent(kind="accident", record="A1", move="investigate",
...           on=dt.date(2026, 3, 3)))
>>> apply(k, s, RecordEvent(kind="accident", record="A1", move="close",
...       on=dt.date(2026, 3, 9)))  # doctest: +ELLIPSIS
Traceback (most recent call last):
gdsmodel.standards.records.machine.InvalidMove: cannot close accident 'A1': not yet ...
>>> s.state, s.clocks[0].due
('investigating', datetime.date(2026, 4, 1))
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Collection, Iterable, Mapping, Sequence

import attrs

from gdsmodel.errors import GdsmodelError, InputError, NotFoundError
from gdsmodel.standards.records.events import RecordEvent
from gdsmodel.standards.records.kinds import FieldType, KindSpec, MoveSpec, add_limit

__all__ = [
    "Clock",
    "InvalidMove",
    "RecordState",
    "Step",
    "allowed_moves",
    "apply",
    "fold",
]


class InvalidMove(GdsmodelError, ValueError):
    """A move the record's state or the kind's rules do not allow; nothing was changed.

    >>> print(InvalidMove("ticket", "T1", "end", "issued", ["start", "cancel"], "not started"))
    cannot end ticket 'T1': not started (state: issued; allowed now: start, cancel)
    """

    def __init__(
        self,
        kind: str,
        record: str,
        move: str,
        state: str | None,
        allowed: Sequence[str],
        reason: str,
    ) -> None:
        self.kind = kind
        self.record = record
        self.move = move
        self.state = state
        self.allowed = tuple(allowed)
        self.reason = reason
        shown = ", ".join(self.allowed) or "nothing"
        super().__init__(
            f"cannot {move} {kind} {record!r}: {reason} "
            f"(state: {state or 'no such record'}; allowed now: {shown})"
        )


@attrs.frozen(slots=True, kw_only=True)
class Step:
    """One move of a record's history: the move, its day, the states left and reached."""

    move: str
    on: _dt.date
    before: str | None
    after: str
    by: str = ""


@attrs.frozen(slots=True, kw_only=True)
class Clock:
    """One run of a time limit: started on ``start``, due by ``due`` (None: no limit for the
    record's class), stopped on ``stop`` (None: running)."""

    limit: str
    start: _dt.date
    due: _dt.date | None
    stop: _dt.date | None = None

    @property
    def running(self) -> bool:
        """Whether the clock still runs."""
        return self.stop is None

    def in_time(self) -> bool | None:
        """Whether it stopped within its limit (None while running or without a limit).

        >>> Clock(limit="x", start=_dt.date(2026, 1, 1), due=_dt.date(2026, 1, 5),
        ...       stop=_dt.date(2026, 1, 5)).in_time()
        True
        """
        if self.stop is None or self.due is None:
            return None
        return self.stop <= self.due

    def overdue(self, today: _dt.date) -> bool:
        """Whether it runs past its due day on ``today``."""
        return self.stop is None and self.due is not None and today > self.due

    def took(self) -> int | None:
        """The days it ran (None while running): the time a stage took."""
        return None if self.stop is None else (self.stop - self.start).days


@attrs.frozen(slots=True, kw_only=True)
class RecordState:
    """A record derived from its events: its state, the latest value of each field, its
    history and its clocks."""

    kind: str
    record: str
    state: str
    opened_on: _dt.date
    last_on: _dt.date
    fields: Mapping[str, str] = attrs.field(factory=dict, hash=False)
    history: tuple[Step, ...] = ()
    clocks: tuple[Clock, ...] = ()
    owner: str = ""
    person: str = ""

    def __repr__(self) -> str:
        return f"RecordState({self.kind}/{self.record}: {self.state})"

    @property
    def record_class(self) -> str:
        """The record's class."""
        return self.fields.get("class", "")

    def running(self) -> tuple[Clock, ...]:
        """The clocks still running."""
        return tuple(c for c in self.clocks if c.running)

    def entered(self, state: str) -> _dt.date | None:
        """The first day the record reached ``state`` (None: never)."""
        for step in self.history:
            if step.after == state and step.before != state:
                return step.on
        return None


def allowed_moves(spec: KindSpec, state: RecordState | None) -> tuple[str, ...]:
    """The moves allowed now (those whose source state is the record's).

    >>> from gdsmodel.standards.records.kinds import kind
    >>> allowed_moves(kind("meter"), None)
    ('install',)
    """
    return tuple(m.id for m in spec.moves_from(None if state is None else state.state))


def _typed(spec: KindSpec, name: str, value: str, move: str) -> str:
    """The canonical text of a field's value, or InputError naming what is allowed."""
    try:
        field = spec.field(name)
    except NotFoundError:
        raise InputError(
            f"{spec.id} has no field {name!r}", name=name, value=value, allowed=move
        ) from None
    if not value:
        raise InputError("must not be empty", name=name, value=value, allowed="a value")
    if field.type is FieldType.DATE:
        try:
            return _dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise InputError("not a date", name=name, value=value, allowed="YYYY-MM-DD") from None
    if field.type is FieldType.INT:
        text = value.replace(",", "")
        if not text.lstrip("-").isdigit() or len(text) > 12:
            raise InputError("not a whole number", name=name, value=value, allowed="e.g. 12")
        return str(int(text))
    if field.type is FieldType.BOOL:
        low = value.lower()
        if low in {"true", "yes", "y", "1", "是", "合格"}:
            return "true"
        if low in {"false", "no", "n", "0", "否", "不合格"}:
            return "false"
        raise InputError("not yes or no", name=name, value=value, allowed="true or false")
    if field.type is FieldType.CHOICE and value not in field.choices:
        raise InputError(
            "not one of the choices", name=name, value=value, allowed=", ".join(field.choices)
        )
    return value


def _matches(names: Iterable[str], move: str, reached: str) -> bool:
    for name in names:
        m, _, s = name.partition(":")
        if m == move and (not s or s == reached):
            return True
    return False


def _clocks(
    spec: KindSpec, clocks: tuple[Clock, ...], move: MoveSpec, reached: str, on: _dt.date,
    record_class: str,
) -> tuple[Clock, ...]:  # fmt: skip
    out = list(clocks)
    for lim in spec.limits:
        if _matches(lim.stop, move.id, reached):
            out = [attrs.evolve(c, stop=on) if c.limit == lim.id and c.running else c for c in out]
        if _matches(lim.start, move.id, reached) and not any(
            c.limit == lim.id and c.running for c in out
        ):
            days = lim.days_for(record_class)
            due = None if days is None else add_limit(on, days, lim.unit)
            out.append(Clock(limit=lim.id, start=on, due=due))
    return tuple(out)


def _reclassed(spec: KindSpec, clocks: tuple[Clock, ...], record_class: str) -> tuple[Clock, ...]:
    """Running clocks due again by the class now in force."""
    out = []
    for c in clocks:
        if c.running:
            days = spec.limit(c.limit).days_for(record_class)
            c = attrs.evolve(
                c, due=None if days is None else add_limit(c.start, days, spec.limit(c.limit).unit)
            )
        out.append(c)
    return tuple(out)


def apply(
    spec: KindSpec,
    state: RecordState | None,
    event: RecordEvent,
    *,
    people: Collection[str] | None = None,
) -> RecordState:
    """The record after ``event``; :class:`InvalidMove` (or :class:`InputError` for a field of
    the wrong type) when the rules refuse it. ``people``, when given, are the IDs a person
    field and ``by`` must be among (the station's roster).

    >>> import datetime as dt
    >>> from gdsmodel.standards.records.kinds import kind
    >>> ev = RecordEvent(kind="meter", record="M1", move="verify", on=dt.date(2026, 1, 1),
    ...                  fields={"result": "pass"})
    >>> apply(kind("meter"), None, ev)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    gdsmodel.standards.records.machine.InvalidMove: cannot verify meter 'M1': ... install)
    """
    if event.kind != spec.id:
        raise InputError(
            "the event is of another kind", name="kind", value=event.kind, allowed=spec.id
        )
    allowed = allowed_moves(spec, state)
    current = None if state is None else state.state

    def refuse(reason: str) -> InvalidMove:
        return InvalidMove(spec.id, event.record, event.move, current, allowed, reason)

    try:
        move = spec.move(event.move)
    except NotFoundError:
        raise refuse(f"{spec.id} has no move {event.move!r}") from None
    if move.id not in allowed:
        if state is not None and move.creates:
            raise refuse("the record exists already")
        if state is None:
            raise refuse("there is no such record")
        raise refuse(f"not allowed when {current}")
    if state is not None and event.on < state.last_on:
        raise refuse(f"dated {event.on}, before the record's last event ({state.last_on})")
    permitted = {*move.requires, *move.allows}
    unknown = sorted(set(event.fields) - permitted)
    if unknown:
        raise refuse(
            f"{move.id} does not record {', '.join(unknown)} "
            f"(it records: {', '.join(sorted(permitted)) or 'nothing'})"
        )
    missing = [f for f in move.requires if f not in event.fields]
    if missing:
        raise refuse(f"{move.id} requires {', '.join(missing)}")
    values = {k: _typed(spec, k, v, move.id) for k, v in event.fields.items()}
    if people is not None:
        if event.by and event.by not in people:
            raise InputError(
                "not a person of the station's roster", name="by", value=event.by,
                allowed="a person ID of staff.csv",
            )  # fmt: skip
        for k, v in values.items():
            if spec.field(k).type is FieldType.PERSON and v not in people:
                raise InputError(
                    "not a person of the station's roster", name=k, value=v, allowed="a person ID"
                )
    fields = {**(state.fields if state is not None else {}), **values}
    need = [f for f in move.needs if not fields.get(f)]
    if need:
        raise refuse(f"not yet recorded: {', '.join(need)}")
    if move.by_field:
        owner = fields.get(move.by_field, "")
        if event.by != owner:
            raise refuse(
                f"{move.id} is made by the {move.by_field.replace('_', ' ')} ({owner}), "
                f"not {event.by or 'nobody'}"
            )
    if move.branch is not None:
        ok = all(fields.get(f) == "true" for f in move.branch.fields)
        reached = move.branch.all_true if ok else move.branch.otherwise
    else:
        reached = move.to or (current or "")
    record_class = fields.get("class", "")
    clocks = state.clocks if state is not None else ()
    if state is not None and record_class != state.record_class:
        clocks = _reclassed(spec, clocks, record_class)
    clocks = _clocks(spec, clocks, move, reached, event.on, record_class)
    step = Step(move=move.id, on=event.on, before=current, after=reached, by=event.by)
    person = fields.get(spec.person_field, "") if spec.person_field else ""
    if state is None:
        return RecordState(
            kind=spec.id,
            record=event.record,
            state=reached,
            opened_on=event.on,
            last_on=event.on,
            fields=fields,
            history=(step,),
            clocks=clocks,
            owner=spec.owner,
            person=person or event.by,
        )
    return attrs.evolve(
        state,
        state=reached,
        last_on=event.on,
        fields=fields,
        history=(*state.history, step),
        clocks=clocks,
        person=person or state.person,
    )


def fold(
    specs: Mapping[str, KindSpec],
    events: Iterable[RecordEvent],
    *,
    people: Collection[str] | None = None,
) -> dict[tuple[str, str], RecordState]:
    """Every record of a log, replayed in order; the first invalid event raises.

    >>> fold({}, [])
    {}
    """
    states: dict[tuple[str, str], RecordState] = {}
    for e in events:
        try:
            spec = specs[e.kind]
        except KeyError:
            raise NotFoundError("record kind", e.kind, specs) from None
        key = (e.kind, e.record)
        states[key] = apply(spec, states.get(key), e, people=people)
    return states
