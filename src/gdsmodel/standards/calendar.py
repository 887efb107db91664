"""The obligations calendar: what the standard asks of whom, and when.

Every clause with a cadence yields obligations. :func:`obligations` (also
``Standard.obligations(period)``) lists those whose due window overlaps a period, for
whom (post or unit), with the window and the clause they come from. Clauses that are
done *on event* (an accident, an application) or *ad hoc* (临时, 不定期) are listed as
**triggers**, not dates.

The windows are configurable data (``standards/data/calendar.toml``) with documented
defaults that say they are defaults:

=============== ====================================================================
cadence         due window
=============== ====================================================================
annual          the year (plans: 年计划)
quarterly       the quarter
monthly         the month
month_end       the last ``month_end_days`` days of the month (default 5, assumed)
periodic        one per ``periodic_default`` period (default month, assumed), or per
                the clause's own interval in ``[periodic]``
seasonal        each configured season (spring/autumn safety inspections, summer and
                winter peak preparation; assumed months)
=============== ====================================================================

Clauses citing the meter-reading day get a window on the reading days of each month
(default days 1-20), which replaces their periodic or monthly window. Clauses whose main
category is ``reporting`` are due within
``report_due_days`` (default 5, assumed) after the period they report on ends.

>>> from gdsmodel import load_standard
>>> from gdsmodel.periods import Month
>>> due = load_standard().obligations(Month(2026, 3), owner="safety_officer")
>>> [(o.clause, str(o.cadence), str(o.window)) for o in due if o.cadence == "month_end"]
[('safety_officer.standard.9', 'month_end', '2026-03-27/2026-04-01')]
>>> any(o.clause == "safety_officer.duty.6" and o.season == "spring_safety_inspection"
...     for o in due)
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal, Protocol

import attrs

from gdsmodel import _show
from gdsmodel.datafiles import package_toml, read_toml
from gdsmodel.errors import InputError
from gdsmodel.periods import Month, Period, Quarter, Span, Year
from gdsmodel.roles.model import Cadence, Category, Clause, Post, Unit
from gdsmodel.serialize import structure
from gdsmodel.sources import Confidence
from gdsmodel.text import Text

__all__ = [
    "CalendarConfig",
    "ClauseBook",
    "MeterReadingDays",
    "Obligation",
    "Season",
    "default_calendar_config",
    "load_calendar_config",
    "obligations",
    "to_ics",
]

IntervalName = Literal["month", "quarter", "year"]


@attrs.frozen(slots=True, kw_only=True)
class Season:
    """A seasonal window, by month (inclusive); it wraps over the new year when
    ``last_month < first_month``."""

    id: str
    name: Text
    first_month: int = attrs.field(
        validator=attrs.validators.and_(attrs.validators.ge(1), attrs.validators.le(12))
    )
    last_month: int = attrs.field(
        validator=attrs.validators.and_(attrs.validators.ge(1), attrs.validators.le(12))
    )

    def windows(self, year: int) -> tuple[Span, ...]:
        """The season's windows that start in ``year``."""
        start = Month(year, self.first_month)
        months = (self.last_month - self.first_month) % 12 + 1
        end = start
        for _ in range(months - 1):
            end = end.next()
        return (Span(start.start, end.end),)


@attrs.frozen(slots=True, kw_only=True)
class MeterReadingDays:
    """The planned meter-reading days of each month (抄表例日), inclusive."""

    first_day: int = attrs.field(default=1, validator=attrs.validators.ge(1))
    last_day: int = attrs.field(default=20, validator=attrs.validators.le(28))
    confidence: Confidence = Confidence.M
    source: str = ""

    def __attrs_post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise ValueError("last_day must not be before first_day")


@attrs.frozen(slots=True, kw_only=True)
class CalendarConfig:
    """The windows of the calendar (see the module docs for the defaults)."""

    month_end_days: int = attrs.field(default=5, validator=attrs.validators.ge(1))
    report_due_days: int = attrs.field(default=5, validator=attrs.validators.ge(1))
    periodic_default: IntervalName = "month"
    periodic: Mapping[str, IntervalName] = attrs.field(factory=dict)
    meter_reading: MeterReadingDays = MeterReadingDays()
    seasons: tuple[Season, ...] = ()

    def __repr__(self) -> str:
        return _show.short_repr(self)


