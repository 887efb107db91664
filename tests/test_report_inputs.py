"""Station data in: every bad file or row gets an error naming file, row and column (and what
is allowed); the report still renders the rest and says what it could not compute."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdsmodel.errors import DataFileError, NotFoundError
from gdsmodel.report import (
    FILES,
    Severity,
    StationDataError,
    build_report,
    load_station,
    render,
    schema,
)
from gdsmodel.report.inputs import Column, ColumnKind
from test_report_fixtures import AREAS, LINES, OUTAGES, write_station


def issues(folder: Path) -> list[StationDataError]:
    return list(load_station(folder).issues)


def only(found: list[StationDataError]) -> StationDataError:
    errors = [i for i in found if i.severity is Severity.ERROR]
    assert len(errors) == 1, [str(i) for i in found]
    return errors[0]


def test_missing_column_makes_the_file_unusable_and_the_report_says_why(tmp_path: Path) -> None:
    bad = AREAS.replace(",sold_kwh", "").replace(",760,", ",").replace(",352,", ",")
    bad = bad.replace(",900,", ",").replace(",480,", ",")
    folder = write_station(tmp_path / "s", areas_csv=bad)
    err = only(issues(folder))
    assert (err.file, err.row, err.column) == ("areas.csv", 1, "sold_kwh")
    assert "missing column" in str(err) and "allowed: columns month, area" in str(err)
    r = build_report(folder, "2026-03")
    lv = r.kpi("line_loss_rate_lv").month
    assert lv.value is None and lv.reason == "areas.csv lacks column sold_kwh"
    # the rest is still there: lines, tickets, and the customers from station.toml are absent,
    # so reliability says why too
    assert r.kpi("line_loss_rate").month.value == Fraction(50, 4000)
    assert "customers unknown" in r.kpi("rs3").month.reason
    assert "lacks column sold_kwh" in render(r, "text", "en")


def test_a_bad_number_names_row_and_column_and_taints_only_its_month(tmp_path: Path) -> None:
    bad = LINES.replace("2026-03,L1,一线,10kV,2000,1900", "2026-03,L1,一线,10kV,2,000,1900")
    bad = LINES.replace("2026-03,L1,一线,10kV,2000,", "2026-03,L1,一线,10kV,2k,")
    folder = write_station(tmp_path / "s", lines_csv=bad)
    err = only(issues(folder))
    assert (err.file, err.row, err.column) == ("lines.csv", 4, "supplied_kwh")
    assert str(err) == (
        "lines.csv: row 4, column supplied_kwh: '2k' is not a number "
        "(allowed: a number >= 0 without thousands separators, e.g. 1234.5 (kWh))"
    )
    r = build_report(folder, "2026-03")
    assert r.kpi("line_loss_rate").month.reason == "lines.csv has bad rows for 2026-03"
    assert r.kpi("line_loss_rate").trend[0].value == Fraction(1, 25)  # February is fine
    ytd = r.kpi("line_loss_rate").ytd
    assert ytd is not None and "2026-03: lines.csv has bad rows" in ytd.reason
    assert r.errors and r.kpi("two_ticket_pass_rate").month.value == Fraction(49, 50)


def test_an_unknown_cause_lists_the_allowed_values(tmp_path: Path) -> None:
    bad = OUTAGES.replace(",planned,", ",storm,")
    folder = write_station(tmp_path / "s", outages_csv=bad)
    err = only(issues(folder))
    assert (err.file, err.row, err.column) == ("outages.csv", 2, "cause")
    assert err.allowed == "planned, fault, external, supply_shortage"
    r = build_report(folder, "2026-03")
    assert r.kpi("rs1").month.reason == "outages.csv has bad rows for 2026-03"
    assert r.kpi("rs1").trend[0].value is not None  # February's outage rows are fine


def test_end_before_start(tmp_path: Path) -> None:
    bad = OUTAGES.replace("2026-03-10 10:00", "2026-03-10 07:00")
    folder = write_station(tmp_path / "s", outages_csv=bad)
    err = only(issues(folder))
    assert (err.file, err.row, err.column) == ("outages.csv", 2, "end")
    assert "is not after the start" in err.message and err.allowed == "an end later than the start"


def test_a_bad_month_taints_every_month_of_its_file(tmp_path: Path) -> None:
    bad = "month,type,total,qualified\n2026-13,work,1,1\n2026-03,work,20,19\n"
    folder = write_station(tmp_path / "s", tickets_csv=bad)
    err = only(issues(folder))
    assert (err.row, err.column) == (2, "month") and "2026-03 or 2026年3月" in err.allowed
    r = build_report(folder, "2026-03")
    assert "a row whose month could not be read" in r.kpi("two_ticket_pass_rate").month.reason


@pytest.mark.parametrize(
    ("text", "row", "column", "fragment"),
    [
        ("month,type,total,qualified\n2026-03,work,20,21\n", 2, "qualified", "exceeds"),
        ("month,type,total,qualified\n2026-03,work,-2,0\n", 2, "total", "whole number"),
        ("month,type,total,qualified\n2026-03,ticket,2,2\n", 2, "type", "not an allowed"),
        ("month,type,total,qualified\n2026-03,work,,2\n", 2, "total", "is empty"),
        ("month,type,total,qualified\n2026-03,work,2,2,9\n", 2, None, "cells in a row"),
        ("month,type,total,qualified\n2026-03,work,2,2\n2026-03,work,3,3\n", 3, "type", "row 2"),
    ],
)
def test_ticket_row_errors(
    tmp_path: Path, text: str, row: int, column: str | None, fragment: str
) -> None:
    folder = write_station(tmp_path / "s", tickets_csv=text)
    err = only(issues(folder))
    assert (err.file, err.row, err.column) == ("tickets.csv", row, column)
    assert fragment in str(err)


@pytest.mark.parametrize(
    ("stem", "text", "column"),
    [
        ("billing", "2026-03,A1,100,101,0,1.00,1.00,0", "meters_read"),
        ("billing", "2026-03,A1,100,99,100,1.00,1.00,0", "reading_errors"),
        ("rcd", "2026-03,A1,4,5,4,1,1", "installed"),
        ("rcd", "2026-03,A1,4,4,5,1,1", "in_service"),
        ("rcd", "2026-03,A1,4,4,4,1,2", "correct"),
        ("voltage", "2026-03,D9,D,100,60,50", "above_upper_minutes"),
        ("voltage", "2026-03,D9,D,50000,0,0", "monitored_minutes"),
        ("voltage", "2026-03,D9,E,100,0,0", "class"),
        ("areas", "2026-03,A9,L1,1,1,x", "customers"),
        ("lines", "2026-03,L9,,11kV,1,1,", "voltage"),
    ],
)
def test_cross_column_rules(tmp_path: Path, stem: str, text: str, column: str) -> None:
    header = ",".join(c.name for c in schema(stem).columns if c.required or c.name == "name")
    if stem == "lines":
        header += ",reactive_kvarh"
    if stem == "billing":
        header += ",arrears_collected_yuan"
    folder = write_station(tmp_path / "s", **{f"{stem}_csv": f"{header}\n{text}\n"})
    err = only(issues(folder))
    assert (err.file, err.row, err.column) == (f"{stem}.csv", 2, column), str(err)
    assert err.allowed


def test_warnings_unknown_column_and_unknown_references(tmp_path: Path) -> None:
    text = AREAS.replace("customers\n", "customers,colour\n", 1).replace("\n2026", ",x\n2026")
    text = text.replace("2026-03,A2,L2", "2026-03,A2,L9")
    folder = write_station(tmp_path / "s", areas_csv=text)
    found = issues(folder)
    assert all(i.severity is Severity.WARNING for i in found), [str(i) for i in found]
    assert any(i.column == "colour" and "ignored" in i.message for i in found)
    assert any("'L9' is not in lines.csv" in i.message for i in found)
    assert not build_report(folder, "2026-03").errors


def test_absent_files_are_warnings_and_gaps(tmp_path: Path) -> None:
    folder = write_station(tmp_path / "s", voltage_csv=None, station_toml=None)
    found = issues(folder)
    assert {i.file for i in found} == {"voltage.csv", "station.toml"}
    r = build_report(folder, "2026-03")
    assert r.kpi("voltage_qualification_rate").month.reason == "no voltage.csv or voltage.xlsx"
    assert r.station.zh == "s"


def test_station_toml_errors(tmp_path: Path) -> None:
    folder = write_station(
        tmp_path / "s",
        station_toml='grade = "Z"\n[targets]\nnonsense = "1"\nrs3 = "high"\n',
    )
    found = [str(i) for i in build_report(folder, "2026-03").issues]
    assert any(
        "station.toml: key grade: unknown grade 'Z'; the default is used" in f for f in found
    )
    assert any("unknown metric 'nonsense'" in f for f in found)
    assert any("'high' is neither a target of rs3 nor a number" in f for f in found)
    folder = write_station(tmp_path / "t", station_toml="colour = 1\n")
    err = only(issues(folder))
    assert err.file == "station.toml" and "colour" in err.message


def test_bom_chinese_headers_aliases_and_local_times(tmp_path: Path) -> None:
    text = (
        "\ufeff编号,线路,台区,停电时间,送电时间,停电户数,停电性质,备注\n"
        "X1,L1,A1,2026-03-10 08:00,2026-03-10 10:00,30,计划停电,\n"
    )
    folder = write_station(tmp_path / "s", outages_csv=text)
    data = load_station(folder)
    assert not data.issues
    o = data.outages.records[0].outage
    assert o.cause.value == "planned" and o.start.utcoffset() is not None
    assert o.start.utcoffset().total_seconds() == 8 * 3600  # type: ignore[union-attr]


def test_not_utf8(tmp_path: Path) -> None:
    folder = write_station(tmp_path / "s")
    text = "month,type,total,qualified\n2026-03,工作票,1,1\n"
    (folder / "tickets.csv").write_bytes(text.encode("gbk"))
    err = only(issues(folder))
    assert err.file == "tickets.csv" and "UTF-8" in err.message


def test_excel_input(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    folder = write_station(tmp_path / "s", tickets_csv=None)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "tickets"
    ws.append(["month", "type", "total", "qualified"])
    ws.append(["2026-03", "工作票", 20, 19.0])
    ws.append(["2026-03", "operation", 30, 30])
    ws.append(["2026-03", "operation", 1.5, 1])
    wb.save(folder / "tickets.xlsx")
    data = load_station(folder)
    err = only(list(data.issues))
    assert (err.file, err.row, err.column) == ("tickets.xlsx", 4, "total")
    r = build_report(folder, "2026-03")
    assert r.kpi("two_ticket_pass_rate").month.reason == "tickets.xlsx has bad rows for 2026-03"
    (folder / "tickets.xlsx").write_bytes(b"not a zip")
    assert "not a readable .xlsx" in only(issues(folder)).message


def test_schema_lookup_and_columns() -> None:
    assert [s.stem for s in FILES][:3] == ["lines", "areas", "billing"]
    with pytest.raises(NotFoundError):
        schema("nothing")
    c = Column(name="n", zh="数", kind=ColumnKind.NUMBER, unit="kWh")
    assert c.parse("12.5", tz="Asia/Shanghai") == Fraction(25, 2)
    assert isinstance(StationDataError("x", file="f"), DataFileError)


def test_every_column_is_documented() -> None:
    doc = (Path(__file__).parent.parent / "docs" / "report.md").read_text(encoding="utf-8")
    for spec in FILES:
        assert f"### {spec.filename}" in doc, spec.filename
        for col in spec.columns:
            assert f"`{col.name}`" in doc, (spec.filename, col.name)


cells = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    max_size=12,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(row=st.lists(cells, min_size=0, max_size=9))
def test_any_row_is_an_issue_or_a_record_never_a_crash(tmp_path: Path, row: list[str]) -> None:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf).writerows([[c.name for c in schema("outages").columns], row])
    folder = tmp_path / "fuzz"
    folder.mkdir(exist_ok=True)
    (folder / "outages.csv").write_text(buf.getvalue(), encoding="utf-8")
    data = load_station(folder)
    errors = [i for i in data.issues if i.severity is Severity.ERROR]
    for e in errors:
        assert (e.file, e.row) == ("outages.csv", 2) and e.message
    assert len(data.outages.records) <= 1
    assert not (data.outages.records and errors)  # a row is a record or has errors, not both
    if any(c.strip() for c in row):
        assert data.outages.records or errors


# ----------------------------------------------------------------------------- counting convention

_CONVENTION_OUTAGES = (
    "id,line,start,end,customers_affected,cause\n"
    "E3,L1,2026-03-02 08:00,2026-03-02 08:03,10,fault\n"  # exactly 3 min
    "E4,L1,2026-03-03 08:00,2026-03-03 08:04,20,fault\n"  # 4 min
    "E60,L1,2026-03-04 08:00,2026-03-04 09:00,5,planned\n"  # 1 h
)


def _convention_station(folder: Path, section: str = "") -> Path:
    folder.mkdir(parents=True)
    (folder / "station.toml").write_text(
        'name = { zh = "规则", en = "Rules" }\n[customers]\n"2026-03" = 100\n' + section,
        encoding="utf-8",
    )
    (folder / "outages.csv").write_text(_CONVENTION_OUTAGES, encoding="utf-8")
    return folder


def _figures(report: object) -> dict[str, object]:
    from gdsmodel.report.compute import Report

    assert isinstance(report, Report)
    keys = [r.key.metric for r in report.kpis]
    return {
        "saifi": report.kpi("saifi").month.value,
        "aihc": report.kpi("aihc").month.value,
        "maifi": report.kpi("maifi").month.value if "maifi" in keys else None,
        "counted": [o.counted for o in report.reliability.outages],
    }


def test_an_outage_of_exactly_3_minutes_is_short_under_dlt836(tmp_path: Path) -> None:
    report = build_report(_convention_station(tmp_path / "s"), "2026-03")
    assert report.convention.name == "DL/T 836"
    # sustained: E4 (20 customers, 4 min) and E60 (5 customers, 1 h); E3 is short
    assert _figures(report) == {
        "saifi": Fraction(25, 100),
        "aihc": (Fraction(20 * 4, 60) + 5) / 100,
        "maifi": None,  # no MAIFI rows under DL/T 836
        "counted": [False, True, True],
    }
    assert report.reliability.outages[0].customer_hours_in_month == 0


def test_station_toml_choosing_ieee_1366_changes_the_figures(tmp_path: Path) -> None:
    folder = _convention_station(tmp_path / "s", '[reliability]\nconvention = "IEEE 1366"\n')
    report = build_report(folder, "2026-03")
    assert report.convention.name == "IEEE 1366"
    # sustained only E60 (more than 5 min); E3 and E4 are momentary: 30 customers
    assert _figures(report) == {
        "saifi": Fraction(5, 100),
        "aihc": Fraction(5, 100),
        "maifi": Fraction(30, 100),
        "counted": [False, False, True],
    }
    assert report.kpi("maifie").month.defined
    text = render(report, "text", "en", width=200)
    assert "Counting convention: IEEE 1366" in text
    assert "MAIFI" in text
    # the uncounted interruptions are named by the convention's own term
    markdown = render(report, "markdown", "both")
    assert isinstance(markdown, str)
    assert "瞬时停电(不计) / momentary interruption (not counted)" in markdown
    assert "short interruption" not in markdown
    for fmt in ("markdown", "html", "json"):
        out = render(report, fmt, "en")
        assert isinstance(out, str) and "IEEE 1366" in out, fmt


def test_the_convention_argument_and_cli_flag_override_station_toml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from gdsmodel.cli import main

    folder = _convention_station(tmp_path / "s", '[reliability]\nconvention = "ieee1366"\n')
    assert build_report(folder, "2026-03", convention="DL/T 836").kpi("saifi").month.value == (
        Fraction(25, 100)
    )
    args = ["report", str(folder), "--month", "2026-03", "--json"]
    assert main([*args, "--convention", "dlt836"]) == 0
    out = capsys.readouterr().out
    assert "Counting convention: DL/T 836" in out and "MAIFI" not in out
    assert main(args) == 0
    assert "Counting convention: IEEE 1366" in capsys.readouterr().out
    with pytest.raises(SystemExit) as stop:
        main(["report", str(folder), "--month", "2026-03", "--convention", "EN 50160"])
    assert stop.value.code == 2
    assert "not a counting convention" in capsys.readouterr().err


def test_a_bad_convention_in_station_toml_names_file_and_key(tmp_path: Path) -> None:
    folder = _convention_station(tmp_path / "s", '[reliability]\nconvention = "EN 50160"\n')
    data = load_station(folder)
    err = only(list(data.issues))
    assert (err.file, err.column) == ("station.toml", "reliability.convention")
    assert "EN 50160" in str(err) and "IEEE 1366" in err.allowed
    assert data.config.convention.name == "DL/T 836"  # the default is used
    folder2 = _convention_station(tmp_path / "t", "[reliability]\nconvention = 5\n")
    err2 = only(issues(folder2))
    assert (err2.file, err2.column) == ("station.toml", "reliability.convention")


def test_the_convention_key_is_in_the_folder_schema() -> None:
    from gdsmodel.report.inputs import json_schema

    prop = json_schema()["properties"]["station"]["properties"]["reliability"]
    assert set(prop["properties"]["convention"]["enum"]) >= {"DL/T 836", "ieee1366"}


# ----------------------------------------------------------------------------- fast paths


@given(
    p=st.fractions(min_value=0, max_value=10**12, max_denominator=10**6),
    q=st.fractions(min_value=0, max_value=10**12, max_denominator=10**6),
)
def test_the_power_factors_square_root_is_the_search_over_fractions(
    p: Fraction, q: Fraction
) -> None:
    """The integer square root of ``power_factor_exact`` (the report's lines and
    ``power_factor``) against a plain search: the largest k with (k - 1/2)/100 <= P/√(P²+Q²)."""
    from gdsmodel.metrics.reactive import power_factor, power_factor_exact

    if not (p or q):
        return
    s = p * p + q * q
    lo, hi = 0, 100
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if Fraction(2 * mid - 1, 200) ** 2 * s <= p * p:
            lo = mid
        else:
            hi = mid - 1
    expected = Decimal(lo).scaleb(-2).quantize(Decimal("0.01"))
    assert power_factor_exact(p, q) == expected == power_factor(active_kwh=p, reactive_kvarh=q)


_CELLS = st.one_of(
    st.from_regex(r"\A[0-9]{1,14}(\.[0-9]{0,8})?\Z"),
    st.from_regex(r"\A[+-]?[0-9]{0,5}(\.[0-9]{0,3})?([eE][+-]?[0-9]{1,2})?\Z"),
    st.sampled_from(["1000000000000", "1000000000000.0000001", "1000000001", "007", "1.", "0.0"]),
    st.sampled_from(["6077.97", "0.10", "999999999999.99", "1000000000000.00", "12.5", "3.005"]),
)


_COLUMNS = {
    kind: Column(name="x", zh="x", kind=kind, unit="kWh", choices=choices, aliases=aliases)
    for kind, choices, aliases in (
        (ColumnKind.COUNT, (), {}),
        (ColumnKind.NUMBER, (), {}),
        (ColumnKind.YUAN, (), {}),
        (ColumnKind.ID, (), {}),
        (ColumnKind.TEXT, (), {}),
        (ColumnKind.MONTH, (), {}),
        (ColumnKind.CHOICE, ("planned", "fault", "10kV"), {"计划停电": "planned", "10": "10kV"}),
    )
}
_TEXTS = st.one_of(
    _CELLS,
    st.sampled_from(["planned", " Fault ", "计划停电", "10", "10 kV", "2026-03", "2026年3月"]),
    st.sampled_from(["2026-03-01", "\x00=A1", "a\x1bb", "\u3000x", "x\xa0", "", "  "]),
    st.text(max_size=8),
)


@given(text=_TEXTS, kind=st.sampled_from(sorted(_COLUMNS)))
def test_a_columns_reader_reads_a_cell_as_the_full_path_does(text: str, kind: ColumnKind) -> None:
    from gdsmodel.report import columns

    col = _COLUMNS[kind]

    def outcome(read: object) -> tuple[str, object, type]:
        assert callable(read)
        try:
            v = read(text)
        except columns.CellError as exc:
            return ("error", (exc.message, exc.allowed), type(None))
        return ("ok", v, type(v))

    fast = columns.reader(col, "Asia/Shanghai")
    assert outcome(fast) == outcome(lambda t: col.parse(t, tz="Asia/Shanghai"))
    assert outcome(fast) == outcome(fast)  # a remembered value is the same value


@given(st.lists(st.one_of(st.integers(0, 10**9), st.fractions(0, 10**6, max_denominator=1000))))
def test_exact_sum_is_the_sum(values: list[int | Fraction]) -> None:
    from gdsmodel.report.kpis import exact_sum

    assert exact_sum(values) == sum(values, Fraction(0))


def test_a_bad_ratio_row_gets_the_registrys_message(tmp_path: Path) -> None:
    folder = write_station(tmp_path / "s")
    (folder / "tickets.csv").write_text(
        "month,type,total,qualified\n2026-03,work,20,21\n2026-03,operation,0,0\n",
        encoding="utf-8",
    )
    err = only(issues(folder))
    assert str(err) == (
        "tickets.csv: row 2, column qualified: 21 exceeds the denominator total = 20 "
        "(allowed: qualified <= total)"
    )


def test_a_file_that_turns_out_not_utf8_late_is_unusable_with_no_row_issues(
    tmp_path: Path,
) -> None:
    folder = write_station(tmp_path / "s")
    good = "".join(f"2026-0{1 + i % 3},L{i},10kV,100,{101 + i}\n" for i in range(3000))
    raw = ("month,line,voltage,supplied_kwh,sold_kwh\n" + good).encode() + "L9,线".encode("gbk")
    (folder / "lines.csv").write_bytes(raw)
    data = load_station(folder)
    found = [i for i in data.issues if i.file == "lines.csv"]
    assert len(found) == 1 and "not UTF-8 text (byte " in found[0].message, found
    assert f"(byte {len(raw) - 2})" in found[0].message  # the offset in the whole file
    assert data.lines.status.value == "unusable"


# ----------------------------------------------------------------------------- the converter


def test_the_converter_and_the_direct_path_build_the_same_record_of_every_row() -> None:
    """Every row of every file of the example station: the record the one cattrs converter
    builds is the record of the reader's direct path (which it takes after the first row)."""
    from gdsmodel.report.columnar import build_record as _build
    from gdsmodel.report.columns import reader
    from gdsmodel.tablefiles import read_rows as _read_rows

    station = Path(__file__).resolve().parent.parent / "examples" / "station"
    tz = "Asia/Shanghai"
    checked = 0
    for spec in FILES:
        rows = _read_rows(station / spec.filename, spec.stem)
        header = next(rows)
        at = {h: i for i, h in enumerate(header)}
        for n, cells in enumerate(rows, start=2):
            values = {
                c.name: reader(c, tz)(cells[at[c.name]]) if c.name in at else c.default
                for c in spec.columns
            }
            via = _build(spec, values, n, tz, direct=False)
            assert _build(spec, values, n, tz, direct=True) == via
            assert type(via) is spec.record
            checked += 1
    assert checked > 2000


