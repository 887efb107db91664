"""The station's work records in the monthly report, the example station and the obligations
calendar: the records section, tickets.csv counted from the ticket records, open and overdue
records per post and person."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from gdsmodel.cli import main
from gdsmodel.errors import InputError
from gdsmodel.periods import Month
from gdsmodel.report import render
from gdsmodel.report.compute import build_report
from gdsmodel.report.layout import Section, Table, build_document
from gdsmodel.report.sections import extra_sections
from gdsmodel.standards.records.book import RecordBook
from gdsmodel.standards.records.figures import counts_csv
from gdsmodel.standards.records.kinds import kind
from gdsmodel.standards.records.location import station_store
from gdsmodel.standards.records.obligations import station_record_obligations

ROOT = Path(__file__).resolve().parents[1]
STATION = ROOT / "examples" / "station"
MONTH = "2026-03"


def _section(folder: Path, month: str = MONTH) -> Section | None:
    doc = build_document(build_report(folder, month), extra=extra_sections())
    found = [s for s in doc.sections if s.id == "records"]
    return found[0] if found else None


def _tables(section: Section) -> dict[str, Table]:
    return {b.title.en: b for b in section.blocks if isinstance(b, Table)}


def _text(c: Any) -> str:
    return str(c.text.en or c.text.zh)


@pytest.fixture(scope="module")
def section() -> Section:
    s = _section(STATION)
    assert s is not None
    return s


def test_committed_tickets_csv_is_the_count_of_the_committed_ticket_records() -> None:
    """The example's hand count is its records' count, as known on the first day after the data."""
    with RecordBook.open(STATION / "records.json", create=False) as book:
        states = book.states("ticket")
        text = counts_csv(kind("ticket"), states, today=dt.date(2026, 4, 1))
    assert (STATION / "tickets.csv").read_text(encoding="utf-8") == text
    assert len(text.splitlines()) == 1 + 24  # a line per month and type


def test_section_figures_equal_the_report_kpis_from_tickets_csv(section: Section) -> None:
    """The records section's two-ticket rates are the report's rates from tickets.csv; the
    ticket target (100 %) is the registry's and a missed month says by how much. A scope
    shows by the name of the ticket class."""
    report = build_report(STATION, MONTH)
    figures = _tables(section)["Figures from records"]
    classes = {c.name.en: c.id for c in kind("ticket").classes}
    tickets = {
        classes[_text(r[1])]: r for r in figures.rows if _text(r[0]) == "Two-ticket pass rate"
    }
    assert set(tickets) == {"work", "operation"}
    assert tickets["work"][1].text.zh == "工作票"
    for scope, row in tickets.items():
        kpi = report.kpi("two_ticket_pass_rate", scope)
        assert _text(row[3]) == kpi.format(kpi.month)
        assert _text(row[4]) == ">= 100%"
    assert _text(tickets["operation"][2]) == "9/10"
    assert _text(tickets["operation"][5]) == "missed by 10.00 pp"
    # a figure without a target in the registry says so rather than inventing one
    no_target = [r for r in figures.rows if _text(r[0]) == "Defects handled in time"]
    assert no_target and all(_text(r[5]) == "no target" for r in no_target)


def test_section_open_and_overdue_records_per_post_and_person(section: Section) -> None:
    """Each post and person's running limits on the first day after the month, the overdue
    ones named; the counts are those of RecordBook.due."""
    table = _tables(section)["Open records per post and person"]
    with RecordBook.open(STATION / "records.json", create=False) as book:
        due = book.due(dt.date(2026, 4, 1))
    assert sum(int(_text(r[2])) for r in table.rows) == len(due)
    assert sum(int(_text(r[3])) for r in table.rows) == sum(d.overdue for d in due)
    late = {(_text(r[0]), _text(r[1])): _text(r[4]) for r in table.rows if _text(r[3]) != "0"}
    assert "TRN-2025-P11" in late[("Safety officer", "P11")]  # a post by its name


def test_a_station_without_records_gets_the_same_report(tmp_path: Path) -> None:
    """No records store: no records section, and every other section as before."""
    folder = tmp_path / "station"
    shutil.copytree(STATION, folder)
    (folder / "records.json").unlink()
    assert _section(folder) is None
    with_records = build_document(build_report(STATION, MONTH), extra=extra_sections())
    without = build_document(build_report(folder, MONTH), extra=extra_sections())
    assert [s for s in with_records.sections if s.id != "records"] == list(without.sections)


def test_sqlite_store_is_preferred_and_read_like_the_json(tmp_path: Path) -> None:
    folder = tmp_path / "station"
    shutil.copytree(STATION, folder)
    with RecordBook.open(folder / "records.json", create=False) as book:
        book.save(folder / "records.sqlite")
    assert station_store(folder) == folder / "records.sqlite"
    section = _section(folder)
    assert section is not None
    assert "records.sqlite" in section.blocks[0].text.en  # type: ignore[union-attr]
    assert section.blocks[1:] == _section(STATION).blocks[1:]  # type: ignore[union-attr]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json", "excel"])
def test_section_renders_in_every_format(fmt: str) -> None:
    out = render(build_report(STATION, MONTH), fmt, "both")
    if fmt == "excel":
        import io

        import openpyxl  # type: ignore[import-untyped]

        book = openpyxl.load_workbook(io.BytesIO(out))  # type: ignore[arg-type]
        text = "\n".join(
            str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
            if c.value is not None
        )  # fmt: skip
    else:
        text = out if isinstance(out, str) else out.decode()
    assert "工作记录" in text or "Work records" in text
    assert "TRN-2025-P11" in text


def test_example_generator_refuses_an_undeclared_second_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the declared replacement (the records' tickets.csv) may overwrite a core file."""
    from gdsmodel.report import example

    real = example._extra_generators()
    clash = ("clash", lambda station, rng: {"lines.csv": "x"})
    monkeypatch.setattr(example, "_extra_generators", lambda: (*real, clash))
    with pytest.raises(InputError, match="written twice"):
        example.generate_station(tmp_path / "a", months=2)
    again = ("again", lambda station, rng: {"tickets.csv": "x"})
    monkeypatch.setattr(example, "_extra_generators", lambda: (*real, again))
    with pytest.raises(InputError, match=r"tickets\.csv.*written twice"):
        example.generate_station(tmp_path / "b", months=2)