@attrs.frozen(slots=True, kw_only=True)
class Obligation:
    """Something a post or unit must do, from one clause.

    ``window`` is the half-open due window (None for triggers); ``covers`` the period
    the work is about (a month for a monthly report due early the next month);
    ``season`` the season's ID for seasonal work.
    """

    clause: str
    owner: str
    cadence: Cadence
    text: Text
    window: Period | None = None
    covers: Period | None = None
    season: str | None = None
    note: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)

    @property
    def is_trigger(self) -> bool:
        """True for on-event and ad hoc work, which has no date."""
        return self.window is None

    @property
    def uid(self) -> str:
        """A stable identifier (for calendar files)."""
        tail = self.season or (str(self.covers) if self.covers is not None else "trigger")
        return f"{self.clause}/{self.cadence}/{tail}"


@cache
def default_calendar_config() -> CalendarConfig:
    """The shipped defaults (``standards/data/calendar.toml``)."""
    data, name = package_toml("gdsmodel.standards", "data", "calendar.toml")
    return structure(data, CalendarConfig, file=name)


def load_calendar_config(path: str | Path) -> CalendarConfig:
    """A station's calendar file; keys it leaves out keep their defaults."""
    return structure(read_toml(path), CalendarConfig, file=str(path))


def _interval(name: str, moment: date, tz: str) -> Period:
    if name == "year":
        return Year(moment.year, tz=tz)
    if name == "quarter":
        return Quarter(moment.year, (moment.month - 1) // 3 + 1, tz=tz)
    return Month(moment.year, moment.month, tz=tz)


def _periods_of(kind: str, period: Period) -> Iterator[Period]:
    """Every calendar period of ``kind`` overlapping ``period`` or the time just before
    it (so that reports due early in ``period`` about the previous one are found)."""
    first = period.start.subtract(months=1).date()
    cur = _interval(kind, first, period.tz)
    while cur.start < period.end:
        yield cur
        cur = cur.next()


def _windows(
    clause: Clause, cadence: Cadence, period: Period, config: CalendarConfig
) -> Iterator[tuple[Period, Period | None, str | None]]:
    """(window, covers, season) for one cadence of one clause, near ``period``."""
    tz = period.tz
    reporting = clause.category is Category.REPORTING
    due = config.report_due_days

    def report_window(p: Period) -> Period:
        return Span(p.end, p.end.add(days=due)) if reporting else p

    if cadence in (Cadence.ANNUAL, Cadence.QUARTERLY, Cadence.MONTHLY, Cadence.PERIODIC):
        if cadence is Cadence.PERIODIC:
            kind: str = config.periodic.get(clause.id, config.periodic_default)
        else:
            kind = {Cadence.ANNUAL: "year", Cadence.QUARTERLY: "quarter"}.get(cadence, "month")
        for p in _periods_of(kind, period):
            yield report_window(p), p, None
    elif cadence is Cadence.MONTH_END:
        for m in _periods_of("month", period):
            assert isinstance(m, Month)
            yield Span(m.end.subtract(days=config.month_end_days), m.end), m, None
    elif cadence is Cadence.SEASONAL:
        for year in range(period.start.year - 1, period.end.year + 1):
            for season in config.seasons:
                for w in season.windows(year):
                    window = Span(w.start, w.end, tz=tz)
                    yield window, window, season.id


class ClauseBook(Protocol):
    """What the calendar reads of a standard: its clauses and its posts and units.

    :class:`~gdsmodel.standards.standard.Standard` is one; the calendar depends on this
    protocol, not on the standard, so that ``Standard.obligations`` can be typed with this
    module's :class:`Obligation` and :class:`CalendarConfig` without an import cycle.
    """

    def clauses(self, owner: str | None = None) -> Iterator[Clause]:
        """Every clause in source order, or those of one owner."""
        ...  # pragma: no cover

    def owner(self, owner_id: str) -> Post | Unit:
        """The post or unit with this ID (unknown: ``NotFoundError``)."""
        ...  # pragma: no cover


def obligations(
    std: ClauseBook,
    period: Period,
    *,
    owner: str | None = None,
    config: CalendarConfig | None = None,
    triggers: bool = True,
) -> tuple[Obligation, ...]:
    """The obligations whose due window overlaps ``period`` (and the triggers).

    ``owner`` limits the list to one post or unit; a post that heads a unit also gets
    the unit's obligations. Dated obligations come first, by window start, then clause
    order; triggers follow in clause order.
    """
    if not isinstance(period, Period):
        raise InputError(
            "must be a period", name="period", value=period, allowed="a gdsmodel.periods.Period"
        )
    config = config or default_calendar_config()
    owners: set[str] | None = None
    if owner is not None:
        found = std.owner(owner)
        owners = {found.id}
        if isinstance(found, Post) and found.heads is not None:
            owners.add(found.heads)
    order = {c.id: i for i, c in enumerate(std.clauses())}
    dated: list[Obligation] = []
    trig: list[Obligation] = []
    for clause in std.clauses():
        if owners is not None and clause.owner not in owners:
            continue
        seen: set[str] = set()
        reading_days = "meter_reading_day" in clause.terms
        for cadence in clause.cadences:
            if reading_days and cadence in (Cadence.PERIODIC, Cadence.MONTHLY):
                continue  # the meter-reading window below stands for them
            if cadence in (Cadence.ON_EVENT, Cadence.AD_HOC):
                if triggers and "trigger" not in seen:
                    seen.add("trigger")
                    trig.append(
                        Obligation(
                            clause=clause.id, owner=clause.owner, cadence=cadence, text=clause.text
                        )
                    )
                continue
            for window, covers, season in _windows(clause, cadence, period, config):
                ob = Obligation(
                    clause=clause.id,
                    owner=clause.owner,
                    cadence=cadence,
                    text=clause.text,
                    window=window,
                    covers=covers,
                    season=season,
                )
                if window.overlaps(period) and ob.uid not in seen:
                    seen.add(ob.uid)
                    dated.append(ob)
        if reading_days:
            mr = config.meter_reading
            for m in _periods_of("month", period):
                assert isinstance(m, Month)
                window = Span(m.day(mr.first_day).start, m.day(mr.last_day).end)
                ob = Obligation(
                    clause=clause.id,
                    owner=clause.owner,
                    cadence=Cadence.MONTHLY,
                    text=clause.text,
                    window=window,
                    covers=m,
                    season="meter_reading",
                    note="meter-reading days",
                )
                if window.overlaps(period) and ob.uid not in seen:
                    seen.add(ob.uid)
                    dated.append(ob)
    dated.sort(key=lambda o: (o.window.start if o.window else period.start, order[o.clause]))
    return tuple(dated + trig)


def to_ics(items: Iterable[Obligation], *, lang: str = "both", name: str = "gdsmodel") -> bytes:
    """An iCalendar file of the dated obligations (all-day events; triggers are left out).

    DTEND is exclusive in iCalendar, as the windows are. Needs the ``calendar`` extra
    (the ``icalendar`` package).
    """
    try:
        import icalendar
    except ImportError as exc:  # pragma: no cover - depends on the environment
        from gdsmodel.errors import GdsmodelError

        raise GdsmodelError("iCalendar export needs: pip install 'gdsmodel[calendar]'") from exc
    cal = icalendar.Calendar()
    cal.add("prodid", "-//gdsmodel//obligations calendar//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for ob in items:
        if ob.window is None:
            continue
        ev = icalendar.Event()
        ev.add("uid", ob.uid + "@gdsmodel")
        text = ob.text.get("zh" if lang == "zh" else "en" if lang == "en" else "both")
        ev.add("summary", f"[{ob.owner}] {ob.clause}: {_short(text)}")
        ev.add("description", f"{ob.clause} ({ob.cadence})\n{ob.text.zh}\n{ob.text.en}")
        ev.add("dtstart", ob.window.start.date())
        ev.add("dtend", ob.window.end.date())
        ev.add("categories", [str(ob.cadence)])
        ev.add("dtstamp", _stamp())
        cal.add_component(ev)
    data: bytes = cal.to_ical()
    return data


def _stamp() -> Any:
    # A fixed DTSTAMP keeps exported files reproducible (the standard does not change).
    import datetime as dt

    return dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
