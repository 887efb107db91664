"""Tests of gdsmodel.periods: worked examples, bad inputs and property tests."""

from __future__ import annotations

import copy
import doctest
import itertools
import pickle
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import attrs
import pendulum
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gdsmodel.errors import DataFileError, InputError, ParseError
from gdsmodel.periods import (
    DEFAULT_TZ,
    MAX_YEAR,
    MIN_YEAR,
    CalendarPeriod,
    Day,
    Dekad,
    Month,
    Period,
    PeriodKind,
    Quarter,
    Span,
    Year,
)
from gdsmodel.serialize import converter, structure, unstructure

CALENDAR_KINDS = ["year", "quarter", "month", "dekad", "day"]
# Zones with no DST, DST, half-hour DST, a :45 offset and midnight clock changes.
ZONES = [
    DEFAULT_TZ,
    "UTC",
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "America/Sao_Paulo",
    "Asia/Kathmandu",
    "America/Havana",
]

# --------------------------------------------------------------------------- strategies

zones = st.sampled_from(ZONES)
all_dates = st.dates(min_value=date(MIN_YEAR, 1, 1), max_value=date(MAX_YEAR, 12, 31))
# Mostly modern dates (where the zone rules are interesting), sometimes the whole range.
dates = st.one_of(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    all_dates,
)


@st.composite
def calendar_periods(draw: st.DrawFn, kinds: list[str] = CALENDAR_KINDS) -> CalendarPeriod:
    return Period.containing(draw(dates), draw(st.sampled_from(kinds)), tz=draw(zones))


@st.composite
def date_spans(draw: st.DrawFn) -> Span:
    start = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
    n = draw(st.integers(1, 400))
    return Span(start, start + timedelta(days=n), tz=draw(zones))


@st.composite
def time_spans(draw: st.DrawFn) -> Span:
    start = draw(
        st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2100, 12, 30))
    ).replace(tzinfo=UTC)
    length = draw(st.timedeltas(min_value=timedelta(microseconds=1), max_value=timedelta(days=400)))
    return Span(start, start + length, tz=draw(zones))


periods = st.one_of(calendar_periods(), date_spans(), time_spans())


def moments(around: datetime) -> st.SearchStrategy[datetime]:
    """Aware moments near ``around`` (so that both sides of a boundary get drawn)."""
    offsets = st.one_of(
        st.sampled_from([timedelta(0), -timedelta(microseconds=1), timedelta(microseconds=1)]),
        st.timedeltas(min_value=timedelta(days=-40), max_value=timedelta(days=40)),
    )
    u = around.astimezone(UTC)  # a plain datetime: pendulum drops a stdlib tzinfo on `+`
    plain = datetime(u.year, u.month, u.day, u.hour, u.minute, u.second, u.microsecond, UTC)
    return offsets.map(lambda d: plain + d)


# --------------------------------------------------------------------------- worked examples


def test_lengths_worked_examples() -> None:
    assert Month(2026, 2).hours == 672
    assert isinstance(Month(2026, 2).hours, int)
    assert Month(2024, 2).hours == 696
    assert Year(2026).hours == 8760
    assert Year(2024).hours == 8784
    assert Year(2026).days == 365
    assert Quarter(2026, 1).days == 90
    assert Quarter(2024, 1).days == 91
    assert [d.days for d in Month(2026, 2).dekads()] == [10, 10, 8]
    assert [d.days for d in Month(2024, 2).dekads()] == [10, 10, 9]
    assert [d.days for d in Month(2026, 1).dekads()] == [10, 10, 11]
    assert [d.days for d in Month(2026, 4).dekads()] == [10, 10, 10]
    assert Day(2026, 3, 15).seconds == 86_400


def test_start_end_are_pendulum_in_zone() -> None:
    m = Month(2026, 3)
    assert isinstance(m.start, pendulum.DateTime)
    assert m.start == pendulum.datetime(2026, 3, 1, tz=DEFAULT_TZ)
    assert m.end == pendulum.datetime(2026, 4, 1, tz=DEFAULT_TZ)
    assert m.start.timezone_name == DEFAULT_TZ
    assert m.start.utcoffset() == timedelta(hours=8)
    assert Month(2026, 3, tz="UTC").start == pendulum.datetime(2026, 3, 1, tz="UTC")


def test_dst_days_have_exact_hours() -> None:
    assert Day(2026, 3, 8, tz="America/New_York").hours == 23
    assert Day(2026, 11, 1, tz="America/New_York").hours == 25
    assert Day(2026, 3, 9, tz="America/New_York").hours == 24
    assert Month(2026, 3, tz="America/New_York").hours == 31 * 24 - 1
    assert Year(2026, tz="America/New_York").hours == 8760
    # Lord Howe Island shifts by half an hour.
    assert Day(2026, 4, 5, tz="Australia/Lord_Howe").hours == Fraction(49, 2)
    assert Day(2026, 10, 4, tz="Australia/Lord_Howe").hours == Fraction(47, 2)
    assert Day(2026, 10, 4, tz="Australia/Lord_Howe").days == 1
    assert DEFAULT_TZ == "Asia/Shanghai"
    assert all(d.hours == 24 for d in Year(2026).iter_days())


