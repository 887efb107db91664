"""A station's book of records: every kind's events in one append-only, hash-chained store
(SQLite by default, JSON, or PostgreSQL), with :meth:`RecordBook.record` as the one writer.

The book checks each event against its kind's state machine before it is stored; a writer
first reads what others stored since (under the store's write lock), so several processes may
share one book and no event is lost.

>>> import datetime as dt, tempfile, pathlib
>>> folder = pathlib.Path((tmp := tempfile.TemporaryDirectory()).name)
>>> book = RecordBook.open(folder / "records.sqlite")
>>> s = book.add("defect", "DEF-1", "find", dt.date(2026, 3, 2), {"class": "major",
...              "equipment": "T-3", "found_on": "patrol", "description": "oil leak"})
>>> s.state, [c.due for c in s.clocks]
('open', [datetime.date(2026, 3, 9)])
>>> [r.record for r in book.overdue(dt.date(2026, 3, 10))]
['DEF-1']
>>> book.close()
>>> with RecordBook.open(folder / "records.sqlite") as again:
...     again.state("defect", "DEF-1").state, len(again)
('open', 1)
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path

import attrs

from gdsmodel.errors import NotFoundError
from gdsmodel.standards.records.events import CODEC, RecordEvent
from gdsmodel.standards.records.kinds import KindSpec, kinds
from gdsmodel.standards.records.location import open_store
from gdsmodel.standards.records.machine import Clock, RecordState, apply, fold
from gdsmodel.standards.records.store import MemoryStore, Store, write_events

__all__ = ["Due", "RecordBook"]


@attrs.frozen(slots=True, kw_only=True)
class Due:
    """A running clock of an open record: what is due, by when, from whom."""

    record: str
    kind: str
    limit: str
    start: _dt.date
    due: _dt.date
    owner: str
    person: str
    overdue: bool


class RecordBook:
    """The records of a station (see the module text).

    ``specs`` are the kinds (the shipped ones by default, or a station's); ``people`` the
    person IDs of the station's roster, when there is one: the person fields of new moves must
    name them (moves already stored stay valid when someone leaves the roster).
    """

    def __init__(
        self,
        *,
        specs: Iterable[KindSpec] | None = None,
        people: Collection[str] | None = None,
    ) -> None:
        self.specs: dict[str, KindSpec] = {k.id: k for k in (specs or kinds())}
        self.people = None if people is None else frozenset(people)
        self._store: Store[RecordEvent] = MemoryStore()
        self._events: list[RecordEvent] = []
        self._states: dict[tuple[str, str], RecordState] = {}

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        specs: Iterable[KindSpec] | None = None,
        people: Collection[str] | None = None,
        create: bool = True,
        station: str | None = None,
    ) -> RecordBook:
        """The book kept at ``path`` (``.json``, a SQLite file, or a ``postgresql://`` URL
        with ``station``); its events are replayed and checked."""
        book = cls(specs=specs, people=people)
        store = open_store(CODEC, path, create=create, station=station)
        try:
            events, broken = store.open_events()
            book._states = fold(book.specs, events)  # the roster checks new moves only
            if broken is not None:
                raise broken
        except BaseException:
            store.close()
            raise
        book._store, book._events = store, list(events)
        return book

    def __enter__(self) -> RecordBook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        """The number of stored events."""
        return len(self._events)

    @property
    def where(self) -> str | None:
        """Where the events are kept (None: in memory)."""
        return self._store.where

    def close(self) -> None:
        """Release the store."""
        self._store.close()

    def spec(self, kind_id: str) -> KindSpec:
        """A kind of this book."""
        try:
            return self.specs[kind_id]
        except KeyError:
            raise NotFoundError("record kind", kind_id, self.specs) from None

    def _catch_up(self, fresh: Sequence[RecordEvent]) -> None:
        for e in fresh:
            key = (e.kind, e.record)
            self._states[key] = apply(self.spec(e.kind), self._states.get(key), e)
            self._events.append(e)

    def refresh(self) -> None:
        """Read what other writers stored since."""
        self._catch_up(self._store.read_after(len(self._events)))

    def record(self, event: RecordEvent) -> RecordState:
        """Check ``event`` against its kind's rules and store it: the one writer.

        Raises :class:`~gdsmodel.standards.records.machine.InvalidMove` (nothing stored) when
        the rules refuse it.
        """
        return self.record_all([event])[-1]

    def record_all(self, events: Sequence[RecordEvent]) -> list[RecordState]:
        """Several events, all stored or none (an import)."""
        spec_of = self.spec
        for e in events:
            spec_of(e.kind)
        planned: list[RecordState] = []

        def plan(fresh: Sequence[RecordEvent]) -> Sequence[RecordEvent]:
            self._catch_up(fresh)
            planned.clear()
            states = dict(self._states)
            for e in events:
                key = (e.kind, e.record)
                states[key] = apply(spec_of(e.kind), states.get(key), e, people=self.people)
                planned.append(states[key])
            return list(events)

        _, new = self._store.append(len(self._events), plan)
        self._catch_up(new)
        return planned

    def add(
        self,
        kind: str,
        record: str,
        move: str,
        on: _dt.date,
        fields: Mapping[str, str] | None = None,
        *,
        by: str = "",
        note: str = "",
    ) -> RecordState:
        """One move, as :meth:`record` (the fields as a mapping)."""
        event = RecordEvent(
            kind=kind, record=record, move=move, on=on, by=by, fields=fields or {}, note=note
        )
        return self.record(event)

    # ---------------------------------------------------------------- queries

    def events(self, kind: str | None = None, record: str | None = None) -> list[RecordEvent]:
        """The stored events (of a kind, of a record), in order."""
        return [
            e
            for e in self._events
            if (kind is None or e.kind == kind) and (record is None or e.record == record)
        ]

    def state(self, kind: str, record: str) -> RecordState:
        """A record; :class:`~gdsmodel.errors.NotFoundError` if there is none."""
        self.spec(kind)
        try:
            return self._states[(kind, record)]
        except KeyError:
            known = [r for k, r in self._states if k == kind]
            raise NotFoundError(f"{kind} record", record, known) from None

    def states(self, kind: str | None = None, *, state: str | None = None) -> list[RecordState]:
        """The records (of a kind, in a state), in the order they were opened."""
        if kind is not None:
            self.spec(kind)
        return [
            s
            for (k, _), s in self._states.items()
            if (kind is None or k == kind) and (state is None or s.state == state)
        ]

    def states_on(self, day: _dt.date, kind: str | None = None) -> list[RecordState]:
        """The records as they stood at the start of ``day``: their events dated before it,
        replayed (a record's events are in the order of their days, so this is a prefix of
        each record's log). Records opened on or after ``day`` are not there.

        >>> book = RecordBook()
        >>> _ = book.add("defect", "D1", "find", _dt.date(2026, 3, 2), {"class": "major",
        ...              "equipment": "T-3", "found_on": "patrol", "description": "oil leak"})
        >>> on = book.states_on
        >>> [s.state for s in on(_dt.date(2026, 3, 3))], on(_dt.date(2026, 3, 2))
        (['open'], [])
        """
        if kind is not None:
            self.spec(kind)
        states = fold(self.specs, [e for e in self._events if e.on < day])
        return [s for (k, _), s in states.items() if kind is None or k == kind]

    def due(
        self,
        today: _dt.date,
        *,
        kind: str | None = None,
        within: int | None = None,
        owner: str | None = None,
        person: str | None = None,
    ) -> list[Due]:
        """The running clocks of open records, by due day: overdue ones, and those due within
        ``within`` days of ``today`` (every running clock when None)."""
        out: list[Due] = []
        for s in self.states(kind):
            if owner is not None and s.owner != owner:
                continue
            if person is not None and s.person != person:
                continue
            for c in s.running():
                if c.due is None:
                    continue
                if within is not None and (c.due - today).days > within:
                    continue
                out.append(_due(s, c, today))
        return sorted(out, key=lambda d: (d.due, d.kind, d.record, d.limit))

    def overdue(self, today: _dt.date, *, kind: str | None = None) -> list[Due]:
        """The running clocks past their due day on ``today``."""
        return [d for d in self.due(today, kind=kind) if d.overdue]

    def save(self, path: str | Path, *, overwrite: bool = False) -> None:
        """Write every event to a new file (JSON or SQLite by suffix), chained."""
        write_events(CODEC, path, self._events, overwrite=overwrite)

    def integrity(self) -> str:
        """'ok', or what is wrong with the stored log."""
        return self._store.integrity()


def _due(s: RecordState, c: Clock, today: _dt.date) -> Due:
    assert c.due is not None
    return Due(
        record=s.record,
        kind=s.kind,
        limit=c.limit,
        start=c.start,
        due=c.due,
        owner=s.owner,
        person=s.person,
        overdue=c.overdue(today),
    )
