"""Trust in the report's input and output (issue #12, the report's items): missing and
duplicated rows, station.toml mistakes, Excel output that is data and never formulas, Excel
dates in a month column, and anomalies that are not scored."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest

from gdsmodel.cli import main
from gdsmodel.report import Report, build_report, load_station, render
from test_report_fixtures import LINES, OUTAGES, STATION_TOML, write_station

# ----------------------------------------------------------------------------- missing rows


def test_a_line_missing_from_a_month_is_a_data_issue_and_leaves_its_kpis_out(
    tmp_path: Path,
) -> None:
    without = LINES.replace("2026-03,L2,二线,10kV,2000,2050,0\n", "")
    folder = write_station(tmp_path / "s", lines_csv=without)
    report = build_report(folder, "2026-03")
    [err] = [str(e) for e in report.errors]
    assert err == (
        "lines.csv: column line: line 'L2' has no row for 2026-03 (it has one for 2026-02) "
        "(allowed: a row for every line of the register, every month ([register] in "
        "station.toml))"
    )
    row = report.kpi("line_loss_rate")
    assert row.month.value is None and "bad rows for 2026-03" in row.month.reason
    assert row.trend[0].value is not None  # February is untouched


def test_the_register_of_station_toml_is_expected_every_month(tmp_path: Path) -> None:
    toml = STATION_TOML + '\n[register]\nlines = ["L1", "L2", "L3"]\n'
    folder = write_station(tmp_path / "s", station_toml=toml)
    found = [str(e) for e in load_station(folder).errors]
    assert [f for f in found if "'L3' has no row" in f] == [
        "lines.csv: column line: line 'L3' has no row for 2026-02 (the register of "
        "station.toml) (allowed: a row for every line of the register, every month "
        "([register] in station.toml))",
        "lines.csv: column line: line 'L3' has no row for 2026-03 (the register of "
        "station.toml) (allowed: a row for every line of the register, every month "
        "([register] in station.toml))",
    ]


def test_an_area_missing_from_a_month(tmp_path: Path) -> None:
    from test_report_fixtures import AREAS

    folder = write_station(
        tmp_path / "s", areas_csv=AREAS.replace("2026-03,A2,L2,500,480,50\n", "")
    )
    report = build_report(folder, "2026-03")
    assert any("area 'A2' has no row for 2026-03" in str(e) for e in report.errors)
    assert report.kpi("line_loss_rate_lv").month.value is None


def test_identical_outage_rows_are_flagged_and_not_counted_twice(tmp_path: Path) -> None:
    row = "\n,L1,A1,2026-03-12 08:00,2026-03-12 09:00,30,fault,\n"
    folder = write_station(tmp_path / "s", outages_csv=OUTAGES.rstrip("\n") + row + row.lstrip())
    report = build_report(folder, "2026-03")
    [err] = report.errors
    assert (err.file, err.row) == ("outages.csv", 6)
    assert err.message == "the same values as row 5 (a duplicated row)"
    assert report.kpi("rs1").month.value is None  # March's reliability waits for a fix


def test_a_folder_that_is_not_a_station_exits_1_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    assert main(["report", str(tmp_path), "--month", "2026-03"]) == 1
    err = capsys.readouterr().err
    assert "nothing to report" in err and "a station folder" in err
    assert "Traceback" not in err


# ----------------------------------------------------------------------------- station.toml


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ('E = "1"', "key voltage_weights.E: unknown monitoring class 'E'"),
        ('A = "half"\nD = "1/2"', "key voltage_weights.A: 'half' is not a number"),
        ('A = "1/0"\nD = "1"', "key voltage_weights.A: '1/0' is not a number"),
        ('A = "1/3"\nD = "1/3"', "key voltage_weights: the weights add up to 2/3"),
    ],
)
def test_bad_voltage_weights_name_the_key_and_the_defaults_are_used(
    tmp_path: Path, weights: str, message: str
) -> None:
    toml = STATION_TOML.split("[voltage_weights]")[0] + "[voltage_weights]\n" + weights + "\n"
    folder = write_station(tmp_path / "s", station_toml=toml)
    report = build_report(folder, "2026-03")
    found = [str(e) for e in report.errors]
    assert any(f"station.toml: {message}; the default is used" in f for f in found), found
    assert report.data is not None and report.data.config.voltage_weights is None
    assert str(report.kpi("comprehensive_voltage_rate").month.reason).startswith("no data")


def test_a_value_of_the_wrong_type_drops_its_key_only(tmp_path: Path) -> None:
    toml = STATION_TOML + '\n[customers]\n"2026-03" = "many"\n'
    folder = write_station(tmp_path / "s", station_toml=toml)
    data = load_station(folder)
    [err] = data.errors
    assert err.file == "station.toml" and err.column == "customers['2026-03']"
    assert "the default is used" in err.message
    assert data.config.grade == "A" and data.config.name.en == "Test station"  # the rest kept


# ----------------------------------------------------------------------------- Excel output


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Report:
    outages = OUTAGES.replace("检修", '"=HYPERLINK(""http://example.invalid"",""x"")"')
    outages = outages.replace("重合闸", "@SUM(1)\x1b[31mred\x1b[0m\x07")
    lines = LINES.replace("一线", "=1+1").replace("二线", "+cmd|' /C calc'!A0")
    folder = write_station(
        tmp_path_factory.mktemp("hostile") / "s", outages_csv=outages, lines_csv=lines
    )
    return build_report(folder, "2026-03")


def test_excel_cells_are_text_never_formulas(hostile: Report) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    data = render(hostile, "excel", "both")
    assert isinstance(data, bytes)
    wb = openpyxl.load_workbook(io.BytesIO(data))  # formulas kept as written
    texts = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    texts[c.value] = c
    link = next(v for v in texts if v.startswith("=HYPERLINK"))
    assert texts[link].quotePrefix and "=1+1" in texts
    assert any(v.startswith("@SUM(1)[31mred[0m") for v in texts)  # ESC and BEL are gone


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_control_characters_never_reach_a_terminal_or_a_page(hostile: Report, fmt: str) -> None:
    out = render(hostile, fmt, "both")
    assert isinstance(out, str)
    if fmt == "json":
        assert "\\u001b" in out  # JSON escapes them: the data is kept exactly
    else:
        assert "\x1b" not in out and "\x07" not in out
        assert "@SUM(1)[31mred[0m" in out


# ----------------------------------------------------------------------------- Excel input


def test_excel_dates_in_a_month_column_and_formulas_without_a_value(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    folder = write_station(tmp_path / "s", tickets_csv=None)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["month", "type", "total", "qualified"])
    ws.append([datetime.datetime(2026, 3, 1), "work", 20, 19])
    ws.append([datetime.date(2026, 2, 1), "work", 10, 10])
    ws.append(["2026-03", "operation", 30, "=C4-1"])  # a formula never calculated
    wb.save(folder / "tickets.xlsx")
    data = load_station(folder)
    assert sorted((str(t.month), t.type.value) for t in data.tickets.records) == [
        ("2026-02", "work"),
        ("2026-03", "work"),
    ]
    [err] = [e for e in data.errors if e.file == "tickets.xlsx"]
    assert (err.row, err.column) == (4, "qualified")
    assert err.message == "the formula '=C4-1' has no saved value"
    assert "save it as CSV" in err.allowed


# ----------------------------------------------------------------------------- anomalies


def test_an_anomalous_kpi_is_not_assessed_and_says_why(tmp_path: Path) -> None:
    # March: both lines sell more than they are supplied: the 10 kV loss is negative
    lines = LINES.replace("2026-03,L1,一线,10kV,2000,1900", "2026-03,L1,一线,10kV,2000,2100")
    report = build_report(write_station(tmp_path / "s", lines_csv=lines), "2026-03")
    row = report.kpi("line_loss_rate_10kv")
    assert row.month.value is not None and row.month.value < 0 and row.month.anomaly
    assert row.verdict is not None and row.verdict.met  # -3.75 % is "below 6.5 %"...
    items = [i for s in report.sheets for i in s.items if i.rule.endswith("line_loss_10kv")]
    scored = [i for i in items if i.note.startswith("not assessed: anomaly")]
    assert scored and all(not i.assessed and i.score == 0 for i in scored)  # ...but never scores


def test_an_area_missing_from_billing_leaves_the_fee_kpis_out(tmp_path: Path) -> None:
    from test_report_fixtures import BILLING

    billing = "\n".join(line for line in BILLING.splitlines() if not line.startswith("2026-03,A2"))
    report = build_report(write_station(tmp_path / "s", billing_csv=billing + "\n"), "2026-03")
    assert any(
        e.file == "billing.csv" and "area 'A2' has no row for 2026-03" in e.message
        for e in report.errors
    )
    assert report.kpi("collection_rate").month.value is None
    assert report.kpi("line_loss_rate_lv").month.value is not None  # areas.csv is complete


def test_a_link_out_of_the_station_folder_is_refused_and_one_inside_is_followed(
    tmp_path: Path,
) -> None:
    folder = write_station(tmp_path / "s", lines_csv=None)
    outside = tmp_path / "elsewhere.csv"
    outside.write_text(LINES, encoding="utf-8")
    (folder / "lines.csv").symlink_to(outside)
    report = build_report(folder, "2026-03")
    [err] = [e for e in report.errors if e.file == "lines.csv"]
    assert "outside the station folder" in err.message
    assert report.kpi("line_loss_rate").month.value is None  # nothing was read from it
    (folder / "lines.csv").unlink()
    (folder / "data").mkdir()
    (folder / "data" / "lines.csv").write_text(LINES, encoding="utf-8")
    (folder / "lines.csv").symlink_to(folder / "data" / "lines.csv")
    report = build_report(folder, "2026-03")
    assert not [e for e in report.errors if e.file == "lines.csv"]
    assert report.kpi("line_loss_rate").month.value is not None


def test_a_data_file_that_is_a_folder_is_a_data_issue_not_a_crash(tmp_path: Path) -> None:
    folder = write_station(tmp_path / "s", lines_csv=None)
    (folder / "lines.csv").mkdir()
    report = build_report(folder, "2026-03")
    [err] = [e for e in report.errors if e.file == "lines.csv"]
    assert err.message == "is a folder, not a file"