def test_local_mean_time_gives_fractional_hours() -> None:
    # Before 1901 Shanghai kept local mean time, UTC+8:05:43.
    assert Year(1900).start.utcoffset() == timedelta(hours=8, minutes=5, seconds=43)
    assert Year(1900).hours == Fraction(365 * 24 * 3600 + 343, 3600)
    assert sum((m.hours for m in Year(1900).months()), Fraction(0)) == Year(1900).hours


def test_skipped_midnight_day_starts_at_the_change() -> None:
    # Brazil moved clocks from 00:00 to 01:00 on 4 November 2018.
    d = Day(2018, 11, 4, tz="America/Sao_Paulo")
    assert d.start == pendulum.datetime(2018, 11, 4, 1, tz="America/Sao_Paulo")
    assert d.hours == 23
    assert d.previous().end == d.start
    # Samoa skipped 30 December 2011 altogether: that day is empty.
    skipped = Day(2011, 12, 30, tz="Pacific/Apia")
    assert skipped.hours == 0
    assert skipped.days == 1
    assert not skipped.contains(skipped.start)
    assert Month(2011, 12, tz="Pacific/Apia").hours == 30 * 24
    assert Period.containing(skipped.start, "day", tz="Pacific/Apia") == Day(
        2011, 12, 31, tz="Pacific/Apia"
    )


def test_ambiguous_midnight_day_starts_at_first_midnight() -> None:
    # Cuba ended DST at 01:00 -> 00:00 on 1 November 2026: midnight happens twice.
    d = Day(2026, 11, 1, tz="America/Havana")
    assert d.hours == 25
    assert d.start.utcoffset() == timedelta(hours=-4)


def test_sub_periods() -> None:
    assert Year(2026).quarters() == tuple(Quarter(2026, q) for q in range(1, 5))
    assert Year(2026).months() == tuple(Month(2026, m) for m in range(1, 13))
    assert Quarter(2026, 3).months() == (Month(2026, 7), Month(2026, 8), Month(2026, 9))
    assert len(Year(2026).dekads()) == 36
    assert len(Year(2024).days_()) == 366
    assert list(Month(2026, 2).iter_days()) == [Day(2026, 2, d) for d in range(1, 29)]
    assert Day(2026, 3, 15).months() == (Month(2026, 3),)
    assert Day(2026, 3, 15).days_() == (Day(2026, 3, 15),)
    assert Dekad(2026, 3, 2).dekads() == (Dekad(2026, 3, 2),)
    # covering: months that overlap a span, even partly
    assert Period.parse("2026-03-25/2026-05-02").months() == (
        Month(2026, 3),
        Month(2026, 4),
        Month(2026, 5),
    )
    assert Year(MAX_YEAR).months()[-1] == Month(MAX_YEAR, 12)


def test_split() -> None:
    assert Quarter(2026, 1).split("month") == Quarter(2026, 1).months()
    assert Month(2026, 3).split(PeriodKind.DEKAD) == Month(2026, 3).dekads()
    assert Month(2026, 3).split("quarter") == (Month(2026, 3),)
    assert Year(2026).split("year") == (Year(2026),)
    pieces = Period.parse("2026-03-25/2026-05-02").split("month")
    assert [str(p) for p in pieces] == ["2026-03-25/2026-04-01", "2026-04", "2026-05-01/2026-05-02"]
    assert isinstance(pieces[0], Span)
    assert pieces[1] == Month(2026, 4)
    with pytest.raises(InputError, match="kind='week'"):
        Year(2026).split("week")
    with pytest.raises(InputError, match="span"):
        Year(2026).split("span")


def test_enclosing() -> None:
    assert Day(2026, 3, 15).year == Year(2026)
    assert Day(2026, 3, 15).quarter == Quarter(2026, 1)
    assert Day(2026, 3, 15).month == Month(2026, 3)
    assert Day(2026, 3, 25).enclosing("dekad") == Dekad(2026, 3, 3)
    assert Quarter(2026, 2).quarter == Quarter(2026, 2)
    assert Year(2026).year == Year(2026)
    assert Month(2026, 5, tz="UTC").year == Year(2026, tz="UTC")
    assert Span(date(2026, 3, 1), date(2026, 4, 1)).month == Month(2026, 3)
    with pytest.raises(InputError, match="not inside a single quarter"):
        _ = Year(2026).quarter
    with pytest.raises(InputError, match="not inside a single month"):
        _ = Span(date(2026, 3, 31), date(2026, 4, 2)).month


