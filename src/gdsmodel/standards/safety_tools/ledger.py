"""The safety-tool ledger (登记造册): an append-only event log and the queries a station needs.

:class:`Ledger` keeps every event of every tool in order; the state of each tool is derived from
its events (:mod:`~gdsmodel.standards.safety_tools.state`), never stored. One writer,
:meth:`Ledger.record`, takes an event, checks it (through the loader's converter, against the
catalogue and against the tool's state), writes it and returns the tool's new state; the named
writers (``register``, ``issue``, ``seal``...) are one-line conveniences over it, and the tests
(which work out the label date), ``move`` and ``recall_batch`` (one event per tool of a batch, in
one transaction) build their events from the latest state under the store's write lock. A refused
operation raises a typed error and changes nothing, in memory or on disk.

The questions (``due``, ``overdue``, ``unusable``, ``shortfall``, a stock-take) are functions over
tool states in :mod:`~gdsmodel.standards.safety_tools.queries`; the ledger's methods of the same
names call them with the states as of the day asked.

In memory the ledger keeps, for each tool, the state after its last event (the derivation of its
events, updated only when an event is adopted) and the positions of its events. A question about
a day answers from that state for a tool with no event after the day, and replays that tool's own
events up to the day otherwise; :meth:`Ledger.check` derives every state afresh from the log.

>>> import datetime
>>> d = datetime.date
>>> ledger = Ledger()
>>> _ = ledger.register("GL-001", kind="insulating_gloves", rating="high_voltage",
...                     on=d(2025, 8, 20), place="station")
>>> ledger.record_acceptance_test("GL-001", on=d(2025, 8, 31), tester="李四", passed=True).due
datetime.date(2026, 2, 28)
>>> ledger.issue("GL-001", on=d(2026, 3, 1), to="王五")  # doctest: +ELLIPSIS
Traceback (most recent call last):
gdsmodel.standards.safety_tools.state.InvalidOperation: cannot issue tool 'GL-001': it is not
usable on 2026-03-01: overdue: ...
>>> [x.serial for x in ledger.overdue(on=d(2026, 3, 1))]
['GL-001']
"""

from __future__ import annotations

import collections
import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from gdsmodel import _show
from gdsmodel import tables as _tables
from gdsmodel.errors import DataFileError, GdsmodelError, InputError, NotFoundError
from gdsmodel.standards.safety_tools import queries
from gdsmodel.standards.safety_tools.catalogue import Catalogue, default_catalogue
from gdsmodel.standards.safety_tools.chain import ChainBroken
from gdsmodel.standards.safety_tools.duedates import end_of_service_life, next_due
from gdsmodel.standards.safety_tools.events import (
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
    _as_date,
    normal_serial,
    validated,
)
from gdsmodel.standards.safety_tools.kits import Kit, Shortfall
from gdsmodel.standards.safety_tools.principles import Operation
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
    ToolState,
    allowed_operations,
    apply,
    check,
    fold,
)
from gdsmodel.standards.safety_tools.store import (
    LedgerReplaced,
    MemoryStore,
    Store,
    chain_head,
    open_store,
    write_events,
)

__all__ = [
    "Card",
    "Discrepancy",
    "DiscrepancyKind",
    "Due",
    "Entry",
    "Ledger",
    "PeriodLike",
    "Sighting",
    "Unusable",
]


def _measurements(values: Mapping[str, object] | Iterable[Measurement]) -> tuple[Measurement, ...]:
    if isinstance(values, Mapping):
        return tuple(Measurement(str(k), str(v)) for k, v in values.items())
    out = tuple(values)
    for v in out:
        if not isinstance(v, Measurement):
            raise InputError(
                "not a measurement",
                name="values",
                value=v,
                allowed="a mapping or Measurement values",
            )
    return out


# Works out the events of one operation from the latest states (those of other writers included).
Build = Callable[[Mapping[str, ToolState]], list[Event]]


class _Overlay(collections.ChainMap[str, ToolState]):
    """The states staged by an operation over the ledger's: a two-map ChainMap whose look-ups of
    one key skip the general machinery (every operation makes a few)."""

    def __init__(self, staged: dict[str, ToolState], base: dict[str, ToolState]) -> None:
        super().__init__(staged, base)
        self._staged, self._base = staged, base

    def __getitem__(self, key: str) -> ToolState:
        try:
            return self._staged[key]
        except KeyError:
            return self._base[key]

    def get(self, key: str, default: ToolState | None = None) -> ToolState | None:  # type: ignore[override]
        state = self._staged.get(key)
        return state if state is not None else self._base.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._staged or key in self._base