def test_record_obligations_of_a_station_folder(tmp_path: Path) -> None:
    """The calendar's records: a post's and a person's, overdue once the limit passed."""
    march = Month(2026, 3)
    assert station_record_obligations(tmp_path, march, today=dt.date(2026, 4, 1)) == ()
    items = station_record_obligations(
        STATION, march, today=dt.date(2026, 4, 1), owner="safety_officer"
    )
    assert items and {o.owner for o in items} == {"safety_officer"}
    late = [o for o in items if o.note.endswith(", overdue")]
    assert any("TRN-2025-P11" in o.note for o in late)
    mine = station_record_obligations(STATION, march, today=dt.date(2026, 4, 1), person="P11")
    assert mine and all("(P11)" in o.note for o in mine)


def test_cli_calendar_shows_open_and_overdue_records(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    args = ["calendar", "2026-03", "--station", str(STATION), "--no-triggers", "--json"]
    assert main([*args, "--post", "safety_officer", "--today", "2026-04-01"]) == 0
    data = json.loads(capsys.readouterr().out)
    records = [d for d in data if (d["season"] or "").startswith("record:")]
    assert any(d["note"].endswith(", overdue") for d in records)
    assert {d["owner"] for d in records} == {"safety_officer"}
    # a person's calendar: what they held, and their own records
    assert main([*args, "--person", "P11", "--today", "2026-04-01"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert any("TRN-2025-P11" in d["note"] for d in data)
    # a folder without records: the calendar of the standard alone, exit 0
    assert main(["calendar", "2026-03", "--station", str(tmp_path), "--no-triggers"]) == 0
    assert "record:" not in capsys.readouterr().out


def test_a_past_month_shows_the_records_as_they_stood_then() -> None:
    """The report of October 2025 lists the limits open on 1 November 2025: no record opened
    later, and one closed later is still open in it."""
    section = _section(STATION, "2025-10")
    assert section is not None
    day = dt.date(2025, 11, 1)
    with RecordBook.open(STATION / "records.json", create=False) as book:
        then = book.states_on(day)
        now = {(s.kind, s.record): s for s in book.states()}
    running = [(s, c) for s in then for c in s.running() if c.due is not None]
    table = _tables(section)["Open records per post and person"]
    assert sum(int(_text(r[2])) for r in table.rows) == len(running)
    assert all(s.opened_on < day for s, _ in running)
    closed_since = [s for s, c in running if not any(
        k.limit == c.limit and k.start == c.start and k.running
        for k in now[(s.kind, s.record)].clocks)]  # fmt: skip
    assert closed_since  # the example closes some of them later