def test_neighbours() -> None:
    assert Year(2026).next() == Year(2027)
    assert Quarter(2026, 4).next() == Quarter(2027, 1)
    assert Month(2026, 1).previous() == Month(2025, 12)
    assert Dekad(2026, 1, 1).previous() == Dekad(2025, 12, 3)
    assert Dekad(2026, 2, 3).next() == Dekad(2026, 3, 1)
    assert Day(2024, 2, 28).next() == Day(2024, 2, 29)
    assert Month(2026, 3, tz="UTC").next() == Month(2026, 4, tz="UTC")
    s = Span(date(2026, 3, 1), date(2026, 3, 15))
    assert s.next() == Span(date(2026, 3, 15), date(2026, 3, 29))
    t = Period.parse("2026-03-01T08:00/2026-03-01T20:00")
    assert str(t.next()) == "2026-03-01T20:00:00+08:00/2026-03-02T08:00:00+08:00"
    # whole-day spans step by calendar days, also across a DST change
    ny = Span(date(2026, 3, 7), date(2026, 3, 9), tz="America/New_York")
    assert ny.next() == Span(date(2026, 3, 9), date(2026, 3, 11), tz="America/New_York")
    assert ny.hours == 47
    with pytest.raises(InputError, match="year=9999"):
        Year(MAX_YEAR).next()
    with pytest.raises(InputError, match="year=999"):
        Day(MIN_YEAR, 1, 1).previous()


def test_contains_and_containing() -> None:
    m = Month(2026, 3)
    assert m.contains(date(2026, 3, 1))
    assert not m.contains(date(2026, 4, 1))
    assert m.contains(datetime(2026, 3, 31, 23, 59, 59, 999999))  # naive: wall time
    assert not m.contains(datetime(2026, 4, 1))
    assert m.contains(pendulum.datetime(2026, 3, 31, 15, 59, tz="UTC"))
    assert not m.contains(pendulum.datetime(2026, 3, 31, 16, tz="UTC"))
    assert m.contains(m.start)
    assert not m.contains(m.end)
    assert date(2026, 3, 9) in m
    assert Period.containing(date(2026, 3, 15)) == Month(2026, 3)
    assert Period.containing(date(2026, 3, 15), "quarter") == Quarter(2026, 1)
    assert Period.containing(datetime(2026, 3, 31, 16, tzinfo=UTC), "day") == Day(2026, 4, 1)
    assert Month.of(date(2026, 3, 15)) == Month(2026, 3)
    assert Dekad.of(date(2026, 2, 21)) == Dekad(2026, 2, 3)
    assert Year.of(date(2026, 12, 31), tz="UTC") == Year(2026, tz="UTC")
    assert Month(2026, 3).dekad(2) == Dekad(2026, 3, 2)
    assert Month(2026, 3).day(31) == Day(2026, 3, 31)
    assert Quarter(2026, 1).encloses(Month(2026, 3))
    assert not Month(2026, 3).encloses(Quarter(2026, 1))
    assert Month(2026, 3).overlaps(Dekad(2026, 3, 3))
    assert not Month(2026, 3).overlaps(Month(2026, 4))


def test_numbers_and_dates() -> None:
    d = Dekad(2026, 2, 3)
    assert (d.year.number, d.month.number, d.number) == (2026, 2, 3)
    assert d.first_date == pendulum.Date(2026, 2, 21)
    assert d.last_date == pendulum.Date(2026, 2, 28)
    assert Day(2026, 3, 15).date == pendulum.Date(2026, 3, 15)
    assert Month(year=2026, month=3) == Month(2026, 3)
    assert Dekad(year=2026, month=3, dekad=1) == Dekad(2026, 3, 1)
    assert Day(year=2026, month=3, day=1) == Day(2026, 3, 1)
    assert Quarter(year=2026, quarter=2) == Quarter(2026, 2)


def test_value_semantics() -> None:
    m = Month(2026, 3)
    assert m == Month(2026, 3)
    assert hash(m) == hash(Month(2026, 3))
    assert m != Month(2026, 3, tz="UTC")
    whole_march: Period = Span(date(2026, 3, 1), date(2026, 4, 1))
    assert m != whole_march
    assert len({m, Month(2026, 3), Month(2026, 3, tz="UTC")}) == 2
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        m.tz = "UTC"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(m)) == m
    assert copy.deepcopy(Span(date(2026, 3, 1), date(2026, 3, 2))) == Span(
        date(2026, 3, 1), date(2026, 3, 2)
    )
    # a span's identity is its instants and zone, however the ends were given
    assert Span(date(2026, 3, 1), date(2026, 3, 2)) == Span(
        pendulum.datetime(2026, 2, 28, 16, tz="UTC"), datetime(2026, 3, 2)
    )
    assert repr(m) == "Month(2026, 3)"
    assert repr(Month(2026, 3, tz="UTC")) == "Month(2026, 3, tz='UTC')"
    assert repr(Span(date(2026, 3, 1), date(2026, 3, 2), tz="UTC")) == (
        "Span(Date(2026, 3, 1), Date(2026, 3, 2), tz='UTC')"
    )


