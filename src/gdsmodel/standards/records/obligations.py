"""Open records in the obligations calendar: each running clock of a record is an
:class:`~gdsmodel.standards.calendar.Obligation` of the post that owns the record (and of the
person, when the kind names one), due from the day the clock started to its due day, and
marked overdue once that day has passed.

>>> import datetime as dt
>>> from gdsmodel.periods import Month
>>> from gdsmodel.standards.records.book import RecordBook
>>> book = RecordBook()
>>> _ = book.add("request", "R1", "receive", dt.date(2026, 3, 2), {"class": "complaint",
...              "customer": "李四", "first_asked": "P05", "subject": "voltage low"})
>>> [o] = record_obligations(book.states(), book.specs, Month(2026, 3),
...                         today=dt.date(2026, 3, 12))
>>> o.owner, str(o.window)
('customer_service_office', '2026-03-02/2026-03-10')
>>> o.note
'request R1 (P05): reply due 2026-03-09, overdue'
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from pathlib import Path

from gdsmodel.periods import Period, Span
from gdsmodel.roles.model import Cadence
from gdsmodel.standards.calendar import Obligation
from gdsmodel.standards.records.kinds import KindSpec
from gdsmodel.standards.records.machine import RecordState
from gdsmodel.text import Text

__all__ = ["record_obligations", "station_record_obligations"]


def record_obligations(
    states: Iterable[RecordState],
    specs: Mapping[str, KindSpec],
    period: Period,
    *,
    today: _dt.date,
    owner: str | None = None,
    person: str | None = None,
) -> tuple[Obligation, ...]:
    """The obligations of open records whose due window overlaps ``period``, or that are
    overdue on ``today`` (an overdue record stays in every later calendar until it is done);
    of one post (``owner``) or person, by due day."""
    out: list[tuple[_dt.date, Obligation]] = []
    for s in states:
        if owner is not None and s.owner != owner:
            continue
        if person is not None and s.person != person:
            continue
        spec = specs[s.kind]
        for c in s.running():
            if c.due is None:
                continue
            lim = spec.limit(c.limit)
            window = Span(c.start, c.due + _dt.timedelta(days=1))
            late = c.overdue(today)
            if not (window.overlaps(period) or (late and period.end.date() > c.due)):
                continue
            who = f" ({s.person})" if s.person else ""
            note = f"{s.kind} {s.record}{who}: {lim.id} due {c.due.isoformat()}"
            ob = Obligation(
                clause=lim.clause or spec.clauses[0],
                owner=s.owner,
                cadence=Cadence.ON_EVENT,
                text=Text(
                    f"{spec.name.zh} {s.record}: {lim.name.zh}",
                    f"{spec.name.en} {s.record}: {lim.name.en}",
                ),
                window=window,
                season=f"record:{s.kind}/{s.record}/{c.limit}",
                note=note + (", overdue" if late else ""),
            )
            out.append((c.due, ob))
    out.sort(key=lambda x: (x[0], x[1].note))
    return tuple(o for _, o in out)


def station_record_obligations(
    folder: str | Path,
    period: Period,
    *,
    today: _dt.date,
    owner: str | None = None,
    person: str | None = None,
) -> tuple[Obligation, ...]:
    """:func:`record_obligations` of the records kept in a station folder (its
    ``records.sqlite``, else ``records.json``; its ``records.toml`` applied when it has one),
    as they stood at the end of ``today``; none when the folder keeps no records.

    >>> from gdsmodel.periods import Month
    >>> station_record_obligations("/nonexistent", Month(2026, 3), today=_dt.date(2026, 3, 1))
    ()
    """
    from gdsmodel.standards.records.book import RecordBook
    from gdsmodel.standards.records.kinds import kinds, station_kinds
    from gdsmodel.standards.records.location import station_store

    where = station_store(folder)
    if where is None:
        return ()
    own = Path(folder) / "records.toml"
    specs = station_kinds(own) if own.is_file() else kinds()
    with RecordBook.open(where, specs=specs, create=False) as book:
        return record_obligations(
            book.states_on(today + _dt.timedelta(days=1)),  # as they stood at the end of today
            book.specs,
            period,
            today=today,
            owner=owner,
            person=person,
        )
