"""The period classes: Year, Quarter, Month, Dekad, Day and Span (internal module).

Import them from :mod:`gdsmodel.periods`.
"""

from __future__ import annotations

import abc
import functools
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, tzinfo
from fractions import Fraction
from typing import Any, ClassVar, Final, Self, TypeVar

import attrs
import pendulum

from gdsmodel import _show
from gdsmodel.errors import InputError, ParseError
from gdsmodel.periods import parser
from gdsmodel.periods._time import (
    _EN_DEKAD,
    _EN_MONTHS,
    _RANK,
    _US,
    _US_PER_DAY,
    _US_PER_HOUR,
    _US_PER_SECOND,
    _UTC,
    _YEARS_ALLOWED,
    _ZH_DEKAD,
    _ZH_QUARTER,
    DEFAULT_TZ,
    MAX_YEAR,
    MIN_YEAR,
    PeriodKind,
    _check_int,
    _day_start,
    _day_start_in,
    _exact,
    _instant,
    _kind,
    _local,
    _month_end,
    _zone,
    _zone_cached,
)
from gdsmodel.text import Lang, Text

_KNOWN_ZONES: Final[set[str]] = set()
_MONTH_DAYS: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in_month(y: int, m: int) -> int:
    if m == 2 and y % 4 == 0 and (y % 100 != 0 or y % 400 == 0):
        return 29
    return _MONTH_DAYS[m - 1]


__all__ = ["CalendarPeriod", "Day", "Dekad", "Month", "Period", "Quarter", "Span", "Year"]