def test_ordering_worked_example() -> None:
    ps = [
        Month(2026, 3),
        Year(2026),
        Day(2026, 1, 1),
        Quarter(2026, 1),
        Span(date(2026, 1, 1), date(2027, 1, 1)),
    ]
    assert sorted(ps) == [
        Day(2026, 1, 1),
        Quarter(2026, 1),
        Year(2026),
        Span(date(2026, 1, 1), date(2027, 1, 1)),
        Month(2026, 3),
    ]
    assert Month(2026, 3) < Month(2026, 4) <= Month(2026, 4)
    assert Month(2026, 3, tz="UTC") > Month(2026, 3)  # UTC midnight comes 8 hours later
    with pytest.raises(TypeError):
        _ = Month(2026, 3) < "2026-04"  # type: ignore[operator]


# --------------------------------------------------------------------------- text


TEXT_FORMS = [
    ("2026", Year(2026)),
    ("2026年", Year(2026)),
    ("2026年度", Year(2026)),
    ("2026-Q1", Quarter(2026, 1)),
    ("2026q4", Quarter(2026, 4)),
    ("2026年第一季度", Quarter(2026, 1)),
    ("2026年第4季度", Quarter(2026, 4)),
    ("2026年二季度", Quarter(2026, 2)),
    ("2026 Q1", Quarter(2026, 1)),
    ("Q3 2026", Quarter(2026, 3)),
    ("2026-03", Month(2026, 3)),
    ("2026年3月", Month(2026, 3)),
    ("2026年03月", Month(2026, 3)),
    ("2026 年 3 月份", Month(2026, 3)),
    ("March 2026", Month(2026, 3)),
    ("mar 2026", Month(2026, 3)),
    ("2026-03-D1", Dekad(2026, 3, 1)),
    ("2026-03-d3", Dekad(2026, 3, 3)),
    ("2026-03-上旬", Dekad(2026, 3, 1)),
    ("2026-03-中旬", Dekad(2026, 3, 2)),
    ("2026年3月下旬", Dekad(2026, 3, 3)),
    ("early March 2026 (days 1-10)", Dekad(2026, 3, 1)),
    ("mid March 2026", Dekad(2026, 3, 2)),
    ("late February 2026 (days 21-28)", Dekad(2026, 2, 3)),
    ("2026-03-15", Day(2026, 3, 15)),
    ("2026年3月15日", Day(2026, 3, 15)),
    ("15 March 2026", Day(2026, 3, 15)),
    ("March 15, 2026", Day(2026, 3, 15)),
    ("２０２６年３月１５日", Day(2026, 3, 15)),  # full-width digits
    ("2026-03-01/2026-03-15", Span(date(2026, 3, 1), date(2026, 3, 15))),
    (" 2026-03-01 / 2026-03-15 ", Span(date(2026, 3, 1), date(2026, 3, 15))),
    ("2026年3月1日至2026年3月14日", Span(date(2026, 3, 1), date(2026, 3, 15))),
    ("2026年3月1日～2026年3月14日", Span(date(2026, 3, 1), date(2026, 3, 15))),
    ("1 March 2026 to 14 March 2026 (inclusive)", Span(date(2026, 3, 1), date(2026, 3, 15))),
    (
        "2026-03-01T08:00/2026-03-01T20:00",
        Span(datetime(2026, 3, 1, 8), datetime(2026, 3, 1, 20)),
    ),
    (
        "2026-03-01T00:00:00Z/2026-03-01T12:00:00+08:00",
        Span(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 1, 4, tzinfo=UTC)),
    ),
    ("2026-03[Europe/Berlin]", Month(2026, 3, tz="Europe/Berlin")),
    ("2026年3月 [UTC]", Month(2026, 3, tz="UTC")),
]


@pytest.mark.parametrize(("text", "expected"), TEXT_FORMS)
def test_parse_accepted_forms(text: str, expected: Period) -> None:
    assert Period.parse(text) == expected
    assert type(expected).parse(text) == expected


def test_parse_tz_argument_and_bracket() -> None:
    assert Period.parse("2026-03", tz="UTC") == Month(2026, 3, tz="UTC")
    assert Period.parse("2026-03[Europe/Berlin]", tz="UTC") == Month(2026, 3, tz="Europe/Berlin")
    assert Period.parse("2026-03[Asia/Shanghai]", tz="UTC") == Month(2026, 3)


