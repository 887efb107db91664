"""Golden files: the report of the example station, in every format, byte for byte.

The files under ``tests/golden/report/`` are the report of ``examples/station`` for two
months (March 2026, the committed default, and October 2025, whose year to date starts in
January). A change to the report's output shows here as a failing comparison; when the
change is wanted, regenerate the files and say why in the commit::

    GDSMODEL_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_report_golden.py

The HTML footer names the gdsmodel version; it is replaced by ``gdsmodel VERSION`` so a new
release does not change the golden page. The Excel workbook is compared by its cell values
(sheet by sheet, row by row), not by its zip bytes.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from gdsmodel.report import Report, build_report, render

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "report"
STATION = ROOT / "examples" / "station"
MONTHS = ("2026-03", "2025-10")
UPDATE = bool(os.environ.get("GDSMODEL_UPDATE_GOLDEN"))

# (format, language, file suffix)
CASES = (
    ("text", "zh", "text-zh.txt"),
    ("text", "en", "text-en.txt"),
    ("text", "both", "text-both.txt"),
    ("markdown", "both", "both.md"),
    ("html", "both", "both.html"),
    ("json", "both", "report.json"),
    ("excel", "both", "excel-both.json"),
)


@pytest.fixture(scope="module", params=MONTHS)
def report(request: pytest.FixtureRequest) -> Report:
    return build_report(STATION, str(request.param))


def excel_cells(data: bytes) -> str:
    """Every sheet's cell values as JSON text (numbers stay numbers)."""
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheets: dict[str, Any] = {}
    for ws in wb.worksheets:
        sheets[ws.title] = [list(row) for row in ws.iter_rows(values_only=True)]
    return json.dumps(sheets, ensure_ascii=False, indent=1, default=str) + "\n"


def normalised(fmt: str, output: str | bytes) -> str:
    if fmt == "excel":
        assert isinstance(output, bytes)
        return excel_cells(output)
    assert isinstance(output, str)
    if fmt == "html":
        return re.sub(
            r"<footer>gdsmodel [^<]*</footer>", "<footer>gdsmodel VERSION</footer>", output
        )
    return output


@pytest.mark.parametrize(("fmt", "lang", "suffix"), CASES, ids=[c[2] for c in CASES])
def test_the_report_of_the_example_station_is_unchanged(
    report: Report, fmt: str, lang: str, suffix: str
) -> None:
    got = normalised(fmt, render(report, fmt, lang))  # type: ignore[arg-type]
    path = GOLDEN / f"{report.month}-{suffix}"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8", newline="\n")
    assert path.exists(), f"no golden file {path.name}: run with GDSMODEL_UPDATE_GOLDEN=1"
    want = path.read_text(encoding="utf-8")
    if got != want:
        got_lines, want_lines = got.splitlines(), want.splitlines()
        first = next(
            (i for i, (a, b) in enumerate(zip(got_lines, want_lines, strict=False)) if a != b),
            min(len(got_lines), len(want_lines)),
        )
        shown_got = got_lines[first] if first < len(got_lines) else "(end)"
        shown_want = want_lines[first] if first < len(want_lines) else "(end)"
        pytest.fail(
            f"{path.name} differs at line {first + 1}:\n  got:  {shown_got}\n  want: {shown_want}"
        )