@attrs.frozen(slots=True, repr=False)
class Period(abc.ABC):
    """A half-open interval of time ``[start, end)`` in a time zone: the common base.

    The concrete kinds are :class:`Year`, :class:`Quarter`, :class:`Month`,
    :class:`Dekad` (旬), :class:`Day` and :class:`Span`. Equality and hashing take the
    kind, the fields and the time zone into account (a ``Span`` covering March is not
    equal to ``Month(2026, 3)``); ordering is by start, then end, then kind
    (year < quarter < month < dekad < day < span), then zone name, so it is a total order
    consistent with equality and with start times.

    >>> sorted([Month(2026, 3), Year(2026), Day(2026, 1, 1), Quarter(2026, 1)])
    [Day(2026, 1, 1), Quarter(2026, 1), Year(2026), Month(2026, 3)]
    >>> Month(2026, 3) == Month(2026, 3, tz="UTC")
    False
    """

    kind: ClassVar[PeriodKind]

    tz: str = attrs.field(default=DEFAULT_TZ, kw_only=True)
    """The IANA time zone name the period's calendar dates are read in."""
    _s: datetime = attrs.field(init=False)  # start as a naive UTC instant
    _e: datetime = attrs.field(init=False)  # end as a naive UTC instant

    # ----------------------------------------------------------------- bounds and lengths

    def _repr_html_(self) -> str:
        return _show.period_html(self)

    @property
    def _zone(self) -> tzinfo:
        return _zone_cached(self.tz)

    @property
    def start(self) -> pendulum.DateTime:
        """The first instant of the period (inclusive), in the period's zone.

        >>> Month(2026, 3).start
        DateTime(2026, 3, 1, 0, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
        """
        return pendulum.DateTime.instance(_local(self._s, self._zone))

    @property
    def end(self) -> pendulum.DateTime:
        """The first instant after the period (exclusive), in the period's zone.

        >>> Month(2026, 3).end
        DateTime(2026, 4, 1, 0, 0, 0, tzinfo=Timezone('Asia/Shanghai'))
        """
        return pendulum.DateTime.instance(_local(self._e, self._zone))

    @property
    def _us(self) -> int:
        return (self._e - self._s) // _US

    @property
    def seconds(self) -> int | Fraction:
        """The exact elapsed length in seconds: an ``int`` when whole, else a ``Fraction``.

        >>> Day(2026, 3, 15).seconds
        86400
        """
        return _exact(self._us, _US_PER_SECOND)

    @property
    def hours(self) -> int | Fraction:
        """The exact elapsed length in hours: an ``int`` when whole, else a ``Fraction``.

        Computed from the real elapsed time between start and end, so a 23-hour day of a
        zone with daylight saving time has 23 hours.

        >>> Month(2026, 2).hours, Year(2024).hours
        (672, 8784)
        >>> Day(2026, 3, 8, tz="America/New_York").hours
        23
        """
        return _exact(self._us, _US_PER_HOUR)

    @property
    @abc.abstractmethod
    def days(self) -> int | Fraction:
        """The length in days (calendar periods: the number of calendar days, an ``int``).

        >>> Quarter(2026, 1).days
        90
        """
        ...

    # ----------------------------------------------------------------- membership

    def contains(self, moment: datetime | date) -> bool:
        """Whether ``start <= moment < end``.

        ``moment`` is an aware datetime (any zone), a naive datetime (wall-clock time in the
        period's zone) or a date (that day's start in the period's zone).

        >>> from datetime import date, datetime
        >>> m = Month(2026, 3)
        >>> m.contains(date(2026, 3, 31)), m.contains(date(2026, 4, 1))
        (True, False)
        >>> m.contains(datetime(2026, 3, 31, 23, 59))  # naive: wall-clock time in Asia/Shanghai
        True
        >>> m.contains(pendulum.datetime(2026, 3, 31, 16))  # 16:00 UTC is 00:00 on 1 April here
        False
        """
        u = _instant(moment, self._zone)
        return self._s <= u < self._e

    def __contains__(self, moment: object) -> bool:
        u = _instant(moment, self._zone)
        return self._s <= u < self._e

    def encloses(self, other: Period) -> bool:
        """Whether ``other`` lies wholly inside this period.

        >>> Quarter(2026, 1).encloses(Month(2026, 3)), Quarter(2026, 1).encloses(Month(2026, 4))
        (True, False)
        """
        return self._s <= other._s and other._e <= self._e

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one instant.

        >>> Month(2026, 3).overlaps(Quarter(2026, 1)), Month(2026, 3).overlaps(Month(2026, 4))
        (True, False)
        """
        return self._s < other._e and other._s < self._e

    # ----------------------------------------------------------------- neighbours

    @abc.abstractmethod
    def next(self) -> Self:
        """The period of the same kind right after this one.

        >>> Month(2026, 12).next(), Dekad(2026, 3, 3).next()
        (Month(2027, 1), Dekad(2026, 4, 1))
        """
        ...

    @abc.abstractmethod
    def previous(self) -> Self:
        """The period of the same kind right before this one.

        >>> Quarter(2026, 1).previous(), Day(2026, 3, 1).previous()
        (Quarter(2025, 4), Day(2026, 2, 28))
        """
        ...

    # ----------------------------------------------------------------- sub-periods

    def _first_date(self) -> date:
        return _local(self._s, self._zone).date()

    def _cover(self, cls: type[_C]) -> Iterator[_C]:
        unit = cls._of_date(self._first_date(), self.tz)
        while True:
            yield unit
            if unit._e >= self._e:
                return
            unit = unit.next()

    def years(self) -> tuple[Year, ...]:
        """The years that overlap the period, in order.

        >>> Period.parse("2025-12-01/2026-01-02").years()
        (Year(2025), Year(2026))
        """
        return tuple(self._cover(Year))

    def quarters(self) -> tuple[Quarter, ...]:
        """The quarters that overlap the period, in order (a year's four quarters).

        >>> Year(2026).quarters()
        (Quarter(2026, 1), Quarter(2026, 2), Quarter(2026, 3), Quarter(2026, 4))
        """
        return tuple(self._cover(Quarter))

    def months(self) -> tuple[Month, ...]:
        """The months that overlap the period, in order (a quarter's three months).

        >>> Quarter(2026, 2).months()
        (Month(2026, 4), Month(2026, 5), Month(2026, 6))
        """
        return tuple(self._cover(Month))

    def dekads(self) -> tuple[Dekad, ...]:
        """The 旬 (dekads) that overlap the period, in order (a month's three).

        >>> Month(2026, 2).dekads()
        (Dekad(2026, 2, 1), Dekad(2026, 2, 2), Dekad(2026, 2, 3))
        """
        return tuple(self._cover(Dekad))

    def iter_days(self) -> Iterator[Day]:
        """The days that overlap the period, in order, lazily.

        >>> [str(d) for d in Dekad(2026, 2, 3).iter_days()][-2:]
        ['2026-02-27', '2026-02-28']
        """
        return self._cover(Day)

    def days_(self) -> tuple[Day, ...]:
        """The days that overlap the period, as a tuple (see :meth:`iter_days`).

        >>> len(Year(2024).days_())
        366
        """
        return tuple(self._cover(Day))

    def split(self, by: PeriodKind | str) -> tuple[Period, ...]:
        """Cut the period at the boundaries of ``by`` (year, quarter, month, dekad or day).

        The pieces tile the period exactly. A piece that is a whole unit is that unit
        (``Month``...), a piece that is the whole period is the period itself, and any
        other piece (at an unaligned edge) is a :class:`Span`.

        >>> Quarter(2026, 1).split("month")
        (Month(2026, 1), Month(2026, 2), Month(2026, 3))
        >>> [str(p) for p in Period.parse("2026-03-25/2026-04-05").split("month")]
        ['2026-03-25/2026-04-01', '2026-04-01/2026-04-05']
        >>> Day(2026, 3, 15).split("month")
        (Day(2026, 3, 15),)
        """
        cls = _CLASSES[_kind(by)]
        pieces: list[Period] = []
        for unit in self._cover(cls):
            s, e = max(unit._s, self._s), min(unit._e, self._e)
            if (s, e) == (unit._s, unit._e):
                pieces.append(unit)
            elif (s, e) == (self._s, self._e):
                pieces.append(self)
            else:
                pieces.append(Span(s.replace(tzinfo=_UTC), e.replace(tzinfo=_UTC), tz=self.tz))
        return tuple(pieces)

    # ----------------------------------------------------------------- enclosing periods

    def enclosing(self, kind: PeriodKind | str) -> CalendarPeriod:
        """The calendar period of ``kind`` that contains this whole period.

        Raises :class:`~gdsmodel.errors.InputError` when no single one does (a span across
        two months has no enclosing month).

        >>> Day(2026, 3, 15).enclosing("dekad")
        Dekad(2026, 3, 2)
        >>> Period.parse("2026-03-25/2026-04-05").enclosing("year")
        Year(2026)
        >>> Period.parse("2026-03-25/2026-04-05").quarter  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        gdsmodel.errors.InputError: period='2026-03-25/2026-04-05': is not inside ...
        """
        k = _kind(kind)
        unit = _CLASSES[k]._of_date(self._first_date(), self.tz)
        if not unit.encloses(self):
            raise InputError(
                f"is not inside a single {k.value}",
                name="period",
                value=str(self),
                allowed=f"a period inside one {k.value}",
            )
        return unit

    @property
    def year(self) -> Year:
        """The year the period lies in (see :meth:`enclosing`).

        >>> Dekad(2026, 3, 1).year
        Year(2026)
        """
        unit = self.enclosing(PeriodKind.YEAR)
        assert isinstance(unit, Year)
        return unit

    @property
    def quarter(self) -> Quarter:
        """The quarter the period lies in (see :meth:`enclosing`).

        >>> Month(2026, 8).quarter
        Quarter(2026, 3)
        """
        unit = self.enclosing(PeriodKind.QUARTER)
        assert isinstance(unit, Quarter)
        return unit

    @property
    def month(self) -> Month:
        """The month the period lies in (see :meth:`enclosing`).

        >>> Day(2026, 3, 15).month
        Month(2026, 3)
        """
        unit = self.enclosing(PeriodKind.MONTH)
        assert isinstance(unit, Month)
        return unit

    # ----------------------------------------------------------------- ordering

    def _key(self) -> tuple[datetime, datetime, int, str]:
        return (self._s, self._e, _RANK[self.kind], self.tz)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._key() < other._key()

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._key() <= other._key()

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._key() > other._key()

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._key() >= other._key()

    # ----------------------------------------------------------------- text

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Pretty printers (IPython, hypothesis) show :func:`repr`."""
        printer.text(repr(self))

    @abc.abstractmethod
    def _canonical(self) -> str: ...

    @abc.abstractmethod
    def _zh(self) -> str: ...

    @abc.abstractmethod
    def _en(self) -> str: ...

    def __str__(self) -> str:
        """The canonical ASCII form; a zone other than the default is appended in brackets.

        >>> str(Dekad(2026, 3, 1)), str(Month(2026, 3, tz="Europe/Berlin"))
        ('2026-03-D1', '2026-03[Europe/Berlin]')
        """
        suffix = "" if self.tz == DEFAULT_TZ else f"[{self.tz}]"
        return self._canonical() + suffix

    def format(self, lang: Lang = "zh") -> str:
        """The period for people: ``"zh"``, ``"en"`` or ``"both"`` (``"zh / en"``).

        The zone is not shown (parse the text back with the period's ``tz``).

        >>> q = Quarter(2026, 1)
        >>> q.format("zh"), q.format("en"), q.format("both")
        ('2026年第一季度', '2026 Q1', '2026年第一季度 / 2026 Q1')
        """
        if lang == "zh":
            return self._zh()
        if lang == "en":
            return self._en()
        if lang == "both":
            return f"{self._zh()} / {self._en()}"
        raise InputError("is not a language", name="lang", value=lang, allowed="zh, en, both")

    @property
    def label(self) -> Text:
        """The human forms as bilingual :class:`~gdsmodel.text.Text`.

        >>> Month(2026, 3).label
        Text(zh='2026年3月', en='March 2026')
        """
        return Text(zh=self._zh(), en=self._en())

    @classmethod
    def parse(cls, text: str, tz: str = DEFAULT_TZ) -> Self:
        """Read a period from any accepted text form (see ``docs/periods.md``).

        ``tz`` is the zone of the result unless the text ends with ``[Area/City]``. Called on
        a concrete class (``Month.parse``) the text must name a period of that kind. Bad
        text raises :class:`~gdsmodel.errors.ParseError` listing the accepted forms.

        >>> Period.parse("2026-03-D1"), Period.parse("2026年3月上旬"), Month.parse("March 2026")
        (Dekad(2026, 3, 1), Dekad(2026, 3, 1), Month(2026, 3))
        >>> Period.parse("2026-13")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        gdsmodel.errors.ParseError: cannot parse '2026-13' as a period (month=13: ...
        """
        what = "period" if cls.kind_or_none() is None else cls.kind.value
        accepted = _accepted(cls)
        parsed = parser.read(text, tz, what=what, accepted=accepted)
        try:
            period = _build(parsed)
        except InputError as exc:
            raise ParseError(text, what=what, reason=str(exc), accepted=accepted) from None
        if not isinstance(period, cls):
            raise ParseError(
                text, what=what, reason=f"it names a {period.kind.value}", accepted=accepted
            )
        return period

    @classmethod
    def kind_or_none(cls) -> PeriodKind | None:
        """The kind of a concrete class, ``None`` for the abstract bases.

        >>> Month.kind_or_none(), Period.kind_or_none()
        (<PeriodKind.MONTH: 'month'>, None)
        """
        return cls.__dict__.get("kind")

    @staticmethod
    def containing(
        moment: datetime | date, kind: PeriodKind | str = "month", tz: str = DEFAULT_TZ
    ) -> CalendarPeriod:
        """The calendar period of ``kind`` (in zone ``tz``) that contains ``moment``.

        >>> from datetime import date
        >>> Period.containing(date(2026, 3, 15)), Period.containing(date(2026, 3, 15), "dekad")
        (Month(2026, 3), Dekad(2026, 3, 2))
        >>> Period.containing(pendulum.datetime(2026, 3, 31, 16), "day")  # 00:00 on 1 April here
        Day(2026, 4, 1)
        """
        return _CLASSES[_kind(kind)].of(moment, tz=tz)


_C = TypeVar("_C", bound="CalendarPeriod")


@attrs.frozen(slots=True, repr=False)
class CalendarPeriod(Period):
    """Base of the calendar periods (year, quarter, month, dekad, day): whole local days.

    >>> isinstance(Month(2026, 3), CalendarPeriod)
    True
    >>> isinstance(Span.parse("2026-03-01/2026-03-02"), CalendarPeriod)
    False
    """

    def __attrs_post_init__(self) -> None:
        tz = self.tz
        if tz not in _KNOWN_ZONES:
            _zone(tz)  # a bad name is an InputError
            _KNOWN_ZONES.add(tz)
        self._validate()
        first, stop = self._dates()
        object.__setattr__(self, "_s", _day_start_in(first, tz))
        object.__setattr__(self, "_e", _day_start_in(stop, tz))

    @abc.abstractmethod
    def _validate(self) -> None: ...

    @abc.abstractmethod
    def _dates(self) -> tuple[date, date]:
        """The first local date and the first local date after the period."""
        ...

    def _first_date(self) -> date:
        return self._dates()[0]

    @classmethod
    @abc.abstractmethod
    def _of_date(cls, d: date, tz: str) -> Self: ...

    @classmethod
    def of(cls, moment: datetime | date, tz: str = DEFAULT_TZ) -> Self:
        """The period of this kind that contains ``moment`` (see :meth:`Period.contains`).

        >>> from datetime import date
        >>> Month.of(date(2026, 3, 15)), Quarter.of(date(2026, 3, 15)), Dekad.of(date(2026, 3, 31))
        (Month(2026, 3), Quarter(2026, 1), Dekad(2026, 3, 3))
        """
        zone = _zone(tz)
        u = _instant(moment, zone)
        return cls._of_date(_local(u, zone).date(), tz)

    @property
    def days(self) -> int:
        """The number of calendar days in the period.

        >>> Month(2024, 2).days, Dekad(2026, 1, 3).days
        (29, 11)
        """
        first, stop = self._dates()
        return (stop - first).days

    @property
    def first_date(self) -> pendulum.Date:
        """The first calendar day of the period.

        >>> Dekad(2026, 3, 2).first_date
        Date(2026, 3, 11)
        """
        d = self._dates()[0]
        return pendulum.Date(d.year, d.month, d.day)

    @property
    def last_date(self) -> pendulum.Date:
        """The last calendar day of the period (inclusive).

        >>> Month(2026, 2).last_date
        Date(2026, 2, 28)
        """
        d = self._dates()[1] - timedelta(days=1)
        return pendulum.Date(d.year, d.month, d.day)

    @property
    @abc.abstractmethod
    def number(self) -> int:
        """The period's number within its parent: the year itself, quarter 1-4, month
        1-12, 旬 1-3 or day of the month.

        >>> Year(2026).number, Quarter(2026, 4).number, Dekad(2026, 3, 2).number
        (2026, 4, 2)
        """
        ...

    def _tz_repr(self) -> str:
        return "" if self.tz == DEFAULT_TZ else f", tz={self.tz!r}"


@attrs.frozen(slots=True, repr=False)
class Year(CalendarPeriod):
    """A calendar year.

    >>> y = Year(2024)
    >>> y.days, y.hours, str(y), y.format("zh"), y.next()
    (366, 8784, '2024', '2024年', Year(2025))
    """

    kind: ClassVar[PeriodKind] = PeriodKind.YEAR
    _y: int = attrs.field(alias="year")

    def _validate(self) -> None:
        _check_int("year", self._y, MIN_YEAR, MAX_YEAR)

    def _dates(self) -> tuple[date, date]:
        return date(self._y, 1, 1), date(self._y + 1, 1, 1)

    @classmethod
    def _of_date(cls, d: date, tz: str) -> Self:
        return cls(d.year, tz=tz)

    @property
    def number(self) -> int:
        """The year, e.g. 2026.

        >>> Year(2026).number
        2026
        """
        return self._y

    def next(self) -> Self:
        """The following year.

        >>> Year(2026).next()
        Year(2027)
        """
        return type(self)(self._y + 1, tz=self.tz)

    def previous(self) -> Self:
        """The preceding year.

        >>> Year(2026).previous()
        Year(2025)
        """
        return type(self)(self._y - 1, tz=self.tz)

    def _canonical(self) -> str:
        return f"{self._y:04d}"

    def _zh(self) -> str:
        return f"{self._y}年"

    def _en(self) -> str:
        return f"{self._y}"

    def __repr__(self) -> str:
        return f"Year({self._y}{self._tz_repr()})"


@attrs.frozen(slots=True, repr=False)
class Quarter(CalendarPeriod):
    """A calendar quarter (季度): 1 = January-March ... 4 = October-December.

    >>> q = Quarter(2026, 1)
    >>> q.days, q.hours, str(q), q.format("zh"), q.format("en")
    (90, 2160, '2026-Q1', '2026年第一季度', '2026 Q1')
    """

    kind: ClassVar[PeriodKind] = PeriodKind.QUARTER
    _y: int = attrs.field(alias="year")
    _q: int = attrs.field(alias="quarter")

    def _validate(self) -> None:
        _check_int("year", self._y, MIN_YEAR, MAX_YEAR)
        _check_int("quarter", self._q, 1, 4)

    def _dates(self) -> tuple[date, date]:
        return date(self._y, 3 * self._q - 2, 1), _month_end(self._y, 3 * self._q)

    @classmethod
    def _of_date(cls, d: date, tz: str) -> Self:
        return cls(d.year, (d.month - 1) // 3 + 1, tz=tz)

    @property
    def number(self) -> int:
        """The quarter number 1-4.

        >>> Quarter(2026, 3).number
        3
        """
        return self._q

    def _step(self, n: int) -> Self:
        i = self._y * 4 + self._q - 1 + n
        return type(self)(i // 4, i % 4 + 1, tz=self.tz)

    def next(self) -> Self:
        """The following quarter.

        >>> Quarter(2026, 4).next()
        Quarter(2027, 1)
        """
        return self._step(1)

    def previous(self) -> Self:
        """The preceding quarter.

        >>> Quarter(2026, 1).previous()
        Quarter(2025, 4)
        """
        return self._step(-1)

    def _canonical(self) -> str:
        return f"{self._y:04d}-Q{self._q}"

    def _zh(self) -> str:
        return f"{self._y}年第{_ZH_QUARTER[self._q - 1]}季度"

    def _en(self) -> str:
        return f"{self._y} Q{self._q}"

    def __repr__(self) -> str:
        return f"Quarter({self._y}, {self._q}{self._tz_repr()})"


@attrs.frozen(slots=True, repr=False)
class Month(CalendarPeriod):
    """A calendar month.

    >>> m = Month(2026, 2)
    >>> m.days, m.hours, str(m), m.format("zh"), m.format("en")
    (28, 672, '2026-02', '2026年2月', 'February 2026')
    """

    kind: ClassVar[PeriodKind] = PeriodKind.MONTH
    _y: int = attrs.field(alias="year")
    _m: int = attrs.field(alias="month")

    def _validate(self) -> None:
        _check_int("year", self._y, MIN_YEAR, MAX_YEAR)
        _check_int("month", self._m, 1, 12)

    def _dates(self) -> tuple[date, date]:
        return date(self._y, self._m, 1), _month_end(self._y, self._m)

    @classmethod
    def _of_date(cls, d: date, tz: str) -> Self:
        return cls(d.year, d.month, tz=tz)

    @property
    def number(self) -> int:
        """The month number 1-12.

        >>> Month(2026, 3).number
        3
        """
        return self._m

    def dekad(self, n: int) -> Dekad:
        """The month's 旬 ``n``: 1 = 上旬 (days 1-10), 2 = 中旬 (11-20), 3 = 下旬 (21-end).

        >>> Month(2026, 3).dekad(3).days
        11
        """
        return Dekad(self._y, self._m, n, tz=self.tz)

    def day(self, n: int) -> Day:
        """The month's day ``n``.

        >>> Month(2026, 3).day(15)
        Day(2026, 3, 15)
        """
        return Day(self._y, self._m, n, tz=self.tz)

    def _step(self, n: int) -> Self:
        i = self._y * 12 + self._m - 1 + n
        return type(self)(i // 12, i % 12 + 1, tz=self.tz)

    def next(self) -> Self:
        """The following month.

        >>> Month(2026, 12).next()
        Month(2027, 1)
        """
        return self._step(1)

    def previous(self) -> Self:
        """The preceding month.

        >>> Month(2026, 1).previous()
        Month(2025, 12)
        """
        return self._step(-1)

    def _canonical(self) -> str:
        return f"{self._y:04d}-{self._m:02d}"

    def _zh(self) -> str:
        return f"{self._y}年{self._m}月"

    def _en(self) -> str:
        return f"{_EN_MONTHS[self._m - 1]} {self._y}"

    def __repr__(self) -> str:
        return f"Month({self._y}, {self._m}{self._tz_repr()})"


@attrs.frozen(slots=True, repr=False)
class Dekad(CalendarPeriod):
    """A 旬: a third of a month. 1 = 上旬 (days 1-10), 2 = 中旬 (days 11-20),
    3 = 下旬 (day 21 to the month's end, 8 to 11 days).

    >>> d = Dekad(2026, 3, 3)
    >>> d.days, str(d), d.format("zh"), d.format("en")
    (11, '2026-03-D3', '2026年3月下旬', 'late March 2026 (days 21-31)')
    """

    kind: ClassVar[PeriodKind] = PeriodKind.DEKAD
    _y: int = attrs.field(alias="year")
    _m: int = attrs.field(alias="month")
    _n: int = attrs.field(alias="dekad")

    def _validate(self) -> None:
        _check_int("year", self._y, MIN_YEAR, MAX_YEAR)
        _check_int("month", self._m, 1, 12)
        _check_int("dekad", self._n, 1, 3)

    def _dates(self) -> tuple[date, date]:
        first = date(self._y, self._m, 10 * self._n - 9)
        stop = (
            _month_end(self._y, self._m)
            if self._n == 3
            else date(self._y, self._m, 10 * self._n + 1)
        )
        return first, stop

    @classmethod
    def _of_date(cls, d: date, tz: str) -> Self:
        return cls(d.year, d.month, min(3, (d.day - 1) // 10 + 1), tz=tz)

    @property
    def number(self) -> int:
        """The 旬 number: 1 = 上旬, 2 = 中旬, 3 = 下旬.

        >>> Dekad(2026, 3, 2).number
        2
        """
        return self._n

    def _step(self, n: int) -> Self:
        i = self._y * 36 + (self._m - 1) * 3 + self._n - 1 + n
        return type(self)(i // 36, i % 36 // 3 + 1, i % 3 + 1, tz=self.tz)

    def next(self) -> Self:
        """The following 旬.

        >>> Dekad(2026, 12, 3).next()
        Dekad(2027, 1, 1)
        """
        return self._step(1)

    def previous(self) -> Self:
        """The preceding 旬.

        >>> Dekad(2026, 3, 1).previous()
        Dekad(2026, 2, 3)
        """
        return self._step(-1)

    def _canonical(self) -> str:
        return f"{self._y:04d}-{self._m:02d}-D{self._n}"

    def _zh(self) -> str:
        return f"{self._y}年{self._m}月{_ZH_DEKAD[self._n - 1]}"

    def _en(self) -> str:
        first, stop = self._dates()
        last = (stop - timedelta(days=1)).day
        part = _EN_DEKAD[self._n - 1]
        return f"{part} {_EN_MONTHS[self._m - 1]} {self._y} (days {first.day}-{last})"

    def __repr__(self) -> str:
        return f"Dekad({self._y}, {self._m}, {self._n}{self._tz_repr()})"


@attrs.frozen(slots=True, repr=False)
class Day(CalendarPeriod):
    """A calendar day, from its local midnight to the next.

    >>> d = Day(2026, 3, 15)
    >>> d.hours, str(d), d.format("zh"), d.format("en"), d.date
    (24, '2026-03-15', '2026年3月15日', '15 March 2026', Date(2026, 3, 15))
    """

    kind: ClassVar[PeriodKind] = PeriodKind.DAY
    _y: int = attrs.field(alias="year")
    _m: int = attrs.field(alias="month")
    _d: int = attrs.field(alias="day")

    def _validate(self) -> None:
        _check_int("year", self._y, MIN_YEAR, MAX_YEAR)
        _check_int("month", self._m, 1, 12)
        last = _days_in_month(self._y, self._m)
        if isinstance(self._d, int) and not isinstance(self._d, bool) and 1 <= self._d <= last:
            return
        _check_int("day", self._d, 1, 31)
        raise InputError(
            f"is not a day of {self._y:04d}-{self._m:02d}",
            name="day",
            value=self._d,
            allowed=f"1-{last}",
        )

    def _dates(self) -> tuple[date, date]:
        d = date(self._y, self._m, self._d)
        return d, d + timedelta(days=1)

    @classmethod
    def _of_date(cls, d: date, tz: str) -> Self:
        return cls(d.year, d.month, d.day, tz=tz)

    @property
    def number(self) -> int:
        """The day of the month.

        >>> Day(2026, 3, 15).number
        15
        """
        return self._d

    @property
    def date(self) -> pendulum.Date:
        """The calendar date.

        >>> Day(2026, 3, 15).date
        Date(2026, 3, 15)
        """
        return pendulum.Date(self._y, self._m, self._d)

    def _step(self, n: int) -> Self:
        try:
            d = date(self._y, self._m, self._d) + timedelta(days=n)
        except OverflowError:
            raise InputError(
                "is out of the supported range", name="day", value=str(self), allowed=_YEARS_ALLOWED
            ) from None
        return type(self)(d.year, d.month, d.day, tz=self.tz)

    def next(self) -> Self:
        """The following day.

        >>> Day(2026, 2, 28).next()
        Day(2026, 3, 1)
        """
        return self._step(1)

    def previous(self) -> Self:
        """The preceding day.

        >>> Day(2024, 3, 1).previous()
        Day(2024, 2, 29)
        """
        return self._step(-1)

    def _canonical(self) -> str:
        return f"{self._y:04d}-{self._m:02d}-{self._d:02d}"

    def _zh(self) -> str:
        return f"{self._y}年{self._m}月{self._d}日"

    def _en(self) -> str:
        return f"{self._d} {_EN_MONTHS[self._m - 1]} {self._y}"

    def __repr__(self) -> str:
        return f"Day({self._y}, {self._m}, {self._d}{self._tz_repr()})"


@attrs.frozen(slots=True, init=False, repr=False)
class Span(Period):
    """An arbitrary half-open interval ``[start, end)``; ``end`` is exclusive.

    ``start`` and ``end`` are each a date (that day's start in ``tz``), an aware datetime
    (any zone; it is shown in ``tz``) or a naive datetime (wall-clock time in ``tz``). The
    span must not be empty (``start < end``) and must lie in the supported years.

    ``days`` is an ``int`` (the number of calendar days) when both ends fall on a day's
    start in ``tz``, otherwise the elapsed time divided by 24 hours (``int`` when whole,
    else ``Fraction``).

    >>> from datetime import date
    >>> s = Span(date(2026, 3, 1), date(2026, 3, 15))
    >>> s, str(s), s.days, s.hours
    (Span(Date(2026, 3, 1), Date(2026, 3, 15)), '2026-03-01/2026-03-15', 14, 336)
    >>> s.format("zh"), s.format("en")
    ('2026年3月1日至2026年3月14日', '1 March 2026 to 14 March 2026 (inclusive)')
    >>> t = Span(pendulum.datetime(2026, 3, 1, 8, tz=DEFAULT_TZ),
    ...          pendulum.datetime(2026, 3, 1, 20, 30, tz=DEFAULT_TZ))
    >>> str(t), t.days, t.hours
    ('2026-03-01T08:00:00+08:00/2026-03-01T20:30:00+08:00', Fraction(25, 48), Fraction(25, 2))
    """

    kind: ClassVar[PeriodKind] = PeriodKind.SPAN

    def __init__(
        self, start: date | datetime, end: date | datetime, *, tz: str = DEFAULT_TZ
    ) -> None:
        zone = _zone(tz)
        s = _instant(start, zone, name="start")
        e = _instant(end, zone, name="end")
        if not s < e:
            raise InputError(
                "must be after start (a span is half-open and not empty)",
                name="end",
                value=str(end),
                allowed=f"a moment after start={str(start)!r}",
            )
        lo = _day_start(date(MIN_YEAR, 1, 1), zone)
        hi = _day_start(date(MAX_YEAR + 1, 1, 1), zone)
        if s < lo or e > hi:
            raise InputError(
                "is out of the supported range",
                name="start" if s < lo else "end",
                value=start if s < lo else end,
                allowed=_YEARS_ALLOWED,
            )
        object.__setattr__(self, "tz", tz)
        object.__setattr__(self, "_s", s)
        object.__setattr__(self, "_e", e)

    def _aligned(self) -> tuple[date, date] | None:
        """The local start and end dates when both ends fall on a day's start."""
        zone = self._zone
        d0, d1 = _local(self._s, zone).date(), _local(self._e, zone).date()
        if _day_start(d0, zone) == self._s and _day_start(d1, zone) == self._e:
            return d0, d1
        return None

    @property
    def days(self) -> int | Fraction:
        """Calendar days when both ends are day starts, else elapsed time / 24 h.

        >>> Span.parse("2026-03-01/2026-04-01").days, Span.parse("2026-03-01/2026-03-01T12:00").days
        (31, Fraction(1, 2))
        """
        aligned = self._aligned()
        if aligned is not None:
            return (aligned[1] - aligned[0]).days
        return _exact(self._us, _US_PER_DAY)

    def _make(self, s: date | datetime, e: date | datetime) -> Self:
        return type(self)(s, e, tz=self.tz)

    def _shift(self, sign: int) -> Self:
        aligned = self._aligned()
        try:
            if aligned is not None:
                n = aligned[1] - aligned[0]
                if sign > 0:
                    return self._make(aligned[1], aligned[1] + n)
                return self._make(aligned[0] - n, aligned[0])
            length = self._e - self._s
            if sign > 0:
                return self._make(
                    self._e.replace(tzinfo=_UTC), (self._e + length).replace(tzinfo=_UTC)
                )
            return self._make((self._s - length).replace(tzinfo=_UTC), self._s.replace(tzinfo=_UTC))
        except OverflowError:
            raise InputError(
                "is out of the supported range",
                name="span",
                value=str(self),
                allowed=_YEARS_ALLOWED,
            ) from None

    def next(self) -> Self:
        """The adjacent span after this one, of the same length (same number of calendar
        days when the span is whole days, else the same elapsed time).

        >>> str(Span.parse("2026-03-01/2026-03-15").next())
        '2026-03-15/2026-03-29'
        """
        return self._shift(1)

    def previous(self) -> Self:
        """The adjacent span before this one, of the same length (see :meth:`next`).

        >>> str(Span.parse("2026-03-01/2026-03-15").previous())
        '2026-02-15/2026-03-01'
        """
        return self._shift(-1)

    def _canonical(self) -> str:
        aligned = self._aligned()
        if aligned is not None:
            return f"{aligned[0].isoformat()}/{aligned[1].isoformat()}"
        zone = self._zone
        return f"{_local(self._s, zone).isoformat()}/{_local(self._e, zone).isoformat()}"

    def _human(self, day: Callable[[date], str], joiner: str, tail: str) -> str:
        aligned = self._aligned()
        if aligned is None:
            return self._canonical()
        last = aligned[1] - timedelta(days=1)
        return f"{day(aligned[0])}{joiner}{day(last)}{tail}"

    def _zh(self) -> str:
        return self._human(lambda d: f"{d.year}年{d.month}月{d.day}日", "至", "")

    def _en(self) -> str:
        return self._human(
            lambda d: f"{d.day} {_EN_MONTHS[d.month - 1]} {d.year}", " to ", " (inclusive)"
        )

    def __repr__(self) -> str:
        aligned = self._aligned()
        if aligned is not None:
            a, b = (pendulum.Date(d.year, d.month, d.day) for d in aligned)
            inner = f"{a!r}, {b!r}"
        else:
            inner = f"{self.start!r}, {self.end!r}"
        tz = "" if self.tz == DEFAULT_TZ else f", tz={self.tz!r}"
        return f"Span({inner}{tz})"


_CLASSES: Final[dict[PeriodKind, type[CalendarPeriod]]] = {
    PeriodKind.YEAR: Year,
    PeriodKind.QUARTER: Quarter,
    PeriodKind.MONTH: Month,
    PeriodKind.DEKAD: Dekad,
    PeriodKind.DAY: Day,
}


@functools.cache
def _accepted(cls: type[Period]) -> tuple[str, ...]:
    kind = cls.kind_or_none()
    if kind is not None:
        return parser.accepted_forms([kind])
    if cls is CalendarPeriod:
        return parser.accepted_forms(k for k in PeriodKind if k is not PeriodKind.SPAN)
    return parser.accepted_forms(PeriodKind)


def _build(parsed: parser.Parsed) -> Period:
    """The period a :class:`~gdsmodel.periods.parser.Parsed` names (fields checked here)."""
    if parsed.bounds is not None:
        return Span(*parsed.bounds, tz=parsed.tz)
    return _CLASSES[parsed.kind](*parsed.numbers, tz=parsed.tz)
