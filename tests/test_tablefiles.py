"""The one reader of station table files (gdsmodel.tablefiles), and both of its callers:
the report's station files and the organisation's files read the same things the same way."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdsmodel.errors import DataFileError
from gdsmodel.organisation.files import PEOPLE_CHECKS, STAFF, load_organisation
from gdsmodel.periods import Month
from gdsmodel.report.inputs import load_station
from gdsmodel.report.records import schema
from gdsmodel.tablefiles import (
    FORMULA_MARK,
    CellError,
    Problem,
    TableFileError,
    cell_text,
    check_file,
    find,
    has_control,
    header_row,
    match_header,
    month_of_cell,
    read_rows,
    refuse_formula,
)

TZ = "Asia/Shanghai"
STAFF_ROWS = "person,name,holds,start\nP01,王强,technician,2025-01-01\n"
TICKETS = "month,type,total,qualified\n2026-03,work,20,20\n"


def _station_issue(folder: Path, file: str) -> Any:
    found = [i for i in load_station(folder).issues if i.file == file]
    assert len(found) == 1, found
    return found[0]


def _org_issue(folder: Path, file: str) -> Any:
    found = [e for e in load_organisation(folder).errors if e.file == file]
    assert len(found) == 1, found
    return found[0]


# ----------------------------------------------------------------------------- CSV


def test_a_bom_is_read_as_no_bom(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_bytes(b"\xef\xbb\xbf" + STAFF_ROWS.encode())
    (tmp_path / "b.csv").write_bytes(STAFF_ROWS.encode())
    with_bom = list(read_rows(tmp_path / "a.csv", "a"))
    assert with_bom == list(read_rows(tmp_path / "b.csv", "b"))
    assert with_bom[0][0] == "person"


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_both_callers_read_a_file_with_or_without_a_bom(tmp_path: Path, bom: bytes) -> None:
    (tmp_path / "staff.csv").write_bytes(bom + STAFF_ROWS.encode())
    (tmp_path / "tickets.csv").write_bytes(bom + TICKETS.encode())
    org = load_organisation(tmp_path)
    assert [p.name for p in org.roster.people] == ["王强"] and not org.errors
    data = load_station(tmp_path)
    assert [t.total for t in data.tickets.records] == [20]
    assert not [i for i in data.errors if i.file == "tickets.csv"]


def test_not_utf8_names_the_byte_in_both_callers(tmp_path: Path) -> None:
    raw = STAFF_ROWS.encode() + b"P02,\xff,technician,2025-01-01\n"
    (tmp_path / "staff.csv").write_bytes(raw)
    (tmp_path / "tickets.csv").write_bytes(TICKETS.encode() + b"\xfe\n")
    at = raw.index(b"\xff")
    message = f"not UTF-8 text (byte {at}); save it as 'CSV UTF-8'"
    assert _org_issue(tmp_path, "staff.csv").message == message
    assert _station_issue(tmp_path, "tickets.csv").message.startswith("not UTF-8 text (byte ")


def test_a_file_that_cannot_be_read_is_a_data_file_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(STAFF_ROWS, "utf-8")

    def refused(self: Path, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refused)
    with pytest.raises(DataFileError, match="cannot be read: Permission denied"):
        list(read_rows(path, "staff"))
    assert _org_issue(tmp_path, "staff.csv").message == "cannot be read: Permission denied"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.binary(max_size=300), ext=st.sampled_from([".csv", ".xlsx"]))
def test_random_bytes_raise_nothing_but_the_typed_error(
    tmp_path: Path, raw: bytes, ext: str
) -> None:
    path = tmp_path / f"staff{ext}"
    path.write_bytes(raw)
    failed: DataFileError | None = None
    rows: list[list[str]] = []
    try:
        rows = list(read_rows(path, "staff"))
    except DataFileError as exc:
        failed = exc
    if failed is not None:
        assert failed.file == path.name and failed.message
    assert all(isinstance(c, str) for row in rows for c in row)
    org = load_organisation(tmp_path)  # never raises: the problems are located errors
    assert all(e.file in ("staff.csv", path.name) for e in org.issues)
    path.unlink()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(max_size=8), max_size=5), max_size=6))
def test_header_row_skips_blank_rows_only(rows: list[list[str]]) -> None:
    it = iter(rows)
    first = header_row(it)
    blank = [i for i, r in enumerate(rows) if not any(c.strip() for c in r)]
    at = next((i for i in range(len(rows)) if i not in blank), None)
    assert first == (None if at is None else rows[at])
    assert list(it) == ([] if at is None else rows[at + 1 :])


# ----------------------------------------------------------------------------- Excel


def test_the_cell_text_of_excel_values() -> None:
    assert cell_text(None) == ""
    assert cell_text(False) == "false"
    assert cell_text(12.0) == "12" and cell_text(0.1) == "0.1"
    assert cell_text(dt.datetime(2026, 3, 5, 14, 30)) == "2026-03-05 14:30:00"
    assert cell_text(dt.date(2026, 3, 5)) == "2026-03-05"
    assert cell_text(7) == "7" and cell_text("P01") == "P01"


def test_a_formula_without_a_saved_value_is_named_by_both_callers(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "staff"
    ws.append(["person", "name", "holds", "start", "note"])
    ws.append(["P01", "=UPPER(B3)", "technician", "2025-01-01", None])
    wb.save(tmp_path / "staff.xlsx")
    rows = list(read_rows(tmp_path / "staff.xlsx", "staff"))
    assert rows[1][1] == FORMULA_MARK + "=UPPER(B3)" and rows[1][4] == ""  # empty stays empty
    err = _org_issue(tmp_path, "staff.xlsx")
    assert (err.row, err.column) == (2, "name")
    assert err.message == "the formula '=UPPER(B3)' has no saved value"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["month", "type", "total", "qualified"])
    ws.append(["2026-03", "work", 20, "=C2"])
    wb.save(tmp_path / "tickets.xlsx")
    err = _station_issue(tmp_path, "tickets.xlsx")
    assert err.message == "the formula '=C2' has no saved value"
    with pytest.raises(CellError, match="no saved value") as found:
        refuse_formula(FORMULA_MARK + "=C2")
    assert "open the file in Excel" in found.value.allowed
    refuse_formula("=C2")  # typed text (a CSV cell) is not a formula


def test_an_excel_date_in_a_month_column_reads_as_its_month(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    assert month_of_cell("2026-03-01 00:00:00", TZ) == Month(2026, 3)
    assert month_of_cell("2026-03-01", TZ) == Month(2026, 3)
    assert month_of_cell("2026-03-01 09:15:00", TZ) is None
    assert month_of_cell("spring", TZ) is None
    (tmp_path / "staff.csv").write_text(
        "person,name,holds,start\nP01,王强,safety_officer,2025-01-01\n", "utf-8"
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([c.name for c in PEOPLE_CHECKS.columns])
    ws.append([dt.datetime(2026, 3, 1), "P01", "x", "yes", None])
    wb.save(tmp_path / "people_checks.xlsx")
    errors = [e for e in load_organisation(tmp_path).errors if e.file == "people_checks.xlsx"]
    assert [e.column for e in errors] == ["rule"]  # the month was read; the rule is unknown


def test_a_broken_xlsx_is_a_data_file_error(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    (tmp_path / "staff.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    with pytest.raises(DataFileError, match=r"not a readable \.xlsx file"):
        list(read_rows(tmp_path / "staff.xlsx", "staff"))
    assert _org_issue(tmp_path, "staff.xlsx").message.startswith("not a readable .xlsx file")


def _cut_sheet(path: Path, rows: list[list[str]]) -> None:
    """A workbook whose sheet's XML stops half way (a file cut short, a bad copy)."""
    import zipfile

    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    whole = path.with_suffix(".whole.xlsx")
    wb.save(whole)
    with zipfile.ZipFile(whole) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
    parts[sheet] = parts[sheet][: len(parts[sheet]) // 2]
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    whole.unlink()


def test_a_sheet_cut_short_is_a_data_file_error_for_every_caller(tmp_path: Path) -> None:
    from gdsmodel.standards.records.book import RecordBook
    from gdsmodel.standards.records.sheets import read_sheet

    rows = [["person", "name", "holds", "start"]]
    rows += [[f"P{i:02}", "王强", "technician", "2025-01-01"] for i in range(60)]
    _cut_sheet(tmp_path / "staff.xlsx", rows)
    with pytest.raises(DataFileError, match=r"not a readable \.xlsx file \(part way through\)"):
        list(read_rows(tmp_path / "staff.xlsx", "staff"))
    assert _org_issue(tmp_path, "staff.xlsx").message.startswith("not a readable .xlsx file")
    sheet = tmp_path / "defects.xlsx"
    moves = [[f"D{i}", "find", "2026-03-02"] for i in range(60)]
    _cut_sheet(sheet, [["record", "move", "date"], *moves])
    with pytest.raises(DataFileError, match="not a readable"):
        read_sheet(sheet, "defect", RecordBook())


# ----------------------------------------------------------------------------- the files


def test_find_reads_the_csv_first(tmp_path: Path) -> None:
    assert find(tmp_path, "staff") == (None, None)
    (tmp_path / "staff.xlsx").write_bytes(b"")
    assert find(tmp_path, "staff") == (tmp_path / "staff.xlsx", None)
    (tmp_path / "staff.csv").write_text(STAFF_ROWS, "utf-8")
    assert find(tmp_path, "staff") == (tmp_path / "staff.csv", tmp_path / "staff.xlsx")
    warned = [e for e in load_organisation(tmp_path).issues if e.warning]
    assert [str(w) for w in warned] == [
        "staff.xlsx: warning: both staff.csv and .xlsx exist: using the CSV"
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_a_link_out_of_the_folder_is_refused_by_both_callers(tmp_path: Path) -> None:
    folder = tmp_path / "station"
    folder.mkdir()
    (tmp_path / "staff.csv").write_text(STAFF_ROWS, "utf-8")
    (tmp_path / "tickets.csv").write_text(TICKETS, "utf-8")
    (folder / "staff.csv").symlink_to(tmp_path / "staff.csv")
    (folder / "tickets.csv").symlink_to(tmp_path / "tickets.csv")
    with pytest.raises(DataFileError, match="outside the station folder"):
        check_file(folder, folder / "staff.csv")
    for err in (_org_issue(folder, "staff.csv"), _station_issue(folder, "tickets.csv")):
        assert err.message.startswith("is a link to a file outside the station folder")
    assert not load_organisation(folder).roster.people
    (folder / "data").mkdir()  # a link that stays in the folder is followed
    (folder / "data" / "staff.csv").write_text(STAFF_ROWS, "utf-8")
    (folder / "staff.csv").unlink()
    (folder / "staff.csv").symlink_to(folder / "data" / "staff.csv")
    check_file(folder, folder / "staff.csv")
    assert [p.name for p in load_organisation(folder).roster.people] == ["王强"]


def test_a_folder_as_a_file_is_refused_by_both_callers(tmp_path: Path) -> None:
    (tmp_path / "staff.csv").mkdir()
    (tmp_path / "tickets.csv").mkdir()
    with pytest.raises(DataFileError, match="is a folder, not a file"):
        check_file(tmp_path, tmp_path / "staff.csv")
    assert _org_issue(tmp_path, "staff.csv").message == "is a folder, not a file"
    assert _station_issue(tmp_path, "tickets.csv").message == "is a folder, not a file"


# ----------------------------------------------------------------------------- cells, header


def test_control_characters_in_a_code(tmp_path: Path) -> None:
    assert not has_control("P01 王强") and has_control("P\x0101") and has_control("P01\t")
    (tmp_path / "staff.csv").write_text(
        "person,name,holds,start\nP\x0101,王强,technician,2025-01-01\n", "utf-8"
    )
    err = _org_issue(tmp_path, "staff.csv")
    assert (err.row, err.column, err.message) == (
        2,
        "person",
        "'P\\x0101' is not a code (no spaces)",
    )
    line = next(c for c in schema("lines").columns if c.name == "line")
    with pytest.raises(CellError, match="holds control characters"):
        line.parse("L\x0101", tz=TZ)


def test_the_header_problems_are_the_same_for_both_callers(tmp_path: Path) -> None:
    positions, problems = match_header(["人员编号", "PERSON"], STAFF.columns)
    assert positions is None
    assert [(p.problem, p.column, p.message) for p in problems] == [
        (Problem.TWICE, "person", "column 'person' appears twice")
    ]
    positions, problems = match_header(["\ufeffname", "colour", ""], STAFF.columns)
    assert positions is None
    assert [p.problem for p in problems] == [Problem.UNKNOWN] + [Problem.MISSING] * 3
    assert problems[0].warning and not problems[1].warning
    assert problems[1].allowed == "columns person, name, holds, start"
    (tmp_path / "staff.csv").write_text("person,name,colour\n", "utf-8")
    (tmp_path / "tickets.csv").write_text("month,type,total,colour\n", "utf-8")
    org = [e for e in load_organisation(tmp_path).issues if e.file == "staff.csv"]
    station = [e for e in load_station(tmp_path).issues if e.file == "tickets.csv"]
    assert (org[0].row, org[0].column, org[0].message) == (
        (station[0].row, station[0].column, station[0].message)
    )
    assert org[0].warning and station[0].severity.value == "warning"
    assert [str(e) for e in org[1:]] == [
        "staff.csv: row 1, column holds: missing column 'holds' (allowed: columns person, "
        "name, holds, start)",
        "staff.csv: row 1, column start: missing column 'start' (allowed: columns person, "
        "name, holds, start)",
    ]
    assert [str(e) for e in station[1:]] == [
        "tickets.csv: row 1, column qualified: missing column 'qualified' (allowed: columns "
        "month, type, total, qualified)"
    ]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(["person", "姓名", "Holds", "start", "end", "x", " "]), max_size=8))