def test_canonical_and_human_forms() -> None:
    cases = [
        (Year(2026), "2026", "2026年", "2026"),
        (Quarter(2026, 1), "2026-Q1", "2026年第一季度", "2026 Q1"),
        (Quarter(2026, 4), "2026-Q4", "2026年第四季度", "2026 Q4"),
        (Month(2026, 3), "2026-03", "2026年3月", "March 2026"),
        (Dekad(2026, 3, 1), "2026-03-D1", "2026年3月上旬", "early March 2026 (days 1-10)"),
        (Dekad(2026, 3, 2), "2026-03-D2", "2026年3月中旬", "mid March 2026 (days 11-20)"),
        (Dekad(2026, 2, 3), "2026-02-D3", "2026年2月下旬", "late February 2026 (days 21-28)"),
        (Day(2026, 3, 5), "2026-03-05", "2026年3月5日", "5 March 2026"),
        (
            Span(date(2026, 3, 1), date(2026, 3, 15)),
            "2026-03-01/2026-03-15",
            "2026年3月1日至2026年3月14日",
            "1 March 2026 to 14 March 2026 (inclusive)",
        ),
    ]
    for period, canonical, zh, en in cases:
        assert str(period) == canonical
        assert period.format("zh") == zh
        assert period.format() == zh
        assert period.format("en") == en
        assert period.format("both") == f"{zh} / {en}"
        assert period.label.zh == zh
        assert period.label.en == en
    assert str(Month(2026, 3, tz="UTC")) == "2026-03[UTC]"
    t = Span(datetime(2026, 3, 1, 8, 30), datetime(2026, 3, 1, 20, 0, 0, 5))
    assert str(t) == "2026-03-01T08:30:00+08:00/2026-03-01T20:00:00.000005+08:00"
    assert t.format("zh") == str(t)
    with pytest.raises(InputError, match="lang='fr'"):
        Month(2026, 3).format("fr")  # type: ignore[arg-type]


BAD_TEXTS = [
    ("2026-13", "month=13"),
    ("2026-Q5", "quarter=5"),
    ("2026-Q0", "quarter=0"),
    ("", "empty"),
    ("   ", "empty"),
    ("2026-02-30", "day=30"),
    ("2026-03-D4", "dekad=4"),
    ("2026年第五季度", "quarter=5"),
    ("2026年13月", "month=13"),
    ("2026年2月29日", "day=29"),
    ("0999", "year=999"),
    ("9999", "year=9999"),
    ("2026-3", "no accepted form"),
    ("26-03", "no accepted form"),
    ("20 26", "no accepted form"),
    ("hello", "no accepted form"),
    ("2026-03-15/2026-03-01", "must be after start"),
    ("2026-03-01/2026-03-01", "must be after start"),
    ("2026-03-01/2026-02-30", "not a date"),
    ("2026-03-01/2026-03", "not an ISO 8601 date"),
    ("2026年3月14日至2026年3月1日", "before the first day"),
    ("late February 2026 (days 21-31)", "covers days 21-28"),
    ("2026-03[Mars/Olympus]", "not a known time zone"),
    ("2026-03[]", "not a time zone"),
]


@pytest.mark.parametrize(("text", "reason"), BAD_TEXTS)
def test_parse_rejects_bad_text(text: str, reason: str) -> None:
    with pytest.raises(ParseError) as info:
        Period.parse(text)
    message = str(info.value)
    assert reason in message
    assert repr(text) in message
    assert "accepted forms: 2026, 2026年, 2026-Q1" in message
    assert "2026-03-01/2026-03-15 (ISO 8601 interval, end exclusive)" in message


def test_parse_wrong_kind_and_bad_type() -> None:
    with pytest.raises(
        ParseError, match=r"as a month \(it names a quarter\); accepted forms: 2026-03"
    ):
        Month.parse("2026-Q1")
    with pytest.raises(ParseError, match="it names a span"):
        CalendarPeriod.parse("2026-03-01/2026-03-02")
    with pytest.raises(ParseError, match="not text"):
        Period.parse(202603)  # type: ignore[arg-type]
    with pytest.raises(ParseError, match="not a known time zone"):
        Period.parse("2026", tz="Nowhere/Special")


# --------------------------------------------------------------------------- bad inputs


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: Year(999), "year=999"),
        (lambda: Year(9999), "year=9999"),
        (lambda: Year(2026.0), "is not an integer"),  # type: ignore[arg-type]
        (lambda: Year(True), "is not an integer"),
        (lambda: Quarter(2026, 5), "quarter=5"),
        (lambda: Month(2026, 0), "month=0"),
        (lambda: Month(2026, 13), r"allowed: 1-12"),
        (lambda: Dekad(2026, 3, 0), "dekad=0"),
        (lambda: Day(2026, 2, 29), r"day=29: is not a day of 2026-02 \(allowed: 1-28\)"),
        (lambda: Day(2026, 4, 31), r"allowed: 1-30"),
        (lambda: Day(2026, 1, "1"), "is not an integer"),  # type: ignore[arg-type]
        (lambda: Month(2026, 3, tz="Nowhere/Special"), "tz='Nowhere/Special'"),
        (lambda: Month(2026, 3, tz=""), "not a time zone"),
        (lambda: Span(date(2026, 3, 2), date(2026, 3, 1)), "must be after start"),
        (lambda: Span(date(2026, 3, 1), date(2026, 3, 1)), "must be after start"),
        (lambda: Span(date(999, 12, 31), date(2026, 3, 1)), "start="),
        (lambda: Span(date(2026, 3, 1), date(9999, 1, 2)), "end="),
        (lambda: Span("2026-03-01", date(2026, 3, 2)), "is not a moment"),  # type: ignore[arg-type]
        (lambda: Month(2026, 3).contains("2026-03-05"), "is not a moment"),  # type: ignore[arg-type]
        (lambda: Period.containing(date(2026, 3, 1), "week"), "kind='week'"),
        (lambda: Period.containing(date(999, 3, 1), "year"), "year=999"),
        (lambda: Month(2026, 3).dekad(4), "dekad=4"),
    ],
)
def test_bad_inputs_raise_input_error(make: object, match: str) -> None:
    with pytest.raises(InputError, match=match):
        make()  # type: ignore[operator]