def test_a_record_error_is_the_same_on_the_first_row_and_later(tmp_path: Path) -> None:
    head = "id,line,start,end,customers_affected,cause\n"
    good = "O1,L1,2026-03-02 08:00,2026-03-02 10:00,10,planned\n"
    bad = "O2,L1,0001-01-01 08:00,0001-01-01 10:00,10,fault\n"
    found = []
    for name, text in (("first", head + bad), ("later", head + good + bad)):
        folder = write_station(tmp_path / name)
        (folder / "outages.csv").write_text(text, encoding="utf-8")
        err = only([i for i in issues(folder) if i.file == "outages.csv"])
        found.append((err.column, err.message, err.allowed))
    assert found[0] == found[1]


def test_the_converter_takes_parsed_values_as_they_are() -> None:
    import datetime

    import pendulum

    from gdsmodel.periods import Month
    from gdsmodel.serialize import converter, structure

    start = pendulum.datetime(2026, 3, 2, 8, tz="Asia/Shanghai")
    assert converter.structure(Month(2026, 3), Month) == Month(2026, 3)
    assert converter.structure(Fraction(1, 3), Fraction) == Fraction(1, 3)
    assert converter.structure(start, type(start).__mro__[1]) is start
    with pytest.raises(DataFileError, match="UTC offset"):
        structure("2026-03-02 08:00", datetime.datetime)