def test_match_header_positions_name_their_columns(header: list[str]) -> None:
    positions, problems = match_header(header, STAFF.columns)
    names = {c.name: c for c in STAFF.columns}
    if positions is not None:
        assert not [p for p in problems if not p.warning]
        for name, i in positions.items():
            assert header[i].strip().casefold() in (name, names[name].zh)
        assert {c.name for c in STAFF.columns if c.required} <= set(positions)
    else:
        assert any(not p.warning for p in problems)


@settings(max_examples=60, deadline=None)
@given(
    row=st.none() | st.integers(min_value=1, max_value=10**6),
    column=st.none() | st.sampled_from(["person", "sold_kwh"]),
    allowed=st.sampled_from(["", "a name"]),
    warning=st.booleans(),
)
def test_both_callers_locate_an_error_in_the_same_words(
    row: int | None, column: str | None, allowed: str, warning: bool
) -> None:
    from gdsmodel.organisation.files import OrganisationFileError
    from gdsmodel.report.inputs import Severity, StationDataError

    where = {"file": "x.csv", "row": row, "column": column, "allowed": allowed}
    org = OrganisationFileError("is empty", warning=warning, **where)
    severity = Severity.WARNING if warning else Severity.ERROR
    station = StationDataError("is empty", severity=severity, **where)
    assert str(org) == str(station) == str(TableFileError("is empty", warning=warning, **where))
    assert station.to_data() == {**org.to_data(), "month": None}
    assert isinstance(org, DataFileError) and isinstance(station, TableFileError)
    assert station.warning is warning
    toml = {"file": "station.toml", "column": "grade"}  # a TOML file's place is a key
    assert str(StationDataError("bad", **toml)) == "station.toml: key grade: bad"
    assert str(OrganisationFileError("bad", **toml)) == "station.toml: column grade: bad"