def test_abstract_bases_cannot_be_built() -> None:
    with pytest.raises(TypeError, match="abstract"):
        Period()


# --------------------------------------------------------------------------- cattrs


@attrs.frozen
class _Report:
    period: Period
    month: Month
    span: Span | None = None


def test_cattrs_hooks() -> None:
    report = _Report(
        Quarter(2026, 1), Month(2026, 3, tz="UTC"), Span(date(2026, 3, 1), date(2026, 3, 5))
    )
    data = unstructure(report)
    assert data == {"period": "2026-Q1", "month": "2026-03[UTC]", "span": "2026-03-01/2026-03-05"}
    assert structure(data, _Report) == report
    assert converter.unstructure(Dekad(2026, 3, 1)) == "2026-03-D1"
    assert converter.unstructure(Dekad(2026, 3, 1), unstructure_as=Period) == "2026-03-D1"
    assert structure("2026年3月上旬", Period) == Dekad(2026, 3, 1)
    assert structure("2026-03-15", Day) == Day(2026, 3, 15)
    with pytest.raises(DataFileError, match=r"report\.toml: .*as a month \(it names a quarter\)"):
        structure({"period": "2026", "month": "2026-Q1"}, _Report, file="report.toml")
    with pytest.raises(DataFileError, match=r"\$\.period"):
        structure({"period": "2026-13", "month": "2026-03"}, _Report)
    with pytest.raises(DataFileError, match="is not a period's text"):
        structure({"period": 2026, "month": "2026-03"}, _Report)


# --------------------------------------------------------------------------- docs


