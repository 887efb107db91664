"""Each station file is declared once (on its record class); the docs page and the JSON Schema
of the folder agree with the declarations, and numeric cells are bounded at parse time."""

from __future__ import annotations

import csv
import json
import os
import time
from pathlib import Path

import pytest

from gdsmodel.report import FILES, load_station
from gdsmodel.report.columns import BOUNDS, CellError, Column, ColumnKind
from gdsmodel.report.inputs import json_schema
from test_report_fixtures import LINES, write_station

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "report.md"
SCHEMA_FILE = ROOT / "docs" / "station-folder.schema.json"

KIND_WORDS = {
    ColumnKind.MONTH: "month",
    ColumnKind.ID: "name or code",
    ColumnKind.TEXT: "text",
    ColumnKind.COUNT: "whole number",
    ColumnKind.NUMBER: "number",
    ColumnKind.YUAN: "money",
    ColumnKind.DATETIME: "date and time",
    ColumnKind.BOOL: "yes/no",
}


def doc_rows() -> dict[str, dict[str, list[str]]]:
    """The column rows of each file's table in docs/report.md: file -> column -> cells."""
    found: dict[str, dict[str, list[str]]] = {}
    current = ""
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("### ") and line.endswith(".csv"):
            current = line[4:]
            found[current] = {}
        elif current and line.startswith("| `"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            found[current][cells[0].strip("`")] = cells
        elif line.startswith("## "):
            current = ""
    return found


def test_the_docs_page_agrees_with_every_declared_column() -> None:
    rows = doc_rows()
    for spec in FILES:
        assert spec.filename in rows, f"docs/report.md has no table for {spec.filename}"
        documented = rows[spec.filename]
        assert list(documented) == [c.name for c in spec.columns], spec.filename
        for c in spec.columns:
            _, zh, kind, unit, required = documented[c.name][:5]
            where = f"{spec.filename} {c.name}"
            assert zh == c.zh, where
            if c.kind is ColumnKind.CHOICE:
                assert kind == ", ".join(f"`{x}`" for x in c.choices), where
            else:
                assert kind == KIND_WORDS[c.kind], where
            if c.kind is not ColumnKind.YUAN:  # money columns say "yuan" in their unit
                assert unit == c.unit, where
            assert required.startswith("yes" if c.required else "no"), where


def test_the_json_schema_file_is_the_declarations() -> None:
    want = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    if os.environ.get("GDSMODEL_UPDATE_GOLDEN"):
        SCHEMA_FILE.write_text(want, encoding="utf-8")
    assert SCHEMA_FILE.read_text(encoding="utf-8") == want, (
        "docs/station-folder.schema.json is stale: run with GDSMODEL_UPDATE_GOLDEN=1"
    )


def _typed(value: str, c: Column) -> object:
    if value == "":
        return None
    if c.kind is ColumnKind.COUNT:
        return int(value)
    if c.kind in (ColumnKind.NUMBER, ColumnKind.YUAN):
        return float(value)
    if c.kind is ColumnKind.BOOL:
        return value.casefold() in ("yes", "true", "1", "pass", "是", "合格")
    return value


def test_the_example_station_is_valid_against_the_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    import tomllib

    toml = (ROOT / "examples" / "station" / "station.toml").read_text(encoding="utf-8")
    folder: dict[str, object] = {"station": tomllib.loads(toml)}
    for spec in FILES:
        path = ROOT / "examples" / "station" / spec.filename
        with path.open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        cols = {c.name: c for c in spec.columns}
        folder[spec.stem] = [
            {k: v for k, v in ((k, _typed(v, cols[k])) for k, v in row.items()) if v is not None}
            for row in rows
        ]
    jsonschema.validate(folder, schema)
    tickets = folder["tickets"]
    assert isinstance(tickets, list)
    tickets[0]["type"] = "permit"
    with pytest.raises(jsonschema.ValidationError, match="permit"):
        jsonschema.validate(folder, schema)
    tickets[0]["type"] = "work"
    folder["station"] = {"grade": "Z"}
    with pytest.raises(jsonschema.ValidationError, match="'Z'"):
        jsonschema.validate(folder, schema)


# ----------------------------------------------------------------------------- bounds


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("1e9999999", "exceeds the largest value allowed"),
        ("1e5000", "exceeds the largest value allowed"),
        ("1e30", "exceeds the largest value allowed"),
        ("1000000000001", "exceeds the largest value allowed"),
        ("1e-9999999", "has more than 6 decimals"),
        ("0.1234567", "has more than 6 decimals"),
        ("9" * 5000, "is too long for a number"),
    ],
)
def test_a_number_out_of_bounds_is_a_located_error_at_once(
    tmp_path: Path, cell: str, message: str
) -> None:
    bad = LINES.replace("2026-03,L1,一线,10kV,2000,", f"2026-03,L1,一线,10kV,{cell},")
    folder = write_station(tmp_path / "s", lines_csv=bad)
    started = time.monotonic()
    data = load_station(folder)
    assert time.monotonic() - started < 5
    [err] = data.errors
    assert (err.file, err.row, err.column) == ("lines.csv", 4, "supplied_kwh")
    assert message in err.message and "at most 1,000,000,000,000" in err.allowed


def test_the_bounds_themselves_are_allowed_and_render(tmp_path: Path) -> None:
    from gdsmodel.report import build_report, render

    edge = LINES.replace("2026-03,L1,一线,10kV,2000,1900", "2026-03,L1,一线,10kV,1e12,0.000001")
    folder = write_station(tmp_path / "s", lines_csv=edge)
    report = build_report(folder, "2026-03")
    assert not report.errors
    for fmt in ("text", "markdown", "html", "json"):
        shown = str(render(report, fmt, "en", width=240))  # wide: no figure wraps
        assert "1,000,000,000,000" in shown or fmt == "json"


def test_money_and_counts_have_their_own_bounds() -> None:
    money = Column(name="m", zh="钱", kind=ColumnKind.YUAN, unit="yuan")
    assert str(money.parse("1234.5651", tz="Asia/Shanghai")) == "1234.57"  # half-up to the fen
    with pytest.raises(CellError, match="more than 4 decimals"):
        money.parse("1.23456", tz="Asia/Shanghai")
    with pytest.raises(CellError, match="exceeds"):
        money.parse("1e26", tz="Asia/Shanghai")
    count = Column(name="n", zh="数", kind=ColumnKind.COUNT)
    assert count.parse(str(BOUNDS[ColumnKind.COUNT][0]), tz="Asia/Shanghai") == 10**9
    with pytest.raises(CellError, match="exceeds"):
        count.parse("1000000001", tz="Asia/Shanghai")
    with pytest.raises(CellError, match="not a whole number"):
        count.parse("1" * 5000, tz="Asia/Shanghai")
