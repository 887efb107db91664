"""The obligations calendar: windows, triggers, configuration, iCalendar, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gdsmodel
from gdsmodel.cli import main
from gdsmodel.errors import DataFileError, InputError, NotFoundError
from gdsmodel.periods import Day, Month, Period, Quarter, Year
from gdsmodel.standards.calendar import (
    default_calendar_config,
    load_calendar_config,
    obligations,
    to_ics,
)


@pytest.fixture(scope="module")
def std() -> gdsmodel.Standard:
    return gdsmodel.load_standard()


def by_clause(items: tuple[object, ...]) -> dict[str, list[object]]:
    out: dict[str, list[object]] = {}
    for o in items:
        out.setdefault(o.clause, []).append(o)  # type: ignore[attr-defined]
    return out


def test_month_end_check(std: gdsmodel.Standard) -> None:
    items = std.obligations(Month(2026, 2), owner="safety_officer")
    (month_end,) = [o for o in items if o.cadence == "month_end"]
    assert month_end.clause == "safety_officer.standard.9"
    assert str(month_end.window) == "2026-02-24/2026-03-01"  # the last 5 days of February
    assert month_end.covers == Month(2026, 2)


def test_annual_quarterly_monthly_plans(std: gdsmodel.Standard) -> None:
    items = [o for o in std.obligations(Month(2026, 3)) if o.clause == "director.duty.2"]
    assert [(str(o.cadence), str(o.window)) for o in items] == [
        ("annual", "2026"),
        ("quarterly", "2026-Q1"),
        ("monthly", "2026-03"),
    ]


def test_seasonal_windows(std: gdsmodel.Standard) -> None:
    march = [o for o in std.obligations(Month(2026, 3)) if o.cadence == "seasonal"]
    assert {o.season for o in march} == {"spring_safety_inspection"}
    assert {o.clause for o in march} == {"safety_officer.duty.6", "safety_officer.standard.2"}
    july = [o for o in std.obligations(Month(2026, 7)) if o.cadence == "seasonal"]
    assert july == []


def test_meter_reading_days(std: gdsmodel.Standard) -> None:
    items = [o for o in std.obligations(Month(2026, 3)) if o.season == "meter_reading"]
    assert {o.clause for o in items} == {
        "revenue_group.duty.1",
        "revenue_group_leader.duty.7",
        "revenue_group_leader.duty.8",
    }
    assert {str(o.window) for o in items} == {"2026-03-01/2026-03-21"}
    # the reading window replaces the periodic one
    assert not [
        o
        for o in std.obligations(Month(2026, 3))
        if o.clause == "revenue_group.duty.1" and o.season is None and not o.is_trigger
    ]
    # nothing from the reading days on the 25th
    late = std.obligations(Day(2026, 3, 25))
    assert not [o for o in late if o.season == "meter_reading"]


def test_reports_are_due_after_the_period(std: gdsmodel.Standard) -> None:
    reporting = [c for c in std.clauses() if c.category == "reporting" and "monthly" in c.cadences]
    assert reporting
    clause = reporting[0]
    items = [o for o in std.obligations(Month(2026, 3)) if o.clause == clause.id]
    assert [(str(o.window), str(o.covers)) for o in items] == [("2026-03-01/2026-03-06", "2026-02")]


def test_triggers_and_owner_filter(std: gdsmodel.Standard) -> None:
    items = std.obligations(Month(2026, 3), owner="director")
    triggers = [o for o in items if o.is_trigger]
    assert {o.clause for o in triggers} >= {"director.duty.11"}
    assert all(o.owner == "director" for o in items)
    # a head also gets its unit's work
    head = std.obligations(Month(2026, 3), owner="revenue_group_leader")
    assert {o.owner for o in head} == {"revenue_group_leader", "revenue_group"}
    assert not [o for o in std.obligations(Month(2026, 3), triggers=False) if o.is_trigger]
    with pytest.raises(NotFoundError):
        std.obligations(Month(2026, 3), owner="nobody")
    with pytest.raises(InputError, match="must be a period"):
        std.obligations("2026-03")


def test_every_dated_obligation_overlaps_the_period(std: gdsmodel.Standard) -> None:
    p = Period.parse("2026-03-D2")
    for o in std.obligations(p):
        assert o.is_trigger or o.window.overlaps(p)  # type: ignore[union-attr]


@settings(max_examples=25, deadline=None)
@given(year=st.integers(2000, 2100), quarter=st.integers(1, 4))
def test_months_of_a_quarter_find_what_the_quarter_finds(year: int, quarter: int) -> None:
    std = gdsmodel.load_standard()
    q = Quarter(year, quarter)
    whole = {o.uid for o in std.obligations(q, triggers=False)}
    parts: set[str] = set()
    for m in q.months():
        parts |= {o.uid for o in std.obligations(m, triggers=False)}
    assert parts == whole


def test_config_file(tmp_path: Path, std: gdsmodel.Standard) -> None:
    p = tmp_path / "cal.toml"
    p.write_text(
        "month_end_days = 3\n[meter_reading]\nfirst_day = 5\nlast_day = 15\n", encoding="utf-8"
    )
    config = load_calendar_config(p)
    assert config.seasons == () and default_calendar_config().seasons
    items = std.obligations(Month(2026, 4), config=config)
    month_end = [o for o in items if o.cadence == "month_end"]
    assert str(month_end[0].window) == "2026-04-28/2026-05-01"
    assert {str(o.window) for o in items if o.season == "meter_reading"} == {
        "2026-04-05/2026-04-16"
    }
    assert not [o for o in items if o.cadence == "seasonal"]
    p.write_text('periodic_default = "fortnight"\n', encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_calendar_config(p)
    assert err.value.path == "$.periodic_default"
    p.write_text("[meter_reading]\nfirst_day = 20\nlast_day = 10\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="last_day"):
        load_calendar_config(p)


def test_ics_export(std: gdsmodel.Standard) -> None:
    icalendar = pytest.importorskip("icalendar")
    items = std.obligations(Month(2026, 3), owner="safety_officer")
    data = to_ics(items)
    cal = icalendar.Calendar.from_ical(data)
    events = list(cal.walk("VEVENT"))
    assert len(events) == len([o for o in items if not o.is_trigger])
    month_end = [e for e in events if "safety_officer.standard.9/month_end" in str(e["uid"])]
    assert month_end[0].decoded("dtstart").isoformat() == "2026-03-27"
    assert month_end[0].decoded("dtend").isoformat() == "2026-04-01"  # exclusive, like ours
    assert to_ics(items) == data  # reproducible


def test_cli_calendar(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ics = tmp_path / "so.ics"
    assert main(["calendar", "2026-03", "--post", "safety_officer", "--ics", str(ics)]) == 0
    out = capsys.readouterr().out
    assert "safety_officer.standard.9" in out and "triggers" in out
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert main(["calendar", "2026年第一季度", "--json", "--no-triggers"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data and not [d for d in data if d["trigger"]]
    with pytest.raises(SystemExit) as exc:  # a period that does not parse is a usage error
        main(["calendar", "2026-13"])
    assert exc.value.code == 2 and "accepted forms" in capsys.readouterr().err
    assert main(["calendar", "2026-03", "--post", "nobody"]) == 3


def test_year_query(std: gdsmodel.Standard) -> None:
    items = std.obligations(Year(2026), triggers=False)
    seasons = {o.season for o in items if o.cadence == "seasonal"}
    assert seasons == {
        "spring_safety_inspection",
        "summer_peak",
        "autumn_safety_inspection",
        "winter_peak",
    }
    assert obligations(std, Year(2026)) == std.obligations(Year(2026))