def test_docs_examples_run() -> None:
    page = Path(__file__).resolve().parents[1] / "docs" / "periods.md"
    result = doctest.testfile(
        str(page),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert result.attempted > 10
    assert result.failed == 0


# --------------------------------------------------------------------------- properties


@settings(max_examples=100)
@given(year=st.integers(MIN_YEAR, MAX_YEAR), q=st.integers(1, 4), tz=zones)
def test_months_of_a_quarter_tile_it(year: int, q: int, tz: str) -> None:
    quarter = Quarter(year, q, tz=tz)
    months = quarter.months()
    assert len(months) == 3
    assert months[0].start == quarter.start
    assert months[-1].end == quarter.end
    for a, b in itertools.pairwise(months):
        assert a.end == b.start
    assert sum(m.days for m in months) == quarter.days
    assert sum(m.hours for m in months) == quarter.hours


@settings(max_examples=30)
@given(year=st.integers(MIN_YEAR, MAX_YEAR), tz=zones)
def test_days_of_a_year_sum_to_its_days(year: int, tz: str) -> None:
    y = Year(year, tz=tz)
    days = y.days_()
    assert len(days) == y.days == sum(d.days for d in days)
    assert y.days in (365, 366)
    assert sum(d.hours for d in days) == y.hours
    assert days[0].start == y.start
    assert days[-1].end == y.end


@settings(max_examples=150)
@given(period=periods, by=st.sampled_from(CALENDAR_KINDS))
def test_hours_equal_the_sum_over_sub_periods(period: Period, by: str) -> None:
    pieces = period.split(by)
    assert sum(p.hours for p in pieces) == period.hours
    assert pieces[0].start == period.start
    assert pieces[-1].end == period.end
    for a, b in itertools.pairwise(pieces):
        assert a.end == b.start
    assert all(period.encloses(p) for p in pieces)
    covering = {
        "year": period.years,
        "quarter": period.quarters,
        "month": period.months,
        "dekad": period.dekads,
        "day": period.days_,
    }[by]()
    assert len(covering) == len(pieces)
    assert all(u.overlaps(p) for u, p in zip(covering, pieces, strict=True))


@settings(max_examples=150)
@given(period=calendar_periods(), by=st.sampled_from(CALENDAR_KINDS))
def test_calendar_sub_periods_sum_days(period: CalendarPeriod, by: str) -> None:
    units = period.split(by)
    if all(isinstance(u, CalendarPeriod) and period.encloses(u) for u in units) and len(units) > 1:
        assert sum(u.days for u in units) == period.days


@settings(max_examples=200)
@given(period=periods)
def test_text_round_trips(period: Period) -> None:
    text = str(period)
    assert Period.parse(text) == period
    assert type(period).parse(text) == period
    assert hash(Period.parse(text)) == hash(period)
    assert Period.parse(period.format("zh"), tz=period.tz) == period
    assert Period.parse(period.format("en"), tz=period.tz) == period
    assert text.isascii()
    assert structure(unstructure(period), Period) == period
    assert structure(unstructure(period), type(period)) == period


@settings(max_examples=200)
@given(a=periods, b=periods)
def test_ordering_is_consistent_with_start_times(a: Period, b: Period) -> None:
    if a.start < b.start:
        assert a < b
        assert b > a
    if a.start == b.start and a.end < b.end:
        assert a < b
    # a total order consistent with equality
    assert (a < b) + (a == b) + (a > b) == 1
    assert (a <= b) == (a < b or a == b)
    assert (a >= b) == (a > b or a == b)
    assert sorted([a, b])[0].start <= sorted([a, b])[1].start


@settings(max_examples=200)
@given(period=periods)
def test_next_and_previous_are_inverse(period: Period) -> None:
    try:
        after = period.next()
    except InputError:
        after = None
    if after is not None:
        assert after.previous() == period
        assert after.start == period.end
        assert type(after) is type(period)
    try:
        before = period.previous()
    except InputError:
        before = None
    if before is not None:
        assert before.next() == period
        assert before.end == period.start


@settings(max_examples=200)
@given(data=st.data(), period=periods)
def test_contains_agrees_with_bounds(data: st.DataObject, period: Period) -> None:
    t = data.draw(st.one_of(moments(period.start), moments(period.end)))
    assert period.contains(t) == (period.start <= t < period.end)
    assert (t in period) == period.contains(t)
    naive = t.astimezone(period.start.tzinfo).replace(tzinfo=None, fold=0)
    naive_instant = naive.replace(tzinfo=period.start.tzinfo)
    assert period.contains(naive) == (period.start <= naive_instant < period.end)


@settings(max_examples=200)
@given(
    moment=st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2100, 12, 30)).map(
        lambda d: d.replace(tzinfo=UTC)
    ),
    kind=st.sampled_from(CALENDAR_KINDS),
    tz=zones,
)
def test_containing_contains_the_moment(moment: datetime, kind: str, tz: str) -> None:
    period = Period.containing(moment, kind, tz=tz)
    assert period.kind == kind
    assert period.tz == tz
    assert period.contains(moment)
    assert period.enclosing(kind) == period


@settings(max_examples=100)
@given(period=calendar_periods())
def test_calendar_periods_lie_in_their_year_and_quarter(period: CalendarPeriod) -> None:
    assert period.year.encloses(period)
    assert period.year.contains(period.start)
    if period.kind != "year":
        assert period.quarter.encloses(period)
    if period.kind in ("dekad", "day", "month"):
        assert period.month.encloses(period)
    assert period.first_date <= period.last_date
    assert (period.last_date - period.first_date).days + 1 == period.days


@settings(max_examples=100)
@given(period=date_spans())
def test_whole_day_spans_count_calendar_days(period: Span) -> None:
    assert isinstance(period.days, int)
    assert period.days == len(period.days_())
    # UTC, and China since 1992 (Asia/Shanghai kept summer time in 1986-1991), have 24-hour days
    assume(period.tz == "UTC" or (period.tz == DEFAULT_TZ and period.start.year >= 1992))
    assert period.hours == 24 * period.days


def test_china_summer_time_1986_1991_is_exact() -> None:
    assert Year(1991).hours == 8760
    assert Day(1991, 4, 14).hours == 23
    assert Span(date(1991, 3, 1), date(1991, 4, 15)).hours == 45 * 24 - 1


# --------------------------------------------------------------------------- shared time helpers


def test_utc_instant_takes_the_offset_off() -> None:
    from gdsmodel.periods import utc_instant

    # 08:00 in Shanghai (UTC+8) is midnight UTC; 01:30 in New York in July (UTC-4) is 05:30 UTC.
    assert utc_instant(pendulum.datetime(2026, 3, 1, 8, tz=DEFAULT_TZ)) == datetime(
        2026, 3, 1, tzinfo=UTC
    )
    got = utc_instant(pendulum.datetime(2026, 7, 1, 1, 30, tz="America/New_York"))
    assert got == datetime(2026, 7, 1, 5, 30, tzinfo=UTC)
    assert type(got) is datetime and got.tzinfo is UTC