class Ledger:
    """The safety-tool ledger of a station: in memory (``Ledger()``) or on a file (:meth:`open`).

    ``catalogue`` gives the tool kinds and intervals used to check registrations and write test
    labels (the shipped DL/T 1476-2015 catalogue by default; see
    :func:`~gdsmodel.standards.safety_tools.load_tool_kinds` for a station's own).

    >>> ledger = Ledger()
    >>> len(ledger), ledger.path is None
    (0, True)
    """

    def _repr_html_(self) -> str:
        return _show.ledger_html(self)

    def to_pandas(self, table: str = "tools") -> _tables.PandasFrame:
        """The tool states or the events as a pandas DataFrame (``gdsmodel.tables``)."""
        return _tables.pandas_frame(self, table, ("tools", "events"))

    def to_polars(self, table: str = "tools") -> _tables.PolarsFrame:
        """The tool states or the events as a polars DataFrame (``gdsmodel.tables``)."""
        return _tables.polars_frame(self, table, ("tools", "events"))

    def __init__(self, *, catalogue: Catalogue | None = None) -> None:
        self.catalogue: Catalogue = catalogue or default_catalogue()
        self._store: Store = MemoryStore()
        self._events: list[Event] = []
        self._seqs: dict[str, list[int]] = {}  # the card index: sequence numbers per serial
        self._states: dict[str, ToolState] = {}

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        catalogue: Catalogue | None = None,
        create: bool = True,
        station: str | None = None,
    ) -> Ledger:
        """Open (or create) a ledger file: JSON when the name ends in ``.json``, SQLite otherwise;
        or one station's ledger in a PostgreSQL database, given its ``postgresql://`` URL (the
        ``station`` names it; several stations share one database, each isolated; see
        :mod:`~gdsmodel.standards.safety_tools.pgstore`).

        Every stored event is checked against the rules as it is read; a file that breaks them
        raises :class:`~gdsmodel.errors.DataFileError` naming the file and the event.

        >>> import tempfile, pathlib
        >>> path = pathlib.Path((tmp := tempfile.TemporaryDirectory()).name) / "safety-tools.sqlite"
        >>> with Ledger.open(path) as ledger:
        ...     _ = ledger.register("ES-1", kind="earthing_set", on=datetime.date(2026, 1, 5))
        >>> Ledger.open(path).serials()
        ('ES-1',)
        """
        store = open_store(path, create=create, station=station)
        try:
            ledger = cls(catalogue=catalogue)
            ledger._store = store
            # the events the store read on opening; the rules are checked before the chain, so
            # that an event that breaks them is named as such
            first, broken = store.open_events()
            ledger._catch_up(first, broken)
        except BaseException:
            store.close()
            raise
        return ledger

    def _catch_up(self, events: Sequence[Event], broken: ChainBroken | None = None) -> None:
        states, seqs, log = self._states, self._seqs, self._events
        get, add = states.get, log.append
        start = len(log)
        # one pass: each event checked and folded into its tool's state, then filed (_adopt)
        for i, event in enumerate(events, start=0):
            serial = event.serial
            try:
                states[serial] = apply(get(serial), event)
            except GdsmodelError as exc:
                where = self._store.where
                also = ""
                if broken is not None and broken.seq <= start + i + 1:
                    also = f"; and {broken.message}"
                raise DataFileError(
                    f"event {start + i + 1} breaks the ledger rules: {exc}{also}",
                    file=where,
                    path=f"events[{start + i}]",
                ) from None
            add(event)
            card = seqs.get(serial)
            if card is None:
                seqs[serial] = [start + i + 1]
            else:
                card.append(start + i + 1)
        if broken is not None:
            raise broken

    def _adopt(self, event: Event) -> None:
        self._events.append(event)
        self._seqs.setdefault(event.serial, []).append(len(self._events))

    # ------------------------------------------------------------------ basics

    @property
    def location(self) -> str | None:
        """Where the ledger is kept (its file, or its database and station), None in memory.

        >>> Ledger().location is None
        True
        """
        return self._store.where

    @property
    def path(self) -> Path | None:
        """The ledger file, or None for a ledger in memory or in a database.

        >>> Ledger().path is None
        True
        """
        return self._store.path

    @property
    def head(self) -> str:
        """The hash of the event chain after the last event (SHA-256, hex; '' for no event).

        Noted down elsewhere (a report, a paper log), it lets a later reader tell that no event
        was changed, removed or cut off since: the chain of a file must still reach it.

        >>> len(_example_ledger().head), Ledger().head
        (64, '')
        """
        if self._store.where is None:  # in memory: nothing stored, the chain worked out here
            return chain_head(self._events)
        return self._store.head

    @property
    def events(self) -> tuple[Event, ...]:
        """Every event, in the order it was recorded.

        >>> [e.TYPE for e in _example_ledger().events]
        ['registered', 'tested']
        """
        return tuple(self._events)

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Every event with its sequence number (from 1).

        >>> [(e.seq, e.event.TYPE) for e in _example_ledger().entries]
        [(1, 'registered'), (2, 'tested')]
        """
        return tuple(Entry(i, e) for i, e in enumerate(self._events, start=1))

    def __len__(self) -> int:
        return len(self._events)

    def __repr__(self) -> str:
        where = self._store.where or "memory"
        return f"<Ledger {where}: {len(self._states)} tools, {len(self._events)} events>"

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the file (the ledger stays readable in memory).

        >>> Ledger().close()
        """
        self._store.close()

    def refresh(self) -> int:
        """Read events other processes committed since; returns how many.

        >>> Ledger().refresh()
        0
        """
        fresh = self._store.read_after(len(self._events))
        self._catch_up(fresh)
        return len(fresh)

    def save(self, path: str | Path, *, overwrite: bool = False) -> None:
        """Write a copy of the whole ledger to a new file (JSON or SQLite by suffix).

        >>> import tempfile, pathlib
        >>> p = pathlib.Path((tmp := tempfile.TemporaryDirectory()).name) / "copy.json"
        >>> Ledger().save(p)
        >>> len(Ledger.open(p))
        0
        """
        write_events(path, self._events, overwrite=overwrite)

    def serials(self) -> tuple[str, ...]:
        """Every registered serial, in registration order (scrapped tools too).

        >>> _example_ledger().serials()
        ('GL-1',)
        """
        return tuple(self._states)

    def state(self, serial: str, *, on: datetime.date | None = None) -> ToolState:
        """The tool's state now, or as of the end of day ``on``.

        >>> Ledger().state("nope")
        Traceback (most recent call last):
        gdsmodel.errors.NotFoundError: unknown tool 'nope'
        """
        serial = normal_serial(serial)
        if serial not in self._states:
            raise NotFoundError("tool", serial, list(self._states))
        if on is None:
            return self._states[serial]
        state = self._state_on(serial, on)
        if state is None:
            raise NotFoundError(f"tool (as of {on.isoformat()})", serial)
        return state

    def tools(self, *, on: datetime.date | None = None) -> tuple[ToolState, ...]:
        """The state of every tool now, or as of the end of day ``on`` (registration order).

        >>> [s.condition.value for s in _example_ledger().tools(on=datetime.date(2026, 1, 5))]
        ['untested']
        """
        states = self._states if on is None else self._states_on(on)
        return tuple(states.values())

    def _states_on(self, on: datetime.date) -> dict[str, ToolState]:
        # What fold(e for e in self._events if e.on <= on) gives, in the same (registration)
        # order, without replaying the whole log: see _state_on.
        out: dict[str, ToolState] = {}
        for serial, state in self._states.items():
            if state.last_on <= on:
                out[serial] = state
            elif state.registered_on <= on:
                out[serial] = self._replay(serial, on)
        return out

    def _state_on(self, serial: str, on: datetime.date) -> ToolState | None:
        """The tool's state as of the end of day ``on`` (None when registered after it)."""
        state = self._states[serial]
        if state.last_on <= on:  # no event after the day: the current state is the answer
            return state
        if state.registered_on > on:
            return None
        return self._replay(serial, on)

    def _replay(self, serial: str, on: datetime.date) -> ToolState:
        # The events of one tool are in date order, so those up to `on` are a prefix of its log.
        events = self._events
        state: ToolState | None = None
        for seq in self._seqs[serial]:
            event = events[seq - 1]
            if event.on > on:
                break
            state = apply(state, event)
        assert state is not None  # its registration is on or before `on`
        return state

    # ------------------------------------------------------------------ writing

    def _commit(self, build: Build) -> list[Event]:
        """Run ``build`` against the latest states, check its events, write them, adopt them."""
        staged: dict[str, ToolState] = {}
        caught: list[Event] = []
        latest = _Overlay(staged, self._states)

        def plan(fresh: Sequence[Event]) -> list[Event]:
            for event in fresh:  # written by another process since we last looked
                staged[event.serial] = apply(latest.get(event.serial), event)
                caught.append(event)
            new = [validated(e) for e in build(latest)]
            for event in new:
                state = latest.get(event.serial)
                self._rules(state, event)
                staged[event.serial] = apply(state, event)
            return new

        _, new = self._store.append(len(self._events), plan)
        for event in (*caught, *new):
            self._adopt(event)
        self._states.update(staged)
        return new

    def _rules(self, state: ToolState | None, event: Event) -> None:
        """The rules that need the catalogue, checked when an event is written (not when a file
        is read: a station may change its catalogue later)."""
        if isinstance(event, Registered):
            kind = self.catalogue.kind(event.kind)
            kind.check_rating(event.rating)
            end_of_service_life(kind, event.rating, event.manufactured)  # helmets: a date made
        elif isinstance(event, Tested) and state is not None:
            if event.purpose is not TestPurpose.ACCEPTANCE and state.accepted:
                expected = (
                    TestPurpose.PERIODIC
                    if state.condition is Condition.SERVICEABLE
                    else TestPurpose.RETEST
                )
                if event.purpose is not expected:
                    raise InputError(
                        f"a test of a tool that is {state.condition.value} is a "
                        f"{expected.value} test",
                        name="purpose",
                        value=event.purpose.value,
                        allowed=expected.value,
                    )
            self._check_label(state, event)

    def record(self, event: Event) -> ToolState:
        """Record one event (any of :data:`~gdsmodel.standards.safety_tools.EVENT_TYPES`) and
        return the tool's new state.

        The one way in: the event is read back through the loader's converter
        (:class:`~gdsmodel.standards.safety_tools.events.InvalidEvent` if it would not load),
        checked against the catalogue (kind, rating, label date within the kind's interval unless
        ``next_due_reason`` says why) and against the tool's latest state, events other writers
        stored since included (:class:`~gdsmodel.standards.safety_tools.InvalidOperation` lists
        the moves allowed), then stored. A refused event changes nothing.

        >>> from gdsmodel.standards.safety_tools.events import Issued, Sealed
        >>> ledger = _example_ledger()
        >>> ledger.record(Issued(serial="GL-1", on=datetime.date(2026, 2, 1), to="王五")).holder
        '王五'
        >>> ledger.record(Sealed(serial="GL-1", on=datetime.date(2026, 2, 1), reason="pinhole"))
        ... # doctest: +ELLIPSIS
        Traceback (most recent call last):
        gdsmodel.standards.safety_tools.state.InvalidOperation: cannot seal tool 'GL-1': ...
        """
        if not isinstance(event, tuple(EVENT_TYPES.values())):
            raise InvalidEvent(
                "not a ledger event", name="event", value=event, allowed=", ".join(EVENT_TYPES)
            )

        def build(latest: Mapping[str, ToolState]) -> list[Event]:
            if not isinstance(event, Registered) and event.serial not in latest:
                raise NotFoundError("tool", event.serial, list(latest))
            return [event]

        self._commit(build)
        return self._states[event.serial]

    def _one(self, serial: str, op: Operation, make: Callable[[ToolState], Event]) -> ToolState:
        serial = normal_serial(serial)

        def build(latest: Mapping[str, ToolState]) -> list[Event]:
            state = latest.get(serial)
            if state is None:
                raise NotFoundError("tool", serial, list(latest))
            return [make(state)]

        self._commit(build)
        return self._states[serial]

    def register(
        self,
        serial: str,
        *,
        kind: str,
        on: datetime.date,
        rating: str = "",
        maker: str = "",
        batch: str = "",
        manufactured: datetime.date | None = None,
        purchased: datetime.date | None = None,
        keeper: str = "",
        place: str = "",
        by: str = "",
        note: str = "",
    ) -> ToolState:
        """Enter a new tool in the ledger; it needs its acceptance test before first use.

        The kind must be in the catalogue and the rating one of its ratings; a kind with a service
        life (helmets) needs the date of manufacture. A serial already in the ledger raises
        :class:`~gdsmodel.standards.safety_tools.DuplicateSerial`.

        >>> ledger = Ledger()
        >>> d = datetime.date
        >>> ledger.register("H-1", kind="safety_helmet", rating="plastic", on=d(2026, 1, 5),
        ...                 manufactured=d(2025, 10, 1)).condition.value
        'untested'
        >>> ledger.register("H-1", kind="phase_checker", on=datetime.date(2026, 1, 5))
        ... # doctest: +ELLIPSIS
        Traceback (most recent call last):
        gdsmodel.standards.safety_tools.state.DuplicateSerial: cannot register tool 'H-1': ...
        """
        return self.record(
            Registered(
                serial=serial,
                on=on,
                kind=kind,
                rating=rating,
                maker=maker,
                batch=batch,
                manufactured=manufactured,
                purchased=purchased,
                keeper=keeper,
                place=place,
                by=by,
                note=note,
            )
        )

    def _test(
        self,
        serial: str,
        acceptance: bool,
        on: datetime.date,
        tester: str,
        passed: bool,
        values: Mapping[str, object] | Iterable[Measurement],
        next_due_: datetime.date | None,
        note: str,
        next_due_reason: str,
    ) -> ToolState:
        measured = _measurements(values)
        on = _as_date(on)
        op = Operation.RECORD_ACCEPTANCE_TEST if acceptance else Operation.RECORD_TEST

        def make(state: ToolState) -> Event:
            check(state, op, on)
            if acceptance:
                purpose = TestPurpose.ACCEPTANCE
            elif state.condition is Condition.SERVICEABLE:
                purpose = TestPurpose.PERIODIC
            else:
                purpose = TestPurpose.RETEST
            due = next_due_
            if passed and due is None:
                due = self._label_date(state, on)
            return Tested(
                serial=state.serial,
                on=on,
                purpose=purpose,
                tester=tester,
                passed=passed,
                values=measured,
                next_due=due if passed else next_due_,
                note=note,
                next_due_reason=next_due_reason,
            )

        return self._one(serial, op, make)

    def _label_date(self, state: ToolState, on: datetime.date) -> datetime.date:
        try:
            kind = self.catalogue.kind(state.kind)
        except NotFoundError:
            raise InputError(
                f"kind {state.kind!r} of tool {state.serial!r} is not in the catalogue, so the "
                "label date cannot be worked out",
                name="next_due",
                value=None,
                allowed="a next_due date, or a catalogue with the kind",
            ) from None
        return next_due(kind, tested_on=on, rating=state.rating, manufactured=state.manufactured)

    def _check_label(self, state: ToolState, event: Tested) -> None:
        """A label date beyond the kind's interval needs a reason recorded with the test."""
        if event.next_due is None or event.next_due_reason.strip():
            return
        if state.kind not in self.catalogue:
            return  # no interval to bound it by (a kind the station's catalogue no longer has)
        limit = self._label_date(state, event.on)
        if event.next_due > limit:
            raise InputError(
                f"the label date is later than the test interval of kind {state.kind!r} allows "
                f"({self.catalogue.kind(state.kind).interval_text} from {event.on.isoformat()})",
                name="next_due",
                value=event.next_due.isoformat(),
                allowed=f"a date up to {limit.isoformat()}, or a later one with a reason "
                "(next_due_reason, --next-due-reason), recorded with the test",
            )

    def record_acceptance_test(
        self,
        serial: str,
        *,
        on: datetime.date,
        tester: str,
        passed: bool,
        values: Mapping[str, object] | Iterable[Measurement] = (),
        next_due: datetime.date | None = None,
        note: str = "",
        next_due_reason: str = "",
    ) -> ToolState:
        """Record the test of a new tool before its first use (验收试验).

        A pass labels the tool with the next due date (worked out from the catalogue unless
        ``next_due`` is given; a date later than the kind's interval allows needs
        ``next_due_reason``); a fail marks it defective.

        >>> ledger = Ledger()
        >>> _ = ledger.register("B-1", kind="insulating_boots", on=datetime.date(2026, 3, 31))
        >>> ledger.record_acceptance_test("B-1", on=datetime.date(2026, 3, 31), tester="李四",
        ...                               passed=True, values={"leakage current": "6.1 mA"}).due
        datetime.date(2026, 9, 30)
        """
        return self._test(serial, True, on, tester, passed, values, next_due, note, next_due_reason)

    def record_test(
        self,
        serial: str,
        *,
        on: datetime.date,
        tester: str,
        passed: bool,
        values: Mapping[str, object] | Iterable[Measurement] = (),
        next_due: datetime.date | None = None,
        note: str = "",
        next_due_reason: str = "",
    ) -> ToolState:
        """Record a periodic test, or a retest after repair, recall or doubt (``next_due`` and
        ``next_due_reason`` as for :meth:`record_acceptance_test`).

        Refused for a tool that has not had its acceptance test, a sealed, issued or scrapped one.

        >>> ledger = Ledger()
        >>> _ = ledger.register("B-1", kind="insulating_boots", on=datetime.date(2026, 1, 5))
        >>> ledger.record_test("B-1", on=datetime.date(2026, 1, 6), tester="李四", passed=True)
        ... # doctest: +ELLIPSIS
        Traceback (most recent call last):
        gdsmodel.standards.safety_tools.state.InvalidOperation: cannot record_test tool 'B-1':
        it has not had its acceptance test; ...
        """
        return self._test(
            serial, False, on, tester, passed, values, next_due, note, next_due_reason
        )

    def issue(self, serial: str, *, on: datetime.date, to: str, by: str = "") -> ToolState:
        """Hand a usable tool out to a person (refused when untested, overdue, sealed...).

        >>> ledger = _example_ledger()
        >>> ledger.issue("GL-1", on=datetime.date(2026, 2, 1), to="王五").holder
        '王五'
        """
        return self.record(Issued(serial=serial, on=on, to=to, by=by))

    def return_tool(
        self, serial: str, *, on: datetime.date, by: str = "", note: str = ""
    ) -> ToolState:
        """Take an issued tool back into store.

        >>> ledger = _example_ledger()
        >>> _ = ledger.issue("GL-1", on=datetime.date(2026, 2, 1), to="王五")
        >>> ledger.return_tool("GL-1", on=datetime.date(2026, 2, 1)).holder is None
        True
        """
        return self.record(Returned(serial=serial, on=on, by=by, note=note))

    def record_check(
        self, serial: str, *, on: datetime.date, by: str, passed: bool, note: str = ""
    ) -> ToolState:
        """Record the check before use; a failed check marks the tool defective.

        >>> ledger = _example_ledger()
        >>> ledger.record_check("GL-1", on=datetime.date(2026, 2, 1), by="王五", passed=False,
        ...                     note="crack").condition.value
        'defective'
        """
        return self.record(Checked(serial=serial, on=on, by=by, passed=passed, note=note))

    def record_defect(
        self, serial: str, *, on: datetime.date, description: str, by: str = ""
    ) -> ToolState:
        """Record a defect found on a tool: it may not be used until cleared by a test or repaired.

        >>> _example_ledger().record_defect("GL-1", on=datetime.date(2026, 2, 1),
        ...                                 description="pinhole").condition.value
        'defective'
        """
        return self.record(DefectFound(serial=serial, on=on, description=description, by=by))

    def seal(self, serial: str, *, on: datetime.date, reason: str, by: str = "") -> ToolState:
        """Seal a tool for repair (坏的封修); it must be in store.

        >>> ledger = _example_ledger()
        >>> ledger.seal("GL-1", on=datetime.date(2026, 2, 1), reason="pinhole").condition.value
        'sealed'
        """
        return self.record(Sealed(serial=serial, on=on, reason=reason, by=by))

    def repair(
        self, serial: str, *, on: datetime.date, description: str, by: str = ""
    ) -> ToolState:
        """Record the repair of a sealed tool; it then needs a passing test before use.

        >>> ledger = _example_ledger()
        >>> _ = ledger.seal("GL-1", on=datetime.date(2026, 2, 1), reason="pinhole")
        >>> ledger.repair("GL-1", on=datetime.date(2026, 2, 3), description="patched").needs_test
        <DueReason.AFTER_REPAIR: 'after_repair'>
        """
        return self.record(Repaired(serial=serial, on=on, description=description, by=by))

    def scrap(self, serial: str, *, on: datetime.date, reason: str, by: str = "") -> ToolState:
        """Take a tool out of service for good (it must be in store).

        >>> ledger = _example_ledger()
        >>> ledger.scrap("GL-1", on=datetime.date(2026, 2, 1), reason="aged").condition.value
        'scrapped'
        """
        return self.record(Scrapped(serial=serial, on=on, reason=reason, by=by))

    def move(
        self,
        serial: str,
        *,
        on: datetime.date,
        keeper: str | None = None,
        place: str | None = None,
        by: str = "",
    ) -> ToolState:
        """Give a tool in store a new keeper or place (a kit's ID puts it in that kit).

        >>> _example_ledger().move("GL-1", on=datetime.date(2026, 2, 1), place="vehicle-1").place
        'vehicle-1'
        """
        if keeper is None and place is None:
            raise InputError(
                "nothing to change", name="keeper/place", allowed="a keeper or a place"
            )

        def make(s: ToolState) -> Event:
            return Moved(
                serial=serial,
                on=on,
                keeper=s.keeper if keeper is None else keeper,
                place=s.place if place is None else place,
                by=by,
            )

        return self._one(serial, Operation.MOVE, make)

    def recall_batch(
        self, batch: str, *, on: datetime.date, reason: str, by: str = ""
    ) -> tuple[ToolState, ...]:
        """Call in every tool of a batch that showed a quality problem: each needs a test.

        All tools of the batch that are not scrapped get the recall on their card, in one
        transaction; a serviceable one needs a passing test before further use.

        >>> ledger = _example_ledger()
        >>> [s.condition.value for s in ledger.recall_batch("B7", on=datetime.date(2026, 2, 1),
        ...                                                 reason="seam split on GL-9")]
        ['test_required']
        """
        if not isinstance(batch, str) or not batch.strip():
            raise InputError(
                "must not be empty", name="batch", value=batch, allowed="a batch number"
            )
        batch = normal_serial(batch)

        def build(latest: Mapping[str, ToolState]) -> list[Event]:
            in_order = [*self._states, *(s for s in latest if s not in self._states)]
            members = [
                serial
                for serial in in_order
                if latest[serial].batch == batch
                and latest[serial].condition is not Condition.SCRAPPED
            ]
            if not members:
                known = sorted({s.batch for s in latest.values() if s.batch})
                raise NotFoundError("batch (with tools in service)", batch, known)
            return [Recalled(serial=m, on=on, batch=batch, reason=reason, by=by) for m in members]

        written = self._commit(build)
        return tuple(self._states[e.serial] for e in written)

    # ------------------------------------------------------------------ queries

    def due(self, period: PeriodLike) -> tuple[Due, ...]:
        """Tools whose test falls due in ``period`` (half-open ``[start, end)``), by date, from
        each tool's current state (see :func:`~gdsmodel.standards.safety_tools.queries.due`).

        >>> import pendulum
        >>> class July:  # any object with .start and .end, such as gdsmodel.periods.Period
        ...     start = pendulum.datetime(2026, 7, 1, tz="Asia/Shanghai")
        ...     end = pendulum.datetime(2026, 8, 1, tz="Asia/Shanghai")
        >>> [(x.serial, x.due.isoformat()) for x in _example_ledger().due(July())]
        [('GL-1', '2026-07-06')]
        """
        return queries.due(self._states.values(), period)

    def overdue(self, *, on: datetime.date) -> tuple[Due, ...]:
        """Serviceable tools whose label date is before ``on`` (state as of that day), by date.

        >>> [x.serial for x in _example_ledger().overdue(on=datetime.date(2026, 7, 7))]
        ['GL-1']
        """
        return queries.overdue(self._states_on(on).values(), on=on)

    def unusable(self, *, on: datetime.date) -> tuple[Unusable, ...]:
        """Tools (not scrapped) that may not be used on ``on``, with the reason (state as of then).

        >>> [(x.serial, x.reason) for x in _example_ledger().unusable(on=datetime.date(2026, 7, 7))]
        [('GL-1', 'overdue: its test was due on 2026-07-06')]
        """
        return queries.unusable(self._states_on(on).values(), on=on)

    def card(self, serial: str) -> Card:
        """The card of one tool (一物一卡) with its full history.

        >>> [e.event.TYPE for e in _example_ledger().card("GL-1").history]
        ['registered', 'tested']
        """
        state = self.state(serial)
        history = tuple(
            Entry(seq, self._events[seq - 1]) for seq in self._seqs.get(state.serial, ())
        )
        kind = self.catalogue.kind(state.kind) if state.kind in self.catalogue else None
        return Card(state=state, kind=kind, history=history)

    def allowed(self, serial: str, *, on: datetime.date) -> tuple[Operation, ...]:
        """The operations the tool's current state allows on day ``on``.

        >>> [op.value for op in _example_ledger().allowed("GL-1", on=datetime.date(2026, 8, 1))]
        ['record_test', 'record_defect', 'seal', 'scrap', 'move', 'recall_batch']
        """
        return allowed_operations(self.state(serial), on)

    def check(self, inventory: Iterable[Sighting] | None = None) -> tuple[Discrepancy, ...]:
        """Check that ledger, item and card agree (帐、物、卡相符); empty when they do.

        Always: the stored log's hash chain is whole (``chain_broken`` names the first event that
        does not match), the stored log equals the ledger in memory, and each card's history and
        state equal what the ledger derives. With a stock-take (``inventory``): every tool in
        store was seen, nothing unknown or scrapped was seen, places and label dates match.

        >>> ledger = _example_ledger()
        >>> ledger.check()
        ()
        >>> [d.kind.value for d in ledger.check([Sighting(serial="GL-1", place="station",
        ...                                               label_due=datetime.date(2026, 7, 6)),
        ...                                      Sighting(serial="GL-X")])]
        ['unregistered_item']
        """
        found: list[Discrepancy] = []
        try:
            self.refresh()
            stored = self._store.load() if self._store.where is not None else self._events
        except (DataFileError, LedgerReplaced) as exc:  # the chain broken, the file replaced...
            kind = (
                DiscrepancyKind.CHAIN_BROKEN
                if isinstance(exc, ChainBroken)
                else DiscrepancyKind.LEDGER_MISMATCH
            )
            return (Discrepancy(serial="", kind=kind, detail=str(exc)),)
        if list(stored) != self._events:
            found.append(
                Discrepancy(
                    serial="",
                    kind=DiscrepancyKind.LEDGER_MISMATCH,
                    detail=f"the file holds {len(stored)} events, the ledger {len(self._events)}, "
                    "and they differ",
                )
            )
        events = self._events
        by_serial: collections.defaultdict[str, list[Event]] = collections.defaultdict(list)
        for e in events:
            by_serial[e.serial].append(e)
        for serial, state in self._states.items():
            # the card's history (as card() builds it) and its state derived afresh from it
            card_events = [events[seq - 1] for seq in self._seqs.get(serial, ())]
            if card_events != by_serial.get(serial, []) or fold(card_events).get(serial) != state:
                found.append(
                    Discrepancy(
                        serial=serial,
                        kind=DiscrepancyKind.CARD_MISMATCH,
                        detail="the card's history or state differs from the ledger",
                    )
                )
        if inventory is not None:
            found.extend(queries.stock_take(self._states, inventory))
        return tuple(found)

    def shortfall(
        self, *, on: datetime.date, kits: Sequence[Kit] | None = None
    ) -> tuple[Shortfall, ...]:
        """What each kit lacks on ``on`` (缺的补齐): missing or unusable tools against its need
        (``kits`` default to the examples shipped with gdsmodel; see
        :func:`~gdsmodel.standards.safety_tools.queries.shortfall`).

        >>> [(s.kit, s.kind, s.missing)
        ...  for s in _example_ledger().shortfall(on=datetime.date(2026, 2, 1))][:2]
        [('station', 'electroscope', 2), ('station', 'operating_rod', 2)]
        """
        return queries.shortfall(self._states_on(on).values(), on=on, kits=kits)


def _example_ledger() -> Ledger:
    """A ledger with one pair of gloves tested on 6 January 2026 (due 6 July), for doctests."""
    d = datetime.date
    ledger = Ledger()
    ledger.register(
        "GL-1",
        kind="insulating_gloves",
        rating="high_voltage",
        batch="B7",
        on=d(2026, 1, 5),
        place="station",
    )
    ledger.record_acceptance_test("GL-1", on=d(2026, 1, 6), tester="李四", passed=True)
    return ledger
