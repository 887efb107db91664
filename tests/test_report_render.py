"""Rendering the report (text, Markdown, HTML, Excel, JSON) and the ``report`` command."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gdsmodel.cli import main
from gdsmodel.errors import InputError
from gdsmodel.report import Report, build_report, render
from gdsmodel.report.charts import nice_ticks
from gdsmodel.report.layout import build_document
from test_report_fixtures import LINES, write_station


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_station(tmp_path_factory.mktemp("tiny") / "station")


@pytest.fixture(scope="module")
def report(folder: Path) -> Report:
    return build_report(folder, "2026-03")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr (whitespace of stderr folded: messages wrap to fit)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, " ".join(err.split())


# ----------------------------------------------------------------------------- HTML


def test_html_is_one_self_contained_page_with_the_charts(report: Report) -> None:
    page = render(report, "html", "both")
    assert isinstance(page, str)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    for outside in ("http:", "https:", "//", "<script", "<link", "src=", "url(", "@import"):
        assert outside not in page, outside
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    for svg in svgs:
        ET.fromstring(svg)  # every chart is well-formed
    ids = set(re.findall(r'<figure id="([^"]+)">', page))
    assert {"loss-by-line", "reliability", "trend-rs3", "trend-line_loss_rate_10kv"} <= ids
    assert len(svgs) == len(ids)
    assert "供电可靠性" in page and "Reliability" in page


@pytest.mark.parametrize(
    ("lang", "present", "absent"), [("zh", "线损", "Line loss"), ("en", "Line loss", "线损")]
)
def test_html_in_one_language(report: Report, lang: str, present: str, absent: str) -> None:
    page = render(report, "html", lang)  # type: ignore[arg-type]
    assert isinstance(page, str) and present in page
    assert f"<h2>{absent}" not in page


def test_chart_ticks() -> None:
    assert nice_ticks(0, 1) == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    for lo, hi in ((97.3, 100.4), (0.0, 9.3), (-2.5, 8.56), (99.5771, 99.9917)):
        ticks = nice_ticks(lo, hi)
        assert ticks[0] <= lo and ticks[-1] >= hi and ticks == sorted(ticks)


# ----------------------------------------------------------------------------- text, Markdown, JSON


def test_text_in_each_language(report: Report) -> None:
    zh = render(report, "text", "zh")
    en = render(report, "text", "en")
    both = render(report, "text", "both")
    assert isinstance(zh, str) and isinstance(en, str) and isinstance(both, str)
    assert "供电可靠率 RS-3" in zh and "Supply reliability RS-3" not in zh
    assert "Supply reliability RS-3" in en and "供电可靠率" not in en
    assert "供电可靠率 RS-3" in both and "Supply reliability RS-3" in both
    assert "1.25%" in en  # the station's line loss
    assert "GL-1" in en and "2026-03-01" in en  # the overdue gloves


def test_markdown_tables(report: Report) -> None:
    md = render(report, "markdown", "en")
    assert isinstance(md, str)
    assert md.startswith("# Test station: monthly report, March 2026")
    assert "## KPIs" in md and "| KPI | month |" in md
    assert "| --- | ---: |" in md


def test_json_is_exact_and_complete(report: Report) -> None:
    text = render(report, "json")
    assert isinstance(text, str)
    data = json.loads(text)
    kpi = {k["key"]: k for k in data["kpis"]}
    assert kpi["line_loss_rate"]["month"]["exact"] == "1/80"
    assert kpi["line_loss_rate"]["trend"]["2026-02"]["display"] == "4.00%"
    assert data["safety_tools"]["overdue"][0]["serial"] == "GL-1"
    assert data["obligations"]["items"]
    assert {s["owner"] for s in data["assessment"]["sheets"]} >= {"technician"}


def test_unknown_format_or_language(report: Report) -> None:
    with pytest.raises(InputError):
        render(report, "pdf")
    with pytest.raises(InputError):
        render(report, "text", "fr")  # type: ignore[arg-type]


def test_document_has_every_part(report: Report) -> None:
    doc = build_document(report)
    assert [s.id for s in doc.sections] == [
        "summary",
        "kpis",
        "trends",
        "line_loss",
        "reliability",
        "voltage",
        "assessment",
        "tools",
        "obligations",
        "issues",
    ]


# ----------------------------------------------------------------------------- Excel


def test_excel_has_one_sheet_per_part(report: Report) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    data = render(report, "excel", "en")
    assert isinstance(data, bytes)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    # one table per sheet: a part's first table is named after the part, in the parts' order
    parts = [n for n in wb.sheetnames if n in _PARTS]
    assert parts == _PARTS and wb.sheetnames[-1] == "Notes"
    ws = wb["KPIs"]
    values = [row for row in ws.iter_rows(values_only=True) if row and row[0] == "Line loss rate"]
    assert values and values[0][1] == pytest.approx(0.0125)  # a number, shown as a percent
    zh = openpyxl.load_workbook(io.BytesIO(render(report, "excel", "zh")))  # type: ignore[arg-type]
    assert "指标" in zh.sheetnames


_PARTS = [
    "Summary",
    "KPIs",
    "Trends",
    "Line loss",
    "Reliability",
    "Voltage quality",
    "Assessment",
    "Safety tools",
    "Next month's obligations",
    "Data issues",
]


# ----------------------------------------------------------------------------- the command


def test_cli_report_to_the_terminal(capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    code, out, err = run(capsys, "report", str(folder), "--month", "2026-03", "--lang", "en")
    assert code == 0 and "Two-ticket pass rate" in out and not err


def test_cli_report_to_files(
    capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path
) -> None:
    html = tmp_path / "out" / "r.html"
    code, out, _ = run(
        capsys, "report", str(folder), "--month", "2026年3月", "--format", "html", "-o", str(html)
    )
    assert code == 0 and html.exists() and f"wrote {html}" in out
    code, out, _ = run(capsys, "report", str(folder), "--month", "2026-03", "--json")
    assert code == 0 and json.loads(out)["month"] == "2026-03"
    code, _, err = run(capsys, "report", str(folder), "--month", "2026-03", "--format", "excel")
    assert code == 1 and "-o FILE.xlsx" in err


def test_cli_progress_and_errors(
    capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path
) -> None:
    code, _, err = run(
        capsys, "report", str(folder), "--month", "2026-03", "--progress", "--format", "json"
    )
    assert code == 0 and "[gdsmodel] reading lines" in err and "computing 2026-03" in err
    code, _, err = run(capsys, "report", str(folder), "--month", "2026-09")
    assert code == 1 and "a month in the data: 2026-02..2026-03" in err
    code, _, err = run(capsys, "report", str(tmp_path / "none"), "--month", "2026-03")
    assert code == 1 and "is not a directory" in err
    try:  # a month that does not parse is a usage error, as on every command
        code, _, err = run(capsys, "report", str(folder), "--month", "March")
    except SystemExit as exc:
        code, err = int(str(exc.code)), capsys.readouterr().err
    assert code == 2 and "cannot parse 'March'" in err


def test_cli_bad_data_still_writes_the_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = write_station(tmp_path / "s", lines_csv=LINES.replace(",1900,", ",x,"))
    code, out, err = run(
        capsys, "report", str(folder), "--month", "2026-03", "--lang", "en", "--width", "400"
    )
    assert code == 1 and "bad rows or files were left out" in err
    issue = next(line for line in out.splitlines() if line.startswith("error"))
    assert issue.split()[1:4] == ["lines.csv", "4", "sold_kwh"]
    assert "RCD installation rate" in out


def test_cli_generate_example(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "ex"
    code, out, _ = run(capsys, "generate-example", str(target), "--months", "2")
    assert code == 0 and (target / "station.toml").exists()
    assert out == f"wrote {len(list(target.iterdir()))} files to {target}\n"
    code, _, err = run(capsys, "generate-example", str(target), "--months", "2")
    assert code == 1 and "files exist" in err
    code, _, _ = run(capsys, "generate-example", str(target), "--months", "2", "--force")
    assert code == 0