def test_utc_instant_refuses_naive_and_non_datetimes() -> None:
    from gdsmodel.periods import utc_instant

    with pytest.raises(InputError, match=r"start=.*has no time zone"):
        utc_instant(datetime(2026, 3, 1), name="start")
    with pytest.raises(InputError, match="is not a datetime"):
        utc_instant(date(2026, 3, 1))  # type: ignore[arg-type]
    with pytest.raises(InputError, match="out of the supported range"):
        utc_instant(pendulum.datetime(1, 1, 1, tz=DEFAULT_TZ))


def test_periods_and_pendulum_intervals_are_period_like() -> None:
    from gdsmodel.periods import PeriodLike, utc_instant

    def length(p: PeriodLike) -> timedelta:
        return utc_instant(p.end) - utc_instant(p.start)

    t = pendulum.datetime(2026, 3, 8, tz="America/New_York")
    assert length(Day(2026, 3, 8, tz="America/New_York")) == timedelta(hours=23)
    assert length(pendulum.interval(t, t.add(days=1))) == timedelta(hours=23)
    assert length(Month(2026, 2)) == timedelta(days=28)


# --------------------------------------------------------------------------- the parser module


def test_parser_reads_fields_without_building_periods() -> None:
    from gdsmodel.periods import parser

    got = parser.read("2026年3月上旬")
    assert (got.kind, got.numbers, got.bounds, got.tz) == (
        PeriodKind.DEKAD,
        (2026, 3, 1),
        None,
        DEFAULT_TZ,
    )
    # Month 13 is a well-formed text: the parser reads it, the class refuses it.
    assert parser.read("2026-13").numbers == (2026, 13)
    with pytest.raises(ParseError, match="month=13"):
        Period.parse("2026-13")
    span = parser.read("2026年3月1日至2026年3月14日 [UTC]")
    assert span.bounds == (date(2026, 3, 1), date(2026, 3, 15)) and span.tz == "UTC"
    # The fast path for canonical text gives what the general rules give.
    for text in ("2026", "2026-03", "2026-03-15", "2026-Q3"):
        assert parser.read(text, "UTC") == parser.read(f" {text} [UTC]")


def test_the_old_import_paths_still_work() -> None:
    import gdsmodel.periods as periods

    assert periods.Period.parse("2026-03") == periods.Month(2026, 3)
    assert structure("2026-Q1", periods.Quarter) == periods.Quarter(2026, 1)
    assert set(periods.__all__) >= {"Period", "Span", "PeriodLike", "utc_instant", "parser"}


@pytest.mark.parametrize(
    "text",
    ["2026Q" + "9" * 5000, "2026-" + "0" * 10_000, "2026年第" + "九" * 300 + "季度", " " * 100_000],
)
def test_parse_refuses_huge_text_with_a_short_parse_error(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        Period.parse(text)
    message = str(caught.value)
    assert "longer than 200 characters" in message
    assert f"({len(text)} characters)" in message
    assert len(message) < 1_500  # the text is cut, the accepted forms are listed


def test_parse_of_a_long_quarter_number_is_not_a_crash() -> None:
    with pytest.raises(ParseError, match="no accepted form matches"):
        Period.parse("2026Q" + "9" * 150)
    with pytest.raises(ParseError, match="quarter=9"):
        Period.parse("2026Q9")


# --------------------------------------------------------------------------- cached day starts


def _first_instant_of(d: date, tz: str) -> datetime:
    """By brute force: the first UTC second whose local date in ``tz`` is ``d``, found by
    scanning minutes around the local midnight, then the seconds of the minute before (local
    mean time offsets of old dates are not whole minutes)."""
    import zoneinfo

    zone = zoneinfo.ZoneInfo(tz)

    def on_or_after(u: datetime) -> bool:
        return u.replace(tzinfo=UTC).astimezone(zone).date() >= d

    start = datetime(d.year, d.month, d.day) - timedelta(hours=16)
    for minute in range(32 * 60):
        u = start + timedelta(minutes=minute)
        if on_or_after(u):
            seconds = (u - timedelta(seconds=s) for s in range(60, -1, -1))
            return next(v for v in seconds if on_or_after(v))
    raise AssertionError("no instant found")


@settings(max_examples=150)
@given(
    day=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    tz=st.sampled_from(ZONES),
)
def test_day_starts_equal_a_brute_force_search(day: date, tz: str) -> None:
    from gdsmodel.periods import _time

    _time._NAMED_STARTS.clear()
    got = Day(day.year, day.month, day.day, tz=tz)
    assert got._s == _first_instant_of(day, tz)  # built from scratch
    assert Day(day.year, day.month, day.day, tz=tz)._s == got._s  # and from the cache
    assert Month(day.year, day.month, tz=tz)._s == _first_instant_of(day.replace(day=1), tz)


def test_a_midnight_skipped_by_a_clock_change_starts_the_day_at_the_change() -> None:
    # America/Santiago went from 00:00 to 01:00 on 2022-09-11: that day begins at 01:00 local
    assert Day(2022, 9, 11, tz="America/Santiago").start.hour == 1
    assert Day(2022, 9, 11, tz="America/Santiago").hours == 23
