"""The Excel report as staff work in it: one real Excel table per sheet (with filters) under
a frozen header row, every figure a number with a number format, verdicts and the gap of a
missed target in their own columns, conditional formatting on missed targets, and text that
stays text (never a formula)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest

from gdsmodel.report import build_report, render
from gdsmodel.report.render_excel import figure

openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parents[1]
# a cell whose whole text is a figure: 99.98%, -0.32 pp, 0.96, 1,234 kWh, ≥ 99.80%
FIGURE = re.compile(r"^[≥≤<>]?=?\s?[+±-]?\d[\d,]*(\.\d+)?\s?(%|pp|kWh|kvarh|元|yuan)?$")


@pytest.fixture(scope="module", params=["zh", "en", "both"])
def workbook(request: pytest.FixtureRequest) -> Any:
    report = build_report(ROOT / "examples" / "station", "2026-03")
    data = render(report, "excel", request.param)
    assert isinstance(data, bytes)
    return openpyxl.load_workbook(io.BytesIO(data))


def test_every_sheet_is_one_excel_table_with_filters_under_a_frozen_header(workbook: Any) -> None:
    assert len(workbook.worksheets) > 10
    for ws in workbook.worksheets:
        assert ws.freeze_panes in ("A2", "B2"), ws.title
        assert len(ws.tables) == 1, ws.title
        table = next(iter(ws.tables.values()))
        assert table.autoFilter is not None and table.autoFilter.ref == table.ref, ws.title
        assert table.ref.startswith("A1:") and table.ref.endswith(str(ws.max_row)), ws.title
        headers = [c.value for c in ws[1]]
        assert all(isinstance(h, str) and h for h in headers), (ws.title, headers)
        assert len(set(headers)) == len(headers), (ws.title, headers)


def test_no_cell_that_holds_a_figure_is_a_string(workbook: Any) -> None:
    numbers = 0
    for ws in workbook.worksheets:
        for row in ws.iter_rows(min_row=2):
            for c in row:
                if isinstance(c.value, str):
                    assert not FIGURE.match(c.value.strip()), (ws.title, c.coordinate, c.value)
                    assert c.data_type != "f", (ws.title, c.coordinate)
                elif isinstance(c.value, int | float):
                    numbers += 1
                    assert c.number_format != "General", (ws.title, c.coordinate, c.value)
    assert numbers > 500


def test_kpis_hold_value_target_verdict_and_gap_in_their_own_columns(workbook: Any) -> None:
    ws = workbook.worksheets[1]
    headers = [c.value for c in ws[1]]
    assert len(headers) == 9  # KPI, month, target, verdict, gap, previous, change, ytd, note
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    rs3 = next(r for name, r in rows.items() if "RS-3" in str(name))
    value, target = rs3[1], rs3[2]
    assert isinstance(value.value, float) and value.number_format.endswith("%")
    assert isinstance(target.value, float) and "≥" in target.number_format
    missed = [r for r in rows.values() if isinstance(r[4].value, float)]
    assert missed and all(r[4].value > 0 and "pp" in r[4].number_format for r in missed)
    assert all(r[3].value in ("未达标", "missed", "未达标 / missed") for r in missed)
    assert all(isinstance(r[6].value, float | int) for r in rows.values() if r[6].value is not None)
    rules = [rule for cf in ws.conditional_formatting for rule in cf.rules]
    assert rules and rules[0].formula == ["$E2>0"]


def test_long_text_wraps(workbook: Any) -> None:
    ws = next(ws for ws in workbook.worksheets if len(ws.tables) and ws.max_row > 40)
    long = [c for row in ws.iter_rows(min_row=2) for c in row
            if isinstance(c.value, str) and len(c.value) > 40]  # fmt: skip
    assert all(c.alignment.wrap_text for c in long)


@pytest.mark.parametrize(
    ("text", "value", "fmt"),
    [
        ("99.98%", 0.9998, "0.00%"),
        ("-0.32 pp", -0.32, '+0.00" pp";-0.00" pp";0.00" pp"'),
        ("0.96", 0.96, "0.00"),
        ("1,234 kWh", 1234, '#,##0" kWh"'),
        ("≤ 6.50%", 0.065, '"≤ "0.00%'),
        ("12", 12, "0"),
    ],
)
def test_a_figure_written_as_text_becomes_a_number_with_its_format(
    text: str, value: float, fmt: str
) -> None:
    got = figure(text)
    assert got is not None and got[0] == pytest.approx(value) and got[1] == fmt


@pytest.mark.parametrize("text", ["L01", "2026-03-31", "31/31", "未达标 -0.15pp", "=1+1", ""])
def test_text_that_is_not_one_figure_stays_text(text: str) -> None:
    assert figure(text) is None
