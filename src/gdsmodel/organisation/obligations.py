"""A person's obligations: the calendar of the posts and units they hold, for a period.

Each post a person holds brings its clauses' obligations (a head post also its unit's); a
unit membership or a member role (农电工 of the distribution group) brings the unit's
duties. Only the obligations whose due window overlaps the days the person held the post
or unit are kept; triggers (on-event and ad hoc work) are kept when the person held it on
any day of the period.

>>> from datetime import date
>>> from gdsmodel.organisation.dating import Effective
>>> from gdsmodel.organisation.staff import Assignment, Person, Roster
>>> from gdsmodel.periods import Month
>>> roster = Roster(people=(Person("P1", "王强"),), assignments=(
...     Assignment("P1", "safety_officer", Effective(date(2026, 1, 1), date(2026, 3, 20))),))
>>> due = person_obligations(roster, "P1", Month(2026, 3))
>>> all(o.window.start.date() < date(2026, 3, 20) for o in due if o.window is not None)
True
>>> {o.owner for o in due}, len(due) > 0
({'safety_officer'}, True)
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from gdsmodel.organisation.dating import Effective
from gdsmodel.organisation.staff import Catalogue, HoldKind, Roster, default_catalogue
from gdsmodel.periods import Period
from gdsmodel.standards.calendar import CalendarConfig, Obligation

__all__ = ["person_obligations"]


def _held_in(window: Period, spans: list[Effective]) -> bool:
    start = window.start.date()
    end = window.end.date()
    # a window ending at midnight does not include its end day
    return any(
        s.overlaps(start, end if end > start else start + _dt.timedelta(days=1)) for s in spans
    )


def person_obligations(
    roster: Roster,
    person_id: str,
    period: Period,
    *,
    standard: Any = None,
    config: CalendarConfig | None = None,
    triggers: bool = True,
    catalogue: Catalogue | None = None,
) -> tuple[Obligation, ...]:
    """The obligations of what ``person_id`` held during ``period``, by due window.

    ``standard`` is a :class:`~gdsmodel.standards.standard.Standard` (default: the
    reference one). Dated obligations first (by window start), then triggers.
    """
    from gdsmodel.standards.calendar import obligations
    from gdsmodel.standards.standard import load_standard

    std = standard if standard is not None else load_standard()
    cat = catalogue or default_catalogue()
    roster.person(person_id)
    p_start, p_end = period.start.date(), period.end.date()
    spans: dict[str, list[Effective]] = {}
    for a in roster.assignments:
        if a.person != person_id or not a.effective.overlaps(p_start, p_end):
            continue
        kind = cat.kind_of(a.holds)
        owners = [a.holds] if kind is HoldKind.POST else []
        unit = cat.unit_of(a.holds)
        if unit is not None:
            owners.append(unit)
        for owner in owners:
            spans.setdefault(owner, []).append(a.effective)
    seen: set[str] = set()
    dated: list[Obligation] = []
    trig: list[Obligation] = []
    for owner, held in spans.items():
        # the owner's own clauses only: a head's unit is listed as an owner of its own
        for ob in obligations(std, period, owner=owner, config=config, triggers=triggers):
            if ob.owner != owner or ob.uid in seen:
                continue
            if ob.window is None:
                seen.add(ob.uid)
                trig.append(ob)
            elif _held_in(ob.window, held):
                seen.add(ob.uid)
                dated.append(ob)
    order = {c.id: i for i, c in enumerate(std.clauses())}
    dated.sort(key=lambda o: (o.window.start if o.window else period.start, order[o.clause]))
    trig.sort(key=lambda o: order[o.clause])
    return tuple(dated + trig)
